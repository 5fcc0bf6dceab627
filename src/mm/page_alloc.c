/*
 * page_alloc.c - the buddy page allocator: zones, free lists of orders
 * 0..MAX_PAGE_ORDER, per-CPU lists of order-0 pages, watermarks.
 * Follows Linux mm/page_alloc.c (one node, no migratetypes).
 * Keeps: a free block of order k is 2^k-aligned, inside one zone, its head
 * PG_buddy with private == k; no two free buddies of the same order coexist;
 * NR_FREE_PAGES equals the pages on the free lists (per-CPU pages are not free).
 */
#include <errno.h>
#include <string.h>

#include "memblock.h"
#include "mm.h"
#include "oom.h"
#include "printk.h"
#include "report.h"
#include "swap.h"

enum alloc_flags {
	ALLOC_WMARK_MIN = WMARK_MIN,
	ALLOC_WMARK_LOW = WMARK_LOW,
	ALLOC_WMARK_HIGH = WMARK_HIGH,
	ALLOC_WMARK_MASK = 3,
	ALLOC_MIN_RESERVE = 0x10,	/* __GFP_HIGH: may dip to half of min */
	ALLOC_NO_WATERMARKS = 0x20,
	ALLOC_OOM = 0x40,		/* an OOM victim: may dip to half of min (oom_kill.c) */
};

static unsigned int pageblock_order(const struct machine *m)
{
	/* The PMD order, capped: 9 for 4 KiB pages, 11 for 16 KiB, 13 for 64 KiB. */
	unsigned int order = m->page_shift - 3;

	return order < m->max_order ? order : m->max_order;
}

/* ---- free lists ---- */

static void account_free(struct machine *m, struct zone *zone, unsigned int order, long sign)
{
	long nr = sign * (long)(1UL << order);

	zone->vm_stat[NR_FREE_PAGES] += nr;
	if (order >= pageblock_order(m))
		zone->vm_stat[NR_FREE_PAGES_BLOCKS] += nr;
}

static void add_to_free_list(struct machine *m, struct zone *zone, struct page *page,
			     unsigned int order, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	SetPageFlag(page, PG_buddy);
	page->private = order;
	if (tail)
		list_add_tail(&page->lru, &area->free_list);
	else
		list_add(&page->lru, &area->free_list);
	area->nr_free++;
	account_free(m, zone, order, 1);
}

static void del_from_free_list(struct machine *m, struct zone *zone, struct page *page,
			       unsigned int order)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
	zone->free_area[order].nr_free--;
	account_free(m, zone, order, -1);
}

static bool page_is_buddy(struct zone *zone, struct page *buddy, unsigned int order,
			  unsigned int zid)
{
	(void)zone;
	return PageBuddy(buddy) && buddy->private == order && page_zonenum(buddy) == zid;
}

/* __free_one_page - put a block back, merging with its free buddy while one exists. */
static void __free_one_page(struct machine *m, struct zone *zone, unsigned long pfn,
			    unsigned int order)
{
	unsigned int zid = (unsigned int)zone_idx(zone);
	unsigned long end = zone_end_pfn(zone);
	bool to_tail = false;

	while (order < m->max_order) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (buddy_pfn < zone->zone_start_pfn || buddy_pfn >= end)
			break;
		buddy = pfn_to_page(m, buddy_pfn);
		if (!page_is_buddy(zone, buddy, order, zid))
			break;
		del_from_free_list(m, zone, buddy, order);
		pfn &= buddy_pfn;
		order++;
	}
	/*
	 * If the next-larger buddy is free, this block is likely to merge soon:
	 * queue it at the tail so it is allocated last (Linux's buddy_merge_likely).
	 */
	if (order < m->max_order - 1) {
		unsigned long higher = (pfn & ~((2UL << order) - 1)) ^ (2UL << order);

		if (higher >= zone->zone_start_pfn && higher < end &&
		    page_is_buddy(zone, pfn_to_page(m, higher), order + 1, zid))
			to_tail = true;
	}
	add_to_free_list(m, zone, pfn_to_page(m, pfn), order, to_tail);
}

