/*
 * slab.h - small-block allocation: kmem_cache and kmalloc.
 * Follows Linux mm/slub.c in shape: slabs are (compound) pages from the buddy
 * allocator, each cache keeps partial slabs and a per-CPU fast path.
 */
#ifndef TUXMM_SLAB_H
#define TUXMM_SLAB_H

#include "gfp.h"
#include "list.h"
#include "types.h"

struct machine;
struct kmem_cache;

/* Cache flags (Linux's SLAB_* values where they exist). */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u	/* check every free */
#define SLAB_RED_ZONE           0x00000400u	/* guard bytes around each object */
#define SLAB_POISON             0x00000800u	/* fill free objects with 0x6b */
#define SLAB_HWCACHE_ALIGN      0x00002000u	/* align objects to a cache line */
#define SLAB_CACHE_DMA          0x00004000u
#define SLAB_CACHE_DMA32        0x00008000u
#define SLAB_STORE_USER         0x00010000u
#define SLAB_PANIC              0x00040000u
#define SLAB_RECLAIM_ACCOUNT    0x00020000u	/* counted as SReclaimable */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON)

#define KMALLOC_MIN_SIZE   8
#define KMALLOC_MAX_CACHE_SIZE(m) (2 * (m)->page_size)	/* larger: page allocator */

/* kmalloc(0) returns ZERO_SIZE_PTR: not NULL, never dereferenceable, kfree() ignores it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

/* The slab allocator's global state, part of struct machine. */
struct slab_globals {
	struct list_head caches;		/* every kmem_cache, newest first (as slabinfo) */
	struct kmem_cache *kmem_cache;		/* the cache of kmem_cache structs */
	struct kmem_cache *kmem_cache_node;	/* the cache of kmem_cache_node structs */
	struct kmem_cache *kmalloc_caches[32];	/* by kmalloc_index(): 96, 192, then 2^n */
	unsigned int debug_flags;		/* SLAB_DEBUG_FLAGS applied to new caches */
	unsigned long large_kmalloc_bytes;	/* kmalloc() blocks from the page allocator */
	unsigned long nr_errors;		/* corruption reports so far */
	char last_error[256];			/* the last report, for tests and the CLI */
};

/*
 * slab_init - bootstrap kmem_cache_node, kmem_cache and the kmalloc-* caches.
 * Called once the buddy allocator works; 0 or -ENOMEM.
 */
int slab_init(struct machine *m);

/*
 * kmem_cache_create - a cache of @size-byte objects aligned to @align (0: 8),
 * SLAB_* @flags plus m->slab.debug_flags; @ctor runs once per object when its
 * slab is made. NULL (logged) on bad arguments or no memory.
 */
struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
/* kmem_cache_alloc - an object, or NULL (out of memory, or failslab unless __GFP_NOFAIL). */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
/* kmem_cache_free - NULL is a no-op; a bad pointer is reported and refused, never followed. */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* kmem_cache_destroy - free the cache and its slabs; refused (reported) while objects remain. */
void kmem_cache_destroy(struct kmem_cache *s);
/*
 * kmem_cache_shrink - flush the per-CPU slabs and give every empty slab back to
 * the page allocator. Returns the number of pages given back.
 */
unsigned long kmem_cache_shrink(struct kmem_cache *s);
/*
 * slab_shrink_all - kmem_cache_shrink() every cache, as writing 1 to every
 * /sys/kernel/slab/<cache>/shrink does. Returns the number of pages given back.
 */
unsigned long slab_shrink_all(struct machine *m);
unsigned int kmem_cache_size(const struct kmem_cache *s);
const char *kmem_cache_name(const struct kmem_cache *s);

/*
 * kmalloc - @size bytes from the kmalloc-8 .. kmalloc-<2 pages> caches, or
 * straight from the page allocator above KMALLOC_MAX_CACHE_SIZE. kmalloc(0)
 * is ZERO_SIZE_PTR; kfree() takes either, and ignores NULL.
 */
void *kmalloc(struct machine *m, size_t size, gfp_t gfp);
void *kzalloc(struct machine *m, size_t size, gfp_t gfp);
void *krealloc(struct machine *m, const void *p, size_t new_size, gfp_t gfp);
void kfree(struct machine *m, const void *p);
/* ksize - the usable bytes of a kmalloc'ed block: its size class, or the page block. */
size_t ksize(struct machine *m, const void *p);

/* slab_check - validate every cache's slabs and counts; false (with a report) on corruption. */
bool slab_check(struct machine *m);

/* Totals for /proc/meminfo, in pages. */
unsigned long slab_reclaimable_pages(struct machine *m);
unsigned long slab_unreclaimable_pages(struct machine *m);

struct report;
void slabinfo_show(struct machine *m, struct report *r);

#endif
