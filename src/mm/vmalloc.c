/*
 * vmalloc.c - virtually contiguous kernel memory in the vmalloc area: free
 * ranges in an augmented rbtree (lowest-address first fit in O(log n)),
 * areas with a guard page, order-0 pages mapped into swapper_pg_dir.
 * Follows Linux mm/vmalloc.c (alloc_vmap_area, va_clip, merge_or_add_vmap_area,
 * vmalloc_info_show) without lazy purging or per-node pools: a freed range is
 * flushed from the TLBs and reusable at once.
 * Keeps: free and busy ranges are disjoint and together cover [start, end);
 * no two free ranges touch; each free node knows its subtree's largest range.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "mm.h"
#include "pgtable.h"
#include "printk.h"
#include "report.h"
#include "slab.h"
#include "vmalloc.h"

/* ---- the free tree, augmented with the largest range below each node ---- */

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static inline struct vmap_area *node_va(const struct rb_node *node)
{
	return rb_entry(node, struct vmap_area, rb_node);
}

static inline unsigned long subtree_max(const struct rb_node *node)
{
	return node ? node_va(node)->subtree_max_size : 0;
}

static unsigned long compute_subtree_max(const struct vmap_area *va)
{
	unsigned long max = va_size(va), l = subtree_max(va->rb_node.rb_left);
	unsigned long r = subtree_max(va->rb_node.rb_right);

	if (l > max)
		max = l;
	return r > max ? r : max;
}

static void augment_propagate(struct rb_node *node, struct rb_node *stop)
{
	while (node != stop) {
		struct vmap_area *va = node_va(node);
		unsigned long max = compute_subtree_max(va);

		if (va->subtree_max_size == max)
			break;
		va->subtree_max_size = max;
		node = rb_parent(node);
	}
}

static void augment_copy(struct rb_node *old, struct rb_node *new_node)
{
	node_va(new_node)->subtree_max_size = node_va(old)->subtree_max_size;
}

static void augment_rotate(struct rb_node *old, struct rb_node *new_node)
{
	node_va(new_node)->subtree_max_size = node_va(old)->subtree_max_size;
	node_va(old)->subtree_max_size = compute_subtree_max(node_va(old));
}

static const struct rb_augment_callbacks free_augment = {
	.propagate = augment_propagate,
	.copy = augment_copy,
	.rotate = augment_rotate,
};

/* After @va's size changed: recompute it and every ancestor. */
static void propagate_to_root(struct vmap_area *va)
{
	for (struct rb_node *node = &va->rb_node; node; node = rb_parent(node))
		node_va(node)->subtree_max_size = compute_subtree_max(node_va(node));
}

static void insert_free_area(struct vmap_state *vs, struct vmap_area *va)
{
	struct rb_node **link = &vs->free_root.rb_node, *parent = NULL;

	while (*link) {
		struct vmap_area *tmp = node_va(*link);

		parent = *link;
		link = va->va_end <= tmp->va_start ? &(*link)->rb_left : &(*link)->rb_right;
	}
	va->subtree_max_size = va_size(va);
	rb_link_node(&va->rb_node, parent, link);
	rb_insert_augmented(&va->rb_node, &vs->free_root, &free_augment);
	propagate_to_root(va);
	vs->nr_free_areas++;
}

static void erase_free_area(struct vmap_state *vs, struct vmap_area *va)
{
	rb_erase_augmented(&va->rb_node, &vs->free_root, &free_augment);
	RB_CLEAR_NODE(&va->rb_node);
	vs->nr_free_areas--;
}

/* ---- the busy tree ---- */

static void insert_busy_area(struct vmap_state *vs, struct vmap_area *va)
{
	struct rb_node **link = &vs->busy_root.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = va->va_start < node_va(*link)->va_start ? &(*link)->rb_left :
								  &(*link)->rb_right;
	}
	rb_link_node(&va->rb_node, parent, link);
	rb_insert_color(&va->rb_node, &vs->busy_root);
	vs->nr_busy++;
}

