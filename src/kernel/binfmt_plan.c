/*
 * binfmt_plan.c - the address space an exec plan builds, as the new mm would:
 * placement like get_unmapped_area(), MAP_FIXED replacement, the brk-style
 * bss areas; and the initial stack's bytes, the default parameters, files in memory.
 * Follows Linux mm/mmap.c, arch/x86/kernel/sys_x86_64.c and mm/huge_memory.c.
 * Keeps: planned areas page-aligned and disjoint, in the order they were created.
 */
#include <errno.h>
#include <string.h>

#include "binfmt_internal.h"
#include "mman.h"

#define SZ_128M		(128UL << 20)

/* map_start_gap - where @m's claim begins: a stack keeps the guard gap free below it. */
static unsigned long map_start_gap(const struct elf_plan *plan, const struct elf_map *m)
{
	unsigned long gap = plan->params.stack_guard_gap;

	if (m->kind != ELF_MAP_STACK)
		return m->start;
	return m->start > gap ? m->start - gap : 0;
}

/* find_map - the first area ending above @addr (Linux's find_vma()), or NULL. */
static const struct elf_map *find_map(const struct elf_plan *plan, unsigned long addr)
{
	const struct elf_map *best = NULL;

	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *m = &plan->maps[i];

		if (m->end > addr && (!best || m->start < best->start))
			best = m;
	}
	return best;
}

bool elf_range_is_mapped(const struct elf_plan *plan, unsigned long start, unsigned long end)
{
	for (unsigned int i = 0; i < plan->nr_maps; i++)
		if (plan->maps[i].start < end && plan->maps[i].end > start)
			return true;
	return false;
}

/* hint_fits - @addr is free for @len bytes up to the next area's claim. */
static bool hint_fits(const struct elf_plan *plan, unsigned long addr, unsigned long len)
{
	const struct elf_map *next = find_map(plan, addr);

	return !next || addr + len <= map_start_gap(plan, next);
}

/* unmapped_area_topdown - the highest @len-byte gap in [@low, @high), or -ENOMEM. */
static unsigned long unmapped_area_topdown(const struct elf_plan *plan, unsigned long len,
					   unsigned long low, unsigned long high)
{
	unsigned long end = high;

	for (;;) {
		unsigned long start, lowest = end;
		bool hit = false;

		if (end < len || end - len < low)
			return (unsigned long)-ENOMEM;
		start = end - len;
		for (unsigned int i = 0; i < plan->nr_maps; i++) {
			const struct elf_map *m = &plan->maps[i];
			unsigned long claim = map_start_gap(plan, m);

			if (claim < end && m->end > start) {
				hit = true;
				if (claim < lowest)
					lowest = claim;
			}
		}
		if (!hit)
			return start;
		end = lowest;
	}
}

/* unmapped_area - the lowest @len-byte gap in [@low, @high), or -ENOMEM. */
static unsigned long unmapped_area(const struct elf_plan *plan, unsigned long len,
				   unsigned long low, unsigned long high)
{
	unsigned long start = low;

	for (;;) {
		unsigned long highest = start;
		bool hit = false;

		if (start > high || high - start < len)
			return (unsigned long)-ENOMEM;
		for (unsigned int i = 0; i < plan->nr_maps; i++) {
			const struct elf_map *m = &plan->maps[i];

			if (map_start_gap(plan, m) < start + len && m->end > start) {
				hit = true;
				if (m->end > highest)
					highest = m->end;
			}
		}
		if (!hit)
			return start;
		start = highest;
	}
}

/* arch_get_unmapped_area - x86-64's bottom-up placement from the legacy base. */
static unsigned long arch_get_unmapped_area(const struct elf_plan *plan, unsigned long addr,
					    unsigned long len)
{
	const struct elf_params *pp = &plan->params;
	unsigned long end = pp->map_window;

	if (len > end)
		return (unsigned long)-ENOMEM;
	if (addr) {
		addr = pagealign(plan, addr);
		if (end - len >= addr && hint_fits(plan, addr, len))
			return addr;
	}
	return unmapped_area(plan, len, pp->mmap_legacy_base, end);
}

/*
 * arch_get_unmapped_area_topdown - x86-64's placement: the hint if it is
 * free, else the highest gap below mmap_base, else bottom-up.
 */
static unsigned long arch_get_unmapped_area_topdown(const struct elf_plan *plan,
						    unsigned long addr, unsigned long len)
{
	const struct elf_params *pp = &plan->params;
	unsigned long ret;

	if (len > pp->task_size)
		return (unsigned long)-ENOMEM;
	if (addr) {
		addr = pagestart(plan, addr);
		/* mmap_address_hint_valid() */
		if (pp->task_size - len >= addr &&
		    (addr > pp->map_window) == (addr + len > pp->map_window) &&
		    hint_fits(plan, addr, len))
			return addr;
	}
	ret = unmapped_area_topdown(plan, len, pp->page_size, pp->mmap_base);
	if (!is_err_value(ret))
		return ret;
	return arch_get_unmapped_area(plan, addr, len);
}

