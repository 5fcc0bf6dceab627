/*
 * vma.h - address spaces: struct mm_struct, its areas (struct vm_area_struct)
 * with Linux's vm_flags bits, and the operations on them.
 * Follows Linux include/linux/mm_types.h, mm.h and mm/vma.h. Areas are kept in
 * an rbtree augmented with the largest free gap below each node (the layout
 * Linux used before the maple tree) and in the address-ordered list the
 * slides draw (vm_next / vm_prev).
 */
#ifndef TUXMM_VMA_H
#define TUXMM_VMA_H

#include "err.h"
#include "list.h"
#include "pgtable_types.h"
#include "rbtree.h"
#include "types.h"

struct file;
struct machine;
struct mm_struct;
struct report;
struct task_struct;
struct anon_vma;

/* ---- vm_flags: Linux's bit values (include/linux/mm.h, x86-64) ---- */

#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL	/* currently active flags */
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* limits for mprotect(): VM_MAYx >> 4 == VM_x */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* a stack: grows down on faults below it */
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL	/* raw frames, no struct page */
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL	/* mlock()ed */
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL	/* MADV_SEQUENTIAL: read ahead aggressively */
#define VM_RAND_READ	0x00010000UL	/* MADV_RANDOM: no read-ahead */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK: not inherited by fork */
#define VM_DONTEXPAND	0x00040000UL	/* mremap() cannot grow it */
#define VM_LOCKONFAULT	0x00080000UL	/* mlock2(MLOCK_ONFAULT): lock pages as they fault */
#define VM_ACCOUNT	0x00100000UL	/* charged to the overcommit total */
#define VM_NORESERVE	0x00200000UL	/* MAP_NORESERVE: not charged */
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_PAT		0x01000000UL	/* VM_ARCH_1 on x86 */
#define VM_WIPEONFORK	0x02000000UL	/* MADV_WIPEONFORK: the child sees zeroes */
#define VM_DONTDUMP	0x04000000UL	/* MADV_DONTDUMP */
#define VM_SOFTDIRTY	0x08000000UL	/* only with CONFIG_MEM_SOFT_DIRTY */
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL
#define VM_SHADOW_STACK	(1UL << 37)	/* VM_HIGH_ARCH_5 */
#define VM_DROPPABLE	(1UL << 40)	/* MAP_DROPPABLE */

/*
 * The build machine's kernel (Linux 6.18, like x86-64 defconfig) has
 * CONFIG_MEM_SOFT_DIRTY off: new areas do not get VM_SOFTDIRTY.
 */
#define CONFIG_MEM_SOFT_DIRTY 0

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
/* Special areas: never merged, never mlocked. */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_STACK	VM_GROWSDOWN
#define VM_STARTGAP_FLAGS (VM_GROWSDOWN | VM_SHADOW_STACK)
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS	(VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)
#define VM_STACK_INCOMPLETE_SETUP (VM_RAND_READ | VM_SEQ_READ)

/* ---- areas ---- */

struct vm_area_struct;

/* What an area's backing may hook (Linux's vm_operations_struct, the parts used so far). */
struct vm_fault;

struct vm_operations_struct {
	/*
	 * fault - find or read the page at vmf->pgoff for a fault in this area
	 * (the page cache for files, shmem for shared anonymous memory); set
	 * vmf->page (with a reference) and return 0, or a VM_FAULT_* outcome.
	 * memory.c then maps it (finish_fault). See docs/demand-paging.md.
	 */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/* map_pages - fault-around: map the cached pages in [start, end] (pgoffs) with do_set_pte. */
	vm_fault_t (*map_pages)(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
	/* page_mkwrite - a shared writable mapping is about to dirty vmf->page. */
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
	void (*open)(struct vm_area_struct *vma);	/* a copy was made (split, mremap) */
	void (*close)(struct vm_area_struct *vma);	/* the area goes; prevents merges */
	int (*may_split)(struct vm_area_struct *vma, unsigned long addr);
	int (*mremap)(struct vm_area_struct *new_vma);
	const char *(*name)(struct vm_area_struct *vma);	/* "[vdso]" in /proc/PID/maps */
};

/*
 * One region of an address space: [vm_start, vm_end), page-aligned, with one
 * set of flags and one backing. The slides' vm_area_struct, plus what Linux
 * keeps to find, merge and back it.
 */
struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	struct vm_area_struct *vm_next, *vm_prev;	/* address order, NULL-terminated */
	struct rb_node vm_rb;		/* in mm->mm_rb, keyed by address */
	unsigned long rb_subtree_gap;	/* bytes: the largest gap below any area of this subtree */
	struct mm_struct *vm_mm;
	unsigned long vm_flags;		/* VM_* */
	unsigned long vm_pgoff;		/* pages: file offset; anonymous: vm_start >> PAGE_SHIFT */
	struct file *vm_file;		/* backing file, or NULL */
	const struct vm_operations_struct *vm_ops;	/* NULL for anonymous memory */
	void *vm_private_data;
	struct anon_vma *anon_vma;	/* anonymous pages' reverse map (demand paging) */
	struct list_head anon_vma_chain;	/* its anon_vma_chain links (demand paging) */
	struct list_head shared;	/* on vm_file->f_mapping->i_mmap while linked (rmap.c) */
};

