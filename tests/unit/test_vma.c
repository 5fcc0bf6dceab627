/*
 * test_vma.c - the areas of an address space: lookup, the tree, and when
 * adjacent areas merge or split, case by case as Linux's
 * tools/testing/selftests/mm/merge.c and tools/testing/vma list them.
 */
#include "mm_test.h"

/* ---- lookup and the tree ---- */

static void find_vma_returns_containing_or_next_area(void **state)
{
	struct task_struct *t = T(state);
	struct mm_struct *mm = t->mm;

	map_at(t, 10, 2, RW);
	map_at(t, 20, 2, PROT_READ);
	assert_int_equal(find_vma(mm, BASE + 10 * PG)->vm_start, BASE + 10 * PG);
	assert_int_equal(find_vma(mm, BASE + 12 * PG - 1)->vm_start, BASE + 10 * PG);
	assert_int_equal(find_vma(mm, BASE + 12 * PG)->vm_start, BASE + 20 * PG);
	assert_null(vma_lookup(mm, BASE + 15 * PG));
	assert_null(find_vma_intersection(mm, BASE + 12 * PG, BASE + 20 * PG));
	assert_non_null(find_vma_intersection(mm, BASE + 12 * PG, BASE + 20 * PG + 1));
}

static void find_vma_above_every_area_is_null(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *prev;

	assert_null(find_vma(t->mm, t->mm->highest_vm_end));
	assert_null(find_vma_prev(t->mm, t->mm->highest_vm_end, &prev));
	assert_ptr_equal(prev->vm_end, t->mm->highest_vm_end);
}

static void list_and_tree_agree_after_inserts(void **state)
{
	struct task_struct *t = T(state);

	for (unsigned long i = 0; i < 200; i++)
		map_at(t, (i * 37) % 400 * 2, 1, (i & 1) ? RW : PROT_READ);
	assert_true(validate_mm(t->mm));
}

/* ---- merging new areas ---- */

static void mmap_adjacent_anon_merges_with_prev(void **state)
{
	struct task_struct *t = T(state);
	int before = nr_vmas(t);

	map_at(t, 0, 2, RW);
	map_at(t, 2, 1, RW);
	assert_string_equal(areas(t), "0-3 rw-p");
	assert_int_equal(nr_vmas(t), before + 1);
	assert_true(validate_mm(t->mm));
}

static void mmap_adjacent_anon_merges_with_next(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 2, 2, RW);
	map_at(t, 0, 2, RW);
	assert_string_equal(areas(t), "0-4 rw-p");
}

static void mmap_filling_a_hole_merges_both_sides(void **state)
{
	struct task_struct *t = T(state);
	int before = nr_vmas(t);

	map_at(t, 0, 1, RW);
	map_at(t, 2, 1, RW);
	map_at(t, 1, 1, RW);
	assert_string_equal(areas(t), "0-3 rw-p");
	assert_int_equal(nr_vmas(t), before + 1);
	assert_true(validate_mm(t->mm));
}

static void mmap_different_protection_does_not_merge(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, RW);
	map_at(t, 1, 1, PROT_READ);
	assert_string_equal(areas(t), "0-1 rw-p,1-2 r--p");
	assert_true(validate_mm(t->mm));
}

static void mmap_noreserve_next_to_accounted_does_not_merge(void **state)
{
	struct task_struct *t = T(state);

	/* VM_NORESERVE and VM_ACCOUNT are flags like the others. */
	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_mmap(t, BASE + PG, PG, RW, PAF | MAP_NORESERVE, -1, 0),
			 (long)(BASE + PG));
	assert_int_equal(nr_vmas(t), 3);
}

static void mmap_read_only_anon_next_to_writable_is_separate(void **state)
{
	struct task_struct *t = T(state);

	/* A read-only private area is not charged (no VM_ACCOUNT): different flags. */
	map_at(t, 0, 1, PROT_READ);
	map_at(t, 1, 1, RW);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, RW), 0);
	assert_string_equal(areas(t), "0-2 rw-p");
}

static void mmap_over_the_middle_with_same_flags_leaves_one_area(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	map_at(t, 1, 1, RW);
	assert_string_equal(areas(t), "0-3 rw-p");
	assert_true(validate_mm(t->mm));
}

static void shared_anonymous_areas_never_merge(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, BASE, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			 (long)BASE);
	assert_int_equal(tuxmm_mmap(t, BASE + PG, PG, RW,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			 (long)(BASE + PG));
	assert_string_equal(areas(t), "0-1 rw-s,1-2 rw-s");
	assert_true(validate_mm(t->mm));
}

