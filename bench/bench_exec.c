/*
 * bench_exec.c - exec of /bin/true in tuxmm (tuxmm_exec: plan, map, write the
 * stack) beside this host's fork + execve + wait of /bin/true. One line, the
 * median of several runs; --quick for the CTest smoke run.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#include "bench.h"
#include "machine.h"

#define RUNS_MAX 64

static char *const true_argv[] = { "true", NULL };
static char *const true_envp[] = { "PATH=/usr/bin:/bin", NULL };

/* One real fork + execve("/bin/true") + waitpid, in ns; < 0 on failure. */
static double real_exec_ns(void)
{
	double t0 = bench_now_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execve("/bin/true", true_argv, true_envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return bench_now_ns() - t0;
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	int runs = quick ? 3 : 31;
	double tux[RUNS_MAX], real[RUNS_MAX];
	struct tuxmm_config cfg;
	struct machine *m;
	struct task_struct *t;
	char err[TUXMM_ERRMSG_MAX] = "";

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 256ULL << 20;
	if (tuxmm_boot(&cfg, &m, err) || tuxmm_spawn(m, "bench", &t)) {
		fprintf(stderr, "bench_exec: %s\n", err[0] ? err : "spawn failed");
		return 1;
	}
	/* As bench_fault: simulated RAM pre-faulted, and not inherited by the real children. */
	madvise(m->ram, m->phys_size, MADV_POPULATE_WRITE);
	madvise(m->ram, m->phys_size, MADV_DONTFORK);
	for (int i = 0; i < runs; i++) {
		double t0 = bench_now_ns();
		int ret = tuxmm_exec(t, "/bin/true", (const char *const *)true_argv,
				     (const char *const *)true_envp);

		tux[i] = bench_now_ns() - t0;
		real[i] = real_exec_ns();
		if (ret || real[i] < 0) {
			fprintf(stderr, "bench_exec: exec of /bin/true failed (%s)\n",
				ret ? tuxmm_errno_name(ret) : "host");
			tuxmm_machine_destroy(m);
			return 1;
		}
	}
	printf("bench=exec_bin_true runs=%d tuxmm_ns=%.1f linux_ns=%.1f ratio=%.2f\n", runs,
	       bench_median(tux, runs), bench_median(real, runs),
	       bench_median(tux, runs) / bench_median(real, runs));
	tuxmm_machine_destroy(m);
	return 0;
}
