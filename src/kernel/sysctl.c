/*
 * sysctl.c - the vm.* and kernel.* settings the address-space layer reads,
 * by their /proc/sys names, with the ranges Linux accepts.
 * Follows Linux kernel/sysctl.c and mm/util.c (overcommit handlers).
 */
#include <errno.h>
#include <string.h>

#include "machine.h"

struct sysctl_entry {
	const char *name;
	size_t offset;			/* in struct vm_sysctls */
	bool is_int;
	unsigned long min, max;
};

#define UL(field, lo, hi) offsetof(struct vm_sysctls, field), false, lo, hi
#define INT(field, lo, hi) offsetof(struct vm_sysctls, field), true, lo, hi

static const struct sysctl_entry sysctls[] = {
	{ "vm.max_map_count", UL(max_map_count, 0, 0x7fffffff) },
	{ "vm.mmap_min_addr", UL(mmap_min_addr, 0, ~0UL) },
	{ "vm.overcommit_memory", INT(overcommit_memory, 0, 2) },
	{ "vm.overcommit_ratio", INT(overcommit_ratio, 0, 0x7fffffff) },
	{ "vm.admin_reserve_kbytes", UL(admin_reserve_kbytes, 0, ~0UL) },
	{ "vm.user_reserve_kbytes", UL(user_reserve_kbytes, 0, ~0UL) },
	{ "vm.legacy_va_layout", INT(legacy_va_layout, 0, 0x7fffffff) },
	{ "vm.stack_guard_gap", UL(stack_guard_gap_pages, 0, ~0UL) },	/* boot option, pages */
	{ "vm.swappiness", INT(swappiness, 0, 200) },
	{ "vm.page-cluster", INT(page_cluster, 0, 31) },
	{ "kernel.randomize_va_space", INT(randomize_va_space, 0, 2) },
	{ "vm.oom_kill_allocating_task", INT(oom_kill_allocating_task, 0, 0x7fffffff) },
	{ "vm.oom_dump_tasks", INT(oom_dump_tasks, 0, 0x7fffffff) },
};

static const struct sysctl_entry *lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysctls); i++)
		if (name && !strcmp(sysctls[i].name, name))
			return &sysctls[i];
	return NULL;
}

int tuxmm_sysctl_get(struct machine *m, const char *name, unsigned long *value)
{
	const struct sysctl_entry *e = lookup(name);
	char *base = (char *)&m->tasks.sysctl;
	int err;

	if (!e)
		return -ENOENT;
	err = proc_caches_init(m);
	if (err)
		return err;
	if (e->is_int)
		*value = (unsigned long)*(int *)(base + e->offset);
	else
		*value = *(unsigned long *)(base + e->offset);
	return 0;
}

int tuxmm_sysctl_set(struct machine *m, const char *name, unsigned long value)
{
	const struct sysctl_entry *e = lookup(name);
	char *base = (char *)&m->tasks.sysctl;
	int err;

	if (!e)
		return -ENOENT;
	if (value < e->min || value > e->max)
		return -EINVAL;
	err = proc_caches_init(m);
	if (err)
		return err;
	if (e->is_int)
		*(int *)(base + e->offset) = (int)value;
	else
		*(unsigned long *)(base + e->offset) = value;
	return 0;
}

const char *tuxmm_sysctl_name(size_t i)
{
	return i < ARRAY_SIZE(sysctls) ? sysctls[i].name : NULL;
}
