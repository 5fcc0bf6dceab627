/*
 * exec_layout.c - differential test of the exec plan against the real kernel:
 * each program is exec'd under ptrace with ASLR off, stopped at the exec stop,
 * and its maps, auxv, registers, stack bytes and /proc/PID/stat fields are
 * compared with elf_plan_exec()'s plan for the same program and arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "binfmt.h"	/* not testlib.h: its sched.h has a struct rlimit of its own */
#include <tuxmm/tuxmm.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The programs tests/CMakeLists.txt builds; a case whose program is missing is skipped. */
#ifndef TUXMM_PROG_STATIC
#define TUXMM_PROG_STATIC ""
#endif
#ifndef TUXMM_PROG_STATIC_PIE
#define TUXMM_PROG_STATIC_PIE ""
#endif
#ifndef TUXMM_PROG_NOPIE
#define TUXMM_PROG_NOPIE ""
#endif
#ifndef TUXMM_PROG_BIG_STATIC_PIE
#define TUXMM_PROG_BIG_STATIC_PIE ""
#endif

#define MAX_MAPS	128
#define MAX_STACK	(1UL << 20)

/* One line of /proc/PID/maps, or one planned area rendered the same way. */
struct map_line {
	unsigned long start, end, offset;
	char perms[5];
	char path[PATH_MAX];	/* canonical file path, "[stack]"..., or "" for anonymous */
};

/* What the kernel built, read at the exec stop. */
struct kernel_exec {
	unsigned int nr_maps;
	struct map_line maps[MAX_MAPS];
	unsigned int nr_auxv;
	unsigned long auxv[ELF_AUXV_MAX];
	unsigned long rsp, rip;
	unsigned long stat[53];		/* /proc/PID/stat fields, 1-based */
	unsigned long stack_top;	/* end of [stack] */
	size_t stack_len;
	unsigned char *stack;		/* [rsp, stack_top) */
};

/* A case: the program, its arguments and environment, the stack rlimit to run it with. */
struct exec_case {
	const char *path;
	const char *const *argv;
	const char *const *envp;
	unsigned long rlim_stack;
};

/* /proc/PID/stat field numbers (proc(5)) */
enum { STAT_START_CODE = 26, STAT_END_CODE = 27, STAT_START_STACK = 28, STAT_START_DATA = 45,
       STAT_END_DATA, STAT_START_BRK, STAT_ARG_START, STAT_ARG_END, STAT_ENV_START,
       STAT_ENV_END };

static char *read_file(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (n + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void parse_maps(struct kernel_exec *k, char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct map_line *m = &k->maps[k->nr_maps];
		unsigned int major, minor;
		unsigned long ino;
		int pos = 0;

		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &m->start, &m->end, m->perms,
			   &m->offset, &major, &minor, &ino, &pos) < 7)
			continue;
		if (!strcmp(line + pos, "[vsyscall]"))
			continue;	/* the gate area: not part of the mm */
		snprintf(m->path, sizeof(m->path), "%s", line + pos);
		if (k->nr_maps + 1 < MAX_MAPS)
			k->nr_maps++;
	}
}

static void parse_stat(struct kernel_exec *k, const char *text)
{
	const char *p = strrchr(text, ')');
	int field = 3;

	if (!p)
		return;
	p += 2;
	while (*p && field < 53) {
		char *end;

		k->stat[field] = strtoul(p, &end, 10);
		if (end == p)	/* the state letter */
			end++;
		p = end;
		while (*p == ' ')
			p++;
		field++;
	}
}

/*
 * capture_exec - run @c on the real kernel: fork, ASLR off, the stack rlimit
 * set, PTRACE_TRACEME, execve; at the PTRACE_EVENT_EXEC stop read everything.
 * Returns 0, or -1 with a reason printed (the caller skips the test).
 */
