/*
 * frameinfo.c - what each page frame and swap slot holds, and the address-space layout, for
 * pictures and tools: the read-only counterpart of Linux's /proc/kpageflags and
 * /proc/kpagecount, decoded.
 * Keeps: reads only; never changes a page, a list or a counter.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <tuxmm/tuxmm.h>

#include "fs.h"
#include "host_file.h"
#include "machine.h"
#include "mm.h"
#include "rmap.h"
#include "slab.h"
#include "swap.h"
#include "vma.h"

static const char *const frame_kind_names[TUXMM_FRAME_NR_KINDS] = {
	[TUXMM_FRAME_HOLE] = "hole",
	[TUXMM_FRAME_RESERVED] = "reserved",
	[TUXMM_FRAME_FREE] = "free",
	[TUXMM_FRAME_PCP] = "pcp",
	[TUXMM_FRAME_PGTABLE] = "pgtable",
	[TUXMM_FRAME_SLAB] = "slab",
	[TUXMM_FRAME_VMALLOC] = "vmalloc",
	[TUXMM_FRAME_ANON] = "anon",
	[TUXMM_FRAME_FILE] = "file",
	[TUXMM_FRAME_KERNEL] = "kernel",
};

const char *tuxmm_frame_kind_name(int kind)
{
	if (kind < 0 || kind >= TUXMM_FRAME_NR_KINDS)
		return "?";
	return frame_kind_names[kind];
}

unsigned long tuxmm_max_pfn(const struct machine *m)
{
	return m->max_pfn;
}

static void set_name(struct tuxmm_frame_info *info, const char *name)
{
	size_t n = strlen(name);

	if (n >= sizeof(info->name))
		n = sizeof(info->name) - 1;
	memcpy(info->name, name, n);
	info->name[n] = '\0';
}

/* pfn_is_ram - @pfn lies in a usable firmware range (memblock.memory). */
static bool pfn_is_ram(const struct machine *m, unsigned long pfn)
{
	phys_addr_t pa = (phys_addr_t)pfn << m->page_shift;

	for (unsigned int i = 0; i < m->memblock.memory.cnt; i++) {
		const struct memblock_region *r = &m->memblock.memory.regions[i];

		if (pa >= r->base && pa < r->base + r->size)
			return true;
	}
	return false;
}

/*
 * free_block_head - the head of the buddy free block holding @pfn, or ULONG_MAX. A free
 * block of order o starts at a multiple of 2^o, so only max_order candidates exist.
 */
static unsigned long free_block_head(const struct machine *m, unsigned long pfn,
				     unsigned int *order)
{
	for (unsigned int o = 0; o <= m->max_order; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *page = pfn_to_page(m, head);

		if (PageBuddy(page) && page->private >= o &&
		    pfn < head + (1UL << page->private)) {
			*order = (unsigned int)page->private;
			return head;
		}
	}
	return ULONG_MAX;
}

/* reserved_name - what memblock reserved @pfn for: its region's name, or the boot's own use. */
static void reserved_name(const struct machine *m, unsigned long pfn,
			  struct tuxmm_frame_info *info)
{
	phys_addr_t pa = (phys_addr_t)pfn << m->page_shift;
	phys_addr_t map = __pa(m, m->mem_map);
	phys_addr_t map_end = map + (phys_addr_t)m->max_pfn * sizeof(struct page);

	if (m->tasks.zero_page && pfn_to_page(m, pfn) == m->tasks.zero_page) {
		set_name(info, "zero page");
		return;
	}
	for (unsigned int i = 0; i < m->memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &m->memblock.reserved.regions[i];

		if (pa >= r->base && pa < r->base + r->size && r->name[0]) {
			set_name(info, r->name);
			return;
		}
	}
	if (pa < (1UL << 20))
		set_name(info, "low 1 MiB");
	else if (pa + m->page_size > map && pa < map_end)
		set_name(info, "mem_map");
	else
		set_name(info, "memblock");
}

/* file_name - the page-cache page's file: its internal name or the host path's last part. */
static void file_name(struct machine *m, const struct page *page, struct tuxmm_frame_info *info)
{
	const struct address_space *mapping = page->mapping;
	const struct inode *inode = mapping ? mapping->host : NULL;
	const char *path, *slash;

	if (!inode)
		return;
	if (inode->i_name) {
		set_name(info, inode->i_name);
		return;
	}
	/* The inode keeps a descriptor, not a path: take the path a mapping opened. */
	path = NULL;
	if (!list_empty(&mapping->i_mmap)) {
		const struct vm_area_struct *vma =
			list_first_entry(&mapping->i_mmap, struct vm_area_struct, shared);

		if (vma->vm_file && vma->vm_file->f_path >= 0)
			path = host_file_path(m, vma->vm_file->f_path);
	}
	if (!path)
		return;
	slash = strrchr(path, '/');
	set_name(info, slash && slash[1] ? slash + 1 : path);
}

