/*
 * pgtable.h - page-table entries, Linux's five folded levels, address spaces
 * (PGD roots) and the kernel's virtual addresses (direct map, vmalloc area).
 * Follows Linux include/linux/pgtable.h, arch/x86/include/asm/pgtable.h and
 * asm-generic/pgtable-nop4d.h/-nopud.h/-nopmd.h: generic code walks
 * pgd -> p4d -> pud -> pmd -> pte and a folded level is the entry above it.
 */
#ifndef TUXMM_PGTABLE_H
#define TUXMM_PGTABLE_H

#include "machine.h"
#include "mm_types.h"
#include "pgtable_types.h"

struct report;
struct tuxmm_config;

/* ---- entry predicates and modifiers (no machine needed) ---- */

static inline bool pte_none(pte_t pte)
{
	return !pte_val(pte);
}
/* Present to Linux: mapped, or PROT_NONE (hardware-absent but still a mapping). */
static inline bool pte_present(pte_t pte)
{
	return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
static inline bool pte_protnone(pte_t pte)
{
	return (pte_val(pte) & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE;
}
static inline pteval_t pte_flags(pte_t pte)
{
	return pte_val(pte) & PTE_FLAGS_MASK;
}
static inline bool pte_write(pte_t pte)
{
	return pte_val(pte) & _PAGE_RW;
}
static inline bool pte_dirty(pte_t pte)
{
	return pte_val(pte) & _PAGE_DIRTY;
}
static inline bool pte_young(pte_t pte)
{
	return pte_val(pte) & _PAGE_ACCESSED;
}
static inline bool pte_exec(pte_t pte)
{
	return !(pte_val(pte) & _PAGE_NX);
}
static inline bool pte_user(pte_t pte)
{
	return pte_val(pte) & _PAGE_USER;
}
static inline bool pte_global(pte_t pte)
{
	return pte_val(pte) & _PAGE_GLOBAL;
}
static inline bool pte_special(pte_t pte)
{
	return pte_val(pte) & _PAGE_SPECIAL;
}
static inline bool pte_soft_dirty(pte_t pte)
{
	return pte_val(pte) & _PAGE_SOFT_DIRTY;
}

static inline pte_t pte_set_flags(pte_t pte, pteval_t set)
{
	return __pte(pte_val(pte) | set);
}
static inline pte_t pte_clear_flags(pte_t pte, pteval_t clear)
{
	return __pte(pte_val(pte) & ~clear);
}
static inline pte_t pte_mkwrite(pte_t pte)
{
	return pte_set_flags(pte, _PAGE_RW);
}
static inline pte_t pte_wrprotect(pte_t pte)
{
	return pte_clear_flags(pte, _PAGE_RW);
}
static inline pte_t pte_mkdirty(pte_t pte)
{
	return pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);
}
static inline pte_t pte_mkclean(pte_t pte)
{
	return pte_clear_flags(pte, _PAGE_DIRTY);
}
static inline pte_t pte_mkyoung(pte_t pte)
{
	return pte_set_flags(pte, _PAGE_ACCESSED);
}
static inline pte_t pte_mkold(pte_t pte)
{
	return pte_clear_flags(pte, _PAGE_ACCESSED);
}
static inline pte_t pte_mkexec(pte_t pte)
{
	return pte_clear_flags(pte, _PAGE_NX);
}
static inline pte_t pte_mkspecial(pte_t pte)
{
	return pte_set_flags(pte, _PAGE_SPECIAL);
}
/* pte_modify - keep the address and the A/D/soft bits, take the protection from @prot. */
static inline pte_t pte_modify(pte_t pte, pgprot_t prot)
{
	const pteval_t keep = PTE_ADDR_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL |
			      _PAGE_SOFT_DIRTY | _PAGE_UFFD_WP;

	return __pte((pte_val(pte) & keep) | (pgprot_val(prot) & ~keep));
}
static inline pgprot_t pte_pgprot(pte_t pte)
{
	return __pgprot(pte_flags(pte));
}

/* Entries are written and read with single stores and loads, as set_pte() does. */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile pteval_t *)&ptep->pte = pte_val(pte);
}
static inline pte_t ptep_get(const pte_t *ptep)
{
	return __pte(*(const volatile pteval_t *)&ptep->pte);
}
static inline void pte_clear(pte_t *ptep)
{
	set_pte(ptep, __pte(0));
}
static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	pte_t old = ptep_get(ptep);

	pte_clear(ptep);
	return old;
}
/* ptep_test_and_clear_young - clear the accessed bit; no TLB flush (as on x86). */
static inline bool ptep_test_and_clear_young(pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	if (!pte_young(pte))
		return false;
	set_pte(ptep, pte_mkold(pte));
	return true;
}
static inline void ptep_set_wrprotect(pte_t *ptep)
{
	set_pte(ptep, pte_wrprotect(ptep_get(ptep)));
}
static inline void set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	*(volatile pteval_t *)&pmdp->pmd = pmd_val(pmd);
}
static inline void set_pud(pud_t *pudp, pud_t pud)
{
	*(volatile pteval_t *)&pudp->pud = pud_val(pud);
}
static inline void set_p4d(p4d_t *p4dp, p4d_t p4d)
{
	*(volatile pteval_t *)&p4dp->p4d = p4d_val(p4d);
}
static inline void set_pgd(pgd_t *pgdp, pgd_t pgd)
{
	*(volatile pteval_t *)&pgdp->pgd = pgd_val(pgd);
}

