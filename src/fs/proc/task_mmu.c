/*
 * task_mmu.c - the address-space files of a task: /proc/PID/maps, the Vm*
 * lines of /proc/PID/status, and /proc/PID/statm.
 * Follows Linux fs/proc/task_mmu.c (show_map_vma, task_mem, task_statm) byte
 * for byte: "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", the name padded to
 * the column seq_pad() reaches, [heap], [stack], [vsyscall].
 */
#include "fs.h"
#include "machine.h"
#include "proc.h"
#include "report.h"
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

void proc_pid_maps_show(struct task_struct *t, struct report *r)
{
	struct vm_area_struct *vma;
	size_t line_start;

	if (!t->mm)
		return;
	for_each_vma(t->mm, vma)
		show_map_vma(r, vma);
	if (has_gate_vma(t->machine)) {
		line_start = r->len;
		show_vma_header(r, 0xffffffffff600000UL, 0xffffffffff601000UL, VM_EXEC, 0, 0, 0);
		maps_pad(r, t->machine, line_start);
		report_printf(r, "[vsyscall]\n");
	}
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
