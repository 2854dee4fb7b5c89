// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RMT interpreter: computed-goto dispatch over the verified program,
 * one label per entry of RMT_OPCODES(), so an opcode without a handler
 * does not compile.
 *
 * The verifier has proved every operand in range; the only run-time
 * check is an instruction bound (the verifier's worst case) kept as
 * defence in depth: exceeding it aborts the run and the hook falls back
 * to the kernel's own decision.
 */
#include "core.h"
#include "alu.h"

#define RMT_REGS_ALLOC	16	/* r0-r10, then zeros; [15] is "no index" */

static void rmt_interp_matmul(const struct rmt_model *m,
			      const struct rmt_insn *insn, u8 *scratch)
{
	u32 idx = RMT_IMM_LO16(insn->imm), src = RMT_IMM_HI16(insn->imm);
	const struct rmt_tensor_desc *t = &m->tensors[idx];
	s32 *y = (s32 *)(scratch + insn->off);

	if (t->dtype == RMT_DT_I8)
		rmt_ml_matmul_i8(y, m->tensor_data[idx],
				 (const s8 *)(scratch + src), t->rows, t->cols);
	else
		rmt_ml_matmul_i16(y, m->tensor_data[idx],
				  (const s16 *)(scratch + src), t->rows, t->cols);
}

static void rmt_interp_requant(const struct rmt_model *m,
			       const struct rmt_insn *insn, u8 *scratch)
{
	u32 idx = RMT_IMM_LO16(insn->imm), src = RMT_IMM_HI16(insn->imm);
	const struct rmt_tensor_desc *t = &m->tensors[idx];

	rmt_ml_requant(scratch + insn->off, t->out_dtype,
		       (const s32 *)(scratch + src), t->rows, t->q_mult,
		       t->q_shift, t->q_zero);
}

static void rmt_interp_vector(const struct rmt_insn *insn, s64 *ctx,
			      u8 *scratch)
{
	u32 dtype = RMT_IMM_BYTE(insn->imm, 0);
	u32 first = RMT_IMM_BYTE(insn->imm, 2);
	u32 n = RMT_IMM_BYTE(insn->imm, 3), i;
	void *vec = scratch + insn->off;

	if (insn->code == RMT_OP_VECTOR_LD) {
		for (i = 0; i < n; i++)
			rmt_ml_store_elem(vec, dtype, i, ctx[first + i]);
	} else {
		for (i = 0; i < n; i++)
			ctx[first + i] = rmt_ml_load_elem(vec, dtype, i);
	}
}

/**
 * rmt_interp_run() - interpret a verified program
 * @prog: the program (and, through prog->env, its tail-call targets)
 * @rc: context fields, scratch buffer; receives r0 and counters
 *
 * Return: 0 with the verdict in rc->r0, or -E2BIG if the instruction
 * bound was hit (the caller falls back to its default).
 */
int rmt_interp_run(const struct rmt_prog *prog, struct rmt_run_ctx *rc)
{
	static const void *const jump[256] RMT_JUMP_TABLE = {
		[0 ... 255] = &&bad_opcode,
#define __RMT_OP_LABEL(code, name, mnem, fmt) [code] = &&op_##name,
		RMT_OPCODES(__RMT_OP_LABEL)
#undef __RMT_OP_LABEL
	};
	u64 regs[RMT_REGS_ALLOC] = { 0 };
	const struct rmt_insn *insn;
	const struct rmt_env *env;
	u8 *scratch = rc->scratch;
	s64 *ctx = rc->ctx;
	u64 bound;

#define DST	regs[RMT_INSN_DST(insn)]
#define SRC	regs[RMT_INSN_SRC(insn)]
#define IMM	rmt_imm64(insn->imm)
#define NEXT	do {							\
			if (unlikely(!bound--))				\
				goto overrun;				\
			goto *jump[insn->code];				\
		} while (0)
#define CONT	do { insn++; NEXT; } while (0)
#define JUMP	do { insn += insn->off + 1; NEXT; } while (0)
#define ALU(name, expr)							\
	op_##name##_R: { u64 a = DST, b = SRC; DST = (expr); CONT; }	\
	op_##name##_I: { u64 a = DST, b = IMM; DST = (expr); CONT; }
#define JCC(name, cond)							\
	op_##name##_R: { u64 a = DST, b = SRC; if (cond) JUMP; CONT; }	\
	op_##name##_I: { u64 a = DST, b = IMM; if (cond) JUMP; CONT; }
#define MEM(off_reg)	(scratch + (regs[off_reg] + insn->off))

start:
	env = prog->env;
	insn = prog->insns;
	bound = prog->max_insns;
	memset(scratch, 0, prog->scratch_size);
	NEXT;

	ALU(ADD, a + b)
	ALU(SUB, a - b)
	ALU(MUL, a * b)
	ALU(DIV, rmt_alu_div(a, b))
	ALU(MOD, rmt_alu_mod(a, b))
	ALU(AND, a & b)
	ALU(OR, a | b)
	ALU(XOR, a ^ b)
	ALU(LSH, rmt_alu_lsh(a, b))
	ALU(RSH, rmt_alu_rsh(a, b))
	ALU(ARSH, rmt_alu_arsh(a, b))
	ALU(MOV, ((void)a, b))
op_NEG:
	DST = -DST;
	CONT;
op_JA:
	JUMP;
	JCC(JEQ, a == b)
	JCC(JNE, a != b)
	JCC(JGT, a > b)
	JCC(JGE, a >= b)
	JCC(JLT, a < b)
	JCC(JLE, a <= b)
	JCC(JSGT, (s64)a > (s64)b)
	JCC(JSGE, (s64)a >= (s64)b)
	JCC(JSLT, (s64)a < (s64)b)
	JCC(JSLE, (s64)a <= (s64)b)
	JCC(JSET, a & b)
op_LOOP:
	DST = 0;
	CONT;
op_ENDLOOP:
	if (++DST < (u64)insn->imm)
		JUMP;
	CONT;
op_LDXB: { u8 v; memcpy(&v, MEM(RMT_INSN_SRC(insn)), 1); DST = v; CONT; }
op_LDXH: { u16 v; memcpy(&v, MEM(RMT_INSN_SRC(insn)), 2); DST = v; CONT; }
op_LDXW: { u32 v; memcpy(&v, MEM(RMT_INSN_SRC(insn)), 4); DST = v; CONT; }
op_LDXDW: { u64 v; memcpy(&v, MEM(RMT_INSN_SRC(insn)), 8); DST = v; CONT; }
op_STXB: { u8 v = SRC; memcpy(MEM(RMT_INSN_DST(insn)), &v, 1); CONT; }
op_STXH: { u16 v = SRC; memcpy(MEM(RMT_INSN_DST(insn)), &v, 2); CONT; }
op_STXW: { u32 v = SRC; memcpy(MEM(RMT_INSN_DST(insn)), &v, 4); CONT; }
op_STXDW: { u64 v = SRC; memcpy(MEM(RMT_INSN_DST(insn)), &v, 8); CONT; }
op_STB: { u8 v = IMM; memcpy(MEM(RMT_INSN_DST(insn)), &v, 1); CONT; }
op_STH: { u16 v = IMM; memcpy(MEM(RMT_INSN_DST(insn)), &v, 2); CONT; }
op_STW: { u32 v = IMM; memcpy(MEM(RMT_INSN_DST(insn)), &v, 4); CONT; }
op_STDW: { u64 v = IMM; memcpy(MEM(RMT_INSN_DST(insn)), &v, 8); CONT; }
op_LDF:
	DST = ctx[insn->off];
	CONT;
op_STF:
	ctx[insn->off] = SRC;
	CONT;
op_LD_CTXT:
	DST = rmt_ctxmap_load(env->maps[insn->imm], SRC, insn->off);
	CONT;
op_ST_CTXT:
	rmt_ctxmap_store(env->maps[insn->imm], DST, insn->off, SRC);
	CONT;
op_MATCH_CTXT:
	DST = rmt_ctxmap_contains(env->maps[insn->imm], SRC);
	CONT;
op_VECTOR_LD:
op_VECTOR_ST:
	rmt_interp_vector(insn, ctx, scratch);
	CONT;
op_VECTOR_LDH:
	rmt_ctxmap_history(env->maps[RMT_IMM_BYTE(insn->imm, 1)], SRC,
			   scratch + insn->off, RMT_IMM_BYTE(insn->imm, 0),
			   RMT_IMM_BYTE(insn->imm, 3));
	CONT;
op_MAT_MUL:
	rmt_interp_matmul(env->model, insn, scratch);
	CONT;
op_BIAS_ADD:
	rmt_ml_bias_add((s32 *)(scratch + insn->off),
			env->model->tensor_data[RMT_IMM_LO16(insn->imm)],
			env->model->tensors[RMT_IMM_LO16(insn->imm)].rows);
	CONT;
op_REQUANT:
	rmt_interp_requant(env->model, insn, scratch);
	CONT;
op_RELU:
	rmt_ml_relu(scratch + insn->off, RMT_IMM_HI16(insn->imm),
		    RMT_IMM_LO16(insn->imm));
	CONT;
op_ARGMAX:
	DST = rmt_ml_argmax(scratch + insn->off, RMT_IMM_HI16(insn->imm),
			    RMT_IMM_LO16(insn->imm));
	CONT;
op_SCALAR_VAL:
	DST = rmt_ml_load_elem(scratch + insn->off, RMT_IMM_HI16(insn->imm),
			       (u32)SRC);
	CONT;
op_DTREE:
	DST = rmt_ml_dtree(&env->model->trees[RMT_IMM_LO16(insn->imm)],
			   (const s32 *)(scratch + insn->off));
	CONT;
op_CALL:
	regs[0] = rmt_helper_call(insn->imm, &regs[1], rc);
	CONT;
op_TAIL_CALL:
	if (rc->tail_calls < RMT_MAX_TAIL_CALLS && env->tail[insn->imm]) {
		rc->tail_calls++;
		rc->insns += prog->max_insns - bound;
		prog = env->tail[insn->imm];
		goto start;
	}
	CONT;
op_EXIT:
	rc->r0 = (s64)regs[0];
	rc->insns += prog->max_insns - bound;
	return 0;
bad_opcode:	/* unreachable for verified programs */
overrun:
	rc->insns += prog->max_insns;
	return -E2BIG;
#undef DST
#undef SRC
#undef IMM
#undef NEXT
#undef CONT
#undef JUMP
#undef ALU
#undef JCC
#undef MEM
}
