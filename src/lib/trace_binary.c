/*
 * trace_binary.c - tuxmm's binary trace format (docs/trace-formats.md): per access a head
 * byte (kind, size code, delta length) and a zigzag address delta of 0..7 bytes.
 * Keeps: every byte checked against the window; an end record with the count closes it.
 */
#include <errno.h>
#include <string.h>

#include "trace_internal.h"

bool trace_binary_magic(const unsigned char *p, size_t len)
{
	size_t n = len < TRACE_BIN_MAGIC_LEN ? len : TRACE_BIN_MAGIC_LEN;

	return n && !memcmp(p, TRACE_BIN_MAGIC, n);
}

/* load_le64 - the 8 bytes at @p as a little-endian number. */
static inline uint64_t load_le64(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* put_le - the low @n bytes of @v at @dst, least significant first. */
static inline void put_le(unsigned char *dst, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		dst[i] = (unsigned char)v;
}

/* put_varint - @v as LEB128 at @dst: 7 bits a byte, low bits first; returns its length. */
static inline size_t put_varint(unsigned char *dst, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		dst[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	dst[n++] = (unsigned char)v;
	return n;
}

/*
 * get_varint - the LEB128 varint at *@pp, which must end before @e.
 * Returns 1 (advancing *@pp), 0 if it runs past @e, -1 if longer than 10 bytes or 64 bits.
 */
static inline int get_varint(const unsigned char **pp, const unsigned char *e, uint64_t *v)
{
	const unsigned char *p = *pp;
	uint64_t x = 0;

	for (unsigned int shift = 0; shift < 64; shift += 7) {
		unsigned int b;

		if (p == e)
			return 0;
		b = *p++;
		if (shift == 63 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*v = x;
			return 1;
		}
	}
	return -1;
}

size_t trace_bin_header(unsigned char *dst)
{
	memset(dst, 0, TRACE_BIN_HEADER_LEN);
	memcpy(dst, TRACE_BIN_MAGIC, TRACE_BIN_MAGIC_LEN);
	dst[8] = TRACE_BIN_VERSION;
	return TRACE_BIN_HEADER_LEN;
}

size_t trace_bin_encode(uint64_t pred[2], const struct trace_access *a, unsigned char *dst)
{
	unsigned int s = a->kind == TRACE_IFETCH, code = trace_bin_size_code(a->size), nb;
	uint64_t delta = a->addr - pred[s];
	uint64_t zz = (delta << 1) ^ (0 - (delta >> 63));
	size_t n = 0;

	if (zz >> (8 * TRACE_BIN_MAX_DELTA)) {
		dst[n++] = (unsigned char)((s ? TRACE_BIN_CODE_ADDR : TRACE_BIN_DATA_ADDR) << 2 |
					   TRACE_BIN_CONTROL);
		put_le(dst + n, a->addr, 8);
		n += 8;
		zz = 0;
	}
	nb = zz ? (unsigned int)(64 - __builtin_clzll(zz) + 7) / 8 : 0;
	dst[n++] = (unsigned char)(nb << 5 | code << 2 | a->kind);
	put_le(dst + n, zz, nb);
	n += nb;
	if (!code)
		n += put_varint(dst + n, a->size);
	pred[s] = s ? a->addr + a->size : a->addr;
	return n;
}

size_t trace_bin_end(unsigned char *dst, uint64_t nr_accesses)
{
	dst[0] = TRACE_BIN_END << 2 | TRACE_BIN_CONTROL;
	put_le(dst + 1, nr_accesses, 8);
	return 9;
}

/* bin_header - check the 16-byte header at the start of the stream. */
static int bin_header(struct trace_reader *tr)
{
	const unsigned char *p;
	size_t avail;
	int ret;

	if (tr->end - tr->pos < TRACE_BIN_HEADER_LEN && !tr->eof) {
		ret = trace_fill(tr);
		if (ret)
			return ret;
	}
	p = tr->buf + tr->pos;
	avail = tr->end - tr->pos;
	if (!trace_binary_magic(p, avail))
		return trace_fail(tr, -EINVAL, "%s: not a tuxmm binary trace (bad magic)",
				  tr->name);
	if (avail < TRACE_BIN_HEADER_LEN)
		return trace_fail(tr, -EINVAL, "%s: truncated binary header (%zu of %d bytes)",
				  tr->name, avail, TRACE_BIN_HEADER_LEN);
	if (p[8] != TRACE_BIN_VERSION)
		return trace_fail(tr, -EINVAL,
				  "%s: binary trace version %u; this tuxmm reads version %d",
				  tr->name, p[8], TRACE_BIN_VERSION);
	if (p[9])
		return trace_fail(tr, -EINVAL, "%s: byte 9: unknown header flags 0x%02x",
				  tr->name, p[9]);
	for (int i = 10; i < TRACE_BIN_HEADER_LEN; i++)
		if (p[i])
			return trace_fail(tr, -EINVAL,
					  "%s: byte %d: reserved header byte is 0x%02x, not 0",
					  tr->name, i, p[i]);
	tr->pos += TRACE_BIN_HEADER_LEN;
	tr->bin_started = true;
	return 0;
}

/* bin_fail - fail at the record starting at @rec with a message naming its byte offset. */
#define bin_fail(tr, rec, fmt, ...)                                                          \
	trace_fail(tr, -EINVAL, "%s: byte %llu: " fmt, (tr)->name,                            \
		   (unsigned long long)((tr)->base_off + (uint64_t)((rec) - (tr)->buf)),        \
		   ##__VA_ARGS__)

/*
 * bin_control - the control record with head @h at @rec; *@pp is past the head.
 * END checks the access count; an ADDR record sets a stream's predicted address.
 */
static int bin_control(struct trace_reader *tr, unsigned int h, const unsigned char *rec,
		       const unsigned char **pp, const unsigned char *e)
{
	unsigned int op = (h >> 2) & 7;
	uint64_t arg;

	if (h >> 5)
		return bin_fail(tr, rec, "control record with reserved bits set (0x%02x)", h);
	if (op > TRACE_BIN_CODE_ADDR)
		return bin_fail(tr, rec, "unknown control record %u", op);
	if (e - *pp < 8)
		return bin_fail(tr, rec, "truncated control record");
	arg = load_le64(*pp);
	*pp += 8;
	if (op == TRACE_BIN_END) {
		if (arg != tr->bin_decoded)
			return bin_fail(tr, rec, "end record counts %llu accesses but the trace "
					"holds %llu", (unsigned long long)arg,
					(unsigned long long)tr->bin_decoded);
		tr->bin_done = true;
	} else {
		tr->pred[op - TRACE_BIN_DATA_ADDR] = arg;
	}
	return 0;
}

/*
 * bin_access - fill @a from head @h, zigzag delta @zz and @size, and move the predicted
 * address of its stream. Selects the stream with masks, not pred[kind >> 1]: an indexed
 * array would put every address behind a store-to-load round trip through memory.
 */
static inline void bin_access(struct trace_access *a, unsigned int h, uint64_t zz,
			      uint64_t size, uint64_t line, uint64_t *dpred, uint64_t *cpred)
{
	uint64_t code_mask = 0 - (uint64_t)((h >> 1) & 1), addr;

	addr = ((*cpred & code_mask) | (*dpred & ~code_mask)) + ((zz >> 1) ^ (0 - (zz & 1)));
	*cpred = ((addr + size) & code_mask) | (*cpred & ~code_mask);
	*dpred = (addr & ~code_mask) | (*dpred & code_mask);
	a->addr = addr;
	a->line = line;
	a->size = (uint32_t)size;
	a->kind = (uint8_t)(h & 3);
}

long trace_parse_binary(struct trace_reader *tr, struct trace_access *out, size_t max)
{
	const unsigned char *p, *e, *rec, *q;
	uint64_t dpred = tr->pred[0], cpred = tr->pred[1], decoded = tr->bin_decoded, base;
	uint64_t zz, size, stores = 0, fetches = 0;
	bool done = tr->bin_done;
	unsigned int h, nb;
	size_t n = 0;
	int ret;

	if (!tr->bin_started) {
		ret = bin_header(tr);
		if (ret)
			return ret;
	}
	p = tr->buf + tr->pos;
	e = tr->buf + tr->end;
	base = tr->base_off - (uint64_t)(uintptr_t)tr->buf;
	/* Locals, not *tr, in the loops: stores to out[] could alias them. */
	while (n < max) {
		/* The common case: an access record with 16 bytes of window left. */
		while (n < max && (size_t)(e - p) >= TRACE_BIN_MAX_RECORD && !done) {
			h = *p;
			if ((h & 3) == TRACE_BIN_CONTROL)
				break;
			nb = h >> 5;
			zz = load_le64(p + 1) & ((1ULL << (8 * nb)) - 1);
			q = p + 1 + nb;
			size = trace_bin_size((h >> 2) & 7);
			if (!size && (get_varint(&q, e, &size) <= 0 || !size || size > UINT32_MAX))
				break;
			bin_access(&out[n++], h, zz, size, base + (uint64_t)(uintptr_t)p, &dpred,
				   &cpred);
			stores += h & 1;
			fetches += (h >> 1) & 1;
			p = q;
			decoded++;
		}
		if (n >= max)
			break;
		/* Everything else, one record at a time with every check. */
		if ((size_t)(e - p) < TRACE_BIN_MAX_RECORD && !tr->eof) {
			tr->pos = (size_t)(p - tr->buf);
			ret = trace_fill(tr);
			if (ret)
				goto out_sync;
			p = tr->buf + tr->pos;
			e = tr->buf + tr->end;
			base = tr->base_off - (uint64_t)(uintptr_t)tr->buf;
			continue;
		}
		rec = p;
		if (p == e) {
			if (!done) {
				tr->bin_decoded = decoded;
				bin_fail(tr, rec, "truncated: no end record after %llu accesses",
					 (unsigned long long)decoded);
			}
			break;
		}
		if (done) {
			bin_fail(tr, rec, "data after the end record");
			break;
		}
		h = *p++;
		if ((h & 3) == TRACE_BIN_CONTROL) {
			tr->pred[0] = dpred;
			tr->pred[1] = cpred;
			tr->bin_decoded = decoded;
			if (bin_control(tr, h, rec, &p, e))
				break;
			dpred = tr->pred[0];
			cpred = tr->pred[1];
			done = tr->bin_done;
			continue;
		}
		nb = h >> 5;
		if ((size_t)(e - p) < nb) {
			bin_fail(tr, rec, "truncated record");
			break;
		}
		for (zz = 0; nb; nb--)
			zz = zz << 8 | p[nb - 1];
		p += h >> 5;
		size = trace_bin_size((h >> 2) & 7);
		if (!size) {
			ret = get_varint(&p, e, &size);
			if (ret <= 0) {
				bin_fail(tr, rec, "%s", ret ? "size varint longer than 64 bits" :
							       "truncated record");
				break;
			}
			if (!size || size > UINT32_MAX) {
				bin_fail(tr, rec, "access size %llu is not 1 .. 4294967295",
					 (unsigned long long)size);
				break;
			}
		}
		bin_access(&out[n++], h, zz, size, base + (uint64_t)(uintptr_t)rec, &dpred, &cpred);
		stores += h & 1;
		fetches += (h >> 1) & 1;
		decoded++;
	}
	tr->pos = (size_t)(p - tr->buf);
out_sync:
	tr->pred[0] = dpred;
	tr->pred[1] = cpred;
	tr->bin_decoded = decoded;
	trace_count(tr, n, stores, fetches);
	if (tr->error)
		return n ? (long)n : tr->error;
	return (long)n;
}
