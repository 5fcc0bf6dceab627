/*
 * test_filemap.c - the page cache: its radix-tree index, pages read from the
 * host file, file read faults (read once, then served from the cache),
 * fault-around, SIGBUS beyond the end, every page freed with the inode, and
 * /proc/meminfo's AnonPages, Shmem, Mapped, Cached and Dirty as the work goes.
 */
#include "filemap_test.h"

/* ---- the index ---- */

static struct kmem_cache *index_cache(struct machine *m)
{
	return kmem_cache_create(m, "test_xa_node", sizeof(struct xa_node), 0, 0, NULL);
}

static void xarray_random_ops_match_a_shadow_array(void **state)
{
	enum { N = 4096 };
	struct machine *m = M(state);
	struct kmem_cache *cache = index_cache(m);
	static unsigned long shadow[N];
	uint64_t rng = test_seed();
	struct xarray xa;

	memset(shadow, 0, sizeof(shadow));
	xa_init(&xa);
	for (int step = 0; step < 20000; step++) {
		/* Sparse indexes too: spread over a wide range to build tall trees. */
		unsigned long slot = test_rand(&rng) % N;
		unsigned long index = slot * 977 + (slot & 7) * (1UL << 30);

		if (test_rand(&rng) % 3) {
			assert_int_equal(xa_store(&xa, index, (void *)(index * 8 + 8), cache,
						  GFP_KERNEL), 0);
			shadow[slot] = index * 8 + 8;
		} else {
			assert_ptr_equal(xa_erase(&xa, index, cache), (void *)shadow[slot]);
			shadow[slot] = 0;
		}
		if (step % 1000 == 0)
			assert_true(xa_check(&xa));
	}
	for (unsigned long slot = 0; slot < N; slot++) {
		unsigned long index = slot * 977 + (slot & 7) * (1UL << 30);

		assert_ptr_equal(xa_load(&xa, index), (void *)shadow[slot]);
	}
	assert_true(xa_check(&xa));
	for (unsigned long slot = 0; slot < N; slot++)
		xa_erase(&xa, slot * 977 + (slot & 7) * (1UL << 30), cache);
	assert_true(xa_empty(&xa));
	assert_int_equal(xa.nr_nodes, 0);
}

static void xarray_find_walks_in_order_and_by_mark(void **state)
{
	struct machine *m = M(state);
	struct kmem_cache *cache = index_cache(m);
	static const unsigned long idx[] = { 0, 1, 63, 64, 4095, 4096, 1UL << 20, ~0UL - 1 };
	unsigned long index, n = 0;
	struct xarray xa;
	void *entry;

	xa_init(&xa);
	for (int i = 7; i >= 0; i--)
		assert_int_equal(xa_store(&xa, idx[i], (void *)(idx[i] | 1), cache, GFP_KERNEL), 0);
	xa_for_each_range(&xa, index, entry, 0, ~0UL, XA_PRESENT) {
		assert_int_equal(index, idx[n]);
		assert_ptr_equal(entry, (void *)(idx[n] | 1));
		n++;
	}
	assert_int_equal(n, 8);
	assert_false(xa_marked(&xa, XA_MARK_0));
	xa_set_mark(&xa, 4096, XA_MARK_0);
	xa_set_mark(&xa, ~0UL - 1, XA_MARK_0);
	assert_true(xa_check(&xa));
	index = 5;
	assert_non_null(xa_find(&xa, &index, ~0UL, XA_MARK_0));
	assert_int_equal(index, 4096);
	index = 4097;
	assert_non_null(xa_find(&xa, &index, ~0UL, XA_MARK_0));
	assert_int_equal(index, ~0UL - 1);
	xa_clear_mark(&xa, 4096, XA_MARK_0);
	xa_erase(&xa, ~0UL - 1, cache);
	assert_false(xa_marked(&xa, XA_MARK_0));
	assert_true(xa_check(&xa));
	for (int i = 0; i < 7; i++)
		xa_erase(&xa, idx[i], cache);
	assert_true(xa_empty(&xa));
}

/* ---- cache-level ---- */

