/*
 * pgtable_types.h - page-table entries in the x86-64 format, the geometry of
 * the tree for the configured levels and page size, the kernel's address
 * layout, and the arch state a machine carries (struct arch_mm).
 * Follows Linux arch/x86/include/asm/pgtable_types.h (bits) and the
 * asm-generic/pgtable-nop4d.h, -nopud.h, -nopmd.h folding scheme.
 * Types only: the helpers that need a machine are in pgtable.h.
 */
#ifndef TUXMM_PGTABLE_TYPES_H
#define TUXMM_PGTABLE_TYPES_H

#include "list.h"
#include "types.h"

/* ---- entries: one 64-bit word each, wrapped so they cannot mix with integers ---- */

typedef uint64_t pteval_t;

typedef struct { pteval_t pte; } pte_t;
typedef struct { pteval_t pmd; } pmd_t;
typedef struct { pteval_t pud; } pud_t;
typedef struct { pteval_t p4d; } p4d_t;
typedef struct { pteval_t pgd; } pgd_t;
typedef struct { pteval_t pgprot; } pgprot_t;

#define __pte(x)    ((pte_t){ (x) })
#define __pmd(x)    ((pmd_t){ (x) })
#define __pud(x)    ((pud_t){ (x) })
#define __p4d(x)    ((p4d_t){ (x) })
#define __pgd(x)    ((pgd_t){ (x) })
#define __pgprot(x) ((pgprot_t){ (x) })

#define pte_val(x)    ((x).pte)
#define pmd_val(x)    ((x).pmd)
#define pud_val(x)    ((x).pud)
#define p4d_val(x)    ((x).p4d)
#define pgd_val(x)    ((x).pgd)
#define pgprot_val(x) ((x).pgprot)

/* Hardware bits, as the x86-64 MMU reads them. */
#define _PAGE_BIT_PRESENT	0	/* is present */
#define _PAGE_BIT_RW		1	/* writeable */
#define _PAGE_BIT_USER		2	/* user-mode accessible */
#define _PAGE_BIT_PWT		3	/* write-through */
#define _PAGE_BIT_PCD		4	/* cache disabled */
#define _PAGE_BIT_ACCESSED	5	/* set by the MMU on use */
#define _PAGE_BIT_DIRTY		6	/* set by the MMU on a write (leaf entries) */
#define _PAGE_BIT_PSE		7	/* in a PMD/PUD entry: a 2 MiB / 1 GiB leaf */
#define _PAGE_BIT_PAT		7	/* in a PTE: page attribute table index */
#define _PAGE_BIT_GLOBAL	8	/* kept in the TLB across CR3 switches */
#define _PAGE_BIT_SOFTW1	9	/* available to software */
#define _PAGE_BIT_SOFTW2	10
#define _PAGE_BIT_SOFTW3	11
#define _PAGE_BIT_PAT_LARGE	12	/* PAT in a PMD/PUD leaf */
#define _PAGE_BIT_SOFTW4	57
#define _PAGE_BIT_SOFTW5	58
#define _PAGE_BIT_PKEY_BIT0	59	/* protection keys, 4 bits */
#define _PAGE_BIT_NX		63	/* no execute (EFER.NXE is on) */

/* Software bits where Linux keeps them. */
#define _PAGE_BIT_SPECIAL	_PAGE_BIT_SOFTW1	/* no struct page behind it */
#define _PAGE_BIT_UFFD_WP	_PAGE_BIT_SOFTW2	/* userfaultfd write-protected */
#define _PAGE_BIT_SOFT_DIRTY	_PAGE_BIT_SOFTW3	/* /proc/PID/clear_refs tracking */
#define _PAGE_BIT_SAVED_DIRTY	_PAGE_BIT_SOFTW5	/* dirty while write-protected */
#define _PAGE_BIT_PROTNONE	_PAGE_BIT_GLOBAL	/* PROT_NONE: only when !PRESENT */

