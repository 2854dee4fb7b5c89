// SPDX-License-Identifier: GPL-2.0-only
/*
 * The embedded backend: the kernel's store and interpreter, in-process.
 * Refusals are worded as rmt.ko words them, and the attribute blamed is
 * given as the same path of attribute types, so a script's output does
 * not depend on the backend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

struct emb {
	struct rmt_store st;
};

static int emb_obj_attr(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_TABLE_NEW: case RMT_CMD_TABLE_DEL: return RMT_A_TABLE;
	case RMT_CMD_ENTRY_NEW: case RMT_CMD_ENTRY_DEL: return RMT_A_ENTRY;
	case RMT_CMD_PROG_NEW: case RMT_CMD_PROG_DEL: return RMT_A_PROG;
	case RMT_CMD_MODEL_NEW: case RMT_CMD_MODEL_DEL: return RMT_A_MODEL;
	}
	return RMT_A_CTXMAP;
}

static int emb_commit(void *priv, struct rmt_op *ops, u32 n, u64 *gen,
		      struct rmtctl_error *e)
{
	struct emb *emb = priv;
	struct rmt_op_error err;
	char where[24] = "", path[32] = "";
	int ret;

	e->op = e->insn = -1;
	ret = rmt_store_commit(&emb->st, ops, n, &err);
	if (!ret) {
		*gen = emb->st.generation;
		return 0;
	}
	e->err = ret;
	e->op = err.op;
	e->insn = err.diag.insn;
	if (n > 1) {
		snprintf(where, sizeof(where), "op %u: ", err.op);
		/* rmtctl sends a batch's operations at the top level */
		snprintf(path, sizeof(path), "%d/%d/", RMT_A_OP, RMT_A_OP_ATTRS);
	}
	if (err.diag.insn >= 0)
		snprintf(e->msg, sizeof(e->msg), "%sinsn %d: %s; hint: %s", where,
			 err.diag.insn, err.diag.msg, rmt_diag_hint(err.diag.code));
	else
		snprintf(e->msg, sizeof(e->msg), "%s%s", where, err.diag.msg);
	if (err.attr)
		snprintf(e->where, sizeof(e->where), "%s%d/%d", path,
			 emb_obj_attr(ops[err.op].cmd), err.attr);
	else
		snprintf(e->where, sizeof(e->where), "%s%d", path,
			 emb_obj_attr(ops[err.op].cmd));
	return ret;
}

static void emb_fill(struct rmtctl_obj *o, struct rmt_obj *ob, u32 cmd)
{
	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	snprintf(o->name, sizeof(o->name), "%s", ob->name);
	o->handle = ob->handle;
}

static void emb_fill_table(struct rmtctl_obj *o, struct rmt_table *t)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(t->hook);
	u32 i;

	emb_fill(o, &t->obj, RMT_CMD_TABLE_GET);
	snprintf(o->hook, sizeof(o->hook), "%s", h->name);
	for (i = 0; i < t->nkeys; i++)
		snprintf(o->keys[i], RMT_NAME_MAX, "%s", h->field_names[t->key_fields[i]]);
	o->nkeys = t->nkeys;
	o->match = t->match;
	o->size = t->size;
	o->entries = t->count;
	if (t->dflt)
		snprintf(o->dflt, sizeof(o->dflt), "%s", t->dflt->obj.name);
	o->latency = t->latency_ns;
	o->state = t->tripped;	/* no watchdog here: always 0 */
}