/* expand - split a 2^high block down to 2^low, returning the upper halves. */
static void expand(struct machine *m, struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(m, zone, page + size, high, false);
	}
}

/* take_smallest_block - off its free list, the first block of the smallest order >= @order. */
static struct page *take_smallest_block(struct machine *m, struct zone *zone, unsigned int order,
					unsigned int *found)
{
	for (unsigned int o = order; o <= m->max_order; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_list(m, zone, page, o);
		*found = o;
		return page;
	}
	return NULL;
}

static struct page *__rmqueue_smallest(struct machine *m, struct zone *zone, unsigned int order)
{
	unsigned int found;
	struct page *page = take_smallest_block(m, zone, order, &found);

	if (page)
		expand(m, zone, page, order, found);
	return page;
}

/* ---- per-CPU lists ---- */

/*
 * rmqueue_bulk - refill @pcp with up to @count order-0 pages, in the order
 * and leaving the free lists exactly as @count calls of
 * __rmqueue_smallest(zone, 0) would (Linux's rmqueue_bulk). Every order below
 * the smallest non-empty one is empty, so those calls hand out the block's
 * pages in pfn order and leave free only the largest aligned blocks of what
 * they did not take: take the block at once, and free the rest in one pass
 * rather than splitting it a page at a time. Out of line: it runs once a
 * batch, and inline it would cost every allocation registers.
 */
static __attribute__((noinline)) int rmqueue_bulk(struct machine *m, struct zone *zone, int count,
						  struct per_cpu_pages *pcp)
{
	int taken = 0;

	while (taken < count) {
		unsigned int order, o;
		unsigned long nr, start;
		struct page *page = take_smallest_block(m, zone, 0, &order);

		if (!page)
			break;
		nr = 1UL << order;
		if (nr > (unsigned long)(count - taken))
			nr = (unsigned long)(count - taken);
		/* The rest, [nr, 2^order), as blocks of growing order (each its list's only one). */
		for (o = 0, start = nr; start < 1UL << order; o++) {
			if (start & (1UL << o)) {
				add_to_free_list(m, zone, page + start, o, false);
				start += 1UL << o;
			}
		}
		for (unsigned long i = 0; i < nr; i++) {
			SetPageFlag(&page[i], PG_pcp);
			list_add_tail(&page[i].lru, &pcp->list);
		}
		taken += (int)nr;
	}
	pcp->count += taken;
	return taken;
}

/* free_pcppages_bulk - give @count of the coldest pages back to the buddy lists. */
static void free_pcppages_bulk(struct machine *m, struct zone *zone, int count,
			       struct per_cpu_pages *pcp)
{
	while (count-- > 0 && !list_empty(&pcp->list)) {
		struct page *page = list_last_entry(&pcp->list, struct page, lru);

		list_del(&page->lru);
		ClearPageFlag(page, PG_pcp);
		pcp->count--;
		__free_one_page(m, zone, page_to_pfn(m, page), 0);
	}
}

static void drain_zone_pages(struct machine *m, struct zone *zone)
{
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		free_pcppages_bulk(m, zone, zone->pcp[cpu].count, &zone->pcp[cpu]);
}

void drain_all_pages(struct machine *m)
{
	struct zone *zone;

	for_each_zone(m, zone)
		if (managed_zone(zone))
			drain_zone_pages(m, zone);
}

unsigned long nr_pcp_pages(struct machine *m)
{
	unsigned long nr = 0;
	struct zone *zone;

	for_each_zone(m, zone) {
		if (!managed_zone(zone))
			continue;
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
			nr += (unsigned long)zone->pcp[cpu].count;
	}
	return nr;
}

