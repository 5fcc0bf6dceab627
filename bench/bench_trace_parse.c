/*
 * bench_trace_parse.c - how fast the trace reader turns bytes into accesses, per format,
 * beside the floor for the same bytes in the same run: a newline count (wc -l) for text,
 * inflate alone for gzip, lackey text for binary. Synthetic seeded traces, in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bench.h"
#include "trace.h"

#define RUNS 5

struct buf {
	char *data;
	size_t len, cap;
	uint64_t nr_lines;
};

/* buf_put - append the line of @n bytes at @s. */
static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = 2 * b->cap + n + 4096;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			perror("bench_trace_parse");
			exit(1);
		}
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->nr_lines++;
}

/* xorshift - the next seeded pseudo-random number. */
static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * make_traces - @n seeded lines of each text format with a program's rough mix and
 * locality: sequential fetches, stack and heap data; the same accesses in binary.
 */
static void make_traces(uint64_t n, struct buf *classic, struct buf *lackey, struct buf *csc,
			void **bin, size_t *bin_len)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL, pc = 0x401000, sp = 0x7ffd5000, heap = 0x2000000;
	struct trace_writer *w;
	char line[64], err[TUXMM_ERRMSG_MAX];
	static const char sizes[] = { 1, 2, 3, 4, 4, 5, 6, 7 };

	trace_writer_open_mem(TRACE_FMT_BINARY, &w, err);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = xorshift(&seed), addr;
		unsigned int pick = r % 100, size = (unsigned int)sizes[(r >> 8) % 8];
		struct trace_access a = { 0 };
		int len;

		if (pick < 65) {
			pc = r % 50 ? pc + size : 0x401000 + (r >> 16) % 0x80000;
			a = (struct trace_access){ .addr = pc, .size = size, .kind = TRACE_IFETCH };
			len = snprintf(line, sizeof(line), "I  %08llx,%u\n", (unsigned long long)pc,
				       size);
		} else {
			addr = pick < 85 ? sp - (r >> 16) % 256 : heap + (r >> 16) % (1 << 22);
			a = (struct trace_access){ .addr = addr, .size = 4,
						   .kind = pick < 93 ? TRACE_LOAD : TRACE_STORE };
			len = snprintf(line, sizeof(line), " %c %08llx,4\n",
				       a.kind == TRACE_LOAD ? 'L' : 'S', (unsigned long long)addr);
		}
		buf_put(lackey, line, (size_t)len);
		trace_write(w, &a);
		len = snprintf(line, sizeof(line), "%08llx %c\n",
			       (unsigned long long)(a.addr & 0xffffffff),
			       a.kind == TRACE_STORE ? 'W' : 'R');
		buf_put(classic, line, (size_t)len);
		len = snprintf(line, sizeof(line), "%c %llx\n", "LSI"[a.kind],
			       (unsigned long long)(a.addr & ~0xfffULL));
		buf_put(csc, line, (size_t)len);
	}
	trace_writer_take(w, bin, bin_len, err);
}

/* time_parse - ns to read every access of @len bytes at @data; *@nr gets the count. */
static double time_parse(const void *data, size_t len, uint64_t *nr)
{
	static struct trace_access acc[4096];
	struct trace_reader *tr;
	char err[TUXMM_ERRMSG_MAX];
	uint64_t sum = 0, n = 0;
	double t0 = bench_now_ns();
	long got;

	if (trace_open_mem(data, len, "bench", NULL, &tr, err)) {
		fprintf(stderr, "bench_trace_parse: %s\n", err);
		exit(1);
	}
	while ((got = trace_read(tr, acc, 4096)) > 0) {
		for (long i = 0; i < got; i++)
			sum += acc[i].addr + acc[i].size;
		n += (uint64_t)got;
	}
	if (got < 0) {
		fprintf(stderr, "bench_trace_parse: %s\n", trace_error(tr));
		exit(1);
	}
	trace_close(tr);
	bench_keep(sum);
	*nr = n;
	return bench_now_ns() - t0;
}

/*
 * time_newlines - ns to count the '\n' in @len bytes as wc -l does: the floor for any
 * parser that must look at every byte.
 */
static double time_newlines(const char *data, size_t len, uint64_t *nr)
{
	double t0 = bench_now_ns();
	uint64_t n = 0;
	size_t i = 0;

	/* Fixed 64-byte blocks: a trip count the compiler vectorizes at -O2. */
	for (; i + 64 <= len; i += 64) {
		unsigned int c = 0;

		for (unsigned int j = 0; j < 64; j++)
			c += data[i + j] == '\n';
		n += c;
	}
	for (; i < len; i++)
		n += data[i] == '\n';
	*nr = n;
	return bench_now_ns() - t0;
}

