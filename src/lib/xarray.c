/*
 * xarray.c - the radix tree behind the page cache: 64-way nodes, three marks
 * and an occupancy bitmap per node, so lookups, ordered searches and
 * "is anything dirty?" cost O(log64 n). Follows Linux lib/xarray.c in shape.
 * Keeps: a node exists only while it has entries; a parent's bit for a slot
 * is set exactly when the child has that bit set anywhere.
 */
#include <errno.h>
#include <string.h>

#include "slab.h"
#include "xarray.h"

/* node_fits - can @node's subtree hold @index? */
static inline bool node_fits(const struct xa_node *node, unsigned long index)
{
	unsigned int top = node->shift + XA_CHUNK_SHIFT;

	return top >= 64 || (index >> top) == 0;
}

static inline unsigned int node_offset(const struct xa_node *node, unsigned long index)
{
	return (unsigned int)((index >> node->shift) & XA_CHUNK_MASK);
}

static struct xa_node *node_alloc(struct xarray *xa, struct kmem_cache *cache, gfp_t gfp,
				  unsigned int shift)
{
	struct xa_node *node = kmem_cache_alloc(cache, gfp);

	if (!node)
		return NULL;
	memset(node, 0, sizeof(*node));
	node->shift = (unsigned char)shift;
	xa->nr_nodes++;
	return node;
}

static void node_free(struct xarray *xa, struct kmem_cache *cache, struct xa_node *node)
{
	xa->nr_nodes--;
	kmem_cache_free(cache, node);
}

void *xa_load(const struct xarray *xa, unsigned long index)
{
	const struct xa_node *node = xa->xa_root;

	if (!node || !node_fits(node, index))
		return NULL;
	while (node->shift) {
		node = node->slots[node_offset(node, index)];
		if (!node)
			return NULL;
	}
	return node->slots[index & XA_CHUNK_MASK];
}

/* set_bit_up - set @bit's slot bit in @node and every ancestor that lacks it. */
static void set_bit_up(struct xa_node *node, unsigned int offset, unsigned int bit)
{
	while (node) {
		if (node->marks[bit] & (1UL << offset))
			return;
		node->marks[bit] |= 1UL << offset;
		offset = node->offset;
		node = node->parent;
	}
}

/* clear_bit_up - clear @bit's slot bit, and the parent's when the node has none left. */
static void clear_bit_up(struct xa_node *node, unsigned int offset, unsigned int bit)
{
	while (node) {
		node->marks[bit] &= ~(1UL << offset);
		if (node->marks[bit])
			return;
		offset = node->offset;
		node = node->parent;
	}
}

/* delete_empty - free @node and its ancestors while they hold nothing. */
static void delete_empty(struct xarray *xa, struct kmem_cache *cache, struct xa_node *node)
{
	while (node && !node->count) {
		struct xa_node *parent = node->parent;

		if (parent) {
			unsigned int off = node->offset;

			parent->slots[off] = NULL;
			parent->count--;
			for (unsigned int b = 0; b <= XA_NR_MARKS; b++)
				parent->marks[b] &= ~(1UL << off);
		} else {
			xa->xa_root = NULL;
		}
		node_free(xa, cache, node);
		node = parent;
	}
	/* A parent emptied of marks must clear its own bits in the ancestors. */
	for (struct xa_node *n = node; n && n->parent; n = n->parent)
		for (unsigned int b = 0; b <= XA_NR_MARKS; b++)
			if (!n->marks[b])
				n->parent->marks[b] &= ~(1UL << n->offset);
}

/* shrink - drop roots that only lead to their slot 0. */
static void shrink(struct xarray *xa, struct kmem_cache *cache)
{
	struct xa_node *root = xa->xa_root;

	while (root && root->shift && root->count == 1 && root->slots[0]) {
		struct xa_node *child = root->slots[0];

		child->parent = NULL;
		child->offset = 0;
		xa->xa_root = child;
		node_free(xa, cache, root);
		root = child;
	}
}

/* grow - add roots above the current one until @index fits. 0 or -ENOMEM. */
static int grow(struct xarray *xa, unsigned long index, struct kmem_cache *cache, gfp_t gfp)
{
	struct xa_node *root = xa->xa_root;

	if (!root) {
		unsigned int shift = 0;

		while (shift + XA_CHUNK_SHIFT < 64 && (index >> (shift + XA_CHUNK_SHIFT)))
			shift += XA_CHUNK_SHIFT;
		root = node_alloc(xa, cache, gfp, shift);
		if (!root)
			return -ENOMEM;
		xa->xa_root = root;
		return 0;
	}
	while (!node_fits(root, index)) {
		struct xa_node *up = node_alloc(xa, cache, gfp, root->shift + XA_CHUNK_SHIFT);

		if (!up) {
			shrink(xa, cache);
			return -ENOMEM;
		}
		up->slots[0] = root;
		up->count = 1;
		for (unsigned int b = 0; b <= XA_NR_MARKS; b++)
			if (root->marks[b])
				up->marks[b] = 1;
		root->parent = up;
		root->offset = 0;
		xa->xa_root = root = up;
	}
	return 0;
}

