/*
 * test_replay.c - trace replay and the page-out policies: textbook answers on small
 * reference strings, and counts on the real traces checked against an independent
 * simulator written here (a few dozen lines per policy, no code shared with src/).
 */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "trace.h"

#ifndef TUXMM_TRACES_DIR
#error "tests/CMakeLists.txt gives test_replay TUXMM_TRACES_DIR"
#endif

/* ---- helpers ---- */

/* A classic trace of page numbers (4 KiB pages), each read ('R') or written ('W'). */
static char *classic_trace(const char *refs)
{
	size_t cap = strlen(refs) * 16 + 16, n = 0;
	char *out = malloc(cap);
	const char *p = refs;

	assert_non_null(out);
	while (*p) {
		char kind = 'R';
		unsigned long page;
		char *end;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == 'w') {
			kind = 'W';
			p++;
		}
		page = strtoul(p, &end, 10);
		p = end;
		n += (size_t)snprintf(out + n, cap - n, "%08lx %c\n", page << 12, kind);
	}
	out[n] = '\0';
	return out;
}

static struct tuxmm_replay_result replay_text(const char *text, const char *policy,
					       uint64_t frames, unsigned int page_shift)
{
	struct tuxmm_replay_opts o = { .policy = policy, .frames = frames,
				       .page_shift = page_shift };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];
	int ret = tuxmm_replay_mem(text, strlen(text), "test", &o, &res, err);

	if (ret)
		fail_msg("replay: %s", err);
	return res;
}

static uint64_t faults_of(const char *refs, const char *policy, uint64_t frames)
{
	char *text = classic_trace(refs);
	struct tuxmm_replay_result res = replay_text(text, policy, frames, 12);

	free(text);
	assert_int_equal(res.minor_faults + res.major_faults, res.faults);
	return res.faults;
}

static const char *const classic_string = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";
static const char *const belady_string = "1 2 3 4 1 2 5 1 2 3 4 5";

/* ---- textbook answers ---- */

static void classic_string_three_frames(void **state)
{
	(void)state;
	assert_int_equal(faults_of(classic_string, "fifo", 3), 15);
	assert_int_equal(faults_of(classic_string, "lru", 3), 12);
	assert_int_equal(faults_of(classic_string, "opt", 3), 9);
}

static void fifo_shows_beladys_anomaly(void **state)
{
	(void)state;
	assert_int_equal(faults_of(belady_string, "fifo", 3), 9);
	assert_int_equal(faults_of(belady_string, "fifo", 4), 10);
	/* LRU and OPT are stack algorithms: no anomaly. */
	assert_int_equal(faults_of(belady_string, "lru", 3), 10);
	assert_int_equal(faults_of(belady_string, "lru", 4), 8);
	assert_int_equal(faults_of(belady_string, "opt", 3), 7);
	assert_int_equal(faults_of(belady_string, "opt", 4), 6);
}

/*
 * CLOCK by hand, 3 frames, on 1 2 3 4 1 2 5 1 2 3 4 5 (frames (a b c), use bits [x y z],
 * the hand's frame after the load):
 *   1 2 3   fill (1 2 3) [1 1 1], hand 0                         3 faults
 *   4       clears 0 1 2, takes 0: (4 2 3) [1 0 0], hand 1        4
 *   1       takes 1: (4 1 3) [1 1 0], hand 2                      5
 *   2       takes 2: (4 1 2) [1 1 1], hand 0                      6
 *   5       clears all, takes 0: (5 1 2) [1 0 0], hand 1          7
 *   1 2     hits: [1 1 1]
 *   3       clears 1 2 0... takes 1: (5 3 2) [0 1 0], hand 2      8
 *   4       takes 2: (5 3 4) [0 1 1], hand 0                      9
 *   5       hit.                                                  9 faults
 * With 4 frames it takes 10: CLOCK shows Belady's anomaly on this string too.
 */
