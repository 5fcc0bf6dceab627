/*
 * test_tlb.c - the per-CPU TLB: stale entries stay in use until flushed,
 * permission upgrades need no flush, CR3 switches keep global kernel entries,
 * flush_tlb_one/range/mm/all, shootdown IPIs, the set-associative model's
 * FIFO replacement, and the hit/miss/walk counters.
 */
#include <stdlib.h>
#include <string.h>

#include "pt_test.h"
#include "mmu.h"
#include "report.h"
#include "tlb.h"
#include "vmalloc.h"

#define URW (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX)

static uint64_t read_user(struct machine *m, unsigned int cpu, unsigned long addr)
{
	uint64_t v = 0;

	assert_int_equal(mmu_load_u64(m, cpu, addr, &v, MMU_USER), 0);
	return v;
}

static void set_word(struct machine *m, struct page *page, uint64_t v)
{
	memcpy(page_address(m, page), &v, sizeof(v));
}

static void stale_entry_is_used_until_flushed(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x400000;
	struct pgd_root root;
	struct page *a, *b = alloc_pages(m, GFP_KERNEL, 0);
	pte_t *pte;

	pt_new_space(m, &root, 0);
	a = pt_map_page(m, &root, addr, URW);
	set_word(m, a, 0xaaaa);
	set_word(m, b, 0xbbbb);
	assert_int_equal(read_user(m, 0, addr), 0xaaaa);
	/* Point the PTE at b without a flush: the CPU keeps translating to a. */
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	set_pte(pte, pfn_pte(m, page_to_pfn(m, b), __pgprot(URW)));
	assert_int_equal(read_user(m, 0, addr), 0xaaaa);
	assert_true(tlb_holds_pfn(m, page_to_pfn(m, a)));
	flush_tlb_page(m, &root, addr);
	assert_int_equal(read_user(m, 0, addr), 0xbbbb);
	assert_false(tlb_holds_pfn(m, page_to_pfn(m, a)));
	pgtable_unmap_range(m, &root, addr, m->page_size);
	__free_pages(m, a, 0);
	__free_pages(m, b, 0);
	pgd_free(m, &root);
}

static struct page *hook_page;

/* A handler's fix: map the page, then INVLPG it, as do_wp_page() does. */
static vm_fault_t map_and_flush_on_fault(struct machine *m, const struct pt_fault *f)
{
	unsigned long page_addr = f->addr & ~(m->page_size - 1);

	hook_page = pt_map_page(m, f->root, page_addr, URW);
	flush_tlb_page(m, f->root, page_addr);
	return 0;
}

static void handler_invlpg_counts_and_drops_later_fills(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x400000;
	struct mmu_cpu *c = mmu_cpu(m, 0);
	struct page *b = alloc_pages(m, GFP_KERNEL, 0);
	unsigned long flushes = c->stats.flush_one;
	struct pgd_root root;
	pte_t *pte;

	pt_new_space(m, &root, 0);
	mmu_set_fault_hook(m, map_and_flush_on_fault, NULL);
	read_user(m, 0, addr);
	/* The handler's INVLPG counts although the #PF left nothing to drop. */
	assert_int_equal(c->stats.flush_one - flushes, 1);
	assert_true(tlb_holds_pfn(m, page_to_pfn(m, hook_page)));
	set_word(m, hook_page, 0xaaaa);
	set_word(m, b, 0xbbbb);
	/* The retry filled an entry for the faulting page: a later INVLPG must drop it. */
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	set_pte(pte, pfn_pte(m, page_to_pfn(m, b), __pgprot(URW)));
	assert_int_equal(read_user(m, 0, addr), 0xaaaa);
	flush_tlb_page(m, &root, addr);
	assert_int_equal(c->stats.flush_one - flushes, 2);
	assert_false(tlb_holds_pfn(m, page_to_pfn(m, hook_page)));
	assert_int_equal(read_user(m, 0, addr), 0xbbbb);
	mmu_set_fault_hook(m, NULL, NULL);
	pgtable_unmap_range(m, &root, addr, m->page_size);
	__free_pages(m, hook_page, 0);
	__free_pages(m, b, 0);
	pgd_free(m, &root);
}

