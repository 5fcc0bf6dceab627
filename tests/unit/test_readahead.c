/*
 * test_readahead.c - readahead as Linux does it: the first window from the
 * request, growing 4x then 2x up to 128 KiB on sequential reads; mmap
 * read-around centred on a fault; none with MADV_RANDOM; a forward window
 * with MADV_SEQUENTIAL; async readahead keeping ahead of a sequential reader.
 */
#include "filemap_test.h"

static int open_pattern_file(struct task_struct *t, char *path, size_t len, unsigned long pages)
{
	int fd;

	make_pattern_file(path, len, pages * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_true(fd >= 0);
	return fd;
}

/* cached - which pages of [0, @n) are cached, as a string of '#' and '.'. */
static const char *cached(struct address_space *mapping, unsigned long n)
{
	static char buf[1024];

	for (unsigned long i = 0; i < n; i++)
		buf[i] = filemap_lookup(mapping, i) ? '#' : '.';
	buf[n] = '\0';
	return buf;
}

static void ra_default_window_is_128k(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 4);

	assert_int_equal(fget(t, fd)->f_ra.ra_pages, 32);
	assert_int_equal(fget(t, fd)->f_ra.prev_pos, -1);
	tuxmm_close(t, fd);
	unlink(path);
}

static void ra_first_window_is_four_times_a_small_request(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 256);
	struct file *file = fget(t, fd);
	struct readahead_control ractl = { file, file->f_mapping, &file->f_ra, 0, 0 };

	page_cache_sync_ra(&ractl, 1);
	assert_int_equal(file->f_ra.size, 4);
	assert_int_equal(file->f_ra.async_size, 3);
	assert_string_equal(cached(file->f_mapping, 8), "####....");
	/* The marker sits async_size pages before the window's end. */
	assert_true(PageReadahead(filemap_lookup(file->f_mapping, 1)));
	tuxmm_close(t, fd);
	unlink(path);
}

/*
 * read_pages - what a read() of one page at a time does: a miss calls the
 * sync readahead, a marked page the async one. Returns the window sizes seen.
 */
static void read_sequentially(struct file *file, unsigned long n, unsigned int *sizes,
			      unsigned int *nr_sizes)
{
	struct machine *m = file->machine;

	for (unsigned long i = 0; i < n; i++) {
		struct readahead_control ractl = { file, file->f_mapping, &file->f_ra, i, 0 };
		struct page *page = filemap_lookup(file->f_mapping, i);

		if (!page)
			page_cache_sync_ra(&ractl, 1);
		else if (PageReadahead(page))
			page_cache_async_ra(&ractl, page, 1);
		if (ractl.nr_added)
			sizes[(*nr_sizes)++] = file->f_ra.size;
		file->f_ra.prev_pos = (loff_t)(i << m->page_shift);
	}
}

static void ra_window_grows_on_sequential_reads_up_to_the_maximum(void **state)
{
	struct task_struct *t = T(state);
	unsigned int sizes[64], nr = 0;
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 256);

	read_sequentially(fget(t, fd), 200, sizes, &nr);
	assert_true(nr >= 6);
	assert_int_equal(sizes[0], 4);
	assert_int_equal(sizes[1], 8);
	assert_int_equal(sizes[2], 16);
	assert_int_equal(sizes[3], 32);
	assert_int_equal(sizes[4], 32);
	assert_int_equal(sizes[5], 32);
	tuxmm_close(t, fd);
	unlink(path);
}

static void ra_random_small_read_leaves_the_window_alone(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 256);
	struct file *file = fget(t, fd);
	struct readahead_control ractl = { file, file->f_mapping, &file->f_ra, 100, 0 };

	file->f_ra.prev_pos = 10 * (loff_t)PG;
	page_cache_sync_ra(&ractl, 1);
	assert_int_equal(ractl.nr_added, 1);
	assert_int_equal(file->f_ra.size, 0);
	tuxmm_close(t, fd);
	unlink(path);
}

static void ra_never_reads_past_the_end_of_the_file(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 10);
	struct file *file = fget(t, fd);
	struct readahead_control ractl = { file, file->f_mapping, &file->f_ra, 0, 0 };

	page_cache_sync_ra(&ractl, 32);
	assert_int_equal(file->f_mapping->nrpages, 10);
	tuxmm_close(t, fd);
	unlink(path);
}