/* ---- address spaces ---- */

enum {
	MM_FILEPAGES,	/* resident file-backed pages */
	MM_ANONPAGES,	/* resident anonymous pages */
	MM_SWAPENTS,	/* anonymous pages out on swap */
	MM_SHMEMPAGES,	/* resident shared-memory pages */
	NR_MM_COUNTERS
};

/* mm->flags bits */
#define MMF_TOPDOWN		0	/* mmap places areas top-down below mmap_base */
#define MMF_VMA_UNMERGED	1	/* Linux left a state validate_mm's strict checks reject */

struct mm_struct {
	struct machine *machine;
	struct vm_area_struct *mmap;	/* the lowest area: head of the vm_next list */
	struct rb_root mm_rb;
	struct vm_area_struct *vmacache;	/* the last area find_vma() returned */
	unsigned long highest_vm_end;	/* vm_end of the highest area, 0 if none */
	struct pgd_root pgd;		/* page tables: the PGD and their cost */
	int map_count;			/* areas */
	int mm_users;			/* tasks using it */
	int mm_count;			/* references to the struct itself */
	unsigned long flags;		/* MMF_* bits */
	unsigned int page_shift;	/* the machine's, for speed */
	unsigned long task_size;	/* bytes: user addresses lie below */
	unsigned long mmap_base;	/* bytes: top-down placement starts below it */
	unsigned long mmap_legacy_base;	/* bytes: bottom-up placement starts here */
	unsigned long total_vm;		/* pages mapped */
	unsigned long locked_vm;	/* pages with VM_LOCKED */
	unsigned long pinned_vm;	/* pages pinned (always 0 here) */
	unsigned long data_vm;		/* pages: private writable, not stack */
	unsigned long exec_vm;		/* pages: executable, not writable */
	unsigned long stack_vm;		/* pages: VM_GROWSDOWN */
	unsigned long hiwater_vm;	/* pages: total_vm's peak */
	unsigned long hiwater_rss;	/* pages: RSS's peak */
	unsigned long def_flags;	/* VM_* added to every new area (mlockall) */
	unsigned long start_code, end_code, start_data, end_data;	/* bytes */
	unsigned long start_brk, brk, start_stack;	/* bytes */
	unsigned long arg_start, arg_end, env_start, env_end;	/* bytes */
	bool brk_randomized;
	long rss_stat[NR_MM_COUNTERS];	/* pages */
	struct task_struct *owner;	/* for resource limits */
};

static inline unsigned long mm_page_size(const struct mm_struct *mm)
{
	return 1UL << mm->page_shift;
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> vma->vm_mm->page_shift;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

static inline bool mm_flag(const struct mm_struct *mm, unsigned int bit)
{
	return mm->flags & BIT(bit);
}

static inline long get_mm_counter(const struct mm_struct *mm, int member)
{
	return mm->rss_stat[member];
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return (unsigned long)(get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
			       get_mm_counter(mm, MM_SHMEMPAGES));
}

/* Linux's is_exec_mapping(), is_stack_mapping(), is_data_mapping(): VmExe, VmStk, VmData. */
static inline bool is_exec_mapping(unsigned long flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}
static inline bool is_stack_mapping(unsigned long flags)
{
	return (flags & VM_STACK) == VM_STACK || (flags & VM_SHADOW_STACK);
}
static inline bool is_data_mapping(unsigned long flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

/* vm_start_gap - where the area's claim starts: a stack keeps stack_guard_gap free below. */
unsigned long vm_start_gap(const struct vm_area_struct *vma);
static inline unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

/* The [heap] and [stack] /proc/PID/maps names (Linux's vma_is_initial_heap/stack). */
static inline bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk && vma->vm_end > vma->vm_mm->start_brk;
}
static inline bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack && vma->vm_end >= vma->vm_mm->start_stack;
}

