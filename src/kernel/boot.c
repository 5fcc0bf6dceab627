/*
 * boot.c - bring a machine up from its configuration, in the order Linux's
 * setup_arch() and mm_core_init() do: firmware map, memblock, boot-time
 * reservations, the struct page array, zones, the buddy allocator, watermarks,
 * then the slab allocator. Every step logs what Linux logs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "host_file.h"
#include "memblock.h"
#include "mm.h"
#include "pgtable.h"
#include "policy.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "swap.h"

int zone_pcp_alloc(struct machine *m);

#define ERR(err, ...) (snprintf((err), TUXMM_ERRMSG_MAX, __VA_ARGS__), -EINVAL)

void tuxmm_config_init(struct tuxmm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_bytes = 64ULL << 20;
	cfg->nr_cpus = 1;
	cfg->pgtable_levels = 4;
	cfg->page_shift = 12;
	cfg->seed = 1;
}

static int check_config(const struct tuxmm_config *cfg, char *err)
{
	if (cfg->ram_bytes < TUXMM_RAM_MIN || cfg->ram_bytes > TUXMM_RAM_MAX)
		return ERR(err, "RAM size %llu bytes is out of range: give 4M to 1T",
			   (unsigned long long)cfg->ram_bytes);
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > TUXMM_MAX_CPUS)
		return ERR(err, "%u CPUs is out of range: give 1 to %d", cfg->nr_cpus,
			   TUXMM_MAX_CPUS);
	if (cfg->page_shift != 12 && cfg->page_shift != 14 && cfg->page_shift != 16)
		return ERR(err, "page size 2^%u is not supported: give 4K, 16K or 64K",
			   cfg->page_shift);
	if (cfg->pgtable_levels < 2 || cfg->pgtable_levels > 5)
		return ERR(err, "%u page-table levels is not supported: give 2, 3, 4 or 5",
			   cfg->pgtable_levels);
	if (arch_check_config(cfg, err))
		return -EINVAL;
	if (mpolicy_check(cfg->policy, err))
		return -EINVAL;
	if (cfg->nr_reserve > TUXMM_MAX_RESERVE)
		return ERR(err, "too many reservations: at most %d", TUXMM_MAX_RESERVE);
	for (unsigned int i = 0; i < cfg->nr_reserve; i++) {
		const struct tuxmm_reservation *r = &cfg->reserve[i];

		if (!r->name[0] || memchr(r->name, '\0', TUXMM_NAME_MAX) == NULL)
			return ERR(err, "reservation %u has no name", i + 1);
		if (!r->size_bytes)
			return ERR(err, "reservation %s has size 0", r->name);
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(cfg->reserve[j].name, r->name))
				return ERR(err, "reservation name %s is used twice", r->name);
	}
	return 0;
}

static void e820_print(struct machine *m)
{
	printk(m, "BIOS-provided physical RAM map:");
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];

		printk(m, "BIOS-e820: [mem 0x%016llx-0x%016llx] %s", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->size - 1),
		       e->type == E820_TYPE_RAM ? "usable" : "reserved");
	}
}

/*
 * The first 4 KiB hold the BIOS data area (on x86, whatever the page size):
 * Linux takes them out of usable RAM first.
 */
static void e820_trim_page0(struct machine *m)
{
	struct e820_entry *first = &m->e820.entries[0];

	printk(m, "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved");
	first->addr = 0x1000;
	first->size -= 0x1000;
}

static int memblock_setup(struct machine *m, char *err)
{
	phys_addr_t top = 0;

	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		phys_addr_t start, end;

		if (e->type != E820_TYPE_RAM)
			continue;
		start = ALIGN_UP(e->addr, (phys_addr_t)m->page_size);
		end = ALIGN_DOWN(e->addr + e->size, (phys_addr_t)m->page_size);
		if (end > start && memblock_add(m, start, end - start))
			return ERR(err, "firmware map has too many ranges");
		if (end > top)
			top = end;
	}
	m->phys_size = top;
	m->max_pfn = (unsigned long)(top >> m->page_shift);
	printk(m, "last_pfn = %#lx max_arch_pfn = 0x400000000", m->max_pfn);
	/* Linux keeps the first 1 MiB away from the page allocator (BIOS, real mode). */
	memblock_reserve(m, 0, SZ_1M, NULL);
	return 0;
}

static int reserve_user_areas(struct machine *m, char *err)
{
	for (unsigned int i = 0; i < m->cfg.nr_reserve; i++) {
		const struct tuxmm_reservation *r = &m->cfg.reserve[i];
		phys_addr_t base = r->addr, size = r->size_bytes;

		if (r->fixed) {
			if (base + size < base || !memblock_is_region_memory(m, base, size))
				return ERR(err, "reservation %s [mem %#llx-%#llx] is not inside usable RAM",
					   r->name, (unsigned long long)base,
					   (unsigned long long)(base + size - 1));
			if (memblock_is_region_reserved(m, base, size))
				return ERR(err, "reservation %s [mem %#llx-%#llx] overlaps memory already reserved",
					   r->name, (unsigned long long)base,
					   (unsigned long long)(base + size - 1));
			if (memblock_reserve(m, base, size, r->name))
				return ERR(err, "too many reservations");
		} else {
			base = memblock_phys_alloc(m, size, m->page_size, 0, r->name);
			if (!base)
				return ERR(err, "reservation %s of %llu bytes does not fit in free RAM",
					   r->name, (unsigned long long)size);
		}
		printk(m, "memblock: reserved %s [mem 0x%016llx-0x%016llx] (%llu KiB)", r->name,
		       (unsigned long long)base, (unsigned long long)(base + size - 1),
		       (unsigned long long)(size >> 10));
	}
	return 0;
}

