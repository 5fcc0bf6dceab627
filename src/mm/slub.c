/*
 * slub.c - slabs from the buddy allocator, per-CPU slabs, partial/full/empty lists, debugging.
 * Follows Linux mm/slub.c. Keeps: a slab is one CPU's (frozen) or on the list its inuse
 * names; freelists stay in their slab and are acyclic; counts and NR_SLAB_*_B match the slabs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "printk.h"
#include "slab_internal.h"
#include "vmstat.h"

/* Allocation flags a slab page allocation inherits from the caller. */
#define GFP_SLAB_PAGE_MASK                                                                     \
	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HIGH | __GFP_NOWARN | __GFP_NOFAIL |     \
	 __GFP_NORETRY | __GFP_RETRY_MAYFAIL | __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_ACCOUNT)

#define BITS_PER_LONG 64

/* ---- reports ---- */

/*
 * slab_bug - report corruption found in cache @name, as Linux's slab_bug() does:
 * "BUG <cache> (Not tainted): <what>" in the log, in m->slab.last_error, counted.
 */
void slab_bug(struct machine *m, const char *name, const char *fmt, ...)
{
	char what[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(m->slab.last_error, sizeof(m->slab.last_error), "BUG %s (Not tainted): %s", name,
		 what);
	m->slab.nr_errors++;
	printk(m, "%s", m->slab.last_error);
}

static void slab_fix(struct kmem_cache *s, const char *what)
{
	printk(s->m, "FIX %s: %s", s->name, what);
}

/* Addresses in reports are simulated physical addresses, as /proc/iomem shows them. */
static unsigned long long phys(const struct kmem_cache *s, const void *p)
{
	return (unsigned long long)__pa(s->m, p);
}

/* ---- geometry ---- */

static void *slab_base(const struct kmem_cache *s, const struct page *slab)
{
	return page_address(s->m, slab);
}

static void *slab_object(const struct kmem_cache *s, const struct page *slab, unsigned int i)
{
	return (char *)slab_base(s, slab) + (size_t)i * s->size + s->red_left_pad;
}

/*
 * object_index - the index of object @x in @slab, or -1 if @x is not the start
 * of one of its objects. Debug and slow paths only: it divides.
 */
static long object_index(const struct kmem_cache *s, const struct page *slab, const void *x)
{
	uintptr_t base = (uintptr_t)slab_base(s, slab) + s->red_left_pad;
	uintptr_t off = (uintptr_t)x - base;

	if ((uintptr_t)x < base || off % s->size || off / s->size >= slab->objects)
		return -1;
	return (long)(off / s->size);
}

static unsigned int order_objects(const struct machine *m, unsigned int order, unsigned int size)
{
	return (unsigned int)((m->page_size << order) / size);
}

/* The smallest order in [min_order, max_order] wasting at most 1/@fract of the slab. */
static unsigned int calc_slab_order(const struct machine *m, unsigned int size,
				    unsigned int min_order, unsigned int max_order,
				    unsigned int fract)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned long slab_size = m->page_size << order;

		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

/* calculate_order - Linux's: enough objects per slab for the CPU count, little waste. */
static int calculate_order(const struct machine *m, unsigned int size)
{
	unsigned int min_objects = 4 * (unsigned int)(fls_ul(m->nr_cpus) + 1);
	unsigned int max_objects = order_objects(m, SLAB_MAX_ORDER, size);
	unsigned int min_order, order;

	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	min_order = slab_get_order(m, (size_t)min_objects * size);
	if (order_objects(m, min_order, size) > MAX_OBJS_PER_SLAB)
		return (int)slab_get_order(m, (size_t)size * MAX_OBJS_PER_SLAB) - 1;
	for (unsigned int fract = 16; fract > 1; fract /= 2) {
		order = calc_slab_order(m, size, min_order, SLAB_MAX_ORDER, fract);
		if (order <= SLAB_MAX_ORDER)
			return (int)order;
	}
	order = slab_get_order(m, size);
	return order <= m->max_order ? (int)order : -EINVAL;
}

/* calculate_sizes - the slot layout of Linux's calculate_sizes(), free pointer at 0 or after. */
static int calculate_sizes(struct kmem_cache *s)
{
	struct machine *m = s->m;
	unsigned int flags = s->flags;
	size_t size = ALIGN_UP((size_t)s->object_size, sizeof(void *));
	int order;

	if ((flags & SLAB_POISON) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);		/* the right red zone */
	s->inuse = (unsigned int)size;
	if ((flags & SLAB_POISON) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < sizeof(void *))) {
		s->offset = (unsigned int)size;
		size += sizeof(void *);
	} else {
		s->offset = 0;
	}
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		/* Padding, so an overrun from the previous object hits it, not the free pointer. */
		size += sizeof(void *);
		s->red_left_pad = ALIGN_UP((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN_UP(size, (size_t)s->align);
	if (size > (m->page_size << m->max_order))
		return -EINVAL;
	s->size = (unsigned int)size;
	order = calculate_order(m, s->size);
	if (order < 0)
		return -EINVAL;
	s->order = (unsigned int)order;
	s->objects = order_objects(m, s->order, s->size);
	s->min_order = slab_get_order(m, s->size);
	s->min_objects = order_objects(m, s->min_order, s->size);
	s->allocflags = 0;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	return s->objects ? 0 : -EINVAL;
}

static void kmem_cache_node_init(struct kmem_cache_node *n)
{
	memset(n, 0, sizeof(*n));
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	INIT_LIST_HEAD(&n->empty);
}

/*
 * __kmem_cache_open - set up @s (already zeroed or boot memory) with its layout,
 * its node @node and idle CPU slots. 0 or -EINVAL if no slab can hold the object.
 */
int __kmem_cache_open(struct kmem_cache *s, struct machine *m, const char *name,
		      unsigned int size, unsigned int align, unsigned int flags,
		      void (*ctor)(void *), struct kmem_cache_node *node)
{
	unsigned int min_partial;

	memset(s, 0, kmem_cache_struct_size(m));
	s->m = m;
	s->name = name;
	s->object_size = size;
	s->align = align;
	s->ctor = ctor;
	s->flags = flags | m->slab.debug_flags;
	s->node = node;
	s->refcount = 1;
	INIT_LIST_HEAD(&s->list);
	kmem_cache_node_init(node);
	if (calculate_sizes(s))
		return -EINVAL;
	/* Same bounds as Linux's set_min_partial(ilog2(size) / 2). */
	min_partial = ilog2_ul(s->size) / 2;
	if (min_partial < MIN_PARTIAL)
		min_partial = MIN_PARTIAL;
	if (min_partial > MAX_PARTIAL)
		min_partial = MAX_PARTIAL;
	s->min_partial = min_partial;
	return 0;
}

/* slab_ksize - the bytes of an object a caller may use (Linux's slab_ksize()). */
unsigned int slab_ksize(const struct kmem_cache *s)
{
#ifdef TUXMM_ASAN
	return s->object_size;
#else
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->offset >= s->inuse)
		return s->inuse;	/* the free pointer follows the object */
	return s->size;
#endif
}

/* ---- debug: poison, red zones and checks ---- */

/* Make the whole slot of @obj readable for a check, then restore its sanitizer state. */
static void slot_open(const struct kmem_cache *s, void *obj)
{
	kasan_unpoison((char *)obj - s->red_left_pad, s->size);
}

static void slot_close(const struct kmem_cache *s, void *obj, bool allocated)
{
	/* Read @s first: it may be the object being closed (kmem_cache holds itself). */
	size_t slot_size = s->size, object_size = s->object_size;

	kasan_poison((char *)obj - s->red_left_pad, slot_size);
	if (allocated)
		kasan_unpoison(obj, object_size);
}

/* The end of the free pointer (or of the red zone), where padding starts; from the object. */
static unsigned int padding_start(const struct kmem_cache *s)
{
	return s->offset >= s->inuse ? s->offset + (unsigned int)sizeof(void *) : s->inuse;
}

static void init_object(struct kmem_cache *s, uint8_t *obj, uint8_t val)
{
	if (s->flags & SLAB_RED_ZONE) {
		memset(obj - s->red_left_pad, val, s->red_left_pad);
		memset(obj + s->object_size, val, s->inuse - s->object_size);
	}
	if ((s->flags & __OBJECT_POISON) && val == SLUB_RED_INACTIVE) {
		memset(obj, POISON_FREE, s->object_size - 1);
		obj[s->object_size - 1] = POISON_END;
	}
}

static const uint8_t *check_bytes(const uint8_t *p, uint8_t val, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != val)
			return p + i;
	return NULL;
}