#define for_each_vma(mm, vma) for (vma = (mm)->mmap; vma; vma = vma->vm_next)

/* ---- vma.c: the tree, the list, split and merge ---- */

/* find_vma - the first area ending above @addr (it may start above @addr too), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma_prev - find_vma(), and in *@pprev the area before it (the highest one if NULL). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* find_vma_intersection - the first area overlapping [@start, @end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* vma_lookup - the area containing @addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

/* vma_link - insert @vma (in no tree, overlapping nothing) into its mm; map_count++. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_unlink - take @vma out of its mm's tree and list; map_count--. Frees nothing. */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/*
 * vma_set_range - move @vma's boundaries to [@start, @end) with file offset
 * @pgoff. The new range must overlap no other area.
 */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   pgoff_t pgoff);
/* vma_set_flags - replace vm_flags (the gap below a stack depends on them). */
void vma_set_flags(struct vm_area_struct *vma, unsigned long flags);

/*
 * __split_vma - split @vma at @addr (strictly inside it) into two areas; the
 * new one is the part below @addr if @new_below, else the part above.
 * split_vma() first checks max_map_count. 0, -ENOMEM or the area's refusal.
 */
int __split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
		int new_below);
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below);

/* What a merge compares: the proposed range and its attributes (Linux's vma_merge_struct). */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vm_area_struct *prev;	/* the area before the range, or NULL */
	struct vm_area_struct *next;	/* the area after the range, or NULL */
	struct vm_area_struct *vma;	/* the area being modified (existing range), or NULL */
	unsigned long start, end;	/* bytes */
	pgoff_t pgoff;
	unsigned long flags;
	struct file *file;
	struct anon_vma *anon_vma;
	struct vm_area_struct *src;	/* whose pages the range holds: vma, or copy_vma's source */
	bool just_expand;		/* only expand prev (brk) */
};

/*
 * is_mergeable_anon_vma - may @tgt take over the pages of anon_vma @src_anon
 * (those of area @src, NULL for a new range)? The one place anon_vma
 * compatibility is decided (Linux 6.16+'s rule).
 */
bool is_mergeable_anon_vma(const struct anon_vma *src_anon, const struct vm_area_struct *src,
			   const struct vm_area_struct *tgt);
/* vma_can_merge_pair - would Linux merge adjacent @prev and @next (were @next new)? */
bool vma_can_merge_pair(struct vm_area_struct *prev, struct vm_area_struct *next);

/*
 * vma_merge_new_range - a new range [vmg->start, vmg->end), free of areas,
 * is about to be mapped between vmg->prev and vmg->next: expand a compatible
 * neighbour (or both into one) instead of adding an area. Returns the area
 * that now covers the range, or NULL if nothing could merge.
 */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);

/*
 * vma_modify_flags - give [@start, @end) of @vma (whose predecessor is
 * @prev) the flags @new_flags: merge with a compatible neighbour, else split
 * off the part that changes. Returns the area now covering the range (flags
 * not yet set) or ERR_PTR(-ENOMEM).
 */
struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, unsigned long new_flags);

/* vma_merge_extend - grow @vma by @delta bytes at its end, merging with next if it can. */
struct vm_area_struct *vma_merge_extend(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long delta);

/*
 * copy_vma - an area for [@addr, @addr + @len) with *@vmap's attributes and
 * file offset @pgoff (for mremap): merged into a neighbour when possible.
 * *@vmap is updated if the source itself was merged. NULL on -ENOMEM.
 */
struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				unsigned long len, pgoff_t pgoff);

/*
 * validate_mm - check every invariant of @mm: tree and list agree and are
 * ordered, areas page-aligned and disjoint, gaps and counts (map_count,
 * total_vm, data/exec/stack/locked_vm) right, and no two adjacent areas that
 * Linux would have merged. False with a message on the machine's log.
 */
bool validate_mm(struct mm_struct *mm);