static inline struct page *rmqueue_pcplist(struct machine *m, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->pcp[m->cur_cpu];
	struct page *page;

	if (likely(!list_empty(&pcp->list))) {
		pcp->alloc_hits++;
	} else if (!rmqueue_bulk(m, zone, pcp->batch, pcp)) {
		return NULL;
	}
	page = list_first_entry(&pcp->list, struct page, lru);
	list_del(&page->lru);
	ClearPageFlag(page, PG_pcp);
	pcp->count--;
	return page;
}

static void free_unref_page(struct machine *m, struct zone *zone, struct page *page)
{
	struct per_cpu_pages *pcp = &zone->pcp[m->cur_cpu];

	SetPageFlag(page, PG_pcp);
	list_add(&page->lru, &pcp->list);
	if (++pcp->count >= pcp->high)
		free_pcppages_bulk(m, zone, pcp->batch, pcp);
}

/* ---- allocation ---- */

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if ((gfp & (__GFP_HIGHMEM | __GFP_MOVABLE)) == (__GFP_HIGHMEM | __GFP_MOVABLE))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

/*
 * Same test as Linux's __zone_watermark_ok(), without CMA and highatomic
 * reserves. Out of line: zone_watermark_fast() settles nearly every request.
 */
static __attribute__((noinline)) bool __zone_watermark_ok(struct machine *m, struct zone *z,
							  unsigned int order, unsigned long mark,
							  enum zone_type highest,
							  unsigned int alloc_flags)
{
	long min = (long)mark;
	long free_pages = z->vm_stat[NR_FREE_PAGES] - (long)(1UL << order) + 1;

	if (alloc_flags & ALLOC_MIN_RESERVE)
		min -= min / 2;
	if (alloc_flags & ALLOC_OOM)
		min -= min / 2;
	if (free_pages <= min + z->lowmem_reserve[highest])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o <= m->max_order; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/*
 * zone_watermark_fast - Linux's: an order-0 request that clears the mark
 * without the reserves it may dip into passes the full test too, since those
 * only lower the mark; only the others need __zone_watermark_ok().
 */
static inline bool zone_watermark_fast(struct machine *m, struct zone *z, unsigned int order,
				       unsigned long mark, enum zone_type highest,
				       unsigned int alloc_flags)
{
	if (likely(!order) && z->vm_stat[NR_FREE_PAGES] > (long)mark + z->lowmem_reserve[highest])
		return true;
	return __zone_watermark_ok(m, z, order, mark, highest, alloc_flags);
}

/* rmqueue - Linux's: order-0 pages from this CPU's list, larger blocks from the buddy lists. */
static inline struct page *rmqueue(struct machine *m, struct zone *zone, unsigned int order)
{
	if (likely(!order))
		return rmqueue_pcplist(m, zone);
	return __rmqueue_smallest(m, zone, order);
}

static void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	SetPageFlag(page, PG_head);
	for (unsigned long i = 1; i < nr; i++) {
		page[i].compound_head = (unsigned long)page | 1;
		page[i]._tail_pad = 0;
	}
	page[1].compound_order = order;
}

static void check_poison(struct machine *m, struct page *page)
{
	const uint8_t *p = page_address(m, page);

	ClearPageFlag(page, PG_poisoned);
	for (unsigned long i = 0; i < m->page_size; i++) {
		if (p[i] != PAGE_POISON) {
			printk(m, "pagealloc: memory corruption at pfn %#lx offset %#lx: "
				  "%#04x written after free",
			       page_to_pfn(m, page), i, p[i]);
			return;
		}
	}
}

/*
 * prep_new_page - make a block from the free lists ready for its user.
 * Free pages are kept clean (see free_pages_prepare), so only the head needs
 * setting up; DEBUG_VM builds check every page, and their poison.
 */
static inline void prep_new_page(struct machine *m, struct page *page, unsigned int order,
				 gfp_t gfp)
{
	unsigned long nr = 1UL << order;
	size_t bytes = nr << m->page_shift;
	void *addr = page_address(m, page);

	kasan_unpoison(addr, bytes);
	if (IS_ENABLED_DEBUG_VM) {
		for (unsigned long i = 0; i < nr; i++) {
			struct page *p = page + i;

			if (PageFlag(p, PG_poisoned))
				check_poison(m, p);
			VM_BUG_ON_PAGE(p->_refcount || p->_mapcount != -1 || p->mapping, m, p);
		}
	}
	page->flags &= ZONES_MASK << ZONES_SHIFT;
	page->private = 0;
	page->_refcount = 1;
	if (gfp & __GFP_ZERO)
		memset(addr, 0, bytes);
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
}

