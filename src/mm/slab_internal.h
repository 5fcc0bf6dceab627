/*
 * slab_internal.h - the slab allocator's private structures and fast paths,
 * shared by slab_common.c and slub.c (Linux keeps them in mm/slab.h).
 * Keeps: caches, nodes and per-CPU slots all live in simulated RAM.
 */
#ifndef TUXMM_SLAB_INTERNAL_H
#define TUXMM_SLAB_INTERNAL_H

#include <string.h>

#include "machine.h"
#include "mm.h"
#include "slab.h"

#define SLAB_CACHE_LINE    64		/* HWalign, bytes */
#define SLAB_MAX_ORDER     3		/* PAGE_ALLOC_COSTLY_ORDER, as slub_max_order */
#define MAX_OBJS_PER_SLAB  32767	/* Linux's MAX_OBJS_PER_PAGE */
#define MIN_PARTIAL        5		/* empty/partial slabs a cache keeps at least */
#define MAX_PARTIAL        10

/* Poison values, Linux include/linux/poison.h. */
#define POISON_INUSE       0x5a		/* slab padding */
#define POISON_FREE        0x6b		/* a free object */
#define POISON_END         0xa5		/* the last byte of a free object */
#define SLUB_RED_INACTIVE  0xbb		/* red zone of a free object */
#define SLUB_RED_ACTIVE    0xcc		/* red zone of an allocated object */

/* Internal cache flags, above every SLAB_* flag callers may pass. */
#define __OBJECT_POISON    0x80000000u	/* object bytes poisoned (POISON and no ctor) */
#define __SLAB_BOOT        0x40000000u	/* a boot cache: static name, never destroyed */

/*
 * The per-CPU part of a cache, like SLUB's kmem_cache_cpu. The CPU slab is
 * "frozen": it is on no list (slab->lru.next == NULL) and its free objects
 * are split between @freelist (only this CPU takes from or pushes to it) and
 * slab->freelist (frees from other CPUs). While frozen, slab->inuse counts
 * every object not on slab->freelist, so objects on @freelist count as used.
 */
struct kmem_cache_cpu {
	void *freelist;			/* the CPU's free objects of @slab */
	struct page *slab;		/* the CPU slab, or NULL */
	uintptr_t base;			/* host address of @slab's first object slot */
	uintptr_t span;			/* slot bytes, 0 in debug caches (slow frees) */
};

/* The slab lists of the only node, like SLUB's kmem_cache_node. */
struct kmem_cache_node {
	struct list_head partial;	/* 0 < inuse < objects */
	struct list_head full;		/* inuse == objects */
	struct list_head empty;		/* inuse == 0, kept up to min_partial */
	unsigned long nr_partial, nr_full, nr_empty;	/* slabs on each list */
	unsigned long nr_slabs;		/* slabs of the cache, CPU slabs included */
	unsigned long total_objects;	/* objects in those slabs */
};

/*
 * One cache. A slot of s->size bytes holds, from its start:
 *
 *  | left red zone | object | right red zone | free pointer | padding |
 *  |<-red_left_pad->|<------- inuse -------->|
 *
 * The object pointer is slot + red_left_pad. The free pointer sits at
 * object + offset: 0 (inside the free object) unless poisoning or a
 * constructor needs the object intact, then right after inuse.
 */
struct kmem_cache {
	struct machine *m;
	unsigned int flags;		/* SLAB_* and internal flags */
	unsigned int offset;		/* free pointer offset from the object, bytes */
	unsigned int size;		/* slot bytes, metadata included (slabinfo objsize) */
	unsigned int object_size;	/* bytes the caller asked for */
	struct kmem_cache_node *node;
	unsigned int inuse;		/* object + right red zone, bytes */
	unsigned int align;		/* bytes */
	unsigned int red_left_pad;	/* bytes */
	unsigned int order;		/* preferred slab order */
	unsigned int objects;		/* objects in a slab of @order */
	unsigned int min_order;		/* fallback order: the smallest holding one object */
	unsigned int min_objects;	/* objects in a slab of @min_order */
	unsigned int min_partial;	/* partial + empty slabs kept before freeing empties */
	gfp_t allocflags;		/* added to every slab page allocation */
	int refcount;
	void (*ctor)(void *);
	const char *name;
	struct list_head list;		/* in m->slab.caches, newest first */
	struct kmem_cache_cpu cpu_slab[];	/* m->nr_cpus of them */
};

