/*
 * workingset.c - refault detection: how long a page stayed out of memory,
 * measured on the node's clock of evictions and activations, decides whether
 * it comes back active (it belongs to the working set) or inactive.
 * Follows Linux mm/workingset.c (workingset_eviction, workingset_refault)
 * with the shadow kept beside the slot for swapped pages, and for file pages
 * in a small table keyed by (mapping, index) instead of the page cache's
 * xarray (tuxmm's page cache holds only pages).
 * Keeps: a shadow is the eviction age + 1 (0 means none).
 */
#include <errno.h>

#include "machine.h"
#include "mm.h"
#include "mm_inline.h"
#include "pagemap.h"
#include "rmap.h"
#include "slab.h"
#include "swap.h"

#define FILE_SHADOWS 1024	/* entries of the file shadow table (a power of two) */

struct file_shadow {
	const void *mapping;
	pgoff_t index;
	unsigned int shadow;
};

void workingset_age(struct machine *m)
{
	m->swap.nonresident_age++;
}

unsigned int workingset_eviction(struct machine *m, struct page *page)
{
	(void)page;
	workingset_age(m);
	return (unsigned int)m->swap.nonresident_age | 1U;
}

/*
 * workingset_refault - Linux's test: the refault distance (what was evicted
 * or activated since) is at most the pages the refaulting page competes
 * with, so it would have stayed had the active list given it room.
 */
void workingset_refault(struct machine *m, struct page *page, unsigned int shadow)
{
	bool file = page_is_file_lru(page);
	unsigned long distance = (unsigned int)m->swap.nonresident_age - shadow;
	long size = global_node_page_state(m, NR_ACTIVE_FILE);

	mod_node_page_state(m, file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON, 1);
	if (!file)
		size += global_node_page_state(m, NR_INACTIVE_FILE);
	if (nr_swap_pages(m) > 0) {
		size += global_node_page_state(m, NR_ACTIVE_ANON);
		if (file)
			size += global_node_page_state(m, NR_INACTIVE_ANON);
	}
	if ((long)distance > size)
		return;
	SetPageFlag(page, PG_active);
	SetPageFlag(page, PG_workingset);
	workingset_age(m);
	mod_node_page_state(m, file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON, 1);
}

/* ---- file pages: a table of the latest shadows ---- */

static struct file_shadow *file_shadow_slot(struct machine *m, const void *mapping, pgoff_t index)
{
	unsigned long h = ((unsigned long)mapping >> 6) ^ (index * 0x9e3779b97f4a7c15UL);

	if (!m->swap.file_shadows && workingset_init(m))
		return NULL;
	return &((struct file_shadow *)m->swap.file_shadows)[(h >> 20) & (FILE_SHADOWS - 1)];
}

void workingset_remember_file(struct machine *m, struct page *page, unsigned int shadow)
{
	struct file_shadow *fs = file_shadow_slot(m, page->mapping, page->index);

	if (fs)
		*fs = (struct file_shadow){ page->mapping, page->index, shadow };
}

void workingset_file_refault(struct machine *m, struct page *page)
{
	struct file_shadow *fs;

	if (!m->swap.file_shadows || PageSwapBacked(page))
		return;
	fs = file_shadow_slot(m, page->mapping, page->index);
	if (!fs || !fs->shadow || fs->mapping != page->mapping || fs->index != page->index)
		return;
	workingset_refault(m, page, fs->shadow);
	fs->shadow = 0;
}

int workingset_init(struct machine *m)
{
	if (!m->swap.file_shadows)
		m->swap.file_shadows = kzalloc(m, FILE_SHADOWS * sizeof(struct file_shadow),
					       GFP_NOWAIT | __GFP_NOWARN);
	return m->swap.file_shadows ? 0 : -ENOMEM;
}

void workingset_destroy(struct machine *m)
{
	kfree(m, m->swap.file_shadows);
	m->swap.file_shadows = NULL;
}
