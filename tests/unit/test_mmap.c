/*
 * test_mmap.c - mmap() and munmap(): Linux's errno for every bad argument,
 * where new mappings are placed (top-down below mmap_base, hints, the stack
 * guard gap, mmap_min_addr, the bottom-up fallback, other layouts), file
 * mappings, and the accounting (VmSize, VmData, VmPeak, Committed_AS).
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mm_test.h"

static const unsigned long MMAP_BASE_4L = 0x7ffff7fff000UL;	/* TASK_SIZE - 128 MiB */

/* ---- argument errors ---- */

static void mmap_zero_length_is_einval(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, 0, RW, PA, -1, 0), -EINVAL);
}

static void mmap_neither_shared_nor_private_is_einval(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, RW, MAP_ANONYMOUS, -1, 0), -EINVAL);
}

static void mmap_shared_and_private_anonymous_is_einval(void **state)
{
	/* Both bits make MAP_SHARED_VALIDATE, which anonymous memory does not take. */
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, RW, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0), -EINVAL);
}

static void mmap_unknown_flags_are_ignored_for_private(void **state)
{
	assert_true(tuxmm_mmap(T(state), 0, PG, RW, PA | 0x40000000, -1, 0) > 0);
}

static void mmap_unaligned_offset_is_einval_before_ebadf(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, PROT_READ, MAP_PRIVATE, 1000, 1), -EINVAL);
}

static void mmap_bad_descriptor_is_ebadf(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, PROT_READ, MAP_PRIVATE, 1000, 0), -EBADF);
	assert_int_equal(tuxmm_mmap(T(state), 0, 0, PROT_READ, MAP_PRIVATE, 1000, 0), -EBADF);
}

static void mmap_fixed_unaligned_address_is_einval(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), BASE + 1, PG, RW, PAF, -1, 0), -EINVAL);
}

static void mmap_fixed_beyond_task_size_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, t->mm->task_size, PG, RW, PAF, -1, 0), -ENOMEM);
}

static void mmap_huge_length_is_enomem(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, -PG, RW, PA, -1, 0), -ENOMEM);
	assert_int_equal(tuxmm_mmap(T(state), 0, -1UL, RW, PA, -1, 0), -ENOMEM);
}

static void mmap_fixed_below_mmap_min_addr_is_eperm(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0x1000, PG, RW, PAF, -1, 0), -EPERM);
	assert_int_equal(tuxmm_mmap(T(state), 0x10000, PG, RW, PAF, -1, 0), 0x10000);
}

static void mmap_hint_below_mmap_min_addr_is_raised_to_it(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0x2000, PG, RW, PA, -1, 0), 0x10000);
}

static void mmap_growsdown_shared_anonymous_is_einval(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN,
				    -1, 0), -EINVAL);
	assert_true(tuxmm_mmap(T(state), 0, PG, RW, PA | MAP_GROWSDOWN, -1, 0) > 0);
}

static void mmap_hugetlb_is_einval_without_hugetlbfs(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), 0, PG, RW, PA | MAP_HUGETLB, -1, 0), -EINVAL);
}

static void mmap_fixed_noreplace_over_a_mapping_is_eexist(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 1, 1, RW);
	assert_int_equal(tuxmm_mmap(t, BASE, 2 * PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	assert_int_equal(tuxmm_mmap(t, BASE + 2 * PG, PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0),
			 (long)(BASE + 2 * PG));
	assert_string_equal(areas(t), "1-3 rw-p");
}

static void mmap_fixed_replaces_what_was_there(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	map_at(t, 1, 2, PROT_READ);
	assert_string_equal(areas(t), "0-1 rw-p,1-3 r--p,3-4 rw-p");
	assert_true(validate_mm(t->mm));
}

static void mmap_locked_beyond_memlock_limit_is_eagain(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, 0, 9UL << 20, RW, PA | MAP_LOCKED, -1, 0), -EAGAIN);
	assert_true(tuxmm_mmap(t, 0, 4UL << 20, RW, PA | MAP_LOCKED, -1, 0) > 0);
	assert_int_equal(t->mm->locked_vm, (4UL << 20) / PG);
}

static void mmap_locked_without_memlock_is_eperm(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_MEMLOCK, 0, 0), 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, PA | MAP_LOCKED, -1, 0), -EPERM);
}

static void mmap_beyond_rlimit_as_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_AS, 1UL << 20, RLIM_INFINITY), 0);
	assert_int_equal(tuxmm_mmap(t, 0, 1UL << 20, PROT_READ, PA, -1, 0), -ENOMEM);
}

