// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a hook costs: ns per call of a function of this module,
 * rmt_bench_target(), called in a tight loop
 *
 *   plain    with no probe on it;
 *   kprobe   with a kprobe whose pre-handler does nothing (the bare
 *            probe every hook point stands on);
 *   hook     with a kprobe whose pre-handler does what a hook point's
 *            does: test whether any table is attached, build a context
 *            and run the tables through rmt_hook_run(), for a site of
 *            its own at the synthetic `test` hook.
 *
 * What "hook" measures depends on the tables the control plane put at
 * `test`: none, a table that misses, one whose action is empty, one
 * that runs an MLP.  bench/hooks_guest.sh sets each up and reads the
 * numbers; bench/run-hooks.sh and bench/bench_hooks.c make the report.
 *
 * The interface is a module parameter, so that it needs nothing from
 * the rest of the module at load (no debugfs entry, no hook site of the
 * framework's list):
 *
 *   echo "MODE N [RUNS]" > /sys/module/rmt/parameters/bench
 *   cat /sys/module/rmt/parameters/bench
 *
 * The write runs N calls chained (each call's argument is the previous
 * call's result: ns_lat) and N calls on independent arguments
 * (ns_tput), RUNS times each (default 5), and keeps the best run of
 * each; it blocks until done.  The read gives one line:
 *
 *   MODE N RUNS ns_lat NS ns_tput NS fires F decided D defaults E
 *   errors X probe ftrace|int3|none
 *
 * fires..errors are the site's counters over every run, so a caller can
 * check that the tables it set up were the ones that ran.  Calls are
 * timed in chunks with preemption disabled (ktime_get_ns() per chunk),
 * so time another task takes between chunks is not counted.  The module
 * is pinned while a benchmark runs, and the probe is gone when the
 * write returns.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "hook.h"

#define RMT_BENCH_CHUNK		512		/* calls per preempt-off section */
#define RMT_BENCH_MAX_CALLS	100000000ULL
#define RMT_BENCH_RUNS		5
#define RMT_BENCH_MAX_RUNS	50
#define RMT_BENCH_CTX_SET	16		/* test fields the hook fills */

enum rmt_bench_mode {
	RMT_BENCH_PLAIN,
	RMT_BENCH_KPROBE,
	RMT_BENCH_HOOK,
};

static const char *const rmt_bench_modes[] = {
	[RMT_BENCH_PLAIN] = "plain",
	[RMT_BENCH_KPROBE] = "kprobe",
	[RMT_BENCH_HOOK] = "hook",
};

static char rmt_bench_result[256];	/* under kernel_param_lock */
static u64 rmt_bench_sink;

/* The hook point of the benchmark: no kernel decision depends on it. */
static struct rmt_hook_site rmt_bench_site = {
	.id = RMT_HOOK_TEST,
	.verdict = "ignored (benchmark)",
	.fallback = "none: rmt_bench_target() returns its own value",
};

/**
 * rmt_bench_target() - the probed function
 * @x: argument
 *
 * A few ALU operations the compiler may neither fold nor hoist; it is
 * neither inlined, cloned nor notrace (__noipa: the loop calls exactly
 * the function the probe is on), so a kprobe at its entry is what a hook
 * point's kprobe at a kernel function's entry is (ftrace-based where
 * the kernel has KPROBES_ON_FTRACE).
 *
 * Return: a value that depends on @x.
 */
static __noipa u64 rmt_bench_target(u64 x)
{
	asm volatile("" : "+r" (x));
	return x * 0x9e3779b97f4a7c15ULL + 1;
}

static int rmt_bench_empty_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

/* A hook point's pre-handler, at the test hook. */
static int rmt_bench_hook_pre(struct kprobe *kp, struct pt_regs *regs)
{
	u64 x = regs_get_kernel_argument(regs, 0);
	s64 ctx[RMT_TEST_CTX_FIELDS] = { 0 };
	s64 verdict;
	int i;

	if (!rmt_hook_has_tables(RMT_HOOK_TEST))
		return 0;
	for (i = 0; i < RMT_BENCH_CTX_SET; i++)
		ctx[i] = (s64)((x >> i) & 0x7f) - 64;
	rmt_hook_run(&rmt_bench_site, ctx, &verdict);
	return 0;
}

static struct kprobe rmt_bench_kp;

/* Time @n calls in preempt-off chunks; ns in total. */
static u64 rmt_bench_loop(u64 n, bool chained)
{
	u64 i = 0, x = 1, sum = 0, total = 0, t0;

	while (i < n) {
		u64 end = min_t(u64, n, i + RMT_BENCH_CHUNK);

		preempt_disable();
		t0 = ktime_get_ns();
		if (chained) {
			for (; i < end; i++)
				x = rmt_bench_target(x);
		} else {
			for (; i < end; i++) {
				u64 a = i;

				asm volatile("" : "+r" (a));
				sum += rmt_bench_target(a);
			}
		}
		total += ktime_get_ns() - t0;
		preempt_enable();
		cond_resched();
	}
	WRITE_ONCE(rmt_bench_sink, x + sum);
	return total;
}

static int rmt_bench_probe(enum rmt_bench_mode mode)
{
	memset(&rmt_bench_kp, 0, sizeof(rmt_bench_kp));
	rmt_bench_kp.addr = (kprobe_opcode_t *)rmt_bench_target;
	rmt_bench_kp.pre_handler = mode == RMT_BENCH_HOOK ? rmt_bench_hook_pre :
							      rmt_bench_empty_pre;
	return register_kprobe(&rmt_bench_kp);
}

static const char *rmt_bench_probe_kind(enum rmt_bench_mode mode)
{
	if (mode == RMT_BENCH_PLAIN)
		return "none";
	return kprobe_ftrace(&rmt_bench_kp) ? "ftrace" : "int3";
}

/* "123.456": @ns_total / @n with three decimals. */
static void rmt_bench_fmt(char *buf, size_t size, u64 ns_total, u64 n)
{
	u64 ps = div64_u64(ns_total * 1000, n);

	snprintf(buf, size, "%llu.%03llu", ps / 1000, ps % 1000);
}

static int rmt_bench_run(enum rmt_bench_mode mode, u64 n, unsigned int runs)
{
	u64 best_lat = U64_MAX, best_tput = U64_MAX;
	struct rmt_hook_stats sum = { 0 };
	char lat[32], tput[32];
	const char *probe;
	unsigned int r;
	int err;

	rmt_bench_site.stats = alloc_percpu(struct rmt_hook_stats);
	if (!rmt_bench_site.stats)
		return -ENOMEM;
	if (mode != RMT_BENCH_PLAIN) {
		err = rmt_bench_probe(mode);
		if (err)
			goto out;
	}
	probe = rmt_bench_probe_kind(mode);
	for (r = 0; r < runs; r++) {
		best_lat = min(best_lat, rmt_bench_loop(n, true));
		best_tput = min(best_tput, rmt_bench_loop(n, false));
	}
	if (mode != RMT_BENCH_PLAIN)
		unregister_kprobe(&rmt_bench_kp);	/* waits for handlers */
	rmt_hook_stats_sum(&rmt_bench_site, &sum);
	rmt_bench_fmt(lat, sizeof(lat), best_lat, n);
	rmt_bench_fmt(tput, sizeof(tput), best_tput, n);
	snprintf(rmt_bench_result, sizeof(rmt_bench_result),
		 "%s %llu %u ns_lat %s ns_tput %s fires %llu decided %llu defaults %llu errors %llu probe %s\n",
		 rmt_bench_modes[mode], n, runs, lat, tput, sum.fires,
		 sum.decided, sum.defaults, sum.errors, probe);
	err = 0;
out:
	free_percpu(rmt_bench_site.stats);
	rmt_bench_site.stats = NULL;
	return err;
}

static int rmt_bench_set(const char *val, const struct kernel_param *kp)
{
	unsigned int runs = RMT_BENCH_RUNS, m;
	char mode[16];
	u64 n;
	int err, got;

	/* a benchmark needs the module up: not while insmod parses it */
	if (THIS_MODULE->state != MODULE_STATE_LIVE)
		return -EBUSY;
	got = sscanf(val, "%15s %llu %u", mode, &n, &runs);
	if (got < 2 || !n || n > RMT_BENCH_MAX_CALLS || !runs ||
	    runs > RMT_BENCH_MAX_RUNS)
		return -EINVAL;
	for (m = 0; m < ARRAY_SIZE(rmt_bench_modes); m++)
		if (!strcmp(mode, rmt_bench_modes[m]))
			break;
	if (m == ARRAY_SIZE(rmt_bench_modes))
		return -EINVAL;
	if (!try_module_get(THIS_MODULE))
		return -EBUSY;
	rmt_bench_result[0] = '\0';
	err = rmt_bench_run(m, n, runs);
	module_put(THIS_MODULE);
	return err;
}

static int rmt_bench_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s", rmt_bench_result[0] ? rmt_bench_result :
			  "none\n");
}

static const struct kernel_param_ops rmt_bench_ops = {
	.set = rmt_bench_set,
	.get = rmt_bench_get,
};

module_param_cb(bench, &rmt_bench_ops, NULL, 0600);
MODULE_PARM_DESC(bench, "Hook overhead benchmark: write \"plain|kprobe|hook N [RUNS]\", read ns per call");
