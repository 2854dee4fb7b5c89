// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verifier's cost pass: the worst-case cost of a run, in executed
 * instructions plus multiply-accumulates, must fit the hook's budget.
 *
 * Jumps go forward and loops nest, so one backward sweep computes, for
 * each instruction, the most expensive way to finish from it.  Inside a
 * loop body that is "to the end of this iteration"; a LOOP multiplies
 * its body by the trip count.  A break out of a loop is charged at the
 * cost of its target in the enclosing frame, which overestimates and so
 * stays safe.
 */
#include "verifier.h"

#define RMT_CTXMAP_COST	8	/* one probe window */

static u64 rmt_sat_add(u64 a, u64 b)
{
	u64 r;

	return check_add_overflow(a, b, &r) ? U64_MAX : r;
}

static u64 rmt_sat_mul(u64 a, u64 b)
{
	u64 r;

	return check_mul_overflow(a, b, &r) ? U64_MAX : r;
}

/* Work an instruction does besides being dispatched. */
static u64 rmt_insn_work(const struct rmt_verifier *v, const struct rmt_insn *insn)
{
	const struct rmt_model *m = v->env->model;
	u32 lo = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t;

	switch (insn->code) {
	case RMT_OP_MAT_MUL:
		t = &m->tensors[lo];
		return (u64)t->rows * t->cols + t->rows;
	case RMT_OP_BIAS_ADD:
	case RMT_OP_REQUANT:
		return m->tensors[lo].rows;
	case RMT_OP_RELU:
	case RMT_OP_ARGMAX:
		return lo;
	case RMT_OP_VECTOR_LD:
	case RMT_OP_VECTOR_ST:
	case RMT_OP_VECTOR_LDH:
		return RMT_IMM_BYTE(insn->imm, 3);
	case RMT_OP_DTREE:
		return m->trees[lo].depth + 1;
	case RMT_OP_LD_CTXT:
	case RMT_OP_ST_CTXT:
	case RMT_OP_MATCH_CTXT:
		return RMT_CTXMAP_COST;
	}
	return 0;
}

struct rmt_cost {
	u64 cost;	/* instructions + work */
	u64 insns;	/* instructions only */
};

static struct rmt_cost rmt_cost_max(struct rmt_cost a, struct rmt_cost b)
{
	return (struct rmt_cost){ max(a.cost, b.cost), max(a.insns, b.insns) };
}

/* Point at the instruction that contributes most on the worst path. */
static u32 rmt_cost_culprit(const struct rmt_verifier *v,
			    const struct rmt_cost *c)
{
	u64 best = 0;
	u32 pc = 0, culprit = 0;

	while (pc < v->len) {
		const struct rmt_insn *insn = &v->insns[pc];
		u64 own = rmt_insn_work(v, insn);

		if (insn->code == RMT_OP_LOOP)
			own = rmt_sat_mul(insn->imm, c[pc + 1].cost);
		if (own > best) {
			best = own;
			culprit = pc;
		}
		if (insn->code == RMT_OP_EXIT)
			break;
		if (insn->code == RMT_OP_LOOP)
			pc = rmt_jump_target(insn, pc) + 1;
		else if (insn->code == RMT_OP_JA)
			pc = rmt_jump_target(insn, pc);
		else if (rmt_op_is_jcc(insn->code) &&
			 c[rmt_jump_target(insn, pc)].cost > c[pc + 1].cost)
			pc = rmt_jump_target(insn, pc);
		else
			pc++;
	}
	return culprit;
}

int rmt_verify_cost(struct rmt_verifier *v, u64 budget, u64 *cost,
		    u64 *max_insns)
{
	struct rmt_cost *c;
	u32 pc;

	c = rmt_zalloc(v->len * sizeof(*c));
	if (!c) {
		rmt_diag_set(v->diag, RMT_E_NOMEM, -1, "out of memory");
		return -ENOMEM;
	}
	for (pc = v->len; pc-- > 0;) {
		const struct rmt_insn *insn = &v->insns[pc];
		struct rmt_cost own = { 1 + rmt_insn_work(v, insn), 1 };
		struct rmt_cost next = { 0, 0 };
		u32 t = rmt_jump_target(insn, pc);

		switch (insn->code) {
		case RMT_OP_EXIT:
		case RMT_OP_ENDLOOP:	/* ends one iteration */
			break;
		case RMT_OP_JA:
			next = c[t];
			break;
		case RMT_OP_LOOP:
			next.cost = rmt_sat_add(rmt_sat_mul(insn->imm, c[pc + 1].cost),
						c[t + 1].cost);
			next.insns = rmt_sat_add(rmt_sat_mul(insn->imm, c[pc + 1].insns),
						 c[t + 1].insns);
			break;
		default:
			next = c[pc + 1];
			if (rmt_op_is_jcc(insn->code))
				next = rmt_cost_max(next, c[t]);
		}
		c[pc].cost = rmt_sat_add(own.cost, next.cost);
		c[pc].insns = rmt_sat_add(own.insns, next.insns);
	}
	*cost = c[0].cost;
	*max_insns = c[0].insns;
	if (c[0].cost > budget)
		rmt_diag_set(v->diag, RMT_E_COST, rmt_cost_culprit(v, c),
			     "worst-case cost %llu exceeds the budget of %llu",
			     (unsigned long long)c[0].cost,
			     (unsigned long long)budget);
	rmt_free(c);
	return *cost > budget ? -E2BIG : 0;
}
