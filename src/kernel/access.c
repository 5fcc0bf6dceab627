/*
 * access.c - a task touching memory: loads, stores and fetches at its virtual
 * addresses through its CPU's MMU in user mode, returning the signal a real
 * process would get. The CPU is the machine's current one, with the task's
 * page tables switched in first (switch_mm).
 * Keeps: nothing at or after a refused page is read or written.
 */
#include <errno.h>
#include <string.h>

#include "machine.h"
#include "mmu.h"
#include "pgtable.h"
#include "report.h"
#include "sched.h"
#include "tlb.h"
#include "vma.h"

/* One access in progress: the task, the CPU it runs on and the fault count before it. */
struct access_ctx {
	struct machine *m;
	struct task_struct *t, *prev;	/* the task call (exit.c) */
	unsigned int cpu;
	unsigned long nr_page_faults;
};

/* access_begin - start @t's access; false for a killed task, which runs no more. */
static bool access_begin(struct task_struct *t, struct access_ctx *a)
{
	struct machine *m = t->machine;

	a->m = m;
	a->t = t;
	if (task_call_begin(t, &a->prev))
		return false;
	a->cpu = m->cur_cpu;
	a->nr_page_faults = m->arch.nr_page_faults;
	m->tasks.last_si_code = -1;
	switch_mm(m, a->cpu, &t->mm->pgd);
	return true;
}

/* The OOM killer's SIGKILL (SEND_SIG_PRIV: si_code SI_KERNEL), for a task that was killed. */
static int access_killed(struct tuxmm_siginfo *si)
{
	if (si)
		*si = (struct tuxmm_siginfo){ .signo = TUXMM_SIGKILL, .code = TUXMM_SI_KERNEL };
	return TUXMM_SIGKILL;
}

/*
 * access_end - turn the MMU's outcome into the caller's result: the signal
 * the fault handler recorded, else what the hardware did by itself (a #PF on
 * a kernel address: SEGV_MAPERR at CR2; a #GP: SI_KERNEL; a machine check: SIGBUS).
 */
static int __access_end(struct access_ctx *a, vm_fault_t ret, struct tuxmm_siginfo *si)
{
	struct machine *m = a->m;
	struct tuxmm_siginfo info = { 0 };

	if (!ret) {
		if (si)
			*si = info;
		return 0;
	}
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	info.signo = (ret & VM_FAULT_SIGBUS) ? TUXMM_SIGBUS : TUXMM_SIGSEGV;
	if (m->tasks.last_si_code >= 0) {
		info.code = m->tasks.last_si_code;
		info.addr = m->tasks.last_si_addr;
	} else if (info.signo == TUXMM_SIGBUS) {
		info.code = TUXMM_BUS_ADRERR;
	} else if (m->arch.nr_page_faults != a->nr_page_faults) {
		info.code = TUXMM_SEGV_MAPERR;
		info.addr = mmu_cpu(m, a->cpu)->cr2;
	} else {
		info.code = TUXMM_SI_KERNEL;
	}
	if (si)
		*si = info;
	return info.signo;
}

/* access_end - the result of the access; a task killed meanwhile gets SIGKILL instead. */
static int access_end(struct access_ctx *a, vm_fault_t ret, struct tuxmm_siginfo *si)
{
	int res = __access_end(a, ret, si);
	bool killed = fatal_signal_pending(a->t);

	task_call_end(a->t, a->prev, 0);
	return killed ? access_killed(si) : res;
}

int tuxmm_load(struct task_struct *t, unsigned long addr, void *buf, size_t len,
	       struct tuxmm_siginfo *si)
{
	struct access_ctx a;

	if (!buf && len)
		return -EINVAL;
	if (!access_begin(t, &a))
		return access_killed(si);
	return access_end(&a, mmu_read(a.m, a.cpu, addr, buf, len, MMU_USER), si);
}

int tuxmm_store(struct task_struct *t, unsigned long addr, const void *buf, size_t len,
		struct tuxmm_siginfo *si)
{
	struct access_ctx a;

	if (!buf && len)
		return -EINVAL;
	if (!access_begin(t, &a))
		return access_killed(si);
	return access_end(&a, mmu_write(a.m, a.cpu, addr, buf, len, MMU_USER), si);
}

int tuxmm_fetch(struct task_struct *t, unsigned long addr, void *buf, size_t len,
		struct tuxmm_siginfo *si)
{
	struct access_ctx a;

	if (!buf && len)
		return -EINVAL;
	if (!access_begin(t, &a))
		return access_killed(si);
	return access_end(&a, mmu_fetch(a.m, a.cpu, addr, buf, len, MMU_USER), si);
}

/*
 * translate_both - host pointers for the two parts of an access of @size
 * bytes at @addr that may straddle a page boundary; both are translated
 * before either is used, so the access is all or nothing.
 */
