/*
 * e820.c - the firmware's physical memory map, as a PC BIOS hands it over.
 * Follows what QEMU/Firecracker-style firmware reports and Linux's
 * arch/x86/kernel/e820.c prints: RAM below 640 KiB, the legacy hole up to
 * 1 MiB, RAM up to 3 GiB, an MMIO hole below 4 GiB, the rest above 4 GiB.
 */
#include "memblock.h"

#define LOW_RAM_TOP   0x9fc00ULL	/* the EBDA starts here */
#define ONE_MB        0x100000ULL
#define LOWMEM_MAX    0xc0000000ULL	/* RAM above 3 GiB moves above 4 GiB */
#define PCI_HOLE_BASE 0xeec00000ULL
#define PCI_HOLE_END  0xfec00000ULL
#define FOUR_GB       0x100000000ULL

static void e820_add(struct e820_table *t, phys_addr_t start, phys_addr_t end,
		     enum e820_type type)
{
	if (end <= start || t->nr_entries >= E820_MAX_ENTRIES)
		return;
	t->entries[t->nr_entries].addr = start;
	t->entries[t->nr_entries].size = end - start;
	t->entries[t->nr_entries].type = type;
	t->nr_entries++;
}

void e820_build(struct e820_table *t, uint64_t ram_bytes)
{
	uint64_t low = ram_bytes < LOWMEM_MAX ? ram_bytes : LOWMEM_MAX;

	t->nr_entries = 0;
	e820_add(t, 0, LOW_RAM_TOP, E820_TYPE_RAM);
	e820_add(t, LOW_RAM_TOP, ONE_MB, E820_TYPE_RESERVED);
	e820_add(t, ONE_MB, low, E820_TYPE_RAM);
	e820_add(t, PCI_HOLE_BASE, PCI_HOLE_END, E820_TYPE_RESERVED);
	if (ram_bytes > LOWMEM_MAX)
		e820_add(t, FOUR_GB, FOUR_GB + (ram_bytes - LOWMEM_MAX), E820_TYPE_RAM);
}
