/*
 * test_swap.c - the paging mechanism: anonymous pages out to swap and back
 * (MADV_PAGEOUT, faults), the swap cache (a page shared after fork read
 * once), swap entries copied at fork and freed at unmap, readahead,
 * accounting (/proc/meminfo, vmstat, VmSwap, smaps Swap/SwapPss), swapoff.
 */
#include "swap_test.h"

static void pageout_then_fault_back_keeps_every_byte(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	char *status;

	(void)state;
	map_at(t, 0, 64, RW);
	fill_pages(t, 0, 64, 1);
	assert_int_equal(tuxmm_madvise(t, BASE, 64 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(swap_ptes(t, 0, 64), 64);
	assert_int_equal(rss(t, MM_ANONPAGES), 0);
	assert_int_equal(rss(t, MM_SWAPENTS), 64);
	assert_int_equal(vmev(m, "pswpout"), 64);
	assert_int_equal(meminfo_kb(m, "SwapFree:"), 16 * 1024 - 4 - 64 * 4);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	status = test_proc(m, "/proc/1/status");
	assert_non_null(strstr(status, "VmSwap:\t     256 kB"));
	free(status);
	check_all(m);
	/* Reading back: one major fault reads the page and its readahead window. */
	check_pages(t, 0, 64, 1);
	assert_int_equal(vmev(m, "pswpin"), 64);
	assert_true(vmev(m, "pgmajfault") >= 8 && vmev(m, "pgmajfault") <= 64);
	assert_true(vmev(m, "swap_ra") > 0);
	assert_int_equal(vmev(m, "swap_ra_hit"), vmev(m, "swap_ra"));
	assert_int_equal(rss(t, MM_SWAPENTS), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 64);
	/* Read faults keep the clean swap copy: SwapCached, slots still used. */
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 64 * 4);
	check_all(m);
	/*
	 * The entries were exclusive (no fork): each page came back writable, so
	 * writing takes no fault and keeps the (now stale) swap copy, as on Linux.
	 */
	{
		unsigned long min_flt = t->min_flt, reuse = vmev(m, "pgreuse");

		for (unsigned long i = 0; i < 64; i++)
			assert_true(pte_write(pte_at(t, BASE + i * PG)));
		fill_pages(t, 0, 64, 2);
		assert_int_equal(t->min_flt, min_flt);
		assert_int_equal(vmev(m, "pgreuse"), reuse);
	}
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 64 * 4);
	check_all(m);
	/* Unmapping the last user frees the slots and the cache. */
	assert_int_equal(tuxmm_munmap(t, BASE, 64 * PG), 0);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_int_equal(meminfo_kb(m, "SwapFree:"), 16 * 1024 - 4);
	check_all(m);
	swap_destroy(f);
}

/*
 * Linux on the same steps (measured): after fork the entries are shared, so
 * the page comes back read-only even once the child is gone; the write then
 * faults, drops the swap copy and reuses the page (pgreuse).
 */
static void a_page_swapped_before_fork_comes_back_read_only(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	unsigned long min_flt, reuse;

	(void)state;
	map_at(t, 0, 16, RW);
	fill_pages(t, 0, 16, 7);
	assert_int_equal(tuxmm_madvise(t, BASE, 16 * PG, MADV_PAGEOUT), 0);
	assert_true(pte_swp_exclusive(pte_at(t, BASE)));
	assert_int_equal(tuxmm_fork(t, &c), 0);
	assert_false(pte_swp_exclusive(pte_at(t, BASE)));
	assert_false(pte_swp_exclusive(pte_at(c, BASE)));
	tuxmm_task_exit(c);
	check_pages(t, 0, 16, 7);
	for (unsigned long i = 0; i < 16; i++) {
		assert_false(pte_write(pte_at(t, BASE + i * PG)));
		assert_false(PageFlag(page_at(t, BASE + i * PG), PG_anon_exclusive));
	}
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 16 * 4);
	min_flt = t->min_flt;
	reuse = vmev(m, "pgreuse");
	fill_pages(t, 0, 16, 8);
	assert_int_equal(t->min_flt, min_flt + 16);
	assert_int_equal(vmev(m, "pgreuse"), reuse + 16);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_true(PageFlag(page_at(t, BASE), PG_anon_exclusive));
	check_pages(t, 0, 16, 8);
	check_all(m);
	swap_destroy(f);
}