#define _PAGE_PRESENT	(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER	(1ULL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1ULL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1ULL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1ULL << _PAGE_BIT_PSE)
#define _PAGE_PAT	(1ULL << _PAGE_BIT_PAT)
#define _PAGE_GLOBAL	(1ULL << _PAGE_BIT_GLOBAL)
#define _PAGE_SOFTW1	(1ULL << _PAGE_BIT_SOFTW1)
#define _PAGE_SOFTW2	(1ULL << _PAGE_BIT_SOFTW2)
#define _PAGE_SOFTW3	(1ULL << _PAGE_BIT_SOFTW3)
#define _PAGE_PAT_LARGE	(1ULL << _PAGE_BIT_PAT_LARGE)
#define _PAGE_SOFTW4	(1ULL << _PAGE_BIT_SOFTW4)
#define _PAGE_SOFTW5	(1ULL << _PAGE_BIT_SOFTW5)
#define _PAGE_PKEY_MASK	(15ULL << _PAGE_BIT_PKEY_BIT0)
#define _PAGE_NX	(1ULL << _PAGE_BIT_NX)
#define _PAGE_SPECIAL	(1ULL << _PAGE_BIT_SPECIAL)
#define _PAGE_UFFD_WP	(1ULL << _PAGE_BIT_UFFD_WP)
/*
 * Soft-dirty tracking needs CONFIG_MEM_SOFT_DIRTY, off in the configuration
 * tuxmm models (as on the build machine, see vma.h): the bit is then 0, as in
 * Linux, so pte_mkdirty() sets only D.
 */
#define _PAGE_SOFT_DIRTY 0ULL
#define _PAGE_SAVED_DIRTY (1ULL << _PAGE_BIT_SAVED_DIRTY)
#define _PAGE_PROTNONE	(1ULL << _PAGE_BIT_PROTNONE)

/*
 * The physical address field: bits 12..51 (Linux's __PHYSICAL_MASK_SHIFT 52).
 * The simulated CPU has 46 physical address bits (MAXPHYADDR, a common Intel
 * value): bits 46..51 of a present entry are reserved and fault with RSVD.
 */
#define __PHYSICAL_MASK_SHIFT	52
#define TUXMM_PHYS_BITS		46
#define PTE_ADDR_MASK		(((1ULL << __PHYSICAL_MASK_SHIFT) - 1) & ~0xfffULL)
#define PTE_FLAGS_MASK		(~PTE_ADDR_MASK)
#define PTE_RSVD_HIGH_MASK	(((1ULL << __PHYSICAL_MASK_SHIFT) - 1) & \
				 ~((1ULL << TUXMM_PHYS_BITS) - 1))

/* Upper-level entries: user tables let the leaf decide; kernel tables are supervisor-only. */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* Leaf protections, Linux's x86 values. */
#define __PAGE_KERNEL		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
				 _PAGE_GLOBAL | _PAGE_NX)
#define __PAGE_KERNEL_EXEC	(__PAGE_KERNEL & ~_PAGE_NX)
#define __PAGE_KERNEL_RO	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define __PAGE_KERNEL_ROX	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define __PAGE_KERNEL_LARGE	(__PAGE_KERNEL | _PAGE_PSE)

#define PAGE_NONE		__pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED		__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
					 _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY		__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_COPY_EXEC		__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY		__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
					 _PAGE_NX)
#define PAGE_READONLY_EXEC	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_KERNEL		__pgprot(__PAGE_KERNEL)
#define PAGE_KERNEL_EXEC	__pgprot(__PAGE_KERNEL_EXEC)
#define PAGE_KERNEL_RO		__pgprot(__PAGE_KERNEL_RO)
#define PAGE_KERNEL_ROX		__pgprot(__PAGE_KERNEL_ROX)
#define PAGE_KERNEL_LARGE	__pgprot(__PAGE_KERNEL_LARGE)

/* ---- geometry ---- */

/*
 * Linux's five levels. A folded level has one entry (PTRS_PER_* == 1) and
 * shares its upper neighbour's shift: its "table" is the entry above it.
 */
enum pgtable_level {
	PT_PTE,
	PT_PMD,
	PT_PUD,
	PT_P4D,
	PT_PGD,
	PT_NR_LEVELS
};

/* One hardware table level, top (index 0) to bottom. */
struct pt_hwlevel {
	unsigned int shift;		/* log2 of the bytes one entry maps */
	unsigned long ptrs;		/* entries in a table of this level */
	unsigned char level;		/* Linux level (enum pgtable_level) of its entries */
	bool leaf_ok;			/* PSE makes an entry a leaf (PMD/PUD, <= 1 GiB) */
	const char *name;		/* "PGD", "P4D", "PUD", "PMD" or "PTE" */
};

