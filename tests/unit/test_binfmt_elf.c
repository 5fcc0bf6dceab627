/*
 * test_binfmt_elf.c - the exec planner: plans for real binaries (/bin/true and
 * the static, static-pie and dynamic non-PIE programs the build makes), exact
 * layouts of small ELF files built here, the stack image, and Linux's errno
 * for every kind of malformed file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "binfmt.h"

#ifndef TUXMM_PROG_STATIC
#define TUXMM_PROG_STATIC ""
#endif
#ifndef TUXMM_PROG_STATIC_PIE
#define TUXMM_PROG_STATIC_PIE ""
#endif
#ifndef TUXMM_PROG_NOPIE
#define TUXMM_PROG_NOPIE ""
#endif
#ifndef TUXMM_PROG_BIG_STATIC_PIE
#define TUXMM_PROG_BIG_STATIC_PIE ""
#endif

#define PAGE		4096UL
#define TOP		0x7ffffffff000UL	/* STACK_TOP with 4 levels, ASLR off */
#define MMAP_BASE	0x7ffff7fff000UL	/* TOP - 128 MiB */
#define PIE_BASE	0x555555554000UL	/* ELF_ET_DYN_BASE, page-aligned */
#define VDSO_BYTES	(8 * PAGE)		/* [vvar] 4 + [vvar_vclock] 2 + [vdso] 2 pages */
#define PROT_R		0x1UL
#define PROT_W		0x2UL
#define PROT_X		0x4UL
#define PF_RW		(PF_R | PF_W)
#define PF_RX		(PF_R | PF_X)

static const char *const test_argv[] = { "prog", "arg1", NULL };
static const char *const test_envp[] = { "A=1", "TUXMM=unit", NULL };

/* ---- fixtures ---- */

static int setup_plan(void **state)
{
	*state = calloc(1, sizeof(struct elf_plan));
	return *state ? 0 : -1;
}

static int teardown_plan(void **state)
{
	free(*state);
	return 0;
}

static int plan_host(struct elf_plan *plan, const char *path, const struct elf_params *pp)
{
	struct elf_params dflt;

	if (!pp) {
		elf_params_init(&dflt);
		pp = &dflt;
	}
	return elf_plan_exec(plan, &elf_host_file_ops, NULL, path, test_argv, test_envp, pp);
}

static void need_prog(const char *path)
{
	if (!path[0] || access(path, X_OK)) {
		printf("# %s: not built here\n", path[0] ? path : "program");
		skip();
	}
}

/* ---- small ELF files built in memory ---- */

struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

struct elf_spec {
	uint16_t type;		/* ET_EXEC or ET_DYN */
	uint64_t entry;
	const char *interp;	/* PT_INTERP's string (first header), NULL for none */
	unsigned int nr_segs;
	struct seg segs[8];
	size_t file_size;	/* bytes; 0: 0x4000 */
};

#define INTERP_OFF	0x300	/* where build_elf() puts the PT_INTERP string */

static void put16(unsigned char *b, uint16_t v)
{
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *b, uint32_t v)
{
	put16(b, (uint16_t)v);
	put16(b + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b + 4, (uint32_t)(v >> 32));
}

static void put_phdr(unsigned char *b, const struct seg *s)
{
	put32(b, s->type);
	put32(b + 4, s->flags);
	put64(b + 8, s->offset);
	put64(b + 16, s->vaddr);
	put64(b + 24, s->vaddr);
	put64(b + 32, s->filesz);
	put64(b + 40, s->memsz);
	put64(b + 48, s->align);
}

/* build_elf - an ELF64 x86-64 file for @s in a new buffer; *@size gets its length. */
static unsigned char *build_elf(const struct elf_spec *s, size_t *size)
{
	size_t len = s->file_size ? s->file_size : 0x4000;
	unsigned char *b = calloc(1, len < 0x1000 ? 0x1000 : len);
	unsigned int nr = s->nr_segs + (s->interp ? 1 : 0), ph = 0;

	assert_non_null(b);
	memcpy(b, "\177ELF\2\1\1", 7);
	put16(b + 16, s->type);
	put16(b + 18, EM_X86_64);
	put32(b + 20, 1);
	put64(b + 24, s->entry);
	put64(b + 32, 64);
	put16(b + 52, 64);
	put16(b + 54, ELF_PHDR_SIZE);
	put16(b + 56, (uint16_t)nr);
	if (s->interp) {
		struct seg interp = { PT_INTERP, PF_R, INTERP_OFF, INTERP_OFF,
				      strlen(s->interp) + 1, strlen(s->interp) + 1, 1 };

		put_phdr(b + 64, &interp);
		strcpy((char *)b + INTERP_OFF, s->interp);
		ph = 1;
	}
	for (unsigned int i = 0; i < s->nr_segs; i++)
		put_phdr(b + 64 + (ph + i) * ELF_PHDR_SIZE, &s->segs[i]);
	*size = len;
	return b;
}

/* A small PIE-style interpreter: text at 0, data with bss at 0x2000. */
static const struct elf_spec ld_spec = {
	.type = ET_DYN,
	.entry = 0x1100,
	.nr_segs = 2,
	.segs = {
		{ PT_LOAD, PF_RX, 0, 0, 0x1800, 0x1800, 0x1000 },
		{ PT_LOAD, PF_RW, 0x2000, 0x2000, 0x100, 0x2100, 0x1000 },
	},
	.file_size = 0x3000,
};