/* ---- entries and frames ---- */

static inline phys_addr_t pte_phys(pte_t pte)
{
	return pte_val(pte) & PTE_ADDR_MASK;
}
static inline unsigned long pte_pfn(const struct machine *m, pte_t pte)
{
	return (unsigned long)(pte_phys(pte) >> m->page_shift);
}
static inline pte_t pfn_pte(const struct machine *m, unsigned long pfn, pgprot_t prot)
{
	return __pte((((pteval_t)pfn << m->page_shift) & PTE_ADDR_MASK) | pgprot_val(prot));
}
static inline struct page *pte_page(const struct machine *m, pte_t pte)
{
	return m->mem_map + pte_pfn(m, pte);
}
static inline pte_t mk_pte(const struct machine *m, const struct page *page, pgprot_t prot)
{
	return pfn_pte(m, (unsigned long)(page - m->mem_map), prot);
}

/* ---- geometry ---- */

#define PAGE_SHIFT_M(m)   ((m)->arch.geo.shift[PT_PTE])
#define PMD_SHIFT_M(m)    ((m)->arch.geo.shift[PT_PMD])
#define PUD_SHIFT_M(m)    ((m)->arch.geo.shift[PT_PUD])
#define P4D_SHIFT_M(m)    ((m)->arch.geo.shift[PT_P4D])
#define PGDIR_SHIFT_M(m)  ((m)->arch.geo.shift[PT_PGD])
#define PTRS_PER_PTE_M(m) ((m)->arch.geo.ptrs[PT_PTE])
#define PTRS_PER_PGD_M(m) ((m)->arch.geo.ptrs[PT_PGD])
#define TASK_SIZE_M(m)    ((m)->arch.layout.task_size)
#define PAGE_OFFSET_M(m)  ((m)->arch.layout.page_offset)
#define VMALLOC_START_M(m) ((m)->arch.layout.vmalloc_start)
#define VMALLOC_END_M(m)  ((m)->arch.layout.vmalloc_end)

/* pt_index - the index of @addr in a table of Linux level @level (0 if folded). */
static inline unsigned long pt_index(const struct machine *m, enum pgtable_level level,
				     unsigned long addr)
{
	return (addr >> m->arch.geo.shift[level]) & (m->arch.geo.ptrs[level] - 1);
}
#define pgd_index(m, addr) pt_index(m, PT_PGD, addr)
#define p4d_index(m, addr) pt_index(m, PT_P4D, addr)
#define pud_index(m, addr) pt_index(m, PT_PUD, addr)
#define pmd_index(m, addr) pt_index(m, PT_PMD, addr)
#define pte_index(m, addr) pt_index(m, PT_PTE, addr)

