/*
 * test_mpolicy.c - a machine booted with a page-out policy other than Linux's:
 * FIFO evicts the oldest-loaded page however hot it is (Linux keeps it), CLOCK's
 * hand gives a second chance to a page its accessed bits show used, exact LRU
 * moves a page found used to the newest end, mlocked pages are passed over,
 * every policy keeps every byte under pressure, and bad names are refused.
 */
#include "swap_test.h"
#include "policy.h"

/* policy_boot - swap_boot's machine (64 MiB unless @ram) booted with page-out policy @name. */
static struct swap_fixture *policy_boot(const char *name, uint64_t ram, uint64_t swap)
{
	struct swap_fixture *f = calloc(1, sizeof(*f));
	char err[TUXMM_ERRMSG_MAX] = "";
	struct tuxmm_config cfg;

	strcpy(f->dir, "/tmp/tuxmm-mpolicy-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	for (int i = 0; i < 2; i++)
		snprintf(f->path[i], sizeof(f->path[i]), "%s/swap%d", f->dir, i);
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = ram;
	cfg.policy = name;
	f->m = test_boot_cfg(&cfg);
	assert_string_equal(mpolicy_name(f->m), name);
	if (tuxmm_mkswap(f->path[0], swap, 4096, 7, err) || tuxmm_swapon(f->m, f->path[0], -1, err))
		fail_msg("swap: %s", err);
	assert_int_equal(tuxmm_spawn(f->m, "policy", &f->t), 0);
	return f;
}

/* age - clear the accessed bits of pages [0, @n) of the window, as an aging pass would. */
static void age(struct swap_fixture *f, unsigned long n)
{
	for (unsigned long p = 0; p < n; p++)
		page_referenced(f->m, page_at(f->t, BASE + p * PG), NULL);
}

static bool resident(struct swap_fixture *f, unsigned long p)
{
	return pte_present(pte_at(f->t, BASE + p * PG));
}

/* hot_first - pages 0, 1, 2 loaded in order, page 0 used since the last aging; reclaim one. */
static struct swap_fixture *hot_first(const char *policy)
{
	struct swap_fixture *f = policy_boot(policy, 64 * MiB, 16 * MiB);

