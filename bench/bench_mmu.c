/*
 * bench_mmu.c - the MMU's cost: translated loads and stores that hit the TLB
 * beside a plain host loop over the same offsets on an array (the hot path of
 * every later feature), TLB misses with a full walk for each level count, and
 * vmalloc+vfree pairs beside the host kernel's mmap+munmap of the same size.
 * Prints one line per figure; the median of 5 runs.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"
#include "mm.h"
#include "mmu.h"
#include "pgtable.h"
#include "tlb.h"
#include "vmalloc.h"

#define RUNS 5
#define OFF_BITS 16
#define OFF_MASK ((1u << OFF_BITS) - 1)
#define USER_BASE 0x10000000UL

static uint32_t offsets[1u << OFF_BITS];

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random 8-byte-aligned offsets inside @bytes. */
static void make_offsets(unsigned long bytes, uint64_t seed)
{
	for (unsigned int i = 0; i <= OFF_MASK; i++)
		offsets[i] = (uint32_t)((xorshift(&seed) % bytes) & ~7UL);
}

static struct machine *boot(unsigned int levels, unsigned int page_shift, uint64_t ram)
{
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;

	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = levels;
	cfg.page_shift = page_shift;
	cfg.ram_bytes = ram;
	if (tuxmm_boot(&cfg, &m, err)) {
		fprintf(stderr, "bench_mmu: %s\n", err);
		exit(1);
	}
	return m;
}

static double time_host_loads(const uint8_t *buf, long n, uint64_t *sum)
{
	double t0 = bench_now_ns();
	uint64_t s = 0;

	for (long i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, buf + offsets[i & OFF_MASK], sizeof(v));
		s += v;
	}
	*sum = s;
	return (bench_now_ns() - t0) / (double)n;
}

static double time_tuxmm_loads(struct machine *m, long n, uint64_t *sum)
{
	double t0 = bench_now_ns();
	uint64_t s = 0;

	for (long i = 0; i < n; i++) {
		uint64_t v;

		if (unlikely(mmu_load_u64(m, 0, USER_BASE + offsets[i & OFF_MASK], &v, MMU_USER)))
			abort();
		s += v;
	}
	*sum = s;
	return (bench_now_ns() - t0) / (double)n;
}

static double time_host_stores(uint8_t *buf, long n)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		uint64_t v = (uint64_t)i;

		memcpy(buf + offsets[i & OFF_MASK], &v, sizeof(v));
	}
	bench_keep(buf);
	return (bench_now_ns() - t0) / (double)n;
}

static double time_tuxmm_stores(struct machine *m, long n)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (unlikely(mmu_store_u64(m, 0, USER_BASE + offsets[i & OFF_MASK], (uint64_t)i,
					   MMU_USER)))
			abort();
	return (bench_now_ns() - t0) / (double)n;
}

/* Map @nr_pages fresh pages at USER_BASE in a new address space on CPU 0. */
static void map_user_pages(struct machine *m, struct pgd_root *root, unsigned long nr_pages,
			   struct page *only)
{
	if (pgd_alloc(m, root))
		abort();
	switch_mm(m, 0, root);
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *page = only ? only : alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);

		if (!page || pgtable_map_range(m, root, USER_BASE + i * m->page_size,
					       page_to_phys(m, page), m->page_size,
					       only ? PAGE_READONLY : PAGE_SHARED, m->page_size))
			abort();
	}
}

static void bench_tlb_hits(bool quick)
{
	long n = quick ? 2000000 : 100000000;
	unsigned long nr_pages = 64, bytes = nr_pages << 12;
	struct machine *m = boot(4, 12, 256ULL << 20);
	uint8_t *buf = calloc(1, bytes);
	double t_host[RUNS], t_tux[RUNS], host, tux;
	struct pgd_root root;
	uint64_t s1, s2;

	map_user_pages(m, &root, nr_pages, NULL);
	make_offsets(bytes, 42);
	time_tuxmm_loads(m, n / 10, &s1);	/* warm up: fill the TLB */
	time_host_loads(buf, n / 10, &s2);
	for (int r = 0; r < RUNS; r++) {
		t_host[r] = time_host_loads(buf, n, &s1);
		t_tux[r] = time_tuxmm_loads(m, n, &s2);
	}
	host = bench_median(t_host, RUNS);
	tux = bench_median(t_tux, RUNS);
	printf("bench=tlb_hit accesses=%ld pages=%lu tuxmm_ns=%.2f host_ns=%.2f ratio=%.2f\n", n,
	       nr_pages, tux, host, tux / host);

	time_tuxmm_stores(m, n / 10);
	for (int r = 0; r < RUNS; r++) {
		t_host[r] = time_host_stores(buf, n);
		t_tux[r] = time_tuxmm_stores(m, n);
	}
	host = bench_median(t_host, RUNS);
	tux = bench_median(t_tux, RUNS);
	printf("bench=tlb_hit_store accesses=%ld pages=%lu tuxmm_ns=%.2f host_ns=%.2f ratio=%.2f\n",
	       n, nr_pages, tux, host, tux / host);
	free(buf);
	tuxmm_machine_destroy(m);
}

