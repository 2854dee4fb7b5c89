// SPDX-License-Identifier: GPL-2.0-only
/*
 * SIMD lowering of the ML opcodes: AVX-512 VNNI and AVX2.
 *
 * MAT_MUL is a matrix-vector product y = W x.  Weights are packed at
 * load time so that one vector register holds one group of k columns
 * for 16 (AVX-512) or 8 (AVX2) consecutive rows, and one broadcast of
 * k elements of x feeds a whole block of rows:
 *
 *   AVX-512, int8:  vpdpbusd, k = 4.  vpdpbusd multiplies unsigned by
 *                   signed bytes, so x is biased by 128 (x ^ 0x80) and
 *                   the accumulators start at -128 * sum(row), packed.
 *   AVX-512, int16: vpdpwssd, k = 2, signed by signed.
 *   AVX2:           vpmaddwd on int16 pairs, k = 2; int8 weights are
 *                   widened when packed.  (vpmaddubsw saturates its
 *                   int16 sums, which would not be bit-exact.)
 *
 * All products and sums are exact or wrap mod 2^32 exactly as ml.c
 * does.  Accumulators stay in registers for the whole product: up to 16
 * row blocks at once, with two or four partial sums per block when
 * there are few blocks, to cover the 4-cycle latency of vpdpbusd.  A
 * BIAS_ADD that directly follows its MAT_MUL is folded into the initial
 * accumulators.  Partial x groups at the end of a vector are assembled
 * in a general register, so nothing outside the operands is read.
 */
#include "jit_x86.h"
#include "jit_x86_ops.h"

#define ZMM_BCAST	30
#define ZMM_C80		31
#define YMM_BCAST	15
#define YMM_PROD	14

void jit_scalar_vector_ld(struct rmt_jit *j, const struct rmt_insn *insn,
			  u32 from);
void jit_scalar_relu(struct rmt_jit *j, s32 off, u32 dtype, u32 from, u32 n);
void jit_scalar_requant(struct rmt_jit *j, const struct rmt_insn *insn,
			u32 from);

static const struct rmt_model *jit_model(const struct rmt_jit *j)
{
	return j->prog->env->model;
}

static bool avx512(const struct rmt_jit *j)
{
	return j->tier == RMT_JIT_AVX512;
}

/* ---- planning: which BIAS_ADDs fold into their MAT_MUL ---- */

static bool is_jump(u8 code)
{
	return code == RMT_OP_JA || code == RMT_OP_ENDLOOP ||
	       (code >= RMT_OP_JEQ_R && code <= RMT_OP_JSET_I);
}

/* BIAS_ADD right after its MAT_MUL, on the same vector. */
static bool fuses_bias(const struct rmt_model *m, const struct rmt_insn *mm)
{
	const struct rmt_insn *b = mm + 1;

	return mm->code == RMT_OP_MAT_MUL && b->code == RMT_OP_BIAS_ADD &&
	       b->off == mm->off &&
	       m->tensors[RMT_IMM_LO16(b->imm)].rows ==
	       m->tensors[RMT_IMM_LO16(mm->imm)].rows;
}

/* RELU right after REQUANT, over exactly its output. */
static bool fuses_relu(const struct rmt_model *m, const struct rmt_insn *rq)
{
	const struct rmt_insn *r = rq + 1;
	const struct rmt_tensor_desc *t = &m->tensors[RMT_IMM_LO16(rq->imm)];

	return rq->code == RMT_OP_REQUANT && r->code == RMT_OP_RELU &&
	       r->off == rq->off && RMT_IMM_LO16(r->imm) == t->rows &&
	       RMT_IMM_HI16(r->imm) == t->out_dtype;
}

/**
 * jit_plan() - decide which instructions fold into the one before
 * @j: the code generation, before its first pass
 *
 * SIMD tiers fold a BIAS_ADD into the initial accumulators of its
 * MAT_MUL, and (AVX-512) a RELU into the REQUANT that produced its
 * input, unless something jumps to the folded instruction.
 */
void jit_plan(struct rmt_jit *j)
{
	const struct rmt_prog *p = j->prog;
	const struct rmt_model *m = p->env->model;
	u32 i;

	for (i = 0; i < p->len; i++)
		if (is_jump(p->insns[i].code) &&
		    i + p->insns[i].off + 1 < p->len)
			j->skip[i + p->insns[i].off + 1] |= JIT_TARGET;
	if (!m || !jit_tier_simd(j->tier))
		return;
	for (i = 0; i + 1 < p->len; i++) {
		const struct rmt_insn *insn = &p->insns[i];

		if ((fuses_bias(m, insn) ||
		     (avx512(j) && fuses_relu(m, insn))) &&
		    !(j->skip[i + 1] & JIT_TARGET))
			j->skip[i + 1] |= JIT_SKIP;
	}
}

/* ---- vectors kept in registers from one instruction to the next ---- */

/* The instruction emitted after @i (fused ones are not). */
static u32 next_emitted(const struct rmt_jit *j, u32 i)
{
	i++;
	while (i < j->prog->len && (j->skip[i] & JIT_SKIP))
		i++;
	return i;
}

static void vr_set(struct rmt_jit *j, u32 i, u8 kind, s32 off, u32 dtype,
		   u32 n)
{
	j->vr.insn = next_emitted(j, i);
	j->vr.kind = kind;
	j->vr.off = off;
	j->vr.dtype = dtype;
	j->vr.n = n;
	j->vr.per = kind == JIT_VR_ACC ? 16 : 8;
}

/* Are elements [0, n) of (off, dtype) in registers for instruction @i? */
static bool vr_has(const struct rmt_jit *j, u32 i, u8 kind, s32 off,
		   u32 dtype, u32 n)
{
	return j->vr.kind == kind && j->vr.insn == i &&
	       !(j->skip[i] & JIT_TARGET) && j->vr.off == off &&
	       j->vr.dtype == dtype && j->vr.n >= n;
}

#define VR_FIRST	16	/* zmm16-25 hold chunks */
#define VR_CHUNKS	10

/* ---- packing ---- */

struct mm_shape {
	u32 rows, cols;
	u32 lanes;	/* rows per block: 16 or 8 */
	u32 k;		/* x elements per broadcast group */
	u32 nrb, nkg;
	u32 vbytes;	/* bytes of one packed vector */
	bool i8;
	bool widen;	/* AVX2 int8: weights packed as int16 */
};

static s32 weight(const struct rmt_tensor_desc *t, const void *w, u32 r, u32 c)
{
	size_t k = (size_t)r * t->cols + c;

	if (r >= t->rows || c >= t->cols)
		return 0;
	return t->dtype == RMT_DT_I8 ? ((const s8 *)w)[k] : ((const s16 *)w)[k];
}

