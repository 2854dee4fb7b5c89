// SPDX-License-Identifier: GPL-2.0-only
/*
 * Executable memory for the JIT in rmt.ko.
 *
 * Images come from module_alloc(), as BPF's do: the module area is
 * within rel32 reach of rmt.ko, so JITed code calls the core with
 * direct calls.  Written while writable, then sealed read-only and
 * executable with set_memory_ro/x; module_memfree() (vfree with
 * VM_FLUSH_RESET_PERMS) restores the pages when the image is freed.
 * None of these are exported to modules, so they are looked up once
 * through kallsyms; if any is missing, the JIT reports "no executable
 * memory" and every program is interpreted.  The image returns through
 * x86_return_thunk where the kernel uses return thunks.
 */
#include <linux/mm.h>
#include <linux/moduleloader.h>
#include <linux/mutex.h>

#include "../rmt/compat.h"
#include "../hooks/ksym.h"

static struct {
	void *(*alloc)(unsigned long size);
	void (*free)(void *p);
	int (*set_ro)(unsigned long addr, int numpages);
	int (*set_x)(unsigned long addr, int numpages);
	void (**return_thunk)(void);
	bool tried;
} rmt_jit_mem;

static DEFINE_MUTEX(rmt_jit_mem_lock);

static bool rmt_jit_mem_ready(void)
{
	mutex_lock(&rmt_jit_mem_lock);
	if (!rmt_jit_mem.tried) {
		rmt_jit_mem.alloc = (void *)rmt_kallsyms_lookup("module_alloc");
		rmt_jit_mem.free = (void *)rmt_kallsyms_lookup("module_memfree");
		rmt_jit_mem.set_ro = (void *)rmt_kallsyms_lookup("set_memory_ro");
		rmt_jit_mem.set_x = (void *)rmt_kallsyms_lookup("set_memory_x");
		rmt_jit_mem.return_thunk =
			(void *)rmt_kallsyms_lookup("x86_return_thunk");
		rmt_jit_mem.tried = true;
		if (!rmt_jit_mem.alloc || !rmt_jit_mem.free ||
		    !rmt_jit_mem.set_ro || !rmt_jit_mem.set_x)
			pr_warn("rmt: JIT disabled: module_alloc/set_memory_* not found\n");
	}
	mutex_unlock(&rmt_jit_mem_lock);
	return rmt_jit_mem.alloc && rmt_jit_mem.free && rmt_jit_mem.set_ro &&
	       rmt_jit_mem.set_x;
}

/*
 * With return thunks (retbleed, SRSO, ITS), compiled code returns through
 * the thunk the kernel selected, x86_return_thunk; so does the image, as
 * BPF's does.  NULL: a plain ret.
 */
const void *rmt_jit_return_thunk(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_RETHUNK) ||
	    !rmt_jit_mem.return_thunk)
		return NULL;
	return READ_ONCE(*rmt_jit_mem.return_thunk);
}

void *rmt_jit_alloc_exec(u32 size)
{
	u32 len = PAGE_ALIGN(size);
	void *p;

	if (!rmt_jit_mem_ready())
		return NULL;
	p = rmt_jit_mem.alloc(len);
	if (p)
		memset(p, 0xcc, len);	/* int3 in every hole */
	return p;
}

int rmt_jit_seal(void *image, u32 size)
{
	int pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	int err;

	err = rmt_jit_mem.set_ro((unsigned long)image, pages);
	if (!err)
		err = rmt_jit_mem.set_x((unsigned long)image, pages);
	return err;
}

void rmt_jit_free_exec(void *image, u32 size)
{
	if (image)
		rmt_jit_mem.free(image);
}
