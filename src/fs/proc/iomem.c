/*
 * iomem.c - /proc/iomem: the physical address map as resources, the e820
 * ranges at the top and the named boot-time reservations nested in RAM.
 * Follows Linux kernel/resource.c r_show() ("%*s%0*llx-%0*llx : %s").
 */
#include "machine.h"
#include "memblock.h"
#include "proc.h"
#include "report.h"

#define SYSTEM_ROM_START 0xf0000ULL
#define SYSTEM_ROM_END   0xfffffULL

static void r_show(struct report *r, int depth, phys_addr_t start, phys_addr_t end,
		   const char *name)
{
	report_printf(r, "%*s%08llx-%08llx : %s\n", depth * 2, "", (unsigned long long)start,
		      (unsigned long long)end, name);
}

void iomem_show(struct machine *m, struct report *r)
{
	const struct memblock_type *res = &m->memblock.reserved;

	/* Page 0 was taken out of the first RAM entry at boot. */
	r_show(r, 0, 0, 0xfff, "Reserved");
	for (unsigned int i = 0; i < m->e820.nr_entries; i++) {
		const struct e820_entry *e = &m->e820.entries[i];
		phys_addr_t start = e->addr, end = e->addr + e->size - 1;

		if (e->type != E820_TYPE_RAM) {
			r_show(r, 0, start, end, "Reserved");
			if (start <= SYSTEM_ROM_START && end >= SYSTEM_ROM_END)
				r_show(r, 1, SYSTEM_ROM_START, SYSTEM_ROM_END, "System ROM");
			continue;
		}
		r_show(r, 0, start, end, "System RAM");
		for (unsigned int j = 0; j < res->cnt; j++) {
			const struct memblock_region *reg = &res->regions[j];

			if (reg->name[0] && reg->base >= start && reg->base <= end)
				r_show(r, 1, reg->base, reg->base + reg->size - 1, reg->name);
		}
	}
}