static void mm_shape(const struct rmt_jit *j, const struct rmt_tensor_desc *t,
		     struct mm_shape *s)
{
	s->rows = t->rows;
	s->cols = t->cols;
	s->i8 = t->dtype == RMT_DT_I8;
	s->lanes = avx512(j) ? 16 : 8;
	s->k = (avx512(j) && s->i8) ? 4 : 2;
	s->widen = !avx512(j) && s->i8;
	s->nrb = (s->rows + s->lanes - 1) / s->lanes;
	s->nkg = (s->cols + s->k - 1) / s->k;
	s->vbytes = s->lanes * 4;
}

/* Packed weights: [block][group][lane][k elements]. */
static u32 pack_weights(struct rmt_jit *j, const struct mm_shape *s,
			const struct rmt_tensor_desc *t, const void *w)
{
	u32 off = jit_data_alloc(j, s->nrb * s->nkg * s->vbytes, 64);
	u8 *d = jit_data_ptr(j, off);
	u32 rb, kg, l, e;

	if (!d)
		return off;
	for (rb = 0; rb < s->nrb; rb++)
		for (kg = 0; kg < s->nkg; kg++)
			for (l = 0; l < s->lanes; l++)
				for (e = 0; e < s->k; e++) {
					s32 v = weight(t, w, rb * s->lanes + l,
						       kg * s->k + e);
					size_t at = ((size_t)(rb * s->nkg + kg) *
						     s->lanes + l) * s->k + e;

					if (s->k == 4)
						((s8 *)d)[at] = (s8)v;
					else
						((s16 *)d)[at] = (s16)v;
				}
	return off;
}

/* Initial accumulators: the bias, and for vpdpbusd -128 * sum(row). */
/*
 * Row @r's initial sum: its bias, less 128 * sum(row) when x is fed to
 * vpdpbusd biased by 128.
 */
static s32 row_init(const struct rmt_tensor_desc *t, const void *w,
		    const s32 *bias, u32 r, bool biased)
{
	u32 v = bias ? (u32)bias[r] : 0, c;

	for (c = 0; biased && c < t->cols; c++)
		v -= 128u * (u32)weight(t, w, r, c);
	return (s32)v;
}

static u32 pack_init(struct rmt_jit *j, const struct mm_shape *s,
		     const struct rmt_tensor_desc *t, const void *w,
		     const s32 *bias)
{
	u32 off = jit_data_alloc(j, s->nrb * s->vbytes, 64);
	s32 *d = jit_data_ptr(j, off);
	u32 r;

	for (r = 0; d && r < s->rows; r++)
		d[r] = row_init(t, w, bias, r, s->k == 4);
	return off;
}

/* k1 = @bits (16 of them). */
static void emit_k1_bits(struct rmt_jit *j, u32 bits)
{
	emit_mov_imm(j, JIT_T1, bits);
	emit_vex_rr(j, &k_kmovw, 1, 0, JIT_T1);
}

/* k1 = the low @n bits, n <= 16. */
static void emit_k1_mask(struct rmt_jit *j, u32 n)
{
	emit_k1_bits(j, (1u << n) - 1);
}

/* k1 = the low @n bits, n < 64 (kmovq: AVX512BW). */
static void emit_k1_mask64(struct rmt_jit *j, u32 n)
{

	emit_mov_imm(j, JIT_T1, (s64)((1ULL << n) - 1));
	emit_vex_rr(j, &k_kmovq, 1, 0, JIT_T1);
}

/* vmovdqu8/16/32/64 by element type: F2.W0, F2.W1, F3.W0, F3.W1. */
static struct evex_op z_vmovdqu(u32 dtype, bool store)
{
	struct evex_op op = { 1, dtype <= RMT_DT_I16 ? 3 : 2,
			      dtype == RMT_DT_I16 || dtype == RMT_DT_I64, 2,
			      store ? 0x7f : 0x6f };

	return op;
}

/*
 * r11d = the x elements of group @kg that exist (the rest zero), laid
 * out as one dword: 4 bytes (int8), or 2 words (int16, or int8 widened).
 */
static void emit_group_gpr(struct rmt_jit *j, const struct mm_shape *s,
			   s32 x, u32 kg)
{
	static const struct x86_op movzx16 = { .nop = 2, .op = { 0x0f, 0xb7 } };
	static const struct x86_op or32 = { .nop = 1, .op = { 0x09 } };
	static const struct x86_op shl32 = { .nop = 1, .op = { 0xc1 } };
	u32 esize = s->i8 ? 1 : 2, first = kg * s->k, e;

	emit_mov_imm(j, JIT_T1, 0);
	for (e = 0; e < s->k && first + e < s->cols; e++) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, x + (first + e) * esize);
		u32 shift = s->k == 4 ? 8 * e : 16 * e;

		emit_load(j, JIT_T0, &m, esize, s->widen);
		if (s->widen)
			emit_rr(j, &movzx16, JIT_T0, JIT_T0);
		if (shift) {
			emit_rr(j, &shl32, 4, JIT_T0);
			emit1(j, shift);
		}
		emit_rr(j, &or32, JIT_T0, JIT_T1);
	}
}

static bool group_full(const struct mm_shape *s, u32 kg)
{
	return !s->widen && (kg + 1) * s->k <= s->cols;
}

/* ---- AVX-512 VNNI matmul ---- */

/* zmm30 = group @kg of x, from the registers the producer left. */
#define ZMM_IDX		26	/* zmm26-29: dword indices 0-3, for vpermd */

/*
 * Before a MAT_MUL that reads x from registers: bias int8 chunks by 128
 * in place (the producer's registers are dead after this instruction)
 * and load the vpermd indices that pick dword 1-3 of a chunk.
 */
static void z_prepare_vr(struct rmt_jit *j, const struct mm_shape *s)
{
	u32 nchunks = (s->cols + j->vr.per - 1) / j->vr.per, c, d;
	u32 off = jit_data_alloc(j, 16, 4);
	u32 *idx = jit_data_ptr(j, off);

	for (d = 0; idx && d < 4; d++)
		idx[d] = d;
	for (d = 1; d < 4; d++) {
		struct x86_mem m = mem_data(off + 4 * d);

		emit_evex_rm(j, &z_vpbroadcastd, ZMM_IDX + d, 0, &m, 0, false,
			     false, 0);
	}
	for (c = 0; s->i8 && c < nchunks; c++)
		emit_evex_rr(j, &z_vpxord, j->vr.reg[c], j->vr.reg[c], ZMM_C80,
			     0, false);
}

/* zmm30 = group @kg of x, one shuffle from the producer's registers. */
static void z_broadcast_vr(struct rmt_jit *j, const struct mm_shape *s, u32 kg)
{
	u32 first = kg * s->k, esize = s->i8 ? 1 : 2;
	int reg = j->vr.reg[first / j->vr.per];
	u32 dword = (first % j->vr.per) * esize / 4;

	if (dword)
		emit_evex_rr(j, &z_vpermd, ZMM_BCAST, ZMM_IDX + dword, reg, 0,
			     false);
	else
		emit_evex_rr(j, &z_vpbroadcastd, ZMM_BCAST, 0, reg, 0, false);
}

