/*
 * rmap.c - the reverse map: anon_vma and anon_vma_chain for private pages,
 * the i_mmap list for file pages, map counts and the walk from a page to its PTEs.
 * Follows Linux mm/rmap.c (anon_vma_prepare, anon_vma_clone, anon_vma_fork,
 * unlink_anon_vmas, folio_add_*_rmap, rmap_walk) with lists where Linux keeps
 * interval trees.
 * Keeps: every area mapping an anonymous page is linked to the page's anon_vma;
 * an anon_vma lives while a link or a child points at it.
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "pagemap.h"
#include "pgtable.h"
#include "rmap.h"
#include "slab.h"
#include "swap.h"
#include "tlb.h"
#include "vma.h"
#include "vmstat.h"

int anon_vma_init(struct machine *m)
{
	struct task_globals *tg = &m->tasks;

	if (!tg->anon_vma_cachep)
		tg->anon_vma_cachep = kmem_cache_create(m, "anon_vma", sizeof(struct anon_vma), 0,
							0, NULL);
	if (!tg->anon_vma_chain_cachep)
		tg->anon_vma_chain_cachep = kmem_cache_create(m, "anon_vma_chain",
							      sizeof(struct anon_vma_chain), 0,
							      0, NULL);
	return tg->anon_vma_cachep && tg->anon_vma_chain_cachep ? 0 : -ENOMEM;
}

static struct machine *vma_machine(const struct vm_area_struct *vma)
{
	return vma->vm_mm->machine;
}

static struct anon_vma *anon_vma_alloc(struct machine *m)
{
	struct anon_vma *av = kmem_cache_zalloc(m->tasks.anon_vma_cachep, GFP_KERNEL);

	if (!av)
		return NULL;
	av->root = av;
	INIT_LIST_HEAD(&av->head);
	return av;
}

/* put_anon_vma - drop a reference; the last one frees it and releases its parent. */
static void put_anon_vma(struct machine *m, struct anon_vma *av)
{
	while (av && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		VM_BUG_ON(!list_empty(&av->head));
		if (parent)
			parent->nr_children--;
		kmem_cache_free(m->tasks.anon_vma_cachep, av);
		av = parent;
	}
}

static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *av)
{
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->head);
	av->refcount++;
}

/* Linux's anon_vma_compatible(): @a just below @b, the same but for access rights. */
static bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> a->vm_mm->page_shift);
}

static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old, struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	if (!anon_vma_compatible(a, b) || !old->anon_vma)
		return NULL;
	/* Only an area never forked (one link) shares its anon_vma this way. */
	if (old->anon_vma_chain.next != old->anon_vma_chain.prev)
		return NULL;
	return old->anon_vma;
}

static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *av = NULL;

	if (vma->vm_next)
		av = reusable_anon_vma(vma->vm_next, vma, vma->vm_next);
	if (!av && vma->vm_prev)
		av = reusable_anon_vma(vma->vm_prev, vma->vm_prev, vma);
	return av;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct machine *m = vma_machine(vma);
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	if (vma->anon_vma)
		return 0;
	avc = kmem_cache_alloc(m->tasks.anon_vma_chain_cachep, GFP_KERNEL);
	if (!avc)
		return -ENOMEM;
	av = find_mergeable_anon_vma(vma);
	if (!av) {
		av = anon_vma_alloc(m);
		if (!av) {
			kmem_cache_free(m->tasks.anon_vma_chain_cachep, avc);
			return -ENOMEM;
		}
	}
	anon_vma_chain_link(vma, avc, av);
	vma->anon_vma = av;
	av->nr_active_vmas++;
	return 0;
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct machine *m = vma_machine(src);
	struct anon_vma_chain *pavc;

	/* Walk backwards so dst's list ends up in src's order (list_add prepends). */
	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = kmem_cache_alloc(m->tasks.anon_vma_chain_cachep,
							      GFP_KERNEL);

		if (!avc) {
			struct anon_vma *keep = dst->anon_vma;

			unlink_anon_vmas(dst);
			dst->anon_vma = keep;
			return -ENOMEM;
		}
		anon_vma_chain_link(dst, avc, pavc->anon_vma);
	}
	if (dst->anon_vma)
		dst->anon_vma->nr_active_vmas++;
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct machine *m = vma_machine(vma);
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	vma->anon_vma = NULL;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	if (!pvma->anon_vma)
		return 0;
	if (anon_vma_clone(vma, pvma))
		return -ENOMEM;
	av = anon_vma_alloc(m);
	avc = av ? kmem_cache_alloc(m->tasks.anon_vma_chain_cachep, GFP_KERNEL) : NULL;
	if (!avc) {
		if (av)
			kmem_cache_free(m->tasks.anon_vma_cachep, av);
		unlink_anon_vmas(vma);
		return -ENOMEM;
	}
	av->parent = pvma->anon_vma;
	av->root = pvma->anon_vma->root;
	av->parent->refcount++;
	av->parent->nr_children++;
	anon_vma_chain_link(vma, avc, av);
	vma->anon_vma = av;
	av->nr_active_vmas++;
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct machine *m = vma_machine(vma);
	struct anon_vma_chain *avc, *next;

	if (vma->anon_vma)
		vma->anon_vma->nr_active_vmas--;
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		list_del(&avc->same_anon_vma);
		list_del(&avc->same_vma);
		put_anon_vma(m, avc->anon_vma);
		kmem_cache_free(m->tasks.anon_vma_chain_cachep, avc);
	}
	vma->anon_vma = NULL;
}

