/*
 * test_mmu.c - translation as an x86 CPU does it: the permission matrix
 * (user/kernel/uaccess x read/write/fetch x entry flags at leaf and upper
 * levels, with and without SMAP/SMEP), accessed and dirty bits, page-fault
 * error codes, the fault hook, reserved bits, #GP, bus errors, uaccess.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pt_test.h"
#include "mmu.h"
#include "tlb.h"
#include "uaccess.h"
#include "vmalloc.h"

#define URW (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX)

static const char *const mode_names[] = { "kernel", "user", "uaccess" };
static const char *const acc_names[] = { "read", "write", "fetch" };

static vm_fault_t do_access(struct machine *m, unsigned long addr, enum mmu_access acc,
			    enum mmu_mode mode)
{
	uint64_t v = 0x1122334455667788ULL;

	switch (acc) {
	case MMU_READ:
		return mmu_load_u64(m, 0, addr, &v, mode);
	case MMU_WRITE:
		return mmu_store_u64(m, 0, addr, v, mode);
	default:
		return mmu_fetch(m, 0, addr, &v, sizeof(v), mode);
	}
}

/* The SDM's rules (CR0.WP=1, EFER.NXE=1), written out independently of mmu.c. */
static bool x86_allows(bool user_page, bool writable, bool executable, enum mmu_mode mode,
		       enum mmu_access acc, bool smap, bool smep)
{
	bool cpl3 = mode == MMU_USER;

	if (cpl3 && !user_page)
		return false;
	if (acc == MMU_FETCH)
		return executable && (cpl3 || !user_page || !smep);
	if (!cpl3 && user_page && smap && mode != MMU_UACCESS)
		return false;
	return acc != MMU_WRITE || writable;
}

/* Upper-level variations: the entry pointing at the PTE table loses a right. */
enum upper { UP_NONE, UP_NO_USER, UP_NO_RW, UP_NX, UP_NR };

/* Leaf flags bit 0: USER, bit 1: RW, bit 2: NX. Every mode and access at @addr. */
static void check_case(struct machine *m, unsigned long addr, unsigned int flags, int up,
		       bool smap_smep)
{
	bool user_page = (flags & 1) && up != UP_NO_USER;
	bool writable = (flags & 2) && up != UP_NO_RW;
	bool exec = !(flags & 4) && up != UP_NX;

	for (int mode = 0; mode < MMU_NR_MODES; mode++) {
		for (int acc = MMU_READ; acc <= MMU_FETCH; acc++) {
			bool ok = x86_allows(user_page, writable, exec, mode, acc, smap_smep,
					     smap_smep);
			unsigned long want = X86_PF_PROT | (acc == MMU_WRITE ? X86_PF_WRITE : 0) |
					     (mode == MMU_USER ? X86_PF_USER : 0) |
					     (acc == MMU_FETCH ? X86_PF_INSTR : 0);
			vm_fault_t ret = do_access(m, addr + 8, acc, mode);

			if ((ret == 0) != ok)
				fail_msg("flags %u upper %d %s %s: got %s, x86 says %s", flags, up,
					 mode_names[mode], acc_names[acc], mmu_fault_name(ret),
					 ok ? "allowed" : "fault");
			if (!ok) {
				assert_int_equal(ret, VM_FAULT_SIGSEGV);
				assert_int_equal(mmu_cpu(m, 0)->cr2, addr + 8);
				assert_int_equal(mmu_cpu(m, 0)->error_code, want);
			}
		}
	}
}

static void check_matrix(struct machine *m, bool smap_smep)
{
	const struct pgtable_geometry *g = &m->arch.geo;
	unsigned long stride = 1UL << g->hw[g->levels - 2].shift;
	struct page *pages[8 * UP_NR];
	struct pgd_root root;
	unsigned int n = 0;

	m->arch.smap = m->arch.smep = smap_smep;
	pt_new_space(m, &root, 0);
	for (unsigned int flags = 0; flags < 8; flags++) {
		for (int up = 0; up < UP_NR; up++, n++) {
			unsigned long addr = stride * (n + 1);
			pteval_t prot = _PAGE_PRESENT | ((flags & 1) ? _PAGE_USER : 0) |
					((flags & 2) ? _PAGE_RW : 0) | ((flags & 4) ? _PAGE_NX : 0);
			struct pt_walk w;
			pteval_t *upper;

			pages[n] = pt_map_page(m, &root, addr, prot);
			assert_true(pgtable_walk(m, root.pgd, addr, &w));
			upper = w.step[g->levels - 2].entry;
			if (up == UP_NO_USER)
				*upper &= ~_PAGE_USER;
			else if (up == UP_NO_RW)
				*upper &= ~_PAGE_RW;
			else if (up == UP_NX)
				*upper |= _PAGE_NX;
			check_case(m, addr, flags, up, smap_smep);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		pt_unmap_page(m, &root, stride * (i + 1), pages[i]);
	pgd_free(m, &root);
	assert_true(pgtable_check_all(m));
	m->arch.smap = m->arch.smep = true;
}

static void permission_matrix_follows_x86_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);

		check_matrix(m, true);
		check_matrix(m, false);
		tuxmm_machine_destroy(m);
	}
}

static unsigned long oopses(struct machine *m)
{
	return m->arch.nr_oops;
}

static void not_present_faults_carry_x86_error_codes(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x700000;
	uint64_t v;
	struct pgd_root root;
	unsigned long before;

	pt_new_space(m, &root, 0);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_USER);
	assert_int_equal(mmu_cpu(m, 0)->cr2, addr);
	assert_int_equal(mmu_store_u64(m, 0, addr, v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_USER | X86_PF_WRITE);
	assert_int_equal(mmu_fetch(m, 0, addr, &v, 8, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_USER | X86_PF_INSTR);
	assert_non_null(strstr(tuxmm_dmesg(m), "cpu0: segfault at 700000 error 14"));

	/* uaccess: the fixup path, no oops. */
	before = oopses(m);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_UACCESS), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, 0);
	assert_int_equal(oopses(m), before);

	/* The kernel touching user memory outside uaccess: SMAP oops. */
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_KERNEL), VM_FAULT_SIGSEGV);
	assert_int_equal(oopses(m), before + 1);
	assert_non_null(strstr(tuxmm_dmesg(m),
			       "BUG: unable to handle page fault for address: 0000000000700000"));
	assert_non_null(strstr(tuxmm_dmesg(m), "#PF: supervisor read access in kernel mode"));
	assert_non_null(strstr(tuxmm_dmesg(m), "#PF: error_code(0x0000) - not-present page"));
	assert_int_equal(mmu_load_u64(m, 0, 0, &v, MMU_KERNEL), VM_FAULT_SIGSEGV);
	assert_non_null(strstr(tuxmm_dmesg(m),
			       "BUG: kernel NULL pointer dereference, address: 0000000000000000"));
	pgd_free(m, &root);
}

