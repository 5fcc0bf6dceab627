/*
 * test_fault.c - demand paging: the fault chain, the zero page, signals, and
 * the page effects of munmap, mprotect, mremap, madvise, mlock, mincore.
 */
#include "fault_test.h"
#include "mmu.h"
#include "tlb.h"

static void demand_zero_read_maps_the_zero_page(void **state)
{
	struct task_struct *t = T(state);
	unsigned long flt;

	map_at(t, 0, 1, RW);
	assert_int_equal(rd(t, BASE + 8), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 0);
	assert_true(pte_special(pte_at(t, BASE)));
	assert_false(pte_write(pte_at(t, BASE)));
	assert_ptr_equal(page_at(t, BASE), M(state)->tasks.zero_page);
	tuxmm_task_faults(t, &flt, NULL);
	assert_int_equal(flt, 1);
	/* The first write replaces it with a page of its own. */
	wr(t, BASE + 8, 77);
	assert_int_equal(rss(t, MM_ANONPAGES), 1);
	assert_false(pte_special(pte_at(t, BASE)));
	assert_int_equal(rd(t, BASE + 8), 77);
	assert_int_equal(rd(t, BASE), 0);
	tuxmm_task_faults(t, &flt, NULL);
	assert_int_equal(flt, 2);
	check_machine(M(state));
}

static void write_fault_allocates_a_zeroed_page(void **state)
{
	struct task_struct *t = T(state);
	struct machine *m = M(state);
	long anon = global_node_page_state(m, NR_ANON_MAPPED);
	unsigned long pgfault = m->vm_events[PGFAULT];
	struct page *page;

	map_at(t, 0, 4, RW);
	wr(t, BASE + 2 * PG + 16, 0x1122334455667788ULL);
	page = page_at(t, BASE + 2 * PG);
	assert_non_null(page);
	assert_true(PageAnon(page));
	assert_int_equal(page_mapcount(page), 1);
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(rss(t, MM_ANONPAGES), 1);
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), anon + 1);
	assert_int_equal(m->vm_events[PGFAULT], pgfault + 1);
	assert_int_equal(rd(t, BASE + 2 * PG), 0);
	assert_true(pte_dirty(pte_at(t, BASE + 2 * PG)) && pte_write(pte_at(t, BASE + 2 * PG)));
	assert_int_equal(page_mapcount_rmap(m, page), 1);
	check_machine(m);
}

static void write_to_read_only_area_is_segv_accerr(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;

	map_at(t, 0, 1, PROT_READ);
	assert_int_equal(tuxmm_write(t, BASE + 4, 4, 1, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_ACCERR);
	assert_int_equal(si.addr, BASE + 4);
	assert_int_equal(rd(t, BASE), 0);
}

static void access_after_munmap_is_segv_maperr(void **state)
{
	struct task_struct *t = T(state);
	struct machine *m = M(state);
	struct tuxmm_siginfo si;
	unsigned long before;
	uint64_t v;

	map_at(t, 0, 2, RW);
	wr(t, BASE, 5);
	wr(t, BASE + PG, 6);
	before = pages_free(m);
	assert_int_equal(tuxmm_munmap(t, BASE, 2 * PG), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 0);
	/* Two pages and their emptied PTE table came back. */
	assert_true(pages_free(m) >= before + 2);
	assert_int_equal(tuxmm_read(t, BASE + PG, 8, &v, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_MAPERR);
	assert_int_equal(si.addr, BASE + PG);
	check_machine(m);
}

static void mprotect_read_only_then_write_is_accerr(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	unsigned long flt, flt2;

	map_at(t, 0, 1, RW);
	wr(t, BASE, 9);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, PROT_READ), 0);
	assert_false(pte_write(pte_at(t, BASE)));
	assert_int_equal(tuxmm_write(t, BASE, 8, 10, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_ACCERR);
	assert_int_equal(rd(t, BASE), 9);
	/* Writable again: the exclusive page is made writable at once, as Linux does. */
	tuxmm_task_faults(t, &flt, NULL);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, RW), 0);
	assert_true(pte_write(pte_at(t, BASE)));
	wr(t, BASE, 11);
	tuxmm_task_faults(t, &flt2, NULL);
	assert_int_equal(flt2, flt);
	check_machine(M(state));
}

