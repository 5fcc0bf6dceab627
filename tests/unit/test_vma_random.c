/*
 * test_vma_random.c - seeded random sequences of mmap, munmap, mprotect,
 * madvise, mlock, munlock and mremap in one window, each checked against a
 * page-by-page shadow model (errno included), with validate_mm() after every
 * step; at the end every task exits and nothing is left in the slab caches.
 * The seed is printed; TUXMM_SEED reproduces a run.
 */
#include "mm_test.h"

#define NPAGES 96		/* the window: [BASE, BASE + NPAGES pages) */
#define NSEQ 150		/* sequences per run */
#define NOPS 150		/* operations per sequence */

/* What the model knows of one page. */
struct page_state {
	bool mapped;
	int prot;		/* PROT_* */
	int kind;		/* 0 private anonymous, 1 shared anonymous, 2 file */
	bool shared;		/* MAP_SHARED */
	unsigned long pgoff;	/* file pages: offset in pages */
	int file_id;		/* file pages: which open (1, 2) */
	unsigned long adv;	/* VM_SEQ_READ | VM_RAND_READ | VM_DONTCOPY */
	unsigned long lock;	/* VM_LOCKED | VM_LOCKONFAULT */
};

struct model {
	struct page_state p[NPAGES];
};

static unsigned long rnd(uint64_t *s, unsigned long n)
{
	return (unsigned long)(test_rand(s) % n);
}

static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
			     PROT_READ | PROT_WRITE | PROT_EXEC };

/* ---- the model's view of each call ---- */

static long model_mmap(struct model *md, unsigned long a, unsigned long n, int prot, int kind,
		       bool shared, int file_id, unsigned long pgoff)
{
	for (unsigned long i = a; i < a + n; i++)
		md->p[i] = (struct page_state){ .mapped = true, .prot = prot, .kind = kind,
						.shared = shared, .file_id = file_id,
						.pgoff = pgoff + (i - a) };
	return 0;
}

static long model_munmap(struct model *md, unsigned long a, unsigned long n)
{
	for (unsigned long i = a; i < a + n; i++)
		md->p[i].mapped = false;
	return 0;
}

/* mprotect, mlock, munlock: from @a while mapped; a hole stops it with ENOMEM. */
static long model_walk(struct model *md, unsigned long a, unsigned long n, int what, int prot,
		       unsigned long lock)
{
	if (!md->p[a].mapped)
		return -ENOMEM;
	for (unsigned long i = a; i < a + n; i++) {
		if (!md->p[i].mapped)
			return -ENOMEM;
		if (what == 0)
			md->p[i].prot = prot;
		else
			md->p[i].lock = lock;
	}
	return 0;
}

/* madvise: every mapped page takes the advice; any hole makes the result ENOMEM. */
static long model_madvise(struct model *md, unsigned long a, unsigned long n, int advice)
{
	long ret = 0;

	for (unsigned long i = a; i < a + n; i++) {
		struct page_state *p = &md->p[i];

		if (!p->mapped) {
			ret = -ENOMEM;
			continue;
		}
		switch (advice) {
		case MADV_RANDOM:
			p->adv = (p->adv & ~VM_SEQ_READ) | VM_RAND_READ;
			break;
		case MADV_SEQUENTIAL:
			p->adv = (p->adv & ~VM_RAND_READ) | VM_SEQ_READ;
			break;
		case MADV_NORMAL:
			p->adv &= ~(VM_SEQ_READ | VM_RAND_READ);
			break;
		case MADV_DONTFORK:
			p->adv |= VM_DONTCOPY;
			break;
		default:
			p->adv &= ~VM_DONTCOPY;
			break;
		}
	}
	return ret;
}

/* mremap(MAYMOVE | FIXED) without resizing: every mapped page moves by @b - @a. */
static long model_move(struct model *md, unsigned long a, unsigned long n, unsigned long b)
{
	struct page_state moved[NPAGES];

	if (!md->p[a].mapped)
		return -EFAULT;
	memcpy(moved, md->p, sizeof(moved));
	for (unsigned long i = 0; i < n; i++) {
		if (moved[a + i].mapped) {
			md->p[b + i] = moved[a + i];
			md->p[a + i].mapped = false;
		}
	}
	return 0;
}

static long model_shrink(struct model *md, unsigned long a, unsigned long n, unsigned long keep)
{
	if (!md->p[a].mapped)
		return -EFAULT;
	return model_munmap(md, a + keep, n - keep);
}

/* ---- comparing ---- */

static void check_page(struct task_struct *t, const struct model *md, unsigned long i,
		       struct file *files[3], uint64_t seed, int step)
{
	struct vm_area_struct *vma = vma_lookup(t->mm, BASE + i * PG);
	const struct page_state *p = &md->p[i];
	unsigned long f;

	if (!p->mapped) {
		if (vma)
			fail_msg("seed %llu step %d: page %lu should be free",
				 (unsigned long long)seed, step, i);
		return;
	}
	if (!vma)
		fail_msg("seed %llu step %d: page %lu should be mapped", (unsigned long long)seed,
			 step, i);
	f = vma->vm_flags;
	if ((int)(f & VM_ACCESS_FLAGS) != p->prot ||
	    (f & (VM_SEQ_READ | VM_RAND_READ | VM_DONTCOPY)) != p->adv ||
	    (f & VM_LOCKED_MASK) != p->lock || !!(f & VM_SHARED) != p->shared)
		fail_msg("seed %llu step %d: page %lu has flags %#lx", (unsigned long long)seed,
			 step, i, f);
	if (p->kind == 0 && vma->vm_file)
		fail_msg("seed %llu step %d: page %lu should be anonymous",
			 (unsigned long long)seed, step, i);
	if (p->kind == 2 && (vma->vm_file != files[p->file_id] ||
			     vma->vm_pgoff + (BASE + i * PG - vma->vm_start) / PG != p->pgoff))
		fail_msg("seed %llu step %d: page %lu has the wrong file or offset",
			 (unsigned long long)seed, step, i);
}

