/*
 * cow.c - copy-on-write: fork's copy of the page tables (private writable
 * pages shared read-only by parent and child) and the write fault that
 * later breaks the sharing (do_wp_page: reuse the page or copy it).
 * Follows Linux mm/memory.c (copy_page_range, copy_present_pte, do_wp_page,
 * wp_page_reuse, wp_page_copy, wp_can_reuse_anon_folio).
 * Keeps: a private page is writable in a PTE only while that PTE is its only user.
 */
#include <errno.h>
#include <string.h>

#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "pgtable.h"
#include "rmap.h"
#include "swap.h"
#include "tlb.h"
#include "vma.h"
#include "vmstat.h"

#define COW_PREFETCH_LINES 4	/* 64-byte lines of the source read ahead of the copy */

/* 16-byte lanes the compiler keeps in vector registers on any host; frames hold any type. */
typedef unsigned long long copy_lane_t __attribute__((vector_size(16), aligned(16), may_alias));

/*
 * copy_page - copy one frame (frames are page-aligned, so the lanes are
 * aligned). Four lanes a step, loads before stores: on the hosts measured
 * this beats the C library's memcpy for a cold 4 KiB page, which picks a
 * strategy for the size on every call (docs/PERFORMANCE.md).
 */
static void copy_page(void *dst, const void *src, unsigned long bytes)
{
	copy_lane_t *d = dst;
	const copy_lane_t *s = src;

	for (unsigned long i = 0; i < bytes / sizeof(*d); i += 4) {
		copy_lane_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];

		d[i] = a;
		d[i + 1] = b;
		d[i + 2] = c;
		d[i + 3] = e;
	}
}

void cow_user_page(struct machine *m, struct page *dst, struct page *src)
{
	copy_page(page_address(m, dst), page_address(m, src), m->page_size);
}

/*
 * wp_page_reuse - the writer may keep the page: make the entry writable and
 * dirty. Counted as pgreuse, in shared areas too, as Linux counts it.
 */
static void wp_page_reuse(struct vm_fault *vmf, struct page *page)
{
	pte_t entry = pte_mkyoung(pte_mkdirty(pte_mkwrite(vmf->orig_pte)));

	VM_BUG_ON(page && PageAnon(page) && !PageFlag(page, PG_anon_exclusive));
	/* An upgrade needs no flush: the MMU re-walks before it faults. */
	set_pte(vmf->pte, entry);
	vmf->vma->vm_mm->machine->vm_events[PGREUSE]++;
}

/*
 * wp_page_copy - give the writer a private copy of @old (NULL: the zero
 * page, whose copy is simply a zeroed page). The old entry is cleared and
 * flushed before the new one is set and before the old page is released.
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct page *new;
	pte_t entry;

	/*
	 * The source is usually cold: start reading its first lines now, so the
	 * memory fetch overlaps the allocation below instead of stalling the
	 * copy's first loads (a few lines only: more compete with the handler's
	 * own misses). ~3% off a copy-on-write fault (docs/PERFORMANCE.md).
	 */
	if (old)
		for (unsigned int i = 0; i < COW_PREFETCH_LINES; i++)
			__builtin_prefetch((const char *)page_address(m, old) + i * 64, 0, 3);
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	/* Held across the allocation, which may reclaim (and unmap) @old. */
	if (old)
		get_page(old);
	new = alloc_pages(m, vmf->gfp_mask | (old ? 0 : __GFP_ZERO), 0);
	if (!new || pte_val(ptep_get(vmf->pte)) != pte_val(vmf->orig_pte)) {
		/* No memory, or reclaim changed the entry: give up, or fault again. */
		if (old)
			put_page(m, old);
		if (!new)
			return VM_FAULT_OOM;
		put_page(m, new);
		return 0;
	}
	if (old) {
		cow_user_page(m, new, old);
		put_page(m, old);
	}
	m->tasks.nr_cow_copies++;
	if (!old || !PageAnon(old)) {
		if (old)
			add_mm_counter(mm, mm_counter_page(old), -1);
		add_mm_counter(mm, MM_ANONPAGES, 1);
	}
	entry = pte_mkdirty(pte_mkwrite(mk_pte(m, new, vm_get_page_prot(vma))));
	pte_clear(vmf->pte);
	flush_tlb_page(m, &mm->pgd, vmf->address);
	page_add_new_anon_rmap(new, vma, vmf->address);
	lru_cache_add_inactive_or_unevictable(m, new, vma);
	set_pte(vmf->pte, entry);
	if (old) {
		page_remove_rmap(old, vma);
		put_page(m, old);
	}
	return 0;
}

/*
 * wp_can_reuse_anon_page - Linux 6.x's rule: an anonymous page whose only
 * reference is this mapping's is the writer's alone. A swap cache reference
 * whose slot no other entry names is dropped first (folio_free_swap).
 */
