// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads: GET of one object and dumps of all, for tables, entries,
 * programs, models, context maps, hooks and per-table statistics.  Each
 * dump shows one generation; if a commit lands between two parts of a
 * dump, the netlink core flags it (NLM_F_DUMP_INTR) so the reader can
 * retry.
 */
#include "genl.h"
#include "../hooks/hook.h"

static int rmt_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, 0);
}

static int rmt_put_name_list(struct sk_buff *skb, int list, int item,
			     const char *const *names, u32 n)
{
	struct nlattr *nest = nla_nest_start(skb, list);
	u32 i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_string(skb, item, names[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int rmt_fill_table(struct sk_buff *skb, struct rmt_table *t)
{
	const struct rmt_hook_schema *hook = rmt_hook_schema(t->hook);
	const char *keys[RMT_MAX_KEY_FIELDS];
	u32 i;

	for (i = 0; i < t->nkeys; i++)
		keys[i] = hook->field_names[t->key_fields[i]];
	if (nla_put_string(skb, RMT_A_TABLE_NAME, t->obj.name) ||
	    rmt_put_u64(skb, RMT_A_TABLE_HANDLE, t->obj.handle) ||
	    nla_put_string(skb, RMT_A_TABLE_HOOK, hook->name) ||
	    rmt_put_name_list(skb, RMT_A_TABLE_KEY, RMT_A_TABLE_KEY_FIELD, keys,
			      t->nkeys) ||
	    nla_put_u8(skb, RMT_A_TABLE_MATCH, t->match) ||
	    nla_put_u32(skb, RMT_A_TABLE_SIZE, t->size) ||
	    nla_put_u32(skb, RMT_A_TABLE_ENTRIES, t->count) ||
	    (t->dflt && nla_put_string(skb, RMT_A_TABLE_DEFAULT, t->dflt->obj.name)) ||
	    (t->latency_ns && nla_put_u64_64bit(skb, RMT_A_TABLE_LATENCY, t->latency_ns,
						RMT_A_TABLE_PAD)) ||
	    nla_put_u8(skb, RMT_A_TABLE_STATE, READ_ONCE(t->tripped)))
		return -EMSGSIZE;
	return 0;
}

/* What a reply carries beyond an object's summary. */
#define RMT_FILL_FULL	0x1	/* a GET: a program's instructions */
#define RMT_FILL_JITED	0x2	/* and its machine code (RMT_A_PROG_JITED) */

/* The machine code and, per instruction and for the epilogue, its offset. */
static int rmt_fill_jited(struct sk_buff *skb, const struct rmt_prog *prog)
{
	const u32 *off;
	const u8 *code;
	u32 len;

	code = rmt_jit_code(prog, &len, &off);
	if (!code)
		return -EMSGSIZE;	/* checked by rmt_genl_get() */
	if (nla_put(skb, RMT_A_PROG_JITED, len, code) ||
	    nla_put(skb, RMT_A_PROG_JIT_MAP, (prog->len + 1) * sizeof(u32), off))
		return -EMSGSIZE;
	return 0;
}

/*
 * Instructions go only into GET replies, sized for them (and machine
 * code only when asked); dumps list.
 */
static int rmt_fill_prog(struct sk_buff *skb, struct rmt_prog_obj *p, u32 what)
{
	const struct rmt_prog *prog = p->prog;

	if (nla_put_string(skb, RMT_A_PROG_NAME, p->obj.name) ||
	    rmt_put_u64(skb, RMT_A_PROG_HANDLE, p->obj.handle) ||
	    nla_put_string(skb, RMT_A_PROG_HOOK, rmt_hook_schema(p->hook)->name) ||
	    ((what & RMT_FILL_FULL) &&
	     nla_put(skb, RMT_A_PROG_INSNS, prog->len * sizeof(struct rmt_insn),
		     prog->insns)) ||
	    rmt_put_u64(skb, RMT_A_PROG_BUDGET, prog->budget) ||
	    rmt_put_u64(skb, RMT_A_PROG_COST, prog->cost) ||
	    rmt_put_u64(skb, RMT_A_PROG_MAX_INSNS, prog->max_insns) ||
	    nla_put_u8(skb, RMT_A_PROG_JIT, prog->tier) ||
	    nla_put_string(skb, RMT_A_PROG_JIT_REASON, prog->jit_reason) ||
	    ((what & RMT_FILL_JITED) && rmt_fill_jited(skb, prog)))
		return -EMSGSIZE;
	return 0;
}

/*
 * A bound on the RMT_A_PROG nest of a GET reply: everything but the
 * instructions and the machine code fits in the first term.
 */
static size_t rmt_prog_nest_size(const struct rmt_prog *prog, u32 code_len)
{
	size_t n = 512 + nla_total_size(prog->len * sizeof(struct rmt_insn));

	if (code_len)
		n += nla_total_size(code_len) +
		     nla_total_size((prog->len + 1) * sizeof(u32));
	return n;
}

static int rmt_fill_model(struct sk_buff *skb, struct rmt_model_obj *m)
{
	if (nla_put_string(skb, RMT_A_MODEL_NAME, m->obj.name) ||
	    rmt_put_u64(skb, RMT_A_MODEL_HANDLE, m->obj.handle) ||
	    nla_put_u32(skb, RMT_A_MODEL_TENSORS, m->model->ntensors) ||
	    nla_put_u32(skb, RMT_A_MODEL_TREES, m->model->ntrees))
		return -EMSGSIZE;
	return 0;
}

static int rmt_fill_ctxmap(struct sk_buff *skb, struct rmt_ctxmap_obj *c)
{
	if (nla_put_string(skb, RMT_A_CTXMAP_NAME, c->obj.name) ||
	    rmt_put_u64(skb, RMT_A_CTXMAP_HANDLE, c->obj.handle) ||
	    nla_put(skb, RMT_A_CTXMAP_DESC, sizeof(struct rmt_ctxmap_desc),
		    rmt_ctxmap_desc(c->map)) ||
	    nla_put_u32(skb, RMT_A_CTXMAP_COUNT, rmt_ctxmap_count(c->map)) ||
	    rmt_put_u64(skb, RMT_A_CTXMAP_DROPS, rmt_ctxmap_drops(c->map)))
		return -EMSGSIZE;
	return 0;
}

static int rmt_fill_stats(struct sk_buff *skb, struct rmt_table *t)
{
	if (nla_put_string(skb, RMT_A_STATS_TABLE, t->obj.name) ||
	    rmt_put_u64(skb, RMT_A_STATS_HITS, rmt_pcpu_sum(t->hits)) ||
	    rmt_put_u64(skb, RMT_A_STATS_MISSES, rmt_pcpu_sum(t->misses)) ||
	    rmt_put_u64(skb, RMT_A_STATS_RUN_NS, rmt_pcpu_sum(t->run_ns)) ||
	    rmt_put_u64(skb, RMT_A_STATS_ERRORS, rmt_pcpu_sum(t->errors)) ||
	    nla_put_u64_64bit(skb, RMT_A_STATS_P99_NS, rmt_table_p99(t, NULL),
			      RMT_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

static u32 rmt_hook_tables(u32 hook)
{
	struct rmt_obj *o;
	u32 n = 0;

	for (o = rmt_store.objs[RMT_OBJ_TABLE]; o; o = o->next)
		if (rmt_alive(o->born, o->died, rmt_store.generation) &&
		    ((struct rmt_table *)o)->hook == hook)
			n++;
	return n;
}

static int rmt_put_hook_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, RMT_A_HOOK_PAD);
}

/*
 * Where a hook point is attached (or why not) and its counters; the
 * test hook has no kernel site, so no counters.
 */
static int rmt_fill_hook_site(struct sk_buff *skb, u32 id)
{
	const struct rmt_hook_site *site = rmt_hook_site(id);
	struct rmt_hook_stats st;

	if (!site)
		return nla_put_string(skb, RMT_A_HOOK_STATUS, "no kernel site");
	if (site->attached[0]) {
		if (nla_put_string(skb, RMT_A_HOOK_ATTACHED, site->attached))
			return -EMSGSIZE;
	} else if (nla_put_string(skb, RMT_A_HOOK_STATUS,
				  site->why[0] ? site->why : "not attached")) {
		return -EMSGSIZE;
	}
	rmt_hook_stats_sum(site, &st);
	if (rmt_put_hook_u64(skb, RMT_A_HOOK_FIRES, st.fires) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_DECIDED, st.decided) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_DEFAULTS, st.defaults) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_ERRORS, st.errors) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_PAGES, st.pages) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_HITS, st.hits) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_DROPPED, st.dropped))
		return -EMSGSIZE;
	return 0;
}

