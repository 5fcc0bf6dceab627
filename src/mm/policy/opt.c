/*
 * opt.c - Belady's OPT (MIN): the page whose next use lies furthest in the future
 * leaves, known from a first pass over the trace (policy_next_use()). Optimal in
 * faults; a stack algorithm. Ties, only among pages never used again, go to the
 * lowest frame, so write-back counts are reproducible.
 * Keeps: a max-heap of the loaded frames by (next use, then lower frame first).
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct opt_state {
	uint64_t *next;			/* per frame: the index of its page's next reference */
	unsigned long *heap;		/* frames; heap[0] is the victim */
	unsigned long *pos;		/* per frame: its index in heap[] */
	unsigned long nr;
};

/* before - does frame @a leave before frame @b? */
static inline bool before(const struct opt_state *s, unsigned long a, unsigned long b)
{
	return s->next[a] > s->next[b] || (s->next[a] == s->next[b] && a < b);
}

static inline void heap_set(struct opt_state *s, unsigned long i, unsigned long f)
{
	s->heap[i] = f;
	s->pos[f] = i;
}

static void sift_up(struct opt_state *s, unsigned long i)
{
	unsigned long f = s->heap[i];

	while (i) {
		unsigned long parent = (i - 1) / 2;

		if (!before(s, f, s->heap[parent]))
			break;
		heap_set(s, i, s->heap[parent]);
		i = parent;
	}
	heap_set(s, i, f);
}

static void sift_down(struct opt_state *s, unsigned long i)
{
	unsigned long f = s->heap[i];

	for (;;) {
		unsigned long c = 2 * i + 1;

		if (c >= s->nr)
			break;
		if (c + 1 < s->nr && before(s, s->heap[c + 1], s->heap[c]))
			c++;
		if (!before(s, s->heap[c], f))
			break;
		heap_set(s, i, s->heap[c]);
		i = c;
	}
	heap_set(s, i, f);
}

static int opt_init(struct page_policy *pp)
{
	struct opt_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->next = host_zalloc(pp->nr_frames * sizeof(*s->next));
	s->heap = host_zalloc(pp->nr_frames * sizeof(*s->heap));
	s->pos = host_zalloc(pp->nr_frames * sizeof(*s->pos));
	if (!s->next || !s->heap || !s->pos) {
		host_free(s->next);
		host_free(s->heap);
		host_free(s->pos);
		host_free(s);
		return -ENOMEM;
	}
	pp->priv = s;
	return 0;
}

static void opt_destroy(struct page_policy *pp)
{
	struct opt_state *s = pp->priv;

	host_free(s->next);
	host_free(s->heap);
	host_free(s->pos);
	host_free(s);
}

static inline uint64_t next_use(const struct page_policy *pp, uint64_t ref)
{
	/* A reference beyond the first pass (a caller's bug) is treated as the last one. */
	return ref < pp->nr_refs ? pp->next_use[ref] : POLICY_NEVER;
}

static void opt_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct opt_state *s = pp->priv;

	s->next[frame] = next_use(pp, ref);
	heap_set(s, s->nr++, frame);
	sift_up(s, s->nr - 1);
}

static void opt_page_referenced(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct opt_state *s = pp->priv;

	/* The next use only moves later, so the frame can only rise. */
	s->next[frame] = next_use(pp, ref);
	sift_up(s, s->pos[frame]);
}

static void opt_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct opt_state *s = pp->priv;
	unsigned long i = s->pos[frame], last = s->heap[--s->nr];

	if (i == s->nr)
		return;
	heap_set(s, i, last);
	sift_up(s, i);
	sift_down(s, s->pos[last]);
}

static unsigned long opt_select_victim(struct page_policy *pp)
{
	struct opt_state *s = pp->priv;

	pp->nr_scanned++;
	return s->nr ? s->heap[0] : POLICY_NO_FRAME;
}

const struct page_policy_ops opt_policy = {
	.name		= "opt",
	.summary	= "Belady's OPT: the page used furthest in the future (two passes)",
	.flags		= POLICY_NEEDS_FUTURE,
	.init		= opt_init,
	.destroy	= opt_destroy,
	.page_loaded	= opt_page_loaded,
	.page_referenced = opt_page_referenced,
	.page_removed	= opt_page_removed,
	.select_victim	= opt_select_victim,
};