/*
 * get_page_from_freelist - a block from the first zone, highest allowed first,
 * that clears the watermark of @alloc_flags. Inline: alloc_pages()'s first try
 * is every allocation's path (the slow path's copies are cold).
 */
static inline __attribute__((always_inline)) struct page *
get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned int order, unsigned int alloc_flags)
{
	enum zone_type highest = gfp_zone(gfp);
	/* Linux's zonelist holds populated zones only: start at the highest one allowed. */
	int first = (int)highest < m->pgdat->nr_zones ? (int)highest : m->pgdat->nr_zones - 1;

	for (int zid = first; zid >= 0; zid--) {
		struct zone *zone = &m->pgdat->node_zones[zid];
		struct page *page;

		if (!managed_zone(zone))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(m, zone, order,
					 zone->_watermark[alloc_flags & ALLOC_WMARK_MASK], highest,
					 alloc_flags))
			continue;
		page = rmqueue(m, zone, order);
		if (!page)
			continue;
		prep_new_page(m, page, order, gfp);
		m->vm_events[PGALLOC_DMA + zid] += 1UL << order;
		return page;
	}
	return NULL;
}

/*
 * Reclaim hooks (vmscan.c): kswapd is woken here and runs at the machine's
 * next step; direct reclaim frees pages for this allocation now.
 */
#define MAX_RECLAIM_RETRIES 16

static void wake_all_kswapds(struct machine *m, unsigned int order, enum zone_type highest)
{
	(void)highest;
	wakeup_kswapd(m, order);
}

static unsigned long __alloc_pages_direct_reclaim(struct machine *m, gfp_t gfp, unsigned int order)
{
	unsigned long progress = try_to_free_pages(m, gfp, order);

	drain_all_pages(m);
	return progress;
}

static void warn_alloc(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct report r;
	char comm[24];

	report_init(&r);
	gfp_format(&r, gfp);
	printk(m, "%s: page allocation failure: order:%u, mode:%s, nodemask=(null)",
	       current_comm(m, comm, sizeof(comm)), order, r.buf ? r.buf : "?");
	report_free(&r);
}

/*
 * __alloc_pages_may_oom - reclaim failed: kill a task (oom_kill.c) and retry
 * while that frees memory, for the allocations Linux lets the OOM killer
 * serve; the victim allocating on its way out may dip into the reserves.
 */
static struct page *__alloc_pages_may_oom(struct machine *m, gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags)
{
	struct page *page = NULL;

	/*
	 * Reclaim's own allocations never kill (Linux: PF_MEMALLOC goes to nopage);
	 * swapoff's would kill its own caller first (oom_origin): it fails instead.
	 */
	if (m->swap.in_reclaim || m->swap.in_swapoff)
		return NULL;
	if (!(gfp & __GFP_DIRECT_RECLAIM) || order > PAGE_ALLOC_COSTLY_ORDER ||
	    (gfp & (__GFP_NORETRY | __GFP_RETRY_MAYFAIL | __GFP_THISNODE)) ||
	    gfp_zone(gfp) < ZONE_NORMAL)
		return NULL;
	while (!page && out_of_memory(m, gfp, order)) {
		if (oom_reserves_allowed(m))
			return get_page_from_freelist(m, gfp, order, alloc_flags | ALLOC_OOM);
		page = get_page_from_freelist(m, gfp, order, alloc_flags);
	}
	return page;
}

