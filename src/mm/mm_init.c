/*
 * mm_init.c - from memblock's map to working zones: the struct page array,
 * zone spans, watermarks, lowmem reserves and per-CPU list sizes.
 * Follows Linux mm/mm_init.c and the init parts of mm/page_alloc.c; every
 * formula is Linux's (see the function comments), for one node.
 */
#include <errno.h>
#include <string.h>

#include "memblock.h"
#include "mm.h"
#include "printk.h"

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable",
						       "Device" };

/* Pages of memblock memory inside [start, end). */
static unsigned long present_pages_in(struct machine *m, unsigned long start, unsigned long end)
{
	const struct memblock_type *mem = &m->memblock.memory;
	unsigned long nr = 0;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		unsigned long s = (unsigned long)DIV_ROUND_UP(mem->regions[i].base, m->page_size);
		unsigned long e = (unsigned long)((mem->regions[i].base + mem->regions[i].size) >>
						  m->page_shift);

		if (s < start)
			s = start;
		if (e > end)
			e = end;
		if (e > s)
			nr += e - s;
	}
	return nr;
}

static void zone_init_lists(struct zone *zone)
{
	for (unsigned int o = 0; o < NR_ORDERS_LIMIT; o++) {
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
		zone->free_area[o].nr_free = 0;
	}
}

/*
 * free_area_init - lay out the zones (DMA below 16 MiB, DMA32 below 4 GiB,
 * Normal above) over memblock's memory, allocate the struct page array and
 * the node from memblock, and mark every page reserved until memblock frees it.
 */
int free_area_init(struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;
	unsigned long zone_limit[MAX_NR_ZONES];
	unsigned long min_pfn, max_pfn = m->max_pfn;
	phys_addr_t memmap_pa, pgdat_pa;
	struct pglist_data *pgdat;
	size_t memmap_bytes;

	if (!mem->cnt)
		return -ENOMEM;
	min_pfn = (unsigned long)DIV_ROUND_UP(mem->regions[0].base, m->page_size);
	zone_limit[ZONE_DMA] = (unsigned long)((16ULL << 20) >> m->page_shift);
	zone_limit[ZONE_DMA32] = (unsigned long)((4ULL << 30) >> m->page_shift);
	zone_limit[ZONE_NORMAL] = max_pfn;
	zone_limit[ZONE_MOVABLE] = max_pfn;
	zone_limit[ZONE_DEVICE] = max_pfn;

	memmap_bytes = ALIGN_UP((size_t)max_pfn * sizeof(struct page), m->page_size);
	memmap_pa = memblock_phys_alloc(m, memmap_bytes, m->page_size, 0, NULL);
	pgdat_pa = memblock_phys_alloc(m, ALIGN_UP(sizeof(*pgdat), 64), 64, 0, NULL);
	if (!memmap_pa || !pgdat_pa)
		return -ENOMEM;
	m->mem_map = __va(m, memmap_pa);
	m->pgdat = pgdat = __va(m, pgdat_pa);
	memset(pgdat, 0, sizeof(*pgdat));
	pgdat->machine = m;
	lruvec_init(&pgdat->__lruvec);

	unsigned long start = min_pfn;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		unsigned long end = zone_limit[zid] < max_pfn ? zone_limit[zid] : max_pfn;

		zone->zone_pgdat = pgdat;
		zone->name = zone_names[zid];
		zone_init_lists(zone);
		if (zid >= ZONE_MOVABLE || end <= start) {
			zone->zone_start_pfn = zid >= ZONE_MOVABLE ? 0 : start;
			continue;
		}
		zone->zone_start_pfn = start;
		zone->spanned_pages = end - start;
		zone->present_pages = present_pages_in(m, start, end);
		if (zone->present_pages)
			pgdat->nr_zones = zid + 1;
		start = end;
	}
	pgdat->node_start_pfn = min_pfn;
	pgdat->node_spanned_pages = max_pfn - min_pfn;
	pgdat->node_present_pages = present_pages_in(m, min_pfn, max_pfn);

	/* Every struct page starts reserved and belongs to the zone spanning it. */
	memset(m->mem_map, 0, (size_t)max_pfn * sizeof(struct page));
	for (int zid = ZONE_NORMAL; zid >= 0; zid--) {
		struct zone *zone = &pgdat->node_zones[zid];
		unsigned long lo = zid == ZONE_DMA ? 0 : zone->zone_start_pfn;
		unsigned long hi = zone_end_pfn(zone);

		for (unsigned long pfn = lo; pfn < hi; pfn++) {
			struct page *page = &m->mem_map[pfn];

			page->flags = ((unsigned long)zid << ZONES_SHIFT) | BIT(PG_reserved);
			page->_refcount = 1;
			page->_mapcount = -1;
		}
	}
	for (unsigned long pfn = zone_end_pfn(&pgdat->node_zones[ZONE_NORMAL]); pfn < max_pfn; pfn++) {
		m->mem_map[pfn].flags = ((unsigned long)ZONE_NORMAL << ZONES_SHIFT) | BIT(PG_reserved);
		m->mem_map[pfn]._refcount = 1;
		m->mem_map[pfn]._mapcount = -1;
	}
	return 0;
}

