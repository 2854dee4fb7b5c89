/* SPDX-License-Identifier: GPL-2.0-only */
/* The "rmt" generic-netlink family: shared between its files. */
#ifndef _RMT_GENL_H
#define _RMT_GENL_H

#include <linux/mutex.h>
#include <net/genetlink.h>

#include "../rmt/store.h"

#define RMT_GENL_OBJ_MAX	16	/* >= every RMT_A_<OBJ>_MAX a request carries */

extern struct genl_family rmt_genl_family;
extern struct rmt_store rmt_store;
extern struct mutex rmt_store_lock;

extern const struct nla_policy rmt_policy[RMT_A_MAX + 1];
extern const struct nla_policy rmt_table_policy[RMT_A_TABLE_MAX + 1];
extern const struct nla_policy rmt_entry_policy[RMT_A_ENTRY_MAX + 1];
extern const struct nla_policy rmt_prog_policy[RMT_A_PROG_MAX + 1];
extern const struct nla_policy rmt_model_policy[RMT_A_MODEL_MAX + 1];
extern const struct nla_policy rmt_ctxmap_policy[RMT_A_CTXMAP_MAX + 1];
extern const struct nla_policy rmt_test_policy[RMT_A_TEST_MAX + 1];
extern const struct nla_policy rmt_stats_policy[RMT_A_STATS_MAX + 1];
extern const struct nla_policy rmt_op_policy[RMT_A_OP_MAX + 1];

/**
 * struct rmt_genl_req - one decoded operation and what to blame
 * @op: the operation for the store
 * @nest: the object's nest in the message
 * @tb: its parsed attributes, to point extended acks at
 */
struct rmt_genl_req {
	struct rmt_op op;
	struct nlattr *nest;
	struct nlattr *tb[RMT_GENL_OBJ_MAX + 1];
};

int rmt_genl_decode(u32 cmd, struct nlattr **attrs, struct rmt_genl_req *req,
		    struct netlink_ext_ack *extack);
int rmt_genl_hook_id(const char *name);

/* genl_write.c */
int rmt_genl_write(struct sk_buff *skb, struct genl_info *info);
int rmt_genl_batch(struct sk_buff *skb, struct genl_info *info);
bool rmt_genl_may_write(struct sk_buff *skb, struct netlink_ext_ack *extack);
void rmt_genl_error_reply(struct genl_info *info, int op,
			  const struct rmt_diag *diag, const char *msg);

/* genl_dump.c */
int rmt_genl_get(struct sk_buff *skb, struct genl_info *info);
int rmt_genl_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* genl_test.c */
int rmt_genl_test_run(struct sk_buff *skb, struct genl_info *info);

int rmt_genl_init(void);
void rmt_genl_exit(void);

void rmt_genl_notify_trip(struct rmt_table *t, gfp_t gfp);

#endif /* _RMT_GENL_H */
