/*
 * memory.c - demand paging: the page-fault handler chain from the MMU's hook
 * down to one PTE (demand-zero and the zero page, file reads with fault-around,
 * private and shared file writes, swap-in) and the helpers the page cache maps with.
 * Follows Linux mm/memory.c (handle_mm_fault, do_anonymous_page, do_fault,
 * finish_fault, set_pte_range, do_swap_page) and arch/x86/mm/fault.c (do_user_addr_fault,
 * access_error). Copy-on-write is in cow.c, unmapping in zap.c.
 * Keeps: every PTE mapping a page holds one reference and one map count on it
 * and one page in its mm's rss_stat; the zero page is mapped special and read-only;
 * every swap PTE holds one count on its slot and one MM_SWAPENTS.
 */
#include <errno.h>

#include "err.h"
#include "fs.h"
#include "machine.h"
#include "memory.h"
#include "mm.h"
#include "mmu.h"
#include "pagemap.h"
#include "pgtable.h"
#include "printk.h"
#include "rmap.h"
#include "swap.h"
#include "vma.h"
#include "vmstat.h"

#define FAULT_AROUND_BYTES_DEFAULT (64UL << 10)	/* Linux's fault_around_bytes */

/* si_code values of the signals a fault sends (Linux's uapi siginfo.h). */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR  2

/* ---- protections and pages ---- */

bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) && vma->vm_ops &&
	       vma->vm_ops->page_mkwrite;
}

/*
 * x86's protection_map: a private writable area maps read-only (copy on
 * write), so does a shared one whose writes must be noticed; write implies read.
 */
pgprot_t vm_get_page_prot(const struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	bool exec = f & VM_EXEC;

	if (!(f & VM_ACCESS_FLAGS))
		return PAGE_NONE;
	if ((f & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) && !vma_wants_writenotify(vma))
		return exec ? PAGE_SHARED_EXEC : PAGE_SHARED;
	if (f & VM_WRITE)
		return exec ? PAGE_COPY_EXEC : PAGE_COPY;
	return exec ? PAGE_READONLY_EXEC : PAGE_READONLY;
}

struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	(void)addr;
	if (pte_special(pte))
		return NULL;
	return pte_page(vma->vm_mm->machine, pte);
}

int mm_counter_page(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return PageFlag(page, PG_swapbacked) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

struct page *get_zero_page(struct machine *m)
{
	struct page *page = m->tasks.zero_page;

	if (likely(page))
		return page;
	page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return NULL;
	/* Like empty_zero_page in the kernel image: never freed, never counted as RSS. */
	SetPageFlag(page, PG_reserved);
	m->tasks.zero_page = page;
	return page;
}

pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	return pgtable_lookup_pte(mm->machine, mm->pgd.pgd, addr);
}

/*
 * walk_alloc_pmd - the PMD entry covering @addr, allocating the levels above;
 * NULL: no RAM. Inline: every fault walks, and the call cost 18 of its 63 instructions.
 */
static inline __attribute__((always_inline)) pmd_t *walk_alloc_pmd(struct mm_struct *mm,
								   unsigned long addr)
{
	struct machine *m = mm->machine;
	struct pgd_root *root = &mm->pgd;
	pgd_t *pgd = pgd_offset(m, root, addr);
	p4d_t *p4d;
	pud_t *pud;

	p4d = p4d_alloc(m, root, pgd, addr);
	if (!p4d)
		return NULL;
	pud = pud_alloc(m, root, p4d, addr);
	if (!pud)
		return NULL;
	return pmd_alloc(m, root, pud, addr);
}

pte_t *pte_alloc_addr(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = walk_alloc_pmd(mm, addr);

	if (!pmd)
		return NULL;
	return pte_alloc_map(mm->machine, &mm->pgd, pmd, addr);
}

/* ---- mapping a page the handlers found ---- */

