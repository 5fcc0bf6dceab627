/*
 * diff_smaps.c - differential test of /proc/PID/smaps against the real kernel: the same
 * mmap/touch/fork script runs in forked host processes and in tuxmm tasks, and the smaps
 * counters of the test window, summed over its areas, must be equal in every process, and so
 * must the flag bits (55-63) of /proc/PID/pagemap for the window's first PM_PAGES pages, and
 * the minor faults each process took in the script's steps (getrusage() on the host, each
 * process having first run every step's code on a scratch page so that its own text faults
 * are not counted; tuxmm_task_faults() in tuxmm).
 *
 * Cases after tools/testing/selftests/mm/cow.c and the demand-paging paths: private anonymous
 * reads (the zero page) and writes, fork with writes on either side, mprotect() read-only and
 * back before a write (cow.c's "mprotect() optimization"), MADV_DONTNEED on either side of a
 * fork, mlock() populating (and breaking COW), PageAnonExclusive (mprotect after the child
 * unmapped upgrades only the pages a write reused since), shared anonymous memory,
 * and private and shared mappings of a file in /dev/shm (tmpfs: no large folios, so the
 * classic 16-page fault-around). Both sides start with the whole file cached.
 * Known host-side differences, accounted for (docs/demand-paging.md):
 *  - a tmpfs page is PG_dirty and PG_referenced from its write(), so the host counts file pages
 *    Dirty and Referenced even when never touched; tuxmm's file is a disk file, clean and not
 *    referenced until touched. With file pages in the window, only the clean + dirty totals
 *    are compared, and Referenced is not.
 *  - tmpfs has no ->page_mkwrite, so the host maps a shared writable file page writable on a
 *    read fault and a later write to it takes no fault; tuxmm's file is a disk file whose
 *    shared pages are write-notified (a read-only entry, then a write fault), as on ext4. No
 *    case writes a shared file page after reading it.
 *  - a kernel booted with pvm_no_zero_page=1 allocates a page on a read of never-written
 *    private anonymous memory; tuxmm maps the zero page as stock Linux does. Cases that read
 *    such memory are skipped there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PG		4096UL
#define WIN_BASE	0x300000000000UL	/* above ASan's shadow, below its allocator */
#define WIN_PAGES	512UL
#define WARM_OFF	256UL			/* pages: where tuxmm's warm-up mapping goes */
#define FILE_PAGES	32UL
#define MAX_STEPS	16
#define PM_PAGES	80			/* pagemap entries compared */
#define PM_FLAGS	(~0ULL << 55)		/* frame bits: 0 for an unprivileged reader */
#define TEXT_MAX	(2 * 1024 * 1024)	/* one /proc/self/smaps (ASan: many areas) */

enum map_kind { PRIV_ANON, SHARED_ANON, PRIV_FILE, SHARED_FILE };
enum step_kind { MAP, TOUCH, FORK, MPROT, DONTNEED, MLOCK, UNMAP };
enum { PARENT, CHILD };

struct step {
	enum step_kind kind;
	int who;		/* PARENT or CHILD (MAP: the parent; before FORK: the parent) */
	unsigned long off;	/* pages from WIN_BASE */
	unsigned long nr;	/* pages */
	enum map_kind map;
	int prot;		/* MAP, MPROT */
	bool write;
};

struct scase {
	const char *name;
	bool reads_zero_page;	/* reads never-written private anonymous memory */
	unsigned int nr_steps;
	struct step steps[MAX_STEPS];
};

#define R	PROT_READ
#define RW	(PROT_READ | PROT_WRITE)
#define MAP(o, n, k, p)	{ .kind = MAP, .off = (o), .nr = (n), .map = (k), .prot = (p) }
#define RD(w, o, n)	{ .kind = TOUCH, .who = (w), .off = (o), .nr = (n) }
#define WR(w, o, n)	{ .kind = TOUCH, .who = (w), .off = (o), .nr = (n), .write = true }
#define DOFORK		{ .kind = FORK }
#define MPROT(w, o, n, p)	{ .kind = MPROT, .who = (w), .off = (o), .nr = (n), .prot = (p) }
#define DONTNEED(w, o, n)	{ .kind = DONTNEED, .who = (w), .off = (o), .nr = (n) }
#define MLOCK(w, o, n)	{ .kind = MLOCK, .who = (w), .off = (o), .nr = (n) }
#define UNMAP(w, o, n)	{ .kind = UNMAP, .who = (w), .off = (o), .nr = (n) }
#define CASE(n, z, ...)	{ .name = (n), .reads_zero_page = (z), \
			  .nr_steps = sizeof((struct step[]){ __VA_ARGS__ }) / \
				      sizeof(struct step), \
			  .steps = { __VA_ARGS__ } }
