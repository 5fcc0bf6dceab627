/*
 * mkswap.c - make a swap file as util-linux's mkswap does: a file of the
 * given size whose first page holds the version-1 header and the
 * SWAPSPACE2 signature. Host-side: it only writes a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tuxmm/tuxmm.h>

#include "swap.h"

#define SERR(err, ...) ((err) ? (void)snprintf((err), TUXMM_ERRMSG_MAX, __VA_ARGS__) : (void)0)

int tuxmm_mkswap(const char *path, uint64_t size_bytes, unsigned int page_size, uint64_t seed,
		 char *err)
{
	struct swap_header *h;
	uint64_t pages;
	int fd, ret = 0;

	if (page_size != 4096 && page_size != 16384 && page_size != 65536) {
		SERR(err, "page size %u: give 4K, 16K or 64K", page_size);
		return -EINVAL;
	}
	pages = size_bytes / page_size;
	if (pages < 10) {
		SERR(err, "%s: a swap area needs at least 10 pages (%u KiB)", path,
		     10 * page_size / 1024);
		return -EINVAL;
	}
	if (pages - 1 > UINT32_MAX) {
		SERR(err, "%s: too large for a version 1 swap header", path);
		return -EINVAL;
	}
	h = calloc(1, page_size);
	if (!h)
		return -ENOMEM;
	h->version = SWAP_HEADER_VERSION;
	h->last_page = (uint32_t)(pages - 1);
	for (int i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		h->sws_uuid[i] = (unsigned char)(seed >> 56);
	}
	h->sws_uuid[6] = (unsigned char)((h->sws_uuid[6] & 0x0f) | 0x40);	/* version-4 UUID */
	h->sws_uuid[8] = (unsigned char)((h->sws_uuid[8] & 0x3f) | 0x80);
	memcpy((char *)h + page_size - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		SERR(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* Full size first (sparse), so the area has no hole at its end. */
	if (ftruncate(fd, (off_t)(pages * page_size)) ||
	    pwrite(fd, h, page_size, 0) != (ssize_t)page_size) {
		ret = errno ? -errno : -EIO;
		SERR(err, "%s: %s", path, strerror(-ret));
	}
	close(fd);
out:
	free(h);
	return ret;
}
