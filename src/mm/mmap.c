/*
 * mmap.c - creating and destroying mappings: mmap, munmap, brk, placement of
 * new areas (top-down below mmap_base, bottom-up as the fallback), the
 * address-space accounting (total/data/exec/stack/locked_vm, overcommit) and
 * the stack of a new process.
 * Follows Linux mm/mmap.c, mm/vma.c (__mmap_region, do_vmi_align_munmap) and
 * arch/x86/kernel/sys_x86_64.c (arch_get_unmapped_area[_topdown]).
 * Keeps: the counters equal the sums over the areas; a failed call changes
 * nothing except the splits Linux also leaves behind.
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "mman.h"
#include "pgtable.h"
#include "printk.h"
#include "vma.h"

#define STACK_EXPAND (128UL << 10)	/* bytes a new stack gets beyond its arguments */

static inline unsigned long page_align(const struct mm_struct *mm, unsigned long x)
{
	return (x + mm_page_size(mm) - 1) & ~(mm_page_size(mm) - 1);
}

static inline const struct vm_sysctls *sysctl(const struct mm_struct *mm)
{
	return &mm->machine->tasks.sysctl;
}

unsigned long rlimit(const struct mm_struct *mm, int resource)
{
	if (!mm->owner)
		return resource == RLIMIT_STACK || resource == RLIMIT_MEMLOCK ? 8UL << 20
									   : RLIM_INFINITY;
	return mm->owner->rlim[resource].rlim_cur;
}

/* ---- accounting ---- */

void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages)
{
	unsigned long data_limit = rlimit(mm, RLIMIT_DATA);

	if (mm->total_vm + npages > rlimit(mm, RLIMIT_AS) >> mm->page_shift)
		return false;
	if (is_data_mapping(flags) && mm->data_vm + npages > data_limit >> mm->page_shift) {
		/* Linux's workaround for Valgrind: a zero soft limit falls back to the hard one. */
		if (data_limit == 0 && mm->owner &&
		    mm->data_vm + npages <= mm->owner->rlim[RLIMIT_DATA].rlim_max >> mm->page_shift)
			return true;
		printk(mm->machine, "%s (%d): VmData %lu exceed data ulimit %lu. Update limits "
				    "or use boot option ignore_rlimit_data.",
		       mm->owner ? mm->owner->comm : "", mm->owner ? mm->owner->pid : 0,
		       (mm->data_vm + npages) << mm->page_shift, data_limit);
		return false;
	}
	return true;
}

/* The simulated user is unprivileged: no CAP_IPC_LOCK. */
bool can_do_mlock(struct mm_struct *mm)
{
	return rlimit(mm, RLIMIT_MEMLOCK) != 0;
}

bool mlock_future_ok(struct mm_struct *mm, unsigned long flags, unsigned long bytes)
{
	if (!(flags & VM_LOCKED))
		return true;
	return (bytes >> mm->page_shift) + mm->locked_vm <=
	       rlimit(mm, RLIMIT_MEMLOCK) >> mm->page_shift;
}

/* ---- placement ---- */

struct unmapped_area_info {
	unsigned long length;		/* bytes */
	unsigned long low_limit;	/* lowest start, bytes */
	unsigned long high_limit;	/* highest end, bytes */
};

/* The free range below @vma: [prev end, start of vma's claim). */
static void gap_below(const struct vm_area_struct *vma, unsigned long *start, unsigned long *end)
{
	*start = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;
	*end = vm_start_gap(vma);
}

/* Clip [start, end) to the limits; true if @len bytes fit in what is left. */
static bool gap_fits(const struct unmapped_area_info *info, unsigned long start,
		     unsigned long end, unsigned long *lo, unsigned long *hi)
{
	*lo = start > info->low_limit ? start : info->low_limit;
	*hi = end < info->high_limit ? end : info->high_limit;
	return *hi > *lo && *hi - *lo >= info->length;
}

/* The highest fitting gap in @rb's subtree: its end minus the length, or 0. */
static unsigned long search_topdown(const struct unmapped_area_info *info, struct rb_node *rb)
{
	while (rb) {
		struct vm_area_struct *vma = rb_entry(rb, struct vm_area_struct, vm_rb);
		unsigned long start, end, lo, hi, found;

		if (vma->rb_subtree_gap < info->length)
			return 0;
		gap_below(vma, &start, &end);
		/* This gap and every gap to its right start above the limit. */
		if (start >= info->high_limit) {
			rb = rb->rb_left;
			continue;
		}
		found = search_topdown(info, rb->rb_right);
		if (found)
			return found;
		if (gap_fits(info, start, end, &lo, &hi))
			return hi - info->length;
		/* Every gap to the left ends below this one's start. */
		if (start <= info->low_limit)
			return 0;
		rb = rb->rb_left;
	}
	return 0;
}

