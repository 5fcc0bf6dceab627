/*
 * swap.h - swap areas on real files: the on-disk header util-linux's mkswap
 * writes, slots handed out in clusters, a use count per slot, and the swap
 * entries that non-present PTEs carry.
 * Follows Linux include/linux/swap.h, swapops.h and mm/swapfile.c.
 */
#ifndef TUXMM_SWAP_H
#define TUXMM_SWAP_H

#include "list.h"
#include "pgtable_types.h"
#include "types.h"

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
/* is_swap_pte - neither empty nor present: a swapped-out page. */
static inline bool is_swap_pte(pte_t pte)
{
	return pte_val(pte) && !(pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE));
}

struct swap_cluster_info {
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
 * swapoff - remove the swap area of @path. -EINVAL if it is not on; -EBUSY
 * while slots are in use.
 * FIXME: bring swapped-out pages back in (try_to_unuse) when reclaim lands.
 */
int swapoff(struct machine *m, const char *path);

/*
 * get_swap_page - a free slot with a count of one, from the highest-priority
 * writable area (round robin among equals), taken from this CPU's cluster.
 * Returns the entry, or val 0 when swap is full.
 */
swp_entry_t get_swap_page(struct machine *m);

/* swap_duplicate - one more reference to @entry (fork copying a swap PTE). -EINVAL if free. */
int swap_duplicate(struct machine *m, swp_entry_t entry);

/* swap_free - drop one reference; the slot is free when no count and no cache remain. */
void swap_free(struct machine *m, swp_entry_t entry);

/* swap_count - the use count of @entry's slot (without SWAP_HAS_CACHE). */
unsigned int swap_count(struct machine *m, swp_entry_t entry);

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

#endif