/* find_vmap_area - the busy range containing @addr. */
static struct vmap_area *find_vmap_area(struct vmap_state *vs, unsigned long addr)
{
	struct rb_node *node = vs->busy_root.rb_node;

	while (node) {
		struct vmap_area *va = node_va(node);

		if (addr < va->va_start)
			node = node->rb_left;
		else if (addr >= va->va_end)
			node = node->rb_right;
		else
			return va;
	}
	return NULL;
}

/* ---- allocating and freeing ranges ---- */

/* fits_in - the lowest @align-aligned start at or after @vstart where @size fits in @va. */
static bool fits_in(const struct vmap_area *va, unsigned long size, unsigned long align,
		    unsigned long vstart, unsigned long *start)
{
	unsigned long s = va->va_start > vstart ? va->va_start : vstart;

	s = ALIGN_UP(s, align);
	if (s < va->va_start || s + size < s || s + size > va->va_end)
		return false;
	*start = s;
	return true;
}

/*
 * find_lowest_match - the free range holding the lowest fit. Go left while
 * the left subtree has a range big enough; else try this node; else go
 * right if that subtree can hold it; else climb to the first ancestor we
 * left by its left child and continue right of it.
 */
static struct vmap_area *find_lowest_match(struct vmap_state *vs, unsigned long size,
					   unsigned long align, unsigned long vstart,
					   unsigned long *start)
{
	struct rb_node *node = vs->free_root.rb_node;

	while (node) {
		struct vmap_area *va = node_va(node);

		if (subtree_max(node->rb_left) >= size && vstart < va->va_start) {
			node = node->rb_left;
			continue;
		}
		if (fits_in(va, size, align, vstart, start))
			return va;
		if (subtree_max(node->rb_right) >= size) {
			node = node->rb_right;
			continue;
		}
		for (;;) {
			struct rb_node *child = node;

			node = rb_parent(node);
			if (!node)
				return NULL;
			if (node->rb_left != child)
				continue;
			va = node_va(node);
			if (fits_in(va, size, align, vstart, start))
				return va;
			if (subtree_max(node->rb_right) >= size) {
				/* Nothing left of here fits: never look there again. */
				vstart = va->va_end;
				node = node->rb_right;
				break;
			}
		}
	}
	return NULL;
}

/* clip_free_area - take [start, start + size) out of free range @va. */
static void clip_free_area(struct machine *m, struct vmap_area *va, unsigned long start,
			   unsigned long size, struct vmap_area **spare)
{
	struct vmap_state *vs = &m->vmap;

	if (va->va_start == start && va->va_end == start + size) {
		erase_free_area(vs, va);
		kmem_cache_free(vs->vmap_area_cachep, va);
	} else if (va->va_start == start) {
		va->va_start += size;
		propagate_to_root(va);
	} else if (va->va_end == start + size) {
		va->va_end = start;
		propagate_to_root(va);
	} else {
		struct vmap_area *lva = *spare;

		*spare = NULL;
		lva->va_start = va->va_start;
		lva->va_end = start;
		va->va_start = start + size;
		propagate_to_root(va);
		insert_free_area(vs, lva);
	}
}

static struct vmap_area *alloc_vmap_area(struct machine *m, unsigned long size,
					 unsigned long align, gfp_t gfp)
{
	struct vmap_state *vs = &m->vmap;
	struct vmap_area *va, *free, *spare;
	unsigned long start = 0;

	va = kmem_cache_alloc(vs->vmap_area_cachep, GFP_KERNEL);
	spare = kmem_cache_alloc(vs->vmap_area_cachep, GFP_KERNEL);
	if (!va || !spare)
		goto out_free;
	free = find_lowest_match(vs, size, align, vs->start, &start);
	if (!free || start + size > vs->end) {
		if (!(gfp & __GFP_NOWARN))
			printk(m, "vmap allocation for size %lu failed: use vmalloc=<size> to "
				  "increase size", size);
		goto out_free;
	}
	clip_free_area(m, free, start, size, &spare);
	if (spare)
		kmem_cache_free(vs->vmap_area_cachep, spare);
	va->va_start = start;
	va->va_end = start + size;
	va->vm = NULL;
	insert_busy_area(vs, va);
	return va;

out_free:
	if (va)
		kmem_cache_free(vs->vmap_area_cachep, va);
	if (spare)
		kmem_cache_free(vs->vmap_area_cachep, spare);
	return NULL;
}

