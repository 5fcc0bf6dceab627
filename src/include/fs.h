/*
 * fs.h - files and inodes over real host files.
 * Follows Linux include/linux/fs.h in shape: a struct file per open (its
 * access mode), one struct inode per host file (device, inode number, size),
 * shared by every open of it. Both live in simulated RAM (slab caches
 * "filp" and "inode_cache"); the host descriptor and the path string are
 * host resources, kept in the machine's host file table (src/host/host_file.c).
 */
#ifndef TUXMM_FS_H
#define TUXMM_FS_H

#include "list.h"
#include "types.h"
#include "xarray.h"

struct file;
struct machine;
struct vm_area_struct;
struct report;

typedef uint32_t dev_t32;	/* Linux's kernel dev_t: major << 20 | minor */
typedef int64_t loff_t;		/* bytes: a file position (as glibc spells it) */

#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((dev_t32)(ma) << MINORBITS) | (dev_t32)(mi))

/* i_mode file types, Linux's S_IF* values (the same as the host's <sys/stat.h>). */
#ifndef S_IFMT
#define S_IFMT   00170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#endif

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

#define MAX_LFS_FILESIZE ((loff_t)0x7fffffffffffffffLL)

struct inode;

struct address_space;
struct page;

/* How a mapping's pages meet their backing (Linux's address_space_operations, in part). */
struct address_space_operations {
	/* read_folio - fill @page (in the cache, not uptodate) from the backing; 0 or -errno. */
	int (*read_folio)(struct address_space *mapping, struct page *page);
	/* writepage - write @page (under writeback) to the backing; 0 or -errno. */
	int (*writepage)(struct address_space *mapping, struct page *page);
	/* dirty_folio - mark @page dirty; true if it was clean. NULL: filemap_dirty_folio. */
	bool (*dirty_folio)(struct address_space *mapping, struct page *page);
};

/* address_space->flags bits */
#define AS_EIO		0	/* a writeback failed since the last check (msync reports -EIO) */

/*
 * The page cache of an inode: its pages indexed by file offset (src/mm/filemap.c);
 * a shmem inode's swapped-out pages are swap entries there (value entries).
 * Each cached page holds one reference of the cache and has page->mapping ==
 * this, page->index == its offset in pages. Marks: PAGECACHE_TAG_DIRTY and
 * PAGECACHE_TAG_WRITEBACK (pagemap.h).
 */
struct address_space {
	struct inode *host;
	struct xarray i_pages;		/* cached pages by index */
	unsigned long nrpages;		/* pages cached */
	long i_mmap_writable;		/* shared writable mappings */
	struct list_head i_mmap;	/* areas mapping it, by vma->shared (rmap.c, demand paging) */
	unsigned long nr_mmap;		/* areas on i_mmap */
	unsigned long flags;		/* AS_* */
	const struct address_space_operations *a_ops;
};

/* Readahead state of one open file (Linux's struct file_ra_state). */
struct file_ra_state {
	pgoff_t start;			/* pages: first page of the current window */
	unsigned int size;		/* pages in the window */
	unsigned int async_size;	/* pages: start the next window when this many remain */
	unsigned int ra_pages;		/* pages: the largest window (read_ahead_kb) */
	unsigned int mmap_miss;		/* mmap faults that missed the cache, less hits */
	loff_t prev_pos;		/* bytes: the last position read; -1 for none */
};

struct file_operations {
	/* mmap - accept @vma as a mapping of @file (set its vm_ops); 0 or -errno. */
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
};

struct inode {
	unsigned long i_ino;		/* inode number, as ls -i shows it */
	dev_t32 i_dev;			/* device of its filesystem (the host's st_dev) */
	unsigned int i_mode;		/* S_IF* type and permission bits */
	unsigned int i_uid;
	unsigned int swapped;		/* shmem: swap entries in i_pages (Linux's info->swapped) */
	loff_t i_size;			/* bytes, as of the last stat */
	int i_count;			/* references: files and the icache lookup */
	int host;			/* host file table handle; -1 for an internal inode */
	bool host_writable;		/* the host descriptor was opened for writing */
	bool noexec;			/* on a noexec mount: no PROT_EXEC mappings */
	const char *i_name;		/* internal inodes: the name maps prints (static string) */
	const struct file_operations *i_fop;
	struct address_space i_data;
	struct list_head i_list;	/* on the machine's inode list */
	struct machine *machine;
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	unsigned int f_mode;		/* FMODE_READ | FMODE_WRITE */
	unsigned int f_flags;		/* TUXMM_O_* given to open */
	int f_count;			/* references: descriptors and mappings */
	int f_path;			/* host file table handle of the path opened; -1 internal */
	struct file_ra_state f_ra;	/* readahead state (src/mm/readahead.c) */
	struct machine *machine;
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->f_inode;
}

/*
 * filp_open - open host file @path with TUXMM_O_* @flags: a new struct file
 * on the (possibly shared) inode. ERR_PTR(-errno) on failure.
 */
struct file *filp_open(struct machine *m, const char *path, int flags, unsigned int mode);
/* shmem_file_setup - an unlinked internal file ("/dev/zero (deleted)") of @size bytes. */
struct file *shmem_file_setup(struct machine *m, const char *name, loff_t size);
/* shmem_zero_setup - back a shared anonymous area with a new shmem file (Linux's mm/shmem.c). */
int shmem_zero_setup(struct vm_area_struct *vma);
/* inode_alloc - a new inode with one reference on the icache list; iput drops one. */
struct inode *inode_alloc(struct machine *m);
void iput(struct inode *inode);
/* alloc_file - a struct file on @inode (which it takes the caller's reference of). */
struct file *alloc_file(struct machine *m, struct inode *inode, unsigned int f_mode,
			const struct file_operations *fop);
struct file *get_file(struct file *file);
void fput(struct file *file);
bool path_noexec(const struct file *file);
/* file_path_show - the file's path as /proc/PID/maps prints it (escaped, " (deleted)"). */
void file_path_show(struct report *r, const struct file *file);
/* inode_nr_live - inodes in the icache (tests check nothing leaks). */
unsigned long inode_nr_live(struct machine *m);

int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
extern const struct file_operations generic_file_ops;

#endif
