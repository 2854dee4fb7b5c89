// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook point can_migrate_task: may CFS load balancing move task @p from
 * env->src_cpu to env->dst_cpu?
 *
 * A kretprobe records (p, env) on entry and, on return, builds the 15
 * features of Chen et al. (APSys'20) plus identity and CFS's own answer,
 * runs the tables, and overrides the return value only on ALLOW or DENY.
 * struct lb_env and struct rq are private to the scheduler: their
 * layouts are pinned per kernel build (hooks/sched_layout.h,
 * docs/hooks-layout.md), and the hook refuses to attach on a kernel
 * without one or whose layout fails the run-time check.
 *
 * Hard constraints stay the kernel's: a migration CFS refused is turned
 * into ALLOW only if the destination is in the task's affinity mask, the
 * task is not running, it is not a kernel thread, and neither end of
 * the move is a throttled group.
 */
#include <linux/cgroup.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/topology.h>
#include <linux/topology.h>

#include "hook.h"
#include "ksym.h"
#include "sched_layout.h"

struct rmt_migrate_args {
	struct task_struct *p;
	void *env;
};

static int rmt_migrate_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmt_migrate_args *a = (void *)ri->data;

	a->p = (struct task_struct *)regs->di;
	a->env = (void *)regs->si;
	return 0;
}

static void rmt_migrate_ctx(s64 *ctx, struct task_struct *p, const void *env,
			    int kernel)
{
	struct rmt_lb_features f;

	rmt_lb_features(env, p, &f);
	ctx[RMT_MIGRATE_SRC_NON_PREF_NR] = f.src_non_pref_nr;
	/* positive: off the CPU longer than the migration cost (cold) */
	ctx[RMT_MIGRATE_DELTA_HOT] = f.delta_hot - f.migration_cost;
	ctx[RMT_MIGRATE_IDLE] = f.idle;
	ctx[RMT_MIGRATE_NOT_IDLE] = f.not_idle;
	ctx[RMT_MIGRATE_NEWLY_IDLE] = f.newly_idle;
	ctx[RMT_MIGRATE_SAME_NODE] = f.same_node;
	ctx[RMT_MIGRATE_PREFER_SRC] = f.prefer_src;
	ctx[RMT_MIGRATE_PREFER_DST] = f.prefer_dst;
	ctx[RMT_MIGRATE_SRC_LEN] = f.src_len;
	ctx[RMT_MIGRATE_SRC_LOAD] = f.src_load;
	ctx[RMT_MIGRATE_DST_LOAD] = f.dst_load;
	ctx[RMT_MIGRATE_DST_LEN] = f.dst_len;
	ctx[RMT_MIGRATE_DELTA_FAULTS] = f.delta_faults;
	ctx[RMT_MIGRATE_EXTRA_FAILS] = f.extra_fails;
	ctx[RMT_MIGRATE_BUDDY_HOT] = f.buddy_hot;
	ctx[RMT_MIGRATE_PID] = p->pid;
	ctx[RMT_MIGRATE_TGID] = p->tgid;
	ctx[RMT_MIGRATE_CGROUP] = rmt_hook_cgroup_id(p);	/* @p's, not current's */
	ctx[RMT_MIGRATE_SRC_CPU] = f.src_cpu;
	ctx[RMT_MIGRATE_DST_CPU] = f.dst_cpu;
	ctx[RMT_MIGRATE_CFS] = kernel;
}

/* Is either end of the move throttled (throttled_lb_pair() in fair.c)? */
static bool rmt_migrate_throttled(struct task_struct *p, int src, int dst)
{
	struct task_group *tg = rmt_task_group(p);
	struct cfs_rq *s = rmt_tg_cfs_rq(tg, src), *d = rmt_tg_cfs_rq(tg, dst);

	return (s && rmt_cfs_rq_throttle_count(s)) || (d && rmt_cfs_rq_throttle_count(d));
}

/*
 * May a migration CFS refused be allowed at all?  Never against the
 * affinity mask, for a running task, a kernel thread or a throttled
 * group: those refusals are correctness, not policy.
 */
static bool rmt_migrate_may_allow(struct task_struct *p, const void *env)
{
	int src = rmt_lb_src_cpu(env), dst = rmt_lb_dst_cpu(env);

	return cpumask_test_cpu(dst, p->cpus_ptr) && !READ_ONCE(p->on_cpu) &&
	       !(p->flags & PF_KTHREAD) && !rmt_migrate_throttled(p, src, dst);
}

static int rmt_migrate_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmt_migrate_args *a = (void *)ri->data;
	s64 ctx[__RMT_MIGRATE_NFIELDS] = { 0 };
	int kernel = regs_return_value(regs) != 0;
	s64 verdict;

	if (!rmt_hook_has_tables(RMT_HOOK_MIGRATE))
		return 0;
	rmt_migrate_ctx(ctx, a->p, a->env, kernel);
	if (!rmt_hook_run(&rmt_migrate_site, ctx, &verdict))
		return 0;
	if (verdict == RMT_MIGRATE_DENY) {
		regs_set_return_value(regs, 0);
	} else if (verdict == RMT_MIGRATE_ALLOW && !kernel) {
		if (rmt_migrate_may_allow(a->p, a->env))
			regs_set_return_value(regs, 1);
		else
			rmt_hook_count(&rmt_migrate_site, dropped);
	}
	return 0;
}

static struct kretprobe rmt_migrate_krp;

static const char *const rmt_migrate_symbols[] = { "can_migrate_task", NULL };

static int rmt_migrate_attach(struct rmt_hook_site *site)
{
	int err;

	if (!rmt_sched_layout_check()) {
		snprintf(site->why, sizeof(site->why), "%s", rmt_sched_layout_why());
		return -EOPNOTSUPP;
	}
	memset(&rmt_migrate_krp, 0, sizeof(rmt_migrate_krp));
	rmt_migrate_krp.kp.symbol_name = site->symbols[0];
	rmt_migrate_krp.entry_handler = rmt_migrate_entry;
	rmt_migrate_krp.handler = rmt_migrate_ret;
	rmt_migrate_krp.data_size = sizeof(struct rmt_migrate_args);
	rmt_migrate_krp.maxactive = 4 * num_possible_cpus() + 16;
	err = register_kretprobe(&rmt_migrate_krp);
	if (err) {
		snprintf(site->why, sizeof(site->why), "kretprobe on %s: error %d",
			 site->symbols[0], err);
		return err;
	}
	snprintf(site->attached, sizeof(site->attached), "%s", site->symbols[0]);
	return 0;
}

static void rmt_migrate_detach(struct rmt_hook_site *site)
{
	unregister_kretprobe(&rmt_migrate_krp);
}

struct rmt_hook_site rmt_migrate_site = {
	.id = RMT_HOOK_MIGRATE,
	.symbols = rmt_migrate_symbols,
	.verdict = "ALLOW (1), DENY (0), or DEFAULT (-1): CFS's answer",
	.fallback = "CFS's can_migrate_task() answer",
	.attach = rmt_migrate_attach,
	.detach = rmt_migrate_detach,
};
