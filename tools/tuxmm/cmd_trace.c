/*
 * cmd_trace.c - `tuxmm trace [OPTIONS] FILE...`: replay memory traces through a
 * simulated machine and count faults, page-ins, write-backs and TLB hits per
 * page-out policy and frame count (a miss-ratio curve with --sweep), or inside a real
 * executable's exec'd address space (--exec PROG).
 * Exit status: 0 replayed, 1 unreadable or malformed trace or failed run, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_POLICIES 16

enum output { OUT_TABLE, OUT_CSV, OUT_JSON };

static void trace_usage(FILE *out)
{
	fprintf(out,
		"usage: tuxmm trace [OPTIONS] FILE...\n"
		"       tuxmm trace --exec PROG [OPTIONS] [--] FILE...\n"
		"\n"
		"Replay memory traces through a simulated machine: one task performs every\n"
		"access through its TLB, page walks and page faults, into areas made on first\n"
		"touch. FILE is a valgrind lackey log (valgrind --tool=lackey --trace-mem=yes),\n"
		"classic 'ADDRESS R|W' lines, CSC369 'I|L|S|M ADDRESS' lines or tuxmm binary,\n"
		"possibly gzip-compressed ('-' is standard input). An access crossing a page\n"
		"boundary references both pages; a lackey M is a load then a store.\n"
		"\n"
		"  -f, --frames N        cap the task at N resident pages: a fault that finds the\n"
		"                        cap reached evicts the page the policy chooses, writing\n"
		"                        it back if it was written (without a cap: no evictions;\n"
		"                        at most 64 GiB of frames)\n"
		"  -s, --sweep FROM:TO[:STEP]\n"
		"                        one run per frame count FROM, FROM+STEP, ... TO (STEP 1)\n"
		"  -p, --policy NAME     linux (default), clock, fifo, lru, random, opt; repeat\n"
		"                        it or give a comma list, or 'all'\n"
		"  -P, --page-size SIZE  4K (default), 16K or 64K\n"
		"  -r, --ram SIZE        no cap: run the whole machine with SIZE of RAM instead,\n"
		"                        the trace in anonymous memory (zero page, copy on\n"
		"                        write), a swap file as large as its footprint, kswapd\n"
		"                        and direct reclaim under the watermarks choosing by\n"
		"                        --policy (not opt); page_ins = pswpin, writebacks =\n"
		"                        pswpout, page_outs = pages reclaimed\n"
		"  -x, --exec PROG       exec the host's ELF executable PROG first (Linux's layout,\n"
		"                        ASLR off) and replay inside its address space: its text\n"
		"                        and data through the page cache, copy on write, its\n"
		"                        stack; other addresses get anonymous areas. Accesses\n"
		"                        its permissions forbid are counted as segv and skipped\n"
		"                        (no cap: not with --frames/--sweep; --ram works)\n"
		"      --seed N          the machine's and the random policy's seed (0)\n"
		"      --csv             CSV with a header line instead of a table\n"
		"      --json            a JSON array, one object per line per run\n"
		"  -q, --quiet           no progress bar (shown on a terminal for long traces)\n"
		"  -h, --help            this help\n"
		"\n"
		"Each run (a FILE, a policy, a frame count) gives: references (page references),\n"
		"faults (references finding their page not resident), minor_faults (first\n"
		"touches), major_faults (pages read back), writebacks (pages written while\n"
		"resident that left memory; still dirty at the end: not counted), page_ins,\n"
		"page_outs, tlb_hit_rate. CSV columns: policy,frames,references,faults,\n"
		"minor_faults,major_faults,writebacks,tlb_hit_rate,page_size,accesses,page_ins,\n"
		"page_outs,distinct_pages,miss_ratio,trace; with --exec, segv (accesses the\n"
		"areas' permissions forbade), file_pages and anon_pages (resident at the end)\n"
		"come before trace.\n"
		"\n"
		"examples:\n"
		"  tuxmm trace --frames 64 --policy all shared/traces/thain-bzip.trace.gz\n"
		"  tuxmm trace --sweep 8:256:8 --policy lru,opt --csv gcc.trace.gz > mrc.csv\n"
		"  tuxmm trace --ram 8M --policy linux,fifo shared/traces/thain-gcc.trace.gz\n"
		"  tuxmm trace --exec /bin/true true.trace\n");
}

struct trace_cli {
	const char *policies[MAX_POLICIES];
	unsigned int nr_policies;
	uint64_t from, to, step;	/* frame counts; from 0: no cap */
	struct tuxmm_replay_opts opts;
	enum output out;
	bool progress;
	unsigned int nr_rows;
};

