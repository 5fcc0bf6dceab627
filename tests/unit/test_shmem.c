/*
 * test_shmem.c - shared anonymous memory: pages zero-filled on first touch,
 * counted as Shmem (and Cached), never Dirty, shared by every mapping of the
 * object (mremap duplicates, fork), freed with the object.
 */
#include "filemap_test.h"

#define SA (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

static void shmem_first_touch_reads_zero(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	assert_int_equal(ubyte(t, BASE + PG + 7), 0);
	assert_int_equal(meminfo_kb(m, "Shmem"), 4);
	assert_int_equal(meminfo_kb(m, "Cached"), 4);
	assert_int_equal(get_mm_counter(t->mm, MM_SHMEMPAGES), 1);
	assert_int_equal(vmstat(m, "pgmajfault"), 0);
}

static void shmem_writes_are_not_counted_dirty(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	for (int i = 0; i < 4; i++)
		uput(t, BASE + i * PG, 0x5a);
	assert_int_equal(meminfo_kb(m, "Shmem"), 16);
	assert_int_equal(meminfo_kb(m, "Dirty"), 0);
	assert_int_equal(tuxmm_msync(t, BASE, 4 * PG, MS_SYNC), 0);
	assert_int_equal(ubyte(t, BASE + 3 * PG), 0x5a);
}

static void shmem_beyond_the_object_is_sigbus(void **state)
{
	struct task_struct *t = T(state);
	struct vm_area_struct *vma;
	uint8_t b;

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	/* Shrink the object under the mapping, as ftruncate on a tmpfs file would. */
	vma = vma_lookup(t->mm, BASE);
	file_inode(vma->vm_file)->i_size = 2 * PG;
	assert_int_equal(uread(t, BASE + 3 * PG, &b, 1), VM_FAULT_SIGBUS);
	assert_int_equal(ubyte(t, BASE + PG), 0);
}

static void shmem_duplicate_mapping_shares_pages(void **state)
{
	struct task_struct *t = T(state);
	long dup;

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	uput(t, BASE + 2 * PG + 1, 0x11);
	/* mremap(old_len 0) makes a second mapping of the same shmem object. */
	dup = tuxmm_mremap(t, BASE, 0, 4 * PG, MREMAP_MAYMOVE, 0);
	assert_true(dup > 0);
	assert_int_equal(ubyte(t, (unsigned long)dup + 2 * PG + 1), 0x11);
	uput(t, (unsigned long)dup + 3 * PG, 0x22);
	assert_int_equal(ubyte(t, BASE + 3 * PG), 0x22);
	assert_int_equal(meminfo_kb(M(state), "Shmem"), 8);
}

static void shmem_is_shared_between_parent_and_child(void **state)
{
	struct task_struct *t = T(state), *child;

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	uput(t, BASE, 0x31);
	assert_int_equal(tuxmm_fork(t, &child), 0);
	assert_int_equal(ubyte(child, BASE), 0x31);
	uput(child, BASE + PG, 0x32);		/* a page the parent never touched */
	uput(t, BASE, 0x33);
	assert_int_equal(ubyte(t, BASE + PG), 0x32);
	assert_int_equal(ubyte(child, BASE), 0x33);
	assert_int_equal(meminfo_kb(M(state), "Shmem"), 8);
	tuxmm_task_exit(child);
	assert_int_equal(ubyte(t, BASE + PG), 0x32);
}

static void shmem_pages_are_freed_with_the_last_mapping(void **state)
{
	struct machine *m = M(state);
	struct task_struct *t = T(state);
	unsigned long before;

	assert_int_equal(tuxmm_mmap(t, BASE, 4 * PG, RW, SA, -1, 0), (long)BASE);
	uput(t, BASE, 1);
	assert_int_equal(tuxmm_munmap(t, BASE, 4 * PG), 0);
	before = nr_free_settled(m);
	assert_int_equal(tuxmm_mmap(t, BASE, 64 * PG, RW, SA, -1, 0), (long)BASE);
	for (int i = 0; i < 64; i++)
		uput(t, BASE + i * PG, (uint8_t)i);
	assert_int_equal(meminfo_kb(m, "Shmem"), 64 * 4);
	assert_int_equal(tuxmm_munmap(t, BASE, 64 * PG), 0);
	assert_int_equal(meminfo_kb(m, "Shmem"), 0);
	assert_int_equal(meminfo_kb(m, "Cached"), 0);
	assert_int_equal(nr_free_settled(m), before);
	assert_int_equal(inode_nr_live(m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(shmem_first_touch_reads_zero, mm_setup, mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_writes_are_not_counted_dirty, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_beyond_the_object_is_sigbus, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_duplicate_mapping_shares_pages, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_is_shared_between_parent_and_child, mm_setup,
						mm_teardown),
		cmocka_unit_test_setup_teardown(shmem_pages_are_freed_with_the_last_mapping,
						mm_setup, mm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