/*
 * check_bytes_and_report - @len bytes at @start must all be @val. On a mismatch,
 * report it against object @obj and, if @fix, restore the bytes as Linux's
 * restore_bytes() does.
 */
static bool check_bytes_and_report(struct kmem_cache *s, uint8_t *obj, const char *what,
				   uint8_t *start, uint8_t val, size_t len, bool fix)
{
	const uint8_t *bad = check_bytes(start, val, len);

	if (!bad)
		return true;
	slab_bug(s->m, s->name,
		 "%s overwritten: object phys %#llx offset %td byte %#04x instead of %#04x", what,
		 phys(s, obj), bad - obj, *bad, val);
	if (fix) {
		memset(start, val, len);
		printk(s->m, "FIX %s: Restoring %s phys %#llx-%#llx=%#04x", s->name, what,
		       phys(s, start), phys(s, start + len - 1), val);
	}
	return false;
}

/*
 * check_object - the metadata of @obj must read as a free (@val is
 * SLUB_RED_INACTIVE) or allocated (SLUB_RED_ACTIVE) object: red zones, poison
 * of a free object, padding. The slot must be open. Reports the first problem.
 */
static bool check_object(struct kmem_cache *s, uint8_t *obj, uint8_t val, bool fix)
{
	unsigned int pad = padding_start(s);

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, obj, "Left Redzone", obj - s->red_left_pad, val,
					    s->red_left_pad, fix))
			return false;
		if (!check_bytes_and_report(s, obj, "Right Redzone", obj + s->object_size, val,
					    s->inuse - s->object_size, fix))
			return false;
	}
	if ((s->flags & __OBJECT_POISON) && val == SLUB_RED_INACTIVE) {
		if (!check_bytes_and_report(s, obj, "Poison", obj, POISON_FREE, s->object_size - 1,
					    fix) ||
		    !check_bytes_and_report(s, obj, "End Poison", obj + s->object_size - 1,
					    POISON_END, 1, fix))
			return false;
	}
	if ((s->flags & SLAB_POISON) && pad < s->size - s->red_left_pad)
		if (!check_bytes_and_report(s, obj, "Object padding", obj + pad, POISON_INUSE,
					    s->size - s->red_left_pad - pad, fix))
			return false;
	return true;
}

