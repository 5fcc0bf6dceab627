/*
 * madvise.c - advice on a range: access patterns (VM_SEQ_READ, VM_RAND_READ),
 * fork and dump behaviour (VM_DONTCOPY, VM_WIPEONFORK, VM_DONTDUMP), and the
 * page-level requests (DONTNEED, FREE, WILLNEED, COLD, PAGEOUT, POPULATE_*).
 * Follows Linux mm/madvise.c (madvise_walk_vmas, madvise_vma_behavior,
 * madvise_update_vma) for a kernel without KSM, THP and memory-failure.
 * Keeps: holes are skipped and reported as ENOMEM at the end; a failed split is EAGAIN.
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "mman.h"
#include "pagemap.h"
#include "pgtable.h"
#include "rmap.h"
#include "swap.h"
#include "tlb.h"
#include "vma.h"

/*
 * madvise_cold_or_pageout_range - MADV_COLD: the pages only this mapping
 * uses become old and inactive (first in line for reclaim); MADV_PAGEOUT:
 * they are reclaimed now, references or not (swapped out, or written back
 * and dropped). File pages are paged out only when the task may write the
 * file, as Linux's can_do_file_pageout().
 */
static void madvise_cold_or_pageout_range(struct vm_area_struct *vma, unsigned long start,
					  unsigned long end, bool pageout)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	bool file_ok = !vma->vm_file || (vma->vm_file->f_mode & FMODE_WRITE);
	struct reclaim_batch batch = { .nr = 0 };
	unsigned long addr, next;

	for (addr = start; addr < end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, end);
		ptep = pte_lookup(mm, addr);
		if (!ptep)
			continue;
		for (; addr < next; addr += m->page_size, ptep++) {
			pte_t pte = ptep_get(ptep);
			struct page *page;

			if (!pte_present(pte))
				continue;
			page = vm_normal_page(vma, addr, pte);
			if (!page || page_mapcount(page) != 1 || !PageFlag(page, PG_lru))
				continue;
			/* shmem too: its file is the task's, open for writing. */
			if (!PageAnon(page) && !file_ok)
				continue;
			if (ptep_test_and_clear_young(ptep))
				flush_tlb_page(m, &mm->pgd, addr);
			if (pageout)
				reclaim_batch_add(m, &batch, page);
			else
				madvise_cold_page(m, page);
		}
	}
	reclaim_batch_flush(m, &batch);
}

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		return true;
	default:
		/* MERGEABLE, HUGEPAGE, COLLAPSE, HWPOISON...: KSM, THP, memory-failure are out. */
		return false;
	}
}

/*
 * madvise_willneed - start reading a file area's pages into the page cache,
 * as Linux's madvise_willneed() asks vfs_fadvise(POSIX_FADV_WILLNEED) to:
 * the whole range, without readahead heuristics, mapping nothing. Anonymous
 * memory and shmem have nothing to read until swap-in readahead exists.
 */
static void madvise_willneed(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct file *file = vma->vm_file;
	struct readahead_control ractl;

	/* shmem has no backing file to read ahead from (Linux swaps its pages in instead). */
	if (!file || !file->f_mapping || shmem_mapping(file->f_mapping))
		return;
	ractl = (struct readahead_control){
		.file = file,
		.mapping = file->f_mapping,
		.ra = &file->f_ra,
		.index = linear_page_index(vma, start),
	};
	force_page_cache_ra(&ractl, (end - start) >> vma->vm_mm->page_shift);
}

/* Guard regions need ordinary pages (Linux's is_valid_guard_vma()). */
static bool is_valid_guard_vma(const struct vm_area_struct *vma, bool allow_locked)
{
	unsigned long disallowed = VM_SPECIAL | VM_HUGETLB;

	if (!allow_locked)
		disallowed |= VM_LOCKED;
	return !(vma->vm_flags & disallowed);
}