/* The lowest fitting gap in @rb's subtree: its start, or 0. */
static unsigned long search_bottomup(const struct unmapped_area_info *info, struct rb_node *rb)
{
	while (rb) {
		struct vm_area_struct *vma = rb_entry(rb, struct vm_area_struct, vm_rb);
		unsigned long start, end, lo, hi, found;

		if (vma->rb_subtree_gap < info->length)
			return 0;
		gap_below(vma, &start, &end);
		if (end <= info->low_limit) {
			rb = rb->rb_right;
			continue;
		}
		found = search_bottomup(info, rb->rb_left);
		if (found)
			return found;
		if (gap_fits(info, start, end, &lo, &hi))
			return lo;
		if (vma->vm_end >= info->high_limit)
			return 0;
		rb = rb->rb_right;
	}
	return 0;
}

/*
 * unmapped_area_topdown - the highest address where @info->length bytes fit
 * between the limits (Linux's unmapped_area_topdown); mmap_min_addr is the
 * floor. -ENOMEM if nothing fits.
 */
static unsigned long unmapped_area_topdown(struct mm_struct *mm, struct unmapped_area_info *info)
{
	unsigned long lo, hi, found;

	if (info->low_limit < sysctl(mm)->mmap_min_addr)
		info->low_limit = sysctl(mm)->mmap_min_addr;
	if (gap_fits(info, mm->highest_vm_end, ~0UL, &lo, &hi))
		return hi - info->length;
	found = search_topdown(info, mm->mm_rb.rb_node);
	return found ? found : (unsigned long)-ENOMEM;
}

static unsigned long unmapped_area(struct mm_struct *mm, struct unmapped_area_info *info)
{
	unsigned long lo, hi, found;

	if (info->low_limit < sysctl(mm)->mmap_min_addr)
		info->low_limit = sysctl(mm)->mmap_min_addr;
	found = search_bottomup(info, mm->mm_rb.rb_node);
	if (found)
		return found;
	if (gap_fits(info, mm->highest_vm_end, ~0UL, &lo, &hi))
		return lo;
	return (unsigned long)-ENOMEM;
}

static unsigned long default_map_window_of(const struct mm_struct *mm)
{
	return mm->machine->arch.geo.va_bits == 57 ? (1UL << 47) - mm_page_size(mm)
						   : mm->task_size;
}

/* x86's mmap_address_hint_valid(): inside TASK_SIZE and not straddling the 47-bit window. */
static bool mmap_address_hint_valid(const struct mm_struct *mm, unsigned long addr,
				    unsigned long len)
{
	unsigned long window = default_map_window_of(mm);

	if (mm->task_size - len < addr)
		return false;
	return (addr > window) == (addr + len > window);
}

static unsigned long arch_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					    unsigned long len, unsigned long flags)
{
	struct unmapped_area_info info = { .length = len };
	struct vm_area_struct *vma;
	unsigned long begin = mm->mmap_legacy_base, end;

	if (flags & MAP_FIXED)
		return addr;
	end = addr > default_map_window_of(mm) ? mm->task_size : default_map_window_of(mm);
	if ((flags & MAP_32BIT) && !mmap_is_ia32(mm->machine)) {
		/* The first 2 GiB for code in the small model: 1 GiB of room from 1 GiB. */
		begin = 0x40000000UL;
		end = 0x80000000UL;
		if (sysctl(mm)->randomize_va_space)
			begin = randomize_page(mm->machine, begin, 0x02000000UL);
	}
	if (len > end)
		return -ENOMEM;
	if (addr) {
		addr = page_align(mm, addr);
		vma = find_vma(mm, addr);
		if (end - len >= addr && (!vma || addr + len <= vm_start_gap(vma)))
			return addr;
	}
	info.low_limit = begin;
	info.high_limit = end;
	return unmapped_area(mm, &info);
}

