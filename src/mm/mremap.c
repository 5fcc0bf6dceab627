/*
 * mremap.c - resizing and moving mappings: shrink in place, grow in place
 * (merging with the next area), move with MREMAP_MAYMOVE or MREMAP_FIXED,
 * keep the source with MREMAP_DONTUNMAP, and move several areas at once
 * (MREMAP_FIXED without resizing, as Linux 6.17 allows).
 * Follows Linux mm/mremap.c (check_mremap_params, check_prep_vma, mremap_to,
 * expand_vma, move_vma, remap_move).
 * Keeps: the commit charge moves with the pages; total_vm's peak is not
 * raised by the moment a move has both copies.
 */
#include <errno.h>

#include "machine.h"
#include "memory.h"
#include "mman.h"
#include "pgtable.h"
#include "printk.h"
#include "rmap.h"
#include "tlb.h"
#include "vma.h"

enum mremap_type {
	MREMAP_INVALID,
	MREMAP_NO_RESIZE,	/* old_len == new_len */
	MREMAP_SHRINK,
	MREMAP_EXPAND,
};

/* One mremap() call as it proceeds (Linux's vma_remap_struct). */
struct vma_remap_struct {
	struct mm_struct *mm;
	unsigned long addr;		/* bytes: the source */
	unsigned long old_len;		/* bytes */
	unsigned long new_len;		/* bytes */
	unsigned long flags;		/* MREMAP_* */
	unsigned long new_addr;		/* bytes: the destination */
	struct vm_area_struct *vma;	/* the source area */
	unsigned long delta;		/* bytes: |old_len - new_len| */
	enum mremap_type remap_type;
	long charged;			/* pages charged to the commit total */
	bool populate_expand;		/* a locked area grew: populate the new part */
};

