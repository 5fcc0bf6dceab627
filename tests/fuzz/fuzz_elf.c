/*
 * fuzz_elf.c - libFuzzer target for the exec planner: any bytes as the executable (and as
 * its interpreter, whatever PT_INTERP names), under two layouts; a plan that succeeds must
 * be sane and its stack image must build. Aborts on any violation; the sanitizers do the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const struct elf_plan *plan, const char *what)
{
	fprintf(stderr, "fuzz_elf: %s (err %d: %s)\n", what, plan->err, plan->errmsg);
	abort();
}

/* check_plan - what every successful plan keeps: aligned, disjoint, user areas; a stack. */
static void check_plan(const struct elf_plan *plan)
{
	unsigned long page = plan->params.page_size;
	unsigned char *img;

	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *a = &plan->maps[i];

		if (a->start >= a->end || (a->start | a->end | a->offset) & (page - 1))
			fuzz_fail(plan, "area not page-aligned or empty");
		if (a->end > plan->params.task_size)
			fuzz_fail(plan, "area past TASK_SIZE");
		if (a->zero_start < a->start || a->zero_end > a->end || a->zero_start > a->zero_end)
			fuzz_fail(plan, "zeroing outside its area");
		for (unsigned int j = i + 1; j < plan->nr_maps; j++)
			if (a->start < plan->maps[j].end && plan->maps[j].start < a->end)
				fuzz_fail(plan, "areas overlap");
	}
	if (plan->sp & 15 || plan->sp >= plan->stack_top || plan->entry >= plan->params.task_size)
		fuzz_fail(plan, "bad stack pointer or entry");
	if (plan->nr_auxv < 2 || plan->auxv[plan->nr_auxv - 2] != 0)
		fuzz_fail(plan, "auxv not terminated");
	img = malloc(elf_stack_size(plan));
	if (!img || elf_build_stack(plan, img, elf_stack_size(plan)))
		fuzz_fail(plan, "stack image");
	free(img);
}

static void run(struct elf_plan *plan, const struct elf_mem_fs *fs, const struct elf_params *p)
{
	static const char *const argv[] = { "/fuzz/exe", "-x", NULL };
	static const char *const envp[] = { "A=1", NULL };
	int ret = elf_plan_exec(plan, &elf_mem_file_ops, (void *)fs, "/fuzz/exe", argv, envp, p);

	if (ret > 0 || ret < -4095 || ret != plan->err)
		fuzz_fail(plan, "bad return value");
	if (ret) {
		if (!plan->errmsg[0])
			fuzz_fail(plan, "error without a message");
		return;
	}
	check_plan(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_plan *plan;
	const struct elf_mem_file exe = { "/fuzz/exe", data, size, 0 };
	const struct elf_mem_fs fs = { &exe, 1, &exe };	/* every interpreter is these bytes */
	struct elf_params p;

	if (!plan)
		plan = calloc(1, sizeof(*plan));
	if (!plan)
		abort();
	elf_params_init(&p);
	run(plan, &fs, &p);

	/* 64 KiB pages, bottom-up, THP alignment, ASLR with values from the input */
	p.page_size = 65536;
	p.task_size = p.map_window = p.stack_top = (1UL << 47) - p.page_size;
	p.mmap_base = p.task_size - (128UL << 20);
	p.mmap_legacy_base = (p.task_size / 3) & ~(p.page_size - 1);
	p.stack_guard_gap = 256 * p.page_size;
	p.mmap_topdown = false;
	p.thp_file_align = true;
	p.pmd_size = 512UL << 20;
	p.randomize = true;
	p.randomize_va_space = 2;
	if (size >= 8) {
		p.mmap_rnd = (unsigned long)data[size - 1] << 28;
		p.align_rnd[0] = data[size - 2] * 31UL;
		p.align_rnd[1] = data[size - 3] * 29UL;
		p.brk_rnd = (unsigned long)data[size - 4] << 16;
	}
	run(plan, &fs, &p);
	return 0;
}
