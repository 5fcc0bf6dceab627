/*
 * diff_maps.c - differential test of the address-space layer against the real kernel: the same
 * mmap/munmap/mprotect/mremap/brk/madvise/mlock/msync/mincore sequence runs in a forked child
 * of this process (inside a PROT_NONE window reserved at a fixed high address) and in a tuxmm
 * task (same window); every call's result and errno and the window's /proc/PID/maps lines,
 * the [heap] line (relative to start_brk) and VmLck must be equal.
 *
 * Hand-written cases cover the merge and split corners of Linux's mm/vma.c (after
 * tools/testing/vma/vma.c and tools/testing/selftests/mm/merge.c, unfaulted memory only: the
 * host child never touches a page, so no anon_vma exists on either side); then seeded random
 * sequences (TUXMM_SEED overrides the seed, TUXMM_DIFF_SEQS the count; on a difference,
 * TUXMM_DIFF_RAW=1 adds tuxmm's whole maps and TUXMM_DIFF_DMESG=1 its kernel log).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PG		4096UL
#define PAGES(n)	((unsigned long)(n) * PG)
#define WIN_BASE	0x300000000000UL	/* above ASan's shadow, below its allocator */
#define WIN_PAGES	256UL
#define WIN_LEN		PAGES(WIN_PAGES)
#define MAX_OPS		64
#define TEXT_MAX	(512 * 1024)	/* one process's /proc/self/maps */
#define STATUS_MAX	8192
#define FILE_PAGES	64		/* the mapped test file's size */

#define NR_SEQS		2000	/* random sequences per run: ~4 s, ~15 s under ASan */

enum op_kind {
	OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_BRK, OP_MADVISE, OP_MLOCK, OP_MUNLOCK,
	OP_MSYNC, OP_MINCORE,
};

static const char *const op_names[] = {
	[OP_MMAP] = "mmap", [OP_MUNMAP] = "munmap", [OP_MPROTECT] = "mprotect",
	[OP_MREMAP] = "mremap", [OP_BRK] = "brk", [OP_MADVISE] = "madvise", [OP_MLOCK] = "mlock2",
	[OP_MUNLOCK] = "munlock", [OP_MSYNC] = "msync", [OP_MINCORE] = "mincore",
};

/*
 * One call. Addresses are offsets from the window's base (OP_BRK: @brk is an offset from
 * start_brk). Flag values are Linux's (TUXMM_* equal them), so both sides take them as they are.
 */
struct op {
	enum op_kind kind;
	unsigned long addr;	/* bytes from WIN_BASE */
	unsigned long len;	/* bytes */
	unsigned long new_len;	/* mremap */
	unsigned long new_addr;	/* mremap with MREMAP_FIXED: bytes from WIN_BASE */
	long brk;		/* brk: bytes from start_brk */
	int prot;
	int flags;		/* mmap, mremap, msync, mlock2 flags; madvise advice */
	bool file;		/* mmap of the test file, else anonymous */
	unsigned long off;	/* file offset, bytes */
};

struct seq {
	const char *name;
	unsigned int nr_ops;
	struct op ops[MAX_OPS];
};

/* What one side produced: per-call results (an offset, or -errno), and its /proc text. */
struct outcome {
	long ret[MAX_OPS];
	unsigned long start_brk;
	char maps[TEXT_MAX];
	char status[STATUS_MAX];
};

static const char *test_file;		/* canonical path of the mapped file */
static int host_fd;			/* opened once: two opens never merge */
static unsigned long host_start_brk;
static struct outcome *host_out;	/* shared with the child */
static struct outcome tux_out;
static struct machine *machine;

/* ---- building sequences ---- */

#define MMAP(a, n, p, fl)		{ .kind = OP_MMAP, .addr = PAGES(a), .len = PAGES(n), \
					  .prot = (p), .flags = (fl) }
#define MMAPF(a, n, p, fl, o)		{ .kind = OP_MMAP, .addr = PAGES(a), .len = PAGES(n), \
					  .prot = (p), .flags = (fl), .file = true, \
					  .off = PAGES(o) }
#define MUNMAP(a, n)			{ .kind = OP_MUNMAP, .addr = PAGES(a), .len = PAGES(n) }
#define MPROTECT(a, n, p)		{ .kind = OP_MPROTECT, .addr = PAGES(a), .len = PAGES(n), \
					  .prot = (p) }
#define MREMAP(a, n, nn, fl, na)	{ .kind = OP_MREMAP, .addr = PAGES(a), .len = PAGES(n), \
					  .new_len = PAGES(nn), .flags = (fl), \
					  .new_addr = PAGES(na) }
#define MADVISE(a, n, adv)		{ .kind = OP_MADVISE, .addr = PAGES(a), .len = PAGES(n), \
					  .flags = (adv) }
#define MLOCK(a, n)			{ .kind = OP_MLOCK, .addr = PAGES(a), .len = PAGES(n), \
					  .flags = TUXMM_MLOCK_ONFAULT }
#define MUNLOCK(a, n)			{ .kind = OP_MUNLOCK, .addr = PAGES(a), \
					  .len = PAGES(n) }
#define MSYNC(a, n, fl)			{ .kind = OP_MSYNC, .addr = PAGES(a), \
					  .len = PAGES(n), .flags = (fl) }