static void z_broadcast(struct rmt_jit *j, const struct mm_shape *s, s32 x,
			u32 kg, bool from_regs)
{
	if (from_regs) {
		z_broadcast_vr(j, s, kg);
		return;		/* already biased by z_prepare_vr() */
	}
	if (group_full(s, kg)) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, x + 4 * kg);

		emit_evex_rm(j, &z_vpbroadcastd, ZMM_BCAST, 0, &m, 0, false,
			     false, 0);
	} else {
		emit_group_gpr(j, s, x, kg);
		emit_evex_rr(j, &x_vmovd, ZMM_BCAST, 0, JIT_T1, 0, false);
		emit_evex_rr(j, &z_vpbroadcastd, ZMM_BCAST, 0, ZMM_BCAST, 0,
			     false);
	}
	if (s->i8)
		emit_evex_rr(j, &z_vpxord, ZMM_BCAST, ZMM_BCAST, ZMM_C80, 0,
			     false);
}

static void z_store_rows(struct rmt_jit *j, const struct mm_shape *s, s32 y,
			 u32 rb, int zmm)
{
	struct x86_mem m = mem_bd(JIT_SCRATCH, y + 64 * rb);
	u32 left = s->rows - rb * 16;

	if (left >= 16) {
		emit_evex_rm(j, &z_vmovdqu32_st, zmm, 0, &m, 0, false, false, 0);
	} else {
		emit_k1_mask(j, left);
		emit_evex_rm(j, &z_vmovdqu32_st, zmm, 0, &m, 1, false, false, 0);
	}
}

static void z_matmul_chunk(struct rmt_jit *j, const struct mm_shape *s,
			   s32 y, s32 x, u32 woff, u32 ioff, u32 rb0, u32 ch,
			   bool from_regs)
{
	const struct evex_op *dp = s->i8 ? &z_vpdpbusd : &z_vpdpwssd;
	u32 p = ch >= 8 ? 1 : ch >= 4 ? 2 : 4, rbi, kg, q, step;

	p = min(p, s->nkg);
	for (rbi = 0; rbi < ch; rbi++) {
		struct x86_mem m = mem_data(ioff + 64 * (rb0 + rbi));

		emit_evex_rm(j, &z_vmovdqu32_ld, rbi * p, 0, &m, 0, false,
			     false, 0);
		for (q = 1; q < p; q++)
			emit_evex_rr(j, &z_vpxord, rbi * p + q, rbi * p + q,
				     rbi * p + q, 0, false);
	}
	for (kg = 0; kg < s->nkg; kg++) {
		z_broadcast(j, s, x, kg, from_regs);
		for (rbi = 0; rbi < ch; rbi++) {
			struct x86_mem m = mem_data(woff + 64 *
						    ((rb0 + rbi) * s->nkg + kg));

			emit_evex_rm(j, dp, rbi * p + kg % p, ZMM_BCAST, &m, 0,
				     false, false, 0);
		}
	}
	for (rbi = 0; rbi < ch; rbi++) {
		for (step = 1; step < p; step *= 2)	/* pairwise: short chains */
			for (q = 0; q + step < p; q += 2 * step)
				emit_evex_rr(j, &z_vpaddd, rbi * p + q, rbi * p + q,
					     rbi * p + q + step, 0, false);
		z_store_rows(j, s, y, rb0 + rbi, rbi * p);
		j->vr.reg[rbi] = rbi * p;
	}
}

/*
 * x comes from the registers of the instruction before when it left
 * them (a VECTOR_LD or REQUANT of the same vector); the result stays in
 * the accumulators for the next instruction when one chunk holds it.
 */
/* The largest |y_r| any input can give: sum |w| * max |x| + |bias|. */
static u64 mm_bound(const struct rmt_tensor_desc *t, const void *w,
		    const s32 *bias)
{
	u64 xmax = t->dtype == RMT_DT_I8 ? 128 : 32768, best = 0, sum;
	u32 r, c;

	for (r = 0; r < t->rows; r++) {
		s32 b = bias ? bias[r] : 0;

		sum = b < 0 ? -(s64)b : b;
		for (c = 0; c < t->cols; c++) {
			s32 v = weight(t, w, r, c);

			sum += (u64)(v < 0 ? -v : v) * xmax;
		}
		best = max(best, sum);
	}
	return best;
}

static void z_matmul(struct rmt_jit *j, u32 i, const struct mm_shape *s,
		     s32 y, s32 x, u32 woff, u32 ioff, u64 bound)
{
	bool from_regs = vr_has(j, i, JIT_VR_CHUNKS, x,
				s->i8 ? RMT_DT_I8 : RMT_DT_I16, s->cols) &&
			 j->vr.per <= 16;
	u32 rb0;

	if (s->i8) {
		u32 c = jit_data_alloc(j, 4, 4);
		u32 *d = jit_data_ptr(j, c);
		struct x86_mem m = mem_data(c);

		if (d)
			*d = 0x80808080u;
		emit_evex_rm(j, &z_vpbroadcastd, ZMM_C80, 0, &m, 0, false,
			     false, 0);
	}
	if (from_regs)
		z_prepare_vr(j, s);
	for (rb0 = 0; rb0 < s->nrb; rb0 += 16)
		z_matmul_chunk(j, s, y, x, woff, ioff, rb0,
			       min(16u, s->nrb - rb0), from_regs);
	j->vr.kind = JIT_VR_NONE;
	if (s->nrb <= 16) {
		vr_set(j, i, JIT_VR_ACC, y, RMT_DT_I32, s->rows);
		j->vr.bound = bound;
	}
}

/* ---- AVX2 matmul ---- */

static void y_broadcast(struct rmt_jit *j, const struct mm_shape *s, s32 x,
			u32 kg)
{
	if (group_full(s, kg)) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, x + 4 * kg);

		emit_vex_rm(j, &y_vpbroadcastd, YMM_BCAST, 0, &m, 0);
	} else {
		emit_group_gpr(j, s, x, kg);
		emit_vex_rr(j, &x_vmovd_vex, YMM_BCAST, 0, JIT_T1);
		emit_vex_rr(j, &y_vpbroadcastd, YMM_BCAST, 0, YMM_BCAST);
	}
}

