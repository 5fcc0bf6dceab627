/*
 * show_mem.c - the memory report the OOM killer logs ("Mem-Info:"): the LRU
 * and free totals, the node's counters, each zone's watermarks and free lists,
 * then the page cache, swap and RAM totals.
 * Follows Linux mm/show_mem.c (__show_mem, show_free_areas) for the
 * configuration tuxmm models: one node, no THP, hugetlb, CMA or memory failure,
 * and no migratetypes (the free-list lines carry no "(UME)" letters).
 */
#include "mm.h"
#include "printk.h"
#include "swap.h"

#define K(m, pages) ((unsigned long)(pages) << ((m)->page_shift - 10))

static unsigned long zone_pcp_pages(struct machine *m, struct zone *zone)
{
	unsigned long nr = 0;

	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		nr += (unsigned long)zone->pcp[cpu].count;
	return nr;
}

static unsigned long node_pages(struct machine *m, enum node_stat_item item)
{
	long v = global_node_page_state(m, item);

	return v > 0 ? (unsigned long)v : 0;
}

static unsigned long zone_pages(struct zone *zone, enum zone_stat_item item)
{
	return zone->vm_stat[item] > 0 ? (unsigned long)zone->vm_stat[item] : 0;
}

static void show_totals(struct machine *m)
{
	unsigned long free_pcp = 0;
	struct zone *zone;

	for_each_zone(m, zone)
		if (populated_zone(zone))
			free_pcp += zone_pcp_pages(m, zone);
	printk(m, "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
		  " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
		  " unevictable:%lu dirty:%lu writeback:%lu\n"
		  " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
		  " mapped:%lu shmem:%lu pagetables:%lu\n"
		  " sec_pagetables:%lu bounce:%lu\n"
		  " kernel_misc_reclaimable:%lu\n"
		  " free:%lu free_pcp:%lu free_cma:%lu",
	       node_pages(m, NR_ACTIVE_ANON), node_pages(m, NR_INACTIVE_ANON),
	       node_pages(m, NR_ISOLATED_ANON), node_pages(m, NR_ACTIVE_FILE),
	       node_pages(m, NR_INACTIVE_FILE), node_pages(m, NR_ISOLATED_FILE),
	       node_pages(m, NR_UNEVICTABLE), node_pages(m, NR_FILE_DIRTY),
	       node_pages(m, NR_WRITEBACK),
	       (unsigned long)global_node_page_state_pages(m, NR_SLAB_RECLAIMABLE_B),
	       (unsigned long)global_node_page_state_pages(m, NR_SLAB_UNRECLAIMABLE_B),
	       node_pages(m, NR_FILE_MAPPED), node_pages(m, NR_SHMEM), node_pages(m, NR_PAGETABLE),
	       node_pages(m, NR_SECONDARY_PAGETABLE), 0UL,
	       node_pages(m, NR_KERNEL_MISC_RECLAIMABLE), global_zone_page_state(m, NR_FREE_PAGES),
	       free_pcp, global_zone_page_state(m, NR_FREE_CMA_PAGES));
	printk(m, "Node 0 active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
		  "inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB isolated(file):%lukB "
		  "mapped:%lukB dirty:%lukB writeback:%lukB shmem:%lukB kernel_stack:%lukB "
		  "pagetables:%lukB sec_pagetables:%lukB all_unreclaimable? no Balloon:%lukB",
	       K(m, node_pages(m, NR_ACTIVE_ANON)), K(m, node_pages(m, NR_INACTIVE_ANON)),
	       K(m, node_pages(m, NR_ACTIVE_FILE)), K(m, node_pages(m, NR_INACTIVE_FILE)),
	       K(m, node_pages(m, NR_UNEVICTABLE)), K(m, node_pages(m, NR_ISOLATED_ANON)),
	       K(m, node_pages(m, NR_ISOLATED_FILE)), K(m, node_pages(m, NR_FILE_MAPPED)),
	       K(m, node_pages(m, NR_FILE_DIRTY)), K(m, node_pages(m, NR_WRITEBACK)),
	       K(m, node_pages(m, NR_SHMEM)), node_pages(m, NR_KERNEL_STACK_KB),
	       K(m, node_pages(m, NR_PAGETABLE)), K(m, node_pages(m, NR_SECONDARY_PAGETABLE)),
	       K(m, node_pages(m, NR_BALLOON_PAGES)));
}

