/*
 * sys.c - the memory system calls as the C API offers them: argument
 * translation (descriptors to files, flags to the kernel's) in front of
 * do_mmap(), do_munmap() and the others, as Linux's SYSCALL_DEFINEs do.
 * Follows Linux arch/x86/kernel/sys_x86_64.c (mmap), mm/mmap.c
 * (ksys_mmap_pgoff), mm/mlock.c and kernel/sys.c (setrlimit).
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "mman.h"
#include "vma.h"

static long ksys_mmap_pgoff(struct task_struct *t, unsigned long addr, unsigned long len,
			    int prot, int flags, int fd, unsigned long offset)
{
	struct mm_struct *mm = t->mm;
	unsigned long uflags = (unsigned int)flags, ret, populate;
	struct file *file = NULL;

	if (offset & (mm_page_size(mm) - 1))
		return -EINVAL;
	if (!(uflags & MAP_ANONYMOUS)) {
		file = fget(t, fd);
		if (!file)
			return -EBADF;
	}
	/* No hugetlbfs: MAP_HUGETLB finds no huge page size. */
	if (uflags & MAP_HUGETLB)
		return -EINVAL;
	ret = do_mmap(mm, file, addr, len, (unsigned int)prot, uflags, offset >> mm->page_shift,
		      &populate);
	if (!IS_ERR_VALUE(ret) && populate)
		mm_populate(mm, ret, populate);
	return (long)ret;
}

long tuxmm_mmap(struct task_struct *t, unsigned long addr, unsigned long len, int prot,
		int flags, int fd, unsigned long offset)
{
	return task_call(t, ksys_mmap_pgoff(t, addr, len, prot, flags, fd, offset));
}

long tuxmm_mmap_path(struct task_struct *t, unsigned long addr, unsigned long len, int prot,
		     int flags, const char *path, unsigned long offset)
{
	int fd, oflags = TUXMM_O_RDONLY;
	long ret;

	if (!path || (flags & MAP_ANONYMOUS))
		return tuxmm_mmap(t, addr, len, prot, flags, -1, offset);
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE))
		oflags = TUXMM_O_RDWR;
	fd = tuxmm_open(t, path, oflags, 0);
	if (fd < 0)
		return fd;
	ret = tuxmm_mmap(t, addr, len, prot, flags, fd, offset);
	tuxmm_close(t, fd);
	return ret;
}

int tuxmm_munmap(struct task_struct *t, unsigned long addr, unsigned long len)
{
	return (int)task_call(t, do_munmap(t->mm, addr, len));
}

int tuxmm_mprotect(struct task_struct *t, unsigned long addr, unsigned long len, int prot)
{
	return (int)task_call(t, do_mprotect(t->mm, addr, len, (unsigned int)prot));
}

long tuxmm_mremap(struct task_struct *t, unsigned long old_addr, unsigned long old_len,
		  unsigned long new_len, int flags, unsigned long new_addr)
{
	return task_call(t, do_mremap(t->mm, old_addr, old_len, new_len, (unsigned int)flags,
				       new_addr));
}

unsigned long tuxmm_brk(struct task_struct *t, unsigned long brk)
{
	return (unsigned long)task_call(t, do_brk(t->mm, brk));
}

int tuxmm_madvise(struct task_struct *t, unsigned long addr, unsigned long len, int advice)
{
	return (int)task_call(t, do_madvise(t->mm, addr, len, advice));
}

int tuxmm_mlock(struct task_struct *t, unsigned long addr, unsigned long len)
{
	return (int)task_call(t, do_mlock(t->mm, addr, len, VM_LOCKED));
}

int tuxmm_mlock2(struct task_struct *t, unsigned long addr, unsigned long len, int flags)
{
	unsigned long vm_flags = VM_LOCKED;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return (int)task_call(t, do_mlock(t->mm, addr, len, vm_flags));
}

int tuxmm_munlock(struct task_struct *t, unsigned long addr, unsigned long len)
{
	return (int)task_call(t, do_munlock(t->mm, addr, len));
}

int tuxmm_mlockall(struct task_struct *t, int flags)
{
	return (int)task_call(t, do_mlockall(t->mm, flags));
}

int tuxmm_munlockall(struct task_struct *t)
{
	return (int)task_call(t, do_munlockall(t->mm));
}

int tuxmm_msync(struct task_struct *t, unsigned long addr, unsigned long len, int flags)
{
	return (int)task_call(t, do_msync(t->mm, addr, len, flags));
}

int tuxmm_mincore(struct task_struct *t, unsigned long addr, unsigned long len,
		  unsigned char *vec)
{
	if (!vec)
		return -EFAULT;
	return (int)task_call(t, do_mincore(t->mm, addr, len, vec));
}

int tuxmm_getrlimit(struct task_struct *t, int resource, unsigned long *cur, unsigned long *max)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	if (cur)
		*cur = t->rlim[resource].rlim_cur;
	if (max)
		*max = t->rlim[resource].rlim_max;
	return 0;
}

int tuxmm_setrlimit(struct task_struct *t, int resource, unsigned long cur, unsigned long max)
{
	if (resource < 0 || resource >= RLIM_NLIMITS || cur > max)
		return -EINVAL;
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	/* Raising a hard limit needs CAP_SYS_RESOURCE, which the simulated user lacks. */
	if (max > t->rlim[resource].rlim_max)
		return -EPERM;
	if (resource == RLIMIT_NOFILE && max > 1048576)	/* sysctl_nr_open */
		return -EPERM;
	t->rlim[resource].rlim_cur = cur;
	t->rlim[resource].rlim_max = max;
	return 0;
}

unsigned long tuxmm_page_size(const struct machine *m)
{
	return m->page_size;
}
