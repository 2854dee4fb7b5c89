// SPDX-License-Identifier: GPL-2.0-only
/*
 * RMT_CMD_TEST_RUN: run a loaded program on a supplied context and
 * return its verdict, output context and timing, like
 * BPF_PROG_TEST_RUN; no hook fires and no table is involved.
 */
#include <linux/sched.h>

#include "genl.h"

struct rmt_test_req {
	s64 ctx[RMT_MAX_CTX_FIELDS];
	s64 in[RMT_MAX_CTX_FIELDS];
	u8 scratch[RMT_SCRATCH_SIZE];
};

static int rmt_test_reply(struct genl_info *info, const struct rmt_test_run *o,
			  bool table)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	struct nlattr *nest;
	void *hdr;

	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &rmt_genl_family, 0, RMT_CMD_TEST_RUN);
	nest = hdr ? nla_nest_start(skb, RMT_A_TEST) : NULL;
	if (!nest || nla_put_s64(skb, RMT_A_TEST_R0, o->r0, RMT_A_TEST_PAD) ||
	    nla_put(skb, RMT_A_TEST_CTX, o->nfields * sizeof(s64), o->ctx) ||
	    nla_put_u64_64bit(skb, RMT_A_TEST_INSNS, o->insns, RMT_A_TEST_PAD) ||
	    nla_put_u64_64bit(skb, RMT_A_TEST_NS, o->ns, RMT_A_TEST_PAD) ||
	    nla_put_s32(skb, RMT_A_TEST_ERR, o->err) ||
	    (table &&
	     (nla_put_u64_64bit(skb, RMT_A_TEST_ENTRY, o->entry, RMT_A_TEST_PAD) ||
	      nla_put_u8(skb, RMT_A_TEST_RAN, o->ran)))) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/**
 * rmt_genl_test_run() - run a program, or a table, on given input
 * @skb: the request
 * @info: RMT_A_TEST: a program or table name, the context, a repeat
 *
 * Return: 0 with the reply sent, or a negative errno.
 */
int rmt_genl_test_run(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[RMT_A_TEST_MAX + 1], *nest = info->attrs[RMT_A_TEST];
	struct rmt_test_run o = { 0 };
	struct rmt_prog_obj *p = NULL;
	struct rmt_table *tab = NULL;
	struct rmt_test_req *t;
	u32 repeat = 1;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RMT_A_TEST))
		return -EINVAL;
	ret = nla_parse_nested(tb, RMT_A_TEST_MAX, nest, rmt_test_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!tb[RMT_A_TEST_PROG] == !tb[RMT_A_TEST_TABLE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "name a program (RMT_A_TEST_PROG) or a table (RMT_A_TEST_TABLE)");
		return -EINVAL;
	}
	if (tb[RMT_A_TEST_CTX] && nla_len(tb[RMT_A_TEST_CTX]) % sizeof(s64)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RMT_A_TEST_CTX],
				    "the context is an array of 64-bit fields");
		return -EINVAL;
	}
	if (tb[RMT_A_TEST_REPEAT])
		repeat = nla_get_u32(tb[RMT_A_TEST_REPEAT]);
	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	if (tb[RMT_A_TEST_CTX])
		memcpy(t->in, nla_data(tb[RMT_A_TEST_CTX]), nla_len(tb[RMT_A_TEST_CTX]));

	mutex_lock(&rmt_store_lock);
	if (tb[RMT_A_TEST_PROG])
		p = (struct rmt_prog_obj *)rmt_store_find(&rmt_store, RMT_OBJ_PROG,
							  nla_data(tb[RMT_A_TEST_PROG]),
							  0, rmt_store.generation);
	else
		tab = (struct rmt_table *)rmt_store_find(&rmt_store, RMT_OBJ_TABLE,
							 nla_data(tb[RMT_A_TEST_TABLE]),
							 0, rmt_store.generation);
	if (!p && !tab) {
		mutex_unlock(&rmt_store_lock);
		kvfree(t);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RMT_A_TEST_PROG] ?
				    tb[RMT_A_TEST_PROG] : tb[RMT_A_TEST_TABLE],
				    "no object of that name");
		return -ENOENT;
	}
	o.nfields = rmt_hook_schema(p ? p->hook : tab->hook)->nfields;
	o.in = t->in;
	o.ctx = t->ctx;
	o.scratch = t->scratch;
	o.repeat = repeat;
	rmt_test_repeat(p ? p->prog : NULL, tab, rmt_store.generation, &o);
	mutex_unlock(&rmt_store_lock);
	ret = rmt_test_reply(info, &o, tab != NULL);
	kvfree(t);
	return ret;
}