static void y_store_rows(struct rmt_jit *j, const struct mm_shape *s, s32 y,
			 u32 rb, int ymm)
{
	struct x86_mem m = mem_bd(JIT_SCRATCH, y + 32 * rb);
	u32 left = s->rows - rb * 8, moff, l;
	struct x86_mem mm;
	s32 *d;

	if (left >= 8) {
		emit_vex_rm(j, &y_vmovdqu_st, ymm, 0, &m, 0);
		return;
	}
	moff = jit_data_alloc(j, 32, 32);
	d = jit_data_ptr(j, moff);
	for (l = 0; d && l < left; l++)
		d[l] = -1;
	mm = mem_data(moff);
	emit_vex_rm(j, &y_vmovdqu_ld, YMM_BCAST, 0, &mm, 0);
	emit_vex_rm(j, &y_vpmaskmovd_st, ymm, YMM_BCAST, &m, 0);
}

static void y_matmul(struct rmt_jit *j, const struct mm_shape *s, s32 y,
		     s32 x, u32 woff, u32 ioff)
{
	u32 rb0, rbi, kg, ch;

	for (rb0 = 0; rb0 < s->nrb; rb0 += ch) {
		ch = min(14u, s->nrb - rb0);
		for (rbi = 0; rbi < ch; rbi++) {
			struct x86_mem m = mem_data(ioff + 32 * (rb0 + rbi));

			emit_vex_rm(j, &y_vmovdqu_ld, rbi, 0, &m, 0);
		}
		for (kg = 0; kg < s->nkg; kg++) {
			y_broadcast(j, s, x, kg);
			for (rbi = 0; rbi < ch; rbi++) {
				struct x86_mem m = mem_data(woff + 32 *
					((rb0 + rbi) * s->nkg + kg));

				emit_vex_rm(j, &y_vpmaddwd, YMM_PROD, YMM_BCAST,
					    &m, 0);
				emit_vex_rr(j, &y_vpaddd, rbi, rbi, YMM_PROD);
			}
		}
		for (rbi = 0; rbi < ch; rbi++)
			y_store_rows(j, s, y, rb0 + rbi, rbi);
	}
}

/* ---- AVX-512 matmul of a few long rows: one dot product per row ---- */

#define DOT_MAX_ROWS	4

static bool dot_shape(const struct rmt_jit *j, const struct rmt_tensor_desc *t)
{
	return avx512(j) && t->dtype == RMT_DT_I8 && t->rows <= DOT_MAX_ROWS &&
	       t->cols >= 64;
}

/* [row][64-column chunk][64 bytes], then the initial sums of the rows. */
static u32 pack_dot(struct rmt_jit *j, const struct rmt_tensor_desc *t,
		    const void *w, const s32 *bias, u32 nchunks, u32 *init)
{
	u32 off = jit_data_alloc(j, t->rows * nchunks * 64, 64);
	s8 *d = jit_data_ptr(j, off);
	s32 *v;
	u32 r, c;

	for (r = 0; d && r < t->rows; r++)
		for (c = 0; c < t->cols; c++)
			d[(r * nchunks + c / 64) * 64 + c % 64] =
				(s8)weight(t, w, r, c);
	*init = jit_data_alloc(j, 64, 64);
	v = jit_data_ptr(j, *init);
	for (r = 0; v && r < t->rows; r++)
		v[r] = row_init(t, w, bias, r, true);
	return off;
}

/*
 * Combine zmm @r's 16 lanes with @op (vpaddd: their sum, vpmaxsd: their
 * maximum) and spread the result to every lane: two 128-bit lane swaps,
 * then two dword swaps within lanes.  zmm30 is the temporary.
 */
static void z_spread(struct rmt_jit *j, int r, const struct evex_op *op)
{
	static const u8 shuf[4][2] = { { 1, 0x4e }, { 1, 0xb1 }, { 0, 0x4e },
				       { 0, 0xb1 } };
	u32 k;

	for (k = 0; k < 4; k++) {
		emit_evex_rr(j, shuf[k][0] ? &z_vshufi32x4 : &z_vpshufd, ZMM_BCAST,
			     shuf[k][0] ? r : 0, r, 0, false);
		emit1(j, shuf[k][1]);
		emit_evex_rr(j, op, r, r, ZMM_BCAST, 0, false);
	}
}

/*
 * y_r = sum over 64-column chunks of vpdpbusd(x ^ 0x80, W_r), each row
 * in its own accumulator, then a horizontal sum; the rows end up in the
 * lanes of zmm0, which the next instruction may use.  x comes from the
 * producer's registers (64 elements each) or from scratch, the last
 * chunk under a mask.
 */
static void z_matmul_dot(struct rmt_jit *j, u32 i, const struct rmt_tensor_desc *t,
			 const void *w, const s32 *bias)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	s32 x = RMT_IMM_HI16(insn->imm);
	u32 nchunks = (t->cols + 63) / 64, init, woff, r, c, cc;
	bool from_regs = vr_has(j, i, JIT_VR_CHUNKS, x, RMT_DT_I8, t->cols) &&
			 j->vr.per == 64;
	struct evex_op ld8 = z_vmovdqu(RMT_DT_I8, false);
	struct x86_mem m;
	u32 *d;

	woff = pack_dot(j, t, w, bias, nchunks, &init);
	cc = jit_data_alloc(j, 4, 4);
	d = jit_data_ptr(j, cc);
	if (d)
		*d = 0x80808080u;
	m = mem_data(cc);
	emit_evex_rm(j, &z_vpbroadcastd, ZMM_C80, 0, &m, 0, false, false, 0);
	for (r = 0; r < t->rows; r++)
		emit_evex_rr(j, &z_vpxord, r, r, r, 0, false);
	for (c = 0; c < nchunks; c++) {
		if (from_regs) {
			emit_evex_rr(j, &z_vpxord, ZMM_BCAST, j->vr.reg[c],
				     ZMM_C80, 0, false);
		} else {
			bool masked = 64 * (c + 1) > t->cols;

			m = mem_bd(JIT_SCRATCH, x + 64 * c);
			if (masked)
				emit_k1_mask64(j, t->cols - 64 * c);
			emit_evex_rm(j, &ld8, ZMM_BCAST, 0, &m, masked ? 1 : 0,
				     masked, false, 0);
			emit_evex_rr(j, &z_vpxord, ZMM_BCAST, ZMM_BCAST, ZMM_C80,
				     0, false);
		}
		for (r = 0; r < t->rows; r++) {
			m = mem_data(woff + (r * nchunks + c) * 64);
			emit_evex_rm(j, &z_vpdpbusd, r, ZMM_BCAST, &m, 0, false,
				     false, 0);
		}
	}
	for (r = 0; r < t->rows; r++)
		z_spread(j, r, &z_vpaddd);
	for (r = 1; r < t->rows; r++) {		/* lane r of zmm0 = row r */
		emit_k1_bits(j, 1u << r);
		emit_evex_rr(j, &z_vmovdqa32, 0, 0, r, 1, false);
	}
	m = mem_data(init);
	emit_evex_rm(j, &z_vpaddd, 0, 0, &m, 0, false, false, 0);
	emit_k1_mask(j, t->rows);
	m = mem_bd(JIT_SCRATCH, insn->off);
	emit_evex_rm(j, &z_vmovdqu32_st, 0, 0, &m, 1, false, false, 0);
	j->vr.kind = JIT_VR_NONE;
	vr_set(j, i, JIT_VR_ACC, insn->off, RMT_DT_I32, t->rows);
	j->vr.reg[0] = 0;
	j->vr.bound = mm_bound(t, w, bias);
}