/* slab_pad_check - the bytes after the last object must keep POISON_INUSE. */
static bool slab_pad_check(struct kmem_cache *s, struct page *slab)
{
	uint8_t *start = (uint8_t *)slab_base(s, slab) + (size_t)slab->objects * s->size;
	size_t len = slab_bytes(s->m, slab) - (size_t)slab->objects * s->size;
	const uint8_t *bad;

	if (!(s->flags & SLAB_POISON) || !len)
		return true;
	kasan_unpoison(start, len);
	bad = check_bytes(start, POISON_INUSE, len);
	kasan_poison(start, len);
	if (!bad)
		return true;
	slab_bug(s->m, s->name, "Padding overwritten: slab phys %#llx offset %td byte %#04x",
		 phys(s, slab_base(s, slab)), bad - (uint8_t *)slab_base(s, slab), *bad);
	return false;
}

/* The CPU whose slab @slab is, or NULL. */
static struct kmem_cache_cpu *slab_owner(struct kmem_cache *s, const struct page *slab)
{
	for (unsigned int cpu = 0; cpu < s->m->nr_cpus; cpu++)
		if (s->cpu_slab[cpu].slab == slab)
			return &s->cpu_slab[cpu];
	return NULL;
}

/*
 * mark_free - set a bit per object on the freelist starting at @p. Returns the
 * number of objects, or -1 (reported) if the list leaves the slab, hits an
 * object twice or is longer than the slab.
 */
static long mark_free(struct kmem_cache *s, struct page *slab, void *p, unsigned long *bitmap,
		      const char *which)
{
	long nr = 0;

	while (p) {
		long i = object_index(s, slab, p);

		if (i < 0) {
			slab_bug(s->m, s->name,
				 "Freechain corrupt: %s of slab phys %#llx points to %#llx", which,
				 phys(s, slab_base(s, slab)),
				 virt_addr_valid(s->m, p) ? phys(s, p) : 0ULL);
			return -1;
		}
		if (bitmap[i / BITS_PER_LONG] & BIT(i % BITS_PER_LONG)) {
			slab_bug(s->m, s->name,
				 "Freelist cycle: object phys %#llx is on the %s twice", phys(s, p),
				 which);
			return -1;
		}
		bitmap[i / BITS_PER_LONG] |= BIT(i % BITS_PER_LONG);
		nr++;
		p = get_freepointer(s, p);
	}
	return nr;
}