static void walk_sets_accessed_and_dirty_bits(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x800000;
	struct pgd_root root;
	struct page *page;
	struct pt_walk w;
	pte_t *pte;
	uint64_t v;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, URW);
	assert_true(pgtable_walk(m, root.pgd, addr, &w));
	for (unsigned int i = 0; i < w.nr_steps; i++)
		*w.step[i].entry &= ~_PAGE_ACCESSED;
	pte = pgtable_lookup_pte(m, root.pgd, addr);

	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	for (unsigned int i = 0; i < w.nr_steps; i++)
		assert_true(*w.step[i].entry & _PAGE_ACCESSED);
	assert_false(pte_dirty(ptep_get(pte)));
	assert_int_equal(mmu_store_u64(m, 0, addr, 42, MMU_USER), 0);
	assert_true(pte_dirty(ptep_get(pte)));

	/* Clearing A without a flush: the TLB still has it, no walk sets it again (x86). */
	assert_true(ptep_test_and_clear_young(pte));
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	assert_false(pte_young(ptep_get(pte)));
	flush_tlb_page(m, &root, addr);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	assert_true(pte_young(ptep_get(pte)));
	assert_int_equal(v, 42);

	/* A refused access sets nothing. */
	set_pte(pte, pte_mkclean(pte_mkold(pte_wrprotect(ptep_get(pte)))));
	flush_tlb_page(m, &root, addr);
	assert_int_equal(mmu_store_u64(m, 0, addr, 1, MMU_USER), VM_FAULT_SIGSEGV);
	assert_false(pte_young(ptep_get(pte)));
	assert_false(pte_dirty(ptep_get(pte)));
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
}

static void kernel_write_to_readonly_page_faults(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	unsigned long ro = vmap(m, &page, 1, 0, PAGE_KERNEL_RO);
	unsigned long before = oopses(m);
	uint64_t v;

	assert_int_not_equal(ro, 0);
	((uint64_t *)page_address(m, page))[1] = 7;
	assert_int_equal(mmu_load_u64(m, 0, ro + 8, &v, MMU_KERNEL), 0);
	assert_int_equal(v, 7);
	/* CR0.WP: read-only holds in kernel mode too. */
	assert_int_equal(mmu_store_u64(m, 0, ro + 8, 9, MMU_KERNEL), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_PROT | X86_PF_WRITE);
	assert_int_equal(oopses(m), before + 1);
	assert_non_null(strstr(tuxmm_dmesg(m), "#PF: error_code(0x0003) - permissions violation"));
	vunmap(m, ro);
	__free_pages(m, page, 0);
}

static void fetch_from_no_execute_page_faults(void **state)
{
	struct machine *m = *state;
	struct page *page = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	unsigned long x = vmap(m, &page, 1, 0, PAGE_KERNEL_EXEC);
	uint64_t v;

	/* The direct map is data: no-execute. */
	assert_int_equal(mmu_load_u64(m, 0, phys_to_kva(m, 0x2000), &v, MMU_KERNEL), 0);
	assert_int_equal(mmu_fetch(m, 0, phys_to_kva(m, 0x2000), &v, 8, MMU_KERNEL),
			 VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_PROT | X86_PF_INSTR);
	assert_non_null(strstr(tuxmm_dmesg(m), "#PF: supervisor instruction fetch in kernel mode"));
	assert_int_equal(mmu_fetch(m, 0, x, &v, 8, MMU_KERNEL), 0);
	vunmap(m, x);
	__free_pages(m, page, 0);
}

static void user_access_to_every_kind_of_kernel_address_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		const struct kernel_layout *l = &m->arch.layout;
		unsigned long va = vmalloc(m, m->page_size);
		/*
		 * The direct map's first page and last bytes, swapper_pg_dir itself,
		 * a vmalloc page and its guard, unmapped vmalloc space, the first
		 * kernel address, the top, and one past the canonical range.
		 */
		unsigned long addrs[] = {
			l->page_offset,
			phys_to_kva(m, m->phys_size - 8),
			host_to_kva(m, m->arch.init_mm.pgd),
			va,
			va + m->page_size,
			l->vmalloc_start + (l->vmalloc_total >> 1),
			l->task_size,
			m->arch.geo.sign_extend ? ~0UL - 4095 : 0xfffff000UL,
			m->arch.geo.sign_extend ? 1UL << (m->arch.geo.va_bits - 1) : 1UL << 32,
		};
		struct pgd_root root;
		unsigned long oops_before;

		assert_int_not_equal(va, 0);
		pt_new_space(m, &root, 0);
		/* The kernel itself can read its mapped ones. */
		for (size_t k = 0; k < 4; k++) {
			uint64_t v;

			assert_int_equal(mmu_load_u64(m, 0, addrs[k], &v, MMU_KERNEL), 0);
		}
		oops_before = oopses(m);
		for (size_t k = 0; k < ARRAY_SIZE(addrs); k++)
			for (int acc = MMU_READ; acc <= MMU_FETCH; acc++)
				if (do_access(m, addrs[k], acc, MMU_USER) != VM_FAULT_SIGSEGV)
					fail_msg("%s: user %s of %#lx did not fault",
						 m->arch.geo.layout_name, acc_names[acc], addrs[k]);
		assert_int_equal(oopses(m), oops_before);
		assert_true(m->arch.nr_gp_faults >= 3);
		pgd_free(m, &root);
		vfree(m, va);
		tuxmm_machine_destroy(m);
	}
}

