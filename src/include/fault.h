/*
 * fault.h - the page-fault path's shared vocabulary: struct vm_fault, the
 * FAULT_FLAG_* bits, and the helpers memory.c offers the handlers of other
 * files (the page cache's ->fault and ->map_pages, shmem).
 * Follows Linux include/linux/mm.h (struct vm_fault, finish_fault, set_pte_range).
 */
#ifndef TUXMM_FAULT_H
#define TUXMM_FAULT_H

#include "pgtable_types.h"
#include "types.h"

struct page;
struct vm_area_struct;

#define FAULT_FLAG_WRITE        0x01	/* a write access */
#define FAULT_FLAG_MKWRITE      0x02	/* a write to a present, write-protected entry */
#define FAULT_FLAG_ALLOW_RETRY  0x04
#define FAULT_FLAG_USER         0x40	/* from user mode */
#define FAULT_FLAG_REMOTE       0x80	/* for another task (populate, ptrace) */
#define FAULT_FLAG_INSTRUCTION  0x100	/* an instruction fetch */
#define FAULT_FLAG_INTERRUPTIBLE 0x200
#define FAULT_FLAG_ORIG_PTE_VALID 0x800	/* orig_pte holds the entry found */

/* One fault being handled: what faulted, where, and what was found. */
struct vm_fault {
	struct vm_area_struct *vma;
	gfp_t gfp_mask;			/* for page allocations on behalf of this fault */
	pgoff_t pgoff;			/* pages: the offset of address in the area's backing */
	unsigned long address;		/* the faulting address, page-aligned */
	unsigned long real_address;	/* the faulting address as the CPU reported it */
	unsigned int flags;		/* FAULT_FLAG_* */
	pmd_t *pmd;			/* the PMD entry covering address */
	pte_t *pte;			/* the PTE slot, once the table exists; NULL before */
	pte_t orig_pte;			/* the entry found, when FAULT_FLAG_ORIG_PTE_VALID */
	struct page *cow_page;		/* the private copy for a private file write */
	struct page *page;		/* set by ->fault: the page to map, with a reference */
};

/*
 * finish_fault - map vmf->page (or vmf->cow_page for a private write) at
 * vmf->address: allocate the PTE table if needed, add the reverse mapping and
 * the RSS counter, set the entry with the area's protections (writable and
 * dirty for a write to a shared mapping). 0 or a VM_FAULT_* outcome.
 * On VM_FAULT_NOPAGE (the slot was filled meanwhile) or an error the caller
 * still owns the page's reference, as in Linux.
 */
vm_fault_t finish_fault(struct vm_fault *vmf);

/*
 * do_set_pte - install @page at @addr in the table vmf->pmd covers, for
 * fault-around (->map_pages): read-only unless this is the faulting address
 * of a write; young, as x86 maps prefaulted entries (no arch_wants_old_prefaulted_pte).
 * The caller holds a reference it hands over to the mapping; the slot must be empty.
 */
void do_set_pte(struct vm_fault *vmf, struct page *page, unsigned long addr);

/*
 * The rest of the contract, as memory.c implements it (demand paging, issue 5).
 * - ->fault returns vmf->page with a reference of its own (the mapping takes
 *   it over) and 0, VM_FAULT_MAJOR when it read from the host, VM_FAULT_SIGBUS
 *   beyond the end of the file, VM_FAULT_OOM. memory.c counts pgfault,
 *   pgmajfault (for VM_FAULT_MAJOR: ->fault must not) and min_flt/maj_flt.
 * - Before ->map_pages(vmf, start, end) the PTE table exists: the slot of an
 *   address is pte_offset_map(m, vmf->pmd, addr); map only into pte_none slots,
 *   with do_set_pte(); return VM_FAULT_NOPAGE if vmf->address got mapped.
 * - page->mapping is the address_space, page->index the pgoff. A shmem page
 *   has PG_swapbacked set (it counts in MM_SHMEMPAGES, as Linux's
 *   mm_counter_file()); anonymous pages have PAGE_MAPPING_ANON (rmap.h).
 * - ->page_mkwrite (shared writable files: the first write faults, as
 *   vma_wants_writenotify) marks the page dirty with its accounting. Without
 *   it (shmem), memory.c calls set_page_dirty() (pagemap.h, page-writeback.c);
 *   it does so too when it zaps a dirty PTE of a file page.
 * - Unmapping clears the PTE, flushes the TLB, then drops the mapping's reference.
 */

#endif
