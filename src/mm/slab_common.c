/*
 * slab_common.c - cache creation and destruction, the boot bootstrap, kmalloc, /proc/slabinfo.
 * Follows Linux mm/slab_common.c and kmem_cache_init() in mm/slub.c.
 * Keeps: every cache, its node and its name live in simulated RAM; kmalloc classes are Linux's.
 */
#include <errno.h>
#include <string.h>

#include "printk.h"
#include "report.h"
#include "slab_internal.h"
#include "vmstat.h"

#define ARCH_KMALLOC_MINALIGN 8	/* bytes: alignof(unsigned long long) on x86-64 */

/* FIXME: SLAB_STORE_USER is accepted but records no alloc/free owners yet. */
#define SLAB_FLAGS_PERMITTED                                                                   \
	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_HWCACHE_ALIGN |         \
	 SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_STORE_USER | SLAB_PANIC | SLAB_RECLAIM_ACCOUNT)

/* ---- creating and destroying caches ---- */

/* Linux's calculate_alignment(): cache-line alignment shrinks for small objects. */
static unsigned int calculate_alignment(unsigned int flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = SLAB_CACHE_LINE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (align < ralign)
			align = ralign;
	}
	if (align < ARCH_KMALLOC_MINALIGN)
		align = ARCH_KMALLOC_MINALIGN;
	return ALIGN_UP(align, (unsigned int)sizeof(void *));
}

static char *kstrdup(struct machine *m, const char *s, gfp_t gfp)
{
	size_t len = strlen(s) + 1;
	char *p = kmalloc(m, len, gfp);

	if (p)
		memcpy(p, s, len);
	return p;
}

/*
 * create_cache - a cache with its kmem_cache and node from the boot caches.
 * NULL with *@err set to -ENOMEM, or -EINVAL when no slab can hold the object.
 */
static struct kmem_cache *create_cache(struct machine *m, const char *name, unsigned int size,
				       unsigned int align, unsigned int flags,
				       void (*ctor)(void *), gfp_t gfp, int *err)
{
	struct kmem_cache *s = kmem_cache_zalloc(m->slab.kmem_cache, gfp);
	struct kmem_cache_node *n;

	*err = -ENOMEM;
	if (!s)
		return NULL;
	n = kmem_cache_zalloc(m->slab.kmem_cache_node, gfp);
	if (!n)
		goto out_free_cache;
	*err = __kmem_cache_open(s, m, name, size, align, flags, ctor, n);
	if (*err)
		goto out_free_node;
	list_add(&s->list, &m->slab.caches);
	return s;

out_free_node:
	kmem_cache_free(m->slab.kmem_cache_node, n);
out_free_cache:
	kmem_cache_free(m->slab.kmem_cache, s);
	return NULL;
}

struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	char *cname;
	int err = -EINVAL;

	if (!name || !*name || !size || size > (m->page_size << m->max_order) ||
	    (align && !is_power_of_2(align)) || align > (m->page_size << SLAB_MAX_ORDER)) {
		printk(m, "kmem_cache_create(%s) integrity check failed", name ? name : "(null)");
		goto out;
	}
	if (flags & ~SLAB_FLAGS_PERMITTED) {
		printk(m, "kmem_cache_create(%s): unknown flags %#x", name,
		       flags & ~SLAB_FLAGS_PERMITTED);
		goto out;
	}
	err = -ENOMEM;
	cname = kstrdup(m, name, GFP_KERNEL);
	if (!cname)
		goto out;
	s = create_cache(m, cname, size, calculate_alignment(flags, align, size), flags, ctor,
			 GFP_KERNEL, &err);
	if (!s)
		kfree(m, cname);
out:
	if (!s)
		printk(m, "kmem_cache_create(%s) failed with error %d", name ? name : "(null)",
		       err);
	return s;
}

/*
 * kmem_cache_destroy - free every slab of @s and @s itself. Refused (and
 * reported) while objects remain, and for the boot caches.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	struct machine *m;

	if (!s)
		return;
	m = s->m;
	if (s->flags & __SLAB_BOOT) {
		printk(m, "kmem_cache_destroy %s: a boot cache cannot be destroyed", s->name);
		return;
	}
	if (--s->refcount)
		return;
	flush_all_cpu_slabs(s);
	if (s->node->nr_partial || s->node->nr_full) {
		slab_bug(m, s->name, "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
		s->refcount++;
		return;
	}
	__kmem_cache_shrink(s);
	list_del(&s->list);
	kmem_cache_free(m->slab.kmem_cache_node, s->node);
	kfree(m, s->name);
	kmem_cache_free(m->slab.kmem_cache, s);
}

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	return __kmem_cache_shrink(s);
}

unsigned long slab_shrink_all(struct machine *m)
{
	struct kmem_cache *s;
	unsigned long nr_pages = 0;

	list_for_each_entry(s, &m->slab.caches, list)
		nr_pages += __kmem_cache_shrink(s);
	return nr_pages;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

/* ---- bootstrap ---- */

