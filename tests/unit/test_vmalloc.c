/*
 * test_vmalloc.c - vmalloc, vzalloc, vfree, vmap and vunmap: memory through
 * the MMU, guard pages, lowest-address placement and merging of freed
 * ranges, /proc/vmallocinfo, the VmallocUsed/PageTables accounting, failure
 * injection and random sequences checked by vmalloc_check().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pt_test.h"
#include "mmu.h"
#include "printk.h"
#include "report.h"
#include "slab.h"
#include "vmalloc.h"

static unsigned long free_pages_now(struct machine *m)
{
	drain_all_pages(m);
	return nr_free_pages(m);
}

static void vmalloc_memory_is_usable_through_the_mmu(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_PT_LAYOUTS; i++) {
		struct machine *m = pt_boot(pt_layouts[i].levels, pt_layouts[i].page_shift, 1);
		unsigned long n = 5, size = n * m->page_size;
		unsigned long addr = vmalloc(m, size - 100);
		uint64_t v;

		assert_int_not_equal(addr, 0);
		assert_true(is_vmalloc_addr(m, addr));
		assert_int_equal(addr, m->arch.layout.vmalloc_start);
		for (unsigned long off = 0; off < size; off += 512)
			assert_int_equal(mmu_store_u64(m, 0, addr + off, off * 7, MMU_KERNEL), 0);
		for (unsigned long off = 0; off < size; off += 512) {
			assert_int_equal(vread(m, addr + off, &v, 8), 0);
			assert_int_equal(v, off * 7);
		}
		for (unsigned long p = 0; p < n; p++) {
			struct page *page = vmalloc_to_page(m, addr + p * m->page_size);

			assert_non_null(page);
			assert_true(PageFlag(page, PG_vmalloc));
			assert_ptr_equal(find_vm_area(m, addr + p * m->page_size)->pages[p], page);
		}
		assert_int_equal(vmalloc_used_pages(m), n);
		assert_true(vmalloc_check(m));
		vfree(m, addr);
		assert_int_equal(vmalloc_used_pages(m), 0);
		assert_true(vmalloc_check(m));
		assert_true(pgtable_check_all(m));
		tuxmm_machine_destroy(m);
	}
}

static void vzalloc_returns_zeroed_memory(void **state)
{
	struct machine *m = *state;
	unsigned long size = 8 * m->page_size, addr = vmalloc(m, size);
	uint8_t *buf = malloc(size);

	assert_non_null(buf);
	memset(buf, 0x5a, size);
	assert_int_equal(vwrite(m, addr, buf, size), 0);
	vfree(m, addr);
	addr = vzalloc(m, size);
	assert_int_equal(vread(m, addr, buf, size), 0);
	for (unsigned long i = 0; i < size; i++)
		assert_int_equal(buf[i], 0);
	vfree(m, addr);
	free(buf);
}

static void guard_page_after_each_area_faults(void **state)
{
	struct machine *m = *state;
	unsigned long a = vmalloc(m, 2 * m->page_size), b = vmalloc(m, m->page_size);
	uint8_t v;

	/* Each area is followed by an unmapped page, so b starts two pages after a's end. */
	assert_int_equal(b, a + 3 * m->page_size);
	assert_int_equal(find_vm_area(m, a)->size, 3 * m->page_size);
	assert_int_equal(mmu_load_u8(m, 0, a + 2 * m->page_size - 1, &v, MMU_KERNEL), 0);
	assert_int_equal(mmu_load_u8(m, 0, a + 2 * m->page_size, &v, MMU_KERNEL), VM_FAULT_SIGSEGV);
	assert_int_equal(mmu_cpu(m, 0)->cr2, a + 2 * m->page_size);
	assert_int_equal(mmu_cpu(m, 0)->error_code, 0);
	assert_non_null(strstr(tuxmm_dmesg(m), "#PF: error_code(0x0000) - not-present page"));
	assert_int_equal(vwrite(m, a + 2 * m->page_size - 4, "12345678", 8), -EFAULT);
	vfree(m, a);
	vfree(m, b);
}