/* A PIE with three segments asking for /t/ld.so. */
static const struct elf_spec pie_spec = {
	.type = ET_DYN,
	.entry = 0x1040,
	.interp = "/t/ld.so",
	.nr_segs = 3,
	.segs = {
		{ PT_LOAD, PF_R, 0, 0, 0x800, 0x800, 0x1000 },
		{ PT_LOAD, PF_RX, 0x1000, 0x1000, 0x500, 0x500, 0x1000 },
		{ PT_LOAD, PF_RW, 0x2e00, 0x3e00, 0x100, 0x200, 0x1000 },
	},
	.file_size = 0x3000,
};

/* A static ET_EXEC at 0x400000 whose bss spans pages. */
static const struct elf_spec exec_spec = {
	.type = ET_EXEC,
	.entry = 0x401000,
	.nr_segs = 2,
	.segs = {
		{ PT_LOAD, PF_RX, 0, 0x400000, 0x1800, 0x1800, 0x1000 },
		{ PT_LOAD, PF_RW, 0x2100, 0x602100, 0x200, 0x3000, 0x1000 },
	},
	.file_size = 0x3000,
};

struct mem_case {
	unsigned char *exe, *ld;
	size_t exe_size, ld_size;
	struct elf_mem_file files[3];
	struct elf_mem_fs fs;
	struct elf_params params;
};

/* mem_init - /t/exe from @exe, /t/ld.so from @ld (NULL: none), a directory /t/dir. */
static void mem_init(struct mem_case *mc, const struct elf_spec *exe, const struct elf_spec *ld)
{
	memset(mc, 0, sizeof(*mc));
	mc->exe = build_elf(exe, &mc->exe_size);
	if (ld)
		mc->ld = build_elf(ld, &mc->ld_size);
	mc->files[0] = (struct elf_mem_file){ "/t/exe", mc->exe, mc->exe_size, 0 };
	mc->files[1] = (struct elf_mem_file){ "/t/ld.so", mc->ld, mc->ld_size, ld ? 0 : -ENOENT };
	mc->files[2] = (struct elf_mem_file){ "/t/dir", NULL, 0, -EACCES };
	mc->fs = (struct elf_mem_fs){ mc->files, 3, NULL };
	elf_params_init(&mc->params);
}

static int mem_plan(struct elf_plan *plan, struct mem_case *mc)
{
	int ret = elf_plan_exec(plan, &elf_mem_file_ops, &mc->fs, "/t/exe", test_argv, test_envp,
				&mc->params);

	if (ret)
		printf("# plan: %s\n", plan->errmsg);
	return ret;
}

static void mem_free(struct mem_case *mc)
{
	free(mc->exe);
	free(mc->ld);
}

/* ---- checks every plan must pass ---- */

static const struct elf_map *find_kind(const struct elf_plan *plan, enum elf_map_kind kind,
				       enum elf_image_id image, int nth)
{
	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *m = &plan->maps[i];

		if (m->kind == kind && (image == ELF_IMAGE_NONE || m->image == image) && nth-- == 0)
			return m;
	}
	return NULL;
}

static const struct elf_map *find_named(const struct elf_plan *plan, const char *name)
{
	for (unsigned int i = 0; i < plan->nr_maps; i++)
		if (plan->maps[i].name && !strcmp(plan->maps[i].name, name))
			return &plan->maps[i];
	return NULL;
}

/* image_span - the lowest start and highest end of @image's areas. */
static void image_span(const struct elf_plan *plan, enum elf_image_id image, unsigned long *lo,
		       unsigned long *hi)
{
	*lo = ~0UL;
	*hi = 0;
	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *m = &plan->maps[i];

		if (m->image != image)
			continue;
		if (m->start < *lo)
			*lo = m->start;
		if (m->end > *hi)
			*hi = m->end;
	}
}

/* plan_is_sane - areas page-aligned, disjoint, user addresses; file offsets page-aligned. */
static void assert_plan_sane(const struct elf_plan *plan)
{
	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *a = &plan->maps[i];

		assert_true(a->start < a->end);
		assert_int_equal(a->start % PAGE, 0);
		assert_int_equal(a->end % PAGE, 0);
		assert_true(a->end <= plan->params.task_size);
		assert_int_equal(a->offset % PAGE, 0);
		assert_true(a->zero_start >= a->start && a->zero_end <= a->end &&
			    a->zero_start <= a->zero_end);
		for (unsigned int j = i + 1; j < plan->nr_maps; j++) {
			const struct elf_map *b = &plan->maps[j];

			assert_true(a->end <= b->start || b->end <= a->start);
		}
	}
	assert_int_equal(plan->sp % 16, 0);
	assert_true(plan->sp < plan->random_addr && plan->random_addr < plan->arg_start);
	assert_int_equal(plan->auxv[plan->nr_auxv - 2], AT_NULL);
}

/* ---- real binaries ---- */

