// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook point swap_cluster_readahead: which swap pages to read ahead when
 * a fault misses the swap cache (with vma-based readahead off:
 * /sys/kernel/mm/swap/vma_ra_enabled = false).
 *
 * A kprobe on swap_cluster_readahead() builds the context and runs the
 * tables in its pre-handler (atomic: the interpreter neither sleeps nor
 * allocates).  DEFAULT, or no table, returns to the kernel's function
 * untouched.  A verdict of N offsets takes a slot from a small pool,
 * copies the offsets there, and redirects the probed call to
 * rmt_swap_ra_read() with the slot as a fourth argument.  That function
 * runs in the faulting task, as the kernel's readahead does, so it may
 * sleep: it reads each valid offset into the swap cache asynchronously,
 * marks it PG_readahead (so the kernel counts swap_ra_hit) and records it
 * so lookup_swap_cache can count RMT's own hits, then reads the faulting
 * page as the kernel would.
 *
 * Unexported helpers are found by name at attach time; if any is missing
 * the hook refuses to attach rather than guess.  The module is pinned
 * (try_module_get) from redirect to return, so it cannot be unloaded
 * under a fault in flight.
 */
#include <linux/blkdev.h>
#include <linux/bitops.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/vmstat.h>

#include "hook.h"
#include "ksym.h"

struct swap_iocb;

/* The kernel's own helpers, by name (mm/swap.h, mm/swap_state.c of 6.1). */
static struct {
	struct swap_info_struct *(*swp_swap_info)(swp_entry_t entry);
	struct page *(*read_async)(swp_entry_t entry, gfp_t gfp,
				   struct vm_area_struct *vma, unsigned long addr,
				   bool *allocated);
	int (*readpage)(struct page *page, bool do_poll, struct swap_iocb **plug);
	void (*unplug)(struct swap_iocb *plug);
	void (*lru_add_drain)(void);
	struct page *(*read_swap_cache_async)(swp_entry_t entry, gfp_t gfp,
					      struct vm_area_struct *vma,
					      unsigned long addr, bool do_poll,
					      struct swap_iocb **plug);
	int *page_cluster;
} k;

static const struct {
	const char *name;
	void **ptr;
} rmt_swap_syms[] = {
	{ "swp_swap_info", (void **)&k.swp_swap_info },
	{ "__read_swap_cache_async", (void **)&k.read_async },
	{ "swap_readpage", (void **)&k.readpage },
	{ "__swap_read_unplug", (void **)&k.unplug },
	{ "lru_add_drain", (void **)&k.lru_add_drain },
	{ "read_swap_cache_async", (void **)&k.read_swap_cache_async },
	{ "page_cluster", (void **)&k.page_cluster },
};

/* ---- verdicts in flight: a pool of slots, passed to the reader ---- */

#define RMT_RA_SLOTS	BITS_PER_LONG

struct rmt_ra_slot {
	unsigned long offset[RMT_SWAP_RA_MAX];
	unsigned int n;
};

static struct rmt_ra_slot rmt_ra_slots[RMT_RA_SLOTS];
static unsigned long rmt_ra_busy;

static int rmt_ra_slot_get(void)
{
	unsigned int i;

	for (i = 0; i < RMT_RA_SLOTS; i++)
		if (!test_and_set_bit(i, &rmt_ra_busy))
			return i;
	return -1;
}

static void rmt_ra_slot_put(unsigned int i)
{
	clear_bit_unlock(i, &rmt_ra_busy);
}

/* ---- pages RMT read ahead, for lookup_swap_cache's hit count ---- */

#define RMT_PF_BITS	13
#define RMT_PF_PROBE	8

static u64 rmt_pf[1 << RMT_PF_BITS];

static u64 rmt_pf_key(unsigned int type, unsigned long offset)
{
	return ((u64)type << 56) | (1ULL << 55) | (offset & ((1ULL << 55) - 1));
}