/* pt_level_size - bytes one entry of Linux level @level maps. */
static inline unsigned long pt_level_size(const struct machine *m, enum pgtable_level level)
{
	return 1UL << m->arch.geo.shift[level];
}

/* The table an entry points to, through the direct map. */
static inline void *pt_table_vaddr(const struct machine *m, pteval_t entry)
{
	return m->ram + (entry & PTE_ADDR_MASK);
}

/*
 * Folding: an entry of level L is real only when level L-1 is not folded
 * (otherwise it is the lower level's entry seen from above), so its
 * none/bad tests answer "no" and the next *_offset() returns the same word.
 */
static inline bool pt_entry_is_real(const struct machine *m, enum pgtable_level level)
{
	return level == PT_PTE || !m->arch.geo.folded[level - 1];
}

static inline bool pgd_none(const struct machine *m, pgd_t pgd)
{
	return pt_entry_is_real(m, PT_PGD) && !pgd_val(pgd);
}
static inline bool pgd_present(const struct machine *m, pgd_t pgd)
{
	return !pt_entry_is_real(m, PT_PGD) || (pgd_val(pgd) & _PAGE_PRESENT);
}
static inline bool p4d_none(const struct machine *m, p4d_t p4d)
{
	return pt_entry_is_real(m, PT_P4D) && !p4d_val(p4d);
}
static inline bool p4d_present(const struct machine *m, p4d_t p4d)
{
	return !pt_entry_is_real(m, PT_P4D) || (p4d_val(p4d) & _PAGE_PRESENT);
}
static inline bool pud_none(const struct machine *m, pud_t pud)
{
	return pt_entry_is_real(m, PT_PUD) && !pud_val(pud);
}
static inline bool pud_present(const struct machine *m, pud_t pud)
{
	return !pt_entry_is_real(m, PT_PUD) || (pud_val(pud) & _PAGE_PRESENT);
}
/* pud_leaf - a 1 GiB (4 KiB pages) mapping in a PUD entry. */
static inline bool pud_leaf(const struct machine *m, pud_t pud)
{
	return pt_entry_is_real(m, PT_PUD) && (pud_val(pud) & (_PAGE_PSE | _PAGE_PRESENT)) ==
						     (_PAGE_PSE | _PAGE_PRESENT);
}
static inline bool pmd_none(const struct machine *m, pmd_t pmd)
{
	return pt_entry_is_real(m, PT_PMD) && !pmd_val(pmd);
}
static inline bool pmd_present(const struct machine *m, pmd_t pmd)
{
	return !pt_entry_is_real(m, PT_PMD) || (pmd_val(pmd) & _PAGE_PRESENT);
}
/* pmd_leaf - a 2 MiB (4 KiB pages) mapping in a PMD entry. */
static inline bool pmd_leaf(const struct machine *m, pmd_t pmd)
{
	return pt_entry_is_real(m, PT_PMD) && (pmd_val(pmd) & (_PAGE_PSE | _PAGE_PRESENT)) ==
						     (_PAGE_PSE | _PAGE_PRESENT);
}

static inline pgd_t *pgd_offset_pgd(const struct machine *m, pgd_t *pgd, unsigned long addr)
{
	return pgd + pgd_index(m, addr);
}
#define pgd_offset(m, root, addr) pgd_offset_pgd(m, (root)->pgd, addr)
#define pgd_offset_k(m, addr)     pgd_offset_pgd(m, (m)->arch.init_mm.pgd, addr)

