// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lowering of the ML opcodes in general-purpose registers (the scalar
 * tier, and the parts a SIMD tier leaves to it), specialised on the
 * shapes the verifier proved: loops are unrolled, weights and bias
 * become immediates, decision trees become compare-and-branch code.
 * Results are those of ml.c bit for bit.
 */
#include "jit_x86.h"

#define JIT_UNROLL_MACS		4096	/* larger matmuls call ml.c */
#define JIT_INLINE_NODES	2048	/* larger trees call ml.c */

static const struct rmt_model *jit_model(const struct rmt_jit *j)
{
	return j->prog->env->model;
}

static int xreg(u32 rmt_reg)
{
	return rmt_jit_reg[rmt_reg & 15];
}

/* Clamp a 64-bit register to the range of @dtype (r11 is clobbered). */
static void emit_saturate(struct rmt_jit *j, int reg, u32 dtype)
{
	s64 lo, hi;

	switch (dtype) {
	case RMT_DT_I8:  lo = S8_MIN;  hi = S8_MAX;  break;
	case RMT_DT_I16: lo = S16_MIN; hi = S16_MAX; break;
	case RMT_DT_I32: lo = S32_MIN; hi = S32_MAX; break;
	default: return;
	}
	emit_mov_imm(j, JIT_T1, hi);
	emit_alu_rr(j, X86_CMP, reg, JIT_T1);
	emit_cmov(j, CC_G, reg, JIT_T1);
	emit_mov_imm(j, JIT_T1, lo);
	emit_alu_rr(j, X86_CMP, reg, JIT_T1);
	emit_cmov(j, CC_L, reg, JIT_T1);
}

static struct x86_mem elem_at(s32 off, u32 dtype, u32 i)
{
	return mem_bd(JIT_SCRATCH, off + (s32)(i * rmt_dtype_size(dtype)));
}

/* ---- vectors and elements ---- */

void jit_scalar_vector_ld(struct rmt_jit *j, const struct rmt_insn *insn,
			  u32 from)
{
	u32 dtype = RMT_IMM_BYTE(insn->imm, 0);
	u32 first = RMT_IMM_BYTE(insn->imm, 2);
	u32 n = RMT_IMM_BYTE(insn->imm, 3), i;

	for (i = from; i < n; i++) {
		struct x86_mem f = mem_bd(JIT_CTX, 8 * (first + i));
		struct x86_mem e = elem_at(insn->off, dtype, i);

		if (insn->code == RMT_OP_VECTOR_LD) {
			emit_load(j, JIT_T0, &f, 8, false);
			emit_saturate(j, JIT_T0, dtype);
			emit_store(j, JIT_T0, &e, rmt_dtype_size(dtype));
		} else {
			emit_load(j, JIT_T0, &e, rmt_dtype_size(dtype), true);
			emit_store(j, JIT_T0, &f, 8);
		}
	}
}

static void emit_scalar_val(struct rmt_jit *j, const struct rmt_insn *insn)
{
	static const struct x86_op mov32 = { .nop = 1, .op = { 0x89 } };
	u32 dtype = RMT_IMM_HI16(insn->imm), size = rmt_dtype_size(dtype);
	int idx = xreg(RMT_INSN_SRC(insn));
	struct x86_mem m = mem_bd(JIT_SCRATCH, insn->off);

	if (idx >= 0) {
		emit_rr(j, &mov32, idx, JIT_T0);	/* (u32) index */
		m = mem_bid(JIT_SCRATCH, JIT_T0, size, insn->off);
	}
	emit_load(j, xreg(RMT_INSN_DST(insn)), &m, size, true);
}

/*
 * Measure @n bytes of code that a short jump must skip: emit it once
 * without a buffer.  The caller then emits the jump and the code.
 */
#define JIT_MEASURE(j, n, code) do {					\
		u8 *__buf = (j)->buf;					\
		u32 __start = (j)->len;					\
		(j)->buf = NULL;					\
		code;							\
		(n) = (j)->len - __start;				\
		(j)->len = __start;					\
		(j)->buf = __buf;					\
	} while (0)

