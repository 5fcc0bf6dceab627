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
	unsigned int randomize_va_space;	/* 0: no ASLR (default); 2: as Linux, from seed */
	unsigned int tlb_entries;	/* each CPU's TLB model: 0 = 1536 (with tlb_ways 12) */
	unsigned int tlb_ways;		/* associativity: entries / ways must be a power of two */
	/* page-out policy: NULL or "linux" (default), "clock", "fifo", "lru", "random" */
	const char *policy;
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

/*
 * tuxmm_proc_pread - read @count bytes of a /proc file at offset @pos, as
 * pread(2) on Linux's file would: the bytes read (0 at the end), or -errno.
 * This is how the binary /proc/PID/pagemap is read (8 bytes per page; @pos and
 * @count multiples of 8, else -EINVAL, as Linux's pagemap_read()); for text
 * files it reads a slice of what tuxmm_proc_read() returns. -EFAULT for a NULL
 * @buf with a nonzero @count.
 */
TUXMM_API long tuxmm_proc_pread(struct machine *m, const char *path, void *buf, size_t count,
				uint64_t pos);

/* tuxmm_proc_path - the @i-th path tuxmm_proc_read() knows, or NULL past the last. */
TUXMM_API const char *tuxmm_proc_path(size_t i);
/*
 * tuxmm_proc_pid_path - the @i-th per-task file as "/proc/PID/maps" (replace
 * PID by a task's pid to read it), or NULL past the last.
 */
TUXMM_API const char *tuxmm_proc_pid_path(size_t i);

/*
 * tuxmm_pgtable_walk - the page-table walk of @addr in the kernel's tables
 * (swapper_pg_dir), one line per level with index, entry and flags. *@text is
 * host memory the caller frees with free().
 */
TUXMM_API int tuxmm_pgtable_walk(struct machine *m, uint64_t addr, char **text, size_t *len);
/*
 * tuxmm_task_pgtable_walk - the same walk through task @t's own page tables
 * (user addresses, and the kernel half every PGD shares). -EINVAL for a task
 * without an address space.
 */
struct task_struct;
TUXMM_API int tuxmm_task_pgtable_walk(struct task_struct *t, uint64_t addr, char **text,
				      size_t *len);

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

/* ---- swap areas (docs/swap.md) ---- */

/*
 * tuxmm_mkswap - make host file @path a swap area of @size_bytes for machines
 * with @page_size pages, as util-linux's mkswap does (the file is created or
 * truncated; the UUID derives from @seed). 0 or -errno with a message in @err.
 */
TUXMM_API int tuxmm_mkswap(const char *path, uint64_t size_bytes, unsigned int page_size,
			   uint64_t seed, char *err);
/*
 * tuxmm_swapon - add the swap area in host file @path with priority @prio (a
 * negative value: the next default, -2, -3, ...). -EINVAL for a file without
 * a valid header for the machine's page size, -EBUSY if already on, -EPERM
 * past 32 areas, the host's errno for a path it refuses; message in @err.
 */
TUXMM_API int tuxmm_swapon(struct machine *m, const char *path, int prio, char *err);
/*
 * tuxmm_swapoff - remove the area of @path, bringing every page on it back
 * into memory first: -EINVAL if it is not on; -ENOMEM (memory cannot hold
 * them) or -EIO (a read failed) leave it on and usable.
 */
TUXMM_API int tuxmm_swapoff(struct machine *m, const char *path);

/* ---- kernel virtual memory (docs/lua-api.md, "Kernel memory") ---- */

/*
 * tuxmm_vmalloc - vmalloc(@size) by the kernel: @size bytes rounded up to
 * pages, from order-0 pages scattered in RAM, mapped contiguously into the
 * vmalloc area of the kernel's tables (not user-accessible), with an unmapped
 * guard page after it; listed in /proc/vmallocinfo. The address goes to
 * *@addr. 0, or -EINVAL for a size of 0, -ENOMEM when RAM or the area ran out.
 */
TUXMM_API int tuxmm_vmalloc(struct machine *m, uint64_t size, uint64_t *addr);
/* tuxmm_vfree - vfree() of an area tuxmm_vmalloc() returned: 0, or -EINVAL for any other address. */
TUXMM_API int tuxmm_vfree(struct machine *m, uint64_t addr);
/*
 * tuxmm_vread / tuxmm_vwrite - the kernel copying @len bytes at kernel address
 * @addr through its own page tables (a vmalloc area, the direct map): 0, or
 * -EFAULT when a page of the range is not mapped (a guard page, a user address).
 */
