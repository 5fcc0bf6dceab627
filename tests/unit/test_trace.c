/*
 * test_trace.c - the trace reader and writers: every format on small samples, detection,
 * gzip, the binary format's round trips and errors, every error message with its place,
 * the real traces in ../shared/traces with their exact counts, and mutated input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "testlib.h"
#include "trace.h"

#ifndef TUXMM_TRACES_DIR
#error "tests/CMakeLists.txt gives test_trace TUXMM_TRACES_DIR"
#endif

static char tmpdir[64];

/* An access, compactly, for expected arrays. */
#define A(k, a, s, l) { .addr = (a), .line = (l), .size = (s), .kind = (k) }
#define LD TRACE_LOAD
#define ST TRACE_STORE
#define IF TRACE_IFETCH

struct result {
	int ret;			/* 0, or the first error */
	struct trace_access *acc;
	size_t n;
	enum trace_format fmt;
	struct trace_stats st;
	char err[TUXMM_ERRMSG_MAX];
};

/* tmp_path - a path in this run's scratch directory. Caller frees. */
static char *tmp_path(const char *name)
{
	char *p = malloc(strlen(tmpdir) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", tmpdir, name);
	return p;
}

static char *write_file(const char *name, const void *data, size_t len)
{
	char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static char *write_text(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

/* gzip_bytes - @len bytes at @data as one gzip member. Caller frees. */
static unsigned char *gzip_bytes(const void *data, size_t len, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = len + len / 100 + 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* drain - read every access of an open reader into @r, and close it. */
static void drain(struct trace_reader *tr, struct result *r)
{
	struct trace_access buf[333];
	size_t cap = 1024;
	long n;

	r->acc = malloc(cap * sizeof(*r->acc));
	assert_non_null(r->acc);
	r->fmt = trace_reader_format(tr);
	while ((n = trace_read(tr, buf, sizeof(buf) / sizeof(buf[0]))) > 0) {
		if (r->n + (size_t)n > cap) {
			cap = 2 * cap + (size_t)n;
			r->acc = realloc(r->acc, cap * sizeof(*r->acc));
			assert_non_null(r->acc);
		}
		memcpy(r->acc + r->n, buf, (size_t)n * sizeof(*buf));
		r->n += (size_t)n;
	}
	r->ret = (int)n;
	if (n < 0) {
		snprintf(r->err, sizeof(r->err), "%s", trace_error(tr));
		/* Errors stick. */
		assert_int_equal(trace_read(tr, buf, 8), n);
		assert_int_equal(trace_next(tr, buf), n);
	}
	r->st = *trace_reader_stats(tr);
	trace_close(tr);
}

static struct result read_path_opts(const char *path, const struct trace_options *opts)
{
	struct result r = { 0 };
	struct trace_reader *tr;

	r.ret = trace_open(path, opts, &tr, r.err);
	if (r.ret)
		return r;
	drain(tr, &r);
	return r;
}

static struct result read_path(const char *path)
{
	return read_path_opts(path, NULL);
}

static struct result read_mem_opts(const void *data, size_t len,
				   const struct trace_options *opts)
{
	struct result r = { 0 };
	struct trace_reader *tr;

	r.ret = trace_open_mem(data, len, "mem", opts, &tr, r.err);
	if (r.ret)
		return r;
	drain(tr, &r);
	return r;
}

static struct result read_mem(const void *data, size_t len)
{
	return read_mem_opts(data, len, NULL);
}

static struct result read_text(const char *text)
{
	return read_mem(text, strlen(text));
}

static void result_free(struct result *r)
{
	free(r->acc);
	r->acc = NULL;
}

static void assert_accesses(const struct result *r, const struct trace_access *want,
			    size_t n)
{
	if (r->ret)
		fail_msg("unexpected error %d: %s", r->ret, r->err);
	assert_int_equal(r->n, n);
	for (size_t i = 0; i < n; i++) {
		if (r->acc[i].addr != want[i].addr || r->acc[i].size != want[i].size ||
		    r->acc[i].kind != want[i].kind || r->acc[i].line != want[i].line)
			fail_msg("access %zu: got %llx,%u kind %u line %llu; want %llx,%u kind %u "
				 "line %llu", i, (unsigned long long)r->acc[i].addr, r->acc[i].size,
				 r->acc[i].kind, (unsigned long long)r->acc[i].line,
				 (unsigned long long)want[i].addr, want[i].size, want[i].kind,
				 (unsigned long long)want[i].line);
	}
}

/* assert_same - @a and @b hold the same accesses; lines compared only if @lines. */
static void assert_same(const struct result *a, const struct result *b, bool lines)
{
	assert_int_equal(a->ret, 0);
	assert_int_equal(b->ret, 0);
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		if (a->acc[i].addr != b->acc[i].addr || a->acc[i].size != b->acc[i].size ||
		    a->acc[i].kind != b->acc[i].kind || (lines && a->acc[i].line != b->acc[i].line))
			fail_msg("access %zu differs: %llx,%u,%u vs %llx,%u,%u", i,
				 (unsigned long long)a->acc[i].addr, a->acc[i].size,
				 a->acc[i].kind, (unsigned long long)b->acc[i].addr,
				 b->acc[i].size, b->acc[i].kind);
	}
}

static void assert_error(const struct result *r, int err, const char *msg)
{
	if (r->ret != err)
		fail_msg("want error %d, got %d (%s)", err, r->ret, r->err);
	if (!strstr(r->err, msg))
		fail_msg("message '%s' lacks '%s'", r->err, msg);
}

/* ---- classic ---- */

static void classic_lines_give_loads_and_stores(void **state)
{
	static const struct trace_access want[] = {
		A(LD, 0x07b243a0, 1, 1), A(ST, 0x00228d40, 1, 2), A(LD, 0xe8440, 1, 3),
	};
	struct result r = read_text("07b243a0 R\n00228d40 W\n000e8440 R\n");

	(void)state;
	assert_accesses(&r, want, 3);
	assert_int_equal(r.fmt, TRACE_FMT_CLASSIC);
	assert_int_equal(r.st.nr_kind[TRACE_LOAD], 2);
	assert_int_equal(r.st.nr_kind[TRACE_STORE], 1);
	assert_int_equal(r.st.nr_lines, 3);
	result_free(&r);
}

static void classic_accepts_digit_counts_prefix_case_crlf(void **state)
{
	static const struct trace_access want[] = {
		A(ST, 0x0000000, 1, 1), A(LD, 0xa008, 1, 2), A(ST, 0x7fffdeadbeef, 1, 3),
		A(LD, 0xffffffffffffffffULL, 1, 4), A(ST, 0x1, 1, 5), A(LD, 0x12345678, 1, 6),
		A(ST, 0xABCDEF12, 1, 7),
	};
	struct result r = read_text("0000000 W\n000A008 r\n0x7fffdeadbeef\tw\r\n"
				    "FFFFFFFFFFFFFFFF R  \n1 W\n0X12345678   R\n"
				    "abcdef12 W"); /* no final newline */

	(void)state;
	assert_accesses(&r, want, 7);
	result_free(&r);
}

static void classic_skips_blank_and_comment_lines(void **state)
{
	static const struct trace_access want[] = { A(LD, 0x10, 1, 2), A(ST, 0x20, 1, 5) };
	struct result r = read_text("# made by hand\n00000010 R\n\n   \r\n00000020 W\n\n");

	(void)state;
	assert_accesses(&r, want, 2);
	assert_int_equal(r.st.nr_skipped, 4);
	assert_int_equal(r.st.nr_lines, 6);
	result_free(&r);
}

static void classic_malformed_line_names_file_and_line(void **state)
{
	char *path = write_text("trace.txt", "00000010 R\n00000020 W\nzz W\n00000030 R\n");
	struct result r = read_path(path);
	char want[512];

	(void)state;
	snprintf(want, sizeof(want), "%s:3: expected 'ADDRESS R|W', got 'zz W'", path);
	assert_error(&r, -EINVAL, want);
	assert_int_equal(r.n, 2);	/* the accesses before the bad line came out */
	result_free(&r);

	r = read_text("00000010 R\n00000020 X\n");
	assert_error(&r, -EINVAL, "mem:2: expected 'ADDRESS R|W', got '00000020 X'");
	result_free(&r);
	r = read_text("00000010 R\n00000020 RW\n");
	assert_error(&r, -EINVAL, "mem:2: expected 'ADDRESS R|W', got '00000020 RW'");
	result_free(&r);
	r = read_text("00000010 R\n00000020\n");
	assert_error(&r, -EINVAL, "mem:2:");
	result_free(&r);
	/* Unprintable bytes are escaped in the message. */
	r = read_text("00000010 R\n\x01\xff W\n");
	assert_error(&r, -EINVAL, "mem:2: expected 'ADDRESS R|W', got '\\x01\\xff W'");
	result_free(&r);
	free(path);
}

static void classic_address_over_64_bits_is_an_error(void **state)
{
	struct result r = read_text("00000010 R\n1ffffffffffffffff W\n");

	(void)state;
	assert_error(&r, -EINVAL,
		     "mem:2: address longer than 16 hex digits in '1ffffffffffffffff W'");
	result_free(&r);
}

static void classic_line_longer_than_buffer_is_an_error(void **state)
{
	struct trace_options opts = { .buffer_bytes = 64 };
	char text[400];
	struct result r;

	(void)state;
	memset(text, ' ', sizeof(text));
	memcpy(text, "00000010 R\n00000020", 19);
	memcpy(text + sizeof(text) - 3, "W\n", 3);
	r = read_mem_opts(text, strlen(text), &opts);
	assert_error(&r, -EINVAL, "mem:2: line longer than 64 bytes");
	assert_int_equal(r.n, 1);
	result_free(&r);
}

/* ---- lackey ---- */

static const char lackey_sample[] =
	"==28465== Lackey, an example Valgrind tool\n"
	"==28465== Command: ls -l\n"
	"--28465-- Valgrind options:\n"
	"I  04001020,2\n"
	" L bec14c40,4\n"
	" S bec14c00,4\n"
	"total 9624\n"
	" M 04028f18,4\n"
	"I  1ffefffd40,16\r\n"
	"-rw-r--r-- 1 root root 75 Nov  4 00:00 hello.c\n"
	"\n"
	"==28465== \n"
	"==28465== Exit code:       0\n";

static void lackey_lines_give_kinds_and_sizes(void **state)
{
	static const struct trace_access want[] = {
		A(IF, 0x04001020, 2, 4), A(LD, 0xbec14c40, 4, 5), A(ST, 0xbec14c00, 4, 6),
		A(LD, 0x04028f18, 4, 8), A(ST, 0x04028f18, 4, 8), A(IF, 0x1ffefffd40, 16, 9),
	};
	struct result r = read_text(lackey_sample);

	(void)state;
	assert_accesses(&r, want, 6);
	assert_int_equal(r.fmt, TRACE_FMT_LACKEY);
	assert_int_equal(r.st.nr_modify, 1);
	assert_int_equal(r.st.nr_kind[TRACE_IFETCH], 2);
	assert_int_equal(r.st.nr_kind[TRACE_LOAD], 2);
	assert_int_equal(r.st.nr_kind[TRACE_STORE], 2);
	result_free(&r);
}

static void lackey_skips_valgrind_and_program_lines_and_counts_them(void **state)
{
	struct result r = read_text(lackey_sample);

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.st.nr_lines, 13);
	assert_int_equal(r.st.nr_skipped, 8);
	assert_int_equal(r.st.nr_foreign, 3);	/* "total", the ls line, the blank line */
	result_free(&r);

	/* Lines that nearly look like accesses are the program's, not errors. */
	r = read_text("==1== x\nI  0400,2\nI  zz,2\n L 0400\n S 0400,0\n X 0400,1\nI 0400,1\n"
		      " L 0400,99999999999\n");
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.st.nr_foreign, 6);
	result_free(&r);
}

static void lackey_overlong_foreign_line_is_skipped(void **state)
{
	struct trace_options opts = { .buffer_bytes = 64 };
	static const struct trace_access want[] = {
		A(IF, 0x400, 2, 2), A(LD, 0x500, 8, 4),
	};
	char text[1000];
	struct result r;

	(void)state;
	memset(text, 'x', sizeof(text));
	strcpy(text, "==7== start\nI  00000400,2\n");
	text[strlen(text)] = 'x';	/* 900 bytes of program output on line 3 */
	strcpy(text + 26 + 900, "\n L 00000500,8\n");
	r = read_mem_opts(text, strlen(text), &opts);
	assert_accesses(&r, want, 2);
	assert_int_equal(r.st.nr_foreign, 1);
	assert_int_equal(r.st.nr_lines, 4);
	result_free(&r);
}

/* ---- CSC369 ---- */

static void csc369_lines_give_kinds(void **state)
{
	static const struct trace_access want[] = {
		A(IF, 0x4001000, 1, 1), A(ST, 0x1fff000000, 1, 2), A(LD, 0x4227000, 1, 3),
		A(LD, 0x4228000, 1, 4), A(ST, 0x4228000, 1, 4), A(LD, 0x10, 4, 6),
	};
	struct result r = read_text("I 4001000\nS 1fff000000\nL 4227000\nM 4228000\n\nL 0x10,4\n");

	(void)state;
	assert_accesses(&r, want, 6);
	assert_int_equal(r.fmt, TRACE_FMT_CSC369);
	assert_int_equal(r.st.nr_modify, 1);
	result_free(&r);
}

static void csc369_malformed_line_is_an_error(void **state)
{
	struct result r = read_text("I 4001000\nS 1fff000000\nQ 4227000\n");

	(void)state;
	assert_error(&r, -EINVAL, "mem:3: expected 'I|L|S|M ADDRESS', got 'Q 4227000'");
	assert_int_equal(r.n, 2);
	result_free(&r);
}

/* ---- detection, empty input, gzip ---- */

static void detection_is_by_content_not_name(void **state)
{
	static const struct {
		const char *name, *text;
		enum trace_format fmt;
	} cases[] = {
		{ "a.bin", "00400000 R\n", TRACE_FMT_CLASSIC },
		{ "b.gz", "I 400000\n", TRACE_FMT_CSC369 },
		{ "c.ref", "I  00400000,4\n", TRACE_FMT_LACKEY },
		{ "d.trace", "==1== Lackey\n", TRACE_FMT_LACKEY },
		/* Program output before valgrind's first line is skipped, not an error. */
		{ "e.txt", "hello\nworld\n--12-- x\nI  00400000,4\n", TRACE_FMT_LACKEY },
		{ "f.txt", "\n# comment\n\n0x400000 W\n", TRACE_FMT_CLASSIC },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_text(cases[i].name, cases[i].text);
		struct result r = read_path(path);

		if (r.ret || r.fmt != cases[i].fmt)
			fail_msg("%s: format %s, error '%s'", cases[i].name,
				 trace_format_name(r.fmt), r.err);
		result_free(&r);
		free(path);
	}
}

static void forced_format_overrides_detection(void **state)
{
	struct trace_options opts = { .format = TRACE_FMT_LACKEY };
	struct result r = read_mem_opts("00400000 R\n", 11, &opts);

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.fmt, TRACE_FMT_LACKEY);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.st.nr_foreign, 1);
	result_free(&r);

	opts.format = TRACE_FMT_BINARY;
	r = read_mem_opts("00400000 R\n", 11, &opts);
	assert_error(&r, -EINVAL, "mem: not a tuxmm binary trace (bad magic)");
	result_free(&r);
}

