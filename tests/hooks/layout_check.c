// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmt_layout_check.ko: proves hooks/sched_layout.h right on the running
 * kernel.  At load it runs rmt_sched_layout_check(), then puts a
 * kretprobe on can_migrate_task for `seconds` while the guest keeps both
 * CPUs busy, and checks every call it sees:
 *
 *   - env->src_rq is cpu_rq(env->src_cpu) and its cpu field is src_cpu,
 *     and the same for dst;
 *   - task_cpu(p) is src_cpu, and p's cfs_rq belongs to src_rq;
 *   - env->idle is a cpu_idle_type, env->flags has only LBF_* bits,
 *     env->sd spans both CPUs;
 *   - src_rq's cfs.h_nr_running is at least 1 (p is queued there) and at
 *     most its nr_running; its clock_task is its clock (less irq and
 *     steal time, where those are accounted);
 *   - the features computed through the layout (rmt_lb_features())
 *     predict the kernel's answer: the module redoes can_migrate_task()
 *     from them and compares with the value the function returns.
 *
 * Results go to the kernel log as "rmt-layout: ok - ..." / "not ok - ..."
 * lines with counts, "rmt-layout: # ..." comments and a few sample
 * feature vectors; tests/hooks/layout_guest.sh turns them into KTAP.
 * No handler sleeps or prints.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/topology.h>

#include "sched_layout.h"

static unsigned int seconds = 2;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "how long to probe can_migrate_task");

static unsigned int min_calls = 10;
module_param(min_calls, uint, 0444);
MODULE_PARM_DESC(min_calls, "calls needed for a meaningful run");

static bool force;
module_param(force, bool, 0444);
MODULE_PARM_DESC(force, "probe even if the layout check failed (to see the per-call checks fail)");

#define PFX "rmt-layout: "

/*
 * Under the rq lock, clock_task is clock less irq and steal time; without
 * accounting for either the two advance together from 0.
 */
#if defined(CONFIG_IRQ_TIME_ACCOUNTING) || defined(CONFIG_PARAVIRT_TIME_ACCOUNTING)
#define RMT_CLOCK_REL		"<="
#define RMT_CLOCK_OK(task, clock)	((task) <= (clock))
#else
#define RMT_CLOCK_REL		"=="
#define RMT_CLOCK_OK(task, clock)	((task) == (clock))
#endif

enum {
	C_SRC_RQ,
	C_DST_RQ,
	C_SRC_CPU,
	C_DST_CPU,
	C_TASK_CPU,
	C_CFS_RQ,
	C_IDLE,
	C_FLAGS,
	C_SD,
	C_LEN,
	C_CLOCK,
	C_VERDICT,
	NCHECKS
};

static const char *const check_name[NCHECKS] = {
	[C_SRC_RQ] = "env->src_rq == cpu_rq(env->src_cpu)",
	[C_DST_RQ] = "env->dst_rq == cpu_rq(env->dst_cpu)",
	[C_SRC_CPU] = "env->src_cpu == env->src_rq->cpu",
	[C_DST_CPU] = "env->dst_cpu == env->dst_rq->cpu",
	[C_TASK_CPU] = "task_cpu(p) == env->src_cpu",
	[C_CFS_RQ] = "p's cfs_rq belongs to env->src_rq",
	[C_IDLE] = "env->idle is CPU_IDLE, CPU_NOT_IDLE or CPU_NEWLY_IDLE",
	[C_FLAGS] = "env->flags has only LBF_* bits",
	[C_SD] = "env->sd spans src_cpu and dst_cpu",
	[C_LEN] = "1 <= src_rq->cfs.h_nr_running <= src_rq->nr_running",
	[C_CLOCK] = "src_rq->clock_task " RMT_CLOCK_REL " src_rq->clock",
	[C_VERDICT] = "the features predict can_migrate_task's answer",
};

#define NSAMPLES 6
#define UNPREDICTABLE (-1)

/* one call, from entry to return */
struct lc_call {
	bool valid;		/* features computed */
	int predicted;		/* 0, 1 or UNPREDICTABLE */
	struct rmt_lb_features f;
};

struct lc_sample {
	struct rmt_lb_features f;
	int predicted;
	int ret;
};

static struct {
	atomic_long_t calls;
	atomic_long_t checked[NCHECKS];
	atomic_long_t failed[NCHECKS];
	atomic_t first_taken[NCHECKS];
	char first[NCHECKS][160];
	atomic_long_t idle[3];
	atomic_long_t allowed;
	atomic_long_t unpredictable;
	atomic_long_t buddy_hot;
	atomic_long_t extra_fails;
	atomic_t nsamples;
	struct lc_sample samples[NSAMPLES];
} st;

