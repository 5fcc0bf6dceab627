/*
 * test_replay_exec.c - trace replay inside an exec'd address space (tuxmm_replay_opts.exec):
 * a hand-written trace against /bin/true's layout (Linux's, ASLR off) reads its text
 * through the page cache, writes its data copy-on-write, reads the stack exec wrote,
 * gets an anonymous area outside every area, and has a store into text and a fetch from
 * data counted as segv; the interpreter's text (a major fault), [vdso] and [vvar]; then
 * the errors.
 */
#include "testlib.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG		"/bin/true"
#define PIE_BASE	0x555555554000UL	/* ELF_ET_DYN_BASE, ASLR off */
#define STACK_PAGE	0x7fffffffe000UL	/* the top page of [stack]: exec's strings */
#define OUTSIDE		0x10000000UL		/* below the PIE: no area there */
#define PG		4096UL

/* The first page of /bin/true's executable segment and of its writable one, as mapped. */
static unsigned long text_page, data_page;
/* From the exec'd task's maps: the interpreter's text, [vdso], [vvar]. */
static unsigned long interp_text, vdso, vvar;

/* maps_start - the start of the first line of @maps that holds @what (and @perms). */
static unsigned long maps_start(const char *maps, const char *perms, const char *what)
{
	for (const char *line = maps, *end; *line; line = end + (*end == '\n')) {
		char buf[256];

		end = line + strcspn(line, "\n");
		snprintf(buf, sizeof(buf), "%.*s", (int)(end - line), line);
		if (strstr(buf, what) && strstr(buf, perms))
			return strtoul(buf, NULL, 16);
	}
	fail_msg("no %s %s in the maps:\n%s", perms, what, maps);
	return 0;
}

/* exec_layout - exec /bin/true on a machine of our own and read where things went. */
static void exec_layout(void)
{
	struct machine *m = test_boot(64ULL << 20);
	const char *const argv[] = { PROG, NULL };
	struct task_struct *t;
	char path[64], *maps;

	assert_int_equal(tuxmm_spawn(m, "x", &t), 0);
	assert_int_equal(tuxmm_exec(t, PROG, argv, NULL), 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	maps = test_proc(m, path);
	interp_text = maps_start(maps, "r-xp", "ld-linux");
	vdso = maps_start(maps, "r-xp", "[vdso]");
	vvar = maps_start(maps, "r--p", "[vvar]");
	assert_int_equal(maps_start(maps, "r-xp", "true"), text_page);
	free(maps);
	tuxmm_task_exit(t);
	tuxmm_machine_destroy(m);
}

/*
 * setup - read /bin/true's program headers (they differ between builds). The writable
 * segment must span two pages so that its first page is still the file's: exec's
 * padzero() writes its last page (the bss start), which copies that one already.
 */
static int setup(void **state)
{
	FILE *f = fopen(PROG, "rb");
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fread(&eh, sizeof(eh), 1, f), 1);
	assert_int_equal(eh.e_type, ET_DYN);
	for (int i = 0; i < eh.e_phnum; i++) {
		assert_int_equal(fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize),
				       SEEK_SET), 0);
		assert_int_equal(fread(&ph, sizeof(ph), 1, f), 1);
		if (ph.p_type != PT_LOAD)
			continue;
		if ((ph.p_flags & PF_X) && !text_page)
			text_page = PIE_BASE + (ph.p_vaddr & ~(PG - 1));
		if ((ph.p_flags & PF_W) && !data_page) {
			data_page = PIE_BASE + (ph.p_vaddr & ~(PG - 1));
			if (((ph.p_vaddr + ph.p_filesz) & ~(PG - 1)) == (ph.p_vaddr & ~(PG - 1)))
				fail_msg(PROG "'s writable segment lies in one page");
		}
	}
	fclose(f);
	assert_true(text_page && data_page);
	exec_layout();
	return 0;
}

static int replay_exec(const char *text, const char *prog, uint64_t frames,
		       struct tuxmm_replay_result *res, char *err)
{
	struct tuxmm_replay_opts o = { .exec = prog, .frames = frames };

	err[0] = '\0';
	return tuxmm_replay_mem(text, strlen(text), "t", &o, res, err);
}

static struct tuxmm_replay_result replay_ok(const char *text)
{
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX];

	if (replay_exec(text, PROG, 0, &res, err))
		fail_msg("replay: %s", err);
	assert_int_equal(res.minor_faults + res.major_faults, res.faults);
	return res;
}