static int capture_exec(const struct exec_case *c, struct kernel_exec *k)
{
	char path[64], *text;
	struct user_regs_struct regs;
	size_t len;
	int status, fd;
	pid_t pid;

	memset(k, 0, sizeof(*k));
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit rl;

		getrlimit(RLIMIT_STACK, &rl);
		rl.rlim_cur = c->rlim_stack;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_STACK, &rl) || personality(ADDR_NO_RANDOMIZE) < 0 ||
		    ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(126);
		raise(SIGSTOP);
		execve(c->path, (char *const *)c->argv, (char *const *)c->envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		printf("# %s: the child did not stop (status %#x)\n", c->path, status);
		return -1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	if (waitpid(pid, &status, 0) != pid ||
	    status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
		printf("# %s: no exec stop (status %#x)\n", c->path, status);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	text = read_file(path, &len);
	if (text)
		parse_maps(k, text);
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
	text = read_file(path, &len);
	if (text) {
		k->nr_auxv = (unsigned int)(len / sizeof(unsigned long));
		if (k->nr_auxv > ELF_AUXV_MAX)
			k->nr_auxv = ELF_AUXV_MAX;
		memcpy(k->auxv, text, k->nr_auxv * sizeof(unsigned long));
	}
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = read_file(path, &len);
	if (text)
		parse_stat(k, text);
	free(text);
	ptrace(PTRACE_GETREGS, pid, NULL, &regs);
	k->rsp = regs.rsp;
	k->rip = regs.rip;
	for (unsigned int i = 0; i < k->nr_maps; i++)
		if (!strcmp(k->maps[i].path, "[stack]"))
			k->stack_top = k->maps[i].end;
	if (k->stack_top > k->rsp && k->stack_top - k->rsp <= MAX_STACK) {
		k->stack_len = k->stack_top - k->rsp;
		k->stack = malloc(k->stack_len);
		snprintf(path, sizeof(path), "/proc/%d/mem", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0 || pread(fd, k->stack, k->stack_len, (off_t)k->rsp) !=
				      (ssize_t)k->stack_len)
			k->stack_len = 0;
		if (fd >= 0)
			close(fd);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 0;
}

static unsigned long kernel_auxv(const struct kernel_exec *k, unsigned long type)
{
	for (unsigned int i = 0; i + 1 < k->nr_auxv; i += 2)
		if (k->auxv[i] == type)
			return k->auxv[i + 1];
	return 0;
}

static unsigned int kernel_map_pages(const struct kernel_exec *k, const char *name)
{
	for (unsigned int i = 0; i < k->nr_maps; i++)
		if (!strcmp(k->maps[i].path, name))
			return (unsigned int)((k->maps[i].end - k->maps[i].start) / 4096);
	return 0;
}

/*
 * params_for - the plan's inputs for @c on this machine: the layout from the
 * case's stack rlimit as x86-64 Linux computes mmap_base, and what belongs to
 * the CPU, the credentials and the kernel build (hwcap, the signal frame
 * size, the vDSO's size, AT_RANDOM's bytes) taken from the kernel's answer.
 */
static void params_for(const struct exec_case *c, const struct kernel_exec *k,
		       struct elf_params *p)
{
	unsigned long gap, gap_max, rnd = kernel_auxv(k, AT_RANDOM);
	struct stat st;

	elf_params_init(p);
	p->rlim_stack = c->rlim_stack;
	gap = p->rlim_stack + p->stack_guard_gap;
	gap_max = p->task_size / 6 * 5;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	else if (gap > gap_max)
		gap = gap_max;
	p->mmap_base = (p->task_size - gap) & ~(p->page_size - 1);
	p->thp_file_align = stat("/sys/kernel/mm/transparent_hugepage", &st) == 0;
	p->hwcap = kernel_auxv(k, AT_HWCAP);
	p->hwcap2 = kernel_auxv(k, AT_HWCAP2);
	p->minsigstksz = kernel_auxv(k, AT_MINSIGSTKSZ);
	p->uid = getuid();
	p->euid = geteuid();
	p->gid = getgid();
	p->egid = getegid();
	p->vvar_pages = kernel_map_pages(k, "[vvar]");
	p->vvar_vclock_pages = kernel_map_pages(k, "[vvar_vclock]");
	p->vdso_pages = kernel_map_pages(k, "[vdso]");
	if (rnd >= k->rsp && rnd + ELF_RANDOM_BYTES <= k->stack_top && k->stack_len)
		memcpy(p->random, k->stack + (rnd - k->rsp), ELF_RANDOM_BYTES);
}

static int cmp_map_line(const void *a, const void *b)
{
	const struct map_line *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* plan_lines - the plan's areas as maps lines, sorted, with adjacent compatible ones merged. */
static unsigned int plan_lines(const struct elf_plan *plan, struct map_line *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < plan->nr_maps && n < MAX_MAPS; i++) {
		const struct elf_map *m = &plan->maps[i];
		struct map_line *l = &out[n++];
		const char *file = NULL;

		memset(l, 0, sizeof(*l));
		l->start = m->start;
		l->end = m->end;
		l->offset = m->kind == ELF_MAP_FILE ? m->offset : 0;
		snprintf(l->perms, sizeof(l->perms), "%c%c%cp", m->prot & 1 ? 'r' : '-',
			 m->prot & 2 ? 'w' : '-', m->prot & 4 ? 'x' : '-');
		if (m->kind == ELF_MAP_FILE)
			file = m->image == ELF_IMAGE_EXEC ? plan->exec.path : plan->interp.path;
		if (file) {
			if (!realpath(file, l->path))
				snprintf(l->path, sizeof(l->path), "%s", file);
		} else if (m->name) {
			snprintf(l->path, sizeof(l->path), "%s", m->name);
		}
	}
	qsort(out, n, sizeof(*out), cmp_map_line);
	/* What vma_merge() would join: same attributes, adjacent, contiguous in the file. */
	for (unsigned int i = 1; i < n;) {
		struct map_line *a = &out[i - 1], *b = &out[i];
		bool anon = !a->path[0];

		if (a->end == b->start && !strcmp(a->perms, b->perms) &&
		    !strcmp(a->path, b->path) && (anon || b->path[0] != '[') &&
		    (anon || a->offset + (a->end - a->start) == b->offset)) {
			a->end = b->end;
			memmove(b, b + 1, (n - i - 1) * sizeof(*b));
			n--;
			continue;
		}
		i++;
	}
	return n;
}

static void print_line(const char *who, const struct map_line *l)
{
	printf("#   %s %012lx-%012lx %s %08lx %s\n", who, l->start, l->end, l->perms, l->offset,
	       l->path);
}

/* compare - every difference between the plan and the kernel, printed; returns their count. */
static int compare(const struct exec_case *c, const struct elf_plan *plan,
		   const struct kernel_exec *k)
{
	static struct map_line lines[MAX_MAPS];
	unsigned int n = plan_lines(plan, lines);
	unsigned char *image;
	int bad = 0;
	static const struct {
		int field;
		const char *name;
		size_t off;
	} stat_fields[] = {
		{ STAT_START_CODE, "start_code", offsetof(struct elf_plan, start_code) },
		{ STAT_END_CODE, "end_code", offsetof(struct elf_plan, end_code) },
		{ STAT_START_STACK, "start_stack", offsetof(struct elf_plan, sp) },
		{ STAT_START_DATA, "start_data", offsetof(struct elf_plan, start_data) },
		{ STAT_END_DATA, "end_data", offsetof(struct elf_plan, end_data) },
		{ STAT_START_BRK, "start_brk", offsetof(struct elf_plan, start_brk) },
		{ STAT_ARG_START, "arg_start", offsetof(struct elf_plan, arg_start) },
		{ STAT_ARG_END, "arg_end", offsetof(struct elf_plan, arg_end) },
		{ STAT_ENV_START, "env_start", offsetof(struct elf_plan, env_start) },
		{ STAT_ENV_END, "env_end", offsetof(struct elf_plan, env_end) },
	};

	if (n != k->nr_maps)
		bad++;
	for (unsigned int i = 0; i < n || i < k->nr_maps; i++) {
		const struct map_line *p = i < n ? &lines[i] : NULL, *q = i < k->nr_maps ?
									   &k->maps[i] : NULL;

		if (p && q && p->start == q->start && p->end == q->end && p->offset == q->offset &&
		    !strcmp(p->perms, q->perms) && !strcmp(p->path, q->path))
			continue;
		bad++;
		printf("# %s: maps differ at line %u\n", c->path, i + 1);
		if (p)
			print_line("plan  ", p);
		if (q)
			print_line("kernel", q);
	}
	if (plan->nr_auxv != k->nr_auxv) {
		printf("# %s: auxv has %u words, the kernel's %u\n", c->path, plan->nr_auxv,
		       k->nr_auxv);
		bad++;
	}
	for (unsigned int i = 0; i < plan->nr_auxv && i < k->nr_auxv; i += 2) {
		if (plan->auxv[i] == k->auxv[i] && plan->auxv[i + 1] == k->auxv[i + 1])
			continue;
		printf("# %s: auxv[%u]: plan %lu=%#lx, kernel %lu=%#lx\n", c->path, i / 2,
		       plan->auxv[i], plan->auxv[i + 1], k->auxv[i], k->auxv[i + 1]);
		bad++;
	}
	if (plan->sp != k->rsp || plan->entry != k->rip) {
		printf("# %s: plan rsp %#lx rip %#lx, kernel rsp %#lx rip %#lx\n", c->path,
		       plan->sp, plan->entry, k->rsp, k->rip);
		bad++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(stat_fields); i++) {
		unsigned long want = *(const unsigned long *)((const char *)plan +
							      stat_fields[i].off);

		if (want == k->stat[stat_fields[i].field])
			continue;
		printf("# %s: %s: plan %#lx, kernel %#lx\n", c->path, stat_fields[i].name, want,
		       k->stat[stat_fields[i].field]);
		bad++;
	}
	image = malloc(elf_stack_size(plan) + 1);
	if (elf_build_stack(plan, image, elf_stack_size(plan)) ||
	    elf_stack_size(plan) != k->stack_len) {
		printf("# %s: stack image of %zu bytes, the kernel's %zu\n", c->path,
		       elf_stack_size(plan), k->stack_len);
		bad++;
	} else {
		for (size_t i = 0; i < k->stack_len; i++) {
			if (image[i] == k->stack[i])
				continue;
			printf("# %s: stack byte at %#lx: plan %#x, kernel %#x\n", c->path,
			       plan->sp + i, image[i], k->stack[i]);
			bad++;
			break;
		}
	}
	free(image);
	printf("# %s: %u areas, %u auxv words, %zu stack bytes, %zu mm fields: %d differ\n",
	       c->path, k->nr_maps, k->nr_auxv, k->stack_len, ARRAY_SIZE(stat_fields), bad);
	return bad;
}

/*
 * compare_tuxmm - run tuxmm_exec() of @c on a fresh machine and compare its
 * /proc/PID/maps with the kernel's, line by line; returns the differences.
 * Skipped (0) where tuxmm's fixed inputs cannot match this kernel: other vDSO
 * sizes, or a layout that depends on THP alignment (tuxmm models no THP).
 */
static int compare_tuxmm(const struct exec_case *c, const struct elf_params *params,
			 const struct kernel_exec *k)
{
	static struct map_line with_thp[MAX_MAPS], without_thp[MAX_MAPS];
	struct elf_plan *plan = calloc(1, sizeof(*plan));
	struct kernel_exec *tk = calloc(1, sizeof(*tk));
	struct elf_params p = *params, dflt;
	struct tuxmm_config cfg;
	struct task_struct *t;
	struct machine *m;
	char err[TUXMM_ERRMSG_MAX], path[64], *text = NULL;
	unsigned int n;
	size_t len;
	int bad = 0, ret;

	elf_params_init(&dflt);
	if (p.vvar_pages != dflt.vvar_pages || p.vvar_vclock_pages != dflt.vvar_vclock_pages ||
	    p.vdso_pages != dflt.vdso_pages) {
		printf("# %s: tuxmm_exec not compared: this kernel's vDSO has other sizes\n",
		       c->path);
		goto out;
	}
	assert_int_equal(elf_plan_exec(plan, &elf_host_file_ops, NULL, c->path, c->argv, c->envp,
				       &p), 0);
	n = plan_lines(plan, with_thp);
	p.thp_file_align = false;
	assert_int_equal(elf_plan_exec(plan, &elf_host_file_ops, NULL, c->path, c->argv, c->envp,
				       &p), 0);
	if (plan_lines(plan, without_thp) != n ||
	    memcmp(with_thp, without_thp, n * sizeof(*with_thp))) {
		printf("# %s: tuxmm_exec not compared: the layout depends on THP alignment\n",
		       c->path);
		goto out;
	}
	tuxmm_config_init(&cfg);
	assert_int_equal(tuxmm_boot(&cfg, &m, err), 0);
	assert_int_equal(tuxmm_spawn(m, "diff", &t), 0);
	assert_int_equal(tuxmm_setrlimit(t, TUXMM_RLIMIT_STACK, c->rlim_stack, TUXMM_RLIM_INFINITY),
			 0);
	ret = tuxmm_exec(t, c->path, c->argv, c->envp);
	if (ret)
		printf("# %s: tuxmm_exec: %s\n", c->path, tuxmm_errno_name(ret));
	assert_int_equal(ret, 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", tuxmm_task_pid(t));
	assert_int_equal(tuxmm_proc_read(m, path, &text, &len), 0);
	parse_maps(tk, text);
	if (tk->nr_maps != k->nr_maps)
		bad++;
	for (unsigned int i = 0; i < tk->nr_maps || i < k->nr_maps; i++) {
		const struct map_line *p1 = i < tk->nr_maps ? &tk->maps[i] : NULL;
		const struct map_line *q = i < k->nr_maps ? &k->maps[i] : NULL;

		if (p1 && q && p1->start == q->start && p1->end == q->end &&
		    p1->offset == q->offset && !strcmp(p1->perms, q->perms) &&
		    !strcmp(p1->path, q->path))
			continue;
		bad++;
		printf("# %s: tuxmm's maps differ at line %u\n", c->path, i + 1);
		if (p1)
			print_line("tuxmm ", p1);
		if (q)
			print_line("kernel", q);
	}
	printf("# %s: tuxmm_exec: %u areas in /proc/PID/maps: %d differ\n", c->path, tk->nr_maps,
	       bad);
	free(text);
	tuxmm_machine_destroy(m);
out:
	free(tk);
	free(plan);
	return bad;
}

/* check_case - capture @c on the kernel, plan it, and require no difference. */
static void check_case(const struct exec_case *c)
{
	struct kernel_exec *k = calloc(1, sizeof(*k));
	struct elf_plan *plan = calloc(1, sizeof(*plan));
	struct elf_params params;
	int ret;

	assert_non_null(k);
	assert_non_null(plan);
	if (!c->path[0] || access(c->path, X_OK)) {
		free(k);
		free(plan);
		printf("# %s: not executable here\n", c->path);
		skip();
	}
	if (capture_exec(c, k)) {
		free(k);
		free(plan);
		skip();
	}
	params_for(c, k, &params);
	ret = elf_plan_exec(plan, &elf_host_file_ops, NULL, c->path, c->argv, c->envp, &params);
	if (ret)
		printf("# %s: plan failed: %s\n", c->path, plan->errmsg);
	assert_int_equal(ret, 0);
	assert_int_equal(compare(c, plan, k), 0);
	assert_int_equal(compare_tuxmm(c, &params, k), 0);
	free(k->stack);
	free(k);
	free(plan);
}

static const char *const small_env[] = { "TUXMM=exec", "HOME=/nonexistent", "A=1", NULL };

static void exec_dynamic_pie_matches_kernel(void **state)
{
	static const char *const argv[] = { "/bin/true", "--tuxmm", NULL };
	const struct exec_case c = { "/bin/true", argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

static void exec_static_matches_kernel(void **state)
{
	static const char *const argv[] = { "hello", "one", "two", NULL };
	const struct exec_case c = { TUXMM_PROG_STATIC, argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

static void exec_static_pie_matches_kernel(void **state)
{
	static const char *const argv[] = { "hello", NULL };
	const struct exec_case c = { TUXMM_PROG_STATIC_PIE, argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

static void exec_dynamic_nopie_matches_kernel(void **state)
{
	static const char *const argv[] = { "hello", "x", NULL };
	const struct exec_case c = { TUXMM_PROG_NOPIE, argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

/* A file mapping over 2 MiB is PMD-aligned by thp_get_unmapped_area(). */
static void exec_big_static_pie_matches_kernel(void **state)
{
	static const char *const argv[] = { "big", NULL };
	const struct exec_case c = { TUXMM_PROG_BIG_STATIC_PIE, argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

/* An empty argv gets Linux's "" as argv[0]. */
static void exec_empty_argv_matches_kernel(void **state)
{
	static const char *const argv[] = { NULL };
	const struct exec_case c = { TUXMM_PROG_STATIC, argv, small_env, 8UL << 20 };

	(void)state;
	check_case(&c);
}

/* 40 KiB of environment: the strings span pages and the stack area grows with them. */
static void exec_large_env_matches_kernel(void **state)
{
	static char strings[40][1024];
	static const char *envp[41];
	static const char *const argv[] = { "/bin/true", NULL };
	const struct exec_case c = { "/bin/true", argv, envp, 8UL << 20 };

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(strings[i], sizeof(strings[i]), "VAR%02d=", i);
		memset(strings[i] + 6, 'a' + i % 26, sizeof(strings[i]) - 7);
		envp[i] = strings[i];
	}
	check_case(&c);
}

/* A 1 GiB stack rlimit moves mmap_base, and the interpreter and vDSO with it. */
static void exec_big_stack_rlimit_matches_kernel(void **state)
{
	static const char *const argv[] = { "/bin/true", NULL };
	const struct exec_case c = { "/bin/true", argv, small_env, 1UL << 30 };

	(void)state;
	check_case(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_dynamic_pie_matches_kernel),
		cmocka_unit_test(exec_static_matches_kernel),
		cmocka_unit_test(exec_static_pie_matches_kernel),
		cmocka_unit_test(exec_dynamic_nopie_matches_kernel),
		cmocka_unit_test(exec_big_static_pie_matches_kernel),
		cmocka_unit_test(exec_empty_argv_matches_kernel),
		cmocka_unit_test(exec_large_env_matches_kernel),
		cmocka_unit_test(exec_big_stack_rlimit_matches_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
