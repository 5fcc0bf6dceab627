/*
 * cli.h - what the tuxmm subcommands share: exit codes and argument parsing
 * that turns a bad value into one line on stderr.
 */
#ifndef TUXMM_CLI_H
#define TUXMM_CLI_H

#include <getopt.h>
#include <stdint.h>

#include <tuxmm/tuxmm.h>

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the run itself failed (a scenario, a boot) */
	EXIT_USAGE = 2,		/* bad command line */
};

/* cli_error - print "tuxmm CMD: message" on stderr; returns EXIT_USAGE. */
int cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse option values; on failure print one line and return false. */
bool cli_parse_size(const char *cmd, const char *opt, const char *arg, uint64_t *out);
bool cli_parse_uint(const char *cmd, const char *opt, const char *arg, uint64_t max,
		    uint64_t *out);

/* cli_print_proc - print a /proc file of @m to stdout; false (with a message) if unknown. */
bool cli_print_proc(const char *cmd, struct machine *m, const char *path);

/*
 * The machine options shared by subcommands that boot (--ram, --cpus, --levels,
 * --page-size, --reserve, --min-free-kbytes, --seed), as getopt_long entries, and their
 * parser: cli_boot_option() applies option @opt (its short code) to @cfg and returns
 * EXIT_OK, EXIT_USAGE after printing why, or -1 when @opt is not one of them.
 */
extern const struct option cli_boot_options[];
int cli_boot_option(const char *cmd, int opt, const char *arg, struct tuxmm_config *cfg);
/*
 * cli_with_boot_options - @out gets a command's own @n_own options, then the machine
 * options, then the all-zero end: room for n_own + CLI_NR_BOOT_OPTIONS + 1 entries.
 */
#define CLI_NR_BOOT_OPTIONS 8
void cli_with_boot_options(struct option *out, const struct option *own, size_t n_own);

/*
 * cli_run_scenario - run Lua file argv[@script] in @L (the module tuxmm loaded) with `arg`
 * and `...` from the rest of @argv, as `tuxmm run` does: EXIT_OK, or EXIT_FAIL after
 * printing "tuxmm CMD: error with traceback".
 */
struct lua_State;
int cli_run_scenario(const char *cmd, struct lua_State *L, int argc, char **argv, int script);

int cmd_boot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_mkswap(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_trace_convert(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
