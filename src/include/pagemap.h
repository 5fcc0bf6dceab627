/*
 * pagemap.h - the page cache: finding, adding and removing a file's pages,
 * readahead, dirty tracking and writeback, and the file-area fault handlers.
 * Follows Linux include/linux/pagemap.h, mm/filemap.c, mm/readahead.c and
 * mm/page-writeback.c. See docs/page-cache.md.
 */
#ifndef TUXMM_PAGEMAP_H
#define TUXMM_PAGEMAP_H

#include "fs.h"
#include "mm_types.h"
#include "pgtable_types.h"
#include "types.h"
#include "xarray.h"

struct machine;
struct vm_fault;
struct vm_area_struct;
struct vm_operations_struct;
struct mm_struct;

/* The cache's marks (Linux's PAGECACHE_TAG_*). */
#define PAGECACHE_TAG_DIRTY	XA_MARK_0
#define PAGECACHE_TAG_WRITEBACK	XA_MARK_1

#define VM_READAHEAD_BYTES	(128UL << 10)	/* default read_ahead_kb: 128 */
#define MMAP_LOTSAMISS		100		/* mmap misses after which read-around stops */

static inline struct machine *mapping_machine(const struct address_space *mapping)
{
	return mapping->host->machine;
}

static inline bool PageUptodate(const struct page *page)
{
	return PageFlag(page, PG_uptodate);
}
static inline bool PageDirty(const struct page *page)
{
	return PageFlag(page, PG_dirty);
}
static inline bool PageWriteback(const struct page *page)
{
	return PageFlag(page, PG_writeback);
}
static inline bool PageReadahead(const struct page *page)
{
	return PageFlag(page, PG_readahead);
}
static inline bool PageSwapBacked(const struct page *page)
{
	return PageFlag(page, PG_swapbacked);
}

/* ---- filemap.c: the cache ---- */

/* The operations of a regular host file's cache: pread to fill, pwrite to write back. */
extern const struct address_space_operations host_file_aops;
/* The vm_ops of a mapped regular file: filemap_fault, filemap_map_pages, filemap_page_mkwrite. */
extern const struct vm_operations_struct generic_file_vm_ops;

/* mapping_init - an empty cache for @inode with operations @a_ops. */
void mapping_init(struct address_space *mapping, struct inode *inode,
		  const struct address_space_operations *a_ops);
/*
 * filemap_get_entry - what the index holds at @index: a page, a swap entry
 * (xa_is_value(): a shmem page out on swap) or NULL. No reference taken.
 */
void *filemap_get_entry(struct address_space *mapping, pgoff_t index);
/*
 * filemap_page_incore - mincore's question: is the page at @index in memory
 * and uptodate, in the page cache or (swapped shmem) in the swap cache?
 */
bool filemap_page_incore(struct address_space *mapping, pgoff_t index);
/* filemap_get_page - the cached page at @index with a reference taken, or NULL (swap: NULL). */
struct page *filemap_get_page(struct address_space *mapping, pgoff_t index);
/* filemap_lookup - the cached page at @index, no reference taken (for tests and reports). */
struct page *filemap_lookup(struct address_space *mapping, pgoff_t index);
/*
 * add_to_page_cache - insert @page (fresh, one reference: the caller's) at
 * @index. The cache takes a reference of its own. 0, -EEXIST or -ENOMEM.
 */
int add_to_page_cache(struct address_space *mapping, struct page *page, pgoff_t index);
/*
 * __filemap_add_page - add_to_page_cache where the index holds @expected (a
 * swap entry being swapped in: the page replaces it). A page already on an
 * LRU list stays there. 0, -EEXIST (the index holds something else), -ENOMEM.
 */
int __filemap_add_page(struct address_space *mapping, struct page *page, pgoff_t index,
		       void *expected);
/* page_cache_alloc - a fresh page for @mapping's cache (one reference), or NULL. */
struct page *page_cache_alloc(struct address_space *mapping, gfp_t gfp);
/*
 * filemap_grab_page - the page at @index, uptodate, with a reference: from
 * the cache, or allocated and read (*@major set). ERR_PTR(-ENOMEM / -EIO).
 */
struct page *filemap_grab_page(struct address_space *mapping, pgoff_t index, bool *major);
/*
 * delete_from_page_cache - take @page out of its cache: counters, the
 * mapping pointer, the cache's reference (the page may live on if others hold it).
 */
void delete_from_page_cache(struct page *page);
/* __filemap_remove_page - delete_from_page_cache leaving @shadow (a value entry) at its index. */
void __filemap_remove_page(struct page *page, void *shadow);
/*
 * remove_mapping - reclaim's way out: drop @page from the cache if only the
 * cache holds it and it is clean and not under writeback. True if it went.
 */
bool remove_mapping(struct address_space *mapping, struct page *page);
/*
 * truncate_inode_pages - drop every page of the cache (dirty data is
 * discarded) and every swap entry (its slot's count is freed).
 */
void truncate_inode_pages(struct address_space *mapping);
/* mapping_evict - the inode dies: write back what is dirty, then drop every page. */
void mapping_evict(struct address_space *mapping);
/*
 * filemap_read_pages - fill @nr fresh cache pages of consecutive indexes
 * (readahead's read_pages) with as few host calls as possible. On an error
 * the pages stay in the cache, not uptodate (a fault reads them again).
 */