static int add_policies(struct trace_cli *c, char *list)
{
	char names[128] = "";

	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		bool known = !strcmp(name, "all");

		for (size_t i = 0; !known && tuxmm_policy_name(i); i++)
			known = !strcmp(name, tuxmm_policy_name(i));
		if (!known) {
			for (size_t i = 0, n = 0; tuxmm_policy_name(i) && n < sizeof(names); i++)
				n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
						      i ? ", " : "", tuxmm_policy_name(i));
			return cli_error("trace", "unknown policy '%s' (known: %s, or all)", name,
					 names);
		}
		if (!strcmp(name, "all")) {
			for (size_t i = 0; tuxmm_policy_name(i) && c->nr_policies < MAX_POLICIES; i++)
				c->policies[c->nr_policies++] = tuxmm_policy_name(i);
			continue;
		}
		if (c->nr_policies == MAX_POLICIES)
			return cli_error("trace", "at most %d policies", MAX_POLICIES);
		c->policies[c->nr_policies++] = name;
	}
	return EXIT_OK;
}

static int parse_sweep(struct trace_cli *c, const char *arg)
{
	unsigned long long v[3] = { 0, 0, 1 };
	int n = 0, used = 0;

	if (arg[0] == '-' || sscanf(arg, "%llu:%llu%n", &v[0], &v[1], &used) < 2)
		goto bad;
	n = used;
	if (arg[n] == ':' && (arg[n + 1] == '-' || sscanf(arg + n + 1, "%llu%n", &v[2], &used) < 1))
		goto bad;
	if (arg[n] == ':')
		n += 1 + used;
	if (arg[n])
		goto bad;
	if (!v[0] || v[1] < v[0] || !v[2])
		return cli_error("trace", "--sweep %s: need 1 <= FROM <= TO and STEP >= 1", arg);
	c->from = v[0];
	c->to = v[1];
	c->step = v[2];
	return EXIT_OK;
bad:
	return cli_error("trace", "--sweep '%s': give FROM:TO or FROM:TO:STEP (frame counts)",
			 arg);
}

static int parse_page_size(struct trace_cli *c, const char *arg)
{
	uint64_t bytes;

	if (tuxmm_parse_size(arg, &bytes) ||
	    (bytes != 4096 && bytes != 16384 && bytes != 65536))
		return cli_error("trace", "--page-size '%s': give 4K, 16K or 64K", arg);
	c->opts.page_shift = bytes == 4096 ? 12 : bytes == 16384 ? 14 : 16;
	return EXIT_OK;
}

/* ---- the progress bar ---- */

struct progress {
	const char *what;
	uint64_t total;			/* accesses, when a previous run counted them; else 0 */
	uint64_t file_bytes;		/* an uncompressed file's size; else 0 */
	struct timespec start;
	bool shown;
};

/* plain_file_size - the size of @path if it is a regular file not gzip'd, else 0. */
static uint64_t plain_file_size(const char *path)
{
	unsigned char magic[2] = { 0 };
	struct stat st;
	FILE *f;

	if (!strcmp(path, "-") || stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	if (fread(magic, 1, 2, f) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b))
		st.st_size = 0;
	fclose(f);
	return (uint64_t)st.st_size;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, uint64_t done, uint64_t bytes)
{
	struct progress *p = ctx;
	double s = seconds_since(&p->start), rate = s > 0 ? (double)done / s : 0;
	double frac = -1;

	p->shown = true;
	if (p->total && done <= p->total)
		frac = (double)done / (double)p->total;
	else if (p->file_bytes && bytes <= p->file_bytes)
		frac = (double)bytes / (double)p->file_bytes;
	if (frac >= 0) {
		int width = 30, fill = (int)((double)width * frac);

		fprintf(stderr, "\r%s [%.*s%*s] %3.0f%% %.1fM acc/s ETA %.0fs\033[K", p->what, fill,
			"##############################", width - fill, "", 100.0 * frac,
			rate / 1e6, frac > 0 ? s * (1 - frac) / frac : 0);
	} else {
		fprintf(stderr, "\r%s %.1fM accesses, %.1fM acc/s\033[K", p->what,
			(double)done / 1e6, rate / 1e6);
	}
}

