/*
 * test_mremap.c - mremap(): shrinking, growing in place, moving (MAYMOVE,
 * FIXED, several areas at once), DONTUNMAP, Linux's errno for each misuse,
 * and what moves with the mapping (offsets, the commit charge, locked pages).
 */
#include "mm_test.h"

#define MAYMOVE MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

/* ---- in place ---- */

static void shrink_unmaps_the_tail(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 4 * PG, 2 * PG, 0, 0), (long)BASE);
	assert_string_equal(areas(t), "0-2 rw-p");
	assert_true(validate_mm(t->mm));
}

static void shrink_may_reach_across_the_end_of_the_area(void **state)
{
	struct task_struct *t = T(state);

	/* Linux 6.18 unmaps [addr + new_len, addr + old_len) whatever it covers. */
	map_at(t, 0, 2, PROT_READ);
	map_at(t, 2, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE + PG, 3 * PG, PG, 0, 0), (long)(BASE + PG));
	assert_string_equal(areas(t), "0-2 r--p");
}

static void same_size_without_move_is_a_no_op(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 2 * PG, 0, 0), (long)BASE);
	assert_string_equal(areas(t), "0-2 rw-p");
}

static void grow_in_place_when_the_space_is_free(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 5 * PG, 0, 0), (long)BASE);
	assert_string_equal(areas(t), "0-5 rw-p");
	assert_true(validate_mm(t->mm));
}

static void grow_in_place_merges_with_a_compatible_next(void **state)
{
	struct task_struct *t = T(state);
	int before;

	map_at(t, 0, 2, RW);
	map_at(t, 4, 2, RW);
	before = nr_vmas(t);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 4 * PG, 0, 0), (long)BASE);
	assert_string_equal(areas(t), "0-6 rw-p");
	assert_int_equal(nr_vmas(t), before - 1);
	assert_true(validate_mm(t->mm));
}

static void grow_blocked_without_maymove_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 2, 1, PROT_READ);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 3 * PG, 0, 0), -ENOMEM);
	assert_string_equal(areas(t), "0-2 rw-p,2-3 r--p");
}

static void grow_of_a_prefix_must_move(void **state)
{
	struct task_struct *t = T(state);

	/* [addr, addr + old_len) does not end where the area ends: no in-place growth. */
	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 3 * PG, 0, 0), -ENOMEM);
}

/* ---- moving ---- */

static void grow_with_maymove_moves_below_mmap_base(void **state)
{
	struct task_struct *t = T(state);
	long r;

	map_at(t, 0, 2, RW);
	map_at(t, 2, 1, PROT_READ);
	r = tuxmm_mremap(t, BASE, 2 * PG, 3 * PG, MAYMOVE, 0);
	assert_int_equal(r, (long)(t->mm->mmap_base - 3 * PG));
	assert_string_equal(areas(t), "2-3 r--p");
	/* Never faulted: the anonymous offset follows the new address. */
	assert_int_equal(vma_lookup(t->mm, (unsigned long)r)->vm_pgoff, (unsigned long)r >> 12);
	assert_true(validate_mm(t->mm));
}

static void fixed_move_replaces_the_destination(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 10, 4, PROT_READ);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 2 * PG, FIXED, BASE + 11 * PG),
			 (long)(BASE + 11 * PG));
	assert_string_equal(areas(t), "10-11 r--p,11-13 rw-p,13-14 r--p");
	assert_true(validate_mm(t->mm));
}

static void unfaulted_move_next_to_a_twin_merges(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 10, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE + 10 * PG, 2 * PG, 2 * PG, FIXED, BASE + 2 * PG),
			 (long)(BASE + 2 * PG));
	assert_string_equal(areas(t), "0-4 rw-p");
}

static void faulted_move_next_to_a_twin_stays_apart(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *vma;
	uint64_t v = 0;

	map_at(t, 0, 2, RW);
	map_at(t, 10, 2, RW);
	/* A touched page: the area has an anon_vma and keeps its offsets. */
	assert_int_equal(tuxmm_write(t, BASE + 10 * PG, 8, 42, NULL), 0);
	assert_int_equal(tuxmm_mremap(t, BASE + 10 * PG, 2 * PG, 2 * PG, FIXED, BASE + 2 * PG),
			 (long)(BASE + 2 * PG));
	assert_string_equal(areas(t), "0-2 rw-p,2-4 rw-p");
	vma = vma_lookup(t->mm, BASE + 2 * PG);
	assert_int_equal(vma->vm_pgoff, (BASE >> 12) + 10);
	/* The page moved with its table entry. */
	assert_int_equal(tuxmm_read(t, BASE + 2 * PG, 8, &v, NULL), 0);
	assert_int_equal(v, 42);
	assert_true(validate_mm(t->mm));
}

