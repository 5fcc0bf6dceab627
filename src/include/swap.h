/*
 * swap.h - swap areas on real files: the on-disk header util-linux's mkswap
 * writes, slots handed out in clusters, a use count per slot, and the swap
 * entries that non-present PTEs carry; the swap cache (swap_state.c), the
 * LRU lists (swap.c), refault detection (workingset.c) and reclaim (vmscan.c).
 * Follows Linux include/linux/swap.h, swapops.h and mm/swapfile.c.
 */
#ifndef TUXMM_SWAP_H
#define TUXMM_SWAP_H

#include "list.h"
#include "pgtable_types.h"
#include "types.h"
#include "xarray.h"

struct machine;
struct page;
struct report;

#define MAX_SWAPFILES      32		/* areas at once (the type fits 5 bits) */
#define SWAPFILE_CLUSTER   256		/* slots per cluster */
#define SWAP_MAGIC         "SWAPSPACE2"
#define SWAP_MAGIC_LEN     10
#define SWAP_HEADER_VERSION 1
#define SWAP_BOOTBITS      1024		/* bytes before the header (boot sector room) */
#define SWAP_MAP_MAX       0x3e		/* the largest use count a slot holds */
#define SWAP_MAP_BAD       0x3f		/* a bad block listed in the header */
#define SWAP_HAS_CACHE     0x40		/* the slot's page is in the swap cache */

/* The first page of a swap area, as mkswap writes it (little-endian). */
struct swap_header {
	char bootbits[SWAP_BOOTBITS];
	uint32_t version;
	uint32_t last_page;		/* index of the last usable page */
	uint32_t nr_badpages;
	unsigned char sws_uuid[16];
	unsigned char sws_volume[16];
	uint32_t padding[117];
	uint32_t badpages[1];		/* nr_badpages entries, then the magic at page end - 10 */
};

/* A slot: the area (type) and the page offset in it. */
typedef struct {
	unsigned long val;
} swp_entry_t;

#define SWP_TYPE_BITS    5
#define SWP_OFFSET_BITS  (64 - SWP_TYPE_BITS)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ ((unsigned long)type << SWP_OFFSET_BITS) |
			      (offset & ((1UL << SWP_OFFSET_BITS) - 1)) };
}
static inline unsigned int swp_type(swp_entry_t e)
{
	return (unsigned int)(e.val >> SWP_OFFSET_BITS);
}
static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val & ((1UL << SWP_OFFSET_BITS) - 1);
}

/*
 * Swap entries in the page cache (a swapped-out shmem page): a value entry
 * of the xarray, which has 63 bits, so the type goes in bits 58..62.
 */
#define SWP_RADIX_OFFSET_BITS (63 - SWP_TYPE_BITS)

static inline void *swp_to_radix_entry(swp_entry_t e)
{
	return xa_mk_value(((unsigned long)swp_type(e) << SWP_RADIX_OFFSET_BITS) | swp_offset(e));
}
static inline swp_entry_t radix_to_swp_entry(const void *entry)
{
	unsigned long v = xa_to_value(entry);

	return swp_entry((unsigned int)(v >> SWP_RADIX_OFFSET_BITS),
			 v & ((1UL << SWP_RADIX_OFFSET_BITS) - 1));
}

/*
 * Swap entries in PTEs, as x86-64 stores them: not present (bit 0 clear, and
 * bit 8, PROTNONE, clear), the type in the top 5 bits, the offset inverted
 * from bit 9 up (Linux's L1TF mitigation: a stale entry never points at RAM).
 */
#define SWP_PTE_OFFSET_FIRST_BIT 9
#define SWP_PTE_OFFSET_SHIFT     (SWP_PTE_OFFSET_FIRST_BIT + SWP_TYPE_BITS)

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return __pte((~swp_offset(e) << SWP_PTE_OFFSET_SHIFT >> SWP_TYPE_BITS) |
		     ((unsigned long)swp_type(e) << (64 - SWP_TYPE_BITS)));
}
static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	unsigned long v = pte_val(pte);

	return swp_entry((unsigned int)(v >> (64 - SWP_TYPE_BITS)),
			 (~v << SWP_TYPE_BITS) >> SWP_PTE_OFFSET_SHIFT);
}
/*
 * The swap PTE's exclusive marker (x86-64's _PAGE_SWP_EXCLUSIVE, the PSE bit):
 * the page was PageAnonExclusive when it was swapped out, and no fork has
 * shared the entry since. Outside the type and offset bits.
 */