static void unknown_format_error_names_known_formats(void **state)
{
	char *path = write_text("junk.txt", "hello world\nthis is not a trace\n");
	struct result r = read_path(path);
	char want[512];

	(void)state;
	snprintf(want, sizeof(want), "%s: not a trace in any known format", path);
	assert_error(&r, -EINVAL, want);
	assert_non_null(strstr(r.err, "lackey"));
	assert_non_null(strstr(r.err, "classic 'ADDRESS R|W'"));
	assert_non_null(strstr(r.err, "csc369"));
	assert_non_null(strstr(r.err, "binary"));
	assert_non_null(strstr(r.err, "'hello world'"));
	result_free(&r);
	free(path);
}

static void empty_file_is_an_empty_trace(void **state)
{
	char *path = write_file("empty", "", 0);
	struct result r = read_path(path);
	unsigned char *gz;
	size_t len;

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.fmt, TRACE_FMT_EMPTY);
	result_free(&r);
	free(path);

	r = read_text("\n  \n# nothing yet\n\n");
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.fmt, TRACE_FMT_EMPTY);
	result_free(&r);

	gz = gzip_bytes("", 0, &len);
	r = read_mem(gz, len);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 0);
	result_free(&r);
	free(gz);
}

static void gzip_input_is_transparent(void **state)
{
	static const char text[] = "07b243a0 R\n00228d40 W\n000e8440 R\n";
	size_t len1, len2;
	unsigned char *gz1 = gzip_bytes(text, strlen(text), &len1);
	unsigned char *gz2 = gzip_bytes(lackey_sample, strlen(lackey_sample), &len2);
	unsigned char *both = malloc(len1 + len1);
	struct result plain = read_text(text), r;
	char *path = write_file("t.txt", gz1, len1);

	(void)state;
	r = read_path(path);
	assert_same(&plain, &r, true);
	assert_int_equal(r.st.bytes, strlen(text));
	result_free(&r);

	/* Two gzip members, as `cat a.gz b.gz` makes, are one stream. */
	memcpy(both, gz1, len1);
	memcpy(both + len1, gz1, len1);
	r = read_mem(both, 2 * len1);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 6);
	assert_int_equal(r.acc[5].line, 6);
	result_free(&r);

	r = read_mem(gz2, len2);
	assert_int_equal(r.fmt, TRACE_FMT_LACKEY);
	assert_int_equal(r.n, 6);
	result_free(&r);
	result_free(&plain);
	free(gz1);
	free(gz2);
	free(both);
	free(path);
}

