/*
 * random.c - a victim drawn uniformly among the loaded frames by a PRNG seeded
 * from the run's seed (xorshift64*, seeded through splitmix64), so a run repeats.
 * Keeps: loaded[0 .. nr) are exactly the loaded frames; pos[] is their inverse.
 */
#include <errno.h>

#include "host.h"
#include "policy.h"

struct random_state {
	unsigned long *loaded;		/* dense: the loaded frames */
	unsigned long *pos;		/* per frame: its index in loaded[] */
	unsigned long nr;
	uint64_t x;			/* xorshift64* state, never 0 */
};

static uint64_t splitmix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t random_next(struct random_state *s)
{
	s->x ^= s->x >> 12;
	s->x ^= s->x << 25;
	s->x ^= s->x >> 27;
	return s->x * 0x2545f4914f6cdd1dULL;
}

static int random_init(struct page_policy *pp)
{
	struct random_state *s = host_zalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->loaded = host_zalloc(pp->nr_frames * sizeof(*s->loaded));
	s->pos = host_zalloc(pp->nr_frames * sizeof(*s->pos));
	if (!s->loaded || !s->pos) {
		host_free(s->loaded);
		host_free(s->pos);
		host_free(s);
		return -ENOMEM;
	}
	s->x = splitmix64(pp->seed) | 1;
	pp->priv = s;
	return 0;
}

static void random_destroy(struct page_policy *pp)
{
	struct random_state *s = pp->priv;

	host_free(s->loaded);
	host_free(s->pos);
	host_free(s);
}

static void random_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref)
{
	struct random_state *s = pp->priv;

	(void)ref;
	s->pos[frame] = s->nr;
	s->loaded[s->nr++] = frame;
}

static void random_page_removed(struct page_policy *pp, unsigned long frame)
{
	struct random_state *s = pp->priv;
	unsigned long i = s->pos[frame], last = s->loaded[--s->nr];

	s->loaded[i] = last;
	s->pos[last] = i;
}

static unsigned long random_select_victim(struct page_policy *pp)
{
	struct random_state *s = pp->priv;

	if (!s->nr)
		return POLICY_NO_FRAME;
	pp->nr_scanned++;
	return s->loaded[random_next(s) % s->nr];
}

const struct page_policy_ops random_policy = {
	.name		= "random",
	.summary	= "a loaded frame drawn at random (seeded: --seed)",
	.init		= random_init,
	.destroy	= random_destroy,
	.page_loaded	= random_page_loaded,
	.page_removed	= random_page_removed,
	.select_victim	= random_select_victim,
};
