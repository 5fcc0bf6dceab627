/*
 * bench_replay.c - trace replay throughput in accesses per second: each real trace in
 * ../shared/traces and a generated 100-million-access binary trace, replayed with a
 * working set that fits (no cap: the TLB-hit path) and under pressure (a frame cap
 * below the footprint, linux policy), beside a plain host loop in the same run that
 * decodes the same trace and only touches a host array (the floor of this machine).
 * Every trace is converted to tuxmm binary in memory first, outside the timed part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "trace.h"

#define BATCH 4096

/* cpu_ns - this process's CPU time (user + system): the machine is shared, the wall is not. */
static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A timed run: accesses per second of wall time and of CPU time. */
struct rate {
	double wall, cpu;
};

struct bin {
	void *data;
	size_t len;
	uint64_t nr;
};

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_replay: %s: %s\n", what, msg);
	exit(1);
}

static struct bin to_binary(const char *path)
{
	struct trace_writer *w;
	struct trace_reader *tr;
	struct trace_access a[BATCH];
	char err[TUXMM_ERRMSG_MAX];
	struct bin b = { 0 };
	long n;

	if (trace_open(path, NULL, &tr, err) || trace_writer_open_mem(TRACE_FMT_BINARY, &w, err))
		die(path, err);
	while ((n = trace_read(tr, a, BATCH)) > 0) {
		for (long i = 0; i < n; i++)
			trace_write(w, &a[i]);
		b.nr += (uint64_t)n;
	}
	if (n < 0)
		die(path, trace_error(tr));
	trace_close(tr);
	if (trace_writer_take(w, &b.data, &b.len, err))
		die(path, err);
	return b;
}

/*
 * generated - @nr accesses: 99% to a hot set of 1024 pages walked with small strides,
 * 1% uniform over 16384 cold pages; a third of them stores. Seeded.
 */
static struct bin generated(uint64_t nr)
{
	struct trace_writer *w;
	char err[TUXMM_ERRMSG_MAX];
	struct bin b = { .nr = nr };
	uint64_t x = 0x9e3779b97f4a7c15ULL, hot = 0;

	if (trace_writer_open_mem(TRACE_FMT_BINARY, &w, err))
		die("generated", err);
	for (uint64_t i = 0; i < nr; i++) {
		struct trace_access a = { .size = 8 };
		uint64_t r;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		r = x * 0x2545f4914f6cdd1dULL;
		if (r % 100 == 0) {
			a.addr = 0x10000000 + ((r >> 8) % (16384 * 4096)) / 8 * 8;
		} else {
			hot = (hot + 8 * ((r >> 20) % 64)) % (1024 * 4096);
			a.addr = 0x400000 + hot;
		}
		a.kind = (r >> 40) % 3 == 0 ? TRACE_STORE : TRACE_LOAD;
		trace_write(w, &a);
	}
	if (trace_writer_take(w, &b.data, &b.len, err))
		die("generated", err);
	return b;
}

/* plain_loop - decode the trace and add one to a host byte per access: acc/s. */
static struct rate plain_loop(const struct bin *b)
{
	static uint8_t arena[64 << 20];
	static bool warm;
	struct trace_access a[BATCH];
	struct trace_reader *tr;
	char err[TUXMM_ERRMSG_MAX];
	double t0, c0;
	long n;

	if (!warm) {
		memset(arena, 1, sizeof(arena));	/* the host's own first-touch faults: not timed */
		warm = true;
	}
	t0 = bench_now_ns();
	c0 = cpu_ns();
	if (trace_open_mem(b->data, b->len, "plain", NULL, &tr, err))
		die("plain", err);
	while ((n = trace_read(tr, a, BATCH)) > 0)
		for (long i = 0; i < n; i++)
			arena[a[i].addr & (sizeof(arena) - 1)] += (uint8_t)(a[i].kind + 1);
	trace_close(tr);
	bench_keep(arena);
	return (struct rate){ (double)b->nr / ((bench_now_ns() - t0) / 1e9),
			      (double)b->nr / ((cpu_ns() - c0) / 1e9) };
}

static struct rate replay_once(const struct bin *b, const char *name, uint64_t frames,
			  struct tuxmm_replay_result *res)
{
	struct tuxmm_replay_opts o = { .policy = "linux", .frames = frames };
	char err[TUXMM_ERRMSG_MAX];
	double t0 = bench_now_ns(), c0 = cpu_ns();

	if (tuxmm_replay_mem(b->data, b->len, name, &o, res, err))
		die(name, err);
	return (struct rate){ (double)b->nr / ((bench_now_ns() - t0) / 1e9),
			      (double)b->nr / ((cpu_ns() - c0) / 1e9) };
}

