/*
 * test_frameinfo.c - tuxmm_frame_info() and the swap-slot inspection API: every frame is
 * classified as what it really holds (free blocks, reservations, page tables, slabs,
 * anonymous and file pages), and swap areas show their slots.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "memory.h"
#include "mm.h"
#include "pgtable.h"
#include "sched.h"
#include "slab.h"
#include "vma.h"

#define MiB (1ULL << 20)

static struct tuxmm_frame_info frame(struct machine *m, unsigned long pfn)
{
	struct tuxmm_frame_info fi;

	assert_int_equal(tuxmm_frame_info(m, pfn, &fi), 0);
	return fi;
}

/* user_pfn - the frame behind @addr in @t's page tables (it must be present). */
static unsigned long user_pfn(struct task_struct *t, unsigned long addr)
{
	pte_t *pte = pte_lookup(t->mm, addr);

	assert_non_null(pte);
	assert_true(pte_present(*pte));
	return pte_pfn(t->mm->machine, *pte);
}

static void frame_info_free_frames_match_buddyinfo(void **state)
{
	struct machine *m = *state;
	unsigned long nr_free[TUXMM_FRAME_NR_KINDS] = { 0 }, blocks[16] = { 0 };
	unsigned long pfn = 0, buddy_total[16] = { 0 };
	char *text = test_proc(m, "/proc/buddyinfo"), *line = text;

	while (pfn < tuxmm_max_pfn(m)) {
		struct tuxmm_frame_info fi = frame(m, pfn);

		if (fi.kind == TUXMM_FRAME_FREE) {
			assert_int_equal(fi.head_pfn, pfn);	/* the walk lands on heads */
			assert_true(fi.order < 16);
			blocks[fi.order]++;
			nr_free[fi.kind] += 1UL << fi.order;
			pfn += 1UL << fi.order;
			continue;
		}
		nr_free[fi.kind]++;
		pfn++;
	}
	/* buddyinfo: "Node 0, zone DMA n0 n1 ..." per zone; sum the columns */
	while (line && *line) {
		char *p = strstr(line, "zone");
		char *nl = strchr(line, '\n');

		p += 4;
		while (*p == ' ')
			p++;
		p = strchr(p, ' ');
		for (int o = 0; o <= (int)m->max_order; o++)
			buddy_total[o] += strtoul(p, &p, 10);
		line = nl ? nl + 1 : NULL;
	}
	for (int o = 0; o <= (int)m->max_order; o++)
		assert_int_equal(blocks[o], buddy_total[o]);
	assert_true(nr_free[TUXMM_FRAME_HOLE] > 0);	/* 640 KiB - 1 MiB */
	assert_true(nr_free[TUXMM_FRAME_RESERVED] > 0);
	free(text);
}

static void frame_info_low_memory_and_hole(void **state)
{
	struct machine *m = *state;
	unsigned long hole = (640 * 1024) >> m->page_shift;
	struct tuxmm_frame_info fi = frame(m, 0);

	assert_int_equal(fi.kind, TUXMM_FRAME_HOLE);	/* e820 takes page 0 out */
	assert_string_equal(fi.name, "Reserved");
	fi = frame(m, 1);
	assert_int_equal(fi.kind, TUXMM_FRAME_RESERVED);
	assert_string_equal(fi.name, "low 1 MiB");
	assert_int_equal(fi.zone, 0);
	fi = frame(m, hole);
	assert_int_equal(fi.kind, TUXMM_FRAME_HOLE);
	assert_int_equal(fi.zone, -1);
	assert_string_equal(tuxmm_frame_kind_name(fi.kind), "hole");
	assert_string_equal(tuxmm_frame_kind_name(99), "?");
}

static void frame_info_past_the_end_is_einval(void **state)
{
	struct machine *m = *state;
	struct tuxmm_frame_info fi;

	assert_int_equal(tuxmm_frame_info(m, tuxmm_max_pfn(m), &fi), -EINVAL);
	assert_int_equal(tuxmm_frame_info(m, ~0UL, &fi), -EINVAL);
}