/* The requests that act on the pages of [@start, @end) of @vma. */
static int madvise_pages(struct vm_area_struct *vma, int behavior, unsigned long start,
			 unsigned long end)
{
	unsigned long flags = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		if ((flags & VM_PFNMAP) ||
		    (behavior != MADV_DONTNEED_LOCKED && (flags & VM_LOCKED)))
			return -EINVAL;
		if (behavior == MADV_FREE && !vma_is_anonymous(vma))
			return -EINVAL;
		if (behavior == MADV_FREE)
			madvise_free_range(vma, start, end);
		else
			zap_page_range_single(vma, start, end);
		return 0;
	case MADV_REMOVE:
		if (flags & VM_LOCKED)
			return -EINVAL;
		if (!vma->vm_file)
			return -EINVAL;
		if ((flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
			return -EACCES;
		/* FIXME: punch the hole in the file (vfs_fallocate) with the page cache. */
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		if (flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		madvise_cold_or_pageout_range(vma, start, end, behavior == MADV_PAGEOUT);
		return 0;
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		if (!is_valid_guard_vma(vma, behavior == MADV_GUARD_REMOVE))
			return -EINVAL;
		/* FIXME: install or remove guard PTE markers with the page tables. */
		return 0;
	default:	/* MADV_WILLNEED: read-ahead, a hint that cannot fail */
		madvise_willneed(vma, start, end);
		return 0;
	}
}

/*
 * madvise_vma_behavior - apply @behavior to [@start, @end) of @vma; *@prev
 * becomes the area covering the range.
 */
static int madvise_vma_behavior(struct mm_struct *mm, struct vm_area_struct *vma,
				struct vm_area_struct **prev, unsigned long start,
				unsigned long end, int behavior)
{
	unsigned long new_flags = vma->vm_flags;

	switch (behavior) {
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (new_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* Only private anonymous memory can be wiped. */
		if (vma->vm_file || (new_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (new_flags & VM_DROPPABLE)
			return -EINVAL;
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (new_flags & (VM_SPECIAL | VM_DROPPABLE))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	default:
		*prev = vma;
		return madvise_pages(vma, behavior, start, end);
	}

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(mm, *prev, vma, start, end, new_flags);
	if (IS_ERR(vma)) {
		/* Kernel resources temporarily short: EAGAIN, as Linux reports a failed split. */
		return PTR_ERR(vma) == -ENOMEM ? -EAGAIN : (int)PTR_ERR(vma);
	}
	*prev = vma;
	vma_set_flags(vma, new_flags);
	return 0;
}

/*
 * madvise_populate - MADV_POPULATE_READ/WRITE: every page of the range must be
 * mapped (ENOMEM), accessible that way (EINVAL) and inside its file (EFAULT).
 */
static int madvise_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
			    bool write)
{
	while (start < end) {
		struct vm_area_struct *vma = vma_lookup(mm, start);
		unsigned long vm_end;
		int err;

		if (!vma)
			return -ENOMEM;
		if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) ||
		    !(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		vm_end = vma->vm_end < end ? vma->vm_end : end;
		if (vma->vm_file) {
			/* A page past the end of the file faults with SIGBUS. */
			loff_t size = file_inode(vma->vm_file)->i_size;
			unsigned long first = vma->vm_pgoff +
					      ((start - vma->vm_start) >> mm->page_shift);
			unsigned long last = first + ((vm_end - start) >> mm->page_shift);
			unsigned long eof = (unsigned long)((size + (loff_t)mm_page_size(mm) - 1) >>
							    mm->page_shift);

			if (last > eof)
				return -EFAULT;
		}
		err = populate_vma_page_range(vma, start, vm_end, write);
		if (err)
			return err;
		start = vm_end;
	}
	return 0;
}

int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in, int behavior)
{
	unsigned long mask = mm_page_size(mm) - 1, len, end, tmp;
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0, error;

	if (!madvise_behavior_valid(behavior) || (start & mask))
		return -EINVAL;
	len = (len_in + mask) & ~mask;
	/* len was rounded up from a small negative value to zero. */
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		return madvise_populate(mm, start, end, behavior == MADV_POPULATE_WRITE);

	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -ENOMEM;
		/* A hole: skip it, but the call reports ENOMEM in the end. */
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = madvise_vma_behavior(mm, vma, &prev, start, tmp, behavior);
		if (error)
			return error;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = prev ? prev->vm_next : find_vma(mm, start);
	}
	return unmapped_error;
}
