/*
 * filemap.c - the page cache: each file's pages in a radix tree by offset,
 * read from the real host file with pread, and the fault handlers of file areas.
 * Follows Linux mm/filemap.c (filemap_fault, filemap_map_pages, filemap_page_mkwrite).
 * Keeps: a cached page has page->mapping/index set and one reference of the
 * cache; nrpages, Cached (NR_FILE_PAGES) and Shmem (NR_SHMEM) count them.
 * A shmem mapping's index also holds swap entries (value entries) for its
 * pages out on swap, each holding one count of its slot; mapping->host->swapped
 * counts them. Lookups of pages see only pages.
 */
#include <errno.h>
#include <string.h>

#include "err.h"
#include "fault.h"
#include "host_file.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "pgtable.h"
#include "printk.h"
#include "slab.h"
#include "swap.h"
#include "vma.h"

#define READ_BATCH 64	/* pages per host call when reading a run */

static inline unsigned long psize(const struct machine *m)
{
	return m->page_size;
}

/* page_cache_node_cachep - the "radix_tree_node" slab cache, made on first use. */
static struct kmem_cache *node_cachep(struct machine *m)
{
	if (!m->radix_tree_node_cachep)
		m->radix_tree_node_cachep = kmem_cache_create(m, "radix_tree_node",
							      sizeof(struct xa_node), 0,
							      SLAB_RECLAIM_ACCOUNT, NULL);
	return m->radix_tree_node_cachep;
}

void mapping_init(struct address_space *mapping, struct inode *inode,
		  const struct address_space_operations *a_ops)
{
	mapping->host = inode;
	xa_init(&mapping->i_pages);
	mapping->nrpages = 0;
	mapping->flags = 0;
	mapping->a_ops = a_ops;
}

/* ---- lookup, insertion, removal ---- */

void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	return xa_load(&mapping->i_pages, index);
}

struct page *filemap_lookup(struct address_space *mapping, pgoff_t index)
{
	void *entry = xa_load(&mapping->i_pages, index);

	return xa_is_value(entry) ? NULL : entry;
}

struct page *filemap_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = filemap_lookup(mapping, index);

	if (page)
		get_page(page);
	return page;
}

bool filemap_page_incore(struct address_space *mapping, pgoff_t index)
{
	void *entry = xa_load(&mapping->i_pages, index);

	if (xa_is_value(entry))
		entry = lookup_swap_cache(mapping_machine(mapping), radix_to_swp_entry(entry));
	return entry && PageUptodate((struct page *)entry);
}

struct page *page_cache_alloc(struct address_space *mapping, gfp_t gfp)
{
	return alloc_pages(mapping_machine(mapping), gfp, 0);
}

int __filemap_add_page(struct address_space *mapping, struct page *page, pgoff_t index,
		       void *expected)
{
	struct machine *m = mapping_machine(mapping);
	struct kmem_cache *cache = node_cachep(m);

	if (!cache)
		return -ENOMEM;
	if (xa_load(&mapping->i_pages, index) != expected)
		return -EEXIST;
	/* GFP_NOFS: reclaim for the node must not drop pages from the tree being changed. */
	if (xa_store(&mapping->i_pages, index, page, cache, GFP_NOFS))
		return -ENOMEM;
	get_page(page);
	page->mapping = mapping;
	page->index = index;
	mapping->nrpages++;
	mod_node_page_state(m, NR_FILE_PAGES, 1);
	if (shmem_mapping(mapping)) {
		SetPageFlag(page, PG_swapbacked);
		mod_node_page_state(m, NR_SHMEM, 1);
	}
	/* Linux's filemap_add_folio(): file pages on the file lists, shmem on the anon ones. */
	if (!PageFlag(page, PG_lru))
		lru_cache_add(m, page);
	return 0;
}

int add_to_page_cache(struct address_space *mapping, struct page *page, pgoff_t index)
{
	return __filemap_add_page(mapping, page, index, NULL);
}

/* account_page_cleaned - a dirty page leaves the cache without being written (truncate). */
static void account_page_cleaned(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);

	if (shmem_mapping(mapping))
		return;
	mod_node_page_state(m, NR_FILE_DIRTY, -1);
	mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, -1);
}

