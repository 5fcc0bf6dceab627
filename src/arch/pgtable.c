/*
 * pgtable.c - page tables in simulated RAM: the geometry for each level count
 * and page size, table allocation with Linux's folding, address spaces (PGDs
 * sharing the kernel half), mapping and unmapping ranges, walks and checks.
 * Follows Linux mm/memory.c (__pXd_alloc), arch/x86/mm/pgtable.c (pgd_alloc,
 * pgd_list) and mm/pgtable-generic.c.
 * Keeps: a table page is PG_pgtable with page->index its level; every PGD on
 * pgd_list has swapper_pg_dir's kernel-half entries; tables allocated after
 * boot are counted in NR_PAGETABLE, user ones also in their root's bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm.h"
#include "pgtable.h"
#include "printk.h"
#include "report.h"
#include "tlb.h"

/* ---- geometry ---- */

/*
 * What --levels means with each page size. Entries are 8 bytes, so a table
 * holds page_size / 8 of them; the top table may be smaller or larger than a
 * page (arm64's PGDs are smaller, i386's and arm64's split ones larger here).
 */
static const struct {
	unsigned int page_shift, levels, va_bits;
	bool sign_extend;
	const char *name;
} layouts[] = {
	{ 12, 2, 32, false, "i386 2-level (32-bit)" },
	{ 12, 3, 40, true, "arm64 39-bit (3-level)" },
	{ 12, 4, 48, true, "x86-64 4-level (48-bit)" },
	{ 12, 5, 57, true, "x86-64 5-level (57-bit)" },
	{ 14, 2, 37, true, "arm64 36-bit (2-level, 16K)" },
	{ 14, 3, 48, true, "x86-64 48-bit (3-level, 16K)" },
	{ 14, 4, 48, true, "x86-64 48-bit (4-level, 16K)" },
	{ 16, 2, 43, true, "arm64 42-bit (2-level, 64K)" },
	{ 16, 3, 48, true, "x86-64 48-bit (3-level, 64K)" },
	{ 16, 4, 57, true, "x86-64 57-bit (4-level, 64K)" },
};

static const char *const level_names[PT_NR_LEVELS] = { "PTE", "PMD", "PUD", "P4D", "PGD" };

int pgtable_geometry_init(struct pgtable_geometry *geo, unsigned int levels,
			  unsigned int page_shift, char *err)
{
	unsigned int b = page_shift - 3, cur, i, hw;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(layouts); k++)
		if (layouts[k].page_shift == page_shift && layouts[k].levels == levels)
			break;
	if (k == ARRAY_SIZE(layouts)) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "%u page-table levels with %luK pages would translate more than 57 bits: "
			 "give --levels 2, 3 or 4 with --page-size %luK", levels,
			 (1UL << page_shift) >> 10, (1UL << page_shift) >> 10);
		return -EINVAL;
	}
	memset(geo, 0, sizeof(*geo));
	geo->levels = levels;
	geo->page_shift = page_shift;
	geo->va_bits = layouts[k].va_bits;
	geo->sign_extend = layouts[k].sign_extend;
	geo->layout_name = layouts[k].name;

	/* Levels fold from the top down: 4 levels drop P4D, 3 also PUD, 2 also PMD. */
	geo->folded[PT_P4D] = levels < 5;
	geo->folded[PT_PUD] = levels < 4;
	geo->folded[PT_PMD] = levels < 3;
	geo->shift[PT_PTE] = page_shift;
	geo->ptrs[PT_PTE] = 1UL << b;
	cur = page_shift + b;
	for (i = PT_PMD; i <= PT_P4D; i++) {
		if (geo->folded[i])
			continue;
		geo->shift[i] = cur;
		geo->ptrs[i] = 1UL << b;
		cur += b;
	}
	geo->shift[PT_PGD] = cur;
	geo->ptrs[PT_PGD] = 1UL << (geo->va_bits - cur);
	for (i = PT_P4D; i >= PT_PMD; i--) {
		if (!geo->folded[i])
			continue;
		geo->shift[i] = geo->shift[i + 1];
		geo->ptrs[i] = 1;
	}
	if (geo->ptrs[PT_PGD] * 8 > (1UL << page_shift))
		geo->pgd_order = ilog2_ul(geo->ptrs[PT_PGD] * 8) - page_shift;

	/* Hardware tables: the PGD holds the entries of the lowest level folded into it. */
	i = PT_PGD;
	while (i > PT_PMD && geo->folded[i - 1])
		i--;
	geo->hw[0].level = (unsigned char)i;
	geo->hw[0].shift = geo->shift[PT_PGD];
	geo->hw[0].ptrs = geo->ptrs[PT_PGD];
	geo->hw[0].name = "PGD";
	hw = 1;
	for (int l = (int)i - 1; l >= PT_PTE; l--) {
		geo->hw[hw].level = (unsigned char)l;
		geo->hw[hw].shift = geo->shift[l];
		geo->hw[hw].ptrs = geo->ptrs[l];
		geo->hw[hw].name = level_names[l];
		hw++;
	}
	for (hw = 0; hw + 1 < levels; hw++) {
		unsigned char level = geo->hw[hw].level;

		geo->hw[hw].leaf_ok = (level == PT_PMD || level == PT_PUD) &&
				      geo->hw[hw].shift <= 30;
	}
	return 0;
}