#define MINCORE(a, n)			{ .kind = OP_MINCORE, .addr = PAGES(a), \
					  .len = PAGES(n) }
#define BRK(b)				{ .kind = OP_BRK, .brk = (b) }

#define R	TUXMM_PROT_READ
#define W	TUXMM_PROT_WRITE
#define X	TUXMM_PROT_EXEC
#define RW	(R | W)
#define NONE	TUXMM_PROT_NONE
#define PA	(TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED)
#define SA	(TUXMM_MAP_SHARED | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED)
#define PF	(TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED)
#define SF	(TUXMM_MAP_SHARED | TUXMM_MAP_FIXED)
#define MAYMOVE	TUXMM_MREMAP_MAYMOVE
#define MFIXED	(TUXMM_MREMAP_MAYMOVE | TUXMM_MREMAP_FIXED)

#define SEQ(n, ...)	{ .name = (n), .nr_ops = sizeof((struct op[]){ __VA_ARGS__ }) / \
					 sizeof(struct op), .ops = { __VA_ARGS__ } }

/*
 * The hand-written corners. Page 0..255 is the window, itself a PROT_NONE private anonymous
 * area (so mappings at its edges meet PROT_NONE neighbours, as merge.c's carveout does).
 */
static const struct seq hand_cases[] = {
	/* vma.c test_merge_new: a new range and its neighbours */
	SEQ("new merges with prev", MMAP(10, 2, RW, PA), MMAP(12, 2, RW, PA)),
	SEQ("new merges with next", MMAP(12, 2, RW, PA), MMAP(10, 2, RW, PA)),
	SEQ("new merges with both", MMAP(10, 2, RW, PA), MMAP(14, 2, RW, PA), MMAP(12, 2, RW, PA)),
	SEQ("new with incompatible neighbours", MMAP(10, 2, R, PA), MMAP(14, 2, RW, PA),
	    MMAP(12, 2, RW | X, PA)),
	SEQ("new merges with prev only", MMAP(10, 2, RW, PA), MMAP(14, 2, R, PA),
	    MMAP(12, 2, RW, PA)),
	SEQ("new merges into the window", MMAP(0, 4, NONE, PA), MMAP(252, 4, NONE, PA)),
	SEQ("noreserve does not merge", MMAP(10, 2, RW, PA),
	    MMAP(12, 2, RW, PA | TUXMM_MAP_NORESERVE), MMAP(14, 2, RW, PA | TUXMM_MAP_NORESERVE)),
	SEQ("read-only private merges with noreserve", MMAP(10, 2, R, PA),
	    MMAP(12, 2, R, PA | TUXMM_MAP_NORESERVE)),
	SEQ("fixed_noreplace over a mapping", MMAP(10, 4, RW, PA),
	    MMAP(12, 4, RW, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS |
		 TUXMM_MAP_FIXED_NOREPLACE),
	    MMAP(14, 4, RW, TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS |
		 TUXMM_MAP_FIXED_NOREPLACE)),
	SEQ("fixed over the middle splits", MMAP(10, 8, RW, PA), MMAP(12, 2, R, PA)),
	SEQ("fixed over the middle, same flags", MMAP(10, 8, RW, PA), MMAP(12, 2, RW, PA)),
	SEQ("fixed across two areas", MMAP(10, 4, R, PA), MMAP(14, 4, RW, PA),
	    MMAP(12, 4, RW | X, PA)),
	SEQ("growsdown", MMAP(20, 4, RW, PA | TUXMM_MAP_GROWSDOWN), MMAP(16, 4, RW, PA),
	    MMAP(24, 2, RW, PA), MPROTECT(21, 1, R | TUXMM_PROT_GROWSDOWN)),
	SEQ("growsdown file is EINVAL", MMAPF(20, 4, R, PF | TUXMM_MAP_GROWSDOWN, 0)),
	/* file mappings: contiguous offsets of one open file */
	SEQ("file contiguous offsets merge", MMAPF(10, 2, R, PF, 0), MMAPF(12, 2, R, PF, 2)),
	SEQ("file offset gap does not merge", MMAPF(10, 2, R, PF, 0), MMAPF(12, 2, R, PF, 3)),
	SEQ("file three-way merge", MMAPF(10, 2, R, SF, 4), MMAPF(14, 2, R, SF, 8),
	    MMAPF(12, 2, R, SF, 6)),
	SEQ("file shared vs private", MMAPF(10, 2, R, SF, 0), MMAPF(12, 2, R, PF, 2)),
	SEQ("file next to anonymous", MMAP(10, 2, R, PA), MMAPF(12, 2, R, PF, 0)),
	SEQ("file past EOF", MMAPF(10, 4, RW, SF, FILE_PAGES - 2), MMAPF(14, 4, RW, SF,
									  FILE_PAGES + 2)),
	SEQ("file unaligned offset", { .kind = OP_MMAP, .addr = PAGES(10), .len = PAGES(1),
				       .prot = R, .flags = PF, .file = true, .off = 100 }),
	/* vma.c test_merge_existing: mprotect of part of an area */
	SEQ("mprotect middle splits in three", MMAP(10, 6, RW, PA), MPROTECT(12, 2, R)),
	SEQ("mprotect back merges all", MMAP(10, 6, RW, PA), MPROTECT(12, 2, R),
	    MPROTECT(12, 2, RW)),
	SEQ("mprotect left part merges with prev", MMAP(10, 2, R, PA), MMAP(12, 4, RW, PA),
	    MPROTECT(12, 2, R)),
	SEQ("mprotect right part merges with next", MMAP(10, 4, RW, PA), MMAP(14, 2, R, PA),
	    MPROTECT(12, 2, R)),
	SEQ("mprotect whole merges both", MMAP(10, 2, R, PA), MMAP(12, 2, RW, PA),
	    MMAP(14, 2, R, PA), MPROTECT(12, 2, R)),
	SEQ("mprotect across areas", MMAP(10, 2, R, PA), MMAP(12, 2, RW, PA),
	    MMAP(14, 2, R | X, PA), MPROTECT(11, 4, RW)),
	SEQ("mprotect hole is ENOMEM after the part before", MMAP(10, 2, RW, PA),
	    MMAP(14, 2, RW, PA), MUNMAP(12, 2), MPROTECT(10, 6, R)),
	SEQ("mprotect into the window merges", MMAP(0, 4, RW, PA), MPROTECT(0, 4, NONE)),
	SEQ("mprotect private file writable", MMAPF(10, 4, R, PF, 0), MPROTECT(12, 2, RW),
	    MPROTECT(12, 2, R)),
	SEQ("mprotect shared file writable", MMAPF(10, 4, R, SF, 0), MPROTECT(11, 1, RW | X)),
	SEQ("mprotect unfaulted left", MMAP(10, 5, RW, PA), MMAP(15, 5, RW, PA),
	    MPROTECT(10, 5, R), MPROTECT(10, 5, RW)),
	SEQ("mprotect shared anon", MMAP(10, 4, RW, SA), MPROTECT(11, 2, R), MPROTECT(11, 2, RW)),
	SEQ("mprotect unaligned", { .kind = OP_MPROTECT, .addr = 100, .len = PG, .prot = R }),
	SEQ("mprotect bad bits", MMAP(10, 2, RW, PA),
	    { .kind = OP_MPROTECT, .addr = PAGES(10), .len = PG, .prot = 0x40 }),
	/* shared anonymous memory: each mapping its own object */
	SEQ("shared anon never merges", MMAP(10, 2, RW, SA), MMAP(12, 2, RW, SA)),
	SEQ("shared anon split and remerge", MMAP(10, 6, RW, SA), MUNMAP(12, 1),
	    MMAP(12, 1, RW, SA)),
	/* munmap */
	SEQ("munmap middle", MMAP(10, 8, RW, PA), MUNMAP(12, 2)),
	SEQ("munmap across areas", MMAP(10, 4, R, PA), MMAP(14, 4, RW, PA), MUNMAP(12, 4)),
	SEQ("munmap nothing", MUNMAP(100, 4)),
	SEQ("munmap zero length", MMAP(10, 4, RW, PA), MUNMAP(10, 0)),
	SEQ("remap after munmap merges", MMAP(10, 8, RW, PA), MUNMAP(12, 2), MMAP(12, 2, RW, PA)),
	/* mremap */
	SEQ("mremap shrink", MMAP(10, 8, RW, PA), MREMAP(10, 8, 4, 0, 0)),
	SEQ("mremap shrink across", MMAP(10, 4, R, PA), MMAP(14, 4, RW, PA),
	    MREMAP(10, 8, 2, 0, 0)),
	SEQ("mremap grow in place", MMAP(10, 4, RW, PA), MUNMAP(14, 4), MREMAP(10, 4, 8, 0, 0)),
	SEQ("mremap grow in place merges next", MMAP(10, 4, RW, PA), MMAP(16, 4, RW, PA),
	    MUNMAP(14, 2), MREMAP(10, 4, 6, 0, 0)),
	SEQ("mremap grow blocked", MMAP(10, 4, RW, PA), MMAP(14, 4, R, PA),
	    MREMAP(10, 4, 8, 0, 0)),
	SEQ("mremap grow into the window", MMAP(10, 4, NONE, PA), MREMAP(10, 4, 8, 0, 0)),
	SEQ("mremap move next to a neighbour", MMAP(10, 4, RW, PA), MMAP(30, 2, RW, PA),
	    MREMAP(30, 2, 2, MFIXED, 14)),
	SEQ("mremap move between two", MMAP(10, 4, RW, PA), MMAP(16, 4, RW, PA),
	    MMAP(40, 2, RW, PA), MREMAP(40, 2, 2, MFIXED, 14)),
	SEQ("mremap move and grow", MMAP(10, 4, RW, PA), MMAP(40, 2, RW, PA),
	    MREMAP(40, 2, 4, MFIXED, 14)),
	SEQ("mremap move file keeps offsets", MMAPF(10, 4, R, PF, 0), MMAPF(40, 2, R, PF, 4),
	    MREMAP(40, 2, 2, MFIXED, 14)),
	SEQ("mremap move file wrong offsets", MMAPF(10, 4, R, PF, 0), MMAPF(40, 2, R, PF, 9),
	    MREMAP(40, 2, 2, MFIXED, 14)),
	SEQ("mremap move part of an area", MMAP(10, 8, RW, PA), MREMAP(12, 2, 2, MFIXED, 40)),
	SEQ("mremap fixed over a mapping", MMAP(10, 4, RW, PA), MMAP(40, 8, R, PA),
	    MREMAP(10, 4, 4, MFIXED, 42)),
	SEQ("mremap fixed overlap is EINVAL", MMAP(10, 8, RW, PA), MREMAP(10, 4, 4, MFIXED, 12)),
	SEQ("mremap fixed without maymove", MMAP(10, 4, RW, PA),
	    MREMAP(10, 4, 4, TUXMM_MREMAP_FIXED, 40)),
	SEQ("mremap dontunmap", MMAP(10, 4, RW, PA),
	    MREMAP(10, 4, 4, MFIXED | TUXMM_MREMAP_DONTUNMAP, 40)),
	SEQ("mremap dontunmap resizing", MMAP(10, 4, RW, PA),
	    MREMAP(10, 4, 8, MFIXED | TUXMM_MREMAP_DONTUNMAP, 40)),
	SEQ("mremap dontunmap locked", MMAP(10, 4, RW, PA), MLOCK(10, 4),
	    MREMAP(10, 4, 4, MFIXED | TUXMM_MREMAP_DONTUNMAP, 40)),
	SEQ("mremap nothing there", MREMAP(100, 4, 4, MFIXED, 40)),
	SEQ("mremap past the area", MMAP(10, 4, RW, PA), MMAP(14, 4, R, PA),
	    MREMAP(10, 8, 8, MFIXED, 40)),
	SEQ("mremap shared duplicate", MMAP(10, 4, RW, SA), MREMAP(10, 0, 4, MFIXED, 40)),
	SEQ("mremap private duplicate", MMAP(10, 4, RW, PA), MREMAP(10, 0, 4, MFIXED, 40)),
	SEQ("mremap maymove shrink", MMAP(10, 8, RW, PA), MREMAP(10, 8, 2, MAYMOVE, 0)),
	SEQ("mremap shared anon grow", MMAP(10, 4, RW, SA), MREMAP(10, 4, 8, 0, 0)),
	SEQ("mremap bad flags", MMAP(10, 4, RW, PA), MREMAP(10, 4, 4, 8, 0)),
	SEQ("mremap back merges", MMAP(10, 8, RW, PA), MREMAP(12, 2, 2, MFIXED, 40),
	    MREMAP(40, 2, 2, MFIXED, 12)),
	/* madvise flags that split and merge */
	SEQ("madvise dontfork splits", MMAP(10, 8, RW, PA),
	    MADVISE(12, 2, TUXMM_MADV_DONTFORK), MADVISE(12, 2, TUXMM_MADV_DOFORK)),
	SEQ("madvise sequential and random", MMAP(10, 8, RW, PA),
	    MADVISE(10, 4, TUXMM_MADV_SEQUENTIAL), MADVISE(12, 4, TUXMM_MADV_RANDOM),
	    MADVISE(10, 8, TUXMM_MADV_NORMAL)),
	SEQ("madvise wipeonfork", MMAP(10, 8, RW, PA), MADVISE(14, 4, TUXMM_MADV_WIPEONFORK),
	    MMAP(18, 2, RW, PA), MADVISE(14, 4, TUXMM_MADV_KEEPONFORK)),
	SEQ("madvise wipeonfork on shared", MMAP(10, 8, RW, SA),
	    MADVISE(14, 4, TUXMM_MADV_WIPEONFORK)),
	SEQ("madvise dontdump", MMAPF(10, 8, R, PF, 0), MADVISE(11, 1, TUXMM_MADV_DONTDUMP),
	    MADVISE(10, 8, TUXMM_MADV_DODUMP)),
	SEQ("madvise over a hole", MMAP(10, 2, RW, PA), MMAP(14, 2, RW, PA),
	    MUNMAP(12, 2), MADVISE(10, 6, TUXMM_MADV_DONTFORK)),
	SEQ("madvise dontneed and free", MMAP(10, 4, RW, PA), MMAPF(14, 4, RW, PF, 0),
	    MADVISE(10, 4, TUXMM_MADV_DONTNEED), MADVISE(10, 4, TUXMM_MADV_FREE),
	    MADVISE(14, 4, TUXMM_MADV_FREE), MADVISE(14, 4, TUXMM_MADV_WILLNEED)),
	SEQ("madvise dontneed on locked", MMAP(10, 4, RW, PA), MLOCK(10, 4),
	    MADVISE(10, 4, TUXMM_MADV_DONTNEED), MADVISE(10, 4, TUXMM_MADV_DONTNEED_LOCKED)),
	SEQ("madvise remove", MMAP(10, 4, RW, PA), MMAP(14, 4, RW, SA),
	    MADVISE(10, 4, TUXMM_MADV_REMOVE), MADVISE(14, 4, TUXMM_MADV_REMOVE)),
	SEQ("madvise cold and pageout", MMAP(10, 4, RW, PA), MADVISE(10, 4, TUXMM_MADV_COLD),
	    MADVISE(10, 4, TUXMM_MADV_PAGEOUT)),
	SEQ("madvise unknown advice", MMAP(10, 4, RW, PA), MADVISE(10, 4, 99)),
	/* mlock2(MLOCK_ONFAULT) and munlock */
	SEQ("mlock middle splits", MMAP(10, 8, RW, PA), MLOCK(12, 2), MUNLOCK(12, 2)),
	SEQ("mlock merges with locked prev", MMAP(10, 8, RW, PA), MLOCK(10, 2), MLOCK(12, 2)),
	SEQ("mlock hole", MMAP(10, 2, RW, PA), MLOCK(10, 4)),
	SEQ("munlock everything", MMAP(10, 8, RW, PA), MLOCK(10, 8), MUNLOCK(5, 20)),
	/* msync and mincore: argument checks */
	SEQ("msync", MMAPF(10, 4, RW, SF, 0), MSYNC(10, 4, TUXMM_MS_SYNC),
	    MSYNC(10, 4, TUXMM_MS_SYNC | TUXMM_MS_ASYNC), MSYNC(10, 8, TUXMM_MS_ASYNC),
	    MLOCK(10, 2), MSYNC(10, 4, TUXMM_MS_INVALIDATE), MSYNC(10, 4, 8)),
	SEQ("mincore", MMAP(10, 4, RW, PA), MINCORE(10, 4), MINCORE(10, 8)),
	/* brk, relative to start_brk */
	SEQ("brk grow and shrink", BRK(0x40000), BRK(0x10000), BRK(0x80000)),
	SEQ("brk unaligned", BRK(0x40123), BRK(0x41000)),
	SEQ("brk below start is refused", BRK(-4096), BRK(0x20000)),
	SEQ("brk to start removes the heap", BRK(0x20000), BRK(0)),
};