/*
 * repair_lost_objects - after a freelist was cut, the objects it lost stay
 * allocated for good: give them the red zones of allocated objects, so the
 * slab checks clean again (leak rather than corrupt).
 */
static void repair_lost_objects(struct kmem_cache *s, struct page *slab)
{
	unsigned long bitmap[MAX_OBJS_PER_SLAB / BITS_PER_LONG + 1];
	struct kmem_cache_cpu *c = slab_owner(s, slab);

	if (!(s->flags & SLAB_RED_ZONE))
		return;
	memset(bitmap, 0, sizeof(bitmap));
	if (mark_free(s, slab, slab->freelist, bitmap, "slab freelist") < 0)
		return;
	if (c && mark_free(s, slab, c->freelist, bitmap, "CPU freelist") < 0)
		return;
	for (unsigned int i = 0; i < slab->objects; i++) {
		uint8_t *obj = slab_object(s, slab, i);

		if (bitmap[i / BITS_PER_LONG] & BIT(i % BITS_PER_LONG))
			continue;
		slot_open(s, obj);
		init_object(s, obj, SLUB_RED_ACTIVE);
		slot_close(s, obj, true);
	}
}

/*
 * alloc_debug_processing - check the free object @obj at the head of @c's
 * freelist and pop it. False if it must not be handed out: it is then leaked
 * (it stays counted as in use), or the freelist is cut when it is corrupt.
 */
static bool alloc_debug_processing(struct kmem_cache *s, struct kmem_cache_cpu *c, uint8_t *obj)
{
	struct page *slab = c->slab;
	void *next;

	if (object_index(s, slab, obj) < 0) {
		slab_bug(s->m, s->name, "Freechain corrupt: CPU freelist points outside its slab");
		c->freelist = NULL;
		repair_lost_objects(s, slab);
		return false;
	}
	next = get_freepointer(s, obj);
	if (next && object_index(s, slab, next) < 0) {
		slab_bug(s->m, s->name, "Freechain corrupt: free pointer of object phys %#llx",
			 phys(s, obj));
		slab_fix(s, "Isolating the rest of the freelist");
		set_freepointer(s, obj, NULL);
		next = NULL;
		/* @obj, still on the CPU freelist, stays free. */
		repair_lost_objects(s, slab);
	}
	c->freelist = next;
	slot_open(s, obj);
	if (!check_object(s, obj, SLUB_RED_INACTIVE, true)) {
		init_object(s, obj, SLUB_RED_ACTIVE);
		slot_close(s, obj, true);
		slab_fix(s, "Object leaked to prevent reuse of corrupt memory");
		return false;
	}
	init_object(s, obj, SLUB_RED_ACTIVE);
	slot_close(s, obj, false);
	return true;
}

/* on_freelist - is @x free already (on its slab's or its owner CPU's freelist)? */
static bool on_freelist(struct kmem_cache *s, struct page *slab, void *x)
{
	struct kmem_cache_cpu *c = slab_frozen(slab) ? slab_owner(s, slab) : NULL;
	void *lists[2] = { slab->freelist, c ? c->freelist : NULL };

	for (int l = 0; l < 2; l++) {
		unsigned int nr = 0;

		for (void *p = lists[l]; p && nr <= slab->objects;
		     p = get_freepointer(s, p), nr++) {
			if (p == x)
				return true;
			if (object_index(s, slab, p) < 0)
				break;
		}
	}
	return false;
}

/*
 * free_debug_processing - the checks of Linux's free_consistency_checks() and
 * check_object(). False (reported) if @x must not be freed: it is then leaked.
 */
static bool free_debug_processing(struct kmem_cache *s, struct page *slab, uint8_t *x)
{
	if (object_index(s, slab, x) < 0) {
		slab_bug(s->m, s->name,
			 "Invalid object pointer phys %#llx: not the start of an object",
			 phys(s, x));
		return false;
	}
	if (on_freelist(s, slab, x)) {
		slab_bug(s->m, s->name, "Object already free: double free of object phys %#llx",
			 phys(s, x));
		return false;
	}
	slot_open(s, x);
	if (!check_object(s, x, SLUB_RED_ACTIVE, true)) {
		slot_close(s, x, true);
		slab_fix(s, "Object not freed");
		return false;
	}
	init_object(s, x, SLUB_RED_INACTIVE);
	slot_close(s, x, false);
	return true;
}

/* ---- slab pages ---- */

