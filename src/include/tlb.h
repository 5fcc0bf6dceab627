/*
 * tlb.h - each simulated CPU's TLB: a direct-mapped array of host addends
 * for the hot path (QEMU softmmu style, one per access mode) in front of a
 * set-associative model that decides what the CPU has cached and counts
 * hits, misses, walks, flushes and shootdown IPIs.
 * Follows Linux arch/x86/include/asm/tlbflush.h for the flush interface.
 */
#ifndef TUXMM_TLB_H
#define TUXMM_TLB_H

#include "machine.h"
#include "pgtable_types.h"

#define TLB_FAST_BITS 10
#define TLB_FAST_SIZE (1u << TLB_FAST_BITS)	/* entries per mode */
#define TLB_FAST_INVALID (~0UL)		/* a tag no access can match */

#define TLB_DEFAULT_ENTRIES 1536	/* a Skylake-like second-level TLB */
#define TLB_DEFAULT_WAYS    12
#define TLB_FLUSH_CEILING   33		/* Linux's tlb_single_page_flush_ceiling */

/* Who is accessing: the privilege level, and for the kernel whether EFLAGS.AC is set. */
enum mmu_mode {
	MMU_KERNEL,		/* CPL 0, SMAP enforced */
	MMU_USER,		/* CPL 3 */
	MMU_UACCESS,		/* CPL 0 inside copy_*_user (stac): user pages allowed */
	MMU_NR_MODES
};

enum mmu_access {
	MMU_READ,
	MMU_WRITE,
	MMU_FETCH,
};

/*
 * One fast entry: the tag for each access kind is the page's virtual address
 * when that access may use the entry without further checks, else
 * TLB_FAST_INVALID. A write tag needs the page writable *and* already dirty,
 * so the first write takes the slow path and sets the dirty bit.
 */
struct tlb_fast_entry {
	unsigned long addr_read;
	unsigned long addr_write;
	unsigned long addr_code;
	uintptr_t addend;		/* host address minus virtual address */
};

/* Permission bits of a cached translation (the AND/OR over all levels). */
#define TLB_USER   0x01
#define TLB_WRITE  0x02
#define TLB_EXEC   0x04
#define TLB_DIRTY  0x08
#define TLB_GLOBAL 0x10

/*
 * One entry of the set-associative model. Which page it caches is its tag,
 * kept apart in mmu_cpu.tags (same index) so that a set is searched by
 * reading only its tags: tlb_tag(vpn, shift), 0 when the entry is invalid.
 */
struct tlb_entry {
	phys_addr_t phys;		/* physical address of the leaf's first byte */
	unsigned char shift;		/* log2 of the leaf's size (valid entries) */
	unsigned char perm;		/* TLB_* */
	unsigned char fast_modes;	/* bit per mode whose fast array it may have filled */
};

/* tlb_tag - the model's tag for the leaf of size 1 << @shift holding @addr; never 0. */
static inline unsigned long tlb_tag(unsigned long addr, unsigned int shift)
{
	return (addr >> shift) << 8 | shift;
}

struct tlb_stats {
	unsigned long hits;		/* translations the TLB supplied (fast array or model) */
	unsigned long fast_hits;	/* of them, from the fast array */
	unsigned long misses;		/* translations that needed a walk */
	unsigned long walks;		/* page walks: misses, plus dirty-bit updates */
	unsigned long evictions;	/* model entries replaced while valid */
	unsigned long flush_one;	/* INVLPG */
	unsigned long flush_nonglobal;	/* CR3 writes and flush_tlb_mm */
	unsigned long flush_all;	/* global flushes (CR4.PGE toggles) */
	unsigned long cr3_switches;
	unsigned long shootdowns;	/* flushes this CPU asked other CPUs to do */
	unsigned long ipis_sent;	/* IPIs those requests sent */
	unsigned long ipis_received;
};