static void truncated_or_corrupt_gzip_is_an_error(void **state)
{
	char text[4000];
	unsigned char *gz;
	size_t len;
	struct result r;

	(void)state;
	for (size_t i = 0; i < sizeof(text) / 11; i++)
		snprintf(text + 11 * i, 12, "%08zx R\n", i * 4096);
	gz = gzip_bytes(text, strlen(text), &len);
	for (size_t cut = 2; cut < len; cut += cut < 40 ? 1 : 97) {
		r = read_mem(gz, cut);
		if (r.ret != -EINVAL || (!strstr(r.err, "truncated gzip") &&
					 !strstr(r.err, "corrupt gzip")))
			fail_msg("cut at %zu of %zu: ret %d '%s'", cut, len, r.ret, r.err);
		result_free(&r);
	}
	r = read_mem(gz, len - 1);
	assert_error(&r, -EINVAL, "mem: truncated gzip stream");
	result_free(&r);

	gz[len - 5] ^= 0xff;	/* the CRC in the trailer */
	r = read_mem(gz, len);
	assert_error(&r, -EINVAL, "mem: corrupt gzip data");
	result_free(&r);
	free(gz);
}

static void other_compression_is_named(void **state)
{
	struct result r = read_mem("\xfd" "7zXZ\0\0\0\0", 10);

	(void)state;
	assert_error(&r, -EINVAL, "mem: xz-compressed; decompress it first");
	result_free(&r);
	r = read_mem("\x28\xb5\x2f\xfd\0\0", 6);
	assert_error(&r, -EINVAL, "mem: zstd-compressed");
	result_free(&r);
}

