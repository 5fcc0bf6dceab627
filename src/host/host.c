/*
 * host.c - the host layer: heap for front-end-facing objects, and the lazily
 * touched mapping behind simulated RAM (a 64 GiB machine boots on a smaller host
 * because pages of the mapping cost nothing until written).
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "host.h"

void *host_zalloc(size_t size)
{
	return calloc(1, size);
}

void *host_realloc(void *p, size_t size)
{
	return realloc(p, size);
}

void host_free(void *p)
{
	free(p);
}

void *host_map_ram(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void host_unmap_ram(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}