/* boot_ns - wall time of replaying an empty trace with @frames: booting and tearing down. */
static double boot_ns(uint64_t frames)
{
	struct tuxmm_replay_opts o = { .policy = "linux", .frames = frames };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];
	double v[3];

	for (int i = 0; i < 3; i++) {
		double t0 = bench_now_ns();

		if (tuxmm_replay_mem("", 0, "empty", &o, &res, err))
			die("empty", err);
		v[i] = bench_now_ns() - t0;
	}
	return bench_median(v, 3);
}

static void print_rates(const char *name, const char *what, const struct bin *b,
			struct rate *t, struct rate *p, int runs, uint64_t frames)
{
	double tw[7], tc[7], pw[7], pc[7], boot = boot_ns(frames);

	for (int i = 0; i < runs; i++) {
		tw[i] = t[i].wall;
		tc[i] = t[i].cpu;
		pw[i] = p[i].wall;
		pc[i] = p[i].cpu;
	}
	double w = bench_median(tw, runs), c = bench_median(tc, runs);
	double plain_w = bench_median(pw, runs), plain_c = bench_median(pc, runs);

	/* The machine's boot (1 GiB without a cap) is a fixed cost; the rate after it is the path's. */
	double after = (double)b->nr / ((double)b->nr / w - boot / 1e9);

	printf("bench=replay trace=%s %s accesses=%llu tuxmm_acc_s=%.0f plain_acc_s=%.0f "
	       "ratio=%.3f tuxmm_cpu_acc_s=%.0f plain_cpu_acc_s=%.0f cpu_ratio=%.3f boot_ms=%.1f "
	       "tuxmm_acc_s_after_boot=%.0f ratio_after_boot=%.3f\n", name, what,
	       (unsigned long long)b->nr, w, plain_w, w / plain_w, c, plain_c, c / plain_c,
	       boot / 1e6, after, after / plain_w);
	fflush(stdout);
}

static void bench_trace(const char *name, const struct bin *b, int runs, uint64_t frames)
{
	struct tuxmm_replay_result res;
	struct rate fit[7], tight[7], plain[7];
	uint64_t cap = frames;
	char what[256];

	for (int i = 0; i < runs; i++) {
		plain[i] = plain_loop(b);
		fit[i] = replay_once(b, name, 0, &res);
		if (!frames)	/* pressure: half the footprint */
			cap = res.distinct_pages / 2 ? res.distinct_pages / 2 : 1;
	}
	print_rates(name, "case=fits", b, fit, plain, runs, 0);
	for (int i = 0; i < runs; i++)
		tight[i] = replay_once(b, name, cap, &res);
	snprintf(what, sizeof(what), "case=pressure policy=linux frames=%llu faults=%llu "
		 "fault_rate=%.5f writebacks=%llu scanned_per_eviction=%.2f",
		 (unsigned long long)cap, (unsigned long long)res.faults,
		 (double)res.faults / (double)res.references, (unsigned long long)res.writebacks,
		 res.page_outs ? (double)res.frames_scanned / (double)res.page_outs : 0);
	print_rates(name, what, b, tight, plain, runs, cap);
}

/* wanted - no NAME arguments, or @name contains one of them ("gcc", "generated"). */
static bool wanted(int argc, char **argv, const char *name)
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = true;
		if (strstr(name, argv[i]))
			return true;
	}
	return !any;
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	const char *dir = TUXMM_TRACES_DIR;
	static const char *const files[] = {
		"thain-bzip.trace.gz", "thain-gcc.trace.gz", "thain-sixpack.trace.gz",
		"thain-swim.trace.gz", "lackey-x86-gcc-hello.trace.gz", "lackey-x86-ls-l.trace.gz",
		"csc369/tr-simpleloop.ref",
	};
	int runs = quick ? 1 : 5;
	struct bin b;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		FILE *f;

		if (quick && i > 0)
			break;
		if (!wanted(argc, argv, files[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "r");
		if (!f) {
			printf("bench=replay trace=%s skipped=missing\n", files[i]);
			continue;
		}
		fclose(f);
		b = to_binary(path);
		bench_trace(files[i], &b, runs, 0);
		free(b.data);
	}
	if (!wanted(argc, argv, "generated"))
		return 0;
	b = generated(quick ? 200000 : 100000000);
	bench_trace(quick ? "generated-200k" : "generated-100M", &b, quick ? 1 : 3, 1536);
	free(b.data);
	return 0;
}