TUXMM_API int tuxmm_vread(struct machine *m, uint64_t addr, void *buf, size_t len);
TUXMM_API int tuxmm_vwrite(struct machine *m, uint64_t addr, const void *buf, size_t len);

/* ---- what frames and swap slots hold (docs/report.md) ---- */

/* What a page frame is used for, as tuxmm_frame_info() classifies it. */
enum tuxmm_frame_kind {
	TUXMM_FRAME_HOLE,	/* not RAM: a hole in the firmware map */
	TUXMM_FRAME_RESERVED,	/* PG_reserved: memblock's (name: the reservation) */
	TUXMM_FRAME_FREE,	/* in a buddy free block (head_pfn, order) */
	TUXMM_FRAME_PCP,	/* free, on a per-CPU list */
	TUXMM_FRAME_PGTABLE,	/* a page table (name: its level, "PGD" ... "PTE") */
	TUXMM_FRAME_SLAB,	/* a slab (name: its cache) */
	TUXMM_FRAME_VMALLOC,	/* mapped into the vmalloc area */
	TUXMM_FRAME_ANON,	/* anonymous memory of tasks */
	TUXMM_FRAME_FILE,	/* page cache (name: the file) */
	TUXMM_FRAME_KERNEL,	/* any other allocation of the kernel */
	TUXMM_FRAME_NR_KINDS
};

struct tuxmm_frame_info {
	int kind;		/* enum tuxmm_frame_kind */
	int zone;		/* zone index (0 DMA, 1 DMA32, 2 Normal, ...); -1 for a hole */
	unsigned long head_pfn;	/* first frame of its free block or compound page */
	unsigned int order;	/* that block's order */
	int refcount;		/* references to the (head) page; 0 while free */
	int mapcount;		/* PTEs mapping this frame */
	bool dirty, lru, active, swapcache, mlocked;	/* the head page's flags */
	char name[TUXMM_NAME_MAX];	/* see the kinds; "" when none */
};

/*
 * tuxmm_frame_info - what frame @pfn (0 .. tuxmm_max_pfn() - 1) holds. Reads only.
 * -EINVAL past the last frame.
 */
TUXMM_API int tuxmm_frame_info(struct machine *m, unsigned long pfn,
			       struct tuxmm_frame_info *info);
/* tuxmm_max_pfn - frames in the physical address space, holes included. */
TUXMM_API unsigned long tuxmm_max_pfn(const struct machine *m);
/* tuxmm_frame_kind_name - "free", "anon", "slab", ... for a TUXMM_FRAME_* kind. */
TUXMM_API const char *tuxmm_frame_kind_name(int kind);

/* The address-space layout and page-table geometry of a machine (docs/arch.md). */
struct tuxmm_vm_layout {
	const char *name;		/* "x86-64 4-level (48-bit)", ... */
	unsigned int va_bits;		/* address bits one tree translates */
	unsigned int page_shift;
	unsigned int levels;		/* hardware levels walked, 2 .. 5 */
	struct {
		const char *name;	/* "PGD", "P4D", "PUD", "PMD", "PTE" */
		unsigned int shift;	/* the lowest address bit this level's index takes */
		unsigned long ptrs;	/* entries per table */
	} level[5];			/* top (PGD) first */
	unsigned long task_size;	/* user space is [0, task_size) */
	unsigned long page_offset;	/* the direct map's start */
	unsigned long direct_map_bytes;
	unsigned long vmalloc_start, vmalloc_end;	/* vmalloc_end: the last byte */
};

/* tuxmm_vm_layout - fill @out with @m's layout. */
TUXMM_API void tuxmm_vm_layout(const struct machine *m, struct tuxmm_vm_layout *out);

/* One swap area as tuxmm_swap_area() describes it. */
struct tuxmm_swap_area_info {
	const char *path;		/* the host file; owned by the machine */
	int prio;
	unsigned long nr_slots;		/* pages in the area, header slot 0 included */
	unsigned long nr_usable;	/* slots that can hold a page */
	unsigned long nr_inuse;		/* slots in use or in the swap cache */
	bool writeok;			/* open for new swap-outs */
};

