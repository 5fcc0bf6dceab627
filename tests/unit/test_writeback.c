/*
 * test_writeback.c - dirty tracking and writeback to the host file: shared
 * writes reach the file on msync, on the last shared munmap and on
 * tuxmm_sync; private writes never do; writes after a writeback fault and
 * dirty the page again; I/O errors: SIGBUS on read, -EIO from msync with the
 * page still dirty and its data intact.
 */
#include "filemap_test.h"

#define SH (MAP_SHARED)

static int open_rw(struct task_struct *t, char *path, size_t len, unsigned long pages)
{
	int fd;

	make_pattern_file(path, len, pages * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	assert_true(fd >= 0);
	return fd;
}

static void shared_write_dirties_the_page(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 4);

	map_file(t, 0, 4, RW, SH, fd, 0);
	assert_int_equal(ubyte(t, BASE), pattern(0));
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	assert_int_equal(vmstat(m, "pgreuse"), 0);
	uput(t, BASE + 5, 0xee);
	uput(t, BASE + 9, 0xef);
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	assert_int_equal(vmstat(m, "nr_dirtied"), 1);
	/* The write-notify fault kept the page: Linux counts it as a reuse (measured). */
	assert_int_equal(vmstat(m, "pgreuse"), 1);
	/* Nothing reaches the file before a writeback. */
	assert_int_equal(host_byte(path, 5), pattern(5));
	assert_true(filemap_check(file_mapping(t, fd)));
	tuxmm_close(t, fd);
	unlink(path);
}

static void msync_sync_writes_shared_writes_to_the_file(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 8);

	map_file(t, 0, 8, RW, SH, fd, 0);
	uput(t, BASE + 5, 0xee);
	uput(t, BASE + 6 * PG + 1, 0xed);
	assert_int_equal(meminfo_kb(m, "Dirty"), 8);
	assert_int_equal(tuxmm_msync(t, BASE, 8 * PG, MS_SYNC), 0);
	assert_int_equal(host_byte(path, 5), 0xee);
	assert_int_equal(host_byte(path, 6 * PG + 1), 0xed);
	assert_int_equal(host_byte(path, 6), pattern(6));
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	assert_int_equal(meminfo_kb(m, "Writeback"), 0);
	assert_int_equal(vmstat(m, "nr_written"), 2);
	assert_int_equal(vmstat(m, "pgpgout"), 8);
	tuxmm_close(t, fd);
	unlink(path);
}

static void msync_of_part_of_the_range_writes_only_that_part(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 8);

	map_file(t, 0, 8, RW, SH, fd, 0);
	uput(t, BASE, 0xe1);
	uput(t, BASE + 7 * PG, 0xe2);
	assert_int_equal(tuxmm_msync(t, BASE + 4 * PG, 4 * PG, MS_SYNC), 0);
	assert_int_equal(host_byte(path, 7 * PG), 0xe2);
	assert_int_equal(host_byte(path, 0), pattern(0));
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	tuxmm_close(t, fd);
	unlink(path);
}

static void write_after_writeback_faults_and_dirties_again(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 2);
	unsigned long faults;

	map_file(t, 0, 2, RW, SH, fd, 0);
	uput(t, BASE + 100, 1);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), 0);
	faults = t->min_flt;
	uput(t, BASE + 101, 2);			/* write-protected by the writeback */
	assert_int_equal(t->min_flt, faults + 1);
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), 0);
	assert_int_equal(host_byte(path, 100), 1);
	assert_int_equal(host_byte(path, 101), 2);
	tuxmm_close(t, fd);
	unlink(path);
}

static void msync_async_starts_the_writes_too(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 2);

	map_file(t, 0, 2, RW, SH, fd, 0);
	uput(t, BASE + PG, 0x99);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_ASYNC), 0);
	assert_int_equal(host_byte(path, PG), 0x99);
	tuxmm_close(t, fd);
	unlink(path);
}

static void munmap_of_the_last_shared_mapping_writes_back(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 4);

	map_file(t, 0, 4, RW, SH, fd, 0);
	map_file(t, 10, 4, RW, SH, fd, 0);
	uput(t, BASE + 3, 0x77);
	/* Another shared mapping remains: the page stays dirty in the cache. */
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	assert_int_equal(host_byte(path, 3), pattern(3));
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	/* The last one goes (the descriptor stays open): now it is written. */
	assert_int_equal(tuxmm_munmap(t, BASE + 10 * PG, 4 * PG), 0);
	assert_int_equal(host_byte(path, 3), 0x77);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	tuxmm_close(t, fd);
	unlink(path);
}

static void machine_sync_writes_every_file(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char a[64], b[64];
	int fa = open_rw(t, a, sizeof(a), 2), fb = open_rw(t, b, sizeof(b), 2);

	map_file(t, 0, 2, RW, SH, fa, 0);
	map_file(t, 10, 2, RW, SH, fb, 0);
	uput(t, BASE + 1, 0x41);
	uput(t, BASE + 10 * PG + PG + 1, 0x42);
	assert_int_equal(tuxmm_sync(m), 0);
	assert_int_equal(host_byte(a, 1), 0x41);
	assert_int_equal(host_byte(b, PG + 1), 0x42);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	tuxmm_close(t, fa);
	tuxmm_close(t, fb);
	unlink(a);
	unlink(b);
}