/* ---- table pages ---- */

/*
 * pt_alloc_table - a zeroed table of 2^@order pages for entries of @level
 * (PT_PGD for a top table). Counted in NR_PAGETABLE unless the machine is
 * still booting (Linux's boot tables come from memblock and are not).
 */
void *pt_alloc_table(struct machine *m, struct pgd_root *root, unsigned int order,
		     enum pgtable_level level)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | (root->kernel ? 0 : __GFP_ACCOUNT);
	unsigned long nr = 1UL << order;
	struct page *page = alloc_pages(m, gfp, order);

	if (!page)
		return NULL;
	for (unsigned long i = 0; i < nr; i++) {
		SetPageFlag(page + i, PG_pgtable);
		page[i].index = level;
		page[i].private = !m->arch.booting;
	}
	if (!m->arch.booting)
		mod_node_page_state(m, NR_PAGETABLE, (long)nr);
	if (level != PT_PGD) {
		if (root->kernel) {
			m->arch.nr_kernel_tables++;
			if (m->arch.booting)
				m->arch.nr_boot_tables++;
		} else {
			root->pgtables_bytes += (long)m->page_size;
		}
	}
	return page_address(m, page);
}

void pt_free_table(struct machine *m, struct pgd_root *root, void *table, unsigned int order)
{
	struct page *page = virt_to_page(m, table);
	unsigned long nr = 1UL << order;
	long counted = 0;

	if (page->index != PT_PGD) {
		if (root->kernel)
			m->arch.nr_kernel_tables--;
		else
			root->pgtables_bytes -= (long)m->page_size;
	}
	for (unsigned long i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(!PageFlag(page + i, PG_pgtable), m, page + i);
		ClearPageFlag(page + i, PG_pgtable);
		counted += page[i].private ? 1 : 0;
		page[i].index = 0;
		page[i].private = 0;
	}
	if (counted)
		mod_node_page_state(m, NR_PAGETABLE, -counted);
	__free_pages(m, page, order);
}

/* The kernel-half PGD entry @index changed in swapper_pg_dir: copy it into every PGD. */
void sync_kernel_pgd_entry(struct machine *m, unsigned long index)
{
	pgd_t val = m->arch.init_mm.pgd[index];
	struct pgd_root *root;

	list_for_each_entry(root, &m->arch.pgd_list, pgd_list)
		set_pgd(&root->pgd[index], val);
}

/*
 * pt_populate - point the empty entry *@entry at a new table for entries of
 * @level. A new top-level kernel entry is copied into every other PGD, as
 * Linux's arch_sync_kernel_mappings() does for x86-32.
 */