void __filemap_remove_page(struct page *page, void *shadow)
{
	struct address_space *mapping = page->mapping;
	struct machine *m = mapping_machine(mapping);

	/* Storing over an occupied slot allocates nothing. */
	if (shadow)
		xa_store(&mapping->i_pages, page->index, shadow, node_cachep(m), GFP_NOWAIT);
	else
		xa_erase(&mapping->i_pages, page->index, node_cachep(m));
	if (PageDirty(page)) {
		account_page_cleaned(mapping, page);
		ClearPageFlag(page, PG_dirty);
	}
	ClearPageFlag(page, PG_readahead);
	page->mapping = NULL;
	mapping->nrpages--;
	mod_node_page_state(m, NR_FILE_PAGES, -1);
	if (PageSwapBacked(page))
		mod_node_page_state(m, NR_SHMEM, -1);
	put_page(m, page);
}

void delete_from_page_cache(struct page *page)
{
	__filemap_remove_page(page, NULL);
}

/* filemap_free_swap - drop the swap entry @entry at @index (truncation): its slot's count goes. */
static void filemap_free_swap(struct address_space *mapping, pgoff_t index, void *entry)
{
	struct machine *m = mapping_machine(mapping);

	xa_erase(&mapping->i_pages, index, node_cachep(m));
	mapping->host->swapped--;
	free_swap_and_cache(m, radix_to_swp_entry(entry));
}

bool remove_mapping(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping || page_ref_count(page) != 1 || page_mapcount(page) > 0)
		return false;
	if (PageDirty(page) || PageWriteback(page))
		return false;
	delete_from_page_cache(page);
	return true;
}

void truncate_inode_pages(struct address_space *mapping)
{
	struct page *page;
	pgoff_t index = 0;

	while ((page = xa_find(&mapping->i_pages, &index, ~0UL, XA_PRESENT))) {
		if (xa_is_value(page)) {
			filemap_free_swap(mapping, index, page);
			continue;
		}
		/* Every mapping holds a file reference: none can remain when the inode dies. */
		VM_WARN_ON_ONCE(page_mapcount(page) > 0);
		delete_from_page_cache(page);
	}
}

void mapping_evict(struct address_space *mapping)
{
	struct machine *m = mapping_machine(mapping);

	if (mapping->nrpages && mapping->a_ops && mapping->a_ops->writepage &&
	    filemap_write_and_wait(mapping))
		printk(m, "Buffer I/O error: lost dirty pages of inode %lu on eviction",
		       mapping->host->i_ino);
	truncate_inode_pages(mapping);
}

unsigned long filemap_nr_pages_in(struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	unsigned long nr = 0, index;
	struct page *page;

	xa_for_each_range(&mapping->i_pages, index, page, first, last, XA_PRESENT)
		if (!xa_is_value(page))
			nr++;
	return nr;
}

bool filemap_check(struct address_space *mapping)
{
	struct machine *m = mapping_machine(mapping);
	unsigned long index, nr = 0, swapped = 0;
	struct page *page;

	if (!xa_check(&mapping->i_pages)) {
		printk(m, "filemap_check: inode %lu: broken index", mapping->host->i_ino);
		return false;
	}
	xa_for_each_range(&mapping->i_pages, index, page, 0, ~0UL, XA_PRESENT) {
		if (xa_is_value(page)) {
			swp_entry_t entry = radix_to_swp_entry(page);

			swapped++;
			if (!shmem_mapping(mapping) || !swap_entry_valid(m, entry) ||
			    !swap_count(m, entry) ||
			    xa_get_mark(&mapping->i_pages, index, PAGECACHE_TAG_DIRTY)) {
				printk(m, "filemap_check: inode %lu: bad swap entry at index %lu",
				       mapping->host->i_ino, index);
				return false;
			}
			continue;
		}
		nr++;
		if (page->mapping != mapping || page->index != index || page_ref_count(page) < 1 ||
		    PageDirty(page) != xa_get_mark(&mapping->i_pages, index, PAGECACHE_TAG_DIRTY)) {
			printk(m, "filemap_check: inode %lu: bad page at index %lu",
			       mapping->host->i_ino, index);
			return false;
		}
	}
	if (nr != mapping->nrpages || swapped != mapping->host->swapped) {
		printk(m, "filemap_check: inode %lu: %lu pages, nrpages %lu, %lu swapped of %u",
		       mapping->host->i_ino, nr, mapping->nrpages, swapped, mapping->host->swapped);
		return false;
	}
	return true;
}