/* ---- the host side ---- */

static size_t read_text(const char *path, char *buf, size_t max)
{
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	while (n + 1 < max && (r = read(fd, buf + n, max - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(fd);
	return n;
}

/* host_do - one call in this (child) process with raw syscalls; an offset or -errno. */
static long host_do(const struct op *op, unsigned long start_brk)
{
	unsigned long a = WIN_BASE + op->addr;
	long r;

	switch (op->kind) {
	case OP_MMAP:
		r = syscall(SYS_mmap, a, op->len, op->prot,
			    op->flags | (op->file ? 0 : TUXMM_MAP_ANONYMOUS),
			    op->file ? host_fd : -1, op->off);
		break;
	case OP_MUNMAP:
		r = syscall(SYS_munmap, a, op->len);
		break;
	case OP_MPROTECT:
		r = syscall(SYS_mprotect, a, op->len, op->prot);
		break;
	case OP_MREMAP:
		r = syscall(SYS_mremap, a, op->len, op->new_len, op->flags,
			    WIN_BASE + op->new_addr);
		break;
	case OP_BRK:
		return (long)syscall(SYS_brk, start_brk + op->brk) - (long)start_brk;
	case OP_MADVISE:
		r = syscall(SYS_madvise, a, op->len, op->flags);
		break;
	case OP_MLOCK:
		r = syscall(SYS_mlock2, a, op->len, op->flags);
		break;
	case OP_MUNLOCK:
		r = syscall(SYS_munlock, a, op->len);
		break;
	case OP_MSYNC:
		r = syscall(SYS_msync, a, op->len, op->flags);
		break;
	case OP_MINCORE: {
		static unsigned char vec[WIN_PAGES * 2];

		r = syscall(SYS_mincore, a, op->len, vec);
		break;
	}
	default:
		r = -1;
		errno = ENOSYS;
	}
	if (r == -1)
		return -errno;
	if (op->kind == OP_MMAP || op->kind == OP_MREMAP)
		return r - (long)WIN_BASE;
	return r;
}

/*
 * host_run - run @s in a forked child; its results and /proc text land in host_out.
 * Returns false (with a message) when the child could not run.
 */
static bool host_run(const struct seq *s)
{
	pid_t pid;
	int status;

	memset(host_out->ret, 0, sizeof(host_out->ret));
	host_out->maps[0] = host_out->status[0] = '\0';
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return false;
	}
	if (!pid) {
		/*
		 * Drop the heap inherited from malloc: its anon_vma has a parent, which
		 * changes merging; tuxmm's fresh task has no heap either.
		 */
		if ((unsigned long)syscall(SYS_brk, host_start_brk) != host_start_brk)
			_exit(4);
		if (syscall(SYS_mmap, WIN_BASE, WIN_LEN, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) !=
		    (long)WIN_BASE)
			_exit(3);
		for (unsigned int i = 0; i < s->nr_ops; i++)
			host_out->ret[i] = host_do(&s->ops[i], host_start_brk);
		read_text("/proc/self/maps", host_out->maps, TEXT_MAX);
		read_text("/proc/self/status", host_out->status, STATUS_MAX);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "diff_maps: the host child failed (status %#x)\n", status);
		return false;
	}
	return true;
}

/* ---- the tuxmm side ---- */

static long tux_do(struct task_struct *t, int fd, const struct op *op, unsigned long start_brk)
{
	unsigned long a = WIN_BASE + op->addr;
	unsigned char vec[WIN_PAGES * 2];
	long r;

	switch (op->kind) {
	case OP_MMAP:
		r = tuxmm_mmap(t, a, op->len, op->prot,
			       op->flags | (op->file ? 0 : TUXMM_MAP_ANONYMOUS),
			       op->file ? fd : -1, op->off);
		return r < 0 && r > -4096 ? r : r - (long)WIN_BASE;
	case OP_MUNMAP:
		return tuxmm_munmap(t, a, op->len);
	case OP_MPROTECT:
		return tuxmm_mprotect(t, a, op->len, op->prot);
	case OP_MREMAP:
		r = tuxmm_mremap(t, a, op->len, op->new_len, op->flags, WIN_BASE + op->new_addr);
		return r < 0 && r > -4096 ? r : r - (long)WIN_BASE;
	case OP_BRK:
		return (long)tuxmm_brk(t, start_brk + op->brk) - (long)start_brk;
	case OP_MADVISE:
		return tuxmm_madvise(t, a, op->len, op->flags);
	case OP_MLOCK:
		return tuxmm_mlock2(t, a, op->len, op->flags);
	case OP_MUNLOCK:
		return tuxmm_munlock(t, a, op->len);
	case OP_MSYNC:
		return tuxmm_msync(t, a, op->len, op->flags);
	case OP_MINCORE:
		return tuxmm_mincore(t, a, op->len, vec);
	}
	return -ENOSYS;
}

/* tux_run - run @s in a fresh tuxmm task; results and /proc text land in tux_out. */
static bool tux_run(const struct seq *s)
{
	struct task_struct *t;
	unsigned long start_brk;
	char path[64], *text;
	size_t len;
	long r;
	int fd, err;

	err = tuxmm_spawn(machine, "diff", &t);
	if (err) {
		fprintf(stderr, "diff_maps: tuxmm_spawn: %s\n", tuxmm_errno_name(err));
		return false;
	}
	fd = tuxmm_open(t, test_file, TUXMM_O_RDWR, 0);
	r = tuxmm_mmap(t, WIN_BASE, WIN_LEN, TUXMM_PROT_NONE,
		       TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS | TUXMM_MAP_FIXED_NOREPLACE, -1, 0);
	start_brk = tuxmm_brk(t, 0);
	if (fd < 0 || r != (long)WIN_BASE) {
		fprintf(stderr, "diff_maps: tuxmm setup failed: open %d, mmap %ld\n", fd, r);
		tuxmm_task_exit(t);
		return false;
	}
	for (unsigned int i = 0; i < s->nr_ops; i++)
		tux_out.ret[i] = tux_do(t, fd, &s->ops[i], start_brk);
	tux_out.start_brk = start_brk;
	tux_out.maps[0] = tux_out.status[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/maps", tuxmm_task_pid(t));
	err = tuxmm_proc_read(machine, path, &text, &len);
	if (err) {
		fprintf(stderr, "diff_maps: reading %s: %s\n", path, tuxmm_errno_name(err));
		tuxmm_task_exit(t);
		return false;
	}
	snprintf(tux_out.maps, TEXT_MAX, "%s", text);
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/status", tuxmm_task_pid(t));
	if (!tuxmm_proc_read(machine, path, &text, &len)) {
		snprintf(tux_out.status, STATUS_MAX, "%s", text);
		free(text);
	}
	tuxmm_task_exit(t);
	return true;
}

/* ---- comparing ---- */

/*
 * normalise - the lines of @maps inside the window (offsets from its base) and the [heap]
 * line (offsets from @start_brk), then VmLck from @status, into @out. Shared anonymous
 * memory's inode numbers are dropped: Linux takes them from a global counter.
 */
static void normalise(const char *maps, const char *status, unsigned long start_brk, char *out,
		      size_t max)
{
	const char *line = maps, *lck;
	size_t n = 0;

	out[0] = '\0';
	while (*line) {
		const char *nl = strchr(line, '\n');
		unsigned long start, end, off, ino;
		char perms[8], dev[16], name[PATH_MAX];
		int used = 0;

		name[0] = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu%n", &start, &end, perms, &off, dev,
			   &ino, &used) >= 6) {
			size_t nlen;
			unsigned long base = WIN_BASE;

			while (line[used] == ' ')	/* not '\n': a scanf space would eat it */
				used++;
			nlen = (nl ? (size_t)(nl - line) : strlen(line)) - (size_t)used;

			if (nlen >= sizeof(name))
				nlen = sizeof(name) - 1;
			memcpy(name, line + used, nlen);
			name[nlen] = '\0';
			if (!strcmp(name, "/dev/zero (deleted)"))
				ino = 0;
			if (!strcmp(name, "[heap]"))
				base = start_brk;
			else if (start < WIN_BASE || end > WIN_BASE + WIN_LEN)
				goto next;
			n += (size_t)snprintf(out + n, max - n,
					      "  +%06lx-+%06lx %s %08lx %s %lu %s\n",
					      start - base, end - base, perms, off, dev, ino,
					      name);
			if (n >= max)
				return;
		}
next:
		if (!nl)
			break;
		line = nl + 1;
	}
	lck = strstr(status, "VmLck:");
	if (lck)
		snprintf(out + n, max - n, "  %.*s\n", (int)strcspn(lck, "\n"), lck);
}

