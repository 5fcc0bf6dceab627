/*
 * uaccess.h - the kernel reading and writing user memory: copy_from_user()
 * and friends, with Linux's contracts. They run in kernel mode with EFLAGS.AC
 * set (MMU_UACCESS), so SMAP lets them through, and a fault they cannot have
 * fixed ends the copy instead of oopsing (the exception-table fixup).
 */
#ifndef TUXMM_UACCESS_H
#define TUXMM_UACCESS_H

#include <stddef.h>

#include "types.h"

struct machine;

/* access_ok - does [@addr, @addr + @size) lie in user space (below TASK_SIZE)? */
bool access_ok(const struct machine *m, unsigned long addr, unsigned long size);

/*
 * copy_from_user - copy @n bytes from user address @from on @cpu's address
 * space into @to. Returns the number of bytes NOT copied (0 on success); the
 * uncopied tail of @to is zeroed. Callers turn a non-zero result into -EFAULT.
 */
unsigned long copy_from_user(struct machine *m, unsigned int cpu, void *to, unsigned long from,
			     unsigned long n);
/* copy_to_user - the other way; returns the number of bytes not copied. */
unsigned long copy_to_user(struct machine *m, unsigned int cpu, unsigned long to, const void *from,
			   unsigned long n);
/* clear_user - zero @n user bytes; returns the number not cleared. */
unsigned long clear_user(struct machine *m, unsigned int cpu, unsigned long to, unsigned long n);
/*
 * strncpy_from_user - copy a NUL-terminated string of at most @count bytes.
 * Returns its length (without the NUL), @count if it did not fit (then @dst
 * is not terminated), or -EFAULT.
 */
long strncpy_from_user(struct machine *m, unsigned int cpu, char *dst, unsigned long src,
		       long count);
/* get_user / put_user for 64-bit values: 0 or -EFAULT. */
int get_user_u64(struct machine *m, unsigned int cpu, uint64_t *val, unsigned long uaddr);
int put_user_u64(struct machine *m, unsigned int cpu, uint64_t val, unsigned long uaddr);

#endif