static int pt_populate(struct machine *m, struct pgd_root *root, pteval_t *entry,
		       enum pgtable_level level)
{
	void *table = pt_alloc_table(m, root, 0, level);
	pteval_t *top = &root->pgd->pgd;

	if (!table)
		return -ENOMEM;
	*(volatile pteval_t *)entry = (pteval_t)__pa(m, table) |
				      (root->kernel ? _KERNPG_TABLE : _PAGE_TABLE);
	if (root->kernel && entry >= top && entry < top + m->arch.geo.ptrs[PT_PGD])
		sync_kernel_pgd_entry(m, (unsigned long)(entry - top));
	return 0;
}

int __p4d_alloc(struct machine *m, struct pgd_root *root, pgd_t *pgd, unsigned long addr)
{
	(void)addr;
	return pt_populate(m, root, &pgd->pgd, PT_P4D);
}

int __pud_alloc(struct machine *m, struct pgd_root *root, p4d_t *p4d, unsigned long addr)
{
	(void)addr;
	return pt_populate(m, root, &p4d->p4d, PT_PUD);
}

int __pmd_alloc(struct machine *m, struct pgd_root *root, pud_t *pud, unsigned long addr)
{
	(void)addr;
	return pt_populate(m, root, &pud->pud, PT_PMD);
}

int __pte_alloc(struct machine *m, struct pgd_root *root, pmd_t *pmd, unsigned long addr)
{
	(void)addr;
	return pt_populate(m, root, &pmd->pmd, PT_PTE);
}

/* ---- address spaces ---- */

int pgd_alloc(struct machine *m, struct pgd_root *root)
{
	unsigned long boundary = m->arch.layout.kernel_pgd_boundary;
	unsigned long ptrs = m->arch.geo.ptrs[PT_PGD];

	memset(root, 0, sizeof(*root));
	root->pgd = pt_alloc_table(m, root, m->arch.geo.pgd_order, PT_PGD);
	if (!root->pgd)
		return -ENOMEM;
	root->pgd_phys = __pa(m, root->pgd);
	memcpy(root->pgd + boundary, m->arch.init_mm.pgd + boundary,
	       (ptrs - boundary) * sizeof(pgd_t));
	list_add_tail(&root->pgd_list, &m->arch.pgd_list);
	m->arch.nr_pgds++;
	return 0;
}

static bool table_empty(const struct machine *m, const pteval_t *table, unsigned int hw)
{
	for (unsigned long i = 0; i < m->arch.geo.hw[hw].ptrs; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * free_tables - free the tables below @table (hardware level @hw) in [addr,
 * last]: every one, dropping leaves too, when @all (pgd_free); else only those
 * that hold no entry any more (unmap), keeping the kernel's top-level entries,
 * which every PGD shares.
 */
static void free_tables(struct machine *m, struct pgd_root *root, pteval_t *table,
			unsigned int hw, unsigned long addr, unsigned long last, bool all)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long size = 1UL << g->hw[hw].shift;

	for (;;) {
		unsigned long idx = pt_hw_index(g, hw, addr);
		unsigned long entry_last = (addr & ~(size - 1)) + size - 1;
		unsigned long sub_last = entry_last < last ? entry_last : last;
		pteval_t v = table[idx];

		if ((v & _PAGE_PRESENT) && !pt_hw_is_leaf(g, hw, v)) {
			pteval_t *child = pt_table_vaddr(m, v);

			free_tables(m, root, child, hw + 1, addr, sub_last, all);
			if (all || ((hw > 0 || !root->kernel) && table_empty(m, child, hw + 1))) {
				*(volatile pteval_t *)&table[idx] = 0;
				pt_free_table(m, root, child, 0);
			}
		}
		if (all)
			table[idx] = 0;
		if (sub_last == last)
			return;
		addr = sub_last + 1;
	}
}

void pgd_free(struct machine *m, struct pgd_root *root)
{
	if (!root->pgd || root->kernel)
		return;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (m->arch.cpus[cpu].root == root)
			switch_mm(m, cpu, &m->arch.init_mm);
	free_tables(m, root, &root->pgd->pgd, 0, 0, m->arch.layout.task_size - 1, true);
	list_del(&root->pgd_list);
	m->arch.nr_pgds--;
	VM_WARN_ON_ONCE(root->pgtables_bytes != 0);
	pt_free_table(m, root, root->pgd, m->arch.geo.pgd_order);
	root->pgd = NULL;
	root->pgd_phys = 0;
}

/* ---- mapping ---- */

static bool range_in_root(struct machine *m, struct pgd_root *root, unsigned long addr,
			  unsigned long size)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long last = addr + size - 1;

	if (!size || last < addr || !pt_addr_canonical(g, addr) || !pt_addr_canonical(g, last))
		return false;
	/* The kernel maps from PAGE_OFFSET up: those PGD entries are the shared half. */
	if (root->kernel)
		return addr >= m->arch.layout.page_offset;
	return last < m->arch.layout.task_size;
}

