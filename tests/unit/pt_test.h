/*
 * pt_test.h - helpers shared by the page-table, MMU, TLB and vmalloc tests:
 * every (levels, page size) the configuration allows, and mapping a fresh
 * page into a test address space with chosen flags.
 */
#ifndef TUXMM_PT_TEST_H
#define TUXMM_PT_TEST_H

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "mm.h"
#include "pgtable.h"
#include "tlb.h"

struct pt_layout {
	unsigned int levels;
	unsigned int page_shift;
};

/* Every combination tuxmm accepts (see docs/arch.md). */
static const struct pt_layout pt_layouts[] = {
	{ 2, 12 }, { 3, 12 }, { 4, 12 }, { 5, 12 },
	{ 2, 14 }, { 3, 14 }, { 4, 14 },
	{ 2, 16 }, { 3, 16 }, { 4, 16 },
};

#define NR_PT_LAYOUTS (sizeof(pt_layouts) / sizeof(pt_layouts[0]))

static inline struct machine *pt_boot(unsigned int levels, unsigned int page_shift,
				      unsigned int nr_cpus)
{
	struct tuxmm_config cfg;

	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = levels;
	cfg.page_shift = page_shift;
	cfg.nr_cpus = nr_cpus;
	return test_boot_cfg(&cfg);
}

/* A new user address space, loaded on @cpu. */
static inline void pt_new_space(struct machine *m, struct pgd_root *root, unsigned int cpu)
{
	assert_int_equal(pgd_alloc(m, root), 0);
	switch_mm(m, cpu, root);
}

/* Map a fresh zeroed page at @addr in @root with leaf protection @prot. */
static inline struct page *pt_map_page(struct machine *m, struct pgd_root *root,
				       unsigned long addr, pteval_t prot)
{
	struct page *page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);

	assert_non_null(page);
	assert_int_equal(pgtable_map_range(m, root, addr, page_to_phys(m, page), m->page_size,
					   __pgprot(prot), m->page_size), 0);
	return page;
}

/* Unmap @addr's page (clear, flush, free tables) and free the page. */
static inline void pt_unmap_page(struct machine *m, struct pgd_root *root, unsigned long addr,
				 struct page *page)
{
	pgtable_unmap_range(m, root, addr, m->page_size);
	__free_pages(m, page, 0);
}

/* A user address with a different, non-zero index at every level. */
static inline unsigned long pt_user_addr(struct machine *m)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long addr = 0;

	for (unsigned int hw = 0; hw < g->levels; hw++) {
		unsigned long ptrs = g->hw[hw].ptrs;
		unsigned long idx = hw == 0 ? (ptrs > 2) : (3 + 2 * hw) % ptrs;

		addr |= idx << g->hw[hw].shift;
	}
	return addr + 0x18;
}

/* The value after "LABEL:" in a /proc text, e.g. "PageTables:" in /proc/meminfo. */
static inline unsigned long pt_proc_value(struct machine *m, const char *path, const char *label)
{
	char *text = test_proc(m, path);
	char *p = strstr(text, label);
	unsigned long v;

	assert_non_null(p);
	v = strtoul(p + strlen(label), NULL, 10);
	free(text);
	return v;
}

#endif