static void a_page_shared_after_fork_is_read_once(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	pte_t pte;

	(void)state;
	map_at(t, 0, 4, RW);
	fill_pages(t, 0, 4, 3);
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	/* fork copied the swap entries: each slot now has two users. */
	pte = pte_at(c, BASE);
	assert_true(is_swap_pte(pte));
	assert_int_equal(pte_val(pte), pte_val(pte_at(t, BASE)));
	assert_int_equal(swap_count(m, pte_to_swp_entry(pte)), 2);
	assert_int_equal(rss(c, MM_SWAPENTS), 4);
	assert_true(swap_check(m));
	/* smaps: Swap whole, SwapPss halved. */
	{
		char *smaps = test_proc(m, "/proc/2/smaps");

		assert_non_null(strstr(smaps, "Swap:                 16 kB"));
		assert_non_null(strstr(smaps, "SwapPss:               8 kB"));
		free(smaps);
	}
	check_pages(c, 0, 4, 3);
	check_pages(t, 0, 4, 3);
	/* Both tasks map the same frames, read from the file once. */
	assert_int_equal(vmev(m, "pswpin"), 4);
	assert_ptr_equal(page_at(t, BASE), page_at(c, BASE));
	assert_int_equal(page_mapcount(page_at(t, BASE)), 2);
	assert_int_equal(page_mapcount_rmap(m, page_at(t, BASE)), 2);
	check_all(m);
	/* Copy-on-write still separates them. */
	fill_pages(c, 0, 4, 4);
	check_pages(t, 0, 4, 3);
	check_pages(c, 0, 4, 4);
	tuxmm_task_exit(c);
	check_all(m);
	swap_destroy(f);
}

