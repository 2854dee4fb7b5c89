// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attribute policies of the "rmt" family: the kernel's statement of the
 * ABI in uapi/linux/rmt.h.  Validation is strict (unknown attributes,
 * trailing bytes and wrong lengths are refused by the netlink core with
 * the offending attribute); output-only attributes are refused in
 * requests.
 */
#include "genl.h"

#define RMT_NAME_POLICY	{ .type = NLA_NUL_STRING, .len = RMT_NAME_MAX - 1 }
#define RMT_OUTPUT_ONLY	{ .type = NLA_REJECT }

static struct netlink_range_validation rmt_table_size_range = {
	.min = 1, .max = RMT_MAX_TABLE_SIZE,
};

static struct netlink_range_validation rmt_repeat_range = {
	.min = 1, .max = 10000000,
};

const struct nla_policy rmt_table_policy[RMT_A_TABLE_MAX + 1] = {
	[RMT_A_TABLE_NAME]	= RMT_NAME_POLICY,
	[RMT_A_TABLE_HANDLE]	= { .type = NLA_U64 },
	[RMT_A_TABLE_HOOK]	= RMT_NAME_POLICY,
	[RMT_A_TABLE_KEY]	= { .type = NLA_NESTED },
	[RMT_A_TABLE_KEY_FIELD]	= RMT_OUTPUT_ONLY,	/* only inside KEY */
	[RMT_A_TABLE_MATCH]	= NLA_POLICY_RANGE(NLA_U8, RMT_MATCH_EXACT,
						   RMT_MATCH_LPM),
	[RMT_A_TABLE_SIZE]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&rmt_table_size_range),
	[RMT_A_TABLE_DEFAULT]	= RMT_NAME_POLICY,
	[RMT_A_TABLE_ENTRIES]	= RMT_OUTPUT_ONLY,
	[RMT_A_TABLE_PAD]	= RMT_OUTPUT_ONLY,
	[RMT_A_TABLE_LATENCY]	= { .type = NLA_U64 },
	[RMT_A_TABLE_STATE]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_entry_policy[RMT_A_ENTRY_MAX + 1] = {
	[RMT_A_ENTRY_TABLE]	= RMT_NAME_POLICY,
	[RMT_A_ENTRY_HANDLE]	= { .type = NLA_U64 },
	[RMT_A_ENTRY_KEY]	= { .type = NLA_BINARY,
				    .len = RMT_MAX_KEY_FIELDS * sizeof(s64) },
	[RMT_A_ENTRY_MASK]	= { .type = NLA_BINARY,
				    .len = RMT_MAX_KEY_FIELDS * sizeof(u64) },
	[RMT_A_ENTRY_KEY_HI]	= { .type = NLA_BINARY,
				    .len = RMT_MAX_KEY_FIELDS * sizeof(s64) },
	[RMT_A_ENTRY_PREFIX]	= NLA_POLICY_MAX(NLA_U8, 64),
	[RMT_A_ENTRY_PRIORITY]	= { .type = NLA_U32 },
	[RMT_A_ENTRY_PROG]	= RMT_NAME_POLICY,
	[RMT_A_ENTRY_PARAMS]	= { .type = NLA_BINARY,
				    .len = RMT_MAX_PARAMS * sizeof(s64) },
	[RMT_A_ENTRY_HITS]	= RMT_OUTPUT_ONLY,
	[RMT_A_ENTRY_PAD]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_prog_policy[RMT_A_PROG_MAX + 1] = {
	[RMT_A_PROG_NAME]	= RMT_NAME_POLICY,
	[RMT_A_PROG_HANDLE]	= { .type = NLA_U64 },
	[RMT_A_PROG_HOOK]	= RMT_NAME_POLICY,
	[RMT_A_PROG_INSNS]	= { .type = NLA_BINARY,
				    .len = (RMT_MAX_INSNS + 1) *
					   sizeof(struct rmt_insn) },
	[RMT_A_PROG_MODEL]	= RMT_NAME_POLICY,
	[RMT_A_PROG_CTXMAPS]	= { .type = NLA_NESTED },
	[RMT_A_PROG_TAILS]	= { .type = NLA_NESTED },
	[RMT_A_PROG_REF]	= RMT_OUTPUT_ONLY,	/* only inside lists */
	[RMT_A_PROG_BUDGET]	= { .type = NLA_U64 },
	[RMT_A_PROG_COST]	= RMT_OUTPUT_ONLY,
	[RMT_A_PROG_MAX_INSNS]	= RMT_OUTPUT_ONLY,
	[RMT_A_PROG_PAD]	= RMT_OUTPUT_ONLY,
	[RMT_A_PROG_JIT]	= NLA_POLICY_MAX(NLA_U8, __RMT_JIT_MAX - 1),
	[RMT_A_PROG_JIT_REASON]	= RMT_OUTPUT_ONLY,
	/* a request flag of PROG_GET, any length; a reply's machine code */
	[RMT_A_PROG_JITED]	= { .type = NLA_BINARY },
	[RMT_A_PROG_JIT_MAP]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_model_policy[RMT_A_MODEL_MAX + 1] = {
	[RMT_A_MODEL_NAME]	= RMT_NAME_POLICY,
	[RMT_A_MODEL_HANDLE]	= { .type = NLA_U64 },
	[RMT_A_MODEL_BLOB]	= { .type = NLA_BINARY },
	[RMT_A_MODEL_TENSORS]	= RMT_OUTPUT_ONLY,
	[RMT_A_MODEL_TREES]	= RMT_OUTPUT_ONLY,
	[RMT_A_MODEL_PAD]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_ctxmap_policy[RMT_A_CTXMAP_MAX + 1] = {
	[RMT_A_CTXMAP_NAME]	= RMT_NAME_POLICY,
	[RMT_A_CTXMAP_HANDLE]	= { .type = NLA_U64 },
	[RMT_A_CTXMAP_DESC]	= NLA_POLICY_EXACT_LEN(sizeof(struct rmt_ctxmap_desc)),
	[RMT_A_CTXMAP_COUNT]	= RMT_OUTPUT_ONLY,
	[RMT_A_CTXMAP_DROPS]	= RMT_OUTPUT_ONLY,
	[RMT_A_CTXMAP_PAD]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_test_policy[RMT_A_TEST_MAX + 1] = {
	[RMT_A_TEST_PROG]	= RMT_NAME_POLICY,
	[RMT_A_TEST_CTX]	= { .type = NLA_BINARY,
				    .len = RMT_MAX_CTX_FIELDS * sizeof(s64) },
	[RMT_A_TEST_REPEAT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &rmt_repeat_range),
	[RMT_A_TEST_R0]		= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_INSNS]	= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_NS]		= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_ERR]	= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_PAD]	= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_TABLE]	= RMT_NAME_POLICY,
	[RMT_A_TEST_ENTRY]	= RMT_OUTPUT_ONLY,
	[RMT_A_TEST_RAN]	= RMT_OUTPUT_ONLY,
};

