/*
 * bench_slab.c - kmem_cache_alloc+kmem_cache_free against glibc malloc,
 * jemalloc and mimalloc (dlopen'ed side by side) for 32..1024-byte objects:
 * alloc+free pairs, batches of 10k, and a seeded random interleaving.
 */
#define _GNU_SOURCE	/* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "machine.h"
#include "slab.h"

#define RUNS  5
#define BATCH 10000		/* objects live at once in the batch and random patterns */

struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

/* The host allocators, resolved at run time so every call is a real call. */
static struct allocator peers[3];
static int nr_peers;
static struct kmem_cache *bench_cache;

/*
 * Each pattern is written once and expanded per allocator, so tuxmm's
 * calls are plain calls into the library and the peers' calls go through
 * the pointers dlsym() gave (as a PLT call would). Every object is touched.
 * The figure is nanoseconds per alloc+free pair.
 */
#define DEFINE_PATTERNS(tag, ALLOC, FREE)                                                      \
	static double tag##_pair(const struct allocator *a, size_t size, long iters)           \
	{                                                                                      \
		double t0 = bench_now_ns();                                                    \
                                                                                               \
		(void)a;                                                                       \
		(void)size;                                                                    \
		for (long i = 0; i < iters; i++) {                                             \
			char *p = ALLOC(size);                                                 \
                                                                                               \
			*(volatile char *)p = (char)i;                                         \
			FREE(p);                                                               \
		}                                                                              \
		return (bench_now_ns() - t0) / (double)iters;                                  \
	}                                                                                      \
	static double tag##_batch(const struct allocator *a, size_t size, void **slots,        \
				  long rounds)                                                 \
	{                                                                                      \
		double t0 = bench_now_ns();                                                    \
                                                                                               \
		(void)a;                                                                       \
		(void)size;                                                                    \
		for (long r = 0; r < rounds; r++) {                                            \
			for (long i = 0; i < BATCH; i++) {                                     \
				slots[i] = ALLOC(size);                                        \
				*(volatile char *)slots[i] = (char)i;                          \
			}                                                                      \
			for (long i = 0; i < BATCH; i++)                                       \
				FREE(slots[i]);                                                \
		}                                                                              \
		return (bench_now_ns() - t0) / (double)(rounds * BATCH);                       \
	}                                                                                      \
	static double tag##_random(const struct allocator *a, size_t size, void **slots,       \
				   const uint16_t *seq, long steps)                            \
	{                                                                                      \
		double t0, t;                                                                  \
                                                                                               \
		(void)a;                                                                       \
		(void)size;                                                                    \
		memset(slots, 0, BATCH * sizeof(*slots));                                      \
		t0 = bench_now_ns();                                                           \
		for (long k = 0; k < steps; k++) {                                             \
			void **slot = &slots[seq[k]];                                          \
                                                                                               \
			if (*slot) {                                                           \
				FREE(*slot);                                                   \
				*slot = NULL;                                                  \
			} else {                                                               \
				*slot = ALLOC(size);                                           \
				*(volatile char *)*slot = (char)k;                             \
			}                                                                      \
		}                                                                              \
		t = (bench_now_ns() - t0) / (double)(steps / 2);                               \
		for (long i = 0; i < BATCH; i++)                                               \
			if (slots[i])                                                          \
				FREE(slots[i]);                                                \
		return t;                                                                      \
	}

#define TUXMM_ALLOC(size) kmem_cache_alloc(bench_cache, GFP_KERNEL)
#define TUXMM_FREE(p)     kmem_cache_free(bench_cache, (p))
#define PEER_ALLOC(size)  a->alloc(size)
#define PEER_FREE(p)      a->free(p)

DEFINE_PATTERNS(tuxmm, TUXMM_ALLOC, TUXMM_FREE)
DEFINE_PATTERNS(peer, PEER_ALLOC, PEER_FREE)

static void add_peer(const char *name, const char *lib, const char *alloc_sym,
		     const char *free_sym)
{
	void *h = lib ? dlopen(lib, RTLD_NOW | RTLD_LOCAL) : RTLD_DEFAULT;
	struct allocator *a = &peers[nr_peers];

	if (lib && !h) {
		fprintf(stderr, "bench_slab: %s not available (%s): skipped\n", name, dlerror());
		return;
	}
	a->name = name;
	a->alloc = (void *(*)(size_t))dlsym(h, alloc_sym);
	a->free = (void (*)(void *))dlsym(h, free_sym);
	if (!a->alloc || !a->free) {
		fprintf(stderr, "bench_slab: %s lacks %s/%s: skipped\n", name, alloc_sym,
			free_sym);
		return;
	}
	nr_peers++;
}

enum pattern { PAIR, BATCH_PATTERN, RANDOM };