void do_set_pte(struct vm_fault *vmf, struct page *page, unsigned long addr)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	bool write = (vmf->flags & FAULT_FLAG_WRITE) && addr == vmf->address;
	pte_t *ptep = pte_offset_map(m, vmf->pmd, addr);
	pte_t entry = mk_pte(m, page, vm_get_page_prot(vma));

	VM_BUG_ON(!pte_none(ptep_get(ptep)));
	if (write)
		entry = pte_mkdirty(pte_mkwrite(entry));
	else if (pte_write(entry) && PageFlag(page, PG_dirty))
		entry = pte_mkdirty(entry);
	if (write && !(vma->vm_flags & VM_SHARED)) {
		page_add_new_anon_rmap(page, vma, addr);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		lru_cache_add_inactive_or_unevictable(m, page, vma);
	} else {
		page_add_file_rmap(page, vma);
		add_mm_counter(mm, mm_counter_page(page), 1);
		/* Linux's mlock_vma_folio(): a page cache page mapped in a locked area. */
		if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED && PageFlag(page, PG_lru))
			mlock_page(m, page);
	}
	set_pte(ptep, entry);
}

vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vma->vm_mm->machine;
	bool cow = (vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED);
	struct page *page = cow ? vmf->cow_page : vmf->page;

	if (!vmf->pte) {
		vmf->pte = pte_alloc_map(m, &vma->vm_mm->pgd, vmf->pmd, vmf->address);
		if (!vmf->pte)
			return VM_FAULT_OOM;
	}
	/* Fault-around or another path got there first. */
	if (!pte_none(ptep_get(vmf->pte)))
		return VM_FAULT_NOPAGE;
	do_set_pte(vmf, page, vmf->address);
	return 0;
}

/* ---- anonymous memory ---- */

/*
 * do_anonymous_page - a first touch of private anonymous memory: a read maps
 * the shared zero page read-only, a write a fresh zeroed page of its own.
 */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct page *page;
	pte_t entry;

	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;
	if (!vmf->pte) {
		vmf->pte = pte_alloc_map(m, &mm->pgd, vmf->pmd, vmf->address);
		if (!vmf->pte)
			return VM_FAULT_OOM;
	}
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		page = get_zero_page(m);
		if (!page)
			return VM_FAULT_OOM;
		set_pte(vmf->pte, pte_mkspecial(mk_pte(m, page, vm_get_page_prot(vma))));
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_pages(m, vmf->gfp_mask | __GFP_ZERO, 0);
	if (!page)
		return VM_FAULT_OOM;
	entry = pte_mkdirty(pte_mkwrite(mk_pte(m, page, vm_get_page_prot(vma))));
	page_add_new_anon_rmap(page, vma, vmf->address);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	set_pte(vmf->pte, entry);
	return 0;
}

/* ---- file and shmem memory ---- */

static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	vmf->page = NULL;
	ret = vmf->vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW))
		return ret;
	if (!vmf->page)
		return ret | VM_FAULT_SIGBUS;
	return ret;
}

/*
 * do_fault_around - map the cached pages around a read fault (Linux's
 * fault_around_bytes window, aligned, clipped to the area and the PTE table).
 * Returns VM_FAULT_NOPAGE when ->map_pages mapped the faulting address too.
 */
static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vma->vm_mm->machine;
	unsigned long nr_pages = m->tasks.fault_around_bytes >> m->page_shift;
	unsigned long pte_off = pte_index(m, vmf->address);
	unsigned long vma_off = vmf->pgoff - vma->vm_pgoff;
	unsigned long from_pte, to_pte, lo, hi;

	lo = pte_off & ~(nr_pages - 1);
	hi = pte_off - (pte_off < vma_off ? pte_off : vma_off);
	from_pte = lo > hi ? lo : hi;
	to_pte = from_pte + nr_pages;
	if (to_pte > PTRS_PER_PTE_M(m))
		to_pte = PTRS_PER_PTE_M(m);
	if (to_pte > pte_off + vma_pages(vma) - vma_off)
		to_pte = pte_off + vma_pages(vma) - vma_off;
	if (!vmf->pte) {
		vmf->pte = pte_alloc_map(m, &vma->vm_mm->pgd, vmf->pmd, vmf->address);
		if (!vmf->pte)
			return VM_FAULT_OOM;
	}
	return vma->vm_ops->map_pages(vmf, vmf->pgoff + from_pte - pte_off,
				      vmf->pgoff + to_pte - 1 - pte_off);
}