static inline size_t kmem_cache_struct_size(const struct machine *m)
{
	return sizeof(struct kmem_cache) + m->nr_cpus * sizeof(struct kmem_cache_cpu);
}

static inline bool slab_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

/* slab_frozen - a CPU slab is on no list. */
static inline bool slab_frozen(const struct page *slab)
{
	return slab->lru.next == NULL;
}

static inline size_t slab_bytes(const struct machine *m, const struct page *slab)
{
	return m->page_size << compound_order(slab);
}

/* get_order - the smallest page order holding @size bytes. */
static inline unsigned int slab_get_order(const struct machine *m, size_t size)
{
	unsigned int order = 0;

	while ((m->page_size << order) < size)
		order++;
	return order;
}

/* virt_to_slab - the head page of the slab holding @p, or NULL if @p is in no slab. */
static inline struct page *virt_to_slab(const struct machine *m, const void *p)
{
	struct page *page;

	if (!virt_addr_valid(m, p))
		return NULL;
	page = virt_to_page(m, p);
	/* A branch, not compound_head()'s select: order-0 slabs then never wait on it. */
	if (unlikely(PageTail(page)))
		page = (struct page *)(page->compound_head - 1);
	return PageSlab(page) ? page : NULL;
}

/*
 * Free pointers. A free object is poisoned for AddressSanitizer as a whole,
 * so its free pointer is unpoisoned only for the moment it is read or written.
 */
static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	void **fp = (void **)((char *)obj + s->offset);
#ifdef TUXMM_ASAN
	void *next;

	kasan_unpoison(fp, sizeof(void *));
	next = *fp;
	kasan_poison(fp, sizeof(void *));
	return next;
#else
	return *fp;
#endif
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj, void *next)
{
	void **fp = (void **)((char *)obj + s->offset);

	kasan_unpoison(fp, sizeof(void *));
	*fp = next;
	kasan_poison(fp, sizeof(void *));
}

/* The slow paths of slub.c, taken when the inline fast paths below cannot serve. */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp);
void __slab_free(struct kmem_cache *s, struct page *slab, void *x);

/*
 * slab_alloc - pop the CPU freelist. Debug caches, an empty freelist and
 * armed failslab all take the slow path, so the fast path checks nothing else.
 */
static inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct machine *m = s->m;
	struct kmem_cache_cpu *c = &s->cpu_slab[m->cur_cpu];
	void *obj = c->freelist;

	if (unlikely(!obj || slab_debug(s) || m->failslab.fail_nth))
		return __slab_alloc(s, gfp);
	c->freelist = get_freepointer(s, obj);
	kasan_unpoison(obj, s->object_size);
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/*
 * slab_free - push @x on the CPU freelist when it lies in this CPU's slab
 * (one subtraction and compare: no struct page access, no division). Debug
 * caches keep span 0, so every free of theirs goes through the checks.
 * @slab is @x's slab head page if the caller knows it, else NULL.
 */
static inline void slab_free(struct kmem_cache *s, struct page *slab, void *x)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[s->m->cur_cpu];

	if (likely((uintptr_t)x - c->base < c->span)) {
		set_freepointer(s, x, c->freelist);
		c->freelist = x;
		kasan_poison(x, s->size);
		return;
	}
	__slab_free(s, slab, x);
}

/* slub.c */
int __kmem_cache_open(struct kmem_cache *s, struct machine *m, const char *name,
		      unsigned int size, unsigned int align, unsigned int flags,
		      void (*ctor)(void *), struct kmem_cache_node *node);
void flush_all_cpu_slabs(struct kmem_cache *s);
unsigned long __kmem_cache_shrink(struct kmem_cache *s);
void kmem_cache_reparent_slabs(struct kmem_cache *s);
unsigned int slab_ksize(const struct kmem_cache *s);
bool slab_check_cache(struct kmem_cache *s, unsigned long *bytes);
unsigned long slab_nr_free_listed(const struct kmem_cache *s);
void slab_bug(struct machine *m, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