static void reserved_bit_faults_with_rsvd(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x900000;
	struct pgd_root root;
	struct page *page;
	pte_t *pte;
	uint64_t v;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, URW);
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	set_pte(pte, __pte(pte_val(ptep_get(pte)) | (1ULL << 51)));
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->error_code, X86_PF_PROT | X86_PF_RSVD | X86_PF_USER);
	assert_non_null(strstr(tuxmm_dmesg(m), "Bad pagetable: 000d"));
	set_pte(pte, __pte(pte_val(ptep_get(pte)) & ~(1ULL << 51)));
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
}

static void non_canonical_address_is_a_general_protection_fault(void **state)
{
	struct machine *m = *state;
	unsigned long gp = m->arch.nr_gp_faults, faults = m->arch.nr_page_faults;
	uint64_t v;

	assert_int_equal(mmu_load_u64(m, 0, 0x0000800000000000UL, &v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_load_u64(m, 0, 0xdead000000000100UL, &v, MMU_KERNEL),
			 VM_FAULT_SIGSEGV);
	assert_int_equal(m->arch.nr_gp_faults, gp + 2);
	assert_int_equal(m->arch.nr_page_faults, faults);
	assert_non_null(strstr(tuxmm_dmesg(m), "general protection fault, probably for "
					       "non-canonical address 0xdead000000000100"));
}

static void leaf_outside_ram_is_a_bus_error(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0xa00000;
	struct pgd_root root;
	uint64_t v;

	pt_new_space(m, &root, 0);
	/* A frame below MAXPHYADDR but beyond RAM (an MMIO hole, nothing behind it). */
	assert_int_equal(pgtable_map_range(m, &root, addr, 1ULL << 40, m->page_size,
					   __pgprot(URW), m->page_size), 0);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), VM_FAULT_SIGBUS);
	assert_non_null(strstr(tuxmm_dmesg(m), "machine check"));
	pgtable_unmap_range(m, &root, addr, m->page_size);
	pgd_free(m, &root);
}

/* A fault hook that maps a fresh page where the fault was, as demand paging will. */
static struct page *hook_pages[16];
static unsigned int hook_calls;
static unsigned long hook_addr, hook_error;
static vm_fault_t hook_result;

static vm_fault_t map_on_fault(struct machine *m, const struct pt_fault *f)
{
	hook_addr = f->addr;
	hook_error = f->error_code;
	assert_true(f->root != NULL);
	hook_pages[hook_calls++ % 16] = pt_map_page(m, f->root, f->addr & ~(m->page_size - 1),
						    URW);
	return 0;
}

static vm_fault_t never_fixes(struct machine *m, const struct pt_fault *f)
{
	(void)m;
	(void)f;
	hook_calls++;
	return hook_result;
}

static void fault_hook_sees_cr2_and_error_code_and_can_fix(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0xb00123;
	struct pgd_root root;
	uint64_t v = 0;

	pt_new_space(m, &root, 0);
	hook_calls = 0;
	mmu_set_fault_hook(m, map_on_fault, NULL);
	assert_int_equal(mmu_store_u64(m, 0, addr & ~7UL, 0xfeed, MMU_USER), 0);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_addr, addr & ~7UL);
	assert_int_equal(hook_error, X86_PF_USER | X86_PF_WRITE);
	assert_int_equal(mmu_load_u64(m, 0, addr & ~7UL, &v, MMU_USER), 0);
	assert_int_equal(v, 0xfeed);
	assert_int_equal(hook_calls, 1);
	/* Kernel addresses never reach the hook. */
	assert_int_equal(mmu_load_u64(m, 0, m->arch.layout.vmalloc_start, &v, MMU_USER),
			 VM_FAULT_SIGSEGV);
	assert_int_equal(hook_calls, 1);
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &root, addr & ~(m->page_size - 1), hook_pages[0]);
	pgd_free(m, &root);
}

