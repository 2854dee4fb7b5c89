// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netlink backend: store operations encoded as "rmt" family
 * requests (one command, or RMT_CMD_BATCH for several), replies decoded
 * into object views.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "backend.h"
#include "rmtctl.h"
#include "nl.h"

static void nl_put_names(struct nlmsghdr *nlh, int list, int item,
			 char (*names)[RMT_NAME_MAX], u32 n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, list);
	u32 i;

	for (i = 0; i < n; i++)
		mnl_attr_put_strz(nlh, item, names[i]);
	mnl_attr_nest_end(nlh, nest);
}

static void nl_put_select(struct nlmsghdr *nlh, const struct rmt_op *op,
			  int name, int handle)
{
	if (op->name[0])
		mnl_attr_put_strz(nlh, name, op->name);
	else
		mnl_attr_put_u64(nlh, handle, op->handle);
}

static void nl_put_table(struct nlmsghdr *nlh, const struct rmt_op *op)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, RMT_A_TABLE);

	if (op->cmd == RMT_CMD_TABLE_DEL) {
		nl_put_select(nlh, op, RMT_A_TABLE_NAME, RMT_A_TABLE_HANDLE);
	} else {
		mnl_attr_put_strz(nlh, RMT_A_TABLE_NAME, op->name);
		mnl_attr_put_strz(nlh, RMT_A_TABLE_HOOK,
				  rmt_hook_schema(op->table.hook)->name);
		nl_put_names(nlh, RMT_A_TABLE_KEY, RMT_A_TABLE_KEY_FIELD,
			     (char (*)[RMT_NAME_MAX])op->table.keys, op->table.nkeys);
		mnl_attr_put_u8(nlh, RMT_A_TABLE_MATCH, op->table.match);
		mnl_attr_put_u32(nlh, RMT_A_TABLE_SIZE, op->table.size);
		if (op->table.dflt[0])
			mnl_attr_put_strz(nlh, RMT_A_TABLE_DEFAULT, op->table.dflt);
		if (op->table.latency_ns)
			mnl_attr_put_u64(nlh, RMT_A_TABLE_LATENCY, op->table.latency_ns);
	}
	mnl_attr_nest_end(nlh, n);
}

static void nl_put_entry(struct nlmsghdr *nlh, const struct rmt_op *op)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, RMT_A_ENTRY);

	mnl_attr_put_strz(nlh, RMT_A_ENTRY_TABLE, op->name);
	if (op->cmd == RMT_CMD_ENTRY_DEL) {
		mnl_attr_put_u64(nlh, RMT_A_ENTRY_HANDLE, op->handle);
	} else {
		mnl_attr_put(nlh, RMT_A_ENTRY_KEY, op->entry.nkey * 8, op->entry.key);
		if (op->entry.nmask)
			mnl_attr_put(nlh, RMT_A_ENTRY_MASK, op->entry.nmask * 8,
				     op->entry.mask);
		if (op->entry.nkey_hi)
			mnl_attr_put(nlh, RMT_A_ENTRY_KEY_HI, op->entry.nkey_hi * 8,
				     op->entry.key_hi);
		if (op->entry.has_prefix)
			mnl_attr_put_u8(nlh, RMT_A_ENTRY_PREFIX, op->entry.prefix);
		if (op->entry.priority)
			mnl_attr_put_u32(nlh, RMT_A_ENTRY_PRIORITY, op->entry.priority);
		mnl_attr_put_strz(nlh, RMT_A_ENTRY_PROG, op->entry.prog);
		if (op->entry.nparams)
			mnl_attr_put(nlh, RMT_A_ENTRY_PARAMS, op->entry.nparams * 8,
				     op->entry.params);
	}
	mnl_attr_nest_end(nlh, n);
}

