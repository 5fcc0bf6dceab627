/*
 * types.h - scalar types whose meaning matters, and small bit helpers.
 */
#ifndef TUXMM_TYPES_H
#define TUXMM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t phys_addr_t;	/* a simulated physical address */
typedef unsigned long pfn_t;	/* a page frame number */
typedef unsigned long pgoff_t;	/* an offset in pages within a file or object */
typedef unsigned int gfp_t;	/* allocation flags, Linux's ___GFP_* bits */

#define BIT(n) (1UL << (n))
#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))

#define SZ_1K (1UL << 10)
#define SZ_1M (1UL << 20)
#define SZ_1G (1UL << 30)

/* fls - index of the highest set bit, counting from 1; 0 for 0 (Linux's fls). */
static inline int fls_ul(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}

/* ilog2 of a non-zero value. */
static inline unsigned int ilog2_ul(unsigned long x)
{
	return 63 - __builtin_clzl(x);
}

static inline unsigned long rounddown_pow_of_two(unsigned long x)
{
	return x ? 1UL << ilog2_ul(x) : 0;
}

static inline bool is_power_of_2(unsigned long x)
{
	return x && !(x & (x - 1));
}

#endif