static void emit_argmax_step(struct rmt_jit *j, int dst, u32 i)
{
	emit_mov_rr(j, JIT_T0, JIT_T1);
	emit_mov_imm(j, dst, i);
}

static void emit_argmax(struct rmt_jit *j, const struct rmt_insn *insn)
{
	u32 dtype = RMT_IMM_HI16(insn->imm), n = RMT_IMM_LO16(insn->imm);
	int dst = xreg(RMT_INSN_DST(insn));
	u32 i, skip;

	/* r10 = best so far, dst = its index; the first maximum wins */
	{
		struct x86_mem e = elem_at(insn->off, dtype, 0);

		emit_load(j, JIT_T0, &e, rmt_dtype_size(dtype), true);
	}
	emit_mov_imm(j, dst, 0);
	for (i = 1; i < n; i++) {
		struct x86_mem e = elem_at(insn->off, dtype, i);

		emit_load(j, JIT_T1, &e, rmt_dtype_size(dtype), true);
		emit_alu_rr(j, X86_CMP, JIT_T1, JIT_T0);
		JIT_MEASURE(j, skip, emit_argmax_step(j, dst, i));
		emit2(j, 0x70 | CC_LE, (u8)skip);
		emit_argmax_step(j, dst, i);
	}
}

void jit_scalar_relu(struct rmt_jit *j, s32 off, u32 dtype, u32 from, u32 n)
{
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	u32 i;

	emit_rr(j, &xor32, JIT_T1, JIT_T1);
	for (i = from; i < n; i++) {
		struct x86_mem e = elem_at(off, dtype, i);

		emit_load(j, JIT_T0, &e, rmt_dtype_size(dtype), true);
		emit_alu_rr(j, X86_TEST, JIT_T0, JIT_T0);
		emit_cmov(j, CC_S, JIT_T0, JIT_T1);
		emit_store(j, JIT_T0, &e, rmt_dtype_size(dtype));
	}
}

static void emit_bias(struct rmt_jit *j, const struct rmt_insn *insn)
{
	const struct rmt_model *m = jit_model(j);
	u32 idx = RMT_IMM_LO16(insn->imm), i;
	const s32 *b = m->tensor_data[idx];

	for (i = 0; i < m->tensors[idx].rows; i++) {
		struct x86_op add = { .nop = 1, .op = { 0x81 } };
		struct x86_mem e = elem_at(insn->off, RMT_DT_I32, i);

		if (!b[i])
			continue;
		emit_rm(j, &add, X86_D_ADD, &e, 4);	/* add dword, wraps */
		emit32(j, (u32)b[i]);
	}
}

void jit_scalar_requant(struct rmt_jit *j, const struct rmt_insn *insn,
			u32 from)
{
	static const struct x86_op imul = { .nop = 1, .op = { 0x69 }, .w = true };
	static const struct x86_op sar = { .nop = 1, .op = { 0xc1 }, .w = true };
	const struct rmt_tensor_desc *t =
		&jit_model(j)->tensors[RMT_IMM_LO16(insn->imm)];
	s32 src = RMT_IMM_HI16(insn->imm);
	s64 round = t->q_shift ? (s64)1 << (t->q_shift - 1) : 0;
	u32 i;

	for (i = from; i < t->rows; i++) {
		struct x86_mem in = elem_at(src, RMT_DT_I32, i);
		struct x86_mem out = elem_at(insn->off, t->out_dtype, i);

		emit_load(j, JIT_T0, &in, 4, true);
		emit_rr(j, &imul, JIT_T0, JIT_T0);
		emit32(j, (u32)t->q_mult);
		if (round) {
			emit_mov_imm(j, JIT_T1, round);
			emit_alu_rr(j, X86_ADD, JIT_T0, JIT_T1);
		}
		if (t->q_shift) {
			emit_rr(j, &sar, 7, JIT_T0);
			emit1(j, t->q_shift);
		}
		if (t->q_zero)
			emit_alu_ri(j, X86_D_ADD, JIT_T0, t->q_zero);
		emit_saturate(j, JIT_T0, t->out_dtype);
		emit_store(j, JIT_T0, &out, rmt_dtype_size(t->out_dtype));
	}
}

