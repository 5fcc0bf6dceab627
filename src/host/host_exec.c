/*
 * host_exec.c - the host's files as the ELF planner reads them: opened for
 * execution with Linux's open_exec() refusals, then read with pread(2).
 * Host resources only: a handle is the host descriptor, closed by close().
 */
#define _GNU_SOURCE	/* ST_NOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "binfmt.h"

/*
 * host_exec_open - open_exec(): the path must name a regular file we may
 * execute on a mount that allows it (-EACCES otherwise, as Linux's may_open
 * and do_open_execat refuse). Returns the descriptor and the size.
 */
static int host_exec_open(void *ctx, const char *path, uint64_t *size_bytes)
{
	struct statvfs vfs;
	struct stat st;
	int fd;

	(void)ctx;
	if (!path[0])
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EISDIR ? -EACCES : -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) ||
	    (!fstatvfs(fd, &vfs) && (vfs.f_flag & ST_NOEXEC))) {
		close(fd);
		return -EACCES;
	}
	*size_bytes = (uint64_t)st.st_size;
	return fd;
}

static long host_exec_pread(void *ctx, int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	(void)ctx;
	if (off > (uint64_t)INT64_MAX)
		return 0;
	do
		n = pread(fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

static void host_exec_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

const struct elf_file_ops elf_host_file_ops = {
	.open = host_exec_open,
	.pread = host_exec_pread,
	.close = host_exec_close,
};
