/*
 * report.c - the growable text sink /proc generators write into.
 * Host memory: reports are output for front ends, not kernel data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_init(struct report *r)
{
	r->buf = NULL;
	r->len = 0;
	r->cap = 0;
	r->error = 0;
}

static int report_reserve(struct report *r, size_t extra)
{
	size_t need = r->len + extra + 1;
	size_t cap;
	char *buf;

	if (r->error)
		return r->error;
	if (need <= r->cap)
		return 0;
	cap = r->cap ? r->cap : 256;
	while (cap < need)
		cap *= 2;
	buf = realloc(r->buf, cap);
	if (!buf) {
		r->error = -ENOMEM;
		return r->error;
	}
	r->buf = buf;
	r->cap = cap;
	return 0;
}

void report_vprintf(struct report *r, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || report_reserve(r, (size_t)n))
		return;
	vsnprintf(r->buf + r->len, (size_t)n + 1, fmt, ap);
	r->len += (size_t)n;
}

void report_printf(struct report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vprintf(r, fmt, ap);
	va_end(ap);
}

void report_write(struct report *r, const void *data, size_t len)
{
	if (report_reserve(r, len))
		return;
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	r->buf[r->len] = '\0';
}

void report_putc(struct report *r, char c)
{
	report_write(r, &c, 1);
}

void report_free(struct report *r)
{
	free(r->buf);
	report_init(r);
}

int report_take(struct report *r, char **text, size_t *len)
{
	if (!r->error && !r->buf)
		report_write(r, "", 0);
	if (r->error) {
		report_free(r);
		return -ENOMEM;
	}
	*text = r->buf;
	if (len)
		*len = r->len;
	return 0;
}
