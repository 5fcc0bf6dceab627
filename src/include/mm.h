/*
 * mm.h - the page allocator's interface and page <-> address helpers.
 * Follows Linux include/linux/gfp.h and mm.h; every call takes its machine.
 */
#ifndef TUXMM_MM_H
#define TUXMM_MM_H

#include "debug.h"
#include "gfp.h"
#include "machine.h"
#include "mm_types.h"
#include "mmzone.h"

#define PAGE_POISON 0xaa	/* freed pages are filled with it under DEBUG_VM */

static inline unsigned long page_to_pfn(const struct machine *m, const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}
static inline struct page *pfn_to_page(const struct machine *m, unsigned long pfn)
{
	return m->mem_map + pfn;
}
static inline bool pfn_valid(const struct machine *m, unsigned long pfn)
{
	return pfn < m->max_pfn;
}
static inline phys_addr_t page_to_phys(const struct machine *m, const struct page *page)
{
	return (phys_addr_t)page_to_pfn(m, page) << m->page_shift;
}

/* __va / __pa - the direct map: a physical address and its host pointer. */
static inline void *__va(const struct machine *m, phys_addr_t pa)
{
	return m->ram + pa;
}
static inline phys_addr_t __pa(const struct machine *m, const void *p)
{
	return (phys_addr_t)((const uint8_t *)p - m->ram);
}
static inline void *page_address(const struct machine *m, const struct page *page)
{
	return m->ram + ((size_t)page_to_pfn(m, page) << m->page_shift);
}
static inline struct page *virt_to_page(const struct machine *m, const void *p)
{
	return pfn_to_page(m, (unsigned long)(__pa(m, p) >> m->page_shift));
}
static inline bool virt_addr_valid(const struct machine *m, const void *p)
{
	const uint8_t *b = p;

	return b >= m->ram && b < m->ram + m->phys_size;
}

static inline struct zone *page_zone(const struct machine *m, const struct page *page)
{
	return &m->pgdat->node_zones[page_zonenum(page)];
}

/*
 * alloc_pages - 2^@order physically contiguous pages, or NULL.
 * Fast path above the low watermark, slow path down to min (wakes kswapd,
 * then direct reclaim when @gfp allows it), never below.
 */
struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order);
void __free_pages(struct machine *m, struct page *page, unsigned int order);

/*
 * put_page - drop a reference to @page's block; the last one frees it.
 * Inline as in Linux: most drops (a copy-on-write fault's two on the old
 * page) are not the last, and __free_pages() does the rest, checks included.
 */
static inline void put_page(struct machine *m, struct page *page)
{
	struct page *head = compound_head(page);

	if (likely(head->_refcount > 1)) {
		head->_refcount--;
		return;
	}
	__free_pages(m, head, compound_order(head));
}

/* Host pointers (through the direct map) instead of struct page. */
void *get_free_pages(struct machine *m, gfp_t gfp, unsigned int order);
void *get_zeroed_page(struct machine *m, gfp_t gfp);
void free_pages(struct machine *m, void *addr, unsigned int order);

/* alloc_contig_pages - @nr_pages contiguous pages, any count (beyond MAX_PAGE_ORDER too). */
struct page *alloc_contig_pages(struct machine *m, unsigned long nr_pages, gfp_t gfp);
void free_contig_range(struct machine *m, unsigned long pfn, unsigned long nr_pages);

/* __show_mem - log the "Mem-Info:" report (show_mem.c), as the OOM killer does. */
void __show_mem(struct machine *m);

/* drain_all_pages - return every CPU's per-CPU pages to the buddy lists. */
void drain_all_pages(struct machine *m);

/* buddy_check - validate free lists, counts and buddy invariants; message on failure. */
bool buddy_check(struct machine *m);

unsigned long nr_free_pages(struct machine *m);
unsigned long totalram_pages(const struct machine *m);
/* nr_pcp_pages - order-0 pages sitting on per-CPU lists (not free to Linux's counters). */
unsigned long nr_pcp_pages(struct machine *m);

/* Boot: zones and watermarks from memblock's map. */
int free_area_init(struct machine *m);
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void zone_pcp_init(struct machine *m);
void __free_pages_core(struct machine *m, struct page *page, unsigned int order);
unsigned long si_mem_available(struct machine *m);

void dump_page(struct machine *m, struct page *page, const char *reason);

#endif
