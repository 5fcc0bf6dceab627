/*
 * swap.c - the LRU lists: where new user pages go, and how a second reference promotes them.
 * Follows Linux mm/swap.c (folio_add_lru, folio_add_lru_vma, folio_mark_accessed,
 * folio_activate, folio_mark_lazyfree, __page_cache_release) without MGLRU or per-CPU batches.
 * A machine policy other than Linux's (policy/machine.c) hears of pages joining and
 * leaving the lists here, at one predictable branch each.
 * Keeps: a page is on one list exactly while PG_lru is set, and leaves it before it is freed.
 */
#include "mm_inline.h"
#include "policy.h"
#include "printk.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"

void lruvec_init(struct lruvec *lruvec)
{
	enum lru_list lru;

	for_each_lru(lru)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
}

/* lru_add - Linux's lru_add(): list a page that is on none, its type and state already set. */
static void lru_add(struct machine *m, struct page *page)
{
	VM_BUG_ON(PageFlag(page, PG_lru));
	SetPageFlag(page, PG_lru);
	add_page_to_lru_list(m, page);
	if (unlikely(m->swap.mpolicy))
		mpolicy_page_added(m, page);
}

void lru_cache_add(struct machine *m, struct page *page)
{
	/* A file page read again after reclaim dropped it may return active. */
	if (page->mapping && !PageAnon(page) && !PageFlag(page, PG_swapbacked))
		workingset_file_refault(m, page);
	/* A new page is inactive unless a reference already marked it active. */
	lru_add(m, page);
}

void lru_cache_add_inactive_or_unevictable(struct machine *m, struct page *page,
					   struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED) {
		/* Linux's mlock_new_folio(). */
		ClearPageFlag(page, PG_active);
		SetPageFlag(page, PG_unevictable);
		SetPageFlag(page, PG_mlocked);
		mod_zone_page_state(page_zone(m, page), NR_MLOCK, 1);
		count_vm_events(m, UNEVICTABLE_PGMLOCKED, 1);
		lru_add(m, page);
		return;
	}
	lru_cache_add(m, page);
}

/* page_activate - Linux's folio_activate(): an inactive evictable page to its active list. */
static void page_activate(struct machine *m, struct page *page)
{
	if (!PageFlag(page, PG_lru) || PageFlag(page, PG_active) ||
	    PageFlag(page, PG_unevictable))
		return;
	del_page_from_lru_list(m, page);
	SetPageFlag(page, PG_active);
	add_page_to_lru_list(m, page);
	count_vm_events(m, PGACTIVATE, 1);
}

void mark_page_accessed(struct machine *m, struct page *page)
{
	if (PageFlag(page, PG_unevictable))
		return;
	if (unlikely(m->swap.mpolicy))
		mpolicy_page_accessed(m, page);
	if (!PageFlag(page, PG_referenced)) {
		SetPageFlag(page, PG_referenced);
	} else if (!PageFlag(page, PG_active)) {
		/* Not yet listed: it goes on the active list when it is added. */
		if (PageFlag(page, PG_lru))
			page_activate(m, page);
		else
			SetPageFlag(page, PG_active);
		ClearPageFlag(page, PG_referenced);
	}
}

void mark_page_lazyfree(struct machine *m, struct page *page)
{
	if (!PageFlag(page, PG_swapbacked) || PageFlag(page, PG_swapcache) ||
	    PageFlag(page, PG_unevictable))
		return;
	/* Linux's lru_lazyfree(): to the inactive file list, where reclaim finds it first. */
	if (PageFlag(page, PG_lru))
		del_page_from_lru_list(m, page);
	ClearPageFlag(page, PG_active);
	ClearPageFlag(page, PG_referenced);
	ClearPageFlag(page, PG_swapbacked);
	if (PageFlag(page, PG_lru))
		add_page_to_lru_list(m, page);
	count_vm_events(m, PGLAZYFREE, 1);
}

void mlock_page(struct machine *m, struct page *page)
{
	if (PageFlag(page, PG_mlocked))
		return;
	SetPageFlag(page, PG_mlocked);
	mod_zone_page_state(page_zone(m, page), NR_MLOCK, 1);
	count_vm_events(m, UNEVICTABLE_PGMLOCKED, 1);
	if (PageFlag(page, PG_lru) && !PageFlag(page, PG_unevictable)) {
		del_page_from_lru_list(m, page);
		ClearPageFlag(page, PG_active);
		SetPageFlag(page, PG_unevictable);
		add_page_to_lru_list(m, page);
		if (unlikely(m->swap.mpolicy))
			mpolicy_page_sync(m, page);
	} else if (!PageFlag(page, PG_lru)) {
		ClearPageFlag(page, PG_active);
		SetPageFlag(page, PG_unevictable);
	}
}

