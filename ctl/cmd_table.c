// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl table and entry:
 *   table add NAME hook HOOK key F[,F...] match KIND size N [default PROG] [latency NS]
 *   table del NAME | handle H
 *   table show [NAME]
 *   table test NAME [ctx V,...] [repeat N]   match and act, as a hook would
 *   entry add TABLE key V[,V...] [mask M,...] [hi V,...] [prefix N]
 *             [priority N] prog PROG [params P,...]
 *   entry del TABLE handle H
 *   entry show TABLE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmtctl.h"

static int table_keys(struct rmtctl *ctl, const char *s, struct rmt_op *op)
{
	char buf[512], *save, *f;

	snprintf(buf, sizeof(buf), "%s", s);
	op->table.nkeys = 0;
	for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (op->table.nkeys == RMT_MAX_KEY_FIELDS)
			return rmtctl_error(ctl, RMTCTL_USAGE, "a key has at most %d fields",
					    RMT_MAX_KEY_FIELDS);
		if (rmtctl_copy_name(ctl, op->table.keys[op->table.nkeys++], f))
			return RMTCTL_USAGE;
	}
	return 0;
}

static int table_match(struct rmtctl *ctl, const char *s, u32 *match)
{
	for (*match = RMT_MATCH_EXACT; *match <= RMT_MATCH_LPM; (*match)++)
		if (!strcmp(rmtctl_match_name(*match), s))
			return 0;
	return rmtctl_error(ctl, RMTCTL_USAGE,
			    "match is exact, ternary, range or lpm, not '%s'", s);
}

static int table_add(struct rmtctl *ctl, int argc, char **argv,
		     struct rmt_op *op, struct rmtctl_keep *keep)
{
	bool hook = false, key = false, match = false, size = false;
	u64 v;
	int i;

	op->cmd = RMT_CMD_TABLE_NEW;
	if (argc < 1 || rmtctl_copy_name(ctl, op->name, argv[0]))
		return rmtctl_error(ctl, RMTCTL_USAGE, "table add needs a NAME");
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *val = argv[i + 1];

		if (!strcmp(k, "hook")) {
			hook = true;
			if (rmtctl_hook_id(ctl, val, &op->table.hook))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "key")) {
			key = true;
			if (table_keys(ctl, val, op))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "match")) {
			match = true;
			if (table_match(ctl, val, &op->table.match))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "size")) {
			size = true;
			if (rmtctl_parse_u64(val, &v) || v > U32_MAX)
				return rmtctl_error(ctl, RMTCTL_USAGE, "size: '%s' is not a count", val);
			op->table.size = (u32)v;
		} else if (!strcmp(k, "default")) {
			if (rmtctl_copy_name(ctl, op->table.dflt, val))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "latency")) {
			if (rmtctl_parse_u64(val, &op->table.latency_ns))
				return rmtctl_error(ctl, RMTCTL_USAGE,
						    "latency: '%s' is not a number of ns", val);
		} else {
			return rmtctl_error(ctl, RMTCTL_USAGE, "table add: unknown argument '%s'", k);
		}
	}
	if (i != argc || !hook || !key || !match || !size)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: table add NAME hook HOOK key F[,F...] match KIND size N [default PROG] [latency NS]");
	return 0;
}

/* NAME, or "handle H": shared by the del commands of every object. */
int rmtctl_select(struct rmtctl *ctl, int argc, char **argv, struct rmt_op *op,
		  const char *what)
{
	if (argc == 2 && !strcmp(argv[0], "handle")) {
		if (rmtctl_parse_u64(argv[1], &op->handle) || !op->handle)
			return rmtctl_error(ctl, RMTCTL_USAGE, "bad handle '%s'", argv[1]);
		return 0;
	}
	if (argc == 1)
		return rmtctl_copy_name(ctl, op->name, argv[0]);
	return rmtctl_error(ctl, RMTCTL_USAGE, "usage: %s del NAME | handle H", what);
}

