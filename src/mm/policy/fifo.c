/*
 * fifo.c - first in, first out: the page loaded longest ago leaves first, however
 * often it is used. The textbook policy (and Belady's anomaly).
 * Keeps: the queue holds exactly the loaded frames, in load order.
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct fifo_state {
	struct frame_links links;
	struct frame_list queue;	/* oldest first */
};

static int fifo_init(struct page_policy *pp)
{
	struct fifo_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (frame_links_init(&s->links, pp->nr_frames)) {
		host_free(s);
		return -ENOMEM;
	}
	frame_list_init(&s->queue);
	pp->priv = s;
	return 0;
}

static void fifo_destroy(struct page_policy *pp)
{
	struct fifo_state *s = pp->priv;

	frame_links_destroy(&s->links);
	host_free(s);
}

static void fifo_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct fifo_state *s = pp->priv;

	(void)ref;
	frame_list_add(&s->links, &s->queue, frame);
}

static void fifo_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct fifo_state *s = pp->priv;

	frame_list_del(&s->links, &s->queue, frame);
}

static unsigned long fifo_select_victim(struct page_policy *pp)
{
	struct fifo_state *s = pp->priv;

	pp->nr_scanned++;
	return s->queue.first;
}

const struct page_policy_ops fifo_policy = {
	.name		= "fifo",
	.summary	= "first in, first out: the page loaded longest ago",
	.init		= fifo_init,
	.destroy	= fifo_destroy,
	.page_loaded	= fifo_page_loaded,
	.page_removed	= fifo_page_removed,
	.select_victim	= fifo_select_victim,
};
