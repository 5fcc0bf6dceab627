/*
 * main.c - the tuxmm command: dispatch to a subcommand, --help, --version.
 * Exit status: 0 on success, 1 when the run fails, 2 for bad usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "boot", cmd_boot, "boot a machine, print its boot log and /proc files" },
	{ "run", cmd_run, "run a Lua scenario (tuxmm run FILE.lua [ARGS...])" },
	{ "shell", cmd_shell, "an interactive shell on a booted machine (Lua + commands)" },
	{ "mkswap", cmd_mkswap, "make a swap file (tuxmm mkswap FILE SIZE)" },
	{ "trace", cmd_trace, "replay memory traces: faults per page-out policy and frame count" },
	{ "trace-convert", cmd_trace_convert, "convert a memory trace (lackey, classic, binary)" },
	{ "report", cmd_report, "draw a machine or a scenario's machines as HTML/SVG pictures" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm COMMAND [OPTIONS]\n"
		"\n"
		"tuxmm is the Linux memory-management system in user space: a simulated\n"
		"machine with Linux's page allocator, slab, page tables, demand paging,\n"
		"copy-on-write, swap and reclaim, with its /proc files.\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"  tuxmm COMMAND --help   options of one command (or tuxmm help COMMAND)\n"
		"  tuxmm --version        print the version\n"
		"\n"
		"exit status: 0 on success, 1 when the command or scenario fails, 2 for bad usage.\n"
		"The manual: man -l docs/tuxmm.1\n");
}

int cli_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One line; the hint where to look next, unless the message already gives it. */
	if (strstr(msg, "--help"))
		fprintf(stderr, "tuxmm %s: %s\n", cmd, msg);
	else
		fprintf(stderr, "tuxmm %s: %s (try tuxmm %s --help)\n", cmd, msg, cmd);
	return EXIT_USAGE;
}

bool cli_parse_size(const char *cmd, const char *opt, const char *arg, uint64_t *out)
{
	int ret = tuxmm_parse_size(arg, out);

	if (ret == -ERANGE) {
		cli_error(cmd, "%s '%s' is too large", opt, arg);
		return false;
	}
	if (ret) {
		cli_error(cmd, "%s '%s' is not a size (like 64M, 1G, 65536K or 4096)", opt, arg);
		return false;
	}
	return true;
}

bool cli_parse_uint(const char *cmd, const char *opt, const char *arg, uint64_t max,
		    uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (!*arg || *end || errno || arg[0] == '-') {
		cli_error(cmd, "%s '%s' is not a whole number", opt, arg);
		return false;
	}
	if (v > max) {
		cli_error(cmd, "%s %llu is too large (at most %llu)", opt, v,
			  (unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

bool cli_print_proc(const char *cmd, struct machine *m, const char *path)
{
	char *text;
	size_t len;
	int ret = tuxmm_proc_read(m, path, &text, &len);

	if (ret == -ENOENT) {
		fprintf(stderr, "tuxmm %s: %s: no such file; tuxmm provides:", cmd, path);
		for (size_t i = 0; tuxmm_proc_path(i); i++)
			fprintf(stderr, " %s", tuxmm_proc_path(i));
		fputc('\n', stderr);
		return false;
	}
	if (ret) {
		fprintf(stderr, "tuxmm %s: %s: %s\n", cmd, path, strerror(-ret));
		return false;
	}
	fwrite(text, 1, len, stdout);
	free(text);
	return true;
}

/* find_command - the table entry named @name, or -1. */
static int find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return (int)i;
	return -1;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* `tuxmm help COMMAND` is `tuxmm COMMAND --help`. */
	if (!strcmp(argv[1], "help") && argc > 2) {
		char *help_argv[] = { argv[2], "--help", NULL };

		if (argc > 3) {
			fprintf(stderr, "tuxmm help: give one command (try tuxmm --help)\n");
			return EXIT_USAGE;
		}
		i = find_command(argv[2]);
		if (i < 0) {
			fprintf(stderr, "tuxmm help: unknown command '%s' (try tuxmm --help)\n",
				argv[2]);
			return EXIT_USAGE;
		}
		return commands[i].run(2, help_argv);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("tuxmm %s\n", tuxmm_version());
		return EXIT_OK;
	}
	i = find_command(argv[1]);
	if (i >= 0)
		return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tuxmm: unknown command '%s' (try tuxmm --help)\n", argv[1]);
	return EXIT_USAGE;
}