static int emb_list_entries(struct emb *emb, const char *name, rmtctl_obj_cb cb,
			    void *arg, struct rmtctl_obj *o, struct rmtctl_error *e)
{
	struct rmt_table *t;
	struct rmt_entry *en;
	u32 b;

	t = (struct rmt_table *)rmt_store_find(&emb->st, RMT_OBJ_TABLE,
					       name ? name : "", 0,
					       emb->st.generation);
	if (!t) {
		snprintf(e->msg, sizeof(e->msg), "name an existing table in RMT_A_ENTRY_TABLE");
		return e->err = -ENOENT;
	}
	for (b = 0; b <= t->nbuckets; b++) {
		en = b < t->nbuckets ? (t->buckets ? t->buckets[b] : NULL) : t->list;
		for (; en; en = en->next) {
			if (!rmt_alive(en->born, en->died, emb->st.generation))
				continue;
			memset(o, 0, sizeof(*o));
			o->cmd = RMT_CMD_ENTRY_GET;
			snprintf(o->table, sizeof(o->table), "%s", t->obj.name);
			o->handle = en->handle;
			o->nkey = t->nkeys;
			o->match = t->match;
			memcpy(o->key, en->key, sizeof(o->key));
			if (t->match == RMT_MATCH_TERNARY)
				memcpy(o->mask, en->mask, sizeof(o->mask));
			if (t->match == RMT_MATCH_RANGE)
				memcpy(o->key_hi, en->key_hi, sizeof(o->key_hi));
			o->prefix = en->prefix;
			o->priority = en->priority;
			snprintf(o->prog, sizeof(o->prog), "%s", en->prog->obj.name);
			memcpy(o->params, en->params, sizeof(o->params));
			o->nparams = en->nparams;
			o->hits = rmt_pcpu_sum(en->hits);
			if (cb(o, arg) < 0)
				return 0;
		}
	}
	return 0;
}

static void emb_fill_hook(struct emb *emb, struct rmtctl_obj *o, u32 id)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(id);
	struct rmt_obj *t;
	u32 i;

	memset(o, 0, sizeof(*o));
	o->cmd = RMT_CMD_HOOK_GET;
	snprintf(o->name, sizeof(o->name), "%s", h->name);
	o->id = id;
	o->budget = h->budget;
	for (i = 0; i < h->nfields; i++)
		snprintf(o->fields[i], RMT_NAME_MAX, "%s", h->field_names[i]);
	o->nfields = h->nfields;
	o->writable = h->writable;
	snprintf(o->verdict, sizeof(o->verdict), "%s", h->verdict);
	snprintf(o->fallback, sizeof(o->fallback), "%s", h->fallback);
	/* the store runs in this process: no kernel site, no counters */
	snprintf(o->status, sizeof(o->status), "embedded backend: no kernel hooks");
	for (t = emb->st.objs[RMT_OBJ_TABLE]; t; t = t->next)
		if (rmt_alive(t->born, t->died, emb->st.generation) &&
		    ((struct rmt_table *)t)->hook == id)
			o->tables++;
}

/* A program, with its instructions and what it refers to by name. */
static void emb_fill_prog(struct rmtctl_obj *o, struct rmt_prog_obj *p)
{
	u32 i, r = 0;

	emb_fill(o, &p->obj, RMT_CMD_PROG_GET);
	snprintf(o->hook, sizeof(o->hook), "%s", p->env.hook->name);
	o->cost = p->prog->cost;
	o->max_insns = p->prog->max_insns;
	o->budget = p->prog->budget;
	o->insns = p->prog->len;
	o->prog_insns = p->prog->insns;
	o->jit = p->prog->tier;
	snprintf(o->jit_reason, sizeof(o->jit_reason), "%s", p->prog->jit_reason);
	o->has_refs = true;
	/* refs hold the model, the maps and the tails, in that order */
	if (p->env.model)
		snprintf(o->model, sizeof(o->model), "%s", p->refs[r++]->name);
	for (i = 0; i < p->env.nmaps; i++)
		snprintf(o->maps[o->nmaps++], RMT_NAME_MAX, "%s", p->refs[r++]->name);
	for (i = 0; i < p->env.ntail; i++)
		snprintf(o->tails[o->ntails++], RMT_NAME_MAX, "%s", p->refs[r++]->name);
}

