// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl trace: hook traces (docs/trace-format.md).
 *
 *   trace record -o FILE [--hook H] [--duration S]   rmt.ko (trace_record.c)
 *   trace show FILE [--samples N]    the header, outcome counts, first N samples
 *   trace replay FILE --table T      each sample through table T, embedded
 *
 * show and replay read the file strictly (lib/trace_file.c): a truncated
 * or inconsistent file is refused, status 1, before anything is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rmtctl.h"
#include "trace_file.h"

#define SHOW_SAMPLES	10

/**
 * struct trace_read - a whole trace file, checked
 * @tf: the file
 * @v: its samples (all for replay, the first @keep for show)
 * @n: samples in @v
 * @keep: samples to keep in @v, or U64_MAX for all
 * @decided: samples a table decided
 * @failed: samples with a failed action
 */
struct trace_read {
	struct rmt_trace_file tf;
	struct rmt_trace_sample *v;
	u64 n;
	u64 keep;
	u64 decided;
	u64 failed;
};

/* Read and check all of @path.  Return: exit code, the error printed. */
static int trace_load(struct rmtctl *ctl, const char *path, struct trace_read *tr)
{
	struct rmt_trace_sample s, *v;
	char err[512];
	u64 cap = 0;
	int ret;

	ret = rmt_trace_open(&tr->tf, path, err, sizeof(err));
	while (!ret && (ret = rmt_trace_next(&tr->tf, &s, err, sizeof(err))) == 1) {
		ret = 0;
		tr->decided += !!(s.flags & RMT_TRACE_DECIDED);
		tr->failed += !!(s.flags & RMT_TRACE_ERROR);
		if (tr->n == tr->keep)
			continue;
		if (tr->n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(tr->v, cap * sizeof(*v));
			if (!v) {
				rmt_trace_close(&tr->tf);
				return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
			}
			tr->v = v;
		}
		tr->v[tr->n++] = s;
	}
	rmt_trace_close(&tr->tf);
	if (ret)
		return rmtctl_error(ctl, ret == -EINVAL ? RMTCTL_REJECTED : RMTCTL_SYSERR,
				    "%s", err);
	return RMTCTL_OK;
}

static const char *outcome(const struct rmt_trace_sample *s)
{
	return s->flags & RMT_TRACE_DECIDED ? "decided" : "default";
}

/* ------------------------------------------------------------------ */
/* trace show                                                          */
/* ------------------------------------------------------------------ */

static void show_sample_text(const struct rmt_trace_info *info, u64 i,
			     const struct rmt_trace_sample *s)
{
	u32 f;

	printf("#%llu +%llu.%09llus cpu %u verdict ", (unsigned long long)i,
	       (unsigned long long)(s->time_ns / 1000000000ULL),
	       (unsigned long long)(s->time_ns % 1000000000ULL), s->cpu);
	if (s->flags & RMT_TRACE_DECIDED)
		printf("%lld", (long long)s->verdict);
	else
		printf("DEFAULT");
	printf(" (%s%s)", outcome(s), s->flags & RMT_TRACE_ERROR ? ", failed" : "");
	for (f = 0; f < s->nfields; f++)
		printf(" %s=%lld", info->fields[f], (long long)s->ctx[f]);
	putchar('\n');
}

