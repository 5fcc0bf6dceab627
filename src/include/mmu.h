/*
 * mmu.h - loads, stores and instruction fetches by a simulated CPU: the TLB
 * hit path inline, everything else (walk, A/D bits, x86 permission checks,
 * page faults with x86 error codes) out of line in src/arch/mmu.c.
 * Follows the Intel SDM vol. 3 ch. 4 and Linux arch/x86/mm/fault.c.
 */
#ifndef TUXMM_MMU_H
#define TUXMM_MMU_H

#include <string.h>

#include "debug.h"
#include "machine.h"
#include "tlb.h"

/* Page-fault error code bits (Linux's enum x86_pf_error_code). */
#define X86_PF_PROT  (1UL << 0)		/* 0: no page found; 1: protection fault */
#define X86_PF_WRITE (1UL << 1)		/* a write */
#define X86_PF_USER  (1UL << 2)		/* from user mode */
#define X86_PF_RSVD  (1UL << 3)		/* a reserved bit was set in an entry */
#define X86_PF_INSTR (1UL << 4)		/* an instruction fetch */
#define X86_PF_PK    (1UL << 5)		/* protection keys */

/* Fault outcomes, Linux's vm_fault_t values (include/linux/mm_types.h). */
#define VM_FAULT_OOM            0x000001
#define VM_FAULT_SIGBUS         0x000002
#define VM_FAULT_MAJOR          0x000004
#define VM_FAULT_HWPOISON       0x000010
#define VM_FAULT_HWPOISON_LARGE 0x000020
#define VM_FAULT_SIGSEGV        0x000040
#define VM_FAULT_NOPAGE         0x000100
#define VM_FAULT_LOCKED         0x000200
#define VM_FAULT_RETRY          0x000400
#define VM_FAULT_FALLBACK       0x000800
#define VM_FAULT_DONE_COW       0x001000
#define VM_FAULT_NEEDDSYNC      0x002000
#define VM_FAULT_COMPLETED      0x004000
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | \
			VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK)

#define MMU_FAULT_RETRIES 8	/* a hook that keeps saying "retry" gives SIGSEGV after these */

/* What the fault hook is told: CR2, the error code, and who faulted. */
struct pt_fault {
	unsigned long addr;		/* the faulting address (CR2) */
	unsigned long error_code;	/* X86_PF_* */
	unsigned int cpu;
	enum mmu_mode mode;
	struct pgd_root *root;		/* the address space in CR3 */
};

/*
 * mmu_set_fault_hook - who resolves faults at user addresses (NULL: the
 * default, which resolves nothing: SIGSEGV). @data is kept for the owner.
 */
void mmu_set_fault_hook(struct machine *m, mmu_fault_fn hook, void *data);

/* mmu_geometry_is_default - is @g x86-64 4-level with 4 KiB pages, which has its own walk? */
bool mmu_geometry_is_default(const struct pgtable_geometry *g);

/*
 * __mmu_translate - the slow path: translate @addr for a @size-byte access
 * (not crossing a page), walking and faulting as the CPU would, and refill
 * the fast array. Returns the host pointer, or NULL with *@ret the outcome.
 */
void *__mmu_translate(struct machine *m, unsigned int cpu, unsigned long addr, unsigned int size,
		      enum mmu_access acc, enum mmu_mode mode, vm_fault_t *ret);

/* mmu_cpu - the MMU of @cpu. */
static inline struct mmu_cpu *mmu_cpu(const struct machine *m, unsigned int cpu)
{
	return m->arch.cpus + cpu;
}

/*
 * tlb_fast_hit - the hot path: one array slot, one compare, one add. The
 * compare also fails for an access not aligned to @size, which the slow path
 * then handles (including one that crosses into the next page). On a hit
 * *@p is the host address of @addr.
 */