#define _PAGE_SWP_EXCLUSIVE _PAGE_PSE

static inline bool pte_swp_exclusive(pte_t pte)
{
	return pte_val(pte) & _PAGE_SWP_EXCLUSIVE;
}
static inline pte_t pte_swp_mkexclusive(pte_t pte)
{
	return __pte(pte_val(pte) | _PAGE_SWP_EXCLUSIVE);
}
static inline pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return __pte(pte_val(pte) & ~_PAGE_SWP_EXCLUSIVE);
}

/* is_swap_pte - neither empty nor present: a swapped-out page. */
static inline bool is_swap_pte(pte_t pte)
{
	return pte_val(pte) && !(pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE));
}

struct swap_cluster_info {
	struct page **table;		/* per slot: its page in the swap cache, or NULL (kmalloc) */
	unsigned int *shadow;		/* per slot: workingset shadow of the page swapped out */
	unsigned int count;		/* slots in use in this cluster */
	struct list_head list;		/* on the free or nonfull list */
	unsigned short flags;		/* CLUSTER_FLAG_* */
};

#define CLUSTER_FLAG_FREE    1
#define CLUSTER_FLAG_NONFULL 2
#define CLUSTER_FLAG_FULL    4

#define SWP_USED    0x1		/* the slot in swap_info[] is taken */
#define SWP_WRITEOK 0x2		/* open for new swap-outs */

/* One swap area (Linux's swap_info_struct). */
struct swap_info_struct {
	unsigned long flags;		/* SWP_* */
	int prio;			/* higher is used first */
	unsigned int type;		/* index in swap_info[] */
	unsigned long max;		/* pages in the area, header included */
	unsigned long pages;		/* usable slots (max - 1 - bad) */
	unsigned long inuse_pages;	/* slots with a count or in the swap cache */
	unsigned char *swap_map;	/* max bytes: each slot's count | SWAP_HAS_CACHE */
	struct swap_cluster_info *cluster_info;	/* one per SWAPFILE_CLUSTER slots */
	unsigned long nr_clusters;
	struct list_head free_clusters;	/* clusters with no slot in use */
	struct list_head nonfull_clusters;	/* clusters with some slots free */
	unsigned long *percpu_cluster;	/* each CPU's current cluster, or ULONG_MAX */
	int host;			/* host file handle of the swap file */
	size_t map_bytes;		/* bytes allocated for swap_map (to free it) */
	size_t cluster_bytes;		/* bytes allocated for cluster_info + percpu_cluster */
};

struct swap_state {
	struct swap_info_struct *swap_info[MAX_SWAPFILES];	/* in simulated RAM */
	unsigned int nr_swapfiles;	/* highest type in use + 1 */
	int least_priority;		/* the last default priority given */
	long nr_swap_pages;		/* free slots in writable areas */
	long total_swap_pages;		/* usable slots in all areas */
	unsigned int rr_next;		/* round robin among areas of equal priority */
	unsigned long swap_io_errors;	/* failed reads and writes */

	/* reclaim (vmscan.c): the machine's kswapd and its tunables */
	bool kswapd_wanted;		/* woken below the low watermark: runs at the next step */
	bool in_reclaim;		/* reclaim is running (Linux's PF_MEMALLOC): no recursion */
	bool in_swapoff;		/* swapoff is bringing pages back (Linux's oom_origin) */
	unsigned int kswapd_order;	/* the largest order it was woken for */
	unsigned long nr_kswapd_runs;	/* times kswapd ran */
	unsigned long nonresident_age;	/* evictions + activations (workingset clock) */
	void *file_shadows;		/* workingset.c's evicted file pages (kmalloc) */
	struct machine_policy *mpolicy;	/* policy.h: victims chosen by a method table; NULL: linux */
};

