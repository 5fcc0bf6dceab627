/*
 * memory.h - demand paging inside the mm: the fault entry points, the page
 * ranges (zap, copy for fork, protection change, move, populate) and the
 * counters they keep. Follows Linux mm/memory.c, mm/internal.h and mm/gup.c.
 * The page cache's side of the contract is in fault.h.
 */
#ifndef TUXMM_MEMORY_H
#define TUXMM_MEMORY_H

#include "fault.h"
#include "mm_types.h"
#include "pgtable_types.h"
#include "vma.h"

struct machine;
struct page;

/* memory_init - the rmap caches and the MMU's fault hook (boot, from proc_caches_init). */
int memory_init(struct machine *m);

/*
 * handle_mm_fault - resolve one faulting access to @addr in @vma (already
 * checked against vm_flags). Counts pgfault, the task's min_flt/maj_flt.
 * Returns 0 if the access can be retried, else the VM_FAULT_* outcome.
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);

/*
 * fault_in_user - what the MMU's hook does for @mm: find the area (growing a
 * stack), check the access (x86 @error_code), handle the fault. On a signal
 * records si_code and the address in m->tasks.last_si_*.
 */
vm_fault_t fault_in_user(struct mm_struct *mm, unsigned long addr, unsigned long error_code);

/* get_zero_page - ZERO_PAGE: one zeroed PG_reserved page, allocated on first use; NULL: no RAM. */
struct page *get_zero_page(struct machine *m);
static inline bool is_zero_page(const struct machine *m, const struct page *page)
{
	return page == m->tasks.zero_page;
}

/* vm_get_page_prot - the PTE protections of @vma's pages (Linux's vma->vm_page_prot). */
pgprot_t vm_get_page_prot(const struct vm_area_struct *vma);
/* vma_wants_writenotify - shared writable, but the first write must fault (->page_mkwrite). */
bool vma_wants_writenotify(const struct vm_area_struct *vma);
/* vm_normal_page - the page behind present @pte, or NULL for a special entry (zero page). */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);

/* mm_counter_page - MM_ANONPAGES, MM_SHMEMPAGES (swap-backed file) or MM_FILEPAGES. */
int mm_counter_page(const struct page *page);
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	mm->rss_stat[member] += value;
}
/* update_hiwater_rss - fold the current RSS into its peak (before anything unmaps). */
void update_hiwater_rss(struct mm_struct *mm);

/*
 * pte_lookup / pte_alloc_addr - the PTE slot for @addr in @mm's tables:
 * NULL if a table is missing (lookup) or cannot be allocated (alloc).
 */
pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr);
pte_t *pte_alloc_addr(struct mm_struct *mm, unsigned long addr);

/* do_wp_page - a write to a present read-only PTE of a writable area (cow.c). */
vm_fault_t do_wp_page(struct vm_fault *vmf);
/* cow_user_page - copy @src's bytes into @dst (a private copy). */
void cow_user_page(struct machine *m, struct page *dst, struct page *src);

/*
 * copy_page_range - fork: copy @src_vma's entries into @dst_vma's mm; private
 * writable pages become read-only in both (the caller flushes the parent's
 * TLB). Areas without anonymous pages are left for the child to fault. 0 or -ENOMEM.
 */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);

/*
 * unmap_page_range - clear every PTE of [@start, @end) inside @vma, flush the
 * TLB, then drop the pages' map counts and references (Linux's unmap_vmas
 * order). Tables stay (free_pgtables is pgtable_unmap_range's job).
 */
void unmap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* unmap_vmas - unmap_page_range() over a vm_next chain, clipped to [@start, @end). */
void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* zap_page_range_single - MADV_DONTNEED: drop the pages of [@start, @end) of @vma. */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* madvise_free_range - MADV_FREE: clean private anonymous pages may go (see demand-paging.md). */
void madvise_free_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/* change_protection - give present PTEs of [@start, @end) @vma's new protections; flush. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/*
 * move_page_tables - move the entries of [@old_addr, +@len) of @vma to
 * @new_addr in @new_vma (mremap), flushing the old range. Returns bytes moved.
 */
unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len);

/*
 * populate_vma_page_range - fault in [@start, @end) of @vma as a write (if
 * @write) or read access would, as get_user_pages does. 0, -ENOMEM, -EFAULT.
 */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    bool write);
/* mincore_vma - residency bytes for [@start, @end) of @vma from its PTEs. */
void mincore_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		 unsigned char *vec);

#endif
