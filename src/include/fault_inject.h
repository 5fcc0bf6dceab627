/*
 * fault_inject.h - fail the Nth allocation, like Linux's fail_page_alloc,
 * failslab and /proc/self/fail-nth.
 */
#ifndef TUXMM_FAULT_INJECT_H
#define TUXMM_FAULT_INJECT_H

#include <stdbool.h>

struct fault_attr {
	unsigned long fail_nth;		/* 0: off; N: the Nth call from now fails, once */
	unsigned long times;		/* after the first failure, fail this many more calls */
	unsigned long nr_failed;	/* failures injected so far */
};

/* should_fail - count one call against @attr; true if this call must fail. */
static inline bool should_fail(struct fault_attr *attr)
{
	if (attr->fail_nth == 0)
		return false;
	if (attr->fail_nth > 1) {
		attr->fail_nth--;
		return false;
	}
	attr->nr_failed++;
	if (attr->times)
		attr->times--;
	else
		attr->fail_nth = 0;
	return true;
}

#endif
