/*
 * host_file.h - real files on the host, for file mappings: open, stat, read,
 * write, close. A machine keeps its host descriptors and path strings in a
 * table of host memory, indexed by small handles that kernel objects store.
 */
#ifndef TUXMM_HOST_FILE_H
#define TUXMM_HOST_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* What the kernel needs from fstat(2) and statvfs(2). */
struct host_stat {
	unsigned int dev_major, dev_minor;	/* st_dev, split as Linux's MAJOR()/MINOR() */
	uint64_t ino;
	uint64_t size;				/* bytes */
	unsigned int mode;			/* st_mode: type and permission bits */
	unsigned int uid;
	unsigned long nlink;
	bool noexec;				/* the filesystem is mounted noexec */
};

/*
 * host_file_open - open @path with TUXMM_O_* @flags and creation @mode.
 * Returns a handle >= 0 owning the descriptor and the canonical absolute
 * path, with *@st filled in, or -errno (the host's).
 */
int host_file_open(struct machine *m, const char *path, int flags, unsigned int mode,
		   struct host_stat *st);
/* host_file_dup - a handle with a duplicate of @h's descriptor (and no path). */
int host_file_dup(struct machine *m, int h);
/* host_file_close - close the descriptor (if any) and forget the path. */
void host_file_close(struct machine *m, int h);
const char *host_file_path(struct machine *m, int h);
int host_file_stat(struct machine *m, int h, struct host_stat *st);
/*
 * host_file_pread/pwrite - bytes moved or -errno (the host's, or -EIO when
 * m->fail_file_read / fail_file_write injects a failure for this call).
 */
long host_file_pread(struct machine *m, int h, void *buf, size_t len, uint64_t off);
long host_file_pwrite(struct machine *m, int h, const void *buf, size_t len, uint64_t off);

/* One buffer of a vectored transfer (laid out as the host's struct iovec). */
struct host_iovec {
	void *base;
	size_t len;			/* bytes */
};

/* host_file_preadv/pwritev - @nr buffers from file offset @off, as one call (one injection count). */
long host_file_preadv(struct machine *m, int h, const struct host_iovec *iov, int nr,
		      uint64_t off);
long host_file_pwritev(struct machine *m, int h, const struct host_iovec *iov, int nr,
		       uint64_t off);
int host_file_fsync(struct machine *m, int h);
/* host_files_destroy - close everything still open; the table goes with the machine. */
void host_files_destroy(struct machine *m);
/* host_files_nr_open - handles in use (tests check that nothing leaks). */
unsigned long host_files_nr_open(struct machine *m);

/*
 * host_tmpfile_sparse - create an empty sparse file of *@size_bytes (halved while the
 * file system refuses the size) under $TMPDIR, else /dev/shm, else /tmp; its path
 * into @path. 0 or -errno.
 */
int host_tmpfile_sparse(uint64_t *size_bytes, char *path, size_t path_size);
void host_unlink(const char *path);

#endif