static bool (*lc_kthread_is_per_cpu)(struct task_struct *p);

static __printf(2, 3) void lc_fail(int check, const char *fmt, ...)
{
	va_list ap;

	atomic_long_inc(&st.failed[check]);
	if (atomic_xchg(&st.first_taken[check], 1))
		return;
	va_start(ap, fmt);
	vsnprintf(st.first[check], sizeof(st.first[check]), fmt, ap);
	va_end(ap);
}

#define CHECK(check, cond, fmt, ...)					\
	do {								\
		atomic_long_inc(&st.checked[check]);			\
		if (!(cond))						\
			lc_fail(check, fmt, ##__VA_ARGS__);		\
	} while (0)

/* rq is some CPU's runqueue: safe to read through the layout */
static bool lc_known_rq(const struct rq *rq)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (rq == rmt_cpu_rq(cpu))
			return true;
	return false;
}

static bool lc_has_numa_faults(const struct task_struct *p)
{
#ifdef CONFIG_NUMA_BALANCING
	return READ_ONCE(p->numa_faults);
#else
	return false;
#endif
}

static bool lc_throttled(const struct cfs_rq *cfs_rq)
{
	return cfs_rq && rmt_cfs_rq_throttle_count(cfs_rq);
}

/*
 * can_migrate_task() of 6.1 redone from the features and the public
 * task fields, at function entry (the source rq's lock is held, so
 * nothing it reads of src changes before the function runs).
 */
static int lc_predict(const void *env, struct task_struct *p,
		      const struct rmt_lb_features *f)
{
	const struct sched_domain *sd = rmt_lb_sd(env);
	struct task_group *tg = rmt_task_group(p);
	unsigned int cost = f->migration_cost;
	int hot;

	/* throttled_lb_pair() */
	if (tg && (lc_throttled(rmt_tg_cfs_rq(tg, f->src_cpu)) ||
		   lc_throttled(rmt_tg_cfs_rq(tg, f->dst_cpu))))
		return 0;
	if (p->flags & PF_KTHREAD) {
		if (!lc_kthread_is_per_cpu)
			return UNPREDICTABLE;
		if (lc_kthread_is_per_cpu(p))
			return 0;
	}
	if (!cpumask_test_cpu(f->dst_cpu, p->cpus_ptr))
		return 0;
	if (READ_ONCE(p->on_cpu))
		return 0;
	if (rmt_lb_flags(env) & RMT_LBF_ACTIVE_LB)
		return 1;
	/* migrate_degrades_locality() is -1 unless all of these hold */
	if (rmt_sched_numa_balancing() && lc_has_numa_faults(p) &&
	    (READ_ONCE(sd->flags) & SD_NUMA) && !f->same_node)
		return UNPREDICTABLE;
	/* task_hot() */
	if (p->policy == SCHED_IDLE || (READ_ONCE(sd->flags) & SD_SHARE_CPUCAPACITY))
		hot = 0;
	else if (f->buddy_hot || cost == (unsigned int)-1)
		hot = 1;
	else if (IS_ENABLED(CONFIG_SCHED_CORE))
		return UNPREDICTABLE;	/* sched_core_cookie_match() */
	else if (cost == 0)
		hot = 0;
	else
		hot = f->delta_hot < (s64)cost;
	return !hot || f->extra_fails;
}

