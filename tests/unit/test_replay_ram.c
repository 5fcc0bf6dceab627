/*
 * test_replay_ram.c - trace replay with --ram: the whole machine, with a swap file as
 * large as the trace's footprint and kswapd and direct reclaim under the boot-time
 * policy. Counts checked for plausibility against a run that fits and a --frames run:
 * nothing beyond first touches when RAM holds the trace, swap traffic when it does not.
 */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_PAGES	2048	/* 8 MiB of 4 KiB pages */
#define PASSES		3

/* sweeps - PASSES passes writing each of NR_PAGES pages in order (classic format). */
static char *sweeps(void)
{
	char *text = malloc((size_t)NR_PAGES * PASSES * 16 + 1), *p = text;

	assert_non_null(text);
	for (int r = 0; r < PASSES; r++)
		for (unsigned long pg = 0; pg < NR_PAGES; pg++)
			p += sprintf(p, "%08lx W\n", 0x10000000UL + pg * 4096);
	return text;
}

static struct tuxmm_replay_result run(const char *text, const char *policy, uint64_t ram,
				      uint64_t frames)
{
	struct tuxmm_replay_opts o = { .policy = policy, .ram_bytes = ram, .frames = frames };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX] = "";

	if (tuxmm_replay_mem(text, strlen(text), "sweeps", &o, &res, err))
		fail_msg("%s --ram %llu: %s", policy, (unsigned long long)ram, err);
	return res;
}

static void ram_that_fits_faults_on_first_touches_only(void **state)
{
	char *text = sweeps();
	struct tuxmm_replay_result capped = run(text, "lru", 0, NR_PAGES);

	(void)state;
	for (size_t i = 0; tuxmm_policy_name(i); i++) {
		const char *policy = tuxmm_policy_name(i);
		struct tuxmm_replay_result res;

		if (!strcmp(policy, "opt"))
			continue;
		res = run(text, policy, 64ULL << 20, 0);
		assert_string_equal(res.policy, policy);
		assert_int_equal(res.references, NR_PAGES * PASSES);
		assert_int_equal(res.distinct_pages, NR_PAGES);
		/* Writes only: no zero page, one fault per page, as with enough frames. */
		assert_int_equal(res.faults, capped.faults);
		assert_int_equal(res.minor_faults, NR_PAGES);
		assert_int_equal(res.major_faults, 0);
		assert_int_equal(res.page_ins, 0);
		assert_int_equal(res.page_outs, 0);
		assert_int_equal(res.writebacks, 0);
	}
	free(text);
}

static void ram_too_small_swaps_under_every_policy(void **state)
{
	char *text = sweeps();
	struct tuxmm_replay_result fifo_frames = run(text, "fifo", 0, NR_PAGES / 2);

	(void)state;
	/* Under a cap of half the pages, FIFO faults on every reference of a loop. */
	assert_int_equal(fifo_frames.faults, NR_PAGES * PASSES);
	for (size_t i = 0; tuxmm_policy_name(i); i++) {
		const char *policy = tuxmm_policy_name(i);
		struct tuxmm_replay_result res;

		if (!strcmp(policy, "opt"))
			continue;
		res = run(text, policy, 4ULL << 20, 0);
		print_message("%-6s faults %llu (major %llu) pswpin %llu reclaimed %llu "
			      "pswpout %llu tlb %.3f\n", policy, (unsigned long long)res.faults,
			      (unsigned long long)res.major_faults, (unsigned long long)res.page_ins,
			      (unsigned long long)res.page_outs, (unsigned long long)res.writebacks,
			      res.tlb_hit_rate);
		assert_string_equal(res.policy, policy);
		/* 8 MiB of pages through 4 MiB of RAM: most of each pass left memory. */
		assert_true(res.faults > NR_PAGES * 2);
		assert_true(res.faults <= res.references + res.references / 100);
		assert_int_equal(res.faults, res.minor_faults + res.major_faults);
		assert_true(res.major_faults > 0);
		assert_true(res.page_ins >= res.major_faults);
		assert_true(res.writebacks > NR_PAGES);
		assert_true(res.page_outs >= res.writebacks);
		assert_int_equal(res.distinct_pages, NR_PAGES);
	}
	free(text);
}

static void ram_refuses_opt_and_unknown_policies(void **state)
{
	struct tuxmm_replay_opts o = { .policy = "opt", .ram_bytes = 64ULL << 20 };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX] = "";
	const char *text = "00001000 R\n";

	(void)state;
	assert_int_equal(tuxmm_replay_mem(text, strlen(text), "t", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, "policy opt needs the future"));
	o.policy = "lfu";
	assert_int_equal(tuxmm_replay_mem(text, strlen(text), "t", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, "unknown policy 'lfu'"));
	/* Standard input cannot be read twice: the first pass sizes the swap file. */
	o.policy = "fifo";
	assert_int_equal(tuxmm_replay("-", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, "give a file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_that_fits_faults_on_first_touches_only),
		cmocka_unit_test(ram_too_small_swaps_under_every_policy),
		cmocka_unit_test(ram_refuses_opt_and_unknown_policies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
