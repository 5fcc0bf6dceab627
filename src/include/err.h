/*
 * err.h - an errno carried in a pointer or an address, as Linux's
 * <linux/err.h> does: the top 4095 values of the address space are errors.
 */
#ifndef TUXMM_ERR_H
#define TUXMM_ERR_H

#include <stdbool.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