static bool vrm_implies_new_addr(const struct vma_remap_struct *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool vrm_overlaps(const struct vma_remap_struct *vrm)
{
	return vrm->addr + vrm->old_len > vrm->new_addr &&
	       vrm->new_addr + vrm->new_len > vrm->addr;
}

static unsigned long check_mremap_params(const struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	unsigned long mask = mm_page_size(mm) - 1;

	if (vrm->flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (vrm->addr & mask)
		return -EINVAL;
	/* A zero old_len duplicates a shared mapping; a zero new_len means nothing. */
	if (!vrm->new_len || vrm->new_len > mm->task_size)
		return -EINVAL;
	if (!vrm_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > mm->task_size - vrm->new_len || (vrm->new_addr & mask))
		return -EINVAL;
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	if (vrm_overlaps(vrm))
		return -EINVAL;
	/* Both the source and the destination may split into three before the move. */
	if ((unsigned long)mm->map_count + 2 >= mm->machine->tasks.sysctl.max_map_count - 3)
		return -ENOMEM;
	return 0;
}

/* check_prep_vma - the checks against the source area; sets delta, type and new_addr. */
static int check_prep_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	struct mm_struct *mm = vrm->mm;
	unsigned long old_len, new_len, pgoff;

	if (!vma)
		return -EFAULT;
	vrm->delta = vrm->old_len > vrm->new_len ? vrm->old_len - vrm->new_len
						 : vrm->new_len - vrm->old_len;
	vrm->remap_type = !vrm->delta ? MREMAP_NO_RESIZE
		       : vrm->old_len > vrm->new_len ? MREMAP_SHRINK : MREMAP_EXPAND;
	if (!vrm_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;
	/* Only growing or moving maps new addresses. */
	if (vrm->remap_type != MREMAP_EXPAND && !vrm_implies_new_addr(vrm))
		return 0;

	old_len = vrm->old_len;
	new_len = vrm->new_len;
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
		printk(mm->machine,
		       "%s (%d): attempted to duplicate a private mapping with mremap.  "
		       "This is not supported.",
		       mm->owner ? mm->owner->comm : "", mm->owner ? mm->owner->pid : 0);
		return -EINVAL;
	}
	if ((vrm->flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* A shrink may unmap across the end of the area; only the kept part must fit. */
	if (vrm->remap_type == MREMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;
	if (vma->vm_flags & VM_LOCKED)
		vrm->populate_expand = true;
	pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> mm->page_shift);
	if (pgoff + (new_len >> mm->page_shift) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(mm, vma->vm_flags & VM_LOCKED, vrm->delta))
		return -EAGAIN;
	if (!may_expand_vm(mm, vma->vm_flags, vrm->delta >> mm->page_shift))
		return -ENOMEM;
	return 0;
}

static unsigned long vrm_set_new_addr(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	struct mm_struct *mm = vrm->mm;
	pgoff_t pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> mm->page_shift);
	unsigned long map_flags = 0, res;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = get_unmapped_area(mm, vma->vm_file, vrm_implies_new_addr(vrm) ? vrm->new_addr : 0,
				vrm->new_len, pgoff, map_flags);
	if (IS_ERR_VALUE(res))
		return res;
	vrm->new_addr = res;
	return 0;
}

/* vrm_calc_charge - charge what the operation adds: the delta, or all of it with DONTUNMAP. */
static bool vrm_calc_charge(struct vma_remap_struct *vrm)
{
	long charged;

	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return true;
	charged = (long)(((vrm->flags & MREMAP_DONTUNMAP) ? vrm->new_len : vrm->delta) >>
			 vrm->mm->page_shift);
	if (__vm_enough_memory(vrm->mm, charged))
		return false;
	vrm->charged = charged;
	return true;
}

static void vrm_uncharge(struct vma_remap_struct *vrm)
{
	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return;
	vm_unacct_memory(vrm->mm->machine, vrm->charged);
	vrm->charged = 0;
}

static void vrm_stat_account(struct vma_remap_struct *vrm, unsigned long bytes)
{
	long pages = (long)(bytes >> vrm->mm->page_shift);

	vm_stat_account(vrm->mm, vrm->vma->vm_flags, pages);
	if (vrm->vma->vm_flags & VM_LOCKED)
		vrm->mm->locked_vm += pages;
}

unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned long off, page_size = m->page_size;
	bool moved_any = false;

	(void)new_vma;
	for (off = 0; off < len; off += page_size) {
		pte_t *old = pte_lookup(mm, old_addr + off), *new, pte;

		if (!old) {
			/* No table: skip to the next one. */
			unsigned long next = pt_addr_end(m, PT_PMD, old_addr + off, old_addr + len);

			off = next - old_addr - page_size;
			continue;
		}
		if (pte_none(ptep_get(old)))
			continue;
		new = pte_alloc_addr(mm, new_addr + off);
		if (!new)
			break;
		/* Rmap needs nothing: the new area keeps the pages' offsets (vm_pgoff). */
		pte = ptep_get_and_clear(old);
		set_pte(new, pte);
		moved_any = true;
	}
	if (moved_any)
		flush_tlb_mm_range(m, &mm->pgd, old_addr, old_addr + off);
	return off < len ? off : len;
}

static int shrink_vma(struct vma_remap_struct *vrm)
{
	int err = do_munmap(vrm->mm, vrm->addr + vrm->new_len, vrm->delta);

	vrm->vma = NULL;
	if (err)
		return err;
	vrm->vma = vma_lookup(vrm->mm, vrm->addr);
	return vrm->vma ? 0 : -EFAULT;
}

/*
 * unmap_source_vma - the move is done: unmap the old range. Its pages' charge
 * went with them, so VM_ACCOUNT is cleared first and put back on what stays.
 */
static void unmap_source_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	struct vm_area_struct *vma = vrm->vma, *rest;
	unsigned long addr = vrm->addr, len = vrm->old_len, end = addr + len;
	unsigned long vm_start = vma->vm_start, vm_end = vma->vm_end;
	bool accountable_move = (vma->vm_flags & VM_ACCOUNT) && !(vrm->flags & MREMAP_DONTUNMAP);

	if (accountable_move)
		vma_set_flags(vma, vma->vm_flags & ~VM_ACCOUNT);
	vrm->vma = NULL;
	if (do_munmap(mm, addr, len)) {
		/* Out of memory to split: the area stays; get the accounts right at least. */
		vm_acct_memory(mm->machine, (long)(len >> mm->page_shift));
		mm->flags |= BIT(MMF_VMA_UNMERGED);
		return;
	}
	if (!accountable_move)
		return;
	if (vm_start < addr) {
		rest = vma_lookup(mm, addr - 1);
		vma_set_flags(rest, rest->vm_flags | VM_ACCOUNT);
	}
	if (vm_end > end) {
		rest = vma_lookup(mm, end);
		vma_set_flags(rest, rest->vm_flags | VM_ACCOUNT);
	}
}

