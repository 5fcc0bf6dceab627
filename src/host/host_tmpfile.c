/*
 * host_tmpfile.c - a sparse scratch file on the host ($TMPDIR, else /dev/shm, else
 * /tmp): the backing store trace replay maps its pages from (a real file, so page-ins
 * and write-backs are real I/O).
 * Host resources only; the file is unlinked by the caller once opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "host_file.h"

int host_tmpfile_sparse(uint64_t *size_bytes, char *path, size_t path_size)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	/* Memory-speed I/O when nobody chose: the file holds only pages written back. */
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK | X_OK) ? "/tmp" : "/dev/shm";
	if ((size_t)snprintf(path, path_size, "%s/tuxmm-replay-XXXXXX", dir) >= path_size)
		return -ENAMETOOLONG;
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	/* Some file systems cap a file's size: halve until it fits (ext4: 16 TiB). */
	while (ftruncate(fd, (off_t)*size_bytes)) {
		int err = errno;

		if ((err != EFBIG && err != EINVAL) || *size_bytes <= (1ULL << 30)) {
			close(fd);
			unlink(path);
			return -err;
		}
		*size_bytes /= 2;
	}
	close(fd);
	return 0;
}

void host_unlink(const char *path)
{
	unlink(path);
}
