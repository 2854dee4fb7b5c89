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

static int rmt_test_reply(struct genl_info *info, const struct rmt_test_req *t,
			  u32 nfields, s64 r0, u64 insns, u64 ns, int err)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	struct nlattr *nest;
	void *hdr;

	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &rmt_genl_family, 0, RMT_CMD_TEST_RUN);
	nest = hdr ? nla_nest_start(skb, RMT_A_TEST) : NULL;
	if (!nest || nla_put_s64(skb, RMT_A_TEST_R0, r0, RMT_A_TEST_PAD) ||
	    nla_put(skb, RMT_A_TEST_CTX, nfields * sizeof(s64), t->ctx) ||
	    nla_put_u64_64bit(skb, RMT_A_TEST_INSNS, insns, RMT_A_TEST_PAD) ||
	    nla_put_u64_64bit(skb, RMT_A_TEST_NS, ns, RMT_A_TEST_PAD) ||
	    nla_put_s32(skb, RMT_A_TEST_ERR, err)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/**
 * rmt_genl_test_run() - run a program in the kernel on given input
 * @skb: the request
 * @info: RMT_A_TEST with the program's name, the context and a repeat
 *
 * Return: 0 with the reply sent, or a negative errno.
 */
int rmt_genl_test_run(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[RMT_A_TEST_MAX + 1];
	struct rmt_run_ctx rc = { 0 };
	struct rmt_prog_obj *p;
	struct rmt_test_req *t;
	u32 repeat = 1, i, nfields;
	u64 t0, ns;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RMT_A_TEST))
		return -EINVAL;
	ret = nla_parse_nested(tb, RMT_A_TEST_MAX, info->attrs[RMT_A_TEST],
			       rmt_test_policy, info->extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[RMT_A_TEST], tb,
			      RMT_A_TEST_PROG))
		return -EINVAL;
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
	p = (struct rmt_prog_obj *)rmt_store_find(&rmt_store, RMT_OBJ_PROG,
						  nla_data(tb[RMT_A_TEST_PROG]), 0,
						  rmt_store.generation);
	if (!p) {
		mutex_unlock(&rmt_store_lock);
		kvfree(t);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RMT_A_TEST_PROG],
				    "no program of that name");
		return -ENOENT;
	}
	nfields = p->env.hook->nfields;
	rc.ctx = t->ctx;
	rc.scratch = t->scratch;
	t0 = ktime_get_ns();
	for (i = 0, ret = 0; i < repeat && !ret; i++) {
		memcpy(t->ctx, t->in, sizeof(t->ctx));
		rc.tail_calls = 0;
		rc.insns = 0;
		ret = rmt_run(p->prog, &rc);
		if (!(i & 1023))
			cond_resched();
	}
	ns = ktime_get_ns() - t0;
	mutex_unlock(&rmt_store_lock);
	ret = rmt_test_reply(info, t, nfields, rc.r0, rc.insns, ns, ret);
	kvfree(t);
	return ret;
}
