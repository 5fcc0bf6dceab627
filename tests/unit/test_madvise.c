/*
 * test_madvise.c - madvise(), mlock()/munlock()/mlockall(), msync() and
 * mincore(): the flags each sets, Linux's errno for each misuse, how holes in
 * the range are reported, and locked_vm accounting.
 */
#include "mm_test.h"

static unsigned long flags_at(struct task_struct *t, unsigned long page)
{
	return vma_lookup(t->mm, BASE + page * PG)->vm_flags;
}

/* ---- madvise ---- */

static void madvise_sequential_and_random_exclude_each_other(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_SEQUENTIAL), 0);
	assert_int_equal(flags_at(t, 0) & (VM_SEQ_READ | VM_RAND_READ), VM_SEQ_READ);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_RANDOM), 0);
	assert_int_equal(flags_at(t, 0) & (VM_SEQ_READ | VM_RAND_READ), VM_RAND_READ);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_NORMAL), 0);
	assert_int_equal(flags_at(t, 0) & (VM_SEQ_READ | VM_RAND_READ), 0);
}

static void madvise_dontfork_and_dofork_toggle_vm_dontcopy(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DONTFORK), 0);
	assert_true(flags_at(t, 0) & VM_DONTCOPY);
	assert_false(flags_at(t, 1) & VM_DONTCOPY);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DOFORK), 0);
	assert_string_equal(areas(t), "0-2 rw-p");
}

static void madvise_wipeonfork_only_on_private_anonymous(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_mmap(t, BASE + PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    -1, 0), (long)(BASE + PG));
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_WIPEONFORK), 0);
	assert_true(flags_at(t, 0) & VM_WIPEONFORK);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_WIPEONFORK), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_KEEPONFORK), 0);
	assert_false(flags_at(t, 0) & VM_WIPEONFORK);
}

static void madvise_dontdump_and_dodump(void **state)
{
	static const struct vm_operations_struct ops = { .name = NULL };
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DONTDUMP), 0);
	assert_true(flags_at(t, 0) & VM_DONTDUMP);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DODUMP), 0);
	assert_false(flags_at(t, 0) & VM_DONTDUMP);
	/* A special mapping may not be dumped on request. */
	assert_int_equal(install_special_mapping(t->mm, BASE + 4 * PG, PG, VM_READ | VM_MAYREAD,
						 &ops), 0);
	assert_int_equal(tuxmm_madvise(t, BASE + 4 * PG, PG, MADV_DODUMP), -EINVAL);
}

static void madvise_argument_errors(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, 12345), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE + 1, PG, MADV_NORMAL), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE, -1UL, MADV_NORMAL), -EINVAL);
	/* Length zero succeeds even where nothing is mapped. */
	assert_int_equal(tuxmm_madvise(t, BASE + 20 * PG, 0, MADV_NORMAL), 0);
}

static void madvise_without_ksm_or_thp_is_einval(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_MERGEABLE), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_HUGEPAGE), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_COLLAPSE), -EINVAL);
}

static void madvise_over_a_hole_applies_and_reports_enomem(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 4, 2, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, 6 * PG, MADV_RANDOM), -ENOMEM);
	assert_true(flags_at(t, 0) & VM_RAND_READ);
	assert_true(flags_at(t, 4) & VM_RAND_READ);
	assert_int_equal(tuxmm_madvise(t, BASE + 20 * PG, PG, MADV_RANDOM), -ENOMEM);
}

static void madvise_dontneed_rules(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_DONTNEED), 0);
	assert_int_equal(tuxmm_mlock(t, BASE, PG), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_DONTNEED_LOCKED), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_COLD), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_PAGEOUT), 0);
}

static void madvise_free_only_on_anonymous_memory(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_FREE), 0);
	make_file(path, sizeof(path), PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE + PG, PG, RW, MAP_PRIVATE | MAP_FIXED, path, 0),
			 (long)(BASE + PG));
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_FREE), -EINVAL);
	unlink(path);
}

static void madvise_remove_needs_a_shared_writable_file(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_REMOVE), -EINVAL);
	assert_int_equal(tuxmm_mmap(t, BASE + PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    -1, 0), (long)(BASE + PG));
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_REMOVE), 0);
}

static void madvise_populate_checks_access(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, PROT_READ);
	map_at(t, 1, 1, PROT_NONE);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_POPULATE_READ), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_POPULATE_WRITE), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_POPULATE_READ), -EINVAL);
	assert_int_equal(tuxmm_madvise(t, BASE + 2 * PG, PG, MADV_POPULATE_READ), -ENOMEM);
}

