/*
 * test_vmscan.c - the page-out policy and reclaim's mechanism: kswapd and
 * direct reclaim under pressure, aging by accessed bits and the second
 * chance, swappiness, clean file pages dropped and re-read, dirty ones
 * written back, refaults, mlocked pages unevictable, and swap I/O errors
 * (EIO on write and read, a full area, short writes) losing nothing.
 */
#include "swap_test.h"
#include "pagemap.h"

/* file_with_pattern - a host file of @pages pages, word w of page p = pat(s, p, w). */
static void file_with_pattern(char *path, size_t len, unsigned long pages, uint64_t s)
{
	uint64_t *buf = calloc(pages, PG);
	int fd;

	snprintf(path, len, "/tmp/tuxmm-vmscan-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (unsigned long p = 0; p < pages; p++)
		for (unsigned int w = 0; w < 8; w++)
			buf[(p * PG + w * 512) / 8] = pat(s, p, w);
	assert_int_equal(pwrite(fd, buf, pages * PG, 0), (long)(pages * PG));
	close(fd);
	free(buf);
}

static unsigned long zone_free_above_high(struct machine *m)
{
	struct zone *zone;
	unsigned long ok = 0;

	for_each_zone(m, zone)
		if (managed_zone(zone) && zone->vm_stat[NR_FREE_PAGES] > (long)high_wmark_pages(zone))
			ok++;
	return ok;
}

static void pressure_swaps_out_and_every_byte_survives(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;

	(void)state;
	map_at(t, 0, n, RW);
	fill_pages(t, 0, n, 11);
	check_all(m);
	assert_true(vmev(m, "pswpout") > n / 3);
	assert_true(vmev(m, "pgscan_kswapd") + vmev(m, "pgscan_direct") > 0);
	assert_true(vmev(m, "pgsteal_kswapd") + vmev(m, "pgsteal_direct") >= vmev(m, "pswpout") / 2);
	assert_true(vmev(m, "pgsteal_anon") > 0);
	assert_true(vmev(m, "pageoutrun") > 0);
	assert_true(rss(t, MM_SWAPENTS) > 0);
	check_pages(t, 0, n, 11);
	assert_true(vmev(m, "pswpin") > 0);
	assert_true(vmev(m, "pgmajfault") > 0);
	check_all(m);
	/* Each page is in memory or on swap, never both lost: RSS + swap covers the area. */
	assert_true(rss(t, MM_ANONPAGES) + rss(t, MM_SWAPENTS) == (long)n);
	swap_destroy(f);
}

/* The same with 16 KiB pages (arm64's option): swap slots and I/O follow the page size. */
static void pressure_with_16k_pages(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;
	struct task_struct *t;
	char err[TUXMM_ERRMSG_MAX] = "", path[64];
	unsigned long pg = 16384, n = 24 * MiB / 16384;
	int fd;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 16 * MiB;
	cfg.page_shift = 14;
	m = test_boot_cfg(&cfg);
	snprintf(path, sizeof(path), "/tmp/tuxmm-swap16k-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	if (tuxmm_mkswap(path, 32 * MiB, 16384, 3, err) || tuxmm_swapon(m, path, -1, err))
		fail_msg("swap: %s", err);
	assert_int_equal(tuxmm_spawn(m, "t16k", &t), 0);
	assert_int_equal(tuxmm_mmap(t, BASE, n * pg, RW, PAF, -1, 0), (long)BASE);
	for (unsigned long p = 0; p < n; p++)
		wr(t, BASE + p * pg + 8, p * 3 + 1);
	assert_true(vmev(m, "pswpout") > 0);
	for (unsigned long p = 0; p < n; p++)
		assert_int_equal(rd(t, BASE + p * pg + 8), p * 3 + 1);
	check_all(m);
	assert_int_equal(tuxmm_swapoff(m, path), -ENOMEM);
	tuxmm_machine_destroy(m);
	unlink(path);
}

static void kswapd_reclaims_to_the_high_watermark(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long runs, n = 8 * MiB / PG;

	(void)state;
	map_at(t, 0, 3 * n, RW);
	fill_pages(t, 0, n, 12);
	runs = m->swap.nr_kswapd_runs;
	/* Keep allocating until kswapd has been woken and has run after a fault. */
	for (unsigned long p = n; p < 3 * n && m->swap.nr_kswapd_runs == runs; p++)
		wr(t, BASE + p * PG, p);
	assert_true(m->swap.nr_kswapd_runs > runs);
	drain_all_pages(m);
	assert_true(zone_free_above_high(m) > 0);
	/* Called explicitly with nothing to do, it stops at once. */
	assert_int_equal(tuxmm_kswapd(m), 0);
	check_all(m);
	check_pages(t, 0, n, 12);
	swap_destroy(f);
}

static void populate_under_pressure_reclaims_directly(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;

	(void)state;
	/* MAP_POPULATE faults the whole area in one call: no step for kswapd in between. */
	assert_int_equal(tuxmm_mmap(t, BASE, n * PG, RW, PAF | MAP_POPULATE, -1, 0), (long)BASE);
	assert_true(vmev(m, "pgscan_direct") > 0);
	assert_true(vmev(m, "pgsteal_direct") > 0);
	assert_true(vmev(m, "allocstall_dma32") + vmev(m, "allocstall_dma") +
		    vmev(m, "allocstall_normal") + vmev(m, "allocstall_movable") > 0);
	assert_int_equal(rss(t, MM_ANONPAGES) + rss(t, MM_SWAPENTS), (long)n);
	check_all(m);
	fill_pages(t, 0, n, 24);
	check_pages(t, 0, n, 24);
	check_all(m);
	swap_destroy(f);
}

static void page_referenced_tests_and_clears_the_accessed_bits(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	unsigned long vm_flags;
	struct page *page;

	(void)state;
	map_at(t, 0, 1, RW);
	wr(t, BASE, 1);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	page = page_at(t, BASE);
	rd(t, BASE);
	rd(c, BASE);
	/* Both PTEs young (fork made the child's old; the read set it). */
	assert_int_equal(page_referenced(m, page, &vm_flags), 2);
	assert_int_equal(page_referenced(m, page, &vm_flags), 0);
	/* The flush made the next access set the bit again. */
	rd(c, BASE);
	assert_int_equal(page_referenced(m, page, &vm_flags), 1);
	/* A locked area makes it unevictable (mlock's populate copied the page). */
	assert_int_equal(tuxmm_mlock(t, BASE, PG), 0);
	page = page_at(t, BASE);
	page_referenced(m, page, &vm_flags);
	assert_true(vm_flags & VM_LOCKED);
	tuxmm_task_exit(c);
	check_all(m);
	swap_destroy(f);
}

static void try_to_unmap_moves_the_dirty_bit_to_a_file_page(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 0);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	char path[64];
	struct page *page;
	uint64_t v;
	int fd;

	(void)state;
	file_with_pattern(path, sizeof(path), 4, 13);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 4 * PG, RW, MAP_SHARED | MAP_FIXED, path, 0),
			 (long)BASE);
	wr(t, BASE + 8, 0x1234);
	page = page_at(t, BASE);
	assert_true(pte_dirty(pte_at(t, BASE)));
	get_page(page);
	assert_true(try_to_unmap(m, page));
	assert_int_equal(pte_val(pte_at(t, BASE)), 0);
	assert_true(PageDirty(page));
	assert_int_equal(rss(t, MM_FILEPAGES), 0);
	put_page(m, page);
	/* Reclaim writes it back and drops it; the next access reads the file again. */
	assert_int_equal(reclaim_page(m, page), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(pread(fd, &v, 8, 8), 8);
	close(fd);
	assert_int_equal(v, 0x1234);
	assert_int_equal(vmev(m, "nr_vmscan_write"), 1);
	assert_int_equal(rd(t, BASE + 8), 0x1234);
	check_all(m);
	unlink(path);
	swap_destroy(f);
}