/* ---- file areas ---- */

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file)
		return;
	mapping = vma->vm_file->f_mapping;
	list_add_tail(&vma->shared, &mapping->i_mmap);
	mapping->nr_mmap++;
}

void vma_unlink_file(struct vm_area_struct *vma)
{
	if (!vma->vm_file || list_empty(&vma->shared))
		return;
	list_del(&vma->shared);
	INIT_LIST_HEAD(&vma->shared);
	vma->vm_file->f_mapping->nr_mmap--;
}

/* ---- map counts ---- */

pgoff_t linear_page_index(const struct vm_area_struct *vma, unsigned long addr)
{
	return ((addr - vma->vm_start) >> vma->vm_mm->page_shift) + vma->vm_pgoff;
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	page->mapping = (void *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = linear_page_index(vma, addr);
	SetPageFlag(page, PG_swapbacked);
	SetPageFlag(page, PG_anon_exclusive);
	page->_mapcount = 0;
	mod_node_page_state(vma_machine(vma), NR_ANON_MAPPED, 1);
}

void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			bool exclusive)
{
	if (!PageAnon(page)) {
		/*
		 * Read in from swap: an entry shared after fork may be mapped later by
		 * any of the family, which all link the root anon_vma (Linux's
		 * __folio_set_anon with exclusive false).
		 */
		struct anon_vma *av = exclusive ? vma->anon_vma : vma->anon_vma->root;

		page->mapping = (void *)((unsigned long)av | PAGE_MAPPING_ANON);
		page->index = linear_page_index(vma, addr);
	}
	if (exclusive)
		SetPageFlag(page, PG_anon_exclusive);
	else
		ClearPageFlag(page, PG_anon_exclusive);
	if (++page->_mapcount == 0)
		mod_node_page_state(vma_machine(vma), NR_ANON_MAPPED, 1);
}

void page_add_file_rmap(struct page *page, struct vm_area_struct *vma)
{
	if (++page->_mapcount == 0)
		mod_node_page_state(vma_machine(vma), NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct page *page, struct vm_area_struct *vma)
{
	VM_BUG_ON(page->_mapcount < 0);
	if (--page->_mapcount >= 0)
		return;
	mod_node_page_state(vma_machine(vma), PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED,
			    -1);
}

/* ---- the walk ---- */

/* vma_address - where @page would sit in @vma, or -EFAULT if outside it. */
static unsigned long vma_address(const struct vm_area_struct *vma, pgoff_t pgoff)
{
	unsigned long addr;

	if (pgoff < vma->vm_pgoff || pgoff - vma->vm_pgoff >= vma_pages(vma))
		return -EFAULT;
	addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << vma->vm_mm->page_shift);
	return addr;
}

/* rmap_one - visit @vma if it maps @page; false stops the walk. */
static bool rmap_one(struct machine *m, struct page *page, struct vm_area_struct *vma,
		     rmap_one_fn fn, void *arg, unsigned long *nr)
{
	unsigned long addr = vma_address(vma, page->index);
	pte_t *ptep, pte;

	if (IS_ERR_VALUE(addr))
		return true;
	ptep = pgtable_lookup_pte(m, vma->vm_mm->pgd.pgd, addr);
	if (!ptep)
		return true;
	pte = ptep_get(ptep);
	if (!pte_present(pte) || pte_special(pte) || pte_page(m, pte) != page)
		return true;
	(*nr)++;
	return fn ? fn(page, vma, addr, ptep, arg) : true;
}

