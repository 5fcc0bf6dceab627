/*
 * cmd_report.c - `tuxmm report`: boot a machine (or run a Lua scenario) and draw it as a
 * self-contained HTML page and/or SVG files: tasks' virtual memory and page tables,
 * physical memory by zone, swap, and miss-ratio curves from a sweep (docs/report.md).
 * Exit status: 0 drawn, 1 when the scenario or the drawing fails, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "cli.h"
#include "report_gen.h"
#include "tuxmm_lua.h"

#define MAX_MACHINES 16

static void report_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm report [OPTIONS] -o FILE.html [--svg DIR]\n"
		"       tuxmm report [OPTIONS] SCENARIO.lua [ARGS...] -o FILE.html [--svg DIR]\n"
		"\n"
		"Draw a machine as a self-contained HTML page (inline SVG; no script, nothing\n"
		"fetched from the network) and/or one SVG file per picture:\n"
		"  - each task's virtual memory: its areas with permissions, backing and resident\n"
		"    share, the kernel half shown protected, the vm_area_struct chain;\n"
		"  - its page-table tree for chosen addresses: CR3 -> PGD -> ... -> PTE -> frame;\n"
		"  - physical memory by zone: what owns each frame, the buddy allocator's free\n"
		"    blocks by order;\n"
		"  - the swap areas' slot maps; and miss-ratio curves from a sweep (--curves).\n"
		"\n"
		"Without SCENARIO a machine is booted from the options below (with no task,\n"
		"the kernel's own page tables are drawn). With SCENARIO.lua, the scenario runs\n"
		"as under `tuxmm run` and every machine it booted and did not close is drawn\n"
		"when it ends. ARGS that begin with '-' go after `--`.\n"
		"\n"
		"  -o, --output FILE        write the HTML report to FILE\n"
		"      --svg DIR            write each picture as DIR/NAME.svg (DIR is created)\n"
		"      --pid N              draw task N (repeatable; default: every task, at\n"
		"                           most 8)\n"
		"      --addr ADDR          walk ADDR in the page tables (repeatable; default:\n"
		"                           the first resident page of each area)\n"
		"      --curves FILE.csv    add miss-ratio curves from the output of\n"
		"                           `tuxmm trace --sweep --csv`\n"
		"      --title TEXT         the page's title (default \"tuxmm report\")\n"
		"  machine options, without SCENARIO (as `tuxmm boot`):\n"
		"      --ram SIZE  --cpus N  --levels N  --page-size SIZE\n"
		"      --reserve NAME:SIZE[@ADDR]  --min-free-kbytes N  --seed N  --policy NAME\n"
		"  -h, --help               this help\n"
		"\n"
		"examples:\n"
		"  tuxmm report --ram 128M --reserve camera:4M -o boot.html\n"
		"  tuxmm report examples/fork-cow.lua -o build/report.html --svg build/report\n"
		"  tuxmm trace --sweep 4:64 --policy all --csv t.trace > s.csv &&\n"
		"    tuxmm report --curves s.csv -o curves.html\n"
		"\n"
		"exit status: 0 when the report is written, 1 when the scenario or the drawing\n"
		"fails, 2 for bad usage\n");
}

/* run_scenario - run argv[@script] and draw the machines it left open. */
static int run_scenario(int argc, char **argv, int script, const struct report_opts *opts,
			const char *out, const char *svg)
{
	struct machine *machines[MAX_MACHINES];
	char err[TUXMM_ERRMSG_MAX] = "";
	unsigned int nr;
	lua_State *L;
	FILE *f;
	int ret;

	f = fopen(argv[script], "r");
	if (!f)
		return cli_error("report", "%s: %s", argv[script], strerror(errno));
	fclose(f);
	L = luaL_newstate();
	if (!L)
		return cli_error("report", "out of host memory");
	luaL_openlibs(L);
	luaL_requiref(L, "tuxmm", luaopen_tuxmm, 1);
	lua_pop(L, 1);
	tlua_track_boots(L);
	ret = cli_run_scenario("report", L, argc, argv, script);
	fflush(stdout);
	if (ret == EXIT_OK) {
		nr = tlua_booted_machines(L, machines, MAX_MACHINES);
		if (!nr) {
			fprintf(stderr, "tuxmm report: %s left no machine to draw (it booted none, "
				"or closed them)\n", argv[script]);
			ret = EXIT_FAIL;
		} else if (draw_report(machines, nr, opts, out, svg, err)) {
			fprintf(stderr, "tuxmm report: %s\n", err);
			ret = EXIT_FAIL;
		}
	}
	lua_close(L);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	enum { OPT_SVG = 256, OPT_PID, OPT_ADDR, OPT_CURVES, OPT_TITLE };
	static const struct option own[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "addr", required_argument, NULL, OPT_ADDR },
		{ "curves", required_argument, NULL, OPT_CURVES },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option opts[sizeof(own) / sizeof(own[0]) + CLI_NR_BOOT_OPTIONS + 1];
	char err[TUXMM_ERRMSG_MAX] = "";
	struct report_opts ro;
	struct tuxmm_config cfg;
	const char *out = NULL, *svg = NULL;
	bool boot_opts = false;
	struct machine *m;
	uint64_t v;
	int opt, ret;

	cli_with_boot_options(opts, own, sizeof(own) / sizeof(own[0]));
	memset(&ro, 0, sizeof(ro));
	tuxmm_config_init(&cfg);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case OPT_SVG:
			svg = optarg;
			break;
		case OPT_PID:
			if (ro.nr_pids == REPORT_MAX_PIDS)
				return cli_error("report", "at most %d --pid options", REPORT_MAX_PIDS);
			if (!cli_parse_uint("report", "--pid", optarg, INT32_MAX, &v))
				return EXIT_USAGE;
			ro.pids[ro.nr_pids++] = (int)v;
			break;
		case OPT_ADDR:
			if (ro.nr_addrs == REPORT_MAX_ADDRS)
				return cli_error("report", "at most %d --addr options",
						 REPORT_MAX_ADDRS);
			if (!cli_parse_uint("report", "--addr", optarg, UINT64_MAX,
					    &ro.addrs[ro.nr_addrs]))
				return EXIT_USAGE;
			ro.nr_addrs++;
			break;
		case OPT_CURVES: {
			FILE *f = fopen(optarg, "r");

			if (!f)
				return cli_error("report", "--curves %s: %s", optarg, strerror(errno));
			fclose(f);
			ro.curves_csv = optarg;
			break;
		}
		case OPT_TITLE:
			ro.title = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return EXIT_OK;
		case ':':
			return cli_error("report", "%s needs a value", argv[optind - 1]);
		default:
			ret = cli_boot_option("report", opt, optarg, &cfg);
			if (ret >= 0) {
				if (ret)
					return ret;
				boot_opts = true;
				break;
			}
			return cli_error("report", "unknown option '%s' (try tuxmm report --help)",
					 argv[optind - 1]);
		}
	}
	if (!out && !svg)
		return cli_error("report", "give -o FILE.html and/or --svg DIR");
	if (optind < argc) {
		if (boot_opts)
			return cli_error("report", "machine options (--ram, ...) apply without a "
					 "scenario: %s boots its own machines", argv[optind]);
		return run_scenario(argc, argv, optind, &ro, out, svg);
	}

	ret = tuxmm_boot(&cfg, &m, err);
	if (ret)
		return cli_error("report", "%s", err);
	ret = draw_report(&m, 1, &ro, out, svg, err);
	tuxmm_machine_destroy(m);
	if (ret) {
		fprintf(stderr, "tuxmm report: %s\n", err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
