/*
 * testlib.h - helpers shared by the unit tests: boot a fresh machine per test,
 * seeded randomness with the seed printed on failure, golden-file comparison.
 */
#ifndef TUXMM_TESTLIB_H
#define TUXMM_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <tuxmm/tuxmm.h>

#include "machine.h"

/* test_boot - boot a machine with @ram bytes and defaults otherwise; fails the test on error. */
struct machine *test_boot(uint64_t ram);
/* test_boot_cfg - boot from a full config; fails the test on error. */
struct machine *test_boot_cfg(const struct tuxmm_config *cfg);

/* cmocka setup/teardown: *state becomes a 64 MiB machine. */
int test_setup_machine(void **state);
int test_teardown_machine(void **state);

/* test_seed - the seed for this run: $TUXMM_SEED or a fixed default; printed once. */
uint64_t test_seed(void);
uint64_t test_rand(uint64_t *state);

/* test_proc - the text of a /proc file; the test fails if it cannot be read. Caller frees. */
char *test_proc(struct machine *m, const char *path);

/*
 * test_golden - compare @text with tests/golden/@name. With TUXMM_UPDATE_GOLDEN=1
 * in the environment the file is (re)written instead. Fails the test on a difference,
 * printing the first differing line.
 */
void test_golden(const char *name, const char *text);

#endif