static void show_text(const char *path, const struct trace_read *tr)
{
	const struct rmt_trace_info *info = &tr->tf.info;
	time_t sec = info->start_ns / 1000000000ULL;
	char when[64] = "?";
	struct tm tm;
	u64 i;
	u32 f;

	if (gmtime_r(&sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("file %s\nversion %u\nhook %s id %u\ncpus %u\n", path, info->version,
	       info->hook_name, info->hook, info->ncpus);
	printf("start %s.%09lluZ\nduration %llu.%09llu s\n", when,
	       (unsigned long long)(info->start_ns % 1000000000ULL),
	       (unsigned long long)(info->duration_ns / 1000000000ULL),
	       (unsigned long long)(info->duration_ns % 1000000000ULL));
	printf("samples %llu decided %llu default %llu failed %llu\ndropped %llu\n",
	       (unsigned long long)info->samples, (unsigned long long)tr->decided,
	       (unsigned long long)(info->samples - tr->decided),
	       (unsigned long long)tr->failed, (unsigned long long)info->dropped);
	printf("fields %u", info->nfields);
	for (f = 0; f < info->nfields; f++)
		printf("%c%s", f ? ',' : ' ', info->fields[f]);
	putchar('\n');
	for (i = 0; i < tr->n; i++)
		show_sample_text(info, i, &tr->v[i]);
	if (tr->n < info->samples)
		printf("... %llu more\n", (unsigned long long)(info->samples - tr->n));
}

static void show_json(struct json_writer *jw, const char *path,
		      const struct trace_read *tr)
{
	const struct rmt_trace_info *info = &tr->tf.info;
	u64 i;
	u32 f;

	json_start_object(jw);
	json_kv_string(jw, "file", path);
	json_kv_uint(jw, "version", info->version);
	json_kv_string(jw, "hook", info->hook_name);
	json_kv_uint(jw, "hook_id", info->hook);
	json_kv_uint(jw, "cpus", info->ncpus);
	json_kv_uint(jw, "start_ns", info->start_ns);
	json_kv_uint(jw, "duration_ns", info->duration_ns);
	json_kv_uint(jw, "samples", info->samples);
	json_kv_uint(jw, "decided", tr->decided);
	json_kv_uint(jw, "defaults", info->samples - tr->decided);
	json_kv_uint(jw, "failed", tr->failed);
	json_kv_uint(jw, "dropped", info->dropped);
	json_name(jw, "fields");
	json_start_array(jw);
	for (f = 0; f < info->nfields; f++)
		json_string(jw, info->fields[f]);
	json_end_array(jw);
	json_name(jw, "records");
	json_start_array(jw);
	for (i = 0; i < tr->n; i++) {
		const struct rmt_trace_sample *s = &tr->v[i];

		json_start_object(jw);
		json_kv_uint(jw, "index", i);
		json_kv_uint(jw, "time_ns", s->time_ns);
		json_kv_uint(jw, "cpu", s->cpu);
		json_kv_int(jw, "verdict", s->verdict);
		json_kv_string(jw, "outcome", outcome(s));
		json_name(jw, "action_failed");
		json_bool(jw, s->flags & RMT_TRACE_ERROR);
		json_name(jw, "ctx");
		json_start_array(jw);
		for (f = 0; f < s->nfields; f++)
			json_int(jw, s->ctx[f]);
		json_end_array(jw);
		json_end_object(jw);
	}
	json_end_array(jw);
	json_end_object(jw);
}

static int trace_show(struct rmtctl *ctl, int argc, char **argv)
{
	struct trace_read tr = { .keep = SHOW_SAMPLES };
	int ret;

	if (argc == 3 && !strcmp(argv[1], "--samples")) {
		if (rmtctl_parse_u64(argv[2], &tr.keep))
			return rmtctl_error(ctl, RMTCTL_USAGE,
					    "--samples: '%s' is not a count", argv[2]);
	} else if (argc != 1) {
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: trace show FILE [--samples N]");
	}
	ret = trace_load(ctl, argv[0], &tr);
	if (!ret && ctl->jw)
		show_json(ctl->jw, argv[0], &tr);
	else if (!ret)
		show_text(argv[0], &tr);
	free(tr.v);
	return ret;
}

/* ------------------------------------------------------------------ */
/* trace replay                                                        */
/* ------------------------------------------------------------------ */

/**
 * struct replay - replaying a trace through a table
 * @samples: samples replayed
 * @agree: same verdict (or both DEFAULT)
 * @decided_default: recorded a verdict, replay DEFAULT
 * @default_decided: recorded DEFAULT, replay a verdict
 * @other: both a verdict, different ones
 * @first: index of the first disagreement, if any
 * @first_rec: its recorded verdict
 * @first_got: its replayed verdict
 */
struct replay {
	u64 samples;
	u64 agree;
	u64 decided_default;
	u64 default_decided;
	u64 other;
	u64 first;
	s64 first_rec;
	s64 first_got;
};

static int by_time(const void *a, const void *b)
{
	const struct rmt_trace_sample *x = a, *y = b;

	return x->time_ns < y->time_ns ? -1 : x->time_ns > y->time_ns;
}

static int table_hook(const struct rmtctl_obj *o, void *arg)
{
	snprintf(arg, RMT_NAME_MAX, "%s", o->hook);
	return 0;
}

/* The trace fits the table: same hook, same fields as this build has. */
static int replay_check(struct rmtctl *ctl, const struct rmt_trace_info *info,
			const char *table)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(info->hook);
	struct rmtctl_error e = { 0 };
	char hook[RMT_NAME_MAX] = "";
	u32 i;

	if (!h || strcmp(h->name, info->hook_name) || h->nfields != info->nfields)
		return rmtctl_error(ctl, RMTCTL_REJECTED,
				    "the trace's hook %s (%u fields) is not one this build knows",
				    info->hook_name, info->nfields);
	for (i = 0; i < h->nfields; i++)
		if (strcmp(h->field_names[i], info->fields[i]))
			return rmtctl_error(ctl, RMTCTL_REJECTED,
					    "field %u of the trace is %s, hook %s has %s there",
					    i, info->fields[i], h->name, h->field_names[i]);
	if (ctl->be->get(ctl->be_priv, RMT_CMD_TABLE_GET, table, 0, table_hook,
			 hook, &e))
		return rmtctl_backend_error(ctl, &e, NULL);
	if (strcmp(hook, info->hook_name))
		return rmtctl_error(ctl, RMTCTL_REJECTED, "table %s is at hook %s, the trace at %s",
				    table, hook, info->hook_name);
	return RMTCTL_OK;
}

static int replay_run(struct rmtctl *ctl, const char *table, struct trace_read *tr,
		      struct replay *rp)
{
	struct rmtctl_error e = { 0 };
	struct rmtctl_test out;
	s64 got;
	u64 i;

	qsort(tr->v, tr->n, sizeof(*tr->v), by_time);	/* context maps see time order */
	for (i = 0; i < tr->n; i++) {
		const struct rmt_trace_sample *s = &tr->v[i];

		memset(&out, 0, sizeof(out));
		if (ctl->be->test_run(ctl->be_priv, table, true, s->ctx, s->nfields, 1,
				      &out, &e))
			return rmtctl_backend_error(ctl, &e, NULL);
		got = out.ran && !out.err && out.r0 >= 0 ? out.r0 : RMT_VERDICT_DEFAULT;
		rp->samples++;
		if (got == s->verdict) {
			rp->agree++;
			continue;
		}
		if (rp->samples - rp->agree == 1) {
			rp->first = i;
			rp->first_rec = s->verdict;
			rp->first_got = got;
		}
		if (got == RMT_VERDICT_DEFAULT)
			rp->decided_default++;
		else if (s->verdict == RMT_VERDICT_DEFAULT)
			rp->default_decided++;
		else
			rp->other++;
	}
	return RMTCTL_OK;
}

static void replay_print(struct rmtctl *ctl, const char *path, const char *table,
			 const struct replay *rp)
{
	struct json_writer *jw = ctl->jw;
	u64 differ = rp->samples - rp->agree;

	if (jw) {
		json_start_object(jw);
		json_kv_string(jw, "file", path);
		json_kv_string(jw, "table", table);
		json_kv_uint(jw, "samples", rp->samples);
		json_kv_uint(jw, "agree", rp->agree);
		json_kv_uint(jw, "decided_default", rp->decided_default);
		json_kv_uint(jw, "default_decided", rp->default_decided);
		json_kv_uint(jw, "other_verdict", rp->other);
		json_end_object(jw);
		return;
	}
	printf("replayed %llu samples through table %s: %llu agree (%.1f%%), %llu differ\n",
	       (unsigned long long)rp->samples, table, (unsigned long long)rp->agree,
	       rp->samples ? 100.0 * rp->agree / rp->samples : 100.0,
	       (unsigned long long)differ);
	if (!differ)
		return;
	printf("  recorded a verdict, replay DEFAULT: %llu\n"
	       "  recorded DEFAULT, replay a verdict: %llu\n"
	       "  both a verdict, another one: %llu\n",
	       (unsigned long long)rp->decided_default,
	       (unsigned long long)rp->default_decided, (unsigned long long)rp->other);
	printf("  first: sample %llu (in time order), recorded %lld, replayed %lld\n",
	       (unsigned long long)rp->first, (long long)rp->first_rec,
	       (long long)rp->first_got);
}

static int trace_replay(struct rmtctl *ctl, int argc, char **argv)
{
	struct trace_read tr = { .keep = U64_MAX };
	struct replay rp = { 0 };
	int ret;

	if (argc != 3 || strcmp(argv[1], "--table"))
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: trace replay FILE --table T");
	ret = trace_load(ctl, argv[0], &tr);
	if (!ret && !ctl->be)
		ctl->want_embedded = true;	/* never the live rmt.ko's maps */
	if (!ret)
		ret = rmtctl_backend(ctl);
	if (!ret && ctl->be != &rmtctl_embedded_backend)
		ret = rmtctl_error(ctl, RMTCTL_USAGE, "trace replay runs on the embedded backend");
	if (!ret)
		ret = replay_check(ctl, &tr.tf.info, argv[2]);
	if (!ret)
		ret = replay_run(ctl, argv[2], &tr, &rp);
	if (!ret)
		replay_print(ctl, argv[0], argv[2], &rp);
	free(tr.v);
	return ret;
}

const struct rmtctl_cmd rmtctl_trace_cmds[] = {
	{ "record", rmtctl_trace_record, NULL, "-o FILE [--hook H] [--duration S]" },
	{ "replay", trace_replay, NULL, "FILE --table T" },
	{ "show", trace_show, NULL, "FILE [--samples N]" },
	{ NULL }
};