static void clock_by_hand(void **state)
{
	(void)state;
	assert_int_equal(faults_of(belady_string, "clock", 3), 9);
	assert_int_equal(faults_of(belady_string, "clock", 4), 10);
	/*
	 * 2 frames on 1 2 1 3 1 4: fill (1 2) [1 1]; 1 hit; 3: clears both, takes frame 0
	 * -> (3 2) [1 0], hand 1; 1: takes frame 1 -> (3 1) [1 1], hand 0; 4: clears both,
	 * takes frame 0 -> (4 1). Faults 1 2 3 1 4 = 5, where LRU keeps 1 and faults 4.
	 */
	assert_int_equal(faults_of("1 2 1 3 1 4", "clock", 2), 5);
	assert_int_equal(faults_of("1 2 1 3 1 4", "lru", 2), 4);
	/* The classic string with 3 frames. */
	assert_int_equal(faults_of(classic_string, "clock", 3), 14);
}

static void writebacks_count_pages_written_while_resident(void **state)
{
	struct tuxmm_replay_result res;
	char *text;

	(void)state;
	/* w1 then 2 evicts dirty 1 (a write-back); 1 evicts clean 2; 2 evicts 1, clean now. */
	text = classic_trace("w1 2 1 2");
	res = replay_text(text, "fifo", 1, 12);
	assert_int_equal(res.faults, 4);
	assert_int_equal(res.writebacks, 1);
	assert_int_equal(res.page_outs, 3);
	assert_int_equal(res.minor_faults, 2);
	assert_int_equal(res.major_faults, 2);
	free(text);
	/* A page still dirty at the end is not written back. */
	text = classic_trace("1 w2");
	res = replay_text(text, "lru", 1, 12);
	assert_int_equal(res.writebacks, 0);
	free(text);
	/* A write to a page loaded by a read dirties it: no extra fault, one write-back. */
	text = classic_trace("1 w1 2 3");
	res = replay_text(text, "fifo", 2, 12);
	assert_int_equal(res.faults, 3);
	assert_int_equal(res.writebacks, 1);
	free(text);
}

static void access_across_a_page_boundary_references_both_pages(void **state)
{
	const char *lackey = "==1== lackey\n L 00000ffe,4\n M 00003ffc,8\n";
	struct tuxmm_replay_result res;

	(void)state;
	res = replay_text(lackey, "lru", 1, 12);
	/* 0xffe+4 touches pages 0 and 1; the M: a load of pages 3, 4 then a store of both. */
	assert_int_equal(res.accesses, 3);
	assert_int_equal(res.references, 2 + 4);
	assert_int_equal(res.faults, 2 + 4);
	assert_int_equal(res.writebacks, 1);	/* page 3 written, evicted by page 4's store */
	assert_int_equal(res.distinct_pages, 4);
}

static void larger_pages_take_fewer_faults_on_a_scan(void **state)
{
	char *text = malloc(64 * 16);
	size_t n = 0;

	(void)state;
	for (unsigned long i = 0; i < 64; i++)
		n += (size_t)snprintf(text + n, 64 * 16 - n, "%08lx R\n", i << 12);
	assert_int_equal(replay_text(text, "lru", 4, 12).faults, 64);
	assert_int_equal(replay_text(text, "lru", 4, 14).faults, 16);
	assert_int_equal(replay_text(text, "lru", 4, 16).faults, 4);
	free(text);
}

static void no_cap_faults_once_per_page(void **state)
{
	struct tuxmm_replay_result res;
	char *text = classic_trace(classic_string);

	(void)state;
	/* An empty trace replays to zeros, OPT's empty future included. */
	for (size_t i = 0; policy_at(i); i++)
		assert_int_equal(replay_text("", policy_at(i)->name, 4, 12).references, 0);
	res = replay_text(text, NULL, 0, 12);
	assert_string_equal(res.policy, "none");
	assert_int_equal(res.faults, 6);
	assert_int_equal(res.distinct_pages, 6);
	assert_true(res.tlb_hit_rate > 0 && res.tlb_hit_rate <= 1);
	free(text);
}

/*
 * The linux policy keeps a page used over and over (activated on its second look)
 * while a stream of pages used once passes through; FIFO throws it out each round.
 */
