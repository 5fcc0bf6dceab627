/*
 * test_oom.c - the OOM killer: the task Linux would pick in hand-built cases
 * (biggest RSS, swap entries and page tables counted, oom_score_adj -1000
 * protects and +1000 is preferred, ties to the later task, init spared), the
 * /proc/PID/oom_score formula, and real OOMs on a small machine without swap:
 * the victim's memory comes back, the others keep their data, the allocating
 * task goes on, and a killed task is visible as such to the C API.
 */
#include <limits.h>

#include "mm_test.h"
#include "mm.h"
#include "oom.h"

#define SMALL_RAM (16ULL << 20)

static int setup_small(void **state)
{
	*state = test_boot(SMALL_RAM);
	return 0;
}

static int setup_big(void **state)
{
	*state = test_boot(64ULL << 20);
	return 0;
}

static int teardown(void **state)
{
	tuxmm_machine_destroy(*state);
	return 0;
}

static struct task_struct *spawn(struct machine *m, const char *name)
{
	struct task_struct *t;

	assert_int_equal(tuxmm_spawn(m, name, &t), 0);
	return t;
}

/* touch - map @pages anonymous pages and write @byte to each; the address. */
static unsigned long touch(struct task_struct *t, unsigned long pages, int byte)
{
	long a = tuxmm_mmap(t, 0, pages * PG, RW, PA, -1, 0);

	assert_true(a > 0);
	assert_int_equal(tuxmm_fill(t, (unsigned long)a, byte, pages * PG, NULL), 0);
	return (unsigned long)a;
}

/* spawn_with - a task holding @pages written pages. */
static struct task_struct *spawn_with(struct machine *m, const char *name, unsigned long pages)
{
	struct task_struct *t = spawn(m, name);

	touch(t, pages, 0x11);
	return t;
}

static bool dmesg_has(struct machine *m, const char *s)
{
	return strstr(tuxmm_dmesg(m), s) != NULL;
}

/* kill_one - run the OOM killer once, as a GFP_KERNEL allocation would; the victim. */
static struct task_struct *kill_one(struct machine *m, struct task_struct **tasks, int n)
{
	struct task_struct *victim = NULL;

	out_of_memory(m, GFP_KERNEL, 0);
	for (int i = 0; i < n; i++) {
		if (!tuxmm_task_killed(tasks[i]))
			continue;
		assert_null(victim);	/* one victim at a time */
		victim = tasks[i];
	}
	return victim;
}

static long expected_badness(struct task_struct *t, unsigned long totalpages)
{
	struct mm_struct *mm = t->mm;

	return (long)get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
	       (long)(mm->pgd.pgtables_bytes / PG) + t->oom_score_adj * (long)(totalpages / 1000);
}

/* ---- the choice ---- */

static void badness_is_rss_swap_and_page_tables(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;
	unsigned long total = oom_totalpages(m);

	spawn(m, "init");
	t = spawn_with(m, "t", 100);
	assert_int_equal(oom_badness(t, total), expected_badness(t, total));
	/* 100 pages written (the stack is untouched) and their PTE, PMD and PUD tables. */
	assert_int_equal(get_mm_rss(t->mm), 100);
	assert_int_equal(t->mm->pgd.pgtables_bytes, 3 * PG);
	assert_int_equal(oom_badness(t, total), 103);
	assert_int_equal(tuxmm_set_oom_score_adj(t, 250), 0);
	assert_int_equal(oom_badness(t, total), expected_badness(t, total));
	assert_int_equal(total, totalram_pages(m));	/* no swap on */
}

static void biggest_rss_is_killed(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[3];

	spawn(m, "init");
	t[0] = spawn_with(m, "a", 64);
	t[1] = spawn_with(m, "b", 128);
	t[2] = spawn_with(m, "c", 32);
	assert_ptr_equal(kill_one(m, t, 3), t[1]);
	assert_true(dmesg_has(m, "Out of memory: Killed process 3 (b) total-vm:"));
	assert_int_equal(m->vm_events[OOM_KILL], 1);
}

static void swap_entries_count(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];

	spawn(m, "init");
	t[0] = spawn_with(m, "resident", 100);
	t[1] = spawn_with(m, "swapped", 80);
	/* Hand-built: 40 of its pages out on swap (the badness reads the counter). */
	t[1]->mm->rss_stat[MM_SWAPENTS] = 40;
	assert_ptr_equal(kill_one(m, t, 2), t[1]);
	t[0]->mm->rss_stat[MM_SWAPENTS] = 0;
}