/* Remember a page read ahead; when the window is full, forget the oldest-ish. */
void rmt_prefetch_mark(unsigned int type, unsigned long offset)
{
	u64 key = rmt_pf_key(type, offset);
	u32 h = hash_64(key, RMT_PF_BITS), i;

	for (i = 0; i < RMT_PF_PROBE; i++) {
		u64 *slot = &rmt_pf[(h + i) & ((1 << RMT_PF_BITS) - 1)];
		u64 old = READ_ONCE(*slot);

		if (old == key || (!old && cmpxchg64(slot, 0, key) == 0))
			return;
	}
	WRITE_ONCE(rmt_pf[h], key);
}

/* Was this page read ahead by RMT (and not yet looked up)?  Forgets it. */
bool rmt_prefetch_test_clear(unsigned int type, unsigned long offset)
{
	u64 key = rmt_pf_key(type, offset);
	u32 h = hash_64(key, RMT_PF_BITS), i;

	for (i = 0; i < RMT_PF_PROBE; i++) {
		u64 *slot = &rmt_pf[(h + i) & ((1 << RMT_PF_BITS) - 1)];

		if (READ_ONCE(*slot) == key && cmpxchg64(slot, key, 0) == key)
			return true;
	}
	return false;
}

/* ---- the reader, in the faulting task ---- */

static bool rmt_ra_valid(struct swap_info_struct *si, unsigned long off,
			 unsigned long fault)
{
	/* slot 0 is the swap header; the faulting page is read below */
	return off && off != fault && off < READ_ONCE(si->max);
}

/*
 * Called in place of swap_cluster_readahead(), with the same three
 * arguments and the verdict's slot as a fourth.
 */
static struct page *rmt_swap_ra_read(swp_entry_t entry, gfp_t gfp,
				     struct vm_fault *vmf, unsigned long slot)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address, fault = swp_offset(entry);
	struct rmt_ra_slot *s = &rmt_ra_slots[slot];
	unsigned long offset[RMT_SWAP_RA_MAX];
	struct swap_info_struct *si = k.swp_swap_info(entry);
	struct swap_iocb *splug = NULL;
	unsigned int n = min_t(unsigned int, s->n, RMT_SWAP_RA_MAX), i;
	struct blk_plug plug;
	struct page *page;
	bool allocated;

	memcpy(offset, s->offset, n * sizeof(offset[0]));
	rmt_ra_slot_put(slot);
	blk_start_plug(&plug);
	for (i = 0; si && i < n; i++) {
		if (!rmt_ra_valid(si, offset[i], fault)) {
			this_cpu_inc(rmt_swap_ra_site.stats->dropped);
			continue;
		}
		page = k.read_async(swp_entry(swp_type(entry), offset[i]), gfp, vma,
				    addr, &allocated);
		if (!page)
			continue;
		if (allocated) {
			k.readpage(page, false, &splug);
			SetPageReadahead(page);
			count_vm_event(SWAP_RA);
			rmt_prefetch_mark(swp_type(entry), offset[i]);
			this_cpu_inc(rmt_swap_ra_site.stats->pages);
		}
		put_page(page);
	}
	blk_finish_plug(&plug);
	if (splug)
		k.unplug(splug);
	if (n)
		k.lru_add_drain();	/* push the new pages onto the LRU now */
	/* the faulting page: poll for it when nothing else was queued */
	page = k.read_swap_cache_async(entry, gfp, vma, addr, n == 0, NULL);
	module_put(THIS_MODULE);
	return page;
}

/* ---- the probe ---- */

static void rmt_swap_ra_ctx(s64 *ctx, swp_entry_t entry, struct vm_fault *vmf)
{
	ctx[RMT_SWAP_RA_PID] = current->pid;
	ctx[RMT_SWAP_RA_TGID] = current->tgid;
	ctx[RMT_SWAP_RA_CGROUP] = rmt_hook_cgroup_id(current);
	ctx[RMT_SWAP_RA_CPU] = smp_processor_id();
	ctx[RMT_SWAP_RA_SWAP_TYPE] = swp_type(entry);
	ctx[RMT_SWAP_RA_OFFSET] = swp_offset(entry);
	ctx[RMT_SWAP_RA_ADDR] = vmf->address;
	ctx[RMT_SWAP_RA_KERNEL_WINDOW] = 1 << READ_ONCE(*k.page_cluster);
}