static void fault_hook_outcomes_reach_the_caller(void **state)
{
	struct machine *m = *state;
	struct pgd_root root;
	uint64_t v;

	pt_new_space(m, &root, 0);
	mmu_set_fault_hook(m, never_fixes, NULL);
	hook_calls = 0;
	hook_result = 0;	/* "retry" without fixing anything */
	assert_int_equal(mmu_load_u64(m, 0, 0xc00000, &v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(hook_calls, MMU_FAULT_RETRIES);
	assert_non_null(strstr(tuxmm_dmesg(m), "still unresolved"));
	hook_result = VM_FAULT_SIGBUS;
	assert_int_equal(mmu_load_u64(m, 0, 0xc00000, &v, MMU_USER), VM_FAULT_SIGBUS);
	hook_result = VM_FAULT_OOM;
	assert_int_equal(mmu_load_u64(m, 0, 0xc00000, &v, MMU_USER), VM_FAULT_OOM);
	assert_string_equal(mmu_fault_name(VM_FAULT_OOM), "OOM");
	mmu_set_fault_hook(m, NULL, NULL);
	pgd_free(m, &root);
}

/* ---- the access retried after a fault the hook resolved ---- */

/* Counters of CPU 0 and the machine, to compare before and after one access. */
struct mmu_counts {
	unsigned long hits, misses, walks, faults;
};

static struct mmu_counts counts(struct machine *m)
{
	struct mmu_cpu *c = mmu_cpu(m, 0);

	return (struct mmu_counts){ c->stats.hits + c->fast_hits, c->stats.misses,
				    c->stats.walks, m->arch.nr_page_faults };
}

static void assert_counts(struct machine *m, const struct mmu_counts *before,
			  unsigned long hits, unsigned long misses, unsigned long walks,
			  unsigned long faults)
{
	struct mmu_counts now = counts(m);

	assert_int_equal(now.hits - before->hits, hits);
	assert_int_equal(now.misses - before->misses, misses);
	assert_int_equal(now.walks - before->walks, walks);
	assert_int_equal(now.faults - before->faults, faults);
}

/* Clear A in every entry on @addr's path above the leaf; returns how many levels there are. */
static unsigned int clear_upper_accessed(struct machine *m, struct pgd_root *root,
					 unsigned long addr, struct pt_walk *w)
{
	assert_true(pgtable_walk(m, root->pgd, addr, w));
	for (unsigned int i = 0; i + 1 < w->nr_steps; i++)
		*w->step[i].entry &= ~_PAGE_ACCESSED;
	return w->nr_steps;
}

/*
 * In every layout: a fault at the leaf level (the PTE table exists) and one
 * above it (no tables yet), each retried after the hook maps the page. The
 * retry must leave what a walk from CR3 leaves: A at every level, D in the
 * leaf for a write only, the translation in the TLB with its rights; and
 * count what the CPU did: a miss and a walk, the fault, a miss and a walk.
 */
static void fault_retry_sets_bits_and_counts_as_a_full_walk(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		const struct pgtable_geometry *g = &m->arch.geo;
		unsigned long ps = m->page_size, addr = pt_user_addr(m) & ~(ps - 1);
		unsigned long far = 1UL << g->hw[g->levels - 2].shift;	/* the next PTE table */
		struct page *neighbour;
		struct pgd_root root;
		struct mmu_counts c0;
		struct tlb_entry *e;
		struct pt_walk w;
		uint64_t v = 0;

		pt_new_space(m, &root, 0);
		neighbour = pt_map_page(m, &root, addr + ps, URW);
		clear_upper_accessed(m, &root, addr + ps, &w);
		hook_calls = 0;
		mmu_set_fault_hook(m, map_on_fault, NULL);

		/* Leaf-level fault, a write. */
		c0 = counts(m);
		assert_int_equal(mmu_store_u64(m, 0, addr + 8, 0xabcd, MMU_USER), 0);
		assert_int_equal(hook_calls, 1);
		assert_int_equal(hook_error, X86_PF_USER | X86_PF_WRITE);
		assert_counts(m, &c0, 0, 2, 2, 1);
		assert_true(pgtable_walk(m, root.pgd, addr, &w));
		for (unsigned int l = 0; l < w.nr_steps; l++)
			assert_true(w.step[l].val & _PAGE_ACCESSED);
		assert_true(w.step[w.nr_steps - 1].val & _PAGE_DIRTY);
		e = tlb_model_lookup(m, mmu_cpu(m, 0), addr);
		assert_non_null(e);
		assert_int_equal(e->phys, page_to_phys(m, hook_pages[0]));
		assert_int_equal(e->perm, TLB_USER | TLB_WRITE | TLB_DIRTY);
		/* The TLB serves the next write and read: no walk, no fault. */
		c0 = counts(m);
		assert_int_equal(mmu_store_u64(m, 0, addr + 16, 1, MMU_USER), 0);
		assert_int_equal(mmu_load_u64(m, 0, addr + 8, &v, MMU_USER), 0);
		assert_int_equal(v, 0xabcd);
		assert_counts(m, &c0, 2, 0, 0, 0);

		/* Leaf-level fault, a read: A but no D. */
		clear_upper_accessed(m, &root, addr + ps, &w);
		pgtable_unmap_range(m, &root, addr + ps, ps);	/* the table stays: addr is mapped */
		c0 = counts(m);
		assert_int_equal(mmu_load_u64(m, 0, addr + ps, &v, MMU_USER), 0);
		assert_int_equal(v, 0);
		assert_counts(m, &c0, 0, 2, 2, 1);
		assert_true(pgtable_walk(m, root.pgd, addr + ps, &w));
		for (unsigned int l = 0; l < w.nr_steps; l++)
			assert_true(w.step[l].val & _PAGE_ACCESSED);
		assert_false(w.step[w.nr_steps - 1].val & _PAGE_DIRTY);
		e = tlb_model_lookup(m, mmu_cpu(m, 0), addr + ps);
		assert_non_null(e);
		assert_int_equal(e->perm, TLB_USER | TLB_WRITE);

		/* A fault above the leaf level: the hook allocates the PTE table. */
		c0 = counts(m);
		assert_int_equal(mmu_store_u64(m, 0, addr + far, 7, MMU_USER), 0);
		assert_int_equal(hook_calls, 3);
		assert_counts(m, &c0, 0, 2, 2, 1);

		mmu_set_fault_hook(m, NULL, NULL);
		pt_unmap_page(m, &root, addr, hook_pages[0]);
		pt_unmap_page(m, &root, addr + ps, hook_pages[1]);
		pt_unmap_page(m, &root, addr + far, hook_pages[2]);
		__free_pages(m, neighbour, 0);
		pgd_free(m, &root);
		assert_true(pgtable_check_all(m));
		tuxmm_machine_destroy(m);
	}
}

/* A hook that maps the page and, on its first call, takes RW away one level up. */
static vm_fault_t map_and_revoke_upper_rw(struct machine *m, const struct pt_fault *f)
{
	unsigned long page = f->addr & ~(m->page_size - 1);
	struct pt_walk w;

	hook_error = f->error_code;
	if (hook_calls++ == 0) {
		hook_pages[0] = pt_map_page(m, f->root, page, URW);
		assert_true(pgtable_walk(m, f->root->pgd, page, &w));
		*w.step[w.nr_steps - 2].entry &= ~_PAGE_RW;
	} else {
		assert_true(pgtable_walk(m, f->root->pgd, page, &w));
		*w.step[w.nr_steps - 2].entry |= _PAGE_RW;
	}
	return 0;
}

/* The retry checks again the levels above the leaf: what the hook changed there counts. */
static void fault_retry_sees_upper_levels_the_hook_changed(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x40000000;
	struct pgd_root root;
	struct mmu_counts c0;
	struct page *neighbour;
	uint64_t v = 0;

	pt_new_space(m, &root, 0);
	neighbour = pt_map_page(m, &root, addr + m->page_size, URW);
	hook_calls = 0;
	mmu_set_fault_hook(m, map_and_revoke_upper_rw, NULL);
	c0 = counts(m);
	assert_int_equal(mmu_store_u64(m, 0, addr, 5, MMU_USER), 0);
	/* First retry: the leaf is writable but the PMD is not, a protection fault. */
	assert_int_equal(hook_calls, 2);
	assert_int_equal(hook_error, X86_PF_PROT | X86_PF_USER | X86_PF_WRITE);
	assert_counts(m, &c0, 0, 3, 3, 2);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	assert_int_equal(v, 5);
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &root, addr, hook_pages[0]);
	pt_unmap_page(m, &root, addr + m->page_size, neighbour);
	pgd_free(m, &root);
}

