/*
 * test_proc_pid.c - the per-task memory files: smaps, smaps_rollup, status, stat.
 * Golden texts of a fixed scenario (TUXMM_UPDATE_GOLDEN=1 rewrites them), and the
 * smaps counters' rules checked one by one: zero page, COW sharing, file pages, mlock.
 */
#include "mm_test.h"

/* A field of the smaps block starting at @addr's line (kB), or of smaps_rollup (@addr 0). */
static unsigned long smaps_field(struct machine *m, int pid, unsigned long addr, const char *name)
{
	char path[64], key[64], head[32];
	char *text, *p;
	unsigned long kb;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, addr ? "smaps" : "smaps_rollup");
	text = test_proc(m, path);
	p = text;
	if (addr) {
		snprintf(head, sizeof(head), "%08lx-", addr);
		p = strstr(text, head);
		if (!p)
			fail_msg("no area at %#lx in %s", addr, path);
	}
	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(p, key);
	if (!p)
		fail_msg("no %s in %s", name, path);
	kb = strtoul(p + strlen(key), NULL, 10);
	free(text);
	return kb;
}

#define KB(pages) ((pages) * (PG >> 10))

static unsigned long S(void **state, unsigned long addr, const char *name)
{
	return smaps_field(M(state), 1, addr, name);
}

static void zero_page_reads_count_nothing(void **state)
{
	map_at(T(state), 0, 8, RW);
	assert_int_equal(tuxmm_touch(T(state), BASE, 8 * PG, false, NULL), 0);
	assert_int_equal(S(state, BASE, "Rss"), 0);
	assert_int_equal(S(state, BASE, "Anonymous"), 0);
	assert_int_equal(tuxmm_touch(T(state), BASE, 3 * PG, true, NULL), 0);
	assert_int_equal(S(state, BASE, "Rss"), KB(3));
	assert_int_equal(S(state, BASE, "Pss"), KB(3));
	assert_int_equal(S(state, BASE, "Private_Dirty"), KB(3));
	assert_int_equal(S(state, BASE, "Pss_Dirty"), KB(3));
	assert_int_equal(S(state, BASE, "Anonymous"), KB(3));
	assert_int_equal(S(state, BASE, "Referenced"), KB(3));
	assert_int_equal(S(state, BASE, "LazyFree"), 0);
}

static void fork_shares_until_written(void **state)
{
	struct task_struct *child;

	map_at(T(state), 0, 4, RW);
	assert_int_equal(tuxmm_touch(T(state), BASE, 4 * PG, true, NULL), 0);
	assert_int_equal(tuxmm_fork(T(state), &child), 0);
	assert_int_equal(S(state, BASE, "Rss"), KB(4));
	assert_int_equal(S(state, BASE, "Pss"), KB(4) / 2);
	assert_int_equal(S(state, BASE, "Shared_Dirty"), KB(4));
	assert_int_equal(S(state, BASE, "Private_Dirty"), 0);
	assert_int_equal(tuxmm_touch(child, BASE, PG, true, NULL), 0);
	/* The child's copy is its own; the parent's page is now mapped once. */
	assert_int_equal(S(state, BASE, "Private_Dirty"), KB(1));
	assert_int_equal(S(state, BASE, "Shared_Dirty"), KB(3));
	assert_int_equal(smaps_field(M(state), 2, BASE, "Private_Dirty"), KB(1));
	assert_int_equal(smaps_field(M(state), 2, 0, "Pss_Anon"), KB(1) + KB(3) / 2);
}

