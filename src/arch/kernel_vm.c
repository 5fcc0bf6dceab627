/*
 * kernel_vm.c - the kernel half of every address space: the layout for the
 * configured tree (x86-64 4/5-level, arm64 39/36/42-bit, i386), swapper_pg_dir
 * and the direct map of all RAM with the largest leaves that fit.
 * Follows Linux arch/x86/mm/init.c (init_memory_mapping, split_mem_range),
 * arch/x86/include/asm/pgtable_64_types.h and arch/arm64/include/asm/memory.h.
 * Keeps: the direct map covers [0, 1 MiB) and every RAM range at PAGE_OFFSET +
 * physical address, supervisor-only and no-execute; its tables are boot tables.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "memblock.h"
#include "mm.h"
#include "pgtable.h"
#include "printk.h"
#include "report.h"
#include "tlb.h"

#define ISA_END_ADDRESS   0x100000UL
#define VMALLOC_OFFSET_32 (8UL << 20)		/* i386: gap between lowmem and vmalloc */
#define VMALLOC_RESERVE_32 (128UL << 20)	/* i386: __VMALLOC_RESERVE */
#define VMALLOC_END_32    0xff7fe000UL		/* i386: PKMAP_BASE - 2 pages */

/*
 * kernel_layout_init - Linux's kernel addresses for a tree of @g->va_bits bits
 * on a machine whose RAM ends at @phys_top.
 */
static void kernel_layout_init(struct kernel_layout *l, const struct pgtable_geometry *g,
			       phys_addr_t phys_top)
{
	unsigned long page_size = 1UL << g->page_shift;

	memset(l, 0, sizeof(*l));
	switch (g->va_bits) {
	case 32:
		/* i386, 3G/1G split, no highmem: lowmem ends where vmalloc needs its 128 MiB. */
		l->page_offset = 0xc0000000UL;
		l->task_size = l->page_offset;
		l->direct_map_bytes = VMALLOC_END_32 - l->page_offset - VMALLOC_RESERVE_32;
		l->vmalloc_end = VMALLOC_END_32;
		l->vmalloc_start = (l->page_offset + (unsigned long)phys_top + VMALLOC_OFFSET_32) &
				   ~(VMALLOC_OFFSET_32 - 1);
		l->vmalloc_total = l->vmalloc_end - l->vmalloc_start;
		break;
	case 48:
		/* x86-64 4-level, without KASLR (Documentation/arch/x86/x86_64/mm.rst). */
		l->task_size = (1UL << 47) - page_size;
		l->page_offset = 0xffff888000000000UL;
		l->direct_map_bytes = 1UL << 46;		/* 64 TiB */
		l->vmalloc_start = 0xffffc90000000000UL;
		l->vmalloc_end = l->vmalloc_start + (32UL << 40) - 1;
		l->vmalloc_total = l->vmalloc_end - l->vmalloc_start;
		l->vmemmap_start = 0xffffea0000000000UL;
		break;
	case 57:
		/* x86-64 5-level. */
		l->task_size = (1UL << 56) - page_size;
		l->page_offset = 0xff11000000000000UL;
		l->direct_map_bytes = 1UL << 52;		/* 4 PiB */
		l->vmalloc_start = 0xffa0000000000000UL;
		l->vmalloc_end = l->vmalloc_start + (12800UL << 40) - 1;
		l->vmalloc_total = l->vmalloc_end - l->vmalloc_start;
		l->vmemmap_start = 0xffd4000000000000UL;
		break;
	default: {
		/*
		 * arm64 with VA_BITS = va_bits - 1 (one tree holds TTBR0's and
		 * TTBR1's halves): linear map in the lower half of the kernel's
		 * space, 2 GiB of modules, vmalloc up to 8 MiB below vmemmap.
		 */
		unsigned int va = g->va_bits - 1;
		unsigned long page_end = -(1UL << (va - 1));
		unsigned long vmemmap_end = -(1UL << 30);
		unsigned long vmemmap_size;

		l->task_size = 1UL << va;
		l->page_offset = -(1UL << va);
		l->direct_map_bytes = page_end - l->page_offset;
		vmemmap_size = (l->direct_map_bytes >> g->page_shift) * 64;
		l->vmemmap_start = vmemmap_end - vmemmap_size;
		l->vmalloc_start = page_end + (2UL << 30);
		l->vmalloc_end = l->vmemmap_start - (8UL << 20);
		l->vmalloc_total = l->vmalloc_end - l->vmalloc_start;
		break;
	}
	}
	l->kernel_pgd_boundary = (l->page_offset >> g->hw[0].shift) & (g->hw[0].ptrs - 1);
	l->high_memory = l->page_offset + (unsigned long)phys_top;
}

/* The end of the highest RAM range in the firmware map for @ram_bytes, page-aligned. */
static phys_addr_t ram_top(uint64_t ram_bytes, unsigned int page_shift)
{
	struct e820_table t;
	phys_addr_t top = 0;

	e820_build(&t, ram_bytes);
	for (unsigned int i = 0; i < t.nr_entries; i++) {
		phys_addr_t end = ALIGN_DOWN(t.entries[i].addr + t.entries[i].size,
					     (phys_addr_t)1 << page_shift);

		if (t.entries[i].type == E820_TYPE_RAM && end > top)
			top = end;
	}
	return top;
}