/*
 * A hook that moves the PTE table: a copy in a new page, with the faulting
 * address mapped there only, and the entry above pointed at it. The old
 * table still has nothing at the address.
 */
static struct page *moved_table, *old_table;
static pteval_t *moved_upper;

static vm_fault_t map_in_a_moved_table(struct machine *m, const struct pt_fault *f)
{
	unsigned long page = f->addr & ~(m->page_size - 1);
	struct pt_walk w;
	pteval_t *table;

	hook_calls++;
	assert_true(pgtable_walk(m, f->root->pgd, page + m->page_size, &w));
	moved_upper = w.step[w.nr_steps - 2].entry;
	old_table = pfn_to_page(m, (unsigned long)((*moved_upper & PTE_ADDR_MASK) >> m->page_shift));
	moved_table = alloc_pages(m, GFP_KERNEL, 0);
	assert_non_null(moved_table);
	memcpy(page_address(m, moved_table), page_address(m, old_table), m->page_size);
	hook_pages[0] = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	table = page_address(m, moved_table);
	table[w.step[w.nr_steps - 1].index - 1] = page_to_phys(m, hook_pages[0]) | URW;
	*moved_upper = (*moved_upper & ~PTE_ADDR_MASK) | page_to_phys(m, moved_table);
	return 0;
}

/* After an upper entry changed, the retry follows its new value, not the old table. */
static void fault_retry_follows_a_moved_table(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x40000000;
	struct pgd_root root;
	struct mmu_counts c0;
	struct page *neighbour;
	uint64_t v = 0;

	pt_new_space(m, &root, 0);
	neighbour = pt_map_page(m, &root, addr + m->page_size, URW);
	hook_calls = 0;
	mmu_set_fault_hook(m, map_in_a_moved_table, NULL);
	c0 = counts(m);
	assert_int_equal(mmu_store_u64(m, 0, addr, 9, MMU_USER), 0);
	assert_int_equal(hook_calls, 1);
	assert_counts(m, &c0, 0, 2, 2, 1);
	assert_int_equal(*(uint64_t *)page_address(m, hook_pages[0]), 9);
	assert_true(((pteval_t *)page_address(m, moved_table))[pte_index(m, addr)] & _PAGE_DIRTY);
	assert_int_equal(mmu_load_u64(m, 0, addr + m->page_size, &v, MMU_USER), 0);
	/* Put the old table back before tearing down, and free what the hook made. */
	*moved_upper = (*moved_upper & ~PTE_ADDR_MASK) | page_to_phys(m, old_table);
	flush_tlb_mm(m, &root);
	__free_pages(m, moved_table, 0);
	__free_pages(m, hook_pages[0], 0);
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &root, addr + m->page_size, neighbour);
	pgd_free(m, &root);
}

/* A hook that resolves nothing but loads another address space (as a task switch would). */
static struct pgd_root *switch_to;

static vm_fault_t switch_cr3(struct machine *m, const struct pt_fault *f)
{
	hook_calls++;
	switch_mm(m, f->cpu, switch_to);
	return 0;
}

/* A retry after CR3 changed walks the new tables from the top. */
static void fault_retry_walks_from_a_new_cr3(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x40000000;
	struct pgd_root a, b;
	struct page *na, *pb;
	uint64_t v = 0;

	assert_int_equal(pgd_alloc(m, &a), 0);
	assert_int_equal(pgd_alloc(m, &b), 0);
	na = pt_map_page(m, &a, addr + m->page_size, URW);	/* a's path down to the PTE table */
	pb = pt_map_page(m, &b, addr, URW);
	*(uint64_t *)page_address(m, pb) = 0xb;
	switch_mm(m, 0, &a);
	switch_to = &b;
	hook_calls = 0;
	mmu_set_fault_hook(m, switch_cr3, NULL);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(v, 0xb);
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &a, addr + m->page_size, na);
	pt_unmap_page(m, &b, addr, pb);
	pgd_free(m, &a);
	pgd_free(m, &b);
}

/* A hook that maps the page and reads it in uaccess mode on the faulting CPU (copy_from_user). */
static vm_fault_t map_and_read_it(struct machine *m, const struct pt_fault *f)
{
	uint64_t v;

	map_on_fault(m, f);
	assert_int_equal(mmu_load_u64(m, f->cpu, f->addr, &v, MMU_UACCESS), 0);
	return 0;
}

/*
 * What the hook put in the TLB is there for the retry: a write through the
 * clean entry the hook's read filled is a hit followed by the dirty-bit walk.
 */
static void fault_retry_hits_what_the_hook_filled(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x40000000;
	struct pgd_root root;
	struct mmu_counts c0;
	struct tlb_entry *e;

	pt_new_space(m, &root, 0);
	hook_calls = 0;
	mmu_set_fault_hook(m, map_and_read_it, NULL);
	c0 = counts(m);
	assert_int_equal(mmu_store_u64(m, 0, addr, 3, MMU_USER), 0);
	assert_int_equal(hook_calls, 1);
	/* The write misses and faults; the hook's read misses and walks; the retry hits and walks for D. */
	assert_counts(m, &c0, 1, 2, 3, 1);
	e = tlb_model_lookup(m, mmu_cpu(m, 0), addr);
	assert_non_null(e);
	assert_true(e->perm & TLB_DIRTY);
	assert_true(pte_dirty(ptep_get(pgtable_lookup_pte(m, root.pgd, addr))));
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &root, addr, hook_pages[0]);
	pgd_free(m, &root);
}

/* A hook that makes the faulting address's read-only leaf writable, without a flush. */
static vm_fault_t make_writable(struct machine *m, const struct pt_fault *f)
{
	pte_t *pte = pgtable_lookup_pte(m, f->root->pgd, f->addr);

	hook_calls++;
	hook_error = f->error_code;
	set_pte(pte, __pte(pte_val(ptep_get(pte)) | _PAGE_RW));
	return 0;
}

/*
 * A write through a cached read-only translation: the entry is dropped, the
 * walk faults, the hook upgrades the leaf, the retry fills a writable entry.
 */