static void true_is_a_pie_at_et_dyn_base_with_its_interpreter(void **state)
{
	struct elf_plan *plan = *state;
	const struct elf_map *text, *vdso, *vvar, *stack;
	unsigned long lo, hi;

	need_prog("/bin/true");
	assert_int_equal(plan_host(plan, "/bin/true", NULL), 0);
	assert_plan_sane(plan);
	assert_int_equal(plan->exec.ehdr.e_type, ET_DYN);
	assert_true(plan->has_interp);
	assert_int_equal(plan->load_bias, PIE_BASE);
	image_span(plan, ELF_IMAGE_EXEC, &lo, &hi);
	assert_int_equal(lo, PIE_BASE);
	text = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 0);
	assert_int_equal(text->flags, TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED_NOREPLACE);
	/* ld.so: the whole image right below mmap_base, then the vDSO right below it */
	image_span(plan, ELF_IMAGE_INTERP, &lo, &hi);
	assert_int_equal(lo, MMAP_BASE - ((plan->interp.total_size + PAGE - 1) & ~(PAGE - 1)));
	assert_int_equal(plan->interp_base, lo);
	assert_int_equal(plan->entry, plan->interp_base + plan->interp.ehdr.e_entry);
	vdso = find_named(plan, "[vdso]");
	vvar = find_named(plan, "[vvar]");
	assert_non_null(vdso);
	assert_non_null(vvar);
	assert_int_equal(vdso->end, lo);
	assert_int_equal(vvar->start, lo - VDSO_BYTES);
	assert_int_equal(plan->vdso_base, vdso->start);
	assert_int_equal(elf_auxv_get(plan, AT_SYSINFO_EHDR, 0), vdso->start);
	assert_int_equal(elf_auxv_get(plan, AT_BASE, 1), plan->interp_base);
	assert_int_equal(elf_auxv_get(plan, AT_ENTRY, 0), PIE_BASE + plan->exec.ehdr.e_entry);
	assert_int_equal(elf_auxv_get(plan, AT_PHNUM, 0), plan->exec.ehdr.e_phnum);
	assert_int_equal(plan->start_brk, (plan->end_data + PAGE - 1) & ~(PAGE - 1));
	stack = find_kind(plan, ELF_MAP_STACK, ELF_IMAGE_NONE, 0);
	assert_int_equal(stack->end, TOP);
	assert_int_equal(stack->start, TOP - 33 * PAGE);	/* one page of strings + 128 KiB */
	assert_int_equal(stack->prot, PROT_R | PROT_W);
}

static void static_exec_loads_at_its_addresses(void **state)
{
	struct elf_plan *plan = *state;
	const struct elf_map *first, *vvar;

	need_prog(TUXMM_PROG_STATIC);
	assert_int_equal(plan_host(plan, TUXMM_PROG_STATIC, NULL), 0);
	assert_plan_sane(plan);
	assert_int_equal(plan->exec.ehdr.e_type, ET_EXEC);
	assert_false(plan->has_interp);
	assert_int_equal(plan->load_bias, 0);
	first = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 0);
	for (unsigned int i = 0; i < plan->exec.nr_phdr; i++) {
		if (plan->exec.phdr[i].p_type == PT_LOAD) {
			assert_int_equal(first->start, plan->exec.phdr[i].p_vaddr & ~(PAGE - 1));
			break;
		}
	}
	assert_int_equal(plan->entry, plan->exec.ehdr.e_entry);
	assert_int_equal(plan->interp_base, 0);
	assert_int_equal(elf_auxv_get(plan, AT_BASE, 1), 0);
	assert_false(plan->brk_moved);
	vvar = find_named(plan, "[vvar]");
	assert_int_equal(vvar->start, MMAP_BASE - VDSO_BYTES);
}

static void static_pie_loads_below_mmap_base_and_moves_brk(void **state)
{
	struct elf_plan *plan = *state;
	unsigned long lo, hi;

	need_prog(TUXMM_PROG_STATIC_PIE);
	assert_int_equal(plan_host(plan, TUXMM_PROG_STATIC_PIE, NULL), 0);
	assert_plan_sane(plan);
	assert_int_equal(plan->exec.ehdr.e_type, ET_DYN);
	assert_false(plan->has_interp);
	image_span(plan, ELF_IMAGE_EXEC, &lo, &hi);
	assert_int_equal(hi, MMAP_BASE);
	assert_int_equal(lo, MMAP_BASE - ((plan->exec.total_size + PAGE - 1) & ~(PAGE - 1)));
	assert_int_equal(plan->load_bias, lo);
	/* brk at ELF_ET_DYN_BASE rounded up, even with ASLR off (Linux 6.15+) */
	assert_true(plan->brk_moved);
	assert_int_equal(plan->start_brk, 0x555555555000UL);
	assert_int_equal(plan->brk, plan->start_brk);
	assert_int_equal(find_named(plan, "[vdso]")->end, lo);
}

static void dynamic_nopie_puts_interpreter_below_mmap_base(void **state)
{
	struct elf_plan *plan = *state;
	unsigned long lo, hi;

	need_prog(TUXMM_PROG_NOPIE);
	assert_int_equal(plan_host(plan, TUXMM_PROG_NOPIE, NULL), 0);
	assert_plan_sane(plan);
	assert_int_equal(plan->exec.ehdr.e_type, ET_EXEC);
	assert_true(plan->has_interp);
	assert_int_equal(plan->load_bias, 0);
	image_span(plan, ELF_IMAGE_INTERP, &lo, &hi);
	assert_int_equal(hi, MMAP_BASE);
	assert_int_equal(plan->interp_base, lo);
}

static void big_file_mapping_is_pmd_aligned_with_thp(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_params p;
	unsigned long lo, hi, total, pmd = 2UL << 20, ret, want;

	need_prog(TUXMM_PROG_BIG_STATIC_PIE);
	elf_params_init(&p);
	assert_int_equal(plan_host(plan, TUXMM_PROG_BIG_STATIC_PIE, &p), 0);
	total = (plan->exec.total_size + PAGE - 1) & ~(PAGE - 1);
	assert_true(total > (2UL << 20));
	image_span(plan, ELF_IMAGE_EXEC, &lo, &hi);
	assert_int_equal(lo, MMAP_BASE - total);	/* without THP: right below mmap_base */
	p.thp_file_align = true;
	assert_int_equal(plan_host(plan, TUXMM_PROG_BIG_STATIC_PIE, &p), 0);
	image_span(plan, ELF_IMAGE_EXEC, &lo, &hi);
	/* __thp_get_unmapped_area(): room for a PMD more, then the file's PMD alignment */
	ret = MMAP_BASE - total - pmd;
	want = (-ret & (pmd - 1)) ? ret + (-ret & (pmd - 1)) : ret + pmd;
	assert_int_equal(lo % pmd, 0);
	assert_int_equal(lo, want);
	/* the vDSO takes the highest gap that fits: above the image if there is room */
	if (MMAP_BASE - (lo + total) >= VDSO_BYTES)
		assert_int_equal(find_named(plan, "[vdso]")->end, MMAP_BASE);
	else
		assert_int_equal(find_named(plan, "[vdso]")->end, lo);
}

