/*
 * swap_state.c - the swap cache: pages on their way to or from a swap slot,
 * or shared by several swap entries, found by their slot so that each is
 * read once; swap-in with readahead; swapoff's walk that brings pages back.
 * Follows Linux mm/swap_state.c (add_to_swap_cache, swap_cluster_readahead,
 * free_swap_and_cache) and mm/swapfile.c (try_to_unuse, unuse_pte); shmem's
 * entries (in page cache indexes) are shmem.c's (shmem_unuse).
 * Keeps: a page is in the swap cache iff PG_swapcache, page->private is its
 * entry and the slot's pointer names it; the cache holds one reference;
 * SwapCached (NR_SWAPCACHE) and NR_FILE_PAGES count the cached pages, as Linux.
 */
#include <errno.h>

#include "err.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mm_inline.h"
#include "pagemap.h"
#include "pgtable.h"
#include "printk.h"
#include "rmap.h"
#include "swap.h"
#include "tlb.h"
#include "vma.h"
#include "vmstat.h"

#define PAGE_CLUSTER_DEFAULT 3	/* vm.page-cluster: read 2^3 slots around a fault */

struct page *lookup_swap_cache(struct machine *m, swp_entry_t entry)
{
	return swapcache_page(m, entry);
}

/* __add_to_swap_cache - @page takes the cache slot of @entry (which must hold a count or cache). */
static int __add_to_swap_cache(struct machine *m, struct page *page, swp_entry_t entry)
{
	int err = swapcache_set(m, entry, page);

	if (err)
		return err;
	get_page(page);
	SetPageFlag(page, PG_swapcache);
	SetPageFlag(page, PG_swapbacked);
	page->private = entry.val;
	mod_node_page_state(m, NR_SWAPCACHE, 1);
	mod_node_page_state(m, NR_FILE_PAGES, 1);
	return 0;
}

int add_to_swap(struct machine *m, struct page *page)
{
	swp_entry_t entry = get_swap_page_cache(m);

	if (!entry.val)
		return -ENOSPC;
	if (__add_to_swap_cache(m, page, entry)) {
		swapcache_clear(m, entry);	/* cannot happen: the slot is new */
		return -ENOSPC;
	}
	/* Nothing on swap holds its data yet: it must be written before it can go. */
	SetPageFlag(page, PG_dirty);
	return 0;
}

void delete_from_swap_cache(struct machine *m, struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);

	VM_BUG_ON(!PageFlag(page, PG_swapcache));
	swapcache_clear(m, entry);
	ClearPageFlag(page, PG_swapcache);
	ClearPageFlag(page, PG_readahead);
	page->private = 0;
	mod_node_page_state(m, NR_SWAPCACHE, -1);
	mod_node_page_state(m, NR_FILE_PAGES, -1);
	put_page(m, page);
}

bool try_to_free_swap(struct machine *m, struct page *page)
{
	if (!PageFlag(page, PG_swapcache) || PageFlag(page, PG_writeback) ||
	    PageFlag(page, PG_locked) || swap_count(m, page_swap_entry(page)))
		return false;
	/* The swap copy goes: the page in memory is now the only one. */
	SetPageFlag(page, PG_dirty);
	delete_from_swap_cache(m, page);
	return true;
}

void free_swap_cache(struct machine *m, struct page *page)
{
	/* The caller's reference and the cache's are all that is left. */
	if (PageFlag(page, PG_swapcache) && !page_mapped(page) && page_ref_count(page) == 2)
		try_to_free_swap(m, page);
}

void free_swap_and_cache(struct machine *m, swp_entry_t entry)
{
	struct page *page;

	swap_free(m, entry);
	page = lookup_swap_cache(m, entry);
	if (page && !page_mapped(page) && page_ref_count(page) == 1)
		try_to_free_swap(m, page);
}

/* ---- reading in ---- */

