/*
 * proc.h - the generators behind tuxmm_proc_read(), one per /proc file.
 * Each writes the file's whole text, in Linux's format, into a report.
 */
#ifndef TUXMM_PROC_H
#define TUXMM_PROC_H

#include <stddef.h>
#include <stdint.h>

struct machine;
struct report;

void meminfo_show(struct machine *m, struct report *r);
void buddyinfo_show(struct machine *m, struct report *r);
void zoneinfo_show(struct machine *m, struct report *r);
void vmstat_show(struct machine *m, struct report *r);
void iomem_show(struct machine *m, struct report *r);

/* Per-task files, /proc/PID/... (src/fs/proc/base.c lists them). */
struct mm_struct;
struct task_struct;
void proc_pid_maps_show(struct task_struct *t, struct report *r);
void proc_pid_status_show(struct task_struct *t, struct report *r);
void proc_pid_statm_show(struct task_struct *t, struct report *r);
void proc_pid_smaps_show(struct task_struct *t, struct report *r);
void proc_pid_smaps_rollup_show(struct task_struct *t, struct report *r);
void proc_pid_stat_show(struct task_struct *t, struct report *r);
void task_mem(struct report *r, struct mm_struct *mm);
/* proc_pid_read - tuxmm_proc_read() for "/proc/<pid>/<file>"; -ENOENT if no such task or file. */
int proc_pid_read(struct machine *m, const char *path, char **text, size_t *len);
long proc_pid_pagemap_pread(struct machine *m, const char *path, void *buf, size_t count,
			    uint64_t pos);

#endif