/* map_leaf - one leaf of hardware level @leaf_hw at @addr, allocating the tables above. */
static int map_leaf(struct machine *m, struct pgd_root *root, unsigned long addr,
		    phys_addr_t phys, pteval_t prot, unsigned int leaf_hw)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	pteval_t *table = &root->pgd->pgd;

	for (unsigned int hw = 0; hw < leaf_hw; hw++) {
		pteval_t *entry = &table[pt_hw_index(g, hw, addr)];

		if (!*entry) {
			int err = pt_populate(m, root, entry, g->hw[hw + 1].level);

			if (err)
				return err;
		} else if (!(*entry & _PAGE_PRESENT) || pt_hw_is_leaf(g, hw, *entry)) {
			return -EEXIST;
		}
		table = pt_table_vaddr(m, *entry);
	}
	table += pt_hw_index(g, leaf_hw, addr);
	if (*table)
		return -EEXIST;
	prot &= ~_PAGE_PSE;
	if (leaf_hw + 1 < g->levels)
		prot |= _PAGE_PSE;
	*(volatile pteval_t *)table = (phys & PTE_ADDR_MASK) | prot;
	return 0;
}

int pgtable_map_range(struct machine *m, struct pgd_root *root, unsigned long addr,
		      phys_addr_t phys, unsigned long size, pgprot_t prot, unsigned long max_leaf)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long last = addr + size - 1;

	if (!IS_ALIGNED(addr | phys | size, m->page_size) || !range_in_root(m, root, addr, size))
		return -EINVAL;
	for (;;) {
		unsigned int hw = g->levels - 1;
		unsigned long step;
		int err;

		/* The largest leaf that is aligned, fits and is allowed here. */
		for (unsigned int i = 0; i + 1 < g->levels; i++) {
			unsigned long sz = 1UL << g->hw[i].shift;

			if (g->hw[i].leaf_ok && sz <= max_leaf && IS_ALIGNED(addr, sz) &&
			    IS_ALIGNED(phys, sz) && last - addr >= sz - 1) {
				hw = i;
				break;
			}
		}
		step = 1UL << g->hw[hw].shift;
		err = map_leaf(m, root, addr, phys, pgprot_val(prot), hw);
		if (err)
			return err;
		if (last - addr == step - 1)
			return 0;
		addr += step;
		phys += step;
	}
}

/* Clear the leaves inside [addr, last] below @table; true if any was cleared. */
static bool clear_leaves(struct machine *m, pteval_t *table, unsigned int hw, unsigned long addr,
			 unsigned long last)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long size = 1UL << g->hw[hw].shift;
	bool cleared = false;

	for (;;) {
		unsigned long idx = pt_hw_index(g, hw, addr);
		unsigned long entry_first = addr & ~(size - 1);
		unsigned long entry_last = entry_first + size - 1;
		unsigned long sub_last = entry_last < last ? entry_last : last;
		pteval_t v = table[idx];

		if (v && pt_hw_is_leaf(g, hw, v)) {
			if (addr == entry_first && sub_last == entry_last) {
				*(volatile pteval_t *)&table[idx] = 0;
				cleared = true;
			} else {
				printk(m, "tuxmm: unmap of %#lx-%#lx splits a %lu KiB leaf: kept",
				       addr, sub_last, size >> 10);
			}
		} else if (v & _PAGE_PRESENT) {
			cleared |= clear_leaves(m, pt_table_vaddr(m, v), hw + 1, addr, sub_last);
		}
		if (sub_last == last)
			return cleared;
		addr = sub_last + 1;
	}
}

