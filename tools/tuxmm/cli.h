/*
 * cli.h - what the tuxmm subcommands share: exit codes and argument parsing
 * that turns a bad value into one line on stderr.
 */
#ifndef TUXMM_CLI_H
#define TUXMM_CLI_H

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

int cmd_boot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_mkswap(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_trace_convert(int argc, char **argv);

#endif