static void move_from_the_middle_splits_the_source(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 6, RW);
	assert_int_equal(tuxmm_mremap(t, BASE + 2 * PG, 2 * PG, 2 * PG, FIXED, BASE + 20 * PG),
			 (long)(BASE + 20 * PG));
	assert_string_equal(areas(t), "0-2 rw-p,4-6 rw-p,20-22 rw-p");
	assert_true(validate_mm(t->mm));
}

static void fixed_move_of_several_areas_keeps_their_gaps(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, PROT_READ);
	map_at(t, 3, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 5 * PG, 5 * PG, FIXED, BASE + 20 * PG),
			 (long)(BASE + 20 * PG));
	assert_string_equal(areas(t), "20-22 r--p,23-25 rw-p");
	assert_true(validate_mm(t->mm));
}

static void multi_area_move_with_a_hole_at_the_start_is_efault(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 1, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 3 * PG, 3 * PG, FIXED, BASE + 20 * PG), -EFAULT);
}

static void resizing_move_across_areas_is_efault(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, PROT_READ);
	map_at(t, 2, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 4 * PG, 6 * PG, FIXED, BASE + 20 * PG), -EFAULT);
}

static void dontunmap_keeps_the_source_mapped(void **state)
{
	struct task_struct *t = T(state);
	long r;

	map_at(t, 0, 2, RW);
	r = tuxmm_mremap(t, BASE, 2 * PG, 2 * PG, MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_int_equal(r, (long)(t->mm->mmap_base - 2 * PG));
	assert_string_equal(areas(t), "0-2 rw-p");
	assert_non_null(vma_lookup(t->mm, (unsigned long)r));
	assert_true(validate_mm(t->mm));
}

static void dontunmap_unlocks_the_source(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, 2 * PG), 0);
	assert_true(tuxmm_mremap(t, BASE, 2 * PG, 2 * PG, MAYMOVE | MREMAP_DONTUNMAP, 0) > 0);
	assert_false(vma_lookup(t->mm, BASE)->vm_flags & VM_LOCKED);
}

/* ---- errors ---- */

static void mremap_errors_match_linux(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, PG, 0x10 | MAYMOVE, 0), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE + 1, PG, 2 * PG, MAYMOVE, 0), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, 0, MAYMOVE, 0), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, 1UL << 48, MAYMOVE, 0), -EINVAL);
	/* FIXED needs MAYMOVE; the destination must be aligned, inside, apart from the source. */
	assert_int_equal(tuxmm_mremap(t, BASE, PG, PG, MREMAP_FIXED, BASE + 8 * PG), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, PG, FIXED, BASE + 8 * PG + 1), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, PG, FIXED, 1UL << 47), -EINVAL);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 2 * PG, FIXED, BASE + PG), -EINVAL);
	/* DONTUNMAP cannot resize. */
	assert_int_equal(tuxmm_mremap(t, BASE, PG, 2 * PG, MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
	/* Nothing mapped at the source, or the range runs off the area. */
	assert_int_equal(tuxmm_mremap(t, BASE + 8 * PG, PG, 2 * PG, MAYMOVE, 0), -EFAULT);
	assert_int_equal(tuxmm_mremap(t, BASE + PG, 2 * PG, 3 * PG, MAYMOVE, 0), -EFAULT);
	assert_string_equal(areas(t), "0-2 rw-p");
}

static void duplicating_a_private_mapping_is_einval(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mremap(t, BASE, 0, PG, MAYMOVE, 0), -EINVAL);
	assert_non_null(strstr(tuxmm_dmesg(M(state)), "attempted to duplicate a private mapping"));
}

static void old_len_zero_duplicates_a_shared_mapping(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *a, *b;
	long r;

	assert_int_equal(tuxmm_mmap(t, BASE, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1,
				    0), (long)BASE);
	r = tuxmm_mremap(t, BASE, 0, 2 * PG, MAYMOVE, 0);
	assert_true(r > 0);
	a = vma_lookup(t->mm, BASE);
	b = vma_lookup(t->mm, (unsigned long)r);
	assert_non_null(b);
	assert_ptr_equal(a->vm_file, b->vm_file);
	assert_true(validate_mm(t->mm));
}

static void growing_a_special_mapping_is_efault(void **state)
{
	static const struct vm_operations_struct ops = { .name = NULL };
	struct task_struct *t = T(state);

	assert_int_equal(install_special_mapping(t->mm, BASE, PG, VM_READ | VM_MAYREAD, &ops), 0);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, 2 * PG, MAYMOVE, 0), -EFAULT);
	assert_int_equal(tuxmm_mremap(t, BASE, PG, PG, MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
}

static void growing_a_locked_area_past_memlock_is_eagain(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_mlock(t, BASE, 2 * PG), 0);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 9UL << 20, MAYMOVE, 0), -EAGAIN);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 4 * PG, 0, 0), (long)BASE);
	assert_int_equal(t->mm->locked_vm, 4);
	assert_true(validate_mm(t->mm));
}