static inline bool tlb_fast_hit(struct mmu_cpu *c, enum mmu_mode mode, enum mmu_access acc,
				unsigned long addr, unsigned int size, void **p)
{
	const struct tlb_fast_entry *e = &c->fast[mode][(addr >> c->page_shift) &
							  (TLB_FAST_SIZE - 1)];
	unsigned long tag = acc == MMU_READ ? e->addr_read :
			    acc == MMU_WRITE ? e->addr_write : e->addr_code;

	if (likely(tag == (addr & (c->page_mask | (size - 1))))) {
		c->fast_hits++;
		*p = (void *)(addr + e->addend);
		return true;
	}
	return false;
}

/* mmu_translate - the host pointer for an aligned @size-byte access, or NULL with *@ret. */
static inline void *mmu_translate(struct machine *m, unsigned int cpu, unsigned long addr,
				  unsigned int size, enum mmu_access acc, enum mmu_mode mode,
				  vm_fault_t *ret)
{
	void *p;

	if (likely(tlb_fast_hit(mmu_cpu(m, cpu), mode, acc, addr, size, &p)))
		return p;
	return __mmu_translate(m, cpu, addr, size, acc, mode, ret);
}

/* Any length, any alignment, across pages: 0 or the fault outcome (nothing is copied past it). */
vm_fault_t mmu_read(struct machine *m, unsigned int cpu, unsigned long addr, void *dst, size_t len,
		    enum mmu_mode mode);
vm_fault_t mmu_write(struct machine *m, unsigned int cpu, unsigned long addr, const void *src,
		     size_t len, enum mmu_mode mode);
vm_fault_t mmu_fetch(struct machine *m, unsigned int cpu, unsigned long addr, void *dst, size_t len,
		     enum mmu_mode mode);

#define MMU_DEFINE_ACCESSORS(bits)                                                            \
	static inline vm_fault_t mmu_load_u##bits(struct machine *m, unsigned int cpu,        \
						  unsigned long addr, uint##bits##_t *val,    \
						  enum mmu_mode mode)                         \
	{                                                                                     \
		void *p;                                                                      \
		if (likely(tlb_fast_hit(mmu_cpu(m, cpu), mode, MMU_READ, addr, bits / 8, &p))) { \
			memcpy(val, p, bits / 8);                                             \
			return 0;                                                             \
		}                                                                             \
		return mmu_read(m, cpu, addr, val, bits / 8, mode);                           \
	}                                                                                     \
	static inline vm_fault_t mmu_store_u##bits(struct machine *m, unsigned int cpu,       \
						   unsigned long addr, uint##bits##_t val,    \
						   enum mmu_mode mode)                        \
	{                                                                                     \
		void *p;                                                                      \
		if (likely(tlb_fast_hit(mmu_cpu(m, cpu), mode, MMU_WRITE, addr, bits / 8, &p))) { \
			memcpy(p, &val, bits / 8);                                            \
			return 0;                                                             \
		}                                                                             \
		return mmu_write(m, cpu, addr, &val, bits / 8, mode);                         \
	}

MMU_DEFINE_ACCESSORS(8)
MMU_DEFINE_ACCESSORS(16)
MMU_DEFINE_ACCESSORS(32)
MMU_DEFINE_ACCESSORS(64)

/*
 * mmu_touch - an access of @acc at @addr without data (trace replay): the
 * same TLB, walk and fault behaviour as a one-byte access. 0 or the outcome.
 */
static inline vm_fault_t mmu_touch(struct machine *m, unsigned int cpu, unsigned long addr,
				   enum mmu_access acc, enum mmu_mode mode)
{
	vm_fault_t ret = 0;
	void *p;

	if (likely(tlb_fast_hit(mmu_cpu(m, cpu), mode, acc, addr, 1, &p)))
		return 0;
	__mmu_translate(m, cpu, addr, 1, acc, mode, &ret);
	return ret;
}

/* mmu_fault_name - "SIGSEGV", "SIGBUS", "OOM" ... for a fault outcome. */
const char *mmu_fault_name(vm_fault_t fault);

#endif