static int rmt_fill_hook(struct sk_buff *skb, u32 id)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(id);

	if (nla_put_string(skb, RMT_A_HOOK_NAME, h->name) ||
	    nla_put_u32(skb, RMT_A_HOOK_ID, id) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_BUDGET, h->budget) ||
	    rmt_put_name_list(skb, RMT_A_HOOK_FIELDS, RMT_A_HOOK_FIELD,
			      h->field_names, h->nfields) ||
	    rmt_put_hook_u64(skb, RMT_A_HOOK_WRITABLE, h->writable) ||
	    nla_put_u32(skb, RMT_A_HOOK_TABLES, rmt_hook_tables(id)) ||
	    nla_put_string(skb, RMT_A_HOOK_VERDICT, h->verdict) ||
	    nla_put_string(skb, RMT_A_HOOK_FALLBACK, h->fallback) ||
	    rmt_fill_hook_site(skb, id))
		return -EMSGSIZE;
	return 0;
}

static int rmt_fill_entry(struct sk_buff *skb, struct rmt_table *t,
			  struct rmt_entry *e)
{
	u32 n = t->nkeys * sizeof(s64);

	if (nla_put_string(skb, RMT_A_ENTRY_TABLE, t->obj.name) ||
	    rmt_put_u64(skb, RMT_A_ENTRY_HANDLE, e->handle) ||
	    nla_put(skb, RMT_A_ENTRY_KEY, n, e->key) ||
	    (t->match == RMT_MATCH_TERNARY &&
	     nla_put(skb, RMT_A_ENTRY_MASK, n, e->mask)) ||
	    (t->match == RMT_MATCH_RANGE &&
	     nla_put(skb, RMT_A_ENTRY_KEY_HI, n, e->key_hi)) ||
	    (t->match == RMT_MATCH_LPM &&
	     nla_put_u8(skb, RMT_A_ENTRY_PREFIX, e->prefix)) ||
	    nla_put_u32(skb, RMT_A_ENTRY_PRIORITY, e->priority) ||
	    nla_put_string(skb, RMT_A_ENTRY_PROG, e->prog->obj.name) ||
	    (e->nparams && nla_put(skb, RMT_A_ENTRY_PARAMS,
				   e->nparams * sizeof(s64), e->params)) ||
	    rmt_put_u64(skb, RMT_A_ENTRY_HITS, rmt_pcpu_sum(e->hits)))
		return -EMSGSIZE;
	return 0;
}