static unsigned int page_cluster(struct machine *m)
{
	int pc = m->tasks.ready ? m->tasks.sysctl.page_cluster : PAGE_CLUSTER_DEFAULT;

	return pc < 0 ? 0 : (unsigned int)pc;
}

/* swapin_new_page - a fresh page in the cache slot of @entry, locked while it is read. */
static struct page *swapin_new_page(struct machine *m, swp_entry_t entry, gfp_t gfp)
{
	struct page *page = alloc_pages(m, gfp, 0);

	if (!page)
		return NULL;
	if (__add_to_swap_cache(m, page, entry)) {
		put_page(m, page);
		return NULL;
	}
	SetPageFlag(page, PG_locked);
	return page;
}

/* swapin_end - @page's read ended: listed and workingset-checked, or dropped on @err. */
static void swapin_end(struct machine *m, struct page *page, int err)
{
	swp_entry_t entry = page_swap_entry(page);
	unsigned int *shadow = swap_shadow(m, entry);

	ClearPageFlag(page, PG_locked);
	if (err) {
		delete_from_swap_cache(m, page);
		put_page(m, page);
		return;
	}
	SetPageFlag(page, PG_uptodate);
	if (shadow && *shadow) {
		workingset_refault(m, page, *shadow);
		*shadow = 0;
	}
	lru_cache_add(m, page);
}

/* swapin_window - [*start, *end) of slots of @entry's area to read around @entry. */
static void swapin_window(struct machine *m, swp_entry_t entry, unsigned long *start,
			  unsigned long *end)
{
	unsigned long nr = 1UL << page_cluster(m), max = swap_area_max(m, swp_type(entry));

	if (nr > SWAP_IO_BATCH)
		nr = SWAP_IO_BATCH;
	*start = swp_offset(entry) & ~(nr - 1);
	if (!*start)
		*start = 1;
	*end = (swp_offset(entry) & ~(nr - 1)) + nr;
	if (*end > max)
		*end = max;
}

struct page *swapin_readahead(struct machine *m, swp_entry_t entry, bool *major)
{
	unsigned long start, end, off = swp_offset(entry);
	struct page *pages[SWAP_IO_BATCH] = { NULL }, *page;
	int target_err = 0;

	*major = false;
	page = lookup_swap_cache(m, entry);
	if (page) {
		get_page(page);
		return page;
	}
	if (!swap_count(m, entry))
		return NULL;
	/*
	 * The page asked for may reclaim (which never touches a swap PTE's slot);
	 * its neighbours are read only if memory is at hand.
	 */
	swapin_window(m, entry, &start, &end);
	pages[off - start] = swapin_new_page(m, entry, GFP_HIGHUSER_MOVABLE);
	if (!pages[off - start])
		return ERR_PTR(-ENOMEM);
	for (unsigned long o = start; o < end; o++) {
		swp_entry_t e = swp_entry(swp_type(entry), o);

		if (o == off || lookup_swap_cache(m, e) || !swap_count(m, e))
			continue;
		pages[o - start] = swapin_new_page(m, e, (GFP_HIGHUSER_MOVABLE &
							 ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN);
	}
	/* One host call per run of consecutive slots (Linux's swap_cluster_readahead). */
	for (unsigned long o = start; o < end;) {
		unsigned long run = 0;
		int err;

		while (o + run < end && pages[o + run - start])
			run++;
		if (!run) {
			o++;
			continue;
		}
		err = swap_read_pages(m, swp_entry(swp_type(entry), o), &pages[o - start],
				      (unsigned int)run);
		for (unsigned long i = o; i < o + run; i++) {
			if (i == off)
				target_err = err;
			swapin_end(m, pages[i - start], err);
			if (i != off && !err) {
				SetPageFlag(pages[i - start], PG_readahead);
				count_vm_events(m, SWAP_RA, 1);
				put_page(m, pages[i - start]);
			}
		}
		o += run;
	}
	if (target_err)
		return ERR_PTR(-EIO);
	*major = true;
	return pages[off - start];
}

/* ---- swapoff ---- */

/*
 * unuse_pte - map @page (the swap cache's, with a reference the PTE takes)
 * where the swap entry at @ptep was, as a swap-in fault would.
 */
static void unuse_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		      struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	pte_t old_pte = ptep_get(ptep);
	swp_entry_t entry = pte_to_swp_entry(old_pte);