static void nl_put_prog(struct nlmsghdr *nlh, const struct rmt_op *op)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, RMT_A_PROG);

	if (op->cmd == RMT_CMD_PROG_DEL) {
		nl_put_select(nlh, op, RMT_A_PROG_NAME, RMT_A_PROG_HANDLE);
	} else {
		mnl_attr_put_strz(nlh, RMT_A_PROG_NAME, op->name);
		mnl_attr_put_strz(nlh, RMT_A_PROG_HOOK,
				  rmt_hook_schema(op->prog.hook)->name);
		mnl_attr_put(nlh, RMT_A_PROG_INSNS,
			     op->prog.len * sizeof(struct rmt_insn), op->prog.insns);
		if (op->prog.model[0])
			mnl_attr_put_strz(nlh, RMT_A_PROG_MODEL, op->prog.model);
		if (op->prog.nmaps)
			nl_put_names(nlh, RMT_A_PROG_CTXMAPS, RMT_A_PROG_REF,
				     (char (*)[RMT_NAME_MAX])op->prog.maps,
				     op->prog.nmaps);
		if (op->prog.ntails)
			nl_put_names(nlh, RMT_A_PROG_TAILS, RMT_A_PROG_REF,
				     (char (*)[RMT_NAME_MAX])op->prog.tails,
				     op->prog.ntails);
		if (op->prog.has_budget)
			mnl_attr_put_u64(nlh, RMT_A_PROG_BUDGET, op->prog.budget);
		if (op->prog.jit != RMT_JIT_AUTO)
			mnl_attr_put_u8(nlh, RMT_A_PROG_JIT, op->prog.jit);
	}
	mnl_attr_nest_end(nlh, n);
}

static void nl_put_other(struct nlmsghdr *nlh, const struct rmt_op *op)
{
	bool model = op->cmd == RMT_CMD_MODEL_NEW || op->cmd == RMT_CMD_MODEL_DEL;
	struct nlattr *n = mnl_attr_nest_start(nlh, model ? RMT_A_MODEL :
					       RMT_A_CTXMAP);

	if (op->cmd == RMT_CMD_MODEL_NEW) {
		mnl_attr_put_strz(nlh, RMT_A_MODEL_NAME, op->name);
		mnl_attr_put(nlh, RMT_A_MODEL_BLOB, op->model.len, op->model.blob);
	} else if (op->cmd == RMT_CMD_CTXMAP_NEW) {
		mnl_attr_put_strz(nlh, RMT_A_CTXMAP_NAME, op->name);
		mnl_attr_put(nlh, RMT_A_CTXMAP_DESC, sizeof(op->ctxmap), &op->ctxmap);
	} else {
		/* NAME is 1 and HANDLE 2 in every object enum */
		nl_put_select(nlh, op, 1, 2);
	}
	mnl_attr_nest_end(nlh, n);
}

/* The top-level attributes of one operation. */
static void nl_put_op(struct nlmsghdr *nlh, const struct rmt_op *op)
{
	switch (op->cmd) {
	case RMT_CMD_TABLE_NEW: case RMT_CMD_TABLE_DEL:
		nl_put_table(nlh, op);
		break;
	case RMT_CMD_ENTRY_NEW: case RMT_CMD_ENTRY_DEL:
		nl_put_entry(nlh, op);
		break;
	case RMT_CMD_PROG_NEW: case RMT_CMD_PROG_DEL:
		nl_put_prog(nlh, op);
		break;
	default:
		nl_put_other(nlh, op);
	}
}

static size_t nl_op_size(const struct rmt_op *op)
{
	size_t n = 1024;

	if (op->cmd == RMT_CMD_PROG_NEW)
		n += op->prog.len * sizeof(struct rmt_insn);
	if (op->cmd == RMT_CMD_MODEL_NEW)
		n += op->model.len;
	return n;
}

struct nl_write_reply {
	struct rmt_op *op;
	u64 *gen;
};

static int nl_write_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_write_reply *r = arg;
	const struct nlattr *tb[RMT_A_MAX + 1], *obj[3];
	int a;

	rmt_nl_parse_top(nlh, tb, RMT_A_MAX);
	if (tb[RMT_A_GENERATION])
		*r->gen = mnl_attr_get_u64(tb[RMT_A_GENERATION]);
	for (a = RMT_A_TABLE; r->op && a <= RMT_A_CTXMAP; a++) {
		if (!tb[a])
			continue;
		rmt_nl_parse_nest(tb[a], obj, 2);
		if (obj[2])
			r->op->out_handle = mnl_attr_get_u64(obj[2]);
	}
	return MNL_CB_OK;
}

static void nl_error(struct rmt_nl *nl, int ret, struct rmtctl_error *e)
{
	e->err = ret;
	if (!nl->msg[0] && ret == -EPERM)
		snprintf(nl->msg, sizeof(nl->msg),
			 "Operation not permitted: reading needs CAP_NET_ADMIN, changing needs CAP_SYS_ADMIN");
	snprintf(e->msg, sizeof(e->msg), "%s", nl->msg[0] ? nl->msg : strerror(-ret));
	snprintf(e->where, sizeof(e->where), "%s", nl->where);
}

