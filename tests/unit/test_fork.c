/*
 * test_fork.c - fork, copy-on-write and exit: what each side sees, who
 * copies and who reuses, what fork skips, and that exit gives everything back.
 * The copy-on-write cases follow Linux's tools/testing/selftests/mm/cow.c
 * where they apply without THP, hugetlb, KSM, io_uring or GUP pins.
 */
#include "fault_test.h"

static struct task_struct *fork_ok(struct task_struct *parent)
{
	struct task_struct *child;

	assert_int_equal(tuxmm_fork(parent, &child), 0);
	assert_non_null(child);
	assert_int_equal(child->ppid, parent->pid);
	return child;
}

static void fork_shares_pages_read_only_in_both(void **state)
{
	struct task_struct *p = T(state), *c;
	struct page *page;

	map_at(p, 0, 2, RW);
	wr(p, BASE, 1);
	wr(p, BASE + PG, 2);
	c = fork_ok(p);
	page = page_at(p, BASE);
	assert_ptr_equal(page_at(c, BASE), page);
	assert_int_equal(page_mapcount(page), 2);
	assert_int_equal(page_ref_count(page), 2);
	assert_int_equal(page_mapcount_rmap(M(state), page), 2);
	assert_false(pte_write(pte_at(p, BASE)));
	assert_false(pte_write(pte_at(c, BASE)));
	assert_int_equal(rss(c, MM_ANONPAGES), 2);
	assert_int_equal(rd(c, BASE + PG), 2);
	check_machine(M(state));
}

static void cow_writes_are_invisible_to_the_other_side(void **state)
{
	struct task_struct *p = T(state), *c;
	struct machine *m = M(state);
	unsigned long copies;

	map_at(p, 0, 1, RW);
	wr(p, BASE, 10);
	c = fork_ok(p);
	copies = m->tasks.nr_cow_copies;
	wr(c, BASE, 20);
	assert_int_equal(m->tasks.nr_cow_copies, copies + 1);
	assert_int_equal(rd(p, BASE), 10);
	assert_int_equal(rd(c, BASE), 20);
	/* The parent is now the page's only user: it reuses it, no copy. */
	wr(p, BASE, 30);
	assert_int_equal(m->tasks.nr_cow_copies, copies + 1);
	assert_int_equal(m->vm_events[PGREUSE], 1);
	assert_int_equal(rd(p, BASE), 30);
	assert_int_equal(rd(c, BASE), 20);
	assert_int_equal(page_mapcount(page_at(p, BASE)), 1);
	check_machine(m);
}

static void parent_write_first_copies_then_child_reuses(void **state)
{
	struct task_struct *p = T(state), *c;
	struct machine *m = M(state);
	unsigned long copies;

	map_at(p, 0, 1, RW);
	wr(p, BASE, 1);
	c = fork_ok(p);
	copies = m->tasks.nr_cow_copies;
	wr(p, BASE, 2);
	wr(c, BASE, 3);
	assert_int_equal(m->tasks.nr_cow_copies, copies + 1);
	assert_int_equal(rd(p, BASE), 2);
	assert_int_equal(rd(c, BASE), 3);
}

static void last_writer_reuses_after_the_other_exits(void **state)
{
	struct task_struct *p = T(state), *c;
	struct machine *m = M(state);
	unsigned long copies;

	map_at(p, 0, 4, RW);
	tuxmm_fill(p, BASE, 7, 4 * PG, NULL);
	c = fork_ok(p);
	tuxmm_task_exit(c);
	copies = m->tasks.nr_cow_copies;
	tuxmm_fill(p, BASE, 8, 4 * PG, NULL);
	assert_int_equal(m->tasks.nr_cow_copies, copies);
	assert_int_equal(rd(p, BASE) & 0xff, 8);
	check_machine(m);
}

static void zero_page_is_always_copied(void **state)
{
	struct task_struct *p = T(state), *c;
	struct machine *m = M(state);
	unsigned long copies;

	map_at(p, 0, 1, RW);
	assert_int_equal(rd(p, BASE), 0);
	c = fork_ok(p);
	/* No anonymous page yet (no anon_vma): fork copies no entry, as Linux. */
	assert_null(page_at(c, BASE));
	copies = m->tasks.nr_cow_copies;
	wr(c, BASE, 4);
	wr(p, BASE, 5);
	assert_int_equal(m->tasks.nr_cow_copies, copies + 1);
	assert_int_equal(rd(c, BASE), 4);
	assert_int_equal(rd(p, BASE), 5);
}