static unsigned long mm_get_unmapped_area(const struct elf_plan *plan, unsigned long addr,
					  unsigned long len)
{
	if (plan->params.mmap_topdown)
		return arch_get_unmapped_area_topdown(plan, addr, len);
	return arch_get_unmapped_area(plan, addr, len);
}

/*
 * thp_get_unmapped_area - Linux's __thp_get_unmapped_area() for file
 * mappings: a mapping covering a whole PMD of the file is placed so that
 * file and address agree modulo the PMD size. 0 when it does not apply.
 */
static unsigned long thp_get_unmapped_area(const struct elf_plan *plan, unsigned long addr,
					   unsigned long len, unsigned long off)
{
	unsigned long size = plan->params.pmd_size, off_end = off + len, off_align, len_pad;
	unsigned long ret, off_sub;

	if (!plan->params.thp_file_align || !is_pow2(size))
		return 0;
	off_align = (off + size - 1) & ~(size - 1);
	if (off_align < off || off_end <= off_align || off_end - off_align < size)
		return 0;
	len_pad = len + size;
	if (len_pad < len || off + len_pad < off)
		return 0;
	ret = mm_get_unmapped_area(plan, addr, len_pad);
	if (is_err_value(ret))
		return 0;
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if (plan->params.mmap_topdown && !off_sub)
		return ret + size;
	return ret + off_sub;
}

/* elf_get_unmapped_area - where a non-fixed mapping goes (Linux's __get_unmapped_area()). */
unsigned long elf_get_unmapped_area(const struct elf_plan *plan, unsigned long addr,
				       unsigned long len, unsigned long off, bool file)
{
	unsigned long ret = 0;

	if (len > plan->params.task_size)
		return (unsigned long)-ENOMEM;
	if (file)
		ret = thp_get_unmapped_area(plan, addr, len, off);
	if (!ret)
		ret = mm_get_unmapped_area(plan, addr, len);
	if (is_err_value(ret))
		return ret;
	if (ret > plan->params.task_size - len)
		return (unsigned long)-ENOMEM;
	if (pageoffset(plan, ret))
		return (unsigned long)-EINVAL;
	return ret;
}

/* map_clip_zero - keep @m's zeroing range inside @m. */
static void map_clip_zero(struct elf_map *m)
{
	if (m->zero_start < m->start)
		m->zero_start = m->start;
	if (m->zero_end > m->end)
		m->zero_end = m->end;
	if (m->zero_start >= m->zero_end)
		m->zero_start = m->zero_end = m->start;
}

static void remove_map(struct elf_plan *plan, unsigned int i)
{
	memmove(&plan->maps[i], &plan->maps[i + 1],
		(plan->nr_maps - i - 1) * sizeof(plan->maps[0]));
	plan->nr_maps--;
}

/*
 * elf_unmap_range - what MAP_FIXED does to [@start, @end) first: areas inside
 * go, areas across its ends are cut (split in two if they span it).
 * 0 or -ENOMEM if a split finds the plan full.
 */
int elf_unmap_range(struct elf_plan *plan, unsigned long start, unsigned long end)
{
	unsigned int i = 0;

	while (i < plan->nr_maps) {
		struct elf_map *m = &plan->maps[i];

		if (m->end <= start || m->start >= end) {
			i++;
			continue;
		}
		if (m->start >= start && m->end <= end) {
			remove_map(plan, i);
			continue;
		}
		if (m->start < start && m->end > end) {
			struct elf_map right = *m;

			if (plan->nr_maps == ELF_PLAN_MAX_MAPS)
				return -ENOMEM;
			right.start = end;
			if (right.kind == ELF_MAP_FILE)
				right.offset += end - m->start;
			map_clip_zero(&right);
			m->end = start;
			map_clip_zero(m);
			plan->maps[plan->nr_maps++] = right;
		} else if (m->start < start) {
			m->end = start;
			map_clip_zero(m);
		} else {
			if (m->kind == ELF_MAP_FILE)
				m->offset += end - m->start;
			m->start = end;
			map_clip_zero(m);
		}
		i++;
	}
	return 0;
}

/* elf_add_map - append @m (its range already unmapped): 0 or -ENOMEM when the plan is full. */
int elf_add_map(struct elf_plan *plan, const struct elf_map *m)
{
	if (plan->nr_maps == ELF_PLAN_MAX_MAPS)
		return -ENOMEM;
	plan->maps[plan->nr_maps++] = *m;
	return 0;
}

