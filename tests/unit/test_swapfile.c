/*
 * test_swapfile.c - swap areas: mkswap's header (checked against util-linux's
 * own mkswap on this host), swapon/swapoff rules and errno, /proc/swaps,
 * priorities, slot allocation in clusters, use counts, page I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "mm.h"
#include "swap.h"

#define MiB (1ULL << 20)

struct swap_test {
	struct machine *m;
	char dir[64];
	char path[3][96];
};

static int setup(void **state)
{
	struct swap_test *st = calloc(1, sizeof(*st));

	strcpy(st->dir, "/tmp/tuxmm-swap-XXXXXX");
	if (!mkdtemp(st->dir))
		return -1;
	for (int i = 0; i < 3; i++)
		snprintf(st->path[i], sizeof(st->path[i]), "%s/swap%d", st->dir, i);
	st->m = test_boot(64 * MiB);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	struct swap_test *st = *state;

	tuxmm_machine_destroy(st->m);
	for (int i = 0; i < 3; i++)
		unlink(st->path[i]);
	rmdir(st->dir);
	free(st);
	return 0;
}

static void make_swap(const char *path, uint64_t size)
{
	char err[TUXMM_ERRMSG_MAX] = "";

	if (tuxmm_mkswap(path, size, 4096, 7, err))
		fail_msg("mkswap %s: %s", path, err);
}

static void read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, 0), (ssize_t)len);
	close(fd);
}

/* Our header is util-linux's, byte for byte, but for the random UUID. */
static void mkswap_header_matches_util_linux(void **state)
{
	struct swap_test *st = *state;
	unsigned char ours[4096], theirs[4096];
	char cmd[512];
	struct stat sb;

	make_swap(st->path[0], 16 * MiB);
	snprintf(cmd, sizeof(cmd), "dd if=/dev/zero of=%s bs=1M count=16 status=none && "
				   "mkswap %s >/dev/null 2>&1", st->path[1], st->path[1]);
	if (system(cmd) != 0)
		fail_msg("util-linux mkswap is needed on the build machine (%s)", cmd);
	read_file(st->path[0], ours, sizeof(ours));
	read_file(st->path[1], theirs, sizeof(theirs));
	memset(ours + 1036, 0, 16);	/* sws_uuid */
	memset(theirs + 1036, 0, 16);
	assert_memory_equal(ours, theirs, sizeof(ours));
	assert_int_equal(stat(st->path[0], &sb), 0);
	assert_int_equal(sb.st_size, 16 * MiB);
	/* And blkid recognises it as swap. */
	snprintf(cmd, sizeof(cmd), "blkid -p -o value -s TYPE %s | grep -qx swap", st->path[0]);
	assert_int_equal(system(cmd), 0);
}

static void swapon_accepts_a_file_made_by_util_linux(void **state)
{
	struct swap_test *st = *state;
	char cmd[512], err[TUXMM_ERRMSG_MAX] = "";

	snprintf(cmd, sizeof(cmd), "dd if=/dev/zero of=%s bs=1M count=8 status=none && "
				   "mkswap %s >/dev/null 2>&1", st->path[1], st->path[1]);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[1], -1, err), 0);
	assert_int_equal(total_swap_pages(st->m), 2047);	/* 8 MiB less the header page */
	assert_true(swap_check(st->m));
}

/* /proc/swaps as Linux prints it: path padded to 40, then the tab-separated columns. */
static void proc_swaps_matches_linux_format(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX] = "", want[512];
	char *text;

	make_swap(st->path[0], 16 * MiB);
	make_swap(st->path[1], 4 * MiB);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[1], 5, err), 0);
	text = test_proc(st->m, "/proc/swaps");
	snprintf(want, sizeof(want),
		 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		 "%-40sfile\t\t16380\t\t0\t\t-2\n"
		 "%-40sfile\t\t4092\t\t0\t\t5\n",
		 st->path[0], st->path[1]);
	assert_string_equal(text, want);
	free(text);
	text = test_proc(st->m, "/proc/meminfo");
	assert_non_null(strstr(text, "SwapTotal:         20472 kB\n"));
	assert_non_null(strstr(text, "SwapFree:          20472 kB\n"));
	free(text);
	assert_non_null(strstr(tuxmm_dmesg(st->m), "Adding 16380k swap on "));
}