static vm_fault_t translate_both(struct access_ctx *a, unsigned long addr, unsigned int size,
				 enum mmu_access acc, uint8_t **p0, uint8_t **p1,
				 unsigned int *first)
{
	unsigned long page_size = a->m->page_size;
	vm_fault_t ret = 0;

	*first = size;
	if ((addr & (page_size - 1)) + size > page_size)
		*first = (unsigned int)(page_size - (addr & (page_size - 1)));
	*p0 = mmu_translate(a->m, a->cpu, addr, 1, acc, MMU_USER, &ret);
	if (!*p0)
		return ret;
	*p1 = NULL;
	while (*first < size) {
		unsigned long faults = a->m->arch.nr_page_faults;

		*p1 = mmu_translate(a->m, a->cpu, addr + *first, 1, acc, MMU_USER, &ret);
		if (!*p1)
			return ret;
		/*
		 * The second page's fault may have replaced the first's frame (COW) or
		 * reclaimed it (swap): translate again until neither page faulted.
		 */
		*p0 = mmu_translate(a->m, a->cpu, addr, 1, acc, MMU_USER, &ret);
		if (!*p0)
			return ret;
		if (a->m->arch.nr_page_faults == faults)
			break;
	}
	return 0;
}

static bool access_size_ok(unsigned int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * copy_access - @n (at most 8) bytes of an access: the whole-access sizes as
 * fixed-size copies the compiler turns into one move, not a library call.
 */
static inline void copy_access(void *dst, const void *src, unsigned int n)
{
	switch (n) {
	case 8:
		memcpy(dst, src, 8);
		break;
	case 4:
		memcpy(dst, src, 4);
		break;
	case 2:
		memcpy(dst, src, 2);
		break;
	default:
		memcpy(dst, src, n);
		break;
	}
}

int tuxmm_read(struct task_struct *t, unsigned long addr, unsigned int size, uint64_t *val,
	       struct tuxmm_siginfo *si)
{
	uint8_t bytes[8] = { 0 }, *p0, *p1;
	struct access_ctx a;
	unsigned int first;
	vm_fault_t ret;

	if (!access_size_ok(size) || !val)
		return -EINVAL;
	if (!access_begin(t, &a))
		return access_killed(si);
	ret = translate_both(&a, addr, size, MMU_READ, &p0, &p1, &first);
	if (!ret) {
		copy_access(bytes, p0, first);
		if (first < size)
			memcpy(bytes + first, p1, size - first);
		memcpy(val, bytes, sizeof(*val));	/* little-endian host, as x86 */
		if (size < 8)
			*val &= (1ULL << (size * 8)) - 1;
	}
	return access_end(&a, ret, si);
}

int tuxmm_write(struct task_struct *t, unsigned long addr, unsigned int size, uint64_t val,
		struct tuxmm_siginfo *si)
{
	uint8_t bytes[8], *p0, *p1;
	struct access_ctx a;
	unsigned int first;
	vm_fault_t ret;

	if (!access_size_ok(size))
		return -EINVAL;
	memcpy(bytes, &val, sizeof(bytes));
	if (!access_begin(t, &a))
		return access_killed(si);
	ret = translate_both(&a, addr, size, MMU_WRITE, &p0, &p1, &first);
	if (!ret) {
		copy_access(p0, bytes, first);
		if (first < size)
			memcpy(p1, bytes + first, size - first);
	}
	return access_end(&a, ret, si);
}

int tuxmm_fill(struct task_struct *t, unsigned long addr, int byte, size_t len,
	       struct tuxmm_siginfo *si)
{
	struct access_ctx a;
	vm_fault_t ret = 0;

	if (!access_begin(t, &a))
		return access_killed(si);
	while (len) {
		size_t chunk = a.m->page_size - (addr & (a.m->page_size - 1));
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		p = mmu_translate(a.m, a.cpu, addr, 1, MMU_WRITE, MMU_USER, &ret);
		if (!p)
			break;
		memset(p, byte, chunk);
		addr += chunk;
		len -= chunk;
	}
	return access_end(&a, len ? ret : 0, si);
}

int tuxmm_touch(struct task_struct *t, unsigned long addr, size_t len, bool write,
		struct tuxmm_siginfo *si)
{
	unsigned long page_mask;
	struct access_ctx a;
	vm_fault_t ret = 0;

	if (!access_begin(t, &a))
		return access_killed(si);
	page_mask = ~(a.m->page_size - 1);
	if (len) {
		unsigned long last = (addr + len - 1) & page_mask;

		for (addr &= page_mask;; addr += a.m->page_size) {
			ret = mmu_touch(a.m, a.cpu, addr, write ? MMU_WRITE : MMU_READ, MMU_USER);
			if (ret || addr == last)
				break;
		}
	}
	return access_end(&a, ret, si);
}

void tuxmm_task_faults(const struct task_struct *t, unsigned long *min_flt,
		       unsigned long *maj_flt)
{
	if (min_flt)
		*min_flt = t->min_flt;
	if (maj_flt)
		*maj_flt = t->maj_flt;
}

int tuxmm_task_pgtable_walk(struct task_struct *t, uint64_t addr, char **text, size_t *len)
{
	struct report r;

	*text = NULL;
	if (len)
		*len = 0;
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	if (!t->mm)
		return -EINVAL;
	report_init(&r);
	pgtable_walk_show(t->mm->machine, t->mm->pgd.pgd, (unsigned long)addr, &r);
	return report_take(&r, text, len);
}
