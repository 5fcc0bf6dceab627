/*
 * vmscan.c - the page-out policy: which pages leave memory, and when.
 * Follows Linux mm/vmscan.c without MGLRU or memcg: the active and inactive
 * lists of anonymous and file pages, aging by the accessed bits found through
 * the reverse map (page_referenced), a second chance for a page referenced
 * once, swappiness balancing anon against file, kswapd woken below the low
 * watermark and reclaiming to the high one, direct reclaim below min.
 * The paging mechanism for one page is reclaim_folio(); choosing the pages
 * (shrink_*_list) is separate: a machine booted with another policy (CLOCK,
 * FIFO, LRU, random: src/mm/policy) picks its victims in shrink_policy().
 * Keeps: a page being reclaimed is off the lists (isolated) with a reference
 * held; every page isolated goes back on a list or is freed.
 */
#include <errno.h>

#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mm_inline.h"
#include "pagemap.h"
#include "policy.h"
#include "printk.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"
#include "vmstat.h"

#define DEF_PRIORITY		12	/* scan lru_size >> priority per pass, down to 0 */
#define SWAP_CLUSTER_MAX	32UL	/* pages per batch, and direct reclaim's goal */
#define SWAPPINESS_DEFAULT	60

/* One reclaim run (Linux's struct scan_control). */
struct scan_control {
	gfp_t gfp_mask;			/* allowed I/O: __GFP_IO (swap), __GFP_FS (files) */
	unsigned long nr_to_reclaim;	/* pages: stop after this many */
	unsigned long nr_reclaimed;	/* pages freed so far */
	unsigned long nr_scanned;	/* inactive pages looked at so far */
	int priority;			/* DEF_PRIORITY .. 0 */
	bool kswapd;			/* counts go to *_kswapd, else *_direct */
};

/* ---- isolation ---- */

int isolate_lru_page(struct machine *m, struct page *page)
{
	if (!PageFlag(page, PG_lru))
		return -EBUSY;
	get_page(page);
	del_page_from_lru_list(m, page);
	ClearPageFlag(page, PG_lru);
	return 0;
}

void putback_lru_page(struct machine *m, struct page *page)
{
	SetPageFlag(page, PG_lru);
	add_page_to_lru_list(m, page);
	if (unlikely(m->swap.mpolicy))
		mpolicy_page_sync(m, page);
	put_page(m, page);
}

/* ---- the mechanism ---- */

/* page_is_lazyfree - MADV_FREE'd anonymous memory: discarded, never written, when clean. */
static bool page_is_lazyfree(const struct page *page)
{
	return PageAnon(page) && !PageSwapBacked(page);
}

/* page_is_shmem - a swap-backed page-cache page (shared anonymous memory). */
static bool page_is_shmem(const struct page *page)
{
	return PageSwapBacked(page) && page->mapping && !PageAnon(page) &&
	       !PageFlag(page, PG_swapcache);
}

/* pageout_file - write dirty file @page (unmapped) back. 0 or -errno, still dirty. */
static int pageout_file(struct machine *m, struct page *page, gfp_t gfp)
{
	int err;

	if (!(gfp & __GFP_FS))
		return -EBUSY;
	err = write_one_page(page);
	if (err)
		return err;
	mod_node_page_state(m, NR_VMSCAN_WRITE, 1);
	return 0;
}

/*
 * pageout_swap_run - write the dirty swap cache pages @pages[0..@nr), whose
 * slots follow each other, in one host call. On failure every one stays
 * dirty in the swap cache: nothing is lost. 0 or -errno.
 */
static int pageout_swap_run(struct machine *m, struct page **pages, unsigned int nr, gfp_t gfp)
{
	int err;

	if (!(gfp & __GFP_IO))
		return -EBUSY;
	for (unsigned int i = 0; i < nr; i++) {
		ClearPageFlag(pages[i], PG_dirty);
		SetPageFlag(pages[i], PG_locked);
	}
	err = swap_write_pages(m, page_swap_entry(pages[0]), pages, nr);
	for (unsigned int i = 0; i < nr; i++) {
		ClearPageFlag(pages[i], PG_locked);
		if (err)
			SetPageFlag(pages[i], PG_dirty);
	}
	if (!err)
		mod_node_page_state(m, NR_VMSCAN_WRITE, (long)nr);
	return err;
}