static void soft_dirty_bit_does_not_prevent_a_merge(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *vma;

	map_at(t, 0, 1, RW);
	vma = vma_lookup(t->mm, BASE);
	vma->vm_flags |= VM_SOFTDIRTY;
	map_at(t, 1, 1, RW);
	assert_string_equal(areas(t), "0-2 rw-p");
}

static void special_mapping_never_merges(void **state)
{
	static const struct vm_operations_struct ops = { .name = NULL };
	struct task_struct *t = T(state);

	assert_int_equal(install_special_mapping(t->mm, BASE, PG, VM_READ | VM_WRITE | VM_MAYREAD |
						 VM_MAYWRITE, &ops), 0);
	map_at(t, 1, 1, RW);
	assert_int_equal(nr_vmas(t), 3);
	assert_true(validate_mm(t->mm));
}

/* ---- files ---- */

static void file_mapping_with_contiguous_offsets_merges(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), 16 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(tuxmm_mmap(t, BASE, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0),
			 (long)BASE);
	assert_int_equal(tuxmm_mmap(t, BASE + 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED,
				    fd, 2 * PG), (long)(BASE + 2 * PG));
	assert_string_equal(areas(t), "0-4 r--p");
	unlink(path);
}

static void file_mapping_with_a_jump_in_offsets_does_not_merge(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), 16 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_int_equal(tuxmm_mmap(t, BASE, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0),
			 (long)BASE);
	assert_int_equal(tuxmm_mmap(t, BASE + 2 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED,
				    fd, 4 * PG), (long)(BASE + 2 * PG));
	assert_string_equal(areas(t), "0-2 r--p,2-4 r--p");
	assert_true(validate_mm(t->mm));
	unlink(path);
}

static void two_opens_of_one_file_do_not_merge(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	/* As in Linux: merging compares struct file pointers, not inodes. */
	make_file(path, sizeof(path), 16 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path,
					 0), (long)BASE);
	assert_int_equal(tuxmm_mmap_path(t, BASE + 2 * PG, 2 * PG, PROT_READ,
					 MAP_PRIVATE | MAP_FIXED, path, 2 * PG),
			 (long)(BASE + 2 * PG));
	assert_int_equal(nr_vmas(t), 3);
	assert_ptr_equal(file_inode(vma_lookup(t->mm, BASE)->vm_file),
			 file_inode(vma_lookup(t->mm, BASE + 2 * PG)->vm_file));
	assert_true(validate_mm(t->mm));
	unlink(path);
}

static void anonymous_area_next_to_file_does_not_merge(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	make_file(path, sizeof(path), 4 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, PG, RW, MAP_PRIVATE | MAP_FIXED, path, 0),
			 (long)BASE);
	map_at(t, 1, 1, RW);
	assert_int_equal(nr_vmas(t), 3);
	unlink(path);
}

/* ---- merging changed ranges (mprotect, madvise, mlock) ---- */

static void mprotect_middle_splits_into_three(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-1 rw-p,1-2 r--p,2-3 rw-p");
	assert_true(validate_mm(t->mm));
}

static void mprotect_back_merges_the_three_again(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, RW), 0);
	assert_string_equal(areas(t), "0-3 rw-p");
	assert_true(validate_mm(t->mm));
}

