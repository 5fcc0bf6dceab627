/*
 * host.c - the host layer: heap for front-end-facing objects, and the lazily
 * touched mapping behind simulated RAM (a 64 GiB machine boots on a smaller host
 * because pages of the mapping cost nothing until written).
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debug.h"
#include "host.h"

#ifdef TUXMM_ASAN
#include <sanitizer/asan_interface.h>

/*
 * Forget any poison ASan holds for [p, p + size): a new RAM mapping may reuse
 * the addresses of an old machine's, whose free pages were poisoned. Dropping
 * the shadow pages (they read back as zero: unpoisoned) costs nothing even for
 * a 64 GiB range, where unpoisoning byte by byte would touch 8 GiB of shadow.
 */
static void clear_shadow(void *p, size_t size)
{
	size_t scale, offset, page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t beg, end, abeg, aend;

	__asan_get_shadow_mapping(&scale, &offset);
	beg = ((uintptr_t)p >> scale) + offset;
	end = (((uintptr_t)p + size) >> scale) + offset;
	abeg = (beg + page - 1) & ~(page - 1);
	aend = end & ~(page - 1);
	if (abeg >= aend) {
		__asan_unpoison_memory_region(p, size);
		return;
	}
	madvise((void *)abeg, aend - abeg, MADV_DONTNEED);
	__asan_unpoison_memory_region(p, (abeg - beg) << scale);
	__asan_unpoison_memory_region((void *)((aend - offset) << scale), (end - aend) << scale);
}
#else
static void clear_shadow(void *p, size_t size)
{
	(void)p;
	(void)size;
}
#endif

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

	if (p == MAP_FAILED)
		return NULL;
	clear_shadow(p, size);
	/*
	 * Transparent huge pages where the host allows them: the boot writes the whole
	 * struct page array (16 MiB for 1 GiB of RAM), and 4 KiB host faults made that
	 * write most of a boot's time. Advice only: without THP nothing changes.
	 */
	madvise(p, size, MADV_HUGEPAGE);
	return p;
}

void host_unmap_ram(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}