#define P PARENT
#define C CHILD

static const struct scase cases[] = {
	CASE("anon: reads map the zero page", true, MAP(0, 16, PRIV_ANON, RW), RD(P, 0, 8)),
	CASE("anon: writes", false, MAP(0, 16, PRIV_ANON, RW), WR(P, 0, 6)),
	CASE("anon: read then write", true, MAP(0, 16, PRIV_ANON, RW), RD(P, 0, 8),
	     WR(P, 2, 3)),
	CASE("anon: read-only area", true, MAP(0, 8, PRIV_ANON, R), RD(P, 0, 8)),
	CASE("cow: fork shares", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK),
	CASE("cow: parent writes after fork", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8),
	     DOFORK, WR(P, 0, 3)),
	CASE("cow: child writes after fork", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8),
	     DOFORK, WR(C, 2, 3)),
	CASE("cow: both write after fork", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK,
	     WR(P, 0, 2), WR(C, 1, 3), WR(P, 6, 1)),
	CASE("cow: child reads after fork", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8),
	     DOFORK, RD(C, 0, 8)),
	CASE("cow: zero page shared by fork, child writes", true, MAP(0, 8, PRIV_ANON, RW),
	     RD(P, 0, 4), DOFORK, WR(C, 0, 2), RD(C, 4, 2)),
	CASE("cow: fork of an unfaulted area", false, MAP(0, 8, PRIV_ANON, RW), DOFORK,
	     WR(C, 0, 2), WR(P, 1, 2)),
	CASE("cow: a page written by both is private in each", false,
	     MAP(0, 4, PRIV_ANON, RW), WR(P, 0, 4), DOFORK, WR(P, 0, 4), WR(C, 0, 4)),
	CASE("cow: child mprotects read-only and back, then writes", false,
	     MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK, MPROT(C, 0, 8, R), MPROT(C, 0, 8, RW),
	     WR(C, 0, 3)),
	CASE("cow: parent mprotects read-only and back, then writes", false,
	     MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK, MPROT(P, 0, 8, R), MPROT(P, 0, 8, RW),
	     WR(P, 2, 4), RD(C, 0, 8)),
	CASE("anon: mprotect read-only and back keeps exclusive pages writable", false,
	     MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 4), MPROT(P, 0, 8, R), MPROT(P, 0, 8, RW),
	     WR(P, 0, 6)),
	/*
	 * PageAnonExclusive: once the child is gone the parent's pages are its alone, but only
	 * those a write fault reused since are exclusive and made writable by mprotect.
	 */
	CASE("cow: after the child unmaps, mprotect upgrades only the pages reused since", false,
	     MAP(0, 16, PRIV_ANON, RW), WR(P, 0, 8), DOFORK, WR(C, 0, 2), UNMAP(C, 0, 16),
	     WR(P, 0, 4), MPROT(P, 0, 16, R), MPROT(P, 0, 16, RW), WR(P, 0, 8)),
	CASE("anon: zero pages stay read-only across mprotect", true, MAP(0, 8, PRIV_ANON, RW),
	     RD(P, 0, 4), MPROT(P, 0, 8, R), MPROT(P, 0, 8, RW), WR(P, 0, 2)),
	CASE("cow: child DONTNEEDs, reads zero; parent keeps its data", true,
	     MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK, DONTNEED(C, 0, 4), RD(C, 0, 4),
	     RD(P, 0, 8)),
	CASE("cow: parent DONTNEEDs, the child reuses its pages", false,
	     MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8), DOFORK, DONTNEED(P, 0, 4), WR(C, 0, 6)),
	CASE("anon: mlock populates writable pages", false, MAP(0, 16, PRIV_ANON, RW),
	     MLOCK(P, 2, 8), WR(P, 0, 4)),
	CASE("cow: child mlock breaks COW", false, MAP(0, 8, PRIV_ANON, RW), WR(P, 0, 8),
	     DOFORK, MLOCK(C, 0, 4), WR(P, 2, 4)),
	CASE("private file: mlock of a writable mapping copies every page", false,
	     MAP(0, 32, PRIV_FILE, RW), RD(P, 0, 1), MLOCK(P, 4, 8)),
	CASE("private file: read-only mlock maps the cache", false, MAP(0, 32, PRIV_FILE, R),
	     MLOCK(P, 4, 8)),
	CASE("private file: read, mprotect read-only and back, write copies", false,
	     MAP(0, 32, PRIV_FILE, RW), RD(P, 0, 1), MPROT(P, 0, 32, R), MPROT(P, 0, 32, RW),
	     WR(P, 1, 2)),
	CASE("shared anon: reads", false, MAP(0, 8, SHARED_ANON, RW), RD(P, 0, 4)),
	CASE("shared anon: writes", false, MAP(0, 8, SHARED_ANON, RW), WR(P, 0, 4)),
	CASE("shared anon: fork, both touch", false, MAP(0, 8, SHARED_ANON, RW), WR(P, 0, 2),
	     DOFORK, WR(C, 0, 4), RD(P, 4, 4)),
	CASE("shared anon: DONTNEED keeps the data", false, MAP(0, 8, SHARED_ANON, RW),
	     WR(P, 0, 4), DONTNEED(P, 0, 8), RD(P, 0, 2)),
	CASE("shared anon: mlock populates", false, MAP(0, 8, SHARED_ANON, RW), MLOCK(P, 0, 4)),
	CASE("private file: one read, fault-around", false, MAP(0, 32, PRIV_FILE, R),
	     RD(P, 0, 1)),
	CASE("private file: read in the second window", false, MAP(0, 32, PRIV_FILE, R),
	     RD(P, 20, 1)),
	CASE("private file: read then write", false, MAP(0, 32, PRIV_FILE, RW), RD(P, 10, 1),
	     WR(P, 3, 1)),
	CASE("private file: write first", false, MAP(0, 32, PRIV_FILE, RW), WR(P, 5, 2)),
	CASE("private file: fork, child writes", false, MAP(0, 32, PRIV_FILE, RW), RD(P, 0, 1),
	     WR(P, 1, 1), DOFORK, RD(C, 2, 1), WR(C, 3, 1)),
	CASE("shared file: read", false, MAP(0, 32, SHARED_FILE, RW), RD(P, 5, 1)),
	CASE("shared file: write", false, MAP(0, 32, SHARED_FILE, RW), WR(P, 5, 3)),
	CASE("shared file: DONTNEED, then read again", false, MAP(0, 32, SHARED_FILE, RW),
	     WR(P, 0, 2), DONTNEED(P, 0, 32), RD(P, 1, 1)),
	CASE("shared file: mlock splits the area, fault-around stays inside", false,
	     MAP(0, 32, SHARED_FILE, RW), MLOCK(P, 8, 4), RD(P, 5, 1)),
	CASE("shared file: fork, both touch", false, MAP(0, 32, SHARED_FILE, RW), WR(P, 0, 1),
	     DOFORK, RD(C, 0, 2), WR(C, 17, 1)),
	CASE("mixed areas", true, MAP(0, 8, PRIV_ANON, RW), MAP(16, 32, PRIV_FILE, R),
	     MAP(64, 4, SHARED_ANON, RW), RD(P, 0, 2), WR(P, 2, 2), RD(P, 16, 1), WR(P, 64, 1),
	     DOFORK, WR(C, 0, 3), RD(C, 40, 1)),
};