/*
 * swapon - add the swap area in host file @path, with priority @prio (-1: the
 * next default, -2, -3, ...). The file must hold a valid header for the
 * machine's page size (as mkswap writes it). 0 or -errno: -ENOENT/-EACCES from
 * the host, -EINVAL for a bad header, -EBUSY when already on, -EPERM when
 * MAX_SWAPFILES areas are on, -ENOMEM when the maps do not fit in RAM.
 * @err (TUXMM_ERRMSG_MAX bytes, may be NULL) names the problem.
 */
int swapon(struct machine *m, const char *path, int prio, char *err);

/*
 * swapoff - remove the swap area of @path: every page out on it comes back
 * into memory (try_to_unuse) first. -EINVAL if it is not on; -ENOMEM when
 * memory cannot hold them all, -EIO when one cannot be read, -EBUSY when
 * slots stay in use that no page table names: the area then stays on and
 * usable, the pages read so far stay in memory.
 */
int swapoff(struct machine *m, const char *path);

/*
 * get_swap_page - a free slot with a count of one, from the highest-priority
 * writable area (round robin among equals), taken from this CPU's cluster.
 * Returns the entry, or val 0 when swap is full.
 */
swp_entry_t get_swap_page(struct machine *m);

/* get_swap_page_cache - a free slot held by the swap cache alone (SWAP_HAS_CACHE, count 0). */
swp_entry_t get_swap_page_cache(struct machine *m);

/* swap_duplicate - one more reference to @entry (fork copying a swap PTE). -EINVAL if free. */
int swap_duplicate(struct machine *m, swp_entry_t entry);

/* swap_free - drop one reference; the slot is free when no count and no cache remain. */
void swap_free(struct machine *m, swp_entry_t entry);

/* swap_count - the use count of @entry's slot (without SWAP_HAS_CACHE). */
unsigned int swap_count(struct machine *m, swp_entry_t entry);

/* swap_entry_valid - @entry names a slot in use (a count or the cache) of an area that is on. */
bool swap_entry_valid(struct machine *m, swp_entry_t entry);

/*
 * The swap cache's slots, as Linux 6.18's swap table: each cluster keeps one
 * page pointer per slot. swapcache_set puts @page in the slot (SWAP_HAS_CACHE;
 * -ENOENT if the slot is free, -EEXIST if taken); swapcache_clear takes it out,
 * freeing the slot if no count remains. Reference counting is swap_state.c's.
 */
struct page *swapcache_page(struct machine *m, swp_entry_t entry);
int swapcache_set(struct machine *m, swp_entry_t entry, struct page *page);
void swapcache_clear(struct machine *m, swp_entry_t entry);
/* swap_shadow - the slot's workingset shadow (eviction age + 1, 0 for none), or NULL. */
unsigned int *swap_shadow(struct machine *m, swp_entry_t entry);
/* swap_area_max - pages in area @type (header included), 0 if it is off. */
unsigned long swap_area_max(struct machine *m, unsigned int type);
/* swap_area_inuse - slots of area @type in use (a count or the cache), 0 if it is off. */
unsigned long swap_area_inuse(struct machine *m, unsigned int type);
/* vm_swap_full - more than half of swap in use (Linux's: then swap-in frees its slot). */
bool vm_swap_full(struct machine *m);

/*
 * swap_write_pages / swap_read_pages - @nr (<= SWAP_IO_BATCH) pages at
 * consecutive slots from @first in one vectored host call; reads are into
 * fresh pages (undefined on error). 0, or -EIO (an error or a short transfer).
 */
#define SWAP_IO_BATCH 32
int swap_write_pages(struct machine *m, swp_entry_t first, struct page **pages, unsigned int nr);
int swap_read_pages(struct machine *m, swp_entry_t first, struct page **pages, unsigned int nr);

/* Page I/O on the area's host file: 0, or -EIO (nothing changed in @page on a read error). */
int swap_write_page(struct machine *m, swp_entry_t entry, struct page *page);
int swap_read_page(struct machine *m, swp_entry_t entry, struct page *page);

long total_swap_pages(struct machine *m);
long nr_swap_pages(struct machine *m);

void swaps_show(struct machine *m, struct report *r);

/* swap_check - validate every area's counts and cluster lists; message on failure. */
bool swap_check(struct machine *m);

/* swapoff_all - turn every area off at machine teardown, whatever is in use. */
void swapoff_all(struct machine *m);

/* ---- swap.c: the LRU lists (include/linux/swap.h declares them too) ---- */

