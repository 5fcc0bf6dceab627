/*
 * uaccess.c - copy_from_user(), copy_to_user() and friends over the MMU.
 * Follows Linux include/linux/uaccess.h and lib/usercopy.c: check the range
 * with access_ok(), copy page by page, stop at the first fault that the fault
 * handler could not fix, report how much was left.
 * Keeps: never touches memory outside [addr, addr + n); never oopses on a bad
 * user address.
 */
#include <errno.h>
#include <string.h>

#include "mmu.h"
#include "pgtable.h"
#include "uaccess.h"

bool access_ok(const struct machine *m, unsigned long addr, unsigned long size)
{
	unsigned long limit = m->arch.layout.task_size;

	return size <= limit && addr <= limit - size;
}

/* Copy up to @n bytes between @buf and user @uaddr; returns the bytes done. */
static unsigned long user_copy(struct machine *m, unsigned int cpu, unsigned long uaddr,
			       void *buf, unsigned long n, enum mmu_access acc)
{
	uint8_t *b = buf;
	unsigned long done = 0;

	while (done < n) {
		unsigned long addr = uaddr + done;
		unsigned long chunk = m->page_size - (addr & (m->page_size - 1));
		vm_fault_t ret = 0;
		uint8_t *p = mmu_translate(m, cpu, addr, 1, acc, MMU_UACCESS, &ret);

		if (!p)
			break;
		if (chunk > n - done)
			chunk = n - done;
		if (acc == MMU_WRITE)
			memcpy(p, b + done, chunk);
		else
			memcpy(b + done, p, chunk);
		done += chunk;
	}
	return done;
}

unsigned long copy_from_user(struct machine *m, unsigned int cpu, void *to, unsigned long from,
			     unsigned long n)
{
	unsigned long done = 0;

	if (access_ok(m, from, n))
		done = user_copy(m, cpu, from, to, n, MMU_READ);
	memset((uint8_t *)to + done, 0, n - done);
	return n - done;
}

unsigned long copy_to_user(struct machine *m, unsigned int cpu, unsigned long to, const void *from,
			   unsigned long n)
{
	if (!access_ok(m, to, n))
		return n;
	return n - user_copy(m, cpu, to, (void *)from, n, MMU_WRITE);
}

unsigned long clear_user(struct machine *m, unsigned int cpu, unsigned long to, unsigned long n)
{
	static const uint8_t zeros[256];
	unsigned long done = 0;

	if (!access_ok(m, to, n))
		return n;
	while (done < n) {
		unsigned long chunk = n - done < sizeof(zeros) ? n - done : sizeof(zeros);
		unsigned long did = user_copy(m, cpu, to + done, (void *)zeros, chunk, MMU_WRITE);

		done += did;
		if (did < chunk)
			break;
	}
	return n - done;
}

long strncpy_from_user(struct machine *m, unsigned int cpu, char *dst, unsigned long src,
		       long count)
{
	long i;

	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		uint8_t c;

		if (!access_ok(m, src + (unsigned long)i, 1) ||
		    mmu_load_u8(m, cpu, src + (unsigned long)i, &c, MMU_UACCESS))
			return -EFAULT;
		dst[i] = (char)c;
		if (!c)
			return i;
	}
	return count;
}

int get_user_u64(struct machine *m, unsigned int cpu, uint64_t *val, unsigned long uaddr)
{
	return copy_from_user(m, cpu, val, uaddr, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u64(struct machine *m, unsigned int cpu, uint64_t val, unsigned long uaddr)
{
	return copy_to_user(m, cpu, uaddr, &val, sizeof(val)) ? -EFAULT : 0;
}