/* The compared counters (kB), summed over the window's areas. */
enum { RSS, PSS, SHARED_CLEAN, SHARED_DIRTY, PRIVATE_CLEAN, PRIVATE_DIRTY, REFERENCED,
       ANONYMOUS, LOCKED, NR_FIELDS };
static const char *const field_names[NR_FIELDS] = {
	"Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
	"Referenced", "Anonymous", "Locked",
};

struct counters {
	unsigned long v[NR_FIELDS];
	unsigned long file_rss;		/* Rss of file areas (dirt not compared) */
	uint64_t pm[PM_PAGES];		/* pagemap flags of the window's first pages */
	unsigned long min_flt;		/* minor faults taken in the script's steps */
	bool valid;
};

static struct counters *host_out;	/* [PARENT], [CHILD]: shared with the host processes */
static struct counters tux_out[2];
static char *text_buf;
static char file_path[PATH_MAX];
static int host_fd;
static struct machine *machine;

/*
 * parse_smaps - sum the counters of the areas starting inside the window into @c. File areas
 * are those named with a path other than "/dev/zero" (shared anonymous memory).
 */
static void parse_smaps(const char *text, struct counters *c)
{
	const char *line = text;
	bool in_win = false, is_file = false;

	memset(c, 0, sizeof(*c));
	c->valid = true;
	while (*line) {
		const char *nl = strchr(line, '\n');
		unsigned long start, end, kb;
		char name[32];

		/* Field lines start with a capital; area lines with a lower-case hex digit. */
		if ((line[0] < 'A' || line[0] > 'Z') &&
		    sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			const char *slash = memchr(line, '/', (size_t)((nl ? nl : line) - line));

			in_win = start >= WIN_BASE && start < WIN_BASE + WIN_PAGES * PG;
			is_file = slash && strncmp(slash, "/dev/zero", 9);
		} else if (in_win && sscanf(line, "%31[^:]: %lu kB", name, &kb) == 2) {
			for (int i = 0; i < NR_FIELDS; i++)
				if (!strcmp(name, field_names[i]))
					c->v[i] += kb;
			if (is_file && !strcmp(name, "Rss"))
				c->file_rss += kb;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

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

static int host_flags(enum map_kind k)
{
	switch (k) {
	case PRIV_ANON:
		return MAP_PRIVATE | MAP_ANONYMOUS;
	case SHARED_ANON:
		return MAP_SHARED | MAP_ANONYMOUS;
	case PRIV_FILE:
		return MAP_PRIVATE;
	case SHARED_FILE:
		return MAP_SHARED;
	}
	return 0;
}

static bool is_file(enum map_kind k)
{
	return k == PRIV_FILE || k == SHARED_FILE;
}

/*
 * The host side makes its memory calls as system calls: a sanitizer's interceptors would
 * touch shadow memory (faults of their own), and ASan's mlock() does nothing. Its touches are
 * not instrumented, for the same reason.
 */
static long host_min_flt(void)
{
	struct rusage ru;

	if (syscall(SYS_getrusage, RUSAGE_SELF, &ru))
		_exit(10);
	return ru.ru_minflt;
}

__attribute__((no_sanitize("address", "undefined")))
static void host_step(const struct step *st)
{
	char *a = (char *)(WIN_BASE + st->off * PG);
	size_t len = st->nr * PG;

	switch (st->kind) {
	case MAP:
		if (mmap(a, len, st->prot, host_flags(st->map) | MAP_FIXED_NOREPLACE,
			 is_file(st->map) ? host_fd : -1, 0) != a)
			_exit(3);
		return;
	case MPROT:
		if (syscall(SYS_mprotect, a, len, st->prot))
			_exit(11);
		return;
	case DONTNEED:
		if (syscall(SYS_madvise, a, len, MADV_DONTNEED))
			_exit(12);
		return;
	case MLOCK:
		if (syscall(SYS_mlock, a, len))
			_exit(13);
		return;
	case UNMAP:
		if (syscall(SYS_munmap, a, len))
			_exit(15);
		return;
	case TOUCH:
	case FORK:
		break;
	}
	for (unsigned long i = 0; i < st->nr; i++) {
		volatile char *p = a + i * PG;

		/* A store alone: a load first would read-fault (fault-around, a clean PTE). */
		if (st->write)
			*p = 'w';
		else
			(void)*p;
	}
}

static void host_pagemap(uint64_t *pm)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t want = (ssize_t)(PM_PAGES * sizeof(*pm));

	if (fd < 0 || pread(fd, pm, (size_t)want, (off_t)(WIN_BASE / PG * sizeof(*pm))) != want)
		_exit(9);
	close(fd);
	for (unsigned long i = 0; i < PM_PAGES; i++)
		pm[i] &= PM_FLAGS;
}

/* host_counted_step - @st, its minor faults added to *@flt (a MAP takes none: not counted). */
static void host_counted_step(const struct step *st, unsigned long *flt)
{
	long before;

	if (st->kind == MAP) {
		host_step(st);
		return;
	}
	before = host_min_flt();

	host_step(st);
	*flt += (unsigned long)(host_min_flt() - before);
}

/*
 * host_warm_up - run every kind of step on a scratch page at the window's end, so that the
 * code of the steps (this program's and libc's text, which a forked child faults in again) is
 * mapped before faults are counted.
 */
static void host_warm_up(void)
{
	const unsigned long off = WIN_PAGES - 1;
	const struct step steps[] = {
		MAP(off, 1, PRIV_ANON, RW), WR(P, off, 1), RD(P, off, 1), MPROT(P, off, 1, R),
		MPROT(P, off, 1, RW), DONTNEED(P, off, 1), MLOCK(P, off, 1),
	};
	unsigned long flt = 0;

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		host_counted_step(&steps[i], &flt);
	if (munmap((void *)(WIN_BASE + off * PG), PG))
		_exit(14);
}

/* barrier - both processes reach it before either goes on (a byte each way). */
static void barrier(int out, int in)
{
	char b = 0;

	if (write(out, &b, 1) != 1 || read(in, &b, 1) != 1)
		_exit(5);
}

/* host_case - run in a forked process: the script, its fork, both smaps read at the end. */
static void host_case(const struct scase *sc)
{
	int to_child[2], to_parent[2], me = PARENT, out = -1, in = -1;
	unsigned long flt = 0;
	pid_t child = 0;
	unsigned int i;
	int status;

	host_warm_up();
	for (i = 0; i < sc->nr_steps && sc->steps[i].kind != FORK; i++)
		host_counted_step(&sc->steps[i], &flt);
	if (i < sc->nr_steps) {
		if (pipe(to_child) || pipe(to_parent))
			_exit(6);
		child = fork();
		if (child < 0)
			_exit(7);
		me = child ? PARENT : CHILD;
		out = me == PARENT ? to_child[1] : to_parent[1];
		in = me == PARENT ? to_parent[0] : to_child[0];
		if (me == CHILD) {
			flt = 0;	/* the child's count starts at the fork, as tuxmm's */
			host_warm_up();
		}
		barrier(out, in);
		for (i++; i < sc->nr_steps; i++) {
			if (sc->steps[i].who == me)
				host_counted_step(&sc->steps[i], &flt);
			barrier(out, in);
		}
	}
	read_text("/proc/self/smaps", text_buf, TEXT_MAX);
	parse_smaps(text_buf, &host_out[me]);
	host_out[me].min_flt = flt;
	host_pagemap(host_out[me].pm);
	if (out < 0)
		_exit(0);
	barrier(out, in);	/* neither unmaps before the other has read */
	if (me == CHILD)
		_exit(0);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(8);
	_exit(0);
}

static bool host_run(const struct scase *sc)
{
	pid_t pid;
	int status;

	memset(host_out, 0, 2 * sizeof(*host_out));
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid)
		host_case(sc);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "diff_smaps: the host process failed (status %#x)\n", status);
		return false;
	}
	return true;
}

