/*
 * base.c - the /proc/PID/ directory: which files a task has and how a path
 * with a pid in it reaches its generator.
 * Follows Linux fs/proc/base.c (tgid_base_stuff) for the files tuxmm provides.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "oom.h"
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
	{ "oom_score", "/proc/PID/oom_score", proc_oom_score_show },
	{ "oom_score_adj", "/proc/PID/oom_score_adj", proc_oom_score_adj_show },
};

const char *tuxmm_proc_pid_path(size_t i)
{
	return i < ARRAY_SIZE(tgid_base_stuff) ? tgid_base_stuff[i].template : NULL;
}

/* proc_pid_task - the task a "/proc/<pid>/<file>" path names, and *@file; NULL if none. */
static struct task_struct *proc_pid_task(struct machine *m, const char *path, const char **file)
{
	const char *p = path + strlen("/proc/");
	char *end;
	long pid;

	pid = strtol(p, &end, 10);
	if (end == p || *end != '/' || pid <= 0 || pid > 0x7fffffff)
		return NULL;
	*file = end + 1;
	return find_task_by_pid(m, (int)pid);
}

int proc_pid_read(struct machine *m, const char *path, char **text, size_t *len)
{
	const char *file;
	struct task_struct *t = proc_pid_task(m, path, &file);
	struct report r;

	if (!t)
		return -ENOENT;
	/* Binary, 8 bytes per page of the whole user space: read it with tuxmm_proc_pread(). */
	if (!strcmp(file, "pagemap"))
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(tgid_base_stuff); i++) {
		if (strcmp(file, tgid_base_stuff[i].name))
			continue;
		report_init(&r);
		tgid_base_stuff[i].show(t, &r);
		return report_take(&r, text, len);
	}
	return -ENOENT;
}

/*
 * proc_pid_pagemap_pread - /proc/PID/pagemap read at @pos as Linux's
 * pagemap_read(): 8 bytes per page, entry pos/8 for the page at (pos/8) pages;
 * @pos and @count must be multiples of 8 (-EINVAL otherwise). Returns the bytes
 * read (0 past the end of user space), -ENOENT for no such task, or -errno.
 */
long proc_pid_pagemap_pread(struct machine *m, const char *path, void *buf, size_t count,
			    uint64_t pos)
{
	const char *file;
	struct task_struct *t = proc_pid_task(m, path, &file);
	long n;

	if (!t || strcmp(file, "pagemap"))
		return -ENOENT;
	if (pos % 8 || count % 8)
		return -EINVAL;
	if (pos / 8 > (~0UL >> m->page_shift))
		return 0;
	n = tuxmm_read_pagemap(t, (unsigned long)(pos / 8) << m->page_shift, buf, count / 8);
	return n < 0 ? n : n * 8;
}
