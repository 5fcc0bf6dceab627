/*
 * trace_write.c - trace writers (binary, classic, lackey; to a file, stdout or memory,
 * optionally gzip-compressed) and the converter behind `tuxmm trace-convert`.
 * Keeps: output is buffered; the first error sticks and is reported at close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "trace_internal.h"

#define WRITE_BUFFER	(256u << 10)	/* bytes */
#define MAX_LINE	64		/* bytes: the longest record or line one access makes */

struct trace_writer {
	char *name;			/* for messages: the path or "<stdout>" */
	enum trace_format fmt;
	int fd;				/* -1 for gzip or memory output */
	bool close_fd;
	gzFile gz;			/* NULL unless compressing */
	bool to_mem;
	unsigned char *buf;
	size_t len, cap;		/* bytes */
	uint64_t pred[2];		/* binary: predicted data and code addresses */
	uint64_t nr_accesses;
	struct trace_access pending;	/* lackey: a load that may pair with a store into M */
	bool have_pending;
	int error;			/* sticky -errno */
	char errmsg[TUXMM_ERRMSG_MAX];
};

static int writer_fail(struct trace_writer *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* writer_fail - record error @err with a message, unless one is recorded; returns it. */
static int writer_fail(struct trace_writer *w, int err, const char *fmt, ...)
{
	va_list ap;

	if (w->error)
		return w->error;
	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof(w->errmsg), fmt, ap);
	va_end(ap);
	w->error = err;
	return err;
}

/* flush - hand the buffered bytes to the file or gzip; memory output just grows. */
static int flush(struct trace_writer *w)
{
	size_t off = 0;

	if (w->to_mem || !w->len || w->error)
		return w->error;
	if (w->gz) {
		if (gzwrite(w->gz, w->buf, (unsigned int)w->len) != (int)w->len) {
			int zerr, err = errno;
			const char *msg = gzerror(w->gz, &zerr);

			err = zerr == Z_ERRNO ? err : EIO;
			return writer_fail(w, -err, "%s: write error: %s", w->name,
					   zerr == Z_ERRNO ? strerror(err) : msg);
		}
		w->len = 0;
		return 0;
	}
	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;

			return writer_fail(w, -err, "%s: write error: %s", w->name, strerror(err));
		}
		off += (size_t)n;
	}
	w->len = 0;
	return 0;
}

/* room - make MAX_LINE bytes free at the end of the buffer. */
static int room(struct trace_writer *w)
{
	if (w->len + MAX_LINE <= w->cap)
		return 0;
	if (w->to_mem) {
		unsigned char *nbuf = host_realloc(w->buf, w->cap * 2);

		if (!nbuf)
			return writer_fail(w, -ENOMEM, "%s: out of memory", w->name);
		w->buf = nbuf;
		w->cap *= 2;
		return 0;
	}
	return flush(w);
}

/* put_hex - @v in lower-case hex, at least 8 digits as lackey and the classic traces do. */
static size_t put_hex(unsigned char *dst, uint64_t v)
{
	int nd = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;

	if (nd < 8)
		nd = 8;
	for (int i = nd - 1; i >= 0; i--, v >>= 4)
		dst[i] = (unsigned char)"0123456789abcdef"[v & 15];
	return (size_t)nd;
}