/*
 * elf_plan_mmap - Linux's vm_mmap() of @len bytes of @img at file offset @off,
 * with the checks do_mmap() makes in its order; only [addr, addr + @keep)
 * stays mapped (elf_map() maps the whole image, then unmaps past the first
 * segment). Returns the address or an -errno as Linux's unsigned long.
 */
unsigned long elf_plan_mmap(struct elf_plan *plan, enum elf_image_id image, int phdr,
			       unsigned long addr, unsigned long len, unsigned long keep,
			       unsigned long prot, unsigned long type, unsigned long off)
{
	const struct elf_params *pp = &plan->params;
	unsigned long flags = type, pgoff, max_pgoff;
	struct elf_map m;
	int err;

	if (off + len < off || pageoffset(plan, off))
		return (unsigned long)-EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED) && addr && addr < pp->mmap_min_addr)
		addr = pagealign(plan, pp->mmap_min_addr);	/* round_hint_to_min() */
	pgoff = off / pp->page_size;
	if (pgoff + len / pp->page_size < pgoff)
		return (unsigned long)-EOVERFLOW;
	if (flags & MAP_FIXED) {
		if (len > pp->task_size || addr > pp->task_size - len)
			return (unsigned long)-ENOMEM;
		if (pageoffset(plan, addr))
			return (unsigned long)-EINVAL;
	} else {
		addr = elf_get_unmapped_area(plan, addr, len, off, true);
		if (is_err_value(addr))
			return addr;
	}
	if (addr < pp->mmap_min_addr && pp->euid != 0)	/* cap_mmap_addr(): CAP_SYS_RAWIO */
		return (unsigned long)-EPERM;
	if ((flags & MAP_FIXED_NOREPLACE) && elf_range_is_mapped(plan, addr, addr + len))
		return (unsigned long)-EEXIST;
	/* file_mmap_ok(): the file's pages must fit in MAX_LFS_FILESIZE */
	max_pgoff = (0x7fffffffffffffffUL - len) / pp->page_size;
	if (len > 0x7fffffffffffffffUL || pgoff > max_pgoff)
		return (unsigned long)-EOVERFLOW;
	err = elf_unmap_range(plan, addr, addr + len);
	if (err)
		return (unsigned long)err;
	m = (struct elf_map){
		.kind = ELF_MAP_FILE,
		.image = image,
		.start = addr,
		.end = addr + keep,
		.offset = off,
		.prot = prot,
		.flags = type,
		.zero_start = addr,
		.zero_end = addr,
		.phdr = phdr,
	};
	err = elf_add_map(plan, &m);
	return err ? (unsigned long)err : addr;
}

/*
 * elf_plan_brk - Linux's vm_brk_flags(): anonymous read-write (and executable
 * if asked) pages at [@addr, @addr + @len), replacing what was there.
 */
int elf_plan_brk(struct elf_plan *plan, enum elf_image_id image, int phdr,
		    unsigned long addr, unsigned long len, bool exec)
{
	const struct elf_params *pp = &plan->params;
	struct elf_map m;
	int err;

	if (!len)
		return 0;
	if (len > pp->task_size || addr > pp->task_size - len)	/* check_brk_limits() */
		return -ENOMEM;
	if (pageoffset(plan, addr))
		return -EINVAL;
	if (addr < pp->mmap_min_addr && pp->euid != 0)
		return -EPERM;
	err = elf_unmap_range(plan, addr, addr + len);
	if (err)
		return err;
	m = (struct elf_map){
		.kind = ELF_MAP_ANON,
		.image = image,
		.start = addr,
		.end = addr + len,
		.prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0),
		.flags = MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
		.zero_start = addr,
		.zero_end = addr,
		.phdr = phdr,
	};
	return elf_add_map(plan, &m);
}

int elf_build_stack(const struct elf_plan *plan, void *buf, size_t len)
{
	unsigned char *b = buf;
	size_t size = elf_stack_size(plan);
	unsigned long q = plan->sp, s;

#define AT(addr) (b + ((addr) - plan->sp))
	if (plan->err || !plan->sp || len < size)
		return -ENOSPC;
	memset(b, 0, size);
	elf_put_le64(AT(q), plan->argc);
	q += 8;
	s = plan->arg_start;
	for (unsigned long i = 0; i < plan->argc; i++) {
		const char *str = plan->argv_empty ? "" : plan->argv[i];
		size_t n = strlen(str) + 1;

		elf_put_le64(AT(q), s);
		memcpy(AT(s), str, n);
		q += 8;
		s += n;
	}
	q += 8;
	for (unsigned long i = 0; i < plan->envc; i++) {
		size_t n = strlen(plan->envp[i]) + 1;

		elf_put_le64(AT(q), s);
		memcpy(AT(s), plan->envp[i], n);
		q += 8;
		s += n;
	}
	q += 8;
	for (unsigned int i = 0; i < plan->nr_auxv; i++, q += 8)
		elf_put_le64(AT(q), plan->auxv[i]);
	memcpy(AT(plan->random_addr), plan->params.random, ELF_RANDOM_BYTES);
	if (plan->params.platform)
		memcpy(AT(plan->platform_addr), plan->params.platform,
		       strlen(plan->params.platform) + 1);
	memcpy(AT(plan->execfn_addr), plan->filename, strlen(plan->filename) + 1);
#undef AT
	return 0;
}