static void mmap_beyond_rlimit_data_is_enomem_for_data_only(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_DATA, 1UL << 20, RLIM_INFINITY), 0);
	assert_int_equal(tuxmm_mmap(t, 0, 2UL << 20, RW, PA, -1, 0), -ENOMEM);
	/* Read-only or shared memory is not data. */
	assert_true(tuxmm_mmap(t, 0, 2UL << 20, PROT_READ, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 2UL << 20, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
}

static void mmap_private_writable_beyond_ram_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	/* Heuristic overcommit refuses one request larger than RAM plus swap. */
	assert_int_equal(tuxmm_mmap(t, 0, 128UL << 20, RW, PA, -1, 0), -ENOMEM);
	assert_non_null(strstr(tuxmm_dmesg(M(state)), "not enough memory for the allocation"));
	assert_true(tuxmm_mmap(t, 0, 128UL << 20, RW, PA | MAP_NORESERVE, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 128UL << 20, PROT_READ, PA, -1, 0) > 0);
}

static void overcommit_never_charges_against_commit_limit(void **state)
{
	struct task_struct *t = T(state);

	M(state)->tasks.sysctl.overcommit_memory = 2;
	/* CommitLimit is half of RAM without swap. */
	assert_int_equal(tuxmm_mmap(t, 0, 40UL << 20, RW, PA, -1, 0), -ENOMEM);
	assert_true(tuxmm_mmap(t, 0, 8UL << 20, RW, PA, -1, 0) > 0);
	/* MAP_NORESERVE is not honoured in mode 2. */
	assert_int_equal(tuxmm_mmap(t, 0, 40UL << 20, RW, PA | MAP_NORESERVE, -1, 0), -ENOMEM);
}

static void max_map_count_exceeded_is_enomem(void **state)
{
	struct task_struct *t = T(state);

	M(state)->tasks.sysctl.max_map_count = (unsigned long)nr_vmas(t) - 1;
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, PA, -1, 0), -ENOMEM);
}

/* ---- munmap ---- */

static void munmap_errors_match_linux(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_munmap(t, BASE + 1, PG), -EINVAL);
	assert_int_equal(tuxmm_munmap(t, BASE, 0), -EINVAL);
	assert_int_equal(tuxmm_munmap(t, 1UL << 47, PG), -EINVAL);
	assert_int_equal(tuxmm_munmap(t, BASE, -1UL), -EINVAL);
	/* Nothing mapped there is not an error. */
	assert_int_equal(tuxmm_munmap(t, BASE, PG), 0);
}

static void munmap_partial_page_length_unmaps_whole_page(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	assert_int_equal(tuxmm_munmap(t, BASE, PG + 1), 0);
	assert_string_equal(areas(t), "2-3 rw-p");
}

/* ---- placement ---- */

static void first_mmap_goes_right_below_mmap_base(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(t->mm->mmap_base, MMAP_BASE_4L);
	assert_int_equal(tuxmm_mmap(t, 0, 2 * PG, RW, PA, -1, 0), (long)(MMAP_BASE_4L - 2 * PG));
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, PA, -1, 0), (long)(MMAP_BASE_4L - 3 * PG));
}

static void freed_hole_below_mmap_base_is_reused_first(void **state)
{
	struct task_struct *t = T(state);
	long a = tuxmm_mmap(t, 0, 4 * PG, PROT_READ, PA, -1, 0);
	long b = tuxmm_mmap(t, 0, 4 * PG, RW, PA, -1, 0);
	long c = tuxmm_mmap(t, 0, 4 * PG, PROT_READ, PA, -1, 0);

	assert_true(a > b && b > c);
	assert_int_equal(tuxmm_munmap(t, (unsigned long)b, 4 * PG), 0);
	assert_int_equal(tuxmm_mmap(t, 0, 2 * PG, PROT_EXEC, PA, -1, 0), b + 2 * PG);
	assert_true(validate_mm(t->mm));
}

static void free_hint_is_used_as_given(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), BASE + 5 * PG, PG, RW, PA, -1, 0),
			 (long)(BASE + 5 * PG));
}

static void unaligned_hint_is_rounded_down(void **state)
{
	assert_int_equal(tuxmm_mmap(T(state), BASE + 5 * PG + 123, PG, RW, PA, -1, 0),
			 (long)(BASE + 5 * PG));
}