/* tuxmm_swap_area - the swap area of @type (0 .. 31, as swapon numbered it), or -ENOENT. */
TUXMM_API int tuxmm_swap_area(struct machine *m, unsigned int type,
			      struct tuxmm_swap_area_info *info);
/*
 * tuxmm_swap_slots - Linux's swap_map bytes of slots [@start, @start + @n) of area @type:
 * 0 free, 1..0x3e the use count, 0x3f bad (slot 0, the header, is 0x3f), bit 0x40 in the
 * swap cache. Returns the bytes copied (fewer at the end), or -ENOENT.
 */
TUXMM_API long tuxmm_swap_slots(struct machine *m, unsigned int type, unsigned long start,
				unsigned char *out, size_t n);

/* ---- reclaim (docs/swap.md) ---- */

/* tuxmm_kswapd - run kswapd now: reclaim until free memory is above the high watermark. Pages freed. */
TUXMM_API unsigned long tuxmm_kswapd(struct machine *m);
/* tuxmm_reclaim - reclaim up to @nr_pages as kswapd would, whatever the watermarks. Pages freed. */
TUXMM_API unsigned long tuxmm_reclaim(struct machine *m, unsigned long nr_pages);
/* tuxmm_vm_event - the /proc/vmstat counter named @name (pswpin, pgscan_kswapd, ...). -ENOENT if none. */
TUXMM_API int tuxmm_vm_event(struct machine *m, const char *name, unsigned long *value);

/* ---- tasks and address spaces (docs/address-spaces.md) ---- */

struct task_struct;

/* Linux's numeric values, so traces and scripts written for Linux mean the same here. */
#define TUXMM_PROT_NONE		0x0
#define TUXMM_PROT_READ		0x1
#define TUXMM_PROT_WRITE	0x2
#define TUXMM_PROT_EXEC		0x4
#define TUXMM_PROT_SEM		0x8
#define TUXMM_PROT_GROWSDOWN	0x01000000	/* mprotect: extend down to a VM_GROWSDOWN start */
#define TUXMM_PROT_GROWSUP	0x02000000

#define TUXMM_MAP_SHARED		0x01
#define TUXMM_MAP_PRIVATE		0x02
#define TUXMM_MAP_SHARED_VALIDATE	0x03
#define TUXMM_MAP_DROPPABLE		0x08
#define TUXMM_MAP_TYPE			0x0f
#define TUXMM_MAP_FIXED			0x10
#define TUXMM_MAP_ANONYMOUS		0x20
#define TUXMM_MAP_32BIT			0x40
#define TUXMM_MAP_GROWSDOWN		0x0100
#define TUXMM_MAP_DENYWRITE		0x0800
#define TUXMM_MAP_EXECUTABLE		0x1000
#define TUXMM_MAP_LOCKED		0x2000
#define TUXMM_MAP_NORESERVE		0x4000
#define TUXMM_MAP_POPULATE		0x8000
#define TUXMM_MAP_NONBLOCK		0x10000
#define TUXMM_MAP_STACK			0x20000
#define TUXMM_MAP_HUGETLB		0x40000
#define TUXMM_MAP_SYNC			0x80000
#define TUXMM_MAP_FIXED_NOREPLACE	0x100000
#define TUXMM_MAP_UNINITIALIZED		0x4000000

#define TUXMM_MREMAP_MAYMOVE	1
#define TUXMM_MREMAP_FIXED	2
#define TUXMM_MREMAP_DONTUNMAP	4

#define TUXMM_MADV_NORMAL		0
#define TUXMM_MADV_RANDOM		1
#define TUXMM_MADV_SEQUENTIAL		2
#define TUXMM_MADV_WILLNEED		3
#define TUXMM_MADV_DONTNEED		4
#define TUXMM_MADV_FREE			8
#define TUXMM_MADV_REMOVE		9
#define TUXMM_MADV_DONTFORK		10
#define TUXMM_MADV_DOFORK		11
#define TUXMM_MADV_MERGEABLE		12
#define TUXMM_MADV_UNMERGEABLE		13
#define TUXMM_MADV_HUGEPAGE		14
#define TUXMM_MADV_NOHUGEPAGE		15
#define TUXMM_MADV_DONTDUMP		16
#define TUXMM_MADV_DODUMP		17
#define TUXMM_MADV_WIPEONFORK		18
#define TUXMM_MADV_KEEPONFORK		19
#define TUXMM_MADV_COLD			20
#define TUXMM_MADV_PAGEOUT		21
#define TUXMM_MADV_POPULATE_READ	22
#define TUXMM_MADV_POPULATE_WRITE	23
#define TUXMM_MADV_DONTNEED_LOCKED	24
#define TUXMM_MADV_COLLAPSE		25
#define TUXMM_MADV_HWPOISON		100
#define TUXMM_MADV_SOFT_OFFLINE		101
#define TUXMM_MADV_GUARD_INSTALL	102
#define TUXMM_MADV_GUARD_REMOVE		103

