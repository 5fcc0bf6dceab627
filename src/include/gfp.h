/*
 * gfp.h - allocation flags with Linux 6.x bit values, so that
 * "mode:0xcc0(GFP_KERNEL)" in a warning reads as it does in Linux.
 */
#ifndef TUXMM_GFP_H
#define TUXMM_GFP_H

#include "types.h"

enum {
	___GFP_DMA_BIT,
	___GFP_HIGHMEM_BIT,
	___GFP_DMA32_BIT,
	___GFP_MOVABLE_BIT,
	___GFP_RECLAIMABLE_BIT,
	___GFP_HIGH_BIT,
	___GFP_IO_BIT,
	___GFP_FS_BIT,
	___GFP_ZERO_BIT,
	___GFP_UNUSED_BIT,
	___GFP_DIRECT_RECLAIM_BIT,
	___GFP_KSWAPD_RECLAIM_BIT,
	___GFP_WRITE_BIT,
	___GFP_NOWARN_BIT,
	___GFP_RETRY_MAYFAIL_BIT,
	___GFP_NOFAIL_BIT,
	___GFP_NORETRY_BIT,
	___GFP_MEMALLOC_BIT,
	___GFP_COMP_BIT,
	___GFP_NOMEMALLOC_BIT,
	___GFP_HARDWALL_BIT,
	___GFP_THISNODE_BIT,
	___GFP_ACCOUNT_BIT,
	___GFP_ZEROTAGS_BIT,
	___GFP_LAST_BIT
};

#define __GFP_DMA            (1u << ___GFP_DMA_BIT)
#define __GFP_HIGHMEM        (1u << ___GFP_HIGHMEM_BIT)
#define __GFP_DMA32          (1u << ___GFP_DMA32_BIT)
#define __GFP_MOVABLE        (1u << ___GFP_MOVABLE_BIT)
#define __GFP_RECLAIMABLE    (1u << ___GFP_RECLAIMABLE_BIT)
#define __GFP_HIGH           (1u << ___GFP_HIGH_BIT)
#define __GFP_IO             (1u << ___GFP_IO_BIT)
#define __GFP_FS             (1u << ___GFP_FS_BIT)
#define __GFP_ZERO           (1u << ___GFP_ZERO_BIT)
#define __GFP_DIRECT_RECLAIM (1u << ___GFP_DIRECT_RECLAIM_BIT)
#define __GFP_KSWAPD_RECLAIM (1u << ___GFP_KSWAPD_RECLAIM_BIT)
#define __GFP_WRITE          (1u << ___GFP_WRITE_BIT)
#define __GFP_NOWARN         (1u << ___GFP_NOWARN_BIT)
#define __GFP_RETRY_MAYFAIL  (1u << ___GFP_RETRY_MAYFAIL_BIT)
#define __GFP_NOFAIL         (1u << ___GFP_NOFAIL_BIT)
#define __GFP_NORETRY        (1u << ___GFP_NORETRY_BIT)
#define __GFP_MEMALLOC       (1u << ___GFP_MEMALLOC_BIT)
#define __GFP_COMP           (1u << ___GFP_COMP_BIT)
#define __GFP_NOMEMALLOC     (1u << ___GFP_NOMEMALLOC_BIT)
#define __GFP_HARDWALL       (1u << ___GFP_HARDWALL_BIT)
#define __GFP_THISNODE       (1u << ___GFP_THISNODE_BIT)
#define __GFP_ACCOUNT        (1u << ___GFP_ACCOUNT_BIT)
#define __GFP_ZEROTAGS       (1u << ___GFP_ZEROTAGS_BIT)

#define __GFP_RECLAIM  (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC     (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL     (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT     (__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO       (__GFP_RECLAIM)
#define GFP_NOFS       (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER       (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA        __GFP_DMA
#define GFP_DMA32      __GFP_DMA32
#define GFP_HIGHUSER   (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)

struct report;
/* gfp_format - "0xcc0(GFP_KERNEL|__GFP_ZERO)" as Linux's %pGg prints it. */
void gfp_format(struct report *r, gfp_t gfp);

#endif
