/*
 * mm_inline.h - which LRU list a page belongs on, and adding or removing it with its counters.
 * Follows Linux include/linux/mm_inline.h without MGLRU (CONFIG_LRU_GEN off).
 * Keeps: a listed page has PG_lru; NR_<lru> and NR_ZONE_<lru> count the pages on each list.
 */
#ifndef TUXMM_MM_INLINE_H
#define TUXMM_MM_INLINE_H

#include "machine.h"
#include "mm.h"
#include "mm_types.h"
#include "mmzone.h"
#include "vmstat.h"

/* page_is_file_lru - true for the file lists: shmem and anonymous pages are swap-backed. */
static inline bool page_is_file_lru(const struct page *page)
{
	return !PageFlag(page, PG_swapbacked);
}

/* page_lru_base_type - the inactive list of @page's type. */
static inline enum lru_list page_lru_base_type(const struct page *page)
{
	return page_is_file_lru(page) ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
}

/* page_lru - the list @page is on, or belongs on, read from its flags. */
static inline enum lru_list page_lru(const struct page *page)
{
	if (PageFlag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	return page_lru_base_type(page) + (PageFlag(page, PG_active) ? LRU_ACTIVE : 0);
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

static inline struct lruvec *page_lruvec(struct machine *m)
{
	return &m->pgdat->__lruvec;
}

/* update_lru_size - move the node and zone counters of @lru by @nr pages. */
static inline void update_lru_size(struct machine *m, struct page *page, enum lru_list lru,
				   long nr)
{
	mod_node_page_state(m, (enum node_stat_item)(NR_INACTIVE_ANON + lru), nr);
	mod_zone_page_state(page_zone(m, page), (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru),
			    nr);
}

/* add_page_to_lru_list - put @page (PG_lru set, flags final) at the head of its list. */
static inline void add_page_to_lru_list(struct machine *m, struct page *page)
{
	enum lru_list lru = page_lru(page);

	update_lru_size(m, page, lru, 1);
	list_add(&page->lru, &page_lruvec(m)->lists[lru]);
}

/* del_page_from_lru_list - take @page off its list; its flags must not have changed since. */
static inline void del_page_from_lru_list(struct machine *m, struct page *page)
{
	list_del(&page->lru);
	update_lru_size(m, page, page_lru(page), -1);
}

#endif
