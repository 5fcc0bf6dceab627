/*
 * file.c - a task's table of open files: descriptors 0, 1, 2, ... to struct file.
 * Follows Linux fs/file.c (the lowest free descriptor, growing the table up to
 * RLIMIT_NOFILE) and fs/open.c (open, close).
 * Keeps: a descriptor holds one reference to its file.
 */
#include <errno.h>
#include <string.h>

#include "err.h"
#include "fs.h"
#include "machine.h"
#include "mman.h"

struct files_struct *files_alloc(struct machine *m)
{
	struct files_struct *files = kmem_cache_zalloc(m->tasks.files_cachep, GFP_KERNEL);

	if (!files)
		return NULL;
	files->fd = kzalloc(m, NR_OPEN_DEFAULT * sizeof(struct file *), GFP_KERNEL);
	if (!files->fd) {
		kmem_cache_free(m->tasks.files_cachep, files);
		return NULL;
	}
	files->max_fds = NR_OPEN_DEFAULT;
	return files;
}

void exit_files(struct task_struct *t)
{
	struct files_struct *files = t->files;
	struct machine *m = t->machine;

	if (!files)
		return;
	for (unsigned int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(m, files->fd);
	kmem_cache_free(m->tasks.files_cachep, files);
	t->files = NULL;
}

struct file *fget(struct task_struct *t, int fd)
{
	if (!t->files || fd < 0 || (unsigned int)fd >= t->files->max_fds)
		return NULL;
	return t->files->fd[fd];
}

/* alloc_fd - the lowest free descriptor below RLIMIT_NOFILE, growing the table; or -errno. */
static int alloc_fd(struct task_struct *t)
{
	struct files_struct *files = t->files;
	unsigned long limit = t->rlim[RLIMIT_NOFILE].rlim_cur;
	unsigned int fd, max;
	struct file **grown;

	for (fd = 0; fd < files->max_fds && fd < limit; fd++)
		if (!files->fd[fd])
			return (int)fd;
	if (fd >= limit)
		return -EMFILE;
	max = files->max_fds * 2;
	grown = krealloc(t->machine, files->fd, max * sizeof(struct file *), GFP_KERNEL);
	if (!grown)
		return -ENOMEM;
	memset(grown + files->max_fds, 0, (max - files->max_fds) * sizeof(struct file *));
	files->fd = grown;
	files->max_fds = max;
	return (int)fd;
}

static int do_sys_open(struct task_struct *t, const char *path, int flags, unsigned int mode)
{
	struct file *file;
	int fd;

	fd = alloc_fd(t);
	if (fd < 0)
		return fd;
	file = filp_open(t->machine, path, flags, mode);
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	t->files->fd[fd] = file;
	return fd;
}

int tuxmm_open(struct task_struct *t, const char *path, int flags, unsigned int mode)
{
	if (!path)
		return -EFAULT;
	return (int)task_call(t, do_sys_open(t, path, flags, mode));
}

static int close_fd(struct task_struct *t, int fd)
{
	struct file *file = fget(t, fd);

	if (!file)
		return -EBADF;
	t->files->fd[fd] = NULL;
	fput(file);
	return 0;
}

int tuxmm_close(struct task_struct *t, int fd)
{
	if (fatal_signal_pending(t) || t->exit_state)
		return -ESRCH;
	return close_fd(t, fd);
}