static inline p4d_t *p4d_offset(const struct machine *m, pgd_t *pgd, unsigned long addr)
{
	if (m->arch.geo.folded[PT_P4D])
		return (p4d_t *)pgd;
	return (p4d_t *)pt_table_vaddr(m, pgd_val(*pgd)) + p4d_index(m, addr);
}
static inline pud_t *pud_offset(const struct machine *m, p4d_t *p4d, unsigned long addr)
{
	if (m->arch.geo.folded[PT_PUD])
		return (pud_t *)p4d;
	return (pud_t *)pt_table_vaddr(m, p4d_val(*p4d)) + pud_index(m, addr);
}
static inline pmd_t *pmd_offset(const struct machine *m, pud_t *pud, unsigned long addr)
{
	if (m->arch.geo.folded[PT_PMD])
		return (pmd_t *)pud;
	return (pmd_t *)pt_table_vaddr(m, pud_val(*pud)) + pmd_index(m, addr);
}
static inline pte_t *pte_offset_kernel(const struct machine *m, pmd_t *pmd, unsigned long addr)
{
	return (pte_t *)pt_table_vaddr(m, pmd_val(*pmd)) + pte_index(m, addr);
}
#define pte_offset_map(m, pmd, addr) pte_offset_kernel(m, pmd, addr)