static void busy_hint_falls_back_to_top_down(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 1, 1, RW);
	assert_int_equal(tuxmm_mmap(t, BASE, 2 * PG, RW, PA, -1, 0), (long)(MMAP_BASE_4L - 2 * PG));
}

static void hint_near_a_stack_respects_its_guard_gap(void **state)
{
	struct task_struct *t = T(state);
	unsigned long gap = 256 * PG;

	assert_int_equal(tuxmm_mmap(t, BASE + gap, PG, RW, PAF | MAP_GROWSDOWN, -1, 0),
			 (long)(BASE + gap));
	/* Right below the stack is inside its guard gap: the hint is not taken. */
	assert_int_equal(tuxmm_mmap(t, BASE + gap - PG, PG, RW, PA, -1, 0),
			 (long)(MMAP_BASE_4L - PG));
	/* The gap is [BASE, BASE + 256 pages): a page right below it is fine. */
	assert_int_equal(tuxmm_mmap(t, BASE - PG, PG, PROT_READ, PA, -1, 0), (long)(BASE - PG));
}

static void top_down_search_skips_a_stack_guard_gap(void **state)
{
	struct task_struct *t = T(state);
	unsigned long gap = 256 * PG, stack = BASE + 1024 * PG;

	assert_int_equal(tuxmm_mmap(t, stack, PG, RW, PAF | MAP_GROWSDOWN, -1, 0), (long)stack);
	t->mm->mmap_base = stack + PG;
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, PA, -1, 0), (long)(stack - gap - PG));
}

static void stack_guard_gap_follows_the_sysctl(void **state)
{
	struct task_struct *t = T(state);
	unsigned long stack = BASE + 1024 * PG;

	M(state)->tasks.sysctl.stack_guard_gap_pages = 1;
	assert_int_equal(tuxmm_mmap(t, stack, PG, RW, PAF | MAP_GROWSDOWN, -1, 0), (long)stack);
	t->mm->mmap_base = stack + PG;
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, PA, -1, 0), (long)(stack - 2 * PG));
}

static void full_top_down_space_falls_back_to_bottom_up(void **state)
{
	struct task_struct *t = T(state);

	/* Nothing fits below a tiny mmap_base: Linux retries bottom-up from TASK_SIZE / 3. */
	t->mm->mmap_base = 0x10000 + PG;
	assert_int_equal(tuxmm_mmap(t, 0, 2 * PG, RW, PA, -1, 0), (long)t->mm->mmap_legacy_base);
	assert_int_equal(t->mm->mmap_legacy_base, 0x2aaaaaaab000UL);
}

static void legacy_layout_places_bottom_up(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t;

	m->tasks.sysctl.legacy_va_layout = 1;
	assert_int_equal(tuxmm_spawn(m, "legacy", &t), 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, PA, -1, 0), 0x2aaaaaaab000L);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, PA, -1, 0), 0x2aaaaaaac000L);
}

static void map_32bit_goes_in_the_second_gigabyte(void **state)
{
	long a = tuxmm_mmap(T(state), 0, PG, RW, PA | MAP_32BIT, -1, 0);

	assert_int_equal(a, 0x40000000L);
}

static void mmap_base_is_randomized_with_aslr(void **state)
{
	struct tuxmm_config cfg;
	unsigned long bases[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct machine *m;
		struct task_struct *t;

		tuxmm_config_init(&cfg);
		cfg.randomize_va_space = 2;
		cfg.seed = i < 2 ? 42 : 43;
		m = test_boot_cfg(&cfg);
		assert_int_equal(tuxmm_spawn(m, "aslr", &t), 0);
		bases[i] = t->mm->mmap_base;
		/* Below the 16 GiB of stack randomization and 2^28 pages of mmap randomization. */
		assert_true(bases[i] < MMAP_BASE_4L);
		assert_true(bases[i] >= MMAP_BASE_4L - (16UL << 30) - (1UL << 40));
		assert_int_equal(bases[i] % PG, 0);
		assert_true(t->mm->brk_randomized);
		assert_int_not_equal(t->mm->start_brk, 0x555555554000UL);
		tuxmm_machine_destroy(m);
	}
	assert_int_equal(bases[0], bases[1]);
	assert_int_not_equal(bases[0], bases[2]);
}

