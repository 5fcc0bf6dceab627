/*
 * test_slab.c - the slab allocator: cache geometry, constructors, the per-CPU
 * fast path, kmalloc size classes, shrinking, debugging reports, failslab, stress.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "../../src/mm/slab_internal.h"
#include "printk.h"
#include "report.h"

#define MiB (1ULL << 20)

/* ---- helpers ---- */

static struct page *slab_of(struct machine *m, const void *p)
{
	return virt_to_slab(m, p);
}

static struct kmem_cache *cache_of(struct machine *m, const void *p)
{
	struct page *slab = slab_of(m, p);

	return slab ? slab->slab_cache : NULL;
}

/* Free pages once every cache and per-CPU list gave back what it can. */
static unsigned long settled_free_pages(struct machine *m)
{
	slab_shrink_all(m);
	drain_all_pages(m);
	return nr_free_pages(m) + nr_pcp_pages(m);
}

static char *slabinfo_text(struct machine *m)
{
	struct report r;

	report_init(&r);
	slabinfo_show(m, &r);
	assert_int_equal(r.error, 0);
	return r.buf;	/* host memory, freed by the caller */
}

/* The slabinfo line of cache @name, copied into @line. */
static bool slabinfo_line(struct machine *m, const char *name, char *line, size_t len)
{
	char *text = slabinfo_text(m);
	size_t nlen = strlen(name);
	bool found = false;

	for (char *p = text; *p && !found;) {
		size_t l = strcspn(p, "\n");

		if (!strncmp(p, name, nlen) && p[nlen] == ' ') {
			snprintf(line, len, "%.*s", (int)l, p);
			found = true;
		}
		p += l + (p[l] == '\n');
	}
	free(text);
	return found;
}

static void fill(void *p, size_t len, uint8_t val)
{
	memset(p, val, len);
}

static bool filled(const void *p, size_t len, uint8_t val)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != val)
			return false;
	return true;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Objects of @size bytes at @addrs must not overlap. */
static void assert_no_overlap(uintptr_t *addrs, size_t nr, size_t size)
{
	qsort(addrs, nr, sizeof(*addrs), cmp_ptr);
	for (size_t i = 1; i < nr; i++)
		assert_true(addrs[i - 1] + size <= addrs[i]);
}

static int ctor_calls;

static void count_ctor(void *obj)
{
	ctor_calls++;
	memcpy(obj, "ctor-ok", 8);
}

/* ---- boot ---- */

static void slab_init_creates_linux_boot_caches(void **state)
{
	struct machine *m = *state;
	char *text = slabinfo_text(m);
	const char *order[] = { "kmalloc-8k", "kmalloc-4k", "kmalloc-2k", "kmalloc-1k",
				"kmalloc-512", "kmalloc-256", "kmalloc-128", "kmalloc-64",
				"kmalloc-32", "kmalloc-16", "kmalloc-8", "kmalloc-192",
				"kmalloc-96", "kmem_cache_node", "kmem_cache" };
	char *p;

	assert_non_null(strstr(tuxmm_dmesg(m),
			       "SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\n"));
	assert_true(!strncmp(text, "slabinfo - version: 2.1\n# name            <active_objs> ",
			     strlen("slabinfo - version: 2.1\n# name            <active_objs> ")));
	/* Caches created later by other subsystems come first (newest first). */
	p = strstr(text, "\nkmalloc-8k ");
	assert_non_null(p);
	p++;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		assert_true(!strncmp(p, order[i], strlen(order[i])) && p[strlen(order[i])] == ' ');
		p = strchr(p, '\n') + 1;
	}
	assert_int_equal(*p, '\0');
	free(text);
	assert_true(slab_check(m));
}

static void kmem_cache_structs_live_in_their_own_cache(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *kc = m->slab.kmem_cache, *kn = m->slab.kmem_cache_node;

	assert_ptr_equal(cache_of(m, kc), kc);	/* bootstrapped: it holds itself */
	assert_ptr_equal(cache_of(m, kn), kc);
	assert_ptr_equal(cache_of(m, kc->node), kn);
	assert_ptr_equal(cache_of(m, m->slab.kmalloc_caches[6]), kc);
	assert_ptr_equal(cache_of(m, m->slab.kmalloc_caches[6]->node), kn);
	assert_string_equal(kmem_cache_name(m->slab.kmalloc_caches[6]), "kmalloc-64");
	assert_true(slab_unreclaimable_pages(m) > 0);
	assert_int_equal(slab_reclaimable_pages(m), 0);
}

/* ---- geometry ---- */