const struct nla_policy rmt_stats_policy[RMT_A_STATS_MAX + 1] = {
	[RMT_A_STATS_TABLE]	= RMT_NAME_POLICY,
	[RMT_A_STATS_HITS]	= RMT_OUTPUT_ONLY,
	[RMT_A_STATS_MISSES]	= RMT_OUTPUT_ONLY,
	[RMT_A_STATS_RUN_NS]	= RMT_OUTPUT_ONLY,
	[RMT_A_STATS_ERRORS]	= RMT_OUTPUT_ONLY,
	[RMT_A_STATS_PAD]	= RMT_OUTPUT_ONLY,
	[RMT_A_STATS_P99_NS]	= RMT_OUTPUT_ONLY,
};

/* declared ahead: rmt_policy and rmt_op_policy refer to each other */
const struct nla_policy rmt_op_policy[RMT_A_OP_MAX + 1] = {
	[RMT_A_OP_CMD]		= NLA_POLICY_RANGE(NLA_U8, RMT_CMD_TABLE_NEW,
						   RMT_CMD_CTXMAP_DEL),
	[RMT_A_OP_ATTRS]	= NLA_POLICY_NESTED(rmt_policy),
};

const struct nla_policy rmt_policy[RMT_A_MAX + 1] = {
	[RMT_A_TABLE]		= NLA_POLICY_NESTED(rmt_table_policy),
	[RMT_A_ENTRY]		= NLA_POLICY_NESTED(rmt_entry_policy),
	[RMT_A_PROG]		= NLA_POLICY_NESTED(rmt_prog_policy),
	[RMT_A_MODEL]		= NLA_POLICY_NESTED(rmt_model_policy),
	[RMT_A_CTXMAP]		= NLA_POLICY_NESTED(rmt_ctxmap_policy),
	[RMT_A_HOOK]		= RMT_OUTPUT_ONLY,
	[RMT_A_STATS]		= NLA_POLICY_NESTED(rmt_stats_policy),
	[RMT_A_TEST]		= NLA_POLICY_NESTED(rmt_test_policy),
	[RMT_A_BATCH]		= { .type = NLA_NESTED },
	[RMT_A_OP]		= NLA_POLICY_NESTED(rmt_op_policy),
	[RMT_A_GENERATION]	= RMT_OUTPUT_ONLY,
	[RMT_A_BATCH_OPS]	= RMT_OUTPUT_ONLY,
	[RMT_A_PAD]		= RMT_OUTPUT_ONLY,
	[RMT_A_ERROR]		= RMT_OUTPUT_ONLY,
};
