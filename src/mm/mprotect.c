/*
 * mprotect.c - changing the access rights of a range: split the areas at its
 * ends, merge what becomes compatible, charge a private area made writable.
 * Follows Linux mm/mprotect.c (do_mprotect_pkey, mprotect_fixup).
 * Keeps: a right the area may not take (VM_MAYx clear) is refused with EACCES;
 * a hole stops the walk with ENOMEM after the areas before it changed.
 */
#include <errno.h>

#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mman.h"
#include "pgtable.h"
#include "rmap.h"
#include "tlb.h"
#include "vma.h"

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * can_change_pte_writable - may a write-protected entry of @vma become
 * writable now, without a fault? Private: an exclusive anonymous page
 * (PageAnonExclusive; a page shared at fork stays read-only until a write
 * fault reuses or copies it). Shared: only if already dirty (writes are noticed).
 */
static bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page;

	if (vma->vm_flags & VM_SHARED)
		return pte_dirty(pte);
	page = vm_normal_page(vma, addr, pte);
	return page && PageAnon(page) && PageFlag(page, PG_anon_exclusive);
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	pgprot_t prot = vm_get_page_prot(vma);
	bool try_writable = (vma->vm_flags & VM_WRITE) &&
			    (!(vma->vm_flags & VM_SHARED) || vma_wants_writenotify(vma));
	unsigned long addr, next;
	bool changed = false;

	for (addr = start; addr < end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, end);
		ptep = pte_lookup(mm, addr);
		if (!ptep)
			continue;
		for (; addr < next; addr += m->page_size, ptep++) {
			pte_t old = ptep_get(ptep), new;

			if (!pte_present(old))
				continue;
			new = pte_modify(old, prot);
			if (try_writable && !pte_write(new) && !pte_protnone(new) &&
			    can_change_pte_writable(vma, addr, new))
				new = pte_mkwrite(new);
			if (pte_val(new) != pte_val(old)) {
				set_pte(ptep, new);
				changed = true;
			}
		}
	}
	if (changed)
		flush_tlb_mm_range(m, &mm->pgd, start, end);
}

/*
 * mprotect_fixup - give [@start, @end) of @vma the flags @newflags; *@pprev
 * becomes the area now covering the range. 0 or -ENOMEM.
 */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, unsigned long start, unsigned long end,
			  unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> mm->page_shift), charged = 0;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/*
	 * A private mapping made writable is charged; made read-only again, only
	 * anonymous memory never touched gives the charge back.
	 */
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(mm, newflags, (unsigned long)nrpages) &&
		    may_expand_vm(mm, oldflags, (unsigned long)nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			charged = nrpages;
			if (__vm_enough_memory(mm, charged))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}

	vma = vma_modify_flags(mm, *pprev, vma, start, end, newflags);
	if (IS_ERR(vma)) {
		vm_unacct_memory(mm->machine, charged);
		return (int)PTR_ERR(vma);
	}
	*pprev = vma;
	vma_set_flags(vma, newflags);
	change_protection(vma, start, end);
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(mm->machine, nrpages);
	/* A locked private area made writable is populated to break COW now. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		mm_populate(mm, start, end - start);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot)
{
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	unsigned long end, nstart, tmp, newflags;
	struct vm_area_struct *vma, *prev;
	int error = 0;

	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & (mm_page_size(mm) - 1))
		return -EINVAL;
	if (!len)
		return 0;
	len = (len + mm_page_size(mm) - 1) & ~(mm_page_size(mm) - 1);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		/* x86 has no VM_GROWSUP areas. */
		if (grows & PROT_GROWSUP)
			return -EINVAL;
	}
	prev = start > vma->vm_start ? vma : vma->vm_prev;

	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		/* Each call passes all of r/w/x: a right not passed is taken away. */
		newflags = prot_to_vm_flags(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 puts VM_MAYx where VM_x is. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mprotect_fixup(mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = prev->vm_next;
	}
	if (!error && tmp < end)
		error = -ENOMEM;
	return error;
}
