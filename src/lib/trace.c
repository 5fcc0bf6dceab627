/*
 * trace.c - the trace reader: sources (file, stdin, memory), transparent gzip, the read
 * buffer, format detection by content, and the iterator (trace_read, trace_next).
 * Keeps: no global state; a failed reader stays failed with the same error and message.
 */
#define _GNU_SOURCE	/* memrchr */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "trace_internal.h"

static const char *const format_names[] = {
	[TRACE_FMT_AUTO] = "auto",	 [TRACE_FMT_EMPTY] = "empty",
	[TRACE_FMT_LACKEY] = "lackey",	 [TRACE_FMT_CLASSIC] = "classic",
	[TRACE_FMT_CSC369] = "csc369",	 [TRACE_FMT_BINARY] = "binary",
};

/* The message for input in no known format lists them all. */
#define KNOWN_FORMATS                                                                      \
	"valgrind lackey ('I  ADDR,SIZE', ' L|S|M ADDR,SIZE'), classic 'ADDRESS R|W', "   \
	"csc369 'I|L|S|M ADDRESS', tuxmm binary; any of them gzip-compressed"

/*
 * trace_format_name - the name of @fmt as the CLI spells it.
 */
const char *trace_format_name(enum trace_format fmt)
{
	if ((unsigned int)fmt < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[fmt];
	return "?";
}

/*
 * trace_format_parse - the format called @name; -EINVAL for an unknown name.
 */
int trace_format_parse(const char *name, enum trace_format *fmt)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (i != TRACE_FMT_EMPTY && !strcmp(name, format_names[i])) {
			*fmt = (enum trace_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

int trace_fail(struct trace_reader *tr, int err, const char *fmt, ...)
{
	va_list ap;

	if (tr->error)
		return tr->error;
	va_start(ap, fmt);
	vsnprintf(tr->errmsg, sizeof(tr->errmsg), fmt, ap);
	va_end(ap);
	tr->error = err;
	return err;
}

void trace_quote(char *dst, size_t size, const unsigned char *p, size_t len)
{
	size_t o = 0, max = 40;

	for (size_t i = 0; i < len && i < max && o + 5 < size; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			dst[o++] = (char)p[i];
		else
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", p[i]);
	}
	if (len > max && o + 4 < size) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

/* raw_read - up to @n bytes from the file or memory block; 0 at its end, or -errno. */
static long raw_read(struct trace_reader *tr, unsigned char *dst, size_t n)
{
	ssize_t got;

	if (tr->fd < 0) {
		size_t left = tr->mem_len - tr->mem_pos;

		n = n < left ? n : left;
		memcpy(dst, tr->mem + tr->mem_pos, n);
		tr->mem_pos += n;
		return (long)n;
	}
	do
		got = read(tr->fd, dst, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		int err = errno;

		return trace_fail(tr, -err, "%s: read error: %s", tr->name, strerror(err));
	}
	return (long)got;
}

/*
 * gz_read - inflate up to @n bytes into @dst, member after member.
 * A stream that ends inside a member is truncated: -EINVAL, as is corrupt data.
 */
static long gz_read(struct trace_reader *tr, unsigned char *dst, size_t n)
{
	z_stream *z = tr->z;
	int ret;

	z->next_out = dst;
	z->avail_out = (uInt)n;
	while (z->avail_out) {
		if (!z->avail_in && !tr->raw_eof) {
			long got = raw_read(tr, tr->zbuf, tr->zcap);

			if (got < 0)
				return got;
			if (!got)
				tr->raw_eof = true;
			z->next_in = tr->zbuf;
			z->avail_in = (uInt)got;
		}
		if (tr->z_member_end) {
			if (!z->avail_in && tr->raw_eof)
				break;
			if (!z->avail_in)
				continue;
			inflateReset(z);
			tr->z_member_end = false;
		}
		ret = inflate(z, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			tr->z_member_end = true;
		} else if (ret == Z_MEM_ERROR) {
			return trace_fail(tr, -ENOMEM, "%s: out of memory for gzip", tr->name);
		} else if (ret == Z_BUF_ERROR && !z->avail_in && tr->raw_eof) {
			return trace_fail(tr, -EINVAL,
					  "%s: truncated gzip stream (after %llu bytes)", tr->name,
					  (unsigned long long)(tr->st.bytes + n - z->avail_out));
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			return trace_fail(tr, -EINVAL, "%s: corrupt gzip data (%s)", tr->name,
					  z->msg ? z->msg : "unknown error");
		} else if (ret == Z_BUF_ERROR && z->avail_in) {
			return trace_fail(tr, -EINVAL, "%s: corrupt gzip data (no progress)",
					  tr->name);
		}
	}
	return (long)(n - z->avail_out);
}

int trace_fill(struct trace_reader *tr)
{
	if (tr->pos) {
		memmove(tr->buf, tr->buf + tr->pos, tr->end - tr->pos);
		tr->base_off += tr->pos;
		tr->end -= tr->pos;
		tr->lim = tr->lim > tr->pos ? tr->lim - tr->pos : 0;
		tr->pos = 0;
	}
	while (tr->end < tr->cap && !tr->eof) {
		long got = tr->z ? gz_read(tr, tr->buf + tr->end, tr->cap - tr->end)
				 : raw_read(tr, tr->buf + tr->end, tr->cap - tr->end);

		if (got < 0)
			return (int)got;
		if (!got) {
			tr->eof = true;
			if (!tr->z)
				tr->raw_eof = true;
			break;
		}
		tr->end += (size_t)got;
		tr->st.bytes += (uint64_t)got;
	}
	return 0;
}

/* terminate - at EOF, give a last line without its '\n' one (TRACE_PAD has room). */
static void terminate(struct trace_reader *tr)
{
	if (tr->eof && !tr->terminated && tr->end > tr->pos && tr->buf[tr->end - 1] != '\n')
		tr->buf[tr->end++] = '\n';
	tr->terminated = tr->eof;
}

/* skip_long_line - lackey: drop bytes up to the end of a line longer than the buffer. */
static void skip_long_line(struct trace_reader *tr)
{
	unsigned char *nl = memchr(tr->buf + tr->pos, '\n', tr->end - tr->pos);

	if (!nl && !tr->eof) {
		tr->pos = tr->end;
		return;
	}
	tr->pos = nl ? (size_t)(nl + 1 - tr->buf) : tr->end;
	tr->lim = tr->pos;
	tr->skip_long = false;
	tr->line++;
	tr->st.nr_skipped++;
	tr->st.nr_foreign++;
}

int trace_text_window(struct trace_reader *tr)
{
	for (;;) {
		unsigned char *nl;
		int ret;

		if (tr->pos < tr->lim)
			return 1;
		ret = trace_fill(tr);
		if (ret)
			return ret;
		if (tr->skip_long) {
			skip_long_line(tr);
			continue;
		}
		if (tr->eof && tr->pos >= tr->end)
			return 0;
		terminate(tr);
		nl = tr->end > tr->pos ? memrchr(tr->buf + tr->pos, '\n', tr->end - tr->pos) : NULL;
		if (nl) {
			tr->lim = (size_t)(nl + 1 - tr->buf);
			continue;
		}
		if (tr->eof)
			return 0;
		/* The buffer is full and holds no '\n': one line longer than the buffer. */
		if (tr->fmt == TRACE_FMT_LACKEY) {
			tr->skip_long = true;
			tr->pos = tr->end;
			continue;
		}
		return trace_fail(tr, -EINVAL, "%s:%llu: line longer than %zu bytes", tr->name,
				  (unsigned long long)tr->line + 1, tr->cap);
	}
}

/* other_compression - the name of a compressor whose magic starts @p, or NULL. */
static const char *other_compression(const unsigned char *p, size_t len)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t len;
	} magics[] = {
		{ "xz", "\xfd" "7zXZ\0", 6 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "bzip2", "BZh", 3 },
		{ "lz4", "\x04\x22\x4d\x18", 4 },
	};

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		if (len >= magics[i].len && !memcmp(p, magics[i].magic, magics[i].len)) {
			/* "BZh" must be followed by a block size digit to be bzip2. */
			if (p[0] == 'B' && (len < 4 || p[3] < '1' || p[3] > '9'))
				continue;
			return magics[i].name;
		}
	}
	return NULL;
}

/* start_gzip - the bytes read so far are gzip: make them inflate's input. */
static int start_gzip(struct trace_reader *tr)
{
	unsigned char *nbuf = host_zalloc(tr->cap + TRACE_PAD);

	tr->z = host_zalloc(sizeof(*tr->z));
	if (!nbuf || !tr->z) {
		host_free(nbuf);
		return trace_fail(tr, -ENOMEM, "%s: out of memory", tr->name);
	}
	/* 16 + MAX_WBITS: gzip framing only, with its CRC and length checked. */
	if (inflateInit2(tr->z, 16 + MAX_WBITS) != Z_OK) {
		host_free(nbuf);
		host_free(tr->z);
		tr->z = NULL;
		return trace_fail(tr, -ENOMEM, "%s: cannot start gzip", tr->name);
	}
	tr->zbuf = tr->buf;
	tr->zcap = tr->cap;
	tr->z->next_in = tr->zbuf;
	tr->z->avail_in = (uInt)tr->end;
	tr->buf = nbuf;
	tr->pos = tr->lim = tr->end = 0;
	tr->st.bytes = 0;
	tr->eof = false;
	return trace_fill(tr);
}

/*
 * detect - name the format of the first window: binary by its magic, text by the first
 * line that matches a known format (blank and '#' lines are neutral).
 */
static int detect(struct trace_reader *tr)
{
	const unsigned char *p = tr->buf, *e;
	char got[128];

	if (!tr->end) {
		tr->fmt = TRACE_FMT_EMPTY;
		return 0;
	}
	if (trace_binary_magic(tr->buf, tr->end)) {
		tr->fmt = TRACE_FMT_BINARY;
		return 0;
	}
	terminate(tr);
	e = memrchr(tr->buf, '\n', tr->end);
	e = e ? e + 1 : tr->buf;
	for (; p < e; p = (const unsigned char *)memchr(p, '\n', (size_t)(e - p)) + 1) {
		enum trace_format f = trace_classify_line(p);

		if (f != TRACE_FMT_EMPTY && f != TRACE_FMT_AUTO) {
			tr->fmt = f;
			return 0;
		}
	}
	for (p = tr->buf; p < e && trace_classify_line(p) == TRACE_FMT_EMPTY;)
		p = (const unsigned char *)memchr(p, '\n', (size_t)(e - p)) + 1;
	if (p == e && tr->eof) {
		tr->fmt = TRACE_FMT_EMPTY;	/* nothing but blank and comment lines */
		tr->pos = tr->end;
		return 0;
	}
	if (p < e) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(e - p));

		trace_quote(got, sizeof(got), p, (size_t)(nl - p));
	} else {
		trace_quote(got, sizeof(got), tr->buf, tr->end);
	}
	return trace_fail(tr, -EINVAL, "%s: not a trace in any known format (%s); %s '%s'",
			  tr->name, KNOWN_FORMATS, tr->eof ? "it starts" : "its first lines read",
			  got);
}

