// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding requests of the "rmt" family into store operations.  The
 * netlink core has already applied the policies (types, lengths,
 * ranges); this file checks what policies cannot express (required
 * attributes per command, lists, array lengths) and names the offending
 * attribute in every refusal.
 */
#include "genl.h"

int rmt_genl_hook_id(const char *name)
{
	u32 id;

	for (id = 0; rmt_hook_schema(id); id++)
		if (!strcmp(rmt_hook_schema(id)->name, name))
			return id;
	return -1;
}

static int rmt_decode_hook(struct nlattr *attr, u32 *hook,
			   struct netlink_ext_ack *extack)
{
	int id = rmt_genl_hook_id(nla_data(attr));

	if (id < 0) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unknown hook; 'rmtctl hook show' lists them");
		return -EINVAL;
	}
	*hook = id;
	return 0;
}

/* A nested list of NUL-terminated names of one attribute type. */
static int rmt_decode_names(struct nlattr *list, int type, char (*out)[RMT_NAME_MAX],
			    u32 max, u32 *n, struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int rem;

	*n = 0;
	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != type || nla_len(a) < 2 ||
		    nla_len(a) > RMT_NAME_MAX || ((char *)nla_data(a))[nla_len(a) - 1]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "list items must be NUL-terminated names of the list's item type");
			return -EINVAL;
		}
		if (*n == max) {
			NL_SET_ERR_MSG_ATTR(extack, a, "list is too long");
			return -E2BIG;
		}
		nla_strscpy(out[(*n)++], a, RMT_NAME_MAX);
	}
	if (rem) {
		NL_SET_ERR_MSG_ATTR(extack, list, "trailing bytes in a list");
		return -EINVAL;
	}
	return 0;
}

/* A binary array of 64-bit values; returns the count in *n. */
static int rmt_decode_array(struct nlattr *attr, void *out, u32 max, u32 *n,
			    struct netlink_ext_ack *extack)
{
	if (!attr) {
		*n = 0;
		return 0;
	}
	if (nla_len(attr) % 8 || nla_len(attr) > max * 8) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "must be an array of 64-bit values, one per key field");
		return -EINVAL;
	}
	memcpy(out, nla_data(attr), nla_len(attr));
	*n = nla_len(attr) / 8;
	return 0;
}

/* Name or handle, for DEL and GET. */
static int rmt_decode_select(struct rmt_genl_req *req, int name, int handle,
			     struct netlink_ext_ack *extack)
{
	if (req->tb[name]) {
		nla_strscpy(req->op.name, req->tb[name], RMT_NAME_MAX);
		return 0;
	}
	if (req->tb[handle]) {
		req->op.handle = nla_get_u64(req->tb[handle]);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, req->nest, "give the object's name or handle");
	return -EINVAL;
}

