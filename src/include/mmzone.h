/*
 * mmzone.h - zones, their free areas, per-CPU page lists and watermarks.
 * Follows Linux include/linux/mmzone.h; one node (no NUMA).
 */
#ifndef TUXMM_MMZONE_H
#define TUXMM_MMZONE_H

#include "list.h"
#include "types.h"
#include "vmstat.h"

#define MAX_ORDER_LIMIT 13	/* the largest MAX_PAGE_ORDER of any page size (64 KiB) */
#define NR_ORDERS_LIMIT (MAX_ORDER_LIMIT + 1)

enum zone_type {
	ZONE_DMA,		/* below 16 MiB */
	ZONE_DMA32,		/* below 4 GiB */
	ZONE_NORMAL,
	ZONE_MOVABLE,		/* always empty: no kernelcore= */
	ZONE_DEVICE,		/* always empty, never printed */
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks of this order */
};

/* The order-0 pages a CPU keeps for itself, refilled and drained in batches. */
struct per_cpu_pages {
	struct list_head list;
	int count;			/* pages on the list */
	int high;			/* drain when count reaches it */
	int high_min, high_max;		/* the range Linux 6.x tunes high in */
	int batch;			/* pages moved to or from the buddy lists at once */
	unsigned long alloc_hits;	/* served from the list without the buddy lists */
};

/*
 * The LRU lists, in the order of their node and zone counters (NR_INACTIVE_ANON +
 * lru, NR_ZONE_INACTIVE_ANON + lru), as Linux's enum lru_list.
 */
#define LRU_BASE	0
#define LRU_ACTIVE	1
#define LRU_FILE	2

enum lru_list {
	LRU_INACTIVE_ANON = LRU_BASE,
	LRU_ACTIVE_ANON = LRU_BASE + LRU_ACTIVE,
	LRU_INACTIVE_FILE = LRU_BASE + LRU_FILE,
	LRU_ACTIVE_FILE = LRU_BASE + LRU_FILE + LRU_ACTIVE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

#define for_each_lru(lru) for (lru = 0; lru < NR_LRU_LISTS; lru++)

/* The node's LRU lists of user pages (Linux's lruvec without memcg or MGLRU). */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
};

struct pglist_data;

struct zone {
	unsigned long _watermark[NR_WMARK];	/* in pages */
	unsigned long watermark_boost;
	long lowmem_reserve[MAX_NR_ZONES];	/* pages kept back from lower-zone fallback */
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *pcp;		/* one per CPU, in simulated RAM */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;		/* end - start, holes included */
	unsigned long present_pages;		/* RAM pages inside the span */
	unsigned long managed_pages;		/* pages given to the buddy allocator */
	const char *name;
	int stat_threshold;
	struct free_area free_area[NR_ORDERS_LIMIT];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int nr_zones;				/* highest populated zone + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct lruvec __lruvec;
	struct machine *machine;
};

static inline unsigned long min_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_MIN] + z->watermark_boost;
}
static inline unsigned long low_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_LOW] + z->watermark_boost;
}
static inline unsigned long high_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_HIGH] + z->watermark_boost;
}
static inline unsigned long promo_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_PROMO] + z->watermark_boost;
}
static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}
static inline bool managed_zone(const struct zone *z)
{
	return z->managed_pages != 0;
}
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < z->zone_start_pfn + z->spanned_pages;
}
static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}
static inline int zone_idx(const struct zone *z)
{
	return (int)(z - z->zone_pgdat->node_zones);
}

#define for_each_zone(m, z)                                                         \
	for (z = (m)->pgdat->node_zones; z < (m)->pgdat->node_zones + MAX_NR_ZONES; z++)

#endif