static void clean_file_pages_are_dropped_and_read_again(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 0);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 256, cached, maj;
	char path[64];

	(void)state;
	file_with_pattern(path, sizeof(path), n, 14);
	assert_int_equal(tuxmm_mmap_path(t, BASE, n * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, path,
					 0), (long)BASE);
	check_pages(t, 0, n, 14);
	cached = meminfo_kb(m, "Cached:");
	assert_true(cached >= n * 4);
	/* Twice: the first pass ages what the reads made young, the second frees it. */
	tuxmm_reclaim(m, 2 * n);
	tuxmm_reclaim(m, 2 * n);
	assert_true(meminfo_kb(m, "Cached:") < cached - n * 2);
	assert_true(vmev(m, "pgsteal_file") >= n / 2);
	assert_int_equal(vmev(m, "pswpout"), 0);
	maj = vmev(m, "pgmajfault");
	check_pages(t, 0, n, 14);
	assert_true(vmev(m, "pgmajfault") > maj);
	assert_true(vmev(m, "workingset_refault_file") > 0);
	check_all(m);
	unlink(path);
	swap_destroy(f);
}

static void swappiness_balances_anon_against_file(void **state)
{
	unsigned long settings[2] = { 0, 200 };

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
		struct machine *m = f->m;
		struct task_struct *t = f->t;
		char path[64];

		file_with_pattern(path, sizeof(path), 256, 15);
		assert_int_equal(tuxmm_sysctl_set(m, "vm.swappiness", settings[i]), 0);
		assert_int_equal(tuxmm_sysctl_set(m, "vm.swappiness", 201), -EINVAL);
		assert_int_equal(tuxmm_mmap_path(t, BASE, 256 * PG, PROT_READ,
						 MAP_PRIVATE | MAP_FIXED, path, 0), (long)BASE);
		check_pages(t, 0, 256, 15);
		map_at(t, 1024, 256, RW);
		fill_pages(t, 1024, 256, 16);
		tuxmm_reclaim(m, 128);
		tuxmm_reclaim(m, 128);
		if (settings[i] == 0) {	/* file only */
			assert_int_equal(vmev(m, "pswpout"), 0);
			assert_true(vmev(m, "pgsteal_file") > 0);
		} else {		/* anon only */
			assert_true(vmev(m, "pswpout") > 0);
			assert_int_equal(vmev(m, "pgsteal_file"), 0);
		}
		check_pages(t, 1024, 256, 16);
		check_all(m);
		unlink(path);
		swap_destroy(f);
	}
}

