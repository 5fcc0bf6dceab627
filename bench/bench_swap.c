/*
 * bench_swap.c - swap I/O beside this host's raw file I/O, in one run:
 * swap-out (MADV_PAGEOUT of written anonymous pages) and swap-in (a read of
 * each, with readahead) in MB/s, against pwrite/pread of the same number of
 * pages to a file in the same directory; a thrashing workload's faults per
 * second (random writes over a working set half again as big as RAM), under
 * Linux's policy and then each other one a machine takes; and
 * reclaim's cost per page (clean file pages dropped, anonymous pages swapped
 * out by kswapd). One line per figure, the median of several runs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#include "bench.h"

#define PGSZ 4096UL
#define AT   0x200000000UL
#define MiB  (1UL << 20)

struct ctx {
	char dir[64], swap[96], raw[96], data[96];
	unsigned long pages;
	int runs;
};

static struct machine *boot_policy(struct ctx *c, uint64_t ram, uint64_t swap, const char *policy,
				   struct task_struct **t)
{
	struct tuxmm_config cfg;
	struct machine *m;
	char err[TUXMM_ERRMSG_MAX] = "";

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = ram;
	cfg.policy = policy;
	if (tuxmm_boot(&cfg, &m, err) || tuxmm_mkswap(c->swap, swap, 4096, 1, err) ||
	    tuxmm_swapon(m, c->swap, -1, err) || tuxmm_spawn(m, "bench", t)) {
		fprintf(stderr, "bench_swap: %s\n", err);
		exit(1);
	}
	return m;
}

static struct machine *boot(struct ctx *c, uint64_t ram, uint64_t swap, struct task_struct **t)
{
	return boot_policy(c, ram, swap, NULL, t);
}

static double mbps(unsigned long pages, double ns)
{
	return (double)(pages * PGSZ) / MiB / (ns / 1e9);
}

/*
 * raw_io - pwrite (or pread) @pages pages at the offsets a swap area uses,
 * @batch pages per host call (1: page by page; 32: as swap's runs of slots).
 */
static double raw_io(struct ctx *c, bool write, unsigned int batch)
{
	static char buf[32 * PGSZ];
	int fd = open(c->raw, O_RDWR | O_CREAT, 0600);
	double t0;

	memset(buf, 0x5a, sizeof(buf));
	t0 = bench_now_ns();
	for (unsigned long i = 1; i <= c->pages; i += batch) {
		size_t len = (c->pages + 1 - i < batch ? c->pages + 1 - i : batch) * PGSZ;
		ssize_t n = write ? pwrite(fd, buf, len, (off_t)(i * PGSZ)) :
				    pread(fd, buf, len, (off_t)(i * PGSZ));

		if (n != (ssize_t)len) {
			perror("bench_swap: raw I/O");
			exit(1);
		}
	}
	t0 = bench_now_ns() - t0;
	close(fd);
	return t0;
}

static void swap_io(struct ctx *c)
{
	double out[16], in[16], rout[16], rin[16], bout[16], bin[16];
	struct task_struct *t;
	struct machine *m = boot(c, 2 * c->pages * PGSZ + 64 * MiB, c->pages * PGSZ + 16 * MiB, &t);
	unsigned long len = c->pages * PGSZ;

	tuxmm_mmap(t, AT, len, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
		   TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED, -1, 0);
	raw_io(c, true, 32);	/* the raw file exists and is allocated before the timed runs */
	for (int r = 0; r < c->runs; r++) {
		double t0;

		tuxmm_fill(t, AT, 'a' + r, len, NULL);
		t0 = bench_now_ns();
		tuxmm_madvise(t, AT, len, TUXMM_MADV_PAGEOUT);
		out[r] = bench_now_ns() - t0;
		t0 = bench_now_ns();
		tuxmm_touch(t, AT, len, false, NULL);
		in[r] = bench_now_ns() - t0;
		rout[r] = raw_io(c, true, 1);
		rin[r] = raw_io(c, false, 1);
		bout[r] = raw_io(c, true, 32);
		bin[r] = raw_io(c, false, 32);
	}
	printf("bench=swap_out pages=%lu tuxmm_MBps=%.0f raw_pwrite_MBps=%.0f ratio=%.2f "
	       "raw_pwrite_128k_MBps=%.0f ratio_128k=%.2f\n",
	       c->pages, mbps(c->pages, bench_median(out, c->runs)),
	       mbps(c->pages, bench_median(rout, c->runs)),
	       bench_median(rout, c->runs) / bench_median(out, c->runs),
	       mbps(c->pages, bench_median(bout, c->runs)),
	       bench_median(bout, c->runs) / bench_median(out, c->runs));
	printf("bench=swap_in pages=%lu tuxmm_MBps=%.0f raw_pread_MBps=%.0f ratio=%.2f "
	       "raw_pread_128k_MBps=%.0f ratio_128k=%.2f\n",
	       c->pages, mbps(c->pages, bench_median(in, c->runs)),
	       mbps(c->pages, bench_median(rin, c->runs)),
	       bench_median(rin, c->runs) / bench_median(in, c->runs),
	       mbps(c->pages, bench_median(bin, c->runs)),
	       bench_median(bin, c->runs) / bench_median(in, c->runs));
	tuxmm_machine_destroy(m);
}