static void caches_of_many_sizes_and_alignments_align_and_never_overlap(void **state)
{
	static const unsigned int sizes[] = { 1,   2,   3,   7,    8,    9,    15,   16,   24,
					      31,  32,  33,  63,   64,   65,   96,   100,  127,
					      128, 192, 200, 255,  256,  500,  512,  1000, 1024,
					      2000, 2048, 3000, 4096, 5000, 8192 };
	static const unsigned int aligns[] = { 0, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 };
	struct machine *m = *state;
	static uintptr_t addrs[512];
	static void *objs[512];

	for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
		for (size_t ai = 0; ai < ARRAY_SIZE(aligns); ai++) {
			unsigned int size = sizes[si], align = aligns[ai] ? aligns[ai] : 8;
			struct kmem_cache *s = kmem_cache_create(m, "geom", size, aligns[ai], 0,
								 NULL);
			size_t nr;

			assert_non_null(s);
			assert_int_equal(kmem_cache_size(s), size);
			assert_true(s->size >= size && s->size % align == 0);
			nr = 2 * s->objects + 1;	/* at least three slabs */
			if (nr > ARRAY_SIZE(objs))
				nr = ARRAY_SIZE(objs);
			for (size_t i = 0; i < nr; i++) {
				objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
				assert_non_null(objs[i]);
				assert_true(IS_ALIGNED((uintptr_t)__pa(m, objs[i]), align));
				assert_ptr_equal(cache_of(m, objs[i]), s);
				fill(objs[i], size, (uint8_t)i);
				addrs[i] = (uintptr_t)objs[i];
			}
			for (size_t i = 0; i < nr; i++)
				assert_true(filled(objs[i], size, (uint8_t)i));
			assert_no_overlap(addrs, nr, size);
			assert_true(slab_check(m));
			for (size_t i = 0; i < nr; i++)
				kmem_cache_free(s, objs[i]);
			kmem_cache_destroy(s);
		}
	}
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
	assert_true(buddy_check(m));
}

static void slab_order_follows_calculate_order(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s;

	m->slab.debug_flags = 0;
	/* 1 CPU: min_objects = 4 * (fls(1) + 1) = 8. */
	s = kmem_cache_create(m, "o256", 256, 0, 0, NULL);
	assert_int_equal(s->order, 0);		/* 8 * 256 fits a page */
	assert_int_equal(s->objects, 16);
	kmem_cache_destroy(s);
	s = kmem_cache_create(m, "o1024", 1024, 0, 0, NULL);
	assert_int_equal(s->order, 1);		/* 8 KiB: 8 objects */
	assert_int_equal(s->objects, 8);
	kmem_cache_destroy(s);
	s = kmem_cache_create(m, "o3000", 3000, 0, 0, NULL);
	assert_int_equal(s->order, 3);		/* 8 objects need 24 KiB */
	assert_int_equal(s->objects, 10);
	kmem_cache_destroy(s);
	s = kmem_cache_create(m, "o20000", 20000, 0, 0, NULL);
	assert_int_equal(s->order, 3);		/* one object per order-3 slab */
	assert_int_equal(s->objects, 1);
	kmem_cache_destroy(s);
	assert_true(slab_check(m));
}

static void constructor_runs_once_per_object_when_slab_is_created(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "ctor", 100, 0, 0, count_ctor);
	void *objs[64];
	unsigned int per_slab = s->objects;

	ctor_calls = 0;
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);	/* the whole new slab, at once */
	assert_memory_equal(objs[0], "ctor-ok", 8);
	for (unsigned int i = 1; i < per_slab; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_memory_equal(objs[i], "ctor-ok", 8);
	}
	assert_int_equal(ctor_calls, per_slab);	/* no more slabs needed */
	kmem_cache_free(s, objs[3]);
	objs[3] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);	/* reuse does not construct again */
	objs[per_slab] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, 2 * per_slab);	/* a second slab */
	for (unsigned int i = 0; i <= per_slab; i++)
		kmem_cache_free(s, objs[i]);
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
}