void pgtable_unmap_range(struct machine *m, struct pgd_root *root, unsigned long addr,
			 unsigned long size)
{
	unsigned long last = addr + size - 1;

	if (!range_in_root(m, root, addr, size))
		return;
	/* Clear, flush, then free: no CPU may still translate through what is freed. */
	if (clear_leaves(m, &root->pgd->pgd, 0, addr, last)) {
		if (root->kernel)
			flush_tlb_kernel_range(m, addr, last + 1);
		else
			flush_tlb_mm_range(m, root, addr, last + 1);
	}
	free_tables(m, root, &root->pgd->pgd, 0, addr, last, false);
}

/* ---- walks ---- */

bool pgtable_walk(struct machine *m, pgd_t *pgd, unsigned long addr, struct pt_walk *w)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	pteval_t *table = &pgd->pgd;

	memset(w, 0, sizeof(*w));
	if (!pt_addr_canonical(g, addr)) {
		w->error = "non-canonical address";
		return false;
	}
	for (unsigned int hw = 0; hw < g->levels; hw++) {
		struct pt_walk_step *s = &w->step[w->nr_steps++];

		s->hw = hw;
		s->index = pt_hw_index(g, hw, addr);
		s->entry = &table[s->index];
		s->val = *s->entry;
		if (!(s->val & _PAGE_PRESENT)) {
			w->error = s->val ? "not present (swap or PROT_NONE entry)" : "not present";
			return false;
		}
		if ((s->val & PTE_ADDR_MASK) >= m->phys_size) {
			w->error = "entry points beyond RAM";
			return false;
		}
		if (pt_hw_is_leaf(g, hw, s->val)) {
			w->mapped = true;
			w->leaf_shift = g->hw[hw].shift;
			w->phys = (s->val & PTE_ADDR_MASK & ~((1ULL << w->leaf_shift) - 1)) +
				  (addr & ((1UL << w->leaf_shift) - 1));
			return true;
		}
		table = pt_table_vaddr(m, s->val);
	}
	return false;
}

pte_t *pgtable_lookup_pte(struct machine *m, pgd_t *pgd, unsigned long addr)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	pteval_t *table = &pgd->pgd;

	if (!pt_addr_canonical(g, addr))
		return NULL;
	for (unsigned int hw = 0; hw + 1 < g->levels; hw++) {
		pteval_t v = table[pt_hw_index(g, hw, addr)];

		if (!(v & _PAGE_PRESENT) || pt_hw_is_leaf(g, hw, v))
			return NULL;
		table = pt_table_vaddr(m, v);
	}
	return (pte_t *)&table[pt_hw_index(g, g->levels - 1, addr)];
}

