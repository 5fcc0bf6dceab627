/*
 * test_page_alloc.c - the buddy allocator: zones, splitting and merging at
 * every order, watermarks, per-CPU lists, contiguous ranges, fault injection.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "mm.h"
#include "printk.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void snapshot_free_areas(struct machine *m, unsigned long out[MAX_NR_ZONES][NR_ORDERS_LIMIT])
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < NR_ORDERS_LIMIT; o++)
			out[z][o] = m->pgdat->node_zones[z].free_area[o].nr_free;
}

static void zones_of_64m_machine_match_linux_layout(void **state)
{
	struct machine *m = *state;
	struct zone *dma = &m->pgdat->node_zones[ZONE_DMA];
	struct zone *dma32 = &m->pgdat->node_zones[ZONE_DMA32];

	/* The same numbers a real x86 kernel prints for its DMA zone. */
	assert_int_equal(dma->zone_start_pfn, 1);
	assert_int_equal(dma->spanned_pages, 4095);
	assert_int_equal(dma->present_pages, 3998);
	assert_int_equal(dma->managed_pages, 3840);	/* the first 1 MiB is reserved */
	assert_int_equal(dma32->zone_start_pfn, 4096);
	assert_int_equal(dma32->spanned_pages, 16384 - 4096);
	assert_int_equal(dma32->present_pages, 16384 - 4096);
	assert_true(dma32->managed_pages < dma32->present_pages);	/* mem_map lives here */
	assert_false(populated_zone(&m->pgdat->node_zones[ZONE_NORMAL]));
	assert_true(buddy_check(m));
}

static void struct_page_array_comes_from_simulated_ram(void **state)
{
	struct machine *m = *state;
	unsigned long memmap_pages = DIV_ROUND_UP(m->max_pfn * sizeof(struct page), m->page_size);
	unsigned long low_present = 0x9f - 1;	/* RAM pages below 1 MiB, all reserved */

	assert_true(virt_addr_valid(m, m->mem_map));
	assert_true(PageReserved(virt_to_page(m, m->mem_map)));
	/* MemTotal is what is left after the first 1 MiB and the kernel's own data. */
	assert_true(totalram_pages(m) + low_present + memmap_pages <= m->pgdat->node_present_pages);
	assert_true(totalram_pages(m) + low_present + memmap_pages + 8 > m->pgdat->node_present_pages);
}

static void every_order_splits_aligned_and_merges_back(void **state)
{
	struct machine *m = *state;
	unsigned long before[MAX_NR_ZONES][NR_ORDERS_LIMIT], after[MAX_NR_ZONES][NR_ORDERS_LIMIT];

	drain_all_pages(m);
	snapshot_free_areas(m, before);
	for (unsigned int order = 0; order <= m->max_order; order++) {
		struct page *page = alloc_pages(m, GFP_KERNEL, order);
		unsigned long pfn;

		assert_non_null(page);
		pfn = page_to_pfn(m, page);
		assert_true(IS_ALIGNED(pfn, 1UL << order));
		assert_int_equal(page_ref_count(page), 1);
		assert_false(PageBuddy(page));
		assert_true(buddy_check(m));
		__free_pages(m, page, order);
		drain_all_pages(m);
		snapshot_free_areas(m, after);
		assert_memory_equal(before, after, sizeof(before));
	}
}

static void freed_buddies_coalesce(void **state)
{
	struct machine *m = *state;
	unsigned long before[MAX_NR_ZONES][NR_ORDERS_LIMIT], after[MAX_NR_ZONES][NR_ORDERS_LIMIT];
	struct page *pages[64];

	drain_all_pages(m);
	snapshot_free_areas(m, before);
	for (int i = 0; i < 64; i++)
		pages[i] = alloc_pages(m, GFP_KERNEL | __GFP_DMA, 0);
	/* 64 single pages split one order-6 (or larger) block: free them in reverse. */
	for (int i = 63; i >= 0; i--)
		__free_pages(m, pages[i], 0);
	drain_all_pages(m);
	snapshot_free_areas(m, after);
	assert_memory_equal(before, after, sizeof(before));
	assert_true(buddy_check(m));
}

