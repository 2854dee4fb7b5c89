/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Verifier internals shared by its three passes: structure
 * (verifier.c), register dataflow (verifier_flow.c) and cost
 * (verifier_cost.c).
 */
#ifndef _RMT_VERIFIER_H
#define _RMT_VERIFIER_H

#include "core.h"

/* What the dataflow knows of a register: written or not, value range. */
struct rmt_vreg {
	u64 umin;
	u64 umax;
	u8 init;
};

struct rmt_vstate {
	struct rmt_vreg r[RMT_NR_REGS];
};

struct rmt_verifier {
	const struct rmt_insn *insns;
	u32 len;
	const struct rmt_env *env;
	struct rmt_diag *diag;
	s16 *loop_of;		/* innermost enclosing LOOP insn, or -1 */
	struct rmt_vstate *st;	/* state on entry to each insn */
	u8 *have;		/* st[i] valid */
	u8 *visits;		/* merges into each insn, for widening */
	u32 scratch_end;	/* highest scratch byte touched + 1 */
};

int rmt_verify_structure(struct rmt_verifier *v);
int rmt_verify_flow(struct rmt_verifier *v);
int rmt_verify_cost(struct rmt_verifier *v, u64 budget, u64 *cost,
		    u64 *max_insns);

/* Helpers for operands, shared by the passes. */
static inline u32 rmt_jump_target(const struct rmt_insn *insn, u32 pc)
{
	return pc + 1 + insn->off;
}

static inline bool rmt_op_is_jcc(u8 code)
{
	return code >= RMT_OP_JEQ_R && code <= RMT_OP_JSET_I;
}

bool rmt_verify_note_scratch(struct rmt_verifier *v, u32 pc, u64 start,
			     u64 len);

#endif /* _RMT_VERIFIER_H */