static void freed_ranges_merge_and_lowest_address_wins(void **state)
{
	struct machine *m = *state;
	unsigned long ps = m->page_size, start = m->arch.layout.vmalloc_start;
	unsigned long a = vmalloc(m, ps), b = vmalloc(m, 3 * ps), c = vmalloc(m, ps);
	unsigned long d, e;

	assert_int_equal(a, start);
	assert_int_equal(b, start + 2 * ps);
	assert_int_equal(c, start + 6 * ps);
	vfree(m, b);
	/* A hole of 4 pages: a 1-page area (2 with its guard) fits at its bottom. */
	d = vmalloc(m, ps);
	assert_int_equal(d, b);
	e = vmalloc(m, 3 * ps);		/* 4 with the guard: no longer fits in the hole */
	assert_int_equal(e, start + 8 * ps);
	assert_true(vmalloc_check(m));
	vfree(m, a);
	vfree(m, c);
	vfree(m, d);
	vfree(m, e);
	/* Everything merged back into one free range. */
	assert_int_equal(m->vmap.nr_free_areas, 1);
	assert_int_equal(m->vmap.nr_busy, 0);
	assert_true(vmalloc_check(m));
}

static void vmallocinfo_has_linux_format(void **state)
{
	struct machine *m = *state;
	unsigned long a = vmalloc(m, 3 * m->page_size), b = vzalloc(m, 10000);
	struct page *pages[2] = { alloc_pages(m, GFP_KERNEL, 0), alloc_pages(m, GFP_KERNEL, 0) };
	unsigned long c = vmap(m, pages, 2, VM_MAP, PAGE_KERNEL);
	char *text = test_proc(m, "/proc/vmallocinfo");

	test_golden("vmallocinfo.txt", text);
	free(text);
	vfree(m, a);
	vfree(m, b);
	vunmap(m, c);
	__free_pages(m, pages[0], 0);
	__free_pages(m, pages[1], 0);
	text = test_proc(m, "/proc/vmallocinfo");
	assert_string_equal(text, "");
	free(text);
}

static void accounting_follows_vmalloc_and_vfree(void **state)
{
	struct machine *m = *state;
	long tables = global_node_page_state(m, NR_PAGETABLE);
	unsigned long a;

	assert_int_equal(vmalloc_total_kb(m), 34359738367UL);
	assert_int_equal(vmalloc_used_pages(m), 0);
	a = vmalloc(m, 100 * m->page_size);
	assert_int_equal(vmalloc_used_pages(m), 100);
	/* The first area needs a PMD table and a PTE table under the shared PUD. */
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), tables + 3);
	vfree(m, a);
	assert_int_equal(vmalloc_used_pages(m), 0);
	/* The PUD table hangs from a top-level entry every PGD shares: it stays. */
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), tables + 1);
	assert_true(pgtable_check_all(m));
}

static void vmap_maps_existing_pages_and_vunmap_keeps_them(void **state)
{
	struct machine *m = *state;
	struct page *pages[3];
	unsigned long addr;
	char buf[4];

	for (int i = 0; i < 3; i++) {
		pages[i] = alloc_pages(m, GFP_KERNEL, 0);
		memcpy(page_address(m, pages[i]), "abc", 3);
		((char *)page_address(m, pages[i]))[0] = (char)('0' + i);
	}
	addr = vmap(m, pages, 3, VM_MAP, PAGE_KERNEL);
	assert_int_not_equal(addr, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(mmu_read(m, 0, addr + i * m->page_size, buf, 3, MMU_KERNEL), 0);
		assert_int_equal(buf[0], '0' + i);
	}
	assert_int_equal(vmalloc_used_pages(m), 0);	/* vmap pages are not vmalloc's */
	vfree(m, addr);		/* wrong call: refused */
	assert_non_null(strstr(tuxmm_dmesg(m), "Trying to vfree() nonexistent vm area"));
	vunmap(m, addr);
	assert_null(vmalloc_to_page(m, addr));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(page_ref_count(pages[i]), 1);
		__free_pages(m, pages[i], 0);
	}
	vunmap(m, addr);
	assert_non_null(strstr(tuxmm_dmesg(m), "Trying to vunmap() nonexistent vm area"));
	assert_true(vmalloc_check(m));
}