static void linux_protects_a_hot_page_from_a_scan(void **state)
{
	char refs[4096];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(refs + n, sizeof(refs) - n, "1 1 %d ", 100 + i);
	assert_true(faults_of(refs, "linux", 4) < 215);
	assert_true(faults_of(refs, "fifo", 4) > 240);
	/* A working set that fits faults once per page under every policy. */
	for (size_t i = 0; policy_at(i); i++)
		assert_int_equal(faults_of("1 2 3 1 2 3 w1 2 3 1", policy_at(i)->name, 3), 3);
}

static void the_top_page_of_user_space_can_be_replayed(void **state)
{
	const char *top = "7fffffffeff8 W\n7fffffffd000 R\n00000000 R\n";
	struct tuxmm_replay_result res = replay_text(top, "clock", 2, 12);

	(void)state;
	assert_int_equal(res.faults, 3);
	assert_int_equal(res.writebacks, 1);
}

static void errors_are_reported(void **state)
{
	struct tuxmm_replay_opts o = { .policy = "lfu", .frames = 4 };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];
	const char *bad = "00001000 R\n00002000 X\n";
	const char *high = "00001000 R\nffffffffffff0000 R\n";

	(void)state;
	assert_int_equal(tuxmm_replay_mem("", 0, "t", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, "unknown policy 'lfu'"));
	assert_non_null(strstr(err, "opt"));
	o.policy = "lru";
	assert_int_equal(tuxmm_replay_mem(bad, strlen(bad), "t", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, ":2:"));
	assert_int_equal(tuxmm_replay_mem(high, strlen(high), "t", &o, &res, err), -EINVAL);
	assert_non_null(strstr(err, "outside user space"));
	o.page_shift = 13;
	assert_int_equal(tuxmm_replay_mem("", 0, "t", &o, &res, err), -EINVAL);
	assert_int_equal(tuxmm_replay("/nonexistent/trace", &(struct tuxmm_replay_opts){ 0 },
				      &res, err), -ENOENT);
}

/* ---- an independent simulator, for the real traces ---- */

struct sim {
	unsigned long nr_frames, used;
	uint64_t *page;			/* per frame */
	unsigned char *dirty, *use;
	uint64_t *stamp;		/* lru: last use; fifo: load time */
	uint64_t *next;			/* opt: next use */
	unsigned long hand;
	uint64_t rng;
	/* page -> frame + 1, open addressing */
	uint64_t *keys, *vals, cap;
	uint64_t faults, writebacks;
};

static uint64_t *sim_slot(struct sim *s, uint64_t page)
{
	uint64_t h = (page * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);

	while (s->vals[h] && s->keys[h] != page)
		h = (h + 1) & (s->cap - 1);
	s->keys[h] = page;
	return &s->vals[h];
}

/* Deleting from linear probing: re-insert the rest of the cluster. */
static void sim_forget(struct sim *s, uint64_t page)
{
	uint64_t h = (page * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);

	while (s->keys[h] != page || !s->vals[h])
		h = (h + 1) & (s->cap - 1);
	s->vals[h] = 0;
	for (h = (h + 1) & (s->cap - 1); s->vals[h]; h = (h + 1) & (s->cap - 1)) {
		uint64_t k = s->keys[h], v = s->vals[h];

		s->vals[h] = 0;
		*sim_slot(s, k) = v;
	}
}

static uint64_t xs_next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

/* The random policy's documented draw: a frame among the loaded ones, kept dense. */
static unsigned long *rand_dense, *rand_pos;

static unsigned long sim_victim(struct sim *s, const char *policy)
{
	unsigned long best = 0;

	if (!strcmp(policy, "clock")) {
		while (s->use[s->hand]) {
			s->use[s->hand] = 0;
			s->hand = (s->hand + 1) % s->nr_frames;
		}
		return s->hand;
	}
	if (!strcmp(policy, "random"))
		return rand_dense[xs_next(&s->rng) % s->nr_frames];
	for (unsigned long f = 1; f < s->nr_frames; f++) {
		if (!strcmp(policy, "opt") ? s->next[f] > s->next[best]
					   : s->stamp[f] < s->stamp[best])
			best = f;
	}
	return best;
}