#define TUXMM_MS_ASYNC		1
#define TUXMM_MS_INVALIDATE	2
#define TUXMM_MS_SYNC		4

#define TUXMM_MLOCK_ONFAULT	0x01
#define TUXMM_MCL_CURRENT	1
#define TUXMM_MCL_FUTURE	2
#define TUXMM_MCL_ONFAULT	4

/* open(2) flags the simulated tasks may use (Linux's x86 values). */
#define TUXMM_O_RDONLY		00
#define TUXMM_O_WRONLY		01
#define TUXMM_O_RDWR		02
#define TUXMM_O_ACCMODE		03
#define TUXMM_O_CREAT		0100
#define TUXMM_O_EXCL		0200
#define TUXMM_O_TRUNC		01000
#define TUXMM_O_APPEND		02000

/* Resource limits with Linux's numbers; TUXMM_RLIM_INFINITY is RLIM_INFINITY. */
#define TUXMM_RLIMIT_DATA	2
#define TUXMM_RLIMIT_STACK	3
#define TUXMM_RLIMIT_NOFILE	7
#define TUXMM_RLIMIT_MEMLOCK	8
#define TUXMM_RLIMIT_AS		9
#define TUXMM_RLIM_NLIMITS	16
#define TUXMM_RLIM_INFINITY	(~0UL)

#define TUXMM_TASK_COMM_LEN	16	/* bytes in a task name with its NUL (TASK_COMM_LEN) */

/*
 * tuxmm_spawn - a new task named @name (truncated to 15 bytes; NULL: "task")
 * with pid 1, 2, ... and a fresh address space holding only its [stack], laid
 * out as Linux lays out a new process (ASLR off unless randomize_va_space is 2).
 * 0 or -ENOMEM (simulated memory exhausted), -EAGAIN (no free pid).
 */
TUXMM_API int tuxmm_spawn(struct machine *m, const char *name, struct task_struct **out);

/*
 * tuxmm_task_exit - unmap everything (clear the PTEs, flush the TLBs, free
 * the pages and tables), close every file, free the task. @t is gone after.
 * For a task the OOM killer killed and reaped, it releases the handle.
 */
TUXMM_API void tuxmm_task_exit(struct task_struct *t);

/*
 * tuxmm_fork - Linux's fork(): a child of @parent with the next pid, its
 * files, limits and a copy of its address space. Private memory is shared
 * copy-on-write (both sides see the parent's data as of the fork and nothing
 * the other writes after); shared mappings stay shared; VM_DONTCOPY
 * (MADV_DONTFORK) areas are left out, VM_WIPEONFORK ones read zero; mlock
 * is not inherited. 0 or -ENOMEM, -EAGAIN (no pid), -ESRCH when @parent was
 * killed by the OOM killer (before or during the fork: then there is no child),
 * -EINVAL for a NULL @child.
 */
TUXMM_API int tuxmm_fork(struct task_struct *parent, struct task_struct **child);

/*
 * tuxmm_exec - Linux's execve() of the host's ELF64 x86-64 file @path with
 * @argv and @envp (NULL-terminated; NULL: empty): @t gets a new address space
 * laid out as Linux 6.18 lays it out (docs/exec.md), its initial stack
 * written, its ip/sp and comm (the basename of @path) set; the old address
 * space is freed. 0 or Linux's errno (-ENOENT, -EACCES, -ENOEXEC, -E2BIG,
 * -ENOMEM, ...). On failure the old address space is intact and still the
 * task's, even where Linux would already have destroyed it and killed the task.
 */
TUXMM_API int tuxmm_exec(struct task_struct *t, const char *path, const char *const argv[],
			 const char *const envp[]);

/* ---- memory access by a task (docs/demand-paging.md) ---- */

