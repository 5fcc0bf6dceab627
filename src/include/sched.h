/*
 * sched.h - simulated tasks (struct task_struct) and the machine-wide state
 * of the task layer: the slab caches for tasks, address spaces, areas, files
 * and inodes, the pid allocator, and the vm.* sysctls.
 * Follows Linux include/linux/sched.h and kernel/fork.c in names.
 */
#ifndef TUXMM_SCHED_H
#define TUXMM_SCHED_H

#include <tuxmm/tuxmm.h>

#include "list.h"
#include "types.h"

struct file;
struct kmem_cache;
struct machine;
struct mm_struct;
struct host_file_table;

#define TASK_COMM_LEN	TUXMM_TASK_COMM_LEN
#define PID_MAX_DEFAULT	0x8000	/* pid_max for up to 32 CPUs */
#define RESERVED_PIDS	300	/* pids below this are not reused after a wrap */
#define NR_OPEN_DEFAULT	64	/* descriptors in a new table (BITS_PER_LONG) */

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

/* A task's open files: descriptor -> struct file (Linux's files_struct + fdtable). */
struct files_struct {
	unsigned int max_fds;		/* slots in @fd */
	struct file **fd;		/* kmalloc'd array, NULL for a free slot */
};

struct task_struct {
	int pid;
	int ppid;			/* 0: spawned by the front end */
	char comm[TASK_COMM_LEN];
	struct machine *machine;
	struct mm_struct *mm;
	struct files_struct *files;
	struct rlimit rlim[TUXMM_RLIM_NLIMITS];
	unsigned int personality;
	unsigned int uid, gid;
	unsigned long min_flt, maj_flt;	/* page faults (demand paging) */
	unsigned long ip, sp;		/* user registers rip, rsp: set by exec, 0 before */
	struct list_head tasks;		/* on the machine's task list, in pid order */
	/* the OOM killer (src/mm/oom_kill.c, src/kernel/exit.c) */
	int oom_score_adj;		/* -1000..1000 (signal->oom_score_adj) */
	bool sigkill_pending;		/* killed: fatal_signal_pending(); it runs no more */
	int exit_state;			/* 0 while running; EXIT_DEAD once reaped */
	unsigned int in_call;		/* its C API calls in progress (task_call_begin) */
};

#define EXIT_DEAD	0x0010		/* reaped: off the task list, no mm or files */

/* The vm.* sysctls and overcommit policy, Linux's defaults. */
struct vm_sysctls {
	unsigned long max_map_count;		/* vm.max_map_count: 65530 */
	unsigned long mmap_min_addr;		/* vm.mmap_min_addr: 65536 */
	unsigned long stack_guard_gap_pages;	/* stack_guard_gap= : 256 pages */
	int overcommit_memory;			/* 0 heuristic, 1 always, 2 never */
	int overcommit_ratio;			/* percent, for mode 2 */
	unsigned long admin_reserve_kbytes;
	unsigned long user_reserve_kbytes;
	int legacy_va_layout;			/* vm.legacy_va_layout: bottom-up mmap */
	int randomize_va_space;			/* kernel.randomize_va_space (from the config) */
	int oom_kill_allocating_task;		/* vm.oom_kill_allocating_task: 0 */
	int oom_dump_tasks;			/* vm.oom_dump_tasks: 1 */
	int swappiness;				/* vm.swappiness: 60, anon vs file scan balance */
	int page_cluster;			/* vm.page-cluster: 3, log2 of swap readahead pages */
};