/* ---- the tuxmm side ---- */

static int tux_flags(enum map_kind k)
{
	switch (k) {
	case PRIV_ANON:
		return TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS;
	case SHARED_ANON:
		return TUXMM_MAP_SHARED | TUXMM_MAP_ANONYMOUS;
	case PRIV_FILE:
		return TUXMM_MAP_PRIVATE;
	case SHARED_FILE:
		return TUXMM_MAP_SHARED;
	}
	return 0;
}

static bool tux_step(struct task_struct *t, int fd, const struct step *st)
{
	unsigned long a = WIN_BASE + st->off * PG, len = st->nr * PG;

	switch (st->kind) {
	case MAP:
		return tuxmm_mmap(t, a, len, st->prot, tux_flags(st->map) | TUXMM_MAP_FIXED_NOREPLACE,
				  is_file(st->map) ? fd : -1, 0) == (long)a;
	case MPROT:
		return !tuxmm_mprotect(t, a, len, st->prot);
	case DONTNEED:
		return !tuxmm_madvise(t, a, len, TUXMM_MADV_DONTNEED);
	case MLOCK:
		return !tuxmm_mlock(t, a, len);
	case UNMAP:
		return !tuxmm_munmap(t, a, len);
	case TOUCH:
		return !tuxmm_touch(t, a, len, st->write, NULL);
	case FORK:
		break;
	}
	return false;
}