static enum node_stat_item slab_stat_item(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

static struct page *alloc_slab_page(struct kmem_cache *s, gfp_t gfp, unsigned int order)
{
	if (order)
		gfp |= __GFP_COMP;
	return alloc_pages(s->m, gfp, order);
}

/*
 * new_slab - a slab of s->order pages (falling back to s->min_order), every
 * object free and constructed, linked in address order. Not on any list.
 */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct machine *m = s->m;
	struct kmem_cache_node *n = s->node;
	gfp_t flags = (gfp & GFP_SLAB_PAGE_MASK) | s->allocflags;
	unsigned int order = s->order, objects = s->objects;
	struct page *slab;
	uint8_t *base, *obj;
	size_t bytes;

	if (order > s->min_order)
		slab = alloc_slab_page(s, (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL,
				       order);
	else
		slab = alloc_slab_page(s, flags, order);
	if (!slab && order > s->min_order) {
		order = s->min_order;
		objects = s->min_objects;
		slab = alloc_slab_page(s, flags, order);
	}
	if (!slab)
		return NULL;
	bytes = m->page_size << order;
	base = page_address(m, slab);
	SetPageFlag(slab, PG_slab);
	slab->slab_cache = s;
	slab->objects = objects;
	slab->inuse = 0;
	slab->lru.next = NULL;
	slab->lru.prev = NULL;
	mod_node_page_state(m, slab_stat_item(s), (long)bytes);
	n->nr_slabs++;
	n->total_objects += objects;

	if (s->flags & SLAB_POISON)
		memset(base, POISON_INUSE, bytes);
	obj = base + s->red_left_pad;
	for (unsigned int i = 0; i < objects; i++, obj += s->size) {
		if (slab_debug(s))
			init_object(s, obj, SLUB_RED_INACTIVE);
		if (s->ctor)
			s->ctor(obj);
		*(void **)(obj + s->offset) = i + 1 < objects ? obj + s->size : NULL;
	}
	slab->freelist = base + s->red_left_pad;
	kasan_poison(base, bytes);
	return slab;
}

/* discard_slab - give an empty slab, on no list, back to the page allocator. */
static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	struct machine *m = s->m;
	struct kmem_cache_node *n = s->node;
	unsigned int order = compound_order(slab);
	size_t bytes = m->page_size << order;

	slab_pad_check(s, slab);
	n->nr_slabs--;
	n->total_objects -= slab->objects;
	mod_node_page_state(m, slab_stat_item(s), -(long)bytes);
	kasan_unpoison(slab_base(s, slab), bytes);
	ClearPageFlag(slab, PG_slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->inuse = 0;
	slab->objects = 0;
	__free_pages(m, slab, order);
}

/* ---- lists ---- */

/* add_slab - file a slab that is on no list by its inuse; drop it if empty and enough are kept. */
static void add_slab(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_node *n = s->node;

	if (slab->inuse == 0) {
		if (n->nr_partial + n->nr_empty >= s->min_partial) {
			discard_slab(s, slab);
			return;
		}
		list_add(&slab->lru, &n->empty);
		n->nr_empty++;
	} else if (slab->inuse == slab->objects) {
		list_add(&slab->lru, &n->full);
		n->nr_full++;
	} else {
		list_add_tail(&slab->lru, &n->partial);
		n->nr_partial++;
	}
}

/* remove_slab - take a slab off the list its inuse says it is on. */
static void remove_slab(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_node *n = s->node;

	/* list_del() leaves lru.next NULL: the slab reads as frozen until it is filed again. */
	list_del(&slab->lru);
	if (slab->inuse == 0)
		n->nr_empty--;
	else if (slab->inuse == slab->objects)
		n->nr_full--;
	else
		n->nr_partial--;
}

/* freeze_slab - make @slab (on no list) the CPU slab of @c; its free objects go to @c. */
static void freeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *slab)
{
	c->slab = slab;
	c->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	c->base = (uintptr_t)slab_base(s, slab);
	c->span = slab_debug(s) ? 0 : (uintptr_t)slab->objects * s->size;
}