static void print_zones(struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;
	struct zone *zone;

	printk(m, "Zone ranges:");
	for_each_zone(m, zone) {
		if (zone_idx(zone) > ZONE_NORMAL)
			break;
		if (!zone->spanned_pages) {
			printk(m, "  %-8s empty", zone->name);
			continue;
		}
		printk(m, "  %-8s [mem 0x%016llx-0x%016llx]", zone->name,
		       (unsigned long long)zone->zone_start_pfn << m->page_shift,
		       ((unsigned long long)zone_end_pfn(zone) << m->page_shift) - 1);
	}
	printk(m, "Movable zone start for each node");
	printk(m, "Early memory node ranges");
	for (unsigned int i = 0; i < mem->cnt; i++)
		printk(m, "  node   0: [mem 0x%016llx-0x%016llx]",
		       (unsigned long long)mem->regions[i].base,
		       (unsigned long long)(mem->regions[i].base + mem->regions[i].size - 1));
	printk(m, "Initmem setup node 0 [mem 0x%016llx-0x%016llx]",
	       (unsigned long long)m->pgdat->node_start_pfn << m->page_shift,
	       ((unsigned long long)m->max_pfn << m->page_shift) - 1);
}

static void print_memory(struct machine *m)
{
	unsigned long physpages = m->pgdat->node_present_pages;
	unsigned int kshift = m->page_shift - 10;

	printk(m, "Built 1 zonelists, mobility grouping off.  Total pages: %lu", physpages);
	printk(m, "Memory: %luK/%luK available (0K kernel code, 0K rwdata, 0K rodata, 0K init, "
		  "0K bss, %luK reserved, 0K cma-reserved)",
	       nr_free_pages(m) << kshift, physpages << kshift,
	       (physpages - m->totalram_pages) << kshift);
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int tuxmm_boot(const struct tuxmm_config *cfg, struct machine **out, char *err)
{
	struct machine *m;
	int ret;

	*out = NULL;
	ret = check_config(cfg, err);
	if (ret)
		return ret;
	m = host_zalloc(sizeof(*m));
	if (!m) {
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory for the machine");
		return -ENOMEM;
	}
	m->cfg = *cfg;
	m->page_shift = cfg->page_shift;
	m->page_size = 1UL << cfg->page_shift;
	m->max_order = cfg->page_shift == 12 ? 10 : cfg->page_shift == 14 ? 11 : 13;
	m->nr_cpus = cfg->nr_cpus;
	m->min_free_kbytes = cfg->min_free_kbytes;
	m->watermark_scale_factor = 10;
	m->lowmem_reserve_ratio[ZONE_DMA] = 256;
	m->lowmem_reserve_ratio[ZONE_DMA32] = 256;
	m->lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	m->swap.least_priority = -1;	/* the first default priority is -2, as in Linux */
	m->rng = cfg->seed;
	splitmix64(&m->rng);

	printk(m, "Linux version 6.18.0-tuxmm-%s (tuxmm simulated x86-64, %lu KiB pages, "
		  "%u-level page tables)",
	       tuxmm_version(), m->page_size >> 10, cfg->pgtable_levels);
	e820_build(&m->e820, cfg->ram_bytes);
	e820_print(m);
	e820_trim_page0(m);
	ret = memblock_setup(m, err);
	if (ret)
		goto out_free;
	m->ram = host_map_ram((size_t)m->phys_size);
	if (!m->ram) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "the host refused a %llu MiB mapping for simulated RAM",
			 (unsigned long long)(m->phys_size >> 20));
		ret = -ENOMEM;
		goto out_free;
	}
	ret = reserve_user_areas(m, err);
	if (ret)
		goto out_unmap;
	ret = free_area_init(m);
	if (!ret)
		ret = zone_pcp_alloc(m);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "not enough RAM left for the kernel's page array after the reservations");
		goto out_unmap;
	}
	print_zones(m);
	memblock_free_all(m);
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
	zone_pcp_init(m);
	print_memory(m);
	ret = slab_init(m);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "not enough RAM to start the slab allocator");
		goto out_unmap;
	}
	ret = kernel_vm_init(m, err);
	if (ret)
		goto out_unmap;
	ret = vmalloc_init(m);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "not enough RAM to start vmalloc");
		goto out_arch;
	}
	ret = proc_caches_init(m);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "not enough RAM for the task and file caches");
		goto out_arch;
	}
	ret = mpolicy_setup(m, cfg->policy, err);
	if (ret)
		goto out_arch;
	m->cfg.policy = mpolicy_name(m);	/* the caller's string may not live as long */
	*out = m;
	return 0;

out_arch:
	arch_mm_destroy(m);
out_unmap:
	host_unmap_ram(m->ram, (size_t)m->phys_size);
out_free:
	host_free(m->log);
	host_free(m);
	return ret;
}

void tuxmm_machine_destroy(struct machine *m)
{
	if (!m)
		return;
	exit_all_tasks(m);
	swapoff_all(m);
	host_files_destroy(m);
	arch_mm_destroy(m);
	mpolicy_destroy(m);
	host_unmap_ram(m->ram, (size_t)m->phys_size);
	host_free(m->log);
	host_free(m);
}
