/*
 * cli_boot.c - the machine options every subcommand that boots a machine shares
 * (--ram, --cpus, --levels, --page-size, --reserve, --min-free-kbytes, --seed,
 * --policy):
 * one parser, so `tuxmm boot` and `tuxmm report` read them alike.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

const struct option cli_boot_options[] = {
	{ "ram", required_argument, NULL, 'r' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "levels", required_argument, NULL, 'l' },
	{ "page-size", required_argument, NULL, 'p' },
	{ "reserve", required_argument, NULL, 'R' },
	{ "min-free-kbytes", required_argument, NULL, 'k' },
	{ "seed", required_argument, NULL, 's' },
	{ "policy", required_argument, NULL, 'P' },
};
_Static_assert(sizeof(cli_boot_options) / sizeof(cli_boot_options[0]) == CLI_NR_BOOT_OPTIONS,
	       "CLI_NR_BOOT_OPTIONS counts cli_boot_options");

void cli_with_boot_options(struct option *out, const struct option *own, size_t n_own)
{
	memcpy(out, own, n_own * sizeof(*own));
	memcpy(out + n_own, cli_boot_options, sizeof(cli_boot_options));
	memset(out + n_own + CLI_NR_BOOT_OPTIONS, 0, sizeof(*out));
}

int cli_boot_option(const char *cmd, int opt, const char *arg, struct tuxmm_config *cfg)
{
	char err[TUXMM_ERRMSG_MAX];
	uint64_t v;

	switch (opt) {
	case 'r':
		if (!cli_parse_size(cmd, "--ram", arg, &cfg->ram_bytes))
			return EXIT_USAGE;
		if (cfg->ram_bytes < TUXMM_RAM_MIN || cfg->ram_bytes > TUXMM_RAM_MAX)
			return cli_error(cmd, "--ram %s is out of range: give 4M to 1T", arg);
		return EXIT_OK;
	case 'c':
		if (!cli_parse_uint(cmd, "--cpus", arg, TUXMM_MAX_CPUS, &v))
			return EXIT_USAGE;
		if (!v)
			return cli_error(cmd, "--cpus must be at least 1");
		cfg->nr_cpus = (unsigned int)v;
		return EXIT_OK;
	case 'l':
		if (strlen(arg) != 1 || arg[0] < '2' || arg[0] > '5')
			return cli_error(cmd, "--levels %s: give 2, 3, 4 or 5", arg);
		cfg->pgtable_levels = (unsigned int)(arg[0] - '0');
		return EXIT_OK;
	case 'p':
		if (!cli_parse_size(cmd, "--page-size", arg, &v))
			return EXIT_USAGE;
		if (v != 4096 && v != 16384 && v != 65536)
			return cli_error(cmd, "--page-size %s: give 4K, 16K or 64K", arg);
		cfg->page_shift = (unsigned int)__builtin_ctzll(v);
		return EXIT_OK;
	case 'R':
		if (cfg->nr_reserve >= TUXMM_MAX_RESERVE)
			return cli_error(cmd, "at most %d --reserve options", TUXMM_MAX_RESERVE);
		if (tuxmm_parse_reservation(arg, &cfg->reserve[cfg->nr_reserve], err))
			return cli_error(cmd, "%s", err);
		cfg->nr_reserve++;
		return EXIT_OK;
	case 'k':
		if (!cli_parse_uint(cmd, "--min-free-kbytes", arg, 1UL << 30, &v))
			return EXIT_USAGE;
		cfg->min_free_kbytes = (unsigned long)v;
		return EXIT_OK;
	case 's':
		if (!cli_parse_uint(cmd, "--seed", arg, UINT64_MAX, &v))
			return EXIT_USAGE;
		cfg->seed = v;
		return EXIT_OK;
	case 'P':
		/* tuxmm_boot() checks the name and says which ones it takes. */
		cfg->policy = arg;
		return EXIT_OK;
	}
	return -1;
}