/*
 * deactivate_slab - give @c's slab back to the lists: its CPU freelist joins
 * the slab's own. A corrupt CPU freelist (a double free in a cache without
 * checks) is dropped, its objects leaked, rather than followed.
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab;
	void *head = c->freelist, *tail = head;
	unsigned int nr = 0;

	while (tail) {
		void *next;

		nr++;
		next = get_freepointer(s, tail);
		if (next && (nr >= slab->objects || object_index(s, slab, next) < 0)) {
			slab_bug(s->m, s->name,
				 "Freechain corrupt: CPU freelist of slab phys %#llx",
				 phys(s, slab_base(s, slab)));
			slab_fix(s, "Leaking the objects of the CPU freelist");
			head = NULL;
			nr = 0;
			break;
		}
		if (!next)
			break;
		tail = next;
	}
	if (head) {
		set_freepointer(s, tail, slab->freelist);
		slab->freelist = head;
		slab->inuse -= nr;
	}
	c->slab = NULL;
	c->freelist = NULL;
	c->base = 0;
	c->span = 0;
	add_slab(s, slab);
}

/* get_partial - take a slab with free objects off the lists: partial first, then empty. */
static struct page *get_partial(struct kmem_cache *s)
{
	struct kmem_cache_node *n = s->node;
	struct page *slab;

	if (!list_empty(&n->partial))
		slab = list_first_entry(&n->partial, struct page, lru);
	else if (!list_empty(&n->empty))
		slab = list_first_entry(&n->empty, struct page, lru);
	else
		return NULL;
	remove_slab(s, slab);
	return slab;
}

/*
 * refill_cpu - give @c free objects: those freed to its slab from other CPUs,
 * else a partial or empty slab, else a new one. False if memory ran out.
 */
static bool refill_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct page *slab = c->slab;

	if (slab) {
		if (slab->freelist) {
			c->freelist = slab->freelist;
			slab->freelist = NULL;
			slab->inuse = slab->objects;
			return true;
		}
		deactivate_slab(s, c);
	}
	slab = get_partial(s);
	if (!slab)
		slab = new_slab(s, gfp);
	if (!slab)
		return false;
	freeze_slab(s, c, slab);
	return true;
}

/* ---- allocation and freeing ---- */

/*
 * __slab_alloc - the allocation slow path: failslab, debug checks, refills.
 * Returns an object of @s (zeroed for __GFP_ZERO) or NULL.
 */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct machine *m = s->m;
	struct kmem_cache_cpu *c;
	void *obj;

	if (unlikely(m->failslab.fail_nth) && !(gfp & __GFP_NOFAIL) && should_fail(&m->failslab))
		return NULL;
	c = &s->cpu_slab[m->cur_cpu];
	for (;;) {
		obj = c->freelist;
		if (!obj) {
			if (!refill_cpu(s, c, gfp))
				return NULL;
			continue;
		}
		if (!slab_debug(s)) {
			c->freelist = get_freepointer(s, obj);
			break;
		}
		if (alloc_debug_processing(s, c, obj))
			break;
	}
	kasan_unpoison(obj, s->object_size);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp | __GFP_ZERO);
}

static __attribute__((noinline)) void invalid_free(struct kmem_cache *s, void *x)
{
	struct machine *m = s->m;

	if (!x)
		return;		/* kmem_cache_free(s, NULL) is a no-op */
	if (virt_addr_valid(m, x))
		slab_bug(m, s->name, "Invalid free: phys %#llx is not a slab object", phys(s, x));
	else
		slab_bug(m, s->name, "Invalid free: host pointer %p is not a slab object", x);
}

/* free_to_slab_relist - free @x into a listed slab that is full or about to be empty. */
static __attribute__((noinline)) void free_to_slab_relist(struct kmem_cache *s,
							   struct page *slab, void *x)
{
	remove_slab(s, slab);
	set_freepointer(s, x, slab->freelist);
	slab->freelist = x;
	slab->inuse--;
	add_slab(s, slab);
}

/* do_slab_free - put checked object @x back into @slab, whichever state the slab is in. */
static inline void do_slab_free(struct kmem_cache *s, struct page *slab, void *x)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[s->m->cur_cpu];
	unsigned int inuse = slab->inuse;

	if (slab == c->slab) {
		set_freepointer(s, x, c->freelist);
		c->freelist = x;
	} else if (unlikely(inuse == 0)) {
		slab_bug(s->m, s->name,
			 "Object already free: slab of phys %#llx has no object in use",
			 phys(s, x));
		return;
	} else if (slab_frozen(slab) || likely(inuse != slab->objects && inuse != 1)) {
		/*
		 * Another CPU's slab (the object waits on the slab's own freelist),
		 * or a partial slab that stays partial: no list changes.
		 */
		set_freepointer(s, x, slab->freelist);
		slab->freelist = x;
		slab->inuse = inuse - 1;
	} else {
		free_to_slab_relist(s, slab, x);
	}
	kasan_poison((char *)x - s->red_left_pad, s->size);
}

