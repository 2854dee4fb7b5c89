/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler's private structures, read at pinned offsets.
 *
 * struct lb_env (kernel/sched/fair.c), struct rq, struct cfs_rq and
 * struct task_group (kernel/sched/sched.h) are in no header a module is
 * built against.  scripts/gen-layout.sh pins their layouts for one
 * kernel build, from that kernel's BTF, in hooks/layout/<release>.h;
 * this header picks the one of the kernel being built against
 * (hooks/layout/select.h, by UTS_RELEASE) and reads the fields through
 * small accessors.  A kernel without a pinned layout gets
 * RMT_SCHED_LAYOUT_NONE: everything here still compiles, the accessors
 * read nothing and return 0, and rmt_sched_layout_check() fails, so the
 * can_migrate_task hook refuses to attach.  See docs/hooks-layout.md.
 *
 * Use it from the one file that implements the hook: the scheduler
 * symbols that rmt_sched_layout_check() resolves are kept per
 * translation unit.
 *
 *	attach (process context):
 *		if (!rmt_sched_layout_check())
 *			pr_err("rmt: can_migrate_task: %s\n",
 *			       rmt_sched_layout_why());
 *	probe handler (env and p are can_migrate_task's arguments):
 *		struct rmt_lb_features f;
 *		rmt_lb_features(env, p, &f);
 *
 * Accessors take the kernel's pointers as const void *, read with
 * READ_ONCE at the pinned offsets, never sleep and take no lock: a
 * caller in can_migrate_task runs under the source rq's lock, as the
 * kernel's own reads there do.
 */
#ifndef _RMT_SCHED_LAYOUT_H
#define _RMT_SCHED_LAYOUT_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/topology.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/topology.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "ksym.h"
#include "layout/select.h"

struct rq;
struct cfs_rq;
struct task_group;

/*
 * lb_env.flags bits.  They are #defines of kernel/sched/fair.c, so not
 * in the BTF: these are 6.1's; docs/hooks-layout.md says to check them
 * when adding a kernel.
 */
#define RMT_LBF_ALL_PINNED	0x01
#define RMT_LBF_NEED_BREAK	0x02
#define RMT_LBF_DST_PINNED	0x04
#define RMT_LBF_SOME_PINNED	0x08
#define RMT_LBF_ACTIVE_LB	0x10
#define RMT_LBF_KNOWN		0x1f

/* p->numa_faults[] holds NR_NUMA_HINT_FAULT_TYPES (2) counters per node
 * and statistic; NUMA_MEM, the one task_faults() sums, comes first. */
#define RMT_NUMA_FAULT_TYPES	2

#ifdef RMT_SCHED_LAYOUT_NONE
/* Members that gen-layout.sh marks optional: none without a layout. */
#define RMT_LAYOUT_HAS_RQ_NR_NUMA_RUNNING	0
#define RMT_LAYOUT_HAS_RQ_NR_PREFERRED_RUNNING	0
#define RMT_LAYOUT_HAS_CFS_RQ_LAST		0
#define RMT_LAYOUT_HAS_CFS_RQ_RQ		0
#define RMT_LAYOUT_HAS_CFS_RQ_THROTTLE_COUNT	0
#define RMT_LAYOUT_HAS_TASK_GROUP_CFS_RQ	0
#define RMT_LAYOUT_HAS_SE_CFS_RQ		0
#define RMT_LAYOUT_HAS_TASK_NUMA_PREFERRED_NID	0
#define RMT_LAYOUT_HAS_TASK_NUMA_FAULTS		0
#endif

#ifndef RMT_SCHED_LAYOUT_NONE
/* Read the TYPE at pinned offset RMT_LAYOUT_<NAME>_OFF of OBJ. */
#define RMT_SCHED_READ(obj, NAME, type)					\
	({								\
		static_assert(RMT_LAYOUT_##NAME##_SIZE == sizeof(type),	\
			      #NAME " is not a " #type);		\
		READ_ONCE(*(const typeof(type) *)((const char *)(obj) +	\
						  RMT_LAYOUT_##NAME##_OFF)); \
	})
#define RMT_SCHED_ADDR(obj, NAME)					\
	((void *)((const char *)(obj) + RMT_LAYOUT_##NAME##_OFF))
#else
#define RMT_SCHED_READ(obj, NAME, type)	((void)(obj), (type)0)
#define RMT_SCHED_ADDR(obj, NAME)	((void)(obj), NULL)
#endif

/* ---- struct lb_env ---- */

static inline struct sched_domain *rmt_lb_sd(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_SD, struct sched_domain *);
}

static inline struct rq *rmt_lb_src_rq(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_SRC_RQ, struct rq *);
}

static inline struct rq *rmt_lb_dst_rq(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_DST_RQ, struct rq *);
}

static inline int rmt_lb_src_cpu(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_SRC_CPU, int);
}

static inline int rmt_lb_dst_cpu(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_DST_CPU, int);
}

/* enum cpu_idle_type: CPU_IDLE, CPU_NOT_IDLE or CPU_NEWLY_IDLE */
static inline int rmt_lb_idle(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_IDLE, int);
}

