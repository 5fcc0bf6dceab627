/*
 * binfmt.h - the ELF64 x86-64 loader's first half: read an executable (and its
 * PT_INTERP interpreter) from the host and plan the address space exec builds.
 * Follows Linux fs/binfmt_elf.c (load_elf_binary, elf_load, create_elf_tables)
 * and fs/exec.c (copy_strings, setup_arg_pages); the plan is pure data.
 */
#ifndef TUXMM_BINFMT_H
#define TUXMM_BINFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the ELF format: Linux's include/uapi/linux/elf.h values ---- */

#define ELF_EHDR_SIZE	64	/* sizeof(struct elf64_hdr) in the file */
#define ELF_PHDR_SIZE	56	/* sizeof(struct elf64_phdr) in the file */
#define BINPRM_BUF_SIZE	256	/* bytes of the file exec reads first, zero-filled */

#ifndef ET_EXEC
#define ET_EXEC		2
#endif
#ifndef ET_DYN
#define ET_DYN		3
#endif
#ifndef EM_X86_64
#define EM_X86_64	62
#endif
#ifndef PT_LOAD
#define PT_LOAD		1
#endif
#ifndef PT_INTERP
#define PT_INTERP	3
#endif
#ifndef PT_GNU_STACK
#define PT_GNU_STACK	0x6474e551
#endif
#ifndef PF_X
#define PF_X		0x1
#endif
#ifndef PF_W
#define PF_W		0x2
#endif
#ifndef PF_R
#define PF_R		0x4
#endif

/* The auxiliary vector's keys (include/uapi/linux/auxvec.h, asm/auxvec.h). */
#ifndef AT_NULL
#define AT_NULL			0
#endif
#ifndef AT_PHDR
#define AT_PHDR			3
#endif
#ifndef AT_PHENT
#define AT_PHENT		4
#endif
#ifndef AT_PHNUM
#define AT_PHNUM		5
#endif
#ifndef AT_PAGESZ
#define AT_PAGESZ		6
#endif
#ifndef AT_BASE
#define AT_BASE			7
#endif
#ifndef AT_FLAGS
#define AT_FLAGS		8
#endif
#ifndef AT_ENTRY
#define AT_ENTRY		9
#endif
#ifndef AT_UID
#define AT_UID			11
#endif
#ifndef AT_EUID
#define AT_EUID			12
#endif
#ifndef AT_GID
#define AT_GID			13
#endif
#ifndef AT_EGID
#define AT_EGID			14
#endif
#ifndef AT_PLATFORM
#define AT_PLATFORM		15
#endif
#ifndef AT_HWCAP
#define AT_HWCAP		16
#endif
#ifndef AT_CLKTCK
#define AT_CLKTCK		17
#endif
#ifndef AT_SECURE
#define AT_SECURE		23
#endif
#ifndef AT_RANDOM
#define AT_RANDOM		25
#endif
#ifndef AT_HWCAP2
#define AT_HWCAP2		26
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE	27
#endif
#ifndef AT_RSEQ_ALIGN
#define AT_RSEQ_ALIGN		28
#endif
#ifndef AT_EXECFN
#define AT_EXECFN		31
#endif
#ifndef AT_SYSINFO_EHDR
#define AT_SYSINFO_EHDR		33
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ		51
#endif

/* The header fields the loader uses, decoded from the file's little-endian bytes. */
struct elf64_hdr {
	unsigned char e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;	/* virtual address */
	uint64_t e_phoff;	/* bytes into the file */
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;	/* bytes */
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;	/* PF_R | PF_W | PF_X */
	uint64_t p_offset;	/* bytes into the file */
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;	/* bytes */
	uint64_t p_memsz;	/* bytes */
	uint64_t p_align;	/* bytes */
};

/* ---- limits ---- */