static void mprotect_start_of_area_extends_prev(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *prev;

	/*
	 *         |<->|
	 * |-------*********|    prev grows, the area shrinks
	 *   prev     vma
	 */
	map_at(t, 0, 2, PROT_READ);
	map_at(t, 2, 3, RW);
	prev = vma_lookup(t->mm, BASE);
	assert_int_equal(tuxmm_mprotect(t, BASE + 2 * PG, PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-3 r--p,3-5 rw-p");
	assert_ptr_equal(vma_lookup(t->mm, BASE + 2 * PG), prev);
	assert_true(validate_mm(t->mm));
}

static void mprotect_end_of_area_extends_next(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *next;

	/*
	 *     |<->|
	 * *********-------|    the area shrinks, next grows down
	 *    vma     next
	 */
	map_at(t, 0, 3, RW);
	map_at(t, 3, 2, PROT_READ);
	next = vma_lookup(t->mm, BASE + 3 * PG);
	assert_int_equal(tuxmm_mprotect(t, BASE + 2 * PG, PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-2 rw-p,2-5 r--p");
	/* The only case where the surviving area is next. */
	assert_ptr_equal(vma_lookup(t->mm, BASE + 2 * PG), next);
	assert_int_equal(next->vm_pgoff, (BASE >> 12) + 2);
	assert_true(validate_mm(t->mm));
}

static void mprotect_whole_middle_area_merges_all_three(void **state)
{
	struct task_struct *t = T(state);
	int before;

	map_at(t, 0, 1, PROT_READ);
	map_at(t, 1, 1, RW);
	map_at(t, 2, 1, PROT_READ);
	before = nr_vmas(t);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-3 r--p");
	assert_int_equal(nr_vmas(t), before - 2);
	assert_true(validate_mm(t->mm));
}

static void mprotect_whole_area_merges_into_next_only(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 1, PROT_EXEC | PROT_READ);
	map_at(t, 1, 1, RW);
	map_at(t, 2, 1, PROT_READ);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-1 r-xp,1-3 r--p");
	assert_true(validate_mm(t->mm));
}

static void mprotect_across_two_areas_leaves_one(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, PROT_READ);
	map_at(t, 2, 2, PROT_READ | PROT_EXEC);
	assert_int_equal(tuxmm_mprotect(t, BASE, 4 * PG, PROT_READ), 0);
	assert_string_equal(areas(t), "0-4 r--p");
	assert_true(validate_mm(t->mm));
}

static void merge_both_sides_needs_compatible_anon_vmas(void **state)
{
	struct task_struct *t = T(state);
	static struct list_head link_a, link_b;
	struct vm_area_struct *prev, *next;

	/* Two different (fake) anon_vmas, each on a singular chain: prev and next differ. */
	map_at(t, 0, 1, PROT_READ);
	map_at(t, 1, 1, RW);
	map_at(t, 2, 1, PROT_READ);
	prev = vma_lookup(t->mm, BASE);
	next = vma_lookup(t->mm, BASE + 2 * PG);
	prev->anon_vma = (struct anon_vma *)&link_a;
	next->anon_vma = (struct anon_vma *)&link_b;
	list_add(&link_a, &prev->anon_vma_chain);
	list_add(&link_b, &next->anon_vma_chain);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	/* The middle joins prev; next keeps its own anon_vma. */
	assert_string_equal(areas(t), "0-2 r--p,2-3 r--p");
	list_del_init(&link_a);
	list_del_init(&link_b);
	vma_lookup(t->mm, BASE)->anon_vma = NULL;
	vma_lookup(t->mm, BASE + 2 * PG)->anon_vma = NULL;
}

static void noop_close(struct vm_area_struct *vma)
{
	(void)vma;
}

static void close_hook_keeps_next_from_being_merged_away(void **state)
{
	static const struct vm_operations_struct ops = { .close = noop_close };
	struct task_struct *t = T(state);
	struct vm_area_struct *next;

	map_at(t, 0, 1, PROT_READ);
	map_at(t, 1, 1, RW);
	map_at(t, 2, 1, PROT_READ);
	next = vma_lookup(t->mm, BASE + 2 * PG);
	next->vm_ops = &ops;
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), 0);
	/* Linux reduces the three-way merge to prev + vma. */
	assert_string_equal(areas(t), "0-2 r--p,2-3 r--p");
	next->vm_ops = NULL;
}

static void madvise_random_splits_and_normal_remerges(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, 2 * PG, MADV_RANDOM), 0);
	assert_int_equal(nr_vmas(t), 4);
	assert_true(vma_lookup(t->mm, BASE + PG)->vm_flags & VM_RAND_READ);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, 2 * PG, MADV_NORMAL), 0);
	assert_string_equal(areas(t), "0-4 rw-p");
	assert_true(validate_mm(t->mm));
}

static void mlock_then_munlock_restores_one_area(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_mlock(t, BASE + PG, PG), 0);
	assert_int_equal(nr_vmas(t), 4);
	assert_int_equal(tuxmm_munlock(t, BASE + PG, PG), 0);
	assert_string_equal(areas(t), "0-4 rw-p");
	assert_true(validate_mm(t->mm));
}

/* ---- unmapping ---- */

static void munmap_middle_leaves_two_areas_with_right_offsets(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *hi;

	map_at(t, 0, 5, RW);
	assert_int_equal(tuxmm_munmap(t, BASE + 2 * PG, PG), 0);
	assert_string_equal(areas(t), "0-2 rw-p,3-5 rw-p");
	hi = vma_lookup(t->mm, BASE + 3 * PG);
	assert_int_equal(hi->vm_pgoff, (BASE >> 12) + 3);
	assert_true(validate_mm(t->mm));
}

static void munmap_across_several_areas_removes_them(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 2, RW);
	map_at(t, 2, 2, PROT_READ);
	map_at(t, 5, 2, RW);
	assert_int_equal(tuxmm_munmap(t, BASE + PG, 5 * PG), 0);
	assert_string_equal(areas(t), "0-1 rw-p,6-7 rw-p");
	assert_true(validate_mm(t->mm));
}

/* ---- limits ---- */

