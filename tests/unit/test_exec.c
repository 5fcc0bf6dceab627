/*
 * test_exec.c - tuxmm_exec(): the areas it creates are the planner's, the stack
 * bytes are the plan's image, a failed exec leaves the old address space, a
 * successful one frees it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm_test.h"
#include "binfmt.h"
#include "sched.h"

#ifndef TUXMM_PROG_STATIC
#define TUXMM_PROG_STATIC ""
#endif
#ifndef TUXMM_PROG_STATIC_PIE
#define TUXMM_PROG_STATIC_PIE ""
#endif
#ifndef TUXMM_PROG_NOPIE
#define TUXMM_PROG_NOPIE ""
#endif

static const char *const true_argv[] = { "true", "--version", NULL };
static const char *const true_envp[] = { "HOME=/root", "LANG=C", NULL };

/* plan_for - the plan tuxmm_exec() makes for @path on a default machine, ASLR off. */
static struct elf_plan *plan_for(struct task_struct *t, const char *path,
				 const char *const *argv, const char *const *envp)
{
	struct elf_plan *plan = calloc(1, sizeof(*plan));
	struct elf_params p;

	elf_params_init(&p);
	p.uid = p.euid = t->uid;
	p.gid = p.egid = t->gid;
	assert_int_equal(elf_plan_exec(plan, &elf_host_file_ops, NULL, path, argv, envp, &p), 0);
	return plan;
}

/* The areas of @t must be the plan's, one for one, in address order, with its names. */
static void assert_areas_are_plan(struct task_struct *t, const struct elf_plan *plan)
{
	struct vm_area_struct *vma;
	unsigned int nr = 0;
	char path[64], *maps;

	for_each_vma(t->mm, vma) {
		const struct elf_map *map = NULL;
		unsigned long prot = 0;

		for (unsigned int i = 0; i < plan->nr_maps; i++)
			if (plan->maps[i].start == vma->vm_start)
				map = &plan->maps[i];
		if (!map)
			fail_msg("area %#lx-%#lx is not in the plan", vma->vm_start, vma->vm_end);
		assert_int_equal(vma->vm_end, map->end);
		prot |= (vma->vm_flags & VM_READ) ? PROT_READ : 0;
		prot |= (vma->vm_flags & VM_WRITE) ? PROT_WRITE : 0;
		prot |= (vma->vm_flags & VM_EXEC) ? PROT_EXEC : 0;
		assert_int_equal(prot, map->prot);
		if (map->kind == ELF_MAP_FILE)
			assert_int_equal(vma->vm_pgoff, map->offset / PG);
		assert_int_equal(map->kind == ELF_MAP_FILE, vma->vm_file != NULL);
		nr++;
	}
	assert_int_equal(nr, plan->nr_maps);
	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	maps = test_proc(t->machine, path);
	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *map = &plan->maps[i];
		char line[128];

		if (map->kind != ELF_MAP_SPECIAL && map->kind != ELF_MAP_STACK)
			continue;
		char *start, *end;

		snprintf(line, sizeof(line), "%lx-%lx", map->start, map->end);
		start = strstr(maps, line);
		assert_non_null(start);
		end = strchr(start, '\n');
		assert_non_null(end);
		*end = '\0';
		assert_non_null(strstr(start, map->name));
		*end = '\n';
	}
	free(maps);
}

/* The stack from sp to the top must be the plan's image (with the kernel's AT_RANDOM). */
static void assert_stack_is_plan(struct task_struct *t, struct elf_plan *plan)
{
	size_t len = elf_stack_size(plan);
	unsigned char *want = malloc(len), *got = malloc(len);

	assert_int_equal(t->sp, plan->sp);
	assert_int_equal(t->ip, plan->entry);
	assert_int_equal(tuxmm_load(t, plan->sp, got, len, NULL), 0);
	memcpy(plan->params.random, got + (plan->random_addr - plan->sp), ELF_RANDOM_BYTES);
	assert_int_equal(elf_build_stack(plan, want, len), 0);
	assert_memory_equal(got, want, len);
	free(want);
	free(got);
}

static void exec_and_check(struct task_struct *t, const char *path)
{
	struct elf_plan *plan;

	if (!path[0])
		skip();
	plan = plan_for(t, path, true_argv, true_envp);
	assert_int_equal(tuxmm_exec(t, path, true_argv, true_envp), 0);
	assert_areas_are_plan(t, plan);
	assert_stack_is_plan(t, plan);
	assert_int_equal(t->mm->start_code, plan->start_code);
	assert_int_equal(t->mm->end_code, plan->end_code);
	assert_int_equal(t->mm->start_brk, plan->start_brk);
	assert_int_equal(t->mm->brk, plan->brk);
	assert_int_equal(t->mm->start_stack, plan->sp);
	assert_int_equal(t->mm->arg_start, plan->arg_start);
	assert_int_equal(t->mm->env_end, plan->env_end);
	assert_true(validate_mm(t->mm));
	free(plan);
}

static void exec_bin_true(void **state)
{
	exec_and_check(T(state), "/bin/true");
	assert_string_equal(tuxmm_task_comm(T(state)), "true");
}

