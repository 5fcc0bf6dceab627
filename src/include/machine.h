/*
 * machine.h - one simulated computer: its RAM, firmware map, memory
 * allocators and counters. Every function reaches its machine through its
 * arguments; nothing is global, so many machines can live in one process.
 */
#ifndef TUXMM_MACHINE_H
#define TUXMM_MACHINE_H

#include <tuxmm/tuxmm.h>

#include "fault_inject.h"
#include "memblock.h"
#include "pgtable_types.h"
#include "sched.h"
#include "slab.h"
#include "swap.h"
#include "types.h"
#include "vmalloc.h"
#include "vmstat.h"

struct page;
struct pglist_data;

struct machine {
	struct tuxmm_config cfg;

	/* geometry */
	unsigned int page_shift;	/* log2 of the page size */
	unsigned long page_size;	/* bytes */
	unsigned int max_order;		/* MAX_PAGE_ORDER: 10 for 4 KiB, 11 for 16 KiB, 13 for 64 KiB */
	unsigned int nr_cpus;
	unsigned int cur_cpu;		/* the CPU whose per-CPU lists are used */

	/* physical memory */
	uint8_t *ram;			/* host mapping of [0, phys_size) */
	phys_addr_t phys_size;		/* bytes: up to the end of the highest RAM range */
	unsigned long max_pfn;		/* pages in [0, phys_size) */
	struct e820_table e820;
	struct memblock memblock;
	struct page *mem_map;		/* max_pfn struct pages, in simulated RAM */
	struct pglist_data *pgdat;	/* the only node, in simulated RAM */

	/* page allocator tunables and totals */
	unsigned long totalram_pages;		/* pages given to the buddy allocator */
	unsigned long totalreserve_pages;	/* high watermark + lowmem reserve, all zones */
	unsigned long min_free_kbytes;
	unsigned int watermark_scale_factor;	/* in 1/10000 of a zone */
	unsigned int lowmem_reserve_ratio[5];
	unsigned long percpu_bytes;		/* per-CPU data (Percpu in /proc/meminfo) */
	struct fault_attr fail_page_alloc;
	struct fault_attr failslab;
	struct fault_attr fail_file_read;	/* host file reads (page cache): fail with EIO */
	struct fault_attr fail_file_write;	/* host file writes (writeback): fail with EIO */
	struct fault_attr fail_file_short_write;	/* host file writes: only half is written */
	struct kmem_cache *radix_tree_node_cachep;	/* page-cache index nodes (filemap.c) */

	struct slab_globals slab;
	struct arch_mm arch;		/* page tables, kernel layout, MMUs and TLBs */
	struct vmap_state vmap;		/* the vmalloc area */
	struct swap_state swap;		/* swap areas */
	struct task_globals tasks;	/* tasks, address spaces, files, vm sysctls */

	unsigned long vm_events[NR_VM_EVENT_ITEMS];

	/* kernel log */
	char *log;
	size_t log_len, log_cap;
	unsigned long long clock_ns;	/* the machine's own clock: advances only by its steps */

	uint64_t rng;			/* PRNG state, seeded from cfg.seed */
};

#endif