static int nl_commit(void *priv, struct rmt_op *ops, u32 n, u64 *gen,
		     struct rmtctl_error *e)
{
	struct rmt_nl *nl = priv;
	struct nl_write_reply r = { n == 1 ? ops : NULL, gen };
	struct nlmsghdr *nlh;
	struct nlattr *opn, *attrs;
	size_t size = 4096;
	char *buf, *saved = nl->buf;
	int ret, sndbuf;
	u32 i;

	for (i = 0; i < n; i++)
		size += nl_op_size(&ops[i]);
	buf = calloc(1, size);
	if (!buf)
		return e->err = -ENOMEM;
	nl->buf = buf;
	if (n == 1) {
		nlh = rmt_nl_request(nl, ops[0].cmd, 0);
		nl_put_op(nlh, &ops[0]);
	} else {
		/* top-level RMT_A_OP: a nest could not exceed 64 KiB */
		nlh = rmt_nl_request(nl, RMT_CMD_BATCH, 0);
		for (i = 0; i < n; i++) {
			opn = mnl_attr_nest_start(nlh, RMT_A_OP);
			mnl_attr_put_u8(nlh, RMT_A_OP_CMD, ops[i].cmd);
			attrs = mnl_attr_nest_start(nlh, RMT_A_OP_ATTRS);
			nl_put_op(nlh, &ops[i]);
			mnl_attr_nest_end(nlh, attrs);
			mnl_attr_nest_end(nlh, opn);
		}
	}
	/* A long batch is one message: let the socket send it whole. */
	sndbuf = (int)nlh->nlmsg_len + 65536;
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUFFORCE,
		       &sndbuf, sizeof(sndbuf)))
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUF,
			   &sndbuf, sizeof(sndbuf));
	ret = rmt_nl_talk(nl, nlh, nl_write_cb, &r);
	if (ret) {
		nl_error(nl, ret, e);
		/* a lone command is not a batch: the kernel names no op */
		e->op = nl->err_op >= 0 ? nl->err_op : n == 1 ? 0 : -1;
		e->insn = nl->err_insn;
	}
	nl->buf = saved;
	free(buf);
	return ret;
}

_Static_assert(RMT_A_HOOK_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_TABLE_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_ENTRY_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_PROG_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_MODEL_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_CTXMAP_MAX <= RMT_GENL_MAX_NEST &&
	       RMT_A_STATS_MAX <= RMT_GENL_MAX_NEST,
	       "RMT_GENL_MAX_NEST must cover every object's attributes");

/* A string attribute into @dst (@size bytes), cut short if need be. */
static void nl_copy_text(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		snprintf(dst, size, "%s", mnl_attr_get_str(a));
}

static void nl_copy_str(char *dst, const struct nlattr *a)
{
	nl_copy_text(dst, RMT_NAME_MAX, a);
}

static u32 nl_copy_array(void *dst, const struct nlattr *a, u32 max)
{
	u32 n;

	if (!a)
		return 0;
	n = mnl_attr_get_payload_len(a) / 8;
	n = n > max ? max : n;
	memcpy(dst, mnl_attr_get_payload(a), n * 8);
	return n;
}

static u32 nl_copy_names(char (*dst)[RMT_NAME_MAX], const struct nlattr *list,
			 u32 max)
{
	const struct nlattr *a;
	u32 n = 0;

	if (!list)
		return 0;
	mnl_attr_for_each_nested(a, list)
		if (n < max)
			snprintf(dst[n++], RMT_NAME_MAX, "%s", mnl_attr_get_str(a));
	return n;
}

#define U64(tb, i)	((tb)[i] ? mnl_attr_get_u64((tb)[i]) : 0)
#define U32(tb, i)	((tb)[i] ? mnl_attr_get_u32((tb)[i]) : 0)

/* Machine code and its map, if the reply has both and they agree. */
static void nl_decode_jited(const struct nlattr **tb, struct rmtctl_obj *o)
{
	const struct nlattr *code = tb[RMT_A_PROG_JITED];
	const struct nlattr *map = tb[RMT_A_PROG_JIT_MAP];

	if (!code || !map || !o->prog_insns ||
	    mnl_attr_get_payload_len(map) != (o->insns + 1) * sizeof(u32))
		return;
	o->jited = mnl_attr_get_payload(code);
	o->jited_len = mnl_attr_get_payload_len(code);
	o->jit_map = mnl_attr_get_payload(map);
}