void pgtable_flags_show(struct report *r, pteval_t v, bool pte_level)
{
	static const struct {
		pteval_t bit;
		const char *name;
	} names[] = {
		{ _PAGE_PRESENT, "P" },	{ _PAGE_RW, "RW" },	{ _PAGE_USER, "US" },
		{ _PAGE_PWT, "PWT" },	{ _PAGE_PCD, "PCD" },	{ _PAGE_ACCESSED, "A" },
		{ _PAGE_DIRTY, "D" },	{ _PAGE_PSE, "PSE" },	{ _PAGE_GLOBAL, "G" },
		{ _PAGE_SPECIAL, "SPECIAL" }, { _PAGE_UFFD_WP, "UFFD_WP" },
		{ _PAGE_SOFT_DIRTY, "SOFT_DIRTY" }, { _PAGE_SAVED_DIRTY, "SAVED_DIRTY" },
		{ _PAGE_NX, "NX" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *name = names[i].name;

		if (!(v & names[i].bit))
			continue;
		/* Bit 7 is PAT in a PTE; bit 8 is PROTNONE when the entry is not present. */
		if (names[i].bit == _PAGE_PSE && pte_level)
			name = "PAT";
		if (names[i].bit == _PAGE_GLOBAL && !(v & _PAGE_PRESENT))
			name = "PROTNONE";
		report_printf(r, " %s", name);
	}
}

static const char *kernel_region(struct machine *m, unsigned long addr)
{
	const struct kernel_layout *l = &m->arch.layout;

	if (!pt_addr_canonical(&m->arch.geo, addr))
		return "non-canonical";
	if (addr < l->task_size)
		return "user space";
	if (kva_is_direct(m, addr))
		return "direct map";
	if (addr >= l->vmalloc_start && addr < l->vmalloc_end)
		return "vmalloc area";
	return "kernel space";
}

void pgtable_walk_show(struct machine *m, pgd_t *pgd, unsigned long addr, struct report *r)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	int w = g->sign_extend ? 16 : 8;
	struct pt_walk walk;
	bool mapped = pgtable_walk(m, pgd, addr, &walk);

	report_printf(r, "walk of 0x%0*lx (%s) from the PGD at %#llx: %s, %lu KiB pages\n", w, addr,
		      kernel_region(m, addr), (unsigned long long)__pa(m, pgd), g->layout_name,
		      m->page_size >> 10);
	for (unsigned int i = 0; i < walk.nr_steps; i++) {
		const struct pt_walk_step *s = &walk.step[i];
		bool leaf = (s->val & _PAGE_PRESENT) && pt_hw_is_leaf(g, s->hw, s->val);

		report_printf(r, "  %s[%lu] at %#llx: 0x%016llx", g->hw[s->hw].name, s->index,
			      (unsigned long long)__pa(m, s->entry), (unsigned long long)s->val);
		pgtable_flags_show(r, s->val, s->hw + 1 == g->levels);
		if (!(s->val & _PAGE_PRESENT))
			report_printf(r, "\n");
		else if (leaf)
			report_printf(r, " -> %lu KiB page at %#llx\n",
				      (1UL << g->hw[s->hw].shift) >> 10,
				      (unsigned long long)(s->val & PTE_ADDR_MASK));
		else
			report_printf(r, " -> %s table at %#llx\n", g->hw[s->hw + 1].name,
				      (unsigned long long)(s->val & PTE_ADDR_MASK));
	}
	if (mapped)
		report_printf(r, "  = physical %#llx (pfn %#llx)\n", (unsigned long long)walk.phys,
			      (unsigned long long)(walk.phys >> m->page_shift));
	else
		report_printf(r, "  = no translation: %s\n", walk.error);
}

/* ---- counting ---- */

static unsigned long count_tables(struct machine *m, pteval_t *table, unsigned int hw,
				  unsigned long first, unsigned long last)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long nr = 0;

	for (unsigned long i = first; i <= last; i++) {
		pteval_t v = table[i];

		if ((v & _PAGE_PRESENT) && !pt_hw_is_leaf(g, hw, v))
			nr += 1 + count_tables(m, pt_table_vaddr(m, v), hw + 1, 0,
					       g->hw[hw + 1].ptrs - 1);
	}
	return nr;
}

/* The PGD indices of @root's own half: user half for a user root, kernel half for swapper. */
static void root_pgd_span(struct machine *m, struct pgd_root *root, unsigned long *first,
			  unsigned long *last)
{
	unsigned long boundary = m->arch.layout.kernel_pgd_boundary;

	*first = root->kernel ? boundary : 0;
	*last = root->kernel ? m->arch.geo.ptrs[PT_PGD] - 1 : boundary - 1;
}

