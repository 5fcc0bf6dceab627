/*
 * zoneinfo.c - /proc/buddyinfo, /proc/zoneinfo and /proc/vmstat.
 * Follows Linux 6.18 mm/vmstat.c (frag_show_print, zoneinfo_show_print,
 * vmstat_show) for one node, without NUMA counters.
 */
#include "mm.h"
#include "proc.h"
#include "report.h"

void buddyinfo_show(struct machine *m, struct report *r)
{
	struct zone *zone;

	for_each_zone(m, zone) {
		if (!populated_zone(zone))
			continue;
		report_printf(r, "Node %d, zone %8s ", 0, zone->name);
		for (unsigned int o = 0; o <= m->max_order; o++)
			report_printf(r, "%6lu ", zone->free_area[o].nr_free);
		report_putc(r, '\n');
	}
}

static bool is_zone_first_populated(struct machine *m, struct zone *zone)
{
	struct zone *z;

	for_each_zone(m, z)
		if (populated_zone(z))
			return z == zone;
	return false;
}

static unsigned long node_item_pages(struct machine *m, int item)
{
	long v = global_node_page_state_pages(m, (enum node_stat_item)item);

	return v < 0 ? 0 : (unsigned long)v;
}

static void zoneinfo_show_print(struct machine *m, struct zone *zone, struct report *r)
{
	report_printf(r, "Node %d, zone %8s", 0, zone->name);
	if (is_zone_first_populated(m, zone)) {
		report_printf(r, "\n  per-node stats");
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			report_printf(r, "\n      %-12s %lu", node_stat_names[i],
				      node_item_pages(m, i));
	}
	report_printf(r,
		      "\n  pages free     %lu"
		      "\n        boost    %lu"
		      "\n        min      %lu"
		      "\n        low      %lu"
		      "\n        high     %lu"
		      "\n        promo    %lu"
		      "\n        spanned  %lu"
		      "\n        present  %lu"
		      "\n        managed  %lu"
		      "\n        cma      %lu",
		      (unsigned long)zone->vm_stat[NR_FREE_PAGES], zone->watermark_boost,
		      min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
		      promo_wmark_pages(zone), zone->spanned_pages, zone->present_pages,
		      zone->managed_pages, 0UL);
	report_printf(r, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		report_printf(r, ", %ld", zone->lowmem_reserve[i]);
	report_putc(r, ')');
	if (!populated_zone(zone)) {
		report_putc(r, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		report_printf(r, "\n      %-12s %ld", zone_stat_names[i], zone->vm_stat[i]);
	report_printf(r, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct per_cpu_pages *pcp = &zone->pcp[cpu];

		report_printf(r,
			      "\n    cpu: %u"
			      "\n              count:    %d"
			      "\n              high:     %d"
			      "\n              batch:    %d"
			      "\n              high_min: %d"
			      "\n              high_max: %d",
			      cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min,
			      pcp->high_max);
		report_printf(r, "\n  vm stats threshold: %d", zone->stat_threshold);
	}
	report_printf(r,
		      "\n  node_unreclaimable:  %u"
		      "\n  start_pfn:           %lu",
		      0u, zone->zone_start_pfn);
	report_putc(r, '\n');
}

void zoneinfo_show(struct machine *m, struct report *r)
{
	struct zone *zone;

	for_each_zone(m, zone)
		zoneinfo_show_print(m, zone, r);
}

/*
 * The dirty limits Linux derives from dirty_ratio (20) and
 * dirty_background_ratio (10) of the dirtyable memory: free pages plus the
 * file LRU, less the high watermarks and lowmem reserves.
 */
static void global_dirty_limits(struct machine *m, unsigned long *bg, unsigned long *dirty)
{
	long avail = (long)global_zone_page_state(m, NR_FREE_PAGES) - (long)m->totalreserve_pages;

	avail += global_node_page_state(m, NR_INACTIVE_FILE) +
		 global_node_page_state(m, NR_ACTIVE_FILE);
	if (avail < 0)
		avail = 0;
	*dirty = (unsigned long)avail * 20 / 100;
	*bg = (unsigned long)avail * 10 / 100;
}

void vmstat_show(struct machine *m, struct report *r)
{
	unsigned long bg, dirty;
	struct zone *zone;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		long sum = 0;

		for_each_zone(m, zone)
			sum += zone->vm_stat[i];
		report_printf(r, "%s %ld\n", zone_stat_names[i], sum < 0 ? 0 : sum);
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		report_printf(r, "%s %lu\n", node_stat_names[i], node_item_pages(m, i));
	global_dirty_limits(m, &bg, &dirty);
	report_printf(r, "nr_dirty_threshold %lu\n", dirty);
	report_printf(r, "nr_dirty_background_threshold %lu\n", bg);
	report_printf(r, "nr_memmap_pages %lu\n", 0UL);
	report_printf(r, "nr_memmap_boot_pages %lu\n",
		      DIV_ROUND_UP(m->max_pfn * sizeof(struct page), m->page_size));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		unsigned long v = m->vm_events[i];

		/* Linux counts these in 512-byte sectors and prints KiB. */
		if (i == PGPGIN || i == PGPGOUT)
			v /= 2;
		report_printf(r, "%s %lu\n", vm_event_names[i], v);
	}
	report_printf(r, "nr_unstable 0\n");
}