static void emb_fill_obj(struct rmtctl_obj *o, struct rmt_obj *ob, u32 cmd)
{
	struct rmt_table *t = (struct rmt_table *)ob;
	struct rmt_prog_obj *p = (struct rmt_prog_obj *)ob;
	struct rmt_model_obj *m = (struct rmt_model_obj *)ob;
	struct rmt_ctxmap_obj *c = (struct rmt_ctxmap_obj *)ob;

	switch (cmd) {
	case RMT_CMD_TABLE_GET:
		emb_fill_table(o, t);
		return;
	case RMT_CMD_STATS_GET:
		memset(o, 0, sizeof(*o));
		o->cmd = cmd;
		snprintf(o->name, sizeof(o->name), "%s", t->obj.name);
		o->hits = rmt_pcpu_sum(t->hits);
		o->misses = rmt_pcpu_sum(t->misses);
		o->run_ns = rmt_pcpu_sum(t->run_ns);
		o->errors = rmt_pcpu_sum(t->errors);
		o->p99_ns = rmt_table_p99(t, NULL);
		return;
	case RMT_CMD_PROG_GET:
		emb_fill_prog(o, p);
		return;
	case RMT_CMD_MODEL_GET:
		emb_fill(o, ob, cmd);
		o->tensors = m->model->ntensors;
		o->trees = m->model->ntrees;
		return;
	case RMT_CMD_CTXMAP_GET:
		emb_fill(o, ob, cmd);
		o->desc = *rmt_ctxmap_desc(c->map);
		o->count = rmt_ctxmap_count(c->map);
		o->drops = rmt_ctxmap_drops(c->map);
		return;
	}
}

static int emb_list(void *priv, u32 cmd, const char *table, rmtctl_obj_cb cb,
		    void *arg, struct rmtctl_error *e)
{
	static const u32 kinds[] = {
		[RMT_CMD_TABLE_GET] = RMT_OBJ_TABLE, [RMT_CMD_PROG_GET] = RMT_OBJ_PROG,
		[RMT_CMD_MODEL_GET] = RMT_OBJ_MODEL, [RMT_CMD_CTXMAP_GET] = RMT_OBJ_CTXMAP,
		[RMT_CMD_STATS_GET] = RMT_OBJ_TABLE,
	};
	struct emb *emb = priv;
	struct rmtctl_obj *o = calloc(1, sizeof(*o));
	struct rmt_obj *ob;
	int ret = 0;
	u32 id;

	if (!o)
		return e->err = -ENOMEM;
	if (cmd == RMT_CMD_ENTRY_GET) {
		ret = emb_list_entries(emb, table, cb, arg, o, e);
	} else if (cmd == RMT_CMD_HOOK_GET) {
		for (id = 0; rmt_hook_schema(id); id++) {
			emb_fill_hook(emb, o, id);
			if (cb(o, arg) < 0)
				break;
		}
	} else {
		for (ob = emb->st.objs[kinds[cmd]]; ob; ob = ob->next) {
			if (!rmt_alive(ob->born, ob->died, emb->st.generation))
				continue;
			emb_fill_obj(o, ob, cmd);
			if (cb(o, arg) < 0)
				break;
		}
	}
	free(o);
	return ret;
}

/* The kind of object a GET of one object reads, or RMT_OBJ_KINDS. */
static u32 emb_get_kind(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_TABLE_GET: return RMT_OBJ_TABLE;
	case RMT_CMD_PROG_GET: return RMT_OBJ_PROG;
	case RMT_CMD_MODEL_GET: return RMT_OBJ_MODEL;
	case RMT_CMD_CTXMAP_GET: return RMT_OBJ_CTXMAP;
	}
	return RMT_OBJ_KINDS;
}

/* A netlink attribute's size, header and padding included. */
static size_t emb_nla_size(size_t payload)
{
	return (4 + payload + 3) & ~(size_t)3;
}

/*
 * A program's machine code, refused as rmt.ko refuses it: when the
 * program is interpreted, and when it would not fit in the RMT_A_PROG
 * nest of rmt.ko's reply (kernel/genl_dump.c, rmt_get_size()).
 */
static int emb_get_jited(struct rmtctl_obj *o, const struct rmt_prog_obj *p,
			 struct rmtctl_error *e)
{
	const struct rmt_prog *prog = p->prog;
	size_t nest;

	o->jited = rmt_jit_code(prog, &o->jited_len, &o->jit_map);
	snprintf(e->where, sizeof(e->where), "%d/%d", RMT_A_PROG, RMT_A_PROG_JITED);
	if (!o->jited) {
		snprintf(e->msg, sizeof(e->msg),
			 "program %s is interpreted (tier %s): nothing to dump",
			 p->obj.name, rmt_jit_tier_name(prog->tier));
		return e->err = -ENODATA;
	}
	nest = 512 + emb_nla_size(prog->len * sizeof(struct rmt_insn)) +
	       emb_nla_size(o->jited_len) +
	       emb_nla_size((prog->len + 1) * sizeof(u32));
	if (nest > 65535) {	/* nla_len is 16 bits */
		snprintf(e->msg, sizeof(e->msg),
			 "program %s: %u bytes of machine code and %u instructions do not fit in one netlink attribute (64 KiB)",
			 p->obj.name, o->jited_len, prog->len);
		return e->err = -EMSGSIZE;
	}
	e->where[0] = '\0';
	return 0;
}

