/*
 * mmu.c - address translation by a simulated x86 CPU: TLB lookup, the page
 * walk that sets accessed and dirty bits in the entries in RAM, the
 * permission checks, and page faults with x86 error codes.
 * Follows the Intel SDM vol. 3 ch. 4 (paging) and Linux arch/x86/mm/fault.c
 * (user vs kernel faults, SMAP, oops messages).
 * Keeps: a translation enters the TLB only after a walk that allowed the
 * access; the A bits of every level (and D on a write) are set by that walk.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"
#include "mmu.h"
#include "pgtable.h"
#include "printk.h"
#include "tlb.h"

void mmu_set_fault_hook(struct machine *m, mmu_fault_fn hook, void *data)
{
	m->arch.fault_hook = hook;
	m->arch.fault_data = data;
}

/* Until the address-space layer installs handle_mm_fault, no fault can be fixed. */
static vm_fault_t default_fault_hook(struct machine *m, const struct pt_fault *fault)
{
	(void)m;
	(void)fault;
	return VM_FAULT_SIGSEGV;
}

const char *mmu_fault_name(vm_fault_t fault)
{
	if (!fault)
		return "none";
	if (fault & VM_FAULT_OOM)
		return "OOM";
	if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		return "SIGBUS";
	if (fault & VM_FAULT_SIGSEGV)
		return "SIGSEGV";
	return "retry";
}

static int addr_width(const struct machine *m)
{
	return m->arch.geo.sign_extend ? 16 : 8;
}

/* dump_pagetable - "PGD 3ffc067 PUD 3ffb067 PMD 0", as Linux prints after an oops. */
static void dump_pagetable(struct machine *m, struct mmu_cpu *c, unsigned long addr)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	pteval_t *table = (pteval_t *)(m->ram + c->cr3);
	char line[256];
	size_t n = 0;

	for (unsigned int hw = 0; hw < g->levels && n < sizeof(line) - 40; hw++) {
		pteval_t v = table[pt_hw_index(g, hw, addr)];

		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %llx", hw ? " " : "",
				      g->hw[hw].name, (unsigned long long)v);
		if (!(v & _PAGE_PRESENT) || pt_hw_is_leaf(g, hw, v) ||
		    (v & PTE_ADDR_MASK) >= m->phys_size)
			break;
		table = pt_table_vaddr(m, v);
	}
	printk(m, "%s", line);
}

/* page_fault_oops - a kernel-mode fault nobody can fix: Linux's show_fault_oops() lines. */
static vm_fault_t page_fault_oops(struct machine *m, struct mmu_cpu *c, unsigned long addr,
				  unsigned long error_code, enum mmu_mode mode)
{
	int w = addr_width(m);
	const char *what;

	if (addr < m->page_size)
		printk(m, "BUG: kernel NULL pointer dereference, address: %0*lx", w, addr);
	else
		printk(m, "BUG: unable to handle page fault for address: %0*lx", w, addr);
	printk(m, "#PF: %s %s in %s mode", (error_code & X86_PF_USER) ? "user" : "supervisor",
	       (error_code & X86_PF_INSTR) ? "instruction fetch" :
	       (error_code & X86_PF_WRITE) ? "write access" : "read access",
	       mode == MMU_USER ? "user" : "kernel");
	if (!(error_code & X86_PF_PROT))
		what = "not-present page";
	else if (error_code & X86_PF_RSVD)
		what = "reserved bit violation";
	else
		what = "permissions violation";
	printk(m, "#PF: error_code(0x%04lx) - %s", error_code, what);
	dump_pagetable(m, c, addr);
	printk(m, "Oops: %04lx [#%lu] SMP NOPTI", error_code, ++m->arch.nr_oops);
	return VM_FAULT_SIGSEGV;
}

static void show_signal_msg(struct machine *m, unsigned int cpu, unsigned long addr,
			    unsigned long error_code)
{
	printk(m, "cpu%u: segfault at %lx error %lx", cpu, addr, error_code);
}