/* tux_counted_step - @st by @t, its minor faults added to @t's count in tux_out. */
static bool tux_counted_step(struct task_struct *t, int fd, const struct step *st,
			     unsigned long *flt)
{
	unsigned long before, after;
	bool ok;

	tuxmm_task_faults(t, &before, NULL);
	ok = tux_step(t, fd, st);
	tuxmm_task_faults(t, &after, NULL);
	*flt += after - before;
	return ok;
}

static bool tux_smaps(struct task_struct *t, struct counters *c)
{
	char path[64], *text;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/smaps", tuxmm_task_pid(t));
	if (tuxmm_proc_read(machine, path, &text, &len))
		return false;
	parse_smaps(text, c);
	free(text);
	return tuxmm_read_pagemap(t, WIN_BASE, c->pm, PM_PAGES) == (long)PM_PAGES;
}

/*
 * tux_run - the script in a fresh task. The file is first read whole through a mapping
 * unmapped at once (the open descriptor keeps its cache), as the host's tmpfs file is cached.
 */
static bool tux_run(const struct scase *sc)
{
	struct task_struct *t, *child = NULL, *who[2];
	unsigned long warm = WIN_BASE + WARM_OFF * PG, flt[2] = { 0, 0 };
	bool ok = true;
	int fd, w;

	memset(tux_out, 0, sizeof(tux_out));
	if (tuxmm_spawn(machine, "diff", &t))
		return false;
	fd = tuxmm_open(t, file_path, TUXMM_O_RDWR, 0);
	ok = fd >= 0 && tuxmm_mmap(t, warm, FILE_PAGES * PG, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE |
				   TUXMM_MAP_FIXED_NOREPLACE, fd, 0) == (long)warm &&
	     !tuxmm_touch(t, warm, FILE_PAGES * PG, false, NULL) &&
	     !tuxmm_munmap(t, warm, FILE_PAGES * PG);
	who[PARENT] = t;
	for (unsigned int i = 0; ok && i < sc->nr_steps; i++) {
		const struct step *st = &sc->steps[i];

		if (st->kind == FORK) {
			ok = !tuxmm_fork(t, &child);
			who[CHILD] = child;
			continue;
		}
		w = st->kind == MAP ? PARENT : st->who;
		ok = tux_counted_step(who[w], fd, st, &flt[w]);
	}
	if (ok)
		ok = tux_smaps(t, &tux_out[PARENT]) &&
		     (!child || tux_smaps(child, &tux_out[CHILD]));
	tux_out[PARENT].min_flt = flt[PARENT];
	tux_out[CHILD].min_flt = flt[CHILD];
	if (child)
		tuxmm_task_exit(child);
	tuxmm_task_exit(t);
	if (!ok)
		fprintf(stderr, "diff_smaps: the tuxmm side failed\n");
	return ok;
}