/* free_vmap_area - give a busy range back, merged with free neighbours. */
static void free_vmap_area(struct machine *m, struct vmap_area *va)
{
	struct vmap_state *vs = &m->vmap;
	struct rb_node *node;

	rb_erase(&va->rb_node, &vs->busy_root);
	vs->nr_busy--;
	insert_free_area(vs, va);
	node = rb_next(&va->rb_node);
	if (node && node_va(node)->va_start == va->va_end) {
		struct vmap_area *next = node_va(node);
		unsigned long end = next->va_end;

		erase_free_area(vs, next);
		kmem_cache_free(vs->vmap_area_cachep, next);
		va->va_end = end;
		propagate_to_root(va);
	}
	node = rb_prev(&va->rb_node);
	if (node && node_va(node)->va_end == va->va_start) {
		struct vmap_area *prev = node_va(node);
		unsigned long end = va->va_end;

		erase_free_area(vs, va);
		kmem_cache_free(vs->vmap_area_cachep, va);
		prev->va_end = end;
		propagate_to_root(prev);
	}
}

/* ---- areas ---- */

static struct vm_struct *get_vm_area_caller(struct machine *m, unsigned long size,
					    unsigned long flags, gfp_t gfp, const char *caller)
{
	struct vm_struct *area = kzalloc(m, sizeof(*area), GFP_KERNEL);
	struct vmap_area *va;

	if (!area)
		return NULL;
	if (!(flags & VM_NO_GUARD))
		size += m->page_size;
	va = alloc_vmap_area(m, size, m->page_size, gfp);
	if (!va) {
		kfree(m, area);
		return NULL;
	}
	area->addr = va->va_start;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	va->vm = area;
	return area;
}

static unsigned long area_mapped_size(const struct machine *m, const struct vm_struct *area)
{
	return area->size - ((area->flags & VM_NO_GUARD) ? 0 : m->page_size);
}

/* remove_vm_area - unmap (clear, flush, free empty tables), then release the range. */
static void remove_vm_area(struct machine *m, struct vmap_area *va)
{
	struct vm_struct *area = va->vm;

	pgtable_unmap_range(m, &m->arch.init_mm, area->addr, area_mapped_size(m, area));
	free_vmap_area(m, va);
}

static void free_area_pages(struct machine *m, struct vm_struct *area)
{
	for (unsigned int i = 0; i < area->nr_pages; i++) {
		ClearPageFlag(area->pages[i], PG_vmalloc);
		__free_pages(m, area->pages[i], 0);
	}
	if (area->flags & VM_ALLOC)
		m->vmap.nr_vmalloc_pages -= area->nr_pages;
	kfree(m, area->pages);
	kfree(m, area);
}

static void vmalloc_warn(struct machine *m, gfp_t gfp, unsigned long size, const char *what)
{
	struct report r;

	if (gfp & __GFP_NOWARN)
		return;
	report_init(&r);
	gfp_format(&r, gfp);
	printk(m, "tuxmm: vmalloc error: size %lu, %s, mode:%s, nodemask=(null)", size, what,
	       r.buf ? r.buf : "?");
	report_free(&r);
}

static int map_area_pages(struct machine *m, struct vm_struct *area, struct page **pages,
			  unsigned int count, pgprot_t prot)
{
	for (unsigned int i = 0; i < count; i++) {
		int err = pgtable_map_range(m, &m->arch.init_mm, area->addr + i * m->page_size,
					    page_to_phys(m, pages[i]), m->page_size, prot,
					    m->page_size);

		if (err)
			return err;
	}
	return 0;
}