/* A non-canonical address raises #GP, not #PF: no handler sees it. */
static vm_fault_t general_protection(struct machine *m, unsigned int cpu, unsigned long addr,
				     enum mmu_mode mode)
{
	m->arch.nr_gp_faults++;
	if (mode == MMU_USER) {
		printk(m, "traps: cpu%u general protection fault at %lx (non-canonical address)",
		       cpu, addr);
		return VM_FAULT_SIGSEGV;
	}
	if (mode == MMU_UACCESS)
		return VM_FAULT_SIGSEGV;
	printk(m, "general protection fault, probably for non-canonical address %#lx: 0000 "
		  "[#%lu] SMP NOPTI", addr, ++m->arch.nr_oops);
	return VM_FAULT_SIGSEGV;
}

/*
 * do_page_fault - deliver #PF: record CR2 and the error code, then do what
 * Linux's exc_page_fault() does. Kernel addresses are never the hook's; user
 * addresses go to the hook unless the kernel touched them outside uaccess
 * (SMAP) or the tables are corrupt. Returns 0 to retry, else the outcome.
 * @tlb_may_hold is false when the TLB is known to hold no translation of
 * @addr (the lookup just missed), so the #PF's invalidation has nothing to do.
 */
static vm_fault_t do_page_fault(struct machine *m, unsigned int cpu, unsigned long addr,
				unsigned long error_code, enum mmu_mode mode, bool tlb_may_hold)
{
	struct mmu_cpu *c = mmu_cpu(m, cpu);
	struct pt_fault f = {
		.addr = addr, .error_code = error_code, .cpu = cpu, .mode = mode, .root = c->root,
	};
	mmu_fault_fn hook = m->arch.fault_hook ? m->arch.fault_hook : default_fault_hook;
	vm_fault_t ret;

	c->cr2 = addr;
	c->error_code = error_code;
	m->arch.nr_page_faults++;
	/* A #PF invalidates the TLB's translations of the faulting address (SDM 4.10.4.1). */
	if (tlb_may_hold)
		tlb_invalidate_addr(m, c, addr);
	VM_BUG_ON(tlb_model_lookup(m, c, addr));
	c->pf_page = addr & c->page_mask;
	c->pf_fills = c->nr_fills;

	if (fault_in_kernel_space(m, addr)) {
		if (mode == MMU_USER) {
			show_signal_msg(m, cpu, addr, error_code);
			return VM_FAULT_SIGSEGV;
		}
		if (mode == MMU_UACCESS)
			return VM_FAULT_SIGSEGV;
		return page_fault_oops(m, c, addr, error_code, mode);
	}
	if (error_code & X86_PF_RSVD) {
		printk(m, "cpu%u: Corrupted page table at address %lx", cpu, addr);
		dump_pagetable(m, c, addr);
		printk(m, "Bad pagetable: %04lx [#%lu] SMP NOPTI", error_code, ++m->arch.nr_oops);
		return VM_FAULT_SIGSEGV;
	}
	if (mode == MMU_KERNEL && m->arch.smap)
		return page_fault_oops(m, c, addr, error_code, mode);

	ret = hook(m, &f);
	if (!(ret & VM_FAULT_ERROR))
		return 0;
	if (mode == MMU_USER) {
		if (!m->arch.fault_hook)
			show_signal_msg(m, cpu, addr, error_code);
		return ret & VM_FAULT_ERROR;
	}
	if (mode == MMU_UACCESS)
		return ret & VM_FAULT_ERROR;	/* the exception-table fixup: -EFAULT */
	page_fault_oops(m, c, addr, error_code, mode);
	return ret & VM_FAULT_ERROR;
}

enum walk_result {
	WALK_OK,
	WALK_FAULT,
	WALK_BUS,		/* an entry points outside simulated RAM */
};

/*
 * What one walk read: the entry it used at each hardware level and the value
 * it found there, down to the level where it stopped. Kept across a fault so
 * that the retry can skip the levels that did not change (__mmu_walk()).
 */
