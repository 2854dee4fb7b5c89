// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guardrails: a watchdog that disables misbehaving tables, so the kernel
 * falls back to its own behaviour and stays healthy.
 *
 * Every RMT_GUARD_PERIOD_MS the watchdog walks the tables alive in the
 * current generation and trips a table (rmt_table_trip(), after which
 * its hook skips it) when, since its last look:
 *
 *   latency  the table has a latency budget, at least RMT_GUARD_MIN_RUNS
 *            actions ran, and their p99 exceeds the budget;
 *   errors   more than max_errors actions failed (a fault, or an
 *            overrun the interpreter stopped);
 *
 * and the readahead hook trips a table whose verdicts ask for more than
 * max_ra_pages pages per second (rmt_guard_charge_pages()).  Each trip
 * is counted, logged and announced on the monitor group (RMT_CMD_TRIP)
 * from the watchdog, in process context.  A tripped table stays
 * disabled until it is deleted or replaced.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "hook.h"
#include "../kernel/genl.h"

#define RMT_GUARD_PERIOD_MS	100
#define RMT_GUARD_MIN_RUNS	20

static unsigned int max_errors = 16;
module_param(max_errors, uint, 0644);
MODULE_PARM_DESC(max_errors, "Failed actions per 100 ms that disable a table (default 16)");

static unsigned int max_ra_pages = 65536;
module_param(max_ra_pages, uint, 0644);
MODULE_PARM_DESC(max_ra_pages,
		 "Readahead pages per second one table may ask for before it is disabled (default 65536)");

static atomic64_t rmt_guard_trips = ATOMIC64_INIT(0);
static struct delayed_work rmt_guard_work;

static const char *const rmt_trip_names[] = {
	[RMT_TRIP_NONE] = "none", [RMT_TRIP_LATENCY] = "latency",
	[RMT_TRIP_ERRORS] = "errors", [RMT_TRIP_RATE] = "rate",
};

const char *rmt_trip_name(u32 reason)
{
	return reason < ARRAY_SIZE(rmt_trip_names) ? rmt_trip_names[reason] : "?";
}

u64 rmt_guard_trip_count(void)
{
	return atomic64_read(&rmt_guard_trips);
}

/* Trip @t for @reason (any context); the watchdog announces it. */
static void rmt_guard_trip(struct rmt_table *t, u32 reason)
{
	if (rmt_table_trip(t, reason)) {
		atomic64_inc(&rmt_guard_trips);
		pr_warn_ratelimited("rmt: table %s disabled by the watchdog: %s\n",
				    t->obj.name, rmt_trip_name(reason));
	}
}

/**
 * rmt_guard_charge_pages() - account readahead pages a table asked for
 * @t: the table whose verdict it was
 * @pages: pages in the verdict
 *
 * Context: any (the readahead probe).  Counts are per one-second window;
 * concurrent updates may lose a few, which only delays a trip.
 *
 * Return: false if the table has exceeded max_ra_pages (it is now
 * disabled, and the verdict should not be carried out).
 */
bool rmt_guard_charge_pages(struct rmt_table *t, u32 pages)
{
	u64 now = get_jiffies_64(), start = READ_ONCE(t->guard.rate_start);
	u64 used;

	if (time_after64(now, start + HZ)) {
		WRITE_ONCE(t->guard.rate_start, now);
		WRITE_ONCE(t->guard.rate_pages, 0);
	}
	used = READ_ONCE(t->guard.rate_pages) + pages;
	WRITE_ONCE(t->guard.rate_pages, used);
	if (used <= READ_ONCE(max_ra_pages))
		return true;
	rmt_guard_trip(t, RMT_TRIP_RATE);
	return false;
}

/* One table's look: latency and errors since the last one. */
static void rmt_guard_check(struct rmt_table *t)
{
	u64 sums[RMT_LAT_BUCKETS], runs = 0, errors;
	u32 b;

	rmt_table_lat_sums(t, sums);
	for (b = 0; b < RMT_LAT_BUCKETS; b++)
		runs += sums[b] - t->guard.lat[b];
	if (t->latency_ns && runs >= RMT_GUARD_MIN_RUNS &&
	    rmt_table_p99(t, t->guard.lat) > t->latency_ns)
		rmt_guard_trip(t, RMT_TRIP_LATENCY);
	memcpy(t->guard.lat, sums, sizeof(sums));
	errors = rmt_pcpu_sum(t->errors);
	if (errors - t->guard.errors > READ_ONCE(max_errors))
		rmt_guard_trip(t, RMT_TRIP_ERRORS);
	t->guard.errors = errors;
	if (READ_ONCE(t->tripped) && !t->guard.reported) {
		t->guard.reported = true;
		rmt_genl_notify_trip(t, GFP_ATOMIC);
	}
}

static void rmt_guard_scan(struct work_struct *work)
{
	struct rmt_obj *o;
	u64 gen;

	rcu_read_lock();
	gen = rmt_load_acquire(&rmt_store.generation);
	for (o = rmt_rcu_deref(rmt_store.objs[RMT_OBJ_TABLE]); o; o = rmt_rcu_deref(o->next))
		if (rmt_alive(READ_ONCE(o->born), READ_ONCE(o->died), gen))
			rmt_guard_check(container_of(o, struct rmt_table, obj));
	rcu_read_unlock();
	schedule_delayed_work(&rmt_guard_work, msecs_to_jiffies(RMT_GUARD_PERIOD_MS));
}

void rmt_guard_start(void)
{
	INIT_DELAYED_WORK(&rmt_guard_work, rmt_guard_scan);
	schedule_delayed_work(&rmt_guard_work, msecs_to_jiffies(RMT_GUARD_PERIOD_MS));
}

void rmt_guard_stop(void)
{
	cancel_delayed_work_sync(&rmt_guard_work);
}
