// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verifier's entry point and its structural pass: known opcodes,
 * well-formed operands, jumps that stay inside the program and only go
 * forward, properly nested LOOP/ENDLOOP pairs, no unreachable code and
 * no falling off the end.  Later passes may then assume a well-formed
 * instruction stream.
 */
#include "verifier.h"

int rmt_verify_operands(struct rmt_verifier *v, u32 pc);

static bool rmt_reg_ok(u32 reg, bool none_ok)
{
	return reg < RMT_NR_REGS || (none_ok && reg == RMT_REG_NONE);
}

/* Registers must exist; fields the format does not name must be zero. */
static int rmt_verify_fields(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	const char *f = rmt_op_info[insn->code].fmt;
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);

	for (; *f; f++) {
		bool bad = false;
		u32 reg = dst;

		if (*f == 'd' || *f == 'M') {
			bad = !rmt_reg_ok(dst, *f == 'M');
		} else if (*f == 's' || *f == 'x' || *f == 'm') {
			reg = src;
			bad = !rmt_reg_ok(src, *f != 's');
		}
		if (bad) {
			rmt_diag_set(v->diag, RMT_E_BAD_REG, pc,
				     "invalid register r%u", reg);
			return -EINVAL;
		}
	}
	if (!rmt_insn_reserved_clear(insn)) {
		rmt_diag_set(v->diag, RMT_E_RESERVED, pc,
			     "reserved field set in %s", rmt_op_info[insn->code].name);
		return -EINVAL;
	}
	return 0;
}

/* Record loop nesting; check every LOOP has its own ENDLOOP. */
static int rmt_verify_loops(struct rmt_verifier *v)
{
	s16 stack[RMT_MAX_LOOP_DEPTH];
	int depth = 0;
	u32 pc;

	for (pc = 0; pc < v->len; pc++) {
		const struct rmt_insn *insn = &v->insns[pc];

		v->loop_of[pc] = depth ? stack[depth - 1] : -1;
		if (insn->code == RMT_OP_LOOP) {
			u32 end = rmt_jump_target(insn, pc);
			const struct rmt_insn *e = NULL;

			if (insn->off >= 0 && end < v->len)
				e = &v->insns[end];
			if (insn->imm < 1 || insn->imm > RMT_MAX_LOOP_TRIPS) {
				rmt_diag_set(v->diag, RMT_E_LOOP_TRIPS, pc,
					     "loop trip count %d out of range",
					     insn->imm);
				return -EINVAL;
			}
			if (!e || e->code != RMT_OP_ENDLOOP || e->regs != insn->regs ||
			    e->imm != insn->imm ||
			    rmt_jump_target(e, end) != pc + 1) {
				rmt_diag_set(v->diag, RMT_E_LOOP_MISMATCH, pc,
					     "loop has no matching endloop at insn %d",
					     (int)end);
				return -EINVAL;
			}
			if (depth == RMT_MAX_LOOP_DEPTH) {
				rmt_diag_set(v->diag, RMT_E_LOOP_DEPTH, pc,
					     "loops nested deeper than %d",
					     RMT_MAX_LOOP_DEPTH);
				return -EINVAL;
			}
			stack[depth++] = (s16)pc;
		} else if (insn->code == RMT_OP_ENDLOOP) {
			if (!depth ||
			    rmt_jump_target(&v->insns[stack[depth - 1]],
					    stack[depth - 1]) != pc) {
				rmt_diag_set(v->diag, RMT_E_LOOP_MISMATCH, pc,
					     "endloop without its loop");
				return -EINVAL;
			}
			depth--;
		}
	}
	return 0;
}

/* Is loop @inner equal to, or nested inside, loop @outer? */
static bool rmt_loop_within(const struct rmt_verifier *v, int inner, int outer)
{
	while (inner >= 0 && inner != outer)
		inner = v->loop_of[inner];
	return inner == outer;
}

static int rmt_verify_jump(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	s64 target = (s64)pc + 1 + insn->off;

	if (target < 0 || target >= v->len) {
		rmt_diag_set(v->diag, RMT_E_JUMP_RANGE, pc,
			     "jump out of range (to insn %lld of %u)",
			     (long long)target, v->len);
		return -EINVAL;
	}
	if (insn->off < 0) {
		rmt_diag_set(v->diag, RMT_E_BACK_JUMP, pc,
			     "backward jump to insn %lld", (long long)target);
		return -EINVAL;
	}
	/* The target's loop must enclose the jump (or be the same loop). */
	if (!rmt_loop_within(v, v->loop_of[pc], v->loop_of[target])) {
		rmt_diag_set(v->diag, RMT_E_JUMP_INTO_LOOP, pc,
			     "jump into the loop at insn %d", v->loop_of[target]);
		return -EINVAL;
	}
	return 0;
}