/**
 * jit_ml_inline() - is a MAT_MUL or DTREE lowered inline in scalar code?
 * @m: the program's model
 * @insn: the instruction
 *
 * Larger ones call rmt/ml.c.
 */
bool jit_ml_inline(const struct rmt_model *m, const struct rmt_insn *insn)
{
	u32 idx = RMT_IMM_LO16(insn->imm);

	if (insn->code == RMT_OP_DTREE)
		return m->trees[idx].nnodes <= JIT_INLINE_NODES;
	return (u64)m->tensors[idx].rows * m->tensors[idx].cols <=
	       JIT_UNROLL_MACS;
}

/* ---- matrix-vector product ---- */

static void emit_matmul_call(struct rmt_jit *j, const struct rmt_insn *insn,
			     const struct rmt_tensor_desc *t, const void *w)
{
	struct x86_mem y = mem_bd(JIT_SCRATCH, insn->off);
	struct x86_mem x = mem_bd(JIT_SCRATCH, RMT_IMM_HI16(insn->imm));

	jit_save_caller(j);
	emit_lea(j, RDI, &y);
	emit_mov_imm(j, RSI, (s64)(unsigned long)w);
	emit_lea(j, RDX, &x);
	emit_mov_imm(j, RCX, t->rows);
	emit_mov_imm(j, R8, t->cols);
	emit_call_abs(j, t->dtype == RMT_DT_I8 ? (const void *)rmt_ml_matmul_i8 :
						 (const void *)rmt_ml_matmul_i16);
	jit_restore_caller(j, -1);
}

/*
 * Rows unrolled, weights as immediates: acc += x[c] * w[r][c] in 32 bits.
 * int16 products fit in 32 bits and the sum wraps as ml.c's does.
 */
static void emit_matmul_gpr(struct rmt_jit *j, const struct rmt_insn *insn,
			    const struct rmt_tensor_desc *t, const void *w)
{
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	static const struct x86_op add32 = { .nop = 1, .op = { 0x01 } };
	u32 size = rmt_dtype_size(t->dtype), r, c;
	s32 x = RMT_IMM_HI16(insn->imm);

	for (r = 0; r < t->rows; r++) {
		struct x86_mem y = elem_at(insn->off, RMT_DT_I32, r);

		emit_rr(j, &xor32, JIT_T0, JIT_T0);
		for (c = 0; c < t->cols; c++) {
			size_t k = (size_t)r * t->cols + c;
			s32 wv = size == 1 ? ((const s8 *)w)[k] : ((const s16 *)w)[k];
			struct x86_mem xe = elem_at(x, t->dtype, c);
			struct x86_op imul = { .nop = 1, .op = { 0x6b } };

			if (!wv)
				continue;
			emit_load(j, JIT_T1, &xe, size, true);
			if (is_imm8(wv)) {
				emit_rr(j, &imul, JIT_T1, JIT_T1);
				emit1(j, (u8)wv);
			} else {
				imul.op[0] = 0x69;
				emit_rr(j, &imul, JIT_T1, JIT_T1);
				emit32(j, (u32)wv);
			}
			emit_rr(j, &add32, JIT_T1, JIT_T0);
		}
		emit_store(j, JIT_T0, &y, 4);
	}
}

static void emit_matmul(struct rmt_jit *j, const struct rmt_insn *insn)
{
	const struct rmt_model *m = jit_model(j);
	u32 idx = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t = &m->tensors[idx];

	if (jit_ml_inline(m, insn))
		emit_matmul_gpr(j, insn, t, m->tensor_data[idx]);
	else
		emit_matmul_call(j, insn, t, m->tensor_data[idx]);
}

/* ---- decision trees ---- */

/*
 * Every node has a fixed size, so node offsets are known up front:
 *   inner: cmp dword [rbp + feature], imm32; jg right; jmp left
 *   leaf:  mov dst, imm32; jmp end
 */
#define JIT_NODE_INNER	(10 + 6 + 5)
#define JIT_NODE_LEAF	(7 + 5)