unsigned long __vmalloc_caller(struct machine *m, unsigned long size, gfp_t gfp,
			       const char *caller)
{
	unsigned long nr_pages, real_size = ALIGN_UP(size, m->page_size);
	struct vm_struct *area;
	struct vmap_area *va;

	if (!size || real_size < size) {
		printk(m, "tuxmm: vmalloc of %lu bytes refused", size);
		return 0;
	}
	nr_pages = real_size >> m->page_shift;
	if (nr_pages > totalram_pages(m) || nr_pages > UINT32_MAX) {
		vmalloc_warn(m, gfp, real_size, "exceeds total pages");
		return 0;
	}
	area = get_vm_area_caller(m, real_size, VM_ALLOC | VM_UNINITIALIZED, gfp, caller);
	if (!area) {
		vmalloc_warn(m, gfp, real_size, "vm_struct allocation failed");
		return 0;
	}
	va = find_vmap_area(&m->vmap, area->addr);
	area->pages = kzalloc(m, nr_pages * sizeof(struct page *), GFP_KERNEL | __GFP_NOWARN);
	if (!area->pages) {
		vmalloc_warn(m, gfp, real_size, "failed to allocate page array");
		goto out_free;
	}
	for (; area->nr_pages < nr_pages; area->nr_pages++) {
		struct page *page = alloc_pages(m, (gfp & ~__GFP_COMP) | __GFP_NOWARN, 0);

		if (!page) {
			vmalloc_warn(m, gfp, real_size, "failed to allocate pages");
			goto out_free;
		}
		SetPageFlag(page, PG_vmalloc);
		area->pages[area->nr_pages] = page;
		m->vmap.nr_vmalloc_pages++;
	}
	if (map_area_pages(m, area, area->pages, area->nr_pages, PAGE_KERNEL)) {
		vmalloc_warn(m, gfp, real_size, "failed to map pages");
		goto out_free;
	}
	area->flags &= ~VM_UNINITIALIZED;
	return area->addr;

out_free:
	remove_vm_area(m, va);
	free_area_pages(m, area);
	return 0;
}

void vfree(struct machine *m, unsigned long addr)
{
	struct vmap_area *va;
	struct vm_struct *area;

	if (!addr)
		return;
	va = find_vmap_area(&m->vmap, addr);
	if (!va || va->va_start != addr || !(va->vm->flags & VM_ALLOC)) {
		printk(m, "Trying to vfree() nonexistent vm area (%#lx)", addr);
		return;
	}
	area = va->vm;
	remove_vm_area(m, va);
	free_area_pages(m, area);
}

unsigned long __vmap_caller(struct machine *m, struct page **pages, unsigned int count,
			    unsigned long flags, pgprot_t prot, const char *caller)
{
	struct vm_struct *area;

	if (!count || count > totalram_pages(m))
		return 0;
	area = get_vm_area_caller(m, (unsigned long)count << m->page_shift, flags | VM_MAP,
				  GFP_KERNEL, caller);
	if (!area)
		return 0;
	if (map_area_pages(m, area, pages, count, prot)) {
		struct vmap_area *va = find_vmap_area(&m->vmap, area->addr);

		remove_vm_area(m, va);
		kfree(m, area);
		return 0;
	}
	return area->addr;
}

void vunmap(struct machine *m, unsigned long addr)
{
	struct vmap_area *va;
	struct vm_struct *area;

	if (!addr)
		return;
	va = find_vmap_area(&m->vmap, addr);
	if (!va || va->va_start != addr || !(va->vm->flags & VM_MAP)) {
		printk(m, "Trying to vunmap() nonexistent vm area (%#lx)", addr);
		return;
	}
	area = va->vm;
	remove_vm_area(m, va);
	kfree(m, area);
}

struct vm_struct *find_vm_area(struct machine *m, unsigned long addr)
{
	struct vmap_area *va = find_vmap_area(&m->vmap, addr);

	return va ? va->vm : NULL;
}

struct page *vmalloc_to_page(struct machine *m, unsigned long addr)
{
	struct pt_walk w;

	if (!pgtable_walk(m, m->arch.init_mm.pgd, addr, &w))
		return NULL;
	return pfn_to_page(m, (unsigned long)(w.phys >> m->page_shift));
}

unsigned long vmalloc_to_pfn(struct machine *m, unsigned long addr)
{
	struct page *page = vmalloc_to_page(m, addr);

	return page ? page_to_pfn(m, page) : 0;
}