/* The free of a debug cache, or of an object of another cache: check, then free. */
static __attribute__((noinline)) void slab_free_checked(struct kmem_cache *s, struct page *slab,
							 void *x)
{
	if (slab->slab_cache != s) {
		slab_bug(s->m, s->name, "Wrong slab cache: object phys %#llx is from %s",
			 phys(s, x), slab->slab_cache->name);
		return;
	}
	if (!free_debug_processing(s, slab, x))
		return;
	do_slab_free(s, slab, x);
}

/*
 * __slab_free - free @x of cache @s when it is not in this CPU's slab, or the
 * cache checks every free. @slab is its slab head page, or NULL to look it up.
 * A bad pointer is reported and refused, never followed.
 */
void __slab_free(struct kmem_cache *s, struct page *slab, void *x)
{
	if (!slab) {
		slab = virt_to_slab(s->m, x);
		if (unlikely(!slab)) {
			invalid_free(s, x);
			return;
		}
	}
	if (unlikely(slab->slab_cache != s || slab_debug(s))) {
		slab_free_checked(s, slab, x);
		return;
	}
	do_slab_free(s, slab, x);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	slab_free(s, NULL, obj);
}

/* ---- shrinking ---- */

/* flush_all_cpu_slabs - give every CPU slab of @s back to the lists (Linux's flush_all()). */
void flush_all_cpu_slabs(struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < s->m->nr_cpus; cpu++)
		if (s->cpu_slab[cpu].slab)
			deactivate_slab(s, &s->cpu_slab[cpu]);
}

/* __kmem_cache_shrink - flush the CPU slabs, free every empty slab; returns pages freed. */
unsigned long __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_node *n = s->node;
	struct page *slab, *next;
	unsigned long nr_pages = 0;

	flush_all_cpu_slabs(s);
	list_for_each_entry_safe(slab, next, &n->empty, lru) {
		nr_pages += 1UL << compound_order(slab);
		remove_slab(s, slab);
		discard_slab(s, slab);
	}
	return nr_pages;
}

/* kmem_cache_reparent_slabs - point every slab of @s back at @s (after a bootstrap copy). */
void kmem_cache_reparent_slabs(struct kmem_cache *s)
{
	struct list_head *lists[] = { &s->node->partial, &s->node->full, &s->node->empty };
	struct page *slab;

	for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++)
		list_for_each_entry(slab, lists[l], lru)
			slab->slab_cache = s;
	for (unsigned int cpu = 0; cpu < s->m->nr_cpus; cpu++)
		if (s->cpu_slab[cpu].slab)
			s->cpu_slab[cpu].slab->slab_cache = s;
}

/* slab_nr_free_listed - free objects on the partial and empty lists (what slabinfo counts). */
unsigned long slab_nr_free_listed(const struct kmem_cache *s)
{
	const struct list_head *lists[] = { &s->node->partial, &s->node->empty };
	unsigned long nr = 0;
	struct page *slab;

	for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++)
		list_for_each_entry(slab, lists[l], lru)
			nr += slab->objects - slab->inuse;
	return nr;
}

/* ---- validation ---- */

enum slab_state { SLAB_ON_PARTIAL, SLAB_ON_FULL, SLAB_ON_EMPTY, SLAB_ON_CPU };

static const char *const slab_state_names[] = { "partial", "full", "empty", "CPU" };

static bool check_fail(struct kmem_cache *s, struct page *slab, const char *what)
{
	slab_bug(s->m, s->name, "slab_check: %s (slab pfn %#lx)", what,
		 slab ? page_to_pfn(s->m, slab) : 0UL);
	return false;
}

/* The objects of @slab against the free bitmap: free ones poisoned, all red zones intact. */
static bool check_slab_objects(struct kmem_cache *s, struct page *slab,
			       const unsigned long *bitmap)
{
	if (!(s->flags & (SLAB_RED_ZONE | SLAB_POISON)))
		return true;
	for (unsigned int i = 0; i < slab->objects; i++) {
		uint8_t *obj = slab_object(s, slab, i);
		bool is_free = bitmap[i / BITS_PER_LONG] & BIT(i % BITS_PER_LONG);
		bool ok;

		slot_open(s, obj);
		ok = check_object(s, obj, is_free ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE, false);
		slot_close(s, obj, !is_free);
		if (!ok)
			return false;
	}
	return slab_pad_check(s, slab);
}

