/*
 * clock.c - CLOCK (second chance) as the textbooks define it: one use bit per
 * frame, set when a page is loaded and on every reference; the hand clears the set
 * bits it passes and takes the first frame whose bit is clear, and after a load
 * stands just past the frame that was filled.
 * On a machine (pp->on_machine) the hand also reads the page's accessed
 * bits: a frame whose page was used since the hand last passed counts as set.
 * Keeps: the hand is a frame number; empty frames are passed over.
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct clock_state {
	unsigned char *use;		/* per frame: 0 clear, 1 set, 2 empty */
	unsigned long hand;
	unsigned long nr_loaded;
};

#define CLOCK_EMPTY 2

static int clock_init(struct page_policy *pp)
{
	struct clock_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->use = host_zalloc(pp->nr_frames);
	if (!s->use) {
		host_free(s);
		return -ENOMEM;
	}
	for (unsigned long f = 0; f < pp->nr_frames; f++)
		s->use[f] = CLOCK_EMPTY;
	pp->priv = s;
	return 0;
}

static void clock_destroy(struct page_policy *pp)
{
	struct clock_state *s = pp->priv;

	host_free(s->use);
	host_free(s);
}

static void clock_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct clock_state *s = pp->priv;

	(void)ref;
	s->use[frame] = 1;
	s->nr_loaded++;
	s->hand = frame + 1 == pp->nr_frames ? 0 : frame + 1;
}

static void clock_page_referenced(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct clock_state *s = pp->priv;

	(void)ref;
	s->use[frame] = 1;
}

static void clock_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct clock_state *s = pp->priv;

	s->use[frame] = CLOCK_EMPTY;
	s->nr_loaded--;
}

static unsigned long clock_select_victim(struct page_policy *pp)
{
	struct clock_state *s = pp->priv;
	unsigned long f = s->hand;

	if (!s->nr_loaded)
		return POLICY_NO_FRAME;
	/* At most two turns: the first clears every bit it passes. */
	for (;;) {
		pp->nr_scanned++;
		if (pp->on_machine && s->use[f] != CLOCK_EMPTY && pp->test_clear_young(pp->ctx, f))
			s->use[f] = 1;
		if (s->use[f] == 0) {
			s->hand = f;
			return f;
		}
		if (s->use[f] == 1)
			s->use[f] = 0;
		f = f + 1 == pp->nr_frames ? 0 : f + 1;
	}
}

const struct page_policy_ops clock_policy = {
	.name		= "clock",
	.summary	= "CLOCK: a use bit per frame and a hand that gives second chances",
	.init		= clock_init,
	.destroy	= clock_destroy,
	.page_loaded	= clock_page_loaded,
	.page_referenced = clock_page_referenced,
	.page_removed	= clock_page_removed,
	.select_victim	= clock_select_victim,
};