/* ---- output ---- */

static void print_header(const struct trace_cli *c)
{
	if (c->out == OUT_CSV)
		printf("policy,frames,references,faults,minor_faults,major_faults,writebacks,"
		       "tlb_hit_rate,page_size,accesses,page_ins,page_outs,distinct_pages,"
		       "miss_ratio,%strace\n", c->opts.exec ? "segv,file_pages,anon_pages," : "");
	else if (c->out == OUT_JSON)
		printf("[");
	else
		printf("%-24s %-7s %8s %12s %10s %10s %10s %10s %7s %7s%s\n", "trace", "policy",
		       "frames", "references", "faults", "minor", "major", "writebacks", "miss%",
		       "tlb_hit%", c->opts.exec ? "     segv file_pages anon_pages" : "");
}

/* json_string - @s as a JSON string body (quotes and backslashes escaped). */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_row(struct trace_cli *c, const char *file, const struct tuxmm_replay_result *r)
{
	double miss = r->references ? (double)r->faults / (double)r->references : 0;
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;

	/* The header comes with the first row: a run that fails first prints only its error. */
	if (!c->nr_rows)
		print_header(c);

	if (c->out == OUT_CSV) {
		printf("%s,%llu,%llu,%llu,%llu,%llu,%llu,%.6f,%lu,%llu,%llu,%llu,%llu,%.6f,", r->policy,
		       (unsigned long long)r->frames, (unsigned long long)r->references,
		       (unsigned long long)r->faults, (unsigned long long)r->minor_faults,
		       (unsigned long long)r->major_faults, (unsigned long long)r->writebacks,
		       r->tlb_hit_rate, r->page_size, (unsigned long long)r->accesses,
		       (unsigned long long)r->page_ins, (unsigned long long)r->page_outs,
		       (unsigned long long)r->distinct_pages, miss);
		if (c->opts.exec)
			printf("%llu,%llu,%llu,", (unsigned long long)r->segv,
			       (unsigned long long)r->file_pages, (unsigned long long)r->anon_pages);
		/* A file name with a comma or quote is quoted, as RFC 4180 says. */
		if (strpbrk(file, ",\"\n")) {
			putchar('"');
			for (const char *s = file; *s; s++)
				printf(*s == '"' ? "\"\"" : "%c", *s);
			printf("\"\n");
		} else {
			printf("%s\n", file);
		}
	} else if (c->out == OUT_JSON) {
		printf("%s\n{\"policy\":\"%s\",\"frames\":%llu,\"references\":%llu,\"faults\":%llu,"
		       "\"minor_faults\":%llu,\"major_faults\":%llu,\"writebacks\":%llu,"
		       "\"tlb_hit_rate\":%.6f,\"page_size\":%lu,\"accesses\":%llu,\"page_ins\":%llu,"
		       "\"page_outs\":%llu,\"distinct_pages\":%llu,\"miss_ratio\":%.6f,\"trace\":",
		       c->nr_rows ? "," : "", r->policy, (unsigned long long)r->frames,
		       (unsigned long long)r->references, (unsigned long long)r->faults,
		       (unsigned long long)r->minor_faults, (unsigned long long)r->major_faults,
		       (unsigned long long)r->writebacks, r->tlb_hit_rate, r->page_size,
		       (unsigned long long)r->accesses, (unsigned long long)r->page_ins,
		       (unsigned long long)r->page_outs, (unsigned long long)r->distinct_pages,
		       miss);
		json_string(file);
		printf(",\"format\":\"%s\"", r->format ? r->format : "");
		if (c->opts.exec) {
			printf(",\"segv\":%llu,\"file_pages\":%llu,\"anon_pages\":%llu,\"exec\":",
			       (unsigned long long)r->segv, (unsigned long long)r->file_pages,
			       (unsigned long long)r->anon_pages);
			json_string(c->opts.exec);
		}
		putchar('}');
	} else {
		char frames[24];

		if (r->frames)
			snprintf(frames, sizeof(frames), "%llu", (unsigned long long)r->frames);
		else
			snprintf(frames, sizeof(frames), "-");
		printf("%-24.24s %-7s %8s %12llu %10llu %10llu %10llu %10llu %7.3f %7.2f", base,
		       r->policy, frames, (unsigned long long)r->references,
		       (unsigned long long)r->faults, (unsigned long long)r->minor_faults,
		       (unsigned long long)r->major_faults, (unsigned long long)r->writebacks,
		       100 * miss, 100 * r->tlb_hit_rate);
		if (c->opts.exec)
			printf(" %8llu %10llu %10llu", (unsigned long long)r->segv,
			       (unsigned long long)r->file_pages, (unsigned long long)r->anon_pages);
		putchar('\n');
	}
	c->nr_rows++;
	fflush(stdout);
}