/* Out of line: alloc_pages() saves no registers for the rare case it fails at the low mark. */
static __attribute__((noinline)) struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp,
								      unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;
	struct page *page;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		wake_all_kswapds(m, order, gfp_zone(gfp));
	page = get_page_from_freelist(m, gfp, order, alloc_flags);
	if (page)
		return page;
	/* Direct reclaim, again while it makes progress (Linux's should_reclaim_retry). */
	for (int retries = 0; (gfp & __GFP_DIRECT_RECLAIM) && !m->swap.in_reclaim &&
	     retries < MAX_RECLAIM_RETRIES; retries++) {
		unsigned long progress;

		m->vm_events[ALLOCSTALL_DMA + gfp_zone(gfp)]++;
		progress = __alloc_pages_direct_reclaim(m, gfp, order);
		page = get_page_from_freelist(m, gfp, order, alloc_flags);
		if (page)
			return page;
		if (!progress || (gfp & __GFP_NORETRY))
			break;
	}
	page = __alloc_pages_may_oom(m, gfp, order, alloc_flags);
	if (page)
		return page;
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(m, gfp, order);
	return NULL;
}

struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (unlikely(order > m->max_order)) {
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(m, gfp, order);
		return NULL;
	}
	if (unlikely(m->fail_page_alloc.fail_nth) && !(gfp & __GFP_NOFAIL) &&
	    should_fail(&m->fail_page_alloc))
		return NULL;
	page = get_page_from_freelist(m, gfp, order, ALLOC_WMARK_LOW);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(m, gfp, order);
}

/* ---- freeing ---- */

static void bad_page(struct machine *m, struct page *page, const char *reason)
{
	printk(m, "BUG: Bad page state: pfn:%#lx refcount:%d mapcount:%d flags:%#lx: %s",
	       page_to_pfn(m, page), page->_refcount, page_mapcount(page),
	       page->flags & ((1UL << NR_PAGEFLAGS) - 1), reason);
}

static bool free_page_is_bad(struct machine *m, struct page *page)
{
	const unsigned long bad_flags = BIT(PG_buddy) | BIT(PG_pcp) | BIT(PG_slab) |
					BIT(PG_reserved) | BIT(PG_lru) | BIT(PG_locked);

	if (page->flags & bad_flags) {
		bad_page(m, page, "freeing a page with bad flags");
		return true;
	}
	if (page->_mapcount != -1) {
		bad_page(m, page, "freeing a mapped page");
		return true;
	}
	return false;
}

/*
 * free_pages_prepare - clean a block being freed, so that every page on the
 * free lists has only its zone bits, no references and no mapping.
 */
static void free_pages_prepare(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;
	void *addr = page_address(m, page);

	if (PageHead(page)) {
		for (unsigned long i = 1; i < nr; i++)
			page[i].compound_head = 0;
		page[1].compound_order = 0;
	}
	page->flags &= ZONES_MASK << ZONES_SHIFT;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	if (IS_ENABLED_DEBUG_VM) {
		for (unsigned long i = 0; i < nr; i++)
			SetPageFlag(&page[i], PG_poisoned);
		memset(addr, PAGE_POISON, nr << m->page_shift);
	}
	kasan_poison(addr, nr << m->page_shift);
	m->vm_events[PGFREE] += nr;
}

static void free_the_page(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);

	/* Tails are checked in DEBUG_VM builds; a bad page is leaked, as Linux does. */
	for (unsigned long i = 0; i < (IS_ENABLED_DEBUG_VM ? 1UL << order : 1); i++)
		if (free_page_is_bad(m, page + i))
			return;
	free_pages_prepare(m, page, order);
	if (order == 0)
		free_unref_page(m, zone, page);
	else
		__free_one_page(m, zone, page_to_pfn(m, page), order);
}

void __free_pages(struct machine *m, struct page *page, unsigned int order)
{
	if (unlikely(page->_refcount <= 0)) {
		bad_page(m, page, page->_refcount == 0 ? "double free" : "negative refcount");
		return;
	}
	if (--page->_refcount == 0) {
		/* Linux's __folio_put(): page->lru is the free lists' link from here on. */
		if (PageFlag(page, PG_lru))
			__page_cache_release(m, page);
		free_the_page(m, page, order);
	}
}