static void swap_entries_count_only_as_much_as_they_are(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];

	spawn(m, "init");
	t[0] = spawn_with(m, "resident", 100);
	t[1] = spawn_with(m, "swapped", 80);
	t[1]->mm->rss_stat[MM_SWAPENTS] = 10;	/* 90 < 100 */
	assert_ptr_equal(kill_one(m, t, 2), t[0]);
	t[1]->mm->rss_stat[MM_SWAPENTS] = 0;
}

static void page_tables_count(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];
	unsigned long pmd_span = 512 * PG;

	spawn(m, "init");
	t[0] = spawn_with(m, "dense", 16);
	/* The same 16 pages, each under its own PTE table: 15 more table pages. */
	t[1] = spawn(m, "sparse");
	for (int i = 0; i < 16; i++) {
		unsigned long a = BASE + (unsigned long)i * pmd_span;

		assert_int_equal(tuxmm_mmap(t[1], a, PG, RW, PAF, -1, 0), (long)a);
		assert_int_equal(tuxmm_fill(t[1], a, 1, PG, NULL), 0);
	}
	assert_int_equal(get_mm_rss(t[0]->mm), get_mm_rss(t[1]->mm));
	assert_true(t[1]->mm->pgd.pgtables_bytes > t[0]->mm->pgd.pgtables_bytes);
	/* Later pid loses a tie, so the choice of the earlier one can't be the tie rule. */
	assert_ptr_equal(kill_one(m, t, 2), t[1]);
}

static void oom_score_adj_min_protects(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];

	spawn(m, "init");
	t[0] = spawn_with(m, "db", 200);
	t[1] = spawn_with(m, "small", 10);
	assert_int_equal(tuxmm_set_oom_score_adj(t[0], OOM_SCORE_ADJ_MIN), 0);
	assert_int_equal(oom_badness(t[0], oom_totalpages(m)), LONG_MIN);
	assert_ptr_equal(kill_one(m, t, 2), t[1]);
	/* Nothing left to kill: no victim, the allocation may fail. */
	assert_false(out_of_memory(m, GFP_KERNEL, 0));
	assert_false(tuxmm_task_killed(t[0]));
	assert_true(dmesg_has(m, "Out of memory and no killable processes..."));
}

static void oom_score_adj_max_is_preferred(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];

	spawn(m, "init");
	t[0] = spawn_with(m, "big", 2000);
	t[1] = spawn_with(m, "volunteer", 10);
	assert_int_equal(tuxmm_set_oom_score_adj(t[1], OOM_SCORE_ADJ_MAX), 0);
	assert_ptr_equal(kill_one(m, t, 2), t[1]);
}

static void negative_adj_moves_by_totalpages_thousandths(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[2];
	unsigned long step = oom_totalpages(m) / 1000;	/* 15 on 64 MiB */

	spawn(m, "init");
	t[0] = spawn_with(m, "a", 100);
	t[1] = spawn_with(m, "b", 100 + 3 * step);
	/* b is 3*step pages bigger; -4 steps make it the smaller. */
	assert_int_equal(tuxmm_set_oom_score_adj(t[1], -4), 0);
	assert_ptr_equal(kill_one(m, t, 2), t[0]);
}

static void ties_go_to_the_later_task(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[3];

	spawn(m, "init");
	t[0] = spawn_with(m, "first", 50);
	t[1] = spawn_with(m, "second", 50);
	t[2] = spawn_with(m, "smaller", 20);
	assert_int_equal(oom_badness(t[0], oom_totalpages(m)),
			 oom_badness(t[1], oom_totalpages(m)));
	assert_ptr_equal(kill_one(m, t, 3), t[1]);
}

static void init_is_never_chosen(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn_with(m, "init", 500), *t[1];

	t[0] = spawn_with(m, "other", 5);
	assert_int_equal(oom_badness(init, oom_totalpages(m)), LONG_MIN);
	assert_ptr_equal(kill_one(m, t, 1), t[0]);
	assert_false(tuxmm_task_killed(init));
}