/* list_relink - move a list head from @old to @new (a copy of it), fixing its neighbours. */
static void list_relink(struct list_head *new, struct list_head *old)
{
	if (list_empty(old)) {
		INIT_LIST_HEAD(new);
		return;
	}
	new->next = old->next;
	new->prev = old->prev;
	new->next->prev = new;
	new->prev->next = new;
}

/* bootstrap - move boot-memory cache @boot into an object of @from; its slabs follow. */
static struct kmem_cache *bootstrap(struct kmem_cache *from, struct kmem_cache *boot)
{
	struct kmem_cache *s = kmem_cache_zalloc(from, GFP_NOWAIT);

	if (!s)
		return NULL;
	/* The allocation above may have changed @boot (when @from is @boot): copy after it. */
	memcpy(s, boot, kmem_cache_struct_size(boot->m));
	kmem_cache_reparent_slabs(s);
	return s;
}

static void move_node(struct kmem_cache *s, struct kmem_cache_node *new)
{
	struct kmem_cache_node *old = s->node;

	*new = *old;
	list_relink(&new->partial, &old->partial);
	list_relink(&new->full, &old->full);
	list_relink(&new->empty, &old->empty);
	s->node = new;
}

/*
 * Linux's kmalloc_info[] for one node: index 1 and 2 are the 96 and 192 byte
 * caches, index n >= 3 the 2^n byte one, up to KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1).
 */
static const char *const kmalloc_names[] = {
	[1] = "kmalloc-96",	[2] = "kmalloc-192",	[3] = "kmalloc-8",
	[4] = "kmalloc-16",	[5] = "kmalloc-32",	[6] = "kmalloc-64",
	[7] = "kmalloc-128",	[8] = "kmalloc-256",	[9] = "kmalloc-512",
	[10] = "kmalloc-1k",	[11] = "kmalloc-2k",	[12] = "kmalloc-4k",
	[13] = "kmalloc-8k",	[14] = "kmalloc-16k",	[15] = "kmalloc-32k",
	[16] = "kmalloc-64k",	[17] = "kmalloc-128k",
};

static unsigned int kmalloc_info_size(unsigned int idx)
{
	return idx == 1 ? 96 : idx == 2 ? 192 : 1u << idx;
}

static int new_kmalloc_cache(struct machine *m, unsigned int idx)
{
	unsigned int size = kmalloc_info_size(idx);
	/* Power-of-two kmalloc objects are naturally aligned, debugging or not. */
	unsigned int align = is_power_of_2(size) ? size : ARCH_KMALLOC_MINALIGN;
	struct kmem_cache *s;
	int err;

	s = create_cache(m, kmalloc_names[idx], size, calculate_alignment(0, align, size),
			 __SLAB_BOOT, NULL, GFP_NOWAIT, &err);
	if (!s)
		return err;
	m->slab.kmalloc_caches[idx] = s;
	return 0;
}

/*
 * slab_init - Linux's kmem_cache_init(): the first two caches are set up in
 * boot pages, allocate their own kmem_cache objects and nodes from themselves,
 * move there, and the boot pages go back to the page allocator.
 */