/* time_inflate - ns to gunzip @len bytes at @gz, output discarded. */
static double time_inflate(const unsigned char *gz, size_t len)
{
	static unsigned char out[1 << 20];
	z_stream z = { 0 };
	double t0 = bench_now_ns();
	int ret;

	inflateInit2(&z, 16 + MAX_WBITS);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (uInt)len;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		ret = inflate(&z, Z_NO_FLUSH);
	} while (ret == Z_OK);
	inflateEnd(&z);
	bench_keep(out[0]);
	return bench_now_ns() - t0;
}

/* gzip_buf - @len bytes at @data as one gzip member. Caller frees. */
static unsigned char *gzip_buf(const char *data, size_t len, size_t *out_len)
{
	uLong cap = compressBound((uLong)len) + 64;
	unsigned char *out = malloc(cap);
	z_stream z = { 0 };

	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* median_parse - the median ns per line (or access) over RUNS runs, after a warm-up. */
static double median_parse(const void *data, size_t len, uint64_t per, uint64_t *nr)
{
	double runs[RUNS];

	time_parse(data, len, nr);
	for (int r = 0; r < RUNS; r++)
		runs[r] = time_parse(data, len, nr) / (double)per;
	return bench_median(runs, RUNS);
}

/* median_newlines - the median ns per line of the newline count over @b. */
static double median_newlines(const struct buf *b)
{
	double runs[RUNS];
	uint64_t n;

	for (int r = 0; r < RUNS; r++)
		runs[r] = time_newlines(b->data, b->len, &n) / (double)b->nr_lines;
	if (n != b->nr_lines) {
		fprintf(stderr, "bench_trace_parse: counted %llu newlines in %llu lines\n",
			(unsigned long long)n, (unsigned long long)b->nr_lines);
		exit(1);
	}
	return bench_median(runs, RUNS);
}

/* bench_text - the figure for one text format: parse and newline count, ns per line. */
static void bench_text(const char *name, const struct buf *b)
{
	uint64_t nr;
	double parse = median_parse(b->data, b->len, b->nr_lines, &nr);

	printf("bench=trace_parse format=%s lines=%llu ns_per_line=%.2f "
	       "newline_scan_ns_per_line=%.2f mb_per_s=%.0f\n", name,
	       (unsigned long long)b->nr_lines, parse, median_newlines(b),
	       (double)b->len / (parse * (double)b->nr_lines) * 1e3);
}

/* bench_file - one figure for a trace file given on the command line. */
static void bench_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;
	uint64_t nr;
	double ns;

	if (!f) {
		perror(path);
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)))
		buf_put(&b, chunk, n);
	fclose(f);
	time_parse(b.data, b.len, &nr);
	ns = median_parse(b.data, b.len, nr ? nr : 1, &nr);
	printf("bench=trace_parse file=%s bytes=%zu accesses=%llu ns_per_access=%.2f\n", path,
	       b.len, (unsigned long long)nr, ns);
	free(b.data);
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	uint64_t n = quick ? 200000 : 4000000, nr;
	struct buf classic = { 0 }, lackey = { 0 }, csc = { 0 };
	size_t bin_len, gz_len;
	unsigned char *gz;
	double runs[RUNS], bin, text;
	void *binary;

	make_traces(n, &classic, &lackey, &csc, &binary, &bin_len);
	bench_text("classic", &classic);
	bench_text("lackey", &lackey);
	bench_text("csc369", &csc);

	text = median_parse(lackey.data, lackey.len, n, &nr);
	bin = median_parse(binary, bin_len, n, &nr);
	printf("bench=trace_parse format=binary accesses=%llu ns_per_access=%.2f "
	       "bytes_per_access=%.2f lackey_ns_per_access=%.2f lackey_bytes_per_access=%.2f\n",
	       (unsigned long long)nr, bin, (double)bin_len / (double)n, text,
	       (double)lackey.len / (double)n);

	gz = gzip_buf(classic.data, classic.len, &gz_len);
	for (int r = 0; r < RUNS; r++)
		runs[r] = time_inflate(gz, gz_len) / (double)classic.nr_lines;
	printf("bench=trace_parse format=classic.gz lines=%llu ns_per_line=%.2f "
	       "inflate_ns_per_line=%.2f\n", (unsigned long long)classic.nr_lines,
	       median_parse(gz, gz_len, classic.nr_lines, &nr), bench_median(runs, RUNS));

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--quick"))
			bench_file(argv[i]);
	free(gz);
	free(binary);
	free(classic.data);
	free(lackey.data);
	free(csc.data);
	return 0;
}