static void nofs_and_costly_allocations_do_not_kill(void **state)
{
	struct machine *m = *state;
	struct task_struct *t;

	spawn(m, "init");
	t = spawn_with(m, "t", 400);	/* more than the reserves GFP_ATOMIC may take */
	assert_false(out_of_memory(m, GFP_NOFS, 0));
	assert_false(tuxmm_task_killed(t));
	/* Exhaust RAM from "kernel" context, then ask in ways that must not kill. */
	while (alloc_pages(m, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0))
		;
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0));
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, PAGE_ALLOC_COSTLY_ORDER + 1));
	while (alloc_pages(m, GFP_ATOMIC | __GFP_NOWARN, 0))
		;
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_DMA32 | __GFP_NOWARN, 0));
	assert_false(tuxmm_task_killed(t));
	assert_int_equal(m->vm_events[OOM_KILL], 0);
	/* A plain GFP_KERNEL allocation does: t goes, and its pages serve it. */
	assert_non_null(alloc_pages(m, GFP_KERNEL, 0));
	assert_true(tuxmm_task_killed(t));
	assert_int_equal(m->vm_events[OOM_KILL], 1);
	/* The pages taken are never given back: the machine's teardown does not need them. */
}

static void higher_order_report_says_no_compaction(void **state)
{
	struct machine *m = *state;
	struct task_struct *t[1];

	spawn(m, "init");
	t[0] = spawn_with(m, "t", 10);
	assert_true(out_of_memory(m, GFP_KERNEL, 2));
	assert_true(tuxmm_task_killed(t[0]));
	/* Outside a task's call the allocation is the kernel's own, as warn_alloc() says. */
	assert_true(dmesg_has(m, "] swapper/0 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), "
				 "order=2, oom_score_adj=0\n"));
	assert_true(dmesg_has(m, "] COMPACTION is disabled!!!\n"));
}

/* ---- /proc/PID/oom_score and oom_score_adj ---- */

static unsigned long read_ulong(struct machine *m, int pid, const char *file)
{
	char path[64], *text;
	unsigned long v;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	text = test_proc(m, path);
	v = strtoul(text, NULL, 10);
	assert_int_equal(strlen(text), strcspn(text, "\n") + 1);	/* one line */
	free(text);
	return v;
}

static void oom_score_is_linux_formula(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn(m, "init"), *t = spawn_with(m, "t", 1000), *p;
	long total = (long)oom_totalpages(m);
	char *text;

	assert_int_equal(read_ulong(m, 1, "oom_score"), 0);	/* init */
	assert_int_equal(read_ulong(m, 2, "oom_score"),
			 (1000 + expected_badness(t, (unsigned long)total) * 1000 / total) * 2 / 3);
	assert_int_equal(tuxmm_set_oom_score_adj(t, 1000), 0);
	assert_int_equal(read_ulong(m, 2, "oom_score"),
			 (1000 + expected_badness(t, (unsigned long)total) * 1000 / total) * 2 / 3);
	assert_true(read_ulong(m, 2, "oom_score") <= 2000);
	assert_int_equal(tuxmm_set_oom_score_adj(t, -1000), 0);
	assert_int_equal(read_ulong(m, 2, "oom_score"), 0);
	text = test_proc(m, "/proc/2/oom_score_adj");
	assert_string_equal(text, "-1000\n");
	free(text);
	/* fork inherits it; a fresh task has 0 and scores 666 with almost nothing. */
	assert_int_equal(tuxmm_fork(t, &p), 0);
	assert_int_equal(tuxmm_oom_score_adj(p), -1000);
	assert_int_equal(tuxmm_oom_score_adj(init), 0);
	assert_int_equal(tuxmm_set_oom_score_adj(t, -1001), -EINVAL);
	assert_int_equal(tuxmm_set_oom_score_adj(t, 1001), -EINVAL);
	assert_int_equal(tuxmm_oom_score_adj(t), -1000);
	p = spawn(m, "fresh");
	assert_int_equal(read_ulong(m, tuxmm_task_pid(p), "oom_score"), 666);
}

/* ---- real OOMs ---- */

static unsigned long free_kb(struct machine *m)
{
	char *text = test_proc(m, "/proc/meminfo");
	unsigned long kb = strtoul(strstr(text, "MemFree:") + strlen("MemFree:"), NULL, 10);

	free(text);
	return kb;
}

