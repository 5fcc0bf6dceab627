/*
 * fork.c - the slab caches of the task layer, the life of its objects
 * (address spaces, areas) and fork: a copy of a task whose private memory is
 * shared copy-on-write with its parent.
 * Follows Linux kernel/fork.c (proc_caches_init, mm_alloc, mmput, vm_area_dup,
 * dup_mm, dup_mmap, copy_process).
 * Keeps: every task, mm, area, file and inode comes from its named slab cache.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "pagemap.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "pgtable.h"
#include "rmap.h"
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
	s->oom_kill_allocating_task = 0;
	s->oom_dump_tasks = 1;
	s->swappiness = 60;
	s->page_cluster = 3;
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
		INIT_LIST_HEAD(&tg->dead_tasks);
		tg->pid_max = PID_MAX_DEFAULT;
		sysctl_defaults(m);
	}
	err = create_caches(m);
	if (!err)
		err = memory_init(m);
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
	INIT_LIST_HEAD(&vma->shared);
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
	INIT_LIST_HEAD(&new->shared);
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vma->vm_mm->machine->tasks.vm_area_cachep, vma);
}

void remove_vma(struct vm_area_struct *vma)
{
	vma_unlink_file(vma);
	unlink_anon_vmas(vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	/* The file's last shared mapping going: its dirty pages go to the file. */
	if (vma->vm_file && (vma->vm_flags & VM_SHARED))
		mapping_unmap_shared(vma);
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
	mm->pgd.owner = mm;
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

/* ---- fork ---- */

/*
 * dup_mmap - copy @oldmm's areas into the empty @mm: VM_DONTCOPY areas stay
 * behind, VM_WIPEONFORK ones come without their pages, locks are not
 * inherited, private anonymous pages are shared copy-on-write.
 * On failure what was copied stays for mmput() to tear down.
 */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp, *prev = NULL;
	bool unmerged = false;
	int err;

	for_each_vma(oldmm, mpnt) {
		unsigned long pages = vma_pages(mpnt);

		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		if ((mpnt->vm_flags & VM_ACCOUNT) && __vm_enough_memory(mm, (long)pages))
			return -ENOMEM;
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(mm->machine, (long)pages);
			return -ENOMEM;
		}
		tmp->vm_mm = mm;
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (tmp->vm_flags & VM_WIPEONFORK) {
			tmp->anon_vma = NULL;
		} else if (anon_vma_fork(tmp, mpnt)) {
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(mm->machine, (long)pages);
			vm_area_free(tmp);
			return -ENOMEM;
		}
		if (tmp->vm_file)
			get_file(tmp->vm_file);
		if (tmp->vm_ops && tmp->vm_ops->open)
			tmp->vm_ops->open(tmp);
		vma_link(mm, tmp);
		vm_stat_account(mm, tmp->vm_flags, (long)pages);
		/* Dropped locks or areas may leave neighbours Linux does not merge either. */
		if (prev && prev->vm_end == tmp->vm_start && vma_can_merge_pair(prev, tmp))
			unmerged = true;
		prev = tmp;
		err = copy_page_range(tmp, mpnt);
		if (err)
			return err;
	}
	if (unmerged)
		mm->flags |= BIT(MMF_VMA_UNMERGED);
	return 0;
}

/* dup_mm - a copy of @oldmm for the new task @tsk (Linux's dup_mm). NULL with *@errp. */
static struct mm_struct *dup_mm(struct task_struct *tsk, struct mm_struct *oldmm, int *errp)
{
	struct mm_struct *mm = mm_alloc(oldmm->machine);

	*errp = -ENOMEM;
	if (!mm)
		return NULL;
	mm->owner = tsk;
	mm->flags = oldmm->flags;
	mm->task_size = oldmm->task_size;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_legacy_base = oldmm->mmap_legacy_base;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->brk_randomized = oldmm->brk_randomized;
	/* mlockall(MCL_FUTURE) is not inherited (VM_INIT_DEF_MASK has no VM_LOCKED). */
	mm->def_flags = 0;
	*errp = dup_mmap(mm, oldmm);
	if (*errp) {
		mmput(mm);
		return NULL;
	}
	mm->hiwater_rss = get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;
}

/* dup_fd - the child's descriptor table: the same files, one more reference each. */
static struct files_struct *dup_fd(struct machine *m, struct files_struct *old)
{
	struct files_struct *files = files_alloc(m);

	if (!files)
		return NULL;
	if (old->max_fds > files->max_fds) {
		struct file **fd = krealloc(m, files->fd, old->max_fds * sizeof(*fd), GFP_KERNEL);

		if (!fd) {
			kfree(m, files->fd);
			kmem_cache_free(m->tasks.files_cachep, files);
			return NULL;
		}
		files->fd = fd;
		files->max_fds = old->max_fds;
	}
	for (unsigned int i = 0; i < files->max_fds; i++)
		files->fd[i] = i < old->max_fds && old->fd[i] ? get_file(old->fd[i]) : NULL;
	return files;
}

static int do_fork(struct task_struct *parent, struct task_struct **out)
{
	struct machine *m = parent->machine;
	struct task_struct *t;
	int pid, err;

	pid = alloc_pid(m);
	if (pid < 0)
		return pid;
	t = kmem_cache_zalloc(m->tasks.task_struct_cachep, GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->ppid = parent->pid;
	t->machine = m;
	memcpy(t->comm, parent->comm, sizeof(t->comm));
	memcpy(t->rlim, parent->rlim, sizeof(t->rlim));
	t->personality = parent->personality;
	t->uid = parent->uid;
	t->gid = parent->gid;
	t->oom_score_adj = parent->oom_score_adj;
	err = -ENOMEM;
	t->files = dup_fd(m, parent->files);
	if (!t->files)
		goto out_free_task;
	t->mm = dup_mm(t, parent->mm, &err);
	if (!t->mm)
		goto out_free_files;
	task_list_add(m, t);
	*out = t;
	/* A step of the machine ends: kswapd runs now if fork's allocations woke it. */
	kswapd_step(m);
	return 0;

out_free_files:
	exit_files(t);
out_free_task:
	kmem_cache_free(m->tasks.task_struct_cachep, t);
	kswapd_step(m);
	return err;
}

int tuxmm_fork(struct task_struct *parent, struct task_struct **out)
{
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	err = (int)task_call(parent, do_fork(parent, out));
	/* copy_process() gives up when the parent was killed meanwhile: no child. */
	if (err && *out) {
		tuxmm_task_exit(*out);
		*out = NULL;
	}
	return err;
}