/* ---- binary ---- */

/* random_accesses - @n seeded accesses covering every kind, size code and delta range. */
static struct trace_access *random_accesses(size_t n, uint64_t *seed)
{
	static const uint64_t extremes[] = { 0, 1, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
					     0xffffffffffffffffULL, 0xffff800000000000ULL };
	static const uint32_t sizes[] = { 1, 2, 3, 4, 5, 6, 7, 8, 10, 16, 64, 4096, UINT32_MAX };
	struct trace_access *acc = calloc(n, sizeof(*acc));
	uint64_t addr = 0x400000;

	assert_non_null(acc);
	for (size_t i = 0; i < n; i++) {
		uint64_t r = test_rand(seed);

		switch (r % 8) {
		case 0:
			addr = extremes[(r >> 8) % 6];
			break;
		case 1:
			addr = test_rand(seed);
			break;
		case 2:
			addr -= (r >> 8) % 300;
			break;
		default:
			addr += (r >> 8) % 64;
			break;
		}
		acc[i].addr = addr;
		acc[i].size = sizes[(r >> 20) % 13];
		acc[i].kind = (uint8_t)((r >> 30) % 3);
	}
	return acc;
}

/* write_mem - @n accesses written in @fmt into memory. Caller frees. */
static unsigned char *write_mem(const struct trace_access *acc, size_t n,
				enum trace_format fmt, size_t *len)
{
	struct trace_writer *w;
	char err[TUXMM_ERRMSG_MAX];
	void *data;

	assert_int_equal(trace_writer_open_mem(fmt, &w, err), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(trace_write(w, &acc[i]), 0);
	assert_int_equal(trace_writer_take(w, &data, len, err), 0);
	return data;
}

static void binary_round_trip_keeps_every_field(void **state)
{
	uint64_t seed = test_seed();
	struct trace_access *acc = random_accesses(20000, &seed);
	size_t len;
	unsigned char *bin = write_mem(acc, 20000, TRACE_FMT_BINARY, &len);
	struct result r = read_mem(bin, len);

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.fmt, TRACE_FMT_BINARY);
	assert_int_equal(r.n, 20000);
	for (size_t i = 0; i < r.n; i++) {
		if (r.acc[i].addr != acc[i].addr || r.acc[i].size != acc[i].size ||
		    r.acc[i].kind != acc[i].kind)
			fail_msg("access %zu differs", i);
		if (i && r.acc[i].line <= r.acc[i - 1].line)
			fail_msg("access %zu: offsets must grow", i);
	}
	assert_true(r.acc[0].line >= 16);	/* records follow the 16-byte header */
	result_free(&r);
	free(bin);
	free(acc);
}

static void binary_empty_trace_is_header_and_end(void **state)
{
	size_t len;
	unsigned char *bin = write_mem(NULL, 0, TRACE_FMT_BINARY, &len);
	static const unsigned char want[25] = {
		0x89, 'T', 'U', 'X', 'T', 'R', '\r', '\n', 1, 0, 0, 0, 0, 0, 0, 0, 0x03,
	};
	struct result r = read_mem(bin, len);

	(void)state;
	assert_int_equal(len, 25);	/* the header, then an end record counting 0 */
	assert_memory_equal(bin, want, 25);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.fmt, TRACE_FMT_BINARY);
	result_free(&r);
	free(bin);
}

static void binary_encoding_is_as_documented(void **state)
{
	/* The examples of docs/trace-formats.md, byte for byte. */
	static const struct trace_access acc[] = {
		A(IF, 0x400000, 4, 0), A(IF, 0x400004, 3, 0), A(LD, 0x7ffc0010, 8, 0),
		A(ST, 0x7ffc0010, 8, 0), A(LD, 0x7ffc0008, 16, 0),
		A(LD, 0x8000000000000000ULL, 8, 0),
	};
	static const unsigned char want[] = {
		/* I 0x400000,4: zz 0x800000 in 3 bytes, code 4, kind 2 */
		0x72, 0x00, 0x00, 0x80,
		/* I 0x400004,3: as predicted (0x400000 + 4), no delta bytes, code 3 */
		0x0e,
		/* L 0x7ffc0010,8: zz 0xfff80020 in 4 bytes, code 7, kind 0 */
		0x9c, 0x20, 0x00, 0xf8, 0xff,
		/* S 0x7ffc0010,8: delta 0, code 7, kind 1 */
		0x1d,
		/* L 0x7ffc0008,16: delta -8 is zz 15 in 1 byte, code 0, then the size varint */
		0x20, 0x0f, 0x10,
		/* L 0x8000000000000000,8: too far; a data ADDR record, then delta 0 */
		0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x1c,
		/* end: 6 accesses */
		0x03, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	size_t len;
	unsigned char *bin = write_mem(acc, 6, TRACE_FMT_BINARY, &len);

	(void)state;
	assert_int_equal(len, 16 + sizeof(want));
	assert_memory_equal(bin + 16, want, sizeof(want));
	free(bin);
}

static void binary_truncated_anywhere_is_an_error(void **state)
{
	uint64_t seed = test_seed() + 1;
	struct trace_access *acc = random_accesses(300, &seed);
	size_t len;
	unsigned char *bin = write_mem(acc, 300, TRACE_FMT_BINARY, &len);

	(void)state;
	for (size_t cut = 1; cut < len; cut++) {
		struct result r = read_mem(bin, cut);

		if (r.ret != -EINVAL ||
		    (!strstr(r.err, "truncated") && !strstr(r.err, "end record")))
			fail_msg("cut at %zu of %zu: ret %d '%s'", cut, len, r.ret, r.err);
		result_free(&r);
	}
	free(bin);
	free(acc);
}

/* read_bin - read a version 1 header followed by the @n bytes at @rec. */
static struct result read_bin(const unsigned char *rec, size_t n)
{
	unsigned char buf[64];

	memcpy(buf, "\x89TUXTR\r\n\x01\0\0\0\0\0\0\0", 16);
	memcpy(buf + 16, rec, n);
	return read_mem(buf, 16 + n);
}

static void binary_errors_name_the_byte(void **state)
{
	struct result r;

	(void)state;
	r = read_mem("\x89TUXTR\r\n\x02\0\0\0\0\0\0\0\x03\x00", 18);
	assert_error(&r, -EINVAL, "mem: binary trace version 2; this tuxmm reads version 1");
	result_free(&r);
	r = read_mem("\x89TUXTR\r\n\x01\x04\0\0\0\0\0\0\x03\x00", 18);
	assert_error(&r, -EINVAL, "mem: byte 9: unknown header flags 0x04");
	result_free(&r);
	r = read_mem("\x89TUXTR\r\n\x01\0\0\0\0\x01\0\0\x03\x00", 18);
	assert_error(&r, -EINVAL, "mem: byte 13: reserved header byte is 0x01");
	result_free(&r);
	r = read_mem("\x89TUX", 4);
	assert_error(&r, -EINVAL, "mem: truncated binary header (4 of 16 bytes)");
	result_free(&r);

	r = read_bin((const unsigned char *)"\x0c\x03\x01\0\0\0\0\0\0\0\x00", 11);
	assert_error(&r, -EINVAL, "mem: byte 26: data after the end record");
	assert_int_equal(r.n, 1);
	result_free(&r);
	r = read_bin((const unsigned char *)"\x0c\x03\x05\0\0\0\0\0\0\0", 10);
	assert_error(&r, -EINVAL,
		     "mem: byte 17: end record counts 5 accesses but the trace holds 1");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x0c\x0f\0\0\0\0\0\0\0\0", 10);
	assert_error(&r, -EINVAL, "mem: byte 17: unknown control record 3");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x23\0\0\0\0\0\0\0\0", 9);
	assert_error(&r, -EINVAL, "mem: byte 16: control record with reserved bits set (0x23)");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x03\0\0\0", 4);
	assert_error(&r, -EINVAL, "mem: byte 16: truncated control record");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x04\x60\x01\x02", 4);
	assert_error(&r, -EINVAL, "mem: byte 17: truncated record");
	assert_int_equal(r.n, 1);
	result_free(&r);
	r = read_bin((const unsigned char *)"\x00\x00\x03\0\0\0\0\0\0\0\0", 11);
	assert_error(&r, -EINVAL, "mem: byte 16: access size 0 is not 1 .. 4294967295");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x00\x80\x80\x80\x80\x10", 6);
	assert_error(&r, -EINVAL, "mem: byte 16: access size 4294967296 is not");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11);
	assert_error(&r, -EINVAL, "mem: byte 16: size varint longer than 64 bits");
	result_free(&r);
	r = read_bin((const unsigned char *)"\x04\x04", 2);
	assert_error(&r, -EINVAL, "mem: byte 18: truncated: no end record after 2 accesses");
	assert_int_equal(r.n, 2);
	result_free(&r);
}

