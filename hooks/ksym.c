// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmt_kallsyms_lookup(): kallsyms_lookup_name() reached through a kprobe.
 */
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

#include "ksym.h"

typedef unsigned long (*rmt_lookup_fn)(const char *name);

static DEFINE_MUTEX(rmt_ksym_lock);
static rmt_lookup_fn rmt_lookup;
static bool rmt_lookup_tried;

/* The entry of kallsyms_lookup_name, or NULL. */
static rmt_lookup_fn rmt_find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/*
	 * kprobes puts the probe after the ENDBR64 that starts the function,
	 * and an indirect call must land on that ENDBR64.  A function whose
	 * ENDBR64 was sealed (poisoned) at boot cannot be called indirectly.
	 */
	{
		u32 insn;

		if (copy_from_kernel_nofault(&insn, (void *)(addr - 4), 4) ||
		    insn != gen_endbr())
			return NULL;
		addr -= 4;
	}
#endif
	return (rmt_lookup_fn)addr;
}

unsigned long rmt_kallsyms_lookup(const char *name)
{
	rmt_lookup_fn fn;

	mutex_lock(&rmt_ksym_lock);
	if (!rmt_lookup_tried) {
		rmt_lookup = rmt_find_lookup();
		rmt_lookup_tried = true;
	}
	fn = rmt_lookup;
	mutex_unlock(&rmt_ksym_lock);
	return fn ? fn(name) : 0;
}
