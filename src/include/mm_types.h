/*
 * mm_types.h - struct page, one per page frame, kept in simulated RAM.
 * At most 64 bytes (checked at compile time), as Linux's is on x86-64.
 */
#ifndef TUXMM_MM_TYPES_H
#define TUXMM_MM_TYPES_H

#include "list.h"
#include "types.h"

struct kmem_cache;

/* Page flags, low bits of page->flags; the zone number sits in the top bits. */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,		/* first page of a compound (__GFP_COMP) allocation */
	PG_active,
	PG_workingset,
	PG_slab,		/* head page of a slab */
	PG_reserved,		/* never handed to the buddy allocator */
	PG_private,
	PG_writeback,
	PG_swapcache,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_buddy,		/* head of a free block in a buddy free list; order in private */
	PG_pcp,			/* free, on a per-CPU list (tuxmm's own, for checks) */
	PG_poisoned,		/* freed under DEBUG_VM: filled with PAGE_POISON */
	PG_pgtable,		/* a page-table page */
	PG_vmalloc,		/* mapped into the vmalloc area */
	PG_reclaim,		/* reclaim: write out then free; on a clean cache page: PG_readahead */
	/*
	 * PageAnonExclusive: this anonymous page is its one PTE's alone, so a write
	 * may reuse it and mprotect may make it writable. Set when a new page is
	 * mapped and when a write fault reuses a page; cleared at fork and when the
	 * page is swapped out (the swap PTE keeps it: pte_swp_exclusive()).
	 */
	PG_anon_exclusive,
	NR_PAGEFLAGS
};

#define ZONES_SHIFT 60		/* page->flags bits 60..62 hold the zone index */
#define ZONES_MASK  7UL

struct page {
	unsigned long flags;		/* PG_* bits and the zone index */
	union {
		struct list_head lru;	/* buddy free list, pcp list, slab list, LRU */
		struct {		/* tail pages of a compound page */
			unsigned long compound_head;	/* head address | 1 */
			unsigned int compound_order;	/* in the first tail page only */
			unsigned int _tail_pad;
		};
	};
	union {
		struct {		/* page cache and anonymous memory */
			void *mapping;
			pgoff_t index;	/* in pages */
			unsigned long private;	/* buddy order while free */
		};
		struct {		/* slab head page */
			struct kmem_cache *slab_cache;
			void *freelist;			/* first free object */
			unsigned int inuse;		/* objects handed out */
			unsigned int objects;		/* objects in this slab */
		};
	};
	int _mapcount;			/* PTEs mapping this page, minus one */
	int _refcount;			/* references; 0 while free */
};

/* The page cache's readahead marker shares PG_reclaim's bit, as in Linux. */
#define PG_readahead PG_reclaim

_Static_assert(sizeof(struct page) <= 64, "struct page must fit in 64 bytes");

static inline bool PageFlag(const struct page *page, enum pageflags f)
{
	return page->flags & BIT(f);
}
static inline void SetPageFlag(struct page *page, enum pageflags f)
{
	page->flags |= BIT(f);
}
static inline void ClearPageFlag(struct page *page, enum pageflags f)
{
	page->flags &= ~BIT(f);
}

#define PageBuddy(p)     PageFlag(p, PG_buddy)
#define PageReserved(p)  PageFlag(p, PG_reserved)
#define PageSlab(p)      PageFlag(p, PG_slab)
#define PageHead(p)      PageFlag(p, PG_head)

static inline bool PageTail(const struct page *page)
{
	return page->compound_head & 1;
}

static inline struct page *compound_head(struct page *page)
{
	if (PageTail(page))
		return (struct page *)(page->compound_head - 1);
	return page;
}

static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page[1].compound_order : 0;
}

static inline unsigned int page_zonenum(const struct page *page)
{
	return (page->flags >> ZONES_SHIFT) & ZONES_MASK;
}

static inline int page_ref_count(const struct page *page)
{
	return page->_refcount;
}
static inline void get_page(struct page *page)
{
	compound_head(page)->_refcount++;
}
static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

#endif