struct rmt_dump_kind {
	u32 cmd;
	u32 kind;		/* object list, or RMT_OBJ_KINDS for none */
	int attr;		/* nest in the message */
	int (*fill)(struct sk_buff *skb, struct rmt_obj *o, u32 what);
};

static int rmt_fill_table_obj(struct sk_buff *skb, struct rmt_obj *o, u32 what)
{
	return rmt_fill_table(skb, (struct rmt_table *)o);
}

static int rmt_fill_prog_obj(struct sk_buff *skb, struct rmt_obj *o, u32 what)
{
	return rmt_fill_prog(skb, (struct rmt_prog_obj *)o, what);
}

static int rmt_fill_model_obj(struct sk_buff *skb, struct rmt_obj *o, u32 what)
{
	return rmt_fill_model(skb, (struct rmt_model_obj *)o);
}

static int rmt_fill_ctxmap_obj(struct sk_buff *skb, struct rmt_obj *o, u32 what)
{
	return rmt_fill_ctxmap(skb, (struct rmt_ctxmap_obj *)o);
}

static int rmt_fill_stats_obj(struct sk_buff *skb, struct rmt_obj *o, u32 what)
{
	return rmt_fill_stats(skb, (struct rmt_table *)o);
}

static const struct rmt_dump_kind rmt_dump_kinds[] = {
	{ RMT_CMD_TABLE_GET, RMT_OBJ_TABLE, RMT_A_TABLE, rmt_fill_table_obj },
	{ RMT_CMD_PROG_GET, RMT_OBJ_PROG, RMT_A_PROG, rmt_fill_prog_obj },
	{ RMT_CMD_MODEL_GET, RMT_OBJ_MODEL, RMT_A_MODEL, rmt_fill_model_obj },
	{ RMT_CMD_CTXMAP_GET, RMT_OBJ_CTXMAP, RMT_A_CTXMAP, rmt_fill_ctxmap_obj },
	{ RMT_CMD_STATS_GET, RMT_OBJ_TABLE, RMT_A_STATS, rmt_fill_stats_obj },
	{ RMT_CMD_HOOK_GET, RMT_OBJ_KINDS, RMT_A_HOOK, NULL },
	{ RMT_CMD_ENTRY_GET, RMT_OBJ_KINDS, RMT_A_ENTRY, NULL },
};

