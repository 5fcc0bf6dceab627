/*
 * task_mmu.c - the address-space files of a task: /proc/PID/maps, smaps,
 * smaps_rollup, the Vm* lines of /proc/PID/status, and /proc/PID/statm.
 * Follows Linux 6.18 fs/proc/task_mmu.c (show_map_vma, show_smap,
 * show_smaps_rollup, task_mem, task_statm, pagemap_read) byte for byte:
 * "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", the name padded to seq_pad()'s column.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "pagemap.h"
#include "pgtable.h"
#include "proc.h"
#include "report.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"

/* seq_setwidth(m, 25 + sizeof(void *) * 6 - 1): where names start, less one. */
static size_t maps_name_column(const struct machine *m)
{
	return m->arch.geo.va_bits == 32 ? 25 + 4 * 6 - 1 : 25 + 8 * 6 - 1;
}

/* seq_pad(m, ' '): spaces up to the name column, then one more. */
static void maps_pad(struct report *r, const struct machine *m, size_t line_start)
{
	size_t width = maps_name_column(m), used = r->len - line_start;

	for (; used < width; used++)
		report_putc(r, ' ');
	report_putc(r, ' ');
}

static void show_vma_header(struct report *r, unsigned long start, unsigned long end,
			    unsigned long flags, unsigned long long pgoff, dev_t32 dev,
			    unsigned long ino)
{
	report_printf(r, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", start, end,
		      flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		      flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff,
		      MAJOR(dev), MINOR(dev), ino);
}

static void show_map_vma(struct report *r, struct vm_area_struct *vma)
{
	struct machine *m = vma->vm_mm->machine;
	struct file *file = vma->vm_file;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	size_t line_start = r->len;
	const char *name = NULL;
	dev_t32 dev = 0;

	if (file) {
		dev = file_inode(file)->i_dev;
		ino = file_inode(file)->i_ino;
		pgoff = (unsigned long long)vma->vm_pgoff << m->page_shift;
	}
	show_vma_header(r, vma->vm_start, vma->vm_end, vma->vm_flags, pgoff, dev, ino);
	if (file) {
		maps_pad(r, m, line_start);
		file_path_show(r, file);
	} else {
		if (vma->vm_ops && vma->vm_ops->name)
			name = vma->vm_ops->name(vma);
		if (!name && vma_is_initial_heap(vma))
			name = "[heap]";
		else if (!name && vma_is_initial_stack(vma))
			name = "[stack]";
		if (name) {
			maps_pad(r, m, line_start);
			report_printf(r, "%s", name);
		}
	}
	report_putc(r, '\n');
}

/* The x86-64 vsyscall page (vsyscall=xonly): in every 64-bit process, in no mm. */
static bool has_gate_vma(const struct machine *m)
{
	return (m->arch.geo.va_bits == 48 || m->arch.geo.va_bits == 57) && m->page_shift == 12;
}

#define GATE_VMA_START 0xffffffffff600000UL
#define GATE_VMA_END   0xffffffffff601000UL

static void show_gate_vma(struct report *r, const struct machine *m)
{
	size_t line_start = r->len;

	show_vma_header(r, GATE_VMA_START, GATE_VMA_END, VM_EXEC, 0, 0, 0);
	maps_pad(r, m, line_start);
	report_printf(r, "[vsyscall]\n");
}

void proc_pid_maps_show(struct task_struct *t, struct report *r)
{
	struct vm_area_struct *vma;

	if (!t->mm)
		return;
	for_each_vma(t->mm, vma)
		show_map_vma(r, vma);
	if (has_gate_vma(t->machine))
		show_gate_vma(r, t->machine);
}

/* ---- smaps ---- */

/* Fixed-point fraction bits of the proportional sizes (Linux's PSS_SHIFT). */
#define PSS_SHIFT 12