static int lc_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct task_struct *p = (void *)regs_get_kernel_argument(regs, 0);
	const void *env = (void *)regs_get_kernel_argument(regs, 1);
	struct lc_call *c = (void *)ri->data;
	struct rq *src_rq = rmt_lb_src_rq(env), *dst_rq = rmt_lb_dst_rq(env);
	int src_cpu = rmt_lb_src_cpu(env), dst_cpu = rmt_lb_dst_cpu(env);
	struct sched_domain *sd = rmt_lb_sd(env);
	unsigned int flags = rmt_lb_flags(env);
	int idle = rmt_lb_idle(env);
	bool src_ok, dst_ok, sd_ok;

	c->valid = false;
	atomic_long_inc(&st.calls);

	CHECK(C_SRC_RQ, src_rq && src_rq == rmt_cpu_rq(src_cpu),
	      "src_cpu %d, src_rq %px, cpu_rq(src_cpu) %px",
	      src_cpu, src_rq, rmt_cpu_rq(src_cpu));
	CHECK(C_DST_RQ, dst_rq && dst_rq == rmt_cpu_rq(dst_cpu),
	      "dst_cpu %d, dst_rq %px, cpu_rq(dst_cpu) %px",
	      dst_cpu, dst_rq, rmt_cpu_rq(dst_cpu));
	src_ok = lc_known_rq(src_rq);
	dst_ok = lc_known_rq(dst_rq);
	CHECK(C_SRC_CPU, src_ok && rmt_rq_cpu(src_rq) == src_cpu,
	      "src_cpu %d, src_rq->cpu %d", src_cpu,
	      src_ok ? rmt_rq_cpu(src_rq) : -1);
	CHECK(C_DST_CPU, dst_ok && rmt_rq_cpu(dst_rq) == dst_cpu,
	      "dst_cpu %d, dst_rq->cpu %d", dst_cpu,
	      dst_ok ? rmt_rq_cpu(dst_rq) : -1);
	CHECK(C_TASK_CPU, task_cpu(p) == src_cpu,
	      "task_cpu(p) %u, src_cpu %d", task_cpu(p), src_cpu);
#if RMT_LAYOUT_HAS_CFS_RQ_RQ
	CHECK(C_CFS_RQ, rmt_cfs_rq_rq(rmt_task_cfs_rq(p, src_rq)) == src_rq,
	      "p->se.cfs_rq->rq %px, src_rq %px",
	      rmt_cfs_rq_rq(rmt_task_cfs_rq(p, src_rq)), src_rq);
#endif
	CHECK(C_IDLE, idle == CPU_IDLE || idle == CPU_NOT_IDLE ||
		      idle == CPU_NEWLY_IDLE, "idle %d", idle);
	if (idle >= 0 && idle < 3)
		atomic_long_inc(&st.idle[idle]);
	CHECK(C_FLAGS, !(flags & ~RMT_LBF_KNOWN), "flags %#x", flags);
	sd_ok = sd && virt_addr_valid(sd);
	CHECK(C_SD, sd_ok && (unsigned int)src_cpu < nr_cpu_ids &&
		    (unsigned int)dst_cpu < nr_cpu_ids &&
		    cpumask_test_cpu(src_cpu, sched_domain_span(sd)) &&
		    cpumask_test_cpu(dst_cpu, sched_domain_span(sd)),
	      "sd %px, src_cpu %d, dst_cpu %d, span %*pbl", sd, src_cpu,
	      dst_cpu, cpumask_pr_args(sd_ok ? sched_domain_span(sd) : cpu_none_mask));
	if (src_ok)
		CHECK(C_LEN, rmt_rq_cfs_h_nr_running(src_rq) >= 1 &&
			     rmt_rq_cfs_h_nr_running(src_rq) <= rmt_rq_nr_running(src_rq),
		      "cfs.h_nr_running %u, nr_running %u",
		      rmt_rq_cfs_h_nr_running(src_rq), rmt_rq_nr_running(src_rq));
	if (src_ok)
		CHECK(C_CLOCK, RMT_CLOCK_OK(rmt_rq_clock_task(src_rq), rmt_rq_clock(src_rq)),
		      "clock_task %llu, clock %llu",
		      rmt_rq_clock_task(src_rq), rmt_rq_clock(src_rq));

	if (!src_ok || !dst_ok || !sd_ok)
		return 0;
	rmt_lb_features(env, p, &c->f);
	c->predicted = lc_predict(env, p, &c->f);
	c->valid = true;
	return 0;
}

static int lc_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct lc_call *c = (void *)ri->data;
	int ret = regs_return_value(regs);
	int i;

	if (!c->valid)
		return 0;
	if (ret)
		atomic_long_inc(&st.allowed);
	if (c->f.buddy_hot)
		atomic_long_inc(&st.buddy_hot);
	if (c->f.extra_fails)
		atomic_long_inc(&st.extra_fails);
	if (c->predicted == UNPREDICTABLE)
		atomic_long_inc(&st.unpredictable);
	else
		CHECK(C_VERDICT, ret == c->predicted,
		      "returned %d, predicted %d: delta_hot %lld cost %lld buddy_hot %lld extra_fails %lld idle %lld/%lld/%lld",
		      ret, c->predicted, c->f.delta_hot, c->f.migration_cost,
		      c->f.buddy_hot, c->f.extra_fails, c->f.idle,
		      c->f.not_idle, c->f.newly_idle);
	i = atomic_inc_return(&st.nsamples) - 1;
	if (i < NSAMPLES) {
		st.samples[i].f = c->f;
		st.samples[i].predicted = c->predicted;
		st.samples[i].ret = ret;
	}
	return 0;
}

