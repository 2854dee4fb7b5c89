// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "rmt" generic-netlink family: operations, permissions, the
 * monitor group, and the store they act on.
 *
 * Every operation needs CAP_NET_ADMIN (GENL_ADMIN_PERM); writes and test
 * runs also need CAP_SYS_ADMIN, checked in their handlers.  The family
 * runs one operation at a time (no parallel_ops), which the extended-ack
 * message buffer relies on; rmt_store_lock serialises the store against
 * everything else that will read it.
 */
#include "genl.h"

struct rmt_store rmt_store;
DEFINE_MUTEX(rmt_store_lock);

static int rmt_genl_test_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (!rmt_genl_may_write(skb, info->extack))
		return -EPERM;
	return rmt_genl_test_run(skb, info);
}

#define RMT_WRITE_OP(c)	{ .cmd = (c), .doit = rmt_genl_write, .flags = GENL_ADMIN_PERM }
#define RMT_READ_OP(c)	{ .cmd = (c), .doit = rmt_genl_get, .dumpit = rmt_genl_dump, \
			  .flags = GENL_ADMIN_PERM }

static const struct genl_ops rmt_genl_ops[] = {
	RMT_WRITE_OP(RMT_CMD_TABLE_NEW),
	RMT_WRITE_OP(RMT_CMD_TABLE_DEL),
	RMT_READ_OP(RMT_CMD_TABLE_GET),
	RMT_WRITE_OP(RMT_CMD_ENTRY_NEW),
	RMT_WRITE_OP(RMT_CMD_ENTRY_DEL),
	RMT_READ_OP(RMT_CMD_ENTRY_GET),
	RMT_WRITE_OP(RMT_CMD_PROG_NEW),
	RMT_WRITE_OP(RMT_CMD_PROG_DEL),
	RMT_READ_OP(RMT_CMD_PROG_GET),
	RMT_WRITE_OP(RMT_CMD_MODEL_NEW),
	RMT_WRITE_OP(RMT_CMD_MODEL_DEL),
	RMT_READ_OP(RMT_CMD_MODEL_GET),
	RMT_WRITE_OP(RMT_CMD_CTXMAP_NEW),
	RMT_WRITE_OP(RMT_CMD_CTXMAP_DEL),
	RMT_READ_OP(RMT_CMD_CTXMAP_GET),
	RMT_READ_OP(RMT_CMD_HOOK_GET),
	RMT_READ_OP(RMT_CMD_STATS_GET),
	{ .cmd = RMT_CMD_TEST_RUN, .doit = rmt_genl_test_doit,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = RMT_CMD_BATCH, .doit = rmt_genl_batch, .flags = GENL_ADMIN_PERM },
};

static const struct genl_multicast_group rmt_genl_mcgrps[] = {
	/* Listening to commits is reading: CAP_NET_ADMIN. */
	{ .name = RMT_GENL_MCGRP_MONITOR, .flags = GENL_UNS_ADMIN_PERM },
};

struct genl_family rmt_genl_family __ro_after_init = {
	.name = RMT_GENL_NAME,
	.version = RMT_GENL_VERSION,
	.maxattr = RMT_A_MAX,
	.policy = rmt_policy,
	.netnsok = false,
	.parallel_ops = false,
	.module = THIS_MODULE,
	.ops = rmt_genl_ops,
	.n_ops = ARRAY_SIZE(rmt_genl_ops),
	.mcgrps = rmt_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rmt_genl_mcgrps),
	/* Every operation is validated strictly and needs its policy. */
	.resv_start_op = RMT_CMD_TABLE_NEW,
};

int rmt_genl_init(void)
{
	rmt_store_init(&rmt_store);
	return genl_register_family(&rmt_genl_family);
}

/* After unregistering, no operation runs and none can start. */
void rmt_genl_exit(void)
{
	genl_unregister_family(&rmt_genl_family);
	mutex_lock(&rmt_store_lock);
	rmt_store_destroy(&rmt_store);
	mutex_unlock(&rmt_store_lock);
}
