/*
 * machine.c - a page-out policy other than Linux's choosing the whole machine's
 * victims: the LRU lists' events become a method table's loads and removals, with
 * pfns as frame numbers, and vmscan.c asks it which page goes next.
 * Keeps: the policy holds exactly the pfns marked in tracked[]; every listed,
 * evictable page is tracked unless reclaim isolated it through this file; a page
 * isolated by others stays tracked and is dropped when the policy names it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "policy.h"
#include "printk.h"
#include "rmap.h"
#include "swap.h"

struct machine_policy {
	struct page_policy pp;
	struct machine *m;
	unsigned char *tracked;		/* per pfn: the policy holds it */
	unsigned long nr_tracked;
	uint64_t ref;			/* events so far: the policies' reference index */
};

int mpolicy_check(const char *name, char *err)
{
	const struct page_policy_ops *ops = policy_find(name ? name : "linux");
	char names[128];

	if (!ops) {
		size_t n = 0;

		/* The ones a machine takes: opt is replay's alone. */
		names[0] = '\0';
		for (size_t i = 0; policy_at(i); i++)
			if (!(policy_at(i)->flags & POLICY_NEEDS_FUTURE))
				n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
						      n ? ", " : "", policy_at(i)->name);
		snprintf(err, TUXMM_ERRMSG_MAX, "unknown page-out policy '%s' (known: %s)", name,
			 names);
		return -EINVAL;
	}
	if (ops->flags & POLICY_NEEDS_FUTURE) {
		snprintf(err, TUXMM_ERRMSG_MAX, "policy %s needs the future: it is for trace "
			 "replay (tuxmm trace --frames N --policy %s), not a machine", ops->name,
			 ops->name);
		return -EINVAL;
	}
	return 0;
}

/* machine_test_clear_young - CLOCK's hand looking at a frame: the page's accessed bits. */
static bool machine_test_clear_young(void *ctx, unsigned long frame)
{
	struct machine_policy *mp = ctx;
	struct page *page = pfn_to_page(mp->m, frame);
	unsigned long vm_flags = 0;

	if (!PageFlag(page, PG_lru))
		return false;	/* freed or isolated meanwhile: the victim check drops it */
	return page_referenced(mp->m, page, &vm_flags) > 0;
}

int mpolicy_setup(struct machine *m, const char *name, char *err)
{
	const struct page_policy_ops *ops = policy_find(name ? name : "linux");
	struct machine_policy *mp;
	int ret;

	if (!ops || ops == &linux_policy)
		return 0;
	mp = host_zalloc(sizeof(*mp));
	if (mp)
		mp->tracked = host_zalloc(m->max_pfn);
	if (!mp || !mp->tracked)
		goto out_nomem;
	mp->m = m;
	mp->pp.ops = ops;
	mp->pp.nr_frames = m->max_pfn;
	mp->pp.seed = m->cfg.seed;
	mp->pp.test_clear_young = machine_test_clear_young;
	mp->pp.ctx = mp;
	mp->pp.on_machine = true;
	ret = policy_init(&mp->pp);
	if (ret)
		goto out_nomem;
	m->swap.mpolicy = mp;
	printk(m, "tuxmm: page-out policy %s: %s", ops->name, ops->summary);
	return 0;

out_nomem:
	if (mp)
		host_free(mp->tracked);
	host_free(mp);
	snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory for policy %s", ops->name);
	return -ENOMEM;
}

void mpolicy_destroy(struct machine *m)
{
	struct machine_policy *mp = m->swap.mpolicy;

	if (!mp)
		return;
	m->swap.mpolicy = NULL;
	policy_destroy(&mp->pp);
	host_free(mp->tracked);
	host_free(mp);
}

const char *mpolicy_name(struct machine *m)
{
	return m->swap.mpolicy ? m->swap.mpolicy->pp.ops->name : linux_policy.name;
}

static void mp_load(struct machine_policy *mp, unsigned long pfn)
{
	mp->tracked[pfn] = 1;
	mp->nr_tracked++;
	mp->pp.ops->page_loaded(&mp->pp, pfn, mp->ref++);
}

static void mp_remove(struct machine_policy *mp, unsigned long pfn)
{
	mp->tracked[pfn] = 0;
	mp->nr_tracked--;
	mp->pp.ops->page_removed(&mp->pp, pfn);
}

static bool page_evictable_listed(const struct page *page)
{
	return PageFlag(page, PG_lru) && !PageFlag(page, PG_unevictable);
}

void mpolicy_page_added(struct machine *m, struct page *page)
{
	struct machine_policy *mp = m->swap.mpolicy;
	unsigned long pfn = page_to_pfn(m, page);

	/* Still held: the frame's last page was freed unnoticed; this one is new. */
	if (mp->tracked[pfn])
		mp_remove(mp, pfn);
	if (page_evictable_listed(page))
		mp_load(mp, pfn);
}

void mpolicy_page_sync(struct machine *m, struct page *page)
{
	struct machine_policy *mp = m->swap.mpolicy;
	unsigned long pfn = page_to_pfn(m, page);
	bool want = page_evictable_listed(page);

	if (want && !mp->tracked[pfn])
		mp_load(mp, pfn);
	else if (!want && mp->tracked[pfn])
		mp_remove(mp, pfn);
}

void mpolicy_page_accessed(struct machine *m, struct page *page)
{
	struct machine_policy *mp = m->swap.mpolicy;
	unsigned long pfn = page_to_pfn(m, page);

	if (mp->tracked[pfn] && mp->pp.ops->page_referenced)
		mp->pp.ops->page_referenced(&mp->pp, pfn, mp->ref++);
}

struct page *mpolicy_isolate_victim(struct machine *m)
{
	struct machine_policy *mp = m->swap.mpolicy;

	for (;;) {
		unsigned long pfn = mp->pp.ops->select_victim(&mp->pp);
		struct page *page;

		if (pfn == POLICY_NO_FRAME)
			return NULL;
		page = pfn_to_page(m, pfn);
		/* Each pass removes a frame, so the loop ends. */
		mp_remove(mp, pfn);
		if (page_evictable_listed(page) && !isolate_lru_page(m, page))
			return page;
	}
}

unsigned long mpolicy_nr_pages(struct machine *m)
{
	return m->swap.mpolicy->nr_tracked;
}

bool mpolicy_learns_references(struct machine *m)
{
	const struct page_policy_ops *ops = m->swap.mpolicy->pp.ops;

	/* CLOCK's hand reads the accessed bits itself (machine_test_clear_young). */
	return ops->page_referenced && ops != &clock_policy;
}

bool mpolicy_lru_check(struct machine *m)
{
	struct machine_policy *mp = m->swap.mpolicy;

	if (!mp)
		return true;
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
		if (page_evictable_listed(pfn_to_page(m, pfn)) && !mp->tracked[pfn])
			return false;
	return true;
}