/* reader_start - size the buffer, sniff gzip and the format; message in @err on failure. */
static int reader_start(struct trace_reader *tr, const struct trace_options *opts,
			size_t size_hint, char *err)
{
	enum trace_format fmt = opts ? opts->format : TRACE_FMT_AUTO;
	size_t cap = opts && opts->buffer_bytes ? opts->buffer_bytes : TRACE_DEFAULT_BUFFER;
	const char *other;
	int ret = -ENOMEM;

	if (cap < TRACE_MIN_BUFFER)
		cap = TRACE_MIN_BUFFER;
	if (cap > TRACE_MAX_BUFFER)
		cap = TRACE_MAX_BUFFER;
	if (size_hint && size_hint < cap && !(opts && opts->buffer_bytes))
		cap = size_hint < TRACE_MIN_BUFFER ? TRACE_MIN_BUFFER : size_hint;
	if (fmt == TRACE_FMT_EMPTY || (unsigned int)fmt > TRACE_FMT_BINARY) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: cannot read format %d", tr->name, (int)fmt);
		return -EINVAL;
	}
	tr->cap = cap;
	tr->buf = host_zalloc(cap + TRACE_PAD);
	if (!tr->buf)
		goto out_err;
	ret = trace_fill(tr);
	if (!ret && tr->end >= 2 && tr->buf[0] == 0x1f && tr->buf[1] == 0x8b)
		ret = start_gzip(tr);
	if (ret)
		goto out_err;
	other = other_compression(tr->buf, tr->end);
	if (other && fmt == TRACE_FMT_AUTO) {
		ret = trace_fail(tr, -EINVAL, "%s: %s-compressed; decompress it first (tuxmm reads "
				 "gzip itself)", tr->name, other);
		goto out_err;
	}
	tr->fmt = fmt;
	if (fmt == TRACE_FMT_AUTO) {
		ret = detect(tr);
		if (ret)
			goto out_err;
	}
	return 0;