/* pX_addr_end - the end of @addr's level-X entry, or @end if that comes first. */
static inline unsigned long pt_addr_end(const struct machine *m, enum pgtable_level level,
					unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr + pt_level_size(m, level)) & ~(pt_level_size(m, level) - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

/* ---- hardware levels: what the MMU walks, top (0) to bottom (levels - 1) ---- */

static inline unsigned long pt_hw_index(const struct pgtable_geometry *g, unsigned int hw,
					unsigned long addr)
{
	return (addr >> g->hw[hw].shift) & (g->hw[hw].ptrs - 1);
}

/* pt_hw_is_leaf - does present entry @v at hardware level @hw map memory itself? */
static inline bool pt_hw_is_leaf(const struct pgtable_geometry *g, unsigned int hw, pteval_t v)
{
	return hw + 1 == g->levels || (g->hw[hw].leaf_ok && (v & _PAGE_PSE));
}

/* pt_addr_canonical - does @addr exist in this layout (sign-extended, or below 4 GiB)? */
static inline bool pt_addr_canonical(const struct pgtable_geometry *g, unsigned long addr)
{
	unsigned int s = 64 - g->va_bits;

	if (!g->sign_extend)
		return addr < (1UL << g->va_bits);
	return (unsigned long)((long)(addr << s) >> s) == addr;
}

/*
 * pt_rsvd_low_bits - the reserved bits set in present entry @v at hardware
 * level @hw that depend on the level: PSE where no leaf may be, the low
 * address bits of a large leaf (bits 13 up to its size) or of a 16K/64K frame.
 */
static inline pteval_t pt_rsvd_low_bits(const struct pgtable_geometry *g, unsigned int hw,
					pteval_t v)
{
	if (hw + 1 < g->levels && (v & _PAGE_PSE)) {
		if (!g->hw[hw].leaf_ok)
			return v & _PAGE_PSE;
		return v & ((1ULL << g->hw[hw].shift) - 1) & ~0x1fffULL;
	}
	return v & ((1ULL << g->page_shift) - 1) & ~0xfffULL;
}

/* pt_rsvd_bits - all the reserved bits set in present entry @v: also those above MAXPHYADDR. */
static inline pteval_t pt_rsvd_bits(const struct pgtable_geometry *g, unsigned int hw, pteval_t v)
{
	return (v & PTE_RSVD_HIGH_MASK) | pt_rsvd_low_bits(g, hw, v);
}

/* ---- allocation: the upper entry must be none; 0 or -ENOMEM ---- */

int __p4d_alloc(struct machine *m, struct pgd_root *root, pgd_t *pgd, unsigned long addr);
int __pud_alloc(struct machine *m, struct pgd_root *root, p4d_t *p4d, unsigned long addr);
int __pmd_alloc(struct machine *m, struct pgd_root *root, pud_t *pud, unsigned long addr);
int __pte_alloc(struct machine *m, struct pgd_root *root, pmd_t *pmd, unsigned long addr);

/* pX_alloc - the entry for @addr one level down, allocating its table if needed; NULL: no RAM. */
static inline p4d_t *p4d_alloc(struct machine *m, struct pgd_root *root, pgd_t *pgd,
			       unsigned long addr)
{
	if (pgd_none(m, *pgd) && __p4d_alloc(m, root, pgd, addr))
		return NULL;
	return p4d_offset(m, pgd, addr);
}
static inline pud_t *pud_alloc(struct machine *m, struct pgd_root *root, p4d_t *p4d,
			       unsigned long addr)
{
	if (p4d_none(m, *p4d) && __pud_alloc(m, root, p4d, addr))
		return NULL;
	return pud_offset(m, p4d, addr);
}
static inline pmd_t *pmd_alloc(struct machine *m, struct pgd_root *root, pud_t *pud,
			       unsigned long addr)
{
	if (pud_none(m, *pud) && __pmd_alloc(m, root, pud, addr))
		return NULL;
	return pmd_offset(m, pud, addr);
}
static inline pte_t *pte_alloc_map(struct machine *m, struct pgd_root *root, pmd_t *pmd,
				   unsigned long addr)
{
	if (pmd_none(m, *pmd) && __pte_alloc(m, root, pmd, addr))
		return NULL;
	return pte_offset_map(m, pmd, addr);
}

/* ---- address spaces ---- */

/*
 * pgd_alloc - a new address space: a zeroed PGD whose kernel half is
 * swapper_pg_dir's. Counted in PageTables. 0 or -ENOMEM.
 */
int pgd_alloc(struct machine *m, struct pgd_root *root);
/* pgd_free - free @root's user tables (not the pages they map) and its PGD. */
void pgd_free(struct machine *m, struct pgd_root *root);

/* ---- mapping ranges (kernel and test helpers) ---- */

/*
 * pgtable_map_range - map [@addr, @addr + @size) to [@phys, ...) with @prot,
 * using leaves no larger than @max_leaf bytes where alignment allows (pass
 * the page size for base pages only). Entries must be empty. Returns 0,
 * -EEXIST, -EINVAL (an address outside @root's half) or -ENOMEM; on error
 * what was mapped stays mapped for the caller to unmap.
 */
int pgtable_map_range(struct machine *m, struct pgd_root *root, unsigned long addr,
		      phys_addr_t phys, unsigned long size, pgprot_t prot, unsigned long max_leaf);
/*
 * pgtable_unmap_range - clear every leaf inside [@addr, @addr + @size), flush
 * the TLBs that may hold them, then free the tables left empty (below the
 * kernel's top-level entries, which every PGD shares). Pages are the caller's.
 */
void pgtable_unmap_range(struct machine *m, struct pgd_root *root, unsigned long addr,
			 unsigned long size);

/* One step of a walk, for reports and tests. */
struct pt_walk_step {
	unsigned int hw;		/* hardware level, 0 = top */
	unsigned long index;		/* in its table */
	pteval_t *entry;		/* in simulated RAM */
	pteval_t val;
};

struct pt_walk {
	unsigned int nr_steps;
	struct pt_walk_step step[5];
	bool mapped;			/* a present leaf was reached */
	unsigned int leaf_shift;	/* bytes the leaf maps, log2 */
	phys_addr_t phys;		/* the translation of the address */
	const char *error;		/* why the walk stopped, if not mapped */
};

/* pgtable_walk - the software walk of @addr in @pgd: no A/D bits, no TLB. True if mapped. */
bool pgtable_walk(struct machine *m, pgd_t *pgd, unsigned long addr, struct pt_walk *w);
/* pgtable_lookup_pte - the base-page PTE for @addr, or NULL (no table, or a large leaf). */
pte_t *pgtable_lookup_pte(struct machine *m, pgd_t *pgd, unsigned long addr);
/* pgtable_walk_show - the walk of @addr, one line per level, like the slides' Figure 3. */
void pgtable_walk_show(struct machine *m, pgd_t *pgd, unsigned long addr, struct report *r);
/* pgtable_flags_show - " P RW US A D ..." for an entry (@pte_level: bit 7 is PAT). */
void pgtable_flags_show(struct report *r, pteval_t val, bool pte_level);

/* pgtable_count - tables below @root's PGD, and the leaves in [start, end) by size. */
unsigned long pgtable_nr_tables(struct machine *m, struct pgd_root *root);
void pgtable_count_leaves(struct machine *m, pgd_t *pgd, unsigned long start, unsigned long end,
			  unsigned long counts[DM_NR]);

/*
 * pgtable_check - validate @root's tree: every present entry points at a page
 * table of the right level or at a mapped frame, no reserved bits, table
 * counts match, the kernel half equals swapper_pg_dir's. False with a message.
 */
bool pgtable_check(struct machine *m, struct pgd_root *root);
/* pgtable_check_all - swapper_pg_dir, every PGD on pgd_list, and no leaked table pages. */
bool pgtable_check_all(struct machine *m);

/* ---- boot ---- */

/*
 * pgtable_geometry_init - the tree for @levels and @page_shift; -EINVAL with
 * a message in @err (TUXMM_ERRMSG_MAX bytes) for a combination that cannot exist.
 */
int pgtable_geometry_init(struct pgtable_geometry *geo, unsigned int levels,
			  unsigned int page_shift, char *err);
/* arch_check_config - geometry and RAM size fit a layout; called by check_config(). */
int arch_check_config(const struct tuxmm_config *cfg, char *err);
/* kernel_vm_init - swapper_pg_dir, the direct map and the MMUs; 0 or -ENOMEM (message in @err). */
int kernel_vm_init(struct machine *m, char *err);
/* arch_mm_destroy - release the MMUs' host memory. */
void arch_mm_destroy(struct machine *m);

/* Internal to src/arch: table pages and the kernel-half sync. */
void *pt_alloc_table(struct machine *m, struct pgd_root *root, unsigned int order,
		     enum pgtable_level level);
void pt_free_table(struct machine *m, struct pgd_root *root, void *table, unsigned int order);
void sync_kernel_pgd_entry(struct machine *m, unsigned long index);

/* ---- kernel virtual addresses ---- */

/* phys_to_kva / kva_to_phys - the direct map in simulated addresses (PAGE_OFFSET + pa). */
static inline unsigned long phys_to_kva(const struct machine *m, phys_addr_t pa)
{
	return m->arch.layout.page_offset + (unsigned long)pa;
}
static inline bool kva_is_direct(const struct machine *m, unsigned long kva)
{
	return kva - m->arch.layout.page_offset < (unsigned long)m->phys_size;
}
static inline phys_addr_t kva_to_phys(const struct machine *m, unsigned long kva)
{
	return (phys_addr_t)(kva - m->arch.layout.page_offset);
}
/* The host pointer for a direct-map address, NULL outside the direct map. */
static inline void *kva_to_host(const struct machine *m, unsigned long kva)
{
	return kva_is_direct(m, kva) ? m->ram + kva_to_phys(m, kva) : NULL;
}
static inline unsigned long host_to_kva(const struct machine *m, const void *p)
{
	return phys_to_kva(m, (phys_addr_t)((const uint8_t *)p - m->ram));
}
static inline unsigned long page_to_kva(const struct machine *m, const struct page *page)
{
	return phys_to_kva(m, (phys_addr_t)(page - m->mem_map) << m->page_shift);
}
static inline bool is_vmalloc_addr(const struct machine *m, unsigned long kva)
{
	return kva >= m->arch.layout.vmalloc_start && kva < m->arch.layout.vmalloc_end;
}
/* fault_in_kernel_space - the kernel half: every address at or above TASK_SIZE. */
static inline bool fault_in_kernel_space(const struct machine *m, unsigned long addr)
{
	return addr >= m->arch.layout.task_size;
}

/* direct_map_sizes_kb - DirectMap4k/2M/1G of /proc/meminfo (base, PMD and PUD leaves). */
void direct_map_sizes_kb(struct machine *m, unsigned long *kb4k, unsigned long *kb2m,
			 unsigned long *kb1g);

#endif