/* check_slab - one slab: its page, its freelists, its count against @state. */
static bool check_slab(struct kmem_cache *s, struct page *slab, enum slab_state state,
		       struct kmem_cache_cpu *c, unsigned long *bitmap)
{
	unsigned int order;
	long nr_free, nr_cpu_free;
	char what[96];

	if (!PageSlab(slab) || PageTail(slab) || slab->slab_cache != s)
		return check_fail(s, slab, "page on a slab list is not a slab of this cache");
	order = compound_order(slab);
	if (!((order == s->order && slab->objects == s->objects) ||
	      (order == s->min_order && slab->objects == s->min_objects)))
		return check_fail(s, slab, "object count does not match the slab order");
	for (unsigned long i = 1; i < (1UL << order); i++)
		if (compound_head(slab + i) != slab)
			return check_fail(s, slab, "tail page does not point to its slab");
	if ((state == SLAB_ON_CPU) != slab_frozen(slab))
		return check_fail(s, slab, state == SLAB_ON_CPU ? "CPU slab is on a list"
								: "listed slab reads as frozen");
	memset(bitmap, 0, (slab->objects / BITS_PER_LONG + 1) * sizeof(unsigned long));
	nr_free = mark_free(s, slab, slab->freelist, bitmap, "slab freelist");
	if (nr_free < 0)
		return false;
	if (c) {
		nr_cpu_free = mark_free(s, slab, c->freelist, bitmap, "CPU freelist");
		if (nr_cpu_free < 0)
			return false;
		if (c->base != (uintptr_t)slab_base(s, slab) ||
		    c->span != (slab_debug(s) ? 0 : (uintptr_t)slab->objects * s->size))
			return check_fail(s, slab, "CPU slab bounds are stale");
	}
	if (slab->inuse != slab->objects - (unsigned long)nr_free) {
		snprintf(what, sizeof(what), "inuse %u but %ld of %u objects free on a %s slab",
			 slab->inuse, nr_free, slab->objects, slab_state_names[state]);
		return check_fail(s, slab, what);
	}
	if ((state == SLAB_ON_FULL && slab->inuse != slab->objects) ||
	    (state == SLAB_ON_EMPTY && slab->inuse != 0) ||
	    (state == SLAB_ON_PARTIAL && (slab->inuse == 0 || slab->inuse == slab->objects))) {
		snprintf(what, sizeof(what), "inuse %u of %u on the %s list", slab->inuse,
			 slab->objects, slab_state_names[state]);
		return check_fail(s, slab, what);
	}
	return check_slab_objects(s, slab, bitmap);
}

/*
 * slab_check_cache - validate every slab of @s and its node counts; add the
 * bytes of its slabs to *@bytes. False, reported, on the first problem.
 */
bool slab_check_cache(struct kmem_cache *s, unsigned long *bytes)
{
	unsigned long bitmap[MAX_OBJS_PER_SLAB / BITS_PER_LONG + 1];
	struct kmem_cache_node *n = s->node;
	struct list_head *lists[] = { &n->partial, &n->full, &n->empty };
	unsigned long counts[] = { n->nr_partial, n->nr_full, n->nr_empty };
	unsigned long nr_slabs = 0, nr_objects = 0;
	struct page *slab;

	for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++) {
		unsigned long nr = 0;

		list_for_each_entry(slab, lists[l], lru) {
			if (++nr > n->nr_slabs)
				return check_fail(s, NULL, "slab list is longer than the cache");
			if (!check_slab(s, slab, (enum slab_state)l, NULL, bitmap))
				return false;
			nr_objects += slab->objects;
			*bytes += slab_bytes(s->m, slab);
		}
		if (nr != counts[l])
			return check_fail(s, NULL, "list count does not match its list");
		nr_slabs += nr;
	}
	for (unsigned int cpu = 0; cpu < s->m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		slab = c->slab;
		if (!slab) {
			if (c->freelist || c->span)
				return check_fail(s, NULL, "CPU without a slab has free objects");
			continue;
		}
		for (unsigned int other = 0; other < cpu; other++)
			if (s->cpu_slab[other].slab == slab)
				return check_fail(s, slab, "slab is the CPU slab of two CPUs");
		if (!check_slab(s, slab, SLAB_ON_CPU, c, bitmap))
			return false;
		nr_slabs++;
		nr_objects += slab->objects;
		*bytes += slab_bytes(s->m, slab);
	}
	if (nr_slabs != n->nr_slabs || nr_objects != n->total_objects)
		return check_fail(s, NULL, "slab or object total does not match the slabs");
	return true;
}