static void frame_info_names_a_reservation(void **state)
{
	struct tuxmm_config cfg;
	struct machine *m;
	struct tuxmm_frame_info fi;

	(void)state;
	tuxmm_config_init(&cfg);
	assert_int_equal(tuxmm_parse_reservation("camera:1M@0x2000000", &cfg.reserve[0], NULL), 0);
	cfg.nr_reserve = 1;
	m = test_boot_cfg(&cfg);
	fi = frame(m, 0x2000000 >> m->page_shift);
	assert_int_equal(fi.kind, TUXMM_FRAME_RESERVED);
	assert_string_equal(fi.name, "camera");
	fi = frame(m, (0x2100000 >> m->page_shift) - 1);
	assert_string_equal(fi.name, "camera");
	fi = frame(m, __pa(m, m->mem_map) >> m->page_shift);
	assert_int_equal(fi.kind, TUXMM_FRAME_RESERVED);
	assert_string_equal(fi.name, "mem_map");
	tuxmm_machine_destroy(m);
}

static void frame_info_anon_page_and_its_tables(void **state)
{
	struct machine *m = *state;
	struct task_struct *t, *child;
	struct tuxmm_frame_info fi;
	long a;
	unsigned long pfn;

	assert_int_equal(tuxmm_spawn(m, "fi", &t), 0);
	a = tuxmm_mmap(t, 0, 4 * m->page_size, TUXMM_PROT_READ | TUXMM_PROT_WRITE,
		       TUXMM_MAP_PRIVATE | TUXMM_MAP_ANONYMOUS, -1, 0);
	assert_true(a > 0);
	assert_int_equal(tuxmm_fill(t, (unsigned long)a, 'x', m->page_size, NULL), 0);
	pfn = user_pfn(t, (unsigned long)a);
	fi = frame(m, pfn);
	assert_int_equal(fi.kind, TUXMM_FRAME_ANON);
	assert_int_equal(fi.mapcount, 1);
	assert_true(fi.lru);
	assert_true(fi.refcount >= 1);

	assert_int_equal(tuxmm_fork(t, &child), 0);
	assert_int_equal(frame(m, pfn).mapcount, 2);	/* shared copy-on-write */

	fi = frame(m, t->mm->pgd.pgd_phys >> m->page_shift);
	assert_int_equal(fi.kind, TUXMM_FRAME_PGTABLE);
	assert_string_equal(fi.name, "PGD");
	tuxmm_task_exit(child);
	assert_int_equal(frame(m, pfn).mapcount, 1);
	tuxmm_task_exit(t);
	fi = frame(m, pfn);
	assert_true(fi.kind == TUXMM_FRAME_FREE || fi.kind == TUXMM_FRAME_PCP);
}

static void frame_info_slab_names_its_cache(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "frameinfo_test", 200, 0, 0, NULL);
	void *obj;
	struct tuxmm_frame_info fi;

	assert_non_null(s);
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(obj);
	fi = frame(m, __pa(m, obj) >> m->page_shift);
	assert_int_equal(fi.kind, TUXMM_FRAME_SLAB);
	assert_string_equal(fi.name, "frameinfo_test");
	kmem_cache_free(s, obj);
	kmem_cache_destroy(s);
}

static void frame_info_file_page_names_its_file(void **state)
{
	struct machine *m = *state;
	char path[] = "/tmp/tuxmm-fi-XXXXXX";
	int fd = mkstemp(path);
	char buf[8192];
	struct task_struct *t;
	const char *base = strrchr(path, '/') + 1;
	struct tuxmm_frame_info fi;
	long a;

	assert_true(fd >= 0);
	memset(buf, 'f', sizeof(buf));
	assert_int_equal(write(fd, buf, sizeof(buf)), (long)sizeof(buf));
	close(fd);
	assert_int_equal(tuxmm_spawn(m, "fi", &t), 0);
	a = tuxmm_mmap_path(t, 0, 8192, TUXMM_PROT_READ, TUXMM_MAP_PRIVATE, path, 0);
	assert_true(a > 0);
	assert_int_equal(tuxmm_touch(t, (unsigned long)a, 1, false, NULL), 0);
	fi = frame(m, user_pfn(t, (unsigned long)a));
	assert_int_equal(fi.kind, TUXMM_FRAME_FILE);
	assert_string_equal(fi.name, base);
	tuxmm_task_exit(t);
	unlink(path);
}