static void dontfork_area_is_absent_in_the_child(void **state)
{
	struct task_struct *p = T(state), *c;
	struct tuxmm_siginfo si;
	uint64_t v;

	map_at(p, 0, 2, RW);
	wr(p, BASE, 1);
	assert_int_equal(tuxmm_madvise(p, BASE, PG, MADV_DONTFORK), 0);
	c = fork_ok(p);
	assert_int_equal(tuxmm_read(c, BASE, 8, &v, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_MAPERR);
	assert_int_equal(rd(c, BASE + PG), 0);
	/* The parent's page stayed writable: nothing shares it. */
	assert_true(pte_write(pte_at(p, BASE)));
	check_machine(M(state));
}

static void wipeonfork_area_reads_zero_in_the_child(void **state)
{
	struct task_struct *p = T(state), *c;

	map_at(p, 0, 2, RW);
	wr(p, BASE, 1);
	wr(p, BASE + PG, 2);
	assert_int_equal(tuxmm_madvise(p, BASE, 2 * PG, MADV_WIPEONFORK), 0);
	c = fork_ok(p);
	assert_int_equal(rd(c, BASE), 0);
	assert_int_equal(rd(c, BASE + PG), 0);
	assert_int_equal(rd(p, BASE), 1);
	assert_int_equal(rss(c, MM_ANONPAGES), 0);
	check_machine(M(state));
}

static void shared_anonymous_memory_stays_shared(void **state)
{
	struct task_struct *p = T(state), *c;
	long addr = tuxmm_mmap(p, 0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(addr > 0);
	wr(p, (unsigned long)addr, 1);
	c = fork_ok(p);
	assert_int_equal(rd(c, (unsigned long)addr), 1);
	wr(c, (unsigned long)addr, 2);
	assert_int_equal(rd(p, (unsigned long)addr), 2);
	wr(p, (unsigned long)addr + PG, 3);
	assert_int_equal(rd(c, (unsigned long)addr + PG), 3);
	assert_int_equal(rss(p, MM_SHMEMPAGES), 2);
	check_machine(M(state));
}

static void mlock_is_not_inherited(void **state)
{
	struct task_struct *p = T(state), *c;

	map_at(p, 0, 2, RW);
	assert_int_equal(tuxmm_mlock(p, BASE, 2 * PG), 0);
	c = fork_ok(p);
	assert_int_equal(c->mm->locked_vm, 0);
	assert_false(vma_lookup(c->mm, BASE)->vm_flags & VM_LOCKED);
	check_machine(M(state));
}

static void fork_flushes_the_parents_writable_translations(void **state)
{
	struct task_struct *p = T(state), *c;

	map_at(p, 0, 1, RW);
	wr(p, BASE, 1);		/* the TLB now holds a writable, dirty entry */
	c = fork_ok(p);
	wr(p, BASE, 2);		/* must fault and copy, not write through a stale entry */
	assert_int_equal(rd(c, BASE), 1);
}

/* cow.c's "Basic COW after fork()" with the parent's access after the child's. */
static void cow_child_modifies_after_parent_read_only_mprotect(void **state)
{
	struct task_struct *p = T(state), *c;

	map_at(p, 0, 1, RW);
	tuxmm_fill(p, BASE, 0xff, PG, NULL);
	c = fork_ok(p);
	/* mprotect(RO) then RW must not make the shared page writable. */
	assert_int_equal(tuxmm_mprotect(p, BASE, PG, PROT_READ), 0);
	assert_int_equal(tuxmm_mprotect(p, BASE, PG, RW), 0);
	assert_false(pte_write(pte_at(p, BASE)));
	tuxmm_fill(c, BASE, 0, PG, NULL);
	assert_int_equal(rd(p, BASE), ~0ULL);
	wr(p, BASE, 5);
	assert_int_equal(rd(c, BASE), 0);
}

/* cow.c's MADV_DONTNEED after fork: the child's zap leaves the parent's data. */
static void dontneed_in_child_keeps_the_parents_data(void **state)
{
	struct task_struct *p = T(state), *c;

	map_at(p, 0, 1, RW);
	wr(p, BASE, 9);
	c = fork_ok(p);
	assert_int_equal(tuxmm_madvise(c, BASE, PG, MADV_DONTNEED), 0);
	assert_int_equal(rd(c, BASE), 0);
	assert_int_equal(rd(p, BASE), 9);
	assert_int_equal(page_mapcount(page_at(p, BASE)), 1);
}

static void private_file_cow_after_fork(void **state)
{
	struct task_struct *p = T(state), *c;
	char path[64];
	long addr;

	make_file(path, sizeof(path), 2 * PG);
	addr = tuxmm_mmap_path(p, 0, 2 * PG, RW, MAP_PRIVATE, path, 0);
	assert_true(addr > 0);
	wr(p, (unsigned long)addr, 1);		/* a private copy in the parent */
	assert_int_equal(rd(p, (unsigned long)addr + PG), 0);	/* a page-cache page */
	c = fork_ok(p);
	assert_int_equal(rd(c, (unsigned long)addr), 1);
	wr(c, (unsigned long)addr + PG, 2);
	assert_int_equal(rd(p, (unsigned long)addr + PG), 0);
	wr(p, (unsigned long)addr, 3);
	assert_int_equal(rd(c, (unsigned long)addr), 1);
	check_machine(M(state));
	unlink(path);
}

static void exit_frees_every_page_and_table(void **state)
{
	struct task_struct *p = T(state), *c, *g;
	struct machine *m = M(state);
	long vmas, avs, avcs, mms;
	unsigned long before;

	/* The zero page, once taken, stays: take it before counting. */
	map_at(p, 100, 1, RW);
	rd(p, BASE + 100 * PG);
	before = pages_free(m);
	vmas = slab_active(m, "vm_area_struct");
	avs = slab_active(m, "anon_vma");
	avcs = slab_active(m, "anon_vma_chain");
	mms = slab_active(m, "mm_struct");
	assert_int_equal(tuxmm_fork(p, &c), 0);
	map_at(c, 0, 64, RW);
	tuxmm_fill(c, BASE, 1, 64 * PG, NULL);
	assert_true(tuxmm_mmap(c, 0x7f0000000000UL, 1024 * PG, RW, PA | MAP_FIXED, -1, 0) > 0);
	tuxmm_touch(c, 0x7f0000000000UL, 1024 * PG, true, NULL);
	assert_int_equal(tuxmm_fork(c, &g), 0);
	tuxmm_fill(g, BASE, 2, 32 * PG, NULL);
	rd(g, BASE + 40 * PG);
	assert_true(pages_free(m) < before);
	tuxmm_task_exit(c);
	tuxmm_task_exit(g);
	assert_int_equal(pages_free(m) + 0, before);
	assert_int_equal(slab_active(m, "vm_area_struct"), vmas);
	assert_int_equal(slab_active(m, "anon_vma"), avs);
	assert_int_equal(slab_active(m, "anon_vma_chain"), avcs);
	assert_int_equal(slab_active(m, "mm_struct"), mms);
	check_machine(m);
}

static void fork_counts_faults_per_task(void **state)
{
	struct task_struct *p = T(state), *c;
	unsigned long pf, cf;

	map_at(p, 0, 4, RW);
	tuxmm_touch(p, BASE, 4 * PG, true, NULL);
	c = fork_ok(p);
	tuxmm_touch(c, BASE, 2 * PG, true, NULL);
	tuxmm_task_faults(p, &pf, NULL);
	tuxmm_task_faults(c, &cf, NULL);
	assert_int_equal(pf, 4);
	assert_int_equal(cf, 2);
	/* No place for the child: refused, not a crash, and no task is made. */
	assert_int_equal(tuxmm_fork(p, NULL), -EINVAL);
	assert_null(tuxmm_find_task(M(state), c->pid + 1));
}

#define T_(f) cmocka_unit_test_setup_teardown(f, mm_setup, mm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(fork_shares_pages_read_only_in_both),
		T_(cow_writes_are_invisible_to_the_other_side),
		T_(parent_write_first_copies_then_child_reuses),
		T_(last_writer_reuses_after_the_other_exits),
		T_(zero_page_is_always_copied),
		T_(dontfork_area_is_absent_in_the_child),
		T_(wipeonfork_area_reads_zero_in_the_child),
		T_(shared_anonymous_memory_stays_shared),
		T_(mlock_is_not_inherited),
		T_(fork_flushes_the_parents_writable_translations),
		T_(cow_child_modifies_after_parent_read_only_mprotect),
		T_(dontneed_in_child_keeps_the_parents_data),
		T_(private_file_cow_after_fork),
		T_(exit_frees_every_page_and_table),
		T_(fork_counts_faults_per_task),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
