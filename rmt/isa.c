// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tables derived from the ISA lists in uapi/linux/rmt.h: opcode names
 * and formats, and the helper whitelist with its implementations.
 */
#include "core.h"

const struct rmt_op_info rmt_op_info[256] = {
#define __RMT_OP_INFO(code, name, mnem, fmt) [code] = { mnem, fmt },
	RMT_OPCODES(__RMT_OP_INFO)
#undef __RMT_OP_INFO
};

const struct rmt_helper_info rmt_helper_info[] = {
#define __RMT_FN_INFO(id, name, str, nargs) [id] = { str, nargs },
	RMT_HELPERS(__RMT_FN_INFO)
#undef __RMT_FN_INFO
};

const unsigned int rmt_nr_helpers = ARRAY_SIZE(rmt_helper_info);

const struct rmt_helper_info *rmt_helper_lookup(s32 id)
{
	if (id <= 0 || (u32)id >= rmt_nr_helpers || !rmt_helper_info[id].name)
		return NULL;
	return &rmt_helper_info[id];
}

static s64 rmt_helper_ilog2(u64 v)
{
	return v ? (s64)ilog2(v) : -1;
}

/**
 * rmt_helper_call() - run a whitelisted helper
 * @id: RMT_FN_* (the verifier has checked it)
 * @args: r1-r5
 * @rc: the run, for helpers that read its state
 *
 * Return: the helper's result, 0 for an unknown id.
 */
s64 rmt_helper_call(s32 id, const u64 *args, const struct rmt_run_ctx *rc)
{
	s64 a = (s64)args[0], b = (s64)args[1];

	switch (id) {
	case RMT_FN_KTIME_NS:
		return (s64)rmt_ktime_ns();
	case RMT_FN_PRANDOM:
		return rmt_prandom_u32();
	case RMT_FN_CPU_ID:
		return rmt_cpu_id();
	case RMT_FN_ILOG2:
		return rmt_helper_ilog2(args[0]);
	case RMT_FN_MIN:
		return a < b ? a : b;
	case RMT_FN_MAX:
		return a > b ? a : b;
	case RMT_FN_ABS:
		return a == S64_MIN ? S64_MAX : (a < 0 ? -a : a);
	case RMT_FN_PARAM:
		return args[0] < rc->nparams ? rc->params[args[0]] : 0;
	}
	return 0;
}

/**
 * rmt_fmt_usage() - which instruction fields a format names
 * @fmt: an RMT_FMT_* string
 * @use: receives the fields
 */
void rmt_fmt_usage(const char *fmt, struct rmt_fmt_use *use)
{
	memset(use, 0, sizeof(*use));
	for (; *fmt; fmt++) {
		switch (*fmt) {
		case 'd':
			use->dst = true;
			break;
		case 'M':
			use->dst = use->off = true;
			break;
		case 's':
		case 'x':
			use->src = true;
			break;
		case 'm':
			use->src = use->off = true;
			break;
		case 'o':
		case 'j':
			use->off = true;
			break;
		case 'i':
			use->imm_mask = 0xffffffff;
			break;
		case 'l':
			use->imm_mask |= 0x0000ffff;
			break;
		case 'h':
			use->imm_mask |= 0xffff0000;
			break;
		case '0': case '1': case '2': case '3':
			use->imm_mask |= 0xffu << (8 * (*fmt - '0'));
			break;
		}
	}
}

/* True if every field the opcode's format does not name is zero. */
bool rmt_insn_reserved_clear(const struct rmt_insn *insn)
{
	struct rmt_fmt_use use;

	rmt_fmt_usage(rmt_op_info[insn->code].fmt, &use);
	return (use.dst || !RMT_INSN_DST(insn)) &&
	       (use.src || !RMT_INSN_SRC(insn)) &&
	       (use.off || !insn->off) && !((u32)insn->imm & ~use.imm_mask);
}