static void hwcache_align_aligns_objects_to_cache_lines(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *big, *small;
	void *p[20];

	m->slab.debug_flags = 0;
	big = kmem_cache_create(m, "hw40", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	small = kmem_cache_create(m, "hw20", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_int_equal(big->align, 64);
	assert_int_equal(big->size, 64);
	assert_int_equal(small->align, 32);	/* Linux halves the line for small objects */
	assert_int_equal(small->size, 32);
	for (int i = 0; i < 20; i++) {
		p[i] = kmem_cache_alloc(big, GFP_KERNEL);
		assert_true(IS_ALIGNED(__pa(m, p[i]), 64));
	}
	for (int i = 0; i < 20; i++)
		kmem_cache_free(big, p[i]);
	kmem_cache_destroy(big);
	kmem_cache_destroy(small);
	assert_true(slab_check(m));
}

static void bad_cache_arguments_are_refused(void **state)
{
	struct machine *m = *state;
	unsigned long before = settled_free_pages(m);

	assert_null(kmem_cache_create(m, "zero", 0, 0, 0, NULL));
	assert_non_null(strstr(tuxmm_dmesg(m), "kmem_cache_create(zero) integrity check failed"));
	assert_null(kmem_cache_create(m, "odd", 64, 24, 0, NULL));
	assert_null(kmem_cache_create(m, NULL, 64, 0, 0, NULL));
	assert_null(kmem_cache_create(m, "flags", 64, 0, 0x1, NULL));
	assert_non_null(strstr(tuxmm_dmesg(m), "kmem_cache_create(flags) failed with error -22"));
	/* Fits MAX_PAGE_ORDER alone, not with its red zones: no slab can hold it. */
	assert_null(kmem_cache_create(m, "huge", m->page_size << m->max_order, 0, 0, NULL));
	assert_non_null(strstr(tuxmm_dmesg(m), "kmem_cache_create(huge) failed with error -22"));
	assert_int_equal(settled_free_pages(m), before);
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
}

/* ---- per-CPU fast path ---- */

static void each_cpu_allocates_from_its_own_slab(void **state)
{
	struct machine *m;
	struct tuxmm_config cfg;
	struct kmem_cache *s;
	void *a, *b, *c;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 4;
	m = test_boot_cfg(&cfg);
	assert_non_null(strstr(tuxmm_dmesg(m), "CPUs=4, Nodes=1"));
	m->slab.debug_flags = 0;
	s = kmem_cache_create(m, "percpu", 64, 0, 0, NULL);
	m->cur_cpu = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	m->cur_cpu = 1;
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_not_equal(slab_of(m, a), slab_of(m, b));
	assert_ptr_equal(s->cpu_slab[0].slab, slab_of(m, a));
	assert_ptr_equal(s->cpu_slab[1].slab, slab_of(m, b));
	assert_null(s->cpu_slab[2].slab);

	/* Same CPU: LIFO through the CPU freelist, the slab untouched. */
	kmem_cache_free(s, b);
	assert_int_equal(slab_of(m, b)->inuse, s->objects);
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), b);

	/* A free from another CPU waits on the slab's own freelist. */
	m->cur_cpu = 0;
	kmem_cache_free(s, b);
	assert_ptr_equal(slab_of(m, b)->freelist, b);
	assert_int_equal(slab_of(m, b)->inuse, s->objects - 1);
	assert_true(slab_check(m));
	c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(slab_of(m, c), slab_of(m, a));
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
	assert_null(strstr(tuxmm_dmesg(m), "BUG"));
	tuxmm_machine_destroy(m);
}

static void cpu_slab_refills_from_remote_frees_before_new_slabs(void **state)
{
	struct machine *m;
	struct tuxmm_config cfg;
	struct kmem_cache *s;
	void *objs[64] = { 0 };
	unsigned int n;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 2;
	m = test_boot_cfg(&cfg);
	m->slab.debug_flags = 0;
	s = kmem_cache_create(m, "remote", 256, 0, 0, NULL);
	n = s->objects;
	assert_true(n > 5 && n <= ARRAY_SIZE(objs));
	m->cur_cpu = 1;
	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	m->cur_cpu = 0;
	kmem_cache_free(s, objs[5]);		/* remote: CPU 1's slab */
	m->cur_cpu = 1;
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), objs[5]);
	assert_int_equal(s->node->nr_slabs, 1);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
	tuxmm_machine_destroy(m);
}

/* ---- kmalloc ---- */

static size_t expected_class(size_t size)
{
	if (size <= 8)
		return 8;
	if (size <= 16)
		return 16;
	if (size <= 32)
		return 32;
	if (size <= 64)
		return 64;
	if (size <= 96)
		return 96;
	if (size <= 128)
		return 128;
	if (size <= 192)
		return 192;
	for (size_t c = 256;; c *= 2)
		if (size <= c)
			return c;
}

