/*
 * cmd_mkswap.c - `tuxmm mkswap FILE SIZE`: make a swap file as util-linux's
 * mkswap does, for machines with 4K, 16K or 64K pages.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void mkswap_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm mkswap [--page-size 4K|16K|64K] [--seed N] FILE SIZE\n"
		"\n"
		"Create (or truncate) FILE as a swap area of SIZE (like 64M), with the\n"
		"header util-linux's mkswap writes, for machines with that page size\n"
		"(default 4K). Then boot with it, e.g. from Lua: m:swapon(\"FILE\").\n"
		"\n"
		"  --page-size SIZE   the page size of the machines that will use it: 4K\n"
		"                     (default), 16K or 64K\n"
		"  --seed N           seed of the area's UUID (default 1)\n"
		"  -h, --help         this help\n"
		"\n"
		"example: tuxmm mkswap /tmp/swap 64M\n");
}

int cmd_mkswap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "page-size", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[TUXMM_ERRMSG_MAX];
	uint64_t size, page_size = 4096, seed = 1;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!cli_parse_size("mkswap", "--page-size", optarg, &page_size))
				return EXIT_USAGE;
			if (page_size != 4096 && page_size != 16384 && page_size != 65536)
				return cli_error("mkswap", "--page-size %s: give 4K, 16K or 64K",
						 optarg);
			break;
		case 's':
			if (!cli_parse_uint("mkswap", "--seed", optarg, UINT64_MAX, &seed))
				return EXIT_USAGE;
			break;
		case 'h':
			mkswap_usage(stdout);
			return EXIT_OK;
		case ':':
			return cli_error("mkswap", "%s needs a value", argv[optind - 1]);
		default:
			return cli_error("mkswap", "unknown option '%s' (try tuxmm mkswap --help)",
					 argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_error("mkswap", "expected FILE SIZE, got %d argument%s",
				 argc - optind, argc - optind == 1 ? "" : "s");
	if (!cli_parse_size("mkswap", "SIZE", argv[optind + 1], &size))
		return EXIT_USAGE;
	ret = tuxmm_mkswap(argv[optind], size, (unsigned int)page_size, seed, err);
	if (ret)
		return cli_error("mkswap", "%s", err);
	printf("Setting up swapspace version 1, size = %llu KiB (%llu bytes)\n",
	       (unsigned long long)((size / page_size - 1) * page_size >> 10),
	       (unsigned long long)((size / page_size - 1) * page_size));
	return EXIT_OK;
}