static unsigned long arch_get_unmapped_area_topdown(struct mm_struct *mm, unsigned long addr0,
						    unsigned long len, unsigned long flags)
{
	struct unmapped_area_info info = { .length = len };
	struct vm_area_struct *vma;
	unsigned long addr = addr0;

	if (len > mm->task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if ((flags & MAP_32BIT) && !mmap_is_ia32(mm->machine))
		goto bottomup;
	if (addr) {
		addr &= ~(mm_page_size(mm) - 1);
		if (mmap_address_hint_valid(mm, addr, len)) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}
	info.low_limit = mm_page_size(mm);
	info.high_limit = mm->mmap_base;
	/* A hint above the 47-bit window opens the whole 5-level space. */
	if (addr > default_map_window_of(mm))
		info.high_limit += mm->task_size - default_map_window_of(mm);
	addr = unmapped_area_topdown(mm, &info);
	if (!IS_ERR_VALUE(addr))
		return addr;
bottomup:
	/* A failed mmap() likely kills the program: try bottom-up before giving up. */
	return arch_get_unmapped_area(mm, addr0, len, flags);
}

unsigned long get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				unsigned long len, unsigned long pgoff, unsigned long flags)
{
	(void)file;
	(void)pgoff;	/* no cache colouring on x86 (va_align is AMD family 15h only) */
	if (len > mm->task_size)
		return -ENOMEM;
	if (mm_flag(mm, MMF_TOPDOWN))
		addr = arch_get_unmapped_area_topdown(mm, addr, len, flags);
	else
		addr = arch_get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > mm->task_size - len)
		return -ENOMEM;
	if (addr & (mm_page_size(mm) - 1))
		return -EINVAL;
	/* security_mmap_addr(): below mmap_min_addr needs CAP_SYS_RAWIO, which the user lacks. */
	if (addr < sysctl(mm)->mmap_min_addr)
		return -EPERM;
	return addr;
}

/* ---- unmapping ---- */

/* What an unmap takes away, gathered before the point of no return. */
struct unmap_state {
	struct vm_area_struct *first;	/* first area inside [start, end), after the splits */
	unsigned long start, end;
	unsigned long nr_pages, locked_vm, exec_vm, stack_vm, data_vm, nr_accounted;
	bool split;			/* an area was split: a failure leaves the pieces */
};

/* unmap_abandon - the unmap will not happen: like Linux, keep the splits made for it. */
static int unmap_abandon(struct mm_struct *mm, const struct unmap_state *us, int err)
{
	if (us->split)
		mm->flags |= BIT(MMF_VMA_UNMERGED);
	return err;
}

/*
 * unmap_gather - split the areas at the ends of [@start, @end) and count what
 * lies inside. On failure the splits already made stay, as in Linux.
 */
static int unmap_gather(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct unmap_state *us)
{
	int err;

	*us = (struct unmap_state){ .start = start, .end = end };
	if (start > vma->vm_start) {
		/* Let map_count pass the limit only by an unmap that frees something whole. */
		if (end < vma->vm_end &&
		    (unsigned long)mm->map_count >= sysctl(mm)->max_map_count)
			return -ENOMEM;
		err = __split_vma(mm, vma, start, 1);
		if (err)
			return err;
		us->split = true;
	}
	us->first = vma;
	for (; vma && vma->vm_start < end; vma = vma->vm_next) {
		unsigned long pages;

		if (vma->vm_end > end) {
			err = __split_vma(mm, vma, end, 0);
			if (err)
				return unmap_abandon(mm, us, err);
			us->split = true;
		}
		pages = vma_pages(vma);
		us->nr_pages += pages;
		if (vma->vm_flags & VM_LOCKED)
			us->locked_vm += pages;
		if (vma->vm_flags & VM_ACCOUNT)
			us->nr_accounted += pages;
		if (is_exec_mapping(vma->vm_flags))
			us->exec_vm += pages;
		else if (is_stack_mapping(vma->vm_flags))
			us->stack_vm += pages;
		else if (is_data_mapping(vma->vm_flags))
			us->data_vm += pages;
	}
	return 0;
}

/* unmap_detach - take the gathered areas out of the tree; returns them chained by vm_next. */
static struct vm_area_struct *unmap_detach(struct mm_struct *mm, struct unmap_state *us)
{
	struct vm_area_struct *vma = us->first, *detached = NULL, **tail = &detached;

