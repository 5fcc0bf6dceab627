/*
 * fuzz_trace.c - libFuzzer target for the trace reader: any bytes, every format forced or
 * detected, in a tiny and a normal buffer; what parses must survive binary, lackey and
 * classic round trips unchanged. Aborts on any disagreement; the sanitizers catch the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define MAX_ACCESSES (1u << 18)	/* a gzip bomb is not a finding */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	int ret;
	enum trace_format fmt;
	struct trace_access *acc;
	size_t n;
	char err[TUXMM_ERRMSG_MAX];
};

static void fuzz_fail(const char *what, const struct run *a, const struct run *b)
{
	fprintf(stderr, "fuzz_trace: %s\n  first:  %d %s (%zu accesses)\n  second: %d %s (%zu)\n",
		what, a->ret, a->err, a->n, b->ret, b->err, b->n);
	abort();
}

/* run - read all of @data (with @fmt, @buffer_bytes) into @r. */
static void run(const void *data, size_t size, enum trace_format fmt, size_t buffer_bytes,
		struct run *r)
{
	struct trace_options opts = { .format = fmt, .buffer_bytes = buffer_bytes };
	struct trace_reader *tr;
	size_t cap = 0;
	long got = 0;

	memset(r, 0, sizeof(*r));
	r->ret = trace_open_mem(data, size, "fuzz", &opts, &tr, r->err);
	if (r->ret)
		return;
	r->fmt = trace_reader_format(tr);
	while (r->n + 64 <= MAX_ACCESSES) {
		if (r->n + 64 > cap) {
			cap = cap ? 2 * cap : 256;
			r->acc = realloc(r->acc, cap * sizeof(*r->acc));
			if (!r->acc)
				abort();
		}
		got = trace_read(tr, r->acc + r->n, 64);
		if (got <= 0)
			break;
		r->n += (size_t)got;
	}
	if (r->n + 64 > MAX_ACCESSES)
		got = 0;
	if (got < 0) {
		r->ret = (int)got;
		snprintf(r->err, sizeof(r->err), "%s", trace_error(tr));
		if (!r->err[0])
			fuzz_fail("an error without a message", r, r);
	}
	if (trace_reader_stats(tr)->nr_accesses != r->n)
		fuzz_fail("stats disagree with the accesses returned", r, r);
	trace_close(tr);
}

/* same - whether @a and @b hold the same accesses (sizes and fetches as @classic keeps). */
static bool same(const struct run *a, const struct run *b, size_t n, bool lines, bool classic)
{
	for (size_t i = 0; i < n; i++) {
		const struct trace_access *x = &a->acc[i], *y = &b->acc[i];
		unsigned int kind = classic && x->kind == TRACE_IFETCH ? TRACE_LOAD : x->kind;

		if (x->addr != y->addr || kind != y->kind || (lines && x->line != y->line) ||
		    (classic ? y->size != 1 : x->size != y->size))
			return false;
	}
	return true;
}

/* round_trip - write @a's accesses in @fmt, read them back, compare. */
static void round_trip(const struct run *a, enum trace_format fmt)
{
	struct trace_writer *w;
	char err[TUXMM_ERRMSG_MAX];
	struct run b;
	void *out;
	size_t len;

	if (trace_writer_open_mem(fmt, &w, err))
		abort();
	for (size_t i = 0; i < a->n; i++)
		if (trace_write(w, &a->acc[i]))
			fuzz_fail(trace_writer_error(w), a, a);
	if (trace_writer_take(w, &out, &len, err))
		abort();
	run(out, len, fmt, 0, &b);
	if (b.ret || b.n != a->n || !same(a, &b, a->n, false, fmt == TRACE_FMT_CLASSIC))
		fuzz_fail(fmt == TRACE_FMT_BINARY ? "binary round trip differs" :
			  fmt == TRACE_FMT_LACKEY ? "lackey round trip differs" :
			  "classic round trip differs", a, &b);
	free(b.acc);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum trace_format forced[] = { TRACE_FMT_LACKEY, TRACE_FMT_CLASSIC,
						    TRACE_FMT_CSC369, TRACE_FMT_BINARY };
	struct run a, b;

	run(data, size, TRACE_FMT_AUTO, 0, &a);
	if (!a.ret && a.fmt != TRACE_FMT_EMPTY && a.n < MAX_ACCESSES - 64) {
		/* The buffer size changes nothing, unless a line does not fit the tiny one. */
		run(data, size, a.fmt, 64, &b);
		if (!(b.ret && strstr(b.err, "longer than"))) {
			if (b.ret != a.ret || b.n != a.n || !same(&a, &b, a.n, true, false))
				fuzz_fail("a 64-byte buffer reads differently", &a, &b);
		}
		free(b.acc);
		round_trip(&a, TRACE_FMT_BINARY);
		round_trip(&a, TRACE_FMT_LACKEY);
		round_trip(&a, TRACE_FMT_CLASSIC);
	}
	free(a.acc);
	for (size_t i = 0; i < sizeof(forced) / sizeof(forced[0]); i++) {
		run(data, size, forced[i], 0, &a);
		free(a.acc);
	}
	return 0;
}