unsigned long rmap_walk(struct machine *m, struct page *page, rmap_one_fn fn, void *arg)
{
	unsigned long nr = 0;

	if (!page_mapped(page))
		return 0;
	if (PageAnon(page)) {
		struct anon_vma_chain *avc;

		list_for_each_entry(avc, &page_anon_vma(page)->head, same_anon_vma)
			if (!rmap_one(m, page, avc->vma, fn, arg, &nr))
				break;
	} else if (page->mapping) {
		struct address_space *mapping = page->mapping;
		struct vm_area_struct *vma;

		list_for_each_entry(vma, &mapping->i_mmap, shared)
			if (!rmap_one(m, page, vma, fn, arg, &nr))
				break;
	}
	return nr;
}

unsigned long page_mapcount_rmap(struct machine *m, struct page *page)
{
	return rmap_walk(m, page, NULL, NULL);
}

/* ---- reclaim: accessed bits and unmapping ---- */

struct referenced_arg {
	int referenced;			/* young PTEs found (and cleared) */
	unsigned long vm_flags;		/* VM_LOCKED if a locked area maps the page */
};

static bool page_referenced_one(struct page *page, struct vm_area_struct *vma,
				unsigned long addr, pte_t *ptep, void *arg)
{
	struct referenced_arg *ra = arg;
	struct machine *m = vma->vm_mm->machine;

	(void)page;
	if (vma->vm_flags & VM_LOCKED) {
		ra->vm_flags |= VM_LOCKED;
		return false;
	}
	if (ptep_test_and_clear_young(ptep)) {
		/* The TLB caches the accessed bit: flushed, the next access sets it again. */
		flush_tlb_page(m, &vma->vm_mm->pgd, addr);
		ra->referenced++;
		ra->vm_flags |= vma->vm_flags;
	}
	return true;
}

int page_referenced(struct machine *m, struct page *page, unsigned long *vm_flags)
{
	struct referenced_arg ra = { 0, 0 };

	rmap_walk(m, page, page_referenced_one, &ra);
	if (vm_flags)
		*vm_flags = ra.vm_flags;
	return ra.referenced;
}

static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma, unsigned long addr,
			     pte_t *ptep, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	bool *failed = arg;
	pte_t pte;

	if (vma->vm_flags & VM_LOCKED) {
		*failed = true;
		return false;
	}
	if (PageAnon(page) && PageSwapBacked(page)) {
		/* The entry takes a count on the slot before the PTE names it. */
		if (!PageFlag(page, PG_swapcache) || swap_duplicate(m, page_swap_entry(page))) {
			*failed = true;
			return false;
		}
	}
	/* Clear, flush, and only then look at the dirty bit: the TLB may have set it. */
	pte = ptep_get_and_clear(ptep);
	flush_tlb_page(m, &mm->pgd, addr);
	if (pte_dirty(pte))
		set_page_dirty(page);
	if (PageAnon(page) && PageSwapBacked(page)) {
		pte_t swp_pte = swp_entry_to_pte(page_swap_entry(page));

		/* An exclusive page stays so in its entry, and comes back so from swap. */
		if (PageFlag(page, PG_anon_exclusive)) {
			swp_pte = pte_swp_mkexclusive(swp_pte);
			ClearPageFlag(page, PG_anon_exclusive);
		}
		set_pte(ptep, swp_pte);
		add_mm_counter(mm, MM_SWAPENTS, 1);
	} else if (PageAnon(page) && pte_dirty(pte)) {
		/* A lazily freed page written again: it must be kept after all. */
		set_pte(ptep, pte);
		*failed = true;
		return false;
	}
	add_mm_counter(mm, mm_counter_page(page), -1);
	page_remove_rmap(page, vma);
	put_page(m, page);
	return true;
}

bool try_to_unmap(struct machine *m, struct page *page)
{
	bool failed = false;

	rmap_walk(m, page, try_to_unmap_one, &failed);
	return !failed && !page_mapped(page);
}