static bool range_reads(struct task_struct *t, unsigned long a, unsigned long len, int byte)
{
	static uint8_t buf[4096];

	for (unsigned long off = 0; off < len; off += sizeof(buf)) {
		if (tuxmm_load(t, a + off, buf, sizeof(buf), NULL))
			return false;
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != byte)
				return false;
	}
	return true;
}

static void real_oom_kills_the_biggest_and_frees_it(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn(m, "init"), *big = spawn(m, "big");
	struct task_struct *small = spawn(m, "small"), *hog = spawn(m, "hog");
	unsigned long big_a = touch(big, 2000, 0xb1), small_a = touch(small, 256, 0x5e);
	unsigned long init_a = touch(init, 64, 0x1a), before, hog_pages = 1800;
	struct mm_struct *mm = big->mm;
	struct tuxmm_siginfo si;
	char line[256], row[160], *text;
	long hog_a;

	/* 16 MiB: ~14.7 MiB free at boot; big 7.8 MiB + small 1 MiB + hog's 7 MiB do not fit. */
	hog_a = tuxmm_mmap(hog, 0, hog_pages * PG, RW, PA, -1, 0);
	assert_true(hog_a > 0);
	before = free_kb(m);
	assert_true(before < hog_pages * 4);
	snprintf(line, sizeof(line), "Out of memory: Killed process 2 (big) total-vm:%lukB, "
		 "anon-rss:%ldkB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:%lukB "
		 "oom_score_adj:0", mm->total_vm * 4, get_mm_counter(mm, MM_ANONPAGES) * 4,
		 mm->pgd.pgtables_bytes >> 10);
	snprintf(row, sizeof(row), "[      2]  1000     2 %8lu %8lu %8lu        0         0 %8lu        0"
		 "             0 big", mm->total_vm, get_mm_rss(mm), get_mm_rss(mm),
		 mm->pgd.pgtables_bytes);
	assert_int_equal(tuxmm_fill(hog, (unsigned long)hog_a, 0x40, hog_pages * PG, &si), 0);

	/* big was chosen, killed and reaped; its 7.8 MiB came back and served hog. */
	assert_true(tuxmm_task_killed(big));
	assert_null(tuxmm_find_task(m, 2));
	assert_ptr_equal(tuxmm_find_dead_task(m, 2), big);
	assert_int_equal(m->vm_events[OOM_KILL], 1);
	assert_true(dmesg_has(m, "hog invoked oom-killer: gfp_mask=0x100dca(GFP_HIGHUSER_MOVABLE|"
				 "__GFP_ZERO), order=0, oom_score_adj=0"));
	assert_true(dmesg_has(m, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
				 "mems_allowed=0,global_oom,task_memcg=/,task=big,pid=2,uid=1000"));
	assert_true(dmesg_has(m, line));
	assert_true(dmesg_has(m, "oom_reaper: reaped process 2 (big), now anon-rss:0kB"));
	assert_true(dmesg_has(m, "Tasks state (memory values in pages):\n"));
	assert_true(dmesg_has(m, "] Mem-Info:\n"));
	assert_true(dmesg_has(m, "] 3998 pages RAM\n"));
	assert_true(dmesg_has(m, "] Node 0 DMA: "));
	assert_true(dmesg_has(m, row));
	assert_true(free_kb(m) + hog_pages * 4 > before + 7900);
	assert_true(buddy_check(m));
	assert_true(slab_check(m));

	/* The others keep every byte; hog has all of its own. */
	assert_true(range_reads(small, small_a, 256 * PG, 0x5e));
	assert_true(range_reads(init, init_a, 64 * PG, 0x1a));
	assert_true(range_reads(hog, (unsigned long)hog_a, hog_pages * PG, 0x40));
	assert_true(validate_mm(small->mm));

	/* The dead task: SIGKILL on access, ESRCH for calls, no /proc/2. */
	assert_int_equal(tuxmm_load(big, big_a, &si, 1, &si), TUXMM_SIGKILL);
	assert_int_equal(si.signo, TUXMM_SIGKILL);
	assert_int_equal(si.code, TUXMM_SI_KERNEL);
	assert_int_equal(tuxmm_mmap(big, 0, PG, RW, PA, -1, 0), -ESRCH);
	assert_int_equal(tuxmm_munmap(big, big_a, PG), -ESRCH);
	assert_int_equal(tuxmm_brk(big, 0), (unsigned long)-ESRCH);
	assert_int_equal(tuxmm_open(big, "/dev/null", TUXMM_O_RDONLY, 0), -ESRCH);
	assert_int_equal(tuxmm_set_oom_score_adj(big, 0), -ESRCH);
	assert_int_equal(tuxmm_proc_read(m, "/proc/2/status", &text, NULL), -ENOENT);
	/* Its pid stays taken until the handle is released. */
	assert_int_equal(tuxmm_task_pid(spawn(m, "next")), 5);
	tuxmm_task_exit(big);
	assert_null(tuxmm_find_dead_task(m, 2));
}

