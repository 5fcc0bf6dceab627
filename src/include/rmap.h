/*
 * rmap.h - the reverse map: from a page to every PTE that maps it.
 * Follows Linux include/linux/rmap.h: anonymous pages point at an anon_vma
 * (page->mapping with PAGE_MAPPING_ANON set), which lists through
 * anon_vma_chain links every area that may map its pages; file and shmem
 * pages point at their address_space, whose i_mmap lists the areas mapping it.
 */
#ifndef TUXMM_RMAP_H
#define TUXMM_RMAP_H

#include "list.h"
#include "mm_types.h"
#include "pgtable_types.h"
#include "types.h"

struct address_space;
struct machine;
struct vm_area_struct;

#define PAGE_MAPPING_ANON 0x1UL	/* low bit of page->mapping: an anon_vma, not an address_space */

/*
 * One anon_vma per "generation" of anonymous memory: an area's first private
 * page creates one; fork gives each child area a new one whose parent is the
 * parent area's. Its list holds a link for every area that may map its pages
 * (the owner and all descendants), so the walk of a page visits exactly those.
 */
struct anon_vma {
	struct anon_vma *root;		/* the oldest ancestor (Linux's lock holder) */
	struct anon_vma *parent;	/* the anon_vma it was forked from; holds a reference */
	int refcount;			/* links on @head plus children pointing here */
	unsigned int nr_children;	/* anon_vmas with parent == this */
	unsigned int nr_active_vmas;	/* areas with vma->anon_vma == this */
	struct list_head head;		/* anon_vma_chain.same_anon_vma */
};

/* The many-to-many link between areas and anon_vmas (Linux's anon_vma_chain). */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* on vma->anon_vma_chain */
	struct list_head same_anon_vma;	/* on anon_vma->head */
};

static inline bool PageAnon(const struct page *page)
{
	return (unsigned long)page->mapping & PAGE_MAPPING_ANON;
}

static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	if (!PageAnon(page))
		return NULL;
	return (struct anon_vma *)((unsigned long)page->mapping - PAGE_MAPPING_ANON);
}

static inline bool page_mapped(const struct page *page)
{
	return page->_mapcount >= 0;
}

/* anon_vma_init - the anon_vma and anon_vma_chain slab caches (boot). 0 or -ENOMEM. */
int anon_vma_init(struct machine *m);

/*
 * anon_vma_prepare - give @vma an anon_vma before its first private page:
 * a compatible neighbour's (so the two can still merge, as Linux's
 * find_mergeable_anon_vma), else a new one. 0 or -ENOMEM.
 */
int anon_vma_prepare(struct vm_area_struct *vma);
/* anon_vma_clone - link @dst to every anon_vma @src is linked to (split, copy). 0 or -ENOMEM. */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
/*
 * anon_vma_fork - the child area @vma of @pvma: the parent's links plus a new
 * anon_vma of its own whose parent is @pvma's. 0 or -ENOMEM (nothing linked).
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
/* unlink_anon_vmas - drop every link of @vma, freeing anon_vmas left unused. */
void unlink_anon_vmas(struct vm_area_struct *vma);

/* i_mmap: an area with a file is on its mapping's list while it is in an mm's tree. */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);

/*
 * Map counts. page->_mapcount is the number of PTEs mapping the page minus
 * one; the first mapping adds the page to NR_ANON_MAPPED (AnonPages) or
 * NR_FILE_MAPPED (Mapped), the last removes it. References are the caller's.
 */
/*
 * page_add_new_anon_rmap - a fresh private page at @addr of @vma: mapping,
 * index, first map; the page is PageAnonExclusive.
 */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr);
/*
 * page_dup_rmap - one more PTE maps an already-mapped page (fork): an
 * anonymous page is no longer exclusive (Linux's folio_try_dup_anon_rmap_pte,
 * which always succeeds without GUP pins).
 */
static inline void page_dup_rmap(struct page *page)
{
	page->_mapcount++;
	ClearPageFlag(page, PG_anon_exclusive);
}
/*
 * page_add_anon_rmap - one more PTE maps an anonymous page (swap-in). A page
 * read from swap gets its anon_vma here: @vma's own when @exclusive (this
 * PTE is its only user), else its root, which every related area links.
 * @exclusive also sets or clears PageAnonExclusive.
 */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			bool exclusive);
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma);
void page_remove_rmap(struct page *page, struct vm_area_struct *vma);

/* linear_page_index - the page offset of @addr in @vma's backing (or anonymous pgoff). */
pgoff_t linear_page_index(const struct vm_area_struct *vma, unsigned long addr);

/*
 * rmap_walk - call @fn for every (area, address, PTE) mapping @page, until it
 * returns false. The areas visited: the page's anon_vma's links, or its
 * mapping's i_mmap. Returns the number of PTEs visited.
 */
typedef bool (*rmap_one_fn)(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			    pte_t *ptep, void *arg);
unsigned long rmap_walk(struct machine *m, struct page *page, rmap_one_fn fn, void *arg);

/* page_mapcount_rmap - PTEs found by rmap_walk (tests check it equals page_mapcount()). */
unsigned long page_mapcount_rmap(struct machine *m, struct page *page);

/*
 * page_referenced - test and clear the accessed bit of every PTE mapping
 * @page (flushing the TLB entry of each one found young). Returns how many
 * were young; *@vm_flags gets the flags of the areas found young, and
 * VM_LOCKED if a locked area maps it (the walk stops there: unevictable).
 */
int page_referenced(struct machine *m, struct page *page, unsigned long *vm_flags);
/*
 * try_to_unmap - remove every PTE mapping @page: an anonymous page in the
 * swap cache leaves a swap entry (one slot count each), a file page leaves
 * nothing; dirty bits go to the page, rss and map counts drop, and each PTE's
 * reference is released. A lazily freed (MADV_FREE) page is dropped clean.
 * False if a mapping remains (a VM_LOCKED area, a full slot count, or a
 * lazily freed page written again).
 */
bool try_to_unmap(struct machine *m, struct page *page);

#endif