static void a_young_page_gets_a_second_chance(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	struct page *hot, *cold;

	(void)state;
	map_at(t, 0, 2, RW);
	fill_pages(t, 0, 2, 17);
	hot = page_at(t, BASE);
	cold = page_at(t, BASE + PG);
	/* Age both: clear the accessed bits, then touch only the hot page. */
	page_referenced(m, hot, NULL);
	page_referenced(m, cold, NULL);
	rd(t, BASE);
	tuxmm_reclaim(m, 1024);
	assert_true(is_swap_pte(pte_at(t, BASE + PG)));
	assert_true(pte_present(pte_at(t, BASE)));
	/* Anonymous and young: activated (then maybe aged again to balance the lists). */
	assert_true(vmev(m, "pgactivate") >= 1);
	check_pages(t, 0, 2, 17);
	check_all(m);
	swap_destroy(f);
}

static void mlocked_pages_stay_unevictable(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;

	(void)state;
	map_at(t, 0, 64, RW);
	fill_pages(t, 0, 64, 18);
	assert_int_equal(tuxmm_mlock(t, BASE, 32 * PG), 0);
	assert_int_equal(meminfo_kb(m, "Mlocked:"), 32 * 4);
	assert_int_equal(meminfo_kb(m, "Unevictable:"), 32 * 4);
	map_at(t, 64, n, RW);
	fill_pages(t, 64, n, 19);
	assert_int_equal(swap_ptes(t, 0, 32), 0);
	assert_true(swap_ptes(t, 32, 32 + n) > 0);
	assert_int_equal(tuxmm_munlock(t, BASE, 32 * PG), 0);
	assert_int_equal(meminfo_kb(m, "Mlocked:"), 0);
	assert_int_equal(meminfo_kb(m, "Unevictable:"), 0);
	assert_true(vmev(m, "unevictable_pgs_mlocked") >= 32);
	check_pages(t, 0, 64, 18);
	check_pages(t, 64, n, 19);
	check_all(m);
	swap_destroy(f);
}

static void unmapping_the_locked_area_munlocks_shared_pages(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	char path[64];

	(void)state;
	map_at(t, 0, 8, RW);
	fill_pages(t, 0, 8, 26);
	assert_int_equal(tuxmm_mlock(t, BASE, 8 * PG), 0);
	/* A locked file mapping: its page cache pages are Mlocked too. */
	file_with_pattern(path, sizeof(path), 4, 27);
	assert_int_equal(tuxmm_mmap_path(t, BASE + 64 * PG, 4 * PG, PROT_READ,
					 MAP_PRIVATE | MAP_FIXED | MAP_LOCKED, path, 0),
			 (long)(BASE + 64 * PG));
	assert_int_equal(meminfo_kb(m, "Mlocked:"), 12 * 4);
	/* The child shares the pages, unlocked (locks are not inherited). */
	assert_int_equal(tuxmm_fork(t, &c), 0);
	assert_int_equal(tuxmm_munmap(t, BASE, 8 * PG), 0);
	assert_int_equal(tuxmm_munmap(t, BASE + 64 * PG, 4 * PG), 0);
	assert_int_equal(meminfo_kb(m, "Mlocked:"), 0);
	assert_int_equal(meminfo_kb(m, "Unevictable:"), 0);
	assert_true(vmev(m, "unevictable_pgs_munlocked") >= 12);
	/* Evictable again: the child's pages can be paged out. */
	assert_int_equal(tuxmm_madvise(c, BASE, 8 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(swap_ptes(c, 0, 8), 8);
	check_pages(c, 0, 8, 26);
	check_all(m);
	unlink(path);
	swap_destroy(f);
}

static void write_errors_keep_the_page(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;

	(void)state;
	map_at(t, 0, 4, RW);
	fill_pages(t, 0, 4, 20);
	/* EIO on the first write, a short write on the second. */
	m->fail_file_write.fail_nth = 1;
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_PAGEOUT), 0);
	m->fail_file_short_write.fail_nth = 1;
	assert_int_equal(tuxmm_madvise(t, BASE + PG, PG, MADV_PAGEOUT), 0);
	assert_int_equal(m->swap.swap_io_errors, 2);
	assert_int_equal(vmev(m, "pswpout"), 0);
	/* The pages stayed in memory, dirty, in the swap cache: nothing lost. */
	assert_true(PageDirty(lookup_swap_cache(m, pte_to_swp_entry(pte_at(t, BASE)))));
	check_all(m);
	check_pages(t, 0, 4, 20);
	/* Once the disk works again they go out and come back intact. */
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(vmev(m, "pswpout"), 4);
	assert_int_equal(swap_ptes(t, 0, 4), 4);
	check_pages(t, 0, 4, 20);
	check_all(m);
	swap_destroy(f);
}

