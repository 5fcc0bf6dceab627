/*
 * fork.c - the slab caches of the task layer and the life of its objects:
 * address spaces (mm_struct) and areas (vm_area_struct).
 * Follows Linux kernel/fork.c (proc_caches_init, mm_alloc, mmput, vm_area_dup).
 * Keeps: every task, mm, area, file and inode comes from its named slab cache.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "machine.h"
#include "mm.h"
#include "pgtable.h"
#include "vma.h"

static int create_caches(struct machine *m)
{
	struct task_globals *tg = &m->tasks;

	/* The names /proc/slabinfo shows on Linux. */
	tg->task_struct_cachep = kmem_cache_create(m, "task_struct", sizeof(struct task_struct),
						   64, 0, NULL);
	tg->mm_cachep = kmem_cache_create(m, "mm_struct", sizeof(struct mm_struct), 0,
					  SLAB_HWCACHE_ALIGN, NULL);
	tg->vm_area_cachep = kmem_cache_create(m, "vm_area_struct",
					       sizeof(struct vm_area_struct), 0, 0, NULL);
	tg->files_cachep = kmem_cache_create(m, "files_cache", sizeof(struct files_struct), 0,
					     SLAB_HWCACHE_ALIGN, NULL);
	tg->filp_cachep = kmem_cache_create(m, "filp", sizeof(struct file), 0,
					    SLAB_HWCACHE_ALIGN, NULL);
	tg->inode_cachep = kmem_cache_create(m, "inode_cache", sizeof(struct inode), 0,
					     SLAB_RECLAIM_ACCOUNT, NULL);
	if (!tg->task_struct_cachep || !tg->mm_cachep || !tg->vm_area_cachep ||
	    !tg->files_cachep || !tg->filp_cachep || !tg->inode_cachep)
		return -ENOMEM;
	return 0;
}

static void sysctl_defaults(struct machine *m)
{
	struct vm_sysctls *s = &m->tasks.sysctl;
	unsigned long free_kb = nr_free_pages(m) << (m->page_shift - 10);

	s->max_map_count = 65530;		/* DEFAULT_MAX_MAP_COUNT */
	s->mmap_min_addr = 65536;		/* CONFIG_DEFAULT_MMAP_MIN_ADDR */
	s->stack_guard_gap_pages = 256;
	s->overcommit_memory = 0;		/* OVERCOMMIT_GUESS */
	s->overcommit_ratio = 50;
	/* init_admin_reserve() and init_user_reserve(): 1/32 of free memory, capped. */
	s->admin_reserve_kbytes = min_t(unsigned long, free_kb / 32, 8192);
	s->user_reserve_kbytes = min_t(unsigned long, free_kb / 32, 131072);
	s->legacy_va_layout = 0;
	s->randomize_va_space = (int)m->cfg.randomize_va_space;
}

int proc_caches_init(struct machine *m)
{
	struct task_globals *tg = &m->tasks;
	int err;

	if (tg->ready)
		return 0;
	if (!tg->task_struct_cachep) {
		INIT_LIST_HEAD(&tg->tasks);
		INIT_LIST_HEAD(&tg->inodes);
		tg->pid_max = PID_MAX_DEFAULT;
		sysctl_defaults(m);
	}
	err = create_caches(m);
	if (err)
		return err;
	tg->ready = true;
	return 0;
}

/* ---- areas ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(mm->machine->tasks.vm_area_cachep,
						       GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = kmem_cache_alloc(orig->vm_mm->machine->tasks.vm_area_cachep,
						      GFP_KERNEL);

	if (!new)
		return NULL;
	*new = *orig;
	new->vm_next = new->vm_prev = NULL;
	new->rb_subtree_gap = 0;
	RB_CLEAR_NODE(&new->vm_rb);
	INIT_LIST_HEAD(&new->anon_vma_chain);
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vma->vm_mm->machine->tasks.vm_area_cachep, vma);
}

void remove_vma(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

/* ---- address spaces ---- */

struct mm_struct *mm_alloc(struct machine *m)
{
	struct mm_struct *mm = kmem_cache_zalloc(m->tasks.mm_cachep, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->machine = m;
	mm->mm_rb = RB_ROOT;
	mm->page_shift = m->page_shift;
	mm->task_size = mm_task_size(m);
	mm->mm_users = 1;
	mm->mm_count = 1;
	/* A PGD of its own whose kernel half is swapper_pg_dir's. */
	if (pgd_alloc(m, &mm->pgd)) {
		kmem_cache_free(m->tasks.mm_cachep, mm);
		return NULL;
	}
	return mm;
}

static void mmdrop(struct mm_struct *mm)
{
	if (--mm->mm_count)
		return;
	kmem_cache_free(mm->machine->tasks.mm_cachep, mm);
}

void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	pgd_free(mm->machine, &mm->pgd);
	mmdrop(mm);
}