/* ---- reading from the host file ---- */

/*
 * host_read_pages - fill @nr pages of consecutive indexes from the file with
 * one vectored pread; the part past the end of the file reads as zeroes.
 */
static int host_read_pages(struct address_space *mapping, struct page **pages, unsigned int nr)
{
	struct machine *m = mapping_machine(mapping);
	struct host_iovec iov[READ_BATCH];
	unsigned long done, size = psize(m);
	long n;

	if (!nr || nr > READ_BATCH)
		return -EINVAL;
	for (unsigned int i = 0; i < nr; i++)
		iov[i] = (struct host_iovec){ page_address(m, pages[i]), size };
	n = host_file_preadv(m, mapping->host->host, iov, (int)nr,
			     (uint64_t)pages[0]->index << m->page_shift);
	if (n < 0)
		return (int)n;
	done = (unsigned long)n;
	for (unsigned int i = 0; i < nr; i++) {
		unsigned long start = (unsigned long)i * size;

		if (done < start + size)
			memset((char *)iov[i].base + (done > start ? done - start : 0), 0,
			       done > start ? start + size - done : size);
		SetPageFlag(pages[i], PG_uptodate);
	}
	/* Linux counts the I/O submitted, in 512-byte sectors. */
	count_vm_events(m, PGPGIN, (unsigned long)nr * (size >> 9));
	return 0;
}

static int host_read_folio(struct address_space *mapping, struct page *page)
{
	return host_read_pages(mapping, &page, 1);
}

int filemap_read_pages(struct address_space *mapping, struct page **pages, unsigned long nr)
{
	int err = 0;

	for (unsigned long i = 0; i < nr; i += READ_BATCH) {
		unsigned int n = nr - i < READ_BATCH ? (unsigned int)(nr - i) : READ_BATCH;
		int e;

		if (mapping->a_ops == &host_file_aops) {
			e = host_read_pages(mapping, pages + i, n);
		} else {
			e = 0;
			for (unsigned int j = 0; j < n && !e; j++)
				e = mapping->a_ops->read_folio(mapping, pages[i + j]);
		}
		if (e && !err)
			err = e;
	}
	return err;
}

/* host_writepage - write @page's bytes that lie inside the file (never extend it). */
static int host_writepage(struct address_space *mapping, struct page *page)
{
	struct machine *m = mapping_machine(mapping);
	uint64_t pos = (uint64_t)page->index << m->page_shift;
	loff_t isize = mapping->host->i_size;
	unsigned long len = psize(m);
	long n;

	if ((loff_t)pos >= isize)
		return 0;
	if ((loff_t)(pos + len) > isize)
		len = (unsigned long)(isize - (loff_t)pos);
	n = host_file_pwrite(m, mapping->host->host, page_address(m, page), len, pos);
	if (n < 0)
		return (int)n;
	if ((unsigned long)n != len)
		return -EIO;
	count_vm_events(m, PGPGOUT, psize(m) >> 9);
	return 0;
}

const struct address_space_operations host_file_aops = {
	.read_folio	= host_read_folio,
	.writepage	= host_writepage,
	.dirty_folio	= filemap_dirty_folio,
};

/* filemap_read_one - read @page (in the cache, not uptodate); on failure it leaves the cache. */
static int filemap_read_one(struct address_space *mapping, struct page *page)
{
	int err = mapping->a_ops->read_folio(mapping, page);

	if (err && page->mapping == mapping)
		delete_from_page_cache(page);
	return err;
}

/* __filemap_create - a fresh, not yet uptodate page at @index with the caller's reference. */
static struct page *__filemap_create(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct machine *m = mapping_machine(mapping);
	struct page *page = page_cache_alloc(mapping, gfp);
	int err;

	if (!page)
		return ERR_PTR(-ENOMEM);
	err = add_to_page_cache(mapping, page, index);
	if (err) {
		put_page(m, page);
		return ERR_PTR(err);
	}
	return page;
}

struct page *filemap_grab_page(struct address_space *mapping, pgoff_t index, bool *major)
{
	struct page *page = filemap_get_page(mapping, index);
	int err;

