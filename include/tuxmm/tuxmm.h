/*
 * tuxmm.h - the public C API of tuxmm, the Linux memory-management system in
 * user space. Front ends (the CLI, the Lua binding, tests) include only this.
 *
 * Every call returns 0 or a negative errno; failures that the user can act on
 * also leave a one-line message in the caller's buffer.
 */
#ifndef TUXMM_H
#define TUXMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUXMM_API __attribute__((visibility("default")))

#define TUXMM_MAX_RESERVE  16	/* boot-time reservations in one config */
#define TUXMM_NAME_MAX     32	/* bytes in a reservation name, with the NUL */
#define TUXMM_MAX_CPUS     64
#define TUXMM_RAM_MIN      (4ULL << 20)
#define TUXMM_RAM_MAX      (1ULL << 40)	/* 1 TiB of simulated RAM */
#define TUXMM_ERRMSG_MAX   256

/* A driver's contiguous area reserved at boot, like memblock_reserve(). */
struct tuxmm_reservation {
	char name[TUXMM_NAME_MAX];
	uint64_t size_bytes;
	uint64_t addr;		/* physical address when fixed */
	bool fixed;		/* false: wherever it fits, top-down like memblock */
};

struct tuxmm_config {
	uint64_t ram_bytes;		/* simulated RAM, 4 MiB .. 1 TiB */
	unsigned int nr_cpus;		/* 1 .. TUXMM_MAX_CPUS */
	unsigned int pgtable_levels;	/* 2, 3, 4 (default) or 5 */
	unsigned int page_shift;	/* 12 (4 KiB, default), 14 (16 KiB), 16 (64 KiB) */
	uint64_t seed;			/* every random choice derives from it */
	unsigned long min_free_kbytes;	/* 0: computed from RAM as Linux does */
	unsigned int nr_reserve;
	struct tuxmm_reservation reserve[TUXMM_MAX_RESERVE];
	unsigned int tlb_entries;	/* each CPU's TLB model: 0 = 1536 (with tlb_ways 12) */
	unsigned int tlb_ways;		/* associativity: entries / ways must be a power of two */
};

struct machine;

/* tuxmm_config_init - fill @cfg with the defaults: 64 MiB, 1 CPU, 4 levels, 4 KiB pages. */
TUXMM_API void tuxmm_config_init(struct tuxmm_config *cfg);

/*
 * tuxmm_boot - build a machine from @cfg: firmware map, memblock, zones, the
 * buddy and slab allocators. On failure returns -errno and writes one line
 * naming the problem into @err (TUXMM_ERRMSG_MAX bytes).
 */
TUXMM_API int tuxmm_boot(const struct tuxmm_config *cfg, struct machine **out, char *err);

/* tuxmm_machine_destroy - release the machine and its host memory. */
TUXMM_API void tuxmm_machine_destroy(struct machine *m);

/*
 * tuxmm_proc_read - the text of a /proc file (e.g. "/proc/meminfo") in Linux's
 * format. *@text is host memory the caller frees with free(). -ENOENT for a
 * path tuxmm does not provide.
 */
TUXMM_API int tuxmm_proc_read(struct machine *m, const char *path, char **text, size_t *len);

/* tuxmm_proc_path - the @i-th path tuxmm_proc_read() knows, or NULL past the last. */
TUXMM_API const char *tuxmm_proc_path(size_t i);

/*
 * tuxmm_pgtable_walk - the page-table walk of @addr in the kernel's tables
 * (swapper_pg_dir), one line per level with index, entry and flags. *@text is
 * host memory the caller frees with free().
 */
TUXMM_API int tuxmm_pgtable_walk(struct machine *m, uint64_t addr, char **text, size_t *len);

/* tuxmm_dmesg - the kernel log so far (boot messages, warnings); owned by @m. */
TUXMM_API const char *tuxmm_dmesg(struct machine *m);

/*
 * tuxmm_parse_size - parse a size the way Linux's mem= does: a number with an
 * optional K, M, G or T suffix (powers of 1024); "0x" prefixes allowed.
 */
TUXMM_API int tuxmm_parse_size(const char *s, uint64_t *bytes);

/* tuxmm_parse_reservation - parse "NAME:SIZE[@ADDR]" into @r; message in @err. */
TUXMM_API int tuxmm_parse_reservation(const char *s, struct tuxmm_reservation *r, char *err);

/* tuxmm_errno_name - "ENOMEM" for ENOMEM (positive or negative), "E?" if unknown. */
TUXMM_API const char *tuxmm_errno_name(int err);

TUXMM_API const char *tuxmm_version(void);

#ifdef __cplusplus
}
#endif
#endif