static const struct rmt_dump_kind *rmt_dump_kind(u32 cmd)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(rmt_dump_kinds); i++)
		if (rmt_dump_kinds[i].cmd == cmd)
			return &rmt_dump_kinds[i];
	return NULL;
}

/* One message holding one object's nest; @what: RMT_FILL_*. */
static int rmt_put_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       const struct rmt_dump_kind *k, struct rmt_obj *o,
		       u32 what, u32 hook, struct rmt_table *t,
		       struct rmt_entry *e)
{
	void *hdr = genlmsg_put(skb, portid, seq, &rmt_genl_family, flags, k->cmd);
	struct nlattr *nest;
	int err;

	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, k->attr);
	if (!nest)
		goto cancel;
	if (k->cmd == RMT_CMD_HOOK_GET)
		err = rmt_fill_hook(skb, hook);
	else if (k->cmd == RMT_CMD_ENTRY_GET)
		err = rmt_fill_entry(skb, t, e);
	else
		err = k->fill(skb, o, what);
	if (err)
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The table an entry dump or a stats request names, if any. */
static const char *rmt_dump_table_name(struct nlattr **attrs, int attr, int type)
{
	struct nlattr *tb[RMT_GENL_OBJ_MAX + 1];
	const struct nla_policy *pol = attr == RMT_A_ENTRY ? rmt_entry_policy :
				       rmt_stats_policy;
	int max = attr == RMT_A_ENTRY ? RMT_A_ENTRY_MAX : RMT_A_STATS_MAX;

	if (!attrs || !attrs[attr] ||
	    nla_parse_nested(tb, max, attrs[attr], pol, NULL) || !tb[type])
		return NULL;
	return nla_data(tb[type]);
}

static int rmt_dump_entries(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct rmt_dump_kind *k, struct rmt_table *t)
{
	u64 gen = rmt_store.generation;
	struct rmt_entry *e;
	long idx = 0, skip = cb->args[0];
	u32 b;

	for (b = 0; b <= t->nbuckets; b++) {
		e = b < t->nbuckets ? (t->buckets ? t->buckets[b] : NULL) :
				      t->list;
		for (; e; e = e->next) {
			if (!rmt_alive(e->born, e->died, gen) || idx++ < skip)
				continue;
			if (rmt_put_msg(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, k, NULL, 0,
					0, t, e))
				return idx - 1;
		}
	}
	return idx;
}

/**
 * rmt_genl_dump() - dumpit of every GET command
 * @skb: the message being filled
 * @cb: dump state; args[0] counts what was sent
 *
 * Return: skb->len while there is more, 0 at the end.
 */
int rmt_genl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	const struct rmt_dump_kind *k = rmt_dump_kind(info->op.cmd);
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	long idx = 0, skip = cb->args[0];
	struct rmt_obj *o;
	const char *name;
	u64 gen;

	if (!k)
		return -EOPNOTSUPP;
	mutex_lock(&rmt_store_lock);
	gen = rmt_store.generation;
	cb->seq = (u32)gen;
	if (k->cmd == RMT_CMD_ENTRY_GET) {
		name = rmt_dump_table_name(info->attrs, RMT_A_ENTRY, RMT_A_ENTRY_TABLE);
		o = name ? rmt_store_find(&rmt_store, RMT_OBJ_TABLE, name, 0, gen) : NULL;
		if (!o) {
			mutex_unlock(&rmt_store_lock);
			NL_SET_ERR_MSG(cb->extack, "name an existing table in RMT_A_ENTRY_TABLE");
			return -ENOENT;
		}
		idx = rmt_dump_entries(skb, cb, k, (struct rmt_table *)o);
	} else if (k->cmd == RMT_CMD_HOOK_GET) {
		for (; rmt_hook_schema(idx); idx++)
			if (idx >= skip && rmt_put_msg(skb, portid, seq, NLM_F_MULTI,
						       k, NULL, 0, idx, NULL, NULL))
				break;
	} else {
		for (o = rmt_store.objs[k->kind]; o; o = o->next) {
			if (!rmt_alive(o->born, o->died, gen) || idx++ < skip)
				continue;
			if (rmt_put_msg(skb, portid, seq, NLM_F_MULTI, k, o, 0, 0,
					NULL, NULL)) {
				idx--;
				break;
			}
		}
	}
	nl_dump_check_consistent(cb, nlmsg_hdr(skb));
	mutex_unlock(&rmt_store_lock);
	if (idx == skip)
		return 0;	/* nothing new: done */
	cb->args[0] = idx;
	return skb->len;
}

