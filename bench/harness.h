/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every benchmark suite under bench/ shares: timing a batch of
 * runs (median of repetitions, after a warm-up) and reporting rows as a
 * markdown table and as JSON, so that suites line up in one report.
 */
#ifndef _RMT_BENCH_HARNESS_H
#define _RMT_BENCH_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

/**
 * typedef bench_batch_fn - run the measured operation @n times
 * @arg: the workload's state
 * @n: runs in the batch
 * @chained: feed each run's output into the next run's input, so that
 *	runs cannot overlap (latency); otherwise runs are independent
 *	(throughput)
 */
typedef void (*bench_batch_fn)(void *arg, uint64_t n, bool chained);

/**
 * struct bench_item - one thing to measure, both chained and not
 * @workload: what is run
 * @impl: how it is run
 * @fn: runs it
 * @arg: passed to @fn
 * @ops_per_run: operations in one run (1, or e.g. instructions
 *	executed); results are in ns per operation
 * @no_chain: measure throughput only (no meaningful chaining)
 */
struct bench_item {
	const char *workload;
	const char *impl;
	bench_batch_fn fn;
	void *arg;
	double ops_per_run;
	bool no_chain;
};

/**
 * struct bench_row - one line of a suite's report
 * @workload: what was run
 * @impl: how it was run
 * @ns_lat: ns per operation, chained runs; NAN if not measured
 * @ns_tput: ns per operation, independent runs; NAN if not measured
 */
struct bench_row {
	const char *workload;
	const char *impl;
	double ns_lat;
	double ns_tput;
};

int bench_measure(const struct bench_item *items, unsigned int n,
		  struct bench_row *rows);

/**
 * struct bench_report - a suite's rows and where they go
 * @suite: name; the files are <dir>/<suite>.md and <dir>/<suite>.json
 * @dir: output directory (must exist)
 * @baseline: impl the ratio column divides by
 * @ratio_title: heading of the ratio column
 * @note: a line printed above the table, e.g. the units; or NULL
 * @rows: the rows
 * @nrows: how many
 */
struct bench_report {
	const char *suite;
	const char *dir;
	const char *baseline;
	const char *ratio_title;
	const char *note;
	const struct bench_row *rows;
	unsigned int nrows;
};

int bench_report_write(const struct bench_report *r);

/* Keeps results alive without letting the compiler see their use. */
extern volatile int64_t bench_sink;

#endif /* _RMT_BENCH_HARNESS_H */