static void exec_static(void **state)
{
	exec_and_check(T(state), TUXMM_PROG_STATIC);
}

static void exec_static_pie(void **state)
{
	exec_and_check(T(state), TUXMM_PROG_STATIC_PIE);
}

static void exec_nopie(void **state)
{
	exec_and_check(T(state), TUXMM_PROG_NOPIE);
}

static void argc_and_argv_are_at_sp(void **state)
{
	struct task_struct *t = T(state);
	uint64_t argc, argv0, argv1, envp0;
	char s[16];

	assert_int_equal(tuxmm_exec(t, "/bin/true", true_argv, true_envp), 0);
	assert_int_equal(tuxmm_read(t, t->sp, 8, &argc, NULL), 0);
	assert_int_equal(argc, 2);
	assert_int_equal(tuxmm_read(t, t->sp + 8, 8, &argv0, NULL), 0);
	assert_int_equal(tuxmm_read(t, t->sp + 16, 8, &argv1, NULL), 0);
	assert_int_equal(tuxmm_read(t, t->sp + 32, 8, &envp0, NULL), 0);
	assert_int_equal(tuxmm_load(t, argv0, s, 5, NULL), 0);
	assert_string_equal(s, "true");
	assert_int_equal(tuxmm_load(t, argv1, s, 10, NULL), 0);
	assert_string_equal(s, "--version");
	assert_int_equal(tuxmm_load(t, envp0, s, 11, NULL), 0);
	assert_string_equal(s, "HOME=/root");
	assert_int_equal(t->mm->arg_start, argv0);
}

/* A few bytes that are no ELF file, executable. */
static void make_exec_file(char *path, size_t pathlen, const char *bytes)
{
	FILE *f;

	make_file(path, pathlen, 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(bytes, f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void malformed_file_keeps_the_old_address_space(void **state)
{
	struct task_struct *t = T(state);
	struct mm_struct *old = t->mm;
	char path[64], before[8192];
	uint64_t v = 0;
	int nr;

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_write(t, BASE + PG, 8, 0x1234, NULL), 0);
	strcpy(before, areas(t));
	nr = nr_vmas(t);
	make_exec_file(path, sizeof(path), "#!/bin/sh\nexit 0\n");
	assert_int_equal(tuxmm_exec(t, path, true_argv, NULL), -ENOEXEC);
	unlink(path);
	assert_int_equal(tuxmm_exec(t, "/nonexistent/prog", true_argv, NULL), -ENOENT);
	assert_ptr_equal(t->mm, old);
	assert_int_equal(nr_vmas(t), nr);
	assert_string_equal(areas(t), before);
	assert_int_equal(tuxmm_read(t, BASE + PG, 8, &v, NULL), 0);
	assert_int_equal(v, 0x1234);
	assert_string_equal(tuxmm_task_comm(t), "test");
}

static long mem_free_kb(struct machine *m)
{
	char *text = test_proc(m, "/proc/meminfo"), *at = strstr(text, "MemFree:");
	long kb = -1;

	assert_non_null(at);
	assert_int_equal(sscanf(at, "MemFree: %ld", &kb), 1);
	free(text);
	return kb;
}

static void exec_frees_the_old_address_space(void **state)
{
	struct task_struct *t = T(state);
	long before, touched, after;

	before = mem_free_kb(M(state));
	map_at(t, 0, 1024, RW);
	assert_int_equal(tuxmm_touch(t, BASE, 1024 * PG, true, NULL), 0);
	touched = mem_free_kb(M(state));
	assert_true(touched <= before - 4000);
	assert_int_equal(tuxmm_exec(t, "/bin/true", true_argv, true_envp), 0);
	after = mem_free_kb(M(state));
	printf("# MemFree %ld kB, %ld after touching 4 MiB, %ld after exec\n", before, touched,
	       after);
	/*
	 * The 4 MiB are back; the new stack, page tables and the page cache of
	 * /bin/true and ld.so (read ahead by padzero's clear_user) take ~1 MiB.
	 */
	assert_true(after >= touched + 2560);
	assert_null(find_vma_intersection(t->mm, BASE, BASE + 1024 * PG));
}

static void exec_twice_and_fork(void **state)
{
	struct task_struct *t = T(state), *child;

	assert_int_equal(tuxmm_exec(t, "/bin/true", true_argv, true_envp), 0);
	assert_int_equal(tuxmm_fork(t, &child), 0);
	assert_int_equal(tuxmm_exec(child, "/bin/true", NULL, NULL), 0);
	assert_int_equal(tuxmm_exec(t, "/bin/true", true_argv, true_envp), 0);
	tuxmm_task_exit(child);
}

#define T_(f) cmocka_unit_test_setup_teardown(f, mm_setup, mm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(exec_bin_true),
		T_(exec_static),
		T_(exec_static_pie),
		T_(exec_nopie),
		T_(argc_and_argv_are_at_sp),
		T_(malformed_file_keeps_the_old_address_space),
		T_(exec_frees_the_old_address_space),
		T_(exec_twice_and_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