static void print_op(FILE *f, const struct op *op)
{
	switch (op->kind) {
	case OP_BRK:
		fprintf(f, "brk(start_brk%+ld)", op->brk);
		break;
	case OP_MMAP:
		fprintf(f, "mmap(+%#lx, %#lx, prot %#x, flags %#x, %s, %#lx)", op->addr, op->len,
			op->prot, op->flags | (op->file ? 0 : TUXMM_MAP_ANONYMOUS),
			op->file ? "fd" : "-1", op->off);
		break;
	case OP_MREMAP:
		fprintf(f, "mremap(+%#lx, %#lx, %#lx, flags %#x, +%#lx)", op->addr, op->len,
			op->new_len, op->flags, op->new_addr);
		break;
	case OP_MPROTECT:
		fprintf(f, "mprotect(+%#lx, %#lx, %#x)", op->addr, op->len, op->prot);
		break;
	default:
		fprintf(f, "%s(+%#lx, %#lx, %#x)", op_names[op->kind], op->addr, op->len,
			op->flags);
	}
}

static void print_ret(FILE *f, long r)
{
	if (r < 0 && r > -4096)
		fprintf(f, "-%s", tuxmm_errno_name((int)-r));
	else
		fprintf(f, "%#lx", (unsigned long)r);
}