	map_at(f->t, 0, 3, RW);
	fill_pages(f->t, 0, 3, 21);
	age(f, 3);
	for (int i = 0; i < 10; i++)
		rd(f->t, BASE);
	assert_int_equal(tuxmm_reclaim(f->m, 1), f->m->swap.mpolicy ? 1 : 2);
	return f;
}

static void fifo_evicts_the_oldest_page_even_when_hot(void **state)
{
	struct swap_fixture *f = hot_first("fifo");

	(void)state;
	assert_false(resident(f, 0));
	assert_true(is_swap_pte(pte_at(f->t, BASE)));
	assert_true(resident(f, 1));
	assert_true(resident(f, 2));
	assert_int_equal(vmev(f->m, "pswpout"), 1);
	assert_int_equal(vmev(f->m, "pgsteal_direct") + vmev(f->m, "pgsteal_kswapd"), 1);
	assert_int_equal(vmev(f->m, "pgsteal_anon"), 1);
	assert_int_equal(vmev(f->m, "pgsteal_file"), 0);
	assert_true(mpolicy_lru_check(f->m));
	check_pages(f->t, 0, 3, 21);
	/* Read back, page 0 is the newest: page 1 is next. */
	assert_int_equal(tuxmm_reclaim(f->m, 1), 1);
	assert_true(resident(f, 0));
	assert_false(resident(f, 1));
	check_pages(f->t, 0, 3, 21);
	check_all(f->m);
	swap_destroy(f);
}

static void linux_keeps_the_hot_page(void **state)
{
	struct swap_fixture *f = hot_first("linux");

	(void)state;
	assert_true(resident(f, 0));
	assert_false(resident(f, 1));
	check_pages(f->t, 0, 3, 21);
	check_all(f->m);
	swap_destroy(f);
}

static void lru_moves_a_page_found_used_to_the_newest_end(void **state)
{
	struct swap_fixture *f = hot_first("lru");

	(void)state;
	assert_true(resident(f, 0));
	assert_false(resident(f, 1));
	assert_true(resident(f, 2));
	check_pages(f->t, 0, 3, 21);
	check_all(f->m);
	swap_destroy(f);
}

/*
 * clock_round - CLOCK over 3 pages: a first reclaim clears every use bit as the
 * hand turns and takes one page; then only page @touch of the two left is used. The
 * next reclaim must take the other, wherever the hand stands. Returns the page the
 * first reclaim took.
 */
static unsigned long clock_round(unsigned long touch_rank)
{
	struct swap_fixture *f = policy_boot("clock", 64 * MiB, 16 * MiB);
	unsigned long gone = 3, left[2], n = 0;

	map_at(f->t, 0, 3, RW);
	fill_pages(f->t, 0, 3, 22);
	assert_int_equal(tuxmm_reclaim(f->m, 1), 1);
	for (unsigned long p = 0; p < 3; p++) {
		if (resident(f, p))
			left[n++] = p;
		else
			gone = p;
	}
	assert_int_equal(n, 2);
	rd(f->t, BASE + left[touch_rank] * PG);
	assert_int_equal(tuxmm_reclaim(f->m, 1), 1);
	assert_true(resident(f, left[touch_rank]));
	assert_false(resident(f, left[!touch_rank]));
	assert_false(resident(f, gone));
	check_pages(f->t, 0, 3, 22);
	check_all(f->m);
	swap_destroy(f);
	return gone;
}

static void clock_gives_a_used_page_a_second_chance(void **state)
{
	(void)state;
	/* The same machine twice (same pfns, same hand): only the used page differs. */
	assert_int_equal(clock_round(0), clock_round(1));
}

static void mlocked_pages_are_passed_over(void **state)
{
	struct swap_fixture *f = policy_boot("fifo", 64 * MiB, 16 * MiB);

	(void)state;
	map_at(f->t, 0, 3, RW);
	fill_pages(f->t, 0, 3, 23);
	assert_int_equal(tuxmm_mlock(f->t, BASE, PG), 0);
	assert_int_equal(tuxmm_reclaim(f->m, 1), 1);
	assert_true(resident(f, 0));
	assert_false(resident(f, 1));
	assert_true(mpolicy_lru_check(f->m));
	/* Unlocked, it is loaded anew: the newest. */
	assert_int_equal(tuxmm_munlock(f->t, BASE, PG), 0);
	assert_int_equal(tuxmm_reclaim(f->m, 1), 1);
	assert_false(resident(f, 2));
	assert_true(resident(f, 0));
	check_pages(f->t, 0, 3, 23);
	check_all(f->m);
	swap_destroy(f);
}

/* Under every policy: 24 MiB written into 16 MiB of RAM and read back, byte for byte. */
static void every_policy_keeps_every_byte_under_pressure(void **state)
{
	static const char *const names[] = { "linux", "clock", "fifo", "lru", "random" };
	unsigned long n = 24 * MiB / PG;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct swap_fixture *f = policy_boot(names[i], 16 * MiB, 32 * MiB);

		map_at(f->t, 0, n, RW);
		fill_pages(f->t, 0, n, 24 + i);
		check_all(f->m);
		assert_true(mpolicy_lru_check(f->m));
		assert_true(vmev(f->m, "pswpout") > n / 3);
		assert_true(vmev(f->m, "pgscan_kswapd") + vmev(f->m, "pgscan_direct") > 0);
		check_pages(f->t, 0, n, 24 + i);
		assert_true(vmev(f->m, "pswpin") > 0);
		assert_true(rss(f->t, MM_ANONPAGES) + rss(f->t, MM_SWAPENTS) == (long)n);
		assert_true(mpolicy_lru_check(f->m));
		check_all(f->m);
		swap_destroy(f);
	}
}

static void bad_policy_names_are_refused(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m = NULL;
	char err[TUXMM_ERRMSG_MAX] = "";

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.policy = "nosuch";
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err, "unknown page-out policy 'nosuch'"));
	assert_non_null(strstr(err, "(known: linux, clock, fifo, lru, random)"));
	cfg.policy = "opt";
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	assert_non_null(strstr(err, "opt needs the future"));
	assert_non_null(strstr(err, "trace replay"));
	cfg.policy = "";
	assert_int_equal(tuxmm_boot(&cfg, &m, err), -EINVAL);
	/* NULL and "linux" are Linux's own lists: no method table at all. */
	cfg.policy = NULL;
	m = test_boot_cfg(&cfg);
	assert_null(m->swap.mpolicy);
	assert_string_equal(mpolicy_name(m), "linux");
	tuxmm_machine_destroy(m);
	cfg.policy = "linux";
	m = test_boot_cfg(&cfg);
	assert_null(m->swap.mpolicy);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_evicts_the_oldest_page_even_when_hot),
		cmocka_unit_test(linux_keeps_the_hot_page),
		cmocka_unit_test(lru_moves_a_page_found_used_to_the_newest_end),
		cmocka_unit_test(clock_gives_a_used_page_a_second_chance),
		cmocka_unit_test(mlocked_pages_are_passed_over),
		cmocka_unit_test(every_policy_keeps_every_byte_under_pressure),
		cmocka_unit_test(bad_policy_names_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
