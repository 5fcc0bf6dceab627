/*
 * cmd_trace_convert.c - `tuxmm trace-convert IN OUT`: rewrite a memory trace (lackey,
 * classic, csc369 or binary, gzip'd or not) as tuxmm binary, classic or lackey text.
 * Exit status: 0 converted, 1 unreadable or malformed input or failed output, 2 bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trace.h"

static void trace_convert_usage(void)
{
	printf(
		"usage: tuxmm trace-convert IN OUT [--format binary|classic|lackey] [--gzip]\n"
		"\n"
		"Convert a memory-access trace. IN is read in any format tuxmm knows, detected\n"
		"from its content: a valgrind lackey log (valgrind --tool=lackey\n"
		"--trace-mem=yes), classic 'ADDRESS R|W' lines, CSC369 'I|L|S|M ADDRESS' lines\n"
		"or tuxmm binary, each possibly gzip-compressed. '-' is standard input or output.\n"
		"\n"
		"  -f, --format FMT   binary (default: compact, fast to replay), classic (fetches\n"
		"                     become R, sizes are dropped) or lackey (keeps everything)\n"
		"  -z, --gzip         compress the output (implied when OUT ends in .gz)\n"
		"  -q, --quiet        no summary on stderr\n"
		"  -h, --help         this help\n"
		"\n"
		"\n"
		"exit status: 0 converted, 1 unreadable or malformed input or failed output,\n"
		"2 bad usage\n"
		"\n"
		"example: tuxmm trace-convert ls.trace.gz ls.tuxtrace\n");
}

int cmd_trace_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum trace_format fmt = TRACE_FMT_BINARY;
	char err[TUXMM_ERRMSG_MAX];
	unsigned int flags = 0;
	struct trace_stats st;
	const char *in, *out;
	bool quiet = false;
	size_t len;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:zqh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (trace_format_parse(optarg, &fmt) ||
			    (fmt != TRACE_FMT_BINARY && fmt != TRACE_FMT_CLASSIC &&
			     fmt != TRACE_FMT_LACKEY))
				return cli_error("trace-convert",
						 "--format '%s': give binary, classic or lackey",
						 optarg);
			break;
		case 'z':
			flags |= TRACE_WRITE_GZIP;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			trace_convert_usage();
			return EXIT_OK;
		case ':':
			return cli_error("trace-convert", "%s needs a value", argv[optind - 1]);
		default:
			return cli_error("trace-convert",
					 "unknown option '%s' (try tuxmm trace-convert --help)",
					 argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_error("trace-convert", "expected IN OUT, got %d argument%s",
				 argc - optind, argc - optind == 1 ? "" : "s");
	in = argv[optind];
	out = argv[optind + 1];
	len = strlen(out);
	if (len > 3 && !strcmp(out + len - 3, ".gz"))
		flags |= TRACE_WRITE_GZIP;
	ret = trace_convert(in, out, fmt, flags, &st, err);
	if (ret) {
		fprintf(stderr, "tuxmm trace-convert: %s\n", err);
		return EXIT_FAIL;
	}
	if (!quiet) {
		fprintf(stderr, "tuxmm trace-convert: %llu accesses (%llu loads, %llu stores, "
			"%llu fetches) written as %s%s", (unsigned long long)st.nr_accesses,
			(unsigned long long)st.nr_kind[TRACE_LOAD],
			(unsigned long long)st.nr_kind[TRACE_STORE],
			(unsigned long long)st.nr_kind[TRACE_IFETCH], trace_format_name(fmt),
			flags & TRACE_WRITE_GZIP ? " (gzip)" : "");
		if (st.nr_skipped)
			fprintf(stderr, "; %llu lines skipped (%llu not valgrind's)",
				(unsigned long long)st.nr_skipped,
				(unsigned long long)st.nr_foreign);
		fputc('\n', stderr);
	}
	return EXIT_OK;
}