static void kmalloc_serves_every_size_from_its_linux_class(void **state)
{
	struct machine *m = *state;
	char name[32];

	assert_ptr_equal(kmalloc(m, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(m, ZERO_SIZE_PTR);
	kfree(m, NULL);
	for (size_t size = 1; size <= 8192; size++) {
		void *p = kmalloc(m, size, GFP_KERNEL);
		size_t class = expected_class(size);

		assert_non_null(p);
		assert_int_equal(ksize(m, p), class);
		if (class >= 1024)
			snprintf(name, sizeof(name), "kmalloc-%zuk", class / 1024);
		else
			snprintf(name, sizeof(name), "kmalloc-%zu", class);
		assert_string_equal(kmem_cache_name(cache_of(m, p)), name);
		if (is_power_of_2(class))
			assert_true(IS_ALIGNED(__pa(m, p), class));	/* natural alignment */
		fill(p, size, 0x5c);
		kfree(m, p);
	}
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
}

static void kzalloc_zeroes_the_whole_object(void **state)
{
	struct machine *m = *state;
	uint8_t *p = kmalloc(m, 200, GFP_KERNEL);

	fill(p, 200, 0xee);
	kfree(m, p);
	p = kzalloc(m, 200, GFP_KERNEL);
	assert_true(filled(p, ksize(m, p), 0));
	kfree(m, p);
	assert_true(slab_check(m));
}

static void krealloc_grows_and_shrinks_keeping_contents(void **state)
{
	struct machine *m = *state;
	unsigned long before = settled_free_pages(m);
	uint8_t *p = kmalloc(m, 10, GFP_KERNEL), *q;

	for (int i = 0; i < 10; i++)
		p[i] = (uint8_t)(i + 1);
	q = krealloc(m, p, 8, GFP_KERNEL);
	assert_ptr_equal(q, p);			/* still fits: in place */
	p = krealloc(m, q, 100, GFP_KERNEL);
	assert_int_equal(ksize(m, p), 128);
	for (int i = 0; i < 10; i++)
		assert_int_equal(p[i], i + 1);
	fill(p + 10, 90, 0x77);
	p = krealloc(m, p, 5000, GFP_KERNEL);
	assert_int_equal(ksize(m, p), 8192);
	assert_true(filled(p + 10, 90, 0x77));
	p = krealloc(m, p, 3 * m->page_size, GFP_KERNEL);	/* to the page allocator */
	assert_null(slab_of(m, p));
	assert_true(filled(p + 10, 90, 0x77));
	for (int i = 0; i < 10; i++)
		assert_int_equal(p[i], i + 1);
	q = krealloc(m, p, 50, GFP_KERNEL);
	assert_ptr_equal(q, p);			/* shrinking keeps the block */
	assert_ptr_equal(krealloc(m, q, 0, GFP_KERNEL), ZERO_SIZE_PTR);	/* frees it */
	p = krealloc(m, NULL, 40, GFP_KERNEL);
	assert_int_equal(ksize(m, p), 64);
	kfree(m, p);
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
	assert_int_equal(settled_free_pages(m), before);
}

static void large_kmalloc_comes_from_the_page_allocator(void **state)
{
	struct machine *m = *state;
	unsigned long free_before = settled_free_pages(m);
	long slab_before = global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);
	size_t size = 2 * m->page_size + 1;
	void *p = kmalloc(m, size, GFP_KERNEL);
	struct page *page;

	assert_non_null(p);
	page = virt_to_page(m, p);
	assert_true(IS_ALIGNED(__pa(m, p), 4 * m->page_size));
	assert_false(PageSlab(page));
	assert_true(PageHead(page));
	assert_int_equal(compound_order(page), 2);
	assert_int_equal(ksize(m, p), 4 * m->page_size);
	assert_int_equal(global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B) - slab_before,
			 4 * m->page_size);
	drain_all_pages(m);
	assert_int_equal(nr_free_pages(m), free_before - 4);
	assert_true(slab_check(m));
	kfree(m, p);
	assert_int_equal(global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), slab_before);
	assert_int_equal(settled_free_pages(m), free_before);
	/* 2 pages exactly is still a slab object (kmalloc-8k). */
	p = kmalloc(m, 2 * m->page_size, GFP_KERNEL);
	assert_non_null(slab_of(m, p));
	kfree(m, p);
	assert_true(slab_check(m));
}

static void kmalloc_classes_scale_with_the_page_size(void **state)
{
	static const unsigned int shifts[] = { 14, 16 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(shifts); i++) {
		struct tuxmm_config cfg;
		struct machine *m;
		char name[32], line[256];
		void *p;

		tuxmm_config_init(&cfg);
		cfg.page_shift = shifts[i];
		cfg.ram_bytes = 256 * MiB;
		m = test_boot_cfg(&cfg);
		snprintf(name, sizeof(name), "kmalloc-%luk", 2 * m->page_size / 1024);
		assert_true(slabinfo_line(m, name, line, sizeof(line)));
		p = kmalloc(m, 2 * m->page_size, GFP_KERNEL);
		assert_string_equal(kmem_cache_name(cache_of(m, p)), name);
		kfree(m, p);
		p = kmalloc(m, 2 * m->page_size + 1, GFP_KERNEL);
		assert_null(slab_of(m, p));
		assert_int_equal(ksize(m, p), 4 * m->page_size);
		kfree(m, p);
		assert_true(slab_check(m));
		assert_true(buddy_check(m));
		assert_int_equal(m->slab.nr_errors, 0);
		tuxmm_machine_destroy(m);
	}
}

/* ---- shrink, destroy, accounting ---- */