static void allocating_task_killed_when_it_is_the_biggest(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn(m, "init"), *small = spawn(m, "small");
	struct task_struct *hog = spawn(m, "hog");
	unsigned long small_a = touch(small, 256, 0x5e), before_hog = free_kb(m);
	struct tuxmm_siginfo si = { 0 };
	long hog_a;

	(void)init;
	/* hog writes more than is free: it becomes the biggest and kills itself. */
	hog_a = tuxmm_mmap(hog, 0, 3700 * PG, RW, PA, -1, 0);
	assert_true(hog_a > 0);
	assert_int_equal(tuxmm_fill(hog, (unsigned long)hog_a, 0x40, 3700 * PG, &si), TUXMM_SIGKILL);
	assert_int_equal(si.signo, TUXMM_SIGKILL);
	/* Reaped when its call ended; small untouched; memory back. */
	assert_null(tuxmm_find_task(m, 3));
	assert_false(tuxmm_task_killed(small));
	assert_true(range_reads(small, small_a, 256 * PG, 0x5e));
	assert_true(free_kb(m) + 64 >= before_hog);
	assert_int_equal(m->vm_events[OOM_KILL], 1);
	assert_true(buddy_check(m));
	assert_true(slab_check(m));
	assert_int_equal(tuxmm_fill(hog, (unsigned long)hog_a, 0, PG, NULL), TUXMM_SIGKILL);
}

static void parent_killed_during_fork_has_no_child(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn(m, "init"), *parent = spawn(m, "parent"), *child;
	unsigned long nr_tasks;

	(void)init;
	/* Fill RAM with the parent, then fork: the copy's tables need pages. */
	touch(parent, 3300, 0x77);
	while (alloc_pages(m, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0))
		;
	nr_tasks = m->tasks.nr_tasks;
	assert_int_equal(tuxmm_fork(parent, &child), -ESRCH);
	assert_null(child);
	assert_true(tuxmm_task_killed(parent));
	assert_int_equal(m->tasks.nr_tasks, nr_tasks - 1);	/* parent reaped, no child */
	assert_true(buddy_check(m));
	assert_true(slab_check(m));
}

static void pinned_victim_is_reaped_when_unpinned(void **state)
{
	struct machine *m = *state;
	struct task_struct *a, *b;
	unsigned long b_a;

	spawn(m, "init");
	a = spawn_with(m, "a", 200);
	b = spawn(m, "b");
	b_a = touch(b, 10, 0x3b);
	/* Someone walks a's mm while allocating (as swapoff does): a is killed, not reaped. */
	mmget(a->mm);
	assert_false(out_of_memory(m, GFP_KERNEL, 0));
	assert_true(tuxmm_task_killed(a));
	assert_ptr_equal(tuxmm_find_task(m, 2), a);
	assert_non_null(a->mm);
	/* While it waits, no second task is killed (Linux's abort). */
	assert_false(out_of_memory(m, GFP_KERNEL, 0));
	assert_false(tuxmm_task_killed(b));
	assert_int_equal(m->vm_events[OOM_KILL], 1);
	mmput(a->mm);
	/* The next call reaps it first. */
	assert_true(range_reads(b, b_a, 10 * PG, 0x3b));
	assert_null(tuxmm_find_task(m, 2));
	assert_null(a->mm);
	assert_true(buddy_check(m));
}