static void too_large_vmalloc_fails_with_a_message(void **state)
{
	struct machine *m = *state;

	assert_int_equal(vmalloc(m, 2 * m->totalram_pages * m->page_size), 0);
	assert_non_null(strstr(tuxmm_dmesg(m), "vmalloc error: size"));
	assert_int_equal(vmalloc(m, 0), 0);
	assert_true(vmalloc_check(m));
}

static void failed_allocations_leave_nothing_behind(void **state)
{
	struct machine *m = *state;
	long tables = global_node_page_state(m, NR_PAGETABLE);
	unsigned long addr = 0;
	int n;

	/* Warm the slab caches and the kernel's top-level table so counts are stable. */
	vfree(m, vmalloc(m, 16 * m->page_size));
	tables = global_node_page_state(m, NR_PAGETABLE);
	for (n = 1; n < 200 && !addr; n++) {
		unsigned long free0 = free_pages_now(m);

		m->fail_page_alloc.fail_nth = (unsigned long)n;
		addr = vmalloc(m, 16 * m->page_size);
		m->fail_page_alloc.fail_nth = 0;
		assert_true(vmalloc_check(m));
		assert_true(pgtable_check_all(m));
		if (!addr) {
			assert_int_equal(vmalloc_used_pages(m), 0);
			assert_int_equal(global_node_page_state(m, NR_PAGETABLE), tables);
			assert_int_equal(free_pages_now(m), free0);
		}
	}
	assert_true(n > 2);
	assert_int_not_equal(addr, 0);
	vfree(m, addr);
}

static void random_vmalloc_vfree_keeps_trees_consistent(void **state)
{
	struct machine *m = *state;
	unsigned long addrs[64] = { 0 };
	uint64_t rng = test_seed();
	unsigned long free0;

	vfree(m, vmalloc(m, m->page_size));
	free0 = free_pages_now(m);
	for (int step = 0; step < 600; step++) {
		unsigned int slot = (unsigned int)(test_rand(&rng) % 64);

		if (addrs[slot]) {
			vfree(m, addrs[slot]);
			addrs[slot] = 0;
		} else {
			unsigned long pages = 1 + test_rand(&rng) % 24;

			addrs[slot] = test_rand(&rng) % 2 ? vmalloc(m, pages * m->page_size) :
							    vzalloc(m, pages * m->page_size - 7);
			assert_int_not_equal(addrs[slot], 0);
			assert_int_equal(mmu_store_u32(m, 0, addrs[slot], slot, MMU_KERNEL), 0);
		}
		if (step % 50 == 0) {
			assert_true(vmalloc_check(m));
			assert_true(pgtable_check_all(m));
		}
	}
	for (unsigned int slot = 0; slot < 64; slot++) {
		uint32_t v;

		if (!addrs[slot])
			continue;
		assert_int_equal(mmu_load_u32(m, 0, addrs[slot], &v, MMU_KERNEL), 0);
		assert_int_equal(v, slot);
		vfree(m, addrs[slot]);
	}
	assert_int_equal(m->vmap.nr_free_areas, 1);
	assert_true(vmalloc_check(m));
	assert_true(pgtable_check_all(m));
	kmem_cache_shrink(m->vmap.vmap_area_cachep);
	assert_true(free_pages_now(m) + 8 >= free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmalloc_memory_is_usable_through_the_mmu),
		cmocka_unit_test_setup_teardown(vzalloc_returns_zeroed_memory, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(guard_page_after_each_area_faults,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(freed_ranges_merge_and_lowest_address_wins,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(vmallocinfo_has_linux_format, test_setup_machine,
						test_teardown_machine),
		cmocka_unit_test_setup_teardown(accounting_follows_vmalloc_and_vfree,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(vmap_maps_existing_pages_and_vunmap_keeps_them,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(too_large_vmalloc_fails_with_a_message,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(failed_allocations_leave_nothing_behind,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(random_vmalloc_vfree_keeps_trees_consistent,
						test_setup_machine, test_teardown_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