static void shrink_gives_empty_slabs_back(void **state)
{
	struct machine *m = *state;
	unsigned long before = settled_free_pages(m);
	struct kmem_cache *s = kmem_cache_create(m, "shrinkme", 500, 0, 0, NULL);
	static void *objs[400];
	unsigned long nr_pages, slab_pages;

	for (int i = 0; i < 400; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slab_pages = s->node->nr_slabs << s->order;
	assert_true(slab_pages >= 20);
	for (int i = 0; i < 400; i++)
		kmem_cache_free(s, objs[i]);
	/* Only min_partial empty slabs (and the CPU slab) stay cached. */
	assert_true(s->node->nr_empty <= s->min_partial);
	assert_true(s->node->nr_slabs > 0);
	nr_pages = kmem_cache_shrink(s);
	assert_true(nr_pages > 0);
	assert_int_equal(s->node->nr_slabs, 0);
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
	assert_int_equal(settled_free_pages(m), before);
}

static void destroy_frees_every_page_and_the_cache(void **state)
{
	struct machine *m = *state;
	unsigned long before = settled_free_pages(m);
	long slab_bytes_before = global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);
	struct kmem_cache *s = kmem_cache_create(m, "doomed", 1000, 0, 0, NULL);
	void *objs[100];
	char line[256];

	for (int i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(slabinfo_line(m, "doomed", line, sizeof(line)));
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	assert_false(slabinfo_line(m, "doomed", line, sizeof(line)));
	assert_int_equal(settled_free_pages(m), before);
	assert_int_equal(global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), slab_bytes_before);
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
}

static void destroy_with_live_objects_is_refused(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "busy", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	char line[256];

	kmem_cache_destroy(s);
	assert_int_equal(m->slab.nr_errors, 1);
	assert_non_null(strstr(m->slab.last_error, "BUG busy"));
	assert_true(slabinfo_line(m, "busy", line, sizeof(line)));
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	assert_false(slabinfo_line(m, "busy", line, sizeof(line)));
	kmem_cache_destroy(m->slab.kmalloc_caches[3]);	/* boot caches stay */
	assert_non_null(kmalloc(m, 8, GFP_KERNEL));
	assert_true(slab_check(m));
}

static void reclaimable_caches_are_counted_apart(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "dentry", 192, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	unsigned long unrcl = slab_unreclaimable_pages(m);
	void *p;

	assert_int_equal(slab_reclaimable_pages(m), 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(global_node_page_state(m, NR_SLAB_RECLAIMABLE_B),
			 (long)(m->page_size << s->order));
	assert_int_equal(slab_reclaimable_pages(m), 1UL << s->order);
	assert_int_equal(slab_unreclaimable_pages(m), unrcl);
	assert_true(slab_check(m));
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	assert_int_equal(slab_reclaimable_pages(m), 0);
}

static void slabinfo_line_matches_linux_format(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s;
	char line[256], *text;
	void *p;

	m->slab.debug_flags = 0;
	s = kmem_cache_create(m, "test_obj", 100, 0, 0, NULL);
	assert_true(slabinfo_line(m, "test_obj", line, sizeof(line)));
	assert_string_equal(line, "test_obj               0      0    104   39    1 : tunables    0"
				  "    0    0 : slabdata      0      0      0");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	/* SLUB counts every object of a CPU slab as active. */
	assert_true(slabinfo_line(m, "test_obj", line, sizeof(line)));
	assert_string_equal(line, "test_obj              39     39    104   39    1 : tunables    0"
				  "    0    0 : slabdata      1      1      0");
	kmem_cache_free(s, p);
	kmem_cache_shrink(s);
	text = slabinfo_text(m);
	/* The newest cache comes first, right under the header. */
	assert_non_null(strstr(text, "<sharedavail>\ntest_obj "));
	free(text);
	kmem_cache_destroy(s);
}

static void proc_files_show_the_slab_figures(void **state)
{
	struct machine *m = *state;
	void *p = kmalloc(m, 3 * m->page_size, GFP_KERNEL);
	char *slabinfo = test_proc(m, "/proc/slabinfo"), *mine = slabinfo_text(m);
	char *meminfo = test_proc(m, "/proc/meminfo");
	unsigned long kb = 0;

	assert_string_equal(slabinfo, mine);
	assert_int_equal(sscanf(strstr(meminfo, "SUnreclaim:"), "SUnreclaim: %lu kB", &kb), 1);
	assert_int_equal(kb, slab_unreclaimable_pages(m) << (m->page_shift - 10));
	assert_true(kb >= 4 * m->page_size / 1024);	/* the large kmalloc counts too */
	free(slabinfo);
	free(mine);
	free(meminfo);
	kfree(m, p);
}

/* ---- debugging ---- */

static void expect_report(struct machine *m, unsigned long nr, const char *cache, const char *what,
			  const void *obj)
{
	char addr[32];

	assert_int_equal(m->slab.nr_errors, nr);
	assert_non_null(strstr(m->slab.last_error, cache));
	assert_non_null(strstr(m->slab.last_error, what));
	if (obj) {
		snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)__pa(m, obj));
		assert_non_null(strstr(m->slab.last_error, addr));
	}
	assert_non_null(strstr(tuxmm_dmesg(m), m->slab.last_error));
}