static void cache_page_holds_the_file_bytes(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	struct page *page;
	bool major;
	int fd;

	make_pattern_file(path, sizeof(path), 8 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	assert_true(fd >= 0);
	page = filemap_grab_page(file_mapping(t, fd), 3, &major);
	assert_false(IS_ERR(page));
	assert_true(major);
	for (unsigned long i = 0; i < PG; i++)
		assert_int_equal(((uint8_t *)page_address(m, page))[i], pattern(3 * PG + i));
	assert_int_equal(meminfo_kb(m, "Cached"), 4);
	assert_int_equal(vmstat(m, "pgpgin"), 4);
	put_page(m, page);
	assert_true(filemap_check(file_mapping(t, fd)));
	tuxmm_close(t, fd);
	unlink(path);
}

static void cache_second_lookup_is_the_same_page(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	struct page *a, *b;
	char path[64];
	bool major;
	int fd;

	make_pattern_file(path, sizeof(path), 4 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	a = filemap_grab_page(file_mapping(t, fd), 1, &major);
	b = filemap_grab_page(file_mapping(t, fd), 1, &major);
	assert_ptr_equal(a, b);
	assert_false(major);
	assert_int_equal(page_ref_count(a), 3);	/* the cache's and ours */
	assert_int_equal(vmstat(m, "pgpgin"), 4);
	put_page(m, a);
	put_page(m, b);
	tuxmm_close(t, fd);
	unlink(path);
}

static void cache_tail_of_the_last_page_reads_zero(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	struct page *page;
	uint8_t *p;
	bool major;
	int fd;

	make_pattern_file(path, sizeof(path), PG + 100);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	page = filemap_grab_page(file_mapping(t, fd), 1, &major);
	p = page_address(m, page);
	assert_int_equal(p[99], pattern(PG + 99));
	for (unsigned long i = 100; i < PG; i++)
		assert_int_equal(p[i], 0);
	put_page(m, page);
	tuxmm_close(t, fd);
	unlink(path);
}

static void cache_pages_are_freed_when_the_inode_dies(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	unsigned long before;
	char path[64];
	int fd;

	make_pattern_file(path, sizeof(path), 300 * PG);
	/* Warm the slab caches (filp, inode, radix_tree_node) so only pages count. */
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	tuxmm_close(t, fd);
	before = nr_free_settled(m);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	for (pgoff_t i = 0; i < 300; i += 3) {
		bool major;
		struct page *page = filemap_grab_page(file_mapping(t, fd), i, &major);

		put_page(m, page);
	}
	assert_int_equal(file_mapping(t, fd)->nrpages, 100);
	assert_true(filemap_check(file_mapping(t, fd)));
	assert_true(nr_free_settled(m) < before - 100);
	tuxmm_close(t, fd);
	assert_int_equal(meminfo_kb(m, "Cached"), 0);
	assert_int_equal(nr_free_settled(m), before);
	assert_true(buddy_check(m));
	unlink(path);
}

/* ---- read faults ---- */

static void fault_read_sees_the_file_bytes(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	make_pattern_file(path, sizeof(path), 64 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 64 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED,
					 path, 0), (long)BASE);
	for (unsigned long off = 0; off < 64 * PG; off += 4093)
		assert_int_equal(ubyte(t, BASE + off), pattern(off));
	unlink(path);
}

static void fault_reads_a_page_once_then_serves_it_from_the_cache(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_pattern_file(path, sizeof(path), 4 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	map_file(t, 0, 4, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE), pattern(0));
	assert_int_equal(vmstat(m, "pgmajfault"), 1);
	assert_int_equal(t->maj_flt, 1);
	/* A new mapping of the same file: its pages come from the cache. */
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	map_file(t, 8, 4, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + 8 * PG + 3 * PG), pattern(3 * PG));
	assert_int_equal(vmstat(m, "pgmajfault"), 1);
	assert_int_equal(vmstat(m, "pgpgin"), 4 * 4);
	tuxmm_close(t, fd);
	unlink(path);
}

