/*
 * meminfo.c - /proc/meminfo.
 * Follows Linux 6.18 fs/proc/meminfo.c for x86-64 without HIGHMEM, ZSWAP, THP,
 * CMA or hugetlb: the same lines in the same order, "%-16s%8lu kB".
 */
#include "mm.h"
#include "proc.h"
#include "report.h"
#include "slab.h"
#include "swap.h"
#include "pgtable.h"
#include "vmalloc.h"

static void show_val_kb(struct machine *m, struct report *r, const char *label,
			unsigned long pages)
{
	report_printf(r, "%-16s%8lu kB\n", label, pages << (m->page_shift - 10));
}

static unsigned long node_pages(struct machine *m, enum node_stat_item item)
{
	long v = global_node_page_state_pages(m, item);

	return v < 0 ? 0 : (unsigned long)v;
}

void meminfo_show(struct machine *m, struct report *r)
{
	unsigned long active_anon = node_pages(m, NR_ACTIVE_ANON);
	unsigned long inactive_anon = node_pages(m, NR_INACTIVE_ANON);
	unsigned long active_file = node_pages(m, NR_ACTIVE_FILE);
	unsigned long inactive_file = node_pages(m, NR_INACTIVE_FILE);
	unsigned long swapcache = node_pages(m, NR_SWAPCACHE);
	unsigned long file_pages = node_pages(m, NR_FILE_PAGES);
	unsigned long cached = file_pages > swapcache ? file_pages - swapcache : 0;
	unsigned long sreclaimable = node_pages(m, NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = node_pages(m, NR_SLAB_UNRECLAIMABLE_B);
	unsigned long totalram = totalram_pages(m);
	unsigned long total_swap = (unsigned long)total_swap_pages(m);
	unsigned long free_swap = (unsigned long)nr_swap_pages(m);
	unsigned long commit_limit = totalram * 50 / 100 + total_swap;
	unsigned long kb4k, kb2m, kb1g;

	show_val_kb(m, r, "MemTotal:", totalram);
	show_val_kb(m, r, "MemFree:", global_zone_page_state(m, NR_FREE_PAGES));
	show_val_kb(m, r, "MemAvailable:", si_mem_available(m));
	show_val_kb(m, r, "Buffers:", 0);
	show_val_kb(m, r, "Cached:", cached);
	show_val_kb(m, r, "SwapCached:", swapcache);
	show_val_kb(m, r, "Active:", active_anon + active_file);
	show_val_kb(m, r, "Inactive:", inactive_anon + inactive_file);
	show_val_kb(m, r, "Active(anon):", active_anon);
	show_val_kb(m, r, "Inactive(anon):", inactive_anon);
	show_val_kb(m, r, "Active(file):", active_file);
	show_val_kb(m, r, "Inactive(file):", inactive_file);
	show_val_kb(m, r, "Unevictable:", node_pages(m, NR_UNEVICTABLE));
	show_val_kb(m, r, "Mlocked:", global_zone_page_state(m, NR_MLOCK));
	show_val_kb(m, r, "SwapTotal:", total_swap);
	show_val_kb(m, r, "SwapFree:", free_swap);
	show_val_kb(m, r, "Dirty:", node_pages(m, NR_FILE_DIRTY));
	show_val_kb(m, r, "Writeback:", node_pages(m, NR_WRITEBACK));
	show_val_kb(m, r, "AnonPages:", node_pages(m, NR_ANON_MAPPED));
	show_val_kb(m, r, "Mapped:", node_pages(m, NR_FILE_MAPPED));
	show_val_kb(m, r, "Shmem:", node_pages(m, NR_SHMEM));
	show_val_kb(m, r, "KReclaimable:",
		    sreclaimable + node_pages(m, NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(m, r, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(m, r, "SReclaimable:", sreclaimable);
	show_val_kb(m, r, "SUnreclaim:", sunreclaim);
	report_printf(r, "%-16s%8lu kB\n", "KernelStack:", node_pages(m, NR_KERNEL_STACK_KB));
	show_val_kb(m, r, "PageTables:", node_pages(m, NR_PAGETABLE));
	show_val_kb(m, r, "SecPageTables:", node_pages(m, NR_SECONDARY_PAGETABLE));
	show_val_kb(m, r, "NFS_Unstable:", 0);
	show_val_kb(m, r, "Bounce:", 0);
	show_val_kb(m, r, "WritebackTmp:", 0);
	show_val_kb(m, r, "CommitLimit:", commit_limit);
	show_val_kb(m, r, "Committed_AS:",
		    m->tasks.vm_committed_as > 0 ? (unsigned long)m->tasks.vm_committed_as : 0);
	report_printf(r, "%-16s%8lu kB\n", "VmallocTotal:", vmalloc_total_kb(m));
	show_val_kb(m, r, "VmallocUsed:", vmalloc_used_pages(m));
	show_val_kb(m, r, "VmallocChunk:", 0);
	show_val_kb(m, r, "Percpu:", DIV_ROUND_UP(m->percpu_bytes, m->page_size));
	show_val_kb(m, r, "Balloon:", node_pages(m, NR_BALLOON_PAGES));
	direct_map_sizes_kb(m, &kb4k, &kb2m, &kb1g);
	report_printf(r, "%-16s%8lu kB\n", "DirectMap4k:", kb4k);
	report_printf(r, "%-16s%8lu kB\n", "DirectMap2M:", kb2m);
	report_printf(r, "%-16s%8lu kB\n", "DirectMap1G:", kb1g);
}
