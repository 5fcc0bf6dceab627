/*
 * memblock.c - the boot-time allocator: which physical ranges are RAM, which
 * are taken before the buddy allocator exists, and the hand-over to it.
 * Follows Linux mm/memblock.c: sorted region arrays, top-down allocation.
 * Keeps: regions sorted by base, non-overlapping; unnamed neighbours merged.
 */
#include <errno.h>
#include <string.h>

#include "memblock.h"
#include "mm.h"

struct mem_range {
	phys_addr_t start, end;
};

static void memblock_insert(struct memblock_type *type, unsigned int idx, phys_addr_t base,
			    phys_addr_t size, const char *name)
{
	memmove(&type->regions[idx + 1], &type->regions[idx],
		(type->cnt - idx) * sizeof(type->regions[0]));
	type->regions[idx].base = base;
	type->regions[idx].size = size;
	memset(type->regions[idx].name, 0, MEMBLOCK_NAME_MAX);
	if (name)
		strncpy(type->regions[idx].name, name, MEMBLOCK_NAME_MAX - 1);
	type->cnt++;
}

/* Merge unnamed regions that touch, as memblock_merge_regions() does. */
static void memblock_merge(struct memblock_type *type)
{
	unsigned int i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *this = &type->regions[i], *next = this + 1;

		if (this->base + this->size != next->base || this->name[0] || next->name[0]) {
			i++;
			continue;
		}
		this->size += next->size;
		memmove(next, next + 1, (type->cnt - i - 2) * sizeof(*next));
		type->cnt--;
	}
}

static bool overlaps(phys_addr_t b1, phys_addr_t s1, phys_addr_t b2, phys_addr_t s2)
{
	return b1 < b2 + s2 && b2 < b1 + s1;
}

/* Add a range that overlaps nothing already in @type. */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			      const char *name)
{
	unsigned int i;

	if (!size)
		return 0;
	for (i = 0; i < type->cnt; i++) {
		if (overlaps(base, size, type->regions[i].base, type->regions[i].size))
			return -EBUSY;
		if (type->regions[i].base > base)
			break;
	}
	if (type->cnt >= MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	memblock_insert(type, i, base, size, name);
	memblock_merge(type);
	return 0;
}

int memblock_add(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&m->memblock.memory, base, size, NULL);
}

int memblock_reserve(struct machine *m, phys_addr_t base, phys_addr_t size, const char *name)
{
	return memblock_add_range(&m->memblock.reserved, base, size, name);
}

static bool type_covers(const struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

bool memblock_is_region_memory(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	return type_covers(&m->memblock.memory, base, size);
}

bool memblock_is_region_reserved(struct machine *m, phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *type = &m->memblock.reserved;

	for (unsigned int i = 0; i < type->cnt; i++)
		if (overlaps(base, size, type->regions[i].base, type->regions[i].size))
			return true;
	return false;
}

/*
 * free_ranges - memory minus reserved, ascending, into @out (at most @max).
 * Returns how many ranges there are.
 */
static unsigned int free_ranges(struct machine *m, struct mem_range *out, unsigned int max)
{
	const struct memblock_type *mem = &m->memblock.memory;
	const struct memblock_type *res = &m->memblock.reserved;
	unsigned int n = 0;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		phys_addr_t start = mem->regions[i].base;
		phys_addr_t end = start + mem->regions[i].size;

		for (unsigned int j = 0; j < res->cnt && start < end; j++) {
			phys_addr_t rs = res->regions[j].base;
			phys_addr_t re = rs + res->regions[j].size;

			if (re <= start || rs >= end)
				continue;
			if (rs > start && n < max)
				out[n++] = (struct mem_range){ start, rs };
			start = re > start ? re : start;
		}
		if (start < end && n < max)
			out[n++] = (struct mem_range){ start, end };
	}
	return n;
}

phys_addr_t memblock_phys_alloc(struct machine *m, phys_addr_t size, phys_addr_t align,
				phys_addr_t limit, const char *name)
{
	struct mem_range ranges[2 * MEMBLOCK_MAX_REGIONS];
	unsigned int n = free_ranges(m, ranges, ARRAY_SIZE(ranges));

	if (!size || !is_power_of_2(align))
		return 0;
	while (n--) {
		phys_addr_t end = ranges[n].end;
		phys_addr_t cand;

		if (limit && end > limit)
			end = limit;
		if (end < ranges[n].start + size)
			continue;
		cand = ALIGN_DOWN(end - size, align);
		if (cand < ranges[n].start)
			continue;
		if (memblock_reserve(m, cand, size, name))
			return 0;
		return cand;
	}
	return 0;
}

static phys_addr_t type_total(const struct memblock_type *type)
{
	phys_addr_t total = 0;

	for (unsigned int i = 0; i < type->cnt; i++)
		total += type->regions[i].size;
	return total;
}

phys_addr_t memblock_phys_mem_size(struct machine *m)
{
	return type_total(&m->memblock.memory);
}

phys_addr_t memblock_reserved_size(struct machine *m)
{
	return type_total(&m->memblock.reserved);
}

/* Free [start_pfn, end_pfn) in the largest aligned blocks that stay inside one zone. */
static unsigned long free_pfn_range(struct machine *m, unsigned long start_pfn,
				    unsigned long end_pfn)
{
	unsigned long pfn = start_pfn, freed = 0;

	while (pfn < end_pfn) {
		struct zone *zone = page_zone(m, pfn_to_page(m, pfn));
		unsigned long limit = end_pfn < zone_end_pfn(zone) ? end_pfn : zone_end_pfn(zone);
		unsigned int order = m->max_order;

		while (order && (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > limit))
			order--;
		__free_pages_core(m, pfn_to_page(m, pfn), order);
		pfn += 1UL << order;
		freed += 1UL << order;
	}
	return freed;
}

unsigned long memblock_free_all(struct machine *m)
{
	struct mem_range ranges[2 * MEMBLOCK_MAX_REGIONS];
	unsigned int n = free_ranges(m, ranges, ARRAY_SIZE(ranges));
	unsigned long freed = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned long start = (unsigned long)DIV_ROUND_UP(ranges[i].start, m->page_size);
		unsigned long end = (unsigned long)(ranges[i].end >> m->page_shift);

		if (start < end)
			freed += free_pfn_range(m, start, end);
	}
	m->memblock.done = true;
	return freed;
}