static int table_del(struct rmtctl *ctl, int argc, char **argv,
		     struct rmt_op *op, struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_TABLE_DEL;
	return rmtctl_select(ctl, argc, argv, op, "table");
}

struct table_stats {
	char name[RMT_NAME_MAX];
	u64 hits, misses, errors;
};

struct show_filter {
	struct rmtctl *ctl;
	const char *name;
	int shown;
	struct table_stats *stats;
	int nstats;
};

static int collect_stats(const struct rmtctl_obj *o, void *arg)
{
	struct show_filter *f = arg;
	struct table_stats *n = realloc(f->stats, (f->nstats + 1) * sizeof(*n));

	if (!n)
		return -1;
	f->stats = n;
	n += f->nstats++;
	snprintf(n->name, sizeof(n->name), "%s", o->name);
	n->hits = o->hits;
	n->misses = o->misses;
	n->errors = o->errors;
	return 0;
}

static int show_one(const struct rmtctl_obj *o, void *arg)
{
	struct show_filter *f = arg;
	struct rmtctl_obj with;
	int i;

	if (f->name && strcmp(f->name, o->name))
		return 0;
	for (i = 0; i < f->nstats; i++) {
		if (strcmp(f->stats[i].name, o->name))
			continue;
		with = *o;
		with.has_stats = true;
		with.hits = f->stats[i].hits;
		with.misses = f->stats[i].misses;
		with.errors = f->stats[i].errors;
		rmtctl_print_obj(f->ctl, &with);
		f->shown++;
		return 0;
	}
	rmtctl_print_obj(f->ctl, o);
	f->shown++;
	return 0;
}

/* Show every object a GET dump returns, or the one named. */
int rmtctl_show(struct rmtctl *ctl, u32 cmd, const char *name, const char *table)
{
	struct show_filter f = { ctl, name, 0 };
	struct rmtctl_error e = { 0 };
	struct json_writer *out = ctl->jw;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int ret;

	ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	/* -s on tables: their counters come from the statistics dump */
	if (ctl->stats && cmd == RMT_CMD_TABLE_GET &&
	    ctl->be->list(ctl->be_priv, RMT_CMD_STATS_GET, NULL, collect_stats,
			  &f, &e)) {
		free(f.stats);
		return rmtctl_backend_error(ctl, &e, NULL);
	}
	/* Under -j the array is kept back, so that an error replaces it. */
	if (out) {
		mem = open_memstream(&buf, &len);
		ctl->jw = mem ? json_new(mem, ctl->pretty) : NULL;
		if (!ctl->jw) {
			ctl->jw = out;
			return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
		}
		json_start_array(ctl->jw);
	}
	ret = ctl->be->list(ctl->be_priv, cmd, table, show_one, &f, &e);
	if (out) {
		json_end_array(ctl->jw);
		free(ctl->jw);		/* not json_destroy: no newline */
		fclose(mem);
		ctl->jw = out;
	}
	if (!ret && name && !f.shown)
		ret = -ENOENT, e.err = 0;
	if (!ret && out)
		json_raw(out, buf);
	free(buf);
	free(f.stats);
	if (ret && e.err)
		return rmtctl_backend_error(ctl, &e, NULL);
	if (ret)
		return rmtctl_error(ctl, RMTCTL_REJECTED, "no object named '%s'", name);
	return RMTCTL_OK;
}

static int table_show(struct rmtctl *ctl, int argc, char **argv)
{
	if (argc > 1)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: table show [NAME]");
	return rmtctl_show(ctl, RMT_CMD_TABLE_GET, argc ? argv[0] : NULL, NULL);
}

static int entry_list(struct rmtctl *ctl, const char *k, const char *val,
		      s64 *out, u32 max, u32 *n)
{
	int ret = rmtctl_parse_s64_list(val, out, max, n);

	if (ret)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "%s: '%s' is not a list of at most %u numbers", k, val, max);
	return 0;
}