static void nl_decode(u32 cmd, const struct nlattr *nest, struct rmtctl_obj *o)
{
	const struct nlattr *tb[RMT_GENL_MAX_NEST + 1];

	rmt_nl_parse_nest(nest, tb, RMT_GENL_MAX_NEST);
	o->cmd = cmd;
	switch (cmd) {
	case RMT_CMD_TABLE_GET:
		nl_copy_str(o->name, tb[RMT_A_TABLE_NAME]);
		o->handle = U64(tb, RMT_A_TABLE_HANDLE);
		nl_copy_str(o->hook, tb[RMT_A_TABLE_HOOK]);
		o->nkeys = nl_copy_names(o->keys, tb[RMT_A_TABLE_KEY], RMT_MAX_KEY_FIELDS);
		o->match = tb[RMT_A_TABLE_MATCH] ? mnl_attr_get_u8(tb[RMT_A_TABLE_MATCH]) : 0;
		o->size = U32(tb, RMT_A_TABLE_SIZE);
		o->entries = U32(tb, RMT_A_TABLE_ENTRIES);
		nl_copy_str(o->dflt, tb[RMT_A_TABLE_DEFAULT]);
		o->latency = U64(tb, RMT_A_TABLE_LATENCY);
		o->state = tb[RMT_A_TABLE_STATE] ? mnl_attr_get_u8(tb[RMT_A_TABLE_STATE]) : 0;
		break;
	case RMT_CMD_ENTRY_GET:
		nl_copy_str(o->table, tb[RMT_A_ENTRY_TABLE]);
		o->handle = U64(tb, RMT_A_ENTRY_HANDLE);
		o->nkey = nl_copy_array(o->key, tb[RMT_A_ENTRY_KEY], RMT_MAX_KEY_FIELDS);
		nl_copy_array(o->mask, tb[RMT_A_ENTRY_MASK], RMT_MAX_KEY_FIELDS);
		nl_copy_array(o->key_hi, tb[RMT_A_ENTRY_KEY_HI], RMT_MAX_KEY_FIELDS);
		o->prefix = tb[RMT_A_ENTRY_PREFIX] ? mnl_attr_get_u8(tb[RMT_A_ENTRY_PREFIX]) : 0;
		o->priority = U32(tb, RMT_A_ENTRY_PRIORITY);
		nl_copy_str(o->prog, tb[RMT_A_ENTRY_PROG]);
		o->nparams = nl_copy_array(o->params, tb[RMT_A_ENTRY_PARAMS], RMT_MAX_PARAMS);
		o->hits = U64(tb, RMT_A_ENTRY_HITS);
		/* the kernel sends only the match fields of the table's kind */
		o->match = tb[RMT_A_ENTRY_MASK] ? RMT_MATCH_TERNARY :
			   tb[RMT_A_ENTRY_KEY_HI] ? RMT_MATCH_RANGE :
			   tb[RMT_A_ENTRY_PREFIX] ? RMT_MATCH_LPM : RMT_MATCH_EXACT;
		break;
	case RMT_CMD_PROG_GET:
		nl_copy_str(o->name, tb[RMT_A_PROG_NAME]);
		o->handle = U64(tb, RMT_A_PROG_HANDLE);
		nl_copy_str(o->hook, tb[RMT_A_PROG_HOOK]);
		o->cost = U64(tb, RMT_A_PROG_COST);
		if (tb[RMT_A_PROG_INSNS]) {	/* GET replies only */
			o->prog_insns = mnl_attr_get_payload(tb[RMT_A_PROG_INSNS]);
			o->insns = mnl_attr_get_payload_len(tb[RMT_A_PROG_INSNS]) /
				   sizeof(struct rmt_insn);
		}
		o->max_insns = U64(tb, RMT_A_PROG_MAX_INSNS);
		o->budget = U64(tb, RMT_A_PROG_BUDGET);
		o->jit = tb[RMT_A_PROG_JIT] ? mnl_attr_get_u8(tb[RMT_A_PROG_JIT]) :
			 RMT_JIT_INTERP;
		nl_copy_text(o->jit_reason, sizeof(o->jit_reason),
			     tb[RMT_A_PROG_JIT_REASON]);
		nl_decode_jited(tb, o);
		break;
	case RMT_CMD_MODEL_GET:
		nl_copy_str(o->name, tb[RMT_A_MODEL_NAME]);
		o->handle = U64(tb, RMT_A_MODEL_HANDLE);
		o->tensors = U32(tb, RMT_A_MODEL_TENSORS);
		o->trees = U32(tb, RMT_A_MODEL_TREES);
		break;
	case RMT_CMD_CTXMAP_GET:
		nl_copy_str(o->name, tb[RMT_A_CTXMAP_NAME]);
		o->handle = U64(tb, RMT_A_CTXMAP_HANDLE);
		if (tb[RMT_A_CTXMAP_DESC])
			memcpy(&o->desc, mnl_attr_get_payload(tb[RMT_A_CTXMAP_DESC]),
			       sizeof(o->desc));
		o->count = U32(tb, RMT_A_CTXMAP_COUNT);
		o->drops = U64(tb, RMT_A_CTXMAP_DROPS);
		break;
	case RMT_CMD_HOOK_GET:
		nl_copy_str(o->name, tb[RMT_A_HOOK_NAME]);
		o->id = U32(tb, RMT_A_HOOK_ID);
		o->budget = U64(tb, RMT_A_HOOK_BUDGET);
		o->nfields = nl_copy_names(o->fields, tb[RMT_A_HOOK_FIELDS],
					   RMT_MAX_CTX_FIELDS);
		o->writable = U64(tb, RMT_A_HOOK_WRITABLE);
		o->tables = U32(tb, RMT_A_HOOK_TABLES);
		nl_copy_text(o->verdict, sizeof(o->verdict), tb[RMT_A_HOOK_VERDICT]);
		nl_copy_text(o->fallback, sizeof(o->fallback), tb[RMT_A_HOOK_FALLBACK]);
		nl_copy_text(o->attached, sizeof(o->attached), tb[RMT_A_HOOK_ATTACHED]);
		nl_copy_text(o->status, sizeof(o->status), tb[RMT_A_HOOK_STATUS]);
		/* counters come together, for hooks with a kernel site */
		o->has_hook_stats = tb[RMT_A_HOOK_FIRES] != NULL;
		o->hook_stats.fires = U64(tb, RMT_A_HOOK_FIRES);
		o->hook_stats.decided = U64(tb, RMT_A_HOOK_DECIDED);
		o->hook_stats.defaults = U64(tb, RMT_A_HOOK_DEFAULTS);
		o->hook_stats.errors = U64(tb, RMT_A_HOOK_ERRORS);
		o->hook_stats.pages = U64(tb, RMT_A_HOOK_PAGES);
		o->hook_stats.hits = U64(tb, RMT_A_HOOK_HITS);
		o->hook_stats.dropped = U64(tb, RMT_A_HOOK_DROPPED);
		break;
	case RMT_CMD_STATS_GET:
		nl_copy_str(o->name, tb[RMT_A_STATS_TABLE]);
		o->hits = U64(tb, RMT_A_STATS_HITS);
		o->misses = U64(tb, RMT_A_STATS_MISSES);
		o->run_ns = U64(tb, RMT_A_STATS_RUN_NS);
		o->errors = U64(tb, RMT_A_STATS_ERRORS);
		o->p99_ns = U64(tb, RMT_A_STATS_P99_NS);
		break;
	}
}

