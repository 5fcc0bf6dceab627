/*
 * printk.h - the kernel log of one machine (what dmesg shows).
 * Timestamps come from the machine's own clock, so logs are deterministic.
 */
#ifndef TUXMM_PRINTK_H
#define TUXMM_PRINTK_H

struct machine;

void printk(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