/* Linux's struct mem_size_stats: bytes, the pss_* ones scaled by 1 << PSS_SHIFT. */
struct mem_size_stats {
	unsigned long resident;
	unsigned long shared_clean;
	unsigned long shared_dirty;
	unsigned long private_clean;
	unsigned long private_dirty;
	unsigned long referenced;
	unsigned long anonymous;
	unsigned long lazyfree;
	unsigned long swap;
	uint64_t pss;
	uint64_t pss_anon;
	uint64_t pss_file;
	uint64_t pss_shmem;
	uint64_t pss_dirty;
	uint64_t pss_locked;
	uint64_t swap_pss;
};

static void smaps_page_accumulate(struct mem_size_stats *mss, struct page *page,
				  unsigned long size, uint64_t pss, bool dirty, bool locked,
				  bool private)
{
	mss->pss += pss;
	if (PageAnon(page))
		mss->pss_anon += pss;
	else if (PageFlag(page, PG_swapbacked))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageFlag(page, PG_dirty)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/*
 * smaps_account - one present page (order 0: tuxmm maps no large folios). A
 * page mapped by one PTE (refcount 1, or mapcount below 2) is private and
 * counts whole; else it is shared and each mapper's PSS is its 1/mapcount.
 */
static void smaps_account(struct mem_size_stats *mss, struct page *page, unsigned long size,
			  bool young, bool dirty, bool locked)
{
	int mapcount = page_mapcount(page);
	uint64_t pss = (uint64_t)size << PSS_SHIFT;

	if (PageAnon(page)) {
		mss->anonymous += size;
		if (!PageFlag(page, PG_swapbacked) && !dirty && !PageFlag(page, PG_dirty))
			mss->lazyfree += size;
	}
	mss->resident += size;
	if (young || PageFlag(page, PG_referenced))
		mss->referenced += size;
	if (page_ref_count(page) == 1 || mapcount < 2) {
		smaps_page_accumulate(mss, page, size, pss, dirty, locked, true);
		return;
	}
	smaps_page_accumulate(mss, page, size, pss / (uint64_t)mapcount, dirty, locked, false);
}

/* smaps_swap - a swap PTE: Swap whole, SwapPss shared among the slot's users. */
static void smaps_swap(struct mem_size_stats *mss, struct machine *m, pte_t pte,
		       unsigned long size)
{
	unsigned int count = swap_count(m, pte_to_swp_entry(pte));
	uint64_t pss = (uint64_t)size << PSS_SHIFT;

	mss->swap += size;
	mss->swap_pss += count >= 2 ? pss / count : pss;
}

/*
 * smap_gather_stats - walk @vma's PTEs (Linux's smaps_pte_range): present
 * pages through vm_normal_page() (the zero page is special: it counts
 * nothing), swap entries as Swap. Missing tables skip a whole PTE table's span.
 */
static void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned long size = m->page_size, span = pt_level_size(m, PT_PMD);
	bool locked = vma->vm_flags & VM_LOCKED;
	unsigned long addr = vma->vm_start;

	while (addr < vma->vm_end) {
		pte_t *ptep = pte_lookup(mm, addr);
		struct page *page;
		pte_t pte;

		if (!ptep) {
			unsigned long next = (addr & ~(span - 1)) + span;

			if (next <= addr)	/* the top of the address space */
				break;
			addr = next;
			continue;
		}
		pte = ptep_get(ptep);
		if (pte_present(pte)) {
			page = vm_normal_page(vma, addr, pte);
			if (page)
				smaps_account(mss, page, size, pte_young(pte), pte_dirty(pte),
					      locked);
		} else if (is_swap_pte(pte)) {
			smaps_swap(mss, m, pte, size);
		}
		addr += size;
	}
	/* Linux's shmem_swap_usage(): a shmem mapping's pages out on swap are in its index. */
	if (vma->vm_file && shmem_mapping(vma->vm_file->f_mapping))
		mss->swap += shmem_swap_usage(vma);
}

