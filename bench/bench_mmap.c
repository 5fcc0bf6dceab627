/*
 * bench_mmap.c - address-space calls in tuxmm beside the same calls on this
 * host's kernel, in one run: mmap+munmap pairs, mprotect splits (and the merge
 * back), and find_vma() among 65,530 areas. One line per figure, the median
 * of several runs; --quick for the CTest smoke run.
 */
#include <stdio.h>
#include <sys/mman.h>

#include <tuxmm/tuxmm.h>

#include "bench.h"
#include "machine.h"
#include "vma.h"

#define WINDOW 0x200000000UL	/* where the fixed-address figures work, in both worlds */

struct bench_ctx {
	struct machine *m;
	struct task_struct *t;
	int iters, runs;
};

static double median_of(double *v, int n)
{
	return bench_median(v, n);
}

static void print_pair(const char *name, const char *extra, double tux, double linux_ns)
{
	printf("bench=%s %s tuxmm_ns=%.1f linux_ns=%.1f ratio=%.2f\n", name, extra, tux, linux_ns,
	       tux / linux_ns);
}

/* One mmap of @pages anonymous pages and its munmap, per iteration. */
static void mmap_munmap(struct bench_ctx *c, unsigned long pages, int background)
{
	unsigned long len = pages * 4096;
	double tux[16], lin[16], t0;
	char extra[64];

	/* Areas already there make the lookups realistic; they never merge (alternating rights). */
	for (int i = 0; i < background; i++) {
		tuxmm_mmap(c->t, WINDOW + 2UL * i * 4096, 4096, i & 1 ? 3 : 1,
			   TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED, -1, 0);
		mmap((void *)(WINDOW + 2UL * i * 4096), 4096, i & 1 ? 3 : 1,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	for (int r = 0; r < c->runs; r++) {
		t0 = bench_now_ns();
		for (int i = 0; i < c->iters; i++) {
			long a = tuxmm_mmap(c->t, 0, len, 3,
					    TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS, -1, 0);

			tuxmm_munmap(c->t, (unsigned long)a, len);
		}
		tux[r] = (bench_now_ns() - t0) / c->iters;
		t0 = bench_now_ns();
		for (int i = 0; i < c->iters; i++) {
			void *a = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			munmap(a, len);
		}
		lin[r] = (bench_now_ns() - t0) / c->iters;
	}
	snprintf(extra, sizeof(extra), "pages=%lu areas=%d", pages, background);
	print_pair("mmap_munmap", extra, median_of(tux, c->runs), median_of(lin, c->runs));
	tuxmm_munmap(c->t, WINDOW, 2UL * (unsigned long)background * 4096);
	munmap((void *)WINDOW, 2UL * (unsigned long)background * 4096);
}

/* mprotect of the middle page of three (a split into three) and back (the merge). */
static void mprotect_split(struct bench_ctx *c)
{
	unsigned long a = WINDOW + (1UL << 30);
	double tux[16], lin[16], t0;

	tuxmm_mmap(c->t, a, 3 * 4096, 3, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED,
		   -1, 0);
	mmap((void *)a, 3 * 4096, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	for (int r = 0; r < c->runs; r++) {
		t0 = bench_now_ns();
		for (int i = 0; i < c->iters; i++) {
			tuxmm_mprotect(c->t, a + 4096, 4096, 1);
			tuxmm_mprotect(c->t, a + 4096, 4096, 3);
		}
		tux[r] = (bench_now_ns() - t0) / c->iters / 2;
		t0 = bench_now_ns();
		for (int i = 0; i < c->iters; i++) {
			mprotect((void *)(a + 4096), 4096, PROT_READ);
			mprotect((void *)(a + 4096), 4096, PROT_READ | PROT_WRITE);
		}
		lin[r] = (bench_now_ns() - t0) / c->iters / 2;
	}
	print_pair("mprotect_split", "pages=3", median_of(tux, c->runs), median_of(lin, c->runs));
	tuxmm_munmap(c->t, a, 3 * 4096);
	munmap((void *)a, 3 * 4096);
}

/* find_vma() at random addresses among 65,530 areas: O(log n) in the gap tree. */
static void find_vma_many(struct bench_ctx *c)
{
	struct mm_struct *mm = c->t->mm;
	unsigned long n = 0, lookups = (unsigned long)c->iters * 20, found = 0;
	double v[16], t0, build;
	uint64_t x = 88172645463325252ULL;

	t0 = bench_now_ns();
	while (mm->map_count < 65530) {
		const int flags = TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED;
		long r = tuxmm_mmap(c->t, WINDOW + 2 * n * 4096, 4096, (n & 1) ? 3 : 1, flags, -1,
				    0);

		if (r < 0)
			break;
		n++;
	}
	build = (bench_now_ns() - t0) / (double)n;
	for (int r = 0; r < c->runs; r++) {
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < lookups; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Defeat the one-entry cache: a different area each time. */
			found += find_vma(mm, WINDOW + (x % (2 * n)) * 4096)->vm_start & 1;
			mm->vmacache = NULL;
		}
		v[r] = (bench_now_ns() - t0) / (double)lookups;
	}
	bench_keep(found);
	printf("bench=find_vma areas=%d tuxmm_ns=%.1f\n", mm->map_count, median_of(v, c->runs));
	printf("bench=mmap_fixed_build areas=%d tuxmm_ns=%.1f\n", mm->map_count, build);
}

int main(int argc, char **argv)
{
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct bench_ctx c;
	bool quick = bench_quick(argc, argv);

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 256ULL << 20;
	if (tuxmm_boot(&cfg, &c.m, err)) {
		fprintf(stderr, "bench_mmap: %s\n", err);
		return 1;
	}
	if (tuxmm_spawn(c.m, "bench", &c.t)) {
		fprintf(stderr, "bench_mmap: cannot spawn a task\n");
		return 1;
	}
	c.iters = quick ? 2000 : 50000;
	c.runs = quick ? 3 : 7;
	mmap_munmap(&c, 1, 0);
	mmap_munmap(&c, 16, 0);
	mmap_munmap(&c, 1, 1000);
	mprotect_split(&c);
	find_vma_many(&c);
	tuxmm_machine_destroy(c.m);
	return 0;
}