static void default_priorities_count_down_from_minus_two(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX];

	for (int i = 0; i < 3; i++) {
		make_swap(st->path[i], 1 * MiB);
		assert_int_equal(tuxmm_swapon(st->m, st->path[i], -1, err), 0);
		assert_int_equal(st->m->swap.swap_info[i]->prio, -2 - i);
	}
	/* Removing the lowest gives its priority back, as Linux does. */
	assert_int_equal(tuxmm_swapoff(st->m, st->path[2]), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[2], -1, err), 0);
	assert_int_equal(st->m->swap.swap_info[2]->prio, -4);
}

static void bad_areas_are_refused_with_linux_errno(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX];
	int fd;

	assert_int_equal(tuxmm_swapon(st->m, "/nonexistent/swap", -1, err), -ENOENT);
	/* No signature. */
	fd = open(st->path[0], O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_int_equal(ftruncate(fd, 1 * MiB), 0);
	close(fd);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), -EINVAL);
	assert_non_null(strstr(err, "no swap signature"));
	assert_non_null(strstr(tuxmm_dmesg(st->m), "Unable to find swap-space signature"));
	/* A header for 16 KiB pages on a 4 KiB machine. */
	assert_int_equal(tuxmm_mkswap(st->path[0], 1 * MiB, 16384, 1, err), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), -EINVAL);
	/* Shorter than the header says. */
	make_swap(st->path[0], 1 * MiB);
	fd = open(st->path[0], O_WRONLY);
	assert_int_equal(ftruncate(fd, 512 * 1024), 0);
	close(fd);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), -EINVAL);
	assert_non_null(strstr(err, "declares 256 pages"));
	/* Twice. */
	make_swap(st->path[0], 1 * MiB);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), -EBUSY);
	assert_int_equal(tuxmm_swapoff(st->m, st->path[1]), -ENOENT);
	make_swap(st->path[1], 1 * MiB);
	assert_int_equal(tuxmm_swapoff(st->m, st->path[1]), -EINVAL);	/* not a swap area */
	/* Too small for mkswap. */
	assert_int_equal(tuxmm_mkswap(st->path[2], 36 * 1024, 4096, 1, err), -EINVAL);
	assert_true(swap_check(st->m));
}

static void slots_come_from_the_highest_priority_area(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX];
	swp_entry_t e;

	make_swap(st->path[0], 1 * MiB);
	make_swap(st->path[1], 1 * MiB);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], 1, err), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[1], 10, err), 0);
	e = get_swap_page(st->m);
	assert_int_equal(swp_type(e), 1);
	assert_int_equal(swp_offset(e), 1);	/* slot 0 is the header */
	swap_free(st->m, e);
	/* Equal priorities take turns. */
	assert_int_equal(tuxmm_swapoff(st->m, st->path[1]), 0);
	assert_int_equal(tuxmm_swapon(st->m, st->path[1], 1, err), 0);
	assert_int_not_equal(swp_type(get_swap_page(st->m)), swp_type(get_swap_page(st->m)));
	assert_true(swap_check(st->m));
}

static void slots_fill_a_cluster_in_order_then_run_out(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX];
	unsigned long n = 0, prev = 0;
	swp_entry_t e;

	make_swap(st->path[0], 2 * MiB);	/* 512 pages: 511 slots in 2 clusters */
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), 0);
	while ((e = get_swap_page(st->m)).val) {
		assert_int_equal(swp_offset(e), prev + 1);	/* one CPU: consecutive slots */
		prev = swp_offset(e);
		n++;
		if (n % 64 == 0)
			assert_true(swap_check(st->m));
	}
	assert_int_equal(n, 511);
	assert_int_equal(nr_swap_pages(st->m), 0);
	/* A freed slot is found again. */
	swap_free(st->m, swp_entry(0, 300));
	assert_int_equal(nr_swap_pages(st->m), 1);
	e = get_swap_page(st->m);
	assert_int_equal(swp_offset(e), 300);
	assert_int_equal(tuxmm_swapoff(st->m, st->path[0]), -EBUSY);	/* still in use */
	assert_true(swap_check(st->m));
}

static void cpus_take_slots_from_their_own_clusters(void **state)
{
	struct swap_test *st = *state;
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;
	swp_entry_t a, b;

	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 2;
	m = test_boot_cfg(&cfg);
	make_swap(st->path[0], 4 * MiB);
	assert_int_equal(tuxmm_swapon(m, st->path[0], -1, err), 0);
	a = get_swap_page(m);
	m->cur_cpu = 1;
	b = get_swap_page(m);
	assert_int_not_equal(swp_offset(a) / SWAPFILE_CLUSTER, swp_offset(b) / SWAPFILE_CLUSTER);
	assert_true(swap_check(m));
	tuxmm_machine_destroy(m);
}

