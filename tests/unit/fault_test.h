/*
 * fault_test.h - helpers for the demand-paging tests: counters, PTE lookups,
 * reads and writes that must succeed, and the whole-machine validators.
 */
#ifndef TUXMM_FAULT_TEST_H
#define TUXMM_FAULT_TEST_H

#include <fcntl.h>

#include "mm_test.h"
#include "memory.h"
#include "mm.h"
#include "pgtable.h"
#include "rmap.h"
#include "vmstat.h"

static inline long rss(struct task_struct *t, int member)
{
	return t->mm->rss_stat[member];
}

/* pages_free - free pages, after empty slabs and per-CPU lists went back to the buddy lists. */
static inline unsigned long pages_free(struct machine *m)
{
	slab_shrink_all(m);
	drain_all_pages(m);
	return nr_free_pages(m) + nr_pcp_pages(m);
}

static inline pte_t pte_at(struct task_struct *t, unsigned long addr)
{
	pte_t *ptep = pte_lookup(t->mm, addr);

	return ptep ? ptep_get(ptep) : __pte(0);
}

static inline struct page *page_at(struct task_struct *t, unsigned long addr)
{
	pte_t pte = pte_at(t, addr);

	return pte_present(pte) ? pte_page(t->machine, pte) : NULL;
}

static inline uint64_t rd(struct task_struct *t, unsigned long addr)
{
	struct tuxmm_siginfo si;
	uint64_t v = 0;
	int r = tuxmm_read(t, addr, 8, &v, &si);

	if (r)
		fail_msg("read %#lx by pid %d: %d (code %d at %#llx)", addr, t->pid, r, si.code,
			 (unsigned long long)si.addr);
	return v;
}

static inline void wr(struct task_struct *t, unsigned long addr, uint64_t v)
{
	struct tuxmm_siginfo si;
	int r = tuxmm_write(t, addr, 8, v, &si);

	if (r)
		fail_msg("write %#lx by pid %d: %d (code %d at %#llx)", addr, t->pid, r, si.code,
			 (unsigned long long)si.addr);
}

/* check_machine - every validator over the machine and each task. */
static inline void check_machine(struct machine *m)
{
	struct task_struct *t = NULL;

	assert_true(buddy_check(m));
	assert_true(slab_check(m));
	assert_true(pgtable_check_all(m));
	assert_true(lru_check(m));
	while ((t = tuxmm_next_task(m, t)))
		assert_true(validate_mm(t->mm));
}

#endif
