/*
 * page-writeback.c - dirty page-cache pages and writing them back to the host
 * file: on msync, on the last shared munmap of a file, when the machine syncs.
 * Follows Linux mm/page-writeback.c (folio_mark_dirty, folio_clear_dirty_for_io,
 * write_one_page) and mm/rmap.c's folio_mkclean for write-protecting again.
 * Keeps: PG_dirty == the DIRTY mark; Dirty (NR_FILE_DIRTY) counts the dirty
 * pages of files (not shmem); a failed write leaves the page dirty, data intact.
 */
#include <errno.h>

#include "fs.h"
#include "mm.h"
#include "pagemap.h"
#include "pgtable.h"
#include "printk.h"
#include "tlb.h"
#include "vma.h"

/* ---- dirtying ---- */

bool filemap_dirty_folio(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);

	if (PageDirty(page))
		return false;
	SetPageFlag(page, PG_dirty);
	if (page->mapping != mapping)
		return true;	/* truncated meanwhile: nothing to account */
	mod_node_page_state(m, NR_FILE_DIRTY, 1);
	mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, 1);
	mod_node_page_state(m, NR_DIRTIED, 1);
	xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	return true;
}

bool noop_dirty_folio(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	if (PageDirty(page))
		return false;
	SetPageFlag(page, PG_dirty);
	return true;
}

bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;

	/* Anonymous pages (mapping NULL or an anon_vma tagged in bit 0) only take the flag. */
	if (!mapping || ((unsigned long)mapping & 1)) {
		if (PageDirty(page))
			return false;
		SetPageFlag(page, PG_dirty);
		return true;
	}
	if (mapping->a_ops && mapping->a_ops->dirty_folio)
		return mapping->a_ops->dirty_folio(mapping, page);
	return filemap_dirty_folio(mapping, page);
}

/* ---- write-protecting the mappings again ---- */

/*
 * mkclean_vma - in @vma (a shared mapping of @mapping), take the dirty bit of
 * every PTE mapping a page of [@first, @last] into the page, and make the
 * entry clean and read-only, so the next write faults and dirties the page
 * again (Linux's page_mkclean_one). Returns the pages found dirty.
 */
static unsigned long mkclean_vma(struct machine *m, struct vm_area_struct *vma,
				 struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	unsigned long span = PTRS_PER_PTE_M(m) << m->page_shift, nr_dirty = 0;
	unsigned long start, end, addr, lo = ~0UL, hi = 0;
	pgoff_t vfirst = vma->vm_pgoff, vlast = vma->vm_pgoff + vma_pages(vma) - 1;
	struct mm_struct *mm = vma->vm_mm;

	if (last < vfirst || first > vlast)
		return 0;
	start = vma->vm_start + (((first > vfirst ? first : vfirst) - vfirst) << m->page_shift);
	end = vma->vm_start + (((last < vlast ? last : vlast) - vfirst + 1) << m->page_shift);
	for (addr = start; addr < end;) {
		unsigned long table_end = (addr | (span - 1)) + 1;
		pte_t *pte = pgtable_lookup_pte(m, mm->pgd.pgd, addr);

		if (table_end > end || table_end == 0)
			table_end = end;
		for (; pte && addr < table_end; addr += m->page_size, pte++) {
			pte_t entry = ptep_get(pte);
			struct page *page;

			if (!pte_present(entry) || !(pte_write(entry) || pte_dirty(entry)))
				continue;
			page = pte_page(m, entry);
			if (page->mapping != mapping)
				continue;
			if (pte_dirty(entry)) {
				set_page_dirty(page);
				nr_dirty++;
			}
			set_pte(pte, pte_wrprotect(pte_mkclean(entry)));
			if (addr < lo)
				lo = addr;
			hi = addr + m->page_size;
		}
		addr = table_end;
	}
	if (lo < hi)
		flush_tlb_mm_range(m, &mm->pgd, lo, hi);
	return nr_dirty;
}

/*
 * mapping_mkclean_range - mkclean_vma() over every shared area on @mapping's
 * i_mmap (the reverse map's list of the areas mapping the file).
 */
static unsigned long mapping_mkclean_range(struct address_space *mapping, pgoff_t first,
					   pgoff_t last)
{
	struct machine *m = mapping_machine(mapping);
	struct vm_area_struct *vma;
	unsigned long nr = 0;

	list_for_each_entry(vma, &mapping->i_mmap, shared)
		if (vma->vm_flags & VM_SHARED)
			nr += mkclean_vma(m, vma, mapping, first, last);
	return nr;
}