/* ---- layouts of small files ---- */

static void bss_clears_the_last_file_page_and_maps_zero_pages(void **state)
{
	struct elf_plan *plan = *state;
	const struct elf_map *data, *bss;
	struct mem_case mc;

	mem_init(&mc, &exec_spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_plan_sane(plan);
	data = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 1);
	assert_int_equal(data->start, 0x602000);
	assert_int_equal(data->end, 0x603000);
	assert_int_equal(data->offset, 0x2000);
	assert_int_equal(data->prot, PROT_R | PROT_W);
	assert_int_equal(data->zero_start, 0x602300);
	assert_int_equal(data->zero_end, 0x603000);
	bss = find_kind(plan, ELF_MAP_ANON, ELF_IMAGE_EXEC, 0);
	assert_int_equal(bss->start, 0x603000);
	assert_int_equal(bss->end, 0x606000);
	assert_int_equal(bss->prot, PROT_R | PROT_W);
	assert_int_equal(plan->start_code, 0x400000);
	assert_int_equal(plan->end_code, 0x401800);
	assert_int_equal(plan->start_data, 0x602100);
	assert_int_equal(plan->end_data, 0x602300);
	assert_int_equal(plan->start_brk, 0x606000);	/* PAGE_ALIGN(0x605100), no gap: ASLR off */
	assert_int_equal(plan->entry, 0x401000);
	assert_int_equal(plan->phdr_addr, 0x400040);
	mem_free(&mc);
}

static void readonly_bss_keeps_file_bytes_but_gets_rw_zero_pages(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	const struct elf_map *data, *bss;
	struct mem_case mc;

	spec.segs[1].flags = PF_R;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	data = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 1);
	assert_int_equal(data->zero_start, data->zero_end);	/* clear_user() faults, ignored */
	bss = find_kind(plan, ELF_MAP_ANON, ELF_IMAGE_EXEC, 0);
	assert_int_equal(bss->prot, PROT_R | PROT_W);		/* vm_brk_flags() is always rw */
	mem_free(&mc);
}

static void pie_with_interpreter_is_laid_out_exactly(void **state)
{
	struct elf_plan *plan = *state;
	struct mem_case mc;
	static const struct {
		enum elf_map_kind kind;
		unsigned long start, end, offset, prot;
	} want[] = {
		{ ELF_MAP_STACK, TOP - 33 * PAGE, TOP, 0, PROT_R | PROT_W },
		{ ELF_MAP_FILE, PIE_BASE, PIE_BASE + 0x1000, 0, PROT_R },
		{ ELF_MAP_FILE, PIE_BASE + 0x1000, PIE_BASE + 0x2000, 0x1000, PROT_R | PROT_X },
		{ ELF_MAP_FILE, PIE_BASE + 0x3000, PIE_BASE + 0x4000, 0x2000, PROT_R | PROT_W },
		{ ELF_MAP_FILE, MMAP_BASE - 0x5000, MMAP_BASE - 0x3000, 0, PROT_R | PROT_X },
		{ ELF_MAP_FILE, MMAP_BASE - 0x3000, MMAP_BASE - 0x2000, 0x2000, PROT_R | PROT_W },
		{ ELF_MAP_ANON, MMAP_BASE - 0x2000, MMAP_BASE, 0, PROT_R | PROT_W },
		{ ELF_MAP_SPECIAL, MMAP_BASE - 0x7000, MMAP_BASE - 0x5000, 0, PROT_R | PROT_X },
		{ ELF_MAP_SPECIAL, MMAP_BASE - 0xd000, MMAP_BASE - 0x9000, 0, PROT_R },
		{ ELF_MAP_SPECIAL, MMAP_BASE - 0x9000, MMAP_BASE - 0x7000, 0, PROT_R },
	};

	mem_init(&mc, &pie_spec, &ld_spec);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_plan_sane(plan);
	assert_int_equal(plan->nr_maps, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		const struct elf_map *m = &plan->maps[i];

		assert_int_equal(m->kind, want[i].kind);
		assert_int_equal(m->start, want[i].start);
		assert_int_equal(m->end, want[i].end);
		assert_int_equal(m->offset, want[i].offset);
		assert_int_equal(m->prot, want[i].prot);
	}
	/* the PIE's rw page: file bytes up to 0x3f00, zero to the page end (the bss fits) */
	assert_int_equal(plan->maps[3].zero_start, PIE_BASE + 0x3f00);
	assert_int_equal(plan->maps[3].zero_end, PIE_BASE + 0x4000);
	assert_int_equal(plan->interp_base, MMAP_BASE - 0x5000);
	assert_int_equal(plan->entry, MMAP_BASE - 0x5000 + 0x1100);
	assert_int_equal(plan->e_entry, PIE_BASE + 0x1040);
	assert_int_equal(plan->phdr_addr, PIE_BASE + 64);
	assert_int_equal(plan->start_brk, PIE_BASE + 0x4000);	/* PAGE_ALIGN(0x4000) */
	assert_string_equal(plan->interp.path, "/t/ld.so");
	mem_free(&mc);
}

static void pie_honours_its_largest_alignment(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = pie_spec;
	struct mem_case mc;

	spec.segs[1].align = 2UL << 20;
	spec.segs[2].align = 3;		/* not a power of two: ignored */
	mem_init(&mc, &spec, &ld_spec);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->load_bias, 0x555555400000UL);
	mem_free(&mc);
}

