/*
 * mm_test.h - helpers for the address-space tests: a task on a fresh machine,
 * the areas of a window as a compact string, slab and file leak checks.
 * Areas are written "start-end rwxp" in pages from the window's base, comma-separated.
 */
#ifndef TUXMM_MM_TEST_H
#define TUXMM_MM_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "fs.h"
#include "host_file.h"
#include "mman.h"
#include "vma.h"

#define PG 4096UL			/* the default machine's page size */
#define BASE 0x10000000UL		/* a window far from the heap, stack and mmap_base */
#define RW (PROT_READ | PROT_WRITE)
#define PA (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAF (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

struct mm_fixture {
	struct machine *m;
	struct task_struct *t;
};

/* mm_setup - cmocka setup: a 64 MiB machine and one task; *state is a struct mm_fixture. */
static inline int mm_setup(void **state)
{
	struct mm_fixture *f = calloc(1, sizeof(*f));

	f->m = test_boot(64ULL << 20);
	assert_int_equal(tuxmm_spawn(f->m, "test", &f->t), 0);
	*state = f;
	return 0;
}

static inline int mm_teardown(void **state)
{
	struct mm_fixture *f = *state;

	tuxmm_machine_destroy(f->m);
	free(f);
	return 0;
}

static inline struct task_struct *T(void **state)
{
	return ((struct mm_fixture *)*state)->t;
}

static inline struct machine *M(void **state)
{
	return ((struct mm_fixture *)*state)->m;
}

/* Map @pages pages at BASE + @at pages, fixed; the test fails unless it works. */
static inline void map_at(struct task_struct *t, unsigned long at, unsigned long pages, int prot)
{
	long r = tuxmm_mmap(t, BASE + at * PG, pages * PG, prot, PAF, -1, 0);

	if (r != (long)(BASE + at * PG))
		fail_msg("mmap at page %lu: %s", at, tuxmm_errno_name((int)r));
}

/* areas - the areas inside [BASE, BASE + 4 GiB) as "0-2 rw-p,2-3 r--p" (pages from BASE). */
static inline const char *areas(struct task_struct *t)
{
	static char buf[8192];
	struct vm_area_struct *vma;
	size_t n = 0;

	buf[0] = '\0';
	for_each_vma(t->mm, vma) {
		unsigned long f = vma->vm_flags;

		if (vma->vm_start < BASE || vma->vm_start >= BASE + (4UL << 30))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%lu-%lu %c%c%c%c", n ? "," : "",
				      (vma->vm_start - BASE) / PG, (vma->vm_end - BASE) / PG,
				      f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
				      f & VM_EXEC ? 'x' : '-', f & VM_MAYSHARE ? 's' : 'p');
	}
	return buf;
}

static inline int nr_vmas(struct task_struct *t)
{
	return t->mm->map_count;
}

/* slab_active - objects in use in cache @name (after flushing per-CPU slabs). */
static inline long slab_active(struct machine *m, const char *name)
{
	char *text, *line;
	long active = -1;

	slab_shrink_all(m);
	text = test_proc(m, "/proc/slabinfo");
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char cache[64];
		long a;

		if (sscanf(line, "%63s %ld", cache, &a) == 2 && !strcmp(cache, name))
			active = a;
	}
	free(text);
	return active;
}

/* A host file of @size bytes for file mappings; the caller unlinks it. */
static inline void make_file(char *path, size_t pathlen, unsigned long size)
{
	int fd;

	snprintf(path, pathlen, "/tmp/tuxmm-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

#endif