int filemap_read_pages(struct address_space *mapping, struct page **pages, unsigned long nr);
/* filemap_nr_pages_in - cached pages with index in [first, last]. */
unsigned long filemap_nr_pages_in(struct address_space *mapping, pgoff_t first, pgoff_t last);
/* filemap_check - the index and the counters agree; false (logged) if not. */
bool filemap_check(struct address_space *mapping);

/* ---- file-area fault handlers (struct vm_operations_struct) ---- */

/*
 * filemap_fault - ->fault of a file area: the page at vmf->pgoff from the
 * cache, or read from the file (with readahead): VM_FAULT_MAJOR then.
 * Beyond the end of the file, or on a read error: VM_FAULT_SIGBUS.
 */
vm_fault_t filemap_fault(struct vm_fault *vmf);
/*
 * filemap_map_pages - ->map_pages: map every cached, uptodate page with
 * index in [@start_pgoff, @end_pgoff] whose PTE is empty (do_set_pte).
 * VM_FAULT_NOPAGE if the faulting address itself got mapped.
 */
vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
/* filemap_page_mkwrite - ->page_mkwrite: a shared mapping writes vmf->page: mark it dirty. */
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf);

/* ---- readahead.c ---- */

/* What one readahead call works on (Linux's struct readahead_control). */
struct readahead_control {
	struct file *file;
	struct address_space *mapping;
	struct file_ra_state *ra;
	pgoff_t index;			/* pages: where the next read starts */
	unsigned long nr_added;		/* pages this call put in the cache */
};

/* file_ra_state_init - the default window (read_ahead_kb 128), no history. */
void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping);
/*
 * page_cache_sync_ra - a read of @req_count pages at ractl->index missed the
 * cache: read them and, on a sequential pattern, a window ahead (Linux's rules).
 */
void page_cache_sync_ra(struct readahead_control *ractl, unsigned long req_count);
/* page_cache_async_ra - @page carried the PG_readahead marker: read the next window. */
void page_cache_async_ra(struct readahead_control *ractl, struct page *page,
			 unsigned long req_count);
/* force_page_cache_ra - read @nr_to_read pages from ractl->index, no heuristics (WILLNEED). */
void force_page_cache_ra(struct readahead_control *ractl, unsigned long nr_to_read);
/*
 * page_cache_ra_unbounded - read @nr_to_read pages from ractl->index that are
 * not cached, marking the page @lookahead_size before the end PG_readahead.
 */
void page_cache_ra_unbounded(struct readahead_control *ractl, unsigned long nr_to_read,
			     unsigned long lookahead_size);
/* page_cache_next_miss / prev_miss - the first index not cached from @index up (down). */
pgoff_t page_cache_next_miss(struct address_space *mapping, pgoff_t index,
			     unsigned long max_scan);
pgoff_t page_cache_prev_miss(struct address_space *mapping, pgoff_t index,
			     unsigned long max_scan);
/* do_sync_mmap_readahead / do_async_mmap_readahead - filemap_fault's readahead policy. */
void do_sync_mmap_readahead(struct vm_fault *vmf);
void do_async_mmap_readahead(struct vm_fault *vmf, struct page *page);

/* ---- page-writeback.c ---- */

/* set_page_dirty - mark a cache page dirty (its mapping's dirty_folio); true if it was clean. */
bool set_page_dirty(struct page *page);
/* filemap_dirty_folio - the default: PG_dirty, the DIRTY mark, Dirty and nr_dirtied counted. */
bool filemap_dirty_folio(struct address_space *mapping, struct page *page);
/* noop_dirty_folio - PG_dirty only (shmem: memory, not a file, backs it). */
bool noop_dirty_folio(struct address_space *mapping, struct page *page);
/*
 * write_one_page - write dirty @page to its file now: write-protect its
 * mappings, clear PG_dirty, write, end writeback. On error the page stays
 * dirty, AS_EIO is set, and the error is returned.
 */
int write_one_page(struct page *page);
/*
 * filemap_write_and_wait_range - write every dirty page with index in
 * [@first, @last] (after taking the dirty bits of the PTEs mapping them).
 * 0, or -EIO if a write failed now or since the last check (AS_EIO).
 */
int filemap_write_and_wait_range(struct address_space *mapping, pgoff_t first, pgoff_t last);
int filemap_write_and_wait(struct address_space *mapping);
/*
 * filemap_fdatawrite_range - as above but without reporting errors (MS_ASYNC):
 * a failed page stays dirty and the error waits in AS_EIO.
 */
void filemap_fdatawrite_range(struct address_space *mapping, pgoff_t first, pgoff_t last);
/*
 * mapping_unmap_shared - @vma, a shared mapping of a file, is being removed:
 * if it was the file's last shared mapping, write the file's dirty pages.
 */
void mapping_unmap_shared(struct vm_area_struct *vma);
/* sync_all_mappings - write back every file's dirty pages (tuxmm_sync). 0 or -EIO. */
int sync_all_mappings(struct machine *m);

/* ---- shmem.c ---- */

extern const struct address_space_operations shmem_aops;
/* shmem_fault - ->fault of shared anonymous memory: the page, zero-filled on first use. */
vm_fault_t shmem_fault(struct vm_fault *vmf);
/* shmem_swap_usage - bytes of @vma's part of its shmem file that are out on swap (smaps Swap:). */
unsigned long shmem_swap_usage(struct vm_area_struct *vma);
static inline bool shmem_mapping(const struct address_space *mapping)
{
	return mapping->a_ops == &shmem_aops;
}

#endif
