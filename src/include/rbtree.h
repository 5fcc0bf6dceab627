/*
 * rbtree.h - intrusive red-black trees with Linux's <linux/rbtree.h> interface,
 * including the augmented variant (a per-node value kept up to date from the
 * node's subtree, e.g. the largest free gap below it).
 * Nodes live inside the objects they order, so a tree costs no allocation.
 */
#ifndef TUXMM_RBTREE_H
#define TUXMM_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "list.h"

struct rb_node {
	unsigned long __rb_parent_color;	/* parent pointer | colour in bit 0 */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })

#define rb_parent(r) ((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member)                                             \
	({                                                                           \
		__typeof__(ptr) ____ptr = (ptr);                                     \
		____ptr ? rb_entry(____ptr, type, member) : NULL;                    \
	})

#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
/* A node that is in no tree points at itself. */
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (unsigned long)(node))

/*
 * rb_link_node - hang @node, red and childless, at *@rb_link below @parent.
 * The caller found the place by a search; rb_insert_color() then rebalances.
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * Augmented trees. @propagate recomputes the value of @node and its ancestors
 * up to (not including) @stop; @copy gives @new the value @old had; @rotate is
 * called after a rotation made @new the parent of @old: @new takes @old's
 * value and @old is recomputed from its children.
 */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new_node);
	void (*rotate)(struct rb_node *old, struct rb_node *new_node);
};

/*
 * rb_insert_augmented - rebalance after rb_link_node() in an augmented tree.
 * The caller must have made the values on the path to @node include it first
 * (or call the propagate callback from @node to the root afterwards).
 */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);

#endif
