/*
 * lru.c - exact least recently used: every reference moves its page to the newest
 * end, the oldest end leaves. A stack algorithm: more frames never fault more.
 * Keeps: the list holds exactly the loaded frames, least recently used first.
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct lru_state {
	struct frame_links links;
	struct frame_list recency;	/* least recently used first */
};

static int lru_init(struct page_policy *pp)
{
	struct lru_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (frame_links_init(&s->links, pp->nr_frames)) {
		host_free(s);
		return -ENOMEM;
	}
	frame_list_init(&s->recency);
	pp->priv = s;
	return 0;
}

static void lru_destroy(struct page_policy *pp)
{
	struct lru_state *s = pp->priv;

	frame_links_destroy(&s->links);
	host_free(s);
}

static void lru_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct lru_state *s = pp->priv;

	(void)ref;
	frame_list_add(&s->links, &s->recency, frame);
}

static void lru_page_referenced(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct lru_state *s = pp->priv;

	(void)ref;
	frame_list_move_last(&s->links, &s->recency, &s->recency, frame);
}

static void lru_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct lru_state *s = pp->priv;

	frame_list_del(&s->links, &s->recency, frame);
}

static unsigned long lru_select_victim(struct page_policy *pp)
{
	struct lru_state *s = pp->priv;

	pp->nr_scanned++;
	return s->recency.first;
}

const struct page_policy_ops lru_policy = {
	.name		= "lru",
	.summary	= "exact least recently used",
	.init		= lru_init,
	.destroy	= lru_destroy,
	.page_loaded	= lru_page_loaded,
	.page_referenced = lru_page_referenced,
	.page_removed	= lru_page_removed,
	.select_victim	= lru_select_victim,
};