static void madvise_populate_past_end_of_file_is_efault(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	make_file(path, sizeof(path), PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path,
					 0), (long)BASE);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_POPULATE_READ), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_POPULATE_READ), -EFAULT);
	unlink(path);
}

/* ---- mlock ---- */

static void mlock_sets_vm_locked_and_counts_once(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, 2 * PG), 0);
	assert_int_equal(tuxmm_mlock(t, BASE, 3 * PG), 0);
	assert_int_equal(t->mm->locked_vm, 3);
	assert_true(flags_at(t, 2) & VM_LOCKED);
	assert_false(flags_at(t, 3) & VM_LOCKED);
	assert_int_equal(tuxmm_munlock(t, BASE + PG, PG), 0);
	assert_int_equal(t->mm->locked_vm, 2);
	assert_true(validate_mm(t->mm));
}

static void mlock_rounds_to_whole_pages(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mlock(t, BASE + PG + 100, 10), 0);
	assert_string_equal(areas(t), "0-1 rw-p,1-2 rw-p,2-4 rw-p");
	assert_int_equal(t->mm->locked_vm, 1);
}

static void mlock_over_a_hole_is_enomem_after_locking_the_start(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 3, 1, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, 4 * PG), -ENOMEM);
	assert_true(flags_at(t, 0) & VM_LOCKED);
	assert_false(flags_at(t, 3) & VM_LOCKED);
	assert_int_equal(tuxmm_mlock(t, BASE + 2 * PG, PG), -ENOMEM);
	assert_true(validate_mm(t->mm));
}

static void mlock_beyond_rlimit_memlock_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	assert_true(tuxmm_mmap(t, BASE, 16UL << 20, RW, PAF, -1, 0) > 0);
	assert_int_equal(tuxmm_mlock(t, BASE, 9UL << 20), -ENOMEM);
	assert_int_equal(tuxmm_mlock(t, BASE, 8UL << 20), 0);
	/* Pages already locked do not count twice. */
	assert_int_equal(tuxmm_mlock(t, BASE, 8UL << 20), 0);
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_MEMLOCK, 0, 0), 0);
	assert_int_equal(tuxmm_mlock(t, BASE, PG), -EPERM);
}

static void mlock2_onfault_sets_vm_lockonfault(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_mlock2(t, BASE, PG, 2), -EINVAL);
	assert_int_equal(tuxmm_mlock2(t, BASE, PG, MLOCK_ONFAULT), 0);
	assert_int_equal(flags_at(t, 0) & VM_LOCKED_MASK, VM_LOCKED_MASK);
	assert_int_equal(tuxmm_munlock(t, BASE, PG), 0);
	assert_int_equal(flags_at(t, 0) & VM_LOCKED_MASK, 0);
}

static void munmap_of_locked_pages_lowers_locked_vm(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, 4 * PG), 0);
	assert_int_equal(tuxmm_munmap(t, BASE + PG, 2 * PG), 0);
	assert_int_equal(t->mm->locked_vm, 2);
	assert_true(validate_mm(t->mm));
}

static void mlock_skips_special_mappings(void **state)
{
	static const struct vm_operations_struct ops = { .name = NULL };
	struct task_struct *t = T(state);

	assert_int_equal(install_special_mapping(t->mm, BASE, PG, VM_READ | VM_MAYREAD, &ops), 0);
	assert_int_equal(tuxmm_mlock(t, BASE, PG), 0);
	assert_false(flags_at(t, 0) & VM_LOCKED);
	assert_int_equal(t->mm->locked_vm, 0);
}

static void mlockall_current_and_future(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mlockall(t, MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(t->mm->locked_vm, t->mm->total_vm);
	map_at(t, 4, 1, RW);
	assert_true(flags_at(t, 4) & VM_LOCKED);
	assert_int_equal(t->mm->locked_vm, t->mm->total_vm);
	assert_int_equal(tuxmm_munlockall(t), 0);
	assert_int_equal(t->mm->locked_vm, 0);
	assert_int_equal(t->mm->def_flags, 0);
	assert_true(validate_mm(t->mm));
}

static void mlockall_errors(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mlockall(t, 0), -EINVAL);
	assert_int_equal(tuxmm_mlockall(t, MCL_ONFAULT), -EINVAL);
	assert_int_equal(tuxmm_mlockall(t, 8), -EINVAL);
	assert_true(tuxmm_mmap(t, 0, 9UL << 20, PROT_READ, PA, -1, 0) > 0);
	assert_int_equal(tuxmm_mlockall(t, MCL_CURRENT), -ENOMEM);
	assert_int_equal(tuxmm_mlockall(t, MCL_FUTURE), 0);
}