/* __remove_mapping - the last step: out of the swap or page cache, leaving a shadow. */
static int __remove_mapping(struct machine *m, struct page *page)
{
	/* Ours and the cache's: any other reference is a user's (a fault, a pin). */
	if (page_ref_count(page) != 2 || page_mapped(page))
		return -EAGAIN;
	if (PageFlag(page, PG_swapcache)) {
		swp_entry_t entry = page_swap_entry(page);
		unsigned int *shadow = swap_shadow(m, entry);

		if (shadow && swap_count(m, entry))
			*shadow = workingset_eviction(m, page);
		delete_from_swap_cache(m, page);
	} else {
		workingset_remember_file(m, page, workingset_eviction(m, page));
		delete_from_page_cache(page);
	}
	return 0;
}

/*
 * reclaim_prepare - the first half of reclaim_folio: a slot for an anonymous
 * page, then every mapping removed. 0: go on; 1: freed already (a clean
 * lazily freed page); -errno: kept.
 */
static int reclaim_prepare(struct machine *m, struct page *page, gfp_t gfp)
{
	bool lazyfree = page_is_lazyfree(page);
	int err;

	if (PageFlag(page, PG_locked) || PageFlag(page, PG_writeback) ||
	    PageFlag(page, PG_unevictable) || PageFlag(page, PG_mlocked))
		return -EBUSY;
	if (page_is_shmem(page)) {
		/* Its PTEs are cleared as a file page's; then it goes to the swap cache. */
		if (!(gfp & __GFP_IO) || !PageUptodate(page))
			return -EBUSY;
		if (page_mapped(page) && !try_to_unmap(m, page))
			return -EAGAIN;
		return shmem_writeout(m, page);
	}
	if (!PageSwapBacked(page) && !lazyfree && (!page->mapping || !PageUptodate(page)))
		return -EBUSY;	/* a file page being read, or truncated meanwhile */
	if (PageSwapBacked(page) && !PageFlag(page, PG_swapcache)) {
		if (!(gfp & __GFP_IO))
			return -EBUSY;
		err = add_to_swap(m, page);
		if (err)
			return err;
	}
	if (page_mapped(page) && !try_to_unmap(m, page)) {
		if (lazyfree && PageDirty(page))
			SetPageFlag(page, PG_swapbacked);	/* written again: keep it */
		return -EAGAIN;
	}
	if (!lazyfree)
		return 0;
	if (PageDirty(page)) {
		SetPageFlag(page, PG_swapbacked);
		return -EAGAIN;
	}
	if (page_ref_count(page) != 1)
		return -EAGAIN;
	count_vm_events(m, PGLAZYFREED, 1);
	put_page(m, page);
	return 1;
}

/*
 * swap_run_length - how many of @pages[i..@nr), still going (@err 0), are
 * dirty swap cache pages in consecutive slots.
 */
static unsigned int swap_run_length(struct page **pages, unsigned int i, unsigned int nr,
				    const int *err)
{
	unsigned int n = 0;

	while (i + n < nr && !err[i + n] && PageFlag(pages[i + n], PG_swapcache) &&
	       PageDirty(pages[i + n]) &&
	       (!n || page_swap_entry(pages[i + n]).val == page_swap_entry(pages[i]).val + n))
		n++;
	return n;
}