	/* Read-only as Linux maps it; an exclusive page's write fault then reuses it. */
	page_add_anon_rmap(page, vma, addr, pte_swp_exclusive(old_pte));
	add_mm_counter(mm, MM_ANONPAGES, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	set_pte(ptep, pte_mkold(mk_pte(m, page, vm_get_page_prot(vma))));
	swap_free(m, entry);
	/* Out of the area's cache once no entry names it: reclaim then picks another area. */
	try_to_free_swap(m, page);
}

/* unuse_vma - bring in every page of area @type that @vma's swap entries name. */
static int unuse_vma(struct machine *m, struct vm_area_struct *vma, unsigned int type)
{
	unsigned long addr, next;

	if (!vma->anon_vma)
		return 0;
	for (addr = vma->vm_start; addr < vma->vm_end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, vma->vm_end);
		ptep = pte_lookup(vma->vm_mm, addr);
		if (!ptep)
			continue;
		for (; addr < next; addr += m->page_size, ptep++) {
			pte_t pte = ptep_get(ptep);
			swp_entry_t entry;
			struct page *page;
			bool major;

			if (!is_swap_pte(pte))
				continue;
			entry = pte_to_swp_entry(pte);
			if (swp_type(entry) != type)
				continue;
			page = swapin_readahead(m, entry, &major);
			if (IS_ERR_OR_NULL(page))
				return page ? (int)PTR_ERR(page) : -EIO;
			/* Reading may have reclaimed; reclaim never touches a swap PTE. */
			if (pte_val(ptep_get(ptep)) != pte_val(pte)) {
				put_page(m, page);
				continue;
			}
			unuse_pte(vma, addr, ptep, page);
		}
	}
	return 0;
}

/* unuse_all_mms - one walk of every task's areas. 0 or -errno. */
static int unuse_all_mms(struct machine *m, unsigned int type)
{
	struct task_struct *t = NULL;
	int err;

	while ((t = tuxmm_next_task(m, t))) {
		struct vm_area_struct *vma;

		struct mm_struct *mm = t->mm;

		if (!mm)
			continue;
		/*
		 * Reading pages back allocates, and an allocation may end in the OOM
		 * killer: the pin keeps this mm (and the task on the list) until the
		 * walk is done; a victim is reaped at the next task call.
		 */
		mmget(mm);
		err = 0;
		for_each_vma(mm, vma) {
			err = unuse_vma(m, vma, type);
			if (err)
				break;
		}
		mmput(mm);
		if (err)
			return err;
	}
	return 0;
}

int try_to_unuse(struct machine *m, unsigned int type)
{
	unsigned long max = swap_area_max(m, type), left = ~0UL;
	int err;

	/*
	 * Reclaim, making room for what comes back, may have put a page it found
	 * in this area's cache back out here: walk again while that helps.
	 */
	while (swap_area_inuse(m, type) && swap_area_inuse(m, type) < left) {
		left = swap_area_inuse(m, type);
		err = unuse_all_mms(m, type);
		if (!err)
			err = shmem_unuse(m, type);	/* the shmem inodes' indexes */
		if (err)
			return err;
	}
	/* What is left is cached only (readahead, or pages whose entries are all gone). */
	for (unsigned long off = 1; off < max; off++) {
		swp_entry_t e = swp_entry(type, off);
		struct page *page = lookup_swap_cache(m, e);

		if (page && !swap_count(m, e) && !PageFlag(page, PG_locked))
			try_to_free_swap(m, page);
	}
	return 0;
}