static bool wp_can_reuse_anon_page(struct machine *m, struct page *page)
{
	if (!PageAnon(page))
		return false;
	if (PageFlag(page, PG_swapcache) && page_ref_count(page) == 2 && page_mapcount(page) == 1)
		try_to_free_swap(m, page);
	return page_ref_count(page) == 1;
}

vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vma->vm_mm->machine;
	struct page *page = vm_normal_page(vma, vmf->address, vmf->orig_pte);

	if (vma->vm_flags & VM_SHARED) {
		/* wp_page_shared(): the backing is told, then the page is written in place. */
		if (page && vma->vm_ops && vma->vm_ops->page_mkwrite) {
			unsigned int old_flags = vmf->flags;
			vm_fault_t ret;

			vmf->page = page;
			vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
			ret = vma->vm_ops->page_mkwrite(vmf);
			vmf->flags = old_flags;
			if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
				return ret;
		} else if (page) {
			set_page_dirty(page);
		}
		wp_page_reuse(vmf, page);
		return 0;
	}
	/* An exclusive page is reused without further checks; another may become one. */
	if (page && PageAnon(page) &&
	    (PageFlag(page, PG_anon_exclusive) || wp_can_reuse_anon_page(m, page))) {
		SetPageFlag(page, PG_anon_exclusive);
		wp_page_reuse(vmf, page);
		return 0;
	}
	return wp_page_copy(vmf, page);
}

/* ---- fork ---- */

/* Linux's is_cow_mapping(): private and may become writable. */
static bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * vma_needs_copy - only areas with anonymous pages need their entries
 * copied: the child faults file and shmem pages in from the page cache.
 */
static bool vma_needs_copy(const struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	if (src->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return true;
	if (dst->vm_flags & VM_WIPEONFORK)
		return false;
	return src->anon_vma != NULL;
}

/*
 * copy_pte_table - the entries of [addr, end) inside one PTE table. False:
 * nothing write-protected. A swap entry takes one more count on its slot;
 * *@err becomes -ENOMEM when a slot's count is full.
 */
static bool copy_pte_table(struct vm_area_struct *src_vma, pte_t *src, pte_t *dst,
			   unsigned long addr, unsigned long end, long rss[NR_MM_COUNTERS],
			   int *err)
{
	struct machine *m = src_vma->vm_mm->machine;
	unsigned long page_size = m->page_size;
	bool cow = is_cow_mapping(src_vma->vm_flags), wrprotected = false;
	bool shared = src_vma->vm_flags & VM_SHARED;

	for (; addr < end; addr += page_size, src++, dst++) {
		pte_t pte = ptep_get(src);
		struct page *page;

		if (pte_none(pte))
			continue;
		if (is_swap_pte(pte)) {
			if (swap_duplicate(m, pte_to_swp_entry(pte))) {
				*err = -ENOMEM;
				break;
			}
			/* The entry is shared now: neither side may map its page as exclusive. */
			if (pte_swp_exclusive(pte)) {
				pte = pte_swp_clear_exclusive(pte);
				set_pte(src, pte);
			}
			rss[MM_SWAPENTS]++;
			set_pte(dst, pte);
			continue;
		}
		if (!pte_present(pte))
			continue;
		page = vm_normal_page(src_vma, addr, pte);
		if (page) {
			get_page(page);
			page_dup_rmap(page);
			rss[mm_counter_page(page)]++;
		}
		if (cow && pte_write(pte)) {
			ptep_set_wrprotect(src);
			pte = pte_wrprotect(pte);
			wrprotected = true;
		}
		if (shared)
			pte = pte_mkclean(pte);
		set_pte(dst, pte_mkold(pte));
	}
	return wrprotected;
}

int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	struct mm_struct *src_mm = src_vma->vm_mm, *dst_mm = dst_vma->vm_mm;
	struct machine *m = src_mm->machine;
	unsigned long addr = src_vma->vm_start, end = src_vma->vm_end, next;
	long rss[NR_MM_COUNTERS] = { 0 };
	bool wrprotected = false;
	int err = 0;

	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
	for (; addr < end; addr = next) {
		pte_t *src, *dst;

		next = pt_addr_end(m, PT_PMD, addr, end);
		src = pte_lookup(src_mm, addr);
		if (!src)
			continue;
		dst = pte_alloc_addr(dst_mm, addr);
		if (!dst) {
			err = -ENOMEM;
			break;
		}
		wrprotected |= copy_pte_table(src_vma, src, dst, addr, next, rss, &err);
		if (err)
			break;
	}
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		add_mm_counter(dst_mm, i, rss[i]);
	/* The parent may still hold writable translations of what is now shared. */
	if (wrprotected)
		flush_tlb_mm_range(m, &src_mm->pgd, src_vma->vm_start, src_vma->vm_end);
	return err;
}
