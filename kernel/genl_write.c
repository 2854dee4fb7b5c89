// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes: single NEW/DEL commands and RMT_CMD_BATCH, each one store
 * transaction, answered with the created handle and the new generation
 * and announced on the monitor group.
 */
#include <linux/capability.h>

#include "genl.h"

bool rmt_genl_may_write(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack, "changes and test runs need CAP_SYS_ADMIN");
	return false;
}

static bool rmt_genl_is_write(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_TABLE_NEW: case RMT_CMD_TABLE_DEL:
	case RMT_CMD_ENTRY_NEW: case RMT_CMD_ENTRY_DEL:
	case RMT_CMD_PROG_NEW: case RMT_CMD_PROG_DEL:
	case RMT_CMD_MODEL_NEW: case RMT_CMD_MODEL_DEL:
	case RMT_CMD_CTXMAP_NEW: case RMT_CMD_CTXMAP_DEL:
		return true;
	}
	return false;
}

/**
 * rmt_genl_error_reply() - put a refusal in words, before its error ack
 * @info: the request
 * @op: the failing operation of a batch, or -1
 * @diag: the core's diagnostic, or NULL
 * @msg: the refusal when there is no @diag (copied into the reply)
 *
 * The extended ack can only carry static strings in this kernel (its
 * message is read after the handler returns, outside any lock we hold),
 * so the detailed message travels in a reply of its own.
 */
void rmt_genl_error_reply(struct genl_info *info, int op,
			  const struct rmt_diag *diag, const char *msg)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	char text[256], where[24] = "";
	struct nlattr *nest;
	void *hdr;

	if (!skb)
		return;
	if (op >= 0)
		snprintf(where, sizeof(where), "op %d: ", op);
	if (diag && diag->insn >= 0)
		snprintf(text, sizeof(text), "%sinsn %d: %s; hint: %s", where,
			 diag->insn, diag->msg, rmt_diag_hint(diag->code));
	else
		snprintf(text, sizeof(text), "%s%s", where, diag ? diag->msg :
			 msg ? msg : "invalid request");
	hdr = genlmsg_put_reply(skb, info, &rmt_genl_family, 0, RMT_CMD_ERROR);
	nest = hdr ? nla_nest_start(skb, RMT_A_ERROR) : NULL;
	if (!nest || nla_put_string(skb, RMT_A_ERROR_MSG, text) ||
	    (op >= 0 && nla_put_u32(skb, RMT_A_ERROR_OP, op)) ||
	    (diag && diag->insn >= 0 &&
	     nla_put_s32(skb, RMT_A_ERROR_INSN, diag->insn)) ||
	    (diag && nla_put_string(skb, RMT_A_ERROR_CODE,
				    rmt_diag_name(diag->code)))) {
		nlmsg_free(skb);
		return;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_reply(skb, info);
}

/*
 * A store refusal: the ack points at the attribute to blame (or names
 * it as missing) with the reason's fixed hint; the words follow in an
 * RMT_CMD_ERROR reply.
 */
static void rmt_genl_blame(struct genl_info *info, const struct rmt_genl_req *req,
			   const struct rmt_op_error *err, int batch_op)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *bad = req->nest;
	bool missing = false;

	if (err->attr > 0 && err->attr <= RMT_GENL_OBJ_MAX) {
		if (req->tb[err->attr])
			bad = req->tb[err->attr];
		else
			missing = true;	/* required by the object's kind */
	}
	rmt_genl_error_reply(info, batch_op, &err->diag, NULL);
	if (!extack)
		return;
	extack->_msg = rmt_diag_hint(err->diag.code);
	if (missing) {
		extack->miss_nest = bad;
		extack->miss_type = err->attr;
	} else {
		extack->bad_attr = bad;
	}
}

static void rmt_genl_notify(u64 gen, u32 nops)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &rmt_genl_family, 0, RMT_CMD_COMMIT);
	if (!hdr || nla_put_u64_64bit(skb, RMT_A_GENERATION, gen, RMT_A_PAD) ||
	    nla_put_u32(skb, RMT_A_BATCH_OPS, nops)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&rmt_genl_family, skb, 0, 0, GFP_KERNEL);
}

/**
 * rmt_genl_notify_trip() - announce on the monitor group that the
 * guardrail watchdog disabled a table
 * @t: the table (alive: the caller holds the RCU read lock or the store)
 * @gfp: allocation context
 */