#define ELF_MAX_PHDR_BYTES	65536	/* Linux's cap on a program header table */
#define ELF_MAX_PHNUM		(ELF_MAX_PHDR_BYTES / ELF_PHDR_SIZE)
#define ELF_PATH_MAX		4096	/* PATH_MAX: the longest PT_INTERP, with its NUL */
#define ELF_PLAN_MAX_MAPS	512	/* mappings in one plan; 4 KiB pages need at most 297 */
#define ELF_AUXV_MAX		64	/* words of saved_auxv (AT_VECTOR_SIZE: 52 on x86-64) */
#define ELF_ERRMSG_MAX		192	/* bytes of the failure message, with its NUL */
#define ELF_RANDOM_BYTES	16	/* AT_RANDOM */

/* ---- reading files ---- */

/*
 * How the planner reaches files: it opens the executable and the
 * interpreter by path and reads their headers with pread, nothing more.
 * Layer 2 passes ops over the machine's files; tests and the fuzzer use
 * files in memory (elf_mem_file_ops); elf_host_file_ops reads the host.
 */
struct elf_file_ops {
	/*
	 * open - open @path for execution as Linux's open_exec() does: a handle
	 * >= 0 with the size in *@size_bytes, or -ENOENT, -EACCES (a directory,
	 * not a regular file, no execute permission, a noexec mount), -errno.
	 */
	int (*open)(void *ctx, const char *path, uint64_t *size_bytes);
	/* pread - up to @len bytes at @off into @buf: the bytes read, or -errno. */
	long (*pread)(void *ctx, int handle, void *buf, size_t len, uint64_t off);
	void (*close)(void *ctx, int handle);
};

/* The host's files through open(2)/pread(2) (src/host/host_exec.c); ctx is unused. */
extern const struct elf_file_ops elf_host_file_ops;

/* Files in memory: ctx is a struct elf_mem_fs; an unknown path is -ENOENT. */
struct elf_mem_file {
	const char *path;
	const void *data;
	size_t size_bytes;
	int open_err;		/* 0, or the -errno open returns (-EACCES for a directory) */
};

struct elf_mem_fs {
	const struct elf_mem_file *files;
	unsigned int nr_files;
	const struct elf_mem_file *fallback;	/* what any other path opens; NULL: -ENOENT */
};

extern const struct elf_file_ops elf_mem_file_ops;

/* ---- the plan's inputs ---- */

/*
 * What exec takes from the machine, the task and the CPU. elf_params_init()
 * gives Linux 6.18's x86-64 values with 4-level paging, 4 KiB pages and ASLR
 * off, for root; layer 2 overrides them from the machine and the new mm.
 */
struct elf_params {
	unsigned long page_size;	/* bytes: ELF_MIN_ALIGN and AT_PAGESZ */
	unsigned long task_size;	/* bytes: TASK_SIZE; BAD_ADDR(x) is x >= task_size */
	unsigned long map_window;	/* bytes: DEFAULT_MAP_WINDOW (ELF_ET_DYN_BASE: 2/3 of it) */
	unsigned long stack_top;	/* bytes: STACK_TOP after randomize_stack_top() */
	unsigned long mmap_base;	/* bytes: mm->mmap_base, where top-down placement starts */
	unsigned long mmap_legacy_base;	/* bytes: where bottom-up placement starts */
	bool mmap_topdown;		/* MMF_TOPDOWN: mappings go below mmap_base */
	unsigned long mmap_min_addr;	/* bytes: vm.mmap_min_addr */
	unsigned long stack_guard_gap;	/* bytes kept free below the stack (256 pages) */
	unsigned long rlim_stack;	/* bytes: RLIMIT_STACK's soft limit */
	bool thp_file_align;		/* thp_get_unmapped_area(): big file mappings PMD-aligned */
	unsigned long pmd_size;		/* bytes, for thp_file_align */

	bool randomize;			/* PF_RANDOMIZE: the random values below apply */
	int randomize_va_space;		/* kernel.randomize_va_space: brk moves only at 2 */
	unsigned long mmap_rnd;		/* bytes arch_mmap_rnd() adds to a PIE's ELF_ET_DYN_BASE */
	unsigned long align_rnd[2];	/* bytes < 8192 arch_align_stack() takes off, twice */
	unsigned long brk_rnd;		/* bytes (page multiple) arch_randomize_brk() adds */