static void file_pages_are_clean_until_written(void **state)
{
	char path[64];
	long a;

	make_file(path, sizeof(path), 32 * PG);
	a = tuxmm_mmap_path(T(state), BASE, 32 * PG, RW, MAP_PRIVATE | MAP_FIXED, path, 0);
	assert_int_equal(a, (long)BASE);
	/* A cold file: the first fault maps its page alone (and reads ahead). */
	assert_int_equal(tuxmm_touch(T(state), BASE, PG, false, NULL), 0);
	assert_int_equal(S(state, BASE, "Rss"), KB(1));
	/* The next read of a cached page maps the cached, unmarked pages of its 16-page window. */
	assert_int_equal(tuxmm_touch(T(state), BASE + 2 * PG, PG, false, NULL), 0);
	assert_true(S(state, BASE, "Rss") > KB(2));
	assert_int_equal(S(state, BASE, "Private_Clean"), S(state, BASE, "Rss"));
	assert_int_equal(S(state, BASE, "Anonymous"), 0);
	assert_int_equal(smaps_field(M(state), 1, 0, "Pss_File"), S(state, BASE, "Rss"));
	assert_int_equal(tuxmm_touch(T(state), BASE + 3 * PG, PG, true, NULL), 0);
	assert_int_equal(S(state, BASE, "Anonymous"), KB(1));
	assert_int_equal(S(state, BASE, "Private_Dirty"), KB(1));
	unlink(path);
}

static void locked_is_pss_of_locked_areas(void **state)
{
	map_at(T(state), 0, 4, RW);
	assert_int_equal(tuxmm_mlock(T(state), BASE, 4 * PG), 0);
	assert_int_equal(S(state, BASE, "Locked"), KB(4));
	assert_int_equal(S(state, BASE, "Rss"), KB(4));
}

static void stat_has_52_fields(void **state)
{
	char *text, *p;
	int fields = 0;

	map_at(T(state), 0, 4, RW);
	assert_int_equal(tuxmm_touch(T(state), BASE, 4 * PG, true, NULL), 0);
	text = test_proc(M(state), "/proc/1/stat");
	for (p = text; *p; p++)
		fields += *p == ' ';
	assert_int_equal(fields + 1, 52);
	assert_non_null(strstr(text, "1 (test) S "));
	free(text);
}

static void pagemap_flags(void **state)
{
	struct task_struct *child;
	uint64_t pm[4];
	char *text = NULL;
	size_t len;

	map_at(T(state), 1, 3, RW);
	assert_int_equal(tuxmm_touch(T(state), BASE + PG, PG, true, NULL), 0);
	assert_int_equal(tuxmm_touch(T(state), BASE + 2 * PG, PG, false, NULL), 0);
	assert_int_equal(tuxmm_read_pagemap(T(state), BASE, pm, 4), 4);
	assert_true(pm[0] == 0);				/* a hole */
	assert_true(pm[1] == (1ULL << 63 | 1ULL << 56));	/* present, exclusive */
	assert_true(pm[2] == 1ULL << 63);			/* the zero page */
	assert_true(pm[3] == 0);				/* not faulted */
	assert_int_equal(tuxmm_fork(T(state), &child), 0);
	assert_int_equal(tuxmm_read_pagemap(child, BASE, pm, 2), 2);
	assert_true(pm[1] == 1ULL << 63);			/* shared with the parent */
	assert_int_equal(tuxmm_read_pagemap(T(state), BASE + 1, pm, 1), -EINVAL);
	assert_int_equal(tuxmm_read_pagemap(T(state), BASE, NULL, 1), -EINVAL);
	assert_int_equal(tuxmm_proc_read(M(state), "/proc/1/pagemap", &text, &len), -EINVAL);
}