int slab_init(struct machine *m)
{
	size_t cache_bytes = kmem_cache_struct_size(m);
	size_t cache_slot = ALIGN_UP(cache_bytes, (size_t)SLAB_CACHE_LINE);
	size_t node_slot = ALIGN_UP(sizeof(struct kmem_cache_node), (size_t)SLAB_CACHE_LINE);
	unsigned int boot_order = slab_get_order(m, 2 * cache_slot + 2 * node_slot);
	struct kmem_cache_node *boot_node_kc, *boot_node_kn, *node_kc, *node_kn;
	struct kmem_cache *boot_kc, *boot_kn, *kc, *kn;
	unsigned int shift_high = m->page_shift + 1;
	struct page *boot;
	uint8_t *p;

	INIT_LIST_HEAD(&m->slab.caches);
	m->slab.debug_flags = IS_ENABLED_DEBUG_VM ? SLAB_DEBUG_FLAGS : 0;
	boot = alloc_pages(m, GFP_NOWAIT | __GFP_ZERO | (boot_order ? __GFP_COMP : 0), boot_order);
	if (!boot)
		return -ENOMEM;
	p = page_address(m, boot);
	boot_kn = (struct kmem_cache *)p;
	boot_kc = (struct kmem_cache *)(p + cache_slot);
	boot_node_kn = (struct kmem_cache_node *)(p + 2 * cache_slot);
	boot_node_kc = (struct kmem_cache_node *)(p + 2 * cache_slot + node_slot);

	if (__kmem_cache_open(boot_kn, m, "kmem_cache_node", sizeof(struct kmem_cache_node),
			      calculate_alignment(SLAB_HWCACHE_ALIGN, 0,
						  sizeof(struct kmem_cache_node)),
			      SLAB_HWCACHE_ALIGN | __SLAB_BOOT, NULL, boot_node_kn) ||
	    __kmem_cache_open(boot_kc, m, "kmem_cache", (unsigned int)cache_bytes,
			      calculate_alignment(SLAB_HWCACHE_ALIGN, 0, (unsigned int)cache_bytes),
			      SLAB_HWCACHE_ALIGN | __SLAB_BOOT, NULL, boot_node_kc))
		return -ENOMEM;
	kc = bootstrap(boot_kc, boot_kc);
	kn = kc ? bootstrap(kc, boot_kn) : NULL;
	node_kc = kn ? kmem_cache_zalloc(kn, GFP_NOWAIT) : NULL;
	node_kn = node_kc ? kmem_cache_zalloc(kn, GFP_NOWAIT) : NULL;
	if (!node_kn)
		return -ENOMEM;
	move_node(kc, node_kc);
	move_node(kn, node_kn);
	__free_pages(m, boot, boot_order);

	m->slab.kmem_cache = kc;
	m->slab.kmem_cache_node = kn;
	list_add(&kc->list, &m->slab.caches);
	list_add(&kn->list, &m->slab.caches);

	/* Linux's create_kmalloc_caches(): 96 and 192 first, then the powers of two. */
	if (new_kmalloc_cache(m, 1) || new_kmalloc_cache(m, 2))
		return -ENOMEM;
	for (unsigned int i = 3; i <= shift_high; i++)
		if (new_kmalloc_cache(m, i))
			return -ENOMEM;

	printk(m, "SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u",
	       SLAB_CACHE_LINE, 0, SLAB_MAX_ORDER, 0, m->nr_cpus, 1);
	return 0;
}

/* ---- kmalloc ---- */

/* Linux's kmalloc_size_index[]: the cache index for sizes up to 192, by (size - 1) / 8. */
static const uint8_t kmalloc_size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
};

static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return kmalloc_size_index[(size - 1) >> 3];
	return (unsigned int)fls_ul(size - 1);
}

/* kmalloc_large - a compound page block, counted as unreclaimable slab as in Linux. */
static void *kmalloc_large(struct machine *m, size_t size, gfp_t gfp)
{
	unsigned int order = slab_get_order(m, size);
	struct page *page;
	size_t bytes;

	if (order > m->max_order) {
		if (!(gfp & __GFP_NOWARN))
			printk(m, "kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE", size);
		return NULL;
	}
	page = alloc_pages(m, (gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE)) | __GFP_COMP, order);
	if (!page)
		return NULL;
	bytes = m->page_size << order;
	mod_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B, (long)bytes);
	m->slab.large_kmalloc_bytes += bytes;
	return page_address(m, page);
}

/* free_large_kmalloc - free a kmalloc_large() block; anything else is reported and refused. */
static void free_large_kmalloc(struct machine *m, struct page *page, const void *p)
{
	unsigned int order = compound_order(page);
	size_t bytes = m->page_size << order;

	if (p != page_address(m, page) || !PageHead(page) ||
	    bytes <= KMALLOC_MAX_CACHE_SIZE(m) || page->mapping) {
		slab_bug(m, "kmalloc", "Invalid free: phys %#llx is neither a slab object nor a "
				       "kmalloc'ed page block (double free?)",
			 (unsigned long long)__pa(m, p));
		return;
	}
	if (page_ref_count(page) != 1) {
		slab_bug(m, "kmalloc", "Invalid free: page block at phys %#llx has %d references",
			 (unsigned long long)__pa(m, p), page_ref_count(page));
		return;
	}
	mod_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B, -(long)bytes);
	m->slab.large_kmalloc_bytes -= bytes;
	__free_pages(m, page, order);
}