static void zone_modifiers_pick_the_zone(void **state)
{
	struct machine *m = *state;
	unsigned long dma_before = m->vm_events[PGALLOC_DMA];
	unsigned long dma32_before = m->vm_events[PGALLOC_DMA32];
	unsigned long free_before = m->vm_events[PGFREE];
	struct page *dma = alloc_pages(m, GFP_KERNEL | GFP_DMA, 0);
	struct page *dma32 = alloc_pages(m, GFP_KERNEL | GFP_DMA32, 2);
	struct page *user = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);

	assert_int_equal(page_zonenum(dma), ZONE_DMA);
	assert_true(page_to_pfn(m, dma) < 4096);
	/* Normal is empty on 64 MiB: DMA32 is the highest zone with memory. */
	assert_int_equal(page_zonenum(dma32), ZONE_DMA32);
	assert_int_equal(page_zonenum(user), ZONE_DMA32);
	assert_int_equal(m->vm_events[PGALLOC_DMA] - dma_before, 1);
	assert_int_equal(m->vm_events[PGALLOC_DMA32] - dma32_before, 5);
	__free_pages(m, dma, 0);
	__free_pages(m, dma32, 2);
	__free_pages(m, user, 0);
	assert_int_equal(m->vm_events[PGFREE] - free_before, 6);
}

static void zones_above_4g_and_the_pci_hole(void **state)
{
	struct machine *m = test_boot(6 * GiB);
	struct zone *dma32 = &m->pgdat->node_zones[ZONE_DMA32];
	struct zone *normal = &m->pgdat->node_zones[ZONE_NORMAL];
	struct page *page;

	(void)state;
	/* 3 GiB below the hole, the other 3 GiB above 4 GiB, as on a real PC. */
	assert_int_equal(dma32->spanned_pages, (4 * GiB - 16 * MiB) >> 12);
	assert_int_equal(dma32->present_pages, (3 * GiB - 16 * MiB) >> 12);
	assert_int_equal(normal->zone_start_pfn, (4 * GiB) >> 12);
	assert_int_equal(normal->present_pages, (3 * GiB) >> 12);
	page = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(page_zonenum(page), ZONE_NORMAL);
	__free_pages(m, page, 0);
	assert_true(buddy_check(m));
	tuxmm_machine_destroy(m);
}

static void large_pages_never_merge_across_zone_boundaries(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.page_shift = 16;	/* max order 13: 512 MiB blocks, DMA is only 256 pages */
	cfg.ram_bytes = 1 * GiB;
	m = test_boot_cfg(&cfg);
	assert_int_equal(m->max_order, 13);
	assert_true(buddy_check(m));	/* checks every block lies inside its zone */
	for (unsigned int o = 9; o <= m->max_order; o++)
		assert_int_equal(m->pgdat->node_zones[ZONE_DMA].free_area[o].nr_free, 0);
	tuxmm_machine_destroy(m);
}

/* The formulas of Linux's calculate_min_free_kbytes and __setup_per_zone_wmarks. */
static void watermarks_follow_linux_formula(void **state)
{
	struct machine *m = test_boot(2 * GiB);
	unsigned long lowmem = 0, pages_min, lowmem_kb = 0;
	struct zone *zone;

	(void)state;
	for_each_zone(m, zone) {
		lowmem += zone->managed_pages;
		lowmem_kb += zone->managed_pages * 4;
	}
	assert_int_equal(m->min_free_kbytes, (unsigned long)sqrt((double)lowmem_kb * 16));
	pages_min = m->min_free_kbytes / 4;
	for_each_zone(m, zone) {
		unsigned long min, tmp;

		if (!managed_zone(zone))
			continue;
		min = pages_min * zone->managed_pages / lowmem;
		tmp = min / 4 > zone->managed_pages / 1000 ? min / 4 : zone->managed_pages / 1000;
		assert_int_equal(min_wmark_pages(zone), min);
		assert_int_equal(low_wmark_pages(zone), min + tmp);
		assert_int_equal(high_wmark_pages(zone), min + 2 * tmp);
		assert_int_equal(promo_wmark_pages(zone), min + 3 * tmp);
	}
	/* protection: DMA keeps back DMA32's managed pages / 256 from DMA32 allocations. */
	assert_int_equal(m->pgdat->node_zones[ZONE_DMA].lowmem_reserve[ZONE_DMA32],
			 m->pgdat->node_zones[ZONE_DMA32].managed_pages / 256);
	tuxmm_machine_destroy(m);
}

