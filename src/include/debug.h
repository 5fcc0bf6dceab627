/*
 * debug.h - VM_BUG_ON and friends, and the sanitizer hooks.
 * VM_BUG_ON is for impossible states only, never for user input: under
 * DEBUG_VM it prints file:line and aborts; otherwise it compiles away.
 */
#ifndef TUXMM_DEBUG_H
#define TUXMM_DEBUG_H

#include <stdio.h>
#include <stdlib.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#ifdef DEBUG_VM
#define VM_BUG_ON(cond)                                                              \
	do {                                                                         \
		if (unlikely(cond)) {                                                \
			fprintf(stderr, "tuxmm: VM_BUG_ON(%s) at %s:%d\n", #cond,    \
				__FILE__, __LINE__);                                 \
			abort();                                                     \
		}                                                                    \
	} while (0)
#define VM_BUG_ON_PAGE(cond, m, page)                                                \
	do {                                                                         \
		if (unlikely(cond)) {                                                \
			dump_page((m), (page), #cond);                               \
			VM_BUG_ON(cond);                                             \
		}                                                                    \
	} while (0)
#define IS_ENABLED_DEBUG_VM 1
#else
#define VM_BUG_ON(cond)                ((void)sizeof(!(cond)))
#define VM_BUG_ON_PAGE(cond, m, page)  ((void)sizeof(!(cond)))
#define IS_ENABLED_DEBUG_VM 0
#endif

/* VM_WARN_ON_ONCE - log once to stderr and let the caller recover. */
#define VM_WARN_ON_ONCE(cond)                                                        \
	({                                                                           \
		static int __warned;                                                 \
		int __c = !!(cond);                                                  \
		if (unlikely(__c) && !__warned) {                                    \
			__warned = 1;                                                \
			fprintf(stderr, "tuxmm: warning: %s at %s:%d\n", #cond,      \
				__FILE__, __LINE__);                                 \
		}                                                                    \
		__c;                                                                 \
	})

/* AddressSanitizer manual poisoning, the way KASAN marks free memory. */
#if defined(__SANITIZE_ADDRESS__)
#define TUXMM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TUXMM_ASAN 1
#endif
#endif

#ifdef TUXMM_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define kasan_poison(addr, size)   __asan_poison_memory_region((addr), (size))
#define kasan_unpoison(addr, size) __asan_unpoison_memory_region((addr), (size))
#else
#define kasan_poison(addr, size)   ((void)(addr), (void)(size))
#define kasan_unpoison(addr, size) ((void)(addr), (void)(size))
#endif

#endif
