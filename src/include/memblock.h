/*
 * memblock.h - the firmware memory map (e820) and the boot-time allocator.
 * Follows Linux arch/x86/kernel/e820.c and mm/memblock.c.
 */
#ifndef TUXMM_MEMBLOCK_H
#define TUXMM_MEMBLOCK_H

#include "types.h"

#define E820_MAX_ENTRIES   32
#define MEMBLOCK_MAX_REGIONS 128
#define MEMBLOCK_NAME_MAX  32

enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
};

struct e820_entry {
	phys_addr_t addr;
	phys_addr_t size;
	enum e820_type type;
};

struct e820_table {
	unsigned int nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	char name[MEMBLOCK_NAME_MAX];	/* for /proc/iomem; "" when unnamed */
};

struct memblock_type {
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;	/* usable RAM */
	struct memblock_type reserved;	/* taken before the buddy allocator ran */
	bool done;			/* handed to the buddy allocator */
};

struct machine;

/* e820_build - the firmware map of a PC with @ram_bytes of RAM (holes below 1 MiB and 4 GiB). */
void e820_build(struct e820_table *t, uint64_t ram_bytes);

int memblock_add(struct machine *m, phys_addr_t base, phys_addr_t size);
int memblock_reserve(struct machine *m, phys_addr_t base, phys_addr_t size, const char *name);
bool memblock_is_region_reserved(struct machine *m, phys_addr_t base, phys_addr_t size);
bool memblock_is_region_memory(struct machine *m, phys_addr_t base, phys_addr_t size);

/*
 * memblock_phys_alloc - @size bytes aligned to @align, top-down below @limit
 * (0: anywhere), as Linux's memblock allocates. Returns the physical address
 * or 0 when nothing fits.
 */
phys_addr_t memblock_phys_alloc(struct machine *m, phys_addr_t size, phys_addr_t align,
				phys_addr_t limit, const char *name);

phys_addr_t memblock_phys_mem_size(struct machine *m);
phys_addr_t memblock_reserved_size(struct machine *m);

/* memblock_free_all - release every unreserved page to the buddy allocator. */
unsigned long memblock_free_all(struct machine *m);

#endif