static const char *const pattern_names[] = { "slab_pair", "slab_batch", "slab_random" };

struct work {
	long pair_iters, batch_rounds, random_steps;
	void **slots;
	const uint16_t *seq;
};

static double run_tuxmm(enum pattern p, size_t size, const struct work *w)
{
	switch (p) {
	case PAIR:
		return tuxmm_pair(NULL, size, w->pair_iters);
	case BATCH_PATTERN:
		return tuxmm_batch(NULL, size, w->slots, w->batch_rounds);
	default:
		return tuxmm_random(NULL, size, w->slots, w->seq, w->random_steps);
	}
}

static double run_peer(const struct allocator *a, enum pattern p, size_t size,
		       const struct work *w)
{
	switch (p) {
	case PAIR:
		return peer_pair(a, size, w->pair_iters);
	case BATCH_PATTERN:
		return peer_batch(a, size, w->slots, w->batch_rounds);
	default:
		return peer_random(a, size, w->slots, w->seq, w->random_steps);
	}
}

/*
 * jemalloc uses initial-exec TLS, which a dlopen()ed library may only get from
 * glibc's optional static TLS reserve: re-run ourselves once with a larger one.
 */
static void reexec_with_static_tls(char **argv)
{
	char tunables[512];
	const char *old = getenv("GLIBC_TUNABLES");

	if (getenv("TUXMM_BENCH_REEXEC"))
		return;
	snprintf(tunables, sizeof(tunables), "%s%sglibc.rtld.optional_static_tls=65536",
		 old ? old : "", old ? ":" : "");
	setenv("GLIBC_TUNABLES", tunables, 1);
	setenv("TUXMM_BENCH_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	/* exec failed: go on without jemalloc if it cannot load */
}

int main(int argc, char **argv)
{
	static const unsigned int sizes[] = { 32, 64, 256, 1024 };
	bool quick = bench_quick(argc, argv);
	struct work w = {
		.pair_iters = quick ? 100000 : 20000000,
		.batch_rounds = quick ? 2 : 200,
		.random_steps = quick ? 100000 : 4000000,
	};
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct machine *m;
	uint16_t *seq;
	uint64_t rng = 0x5eed51ab;

	reexec_with_static_tls(argv);
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 1ULL << 30;
	cfg.nr_cpus = 4;	/* a small SMP box: SLUB sizes its slabs by the CPU count */
	if (tuxmm_boot(&cfg, &m, err)) {
		fprintf(stderr, "bench_slab: %s\n", err);
		return 1;
	}
	add_peer("glibc", NULL, "malloc", "free");
	add_peer("jemalloc", "libjemalloc.so.2", "malloc", "free");
	add_peer("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free");
	w.slots = calloc(BATCH, sizeof(*w.slots));
	seq = malloc((size_t)w.random_steps * sizeof(*seq));
	if (!w.slots || !seq)
		return 1;
	for (long k = 0; k < w.random_steps; k++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		seq[k] = (uint16_t)(rng % BATCH);
	}
	w.seq = seq;

	for (enum pattern p = PAIR; p <= RANDOM; p++) {
		for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
			double runs[1 + ARRAY_SIZE(peers)][RUNS], med[1 + ARRAY_SIZE(peers)];
			double mimalloc_ns = 0;
			char name[32];

			snprintf(name, sizeof(name), "bench-%u", sizes[si]);
			bench_cache = kmem_cache_create(m, name, sizes[si], 0, 0, NULL);
			if (!bench_cache)
				return 1;
			/* Warm up: slabs, free lists and the peers' arenas exist before timing. */
			run_tuxmm(p, sizes[si], &w);
			for (int a = 0; a < nr_peers; a++)
				run_peer(&peers[a], p, sizes[si], &w);
			for (int r = 0; r < RUNS; r++) {
				runs[0][r] = run_tuxmm(p, sizes[si], &w);
				for (int a = 0; a < nr_peers; a++)
					runs[1 + a][r] = run_peer(&peers[a], p, sizes[si], &w);
			}
			for (int a = 0; a <= nr_peers; a++)
				med[a] = bench_median(runs[a], RUNS);
			printf("bench=%s size=%u tuxmm_ns=%.1f", pattern_names[p], sizes[si],
			       med[0]);
			for (int a = 0; a < nr_peers; a++) {
				printf(" %s_ns=%.1f", peers[a].name, med[1 + a]);
				if (!strcmp(peers[a].name, "mimalloc"))
					mimalloc_ns = med[1 + a];
			}
			if (mimalloc_ns > 0)
				printf(" ratio=%.2f", med[0] / mimalloc_ns);
			printf("\n");
			fflush(stdout);
			kmem_cache_destroy(bench_cache);
		}
	}
	free(seq);
	free(w.slots);
	tuxmm_machine_destroy(m);
	return 0;
}
