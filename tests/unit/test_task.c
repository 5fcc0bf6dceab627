/*
 * test_task.c - tasks and their /proc files: spawn and exit (nothing leaks:
 * slab objects, host descriptors, commit charge, page tables), pids, resource
 * limits, the flag parsers, and /proc/PID/maps, status and statm against
 * golden texts and Linux's exact format.
 */
#include "mm_test.h"

static int setup_machine(void **state)
{
	*state = test_boot(64ULL << 20);
	return 0;
}

static int teardown_machine(void **state)
{
	tuxmm_machine_destroy(*state);
	return 0;
}

/* ---- spawn and exit ---- */

static void spawn_numbers_tasks_from_one(void **state)
{
	struct machine *m = *state;
	struct task_struct *a, *b;

	assert_int_equal(tuxmm_spawn(m, "first", &a), 0);
	assert_int_equal(tuxmm_spawn(m, NULL, &b), 0);
	assert_int_equal(tuxmm_task_pid(a), 1);
	assert_int_equal(tuxmm_task_pid(b), 2);
	assert_string_equal(tuxmm_task_comm(b), "task");
	assert_ptr_equal(tuxmm_find_task(m, 2), b);
	assert_ptr_equal(tuxmm_task_machine(a), m);
	assert_null(tuxmm_find_task(m, 3));
}

static void long_names_are_cut_to_fifteen_bytes(void **state)
{
	struct task_struct *t;

	assert_int_equal(tuxmm_spawn(*state, "a-very-long-process-name", &t), 0);
	assert_string_equal(tuxmm_task_comm(t), "a-very-long-pro");
}

static void tasks_iterate_in_pid_order(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[4], *it;
	int pids[4], n = 0;

	for (int i = 0; i < 4; i++)
		assert_int_equal(tuxmm_spawn(m, "it", &t[i]), 0);
	tuxmm_task_exit(t[1]);
	for (it = tuxmm_next_task(m, NULL); it && n < 4; it = tuxmm_next_task(m, it))
		pids[n++] = tuxmm_task_pid(it);
	assert_int_equal(n, 3);
	assert_int_equal(pids[0], 1);
	assert_int_equal(pids[1], 3);
	assert_int_equal(pids[2], 4);
}

static void pids_wrap_past_pid_max_skipping_live_ones(void **state)
{
	struct machine *m = *state;
	struct task_struct *keep, *t;

	assert_int_equal(tuxmm_spawn(m, "keep", &keep), 0);
	m->tasks.pid_max = 303;
	m->tasks.last_pid = 300;
	assert_int_equal(tuxmm_spawn(m, "a", &t), 0);
	assert_int_equal(tuxmm_task_pid(t), 301);
	assert_int_equal(tuxmm_spawn(m, "b", &t), 0);
	assert_int_equal(tuxmm_task_pid(t), 302);
	/* Past pid_max: back to RESERVED_PIDS (300). */
	assert_int_equal(tuxmm_spawn(m, "c", &t), 0);
	assert_int_equal(tuxmm_task_pid(t), 300);
	assert_int_equal(tuxmm_spawn(m, "d", &t), -EAGAIN);
}

static void new_task_has_a_132k_stack_at_the_top(void **state)
{
	struct task_struct *t;
	struct vm_area_struct *stack;

	assert_int_equal(tuxmm_spawn(*state, "stack", &t), 0);
	stack = t->mm->mmap;
	assert_int_equal(t->mm->map_count, 1);
	assert_int_equal(stack->vm_start, 0x7ffffffde000UL);
	assert_int_equal(stack->vm_end, 0x7ffffffff000UL);
	assert_int_equal(stack->vm_flags, VM_STACK_FLAGS);
	assert_int_equal(t->mm->stack_vm, 33);
	assert_true(vma_is_initial_stack(stack));
	assert_true(validate_mm(t->mm));
}

static void setrlimit_follows_linux_rules(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;

	assert_int_equal(tuxmm_spawn(m, "stack", &t), 0);
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_STACK, 64 * PG, RLIM_INFINITY), 0);
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_STACK, 64 * PG, 128 * PG), 0);
	/* Raising a hard limit needs privilege. */
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_STACK, 64 * PG, 256 * PG), -EPERM);
	assert_int_equal(tuxmm_setrlimit(t, RLIMIT_STACK, 65 * PG, 64 * PG), -EINVAL);
	assert_int_equal(tuxmm_setrlimit(t, 99, 0, 0), -EINVAL);
}