/* ---- buffers, stdin, files ---- */

static void tiny_buffers_give_the_same_accesses(void **state)
{
	static const size_t sizes[] = { 64, 65, 67, 100, 257, 4096 };
	uint64_t seed = test_seed() + 2;
	struct trace_access *acc = random_accesses(3000, &seed);
	static const enum trace_format fmts[] = { TRACE_FMT_BINARY, TRACE_FMT_CLASSIC,
						  TRACE_FMT_LACKEY };

	(void)state;
	for (size_t f = 0; f < 3; f++) {
		size_t len, gzlen;
		unsigned char *data = write_mem(acc, 3000, fmts[f], &len);
		unsigned char *gz = gzip_bytes(data, len, &gzlen);
		struct result whole = read_mem(data, len);

		assert_int_equal(whole.ret, 0);
		assert_int_equal(whole.n, 3000);
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			struct trace_options opts = { .buffer_bytes = sizes[s] };
			struct result r = read_mem_opts(data, len, &opts);

			assert_same(&whole, &r, true);
			result_free(&r);
			r = read_mem_opts(gz, gzlen, &opts);
			assert_same(&whole, &r, true);
			result_free(&r);
		}
		result_free(&whole);
		free(data);
		free(gz);
	}
	free(acc);
}

/* assert_access_equal - every field equal (the struct's padding is not compared). */
static void assert_access_equal(const struct trace_access *x, const struct trace_access *y)
{
	assert_int_equal(x->addr, y->addr);
	assert_int_equal(x->line, y->line);
	assert_int_equal(x->size, y->size);
	assert_int_equal(x->kind, y->kind);
}

static void trace_next_and_trace_read_agree(void **state)
{
	struct trace_reader *tr;
	struct trace_access a, b[3];
	char err[TUXMM_ERRMSG_MAX];
	struct result whole = read_text(lackey_sample);
	size_t i = 0;
	long n;

	(void)state;
	assert_int_equal(trace_open_mem(lackey_sample, strlen(lackey_sample), "x", NULL, &tr, err),
			 0);
	assert_int_equal(trace_next(tr, &a), 1);
	assert_access_equal(&a, &whole.acc[i++]);
	assert_int_equal(trace_read(tr, b, 1), 1);
	assert_access_equal(&b[0], &whole.acc[i++]);
	while ((n = trace_read(tr, b, 3)) > 0) {
		for (long j = 0; j < n; j++)
			assert_access_equal(&b[j], &whole.acc[i++]);
		if (trace_next(tr, &a) == 1)
			assert_access_equal(&a, &whole.acc[i++]);
	}
	assert_int_equal(n, 0);
	assert_int_equal(i, whole.n);
	assert_int_equal(trace_reader_stats(tr)->nr_accesses, whole.n);
	assert_int_equal(trace_next(tr, &a), 0);
	trace_close(tr);
	result_free(&whole);
}

static void stdin_dash_reads_standard_input(void **state)
{
	char *path = write_text("stdin.txt", "00000010 W\n00000020 R\n");
	int saved = dup(STDIN_FILENO), fd = open(path, O_RDONLY);
	struct trace_reader *tr;
	struct trace_access a;
	char err[TUXMM_ERRMSG_MAX];

	(void)state;
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(trace_open("-", NULL, &tr, err), 0);
	assert_string_equal(trace_reader_name(tr), "<stdin>");
	assert_int_equal(trace_next(tr, &a), 1);
	assert_int_equal(a.addr, 0x10);
	assert_int_equal(a.kind, TRACE_STORE);
	assert_int_equal(trace_next(tr, &a), 1);
	assert_int_equal(trace_next(tr, &a), 0);
	trace_close(tr);
	/* stdin stays open after trace_close(). */
	assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	free(path);
}

static void missing_file_is_enoent(void **state)
{
	struct trace_reader *tr = (void *)1;
	char err[TUXMM_ERRMSG_MAX];
	char *path = tmp_path("no-such-trace");

	(void)state;
	assert_int_equal(trace_open(path, NULL, &tr, err), -ENOENT);
	assert_null(tr);
	assert_non_null(strstr(err, "no-such-trace: No such file or directory"));
	assert_int_equal(trace_open(tmpdir, NULL, &tr, err), -EISDIR);
	assert_non_null(strstr(err, "Is a directory"));
	free(path);
}