void reclaim_folios(struct machine *m, struct page **pages, unsigned int nr, gfp_t gfp, int *err)
{
	for (unsigned int i = 0; i < nr; i++)
		err[i] = reclaim_prepare(m, pages[i], gfp);
	/* The writes: runs of consecutive swap slots go out together (Linux's bio plugging). */
	for (unsigned int i = 0; i < nr;) {
		unsigned int run = swap_run_length(pages, i, nr, err);

		if (run) {
			int e = pageout_swap_run(m, pages + i, run, gfp);

			for (unsigned int k = i; k < i + run; k++)
				err[k] = e;
			i += run;
			continue;
		}
		if (!err[i] && PageDirty(pages[i]) && !PageFlag(pages[i], PG_swapcache))
			err[i] = pageout_file(m, pages[i], gfp);
		i++;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (err[i] == 1) {
			err[i] = 0;
			continue;
		}
		if (!err[i])
			err[i] = __remove_mapping(m, pages[i]);
		if (!err[i])
			put_page(m, pages[i]);
	}
}

int reclaim_folio(struct machine *m, struct page *page, gfp_t gfp)
{
	int err;

	reclaim_folios(m, &page, 1, gfp, &err);
	return err;
}

int reclaim_page(struct machine *m, struct page *page)
{
	int err = isolate_lru_page(m, page);

	if (err)
		return err;
	err = reclaim_folio(m, page, GFP_KERNEL);
	if (err)
		putback_lru_page(m, page);
	return err;
}

/* ---- choosing the victims: Linux's lists ---- */

static int swappiness(struct machine *m)
{
	return m->tasks.ready ? m->tasks.sysctl.swappiness : SWAPPINESS_DEFAULT;
}

