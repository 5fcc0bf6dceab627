/*
 * test_lru.c - the LRU lists: new anonymous pages inactive (unevictable when
 * mlocked), page-cache pages inactive until a second reference activates
 * them, shmem on the anon lists, every page off its list when freed.
 */
#include "filemap_test.h"

#define SA (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

/* The five LRU counters of /proc/meminfo, in pages, after lru_check() agreed with them. */
struct lru_counts {
	long inactive_anon, active_anon, inactive_file, active_file, unevictable;
};

static struct lru_counts lru_counts(struct machine *m)
{
	struct lru_counts c;

	assert_true(lru_check(m));
	c.inactive_anon = meminfo_kb(m, "Inactive(anon)") * 1024 / (long)PG;
	c.active_anon = meminfo_kb(m, "Active(anon)") * 1024 / (long)PG;
	c.inactive_file = meminfo_kb(m, "Inactive(file)") * 1024 / (long)PG;
	c.active_file = meminfo_kb(m, "Active(file)") * 1024 / (long)PG;
	c.unevictable = meminfo_kb(m, "Unevictable") * 1024 / (long)PG;
	assert_int_equal(meminfo_kb(m, "Active"),
			 (c.active_anon + c.active_file) * (long)PG / 1024);
	assert_int_equal(meminfo_kb(m, "Inactive"),
			 (c.inactive_anon + c.inactive_file) * (long)PG / 1024);
	return c;
}

static void assert_counts(struct machine *m, const struct lru_counts *base, long inactive_anon,
			  long active_anon, long inactive_file, long active_file, long unevictable)
{
	struct lru_counts c = lru_counts(m);

	assert_int_equal(c.inactive_anon - base->inactive_anon, inactive_anon);
	assert_int_equal(c.active_anon - base->active_anon, active_anon);
	assert_int_equal(c.inactive_file - base->inactive_file, inactive_file);
	assert_int_equal(c.active_file - base->active_file, active_file);
	assert_int_equal(c.unevictable - base->unevictable, unevictable);
}

static void anon_fault_is_inactive_anon_until_munmap(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct lru_counts base = lru_counts(m);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, PAF, -1, 0), (long)BASE);
	assert_int_equal(ubyte(t, BASE), 0);		/* the zero page: on no list */
	assert_counts(m, &base, 0, 0, 0, 0, 0);
	uput(t, BASE, 1);
	assert_counts(m, &base, 1, 0, 0, 0, 0);
	uput(t, BASE + 2 * PG, 2);
	assert_counts(m, &base, 2, 0, 0, 0, 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	assert_counts(m, &base, 0, 0, 0, 0, 0);
}

static void file_fault_is_inactive_file_and_a_second_reference_activates(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct lru_counts base = lru_counts(m);
	long cached, activated = vmstat(m, "pgactivate");
	char path[64];
	int fd;

	/* No fault-around: every fault on the page goes through filemap_fault(). */
	m->tasks.fault_around_bytes = PG;
	make_pattern_file(path, sizeof(path), 8 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_true(fd >= 0);
	map_file(t, 0, 8, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + PG), pattern(PG));
	cached = meminfo_kb(m, "Cached") * 1024 / (long)PG;
	assert_true(cached >= 1);
	assert_counts(m, &base, 0, 0, cached, 0, 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 8 * PG), 0);
	map_file(t, 0, 8, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + PG), pattern(PG));
	assert_counts(m, &base, 0, 0, cached - 1, 1, 0);
	assert_int_equal(vmstat(m, "pgactivate"), activated + 1);

	/* A private write copies the page into an anonymous one: inactive anon. */
	map_file(t, 8, 8, RW, MAP_PRIVATE, fd, 0);
	uput(t, BASE + 10 * PG, 9);
	assert_counts(m, &base, 1, 0, cached - 1, 1, 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 16 * PG), 0);
	assert_int_equal(tuxmm_close(t, fd), 0);
	unlink(path);
	/* The last reference to the file went: its cache pages left their lists. */
	assert_counts(m, &base, 0, 0, 0, 0, 0);
}