unsigned long elf_auxv_get(const struct elf_plan *plan, unsigned long type, unsigned long dflt)
{
	for (unsigned int i = 0; i + 1 < plan->nr_auxv; i += 2)
		if (plan->auxv[i] == type)
			return plan->auxv[i + 1];
	return dflt;
}

const char *elf_map_kind_name(enum elf_map_kind kind)
{
	switch (kind) {
	case ELF_MAP_STACK: return "stack";
	case ELF_MAP_FILE: return "file";
	case ELF_MAP_ANON: return "anon";
	case ELF_MAP_SPECIAL: return "special";
	}
	return "?";
}

/* ---- parameters ---- */

void elf_params_init(struct elf_params *p)
{
	unsigned long gap;

	memset(p, 0, sizeof(*p));
	p->page_size = 4096;
	p->task_size = (1UL << 47) - p->page_size;
	p->map_window = p->task_size;
	p->stack_top = p->task_size;
	p->mmap_min_addr = 65536;
	p->stack_guard_gap = 256 * p->page_size;
	p->rlim_stack = 8UL << 20;
	/* arch/x86/mm/mmap.c mmap_base() with no randomization */
	gap = p->rlim_stack + p->stack_guard_gap;
	if (gap < SZ_128M)
		gap = SZ_128M;
	p->mmap_base = (p->task_size - gap) & ~(p->page_size - 1);
	p->mmap_legacy_base = (p->task_size / 3 + p->page_size - 1) & ~(p->page_size - 1);
	p->mmap_topdown = true;
	p->pmd_size = 2UL << 20;
	/* The build machine's CPU: a common AMD/Intel set, FSGSBASE in hwcap2. */
	p->hwcap = 0x178bfbff;
	p->hwcap2 = 0x2;
	p->minsigstksz = 3376;
	p->clktck = 100;
	p->rseq_feature_size = 28;
	p->rseq_align = 32;
	p->platform = "x86_64";
	p->vdso = true;
	p->vvar_pages = 4;
	p->vvar_vclock_pages = 2;
	p->vdso_pages = 2;
}

void elf_random_from_seed(uint64_t seed, unsigned char out[ELF_RANDOM_BYTES])
{
	for (int i = 0; i < 2; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		elf_put_le64(out + 8 * i, z ^ (z >> 31));
	}
}

/* ---- files in memory ---- */

static int mem_open(void *ctx, const char *path, uint64_t *size_bytes)
{
	const struct elf_mem_fs *fs = ctx;
	const struct elf_mem_file *f = NULL;
	int handle = -1;

	for (unsigned int i = 0; i < fs->nr_files && !f; i++) {
		if (!strcmp(fs->files[i].path, path)) {
			f = &fs->files[i];
			handle = (int)i;
		}
	}
	if (!f && fs->fallback && path[0]) {
		f = fs->fallback;
		handle = (int)fs->nr_files;
	}
	if (!f)
		return -ENOENT;
	if (f->open_err)
		return f->open_err;
	*size_bytes = f->size_bytes;
	return handle;
}

static long mem_pread(void *ctx, int handle, void *buf, size_t len, uint64_t off)
{
	const struct elf_mem_fs *fs = ctx;
	const struct elf_mem_file *f;

	if (handle < 0 || (unsigned int)handle > fs->nr_files)
		return -EBADF;
	f = (unsigned int)handle == fs->nr_files ? fs->fallback : &fs->files[handle];
	if (!f)
		return -EBADF;
	if (off >= f->size_bytes)
		return 0;
	if (len > f->size_bytes - off)
		len = (size_t)(f->size_bytes - off);
	memcpy(buf, (const char *)f->data + off, len);
	return (long)len;
}

static void mem_close(void *ctx, int handle)
{
	(void)ctx;
	(void)handle;
}

const struct elf_file_ops elf_mem_file_ops = {
	.open = mem_open,
	.pread = mem_pread,
	.close = mem_close,
};
