/*
 * oom.h - the OOM killer: when reclaim cannot free memory for an allocation
 * that may not fail quietly, kill the task whose death frees the most.
 * Follows Linux include/linux/oom.h and mm/oom_kill.c.
 */
#ifndef TUXMM_OOM_H
#define TUXMM_OOM_H

#include "gfp.h"
#include "types.h"

struct machine;
struct report;
struct task_struct;

#define OOM_SCORE_ADJ_MIN	(-1000)	/* never chosen */
#define OOM_SCORE_ADJ_MAX	1000	/* chosen first */
#define PAGE_ALLOC_COSTLY_ORDER	3	/* above it, allocations fail rather than kill */

/*
 * oom_badness - Linux's score of @p: its resident pages (anon, file, shmem),
 * swap entries and page-table pages, plus oom_score_adj * (@totalpages / 1000).
 * LONG_MIN for a task never chosen: init (pid 1), oom_score_adj -1000, no mm.
 */
long oom_badness(struct task_struct *p, unsigned long totalpages);

/* oom_totalpages - RAM plus swap in pages, what badness is weighed against. */
unsigned long oom_totalpages(struct machine *m);

/*
 * out_of_memory - the allocator found no page for @order with @gfp even after
 * reclaim: kill a task. Returns true when retrying can succeed: a victim was
 * reaped (its memory is free now), or the current task is the victim (it may
 * use the reserves, ALLOC_OOM). False when no task can be killed or an earlier
 * victim still in use has not been reaped.
 */
bool out_of_memory(struct machine *m, gfp_t gfp, unsigned int order);

/* oom_reserves_allowed - the current task is an OOM victim: it may dip into the reserves. */
bool oom_reserves_allowed(struct machine *m);

/*
 * oom_reap_task - free what killed task @t holds (the oom_reaper's work and
 * the exit of the task) and log it; @t must not be in use (task_in_use()).
 */
void oom_reap_task(struct task_struct *t);

/* /proc/PID/oom_score and /proc/PID/oom_score_adj */
void proc_oom_score_show(struct task_struct *t, struct report *r);
void proc_oom_score_adj_show(struct task_struct *t, struct report *r);

#endif
