/*
 * test_brk.c - brk(): where the heap starts, Linux's return rules (the new
 * break, or the old one when refused), growth into one [heap] area, shrinking,
 * and the limits (start_brk, the next mapping, RLIMIT_DATA, mlockall).
 */
#include "mm_test.h"

static const unsigned long HEAP = 0x555555554000UL;	/* ELF_ET_DYN_BASE without ASLR */

static void new_task_has_an_empty_heap_at_the_pie_base(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(t->mm->start_brk, HEAP);
	assert_int_equal(tuxmm_brk(t, 0), HEAP);
	assert_null(find_vma_intersection(t->mm, HEAP, HEAP + PG));
}

static void growing_returns_the_exact_break_and_maps_whole_pages(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *heap;

	assert_int_equal(tuxmm_brk(t, HEAP + 10000), HEAP + 10000);
	heap = vma_lookup(t->mm, HEAP);
	assert_non_null(heap);
	assert_int_equal(heap->vm_end, HEAP + 3 * PG);
	assert_int_equal(heap->vm_flags & (VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT),
			 VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT);
	assert_true(validate_mm(t->mm));
}

static void repeated_growth_extends_one_heap_area(void **state)
{
	struct task_struct *t = T(state);
	int before = nr_vmas(t);

	for (int i = 1; i <= 10; i++)
		assert_int_equal(tuxmm_brk(t, HEAP + (unsigned long)i * PG),
				 HEAP + (unsigned long)i * PG);
	assert_int_equal(nr_vmas(t), before + 1);
	assert_int_equal(t->mm->data_vm, 10);
}

static void shrinking_unmaps_and_returns_the_new_break(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_brk(t, HEAP + 8 * PG), HEAP + 8 * PG);
	assert_int_equal(tuxmm_brk(t, HEAP + 3 * PG + 5), HEAP + 3 * PG + 5);
	assert_int_equal(vma_lookup(t->mm, HEAP)->vm_end, HEAP + 4 * PG);
	assert_int_equal(tuxmm_brk(t, HEAP), HEAP);
	assert_null(vma_lookup(t->mm, HEAP));
	assert_true(validate_mm(t->mm));
}

static void within_the_last_page_only_the_break_moves(void **state)
{
	struct task_struct *t = T(state);
	int before;

	assert_int_equal(tuxmm_brk(t, HEAP + 100), HEAP + 100);
	before = nr_vmas(t);
	assert_int_equal(tuxmm_brk(t, HEAP + 4000), HEAP + 4000);
	assert_int_equal(nr_vmas(t), before);
	assert_int_equal(t->mm->brk, HEAP + 4000);
}

static void below_start_brk_returns_the_old_break(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_brk(t, HEAP + PG), HEAP + PG);
	assert_int_equal(tuxmm_brk(t, HEAP - PG), HEAP + PG);
	assert_int_equal(tuxmm_brk(t, 1), HEAP + PG);
}

static void growth_stops_a_page_short_of_the_next_mapping(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, HEAP + 16 * PG, PG, PROT_READ, PAF, -1, 0),
			 (long)(HEAP + 16 * PG));
	/* newbrk + PAGE_SIZE may reach the next area's start, not pass it. */
	assert_int_equal(tuxmm_brk(t, HEAP + 15 * PG), HEAP + 15 * PG);
	assert_int_equal(tuxmm_brk(t, HEAP + 15 * PG + 1), HEAP + 15 * PG);
}

static void growth_stops_at_a_stack_guard_gap(void **state)
{
	struct task_struct *t = T(state);
	unsigned long stack = HEAP + 300 * PG;

	assert_int_equal(tuxmm_mmap(t, stack, PG, RW, PAF | MAP_GROWSDOWN, -1, 0), (long)stack);
	assert_int_equal(tuxmm_brk(t, stack - 256 * PG - PG), stack - 257 * PG);
	assert_int_equal(tuxmm_brk(t, stack - 256 * PG), stack - 257 * PG);
}

static void growth_beyond_rlimit_data_is_refused(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_DATA, 4 * PG, RLIM_INFINITY), 0);
	assert_int_equal(tuxmm_brk(t, HEAP + 4 * PG), HEAP + 4 * PG);
	assert_int_equal(tuxmm_brk(t, HEAP + 5 * PG), HEAP + 4 * PG);
}

