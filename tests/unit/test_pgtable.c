/*
 * test_pgtable.c - page-table geometry for every level count and page size,
 * the entry encoding seen by a walk, Linux's folded pgd->p4d->pud->pmd->pte
 * helpers, the direct map, PGDs sharing the kernel half, PageTables
 * accounting, and random map/unmap sequences checked by pgtable_check().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pt_test.h"
#include "printk.h"
#include "report.h"
#include "tlb.h"
#include "vmalloc.h"

#define MiB (1UL << 20)
#define USER_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX)
#define GiB (1UL << 30)

struct expect {
	unsigned int levels, page_shift, va_bits;
	unsigned int pgdir_shift;
	unsigned long ptrs_per_pgd;
	unsigned int pgd_order;
	unsigned long task_size, page_offset, vmalloc_start, vmalloc_end;
};

static const struct expect layouts[] = {
	{ 2, 12, 32, 21, 2048, 2, 0xc0000000UL, 0xc0000000UL, 0xc4800000UL, 0xff7fe000UL },
	{ 3, 12, 40, 30, 1024, 1, 1UL << 39, 0xffffff8000000000UL, 0xffffffc080000000UL,
	  0xfffffffebf800000UL },
	{ 4, 12, 48, 39, 512, 0, 0x00007ffffffff000UL, 0xffff888000000000UL,
	  0xffffc90000000000UL, 0xffffe8ffffffffffUL },
	{ 5, 12, 57, 48, 512, 0, 0x00fffffffffff000UL, 0xff11000000000000UL,
	  0xffa0000000000000UL, 0xffd1ffffffffffffUL },
	{ 2, 14, 37, 25, 4096, 1, 1UL << 36, 0xfffffff000000000UL, 0xfffffff880000000UL,
	  0xffffffffb7800000UL },
	{ 3, 14, 48, 36, 4096, 1, 0x00007fffffffc000UL, 0xffff888000000000UL,
	  0xffffc90000000000UL, 0xffffe8ffffffffffUL },
	{ 4, 14, 48, 47, 2, 0, 0x00007fffffffc000UL, 0xffff888000000000UL,
	  0xffffc90000000000UL, 0xffffe8ffffffffffUL },
	{ 2, 16, 43, 29, 16384, 1, 1UL << 42, 0xfffffc0000000000UL, 0xfffffe0080000000UL,
	  0xffffffff3f800000UL },
	{ 3, 16, 48, 42, 64, 0, 0x00007fffffff0000UL, 0xffff888000000000UL,
	  0xffffc90000000000UL, 0xffffe8ffffffffffUL },
	{ 4, 16, 57, 55, 4, 0, 0x00ffffffffff0000UL, 0xff11000000000000UL,
	  0xffa0000000000000UL, 0xffd1ffffffffffffUL },
};

static void geometry_matches_each_layout(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		const struct expect *e = &layouts[i];
		struct machine *m = pt_boot(e->levels, e->page_shift, 1);
		const struct pgtable_geometry *g = &m->arch.geo;
		const struct kernel_layout *l = &m->arch.layout;

		assert_int_equal(g->levels, e->levels);
		assert_int_equal(g->va_bits, e->va_bits);
		assert_int_equal(g->shift[PT_PGD], e->pgdir_shift);
		assert_int_equal(g->ptrs[PT_PGD], e->ptrs_per_pgd);
		assert_int_equal(g->pgd_order, e->pgd_order);
		/* A full table holds a page of 8-byte entries. */
		assert_int_equal(g->ptrs[PT_PTE], m->page_size / 8);
		assert_int_equal(g->hw[g->levels - 1].ptrs, m->page_size / 8);
		assert_int_equal(l->task_size, e->task_size);
		assert_int_equal(l->page_offset, e->page_offset);
		assert_int_equal(l->vmalloc_start, e->vmalloc_start);
		assert_int_equal(l->vmalloc_end, e->vmalloc_end);
		/* Folded levels have one entry and the shift of the level above. */
		for (int lvl = PT_PMD; lvl <= PT_P4D; lvl++)
			if (g->folded[lvl])
				assert_int_equal(g->ptrs[lvl], 1);
		assert_int_equal(g->folded[PT_P4D], e->levels < 5);
		assert_int_equal(g->folded[PT_PMD], e->levels < 3);
		tuxmm_machine_destroy(m);
	}
}