	while (vma && vma->vm_start < us->end) {
		struct vm_area_struct *next = vma->vm_next;

		vma_unlink(mm, vma);
		*tail = vma;
		tail = &vma->vm_next;
		vma = next;
	}
	return detached;
}

/*
 * unmap_complete - the detached areas go: their pages (demand paging: clear
 * the PTEs, flush the TLB, then free the pages), the counters, the areas.
 */
static void unmap_complete(struct mm_struct *mm, struct unmap_state *us,
			   struct vm_area_struct *detached)
{
	/*
	 * Clear the PTEs, flush the TLB, release the pages (unmap_vmas), then
	 * free the emptied tables (free_pgtables), in that order.
	 */
	update_hiwater_rss(mm);
	unmap_vmas(detached, us->start, us->end);
	pgtable_unmap_range(mm->machine, &mm->pgd, us->start, us->end - us->start);
	mm->locked_vm -= us->locked_vm;
	update_hiwater_vm(mm);
	mm->total_vm -= us->nr_pages;
	mm->exec_vm -= us->exec_vm;
	mm->stack_vm -= us->stack_vm;
	mm->data_vm -= us->data_vm;
	while (detached) {
		struct vm_area_struct *next = detached->vm_next;

		detached->vm_next = NULL;
		remove_vma(detached);
		detached = next;
	}
	vm_unacct_memory(mm->machine, (long)us->nr_accounted);
}

int do_unmap_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma_intersection(mm, start, end);
	struct unmap_state us;
	int err;

	if (!vma)
		return 0;
	err = unmap_gather(mm, vma, start, end, &us);
	if (err)
		return err;
	unmap_complete(mm, &us, unmap_detach(mm, &us));
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end;

	if ((start & (mm_page_size(mm) - 1)) || start > mm->task_size ||
	    len > mm->task_size - start)
		return -EINVAL;
	end = start + page_align(mm, len);
	if (end == start)
		return -EINVAL;
	return do_unmap_range(mm, start, end);
}

/* ---- mapping ---- */

static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* MAP_STACK would add VM_NOHUGEPAGE, but this kernel has no THP. */
static unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) | (flags & MAP_LOCKED ? VM_LOCKED : 0) |
	       (flags & MAP_SYNC ? VM_SYNC : 0);
}

/* A private writable mapping is charged to the commit total (Linux's accountable_mapping()). */
static bool accountable_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* Linux's file_mmap_ok(): the offsets of the mapping fit in a file position. */
static bool file_mmap_ok(const struct file *file, unsigned long pgoff, unsigned long len,
			 unsigned int shift)
{
	const struct inode *inode = file_inode(file);
	unsigned long long maxsize = S_ISREG(inode->i_mode) ? (unsigned long long)MAX_LFS_FILESIZE
							    : ~0ULL;

	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= maxsize >> shift;
}

/* __mmap_new_vma - a fresh area for the range, set up by its backing. NULL: -ENOMEM. */
static struct vm_area_struct *mmap_new_vma(struct mm_struct *mm, struct file *file,
					   unsigned long addr, unsigned long len,
					   unsigned long vm_flags, unsigned long pgoff, int *err)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	*err = -ENOMEM;
	if (!vma)
		return NULL;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	if (file) {
		vma->vm_file = get_file(file);
		*err = file->f_op->mmap(file, vma);
	} else if (vm_flags & VM_SHARED) {
		*err = shmem_zero_setup(vma);
	} else {
		*err = 0;
	}
	if (*err) {
		if (vma->vm_file)
			fput(vma->vm_file);
		vm_area_free(vma);
		return NULL;
	}
	vma_link(mm, vma);
	return vma;
}

