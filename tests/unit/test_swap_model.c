/*
 * test_swap_model.c - the model-based test of test_model.c under memory
 * pressure: 8 MiB of RAM, a swap file, and tasks whose windows add up to far
 * more (12 tasks of 4 MiB, with fork, shared anonymous and file mappings,
 * whole ranges written, MADV_PAGEOUT and MADV_COLD; shared anonymous pages
 * go to swap too, and the test checks that they did), every word read checked
 * against the shadow model and every validator (swap_check included) run
 * after every step. At the end swapoff brings everything back (exiting tasks
 * while it fails with ENOMEM, the area staying usable) and every word of
 * every remaining task is checked again. TUXMM_SEED reproduces a run;
 * TUXMM_POLICY boots the machine with another page-out policy (CTest runs
 * test_swap_model_POLICY for each one a machine takes).
 */
#define NR_TASKS	12
#define NR_PAGES	1024
#define NR_STEPS	20000
#define MAP_MAX		256
#define SHARED_ODDS	16
#define MODEL_RAM	(8ULL << 20)
#define RMAP_CHECK_EVERY 16	/* 12 tasks of 1024 pages: every step would add ~2 s */
#define MODEL_NO_MAIN
#define MODEL_POLICY	getenv("TUXMM_POLICY")

#include <stdbool.h>
#include <stdint.h>

struct model;
struct mtask;
static void pressure_setup(struct model *md);
static void pressure_finish(struct model *md, uint64_t seed);
static bool pressure_ops(struct model *md, struct mtask *mt, unsigned long op, uint64_t seed);
#define MODEL_SETUP(md) pressure_setup(md)
#define MODEL_FINISH(md, seed) pressure_finish(md, seed)
#define MODEL_EXTRA_OPS(md, mt, op, seed) pressure_ops(md, mt, op, seed)
struct mfile;
static void pressure_step_begin(struct model *md);
static bool pressure_host_ok(struct mfile *mf, unsigned int f, unsigned int p, unsigned int w,
			     uint64_t v);
#define MODEL_STEP_BEGIN(md) pressure_step_begin(md)
#define MODEL_HOST_OK(mf, f, p, w, v) pressure_host_ok(mf, f, p, w, v)

#include "test_model.c"
#include "pagemap.h"
#include "swap.h"

static char swap_path[64];
/* Steps that began with shmem (shared anonymous) pages out on swap, and the most at once. */
static unsigned long shmem_swapped_steps, shmem_swapped_max;

/* shmem_swapped - swap entries in every shmem object's page cache index. */
static unsigned long shmem_swapped(struct machine *m)
{
	unsigned long nr = 0;
	struct inode *inode;

	list_for_each_entry(inode, &m->tasks.inodes, i_list)
		if (shmem_mapping(&inode->i_data))
			nr += inode->swapped;
	return nr;
}
/* The files' page caches as the step began: reclaim may write either state back. */
static struct mpage cache_before[NR_FILES][FILE_PAGES];

static void pressure_step_begin(struct model *md)
{
	/* check_machine ran after the last step; the swap area's counts are checked here. */
	assert_true(swap_check(md->m));
	{
		unsigned long nr = shmem_swapped(md->m);

		shmem_swapped_steps += nr > 0;
		if (nr > shmem_swapped_max)
			shmem_swapped_max = nr;
	}
	for (unsigned int f = 0; f < NR_FILES; f++)
		memcpy(cache_before[f], md->files[f].cache.pages, sizeof(cache_before[f]));
}

/*
 * pressure_host_ok - reclaim wrote a dirty shared file page back (Linux does,
 * before any msync): the host may hold the page cache's word as it was when
 * the step began or as it is now. It then becomes what the host holds.
 */
static bool pressure_host_ok(struct mfile *mf, unsigned int f, unsigned int p, unsigned int w,
			     uint64_t v)
{
	if (v != cache_before[f][p].w[w] && v != mf->cache.pages[p].w[w])
		return false;
	mf->host[p].w[w] = v;
	return true;
}

static void pressure_setup(struct model *md)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	int fd;

	snprintf(swap_path, sizeof(swap_path), "/tmp/tuxmm-swapmodel-XXXXXX");
	fd = mkstemp(swap_path);
	assert_true(fd >= 0);
	close(fd);
	if (tuxmm_mkswap(swap_path, 96ULL << 20, 4096, 1, err) ||
	    tuxmm_swapon(md->m, swap_path, -1, err))
		fail_msg("swap: %s", err);
}

