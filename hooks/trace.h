/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hook tracing (trace.c): every fire of one hook point, its context,
 * verdict and outcome, into per-CPU rings that debugfs rmt/trace drains.
 * The hook path pays one patched-out jump while nothing is traced.
 */
#ifndef _RMT_HOOK_TRACE_H
#define _RMT_HOOK_TRACE_H

#include <linux/dcache.h>
#include <linux/jump_label.h>
#include <linux/types.h>

DECLARE_STATIC_KEY_FALSE(rmt_trace_on);

void __rmt_trace_sample(u32 hook, const s64 *ctx, s64 verdict, bool decided,
			bool failed);

/**
 * rmt_trace_sample() - record one fire of a hook point, if it is traced
 * @hook: enum rmt_hook_id of the hook that fired
 * @ctx: its context, as the tables left it
 * @verdict: the verdict, when @decided
 * @decided: a table decided
 * @failed: an action failed or overran
 *
 * Context: the hook path (preemption disabled); never sleeps.
 */
static inline void rmt_trace_sample(u32 hook, const s64 *ctx, s64 verdict,
				    bool decided, bool failed)
{
	if (static_branch_unlikely(&rmt_trace_on))
		__rmt_trace_sample(hook, ctx, verdict, decided, failed);
}

void rmt_trace_debugfs_init(struct dentry *dir);

#endif /* _RMT_HOOK_TRACE_H */