static void loader_with_large_alignment_is_placed_then_aligned_down(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = ld_spec;
	struct mem_case mc;

	spec.segs[0].align = 1UL << 20;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	/* mmap put the 0x5000-byte image at MMAP_BASE - 0x5000; 1 MiB alignment moves it down */
	assert_int_equal(plan->load_bias, (MMAP_BASE - 0x5000) & ~((1UL << 20) - 1));
	assert_int_equal(find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 0)->flags,
			 TUXMM_MAP_PRIVATE | TUXMM_MAP_FIXED_NOREPLACE);
	mem_free(&mc);
}

static void later_segment_replaces_overlapped_part_as_map_fixed_does(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	const struct elf_map *m;
	struct mem_case mc;

	/* second PT_LOAD at 0x401000..0x402000 lands inside the first's 0x400000..0x402000 */
	spec.segs[1] = (struct seg){ PT_LOAD, PF_RW, 0x1000, 0x401000, 0x800, 0x800, 0x1000 };
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_plan_sane(plan);
	m = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 0);
	assert_int_equal(m->start, 0x400000);
	assert_int_equal(m->end, 0x401000);
	assert_int_equal(m->prot, PROT_R | PROT_X);
	m = find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_EXEC, 1);
	assert_int_equal(m->start, 0x401000);
	assert_int_equal(m->prot, PROT_R | PROT_W);
	mem_free(&mc);
}

static void gnu_stack_with_pf_x_makes_the_stack_executable(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	struct mem_case mc;

	spec.segs[spec.nr_segs++] = (struct seg){ PT_GNU_STACK, PF_RW | PF_X, 0, 0, 0, 0, 16 };
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(find_kind(plan, ELF_MAP_STACK, ELF_IMAGE_NONE, 0)->prot,
			 PROT_R | PROT_W | PROT_X);
	mem_free(&mc);
}

static void phdr_outside_every_segment_gives_bias_as_at_phdr(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	struct mem_case mc;

	spec.segs[0].offset = 0x1000;
	spec.segs[0].vaddr = 0x401000;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->phdr_addr, 0);
	mem_free(&mc);
}

static void exec_interpreter_loads_at_its_own_addresses(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec ld = exec_spec;
	struct mem_case mc;

	ld.entry = 0x400100;
	mem_init(&mc, &pie_spec, &ld);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->interp_base, 0);
	assert_int_equal(plan->entry, 0x400100);
	assert_int_equal(find_kind(plan, ELF_MAP_FILE, ELF_IMAGE_INTERP, 0)->start, 0x400000);
	mem_free(&mc);
}

static void bottom_up_layout_places_from_the_legacy_base(void **state)
{
	struct elf_plan *plan = *state;
	struct mem_case mc;

	mem_init(&mc, &pie_spec, &ld_spec);
	mc.params.mmap_topdown = false;
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->interp_base, mc.params.mmap_legacy_base);
	assert_int_equal(find_named(plan, "[vvar]")->start, mc.params.mmap_legacy_base + 0x5000);
	mem_free(&mc);
}

static void randomized_pie_adds_mmap_rnd_and_moves_brk(void **state)
{
	struct elf_plan *plan = *state;
	struct mem_case mc;

	mem_init(&mc, &pie_spec, &ld_spec);
	mc.params.randomize = true;
	mc.params.randomize_va_space = 2;
	mc.params.mmap_rnd = 0x12345000;
	mc.params.brk_rnd = 0x777000;
	mc.params.align_rnd[0] = 0;
	mc.params.align_rnd[1] = 0x123;
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->load_bias, PIE_BASE + 0x12345000);
	/* a page of gap after the bss, then the random offset */
	assert_int_equal(plan->start_brk, PIE_BASE + 0x12345000 + 0x4000 + PAGE + 0x777000);
	assert_true(plan->brk_moved);
	mem_free(&mc);
}

static void auxv_keys_come_in_linux_6_18_order(void **state)
{
	struct elf_plan *plan = *state;
	struct mem_case mc;
	static const unsigned long keys[] = {
		AT_SYSINFO_EHDR, AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR,
		AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID,
		AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM,
		AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN, AT_NULL,
	};

	mem_init(&mc, &pie_spec, &ld_spec);
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->nr_auxv, 2 * ARRAY_SIZE(keys));
	for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++)
		assert_int_equal(plan->auxv[2 * i], keys[i]);
	assert_int_equal(elf_auxv_get(plan, AT_PAGESZ, 0), PAGE);
	assert_int_equal(elf_auxv_get(plan, AT_PHENT, 0), ELF_PHDR_SIZE);
	assert_int_equal(elf_auxv_get(plan, AT_RANDOM, 0), plan->random_addr);
	assert_int_equal(elf_auxv_get(plan, AT_EXECFN, 0), plan->execfn_addr);
	/* without a vDSO, a platform or rseq, their entries go */
	mc.params.vdso = false;
	mc.params.platform = NULL;
	mc.params.rseq_feature_size = mc.params.rseq_align = 0;
	assert_int_equal(mem_plan(plan, &mc), 0);
	assert_int_equal(plan->nr_auxv, 2 * (ARRAY_SIZE(keys) - 4));
	assert_int_equal(plan->auxv[0], AT_MINSIGSTKSZ);
	assert_null(find_named(plan, "[vdso]"));
	mem_free(&mc);
}

static void placement_keeps_the_stack_guard_gap_free(void **state)
{
	struct elf_plan *plan = *state;
	const struct elf_map *stack;
	struct mem_case mc;

	mem_init(&mc, &pie_spec, &ld_spec);
	mc.params.mmap_base = TOP;	/* top-down search starts at the stack itself */
	assert_int_equal(mem_plan(plan, &mc), 0);
	stack = find_kind(plan, ELF_MAP_STACK, ELF_IMAGE_NONE, 0);
	assert_int_equal(plan->interp_base + 0x5000, stack->start - 256 * PAGE);
	mem_free(&mc);
}

