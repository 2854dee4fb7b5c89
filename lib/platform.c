// SPDX-License-Identifier: GPL-2.0-only
/*
 * What librmt needs from the platform in user space, where rmt.ko has
 * kernel/jit_mem.c and the kernel's CPU feature bits: executable pages
 * for the JIT and the CPU's SIMD features.  Built into librmt with the
 * core (rmt/compat.h declares these).
 */
#include <cpuid.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

#define ARCH_REQ_XCOMP_PERM	0x1023
#define XFEATURE_XTILEDATA	18

static u32 page_round(u32 size)
{
	long page = sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(u32)(page - 1);
}

/* Writable pages filled with int3, until rmt_jit_seal(). */
void *rmt_jit_alloc_exec(u32 size)
{
	void *p = mmap(NULL, page_round(size), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0xcc, page_round(size));
	return p;
}

int rmt_jit_seal(void *image, u32 size)
{
	return mprotect(image, page_round(size), PROT_READ | PROT_EXEC) ? -errno : 0;
}

void rmt_jit_free_exec(void *image, u32 size)
{
	if (image)
		munmap(image, page_round(size));
}

static u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static u32 cpu_probe(void)
{
	u32 a, b, c, d, f = 0;
	u64 xcr0;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return 0;
	xcr0 = xgetbv0();
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	if ((b & bit_AVX2) && (xcr0 & 0x6) == 0x6)
		f |= RMT_CPU_AVX2;
	if ((b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL) &&
	    (c & bit_AVX512VNNI) && (xcr0 & 0xe6) == 0xe6)
		f |= RMT_CPU_AVX512;
	/* AMX-TILE (edx bit 24), AMX-INT8 (bit 25), and the kernel's grant */
	if ((d & (1u << 24)) && (d & (1u << 25)) &&
	    (xcr0 & (3ull << 17)) == (3ull << 17) &&
	    !syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA))
		f |= RMT_CPU_AMX;
	return f;
}

/**
 * rmt_cpu_features() - RMT_CPU_* bits this CPU and OS support
 *
 * RMT_CPU_MASK in the environment (a number) clears bits, to test the
 * choices the JIT makes on smaller CPUs.
 */
u32 rmt_cpu_features(void)
{
	static int cached = -1;

	if (cached < 0) {
		const char *mask = getenv("RMT_CPU_MASK");
		u32 f = cpu_probe();

		if (mask)
			f &= (u32)strtoul(mask, NULL, 0);
		cached = (int)f;
	}
	return (u32)cached;
}