static void private_writes_never_reach_the_file(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 2);

	map_file(t, 0, 2, RW, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + 8), pattern(8));
	uput(t, BASE + 8, 0x55);
	assert_int_equal(ubyte(t, BASE + 8), 0x55);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), 0);
	assert_int_equal(tuxmm_sync(m), 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 2 * PG), 0);
	assert_int_equal(tuxmm_sync(m), 0);
	assert_int_equal(host_byte(path, 8), pattern(8));
	tuxmm_close(t, fd);
	unlink(path);
}

static void closing_the_file_after_munmap_keeps_the_data(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	make_pattern_file(path, sizeof(path), 4 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 4 * PG, RW, SH | MAP_FIXED, path, 0),
			 (long)BASE);
	uput(t, BASE + 2 * PG, 0x13);
	tuxmm_task_exit(t);
	((struct mm_fixture *)*state)->t = NULL;
	assert_int_equal(host_byte(path, 2 * PG), 0x13);
	assert_int_equal(inode_nr_live(M(state)), 0);
	unlink(path);
}

/* ---- I/O errors ---- */

static void read_error_is_sigbus(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 64);
	uint8_t b;

	map_file(t, 0, 64, PROT_READ, MAP_PRIVATE, fd, 0);
	/* Readahead fails, then the retry of the page itself fails: SIGBUS, as Linux. */
	m->fail_file_read = (struct fault_attr){ .fail_nth = 1, .times = 1 };
	assert_int_equal(uread(t, BASE + 10 * PG, &b, 1), VM_FAULT_SIGBUS);
	assert_int_equal(get_mm_rss(t->mm), 0);
	/* The error was transient: the next access reads the page. */
	assert_int_equal(ubyte(t, BASE + 10 * PG), pattern(10 * PG));
	assert_true(filemap_check(file_mapping(t, fd)));
	tuxmm_close(t, fd);
	unlink(path);
}

static void read_error_with_random_access_is_sigbus(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 4);
	uint8_t b;

	map_file(t, 0, 4, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_RANDOM), 0);
	m->fail_file_read.fail_nth = 1;
	assert_int_equal(uread(t, BASE, &b, 1), VM_FAULT_SIGBUS);
	assert_int_equal(file_mapping(t, fd)->nrpages, 0);
	assert_int_equal(ubyte(t, BASE), pattern(0));
	tuxmm_close(t, fd);
	unlink(path);
}

static void write_error_keeps_the_page_dirty_and_msync_reports_eio(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 2);

	map_file(t, 0, 2, RW, SH, fd, 0);
	uput(t, BASE + 17, 0xab);
	m->fail_file_write.fail_nth = 1;
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), -EIO);
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	assert_int_equal(ubyte(t, BASE + 17), 0xab);
	assert_int_equal(host_byte(path, 17), pattern(17));
	assert_true(filemap_check(file_mapping(t, fd)));
	/* Nothing was lost: the next msync writes it. */
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), 0);
	assert_int_equal(host_byte(path, 17), 0xab);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	tuxmm_close(t, fd);
	unlink(path);
}

static void async_write_error_is_reported_by_the_next_msync(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_rw(t, path, sizeof(path), 2);

	map_file(t, 0, 2, RW, SH, fd, 0);
	uput(t, BASE + 17, 0xab);
	m->fail_file_write.fail_nth = 1;
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_ASYNC), 0);
	assert_int_equal(meminfo_kb(m, "Dirty"), 4);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), -EIO);
	assert_int_equal(host_byte(path, 17), 0xab);
	assert_int_equal(tuxmm_msync(t, BASE, 2 * PG, MS_SYNC), 0);
	tuxmm_close(t, fd);
	unlink(path);
}

static int wb_teardown(void **state)
{
	struct mm_fixture *f = *state;

	if (!f->t) {
		tuxmm_machine_destroy(f->m);
		free(f);
		return 0;
	}
	return mm_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(shared_write_dirties_the_page, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(msync_sync_writes_shared_writes_to_the_file,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(msync_of_part_of_the_range_writes_only_that_part,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(write_after_writeback_faults_and_dirties_again,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(msync_async_starts_the_writes_too, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(munmap_of_the_last_shared_mapping_writes_back,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(machine_sync_writes_every_file, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(private_writes_never_reach_the_file, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(closing_the_file_after_munmap_keeps_the_data,
						mm_setup, wb_teardown),
		cmocka_unit_test_setup_teardown(read_error_is_sigbus, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(read_error_with_random_access_is_sigbus, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(
			write_error_keeps_the_page_dirty_and_msync_reports_eio, mm_setup,
			mm_teardown),
		cmocka_unit_test_setup_teardown(async_write_error_is_reported_by_the_next_msync,
						mm_setup, mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
