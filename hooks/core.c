// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hook framework: attach every hook point at load, detach at unload,
 * and run a hook's tables on a context.
 *
 * The fast path reads the store's generation once (the transaction
 * protocol of rmt/store.c), walks the tables alive in it, and runs them
 * in creation order on a per-CPU scratch area; the first table whose
 * action gives a verdict other than DEFAULT decides.  It takes no lock,
 * does not sleep and does not allocate: callers run with preemption
 * disabled (kprobe handlers), inside an RCU read-side section.
 */
#include <linux/cgroup.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "hook.h"
#include "trace.h"
#include "../kernel/genl.h"

static bool attach = true;
module_param(attach, bool, 0444);
MODULE_PARM_DESC(attach, "Attach the kernel hook points at load (default: on)");

struct rmt_hook_scratch {
	u8 b[RMT_SCRATCH_SIZE];
} __aligned(8);

static struct rmt_hook_scratch __percpu *rmt_hook_scratch;
static bool rmt_exit_attached;	/* task_exit.c's probe is registered */

static struct rmt_hook_site *const rmt_sites[] = {
	&rmt_swap_ra_site,
	&rmt_swap_access_site,
	&rmt_migrate_site,
};

/**
 * rmt_hook_site() - the hook point of an id
 * @id: enum rmt_hook_id
 *
 * Return: the site, or NULL (the test hook has none).
 */
struct rmt_hook_site *rmt_hook_site(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmt_sites); i++)
		if (rmt_sites[i]->id == id)
			return rmt_sites[i];
	return NULL;
}

void rmt_hook_stats_sum(const struct rmt_hook_site *site,
			struct rmt_hook_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	if (!site->stats)
		return;
	for_each_possible_cpu(cpu) {
		const struct rmt_hook_stats *s = per_cpu_ptr(site->stats, cpu);

		sum->fires += READ_ONCE(s->fires);
		sum->decided += READ_ONCE(s->decided);
		sum->defaults += READ_ONCE(s->defaults);
		sum->errors += READ_ONCE(s->errors);
		sum->pages += READ_ONCE(s->pages);
		sum->hits += READ_ONCE(s->hits);
		sum->dropped += READ_ONCE(s->dropped);
	}
}

/* The first table of @id alive in @gen, from the store's list. */
static struct rmt_table *rmt_hook_next(struct rmt_obj *o, u32 id, u64 gen)
{
	for (; o; o = rmt_rcu_deref(o->next)) {
		struct rmt_table *t = container_of(o, struct rmt_table, obj);

		if (t->hook == id && rmt_alive(READ_ONCE(o->born), READ_ONCE(o->died), gen))
			return t;
	}
	return NULL;
}

/**
 * rmt_hook_has_tables() - is any table attached to a hook point?
 * @id: enum rmt_hook_id
 *
 * The cheap test a probe makes before it builds a context.
 */
bool rmt_hook_has_tables(u32 id)
{
	u64 gen;
	bool any;

	rcu_read_lock();
	gen = rmt_load_acquire(&rmt_store.generation);
	any = rmt_hook_next(rmt_rcu_deref(rmt_store.objs[RMT_OBJ_TABLE]), id, gen);
	rcu_read_unlock();
	return any;
}

/**
 * rmt_hook_run_by() - run a hook point's tables on a context
 * @site: the hook point
 * @ctx: its context, filled by the caller (fields an action writes are
 *	written back here)
 * @verdict: receives the verdict when a table decides
 * @by: receives the table that decided (valid until the caller's RCU
 *	read-side section ends: probe handlers run in one), or NULL
 *
 * Context: preemption disabled (the scratch area is per CPU).
 * Return: true if a table decided; false keeps the kernel's behaviour.
 */
bool rmt_hook_run_by(struct rmt_hook_site *site, s64 *ctx, s64 *verdict,
		     struct rmt_table **by)
{
	struct rmt_run_ctx rc = { .ctx = ctx };
	struct rmt_table *t;
	bool decided = false, failed = false;
	u64 gen, entry;
	int ret;

