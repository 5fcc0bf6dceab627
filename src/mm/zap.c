/*
 * zap.c - taking pages out of an address space: munmap, exit, MADV_DONTNEED
 * and MADV_FREE. Entries are cleared, the TLB flushed, and only then are the
 * pages released (DESIGN decision 6), in batches as Linux's mmu_gather does.
 * Follows Linux mm/memory.c (unmap_vmas, zap_pte_range, zap_page_range_single),
 * mm/mmu_gather.c and mm/madvise.c (madvise_free_pte_range).
 * Keeps: rss_stat and the map counts drop with each cleared entry; a cleared
 * swap entry drops its slot's count (and the cached page nobody else uses).
 */
#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "pagemap.h"
#include "pgtable.h"
#include "rmap.h"
#include "swap.h"
#include "tlb.h"
#include "vma.h"
#include "vmstat.h"

#define GATHER_BATCH 64		/* pages released per flush (a host-stack array) */

/* What a zap has cleared but not yet flushed and released (Linux's mmu_gather). */
struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* bytes: the cleared range to flush */
	unsigned int nr;
	struct page *pages[GATHER_BATCH];
};

static void tlb_gather_init(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = ~0UL;
	tlb->end = 0;
	tlb->nr = 0;
}

/* tlb_flush_mmu - flush what was cleared, then release the gathered pages. */
static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	struct machine *m = tlb->mm->machine;

	if (tlb->end > tlb->start)
		flush_tlb_mm_range(m, &tlb->mm->pgd, tlb->start, tlb->end);
	tlb->start = ~0UL;
	tlb->end = 0;
	for (unsigned int i = 0; i < tlb->nr; i++) {
		/* Linux's free_pages_and_swap_cache(): an unmapped swap cache page goes too. */
		if (PageFlag(tlb->pages[i], PG_swapcache))
			free_swap_cache(m, tlb->pages[i]);
		put_page(m, tlb->pages[i]);
	}
	tlb->nr = 0;
}

static void tlb_note_cleared(struct mmu_gather *tlb, unsigned long addr, unsigned long size)
{
	if (addr < tlb->start)
		tlb->start = addr;
	if (addr + size > tlb->end)
		tlb->end = addr + size;
}

static void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

/* zap_pte_table - clear the entries of [addr, end), all in one PTE table. */
static void zap_pte_table(struct mmu_gather *tlb, struct vm_area_struct *vma, pte_t *ptep,
			  unsigned long addr, unsigned long end, long rss[NR_MM_COUNTERS])
{
	unsigned long page_size = mm_page_size(vma->vm_mm);

	for (; addr < end; addr += page_size, ptep++) {
		pte_t pte = ptep_get(ptep);
		struct page *page;

		if (pte_none(pte))
			continue;
		pte_clear(ptep);
		tlb_note_cleared(tlb, addr, page_size);
		if (is_swap_pte(pte)) {
			rss[MM_SWAPENTS]--;
			free_swap_and_cache(vma->vm_mm->machine, pte_to_swp_entry(pte));
			continue;
		}
		if (!pte_present(pte))
			continue;
		page = vm_normal_page(vma, addr, pte);
		if (!page)
			continue;
		if (!PageAnon(page) && pte_dirty(pte))
			set_page_dirty(page);
		rss[mm_counter_page(page)]--;
		page_remove_rmap(page, vma);
		/* Linux's munlock on unmap: unevictable only while a locked area maps it. */
		if ((vma->vm_flags & VM_LOCKED) && PageFlag(page, PG_mlocked))
			munlock_page_unless_locked(vma->vm_mm->machine, page);
		tlb_remove_page(tlb, page);
	}
}

static void zap_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr,
		      unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	long rss[NR_MM_COUNTERS] = { 0 };
	unsigned long next;

	for (; addr < end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, end);
		ptep = pte_lookup(mm, addr);
		if (ptep)
			zap_pte_table(tlb, vma, ptep, addr, next, rss);
	}
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		add_mm_counter(mm, i, rss[i]);
}

void unmap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;

	tlb_gather_init(&tlb, vma->vm_mm);
	zap_range(&tlb, vma, start, end);
	tlb_flush_mmu(&tlb);
}

void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;

	if (!vma)
		return;
	tlb_gather_init(&tlb, vma->vm_mm);
	for (; vma && vma->vm_start < end; vma = vma->vm_next) {
		unsigned long s = vma->vm_start > start ? vma->vm_start : start;
		unsigned long e = vma->vm_end < end ? vma->vm_end : end;

		if (s < e)
			zap_range(&tlb, vma, s, e);
	}
	tlb_flush_mmu(&tlb);
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	update_hiwater_rss(vma->vm_mm);
	unmap_page_range(vma, start, end);
}

/*
 * madvise_free_range - MADV_FREE on private anonymous memory: pages only
 * this mapping uses are made clean and old and lose PG_swapbacked (Linux's
 * lazy free); reclaim may then discard them instead of swapping, and a later
 * write re-dirties them. Until memory is short their contents stay, as in
 * Linux. Zero-page entries and shared pages are left alone.
 */
void madvise_free_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned long addr, next, page_size = m->page_size;
	bool cleared = false;

	for (addr = start; addr < end; addr = next) {
		pte_t *ptep;

		next = pt_addr_end(m, PT_PMD, addr, end);
		ptep = pte_lookup(mm, addr);
		if (!ptep)
			continue;
		for (; addr < next; addr += page_size, ptep++) {
			pte_t pte = ptep_get(ptep);
			struct page *page;

			if (is_swap_pte(pte)) {
				/* Linux drops swapped-out pages at once: they read back zero. */
				pte_clear(ptep);
				add_mm_counter(mm, MM_SWAPENTS, -1);
				free_swap_and_cache(m, pte_to_swp_entry(pte));
				continue;
			}
			if (!pte_present(pte))
				continue;
			page = vm_normal_page(vma, addr, pte);
			if (!page || !PageAnon(page) || page_mapcount(page) != 1)
				continue;
			if (pte_dirty(pte) || pte_young(pte)) {
				set_pte(ptep, pte_mkold(pte_mkclean(pte)));
				cleared = true;
			}
			ClearPageFlag(page, PG_dirty);
			mark_page_lazyfree(m, page);
		}
	}
	if (cleared)
		flush_tlb_mm_range(m, &mm->pgd, start, end);
}
