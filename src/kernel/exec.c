/*
 * exec.c - exec's second half: build the address space elf_plan_exec() planned and switch to it.
 * Follows Linux fs/exec.c (begin_new_exec, exec_mmap, __set_task_comm) and fs/binfmt_elf.c.
 * Keeps: on any failure the task's old address space is untouched and still in use.
 */
#include <errno.h>
#include <string.h>

#include "binfmt.h"
#include "debug.h"
#include "fault.h"
#include "fs.h"
#include "machine.h"
#include "mm.h"
#include "mmu.h"
#include "mman.h"
#include "sched.h"
#include "slab.h"
#include "tlb.h"
#include "uaccess.h"
#include "vma.h"

/*
 * The [vvar], [vvar_vclock] and [vdso] areas: placeholders whose pages read as
 * zeroes (there is no vDSO code to run), each fault giving the area a fresh
 * zeroed page that goes with the area.
 */
static vm_fault_t special_zero_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->vma->vm_mm->machine;

	vmf->page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	return vmf->page ? 0 : VM_FAULT_OOM;
}

static const char *vvar_name(struct vm_area_struct *vma)
{
	(void)vma;
	return "[vvar]";
}

static const char *vvar_vclock_name(struct vm_area_struct *vma)
{
	(void)vma;
	return "[vvar_vclock]";
}

static const char *vdso_name(struct vm_area_struct *vma)
{
	(void)vma;
	return "[vdso]";
}

static const struct vm_operations_struct vvar_vm_ops = {
	.fault = special_zero_fault,
	.name = vvar_name,
};

static const struct vm_operations_struct vvar_vclock_vm_ops = {
	.fault = special_zero_fault,
	.name = vvar_vclock_name,
};

static const struct vm_operations_struct vdso_vm_ops = {
	.fault = special_zero_fault,
	.name = vdso_name,
};

/* map_special - one of the vDSO block's areas, with x86-64's vm_flags for it. */
static int map_special(struct mm_struct *mm, const struct elf_map *map)
{
	const struct vm_operations_struct *ops = &vdso_vm_ops;
	unsigned long flags = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (map->name && !strcmp(map->name, "[vvar]"))
		ops = &vvar_vm_ops;
	else if (map->name && !strcmp(map->name, "[vvar_vclock]"))
		ops = &vvar_vclock_vm_ops;
	if (ops != &vdso_vm_ops)
		flags = VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP;
	return install_special_mapping(mm, map->start, map->end - map->start, flags, ops);
}

/* map_one - create @map in @mm at its planned address; @file is its image's file. */
static int map_one(struct mm_struct *mm, const struct elf_plan *plan, const struct elf_map *map,
		   struct file *file)
{
	unsigned long len = map->end - map->start, populate, addr;
	unsigned long flags = MAP_PRIVATE | MAP_FIXED;

	switch (map->kind) {
	case ELF_MAP_STACK:
		return setup_stack_area(mm, map->start, map->end,
					VM_STACK_FLAGS | (plan->exec_stack ? VM_EXEC : 0));
	case ELF_MAP_SPECIAL:
		return map_special(mm, map);
	case ELF_MAP_ANON:
		file = NULL;
		flags |= MAP_ANONYMOUS;
		break;
	case ELF_MAP_FILE:
		break;
	}
	addr = do_mmap(mm, file, map->start, len, map->prot, flags,
		       file ? map->offset >> mm->page_shift : 0, &populate);
	if (IS_ERR_VALUE(addr))
		return (int)(long)addr;
	/* MAP_FIXED into an address space holding only the plan's areas cannot move it. */
	VM_BUG_ON(addr != map->start);
	return 0;
}

/* exec_params - the planner's inputs from the machine, the task and the new mm. */
static void exec_params(struct task_struct *t, struct mm_struct *mm, struct elf_params *p)
{
	struct machine *m = t->machine;
	const struct vm_sysctls *s = &m->tasks.sysctl;

	elf_params_init(p);
	p->page_size = m->page_size;
	p->task_size = mm->task_size;
	p->map_window = stack_top(m);
	p->stack_top = randomize_stack_top(m, stack_top(m));
	p->mmap_base = mm->mmap_base;
	p->mmap_legacy_base = mm->mmap_legacy_base;
	p->mmap_topdown = mm_flag(mm, MMF_TOPDOWN);
	p->mmap_min_addr = s->mmap_min_addr;
	p->stack_guard_gap = s->stack_guard_gap_pages << m->page_shift;
	p->rlim_stack = t->rlim[RLIMIT_STACK].rlim_cur;
	p->pmd_size = m->page_size << (m->page_shift - 3);
	p->randomize_va_space = s->randomize_va_space;
	p->randomize = s->randomize_va_space != 0;
	if (p->randomize) {
		p->mmap_rnd = arch_mmap_rnd(m);
		p->align_rnd[0] = get_random_long(m) % 8192;
		p->align_rnd[1] = get_random_long(m) % 8192;
		p->brk_rnd = randomize_page(m, 0, SZ_1G);
	}
	p->uid = p->euid = t->uid;
	p->gid = p->egid = t->gid;
	elf_random_from_seed(get_random_long(m), p->random);
}