static void other_layouts_place_below_their_own_mmap_base(void **state)
{
	static const struct {
		unsigned int levels, page_shift;
		unsigned long first;	/* a one-page mapping's address */
	} cases[] = {
		{ 2, 12, 0xb7fff000UL },		/* i386: 3 GiB - 128 MiB */
		{ 5, 12, 0x7ffff7fff000UL - PG },	/* 5-level stays below 47 bits */
		{ 4, 14, 0x7ffff7ffc000UL - 0x4000 },	/* 16 KiB pages */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tuxmm_config cfg;
		struct task_struct *t;
		struct machine *m;

		tuxmm_config_init(&cfg);
		cfg.pgtable_levels = cases[i].levels;
		cfg.page_shift = cases[i].page_shift;
		m = test_boot_cfg(&cfg);
		assert_int_equal(tuxmm_spawn(m, "layout", &t), 0);
		assert_int_equal(tuxmm_mmap(t, 0, 1UL << cases[i].page_shift, RW, PA, -1, 0),
				 (long)cases[i].first);
		assert_true(validate_mm(t->mm));
		tuxmm_machine_destroy(m);
	}
}

static void five_level_hint_above_47_bits_is_honoured(void **state)
{
	struct tuxmm_config cfg;
	struct task_struct *t;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = 5;
	m = test_boot_cfg(&cfg);
	assert_int_equal(tuxmm_spawn(m, "la57", &t), 0);
	assert_int_equal(tuxmm_mmap(t, 1UL << 50, PG, RW, PA, -1, 0), 1L << 50);
	tuxmm_machine_destroy(m);
}

/* ---- stack growth ---- */

static void stack_grows_down_to_a_fault_below_it(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *stack = t->mm->mmap;	/* a new task's only area */
	unsigned long start = stack->vm_start, pages = t->mm->stack_vm;

	assert_ptr_equal(expand_stack(t->mm, start - 10 * PG + 5), stack);
	assert_int_equal(stack->vm_start, start - 10 * PG);
	assert_int_equal(t->mm->stack_vm, pages + 10);
	assert_int_equal(t->mm->total_vm, pages + 10);
	assert_true(validate_mm(t->mm));
}

static void stack_stops_at_rlimit_stack(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *stack = t->mm->mmap;

	/* 8 MiB of stack: one page more is refused. */
	assert_null(expand_stack(t->mm, stack->vm_end - (8UL << 20) - PG));
	assert_non_null(expand_stack(t->mm, stack->vm_end - (8UL << 20)));
	assert_int_equal(stack->vm_end - stack->vm_start, 8UL << 20);
}

static void stack_keeps_the_guard_gap_from_the_area_below(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *stack = t->mm->mmap;
	unsigned long below = stack->vm_start - 300 * PG;

	assert_int_equal(tuxmm_mmap(t, below, PG, PROT_READ, PAF, -1, 0), (long)below);
	assert_int_equal(expand_downwards(stack, below + PG + 256 * PG), 0);
	assert_int_equal(expand_downwards(stack, below + PG + 255 * PG), -ENOMEM);
	/* An inaccessible area below is no reason to stop. */
	assert_int_equal(tuxmm_mprotect(t, below, PG, PROT_NONE), 0);
	assert_int_equal(expand_downwards(stack, below + 2 * PG), 0);
}

static void only_growsdown_areas_expand(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 10, 1, RW);
	assert_null(expand_stack(t->mm, BASE + 9 * PG));
	assert_int_equal(tuxmm_mmap(t, BASE + 400 * PG, PG, RW, PAF | MAP_GROWSDOWN, -1, 0),
			 (long)(BASE + 400 * PG));
	assert_non_null(expand_stack(t->mm, BASE + 399 * PG));
	assert_string_equal(areas(t), "10-11 rw-p,399-401 rw-p");
}

/* ---- files ---- */

static void file_mapping_shows_device_inode_offset_and_path(void **state)
{
	struct task_struct *t = T(state);
	char path[64], want[256], *maps;
	struct stat st;

	make_file(path, sizeof(path), 8 * PG);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path,
					 3 * PG), (long)BASE);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00003000 %02x:%02x %lu", BASE, BASE + 2 * PG,
		 major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	maps = test_proc(M(state), "/proc/1/maps");
	assert_non_null(strstr(maps, want));
	assert_non_null(strstr(maps, path));
	free(maps);
	unlink(path);
}

static void deleted_file_is_shown_as_deleted(void **state)
{
	struct task_struct *t = T(state);
	char path[64], *maps;

	make_file(path, sizeof(path), PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, PG, PROT_READ, MAP_SHARED | MAP_FIXED, path, 0),
			 (long)BASE);
	unlink(path);
	maps = test_proc(M(state), "/proc/1/maps");
	assert_non_null(strstr(maps, " (deleted)\n"));
	free(maps);
}