static void fault_around_maps_sixteen_cached_pages(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_pattern_file(path, sizeof(path), 64 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	/*
	 * As Linux: fault-around runs before ->fault, so the first fault on a cold
	 * file maps only its page, though it reads 32 pages around it.
	 */
	map_file(t, 0, 64, PROT_READ, MAP_PRIVATE, fd, 0);
	assert_int_equal(ubyte(t, BASE + 5 * PG), pattern(5 * PG));
	assert_int_equal(get_mm_rss(t->mm), 1);
	assert_int_equal(meminfo_kb(m, "Cached"), 32 * 4);
	/* A fault on a cached page maps its whole 64 KiB window: pages 0..15. */
	assert_int_equal(ubyte(t, BASE + 6 * PG), pattern(6 * PG));
	assert_int_equal(get_mm_rss(t->mm), 16);
	assert_int_equal(get_mm_counter(t->mm, MM_FILEPAGES), 16);
	assert_int_equal(meminfo_kb(m, "Mapped"), 16 * 4);
	/* The next window, 16..31, but for page 24: its readahead marker must fault. */
	assert_int_equal(ubyte(t, BASE + 17 * PG), pattern(17 * PG));
	assert_int_equal(get_mm_rss(t->mm), 31);
	assert_int_equal(t->maj_flt, 1);
	tuxmm_close(t, fd);
	unlink(path);
}

static void fault_around_window_is_aligned_and_clipped_to_the_area(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	int fd;

	make_pattern_file(path, sizeof(path), 64 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDONLY, 0);
	/* Cache the whole file first through another mapping. */
	map_file(t, 100, 64, PROT_READ, MAP_PRIVATE, fd, 0);
	for (int i = 0; i < 64; i += 8)
		ubyte(t, BASE + (100 + i) * PG);
	assert_int_equal(tuxmm_munmap(t, BASE + 100 * PG, 64 * PG), 0);
	/* An area of 6 pages at page 3 of its table: the window is the area, no more. */
	map_file(t, 3, 6, PROT_READ, MAP_PRIVATE, fd, 10);
	assert_int_equal(ubyte(t, BASE + 7 * PG), pattern(14 * PG));
	assert_int_equal(get_mm_rss(t->mm), 6);
	tuxmm_close(t, fd);
	unlink(path);
}

static void fault_beyond_the_end_of_the_file_is_sigbus(void **state)
{
	struct task_struct *t = T(state);
	char path[64];

	make_pattern_file(path, sizeof(path), PG + 10);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED,
					 path, 0), (long)BASE);
	assert_int_equal(ubyte(t, BASE + PG + 9), pattern(PG + 9));
	assert_int_equal(ubyte(t, BASE + PG + 10), 0);	/* the last page's tail */
	{
		uint8_t b;

		assert_int_equal(uread(t, BASE + 2 * PG, &b, 1), VM_FAULT_SIGBUS);
	}
	unlink(path);
}

static void file_pages_all_freed_with_the_last_mapping(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	unsigned long before;
	char path[64];

	make_pattern_file(path, sizeof(path), 128 * PG);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 128 * PG, PROT_READ, MAP_SHARED | MAP_FIXED,
					 path, 0), (long)BASE);
	ubyte(t, BASE);
	assert_int_equal(tuxmm_munmap(t, BASE, 128 * PG), 0);
	before = nr_free_settled(m);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 128 * PG, PROT_READ, MAP_SHARED | MAP_FIXED,
					 path, 0), (long)BASE);
	for (unsigned long i = 0; i < 128; i++)
		ubyte(t, BASE + i * PG);
	assert_int_equal(meminfo_kb(m, "Cached"), 128 * 4);
	assert_int_equal(tuxmm_munmap(t, BASE, 128 * PG), 0);
	assert_int_equal(meminfo_kb(m, "Cached"), 0);
	assert_int_equal(meminfo_kb(m, "Mapped"), 0);
	assert_int_equal(nr_free_settled(m), before);
	assert_int_equal(inode_nr_live(m), 0);
	unlink(path);
}