void rmt_genl_notify_trip(struct rmt_table *t, gfp_t gfp)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	struct nlattr *tab, *st;
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &rmt_genl_family, 0, RMT_CMD_TRIP);
	if (!hdr || !(tab = nla_nest_start(skb, RMT_A_TABLE)) ||
	    nla_put_string(skb, RMT_A_TABLE_NAME, t->obj.name) ||
	    nla_put_u64_64bit(skb, RMT_A_TABLE_HANDLE, t->obj.handle, RMT_A_TABLE_PAD) ||
	    nla_put_u8(skb, RMT_A_TABLE_STATE, READ_ONCE(t->tripped)) ||
	    (t->latency_ns && nla_put_u64_64bit(skb, RMT_A_TABLE_LATENCY, t->latency_ns,
						RMT_A_TABLE_PAD)))
		goto fail;
	nla_nest_end(skb, tab);
	st = nla_nest_start(skb, RMT_A_STATS);
	if (!st || nla_put_string(skb, RMT_A_STATS_TABLE, t->obj.name) ||
	    nla_put_u64_64bit(skb, RMT_A_STATS_P99_NS, rmt_table_p99(t, NULL),
			      RMT_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, RMT_A_STATS_ERRORS, rmt_pcpu_sum(t->errors),
			      RMT_A_STATS_PAD))
		goto fail;
	nla_nest_end(skb, st);
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&rmt_genl_family, skb, 0, 0, gfp);
	return;
fail:
	nlmsg_free(skb);
}

/* Reply to a write: the created object's name and handle, the generation. */
static int rmt_genl_reply(struct genl_info *info, const struct rmt_genl_req *req,
			  int obj_attr, u64 gen)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	struct nlattr *nest;
	void *hdr;

	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &rmt_genl_family, 0, info->genlhdr->cmd);
	if (!hdr)
		goto fail;
	if (req && req->op.out_handle) {
		nest = nla_nest_start(skb, obj_attr);
		/* Every object enum numbers NAME 1 and HANDLE 2. */
		if (!nest || nla_put_string(skb, 1, req->op.name) ||
		    nla_put_u64_64bit(skb, 2, req->op.out_handle, 0))
			goto fail;
		nla_nest_end(skb, nest);
	}
	if (nla_put_u64_64bit(skb, RMT_A_GENERATION, gen, RMT_A_PAD))
		goto fail;
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
fail:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

static int rmt_genl_obj_attr(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_TABLE_NEW: return RMT_A_TABLE;
	case RMT_CMD_ENTRY_NEW: return RMT_A_ENTRY;
	case RMT_CMD_PROG_NEW: return RMT_A_PROG;
	case RMT_CMD_MODEL_NEW: return RMT_A_MODEL;
	case RMT_CMD_CTXMAP_NEW: return RMT_A_CTXMAP;
	}
	return 0;
}

/**
 * rmt_genl_write() - a single NEW or DEL: a transaction of one
 * @skb: the request
 * @info: its attributes and extended ack
 *
 * Return: 0 or a negative errno (the ack carries the reason).
 */
int rmt_genl_write(struct sk_buff *skb, struct genl_info *info)
{
	struct rmt_genl_req *req;
	struct rmt_op_error err;
	struct rmt_txn *tx;
	u32 cmd = info->genlhdr->cmd;
	u64 gen = 0;
	int ret;

	if (!rmt_genl_may_write(skb, info->extack))
		return -EPERM;
	req = kvzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	ret = rmt_genl_decode(cmd, info->attrs, req, info->extack);
	if (ret)
		goto out;
	mutex_lock(&rmt_store_lock);
	tx = rmt_txn_begin(&rmt_store, 1, &err);
	ret = tx ? rmt_txn_add(tx, &req->op) : err.err;
	if (ret) {
		if (tx)
			rmt_txn_abort(tx);
		rmt_genl_blame(info, req, &err, -1);
	} else {
		gen = rmt_txn_commit(tx);
	}
	mutex_unlock(&rmt_store_lock);
	if (!ret) {
		rmt_genl_notify(gen, 1);
		ret = rmt_genl_reply(info, req, rmt_genl_obj_attr(cmd), gen);
	}
out:
	kvfree(req);
	return ret;
}

/*
 * The operations of a batch: the RMT_A_OP attributes inside RMT_A_BATCH,
 * or, for batches too long for one 64 KiB nest, at the top level.
 */