static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, unsigned long vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> mm->page_shift, charged = 0;
	struct vm_area_struct *vma, *prev, *next, *detached = NULL;
	struct unmap_state us = { .start = addr, .end = end };
	int err;

	vma = find_vma_intersection(mm, addr, end);
	if (vma) {
		/* MAP_FIXED over existing areas: split them now, free them once committed. */
		err = unmap_gather(mm, vma, addr, end, &us);
		if (err)
			return err;
	}
	if (!may_expand_vm(mm, vm_flags, pglen - us.nr_pages))
		return unmap_abandon(mm, &us, -ENOMEM);
	if (accountable_mapping(vm_flags)) {
		charged = pglen - us.nr_accounted;
		if (charged && __vm_enough_memory(mm, (long)charged))
			return unmap_abandon(mm, &us, -ENOMEM);
		/* The old areas' charge carries over to the new one. */
		us.nr_accounted = 0;
		vm_flags |= VM_ACCOUNT;
	}

	/* Point of no return: the old areas leave the tree (their PTEs would be cleared here). */
	if (us.first)
		detached = unmap_detach(mm, &us);
	next = find_vma_prev(mm, addr, &prev);
	vma = NULL;
	if (prev || next) {
		struct vma_merge_struct vmg = {
			.mm = mm,
			.prev = prev,
			.next = next,
			.start = addr,
			.end = end,
			.pgoff = pgoff,
			.flags = vm_flags,
			.file = file,
		};

		vma = vma_merge_new_range(&vmg);
	}
	if (!vma) {
		vma = mmap_new_vma(mm, file, addr, len, vm_flags, pgoff, &err);
		if (!vma) {
			/* The old areas are gone already; finish removing them, as Linux does. */
			if (detached)
				unmap_complete(mm, &us, detached);
			if (charged)
				vm_unacct_memory(mm->machine, (long)charged);
			return err;
		}
	}
	if (detached)
		unmap_complete(mm, &us, detached);

	vm_stat_account(mm, vma->vm_flags, (long)pglen);
	if (vm_flags & VM_LOCKED) {
		if (vm_flags & VM_SPECIAL)
			vma_set_flags(vma, vma->vm_flags & ~VM_LOCKED_MASK);
		else
			mm->locked_vm += pglen;
	}
	/* New areas always start soft-dirty, when the kernel tracks it. */
	if (CONFIG_MEM_SOFT_DIRTY)
		vma_set_flags(vma, vma->vm_flags | VM_SOFTDIRTY);
	return addr;
}

/* round_hint_to_min - a hint below mmap_min_addr is raised to it. */
static unsigned long round_hint_to_min(const struct mm_struct *mm, unsigned long hint)
{
	hint &= ~(mm_page_size(mm) - 1);
	if (hint && hint < sysctl(mm)->mmap_min_addr)
		return page_align(mm, sysctl(mm)->mmap_min_addr);
	return hint;
}

/* do_mmap_file_flags - the file half of do_mmap()'s checks: vm_flags adjusted, or -errno. */
static int do_mmap_file_flags(struct file *file, unsigned long prot, unsigned long flags,
			      unsigned long *vm_flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		/* MAP_SHARED ignores flags it does not know; MAP_SHARED_VALIDATE refuses them. */
		flags &= LEGACY_MAP_MASK;
		/* fallthrough */
	case MAP_SHARED_VALIDATE:
		if (flags & ~(unsigned long)LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		/* fallthrough */
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (path_noexec(file)) {
			if (*vm_flags & VM_EXEC)
				return -EPERM;
			*vm_flags &= ~VM_MAYEXEC;
		}
		if (!file->f_op || !file->f_op->mmap)
			return -ENODEV;
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff, unsigned long *populate)
{
	unsigned long vm_flags;
	int err;

	*populate = 0;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(mm, addr);
	len = page_align(mm, len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> mm->page_shift) < pgoff)
		return -EOVERFLOW;
	/* Linux tests "greater than": an mmap may take map_count to max_map_count + 1. */
	if ((unsigned long)mm->map_count > sysctl(mm)->max_map_count)
		return -ENOMEM;

	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	addr = get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	if ((flags & MAP_LOCKED) && !can_do_mlock(mm))
		return -EPERM;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;

	if (file) {
		if (!file_mmap_ok(file, pgoff, len, mm->page_shift))
			return -EOVERFLOW;
		err = do_mmap_file_flags(file, prot, flags, &vm_flags);
		if (err)
			return err;
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;	/* shmem ignores it */
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_DROPPABLE:
			/* Not locked, not a stack; wiped on fork, not dumped, not reserved. */
			if (flags & (MAP_LOCKED | MAP_HUGETLB))
				return -EINVAL;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP;
			/* fallthrough */
		case MAP_PRIVATE:
			/* Anonymous offsets follow the address, so neighbours can merge. */
			pgoff = addr >> mm->page_shift;
			break;
		default:
			return -EINVAL;
		}
	}
	if ((flags & MAP_NORESERVE) && sysctl(mm)->overcommit_memory != 2)
		vm_flags |= VM_NORESERVE;

	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return addr;
}

