/*
 * bench_page_alloc.c - the buddy allocator's cost: order-0 alloc+free pairs
 * through the per-CPU lists, and pairs at every order 1..MAX_PAGE_ORDER.
 * Prints one line per figure; the median of 5 runs.
 */
#include <stdio.h>

#include "bench.h"
#include "mm.h"

#define RUNS 5

static double time_pairs(struct machine *m, unsigned int order, long iters)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < iters; i++) {
		struct page *page = alloc_pages(m, GFP_KERNEL, order);

		bench_keep(page);
		__free_pages(m, page, order);
	}
	return (bench_now_ns() - t0) / (double)iters;
}

/* Many pages live at once, freed in the order allocated: the lists churn. */
static double time_batch(struct machine *m, struct page **pages, long batch, long rounds)
{
	double t0 = bench_now_ns();

	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < batch; i++)
			pages[i] = alloc_pages(m, GFP_KERNEL, 0);
		for (long i = 0; i < batch; i++)
			__free_pages(m, pages[i], 0);
	}
	return (bench_now_ns() - t0) / (double)(batch * rounds);
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	long iters = quick ? 20000 : 5000000;
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct page *pages[4096];
	struct machine *m;
	double runs[RUNS];

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 1ULL << 30;
	if (tuxmm_boot(&cfg, &m, err)) {
		fprintf(stderr, "bench_page_alloc: %s\n", err);
		return 1;
	}
	time_pairs(m, 0, iters / 10);	/* warm up: fault in the lists and struct pages */
	for (int r = 0; r < RUNS; r++)
		runs[r] = time_pairs(m, 0, iters);
	printf("bench=page_alloc_pair order=0 pairs=%ld tuxmm_ns=%.1f\n", iters,
	       bench_median(runs, RUNS));
	for (int r = 0; r < RUNS; r++)
		runs[r] = time_batch(m, pages, 4096, quick ? 2 : iters / 4096);
	printf("bench=page_alloc_batch order=0 batch=4096 tuxmm_ns=%.1f\n",
	       bench_median(runs, RUNS));
	for (unsigned int order = 1; order <= m->max_order; order++) {
		long n = iters / (4 + order);

		for (int r = 0; r < RUNS; r++)
			runs[r] = time_pairs(m, order, n);
		printf("bench=page_alloc_pair order=%u pairs=%ld tuxmm_ns=%.1f\n", order, n,
		       bench_median(runs, RUNS));
	}
	tuxmm_machine_destroy(m);
	return 0;
}
