// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context maps forget tasks that exit.
 *
 * A map keyed by pid (or tgid) holds per-task state an action built up,
 * e.g. the last swap-offset deltas of a process.  When the task (or the
 * last thread of the process) exits, its entry is deleted, so a reused
 * pid starts from nothing and the map does not fill up with the dead.
 * A kprobe on do_exit() does it in the exiting task; map operations take
 * the map's own lock, so an action using the entry on another CPU sees
 * it before or after the deletion, never half of it.
 */
#include <linux/kprobes.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "hook.h"
#include "../kernel/genl.h"

static atomic64_t rmt_exit_deleted = ATOMIC64_INIT(0);

u64 rmt_task_exit_deleted(void)
{
	return atomic64_read(&rmt_exit_deleted);
}

static int rmt_task_exit_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *t = current;
	bool last = thread_group_leader(t) && get_nr_threads(t) <= 1;
	struct rmt_obj *o;
	u64 gen;

	rcu_read_lock();
	gen = rmt_load_acquire(&rmt_store.generation);
	for (o = rmt_rcu_deref(rmt_store.objs[RMT_OBJ_CTXMAP]); o; o = rmt_rcu_deref(o->next)) {
		struct rmt_ctxmap *map = container_of(o, struct rmt_ctxmap_obj, obj)->map;
		u32 kind = rmt_ctxmap_desc(map)->key_kind;

		if (!rmt_alive(READ_ONCE(o->born), READ_ONCE(o->died), gen))
			continue;
		if ((kind == RMT_KEY_PID && !rmt_ctxmap_delete(map, t->pid)) ||
		    (kind == RMT_KEY_TGID && last && !rmt_ctxmap_delete(map, t->tgid)))
			atomic64_inc(&rmt_exit_deleted);
	}
	rcu_read_unlock();
	return 0;
}

static struct kprobe rmt_task_exit_kp;

int rmt_task_exit_attach(void)
{
	memset(&rmt_task_exit_kp, 0, sizeof(rmt_task_exit_kp));
	rmt_task_exit_kp.symbol_name = "do_exit";
	rmt_task_exit_kp.pre_handler = rmt_task_exit_pre;
	return register_kprobe(&rmt_task_exit_kp);
}

void rmt_task_exit_detach(void)
{
	unregister_kprobe(&rmt_task_exit_kp);
}