static void oom_kill_allocating_task_kills_the_caller(void **state)
{
	struct machine *m = *state;
	struct task_struct *big, *hog;
	long a;

	spawn(m, "init");
	big = spawn_with(m, "big", 2000);
	hog = spawn(m, "hog");
	assert_int_equal(tuxmm_sysctl_set(m, "vm.oom_kill_allocating_task", 1), 0);
	assert_int_equal(tuxmm_sysctl_set(m, "vm.oom_dump_tasks", 0), 0);
	a = tuxmm_mmap(hog, 0, 2000 * PG, RW, PA, -1, 0);
	assert_true(a > 0);
	assert_int_equal(tuxmm_fill(hog, (unsigned long)a, 1, 2000 * PG, NULL), TUXMM_SIGKILL);
	assert_false(tuxmm_task_killed(big));
	assert_true(dmesg_has(m, "] Out of memory (oom_kill_allocating_task): Killed process 3 (hog)"));
	assert_false(dmesg_has(m, "Tasks state"));
	assert_true(buddy_check(m));
}

static void only_init_left_fails_with_enomem(void **state)
{
	struct machine *m = *state;
	struct task_struct *init = spawn(m, "init");
	long a = tuxmm_mmap(init, 0, 3700 * PG, RW, PA, -1, 0);

	assert_true(a > 0);
	assert_int_equal(tuxmm_fill(init, (unsigned long)a, 1, 3700 * PG, NULL), -ENOMEM);
	assert_false(tuxmm_task_killed(init));
	assert_true(dmesg_has(m, "Out of memory and no killable processes..."));
	assert_true(dmesg_has(m, "] init: page allocation failure: order:0, "
				 "mode:0x100dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null)\n"));
	assert_true(buddy_check(m));
	assert_true(slab_check(m));
}

/* ---- random operations under memory pressure ---- */

#define RT_TASKS 8
#define RT_REGIONS 8

struct rt_region {
	unsigned long addr, pages;
	int byte;
};

struct rt_task {
	struct task_struct *t;
	struct rt_region r[RT_REGIONS];
	int nr;
};

static void rt_forget(struct rt_task *rt, int i)
{
	rt->r[i] = rt->r[--rt->nr];
}

/* rt_check - every region of every live task reads back; killed tasks answer SIGKILL. */
static void rt_check(struct machine *m, struct rt_task *tasks, int *nr_tasks, uint64_t seed)
{
	for (int i = 0; i < *nr_tasks; i++) {
		struct rt_task *rt = &tasks[i];
		uint8_t b;

		if (tuxmm_task_killed(rt->t)) {
			struct tuxmm_siginfo si;

			assert_null(tuxmm_find_task(m, tuxmm_task_pid(rt->t)));
			assert_int_equal(tuxmm_load(rt->t, 0x10000, &b, 1, &si), TUXMM_SIGKILL);
			tuxmm_task_exit(rt->t);
			tasks[i--] = tasks[--*nr_tasks];
			continue;
		}
		for (int k = 0; k < rt->nr; k++)
			if (!range_reads(rt->t, rt->r[k].addr, rt->r[k].pages * PG, rt->r[k].byte))
				fail_msg("seed %llu: pid %d lost data at %#lx", (unsigned long long)seed,
					 tuxmm_task_pid(rt->t), rt->r[k].addr);
		assert_true(validate_mm(rt->t->mm));
	}
	if (!buddy_check(m) || !slab_check(m))
		fail_msg("seed %llu: allocator check failed", (unsigned long long)seed);
}