static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	const struct vm_operations_struct *ops = vmf->vma->vm_ops;
	struct machine *m = vmf->vma->vm_mm->machine;
	vm_fault_t ret;

	if (ops->map_pages && (m->tasks.fault_around_bytes >> m->page_shift) > 1) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		put_page(m, vmf->page);
	return ret;
}

/* do_cow_fault - a write to a private file page never mapped: copy it into an anonymous page. */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vma->vm_mm->machine;
	vm_fault_t ret;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	vmf->cow_page = alloc_pages(m, vmf->gfp_mask, 0);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		goto out_free_cow;
	cow_user_page(m, vmf->cow_page, vmf->page);
	m->tasks.nr_cow_copies++;
	ret |= finish_fault(vmf);
	put_page(m, vmf->page);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		goto out_free_cow;
	return ret;

out_free_cow:
	put_page(m, vmf->cow_page);
	return ret;
}

/* do_page_mkwrite - tell the backing a shared page is about to be written. */
static vm_fault_t do_page_mkwrite(struct vm_fault *vmf)
{
	unsigned int old_flags = vmf->flags;
	vm_fault_t ret;

	vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	vmf->flags = old_flags;
	return ret;
}

/*
 * do_shared_fault - a write to a shared file or shmem page never mapped: the
 * page-cache page itself, writable and dirty.
 */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct machine *m = vma->vm_mm->machine;
	vm_fault_t ret, tmp;

	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (vma->vm_ops->page_mkwrite) {
		tmp = do_page_mkwrite(vmf);
		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_page(m, vmf->page);
			return tmp;
		}
	} else {
		set_page_dirty(vmf->page);
	}
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		put_page(m, vmf->page);
	return ret;
}

static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* ---- swap ---- */

/*
 * do_swap_page - a swap entry in the PTE: the page from the swap cache, or
 * read from swap with its neighbours (a major fault). The PTE's count on the
 * slot is dropped; the slot itself is freed at once when the page is the
 * writer's alone, or when swap is more than half full (Linux's
 * should_try_to_free_swap), else the clean swap copy is kept so that
 * reclaim need not write the page again. A read error is SIGBUS for this
 * task only: the entry stays, and others sharing it try their own read.
 */
