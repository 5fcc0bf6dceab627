/*
 * filemap_test.h - helpers for the page-cache tests: host files with a known
 * pattern, user reads and writes through the simulated MMU, /proc counters.
 */
#ifndef TUXMM_FILEMAP_TEST_H
#define TUXMM_FILEMAP_TEST_H

#include <fcntl.h>

#include "mm_test.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "tlb.h"

/* pattern - the byte a test file holds at @off: never 0, so zero-fill shows. */
static inline uint8_t pattern(uint64_t off)
{
	return (uint8_t)((off * 7 + off / PG + 1) % 251 + 1);
}

/* make_pattern_file - a host file of @size bytes of pattern() in /dev/shm (or /tmp). */
static inline void make_pattern_file(char *path, size_t pathlen, uint64_t size)
{
	static uint8_t buf[1 << 16];
	int fd;

	snprintf(path, pathlen, "/dev/shm/tuxmm-fm-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		snprintf(path, pathlen, "/tmp/tuxmm-fm-XXXXXX");
		fd = mkstemp(path);
	}
	assert_true(fd >= 0);
	for (uint64_t off = 0; off < size; off += sizeof(buf)) {
		size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + i);
		assert_int_equal(pwrite(fd, buf, n, (off_t)off), (ssize_t)n);
	}
	close(fd);
}

/* host_byte - the byte at @off of host file @path, as another process would read it. */
static inline int host_byte(const char *path, uint64_t off)
{
	uint8_t b;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = pread(fd, &b, 1, (off_t)off);
	close(fd);
	return n == 1 ? b : -1;
}

/* uread / uwrite - user-mode accesses by @t on CPU 0: 0 or the fault outcome (SIGBUS ...). */
static inline vm_fault_t uread(struct task_struct *t, unsigned long addr, void *buf, size_t len)
{
	switch_mm(t->machine, 0, &t->mm->pgd);
	return mmu_read(t->machine, 0, addr, buf, len, MMU_USER);
}

static inline vm_fault_t uwrite(struct task_struct *t, unsigned long addr, const void *buf,
				size_t len)
{
	switch_mm(t->machine, 0, &t->mm->pgd);
	return mmu_write(t->machine, 0, addr, buf, len, MMU_USER);
}

static inline int ubyte(struct task_struct *t, unsigned long addr)
{
	uint8_t b;

	return uread(t, addr, &b, 1) ? -1 : b;
}

static inline void uput(struct task_struct *t, unsigned long addr, uint8_t b)
{
	assert_int_equal(uwrite(t, addr, &b, 1), 0);
}

/* proc_field - the number after "@name" at a line start of /proc file @path (-1: none). */
static inline long proc_field(struct machine *m, const char *path, const char *name)
{
	char *text = test_proc(m, path), *p = text;
	size_t n = strlen(name);
	long v = -1;

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ':' || p[n] == ' ')) {
			v = strtol(p + n + 1, NULL, 10);
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(text);
	return v;
}

static inline long meminfo_kb(struct machine *m, const char *name)
{
	return proc_field(m, "/proc/meminfo", name);
}

static inline long vmstat(struct machine *m, const char *name)
{
	return proc_field(m, "/proc/vmstat", name);
}

/* map_file - mmap descriptor @fd at BASE + @at pages, fixed; the test fails unless it works. */
static inline void map_file(struct task_struct *t, unsigned long at, unsigned long pages, int prot,
			    int flags, int fd, unsigned long off_pages)
{
	long r = tuxmm_mmap(t, BASE + at * PG, pages * PG, prot, flags | MAP_FIXED, fd,
			    off_pages * PG);

	if (r != (long)(BASE + at * PG))
		fail_msg("mmap at page %lu: %s", at, tuxmm_errno_name((int)r));
}

/* file_mapping - the page cache behind descriptor @fd of @t. */
static inline struct address_space *file_mapping(struct task_struct *t, int fd)
{
	return fget(t, fd)->f_mapping;
}

/* nr_free_settled - free pages once per-CPU lists and empty slabs are given back. */
static inline unsigned long nr_free_settled(struct machine *m)
{
	slab_shrink_all(m);
	drain_all_pages(m);
	return nr_free_pages(m);
}

#endif