/* check_seq - run @s on both sides; false (with the sequence and both results) on a difference. */
static bool check_seq(const struct seq *s)
{
	static char host_norm[TEXT_MAX], tux_norm[TEXT_MAX];
	bool same_ret = true;

	if (!host_run(s) || !tux_run(s))
		return false;
	for (unsigned int i = 0; i < s->nr_ops; i++)
		if (host_out->ret[i] != tux_out.ret[i])
			same_ret = false;
	normalise(host_out->maps, host_out->status, host_start_brk, host_norm, TEXT_MAX);
	normalise(tux_out.maps, tux_out.status, tux_out.start_brk, tux_norm, TEXT_MAX);
	if (same_ret && !strcmp(host_norm, tux_norm))
		return true;

	printf("DIFFERENCE in %s (window at %#lx, offsets from it)\n", s->name, WIN_BASE);
	for (unsigned int i = 0; i < s->nr_ops; i++) {
		printf("  %2u ", i);
		print_op(stdout, &s->ops[i]);
		printf(" = linux ");
		print_ret(stdout, host_out->ret[i]);
		if (host_out->ret[i] != tux_out.ret[i]) {
			printf(", tuxmm ");
			print_ret(stdout, tux_out.ret[i]);
			printf("   <-- differs");
		}
		printf("\n");
	}
	printf(" linux:\n%s tuxmm:\n%s", host_norm, tux_norm);
	if (getenv("TUXMM_DIFF_RAW"))
		printf(" tuxmm raw:\n%s", tux_out.maps);
	if (getenv("TUXMM_DIFF_DMESG"))
		printf(" tuxmm dmesg:\n%s", tuxmm_dmesg(machine));
	return false;
}