static void min_free_kbytes_override_is_honoured(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.min_free_kbytes = 8192;
	m = test_boot_cfg(&cfg);
	assert_int_equal(m->min_free_kbytes, 8192);
	assert_int_equal(min_wmark_pages(&m->pgdat->node_zones[ZONE_DMA]) +
				 min_wmark_pages(&m->pgdat->node_zones[ZONE_DMA32]),
			 2048 - 1);	/* rounding down in each zone's share */
	tuxmm_machine_destroy(m);
}

static void pcp_lists_refill_and_drain_in_batches(void **state)
{
	struct machine *m = test_boot(1 * GiB);
	struct zone *zone = &m->pgdat->node_zones[ZONE_DMA32];
	struct per_cpu_pages *pcp = &zone->pcp[0];
	struct page **pages;
	int batch = pcp->batch, n = pcp->high + batch;

	(void)state;
	assert_int_equal(batch, 63);	/* ~0.1% of the zone as 2^n - 1, as Linux sizes it */
	drain_all_pages(m);
	pages = calloc((size_t)n, sizeof(*pages));
	pages[0] = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(pcp->count, batch - 1);	/* one refill of a batch, one page used */
	for (int i = 1; i < n; i++)
		pages[i] = alloc_pages(m, GFP_KERNEL, 0);
	drain_all_pages(m);
	assert_int_equal(pcp->count, 0);
	for (int i = 0; i < n; i++) {
		__free_pages(m, pages[i], 0);
		assert_true(pcp->count < pcp->high);	/* reaching high gives a batch back */
	}
	assert_true(pcp->count >= pcp->high - batch);
	assert_true(buddy_check(m));
	free(pages);
	tuxmm_machine_destroy(m);
}

/* The heads of one zone's free lists, in list order: what a refill can take. */
#define MODEL_HEADS 128
struct free_model {
	unsigned long pfn[NR_ORDERS_LIMIT][MODEL_HEADS];
	int len[NR_ORDERS_LIMIT];
};

static void model_snapshot(struct machine *m, struct zone *zone, struct free_model *fm)
{
	for (unsigned int o = 0; o <= m->max_order; o++) {
		struct page *page;

		fm->len[o] = 0;
		list_for_each_entry(page, &zone->free_area[o].free_list, lru) {
			if (fm->len[o] == MODEL_HEADS)
				break;
			fm->pfn[o][fm->len[o]++] = page_to_pfn(m, page);
		}
	}
}

/* Linux's __rmqueue_smallest(zone, 0) on the model: the smallest block's first page. */
static unsigned long model_rmqueue(struct free_model *fm)
{
	unsigned int o = 0;
	unsigned long pfn;

	while (!fm->len[o])
		o++;
	pfn = fm->pfn[o][0];
	memmove(&fm->pfn[o][0], &fm->pfn[o][1], (size_t)--fm->len[o] * sizeof(pfn));
	while (o-- > 0) {	/* expand(): each upper half goes to the head of its list */
		memmove(&fm->pfn[o][1], &fm->pfn[o][0], (size_t)fm->len[o]++ * sizeof(pfn));
		fm->pfn[o][0] = pfn + (1UL << o);
	}
	return pfn;
}

/*
 * A refill takes a batch at once, yet must leave what a page-at-a-time
 * refill leaves: the same pages in the same order on the per-CPU list, the
 * same blocks in the same order on every free list (buddyinfo, the next
 * allocations), from free lists fragmented at random.
 */