static void shared_writable_mapping_of_read_only_file_is_eacces(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, MAP_SHARED, fd, 0), -EACCES);
	/* A private mapping may be written: the writes never reach the file. */
	assert_true(tuxmm_mmap(t, 0, PG, RW, MAP_PRIVATE, fd, 0) > 0);
	/* Shared read-only: VM_MAYWRITE is dropped, so mprotect cannot add write later. */
	assert_true(tuxmm_mmap(t, BASE, PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) > 0);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, RW), -EACCES);
	unlink(path);
}

static void mapping_a_write_only_file_is_eacces(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_WRONLY, 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, MAP_PRIVATE, fd, 0), -EACCES);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_WRITE, MAP_SHARED, fd, 0), -EACCES);
	unlink(path);
}

static void mapping_a_directory_is_enodev(void **state)
{
	struct task_struct *t = T(state);
	int fd = tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0);

	assert_true(fd >= 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, MAP_PRIVATE, fd, 0), -ENODEV);
}

static void growsdown_file_mapping_is_einval(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0),
			 -EINVAL);
	unlink(path);
}

static void shared_validate_refuses_unknown_flags(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0),
			 -EOPNOTSUPP);
	assert_true(tuxmm_mmap(t, 0, PG, RW, MAP_SHARED | MAP_SYNC, fd, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, PG, RW, MAP_SHARED_VALIDATE, fd, 0) > 0);
	unlink(path);
}

static void offset_past_max_file_size_is_eoverflow(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ, MAP_PRIVATE, fd, -PG), -EOVERFLOW);
	assert_true(tuxmm_mmap(t, 0, PG, PROT_READ, MAP_PRIVATE, fd, 1UL << 62) > 0);
	unlink(path);
}

static void exec_mapping_on_noexec_mount_is_eperm(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	file_inode(fget(t, fd))->noexec = true;	/* as if /tmp were mounted noexec */
	assert_int_equal(tuxmm_mmap(t, 0, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0), -EPERM);
	assert_int_equal(tuxmm_mmap(t, BASE, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0),
			 (long)BASE);
	/* VM_MAYEXEC is gone too. */
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, PROT_READ | PROT_EXEC), -EACCES);
	unlink(path);
}

static void closing_the_descriptor_keeps_the_mapping(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_file(path, sizeof(path), PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_int_equal(tuxmm_mmap(t, BASE, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0),
			 (long)BASE);
	assert_int_equal(tuxmm_close(t, fd), 0);
	assert_int_equal(tuxmm_close(t, fd), -EBADF);
	assert_non_null(vma_lookup(t->mm, BASE)->vm_file);
	assert_int_equal(inode_nr_live(M(state)), 1);
	assert_int_equal(tuxmm_munmap(t, BASE, PG), 0);
	assert_int_equal(inode_nr_live(M(state)), 0);
	unlink(path);
}

static void open_of_missing_file_gives_host_errno(void **state)
{
	assert_int_equal(tuxmm_open(T(state), "/nonexistent/x", TUXMM_O_RDONLY, 0), -ENOENT);
}

static void descriptors_beyond_rlimit_nofile_are_emfile(void **state)
{
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_NOFILE, 2, 4096), 0);
	assert_int_equal(tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0), 0);
	assert_int_equal(tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0), 1);
	assert_int_equal(tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0), -EMFILE);
	assert_int_equal(tuxmm_close(t, 0), 0);
	assert_int_equal(tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0), 0);
}

/* ---- accounting ---- */