static void simd_matmul(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	const struct rmt_model *m = jit_model(j);
	u32 idx = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t = &m->tensors[idx];
	const s32 *bias = NULL;
	struct mm_shape s;
	u32 woff, ioff;

	if (i + 1 < j->prog->len && (j->skip[i + 1] & JIT_SKIP))
		bias = m->tensor_data[RMT_IMM_LO16(insn[1].imm)];
	if (dot_shape(j, t)) {
		z_matmul_dot(j, i, t, m->tensor_data[idx], bias);
		return;
	}
	mm_shape(j, t, &s);
	woff = pack_weights(j, &s, t, m->tensor_data[idx]);
	ioff = pack_init(j, &s, t, m->tensor_data[idx], bias);
	if (avx512(j))
		z_matmul(j, i, &s, insn->off, RMT_IMM_HI16(insn->imm), woff, ioff,
			 mm_bound(t, m->tensor_data[idx], bias));
	else
		y_matmul(j, &s, insn->off, RMT_IMM_HI16(insn->imm), woff, ioff);
}

/* ---- relu, requant, vector loads ---- */


/* AVX-512: whole registers, then one masked register for the tail. */
static void z_relu(struct rmt_jit *j, s32 off, u32 dtype, u32 n)
{
	u32 per = 64 / rmt_dtype_size(dtype), k;
	struct evex_op ld = z_vmovdqu(dtype, false), st = z_vmovdqu(dtype, true);

	emit_evex_rr(j, &z_vpxord, 29, 29, 29, 0, false);
	for (k = 0; (k + 1) * per <= n; k++) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, off + k * 64);

		emit_evex_rm(j, &zmax[dtype], ZMM_BCAST, 29, &m, 0, false,
			     false, 0);
		emit_evex_rm(j, &z_vmovdqu32_st, ZMM_BCAST, 0, &m, 0, false,
			     false, 0);
	}
	if (k * per < n) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, off + k * 64);

		emit_k1_mask64(j, n - k * per);
		emit_evex_rm(j, &ld, ZMM_BCAST, 0, &m, 1, true, false, 0);
		emit_evex_rr(j, &zmax[dtype], ZMM_BCAST, ZMM_BCAST, 29, 0, false);
		emit_evex_rm(j, &st, ZMM_BCAST, 0, &m, 1, false, false, 0);
	}
}

static bool simd_relu(struct rmt_jit *j, const struct rmt_insn *insn)
{
	u32 dtype = RMT_IMM_HI16(insn->imm), n = RMT_IMM_LO16(insn->imm);
	u32 per = 32 / rmt_dtype_size(dtype), k;

	if (avx512(j)) {
		z_relu(j, insn->off, dtype, n);
		return true;
	}
	if (dtype == RMT_DT_I64)
		return false;
	emit_vex_rr(j, &y_vpxor, 13, 13, 13);
	for (k = 0; (k + 1) * per <= n; k++) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, insn->off + k * 32);

		emit_vex_rm(j, &ymax[dtype], YMM_PROD, 13, &m, 0);
		emit_vex_rm(j, &y_vmovdqu_st, YMM_PROD, 0, &m, 0);
	}
	if (k * per < n)
		jit_scalar_relu(j, insn->off, dtype, k * per, n);
	return true;
}

static u32 data_q(struct rmt_jit *j, s64 v)
{
	u32 off = jit_data_alloc(j, 8, 8);
	s64 *d = jit_data_ptr(j, off);

	if (d)
		*d = v;
	return off;
}

/*
 * Narrow zmm30 (8 int64) with signed saturation into @reg (vpmovsq{b,w,d}
 * xmm/ymm, zmm) and store the @dtype elements: whole, or under mask k1.
 * int64 is copied as it is.
 */
static void z_narrow_store(struct rmt_jit *j, u32 dtype, int reg,
			   struct x86_mem *m, bool masked)
{
	static const u8 op[5] = { [RMT_DT_I8] = 0x22, [RMT_DT_I16] = 0x24,
				  [RMT_DT_I32] = 0x25 };
	struct evex_op narrow = { 2, 2, 0, 2, op[dtype] };
	struct evex_op st = z_vmovdqu(dtype, true);

	if (dtype == RMT_DT_I64) {
		emit_evex_rr(j, &z_vmovdqu64_ld, reg, 0, ZMM_BCAST, 0, false);
	} else {
		/* reg/rm swapped: the register destination is ModRM.rm */
		emit_evex_rr(j, &narrow, ZMM_BCAST, 0, reg, 0, false);
	}
	if (masked) {
		emit_evex_rm(j, &st, reg, 0, m, 1, false, false, 0);
		return;
	}
	switch (dtype) {
	case RMT_DT_I8:
		emit_evex_rm(j, &x_vmovq_st, reg, 0, m, 0, false, false, 0);
		break;
	case RMT_DT_I16:
		st.l = 0;
		emit_evex_rm(j, &st, reg, 0, m, 0, false, false, 0);
		break;
	case RMT_DT_I32:
		st.l = 1;
		emit_evex_rm(j, &st, reg, 0, m, 0, false, false, 0);
		break;
	default:
		emit_evex_rm(j, &st, reg, 0, m, 0, false, false, 0);
		break;
	}
}

/* The register chunk @k of a vector goes to, or zmm30 if there are too many. */
static int chunk_reg(u32 k, u32 nchunks)
{
	return nchunks <= VR_CHUNKS ? VR_FIRST + k : ZMM_BCAST;
}

/* zmm30 = eight int32 of the input, sign-extended, from memory or registers. */
static void z_requant_load(struct rmt_jit *j, s32 src, u32 k, bool masked,
			   bool from_acc)
{
	struct x86_mem in = mem_bd(JIT_SCRATCH, src + 32 * k);
	int acc = j->vr.reg[k / 2];

	if (!from_acc) {
		emit_evex_rm(j, &z_vpmovsxdq, ZMM_BCAST, 0, &in, masked ? 1 : 0,
			     masked, false, 0);
		return;
	}
	if (k % 2) {
		emit_evex_rr(j, &z_vextracti64x4, acc, 0, ZMM_BCAST, 0, false);
		emit1(j, 1);
		acc = ZMM_BCAST;
	}
	emit_evex_rr(j, &z_vpmovsxdq, ZMM_BCAST, 0, acc, 0, false);
}