static inline long rmt_lb_imbalance(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_IMBALANCE, long);
}

/* RMT_LBF_* bits */
static inline unsigned int rmt_lb_flags(const void *env)
{
	return RMT_SCHED_READ(env, LB_ENV_FLAGS, unsigned int);
}

/* ---- struct rq ---- */

static inline int rmt_rq_cpu(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CPU, int);
}

/* tasks of every class on the rq */
static inline unsigned int rmt_rq_nr_running(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_NR_RUNNING, unsigned int);
}

static inline unsigned int rmt_rq_nr_numa_running(const void *rq)
{
#if RMT_LAYOUT_HAS_RQ_NR_NUMA_RUNNING
	return RMT_SCHED_READ(rq, RQ_NR_NUMA_RUNNING, unsigned int);
#else
	return 0;
#endif
}

/* tasks on the rq that run on their preferred NUMA node */
static inline unsigned int rmt_rq_nr_preferred_running(const void *rq)
{
#if RMT_LAYOUT_HAS_RQ_NR_PREFERRED_RUNNING
	return RMT_SCHED_READ(rq, RQ_NR_PREFERRED_RUNNING, unsigned int);
#else
	return 0;
#endif
}

/* rq_clock() and rq_clock_task(), in ns */
static inline u64 rmt_rq_clock(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CLOCK, u64);
}

static inline u64 rmt_rq_clock_task(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CLOCK_TASK, u64);
}

/* &rq->cfs, the root CFS runqueue */
static inline struct cfs_rq *rmt_rq_cfs(const void *rq)
{
	return RMT_SCHED_ADDR(rq, RQ_CFS);
}

static inline unsigned int rmt_rq_cfs_nr_running(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CFS_NR_RUNNING, unsigned int);
}

/* CFS tasks on the rq, in any group */
static inline unsigned int rmt_rq_cfs_h_nr_running(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CFS_H_NR_RUNNING, unsigned int);
}

/* PELT load average of the root CFS runqueue */
static inline unsigned long rmt_rq_cfs_load_avg(const void *rq)
{
	return RMT_SCHED_READ(rq, RQ_CFS_LOAD_AVG, unsigned long);
}

/* ---- struct cfs_rq ---- */

static inline unsigned int rmt_cfs_rq_nr_running(const void *cfs_rq)
{
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_NR_RUNNING, unsigned int);
}

static inline unsigned int rmt_cfs_rq_h_nr_running(const void *cfs_rq)
{
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_H_NR_RUNNING, unsigned int);
}

/* &cfs_rq->avg, its PELT averages */
static inline const struct sched_avg *rmt_cfs_rq_avg(const void *cfs_rq)
{
	return RMT_SCHED_ADDR(cfs_rq, CFS_RQ_AVG);
}

static inline unsigned long rmt_cfs_rq_load_avg(const void *cfs_rq)
{
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_LOAD_AVG, unsigned long);
}

static inline struct sched_entity *rmt_cfs_rq_curr(const void *cfs_rq)
{
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_CURR, struct sched_entity *);
}

/* the next buddy: the entity that should run next */
static inline struct sched_entity *rmt_cfs_rq_next(const void *cfs_rq)
{
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_NEXT, struct sched_entity *);
}

/* the last buddy: the entity that ran last (gone with EEVDF, 6.6) */
static inline struct sched_entity *rmt_cfs_rq_last(const void *cfs_rq)
{
#if RMT_LAYOUT_HAS_CFS_RQ_LAST
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_LAST, struct sched_entity *);
#else
	return NULL;
