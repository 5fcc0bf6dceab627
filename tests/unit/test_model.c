/*
 * test_model.c - the model-based test of demand paging: long seeded random
 * sequences of mmap (private and shared anonymous), munmap, mprotect,
 * MADV_DONTNEED, fork, exit, reads and writes across many tasks, each read
 * checked against a shadow model of what that task must see, every validator
 * run after every step, and every page and slab object back at the end.
 * The seed is printed; TUXMM_SEED reproduces a run.
 */
#include "fault_test.h"

#define NR_TASKS	8		/* live tasks at most */
#define NR_PAGES	96		/* the window each task plays in, pages */
#define NR_WORDS	8		/* words checked per page: at 0, 512, ... 3584 */
#define NR_STEPS	10000

/* What a page holds, as far as the test looks. */
struct mpage {
	uint64_t w[NR_WORDS];
};

/* A shared anonymous object: every task mapping it sees the same pages. */
struct shobj {
	int refs;			/* slots pointing here */
	struct mpage pages[NR_PAGES];
};

enum slot_state { UNMAPPED, PRIVATE, SHARED };

struct slot {
	enum slot_state state;
	int prot;
	struct mpage priv;		/* PRIVATE: this task's copy */
	struct shobj *obj;		/* SHARED: the object and the page in it */
	unsigned int idx;
};

struct mtask {
	struct task_struct *t;
	struct slot slots[NR_PAGES];
};

struct model {
	struct machine *m;
	uint64_t rng;
	struct mtask tasks[NR_TASKS];
	unsigned int nr_tasks;
	unsigned long reads, writes, faults, forks;
};

static unsigned long rnd(struct model *md, unsigned long n)
{
	return (unsigned long)(test_rand(&md->rng) % n);
}

static unsigned long page_addr(unsigned int i)
{
	return BASE + (unsigned long)i * PG;
}

static uint64_t *model_word(struct slot *s, unsigned int w)
{
	return s->state == PRIVATE ? &s->priv.w[w] : &s->obj->pages[s->idx].w[w];
}

static void slot_clear(struct slot *s)
{
	if (s->state == SHARED && --s->obj->refs == 0)
		free(s->obj);
	memset(s, 0, sizeof(*s));
}