/* ---- brk ---- */

/* do_brk_flags - the heap grows by [@addr, @addr + @len): expand @vma (the heap) or add one. */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
			unsigned long len, unsigned long flags)
{
	unsigned long pages = len >> mm->page_shift;
	struct vm_area_struct *new;

	flags |= VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(mm, flags, pages))
		return -ENOMEM;
	if ((unsigned long)mm->map_count > sysctl(mm)->max_map_count)
		return -ENOMEM;
	if (__vm_enough_memory(mm, (long)pages))
		return -ENOMEM;

	new = NULL;
	if (vma && vma->vm_end == addr) {
		struct vma_merge_struct vmg = {
			.mm = mm,
			.prev = vma,
			.next = vma->vm_next,
			.start = addr,
			.end = addr + len,
			.flags = flags,
			.pgoff = addr >> mm->page_shift,
			.just_expand = true,
		};

		new = vma_merge_new_range(&vmg);
	}
	if (!new) {
		new = vm_area_alloc(mm);
		if (!new) {
			vm_unacct_memory(mm->machine, (long)pages);
			return -ENOMEM;
		}
		new->vm_start = addr;
		new->vm_end = addr + len;
		new->vm_pgoff = addr >> mm->page_shift;
		new->vm_flags = flags;
		vma_link(mm, new);
	}
	mm->total_vm += pages;
	mm->data_vm += pages;
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	if (CONFIG_MEM_SOFT_DIRTY)
		vma_set_flags(new, new->vm_flags | VM_SOFTDIRTY);
	return 0;
}

/* check_brk_limits - the new part must be a valid MAP_FIXED range and within RLIMIT_MEMLOCK. */
static int check_brk_limits(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	unsigned long mapped = get_unmapped_area(mm, NULL, addr, len, 0, MAP_FIXED);

	if (IS_ERR_VALUE(mapped))
		return (int)(long)mapped;
	return mlock_future_ok(mm, mm->def_flags, len) ? 0 : -EAGAIN;
}

/* Linux's check_data_rlimit(): the heap plus the data segment within RLIMIT_DATA. */
static bool data_rlimit_exceeded(struct mm_struct *mm, unsigned long new_brk)
{
	unsigned long rlim = rlimit(mm, RLIMIT_DATA);

	return rlim < RLIM_INFINITY &&
	       (new_brk - mm->start_brk) + (mm->end_data - mm->start_data) > rlim;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long origbrk = mm->brk, newbrk, oldbrk, guard;
	struct vm_area_struct *brkvma, *next;

	if (brk < mm->start_brk || data_rlimit_exceeded(mm, brk))
		return origbrk;
	newbrk = page_align(mm, brk);
	oldbrk = page_align(mm, mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	/* Always allow shrinking: unmap [newbrk, oldbrk) if a heap area is there. */
	if (brk <= mm->brk) {
		brkvma = find_vma_intersection(mm, newbrk, oldbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			return origbrk;
		mm->brk = brk;
		if (do_unmap_range(mm, newbrk, oldbrk)) {
			mm->brk = origbrk;
			return origbrk;
		}
		return brk;
	}
	if (check_brk_limits(mm, oldbrk, newbrk - oldbrk))
		return origbrk;
	/* The heap stops a page and a stack guard gap short of the next area. */
	guard = sysctl(mm)->stack_guard_gap_pages << mm->page_shift;
	next = find_vma_intersection(mm, oldbrk, newbrk + mm_page_size(mm) + guard);
	if (next && newbrk + mm_page_size(mm) > vm_start_gap(next))
		return origbrk;
	/* The heap area is the one ending at oldbrk, if it starts at or above start_brk. */
	find_vma_prev(mm, oldbrk, &brkvma);
	if (brkvma && brkvma->vm_start < mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk, 0) < 0)
		return origbrk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk - oldbrk);
	return brk;
}

/* ---- stack growth ---- */

/* acct_stack_growth - may the stack grow by @grow pages to @size bytes? Charges them. */
static int acct_stack_growth(struct vm_area_struct *vma, unsigned long size, unsigned long grow)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (size > rlimit(mm, RLIMIT_STACK))
		return -ENOMEM;
	if (!mlock_future_ok(mm, vma->vm_flags, grow << mm->page_shift))
		return -ENOMEM;
	/* The overcommit check charges: it comes last. */
	if (__vm_enough_memory(mm, (long)grow))
		return -ENOMEM;
	return 0;
}

