/*
 * shmem.c - shared anonymous memory: MAP_SHARED|MAP_ANONYMOUS areas are
 * backed by an unlinked internal file, as Linux backs them by a tmpfs file
 * shown as "/dev/zero (deleted)" on device 00:01. Its pages live in the
 * file's page cache: zero-filled on first fault, never read from or written
 * to a host file, counted as Shmem, kept until the object dies.
 * Follows Linux mm/shmem.c (shmem_file_setup, shmem_zero_setup, shmem_fault).
 * Keeps: each shared anonymous mapping has its own file, so none merge.
 */
#include <errno.h>

#include "fault.h"
#include "fs.h"
#include "machine.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "vma.h"

/* No read_folio, no writepage: memory is the backing (swap comes with reclaim). */
const struct address_space_operations shmem_aops = {
	.dirty_folio	= noop_dirty_folio,
};

vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct machine *m = mapping_machine(mapping);
	loff_t size = file_inode(file)->i_size;
	struct page *page;

	if ((loff_t)vmf->pgoff >= (size + (loff_t)m->page_size - 1) >> m->page_shift)
		return VM_FAULT_SIGBUS;
	page = filemap_get_page(mapping, vmf->pgoff);
	if (!page) {
		/* First touch anywhere: a zeroed page; our reference goes to the caller. */
		page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
		if (!page)
			return VM_FAULT_OOM;
		SetPageFlag(page, PG_uptodate);
		if (add_to_page_cache(mapping, page, vmf->pgoff)) {
			put_page(m, page);
			return VM_FAULT_OOM;
		}
	}
	vmf->page = page;
	return 0;
}

/* As Linux's shmem_anon_vm_ops: shmem_fault, and fault-around over the cache. */
static const struct vm_operations_struct shmem_anon_vm_ops = {
	.fault		= shmem_fault,
	.map_pages	= filemap_map_pages,
};

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
	inode->i_data.a_ops = &shmem_aops;
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