static void z_requant_chunk(struct rmt_jit *j, const struct rmt_tensor_desc *t,
			    s32 off, u32 k, bool masked, bool relu, int reg)
{
	u32 osize = rmt_dtype_size(t->out_dtype);
	struct x86_mem out = mem_bd(JIT_SCRATCH, off + 8 * osize * k);

	emit_evex_rr(j, &z_vpmuldq, ZMM_BCAST, ZMM_BCAST, 29, 0, false);
	emit_evex_rr(j, &z_vpaddq, ZMM_BCAST, ZMM_BCAST, 28, 0, false);
	if (t->q_shift) {
		emit_evex_rr(j, &z_vpsraq_imm, 4, ZMM_BCAST, ZMM_BCAST, 0, false);
		emit1(j, t->q_shift);
	}
	emit_evex_rr(j, &z_vpaddq, ZMM_BCAST, ZMM_BCAST, 27, 0, false);
	if (relu)	/* relu(saturate(v)) = saturate(max(v, 0)) */
		emit_evex_rr(j, &zmax[RMT_DT_I64], ZMM_BCAST, ZMM_BCAST, 26, 0,
			     false);
	z_narrow_store(j, t->out_dtype, reg, &out, masked);
}

/*
 * Eight int32 at a time widened to int64: multiply, round, shift, add
 * the zero point, and narrow with signed saturation, as ml.c does per
 * element.  In-place requantisation stays correct: each chunk is read
 * before anything at or after it is written.  The input comes from the
 * accumulators when the MAT_MUL before left them; the output stays in
 * registers for the instruction after.
 */
/*
 * One row block: (v * mult + round) >> shift + zero in dword lanes, each
 * step only if it changes something.  Returns the register holding it:
 * @acc itself, or @dst.
 */
static int z_requant32_dwords(struct rmt_jit *j, const struct rmt_tensor_desc *t,
			      s64 round, int acc, int dst)
{
	int cur = acc;

	if (t->q_mult != 1) {
		emit_evex_rr(j, &z_vpmulld, dst, cur, 29, 0, false);
		cur = dst;
	}
	if (round) {
		emit_evex_rr(j, &z_vpaddd, dst, cur, 28, 0, false);
		cur = dst;
	}
	if (t->q_shift) {
		emit_evex_rr(j, &z_vpsrad_imm, 4, dst, cur, 0, false);
		emit1(j, t->q_shift);
		cur = dst;
	}
	if (t->q_zero) {
		emit_evex_rr(j, &z_vpaddd, dst, cur, 27, 0, false);
		cur = dst;
	}
	return cur;
}

/* Row block @rb (int32 in @cur) to 16 int8 in xmm16 + rb, stored. */
static void z_requant32_narrow(struct rmt_jit *j, const struct rmt_tensor_desc *t,
			       s32 off, u32 rb, int cur, bool relu)
{
	struct x86_mem out = mem_bd(JIT_SCRATCH, off + 16 * rb);
	struct evex_op st8 = z_vmovdqu(RMT_DT_I8, true);

	if (relu) {
		emit_evex_rr(j, &zmax[RMT_DT_I32], ZMM_BCAST, cur, 26, 0, false);
		cur = ZMM_BCAST;
	}
	emit_evex_rr(j, &z_vpmovsdb, cur, 0, VR_FIRST + rb, 0, false);
	if (16 * (rb + 1) <= t->rows) {
		st8.l = 0;
		emit_evex_rm(j, &st8, VR_FIRST + rb, 0, &out, 0, false, false, 0);
	} else {
		emit_k1_mask(j, t->rows - 16 * rb);
		emit_evex_rm(j, &st8, VR_FIRST + rb, 0, &out, 1, false, false, 0);
	}
}

/*
 * Four row blocks of int32 (@r, zeros past the layer) to 64 int8 in
 * zmm16 + @g: vpackssdw and vpacksswb saturate to int8 as vpmovsdb does
 * but interleave 128-bit lanes, which one vpermd (indices in zmm31)
 * undoes.  Then relu, relu(sat(v)) = max(sat(v), 0), and one store.
 */
static void z_requant32_pack(struct rmt_jit *j, const struct rmt_tensor_desc *t,
			     s32 off, u32 g, const int *r, bool relu)
{
	u32 left = t->rows - 64 * g;
	int wide = VR_FIRST + g;
	struct x86_mem out = mem_bd(JIT_SCRATCH, off + 64 * g);
	struct evex_op st8 = z_vmovdqu(RMT_DT_I8, true);

	emit_evex_rr(j, &z_vpackssdw, 24, r[0], r[1], 0, false);
	emit_evex_rr(j, &z_vpackssdw, 25, r[2], r[3], 0, false);
	emit_evex_rr(j, &z_vpacksswb, wide, 24, 25, 0, false);
	emit_evex_rr(j, &z_vpermd, wide, ZMM_C80, wide, 0, false);
	if (relu)
		emit_evex_rr(j, &zmax[RMT_DT_I8], wide, wide, 26, 0, false);
	if (left >= 64) {
		emit_evex_rm(j, &st8, wide, 0, &out, 0, false, false, 0);
	} else {
		emit_k1_mask64(j, left);
		emit_evex_rm(j, &st8, wide, 0, &out, 1, false, false, 0);
	}
}

static u32 data_pack_perm(struct rmt_jit *j)
{
	u32 off = jit_data_alloc(j, 64, 64), k;
	u32 *d = jit_data_ptr(j, off);

	for (k = 0; d && k < 16; k++)
		d[k] = (k % 4) * 4 + k / 4;
	return off;
}

/*
 * REQUANT to int8 of accumulators whose bound keeps v * mult + round and
 * the zero point inside int32: the same arithmetic in 16 dword lanes,
 * which then equals ml.c's 64-bit computation.  (An arithmetic shift by
 * 32 or more leaves the sign, as the 64-bit one does on such values.)
 */
