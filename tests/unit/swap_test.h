/*
 * swap_test.h - helpers for the swap and reclaim tests: a machine with a swap
 * file in a private directory, page patterns written and checked, counters.
 */
#ifndef TUXMM_SWAP_TEST_H
#define TUXMM_SWAP_TEST_H

#include <sys/stat.h>

#include "fault_test.h"
#include "swap.h"

#define MiB (1ULL << 20)

struct swap_fixture {
	struct machine *m;
	struct task_struct *t;
	char dir[64];
	char path[2][96];
};

/* swap_boot - @ram bytes of RAM, one task, and a swap file of @swap bytes (0: none) on. */
static inline struct swap_fixture *swap_boot(uint64_t ram, uint64_t swap)
{
	struct swap_fixture *f = calloc(1, sizeof(*f));
	char err[TUXMM_ERRMSG_MAX] = "";

	strcpy(f->dir, "/tmp/tuxmm-swaptest-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	for (int i = 0; i < 2; i++)
		snprintf(f->path[i], sizeof(f->path[i]), "%s/swap%d", f->dir, i);
	f->m = test_boot(ram);
	if (swap) {
		if (tuxmm_mkswap(f->path[0], swap, 4096, 7, err))
			fail_msg("mkswap: %s", err);
		if (tuxmm_swapon(f->m, f->path[0], -1, err))
			fail_msg("swapon: %s", err);
	}
	assert_int_equal(tuxmm_spawn(f->m, "swaptest", &f->t), 0);
	return f;
}

static inline void swap_destroy(struct swap_fixture *f)
{
	tuxmm_machine_destroy(f->m);
	for (int i = 0; i < 2; i++)
		unlink(f->path[i]);
	rmdir(f->dir);
	free(f);
}

/* The word a page holds at word @w for pattern @seed: all differ. */
static inline uint64_t pat(uint64_t seed, unsigned long page, unsigned int w)
{
	return (seed << 40) ^ (page << 12) ^ (w * 0x9e3779b97f4a7c15ULL) ^ 0xa5a5;
}

/* fill_pages - write pattern @seed to the 8 checked words of @n pages at BASE + @at pages. */
static inline void fill_pages(struct task_struct *t, unsigned long at, unsigned long n,
			      uint64_t seed)
{
	for (unsigned long p = at; p < at + n; p++)
		for (unsigned int w = 0; w < 8; w++)
			wr(t, BASE + p * PG + w * 512, pat(seed, p, w));
}

/* check_pages - the 8 words of each page read back as fill_pages wrote them. */
static inline void check_pages(struct task_struct *t, unsigned long at, unsigned long n,
			       uint64_t seed)
{
	for (unsigned long p = at; p < at + n; p++)
		for (unsigned int w = 0; w < 8; w++) {
			uint64_t v = rd(t, BASE + p * PG + w * 512);

			if (v != pat(seed, p, w))
				fail_msg("pid %d page %lu word %u: %#llx, want %#llx", t->pid, p, w,
					 (unsigned long long)v,
					 (unsigned long long)pat(seed, p, w));
		}
}

static inline unsigned long vmev(struct machine *m, const char *name)
{
	unsigned long v = 0;

	assert_int_equal(tuxmm_vm_event(m, name, &v), 0);
	return v;
}

/* meminfo_kb - a /proc/meminfo field in kB. */
static inline unsigned long meminfo_kb(struct machine *m, const char *field)
{
	char *text = test_proc(m, "/proc/meminfo"), *p = strstr(text, field);
	unsigned long v = 0;

	assert_non_null(p);
	sscanf(p + strlen(field), " %lu", &v);
	free(text);
	return v;
}

/* swap_ptes - swap entries in the PTEs of [BASE + at, + n pages) of @t. */
static inline unsigned long swap_ptes(struct task_struct *t, unsigned long at, unsigned long n)
{
	unsigned long nr = 0;

	for (unsigned long p = at; p < at + n; p++)
		nr += is_swap_pte(pte_at(t, BASE + p * PG));
	return nr;
}

/* check_all - every validator, swap's included. */
static inline void check_all(struct machine *m)
{
	check_machine(m);
	assert_true(swap_check(m));
}

#endif