static int emb_get(void *priv, u32 cmd, const char *name, u32 flags,
		   rmtctl_obj_cb cb, void *arg, struct rmtctl_error *e)
{
	struct emb *emb = priv;
	struct rmtctl_obj *o;
	struct rmt_obj *ob = NULL;
	u32 kind = emb_get_kind(cmd);
	int ret = 0;

	if (kind != RMT_OBJ_KINDS)
		ob = rmt_store_find(&emb->st, kind, name, 0, emb->st.generation);
	if (!ob) {
		/* rmt.ko blames the object's nest: GET is its DEL plus one */
		snprintf(e->msg, sizeof(e->msg), "no such object");
		if (kind != RMT_OBJ_KINDS)
			snprintf(e->where, sizeof(e->where), "%d",
				 emb_obj_attr(cmd - 1));
		return e->err = -ENOENT;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return e->err = -ENOMEM;
	emb_fill_obj(o, ob, cmd);
	if (cmd == RMT_CMD_PROG_GET && (flags & RMTCTL_GET_JITED))
		ret = emb_get_jited(o, (struct rmt_prog_obj *)ob, e);
	if (!ret)
		cb(o, arg);
	free(o);
	return ret;
}

static int emb_test_run(void *priv, const char *name, bool table,
			const s64 *ctx, u32 nctx, u32 repeat,
			struct rmtctl_test *out, struct rmtctl_error *e)
{
	struct emb *emb = priv;
	struct rmt_test_run tr = { .ctx = out->ctx, .repeat = repeat };
	s64 in[RMT_MAX_CTX_FIELDS] = { 0 };
	u64 gen = emb->st.generation;
	struct rmt_table *t = NULL;
	struct rmt_obj *ob;

	ob = rmt_store_find(&emb->st, table ? RMT_OBJ_TABLE : RMT_OBJ_PROG,
			    name, 0, gen);
	if (!ob) {
		snprintf(e->msg, sizeof(e->msg), "no object of that name");
		snprintf(e->where, sizeof(e->where), "%d/%d", RMT_A_TEST,
			 table ? RMT_A_TEST_TABLE : RMT_A_TEST_PROG);
		return e->err = -ENOENT;
	}
	if (table)
		t = (struct rmt_table *)ob;
	tr.scratch = calloc(1, RMT_SCRATCH_SIZE);
	if (!tr.scratch)
		return e->err = -ENOMEM;
	memcpy(in, ctx, nctx * sizeof(s64));
	tr.in = in;
	tr.nfields = rmt_hook_schema(t ? t->hook :
				     ((struct rmt_prog_obj *)ob)->hook)->nfields;
	rmt_test_repeat(t ? NULL : ((struct rmt_prog_obj *)ob)->prog, t, gen, &tr);
	free(tr.scratch);
	out->ns = tr.ns;
	out->r0 = tr.r0;
	out->insns = tr.insns;
	out->err = tr.err;
	out->entry = tr.entry;
	out->table = table;
	out->ran = tr.ran;
	out->nfields = tr.nfields;
	return 0;
}

static int emb_monitor(void *priv, int count, bool json, struct rmtctl_error *e)
{
	snprintf(e->msg, sizeof(e->msg),
		 "monitor needs rmt.ko: the embedded backend has no other writers");
	return e->err = -EOPNOTSUPP;
}

static void emb_close(void *priv)
{
	struct emb *emb = priv;

	rmt_store_destroy(&emb->st);
	free(emb);
}

void *rmtctl_embedded_open(void)
{
	struct emb *emb = calloc(1, sizeof(*emb));

	if (emb)
		rmt_store_init(&emb->st);
	return emb;
}

const struct rmtctl_backend rmtctl_embedded_backend = {
	.name = "embedded",
	.commit = emb_commit,
	.list = emb_list,
	.get = emb_get,
	.test_run = emb_test_run,
	.monitor = emb_monitor,
	.close = emb_close,
};