static void double_free_is_reported_and_refused(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "dbl", 48, 0, 0, NULL);
	void *x = kmem_cache_alloc(s, GFP_KERNEL), *a, *b;

	kmem_cache_free(s, x);
	kmem_cache_free(s, x);
	expect_report(m, 1, "BUG dbl (Not tainted)", "Object already free", x);
	assert_true(slab_check(m));
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_not_equal(a, b);		/* the object is not handed out twice */
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	/* The same through kfree. */
	x = kmalloc(m, 100, GFP_KERNEL);
	kfree(m, x);
	kfree(m, x);
	expect_report(m, 2, "BUG kmalloc-128", "Object already free", x);
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
	assert_int_equal(m->slab.nr_errors, 2);
}

static void use_after_free_write_is_caught_by_check_and_alloc(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "uaf", 40, 0, 0, NULL);
	uint8_t *x = kmem_cache_alloc(s, GFP_KERNEL);
	void *y;

	kmem_cache_free(s, x);
	kasan_unpoison(x + 7, 1);	/* a stray write the sanitizer cannot see (DMA, say) */
	x[7] = 'A';
	assert_false(slab_check(m));
	expect_report(m, 1, "BUG uaf", "Poison overwritten", x);
	assert_non_null(strstr(m->slab.last_error, "offset 7"));
	y = kmem_cache_alloc(s, GFP_KERNEL);	/* x is next on the CPU freelist */
	assert_ptr_not_equal(y, x);		/* leaked, not reused */
	expect_report(m, 2, "BUG uaf", "Poison overwritten", x);
	assert_true(slab_check(m));
	kmem_cache_free(s, y);
	assert_true(slab_check(m));
	assert_int_equal(m->slab.nr_errors, 2);
}

static void red_zone_overwrite_is_caught_at_free(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "rz", 24, 0, 0, NULL);
	uint8_t *x = kmem_cache_alloc(s, GFP_KERNEL), *y = kmem_cache_alloc(s, GFP_KERNEL);

	kasan_unpoison(x + 24, 1);
	x[24] = 0;			/* one byte past the end */
	assert_false(slab_check(m));
	kmem_cache_free(s, x);
	expect_report(m, 2, "BUG rz", "Right Redzone overwritten", x);
	assert_true(slab_check(m));	/* restored; the object is leaked, not freed */
	kasan_unpoison(y - 1, 1);
	y[-1] = 0x11;			/* one byte before the start */
	kmem_cache_free(s, y);
	expect_report(m, 3, "BUG rz", "Left Redzone overwritten", y);
	assert_true(slab_check(m));
	assert_int_equal(s->node->nr_slabs, 1);
}

static void invalid_frees_are_reported_and_refused(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "inval", 64, 0, 0, NULL);
	struct kmem_cache *other = kmem_cache_create(m, "other", 64, 0, 0, NULL);
	uint8_t *x = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	int on_stack;

	kmem_cache_free(s, x + 8);
	expect_report(m, 1, "BUG inval", "Invalid object pointer", x + 8);
	kmem_cache_free(other, x);
	expect_report(m, 2, "BUG other", "Wrong slab cache", x);
	assert_non_null(strstr(m->slab.last_error, "from inval"));
	kfree(m, &on_stack);
	expect_report(m, 3, "BUG kmalloc", "outside simulated RAM", NULL);
	kfree(m, page_address(m, page));
	expect_report(m, 4, "BUG kmalloc", "Invalid free", page_address(m, page));
	kmem_cache_free(s, page_address(m, page));
	expect_report(m, 5, "BUG inval", "is not a slab object", page_address(m, page));
	assert_true(slab_check(m));
	assert_true(buddy_check(m));
	__free_pages(m, page, 0);
	kmem_cache_free(s, x);			/* the real free still works */
	assert_int_equal(m->slab.nr_errors, 5);
	kmem_cache_destroy(s);
	kmem_cache_destroy(other);
	assert_true(slab_check(m));
}

static void corrupt_free_pointer_is_isolated(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s;
	void *objs[8], *p;

	/* Without poisoning, the free pointer sits at offset 0, inside the object. */
	m->slab.debug_flags = SLAB_RED_ZONE | SLAB_CONSISTENCY_CHECKS;
	s = kmem_cache_create(m, "fpcorrupt", 64, 0, 0, NULL);
	assert_int_equal(s->offset, 0);
	for (int i = 0; i < 8; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 8; i++)
		kmem_cache_free(s, objs[i]);
	kasan_unpoison(objs[7], sizeof(void *));
	*(uintptr_t *)objs[7] = 0x1234;	/* objs[7] heads the CPU freelist */
	assert_false(slab_check(m));
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(p, objs[7]);
	assert_non_null(strstr(m->slab.last_error, "Freechain corrupt"));
	assert_true(slab_check(m));	/* the rest of the list is leaked, consistently */
	p = kmem_cache_alloc(s, GFP_KERNEL);	/* from another slab */
	assert_non_null(p);
	assert_true(slab_check(m));
}

