/*
 * test_rbtree.c - red-black trees, plain and augmented: the colour rules,
 * in-order iteration, and the augmented value after every insert and erase,
 * on seeded random sequences checked against a sorted shadow array.
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "rbtree.h"

#define NR_NODES 2000

struct item {
	unsigned long key;
	unsigned long weight;
	unsigned long subtree_max;	/* the largest weight in the subtree */
	struct rb_node rb;
	bool in_tree;
};

static inline struct item *rb_item(const struct rb_node *node)
{
	return rb_entry(node, struct item, rb);
}

static unsigned long item_subtree_max(const struct rb_node *node)
{
	return node ? rb_item(node)->subtree_max : 0;
}

static unsigned long compute_max(const struct item *it)
{
	unsigned long max = it->weight, l = item_subtree_max(it->rb.rb_left);
	unsigned long r = item_subtree_max(it->rb.rb_right);

	max = l > max ? l : max;
	return r > max ? r : max;
}

static void item_propagate(struct rb_node *node, struct rb_node *stop)
{
	while (node != stop) {
		struct item *it = rb_item(node);
		unsigned long max = compute_max(it);

		if (it->subtree_max == max)
			break;
		it->subtree_max = max;
		node = rb_parent(node);
	}
}

static void item_copy(struct rb_node *old, struct rb_node *new_node)
{
	rb_item(new_node)->subtree_max = rb_item(old)->subtree_max;
}

static void item_rotate(struct rb_node *old, struct rb_node *new_node)
{
	rb_item(new_node)->subtree_max = rb_item(old)->subtree_max;
	rb_item(old)->subtree_max = compute_max(rb_item(old));
}

static const struct rb_augment_callbacks item_cb = {
	.propagate = item_propagate,
	.copy = item_copy,
	.rotate = item_rotate,
};

static void insert(struct rb_root *root, struct item *it, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (augmented) {
			struct item *p = rb_item(parent);

			if (p->subtree_max < it->weight)
				p->subtree_max = it->weight;
		}
		link = it->key < rb_item(parent)->key ? &parent->rb_left : &parent->rb_right;
	}
	it->subtree_max = it->weight;
	rb_link_node(&it->rb, parent, link);
	if (augmented)
		rb_insert_augmented(&it->rb, root, &item_cb);
	else
		rb_insert_color(&it->rb, root);
	it->in_tree = true;
}

/* Black height of @node's subtree, or -1 if a colour rule is broken below it. */
static int check_colours(const struct rb_node *node, const struct rb_node *parent)
{
	int l, r;

	if (!node)
		return 1;
	if (rb_parent(node) != parent)
		return -1;
	if (!(node->__rb_parent_color & 1) &&
	    ((node->rb_left && !(node->rb_left->__rb_parent_color & 1)) ||
	     (node->rb_right && !(node->rb_right->__rb_parent_color & 1))))
		return -1;	/* a red node with a red child */
	l = check_colours(node->rb_left, node);
	r = check_colours(node->rb_right, node);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (int)(node->__rb_parent_color & 1);
}

static bool check_augment(const struct rb_node *node)
{
	if (!node)
		return true;
	return check_augment(node->rb_left) && check_augment(node->rb_right) &&
	       rb_item(node)->subtree_max == compute_max(rb_item(node));
}

static int cmp_key(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The tree's in-order keys equal the shadow's sorted keys, forwards and backwards. */
static void check_order(struct rb_root *root, struct item *items, bool augmented)
{
	unsigned long keys[NR_NODES];
	size_t n = 0, i = 0;
	struct rb_node *node;

	for (size_t k = 0; k < NR_NODES; k++)
		if (items[k].in_tree)
			keys[n++] = items[k].key;
	qsort(keys, n, sizeof(keys[0]), cmp_key);
	for (node = rb_first(root); node; node = rb_next(node))
		assert_int_equal(rb_item(node)->key, keys[i++]);
	assert_int_equal(i, n);
	for (node = rb_last(root); node; node = rb_prev(node))
		assert_int_equal(rb_item(node)->key, keys[--i]);
	assert_true(!root->rb_node || (root->rb_node->__rb_parent_color & 1));
	assert_true(check_colours(root->rb_node, NULL) > 0 || !root->rb_node);
	if (augmented)
		assert_true(check_augment(root->rb_node));
}

static void random_sequence(bool augmented)
{
	struct item *items = calloc(NR_NODES, sizeof(*items));
	struct rb_root root = RB_ROOT;
	uint64_t rng = test_seed() ^ (augmented ? 0x5a5a : 0);

	assert_non_null(items);
	for (size_t k = 0; k < NR_NODES; k++) {
		items[k].key = k * 7919 % 100003;	/* distinct */
		items[k].weight = test_rand(&rng) % 1000000;
	}
	for (int step = 0; step < 20000; step++) {
		struct item *it = &items[test_rand(&rng) % NR_NODES];

		if (it->in_tree) {
			if (augmented)
				rb_erase_augmented(&it->rb, &root, &item_cb);
			else
				rb_erase(&it->rb, &root);
			it->in_tree = false;
		} else {
			insert(&root, it, augmented);
		}
		if (step % 997 == 0 || step < 64)
			check_order(&root, items, augmented);
	}
	check_order(&root, items, augmented);
	free(items);
}

static void random_inserts_and_erases_keep_colour_rules(void **state)
{
	(void)state;
	random_sequence(false);
}

static void augmented_values_follow_every_rotation(void **state)
{
	(void)state;
	random_sequence(true);
}

static void sequential_keys_stay_balanced(void **state)
{
	struct item *items = calloc(4096, sizeof(*items));
	struct rb_root root = RB_ROOT;
	int height;

	(void)state;
	assert_non_null(items);
	for (size_t k = 0; k < 4096; k++) {
		items[k].key = k;
		insert(&root, &items[k], false);
	}
	height = check_colours(root.rb_node, NULL);
	/* Black height of 4096 nodes is at most log2(4097) + 1. */
	assert_true(height > 0 && height <= 13);
	for (size_t k = 0; k < 4096; k += 2)
		rb_erase(&items[k].rb, &root);
	assert_true(check_colours(root.rb_node, NULL) > 0);
	assert_int_equal(rb_item(rb_first(&root))->key, 1);
	assert_int_equal(rb_item(rb_last(&root))->key, 4095);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_inserts_and_erases_keep_colour_rules),
		cmocka_unit_test(augmented_values_follow_every_rotation),
		cmocka_unit_test(sequential_keys_stay_balanced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