static void expect_refused(struct tuxmm_config *cfg, const char *needle)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	struct machine *m = NULL;

	assert_int_equal(tuxmm_boot(cfg, &m, err), -EINVAL);
	assert_null(m);
	if (!strstr(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void impossible_combinations_are_refused_at_boot(void **state)
{
	struct tuxmm_config cfg;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.page_shift = 14;
	cfg.pgtable_levels = 5;
	expect_refused(&cfg, "--levels 2, 3 or 4");
	cfg.page_shift = 16;
	cfg.pgtable_levels = 5;
	expect_refused(&cfg, "--levels 2, 3 or 4 with --page-size 64K");

	/* The i386 layout's direct map stops below 896 MiB (no highmem). */
	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = 2;
	cfg.ram_bytes = 1ULL << 30;
	expect_refused(&cfg, "887 MiB");
	cfg.ram_bytes = 880ULL << 20;
	tuxmm_machine_destroy(test_boot_cfg(&cfg));

	/* arm64 36-bit: a 32 GiB linear map, and RAM above 3 GiB starts at 4 GiB. */
	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = 2;
	cfg.page_shift = 14;
	cfg.ram_bytes = 32ULL << 30;
	expect_refused(&cfg, "32768 MiB");

	tuxmm_config_init(&cfg);
	cfg.tlb_entries = 100;
	cfg.tlb_ways = 3;
	expect_refused(&cfg, "TLB");
}

static void walk_encodes_every_level(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		const struct pgtable_geometry *g = &m->arch.geo;
		unsigned long addr = pt_user_addr(m);
		struct pgd_root root;
		struct page *page;
		struct pt_walk w;

		pt_new_space(m, &root, 0);
		page = pt_map_page(m, &root, addr & ~(m->page_size - 1), USER_PROT);
		assert_true(pgtable_walk(m, root.pgd, addr, &w));
		assert_int_equal(w.nr_steps, g->levels);
		for (unsigned int hw = 0; hw < g->levels; hw++) {
			const struct pt_walk_step *s = &w.step[hw];

			assert_int_equal(s->index,
					 (addr >> g->hw[hw].shift) & (g->hw[hw].ptrs - 1));
			if (hw + 1 < g->levels) {
				/* Upper entries of a user table: present, writable, user, no NX. */
				assert_int_equal(s->val & PTE_FLAGS_MASK, _PAGE_TABLE);
				assert_true(PageFlag(virt_to_page(m, pt_table_vaddr(m, s->val)),
						     PG_pgtable));
			}
		}
		assert_int_equal(w.step[g->levels - 1].val,
				 page_to_phys(m, page) | USER_PROT);
		assert_int_equal(w.phys, page_to_phys(m, page) + (addr & (m->page_size - 1)));
		assert_int_equal(w.leaf_shift, m->page_shift);
		assert_int_equal(root.pgtables_bytes, (long)((g->levels - 1) * m->page_size));
		assert_true(pgtable_check(m, &root));
		pt_unmap_page(m, &root, addr & ~(m->page_size - 1), page);
		assert_int_equal(root.pgtables_bytes, 0);
		pgd_free(m, &root);
		assert_true(pgtable_check_all(m));
		tuxmm_machine_destroy(m);
	}
}

static void folded_helpers_reach_the_same_pte(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		unsigned long addr = pt_user_addr(m) & ~(m->page_size - 1);
		struct pgd_root root;
		pgd_t *pgd;
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;
		struct page *page = alloc_pages(m, GFP_KERNEL, 0);

		assert_int_equal(pgd_alloc(m, &root), 0);
		/* Linux's allocation chain, one level at a time, through folded levels. */
		pgd = pgd_offset(m, &root, addr);
		p4d = p4d_alloc(m, &root, pgd, addr);
		assert_non_null(p4d);
		pud = pud_alloc(m, &root, p4d, addr);
		assert_non_null(pud);
		pmd = pmd_alloc(m, &root, pud, addr);
		assert_non_null(pmd);
		pte = pte_alloc_map(m, &root, pmd, addr);
		assert_non_null(pte);
		assert_true(pte_none(ptep_get(pte)));
		set_pte(pte, mk_pte(m, page, PAGE_SHARED));
		assert_ptr_equal(pgtable_lookup_pte(m, root.pgd, addr), pte);
		if (m->arch.geo.folded[PT_P4D])
			assert_ptr_equal((void *)p4d, (void *)pgd);
		if (m->arch.geo.folded[PT_PMD])
			assert_ptr_equal((void *)pmd, (void *)pud);
		assert_false(pgd_none(m, *pgd));
		assert_false(pmd_none(m, *pmd));
		assert_false(pmd_leaf(m, *pmd));
		assert_true(pte_present(ptep_get(pte)));
		assert_int_equal(pte_pfn(m, ptep_get(pte)), page_to_pfn(m, page));
		assert_int_equal(root.pgtables_bytes,
				 (long)((m->arch.geo.levels - 1) * m->page_size));
		assert_true(pgtable_check(m, &root));
		pte_clear(pte);
		pgtable_unmap_range(m, &root, addr, m->page_size);
		__free_pages(m, page, 0);
		pgd_free(m, &root);
		assert_true(pgtable_check_all(m));
		tuxmm_machine_destroy(m);
	}
}