/* put_dec - @v in decimal at @dst; returns its length. */
static size_t put_dec(unsigned char *dst, uint32_t v)
{
	unsigned char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

/* put_lackey - one lackey line; @kind may be 'M' for a modify. */
static void put_lackey(struct trace_writer *w, const struct trace_access *a, char kind)
{
	unsigned char *d = w->buf + w->len;
	size_t n = 3;

	d[0] = kind == 'I' ? 'I' : ' ';
	d[1] = kind == 'I' ? ' ' : (unsigned char)kind;
	d[2] = ' ';
	n += put_hex(d + n, a->addr);
	d[n++] = ',';
	n += put_dec(d + n, a->size);
	d[n++] = '\n';
	w->len += n;
}

/* flush_pending - write a held lackey load as an L line. */
static int flush_pending(struct trace_writer *w)
{
	int ret;

	if (!w->have_pending)
		return 0;
	ret = room(w);
	if (ret)
		return ret;
	put_lackey(w, &w->pending, 'L');
	w->have_pending = false;
	return 0;
}

int trace_write(struct trace_writer *w, const struct trace_access *a)
{
	static const char lackey_kind[TRACE_NR_KINDS] = { 'L', 'S', 'I' };
	unsigned char *d;
	int ret;

	if (w->error)
		return w->error;
	if (a->kind >= TRACE_NR_KINDS || !a->size)
		return writer_fail(w, -EINVAL, "%s: access %llu: %s", w->name,
				   (unsigned long long)w->nr_accesses + 1,
				   a->size ? "kind is not load, store or fetch" : "size 0");
	if (w->fmt == TRACE_FMT_LACKEY && w->have_pending) {
		if (a->kind == TRACE_STORE && a->addr == w->pending.addr &&
		    a->size == w->pending.size) {
			ret = room(w);
			if (ret)
				return ret;
			put_lackey(w, a, 'M');
			w->have_pending = false;
			w->nr_accesses++;
			return 0;
		}
		ret = flush_pending(w);
		if (ret)
			return ret;
	}
	ret = room(w);
	if (ret)
		return ret;
	d = w->buf + w->len;
	switch (w->fmt) {
	case TRACE_FMT_BINARY:
		w->len += trace_bin_encode(w->pred, a, d);
		break;
	case TRACE_FMT_CLASSIC:
		d += put_hex(d, a->addr);
		d[0] = ' ';
		d[1] = a->kind == TRACE_STORE ? 'W' : 'R';
		d[2] = '\n';
		w->len = (size_t)(d + 3 - w->buf);
		break;
	default:
		if (a->kind == TRACE_LOAD) {
			w->pending = *a;
			w->have_pending = true;
		} else {
			put_lackey(w, a, lackey_kind[a->kind]);
		}
		break;
	}
	w->nr_accesses++;
	return 0;
}

/* writable - whether tuxmm writes traces in @fmt. */
static bool writable(enum trace_format fmt)
{
	return fmt == TRACE_FMT_BINARY || fmt == TRACE_FMT_CLASSIC || fmt == TRACE_FMT_LACKEY;
}

/* writer_alloc - a writer of @fmt named @name with its buffer and, for binary, header. */
static struct trace_writer *writer_alloc(const char *name, enum trace_format fmt, char *err)
{
	struct trace_writer *w;

	if (!writable(fmt)) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "%s: cannot write format '%s'; tuxmm writes binary, classic or lackey",
			 name, trace_format_name(fmt));
		return NULL;
	}
	w = host_zalloc(sizeof(*w));
	if (w) {
		w->name = host_zalloc(strlen(name) + 1);
		w->buf = host_zalloc(WRITE_BUFFER);
	}
	if (!w || !w->name || !w->buf) {
		if (w) {
			host_free(w->name);
			host_free(w->buf);
		}
		host_free(w);
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: out of memory", name);
		return NULL;
	}
	strcpy(w->name, name);
	w->fmt = fmt;
	w->fd = -1;
	w->cap = WRITE_BUFFER;
	if (fmt == TRACE_FMT_BINARY)
		w->len = trace_bin_header(w->buf);
	return w;
}

/* writer_free - release @w and its buffer (output already closed). */
static void writer_free(struct trace_writer *w)
{
	host_free(w->buf);
	host_free(w->name);
	host_free(w);
}

int trace_writer_open(const char *path, enum trace_format fmt, unsigned int flags,
		      struct trace_writer **out, char *err)
{
	bool is_stdout = !strcmp(path, "-");
	struct trace_writer *w = writer_alloc(is_stdout ? "<stdout>" : path, fmt, err);
	int fd, ret;

	*out = NULL;
	if (!w)
		return writable(fmt) ? -ENOMEM : -EINVAL;
	fd = is_stdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", path, strerror(-ret));
		writer_free(w);
		return ret;
	}
	if (flags & TRACE_WRITE_GZIP) {
		/* gzclose() closes its descriptor: give it a copy of stdout's. */
		int gfd = is_stdout ? dup(fd) : fd;

		w->gz = gfd < 0 ? NULL : gzdopen(gfd, "wb6");
		if (!w->gz) {
			snprintf(err, TUXMM_ERRMSG_MAX, "%s: cannot start gzip", w->name);
			if (gfd >= 0)
				close(gfd);
			writer_free(w);
			return -ENOMEM;
		}
		gzbuffer(w->gz, WRITE_BUFFER);
	} else {
		w->fd = fd;
		w->close_fd = !is_stdout;
	}
	*out = w;
	return 0;
}

