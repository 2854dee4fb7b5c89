// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook point lookup_swap_cache: every swap-cache lookup of a fault, hit
 * or miss.  On kernels with the folio conversion the function is
 * swap_cache_get_folio(); both take (entry, vma, addr) and return the
 * page or folio found, or NULL.
 *
 * A kretprobe records the arguments on entry and, on return, whether
 * the lookup hit and whether the page was one RMT read ahead (counted
 * as a readahead hit of the swap_cluster_readahead hook, tables or not).
 * Tables attached here observe: their actions update context maps (the
 * per-process access patterns a readahead policy learns from); the
 * verdict is ignored.
 */
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "hook.h"
#include "ksym.h"

struct rmt_lookup_args {
	unsigned long entry;
	unsigned long addr;
};

static int rmt_lookup_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmt_lookup_args *a = (void *)ri->data;

	a->entry = regs->di;
	a->addr = regs->dx;
	return 0;
}

static int rmt_lookup_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmt_lookup_args *a = (void *)ri->data;
	swp_entry_t entry = { .val = a->entry };
	s64 ctx[__RMT_SWAP_ACCESS_NFIELDS] = { 0 };
	bool hit = regs_return_value(regs) != 0, prefetched = false;
	s64 verdict;

	if (hit && rmt_prefetch_test_clear(swp_type(entry), swp_offset(entry))) {
		prefetched = true;
		rmt_hook_count(&rmt_swap_ra_site, hits);
	}
	if (!rmt_hook_has_tables(RMT_HOOK_SWAP_ACCESS))
		return 0;
	ctx[RMT_SWAP_ACCESS_PID] = current->pid;
	ctx[RMT_SWAP_ACCESS_TGID] = current->tgid;
	ctx[RMT_SWAP_ACCESS_CGROUP] = rmt_hook_cgroup_id(current);
	ctx[RMT_SWAP_ACCESS_CPU] = smp_processor_id();
	ctx[RMT_SWAP_ACCESS_SWAP_TYPE] = swp_type(entry);
	ctx[RMT_SWAP_ACCESS_OFFSET] = swp_offset(entry);
	ctx[RMT_SWAP_ACCESS_ADDR] = a->addr;
	ctx[RMT_SWAP_ACCESS_HIT] = hit;
	ctx[RMT_SWAP_ACCESS_PREFETCHED] = prefetched;
	rmt_hook_run(&rmt_swap_access_site, ctx, &verdict);
	return 0;
}

static struct kretprobe rmt_lookup_krp;

static const char *const rmt_lookup_symbols[] = {
	"swap_cache_get_folio", "lookup_swap_cache", NULL
};

static int rmt_swap_access_attach(struct rmt_hook_site *site)
{
	const char *const *sym;
	int err = -ENOENT;

	for (sym = site->symbols; *sym; sym++) {
		if (!rmt_kallsyms_lookup(*sym))
			continue;
		memset(&rmt_lookup_krp, 0, sizeof(rmt_lookup_krp));
		rmt_lookup_krp.kp.symbol_name = *sym;
		rmt_lookup_krp.entry_handler = rmt_lookup_entry;
		rmt_lookup_krp.handler = rmt_lookup_ret;
		rmt_lookup_krp.data_size = sizeof(struct rmt_lookup_args);
		rmt_lookup_krp.maxactive = 4 * num_possible_cpus() + 16;
		err = register_kretprobe(&rmt_lookup_krp);
		if (!err) {
			snprintf(site->attached, sizeof(site->attached), "%s", *sym);
			return 0;
		}
	}
	if (err == -ENOENT)
		snprintf(site->why, sizeof(site->why),
			 "kernel has neither swap_cache_get_folio nor lookup_swap_cache");
	else
		snprintf(site->why, sizeof(site->why), "kretprobe: error %d", err);
	return err;
}

static void rmt_swap_access_detach(struct rmt_hook_site *site)
{
	unregister_kretprobe(&rmt_lookup_krp);
}

struct rmt_hook_site rmt_swap_access_site = {
	.id = RMT_HOOK_SWAP_ACCESS,
	.symbols = rmt_lookup_symbols,
	.verdict = "ignored: actions observe (context maps)",
	.fallback = "the kernel's lookup, unchanged",
	.attach = rmt_swap_access_attach,
	.detach = rmt_swap_access_detach,
};