static void stale_writable_entry_allows_writes_until_flushed(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x400000;
	struct pgd_root root;
	struct page *page;
	pte_t *pte;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, URW);
	assert_int_equal(mmu_store_u64(m, 0, addr, 1, MMU_USER), 0);
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	ptep_set_wrprotect(pte);
	/* Without the flush the cached writable translation still works: a COW bug. */
	assert_int_equal(mmu_store_u64(m, 0, addr, 2, MMU_USER), 0);
	flush_tlb_page(m, &root, addr);
	assert_int_equal(mmu_store_u64(m, 0, addr, 3, MMU_USER), VM_FAULT_SIGSEGV);
	assert_int_equal(read_user(m, 0, addr), 2);
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
}

static void permission_upgrade_needs_no_flush(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x400000, faults;
	struct pgd_root root;
	struct page *page;
	pte_t *pte;

	pt_new_space(m, &root, 0);
	page = pt_map_page(m, &root, addr, _PAGE_PRESENT | _PAGE_USER);
	read_user(m, 0, addr);
	pte = pgtable_lookup_pte(m, root.pgd, addr);
	set_pte(pte, pte_mkwrite(ptep_get(pte)));
	faults = m->arch.nr_page_faults;
	/* The cached read-only entry is dropped and the walk finds the new right. */
	assert_int_equal(mmu_store_u64(m, 0, addr, 5, MMU_USER), 0);
	assert_int_equal(m->arch.nr_page_faults, faults);
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
}

static void cr3_switch_keeps_global_kernel_entries(void **state)
{
	struct machine *m = *state;
	unsigned long addr = 0x400000, kva = vmalloc(m, m->page_size);
	struct pgd_root a, b;
	struct page *pa, *pb;
	struct tlb_stats s0, s1;
	uint64_t v;

	assert_int_equal(pgd_alloc(m, &a), 0);
	assert_int_equal(pgd_alloc(m, &b), 0);
	pa = pt_map_page(m, &a, addr, URW);
	pb = pt_map_page(m, &b, addr, URW);
	set_word(m, pa, 1);
	set_word(m, pb, 2);
	switch_mm(m, 0, &a);
	assert_int_equal(read_user(m, 0, addr), 1);
	assert_int_equal(mmu_load_u64(m, 0, kva, &v, MMU_KERNEL), 0);
	switch_mm(m, 0, &b);
	tlb_stats_sum(m, &s0);
	/* The user entry went with CR3; the global vmalloc one stayed. */
	assert_int_equal(read_user(m, 0, addr), 2);
	assert_int_equal(mmu_load_u64(m, 0, kva, &v, MMU_KERNEL), 0);
	tlb_stats_sum(m, &s1);
	assert_int_equal(s1.walks - s0.walks, 1);
	assert_int_equal(s1.hits - s0.hits, 1);
	assert_int_equal(s1.cr3_switches, s0.cr3_switches);
	assert_int_equal(a.cpumask, 0);
	assert_int_equal(b.cpumask, 1);
	/* flush_tlb_all drops globals too. */
	flush_tlb_all(m);
	assert_int_equal(mmu_load_u64(m, 0, kva, &v, MMU_KERNEL), 0);
	tlb_stats_sum(m, &s0);
	assert_int_equal(s0.walks - s1.walks, 1);
	pt_unmap_page(m, &a, addr, pa);
	pt_unmap_page(m, &b, addr, pb);
	pgd_free(m, &a);
	pgd_free(m, &b);
	vfree(m, kva);
}

