/*
 * test_model.c - the model-based test of demand paging: long seeded random
 * sequences of mmap (private and shared anonymous), munmap, mprotect,
 * MADV_DONTNEED, fork, exit, reads and writes across many tasks, each read
 * checked against a shadow model of what that task must see, every validator
 * run after every step (with the reverse map's count of every mapped page),
 * and every page and slab object back at the end.
 * File mappings (MAP_PRIVATE and MAP_SHARED) of two host files pre-filled
 * with a known pattern take part too, as do mremap (shrink, grow in place,
 * MREMAP_MAYMOVE and MREMAP_FIXED moves) and msync(MS_SYNC)/tuxmm_sync: after
 * every step the host files (read back with pread) must hold exactly the
 * shared writes written back so far (msync, sync, the last shared munmap, the
 * inode's death) and none of the private ones.
 * The seed is printed; TUXMM_SEED reproduces a run.
 */
#include "fault_test.h"

/* test_swap_model.c includes this file with its own sizes (a pressure mode). */
#ifndef NR_TASKS
#define NR_TASKS	8		/* live tasks at most */
#define NR_PAGES	96		/* the window each task plays in, pages */
#define NR_STEPS	10000
#define MAP_MAX		12		/* pages per anonymous mmap at most */
#define SHARED_ODDS	4		/* one anonymous mmap in SHARED_ODDS is shared */
#define MODEL_RAM	(128ULL << 20)
#endif
#ifndef RMAP_CHECK_EVERY
#define RMAP_CHECK_EVERY 1		/* steps between two rmap_check()s */
#endif
#define NR_WORDS	8		/* words checked per page: at 0, 512, ... 3584 */
#define NR_FILES	2
#define FILE_PAGES	16		/* each host file's size, pages */

/* What a page holds, as far as the test looks. */
struct mpage {
	uint64_t w[NR_WORDS];
};

/* A shared anonymous object: every task mapping it sees the same pages. */
struct shobj {
	int refs;			/* slots pointing here (not counted for a file's) */
	bool file;			/* a file's page cache: never freed by the slots */
	struct mpage pages[NR_PAGES];
};

/* A host file: its page cache (what mappings see) and what the host file holds. */
struct mfile {
	char path[64];
	struct shobj cache;		/* pages[0, FILE_PAGES) used */
	struct mpage host[FILE_PAGES];
	bool shared_mapped, open;	/* as of the last step */
};

/*
 * FPRIVATE: a MAP_PRIVATE file page not written yet: it reads the page cache
 * (shared writes by anyone included) until this task writes it, when it
 * becomes PRIVATE with a copy of the page (and keeps @file for the refcount).
 */
enum slot_state { UNMAPPED, PRIVATE, SHARED, FPRIVATE };

struct slot {
	enum slot_state state;
	int prot;
	struct mpage priv;		/* PRIVATE: this task's copy */
	struct shobj *obj;		/* SHARED: the object and the page in it */
	unsigned int idx;
	struct mfile *file;		/* file-backed: the file and the page in it */
	unsigned int fidx;
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
	struct mfile files[NR_FILES];
	unsigned long reads, writes, faults, forks;
	unsigned long fmaps, mremaps, moves, syncs, writebacks;
};

/* The host files' names, for the teardown to unlink them when a check failed. */
static char file_paths[NR_FILES][64];

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
	if (s->state == FPRIVATE)
		return &s->file->cache.pages[s->fidx].w[w];
	return s->state == PRIVATE ? &s->priv.w[w] : &s->obj->pages[s->idx].w[w];
}

static void slot_clear(struct slot *s)
{
	if (s->state == SHARED && !s->obj->file && --s->obj->refs == 0)
		free(s->obj);
	memset(s, 0, sizeof(*s));
}

/* The pattern the host files start with: a word per 8 bytes. */
static uint64_t pattern(unsigned int f, unsigned long off)
{
	return 0x5eed000000000000ULL ^ ((uint64_t)(f + 1) << 40) ^ off;
}

