/*
 * policy.h - page-out policies as method tables chosen by name: Linux's two-list
 * second-chance aging ("linux"), CLOCK, FIFO, exact LRU, random and Belady's OPT.
 * A policy knows frames, not memory: the caller numbers the frames it manages
 * 0 .. nr_frames-1 (slots of a capped task, or pfns of a machine) and tells the policy
 * what happens in them; the policy only answers "which frame goes next".
 * Keeps: a policy never touches a frame the caller did not report loaded.
 */
#ifndef TUXMM_POLICY_H
#define TUXMM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_NO_FRAME		(~0UL)		/* select_victim(): nothing to evict */
#define POLICY_NEVER		UINT64_MAX	/* next_use[]: never referenced again */

/* ops->flags */
#define POLICY_NEEDS_FUTURE	0x1	/* needs pp->next_use (OPT): a first pass over the trace */
#define POLICY_READS_YOUNG	0x2	/* calls pp->test_clear_young (the machine's accessed bits) */

struct page_policy;

/*
 * The method table, the only thing a policy file exports. Frames are numbered by the
 * caller; @ref is the caller's running index of page references (0, 1, 2, ... over the
 * whole run), the index next_use[] is indexed by.
 */
struct page_policy_ops {
	const char *name;		/* what --policy and policy= take */
	const char *summary;		/* one line for help texts */
	unsigned int flags;		/* POLICY_* */
	/* init - allocate the state for pp->nr_frames frames: 0 or -ENOMEM. */
	int (*init)(struct page_policy *pp);
	void (*destroy)(struct page_policy *pp);
	/* page_loaded - a page came into empty @frame by reference @ref (it counts as one). */
	void (*page_loaded)(struct page_policy *pp, unsigned long frame, uint64_t ref);
	/*
	 * page_referenced - reference @ref hit the page in @frame. NULL: the policy ignores
	 * references the caller sees (FIFO, random), or reads them from accessed bits (linux);
	 * the caller may then skip the call on its hot path.
	 */
	void (*page_referenced)(struct page_policy *pp, unsigned long frame, uint64_t ref);
	/* page_removed - @frame is empty now (evicted, or unmapped by its owner). */
	void (*page_removed)(struct page_policy *pp, unsigned long frame);
	/* select_victim - the loaded frame to empty next, or POLICY_NO_FRAME if none. */
	unsigned long (*select_victim)(struct page_policy *pp);
};

/* One policy instance: set the fields above priv, then policy_init(). */
struct page_policy {
	const struct page_policy_ops *ops;
	unsigned long nr_frames;	/* frames the caller may load, numbered from 0 */
	uint64_t seed;			/* random: the PRNG's seed */
	/* POLICY_NEEDS_FUTURE: for reference i, the index of the next reference to the same page */
	const uint64_t *next_use;
	uint64_t nr_refs;		/* entries in next_use */
	/* POLICY_READS_YOUNG: test and clear the accessed bit of @frame's page (ctx: the caller's) */
	bool (*test_clear_young)(void *ctx, unsigned long frame);
	void *ctx;
	/* the frames are a machine's pfns (machine.c): CLOCK's hand reads test_clear_young */
	bool on_machine;
	void *priv;			/* the policy's own state */
	unsigned long nr_scanned;	/* frames examined while selecting victims */
};

extern const struct page_policy_ops fifo_policy;
extern const struct page_policy_ops lru_policy;
extern const struct page_policy_ops clock_policy;
extern const struct page_policy_ops opt_policy;
extern const struct page_policy_ops random_policy;
extern const struct page_policy_ops linux_policy;

/* policy_find - the table named @name, or NULL. */
const struct page_policy_ops *policy_find(const char *name);
/* policy_at - the @i-th known policy (linux first, the default), NULL past the last. */
const struct page_policy_ops *policy_at(size_t i);
/* policy_names - "linux, clock, fifo, lru, random, opt" into @buf, for messages. */
void policy_names(char *buf, size_t size);

/* policy_init - call ops->init for pp->nr_frames (>= 1) frames: 0, -EINVAL or -ENOMEM. */
int policy_init(struct page_policy *pp);
void policy_destroy(struct page_policy *pp);

/*
 * policy_next_use - turn @keys[0 .. nr) (one page identity per reference, in order) into
 * next-use indexes in place: keys[i] becomes the index of the next reference to the
 * same page, or POLICY_NEVER. Belady's "first pass that learns the future". 0 or -ENOMEM.
 */
int policy_next_use(uint64_t *keys, uint64_t nr);

/*
 * The methods of a policy whose whole state is one frame list, oldest first: loads join
 * the newest end, page_to_back moves a referenced frame there, the oldest frame leaves.
 * FIFO is these without page_referenced; exact LRU, these with page_to_back.
 */
