/*
 * bench_fault.c - demand paging in tuxmm beside the same work on this host's
 * kernel, in one run: demand-zero faults, copy-on-write faults after fork,
 * and fork of processes with 1k, 16k and 256k touched pages. One line per
 * figure, the median of several runs, in thread CPU time (--wall: wall-clock
 * time); --quick for the CTest smoke run, --only=NAME for one figure.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#include "bench.h"
#include "machine.h"

#define PAGE 4096UL
#define RUNS_MAX 16

struct bench_ctx {
	struct machine *m;
	struct task_struct *t;
	int runs;
};

static bool wall_clock;	/* --wall: time with CLOCK_MONOTONIC instead */

/*
 * now_ns - this thread's CPU time. Both sides are timed with it: the real
 * kernel handles the faults and the fork in this thread's context (system
 * time), so all its work counts, while time the shared machine gives other
 * processes counts against neither side.
 */
static double now_ns(void)
{
	struct timespec ts;

	if (wall_clock)
		return bench_now_ns();
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void print_pair(const char *name, const char *extra, double tux, double linux_ns)
{
	printf("bench=%s %s tuxmm_ns=%.1f linux_ns=%.1f ratio=%.2f\n", name, extra, tux, linux_ns,
	       tux / linux_ns);
}

/* A real anonymous mapping in 4 KiB pages (no THP, as the simulated machine has none). */
static char *real_map(unsigned long pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

static void real_touch(char *p, unsigned long pages, char v)
{
	for (unsigned long i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE] = v;
}

static void sim_touch(struct task_struct *t, unsigned long addr, unsigned long pages, uint64_t v)
{
	for (unsigned long i = 0; i < pages; i++)
		tuxmm_write(t, addr + i * PAGE, 8, v, NULL);
}

/* Demand-zero: the first write to each page of a fresh private anonymous mapping. */
static void demand_zero(struct bench_ctx *c, unsigned long pages)
{
	double tux[RUNS_MAX], lin[RUNS_MAX], t0;
	char extra[64];

	/* Run -1 warms up: the host's first touch of simulated RAM is not tuxmm's cost. */
	for (int r = -1; r < c->runs; r++) {
		long a = tuxmm_mmap(c->t, 0, pages * PAGE, 3,
				    TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS, -1, 0);
		char *p = real_map(pages);
		double tt, tl;

		t0 = now_ns();
		sim_touch(c->t, (unsigned long)a, pages, 1);
		tt = (now_ns() - t0) / (double)pages;
		tuxmm_munmap(c->t, (unsigned long)a, pages * PAGE);
		t0 = now_ns();
		real_touch(p, pages, 1);
		tl = (now_ns() - t0) / (double)pages;
		munmap(p, pages * PAGE);
		if (r >= 0) {
			tux[r] = tt;
			lin[r] = tl;
		}
	}
	snprintf(extra, sizeof(extra), "pages=%lu", pages);
	print_pair("fault_anon", extra, bench_median(tux, c->runs), bench_median(lin, c->runs));
}

/* Copy-on-write: the parent writes every page it shares with a child after fork. */
static void cow(struct bench_ctx *c, unsigned long pages)
{
	double tux[RUNS_MAX], lin[RUNS_MAX], t0;
	char extra[64];

	for (int r = -1; r < c->runs; r++) {
		long a = tuxmm_mmap(c->t, 0, pages * PAGE, 3,
				    TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS, -1, 0);
		struct task_struct *child;
		double tt, tl;
		char *p = real_map(pages);
		int pipefd[2];
		pid_t pid;

		sim_touch(c->t, (unsigned long)a, pages, 1);
		tuxmm_fork(c->t, &child);
		t0 = now_ns();
		sim_touch(c->t, (unsigned long)a, pages, 2);
		tt = (now_ns() - t0) / (double)pages;
		tuxmm_task_exit(child);
		tuxmm_munmap(c->t, (unsigned long)a, pages * PAGE);

		real_touch(p, pages, 1);
		if (pipe(pipefd))
			return;
		pid = fork();
		if (pid == 0) {
			char b;

			close(pipefd[1]);
			/* Hold the pages until the parent is done. */
			if (read(pipefd[0], &b, 1) < 0)
				_exit(1);
			_exit(0);
		}
		close(pipefd[0]);
		t0 = now_ns();
		real_touch(p, pages, 2);
		tl = (now_ns() - t0) / (double)pages;
		close(pipefd[1]);
		waitpid(pid, NULL, 0);
		munmap(p, pages * PAGE);
		if (r >= 0) {
			tux[r] = tt;
			lin[r] = tl;
		}
	}
	snprintf(extra, sizeof(extra), "pages=%lu", pages);
	print_pair("fault_cow", extra, bench_median(tux, c->runs), bench_median(lin, c->runs));
}

/* fork of a process with @pages touched private pages: the parent's side of the call. */
static void fork_cost(struct bench_ctx *c, unsigned long pages)
{
	double tux[RUNS_MAX], lin[RUNS_MAX], t0;
	long a = tuxmm_mmap(c->t, 0, pages * PAGE, 3, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS, -1,
			    0);
	char *p = real_map(pages);
	char extra[64];

	if (a < 0 || !p) {
		printf("bench=fork pages=%lu skipped=no_memory\n", pages);
		return;
	}
	sim_touch(c->t, (unsigned long)a, pages, 1);
	real_touch(p, pages, 1);
	for (int r = -1; r < c->runs; r++) {
		struct task_struct *child;
		double tt, tl;
		pid_t pid;

		t0 = now_ns();
		tuxmm_fork(c->t, &child);
		tt = now_ns() - t0;
		tuxmm_task_exit(child);
		/* Writable again (reuse), so every run forks the same state. */
		sim_touch(c->t, (unsigned long)a, pages, 1);

		t0 = now_ns();
		pid = fork();
		if (pid == 0)
			_exit(0);
		tl = now_ns() - t0;
		waitpid(pid, NULL, 0);
		real_touch(p, pages, 1);
		if (r >= 0) {
			tux[r] = tt;
			lin[r] = tl;
		}
	}
	tuxmm_munmap(c->t, (unsigned long)a, pages * PAGE);
	munmap(p, pages * PAGE);
	snprintf(extra, sizeof(extra), "pages=%lu", pages);
	print_pair("fork", extra, bench_median(tux, c->runs), bench_median(lin, c->runs));
}

/* --only=NAME (fault_anon, fault_cow, fork): one figure, for profiling with perf. */
static bool bench_wanted(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--only=", 7))
			return !strcmp(argv[i] + 7, name);
	return true;
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	struct tuxmm_config cfg;
	struct bench_ctx c = { .runs = quick ? 3 : 7 };
	char err[TUXMM_ERRMSG_MAX];

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--wall"))
			wall_clock = true;
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = quick ? 256ULL << 20 : 2ULL << 30;
	if (tuxmm_boot(&cfg, &c.m, err) || tuxmm_spawn(c.m, "bench", &c.t)) {
		fprintf(stderr, "bench_fault: %s\n", err);
		return 1;
	}
	/*
	 * Pre-fault the host memory behind simulated RAM (contents unchanged):
	 * the host kernel's first touch of each frame is the simulator's start-up
	 * cost, not a cost of the faults measured here.
	 */
	madvise(c.m->ram, c.m->phys_size, MADV_POPULATE_WRITE);
	/*
	 * The real children must not inherit simulated RAM: it would make the
	 * real fork copy its tables and every later tuxmm write a host COW fault.
	 */
	madvise(c.m->ram, c.m->phys_size, MADV_DONTFORK);
	if (bench_wanted(argc, argv, "fault_anon"))
		demand_zero(&c, quick ? 1024 : 16384);
	if (bench_wanted(argc, argv, "fault_cow"))
		cow(&c, quick ? 1024 : 16384);
	if (bench_wanted(argc, argv, "fork")) {
		fork_cost(&c, 1024);
		fork_cost(&c, 16384);
		if (!quick)
			fork_cost(&c, 262144);
	}
	tuxmm_machine_destroy(c.m);
	return 0;
}