/* The task layer's part of struct machine (host memory; the objects it points to are in RAM). */
struct task_globals {
	bool ready;				/* proc_caches_init() has run */
	struct kmem_cache *task_struct_cachep;
	struct kmem_cache *mm_cachep;
	struct kmem_cache *vm_area_cachep;
	struct kmem_cache *files_cachep;
	struct kmem_cache *filp_cachep;
	struct kmem_cache *inode_cachep;
	struct list_head tasks;			/* live tasks in pid order */
	unsigned long nr_tasks;
	int last_pid;
	int pid_max;
	struct list_head inodes;		/* every live inode (icache) */
	unsigned long last_ino;			/* internal inode numbers (shmem) */
	struct host_file_table *host_files;	/* host descriptors and paths (host memory) */
	long vm_committed_as;			/* pages charged (Committed_AS) */
	/* demand paging (src/mm/memory.c, rmap.c) */
	struct kmem_cache *anon_vma_cachep;
	struct kmem_cache *anon_vma_chain_cachep;
	struct page *zero_page;			/* ZERO_PAGE: allocated on first use, PG_reserved */
	unsigned long fault_around_bytes;	/* /sys/kernel/mm/.../fault_around_bytes: 64 KiB */
	unsigned long nr_cow_copies;		/* do_wp_page/do_cow_fault copies (for tests) */
	int last_si_code;			/* SEGV_MAPERR/ACCERR, BUS_ADRERR of the last fault */
	unsigned long last_si_addr;		/* and its address */
	struct vm_sysctls sysctl;
	/* the task a C API call runs for (src/kernel/exit.c) */
	struct task_struct *current;		/* Linux's current; NULL outside task calls */
	unsigned int call_depth;		/* nested task calls in progress */
	bool in_oom;				/* out_of_memory() is running (oom_lock) */
	struct list_head dead_tasks;		/* reaped tasks whose handle is not released */
};

/* proc_caches_init - create the caches above and set the sysctl defaults (idempotent). */
int proc_caches_init(struct machine *m);
/* exit_all_tasks - make every task exit; used when a machine is destroyed. */
void exit_all_tasks(struct machine *m);

struct task_struct *find_task_by_pid(struct machine *m, int pid);
/* alloc_pid - the next free pid (Linux's wrap to RESERVED_PIDS) or -EAGAIN. */
int alloc_pid(struct machine *m);
/* task_list_add - put @t on the machine's task list in pid order. */
void task_list_add(struct machine *m, struct task_struct *t);

/*
 * Task calls (src/kernel/exit.c). Every C API call that acts for a task runs
 * between task_call_begin() and task_call_end(): the task is `current`, so the
 * OOM killer does not tear down an address space in use. A killed task's calls
 * return -ESRCH; at the end of the outermost call the killed tasks are reaped.
 */
int task_call_begin(struct task_struct *t, struct task_struct **prev);
long task_call_end(struct task_struct *t, struct task_struct *prev, long ret);
/* task_call - run @expr as a call of @t: its value, or -ESRCH for a killed task. */
#define task_call(t, expr)                                                     \
	({                                                                     \
		struct task_struct *__prev;                                    \
		long __ret = task_call_begin(t, &__prev);                      \
		if (!__ret)                                                    \
			__ret = task_call_end(t, __prev, (long)(expr));        \
		__ret;                                                         \
	})
/* fatal_signal_pending - @t was killed (SIGKILL) and runs no further. */
static inline bool fatal_signal_pending(const struct task_struct *t)
{
	return t->sigkill_pending;
}
/* exit_task_mm - reap @t: free its memory and files, take it off the task list. */
void exit_task_mm(struct task_struct *t);
/* reap_killed_tasks - reap every killed task no call is using. */
void reap_killed_tasks(struct machine *m);
/* task_in_use - a call is running for @t (or holds its mm): its memory cannot go now. */
bool task_in_use(const struct task_struct *t);
/* current_comm - current's name, or "swapper/N" outside a task's call (@buf: 24 bytes). */
const char *current_comm(struct machine *m, char *buf, size_t len);

/* files (src/fs/file.c) */
struct files_struct *files_alloc(struct machine *m);
void exit_files(struct task_struct *t);
struct file *fget(struct task_struct *t, int fd);

#endif