static void options_are_checked(void **state)
{
	struct trace_options opts = { .format = TRACE_FMT_EMPTY };
	struct result r = read_mem_opts("00000010 R\n", 11, &opts);

	(void)state;
	assert_error(&r, -EINVAL, "mem: cannot read format 1");
	result_free(&r);
	opts = (struct trace_options){ .buffer_bytes = 1 };	/* raised to 64 */
	r = read_mem_opts("00000010 R\n00000020 W\n", 22, &opts);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 2);
	result_free(&r);
}

/* ---- writers and the converter ---- */

static void memory_writer_grows(void **state)
{
	uint64_t seed = test_seed() + 4;
	struct trace_access *acc = random_accesses(100000, &seed);
	size_t len;
	unsigned char *text = write_mem(acc, 100000, TRACE_FMT_LACKEY, &len);
	struct result r = read_mem(text, len);

	(void)state;
	assert_true(len > 1u << 20);	/* several times the writer's first buffer */
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.n, 100000);
	for (size_t i = 0; i < r.n; i++)
		if (r.acc[i].addr != acc[i].addr || r.acc[i].size != acc[i].size ||
		    r.acc[i].kind != acc[i].kind)
			fail_msg("access %zu differs", i);
	result_free(&r);
	free(text);
	free(acc);
}

static void write_errors_are_reported(void **state)
{
	static const unsigned int flags[] = { 0, TRACE_WRITE_GZIP };
	uint64_t seed = test_seed() + 5;
	struct trace_access *acc = random_accesses(100000, &seed);
	char err[TUXMM_ERRMSG_MAX];

	(void)state;
	if (access("/dev/full", W_OK))
		skip();
	for (int f = 0; f < 2; f++) {
		struct trace_writer *w;
		int ret = 0;

		ret = trace_writer_open("/dev/full", TRACE_FMT_BINARY, flags[f], &w, err);
		assert_int_equal(ret, 0);
		for (size_t i = 0; i < 100000 && !ret; i++)
			ret = trace_write(w, &acc[i]);
		ret = trace_writer_close(w, err);
		if (ret != -ENOSPC && !(flags[f] && ret == -EIO))
			fail_msg("flags %u: %d '%s'", flags[f], ret, err);
		assert_non_null(strstr(err, "/dev/full: write error"));
	}
	free(acc);
}

static void writer_rejects_size_zero_and_bad_kind(void **state)
{
	struct trace_writer *w;
	char err[TUXMM_ERRMSG_MAX];
	struct trace_access a = A(LD, 0x1000, 0, 0);

	(void)state;
	assert_int_equal(trace_writer_open_mem(TRACE_FMT_BINARY, &w, err), 0);
	assert_int_equal(trace_write(w, &a), -EINVAL);
	assert_non_null(strstr(trace_writer_error(w), "access 1: size 0"));
	assert_int_equal(trace_writer_close(w, err), -EINVAL);
	assert_int_equal(trace_writer_open_mem(TRACE_FMT_CLASSIC, &w, err), 0);
	a.size = 4;
	a.kind = 3;
	assert_int_equal(trace_write(w, &a), -EINVAL);
	assert_non_null(strstr(trace_writer_error(w), "kind is not load, store or fetch"));
	assert_int_equal(trace_writer_close(w, err), -EINVAL);
	assert_int_equal(trace_writer_open_mem(TRACE_FMT_CSC369, &w, err), -EINVAL);
	assert_non_null(strstr(err, "cannot write format 'csc369'"));
}

static void lackey_writer_pairs_load_and_store_into_modify(void **state)
{
	static const struct trace_access acc[] = {
		A(IF, 0x4001020, 2, 0), A(LD, 0xbec14c40, 4, 0), A(ST, 0xbec14c40, 4, 0),
		A(LD, 0x10, 4, 0), A(ST, 0x10, 8, 0), A(LD, 0x20, 1, 0),
	};
	static const char want[] = "I  04001020,2\n M bec14c40,4\n L 00000010,4\n"
				   " S 00000010,8\n L 00000020,1\n";
	size_t len;
	char *text = (char *)write_mem(acc, 6, TRACE_FMT_LACKEY, &len);

	(void)state;
	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
	free(text);
	text = (char *)write_mem(acc, 6, TRACE_FMT_CLASSIC, &len);
	assert_int_equal(len, 6 * 11);
	assert_memory_equal(text, "04001020 R\nbec14c40 R\nbec14c40 W\n", 33);
	free(text);
}

static void convert_refuses_same_file_and_cleans_up_on_error(void **state)
{
	char *in = write_text("bad.txt", "00000010 R\nnope\n");
	char *out = tmp_path("bad.bin");
	char err[TUXMM_ERRMSG_MAX];
	struct trace_stats st;

	(void)state;
	assert_int_equal(trace_convert(in, in, TRACE_FMT_BINARY, 0, &st, err), -EINVAL);
	assert_non_null(strstr(err, "input and output are the same file"));
	assert_int_equal(trace_convert(in, out, TRACE_FMT_BINARY, 0, &st, err), -EINVAL);
	assert_non_null(strstr(err, "bad.txt:2: expected 'ADDRESS R|W', got 'nope'"));
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(trace_convert(in, out, TRACE_FMT_CSC369, 0, &st, err), -EINVAL);
	free(in);
	free(out);
}

/* ---- the real traces ---- */