/* MADV_WILLNEED reads the range into the cache without mapping it; mincore sees it. */
static void willneed_reads_ahead_and_mincore_sees_the_cache(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	unsigned char vec[32];
	char path[64];
	long addr;
	int fd;

	make_pattern_file(path, sizeof(path), 32 * PG);
	/* Opened for writing: otherwise mincore reports every page resident, as Linux does. */
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	addr = tuxmm_mmap(t, 0, 32 * PG, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE, fd, 0);
	assert_true(addr > 0);
	assert_int_equal(tuxmm_mincore(t, (unsigned long)addr, 32 * PG, vec), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(vec[i], 0);
	assert_int_equal(tuxmm_madvise(t, (unsigned long)addr + 8 * PG, 8 * PG,
				       TUXMM_MADV_WILLNEED), 0);
	assert_int_equal(meminfo_kb(m, "Cached"), 8 * 4);
	assert_int_equal(tuxmm_mincore(t, (unsigned long)addr, 32 * PG, vec), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(vec[i], i >= 8 && i < 16);	/* cached, though nothing is mapped */
	tuxmm_munmap(t, (unsigned long)addr, 32 * PG);
	tuxmm_close(t, fd);
	unlink(path);
}

/*
 * /proc/meminfo's page counts follow the work as Linux's do: AnonPages the mapped anonymous
 * pages (private file copies included), Shmem the shared anonymous pages (in Cached and
 * Mapped too), Mapped every mapped page-cache page, Dirty the page-cache pages written
 * through a shared mapping until msync() writes them; and /proc/vmstat has no thp_ lines.
 */
static void meminfo_counts_anon_shmem_mapped_and_dirty_pages(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	char path[64], *vmstat_text;
	int fd;

	map_at(t, 0, 8, RW);
	assert_int_equal(tuxmm_touch(t, BASE, 4 * PG, true, NULL), 0);
	assert_int_equal(meminfo_kb(m, "AnonPages"), 4 * 4);
	assert_int_equal(meminfo_kb(m, "Mapped"), 0);
	assert_int_equal(meminfo_kb(m, "Cached"), 0);

	assert_int_equal(tuxmm_mmap(t, BASE + 16 * PG, 8 * PG, RW,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			 (long)(BASE + 16 * PG));
	assert_int_equal(tuxmm_touch(t, BASE + 16 * PG, 2 * PG, true, NULL), 0);
	assert_int_equal(meminfo_kb(m, "Shmem"), 2 * 4);
	assert_int_equal(meminfo_kb(m, "Cached"), 2 * 4);
	assert_int_equal(meminfo_kb(m, "Mapped"), 2 * 4);
	assert_int_equal(meminfo_kb(m, "AnonPages"), 4 * 4);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);	/* shmem pages are not counted dirty */

	make_pattern_file(path, sizeof(path), 16 * PG);
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	assert_true(fd >= 0);
	map_file(t, 32, 16, RW, MAP_SHARED, fd, 0);
	/* Write faults map only their page; the first one reads the whole 16-page file. */
	assert_int_equal(tuxmm_touch(t, BASE + 32 * PG, 3 * PG, true, NULL), 0);
	assert_int_equal(meminfo_kb(m, "Cached"), (2 + 16) * 4);
	assert_int_equal(meminfo_kb(m, "Mapped"), (2 + 3) * 4);
	assert_int_equal(meminfo_kb(m, "Dirty"), 3 * 4);
	assert_int_equal(tuxmm_msync(t, BASE + 32 * PG, 16 * PG, MS_SYNC), 0);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	assert_int_equal(meminfo_kb(m, "Mapped"), (2 + 3) * 4);

	/* A private mapping's write copies the page: one more anonymous page, no more mapped. */
	map_file(t, 64, 16, RW, MAP_PRIVATE, fd, 0);
	assert_int_equal(tuxmm_touch(t, BASE + 70 * PG, PG, true, NULL), 0);
	assert_int_equal(meminfo_kb(m, "AnonPages"), 5 * 4);
	assert_int_equal(meminfo_kb(m, "Mapped"), (2 + 3) * 4);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);

	vmstat_text = test_proc(m, "/proc/vmstat");
	assert_null(strstr(vmstat_text, "thp_"));
	free(vmstat_text);

	assert_int_equal(tuxmm_munmap(t, BASE, 80 * PG), 0);
	assert_int_equal(meminfo_kb(m, "AnonPages"), 0);
	assert_int_equal(meminfo_kb(m, "Mapped"), 0);
	assert_int_equal(meminfo_kb(m, "Shmem"), 0);
	tuxmm_close(t, fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(xarray_random_ops_match_a_shadow_array, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(xarray_find_walks_in_order_and_by_mark, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(willneed_reads_ahead_and_mincore_sees_the_cache,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(cache_page_holds_the_file_bytes, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(cache_second_lookup_is_the_same_page, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(cache_tail_of_the_last_page_reads_zero, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(cache_pages_are_freed_when_the_inode_dies, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(fault_read_sees_the_file_bytes, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(fault_reads_a_page_once_then_serves_it_from_the_cache,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(fault_around_maps_sixteen_cached_pages, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(fault_around_window_is_aligned_and_clipped_to_the_area,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(fault_beyond_the_end_of_the_file_is_sigbus, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(file_pages_all_freed_with_the_last_mapping,
						mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(meminfo_counts_anon_shmem_mapped_and_dirty_pages,
						mm_setup, mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