#endif
}

/* the rq a cfs_rq belongs to (CONFIG_FAIR_GROUP_SCHED), or NULL */
static inline struct rq *rmt_cfs_rq_rq(const void *cfs_rq)
{
#if RMT_LAYOUT_HAS_CFS_RQ_RQ
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_RQ, struct rq *);
#else
	return NULL;
#endif
}

/* non-zero if the cfs_rq or a parent is throttled (CONFIG_CFS_BANDWIDTH) */
static inline int rmt_cfs_rq_throttle_count(const void *cfs_rq)
{
#if RMT_LAYOUT_HAS_CFS_RQ_THROTTLE_COUNT
	return RMT_SCHED_READ(cfs_rq, CFS_RQ_THROTTLE_COUNT, int);
#else
	return 0;
#endif
}

/* the next and last buddies of an rq's root CFS runqueue */
static inline struct sched_entity *rmt_rq_cfs_next(const void *rq)
{
	return rmt_cfs_rq_next(rmt_rq_cfs(rq));
}

static inline struct sched_entity *rmt_rq_cfs_last(const void *rq)
{
	return rmt_cfs_rq_last(rmt_rq_cfs(rq));
}

/* ---- struct task_group ---- */

/* tg->cfs_rq[cpu] (CONFIG_FAIR_GROUP_SCHED), or NULL */
static inline struct cfs_rq *rmt_tg_cfs_rq(const void *tg, int cpu)
{
#if RMT_LAYOUT_HAS_TASK_GROUP_CFS_RQ
	struct cfs_rq *const *cfs_rq;

	if (!tg || (unsigned int)cpu >= nr_cpu_ids)
		return NULL;
	cfs_rq = RMT_SCHED_READ(tg, TASK_GROUP_CFS_RQ, struct cfs_rq **);
	return cfs_rq ? READ_ONCE(cfs_rq[cpu]) : NULL;
#else
	return NULL;
#endif
}

/* ---- public structures, checked against the headers ---- */