#define REQUIRE(req, type, extack)					\
	do {								\
		if (NL_REQ_ATTR_CHECK(extack, (req)->nest, (req)->tb, type)) { \
			NL_SET_ERR_MSG(extack, "missing required attribute " #type); \
			return -EINVAL;					\
		}							\
	} while (0)

static int rmt_decode_table(struct rmt_genl_req *req, struct netlink_ext_ack *extack)
{
	struct rmt_op *op = &req->op;
	struct nlattr **tb = req->tb;

	if (op->cmd != RMT_CMD_TABLE_NEW)
		return rmt_decode_select(req, RMT_A_TABLE_NAME, RMT_A_TABLE_HANDLE,
					 extack);
	REQUIRE(req, RMT_A_TABLE_NAME, extack);
	REQUIRE(req, RMT_A_TABLE_HOOK, extack);
	REQUIRE(req, RMT_A_TABLE_KEY, extack);
	REQUIRE(req, RMT_A_TABLE_MATCH, extack);
	REQUIRE(req, RMT_A_TABLE_SIZE, extack);
	nla_strscpy(op->name, tb[RMT_A_TABLE_NAME], RMT_NAME_MAX);
	if (rmt_decode_hook(tb[RMT_A_TABLE_HOOK], &op->table.hook, extack) ||
	    rmt_decode_names(tb[RMT_A_TABLE_KEY], RMT_A_TABLE_KEY_FIELD,
			     op->table.keys, RMT_MAX_KEY_FIELDS, &op->table.nkeys,
			     extack))
		return -EINVAL;
	op->table.match = nla_get_u8(tb[RMT_A_TABLE_MATCH]);
	op->table.size = nla_get_u32(tb[RMT_A_TABLE_SIZE]);
	if (tb[RMT_A_TABLE_DEFAULT])
		nla_strscpy(op->table.dflt, tb[RMT_A_TABLE_DEFAULT], RMT_NAME_MAX);
	if (tb[RMT_A_TABLE_LATENCY])
		op->table.latency_ns = nla_get_u64(tb[RMT_A_TABLE_LATENCY]);
	return 0;
}

static int rmt_decode_entry(struct rmt_genl_req *req, struct netlink_ext_ack *extack)
{
	struct rmt_op *op = &req->op;
	struct nlattr **tb = req->tb;

	REQUIRE(req, RMT_A_ENTRY_TABLE, extack);
	nla_strscpy(op->name, tb[RMT_A_ENTRY_TABLE], RMT_NAME_MAX);
	if (op->cmd == RMT_CMD_ENTRY_DEL) {
		REQUIRE(req, RMT_A_ENTRY_HANDLE, extack);
		op->handle = nla_get_u64(tb[RMT_A_ENTRY_HANDLE]);
		return 0;
	}
	REQUIRE(req, RMT_A_ENTRY_KEY, extack);
	REQUIRE(req, RMT_A_ENTRY_PROG, extack);
	nla_strscpy(op->entry.prog, tb[RMT_A_ENTRY_PROG], RMT_NAME_MAX);
	if (rmt_decode_array(tb[RMT_A_ENTRY_KEY], op->entry.key, RMT_MAX_KEY_FIELDS,
			     &op->entry.nkey, extack) ||
	    rmt_decode_array(tb[RMT_A_ENTRY_MASK], op->entry.mask,
			     RMT_MAX_KEY_FIELDS, &op->entry.nmask, extack) ||
	    rmt_decode_array(tb[RMT_A_ENTRY_KEY_HI], op->entry.key_hi,
			     RMT_MAX_KEY_FIELDS, &op->entry.nkey_hi, extack) ||
	    rmt_decode_array(tb[RMT_A_ENTRY_PARAMS], op->entry.params,
			     RMT_MAX_PARAMS, &op->entry.nparams, extack))
		return -EINVAL;
	if (tb[RMT_A_ENTRY_PREFIX]) {
		op->entry.prefix = nla_get_u8(tb[RMT_A_ENTRY_PREFIX]);
		op->entry.has_prefix = true;
	}
	if (tb[RMT_A_ENTRY_PRIORITY])
		op->entry.priority = nla_get_u32(tb[RMT_A_ENTRY_PRIORITY]);
	return 0;
}

static int rmt_decode_prog(struct rmt_genl_req *req, struct netlink_ext_ack *extack)
{
	struct rmt_op *op = &req->op;
	struct nlattr **tb = req->tb;

	if (op->cmd != RMT_CMD_PROG_NEW)
		return rmt_decode_select(req, RMT_A_PROG_NAME, RMT_A_PROG_HANDLE,
					 extack);
	REQUIRE(req, RMT_A_PROG_NAME, extack);
	REQUIRE(req, RMT_A_PROG_HOOK, extack);
	REQUIRE(req, RMT_A_PROG_INSNS, extack);
	nla_strscpy(op->name, tb[RMT_A_PROG_NAME], RMT_NAME_MAX);
	if (rmt_decode_hook(tb[RMT_A_PROG_HOOK], &op->prog.hook, extack))
		return -EINVAL;
	if (nla_len(tb[RMT_A_PROG_INSNS]) % sizeof(struct rmt_insn)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RMT_A_PROG_INSNS],
				    "instructions are 8 bytes each");
		return -EINVAL;
	}
	op->prog.insns = nla_data(tb[RMT_A_PROG_INSNS]);
	op->prog.len = nla_len(tb[RMT_A_PROG_INSNS]) / sizeof(struct rmt_insn);
	if (tb[RMT_A_PROG_MODEL])
		nla_strscpy(op->prog.model, tb[RMT_A_PROG_MODEL], RMT_NAME_MAX);
	if (tb[RMT_A_PROG_CTXMAPS] &&
	    rmt_decode_names(tb[RMT_A_PROG_CTXMAPS], RMT_A_PROG_REF, op->prog.maps,
			     RMT_MAX_CTXMAPS, &op->prog.nmaps, extack))
		return -EINVAL;
	if (tb[RMT_A_PROG_TAILS] &&
	    rmt_decode_names(tb[RMT_A_PROG_TAILS], RMT_A_PROG_REF, op->prog.tails,
			     RMT_MAX_PROGS - 1, &op->prog.ntails, extack))
		return -EINVAL;
	if (tb[RMT_A_PROG_BUDGET]) {
		op->prog.budget = nla_get_u64(tb[RMT_A_PROG_BUDGET]);
		op->prog.has_budget = true;
	}
	/* the policy bounds it to enum rmt_jit_tier; absent is AUTO */
	if (tb[RMT_A_PROG_JIT])
		op->prog.jit = nla_get_u8(tb[RMT_A_PROG_JIT]);
	if (tb[RMT_A_PROG_JITED]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RMT_A_PROG_JITED],
				    "RMT_A_PROG_JITED asks PROG_GET for machine code; PROG_NEW takes RMT_A_PROG_JIT");
		return -EINVAL;
	}
	return 0;
}

