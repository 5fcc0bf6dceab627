/*
 * shmem.c - shared anonymous memory: MAP_SHARED|MAP_ANONYMOUS areas are
 * backed by an unlinked internal file, as Linux backs them by a tmpfs file
 * shown as "/dev/zero (deleted)" on device 00:01. Its pages live in the
 * file's page cache: zero-filled on first fault, never read from or written
 * to a host file, counted as Shmem, kept until the object dies. Reclaim
 * swaps them out: the page goes to the swap cache and its index in the page
 * cache holds the swap entry (a value entry) until a fault, or swapoff,
 * brings it back through the swap cache.
 * Follows Linux mm/shmem.c (shmem_file_setup, shmem_zero_setup, shmem_fault,
 * shmem_writeout, shmem_swapin_folio, shmem_unuse).
 * Keeps: each shared anonymous mapping has its own file, so none merge; a
 * swap entry in the index holds one count of its slot; mapping->host->swapped
 * counts the entries.
 */
#include <errno.h>

#include "err.h"
#include "fault.h"
#include "fs.h"
#include "machine.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"

/* No read_folio, no writepage: memory is the backing, swap (shmem_writeout) its overflow. */
const struct address_space_operations shmem_aops = {
	.dirty_folio	= noop_dirty_folio,
};

/* ---- swap ---- */

int shmem_writeout(struct machine *m, struct page *page)
{
	struct address_space *mapping = page->mapping;
	swp_entry_t entry;
	int err;

	/* Ours and the page cache's: a user's reference (a pin) keeps it here. */
	if (page_mapped(page) || page_ref_count(page) != 2)
		return -EAGAIN;
	err = add_to_swap(m, page);
	if (err)
		return err;
	entry = page_swap_entry(page);
	/* The index's count; the swap cache's is SWAP_HAS_CACHE until written and freed. */
	if (swap_duplicate(m, entry)) {
		delete_from_swap_cache(m, page);	/* cannot happen: the slot is new */
		return -ENOSPC;
	}
	__filemap_remove_page(page, swp_to_radix_entry(entry));
	mapping->host->swapped++;
	SetPageFlag(page, PG_dirty);	/* the swap copy is still to be written */
	return 0;
}

/*
 * shmem_swapin_page - the page of swap entry @radswap at @index of @mapping,
 * back in the page cache (it leaves the swap cache and the slot is freed),
 * with a reference. *@major when it was read. ERR_PTR(-ENOMEM) when no page,
 * ERR_PTR(-EIO) when the read failed (the entry stays: nothing is lost).
 */
static struct page *shmem_swapin_page(struct address_space *mapping, pgoff_t index,
				      void *radswap, bool *major)
{
	struct machine *m = mapping_machine(mapping);
	swp_entry_t entry = radix_to_swp_entry(radswap);
	struct page *page = swapin_readahead(m, entry, major);

	if (!page)
		return ERR_PTR(-EIO);	/* the index's count is gone: cannot happen */
	if (IS_ERR(page))
		return page;
	/* Reading may have reclaimed, which never touches a swap entry already out. */
	if (filemap_get_entry(mapping, index) != radswap ||
	    __filemap_add_page(mapping, page, index, radswap)) {
		put_page(m, page);
		return ERR_PTR(-EAGAIN);
	}
	mapping->host->swapped--;
	/* As Linux: shmem never keeps a swap copy of a page in the page cache. */
	ClearPageFlag(page, PG_dirty);
	delete_from_swap_cache(m, page);
	swap_free(m, entry);
	return page;
}

int shmem_unuse(struct machine *m, unsigned int type)
{
	struct inode *inode;

	list_for_each_entry(inode, &m->tasks.inodes, i_list) {
		struct address_space *mapping = &inode->i_data;
		unsigned long index;
		void *entry;

		if (!shmem_mapping(mapping) || !mapping->host->swapped)
			continue;
		xa_for_each_range(&mapping->i_pages, index, entry, 0, ~0UL, XA_PRESENT) {
			struct page *page;
			bool major;

			if (!xa_is_value(entry) || swp_type(radix_to_swp_entry(entry)) != type)
				continue;
			page = shmem_swapin_page(mapping, index, entry, &major);
			if (IS_ERR(page)) {
				if (PTR_ERR(page) == -EAGAIN)
					continue;
				return (int)PTR_ERR(page);
			}
			put_page(m, page);
		}
	}
	return 0;
}

unsigned long shmem_swap_usage(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct machine *m = mapping_machine(mapping);
	unsigned long index, nr = 0;
	void *entry;

	if (!mapping->host->swapped)
		return 0;
	xa_for_each_range(&mapping->i_pages, index, entry, vma->vm_pgoff,
			  vma->vm_pgoff + vma_pages(vma) - 1, XA_PRESENT)
		if (xa_is_value(entry))
			nr++;
	return nr << m->page_shift;
}

/* ---- faults ---- */

vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct machine *m = mapping_machine(mapping);
	loff_t size = file_inode(file)->i_size;
	struct page *page;
	void *entry;

	if ((loff_t)vmf->pgoff >= (size + (loff_t)m->page_size - 1) >> m->page_shift)
		return VM_FAULT_SIGBUS;
retry:
	entry = filemap_get_entry(mapping, vmf->pgoff);
	if (xa_is_value(entry)) {
		bool major;

		/* Out on swap: back through the swap cache (a read error is this task's SIGBUS). */
		page = shmem_swapin_page(mapping, vmf->pgoff, entry, &major);
		if (IS_ERR(page)) {
			if (PTR_ERR(page) == -ENOMEM)
				return VM_FAULT_OOM;
			if (PTR_ERR(page) == -EAGAIN)
				goto retry;	/* the index changed while reading */
			return VM_FAULT_SIGBUS;
		}
		vmf->page = page;
		return major ? VM_FAULT_MAJOR : 0;
	}
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
