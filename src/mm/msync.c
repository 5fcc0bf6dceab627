/*
 * msync.c - flushing a range of shared file mappings to their files.
 * Follows Linux mm/msync.c: the same argument checks and the same walk; the
 * writeback itself is page-writeback.c's.
 * Keeps: holes are skipped and reported as ENOMEM (at once for a plain MS_ASYNC).
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "mman.h"
#include "pagemap.h"
#include "vma.h"

/*
 * msync_vma - write back the file pages behind [@start, @end) of shared @vma:
 * MS_SYNC waits and reports (vfs_fsync_range), MS_ASYNC starts the writes at
 * once (Linux leaves them to the flusher threads) and reports nothing.
 */
static int msync_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		     int flags)
{
	unsigned int shift = vma->vm_mm->page_shift;
	pgoff_t first = vma->vm_pgoff + ((start - vma->vm_start) >> shift);
	pgoff_t last = first + ((end - start) >> shift) - 1;
	struct address_space *mapping = vma->vm_file->f_mapping;

	if (flags & MS_SYNC)
		return filemap_write_and_wait_range(mapping, first, last);
	filemap_fdatawrite_range(mapping, first, last);
	return 0;
}

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
		if ((flags & (MS_SYNC | MS_ASYNC)) && vma->vm_file && (vma->vm_flags & VM_SHARED)) {
			int err = msync_vma(vma, start, end < vma->vm_end ? end : vma->vm_end, flags);

			if (err)
				return err;
		}
		start = vma->vm_end;
		if (start >= end)
			return unmapped_error;
		vma = vma->vm_next;
	}
}