out_err:
	if (ret == -ENOMEM && !tr->error)
		trace_fail(tr, -ENOMEM, "%s: out of memory", tr->name);
	snprintf(err, TUXMM_ERRMSG_MAX, "%s", tr->errmsg);
	return ret;
}

/* reader_alloc - a reader named @name reading from nothing yet. */
static struct trace_reader *reader_alloc(const char *name)
{
	struct trace_reader *tr = host_zalloc(sizeof(*tr));

	if (!tr)
		return NULL;
	tr->fd = -1;
	tr->name = host_zalloc(strlen(name) + 1);
	if (!tr->name) {
		host_free(tr);
		return NULL;
	}
	strcpy(tr->name, name);
	return tr;
}

int trace_open(const char *path, const struct trace_options *opts, struct trace_reader **out,
	       char *err)
{
	bool is_stdin = !strcmp(path, "-");
	struct trace_reader *tr = reader_alloc(is_stdin ? "<stdin>" : path);
	int ret;

	*out = NULL;
	if (!tr) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (is_stdin) {
		tr->fd = STDIN_FILENO;
	} else {
		tr->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (tr->fd < 0) {
			ret = -errno;
			snprintf(err, TUXMM_ERRMSG_MAX, "%s: %s", path, strerror(-ret));
			trace_close(tr);
			return ret;
		}
		tr->close_fd = true;
	}
	ret = reader_start(tr, opts, 0, err);
	if (ret) {
		trace_close(tr);
		return ret;
	}
	*out = tr;
	return 0;
}