/* mapping_mapped_shared - does any area other than @except map @mapping shared? */
static bool mapping_mapped_shared(struct address_space *mapping, struct vm_area_struct *except)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mapping->i_mmap, shared)
		if (vma != except && (vma->vm_flags & VM_SHARED))
			return true;
	return false;
}

/* ---- writing ---- */

/* clear_page_dirty_for_io - the page is about to be written: PG_dirty and Dirty go. */
static bool clear_page_dirty_for_io(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);

	if (!PageDirty(page))
		return false;
	ClearPageFlag(page, PG_dirty);
	xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	mod_node_page_state(m, NR_FILE_DIRTY, -1);
	mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, -1);
	return true;
}

static void set_page_writeback(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);

	SetPageFlag(page, PG_writeback);
	xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_WRITEBACK);
	mod_node_page_state(m, NR_WRITEBACK, 1);
	mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, 1);
}

static void end_page_writeback(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);

	ClearPageFlag(page, PG_writeback);
	xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_WRITEBACK);
	mod_node_page_state(m, NR_WRITEBACK, -1);
	mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, -1);
	mod_node_page_state(m, NR_WRITTEN, 1);
}

/* __write_one_page - write a page whose PTEs are already clean; see write_one_page(). */
static int __write_one_page(struct address_space *mapping, struct page *page)
{
	int err;

	if (!clear_page_dirty_for_io(mapping, page))
		return 0;
	set_page_writeback(mapping, page);
	err = mapping->a_ops->writepage(mapping, page);
	if (err) {
		/* Redirty without counting a new dirtying (Linux's account_page_redirty). */
		filemap_dirty_folio(mapping, page);
		mod_node_page_state(mapping_machine(mapping), NR_DIRTIED, -1);
		mapping->flags |= BIT(AS_EIO);
	}
	end_page_writeback(mapping, page);
	return err;
}

int write_one_page(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (!mapping || !mapping->a_ops || !mapping->a_ops->writepage)
		return 0;
	mapping_mkclean_range(mapping, page->index, page->index);
	return __write_one_page(mapping, page);
}

/* filemap_check_errors - -EIO once for a writeback failure since the last check. */
static int filemap_check_errors(struct address_space *mapping)
{
	if (!(mapping->flags & BIT(AS_EIO)))
		return 0;
	mapping->flags &= ~BIT(AS_EIO);
	return -EIO;
}

/* write_range - write every dirty page of [first, last]; the first error. */
static int write_range(struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	unsigned long index = first;
	struct page *page;
	int err = 0;

	if (!mapping->a_ops || !mapping->a_ops->writepage)
		return 0;	/* shmem: memory is the backing store */
	mapping_mkclean_range(mapping, first, last);
	while ((page = xa_find(&mapping->i_pages, &index, last, PAGECACHE_TAG_DIRTY))) {
		int e = __write_one_page(mapping, page);

		if (e && !err)
			err = e;
		if (index++ == last)
			break;
	}
	return err;
}

int filemap_write_and_wait_range(struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	int err = write_range(mapping, first, last), errs = filemap_check_errors(mapping);

	if (err)
		return err == -ENOSPC ? err : -EIO;
	return errs;
}

int filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, ~0UL);
}

void filemap_fdatawrite_range(struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	write_range(mapping, first, last);
}

void mapping_unmap_shared(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	if (!mapping->a_ops || !mapping->a_ops->writepage ||
	    !xa_marked(&mapping->i_pages, PAGECACHE_TAG_DIRTY))
		return;
	if (mapping_mapped_shared(mapping, vma))
		return;
	/* munmap cannot report it: an error waits in AS_EIO for the next msync. */
	filemap_fdatawrite_range(mapping, 0, ~0UL);
}

int sync_all_mappings(struct machine *m)
{
	struct inode *inode;
	int err = 0;

	if (!m->tasks.ready)
		return 0;
	list_for_each_entry(inode, &m->tasks.inodes, i_list) {
		struct address_space *mapping = &inode->i_data;
		int e;

		if (!mapping->nrpages || !mapping->a_ops || !mapping->a_ops->writepage)
			continue;
		e = filemap_write_and_wait(mapping);
		if (e && !err)
			err = e;
	}
	return err;
}

int tuxmm_sync(struct machine *m)
{
	return sync_all_mappings(m);
}
