/*
 * mincore.c - which pages of a range are resident.
 * Follows Linux mm/mincore.c: the argument checks, one byte per page, and
 * "resident" reported for file pages the caller could not otherwise probe.
 * Keeps: a page is resident when its PTE is present (the zero page too).
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "vma.h"

/*
 * can_do_mincore - anonymous memory, or a file the caller owns or may write:
 * otherwise Linux pretends every page is resident rather than leak cache state.
 */
static bool can_do_mincore(const struct vm_area_struct *vma)
{
	const struct file *file = vma->vm_file;

	if (vma_is_anonymous(vma))
		return true;
	if (!file)
		return false;
	return (file->f_mode & FMODE_WRITE) || file_inode(file)->host < 0 ||
	       file_inode(file)->host_writable;
}

long do_mincore(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned char *vec)
{
	unsigned long mask = mm_page_size(mm) - 1, pages;

	if (start & mask)
		return -EINVAL;
	/* access_ok(): the whole range must be user addresses. */
	if (len > mm->task_size || start > mm->task_size - len)
		return -ENOMEM;
	pages = (len >> mm->page_shift) + ((len & mask) != 0);
	while (pages) {
		struct vm_area_struct *vma = vma_lookup(mm, start);
		unsigned long end, n;

		if (!vma)
			return -ENOMEM;
		end = start + (pages << mm->page_shift);
		if (end > vma->vm_end || end < start)
			end = vma->vm_end;
		n = (end - start) >> mm->page_shift;
		if (can_do_mincore(vma))
			mincore_vma(vma, start, end, vec);
		else
			memset(vec, 1, n);
		vec += n;
		pages -= n;
		start = end;
	}
	return 0;
}