static char *real_trace(const char *name)
{
	char *p = malloc(strlen(TUXMM_TRACES_DIR) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", TUXMM_TRACES_DIR, name);
	if (access(p, R_OK))
		fail_msg("%s: missing (the real traces live in ../shared/traces)", p);
	return p;
}

struct real_counts {
	const char *name;
	enum trace_format fmt;
	uint64_t accesses, loads, stores, fetches, modify, lines, skipped, foreign;
};

static void real_traces_have_their_exact_counts(void **state)
{
	/* Counted independently with zcat | grep -c over each file. */
	static const struct real_counts cases[] = {
		{ "thain-bzip.trace.gz", TRACE_FMT_CLASSIC, 1000000, 877581, 122419, 0, 0,
		  1000000, 0, 0 },
		{ "thain-gcc.trace.gz", TRACE_FMT_CLASSIC, 1000000, 892816, 107184, 0, 0,
		  1000000, 0, 0 },
		{ "thain-sixpack.trace.gz", TRACE_FMT_CLASSIC, 1000000, 839017, 160983, 0, 0,
		  1000000, 0, 0 },
		{ "thain-swim.trace.gz", TRACE_FMT_CLASSIC, 1000000, 932830, 67170, 0, 0,
		  1000000, 0, 0 },
		{ "adelaide/trace1", TRACE_FMT_CLASSIC, 12, 9, 3, 0, 0, 12, 0, 0 },
		{ "adelaide/trace2", TRACE_FMT_CLASSIC, 20, 8, 12, 0, 0, 20, 0, 0 },
		{ "adelaide/trace3", TRACE_FMT_CLASSIC, 201, 187, 14, 0, 0, 201, 0, 0 },
		/* I 2663, L 4503, S 3180, M 534 lines. */
		{ "csc369/tr-simpleloop.ref", TRACE_FMT_CSC369, 11414, 4503 + 534, 3180 + 534,
		  2663, 534, 10880, 0, 0 },
		/* I 529053, L 162473, S 71696, M 3165; 62 valgrind lines, 4 of ls's output. */
		{ "lackey-x86-ls-l.trace.gz", TRACE_FMT_LACKEY, 769552, 162473 + 3165,
		  71696 + 3165, 529053, 3165, 766453, 66, 4 },
		/* I 1331724, L 268774, S 108779, M 2486; 60 valgrind lines. */
		{ "lackey-x86-gcc-hello.trace.gz", TRACE_FMT_LACKEY, 1714249, 268774 + 2486,
		  108779 + 2486, 1331724, 2486, 1711823, 60, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct real_counts *c = &cases[i];
		char *path = real_trace(c->name);
		struct result r = read_path(path);

		if (r.ret)
			fail_msg("%s: %s", c->name, r.err);
		if (r.fmt != c->fmt || r.n != c->accesses || r.st.nr_accesses != c->accesses ||
		    r.st.nr_kind[TRACE_LOAD] != c->loads ||
		    r.st.nr_kind[TRACE_STORE] != c->stores ||
		    r.st.nr_kind[TRACE_IFETCH] != c->fetches || r.st.nr_modify != c->modify ||
		    r.st.nr_lines != c->lines || r.st.nr_skipped != c->skipped ||
		    r.st.nr_foreign != c->foreign)
			fail_msg("%s: %s %zu accesses (L %llu S %llu I %llu M %llu), %llu lines, "
				 "%llu skipped, %llu foreign", c->name, trace_format_name(r.fmt),
				 r.n, (unsigned long long)r.st.nr_kind[0],
				 (unsigned long long)r.st.nr_kind[1],
				 (unsigned long long)r.st.nr_kind[2],
				 (unsigned long long)r.st.nr_modify,
				 (unsigned long long)r.st.nr_lines,
				 (unsigned long long)r.st.nr_skipped,
				 (unsigned long long)r.st.nr_foreign);
		result_free(&r);
		free(path);
	}
}

static void real_traces_first_and_last_accesses(void **state)
{
	char *path = real_trace("thain-bzip.trace.gz");
	struct result r = read_path(path);

	(void)state;
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.acc[0].addr, 0x07b243a0);
	assert_int_equal(r.acc[0].kind, TRACE_LOAD);
	assert_int_equal(r.acc[0].size, 1);
	assert_int_equal(r.acc[999999].addr, 0x05fe5180);
	assert_int_equal(r.acc[999999].line, 1000000);
	result_free(&r);
	free(path);

	path = real_trace("lackey-x86-ls-l.trace.gz");
	r = read_path(path);
	assert_int_equal(r.acc[0].addr, 0x04001020);
	assert_int_equal(r.acc[0].size, 2);
	assert_int_equal(r.acc[0].kind, TRACE_IFETCH);
	assert_int_equal(r.acc[0].line, 38);	/* after valgrind's 37-line banner */
	assert_int_equal(r.acc[r.n - 1].addr, 0x04001000);
	assert_int_equal(r.acc[r.n - 1].line, 766434);
	for (size_t i = 0; i < r.n; i++) {
		if (r.acc[i].line == 284) {	/* " M 04028f18,4" */
			assert_int_equal(r.acc[i].kind, TRACE_LOAD);
			assert_int_equal(r.acc[i + 1].kind, TRACE_STORE);
			assert_int_equal(r.acc[i + 1].addr, 0x04028f18);
			assert_int_equal(r.acc[i + 1].line, 284);
			break;
		}
	}
	result_free(&r);
	free(path);

	path = real_trace("csc369/tr-simpleloop.ref");
	r = read_path(path);
	assert_int_equal(r.acc[1].addr, 0x1fff000000);
	assert_int_equal(r.acc[1].kind, TRACE_STORE);
	assert_int_equal(r.acc[r.n - 1].addr, 0x5017000);
	result_free(&r);
	free(path);
}

/* gunzip_file - the whole decompressed content of @path. Caller frees. */
static char *gunzip_file(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	int n;

	assert_non_null(gz);
	*len = 0;
	while ((n = gzread(gz, buf + *len, (unsigned int)(cap - *len))) > 0) {
		*len += (size_t)n;
		if (*len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	gzclose(gz);
	return buf;
}

static void thain_classic_binary_classic_is_byte_identical(void **state)
{
	char *in = real_trace("thain-bzip.trace.gz");
	char *bin = tmp_path("bzip.bin"), *back = tmp_path("bzip.txt");
	char err[TUXMM_ERRMSG_MAX];
	size_t orig_len, back_len;
	char *orig, *text;
	struct trace_stats st;
	struct stat sb;

	(void)state;
	if (trace_convert(in, bin, TRACE_FMT_BINARY, 0, &st, err))
		fail_msg("%s", err);
	assert_int_equal(st.nr_accesses, 1000000);
	assert_int_equal(stat(bin, &sb), 0);
	assert_true(sb.st_size < 11000000 / 2);	/* under half the text */
	if (trace_convert(bin, back, TRACE_FMT_CLASSIC, 0, &st, err))
		fail_msg("%s", err);
	orig = gunzip_file(in, &orig_len);
	text = gunzip_file(back, &back_len);	/* gzopen reads plain files too */
	assert_int_equal(orig_len, back_len);
	assert_memory_equal(orig, text, orig_len);
	free(orig);
	free(text);
	free(in);
	free(bin);
	free(back);
}

static void lackey_binary_round_trip_is_identical(void **state)
{
	char *in = real_trace("lackey-x86-ls-l.trace.gz");
	char *bin = tmp_path("ls.bin.gz"), *text = tmp_path("ls.lackey");
	char err[TUXMM_ERRMSG_MAX];
	struct result a = read_path(in), b, c;
	struct stat sb;

	(void)state;
	if (trace_convert(in, bin, TRACE_FMT_BINARY, TRACE_WRITE_GZIP, NULL, err))
		fail_msg("%s", err);
	b = read_path(bin);
	assert_int_equal(b.fmt, TRACE_FMT_BINARY);
	assert_same(&a, &b, false);
	assert_int_equal(stat(bin, &sb), 0);
	assert_true(sb.st_size < 619978);	/* smaller than the gzip'd lackey log */
	if (trace_convert(bin, text, TRACE_FMT_LACKEY, 0, NULL, err))
		fail_msg("%s", err);
	c = read_path(text);
	assert_same(&a, &c, false);
	assert_int_equal(c.st.nr_modify, 3165);	/* M lines come back as M */
	result_free(&a);
	result_free(&b);
	result_free(&c);
	free(in);
	free(bin);
	free(text);
}

/* ---- malformed input ---- */

static void mutated_inputs_never_crash(void **state)
{
	static const char classic[] = "07b243a0 R\n00228d40 W\n0x000e8440 R\n\n";
	static const char csc[] = "I 4001000\nS 1fff000000\nM 4228000\n";
	uint64_t seed = test_seed() + 3;
	struct trace_access *acc = random_accesses(200, &seed);
	size_t blen, glen;
	unsigned char *bin = write_mem(acc, 200, TRACE_FMT_BINARY, &blen);
	unsigned char *gz = gzip_bytes(lackey_sample, strlen(lackey_sample), &glen);
	const struct {
		const void *data;
		size_t len;
	} seeds[] = {
		{ classic, sizeof(classic) - 1 }, { csc, sizeof(csc) - 1 },
		{ lackey_sample, sizeof(lackey_sample) - 1 }, { bin, blen }, { gz, glen },
	};
	unsigned char buf[16384];

	(void)state;
	assert_true(blen <= sizeof(buf));
	for (int round = 0; round < 4000; round++) {
		size_t s = (size_t)round % 5, len = seeds[s].len;
		struct trace_options opts = { .buffer_bytes = 64 + test_rand(&seed) % 200 };
		struct result r;

		memcpy(buf, seeds[s].data, len);
		for (int k = 1 + (int)(test_rand(&seed) % 4); k > 0; k--) {
			uint64_t x = test_rand(&seed);
			size_t at = (size_t)(x >> 8) % len;

			switch (x % 4) {
			case 0:
				buf[at] = (unsigned char)(x >> 40);
				break;
			case 1:
				buf[at] ^= (unsigned char)(1u << ((x >> 40) % 8));
				break;
			case 2:
				len = at;	/* truncate */
				break;
			default:
				buf[at] = "\n 0xRWILSM,="[(x >> 40) % 12];
				break;
			}
			if (!len)
				break;
		}
		r = read_mem_opts(buf, len, round % 2 ? &opts : NULL);
		if (r.ret && r.ret != -EINVAL)
			fail_msg("round %d: error %d '%s'", round, r.ret, r.err);
		if (r.ret && !r.err[0])
			fail_msg("round %d: error without a message", round);
		result_free(&r);
	}
	free(bin);
	free(gz);
	free(acc);
}

static void format_names_round_trip(void **state)
{
	enum trace_format f;

	(void)state;
	for (f = TRACE_FMT_LACKEY; f <= TRACE_FMT_BINARY; f++) {
		enum trace_format g;

		assert_int_equal(trace_format_parse(trace_format_name(f), &g), 0);
		assert_int_equal(g, f);
	}
	assert_int_equal(trace_format_parse("valgrind", &f), -EINVAL);
}

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tuxmm-trace-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	(void)state;
	while (d && (de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = tmp_path(de->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classic_lines_give_loads_and_stores),
		cmocka_unit_test(classic_accepts_digit_counts_prefix_case_crlf),
		cmocka_unit_test(classic_skips_blank_and_comment_lines),
		cmocka_unit_test(classic_malformed_line_names_file_and_line),
		cmocka_unit_test(classic_address_over_64_bits_is_an_error),
		cmocka_unit_test(classic_line_longer_than_buffer_is_an_error),
		cmocka_unit_test(lackey_lines_give_kinds_and_sizes),
		cmocka_unit_test(lackey_skips_valgrind_and_program_lines_and_counts_them),
		cmocka_unit_test(lackey_overlong_foreign_line_is_skipped),
		cmocka_unit_test(csc369_lines_give_kinds),
		cmocka_unit_test(csc369_malformed_line_is_an_error),
		cmocka_unit_test(detection_is_by_content_not_name),
		cmocka_unit_test(forced_format_overrides_detection),
		cmocka_unit_test(unknown_format_error_names_known_formats),
		cmocka_unit_test(empty_file_is_an_empty_trace),
		cmocka_unit_test(gzip_input_is_transparent),
		cmocka_unit_test(truncated_or_corrupt_gzip_is_an_error),
		cmocka_unit_test(other_compression_is_named),
		cmocka_unit_test(binary_round_trip_keeps_every_field),
		cmocka_unit_test(binary_empty_trace_is_header_and_end),
		cmocka_unit_test(binary_encoding_is_as_documented),
		cmocka_unit_test(binary_truncated_anywhere_is_an_error),
		cmocka_unit_test(binary_errors_name_the_byte),
		cmocka_unit_test(tiny_buffers_give_the_same_accesses),
		cmocka_unit_test(trace_next_and_trace_read_agree),
		cmocka_unit_test(stdin_dash_reads_standard_input),
		cmocka_unit_test(missing_file_is_enoent),
		cmocka_unit_test(options_are_checked),
		cmocka_unit_test(memory_writer_grows),
		cmocka_unit_test(write_errors_are_reported),
		cmocka_unit_test(writer_rejects_size_zero_and_bad_kind),
		cmocka_unit_test(lackey_writer_pairs_load_and_store_into_modify),
		cmocka_unit_test(convert_refuses_same_file_and_cleans_up_on_error),
		cmocka_unit_test(real_traces_have_their_exact_counts),
		cmocka_unit_test(real_traces_first_and_last_accesses),
		cmocka_unit_test(thain_classic_binary_classic_is_byte_identical),
		cmocka_unit_test(lackey_binary_round_trip_is_identical),
		cmocka_unit_test(mutated_inputs_never_crash),
		cmocka_unit_test(format_names_round_trip),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
