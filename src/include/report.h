/*
 * report.h - the text sink every /proc generator writes into.
 * Lives in host memory (it is output for the front end, not kernel data).
 * A failed host allocation marks the report; report_finish() then says -ENOMEM.
 */
#ifndef TUXMM_REPORT_H
#define TUXMM_REPORT_H

#include <stdarg.h>
#include <stddef.h>

struct report {
	char *buf;
	size_t len;		/* bytes written, without the NUL */
	size_t cap;		/* bytes allocated */
	int error;		/* -ENOMEM once a host allocation failed */
};

void report_init(struct report *r);
void report_printf(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_vprintf(struct report *r, const char *fmt, va_list ap);
void report_write(struct report *r, const void *data, size_t len);
void report_putc(struct report *r, char c);
void report_free(struct report *r);
/*
 * report_take - hand the finished text to the caller: *@text (free() it) and
 * *@len. Returns 0, or -ENOMEM (and frees the report) if any write failed.
 */
int report_take(struct report *r, char **text, size_t *len);

#endif
