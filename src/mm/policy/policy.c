/*
 * policy.c - the registry of page-out policies (one ops table per file in this
 * directory), their common life cycle, the frame lists several of them share, and
 * Belady's first pass that learns the future.
 * Keeps: policy_at(0) is the default ("linux"); names are unique.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "policy.h"

static const struct page_policy_ops *const policies[] = {
	&linux_policy, &clock_policy, &fifo_policy, &lru_policy, &random_policy, &opt_policy,
};

const struct page_policy_ops *policy_at(size_t i)
{
	return i < sizeof(policies) / sizeof(policies[0]) ? policies[i] : NULL;
}

const struct page_policy_ops *policy_find(const char *name)
{
	for (size_t i = 0; policy_at(i); i++)
		if (name && !strcmp(policies[i]->name, name))
			return policies[i];
	return NULL;
}

void policy_names(char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (size_t i = 0; policy_at(i) && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", policies[i]->name);
}

int policy_init(struct page_policy *pp)
{
	if (!pp->ops || !pp->nr_frames || pp->nr_frames == POLICY_NO_FRAME)
		return -EINVAL;
	if ((pp->ops->flags & POLICY_NEEDS_FUTURE) && !pp->next_use && pp->nr_refs)
		return -EINVAL;
	if ((pp->ops->flags & POLICY_READS_YOUNG) && !pp->test_clear_young)
		return -EINVAL;
	pp->priv = NULL;
	pp->nr_scanned = 0;
	return pp->ops->init(pp);
}

void policy_destroy(struct page_policy *pp)
{
	if (pp->ops && pp->priv)
		pp->ops->destroy(pp);
	pp->priv = NULL;
}

int frame_links_init(struct frame_links *l, unsigned long nr_frames)
{
	l->prev = host_zalloc(nr_frames * sizeof(*l->prev));
	l->next = host_zalloc(nr_frames * sizeof(*l->next));
	if (!l->prev || !l->next) {
		frame_links_destroy(l);
		return -ENOMEM;
	}
	return 0;
}

void frame_links_destroy(struct frame_links *l)
{
	host_free(l->prev);
	host_free(l->next);
	l->prev = l->next = NULL;
}

/* ---- one frame list, oldest first: FIFO's queue, LRU's recency order ---- */

struct queue_state {
	struct frame_links links;
	struct frame_list list;
};

int queue_policy_init(struct page_policy *pp)
{
	struct queue_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (frame_links_init(&s->links, pp->nr_frames)) {
		host_free(s);
		return -ENOMEM;
	}
	frame_list_init(&s->list);
	pp->priv = s;
	return 0;
}

void queue_policy_destroy(struct page_policy *pp)
{
	struct queue_state *s = pp->priv;

	frame_links_destroy(&s->links);
	host_free(s);
}

void queue_policy_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct queue_state *s = pp->priv;

	(void)ref;
	frame_list_add(&s->links, &s->list, frame);
}

void queue_policy_page_to_back(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct queue_state *s = pp->priv;

	(void)ref;
	frame_list_move_last(&s->links, &s->list, &s->list, frame);
}

void queue_policy_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct queue_state *s = pp->priv;

	frame_list_del(&s->links, &s->list, frame);
}

unsigned long queue_policy_select_first(struct page_policy *pp)
{
	struct queue_state *s = pp->priv;

	pp->nr_scanned++;
	return s->list.first;
}

/* ---- the future, for OPT ---- */

static inline uint64_t hash_key(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/*
 * Walk the references backwards with an open-addressing table from page to the
 * latest index seen; each key is replaced by that index before its own is recorded.
 */
int policy_next_use(uint64_t *keys, uint64_t nr)
{
	uint64_t cap = 1024, used = 0, mask;
	struct slot { uint64_t key, at; } *tab;

	tab = host_zalloc(cap * sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	mask = cap - 1;
	for (uint64_t i = nr; i-- > 0;) {
		uint64_t k = keys[i], h;

		if (2 * (used + 1) > cap) {
			struct slot *old = tab;
			uint64_t oldcap = cap;

			cap *= 2;
			mask = cap - 1;
			tab = host_zalloc(cap * sizeof(*tab));
			if (!tab) {
				host_free(old);
				return -ENOMEM;
			}
			for (uint64_t j = 0; j < oldcap; j++) {
				if (!old[j].at)
					continue;
				for (h = hash_key(old[j].key) & mask; tab[h].at; h = (h + 1) & mask)
					;
				tab[h] = old[j];
			}
			host_free(old);
		}
		/* at is index + 1, so 0 marks an empty slot. */
		for (h = hash_key(k) & mask; tab[h].at && tab[h].key != k; h = (h + 1) & mask)
			;
		if (tab[h].at) {
			keys[i] = tab[h].at - 1;
		} else {
			keys[i] = POLICY_NEVER;
			tab[h].key = k;
			used++;
		}
		tab[h].at = i + 1;
	}
	host_free(tab);
	return 0;
}