static void run_sequence(struct machine *m, uint64_t seed)
{
	struct task_struct *t;
	struct file *files[3] = { NULL, NULL, NULL };
	struct model md;
	uint64_t s = seed;
	char path[64];
	int fds[3];

	memset(&md, 0, sizeof(md));
	assert_int_equal(tuxmm_spawn(m, "random", &t), 0);
	make_file(path, sizeof(path), 256 * PG);
	for (int f = 1; f <= 2; f++) {
		fds[f] = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
		files[f] = fget(t, fds[f]);
	}
	for (int step = 0; step < NOPS; step++) {
		unsigned long a = rnd(&s, NPAGES), n = 1 + rnd(&s, 10), b;
		int prot = prots[rnd(&s, ARRAY_SIZE(prots))];
		long got = 0, want = 0;

		if (a + n > NPAGES)
			n = NPAGES - a;
		switch (rnd(&s, 10)) {
		case 0:
		case 1: {
			int kind = rnd(&s, 6) == 0 ? 1 : 0;
			int flags = (kind ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED;

			got = tuxmm_mmap(t, BASE + a * PG, n * PG, prot, flags, -1, 0);
			got = got < 0 ? got : 0;
			want = model_mmap(&md, a, n, prot, kind, kind == 1, 0, 0);
			break;
		}
		case 2: {
			int f = 1 + (int)rnd(&s, 2), shared = (int)rnd(&s, 2);
			/* Offsets that line up with the address merge; others do not. */
			unsigned long off = rnd(&s, 2) ? a : rnd(&s, 64);

			got = tuxmm_mmap(t, BASE + a * PG, n * PG, prot,
					 (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fds[f],
					 off * PG);
			got = got < 0 ? got : 0;
			want = model_mmap(&md, a, n, prot, 2, shared, f, off);
			break;
		}
		case 3:
			got = tuxmm_munmap(t, BASE + a * PG, n * PG);
			want = model_munmap(&md, a, n);
			break;
		case 4:
			got = tuxmm_mprotect(t, BASE + a * PG, n * PG, prot);
			want = model_walk(&md, a, n, 0, prot, 0);
			break;
		case 5: {
			static const int advice[] = { MADV_RANDOM, MADV_SEQUENTIAL, MADV_NORMAL,
						      MADV_DONTFORK, MADV_DOFORK };
			int adv = advice[rnd(&s, ARRAY_SIZE(advice))];

			got = tuxmm_madvise(t, BASE + a * PG, n * PG, adv);
			want = model_madvise(&md, a, n, adv);
			break;
		}
		case 6:
			if (rnd(&s, 2)) {
				got = tuxmm_mlock2(t, BASE + a * PG, n * PG, MLOCK_ONFAULT);
				want = model_walk(&md, a, n, 1, 0, VM_LOCKED_MASK);
			} else {
				got = tuxmm_mlock(t, BASE + a * PG, n * PG);
				want = model_walk(&md, a, n, 1, 0, VM_LOCKED);
			}
			break;
		case 7:
			got = tuxmm_munlock(t, BASE + a * PG, n * PG);
			want = model_walk(&md, a, n, 1, 0, 0);
			break;
		case 8:
			/* A destination that does not overlap the source. */
			b = rnd(&s, NPAGES - n + 1);
			if (b < a + n && a < b + n)
				b = a >= n ? 0 : (a + n + n <= NPAGES ? a + n : b);
			if (b < a + n && a < b + n)
				continue;
			got = tuxmm_mremap(t, BASE + a * PG, n * PG, n * PG,
					   MREMAP_MAYMOVE | MREMAP_FIXED, BASE + b * PG);
			got = got < 0 ? got : 0;
			want = model_move(&md, a, n, b);
			break;
		default:
			b = rnd(&s, n);
			if (!b)
				continue;
			got = tuxmm_mremap(t, BASE + a * PG, n * PG, b * PG, 0, 0);
			got = got < 0 ? got : 0;
			want = model_shrink(&md, a, n, b);
			break;
		}
		if (got != want)
			fail_msg("seed %llu step %d: got %s, the model says %s",
				 (unsigned long long)seed, step, tuxmm_errno_name((int)got),
				 tuxmm_errno_name((int)want));
		if (!validate_mm(t->mm))
			fail_msg("seed %llu step %d: validate_mm failed", (unsigned long long)seed,
				 step);
		for (unsigned long i = 0; i < NPAGES; i++)
			check_page(t, &md, i, files, seed, step);
	}
	tuxmm_task_exit(t);
	unlink(path);
}

static void random_sequences_match_the_model(void **state)
{
	struct machine *m = *state;
	uint64_t seed = test_seed();

	for (int i = 0; i < NSEQ; i++)
		run_sequence(m, seed * 1000003 + (uint64_t)i);
	assert_int_equal(slab_active(m, "vm_area_struct"), 0);
	assert_int_equal(slab_active(m, "mm_struct"), 0);
	assert_int_equal(slab_active(m, "filp"), 0);
	assert_int_equal(slab_active(m, "inode_cache"), 0);
	assert_int_equal(host_files_nr_open(m), 0);
	assert_int_equal(m->tasks.vm_committed_as, 0);
	assert_true(slab_check(m));
}

static int setup(void **state)
{
	*state = test_boot(256ULL << 20);
	return 0;
}

static int teardown(void **state)
{
	tuxmm_machine_destroy(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(random_sequences_match_the_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
