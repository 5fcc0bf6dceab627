/*
 * rbtree.c - red-black tree insertion, deletion and iteration.
 * Follows the algorithm of Linux lib/rbtree.c (parent pointer and colour in
 * one word; rotations report to the augment callbacks).
 * Keeps: the root is black; a red node has black children; every path from a
 * node down to a leaf crosses the same number of black nodes.
 */
#include "rbtree.h"

#define RB_RED   0UL
#define RB_BLACK 1UL

static inline bool rb_is_black(const struct rb_node *node)
{
	return node->__rb_parent_color & RB_BLACK;
}

static inline bool rb_is_red(const struct rb_node *node)
{
	return !rb_is_black(node);
}

/* The parent of a red node: its word has no colour bit to mask. */
static inline struct rb_node *rb_red_parent(const struct rb_node *red)
{
	return (struct rb_node *)red->__rb_parent_color;
}

static inline void rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->__rb_parent_color = (node->__rb_parent_color & RB_BLACK) | (unsigned long)parent;
}

static inline void rb_set_parent_color(struct rb_node *node, struct rb_node *parent,
				       unsigned long color)
{
	node->__rb_parent_color = (unsigned long)parent | color;
}

static inline void rb_set_black(struct rb_node *node)
{
	node->__rb_parent_color |= RB_BLACK;
}

/* Make @parent (or the root) point at @new_node where it pointed at @old. */
static inline void rb_change_child(struct rb_node *old, struct rb_node *new_node,
				   struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new_node;
	else if (parent->rb_left == old)
		parent->rb_left = new_node;
	else
		parent->rb_right = new_node;
}

/*
 * After a rotation that lifted @new_node above @old: @new_node takes @old's
 * parent and colour, @old hangs below @new_node with @color.
 */
static inline void rb_rotate_set_parents(struct rb_node *old, struct rb_node *new_node,
					 struct rb_root *root, unsigned long color)
{
	struct rb_node *parent = rb_parent(old);

	new_node->__rb_parent_color = old->__rb_parent_color;
	rb_set_parent_color(old, new_node, color);
	rb_change_child(old, new_node, parent, root);
}

static void dummy_propagate(struct rb_node *node, struct rb_node *stop)
{
	(void)node;
	(void)stop;
}

static void dummy_copy(struct rb_node *old, struct rb_node *new_node)
{
	(void)old;
	(void)new_node;
}

static void dummy_rotate(struct rb_node *old, struct rb_node *new_node)
{
	(void)old;
	(void)new_node;
}

static const struct rb_augment_callbacks dummy_callbacks = {
	.propagate = dummy_propagate,
	.copy = dummy_copy,
	.rotate = dummy_rotate,
};

/*
 * rb_insert_fixup - restore the colour rules after a red @node was linked.
 * Walks up while a red node has a red parent: a red uncle means recolour and
 * move up two levels; a black uncle means one or two rotations and stop.
 */
