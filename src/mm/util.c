/*
 * util.c - the layout of a new address space (TASK_SIZE, mmap_base, stack
 * top, their randomization from the machine's seed) and overcommit accounting.
 * Follows Linux arch/x86/mm/mmap.c, arch/x86/kernel/process.c and mm/util.c.
 * Keeps: with randomize_va_space 0 every address is a function of the config.
 */
#include <errno.h>

#include "machine.h"
#include "mm.h"
#include "mman.h"
#include "pgtable.h"
#include "printk.h"
#include "swap.h"
#include "vma.h"

#define SIZE_128M (128UL << 20)
#define STACK_RND_MASK_64 0x3fffffUL	/* 22 bits of pages: 16 GiB */
#define STACK_RND_MASK_32 0x7ffUL	/* 11 bits of pages: 8 MiB */
#define MMAP_RND_BITS_64 28		/* CONFIG_ARCH_MMAP_RND_BITS */
#define MMAP_RND_BITS_32 8

bool mmap_is_ia32(const struct machine *m)
{
	return m->arch.geo.va_bits == 32;
}

/* mm_task_size - TASK_SIZE of the page-table layout (x86-64: 47 bits less a page). */
unsigned long mm_task_size(const struct machine *m)
{
	return TASK_SIZE_M(m);
}

/* DEFAULT_MAP_WINDOW: 5-level paging still places mappings below 47 bits unless asked. */
static unsigned long default_map_window(const struct machine *m)
{
	if (m->arch.geo.va_bits == 57)
		return (1UL << 47) - m->page_size;
	return mm_task_size(m);
}

/* STACK_TOP (TASK_SIZE_LOW on x86-64). */
unsigned long stack_top(const struct machine *m)
{
	return default_map_window(m);
}

/* get_random_long - the next value of the machine's seeded generator (splitmix64). */
unsigned long get_random_long(struct machine *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (unsigned long)(z ^ (z >> 31));
}

/* PF_RANDOMIZE: set at exec when kernel.randomize_va_space is non-zero. */
static bool task_randomizes(const struct machine *m)
{
	return m->tasks.sysctl.randomize_va_space != 0;
}

unsigned long randomize_page(struct machine *m, unsigned long start, unsigned long range)
{
	unsigned long page_mask = m->page_size - 1;

	if (start & page_mask) {
		range -= ALIGN_UP(start, m->page_size) - start;
		start = ALIGN_UP(start, m->page_size);
	}
	if (start > ~0UL - range)
		range = ~0UL - start;
	range >>= m->page_shift;
	if (range == 0)
		return start;
	return start + ((get_random_long(m) % range) << m->page_shift);
}

unsigned long randomize_stack_top(struct machine *m, unsigned long top)
{
	unsigned long rnd = 0;

	if (task_randomizes(m)) {
		rnd = get_random_long(m) &
		      (mmap_is_ia32(m) ? STACK_RND_MASK_32 : STACK_RND_MASK_64);
		rnd <<= m->page_shift;
	}
	return ALIGN_UP(top, m->page_size) - rnd;
}

unsigned long arch_randomize_brk(struct mm_struct *mm)
{
	return randomize_page(mm->machine, mm->brk, mmap_is_ia32(mm->machine) ? 32UL << 20 : SZ_1G);
}

unsigned long arch_mmap_rnd(struct machine *m)
{
	unsigned int bits = mmap_is_ia32(m) ? MMAP_RND_BITS_32 : MMAP_RND_BITS_64;

	if (!task_randomizes(m))
		return 0;
	return (get_random_long(m) & ((1UL << bits) - 1)) << m->page_shift;
}

static unsigned long stack_maxrandom_size(const struct machine *m)
{
	if (!task_randomizes(m))
		return 0;
	return (mmap_is_ia32(m) ? STACK_RND_MASK_32 : STACK_RND_MASK_64) << m->page_shift;
}

/* mmap_base - below the stack's rlimit, its randomization and guard gap; at least 128 MiB. */
static unsigned long mmap_base(struct mm_struct *mm, unsigned long rnd, unsigned long task_size)
{
	const struct machine *m = mm->machine;
	unsigned long gap = rlimit(mm, RLIMIT_STACK);
	unsigned long pad = stack_maxrandom_size(m) +
			    (m->tasks.sysctl.stack_guard_gap_pages << m->page_shift);
	unsigned long gap_max = task_size / 6 * 5;

	if (gap + pad > gap)
		gap += pad;
	if (gap < SIZE_128M)
		gap = SIZE_128M;
	else if (gap > gap_max)
		gap = gap_max;
	return ALIGN_UP(task_size - gap - rnd, m->page_size);
}

void arch_pick_mmap_layout(struct mm_struct *mm)
{
	struct machine *m = mm->machine;
	unsigned long task_size = default_map_window(m);
	unsigned long rnd = arch_mmap_rnd(m);

	mm->mmap_legacy_base = ALIGN_UP(task_size / 3, m->page_size) + rnd;
	if (m->tasks.sysctl.legacy_va_layout) {
		mm->flags &= ~BIT(MMF_TOPDOWN);
		mm->mmap_base = mm->mmap_legacy_base;
	} else {
		mm->flags |= BIT(MMF_TOPDOWN);
		mm->mmap_base = mmap_base(mm, rnd, task_size);
	}
}

/* ---- overcommit ---- */

void vm_acct_memory(struct machine *m, long pages)
{
	m->tasks.vm_committed_as += pages;
}

void vm_unacct_memory(struct machine *m, long pages)
{
	m->tasks.vm_committed_as -= pages;
}

/*
 * __vm_enough_memory - Linux's overcommit check: mode 0 refuses only a single
 * request larger than RAM plus swap, mode 1 never refuses, mode 2 keeps the
 * committed total under CommitLimit less the reserves.
 */
int __vm_enough_memory(struct mm_struct *mm, long pages)
{
	struct machine *m = mm->machine;
	const struct vm_sysctls *s = &m->tasks.sysctl;
	long swap_pages = total_swap_pages(m);
	long allowed;

	vm_acct_memory(m, pages);
	if (s->overcommit_memory == 1)
		return 0;
	if (s->overcommit_memory == 0) {
		if (pages > (long)totalram_pages(m) + swap_pages)
			goto error;
		return 0;
	}
	allowed = (long)(totalram_pages(m) * (unsigned long)s->overcommit_ratio / 100) +
		  swap_pages;
	allowed -= (long)(s->admin_reserve_kbytes >> (m->page_shift - 10));
	allowed -= min_t(long, (long)mm->total_vm / 32,
			 (long)(s->user_reserve_kbytes >> (m->page_shift - 10)));
	if (m->tasks.vm_committed_as < allowed)
		return 0;
error:
	printk(m, "__vm_enough_memory: pid: %d, comm: %s, bytes: %lu not enough memory for the "
		  "allocation", mm->owner ? mm->owner->pid : 0, mm->owner ? mm->owner->comm : "",
	       (unsigned long)pages << m->page_shift);
	vm_unacct_memory(m, pages);
	return -ENOMEM;
}