static void pte_helpers_change_only_their_bit(void **state)
{
	struct machine *m = *state;
	pte_t pte = pfn_pte(m, 0x1234, PAGE_READONLY);

	(void)m;
	assert_true(pte_present(pte));
	assert_false(pte_write(pte));
	assert_true(pte_write(pte_mkwrite(pte)));
	assert_int_equal(pte_val(pte_wrprotect(pte_mkwrite(pte))), pte_val(pte));
	assert_true(pte_dirty(pte_mkdirty(pte)));
	assert_false(pte_dirty(pte_mkclean(pte_mkdirty(pte))));
	assert_true(pte_young(pte));
	assert_false(pte_young(pte_mkold(pte)));
	assert_false(pte_exec(pte));
	assert_true(pte_exec(pte_mkexec(pte)));
	assert_true(pte_user(pte));
	assert_int_equal(pte_pfn(m, pte_mkwrite(pte_mkdirty(pte))), 0x1234);
	/* PROT_NONE: not present to the MMU, present to Linux. */
	pte = pfn_pte(m, 0x1234, PAGE_NONE);
	assert_false(pte_val(pte) & _PAGE_PRESENT);
	assert_true(pte_present(pte));
	assert_true(pte_protnone(pte));
	pte = pte_modify(pte, PAGE_SHARED);
	assert_true(pte_write(pte));
	assert_int_equal(pte_pfn(m, pte), 0x1234);
	assert_true(pte_none(__pte(0)));
}

static void direct_map_covers_all_ram_supervisor_nx(void **state)
{
	static const unsigned int cfgs[][2] = { { 4, 12 }, { 3, 12 }, { 2, 12 }, { 2, 16 } };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cfgs); i++) {
		struct machine *m = pt_boot(cfgs[i][0], cfgs[i][1], 1);
		struct pt_walk w;

		for (unsigned long pfn = 0; pfn < m->max_pfn; pfn += 7) {
			phys_addr_t pa = ((phys_addr_t)pfn << m->page_shift) + 40;

			assert_true(pgtable_walk(m, m->arch.init_mm.pgd, phys_to_kva(m, pa), &w));
			assert_int_equal(w.phys, pa);
			assert_true(w.step[w.nr_steps - 1].val & _PAGE_NX);
			assert_true(w.step[w.nr_steps - 1].val & _PAGE_GLOBAL);
			for (unsigned int s = 0; s < w.nr_steps; s++)
				assert_false(w.step[s].val & _PAGE_USER);
		}
		/* Nothing past the end of RAM. */
		assert_false(pgtable_walk(m, m->arch.init_mm.pgd,
					  phys_to_kva(m, m->phys_size) + SZ_1G, &w));
		assert_ptr_equal(kva_to_host(m, phys_to_kva(m, 0x5000)), m->ram + 0x5000);
		assert_int_equal(host_to_kva(m, m->ram + 0x5000), phys_to_kva(m, 0x5000));
		tuxmm_machine_destroy(m);
	}
}