/* SEQ_PUT_DEC: the label, then kilobytes right-aligned in 8 columns. */
static void put_kb(struct report *r, const char *label, unsigned long bytes)
{
	report_printf(r, "%s%8lu kB\n", label, bytes >> 10);
}

static unsigned long pss_bytes(uint64_t pss)
{
	return (unsigned long)(pss >> PSS_SHIFT);
}

/* __show_smap - the counters of one area, or of all (@rollup adds Pss_Anon/File/Shmem). */
static void __show_smap(struct report *r, const struct mem_size_stats *mss, bool rollup)
{
	put_kb(r, "Rss:            ", mss->resident);
	put_kb(r, "Pss:            ", pss_bytes(mss->pss));
	put_kb(r, "Pss_Dirty:      ", pss_bytes(mss->pss_dirty));
	if (rollup) {
		put_kb(r, "Pss_Anon:       ", pss_bytes(mss->pss_anon));
		put_kb(r, "Pss_File:       ", pss_bytes(mss->pss_file));
		put_kb(r, "Pss_Shmem:      ", pss_bytes(mss->pss_shmem));
	}
	put_kb(r, "Shared_Clean:   ", mss->shared_clean);
	put_kb(r, "Shared_Dirty:   ", mss->shared_dirty);
	put_kb(r, "Private_Clean:  ", mss->private_clean);
	put_kb(r, "Private_Dirty:  ", mss->private_dirty);
	put_kb(r, "Referenced:     ", mss->referenced);
	put_kb(r, "Anonymous:      ", mss->anonymous);
	put_kb(r, "KSM:            ", 0);
	put_kb(r, "LazyFree:       ", mss->lazyfree);
	put_kb(r, "AnonHugePages:  ", 0);
	put_kb(r, "ShmemPmdMapped: ", 0);
	put_kb(r, "FilePmdMapped:  ", 0);
	put_kb(r, "Shared_Hugetlb: ", 0);
	report_printf(r, "Private_Hugetlb: %7lu kB\n", 0UL);	/* one column less */
	put_kb(r, "Swap:           ", mss->swap);
	put_kb(r, "SwapPss:        ", pss_bytes(mss->swap_pss));
	put_kb(r, "Locked:         ", pss_bytes(mss->pss_locked));
}

/*
 * The VmFlags mnemonics, indexed by bit, as show_smap_vma_flags() has them for
 * x86-64 without CONFIG_MEM_SOFT_DIRTY (as this host's kernel: no "sd") and
 * without protection keys (no ProtectionKey line either). Bits without a
 * mnemonic print nothing here; Linux would print "??" for them, but tuxmm
 * never sets such a bit.
 */
static const char *const vm_flag_mnemonics[64] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw", [6] = "me",
	[7] = "ms", [8] = "gd", [9] = "um", [10] = "pf", [12] = "uw", [13] = "lo", [14] = "io",
	[15] = "sr", [16] = "rr", [17] = "dc", [18] = "de", [19] = "lf", [20] = "ac", [21] = "nr",
	[22] = "ht", [23] = "sf", [24] = "ar", [25] = "wf", [26] = "dd", [28] = "mm", [29] = "hg",
	[30] = "nh", [31] = "mg", [37] = "ss", [40] = "dp",
};

static void show_smap_vma_flags(struct report *r, unsigned long flags)
{
	report_printf(r, "VmFlags: ");
	for (unsigned int i = 0; i < 8 * sizeof(flags); i++)
		if ((flags & (1UL << i)) && vm_flag_mnemonics[i])
			report_printf(r, "%s ", vm_flag_mnemonics[i]);
	report_putc(r, '\n');
}

/* show_smap_tail - Size..MMUPageSize, the counters, THPeligible (no THP) and VmFlags. */
static void show_smap_tail(struct report *r, unsigned long size, unsigned long page_size,
			   const struct mem_size_stats *mss, unsigned long flags)
{
	put_kb(r, "Size:           ", size);
	put_kb(r, "KernelPageSize: ", page_size);
	put_kb(r, "MMUPageSize:    ", page_size);
	__show_smap(r, mss, false);
	report_printf(r, "THPeligible:    %8u\n", 0U);
	show_smap_vma_flags(r, flags);
}