static void pressure_with_failing_writes_loses_nothing(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;

	(void)state;
	map_at(t, 0, n, RW);
	/* Every few pages, the next swap write fails: EIO, then a short one. */
	for (unsigned long p = 0; p < n; p += 32) {
		if (p % 64)
			m->fail_file_write.fail_nth = 3;
		else
			m->fail_file_short_write.fail_nth = 2;
		fill_pages(t, p, 32, 25);
	}
	m->fail_file_write.fail_nth = 0;
	m->fail_file_short_write.fail_nth = 0;
	assert_true(m->swap.swap_io_errors > 40);
	assert_true(vmev(m, "pswpout") > n / 3);
	check_all(m);
	check_pages(t, 0, n, 25);
	check_all(m);
	swap_destroy(f);
}

static void a_read_error_is_sigbus_for_that_task_only(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	struct tuxmm_siginfo si;
	uint64_t v;

	(void)state;
	assert_int_equal(tuxmm_sysctl_set(m, "vm.page-cluster", 0), 0);
	map_at(t, 0, 2, RW);
	fill_pages(t, 0, 2, 21);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	m->fail_file_read.fail_nth = 1;
	assert_int_equal(tuxmm_read(c, BASE, 8, &v, &si), TUXMM_SIGBUS);
	assert_int_equal(si.code, TUXMM_BUS_ADRERR);
	assert_true(is_swap_pte(pte_at(c, BASE)));
	check_all(m);
	/* The parent, sharing the slot, reads it fine; so does the child, retrying. */
	check_pages(t, 0, 2, 21);
	check_pages(c, 0, 2, 21);
	tuxmm_task_exit(c);
	check_all(m);
	swap_destroy(f);
}

static void a_full_swap_area_is_passed_over(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 256 * 1024);	/* 63 slots */
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 128;
	char path[64];

	(void)state;
	map_at(t, 4096, n, RW);
	fill_pages(t, 4096, n, 22);
	assert_int_equal(tuxmm_madvise(t, BASE + 4096 * PG, n * PG, MADV_PAGEOUT), 0);
	assert_int_equal(swap_ptes(t, 4096, n), 63);
	assert_int_equal(nr_swap_pages(m), 0);
	check_all(m);
	/* Under pressure, only file pages can go: no anon page is scanned in vain. */
	file_with_pattern(path, sizeof(path), 4000, 23);
	assert_int_equal(tuxmm_mmap_path(t, BASE, 4000 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED,
					 path, 0), (long)BASE);
	{
		unsigned long anon_scanned = vmev(m, "pgscan_anon");

		check_pages(t, 0, 4000, 23);
		assert_int_equal(vmev(m, "pgscan_anon"), anon_scanned);
		assert_true(vmev(m, "pgsteal_file") > 0);
	}
	check_pages(t, 4096, n, 22);
	check_all(m);
	unlink(path);
	swap_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pressure_swaps_out_and_every_byte_survives),
		cmocka_unit_test(pressure_with_16k_pages),
		cmocka_unit_test(kswapd_reclaims_to_the_high_watermark),
		cmocka_unit_test(populate_under_pressure_reclaims_directly),
		cmocka_unit_test(page_referenced_tests_and_clears_the_accessed_bits),
		cmocka_unit_test(try_to_unmap_moves_the_dirty_bit_to_a_file_page),
		cmocka_unit_test(clean_file_pages_are_dropped_and_read_again),
		cmocka_unit_test(swappiness_balances_anon_against_file),
		cmocka_unit_test(a_young_page_gets_a_second_chance),
		cmocka_unit_test(mlocked_pages_stay_unevictable),
		cmocka_unit_test(unmapping_the_locked_area_munlocks_shared_pages),
		cmocka_unit_test(write_errors_keep_the_page),
		cmocka_unit_test(pressure_with_failing_writes_loses_nothing),
		cmocka_unit_test(a_read_error_is_sigbus_for_that_task_only),
		cmocka_unit_test(a_full_swap_area_is_passed_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