/* zone_batchsize - ~0.1% of the zone or 1 MiB, as 2^n - 1 (Linux's formula). */
static int zone_batchsize(const struct machine *m, const struct zone *zone)
{
	unsigned long batch = zone->managed_pages >> 10;
	unsigned long cap = SZ_1M / m->page_size;

	if (batch > cap)
		batch = cap;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	return batch ? (int)batch : 1;
}

/* zone_highsize - a share of @total_pages per CPU of the node, at least 4 batches. */
static int zone_highsize(const struct machine *m, unsigned long total_pages, int batch)
{
	unsigned long high = total_pages / m->nr_cpus;

	if (high < (unsigned long)batch << 2)
		high = (unsigned long)batch << 2;
	return (int)high;
}

/* calculate_normal_threshold - the per-CPU counter drift Linux allows (printed in zoneinfo). */
static int stat_threshold(const struct machine *m, const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - m->page_shift);
	int threshold = 2 * fls_ul(m->nr_cpus) * (1 + fls_ul(mem));

	return threshold > 125 ? 125 : threshold;
}

/* zone_pcp_init - carve each zone's per-CPU lists out of memblock and size them. */
void zone_pcp_init(struct machine *m)
{
	struct zone *zone;

	for_each_zone(m, zone) {
		int batch = zone_batchsize(m, zone);

		zone->stat_threshold = stat_threshold(m, zone);
		for (unsigned int cpu = 0; zone->pcp && cpu < m->nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = &zone->pcp[cpu];

			pcp->batch = batch;
			pcp->high_min = zone_highsize(m, low_wmark_pages(zone), batch);
			pcp->high_max = zone_highsize(m, zone->managed_pages / 8, batch);
			pcp->high = pcp->high_min;
		}
	}
}

int zone_pcp_alloc(struct machine *m);
int zone_pcp_alloc(struct machine *m)
{
	struct zone *zone;

	for_each_zone(m, zone) {
		size_t bytes = m->nr_cpus * sizeof(struct per_cpu_pages);
		phys_addr_t pa;

		if (!populated_zone(zone))
			continue;
		pa = memblock_phys_alloc(m, bytes, 64, 0, NULL);
		if (!pa)
			return -ENOMEM;
		zone->pcp = __va(m, pa);
		m->percpu_bytes += bytes;
		memset(zone->pcp, 0, bytes);
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			INIT_LIST_HEAD(&zone->pcp[cpu].list);
	}
	return 0;
}