static void prot_none_access_is_accerr_and_keeps_the_page(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	uint64_t v;

	map_at(t, 0, 1, RW);
	wr(t, BASE, 3);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, PROT_NONE), 0);
	assert_true(pte_protnone(pte_at(t, BASE)));
	assert_int_equal(tuxmm_read(t, BASE, 8, &v, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_ACCERR);
	assert_int_equal(rss(t, MM_ANONPAGES), 1);
	assert_int_equal(tuxmm_mprotect(t, BASE, PG, PROT_READ), 0);
	assert_int_equal(rd(t, BASE), 3);
	check_machine(M(state));
}

static void fetch_from_no_exec_area_is_accerr(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	uint8_t code[4];

	map_at(t, 0, 1, RW);
	assert_int_equal(tuxmm_fetch(t, BASE, code, sizeof(code), &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_ACCERR);
	map_at(t, 1, 1, PROT_READ | PROT_EXEC);
	assert_int_equal(tuxmm_fetch(t, BASE + PG, code, sizeof(code), &si), 0);
}

static void stack_grows_down_on_a_fault_below_it(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *stack = find_vma(t->mm, t->mm->start_stack);
	unsigned long start = stack->vm_start, addr = start - 16 * PG;

	wr(t, addr + 8, 1234);
	assert_int_equal(stack->vm_start, addr);
	assert_int_equal(rd(t, addr + 8), 1234);
	check_machine(M(state));
}

static void madv_dontneed_reads_back_zero(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 3, RW);
	wr(t, BASE, 1);
	wr(t, BASE + PG, 2);
	wr(t, BASE + 2 * PG, 3);
	assert_int_equal(tuxmm_madvise(t, BASE, 2 * PG, MADV_DONTNEED), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 1);
	assert_int_equal(rd(t, BASE), 0);
	assert_int_equal(rd(t, BASE + PG), 0);
	assert_int_equal(rd(t, BASE + 2 * PG), 3);
	check_machine(M(state));
}

static void madv_free_keeps_data_until_reclaim(void **state)
{
	struct task_struct *t = T(state);
	struct page *page;

	map_at(t, 0, 1, RW);
	wr(t, BASE, 8);
	assert_int_equal(tuxmm_madvise(t, BASE, PG, MADV_FREE), 0);
	page = page_at(t, BASE);
	assert_false(PageFlag(page, PG_swapbacked));
	assert_false(pte_dirty(pte_at(t, BASE)));
	assert_int_equal(rd(t, BASE), 8);
	assert_int_equal(M(state)->vm_events[PGLAZYFREE], 1);
}

static void mincore_reports_touched_pages(void **state)
{
	struct task_struct *t = T(state);
	unsigned char vec[4];

	map_at(t, 0, 4, RW);
	wr(t, BASE + PG, 1);
	rd(t, BASE + 3 * PG);
	assert_int_equal(tuxmm_mincore(t, BASE, 4 * PG, vec), 0);
	assert_int_equal(vec[0], 0);
	assert_int_equal(vec[1], 1);
	assert_int_equal(vec[2], 0);
	assert_int_equal(vec[3], 1);	/* the zero page is resident too */
}

static void mlock_populates_the_range(void **state)
{
	struct task_struct *t = T(state);
	unsigned long flt;

	map_at(t, 0, 8, RW);
	assert_int_equal(tuxmm_mlock(t, BASE + 2 * PG, 4 * PG), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 4);
	for (int i = 2; i < 6; i++)
		assert_true(pte_write(pte_at(t, BASE + i * PG)));
	tuxmm_task_faults(t, &flt, NULL);
	assert_int_equal(flt, 4);
	check_machine(M(state));
}

static void map_populate_prefaults_every_page(void **state)
{
	struct task_struct *t = T(state);
	long addr = tuxmm_mmap(t, 0, 16 * PG, RW, PA | MAP_POPULATE, -1, 0);

	assert_true(addr > 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 16);
	assert_int_equal(rd(t, (unsigned long)addr + 15 * PG), 0);
}

static void madv_populate_read_maps_zero_pages_write_allocates(void **state)
{
	struct task_struct *t = T(state);

	map_at(t, 0, 4, RW);
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_POPULATE_READ), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 0);
	assert_true(pte_special(pte_at(t, BASE + 3 * PG)));
	assert_int_equal(tuxmm_madvise(t, BASE, 4 * PG, MADV_POPULATE_WRITE), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 4);
	check_machine(M(state));
}