struct lruvec;
struct vm_area_struct;

/* lruvec_init - empty LRU lists; the node's counters start at zero. */
void lruvec_init(struct lruvec *lruvec);

/* lru_cache_add - put a new page-cache page on the inactive list of its type. */
void lru_cache_add(struct machine *m, struct page *page);

/*
 * lru_cache_add_inactive_or_unevictable - put a new anonymous page of @vma on
 * the inactive anon list, or on the unevictable list when @vma is VM_LOCKED.
 */
void lru_cache_add_inactive_or_unevictable(struct machine *m, struct page *page,
					   struct vm_area_struct *vma);

/*
 * mark_page_accessed - a reference from a read or a fault: the first sets
 * PG_referenced, the second moves an inactive page to its active list.
 */
void mark_page_accessed(struct machine *m, struct page *page);

/* mark_page_lazyfree - MADV_FREE: an anonymous page becomes a clean inactive file-list page. */
void mark_page_lazyfree(struct machine *m, struct page *page);

/* __page_cache_release - the last reference to @page went: take it off its LRU list. */
void __page_cache_release(struct machine *m, struct page *page);

/* lru_check - the lists agree with the counters and with PG_lru, PG_active, PG_unevictable. */
bool lru_check(struct machine *m);


/* ---- swap_state.c: the swap cache, swap-in and swapoff's walk ---- */

struct vm_fault;

/* The entry of a page in the swap cache (PG_swapcache; kept in page->private). */
#define page_swap_entry(page) ((swp_entry_t){ (page)->private })

/* lookup_swap_cache - the page cached for @entry, no reference taken, or NULL. */
struct page *lookup_swap_cache(struct machine *m, swp_entry_t entry);
/*
 * add_to_swap - give anonymous @page a slot and put it in the swap cache
 * (one reference for the cache; the page becomes dirty: it must be written).
 * 0, or -ENOSPC when no slot is free.
 */
int add_to_swap(struct machine *m, struct page *page);
/* delete_from_swap_cache - take @page out (drops the cache's reference; the slot may free). */
void delete_from_swap_cache(struct machine *m, struct page *page);
/*
 * try_to_free_swap - @page's slot has no count left (no swap PTE): drop the
 * swap copy, leaving the page dirty (the only copy). True if it left the cache.
 */
bool try_to_free_swap(struct machine *m, struct page *page);
/* free_swap_cache - zap released an unmapped page: out of the cache if nothing else uses it. */
void free_swap_cache(struct machine *m, struct page *page);
/* free_swap_and_cache - zap cleared a swap PTE: its count, and the cached page if now unused. */
void free_swap_and_cache(struct machine *m, swp_entry_t entry);
/*
 * swapin_readahead - the page of @entry with a reference: from the swap cache,
 * or read with its neighbours (the 2^page-cluster aligned slots around it in
 * the same area that are in use and not cached). *@major set when read.
 * ERR_PTR(-ENOMEM) when no page, ERR_PTR(-EIO) when the read failed.
 */
struct page *swapin_readahead(struct machine *m, swp_entry_t entry, bool *major);
/* try_to_unuse - swapoff: bring every page of area @type back. 0, -ENOMEM or -EIO. */
int try_to_unuse(struct machine *m, unsigned int type);

/* ---- shmem.c: shmem pages on swap ---- */

/*
 * shmem_writeout - reclaim of unmapped shmem @page (isolated, the caller's
 * reference and the page cache's only): it moves to the swap cache, dirty,
 * and its index in the mapping holds the swap entry instead. 0, or -errno
 * (kept where it was): -ENOSPC (no slot), -EAGAIN (someone holds it).
 */
int shmem_writeout(struct machine *m, struct page *page);
/* shmem_unuse - swapoff: bring every shmem page on area @type back. 0 or -errno. */
int shmem_unuse(struct machine *m, unsigned int type);

/* ---- workingset.c ---- */

