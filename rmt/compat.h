/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place where the kernel build and the user-space build of the
 * RMT core differ.  Everything in rmt/ includes this header and nothing
 * else that depends on where it runs.
 */
#ifndef _RMT_COMPAT_H
#define _RMT_COMPAT_H

#ifdef __KERNEL__

#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/prandom.h>
#include <linux/smp.h>
#include <linux/log2.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#define rmt_zalloc(size)	kvzalloc((size), GFP_KERNEL)
#define rmt_free(ptr)		kvfree(ptr)
#define rmt_ktime_ns()		ktime_get_ns()
#define rmt_strscpy(d, s, n)	strscpy((d), (s), (n))
#define rmt_cond_resched()	cond_resched()
#define rmt_prandom_u32()	get_random_u32()
#define rmt_cpu_id()		raw_smp_processor_id()

/* objtool must see the interpreter's dispatch table as a jump table. */
#define RMT_JUMP_TABLE		__annotate_jump_table

/* RCU-published pointers: one writer, lock-free readers. */
#define rmt_rcu_assign(p, v)	rcu_assign_pointer(p, v)
#define rmt_rcu_deref(p)	rcu_dereference_raw(p)
#define rmt_synchronize_rcu()	synchronize_rcu()
#define rmt_store_release(p, v)	smp_store_release((p), (v))
#define rmt_load_acquire(p)	smp_load_acquire(p)

/* Per-CPU counters: lock-free increments, summed on read. */
typedef u64 __percpu *rmt_pcpu_t;
#define rmt_pcpu_alloc()	alloc_percpu(u64)
#define rmt_pcpu_free(c)	free_percpu(c)
#define rmt_pcpu_add(c, v)	this_cpu_add(*(c), (v))

static inline u64 rmt_pcpu_sum(rmt_pcpu_t c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(c, cpu);
	return sum;
}

/*
 * JIT support.  Executable memory comes from kernel/jit_mem.c (the
 * module area, so that code can reach rmt.ko with rel32 calls).  SIMD
 * runs only between kernel_fpu_begin/end; AMX tile state is not covered
 * by that API, so the AMX tier is never offered here.
 */
#include <asm/fpu/api.h>
#include <asm/cpufeature.h>
#include <linux/preempt.h>

void *rmt_jit_alloc_exec(u32 size);
int rmt_jit_seal(void *image, u32 size);
void rmt_jit_free_exec(void *image, u32 size);

#define RMT_JIT_NEAR_CALLS	1	/* call rel32 to the core */
#define RMT_NOINLINE		noinline

/* Where the image returns through, as compiled code does (retbleed). */
const void *rmt_jit_return_thunk(void);
#define RMT_FPU_COST_NS		130	/* kernel_fpu_begin + end */
/* irq_fpu_usable() warns in NMI context (an int3 kprobe may be one). */
#define rmt_fpu_usable()	(!in_nmi() && irq_fpu_usable())
#define rmt_fpu_begin()		kernel_fpu_begin()
#define rmt_fpu_end()		kernel_fpu_end()

#define RMT_CPU_AVX2		0x1
#define RMT_CPU_AVX512		0x2	/* F, BW, VL and VNNI */
#define RMT_CPU_AMX		0x4	/* TILE and INT8, usable by this task */

static inline u32 rmt_cpu_features(void)
{
	u32 f = 0;

	if (boot_cpu_has(X86_FEATURE_AVX2) &&
	    cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL))
		f |= RMT_CPU_AVX2;
	if (boot_cpu_has(X86_FEATURE_AVX512F) &&
	    boot_cpu_has(X86_FEATURE_AVX512BW) &&
	    boot_cpu_has(X86_FEATURE_AVX512VL) &&
	    boot_cpu_has(X86_FEATURE_AVX512_VNNI) &&
	    cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
			      XFEATURE_MASK_AVX512, NULL))
		f |= RMT_CPU_AVX512;
	return f;
}

typedef raw_spinlock_t rmt_lock_t;
#define rmt_lock_init(l)		raw_spin_lock_init(l)
#define rmt_lock(l, flags)		raw_spin_lock_irqsave((l), (flags))
#define rmt_unlock(l, flags)		raw_spin_unlock_irqrestore((l), (flags))

