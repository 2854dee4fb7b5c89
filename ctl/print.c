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

static void print_names(struct rmtctl *ctl, const char *name,
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

static void print_uint(struct rmtctl *ctl, const char *name, unsigned long long v)
{
	if (ctl->jw)
		json_kv_uint(ctl->jw, name, v);
	else
		printf(" %s %llu", name, v);
}

static void print_table(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	print_uint(ctl, "handle", o->handle);
	print_str(ctl, "hook", o->hook);
	print_names(ctl, "key", o->keys, o->nkeys);
	print_str(ctl, "match", rmtctl_match_name(o->match));
	print_uint(ctl, "size", o->size);
	print_uint(ctl, "entries", o->entries);
	if (ctl->jw && !o->dflt[0]) {
		json_name(ctl->jw, "default");
		json_null(ctl->jw);
	} else if (o->dflt[0]) {
		print_str(ctl, "default", o->dflt);
	}
	if (ctl->stats && o->has_stats) {
		print_uint(ctl, "hits", o->hits);
		print_uint(ctl, "misses", o->misses);
		print_uint(ctl, "errors", o->errors);
	}
}

static void print_entry(struct rmtctl *ctl, const struct rmtctl_obj *o,
			u32 match)
{
	print_uint(ctl, "handle", o->handle);
	print_s64s(ctl, "key", o->key, o->nkey);
	if (match == RMT_MATCH_TERNARY)
		print_s64s(ctl, "mask", (const s64 *)o->mask, o->nkey);
	if (match == RMT_MATCH_RANGE)
		print_s64s(ctl, "hi", o->key_hi, o->nkey);
	if (match == RMT_MATCH_LPM)
		print_uint(ctl, "prefix", o->prefix);
	print_uint(ctl, "priority", o->priority);
	print_str(ctl, "prog", o->prog);
	if (o->nparams || ctl->jw)
		print_s64s(ctl, "params", o->params, o->nparams);
	if (ctl->stats)
		print_uint(ctl, "hits", o->hits);
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
		print_uint(ctl, "handle", o->handle);
		print_str(ctl, "hook", o->hook);
		print_uint(ctl, "cost", o->cost);
		print_uint(ctl, "max_insns", o->max_insns);
		print_uint(ctl, "budget", o->budget);
		break;
	case RMT_CMD_MODEL_GET:
		print_uint(ctl, "handle", o->handle);
		print_uint(ctl, "tensors", o->tensors);
		print_uint(ctl, "trees", o->trees);
		break;
	case RMT_CMD_CTXMAP_GET:
		print_uint(ctl, "handle", o->handle);
		print_uint(ctl, "nvals", o->desc.nvals);
		print_uint(ctl, "hist", o->desc.hist_len);
		print_uint(ctl, "max", o->desc.max_entries);
		print_str(ctl, "key", o->desc.key_kind < 5 ?
			  key_kinds[o->desc.key_kind] : "?");
		print_uint(ctl, "count", o->count);
		print_uint(ctl, "drops", o->drops);
		break;
	case RMT_CMD_HOOK_GET:
		print_uint(ctl, "id", o->id);
		print_uint(ctl, "budget", o->budget);
		print_uint(ctl, "tables", o->tables);
		print_names(ctl, "fields", o->fields, o->nfields);
		if (ctl->jw)
			json_kv_uint(ctl->jw, "writable", o->writable);
		else
			printf(" writable 0x%llx", (unsigned long long)o->writable);
		break;
	case RMT_CMD_STATS_GET:
		print_uint(ctl, "hits", o->hits);
		print_uint(ctl, "misses", o->misses);
		print_uint(ctl, "run_ns", o->run_ns);
		print_uint(ctl, "errors", o->errors);
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