static void pcp_refill_matches_page_at_a_time_buddy_allocation(void **state)
{
	struct machine *m = test_boot(256 * MiB);
	struct zone *zone = &m->pgdat->node_zones[ZONE_DMA32];
	struct per_cpu_pages *pcp = &zone->pcp[0];
	uint64_t rng = test_seed();
	struct page *live[512] = { 0 };
	unsigned int order[512];
	struct free_model fm;

	(void)state;
	for (int round = 0; round < 40; round++) {
		unsigned long want[64];
		struct page *page;
		int n = 0;

		for (int step = 0; step < 300; step++) {
			int i = (int)(test_rand(&rng) % 512);

			if (live[i]) {
				__free_pages(m, live[i], order[i]);
				live[i] = NULL;
			} else {
				order[i] = (unsigned int)(test_rand(&rng) % 5);
				live[i] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, order[i]);
			}
		}
		drain_all_pages(m);
		model_snapshot(m, zone, &fm);
		for (int i = 0; i < pcp->batch; i++)
			want[i] = model_rmqueue(&fm);
		page = alloc_pages(m, GFP_KERNEL, 0);	/* refills a batch, takes the first */
		assert_int_equal(page_to_pfn(m, page), want[0]);
		assert_int_equal(pcp->count, pcp->batch - 1);
		list_for_each_entry(page, &pcp->list, lru)
			assert_int_equal(page_to_pfn(m, page), want[++n]);
		for (unsigned int o = 0; o <= m->max_order; o++) {
			struct page *p;
			int k = 0;

			list_for_each_entry(p, &zone->free_area[o].free_list, lru) {
				if (k == fm.len[o])
					break;
				assert_int_equal(page_to_pfn(m, p), fm.pfn[o][k++]);
			}
		}
		__free_pages(m, pfn_to_page(m, want[0]), 0);
		assert_true(buddy_check(m));
	}
	for (int i = 0; i < 512; i++)
		if (live[i])
			__free_pages(m, live[i], order[i]);
	tuxmm_machine_destroy(m);
}

static void pcp_lists_are_per_cpu(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;
	struct page *a, *b;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.ram_bytes = 1 * GiB;
	m = test_boot_cfg(&cfg);
	a = alloc_pages(m, GFP_KERNEL, 0);
	m->cur_cpu = 1;
	b = alloc_pages(m, GFP_KERNEL, 0);
	assert_ptr_not_equal(a, b);
	assert_true(m->pgdat->node_zones[ZONE_DMA32].pcp[0].count > 0);
	assert_true(m->pgdat->node_zones[ZONE_DMA32].pcp[1].count > 0);
	__free_pages(m, a, 0);	/* freed on CPU 1's list */
	__free_pages(m, b, 0);
	assert_true(buddy_check(m));
	tuxmm_machine_destroy(m);
}

static void contiguous_range_beyond_max_order(void **state)
{
	struct machine *m = test_boot(256 * MiB);
	unsigned long free_before, nr = 3000;	/* ~11.7 MiB: more than one order-10 block */
	struct page *page;

	(void)state;
	drain_all_pages(m);
	free_before = nr_free_pages(m);
	page = alloc_contig_pages(m, nr, GFP_KERNEL);
	assert_non_null(page);
	for (unsigned long i = 0; i < nr; i++) {
		assert_int_equal(page_ref_count(page + i), 1);
		assert_false(PageBuddy(page + i));
	}
	assert_int_equal(nr_free_pages(m), free_before - nr);
	assert_true(buddy_check(m));
	free_contig_range(m, page_to_pfn(m, page), nr);
	drain_all_pages(m);
	assert_int_equal(nr_free_pages(m), free_before);
	assert_true(buddy_check(m));
	/* A range larger than RAM cannot be found, and says so. */
	assert_null(alloc_contig_pages(m, 1UL << 20, GFP_KERNEL | __GFP_NOWARN));
	tuxmm_machine_destroy(m);
}