#define WALK_LEVELS_MAX (sizeof(((struct pgtable_geometry *)0)->hw) / sizeof(struct pt_hwlevel))

struct walk_path {
	pteval_t *slot[WALK_LEVELS_MAX];	/* the entry read at each level */
	pteval_t val[WALK_LEVELS_MAX];		/* its value then */
	unsigned int depth;			/* levels read by a walk that faulted */
};

/*
 * The default geometry, x86-64 4-level with 4 KiB pages, as constants. The
 * walk below is written once for any geometry; given this one it compiles to
 * a copy whose loop is unrolled and whose indexes, leaf and reserved-bit
 * tests are computed at build time. Only the fields the walk reads are set.
 */
static const struct pgtable_geometry x86_64_4level = {
	.levels = 4,
	.page_shift = 12,
	.hw = {
		{ .shift = 39, .ptrs = 512 },
		{ .shift = 30, .ptrs = 512, .leaf_ok = true },
		{ .shift = 21, .ptrs = 512, .leaf_ok = true },
		{ .shift = 12, .ptrs = 512 },
	},
};

bool mmu_geometry_is_default(const struct pgtable_geometry *g)
{
	const struct pgtable_geometry *d = &x86_64_4level;

	if (g->levels != d->levels || g->page_shift != d->page_shift)
		return false;
	for (unsigned int hw = 0; hw < d->levels; hw++)
		if (g->hw[hw].shift != d->hw[hw].shift || g->hw[hw].ptrs != d->hw[hw].ptrs ||
		    (hw + 1 < d->levels && g->hw[hw].leaf_ok != d->hw[hw].leaf_ok))
			return false;
	return true;
}

/*
 * __mmu_walk - the hardware walk of geometry @g, from CR3, or when @resume
 * from where the walk recorded in @path faulted: its levels are compared
 * from the top down, and the walk starts at the first one whose entry
 * changed (the hook allocated a table, moved one, revoked a right) or else
 * at the level where that walk stopped. Each entry is compared only after
 * every one above it matched, so the entries kept are exactly what a walk
 * from CR3 would read again, and resuming reads, checks and sets the same
 * bits as that walk.
 * Effective permissions are the AND of RW and US and the OR of NX over all
 * levels. On success sets A in every level (D in the leaf for a write) and
 * fills *@e's fields; on a fault sets *@error_code. Nothing is set when the
 * access is refused. @path records what was read.
 */