#define TUXMM_SIGBUS		7
#define TUXMM_SIGKILL		9	/* the OOM killer's (docs/oom.md) */
#define TUXMM_SIGSEGV		11
#define TUXMM_SEGV_MAPERR	1	/* no mapping at the address */
#define TUXMM_SEGV_ACCERR	2	/* the mapping forbids the access */
#define TUXMM_BUS_ADRERR	2	/* beyond the end of a mapped file */
#define TUXMM_SI_KERNEL		0x80	/* a non-canonical address (#GP): si_addr is 0 */

/* The signal a real process would receive for a faulting access (siginfo_t's fields). */
struct tuxmm_siginfo {
	int signo;		/* TUXMM_SIGSEGV or TUXMM_SIGBUS; 0 when nothing faulted */
	int code;		/* si_code: TUXMM_SEGV_MAPERR, _ACCERR, TUXMM_BUS_ADRERR, TUXMM_SI_KERNEL */
	uint64_t addr;		/* si_addr: the faulting address (the first byte of the page refused) */
};

/*
 * Loads, stores and instruction fetches of @len bytes at @addr by task @t,
 * through its CPU's MMU in user mode: TLB, page walk, page faults, demand
 * paging and copy-on-write exactly as the process would cause them.
 * Returns 0, or the signal number (TUXMM_SIGSEGV, TUXMM_SIGBUS) with *@si
 * filled (@si may be NULL), TUXMM_SIGKILL (code TUXMM_SI_KERNEL) when the OOM
 * killer killed @t, before or during the access; -ENOMEM when simulated memory
 * ran out and no task could be killed (Linux would panic), -EINVAL for bad
 * arguments. A faulting access changes nothing at or after the refused page;
 * like a memcpy that faults midway, a multi-page store has written the bytes
 * of the pages before it.
 */
TUXMM_API int tuxmm_load(struct task_struct *t, unsigned long addr, void *buf, size_t len,
			 struct tuxmm_siginfo *si);
TUXMM_API int tuxmm_store(struct task_struct *t, unsigned long addr, const void *buf, size_t len,
			  struct tuxmm_siginfo *si);
TUXMM_API int tuxmm_fetch(struct task_struct *t, unsigned long addr, void *buf, size_t len,
			  struct tuxmm_siginfo *si);
/*
 * tuxmm_read / tuxmm_write - one access of @size (1, 2, 4 or 8) bytes,
 * little-endian, all or nothing even when it straddles two pages.
 */
TUXMM_API int tuxmm_read(struct task_struct *t, unsigned long addr, unsigned int size,
			 uint64_t *val, struct tuxmm_siginfo *si);
TUXMM_API int tuxmm_write(struct task_struct *t, unsigned long addr, unsigned int size,
			  uint64_t val, struct tuxmm_siginfo *si);
/* tuxmm_fill - store @byte into @len bytes (memset). */
TUXMM_API int tuxmm_fill(struct task_struct *t, unsigned long addr, int byte, size_t len,
			 struct tuxmm_siginfo *si);
/* tuxmm_touch - one read (or write, keeping the data) per page of [@addr, @addr + @len). */
TUXMM_API int tuxmm_touch(struct task_struct *t, unsigned long addr, size_t len, bool write,
			  struct tuxmm_siginfo *si);
/* tuxmm_task_faults - the task's minor and major page faults (/proc/PID/stat). */
TUXMM_API void tuxmm_task_faults(const struct task_struct *t, unsigned long *min_flt,
				 unsigned long *maj_flt);
/*
 * tuxmm_read_pagemap - /proc/PID/pagemap of @t: one 64-bit entry per page from
 * @start_addr (page-aligned) into @out, as Linux 6.18 gives them to a reader
 * without CAP_SYS_ADMIN: bit 63 present, 62 swapped, 61 file page or shared
 * anonymous, 56 exclusively mapped (mapcount 1), 55 soft-dirty (never: no
 * CONFIG_MEM_SOFT_DIRTY), 57 uffd-wp and 58 guard region (never); bits 0-54
 * (the PFN, or swap type in 0-4 and offset in 5-54) read as 0, as Linux zeroes
 * them for unprivileged readers. Stops at the top of user space. Returns the
 * entries written (at most @nr_pages), or -EINVAL if @start_addr is unaligned
 * or @out is NULL.
 * The file is binary and 8 bytes per page of the whole address space, so
 * tuxmm_proc_read("/proc/PID/pagemap") returns -EINVAL: read it with this or
 * with tuxmm_proc_pread() at offset (address / page size) * 8.
 */