static void fragmentation_blocks_higher_orders(void **state)
{
	struct machine *m = test_boot(16 * MiB);
	struct page **pages = calloc(1UL << 16, sizeof(*pages));
	unsigned long before[MAX_NR_ZONES][NR_ORDERS_LIMIT], after[MAX_NR_ZONES][NR_ORDERS_LIMIT];
	unsigned long n = 0, free_before, free_full;

	(void)state;
	drain_all_pages(m);
	free_before = nr_free_pages(m);
	while ((pages[n] = alloc_pages(m, GFP_ATOMIC | __GFP_NOWARN, 0)))
		n++;
	assert_true(n > 1000);
	drain_all_pages(m);
	free_full = nr_free_pages(m);
	snapshot_free_areas(m, before);
	/* Free every other page: half the memory is free, yet no two pages are buddies. */
	for (unsigned long i = 0; i < n; i += 2)
		__free_pages(m, pages[i], 0);
	drain_all_pages(m);
	snapshot_free_areas(m, after);
	assert_int_equal(nr_free_pages(m), free_full + (n + 1) / 2);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned int o = 1; o <= m->max_order; o++)
			assert_int_equal(after[z][o], before[z][o]);
	for (unsigned long i = 1; i < n; i += 2)
		__free_pages(m, pages[i], 0);
	drain_all_pages(m);
	assert_int_equal(nr_free_pages(m), free_before);
	assert_non_null(pages[0] = alloc_pages(m, GFP_KERNEL, m->max_order));
	__free_pages(m, pages[0], m->max_order);
	assert_true(buddy_check(m));
	free(pages);
	tuxmm_machine_destroy(m);
}

static void exhaustion_fails_cleanly_above_min_watermark(void **state)
{
	struct machine *m = *state;
	unsigned long n = 0, free_at_fail, min_total = 0;
	struct page **pages = calloc(1UL << 15, sizeof(*pages));
	struct zone *zone;

	while ((pages[n] = alloc_pages(m, GFP_KERNEL, 0)))
		n++;
	free_at_fail = nr_free_pages(m);
	for_each_zone(m, zone)
		min_total += min_wmark_pages(zone);
	/* GFP_KERNEL stops at the min watermarks (plus DMA's lowmem reserve). */
	assert_true(free_at_fail >= min_total);
	assert_non_null(strstr(tuxmm_dmesg(m),
			       "page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)"));
	assert_true(m->vm_events[ALLOCSTALL_NORMAL] > 0);
	/* __GFP_HIGH (GFP_ATOMIC) may dip below min: it still gets a page. */
	pages[n] = alloc_pages(m, GFP_ATOMIC, 0);
	assert_non_null(pages[n]);
	n++;
	while (n--)
		__free_pages(m, pages[n], 0);
	assert_true(buddy_check(m));
	free(pages);
}

static void nowarn_failure_logs_nothing(void **state)
{
	struct machine *m = *state;
	size_t log_len = strlen(tuxmm_dmesg(m));

	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, m->max_order + 1));
	assert_int_equal(strlen(tuxmm_dmesg(m)), log_len);
	assert_null(alloc_pages(m, GFP_KERNEL, m->max_order + 1));
	assert_non_null(strstr(tuxmm_dmesg(m), "page allocation failure: order:11"));
}

static void gfp_zero_clears_the_page(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL, 1);
	uint8_t *p = page_address(m, page);

	memset(p, 0x5a, 2 * m->page_size);
	__free_pages(m, page, 1);
	page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 1);
	p = page_address(m, page);
	for (unsigned long i = 0; i < 2 * m->page_size; i++)
		assert_int_equal(p[i], 0);
	__free_pages(m, page, 1);
}

static void double_free_is_reported_not_corrupting(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL, 2);

	__free_pages(m, page, 2);
	__free_pages(m, page, 2);
	assert_non_null(strstr(tuxmm_dmesg(m), "BUG: Bad page state"));
	assert_non_null(strstr(tuxmm_dmesg(m), "double free"));
	assert_true(buddy_check(m));
}

static void compound_pages_share_one_reference(void **state)
{
	struct machine *m = *state;
	struct page *head = alloc_pages(m, GFP_KERNEL | __GFP_COMP, 3);
	unsigned long free_before;

	assert_true(PageHead(head));
	for (int i = 1; i < 8; i++)
		assert_ptr_equal(compound_head(head + i), head);
	assert_int_equal(compound_order(head), 3);
	get_page(head + 5);	/* a reference through a tail page pins the head */
	assert_int_equal(page_ref_count(head), 2);
	put_page(m, head + 2);
	drain_all_pages(m);
	free_before = nr_free_pages(m);
	put_page(m, head);
	assert_int_equal(nr_free_pages(m), free_before + 8);
	assert_false(PageTail(head + 1));
	assert_true(buddy_check(m));
}