/*
 * What a GET reply for @o needs beyond NLMSG_GOODSIZE, or why there is
 * none (in @why, for an RMT_CMD_ERROR reply): RMT_A_PROG_JITED asked for
 * the machine code of an interpreted program, or for more of it than
 * one RMT_A_PROG nest (64 KiB, with the instructions) can hold.
 */
static int rmt_get_size(struct rmt_obj *o, u32 what, size_t *extra,
			char *why, size_t size)
{
	const struct rmt_prog *prog;
	const u32 *off;
	u32 len = 0;

	*extra = 0;
	if (o->kind != RMT_OBJ_PROG)
		return 0;
	prog = ((struct rmt_prog_obj *)o)->prog;
	if ((what & RMT_FILL_JITED) && !rmt_jit_code(prog, &len, &off)) {
		snprintf(why, size,
			 "program %s is interpreted (tier %s): nothing to dump",
			 o->name, rmt_jit_tier_name(prog->tier));
		return -ENODATA;
	}
	*extra = rmt_prog_nest_size(prog, len);
	if (*extra > U16_MAX) {
		snprintf(why, size,
			 "program %s: %u bytes of machine code and %u instructions do not fit in one netlink attribute (64 KiB)",
			 o->name, len, prog->len);
		return -EMSGSIZE;
	}
	return 0;
}

/**
 * rmt_genl_get() - doit of GET: one object by name or handle
 * @skb: the request
 * @info: its attributes; a PROG_GET with RMT_A_PROG_JITED also asks for
 *	the program's machine code and its RMT_A_PROG_JIT_MAP
 *
 * Return: 0 with the reply sent, or a negative errno.
 */
int rmt_genl_get(struct sk_buff *skb, struct genl_info *info)
{
	u32 cmd = info->genlhdr->cmd, what = RMT_FILL_FULL;
	const struct rmt_dump_kind *k = rmt_dump_kind(cmd);
	struct rmt_genl_req *req;
	struct sk_buff *msg = NULL;
	struct rmt_obj *o;
	char why[160] = "";
	size_t extra = 0;
	int ret;

	if (!k || k->kind == RMT_OBJ_KINDS || cmd == RMT_CMD_STATS_GET) {
		NL_SET_ERR_MSG(info->extack, "this command only dumps (NLM_F_DUMP)");
		return -EOPNOTSUPP;
	}
	req = kvzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	/* GET selects like DEL does: by name or handle. */
	ret = rmt_genl_decode(cmd - 1, info->attrs, req, info->extack);
	if (ret)
		goto out;
	if (cmd == RMT_CMD_PROG_GET && req->tb[RMT_A_PROG_JITED])
		what |= RMT_FILL_JITED;
	mutex_lock(&rmt_store_lock);
	o = rmt_store_find(&rmt_store, k->kind, req->op.name, req->op.handle,
			   rmt_store.generation);
	ret = o ? rmt_get_size(o, what, &extra, why, sizeof(why)) : -ENOENT;
	if (!ret) {
		msg = genlmsg_new(NLMSG_GOODSIZE + extra, GFP_KERNEL);
		ret = msg ? rmt_put_msg(msg, info->snd_portid, info->snd_seq, 0,
					k, o, what, 0, NULL, NULL) : -ENOMEM;
	}
	mutex_unlock(&rmt_store_lock);
	if (ret) {
		nlmsg_free(msg);
		if (ret == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack, req->nest, "no such object");
		if (why[0])
			rmt_genl_error_reply(info, -1, NULL, why);
		if (ret == -ENODATA)
			NL_SET_ERR_MSG_ATTR(info->extack, req->tb[RMT_A_PROG_JITED],
					    "the program is interpreted: no machine code to dump");
		else if (why[0])
			NL_SET_ERR_MSG_ATTR(info->extack, req->tb[RMT_A_PROG_JITED],
					    "the machine code does not fit in one netlink attribute");
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	kvfree(req);
	return ret;
}
