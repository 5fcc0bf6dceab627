/*
 * test_willneed_on_shmem_crashed.c - madvise(MADV_WILLNEED) on shared anonymous
 * memory called the shmem mapping's missing read method (a NULL call). Shmem has
 * no file to read ahead from: the advice must succeed and do nothing.
 */
#include "testlib.h"
#include "mm.h"

static void willneed_on_shared_anonymous_memory_is_a_no_op(void **state)
{
	struct machine *m = test_boot(64ULL << 20);
	struct task_struct *t;
	unsigned char vec[4];
	long addr;

	(void)state;
	assert_int_equal(tuxmm_spawn(m, "t", &t), 0);
	addr = tuxmm_mmap(t, 0, 4 * m->page_size, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
			  TUXMM_MAP_SHARED | TUXMM_MAP_ANONYMOUS, -1, 0);
	assert_true(addr > 0);
	assert_int_equal(tuxmm_madvise(t, (unsigned long)addr, 4 * m->page_size,
				       TUXMM_MADV_WILLNEED), 0);
	assert_int_equal(tuxmm_mincore(t, (unsigned long)addr, 4 * m->page_size, vec), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vec[i], 0);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(willneed_on_shared_anonymous_memory_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