/* ---- msync ---- */

static void msync_argument_errors(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_msync(t, BASE, PG, 8), -EINVAL);
	assert_int_equal(tuxmm_msync(t, BASE + 1, PG, MS_SYNC), -EINVAL);
	assert_int_equal(tuxmm_msync(t, BASE, PG, MS_SYNC | MS_ASYNC), -EINVAL);
	assert_int_equal(tuxmm_msync(t, BASE, 0, MS_ASYNC), 0);
	assert_int_equal(tuxmm_msync(t, BASE, PG, MS_SYNC), 0);
}

static void msync_over_a_hole_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	map_at(t, 2, 1, RW);
	assert_int_equal(tuxmm_msync(t, BASE, 3 * PG, MS_SYNC), -ENOMEM);
	assert_int_equal(tuxmm_msync(t, BASE, 3 * PG, MS_ASYNC), -ENOMEM);
	assert_int_equal(tuxmm_msync(t, BASE + 10 * PG, PG, MS_ASYNC), -ENOMEM);
}

static void msync_invalidate_of_locked_area_is_ebusy(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, PG), 0);
	assert_int_equal(tuxmm_msync(t, BASE, PG, MS_INVALIDATE), -EBUSY);
	assert_int_equal(tuxmm_msync(t, BASE, PG, MS_SYNC), 0);
}

/* ---- mincore ---- */

static void mincore_of_untouched_anonymous_memory_is_all_zero(void **state)
{
	struct task_struct *t = T(state);
	unsigned char vec[4];

	map_at(t, 0, 4, RW);
	memset(vec, 0xff, sizeof(vec));
	assert_int_equal(tuxmm_mincore(t, BASE, 3 * PG + 1, vec), 0);
	assert_memory_equal(vec, "\0\0\0\0", 4);
}

static void mincore_argument_errors(void **state)
{
	struct task_struct *t = T(state);
	unsigned char vec[4];

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mincore(t, BASE + 1, PG, vec), -EINVAL);
	assert_int_equal(tuxmm_mincore(t, BASE, 3 * PG, vec), -ENOMEM);
	assert_int_equal(tuxmm_mincore(t, BASE + 8 * PG, PG, vec), -ENOMEM);
	assert_int_equal(tuxmm_mincore(t, BASE, 1UL << 47, vec), -ENOMEM);
	assert_int_equal(tuxmm_mincore(t, BASE, 0, vec), 0);
}

static void mincore_of_someone_elses_file_reports_resident(void **state)
{
	struct task_struct *t = T(state);
	unsigned char vec[2] = { 7, 7 };
	char path[64];

	/* A file the caller could not write: Linux hides the cache state and says resident. */
	make_file(path, sizeof(path), 2 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path,
					 0), (long)BASE);
	assert_int_equal(tuxmm_mincore(t, BASE, 2 * PG, vec), 0);
	assert_memory_equal(vec, "\1\1", 2);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, mm_setup, mm_teardown)
		T_(madvise_sequential_and_random_exclude_each_other),
		T_(madvise_dontfork_and_dofork_toggle_vm_dontcopy),
		T_(madvise_wipeonfork_only_on_private_anonymous),
		T_(madvise_dontdump_and_dodump),
		T_(madvise_argument_errors),
		T_(madvise_without_ksm_or_thp_is_einval),
		T_(madvise_over_a_hole_applies_and_reports_enomem),
		T_(madvise_dontneed_rules),
		T_(madvise_free_only_on_anonymous_memory),
		T_(madvise_remove_needs_a_shared_writable_file),
		T_(madvise_populate_checks_access),
		T_(madvise_populate_past_end_of_file_is_efault),
		T_(mlock_sets_vm_locked_and_counts_once),
		T_(mlock_rounds_to_whole_pages),
		T_(mlock_over_a_hole_is_enomem_after_locking_the_start),
		T_(mlock_beyond_rlimit_memlock_is_enomem),
		T_(mlock2_onfault_sets_vm_lockonfault),
		T_(munmap_of_locked_pages_lowers_locked_vm),
		T_(mlock_skips_special_mappings),
		T_(mlockall_current_and_future),
		T_(mlockall_errors),
		T_(msync_argument_errors),
		T_(msync_over_a_hole_is_enomem),
		T_(msync_invalidate_of_locked_area_is_ebusy),
		T_(mincore_of_untouched_anonymous_memory_is_all_zero),
		T_(mincore_argument_errors),
		T_(mincore_of_someone_elses_file_reports_resident),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