#ifndef RMT_SCHED_LAYOUT_NONE
#define RMT_SCHED_PUBLIC(type, member, NAME)				\
	static_assert(offsetof(type, member) == RMT_LAYOUT_##NAME##_OFF &&	\
		      sizeof_field(type, member) == RMT_LAYOUT_##NAME##_SIZE, \
		      "the headers and the pinned layout disagree on "	\
		      #type "." #member)
RMT_SCHED_PUBLIC(struct sched_domain, flags, SD_FLAGS);
RMT_SCHED_PUBLIC(struct sched_domain, nr_balance_failed, SD_NR_BALANCE_FAILED);
RMT_SCHED_PUBLIC(struct sched_domain, cache_nice_tries, SD_CACHE_NICE_TRIES);
RMT_SCHED_PUBLIC(struct sched_domain, span_weight, SD_SPAN_WEIGHT);
RMT_SCHED_PUBLIC(struct sched_entity, exec_start, SE_EXEC_START);
RMT_SCHED_PUBLIC(struct task_struct, se, TASK_SE);
#if RMT_LAYOUT_HAS_SE_CFS_RQ
RMT_SCHED_PUBLIC(struct sched_entity, cfs_rq, SE_CFS_RQ);
#endif
#if RMT_LAYOUT_HAS_TASK_NUMA_PREFERRED_NID
RMT_SCHED_PUBLIC(struct task_struct, numa_preferred_nid, TASK_NUMA_PREFERRED_NID);
RMT_SCHED_PUBLIC(struct task_struct, numa_faults, TASK_NUMA_FAULTS);
#endif
#undef RMT_SCHED_PUBLIC
/* Offsets pinned twice (within struct rq, and within struct cfs_rq and
 * the public struct sched_avg) must agree. */
static_assert(RMT_LAYOUT_RQ_CFS_SIZE == RMT_LAYOUT_SIZEOF_CFS_RQ);
static_assert(RMT_LAYOUT_CFS_RQ_AVG_SIZE == sizeof(struct sched_avg));
static_assert(RMT_LAYOUT_RQ_CFS_NR_RUNNING_OFF ==
	      RMT_LAYOUT_RQ_CFS_OFF + RMT_LAYOUT_CFS_RQ_NR_RUNNING_OFF);
static_assert(RMT_LAYOUT_RQ_CFS_H_NR_RUNNING_OFF ==
	      RMT_LAYOUT_RQ_CFS_OFF + RMT_LAYOUT_CFS_RQ_H_NR_RUNNING_OFF);
static_assert(RMT_LAYOUT_CFS_RQ_LOAD_AVG_OFF ==
	      RMT_LAYOUT_CFS_RQ_AVG_OFF + offsetof(struct sched_avg, load_avg));
static_assert(RMT_LAYOUT_RQ_CFS_LOAD_AVG_OFF ==
	      RMT_LAYOUT_RQ_CFS_OFF + RMT_LAYOUT_CFS_RQ_LOAD_AVG_OFF);
static_assert(sizeof(struct sched_domain) == RMT_LAYOUT_SIZEOF_SCHED_DOMAIN);
static_assert(sizeof(struct sched_entity) == RMT_LAYOUT_SIZEOF_SCHED_ENTITY);
static_assert(sizeof(struct task_struct) == RMT_LAYOUT_SIZEOF_TASK_STRUCT);
static_assert(CPU_IDLE == RMT_LAYOUT_CPU_IDLE &&
	      CPU_NOT_IDLE == RMT_LAYOUT_CPU_NOT_IDLE &&
	      CPU_NEWLY_IDLE == RMT_LAYOUT_CPU_NEWLY_IDLE);
#endif

/* the cfs_rq p is queued on: cfs_rq_of(&p->se) */
static inline struct cfs_rq *rmt_task_cfs_rq(const struct task_struct *p,
					     const void *rq)
{
#ifdef CONFIG_FAIR_GROUP_SCHED
	return READ_ONCE(p->se.cfs_rq);
#else
	return rmt_rq_cfs(rq);
#endif
}

/* p's task group (CONFIG_CGROUP_SCHED), or NULL */
static inline struct task_group *rmt_task_group(const struct task_struct *p)
{
#ifdef CONFIG_CGROUP_SCHED
	return READ_ONCE(p->sched_task_group);
#else
	return NULL;
#endif
}

static inline int rmt_task_numa_preferred_nid(const struct task_struct *p)
{
#ifdef CONFIG_NUMA_BALANCING
	return READ_ONCE(p->numa_preferred_nid);
#else
	return NUMA_NO_NODE;
#endif
}

/* task_faults(p, nid): p's NUMA hinting faults on memory of node nid */
static inline unsigned long rmt_task_faults(const struct task_struct *p,
					    int nid)
{
#ifdef CONFIG_NUMA_BALANCING
	const unsigned long *faults = READ_ONCE(p->numa_faults);

	if (!faults || nid < 0 || nid >= nr_node_ids)
		return 0;
	return READ_ONCE(faults[RMT_NUMA_FAULT_TYPES * nid]) +
	       READ_ONCE(faults[RMT_NUMA_FAULT_TYPES * nid + 1]);
#else
	return 0;
#endif
}

/* cpu_to_node() of a CPU number read from a kernel structure */
static inline int rmt_cpu_node(int cpu)
{
	return (unsigned int)cpu < nr_cpu_ids ? cpu_to_node(cpu) : NUMA_NO_NODE;
}

/* ---- symbols, resolved by rmt_sched_layout_check() ---- */

/**
 * struct rmt_sched_syms - kernel symbols the accessors need
 * @runqueues: per-CPU offset of runqueues (cpu_rq())
 * @migration_cost: sysctl_sched_migration_cost, in ns
 * @features: sysctl_sched_features (sched_feat())
 * @numa_balancing: the sched_numa_balancing static key, or NULL
 * @why: why rmt_sched_layout_check() last failed
 */
struct rmt_sched_syms {
	unsigned long runqueues;
	const unsigned int *migration_cost;
	const unsigned int *features;
	struct static_key *numa_balancing;
	char why[256];
};

static struct rmt_sched_syms rmt_sched_syms __maybe_unused;

/* cpu_rq(cpu), or NULL before a successful rmt_sched_layout_check() */
static inline struct rq *rmt_cpu_rq(int cpu)
{
	if (!rmt_sched_syms.runqueues || (unsigned int)cpu >= nr_cpu_ids)
		return NULL;
	return (struct rq *)per_cpu_ptr((void __percpu *)rmt_sched_syms.runqueues,
					cpu);
}

static inline unsigned int rmt_sched_migration_cost(void)
{
	const unsigned int *cost = rmt_sched_syms.migration_cost;

	return cost ? READ_ONCE(*cost) : 0;
}

/* sched_feat(CACHE_HOT_BUDDY); true (its default) if unknown */
static inline bool rmt_sched_feat_cache_hot_buddy(void)
{
#ifdef RMT_LAYOUT_SCHED_FEAT_CACHE_HOT_BUDDY
	const unsigned int *feat = rmt_sched_syms.features;

	if (feat)
		return READ_ONCE(*feat) & (1U << RMT_LAYOUT_SCHED_FEAT_CACHE_HOT_BUDDY);
#endif
	return true;
}

/* static_branch_likely(&sched_numa_balancing) */
static inline bool rmt_sched_numa_balancing(void)
{
	struct static_key *key = rmt_sched_syms.numa_balancing;

	return key && static_key_enabled(key);
}

/* ---- the features of Chen et al. ---- */

/* task_hot()'s buddy test: dst has work and p is its cfs_rq's next or last */
static inline bool rmt_lb_buddy_hot(const void *env, const struct task_struct *p)
{
	const struct cfs_rq *cfs_rq = rmt_task_cfs_rq(p, rmt_lb_src_rq(env));
	const struct sched_entity *se = &p->se;

	if (!cfs_rq || !rmt_sched_feat_cache_hot_buddy() ||
	    !rmt_rq_nr_running(rmt_lb_dst_rq(env)))
		return false;
	return se == rmt_cfs_rq_next(cfs_rq) || se == rmt_cfs_rq_last(cfs_rq);
}

/**
 * struct rmt_lb_features - what can_migrate_task() bases its answer on
 * @src_non_pref_nr: src rq's nr_running - nr_preferred_running
 * @delta_hot: rq_clock_task(src rq) - p->se.exec_start (ns; task_hot()
 *	calls p hot when this is below @migration_cost)
 * @migration_cost: sysctl_sched_migration_cost (ns)
 * @idle: env->idle == CPU_IDLE
 * @not_idle: env->idle == CPU_NOT_IDLE
 * @newly_idle: env->idle == CPU_NEWLY_IDLE
 * @same_node: src and dst CPUs on one NUMA node
 * @prefer_src: p's preferred node is src's
 * @prefer_dst: p's preferred node is dst's
 * @src_len: src rq's cfs.h_nr_running
 * @src_load: src rq's cfs.avg.load_avg
 * @dst_load: dst rq's cfs.avg.load_avg
 * @dst_len: dst rq's cfs.h_nr_running
 * @delta_faults: task_faults(p, src node) - task_faults(p, dst node)
 * @extra_fails: sd->nr_balance_failed > sd->cache_nice_tries
 * @buddy_hot: rmt_lb_buddy_hot()
 * @src_cpu: env->src_cpu
 * @dst_cpu: env->dst_cpu
 */
struct rmt_lb_features {
	s64 src_non_pref_nr;
	s64 delta_hot;
	s64 migration_cost;
	s64 idle;
	s64 not_idle;
	s64 newly_idle;
	s64 same_node;
	s64 prefer_src;
	s64 prefer_dst;
	s64 src_len;
	s64 src_load;
	s64 dst_load;
	s64 dst_len;
	s64 delta_faults;
	s64 extra_fails;
	s64 buddy_hot;
	s64 src_cpu;
	s64 dst_cpu;
};

/* Fill @f from can_migrate_task()'s @env and @p. */
static inline void rmt_lb_features(const void *env, const struct task_struct *p,
				   struct rmt_lb_features *f)
{
	const struct rq *src = rmt_lb_src_rq(env), *dst = rmt_lb_dst_rq(env);
	const struct sched_domain *sd = rmt_lb_sd(env);
	int src_cpu = rmt_lb_src_cpu(env), dst_cpu = rmt_lb_dst_cpu(env);
	int src_nid = rmt_cpu_node(src_cpu), dst_nid = rmt_cpu_node(dst_cpu);
	int pref = rmt_task_numa_preferred_nid(p);
	int idle = rmt_lb_idle(env);
	unsigned int nr = rmt_rq_nr_running(src);
	unsigned int nr_pref = rmt_rq_nr_preferred_running(src);

	f->src_non_pref_nr = nr > nr_pref ? nr - nr_pref : 0;
	f->delta_hot = (s64)(rmt_rq_clock_task(src) - READ_ONCE(p->se.exec_start));
	f->migration_cost = rmt_sched_migration_cost();
	f->idle = idle == CPU_IDLE;
	f->not_idle = idle == CPU_NOT_IDLE;
	f->newly_idle = idle == CPU_NEWLY_IDLE;
	f->same_node = src_nid == dst_nid;
	f->prefer_src = pref != NUMA_NO_NODE && pref == src_nid;
	f->prefer_dst = pref != NUMA_NO_NODE && pref == dst_nid;
	f->src_len = rmt_rq_cfs_h_nr_running(src);
	f->src_load = rmt_rq_cfs_load_avg(src);
	f->dst_load = rmt_rq_cfs_load_avg(dst);
	f->dst_len = rmt_rq_cfs_h_nr_running(dst);
	f->delta_faults = (s64)rmt_task_faults(p, src_nid) -
			  (s64)rmt_task_faults(p, dst_nid);
	f->extra_fails = sd && READ_ONCE(sd->nr_balance_failed) >
			       READ_ONCE(sd->cache_nice_tries);
	f->buddy_hot = rmt_lb_buddy_hot(env, p);
	f->src_cpu = src_cpu;
	f->dst_cpu = dst_cpu;
}

/* ---- attach-time check ---- */

/* The release the pinned layout belongs to, or NULL if there is none. */
static inline const char *rmt_sched_layout_release(void)
{
#ifdef RMT_SCHED_LAYOUT_NONE
	return NULL;
#else
	return RMT_LAYOUT_UTS_RELEASE;
#endif
}

/* Why the last rmt_sched_layout_check() failed. */
static inline const char *rmt_sched_layout_why(void)
{
	return rmt_sched_syms.why;
}

static inline __printf(1, 2) bool rmt_sched_layout_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rmt_sched_syms.why, sizeof(rmt_sched_syms.why), fmt, ap);
	va_end(ap);
	rmt_sched_syms.runqueues = 0;
	return false;
}