static void sim_run(const char *path, const char *policy, unsigned long nr_frames,
		    const uint64_t *next, uint64_t seed, struct sim *s)
{
	struct trace_reader *tr;
	struct trace_access a;
	char err[TUXMM_ERRMSG_MAX];
	uint64_t t = 0;

	memset(s, 0, sizeof(*s));
	s->nr_frames = nr_frames;
	s->page = calloc(nr_frames, sizeof(*s->page));
	s->dirty = calloc(nr_frames, 1);
	s->use = calloc(nr_frames, 1);
	s->stamp = calloc(nr_frames, sizeof(*s->stamp));
	s->next = calloc(nr_frames, sizeof(*s->next));
	s->cap = 1 << 22;
	s->keys = calloc(s->cap, sizeof(*s->keys));
	s->vals = calloc(s->cap, sizeof(*s->vals));
	rand_dense = calloc(nr_frames, sizeof(*rand_dense));
	rand_pos = calloc(nr_frames, sizeof(*rand_pos));
	/* splitmix64 of the seed, then xorshift64* (documented in docs/replay.md). */
	s->rng = seed + 0x9e3779b97f4a7c15ULL;
	s->rng = (s->rng ^ (s->rng >> 30)) * 0xbf58476d1ce4e5b9ULL;
	s->rng = (s->rng ^ (s->rng >> 27)) * 0x94d049bb133111ebULL;
	s->rng = (s->rng ^ (s->rng >> 31)) | 1;
	assert_int_equal(trace_open(path, NULL, &tr, err), 0);
	while (trace_next(tr, &a) == 1) {
		for (uint64_t pg = a.addr >> 12; pg <= (a.addr + a.size - 1) >> 12; pg++, t++) {
			uint64_t *slot = sim_slot(s, pg);
			unsigned long f;

			if (*slot) {
				f = (unsigned long)*slot - 1;
			} else {
				s->faults++;
				if (s->used < nr_frames) {
					f = s->used++;
					rand_pos[f] = f;
					rand_dense[f] = f;
				} else {
					f = sim_victim(s, policy);
					/* random's dense array: the victim moves to its end. */
					rand_dense[rand_pos[f]] = rand_dense[nr_frames - 1];
					rand_pos[rand_dense[nr_frames - 1]] = rand_pos[f];
					rand_dense[nr_frames - 1] = f;
					rand_pos[f] = nr_frames - 1;
					s->writebacks += s->dirty[f];
					sim_forget(s, s->page[f]);
					slot = sim_slot(s, pg);
				}
				*slot = f + 1;
				s->page[f] = pg;
				s->dirty[f] = 0;
				s->stamp[f] = t;
				if (!strcmp(policy, "clock"))
					s->hand = (f + 1) % nr_frames;
			}
			s->use[f] = 1;
			if (!strcmp(policy, "lru"))
				s->stamp[f] = t;
			if (next)
				s->next[f] = next[t];
			if (a.kind == TRACE_STORE)
				s->dirty[f] = 1;
		}
	}
	trace_close(tr);
	free(s->page);
	free(s->dirty);
	free(s->use);
	free(s->stamp);
	free(s->next);
	free(s->keys);
	free(s->vals);
	free(rand_dense);
	free(rand_pos);
}

/* The future for the simulator's OPT: a plain quadratic-free scan with a map. */
static uint64_t *sim_future(const char *path, uint64_t *nr)
{
	struct trace_reader *tr;
	struct trace_access a;
	char err[TUXMM_ERRMSG_MAX];
	uint64_t cap = 1 << 20, n = 0, *pages = malloc(cap * sizeof(*pages));
	struct sim map = { .cap = 1 << 22 };

	assert_int_equal(trace_open(path, NULL, &tr, err), 0);
	while (trace_next(tr, &a) == 1) {
		for (uint64_t pg = a.addr >> 12; pg <= (a.addr + a.size - 1) >> 12; pg++) {
			if (n == cap)
				pages = realloc(pages, (cap *= 2) * sizeof(*pages));
			pages[n++] = pg;
		}
	}
	trace_close(tr);
	map.keys = calloc(map.cap, sizeof(*map.keys));
	map.vals = calloc(map.cap, sizeof(*map.vals));
	for (uint64_t i = n; i-- > 0;) {
		uint64_t *slot = sim_slot(&map, pages[i]);
		uint64_t pg = pages[i];

		pages[i] = *slot ? *slot - 1 : UINT64_MAX;
		*slot = i + 1;
		(void)pg;
	}
	free(map.keys);
	free(map.vals);
	*nr = n;
	return pages;
}