	*major = false;
	if (!page) {
		page = __filemap_create(mapping, index, GFP_HIGHUSER_MOVABLE);
		if (IS_ERR(page))
			return page;
		*major = true;
	}
	if (!PageUptodate(page)) {
		err = filemap_read_one(mapping, page);
		if (err) {
			put_page(mapping_machine(mapping), page);
			return ERR_PTR(err);
		}
	}
	mark_page_accessed(mapping_machine(mapping), page);
	return page;
}

/* ---- fault handlers ---- */

static inline pgoff_t mapping_size_pages(const struct address_space *mapping)
{
	const struct machine *m = mapping->host->machine;
	loff_t size = mapping->host->i_size;

	return (pgoff_t)((size + (loff_t)psize(m) - 1) >> m->page_shift);
}

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct machine *m = mapping_machine(mapping);
	pgoff_t index = vmf->pgoff;
	vm_fault_t ret = 0;
	struct page *page;

	if (index >= mapping_size_pages(mapping))
		return VM_FAULT_SIGBUS;
	page = filemap_get_page(mapping, index);
	if (page) {
		do_async_mmap_readahead(vmf, page);
	} else {
		/* Not in the cache at all: a major fault (memory.c counts pgmajfault). */
		ret = VM_FAULT_MAJOR;
		do_sync_mmap_readahead(vmf);
		page = filemap_get_page(mapping, index);
		if (!page) {
			page = __filemap_create(mapping, index, vmf->gfp_mask ? vmf->gfp_mask :
							     GFP_HIGHUSER_MOVABLE);
			if (IS_ERR(page))
				return VM_FAULT_OOM;
		}
	}
	if (!PageUptodate(page)) {
		/* Readahead failed, or nobody read it yet: read it once more, here. */
		if (filemap_read_one(mapping, page)) {
			put_page(m, page);
			return VM_FAULT_SIGBUS;
		}
	}
	/*
	 * Linux leaves a mapped page's references to the accessed bit, read by reclaim;
	 * until tuxmm ages pages that way, a fault counts as a reference here.
	 */
	mark_page_accessed(m, page);
	vmf->page = page;
	return ret;
}

vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct machine *m = vma->vm_mm->machine;
	unsigned long table = (PTRS_PER_PTE_M(m) << m->page_shift);
	unsigned long tbl_start = vmf->address & ~(table - 1), index, mapped = 0;
	struct file_ra_state *ra = &vma->vm_file->f_ra;
	pgoff_t size = mapping_size_pages(mapping);
	vm_fault_t ret = 0;
	struct page *page;

	if (!size || !vmf->pmd || !pmd_val(*vmf->pmd))
		return 0;
	if (end_pgoff >= size)
		end_pgoff = size - 1;
	xa_for_each_range(&mapping->i_pages, index, page, start_pgoff, end_pgoff, XA_PRESENT) {
		unsigned long addr;
		pte_t *pte;

		/* Linux's next_uptodate_folio(): a readahead marker must be faulted on. */
		if (xa_is_value(page) || !PageUptodate(page) || PageReadahead(page) || PageFlag(page, PG_locked))
			continue;
		if (index < vma->vm_pgoff || index - vma->vm_pgoff >= vma_pages(vma))
			continue;
		addr = vma->vm_start + ((index - vma->vm_pgoff) << m->page_shift);
		if (addr - tbl_start >= table)
			continue;
		pte = pte_offset_kernel(m, vmf->pmd, addr);
		if (!pte_none(ptep_get(pte)))
			continue;
		if (addr == vmf->address)
			ret = VM_FAULT_NOPAGE;
		get_page(page);
		do_set_pte(vmf, page, addr);
		mapped++;
	}
	/* Pages found mapped count as hits against the read-around's miss count. */
	ra->mmap_miss = ra->mmap_miss > mapped ? ra->mmap_miss - (unsigned int)mapped : 0;
	return ret;
}

vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page = vmf->page;

	/* Truncated meanwhile: let the fault be retried. */
	if (!page || page->mapping != mapping)
		return VM_FAULT_NOPAGE;
	/* As Linux: dirty from the first write, so writeback sees it and write-protects again. */
	set_page_dirty(page);
	return 0;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= filemap_page_mkwrite,
};