static void read_path_marks_accessed(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct lru_counts base = lru_counts(m);
	struct page *page;
	char path[64];
	bool major;
	int fd;

	make_pattern_file(path, sizeof(path), 8 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_true(fd >= 0);
	page = filemap_grab_page(file_mapping(t, fd), 3, &major);
	assert_false(IS_ERR(page));
	assert_true(PageFlag(page, PG_referenced));
	assert_counts(m, &base, 0, 0, 1, 0, 0);
	put_page(m, page);
	page = filemap_grab_page(file_mapping(t, fd), 3, &major);
	assert_false(IS_ERR(page));
	assert_true(PageFlag(page, PG_active));
	assert_false(PageFlag(page, PG_referenced));
	assert_counts(m, &base, 0, 0, 0, 1, 0);
	put_page(m, page);
	assert_int_equal(tuxmm_close(t, fd), 0);
	unlink(path);
	assert_counts(m, &base, 0, 0, 0, 0, 0);
}

static void shmem_pages_are_on_the_anon_lists(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct lru_counts base = lru_counts(m);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	uput(t, BASE, 1);
	assert_int_equal(ubyte(t, BASE + PG), 0);
	assert_counts(m, &base, 2, 0, 0, 0, 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	assert_counts(m, &base, 0, 0, 0, 0, 0);
}

static void fork_and_cow_count_each_copy_once(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state), *child;
	struct lru_counts base = lru_counts(m);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, PAF, -1, 0), (long)BASE);
	for (int i = 0; i < 4; i++)
		uput(t, BASE + i * PG, (uint8_t)i);
	assert_counts(m, &base, 4, 0, 0, 0, 0);
	assert_int_equal(tuxmm_fork(t, &child), 0);
	base = lru_counts(m);			/* fork copies the child's stack and heap too */
	uput(child, BASE, 7);
	uput(child, BASE + PG, 8);
	assert_counts(m, &base, 2, 0, 0, 0, 0);
	uput(t, BASE + 2 * PG, 9);		/* the parent copies too: the child shares it */
	assert_counts(m, &base, 3, 0, 0, 0, 0);
	uput(t, BASE, 10);			/* the parent's page is its own again: reused */
	assert_counts(m, &base, 3, 0, 0, 0, 0);
	tuxmm_task_exit(child);
	assert_true(lru_check(m));
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	assert_true(lru_check(m));
}

static void mlocked_area_is_unevictable(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct lru_counts base = lru_counts(m);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, PAF, -1, 0), (long)BASE);
	assert_int_equal(tuxmm_mlock(t, BASE, 4 * PG), 0);
	uput(t, BASE, 1);
	assert_counts(m, &base, 0, 0, 0, 0, 4);
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	assert_counts(m, &base, 0, 0, 0, 0, 0);
}

static void exit_returns_every_counter_to_its_boot_value(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t;
	struct lru_counts boot;
	char path[64];
	int fd;

	tuxmm_task_exit(T(state));
	((struct mm_fixture *)*state)->t = NULL;
	boot = lru_counts(m);
	/* Nothing the kernel itself allocates goes on an LRU list. */
	assert_int_equal(boot.inactive_anon + boot.active_anon + boot.inactive_file +
			 boot.active_file + boot.unevictable, 0);
	assert_int_equal(tuxmm_spawn(m, "lru", &t), 0);
	make_pattern_file(path, sizeof(path), 8 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	assert_true(fd >= 0);
	map_file(t, 0, 8, RW, MAP_SHARED, fd, 0);
	uput(t, BASE, 1);
	assert_int_equal(tuxmm_mmap(t, BASE + 8 * PG, 4 * PG, RW, SA, -1, 0),
			 (long)(BASE + 8 * PG));
	uput(t, BASE + 8 * PG, 2);
	assert_int_equal(tuxmm_mmap(t, BASE + 12 * PG, 4 * PG, RW, PAF, -1, 0),
			 (long)(BASE + 12 * PG));
	assert_int_equal(tuxmm_mlock(t, BASE + 12 * PG, 2 * PG), 0);
	uput(t, BASE + 15 * PG, 3);
	assert_true(lru_counts(m).unevictable > boot.unevictable);
	tuxmm_task_exit(t);
	unlink(path);
	assert_counts(m, &boot, 0, 0, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(anon_fault_is_inactive_anon_until_munmap, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(
			file_fault_is_inactive_file_and_a_second_reference_activates, mm_setup,
			mm_teardown),
		cmocka_unit_test_setup_teardown(read_path_marks_accessed, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_pages_are_on_the_anon_lists, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(fork_and_cow_count_each_copy_once, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(mlocked_area_is_unevictable, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(exit_returns_every_counter_to_its_boot_value,
						mm_setup, mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