/* ---- comparing ---- */

static bool same(const struct counters *h, const struct counters *x, bool *dirt_only)
{
	*dirt_only = false;
	if (h->valid != x->valid || h->file_rss != x->file_rss || h->min_flt != x->min_flt ||
	    memcmp(h->pm, x->pm, sizeof(h->pm)))
		return false;
	for (int i = 0; i < NR_FIELDS; i++)
		if (h->v[i] != x->v[i])
			goto split;
	return true;
split:
	/*
	 * With file pages, the host's tmpfs pages are PG_dirty and PG_referenced from their
	 * write() (shmem_get_folio(SGP_WRITE)): clean + dirty totals only, Referenced not at all.
	 */
	if (!h->file_rss)
		return false;
	for (int i = 0; i < NR_FIELDS; i++)
		if ((i < SHARED_CLEAN || i > PRIVATE_DIRTY) && i != REFERENCED &&
		    h->v[i] != x->v[i])
			return false;
	if (h->v[SHARED_CLEAN] + h->v[SHARED_DIRTY] != x->v[SHARED_CLEAN] + x->v[SHARED_DIRTY] ||
	    h->v[PRIVATE_CLEAN] + h->v[PRIVATE_DIRTY] !=
	    x->v[PRIVATE_CLEAN] + x->v[PRIVATE_DIRTY])
		return false;
	*dirt_only = true;
	return true;
}