static void adjacent_private_mapping_merges_into_the_heap(void **state)
{
	struct task_struct *t = T(state);
	char *maps;

	assert_int_equal(tuxmm_brk(t, HEAP + 2 * PG), HEAP + 2 * PG);
	assert_int_equal(tuxmm_mmap(t, HEAP + 2 * PG, PG, RW, PAF, -1, 0), (long)(HEAP + 2 * PG));
	assert_int_equal(vma_lookup(t->mm, HEAP)->vm_end, HEAP + 3 * PG);
	maps = test_proc(M(state), "/proc/1/maps");
	assert_non_null(strstr(maps, "555555554000-555555557000 rw-p 00000000 00:00 0"));
	assert_non_null(strstr(maps, "[heap]"));
	free(maps);
}

static void an_area_touching_an_empty_heap_is_not_named_heap(void **state)
{
	struct task_struct *t = T(state);
	char *maps;

	/* Linux names [heap] only areas overlapping [start_brk, brk), strictly. */
	assert_int_equal(tuxmm_mmap(t, HEAP, PG, PROT_READ, PAF, -1, 0), (long)HEAP);
	maps = test_proc(M(state), "/proc/1/maps");
	assert_null(strstr(maps, "[heap]"));
	free(maps);
}

static void mprotected_heap_grows_a_second_area(void **state)
{
	struct task_struct *t = T(state);
	int before;

	assert_int_equal(tuxmm_brk(t, HEAP + 2 * PG), HEAP + 2 * PG);
	assert_int_equal(tuxmm_mprotect(t, HEAP + PG, PG, PROT_READ), 0);
	before = nr_vmas(t);
	assert_int_equal(tuxmm_brk(t, HEAP + 3 * PG), HEAP + 3 * PG);
	assert_int_equal(nr_vmas(t), before + 1);
	assert_true(validate_mm(t->mm));
}

static void heap_growth_after_mlockall_future_is_locked(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mlockall(t, MCL_FUTURE), 0);
	assert_int_equal(tuxmm_brk(t, HEAP + 2 * PG), HEAP + 2 * PG);
	assert_true(vma_lookup(t->mm, HEAP)->vm_flags & VM_LOCKED);
	assert_int_equal(t->mm->locked_vm, 2);
	/* Beyond RLIMIT_MEMLOCK (8 MiB) the heap cannot grow. */
	assert_int_equal(tuxmm_brk(t, HEAP + (9UL << 20)), HEAP + 2 * PG);
}

static void heap_shrink_with_nothing_there_is_refused(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_brk(t, HEAP + 4 * PG), HEAP + 4 * PG);
	assert_int_equal(tuxmm_munmap(t, HEAP, 4 * PG), 0);
	assert_int_equal(tuxmm_brk(t, HEAP + PG), HEAP + 4 * PG);
}

static void heap_is_randomized_with_aslr(void **state)
{
	struct tuxmm_config cfg;
	struct task_struct *t;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.randomize_va_space = 2;
	m = test_boot_cfg(&cfg);
	assert_int_equal(tuxmm_spawn(m, "aslr", &t), 0);
	/* arch_randomize_brk(): up to 1 GiB above the base, page-aligned. */
	assert_true(t->mm->start_brk >= HEAP && t->mm->start_brk < HEAP + (1UL << 30));
	assert_int_equal(t->mm->start_brk % PG, 0);
	assert_int_equal(tuxmm_brk(t, t->mm->start_brk + PG), t->mm->start_brk + PG);
	tuxmm_machine_destroy(m);
}

static void randomize_va_space_1_leaves_the_heap_alone(void **state)
{
	struct tuxmm_config cfg;
	struct task_struct *t;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.randomize_va_space = 1;
	m = test_boot_cfg(&cfg);
	assert_int_equal(tuxmm_spawn(m, "aslr1", &t), 0);
	assert_int_equal(t->mm->start_brk, HEAP);
	assert_int_not_equal(t->mm->mmap_base, 0x7ffff7fff000UL);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, mm_setup, mm_teardown)
		T_(new_task_has_an_empty_heap_at_the_pie_base),
		T_(growing_returns_the_exact_break_and_maps_whole_pages),
		T_(repeated_growth_extends_one_heap_area),
		T_(shrinking_unmaps_and_returns_the_new_break),
		T_(within_the_last_page_only_the_break_moves),
		T_(below_start_brk_returns_the_old_break),
		T_(growth_stops_a_page_short_of_the_next_mapping),
		T_(growth_stops_at_a_stack_guard_gap),
		T_(growth_beyond_rlimit_data_is_refused),
		T_(adjacent_private_mapping_merges_into_the_heap),
		T_(an_area_touching_an_empty_heap_is_not_named_heap),
		T_(mprotected_heap_grows_a_second_area),
		T_(heap_growth_after_mlockall_future_is_locked),
		T_(heap_shrink_with_nothing_there_is_refused),
		T_(heap_is_randomized_with_aslr),
		T_(randomize_va_space_1_leaves_the_heap_alone),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