static void non_debug_cache_has_no_metadata(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s;
	void *p;

	m->slab.debug_flags = 0;
	s = kmem_cache_create(m, "plain", 56, 0, 0, NULL);
	assert_int_equal(s->size, 56);
	assert_int_equal(s->offset, 0);
	assert_int_equal(s->red_left_pad, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(s->cpu_slab[0].span, (uintptr_t)s->objects * 56);
#ifndef TUXMM_ASAN
	assert_int_equal(ksize(m, p), 56);
#endif
	kmem_cache_free(s, p);
	assert_ptr_equal(s->cpu_slab[0].freelist, p);	/* fast path */
	assert_true(slab_check(m));
	kmem_cache_destroy(s);
}

/* ---- fault injection ---- */

static void failslab_fails_allocations_cleanly(void **state)
{
	struct machine *m = *state;
	struct kmem_cache *s = kmem_cache_create(m, "fail", 32, 0, 0, NULL);
	void *p;

	m->failslab.fail_nth = 1;
	assert_null(kmem_cache_alloc(s, GFP_KERNEL));
	assert_int_equal(m->failslab.nr_failed, 1);
	p = kmem_cache_alloc(s, GFP_KERNEL);	/* one failure only */
	assert_non_null(p);
	kmem_cache_free(s, p);
	m->failslab.fail_nth = 1;
	p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(p);
	assert_int_equal(m->failslab.nr_failed, 1);
	assert_null(kmalloc(m, 100, GFP_KERNEL));	/* still armed for the next one */
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	assert_true(slab_check(m));
}

/* A workload that meets every failure with a clean unwind. */
static void failslab_workload(struct machine *m)
{
	struct kmem_cache *s = kmem_cache_create(m, "sweep", 72, 0, 0, count_ctor);
	void *objs[40] = { 0 }, *k[18] = { 0 };

	for (int i = 0; i < 40 && s; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 18; i++)
		k[i] = kmalloc(m, (size_t)8 << (i % 11), GFP_KERNEL);
	for (int i = 0; i < 18; i += 3) {
		void *n = k[i] ? krealloc(m, k[i], 3000 + (size_t)i, GFP_KERNEL) : NULL;

		if (n)
			k[i] = n;
	}
	for (int i = 0; i < 40 && s; i++)
		kmem_cache_free(s, objs[i]);
	for (int i = 0; i < 18; i++)
		kfree(m, k[i]);
	kmem_cache_destroy(s);
}

static void failslab_sweep_leaks_nothing(void **state)
{
	struct machine *m = *state;
	unsigned long before = settled_free_pages(m);
	long slab_before = global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);
	unsigned long n;

	for (n = 1;; n++) {
		unsigned long failed = m->failslab.nr_failed;

		m->failslab.fail_nth = n;
		failslab_workload(m);
		m->failslab.fail_nth = 0;
		assert_true(slab_check(m));
		assert_true(buddy_check(m));
		assert_int_equal(settled_free_pages(m), before);
		assert_int_equal(m->slab.nr_errors, 0);
		if (m->failslab.nr_failed == failed)
			break;		/* ran to the end: every allocation was failed once */
	}
	assert_true(n > 60);
	assert_int_equal(global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), slab_before);
}

/* ---- stress ---- */

enum item_kind { ITEM_PAGES, ITEM_KMALLOC, ITEM_CACHE };

struct item {
	enum item_kind kind;
	void *p;
	size_t size;		/* bytes filled with @pat */
	unsigned int order;
	struct kmem_cache *s;
	uint8_t pat;
};

static void item_free(struct machine *m, struct item *it)
{
	assert_true(filled(it->p, it->size, it->pat));
	if (it->kind == ITEM_PAGES)
		__free_pages(m, virt_to_page(m, it->p), it->order);
	else if (it->kind == ITEM_KMALLOC)
		kfree(m, it->p);
	else
		kmem_cache_free(it->s, it->p);
}