/* int_sqrt - floor of the square root, by Newton's method on integers. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = x, y;

	if (x < 2)
		return x;
	y = (r + x / r) / 2;
	while (y < r) {
		r = y;
		y = (r + x / r) / 2;
	}
	return r;
}

/* calculate_min_free_kbytes - sqrt(lowmem_kbytes * 16), clamped to [128, 262144]. */
static unsigned long calculate_min_free_kbytes(struct machine *m)
{
	unsigned long lowmem_kbytes = 0, v;
	struct zone *zone;

	for_each_zone(m, zone) {
		if (zone_idx(zone) > ZONE_NORMAL)
			continue;
		if (zone->managed_pages > high_wmark_pages(zone))
			lowmem_kbytes += (zone->managed_pages - high_wmark_pages(zone)) *
					 (m->page_size >> 10);
	}
	v = int_sqrt(lowmem_kbytes * 16);
	if (v < 128)
		v = 128;
	if (v > 262144)
		v = 262144;
	return v;
}

/*
 * setup_per_zone_wmarks - Linux's __setup_per_zone_wmarks(): min is
 * min_free_kbytes shared out by managed pages; low and high each add a quarter
 * of min or watermark_scale_factor/10000 of the zone, whichever is larger.
 */
void setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min, lowmem_pages = 0;
	struct zone *zone;

	if (!m->min_free_kbytes)
		m->min_free_kbytes = calculate_min_free_kbytes(m);
	pages_min = m->min_free_kbytes >> (m->page_shift - 10);
	for_each_zone(m, zone)
		if (zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone->managed_pages;

	for_each_zone(m, zone) {
		unsigned long tmp, scaled;

		if (zone_idx(zone) == ZONE_DEVICE)
			continue;
		if (zone_idx(zone) == ZONE_MOVABLE) {
			/* Capped small: __GFP_HIGH allocations never use this zone. */
			tmp = zone->managed_pages / 1024;
			tmp = tmp < 32 ? 32 : tmp > 128 ? 128 : tmp;
			zone->_watermark[WMARK_MIN] = tmp;
			tmp = 0;
		} else {
			tmp = lowmem_pages ? pages_min * zone->managed_pages / lowmem_pages : 0;
			zone->_watermark[WMARK_MIN] = tmp;
		}
		scaled = zone->managed_pages * m->watermark_scale_factor / 10000;
		tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + tmp;
		zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_LOW] + tmp;
		zone->_watermark[WMARK_PROMO] = zone->_watermark[WMARK_HIGH] + tmp;
	}
}

/*
 * setup_per_zone_lowmem_reserve - a lower zone keeps back, from allocations
 * that could have used zone j above it, the managed pages of the zones up to
 * j divided by its own lowmem_reserve_ratio. Then totalreserve_pages.
 */
void setup_per_zone_lowmem_reserve(struct machine *m)
{
	struct pglist_data *pgdat = m->pgdat;
	unsigned long reserve_pages = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		unsigned int ratio = m->lowmem_reserve_ratio[i];
		bool clear = !ratio || !zone->managed_pages;
		unsigned long managed = 0;

		zone->lowmem_reserve[i] = 0;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			managed += pgdat->node_zones[j].managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / ratio);
		}
	}
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		long max = 0;

		for (int j = i; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		max += (long)high_wmark_pages(zone);
		if (max > (long)zone->managed_pages)
			max = (long)zone->managed_pages;
		reserve_pages += (unsigned long)max;
	}
	m->totalreserve_pages = reserve_pages;
}

/*
 * si_mem_available - Linux's estimate of memory available without swapping:
 * free pages minus reserves, plus the page cache and reclaimable slab that
 * could be dropped, each less what the low watermarks need.
 */
unsigned long si_mem_available(struct machine *m)
{
	unsigned long wmark_low = 0;
	long available, pagecache, reclaimable;
	struct zone *zone;

	for_each_zone(m, zone)
		wmark_low += low_wmark_pages(zone);
	available = (long)global_zone_page_state(m, NR_FREE_PAGES) - (long)m->totalreserve_pages;
	pagecache = global_node_page_state(m, NR_ACTIVE_FILE) +
		    global_node_page_state(m, NR_INACTIVE_FILE);
	pagecache -= pagecache / 2 < (long)wmark_low ? pagecache / 2 : (long)wmark_low;
	available += pagecache;
	reclaimable = global_node_page_state_pages(m, NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -= reclaimable / 2 < (long)wmark_low ? reclaimable / 2 : (long)wmark_low;
	available += reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}