static void mmap_accounts_vm_size_data_exec(void **state)
{
	struct task_struct *t = T(state);
	struct mm_struct *mm = t->mm;
	unsigned long total = mm->total_vm, data = mm->data_vm;

	assert_true(tuxmm_mmap(t, 0, 4 * PG, RW, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 2 * PG, PROT_READ | PROT_EXEC, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 3 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
	assert_int_equal(mm->total_vm, total + 9);
	assert_int_equal(mm->data_vm, data + 4);
	assert_int_equal(mm->exec_vm, 2);
	assert_true(validate_mm(mm));
}

static void commit_charge_follows_private_writable_mappings(void **state)
{
	struct task_struct *t = T(state);
	long before = M(state)->tasks.vm_committed_as;
	long a;

	a = tuxmm_mmap(t, 0, 10 * PG, RW, PA, -1, 0);
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 10);
	assert_true(tuxmm_mmap(t, 0, 10 * PG, PROT_READ, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 10 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 10);
	assert_int_equal(tuxmm_munmap(t, (unsigned long)a, 4 * PG), 0);
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 6);
	/* Replacing charged memory with MAP_FIXED carries the charge over. */
	assert_int_equal(tuxmm_mmap(t, (unsigned long)a + 4 * PG, 6 * PG, RW, PAF, -1, 0),
			 a + 4 * (long)PG);
	assert_int_equal(M(state)->tasks.vm_committed_as, before + 6);
}

static void vm_peak_keeps_the_high_water_mark(void **state)
{
	struct task_struct *t = T(state);
	unsigned long peak;
	long a;

	a = tuxmm_mmap(t, 0, 100 * PG, PROT_READ, PA, -1, 0);
	peak = t->mm->total_vm;
	assert_int_equal(tuxmm_munmap(t, (unsigned long)a, 100 * PG), 0);
	assert_int_equal(t->mm->hiwater_vm, peak);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, mm_setup, mm_teardown)
		T_(mmap_zero_length_is_einval),
		T_(mmap_neither_shared_nor_private_is_einval),
		T_(mmap_shared_and_private_anonymous_is_einval),
		T_(mmap_unknown_flags_are_ignored_for_private),
		T_(mmap_unaligned_offset_is_einval_before_ebadf),
		T_(mmap_bad_descriptor_is_ebadf),
		T_(mmap_fixed_unaligned_address_is_einval),
		T_(mmap_fixed_beyond_task_size_is_enomem),
		T_(mmap_huge_length_is_enomem),
		T_(mmap_fixed_below_mmap_min_addr_is_eperm),
		T_(mmap_hint_below_mmap_min_addr_is_raised_to_it),
		T_(mmap_growsdown_shared_anonymous_is_einval),
		T_(mmap_hugetlb_is_einval_without_hugetlbfs),
		T_(mmap_fixed_noreplace_over_a_mapping_is_eexist),
		T_(mmap_fixed_replaces_what_was_there),
		T_(mmap_locked_beyond_memlock_limit_is_eagain),
		T_(mmap_locked_without_memlock_is_eperm),
		T_(mmap_beyond_rlimit_as_is_enomem),
		T_(mmap_beyond_rlimit_data_is_enomem_for_data_only),
		T_(mmap_private_writable_beyond_ram_is_enomem),
		T_(overcommit_never_charges_against_commit_limit),
		T_(max_map_count_exceeded_is_enomem),
		T_(munmap_errors_match_linux),
		T_(munmap_partial_page_length_unmaps_whole_page),
		T_(first_mmap_goes_right_below_mmap_base),
		T_(freed_hole_below_mmap_base_is_reused_first),
		T_(free_hint_is_used_as_given),
		T_(unaligned_hint_is_rounded_down),
		T_(busy_hint_falls_back_to_top_down),
		T_(hint_near_a_stack_respects_its_guard_gap),
		T_(top_down_search_skips_a_stack_guard_gap),
		T_(stack_guard_gap_follows_the_sysctl),
		T_(full_top_down_space_falls_back_to_bottom_up),
		T_(legacy_layout_places_bottom_up),
		T_(map_32bit_goes_in_the_second_gigabyte),
		T_(mmap_base_is_randomized_with_aslr),
		T_(other_layouts_place_below_their_own_mmap_base),
		T_(five_level_hint_above_47_bits_is_honoured),
		T_(stack_grows_down_to_a_fault_below_it),
		T_(stack_stops_at_rlimit_stack),
		T_(stack_keeps_the_guard_gap_from_the_area_below),
		T_(only_growsdown_areas_expand),
		T_(file_mapping_shows_device_inode_offset_and_path),
		T_(deleted_file_is_shown_as_deleted),
		T_(shared_writable_mapping_of_read_only_file_is_eacces),
		T_(mapping_a_write_only_file_is_eacces),
		T_(mapping_a_directory_is_enodev),
		T_(growsdown_file_mapping_is_einval),
		T_(shared_validate_refuses_unknown_flags),
		T_(offset_past_max_file_size_is_eoverflow),
		T_(exec_mapping_on_noexec_mount_is_eperm),
		T_(closing_the_descriptor_keeps_the_mapping),
		T_(open_of_missing_file_gives_host_errno),
		T_(descriptors_beyond_rlimit_nofile_are_emfile),
		T_(mmap_accounts_vm_size_data_exec),
		T_(commit_charge_follows_private_writable_mappings),
		T_(vm_peak_keeps_the_high_water_mark),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