static void direct_map_uses_large_leaves_like_linux(void **state)
{
	unsigned long k4, k2, k1;
	struct tuxmm_config cfg;
	struct machine *m = test_boot(64 * MiB);
	struct pt_walk w;

	(void)state;
	/* [0, 2 MiB) in 4K pages (ISA range, then up to 2 MiB), the rest in 2M pages. */
	direct_map_sizes_kb(m, &k4, &k2, &k1);
	assert_int_equal(k4, 2048);
	assert_int_equal(k2, 63488);
	assert_int_equal(k1, 0);
	assert_non_null(strstr(tuxmm_dmesg(m), "init_memory_mapping: [mem 0x00000000-0x000fffff]"));
	assert_non_null(strstr(tuxmm_dmesg(m), "init_memory_mapping: [mem 0x00100000-0x03ffffff]"));
	tuxmm_machine_destroy(m);

	/* 64 GiB: GB pages, a handful of tables; the hole below 4 GiB stays unmapped. */
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 64ULL << 30;
	m = test_boot_cfg(&cfg);
	direct_map_sizes_kb(m, &k4, &k2, &k1);
	assert_int_equal(k4, 2048);
	assert_int_equal(k2, 1022 * 1024);
	assert_int_equal(k1, 63UL * 1024 * 1024);
	assert_int_equal(m->arch.nr_kernel_tables, 3);	/* PUD, PMD and PTE for [0, 2 MiB) */
	assert_non_null(strstr(tuxmm_dmesg(m), "Using GB pages for direct mapping"));
	assert_false(pgtable_walk(m, m->arch.init_mm.pgd, phys_to_kva(m, 0xd0000000UL), &w));
	assert_true(pgtable_walk(m, m->arch.init_mm.pgd, phys_to_kva(m, 0x800000000UL), &w));
	assert_int_equal(w.leaf_shift, 30);
	assert_true(pgtable_check_all(m));
	tuxmm_machine_destroy(m);
}

static void new_pgd_shares_the_kernel_half(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		unsigned long boundary = m->arch.layout.kernel_pgd_boundary;
		unsigned long ptrs = m->arch.geo.ptrs[PT_PGD];
		struct pgd_root a, b;
		unsigned long addr;

		assert_int_equal(pgd_alloc(m, &a), 0);
		/* A vmalloc far into the area makes new kernel tables after @a exists. */
		addr = vmalloc(m, m->page_size);
		assert_int_not_equal(addr, 0);
		assert_int_equal(pgd_alloc(m, &b), 0);
		assert_memory_equal(a.pgd + boundary, m->arch.init_mm.pgd + boundary,
				    (ptrs - boundary) * sizeof(pgd_t));
		assert_memory_equal(b.pgd + boundary, m->arch.init_mm.pgd + boundary,
				    (ptrs - boundary) * sizeof(pgd_t));
		for (unsigned long k = 0; k < boundary; k++)
			assert_int_equal(pgd_val(a.pgd[k]), 0);
		assert_true(pgtable_check_all(m));
		vfree(m, addr);
		pgd_free(m, &a);
		pgd_free(m, &b);
		assert_true(pgtable_check_all(m));
		tuxmm_machine_destroy(m);
	}
}

static void page_tables_are_counted_in_meminfo(void **state)
{
	struct machine *m = *state;
	unsigned long kb = m->page_size >> 10;
	unsigned long before = pt_proc_value(m, "/proc/meminfo", "PageTables:");
	long nr_before = global_node_page_state(m, NR_PAGETABLE);
	unsigned long addr = 0x400000;
	struct pgd_root root;
	struct page *page;

	/* Boot tables (swapper_pg_dir, the direct map) are not counted, as in Linux. */
	assert_int_equal(m->arch.nr_kernel_tables, m->arch.nr_boot_tables);
	pt_new_space(m, &root, 0);
	assert_int_equal(pt_proc_value(m, "/proc/meminfo", "PageTables:"), before + kb);
	page = pt_map_page(m, &root, addr, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER);
	assert_int_equal(pt_proc_value(m, "/proc/meminfo", "PageTables:"), before + 4 * kb);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), nr_before + 4);
	pt_unmap_page(m, &root, addr, page);
	assert_int_equal(pt_proc_value(m, "/proc/meminfo", "PageTables:"), before + kb);
	pgd_free(m, &root);
	assert_int_equal(pt_proc_value(m, "/proc/meminfo", "PageTables:"), before);
}