static void large_range_flush_flushes_everything(void **state)
{
	struct machine *m = *state;
	struct pgd_root root;
	struct tlb_stats s0, s1;

	pt_new_space(m, &root, 0);
	tlb_stats_sum(m, &s0);
	flush_tlb_range(m, &root, 0x400000, 0x400000 + 33 * m->page_size);
	tlb_stats_sum(m, &s1);
	assert_int_equal(s1.flush_one - s0.flush_one, 33);
	assert_int_equal(s1.flush_nonglobal, s0.flush_nonglobal);
	flush_tlb_range(m, &root, 0x400000, 0x400000 + 34 * m->page_size);
	tlb_stats_sum(m, &s0);
	assert_int_equal(s0.flush_one, s1.flush_one);
	assert_int_equal(s0.flush_nonglobal - s1.flush_nonglobal, 1);
	flush_tlb_kernel_range(m, m->arch.layout.vmalloc_start,
			       m->arch.layout.vmalloc_start + 100 * m->page_size);
	tlb_stats_sum(m, &s1);
	assert_int_equal(s1.flush_all - s0.flush_all, 1);
	pgd_free(m, &root);
}

static void shootdowns_reach_only_cpus_running_the_mm(void **state)
{
	struct machine *m = pt_boot(4, 12, 4);
	unsigned long addr = 0x400000;
	struct pgd_root root;
	struct page *page;
	struct tlb_stats s;

	(void)state;
	assert_int_equal(pgd_alloc(m, &root), 0);
	page = pt_map_page(m, &root, addr, URW);
	for (unsigned int cpu = 0; cpu < 3; cpu++) {
		switch_mm(m, cpu, &root);
		read_user(m, cpu, addr);
	}
	assert_int_equal(root.cpumask, 7);
	m->cur_cpu = 0;
	flush_tlb_page(m, &root, addr);
	assert_int_equal(mmu_cpu(m, 0)->stats.shootdowns, 1);
	assert_int_equal(mmu_cpu(m, 0)->stats.ipis_sent, 2);
	assert_int_equal(mmu_cpu(m, 1)->stats.ipis_received, 1);
	assert_int_equal(mmu_cpu(m, 2)->stats.ipis_received, 1);
	assert_int_equal(mmu_cpu(m, 3)->stats.ipis_received, 0);
	/* Every CPU that ran it lost the entry. */
	for (unsigned int cpu = 0; cpu < 3; cpu++)
		assert_null(tlb_model_lookup(m, mmu_cpu(m, cpu), addr));
	/* Kernel flushes go to everyone else. */
	m->cur_cpu = 3;
	flush_tlb_kernel_range(m, m->arch.layout.vmalloc_start,
			       m->arch.layout.vmalloc_start + m->page_size);
	assert_int_equal(mmu_cpu(m, 3)->stats.ipis_sent, 3);
	tlb_stats_sum(m, &s);
	assert_int_equal(s.ipis_sent, 5);
	assert_int_equal(s.ipis_received, 5);
	/* One CPU: nobody to interrupt. */
	m->cur_cpu = 0;
	for (unsigned int cpu = 1; cpu < 3; cpu++)
		switch_mm(m, cpu, &m->arch.init_mm);
	flush_tlb_mm(m, &root);
	assert_int_equal(mmu_cpu(m, 0)->stats.ipis_sent, 2);
	pt_unmap_page(m, &root, addr, page);
	pgd_free(m, &root);
	tuxmm_machine_destroy(m);
}