static long lru_size(struct machine *m, enum lru_list lru)
{
	return global_node_page_state(m, (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

/* can_reclaim_anon_pages - a free swap slot to write to (else reclaim passes anon pages over). */
static bool can_reclaim_anon_pages(struct machine *m, const struct scan_control *sc)
{
	return nr_swap_pages(m) > 0 && (sc->gfp_mask & __GFP_IO);
}

static void count_scan(struct machine *m, const struct scan_control *sc, bool file,
		       unsigned long scanned, unsigned long stolen)
{
	count_vm_events(m, sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, scanned);
	count_vm_events(m, file ? PGSCAN_FILE : PGSCAN_ANON, scanned);
	count_vm_events(m, sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, stolen);
	count_vm_events(m, file ? PGSTEAL_FILE : PGSTEAL_ANON, stolen);
}

/* isolate_lru_pages - up to @nr pages from the tail (the oldest end) of @lru onto @dst. */
static unsigned long isolate_lru_pages(struct machine *m, enum lru_list lru, unsigned long nr,
				       struct list_head *dst)
{
	struct list_head *src = &page_lruvec(m)->lists[lru];
	unsigned long taken = 0;

	while (taken < nr && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);

		isolate_lru_page(m, page);
		list_add_tail(&page->lru, dst);
		taken++;
	}
	return taken;
}

static void activate_isolated(struct machine *m, struct page *page)
{
	SetPageFlag(page, PG_active);
	workingset_age(m);
	count_vm_events(m, PGACTIVATE, 1);
}

/* cull_mlocked - a locked area maps @page: it goes to the unevictable list. */
static void cull_mlocked(struct machine *m, struct page *page)
{
	ClearPageFlag(page, PG_active);
	SetPageFlag(page, PG_unevictable);
	if (!PageFlag(page, PG_mlocked)) {
		SetPageFlag(page, PG_mlocked);
		mod_zone_page_state(page_zone(m, page), NR_MLOCK, 1);
	}
	count_vm_events(m, UNEVICTABLE_PGCULLED, 1);
}

enum page_references { PAGEREF_RECLAIM, PAGEREF_KEEP, PAGEREF_ACTIVATE, PAGEREF_CULL };

/*
 * page_check_references - Linux's folio_check_references(): a page found
 * young in some PTE is activated if it is anonymous, was referenced before
 * (PG_referenced: its second chance is used), or several PTEs saw it, or it
 * is executable file text; otherwise it keeps its second chance on the
 * inactive list. A page no PTE saw is reclaimed.
 */
static enum page_references page_check_references(struct machine *m, struct page *page)
{
	unsigned long vm_flags = 0;
	int refs = page_referenced(m, page, &vm_flags);
	bool ref_page = PageFlag(page, PG_referenced);

	if (vm_flags & VM_LOCKED)
		return PAGEREF_CULL;
	ClearPageFlag(page, PG_referenced);
	if (refs) {
		if (PageSwapBacked(page) || ref_page || refs > 1 || (vm_flags & VM_EXEC))
			return PAGEREF_ACTIVATE;
		SetPageFlag(page, PG_referenced);
		return PAGEREF_KEEP;
	}
	/* Referenced by a read() but no mapping: a clean file page may go, a dirty one waits. */
	if (ref_page && !PageSwapBacked(page) && PageDirty(page))
		return PAGEREF_KEEP;
	return PAGEREF_RECLAIM;
}

/* shrink_inactive_list - scan @nr (<= SWAP_CLUSTER_MAX) pages of an inactive list; pages freed. */
static unsigned long shrink_inactive_list(struct machine *m, struct scan_control *sc,
					  enum lru_list lru, unsigned long nr)
{
	struct page *page, *next, *victims[SWAP_CLUSTER_MAX];
	int err[SWAP_CLUSTER_MAX];
	unsigned long scanned, reclaimed = 0;
	unsigned int nr_victims = 0;
	struct list_head hold = LIST_HEAD_INIT(hold);

	scanned = isolate_lru_pages(m, lru, nr < SWAP_CLUSTER_MAX ? nr : SWAP_CLUSTER_MAX, &hold);
	list_for_each_entry_safe(page, next, &hold, lru) {
		list_del(&page->lru);
		switch (page_check_references(m, page)) {
		case PAGEREF_CULL:
			cull_mlocked(m, page);
			break;
		case PAGEREF_ACTIVATE:
			activate_isolated(m, page);
			break;
		case PAGEREF_KEEP:
			break;
		case PAGEREF_RECLAIM:
			victims[nr_victims++] = page;
			continue;
		}
		putback_lru_page(m, page);
	}
	reclaim_folios(m, victims, nr_victims, sc->gfp_mask, err);
	for (unsigned int i = 0; i < nr_victims; i++) {
		page = victims[i];
		if (!err[i]) {
			reclaimed++;
			continue;
		}
		/* Swap full: anonymous pages wait on the active list (activate_locked). */
		if (PageSwapBacked(page) && !PageFlag(page, PG_swapcache) &&
		    !can_reclaim_anon_pages(m, sc))
			activate_isolated(m, page);
		putback_lru_page(m, page);
	}
	sc->nr_scanned += scanned;
	sc->nr_reclaimed += reclaimed;
	count_scan(m, sc, lru == LRU_INACTIVE_FILE, scanned, reclaimed);
	return reclaimed;
}

/*
 * shrink_active_list - age @nr pages of an active list: each leaves for the
 * inactive list (its accessed bits cleared on the way), except executable
 * file text found young, which stays (Linux 6.x's rule).
 */
static void shrink_active_list(struct machine *m, enum lru_list lru, unsigned long nr)
{
	struct page *page, *next;
	unsigned long taken;
	struct list_head hold = LIST_HEAD_INIT(hold);

	taken = isolate_lru_pages(m, lru, nr, &hold);
	count_vm_events(m, PGREFILL, taken);
	list_for_each_entry_safe(page, next, &hold, lru) {
		unsigned long vm_flags = 0;
		int refs = page_referenced(m, page, &vm_flags);

		list_del(&page->lru);
		if (vm_flags & VM_LOCKED) {
			cull_mlocked(m, page);
		} else if (refs && (vm_flags & VM_EXEC) && !PageSwapBacked(page)) {
			/* stays active */
		} else {
			ClearPageFlag(page, PG_active);
			ClearPageFlag(page, PG_referenced);
			count_vm_events(m, PGDEACTIVATE, 1);
		}
		putback_lru_page(m, page);
	}
}

/* inactive_is_low - Linux's: inactive below active / sqrt(10 * GiB) (ratio 1 under 1 GiB). */
static bool inactive_is_low(struct machine *m, enum lru_list inactive)
{
	unsigned long ia = (unsigned long)lru_size(m, inactive);
	unsigned long act = (unsigned long)lru_size(m, inactive + LRU_ACTIVE);
	unsigned long gb = (ia + act) >> (30 - m->page_shift), ratio = 1;

	if (gb)
		while ((ratio + 1) * (ratio + 1) <= 10 * gb)
			ratio++;
	return ia * ratio < act;
}

/*
 * get_scan_count - how many pages of each evictable list this pass scans:
 * size >> priority, shared between anon and file as swappiness says
 * (anon weight swappiness, file weight 200 - swappiness); anon not at all
 * when nothing can be swapped, file not at all when swappiness is 200.
 */
static void get_scan_count(struct machine *m, struct scan_control *sc, unsigned long nr[])
{
	unsigned long ap = (unsigned long)swappiness(m), fp = 200 - ap;
	enum lru_list lru;

	if (!can_reclaim_anon_pages(m, sc)) {
		ap = 0;
		fp = 1;
	} else if (!lru_size(m, LRU_INACTIVE_FILE) && !lru_size(m, LRU_ACTIVE_FILE)) {
		ap = 1;
		fp = 0;
	}
	for (lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
		unsigned long size = (unsigned long)lru_size(m, lru);
		unsigned long scan = size >> sc->priority, w = lru >= LRU_INACTIVE_FILE ? fp : ap;

		/* At the lowest priorities a small list is scanned whole. */
		if (!scan && sc->priority < 2)
			scan = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
		nr[lru] = ap + fp ? (scan * w + ap + fp - 1) / (ap + fp) : 0;
		if (!w)
			nr[lru] = 0;
	}
}

/* shrink_lruvec - one pass over the lists at sc->priority. */
static void shrink_lruvec(struct machine *m, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS] = { 0 };
	enum lru_list lru;
	bool more = true;

	get_scan_count(m, sc, nr);
	while (more) {
		more = false;
		for (lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
			unsigned long batch = min_t(unsigned long, nr[lru], SWAP_CLUSTER_MAX);

			if (!batch)
				continue;
			nr[lru] -= batch;
			more = true;
			if (is_active_lru(lru)) {
				if (inactive_is_low(m, lru - LRU_ACTIVE))
					shrink_active_list(m, lru, batch);
			} else {
				shrink_inactive_list(m, sc, lru, batch);
			}
		}
		/* Linux stops early too, but for direct reclaim's first, proportional pass. */
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	/* Keep the anon lists balanced even when this pass did not evict them (Linux does). */
	if (can_reclaim_anon_pages(m, sc) && inactive_is_low(m, LRU_INACTIVE_ANON))
		shrink_active_list(m, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX);
}

/* ---- choosing the victims: another policy's method table ---- */

/*
 * policy_scan_one - what becomes of @page, isolated by the policy: true if it is a
 * victim to reclaim; otherwise it went back (culled if a locked area maps it) and the
 * policy sees it loaded anew, which is how it is told to pass it over.
 */
static bool policy_scan_one(struct machine *m, struct scan_control *sc, struct page *page)
{
	unsigned long vm_flags = 0;
	int refs = page_referenced(m, page, &vm_flags);

	if (vm_flags & VM_LOCKED)
		cull_mlocked(m, page);
	else if (refs && mpolicy_learns_references(m))
		;	/* exact LRU: used since it was loaded, it becomes the newest */
	else if (PageSwapBacked(page) && !PageFlag(page, PG_swapcache) &&
		 !can_reclaim_anon_pages(m, sc))
		;	/* no slot to write it to */
	else if (m->swap.in_swapoff && PageFlag(page, PG_swapcache) &&
		 !(m->swap.swap_info[swp_type(page_swap_entry(page))]->flags & SWP_WRITEOK))
		;	/* swapoff brought it back from there: it stays (see docs/swap.md) */
	else
		return true;
	putback_lru_page(m, page);
	return false;
}

/*
 * shrink_policy - one pass at sc->priority for a machine booted with another
 * policy: ask it for up to its pages >> priority victims (a batch at least),
 * no more at a time than are still wanted, reclaim them in batches (runs of
 * swap slots written together), and put back what cannot go now.
 */
static void shrink_policy(struct machine *m, struct scan_control *sc)
{
	unsigned long nr_to_scan = mpolicy_nr_pages(m) >> sc->priority;

	if (nr_to_scan < SWAP_CLUSTER_MAX)
		nr_to_scan = SWAP_CLUSTER_MAX;
	while (nr_to_scan && sc->nr_reclaimed < sc->nr_to_reclaim) {
		unsigned long scanned[2] = { 0 }, stolen[2] = { 0 };
		unsigned long want = sc->nr_to_reclaim - sc->nr_reclaimed;
		struct page *victims[SWAP_CLUSTER_MAX], *page;
		int err[SWAP_CLUSTER_MAX];
		bool file[SWAP_CLUSTER_MAX];	/* a freed victim's flags are gone */
		unsigned int nr = 0;

		/* No more victims than still wanted: the policy's order decides, not a batch. */
		if (want > SWAP_CLUSTER_MAX)
			want = SWAP_CLUSTER_MAX;
		while (nr < want && nr_to_scan && (page = mpolicy_isolate_victim(m))) {
			nr_to_scan--;
			file[nr] = !PageSwapBacked(page);
			scanned[file[nr]]++;
			if (policy_scan_one(m, sc, page))
				victims[nr++] = page;
		}
		reclaim_folios(m, victims, nr, sc->gfp_mask, err);
		for (unsigned int i = 0; i < nr; i++) {
			if (!err[i]) {
				stolen[file[i]]++;
				sc->nr_reclaimed++;
			} else {
				putback_lru_page(m, victims[i]);
			}
		}
		sc->nr_scanned += scanned[0] + scanned[1];
		count_scan(m, sc, false, scanned[0], stolen[0]);
		count_scan(m, sc, true, scanned[1], stolen[1]);
		if (!scanned[0] && !scanned[1])
			break;	/* the policy holds no page */
	}
}

/* shrink_node - one pass of whichever policy the machine was booted with. */
static void shrink_node(struct machine *m, struct scan_control *sc)
{
	if (unlikely(m->swap.mpolicy))
		shrink_policy(m, sc);
	else
		shrink_lruvec(m, sc);
}

/* ---- kswapd and direct reclaim ---- */

/* zone_balanced - free pages above @mark plus what @zone keeps back from @classzone allocations. */
static bool zone_balanced(struct zone *zone, unsigned long mark, int classzone)
{
	return zone->vm_stat[NR_FREE_PAGES] > (long)mark + zone->lowmem_reserve[classzone];
}

/* pgdat_balanced - Linux's: some zone a user page may come from is above its high mark. */
static bool pgdat_balanced(struct machine *m)
{
	struct zone *zone;

	for_each_zone(m, zone)
		if (managed_zone(zone) && zone_balanced(zone, high_wmark_pages(zone), ZONE_MOVABLE))
			return true;
	return false;
}

/* kswapd_target - Linux's kswapd_shrink_node(): the high watermarks (SWAP_CLUSTER_MAX at least). */
static unsigned long kswapd_target(struct machine *m)
{
	unsigned long nr = 0;
	struct zone *zone;

	for_each_zone(m, zone)
		if (managed_zone(zone))
			nr += high_wmark_pages(zone) > SWAP_CLUSTER_MAX ? high_wmark_pages(zone) :
									  SWAP_CLUSTER_MAX;
	return nr;
}

/* do_try_to_free_pages - passes at rising priority until enough is freed. */
static unsigned long do_try_to_free_pages(struct machine *m, struct scan_control *sc)
{
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		shrink_node(m, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	return sc->nr_reclaimed;
}

unsigned long balance_pgdat(struct machine *m, unsigned int order)
{
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .kswapd = true };
	bool was_in_reclaim = m->swap.in_reclaim;

	(void)order;
	count_vm_events(m, PAGEOUTRUN, 1);
	m->swap.in_reclaim = true;
	drain_all_pages(m);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0 && !pgdat_balanced(m); sc.priority--) {
		unsigned long before = sc.nr_reclaimed;

		sc.nr_to_reclaim = sc.nr_reclaimed + kswapd_target(m);
		shrink_node(m, &sc);
		drain_all_pages(m);
		/* Enough came back at this priority: try it again before scanning harder. */
		if (sc.nr_reclaimed - before >= SWAP_CLUSTER_MAX && sc.priority < DEF_PRIORITY)
			sc.priority++;
	}
	m->swap.in_reclaim = was_in_reclaim;
	return sc.nr_reclaimed;
}

void wakeup_kswapd(struct machine *m, unsigned int order)
{
	if (m->swap.in_reclaim)
		return;
	if (!m->swap.kswapd_wanted || order > m->swap.kswapd_order)
		m->swap.kswapd_order = order;
	m->swap.kswapd_wanted = true;
}

unsigned long kswapd_step(struct machine *m)
{
	if (!m->swap.kswapd_wanted || m->swap.in_reclaim)
		return 0;
	m->swap.kswapd_wanted = false;
	m->swap.nr_kswapd_runs++;
	return balance_pgdat(m, m->swap.kswapd_order);
}

unsigned long try_to_free_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct scan_control sc = {
		.gfp_mask = gfp,
		.nr_to_reclaim = SWAP_CLUSTER_MAX << order,
	};
	unsigned long freed;

	/* Reclaim's own allocations never reclaim (Linux's PF_MEMALLOC). */
	if (m->swap.in_reclaim)
		return 0;
	m->swap.in_reclaim = true;
	freed = do_try_to_free_pages(m, &sc);
	m->swap.in_reclaim = false;
	return freed;
}