/* All edges but ENDLOOP's go forward, so one forward sweep suffices. */
static int rmt_verify_reachable(struct rmt_verifier *v)
{
	u32 pc;

	memset(v->have, 0, v->len);
	v->have[0] = 1;
	for (pc = 0; pc < v->len; pc++) {
		const struct rmt_insn *insn = &v->insns[pc];
		u8 code = insn->code;

		if (!v->have[pc]) {
			rmt_diag_set(v->diag, RMT_E_UNREACHABLE, pc,
				     "unreachable instruction");
			return -EINVAL;
		}
		if (code == RMT_OP_JA || rmt_op_is_jcc(code))
			v->have[rmt_jump_target(insn, pc)] = 1;
		if (code != RMT_OP_JA && code != RMT_OP_EXIT && pc + 1 < v->len)
			v->have[pc + 1] = 1;
	}
	return 0;
}

int rmt_verify_structure(struct rmt_verifier *v)
{
	u32 pc;
	int err;

	for (pc = 0; pc < v->len; pc++) {
		u8 code = v->insns[pc].code;

		if (!rmt_op_info[code].name) {
			rmt_diag_set(v->diag, RMT_E_BAD_OPCODE, pc,
				     "unknown opcode 0x%02x", code);
			return -EINVAL;
		}
		err = rmt_verify_fields(v, pc);
		if (err)
			return err;
	}
	if (v->insns[v->len - 1].code != RMT_OP_EXIT) {
		rmt_diag_set(v->diag, RMT_E_FALL_OFF, v->len - 1,
			     "last instruction is not exit");
		return -EINVAL;
	}
	err = rmt_verify_loops(v);
	if (err)
		return err;
	for (pc = 0; pc < v->len; pc++) {
		u8 code = v->insns[pc].code;

		if (code == RMT_OP_JA || rmt_op_is_jcc(code)) {
			err = rmt_verify_jump(v, pc);
			if (err)
				return err;
		}
		err = rmt_verify_operands(v, pc);
		if (err)
			return err;
	}
	return rmt_verify_reachable(v);
}

static void rmt_verifier_release(struct rmt_verifier *v)
{
	rmt_free(v->loop_of);
	rmt_free(v->st);
	rmt_free(v->have);
	rmt_free(v->visits);
}

/**
 * rmt_verify() - admit a program only if it is safe to run
 * @insns: the program
 * @len: number of instructions
 * @env: hook schema, model, context maps and tail-call slots it may use
 * @budget: largest worst-case cost (instructions plus MACs) allowed
 * @res: receives cost figures and scratch extent on success
 * @diag: receives the first rejection
 *
 * Never crashes or loops, whatever the bytes: every pass is bounded by
 * the program length, and the dataflow widens a register's range to
 * "unknown" where merges keep growing it (in practice, at loop heads).
 *
 * Return: 0, or a negative errno with @diag set.
 */
int rmt_verify(const struct rmt_insn *insns, u32 len,
	       const struct rmt_env *env, u64 budget,
	       struct rmt_verify_result *res, struct rmt_diag *diag)
{
	struct rmt_verifier v = {
		.insns = insns, .len = len, .env = env, .diag = diag,
	};
	int err;

	if (!len) {
		rmt_diag_set(diag, RMT_E_EMPTY, -1, "program is empty");
		return -EINVAL;
	}
	if (budget > RMT_MAX_BUDGET) {
		/* a run must stay short enough never to stall a CPU */
		rmt_diag_set(diag, RMT_E_COST, -1,
			     "budget %llu exceeds the limit of %llu",
			     (unsigned long long)budget,
			     (unsigned long long)RMT_MAX_BUDGET);
		return -E2BIG;
	}
	if (len > RMT_MAX_INSNS) {
		rmt_diag_set(diag, RMT_E_TOO_LONG, -1,
			     "program has %u instructions, over the limit of %d",
			     len, RMT_MAX_INSNS);
		return -E2BIG;
	}
	v.loop_of = rmt_zalloc(len * sizeof(*v.loop_of));
	v.st = rmt_zalloc(len * sizeof(*v.st));
	v.have = rmt_zalloc(len);
	v.visits = rmt_zalloc(len);
	if (!v.loop_of || !v.st || !v.have || !v.visits) {
		rmt_verifier_release(&v);
		rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory verifying %u instructions",
			     len);
		return -ENOMEM;
	}
	err = rmt_verify_structure(&v);
	if (!err)
		err = rmt_verify_flow(&v);
	if (!err)
		err = rmt_verify_cost(&v, budget, &res->cost, &res->max_insns);
	if (!err)
		res->scratch_size = (v.scratch_end + 7) & ~7u;
	rmt_verifier_release(&v);
	return err;
}
