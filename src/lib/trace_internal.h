/*
 * trace_internal.h - the trace reader's state and what its parsers share; private to
 * src/lib/trace*.c. See docs/trace-formats.md for the formats themselves.
 * Keeps: text in [pos, lim) is whole lines, each ending in '\n'; TRACE_PAD bytes after end.
 */
#ifndef TUXMM_TRACE_INTERNAL_H
#define TUXMM_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <zlib.h>

#include "trace.h"

#define TRACE_DEFAULT_BUFFER	(1u << 20)	/* bytes of decompressed trace per refill */
#define TRACE_MIN_BUFFER	64		/* bytes: longer than any binary record */
#define TRACE_MAX_BUFFER	(1u << 30)	/* bytes: zlib counts in 32 bits */
#define TRACE_PAD		32		/* readable bytes past the data, for 8-byte loads */
#define TRACE_BATCH		1024		/* accesses decoded at once for trace_next() */

/* The binary format, docs/trace-formats.md. */
#define TRACE_BIN_MAGIC		"\x89TUXTR\r\n"
#define TRACE_BIN_MAGIC_LEN	8
#define TRACE_BIN_HEADER_LEN	16
#define TRACE_BIN_VERSION	1
#define TRACE_BIN_CONTROL	3	/* kind bits of a control record */
#define TRACE_BIN_END		0	/* control ops */
#define TRACE_BIN_DATA_ADDR	1
#define TRACE_BIN_CODE_ADDR	2
#define TRACE_BIN_MAX_RECORD	16	/* bytes: head, 7 delta bytes, a 5-byte size varint */
#define TRACE_BIN_MAX_DELTA	7	/* bytes; larger deltas go through an ADDR record */

/* The size of a 3-bit size code: 1..6 for 1..6, 8 for 7; 0: an explicit size follows. */
static inline uint32_t trace_bin_size(unsigned int code)
{
	return code == 7 ? 8 : code;
}

/* trace_bin_size_code - the code of @size, or 0 when it must be written out. */
static inline unsigned int trace_bin_size_code(uint32_t size)
{
	if (size >= 1 && size <= 6)
		return size;
	return size == 8 ? 7 : 0;
}

struct trace_reader {
	char *name;			/* for messages: the path or "<stdin>" */
	enum trace_format fmt;

	/* The source of raw bytes: a file descriptor or a memory block. */
	int fd;				/* -1 for memory */
	bool close_fd;			/* false for stdin */
	const unsigned char *mem;
	size_t mem_len, mem_pos;	/* bytes */
	bool raw_eof;			/* the source has nothing more */

	/* gzip: the raw bytes go through zbuf and inflate into buf. */
	z_stream *z;			/* NULL for uncompressed input */
	unsigned char *zbuf;
	size_t zcap;			/* bytes */
	bool z_member_end;		/* a gzip member ended; another may follow */

	/* The window of (decompressed) trace bytes. */
	unsigned char *buf;		/* cap + TRACE_PAD bytes */
	size_t cap;			/* bytes */
	size_t pos;			/* next byte to parse */
	size_t lim;			/* text: one past the last whole line */
	size_t end;			/* one past the last byte read */
	uint64_t base_off;		/* stream offset of buf[0], bytes */
	bool eof;			/* nothing after end */
	bool terminated;		/* the '\n' missing at the end was supplied */
	bool skip_long;			/* lackey: discarding the rest of an overlong line */
	uint64_t line;			/* lines consumed */

	/* The binary decoder. */
	bool bin_started;		/* header checked */
	bool bin_done;			/* end record seen */
	uint64_t pred[2];		/* predicted address of data and of code */
	uint64_t bin_decoded;		/* access records decoded */

	/* Accesses decoded but not yet returned by trace_next(). */
	struct trace_access *batch;
	size_t batch_pos, batch_len;

	struct trace_stats st;
	int error;			/* sticky -errno */
	char errmsg[TUXMM_ERRMSG_MAX];
};

/*
 * trace_count - add @n accesses just decoded, @stores and @fetches of them, to the stats.
 * The parsers count in registers as they go; a second pass over the accesses costs more.
 */
static inline void trace_count(struct trace_reader *tr, size_t n, uint64_t stores,
			       uint64_t fetches)
{
	tr->st.nr_kind[TRACE_LOAD] += n - stores - fetches;
	tr->st.nr_kind[TRACE_STORE] += stores;
	tr->st.nr_kind[TRACE_IFETCH] += fetches;
	tr->st.nr_accesses += n;
	tr->st.nr_lines = tr->line;
}

/* trace_fail - record error @err with a message; returns @err. Later calls return it too. */
int trace_fail(struct trace_reader *tr, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* trace_fill - move the unparsed bytes to the front of buf and read until full or EOF. */
int trace_fill(struct trace_reader *tr);

/*
 * trace_text_window - make [pos, lim) hold at least one whole line.
 * Returns 1, 0 at the end of the trace, or -errno (a line longer than the buffer).
 */
int trace_text_window(struct trace_reader *tr);

/* trace_quote - @len bytes at @p as a short printable string for messages. */
void trace_quote(char *dst, size_t size, const unsigned char *p, size_t len);

/*
 * The parsers: decode up to @max (>= 2) accesses and trace_count() them.
 * Return how many (> 0), 0 at the end, or -errno.
 */
long trace_parse_classic(struct trace_reader *tr, struct trace_access *out, size_t max);
long trace_parse_csc369(struct trace_reader *tr, struct trace_access *out, size_t max);
long trace_parse_lackey(struct trace_reader *tr, struct trace_access *out, size_t max);
long trace_parse_binary(struct trace_reader *tr, struct trace_access *out, size_t max);

/*
 * trace_classify_line - the text format whose line starts at @p (which ends in '\n'):
 * TRACE_FMT_LACKEY for a lackey access or a valgrind ==pid== line, TRACE_FMT_CLASSIC,
 * TRACE_FMT_CSC369, TRACE_FMT_EMPTY for a blank or '#' line, TRACE_FMT_AUTO for none.
 */
enum trace_format trace_classify_line(const unsigned char *p);

/* trace_binary_magic - whether the @len bytes at @p begin (or are a prefix of) the magic. */
bool trace_binary_magic(const unsigned char *p, size_t len);

/* The binary encoder, for the writer: header, one access (<= 32 bytes), the end record. */
size_t trace_bin_header(unsigned char *dst);
size_t trace_bin_encode(uint64_t pred[2], const struct trace_access *a, unsigned char *dst);
size_t trace_bin_end(unsigned char *dst, uint64_t nr_accesses);

#endif