static int entry_add(struct rmtctl *ctl, int argc, char **argv,
		     struct rmt_op *op, struct rmtctl_keep *keep)
{
	bool prog = false;
	u64 v;
	int i;

	op->cmd = RMT_CMD_ENTRY_NEW;
	if (argc < 1 || rmtctl_copy_name(ctl, op->name, argv[0]))
		return rmtctl_error(ctl, RMTCTL_USAGE, "entry add needs a TABLE");
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *val = argv[i + 1];

		if (!strcmp(k, "key")) {
			if (entry_list(ctl, k, val, op->entry.key, RMT_MAX_KEY_FIELDS,
				       &op->entry.nkey))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "mask")) {
			if (entry_list(ctl, k, val, (s64 *)op->entry.mask,
				       RMT_MAX_KEY_FIELDS, &op->entry.nmask))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "hi")) {
			if (entry_list(ctl, k, val, op->entry.key_hi,
				       RMT_MAX_KEY_FIELDS, &op->entry.nkey_hi))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "params")) {
			if (entry_list(ctl, k, val, op->entry.params, RMT_MAX_PARAMS,
				       &op->entry.nparams))
				return RMTCTL_USAGE;
		} else if (!strcmp(k, "prefix") || !strcmp(k, "priority")) {
			if (rmtctl_parse_u64(val, &v) || v > U32_MAX)
				return rmtctl_error(ctl, RMTCTL_USAGE, "%s: '%s' is not a number", k, val);
			if (k[1] == 'r' && k[2] == 'e') {
				if (v > 64)
					return rmtctl_error(ctl, RMTCTL_USAGE,
							    "prefix: %llu is over 64 bits",
							    (unsigned long long)v);
				op->entry.prefix = (u32)v;
				op->entry.has_prefix = true;
			} else {
				op->entry.priority = (u32)v;
			}
		} else if (!strcmp(k, "prog")) {
			prog = true;
			if (rmtctl_copy_name(ctl, op->entry.prog, val))
				return RMTCTL_USAGE;
		} else {
			return rmtctl_error(ctl, RMTCTL_USAGE, "entry add: unknown argument '%s'", k);
		}
	}
	if (i != argc || !op->entry.nkey || !prog)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: entry add TABLE key V[,V...] [mask M,...] [hi V,...] [prefix N] [priority N] prog PROG [params P,...]");
	return 0;
}

static int entry_del(struct rmtctl *ctl, int argc, char **argv,
		     struct rmt_op *op, struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_ENTRY_DEL;
	if (argc != 3 || strcmp(argv[1], "handle") ||
	    rmtctl_copy_name(ctl, op->name, argv[0]) ||
	    rmtctl_parse_u64(argv[2], &op->handle) || !op->handle)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: entry del TABLE handle H");
	return 0;
}

static int entry_show(struct rmtctl *ctl, int argc, char **argv)
{
	if (argc != 1)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: entry show TABLE");
	return rmtctl_show(ctl, RMT_CMD_ENTRY_GET, NULL, argv[0]);
}

static int table_test(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_test(ctl, argc, argv, true);
}

const struct rmtctl_cmd rmtctl_table_cmds[] = {
	{ "add", NULL, table_add, "NAME hook HOOK key F[,F...] match exact|ternary|range|lpm size N [default PROG] [latency NS]" },
	{ "del", NULL, table_del, "NAME | handle H" },
	{ "show", table_show, NULL, "[NAME]" },
	{ "test", table_test, NULL, "NAME [ctx V,V,...] [repeat N]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_entry_cmds[] = {
	{ "add", NULL, entry_add, "TABLE key V[,V...] [mask M,...] [hi V,...] [prefix N] [priority N] prog PROG [params P,...]" },
	{ "del", NULL, entry_del, "TABLE handle H" },
	{ "show", entry_show, NULL, "TABLE" },
	{ NULL }
};
