/*
 * test_shmem_swap.c - shared anonymous (shmem) pages on swap: reclaim moves
 * them to the swap cache and leaves a swap entry in the object's page cache
 * index; a fault in any task sharing them brings them back; counters as
 * Linux keeps them (meminfo Shmem, smaps Swap of the mapping, no VmSwap);
 * mincore through the swap cache; I/O errors; truncation freeing the slots;
 * swapoff; and pressure between forked tasks writing each other's pages.
 */
#include "swap_test.h"
#include "mm.h"
#include "pagemap.h"

#define SA (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

/* map_shared - @pages of shared anonymous memory at BASE + @at pages. */
static void map_shared(struct task_struct *t, unsigned long at, unsigned long pages)
{
	assert_int_equal(tuxmm_mmap(t, BASE + at * PG, pages * PG, RW, SA, -1, 0),
			 (long)(BASE + at * PG));
}

static struct address_space *shmem_of(struct task_struct *t, unsigned long at)
{
	struct vm_area_struct *vma = vma_lookup(t->mm, BASE + at * PG);

	assert_non_null(vma);
	assert_non_null(vma->vm_file);
	assert_true(shmem_mapping(vma->vm_file->f_mapping));
	return vma->vm_file->f_mapping;
}

/* proc_has - /proc/@pid/@file holds @text. */
static bool proc_has(struct machine *m, int pid, const char *file, const char *text)
{
	char path[64], *s;
	bool found;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	s = test_proc(m, path);
	found = strstr(s, text) != NULL;
	if (!found)
		print_message("%s lacks \"%s\":\n%s\n", path, text, s);
	free(s);
	return found;
}

/* Value entries: told apart from pages, round-tripping any swap entry, replaced in place. */
static void value_entries_live_beside_pages(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 0);
	struct machine *m = f->m;
	struct kmem_cache *cache = kmem_cache_create(m, "test_xa_node", sizeof(struct xa_node), 0,
						     0, NULL);
	swp_entry_t e = swp_entry(MAX_SWAPFILES - 1, (1UL << SWP_RADIX_OFFSET_BITS) - 1);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	unsigned long index, nodes, n = 0;
	struct xarray xa;
	void *entry;

	(void)state;
	assert_non_null(page);
	assert_false(xa_is_value(page));
	assert_true(xa_is_value(swp_to_radix_entry(e)));
	assert_int_equal(radix_to_swp_entry(swp_to_radix_entry(e)).val, e.val);
	e = swp_entry(3, 12345);
	assert_int_equal(radix_to_swp_entry(swp_to_radix_entry(e)).val, e.val);
	xa_init(&xa);
	assert_int_equal(xa_store(&xa, 70, page, cache, GFP_KERNEL), 0);
	assert_int_equal(xa_store(&xa, 5000, swp_to_radix_entry(e), cache, GFP_KERNEL), 0);
	assert_true(xa_check(&xa));
	xa_for_each_range(&xa, index, entry, 0, ~0UL, XA_PRESENT)
		n += xa_is_value(entry) ? 10 : 1;
	assert_int_equal(n, 11);
	/* A swap-in puts the page where the entry was: no node is allocated. */
	nodes = xa.nr_nodes;
	assert_int_equal(xa_store(&xa, 5000, page, cache, GFP_NOWAIT), 0);
	assert_int_equal(xa.nr_nodes, nodes);
	assert_ptr_equal(xa_load(&xa, 5000), page);
	xa_erase(&xa, 70, cache);
	xa_erase(&xa, 5000, cache);
	assert_true(xa_empty(&xa));
	put_page(m, page);
	kmem_cache_destroy(cache);
	swap_destroy(f);
}

