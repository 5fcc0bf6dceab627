/*
 * binfmt_internal.h - what binfmt_elf.c (the loader's steps) and binfmt_plan.c
 * (the plan's own address space, the stack image) share. Not for other files.
 */
#ifndef TUXMM_BINFMT_INTERNAL_H
#define TUXMM_BINFMT_INTERNAL_H

#include "binfmt.h"

#define MAX_ERRNO	4095UL

static inline unsigned long pagestart(const struct elf_plan *plan, unsigned long v)
{
	return v & ~(plan->params.page_size - 1);
}

static inline unsigned long pageoffset(const struct elf_plan *plan, unsigned long v)
{
	return v & (plan->params.page_size - 1);
}

static inline unsigned long pagealign(const struct elf_plan *plan, unsigned long v)
{
	return (v + plan->params.page_size - 1) & ~(plan->params.page_size - 1);
}

/* Linux's BAD_ADDR(): not a user address. */
static inline bool bad_addr(const struct elf_plan *plan, unsigned long x)
{
	return x >= plan->params.task_size;
}

/* Linux's IS_ERR_VALUE(): an address-or-errno that is an errno. */
static inline bool is_err_value(unsigned long x)
{
	return x >= (unsigned long)-MAX_ERRNO;
}

static inline bool is_pow2(unsigned long x)
{
	return x && !(x & (x - 1));
}

static inline void elf_put_le64(unsigned char *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

/* ---- binfmt_plan.c: the new address space as the plan builds it ---- */

/* elf_range_is_mapped - does any planned area meet [@start, @end)? */
bool elf_range_is_mapped(const struct elf_plan *plan, unsigned long start, unsigned long end);

/*
 * elf_get_unmapped_area - where a non-fixed mapping of @len bytes (file
 * offset @off for a @file mapping) goes in the plan's address space, as
 * Linux's __get_unmapped_area() decides. Address or -errno as unsigned long.
 */
unsigned long elf_get_unmapped_area(const struct elf_plan *plan, unsigned long addr,
				    unsigned long len, unsigned long off, bool file);

/* elf_unmap_range - MAP_FIXED's first step on [@start, @end): 0 or -ENOMEM (plan full). */
int elf_unmap_range(struct elf_plan *plan, unsigned long start, unsigned long end);

/* elf_add_map - append @m, whose range is free: 0 or -ENOMEM (plan full). */
int elf_add_map(struct elf_plan *plan, const struct elf_map *m);

/*
 * elf_plan_mmap - vm_mmap() of @len bytes of @image at file offset @off with
 * do_mmap()'s checks in its order; [addr, addr + @keep) stays mapped.
 * Address or -errno as unsigned long.
 */
unsigned long elf_plan_mmap(struct elf_plan *plan, enum elf_image_id image, int phdr,
			    unsigned long addr, unsigned long len, unsigned long keep,
			    unsigned long prot, unsigned long type, unsigned long off);

/* elf_plan_brk - vm_brk_flags(): anonymous rw(x) pages at [@addr, @addr + @len). 0 or -errno. */
int elf_plan_brk(struct elf_plan *plan, enum elf_image_id image, int phdr, unsigned long addr,
		 unsigned long len, bool exec);

#endif
