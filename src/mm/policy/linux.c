/*
 * linux.c - Linux's page aging: an inactive and an active list driven by the
 * accessed bits of the pages' PTEs, as mm/vmscan.c ages file pages without MGLRU.
 * Follows shrink_inactive_list() with folio_check_references() and
 * shrink_active_list() with inactive_is_low(), scaled to one page per reclaim:
 *   - a loaded page joins the inactive list at its newest end (folio_add_lru);
 *   - while the inactive list is smaller than the active one (inactive_ratio 1, as
 *     Linux has below 1 GiB), the oldest active page is deactivated: its accessed bit
 *     is cleared and it moves to the newest end of the inactive list;
 *   - the oldest inactive page is examined: accessed since the last look and already
 *     PG_referenced -> activated; accessed once -> PG_referenced set and rotated
 *     (FOLIOREF_KEEP); not accessed -> the victim (PG_referenced is cleared either way).
 * Keeps: each loaded frame is on exactly one list, active[] saying which.
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct linux_state {
	struct frame_links links;	/* shared by both lists */
	struct frame_list inactive, active;
	unsigned char *active_flag;	/* per frame: PG_active */
	unsigned char *referenced;	/* per frame: PG_referenced */
	unsigned long nr_activate, nr_deactivate, nr_rotate;
};

static int linux_init(struct page_policy *pp)
{
	struct linux_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->active_flag = host_zalloc(pp->nr_frames);
	s->referenced = host_zalloc(pp->nr_frames);
	if (!s->active_flag || !s->referenced || frame_links_init(&s->links, pp->nr_frames)) {
		host_free(s->active_flag);
		host_free(s->referenced);
		host_free(s);
		return -ENOMEM;
	}
	frame_list_init(&s->inactive);
	frame_list_init(&s->active);
	pp->priv = s;
	return 0;
}

static void linux_destroy(struct page_policy *pp)
{
	struct linux_state *s = pp->priv;

	frame_links_destroy(&s->links);
	host_free(s->active_flag);
	host_free(s->referenced);
	host_free(s);
}

static void linux_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct linux_state *s = pp->priv;

	(void)ref;
	s->active_flag[frame] = 0;
	s->referenced[frame] = 0;
	frame_list_add(&s->links, &s->inactive, frame);
}

static void linux_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct linux_state *s = pp->priv;

	frame_list_del(&s->links, s->active_flag[frame] ? &s->active : &s->inactive, frame);
}

/*
 * shrink_active_one - Linux's shrink_active_list() for one page: its accessed bit is
 * consumed (folio_referenced) and, not being an executable file page, it is
 * deactivated whether it was accessed or not.
 */
static void shrink_active_one(struct page_policy *pp, struct linux_state *s)
{
	unsigned long f = s->active.first;

	pp->nr_scanned++;
	pp->test_clear_young(pp->ctx, f);
	s->active_flag[f] = 0;
	frame_list_move_last(&s->links, &s->active, &s->inactive, f);
	s->nr_deactivate++;
}

static unsigned long linux_select_victim(struct page_policy *pp)
{
	struct linux_state *s = pp->priv;

	if (!s->inactive.nr && !s->active.nr)
		return POLICY_NO_FRAME;
	for (;;) {
		unsigned long f;
		bool young, referenced;

		/* inactive_is_low() with inactive_ratio 1. */
		while (s->active.nr && s->inactive.nr < s->active.nr)
			shrink_active_one(pp, s);
		f = s->inactive.first;
		pp->nr_scanned++;
		young = pp->test_clear_young(pp->ctx, f);
		referenced = s->referenced[f];
		s->referenced[f] = 0;
		if (!young)
			return f;	/* FOLIOREF_RECLAIM(_CLEAN) */
		s->referenced[f] = 1;
		if (referenced) {
			/* FOLIOREF_ACTIVATE: the second look found it used again. */
			s->active_flag[f] = 1;
			frame_list_move_last(&s->links, &s->inactive, &s->active, f);
			s->nr_activate++;
		} else {
			/* FOLIOREF_KEEP: back to the newest end of the inactive list. */
			frame_list_move_last(&s->links, &s->inactive, &s->inactive, f);
			s->nr_rotate++;
		}
	}
}

const struct page_policy_ops linux_policy = {
	.name		= "linux",
	.summary	= "Linux's active/inactive lists aged by the PTE accessed bits (default)",
	.flags		= POLICY_READS_YOUNG,
	.init		= linux_init,
	.destroy	= linux_destroy,
	.page_loaded	= linux_page_loaded,
	.page_removed	= linux_page_removed,
	.select_victim	= linux_select_victim,
};