static int rmt_decode_model(struct rmt_genl_req *req, struct netlink_ext_ack *extack)
{
	struct rmt_op *op = &req->op;

	if (op->cmd != RMT_CMD_MODEL_NEW)
		return rmt_decode_select(req, RMT_A_MODEL_NAME, RMT_A_MODEL_HANDLE,
					 extack);
	REQUIRE(req, RMT_A_MODEL_NAME, extack);
	REQUIRE(req, RMT_A_MODEL_BLOB, extack);
	nla_strscpy(op->name, req->tb[RMT_A_MODEL_NAME], RMT_NAME_MAX);
	op->model.blob = nla_data(req->tb[RMT_A_MODEL_BLOB]);
	op->model.len = nla_len(req->tb[RMT_A_MODEL_BLOB]);
	return 0;
}

static int rmt_decode_ctxmap(struct rmt_genl_req *req, struct netlink_ext_ack *extack)
{
	struct rmt_op *op = &req->op;

	if (op->cmd != RMT_CMD_CTXMAP_NEW)
		return rmt_decode_select(req, RMT_A_CTXMAP_NAME,
					 RMT_A_CTXMAP_HANDLE, extack);
	REQUIRE(req, RMT_A_CTXMAP_NAME, extack);
	REQUIRE(req, RMT_A_CTXMAP_DESC, extack);
	nla_strscpy(op->name, req->tb[RMT_A_CTXMAP_NAME], RMT_NAME_MAX);
	memcpy(&op->ctxmap, nla_data(req->tb[RMT_A_CTXMAP_DESC]),
	       sizeof(op->ctxmap));
	return 0;
}

static_assert(RMT_A_TABLE_MAX <= RMT_GENL_OBJ_MAX &&
	      RMT_A_ENTRY_MAX <= RMT_GENL_OBJ_MAX &&
	      RMT_A_PROG_MAX <= RMT_GENL_OBJ_MAX &&
	      RMT_A_MODEL_MAX <= RMT_GENL_OBJ_MAX &&
	      RMT_A_CTXMAP_MAX <= RMT_GENL_OBJ_MAX,
	      "struct rmt_genl_req's tb must hold every object's attributes");

struct rmt_decoder {
	int attr;
	int maxtype;
	const struct nla_policy *policy;
	int (*decode)(struct rmt_genl_req *req, struct netlink_ext_ack *extack);
};

static const struct rmt_decoder *rmt_decoder_for(u32 cmd)
{
	static const struct rmt_decoder decoders[] = {
		{ RMT_A_TABLE, RMT_A_TABLE_MAX, rmt_table_policy, rmt_decode_table },
		{ RMT_A_ENTRY, RMT_A_ENTRY_MAX, rmt_entry_policy, rmt_decode_entry },
		{ RMT_A_PROG, RMT_A_PROG_MAX, rmt_prog_policy, rmt_decode_prog },
		{ RMT_A_MODEL, RMT_A_MODEL_MAX, rmt_model_policy, rmt_decode_model },
		{ RMT_A_CTXMAP, RMT_A_CTXMAP_MAX, rmt_ctxmap_policy, rmt_decode_ctxmap },
	};

	switch (cmd) {
	case RMT_CMD_TABLE_NEW ... RMT_CMD_TABLE_GET:
		return &decoders[0];
	case RMT_CMD_ENTRY_NEW ... RMT_CMD_ENTRY_GET:
		return &decoders[1];
	case RMT_CMD_PROG_NEW ... RMT_CMD_PROG_GET:
		return &decoders[2];
	case RMT_CMD_MODEL_NEW ... RMT_CMD_MODEL_GET:
		return &decoders[3];
	case RMT_CMD_CTXMAP_NEW ... RMT_CMD_CTXMAP_GET:
		return &decoders[4];
	}
	return NULL;
}

/**
 * rmt_genl_decode() - one request's attributes into a store operation
 * @cmd: the command (a NEW, DEL or GET)
 * @attrs: its parsed top-level attributes
 * @req: receives the operation and the attributes to blame later
 * @extack: receives the reason on refusal
 *
 * Return: 0 or a negative errno.
 */
int rmt_genl_decode(u32 cmd, struct nlattr **attrs, struct rmt_genl_req *req,
		    struct netlink_ext_ack *extack)
{
	const struct rmt_decoder *d = rmt_decoder_for(cmd);
	int err;

	memset(req, 0, sizeof(*req));
	req->op.cmd = cmd;
	if (!d) {
		NL_SET_ERR_MSG(extack, "command cannot be part of a transaction");
		return -EOPNOTSUPP;
	}
	if (!attrs[d->attr]) {
		NL_SET_ERR_MSG(extack, "missing the object's nested attributes");
		NL_SET_ERR_ATTR_MISS(extack, NULL, d->attr);
		return -EINVAL;
	}
	req->nest = attrs[d->attr];
	err = nla_parse_nested(req->tb, d->maxtype, req->nest, d->policy, extack);
	if (err)
		return err;
	return d->decode(req, extack);
}
