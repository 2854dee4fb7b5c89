/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel hook points: where RMT's tables meet the kernel's decisions.
 *
 * Each hook point (one file in hooks/) describes itself with a struct
 * rmt_hook_site: its context schema (rmt/hook_schema.c, from the uapi
 * RMT_<HOOK>_FIELDS() list), its verdict, its budget, the kernel's
 * default behaviour, and how it attaches to a stock kernel (kprobes).
 * hooks/core.c runs the hook's tables on a context it fills and says
 * whether a table decided; anything else (no table, no match and no
 * default action, an action that fails or overruns) leaves the kernel's
 * own behaviour in place.
 */
#ifndef _RMT_HOOK_H
#define _RMT_HOOK_H

#include <linux/percpu.h>
#include <linux/types.h>

#include "../rmt/core.h"
#include "../rmt/store.h"

/**
 * struct rmt_hook_stats - per-CPU counters of one hook point
 * @fires: times the kernel reached the hook with a table attached
 * @decided: verdicts a table gave (not DEFAULT)
 * @defaults: fires that kept the kernel's behaviour
 * @errors: actions that failed (the kernel's behaviour applied)
 * @pages: readahead: pages RMT read ahead
 * @hits: readahead: lookups that found a page RMT read ahead
 * @dropped: verdicts that could not be carried out (no free slot,
 *	invalid offsets), so the kernel's behaviour applied
 */
struct rmt_hook_stats {
	u64 fires;
	u64 decided;
	u64 defaults;
	u64 errors;
	u64 pages;
	u64 hits;
	u64 dropped;
};

/**
 * struct rmt_hook_site - one hook point
 * @id: enum rmt_hook_id
 * @symbols: kernel functions it can attach to, tried in order (the
 *	folio rename made lookup_swap_cache swap_cache_get_folio)
 * @verdict: what the verdict means, for humans (rmtctl hook show)
 * @fallback: what the kernel does when no table decides
 * @attach: attach to the running kernel; 0 or a negative errno with
 *	@why set
 * @detach: undo @attach; no handler runs afterwards
 * @attached: the symbol attached to, or empty
 * @why: why it is not attached
 * @stats: per-CPU counters
 */
struct rmt_hook_site {
	u32 id;
	const char *const *symbols;
	const char *verdict;
	const char *fallback;
	int (*attach)(struct rmt_hook_site *site);
	void (*detach)(struct rmt_hook_site *site);
	char attached[64];
	char why[128];
	struct rmt_hook_stats __percpu *stats;
};

#define rmt_hook_count(site, field) this_cpu_inc((site)->stats->field)

extern struct rmt_hook_site rmt_swap_ra_site;
extern struct rmt_hook_site rmt_swap_access_site;
extern struct rmt_hook_site rmt_migrate_site;

int rmt_hooks_init(void);
void rmt_hooks_exit(void);
struct rmt_hook_site *rmt_hook_site(u32 id);
void rmt_hook_stats_sum(const struct rmt_hook_site *site,
			struct rmt_hook_stats *sum);
bool rmt_hook_has_tables(u32 id);
bool rmt_hook_run(struct rmt_hook_site *site, s64 *ctx, s64 *verdict);
bool rmt_hook_run_by(struct rmt_hook_site *site, s64 *ctx, s64 *verdict,
		     struct rmt_table **by);
struct task_struct;
u64 rmt_hook_cgroup_id(struct task_struct *t);

/* Context maps forget exiting tasks (task_exit.c). */
int rmt_task_exit_attach(void);
void rmt_task_exit_detach(void);
u64 rmt_task_exit_deleted(void);

/* Guardrails (guard.c). */
void rmt_guard_start(void);
void rmt_guard_stop(void);
bool rmt_guard_charge_pages(struct rmt_table *t, u32 pages);
const char *rmt_trip_name(u32 reason);
u64 rmt_guard_trip_count(void);

/* Prefetched-page tracking, shared by the two swap hooks (swap_ra.c). */
void rmt_prefetch_mark(unsigned int type, unsigned long offset);
bool rmt_prefetch_test_clear(unsigned int type, unsigned long offset);

#endif /* _RMT_HOOK_H */
