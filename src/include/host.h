/*
 * host.h - the only door to the host: its heap (for the machine object, logs
 * and reports) and the one mapping that holds simulated RAM.
 */
#ifndef TUXMM_HOST_H
#define TUXMM_HOST_H

#include <stddef.h>

void *host_zalloc(size_t size);
void *host_realloc(void *p, size_t size);
void host_free(void *p);

/* host_map_ram - @size bytes of zeroed memory, reserved but touched only on use. */
void *host_map_ram(size_t size);
void host_unmap_ram(void *p, size_t size);

#endif