static inline __attribute__((always_inline)) enum walk_result
__mmu_walk(struct machine *m, struct mmu_cpu *c, const struct pgtable_geometry *g,
	   unsigned long addr, enum mmu_access acc, enum mmu_mode mode, struct walk_path *path,
	   bool resume, struct tlb_entry *e, unsigned long *error_code)
{
	const unsigned long page_size = 1UL << g->page_shift;
	/* A goes along with RW and US: if every level has it, there is none to set. */
	pteval_t and_bits = _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED, or_bits = 0;
	unsigned long err = (acc == MMU_WRITE ? X86_PF_WRITE : 0) |
			    (mode == MMU_USER ? X86_PF_USER : 0) |
			    (acc == MMU_FETCH ? X86_PF_INSTR : 0);
	unsigned int from = 0, hw;
	pteval_t *pe;

	if (resume) {
		/* Bounded by the levels (depth never exceeds them) so that it unrolls. */
#pragma GCC unroll 5
		for (from = 0; from + 1 < g->levels; from++) {
			pteval_t v;

			if (from + 1 >= path->depth)
				break;
			v = *path->slot[from];
			if (v != path->val[from])
				break;
			and_bits &= v;
			or_bits |= v;
		}
		pe = path->slot[from];
	} else {
		pe = (pteval_t *)(m->ram + c->cr3) + pt_hw_index(g, 0, addr);
	}
	/* Counted from the top even when resuming, so that a constant @g gives constant levels. */
#pragma GCC unroll 5
	for (hw = 0; hw < g->levels; hw++) {
		pteval_t v;

		if (hw < from)
			continue;
		v = *pe;
		path->slot[hw] = pe;
		path->val[hw] = v;
		/* The usual entry, present and clear above MAXPHYADDR, passes one test. */
		if ((v & (_PAGE_PRESENT | PTE_RSVD_HIGH_MASK)) != _PAGE_PRESENT ||
		    pt_rsvd_low_bits(g, hw, v)) {
			if (v & _PAGE_PRESENT)
				err |= X86_PF_PROT | X86_PF_RSVD;
			goto fault;
		}
		and_bits &= v;
		or_bits |= v;
		if (pt_hw_is_leaf(g, hw, v)) {
			unsigned int shift = g->hw[hw].shift;
			phys_addr_t base = v & PTE_ADDR_MASK & ~((1ULL << shift) - 1);
			phys_addr_t page = base + ((addr & ((1UL << shift) - 1)) & ~(page_size - 1));
			unsigned int perm = (and_bits & _PAGE_USER ? TLB_USER : 0) |
					    (and_bits & _PAGE_RW ? TLB_WRITE : 0) |
					    (or_bits & _PAGE_NX ? 0 : TLB_EXEC) |
					    (v & _PAGE_DIRTY ? TLB_DIRTY : 0) |
					    (v & _PAGE_GLOBAL ? TLB_GLOBAL : 0);

			if (page + page_size > m->phys_size)
				return WALK_BUS;
			if (!tlb_perm_ok(&m->arch, perm, acc, mode)) {
				err |= X86_PF_PROT;
				goto fault;
			}
			if (!(and_bits & _PAGE_ACCESSED))
				for (unsigned int i = 0; i <= hw; i++)
					if (!(*path->slot[i] & _PAGE_ACCESSED))
						*path->slot[i] |= _PAGE_ACCESSED;
			if (acc == MMU_WRITE) {
				*pe |= _PAGE_DIRTY;
				perm |= TLB_DIRTY;
			}
			e->phys = base;
			e->shift = (unsigned char)shift;
			e->perm = (unsigned char)perm;
			return WALK_OK;
		}
		if ((v & PTE_ADDR_MASK) >= m->phys_size)
			return WALK_BUS;
		pe = (pteval_t *)pt_table_vaddr(m, v) + pt_hw_index(g, hw + 1, addr);
	}
	return WALK_BUS;	/* not reached: the last level is always a leaf */

fault:
	path->depth = hw + 1;
	*error_code = err;
	return WALK_FAULT;
}

/* mmu_walk - __mmu_walk() in the machine's geometry: the constant copy for the default one. */
static enum walk_result mmu_walk(struct machine *m, struct mmu_cpu *c, unsigned long addr,
				 enum mmu_access acc, enum mmu_mode mode, struct walk_path *path,
				 bool resume, struct tlb_entry *e, unsigned long *error_code)
{
	if (likely(c->geometry_is_default))
		return __mmu_walk(m, c, &x86_64_4level, addr, acc, mode, path, resume, e,
				  error_code);
	return __mmu_walk(m, c, &m->arch.geo, addr, acc, mode, path, resume, e, error_code);
}

/*
 * __mmu_translate - the TLB model, then the walk, then the fault. After a
 * fault the hook resolved, the retry is the CPU's: a TLB miss and a walk,
 * counted as such. Two things are known then that spare work without
 * changing any result: the #PF emptied the model of this address, so unless
 * something was filled meanwhile (nr_fills) the lookup would miss; and the
 * walk may resume below the levels that did not change.
 */
void *__mmu_translate(struct machine *m, unsigned int cpu, unsigned long addr, unsigned int size,
		      enum mmu_access acc, enum mmu_mode mode, vm_fault_t *ret)
{
	struct mmu_cpu *c = mmu_cpu(m, cpu);
	unsigned long fills_at_fault = 0;
	phys_addr_t cr3_at_fault = 0;
	struct walk_path path;
	bool retry = false;