unsigned long pgtable_nr_tables(struct machine *m, struct pgd_root *root)
{
	unsigned long first, last;

	root_pgd_span(m, root, &first, &last);
	return count_tables(m, &root->pgd->pgd, 0, first, last);
}

static void count_leaves(struct machine *m, pteval_t *table, unsigned int hw, unsigned long addr,
			 unsigned long last, unsigned long counts[DM_NR])
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long size = 1UL << g->hw[hw].shift;

	for (;;) {
		unsigned long idx = pt_hw_index(g, hw, addr);
		unsigned long entry_last = (addr & ~(size - 1)) + size - 1;
		unsigned long sub_last = entry_last < last ? entry_last : last;
		pteval_t v = table[idx];

		if ((v & _PAGE_PRESENT) && pt_hw_is_leaf(g, hw, v)) {
			if (hw + 1 == g->levels)
				counts[DM_BASE]++;
			else
				counts[g->hw[hw].level == PT_PMD ? DM_PMD : DM_PUD]++;
		} else if (v & _PAGE_PRESENT) {
			count_leaves(m, pt_table_vaddr(m, v), hw + 1, addr, sub_last, counts);
		}
		if (sub_last == last)
			return;
		addr = sub_last + 1;
	}
}

void pgtable_count_leaves(struct machine *m, pgd_t *pgd, unsigned long start, unsigned long end,
			  unsigned long counts[DM_NR])
{
	for (int i = 0; i < DM_NR; i++)
		counts[i] = 0;
	if (end > start)
		count_leaves(m, &pgd->pgd, 0, start, end - 1, counts);
}

/* ---- validation ---- */

struct check_ctx {
	struct machine *m;
	struct pgd_root *root;
	unsigned long nr_tables;
	bool ok;
};

static bool check_fail(struct check_ctx *c, const char *what, unsigned long addr, pteval_t v)
{
	if (c->ok)
		printk(c->m, "pgtable_check: %s at %#lx (entry %#llx)", what, addr,
		       (unsigned long long)v);
	c->ok = false;
	return false;
}

static void check_leaf(struct check_ctx *c, unsigned long addr, pteval_t v, unsigned int shift)
{
	struct machine *m = c->m;
	unsigned long pfn = (unsigned long)((v & PTE_ADDR_MASK) >> m->page_shift);
	unsigned long nr = 1UL << (shift - m->page_shift);

	if (c->root->kernel && kva_is_direct(m, addr)) {
		/* The direct map maps all RAM, free pages included; supervisor-only, NX. */
		if ((v & _PAGE_USER) || !(v & _PAGE_NX))
			check_fail(c, "direct-map entry is user-accessible or executable", addr, v);
		if (kva_to_phys(m, addr) != (v & PTE_ADDR_MASK))
			check_fail(c, "direct-map entry maps the wrong frame", addr, v);
		return;
	}
	if (c->root->kernel && (v & _PAGE_USER)) {
		check_fail(c, "kernel entry is user-accessible", addr, v);
		return;
	}
	if (v & _PAGE_SPECIAL)
		return;		/* a raw frame (VM_PFNMAP): no struct page to check */
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page;

		if (!pfn_valid(m, pfn + i)) {
			check_fail(c, "leaf maps a frame beyond RAM", addr, v);
			return;
		}
		page = pfn_to_page(m, pfn + i);
		if (PageBuddy(page) || PageFlag(page, PG_pcp) || PageFlag(page, PG_pgtable) ||
		    (page_ref_count(compound_head(page)) <= 0 && !PageReserved(page))) {
			check_fail(c, "leaf maps a free frame or a page table", addr, v);
			return;
		}
	}
}