TUXMM_API long tuxmm_read_pagemap(struct task_struct *t, unsigned long start_addr, uint64_t *out,
				  size_t nr_pages);

TUXMM_API int tuxmm_task_pid(const struct task_struct *t);
TUXMM_API const char *tuxmm_task_comm(const struct task_struct *t);
TUXMM_API struct machine *tuxmm_task_machine(const struct task_struct *t);
/* tuxmm_find_task - the live task with @pid, or NULL. */
TUXMM_API struct task_struct *tuxmm_find_task(struct machine *m, int pid);
/* tuxmm_next_task - iterate live tasks in pid order: NULL gives the first, NULL ends. */
TUXMM_API struct task_struct *tuxmm_next_task(struct machine *m, struct task_struct *prev);

/*
 * The OOM killer (docs/oom.md). When an allocation fails after reclaim, the
 * task with the highest badness is sent SIGKILL and its memory freed. A killed
 * task's accesses return TUXMM_SIGKILL and its system calls -ESRCH; it leaves
 * the task list (tuxmm_find_task, /proc/PID) once reaped, at once or when the
 * call in progress ends. Its handle stays valid until tuxmm_task_exit(t).
 */
/* tuxmm_task_killed - whether the OOM killer killed @t. */
TUXMM_API bool tuxmm_task_killed(const struct task_struct *t);
/* tuxmm_find_dead_task - a killed and reaped task whose handle is not released, or NULL. */
TUXMM_API struct task_struct *tuxmm_find_dead_task(struct machine *m, int pid);
/* tuxmm_oom_score_adj - /proc/PID/oom_score_adj of @t (inherited on fork, 0 at spawn). */
TUXMM_API int tuxmm_oom_score_adj(const struct task_struct *t);
/*
 * tuxmm_set_oom_score_adj - write /proc/PID/oom_score_adj as root would:
 * -1000 (never chosen) .. 1000 (chosen first). -EINVAL outside, -ESRCH if killed.
 */
TUXMM_API int tuxmm_set_oom_score_adj(struct task_struct *t, int adj);

/*
 * tuxmm_open - open host file @path for @t with TUXMM_O_* @flags (@mode for a
 * file O_CREAT makes). Returns the lowest free descriptor or -errno (the host's
 * errno for a path it refuses: -ENOENT, -EACCES, ...; -EMFILE past RLIMIT_NOFILE).
 */
TUXMM_API int tuxmm_open(struct task_struct *t, const char *path, int flags, unsigned int mode);
/* tuxmm_close - 0 or -EBADF. Mappings keep their own reference to the file. */
TUXMM_API int tuxmm_close(struct task_struct *t, int fd);

/*
 * The memory system calls, with Linux's arguments, semantics and errno
 * (Linux 6.18 x86-64, an unprivileged user). Addresses are the simulated
 * task's. Those returning long give an address or -errno.
 */
TUXMM_API long tuxmm_mmap(struct task_struct *t, unsigned long addr, unsigned long len, int prot,
			  int flags, int fd, unsigned long offset);
/*
 * tuxmm_mmap_path - mmap() of host file @path (NULL or MAP_ANONYMOUS: no file):
 * opens it read-write for a shared writable mapping, else read-only, maps it
 * and closes the descriptor, as a program would. Each call opens the file
 * anew, so (as in Linux) its mappings never merge with another call's.
 */
TUXMM_API long tuxmm_mmap_path(struct task_struct *t, unsigned long addr, unsigned long len,
			       int prot, int flags, const char *path, unsigned long offset);
TUXMM_API int tuxmm_munmap(struct task_struct *t, unsigned long addr, unsigned long len);
TUXMM_API int tuxmm_mprotect(struct task_struct *t, unsigned long addr, unsigned long len,
			     int prot);
TUXMM_API long tuxmm_mremap(struct task_struct *t, unsigned long old_addr, unsigned long old_len,
			    unsigned long new_len, int flags, unsigned long new_addr);
/* tuxmm_brk - Linux's brk(2): the new break, or the old one when the request fails. */
TUXMM_API unsigned long tuxmm_brk(struct task_struct *t, unsigned long brk);
TUXMM_API int tuxmm_madvise(struct task_struct *t, unsigned long addr, unsigned long len,
			    int advice);