/*
 * TLB misses: 64Ki virtual pages (all mapped to one frame) accessed at random
 * through a 1536-entry TLB, so nearly every access walks all levels.
 */
static void bench_walks(bool quick)
{
	static const unsigned int cfgs[][2] = { { 2, 12 }, { 3, 12 }, { 4, 12 }, { 5, 12 },
						{ 3, 14 }, { 3, 16 } };
	long n = quick ? 200000 : 10000000;

	for (size_t k = 0; k < ARRAY_SIZE(cfgs); k++) {
		struct machine *m = boot(cfgs[k][0], cfgs[k][1], 256ULL << 20);
		unsigned long nr_pages = cfgs[k][0] == 2 && cfgs[k][1] == 12 ? 16384 : 65536;
		struct page *frame = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
		struct tlb_stats s0, s1;
		struct pgd_root root;
		double t[RUNS];
		uint64_t sum;
		uint64_t seed = 7;

		map_user_pages(m, &root, nr_pages, frame);
		for (unsigned int i = 0; i <= OFF_MASK; i++)
			offsets[i] = (uint32_t)((xorshift(&seed) % nr_pages) << m->page_shift);
		time_tuxmm_loads(m, n / 10, &sum);
		tlb_stats_sum(m, &s0);
		for (int r = 0; r < RUNS; r++)
			t[r] = time_tuxmm_loads(m, n, &sum);
		tlb_stats_sum(m, &s1);
		printf("bench=tlb_miss_walk levels=%u page_kb=%lu accesses=%ld miss_ratio=%.3f "
		       "tuxmm_ns=%.1f\n", cfgs[k][0], m->page_size >> 10, n,
		       (double)(s1.misses - s0.misses) / (double)(n * RUNS), bench_median(t, RUNS));
		tuxmm_machine_destroy(m);
	}
}

static double time_vmalloc(struct machine *m, unsigned long size, long iters)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < iters; i++) {
		unsigned long addr = vmalloc(m, size);

		if (!addr)
			abort();
		vfree(m, addr);
	}
	return (bench_now_ns() - t0) / (double)iters;
}

static double time_host_mmap(unsigned long size, long iters)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED)
			abort();
		munmap(p, size);
	}
	return (bench_now_ns() - t0) / (double)iters;
}

static void bench_vmalloc(bool quick)
{
	struct machine *m = boot(4, 12, 1ULL << 30);
	long iters = quick ? 2000 : 200000;
	unsigned long live[64];

	/* Some areas stay allocated, so the free tree is not trivial. */
	for (int i = 0; i < 64; i++)
		live[i] = vmalloc(m, (unsigned long)(1 + i % 7) << 12);
	for (int i = 0; i < 64; i += 2)
		vfree(m, live[i]);
	for (unsigned long pages = 1; pages <= 64; pages *= 8) {
		double t_tux[RUNS], t_host[RUNS];
		long n = iters / (long)pages;

		time_vmalloc(m, pages << 12, n / 10);
		for (int r = 0; r < RUNS; r++) {
			t_tux[r] = time_vmalloc(m, pages << 12, n);
			t_host[r] = time_host_mmap(pages << 12, n);
		}
		printf("bench=vmalloc_vfree pages=%lu pairs=%ld tuxmm_ns=%.1f linux_ns=%.1f "
		       "ratio=%.2f\n", pages, n, bench_median(t_tux, RUNS),
		       bench_median(t_host, RUNS),
		       bench_median(t_tux, RUNS) / bench_median(t_host, RUNS));
	}
	tuxmm_machine_destroy(m);
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);

	bench_tlb_hits(quick);
	bench_walks(quick);
	bench_vmalloc(quick);
	return 0;
}