/* ---- random sequences ---- */

static uint64_t rng;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

/*
 * A range in the middle of the window, pages [16, 112): most calls meet areas made
 * before, and the PROT_NONE reservation stays on both sides.
 */
#define RND_LO		16
#define RND_PAGES	96

static void rnd_range(struct op *op, unsigned long max_pages)
{
	unsigned long a = RND_LO + rnd(RND_PAGES), n = 1 + rnd(max_pages);

	if (a + n > RND_LO + RND_PAGES)
		n = RND_LO + RND_PAGES - a;
	op->addr = PAGES(a);
	op->len = PAGES(n);
	if (!rnd(40))
		op->addr += 1 + rnd(PG - 1);	/* unaligned: EINVAL */
	if (!rnd(60))
		op->len = 0;
}

static const int rnd_prots[] = { NONE, R, RW, R | X, RW | X, W };
static const int rnd_advice[] = {
	TUXMM_MADV_NORMAL, TUXMM_MADV_RANDOM, TUXMM_MADV_SEQUENTIAL, TUXMM_MADV_WILLNEED,
	TUXMM_MADV_DONTNEED, TUXMM_MADV_FREE, TUXMM_MADV_REMOVE, TUXMM_MADV_DONTFORK,
	TUXMM_MADV_DOFORK, TUXMM_MADV_DONTDUMP, TUXMM_MADV_DODUMP, TUXMM_MADV_WIPEONFORK,
	TUXMM_MADV_KEEPONFORK, TUXMM_MADV_COLD, TUXMM_MADV_PAGEOUT, TUXMM_MADV_DONTNEED_LOCKED,
};