/* Resolve the symbol @name, a readable unsigned int. */
static inline const unsigned int *rmt_sched_uint_sym(const char *name)
{
	unsigned long addr = rmt_kallsyms_lookup(name);
	unsigned int v;

	if (!addr || copy_from_kernel_nofault(&v, (void *)addr, sizeof(v)))
		return NULL;
	return (const unsigned int *)addr;
}

/* Sanity of one rq read through the layout. */
static inline bool rmt_sched_rq_check(int cpu, const struct rq *rq, u64 now)
{
	const struct sched_avg *avg;
	u64 clock_task, clock;

	if (rmt_rq_cpu(rq) != cpu)
		return rmt_sched_layout_fail("CPU %d: its rq says it is CPU %d; see docs/hooks-layout.md",
					     cpu, rmt_rq_cpu(rq));
#if RMT_LAYOUT_HAS_CFS_RQ_RQ
	if (rmt_cfs_rq_rq(rmt_rq_cfs(rq)) != rq)
		return rmt_sched_layout_fail("CPU %d: rq->cfs.rq does not point back at its rq",
					     cpu);
#endif
	if (rmt_rq_nr_running(rq) > PID_MAX_LIMIT ||
	    rmt_rq_cfs_h_nr_running(rq) > PID_MAX_LIMIT ||
	    rmt_rq_nr_numa_running(rq) > PID_MAX_LIMIT ||
	    rmt_rq_nr_preferred_running(rq) > PID_MAX_LIMIT)
		return rmt_sched_layout_fail("CPU %d: implausible task counts (nr_running %u, cfs.h_nr_running %u, nr_numa_running %u, nr_preferred_running %u)",
					     cpu, rmt_rq_nr_running(rq),
					     rmt_rq_cfs_h_nr_running(rq),
					     rmt_rq_nr_numa_running(rq),
					     rmt_rq_nr_preferred_running(rq));
	/* clock_task lags clock by irq and steal time; both lag now. */
	clock_task = rmt_rq_clock_task(rq);
	clock = rmt_rq_clock(rq);
	if (clock_task > clock || clock > now + NSEC_PER_SEC ||
	    (cpu_online(cpu) && !clock))
		return rmt_sched_layout_fail("CPU %d: implausible rq clocks (clock %llu, clock_task %llu, now %llu)",
					     cpu, clock, clock_task, now);
	/* PELT: periods are 1024 us; a CPU that ran updated them, in the past */
	avg = rmt_cfs_rq_avg(rmt_rq_cfs(rq));
	if (READ_ONCE(avg->period_contrib) >= 1024 ||
	    READ_ONCE(avg->last_update_time) > now + NSEC_PER_SEC ||
	    (cpu_online(cpu) && !READ_ONCE(avg->last_update_time)) ||
	    rmt_rq_cfs_load_avg(rq) > (1UL << 40))
		return rmt_sched_layout_fail("CPU %d: implausible cfs PELT averages (period_contrib %u, last_update_time %llu, load_avg %lu)",
					     cpu, READ_ONCE(avg->period_contrib),
					     READ_ONCE(avg->last_update_time),
					     rmt_rq_cfs_load_avg(rq));
	return true;
}