static void write_fault_on_a_cached_read_only_page(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x40000000;
	struct pgd_root root;
	struct mmu_counts c0;
	struct page *page;
	struct tlb_entry *e;
	uint64_t v;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, _PAGE_PRESENT | _PAGE_USER | _PAGE_NX);
	assert_int_equal(mmu_load_u64(m, 0, addr, &v, MMU_USER), 0);
	assert_int_equal(tlb_model_lookup(m, mmu_cpu(m, 0), addr)->perm, TLB_USER);
	hook_calls = 0;
	mmu_set_fault_hook(m, make_writable, NULL);
	c0 = counts(m);
	assert_int_equal(mmu_store_u64(m, 0, addr, 4, MMU_USER), 0);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_error, X86_PF_PROT | X86_PF_USER | X86_PF_WRITE);
	assert_counts(m, &c0, 0, 2, 2, 1);
	e = tlb_model_lookup(m, mmu_cpu(m, 0), addr);
	assert_non_null(e);
	assert_int_equal(e->perm, TLB_USER | TLB_WRITE | TLB_DIRTY);
	assert_int_equal(*(uint64_t *)page_address(m, page), 4);
	mmu_set_fault_hook(m, NULL, NULL);
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
}

static void copy_user_helpers_return_what_was_not_copied(void **state)
{
	struct machine *m = *state;
	unsigned long ps = m->page_size, base = 0x1000000;
	struct page *p0, *p1, *ro;
	unsigned long oops_before = oopses(m);
	struct pgd_root root;
	uint8_t buf[200];
	char str[32];
	uint64_t v;

	pt_new_space(m, &root, 0);
	p0 = pt_map_page(m, &root, base, URW);
	p1 = pt_map_page(m, &root, base + ps, URW);
	ro = pt_map_page(m, &root, base + 3 * ps, _PAGE_PRESENT | _PAGE_USER);
	memset(page_address(m, p1), 'x', ps);
	memcpy(page_address(m, p0), "hello\0", 6);

	/* 50 bytes readable before the hole at base + 2 pages. */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(copy_from_user(m, 0, buf, base + 2 * ps - 50, 100), 50);
	for (int i = 0; i < 50; i++)
		assert_int_equal(buf[i], 'x');
	for (int i = 50; i < 100; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[100], 0xee);
	assert_int_equal(copy_from_user(m, 0, buf, base, 6), 0);
	assert_string_equal((char *)buf, "hello");

	assert_int_equal(copy_to_user(m, 0, base + 10, "abc", 3), 0);
	assert_memory_equal((uint8_t *)page_address(m, p0) + 10, "abc", 3);
	assert_int_equal(copy_to_user(m, 0, base + 3 * ps, "abc", 3), 3);	/* read-only */
	/* Kernel addresses fail access_ok(): nothing is touched. */
	assert_int_equal(copy_to_user(m, 0, phys_to_kva(m, 0x1000), "abc", 3), 3);
	assert_int_equal(copy_from_user(m, 0, buf, m->arch.layout.task_size - 2, 4), 4);
	assert_int_equal(clear_user(m, 0, base + 10, 3), 0);
	assert_int_equal(((uint8_t *)page_address(m, p0))[10], 0);

	assert_int_equal(strncpy_from_user(m, 0, str, base, sizeof(str)), 5);
	assert_string_equal(str, "hello");
	assert_int_equal(strncpy_from_user(m, 0, str, base + 2 * ps, sizeof(str)), -EFAULT);
	assert_int_equal(put_user_u64(m, 0, 77, base + 64), 0);
	assert_int_equal(get_user_u64(m, 0, &v, base + 64), 0);
	assert_int_equal(v, 77);
	assert_int_equal(get_user_u64(m, 0, &v, base + 2 * ps), -EFAULT);
	/* None of that oopsed: faults in uaccess are fixed up. */
	assert_int_equal(oopses(m), oops_before);

	pt_unmap_page(m, &root, base, p0);
	pt_unmap_page(m, &root, base + ps, p1);
	pt_unmap_page(m, &root, base + 3 * ps, ro);
	pgd_free(m, &root);
}