static void pageout_leaves_swap_entries_in_the_index(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	struct address_space *mapping;

	(void)state;
	map_shared(t, 0, 64);
	fill_pages(t, 0, 64, 1);
	mapping = shmem_of(t, 0);
	assert_int_equal(meminfo_kb(m, "Shmem:"), 64 * 4);
	assert_int_equal(tuxmm_madvise(t, BASE, 64 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(vmev(m, "pswpout"), 64);
	assert_int_equal(mapping->nrpages, 0);
	assert_int_equal(mapping->host->swapped, 64);
	assert_true(xa_is_value(filemap_get_entry(mapping, 5)));
	assert_null(filemap_lookup(mapping, 5));
	/* The PTEs are cleared as a file page's: no swap PTE, no anonymous swap count. */
	assert_int_equal(swap_ptes(t, 0, 64), 0);
	assert_int_equal(pte_val(pte_at(t, BASE)), 0);
	assert_int_equal(rss(t, MM_SHMEMPAGES), 0);
	assert_int_equal(rss(t, MM_SWAPENTS), 0);
	assert_int_equal(meminfo_kb(m, "Shmem:"), 0);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_int_equal(meminfo_kb(m, "SwapFree:"), 16 * 1024 - 4 - 64 * 4);
	/* As Linux: smaps counts the mapping's swapped pages as Swap; VmSwap only swap PTEs. */
	assert_true(proc_has(m, 1, "smaps", "Swap:                256 kB"));
	assert_true(proc_has(m, 1, "smaps", "SwapPss:               0 kB"));
	assert_true(proc_has(m, 1, "status", "VmSwap:\t       0 kB"));
	assert_true(proc_has(m, 1, "status", "RssShmem:\t       0 kB"));
	check_all(m);

	/* fork shares the object: the child's fault brings the page back for both. */
	assert_int_equal(tuxmm_fork(t, &c), 0);
	check_pages(c, 0, 64, 1);
	assert_int_equal(vmev(m, "pswpin"), 64);
	assert_true(vmev(m, "pgmajfault") >= 8);
	assert_int_equal(mapping->host->swapped, 0);
	assert_int_equal(mapping->nrpages, 64);
	/* Swap-in frees the slot at once (shmem keeps no swap copy). */
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_int_equal(meminfo_kb(m, "SwapFree:"), 16 * 1024 - 4);
	assert_int_equal(meminfo_kb(m, "Shmem:"), 64 * 4);
	assert_true(proc_has(m, 2, "smaps", "Swap:                  0 kB"));
	check_pages(t, 0, 64, 1);
	assert_ptr_equal(page_at(t, BASE + 9 * PG), page_at(c, BASE + 9 * PG));
	/* Each sees the other's writes. */
	fill_pages(c, 0, 32, 2);
	fill_pages(t, 32, 32, 3);
	check_pages(t, 0, 32, 2);
	check_pages(c, 32, 32, 3);
	check_all(m);
	tuxmm_task_exit(c);
	check_all(m);
	swap_destroy(f);
}

static void pageout_from_one_task_then_the_other_reads(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;

	(void)state;
	map_shared(t, 0, 16);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	fill_pages(c, 0, 16, 4);
	/* Only the child maps the pages (fork copies no PTE of a shared area): it pages out. */
	assert_int_equal(tuxmm_madvise(c, BASE, 16 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(vmev(m, "pswpout"), 16);
	assert_int_equal(shmem_of(t, 0)->host->swapped, 16);
	check_all(m);
	check_pages(t, 0, 16, 4);
	fill_pages(t, 0, 16, 5);
	check_pages(c, 0, 16, 5);
	check_all(m);
	swap_destroy(f);
}

static void mincore_reports_the_swap_cache(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	unsigned char vec[16];
	unsigned int cached = 0;

	(void)state;
	map_shared(t, 0, 16);
	fill_pages(t, 0, 16, 6);
	assert_int_equal(tuxmm_madvise(t, BASE, 16 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_mincore(t, BASE, 16 * PG, vec), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(vec[i], 0);
	/* One fault reads its readahead window into the swap cache: those count as resident. */
	assert_int_equal(rd(t, BASE + 4 * PG), pat(6, 4, 0));
	assert_true(vmev(m, "swap_ra") > 0);
	assert_int_equal(tuxmm_mincore(t, BASE, 16 * PG, vec), 0);
	assert_int_equal(vec[4], 1);
	for (int i = 0; i < 16; i++) {
		void *entry = filemap_get_entry(shmem_of(t, 0), (pgoff_t)i);

		if (xa_is_value(entry)) {
			bool in_cache = lookup_swap_cache(m, radix_to_swp_entry(entry)) != NULL;

			assert_int_equal(vec[i], in_cache);
			cached += in_cache;
		} else {
			assert_int_equal(vec[i], 1);
		}
	}
	assert_int_equal(cached, vmev(m, "swap_ra"));
	assert_int_equal(meminfo_kb(m, "SwapCached:"), cached * 4);
	check_all(m);
	check_pages(t, 0, 16, 6);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	check_all(m);
	swap_destroy(f);
}

static void a_write_error_keeps_the_page_in_the_swap_cache(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;
	struct address_space *mapping;
	struct page *page;
	void *entry;

	(void)state;
	map_shared(t, 0, 4);
	fill_pages(t, 0, 4, 7);
	mapping = shmem_of(t, 0);
	m->fail_file_write.fail_nth = 1;
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(m->swap.swap_io_errors, 1);
	assert_int_equal(vmev(m, "pswpout"), 0);
	/* Unmapped, out of the page cache, but kept: dirty in the swap cache, named by the index. */
	entry = filemap_get_entry(mapping, 0);
	assert_true(xa_is_value(entry));
	page = lookup_swap_cache(m, radix_to_swp_entry(entry));
	assert_non_null(page);
	assert_true(PageDirty(page));
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 2 * 4);
	check_all(m);
	/* A fault finds it there: no read, every byte intact. */
	check_pages(t, 0, 4, 7);
	assert_int_equal(vmev(m, "pswpin"), 0);
	assert_int_equal(mapping->host->swapped, 0);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	check_all(m);
	/* Failing again, then reclaim (not a fault) retries the write of the cached pages. */
	m->fail_file_short_write.fail_nth = 1;
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(m->swap.swap_io_errors, 2);
	assert_true(shrink_all_memory(m, 1024) > 0);
	assert_int_equal(mapping->host->swapped, 4);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_int_equal(vmev(m, "pswpout"), 4);
	check_all(m);
	check_pages(t, 0, 4, 7);
	check_all(m);
	swap_destroy(f);
}

static void a_read_error_is_sigbus_for_that_task_only(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	struct tuxmm_siginfo si;
	uint64_t v;

	(void)state;
	assert_int_equal(tuxmm_sysctl_set(m, "vm.page-cluster", 0), 0);
	map_shared(t, 0, 2);
	fill_pages(t, 0, 2, 8);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_PAGEOUT), 0);
	m->fail_file_read.fail_nth = 1;
	assert_int_equal(tuxmm_read(c, BASE, 8, &v, &si), TUXMM_SIGBUS);
	assert_int_equal(si.code, TUXMM_BUS_ADRERR);
	/* Nothing lost: the entry stays in the index, the slot in use. */
	assert_true(xa_is_value(filemap_get_entry(shmem_of(t, 0), 0)));
	assert_int_equal(shmem_of(t, 0)->host->swapped, 2);
	check_all(m);
	check_pages(t, 0, 2, 8);
	check_pages(c, 0, 2, 8);
	tuxmm_task_exit(c);
	check_all(m);
	swap_destroy(f);
}

static void unmapping_the_object_frees_its_slots(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;

	(void)state;
	map_shared(t, 0, 40);
	fill_pages(t, 0, 40, 9);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	/* Some out on swap, one left in the swap cache by a failed write, some readahead. */
	assert_int_equal(tuxmm_madvise(t, BASE, 32 * PG, MADV_PAGEOUT), 0);
	m->fail_file_write.fail_nth = 1;
	assert_int_equal(tuxmm_madvise(t, BASE + 32 * PG, PG, MADV_PAGEOUT), 0);
	assert_int_equal(rd(t, BASE + 3 * PG), pat(9, 3, 0));
	assert_true(meminfo_kb(m, "SwapCached:") > 4);
	assert_true(meminfo_kb(m, "SwapFree:") < 16 * 1024 - 4);
	check_all(m);
	/* One task's unmap keeps the object: the other still reads everything. */
	assert_int_equal(tuxmm_munmap(t, BASE, 40 * PG), 0);
	check_all(m);
	assert_true(meminfo_kb(m, "SwapFree:") < 16 * 1024 - 4);
	check_pages(c, 0, 40, 9);
	assert_int_equal(tuxmm_madvise(c, BASE, 40 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(shmem_of(c, 0)->host->swapped, 40);
	/* The last one frees the object, its swap entries and swap cache pages with it. */
	tuxmm_task_exit(c);
	assert_int_equal(meminfo_kb(m, "SwapFree:"), 16 * 1024 - 4);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	assert_int_equal(meminfo_kb(m, "Shmem:"), 0);
	check_all(m);
	swap_destroy(f);
}

static void swapoff_brings_shmem_back(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;

	(void)state;
	map_shared(t, 0, 100);
	map_at(t, 200, 50, RW);
	fill_pages(t, 0, 100, 10);
	fill_pages(t, 200, 50, 11);
	assert_int_equal(tuxmm_madvise(t, BASE, 100 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_madvise(t, BASE + 200 * PG, 50 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(swap_ptes(t, 200, 50), 50);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	assert_int_equal(shmem_of(t, 0)->host->swapped, 100);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	assert_int_equal(total_swap_pages(m), 0);
	assert_int_equal(shmem_of(t, 0)->host->swapped, 0);
	assert_int_equal(shmem_of(t, 0)->nrpages, 100);
	assert_int_equal(meminfo_kb(m, "Shmem:"), 100 * 4);
	assert_int_equal(meminfo_kb(m, "SwapCached:"), 0);
	check_all(m);
	check_pages(t, 0, 100, 10);
	check_pages(c, 0, 100, 10);
	check_pages(c, 200, 50, 11);
	fill_pages(c, 0, 100, 12);
	check_pages(t, 0, 100, 12);
	check_all(m);
	swap_destroy(f);
}

static void swapoff_with_a_read_error_keeps_shmem_on_the_area(void **state)
{
	struct swap_fixture *f = swap_boot(64 * MiB, 16 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t;

	(void)state;
	map_shared(t, 0, 16);
	fill_pages(t, 0, 16, 13);
	assert_int_equal(tuxmm_madvise(t, BASE, 16 * PG, MADV_PAGEOUT), 0);
	m->fail_file_read.fail_nth = 1;
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), -EIO);
	assert_true(total_swap_pages(m) > 0);
	assert_true(shmem_of(t, 0)->host->swapped > 0);
	check_all(m);
	check_pages(t, 0, 16, 13);
	assert_int_equal(tuxmm_madvise(t, BASE, 16 * PG, MADV_PAGEOUT), 0);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	check_pages(t, 0, 16, 13);
	check_all(m);
	swap_destroy(f);
}

/*
 * Pressure: 16 MiB of RAM, 24 MiB of shared anonymous memory (two objects)
 * written by two forked tasks, alternately, read by the other; then swapoff.
 */
static void pressure_between_forked_tasks_loses_nothing(void **state)
{
	struct swap_fixture *f = swap_boot(16 * MiB, 48 * MiB);
	struct machine *m = f->m;
	struct task_struct *t = f->t, *c;
	unsigned long n = 24 * MiB / PG, max_swapped = 0;
	struct address_space *mapping[2];

	(void)state;
	map_shared(t, 0, n / 2);
	map_shared(t, n / 2, n - n / 2);
	mapping[0] = shmem_of(t, 0);
	mapping[1] = shmem_of(t, n / 2);
	assert_ptr_not_equal(mapping[0], mapping[1]);
	assert_int_equal(tuxmm_fork(t, &c), 0);
	for (unsigned long p = 0; p < n; p += 64) {
		fill_pages(p / 64 % 2 ? c : t, p, 64, 14);
		if (mapping[0]->host->swapped + mapping[1]->host->swapped > max_swapped)
			max_swapped = mapping[0]->host->swapped + mapping[1]->host->swapped;
	}
	assert_true(max_swapped > n / 4);
	assert_true(vmev(m, "pswpout") > n / 4);
	check_all(m);
	check_pages(c, 0, n, 14);
	check_pages(t, 0, n, 14);
	assert_true(vmev(m, "pswpin") > n / 4);
	check_all(m);
	/* Each rewrites the other's half; each reads back the other's writes. */
	for (unsigned long p = 0; p < n; p += 64)
		fill_pages(p / 64 % 2 ? t : c, p, 64, 15);
	check_pages(t, 0, n / 2, 15);
	check_pages(c, n / 2, n - n / 2, 15);
	check_all(m);
	/* Not everything fits: swapoff refuses and keeps the area; with less, it succeeds. */
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), -ENOMEM);
	check_all(m);
	check_pages(c, 0, n, 15);
	tuxmm_task_exit(c);
	assert_int_equal(tuxmm_munmap(t, BASE + n / 2 * PG, (n - n / 2) * PG), 0);
	assert_int_equal(tuxmm_swapoff(m, f->path[0]), 0);
	assert_int_equal(mapping[0]->host->swapped, 0);
	assert_int_equal(mapping[0]->nrpages, n / 2);
	check_pages(t, 0, n / 2, 15);
	check_all(m);
	swap_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_entries_live_beside_pages),
		cmocka_unit_test(pageout_leaves_swap_entries_in_the_index),
		cmocka_unit_test(pageout_from_one_task_then_the_other_reads),
		cmocka_unit_test(mincore_reports_the_swap_cache),
		cmocka_unit_test(a_write_error_keeps_the_page_in_the_swap_cache),
		cmocka_unit_test(a_read_error_is_sigbus_for_that_task_only),
		cmocka_unit_test(unmapping_the_object_frees_its_slots),
		cmocka_unit_test(swapoff_brings_shmem_back),
		cmocka_unit_test(swapoff_with_a_read_error_keeps_shmem_on_the_area),
		cmocka_unit_test(pressure_between_forked_tasks_loses_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