/* Random map/unmap of user ranges: pgtable_check after each step; no table survives. */
static void random_user_map_unmap(struct machine *m, uint64_t *rng)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	/* A window spanning several entries of the level below the PGD. */
	unsigned long span = 1UL << (g->hw[g->levels > 2 ? 1 : 0].shift + 2);
	unsigned long base = span, nr_pages = span >> m->page_shift;
	unsigned long free_before = nr_free_pages(m) + nr_pcp_pages(m);
	struct page *zero = alloc_pages(m, GFP_KERNEL, 0);
	struct pgd_root root;
	uint8_t *mapped = calloc(nr_pages, 1);

	assert_non_null(mapped);
	assert_non_null(zero);
	pt_new_space(m, &root, 0);
	for (int step = 0; step < 300; step++) {
		/* Page runs near the window's boundaries as often as inside it. */
		unsigned long first = test_rand(rng) % nr_pages;
		unsigned long n = 1 + test_rand(rng) % 64;
		bool map = test_rand(rng) % 3 != 0;

		if (test_rand(rng) % 2)
			first = nr_pages / 4 * (test_rand(rng) % 4) + test_rand(rng) % 8 -
				(test_rand(rng) % 2) * 8;
		first %= nr_pages;
		if (first + n > nr_pages)
			n = nr_pages - first;
		if (!n)
			continue;
		if (map) {
			for (unsigned long p = first; p < first + n; p++) {
				if (mapped[p])
					continue;
				unsigned long a = base + (p << m->page_shift);

				assert_int_equal(pgtable_map_range(m, &root, a,
								   page_to_phys(m, zero),
								   m->page_size, PAGE_READONLY,
								   m->page_size), 0);
				mapped[p] = 1;
			}
		} else {
			pgtable_unmap_range(m, &root, base + (first << m->page_shift),
					    n << m->page_shift);
			memset(mapped + first, 0, n);
		}
		if (step % 25 == 0 || step > 290)
			assert_true(pgtable_check(m, &root));
	}
	for (unsigned long p = 0; p < nr_pages; p += 37) {
		struct pt_walk w;

		assert_int_equal(pgtable_walk(m, root.pgd, base + (p << m->page_shift), &w),
				 mapped[p]);
	}
	pgtable_unmap_range(m, &root, base, span);
	assert_int_equal(pgtable_nr_tables(m, &root), 0);
	assert_int_equal(root.pgtables_bytes, 0);
	pgd_free(m, &root);
	assert_true(pgtable_check_all(m));
	__free_pages(m, zero, 0);
	drain_all_pages(m);
	assert_int_equal(nr_free_pages(m) + nr_pcp_pages(m), free_before);
	free(mapped);
}

/* The same in the kernel's vmalloc area: tables below the shared top level are freed. */
static void random_kernel_map_unmap(struct machine *m, uint64_t *rng)
{
	unsigned long base = m->vmap.start + (SZ_1G < m->vmap.end - m->vmap.start ? SZ_1G : 0);
	unsigned long span = 64UL << m->page_shift;
	unsigned long tables_before = m->arch.nr_kernel_tables;
	struct page *zero = alloc_pages(m, GFP_KERNEL, 0);

	assert_non_null(zero);
	for (int step = 0; step < 200; step++) {
		unsigned long first = test_rand(rng) % 64, n = 1 + test_rand(rng) % 16;

		if (first + n > 64)
			n = 64 - first;
		if (test_rand(rng) % 2) {
			for (unsigned long p = first; p < first + n; p++) {
				unsigned long a = base + (p << m->page_shift);
				struct pt_walk w;

				if (pgtable_walk(m, m->arch.init_mm.pgd, a, &w))
					continue;
				assert_int_equal(pgtable_map_range(m, &m->arch.init_mm, a,
								   page_to_phys(m, zero),
								   m->page_size, PAGE_KERNEL_RO,
								   m->page_size), 0);
			}
		} else {
			pgtable_unmap_range(m, &m->arch.init_mm, base + (first << m->page_shift),
					    n << m->page_shift);
		}
		if (step % 20 == 0)
			assert_true(pgtable_check_all(m));
	}
	pgtable_unmap_range(m, &m->arch.init_mm, base, span);
	/* What remains is at most the chain hanging from one new top-level entry. */
	assert_true(m->arch.nr_kernel_tables - tables_before <= 1);
	assert_true(pgtable_check_all(m));
	__free_pages(m, zero, 0);
}

static void random_map_unmap_leaks_no_tables(void **state)
{
	uint64_t rng = test_seed();

	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);

		random_user_map_unmap(m, &rng);
		random_kernel_map_unmap(m, &rng);
		tuxmm_machine_destroy(m);
	}
}