static char *trace_path(const char *name)
{
	char *p = malloc(strlen(TUXMM_TRACES_DIR) + strlen(name) + 2);

	sprintf(p, "%s/%s", TUXMM_TRACES_DIR, name);
	return p;
}

static void check_against_simulator(const char *name, unsigned long frames)
{
	static const char *const policies[] = { "fifo", "lru", "clock", "opt", "random" };
	char *path = trace_path(name);
	uint64_t nr_refs, *next = sim_future(path, &nr_refs);

	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		struct tuxmm_replay_opts o = { .policy = policies[i], .frames = frames, .seed = 42 };
		struct tuxmm_replay_result res;
		char err[TUXMM_ERRMSG_MAX];
		struct sim s;

		assert_int_equal(tuxmm_replay(path, &o, &res, err), 0);
		sim_run(path, policies[i], frames, !strcmp(policies[i], "opt") ? next : NULL, 42,
			&s);
		if (res.faults != s.faults || res.writebacks != s.writebacks)
			fail_msg("%s %s %lu frames: replay %llu faults %llu write-backs, simulator "
				 "%llu and %llu", name, policies[i], frames,
				 (unsigned long long)res.faults, (unsigned long long)res.writebacks,
				 (unsigned long long)s.faults, (unsigned long long)s.writebacks);
		assert_int_equal(res.references, nr_refs);
	}
	free(next);
	free(path);
}

static void real_traces_match_the_simulator(void **state)
{
	(void)state;
	check_against_simulator("thain-bzip.trace.gz", 48);
	check_against_simulator("thain-gcc.trace.gz", 300);
	check_against_simulator("lackey-x86-ls-l.trace.gz", 32);
	check_against_simulator("csc369/tr-simpleloop.ref", 8);
	check_against_simulator("adelaide/trace3", 4);
}

/* LRU and OPT are stack algorithms: more frames never fault more. */
static void sweep_is_monotonic_for_stack_algorithms(void **state)
{
	char *path = trace_path("thain-swim.trace.gz");

	(void)state;
	for (int p = 0; p < 2; p++) {
		uint64_t prev = UINT64_MAX;

		for (uint64_t frames = 8; frames <= 512; frames *= 2) {
			struct tuxmm_replay_opts o = { .policy = p ? "opt" : "lru", .frames = frames };
			struct tuxmm_replay_result res;
			char err[TUXMM_ERRMSG_MAX];

			assert_int_equal(tuxmm_replay(path, &o, &res, err), 0);
			assert_true(res.faults <= prev);
			prev = res.faults;
		}
	}
	free(path);
}

static void anonymous_replay_with_ram(void **state)
{
	struct tuxmm_replay_opts o = { .ram_bytes = 64ULL << 20 };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];
	char *text = classic_trace("1 w1 2 w3");

	(void)state;
	assert_int_equal(tuxmm_replay_mem(text, strlen(text), "t", &o, &res, err), 0);
	/* 1: zero page; w1: copy on write; 2: zero page; w3: a fresh page. */
	assert_int_equal(res.faults, 4);
	assert_int_equal(res.distinct_pages, 3);
	free(text);
}

