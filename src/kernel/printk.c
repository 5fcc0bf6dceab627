/*
 * printk.c - the kernel log of one machine, with dmesg-style timestamps from
 * the machine's own clock (so the log of a run is the same every time).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "machine.h"
#include "printk.h"

#define LOG_MAX (1u << 20)	/* bytes kept; older messages are dropped first */

static void log_append(struct machine *m, const char *s, size_t n)
{
	if (m->log_len + n + 1 > m->log_cap) {
		size_t cap = m->log_cap ? m->log_cap : 4096;
		char *log;

		while (cap < m->log_len + n + 1 && cap < LOG_MAX)
			cap *= 2;
		if (m->log_len + n + 1 > cap) {
			/* Full: drop the oldest half, at a line boundary. */
			size_t drop = m->log_len / 2;
			char *nl = memchr(m->log + drop, '\n', m->log_len - drop);

			drop = nl ? (size_t)(nl - m->log) + 1 : m->log_len;
			memmove(m->log, m->log + drop, m->log_len - drop);
			m->log_len -= drop;
			if (m->log_len + n + 1 > m->log_cap)
				return;
		} else {
			log = host_realloc(m->log, cap);
			if (!log)
				return;
			m->log = log;
			m->log_cap = cap;
		}
	}
	memcpy(m->log + m->log_len, s, n);
	m->log_len += n;
	m->log[m->log_len] = '\0';
}

void printk(struct machine *m, const char *fmt, ...)
{
	char line[512];
	int head, body;
	va_list ap;

	head = snprintf(line, sizeof(line), "[%5llu.%06llu] ", m->clock_ns / 1000000000ULL,
			(m->clock_ns / 1000ULL) % 1000000ULL);
	va_start(ap, fmt);
	body = vsnprintf(line + head, sizeof(line) - (size_t)head - 1, fmt, ap);
	va_end(ap);
	if (body < 0)
		return;
	if ((size_t)(head + body) > sizeof(line) - 2)
		body = (int)sizeof(line) - 2 - head;
	line[head + body] = '\n';
	log_append(m, line, (size_t)(head + body) + 1);
}

const char *tuxmm_dmesg(struct machine *m)
{
	return m->log ? m->log : "";
}