static void show_zone(struct machine *m, struct zone *zone)
{
	char line[160];
	size_t n = 0;

	printk(m, "Node 0 %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
		  "reserved_highatomic:0KB free_highatomic:0KB active_anon:%lukB "
		  "inactive_anon:%lukB active_file:%lukB inactive_file:%lukB unevictable:%lukB "
		  "writepending:%lukB zspages:0kB present:%lukB managed:%lukB mlocked:%lukB "
		  "bounce:0kB free_pcp:%lukB local_pcp:%ukB free_cma:%lukB",
	       zone->name, K(m, zone_pages(zone, NR_FREE_PAGES)), K(m, zone->watermark_boost),
	       K(m, min_wmark_pages(zone)), K(m, low_wmark_pages(zone)),
	       K(m, high_wmark_pages(zone)), K(m, zone_pages(zone, NR_ZONE_ACTIVE_ANON)),
	       K(m, zone_pages(zone, NR_ZONE_INACTIVE_ANON)),
	       K(m, zone_pages(zone, NR_ZONE_ACTIVE_FILE)),
	       K(m, zone_pages(zone, NR_ZONE_INACTIVE_FILE)),
	       K(m, zone_pages(zone, NR_ZONE_UNEVICTABLE)),
	       K(m, zone_pages(zone, NR_ZONE_WRITE_PENDING)), K(m, zone->present_pages),
	       K(m, zone->managed_pages), K(m, zone_pages(zone, NR_MLOCK)),
	       K(m, zone_pcp_pages(m, zone)), (unsigned int)K(m, zone->pcp[m->cur_cpu].count),
	       K(m, zone_pages(zone, NR_FREE_CMA_PAGES)));
	n += (size_t)snprintf(line, sizeof(line), "lowmem_reserve[]:");
	for (int i = 0; i < MAX_NR_ZONES && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %ld", zone->lowmem_reserve[i]);
	printk(m, "%s", line);
}

/* One zone's free lists: "Node 0 DMA32: 3*4kB 1*8kB ... = 11216kB". */
static void show_free_lists(struct machine *m, struct zone *zone)
{
	char line[512];
	unsigned long total = 0;
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "Node 0 %s: ", zone->name);
	for (unsigned int o = 0; o <= m->max_order && n < sizeof(line); o++) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%lu*%lukB ",
				      zone->free_area[o].nr_free, K(m, 1UL) << o);
		total += zone->free_area[o].nr_free << o;
	}
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "= %lukB", K(m, total));
	printk(m, "%s", line);
}

void __show_mem(struct machine *m)
{
	unsigned long present = 0, managed = 0;
	long swap_free = nr_swap_pages(m), swap_total = total_swap_pages(m);
	struct zone *zone;

	printk(m, "Mem-Info:");
	show_totals(m);
	for_each_zone(m, zone)
		if (populated_zone(zone))
			show_zone(m, zone);
	for_each_zone(m, zone)
		if (populated_zone(zone))
			show_free_lists(m, zone);
	printk(m, "%ld total pagecache pages", global_node_page_state(m, NR_FILE_PAGES));
	printk(m, "%ld pages in swap cache", global_node_page_state(m, NR_SWAPCACHE));
	printk(m, "Free swap  = %lukB", K(m, swap_free > 0 ? swap_free : 0));
	printk(m, "Total swap = %lukB", K(m, swap_total > 0 ? swap_total : 0));
	for_each_zone(m, zone) {
		present += zone->present_pages;
		managed += zone->managed_pages;
	}
	printk(m, "%lu pages RAM", present);
	printk(m, "0 pages HighMem/MovableOnly");
	printk(m, "%lu pages reserved", present - managed);
}