int tuxmm_frame_info(struct machine *m, unsigned long pfn, struct tuxmm_frame_info *info)
{
	struct page *page, *head;
	unsigned int order;
	unsigned long fh;

	if (!pfn_valid(m, pfn))
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->head_pfn = pfn;
	info->zone = -1;
	if (!pfn_is_ram(m, pfn)) {
		info->kind = TUXMM_FRAME_HOLE;
		set_name(info, "Reserved");	/* as /proc/iomem names what is not RAM */
		return 0;
	}
	page = pfn_to_page(m, pfn);
	info->zone = (int)page_zonenum(page);
	if (PageReserved(page)) {
		info->kind = TUXMM_FRAME_RESERVED;
		reserved_name(m, pfn, info);
		return 0;
	}
	fh = free_block_head(m, pfn, &order);
	if (fh != ULONG_MAX) {
		info->kind = TUXMM_FRAME_FREE;
		info->head_pfn = fh;
		info->order = order;
		return 0;
	}
	if (PageFlag(page, PG_pcp)) {
		info->kind = TUXMM_FRAME_PCP;
		return 0;
	}
	head = compound_head(page);
	info->head_pfn = page_to_pfn(m, head);
	info->order = compound_order(head);
	info->refcount = page_ref_count(head);
	info->mapcount = page_mapcount(page);
	info->dirty = PageFlag(head, PG_dirty);
	info->lru = PageFlag(head, PG_lru);
	info->active = PageFlag(head, PG_active);
	info->swapcache = PageFlag(head, PG_swapcache);
	info->mlocked = PageFlag(head, PG_mlocked);
	if (PageFlag(page, PG_pgtable)) {
		static const char *const level[PT_NR_LEVELS] = { "PTE", "PMD", "PUD", "P4D",
								  "PGD" };

		info->kind = TUXMM_FRAME_PGTABLE;
		if (page->index < PT_NR_LEVELS)
			set_name(info, level[page->index]);
	} else if (PageSlab(head)) {
		info->kind = TUXMM_FRAME_SLAB;
		set_name(info, kmem_cache_name(head->slab_cache));
	} else if (PageFlag(head, PG_vmalloc)) {
		info->kind = TUXMM_FRAME_VMALLOC;
	} else if (PageAnon(head)) {
		info->kind = TUXMM_FRAME_ANON;
	} else if (head->mapping) {
		info->kind = TUXMM_FRAME_FILE;
		file_name(m, head, info);
	} else {
		info->kind = TUXMM_FRAME_KERNEL;
	}
	return 0;
}

/* ---- the address-space layout ---- */

void tuxmm_vm_layout(const struct machine *m, struct tuxmm_vm_layout *out)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	const struct kernel_layout *l = &m->arch.layout;

	memset(out, 0, sizeof(*out));
	out->name = g->layout_name;
	out->va_bits = g->va_bits;
	out->page_shift = g->page_shift;
	out->levels = g->levels;
	for (unsigned int i = 0; i < g->levels && i < 5; i++) {
		out->level[i].name = g->hw[i].name;
		out->level[i].shift = g->hw[i].shift;
		out->level[i].ptrs = g->hw[i].ptrs;
	}
	out->task_size = l->task_size;
	out->page_offset = l->page_offset;
	out->direct_map_bytes = l->direct_map_bytes;
	out->vmalloc_start = l->vmalloc_start;
	out->vmalloc_end = l->vmalloc_end;
}

/* ---- swap areas ---- */

static struct swap_info_struct *swap_area(struct machine *m, unsigned int type)
{
	struct swap_info_struct *si;

	if (type >= MAX_SWAPFILES)
		return NULL;
	si = m->swap.swap_info[type];
	return si && (si->flags & SWP_USED) ? si : NULL;
}

int tuxmm_swap_area(struct machine *m, unsigned int type, struct tuxmm_swap_area_info *info)
{
	struct swap_info_struct *si = swap_area(m, type);

	if (!si)
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	info->path = host_file_path(m, si->host);
	info->prio = si->prio;
	info->nr_slots = si->max;
	info->nr_usable = si->pages;
	info->nr_inuse = si->inuse_pages;
	info->writeok = si->flags & SWP_WRITEOK;
	return 0;
}

long tuxmm_swap_slots(struct machine *m, unsigned int type, unsigned long start,
		      unsigned char *out, size_t n)
{
	struct swap_info_struct *si = swap_area(m, type);
	size_t avail;

	if (!si)
		return -ENOENT;
	if (start >= si->max)
		return 0;
	avail = si->max - start;
	if (n > avail)
		n = avail;
	memcpy(out, si->swap_map + start, n);
	return (long)n;
}