static void exit_returns_every_object(void **state)
{
	static const char *const caches[] = { "task_struct", "mm_struct", "vm_area_struct",
					      "files_cache", "filp", "inode_cache" };
	struct machine *m = *state;
	struct task_struct *t;
	char path[64];
	int fd;

	make_file(path, sizeof(path), 4 * PG);
	assert_int_equal(tuxmm_spawn(m, "leaky", &t), 0);
	fd = tuxmm_open(t, path, TUXMM_O_RDWR, 0);
	assert_true(fd >= 0);
	assert_true(tuxmm_mmap(t, 0, 4 * PG, RW, MAP_SHARED, fd, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 4 * PG, RW, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
	assert_true(tuxmm_brk(t, tuxmm_brk(t, 0) + 5 * PG) > 0);
	assert_true(m->tasks.vm_committed_as > 0);
	assert_int_equal(m->arch.nr_pgds, 1);
	tuxmm_task_exit(t);
	for (size_t i = 0; i < ARRAY_SIZE(caches); i++)
		assert_int_equal(slab_active(m, caches[i]), 0);
	assert_int_equal(host_files_nr_open(m), 0);
	assert_int_equal(m->tasks.vm_committed_as, 0);
	assert_int_equal(m->arch.nr_pgds, 0);
	assert_int_equal(m->tasks.nr_tasks, 0);
	assert_true(slab_check(m));
	unlink(path);
}

static void destroying_a_machine_with_live_tasks_frees_them(void **state)
{
	struct task_struct *t;
	struct machine *m = test_boot(64ULL << 20);

	(void)state;
	assert_int_equal(tuxmm_spawn(m, "a", &t), 0);
	assert_true(tuxmm_open(t, "/tmp", TUXMM_O_RDONLY, 0) >= 0);
	assert_int_equal(tuxmm_spawn(m, "b", &t), 0);
	/* AddressSanitizer reports any host descriptor table left behind. */
	tuxmm_machine_destroy(m);
}

static void spawn_fails_cleanly_without_memory(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;
	int failures = 0;

	/* Fail the Nth slab allocation of a spawn, N = 1, 2, ...: -ENOMEM and nothing left. */
	assert_int_equal(tuxmm_spawn(m, "warm", &t), 0);
	tuxmm_task_exit(t);
	for (unsigned long n = 1; n < 20; n++) {
		int err;

		m->failslab.fail_nth = n;
		err = tuxmm_spawn(m, "fail", &t);
		m->failslab.fail_nth = 0;
		if (err == 0) {
			tuxmm_task_exit(t);
			break;
		}
		assert_int_equal(err, -ENOMEM);
		assert_null(t);
		failures++;
		assert_int_equal(slab_active(m, "task_struct"), 0);
		assert_int_equal(slab_active(m, "vm_area_struct"), 0);
		assert_int_equal(m->tasks.vm_committed_as, 0);
	}
	assert_true(failures >= 3);
}

static void mmap_fails_cleanly_without_memory(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;
	long r = 0;

	assert_int_equal(tuxmm_spawn(m, "fail", &t), 0);
	map_at(t, 0, 4, RW);
	for (unsigned long n = 1; n < 10; n++) {
		m->failslab.fail_nth = n;
		/* Over the middle of an area: a split, the new area, freeing the old. */
		r = tuxmm_mmap(t, BASE + PG, PG, PROT_READ, PAF, -1, 0);
		m->failslab.fail_nth = 0;
		assert_true(validate_mm(t->mm));
		if (r > 0)
			break;
		assert_int_equal(r, -ENOMEM);
	}
	assert_int_equal(r, (long)(BASE + PG));
	assert_string_equal(areas(t), "0-1 rw-p,1-2 r--p,2-4 rw-p");
}

/* ---- /proc files ---- */

static void golden(struct machine *m, const char *path, const char *file)
{
	char *text = test_proc(m, path);

	test_golden(file, text);
	free(text);
}

static struct task_struct *scenario(struct machine *m)
{
	struct task_struct *t;
	unsigned long brk;

	assert_int_equal(tuxmm_spawn(m, "golden", &t), 0);
	brk = tuxmm_brk(t, 0);
	assert_int_equal(tuxmm_brk(t, brk + 33 * 1024), brk + 33 * 1024);
	assert_true(tuxmm_mmap(t, 0, 64 * PG, RW, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 16 * PG, PROT_READ | PROT_EXEC, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, 8 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0x600000000000UL, 4 * PG, PROT_NONE, PA, -1, 0) > 0);
	assert_int_equal(tuxmm_mprotect(t, 0x7ffff7fff000UL - 32 * PG, 8 * PG, PROT_READ), 0);
	assert_int_equal(tuxmm_mlock(t, 0x7ffff7fff000UL - 4 * PG, 2 * PG), 0);
	assert_int_equal(tuxmm_madvise(t, 0x7ffff7fff000UL - 64 * PG, 4 * PG, MADV_DONTFORK), 0);
	assert_true(validate_mm(t->mm));
	return t;
}

static void maps_of_a_new_task_is_golden(void **state)
{
	struct task_struct *t;

	assert_int_equal(tuxmm_spawn(*state, "fresh", &t), 0);
	golden(*state, "/proc/1/maps", "proc_pid_maps_fresh.txt");
}

static void maps_of_a_scenario_is_golden(void **state)
{
	scenario(*state);
	golden(*state, "/proc/1/maps", "proc_pid_maps_scenario.txt");
}

static void status_of_a_scenario_is_golden(void **state)
{
	scenario(*state);
	golden(*state, "/proc/1/status", "proc_pid_status_scenario.txt");
}

static void statm_of_a_scenario_is_golden(void **state)
{
	scenario(*state);
	golden(*state, "/proc/1/statm", "proc_pid_statm_scenario.txt");
}

static void maps_of_a_32bit_task_is_golden(void **state)
{
	struct tuxmm_config cfg;
	struct task_struct *t;
	struct machine *m;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = 2;
	m = test_boot_cfg(&cfg);
	assert_int_equal(tuxmm_spawn(m, "i386", &t), 0);
	assert_true(tuxmm_brk(t, tuxmm_brk(t, 0) + PG) > 0);
	assert_true(tuxmm_mmap(t, 0, 3 * PG, RW, PA, -1, 0) > 0);
	assert_true(tuxmm_mmap(t, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0);
	golden(m, "/proc/1/maps", "proc_pid_maps_i386.txt");
	tuxmm_machine_destroy(m);
}

static void maps_lines_have_linux_columns(void **state)
{
	struct task_struct *t = scenario(*state);
	char *maps = test_proc(*state, "/proc/1/maps"), *line;

	(void)t;
	for (line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		size_t len = strlen(line);

		/* A name starts at column 73; an unnamed area ends with "0 ". */
		if (strchr(line, '['))
			assert_int_equal(strchr(line, '[') - line, 73);
		else if (!strchr(line, '/'))
			assert_memory_equal(line + len - 2, "0 ", 2);
	}
	free(maps);
}

static void status_vm_lines_match_the_kernels_labels(void **state)
{
	static const char *const labels[] = { "VmPeak:", "VmSize:", "VmLck:", "VmPin:", "VmHWM:",
					      "VmRSS:", "RssAnon:", "RssFile:", "RssShmem:",
					      "VmData:", "VmStk:", "VmExe:", "VmLib:", "VmPTE:",
					      "VmSwap:" };
	char *ours, *host, *p, *q;
	FILE *f;
	size_t n;

	scenario(*state);
	ours = test_proc(*state, "/proc/1/status");
	host = calloc(1, 65536);
	f = fopen("/proc/self/status", "r");
	assert_non_null(f);
	n = fread(host, 1, 65535, f);
	fclose(f);
	assert_true(n > 0);
	/* The same labels in the same order as the host's, each "%s\t%8lu kB". */
	p = ours;
	q = host;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		size_t len = strlen(labels[i]);

		p = strstr(p, labels[i]);
		q = strstr(q, labels[i]);
		assert_non_null(p);
		assert_non_null(q);
		assert_int_equal(q[len], '\t');
		assert_int_equal(p[len], '\t');
		assert_int_equal(strchr(p, '\n') - p, (long)(len + 1 + 8 + 3));
		assert_memory_equal(strchr(p, '\n') - 3, " kB", 3);
	}
	free(ours);
	free(host);
}

static void status_reports_the_tasks_memory(void **state)
{
	struct task_struct *t = scenario(*state);
	char *status = test_proc(*state, "/proc/1/status");
	unsigned long size, lck, stk, data;

	assert_int_equal(sscanf(strstr(status, "VmSize:"), "VmSize: %lu kB", &size), 1);
	assert_int_equal(sscanf(strstr(status, "VmLck:"), "VmLck: %lu kB", &lck), 1);
	assert_int_equal(sscanf(strstr(status, "VmStk:"), "VmStk: %lu kB", &stk), 1);
	assert_int_equal(sscanf(strstr(status, "VmData:"), "VmData: %lu kB", &data), 1);
	assert_int_equal(size, t->mm->total_vm * 4);
	assert_int_equal(lck, 8);
	assert_int_equal(stk, 132);
	assert_int_equal(data, t->mm->data_vm * 4);
	free(status);
}

static void proc_of_a_missing_task_or_file_is_enoent(void **state)
{
	struct task_struct *t;
	char *text = NULL;

	assert_int_equal(tuxmm_spawn(*state, "x", &t), 0);
	assert_int_equal(tuxmm_proc_read(*state, "/proc/2/maps", &text, NULL), -ENOENT);
	assert_int_equal(tuxmm_proc_read(*state, "/proc/1/nope", &text, NULL), -ENOENT);
	assert_int_equal(tuxmm_proc_read(*state, "/proc/1", &text, NULL), -ENOENT);
	assert_int_equal(tuxmm_proc_read(*state, "/proc/1x/maps", &text, NULL), -ENOENT);
	assert_null(text);
}

static void per_task_paths_are_listed(void **state)
{
	(void)state;
	assert_string_equal(tuxmm_proc_pid_path(0), "/proc/PID/maps");
	assert_string_equal(tuxmm_proc_pid_path(1), "/proc/PID/smaps");
	assert_string_equal(tuxmm_proc_pid_path(5), "/proc/PID/status");
	assert_string_equal(tuxmm_proc_pid_path(7), "/proc/PID/oom_score_adj");
	assert_null(tuxmm_proc_pid_path(8));
	/* The machine-wide listing is unchanged: no per-task entries in it. */
	for (size_t i = 0; tuxmm_proc_path(i); i++)
		assert_null(strstr(tuxmm_proc_path(i), "PID"));
}

static void slabinfo_lists_the_task_caches(void **state)
{
	struct task_struct *t;
	char *text;

	assert_int_equal(tuxmm_spawn(*state, "slab", &t), 0);
	text = test_proc(*state, "/proc/slabinfo");
	assert_non_null(strstr(text, "\nvm_area_struct "));
	assert_non_null(strstr(text, "\nmm_struct "));
	assert_non_null(strstr(text, "\ntask_struct "));
	free(text);
	assert_int_equal(slab_active(*state, "vm_area_struct"), 1);
}

static void meminfo_committed_as_follows_private_writable_memory(void **state)
{
	struct task_struct *t;
	unsigned long before, after;
	char *text;

	assert_int_equal(tuxmm_spawn(*state, "commit", &t), 0);
	text = test_proc(*state, "/proc/meminfo");
	assert_int_equal(sscanf(strstr(text, "Committed_AS:"), "Committed_AS: %lu kB", &before), 1);
	free(text);
	assert_true(tuxmm_mmap(t, 0, 256 * PG, RW, PA, -1, 0) > 0);
	text = test_proc(*state, "/proc/meminfo");
	assert_int_equal(sscanf(strstr(text, "Committed_AS:"), "Committed_AS: %lu kB", &after), 1);
	free(text);
	assert_int_equal(after, before + 1024);
}

/* ---- settings ---- */

static void sysctls_read_and_write_by_name(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;
	unsigned long v = 0;

	assert_int_equal(tuxmm_sysctl_get(m, "vm.max_map_count", &v), 0);
	assert_int_equal(v, 65530);
	assert_int_equal(tuxmm_sysctl_get(m, "vm.mmap_min_addr", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(tuxmm_sysctl_set(m, "vm.mmap_min_addr", 4096), 0);
	assert_int_equal(tuxmm_sysctl_set(m, "vm.overcommit_memory", 3), -EINVAL);
	assert_int_equal(tuxmm_sysctl_set(m, "vm.nope", 1), -ENOENT);
	assert_string_equal(tuxmm_sysctl_name(0), "vm.max_map_count");
	assert_int_equal(tuxmm_spawn(m, "low", &t), 0);
	assert_int_equal(tuxmm_mmap(t, 0x1000, PG, RW, PAF, -1, 0), 0x1000);
	assert_int_equal(tuxmm_sysctl_set(m, "kernel.randomize_va_space", 2), 0);
	assert_int_equal(tuxmm_spawn(m, "aslr", &t), 0);
	assert_true(t->mm->brk_randomized);
}

/* ---- flag parsers ---- */

static void parse_prot_takes_rwx_strings(void **state)
{
	char err[TUXMM_ERRMSG_MAX];
	int prot = -1;

	(void)state;
	assert_int_equal(tuxmm_parse_prot("rw-", &prot, err), 0);
	assert_int_equal(prot, PROT_READ | PROT_WRITE);
	assert_int_equal(tuxmm_parse_prot("---", &prot, err), 0);
	assert_int_equal(prot, PROT_NONE);
	assert_int_equal(tuxmm_parse_prot("r-x", &prot, err), 0);
	assert_int_equal(prot, PROT_READ | PROT_EXEC);
	assert_int_equal(tuxmm_parse_prot("rwq", &prot, err), -EINVAL);
	assert_non_null(strstr(err, "'q'"));
	assert_int_equal(tuxmm_parse_prot("rr", &prot, err), -EINVAL);
	assert_int_equal(tuxmm_parse_prot("", &prot, err), -EINVAL);
}

static void parse_mmap_flags_names_the_bad_word(void **state)
{
	char err[TUXMM_ERRMSG_MAX];
	int flags = 0;

	(void)state;
	assert_int_equal(tuxmm_parse_mmap_flags("private,anonymous,fixed", &flags, err), 0);
	assert_int_equal(flags, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	assert_int_equal(tuxmm_parse_mmap_flags("shared, noreserve", &flags, err), 0);
	assert_int_equal(flags, MAP_SHARED | MAP_NORESERVE);
	assert_int_equal(tuxmm_parse_mmap_flags("", &flags, err), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(tuxmm_parse_mmap_flags("private,anonymus", &flags, err), -EINVAL);
	assert_non_null(strstr(err, "'anonymus'"));
	assert_non_null(strstr(err, "fixed_noreplace"));
}

static void parse_other_flag_sets(void **state)
{
	int v = 0;

	(void)state;
	assert_int_equal(tuxmm_parse_mremap_flags("maymove,fixed", &v, NULL), 0);
	assert_int_equal(v, MREMAP_MAYMOVE | MREMAP_FIXED);
	assert_int_equal(tuxmm_parse_madvise("dontneed", &v, NULL), 0);
	assert_int_equal(v, MADV_DONTNEED);
	assert_int_equal(tuxmm_parse_madvise("random,normal", &v, NULL), -EINVAL);
	assert_int_equal(tuxmm_parse_madvise("guard_install", &v, NULL), 0);
	assert_int_equal(v, MADV_GUARD_INSTALL);
	assert_int_equal(tuxmm_parse_msync_flags("sync,invalidate", &v, NULL), 0);
	assert_int_equal(v, MS_SYNC | MS_INVALIDATE);
	assert_int_equal(tuxmm_parse_mlock_flags("onfault", &v, NULL), 0);
	assert_int_equal(v, MLOCK_ONFAULT);
	assert_int_equal(tuxmm_parse_mlockall_flags("current,future", &v, NULL), 0);
	assert_int_equal(v, MCL_CURRENT | MCL_FUTURE);
	assert_int_equal(tuxmm_parse_open_flags("rdwr,creat,trunc", &v, NULL), 0);
	assert_int_equal(v, TUXMM_O_RDWR | TUXMM_O_CREAT | TUXMM_O_TRUNC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup_machine, teardown_machine)
		T_(spawn_numbers_tasks_from_one),
		T_(long_names_are_cut_to_fifteen_bytes),
		T_(tasks_iterate_in_pid_order),
		T_(pids_wrap_past_pid_max_skipping_live_ones),
		T_(new_task_has_a_132k_stack_at_the_top),
		T_(setrlimit_follows_linux_rules),
		T_(exit_returns_every_object),
		T_(destroying_a_machine_with_live_tasks_frees_them),
		T_(spawn_fails_cleanly_without_memory),
		T_(mmap_fails_cleanly_without_memory),
		T_(maps_of_a_new_task_is_golden),
		T_(maps_of_a_scenario_is_golden),
		T_(status_of_a_scenario_is_golden),
		T_(statm_of_a_scenario_is_golden),
		T_(maps_of_a_32bit_task_is_golden),
		T_(maps_lines_have_linux_columns),
		T_(status_vm_lines_match_the_kernels_labels),
		T_(status_reports_the_tasks_memory),
		T_(proc_of_a_missing_task_or_file_is_enoent),
		T_(per_task_paths_are_listed),
		T_(slabinfo_lists_the_task_caches),
		T_(meminfo_committed_as_follows_private_writable_memory),
		T_(sysctls_read_and_write_by_name),
		T_(parse_prot_takes_rwx_strings),
		T_(parse_mmap_flags_names_the_bad_word),
		T_(parse_other_flag_sets),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
