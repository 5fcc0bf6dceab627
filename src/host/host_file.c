/*
 * host_file.c - real host files behind file mappings: the machine's table of
 * host descriptors and canonical paths, and the few calls the kernel makes on
 * them (fstat, pread, pwrite, fsync). Host memory: these are host resources.
 */
#define _GNU_SOURCE	/* ST_NOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"
#include "host_file.h"
#include "machine.h"

struct host_file_entry {
	int fd;			/* -1: none */
	char *path;		/* canonical absolute path, or NULL */
	bool used;
};

struct host_file_table {
	struct host_file_entry *v;
	size_t cap;
	size_t nr_used;
};

static struct host_file_table *table(struct machine *m)
{
	if (!m->tasks.host_files)
		m->tasks.host_files = host_zalloc(sizeof(struct host_file_table));
	return m->tasks.host_files;
}

/* new_entry - a free slot (the table grows by doubling), or -ENOMEM. */
static int new_entry(struct machine *m)
{
	struct host_file_table *t = table(m);
	size_t i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (!t->v[i].used)
			break;
	if (i == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct host_file_entry *v = host_realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + t->cap, 0, (cap - t->cap) * sizeof(*v));
		t->v = v;
		t->cap = cap;
	}
	t->v[i] = (struct host_file_entry){ .fd = -1, .used = true };
	t->nr_used++;
	return (int)i;
}

static struct host_file_entry *entry(struct machine *m, int h)
{
	struct host_file_table *t = m->tasks.host_files;

	if (!t || h < 0 || (size_t)h >= t->cap || !t->v[h].used)
		return NULL;
	return &t->v[h];
}

static void fill_stat(int fd, const struct stat *sb, struct host_stat *st)
{
	struct statvfs vfs;

	st->dev_major = major(sb->st_dev);
	st->dev_minor = minor(sb->st_dev);
	st->ino = (uint64_t)sb->st_ino;
	st->size = (uint64_t)sb->st_size;
	st->mode = (unsigned int)sb->st_mode;
	st->uid = (unsigned int)sb->st_uid;
	st->nlink = (unsigned long)sb->st_nlink;
	st->noexec = fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC);
}

static int host_open_flags(int flags)
{
	int o = O_CLOEXEC;

	switch (flags & TUXMM_O_ACCMODE) {
	case TUXMM_O_WRONLY:
		o |= O_WRONLY;
		break;
	case TUXMM_O_RDWR:
		o |= O_RDWR;
		break;
	default:
		o |= O_RDONLY;
		break;
	}
	if (flags & TUXMM_O_CREAT)
		o |= O_CREAT;
	if (flags & TUXMM_O_EXCL)
		o |= O_EXCL;
	if (flags & TUXMM_O_TRUNC)
		o |= O_TRUNC;
	if (flags & TUXMM_O_APPEND)
		o |= O_APPEND;
	return o;
}

int host_file_open(struct machine *m, const char *path, int flags, unsigned int mode,
		   struct host_stat *st)
{
	char resolved[PATH_MAX];
	struct stat sb;
	int fd, h;

	fd = open(path, host_open_flags(flags), (mode_t)mode);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0) {
		h = -errno;
		close(fd);
		return h;
	}
	h = new_entry(m);
	if (h < 0) {
		close(fd);
		return h;
	}
	/* /proc/PID/maps prints the path the kernel resolved: absolute, symlinks followed. */
	if (!realpath(path, resolved)) {
		strncpy(resolved, path, sizeof(resolved) - 1);
		resolved[sizeof(resolved) - 1] = '\0';
	}
	entry(m, h)->fd = fd;
	entry(m, h)->path = strdup(resolved);
	if (!entry(m, h)->path) {
		host_file_close(m, h);
		return -ENOMEM;
	}
	fill_stat(fd, &sb, st);
	return h;
}