static void print_counters(const char *side, const struct counters *c)
{
	printf("#   %-6s", side);
	for (int i = 0; i < NR_FIELDS; i++)
		printf(" %s %lu", field_names[i], c->v[i]);
	printf(" (file Rss %lu) minor faults %lu\n#   %-6s pagemap flags >> 55:", c->file_rss,
	       c->min_flt, side);
	for (int i = 0; i < PM_PAGES; i++)
		printf(" %llx", (unsigned long long)(c->pm[i] >> 55));
	printf("\n");
}

static bool check_case(const struct scase *sc)
{
	bool ok = true, dirt, relaxed = false;

	if (!host_run(sc) || !tux_run(sc)) {
		printf("not ok - %s: a side failed\n", sc->name);
		return false;
	}
	for (int w = PARENT; w <= CHILD; w++) {
		if (same(&host_out[w], &tux_out[w], &dirt)) {
			relaxed |= dirt;
			continue;
		}
		if (ok)
			printf("not ok - %s\n", sc->name);
		ok = false;
		printf("#  %s:\n", w == PARENT ? "parent" : "child");
		print_counters("host", &host_out[w]);
		print_counters("tuxmm", &tux_out[w]);
	}
	if (ok)
		printf("ok - %s%s\n", sc->name,
		       relaxed ? " (tmpfs pages: clean + dirty totals, no Referenced)" : "");
	return ok;
}

/* The host maps a fresh page, not the zero page, on a read of private anonymous memory. */
static bool host_has_no_zero_page(void)
{
	static char cmdline[4096];

	read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	return strstr(cmdline, "pvm_no_zero_page=1") != NULL;
}

static bool make_test_file(void)
{
	static char page[PG];
	int fd;

	snprintf(file_path, sizeof(file_path), "/dev/shm/tuxmm-diff-smaps-XXXXXX");
	fd = mkstemp(file_path);
	if (fd < 0)
		return false;
	for (unsigned long i = 0; i < FILE_PAGES; i++) {
		memset(page, (int)('a' + i % 26), sizeof(page));
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			unlink(file_path);
			return false;
		}
	}
	host_fd = fd;
	return true;
}

int main(void)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	struct tuxmm_config cfg;
	unsigned long failed = 0, skipped = 0;
	bool no_zero_page;

	if (sysconf(_SC_PAGESIZE) != (long)PG) {
		printf("# SKIP: the host's page size is not 4 KiB\n");
		return 0;
	}
	if (!make_test_file()) {
		printf("# SKIP: no tmpfs at /dev/shm\n");
		return 0;
	}
	host_out = mmap(NULL, 2 * sizeof(*host_out), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	text_buf = malloc(TEXT_MAX);
	no_zero_page = host_has_no_zero_page();
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 64ULL << 20;
	if (host_out == MAP_FAILED || !text_buf || tuxmm_boot(&cfg, &machine, err)) {
		fprintf(stderr, "diff_smaps: setup: %s\n", err);
		unlink(file_path);
		return 1;
	}
	if (no_zero_page)
		printf("# the host has pvm_no_zero_page=1: zero-page cases skipped\n");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (no_zero_page && cases[i].reads_zero_page) {
			printf("ok - %s # SKIP no zero page on the host\n", cases[i].name);
			skipped++;
			continue;
		}
		if (!check_case(&cases[i]))
			failed++;
	}
	printf("# %zu cases, %lu skipped, %lu differences\n", ARRAY_SIZE(cases), skipped, failed);
	tuxmm_machine_destroy(machine);
	close(host_fd);
	unlink(file_path);
	free(text_buf);
	return failed ? 1 : 0;
}