/**
 * rmt_sched_layout_check() - may the accessors be used on this kernel?
 *
 * Fails, with rmt_sched_layout_why() saying why, unless a layout is
 * pinned for the release built against, the running kernel is that very
 * build (release and UTS_VERSION), the symbols resolve (runqueues where
 * the layout says, sysctl_sched_migration_cost and sysctl_sched_features
 * readable), and every possible CPU's rq read through the layout is
 * sane: its cpu field is the CPU, its cfs_rq points back at it, task
 * counts, clocks and load are plausible.  Process context (it may look
 * up symbols, which sleeps).
 */
static inline bool rmt_sched_layout_check(void)
{
#ifdef RMT_SCHED_LAYOUT_NONE
	return rmt_sched_layout_fail("no scheduler layout for %s; see docs/hooks-layout.md",
				     init_utsname()->release);
#else
	struct rmt_sched_syms *s = &rmt_sched_syms;
	unsigned long runqueues;
	u64 now;
	int cpu;

	BUILD_BUG_ON(__builtin_strcmp(RMT_LAYOUT_UTS_RELEASE, UTS_RELEASE));
	s->why[0] = '\0';
	if (strcmp(init_utsname()->release, RMT_LAYOUT_UTS_RELEASE) ||
	    strcmp(init_utsname()->version, RMT_LAYOUT_UTS_VERSION))
		return rmt_sched_layout_fail("scheduler layout is for %s %s, running %s %s; see docs/hooks-layout.md",
					     RMT_LAYOUT_UTS_RELEASE,
					     RMT_LAYOUT_UTS_VERSION,
					     init_utsname()->release,
					     init_utsname()->version);
	runqueues = rmt_kallsyms_lookup("runqueues");
	if (!runqueues)
		return rmt_sched_layout_fail("cannot look up runqueues (kallsyms_lookup_name unreachable)");
	if (runqueues != RMT_LAYOUT_RUNQUEUES_PCPU)
		return rmt_sched_layout_fail("runqueues is at %#lx, the layout says %#lx",
					     runqueues, RMT_LAYOUT_RUNQUEUES_PCPU);
	s->migration_cost = rmt_sched_uint_sym("sysctl_sched_migration_cost");
	if (!s->migration_cost)
		return rmt_sched_layout_fail("sysctl_sched_migration_cost is not readable");
	s->features = rmt_sched_uint_sym("sysctl_sched_features");
	if (!s->features)
		return rmt_sched_layout_fail("sysctl_sched_features is not readable");
#ifdef CONFIG_NUMA_BALANCING
	s->numa_balancing = (struct static_key *)rmt_kallsyms_lookup("sched_numa_balancing");
	if (!s->numa_balancing)
		return rmt_sched_layout_fail("cannot look up sched_numa_balancing");
#endif
	s->runqueues = runqueues;
	now = local_clock();
	for_each_possible_cpu(cpu)
		if (!rmt_sched_rq_check(cpu, rmt_cpu_rq(cpu), now))
			return false;
	return true;
#endif
}

#endif /* _RMT_SCHED_LAYOUT_H */
