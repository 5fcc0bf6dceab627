/*
 * xarray.h - a radix tree of pointers indexed by unsigned long, with marks:
 * the page cache's index (Linux's xarray in shape, without its locking).
 * Nodes of 64 slots come from a slab cache the caller owns ("radix_tree_node").
 * Entries are pointers or value entries (xa_mk_value): the tree itself
 * treats both alike; its users tell them apart with xa_is_value().
 */
#ifndef TUXMM_XARRAY_H
#define TUXMM_XARRAY_H

#include <stdbool.h>

#include "types.h"

struct kmem_cache;

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK	(XA_CHUNK_SIZE - 1)

typedef unsigned int xa_mark_t;
#define XA_MARK_0	0U
#define XA_MARK_1	1U
#define XA_MARK_2	2U
#define XA_NR_MARKS	3U
#define XA_PRESENT	3U	/* a search filter: any entry (the node's occupancy bitmap) */

/*
 * One node: 64 slots, each a child node (shift > 0) or an entry (shift 0).
 * marks[XA_PRESENT] has a bit per occupied slot; marks[m] a bit per slot
 * whose entry (or some entry below) carries mark m.
 */
struct xa_node {
	unsigned char shift;		/* bits of the index below this node's slots */
	unsigned char offset;		/* slot in the parent */
	unsigned char count;		/* occupied slots */
	struct xa_node *parent;		/* NULL for the root */
	unsigned long marks[XA_NR_MARKS + 1];
	void *slots[XA_CHUNK_SIZE];
};

struct xarray {
	struct xa_node *xa_root;	/* NULL when empty */
	unsigned long nr_nodes;		/* nodes allocated */
};

static inline void xa_init(struct xarray *xa)
{
	xa->xa_root = NULL;
	xa->nr_nodes = 0;
}

/*
 * Value entries, as Linux's: an integer stored in the tree instead of a
 * pointer, told apart by bit 0 (pointers to pages are aligned). The page
 * cache keeps a swapped-out shmem page's swap entry this way.
 */
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return !xa->xa_root;
}

/* xa_load - the entry at @index, or NULL. O(log64 n). */
void *xa_load(const struct xarray *xa, unsigned long index);
/*
 * xa_store - put @entry (not NULL: a pointer or a value entry) at @index, replacing what was there, with
 * nodes from @cache. 0 or -ENOMEM (the tree is left as it was).
 */
int xa_store(struct xarray *xa, unsigned long index, void *entry, struct kmem_cache *cache,
	     gfp_t gfp);
/* xa_erase - remove and return the entry at @index (NULL if none); empty nodes go to @cache. */
void *xa_erase(struct xarray *xa, unsigned long index, struct kmem_cache *cache);
/*
 * xa_find - the first entry at an index in [*@indexp, @max] carrying @filter
 * (XA_PRESENT: any entry); *@indexp is set to its index. NULL if none.
 */
void *xa_find(const struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter);
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
bool xa_get_mark(const struct xarray *xa, unsigned long index, xa_mark_t mark);
/* xa_marked - does any entry carry @mark? O(1). */
static inline bool xa_marked(const struct xarray *xa, xa_mark_t mark)
{
	return xa->xa_root && xa->xa_root->marks[mark];
}
/* xa_check - validate counts, parent links and mark propagation; false if broken. */
bool xa_check(const struct xarray *xa);

/* xa_for_each_range - every entry carrying @filter with index in [@start, @last], in order. */
#define xa_for_each_range(xa, index, entry, start, last, filter)                      \
	for (index = (start), entry = xa_find(xa, &index, last, filter); entry;        \
	     entry = (index++ == (last) ? NULL : xa_find(xa, &index, last, filter)))

#endif