/*
 * mmu_cpu - one CPU's MMU: CR3, the fast array per mode, the model. Host
 * memory: it is hardware, not kernel data. The hot fields come first.
 */
struct mmu_cpu {
	unsigned int page_shift;
	bool geometry_is_default;	/* x86-64 4-level, 4 KiB pages: mmu.c's constant walk */
	unsigned long page_mask;	/* ~(page size - 1) */
	unsigned long fast_hits;	/* counted on the hot path, folded into stats */
	struct tlb_fast_entry fast[MMU_NR_MODES][TLB_FAST_SIZE];

	phys_addr_t cr3;
	struct pgd_root *root;		/* the address space CR3 points at */
	unsigned long cr2;		/* the last faulting address */
	unsigned long error_code;	/* and its X86_PF_* bits */
	unsigned long *tags;		/* sets * ways tags (tlb_tag(), 0: invalid) */
	struct tlb_entry *model;	/* sets * ways entries, indexed as tags */
	unsigned long nr_fills;		/* model entries filled by walks, ever */
	unsigned int nr_valid;		/* model entries with a tag: all of them, no way is free */
	/*
	 * The base page of the last #PF, whose translations that fault dropped
	 * (TLB_FAST_INVALID: none), and nr_fills then: while no entry has been
	 * filled since, the model holds no translation of that page, so the
	 * handler's INVLPG of it has nothing to look up.
	 */
	unsigned long pf_page;
	unsigned long pf_fills;
	unsigned char *victim;		/* per set: the next way to replace (FIFO) */
	unsigned int nr_large;		/* valid model entries for leaves above a base page */
	struct tlb_stats stats;
};

/*
 * tlb_perm_ok - may an access of kind @acc in @mode use a translation with
 * @perm? x86 rules with CR0.WP, EFER.NXE, CR4.SMEP and CR4.SMAP: user mode
 * needs a user page; the kernel may not fetch from a user page (SMEP) nor
 * touch one outside uaccess (SMAP); writes need RW in kernel mode too.
 */
static inline bool tlb_perm_ok(const struct arch_mm *a, unsigned int perm, enum mmu_access acc,
			       enum mmu_mode mode)
{
	if (mode == MMU_USER) {
		if (!(perm & TLB_USER))
			return false;
	} else if (perm & TLB_USER) {
		if (acc == MMU_FETCH ? a->smep : (mode == MMU_KERNEL && a->smap))
			return false;
	}
	if (acc == MMU_WRITE)
		return perm & TLB_WRITE;
	if (acc == MMU_FETCH)
		return perm & TLB_EXEC;
	return true;
}

int tlb_init(struct machine *m);
void tlb_destroy(struct machine *m);

/* ---- the model: lookup, fill after a walk, drop one entry ---- */

/* tlb_model_set - the index of the first way of the set caching @addr's leaf of 1 << @shift. */
static inline unsigned long tlb_model_set(const struct machine *m, unsigned long addr,
					  unsigned int shift)
{
	return ((addr >> shift) & (m->arch.tlb_sets - 1)) * m->arch.tlb_ways;
}

/*
 * tlb_set_find - the way of the set at @tags whose tag is @tag (0: a free way),
 * else the number of ways. Each fault scans a set two or three times: for the
 * default geometry the scan is unrolled.
 */
static inline unsigned int tlb_set_find(const struct machine *m, const unsigned long *tags,
					unsigned long tag)
{
	unsigned int ways = m->arch.tlb_ways;

	if (ways == TLB_DEFAULT_WAYS) {
#pragma GCC unroll 16
		for (unsigned int w = 0; w < TLB_DEFAULT_WAYS; w++)
			if (tags[w] == tag)
				return w;
		return ways;
	}
	for (unsigned int w = 0; w < ways; w++)
		if (tags[w] == tag)
			return w;
	return ways;
}

