/*
 * trace.h - memory-access traces in and out: a streaming reader for valgrind lackey
 * logs, classic "ADDRESS R|W" lines, CSC369 "I|L|S|M ADDRESS" lines and tuxmm's binary
 * format (gzip-compressed or not, detected by content), writers, and a converter.
 */
#ifndef TUXMM_TRACE_H
#define TUXMM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tuxmm/tuxmm.h>

/* What one access does; the values are the binary format's kind bits. */
enum trace_kind {
	TRACE_LOAD = 0,
	TRACE_STORE = 1,
	TRACE_IFETCH = 2,
};
#define TRACE_NR_KINDS 3

enum trace_format {
	TRACE_FMT_AUTO = 0,	/* opening: detect from the content */
	TRACE_FMT_EMPTY,	/* detected: no data at all (or only blank lines) */
	TRACE_FMT_LACKEY,	/* valgrind --tool=lackey --trace-mem=yes */
	TRACE_FMT_CLASSIC,	/* "07b243a0 R": hex address, R or W */
	TRACE_FMT_CSC369,	/* "I 4001000": kind letter I|L|S|M, hex address */
	TRACE_FMT_BINARY,	/* tuxmm's own, docs/trace-formats.md */
};

struct trace_access {
	uint64_t addr;		/* virtual address */
	uint64_t line;		/* 1-based source line; binary: byte offset of the record */
	uint32_t size;		/* bytes, >= 1; 1 when the format has no size */
	uint8_t kind;		/* enum trace_kind */
};

/*
 * A reader's counts. The access counts are exact for what was returned; the line counts
 * are for what was parsed, which trace_next() runs ahead of by up to 1024 accesses.
 */
struct trace_stats {
	uint64_t nr_accesses;			/* accesses returned so far */
	uint64_t nr_kind[TRACE_NR_KINDS];	/* of which loads, stores, fetches */
	uint64_t nr_modify;			/* lackey/CSC369 M lines (each a load + a store) */
	uint64_t nr_lines;			/* text lines read (0 for binary) */
	uint64_t nr_skipped;			/* lines that gave no access */
	uint64_t nr_foreign;			/* of which lackey lines that are not valgrind's */
	uint64_t bytes;				/* bytes of trace read, after decompression */
};

struct trace_options {
	enum trace_format format;	/* TRACE_FMT_AUTO (0) detects from the content */
	size_t buffer_bytes;		/* read buffer; 0 = 1 MiB; 64 .. 1 GiB */
};

struct trace_reader;
struct trace_writer;

/*
 * trace_open - open the trace at @path ("-" is standard input) for reading.
 * @opts may be NULL. gzip input is decompressed on the fly. The format is detected from
 * the first lines (or forced by @opts); an empty file is an empty trace.
 * Returns 0 with *@out set, or -errno with one line in @err (TUXMM_ERRMSG_MAX bytes):
 * the open(2) errno, -EINVAL for content in no known format, -ENOMEM.
 */
int trace_open(const char *path, const struct trace_options *opts, struct trace_reader **out,
	       char *err);

/*
 * trace_open_mem - like trace_open() over @len bytes at @data, which must stay valid
 * until trace_close(). @name appears in messages.
 */
int trace_open_mem(const void *data, size_t len, const char *name,
		   const struct trace_options *opts, struct trace_reader **out, char *err);

/*
 * trace_read - decode up to @max accesses into @acc, in trace order.
 * Returns how many (> 0), 0 at the end of the trace, or -errno: -EINVAL for malformed
 * or truncated input, -EIO (or read(2)'s errno) for I/O; trace_error() then says what and
 * where. After an error every call returns the same error.
 */
long trace_read(struct trace_reader *tr, struct trace_access *acc, size_t max);

/* trace_next - one access: 1 with *@acc filled, 0 at the end, -errno as trace_read(). */
int trace_next(struct trace_reader *tr, struct trace_access *acc);

/* trace_error - the message of the last error ("file:17: expected ..."), "" if none. */
const char *trace_error(const struct trace_reader *tr);

/* trace_reader_format - the format detected (or forced); TRACE_FMT_EMPTY for no data. */
enum trace_format trace_reader_format(const struct trace_reader *tr);

/* trace_reader_stats - the counts so far; valid until trace_close(). */
const struct trace_stats *trace_reader_stats(const struct trace_reader *tr);

/* trace_reader_name - the name used in messages: the path, or "<stdin>". */
const char *trace_reader_name(const struct trace_reader *tr);

/* trace_close - release @tr (NULL is fine); closes the file unless it was stdin. */
void trace_close(struct trace_reader *tr);

/* trace_format_name - "lackey", "classic", ...; trace_format_parse - the reverse, -EINVAL. */
const char *trace_format_name(enum trace_format fmt);
int trace_format_parse(const char *name, enum trace_format *fmt);

#define TRACE_WRITE_GZIP 0x1	/* compress the output with gzip */

/*
 * trace_writer_open - create @path ("-" is standard output) holding a trace in @fmt:
 * TRACE_FMT_BINARY, TRACE_FMT_CLASSIC (fetches written as R, sizes dropped) or
 * TRACE_FMT_LACKEY (a load then a store of the same bytes written as one M line).
 * @flags: TRACE_WRITE_GZIP. Returns 0 or -errno with a message in @err.
 */
int trace_writer_open(const char *path, enum trace_format fmt, unsigned int flags,
		      struct trace_writer **out, char *err);

/* trace_writer_open_mem - as trace_writer_open() into host memory; see trace_writer_take(). */
int trace_writer_open_mem(enum trace_format fmt, struct trace_writer **out, char *err);

/*
 * trace_write - append one access. Returns 0, -EINVAL for a size of 0 or a bad kind,
 * or the -errno of a failed write; trace_writer_error() says which.
 */
int trace_write(struct trace_writer *w, const struct trace_access *acc);

/* trace_writer_error - the message of the last error, "" if none. */
const char *trace_writer_error(const struct trace_writer *w);

/*
 * trace_writer_close - finish the trace (the binary end record), flush and close it, and
 * free @w. Returns 0, or the first error of the writer's life with its message in @err.
 */
int trace_writer_close(struct trace_writer *w, char *err);

/*
 * trace_writer_take - finish a memory writer and free it; *@data (free() it) and *@len
 * receive the trace. Returns 0 or -errno with a message in @err.
 */
int trace_writer_take(struct trace_writer *w, void **data, size_t *len, char *err);

/*
 * trace_convert - read the trace at @in (any format, detected) and write it to @out in
 * @fmt with @flags as trace_writer_open(). *@st (may be NULL) receives the reader's
 * counts. Returns 0 or -errno with "file:line: what" in @err.
 */
int trace_convert(const char *in, const char *out, enum trace_format fmt, unsigned int flags,
		  struct trace_stats *st, char *err);

#endif