/* run_one - replay @file once with @policy at @frames; EXIT_OK or EXIT_FAIL. */
static int run_one(struct trace_cli *c, const char *file, const char *policy, uint64_t frames,
		   uint64_t *known_total)
{
	struct tuxmm_replay_opts o = c->opts;
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX], what[96];
	struct progress p = { .what = what, .total = *known_total };
	int ret;

	o.policy = policy;
	o.frames = frames;
	if (c->progress) {
		snprintf(what, sizeof(what), "%.40s %s %llu", file, frames ? policy : "",
			 (unsigned long long)frames);
		p.file_bytes = plain_file_size(file);
		clock_gettime(CLOCK_MONOTONIC, &p.start);
		o.progress = show_progress;
		o.progress_ctx = &p;
	}
	ret = tuxmm_replay(file, &o, &res, err);
	if (p.shown)
		fprintf(stderr, "\r\033[K");
	if (ret) {
		fprintf(stderr, "tuxmm trace: %s\n", err);
		return EXIT_FAIL;
	}
	*known_total = res.accesses;
	if (res.segv)
		fprintf(stderr, "tuxmm trace: %s:%llu: a %s at %#llx is not allowed in %s's areas "
			"(SIGSEGV, SEGV_ACCERR); counted as segv and skipped, as are all such (%llu)\n",
			file, (unsigned long long)res.segv_line, res.segv_access,
			(unsigned long long)res.segv_addr, c->opts.exec, (unsigned long long)res.segv);
	print_row(c, file, &res);
	return EXIT_OK;
}