static void rnd_op(struct op *op)
{
	unsigned long k = rnd(100);

	memset(op, 0, sizeof(*op));
	rnd_range(op, 12);
	op->prot = rnd_prots[rnd(ARRAY_SIZE(rnd_prots))];
	if (k < 35) {
		op->kind = OP_MMAP;
		op->flags = (rnd(4) ? TUXMM_MAP_PRIVATE : TUXMM_MAP_SHARED) |
			    (rnd(12) ? TUXMM_MAP_FIXED : TUXMM_MAP_FIXED_NOREPLACE);
		op->file = !rnd(3);
		if (!rnd(10))
			op->flags |= TUXMM_MAP_NORESERVE;
		if (!rnd(25))
			op->flags |= TUXMM_MAP_GROWSDOWN;
		/* file offsets mostly line up with the address, so areas merge */
		if (op->file)
			op->off = rnd(3) ? op->addr & ~(PG - 1) : PAGES(rnd(FILE_PAGES));
		if (op->len == 0 && rnd(2))
			op->len = PG;
	} else if (k < 47) {
		op->kind = OP_MUNMAP;
	} else if (k < 65) {
		op->kind = OP_MPROTECT;
		if (!rnd(20))
			op->prot |= TUXMM_PROT_GROWSDOWN;
	} else if (k < 77) {
		unsigned long f = rnd(10);

		op->kind = OP_MREMAP;
		op->new_len = PAGES(1 + rnd(12));
		op->new_addr = PAGES(RND_LO + rnd(RND_PAGES - 12));
		if (f < 4) {
			op->flags = 0;
		} else if (f < 8) {
			op->flags = MFIXED;
		} else if (f < 9) {
			op->flags = MFIXED | TUXMM_MREMAP_DONTUNMAP;
			op->new_len = op->len;
		} else {
			/* MREMAP_MAYMOVE alone only where it cannot move: shrinking */
			op->flags = MAYMOVE;
			if (op->new_len > op->len)
				op->new_len = op->len;
		}
		if (!rnd(30)) {
			op->len = 0;	/* duplicate (shared) or EINVAL (private) */
			op->flags = MFIXED;	/* a free placement is the host's own choice */
		}
	} else if (k < 86) {
		op->kind = OP_MADVISE;
		op->flags = rnd_advice[rnd(ARRAY_SIZE(rnd_advice))];
	} else if (k < 91) {
		op->kind = OP_MLOCK;
		op->flags = TUXMM_MLOCK_ONFAULT;
	} else if (k < 95) {
		op->kind = OP_MUNLOCK;
	} else if (k < 97) {
		op->kind = rnd(2) ? OP_MSYNC : OP_MINCORE;
		op->flags = (int)rnd(8);
	} else {
		op->kind = OP_BRK;
		op->brk = (long)rnd(PAGES(80)) - (long)PAGES(2);
	}
}