static void growing_past_rlimit_as_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_AS, t->mm->total_vm * PG + PG, RLIM_INFINITY),
			 0);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 4 * PG, 0, 0), -ENOMEM);
	assert_int_equal(tuxmm_mremap(t, BASE, 2 * PG, 3 * PG, 0, 0), (long)BASE);
}

/* ---- accounting ---- */

static void move_carries_the_commit_charge(void **state)
{
	struct task_struct *t = T(state);
	long before;

	map_at(t, 0, 4, RW);
	before = M(state)->tasks.vm_committed_as;
	assert_int_equal(tuxmm_mremap(t, BASE, 4 * PG, 4 * PG, FIXED, BASE + 20 * PG),
			 (long)(BASE + 20 * PG));
	assert_int_equal(M(state)->tasks.vm_committed_as, before);
	/* Growing (in place here) charges the new pages, shrinking gives them back. */
	assert_int_equal(tuxmm_mremap(t, BASE + 20 * PG, 4 * PG, 6 * PG, MAYMOVE, 0),
			 (long)(BASE + 20 * PG));
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 2);
	assert_int_equal(tuxmm_mremap(t, BASE + 20 * PG, 6 * PG, 2 * PG, 0, 0),
			 (long)(BASE + 20 * PG));
	assert_int_equal(M(state)->tasks.vm_committed_as, before - 2);
	/* A move that grows charges only the growth. */
	map_at(t, 22, 1, PROT_READ);
	assert_int_equal(tuxmm_mremap(t, BASE + 20 * PG, 2 * PG, 5 * PG, MAYMOVE, 0),
			 (long)(t->mm->mmap_base - 5 * PG));
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 1);
}

static void move_of_part_of_an_area_keeps_the_rest_charged(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 6, RW);
	assert_true(tuxmm_mremap(t, BASE + 2 * PG, 2 * PG, 2 * PG, FIXED, BASE + 20 * PG) > 0);
	assert_true(vma_lookup(t->mm, BASE)->vm_flags & VM_ACCOUNT);
	assert_true(vma_lookup(t->mm, BASE + 4 * PG)->vm_flags & VM_ACCOUNT);
	assert_true(vma_lookup(t->mm, BASE + 20 * PG)->vm_flags & VM_ACCOUNT);
}

static void move_does_not_raise_vm_peak(void **state)
{
	struct task_struct *t = T(state);
	unsigned long peak;

	map_at(t, 0, 50, RW);
	update_hiwater_vm(t->mm);
	peak = t->mm->hiwater_vm;
	assert_true(tuxmm_mremap(t, BASE, 50 * PG, 50 * PG, FIXED, BASE + 100 * PG) > 0);
	assert_int_equal(t->mm->hiwater_vm, peak);
	assert_int_equal(t->mm->total_vm, peak);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, mm_setup, mm_teardown)
		T_(shrink_unmaps_the_tail),
		T_(shrink_may_reach_across_the_end_of_the_area),
		T_(same_size_without_move_is_a_no_op),
		T_(grow_in_place_when_the_space_is_free),
		T_(grow_in_place_merges_with_a_compatible_next),
		T_(grow_blocked_without_maymove_is_enomem),
		T_(grow_of_a_prefix_must_move),
		T_(grow_with_maymove_moves_below_mmap_base),
		T_(fixed_move_replaces_the_destination),
		T_(unfaulted_move_next_to_a_twin_merges),
		T_(faulted_move_next_to_a_twin_stays_apart),
		T_(move_from_the_middle_splits_the_source),
		T_(fixed_move_of_several_areas_keeps_their_gaps),
		T_(multi_area_move_with_a_hole_at_the_start_is_efault),
		T_(resizing_move_across_areas_is_efault),
		T_(dontunmap_keeps_the_source_mapped),
		T_(dontunmap_unlocks_the_source),
		T_(mremap_errors_match_linux),
		T_(duplicating_a_private_mapping_is_einval),
		T_(old_len_zero_duplicates_a_shared_mapping),
		T_(growing_a_special_mapping_is_efault),
		T_(growing_a_locked_area_past_memlock_is_eagain),
		T_(growing_past_rlimit_as_is_enomem),
		T_(move_carries_the_commit_charge),
		T_(move_of_part_of_an_area_keeps_the_rest_charged),
		T_(move_does_not_raise_vm_peak),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
