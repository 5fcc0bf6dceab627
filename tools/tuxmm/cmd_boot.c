/*
 * cmd_boot.c - `tuxmm boot`: boot a machine from command-line options, print
 * its boot log and the /proc files asked for.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SHOW 32

static void boot_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm boot [OPTIONS]\n"
		"\n"
		"Boot a simulated machine and print its boot log (like dmesg) and /proc files.\n"
		"\n"
		"  --ram SIZE               RAM size, like Linux's mem=: 64M (default), 1G, 65536K\n"
		"  --cpus N                 number of CPUs (default 1, at most %d)\n"
		"  --levels N               page-table levels: 2, 3, 4 (default) or 5\n"
		"  --page-size SIZE         4K (default), 16K or 64K\n"
		"  --reserve NAME:SIZE[@ADDR]\n"
		"                           reserve a contiguous area at boot, at ADDR or wherever\n"
		"                           it fits (repeatable; shown in /proc/iomem)\n"
		"  --min-free-kbytes N      override vm.min_free_kbytes\n"
		"  --seed N                 seed for every random choice (default 1)\n"
		"  --policy NAME            page-out policy choosing what kswapd and direct reclaim\n"
		"                           evict: linux (default: its active/inactive lists),\n"
		"                           clock, fifo, lru (exact, as far as accessed bits tell)\n"
		"                           or random (opt needs the future: tuxmm trace --frames)\n"
		"  --show PATH              print a /proc file after boot (repeatable; 'all' for every file)\n"
		"  --walk ADDR              print the page-table walk of virtual address ADDR in the\n"
		"                           kernel's tables: each level's index, entry and flags\n"
		"                           (repeatable; e.g. 0xffff888000001000, the direct map)\n"
		"  --quiet                  do not print the boot log\n"
		"  -h, --help               this help\n"
		"\n"
		"exit status: 0 booted, 1 the machine could not be shown, 2 bad usage (including\n"
		"a configuration that cannot boot)\n"
		"\n"
		"example: tuxmm boot --ram 64M --reserve camera:4M --show /proc/buddyinfo\n",
		TUXMM_MAX_CPUS);
}

int cmd_boot(int argc, char **argv)
{
	static const struct option own[] = {
		{ "show", required_argument, NULL, 'S' },
		{ "walk", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option opts[sizeof(own) / sizeof(own[0]) + CLI_NR_BOOT_OPTIONS + 1];
	const char *show[MAX_SHOW];
	unsigned int nr_show = 0, nr_walk = 0;
	uint64_t walk[MAX_SHOW];
	char err[TUXMM_ERRMSG_MAX];
	struct tuxmm_config cfg;
	struct machine *m;
	bool quiet = false, ok = true;
	int opt, ret;

	cli_with_boot_options(opts, own, sizeof(own) / sizeof(own[0]));
	tuxmm_config_init(&cfg);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
		switch (opt) {
		case 'S':
			if (nr_show >= MAX_SHOW)
				return cli_error("boot", "at most %d --show options", MAX_SHOW);
			show[nr_show++] = optarg;
			break;
		case 'w':
			if (nr_walk >= MAX_SHOW)
				return cli_error("boot", "at most %d --walk options", MAX_SHOW);
			if (!cli_parse_uint("boot", "--walk", optarg, UINT64_MAX, &walk[nr_walk]))
				return EXIT_USAGE;
			nr_walk++;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			boot_usage(stdout);
			return EXIT_OK;
		case ':':
			return cli_error("boot", "%s needs a value", argv[optind - 1]);
		default:
			ret = cli_boot_option("boot", opt, optarg, &cfg);
			if (ret >= 0) {
				if (ret)
					return ret;
				break;
			}
			return cli_error("boot", "unknown option '%s' (try tuxmm boot --help)",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_error("boot", "unexpected argument '%s'", argv[optind]);
	for (unsigned int i = 0; i < nr_show; i++) {
		size_t j = 0;

		while (tuxmm_proc_path(j) && strcmp(tuxmm_proc_path(j), show[i]))
			j++;
		if (!tuxmm_proc_path(j) && strcmp(show[i], "all")) {
			fprintf(stderr, "tuxmm boot: --show %s: no such file; tuxmm provides: all",
				show[i]);
			for (j = 0; tuxmm_proc_path(j); j++)
				fprintf(stderr, " %s", tuxmm_proc_path(j));
			fputc('\n', stderr);
			return EXIT_USAGE;
		}
	}

	ret = tuxmm_boot(&cfg, &m, err);
	if (ret)
		return cli_error("boot", "%s", err);
	if (!quiet)
		fputs(tuxmm_dmesg(m), stdout);
	for (unsigned int i = 0; i < nr_show && ok; i++) {
		if (!strcmp(show[i], "all")) {
			for (size_t j = 0; tuxmm_proc_path(j) && ok; j++) {
				printf("\n==> %s <==\n", tuxmm_proc_path(j));
				ok = cli_print_proc("boot", m, tuxmm_proc_path(j));
			}
			continue;
		}
		if (nr_show > 1 || !quiet)
			printf("\n==> %s <==\n", show[i]);
		ok = cli_print_proc("boot", m, show[i]);
	}
	for (unsigned int i = 0; i < nr_walk && ok; i++) {
		char *text;

		if (tuxmm_pgtable_walk(m, walk[i], &text, NULL)) {
			ok = false;
			fprintf(stderr, "tuxmm boot: out of host memory for the walk\n");
			break;
		}
		if (nr_show || nr_walk > 1 || !quiet)
			putchar('\n');
		fputs(text, stdout);
		free(text);
	}
	tuxmm_machine_destroy(m);
	return ok ? EXIT_OK : EXIT_FAIL;
}
