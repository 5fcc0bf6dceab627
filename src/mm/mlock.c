/*
 * mlock.c - locking ranges in memory: VM_LOCKED (and VM_LOCKONFAULT) on the
 * areas, locked_vm accounting against RLIMIT_MEMLOCK, mlockall's future flag.
 * Follows Linux mm/mlock.c (do_mlock, apply_vma_lock_flags, mlock_fixup).
 * Keeps: locked_vm equals the pages of the VM_LOCKED areas.
 */
#include <errno.h>

#include "machine.h"
#include "memory.h"
#include "mman.h"
#include "pgtable.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"

static bool locked_vma_found(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			     pte_t *ptep, void *arg)
{
	(void)page;
	(void)addr;
	(void)ptep;
	if (vma->vm_flags & VM_LOCKED) {
		*(bool *)arg = true;
		return false;
	}
	return true;
}

void munlock_page_unless_locked(struct machine *m, struct page *page)
{
	bool locked = false;

	if (!PageFlag(page, PG_mlocked) && !PageFlag(page, PG_unevictable))
		return;
	rmap_walk(m, page, locked_vma_found, &locked);
	if (!locked)
		munlock_page(m, page);
}

/*
 * mlock_vma_pages_range - the pages present in [@start, @end) of @vma go to
 * the unevictable list (@lock) or, when no other locked area maps them, back
 * to the evictable ones (Linux's mlock_vma_pages_range / munlock_folio).
 */
static void mlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end, bool lock)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned long addr, next;

	for (addr = start; addr < end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, end);
		ptep = pte_lookup(vma->vm_mm, addr);
		if (!ptep)
			continue;
		for (; addr < next; addr += m->page_size, ptep++) {
			pte_t pte = ptep_get(ptep);
			struct page *page;

			if (!pte_present(pte))
				continue;
			page = vm_normal_page(vma, addr, pte);
			if (!page || !PageFlag(page, PG_lru))
				continue;
			if (lock)
				mlock_page(m, page);
			else
				munlock_page_unless_locked(m, page);
		}
	}
}

/*
 * mlock_fixup - set @newflags on [@start, @end) of @vma and account the
 * change in locked_vm. Special areas are skipped silently, as in Linux.
 */
static int mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, unsigned long start, unsigned long end,
		       unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long nr_pages;

	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE))) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(mm, *prev, vma, start, end, newflags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);
	nr_pages = (long)((end - start) >> mm->page_shift);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += nr_pages;
	vma_set_flags(vma, newflags);
	if ((newflags ^ oldflags) & VM_LOCKED)
		mlock_vma_pages_range(vma, start, end, newflags & VM_LOCKED);
	*prev = vma;
	return 0;
}

/* apply_vma_lock_flags - VM_LOCKED_MASK bits @flags on every area of [@start, @start + @len). */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long len,
				unsigned long flags)
{
	unsigned long end = start + len, nstart, tmp, newflags;
	struct vm_area_struct *vma, *prev;
	int error;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = start > vma->vm_start ? vma : vma->vm_prev;
	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mlock_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = prev->vm_next;
	}
	return tmp < end ? -ENOMEM : 0;
}

/* Pages of [@start, @start + @len) already locked: they do not count twice against the limit. */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm, unsigned long start,
					      unsigned long len)
{
	unsigned long end = start + len, count = 0;
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		if (start > vma->vm_start)
			count -= start - vma->vm_start;
		if (end < vma->vm_end) {
			count += end - vma->vm_start;
			break;
		}
		count += vma->vm_end - vma->vm_start;
	}
	return count >> mm->page_shift;
}

int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags)
{
	unsigned long mask = mm_page_size(mm) - 1, locked, lock_limit;
	int error;

	if (!can_do_mlock(mm))
		return -EPERM;
	len = (len + (start & mask) + mask) & ~mask;
	start &= ~mask;
	lock_limit = rlimit(mm, RLIMIT_MEMLOCK) >> mm->page_shift;
	locked = (len >> mm->page_shift) + mm->locked_vm;
	if (locked > lock_limit)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked > lock_limit)
		return -ENOMEM;
	error = apply_vma_lock_flags(mm, start, len, flags);
	if (error)
		return error;
	return mm_populate(mm, start, len);
}

int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long mask = mm_page_size(mm) - 1;

	len = (len + (start & mask) + mask) & ~mask;
	start &= ~mask;
	return apply_vma_lock_flags(mm, start, len, 0);
}

/* apply_mlockall_flags - future areas get def_flags, current ones the bits (errors ignored). */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	vma = mm->mmap;
	while (vma) {
		unsigned long newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;

		if (mlock_fixup(mm, vma, &prev, vma->vm_start, vma->vm_end, newflags))
			prev = vma;
		vma = prev->vm_next;
	}
}

int do_mlockall(struct mm_struct *mm, int flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(mm))
		return -EPERM;
	if ((flags & MCL_CURRENT) && mm->total_vm > rlimit(mm, RLIMIT_MEMLOCK) >> mm->page_shift)
		return -ENOMEM;
	apply_mlockall_flags(mm, flags);
	if (flags & MCL_CURRENT)
		mm_populate(mm, 0, mm->task_size);
	return 0;
}

int do_munlockall(struct mm_struct *mm)
{
	apply_mlockall_flags(mm, 0);
	return 0;
}