/*
 * Random page writes over 1.5x RAM: every fault is a swap-in, most evict a page.
 * @policy NULL: Linux's (the line without policy=); else the machine's policy.
 */
static void thrash(struct ctx *c, const char *policy)
{
	double rate[16], faults[16];
	unsigned long ram = 16 * MiB, ws = ram / PGSZ * 3 / 2, touches = c->pages;

	for (int r = 0; r < c->runs; r++) {
		struct task_struct *t;
		struct machine *m = boot_policy(c, ram, 64 * MiB, policy, &t);
		unsigned long maj0, maj1, min0, min1;
		uint64_t rng = 0x9e3779b97f4a7c15ULL + (uint64_t)r;
		double t0;

		tuxmm_mmap(t, AT, ws * PGSZ, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
			   TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED, -1, 0);
		tuxmm_touch(t, AT, ws * PGSZ, true, NULL);
		tuxmm_task_faults(t, &min0, &maj0);
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < touches; i++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			tuxmm_write(t, AT + (rng % ws) * PGSZ, 8, i, NULL);
		}
		t0 = bench_now_ns() - t0;
		tuxmm_task_faults(t, &min1, &maj1);
		rate[r] = (double)(maj1 - maj0 + min1 - min0) / (t0 / 1e9);
		faults[r] = (double)(maj1 - maj0 + min1 - min0);
		tuxmm_machine_destroy(m);
	}
	if (!policy) {
		printf("bench=thrash ram_pages=%lu working_set_pages=%lu touches=%lu "
		       "faults_per_s=%.0f\n", ram / PGSZ, ws, touches, bench_median(rate, c->runs));
		return;
	}
	printf("bench=thrash policy=%s ram_pages=%lu working_set_pages=%lu touches=%lu "
	       "faults_per_s=%.0f faults=%.0f\n", policy, ram / PGSZ, ws, touches,
	       bench_median(rate, c->runs), bench_median(faults, c->runs));
}

/* Reclaim cost: clean file pages dropped, and anonymous pages swapped out, per page freed. */
static void reclaim_cost(struct ctx *c)
{
	double file_ns[16], anon_ns[16];
	unsigned long n = c->pages;

	{
		static char buf[PGSZ];
		int fd = open(c->data, O_RDWR | O_CREAT | O_TRUNC, 0600);

		for (unsigned long i = 0; i < n; i++)
			if (pwrite(fd, buf, PGSZ, (off_t)(i * PGSZ)) != (ssize_t)PGSZ)
				exit(1);
		close(fd);
	}
	for (int r = 0; r < c->runs; r++) {
		struct task_struct *t;
		struct machine *m = boot(c, 2 * n * PGSZ + 64 * MiB, n * PGSZ + 16 * MiB, &t);
		unsigned long freed;
		double t0;

		tuxmm_mmap_path(t, AT, n * PGSZ, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED,
				c->data, 0);
		tuxmm_touch(t, AT, n * PGSZ, false, NULL);
		tuxmm_reclaim(m, 2 * n);	/* ages the pages: the first pass finds them young */
		t0 = bench_now_ns();
		freed = tuxmm_reclaim(m, 2 * n);
		file_ns[r] = (bench_now_ns() - t0) / (double)(freed ? freed : 1);
		tuxmm_munmap(t, AT, n * PGSZ);
		tuxmm_mmap(t, AT, n * PGSZ, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
			   TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED, -1, 0);
		tuxmm_touch(t, AT, n * PGSZ, true, NULL);
		tuxmm_reclaim(m, 2 * n);
		t0 = bench_now_ns();
		freed = tuxmm_reclaim(m, 2 * n);
		anon_ns[r] = (bench_now_ns() - t0) / (double)(freed ? freed : 1);
		tuxmm_machine_destroy(m);
	}
	printf("bench=reclaim_file_clean pages=%lu ns_per_page=%.0f\n", n,
	       bench_median(file_ns, c->runs));
	printf("bench=reclaim_anon_swap pages=%lu ns_per_page=%.0f\n", n,
	       bench_median(anon_ns, c->runs));
}

int main(int argc, char **argv)
{
	struct ctx c = { .pages = 16384, .runs = 5 };

	if (bench_quick(argc, argv)) {
		c.pages = 512;
		c.runs = 1;
	}
	strcpy(c.dir, "/tmp/tuxmm-bench-swap-XXXXXX");
	if (!mkdtemp(c.dir)) {
		perror("bench_swap: mkdtemp");
		return 1;
	}
	snprintf(c.swap, sizeof(c.swap), "%s/swapfile", c.dir);
	snprintf(c.raw, sizeof(c.raw), "%s/raw", c.dir);
	snprintf(c.data, sizeof(c.data), "%s/data", c.dir);
	swap_io(&c);
	thrash(&c, NULL);
	for (const char *const *p = (const char *const[]){ "linux", "clock", "fifo", "lru", "random",
							     NULL }; *p; p++)
		thrash(&c, *p);
	reclaim_cost(&c);
	unlink(c.swap);
	unlink(c.raw);
	unlink(c.data);
	rmdir(c.dir);
	return 0;
}