static void unmapping_swap_entries_frees_their_slots(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	long free_before = nr_swap_pages(m);

	(void)state;
	map_at(t, 0, 32, RW);
	fill_pages(t, 0, 32, 5);
	assert_int_equal(tuxmm_madvise(t, BASE, 32 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	assert_int_equal(nr_swap_pages(m), free_before - 32);
	/* The child reads half back (into the swap cache), then both unmap. */
	check_pages(c, 0, 16, 5);
	assert_int_equal(tuxmm_munmap(t, BASE, 32 * PG), 0);
	assert_int_equal(rss(t, MM_SWAPENTS), 0);
	check_all(m);
	assert_int_equal(nr_swap_pages(m), free_before - 32);	/* the child still holds them */
	tuxmm_task_exit(c);
	assert_int_equal(nr_swap_pages(m), free_before);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	check_all(m);
	swap_destroy(f);
}

static void madv_free_drops_swapped_pages(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct task_struct *t = f->t;
	long free_before = nr_swap_pages(f->m);

	(void)state;
	map_at(t, 0, 8, RW);
	fill_pages(t, 0, 8, 6);
	assert_int_equal(tuxmm_madvise(t, BASE, 8 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 8 * PG, MADV_FREE), 0);
	assert_int_equal(nr_swap_pages(f->m), free_before);
	assert_int_equal(rd(t, BASE), 0);
	check_all(f->m);
	swap_destroy(f);
}

static void madv_cold_deactivates(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	struct page *page;

	(void)state;
	map_at(t, 0, 8, RW);
	fill_pages(t, 0, 8, 7);
	page = page_at(t, BASE);
	mark_page_accessed(m, page);
	mark_page_accessed(m, page);
	assert_true(PageFlag(page, PG_active));
	assert_true(pte_young(pte_at(t, BASE)));
	assert_int_equal(tuxmm_madvise(t, BASE, 8 * PG, MADV_COLD), 0);
	assert_false(PageFlag(page, PG_active));
	assert_false(pte_young(pte_at(t, BASE)));
	assert_true(vmev(m, "pgdeactivate") >= 1);
	check_pages(t, 0, 8, 7);
	check_all(m);
	swap_destroy(f);
}

static void swapoff_brings_every_page_back(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;

	(void)state;
	map_at(t, 0, 100, RW);
	fill_pages(t, 0, 100, 8);
	assert_int_equal(tuxmm_madvise(t, BASE, 100 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	check_pages(c, 0, 10, 8);	/* some in the swap cache, mapped */
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	assert_int_equal(total_swap_pages(m), 0);
	assert_int_equal(rss(t, MM_SWAPENTS), 0);
	assert_int_equal(rss(c, MM_SWAPENTS), 0);
	assert_int_equal(swap_ptes(t, 0, 100) + swap_ptes(c, 0, 100), 0);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	check_all(m);
	check_pages(t, 0, 100, 8);
	check_pages(c, 0, 100, 8);
	/* The parent and child share the frames brought back; COW still separates them. */
	assert_ptr_equal(page_at(t, BASE + 50 * PG), page_at(c, BASE + 50 * PG));
	fill_pages(t, 0, 100, 9);
	check_pages(c, 0, 100, 8);
	check_all(m);
	swap_destroy(f);
}

static void swapoff_without_room_fails_and_keeps_the_area(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;

	(void)state;
	map_at(t, 0, n, RW);
	fill_pages(t, 0, n, 10);
	assert_true(vmev(m, "pswpout") > 0);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), -ENOMEM);
	assert_true(total_swap_pages(m) > 0);
	check_all(m);
	/* Still usable: everything reads back, through swap. */
	check_pages(t, 0, n, 10);
	check_all(m);
	/* With half of it gone, swapoff succeeds. */
	assert_int_equal(tuxmm_munmap(t, BASE, n / 2 * PG), 0);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	check_pages(t, n / 2, n - n / 2, 10);
	check_all(m);
	swap_destroy(f);
}

static void swapoff_with_a_read_error_keeps_the_area(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;

	(void)state;
	map_at(t, 0, 16, RW);
	fill_pages(t, 0, 16, 30);
	assert_int_equal(tuxmm_madvise(t, BASE, 16 * PG, MADV_PAGEOUT), 0);
	m->fail_file_read.fail_nth = 1;
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), -EIO);
	assert_true(total_swap_pages(m) > 0);
	check_all(m);
	/* Still on and usable: it takes swap-outs, and everything reads back. */
	map_at(t, 16, 4, RW);
	fill_pages(t, 16, 4, 31);
	assert_int_equal(tuxmm_madvise(t, BASE + 16 * PG, 4 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(swap_ptes(t, 16, 4), 4);
	check_pages(t, 0, 16, 30);
	check_pages(t, 16, 4, 31);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	check_all(m);
	swap_destroy(f);
}

static void refaults_of_swapped_pages_are_counted(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;

	(void)state;
	map_at(t, 0, 32, RW);
	fill_pages(t, 0, 32, 32);
	/* Reclaim (not MADV_PAGEOUT) records a shadow for each page it evicts. */
	for (int i = 0; i < 3 && swap_ptes(t, 0, 32) < 32; i++)
		tuxmm_reclaim(m, 1024);
	assert_int_equal(swap_ptes(t, 0, 32), 32);
	check_pages(t, 0, 32, 32);
	assert_int_equal(vmev(m, "workingset_refault_anon"), 32);
	/* Nothing else on the lists: a distance above 0 is longer than the working set. */
	assert_true(vmev(m, "workingset_activate_anon") < 32);
	/*
	 * Again beside 256 active pages: the 32 evicted since are well within the
	 * working set, so each comes back straight to the active list.
	 */
	map_at(t, 64, 256, RW);
	fill_pages(t, 64, 256, 33);
	for (unsigned long p = 64; p < 64 + 256; p++) {
		mark_page_accessed(m, page_at(t, BASE + p * PG));
		mark_page_accessed(m, page_at(t, BASE + p * PG));
	}
	assert_int_equal(tuxmm_madvise(t, BASE, 32 * PG, MADV_COLD), 0);
	for (int i = 0; i < 6 && swap_ptes(t, 0, 32) < 32; i++)
		tuxmm_reclaim(m, 32);
	assert_true(swap_ptes(t, 0, 32) > 0);
	{
		unsigned long refault = vmev(m, "workingset_refault_anon");
		unsigned long act = vmev(m, "workingset_activate_anon");
		unsigned long out = swap_ptes(t, 0, 32);

		check_pages(t, 0, 32, 32);
		/* Readahead may bring back (and count) a neighbour of the other area too. */
		assert_true(vmev(m, "workingset_refault_anon") - refault >= out);
		assert_true(vmev(m, "workingset_activate_anon") - act >= out);
		assert_true(PageFlag(page_at(t, BASE), PG_active) || out < 32);
	}
	check_all(m);
	swap_destroy(f);
}

static void swapoff_moves_pages_to_another_area_under_pressure(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 32 * MiB);	/* area 0, priority -2 */
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned long n = 24 * MiB / PG;
	char err[TUXMM_ERRMSG_MAX] = "";
	long total1;

	(void)state;
	map_at(t, 0, n, RW);
	fill_pages(t, 0, n, 34);
	assert_true(vmev(m, "pswpout") > 0);
	/* A second area of lower priority: nothing goes there while the first has room. */
	if (tuxmm_mkswap(f->path[1], 32 * MiB, 4096, 8, err) ||
	    tuxmm_swapon(m, f->path[1], -1, err))
		fail_msg("second area: %s", err);
	total1 = total_swap_pages(m);
	check_pages(t, 0, n, 34);
	assert_int_equal(m->swap.swap_info[1]->inuse_pages, 0);
	/* swapoff of the first: reclaim makes room by writing to the second. */
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	assert_true(total_swap_pages(m) < total1);
	assert_true(m->swap.swap_info[1]->inuse_pages > 0);
	check_all(m);
	check_pages(t, 0, n, 34);
	check_all(m);
	swap_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pageout_then_fault_back_keeps_every_byte),
		cmocka_unit_test(a_page_swapped_before_fork_comes_back_read_only),
		cmocka_unit_test(a_page_shared_after_fork_is_read_once),
		cmocka_unit_test(unmapping_swap_entries_frees_their_slots),
		cmocka_unit_test(madv_free_drops_swapped_pages),
		cmocka_unit_test(madv_cold_deactivates),
		cmocka_unit_test(swapoff_brings_every_page_back),
		cmocka_unit_test(swapoff_without_room_fails_and_keeps_the_area),
		cmocka_unit_test(swapoff_with_a_read_error_keeps_the_area),
		cmocka_unit_test(refaults_of_swapped_pages_are_counted),
		cmocka_unit_test(swapoff_moves_pages_to_another_area_under_pressure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
