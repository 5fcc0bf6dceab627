/*
 * vmalloc.h - virtually contiguous kernel memory: vmalloc, vzalloc, vfree,
 * vmap, vunmap, and /proc/vmallocinfo.
 * Follows Linux include/linux/vmalloc.h. Addresses returned are simulated
 * kernel virtual addresses (unsigned long, 0 on failure): the pages behind
 * them are scattered, so there is no host pointer to the whole area. Reach
 * the bytes through the MMU (kernel mode), vread()/vwrite(), or page by page
 * with vmalloc_to_page().
 */
#ifndef TUXMM_VMALLOC_H
#define TUXMM_VMALLOC_H

#include "gfp.h"
#include "pgtable_types.h"
#include "rbtree.h"
#include "types.h"

struct machine;
struct page;
struct report;
struct kmem_cache;

/* vm_struct flags, Linux's values. */
#define VM_IOREMAP		0x00000001	/* ioremap() and friends */
#define VM_ALLOC		0x00000002	/* vmalloc() */
#define VM_MAP			0x00000004	/* vmap()ed pages */
#define VM_USERMAP		0x00000008	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020	/* being set up: hidden from vmallocinfo */
#define VM_NO_GUARD		0x00000040	/* no guard page after the area */
#define VM_SPARSE		0x00001000	/* not all pages present */

/* One area: what /proc/vmallocinfo prints a line for. In simulated RAM (kmalloc). */
struct vm_struct {
	unsigned long addr;		/* start, virtual */
	unsigned long size;		/* bytes, the guard page included */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* nr_pages entries (kmalloc), NULL for none */
	unsigned int nr_pages;
	phys_addr_t phys_addr;		/* for ioremap */
	const char *caller;		/* function that asked, as %pS would name it */
};

/*
 * A range of the vmalloc area, free or busy. Free ones sit in an augmented
 * rbtree by address that knows the largest free range below each node.
 */
struct vmap_area {
	unsigned long va_start;
	unsigned long va_end;		/* exclusive */
	struct rb_node rb_node;
	union {
		unsigned long subtree_max_size;	/* free: largest range below, bytes */
		struct vm_struct *vm;		/* busy: its area */
	};
};

/* The vmalloc allocator's state, part of struct machine. */
struct vmap_state {
	struct rb_root free_root;		/* free vmap_areas, augmented */
	struct rb_root busy_root;		/* busy vmap_areas, by address */
	struct kmem_cache *vmap_area_cachep;	/* "vmap_area" */
	unsigned long start, end;		/* allocatable [start, end), page-aligned */
	unsigned long nr_vmalloc_pages;		/* pages behind vmalloc() areas */
	unsigned long nr_busy;			/* areas handed out */
	unsigned long nr_free_areas;		/* free ranges (nodes in free_root) */
};

int vmalloc_init(struct machine *m);

/*
 * __vmalloc_caller - @size bytes (rounded up to pages) of virtually contiguous
 * memory from order-0 pages, mapped PAGE_KERNEL, followed by an unmapped guard
 * page. @gfp: GFP_KERNEL, or with __GFP_ZERO. Returns the address or 0.
 */
unsigned long __vmalloc_caller(struct machine *m, unsigned long size, gfp_t gfp,
			       const char *caller);
#define vmalloc(m, size)     __vmalloc_caller(m, size, GFP_KERNEL, __func__)
#define vzalloc(m, size)     __vmalloc_caller(m, size, GFP_KERNEL | __GFP_ZERO, __func__)
#define __vmalloc(m, size, gfp) __vmalloc_caller(m, size, gfp, __func__)

/* vfree - unmap, flush, free the pages and the range. @addr 0 is a no-op. */
void vfree(struct machine *m, unsigned long addr);

/*
 * __vmap_caller - map @count existing pages contiguously with @prot (the
 * caller keeps the pages). @flags: VM_MAP and friends. Returns the address or 0.
 */
unsigned long __vmap_caller(struct machine *m, struct page **pages, unsigned int count,
			    unsigned long flags, pgprot_t prot, const char *caller);
#define vmap(m, pages, count, flags, prot) __vmap_caller(m, pages, count, flags, prot, __func__)
/* vunmap - undo vmap(); the pages stay the caller's. */
void vunmap(struct machine *m, unsigned long addr);

/* find_vm_area - the busy area starting at @addr, or NULL. */
struct vm_struct *find_vm_area(struct machine *m, unsigned long addr);
/* vmalloc_to_page - the page mapped at @addr in the kernel's tables, or NULL. */
struct page *vmalloc_to_page(struct machine *m, unsigned long addr);
unsigned long vmalloc_to_pfn(struct machine *m, unsigned long addr);
/* vread / vwrite - copy through the kernel's tables without a TLB; 0 or -EFAULT. */
int vread(struct machine *m, unsigned long addr, void *buf, size_t len);
int vwrite(struct machine *m, unsigned long addr, const void *buf, size_t len);

/* For /proc/meminfo: VmallocTotal in kB, VmallocUsed in pages. */
unsigned long vmalloc_total_kb(struct machine *m);
unsigned long vmalloc_used_pages(struct machine *m);
/* vmallocinfo_show - /proc/vmallocinfo. */
void vmallocinfo_show(struct machine *m, struct report *r);
/* vmalloc_check - trees ordered and disjoint, free+busy cover the area, maps match. */
bool vmalloc_check(struct machine *m);

#endif