void *kmalloc(struct machine *m, size_t size, gfp_t gfp)
{
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE(m)))
		return kmalloc_large(m, size, gfp);
	return slab_alloc(m->slab.kmalloc_caches[kmalloc_index(size)], gfp);
}

void *kzalloc(struct machine *m, size_t size, gfp_t gfp)
{
	return kmalloc(m, size, gfp | __GFP_ZERO);
}

void kfree(struct machine *m, const void *p)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (unlikely(!virt_addr_valid(m, p))) {
		slab_bug(m, "kmalloc", "Invalid free: host pointer %p is outside simulated RAM", p);
		return;
	}
	page = compound_head(virt_to_page(m, p));
	if (likely(PageSlab(page)))
		slab_free(page->slab_cache, page, (void *)p);
	else
		free_large_kmalloc(m, page, p);
}

size_t ksize(struct machine *m, const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p) || !virt_addr_valid(m, p))
		return 0;
	page = compound_head(virt_to_page(m, p));
	if (PageSlab(page))
		return slab_ksize(page->slab_cache);
	if (!PageHead(page) || p != page_address(m, page))
		return 0;
	return m->page_size << compound_order(page);
}

/*
 * krealloc - resize @p to @new_size, keeping its contents: in place while the
 * object is big enough (shrinking included), else by a new kmalloc() and a copy.
 * On failure @p is untouched and NULL returned; @new_size 0 frees @p.
 */
void *krealloc(struct machine *m, const void *p, size_t new_size, gfp_t gfp)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(m, p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		ks = ksize(m, p);
		if (!ks)
			return NULL;	/* not a kmalloc'ed pointer */
	}
	if (ks >= new_size)
		return (void *)p;
	ret = kmalloc(m, new_size, gfp);
	if (ret && ks) {
		memcpy(ret, p, ks);
		kfree(m, p);
	}
	return ret;
}

/* ---- reports and validation ---- */

/* slabinfo_show - /proc/slabinfo, version 2.1, newest cache first, as Linux's cache_show(). */
void slabinfo_show(struct machine *m, struct report *r)
{
	struct kmem_cache *s;

	report_printf(r, "slabinfo - version: 2.1\n");
	report_printf(r, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			 "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			 "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	if (!m->slab.kmem_cache)
		return;
	list_for_each_entry(s, &m->slab.caches, list) {
		const struct kmem_cache_node *n = s->node;
		/* As SLUB counts: objects of CPU slabs are all active. */
		unsigned long active = n->total_objects - slab_nr_free_listed(s);

		report_printf(r, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : "
				 "slabdata %6lu %6lu %6lu\n",
			      s->name, active, n->total_objects, s->size, s->objects,
			      1 << s->order, 0u, 0u, 0u, n->nr_slabs, n->nr_slabs, 0UL);
	}
}

/* slab_check - every cache (see slab_check_cache()), then the NR_SLAB_*_B counters. */
bool slab_check(struct machine *m)
{
	unsigned long reclaimable = 0, unreclaimable = 0;
	struct kmem_cache *s;

	if (!m->slab.kmem_cache)
		return true;
	list_for_each_entry(s, &m->slab.caches, list) {
		unsigned long bytes = 0;
		struct page *page = virt_to_slab(m, s);

		if (!page || page->slab_cache != m->slab.kmem_cache) {
			slab_bug(m, s->name, "slab_check: cache struct is not a kmem_cache object");
			return false;
		}
		if (!slab_check_cache(s, &bytes))
			return false;
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			reclaimable += bytes;
		else
			unreclaimable += bytes;
	}
	if ((long)reclaimable != global_node_page_state(m, NR_SLAB_RECLAIMABLE_B) ||
	    (long)(unreclaimable + m->slab.large_kmalloc_bytes) !=
		    global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B)) {
		printk(m, "slab_check: NR_SLAB_*_B (%ld, %ld) do not match the slabs (%lu, %lu)",
		       global_node_page_state(m, NR_SLAB_RECLAIMABLE_B),
		       global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), reclaimable,
		       unreclaimable + m->slab.large_kmalloc_bytes);
		return false;
	}
	return true;
}

unsigned long slab_reclaimable_pages(struct machine *m)
{
	return (unsigned long)global_node_page_state_pages(m, NR_SLAB_RECLAIMABLE_B);
}

unsigned long slab_unreclaimable_pages(struct machine *m)
{
	return (unsigned long)global_node_page_state_pages(m, NR_SLAB_UNRECLAIMABLE_B);
}