/* dontunmap_complete - the source stays mapped, but no longer locked (its pages left). */
static void dontunmap_complete(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;

	if (vma->vm_flags & VM_LOCKED_MASK) {
		vma_set_flags(vma, vma->vm_flags & ~VM_LOCKED_MASK);
		/* Linux keeps locked_vm, and may leave the area beside compatible ones. */
		vrm->mm->flags |= BIT(MMF_VMA_UNMERGED);
	}
	/* Its pages left with the tables: new faults here start a new anon_vma. */
	if (vma->anon_vma && vma->vm_start == vrm->addr &&
	    vma->vm_end == vrm->addr + vrm->old_len)
		unlink_anon_vmas(vma);
}

static unsigned long move_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	struct vm_area_struct *vma = vrm->vma, *new_vma;
	unsigned long hiwater_vm, moved;
	int err = 0;

	/* A copy that does not merge plus an unmap that splits: two more areas. */
	if ((unsigned long)mm->map_count >= mm->machine->tasks.sysctl.max_map_count - 3)
		return -ENOMEM;
	if (vma->vm_ops && vma->vm_ops->may_split) {
		if (vma->vm_start != vrm->addr)
			err = vma->vm_ops->may_split(vma, vrm->addr);
		if (!err && vma->vm_end != vrm->addr + vrm->old_len)
			err = vma->vm_ops->may_split(vma, vrm->addr + vrm->old_len);
		if (err)
			return err;
	}
	if (!vrm_calc_charge(vrm))
		return -ENOMEM;

	new_vma = copy_vma(&vma, vrm->new_addr, vrm->new_len,
			   vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> mm->page_shift));
	if (!new_vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	moved = move_page_tables(vma, vrm->addr, new_vma, vrm->new_addr, vrm->old_len);
	if (moved < vrm->old_len) {
		/* Out of memory for tables: put back what moved, then fail like Linux. */
		move_page_tables(new_vma, vrm->new_addr, vma, vrm->addr, moved);
		err = -ENOMEM;
	} else if (vma->vm_ops && vma->vm_ops->mremap) {
		err = vma->vm_ops->mremap(new_vma);
	}
	if (err) {
		/* Undo by unmapping the copy instead of the source. */
		vrm->vma = new_vma;
		vrm->old_len = vrm->new_len;
		vrm->addr = vrm->new_addr;
	}

	/* total_vm counts both copies for a moment: keep that out of its peak. */
	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(vrm, vrm->new_len);
	if (!err && (vrm->flags & MREMAP_DONTUNMAP))
		dontunmap_complete(vrm);
	else
		unmap_source_vma(vrm);
	mm->hiwater_vm = hiwater_vm;
	return err ? (unsigned long)err : vrm->new_addr;
}

static unsigned long mremap_to(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	int err;

	if (vrm->flags & MREMAP_FIXED) {
		/* Like MAP_FIXED: whatever is at the destination goes first. */
		err = do_munmap(mm, vrm->new_addr, vrm->new_len);
		vrm->vma = NULL;
		if (err)
			return err;
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	if (vrm->remap_type == MREMAP_SHRINK) {
		err = shrink_vma(vrm);
		if (err)
			return err;
		vrm->old_len = vrm->new_len;
	}
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, vrm->vma->vm_flags, vrm->old_len >> mm->page_shift))
		return -ENOMEM;
	err = (int)(long)vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* vma_expandable - nothing mapped after the area for @delta bytes, and still below TASK_SIZE. */