/* ---- the stack image ---- */

static unsigned long word_at(const unsigned char *img, const struct elf_plan *plan,
			     unsigned long addr)
{
	unsigned long v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | img[addr - plan->sp + (unsigned long)i];
	return v;
}

static void stack_image_holds_argv_envp_auxv_and_strings(void **state)
{
	struct elf_plan *plan = *state;
	struct mem_case mc;
	unsigned char *img;
	unsigned long q;

	mem_init(&mc, &pie_spec, &ld_spec);
	elf_random_from_seed(42, mc.params.random);
	assert_int_equal(mem_plan(plan, &mc), 0);
	img = malloc(elf_stack_size(plan));
	assert_int_equal(elf_build_stack(plan, img, elf_stack_size(plan) - 1), -ENOSPC);
	assert_int_equal(elf_build_stack(plan, img, elf_stack_size(plan)), 0);
	assert_int_equal(word_at(img, plan, plan->sp), 2);	/* argc */
	q = plan->sp + 8;
	for (int i = 0; i < 2; i++, q += 8)
		assert_string_equal((char *)img + (word_at(img, plan, q) - plan->sp), test_argv[i]);
	assert_int_equal(word_at(img, plan, q), 0);
	q += 8;
	for (int i = 0; i < 2; i++, q += 8)
		assert_string_equal((char *)img + (word_at(img, plan, q) - plan->sp), test_envp[i]);
	assert_int_equal(word_at(img, plan, q), 0);
	q += 8;
	for (unsigned int i = 0; i < plan->nr_auxv; i++, q += 8)
		assert_int_equal(word_at(img, plan, q), plan->auxv[i]);
	/* below 16 bytes of padding at most, AT_RANDOM's bytes, then "x86_64" */
	assert_true(plan->random_addr - q < 16);
	assert_memory_equal(img + (plan->random_addr - plan->sp), mc.params.random, 16);
	assert_int_equal(plan->platform_addr, plan->random_addr + 16);
	assert_string_equal((char *)img + (plan->platform_addr - plan->sp), "x86_64");
	assert_int_equal(plan->platform_addr + sizeof("x86_64"), plan->arg_start & ~0xfUL);
	assert_string_equal((char *)img + (plan->execfn_addr - plan->sp), "/t/exe");
	assert_int_equal(plan->execfn_addr, TOP - 8 - sizeof("/t/exe"));
	assert_int_equal(plan->arg_start, plan->execfn_addr - sizeof("A=1TUXMM=unit") - 1 -
					  sizeof("prog") - sizeof("arg1"));
	assert_int_equal(plan->env_end, plan->execfn_addr);
	assert_int_equal(word_at(img, plan, TOP - 8), 0);
	free(img);
	mem_free(&mc);
}

static void empty_argv_gets_an_empty_argv0(void **state)
{
	struct elf_plan *plan = *state;
	static const char *const none[] = { NULL };
	struct mem_case mc;
	unsigned char *img;

	mem_init(&mc, &exec_spec, NULL);
	assert_int_equal(elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", none, NULL,
				       &mc.params), 0);
	assert_int_equal(plan->argc, 1);
	assert_int_equal(plan->envc, 0);
	assert_int_equal(plan->arg_end, plan->arg_start + 1);
	img = malloc(elf_stack_size(plan));
	assert_int_equal(elf_build_stack(plan, img, elf_stack_size(plan)), 0);
	assert_int_equal(word_at(img, plan, plan->sp), 1);
	assert_int_equal(word_at(img, plan, plan->sp + 8), plan->arg_start);
	assert_int_equal(img[plan->arg_start - plan->sp], 0);
	free(img);
	mem_free(&mc);
}

static void long_argument_is_e2big_before_the_file_is_read(void **state)
{
	struct elf_plan *plan = *state;
	char *big = malloc(32 * PAGE + 1);
	const char *argv[] = { "prog", big, NULL };
	struct mem_case mc;

	memset(big, 'x', 32 * PAGE);
	big[32 * PAGE] = '\0';
	mem_init(&mc, &exec_spec, NULL);
	mc.exe[0] = 'X';	/* not ELF: E2BIG comes first */
	assert_int_equal(elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", argv, NULL,
				       &mc.params), -E2BIG);
	assert_false(plan->err_fatal);
	big[32 * PAGE - 1] = '\0';	/* MAX_ARG_STRLEN with its NUL: fits */
	assert_int_equal(elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", argv, NULL,
				       &mc.params), -ENOEXEC);
	free(big);
	mem_free(&mc);
}

static void strings_beyond_a_quarter_of_the_stack_rlimit_are_e2big(void **state)
{
	struct elf_plan *plan = *state;
	static char strings[40][4096];
	const char *envp[41] = { NULL };
	struct mem_case mc;

	for (int i = 0; i < 40; i++) {
		memset(strings[i], 'e', sizeof(strings[i]) - 1);
		envp[i] = strings[i];
	}
	mem_init(&mc, &exec_spec, NULL);
	mc.params.rlim_stack = 512UL << 10;	/* limit: max(128 KiB, 512 KiB / 4) */
	assert_int_equal(elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", test_argv, envp,
				       &mc.params), -E2BIG);
	mc.params.rlim_stack = 8UL << 20;
	assert_int_equal(elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", test_argv, envp,
				       &mc.params), 0);
	/* 160 KiB of strings: the stack area is their pages plus 128 KiB */
	assert_int_equal(find_kind(plan, ELF_MAP_STACK, ELF_IMAGE_NONE, 0)->start,
			 (plan->arg_start & ~(PAGE - 1)) - 32 * PAGE);
	mem_free(&mc);
}

