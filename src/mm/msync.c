/*
 * msync.c - flushing a range of shared file mappings to their files.
 * Follows Linux mm/msync.c: the same argument checks and the same walk.
 * Keeps: holes are skipped and reported as ENOMEM (at once for a plain MS_ASYNC).
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "mman.h"
#include "vma.h"

int do_msync(struct mm_struct *mm, unsigned long start, unsigned long len, int flags)
{
	unsigned long mask = mm_page_size(mm) - 1, end;
	struct vm_area_struct *vma;
	int unmapped_error = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & mask)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = (len + mask) & ~mask;
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;

	vma = find_vma(mm, start);
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			/* MS_ASYNC alone has nothing left to do but report the hole. */
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		/* FIXME: vfs_fsync_range() writes dirty page-cache pages back (MS_SYNC, shared). */
		start = vma->vm_end;
		if (start >= end)
			return unmapped_error;
		vma = vma->vm_next;
	}
}