struct nl_list {
	u32 cmd;
	rmtctl_obj_cb cb;
	void *arg;
	struct rmtctl_obj *obj;
};

static const int nl_obj_attr[] = {
	[RMT_CMD_TABLE_GET] = RMT_A_TABLE, [RMT_CMD_ENTRY_GET] = RMT_A_ENTRY,
	[RMT_CMD_PROG_GET] = RMT_A_PROG, [RMT_CMD_MODEL_GET] = RMT_A_MODEL,
	[RMT_CMD_CTXMAP_GET] = RMT_A_CTXMAP, [RMT_CMD_HOOK_GET] = RMT_A_HOOK,
	[RMT_CMD_STATS_GET] = RMT_A_STATS,
};

static int nl_list_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_list *l = arg;
	const struct nlattr *tb[RMT_A_MAX + 1];

	rmt_nl_parse_top(nlh, tb, RMT_A_MAX);
	if (!tb[nl_obj_attr[l->cmd]])
		return MNL_CB_OK;
	memset(l->obj, 0, sizeof(*l->obj));
	nl_decode(l->cmd, tb[nl_obj_attr[l->cmd]], l->obj);
	return l->cb(l->obj, l->arg) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * A request for objects of @cmd's kind: a dump (@flags NLM_F_DUMP) or a
 * get, selected by one string attribute @attr in nest @nest when @name
 * is given, with the empty attribute @ask (a request flag) beside it
 * unless @ask is 0; each object in the replies goes to @cb.
 */