/* ---- fork.c: allocation from the slab caches ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
/* remove_vma - drop the area's file reference and free it (it is in no tree). */
void remove_vma(struct vm_area_struct *vma);
struct mm_struct *mm_alloc(struct machine *m);
/* mmput - drop a user; the last one tears the address space down and frees it. */
void mmput(struct mm_struct *mm);
/*
 * mmget - one more user: code walking another task's mm while it may allocate
 * (swapoff, ...) pins it so the OOM killer defers tearing it down (docs/oom.md).
 */
static inline void mmget(struct mm_struct *mm)
{
	mm->mm_users++;
}

/* ---- mmap.c ---- */

unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff, unsigned long *populate);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/* do_unmap_range - unmap the page-aligned [@start, @end), splitting the areas at its ends. */
int do_unmap_range(struct mm_struct *mm, unsigned long start, unsigned long end);
unsigned long do_brk(struct mm_struct *mm, unsigned long brk);
/*
 * get_unmapped_area - where a mapping of @len bytes goes: @addr itself for
 * MAP_FIXED, else the hint if it is free, else the highest free gap below
 * mmap_base (Linux's x86-64 arch_get_unmapped_area_topdown). Address or -errno.
 */
unsigned long get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr,
				unsigned long len, unsigned long pgoff, unsigned long flags);
void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages);
bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages);
bool mlock_future_ok(struct mm_struct *mm, unsigned long flags, unsigned long bytes);
bool can_do_mlock(struct mm_struct *mm);
void update_hiwater_vm(struct mm_struct *mm);
/* mm_populate - fault in [start, start + len) (demand paging: a no-op until it exists). */
int mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len);
/* exit_mmap - unmap and free every area of @mm. */
void exit_mmap(struct mm_struct *mm);
/*
 * expand_downwards - grow the VM_GROWSDOWN area @vma down to @address (a fault
 * below a stack), within RLIMIT_STACK and clear of the area below by
 * stack_guard_gap. 0, -ENOMEM, -EPERM (below mmap_min_addr) or -EFAULT.
 */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
/* expand_stack - the area for a fault at @addr: the one containing it, or a stack grown to it. */
struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr);
/* setup_new_stack - the [stack] area of a new process, Linux's setup_arg_pages() result. */
int setup_new_stack(struct mm_struct *mm);
/*
 * setup_stack_area - a VM_GROWSDOWN area of exactly [@start, @end) with
 * @vm_flags (VM_STACK_FLAGS, plus VM_EXEC for an executable stack): exec's
 * [stack]. 0, -EEXIST (something is there) or -ENOMEM.
 */
int setup_stack_area(struct mm_struct *mm, unsigned long start, unsigned long end,
		     unsigned long vm_flags);
/*
 * install_special_mapping - a named area ([vdso], [vvar]) with @vm_flags |
 * VM_DONTEXPAND, never merged. 0 or -errno.
 */
int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, const struct vm_operations_struct *ops);
unsigned long rlimit(const struct mm_struct *mm, int resource);

/* ---- util.c: layout and accounting ---- */

/* arch_pick_mmap_layout - mmap_base and the top-down choice, as x86-64 Linux picks them. */
void arch_pick_mmap_layout(struct mm_struct *mm);
unsigned long mm_task_size(const struct machine *m);
unsigned long stack_top(const struct machine *m);
unsigned long randomize_stack_top(struct machine *m, unsigned long top);
unsigned long randomize_page(struct machine *m, unsigned long start, unsigned long range);
unsigned long arch_randomize_brk(struct mm_struct *mm);
/* arch_mmap_rnd - bytes of mmap_base randomization (0 without ASLR), one draw. */
unsigned long arch_mmap_rnd(struct machine *m);
unsigned long get_random_long(struct machine *m);
bool mmap_is_ia32(const struct machine *m);
/* __vm_enough_memory - charge @pages to the commit total, or -ENOMEM per overcommit policy. */
int __vm_enough_memory(struct mm_struct *mm, long pages);
void vm_unacct_memory(struct machine *m, long pages);
void vm_acct_memory(struct machine *m, long pages);

/* ---- the other system calls, one file each ---- */

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot);
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr);
int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len, int behavior);
int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags);
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_mlockall(struct mm_struct *mm, int flags);
int do_munlockall(struct mm_struct *mm);
int do_msync(struct mm_struct *mm, unsigned long start, unsigned long len, int flags);
long do_mincore(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned char *vec);

#endif
