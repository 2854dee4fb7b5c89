// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl model, ctxmap, hook, stats, monitor, batch and feature:
 *   model load FILE name NAME      tensors and trees of an assembly file
 *   ctxmap add NAME [nvals N] [hist N] [max N] [key pid|tgid|cgroup|inode|any]
 *   hook show / stats show [TABLE] / monitor [count N]
 *   batch -f FILE|-                every write command in FILE, atomically
 *   feature show
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmtctl.h"

static int model_load(struct rmtctl *ctl, int argc, char **argv,
		      struct rmt_op *op, struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_MODEL_NEW;
	if (argc != 3 || strcmp(argv[1], "name"))
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: model load FILE name NAME");
	if (rmtctl_copy_name(ctl, op->name, argv[2]))
		return RMTCTL_USAGE;
	return rmtctl_load_model(ctl, argv[0], op, keep);
}

static int model_del(struct rmtctl *ctl, int argc, char **argv,
		     struct rmt_op *op, struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_MODEL_DEL;
	return rmtctl_select(ctl, argc, argv, op, "model");
}

static int model_show(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_show(ctl, RMT_CMD_MODEL_GET, argc ? argv[0] : NULL, NULL);
}

static int ctxmap_add(struct rmtctl *ctl, int argc, char **argv,
		      struct rmt_op *op, struct rmtctl_keep *keep)
{
	static const char *const keys[] = { "any", "pid", "tgid", "cgroup", "inode" };
	struct rmt_ctxmap_desc *d = &op->ctxmap;
	u64 v;
	u32 k;
	int i;

	op->cmd = RMT_CMD_CTXMAP_NEW;
	d->max_entries = 1024;
	if (argc < 1 || rmtctl_copy_name(ctl, op->name, argv[0]))
		return rmtctl_error(ctl, RMTCTL_USAGE, "ctxmap add needs a NAME");
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "key")) {
			for (k = 0; k < 5 && strcmp(keys[k], argv[i + 1]); k++)
				;
			if (k == 5)
				return rmtctl_error(ctl, RMTCTL_USAGE, "unknown key kind '%s'",
						    argv[i + 1]);
			d->key_kind = k;
			continue;
		}
		if (rmtctl_parse_u64(argv[i + 1], &v) || v > U32_MAX)
			return rmtctl_error(ctl, RMTCTL_USAGE, "%s: '%s' is not a count",
					    argv[i], argv[i + 1]);
		if (!strcmp(argv[i], "nvals"))
			d->nvals = (u32)v;
		else if (!strcmp(argv[i], "hist"))
			d->hist_len = (u32)v;
		else if (!strcmp(argv[i], "max"))
			d->max_entries = (u32)v;
		else
			return rmtctl_error(ctl, RMTCTL_USAGE, "ctxmap add: unknown argument '%s'",
					    argv[i]);
	}
	if (i != argc)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: ctxmap add NAME [nvals N] [hist N] [max N] [key KIND]");
	return 0;
}

static int ctxmap_del(struct rmtctl *ctl, int argc, char **argv,
		      struct rmt_op *op, struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_CTXMAP_DEL;
	return rmtctl_select(ctl, argc, argv, op, "ctxmap");
}

static int ctxmap_show(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_show(ctl, RMT_CMD_CTXMAP_GET, argc ? argv[0] : NULL, NULL);
}

static int hook_show(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_show(ctl, RMT_CMD_HOOK_GET, argc ? argv[0] : NULL, NULL);
}

static int stats_show(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_show(ctl, RMT_CMD_STATS_GET, argc ? argv[0] : NULL, NULL);
}

static int monitor_run(struct rmtctl *ctl, int argc, char **argv)
{
	struct rmtctl_error e = { 0 };
	u64 count = 0;
	int ret;

	if (argc == 2 && !strcmp(argv[0], "count") && !rmtctl_parse_u64(argv[1], &count)) {
		;
	} else if (argc) {
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: monitor [count N]");
	}
	ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	if (ctl->be->monitor(ctl->be_priv, (int)count, ctl->json, &e))
		return rmtctl_backend_error(ctl, &e, NULL);
	return RMTCTL_OK;
}

#define RMTCTL_BATCH_MAX	(2 * RMT_MAX_TABLE_SIZE)

/* One batch line: OBJECT COMMAND ARGS of a write command. */
static int batch_line(struct rmtctl *ctl, char *line, u32 lineno,
		      struct rmt_op *op, struct rmtctl_keep *keep)
{
	const struct rmtctl_object *obj;
	const struct rmtctl_cmd *c;
	char *argv[64];
	bool amb;
	int argc = rmtctl_tokenize(line, argv, 64);