void proc_pid_smaps_show(struct task_struct *t, struct report *r)
{
	struct mem_size_stats mss;
	struct vm_area_struct *vma;

	if (!t->mm)
		return;
	for_each_vma(t->mm, vma) {
		memset(&mss, 0, sizeof(mss));
		smap_gather_stats(vma, &mss);
		show_map_vma(r, vma);
		show_smap_tail(r, vma->vm_end - vma->vm_start, t->machine->page_size, &mss,
			       vma->vm_flags);
	}
	if (has_gate_vma(t->machine)) {
		/* In no page table: its page is the kernel's, so every counter is 0. */
		memset(&mss, 0, sizeof(mss));
		show_gate_vma(r, t->machine);
		show_smap_tail(r, GATE_VMA_END - GATE_VMA_START, t->machine->page_size, &mss,
			       VM_EXEC);
	}
}

/*
 * proc_pid_smaps_rollup_show - every area's counters summed (not the gate
 * area's), under a "[rollup]" header spanning the first area's start to the
 * last one's end ("00000000-00000000" for an mm without areas).
 */
void proc_pid_smaps_rollup_show(struct task_struct *t, struct report *r)
{
	unsigned long start = 0, end = 0;
	struct mem_size_stats mss;
	struct vm_area_struct *vma;
	size_t line_start = r->len;

	if (!t->mm)
		return;
	memset(&mss, 0, sizeof(mss));
	for_each_vma(t->mm, vma) {
		if (!end)
			start = vma->vm_start;
		smap_gather_stats(vma, &mss);
		end = vma->vm_end;
	}
	show_vma_header(r, start, end, 0, 0, 0, 0);
	maps_pad(r, t->machine, line_start);
	report_printf(r, "[rollup]\n");
	__show_smap(r, &mss, true);
}

void task_mem(struct report *r, struct mm_struct *mm)
{
	unsigned int kshift = mm->page_shift - 10;
	unsigned long anon = (unsigned long)get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = (unsigned long)get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = (unsigned long)get_mm_counter(mm, MM_SHMEMPAGES);
	unsigned long swap = (unsigned long)get_mm_counter(mm, MM_SWAPENTS);
	unsigned long hiwater_vm = mm->total_vm, total_rss = anon + file + shmem;
	unsigned long hiwater_rss = total_rss, page = mm_page_size(mm), text, lib;

	/* The peaks are kept only when lowering: the current value may be higher. */
	if (hiwater_vm < mm->hiwater_vm)
		hiwater_vm = mm->hiwater_vm;
	if (hiwater_rss < mm->hiwater_rss)
		hiwater_rss = mm->hiwater_rss;
	text = ((mm->end_code + page - 1) & ~(page - 1)) - (mm->start_code & ~(page - 1));
	if (text > mm->exec_vm << mm->page_shift)
		text = mm->exec_vm << mm->page_shift;
	lib = (mm->exec_vm << mm->page_shift) - text;
	report_printf(r,
		      "VmPeak:\t%8lu kB\n"
		      "VmSize:\t%8lu kB\n"
		      "VmLck:\t%8lu kB\n"
		      "VmPin:\t%8lu kB\n"
		      "VmHWM:\t%8lu kB\n"
		      "VmRSS:\t%8lu kB\n"
		      "RssAnon:\t%8lu kB\n"
		      "RssFile:\t%8lu kB\n"
		      "RssShmem:\t%8lu kB\n"
		      "VmData:\t%8lu kB\n"
		      "VmStk:\t%8lu kB\n"
		      "VmExe:\t%8lu kB\n"
		      "VmLib:\t%8lu kB\n"
		      "VmPTE:\t%8lu kB\n"
		      "VmSwap:\t%8lu kB\n",
		      hiwater_vm << kshift, mm->total_vm << kshift, mm->locked_vm << kshift,
		      mm->pinned_vm << kshift, hiwater_rss << kshift, total_rss << kshift,
		      anon << kshift, file << kshift, shmem << kshift, mm->data_vm << kshift,
		      mm->stack_vm << kshift, text >> 10, lib >> 10,
		      (unsigned long)mm->pgd.pgtables_bytes >> 10, swap << kshift);
}