/* --ram: areas above the first GiB are made as well (mmap returns their address). */
static void anonymous_replay_above_the_first_gib(void **state)
{
	struct tuxmm_replay_opts o = { .ram_bytes = 64ULL << 20 };
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];
	/* Pages at 4 KiB, 1 GiB, 2 GiB and 3.8 GiB: reads map the zero page, writes a page. */
	char *text = classic_trace("1 262144 w524288 w1000000 1000000");

	(void)state;
	err[0] = '\0';
	assert_int_equal(tuxmm_replay_mem(text, strlen(text), "t", &o, &res, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(res.references, 5);
	assert_int_equal(res.faults, 4);
	assert_int_equal(res.distinct_pages, 4);
	free(text);
}

/* ---- the method tables alone, as machine-wide reclaim will drive them ---- */

static bool young[8];

static bool fake_test_clear_young(void *ctx, unsigned long frame)
{
	bool was = young[frame];

	(void)ctx;
	young[frame] = false;
	return was;
}

/*
 * Frames loaded out of order and emptied by their owner (an munmap) are never chosen
 * again until reloaded, under every policy; a full set always yields a victim.
 */
static void policies_never_pick_an_empty_frame(void **state)
{
	static const uint64_t next_use[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

	(void)state;
	for (size_t i = 0; policy_at(i); i++) {
		struct page_policy pp = { .ops = policy_at(i), .nr_frames = 8, .seed = 7,
					  .next_use = next_use, .nr_refs = 8,
					  .test_clear_young = fake_test_clear_young };

		assert_int_equal(policy_init(&pp), 0);
		for (unsigned long f = 8; f-- > 0;) {
			pp.ops->page_loaded(&pp, f, 7 - f);
			young[f] = true;
		}
		pp.ops->page_removed(&pp, 5);
		pp.ops->page_removed(&pp, 0);
		for (int round = 0; round < 20; round++) {
			unsigned long v = pp.ops->select_victim(&pp);

			assert_true(v < 8);
			if (v == 5 || v == 0)
				fail_msg("%s chose empty frame %lu", pp.ops->name, v);
			/* Evict it and load a page into the same frame, as a caller does. */
			pp.ops->page_removed(&pp, v);
			pp.ops->page_loaded(&pp, v, 7);
			/* Reference a loaded neighbour (frames 0 and 5 are empty). */
			if (pp.ops->page_referenced)
				pp.ops->page_referenced(&pp, v % 4 + (v % 4 ? 1 : 2), 7);
		}
		pp.ops->page_loaded(&pp, 5, 7);
		pp.ops->page_loaded(&pp, 0, 7);
		for (unsigned long f = 0; f < 8; f++)
			pp.ops->page_removed(&pp, f);
		assert_int_equal(pp.ops->select_victim(&pp), POLICY_NO_FRAME);
		policy_destroy(&pp);
	}
}

static void next_use_learns_the_future(void **state)
{
	uint64_t keys[] = { 7, 0, 1, 7, 0, 7 };
	const uint64_t want[] = { 3, 4, POLICY_NEVER, 5, POLICY_NEVER, POLICY_NEVER };

	(void)state;
	assert_int_equal(policy_next_use(keys, 6), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(keys[i], want[i]);
}

static void policy_registry_knows_every_policy(void **state)
{
	char names[128];

	(void)state;
	assert_string_equal(policy_at(0)->name, "linux");
	for (size_t i = 0; policy_at(i); i++)
		assert_ptr_equal(policy_find(policy_at(i)->name), policy_at(i));
	assert_null(policy_find("lfu"));
	policy_names(names, sizeof(names));
	assert_string_equal(names, "linux, clock, fifo, lru, random, opt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classic_string_three_frames),
		cmocka_unit_test(fifo_shows_beladys_anomaly),
		cmocka_unit_test(clock_by_hand),
		cmocka_unit_test(writebacks_count_pages_written_while_resident),
		cmocka_unit_test(access_across_a_page_boundary_references_both_pages),
		cmocka_unit_test(larger_pages_take_fewer_faults_on_a_scan),
		cmocka_unit_test(no_cap_faults_once_per_page),
		cmocka_unit_test(linux_protects_a_hot_page_from_a_scan),
		cmocka_unit_test(the_top_page_of_user_space_can_be_replayed),
		cmocka_unit_test(errors_are_reported),
		cmocka_unit_test(real_traces_match_the_simulator),
		cmocka_unit_test(sweep_is_monotonic_for_stack_algorithms),
		cmocka_unit_test(anonymous_replay_with_ram),
		cmocka_unit_test(anonymous_replay_above_the_first_gib),
		cmocka_unit_test(policies_never_pick_an_empty_frame),
		cmocka_unit_test(next_use_learns_the_future),
		cmocka_unit_test(policy_registry_knows_every_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