static vm_fault_t do_swap_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	swp_entry_t entry = pte_to_swp_entry(vmf->orig_pte);
	bool major = false, exclusive;
	vm_fault_t ret = 0;
	struct page *page;
	pte_t pte;

	if (!swap_entry_valid(m, entry)) {
		printk(m, "do_swap_page: bad swap entry %016lx at %lx", entry.val, vmf->address);
		return VM_FAULT_SIGBUS;
	}
	page = lookup_swap_cache(m, entry);
	if (page) {
		get_page(page);
		if (PageFlag(page, PG_readahead)) {
			ClearPageFlag(page, PG_readahead);
			count_vm_events(m, SWAP_RA_HIT, 1);
		}
	} else {
		page = swapin_readahead(m, entry, &major);
		if (IS_ERR(page))
			return PTR_ERR(page) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
		if (!page)	/* the slot was freed meanwhile: fault again */
			return 0;
		if (major)
			ret = VM_FAULT_MAJOR;
	}
	/* Reading may have run reclaim: only map over the entry we started from. */
	if (pte_val(ptep_get(vmf->pte)) != pte_val(vmf->orig_pte) || anon_vma_prepare(vma)) {
		put_page(m, page);
		return pte_val(ptep_get(vmf->pte)) != pte_val(vmf->orig_pte) ? ret : VM_FAULT_OOM;
	}
	/* The entry says whether the page was exclusive when it went out (no fork since). */
	exclusive = pte_swp_exclusive(vmf->orig_pte);
	swap_free(m, entry);
	/*
	 * Linux's should_try_to_free_swap(): the slot goes when swap is short, the
	 * page is locked, or a writer would be its only user but for the cache.
	 */
	if (PageFlag(page, PG_swapcache) &&
	    (vm_swap_full(m) || (vma->vm_flags & VM_LOCKED) || PageFlag(page, PG_mlocked) ||
	     ((vmf->flags & FAULT_FLAG_WRITE) && page_ref_count(page) == 2)))
		try_to_free_swap(m, page);
	pte = mk_pte(m, page, vm_get_page_prot(vma));
	/*
	 * Certainly this PTE's alone (the marker, or no other reference at all):
	 * writable at once if the area is, even on a read, as do_wp_page would
	 * reuse it anyway.
	 */
	if (exclusive || page_ref_count(page) == 1) {
		if (vma->vm_flags & VM_WRITE) {
			pte = pte_mkwrite(pte);
			if (vmf->flags & FAULT_FLAG_WRITE) {
				pte = pte_mkdirty(pte);
				vmf->flags &= ~FAULT_FLAG_WRITE;
			}
		}
		exclusive = true;
	}
	page_add_anon_rmap(page, vma, vmf->address, exclusive);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(m, page);
	set_pte(vmf->pte, pte);
	if (vmf->flags & FAULT_FLAG_WRITE) {
		/* Shared with another entry or the swap cache: copy-on-write decides. */
		vmf->orig_pte = pte;
		ret |= do_wp_page(vmf);
	}
	return ret;
}

/* ---- the chain ---- */

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct machine *m = vmf->vma->vm_mm->machine;
	pte_t entry;

	if (pmd_none(m, *vmf->pmd)) {
		vmf->pte = NULL;
	} else {
		vmf->pte = pte_offset_map(m, vmf->pmd, vmf->address);
		vmf->orig_pte = ptep_get(vmf->pte);
		vmf->flags |= FAULT_FLAG_ORIG_PTE_VALID;
	}
	if (!vmf->pte || pte_none(vmf->orig_pte))
		return vma_is_anonymous(vmf->vma) ? do_anonymous_page(vmf) : do_fault(vmf);
	if (is_swap_pte(vmf->orig_pte))
		return do_swap_page(vmf);
	if (!pte_present(vmf->orig_pte))
		return VM_FAULT_SIGBUS;
	entry = vmf->orig_pte;
	if (vmf->flags & FAULT_FLAG_WRITE) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		entry = pte_mkdirty(entry);
	}
	/* A spurious fault (the entry was fixed already): just refresh A/D. */
	entry = pte_mkyoung(entry);
	if (pte_val(entry) != pte_val(vmf->orig_pte))
		set_pte(vmf->pte, entry);
	return 0;
}

static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma, unsigned long addr,
				    unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.address = addr & ~(mm_page_size(mm) - 1),
		.real_address = addr,
		.flags = flags,
		.pgoff = linear_page_index(vma, addr),
		.gfp_mask = GFP_HIGHUSER_MOVABLE,
	};

	vmf.pmd = walk_alloc_pmd(mm, addr);
	if (!vmf.pmd)
		return VM_FAULT_OOM;
	return handle_pte_fault(&vmf);
}

/* mm_account_fault - pgfault for every completed fault, min/maj_flt for successful ones. */
static void mm_account_fault(struct mm_struct *mm, vm_fault_t ret)
{
	struct machine *m = mm->machine;

	if (ret & VM_FAULT_RETRY)
		return;
	m->vm_events[PGFAULT]++;
	if (ret & VM_FAULT_ERROR)
		return;
	if (ret & VM_FAULT_MAJOR) {
		m->vm_events[PGMAJFAULT]++;
		if (mm->owner)
			mm->owner->maj_flt++;
	} else if (mm->owner) {
		mm->owner->min_flt++;
	}
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	vm_fault_t ret = __handle_mm_fault(vma, addr, flags);

	mm_account_fault(vma->vm_mm, ret);
	return ret;
}

