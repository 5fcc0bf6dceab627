/*
 * task.c - simulated tasks: spawning one with a fresh address space (its
 * [stack] and an empty heap where Linux puts a new program's), pids, lookup
 * and exit.
 * Follows Linux kernel/pid.c (pid allocation) and the layout fs/binfmt_elf.c
 * gives a new process (mmap layout, stack, brk), without a program loaded.
 * Keeps: tasks on the machine's list in pid order; exit frees everything the task held.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "host_file.h"
#include "machine.h"
#include "mman.h"
#include "vma.h"

/* init_task's limits (INIT_RLIMITS): unlimited but for these. */
static void set_default_rlimits(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK] = (struct rlimit){ 8UL << 20, RLIM_INFINITY };	/* _STK_LIM */
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8UL << 20, 8UL << 20 };	/* MLOCK_LIMIT */
	rlim[RLIMIT_NOFILE] = (struct rlimit){ 1024, 4096 };		/* INR_OPEN_CUR/_MAX */
}

struct task_struct *find_task_by_pid(struct machine *m, int pid)
{
	struct task_struct *t;

	if (!m->tasks.ready)
		return NULL;
	list_for_each_entry(t, &m->tasks.tasks, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

/* alloc_pid - the next pid after the last one, wrapping to RESERVED_PIDS; -EAGAIN if none. */
int alloc_pid(struct machine *m)
{
	struct task_globals *tg = &m->tasks;
	int pid = tg->last_pid;

	for (int tries = 0; tries < tg->pid_max; tries++) {
		if (++pid >= tg->pid_max)
			pid = RESERVED_PIDS;
		/* A killed task's pid stays taken while its handle is held, as a zombie's does. */
		if (!find_task_by_pid(m, pid) && !tuxmm_find_dead_task(m, pid)) {
			tg->last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

void task_list_add(struct machine *m, struct task_struct *t)
{
	struct task_struct *pos;

	list_for_each_entry(pos, &m->tasks.tasks, tasks) {
		if (pos->pid > t->pid) {
			list_add_tail(&t->tasks, &pos->tasks);
			m->tasks.nr_tasks++;
			return;
		}
	}
	list_add_tail(&t->tasks, &m->tasks.tasks);
	m->tasks.nr_tasks++;
}

/* ELF_ET_DYN_BASE: where Linux loads a PIE, and so where its heap begins. */
static unsigned long elf_et_dyn_base(const struct machine *m)
{
	if (mmap_is_ia32(m))
		return 0x00400000UL;
	return (stack_top(m) / 3 * 2) & ~(m->page_size - 1);
}

/* setup_new_mm - the layout of a new process: mmap base, stack, empty heap. */
static int setup_new_mm(struct mm_struct *mm)
{
	struct machine *m = mm->machine;
	int err;

	arch_pick_mmap_layout(mm);
	err = setup_new_stack(mm);
	if (err)
		return err;
	mm->start_brk = mm->brk = elf_et_dyn_base(m);
	if (m->tasks.sysctl.randomize_va_space > 1) {
		mm->start_brk = mm->brk = arch_randomize_brk(mm);
		mm->brk_randomized = true;
	}
	return 0;
}

int tuxmm_spawn(struct machine *m, const char *name, struct task_struct **out)
{
	struct task_struct *t;
	int pid, err;

	*out = NULL;
	err = proc_caches_init(m);
	if (err)
		return err;
	pid = alloc_pid(m);
	if (pid < 0)
		return pid;
	t = kmem_cache_zalloc(m->tasks.task_struct_cachep, GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->machine = m;
	strncpy(t->comm, name ? name : "task", TASK_COMM_LEN - 1);
	set_default_rlimits(t->rlim);
	t->uid = t->gid = 1000;
	err = -ENOMEM;
	t->files = files_alloc(m);
	if (!t->files)
		goto out_free_task;
	t->mm = mm_alloc(m);
	if (!t->mm)
		goto out_free_files;
	t->mm->owner = t;
	err = setup_new_mm(t->mm);
	if (err)
		goto out_put_mm;
	task_list_add(m, t);
	*out = t;
	return 0;

out_put_mm:
	mmput(t->mm);
out_free_files:
	exit_files(t);
out_free_task:
	kmem_cache_free(m->tasks.task_struct_cachep, t);
	return err;
}

void tuxmm_task_exit(struct task_struct *t)
{
	struct machine *m;

	if (!t)
		return;
	m = t->machine;
	/* Killed and reaped (exit.c): only the handle is left to release. */
	if (t->exit_state == EXIT_DEAD) {
		list_del(&t->tasks);
		kmem_cache_free(m->tasks.task_struct_cachep, t);
		return;
	}
	exit_files(t);
	mmput(t->mm);
	t->mm = NULL;
	list_del(&t->tasks);
	m->tasks.nr_tasks--;
	kmem_cache_free(m->tasks.task_struct_cachep, t);
}

void exit_all_tasks(struct machine *m)
{
	struct task_struct *t, *n;

	if (!m->tasks.ready)
		return;
	list_for_each_entry_safe(t, n, &m->tasks.tasks, tasks)
		tuxmm_task_exit(t);
	list_for_each_entry_safe(t, n, &m->tasks.dead_tasks, tasks)
		tuxmm_task_exit(t);
}

int tuxmm_task_pid(const struct task_struct *t)
{
	return t->pid;
}

const char *tuxmm_task_comm(const struct task_struct *t)
{
	return t->comm;
}

struct machine *tuxmm_task_machine(const struct task_struct *t)
{
	return t->machine;
}

struct task_struct *tuxmm_find_task(struct machine *m, int pid)
{
	return find_task_by_pid(m, pid);
}

struct task_struct *tuxmm_next_task(struct machine *m, struct task_struct *prev)
{
	struct list_head *next;

	if (!m->tasks.ready)
		return NULL;
	next = prev ? prev->tasks.next : m->tasks.tasks.next;
	return next == &m->tasks.tasks ? NULL : list_entry(next, struct task_struct, tasks);
}