static void mremap_moves_the_pages(void **state)
{
	struct task_struct *t = T(state);
	long r;

	map_at(t, 0, 2, RW);
	wr(t, BASE, 100);
	wr(t, BASE + PG, 200);
	r = tuxmm_mremap(t, BASE, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			 BASE + 64 * PG);
	assert_int_equal(r, (long)(BASE + 64 * PG));
	assert_int_equal(rd(t, BASE + 64 * PG), 100);
	assert_int_equal(rd(t, BASE + 65 * PG), 200);
	assert_int_equal(rd(t, BASE + 66 * PG), 0);
	assert_int_equal(rss(t, MM_ANONPAGES), 2);
	assert_int_equal(page_mapcount_rmap(M(state), page_at(t, BASE + 65 * PG)), 1);
	check_machine(M(state));
}

static void multi_page_store_writes_the_pages_before_the_fault(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	uint8_t buf[2 * 4096];

	map_at(t, 0, 1, RW);
	map_at(t, 1, 1, PROT_READ);
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(tuxmm_store(t, BASE + 8, buf, PG, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.addr, BASE + PG);
	assert_int_equal(rd(t, BASE + 8), 0x5a5a5a5a5a5a5a5aULL);
	assert_int_equal(rd(t, BASE + PG), 0);
	/* A single access straddling the pages is all or nothing. */
	assert_int_equal(tuxmm_write(t, BASE + PG - 4, 8, 0, &si), TUXMM_SIGSEGV);
	assert_int_equal(rd(t, BASE + PG - 8), 0x5a5a5a5a5a5a5a5aULL);
}

static void non_canonical_address_is_si_kernel(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	uint64_t v;

	assert_int_equal(tuxmm_read(t, 0x8000000000000000UL, 8, &v, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SI_KERNEL);
	assert_int_equal(tuxmm_read(t, 0xffff888000000000UL, 8, &v, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_MAPERR);
}

static void file_read_faults_around_and_private_write_copies(void **state)
{
	struct task_struct *t = T(state);
	char path[64];
	uint8_t data[64 * 1024];
	long addr, file;
	int fd;

	make_file(path, sizeof(path), sizeof(data));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i / PG + 1);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	close(fd);
	/* At a 64 KiB-aligned address, so the fault-around window is all inside. */
	addr = tuxmm_mmap_path(t, BASE, 32 * PG, RW, MAP_PRIVATE | MAP_FIXED, path, 0);
	assert_int_equal(addr, (long)BASE);
	/* The first fault finds nothing cached around it: one page (read-around fills the cache). */
	assert_int_equal(rd(t, (unsigned long)addr + 3 * PG) & 0xff, 4);
	assert_int_equal(rss(t, MM_FILEPAGES), 1);
	/*
	 * The next maps the cached pages of its 64 KiB window (fault-around),
	 * all but a readahead-marked one, as next_uptodate_folio() skips it.
	 */
	assert_int_equal(rd(t, (unsigned long)addr + 5 * PG) & 0xff, 6);
	file = rss(t, MM_FILEPAGES);
	assert_true(file >= 15 && file <= 16);
	wr(t, (unsigned long)addr + 3 * PG, 0xee);
	assert_int_equal(rss(t, MM_FILEPAGES), file - 1);
	assert_int_equal(rss(t, MM_ANONPAGES), 1);
	assert_int_equal(rd(t, (unsigned long)addr + 3 * PG), 0xee);
	assert_int_equal(rd(t, (unsigned long)addr + 4 * PG) & 0xff, 5);
	check_machine(M(state));
	unlink(path);
}

static void access_beyond_end_of_file_is_sigbus(void **state)
{
	struct task_struct *t = T(state);
	struct tuxmm_siginfo si;
	char path[64];
	uint64_t v;
	long addr;

	make_file(path, sizeof(path), PG);
	addr = tuxmm_mmap_path(t, 0, 4 * PG, PROT_READ, MAP_PRIVATE, path, 0);
	assert_true(addr > 0);
	assert_int_equal(rd(t, (unsigned long)addr), 0);
	assert_int_equal(tuxmm_read(t, (unsigned long)addr + 2 * PG, 8, &v, &si), TUXMM_SIGBUS);
	assert_int_equal(si.code, TUXMM_BUS_ADRERR);
	assert_int_equal(si.addr, (unsigned long)addr + 2 * PG);
	unlink(path);
}

/* ---- what one faulting access leaves: PTE bits, the TLB, the counters ---- */

struct fault_counts {
	unsigned long hits, misses, walks, flush_one, faults, min_flt, pgfault;
};

static struct fault_counts fault_counts(struct task_struct *t)
{
	struct machine *m = t->machine;
	const struct mmu_cpu *c = mmu_cpu(m, m->cur_cpu);

	return (struct fault_counts){ c->stats.hits + c->fast_hits, c->stats.misses,
				      c->stats.walks, c->stats.flush_one,
				      m->arch.nr_page_faults, t->min_flt, m->vm_events[PGFAULT] };
}

/* assert_delta - what happened since @c0: TLB hits, misses, walks, INVLPGs, #PFs, min_flt and pgfault. */
static void assert_delta(struct task_struct *t, const struct fault_counts *c0, unsigned long hits,
			 unsigned long misses, unsigned long walks, unsigned long flush_one,
			 unsigned long faults)
{
	struct fault_counts c1 = fault_counts(t);

	assert_int_equal(c1.hits - c0->hits, hits);
	assert_int_equal(c1.misses - c0->misses, misses);
	assert_int_equal(c1.walks - c0->walks, walks);
	assert_int_equal(c1.flush_one - c0->flush_one, flush_one);
	assert_int_equal(c1.faults - c0->faults, faults);
}

/* The TLB entry of @addr translates to @page, writable and dirty. */
static void assert_tlb_writable(struct task_struct *t, unsigned long addr, struct page *page)
{
	struct machine *m = t->machine;
	struct tlb_entry *e = tlb_model_lookup(m, mmu_cpu(m, m->cur_cpu), addr);

	assert_non_null(e);
	assert_int_equal(e->phys, page_to_phys(m, page));
	assert_int_equal(e->perm & (TLB_USER | TLB_WRITE | TLB_DIRTY),
			 TLB_USER | TLB_WRITE | TLB_DIRTY);
}

/*
 * A demand-zero write fault: one #PF, one minor fault; the CPU misses, walks,
 * faults, misses and walks again; the entry is young, dirty and writable and
 * the TLB holds it, so the next access is a hit.
 */
static void demand_zero_fault_counts_and_bits(void **state)
{
	struct task_struct *t = T(state);
	struct fault_counts c0;
	pte_t pte;

	map_at(t, 0, 2, RW);
	wr(t, BASE + PG, 1);	/* the PTE table exists: the fault is at the leaf */
	c0 = fault_counts(t);
	wr(t, BASE + 8, 5);
	assert_delta(t, &c0, 0, 2, 2, 0, 1);
	assert_int_equal(t->min_flt - c0.min_flt, 1);
	assert_int_equal(M(state)->vm_events[PGFAULT] - c0.pgfault, 1);
	pte = pte_at(t, BASE);
	assert_true(pte_young(pte) && pte_dirty(pte) && pte_write(pte));
	assert_tlb_writable(t, BASE, page_at(t, BASE));
	c0 = fault_counts(t);
	assert_int_equal(rd(t, BASE + 8), 5);
	assert_delta(t, &c0, 1, 0, 0, 0, 0);
	check_machine(M(state));
}

/*
 * A copy-on-write fault after fork: the TLB holds the copy, not the shared
 * page; the PTE is young, dirty, writable; one INVLPG (the handler's flush of
 * the old entry), one #PF, one minor fault; the child still sees the old data.
 */
static void cow_fault_counts_and_bits(void **state)
{
	struct task_struct *p = T(state), *c;
	struct machine *m = M(state);
	struct fault_counts c0;
	struct page *old, *new;
	pte_t pte;

	map_at(p, 0, 2, RW);
	wr(p, BASE + 8, 1);
	wr(p, BASE + PG, 2);
	assert_int_equal(tuxmm_fork(p, &c), 0);
	assert_int_equal(rd(p, BASE + PG), 2);
	old = page_at(p, BASE);
	c0 = fault_counts(p);
	wr(p, BASE + 8, 3);
	assert_delta(p, &c0, 0, 2, 2, 1, 1);
	assert_int_equal(p->min_flt - c0.min_flt, 1);
	assert_int_equal(m->vm_events[PGFAULT] - c0.pgfault, 1);
	new = page_at(p, BASE);
	assert_ptr_not_equal(new, old);
	pte = pte_at(p, BASE);
	assert_true(pte_young(pte) && pte_dirty(pte) && pte_write(pte));
	assert_tlb_writable(p, BASE, new);
	assert_false(tlb_holds_pfn(m, page_to_pfn(m, old)));
	assert_int_equal(rd(c, BASE + 8), 1);
	assert_int_equal(rd(p, BASE + 8), 3);
	check_machine(m);
}

/*
 * A write to a page whose read-only translation (the zero page) is cached:
 * the entry is dropped (a miss), the walk faults, the handler gives the task
 * its own page, and the retry misses and walks; the zero page leaves the TLB.
 */
static void write_after_read_replaces_the_cached_zero_page(void **state)
{
	struct task_struct *t = T(state);
	struct machine *m = M(state);
	struct fault_counts c0;

	map_at(t, 0, 1, RW);
	assert_int_equal(rd(t, BASE), 0);
	assert_non_null(tlb_model_lookup(m, mmu_cpu(m, m->cur_cpu), BASE));
	c0 = fault_counts(t);
	wr(t, BASE, 7);
	assert_delta(t, &c0, 0, 2, 2, 1, 1);
	assert_tlb_writable(t, BASE, page_at(t, BASE));
	assert_false(tlb_holds_pfn(m, page_to_pfn(m, m->tasks.zero_page)));
	assert_int_equal(rd(t, BASE), 7);
	check_machine(m);
}

/*
 * A write the area forbids, through a cached read-only translation: SIGSEGV
 * with SEGV_ACCERR at the address, one #PF, no minor fault and no pgfault
 * (Linux counts those in handle_mm_fault, which is not reached), and the
 * #PF took the translation out of the TLB.
 */
static void refused_write_signals_and_counts(void **state)
{
	struct task_struct *t = T(state);
	struct machine *m = M(state);
	struct tuxmm_siginfo si;
	struct fault_counts c0;

	map_at(t, 0, 1, PROT_READ);
	assert_int_equal(rd(t, BASE), 0);
	c0 = fault_counts(t);
	assert_int_equal(tuxmm_write(t, BASE + 4, 4, 1, &si), TUXMM_SIGSEGV);
	assert_int_equal(si.code, TUXMM_SEGV_ACCERR);
	assert_int_equal(si.addr, BASE + 4);
	assert_delta(t, &c0, 0, 1, 1, 0, 1);
	assert_int_equal(t->min_flt, c0.min_flt);
	assert_int_equal(m->vm_events[PGFAULT], c0.pgfault);
	assert_null(tlb_model_lookup(m, mmu_cpu(m, m->cur_cpu), BASE));
	assert_int_equal(rd(t, BASE), 0);
}

#define T_(f) cmocka_unit_test_setup_teardown(f, mm_setup, mm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(demand_zero_read_maps_the_zero_page),
		T_(write_fault_allocates_a_zeroed_page),
		T_(write_to_read_only_area_is_segv_accerr),
		T_(access_after_munmap_is_segv_maperr),
		T_(mprotect_read_only_then_write_is_accerr),
		T_(prot_none_access_is_accerr_and_keeps_the_page),
		T_(fetch_from_no_exec_area_is_accerr),
		T_(stack_grows_down_on_a_fault_below_it),
		T_(madv_dontneed_reads_back_zero),
		T_(madv_free_keeps_data_until_reclaim),
		T_(mincore_reports_touched_pages),
		T_(mlock_populates_the_range),
		T_(map_populate_prefaults_every_page),
		T_(madv_populate_read_maps_zero_pages_write_allocates),
		T_(mremap_moves_the_pages),
		T_(multi_page_store_writes_the_pages_before_the_fault),
		T_(non_canonical_address_is_si_kernel),
		T_(file_read_faults_around_and_private_write_copies),
		T_(access_beyond_end_of_file_is_sigbus),
		T_(demand_zero_fault_counts_and_bits),
		T_(cow_fault_counts_and_bits),
		T_(write_after_read_replaces_the_cached_zero_page),
		T_(refused_write_signals_and_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