/* ---- malformed files: Linux's errno for each ---- */

enum poke_kind { POKE_U8, POKE_U16, POKE_U32, POKE_U64 };

struct poke {
	size_t off;		/* byte offset in the file */
	enum poke_kind kind;
	uint64_t value;
};

struct bad_case {
	const char *name;
	int want;		/* -errno */
	bool fatal;		/* Linux fails after the point of no return */
	int target;		/* 0: the PIE /t/exe, 1: its /t/ld.so */
	unsigned int nr_pokes;
	struct poke pokes[2];
	bool cut;		/* the file is cut to @keep bytes */
	size_t keep;
	const char *interp;	/* a new PT_INTERP string of the same length */
};

/* Offsets in build_elf()'s files: phdr i of the PIE (0 is PT_INTERP) and of ld.so. */
#define PH(i, field)	(64 + (i) * ELF_PHDR_SIZE + (field))
#define P_TYPE		0
#define P_OFFSET	8
#define P_FILESZ	32
#define P_MEMSZ		40
#define E_TYPE		16
#define E_MACHINE	18
#define E_PHOFF		32
#define E_PHENTSIZE	54
#define E_PHNUM		56
#define POKE1(o, k, v)	.nr_pokes = 1, .pokes = { { (o), (k), (v) } }

static const struct bad_case bad_cases[] = {
	{ "empty file", -ENOEXEC, .cut = true, .keep = 0 },
	{ "ten bytes", -ENOEXEC, .cut = true, .keep = 10 },
	{ "bad magic", -ENOEXEC, POKE1(1, POKE_U8, 'e') },
	{ "ELFCLASS32", -ENOEXEC, POKE1(4, POKE_U8, 1) },
	{ "big-endian", -ENOEXEC, POKE1(5, POKE_U8, 2) },
	{ "ET_REL", -ENOEXEC, POKE1(E_TYPE, POKE_U16, 1) },
	{ "ET_CORE", -ENOEXEC, POKE1(E_TYPE, POKE_U16, 4) },
	{ "i386 machine", -ENOEXEC, POKE1(E_MACHINE, POKE_U16, 3) },
	{ "aarch64 machine", -ENOEXEC, POKE1(E_MACHINE, POKE_U16, 183) },
	{ "e_phentsize 32", -ENOEXEC, POKE1(E_PHENTSIZE, POKE_U16, 32) },
	{ "no program headers", -ENOEXEC, POKE1(E_PHNUM, POKE_U16, 0) },
	{ "74 program headers: over a page", -ENOEXEC, POKE1(E_PHNUM, POKE_U16, 74) },
	{ "65535 program headers", -ENOEXEC, POKE1(E_PHNUM, POKE_U16, 65535) },
	{ "program headers past the end", -ENOEXEC, POKE1(E_PHOFF, POKE_U64, 0x2fe0) },
	{ "program headers at 2^64-8", -ENOEXEC, POKE1(E_PHOFF, POKE_U64, ~7ULL) },
	{ "PT_INTERP not NUL-terminated", -ENOEXEC, POKE1(INTERP_OFF + 8, POKE_U8, 'x') },
	{ "PT_INTERP of 4097 bytes", -ENOEXEC, POKE1(PH(0, P_FILESZ), POKE_U64, 4097) },
	{ "PT_INTERP of 1 byte", -ENOEXEC, POKE1(PH(0, P_FILESZ), POKE_U64, 1) },
	{ "PT_INTERP past the end", -EIO, POKE1(PH(0, P_OFFSET), POKE_U64, 0x2ffc) },
	{ "PT_INTERP at 2^63", -EINVAL, POKE1(PH(0, P_OFFSET), POKE_U64, 1ULL << 63) },
	{ "interpreter missing", -ENOENT, .interp = "/t/nold" },
	{ "interpreter is a directory", -EACCES, .interp = "/t/dir" },
	{ "interpreter of 40 bytes", -EIO, .target = 1, .cut = true, .keep = 40 },
	{ "interpreter not ELF", -ELIBBAD, .target = 1, POKE1(0, POKE_U8, 'X') },
	{ "interpreter for aarch64", -ELIBBAD, .target = 1, POKE1(E_MACHINE, POKE_U16, 183) },
	{ "interpreter e_phentsize 0", -ELIBBAD, .target = 1, POKE1(E_PHENTSIZE, POKE_U16, 0) },
	{ "interpreter ET_REL", -EPERM, true, .target = 1, POKE1(E_TYPE, POKE_U16, 1) },
	{ "interpreter without PT_LOAD", -EINVAL, true, .target = 1, .nr_pokes = 2,
	  .pokes = { { E_PHNUM, POKE_U16, 1 }, { PH(0, P_TYPE), POKE_U32, 4 } } },
	{ "interpreter filesz > memsz", -ENOMEM, true, .target = 1,
	  POKE1(PH(1, P_FILESZ), POKE_U64, 0x3000) },
	{ "PT_LOAD filesz > memsz", -EINVAL, true, POKE1(PH(3, P_FILESZ), POKE_U64, 0x800) },
	{ "PT_LOAD offset not congruent", -EINVAL, true, POKE1(PH(2, P_OFFSET), POKE_U64, 0x1010) },
	{ "PT_LOADs spanning nothing", -EINVAL, true, .nr_pokes = 2,
	  .pokes = { { E_PHNUM, POKE_U16, 2 }, { PH(1, P_MEMSZ), POKE_U64, 0 } } },
	{ "writable bss page past the end", -EFAULT, true,
	  POKE1(PH(3, P_OFFSET), POKE_U64, 0x4e00) },
};