static int vcopy(struct machine *m, unsigned long addr, void *buf, size_t len, bool to_area)
{
	uint8_t *b = buf;

	while (len) {
		unsigned long offset = addr & (m->page_size - 1);
		size_t chunk = m->page_size - offset;
		struct page *page = vmalloc_to_page(m, addr);
		uint8_t *p;

		if (!page)
			return -EFAULT;
		if (chunk > len)
			chunk = len;
		p = (uint8_t *)page_address(m, page) + offset;
		if (to_area)
			memcpy(p, b, chunk);
		else
			memcpy(b, p, chunk);
		addr += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

int vread(struct machine *m, unsigned long addr, void *buf, size_t len)
{
	return vcopy(m, addr, buf, len, false);
}

int vwrite(struct machine *m, unsigned long addr, const void *buf, size_t len)
{
	return vcopy(m, addr, (void *)buf, len, true);
}

/* ---- boot and reports ---- */

int vmalloc_init(struct machine *m)
{
	struct vmap_state *vs = &m->vmap;
	struct vmap_area *va;

	memset(vs, 0, sizeof(*vs));
	vs->free_root = RB_ROOT;
	vs->busy_root = RB_ROOT;
	vs->vmap_area_cachep = kmem_cache_create(m, "vmap_area", sizeof(struct vmap_area), 0, 0,
						 NULL);
	if (!vs->vmap_area_cachep)
		return -ENOMEM;
	vs->start = ALIGN_UP(m->arch.layout.vmalloc_start, m->page_size);
	vs->end = ALIGN_DOWN(m->arch.layout.vmalloc_end, m->page_size);
	va = kmem_cache_alloc(vs->vmap_area_cachep, GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	va->va_start = vs->start;
	va->va_end = vs->end;
	insert_free_area(vs, va);
	return 0;
}

unsigned long vmalloc_total_kb(struct machine *m)
{
	return m->arch.layout.vmalloc_total >> 10;
}

unsigned long vmalloc_used_pages(struct machine *m)
{
	return m->vmap.nr_vmalloc_pages;
}

void vmallocinfo_show(struct machine *m, struct report *r)
{
	int w = m->arch.geo.sign_extend ? 16 : 8;

	for (struct rb_node *node = rb_first(&m->vmap.busy_root); node; node = rb_next(node)) {
		const struct vm_struct *v = node_va(node)->vm;

		if (!v || (v->flags & VM_UNINITIALIZED))
			continue;
		report_printf(r, "0x%0*lx-0x%0*lx %7ld", w, v->addr, w, v->addr + v->size,
			      (long)v->size);
		if (v->caller)
			report_printf(r, " %s", v->caller);
		if (v->nr_pages)
			report_printf(r, " pages=%u", v->nr_pages);
		if (v->phys_addr)
			report_printf(r, " phys=0x%016llx", (unsigned long long)v->phys_addr);
		if (v->flags & VM_IOREMAP)
			report_printf(r, " ioremap");
		if (v->flags & VM_SPARSE)
			report_printf(r, " sparse");
		if (v->flags & VM_ALLOC)
			report_printf(r, " vmalloc");
		if (v->flags & VM_MAP)
			report_printf(r, " vmap");
		if (v->flags & VM_USERMAP)
			report_printf(r, " user");
		if (v->flags & VM_DMA_COHERENT)
			report_printf(r, " dma-coherent");
		report_putc(r, '\n');
	}
}

/* ---- the public API (include/tuxmm/tuxmm.h) ---- */

int tuxmm_vmalloc(struct machine *m, uint64_t size, uint64_t *addr)
{
	if (!size || size > ULONG_MAX - m->page_size)
		return -EINVAL;
	*addr = __vmalloc_caller(m, (unsigned long)size, GFP_KERNEL, __func__);
	return *addr ? 0 : -ENOMEM;
}

int tuxmm_vfree(struct machine *m, uint64_t addr)
{
	struct vm_struct *area = find_vm_area(m, (unsigned long)addr);

	/* Checked here so that a user's mistake is -EINVAL, not a kernel warning. */
	if (!area || area->addr != addr || !(area->flags & VM_ALLOC) ||
	    (area->flags & VM_UNINITIALIZED))
		return -EINVAL;
	vfree(m, (unsigned long)addr);
	return 0;
}

int tuxmm_vread(struct machine *m, uint64_t addr, void *buf, size_t len)
{
	return vread(m, (unsigned long)addr, buf, len);
}

int tuxmm_vwrite(struct machine *m, uint64_t addr, const void *buf, size_t len)
{
	return vwrite(m, (unsigned long)addr, buf, len);
}

/* ---- validation ---- */

static bool vcheck_fail(struct machine *m, const char *what, unsigned long addr)
{
	printk(m, "vmalloc_check: %s (%#lx)", what, addr);
	return false;
}

/* The augmented value of every free node, checked bottom-up; ULONG_MAX on a mismatch. */
static unsigned long check_augment(const struct rb_node *node)
{
	unsigned long l, r, max;

	if (!node)
		return 0;
	l = check_augment(node->rb_left);
	r = check_augment(node->rb_right);
	if (l == ~0UL || r == ~0UL)
		return ~0UL;
	max = va_size(node_va(node));
	max = l > max ? l : max;
	max = r > max ? r : max;
	return max == node_va(node)->subtree_max_size ? max : ~0UL;
}

static bool check_area_maps(struct machine *m, const struct vm_struct *v)
{
	struct pt_walk w;

	for (unsigned int i = 0; i < v->nr_pages; i++) {
		unsigned long addr = v->addr + i * m->page_size;

		if (!pgtable_walk(m, m->arch.init_mm.pgd, addr, &w) ||
		    w.phys != page_to_phys(m, v->pages[i]))
			return vcheck_fail(m, "area page not mapped where it should be", addr);
	}
	if (!(v->flags & VM_NO_GUARD) &&
	    pgtable_walk(m, m->arch.init_mm.pgd, v->addr + v->size - m->page_size, &w))
		return vcheck_fail(m, "guard page is mapped", v->addr + v->size - m->page_size);
	return true;
}

bool vmalloc_check(struct machine *m)
{
	struct vmap_state *vs = &m->vmap;
	struct rb_node *f = rb_first(&vs->free_root), *b = rb_first(&vs->busy_root);
	unsigned long cursor = vs->start, nr_free = 0, nr_busy = 0, pages = 0;
	bool last_free = false;

	if (check_augment(vs->free_root.rb_node) == ~0UL)
		return vcheck_fail(m, "free tree's largest-range values are stale", 0);
	/* Walk both trees in address order: they must tile [start, end) exactly. */
	while (f || b) {
		bool take_free = f && (!b || node_va(f)->va_start < node_va(b)->va_start);
		struct vmap_area *va = node_va(take_free ? f : b);

		if (va->va_start != cursor || va->va_end <= va->va_start)
			return vcheck_fail(m, "ranges overlap or leave a hole", va->va_start);
		if (take_free) {
			if (last_free)
				return vcheck_fail(m, "two free ranges touch", va->va_start);
			nr_free++;
			f = rb_next(f);
		} else {
			const struct vm_struct *v = va->vm;

			if (!v || v->addr != va->va_start || v->size != va_size(va))
				return vcheck_fail(m, "busy range and its vm_struct disagree",
						   va->va_start);
			if (!(v->flags & VM_UNINITIALIZED) && !check_area_maps(m, v))
				return false;
			if (v->flags & VM_ALLOC)
				pages += v->nr_pages;
			nr_busy++;
			b = rb_next(b);
		}
		last_free = take_free;
		cursor = va->va_end;
	}
	if (cursor != vs->end)
		return vcheck_fail(m, "ranges do not reach the end of the area", cursor);
	if (nr_free != vs->nr_free_areas || nr_busy != vs->nr_busy)
		return vcheck_fail(m, "range counts are off", nr_free);
	if (pages != vs->nr_vmalloc_pages)
		return vcheck_fail(m, "VmallocUsed does not match the areas", pages);
	return true;
}