static void random_page_and_slab_stress_keeps_invariants(void **state)
{
	struct machine *m;
	struct tuxmm_config cfg;
	struct kmem_cache *caches[3];
	static struct item items[400];
	unsigned long before;
	uint64_t rng = test_seed() ^ 0x51ab;
	size_t nr = 0;

	(void)state;
	tuxmm_config_init(&cfg);
	cfg.nr_cpus = 4;
	cfg.ram_bytes = 128 * MiB;
	m = test_boot_cfg(&cfg);
	before = settled_free_pages(m);
	caches[0] = kmem_cache_create(m, "stress_ctor", 136, 0, 0, count_ctor);
	caches[1] = kmem_cache_create(m, "stress_rcl", 24, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	m->slab.debug_flags = 0;
	caches[2] = kmem_cache_create(m, "stress_fast", 320, 0, SLAB_HWCACHE_ALIGN, NULL);

	for (int step = 0; step < 2500; step++) {
		unsigned int r = (unsigned int)(test_rand(&rng) % 100);
		struct item *it = &items[nr];

		if (r < 60 && nr < ARRAY_SIZE(items)) {
			it->pat = (uint8_t)test_rand(&rng);
			if (r < 15) {
				struct page *page;

				it->kind = ITEM_PAGES;
				it->order = (unsigned int)(test_rand(&rng) % 4);
				page = alloc_pages(m, GFP_KERNEL, it->order);
				assert_non_null(page);
				it->p = page_address(m, page);
				it->size = m->page_size << it->order;
			} else if (r < 40) {
				it->kind = ITEM_KMALLOC;
				if (test_rand(&rng) % 4)
					it->size = test_rand(&rng) % 600 + 1;
				else
					it->size = test_rand(&rng) % (3 * m->page_size) + 1;
				it->p = kmalloc(m, it->size, GFP_KERNEL);
			} else {
				it->kind = ITEM_CACHE;
				it->s = caches[test_rand(&rng) % 3];
				it->size = kmem_cache_size(it->s);
				it->p = kmem_cache_alloc(it->s, GFP_KERNEL);
			}
			assert_non_null(it->p);
			fill(it->p, it->size, it->pat);
			nr++;
		} else if (r < 88 && nr) {
			size_t i = test_rand(&rng) % nr;

			item_free(m, &items[i]);
			items[i] = items[--nr];
		} else if (r < 95 && nr) {
			struct item *k = &items[test_rand(&rng) % nr];
			size_t new_size = test_rand(&rng) % (3 * m->page_size) + 1;
			void *p;

			if (k->kind == ITEM_KMALLOC) {
				assert_true(filled(k->p, k->size, k->pat));
				p = krealloc(m, k->p, new_size, GFP_KERNEL);
				assert_non_null(p);
				assert_true(filled(p, new_size < k->size ? new_size : k->size,
						   k->pat));
				k->p = p;
				k->size = new_size;
				fill(p, new_size, k->pat);
			}
		} else {
			m->cur_cpu = (unsigned int)(test_rand(&rng) % m->nr_cpus);
		}
		if (!slab_check(m) || !buddy_check(m))
			fail_msg("step %d: %s", step, m->slab.last_error);
	}
	while (nr)
		item_free(m, &items[--nr]);
	for (int i = 0; i < 3; i++)
		kmem_cache_destroy(caches[i]);
	assert_int_equal(m->slab.nr_errors, 0);
	assert_true(slab_check(m));
	assert_true(buddy_check(m));
	assert_int_equal(settled_free_pages(m), before);
	tuxmm_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, test_setup_machine, test_teardown_machine)
		T(slab_init_creates_linux_boot_caches),
		T(kmem_cache_structs_live_in_their_own_cache),
		T(caches_of_many_sizes_and_alignments_align_and_never_overlap),
		T(slab_order_follows_calculate_order),
		T(constructor_runs_once_per_object_when_slab_is_created),
		T(hwcache_align_aligns_objects_to_cache_lines),
		T(bad_cache_arguments_are_refused),
		cmocka_unit_test(each_cpu_allocates_from_its_own_slab),
		cmocka_unit_test(cpu_slab_refills_from_remote_frees_before_new_slabs),
		T(kmalloc_serves_every_size_from_its_linux_class),
		T(kzalloc_zeroes_the_whole_object),
		T(krealloc_grows_and_shrinks_keeping_contents),
		T(large_kmalloc_comes_from_the_page_allocator),
		cmocka_unit_test(kmalloc_classes_scale_with_the_page_size),
		T(shrink_gives_empty_slabs_back),
		T(destroy_frees_every_page_and_the_cache),
		T(destroy_with_live_objects_is_refused),
		T(reclaimable_caches_are_counted_apart),
		T(slabinfo_line_matches_linux_format),
		T(proc_files_show_the_slab_figures),
		T(double_free_is_reported_and_refused),
		T(use_after_free_write_is_caught_by_check_and_alloc),
		T(red_zone_overwrite_is_caught_at_free),
		T(invalid_frees_are_reported_and_refused),
		T(corrupt_free_pointer_is_isolated),
		T(non_debug_cache_has_no_metadata),
		T(failslab_fails_allocations_cleanly),
		T(failslab_sweep_leaks_nothing),
		cmocka_unit_test(random_page_and_slab_stress_keeps_invariants),
#undef T
	};

	test_seed();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
