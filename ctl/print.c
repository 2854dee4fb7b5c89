// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl's one place that prints objects, as text or as JSON (-j, -p).
 * The JSON field names are part of rmtctl's interface (ctl/rmtctl.8).
 */
#include <stdio.h>
#include <string.h>

#include "rmtctl.h"

static const char *const key_kinds[] = { "any", "pid", "tgid", "cgroup", "inode" };

static void print_s64s(struct rmtctl *ctl, const char *name, const s64 *v, u32 n)
{
	u32 i;

	if (ctl->jw) {
		json_name(ctl->jw, name);
		json_start_array(ctl->jw);
		for (i = 0; i < n; i++)
			json_int(ctl->jw, v[i]);
		json_end_array(ctl->jw);
		return;
	}
	printf(" %s ", name);
	for (i = 0; i < n; i++)
		printf("%s%lld", i ? "," : "", (long long)v[i]);
}

/* NAME v1,v2,...: a list of names (a JSON array) */
void rmtctl_print_names(struct rmtctl *ctl, const char *name,
			const char (*v)[RMT_NAME_MAX], u32 n)
{
	u32 i;

	if (ctl->jw) {
		json_name(ctl->jw, name);
		json_start_array(ctl->jw);
		for (i = 0; i < n; i++)
			json_string(ctl->jw, v[i]);
		json_end_array(ctl->jw);
		return;
	}
	printf(" %s ", name);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", v[i]);
}

static void print_str(struct rmtctl *ctl, const char *name, const char *v)
{
	if (ctl->jw)
		json_kv_string(ctl->jw, name, v);
	else
		printf(" %s %s", name, v);
}

/* NAME V, or nothing in text and NAME: null in JSON when @v is NULL. */
void rmtctl_print_opt_str(struct rmtctl *ctl, const char *name, const char *v)
{
	if (ctl->jw) {
		json_name(ctl->jw, name);
		if (v)
			json_string(ctl->jw, v);
		else
			json_null(ctl->jw);
	} else if (v) {
		printf(" %s %s", name, v);
	}
}

void rmtctl_print_uint(struct rmtctl *ctl, const char *name, unsigned long long v)
{
	if (ctl->jw)
		json_kv_uint(ctl->jw, name, v);
	else
		printf(" %s %llu", name, v);
}

static void print_table(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	rmtctl_print_uint(ctl, "handle", o->handle);
	print_str(ctl, "hook", o->hook);
	rmtctl_print_names(ctl, "key", o->keys, o->nkeys);
	print_str(ctl, "match", rmtctl_match_name(o->match));
	rmtctl_print_uint(ctl, "size", o->size);
	rmtctl_print_uint(ctl, "entries", o->entries);
	if (ctl->jw && !o->dflt[0]) {
		json_name(ctl->jw, "default");
		json_null(ctl->jw);
	} else if (o->dflt[0]) {
		print_str(ctl, "default", o->dflt);
	}
	if (o->latency)
		rmtctl_print_uint(ctl, "latency", o->latency);
	else if (ctl->jw) {
		json_name(ctl->jw, "latency");
		json_null(ctl->jw);
	}
	/* a table the guardrail watchdog disabled says so, and why */
	if (o->state || ctl->jw)
		print_str(ctl, o->state ? "disabled" : "state",
			  o->state ? rmtctl_trip_name(o->state) : "active");
	if (ctl->stats && o->has_stats) {
		rmtctl_print_uint(ctl, "hits", o->hits);
		rmtctl_print_uint(ctl, "misses", o->misses);
		rmtctl_print_uint(ctl, "errors", o->errors);
	}
}

/* Under -j: NAME: V, or NAME: null for an empty V. */
static void json_kv_string_or_null(struct json_writer *jw, const char *name,
				   const char *v)
{
	json_name(jw, name);
	if (v[0])
		json_string(jw, v);
	else
		json_null(jw);
}

/* With -s: where a hook is attached, or why not, and its counters. */
static void print_hook_site(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	if (ctl->jw) {
		json_kv_string_or_null(ctl->jw, "attached", o->attached);
		json_kv_string_or_null(ctl->jw, "status",
				       o->attached[0] ? "" : o->status);
		json_name(ctl->jw, "stats");
		if (!o->has_hook_stats) {
			json_null(ctl->jw);
			return;
		}
		json_start_object(ctl->jw);
	} else {
		if (o->attached[0])
			printf("\n\tattached %s", o->attached);
		else
			printf("\n\tstatus %s", o->status);
		if (!o->has_hook_stats)
			return;
		fputs("\n\tstats", stdout);
	}
	rmtctl_print_uint(ctl, "fires", o->hook_stats.fires);
	rmtctl_print_uint(ctl, "decided", o->hook_stats.decided);
	rmtctl_print_uint(ctl, "defaults", o->hook_stats.defaults);
	rmtctl_print_uint(ctl, "errors", o->hook_stats.errors);
	rmtctl_print_uint(ctl, "pages", o->hook_stats.pages);
	rmtctl_print_uint(ctl, "hits", o->hook_stats.hits);
	rmtctl_print_uint(ctl, "dropped", o->hook_stats.dropped);
	if (ctl->jw)
		json_end_object(ctl->jw);
}

