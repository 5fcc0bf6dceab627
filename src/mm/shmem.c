/*
 * shmem.c - shared anonymous memory: MAP_SHARED|MAP_ANONYMOUS areas are
 * backed by an unlinked internal file, as Linux backs them by a tmpfs file
 * shown as "/dev/zero (deleted)" on device 00:01.
 * Follows Linux mm/shmem.c (shmem_file_setup, shmem_zero_setup).
 * Keeps: each shared anonymous mapping has its own file, so none merge.
 */
#include <errno.h>

#include "fs.h"
#include "machine.h"
#include "vma.h"

/* FIXME: the shmem object's pages and swap come with demand paging. */
static const struct vm_operations_struct shmem_anon_vm_ops = { .name = NULL };

static int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shmem_anon_vm_ops;
	return 0;
}

static const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
};

struct file *shmem_file_setup(struct machine *m, const char *name, loff_t size)
{
	struct inode *inode = inode_alloc(m);
	struct file *file;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = ++m->tasks.last_ino;
	inode->i_dev = MKDEV(0, 1);	/* the kernel-internal tmpfs mount */
	inode->i_mode = S_IFREG | 0777;
	inode->i_size = size;
	inode->i_name = name;
	inode->i_fop = &shmem_file_operations;
	file = alloc_file(m, inode, FMODE_READ | FMODE_WRITE, &shmem_file_operations);
	if (!file) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	return file;
}

int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *file = shmem_file_setup(vma->vm_mm->machine, "/dev/zero",
					     (loff_t)(vma->vm_end - vma->vm_start));

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_anon_vm_ops;
	return 0;
}