	rc.scratch = this_cpu_ptr(rmt_hook_scratch)->b;
	rmt_hook_count(site, fires);
	rcu_read_lock();
	gen = rmt_load_acquire(&rmt_store.generation);
	for (t = rmt_hook_next(rmt_rcu_deref(rmt_store.objs[RMT_OBJ_TABLE]), site->id, gen);
	     t; t = rmt_hook_next(rmt_rcu_deref(t->obj.next), site->id, gen)) {
		rc.r0 = 0;
		rc.insns = 0;
		rc.tail_calls = 0;
		ret = rmt_table_exec(t, gen, &rc, &entry);
		failed |= ret < 0;
		if (ret < 0)
			rmt_hook_count(site, errors);
		if (ret == 1 && rc.r0 >= 0) {
			*verdict = rc.r0;
			decided = true;
			if (by)
				*by = t;
			break;
		}
	}
	rcu_read_unlock();
	if (decided)
		rmt_hook_count(site, decided);
	else
		rmt_hook_count(site, defaults);
	rmt_trace_sample(site->id, ctx, decided ? *verdict : RMT_VERDICT_DEFAULT,
			 decided, failed);
	return decided;
}

/* rmt_hook_run_by() for callers that do not need the table. */
bool rmt_hook_run(struct rmt_hook_site *site, s64 *ctx, s64 *verdict)
{
	return rmt_hook_run_by(site, ctx, verdict, NULL);
}

/* The cgroup (v2) id of task @t, 0 without one. */
u64 rmt_hook_cgroup_id(struct task_struct *t)
{
	struct cgroup *cgrp;
	u64 id = 0;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(t);
	if (cgrp)
		id = cgroup_id(cgrp);
	rcu_read_unlock();
	return id;
}

/*
 * Detach every site before freeing any counters: a handler of one site
 * counts into another's (lookup_swap_cache counts the readahead hook's
 * hits), so no counters may go while any handler can still run.
 */
static void rmt_hook_detach_all(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmt_sites); i++) {
		struct rmt_hook_site *s = rmt_sites[i];

		if (s->attached[0])
			s->detach(s);	/* waits for its running handlers */
		s->attached[0] = '\0';
	}
	for (i = 0; i < ARRAY_SIZE(rmt_sites); i++) {
		free_percpu(rmt_sites[i]->stats);
		rmt_sites[i]->stats = NULL;
	}
}

/**
 * rmt_hooks_init() - attach every hook point the running kernel allows
 *
 * A hook point that cannot attach (a missing symbol, an unsupported
 * kernel) says why in its site and in the log; the others work.
 *
 * Return: 0, or -ENOMEM.
 */
int rmt_hooks_init(void)
{
	unsigned int i;
	int err;

	rmt_hook_scratch = alloc_percpu(struct rmt_hook_scratch);
	if (!rmt_hook_scratch)
		return -ENOMEM;
	rmt_guard_start();
	for (i = 0; i < ARRAY_SIZE(rmt_sites); i++) {
		struct rmt_hook_site *s = rmt_sites[i];

		s->attached[0] = '\0';
		s->stats = alloc_percpu(struct rmt_hook_stats);
		if (!s->stats) {
			rmt_guard_stop();
			rmt_hook_detach_all();
			free_percpu(rmt_hook_scratch);
			return -ENOMEM;
		}
		if (!attach) {
			snprintf(s->why, sizeof(s->why), "not attached (rmt.ko attach=0)");
			continue;
		}
		err = s->attach(s);
		if (err)
			pr_info("rmt: hook %s not attached: %s\n",
				rmt_hook_schema(s->id)->name, s->why);
		else
			pr_info("rmt: hook %s attached to %s\n",
				rmt_hook_schema(s->id)->name, s->attached);
	}
	rmt_exit_attached = attach && !rmt_task_exit_attach();
	if (attach && !rmt_exit_attached)
		pr_info("rmt: no do_exit probe: context maps keep entries of exited tasks until evicted\n");
	return 0;
}

/* Detach everything; no hook code runs afterwards. */
void rmt_hooks_exit(void)
{
	if (rmt_exit_attached)
		rmt_task_exit_detach();
	rmt_exit_attached = false;
	rmt_hook_detach_all();
	rmt_guard_stop();
	free_percpu(rmt_hook_scratch);
	rmt_hook_scratch = NULL;
}