static void files_create(struct model *md)
{
	static uint64_t buf[FILE_PAGES * PG / 8];

	for (unsigned int f = 0; f < NR_FILES; f++) {
		struct mfile *mf = &md->files[f];
		int fd;

		snprintf(mf->path, sizeof(mf->path), "/tmp/tuxmm-model-XXXXXX");
		fd = mkstemp(mf->path);
		assert_true(fd >= 0);
		for (unsigned long i = 0; i < FILE_PAGES * PG / 8; i++)
			buf[i] = pattern(f, i * 8);
		assert_int_equal(pwrite(fd, buf, sizeof(buf), 0), (long)sizeof(buf));
		close(fd);
		memcpy(file_paths[f], mf->path, sizeof(mf->path));
		mf->cache.file = true;
		for (unsigned int p = 0; p < FILE_PAGES; p++)
			for (unsigned int w = 0; w < NR_WORDS; w++)
				mf->cache.pages[p].w[w] = mf->host[p].w[w] =
					pattern(f, p * PG + w * (PG / NR_WORDS));
	}
}

/* The model's writeback of file page @p: the host file now holds the cache's bytes. */
static void writeback(struct mfile *mf, unsigned int p)
{
	mf->host[p] = mf->cache.pages[p];
}

static void writeback_all(struct model *md, struct mfile *mf)
{
	for (unsigned int p = 0; p < FILE_PAGES; p++)
		writeback(mf, p);
	md->writebacks++;
}

/*
 * files_check - the last shared mapping of a file gone, or the file's last
 * mapping (the inode dies): written back. Then each host file, read with
 * pread, must hold exactly what the model says was written back.
 */