static int run_file(struct trace_cli *c, const char *file)
{
	uint64_t total = 0;

	if (!c->from && !c->opts.ram_bytes)
		return run_one(c, file, c->policies[0], 0, &total);
	if (!c->from) {
		/* --ram: one run of the whole machine per policy. */
		for (unsigned int i = 0; i < c->nr_policies; i++) {
			int ret = run_one(c, file, c->policies[i], 0, &total);

			if (ret)
				return ret;
		}
		return EXIT_OK;
	}
	for (unsigned int i = 0; i < c->nr_policies; i++) {
		for (uint64_t f = c->from; f <= c->to; f += c->step) {
			int ret = run_one(c, file, c->policies[i], f, &total);

			if (ret)
				return ret;
			if (c->to - f < c->step)
				break;
		}
	}
	return EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "sweep", required_argument, NULL, 's' },
		{ "policy", required_argument, NULL, 'p' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "ram", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "exec", required_argument, NULL, 'x' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_cli c = { .out = OUT_TABLE, .step = 1 };
	bool quiet = false, frames_given = false, sweep_given = false, all_given = false;
	int opt, ret = EXIT_OK, nr_stdin = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:s:p:P:r:x:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_parse_uint("trace", "--frames", optarg, UINT32_MAX - 1, &c.from))
				return EXIT_USAGE;
			if (!c.from)
				return cli_error("trace", "--frames must be at least 1");
			c.to = c.from;
			c.step = 1;
			frames_given = true;
			break;
		case 's':
			if (parse_sweep(&c, optarg))
				return EXIT_USAGE;
			if (c.to > UINT32_MAX - 1)
				return cli_error("trace", "--sweep: at most %u frames", UINT32_MAX - 1);
			sweep_given = true;
			break;
		case 'p':
			if (add_policies(&c, optarg))
				return EXIT_USAGE;
			all_given |= !strcmp(optarg, "all");
			break;
		case 'P':
			if (parse_page_size(&c, optarg))
				return EXIT_USAGE;
			break;
		case 'r':
			if (!cli_parse_size("trace", "--ram", optarg, &c.opts.ram_bytes))
				return EXIT_USAGE;
			if (c.opts.ram_bytes < TUXMM_RAM_MIN || c.opts.ram_bytes > TUXMM_RAM_MAX)
				return cli_error("trace", "--ram %s: give 4M to 1T", optarg);
			break;
		case 'x':
			if (!optarg[0])
				return cli_error("trace", "--exec needs a program");
			c.opts.exec = optarg;
			break;
		case 'S':
			if (!cli_parse_uint("trace", "--seed", optarg, UINT64_MAX, &c.opts.seed))
				return EXIT_USAGE;
			break;
		case 'c':
			c.out = OUT_CSV;
			break;
		case 'j':
			c.out = OUT_JSON;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			trace_usage(stdout);
			return EXIT_OK;
		case ':':
			return cli_error("trace", "%s needs a value", argv[optind - 1]);
		default:
			return cli_error("trace", "unknown option '%s' (try tuxmm trace --help)",
					 argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_error("trace", "no trace file given (try tuxmm trace --help)");
	if (frames_given && sweep_given)
		return cli_error("trace", "give --frames or --sweep, not both");
	if (c.opts.ram_bytes && c.from)
		return cli_error("trace", "--ram replays without a cap: drop --frames/--sweep");
	if (c.opts.exec && c.from)
		return cli_error("trace", "--exec replays without a cap (an exec'd program's pages "
				 "are file and anonymous pages, not --frames' scratch file): drop "
				 "--frames/--sweep, or give --ram SIZE");
	if (c.nr_policies && !c.from && !c.opts.ram_bytes)
		return cli_error("trace", "--policy chooses evictions under a cap: add --frames, "
				 "--sweep or --ram");
	if (c.opts.ram_bytes) {
		unsigned int n = 0;

		/* The whole machine cannot know the future: 'all' means the others. */
		for (unsigned int i = 0; i < c.nr_policies; i++) {
			if (strcmp(c.policies[i], "opt"))
				c.policies[n++] = c.policies[i];
			else if (!all_given)
				return cli_error("trace", "--ram: policy opt needs the future, which "
						 "a whole machine cannot know: use --frames");
		}
		c.nr_policies = n;
	}
	if (c.to > ((64ULL << 30) >> (c.opts.page_shift ? c.opts.page_shift : 12)))
		return cli_error("trace", "at most 64 GiB of frames (%llu of this page size)",
				 (64ULL << 30) >> (c.opts.page_shift ? c.opts.page_shift : 12));
	if (!c.nr_policies)
		c.policies[c.nr_policies++] = "linux";
	for (int i = optind; i < argc; i++)
		nr_stdin += !strcmp(argv[i], "-");
	if (nr_stdin && c.opts.ram_bytes)
		return cli_error("trace", "--ram reads the trace twice (to size the swap file): "
				 "give a file, not standard input");
	if (nr_stdin > 1 || (nr_stdin && c.from &&
			     (c.nr_policies > 1 || (c.to - c.from) >= c.step)))
		return cli_error("trace", "standard input ('-') can be read only once: one run, "
				 "or save the trace to a file");
	c.progress = !quiet && isatty(STDERR_FILENO);
	for (int i = optind; i < argc && ret == EXIT_OK; i++)
		ret = run_file(&c, argv[i]);
	if (!c.nr_rows && ret == EXIT_OK)
		print_header(&c);
	if (c.out == OUT_JSON && (c.nr_rows || ret == EXIT_OK))
		printf("%s]\n", c.nr_rows ? "\n" : "");
	return ret;
}