/* pread on /proc/PID/pagemap at (address / page size) * 8, as tools read Linux's. */
static void pagemap_pread_at_the_page_offset(void **state)
{
	uint64_t by_api[4], by_file[4];
	char path[32], buf[64], *text;
	size_t len;

	pagemap_flags(state);	/* the same mappings and touches */
	snprintf(path, sizeof(path), "/proc/%d/pagemap", tuxmm_task_pid(T(state)));
	assert_int_equal(tuxmm_read_pagemap(T(state), BASE, by_api, 4), 4);
	assert_int_equal(tuxmm_proc_pread(M(state), path, by_file, sizeof(by_file),
					  (BASE / PG) * 8), (long)sizeof(by_file));
	assert_memory_equal(by_api, by_file, sizeof(by_api));
	/* Linux's pagemap_read(): offset and count must be whole entries. */
	assert_int_equal(tuxmm_proc_pread(M(state), path, by_file, 8, (BASE / PG) * 8 + 4),
			 -EINVAL);
	assert_int_equal(tuxmm_proc_pread(M(state), path, by_file, 12, (BASE / PG) * 8),
			 -EINVAL);
	/* A text file reads as a slice of its whole text. */
	assert_int_equal(tuxmm_proc_read(M(state), "/proc/meminfo", &text, &len), 0);
	assert_int_equal(tuxmm_proc_pread(M(state), "/proc/meminfo", buf, 10, 16), 10);
	assert_memory_equal(buf, text + 16, 10);
	assert_int_equal(tuxmm_proc_pread(M(state), "/proc/meminfo", buf, 10, len), 0);
	free(text);
	assert_int_equal(tuxmm_proc_pread(M(state), "/proc/999/pagemap", buf, 8, 0), -ENOENT);
	/* A NULL buffer is pread(2)'s EFAULT, not a crash. */
	assert_int_equal(tuxmm_proc_pread(M(state), "/proc/meminfo", NULL, 10, 0), -EFAULT);
	assert_int_equal(tuxmm_proc_pread(M(state), path, NULL, 8, (BASE / PG) * 8), -EFAULT);
}

/* ---- golden ---- */

static void scenario(struct task_struct *t)
{
	struct task_struct *child;

	map_at(t, 0, 16, RW);
	assert_int_equal(tuxmm_touch(t, BASE, 4 * PG, true, NULL), 0);
	assert_int_equal(tuxmm_touch(t, BASE + 4 * PG, 4 * PG, false, NULL), 0);
	assert_int_equal(tuxmm_mmap(t, BASE + 32 * PG, 8 * PG, RW,
				    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			 (long)(BASE + 32 * PG));
	assert_int_equal(tuxmm_touch(t, BASE + 32 * PG, 2 * PG, true, NULL), 0);
	map_at(t, 64, 4, PROT_READ);
	assert_int_equal(tuxmm_mlock(t, BASE + 64 * PG, 4 * PG), 0);
	assert_int_equal(tuxmm_fork(t, &child), 0);
	assert_int_equal(tuxmm_touch(child, BASE, PG, true, NULL), 0);
	assert_int_equal(tuxmm_touch(t, BASE + PG, PG, true, NULL), 0);
}

static void golden(void **state, const char *path, const char *file)
{
	char *text;

	scenario(T(state));
	text = test_proc(M(state), path);
	test_golden(file, text);
	free(text);
}

static void smaps_of_a_scenario_is_golden(void **state)
{
	golden(state, "/proc/1/smaps", "proc_pid_smaps_scenario.txt");
}

static void smaps_rollup_of_a_scenario_is_golden(void **state)
{
	golden(state, "/proc/1/smaps_rollup", "proc_pid_smaps_rollup_scenario.txt");
}

static void status_of_a_fork_scenario_is_golden(void **state)
{
	golden(state, "/proc/1/status", "proc_pid_status_fork_scenario.txt");
}

static void stat_of_a_scenario_is_golden(void **state)
{
	golden(state, "/proc/1/stat", "proc_pid_stat_scenario.txt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(zero_page_reads_count_nothing, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(fork_shares_until_written, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(file_pages_are_clean_until_written, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(locked_is_pss_of_locked_areas, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(stat_has_52_fields, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(pagemap_pread_at_the_page_offset, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(pagemap_flags, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(smaps_of_a_scenario_is_golden, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(smaps_rollup_of_a_scenario_is_golden, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(status_of_a_fork_scenario_is_golden, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(stat_of_a_scenario_is_golden, mm_setup,
						mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