static void swap_slots_show_the_header_and_free_slots(void **state)
{
	struct machine *m = *state;
	char path[] = "/tmp/tuxmm-fi-swap-XXXXXX";
	int fd = mkstemp(path);
	char err[TUXMM_ERRMSG_MAX] = "";
	struct tuxmm_swap_area_info si;
	unsigned char map[300];

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tuxmm_swap_area(m, 0, &si), -ENOENT);
	assert_int_equal(tuxmm_swap_slots(m, 0, 0, map, 1), -ENOENT);
	assert_int_equal(tuxmm_mkswap(path, 1 * MiB, 4096, 1, err), 0);
	assert_int_equal(tuxmm_swapon(m, path, 5, err), 0);
	assert_int_equal(tuxmm_swap_area(m, 0, &si), 0);
	assert_string_equal(si.path, path);
	assert_int_equal(si.prio, 5);
	assert_int_equal(si.nr_slots, 256);
	assert_int_equal(si.nr_usable, 255);
	assert_int_equal(si.nr_inuse, 0);
	assert_true(si.writeok);
	assert_int_equal(tuxmm_swap_slots(m, 0, 0, map, sizeof(map)), 256);
	assert_int_equal(map[0], 0x3f);
	for (int i = 1; i < 256; i++)
		assert_int_equal(map[i], 0);
	assert_int_equal(tuxmm_swap_slots(m, 0, 250, map, sizeof(map)), 6);
	assert_int_equal(tuxmm_swap_slots(m, 0, 256, map, sizeof(map)), 0);
	assert_int_equal(tuxmm_swap_area(m, 1, &si), -ENOENT);
	assert_int_equal(tuxmm_swapoff(m, path), 0);
	unlink(path);
}

static void vm_layout_names_levels_top_down(void **state)
{
	struct tuxmm_config cfg;
	struct tuxmm_vm_layout l;
	struct machine *m;

	tuxmm_vm_layout(*state, &l);
	assert_int_equal(l.va_bits, 48);
	assert_int_equal(l.levels, 4);
	assert_string_equal(l.level[0].name, "PGD");
	assert_string_equal(l.level[3].name, "PTE");
	assert_int_equal(l.level[0].shift, 39);
	assert_int_equal(l.level[3].shift, 12);
	assert_int_equal(l.level[3].ptrs, 512);
	assert_int_equal(l.task_size, 0x7ffffffff000UL);
	assert_int_equal(l.page_offset, 0xffff888000000000UL);

	tuxmm_config_init(&cfg);
	cfg.pgtable_levels = 3;
	m = test_boot_cfg(&cfg);
	tuxmm_vm_layout(m, &l);
	assert_int_equal(l.levels, 3);		/* the slides' PGD -> PMD -> PTE */
	assert_string_equal(l.level[0].name, "PGD");
	assert_string_equal(l.level[1].name, "PMD");
	assert_int_equal(l.level[0].shift, 30);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(frame_info_free_frames_match_buddyinfo,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(frame_info_low_memory_and_hole,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(frame_info_past_the_end_is_einval,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test(frame_info_names_a_reservation),
		cmocka_unit_test_setup_teardown(frame_info_anon_page_and_its_tables,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(frame_info_slab_names_its_cache,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(frame_info_file_page_names_its_file,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(vm_layout_names_levels_top_down,
						test_setup_machine, test_teardown_machine),
		cmocka_unit_test_setup_teardown(swap_slots_show_the_header_and_free_slots,
						test_setup_machine, test_teardown_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