static struct kretprobe lc_probe = {
	.kp.symbol_name = "can_migrate_task",
	.entry_handler = lc_entry,
	.handler = lc_return,
	.data_size = sizeof(struct lc_call),
	.maxactive = 16,
};

static void lc_result(bool ok, const char *fmt, ...) __printf(2, 3);
static void lc_result(bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info(PFX "%s - %pV\n", ok ? "ok" : "not ok", &vaf);
	va_end(ap);
}

static void lc_report(void)
{
	long calls = atomic_long_read(&st.calls);
	int i, n;

	lc_result(calls >= min_calls,
		  "can_migrate_task was called under load (%ld calls in %u s, %d missed)",
		  calls, seconds, lc_probe.nmissed);
	for (i = 0; i < NCHECKS; i++) {
		long checked = atomic_long_read(&st.checked[i]);
		long failed = atomic_long_read(&st.failed[i]);

		lc_result(checked > 0 && !failed, "%s (%ld calls checked, %ld failed)",
			  check_name[i], checked, failed);
		if (failed)
			pr_info(PFX "# first failure: %s\n", st.first[i]);
	}
	pr_info(PFX "# idle types: CPU_IDLE %ld, CPU_NOT_IDLE %ld, CPU_NEWLY_IDLE %ld\n",
		atomic_long_read(&st.idle[CPU_IDLE]),
		atomic_long_read(&st.idle[CPU_NOT_IDLE]),
		atomic_long_read(&st.idle[CPU_NEWLY_IDLE]));
	pr_info(PFX "# allowed %ld, buddy_hot %ld, extra_fails %ld, unpredictable %ld\n",
		atomic_long_read(&st.allowed), atomic_long_read(&st.buddy_hot),
		atomic_long_read(&st.extra_fails),
		atomic_long_read(&st.unpredictable));
	n = min(atomic_read(&st.nsamples), NSAMPLES);
	for (i = 0; i < n; i++) {
		const struct rmt_lb_features *f = &st.samples[i].f;

		pr_info(PFX "# sample %d: cpu %lld->%lld src_non_pref_nr %lld delta_hot %lld (cost %lld) idle %lld not_idle %lld newly_idle %lld same_node %lld prefer_src %lld prefer_dst %lld src_len %lld src_load %lld dst_load %lld dst_len %lld delta_faults %lld extra_fails %lld buddy_hot %lld: returned %d, predicted %d\n",
			i, f->src_cpu, f->dst_cpu, f->src_non_pref_nr,
			f->delta_hot, f->migration_cost, f->idle, f->not_idle,
			f->newly_idle, f->same_node, f->prefer_src,
			f->prefer_dst, f->src_len, f->src_load, f->dst_load,
			f->dst_len, f->delta_faults, f->extra_fails,
			f->buddy_hot, st.samples[i].ret, st.samples[i].predicted);
	}
}

static int __init lc_init(void)
{
	bool layout_ok;
	int err;

	pr_info(PFX "# start\n");
	layout_ok = rmt_sched_layout_check();
	lc_result(layout_ok, "rmt_sched_layout_check() for %s",
		  rmt_sched_layout_release() ?: "(no layout)");
	if (!layout_ok)
		pr_info(PFX "# %s\n", rmt_sched_layout_why());
	if (!layout_ok && !force) {
		pr_info(PFX "# not probing can_migrate_task: the hook would refuse to attach\n");
		return 0;
	}
	if (!layout_ok)	/* force: let the per-call checks show what is wrong */
		rmt_sched_syms.runqueues = rmt_kallsyms_lookup("runqueues");
	lc_kthread_is_per_cpu = (void *)rmt_kallsyms_lookup("kthread_is_per_cpu");
	err = register_kretprobe(&lc_probe);
	lc_result(!err, "kretprobe on can_migrate_task registered (%d)", err);
	if (err)
		return 0;
	msleep(seconds * 1000);
	unregister_kretprobe(&lc_probe);
	lc_report();
	pr_info(PFX "# done\n");
	return 0;
}

static void __exit lc_exit(void)
{
}

module_init(lc_init);
module_exit(lc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RMT: check the pinned scheduler layout against the running kernel");