static void rb_insert_fixup(struct rb_node *node, struct rb_root *root,
			    void (*rotate)(struct rb_node *old, struct rb_node *new_node))
{
	struct rb_node *parent = rb_red_parent(node), *gparent, *tmp;

	for (;;) {
		if (!parent) {
			rb_set_parent_color(node, NULL, RB_BLACK);
			return;
		}
		if (rb_is_black(parent))
			return;
		gparent = rb_red_parent(parent);
		tmp = gparent->rb_right;
		if (parent != tmp) {
			/* parent is the left child; tmp is the uncle */
			if (tmp && rb_is_red(tmp)) {
				rb_set_parent_color(tmp, gparent, RB_BLACK);
				rb_set_parent_color(parent, gparent, RB_BLACK);
				node = gparent;
				parent = rb_parent(node);
				rb_set_parent_color(node, parent, RB_RED);
				continue;
			}
			tmp = parent->rb_right;
			if (node == tmp) {
				/* Inner grandchild: rotate left at parent first. */
				tmp = node->rb_left;
				parent->rb_right = tmp;
				node->rb_left = parent;
				if (tmp)
					rb_set_parent_color(tmp, parent, RB_BLACK);
				rb_set_parent_color(parent, node, RB_RED);
				rotate(parent, node);
				parent = node;
				tmp = node->rb_right;
			}
			/* Outer grandchild: rotate right at gparent. */
			gparent->rb_left = tmp;
			parent->rb_right = gparent;
			if (tmp)
				rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_rotate_set_parents(gparent, parent, root, RB_RED);
			rotate(gparent, parent);
			return;
		}
		/* parent is the right child: the mirror image */
		tmp = gparent->rb_left;
		if (tmp && rb_is_red(tmp)) {
			rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_set_parent_color(parent, gparent, RB_BLACK);
			node = gparent;
			parent = rb_parent(node);
			rb_set_parent_color(node, parent, RB_RED);
			continue;
		}
		tmp = parent->rb_left;
		if (node == tmp) {
			tmp = node->rb_right;
			parent->rb_left = tmp;
			node->rb_right = parent;
			if (tmp)
				rb_set_parent_color(tmp, parent, RB_BLACK);
			rb_set_parent_color(parent, node, RB_RED);
			rotate(parent, node);
			parent = node;
			tmp = node->rb_left;
		}
		gparent->rb_right = tmp;
		parent->rb_left = gparent;
		if (tmp)
			rb_set_parent_color(tmp, gparent, RB_BLACK);
		rb_rotate_set_parents(gparent, parent, root, RB_RED);
		rotate(gparent, parent);
		return;
	}
}

/*
 * rb_erase_fixup - a black node was removed below @parent, so paths through
 * @parent's now-shorter side miss one black node. Borrow from the sibling
 * (rotations) or push the shortage up (recolouring) until it is absorbed.
 */
static void rb_erase_fixup(struct rb_node *parent, struct rb_root *root,
			   void (*rotate)(struct rb_node *old, struct rb_node *new_node))
{
	struct rb_node *node = NULL, *sibling, *tmp1, *tmp2;

	for (;;) {
		sibling = parent->rb_right;
		if (node != sibling) {
			/* the short side is the left one */
			if (rb_is_red(sibling)) {
				/* Make the sibling black by rotating left at parent. */
				tmp1 = sibling->rb_left;
				parent->rb_right = tmp1;
				sibling->rb_left = parent;
				rb_set_parent_color(tmp1, parent, RB_BLACK);
				rb_rotate_set_parents(parent, sibling, root, RB_RED);
				rotate(parent, sibling);
				sibling = tmp1;
			}
			tmp1 = sibling->rb_right;
			if (!tmp1 || rb_is_black(tmp1)) {
				tmp2 = sibling->rb_left;
				if (!tmp2 || rb_is_black(tmp2)) {
					/* Both nephews black: recolour the sibling, move up. */
					rb_set_parent_color(sibling, parent, RB_RED);
					if (rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = rb_parent(node);
						if (parent)
							continue;
					}
					return;
				}
				/* Near nephew red: rotate right at the sibling. */
				tmp1 = tmp2->rb_right;
				sibling->rb_left = tmp1;
				tmp2->rb_right = sibling;
				parent->rb_right = tmp2;
				if (tmp1)
					rb_set_parent_color(tmp1, sibling, RB_BLACK);
				rotate(sibling, tmp2);
				tmp1 = sibling;
				sibling = tmp2;
			}
			/* Far nephew red: rotate left at parent and recolour. */
			tmp2 = sibling->rb_left;
			parent->rb_right = tmp2;
			sibling->rb_left = parent;
			rb_set_parent_color(tmp1, sibling, RB_BLACK);
			if (tmp2)
				rb_set_parent(tmp2, parent);
			rb_rotate_set_parents(parent, sibling, root, RB_BLACK);
			rotate(parent, sibling);
			return;
		}
		/* the short side is the right one: the mirror image */
		sibling = parent->rb_left;
		if (rb_is_red(sibling)) {
			tmp1 = sibling->rb_right;
			parent->rb_left = tmp1;
			sibling->rb_right = parent;
			rb_set_parent_color(tmp1, parent, RB_BLACK);
			rb_rotate_set_parents(parent, sibling, root, RB_RED);
			rotate(parent, sibling);
			sibling = tmp1;
		}
		tmp1 = sibling->rb_left;
		if (!tmp1 || rb_is_black(tmp1)) {
			tmp2 = sibling->rb_right;
			if (!tmp2 || rb_is_black(tmp2)) {
				rb_set_parent_color(sibling, parent, RB_RED);
				if (rb_is_red(parent)) {
					rb_set_black(parent);
				} else {
					node = parent;
					parent = rb_parent(node);
					if (parent)
						continue;
				}
				return;
			}
			tmp1 = tmp2->rb_left;
			sibling->rb_right = tmp1;
			tmp2->rb_left = sibling;
			parent->rb_left = tmp2;
			if (tmp1)
				rb_set_parent_color(tmp1, sibling, RB_BLACK);
			rotate(sibling, tmp2);
			tmp1 = sibling;
			sibling = tmp2;
		}
		tmp2 = sibling->rb_right;
		parent->rb_left = tmp2;
		sibling->rb_right = parent;
		rb_set_parent_color(tmp1, sibling, RB_BLACK);
		if (tmp2)
			rb_set_parent(tmp2, parent);
		rb_rotate_set_parents(parent, sibling, root, RB_BLACK);
		rotate(parent, sibling);
		return;
	}
}

