// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timing and reporting for the benchmark suites (see harness.h).
 *
 * Every item is measured chained and independent; each of these cases
 * gets a batch size that takes about BENCH_BATCH_NS.  After a warm-up
 * round, BENCH_REPS rounds each time one batch of every case in turn
 * and each case keeps its median.  Interleaving matters on a shared
 * machine: a stretch of time in which another task holds the core, or
 * the clock is low, then lands on every case alike instead of on
 * whichever case happened to be running, so the ratios between cases
 * stay sound.  Nothing is pinned; CLOCK_MONOTONIC is the clock.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define BENCH_REPS	31
#define BENCH_BATCH_NS	10000000.0	/* 10 ms */

volatile int64_t bench_sink;

struct bench_case {
	const struct bench_item *item;
	bool chained;
	uint64_t n;
	double samples[BENCH_REPS];
};

static double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double bench_time_batch(const struct bench_case *c, uint64_t n)
{
	double t0 = bench_now_ns();

	c->item->fn(c->item->arg, n, c->chained);
	return bench_now_ns() - t0;
}

/* Grow the batch until it takes BENCH_BATCH_NS; this also warms up. */
static void bench_calibrate(struct bench_case *c)
{
	double t;

	c->n = 1;
	while ((t = bench_time_batch(c, c->n)) < BENCH_BATCH_NS) {
		if (t < BENCH_BATCH_NS / 16)
			c->n *= 16;
		else
			c->n = c->n * (BENCH_BATCH_NS / t) + 1;
	}
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double bench_median(struct bench_case *c)
{
	qsort(c->samples, BENCH_REPS, sizeof(c->samples[0]), bench_cmp_double);
	return c->samples[BENCH_REPS / 2];
}

/**
 * bench_measure() - time every item, chained and independent
 * @items: what to measure
 * @n: how many
 * @rows: receives one row per item, in ns per operation
 *
 * Return: 0, or -ENOMEM.
 */
int bench_measure(const struct bench_item *items, unsigned int n,
		  struct bench_row *rows)
{
	struct bench_case *cases = calloc(2 * n, sizeof(*cases));
	unsigned int i, nc = 0;
	int rep;

	if (!cases)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rows[i] = (struct bench_row){ items[i].workload, items[i].impl,
					      NAN, NAN };
		if (!items[i].no_chain)
			cases[nc++] = (struct bench_case){ &items[i], true };
		cases[nc++] = (struct bench_case){ &items[i], false };
	}
	for (i = 0; i < nc; i++)
		bench_calibrate(&cases[i]);
	for (rep = -1; rep < BENCH_REPS; rep++) {	/* -1: warm-up round */
		for (i = 0; i < nc; i++) {
			struct bench_case *c = &cases[i];
			double t = bench_time_batch(c, c->n);

			if (rep >= 0)
				c->samples[rep] = t / (c->n * c->item->ops_per_run);
		}
	}
	for (i = 0; i < nc; i++) {
		struct bench_row *row = &rows[cases[i].item - items];

		if (cases[i].chained)
			row->ns_lat = bench_median(&cases[i]);
		else
			row->ns_tput = bench_median(&cases[i]);
	}
	free(cases);
	return 0;
}

static void bench_fmt_ns(char *buf, size_t size, double ns)
{
	if (isnan(ns))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, ns < 100 ? "%.2f" : "%.1f", ns);
}

static const struct bench_row *bench_baseline(const struct bench_report *r,
					      const char *workload)
{
	unsigned int i;

	for (i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].workload, workload) &&
		    !strcmp(r->rows[i].impl, r->baseline))
			return &r->rows[i];
	return NULL;
}

/* "lat / tput" relative to the baseline impl of the same workload. */
static void bench_fmt_ratio(char *buf, size_t size,
			    const struct bench_report *r,
			    const struct bench_row *row)
{
	const struct bench_row *base = bench_baseline(r, row->workload);

	if (!base || base == row) {
		snprintf(buf, size, "%s", base ? "1" : "-");
		return;
	}
	snprintf(buf, size, "%.1f / %.1f", row->ns_lat / base->ns_lat,
		 row->ns_tput / base->ns_tput);
}

static void bench_print_table(FILE *f, const struct bench_report *r)
{
	char lat[32], tput[32], ratio[64];
	unsigned int i;

	if (r->note)
		fprintf(f, "%s\n\n", r->note);
	fprintf(f, "| workload | impl | ns_lat | ns_tput | %s |\n",
		r->ratio_title);
	fprintf(f, "|---|---|---:|---:|---:|\n");
	for (i = 0; i < r->nrows; i++) {
		const struct bench_row *row = &r->rows[i];

		bench_fmt_ns(lat, sizeof(lat), row->ns_lat);
		bench_fmt_ns(tput, sizeof(tput), row->ns_tput);
		bench_fmt_ratio(ratio, sizeof(ratio), r, row);
		fprintf(f, "| %s | %s | %s | %s | %s |\n", row->workload,
			row->impl, lat, tput, ratio);
	}
}

static void bench_json_num(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.3f", v);
}

static void bench_print_json(FILE *f, const struct bench_report *r)
{
	unsigned int i;

	fprintf(f, "[\n");
	for (i = 0; i < r->nrows; i++) {
		const struct bench_row *row = &r->rows[i];

		fprintf(f, "  {\"suite\": \"%s\", \"workload\": \"%s\", \"impl\": \"%s\", \"ns_lat\": ",
			r->suite, row->workload, row->impl);
		bench_json_num(f, row->ns_lat);
		fprintf(f, ", \"ns_tput\": ");
		bench_json_num(f, row->ns_tput);
		fprintf(f, "}%s\n", i + 1 < r->nrows ? "," : "");
	}
	fprintf(f, "]\n");
}

static int bench_write_file(const struct bench_report *r, const char *ext,
			    void (*print)(FILE *, const struct bench_report *))
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", r->dir, r->suite, ext);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	print(f, r);
	if (fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

/**
 * bench_report_write() - print the table, write <suite>.md and .json
 * @r: the report
 *
 * Return: 0, or -1 if a file could not be written.
 */
int bench_report_write(const struct bench_report *r)
{
	bench_print_table(stdout, r);
	fflush(stdout);
	if (bench_write_file(r, "md", bench_print_table) ||
	    bench_write_file(r, "json", bench_print_json))
		return -1;
	return 0;
}