static void op_mmap(struct model *md, struct mtask *mt)
{
	static const int prots[] = { RW, RW, RW, PROT_READ, PROT_NONE };
	unsigned int start = (unsigned int)rnd(md, NR_PAGES), len = 1 + (unsigned int)rnd(md, 12);
	int prot = prots[rnd(md, 5)], shared = rnd(md, 4) == 0;
	struct shobj *obj = NULL;
	long r;

	if (start + len > NR_PAGES)
		len = NR_PAGES - start;
	r = tuxmm_mmap(mt->t, page_addr(start), len * PG, prot,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	assert_int_equal(r, (long)page_addr(start));
	if (shared) {
		obj = calloc(1, sizeof(*obj));
		obj->refs = (int)len;
	}
	for (unsigned int i = 0; i < len; i++) {
		struct slot *s = &mt->slots[start + i];

		slot_clear(s);
		s->state = shared ? SHARED : PRIVATE;
		s->prot = prot;
		s->obj = obj;
		s->idx = i;
	}
}

static void op_munmap(struct model *md, struct mtask *mt)
{
	unsigned int start = (unsigned int)rnd(md, NR_PAGES), len = 1 + (unsigned int)rnd(md, 16);

	if (start + len > NR_PAGES)
		len = NR_PAGES - start;
	assert_int_equal(tuxmm_munmap(mt->t, page_addr(start), len * PG), 0);
	for (unsigned int i = 0; i < len; i++)
		slot_clear(&mt->slots[start + i]);
}

/* A range wholly mapped, or false. */
static bool mapped_range(struct model *md, struct mtask *mt, unsigned int *start,
			 unsigned int *len)
{
	*start = (unsigned int)rnd(md, NR_PAGES);
	*len = 1 + (unsigned int)rnd(md, 8);
	if (*start + *len > NR_PAGES)
		*len = NR_PAGES - *start;
	for (unsigned int i = 0; i < *len; i++)
		if (mt->slots[*start + i].state == UNMAPPED)
			return false;
	return true;
}

static void op_mprotect(struct model *md, struct mtask *mt)
{
	static const int prots[] = { RW, PROT_READ, PROT_NONE };
	int prot = prots[rnd(md, 3)];
	unsigned int start, len;

	if (!mapped_range(md, mt, &start, &len))
		return;
	assert_int_equal(tuxmm_mprotect(mt->t, page_addr(start), len * PG, prot), 0);
	for (unsigned int i = 0; i < len; i++)
		mt->slots[start + i].prot = prot;
}

static void op_dontneed(struct model *md, struct mtask *mt)
{
	unsigned int start, len;

	if (!mapped_range(md, mt, &start, &len))
		return;
	assert_int_equal(tuxmm_madvise(mt->t, page_addr(start), len * PG, MADV_DONTNEED), 0);
	/* Private pages read back as zero; shared ones are re-read from shmem. */
	for (unsigned int i = 0; i < len; i++)
		if (mt->slots[start + i].state == PRIVATE)
			memset(&mt->slots[start + i].priv, 0, sizeof(struct mpage));
}

static void op_fork(struct model *md, struct mtask *mt)
{
	struct mtask *child;

	if (md->nr_tasks == NR_TASKS)
		return;
	child = &md->tasks[md->nr_tasks++];
	assert_int_equal(tuxmm_fork(mt->t, &child->t), 0);
	memcpy(child->slots, mt->slots, sizeof(child->slots));
	for (unsigned int i = 0; i < NR_PAGES; i++)
		if (child->slots[i].state == SHARED)
			child->slots[i].obj->refs++;
	md->forks++;
}

static void op_exit(struct model *md, unsigned int k)
{
	struct mtask *mt = &md->tasks[k];

	tuxmm_task_exit(mt->t);
	for (unsigned int i = 0; i < NR_PAGES; i++)
		slot_clear(&mt->slots[i]);
	md->tasks[k] = md->tasks[--md->nr_tasks];
	memset(&md->tasks[md->nr_tasks], 0, sizeof(struct mtask));
}

/* expect_fault - the signal (0 for none) an access of @write to slot @s must give. */
static int expect_fault(const struct slot *s, bool write, int *code)
{
	if (s->state == UNMAPPED) {
		*code = TUXMM_SEGV_MAPERR;
		return TUXMM_SIGSEGV;
	}
	*code = TUXMM_SEGV_ACCERR;
	if (write ? !(s->prot & PROT_WRITE) : !(s->prot & PROT_READ))
		return TUXMM_SIGSEGV;
	return 0;
}

static void op_access(struct model *md, struct mtask *mt, bool write, uint64_t seed)
{
	unsigned int i = (unsigned int)rnd(md, NR_PAGES), w = (unsigned int)rnd(md, NR_WORDS);
	uint64_t v = test_rand(&md->rng);
	struct tuxmm_siginfo si;
	int code, sig, r;
	unsigned long addr;
	struct slot *s;

	/* Mostly mapped pages: the next mapped one at or after a random start. */
	if (rnd(md, 8))
		for (unsigned int n = 0; n < NR_PAGES && mt->slots[i].state == UNMAPPED; n++)
			i = (i + 1) % NR_PAGES;
	addr = page_addr(i) + w * (PG / NR_WORDS);
	s = &mt->slots[i];
	sig = expect_fault(s, write, &code);
	if (write)
		r = tuxmm_write(mt->t, addr, 8, v, &si);
	else
		r = tuxmm_read(mt->t, addr, 8, &v, &si);
	if (r != sig || (sig && (si.code != code || si.addr != addr)))
		fail_msg("seed %#llx: pid %d %s %#lx: got %d/%d, want %d/%d",
			 (unsigned long long)seed, mt->t->pid, write ? "write" : "read", addr, r,
			 r > 0 ? si.code : 0, sig, code);
	if (sig) {
		md->faults++;
		return;
	}
	if (write) {
		*model_word(s, w) = v;
		md->writes++;
	} else {
		if (v != *model_word(s, w))
			fail_msg("seed %#llx: pid %d read %#lx: %#llx, model says %#llx",
				 (unsigned long long)seed, mt->t->pid, addr, (unsigned long long)v,
				 (unsigned long long)*model_word(s, w));
		md->reads++;
	}
}

static void step(struct model *md, uint64_t seed)
{
	unsigned long op = rnd(md, 100);
	unsigned int k = (unsigned int)rnd(md, md->nr_tasks);
	struct mtask *mt = &md->tasks[k];

	if (op < 8)
		op_mmap(md, mt);
	else if (op < 11)
		op_munmap(md, mt);
	else if (op < 15)
		op_mprotect(md, mt);
	else if (op < 17)
		op_dontneed(md, mt);
	else if (op < 20)
		op_fork(md, mt);
	else if (op < 22 && md->nr_tasks > 1)
		op_exit(md, k);
	else
		op_access(md, mt, op < 60, seed);
}

static void random_sequences_match_the_shadow_model(void **state)
{
	uint64_t seed = test_seed();
	struct model *md = calloc(1, sizeof(*md));
	struct task_struct *tmp;
	unsigned long before;
	long vmas, avs, avcs, mms, tasks;

	(void)state;
	md->m = test_boot(128ULL << 20);
	md->rng = seed;
	print_message("model seed %#llx\n", (unsigned long long)seed);
	/* The zero page, once taken, is never freed: take it before counting. */
	assert_int_equal(tuxmm_spawn(md->m, "tmp", &tmp), 0);
	map_at(tmp, 0, 1, RW);
	rd(tmp, BASE);
	tuxmm_task_exit(tmp);
	before = pages_free(md->m);
	vmas = slab_active(md->m, "vm_area_struct");
	avs = slab_active(md->m, "anon_vma");
	avcs = slab_active(md->m, "anon_vma_chain");
	mms = slab_active(md->m, "mm_struct");
	tasks = slab_active(md->m, "task_struct");

	assert_int_equal(tuxmm_spawn(md->m, "model", &md->tasks[0].t), 0);
	md->nr_tasks = 1;
	for (unsigned int n = 0; n < NR_STEPS; n++) {
		step(md, seed);
		check_machine(md->m);
	}
	while (md->nr_tasks)
		op_exit(md, md->nr_tasks - 1);
	print_message("model: %lu reads, %lu writes, %lu faults, %lu forks checked\n", md->reads,
		      md->writes, md->faults, md->forks);
	assert_int_equal(pages_free(md->m), before);
	assert_int_equal(slab_active(md->m, "vm_area_struct"), vmas);
	assert_int_equal(slab_active(md->m, "anon_vma"), avs);
	assert_int_equal(slab_active(md->m, "anon_vma_chain"), avcs);
	assert_int_equal(slab_active(md->m, "mm_struct"), mms);
	assert_int_equal(slab_active(md->m, "task_struct"), tasks);
	check_machine(md->m);
	tuxmm_machine_destroy(md->m);
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_sequences_match_the_shadow_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