int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long guard = sysctl(mm)->stack_guard_gap_pages << mm->page_shift, size, grow;
	struct vm_area_struct *prev = vma->vm_prev;
	int error;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= ~(mm_page_size(mm) - 1);
	if (address < sysctl(mm)->mmap_min_addr)
		return -EPERM;
	/* Keep stack_guard_gap from an accessible area below (another stack may touch). */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    address - prev->vm_end < guard)
		return -ENOMEM;
	if (prev && address < prev->vm_end)
		return -ENOMEM;
	/* Linux prepares the anon_vma here for its lock; the fault that follows does it here. */
	if (address >= vma->vm_start)
		return 0;
	size = vma->vm_end - address;
	grow = (vma->vm_start - address) >> mm->page_shift;
	/* The offset cannot go below zero. */
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	error = acct_stack_growth(vma, size, grow);
	if (error)
		return error;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	vma_set_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && vma->vm_start <= addr)
		return vma;
	if (!vma || !(vma->vm_flags & VM_GROWSDOWN) || expand_downwards(vma, addr))
		return NULL;
	return vma;
}

/* ---- a new process ---- */

int setup_stack_area(struct mm_struct *mm, unsigned long start, unsigned long end,
		     unsigned long vm_flags)
{
	unsigned long pages = (end - start) >> mm->page_shift;
	unsigned long flags = vm_flags | mm->def_flags;
	struct vm_area_struct *vma;

	if (CONFIG_MEM_SOFT_DIRTY)
		flags |= VM_SOFTDIRTY;
	if (find_vma_intersection(mm, start, end))
		return -EEXIST;
	if (__vm_enough_memory(mm, (long)pages))
		return -ENOMEM;
	vma = vm_area_alloc(mm);
	if (!vma) {
		vm_unacct_memory(mm->machine, (long)pages);
		return -ENOMEM;
	}
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	/* The first page had offset 0; growing down moved the offset down with it. */
	vma->vm_pgoff = 0UL - (pages - 1);
	vma_link(mm, vma);
	vm_stat_account(mm, flags, (long)pages);
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	return 0;
}

int setup_new_stack(struct mm_struct *mm)
{
	struct machine *m = mm->machine;
	unsigned long top = randomize_stack_top(m, stack_top(m));
	unsigned long sp = top, rlim_stack, start, end;
	int err;

	/* arch_align_stack(): a random sub-page offset, then 16-byte alignment. */
	if (sysctl(mm)->randomize_va_space)
		sp -= get_random_long(m) % 8192;
	sp &= ~0xfUL;
	end = page_align(mm, sp);
	/* One page of arguments, then setup_arg_pages() adds 128 KiB within RLIMIT_STACK. */
	start = end - mm_page_size(mm);
	rlim_stack = rlimit(mm, RLIMIT_STACK) & ~(mm_page_size(mm) - 1);
	if (end - start + STACK_EXPAND > rlim_stack)
		start = end - (rlim_stack > mm_page_size(mm) ? rlim_stack : mm_page_size(mm));
	else
		start -= STACK_EXPAND;
	err = setup_stack_area(mm, start, end, VM_STACK_FLAGS);
	if (err)
		return err;
	mm->start_stack = (sp - 64) & ~0xfUL;
	mm->arg_start = mm->arg_end = mm->env_start = mm->env_end = sp;
	return 0;
}

int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, const struct vm_operations_struct *ops)
{
	struct vm_area_struct *vma;

	if (find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags | mm->def_flags | VM_DONTEXPAND |
			(CONFIG_MEM_SOFT_DIRTY ? VM_SOFTDIRTY : 0);
	vma->vm_ops = ops;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, (long)vma_pages(vma));
	return 0;
}

void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap;
	unsigned long nr_accounted = 0;

	/* The pages go first (clear, flush, release); mmput() frees the tables with the PGD. */
	update_hiwater_rss(mm);
	unmap_vmas(vma, 0, ~0UL);
	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->vmacache = NULL;
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;

		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += vma_pages(vma);
		remove_vma(vma);
		mm->map_count--;
		vma = next;
	}
	vm_unacct_memory(mm->machine, (long)nr_accounted);
	mm->highest_vm_end = 0;
	mm->total_vm = mm->locked_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
}