/* op_fill - write a fresh word into every page of a mapped range (or fault trying). */
static void op_fill(struct model *md, struct mtask *mt, uint64_t seed)
{
	unsigned int start = (unsigned int)rnd(md, NR_PAGES), len = 1 + (unsigned int)rnd(md, 256);

	if (start + len > NR_PAGES)
		len = NR_PAGES - start;
	for (unsigned int i = start; i < start + len; i++) {
		struct slot *s = &mt->slots[i];
		unsigned int w = (unsigned int)rnd(md, NR_WORDS);
		uint64_t v = test_rand(&md->rng);
		struct tuxmm_siginfo si;
		int code, sig = expect_fault(s, true, &code);
		int r = tuxmm_write(mt->t, page_addr(i) + w * (PG / NR_WORDS), 8, v, &si);

		if (r != sig)
			fail_msg("seed %#llx: pid %d fill %#lx: got %d, want %d",
				 (unsigned long long)seed, mt->t->pid, page_addr(i), r, sig);
		if (sig)
			continue;
		if (s->state == FPRIVATE) {
			s->priv = s->file->cache.pages[s->fidx];
			s->state = PRIVATE;
		}
		*model_word(s, w) = v;
		md->writes++;
	}
}

/* op_reclaim_advice - MADV_PAGEOUT or MADV_COLD on a mapped range: contents unchanged. */
static void op_reclaim_advice(struct model *md, struct mtask *mt)
{
	unsigned int start, len;
	int advice = rnd(md, 2) ? MADV_PAGEOUT : MADV_COLD;
	int r;

	if (!mapped_range(md, mt, &start, &len))
		return;
	r = tuxmm_madvise(mt->t, page_addr(start), len * PG, advice);
	/* Locked areas refuse (EINVAL), as Linux; none are locked here. */
	assert_int_equal(r, 0);
}

static bool pressure_ops(struct model *md, struct mtask *mt, unsigned long op, uint64_t seed)
{
	if (op >= 29 && op < 36) {
		op_fill(md, mt, seed);
		return true;
	}
	if (op >= 36 && op < 38) {
		op_reclaim_advice(md, mt);
		return true;
	}
	return false;
}

/* check_task_all - every word of every mapped page of @mt reads as the model says. */
static void check_task_all(struct mtask *mt, uint64_t seed)
{
	for (unsigned int i = 0; i < NR_PAGES; i++) {
		struct slot *s = &mt->slots[i];

		if (s->state == UNMAPPED || !(s->prot & PROT_READ))
			continue;
		for (unsigned int w = 0; w < NR_WORDS; w++) {
			uint64_t v = 0;
			struct tuxmm_siginfo si;
			int r = tuxmm_read(mt->t, page_addr(i) + w * (PG / NR_WORDS), 8, &v, &si);

			if (r || v != *model_word(s, w))
				fail_msg("seed %#llx: pid %d page %u word %u: r %d %#llx, model %#llx",
					 (unsigned long long)seed, mt->t->pid, i, w, r,
					 (unsigned long long)v, (unsigned long long)*model_word(s, w));
		}
	}
}

static void pressure_finish(struct model *md, uint64_t seed)
{
	unsigned long enomem = 0;
	int r;

	print_message("pressure: pswpout %lu pswpin %lu pgmajfault %lu pgscan_kswapd %lu "
		      "pgscan_direct %lu\n", md->m->vm_events[PSWPOUT], md->m->vm_events[PSWPIN],
		      md->m->vm_events[PGMAJFAULT], md->m->vm_events[PGSCAN_KSWAPD],
		      md->m->vm_events[PGSCAN_DIRECT]);
	print_message("pressure: shmem on swap in %lu steps, at most %lu pages\n",
		      shmem_swapped_steps, shmem_swapped_max);
	assert_true(md->m->vm_events[PSWPOUT] > 1000);
	assert_true(shmem_swapped_steps > 0);
	for (unsigned int k = 0; k < md->nr_tasks; k++)
		check_task_all(&md->tasks[k], seed);
	while ((r = tuxmm_swapoff(md->m, swap_path)) == -ENOMEM) {
		/* Too much to hold without swap: the area stays on; one task fewer. */
		enomem++;
		assert_true(total_swap_pages(md->m) > 0);
		check_machine(md->m);
		assert_true(swap_check(md->m));
		assert_true(md->nr_tasks > 0);
		op_exit(md, md->nr_tasks - 1);
	}
	assert_int_equal(r, 0);
	print_message("pressure: swapoff after %lu ENOMEM, %u tasks left\n", enomem, md->nr_tasks);
	check_machine(md->m);
	assert_true(swap_check(md->m));
	for (unsigned int k = 0; k < md->nr_tasks; k++)
		check_task_all(&md->tasks[k], seed);
	for (unsigned int k = 0; k < md->nr_tasks; k++)
		assert_int_equal(md->tasks[k].t->mm->rss_stat[MM_SWAPENTS], 0);
	assert_int_equal(shmem_swapped(md->m), 0);
	/* On again, so that the final count of free pages compares with the start's. */
	{
		char err[TUXMM_ERRMSG_MAX] = "";

		if (tuxmm_swapon(md->m, swap_path, -1, err))
			fail_msg("swapon again: %s", err);
	}
}

static int unlink_all(void **state)
{
	if (swap_path[0])
		unlink(swap_path);
	return unlink_files(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(random_sequences_match_the_shadow_model, unlink_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