static void emit_dtree_inline(struct rmt_jit *j, const struct rmt_insn *insn,
			      const struct rmt_tree *tree)
{
	static const struct x86_op movi = { .nop = 1, .op = { 0xc7 }, .w = true };
	u32 start = j->len, k, pos = 0, *at;
	int dst = xreg(RMT_INSN_DST(insn));

	at = rmt_zalloc((tree->nnodes + 1) * sizeof(u32));
	if (!at) {
		jit_fail(j, "out of memory for a decision tree");
		return;
	}
	for (k = 0; k < tree->nnodes; k++) {
		at[k] = start + pos;
		pos += (tree->nodes[k].flags & RMT_DTREE_LEAF) ?
		       JIT_NODE_LEAF : JIT_NODE_INNER;
	}
	at[k] = start + pos;
	for (k = 0; k < tree->nnodes; k++) {
		const struct rmt_dtree_node *n = &tree->nodes[k];

		if (n->flags & RMT_DTREE_LEAF) {
			emit_rr(j, &movi, 0, dst);
			emit32(j, (u32)n->value);
			emit1(j, 0xe9);
			emit32(j, at[tree->nnodes] - (j->len + 4));
			continue;
		}
		emit2(j, 0x81, 0xbd);	/* cmp dword [rbp + disp32], imm32 */
		emit32(j, (u32)(insn->off + 4 * n->feature));
		emit32(j, (u32)n->value);
		emit2(j, 0x0f, 0x80 | CC_G);
		emit32(j, at[n->right] - (j->len + 4));
		emit1(j, 0xe9);
		emit32(j, at[n->left] - (j->len + 4));
	}
	rmt_free(at);
}

static void emit_dtree(struct rmt_jit *j, const struct rmt_insn *insn)
{
	static const struct x86_op movsxd = { .nop = 1, .op = { 0x63 }, .w = true };
	const struct rmt_tree *tree = &jit_model(j)->trees[RMT_IMM_LO16(insn->imm)];
	struct x86_mem f = mem_bd(JIT_SCRATCH, insn->off);
	int dst = xreg(RMT_INSN_DST(insn));

	if (jit_ml_inline(jit_model(j), insn)) {
		emit_dtree_inline(j, insn, tree);
		return;
	}
	jit_save_caller(j);
	emit_mov_imm(j, RDI, (s64)(unsigned long)tree);
	emit_lea(j, RSI, &f);
	emit_call_abs(j, rmt_ml_dtree);
	emit_rr(j, &movsxd, JIT_T0, RAX);	/* s32 result */
	jit_restore_caller(j, dst);
	emit_mov_rr(j, dst, JIT_T0);
}

/**
 * jit_emit_ml() - emit an ML opcode for the pass's tier
 * @j: the pass
 * @i: instruction index
 */
void jit_emit_ml(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];

	if (j->tier == RMT_JIT_AMX && jit_amx_matmul(j, i))
		return;
	if (jit_tier_simd(j->tier) && jit_simd_ml(j, i))
		return;
	switch (insn->code) {
	case RMT_OP_VECTOR_LD:
	case RMT_OP_VECTOR_ST:
		jit_scalar_vector_ld(j, insn, 0);
		break;
	case RMT_OP_MAT_MUL:
		emit_matmul(j, insn);
		break;
	case RMT_OP_BIAS_ADD:
		emit_bias(j, insn);
		break;
	case RMT_OP_REQUANT:
		jit_scalar_requant(j, insn, 0);
		break;
	case RMT_OP_RELU:
		jit_scalar_relu(j, insn->off, RMT_IMM_HI16(insn->imm), 0,
				RMT_IMM_LO16(insn->imm));
		break;
	case RMT_OP_ARGMAX:
		emit_argmax(j, insn);
		break;
	case RMT_OP_SCALAR_VAL:
		emit_scalar_val(j, insn);
		break;
	case RMT_OP_DTREE:
		emit_dtree(j, insn);
		break;
	default:
		jit_fail(j, "ML opcode without a lowering");
	}
}