#ifndef TUXMM_ASAN
/* Under ASan the write below is itself the error ASan reports; see the poison test. */
static void write_after_free_is_caught_by_page_poisoning(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	uint8_t *p = page_address(m, page);

	__free_pages(m, page, 0);
	p[100] = 0x42;	/* a stale pointer writes into the freed page */
	assert_ptr_equal(alloc_pages(m, GFP_KERNEL, 0), page);	/* hot pcp page comes back */
	assert_non_null(strstr(tuxmm_dmesg(m), "memory corruption"));
	__free_pages(m, page, 0);
}
#else
#include <sanitizer/asan_interface.h>
static void write_after_free_is_caught_by_page_poisoning(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	uint8_t *p = page_address(m, page);

	assert_false(__asan_address_is_poisoned(p + 100));
	__free_pages(m, page, 0);
	assert_true(__asan_address_is_poisoned(p + 100));	/* any access is an ASan report */
}
#endif

/* A workload that must clean up after any failed allocation. */
static bool workload(struct machine *m)
{
	struct page *pages[40];
	unsigned int orders[40];
	bool ok = true;
	int n;

	for (n = 0; n < 40; n++) {
		orders[n] = (unsigned int)(n % 5);
		pages[n] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, orders[n]);
		if (!pages[n]) {
			ok = false;
			break;
		}
	}
	while (n-- > 0)
		__free_pages(m, pages[n], orders[n]);
	return ok;
}

static void fail_nth_sweep_leaks_nothing(void **state)
{
	struct machine *m = *state;
	unsigned long base;
	unsigned long nth;

	drain_all_pages(m);
	base = nr_free_pages(m);
	for (nth = 1;; nth++) {
		bool ok;

		m->fail_page_alloc.fail_nth = nth;
		ok = workload(m);
		drain_all_pages(m);
		assert_true(buddy_check(m));
		assert_int_equal(nr_free_pages(m), base);
		if (ok)
			break;
		assert_int_equal(m->fail_page_alloc.nr_failed, nth);
	}
	assert_int_equal(nth, 41);	/* every one of the 40 allocations was failed once */
	m->fail_page_alloc.fail_nth = 0;
}

static void random_stress_keeps_invariants(void **state)
{
	struct machine *m = *state;
	uint64_t rng = test_seed();
	struct page *live[256] = { 0 };
	unsigned int order[256];
	unsigned long base;

	drain_all_pages(m);
	base = nr_free_pages(m);
	for (int step = 0; step < 4000; step++) {
		int i = (int)(test_rand(&rng) % 256);

		if (live[i]) {
			__free_pages(m, live[i], order[i]);
			live[i] = NULL;
		} else {
			order[i] = (unsigned int)(test_rand(&rng) % 6);
			live[i] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, order[i]);
		}
		if (step % 16 == 0)
			m->cur_cpu = 0;
		if (!buddy_check(m))
			fail_msg("buddy_check failed at step %d (seed %llu)", step,
				 (unsigned long long)test_seed());
	}
	for (int i = 0; i < 256; i++)
		if (live[i])
			__free_pages(m, live[i], order[i]);
	drain_all_pages(m);
	assert_int_equal(nr_free_pages(m), base);
}

static void machine_of_64g_boots_on_a_smaller_host(void **state)
{
	struct machine *m = test_boot(64 * GiB);
	struct page *page;

	(void)state;
	assert_true(totalram_pages(m) > (63 * GiB) >> 12);
	assert_true(totalram_pages(m) < (64 * GiB) >> 12);
	page = alloc_pages(m, GFP_KERNEL, 10);
	assert_non_null(page);
	__free_pages(m, page, 10);
	tuxmm_machine_destroy(m);
}

static void bad_configs_are_refused_with_a_message(void **state)
{
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 1 * MiB;
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err, "out of range"));
	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 0;
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	tuxmm_config_init(&cfg);
	cfg.page_shift = 13;
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_non_null(strstr(err, "page size"));
}