static int nl_query(struct rmt_nl *nl, u32 cmd, u16 flags, u16 nest, u16 attr,
		    u16 ask, const char *name, rmtctl_obj_cb cb, void *arg,
		    struct rmtctl_error *e)
{
	struct nl_list l = { cmd, cb, arg, calloc(1, sizeof(struct rmtctl_obj)) };
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int ret;

	if (!l.obj)
		return e->err = -ENOMEM;
	nlh = rmt_nl_request(nl, cmd, flags);
	if (name) {
		n = mnl_attr_nest_start(nlh, nest);
		mnl_attr_put_strz(nlh, attr, name);
		if (ask)
			mnl_attr_put(nlh, ask, 0, NULL);
		mnl_attr_nest_end(nlh, n);
	}
	ret = rmt_nl_talk(nl, nlh, nl_list_cb, &l);
	if (ret)
		nl_error(nl, ret, e);
	free(l.obj);
	return ret;
}

/* A dump of a kind (entries: of @table). */
static int nl_list(void *priv, u32 cmd, const char *table, rmtctl_obj_cb cb,
		   void *arg, struct rmtctl_error *e)
{
	return nl_query(priv, cmd, NLM_F_DUMP, RMT_A_ENTRY, RMT_A_ENTRY_TABLE, 0,
			table, cb, arg, e);
}

/*
 * A GET of one object: unlike a dump, it carries a program's
 * instructions, and with RMTCTL_GET_JITED its machine code.
 */
static int nl_get(void *priv, u32 cmd, const char *name, u32 flags,
		  rmtctl_obj_cb cb, void *arg, struct rmtctl_error *e)
{
	u16 ask = cmd == RMT_CMD_PROG_GET && (flags & RMTCTL_GET_JITED) ?
		  RMT_A_PROG_JITED : 0;

	/* NAME is attribute 1 in every object's enum */
	return nl_query(priv, cmd, 0, nl_obj_attr[cmd], 1, ask, name, cb, arg, e);
}

static int nl_test_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rmtctl_test *t = arg;
	const struct nlattr *tb[RMT_A_MAX + 1], *tt[RMT_A_TEST_MAX + 1];

	rmt_nl_parse_top(nlh, tb, RMT_A_MAX);
	if (!tb[RMT_A_TEST])
		return MNL_CB_OK;
	rmt_nl_parse_nest(tb[RMT_A_TEST], tt, RMT_A_TEST_MAX);
	t->r0 = tt[RMT_A_TEST_R0] ? (s64)mnl_attr_get_u64(tt[RMT_A_TEST_R0]) : 0;
	t->nfields = nl_copy_array(t->ctx, tt[RMT_A_TEST_CTX], RMT_MAX_CTX_FIELDS);
	t->insns = U64(tt, RMT_A_TEST_INSNS);
	t->ns = U64(tt, RMT_A_TEST_NS);
	t->err = tt[RMT_A_TEST_ERR] ? (int)mnl_attr_get_u32(tt[RMT_A_TEST_ERR]) : 0;
	t->entry = U64(tt, RMT_A_TEST_ENTRY);
	t->ran = tt[RMT_A_TEST_RAN] ? mnl_attr_get_u8(tt[RMT_A_TEST_RAN]) : true;
	return MNL_CB_OK;
}

static int nl_test_run(void *priv, const char *name, bool table, const s64 *ctx,
		       u32 nctx, u32 repeat, struct rmtctl_test *out,
		       struct rmtctl_error *e)
{
	struct rmt_nl *nl = priv;
	struct nlmsghdr *nlh = rmt_nl_request(nl, RMT_CMD_TEST_RUN, 0);
	struct nlattr *n = mnl_attr_nest_start(nlh, RMT_A_TEST);
	int ret;