void proc_pid_statm_show(struct task_struct *t, struct report *r)
{
	struct mm_struct *mm = t->mm;
	unsigned long page, shared, text, data, resident;

	if (!mm) {
		report_printf(r, "0 0 0 0 0 0 0\n");
		return;
	}
	page = mm_page_size(mm);
	shared = (unsigned long)(get_mm_counter(mm, MM_FILEPAGES) +
				 get_mm_counter(mm, MM_SHMEMPAGES));
	text = (((mm->end_code + page - 1) & ~(page - 1)) - (mm->start_code & ~(page - 1))) >>
	       mm->page_shift;
	data = mm->data_vm + mm->stack_vm;
	resident = shared + (unsigned long)get_mm_counter(mm, MM_ANONPAGES);
	report_printf(r, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm, resident, shared, text, data);
}

/* ---- pagemap ---- */

#define PM_PFRAME_BITS    55
#define PM_SOFT_DIRTY     (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP        (1ULL << 57)
#define PM_GUARD_REGION   (1ULL << 58)
#define PM_FILE           (1ULL << 61)
#define PM_SWAP           (1ULL << 62)
#define PM_PRESENT        (1ULL << 63)

/*
 * pte_to_pagemap_entry - Linux's, for a reader without CAP_SYS_ADMIN (the
 * simulated user): the frame bits (PFN, or swap type and offset) read as 0.
 * Soft-dirty only with CONFIG_MEM_SOFT_DIRTY (off, as on the reference host).
 */
static uint64_t pte_to_pagemap_entry(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page = NULL;
	uint64_t flags = 0;

	if (pte_present(pte)) {
		flags |= PM_PRESENT;
		page = vm_normal_page(vma, addr, pte);
		if (CONFIG_MEM_SOFT_DIRTY && pte_soft_dirty(pte))
			flags |= PM_SOFT_DIRTY;
	} else if (is_swap_pte(pte)) {
		flags |= PM_SWAP;
	}
	if (page) {
		if (!PageAnon(page))
			flags |= PM_FILE;
		if ((flags & PM_PRESENT) && page_mapcount(page) == 1)
			flags |= PM_MMAP_EXCLUSIVE;
	}
	if (CONFIG_MEM_SOFT_DIRTY && (vma->vm_flags & VM_SOFTDIRTY))
		flags |= PM_SOFT_DIRTY;
	return flags;
}

long tuxmm_read_pagemap(struct task_struct *t, unsigned long start_addr, uint64_t *out,
			size_t nr_pages)
{
	struct mm_struct *mm = t->mm;
	unsigned long page_size, addr = start_addr;
	struct vm_area_struct *vma;
	size_t i;

	if (!out && nr_pages)
		return -EINVAL;
	if (!mm)
		return 0;
	page_size = mm_page_size(mm);
	if (start_addr & (page_size - 1))
		return -EINVAL;
	for (i = 0; i < nr_pages && addr < mm->task_size; i++, addr += page_size) {
		pte_t *ptep;

		out[i] = 0;
		vma = find_vma(mm, addr);
		if (!vma || addr < vma->vm_start)
			continue;	/* a hole: 0 */
		ptep = pte_lookup(mm, addr);
		if (ptep && !pte_none(ptep_get(ptep)))
			out[i] = pte_to_pagemap_entry(vma, addr, ptep_get(ptep));
		else if (CONFIG_MEM_SOFT_DIRTY && (vma->vm_flags & VM_SOFTDIRTY))
			out[i] = PM_SOFT_DIRTY;
	}
	return (long)i;
}