unsigned long shrink_all_memory(struct machine *m, unsigned long nr_pages)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nr_to_reclaim = nr_pages,
		.kswapd = true,
	};

	if (m->swap.in_reclaim)
		return 0;
	m->swap.in_reclaim = true;
	do_try_to_free_pages(m, &sc);
	m->swap.in_reclaim = false;
	drain_all_pages(m);
	return sc.nr_reclaimed;
}

/* ---- madvise ---- */

void madvise_cold_page(struct machine *m, struct page *page)
{
	if (isolate_lru_page(m, page))
		return;
	page_referenced(m, page, NULL);
	if (PageFlag(page, PG_active) && !PageFlag(page, PG_unevictable)) {
		ClearPageFlag(page, PG_active);
		count_vm_events(m, PGDEACTIVATE, 1);
	}
	ClearPageFlag(page, PG_referenced);
	putback_lru_page(m, page);
}

void reclaim_batch_flush(struct machine *m, struct reclaim_batch *batch)
{
	int err[RECLAIM_BATCH];

	reclaim_folios(m, batch->pages, batch->nr, GFP_KERNEL, err);
	for (unsigned int i = 0; i < batch->nr; i++)
		if (err[i])
			putback_lru_page(m, batch->pages[i]);
	batch->nr = 0;
}

void reclaim_batch_add(struct machine *m, struct reclaim_batch *batch, struct page *page)
{
	if (isolate_lru_page(m, page))
		return;
	batch->pages[batch->nr++] = page;
	if (batch->nr == RECLAIM_BATCH)
		reclaim_batch_flush(m, batch);
}

/* ---- the public API ---- */

unsigned long tuxmm_kswapd(struct machine *m)
{
	m->swap.kswapd_wanted = false;
	m->swap.nr_kswapd_runs++;
	return balance_pgdat(m, 0);
}

unsigned long tuxmm_reclaim(struct machine *m, unsigned long nr_pages)
{
	return shrink_all_memory(m, nr_pages);
}