TUXMM_API int tuxmm_mlock(struct task_struct *t, unsigned long addr, unsigned long len);
TUXMM_API int tuxmm_mlock2(struct task_struct *t, unsigned long addr, unsigned long len,
			   int flags);
TUXMM_API int tuxmm_munlock(struct task_struct *t, unsigned long addr, unsigned long len);
TUXMM_API int tuxmm_mlockall(struct task_struct *t, int flags);
TUXMM_API int tuxmm_munlockall(struct task_struct *t);
TUXMM_API int tuxmm_msync(struct task_struct *t, unsigned long addr, unsigned long len, int flags);
/*
 * tuxmm_sync - sync(2): write every dirty page-cache page of every file to its
 * host file. 0, or -EIO if a write failed (the pages stay dirty).
 */
TUXMM_API int tuxmm_sync(struct machine *m);
/*
 * tuxmm_mincore - one byte per page of [@addr, @addr + @len) into @vec
 * (DIV_ROUND_UP(len, page size) bytes): bit 0 set if the page is resident
 * (its PTE is present, the zero page included). 0 or -errno.
 */
TUXMM_API int tuxmm_mincore(struct task_struct *t, unsigned long addr, unsigned long len,
			    unsigned char *vec);

/* Resource limits (RLIMIT_STACK, _MEMLOCK, _DATA, _AS, _NOFILE): 0 or -EINVAL/-EPERM. */
TUXMM_API int tuxmm_getrlimit(struct task_struct *t, int resource, unsigned long *cur,
			      unsigned long *max);
TUXMM_API int tuxmm_setrlimit(struct task_struct *t, int resource, unsigned long cur,
			      unsigned long max);

/*
 * The address-space settings by their /proc/sys names: vm.max_map_count,
 * vm.mmap_min_addr, vm.overcommit_memory, vm.overcommit_ratio,
 * vm.admin_reserve_kbytes, vm.user_reserve_kbytes, vm.legacy_va_layout,
 * vm.stack_guard_gap (pages; a boot option in Linux), kernel.randomize_va_space,
 * vm.oom_kill_allocating_task, vm.oom_dump_tasks (docs/oom.md).
 * New values apply to later calls (layout settings: to tasks spawned later).
 * -ENOENT for an unknown name, -EINVAL outside Linux's range.
 */
TUXMM_API int tuxmm_sysctl_get(struct machine *m, const char *name, unsigned long *value);
TUXMM_API int tuxmm_sysctl_set(struct machine *m, const char *name, unsigned long value);
/* tuxmm_sysctl_name - the @i-th setting's name, or NULL past the last. */
TUXMM_API const char *tuxmm_sysctl_name(size_t i);

/* tuxmm_page_size - the machine's page size in bytes. */
TUXMM_API unsigned long tuxmm_page_size(const struct machine *m);

/*
 * Flag-string parsers for front ends: Linux's flag names in lower case
 * without their prefix, joined by commas ("private,anonymous,fixed"); an empty
 * string is 0. On a bad word they return -EINVAL with a message naming it in
 * @err (TUXMM_ERRMSG_MAX bytes, may be NULL).
 *   tuxmm_parse_prot("rw-")	"rwx"-style, '-' or the letter in each place; "---" is PROT_NONE
 *   tuxmm_parse_mmap_flags	shared, private, shared_validate, fixed, anonymous (or anon), ...
 *   tuxmm_parse_mremap_flags	maymove, fixed, dontunmap
 *   tuxmm_parse_madvise	one word: normal, random, sequential, willneed, dontneed, ...
 *   tuxmm_parse_msync_flags	async, invalidate, sync
 *   tuxmm_parse_mlock_flags	onfault
 *   tuxmm_parse_mlockall_flags	current, future, onfault
 *   tuxmm_parse_open_flags	rdonly, wronly, rdwr, creat, excl, trunc, append
 */
TUXMM_API int tuxmm_parse_prot(const char *s, int *prot, char *err);
TUXMM_API int tuxmm_parse_mmap_flags(const char *s, int *flags, char *err);
TUXMM_API int tuxmm_parse_mremap_flags(const char *s, int *flags, char *err);
TUXMM_API int tuxmm_parse_madvise(const char *s, int *advice, char *err);
TUXMM_API int tuxmm_parse_msync_flags(const char *s, int *flags, char *err);
TUXMM_API int tuxmm_parse_mlock_flags(const char *s, int *flags, char *err);
TUXMM_API int tuxmm_parse_mlockall_flags(const char *s, int *flags, char *err);
TUXMM_API int tuxmm_parse_open_flags(const char *s, int *flags, char *err);