static void poke(unsigned char *b, const struct poke *pk)
{
	switch (pk->kind) {
	case POKE_U8:
		b[pk->off] = (unsigned char)pk->value;
		break;
	case POKE_U16:
		put16(b + pk->off, (uint16_t)pk->value);
		break;
	case POKE_U32:
		put32(b + pk->off, (uint32_t)pk->value);
		break;
	case POKE_U64:
		put64(b + pk->off, pk->value);
		break;
	}
}

static void malformed_files_get_linux_errno(void **state)
{
	struct elf_plan *plan = *state;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct mem_case mc;
		int ret;

		mem_init(&mc, &pie_spec, &ld_spec);
		for (unsigned int j = 0; j < c->nr_pokes; j++)
			poke(c->target ? mc.ld : mc.exe, &c->pokes[j]);
		if (c->cut)
			mc.files[c->target].size_bytes = c->keep;
		if (c->interp) {
			memset(mc.exe + INTERP_OFF, 0, sizeof("/t/ld.so"));
			memcpy(mc.exe + INTERP_OFF, c->interp, strlen(c->interp));
		}
		ret = elf_plan_exec(plan, &elf_mem_file_ops, &mc.fs, "/t/exe", test_argv,
				    test_envp, &mc.params);
		printf("# %-34s -> %d %s\n", c->name, ret, plan->errmsg);
		if (ret != c->want || plan->err_fatal != c->fatal)
			fail_msg("%s: got %d (fatal %d), want %d (fatal %d)", c->name, ret,
				 plan->err_fatal, c->want, c->fatal);
		assert_true(plan->errmsg[0] != '\0');
		assert_int_equal(plan->err, ret);
		mem_free(&mc);
	}
}

static void exec_past_task_size_is_enomem(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	struct mem_case mc;

	spec.segs[0].vaddr = 0x7ffffffff000UL;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), -ENOMEM);	/* vm_mmap(): addr > TASK_SIZE - len */
	assert_true(plan->err_fatal);
	mem_free(&mc);
}

static void exec_over_the_stack_is_eexist(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	struct mem_case mc;

	spec.segs[0].vaddr = TOP - 0x10000;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), -EEXIST);	/* MAP_FIXED_NOREPLACE */
	assert_true(plan->err_fatal);
	mem_free(&mc);
}

static void entry_past_task_size_is_einval(void **state)
{
	struct elf_plan *plan = *state;
	struct elf_spec spec = exec_spec;
	struct mem_case mc;

	spec.entry = 0x800000000000UL;
	mem_init(&mc, &spec, NULL);
	assert_int_equal(mem_plan(plan, &mc), -EINVAL);
	assert_true(plan->err_fatal);
	mem_free(&mc);
}

static void host_paths_get_open_exec_errors(void **state)
{
	struct elf_plan *plan = *state;
	char tmpl[] = "/tmp/tuxmm-binfmt-XXXXXX";
	char long_path[ELF_PATH_MAX + 8];
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\177ELF", 4), 4);
	close(fd);
	assert_int_equal(plan_host(plan, "/nonexistent/tuxmm", NULL), -ENOENT);
	assert_int_equal(plan_host(plan, "/tmp", NULL), -EACCES);
	chmod(tmpl, 0644);
	assert_int_equal(plan_host(plan, tmpl, NULL), -EACCES);	/* root needs an x bit too */
	chmod(tmpl, 0755);
	assert_int_equal(plan_host(plan, tmpl, NULL), -ENOEXEC);	/* short: zero-filled */
	assert_false(plan->err_fatal);
	unlink(tmpl);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(plan_host(plan, long_path, NULL), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(true_is_a_pie_at_et_dyn_base_with_its_interpreter,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(static_exec_loads_at_its_addresses, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(static_pie_loads_below_mmap_base_and_moves_brk,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(dynamic_nopie_puts_interpreter_below_mmap_base,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(big_file_mapping_is_pmd_aligned_with_thp,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(bss_clears_the_last_file_page_and_maps_zero_pages,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(
			readonly_bss_keeps_file_bytes_but_gets_rw_zero_pages, setup_plan,
			teardown_plan),
		cmocka_unit_test_setup_teardown(pie_with_interpreter_is_laid_out_exactly,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(pie_honours_its_largest_alignment, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(
			loader_with_large_alignment_is_placed_then_aligned_down, setup_plan,
			teardown_plan),
		cmocka_unit_test_setup_teardown(
			later_segment_replaces_overlapped_part_as_map_fixed_does, setup_plan,
			teardown_plan),
		cmocka_unit_test_setup_teardown(gnu_stack_with_pf_x_makes_the_stack_executable,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(phdr_outside_every_segment_gives_bias_as_at_phdr,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(exec_interpreter_loads_at_its_own_addresses,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(bottom_up_layout_places_from_the_legacy_base,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(randomized_pie_adds_mmap_rnd_and_moves_brk,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(auxv_keys_come_in_linux_6_18_order, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(placement_keeps_the_stack_guard_gap_free,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(stack_image_holds_argv_envp_auxv_and_strings,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(empty_argv_gets_an_empty_argv0, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(long_argument_is_e2big_before_the_file_is_read,
						setup_plan, teardown_plan),
		cmocka_unit_test_setup_teardown(
			strings_beyond_a_quarter_of_the_stack_rlimit_are_e2big, setup_plan,
			teardown_plan),
		cmocka_unit_test_setup_teardown(malformed_files_get_linux_errno, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(exec_past_task_size_is_enomem, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(exec_over_the_stack_is_eexist, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(entry_past_task_size_is_einval, setup_plan,
						teardown_plan),
		cmocka_unit_test_setup_teardown(host_paths_get_open_exec_errors, setup_plan,
						teardown_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
