/*
 * vmstat.c - the memory counters and their Linux names.
 * Follows Linux mm/vmstat.c; counters are exact (no per-CPU deltas to fold).
 */
#include <errno.h>
#include <string.h>

#include "mm.h"
#include "vmstat.h"

const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages",
	"nr_free_pages_blocks",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_free_cma",
};

const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	"nr_inactive_anon",
	"nr_active_anon",
	"nr_inactive_file",
	"nr_active_file",
	"nr_unevictable",
	"nr_slab_reclaimable",
	"nr_slab_unreclaimable",
	"nr_isolated_anon",
	"nr_isolated_file",
	"workingset_nodes",
	"workingset_refault_anon",
	"workingset_refault_file",
	"workingset_activate_anon",
	"workingset_activate_file",
	"workingset_restore_anon",
	"workingset_restore_file",
	"workingset_nodereclaim",
	"nr_anon_pages",
	"nr_mapped",
	"nr_file_pages",
	"nr_dirty",
	"nr_writeback",
	"nr_shmem",
	"nr_shmem_hugepages",
	"nr_shmem_pmdmapped",
	"nr_file_hugepages",
	"nr_file_pmdmapped",
	"nr_anon_transparent_hugepages",
	"nr_vmscan_write",
	"nr_vmscan_immediate_reclaim",
	"nr_dirtied",
	"nr_written",
	"nr_throttled_written",
	"nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired",
	"nr_foll_pin_released",
	"nr_kernel_stack",
	"nr_page_table_pages",
	"nr_sec_page_table_pages",
	"nr_swapcached",
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_khugepaged",
	"pgdemote_proactive",
	"nr_balloon_pages",
	"nr_kernel_file_pages",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgpgin",
	"pgpgout",
	"pswpin",
	"pswpout",
	"pgalloc_dma",
	"pgalloc_dma32",
	"pgalloc_normal",
	"pgalloc_movable",
	"pgalloc_device",
	"allocstall_dma",
	"allocstall_dma32",
	"allocstall_normal",
	"allocstall_movable",
	"allocstall_device",
	"pgskip_dma",
	"pgskip_dma32",
	"pgskip_normal",
	"pgskip_movable",
	"pgskip_device",
	"pgfree",
	"pgactivate",
	"pgdeactivate",
	"pglazyfree",
	"pgfault",
	"pgmajfault",
	"pglazyfreed",
	"pgrefill",
	"pgreuse",
	"pgsteal_kswapd",
	"pgsteal_direct",
	"pgsteal_khugepaged",
	"pgsteal_proactive",
	"pgscan_kswapd",
	"pgscan_direct",
	"pgscan_khugepaged",
	"pgscan_proactive",
	"pgscan_direct_throttle",
	"pgscan_anon",
	"pgscan_file",
	"pgsteal_anon",
	"pgsteal_file",
	"pginodesteal",
	"slabs_scanned",
	"kswapd_inodesteal",
	"kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly",
	"pageoutrun",
	"pgrotated",
	"drop_pagecache",
	"drop_slab",
	"oom_kill",
	"unevictable_pgs_culled",
	"unevictable_pgs_scanned",
	"unevictable_pgs_rescued",
	"unevictable_pgs_mlocked",
	"unevictable_pgs_munlocked",
	"unevictable_pgs_cleared",
	"unevictable_pgs_stranded",
	"swap_ra",
	"swap_ra_hit",
	"swpin_zero",
	"swpout_zero",
	"direct_map_level2_splits",
	"direct_map_level3_splits",
	"direct_map_level2_collapses",
	"direct_map_level3_collapses",
};

void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	zone->vm_stat[item] += delta;
}

void mod_node_page_state(struct machine *m, enum node_stat_item item, long delta)
{
	m->pgdat->vm_stat[item] += delta;
}

void count_vm_events(struct machine *m, enum vm_event_item item, unsigned long delta)
{
	m->vm_events[item] += delta;
}

unsigned long global_zone_page_state(struct machine *m, enum zone_stat_item item)
{
	struct zone *zone;
	long sum = 0;

	for_each_zone(m, zone)
		sum += zone->vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

long global_node_page_state(struct machine *m, enum node_stat_item item)
{
	return m->pgdat->vm_stat[item];
}

long global_node_page_state_pages(struct machine *m, enum node_stat_item item)
{
	long v = m->pgdat->vm_stat[item];

	if (item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B)
		return v >> m->page_shift;
	return v;
}

int tuxmm_vm_event(struct machine *m, const char *name, unsigned long *value)
{
	if (!name || !value)
		return -EINVAL;
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (!strcmp(vm_event_names[i], name)) {
			*value = m->vm_events[i];
			return 0;
		}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (!strcmp(node_stat_names[i], name)) {
			long v = global_node_page_state_pages(m, (enum node_stat_item)i);

			*value = v < 0 ? 0 : (unsigned long)v;
			return 0;
		}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (!strcmp(zone_stat_names[i], name)) {
			*value = global_zone_page_state(m, (enum zone_stat_item)i);
			return 0;
		}
	return -ENOENT;
}
