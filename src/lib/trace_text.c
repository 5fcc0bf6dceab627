/*
 * trace_text.c - the text trace formats: valgrind lackey logs, classic "ADDRESS R|W" lines
 * and CSC369 "I|L|S|M ADDRESS" lines. Hand-written line parsers, 8 hex digits at a time.
 * Keeps: every line seen is counted (accesses or skipped); no allocation per line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "trace_internal.h"

/* The value of a hex digit plus one; 0 for any other byte. */
static const uint8_t hex_digit[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/*
 * hex_run - the hex digits that start the 8 bytes at @p, all at once: classify the bytes
 * in one 64-bit word, count the leading digits, convert them by shifts (little-endian
 * hosts; a byte loop elsewhere). Returns their number (0..8), their value in *@v.
 */
static inline unsigned int hex_run(const unsigned char *p, uint64_t *v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, x7, y, digit, alpha, stop;
	unsigned int nd;

	memcpy(&x, p, 8);
	/* On 7-bit bytes, adding at most 0x50 carries into no neighbour. */
	x7 = x & ~HIGH;
	digit = (x7 + ONES * (0x80 - '0')) & ~(x7 + ONES * (0x80 - '9' - 1));
	y = x7 | ONES * 0x20;
	alpha = (y + ONES * (0x80 - 'a')) & ~(y + ONES * (0x80 - 'f' - 1));
	stop = ~((digit | alpha) & ~x) & HIGH;
	nd = stop ? (unsigned int)__builtin_ctzll(stop) >> 3 : 8;
	if (!nd)
		return 0;
	x &= ~0ULL >> (64 - 8 * nd);
	/* '0'-'9' keep their low nibble; letters (bit 6 set) gain 9. */
	x = (x & ONES * 0x0f) + ((x >> 6) & ONES) * 9;
	/* The first character is the most significant nibble: pair up, twice, then once. */
	x = ((x << 4) | (x >> 8)) & 0x00ff00ff00ff00ffULL;
	x = ((x << 8) | (x >> 16)) & 0x0000ffff0000ffffULL;
	x = ((x << 16) | (x >> 32)) & 0x00000000ffffffffULL;
	*v = x >> (4 * (8 - nd));
	return nd;
#else
	uint64_t x = 0;
	unsigned int nd, d;

	for (nd = 0; nd < 8 && (d = hex_digit[p[nd]]) != 0; nd++)
		x = (x << 4) | (d - 1);
	*v = x;
	return nd;
#endif
}

/*
 * parse_hex - the hex number at *@pp, advancing *@pp past it.
 * Returns its number of digits (0 if none), or -1 beyond 16 digits.
 */
static inline int parse_hex(const unsigned char **pp, uint64_t *out)
{
	const unsigned char *p = *pp;
	unsigned int nd = hex_run(p, out), nd2;
	uint64_t lo;

	if (nd == 8 && hex_digit[p[8]]) {
		nd2 = hex_run(p + 8, &lo);
		if (nd2 == 8 && hex_digit[p[16]])
			return -1;
		if (nd2)
			*out = (*out << (4 * nd2)) | lo;
		nd += nd2;
	}
	*pp = p + nd;
	return (int)nd;
}

/* parse_size - the decimal size at *@pp, 1 .. UINT32_MAX; 0 when there is none such. */
static inline uint32_t parse_size(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = 0;
	unsigned int d;
	int nd = 0;

	while ((d = (unsigned int)*p - '0') < 10) {
		if (++nd > 10)
			return 0;
		v = v * 10 + d;
		p++;
	}
	if (v > UINT32_MAX)
		return 0;
	*pp = p;
	return (uint32_t)v;
}

/* skip_blanks - past the spaces, tabs and '\r' at @p. */
static inline const unsigned char *skip_blanks(const unsigned char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* blank_or_comment - whether the line at @p is only white space or starts with '#'. */
static bool blank_or_comment(const unsigned char *p)
{
	p = skip_blanks(p);
	return *p == '\n' || *p == '#';
}

/* valgrind_line - whether the line at @p is valgrind's own: "==PID==..." or "--PID--...". */
static bool valgrind_line(const unsigned char *p)
{
	unsigned char c = p[0];
	int nd = 0;

	if ((c != '=' && c != '-') || p[1] != c)
		return false;
	for (p += 2; *p >= '0' && *p <= '9'; p++)
		nd++;
	return nd && p[0] == c && p[1] == c;
}

/*
 * classic_line - parse "[0x]HEX R|W" at @p into @a (kind and address).
 * Returns the start of the next line, or NULL if the line is not one; *@why is -1
 * when the address has more than 16 digits.
 */
static inline const unsigned char *classic_line(const unsigned char *p, struct trace_access *a,
						int *why)
{
	unsigned int c;
	int nd;

	if (p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	nd = parse_hex(&p, &a->addr);
	if (nd <= 0) {
		*why = nd;
		return NULL;
	}
	if (*p != ' ' && *p != '\t')
		return NULL;
	do
		p++;
	while (*p == ' ' || *p == '\t');
	/* A comparison, not a branch, picks the kind: R and W come in no predictable order. */
	c = *p++ | 0x20u;
	if (c != 'r' && c != 'w')
		return NULL;
	a->kind = c == 'w' ? TRACE_STORE : TRACE_LOAD;
	if (*p != '\n') {
		p = skip_blanks(p);
		if (*p != '\n')
			return NULL;
	}
	a->size = 1;
	return p + 1;
}

#define KIND_MODIFY 3	/* a lackey or CSC369 M: a load, then a store */

/* Kind + 1 by the letter that names it (lackey's second column, CSC369's first). */
static const uint8_t kind_letter[256] = {
	['L'] = TRACE_LOAD + 1, ['S'] = TRACE_STORE + 1, ['I'] = TRACE_IFETCH + 1,
	['M'] = KIND_MODIFY + 1,
};

/*
 * lackey_line - parse "I  HEX,SIZE", " L HEX,SIZE", " S HEX,SIZE" or " M HEX,SIZE".
 * Returns the kind (KIND_MODIFY for M) and sets *@next, or -1 if the line is not one.
 * The kind comes from a table, not a chain of branches that mispredict on mixed kinds.
 */
static inline int lackey_line(const unsigned char *p, uint64_t *addr, uint32_t *size,
			      const unsigned char **next)
{
	static const uint8_t col2[256] = {
		[' '] = TRACE_IFETCH + 1, ['L'] = TRACE_LOAD + 1, ['S'] = TRACE_STORE + 1,
		['M'] = KIND_MODIFY + 1,
	};
	int kind = col2[p[1]] - 1;

	if (kind < 0 || p[2] != ' ' || p[0] != (kind == TRACE_IFETCH ? 'I' : ' '))
		return -1;
	p += 3;
	if (parse_hex(&p, addr) <= 0 || *p++ != ',')
		return -1;
	*size = parse_size(&p);
	if (!*size)
		return -1;
	if (*p == '\r')
		p++;
	if (*p != '\n')
		return -1;
	*next = p + 1;
	return kind;
}

/*
 * csc369_line - parse "K [0x]HEX[,SIZE]" with K one of I, L, S, M.
 * Returns the kind (KIND_MODIFY for M) and sets *@next, or -1 (*@why -1: address too long).
 */
static inline int csc369_line(const unsigned char *p, uint64_t *addr, uint32_t *size,
			      const unsigned char **next, int *why)
{
	int kind = kind_letter[p[0]] - 1, nd;

	if (kind < 0 || (p[1] != ' ' && p[1] != '\t'))
		return -1;
	p = skip_blanks(p + 1);
	if (p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	nd = parse_hex(&p, addr);
	if (nd <= 0) {
		*why = nd;
		return -1;
	}
	*size = 1;
	if (*p == ',') {
		p++;
		*size = parse_size(&p);
		if (!*size)
			return -1;
	}
	p = skip_blanks(p);
	if (*p != '\n')
		return -1;
	*next = p + 1;
	return kind;
}

enum trace_format trace_classify_line(const unsigned char *p)
{
	const unsigned char *next;
	struct trace_access a;
	uint64_t addr;
	uint32_t size;
	int why = 0;

	if (lackey_line(p, &addr, &size, &next) >= 0 || valgrind_line(p))
		return TRACE_FMT_LACKEY;
	if (classic_line(p, &a, &why))
		return TRACE_FMT_CLASSIC;
	if (csc369_line(p, &addr, &size, &next, &why) >= 0)
		return TRACE_FMT_CSC369;
	if (blank_or_comment(p))
		return TRACE_FMT_EMPTY;
	return TRACE_FMT_AUTO;
}

/* bad_line - fail on the line at @p, numbered @line, which is not in @expected form. */
static int bad_line(struct trace_reader *tr, const unsigned char *p, uint64_t line,
		    const char *expected, int why)
{
	const unsigned char *nl = memchr(p, '\n', (size_t)(tr->buf + tr->lim - p));
	char got[200];

	trace_quote(got, sizeof(got), p, nl ? (size_t)(nl - p) : 0);
	if (why < 0)
		return trace_fail(tr, -EINVAL, "%s:%llu: address longer than 16 hex digits in '%s'",
				  tr->name, (unsigned long long)line, got);
	return trace_fail(tr, -EINVAL, "%s:%llu: expected '%s', got '%s'", tr->name,
			  (unsigned long long)line, expected, got);
}

/* next_line - the start of the line after the one at @p (every line ends in '\n'). */
static inline const unsigned char *next_line(const unsigned char *p, const unsigned char *e)
{
	return (const unsigned char *)memchr(p, '\n', (size_t)(e - p)) + 1;
}

long trace_parse_classic(struct trace_reader *tr, struct trace_access *out, size_t max)
{
	uint64_t stores = 0;
	size_t n = 0;
	long ret = 0;

	while (n < max) {
		const unsigned char *p, *e, *q;
		uint64_t line;
		int why = 0;

		ret = trace_text_window(tr);
		if (ret <= 0)
			break;
		p = tr->buf + tr->pos;
		e = tr->buf + tr->lim;
		line = tr->line;
		while (p < e && n < max) {
			struct trace_access *a = &out[n];

			line++;
			q = classic_line(p, a, &why);
			if (q) {
				a->line = line;
				stores += a->kind;
				n++;
				p = q;
				continue;
			}
			if (why || !blank_or_comment(p)) {
				tr->pos = (size_t)(p - tr->buf);
				tr->line = line - 1;
				ret = bad_line(tr, p, line, "ADDRESS R|W", why);
				goto out;
			}
			tr->st.nr_skipped++;
			p = next_line(p, e);
		}
		tr->pos = (size_t)(p - tr->buf);
		tr->line = line;
	}
out:
	trace_count(tr, n, stores, 0);
	return n ? (long)n : ret;
}

/* put_access - fill @a. */
static inline void put_access(struct trace_access *a, uint64_t addr, uint64_t line,
			      uint32_t size, int kind)
{
	a->addr = addr;
	a->line = line;
	a->size = size;
	a->kind = (uint8_t)kind;
}

/* count_kind - add @kind to the counts of stores and fetches (loads are the rest). */
static inline void count_kind(int kind, uint64_t *stores, uint64_t *fetches)
{
	*stores += kind == TRACE_STORE;
	*fetches += kind == TRACE_IFETCH;
}

long trace_parse_csc369(struct trace_reader *tr, struct trace_access *out, size_t max)
{
	uint64_t stores = 0, fetches = 0;
	size_t n = 0;
	long ret = 0;

	while (n + 2 <= max) {
		const unsigned char *p, *e, *q;
		uint64_t line, addr;
		uint32_t size;
		int why = 0, kind;

		ret = trace_text_window(tr);
		if (ret <= 0)
			break;
		p = tr->buf + tr->pos;
		e = tr->buf + tr->lim;
		line = tr->line;
		while (p < e && n + 2 <= max) {
			line++;
			kind = csc369_line(p, &addr, &size, &q, &why);
			if (kind >= 0) {
				if (kind == KIND_MODIFY) {
					put_access(&out[n++], addr, line, size, TRACE_LOAD);
					kind = TRACE_STORE;
					tr->st.nr_modify++;
				}
				put_access(&out[n++], addr, line, size, kind);
				count_kind(kind, &stores, &fetches);
				p = q;
				continue;
			}
			if (why || !blank_or_comment(p)) {
				tr->pos = (size_t)(p - tr->buf);
				tr->line = line - 1;
				ret = bad_line(tr, p, line, "I|L|S|M ADDRESS", why);
				goto out;
			}
			tr->st.nr_skipped++;
			p = next_line(p, e);
		}
		tr->pos = (size_t)(p - tr->buf);
		tr->line = line;
	}
out:
	trace_count(tr, n, stores, fetches);
	return n ? (long)n : ret;
}

long trace_parse_lackey(struct trace_reader *tr, struct trace_access *out, size_t max)
{
	uint64_t stores = 0, fetches = 0;
	size_t n = 0;
	long ret = 0;

	while (n + 2 <= max) {
		const unsigned char *p, *e, *q;
		uint64_t line, addr;
		uint32_t size;
		int kind;

		ret = trace_text_window(tr);
		if (ret <= 0)
			break;
		p = tr->buf + tr->pos;
		e = tr->buf + tr->lim;
		line = tr->line;
		while (p < e && n + 2 <= max) {
			line++;
			kind = lackey_line(p, &addr, &size, &q);
			if (kind >= 0) {
				if (kind == KIND_MODIFY) {
					put_access(&out[n++], addr, line, size, TRACE_LOAD);
					kind = TRACE_STORE;
					tr->st.nr_modify++;
				}
				put_access(&out[n++], addr, line, size, kind);
				count_kind(kind, &stores, &fetches);
				p = q;
				continue;
			}
			/* Not an access: valgrind's own line, or the program's output. */
			tr->st.nr_skipped++;
			if (!valgrind_line(p))
				tr->st.nr_foreign++;
			p = next_line(p, e);
		}
		tr->pos = (size_t)(p - tr->buf);
		tr->line = line;
	}
	trace_count(tr, n, stores, fetches);
	return n ? (long)n : ret;
}