static int rmt_swap_ra_pre(struct kprobe *kp, struct pt_regs *regs)
{
	swp_entry_t entry = { .val = regs->di };
	struct vm_fault *vmf = (struct vm_fault *)regs->dx;
	s64 ctx[__RMT_SWAP_RA_NFIELDS] = { 0 };
	struct rmt_table *by = NULL;
	struct rmt_ra_slot *s;
	s64 verdict;
	int slot, i;

	if (!vmf || !rmt_hook_has_tables(RMT_HOOK_SWAP_RA))
		return 0;
	rmt_swap_ra_ctx(ctx, entry, vmf);
	rcu_read_lock();	/* keeps @by alive */
	if (!rmt_hook_run_by(&rmt_swap_ra_site, ctx, &verdict, &by)) {
		rcu_read_unlock();
		return 0;	/* the kernel's readahead */
	}
	verdict = min_t(s64, verdict, RMT_SWAP_RA_MAX);
	if (verdict && by && !rmt_guard_charge_pages(by, verdict)) {
		rcu_read_unlock();
		rmt_hook_count(&rmt_swap_ra_site, dropped);
		return 0;	/* over the rate limit: the table is disabled */
	}
	rcu_read_unlock();
	slot = rmt_ra_slot_get();
	if (slot < 0 || !try_module_get(THIS_MODULE)) {
		if (slot >= 0)
			rmt_ra_slot_put(slot);
		rmt_hook_count(&rmt_swap_ra_site, dropped);
		return 0;
	}
	s = &rmt_ra_slots[slot];
	s->n = verdict;
	for (i = 0; i < s->n; i++)
		s->offset[i] = ctx[RMT_SWAP_RA_RA0 + i];
	regs->cx = slot;
	instruction_pointer_set(regs, (unsigned long)rmt_swap_ra_read);
	return 1;	/* resume at rmt_swap_ra_read(), not the kernel's */
}

static struct kprobe rmt_swap_ra_kp = {
	.pre_handler = rmt_swap_ra_pre,
};

static const char *const rmt_swap_ra_symbols[] = { "swap_cluster_readahead", NULL };

static int rmt_swap_ra_attach(struct rmt_hook_site *site)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(rmt_swap_syms); i++) {
		*rmt_swap_syms[i].ptr = (void *)rmt_kallsyms_lookup(rmt_swap_syms[i].name);
		if (!*rmt_swap_syms[i].ptr) {
			snprintf(site->why, sizeof(site->why),
				 "kernel has no '%s'", rmt_swap_syms[i].name);
			return -ENOENT;
		}
	}
	memset(&rmt_swap_ra_kp, 0, sizeof(rmt_swap_ra_kp));
	rmt_swap_ra_kp.pre_handler = rmt_swap_ra_pre;
	rmt_swap_ra_kp.symbol_name = site->symbols[0];
	err = register_kprobe(&rmt_swap_ra_kp);
	if (err) {
		snprintf(site->why, sizeof(site->why), "kprobe on %s: error %d",
			 site->symbols[0], err);
		return err;
	}
	snprintf(site->attached, sizeof(site->attached), "%s", site->symbols[0]);
	return 0;
}

static void rmt_swap_ra_detach(struct rmt_hook_site *site)
{
	unregister_kprobe(&rmt_swap_ra_kp);	/* waits for running handlers */
}

struct rmt_hook_site rmt_swap_ra_site = {
	.id = RMT_HOOK_SWAP_RA,
	.symbols = rmt_swap_ra_symbols,
	.verdict = "DEFAULT, or N: read swap offsets ra0..raN-1 ahead (N <= 32)",
	.fallback = "the kernel's cluster readahead (1 << page_cluster pages)",
	.attach = rmt_swap_ra_attach,
	.detach = rmt_swap_ra_detach,
};