#else /* user space: librmt */

#include <linux/types.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define clamp_val(v, lo, hi)	((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define fallthrough	__attribute__((__fallthrough__))
#define pr_info(...)	((void)0)
#define pr_warn(...)	fprintf(stderr, __VA_ARGS__)

static inline int ilog2_u64(u64 v)
{
	return 63 - __builtin_clzll(v);
}
#define ilog2(v)	ilog2_u64(v)
#define fls64(v)	((v) ? 64 - __builtin_clzll(v) : 0)

#define RMT_JUMP_TABLE
#define rmt_strscpy(d, s, n)	snprintf((d), (n), "%s", (s))
#define rmt_cond_resched()	do { } while (0)

/*
 * Allocation-failure injection for tests: when set to n > 0, the n-th
 * allocation from now fails.  The kernel has failslab for the same.
 */
__attribute__((weak)) int rmt_alloc_fail_countdown;

static inline void *rmt_zalloc(size_t size)
{
	if (rmt_alloc_fail_countdown > 0 && --rmt_alloc_fail_countdown == 0)
		return NULL;
	return calloc(1, size);
}
#define rmt_free(ptr)		free(ptr)

static inline u64 rmt_ktime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static inline u32 rmt_prandom_u32(void)
{
	/* Per-thread xorshift: helpers must not take locks. */
	static __thread u32 state = 0x9e3779b9u;

	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

static inline u32 rmt_cpu_id(void)
{
	return 0;
}

/*
 * librmt has one writer and readers in the same or other threads; release
 * and acquire order stand in for RCU publication.  Grace periods are the
 * caller's business (the embedded backend is single-threaded).
 */
#define rmt_rcu_assign(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define rmt_rcu_deref(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rmt_synchronize_rcu()	do { } while (0)
#define rmt_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define rmt_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)

/*
 * JIT support in user space: pages from mmap, written, then sealed
 * read-only and executable; no FPU section is needed; the image may be
 * anywhere, so calls into librmt go through a register.
 */
void *rmt_jit_alloc_exec(u32 size);
int rmt_jit_seal(void *image, u32 size);
void rmt_jit_free_exec(void *image, u32 size);

#define RMT_JIT_NEAR_CALLS	0
#define RMT_NOINLINE		__attribute__((noinline))
#define rmt_jit_return_thunk()	((const void *)NULL)
#define RMT_FPU_COST_NS		0
#define rmt_fpu_usable()	true
#define rmt_fpu_begin()		do { } while (0)
#define rmt_fpu_end()		do { } while (0)

#define RMT_CPU_AVX2		0x1
#define RMT_CPU_AVX512		0x2	/* F, BW, VL and VNNI */
#define RMT_CPU_AMX		0x4	/* TILE and INT8, usable by this task */

u32 rmt_cpu_features(void);

typedef u64 *rmt_pcpu_t;
#define rmt_pcpu_alloc()	((rmt_pcpu_t)rmt_zalloc(sizeof(u64)))
#define rmt_pcpu_free(c)	rmt_free(c)
#define rmt_pcpu_add(c, v)	__atomic_fetch_add((c), (v), __ATOMIC_RELAXED)
#define rmt_pcpu_sum(c)		__atomic_load_n((c), __ATOMIC_RELAXED)

typedef struct {
	int locked;
} rmt_lock_t;

#define rmt_lock_init(l)	((l)->locked = 0)
#define rmt_lock(l, flags)						\
	do {								\
		(void)(flags);						\
		while (__atomic_exchange_n(&(l)->locked, 1, __ATOMIC_ACQUIRE)) \
			;						\
	} while (0)
#define rmt_unlock(l, flags)						\
	do {								\
		(void)(flags);						\
		__atomic_store_n(&(l)->locked, 0, __ATOMIC_RELEASE);	\
	} while (0)

#endif /* __KERNEL__ */

#include <linux/rmt.h>

#endif /* _RMT_COMPAT_H */
