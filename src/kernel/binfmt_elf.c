/*
 * binfmt_elf.c - plan the exec of an ELF64 x86-64 executable and its interpreter.
 * Follows Linux fs/binfmt_elf.c (load_elf_binary, elf_load, load_elf_interp,
 * create_elf_tables) and fs/exec.c (copy_strings, setup_arg_pages), 6.18.
 * Keeps: the plan's areas never overlap; any input gives a plan or an errno, never a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "binfmt_internal.h"
#include "mman.h"

#define STACK_EXPAND	131072UL	/* setup_arg_pages(): room below the strings */
#define ARG_MAX_BYTES	131072UL	/* ARG_MAX: argument bytes always allowed */
#define STK_LIM		(8UL << 20)	/* _STK_LIM */
#define MAX_ARG_STRINGS	0x7fffffffUL

/* plan_fail - record failure @err with a message; err_fatal is already set by the caller. */
static int __attribute__((format(printf, 3, 4))) plan_fail(struct elf_plan *plan, int err,
							   const char *fmt, ...)
{
	va_list ap;

	plan->err = err;
	va_start(ap, fmt);
	vsnprintf(plan->errmsg, sizeof(plan->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

static uint16_t get_le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t get_le32(const unsigned char *b)
{
	return (uint32_t)get_le16(b) | (uint32_t)get_le16(b + 2) << 16;
}

static uint64_t get_le64(const unsigned char *b)
{
	return (uint64_t)get_le32(b) | (uint64_t)get_le32(b + 4) << 32;
}

static void decode_ehdr(const unsigned char *b, struct elf64_hdr *h)
{
	memcpy(h->e_ident, b, sizeof(h->e_ident));
	h->e_type = get_le16(b + 16);
	h->e_machine = get_le16(b + 18);
	h->e_version = get_le32(b + 20);
	h->e_entry = get_le64(b + 24);
	h->e_phoff = get_le64(b + 32);
	h->e_shoff = get_le64(b + 40);
	h->e_flags = get_le32(b + 48);
	h->e_ehsize = get_le16(b + 52);
	h->e_phentsize = get_le16(b + 54);
	h->e_phnum = get_le16(b + 56);
	h->e_shentsize = get_le16(b + 58);
	h->e_shnum = get_le16(b + 60);
	h->e_shstrndx = get_le16(b + 62);
}

static void decode_phdr(const unsigned char *b, struct elf64_phdr *ph)
{
	ph->p_type = get_le32(b);
	ph->p_flags = get_le32(b + 4);
	ph->p_offset = get_le64(b + 8);
	ph->p_vaddr = get_le64(b + 16);
	ph->p_paddr = get_le64(b + 24);
	ph->p_filesz = get_le64(b + 32);
	ph->p_memsz = get_le64(b + 40);
	ph->p_align = get_le64(b + 48);
}

/* ---- reading ---- */

struct elf_file {
	const struct elf_file_ops *ops;
	void *ctx;
	int handle;		/* -1: closed */
};

/*
 * file_read - up to @len bytes at @pos (fewer at the end of the file): count
 * or -errno; -EINVAL past LLONG_MAX, as Linux's rw_verify_area() refuses.
 */
static long file_read(struct elf_file *f, void *buf, size_t len, uint64_t pos)
{
	size_t done = 0;

	if (pos > INT64_MAX || len > INT64_MAX - pos)
		return -EINVAL;
	while (done < len) {
		long n = f->ops->pread(f->ctx, f->handle, (char *)buf + done, len - done,
				       pos + done);

		if (n < 0)
			return n;
		if (n == 0 || (size_t)n > len - done)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

/* elf_read - exactly @len bytes at @pos: 0, the read's -errno, or -EIO if short (Linux's). */
static int elf_read(struct elf_file *f, void *buf, size_t len, uint64_t pos)
{
	long n = file_read(f, buf, len, pos);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

static void file_close(struct elf_file *f)
{
	if (f->handle >= 0)
		f->ops->close(f->ctx, f->handle);
	f->handle = -1;
}

/*
 * load_elf_phdrs - read @img's program headers: Linux refuses a table of
 * another entry size, an empty one, or one over 64 KiB or a page. False if refused.
 */
static bool load_elf_phdrs(struct elf_plan *plan, struct elf_image *img, struct elf_file *f)
{
	unsigned char chunk[16 * ELF_PHDR_SIZE];
	unsigned long size = (unsigned long)ELF_PHDR_SIZE * img->ehdr.e_phnum;
	unsigned int done = 0;

	if (img->ehdr.e_phentsize != ELF_PHDR_SIZE)
		return false;
	if (size == 0 || size > ELF_MAX_PHDR_BYTES || size > plan->params.page_size)
		return false;
	while (done < img->ehdr.e_phnum) {
		unsigned int n = img->ehdr.e_phnum - done;

		if (n > 16)
			n = 16;
		if (img->ehdr.e_phoff > UINT64_MAX - (uint64_t)done * ELF_PHDR_SIZE)
			return false;
		if (elf_read(f, chunk, (size_t)n * ELF_PHDR_SIZE,
			     img->ehdr.e_phoff + (uint64_t)done * ELF_PHDR_SIZE))
			return false;
		for (unsigned int i = 0; i < n; i++)
			decode_phdr(chunk + i * ELF_PHDR_SIZE, &img->phdr[done + i]);
		done += n;
	}
	img->nr_phdr = img->ehdr.e_phnum;
	return true;
}

/* total_mapping_size - from the lowest PT_LOAD's page to the highest one's end; 0 if none. */
static unsigned long total_mapping_size(const struct elf_plan *plan, const struct elf_image *img)
{
	unsigned long min_addr = ~0UL, max_addr = 0;
	bool pt_load = false;

	for (unsigned int i = 0; i < img->nr_phdr; i++) {
		const struct elf64_phdr *ph = &img->phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (pagestart(plan, ph->p_vaddr) < min_addr)
			min_addr = pagestart(plan, ph->p_vaddr);
		if (ph->p_vaddr + ph->p_memsz > max_addr)
			max_addr = ph->p_vaddr + ph->p_memsz;
		pt_load = true;
	}
	return pt_load ? max_addr - min_addr : 0;
}

/* maximum_alignment - the largest power-of-two p_align of the PT_LOADs, at least a page. */
static unsigned long maximum_alignment(const struct elf_plan *plan, const struct elf_image *img)
{
	unsigned long alignment = 0;

	for (unsigned int i = 0; i < img->nr_phdr; i++) {
		const struct elf64_phdr *ph = &img->phdr[i];

		if (ph->p_type == PT_LOAD && is_pow2(ph->p_align) && ph->p_align > alignment)
			alignment = ph->p_align;
	}
	return pagealign(plan, alignment);
}

/* make_prot - PROT_* from p_flags (x86-64 adjusts nothing: arch_elf_adjust_prot()). */
static unsigned long make_prot(uint32_t p_flags)
{
	unsigned long prot = 0;

	if (p_flags & PF_R)
		prot |= PROT_READ;
	if (p_flags & PF_W)
		prot |= PROT_WRITE;
	if (p_flags & PF_X)
		prot |= PROT_EXEC;
	return prot;
}

/* last_map - the area added last: the one elf_map() just created. */
static struct elf_map *last_map(struct elf_plan *plan)
{
	return plan->nr_maps ? &plan->maps[plan->nr_maps - 1] : NULL;
}

/*
 * elf_map - map the file pages of PT_LOAD @idx at @addr (Linux's elf_map()):
 * with @total_size, the whole image is reserved first so that placement
 * keeps room for the segments that follow.
 */
static unsigned long elf_map(struct elf_plan *plan, enum elf_image_id image, int idx,
			     unsigned long addr, unsigned long prot, unsigned long type,
			     unsigned long total_size)
{
	const struct elf_image *img = image == ELF_IMAGE_EXEC ? &plan->exec : &plan->interp;
	const struct elf64_phdr *ph = &img->phdr[idx];
	unsigned long size = ph->p_filesz + pageoffset(plan, ph->p_vaddr);
	unsigned long off = ph->p_offset - pageoffset(plan, ph->p_vaddr);

	addr = pagestart(plan, addr);
	size = pagealign(plan, size);
	if (!size)
		return addr;
	if (total_size) {
		total_size = pagealign(plan, total_size);
		if (total_size < size)	/* Linux's munmap of the remainder would fail: keep all */
			size = total_size;
		return elf_plan_mmap(plan, image, idx, addr, total_size, size, prot, type, off);
	}
	return elf_plan_mmap(plan, image, idx, addr, size, size, prot, type, off);
}

/*
 * padzero_past_eof - does the page holding @zero_start lie past the end of
 * the file? Then Linux's clear_user() there faults (SIGBUS in the kernel).
 */
static bool padzero_past_eof(const struct elf_plan *plan, const struct elf_image *img,
			     const struct elf_map *m, unsigned long zero_start)
{
	unsigned long file_pos = m->offset + pagestart(plan, zero_start) - m->start;
	uint64_t eof_page = (img->size_bytes + plan->params.page_size - 1) &
			    ~(uint64_t)(plan->params.page_size - 1);

	return file_pos >= eof_page;
}

/*
 * elf_load - map PT_LOAD @idx at @addr (Linux's elf_load()): its file pages,
 * the rest of the last file page cleared, then anonymous pages up to p_memsz.
 * Returns the address of its first page or an -errno as unsigned long.
 */
static unsigned long elf_load(struct elf_plan *plan, enum elf_image_id image, int idx,
			      unsigned long addr, unsigned long prot, unsigned long type,
			      unsigned long total_size)
{
	const struct elf_image *img = image == ELF_IMAGE_EXEC ? &plan->exec : &plan->interp;
	const struct elf64_phdr *ph = &img->phdr[idx];
	unsigned long zero_start = 0, zero_end = 0, map_addr;

	if (ph->p_filesz) {
		map_addr = elf_map(plan, image, idx, addr, prot, type, total_size);
		if (bad_addr(plan, map_addr))
			return map_addr;
		if (ph->p_memsz > ph->p_filesz) {
			struct elf_map *m = last_map(plan);

			zero_start = map_addr + pageoffset(plan, ph->p_vaddr) + ph->p_filesz;
			zero_end = map_addr + pageoffset(plan, ph->p_vaddr) + ph->p_memsz;
			/*
			 * padzero(): clear_user() to the end of the page. It faults on a
			 * read-only segment, which Linux ignores: the file's bytes stay.
			 */
			if (pageoffset(plan, zero_start) && (prot & PROT_WRITE) && m &&
			    m->kind == ELF_MAP_FILE && m->start <= zero_start &&
			    zero_start < m->end) {
				if (padzero_past_eof(plan, img, m, zero_start))
					return (unsigned long)-EFAULT;
				m->zero_start = zero_start;
				m->zero_end = pagealign(plan, zero_start);
			}
		}
	} else {
		map_addr = zero_start = pagestart(plan, addr);
		zero_end = zero_start + pageoffset(plan, ph->p_vaddr) + ph->p_memsz;
	}
	if (ph->p_memsz > ph->p_filesz) {
		int err;

		zero_start = pagealign(plan, zero_start);
		zero_end = pagealign(plan, zero_end);
		err = elf_plan_brk(plan, image, idx, zero_start, zero_end - zero_start,
				   prot & PROT_EXEC);
		if (err)
			map_addr = (unsigned long)err;
	}
	return map_addr;
}

/* ---- the steps of exec, in Linux's order ---- */

/* err_name - "ENOENT" for -ENOENT: the errnos exec can return, for messages. */
static const char *err_name(int err)
{
	switch (-err) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case ENOEXEC: return "ENOEXEC";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ELOOP: return "ELOOP";
	case ENOTDIR: return "ENOTDIR";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case EOVERFLOW: return "EOVERFLOW";
	case E2BIG: return "E2BIG";
	case ELIBBAD: return "ELIBBAD";
	default: return "error";
	}
}

/* strnlen_user()'s answer for @s: its length with the NUL, or more than @max if too long. */
static unsigned long arg_len(const char *s, unsigned long max)
{
	return strnlen(s, max) + 1;
}

/*
 * copy_strings - fs/exec.c's placing of the file name, the environment and
 * the arguments at the top of the new stack, last string first, within
 * bprm_stack_limits(). Sets arg_start, execfn_addr and the counts.
 */
static int copy_strings(struct elf_plan *plan, unsigned long top)
{
	const struct elf_params *pp = &plan->params;
	unsigned long max_strlen = 32 * pp->page_size;	/* MAX_ARG_STRLEN */
	unsigned long limit, ptr_size, p, argmin, len, argc = 0, envc = 0;

	while (plan->argv && plan->argv[argc])
		if (++argc > MAX_ARG_STRINGS)
			return plan_fail(plan, -E2BIG, "%s: too many arguments", plan->filename);
	while (plan->envp && plan->envp[envc])
		if (++envc > MAX_ARG_STRINGS)
			return plan_fail(plan, -E2BIG, "%s: too many environment strings",
					 plan->filename);
	/* bprm_stack_limits(): 3/4 of _STK_LIM or 1/4 of the stack rlimit, at least ARG_MAX */
	limit = STK_LIM / 4 * 3;
	if (pp->rlim_stack / 4 < limit)
		limit = pp->rlim_stack / 4;
	if (limit < ARG_MAX_BYTES)
		limit = ARG_MAX_BYTES;
	ptr_size = ((argc ? argc : 1) + envc) * sizeof(uint64_t);
	if (limit <= ptr_size)
		return plan_fail(plan, -E2BIG, "%s: argv and envp pointers exceed %lu bytes",
				 plan->filename, limit);
	limit -= ptr_size;
	p = top - sizeof(uint64_t);
	if (p < limit)
		return plan_fail(plan, -E2BIG, "%s: no room for the arguments", plan->filename);
	argmin = p - limit;

	len = arg_len(plan->filename, max_strlen);
	if (len > max_strlen || p - argmin < len)
		goto too_big;
	p -= len;
	plan->execfn_addr = p;
	for (unsigned long i = envc; i-- > 0;) {
		len = arg_len(plan->envp[i], max_strlen);
		if (len > max_strlen || p - argmin < len)
			goto too_big;
		p -= len;
	}
	for (unsigned long i = argc; i-- > 0;) {
		len = arg_len(plan->argv[i], max_strlen);
		if (len > max_strlen || p - argmin < len)
			goto too_big;
		p -= len;
	}
	if (argc == 0) {
		/* Linux adds "" so that programs reading argv[1] don't walk into envp. */
		if (p - argmin < 1)
			goto too_big;
		p -= 1;
		argc = 1;
		plan->argv_empty = true;
	}
	plan->argc = argc;
	plan->envc = envc;
	plan->arg_start = p;
	return 0;

too_big:
	return plan_fail(plan, -E2BIG, "%s: arguments and environment exceed %lu bytes",
			 plan->filename, limit);
}

/* read_header - bprm->buf: the first 256 bytes, zero past the end of the file. */
static int read_header(struct elf_file *f, struct elf64_hdr *h)
{
	unsigned char buf[BINPRM_BUF_SIZE];
	long n;

	memset(buf, 0, sizeof(buf));
	n = file_read(f, buf, sizeof(buf), 0);
	if (n < 0)
		return (int)n;
	decode_ehdr(buf, h);
	return 0;
}

static bool elf_magic_ok(const struct elf64_hdr *h)
{
	return h->e_ident[0] == 0x7f && h->e_ident[1] == 'E' && h->e_ident[2] == 'L' &&
	       h->e_ident[3] == 'F';
}

/*
 * check_exec_header - load_elf_binary()'s first checks, each -ENOEXEC:
 * magic, class and byte order, type, machine, program header table.
 */
static int check_exec_header(struct elf_plan *plan, struct elf_file *f)
{
	struct elf_image *img = &plan->exec;
	const struct elf64_hdr *h = &img->ehdr;
	const char *path = img->path;

	if (!elf_magic_ok(h))
		return plan_fail(plan, -ENOEXEC, "%s: not an ELF file", path);
	/* Linux's 64-bit loader checks only e_machine; 32-bit classes go to compat loaders. */
	if (h->e_ident[4] != 2)
		return plan_fail(plan, -ENOEXEC, "%s: ELF class %u is not ELFCLASS64", path,
				 h->e_ident[4]);
	if (h->e_ident[5] != 1)
		return plan_fail(plan, -ENOEXEC, "%s: ELF data encoding %u is not little-endian",
				 path, h->e_ident[5]);
	if (h->e_type != ET_EXEC && h->e_type != ET_DYN)
		return plan_fail(plan, -ENOEXEC, "%s: ELF type %u is neither ET_EXEC nor ET_DYN",
				 path, h->e_type);
	if (h->e_machine != EM_X86_64)
		return plan_fail(plan, -ENOEXEC, "%s: ELF machine %u is not x86-64 (%u)", path,
				 h->e_machine, EM_X86_64);
	if (h->e_phentsize != ELF_PHDR_SIZE)
		return plan_fail(plan, -ENOEXEC, "%s: e_phentsize %u is not %u", path,
				 h->e_phentsize, ELF_PHDR_SIZE);
	if (h->e_phnum == 0 || (unsigned long)h->e_phnum * ELF_PHDR_SIZE > plan->params.page_size ||
	    (unsigned long)h->e_phnum * ELF_PHDR_SIZE > ELF_MAX_PHDR_BYTES)
		return plan_fail(plan, -ENOEXEC,
				 "%s: %u program headers (%lu bytes) exceed a page or are none",
				 path, h->e_phnum, (unsigned long)h->e_phnum * ELF_PHDR_SIZE);
	if (!load_elf_phdrs(plan, img, f))
		return plan_fail(plan, -ENOEXEC,
				 "%s: program headers at offset %llu lie past the end of the file",
				 path, (unsigned long long)h->e_phoff);
	return 0;
}

/*
 * open_interp - the first PT_INTERP: its path must be 2..PATH_MAX bytes and
 * NUL-terminated (-ENOEXEC), readable (-EIO); then open it and read its ELF header.
 */
static int open_interp(struct elf_plan *plan, struct elf_file *exec_f, struct elf_file *interp_f)
{
	const struct elf_image *img = &plan->exec;
	const struct elf64_phdr *ph = NULL;
	unsigned char hdr[ELF_EHDR_SIZE];
	uint64_t size;
	int ret;

	for (unsigned int i = 0; i < img->nr_phdr && !ph; i++)
		if (img->phdr[i].p_type == PT_INTERP)
			ph = &img->phdr[i];
	if (!ph)
		return 0;
	if (ph->p_filesz > ELF_PATH_MAX || ph->p_filesz < 2)
		return plan_fail(plan, -ENOEXEC, "%s: PT_INTERP of %llu bytes (2 to %u allowed)",
				 img->path, (unsigned long long)ph->p_filesz, ELF_PATH_MAX);
	ret = elf_read(exec_f, plan->interp.path, ph->p_filesz, ph->p_offset);
	if (ret)
		return plan_fail(plan, ret, "%s: cannot read PT_INTERP at offset %llu", img->path,
				 (unsigned long long)ph->p_offset);
	if (plan->interp.path[ph->p_filesz - 1] != '\0')
		return plan_fail(plan, -ENOEXEC, "%s: PT_INTERP path is not NUL-terminated",
				 img->path);
	plan->has_interp = true;
	ret = interp_f->ops->open(interp_f->ctx, plan->interp.path, &size);
	if (ret < 0)
		return plan_fail(plan, ret, "%s: interpreter %s: %s", img->path, plan->interp.path,
				 err_name(ret));
	interp_f->handle = ret;
	plan->interp.size_bytes = size;
	ret = elf_read(interp_f, hdr, sizeof(hdr), 0);
	if (ret)
		return plan_fail(plan, ret, "%s: interpreter %s: cannot read its ELF header",
				 img->path, plan->interp.path);
	decode_ehdr(hdr, &plan->interp.ehdr);
	return 0;
}

/* check_interp - the interpreter must be an x86-64 ELF with sane program headers (-ELIBBAD). */
static int check_interp(struct elf_plan *plan, struct elf_file *f)
{
	const struct elf64_hdr *h = &plan->interp.ehdr;
	const char *path = plan->interp.path;

	if (!elf_magic_ok(h))
		return plan_fail(plan, -ELIBBAD, "interpreter %s: not an ELF file", path);
	if (h->e_ident[4] != 2 || h->e_ident[5] != 1 || h->e_machine != EM_X86_64)
		return plan_fail(plan, -ELIBBAD, "interpreter %s: not an ELF64 x86-64 file", path);
	if (!load_elf_phdrs(plan, &plan->interp, f))
		return plan_fail(plan, -ELIBBAD, "interpreter %s: bad program header table", path);
	return 0;
}

/*
 * setup_arg_pages - the [stack] area: the string pages plus 128 KiB, within
 * RLIMIT_STACK, executable only if PT_GNU_STACK asks.
 */
static int setup_arg_pages(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	unsigned long top = plan->stack_top, start = pagestart(plan, plan->arg_start);
	unsigned long rlim = pp->rlim_stack & ~(pp->page_size - 1), expand, base;
	struct elf_map m;

	if (top < pp->mmap_min_addr || top - start >= top - pp->mmap_min_addr)
		return plan_fail(plan, -ENOMEM, "%s: the arguments do not fit below the stack top",
				 plan->exec.path);
	expand = top - start + STACK_EXPAND;
	if (rlim < expand)
		expand = rlim;
	base = top - expand;
	if (base < pp->mmap_min_addr)	/* expand_downwards() */
		return plan_fail(plan, -EFAULT, "%s: the stack cannot grow below %#lx",
				 plan->exec.path, pp->mmap_min_addr);
	if (base < start)
		start = base;
	m = (struct elf_map){
		.kind = ELF_MAP_STACK,
		.start = start,
		.end = top,
		.prot = PROT_READ | PROT_WRITE | (plan->exec_stack ? PROT_EXEC : 0),
		.flags = MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN,
		.name = "[stack]",
		.zero_start = start,
		.zero_end = start,
		.phdr = -1,
	};
	return elf_add_map(plan, &m);
}

/* errno_of - load_elf_binary()'s "IS_ERR_VALUE(x) ? x : -EINVAL" for a bad address. */
static int errno_of(unsigned long x)
{
	return is_err_value(x) ? (int)(long)x : -EINVAL;
}

/* map_exec - load_elf_binary()'s loop over the executable's PT_LOADs. */
static int map_exec(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	struct elf_image *img = &plan->exec;
	unsigned long load_bias = 0, elf_brk = 0, phdr_addr = 0;
	unsigned long start_code = ~0UL, end_code = 0, start_data = 0, end_data = 0;
	bool first = true;

	for (unsigned int i = 0; i < img->nr_phdr; i++) {
		const struct elf64_phdr *ph = &img->phdr[i];
		unsigned long prot = make_prot(ph->p_flags), flags = MAP_PRIVATE;
		unsigned long vaddr = ph->p_vaddr, total_size = 0, map_addr, k;

		if (ph->p_type != PT_LOAD)
			continue;
		if (!first) {
			flags |= MAP_FIXED;
		} else if (img->ehdr.e_type == ET_EXEC) {
			flags |= MAP_FIXED_NOREPLACE;
		} else {
			unsigned long alignment;

			total_size = total_mapping_size(plan, img);
			if (!total_size)
				return plan_fail(plan, -EINVAL,
						 "%s: PT_LOAD segments span no bytes", img->path);
			img->total_size = total_size;
			alignment = maximum_alignment(plan, img);
			if (plan->has_interp) {
				/* A PIE goes at ELF_ET_DYN_BASE, aligned down as it asks. */
				load_bias = binfmt_et_dyn_base(pp->map_window);
				if (pp->randomize)
					load_bias += pp->mmap_rnd;
				if (alignment)
					load_bias &= ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else if (alignment > pp->page_size) {
				/* A loader goes where mmap puts it, then aligned down. */
				load_bias = elf_load(plan, ELF_IMAGE_EXEC, (int)i, 0, prot, flags,
						     total_size);
				if (bad_addr(plan, load_bias))
					return plan_fail(plan, errno_of(load_bias),
							 "%s: no room for %lu bytes", img->path,
							 total_size);
				if (elf_unmap_range(plan, load_bias,
						load_bias + pagealign(plan, total_size)))
					return plan_fail(plan, -ENOMEM, "%s: plan full", img->path);
				load_bias &= ~(alignment - 1);
				flags |= MAP_FIXED_NOREPLACE;
			} else {
				load_bias = 0;
			}
			load_bias = pagestart(plan, load_bias - vaddr);
		}

		map_addr = elf_load(plan, ELF_IMAGE_EXEC, (int)i, load_bias + vaddr, prot, flags,
				    total_size);
		if (bad_addr(plan, map_addr))
			return plan_fail(plan, errno_of(map_addr),
					 "%s: cannot map PT_LOAD %u at %#lx: %s", img->path, i,
					 load_bias + vaddr, err_name(errno_of(map_addr)));
		if (first) {
			first = false;
			if (img->ehdr.e_type == ET_DYN)
				load_bias += map_addr - pagestart(plan, load_bias + vaddr);
		}
		/* The segment whose file bytes hold the program headers gives AT_PHDR. */
		if (ph->p_offset <= img->ehdr.e_phoff &&
		    img->ehdr.e_phoff < ph->p_offset + ph->p_filesz)
			phdr_addr = img->ehdr.e_phoff - ph->p_offset + ph->p_vaddr;

		k = ph->p_vaddr;
		if ((ph->p_flags & PF_X) && k < start_code)
			start_code = k;
		if (start_data < k)
			start_data = k;
		if (bad_addr(plan, k) || ph->p_filesz > ph->p_memsz ||
		    ph->p_memsz > pp->task_size || pp->task_size - ph->p_memsz < k)
			return plan_fail(plan, -EINVAL,
					 "%s: PT_LOAD %u (vaddr %#lx, filesz %#llx, memsz "
					 "%#llx) is not a user range", img->path, i, k,
					 (unsigned long long)ph->p_filesz,
					 (unsigned long long)ph->p_memsz);
		k = ph->p_vaddr + ph->p_filesz;
		if ((ph->p_flags & PF_X) && end_code < k)
			end_code = k;
		if (end_data < k)
			end_data = k;
		k = ph->p_vaddr + ph->p_memsz;
		if (k > elf_brk)
			elf_brk = k;
	}
	img->load_bias = load_bias;
	plan->load_bias = load_bias;
	plan->e_entry = img->ehdr.e_entry + load_bias;
	plan->phdr_addr = phdr_addr + load_bias;
	plan->start_code = start_code + load_bias;
	plan->end_code = end_code + load_bias;
	plan->start_data = start_data + load_bias;
	plan->end_data = end_data + load_bias;
	plan->brk = elf_brk + load_bias;	/* elf_brk until set_brk time */
	return 0;
}

/*
 * load_elf_interp - map the interpreter's PT_LOADs: an ET_DYN one where mmap
 * puts its whole image, an ET_EXEC one at its addresses. Returns its load
 * address or an -errno as unsigned long (~0UL for a bad type, as Linux).
 */
static unsigned long load_elf_interp(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	struct elf_image *img = &plan->interp;
	unsigned long load_addr = 0, total_size, no_base = plan->load_bias;
	bool load_addr_set = false;

	if (img->ehdr.e_type != ET_EXEC && img->ehdr.e_type != ET_DYN)
		return ~0UL;
	total_size = total_mapping_size(plan, img);
	if (!total_size)
		return (unsigned long)-EINVAL;
	img->total_size = total_size;
	for (unsigned int i = 0; i < img->nr_phdr; i++) {
		const struct elf64_phdr *ph = &img->phdr[i];
		unsigned long type = MAP_PRIVATE, vaddr = ph->p_vaddr, map_addr, k;

		if (ph->p_type != PT_LOAD)
			continue;
		if (img->ehdr.e_type == ET_EXEC || load_addr_set)
			type |= MAP_FIXED;
		else if (no_base && img->ehdr.e_type == ET_DYN)
			load_addr = -vaddr;
		map_addr = elf_load(plan, ELF_IMAGE_INTERP, (int)i, load_addr + vaddr,
				    make_prot(ph->p_flags), type, total_size);
		total_size = 0;
		if (bad_addr(plan, map_addr))
			return map_addr;
		if (!load_addr_set && img->ehdr.e_type == ET_DYN) {
			load_addr = map_addr - pagestart(plan, vaddr);
			load_addr_set = true;
		}
		k = load_addr + ph->p_vaddr;
		if (bad_addr(plan, k) || ph->p_filesz > ph->p_memsz ||
		    ph->p_memsz > pp->task_size || pp->task_size - ph->p_memsz < k)
			return (unsigned long)-ENOMEM;
	}
	img->load_bias = load_addr;
	return load_addr;
}

/* map_vdso - x86-64's map_vdso(): [vvar], [vvar_vclock] then the [vdso] text, one block. */
static int map_vdso(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	unsigned long vvar = pp->vvar_pages * pp->page_size;
	unsigned long vclock = pp->vvar_vclock_pages * pp->page_size;
	unsigned long text = pp->vdso_pages * pp->page_size;
	unsigned long addr = elf_get_unmapped_area(plan, 0, vvar + vclock + text, 0, false);
	const struct {
		const char *name;
		unsigned long start, len, prot;
	} areas[] = {
		{ "[vdso]", addr + vvar + vclock, text, PROT_READ | PROT_EXEC },
		{ "[vvar]", addr, vvar, PROT_READ },
		{ "[vvar_vclock]", addr + vvar, vclock, PROT_READ },
	};

	if (is_err_value(addr))
		return plan_fail(plan, (int)(long)addr, "%s: no room for the vDSO",
				 plan->exec.path);
	plan->vdso_base = addr + vvar + vclock;
	for (unsigned int i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		const struct elf_map m = {
			.kind = ELF_MAP_SPECIAL,
			.start = areas[i].start,
			.end = areas[i].start + areas[i].len,
			.prot = areas[i].prot,
			.flags = MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
			.name = areas[i].name,
			.zero_start = areas[i].start,
			.zero_end = areas[i].start,
			.phdr = -1,
		};

		if (areas[i].len && elf_add_map(plan, &m))
			return plan_fail(plan, -ENOMEM, "%s: plan full", plan->exec.path);
	}
	return 0;
}

/* aux_ent - append one auxiliary vector entry (Linux's NEW_AUX_ENT()). */
static void aux_ent(struct elf_plan *plan, unsigned long id, unsigned long val)
{
	plan->auxv[plan->nr_auxv++] = id;
	plan->auxv[plan->nr_auxv++] = val;
}

/*
 * create_elf_tables - below the strings: the platform string, AT_RANDOM's
 * bytes, then (16-byte aligned) argc, argv[], envp[] and the aux vector,
 * in x86-64 Linux 6.18's order.
 */
static int create_elf_tables(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	unsigned long p = plan->arg_start, sp, items;
	struct elf_map *stack = NULL;

	/* arch_align_stack() */
	if (pp->randomize)
		p -= pp->align_rnd[1] % 8192;
	p &= ~0xfUL;
	if (pp->platform) {
		p -= strlen(pp->platform) + 1;
		plan->platform_addr = p;
	}
	p -= ELF_RANDOM_BYTES;
	plan->random_addr = p;

	plan->nr_auxv = 0;
	if (pp->vdso)
		aux_ent(plan, AT_SYSINFO_EHDR, plan->vdso_base);
	aux_ent(plan, AT_MINSIGSTKSZ, pp->minsigstksz);
	aux_ent(plan, AT_HWCAP, pp->hwcap);
	aux_ent(plan, AT_PAGESZ, pp->page_size);
	aux_ent(plan, AT_CLKTCK, pp->clktck);
	aux_ent(plan, AT_PHDR, plan->phdr_addr);
	aux_ent(plan, AT_PHENT, ELF_PHDR_SIZE);
	aux_ent(plan, AT_PHNUM, plan->exec.ehdr.e_phnum);
	aux_ent(plan, AT_BASE, plan->interp_base);
	aux_ent(plan, AT_FLAGS, 0);
	aux_ent(plan, AT_ENTRY, plan->e_entry);
	aux_ent(plan, AT_UID, pp->uid);
	aux_ent(plan, AT_EUID, pp->euid);
	aux_ent(plan, AT_GID, pp->gid);
	aux_ent(plan, AT_EGID, pp->egid);
	aux_ent(plan, AT_SECURE, pp->secure);
	aux_ent(plan, AT_RANDOM, plan->random_addr);
	aux_ent(plan, AT_HWCAP2, pp->hwcap2);
	aux_ent(plan, AT_EXECFN, plan->execfn_addr);
	if (pp->platform)
		aux_ent(plan, AT_PLATFORM, plan->platform_addr);
	if (pp->rseq_feature_size || pp->rseq_align) {
		aux_ent(plan, AT_RSEQ_FEATURE_SIZE, pp->rseq_feature_size);
		aux_ent(plan, AT_RSEQ_ALIGN, pp->rseq_align);
	}
	aux_ent(plan, AT_NULL, 0);

	sp = p - plan->nr_auxv * sizeof(uint64_t);
	items = (plan->argc + 1) + (plan->envc + 1) + 1;
	sp = (sp - items * sizeof(uint64_t)) & ~0xfUL;
	plan->sp = sp;

	/* find_extend_vma(): the tables may reach below [stack]; grow it within the rlimit. */
	for (unsigned int i = 0; i < plan->nr_maps; i++)
		if (plan->maps[i].kind == ELF_MAP_STACK)
			stack = &plan->maps[i];
	if (!stack || stack->end != plan->stack_top || stack->start > plan->arg_start)
		return plan_fail(plan, -EFAULT, "%s: the program's segments cover its stack",
				 plan->exec.path);
	if (sp < stack->start) {
		unsigned long start = pagestart(plan, sp);

		if (plan->stack_top - start > pp->rlim_stack || start < pp->mmap_min_addr ||
		    elf_range_is_mapped(plan, start > pp->stack_guard_gap ?
					  start - pp->stack_guard_gap : 0, stack->start))
			return plan_fail(plan, -EFAULT, "%s: the initial stack exceeds %s",
					 plan->exec.path, "RLIMIT_STACK");
		stack->start = stack->zero_start = stack->zero_end = start;
	}
	return 0;
}

/* set_brk - the heap starts after the bss, or at ELF_ET_DYN_BASE for a static PIE. */
static void set_brk(struct elf_plan *plan)
{
	const struct elf_params *pp = &plan->params;
	unsigned long elf_brk = plan->brk;

	/* CONFIG_ARCH_HAS_ELF_RANDOMIZE, !CONFIG_COMPAT_BRK: even with ASLR off (6.15+). */
	if (plan->exec.ehdr.e_type == ET_DYN && !plan->has_interp) {
		elf_brk = binfmt_et_dyn_base(pp->map_window);
		plan->brk_moved = true;
	}
	plan->start_brk = plan->brk = pagealign(plan, elf_brk);
	if (pp->randomize && pp->randomize_va_space > 1) {
		if (!plan->brk_moved)
			plan->start_brk += pp->page_size;
		plan->start_brk += pagestart(plan, pp->brk_rnd);
		plan->brk = plan->start_brk;
		plan->brk_moved = true;
	}
}

/* image_reset - forget a previous plan's file, leaving its (large) header table as is. */
static void image_reset(struct elf_image *img)
{
	img->path[0] = '\0';
	img->size_bytes = 0;
	memset(&img->ehdr, 0, sizeof(img->ehdr));
	img->nr_phdr = 0;
	img->total_size = 0;
	img->load_bias = 0;
}

static bool params_ok(const struct elf_params *pp)
{
	return is_pow2(pp->page_size) && pp->page_size >= 4096 && pp->task_size &&
	       !(pp->stack_top & (pp->page_size - 1)) && pp->stack_top <= pp->task_size &&
	       pp->map_window <= pp->task_size && pp->mmap_base <= pp->task_size &&
	       pp->stack_top > pp->page_size;
}

int elf_plan_exec(struct elf_plan *plan, const struct elf_file_ops *ops, void *ctx,
		  const char *path, const char *const *argv, const char *const *envp,
		  const struct elf_params *params)
{
	struct elf_file exec_f = { ops, ctx, -1 }, interp_f = { ops, ctx, -1 };
	unsigned long top, entry;
	uint64_t size;
	int ret;

	memset(plan, 0, offsetof(struct elf_plan, exec));
	image_reset(&plan->exec);
	image_reset(&plan->interp);
	memset(&plan->has_interp, 0, sizeof(*plan) - offsetof(struct elf_plan, has_interp));
	plan->params = *params;
	plan->argv = argv;
	plan->envp = envp;
	plan->filename = path ? path : "";

	if (!params_ok(params))
		return plan_fail(plan, -EINVAL, "exec: bad layout parameters");
	if (!path)
		return plan_fail(plan, -EFAULT, "exec: no path");
	if (strnlen(path, ELF_PATH_MAX) >= ELF_PATH_MAX)
		return plan_fail(plan, -ENAMETOOLONG, "exec: path longer than %d bytes",
				 ELF_PATH_MAX - 1);
	strcpy(plan->exec.path, path);

	/* do_execveat_common(): open, then the strings, then the binary's headers. */
	ret = ops->open(ctx, path, &size);
	if (ret < 0)
		return plan_fail(plan, ret, "%s: cannot open: %s", path, err_name(ret));
	exec_f.handle = ret;
	plan->exec.size_bytes = size;

	/* setup_arg_pages(): STACK_TOP through arch_align_stack() and PAGE_ALIGN(). */
	top = params->stack_top;
	if (params->randomize)
		top -= params->align_rnd[0] % 8192;
	top = pagealign(plan, top & ~0xfUL);
	plan->stack_top = top;
	ret = copy_strings(plan, top);
	if (ret)
		goto out_close;

	ret = read_header(&exec_f, &plan->exec.ehdr);
	if (ret) {
		plan_fail(plan, ret, "%s: cannot read: %s", path, err_name(ret));
		goto out_close;
	}
	ret = check_exec_header(plan, &exec_f);
	if (ret)
		goto out_close;
	ret = open_interp(plan, &exec_f, &interp_f);
	if (ret)
		goto out_close;
	for (unsigned int i = 0; i < plan->exec.nr_phdr; i++)
		if (plan->exec.phdr[i].p_type == PT_GNU_STACK)
			plan->exec_stack = plan->exec.phdr[i].p_flags & PF_X;
	if (plan->has_interp) {
		ret = check_interp(plan, &interp_f);
		if (ret)
			goto out_close;
	}
	file_close(&exec_f);
	file_close(&interp_f);

	/* begin_new_exec(): from here Linux has dropped the old address space. */
	plan->err_fatal = true;
	ret = setup_arg_pages(plan);
	if (ret)
		return ret;
	ret = map_exec(plan);
	if (ret)
		return ret;
	if (plan->has_interp) {
		entry = load_elf_interp(plan);
		if (!is_err_value(entry)) {
			plan->interp_base = entry;
			entry += plan->interp.ehdr.e_entry;
		}
		if (bad_addr(plan, entry))
			return plan_fail(plan, errno_of(entry),
					 "interpreter %s: cannot be loaded: %s", plan->interp.path,
					 err_name(errno_of(entry)));
	} else {
		entry = plan->e_entry;
		if (bad_addr(plan, entry))
			return plan_fail(plan, -EINVAL,
					 "%s: entry point %#lx is not a user address", path, entry);
	}
	plan->entry = entry;
	if (params->vdso) {
		ret = map_vdso(plan);
		if (ret)
			return ret;
	}
	ret = create_elf_tables(plan);
	if (ret)
		return ret;
	set_brk(plan);
	plan->arg_end = plan->arg_start;
	if (plan->argv_empty) {
		plan->arg_end += 1;
	} else {
		for (unsigned long i = 0; i < plan->argc; i++)
			plan->arg_end += strlen(argv[i]) + 1;
	}
	plan->env_start = plan->env_end = plan->arg_end;
	for (unsigned long i = 0; i < plan->envc; i++)
		plan->env_end += strlen(envp[i]) + 1;
	plan->err_fatal = false;
	return 0;

out_close:
	file_close(&exec_f);
	file_close(&interp_f);
	return ret;
}