	if (!argc)
		return 1;	/* blank or comment */
	obj = argc > 1 ? rmtctl_match_object(argv[0], &amb) : NULL;
	c = obj ? rmtctl_match(obj->cmds, argv[1], &amb) : NULL;
	ctl->batch_line = lineno;	/* errors below name the line */
	if (!c || !c->build)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "not a write command (add, del, load)");
	memset(op, 0, sizeof(*op));
	if (c->build(ctl, argc - 2, argv + 2, op, keep))
		return RMTCTL_USAGE;
	ctl->batch_line = 0;
	return 0;
}

static int batch_run(struct rmtctl *ctl, int argc, char **argv)
{
	struct rmtctl_keep keep = { 0 };
	struct rmt_op *ops = NULL;
	u32 n = 0, cap = 0, lineno = 0;
	char *line = NULL;
	size_t len = 0;
	FILE *f;
	int ret = 0;

	if (argc != 2 || strcmp(argv[0], "-f"))
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: batch -f FILE|-");
	f = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!f)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "cannot read %s", argv[1]);
	while (!ret && getline(&line, &len, f) > 0) {
		lineno++;
		if (n == cap) {
			struct rmt_op *nops;

			cap = cap ? cap * 2 : 64;
			nops = cap <= RMTCTL_BATCH_MAX ? realloc(ops, cap * sizeof(*ops)) : NULL;
			if (!nops) {
				ret = rmtctl_error(ctl, RMTCTL_SYSERR, "batch too large");
				break;
			}
			ops = nops;
		}
		ret = batch_line(ctl, line, lineno, &ops[n], &keep);
		if (ret == 1)
			ret = 0;
		else if (!ret)
			n++;
	}
	if (f != stdin)
		fclose(f);
	free(line);
	if (!ret && !n)
		ret = rmtctl_error(ctl, RMTCTL_USAGE, "batch: no commands");
	if (!ret)
		ret = rmtctl_commit(ctl, ops, n, &keep);
	rmtctl_keep_release(&keep);
	free(ops);
	return ret;
}

static int feature_show(struct rmtctl *ctl, int argc, char **argv)
{
	int ret = rmtctl_backend(ctl), n = 0;
	u32 i;

	if (ret)
		return ret;
	for (i = 1; i < 256; i++)
		n += rmt_op_info[i].name != NULL;
	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "backend", ctl->be->name);
		json_kv_uint(ctl->jw, "genl_version", RMT_GENL_VERSION);
		json_kv_uint(ctl->jw, "opcodes", n);
		json_kv_uint(ctl->jw, "helpers", rmt_nr_helpers - 1);
		json_kv_uint(ctl->jw, "max_insns", RMT_MAX_INSNS);
		json_kv_uint(ctl->jw, "max_table_size", RMT_MAX_TABLE_SIZE);
		json_end_object(ctl->jw);
	} else {
		printf("backend %s\ngenl_version %u\nopcodes %d\nhelpers %u\n"
		       "max_insns %d\nmax_table_size %u\n", ctl->be->name,
		       RMT_GENL_VERSION, n, rmt_nr_helpers - 1, RMT_MAX_INSNS,
		       RMT_MAX_TABLE_SIZE);
	}
	return RMTCTL_OK;
}

const struct rmtctl_cmd rmtctl_model_cmds[] = {
	{ "load", NULL, model_load, "FILE name NAME" },
	{ "del", NULL, model_del, "NAME | handle H" },
	{ "show", model_show, NULL, "[NAME]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_ctxmap_cmds[] = {
	{ "add", NULL, ctxmap_add, "NAME [nvals N] [hist N] [max N] [key pid|tgid|cgroup|inode|any]" },
	{ "del", NULL, ctxmap_del, "NAME | handle H" },
	{ "show", ctxmap_show, NULL, "[NAME]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_hook_cmds[] = {
	{ "show", hook_show, NULL, "[NAME]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_stats_cmds[] = {
	{ "show", stats_show, NULL, "[TABLE]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_monitor_cmds[] = {
	{ "events", monitor_run, NULL, "[count N]" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_batch_cmds[] = {
	{ "run", batch_run, NULL, "-f FILE|-" },
	{ NULL }
};

const struct rmtctl_cmd rmtctl_feature_cmds[] = {
	{ "show", feature_show, NULL, "" },
	{ NULL }
};