static void files_check(struct model *md, uint64_t seed)
{
	static uint64_t buf[FILE_PAGES * PG / 8];

	for (unsigned int f = 0; f < NR_FILES; f++) {
		struct mfile *mf = &md->files[f];
		bool shared = false, opened = false;
		int fd;

		for (unsigned int k = 0; k < md->nr_tasks; k++)
			for (unsigned int i = 0; i < NR_PAGES; i++) {
				struct slot *s = &md->tasks[k].slots[i];

				if (s->file == mf) {
					opened = true;
					shared |= s->state == SHARED;
				}
			}
		if ((mf->shared_mapped && !shared) || (mf->open && !opened))
			writeback_all(md, mf);
		mf->shared_mapped = shared;
		mf->open = opened;
		fd = open(mf->path, O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(pread(fd, buf, sizeof(buf), 0), (long)sizeof(buf));
		close(fd);
		for (unsigned int p = 0; p < FILE_PAGES; p++)
			for (unsigned int w = 0; w < NR_WORDS; w++) {
				uint64_t v = buf[(p * PG + w * (PG / NR_WORDS)) / 8];

				if (v == mf->host[p].w[w])
					continue;
#ifdef MODEL_HOST_OK
				/* Under pressure reclaim writes dirty pages back by itself. */
				if (MODEL_HOST_OK(mf, f, p, w, v))
					continue;
#endif
				fail_msg("seed %#llx: host file %u page %u word %u: %#llx, "
						 "model says %#llx", (unsigned long long)seed, f,
						 p, w, (unsigned long long)v,
						 (unsigned long long)mf->host[p].w[w]);
			}
	}
}

static void op_mmap(struct model *md, struct mtask *mt)
{
	static const int prots[] = { RW, RW, RW, PROT_READ, PROT_NONE };
	unsigned int start = (unsigned int)rnd(md, NR_PAGES), len = 1 + (unsigned int)rnd(md, MAP_MAX);
	int prot = prots[rnd(md, 5)], shared = rnd(md, SHARED_ODDS) == 0;
	struct shobj *obj = NULL;

	/* Shared anonymous memory (shmem) is not swapped: keep it small under pressure. */
	if (shared && len > 12)
		len = 12;
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

/* A MAP_PRIVATE or MAP_SHARED mapping of part of a host file. */
static void op_mmap_file(struct model *md, struct mtask *mt)
{
	static const int prots[] = { RW, RW, RW, PROT_READ, PROT_NONE };
	unsigned int start = (unsigned int)rnd(md, NR_PAGES), len = 1 + (unsigned int)rnd(md, 8);
	unsigned int f = (unsigned int)rnd(md, NR_FILES), off = (unsigned int)rnd(md, FILE_PAGES);
	int prot = prots[rnd(md, 5)], shared = rnd(md, 2) == 0;
	struct mfile *mf = &md->files[f];
	long r;

	if (start + len > NR_PAGES)
		len = NR_PAGES - start;
	if (off + len > FILE_PAGES)
		len = FILE_PAGES - off;
	/* Shared: map it writable (the file opened read-write), so mprotect may add PROT_WRITE. */
	r = tuxmm_mmap_path(mt->t, page_addr(start), len * PG, shared ? RW : prot,
			    (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, mf->path, off * PG);
	assert_int_equal(r, (long)page_addr(start));
	if (shared && prot != RW)
		assert_int_equal(tuxmm_mprotect(mt->t, page_addr(start), len * PG, prot), 0);
	for (unsigned int i = 0; i < len; i++) {
		struct slot *s = &mt->slots[start + i];

		slot_clear(s);
		s->state = shared ? SHARED : FPRIVATE;
		s->prot = prot;
		s->file = mf;
		s->fidx = off + i;
		if (shared) {
			s->obj = &mf->cache;
			s->idx = off + i;
		}
	}
	md->fmaps++;
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
	/*
	 * Private anonymous pages read back as zero, private file pages as the
	 * file's again; shared ones are re-read from shmem or the page cache.
	 */
	for (unsigned int i = 0; i < len; i++) {
		struct slot *s = &mt->slots[start + i];

		if (s->state == PRIVATE && s->file)
			s->state = FPRIVATE;
		else if (s->state == PRIVATE)
			memset(&s->priv, 0, sizeof(struct mpage));
	}
}

/*
 * rmap_check - the reverse map reaches every PTE: each page a task's window maps (anonymous,
 * shmem or file) is found by rmap_walk() in as many places as its map count says. And
 * Linux's rule for PageAnonExclusive: an anonymous page a PTE maps writable is exclusive,
 * and an exclusive page has one mapping.
 */
static void rmap_check(struct model *md, uint64_t seed)
{
	for (unsigned int k = 0; k < md->nr_tasks; k++) {
		struct task_struct *t = md->tasks[k].t;

		for (unsigned int i = 0; i < NR_PAGES; i++) {
			pte_t pte = pte_at(t, page_addr(i));
			struct page *page;

			if (!pte_present(pte) || pte_special(pte))
				continue;
			page = pte_page(md->m, pte);
			if (page_mapcount(page) < 1 ||
			    (unsigned long)page_mapcount(page) != page_mapcount_rmap(md->m, page))
				fail_msg("seed %#llx: pid %d page %u: map count %d, the reverse map "
					 "finds %lu", (unsigned long long)seed, t->pid, i,
					 page_mapcount(page), page_mapcount_rmap(md->m, page));
			if (PageAnon(page) && pte_write(pte) && !PageFlag(page, PG_anon_exclusive))
				fail_msg("seed %#llx: pid %d page %u: writable but not exclusive",
					 (unsigned long long)seed, t->pid, i);
			if (PageFlag(page, PG_anon_exclusive) && page_mapcount(page) != 1)
				fail_msg("seed %#llx: pid %d page %u: exclusive with map count %d",
					 (unsigned long long)seed, t->pid, i, page_mapcount(page));
		}
	}
}

/* msync(MS_SYNC): the file pages of the shared areas in the range reach the host file. */
static void op_msync(struct model *md, struct mtask *mt)
{
	unsigned int start, len;

	if (!mapped_range(md, mt, &start, &len))
		return;
	assert_int_equal(tuxmm_msync(mt->t, page_addr(start), len * PG, MS_SYNC), 0);
	for (unsigned int i = 0; i < len; i++) {
		struct slot *s = &mt->slots[start + i];

		if (s->state == SHARED && s->file)
			writeback(s->file, s->fidx);
	}
	md->syncs++;
}

static void op_sync(struct model *md)
{
	assert_int_equal(tuxmm_sync(md->m), 0);
	for (unsigned int f = 0; f < NR_FILES; f++)
		writeback_all(md, &md->files[f]);
	md->syncs++;
}

/*
 * place - put the @len slots of @from (whose references they carry) at page
 * @start of the window, dropping what the slots there held.
 */
static void place(struct mtask *mt, unsigned int start, const struct slot *from, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++) {
		slot_clear(&mt->slots[start + i]);
		mt->slots[start + i] = from[i];
	}
}

/*
 * op_mremap - shrink, grow (in place when the pages after the area are free,
 * else moved by MREMAP_MAYMOVE, or -ENOMEM without it) or move with
 * MREMAP_FIXED part of one area; the model's slots follow the pages. A move
 * out of the window (MREMAP_MAYMOVE chose the address) is moved back in with
 * MREMAP_FIXED. Shared anonymous areas are not grown (shmem does not grow
 * with the mapping: the new pages would be SIGBUS).
 */
static void op_mremap(struct model *md, struct mtask *mt)
{
	unsigned int i = (unsigned int)rnd(md, NR_PAGES), vs, ve, start, olen, nlen, kind;
	struct slot moved[NR_PAGES + 8], *first;
	struct vm_area_struct *vma;
	unsigned long addr;
	bool can_grow, in_place;
	long r;
	int flags;

	for (unsigned int n = 0; n < NR_PAGES && mt->slots[i].state == UNMAPPED; n++)
		i = (i + 1) % NR_PAGES;
	if (mt->slots[i].state == UNMAPPED)
		return;
	vma = find_vma(mt->t->mm, page_addr(i));
	assert_non_null(vma);
	assert_true(vma->vm_start <= page_addr(i) && vma->vm_start >= BASE &&
		    vma->vm_end <= page_addr(NR_PAGES));
	vs = (unsigned int)((vma->vm_start - BASE) / PG);
	ve = (unsigned int)((vma->vm_end - BASE) / PG);
	start = vs + (unsigned int)rnd(md, ve - vs);
	olen = 1 + (unsigned int)rnd(md, ve - start);
	first = &mt->slots[start];
	can_grow = !(first->state == SHARED && !first->file);
	kind = (unsigned int)rnd(md, 3);
	if (kind == 0) {			/* shrink */
		if (olen == 1)
			return;
		nlen = 1 + (unsigned int)rnd(md, olen - 1);
	} else {				/* grow, or move to a fixed place */
		nlen = olen + (unsigned int)rnd(md, 5) - (kind == 2 ? 2 : 0);
		if (kind == 1 && nlen == olen)
			nlen++;
		if (nlen < 1 || (nlen > olen && !can_grow) || nlen > 24)
			return;
		if (first->file && first->fidx + nlen > FILE_PAGES)
			return;			/* past the end of the file: SIGBUS pages */
	}
	addr = page_addr(start);
	for (unsigned int k = 0; k < olen; k++)
		moved[k] = mt->slots[start + k];
	/* The grown pages: zero anonymous ones, or the next pages of the file. */
	for (unsigned int k = olen; k < nlen; k++) {
		memset(&moved[k], 0, sizeof(moved[k]));
		moved[k].prot = first->prot;
		if (first->file) {
			moved[k].file = first->file;
			moved[k].fidx = first->fidx + k;
			moved[k].state = first->state == SHARED ? SHARED : FPRIVATE;
			if (first->state == SHARED) {
				moved[k].obj = first->obj;
				moved[k].idx = first->fidx + k;
			}
		} else {
			moved[k].state = PRIVATE;
		}
	}
	if (kind == 2) {
		unsigned int to = (unsigned int)rnd(md, NR_PAGES - nlen + 1);

		if (to < start + olen && start < to + nlen)
			return;			/* overlapping the old range: -EINVAL */
		md->mremaps++;
		r = tuxmm_mremap(mt->t, addr, olen * PG, nlen * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				 page_addr(to));
		assert_int_equal(r, (long)page_addr(to));
		for (unsigned int k = 0; k < olen; k++)	/* the references went to moved[] */
			memset(&mt->slots[start + k], 0, sizeof(struct slot));
		for (unsigned int k = nlen; k < olen; k++)
			slot_clear(&moved[k]);
		place(mt, to, moved, nlen);
		md->moves++;
		return;
	}
	md->mremaps++;
	flags = rnd(md, 2) ? MREMAP_MAYMOVE : 0;
	in_place = nlen <= olen;
	if (!in_place && start + olen == ve && start + nlen <= NR_PAGES) {
		in_place = true;
		for (unsigned int k = olen; k < nlen; k++)
			in_place &= mt->slots[start + k].state == UNMAPPED;
	}
	if (!in_place && start + nlen > NR_PAGES && start + olen == ve)
		return;				/* it might grow past the window */
	r = tuxmm_mremap(mt->t, addr, olen * PG, nlen * PG, flags, 0);
	if (!in_place && !flags) {
		assert_int_equal(r, -ENOMEM);
		return;
	}
	if (in_place)
		assert_int_equal(r, (long)addr);
	else
		assert_true(r > 0 && (unsigned long)r != addr);
	for (unsigned int k = 0; k < olen; k++)
		memset(&mt->slots[start + k], 0, sizeof(struct slot));
	for (unsigned int k = nlen; k < olen; k++)
		slot_clear(&moved[k]);
	if (in_place) {
		place(mt, start, moved, nlen);
		return;
	}
	md->moves++;
	if ((unsigned long)r >= BASE && (unsigned long)r + nlen * PG <= page_addr(NR_PAGES)) {
		place(mt, (unsigned int)(((unsigned long)r - BASE) / PG), moved, nlen);
		return;
	}
	/* Moved out of the window: back in at a fixed place. */
	{
		unsigned int to = (unsigned int)rnd(md, NR_PAGES - nlen + 1);
		long r2 = tuxmm_mremap(mt->t, (unsigned long)r, nlen * PG, nlen * PG,
				       MREMAP_MAYMOVE | MREMAP_FIXED, page_addr(to));

		assert_int_equal(r2, (long)page_addr(to));
		place(mt, to, moved, nlen);
	}
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
		if (s->state == FPRIVATE) {	/* copy-on-write of the file's page */
			s->priv = s->file->cache.pages[s->fidx];
			s->state = PRIVATE;
		}
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

#ifdef MODEL_STEP_BEGIN
	MODEL_STEP_BEGIN(md);
#endif
	if (op < 6)
		op_mmap(md, mt);
	else if (op < 10)
		op_mmap_file(md, mt);
	else if (op < 13)
		op_munmap(md, mt);
	else if (op < 16)
		op_mprotect(md, mt);
	else if (op < 18)
		op_dontneed(md, mt);
	else if (op < 21)
		op_fork(md, mt);
	else if (op < 23 && md->nr_tasks > 1)
		op_exit(md, k);
	else if (op < 26)
		op_mremap(md, mt);
	else if (op < 28)
		op_msync(md, mt);
	else if (op < 29 && rnd(md, 4) == 0)	/* rare: it hides later writebacks */
		op_sync(md);
#ifdef MODEL_EXTRA_OPS
	else if (MODEL_EXTRA_OPS(md, mt, op, seed))
		;
#endif
	else
		op_access(md, mt, op < 64, seed);
}

static void random_sequences_match_the_shadow_model(void **state)
{
	uint64_t seed = test_seed();
	struct model *md = calloc(1, sizeof(*md));
	struct task_struct *tmp;
	unsigned long before;
	long vmas, avs, avcs, mms, tasks;

	(void)state;
#ifdef MODEL_POLICY
	{
		struct tuxmm_config cfg;

		tuxmm_config_init(&cfg);
		cfg.ram_bytes = MODEL_RAM;
		cfg.policy = MODEL_POLICY;
		md->m = test_boot_cfg(&cfg);
	}
#else
	md->m = test_boot(MODEL_RAM);
#endif
	md->rng = seed;
#ifdef MODEL_SETUP
	MODEL_SETUP(md);
#endif
	print_message("model seed %#llx\n", (unsigned long long)seed);
	files_create(md);
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
		if (n % RMAP_CHECK_EVERY == 0)
			rmap_check(md, seed);
		files_check(md, seed);
	}
#ifdef MODEL_FINISH
	MODEL_FINISH(md, seed);
#endif
	while (md->nr_tasks) {
		op_exit(md, md->nr_tasks - 1);
		files_check(md, seed);
	}
	print_message("model: %lu reads, %lu writes, %lu faults, %lu forks checked\n", md->reads,
		      md->writes, md->faults, md->forks);
	print_message("model: %lu file maps, %lu mremaps (%lu moves), %lu syncs, %lu writebacks\n",
		      md->fmaps, md->mremaps, md->moves, md->syncs, md->writebacks);
	for (unsigned int f = 0; f < NR_FILES; f++) {
		assert_int_equal(unlink(md->files[f].path), 0);
		file_paths[f][0] = 0;
	}
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

static int unlink_files(void **state)
{
	(void)state;
	for (unsigned int f = 0; f < NR_FILES; f++)
		if (file_paths[f][0])
			unlink(file_paths[f]);
	return 0;
}

#ifndef MODEL_NO_MAIN
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(random_sequences_match_the_shadow_model, unlink_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
