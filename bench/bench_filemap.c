/*
 * bench_filemap.c - the page cache beside this host's kernel, in one run:
 * file read faults per page with a cold cache (read from the host file) and a
 * warm one, against the real kernel touching every page of the same file
 * mapped from /dev/shm (cached); msync writeback per page against raw pwrite
 * of the same bytes. One line per figure, the median of several runs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#include "bench.h"

#define PGSZ 4096UL
#define AT   0x200000000UL

struct ctx {
	struct machine *m;
	struct task_struct *t;
	char path[64];
	unsigned long pages;
	int runs;
};

static void print_pair(const char *name, unsigned long pages, double tux, double lin)
{
	printf("bench=%s pages=%lu tuxmm_ns=%.1f linux_ns=%.1f ratio=%.2f\n", name, pages, tux,
	       lin, tux / lin);
}

/* linux_touch - the real kernel: map the file, read one byte per page, unmap. ns per page. */
static double linux_touch(struct ctx *c)
{
	int fd = open(c->path, O_RDONLY);
	volatile const char *p;
	double t0, dt;
	long sum = 0;

	p = mmap(NULL, c->pages * PGSZ, PROT_READ, MAP_PRIVATE, fd, 0);
	t0 = bench_now_ns();
	for (unsigned long i = 0; i < c->pages; i++)
		sum += p[i * PGSZ];
	dt = bench_now_ns() - t0;
	bench_keep(sum);
	munmap((void *)p, c->pages * PGSZ);
	close(fd);
	return dt / (double)c->pages;
}

/* tux_touch - the same in tuxmm; @fd -1: open anew (the cache dies with the mapping). */
static double tux_touch(struct ctx *c, int fd)
{
	unsigned long len = c->pages * PGSZ;
	double t0, dt;

	if (fd < 0)
		tuxmm_mmap_path(c->t, AT, len, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED,
				c->path, 0);
	else
		tuxmm_mmap(c->t, AT, len, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED, fd,
			   0);
	t0 = bench_now_ns();
	tuxmm_touch(c->t, AT, len, false, NULL);
	dt = bench_now_ns() - t0;
	tuxmm_munmap(c->t, AT, len);
	return dt / (double)c->pages;
}

static void read_faults(struct ctx *c)
{
	double cold[16], warm[16], lin[16];
	int fd;

	linux_touch(c);
	tux_touch(c, -1);	/* warm up the slab caches; the page cache dies with the file */
	for (int r = 0; r < c->runs; r++) {
		cold[r] = tux_touch(c, -1);
		lin[r] = linux_touch(c);
	}
	/* An open descriptor keeps the inode, and so its cache, between the runs. */
	fd = tuxmm_open(c->t, c->path, TUXMM_O_RDONLY, 0);
	tux_touch(c, fd);
	for (int r = 0; r < c->runs; r++)
		warm[r] = tux_touch(c, fd);
	tuxmm_close(c->t, fd);
	print_pair("file_fault_cold", c->pages, bench_median(cold, c->runs),
		   bench_median(lin, c->runs));
	print_pair("file_fault_warm", c->pages, bench_median(warm, c->runs),
		   bench_median(lin, c->runs));
}

/* One dirtied byte per page, then msync(MS_SYNC) timed; beside pwrite of each page. */
static void writeback(struct ctx *c)
{
	unsigned long len = c->pages * PGSZ;
	double tux[16], raw[16], t0;
	int fd = tuxmm_open(c->t, c->path, TUXMM_O_RDWR, 0);
	int hfd = open(c->path, O_RDWR);
	static char buf[PGSZ];

	tuxmm_mmap(c->t, AT, len, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
		   TUXMM_MAP_SHARED | TUXMM_MAP_FIXED, fd, 0);
	for (int r = 0; r < c->runs; r++) {
		for (unsigned long i = 0; i < c->pages; i++)
			tuxmm_write(c->t, AT + i * PGSZ, 1, (uint64_t)r, NULL);
		t0 = bench_now_ns();
		tuxmm_msync(c->t, AT, len, TUXMM_MS_SYNC);
		tux[r] = (bench_now_ns() - t0) / (double)c->pages;
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < c->pages; i++)
			if (pwrite(hfd, buf, PGSZ, (off_t)(i * PGSZ)) != (ssize_t)PGSZ)
				break;
		raw[r] = (bench_now_ns() - t0) / (double)c->pages;
	}
	tuxmm_munmap(c->t, AT, len);
	tuxmm_close(c->t, fd);
	close(hfd);
	printf("bench=msync_writeback pages=%lu tuxmm_ns=%.1f pwrite_ns=%.1f ratio=%.2f "
	       "tuxmm_mb_s=%.0f pwrite_mb_s=%.0f\n",
	       c->pages, bench_median(tux, c->runs), bench_median(raw, c->runs),
	       bench_median(tux, c->runs) / bench_median(raw, c->runs),
	       PGSZ / bench_median(tux, c->runs) * 1e3, PGSZ / bench_median(raw, c->runs) * 1e3);
}

int main(int argc, char **argv)
{
	bool quick = bench_quick(argc, argv);
	struct tuxmm_config cfg;
	char err[TUXMM_ERRMSG_MAX];
	struct ctx c = { .pages = quick ? 512 : 16384, .runs = quick ? 3 : 9 };
	static char page[PGSZ];
	int fd;

	snprintf(c.path, sizeof(c.path), "/dev/shm/tuxmm-bench-XXXXXX");
	fd = mkstemp(c.path);
	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	for (unsigned long i = 0; i < c.pages; i++) {
		memset(page, (int)(i & 0xff), sizeof(page));
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
			return 1;
	}
	close(fd);
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 512ULL << 20;
	if (tuxmm_boot(&cfg, &c.m, err) || tuxmm_spawn(c.m, "bench", &c.t)) {
		fprintf(stderr, "bench_filemap: boot: %s\n", err);
		unlink(c.path);
		return 1;
	}
	read_faults(&c);
	writeback(&c);
	tuxmm_machine_destroy(c.m);
	unlink(c.path);
	return 0;
}
