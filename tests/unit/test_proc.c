/*
 * test_proc.c - the /proc files: golden texts of a fixed machine, and their
 * format checked against the real kernel's files on this host (the same
 * labels, in the same order, in the same columns).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "mm.h"
#include "slab.h"

/* The golden machine: 64 MiB, 2 CPUs, a driver's 4 MiB at 16 MiB, a few allocations. */
static int setup_golden(void **state)
{
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;

	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 2;
	assert_int_equal(tuxmm_parse_reservation("camera:4M@0x1000000", &cfg.reserve[0], err), 0);
	assert_int_equal(tuxmm_parse_reservation("dsp:512K", &cfg.reserve[1], err), 0);
	cfg.nr_reserve = 2;
	m = test_boot_cfg(&cfg);
	/* Some activity so that counters and free lists are not just the boot state. */
	for (int i = 0; i < 5; i++)
		assert_non_null(alloc_pages(m, GFP_KERNEL, (unsigned int)i));
	assert_non_null(alloc_pages(m, GFP_KERNEL | GFP_DMA, 0));
	*state = m;
	return 0;
}

static void golden(void **state, const char *path, const char *file)
{
	char *text = test_proc(*state, path);

	test_golden(file, text);
	free(text);
}

static void buddyinfo_golden(void **state)
{
	golden(state, "/proc/buddyinfo", "buddyinfo.txt");
}
static void zoneinfo_golden(void **state)
{
	golden(state, "/proc/zoneinfo", "zoneinfo.txt");
}
static void meminfo_golden(void **state)
{
	golden(state, "/proc/meminfo", "meminfo.txt");
}
static void vmstat_golden(void **state)
{
	golden(state, "/proc/vmstat", "vmstat.txt");
}
static void iomem_golden(void **state)
{
	golden(state, "/proc/iomem", "iomem.txt");
}
static void slabinfo_golden(void **state)
{
	golden(state, "/proc/slabinfo", "slabinfo.txt");
}
static void boot_log_golden(void **state)
{
	test_golden("dmesg.txt", tuxmm_dmesg(*state));
}

static void unknown_path_is_enoent(void **state)
{
	char *text = (char *)1;
	size_t len = 7;

	assert_int_equal(tuxmm_proc_read(*state, "/proc/nope", &text, &len), -ENOENT);
	assert_null(text);
	assert_int_equal(len, 0);
}

static void meminfo_adds_up(void **state)
{
	struct machine *m = *state;
	char *text = test_proc(m, "/proc/meminfo");
	unsigned long total, freekb;

	assert_int_equal(sscanf(strstr(text, "MemTotal:"), "MemTotal: %lu kB", &total), 1);
	assert_int_equal(sscanf(strstr(text, "MemFree:"), "MemFree: %lu kB", &freekb), 1);
	assert_int_equal(total, totalram_pages(m) * 4);
	assert_int_equal(freekb, nr_free_pages(m) * 4);
	free(text);
}

/* ---- the host kernel's formats ---- */

static char *read_host(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);

	if (!f)
		fail_msg("cannot read %s on this host: the format tests need Linux's /proc", path);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The first word of each line (up to ':' or ' '), as a list of labels. */
static int labels(char *text, char **out, int max)
{
	int n = 0;

	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		size_t k;

		while (*line == ' ')
			line++;
		k = strcspn(line, ": ");
		line[k] = '\0';
		out[n++] = line;
	}
	return n;
}

/* Every one of ours appears in the host's list, in the same order. */
static void assert_subsequence(const char *what, char **ours, int n_ours, char **host,
			       int n_host)
{
	int j = 0;

	for (int i = 0; i < n_ours; i++) {
		while (j < n_host && strcmp(host[j], ours[i]))
			j++;
		if (j == n_host)
			fail_msg("%s: '%s' is not in the host kernel's file, or out of order", what,
				 ours[i]);
	}
}

static void vmstat_names_and_order_match_the_kernel(void **state)
{
	char *ours = test_proc(*state, "/proc/vmstat"), *host = read_host("/proc/vmstat");
	char *a[512], *b[512];
	int na = labels(ours, a, 512), nb = labels(host, b, 512);

	assert_subsequence("/proc/vmstat", a, na, b, nb);
	assert_string_equal(a[na - 1], "nr_unstable");
	free(ours);
	free(host);
}

static void meminfo_labels_and_columns_match_the_kernel(void **state)
{
	char *ours = test_proc(*state, "/proc/meminfo"), *host = read_host("/proc/meminfo");
	char *copy = strdup(ours);
	char *a[128], *b[128];
	int na = labels(copy, a, 128), nb = labels(host, b, 128);

	assert_subsequence("/proc/meminfo", a, na, b, nb);
	/*
	 * "%-16s%8lu kB": a 16-column label, a value right-aligned in at least 8
	 * columns (VmallocTotal's is wider), then " kB".
	 */
	for (char *line = strtok(ours, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);

		assert_true(n >= 27);
		assert_string_equal(line + n - 3, " kB");
		assert_true(isdigit((unsigned char)line[n - 4]));
		assert_true(line[15] == ' ' || isdigit((unsigned char)line[15]));
		assert_non_null(memchr(line, ':', 16));
	}
	free(copy);
	free(ours);
	free(host);
}

static void zoneinfo_line_shapes_match_the_kernel(void **state)
{
	char *ours = test_proc(*state, "/proc/zoneinfo"), *host = read_host("/proc/zoneinfo");
	char *a[1024], *b[4096];
	int nb = labels(host, b, 4096), na = labels(ours, a, 1024);
	int first_zone_end = 1;

	while (first_zone_end < na && strcmp(a[first_zone_end], "Node"))
		first_zone_end++;
	/* The first zone's block follows the host's first zone block, line for line. */
	assert_true(first_zone_end > 60);
	assert_subsequence("/proc/zoneinfo", a, first_zone_end, b, nb);
	free(ours);
	free(host);
}

static void buddyinfo_columns_match_the_kernel(void **state)
{
	char *ours = test_proc(*state, "/proc/buddyinfo"), *host = read_host("/proc/buddyinfo");
	size_t host_len = strcspn(host, "\n"), our_len = strcspn(ours, "\n");

	/* "Node 0, zone %8s " then 11 columns of "%6lu " for 4 KiB pages. */
	assert_int_equal(our_len, host_len);
	assert_memory_equal(ours, "Node 0, zone      DMA ", 22);
	free(ours);
	free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buddyinfo_golden),
		cmocka_unit_test(zoneinfo_golden),
		cmocka_unit_test(meminfo_golden),
		cmocka_unit_test(vmstat_golden),
		cmocka_unit_test(iomem_golden),
		cmocka_unit_test(slabinfo_golden),
		cmocka_unit_test(boot_log_golden),
		cmocka_unit_test(unknown_path_is_enoent),
		cmocka_unit_test(meminfo_adds_up),
		cmocka_unit_test(vmstat_names_and_order_match_the_kernel),
		cmocka_unit_test(meminfo_labels_and_columns_match_the_kernel),
		cmocka_unit_test(zoneinfo_line_shapes_match_the_kernel),
		cmocka_unit_test(buddyinfo_columns_match_the_kernel),
	};

	return cmocka_run_group_tests(tests, setup_golden, test_teardown_machine);
}