int arch_check_config(const struct tuxmm_config *cfg, char *err)
{
	struct pgtable_geometry geo;
	struct kernel_layout layout;
	unsigned int entries = cfg->tlb_entries, ways = cfg->tlb_ways;
	phys_addr_t top;
	int ret;

	ret = pgtable_geometry_init(&geo, cfg->pgtable_levels, cfg->page_shift, err);
	if (ret)
		return ret;
	top = ram_top(cfg->ram_bytes, cfg->page_shift);
	kernel_layout_init(&layout, &geo, top);
	if (top > layout.direct_map_bytes) {
		snprintf(err, TUXMM_ERRMSG_MAX,
			 "%s maps at most %lu MiB of RAM in its direct map (lowmem), and RAM "
			 "ends at %llu MiB: give less RAM or more page-table levels",
			 geo.layout_name, layout.direct_map_bytes >> 20,
			 (unsigned long long)(top >> 20));
		return -EINVAL;
	}
	if (entries || ways) {
		if (!entries || !ways || entries % ways || !is_power_of_2(entries / ways) ||
		    ways > 64 || entries > 65536) {
			snprintf(err, TUXMM_ERRMSG_MAX,
				 "a TLB of %u entries and %u ways is not supported: entries must "
				 "be ways times a power of two (e.g. 1536 and 12, 64 and 4), at "
				 "most 65536 entries and 64 ways", entries, ways);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- the direct map ---- */

static int map_direct_range(struct machine *m, phys_addr_t start, phys_addr_t end)
{
	unsigned long max_leaf = start < ISA_END_ADDRESS ? m->page_size : SZ_1G;

	printk(m, "init_memory_mapping: [mem 0x%08llx-0x%08llx]", (unsigned long long)start,
	       (unsigned long long)(end - 1));
	return pgtable_map_range(m, &m->arch.init_mm, phys_to_kva(m, start), start, end - start,
				 PAGE_KERNEL, max_leaf);
}

/*
 * init_mem_mapping - map [0, 1 MiB) first (the ISA range, holes included,
 * with base pages as Linux does), then every RAM range above it, merged
 * where they touch, with the largest leaves alignment allows.
 */
static int init_mem_mapping(struct machine *m)
{
	const struct memblock_type *mem = &m->memblock.memory;
	phys_addr_t start = 0, end = 0;
	int ret;

	ret = map_direct_range(m, 0, ISA_END_ADDRESS);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < mem->cnt; i++) {
		phys_addr_t s = mem->regions[i].base, e = s + mem->regions[i].size;

		if (e <= ISA_END_ADDRESS)
			continue;
		if (s < ISA_END_ADDRESS)
			s = ISA_END_ADDRESS;
		if (s == end) {
			end = e;
			continue;
		}
		if (end > start) {
			ret = map_direct_range(m, start, end);
			if (ret)
				return ret;
		}
		start = s;
		end = e;
	}
	return end > start ? map_direct_range(m, start, end) : 0;
}

void direct_map_sizes_kb(struct machine *m, unsigned long *kb4k, unsigned long *kb2m,
			 unsigned long *kb1g)
{
	const struct pgtable_geometry *g = &m->arch.geo;

	*kb4k = m->arch.direct_pages[DM_BASE] << (g->page_shift - 10);
	*kb2m = m->arch.direct_pages[DM_PMD] << (g->shift[PT_PMD] - 10);
	*kb1g = m->arch.direct_pages[DM_PUD] << (g->shift[PT_PUD] - 10);
}

/* Is there a 1 GiB leaf level (x86-64's gbpages)? */
static bool have_gbpages(const struct pgtable_geometry *g)
{
	for (unsigned int i = 0; i + 1 < g->levels; i++)
		if (g->hw[i].leaf_ok && g->hw[i].shift == 30)
			return true;
	return false;
}

int kernel_vm_init(struct machine *m, char *err)
{
	struct arch_mm *a = &m->arch;
	struct pgd_root *k = &a->init_mm;
	int ret;

	ret = pgtable_geometry_init(&a->geo, m->cfg.pgtable_levels, m->page_shift, err);
	if (ret)
		return ret;
	kernel_layout_init(&a->layout, &a->geo, m->phys_size);
	INIT_LIST_HEAD(&a->pgd_list);
	a->smep = a->smap = true;
	a->tlb_flush_ceiling = TLB_FLUSH_CEILING;
	ret = tlb_init(m);
	if (ret) {
		snprintf(err, TUXMM_ERRMSG_MAX, "out of host memory for the CPUs' TLBs");
		return ret;
	}

	a->booting = true;
	memset(k, 0, sizeof(*k));
	k->kernel = true;
	INIT_LIST_HEAD(&k->pgd_list);
	k->pgd = pt_alloc_table(m, k, a->geo.pgd_order, PT_PGD);
	if (!k->pgd)
		goto out_nomem;
	k->pgd_phys = __pa(m, k->pgd);
	if (have_gbpages(&a->geo) && a->geo.sign_extend && a->geo.va_bits >= 48)
		printk(m, "Using GB pages for direct mapping");
	if (init_mem_mapping(m))
		goto out_nomem;
	pgtable_count_leaves(m, k->pgd, a->layout.page_offset,
			     a->layout.page_offset + (unsigned long)m->phys_size, a->direct_pages);
	a->booting = false;
	for (unsigned int cpu = 0; cpu < m->nr_cpus; cpu++)
		switch_mm(m, cpu, k);
	return 0;

out_nomem:
	a->booting = false;
	snprintf(err, TUXMM_ERRMSG_MAX, "not enough RAM for the kernel's page tables");
	tlb_destroy(m);
	return -ENOMEM;
}

void arch_mm_destroy(struct machine *m)
{
	tlb_destroy(m);
}

int tuxmm_pgtable_walk(struct machine *m, uint64_t addr, char **text, size_t *len)
{
	struct report r;

	*text = NULL;
	if (len)
		*len = 0;
	report_init(&r);
	pgtable_walk_show(m, m->arch.init_mm.pgd, (unsigned long)addr, &r);
	return report_take(&r, text, len);
}