int trace_open_mem(const void *data, size_t len, const char *name,
		   const struct trace_options *opts, struct trace_reader **out, char *err)
{
	struct trace_reader *tr = reader_alloc(name ? name : "<memory>");
	const unsigned char *p = data;
	bool gz = len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
	int ret;

	*out = NULL;
	if (!tr) {
		snprintf(err, TUXMM_ERRMSG_MAX, "%s: out of memory", name ? name : "<memory>");
		return -ENOMEM;
	}
	tr->mem = data;
	tr->mem_len = len;
	/* A small uncompressed block needs no 1 MiB buffer (fuzzing opens many). */
	ret = reader_start(tr, opts, gz ? 0 : len + 1, err);
	if (ret) {
		trace_close(tr);
		return ret;
	}
	*out = tr;
	return 0;
}

void trace_close(struct trace_reader *tr)
{
	if (!tr)
		return;
	if (tr->close_fd)
		close(tr->fd);
	if (tr->z) {
		inflateEnd(tr->z);
		host_free(tr->z);
	}
	host_free(tr->zbuf);
	host_free(tr->buf);
	host_free(tr->batch);
	host_free(tr->name);
	host_free(tr);
}

/* parse - decode the next accesses in the reader's format. */
static long parse(struct trace_reader *tr, struct trace_access *acc, size_t max)
{
	switch (tr->fmt) {
	case TRACE_FMT_CLASSIC:
		return trace_parse_classic(tr, acc, max);
	case TRACE_FMT_CSC369:
		return trace_parse_csc369(tr, acc, max);
	case TRACE_FMT_LACKEY:
		return trace_parse_lackey(tr, acc, max);
	case TRACE_FMT_BINARY:
		return trace_parse_binary(tr, acc, max);
	default:
		tr->st.nr_lines = tr->line;
		return 0;
	}
}

/* account - count @n accesses handed over from the batch (@sign 1) or taken back (-1). */
static void account(struct trace_reader *tr, const struct trace_access *acc, size_t n, int sign)
{
	for (size_t i = 0; i < n; i++)
		tr->st.nr_kind[acc[i].kind] += (uint64_t)(int64_t)sign;
	tr->st.nr_accesses += (uint64_t)(int64_t)sign * n;
}

long trace_read(struct trace_reader *tr, struct trace_access *acc, size_t max)
{
	if (tr->batch_pos < tr->batch_len) {
		size_t left = tr->batch_len - tr->batch_pos, n = max < left ? max : left;

		memcpy(acc, tr->batch + tr->batch_pos, n * sizeof(*acc));
		tr->batch_pos += n;
		account(tr, acc, n, 1);
		return (long)n;
	}
	if (tr->error)
		return tr->error;
	if (!max)
		return 0;
	if (max < 2)
		return trace_next(tr, acc);
	return parse(tr, acc, max);
}

int trace_next(struct trace_reader *tr, struct trace_access *acc)
{
	long n;

	if (tr->batch_pos == tr->batch_len) {
		if (tr->error)
			return tr->error;
		if (!tr->batch) {
			tr->batch = host_zalloc(TRACE_BATCH * sizeof(*tr->batch));
			if (!tr->batch)
				return trace_fail(tr, -ENOMEM, "%s: out of memory", tr->name);
		}
		n = parse(tr, tr->batch, TRACE_BATCH);
		if (n <= 0)
			return (int)n;
		/* The parser counted the whole batch; count each access as it is returned. */
		account(tr, tr->batch, (size_t)n, -1);
		tr->batch_pos = 0;
		tr->batch_len = (size_t)n;
	}
	*acc = tr->batch[tr->batch_pos++];
	account(tr, acc, 1, 1);
	return 1;
}

const char *trace_error(const struct trace_reader *tr)
{
	return tr->errmsg;
}

enum trace_format trace_reader_format(const struct trace_reader *tr)
{
	return tr->fmt;
}

const struct trace_stats *trace_reader_stats(const struct trace_reader *tr)
{
	return &tr->st;
}

const char *trace_reader_name(const struct trace_reader *tr)
{
	return tr->name;
}