static bool z_requant32(struct rmt_jit *j, u32 i, const struct rmt_tensor_desc *t,
			s64 round, bool relu)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 rb, nrb = (t->rows + 15) / 16;
	u64 worst = j->vr.bound * t->q_mult + round +
		    (u64)(t->q_zero < 0 ? -(s64)t->q_zero : t->q_zero);
	int group[4];
	bool wide;
	u32 c;
	s32 *d;

	if (t->out_dtype != RMT_DT_I8 || j->vr.bound > S32_MAX ||
	    worst > S32_MAX)
		return false;
	wide = nrb > 4;		/* 64 elements per zmm: zmm16-19 */
	if (nrb > 16)
		return false;
	c = jit_data_alloc(j, 12, 4);
	d = jit_data_ptr(j, c);
	if (d) {
		d[0] = t->q_mult;
		d[1] = (s32)round;
		d[2] = t->q_zero;
	}
	{
		struct x86_mem m0 = mem_data(c), m1 = mem_data(c + 4),
			       m2 = mem_data(c + 8);

		emit_evex_rm(j, &z_vpbroadcastd, 29, 0, &m0, 0, false, false, 0);
		emit_evex_rm(j, &z_vpbroadcastd, 28, 0, &m1, 0, false, false, 0);
		emit_evex_rm(j, &z_vpbroadcastd, 27, 0, &m2, 0, false, false, 0);
	}
	if (relu)
		emit_evex_rr(j, &z_vpxord, 26, 26, 26, 0, false);
	if (wide) {
		struct x86_mem pm = mem_data(data_pack_perm(j));

		emit_evex_rm(j, &z_vmovdqu32_ld, ZMM_C80, 0, &pm, 0, false,
			     false, 0);
	}
	for (rb = 0; rb < nrb; rb++) {
		int dst = wide ? 20 + rb % 4 : ZMM_BCAST;
		int cur = z_requant32_dwords(j, t, round, j->vr.reg[rb], dst);

		if (!wide) {
			z_requant32_narrow(j, t, insn->off, rb, cur, relu);
			continue;
		}
		group[rb % 4] = cur;
		if (rb % 4 == 3 || rb == nrb - 1) {
			for (c = rb % 4 + 1; c < 4; c++) {
				emit_evex_rr(j, &z_vpxord, 20 + c, 20 + c, 20 + c,
					     0, false);
				group[c] = 20 + c;
			}
			z_requant32_pack(j, t, insn->off, rb / 4, group, relu);
		}
	}
	j->vr.kind = JIT_VR_NONE;
	vr_set(j, i, JIT_VR_CHUNKS, insn->off, RMT_DT_I8, t->rows);
	j->vr.per = wide ? 64 : 16;
	for (rb = 0; rb * j->vr.per < t->rows; rb++)
		j->vr.reg[rb] = VR_FIRST + rb;
	return true;
}

static void z_requant(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	const struct rmt_tensor_desc *t =
		&jit_model(j)->tensors[RMT_IMM_LO16(insn->imm)];
	s32 src = RMT_IMM_HI16(insn->imm);
	s64 round = t->q_shift ? (s64)1 << (t->q_shift - 1) : 0;
	struct x86_mem mult = mem_data(data_q(j, t->q_mult));
	struct x86_mem rnd = mem_data(data_q(j, round));
	struct x86_mem zero = mem_data(data_q(j, t->q_zero));
	bool relu = i + 1 < j->prog->len && (j->skip[i + 1] & JIT_SKIP);
	bool from_acc = vr_has(j, i, JIT_VR_ACC, src, RMT_DT_I32, t->rows);
	u32 k, nchunks = (t->rows + 7) / 8;

	if (from_acc && z_requant32(j, i, t, round, relu))
		return;
	emit_evex_rm(j, &z_vpbroadcastq, 29, 0, &mult, 0, false, false, 0);
	emit_evex_rm(j, &z_vpbroadcastq, 28, 0, &rnd, 0, false, false, 0);
	emit_evex_rm(j, &z_vpbroadcastq, 27, 0, &zero, 0, false, false, 0);
	if (relu)
		emit_evex_rr(j, &z_vpxord, 26, 26, 26, 0, false);
	for (k = 0; k < nchunks; k++) {
		bool masked = (k + 1) * 8 > t->rows;

		if (masked)
			emit_k1_mask(j, t->rows - k * 8);
		z_requant_load(j, src, k, masked, from_acc);
		z_requant_chunk(j, t, insn->off, k, masked, relu,
				chunk_reg(k, nchunks));
	}
	j->vr.kind = JIT_VR_NONE;
	if (nchunks <= VR_CHUNKS) {
		vr_set(j, i, JIT_VR_CHUNKS, insn->off, t->out_dtype, t->rows);
		for (k = 0; k < nchunks; k++)
			j->vr.reg[k] = VR_FIRST + k;
	}
}

/*
 * Context fields to a vector, eight at a time, saturating as ml.c does;
 * the vector stays in registers for the instruction after.
 */
static void z_vector_ld(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 dtype = RMT_IMM_BYTE(insn->imm, 0);
	u32 first = RMT_IMM_BYTE(insn->imm, 2);
	u32 n = RMT_IMM_BYTE(insn->imm, 3), k;
	u32 size = rmt_dtype_size(dtype), nchunks = (n + 7) / 8;

	for (k = 0; k < nchunks; k++) {
		struct x86_mem f = mem_bd(JIT_CTX, 8 * (first + 8 * k));
		struct x86_mem out = mem_bd(JIT_SCRATCH, insn->off + 8 * size * k);
		bool masked = (k + 1) * 8 > n;

		if (masked)
			emit_k1_mask(j, n - 8 * k);
		emit_evex_rm(j, &z_vmovdqu64_ld, ZMM_BCAST, 0, &f, masked ? 1 : 0,
			     masked, false, 0);
		z_narrow_store(j, dtype, chunk_reg(k, nchunks), &out, masked);
	}
	j->vr.kind = JIT_VR_NONE;
	if (nchunks <= VR_CHUNKS) {
		vr_set(j, i, JIT_VR_CHUNKS, insn->off, dtype, n);
		for (k = 0; k < nchunks; k++)
			j->vr.reg[k] = VR_FIRST + k;
	}
}

/* Up to four lanes: extract them and compare in general registers. */
static void z_argmax_few(struct rmt_jit *j, u32 i, u32 n)
{
	static const struct x86_op cmp32 = { .nop = 1, .op = { 0x39 } };
	static const struct x86_op mov32 = { .nop = 1, .op = { 0x89 } };
	int dst = rmt_jit_reg[RMT_INSN_DST(&j->prog->insns[i])];
	int acc = j->vr.reg[0];
	u32 k;

	emit_vex_rr(j, &x_vmovd_rx, acc, 0, JIT_T0);
	emit_mov_imm(j, dst, 0);
	for (k = 1; k < n; k++) {
		u32 step = 3 + 5 + (dst >= 8);	/* mov r10d, r11d; mov dst, k */

		emit_vex_rr(j, &x_vpextrd, acc, 0, JIT_T1);
		emit1(j, k);
		emit_rr(j, &cmp32, JIT_T0, JIT_T1);	/* cmp r11d, r10d */
		emit2(j, 0x70 | CC_LE, (u8)step);
		emit_rr(j, &mov32, JIT_T1, JIT_T0);
		emit_mov_imm(j, dst, k);
	}
}

/*
 * ARGMAX of up to 64 int32 in vector registers, 16 per register: lanes
 * past n become INT32_MIN, the registers' maximum is spread to every
 * lane by a shuffle tree, and the lowest lane equal to it, found by
 * compare masks gathered in one 64-bit word, is the first maximum.
 */