static void use_counts_follow_duplicates_and_frees(void **state)
{
	struct swap_test *st = *state;
	char err[TUXMM_ERRMSG_MAX];
	swp_entry_t e;

	make_swap(st->path[0], 1 * MiB);
	assert_int_equal(tuxmm_swapon(st->m, st->path[0], -1, err), 0);
	e = get_swap_page(st->m);
	assert_int_equal(swap_count(st->m, e), 1);
	assert_int_equal(swap_duplicate(st->m, e), 0);	/* fork: a second PTE holds it */
	assert_int_equal(swap_count(st->m, e), 2);
	swap_free(st->m, e);
	assert_int_equal(st->m->swap.swap_info[0]->inuse_pages, 1);
	swap_free(st->m, e);
	assert_int_equal(st->m->swap.swap_info[0]->inuse_pages, 0);
	assert_int_equal(swap_duplicate(st->m, e), -EINVAL);	/* free now */
	swap_free(st->m, e);
	assert_non_null(strstr(tuxmm_dmesg(st->m), "swap_free: Unused swap offset entry"));
	assert_true(swap_check(st->m));
}

static void pages_round_trip_through_the_file(void **state)
{
	struct swap_test *st = *state;
	struct machine *m = st->m;
	char err[TUXMM_ERRMSG_MAX];
	struct page *out, *in;
	swp_entry_t e;
	int fd;

	make_swap(st->path[0], 1 * MiB);
	assert_int_equal(tuxmm_swapon(m, st->path[0], -1, err), 0);
	out = alloc_pages(m, GFP_KERNEL, 0);
	in = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	for (unsigned long i = 0; i < m->page_size; i++)
		((uint8_t *)page_address(m, out))[i] = (uint8_t)(i * 7 + 3);
	e = get_swap_page(m);
	assert_int_equal(swap_write_page(m, e, out), 0);
	assert_int_equal(swap_read_page(m, e, in), 0);
	assert_memory_equal(page_address(m, in), page_address(m, out), m->page_size);
	assert_int_equal(m->vm_events[PSWPOUT], 1);
	assert_int_equal(m->vm_events[PSWPIN], 1);
	/* A read that fails (the file was cut short) leaves the page as it was. */
	memset(page_address(m, in), 0x5a, m->page_size);
	fd = open(st->path[0], O_WRONLY);
	assert_int_equal(ftruncate(fd, 4096), 0);
	close(fd);
	assert_int_equal(swap_read_page(m, e, in), -EIO);
	for (unsigned long i = 0; i < m->page_size; i++)
		assert_int_equal(((uint8_t *)page_address(m, in))[i], 0x5a);
	assert_int_equal(m->swap.swap_io_errors, 1);
	__free_pages(m, out, 0);
	__free_pages(m, in, 0);
}

static void swap_ptes_encode_type_and_offset(void **state)
{
	(void)state;
	for (unsigned int type = 0; type < MAX_SWAPFILES; type += 7) {
		for (unsigned long off = 1; off < (1UL << 40); off = off * 3 + 1) {
			swp_entry_t e = swp_entry(type, off);
			pte_t pte = swp_entry_to_pte(e);

			assert_true(is_swap_pte(pte));
			assert_false(pte_val(pte) & _PAGE_PRESENT);
			assert_int_equal(pte_to_swp_entry(pte).val, e.val);
		}
	}
	assert_false(is_swap_pte(__pte(0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mkswap_header_matches_util_linux, setup, teardown),
		cmocka_unit_test_setup_teardown(swapon_accepts_a_file_made_by_util_linux, setup,
						teardown),
		cmocka_unit_test_setup_teardown(proc_swaps_matches_linux_format, setup, teardown),
		cmocka_unit_test_setup_teardown(default_priorities_count_down_from_minus_two, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_areas_are_refused_with_linux_errno, setup,
						teardown),
		cmocka_unit_test_setup_teardown(slots_come_from_the_highest_priority_area, setup,
						teardown),
		cmocka_unit_test_setup_teardown(slots_fill_a_cluster_in_order_then_run_out, setup,
						teardown),
		cmocka_unit_test_setup_teardown(cpus_take_slots_from_their_own_clusters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(use_counts_follow_duplicates_and_frees, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pages_round_trip_through_the_file, setup, teardown),
		cmocka_unit_test(swap_ptes_encode_type_and_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
