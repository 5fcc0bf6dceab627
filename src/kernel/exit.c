/*
 * exit.c - the end of a task the OOM killer chose: which task a C API call
 * runs for (Linux's current), SIGKILL, and reaping the killed task.
 * Follows Linux kernel/exit.c (do_exit, release_task) and the oom_reaper of
 * mm/oom_kill.c, in a single-threaded machine where "later" means "at the end
 * of the call in progress".
 * Keeps: an address space is torn down only when no call uses it; a reaped
 * task is off the task list (no /proc/PID) and stays only as the front end's
 * handle, on tasks.dead_tasks, until tuxmm_task_exit() releases it.
 */
#include <errno.h>
#include <stdio.h>

#include "machine.h"
#include "oom.h"
#include "vma.h"

int task_call_begin(struct task_struct *t, struct task_struct **prev)
{
	struct task_globals *tg = &t->machine->tasks;

	*prev = tg->current;
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	/* Victims a pin kept alive (mmget) at the end of the last call go first. */
	if (!tg->call_depth)
		reap_killed_tasks(t->machine);
	tg->call_depth++;
	t->in_call++;
	tg->current = t;
	return 0;
}

long task_call_end(struct task_struct *t, struct task_struct *prev, long ret)
{
	struct task_globals *tg = &t->machine->tasks;

	tg->current = prev;
	t->in_call--;
	/* A task killed during its call never sees the result: the process is gone. */
	if (fatal_signal_pending(t))
		ret = -ESRCH;
	if (!--tg->call_depth)
		reap_killed_tasks(t->machine);
	return ret;
}

const char *current_comm(struct machine *m, char *buf, size_t len)
{
	if (m->tasks.ready && m->tasks.current)
		return m->tasks.current->comm;
	snprintf(buf, len, "swapper/%u", m->cur_cpu);
	return buf;
}

bool task_in_use(const struct task_struct *t)
{
	return t->in_call || (t->mm && t->mm->mm_users > 1);
}

void exit_task_mm(struct task_struct *t)
{
	struct task_globals *tg = &t->machine->tasks;
	struct mm_struct *mm = t->mm;

	exit_files(t);
	t->mm = NULL;
	if (mm)
		mmput(mm);
	list_del(&t->tasks);
	tg->nr_tasks--;
	list_add_tail(&t->tasks, &tg->dead_tasks);
	t->exit_state = EXIT_DEAD;
}

void reap_killed_tasks(struct machine *m)
{
	struct task_struct *t, *n;

	/* Only the OOM killer kills: until it has, every call skips the walk. */
	if (!m->tasks.ready || !m->vm_events[OOM_KILL])
		return;
	list_for_each_entry_safe(t, n, &m->tasks.tasks, tasks)
		if (fatal_signal_pending(t) && !task_in_use(t))
			oom_reap_task(t);
}

struct task_struct *tuxmm_find_dead_task(struct machine *m, int pid)
{
	struct task_struct *t;

	if (!m->tasks.ready)
		return NULL;
	list_for_each_entry(t, &m->tasks.dead_tasks, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

bool tuxmm_task_killed(const struct task_struct *t)
{
	return fatal_signal_pending(t);
}

int tuxmm_oom_score_adj(const struct task_struct *t)
{
	return t->oom_score_adj;
}

int tuxmm_set_oom_score_adj(struct task_struct *t, int adj)
{
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	t->oom_score_adj = adj;
	return 0;
}