int host_file_dup(struct machine *m, int h)
{
	struct host_file_entry *e = entry(m, h);
	int n, fd;

	if (!e || e->fd < 0)
		return -EBADF;
	fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = new_entry(m);
	if (n < 0) {
		close(fd);
		return n;
	}
	entry(m, n)->fd = fd;
	return n;
}

void host_file_close(struct machine *m, int h)
{
	struct host_file_entry *e = entry(m, h);

	if (!e)
		return;
	if (e->fd >= 0)
		close(e->fd);
	free(e->path);
	*e = (struct host_file_entry){ .fd = -1 };
	m->tasks.host_files->nr_used--;
}

const char *host_file_path(struct machine *m, int h)
{
	struct host_file_entry *e = entry(m, h);

	return e && e->path ? e->path : "";
}

int host_file_stat(struct machine *m, int h, struct host_stat *st)
{
	struct host_file_entry *e = entry(m, h);
	struct stat sb;

	if (!e || e->fd < 0)
		return -EBADF;
	if (fstat(e->fd, &sb) < 0)
		return -errno;
	fill_stat(e->fd, &sb, st);
	return 0;
}

long host_file_pread(struct machine *m, int h, void *buf, size_t len, uint64_t off)
{
	struct host_file_entry *e = entry(m, h);
	ssize_t n;

	if (!e || e->fd < 0)
		return -EBADF;
	if (should_fail(&m->fail_file_read))
		return -EIO;
	n = pread(e->fd, buf, len, (off_t)off);
	return n < 0 ? -errno : (long)n;
}

long host_file_pwrite(struct machine *m, int h, const void *buf, size_t len, uint64_t off)
{
	struct host_file_entry *e = entry(m, h);
	ssize_t n;

	if (!e || e->fd < 0)
		return -EBADF;
	if (should_fail(&m->fail_file_write))
		return -EIO;
	/* A short write, as a full disk or a signal gives: half of it reaches the file. */
	if (should_fail(&m->fail_file_short_write))
		len /= 2;
	n = pwrite(e->fd, buf, len, (off_t)off);
	return n < 0 ? -errno : (long)n;
}

/* Vectored I/O: one host call per run of pages (readahead, writeback of a range). */
_Static_assert(sizeof(struct host_iovec) == sizeof(struct iovec), "host_iovec is an iovec");

long host_file_preadv(struct machine *m, int h, const struct host_iovec *iov, int nr,
		      uint64_t off)
{
	struct host_file_entry *e = entry(m, h);
	ssize_t n;

	if (!e || e->fd < 0)
		return -EBADF;
	if (should_fail(&m->fail_file_read))
		return -EIO;
	n = preadv(e->fd, (const struct iovec *)iov, nr, (off_t)off);
	return n < 0 ? -errno : (long)n;
}

long host_file_pwritev(struct machine *m, int h, const struct host_iovec *iov, int nr,
		       uint64_t off)
{
	struct host_file_entry *e = entry(m, h);
	ssize_t n;

	if (!e || e->fd < 0)
		return -EBADF;
	if (should_fail(&m->fail_file_write))
		return -EIO;
	/* A short write: the first half of the vector reaches the file. */
	if (nr > 1 && should_fail(&m->fail_file_short_write))
		nr /= 2;
	n = pwritev(e->fd, (const struct iovec *)iov, nr, (off_t)off);
	return n < 0 ? -errno : (long)n;
}

int host_file_fsync(struct machine *m, int h)
{
	struct host_file_entry *e = entry(m, h);

	if (!e || e->fd < 0)
		return -EBADF;
	return fdatasync(e->fd) < 0 ? -errno : 0;
}

void host_files_destroy(struct machine *m)
{
	struct host_file_table *t = m->tasks.host_files;

	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].used)
			host_file_close(m, (int)i);
	host_free(t->v);
	host_free(t);
	m->tasks.host_files = NULL;
}

unsigned long host_files_nr_open(struct machine *m)
{
	return m->tasks.host_files ? m->tasks.host_files->nr_used : 0;
}