static void small_tlb_replaces_fifo_and_counts(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;
	struct pgd_root root;
	struct page *pages[5];
	struct tlb_stats s;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.tlb_entries = 4;
	cfg.tlb_ways = 4;	/* one set, four ways */
	m = test_boot_cfg(&cfg);
	pt_new_space(m, &root, 0);
	flush_tlb_all(m);
	memset(&mmu_cpu(m, 0)->stats, 0, sizeof(struct tlb_stats));
	mmu_cpu(m, 0)->fast_hits = 0;
	for (int i = 0; i < 5; i++)
		pages[i] = pt_map_page(m, &root, 0x400000 + i * m->page_size, URW);
	for (int i = 0; i < 5; i++)
		read_user(m, 0, 0x400000 + i * m->page_size);
	tlb_stats_sum(m, &s);
	assert_int_equal(s.misses, 5);
	assert_int_equal(s.evictions, 1);
	/* FIFO: the first page went first; the second is still cached. */
	assert_null(tlb_model_lookup(m, mmu_cpu(m, 0), 0x400000));
	assert_non_null(tlb_model_lookup(m, mmu_cpu(m, 0), 0x400000 + m->page_size));
	for (int rep = 0; rep < 100; rep++)
		read_user(m, 0, 0x400000 + 4 * m->page_size);
	tlb_stats_sum(m, &s);
	assert_int_equal(s.hits, 100);
	assert_int_equal(s.fast_hits, 100);
	assert_int_equal(s.misses, 5);
	assert_int_equal(s.walks, 5);
	/* The first write to a clean page walks once more to set the dirty bit. */
	assert_int_equal(mmu_store_u64(m, 0, 0x400000 + 4 * m->page_size, 1, MMU_USER), 0);
	assert_int_equal(mmu_store_u64(m, 0, 0x400000 + 4 * m->page_size, 2, MMU_USER), 0);
	tlb_stats_sum(m, &s);
	assert_int_equal(s.walks, 6);
	assert_int_equal(s.misses, 5);
	for (int i = 0; i < 5; i++)
		pt_unmap_page(m, &root, 0x400000 + i * m->page_size, pages[i]);
	pgd_free(m, &root);
	tuxmm_machine_destroy(m);
}

static void large_leaf_is_one_tlb_entry(void **state)
{
	struct machine *m = *state;
	struct tlb_stats s0, s1;
	uint64_t v;

	flush_tlb_all(m);
	tlb_stats_sum(m, &s0);
	/* 512 pages inside one 2 MiB direct-map leaf: one walk. */
	for (unsigned long off = 0; off < SZ_1M * 2; off += m->page_size)
		assert_int_equal(mmu_load_u64(m, 0, phys_to_kva(m, 0x2000000 + off), &v,
					      MMU_KERNEL), 0);
	tlb_stats_sum(m, &s1);
	assert_int_equal(s1.walks - s0.walks, 1);
	assert_int_equal(s1.hits - s0.hits, 511);
	/* INVLPG anywhere inside drops the whole leaf. */
	__flush_tlb_one(m, 0, phys_to_kva(m, 0x2000000 + 0x5000));
	assert_int_equal(mmu_load_u64(m, 0, phys_to_kva(m, 0x2000000), &v, MMU_KERNEL), 0);
	tlb_stats_sum(m, &s0);
	assert_int_equal(s0.walks - s1.walks, 1);
}

static void stats_report_lists_every_cpu(void **state)
{
	struct machine *m = pt_boot(4, 12, 2);
	struct report r;

	(void)state;
	report_init(&r);
	tlb_stats_show(m, &r);
	assert_non_null(strstr(r.buf, "tlb entries 1536 ways 12 sets 128 fast_entries 1024\n"));
	assert_non_null(strstr(r.buf, "\ncpu0 hits "));
	assert_non_null(strstr(r.buf, "\ncpu1 hits "));
	report_free(&r);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stale_entry_is_used_until_flushed,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(stale_writable_entry_allows_writes_until_flushed,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(handler_invlpg_counts_and_drops_later_fills,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(permission_upgrade_needs_no_flush,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(cr3_switch_keeps_global_kernel_entries,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(large_range_flush_flushes_everything,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(shootdowns_reach_only_cpus_running_the_mm),
		cmocka_unit_test(small_tlb_replaces_fifo_and_counts),
		cmocka_unit_test_setup_teardown(large_leaf_is_one_tlb_entry,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(stats_report_lists_every_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