/* x86's access_error(): may this kind of access fault pages into @vma? */
static bool access_error(unsigned long error_code, const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	/* A read or fetch of a present page was refused: nothing to fix. */
	if (error_code & X86_PF_PROT)
		return true;
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

static vm_fault_t bad_area(struct mm_struct *mm, unsigned long addr, unsigned long error_code,
			   int si_code, vm_fault_t ret)
{
	struct machine *m = mm->machine;
	struct task_struct *t = mm->owner;

	m->tasks.last_si_code = si_code;
	m->tasks.last_si_addr = addr;
	/* Linux's show_signal_msg() (show_unhandled_signals is on by default). */
	if ((ret & VM_FAULT_SIGSEGV) && (error_code & X86_PF_USER))
		printk(m, "%s[%d]: segfault at %lx ip 0000000000000000 sp 0000000000000000 "
			  "error %lx", t ? t->comm : "?", t ? t->pid : 0, addr, error_code);
	return ret;
}

vm_fault_t fault_in_user(struct mm_struct *mm, unsigned long addr, unsigned long error_code)
{
	unsigned int flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_INTERRUPTIBLE;
	struct vm_area_struct *vma;
	vm_fault_t ret;

	/* A task the OOM killer chose runs no further: its access ends at this fault. */
	if (mm->owner && fatal_signal_pending(mm->owner))
		return VM_FAULT_OOM;
	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	vma = find_vma(mm, addr);
	if (!vma)
		return bad_area(mm, addr, error_code, SEGV_MAPERR, VM_FAULT_SIGSEGV);
	if (vma->vm_start > addr) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return bad_area(mm, addr, error_code, SEGV_MAPERR, VM_FAULT_SIGSEGV);
		vma = expand_stack(mm, addr);
		if (!vma)
			return bad_area(mm, addr, error_code, SEGV_MAPERR, VM_FAULT_SIGSEGV);
	}
	if (access_error(error_code, vma))
		return bad_area(mm, addr, error_code, SEGV_ACCERR, VM_FAULT_SIGSEGV);
	ret = handle_mm_fault(vma, addr, flags);
	/* A step of the machine ends: kswapd runs now if an allocation woke it. */
	kswapd_step(mm->machine);
	if (!(ret & VM_FAULT_ERROR))
		return 0;
	if (ret & VM_FAULT_OOM)
		return VM_FAULT_OOM;
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		return bad_area(mm, addr, error_code, BUS_ADRERR, VM_FAULT_SIGBUS);
	/* VM_FAULT_SIGSEGV from a handler: bad_area_nosemaphore(), SEGV_MAPERR. */
	return bad_area(mm, addr, error_code, SEGV_MAPERR, VM_FAULT_SIGSEGV);
}

/*
 * The MMU's hook: CR3's root is an mm's embedded pgd_root. A root no mm owns
 * (swapper_pg_dir, the arch tests' bare trees) gets the arch's default answer.
 */
static vm_fault_t mm_fault_hook(struct machine *m, const struct pt_fault *f)
{
	if (!f->root || !f->root->owner) {
		if (f->mode == MMU_USER)
			printk(m, "cpu%u: segfault at %lx error %lx", f->cpu, f->addr,
			       f->error_code);
		return VM_FAULT_SIGSEGV;
	}
	return fault_in_user(f->root->owner, f->addr, f->error_code);
}

int memory_init(struct machine *m)
{
	int err = anon_vma_init(m);

	if (err)
		return err;
	if (!m->tasks.fault_around_bytes)
		m->tasks.fault_around_bytes = FAULT_AROUND_BYTES_DEFAULT;
	mmu_set_fault_hook(m, mm_fault_hook, NULL);
	return 0;
}