static void accesses_cross_page_boundaries(void **state)
{
	struct machine *m = *state;
	unsigned long ps = m->page_size, base = 0x2000000;
	struct pgd_root root;
	struct page *p0, *p1;
	uint8_t out[16], in[16];
	uint64_t v;

	pt_new_space(m, &root, 0);
	p0 = pt_map_page(m, &root, base, URW);
	p1 = pt_map_page(m, &root, base + ps, URW);
	for (int i = 0; i < 16; i++)
		out[i] = (uint8_t)(i + 1);
	assert_int_equal(mmu_write(m, 0, base + ps - 8, out, 16, MMU_USER), 0);
	assert_memory_equal((uint8_t *)page_address(m, p0) + ps - 8, out, 8);
	assert_memory_equal(page_address(m, p1), out + 8, 8);
	assert_int_equal(mmu_read(m, 0, base + ps - 8, in, 16, MMU_USER), 0);
	assert_memory_equal(in, out, 16);
	/* A misaligned 8-byte load across the boundary takes the slow path. */
	assert_int_equal(mmu_load_u64(m, 0, base + ps - 3, &v, MMU_USER), 0);
	assert_memory_equal(&v, out + 5, 8);
	/* Into a hole: the fault names the second page. */
	assert_int_equal(mmu_load_u64(m, 0, base + 2 * ps - 4, &v, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->cr2, base + 2 * ps);
	pt_unmap_page(m, &root, base, p0);
	pt_unmap_page(m, &root, base + ps, p1);
	pgd_free(m, &root);
}

static void large_leaves_translate_every_byte(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.ram_bytes = 5ULL << 30;	/* 1 GiB leaves above 4 GiB */
	m = test_boot_cfg(&cfg);
	for (phys_addr_t pa = 0x200008; pa < m->phys_size; pa += 0x3ff00000) {
		uint64_t v = pa * 3;
		uint64_t got;

		if (pa >= 0xc0000000ULL && pa < 0x100000000ULL)
			continue;	/* the PCI hole */
		assert_int_equal(mmu_store_u64(m, 0, phys_to_kva(m, pa), v, MMU_KERNEL), 0);
		memcpy(&got, m->ram + pa, 8);
		assert_int_equal(got, v);
		assert_int_equal(mmu_load_u64(m, 0, phys_to_kva(m, pa), &got, MMU_KERNEL), 0);
		assert_int_equal(got, v);
	}
	tuxmm_machine_destroy(m);
}

/* ---- the default geometry's walk against the general one ---- */

#define CMP_PAGES 96
#define CMP_STEPS 20000
#define CMP_FIXABLE _PAGE_SOFTW4	/* the hook makes this leaf present and writable */

/* A handler's fix of a marked leaf: present and writable, then INVLPG, as do_wp_page() does. */
static vm_fault_t fix_marked_leaf(struct machine *m, const struct pt_fault *f)
{
	pte_t *pte = pgtable_lookup_pte(m, f->root->pgd, f->addr);

	if (!pte || !(pte_val(ptep_get(pte)) & CMP_FIXABLE))
		return VM_FAULT_SIGSEGV;
	set_pte(pte, __pte((pte_val(ptep_get(pte)) & ~CMP_FIXABLE) | _PAGE_PRESENT | _PAGE_RW));
	flush_tlb_page(m, f->root, f->addr & ~(m->page_size - 1));
	return 0;
}

/* Test page @i: three 1 GiB regions, four PTE tables in each, eight pages in each table. */
static unsigned long cmp_addr(struct machine *m, unsigned int i)
{
	return 0x400000UL + (i % 3) * 0x40000000UL + ((i / 3) % 4) * 0x200000UL +
	       (i / 12) * m->page_size;
}

/* Map the test pages with flags drawn from @rng: machines given the same seed get the same. */
static void cmp_setup(struct machine *m, struct pgd_root *root, struct page **pages,
		      uint64_t rng)
{
	pt_new_space(m, root, 0);
	mmu_set_fault_hook(m, fix_marked_leaf, NULL);
	for (unsigned int i = 0; i < CMP_PAGES; i++) {
		uint64_t r = test_rand(&rng);
		pteval_t prot = _PAGE_PRESENT;
		struct pt_walk w;
		pteval_t *leaf, *upper;

		prot |= (r & 7) ? _PAGE_USER : 0;
		prot |= (r & 8) ? _PAGE_RW : 0;
		prot |= (r & 16) ? _PAGE_NX : 0;
		prot |= (r & 0x60) == 0x60 ? _PAGE_DIRTY : 0;
		prot |= (r & 0x180) != 0x180 ? _PAGE_ACCESSED : 0;
		prot |= (r & 0xe00) == 0xe00 ? _PAGE_GLOBAL : 0;
		prot |= !(prot & _PAGE_RW) && (r & 0x1000) ? CMP_FIXABLE : 0;
		pages[i] = pt_map_page(m, root, cmp_addr(m, i), prot);
		assert_true(pgtable_walk(m, root->pgd, cmp_addr(m, i), &w));
		leaf = w.step[w.nr_steps - 1].entry;
		upper = w.step[w.nr_steps - 2].entry;
		if ((r & 0xe000) == 0xe000 && (prot & CMP_FIXABLE))
			*leaf &= ~_PAGE_PRESENT;
		if ((r & 0x1f0000) == 0x1f0000)
			*leaf |= 1ULL << 51;	/* reserved: above MAXPHYADDR */
		switch ((r >> 21) & 63) {	/* the entry above, shared by eight pages */
		case 0:
			*upper &= ~_PAGE_USER;
			break;
		case 1:
			*upper &= ~_PAGE_RW;
			break;
		case 2:
			*upper |= _PAGE_NX;
			break;
		case 3:
			*w.step[0].entry &= ~_PAGE_ACCESSED;
			break;
		}
	}
}

struct cmp_outcome {
	vm_fault_t ret;
	unsigned long cr2, error_code;
};

/*
 * One step drawn from @r: an access (to a test page, to an unmapped page, or
 * in the kernel to a test page's frame through the direct map's large
 * leaves), a flush, or an A bit cleared.
 */
static struct cmp_outcome cmp_step(struct machine *m, struct pgd_root *root, struct page **pages,
				   uint64_t r)
{
	unsigned int i = (unsigned int)(r >> 8) % CMP_PAGES;
	unsigned long addr = cmp_addr(m, i) + ((r >> 16) & (m->page_size - 8));
	/* Mostly user reads and writes, so that the TLB also hits. */
	enum mmu_mode mode = (r >> 28) & 3 ? MMU_USER : (r >> 30) & 1 ? MMU_KERNEL : MMU_UACCESS;
	enum mmu_access acc = (r >> 32) & 7 ? (enum mmu_access)((r >> 35) & 1) : MMU_FETCH;
	struct mmu_cpu *c = mmu_cpu(m, 0);
	struct cmp_outcome out;

	switch (r & 63) {
	case 0:
		flush_tlb_page(m, root, cmp_addr(m, i));
		return (struct cmp_outcome){ 0 };
	case 1:
		if (!((r >> 40) & 7))
			flush_tlb_mm(m, root);
		return (struct cmp_outcome){ 0 };
	case 2:
	case 3:
		ptep_test_and_clear_young(pgtable_lookup_pte(m, root->pgd, cmp_addr(m, i)));
		return (struct cmp_outcome){ 0 };
	case 4:
		addr += 0x10000000UL;	/* nothing mapped there */
		break;
	case 5:
	case 6:
		addr = page_to_kva(m, pages[i]) + (addr & (m->page_size - 1));
		mode = MMU_KERNEL;
		break;
	}
	c->cr2 = c->error_code = 0;
	out.ret = do_access(m, addr, acc, mode);
	out.cr2 = c->cr2;
	out.error_code = c->error_code;
	return out;
}

/* Everything the two MMUs did must be the same: counters, entries' bits, TLB contents. */
static void cmp_machines(struct machine *a, struct pgd_root *ra, struct machine *b,
			 struct pgd_root *rb)
{
	struct mmu_cpu *ca = mmu_cpu(a, 0), *cb = mmu_cpu(b, 0);
	unsigned long n = (unsigned long)a->arch.tlb_sets * a->arch.tlb_ways;

	assert_memory_equal(&ca->stats, &cb->stats, sizeof(ca->stats));
	assert_int_equal(ca->fast_hits, cb->fast_hits);
	assert_int_equal(a->arch.nr_page_faults, b->arch.nr_page_faults);
	assert_int_equal(a->arch.nr_oops, b->arch.nr_oops);
	assert_memory_equal(ca->tags, cb->tags, n * sizeof(*ca->tags));
	for (unsigned long i = 0; i < n; i++) {
		if (!ca->tags[i])
			continue;
		assert_int_equal(ca->model[i].phys, cb->model[i].phys);
		assert_int_equal(ca->model[i].shift, cb->model[i].shift);
		assert_int_equal(ca->model[i].perm, cb->model[i].perm);
		assert_int_equal(ca->model[i].fast_modes, cb->model[i].fast_modes);
	}
	for (int mode = 0; mode < MMU_NR_MODES; mode++) {
		for (unsigned int i = 0; i < TLB_FAST_SIZE; i++) {
			const struct tlb_fast_entry *fa = &ca->fast[mode][i], *fb = &cb->fast[mode][i];

			assert_int_equal(fa->addr_read, fb->addr_read);
			assert_int_equal(fa->addr_write, fb->addr_write);
			assert_int_equal(fa->addr_code, fb->addr_code);
			if ((fa->addr_read & fa->addr_write & fa->addr_code) != TLB_FAST_INVALID)
				assert_int_equal(fa->addend - (uintptr_t)a->ram,
						 fb->addend - (uintptr_t)b->ram);
		}
	}
	for (unsigned int i = 0; i < CMP_PAGES; i++) {
		struct pt_walk wa, wb;

		pgtable_walk(a, ra->pgd, cmp_addr(a, i), &wa);
		pgtable_walk(b, rb->pgd, cmp_addr(b, i), &wb);
		assert_int_equal(wa.nr_steps, wb.nr_steps);
		for (unsigned int s = 0; s < wa.nr_steps; s++)
			assert_int_equal(wa.step[s].val, wb.step[s].val);
	}
}

/*
 * The default geometry (x86-64 4-level, 4 KiB pages) has a walk of its own,
 * compiled for its constant levels. Two identical machines, one made to use
 * the general walk, run the same random accesses, faults, fixes and flushes
 * over entries with every right, A and D state, absent and reserved bits:
 * each access ends the same, and so do the counters, the A and D bits of
 * every level and the TLBs' contents, with the default TLB and a small one.
 */
static void default_geometry_walk_matches_the_general_walk(void **state)
{
	static const unsigned int tlbs[][2] = { { 0, 0 }, { 64, 4 } };
	uint64_t seed = test_seed();

	(void)state;
	print_message("walk comparison seed %#llx\n", (unsigned long long)seed);
	for (size_t t = 0; t < sizeof(tlbs) / sizeof(tlbs[0]); t++) {
		struct page *pages[2][CMP_PAGES];
		struct machine *m[2];
		struct pgd_root root[2];
		uint64_t rng = seed;

		for (int k = 0; k < 2; k++) {
			struct tuxmm_config cfg;

			tuxmm_config_init(&cfg);
			cfg.tlb_entries = tlbs[t][0];
			cfg.tlb_ways = tlbs[t][1];
			m[k] = test_boot_cfg(&cfg);
			cmp_setup(m[k], &root[k], pages[k], seed);
		}
		assert_true(mmu_cpu(m[0], 0)->geometry_is_default);
		mmu_cpu(m[1], 0)->geometry_is_default = false;
		for (unsigned int n = 0; n < CMP_STEPS; n++) {
			uint64_t r = test_rand(&rng);
			struct cmp_outcome oa = cmp_step(m[0], &root[0], pages[0], r);
			struct cmp_outcome ob = cmp_step(m[1], &root[1], pages[1], r);

			if (oa.ret != ob.ret || oa.cr2 != ob.cr2 || oa.error_code != ob.error_code)
				fail_msg("step %u (r %#llx): %s cr2 %#lx error %#lx against %s cr2 "
					 "%#lx error %#lx", n, (unsigned long long)r,
					 mmu_fault_name(oa.ret), oa.cr2, oa.error_code,
					 mmu_fault_name(ob.ret), ob.cr2, ob.error_code);
		}
		cmp_machines(m[0], &root[0], m[1], &root[1]);
		for (int k = 0; k < 2; k++) {
			mmu_set_fault_hook(m[k], NULL, NULL);
			for (unsigned int i = 0; i < CMP_PAGES; i++)
				pt_unmap_page(m[k], &root[k], cmp_addr(m[k], i), pages[k][i]);
			pgd_free(m[k], &root[k]);
			assert_true(pgtable_check_all(m[k]));
			tuxmm_machine_destroy(m[k]);
		}
	}
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);

		assert_int_equal(mmu_cpu(m, 0)->geometry_is_default,
				 pt_layouts[i].levels == 4 && pt_layouts[i].page_shift == 12);
		tuxmm_machine_destroy(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(permission_matrix_follows_x86_rules),
		cmocka_unit_test_setup_teardown(not_present_faults_carry_x86_error_codes,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(walk_sets_accessed_and_dirty_bits,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(kernel_write_to_readonly_page_faults,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fetch_from_no_execute_page_faults,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(user_access_to_every_kind_of_kernel_address_faults),
		cmocka_unit_test_setup_teardown(reserved_bit_faults_with_rsvd,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(non_canonical_address_is_a_general_protection_fault,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(leaf_outside_ram_is_a_bus_error,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fault_hook_sees_cr2_and_error_code_and_can_fix,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fault_hook_outcomes_reach_the_caller,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(fault_retry_sets_bits_and_counts_as_a_full_walk),
		cmocka_unit_test_setup_teardown(fault_retry_sees_upper_levels_the_hook_changed,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fault_retry_follows_a_moved_table,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fault_retry_walks_from_a_new_cr3,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(fault_retry_hits_what_the_hook_filled,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(write_fault_on_a_cached_read_only_page,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(copy_user_helpers_return_what_was_not_copied,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(accesses_cross_page_boundaries,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(large_leaves_translate_every_byte),
		cmocka_unit_test(default_geometry_walk_matches_the_general_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