static void split_at_max_map_count_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	M(state)->tasks.sysctl.max_map_count = (unsigned long)nr_vmas(t);
	assert_int_equal(tuxmm_mprotect(t, BASE + PG, PG, PROT_READ), -ENOMEM);
	assert_int_equal(tuxmm_munmap(t, BASE + PG, PG), -ENOMEM);
	/* Unmapping a whole area, or an end of one, needs no new area. */
	assert_int_equal(tuxmm_munmap(t, BASE, PG), 0);
	assert_true(validate_mm(t->mm));
}

static void madvise_split_at_max_map_count_is_eagain(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	M(state)->tasks.sysctl.max_map_count = (unsigned long)nr_vmas(t);
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_DONTFORK), -EAGAIN);
}

static void mmap_may_exceed_max_map_count_by_one(void **state)
{
	struct task_struct *t = T(state);
	int n = nr_vmas(t);

	/* Linux checks map_count > max_map_count before adding one. */
	M(state)->tasks.sysctl.max_map_count = (unsigned long)n + 2;
	map_at(t, 0, 1, RW);
	map_at(t, 2, 1, RW);
	map_at(t, 4, 1, RW);
	assert_int_equal(nr_vmas(t), n + 3);
	assert_int_equal(tuxmm_mmap(t, BASE + 6 * PG, PG, RW, PAF, -1, 0), -ENOMEM);
}

static int tree_height(struct rb_node *rb)
{
	int l, r;

	if (!rb)
		return 0;
	l = tree_height(rb->rb_left);
	r = tree_height(rb->rb_right);
	return 1 + (l > r ? l : r);
}

static void max_map_count_areas_then_enomem_and_log_depth(void **state)
{
	struct task_struct *t = T(state);
	struct mm_struct *mm = t->mm;
	unsigned long i;
	long r = 0;

	/* 65530 areas (and one more, as Linux allows), alternating so none merge. */
	for (i = 0; i < 70000; i++) {
		r = tuxmm_mmap(t, BASE + 2 * i * PG, PG, (i & 1) ? RW : PROT_READ, PAF, -1, 0);
		if (r < 0)
			break;
	}
	assert_int_equal(r, -ENOMEM);
	assert_int_equal(mm->map_count, 65531);
	/* A red-black tree of n nodes is at most 2 log2(n + 1) deep. */
	assert_true(tree_height(mm->mm_rb.rb_node) <= 2 * 16);	/* 2^16 > 65532 */
	for (i = 0; i < 65530; i += 997)
		assert_int_equal(find_vma(mm, BASE + 2 * i * PG + 1)->vm_start, BASE + 2 * i * PG);
	assert_true(validate_mm(mm));
	/* Freeing one makes room again. */
	assert_int_equal(tuxmm_munmap(t, BASE, PG), 0);
	assert_int_equal(tuxmm_mmap(t, BASE, PG, RW, PAF, -1, 0), (long)BASE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, mm_setup, mm_teardown)
		T_(find_vma_returns_containing_or_next_area),
		T_(find_vma_above_every_area_is_null),
		T_(list_and_tree_agree_after_inserts),
		T_(mmap_adjacent_anon_merges_with_prev),
		T_(mmap_adjacent_anon_merges_with_next),
		T_(mmap_filling_a_hole_merges_both_sides),
		T_(mmap_different_protection_does_not_merge),
		T_(mmap_noreserve_next_to_accounted_does_not_merge),
		T_(mmap_read_only_anon_next_to_writable_is_separate),
		T_(mmap_over_the_middle_with_same_flags_leaves_one_area),
		T_(shared_anonymous_areas_never_merge),
		T_(soft_dirty_bit_does_not_prevent_a_merge),
		T_(special_mapping_never_merges),
		T_(file_mapping_with_contiguous_offsets_merges),
		T_(file_mapping_with_a_jump_in_offsets_does_not_merge),
		T_(two_opens_of_one_file_do_not_merge),
		T_(anonymous_area_next_to_file_does_not_merge),
		T_(mprotect_middle_splits_into_three),
		T_(mprotect_back_merges_the_three_again),
		T_(mprotect_start_of_area_extends_prev),
		T_(mprotect_end_of_area_extends_next),
		T_(mprotect_whole_middle_area_merges_all_three),
		T_(mprotect_whole_area_merges_into_next_only),
		T_(mprotect_across_two_areas_leaves_one),
		T_(merge_both_sides_needs_compatible_anon_vmas),
		T_(close_hook_keeps_next_from_being_merged_away),
		T_(madvise_random_splits_and_normal_remerges),
		T_(mlock_then_munlock_restores_one_area),
		T_(munmap_middle_leaves_two_areas_with_right_offsets),
		T_(munmap_across_several_areas_removes_them),
		T_(split_at_max_map_count_is_enomem),
		T_(madvise_split_at_max_map_count_is_eagain),
		T_(mmap_may_exceed_max_map_count_by_one),
		T_(max_map_count_areas_then_enomem_and_log_depth),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