/* ---- main ---- */

static bool make_test_file(char *path)
{
	static char page[PG];
	int fd = mkstemp(path);

	if (fd < 0)
		return false;
	for (int i = 0; i < FILE_PAGES; i++) {
		memset(page, 'a' + i % 26, sizeof(page));
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			return false;
		}
	}
	host_fd = fd;
	return true;
}

static unsigned long read_start_brk(void)
{
	static char stat[4096];
	unsigned long v = 0;
	char *p;
	int field = 2;

	read_text("/proc/self/stat", stat, sizeof(stat));
	p = strrchr(stat, ')');		/* field 2, comm, may hold spaces */
	while (p && field < 47) {
		p = strchr(p + 1, ' ');
		field++;
	}
	if (p)
		v = strtoul(p + 1, NULL, 10);
	return v;
}

int main(void)
{
	char path[] = "/tmp/tuxmm-diff-maps-XXXXXX";
	char canon[PATH_MAX], err[TUXMM_ERRMSG_MAX] = "";
	const char *env = getenv("TUXMM_SEED"), *nenv = getenv("TUXMM_DIFF_SEQS");
	unsigned long nr_seqs = NR_SEQS, failed = 0, done = 0;
	uint64_t seed = env ? strtoull(env, NULL, 0) : 20261127;
	struct tuxmm_config cfg;
	int ret = 1;

	if (nenv)
		nr_seqs = strtoul(nenv, NULL, 0);
	if (sysconf(_SC_PAGESIZE) != (long)PG) {
		printf("# SKIP: the host's page size is not 4 KiB\n");
		return 0;
	}
	host_start_brk = read_start_brk();
	host_out = mmap(NULL, sizeof(*host_out), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (host_out == MAP_FAILED || !host_start_brk || !make_test_file(path) ||
	    !realpath(path, canon)) {
		perror("diff_maps: setup");
		return 1;
	}
	test_file = canon;

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 128ULL << 20;	/* more than any private writable mapping here */
	if (tuxmm_boot(&cfg, &machine, err)) {
		fprintf(stderr, "diff_maps: boot: %s\n", err);
		goto out;
	}

	for (size_t i = 0; i < ARRAY_SIZE(hand_cases); i++) {
		if (!check_seq(&hand_cases[i]))
			failed++;
		done++;
	}
	printf("# %zu hand-written cases, %lu differences\n", ARRAY_SIZE(hand_cases), failed);

	printf("# seed %" PRIu64 " (set TUXMM_SEED to change), %lu random sequences\n", seed,
	       nr_seqs);
	for (unsigned long i = 0; i < nr_seqs; i++) {
		static struct seq s;
		static char name[64];

		rng = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		for (int w = 0; w < 4; w++)
			rnd(2);
		snprintf(name, sizeof(name), "random sequence %lu of seed %" PRIu64, i, seed);
		s.name = name;
		s.nr_ops = 8 + (unsigned int)rnd(MAX_OPS - 8);
		for (unsigned int j = 0; j < s.nr_ops; j++)
			rnd_op(&s.ops[j]);
		if (!check_seq(&s) && ++failed >= 5) {
			printf("# stopping after 5 differences\n");
			break;
		}
		done++;
	}
	printf("# %lu sequences compared, %lu differences\n", done, failed);
	ret = failed ? 1 : 0;
	tuxmm_machine_destroy(machine);
out:
	close(host_fd);
	unlink(path);
	return ret;
}