/* workingset_eviction - a page leaves memory: the shadow to keep for it (nonzero). */
unsigned int workingset_eviction(struct machine *m, struct page *page);
/* workingset_refault - @page comes back with @shadow: count it, activate a recent one. */
void workingset_refault(struct machine *m, struct page *page, unsigned int shadow);
/* workingset_age - one more activation or eviction on the node's clock. */
void workingset_age(struct machine *m);
/* workingset_remember_file - keep @shadow for the file page @page leaving the cache. */
void workingset_remember_file(struct machine *m, struct page *page, unsigned int shadow);
/* workingset_file_refault - @page (just added to its file's cache) was evicted before: refault. */
void workingset_file_refault(struct machine *m, struct page *page);
/* workingset_init - the file shadow table (at swapon, or at the first file eviction). */
int workingset_init(struct machine *m);
/* workingset_destroy - free the shadow table (machine teardown). */
void workingset_destroy(struct machine *m);

/* ---- vmscan.c ---- */

/*
 * reclaim_folio - the paging mechanism for one page, whoever chose it:
 * unmap it everywhere (anon -> swap entries, file -> none), write it if
 * dirty (swap, or the file through writeback), and free it. @page must be
 * off the LRU lists (isolated) and the caller must hold one reference.
 * 0: freed, the reference consumed. -errno: kept (the caller puts it back
 * and drops its reference): -EBUSY (locked, mlocked, writeback, a user holds
 * it), -ENOSPC (swap full), -EIO (write failed; the page stays dirty),
 * -EAGAIN (still mapped or referenced).
 */
int reclaim_folio(struct machine *m, struct page *page, gfp_t gfp);
/*
 * reclaim_folios - reclaim_folio for @nr isolated pages at once, writing the
 * swap slots that follow each other with one host call; @err[i] gets page
 * i's result (0: freed; else kept, for the caller to put back).
 */
void reclaim_folios(struct machine *m, struct page **pages, unsigned int nr, gfp_t gfp, int *err);
/* reclaim_page - isolate @page from its list, reclaim_folio it, put it back if kept. */
int reclaim_page(struct machine *m, struct page *page);
/* isolate_lru_page - take @page off its LRU list with a reference. -EBUSY if not listed. */
int isolate_lru_page(struct machine *m, struct page *page);
/* putback_lru_page - back on the list its flags name, and drop the isolation reference. */
void putback_lru_page(struct machine *m, struct page *page);
/* try_to_free_pages - direct reclaim for an allocation of @order: pages freed. */
unsigned long try_to_free_pages(struct machine *m, gfp_t gfp, unsigned int order);
/* wakeup_kswapd - an allocation fell below the low watermark: kswapd runs at the next step. */
void wakeup_kswapd(struct machine *m, unsigned int order);
/* kswapd_step - run kswapd if it was woken (a step of the machine). Pages freed. */
unsigned long kswapd_step(struct machine *m);
/* balance_pgdat - kswapd's work: reclaim until every zone is above its high watermark. */
unsigned long balance_pgdat(struct machine *m, unsigned int order);
/* shrink_all_memory - reclaim up to @nr_pages (tests, drop-everything). Pages freed. */
unsigned long shrink_all_memory(struct machine *m, unsigned long nr_pages);
/* madvise_cold_page - MADV_COLD on one page: accessed bits cleared, to its inactive list. */
void madvise_cold_page(struct machine *m, struct page *page);

/* Pages to reclaim together (MADV_PAGEOUT), so that their swap writes go out in runs. */
#define RECLAIM_BATCH 32
struct reclaim_batch {
	unsigned int nr;
	struct page *pages[RECLAIM_BATCH];	/* isolated, a reference held on each */
};
/* reclaim_batch_add - isolate @page into @batch (reclaiming the batch when it is full). */
void reclaim_batch_add(struct machine *m, struct reclaim_batch *batch, struct page *page);
/* reclaim_batch_flush - reclaim what @batch holds; what is kept goes back on its list. */
void reclaim_batch_flush(struct machine *m, struct reclaim_batch *batch);

/* ---- mlock (swap.c) ---- */

/* mlock_page - @page is mapped in a VM_LOCKED area: to the unevictable list, Mlocked. */
void mlock_page(struct machine *m, struct page *page);
/* munlock_page - no locked area maps @page any more: back to the evictable lists. */
void munlock_page(struct machine *m, struct page *page);
/* munlock_page_unless_locked - munlock_page() if no VM_LOCKED area maps @page (mlock.c). */
void munlock_page_unless_locked(struct machine *m, struct page *page);

#endif