/*
 * rb_erase_unlink - take @node out of the tree. A node with two children is
 * replaced by its successor. Returns the parent below which a black node went
 * missing (the fixup's starting point), or NULL if the colours still hold.
 */
static struct rb_node *rb_erase_unlink(struct rb_node *node, struct rb_root *root,
				       const struct rb_augment_callbacks *augment)
{
	struct rb_node *child = node->rb_right, *tmp = node->rb_left;
	struct rb_node *parent, *rebalance;
	unsigned long pc;

	if (!tmp) {
		/* At most a right child, which is then red and takes node's place and colour. */
		pc = node->__rb_parent_color;
		parent = rb_parent(node);
		rb_change_child(node, child, parent, root);
		if (child) {
			child->__rb_parent_color = pc;
			rebalance = NULL;
		} else {
			rebalance = (pc & RB_BLACK) ? parent : NULL;
		}
		tmp = parent;
	} else if (!child) {
		/* Only a left child: same as above. */
		tmp->__rb_parent_color = pc = node->__rb_parent_color;
		parent = rb_parent(node);
		rb_change_child(node, tmp, parent, root);
		rebalance = NULL;
		tmp = parent;
	} else {
		struct rb_node *successor = child, *child2;

		tmp = child->rb_left;
		if (!tmp) {
			/* The successor is node's right child. */
			parent = successor;
			child2 = successor->rb_right;
			augment->copy(node, successor);
		} else {
			/* The successor is the leftmost node of the right subtree. */
			do {
				parent = successor;
				successor = tmp;
				tmp = tmp->rb_left;
			} while (tmp);
			child2 = successor->rb_right;
			parent->rb_left = child2;
			successor->rb_right = child;
			rb_set_parent(child, successor);
			augment->copy(node, successor);
			augment->propagate(parent, successor);
		}
		tmp = node->rb_left;
		successor->rb_left = tmp;
		rb_set_parent(tmp, successor);

		pc = node->__rb_parent_color;
		tmp = rb_parent(node);
		rb_change_child(node, successor, tmp, root);
		if (child2) {
			rb_set_parent_color(child2, parent, RB_BLACK);
			rebalance = NULL;
		} else {
			rebalance = rb_is_black(successor) ? parent : NULL;
		}
		successor->__rb_parent_color = pc;
		tmp = successor;
	}
	augment->propagate(tmp, NULL);
	return rebalance;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_fixup(node, root, dummy_rotate);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *rebalance = rb_erase_unlink(node, root, &dummy_callbacks);

	if (rebalance)
		rb_erase_fixup(rebalance, root, dummy_rotate);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment)
{
	rb_insert_fixup(node, root, augment->rotate);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment)
{
	struct rb_node *rebalance = rb_erase_unlink(node, root, augment);

	if (rebalance)
		rb_erase_fixup(rebalance, root, augment->rotate);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	/* Up until we come from a left child: that parent is next. */
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}
