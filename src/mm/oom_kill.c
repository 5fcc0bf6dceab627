/*
 * oom_kill.c - the OOM killer: when reclaim has failed, pick the task whose
 * death frees the most memory (Linux's badness: resident pages, swap entries
 * and page tables, moved by oom_score_adj), kill it and free its memory.
 * Follows Linux mm/oom_kill.c (oom_badness, oom_evaluate_task, dump_header,
 * dump_tasks, __oom_kill_process, out_of_memory) and fs/proc/base.c (oom_score).
 * Keeps: one victim at a time; a victim in use by the call in progress is
 * reaped when that call ends (exit.c), any other at once; init and tasks with
 * oom_score_adj -1000 are never chosen.
 */
#include <limits.h>

#include "machine.h"
#include "mm.h"
#include "oom.h"
#include "printk.h"
#include "report.h"
#include "swap.h"
#include "vma.h"

#define K(m, pages) ((unsigned long)(pages) << ((m)->page_shift - 10))

/* is_global_init(): pid 1 is init, whose death would take the system down. */
static bool oom_unkillable_task(const struct task_struct *p)
{
	return p->pid == 1;
}

static unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	return mm->pgd.pgtables_bytes;
}

unsigned long oom_totalpages(struct machine *m)
{
	long swap = total_swap_pages(m);

	return totalram_pages(m) + (unsigned long)(swap > 0 ? swap : 0);
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	struct mm_struct *mm = p->mm;
	long points, adj;

	if (oom_unkillable_task(p) || !mm || p->exit_state)
		return LONG_MIN;
	adj = p->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	points = (long)get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
		 (long)(mm_pgtables_bytes(mm) >> mm->page_shift);
	/* Linux divides first: oom_score_adj moves the score in steps of totalpages / 1000. */
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

bool oom_reserves_allowed(struct machine *m)
{
	struct task_struct *cur = m->tasks.current;

	return cur && fatal_signal_pending(cur);
}

/* ---- the report ---- */

/* dump_tasks - "Tasks state": every task that could be chosen, in pid order. */
static void dump_tasks(struct machine *m)
{
	struct task_struct *p;

	printk(m, "Tasks state (memory values in pages):");
	printk(m, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem "
		  "pgtables_bytes swapents oom_score_adj name");
	list_for_each_entry(p, &m->tasks.tasks, tasks) {
		struct mm_struct *mm = p->mm;

		if (oom_unkillable_task(p) || !mm || p->exit_state)
			continue;
		printk(m, "[%7d] %5u %5d %8lu %8lu %8ld %8ld %9ld %8ld %8ld         %5hd %s", p->pid,
		       p->uid, p->pid, mm->total_vm, get_mm_rss(mm),
		       get_mm_counter(mm, MM_ANONPAGES), get_mm_counter(mm, MM_FILEPAGES),
		       get_mm_counter(mm, MM_SHMEMPAGES), (long)mm_pgtables_bytes(mm),
		       get_mm_counter(mm, MM_SWAPENTS), (short)p->oom_score_adj, p->comm);
	}
}

static void dump_header(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct task_struct *cur = m->tasks.current;
	char comm[24];
	struct report r;

	report_init(&r);
	gfp_format(&r, gfp);
	printk(m, "%s invoked oom-killer: gfp_mask=%s, order=%u, oom_score_adj=%hd",
	       current_comm(m, comm, sizeof(comm)), r.buf ? r.buf : "?", order,
	       (short)(cur ? cur->oom_score_adj : 0));
	report_free(&r);
	/* tuxmm models a kernel without CONFIG_COMPACTION. */
	if (order)
		printk(m, "COMPACTION is disabled!!!");
	__show_mem(m);
	if (m->tasks.sysctl.oom_dump_tasks)
		dump_tasks(m);
}

/* ---- killing ---- */

void oom_reap_task(struct task_struct *t)
{
	struct machine *m = t->machine;

	exit_task_mm(t);
	/* Freed order-0 pages sit on the per-CPU lists, which watermarks do not count. */
	drain_all_pages(m);
	printk(m, "oom_reaper: reaped process %d (%s), now anon-rss:0kB, file-rss:0kB, "
		  "shmem-rss:0kB", t->pid, t->comm);
}

/*
 * oom_kill_message - dump_oom_victim()'s line, then __oom_kill_process(): SIGKILL
 * @victim, log it as Linux does (@message first), and reap it unless in use.
 */
static void oom_kill_message(struct machine *m, struct task_struct *victim, const char *message)
{
	struct mm_struct *mm = victim->mm;

	printk(m, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
		  "mems_allowed=0,global_oom,task_memcg=/,task=%s,pid=%d,uid=%u",
	       victim->comm, victim->pid, victim->uid);
	victim->sigkill_pending = true;
	m->vm_events[OOM_KILL]++;
	printk(m, "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
		  "file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd",
	       message, victim->pid, victim->comm, K(m, mm->total_vm),
	       K(m, get_mm_counter(mm, MM_ANONPAGES)), K(m, get_mm_counter(mm, MM_FILEPAGES)),
	       K(m, get_mm_counter(mm, MM_SHMEMPAGES)), victim->uid,
	       mm_pgtables_bytes(mm) >> 10, (short)victim->oom_score_adj);
	/* The oom_reaper's turn: at once, or when the call using the victim ends. */
	if (!task_in_use(victim))
		oom_reap_task(victim);
}

/*
 * select_bad_process - the task with the highest badness; a later task wins
 * a tie (Linux keeps scanning with points >= chosen). *@abort is set when a
 * killed task is still waiting to be reaped: Linux then waits for it rather
 * than kill a second task.
 */
static struct task_struct *select_bad_process(struct machine *m, unsigned long totalpages,
					      bool *abort)
{
	struct task_struct *p, *chosen = NULL;
	long chosen_points = LONG_MIN;

	*abort = false;
	list_for_each_entry(p, &m->tasks.tasks, tasks) {
		long points;

		if (oom_unkillable_task(p) || p->exit_state)
			continue;
		if (fatal_signal_pending(p)) {
			*abort = true;
			return NULL;
		}
		points = oom_badness(p, totalpages);
		if (points == LONG_MIN || points < chosen_points)
			continue;
		chosen = p;
		chosen_points = points;
	}
	return chosen;
}

bool out_of_memory(struct machine *m, gfp_t gfp, unsigned int order)
{
	struct task_struct *cur = m->tasks.current, *victim;
	unsigned long totalpages = oom_totalpages(m);
	bool abort;

	if (!m->tasks.ready || m->tasks.in_oom)
		return false;
	/* A killed task allocating on its way out may use the reserves (task_will_free_mem). */
	if (cur && fatal_signal_pending(cur))
		return true;
	/* The OOM killer does not compensate for IO-less reclaim: GFP_NOFS just fails. */
	if (!(gfp & __GFP_FS))
		return false;
	m->tasks.in_oom = true;
	/* vm.oom_kill_allocating_task: the task that allocates pays, without a scan. */
	if (m->tasks.sysctl.oom_kill_allocating_task && cur && cur->mm &&
	    !oom_unkillable_task(cur) && cur->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		dump_header(m, gfp, order);
		oom_kill_message(m, cur, "Out of memory (oom_kill_allocating_task)");
		m->tasks.in_oom = false;
		return true;
	}
	victim = select_bad_process(m, totalpages, &abort);
	if (!abort) {
		dump_header(m, gfp, order);
		if (victim) {
			oom_kill_message(m, victim, "Out of memory");
		} else {
			printk(m, "Out of memory and no killable processes...");
		}
	}
	m->tasks.in_oom = false;
	if (!victim)
		return false;
	/* Reaped: its memory is free. Still in use: only the victim itself can go on. */
	return victim->exit_state || victim == cur;
}

/* ---- /proc/PID ---- */

void proc_oom_score_show(struct task_struct *t, struct report *r)
{
	unsigned long totalpages = oom_totalpages(t->machine);
	long badness = oom_badness(t, totalpages);
	unsigned long points = 0;

	/* Linux's scale, 0..2000: a task holding nothing with oom_score_adj 0 scores 666. */
	if (badness != LONG_MIN)
		points = (unsigned long)((1000 + badness * 1000 / (long)totalpages) * 2 / 3);
	report_printf(r, "%lu\n", points);
}

void proc_oom_score_adj_show(struct task_struct *t, struct report *r)
{
	report_printf(r, "%d\n", t->oom_score_adj);
}
