/*
 * array.c - /proc/PID/status and /proc/PID/stat: the task's identity, its
 * memory (task_mem), signals, capabilities and CPU/memory placement.
 * Follows Linux fs/proc/array.c (proc_pid_status, do_task_stat) for a kernel
 * without hugetlb and THP; the simulated task is an unprivileged user (uid 1000).
 */
#include "machine.h"
#include "mm.h"
#include "proc.h"
#include "report.h"
#include "vma.h"

/* proc_task_name(..., escape = true): newline and backslash escaped. */
static void show_name(struct report *r, const char *comm)
{
	report_printf(r, "Name:\t");
	for (; *comm; comm++) {
		if (*comm == '\n')
			report_write(r, "\\n", 2);
		else if (*comm == '\\')
			report_write(r, "\\\\", 2);
		else
			report_putc(r, *comm);
	}
	report_putc(r, '\n');
}

/* "%*pb": 32-bit chunks, the first only as wide as its bits, comma-separated. */
static void show_bitmap_all(struct report *r, unsigned int nbits)
{
	unsigned int first = nbits % 32 ? nbits % 32 : 32, chunks = (nbits + 31) / 32;

	for (unsigned int i = 0; i < chunks; i++) {
		unsigned int bits = i ? 32 : first;
		unsigned long mask = bits == 32 ? 0xffffffffUL : (1UL << bits) - 1;

		if (i)
			report_printf(r, ",%08lx", mask);
		else
			report_printf(r, "%0*lx", (int)((bits + 3) / 4), mask);
	}
}

/* RLIMIT_SIGPENDING's default: half of max_threads (16 KiB kernel stacks, 1/8 of RAM). */
static unsigned long sigpending_limit(struct machine *m)
{
	return totalram_pages(m) * m->page_size / (16384UL * 8) / 2;
}

void proc_pid_status_show(struct task_struct *t, struct report *r)
{
	struct machine *m = t->machine;
	unsigned int cpus = m->nr_cpus;

	show_name(r, t->comm);
	report_printf(r, "Umask:\t%#04o\n", 022);
	report_printf(r, "State:\tS (sleeping)\n");
	report_printf(r, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", t->pid,
		      t->pid, t->ppid);
	report_printf(r, "Uid:\t%u\t%u\t%u\t%u\n", t->uid, t->uid, t->uid, t->uid);
	report_printf(r, "Gid:\t%u\t%u\t%u\t%u\n", t->gid, t->gid, t->gid, t->gid);
	report_printf(r, "FDSize:\t%u\n", t->files ? t->files->max_fds : 0);
	report_printf(r, "Groups:\t \n");
	report_printf(r, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->pid, t->pid,
		      t->pid, t->pid);
	report_printf(r, "Kthread:\t0\n");
	if (t->mm)
		task_mem(r, t->mm);
	report_printf(r, "CoreDumping:\t0\n");
	report_printf(r, "untag_mask:\t%#lx\n",
		      m->arch.geo.va_bits == 32 ? 0xffffffffUL : ~0UL);
	report_printf(r, "Threads:\t1\nSigQ:\t0/%lu\n", sigpending_limit(m));
	report_printf(r, "SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\nSigIgn:\t%016x\n"
			 "SigCgt:\t%016x\n", 0, 0, 0, 0, 0);
	report_printf(r, "CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\nCapBnd:\t%016llx\n"
			 "CapAmb:\t%016x\n", 0, 0, 0, (1ULL << 41) - 1, 0);
	report_printf(r, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	report_printf(r, "Speculation_Store_Bypass:\tvulnerable\n");
	report_printf(r, "SpeculationIndirectBranch:\talways enabled\n");
	report_printf(r, "Cpus_allowed:\t");
	show_bitmap_all(r, cpus);
	if (cpus > 1)
		report_printf(r, "\nCpus_allowed_list:\t0-%u\n", cpus - 1);
	else
		report_printf(r, "\nCpus_allowed_list:\t0\n");
	/* One node: MAX_NUMNODES is 1 without CONFIG_NUMA. */
	report_printf(r, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	report_printf(r, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

/*
 * proc_pid_stat_show - do_task_stat()'s 52 fields as the task itself reads
 * them. Real: pid, comm, ppid, minflt, majflt, vsize, rss and the mm's
 * code/data/brk/arg/env bounds. Fixed, as for an idle single-threaded task
 * that never ran on a CPU: state S (as status), its own process group and
 * session, no tty (tty_nr 0, tpgid -1), flags PF_RANDOMIZE, no CPU time,
 * priority 20, nice 0, 1 thread, start time 0, rsslim RLIM_INFINITY,
 * kstkesp/kstkeip/wchan 0 (Linux hides them), exit_signal SIGCHLD, CPU 0.
 */
void proc_pid_stat_show(struct task_struct *t, struct report *r)
{
	struct mm_struct *mm = t->mm;
	unsigned long vsize = 0, rss = 0;

	if (mm) {
		vsize = mm->total_vm << mm->page_shift;
		rss = get_mm_rss(mm);
	}
	report_printf(r, "%d (%s) S %d %d %d 0 -1 %u ", t->pid, t->comm, t->ppid, t->pid, t->pid,
		      0x00400000U);
	report_printf(r, "%lu 0 %lu 0 0 0 0 0 20 0 1 0 0 %lu %lu %lu ", t->min_flt, t->maj_flt,
		      vsize, rss, ~0UL);
	report_printf(r, "%lu %lu %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 ",
		      mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0);
	if (mm)
		report_printf(r, "%lu %lu %lu %lu %lu %lu %lu 0\n", mm->start_data, mm->end_data,
			      mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start,
			      mm->env_end);
	else
		report_printf(r, "0 0 0 0 0 0 0 0\n");
}