int queue_policy_init(struct page_policy *pp);
void queue_policy_destroy(struct page_policy *pp);
void queue_policy_page_loaded(struct page_policy *pp, unsigned long frame, uint64_t ref);
void queue_policy_page_to_back(struct page_policy *pp, unsigned long frame, uint64_t ref);
void queue_policy_page_removed(struct page_policy *pp, unsigned long frame);
unsigned long queue_policy_select_first(struct page_policy *pp);

/*
 * A list of frames in host memory (prev/next arrays), oldest first: FIFO's queue, LRU's
 * recency order, Linux's active and inactive lists. Several lists may share one link
 * array when a frame is on at most one of them.
 */
struct frame_links {
	unsigned long *prev, *next;	/* per frame; POLICY_NO_FRAME ends a list */
};

struct frame_list {
	unsigned long first, last;	/* oldest and newest frame, POLICY_NO_FRAME if empty */
	unsigned long nr;		/* frames on the list */
};

int frame_links_init(struct frame_links *l, unsigned long nr_frames);
void frame_links_destroy(struct frame_links *l);

static inline void frame_list_init(struct frame_list *fl)
{
	fl->first = fl->last = POLICY_NO_FRAME;
	fl->nr = 0;
}

/* frame_list_add - @f becomes the newest frame of @fl. */
static inline void frame_list_add(struct frame_links *l, struct frame_list *fl, unsigned long f)
{
	l->prev[f] = fl->last;
	l->next[f] = POLICY_NO_FRAME;
	if (fl->last != POLICY_NO_FRAME)
		l->next[fl->last] = f;
	else
		fl->first = f;
	fl->last = f;
	fl->nr++;
}

static inline void frame_list_del(struct frame_links *l, struct frame_list *fl, unsigned long f)
{
	unsigned long p = l->prev[f], n = l->next[f];

	if (p != POLICY_NO_FRAME)
		l->next[p] = n;
	else
		fl->first = n;
	if (n != POLICY_NO_FRAME)
		l->prev[n] = p;
	else
		fl->last = p;
	fl->nr--;
}

/* frame_list_move_last - @f (on @from) becomes the newest frame of @to. */
static inline void frame_list_move_last(struct frame_links *l, struct frame_list *from,
					struct frame_list *to, unsigned long f)
{
	if (from == to && from->last == f)
		return;
	frame_list_del(l, from, f);
	frame_list_add(l, to, f);
}

/*
 * A policy choosing the machine's victims (machine.c): frames are pfns, the pages on
 * the LRU lists that may be evicted (not unevictable). "linux" is no such policy: it
 * is vmscan.c's own lists. The hooks run only when m->swap.mpolicy is set.
 */
struct machine;
struct page;
struct machine_policy;

/* mpolicy_check - can policy @name (NULL: linux) run a machine? 0, or -EINVAL and @err. */
int mpolicy_check(const char *name, char *err);
/* mpolicy_setup - give @m policy @name (checked); nothing for linux. 0 or -ENOMEM. */
int mpolicy_setup(struct machine *m, const char *name, char *err);
void mpolicy_destroy(struct machine *m);
/* mpolicy_name - the name of the machine's policy ("linux" when vmscan's lists choose). */
const char *mpolicy_name(struct machine *m);

/* mpolicy_page_added - a page joined the LRU (lru_add): loaded, even if its pfn was held. */
void mpolicy_page_added(struct machine *m, struct page *page);
/*
 * mpolicy_page_sync - @page's LRU state changed (put back, mlocked, munlocked, freed):
 * the policy holds its pfn exactly while it is listed and evictable.
 */
void mpolicy_page_sync(struct machine *m, struct page *page);
/* mpolicy_page_accessed - a reference seen outside the accessed bits (mark_page_accessed). */
void mpolicy_page_accessed(struct machine *m, struct page *page);
/*
 * mpolicy_isolate_victim - the page the policy chooses next, isolated from its LRU
 * list (a reference held) and out of the policy; NULL when it holds none. Put it back
 * with putback_lru_page (the policy then sees it loaded anew) or reclaim it.
 */
struct page *mpolicy_isolate_victim(struct machine *m);
/* mpolicy_nr_pages - pages the policy holds. */
unsigned long mpolicy_nr_pages(struct machine *m);
/* mpolicy_lru_check - every listed evictable page is held by the policy (true without one). */
bool mpolicy_lru_check(struct machine *m);
/* mpolicy_learns_references - the policy wants references reclaim finds in accessed bits (lru). */
bool mpolicy_learns_references(struct machine *m);

#endif
