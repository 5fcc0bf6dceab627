/*
 * proc.c - the /proc file table: a path, the generator that writes its text.
 * tuxmm_proc_read() is how front ends and tests read any file by its Linux path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "proc.h"
#include "report.h"
#include "slab.h"
#include "swap.h"

struct proc_entry {
	const char *path;
	void (*show)(struct machine *m, struct report *r);
};

static const struct proc_entry proc_table[] = {
	{ "/proc/buddyinfo", buddyinfo_show },
	{ "/proc/iomem", iomem_show },
	{ "/proc/meminfo", meminfo_show },
	{ "/proc/slabinfo", slabinfo_show },
	{ "/proc/swaps", swaps_show },
	{ "/proc/vmallocinfo", vmallocinfo_show },
	{ "/proc/vmstat", vmstat_show },
	{ "/proc/zoneinfo", zoneinfo_show },
};

const char *tuxmm_proc_path(size_t i)
{
	return i < sizeof(proc_table) / sizeof(proc_table[0]) ? proc_table[i].path : NULL;
}

int tuxmm_proc_read(struct machine *m, const char *path, char **text, size_t *len)
{
	struct report r;

	*text = NULL;
	if (len)
		*len = 0;
	/* "/proc/<pid>/...": the task's own files. */
	if (!strncmp(path, "/proc/", 6) && path[6] >= '0' && path[6] <= '9')
		return proc_pid_read(m, path, text, len);
	for (size_t i = 0; i < sizeof(proc_table) / sizeof(proc_table[0]); i++) {
		if (strcmp(path, proc_table[i].path))
			continue;
		report_init(&r);
		proc_table[i].show(m, &r);
		return report_take(&r, text, len);
	}
	return -ENOENT;
}

long tuxmm_proc_pread(struct machine *m, const char *path, void *buf, size_t count, uint64_t pos)
{
	char *text;
	size_t len;
	long n;
	int ret;

	if (!buf && count)
		return -EFAULT;		/* pread(2) into an unmapped buffer */
	if (!strncmp(path, "/proc/", 6) && path[6] >= '0' && path[6] <= '9') {
		n = proc_pid_pagemap_pread(m, path, buf, count, pos);
		if (n != -ENOENT)
			return n;
	}
	ret = tuxmm_proc_read(m, path, &text, &len);
	if (ret)
		return ret;
	n = pos < len ? (long)(len - pos < count ? len - pos : count) : 0;
	if (n)
		memcpy(buf, text + pos, (size_t)n);
	free(text);
	return n;
}
