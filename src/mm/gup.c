/*
 * gup.c - faulting pages in on a task's behalf: MAP_POPULATE, mlock,
 * MADV_POPULATE_READ/WRITE, and residency (mincore) from the page tables.
 * Follows Linux mm/gup.c (populate_vma_page_range, __mm_populate,
 * faultin_page) and mm/mincore.c (mincore_pte_range).
 * Keeps: a page already mapped as the access needs is not faulted again.
 */
#include <errno.h>
#include <string.h>

#include "machine.h"
#include "memory.h"
#include "mmu.h"
#include "fs.h"
#include "pagemap.h"
#include "rmap.h"
#include "pgtable.h"
#include "vma.h"

int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			    bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;

	for (addr = start; addr < end; addr += mm_page_size(mm)) {
		pte_t *ptep = pte_lookup(mm, addr);
		vm_fault_t ret;

		if (ptep) {
			pte_t pte = ptep_get(ptep);

			if (pte_present(pte) && !pte_protnone(pte) && (!write || pte_write(pte)))
				continue;
		}
		/* __get_user_pages() stops for a task that was killed. */
		if (mm->owner && fatal_signal_pending(mm->owner))
			return -EINTR;
		ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE | FAULT_FLAG_REMOTE
						       : FAULT_FLAG_REMOTE);
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

/*
 * mm_populate - fault in every accessible area of [start, start + len), as
 * __mm_populate(): private writable areas with writes (so copy-on-write is
 * broken now), the rest with reads; VM_LOCKONFAULT, VM_IO and VM_PFNMAP
 * areas are skipped. -EAGAIN when memory ran out (mlock's errno), else 0.
 */
int mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	struct vm_area_struct *vma;

	if (end < start)
		end = ~0UL;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		unsigned long s = vma->vm_start > start ? vma->vm_start : start;
		unsigned long e = vma->vm_end < end ? vma->vm_end : end;
		bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;

		if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_LOCKONFAULT))
			continue;
		if (!(vma->vm_flags & VM_ACCESS_FLAGS))
			continue;
		if (populate_vma_page_range(vma, s, e, write) == -ENOMEM)
			return -EAGAIN;
	}
	return 0;
}

/*
 * mincore_page_cached - a page not mapped here is still resident if its
 * file's page cache holds it uptodate (Linux's mincore_page()); anonymous
 * memory without a PTE is not resident (swap cache lookups come with swap).
 */
static unsigned char mincore_page_cached(struct vm_area_struct *vma, unsigned long addr)
{
	if (!vma->vm_file || !vma->vm_file->f_mapping)
		return 0;
	/* A swapped-out shmem page is resident while the swap cache holds it. */
	return filemap_page_incore(vma->vm_file->f_mapping, linear_page_index(vma, addr));
}

void mincore_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		 unsigned char *vec)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;

	for (addr = start; addr < end; addr += mm_page_size(mm), vec++) {
		pte_t *ptep = pte_lookup(mm, addr);

		if (ptep && pte_present(ptep_get(ptep)))
			*vec = 1;
		else
			*vec = mincore_page_cached(vma, addr);
	}
}