static void z_argmax_regs(struct rmt_jit *j, u32 i, const u8 *regs, u32 n)
{
	static const struct x86_op bsf = { .nop = 2, .op = { 0x0f, 0xbc }, .w = true };
	static const struct x86_op shl = { .nop = 1, .op = { 0xc1 }, .w = true };
	u32 nregs = (n + 15) / 16, k;
	u8 r[4];

	memcpy(r, regs, nregs);
	if (n % 16) {	/* the last register, with INT32_MIN past n */
		u32 c = jit_data_alloc(j, 4, 4);
		u32 *d = jit_data_ptr(j, c);
		struct x86_mem m = mem_data(c);

		if (d)
			*d = 0x80000000u;
		emit_evex_rm(j, &z_vpbroadcastd, 28, 0, &m, 0, false, false, 0);
		emit_k1_mask(j, n % 16);
		emit_evex_rr(j, &z_vmovdqa32, 28, 0, r[nregs - 1], 1, false);
		r[nregs - 1] = 28;
	}
	emit_evex_rr(j, &z_vmovdqa32, 29, 0, r[0], 0, false);
	for (k = 1; k < nregs; k++)
		emit_evex_rr(j, &zmax[RMT_DT_I32], 29, 29, r[k], 0, false);
	z_spread(j, 29, &zmax[RMT_DT_I32]);
	for (k = 0; k < nregs; k++) {
		emit_evex_rr(j, &z_vpcmpeqd, 2, r[k], 29, 0, false);
		emit_vex_rr(j, &k_kmovw_rk, k ? JIT_T1 : JIT_T0, 0, 2);
		if (k) {
			emit_rr(j, &shl, 4, JIT_T1);
			emit1(j, 16 * k);
			emit_alu_rr(j, X86_OR, JIT_T0, JIT_T1);
		}
	}
	emit_rr(j, &bsf, rmt_jit_reg[RMT_INSN_DST(&j->prog->insns[i])], JIT_T0);
}

/*
 * ARGMAX of int32: from the accumulators of the MAT_MUL before (which
 * stay for the instruction after), or loaded from scratch.
 */
static bool z_argmax(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 n = RMT_IMM_LO16(insn->imm), k;
	u8 regs[4];

	if (RMT_IMM_HI16(insn->imm) != RMT_DT_I32 || n > 64)
		return false;
	if (vr_has(j, i, JIT_VR_ACC, insn->off, RMT_DT_I32, n)) {
		if (n <= 4) {
			z_argmax_few(j, i, n);
		} else {
			for (k = 0; k * 16 < n; k++)
				regs[k] = j->vr.reg[k];
			z_argmax_regs(j, i, regs, n);
		}
		j->vr.insn = next_emitted(j, i);
		return true;
	}
	for (k = 0; k * 16 < n; k++) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, insn->off + 64 * k);
		bool masked = (k + 1) * 16 > n;

		if (masked)
			emit_k1_mask(j, n - 16 * k);
		emit_evex_rm(j, &z_vmovdqu32_ld, k, 0, &m, masked ? 1 : 0,
			     masked, false, 0);
		regs[k] = k;
	}
	z_argmax_regs(j, i, regs, n);
	return true;
}

/* VECTOR_ST of up to 16 int32 still in their accumulator. */
static bool z_vector_st_acc(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 dtype = RMT_IMM_BYTE(insn->imm, 0);
	u32 first = RMT_IMM_BYTE(insn->imm, 2);
	u32 n = RMT_IMM_BYTE(insn->imm, 3), k;
	struct evex_op st64 = z_vmovdqu(RMT_DT_I64, true);

	if (dtype != RMT_DT_I32 || n > 16 ||
	    !vr_has(j, i, JIT_VR_ACC, insn->off, RMT_DT_I32, n))
		return false;
	for (k = 0; k * 8 < n; k++) {
		struct x86_mem f = mem_bd(JIT_CTX, 8 * (first + 8 * k));
		bool masked = (k + 1) * 8 > n;

		z_requant_load(j, 0, k, false, true);
		if (masked)
			emit_k1_mask(j, n - 8 * k);
		emit_evex_rm(j, &st64, ZMM_BCAST, 0, &f, masked ? 1 : 0, false,
			     false, 0);
	}
	j->vr.insn = next_emitted(j, i);
	return true;
}

/**
 * jit_simd_zero() - zero @size bytes of scratch with vector stores
 * @j: the pass (tier AVX2 or AVX512)
 * @size: bytes
 */
void jit_simd_zero(struct rmt_jit *j, u32 size)
{
	u32 off = 0;

	if (avx512(j)) {
		struct evex_op st8 = z_vmovdqu(RMT_DT_I8, true);

		emit_evex_rr(j, &z_vpxord, ZMM_BCAST, ZMM_BCAST, ZMM_BCAST, 0,
			     false);
		for (; off + 64 <= size; off += 64) {
			struct x86_mem m = mem_bd(JIT_SCRATCH, off);

			emit_evex_rm(j, &z_vmovdqu32_st, ZMM_BCAST, 0, &m, 0,
				     false, false, 0);
		}
		if (off < size) {
			struct x86_mem m = mem_bd(JIT_SCRATCH, off);

			emit_k1_mask64(j, size - off);
			emit_evex_rm(j, &st8, ZMM_BCAST, 0, &m, 1, false, false, 0);
		}
		return;
	}
	emit_vex_rr(j, &y_vpxor, YMM_PROD, YMM_PROD, YMM_PROD);
	for (; off + 32 <= size; off += 32) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, off);

		emit_vex_rm(j, &y_vmovdqu_st, YMM_PROD, 0, &m, 0);
	}
	for (; off < size; off++) {
		struct x86_mem m = mem_bd(JIT_SCRATCH, off);

		emit_store_imm(j, &m, 1, 0);
	}
}

/**
 * jit_simd_ml() - emit an ML opcode with AVX2 or AVX-512
 * @j: the pass (tier AVX2 or AVX512)
 * @i: instruction index
 *
 * Return: false if the opcode is left to the scalar lowering.
 */
bool jit_simd_ml(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];

	switch (insn->code) {
	case RMT_OP_MAT_MUL:
		simd_matmul(j, i);
		return true;
	case RMT_OP_RELU:
		return simd_relu(j, insn);
	case RMT_OP_REQUANT:
		if (!avx512(j))
			return false;
		z_requant(j, i);
		return true;
	case RMT_OP_VECTOR_LD:
		if (!avx512(j))
			return false;
		z_vector_ld(j, i);
		return true;
	case RMT_OP_ARGMAX:
		return avx512(j) && z_argmax(j, i);
	case RMT_OP_VECTOR_ST:
		return avx512(j) && z_vector_st_acc(j, i);
	default:
		return false;
	}
}