static void the_trace_runs_in_the_exec_layout(void **state)
{
	struct tuxmm_replay_result res, base;
	char text[512];

	(void)state;
	snprintf(text, sizeof(text),
		 "%lx R\n"	/* 1: text, through the page cache: a fault, a file page */
		 "%lx W\n"	/* 2: data, private: copy on write into an anonymous page */
		 "%lx R\n"	/* 3: the stack exec wrote: resident, no fault */
		 "%lx W\n"	/* 4: no area: an anonymous one, a fault */
		 "%lx W\n"	/* 5: a store into text: segv, skipped */
		 "%lx R\n",	/* 6: the page of 4 again: a TLB hit */
		 text_page, data_page, STACK_PAGE, OUTSIDE, text_page + 16, OUTSIDE + 8);
	res = replay_ok(text);
	assert_string_equal(res.policy, "none");
	assert_int_equal(res.accesses, 6);
	assert_int_equal(res.references, 6);
	assert_int_equal(res.faults, 3);
	assert_int_equal(res.distinct_pages, 4);
	assert_int_equal(res.segv, 1);
	assert_int_equal(res.segv_line, 5);
	assert_int_equal(res.segv_addr, text_page + 16);
	assert_string_equal(res.segv_access, "store");
	assert_int_equal(res.writebacks + res.page_outs, 0);
	/* Only reference 6 hit: 1-4 missed (3 without a fault), 5 missed and faulted. */
	assert_int_equal(res.tlb_hits, 1);

	/*
	 * The same exec with only the stack read: exec's own pages. Against it, the text
	 * read mapped file pages (fault-around maps the cached neighbours too) and nothing
	 * anonymous; the data write and the new area added one anonymous page each.
	 */
	snprintf(text, sizeof(text), "%lx R\n", STACK_PAGE);
	base = replay_ok(text);
	assert_int_equal(base.faults, 0);
	assert_int_equal(base.file_pages, 0);
	assert_true(res.file_pages >= 1);
	assert_int_equal(res.anon_pages, base.anon_pages + 2);
}

/* The first write to a data page copies it: a read before it maps the file's page. */
static void a_read_then_a_write_of_data_copies_on_write(void **state)
{
	struct tuxmm_replay_result res;
	char text[128];

	(void)state;
	snprintf(text, sizeof(text), "%lx R\n%lx W\n", data_page, data_page + 8);
	res = replay_ok(text);
	/* The read maps the page cache's page read-only; the write copies it (wp fault). */
	assert_int_equal(res.faults, 2);
	assert_int_equal(res.distinct_pages, 1);
	assert_int_equal(res.file_pages, 0);	/* the copy replaced the file page */
}

/* Lackey's instruction fetches: from text fine, from data (not executable) segv. */
static void a_fetch_from_data_is_a_segv(void **state)
{
	struct tuxmm_replay_result res;
	char text[128];

	(void)state;
	snprintf(text, sizeof(text), "I  %lx,4\nI  %lx,4\n L %lx,8\n", text_page, data_page,
		 data_page);
	res = replay_ok(text);
	assert_string_equal(res.format, "lackey");
	assert_int_equal(res.segv, 1);
	assert_int_equal(res.segv_line, 2);
	assert_string_equal(res.segv_access, "fetch");
	/*
	 * Two faults: the text fetch, and the data fetch -- as on x86 Linux, the fetch of a
	 * non-present page of a readable area maps it first (access_error() refuses only a
	 * present page to a fetch); the retry then finds it not executable. The load
	 * finds the page mapped.
	 */
	assert_int_equal(res.faults, 2);
	assert_int_equal(res.distinct_pages, 2);
}

/* Below the stack, within its limit, the stack grows: no new area, Linux's behaviour. */
static void an_access_below_the_stack_grows_it(void **state)
{
	struct tuxmm_replay_result res;
	char text[128];

	(void)state;
	snprintf(text, sizeof(text), "%lx W\n", STACK_PAGE - (1UL << 20));
	res = replay_ok(text);
	assert_int_equal(res.faults, 1);
	assert_int_equal(res.segv, 0);
}

/*
 * The interpreter's text, far from its bss page (whose padzero() fault read only the
 * pages around it ahead), is read from the file: a major fault. [vdso] (r-x) and [vvar]
 * (r--) read as zeroes, a fault each; a store into [vdso] and a fetch from [vvar] are
 * segv -- the fetch maps the page first, as on x86 Linux.
 */
static void interpreter_text_and_the_vdso(void **state)
{
	struct tuxmm_replay_result res;
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "I  %lx,4\n L %lx,8\n S %lx,8\nI  %lx,4\n", interp_text,
		 vdso, vdso + 8, vvar);
	res = replay_ok(text);
	assert_int_equal(res.major_faults, 1);
	assert_int_equal(res.faults, 3);
	assert_int_equal(res.segv, 2);
	assert_int_equal(res.segv_line, 3);
	assert_string_equal(res.segv_access, "store");
	assert_int_equal(res.distinct_pages, 3);
}

static void errors_are_reported(void **state)
{
	struct tuxmm_replay_result res;
	char err[TUXMM_ERRMSG_MAX], path[] = "/tmp/tuxmm-notelf-XXXXXX";
	const char *text = "1000 R\n";
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(replay_exec(text, "/nonexistent/prog", 0, &res, err), -ENOENT);
	assert_non_null(strstr(err, "cannot exec /nonexistent/prog"));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(replay_exec(text, path, 0, &res, err), -ENOEXEC);
	assert_non_null(strstr(err, "not an ELF64 x86-64 executable (ENOEXEC)"));
	unlink(path);

	assert_int_equal(replay_exec(text, PROG, 8, &res, err), -EINVAL);
	assert_non_null(strstr(err, "--exec replays without a cap"));

	/* A malformed line still names its line. */
	assert_int_equal(replay_exec("1000 R\nbogus\n", PROG, 0, &res, err), -EINVAL);
	assert_non_null(strstr(err, "t:2:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_trace_runs_in_the_exec_layout),
		cmocka_unit_test(a_read_then_a_write_of_data_copies_on_write),
		cmocka_unit_test(a_fetch_from_data_is_a_segv),
		cmocka_unit_test(an_access_below_the_stack_grows_it),
		cmocka_unit_test(interpreter_text_and_the_vdso),
		cmocka_unit_test(errors_are_reported),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