/* __tlb_model_lookup_large - the entry of a leaf larger than a base page translating @addr. */
struct tlb_entry *__tlb_model_lookup_large(struct machine *m, struct mmu_cpu *c,
					   unsigned long addr);

/*
 * tlb_model_lookup - the model's entry translating @addr, or NULL. Inline, as
 * every fast-array miss makes one: the base page's set first, the sets of
 * larger leaves only while the model holds any.
 */
static inline struct tlb_entry *tlb_model_lookup(struct machine *m, struct mmu_cpu *c,
						 unsigned long addr)
{
	unsigned long first = tlb_model_set(m, addr, c->page_shift);
	unsigned int w = tlb_set_find(m, c->tags + first, tlb_tag(addr, c->page_shift));

	if (w < m->arch.tlb_ways)
		return &c->model[first + w];
	return c->nr_large ? __tlb_model_lookup_large(m, c, addr) : NULL;
}

/*
 * tlb_model_insert - cache a walk's translation of @addr: the leaf of
 * 1 << @shift bytes at @phys, with @perm. Replaces the entry for that leaf if
 * cached, else takes a free way, else evicts. @may_hold is false when the
 * caller knows the model holds no translation of @addr (its lookup just
 * missed, or a #PF emptied it and nothing was filled since), which spares
 * searching the set for one.
 */
struct tlb_entry *tlb_model_insert(struct machine *m, struct mmu_cpu *c, unsigned long addr,
				   phys_addr_t phys, unsigned int shift, unsigned int perm,
				   bool may_hold);
void tlb_model_drop(struct machine *m, struct mmu_cpu *c, struct tlb_entry *e);
/* tlb_invalidate_addr - drop every translation of @addr (INVLPG without the counting). */
void tlb_invalidate_addr(struct machine *m, struct mmu_cpu *c, unsigned long addr);
/*
 * tlb_fill_fast - make the fast array of @mode serve @addr's page from model
 * entry @e. Returns the host address of @addr.
 */
void *tlb_fill_fast(struct machine *m, struct mmu_cpu *c, enum mmu_mode mode, unsigned long addr,
		    struct tlb_entry *e);

/* Local flushes on @cpu: one address (INVLPG), the non-global entries, everything. */
void __flush_tlb_one(struct machine *m, unsigned int cpu, unsigned long addr);
void __flush_tlb_local(struct machine *m, unsigned int cpu);
void __flush_tlb_global(struct machine *m, unsigned int cpu);

/*
 * The flushes Linux code calls. The initiator is m->cur_cpu; every other CPU
 * that may hold entries (for a user range: those with @root in CR3; for the
 * kernel: all) is sent one IPI. Ranges above TLB_FLUSH_CEILING pages flush
 * the whole TLB instead, as Linux does.
 */
void flush_tlb_mm_range(struct machine *m, struct pgd_root *root, unsigned long start,
			unsigned long end);
void flush_tlb_page(struct machine *m, struct pgd_root *root, unsigned long addr);
void flush_tlb_mm(struct machine *m, struct pgd_root *root);
void flush_tlb_kernel_range(struct machine *m, unsigned long start, unsigned long end);
void flush_tlb_all(struct machine *m);
#define flush_tlb_range(m, root, start, end) flush_tlb_mm_range(m, root, start, end)

/* switch_mm - load @root into @cpu's CR3: non-global entries go, global kernel ones stay. */
void switch_mm(struct machine *m, unsigned int cpu, struct pgd_root *root);

/* tlb_stats_sum - every CPU's counters added up. */
void tlb_stats_sum(struct machine *m, struct tlb_stats *sum);
/* tlb_stats_show - the TLB shape and per-CPU counters as "name value" lines. */
struct report;
void tlb_stats_show(struct machine *m, struct report *r);
/* tlb_holds_pfn - true if some CPU's TLB still translates to frame @pfn (debug checks). */
bool tlb_holds_pfn(struct machine *m, unsigned long pfn);

#endif
