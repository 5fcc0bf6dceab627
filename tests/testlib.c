/*
 * testlib.c - see testlib.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

struct machine *test_boot_cfg(const struct tuxmm_config *cfg)
{
	char err[TUXMM_ERRMSG_MAX] = "";
	struct machine *m = NULL;
	int ret = tuxmm_boot(cfg, &m, err);

	if (ret)
		fail_msg("boot failed: %s (%s)", err, tuxmm_errno_name(ret));
	return m;
}

struct machine *test_boot(uint64_t ram)
{
	struct tuxmm_config cfg;

	tuxmm_config_init(&cfg);
	cfg.ram_bytes = ram;
	return test_boot_cfg(&cfg);
}

int test_setup_machine(void **state)
{
	*state = test_boot(64ULL << 20);
	return *state ? 0 : -1;
}

int test_teardown_machine(void **state)
{
	tuxmm_machine_destroy(*state);
	return 0;
}

uint64_t test_seed(void)
{
	static uint64_t seed;
	static int printed;
	const char *env = getenv("TUXMM_SEED");

	if (!printed) {
		seed = env ? strtoull(env, NULL, 0) : 20261127;
		printf("# seed %llu (set TUXMM_SEED to change)\n", (unsigned long long)seed);
		printed = 1;
	}
	return seed;
}

uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x ? x : 0x9e3779b97f4a7c15ULL;
	return *state;
}

char *test_proc(struct machine *m, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int ret = tuxmm_proc_read(m, path, &text, &len);

	if (ret)
		fail_msg("reading %s failed: %s", path, tuxmm_errno_name(ret));
	assert_int_equal(strlen(text), len);
	return text;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

void test_golden(const char *name, const char *text)
{
	char path[1024];
	char *want;
	const char *a, *b;
	int line = 1;

	snprintf(path, sizeof(path), "%s/%s", TUXMM_GOLDEN_DIR, name);
	if (getenv("TUXMM_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	want = read_file(path);
	if (!want)
		fail_msg("golden file %s is missing (run with TUXMM_UPDATE_GOLDEN=1 to create it)",
			 path);
	for (a = want, b = text; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	if (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		int la = ea ? (int)(ea - a) : (int)strlen(a);
		int lb = eb ? (int)(eb - b) : (int)strlen(b);

		while (a > want && a[-1] != '\n') {
			a--;
			b--;
			la++;
			lb++;
		}
		print_error("golden %s differs at line %d:\n  want: %.*s\n  got:  %.*s\n", name,
			    line, la, a, lb, b);
		free(want);
		fail();
	}
	free(want);
}
