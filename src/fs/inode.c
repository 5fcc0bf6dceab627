/*
 * inode.c - inodes and open files over real host files.
 * Follows Linux fs/inode.c and fs/file_table.c in shape: one struct inode per
 * host file (found again by device and inode number, so every open of a file
 * shares it), one struct file per open with its access mode.
 * Keeps: i_count counts files and mappings' files; an inode goes with its last file.
 */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "host_file.h"
#include "machine.h"
#include "pagemap.h"
#include "report.h"
#include "vma.h"

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

const struct file_operations generic_file_ops = {
	.mmap = generic_file_mmap,
};

static struct inode *icache_find(struct machine *m, dev_t32 dev, unsigned long ino)
{
	struct inode *inode;

	list_for_each_entry(inode, &m->tasks.inodes, i_list)
		if (inode->host >= 0 && inode->i_dev == dev && inode->i_ino == ino)
			return inode;
	return NULL;
}

/* inode_alloc - a new inode on the icache list with one reference. */
struct inode *inode_alloc(struct machine *m)
{
	struct inode *inode = kmem_cache_zalloc(m->tasks.inode_cachep, GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->machine = m;
	inode->i_count = 1;
	inode->host = -1;
	mapping_init(&inode->i_data, inode, &host_file_aops);
	INIT_LIST_HEAD(&inode->i_data.i_mmap);
	list_add_tail(&inode->i_list, &m->tasks.inodes);
	return inode;
}

void iput(struct inode *inode)
{
	struct machine *m = inode->machine;

	if (--inode->i_count)
		return;
	/* The last reference: dirty pages go to the file, then the cache is freed. */
	mapping_evict(&inode->i_data);
	list_del(&inode->i_list);
	if (inode->host >= 0)
		host_file_close(m, inode->host);
	kmem_cache_free(m->tasks.inode_cachep, inode);
}

/*
 * inode_get - the inode of the host file open as @h, creating it or taking a
 * reference; it keeps its own descriptor for page-cache I/O (a writable one
 * once any open is writable).
 */
static struct inode *inode_get(struct machine *m, int h, const struct host_stat *st,
			       bool writable)
{
	dev_t32 dev = MKDEV(st->dev_major, st->dev_minor);
	struct inode *inode = icache_find(m, dev, (unsigned long)st->ino);
	int dup;

	if (inode) {
		inode->i_count++;
	} else {
		inode = inode_alloc(m);
		if (!inode)
			return NULL;
		inode->i_dev = dev;
		inode->i_ino = (unsigned long)st->ino;
	}
	inode->i_mode = st->mode;
	inode->i_uid = st->uid;
	inode->i_size = (loff_t)st->size;
	inode->noexec = st->noexec;
	inode->i_fop = S_ISREG(st->mode) ? &generic_file_ops : NULL;
	if (inode->host < 0 || (writable && !inode->host_writable)) {
		dup = host_file_dup(m, h);
		if (dup < 0) {
			iput(inode);
			return NULL;
		}
		if (inode->host >= 0)
			host_file_close(m, inode->host);
		inode->host = dup;
		inode->host_writable = writable;
	}
	return inode;
}

struct file *alloc_file(struct machine *m, struct inode *inode, unsigned int f_mode,
			const struct file_operations *fop)
{
	struct file *file = kmem_cache_zalloc(m->tasks.filp_cachep, GFP_KERNEL);

	if (!file)
		return NULL;
	file->machine = m;
	file->f_inode = inode;
	file->f_mapping = &inode->i_data;
	file->f_op = fop;
	file->f_mode = f_mode;
	file->f_count = 1;
	file->f_path = -1;
	file_ra_state_init(&file->f_ra, &inode->i_data);
	return file;
}

struct file *filp_open(struct machine *m, const char *path, int flags, unsigned int mode)
{
	unsigned int f_mode;
	struct host_stat st;
	struct inode *inode;
	struct file *file;
	int h, err;

	switch (flags & TUXMM_O_ACCMODE) {
	case TUXMM_O_RDONLY:
		f_mode = FMODE_READ;
		break;
	case TUXMM_O_WRONLY:
		f_mode = FMODE_WRITE;
		break;
	case TUXMM_O_RDWR:
		f_mode = FMODE_READ | FMODE_WRITE;
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	err = proc_caches_init(m);
	if (err)
		return ERR_PTR(err);
	h = host_file_open(m, path, flags, mode, &st);
	if (h < 0)
		return ERR_PTR(h);
	inode = inode_get(m, h, &st, f_mode & FMODE_WRITE);
	if (!inode) {
		host_file_close(m, h);
		return ERR_PTR(-ENOMEM);
	}
	file = alloc_file(m, inode, f_mode, inode->i_fop);
	if (!file) {
		iput(inode);
		host_file_close(m, h);
		return ERR_PTR(-ENOMEM);
	}
	file->f_flags = (unsigned int)flags;
	file->f_path = h;
	return file;
}

struct file *get_file(struct file *file)
{
	file->f_count++;
	return file;
}

void fput(struct file *file)
{
	struct machine *m = file->machine;

	if (--file->f_count)
		return;
	if (file->f_path >= 0)
		host_file_close(m, file->f_path);
	iput(file->f_inode);
	kmem_cache_free(m->tasks.filp_cachep, file);
}

bool path_noexec(const struct file *file)
{
	return file->f_inode->noexec;
}

void file_path_show(struct report *r, const struct file *file)
{
	struct inode *inode = file->f_inode;
	struct machine *m = file->machine;
	struct host_stat st;
	const char *p;

	if (inode->host < 0) {
		/* An internal inode (shmem) was never linked: Linux shows it deleted. */
		report_printf(r, "%s (deleted)", inode->i_name ? inode->i_name : "");
		return;
	}
	/* seq_file_path(..., "\n"): a newline in a name is printed as \012. */
	for (p = host_file_path(m, file->f_path); *p; p++) {
		if (*p == '\n')
			report_write(r, "\\012", 4);
		else
			report_putc(r, *p);
	}
	if (host_file_stat(m, inode->host, &st) == 0 && st.nlink == 0)
		report_write(r, " (deleted)", 10);
}

unsigned long inode_nr_live(struct machine *m)
{
	struct inode *inode;
	unsigned long n = 0;

	if (!m->tasks.ready)
		return 0;
	list_for_each_entry(inode, &m->tasks.inodes, i_list)
		n++;
	return n;
}
