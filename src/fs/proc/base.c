/*
 * base.c - the /proc/PID/ directory: which files a task has and how a path
 * with a pid in it reaches its generator.
 * Follows Linux fs/proc/base.c (tgid_base_stuff) for the files tuxmm provides.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "proc.h"
#include "report.h"

struct pid_entry {
	const char *name;
	const char *template;	/* for the listing: the path with "PID" for the pid */
	void (*show)(struct task_struct *t, struct report *r);
};

static const struct pid_entry tgid_base_stuff[] = {
	{ "maps", "/proc/PID/maps", proc_pid_maps_show },
	{ "smaps", "/proc/PID/smaps", proc_pid_smaps_show },
	{ "smaps_rollup", "/proc/PID/smaps_rollup", proc_pid_smaps_rollup_show },
	{ "stat", "/proc/PID/stat", proc_pid_stat_show },
	{ "statm", "/proc/PID/statm", proc_pid_statm_show },
	{ "status", "/proc/PID/status", proc_pid_status_show },
};

const char *tuxmm_proc_pid_path(size_t i)
{
	return i < ARRAY_SIZE(tgid_base_stuff) ? tgid_base_stuff[i].template : NULL;
}

int proc_pid_read(struct machine *m, const char *path, char **text, size_t *len)
{
	const char *p = path + strlen("/proc/");
	struct task_struct *t;
	struct report r;
	char *end;
	long pid;

	pid = strtol(p, &end, 10);
	if (end == p || *end != '/' || pid <= 0 || pid > 0x7fffffff)
		return -ENOENT;
	t = find_task_by_pid(m, (int)pid);
	if (!t)
		return -ENOENT;
	/* Binary, 8 bytes per page of user space, read at an offset: tuxmm_read_pagemap(). */
	if (!strcmp(end + 1, "pagemap"))
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(tgid_base_stuff); i++) {
		if (strcmp(end + 1, tgid_base_stuff[i].name))
			continue;
		report_init(&r);
		tgid_base_stuff[i].show(t, &r);
		return report_take(&r, text, len);
	}
	return -ENOENT;
}