	unsigned long hwcap, hwcap2;	/* AT_HWCAP, AT_HWCAP2: the CPU's */
	unsigned long minsigstksz;	/* bytes: AT_MINSIGSTKSZ (the signal frame with xsave) */
	unsigned long clktck;		/* AT_CLKTCK: USER_HZ */
	unsigned int uid, euid, gid, egid;
	bool secure;			/* AT_SECURE */
	unsigned long rseq_feature_size, rseq_align;	/* bytes: AT_RSEQ_*; 0, 0 omits them */
	const char *platform;		/* AT_PLATFORM's string ("x86_64"); NULL omits it */
	bool vdso;			/* vdso64_enabled: map [vvar]/[vvar_vclock]/[vdso] */
	unsigned int vvar_pages;	/* [vvar] */
	unsigned int vvar_vclock_pages;	/* [vvar_vclock] */
	unsigned int vdso_pages;	/* [vdso] text */
	unsigned char random[ELF_RANDOM_BYTES];	/* AT_RANDOM's bytes, from the machine's seed */
};

/* elf_params_init - Linux 6.18 x86-64 defaults (see above), random bytes all zero. */
void elf_params_init(struct elf_params *p);

/* elf_random_from_seed - AT_RANDOM's 16 bytes derived from @seed (splitmix64). */
void elf_random_from_seed(uint64_t seed, unsigned char out[ELF_RANDOM_BYTES]);

/* ELF_ET_DYN_BASE for a 64-bit task: 2/3 of the map window (0x555555554aaa with 47 bits). */
static inline unsigned long binfmt_et_dyn_base(unsigned long map_window)
{
	return map_window / 3 * 2;
}

/* ---- the plan ---- */

enum elf_image_id {
	ELF_IMAGE_NONE,
	ELF_IMAGE_EXEC,		/* the executable */
	ELF_IMAGE_INTERP,	/* its PT_INTERP interpreter */
};

enum elf_map_kind {
	ELF_MAP_STACK,		/* setup_arg_pages(): the [stack] area, VM_GROWSDOWN */
	ELF_MAP_FILE,		/* vm_mmap() of a PT_LOAD's file pages, MAP_PRIVATE */
	ELF_MAP_ANON,		/* vm_brk_flags(): the zero pages past p_filesz (bss) */
	ELF_MAP_SPECIAL,	/* _install_special_mapping(): [vvar], [vvar_vclock], [vdso] */
};

/*
 * One area exec creates. Areas in a plan never overlap: where Linux maps a
 * later PT_LOAD over an earlier one with MAP_FIXED, the plan has already
 * cut the earlier one, so creating them in order with MAP_FIXED gives
 * exactly Linux's result.
 */
struct elf_map {
	enum elf_map_kind kind;
	enum elf_image_id image;	/* the file of ELF_MAP_FILE, the owner of ELF_MAP_ANON */
	unsigned long start, end;	/* bytes, page-aligned: [start, end) */
	unsigned long offset;		/* bytes: the file offset of start (ELF_MAP_FILE) */
	unsigned long prot;		/* PROT_* */
	unsigned long flags;		/* MAP_* as Linux passes them (MAP_FIXED_NOREPLACE...) */
	const char *name;		/* ELF_MAP_SPECIAL and ELF_MAP_STACK: as maps prints it */
	unsigned long zero_start;	/* bytes: padzero() clears [zero_start, zero_end) once */
	unsigned long zero_end;		/*   mapped; equal when there is nothing to clear */
	int phdr;			/* index of its PT_LOAD in the image, -1 for none */
};

/* What the planner read of one file. */
struct elf_image {
	char path[ELF_PATH_MAX];	/* as opened */
	uint64_t size_bytes;
	struct elf64_hdr ehdr;
	unsigned int nr_phdr;
	struct elf64_phdr phdr[ELF_MAX_PHNUM];
	unsigned long total_size;	/* bytes: total_mapping_size() of its PT_LOADs */
	unsigned long load_bias;	/* bytes added to every p_vaddr */
};