static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(mm, vma->vm_end, end))
		return false;
	return !IS_ERR_VALUE(get_unmapped_area(mm, NULL, vma->vm_start, end - vma->vm_start, 0,
					       MAP_FIXED));
}

static unsigned long expand_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long err;

	/* [addr, addr + old_len) ends where the area ends: try to grow it in place. */
	if (vma->vm_end - vrm->addr == vrm->old_len && vma_expandable(vma, vrm->delta)) {
		if (!vrm_calc_charge(vrm))
			return -ENOMEM;
		vma = vma_merge_extend(vrm->mm, vma, vrm->delta);
		if (!vma) {
			vrm_uncharge(vrm);
			return -ENOMEM;
		}
		vrm->vma = vma;
		vrm_stat_account(vrm, vrm->delta);
		return vrm->addr;
	}
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

static unsigned long mremap_at(struct vma_remap_struct *vrm)
{
	int err;

	switch (vrm->remap_type) {
	case MREMAP_NO_RESIZE:
		return vrm->addr;
	case MREMAP_SHRINK:
		err = shrink_vma(vrm);
		return err ? (unsigned long)err : vrm->addr;
	case MREMAP_EXPAND:
		return expand_vma(vrm);
	default:
		return -EINVAL;
	}
}

/*
 * remap_move - MREMAP_FIXED without resizing: move every area of the source
 * range, keeping the gaps between them; a hole at the start is EFAULT.
 */
static unsigned long remap_move(struct vma_remap_struct *vrm)
{
	unsigned long start = vrm->addr, end = vrm->addr + vrm->old_len;
	unsigned long target = vrm->new_addr, res = -EFAULT, last_end = 0, next = start;
	bool seen_vma = false;
	struct vm_area_struct *vma;

	while ((vma = find_vma_intersection(vrm->mm, next, end))) {
		unsigned long addr = vma->vm_start > start ? vma->vm_start : start;
		unsigned long len = (vma->vm_end < end ? vma->vm_end : end) - addr;
		unsigned long offset, res_vma;

		if (!seen_vma && start < vma->vm_start)
			return -EFAULT;
		offset = seen_vma ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;
		vrm->vma = vma;
		vrm->addr = addr;
		vrm->new_addr = target + offset;
		vrm->old_len = vrm->new_len = len;
		res_vma = (unsigned long)check_prep_vma(vrm);
		if (!res_vma)
			res_vma = mremap_to(vrm);
		if (IS_ERR_VALUE(res_vma))
			return res_vma;
		if (!seen_vma)
			res = res_vma;
		seen_vma = true;
		target = res_vma + len;
		next = addr + len;
	}
	return res;
}

unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	unsigned long mask = mm_page_size(mm) - 1, res;
	struct vma_remap_struct vrm = {
		.mm = mm,
		.addr = addr,
		.old_len = (old_len + mask) & ~mask,
		.new_len = (new_len + mask) & ~mask,
		.flags = flags,
		.new_addr = new_addr,
	};

	res = check_mremap_params(&vrm);
	if (res)
		return res;
	if ((vrm.flags & MREMAP_FIXED) && vrm.old_len == vrm.new_len) {
		res = remap_move(&vrm);
	} else {
		vrm.vma = vma_lookup(mm, addr);
		res = (unsigned long)check_prep_vma(&vrm);
		if (!res)
			res = vrm_implies_new_addr(&vrm) ? mremap_to(&vrm) : mremap_at(&vrm);
	}
	if (!IS_ERR_VALUE(res) && vrm.populate_expand)
		mm_populate(mm, vrm.new_addr + vrm.old_len, vrm.delta);
	return res;
}