int xa_store(struct xarray *xa, unsigned long index, void *entry, struct kmem_cache *cache,
	     gfp_t gfp)
{
	struct xa_node *node;
	unsigned int off;

	if (grow(xa, index, cache, gfp))
		return -ENOMEM;
	node = xa->xa_root;
	while (node->shift) {
		struct xa_node *child;

		off = node_offset(node, index);
		child = node->slots[off];
		if (!child) {
			child = node_alloc(xa, cache, gfp, node->shift - XA_CHUNK_SHIFT);
			if (!child) {
				delete_empty(xa, cache, node);
				shrink(xa, cache);
				return -ENOMEM;
			}
			child->parent = node;
			child->offset = (unsigned char)off;
			node->slots[off] = child;
			node->count++;
			/* The child gets its first entry below, which sets PRESENT up the path. */
		}
		node = child;
	}
	off = index & XA_CHUNK_MASK;
	if (!node->slots[off]) {
		node->count++;
		set_bit_up(node, off, XA_PRESENT);
	}
	node->slots[off] = entry;
	return 0;
}

/* leaf - the bottom node holding @index, or NULL. */
static struct xa_node *leaf(const struct xarray *xa, unsigned long index)
{
	struct xa_node *node = xa->xa_root;

	if (!node || !node_fits(node, index))
		return NULL;
	while (node && node->shift)
		node = node->slots[node_offset(node, index)];
	return node;
}

void *xa_erase(struct xarray *xa, unsigned long index, struct kmem_cache *cache)
{
	struct xa_node *node = leaf(xa, index);
	unsigned int off = index & XA_CHUNK_MASK;
	void *old;

	if (!node || !node->slots[off])
		return NULL;
	old = node->slots[off];
	node->slots[off] = NULL;
	node->count--;
	for (unsigned int b = 0; b <= XA_NR_MARKS; b++)
		if (node->marks[b] & (1UL << off))
			clear_bit_up(node, off, b);
	delete_empty(xa, cache, node);
	shrink(xa, cache);
	return old;
}

void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node = leaf(xa, index);
	unsigned int off = index & XA_CHUNK_MASK;

	if (node && node->slots[off])
		set_bit_up(node, off, mark);
}

void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node = leaf(xa, index);
	unsigned int off = index & XA_CHUNK_MASK;

	if (node && (node->marks[mark] & (1UL << off)))
		clear_bit_up(node, off, mark);
}

bool xa_get_mark(const struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node = leaf(xa, index);

	return node && (node->marks[mark] & (1UL << (index & XA_CHUNK_MASK)));
}

void *xa_find(const struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter)
{
	struct xa_node *node = xa->xa_root;
	unsigned long index = *indexp;

	if (!node || index > max || !node_fits(node, index))
		return NULL;
	for (;;) {
		unsigned int off = node_offset(node, index), next;
		unsigned long bits = node->marks[filter] & (~0UL << off);

		if (!bits) {
			unsigned int top = node->shift + XA_CHUNK_SHIFT;
			unsigned long up;

			/* Nothing at or after @off here: resume after this node in its parent. */
			if (!node->parent)
				return NULL;
			up = ((index >> top) + 1) << top;
			if (up <= index || up > max)
				return NULL;
			index = up;
			node = node->parent;
			continue;
		}
		next = (unsigned int)__builtin_ctzl(bits);
		if (next != off) {
			unsigned int top = node->shift + XA_CHUNK_SHIFT;
			unsigned long base = top >= 64 ? 0 : (index >> top) << top;

			index = base | ((unsigned long)next << node->shift);
		}
		if (index > max)
			return NULL;
		if (!node->shift) {
			*indexp = index;
			return node->slots[next];
		}
		node = node->slots[next];
	}
}

static bool check_node(const struct xa_node *node, unsigned long *nr_nodes)
{
	unsigned int count = 0;
	unsigned long present = 0;

	(*nr_nodes)++;
	for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++) {
		const struct xa_node *child = node->slots[i];

		if (!child)
			continue;
		count++;
		present |= 1UL << i;
		if (!node->shift)
			continue;
		if (child->parent != node || child->offset != i ||
		    child->shift + XA_CHUNK_SHIFT != node->shift || !child->count)
			return false;
		for (unsigned int b = 0; b <= XA_NR_MARKS; b++)
			if (!!child->marks[b] != !!(node->marks[b] & (1UL << i)))
				return false;
		if (!check_node(child, nr_nodes))
			return false;
	}
	for (unsigned int b = 0; b < XA_NR_MARKS; b++)
		if (node->marks[b] & ~present)
			return false;
	return count == node->count && present == node->marks[XA_PRESENT];
}

bool xa_check(const struct xarray *xa)
{
	unsigned long nr_nodes = 0;

	if (!xa->xa_root)
		return xa->nr_nodes == 0;
	if (xa->xa_root->parent || !xa->xa_root->count)
		return false;
	return check_node(xa->xa_root, &nr_nodes) && nr_nodes == xa->nr_nodes;
}