struct pgtable_geometry {
	unsigned int levels;			/* hardware levels: 2..5 */
	unsigned int page_shift;
	unsigned int va_bits;			/* address bits one tree translates */
	bool sign_extend;			/* 64-bit: upper half (kernel) is sign-extended */
	unsigned int shift[PT_NR_LEVELS];	/* PAGE_SHIFT, PMD_SHIFT .. PGDIR_SHIFT */
	unsigned long ptrs[PT_NR_LEVELS];	/* PTRS_PER_PTE .. PTRS_PER_PGD; 1 if folded */
	bool folded[PT_NR_LEVELS];
	unsigned int pgd_order;			/* pages in one PGD, as an order */
	struct pt_hwlevel hw[5];		/* levels entries, top to bottom */
	const char *layout_name;		/* "x86-64 4-level", "arm64 39-bit", ... */
};

/*
 * The kernel half of every address space, at Linux's addresses for the
 * layout. Values carry Linux's names; see docs/arch.md for each layout.
 */
struct kernel_layout {
	unsigned long task_size;		/* TASK_SIZE: user addresses lie below */
	unsigned long page_offset;		/* PAGE_OFFSET: start of the direct map */
	unsigned long direct_map_bytes;		/* virtual space the direct map may use */
	unsigned long vmalloc_start;		/* VMALLOC_START */
	unsigned long vmalloc_end;		/* VMALLOC_END (x86-64: the last byte) */
	unsigned long vmalloc_total;		/* VMALLOC_TOTAL, bytes (/proc/meminfo) */
	unsigned long vmemmap_start;		/* Linux's struct pages (not mapped here) */
	unsigned long kernel_pgd_boundary;	/* KERNEL_PGD_BOUNDARY: first shared PGD entry */
	unsigned long high_memory;		/* end of the direct map's RAM, virtual */
};

/*
 * pgd_root - one address space as the MMU sees it: the PGD that CR3 holds
 * and what its tables cost. init_mm's is struct arch_mm.init_mm; the
 * address-space layer embeds one in each mm_struct.
 */
struct pgd_root {
	pgd_t *pgd;			/* the top table, in simulated RAM */
	phys_addr_t pgd_phys;		/* what CR3 holds */
	long pgtables_bytes;		/* tables below the PGD, bytes (VmPTE) */
	uint64_t cpumask;		/* CPUs with it in CR3 (mm_cpumask) */
	bool kernel;			/* init_mm: swapper_pg_dir */
	void *owner;			/* the mm_struct embedding it (demand paging), or NULL */
	struct list_head pgd_list;	/* on arch_mm.pgd_list (user roots) */
};

struct machine;
struct mmu_cpu;
struct pt_fault;
typedef unsigned int vm_fault_t;

/*
 * mmu_fault_fn - the page-fault handler the MMU calls for a fault at a user
 * address (the next layer sets it to its handle_mm_fault path). Returns 0
 * when the access can be retried, else a VM_FAULT_* outcome.
 */
typedef vm_fault_t (*mmu_fault_fn)(struct machine *m, const struct pt_fault *fault);

enum direct_map_level {
	DM_BASE,			/* base-page leaves (DirectMap4k) */
	DM_PMD,				/* PMD leaves (DirectMap2M) */
	DM_PUD,				/* PUD leaves (DirectMap1G) */
	DM_NR
};

/* The arch part of a machine: page-table format, kernel layout, CPUs' MMUs. */
struct arch_mm {
	struct pgtable_geometry geo;
	struct kernel_layout layout;
	struct pgd_root init_mm;		/* swapper_pg_dir */
	struct list_head pgd_list;		/* every other pgd_root (pgd_list in Linux) */
	unsigned long nr_pgds;			/* roots on pgd_list */
	unsigned long nr_kernel_tables;		/* table pages below swapper_pg_dir */
	unsigned long nr_boot_tables;		/* of those, built at boot (not PageTables) */
	unsigned long direct_pages[DM_NR];	/* direct-map leaves by size */
	bool booting;				/* tables allocated now are boot tables */
	bool smep, smap;			/* CR4.SMEP / CR4.SMAP (on, as Linux sets them) */
	struct mmu_cpu *cpus;			/* nr_cpus MMUs: hardware state, host memory */
	unsigned int tlb_sets, tlb_ways;	/* the TLB model's shape */
	unsigned int tlb_flush_ceiling;		/* pages: larger ranges flush everything */
	mmu_fault_fn fault_hook;		/* NULL: the default (SIGSEGV) */
	void *fault_data;			/* for the hook's owner */
	unsigned long nr_page_faults;		/* #PF delivered */
	unsigned long nr_gp_faults;		/* non-canonical accesses (#GP) */
	unsigned long nr_oops;			/* kernel-mode faults nobody could fix */
};

#endif