void munlock_page(struct machine *m, struct page *page)
{
	if (PageFlag(page, PG_mlocked)) {
		ClearPageFlag(page, PG_mlocked);
		mod_zone_page_state(page_zone(m, page), NR_MLOCK, -1);
		count_vm_events(m, UNEVICTABLE_PGMUNLOCKED, 1);
	}
	if (!PageFlag(page, PG_unevictable))
		return;
	if (PageFlag(page, PG_lru)) {
		del_page_from_lru_list(m, page);
		ClearPageFlag(page, PG_unevictable);
		add_page_to_lru_list(m, page);
		count_vm_events(m, UNEVICTABLE_PGRESCUED, 1);
		if (unlikely(m->swap.mpolicy))
			mpolicy_page_sync(m, page);
	} else {
		ClearPageFlag(page, PG_unevictable);
	}
}

void __page_cache_release(struct machine *m, struct page *page)
{
	if (PageFlag(page, PG_mlocked)) {
		ClearPageFlag(page, PG_mlocked);
		mod_zone_page_state(page_zone(m, page), NR_MLOCK, -1);
		count_vm_events(m, UNEVICTABLE_PGCLEARED, 1);
	}
	del_page_from_lru_list(m, page);
	ClearPageFlag(page, PG_lru);
	ClearPageFlag(page, PG_active);
	ClearPageFlag(page, PG_unevictable);
	if (unlikely(m->swap.mpolicy))
		mpolicy_page_sync(m, page);
}

/* ---- validation ---- */

static bool lru_fail(struct machine *m, const char *what, enum lru_list lru, unsigned long pfn)
{
	printk(m, "lru_check: list %d: %s (pfn %#lx)", (int)lru, what, pfn);
	return false;
}

/* lru_page_bad - why @page's flags do not fit @lru or it is not a live user page; NULL if fine. */
static const char *lru_page_bad(const struct page *page, enum lru_list lru)
{
	if (!PageFlag(page, PG_lru))
		return "listed page without PG_lru";
	if (page_lru(page) != lru)
		return "page on the wrong list for its flags";
	if (PageFlag(page, PG_active) && !is_active_lru(lru))
		return "PG_active off the active lists";
	if (page->_refcount <= 0)
		return "listed page without references";
	if (page->flags & (BIT(PG_buddy) | BIT(PG_pcp) | BIT(PG_slab) | BIT(PG_reserved) |
			   BIT(PG_pgtable)))
		return "listed page that is not a user page";
	return NULL;
}

bool lru_check(struct machine *m)
{
	struct lruvec *lruvec = page_lruvec(m);
	unsigned long listed = 0, flagged = 0;
	long zone_nr[MAX_NR_ZONES][NR_LRU_LISTS] = { { 0 } };
	enum lru_list lru;
	struct zone *zone;

	for_each_lru(lru) {
		long nr = 0;
		struct page *page;

		list_for_each_entry(page, &lruvec->lists[lru], lru) {
			const char *bad = lru_page_bad(page, lru);

			if (bad)
				return lru_fail(m, bad, lru, page_to_pfn(m, page));
			zone_nr[page_zonenum(page)][lru]++;
			nr++;
		}
		if (nr != global_node_page_state(m, (enum node_stat_item)(NR_INACTIVE_ANON + lru)))
			return lru_fail(m, "node counter differs from the list", lru, 0);
		listed += (unsigned long)nr;
	}
	for_each_zone(m, zone)
		for_each_lru(lru)
			if (zone->vm_stat[NR_ZONE_INACTIVE_ANON + lru] !=
			    zone_nr[zone_idx(zone)][lru])
				return lru_fail(m, "zone counter differs from the list", lru, 0);
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
		if (PageFlag(pfn_to_page(m, pfn), PG_lru))
			flagged++;
	if (flagged != listed) {
		printk(m, "lru_check: %lu pages with PG_lru, %lu listed", flagged, listed);
		return false;
	}
	return true;
}