	out->table = table;
	mnl_attr_put_strz(nlh, table ? RMT_A_TEST_TABLE : RMT_A_TEST_PROG, name);
	if (nctx)
		mnl_attr_put(nlh, RMT_A_TEST_CTX, nctx * 8, ctx);
	if (repeat > 1)
		mnl_attr_put_u32(nlh, RMT_A_TEST_REPEAT, repeat);
	mnl_attr_nest_end(nlh, n);
	ret = rmt_nl_talk(nl, nlh, nl_test_cb, out);
	if (ret)
		nl_error(nl, ret, e);
	return ret;
}

struct nl_monitor {
	int left;
	bool json;
};

/* A guardrail trip: the table, why, and its p99 and errors. */
static int nl_monitor_trip(const struct nlmsghdr *nlh, struct nl_monitor *m)
{
	const struct nlattr *tb[RMT_A_MAX + 1], *t[RMT_GENL_MAX_NEST + 1] = { 0 };
	const struct nlattr *s[RMT_GENL_MAX_NEST + 1] = { 0 };
	char name[RMT_NAME_MAX] = "";
	u32 state;

	rmt_nl_parse_top(nlh, tb, RMT_A_MAX);
	if (tb[RMT_A_TABLE])
		rmt_nl_parse_nest(tb[RMT_A_TABLE], t, RMT_GENL_MAX_NEST);
	if (tb[RMT_A_STATS])
		rmt_nl_parse_nest(tb[RMT_A_STATS], s, RMT_GENL_MAX_NEST);
	nl_copy_str(name, t[RMT_A_TABLE_NAME]);
	state = t[RMT_A_TABLE_STATE] ? mnl_attr_get_u8(t[RMT_A_TABLE_STATE]) : 0;
	printf(m->json ? "{\"event\":\"trip\",\"table\":\"%s\",\"reason\":\"%s\",\"p99_ns\":%llu,\"errors\":%llu}\n" :
	       "trip table %s reason %s p99_ns %llu errors %llu\n", name,
	       rmtctl_trip_name(state), (unsigned long long)U64(s, RMT_A_STATS_P99_NS),
	       (unsigned long long)U64(s, RMT_A_STATS_ERRORS));
	fflush(stdout);
	return --m->left == 0 ? -1 : MNL_CB_OK;
}

static int nl_monitor_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_monitor *m = arg;
	const struct nlattr *tb[RMT_A_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (g->cmd == RMT_CMD_TRIP)
		return nl_monitor_trip(nlh, m);
	if (g->cmd != RMT_CMD_COMMIT)
		return MNL_CB_OK;
	rmt_nl_parse_top(nlh, tb, RMT_A_MAX);
	/* one line per event; under -j, one JSON object per line */
	printf(m->json ? "{\"event\":\"commit\",\"generation\":%llu,\"ops\":%u}\n" :
	       "commit generation %llu ops %u\n",
	       (unsigned long long)U64(tb, RMT_A_GENERATION),
	       U32(tb, RMT_A_BATCH_OPS));
	fflush(stdout);
	return --m->left == 0 ? -1 : MNL_CB_OK;
}

static int nl_monitor(void *priv, int count, bool json, struct rmtctl_error *e)
{
	struct rmt_nl *nl = priv;
	struct nl_monitor m = { count, json };
	int ret = rmt_nl_subscribe(nl);

	if (!ret)
		ret = rmt_nl_recv_events(nl, nl_monitor_cb, &m);
	if (ret) {
		e->err = ret;
		snprintf(e->msg, sizeof(e->msg), "monitor: %s", strerror(-ret));
	}
	return ret;
}

static void nl_close(void *priv)
{
	rmt_nl_close(priv);
	free(priv);
}

void *rmtctl_netlink_open(int *err)
{
	struct rmt_nl *nl = calloc(1, sizeof(*nl));

	*err = nl ? rmt_nl_open(nl) : -ENOMEM;
	if (*err) {
		free(nl);
		return NULL;
	}
	return nl;
}

const struct rmtctl_backend rmtctl_netlink_backend = {
	.name = "netlink",
	.commit = nl_commit,
	.list = nl_list,
	.get = nl_get,
	.test_run = nl_test_run,
	.monitor = nl_monitor,
	.close = nl_close,
};