/* ---- trace replay (docs/replay.md) ---- */

/* How to replay a trace. Zero fields take the defaults. */
struct tuxmm_replay_opts {
	const char *policy;		/* page-out policy under a frame cap; NULL: "linux" */
	uint64_t frames;		/* resident pages of the task at most; 0: no cap */
	uint64_t ram_bytes;		/* 0: sized for the trace; with frames 0: replay into
					   anonymous memory on a machine of this RAM */
	unsigned int page_shift;	/* 12 (4 KiB, default), 14 (16 KiB) or 16 (64 KiB) */
	uint64_t seed;			/* the machine's and the random policy's seed */
	/*
	 * progress - called about every million accesses with the accesses so far and the
	 * bytes of trace read (after decompression); may be NULL
	 */
	void (*progress)(void *ctx, uint64_t accesses, uint64_t bytes);
	void *progress_ctx;
	/*
	 * exec - the host's ELF executable the task execs before the replay (argv {exec},
	 * no environment; Linux's layout, ASLR off): accesses inside its areas use them as
	 * they are, the others get anonymous areas on first touch. NULL: none. Not with a
	 * frame cap.
	 */
	const char *exec;
};

/* What one replay counted (docs/replay.md defines each). */
struct tuxmm_replay_result {
	char policy[16];		/* the policy used ("none" without a cap) */
	uint64_t frames;		/* the cap, 0 for none */
	unsigned long page_size;	/* bytes */
	uint64_t accesses;		/* trace records replayed */
	uint64_t references;		/* page references: an access per page it touches */
	uint64_t faults;		/* references that found their page not resident */
	uint64_t minor_faults;		/* of them, first touches */
	uint64_t major_faults;		/* of them, pages read back after leaving memory */
	uint64_t page_ins;		/* pages read from the backing file */
	uint64_t page_outs;		/* pages that left memory */
	uint64_t writebacks;		/* of them, written while resident: written back */
	uint64_t distinct_pages;	/* different pages referenced */
	uint64_t tlb_lookups, tlb_hits;	/* translations, and those the TLB supplied */
	double tlb_hit_rate;		/* tlb_hits / tlb_lookups, 0 when no lookups */
	uint64_t frames_scanned;	/* frames the policy examined to choose victims */
	const char *format;		/* the trace's format: "lackey", "classic", ... */
	/* references an area's permissions forbade (SIGSEGV, SEGV_ACCERR): counted, skipped */
	uint64_t segv;
	uint64_t segv_line;		/* the first one's trace line (0: none) */
	uint64_t segv_addr;		/* its address */
	const char *segv_access;	/* its kind: "load", "store" or "fetch" */
	uint64_t file_pages, anon_pages; /* the task's resident pages at the end (RssFile, RssAnon) */
};

/*
 * tuxmm_replay - replay the memory trace at @path ("-": standard input, except with a
 * policy that needs two passes) by one task of a fresh machine, through its TLB, page
 * walks, faults and page cache, and count what happened into @res. With a frame cap,
 * the task's pages are a shared mapping of a sparse scratch file (readahead off) and
 * each fault that finds the cap reached evicts the page @opts->policy chooses, writing
 * it back if it was written. 0, or -errno with one line in @err: -EINVAL for a
 * malformed trace ("file:line: ...") or bad options, -ENOMEM when simulated memory ran
 * out, the host's errno for a file it refuses.
 */
TUXMM_API int tuxmm_replay(const char *path, const struct tuxmm_replay_opts *opts,
			   struct tuxmm_replay_result *res, char *err);
/* tuxmm_replay_mem - the same over @len bytes of trace at @data; @name appears in messages. */
TUXMM_API int tuxmm_replay_mem(const void *data, size_t len, const char *name,
			       const struct tuxmm_replay_opts *opts,
			       struct tuxmm_replay_result *res, char *err);
/* tuxmm_policy_name - the @i-th page-out policy ("linux" first, the default), NULL past the last. */
TUXMM_API const char *tuxmm_policy_name(size_t i);

#ifdef __cplusplus
}
#endif
#endif