int trace_writer_open_mem(enum trace_format fmt, struct trace_writer **out, char *err)
{
	struct trace_writer *w = writer_alloc("<memory>", fmt, err);

	*out = w;
	if (!w)
		return writable(fmt) ? -ENOMEM : -EINVAL;
	w->to_mem = true;
	return 0;
}

const char *trace_writer_error(const struct trace_writer *w)
{
	return w->errmsg;
}

/* finish - the last bytes: a held lackey load, the binary end record; then flush. */
static int finish(struct trace_writer *w)
{
	int ret = flush_pending(w);

	if (!ret && w->fmt == TRACE_FMT_BINARY) {
		ret = room(w);
		if (!ret)
			w->len += trace_bin_end(w->buf + w->len, w->nr_accesses);
	}
	return ret ? ret : flush(w);
}

int trace_writer_close(struct trace_writer *w, char *err)
{
	int ret;

	if (!w)
		return 0;
	ret = w->error ? w->error : finish(w);
	if (w->gz) {
		int zret = gzclose(w->gz);

		if (zret != Z_OK && !ret)
			ret = writer_fail(w, zret == Z_ERRNO ? -errno : -EIO,
					  "%s: write error: %s", w->name,
					  zret == Z_ERRNO ? strerror(errno) : "gzip failed");
	}
	if (w->close_fd && close(w->fd) && !ret)
		ret = writer_fail(w, -errno, "%s: write error: %s", w->name, strerror(errno));
	if (ret && err)
		snprintf(err, TUXMM_ERRMSG_MAX, "%s", w->errmsg);
	writer_free(w);
	return ret;
}

int trace_writer_take(struct trace_writer *w, void **data, size_t *len, char *err)
{
	int ret = w->error ? w->error : finish(w);

	*data = NULL;
	*len = 0;
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s", w->errmsg);
	} else {
		*data = w->buf;
		*len = w->len;
		w->buf = NULL;
	}
	writer_free(w);
	return ret;
}

/* same_file - whether the reader's file is the file at @path (converting in place). */
static bool same_file(const char *in, const char *out)
{
	struct stat a, b;

	if (!strcmp(in, "-") || !strcmp(out, "-"))
		return false;
	return !stat(in, &a) && !stat(out, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int trace_convert(const char *in, const char *out, enum trace_format fmt, unsigned int flags,
		  struct trace_stats *st, char *err)
{
	struct trace_access acc[1024];
	struct trace_reader *tr;
	struct trace_writer *w;
	long n = 0;
	int ret;

	if (st)
		memset(st, 0, sizeof(*st));
	if (same_file(in, out)) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: input and output are the same file", out);
		return -EINVAL;
	}
	ret = trace_open(in, NULL, &tr, err);
	if (ret)
		return ret;
	ret = trace_writer_open(out, fmt, flags, &w, err);
	if (ret)
		goto out_close_reader;
	while ((n = trace_read(tr, acc, sizeof(acc) / sizeof(acc[0]))) > 0) {
		for (long i = 0; i < n && !ret; i++)
			ret = trace_write(w, &acc[i]);
		if (ret)
			break;
	}
	if (n < 0) {
		ret = (int)n;
		snprintf(err, TUXMM_ERRMSG_MAX, "%s", trace_error(tr));
		trace_writer_close(w, NULL);
	} else {
		if (ret)
			snprintf(err, TUXMM_ERRMSG_MAX, "%s", trace_writer_error(w));
		if (ret)
			trace_writer_close(w, NULL);
		else
			ret = trace_writer_close(w, err);
	}
	/* Leave no half-written file behind. */
	if (ret && strcmp(out, "-"))
		unlink(out);
out_close_reader:
	if (st)
		*st = *trace_reader_stats(tr);
	trace_close(tr);
	return ret;
}