/* ---- the mmap policy ---- */

static void mmap_fault_reads_a_window_centred_on_it(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64], want[257];
	int fd = open_pattern_file(t, path, sizeof(path), 256);

	map_file(t, 0, 256, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + 100 * PG), pattern(100 * PG));
	for (int i = 0; i < 256; i++)
		want[i] = i >= 84 && i < 116 ? '#' : '.';
	want[256] = '\0';
	assert_string_equal(cached(file_mapping(t, fd), 256), want);
	assert_true(PageReadahead(filemap_lookup(file_mapping(t, fd), 84 + 24)));
	assert_int_equal(vmstat(m, "pgmajfault"), 1);
	tuxmm_close(t, fd);
	unlink(path);
}

static void mmap_random_reads_only_the_faulting_page(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 256);

	map_file(t, 0, 256, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 256 * PG, MADV_RANDOM), 0);
	assert_int_equal(ubyte(t, BASE + 100 * PG), pattern(100 * PG));
	assert_int_equal(ubyte(t, BASE + 101 * PG), pattern(101 * PG));
	assert_int_equal(file_mapping(t, fd)->nrpages, 2);
	assert_int_equal(meminfo_kb(m, "Cached"), 8);
	assert_int_equal(vmstat(m, "pgmajfault"), 2);
	tuxmm_close(t, fd);
	unlink(path);
}

static void mmap_sequential_reads_a_full_window_forward(void **state)
{
	struct task_struct *t = T(state);
	char path[64], want[257];
	int fd = open_pattern_file(t, path, sizeof(path), 256);

	map_file(t, 0, 256, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 256 * PG, MADV_SEQUENTIAL), 0);
	assert_int_equal(ubyte(t, BASE + 100 * PG), pattern(100 * PG));
	/* 31 pages ahead of the fault instead of read-around's 15. */
	for (int i = 0; i < 256; i++)
		want[i] = i >= 100 && i < 132 ? '#' : '.';
	want[256] = '\0';
	assert_string_equal(cached(file_mapping(t, fd), 256), want);
	tuxmm_close(t, fd);
	unlink(path);
}

static void mmap_sequential_scan_stays_ahead_with_one_major_fault(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 256);

	map_file(t, 0, 256, PROT_READ, MAP_PRIVATE, fd, 0);
	for (unsigned long i = 0; i < 128; i++)
		assert_int_equal(ubyte(t, BASE + i * PG), pattern(i * PG));
	/* Each marker read the next 32 pages: 0..159 cached, one major fault in all. */
	assert_int_equal(vmstat(m, "pgmajfault"), 1);
	assert_int_equal(file_mapping(t, fd)->nrpages, 160);
	assert_int_equal(get_mm_rss(t->mm), 128);
	tuxmm_close(t, fd);
	unlink(path);
}

static void mmap_read_around_stops_after_many_misses(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd = open_pattern_file(t, path, sizeof(path), 8192);
	unsigned long before;

	map_file(t, 0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	/* Faults 64 pages apart: every one misses, nothing read around is ever used. */
	for (unsigned long i = 0; i < 100; i++)
		ubyte(t, BASE + i * 64 * PG);
	before = file_mapping(t, fd)->nrpages;
	assert_int_equal(before, 100 * 32);
	/* The 101st miss in a row is more than MMAP_LOTSAMISS: only its own page is read. */
	ubyte(t, BASE + 100 * 64 * PG);
	assert_int_equal(file_mapping(t, fd)->nrpages, before + 1);
	tuxmm_close(t, fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ra_default_window_is_128k, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(ra_first_window_is_four_times_a_small_request,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(ra_window_grows_on_sequential_reads_up_to_the_maximum,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(ra_random_small_read_leaves_the_window_alone,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(ra_never_reads_past_the_end_of_the_file, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(mmap_fault_reads_a_window_centred_on_it, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(mmap_random_reads_only_the_faulting_page, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(mmap_sequential_reads_a_full_window_forward,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(mmap_sequential_scan_stays_ahead_with_one_major_fault,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(mmap_read_around_stops_after_many_misses, mm_setup,
						mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