/*
 * The whole of one exec: every area to create, the mm fields to set, the
 * registers and the initial stack's layout. ~180 KiB: the caller provides
 * it (layer 2 allocates it with kvmalloc, tests with calloc).
 */
struct elf_plan {
	struct elf_params params;	/* a copy of the inputs */
	const char *const *argv;	/* borrowed until elf_build_stack() */
	const char *const *envp;
	const char *filename;		/* bprm->filename: AT_EXECFN's string */
	unsigned long argc, envc;	/* argc is at least 1: Linux adds "" for an empty argv */
	bool argv_empty;		/* argv had no strings: argv[0] is that "" */

	struct elf_image exec;
	struct elf_image interp;
	bool has_interp;
	bool exec_stack;		/* PT_GNU_STACK asked for PF_X */

	unsigned int nr_maps;
	struct elf_map maps[ELF_PLAN_MAX_MAPS];	/* in the order Linux creates them */

	unsigned long load_bias;	/* bytes: the executable's */
	unsigned long interp_base;	/* AT_BASE: the interpreter's load address, 0 if none */
	unsigned long e_entry;		/* AT_ENTRY: the executable's entry point */
	unsigned long entry;		/* the first instruction: the interpreter's entry if any */
	unsigned long phdr_addr;	/* AT_PHDR */
	unsigned long vdso_base;	/* AT_SYSINFO_EHDR: the [vdso] text, 0 if none */
	unsigned long start_code, end_code, start_data, end_data;	/* mm fields */
	unsigned long start_brk, brk;
	bool brk_moved;			/* brk is not right after the bss (static PIE, ASLR) */

	unsigned long stack_top;	/* bytes: the end of [stack] and of the stack image */
	unsigned long sp;		/* the initial stack pointer: argc's address */
	unsigned long arg_start, arg_end, env_start, env_end;	/* mm fields */
	unsigned long execfn_addr, platform_addr, random_addr;	/* strings on the stack */
	unsigned int nr_auxv;		/* words in auxv, AT_NULL's pair included */
	unsigned long auxv[ELF_AUXV_MAX];	/* mm->saved_auxv */

	int err;			/* the -errno of a failed plan */
	bool err_fatal;			/* Linux fails here after the point of no return: SIGSEGV */
	char errmsg[ELF_ERRMSG_MAX];	/* one line naming the problem */
};

/*
 * elf_plan_exec - plan exec(@path, @argv, @envp) with @params: read and check
 * the executable and its interpreter through @ops, lay out the strings, the
 * PT_LOAD areas, the interpreter, the vDSO and the auxiliary vector as Linux
 * 6.18 does. Nothing is mapped. The address space is the new, empty one, so
 * the planner places non-fixed areas itself as get_unmapped_area() would
 * (below params->mmap_base, top-down). @argv and @envp are NULL-terminated
 * (NULL: empty); they must outlive the plan. 0, or -errno with plan->errmsg
 * naming the problem; plan->err_fatal tells whether Linux would already have
 * destroyed the old address space (the task then dies of SIGSEGV).
 */
int elf_plan_exec(struct elf_plan *plan, const struct elf_file_ops *ops, void *ctx,
		  const char *path, const char *const *argv, const char *const *envp,
		  const struct elf_params *params);

/* elf_stack_size - bytes of the initial stack image: [plan->sp, plan->stack_top). */
static inline size_t elf_stack_size(const struct elf_plan *plan)
{
	return plan->stack_top - plan->sp;
}

/*
 * elf_build_stack - write the initial stack's bytes, [plan->sp, plan->stack_top),
 * into @buf (@len bytes): argc, argv[], envp[], auxv, AT_RANDOM's bytes, the
 * platform string, the argument and environment strings and the file name,
 * with Linux's padding. 0 or -ENOSPC if @len < elf_stack_size().
 */
int elf_build_stack(const struct elf_plan *plan, void *buf, size_t len);

/* elf_auxv_get - the value of auxv key @type in @plan, or @dflt if absent. */
unsigned long elf_auxv_get(const struct elf_plan *plan, unsigned long type, unsigned long dflt);

const char *elf_map_kind_name(enum elf_map_kind kind);

#endif