static void pgtable_check_catches_corruption(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x600000;
	struct pgd_root root;
	struct page *page;
	pte_t *pte, saved;
	pmd_t *pmd;
	pmd_t saved_pmd;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, _PAGE_PRESENT | _PAGE_USER);
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	saved = ptep_get(pte);
	set_pte(pte, __pte(pte_val(saved) | (1ULL << 50)));	/* above MAXPHYADDR */
	assert_false(pgtable_check(m, &root));
	assert_non_null(strstr(tuxmm_dmesg(m), "pgtable_check: reserved bits set"));
	set_pte(pte, saved);
	assert_true(pgtable_check(m, &root));
	/* A PMD entry pointing at an ordinary page instead of a table. */
	pmd = pmd_offset(m, pud_offset(m, p4d_offset(m, pgd_offset(m, &root, addr), addr), addr),
			 addr);
	saved_pmd = *pmd;
	set_pmd(pmd, __pmd(page_to_phys(m, page) | _PAGE_TABLE));
	assert_false(pgtable_check(m, &root));
	set_pmd(pmd, saved_pmd);
	/* A leaf mapping a free page. */
	__free_pages(m, page, 0);
	drain_all_pages(m);
	assert_false(pgtable_check(m, &root));
	pte_clear(pte);
	pgtable_unmap_range(m, &root, addr, m->page_size);
	pgd_free(m, &root);
	assert_true(pgtable_check_all(m));
}

/*
 * Physical addresses in a walk depend on what boot allocated before the
 * tables: keep the structure, indices, flags and virtual addresses, replace
 * each physical address (after "at ", "physical ", "pfn ", and the address
 * bits of an entry) with a placeholder.
 */
static void normalize_phys(const char *in, struct report *out)
{
	const char *p = in;

	while (*p) {
		static const char *const keys[] = { "at 0x", "physical 0x", "pfn 0x" };
		bool done = false;

		for (size_t k = 0; k < ARRAY_SIZE(keys) && !done; k++) {
			size_t n = strlen(keys[k]);

			if (strncmp(p, keys[k], n))
				continue;
			report_write(out, p, n - 2);
			report_printf(out, "PHYS");
			p += n;
			while (strchr("0123456789abcdef", *p) && *p)
				p++;
			done = true;
		}
		if (!done && !strncmp(p, ": 0x", 4) && strspn(p + 4, "0123456789abcdef") == 16) {
			unsigned long long v = strtoull(p + 4, NULL, 16);

			report_printf(out, ": 0x%016llx", v & ~PTE_ADDR_MASK);
			p += 20;
			done = true;
		}
		if (!done)
			report_putc(out, *p++);
	}
}

static void walk_show_prints_each_level(void **state)
{
	static const unsigned int cfgs[][2] = { { 4, 12 }, { 5, 12 }, { 3, 12 }, { 2, 12 },
						{ 3, 16 } };
	struct report r, norm;

	(void)state;
	report_init(&r);
	for (size_t i = 0; i < ARRAY_SIZE(cfgs); i++) {
		struct machine *m = pt_boot(cfgs[i][0], cfgs[i][1], 1);
		unsigned long addr = vmalloc(m, 2 * m->page_size);

		pgtable_walk_show(m, m->arch.init_mm.pgd, phys_to_kva(m, 0x1000), &r);
		pgtable_walk_show(m, m->arch.init_mm.pgd, phys_to_kva(m, 0x2345678), &r);
		pgtable_walk_show(m, m->arch.init_mm.pgd, addr + 0x10, &r);
		pgtable_walk_show(m, m->arch.init_mm.pgd, addr + 2 * m->page_size, &r);
		pgtable_walk_show(m, m->arch.init_mm.pgd, 0x400000, &r);
		report_printf(&r, "\n");
		vfree(m, addr);
		tuxmm_machine_destroy(m);
	}
	assert_int_equal(r.error, 0);
	report_init(&norm);
	normalize_phys(r.buf, &norm);
	test_golden("pgtable_walk.txt", norm.buf);
	report_free(&norm);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geometry_matches_each_layout),
		cmocka_unit_test(impossible_combinations_are_refused_at_boot),
		cmocka_unit_test(walk_encodes_every_level),
		cmocka_unit_test(folded_helpers_reach_the_same_pte),
		cmocka_unit_test_setup_teardown(pte_helpers_change_only_their_bit,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(direct_map_covers_all_ram_supervisor_nx),
		cmocka_unit_test(direct_map_uses_large_leaves_like_linux),
		cmocka_unit_test(new_pgd_shares_the_kernel_half),
		cmocka_unit_test_setup_teardown(page_tables_are_counted_in_meminfo,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(random_map_unmap_leaks_no_tables),
		cmocka_unit_test_setup_teardown(pgtable_check_catches_corruption,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(walk_show_prints_each_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