static void rt_step(struct machine *m, struct rt_task *tasks, int *nr_tasks, uint64_t *rng)
{
	struct rt_task *rt = *nr_tasks ? &tasks[test_rand(rng) % (uint64_t)*nr_tasks] : NULL;
	unsigned long op = test_rand(rng) % 8, pages = 16 + test_rand(rng) % 600;
	int flags = PA | (test_rand(rng) % 3 ? 0 : MAP_POPULATE);
	struct task_struct *child;
	long a;

	if (!rt || (op == 0 && *nr_tasks < RT_TASKS)) {
		if (*nr_tasks == RT_TASKS)
			return;
		assert_int_equal(tuxmm_spawn(m, "rt", &tasks[*nr_tasks].t), 0);
		tasks[(*nr_tasks)++].nr = 0;
		return;
	}
	switch (op) {
	case 1: case 2: case 3:	/* map and write a region (populated or by faults) */
		if (rt->nr == RT_REGIONS)
			return;
		a = tuxmm_mmap(rt->t, 0, pages * PG, RW, flags, -1, 0);
		if (a < 0)
			return;
		rt->r[rt->nr] = (struct rt_region){ (unsigned long)a, pages, 1 + (int)(test_rand(rng) % 250) };
		if (tuxmm_fill(rt->t, (unsigned long)a, rt->r[rt->nr].byte, pages * PG, NULL) == 0)
			rt->nr++;
		return;
	case 4:	/* unmap one */
		if (rt->nr) {
			int k = (int)(test_rand(rng) % (uint64_t)rt->nr);

			if (!tuxmm_munmap(rt->t, rt->r[k].addr, rt->r[k].pages * PG))
				rt_forget(rt, k);
		}
		return;
	case 5:	/* fork: the child has the same regions */
		if (*nr_tasks < RT_TASKS && !tuxmm_fork(rt->t, &child)) {
			tasks[*nr_tasks] = *rt;
			tasks[(*nr_tasks)++].t = child;
		}
		return;
	case 6:	/* move one region elsewhere, bigger */
		if (rt->nr) {
			int k = (int)(test_rand(rng) % (uint64_t)rt->nr);

			a = tuxmm_mremap(rt->t, rt->r[k].addr, rt->r[k].pages * PG,
					 (rt->r[k].pages + 8) * PG, MREMAP_MAYMOVE, 0);
			if (a > 0)
				rt->r[k].addr = (unsigned long)a;
		}
		return;
	default:	/* write a region again: copy-on-write after a fork */
		if (rt->nr) {
			int k = (int)(test_rand(rng) % (uint64_t)rt->nr);

			if (tuxmm_fill(rt->t, rt->r[k].addr, rt->r[k].byte, rt->r[k].pages * PG, NULL))
				rt_forget(rt, k);
		}
		return;
	}
}

static void random_ops_under_oom_lose_nothing(void **state)
{
	struct machine *m = *state;
	struct rt_task tasks[RT_TASKS];
	uint64_t seed = test_seed(), rng = seed;
	int nr_tasks = 0;

	spawn(m, "init");
	for (int step = 0; step < 400; step++) {
		rt_step(m, tasks, &nr_tasks, &rng);
		rt_check(m, tasks, &nr_tasks, seed);
	}
	/* Pressure made the OOM killer work, and nothing was lost. */
	assert_true(m->vm_events[OOM_KILL] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(badness_is_rss_swap_and_page_tables, setup_big,
						teardown),
		cmocka_unit_test_setup_teardown(biggest_rss_is_killed, setup_big, teardown),
		cmocka_unit_test_setup_teardown(swap_entries_count, setup_big, teardown),
		cmocka_unit_test_setup_teardown(swap_entries_count_only_as_much_as_they_are,
						setup_big, teardown),
		cmocka_unit_test_setup_teardown(page_tables_count, setup_big, teardown),
		cmocka_unit_test_setup_teardown(oom_score_adj_min_protects, setup_big, teardown),
		cmocka_unit_test_setup_teardown(oom_score_adj_max_is_preferred, setup_big, teardown),
		cmocka_unit_test_setup_teardown(negative_adj_moves_by_totalpages_thousandths,
						setup_big, teardown),
		cmocka_unit_test_setup_teardown(ties_go_to_the_later_task, setup_big, teardown),
		cmocka_unit_test_setup_teardown(init_is_never_chosen, setup_big, teardown),
		cmocka_unit_test_setup_teardown(nofs_and_costly_allocations_do_not_kill, setup_small,
						teardown),
		cmocka_unit_test_setup_teardown(higher_order_report_says_no_compaction, setup_big,
						teardown),
		cmocka_unit_test_setup_teardown(oom_score_is_linux_formula, setup_big, teardown),
		cmocka_unit_test_setup_teardown(real_oom_kills_the_biggest_and_frees_it, setup_small,
						teardown),
		cmocka_unit_test_setup_teardown(allocating_task_killed_when_it_is_the_biggest,
						setup_small, teardown),
		cmocka_unit_test_setup_teardown(parent_killed_during_fork_has_no_child, setup_small,
						teardown),
		cmocka_unit_test_setup_teardown(pinned_victim_is_reaped_when_unpinned, setup_big,
						teardown),
		cmocka_unit_test_setup_teardown(oom_kill_allocating_task_kills_the_caller,
						setup_small, teardown),
		cmocka_unit_test_setup_teardown(random_ops_under_oom_lose_nothing, setup_small,
						teardown),
		cmocka_unit_test_setup_teardown(only_init_left_fails_with_enomem, setup_small,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
