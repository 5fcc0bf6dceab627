/*
 * array.c - /proc/PID/status: the task's identity, its memory (task_mem),
 * signals, capabilities and CPU/memory placement, in Linux's order.
 * Follows Linux fs/proc/array.c (proc_pid_status) for a kernel without
 * hugetlb and THP; the simulated task is an unprivileged user (uid 1000).
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