static void check_table(struct check_ctx *c, pteval_t *table, unsigned int hw,
			unsigned long first, unsigned long last, unsigned long base)
{
	struct machine *m = c->m;
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long size = 1UL << g->hw[hw].shift;

	for (unsigned long i = first; i <= last && c->ok; i++) {
		unsigned long addr = base + i * size;
		pteval_t v = table[i];

		if (hw == 0 && g->sign_extend && (addr >> (g->va_bits - 1)) & 1)
			addr |= ~((1UL << g->va_bits) - 1);
		if (!(v & _PAGE_PRESENT)) {
			if (v && hw + 1 < g->levels)
				check_fail(c, "non-present upper entry is not empty", addr, v);
			else if ((v & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE)
				check_leaf(c, addr, v, m->page_shift);
			continue;
		}
		if (pt_rsvd_bits(g, hw, v)) {
			check_fail(c, "reserved bits set", addr, v);
			continue;
		}
		if (pt_hw_is_leaf(g, hw, v)) {
			check_leaf(c, addr, v, g->hw[hw].shift);
		} else {
			unsigned long pfn = (unsigned long)((v & PTE_ADDR_MASK) >> m->page_shift);
			struct page *page;

			if (!pfn_valid(m, pfn)) {
				check_fail(c, "table pointer beyond RAM", addr, v);
				continue;
			}
			page = pfn_to_page(m, pfn);
			if (!PageFlag(page, PG_pgtable) || page->index != g->hw[hw + 1].level) {
				check_fail(c, "entry points at a page that is not a table of "
					      "its level", addr, v);
				continue;
			}
			if (c->root->kernel && (v & _PAGE_USER))
				check_fail(c, "kernel table entry is user-accessible", addr, v);
			c->nr_tables++;
			check_table(c, pt_table_vaddr(m, v), hw + 1, 0, g->hw[hw + 1].ptrs - 1,
				    addr);
		}
	}
}

bool pgtable_check(struct machine *m, struct pgd_root *root)
{
	struct check_ctx c = { .m = m, .root = root, .ok = true };
	struct pgd_root *k = &m->arch.init_mm;
	unsigned long first, last, boundary = m->arch.layout.kernel_pgd_boundary;
	struct page *pgd_page;

	if (!root->pgd)
		return check_fail(&c, "address space without a PGD", 0, 0);
	pgd_page = virt_to_page(m, root->pgd);
	if (!PageFlag(pgd_page, PG_pgtable) || pgd_page->index != PT_PGD)
		return check_fail(&c, "PGD page is not marked as a top-level table", 0,
				  root->pgd_phys);
	root_pgd_span(m, root, &first, &last);
	check_table(&c, &root->pgd->pgd, 0, first, last, 0);
	if (!c.ok)
		return false;
	if (root->kernel && c.nr_tables != m->arch.nr_kernel_tables)
		return check_fail(&c, "kernel table count is off", c.nr_tables,
				  m->arch.nr_kernel_tables);
	if (!root->kernel && (long)(c.nr_tables * m->page_size) != root->pgtables_bytes)
		return check_fail(&c, "pgtables_bytes does not match the tables", c.nr_tables,
				  (pteval_t)root->pgtables_bytes);
	if (!root->kernel && memcmp(root->pgd + boundary, k->pgd + boundary,
				    (m->arch.geo.ptrs[PT_PGD] - boundary) * sizeof(pgd_t)))
		return check_fail(&c, "kernel half differs from swapper_pg_dir", 0, root->pgd_phys);
	return true;
}

bool pgtable_check_all(struct machine *m)
{
	unsigned long expected = m->arch.nr_kernel_tables, found = 0;
	unsigned long pgd_pages = 1UL << m->arch.geo.pgd_order;
	struct pgd_root *root;

	if (!pgtable_check(m, &m->arch.init_mm))
		return false;
	expected += pgd_pages * (1 + m->arch.nr_pgds);
	list_for_each_entry(root, &m->arch.pgd_list, pgd_list) {
		if (!pgtable_check(m, root))
			return false;
		expected += (unsigned long)root->pgtables_bytes >> m->page_shift;
	}
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
		found += PageFlag(pfn_to_page(m, pfn), PG_pgtable);
	if (found != expected) {
		printk(m, "pgtable_check: %lu page-table pages in memory, %lu in the trees "
			  "(leaked tables)", found, expected);
		return false;
	}
	return true;
}