/*
 * A hook point.  In text: a line of numbers, then one indented line each
 * for its verdict, its fallback, its fields and, with -s, where it is
 * attached (or why not) and its counters.
 */
static void print_hook(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	u32 i;

	rmtctl_print_uint(ctl, "id", o->id);
	rmtctl_print_uint(ctl, "budget", o->budget);
	rmtctl_print_uint(ctl, "tables", o->tables);
	if (ctl->jw) {
		json_kv_string(ctl->jw, "verdict", o->verdict);
		json_kv_string(ctl->jw, "fallback", o->fallback);
		rmtctl_print_names(ctl, "fields", o->fields, o->nfields);
		json_kv_uint(ctl->jw, "writable", o->writable);
	} else {
		printf("\n\tverdict %s\n\tfallback %s\n\tfields ", o->verdict,
		       o->fallback);
		for (i = 0; i < o->nfields; i++)
			printf("%s%s", i ? "," : "", o->fields[i]);
		printf(" writable 0x%llx", (unsigned long long)o->writable);
	}
	if (ctl->stats)
		print_hook_site(ctl, o);
}

static void print_entry(struct rmtctl *ctl, const struct rmtctl_obj *o,
			u32 match)
{
	rmtctl_print_uint(ctl, "handle", o->handle);
	print_s64s(ctl, "key", o->key, o->nkey);
	if (match == RMT_MATCH_TERNARY)
		print_s64s(ctl, "mask", (const s64 *)o->mask, o->nkey);
	if (match == RMT_MATCH_RANGE)
		print_s64s(ctl, "hi", o->key_hi, o->nkey);
	if (match == RMT_MATCH_LPM)
		rmtctl_print_uint(ctl, "prefix", o->prefix);
	rmtctl_print_uint(ctl, "priority", o->priority);
	print_str(ctl, "prog", o->prog);
	if (o->nparams || ctl->jw)
		print_s64s(ctl, "params", o->params, o->nparams);
	if (ctl->stats)
		rmtctl_print_uint(ctl, "hits", o->hits);
}

static void print_body(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	switch (o->cmd) {
	case RMT_CMD_TABLE_GET:
		print_table(ctl, o);
		break;
	case RMT_CMD_ENTRY_GET:
		print_entry(ctl, o, o->match);
		break;
	case RMT_CMD_PROG_GET:
		rmtctl_print_uint(ctl, "handle", o->handle);
		print_str(ctl, "hook", o->hook);
		rmtctl_print_uint(ctl, "cost", o->cost);
		rmtctl_print_uint(ctl, "max_insns", o->max_insns);
		rmtctl_print_uint(ctl, "budget", o->budget);
		/* last: the reason is words */
		print_str(ctl, "jit", rmt_jit_tier_name(o->jit));
		print_str(ctl, "jit_reason", o->jit_reason);
		break;
	case RMT_CMD_MODEL_GET:
		rmtctl_print_uint(ctl, "handle", o->handle);
		rmtctl_print_uint(ctl, "tensors", o->tensors);
		rmtctl_print_uint(ctl, "trees", o->trees);
		break;
	case RMT_CMD_CTXMAP_GET:
		rmtctl_print_uint(ctl, "handle", o->handle);
		rmtctl_print_uint(ctl, "nvals", o->desc.nvals);
		rmtctl_print_uint(ctl, "hist", o->desc.hist_len);
		rmtctl_print_uint(ctl, "max", o->desc.max_entries);
		print_str(ctl, "key", o->desc.key_kind < 5 ?
			  key_kinds[o->desc.key_kind] : "?");
		rmtctl_print_uint(ctl, "count", o->count);
		rmtctl_print_uint(ctl, "drops", o->drops);
		break;
	case RMT_CMD_HOOK_GET:
		print_hook(ctl, o);
		break;
	case RMT_CMD_STATS_GET:
		rmtctl_print_uint(ctl, "hits", o->hits);
		rmtctl_print_uint(ctl, "misses", o->misses);
		rmtctl_print_uint(ctl, "run_ns", o->run_ns);
		rmtctl_print_uint(ctl, "p99_ns", o->p99_ns);
		rmtctl_print_uint(ctl, "errors", o->errors);
		break;
	}
}

/**
 * rmtctl_print_obj() - one object: a line of text, or a JSON object
 * @ctl: tool state (JSON if ctl->jw)
 * @o: the object
 */
void rmtctl_print_obj(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	const char *label = o->cmd == RMT_CMD_ENTRY_GET ? o->table : o->name;

	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, o->cmd == RMT_CMD_ENTRY_GET ? "table" :
			       o->cmd == RMT_CMD_STATS_GET ? "table" : "name", label);
	} else {
		fputs(label, stdout);
	}
	print_body(ctl, o);
	if (ctl->jw)
		json_end_object(ctl->jw);
	else
		putchar('\n');
}