/* exec_mmap_areas - every area of @plan in @mm, in plan order; 0 or -errno. */
static int exec_mmap_areas(struct machine *m, struct mm_struct *mm, const struct elf_plan *plan)
{
	struct file *exec_file, *interp_file = NULL;
	int err = 0;

	exec_file = filp_open(m, plan->exec.path, TUXMM_O_RDONLY, 0);
	if (IS_ERR(exec_file))
		return (int)PTR_ERR(exec_file);
	if (plan->has_interp) {
		interp_file = filp_open(m, plan->interp.path, TUXMM_O_RDONLY, 0);
		if (IS_ERR(interp_file)) {
			err = (int)PTR_ERR(interp_file);
			goto out_put_exec;
		}
	}
	for (unsigned int i = 0; i < plan->nr_maps && !err; i++) {
		const struct elf_map *map = &plan->maps[i];

		err = map_one(mm, plan, map,
			      map->image == ELF_IMAGE_INTERP ? interp_file : exec_file);
	}
	if (interp_file)
		fput(interp_file);
out_put_exec:
	fput(exec_file);
	return err;
}

/* exec_write_user - padzero() each range and copy the stack image, on @cpu's CR3. */
static int exec_write_user(struct machine *m, unsigned int cpu, const struct elf_plan *plan)
{
	size_t len = elf_stack_size(plan);
	void *image;
	int err = 0;

	for (unsigned int i = 0; i < plan->nr_maps; i++) {
		const struct elf_map *map = &plan->maps[i];

		/* Only writable segments have a range; Linux ignores a failure. */
		if (map->zero_end > map->zero_start)
			clear_user(m, cpu, map->zero_start, map->zero_end - map->zero_start);
	}
	image = kmalloc(m, len, GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	err = elf_build_stack(plan, image, len);
	if (!err && copy_to_user(m, cpu, plan->sp, image, len))
		err = -EFAULT;
	kfree(m, image);
	return err;
}

/* __set_task_comm - the basename of @path, at most TASK_COMM_LEN - 1 bytes. */
static void exec_set_comm(struct task_struct *t, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, base, TASK_COMM_LEN - 1);
}

static void exec_set_mm_fields(struct mm_struct *mm, const struct elf_plan *plan)
{
	mm->start_code = plan->start_code;
	mm->end_code = plan->end_code;
	mm->start_data = plan->start_data;
	mm->end_data = plan->end_data;
	mm->start_brk = plan->start_brk;
	mm->brk = plan->brk;
	mm->brk_randomized = plan->brk_moved;
	mm->start_stack = plan->sp;
	mm->arg_start = plan->arg_start;
	mm->arg_end = plan->arg_end;
	mm->env_start = plan->env_start;
	mm->env_end = plan->env_end;
}

static int do_execve(struct task_struct *t, const char *path, const char *const argv[],
		     const char *const envp[])
{
	struct machine *m;
	struct mm_struct *mm, *old_mm;
	struct elf_plan *plan;
	struct elf_params params;
	unsigned int cpu;
	int err;

	m = t->machine;
	old_mm = t->mm;
	cpu = m->cur_cpu;
	plan = kmalloc(m, sizeof(*plan), GFP_KERNEL);
	if (!plan)
		return -ENOMEM;
	err = -ENOMEM;
	mm = mm_alloc(m);
	if (!mm)
		goto out_free_plan;
	mm->owner = t;
	arch_pick_mmap_layout(mm);
	exec_params(t, mm, &params);
	err = elf_plan_exec(plan, &elf_host_file_ops, NULL, path, argv, envp, &params);
	if (err)
		goto out_put_mm;
	err = exec_mmap_areas(m, mm, plan);
	if (err)
		goto out_put_mm;
	exec_set_mm_fields(mm, plan);

	/* The bytes go in through the new page tables, the old mm kept until they are in. */
	t->mm = mm;
	switch_mm(m, cpu, &mm->pgd);
	err = exec_write_user(m, cpu, plan);
	if (err) {
		t->mm = old_mm;
		switch_mm(m, cpu, &old_mm->pgd);
		goto out_put_mm;
	}
	t->ip = plan->entry;
	t->sp = plan->sp;
	exec_set_comm(t, path);
	mmput(old_mm);
	kfree(m, plan);
	return 0;

out_put_mm:
	mmput(mm);
out_free_plan:
	kfree(m, plan);
	return err;
}

int tuxmm_exec(struct task_struct *t, const char *path, const char *const argv[],
	       const char *const envp[])
{
	if (!t || !path)
		return -EINVAL;
	return (int)task_call(t, do_execve(t, path, argv, envp));
}