	(void)size;
	if (!pt_addr_canonical(&m->arch.geo, addr)) {
		*ret = general_protection(m, cpu, addr, mode);
		return NULL;
	}
	path.depth = 0;
	for (unsigned int tries = 0;; tries++) {
		bool fresh = retry && c->nr_fills == fills_at_fault;
		struct tlb_entry *e = fresh ? NULL : tlb_model_lookup(m, c, addr);
		bool resume = false;
		struct tlb_entry walked;
		unsigned long error_code = 0;
		vm_fault_t fault;

		if (e && tlb_perm_ok(&m->arch, e->perm, acc, mode)) {
			c->stats.hits++;
			if (acc != MMU_WRITE || (e->perm & TLB_DIRTY))
				goto hit;
			/* A write through a clean entry: the CPU walks again to set D. */
		} else {
			/*
			 * Not cached, or cached without the right: the SDM lets the CPU
			 * walk again before faulting, which makes upgrades without a
			 * flush (Linux does them) never fault spuriously.
			 */
			if (e)
				tlb_model_drop(m, c, e);
			c->stats.misses++;
			resume = retry && c->cr3 == cr3_at_fault;
		}
		c->stats.walks++;
		switch (mmu_walk(m, c, addr, acc, mode, &path, resume, &walked, &error_code)) {
		case WALK_OK:
			/* Without an entry from the lookup (or the lookup skipped), none is cached. */
			e = tlb_model_insert(m, c, addr, walked.phys, walked.shift, walked.perm,
					     e != NULL);
			goto hit;
		case WALK_BUS:
			printk(m, "cpu%u: machine check: translation of %#lx leads outside RAM",
			       cpu, addr);
			*ret = VM_FAULT_SIGBUS;
			return NULL;
		case WALK_FAULT:
			break;
		}
		/* What the hook may change: the model's contents, and CR3. */
		fills_at_fault = c->nr_fills;
		cr3_at_fault = c->cr3;
		fault = do_page_fault(m, cpu, addr, error_code, mode, e != NULL);
		if (fault) {
			*ret = fault;
			return NULL;
		}
		if (tries + 1 >= MMU_FAULT_RETRIES) {
			printk(m, "cpu%u: fault at %#lx still unresolved after %d retries", cpu,
			       addr, MMU_FAULT_RETRIES);
			*ret = VM_FAULT_SIGSEGV;
			return NULL;
		}
		retry = true;
		continue;
hit:
		return tlb_fill_fast(m, c, mode, addr, e);
	}
}

static vm_fault_t mmu_copy(struct machine *m, unsigned int cpu, unsigned long addr, void *buf,
			   size_t len, enum mmu_access acc, enum mmu_mode mode)
{
	uint8_t *b = buf;

	while (len) {
		size_t chunk = m->page_size - (addr & (m->page_size - 1));
		vm_fault_t ret = 0;
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		p = mmu_translate(m, cpu, addr, 1, acc, mode, &ret);
		if (!p)
			return ret;
		if (acc == MMU_WRITE)
			memcpy(p, b, chunk);
		else
			memcpy(b, p, chunk);
		addr += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

vm_fault_t mmu_read(struct machine *m, unsigned int cpu, unsigned long addr, void *dst, size_t len,
		    enum mmu_mode mode)
{
	return mmu_copy(m, cpu, addr, dst, len, MMU_READ, mode);
}

vm_fault_t mmu_write(struct machine *m, unsigned int cpu, unsigned long addr, const void *src,
		     size_t len, enum mmu_mode mode)
{
	return mmu_copy(m, cpu, addr, (void *)src, len, MMU_WRITE, mode);
}

vm_fault_t mmu_fetch(struct machine *m, unsigned int cpu, unsigned long addr, void *dst, size_t len,
		     enum mmu_mode mode)
{
	return mmu_copy(m, cpu, addr, dst, len, MMU_FETCH, mode);
}