static int rmt_genl_batch_ops(struct genl_info *info, struct nlattr **head,
			      int *len)
{
	struct nlattr *batch = info->attrs[RMT_A_BATCH], *a;
	struct netlink_ext_ack *extack = info->extack;
	int rem, n = 0;

	if (batch) {
		*head = nla_data(batch);
		*len = nla_len(batch);
	} else {
		*head = nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
		*len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN);
	}
	nla_for_each_attr(a, *head, *len, rem) {
		if (nla_type(a) != RMT_A_OP) {
			if (batch) {
				NL_SET_ERR_MSG_ATTR(extack, a, "a batch holds only RMT_A_OP");
				return -EINVAL;
			}
			continue;	/* other top-level attributes */
		}
		n++;
	}
	if (batch && rem) {
		NL_SET_ERR_MSG_ATTR(extack, batch, "trailing bytes in the batch");
		return -EINVAL;
	}
	if (!n) {
		NL_SET_ERR_MSG(extack, "a batch needs RMT_A_OP operations");
		return -EINVAL;
	}
	return n;
}

/* Prepare one operation of a batch into @tx. */
static int rmt_genl_batch_op(struct rmt_txn *tx, struct nlattr *a, int idx,
			     struct rmt_genl_req *req, struct rmt_op_error *err,
			     struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *optb[RMT_A_OP_MAX + 1], *tb[RMT_A_MAX + 1];
	u32 cmd;
	int ret;

	ret = nla_parse_nested(optb, RMT_A_OP_MAX, a, rmt_op_policy, extack);
	if (!ret && (NL_REQ_ATTR_CHECK(extack, a, optb, RMT_A_OP_CMD) ||
		     NL_REQ_ATTR_CHECK(extack, a, optb, RMT_A_OP_ATTRS))) {
		NL_SET_ERR_MSG(extack, "a batch operation needs RMT_A_OP_CMD and RMT_A_OP_ATTRS");
		ret = -EINVAL;
	}
	cmd = ret ? 0 : nla_get_u8(optb[RMT_A_OP_CMD]);
	if (!ret && !rmt_genl_is_write(cmd)) {
		NL_SET_ERR_MSG_ATTR(extack, optb[RMT_A_OP_CMD],
				    "only NEW and DEL commands can be batched");
		ret = -EINVAL;
	}
	if (!ret)
		ret = nla_parse_nested(tb, RMT_A_MAX, optb[RMT_A_OP_ATTRS],
				       rmt_policy, extack);
	if (!ret)
		ret = rmt_genl_decode(cmd, tb, req, extack);
	if (ret) {
		/* encoding errors too: say which operation */
		rmt_genl_error_reply(info, idx, NULL, extack->_msg);
		return ret;
	}
	ret = rmt_txn_add(tx, &req->op);
	if (ret)
		rmt_genl_blame(info, req, err, idx);
	return ret;
}

/**
 * rmt_genl_batch() - RMT_CMD_BATCH: every operation, or none
 * @skb: the request
 * @info: its attributes and extended ack
 *
 * Return: 0 or a negative errno; on failure the ack's message starts
 * with "op N: " and its offset points into that operation.
 */
int rmt_genl_batch(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *head;
	struct rmt_genl_req *req;
	struct rmt_op_error err;
	struct rmt_txn *tx;
	int n, rem, len, idx = 0, ret = 0;
	struct nlattr *a;
	u64 gen = 0;

	if (!rmt_genl_may_write(skb, info->extack))
		return -EPERM;
	n = rmt_genl_batch_ops(info, &head, &len);
	if (n < 0)
		return n;
	req = kvzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	mutex_lock(&rmt_store_lock);
	tx = rmt_txn_begin(&rmt_store, n, &err);
	if (!tx)
		ret = err.err;
	nla_for_each_attr(a, head, len, rem) {
		if (ret)
			break;
		if (nla_type(a) != RMT_A_OP)
			continue;
		ret = rmt_genl_batch_op(tx, a, idx++, req, &err, info);
		cond_resched();
	}
	if (tx && ret)
		rmt_txn_abort(tx);
	else if (tx)
		gen = rmt_txn_commit(tx);
	mutex_unlock(&rmt_store_lock);
	kvfree(req);
	if (ret)
		return ret;
	rmt_genl_notify(gen, n);
	return rmt_genl_reply(info, NULL, 0, gen);
}