void *get_free_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(m, gfp & ~__GFP_HIGHMEM, order);

	return page ? page_address(m, page) : NULL;
}

void *get_zeroed_page(struct machine *m, gfp_t gfp)
{
	return get_free_pages(m, gfp | __GFP_ZERO, 0);
}

void free_pages(struct machine *m, void *addr, unsigned int order)
{
	if (addr)
		__free_pages(m, virt_to_page(m, addr), order);
}

/* __free_pages_core - hand a boot-time block to the buddy allocator. */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++) {
		ClearPageFlag(&page[i], PG_reserved);
		page[i]._refcount = 0;
		page[i]._mapcount = -1;
	}
	zone->managed_pages += nr;
	m->totalram_pages += nr;
	__free_one_page(m, zone, page_to_pfn(m, page), order);
}

/* ---- contiguous ranges beyond MAX_PAGE_ORDER ---- */

/* The free block containing @pfn, if any: its head pfn and order. */
static bool find_free_block(struct machine *m, struct zone *zone, unsigned long pfn,
			    unsigned long *head, unsigned int *order)
{
	for (unsigned int o = 0; o <= m->max_order; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		struct page *p;

		if (h < zone->zone_start_pfn)
			break;
		p = pfn_to_page(m, h);
		/* A free block of order o covering pfn has its head at exactly h. */
		if (PageBuddy(p) && p->private == o) {
			*head = h;
			*order = o;
			return true;
		}
	}
	return false;
}

/* Take [start, start + nr) off the free lists; every page in it is free. */
static void isolate_range(struct machine *m, struct zone *zone, unsigned long start,
			  unsigned long nr)
{
	unsigned long pfn = start, end = start + nr;

	while (pfn < end) {
		unsigned long head = pfn, bend;
		unsigned int order = 0;
		bool found = find_free_block(m, zone, pfn, &head, &order);

		VM_BUG_ON(!found);
		(void)found;
		bend = head + (1UL << order);
		del_from_free_list(m, zone, pfn_to_page(m, head), order);
		/* Give back what lies outside the range, page by page merging up. */
		for (unsigned long p = head; p < bend; p++)
			if (p < start || p >= end)
				__free_one_page(m, zone, p, 0);
		pfn = bend;
	}
}

static bool range_is_free(struct machine *m, struct zone *zone, unsigned long start,
			  unsigned long nr, unsigned long *next)
{
	unsigned long pfn = start, end = start + nr;

	while (pfn < end) {
		unsigned long head;
		unsigned int order;

		if (!find_free_block(m, zone, pfn, &head, &order)) {
			*next = pfn + 1;
			return false;
		}
		pfn = head + (1UL << order);
	}
	return true;
}

struct page *alloc_contig_pages(struct machine *m, unsigned long nr_pages, gfp_t gfp)
{
	enum zone_type highest = gfp_zone(gfp);

	if (!nr_pages)
		return NULL;
	if (m->fail_page_alloc.fail_nth && should_fail(&m->fail_page_alloc))
		return NULL;
	drain_all_pages(m);
	for (int zid = (int)highest; zid >= 0; zid--) {
		struct zone *zone = &m->pgdat->node_zones[zid];
		unsigned long align = rounddown_pow_of_two(nr_pages);
		unsigned long pfn, next;

		if (!managed_zone(zone) ||
		    !__zone_watermark_ok(m, zone, 0, min_wmark_pages(zone) + nr_pages, highest, 0))
			continue;
		if (align > (1UL << m->max_order))
			align = 1UL << m->max_order;
		pfn = ALIGN_UP(zone->zone_start_pfn, align);
		while (pfn + nr_pages <= zone_end_pfn(zone)) {
			if (range_is_free(m, zone, pfn, nr_pages, &next)) {
				struct page *page = pfn_to_page(m, pfn);

				isolate_range(m, zone, pfn, nr_pages);
				for (unsigned long i = 0; i < nr_pages; i++)
					prep_new_page(m, page + i, 0, gfp & ~__GFP_COMP);
				m->vm_events[PGALLOC_DMA + zid] += nr_pages;
				return page;
			}
			pfn = ALIGN_UP(next, align);
		}
	}
	if (!(gfp & __GFP_NOWARN))
		printk(m, "tuxmm: alloc_contig_pages: no free range of %lu pages", nr_pages);
	return NULL;
}