static void reservations_are_placed_and_checked(void **state)
{
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	assert_int_equal(tuxmm_parse_reservation("camera:4M@0x1000000", &cfg.reserve[0], err), 0);
	assert_int_equal(tuxmm_parse_reservation("dsp:1M", &cfg.reserve[1], err), 0);
	cfg.nr_reserve = 2;
	m = test_boot_cfg(&cfg);
	assert_true(memblock_is_region_reserved(m, 0x1000000, 4 * MiB));
	/* The fixed area never reaches the buddy allocator. */
	for (unsigned long pfn = 0x1000; pfn < 0x1400; pfn++)
		assert_true(PageReserved(pfn_to_page(m, pfn)));
	tuxmm_machine_destroy(m);

	/* Overlapping the first MiB, outside RAM, and too big: each refused. */
	assert_int_equal(tuxmm_parse_reservation("bios:4K@0x2000", &cfg.reserve[0], err), 0);
	cfg.nr_reserve = 1;
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_non_null(strstr(err, "overlaps"));
	assert_int_equal(tuxmm_parse_reservation("far:4K@0x80000000", &cfg.reserve[0], err), 0);
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_non_null(strstr(err, "not inside usable RAM"));
	assert_int_equal(tuxmm_parse_reservation("huge:64M", &cfg.reserve[0], err), 0);
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_non_null(strstr(err, "does not fit"));
	/* All of free RAM fits, but then the kernel's page array does not. */
	assert_int_equal(tuxmm_parse_reservation("greedy:63M", &cfg.reserve[0], err), 0);
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -ENOMEM);
	assert_non_null(strstr(err, "page array"));
}

static void sizes_parse_like_linux_mem_option(void **state)
{
	uint64_t v;
	char err[TUXMM_ERRMSG_MAX];
	struct tuxmm_reservation r;

	(void)state;
	assert_int_equal(tuxmm_parse_size("64M", &v), 0);
	assert_int_equal(v, 64 * MiB);
	assert_int_equal(tuxmm_parse_size("65536K", &v), 0);
	assert_int_equal(v, 64 * MiB);
	assert_int_equal(tuxmm_parse_size("1G", &v), 0);
	assert_int_equal(v, GiB);
	assert_int_equal(tuxmm_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(tuxmm_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(tuxmm_parse_size("banana", &v), -EINVAL);
	assert_int_equal(tuxmm_parse_size("", &v), -EINVAL);
	assert_int_equal(tuxmm_parse_size("12Q", &v), -EINVAL);
	assert_int_equal(tuxmm_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(tuxmm_parse_reservation("nocolon", &r, err), -EINVAL);
	assert_int_equal(tuxmm_parse_reservation(":4M", &r, err), -EINVAL);
	assert_int_equal(tuxmm_parse_reservation("x:0", &r, err), -EINVAL);
	assert_int_equal(tuxmm_parse_reservation("x:4M@zz", &r, err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(zones_of_64m_machine_match_linux_layout,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(struct_page_array_comes_from_simulated_ram,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(every_order_splits_aligned_and_merges_back,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(freed_buddies_coalesce, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(zone_modifiers_pick_the_zone, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test(zones_above_4g_and_the_pci_hole),
		cmocka_unit_test(large_pages_never_merge_across_zone_boundaries),
		cmocka_unit_test(watermarks_follow_linux_formula),
		cmocka_unit_test(min_free_kbytes_override_is_honoured),
		cmocka_unit_test(pcp_lists_refill_and_drain_in_batches),
		cmocka_unit_test(pcp_refill_matches_page_at_a_time_buddy_allocation),
		cmocka_unit_test(pcp_lists_are_per_cpu),
		cmocka_unit_test(contiguous_range_beyond_max_order),
		cmocka_unit_test(fragmentation_blocks_higher_orders),
		cmocka_unit_test_setup_teardown(exhaustion_fails_cleanly_above_min_watermark,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(nowarn_failure_logs_nothing, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(gfp_zero_clears_the_page, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(double_free_is_reported_not_corrupting,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(compound_pages_share_one_reference,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(write_after_free_is_caught_by_page_poisoning,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fail_nth_sweep_leaks_nothing, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(random_stress_keeps_invariants, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test(machine_of_64g_boots_on_a_smaller_host),
		cmocka_unit_test(bad_configs_are_refused_with_a_message),
		cmocka_unit_test(reservations_are_placed_and_checked),
		cmocka_unit_test(sizes_parse_like_linux_mem_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