void free_contig_range(struct machine *m, unsigned long pfn, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++)
		__free_pages(m, pfn_to_page(m, pfn + i), 0);
}

/* ---- validation ---- */

static bool check_fail(struct machine *m, const char *what, unsigned long pfn)
{
	printk(m, "buddy_check: %s (pfn %#lx)", what, pfn);
	return false;
}

bool buddy_check(struct machine *m)
{
	struct zone *zone;

	for_each_zone(m, zone) {
		unsigned long free = 0, blocks = 0;

		if (!managed_zone(zone))
			continue;
		for (unsigned int o = 0; o <= m->max_order; o++) {
			struct free_area *area = &zone->free_area[o];
			unsigned long n = 0;
			struct page *page;

			list_for_each_entry(page, &area->free_list, lru) {
				unsigned long pfn = page_to_pfn(m, page);
				unsigned long buddy = pfn ^ (1UL << o);

				if (!PageBuddy(page) || page->private != o)
					return check_fail(m, "free-list page not marked buddy", pfn);
				if (!IS_ALIGNED(pfn, 1UL << o))
					return check_fail(m, "free block misaligned", pfn);
				if (!zone_spans_pfn(zone, pfn) ||
				    pfn + (1UL << o) > zone_end_pfn(zone))
					return check_fail(m, "free block outside its zone", pfn);
				if (page_zonenum(page) != (unsigned int)zone_idx(zone))
					return check_fail(m, "free block in the wrong zone", pfn);
				if (page->_refcount != 0)
					return check_fail(m, "free page with references", pfn);
				if (o < m->max_order && zone_spans_pfn(zone, buddy) &&
				    PageBuddy(pfn_to_page(m, buddy)) &&
				    pfn_to_page(m, buddy)->private == o)
					return check_fail(m, "two free buddies not merged", pfn);
				for (unsigned long i = 1; i < (1UL << o); i++)
					if (PageBuddy(page + i) || PageReserved(page + i))
						return check_fail(m, "free block overlaps", pfn + i);
				n++;
			}
			if (n != area->nr_free)
				return check_fail(m, "nr_free does not match the list", o);
			free += n << o;
			if (o >= pageblock_order(m))
				blocks += n << o;
		}
		if ((long)free != zone->vm_stat[NR_FREE_PAGES])
			return check_fail(m, "NR_FREE_PAGES does not match the free lists", free);
		if ((long)blocks != zone->vm_stat[NR_FREE_PAGES_BLOCKS])
			return check_fail(m, "NR_FREE_PAGES_BLOCKS is off", blocks);
		for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = &zone->pcp[cpu];
			struct page *page;
			int n = 0;

			list_for_each_entry(page, &pcp->list, lru) {
				if (!PageFlag(page, PG_pcp) || page_zone(m, page) != zone)
					return check_fail(m, "bad page on a per-CPU list",
							  page_to_pfn(m, page));
				n++;
			}
			if (n != pcp->count)
				return check_fail(m, "per-CPU count does not match its list", cpu);
		}
	}
	return true;
}

unsigned long nr_free_pages(struct machine *m)
{
	return global_zone_page_state(m, NR_FREE_PAGES);
}

unsigned long totalram_pages(const struct machine *m)
{
	return m->totalram_pages;
}

void dump_page(struct machine *m, struct page *page, const char *reason)
{
	fprintf(stderr, "page:pfn %#lx refcount:%d mapcount:%d flags:%#lx (%s)\n",
		page_to_pfn(m, page), page->_refcount, page_mapcount(page), page->flags, reason);
}
