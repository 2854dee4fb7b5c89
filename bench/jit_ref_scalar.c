// SPDX-License-Identifier: GPL-2.0-only
/*
 * The jit suite's c-scalar rows: each workload in plain C, with the
 * shapes as compile-time constants, bit for bit what the RMT reference
 * semantics (rmt/ml.c) define.  bench.mk builds this file with
 * -mgeneral-regs-only -fno-tree-vectorize: the code the scalar JIT tier
 * is up against, with no SIMD the compiler would add by itself.
 */
#include "jit_workloads.h"

#define JIT_INLINE	static inline __attribute__((always_inline))
#define JIT_REF		static __attribute__((noinline))

JIT_INLINE s64 jit_sat(s64 v, s64 lo, s64 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* VECTOR_LD of int8: saturating. */
JIT_INLINE void jit_load_i8(s8 *x, const s64 *ctx, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		x[i] = jit_sat(ctx[i], S8_MIN, S8_MAX);
}

/* MAT_MUL (int32 accumulators) then BIAS_ADD (wrapping). */
JIT_INLINE s32 jit_dot(const struct jit_dense *d, const s8 *x, u32 r,
		       u32 cols)
{
	const s8 *w = d->w + r * cols;
	s32 acc = 0;
	u32 c;

	for (c = 0; c < cols; c++)
		acc += (s32)w[c] * (s32)x[c];
	return d->b ? (s32)((u32)acc + (u32)d->b[r]) : acc;
}

/* REQUANT to int8 (64-bit, round half up, zero point, saturate), RELU. */
JIT_INLINE s8 jit_requant_relu(const struct jit_q *q, s32 acc)
{
	s64 round = q->shift ? (s64)1 << (q->shift - 1) : 0;
	s64 v = (((s64)acc * q->mult + round) >> q->shift) + q->zero;

	v = jit_sat(v, S8_MIN, S8_MAX);
	return v < 0 ? 0 : v;
}

JIT_INLINE void jit_hidden(const struct jit_dense *d, const s8 *x, s8 *h,
			   u32 rows, u32 cols)
{
	u32 r;

	for (r = 0; r < rows; r++)
		h[r] = jit_requant_relu(&d->q, jit_dot(d, x, r, cols));
}

JIT_INLINE void jit_output(const struct jit_dense *d, const s8 *x, s32 *y,
			   u32 rows, u32 cols)
{
	u32 r;

	for (r = 0; r < rows; r++)
		y[r] = jit_dot(d, x, r, cols);
}

/* ARGMAX: the first maximum. */
JIT_INLINE s64 jit_argmax(const s32 *y, u32 n)
{
	u32 i, best = 0;

	for (i = 1; i < n; i++)
		if (y[i] > y[best])
			best = i;
	return best;
}

JIT_REF s64 jit_scalar_mlp(const struct jit_workload *wl, const s64 *ctx,
			   s32 *out)
{
	s8 x[JIT_MLP_IN], h1[JIT_MLP_H], h2[JIT_MLP_H];

	jit_load_i8(x, ctx, JIT_MLP_IN);
	jit_hidden(&wl->layers[0], x, h1, JIT_MLP_H, JIT_MLP_IN);
	jit_hidden(&wl->layers[1], h1, h2, JIT_MLP_H, JIT_MLP_H);
	jit_output(&wl->layers[2], h2, out, JIT_MLP_OUT, JIT_MLP_H);
	return jit_argmax(out, JIT_MLP_OUT);
}

JIT_REF s64 jit_scalar_mllb(const struct jit_workload *wl, const s64 *ctx,
			    s32 *out)
{
	s8 x[JIT_MLLB_IN], h[JIT_MLLB_H];

	jit_load_i8(x, ctx, JIT_MLLB_IN);
	jit_hidden(&wl->layers[0], x, h, JIT_MLLB_H, JIT_MLLB_IN);
	jit_output(&wl->layers[1], h, out, JIT_MLLB_OUT, JIT_MLLB_H);
	return out[0] > 0;
}

JIT_REF s64 jit_scalar_linnos(const struct jit_workload *wl, const s64 *ctx,
			      s32 *out)
{
	s8 x[JIT_LINNOS_IN], h[JIT_LINNOS_H];

	jit_load_i8(x, ctx, JIT_LINNOS_IN);
	jit_hidden(&wl->layers[0], x, h, JIT_LINNOS_H, JIT_LINNOS_IN);
	jit_output(&wl->layers[1], h, out, JIT_LINNOS_OUT, JIT_LINNOS_H);
	return jit_argmax(out, JIT_LINNOS_OUT);
}

/* The input is the raw bytes of fields 0-7 (ldf, stxdw in the program). */
JIT_REF s64 jit_scalar_matvec(const struct jit_workload *wl, const s64 *ctx,
			      s32 *out)
{
	s8 x[JIT_MATVEC_N];

	memcpy(x, ctx, sizeof(x));
	jit_output(&wl->layers[0], x, out, JIT_MATVEC_N, JIT_MATVEC_N);
	return jit_argmax(out, JIT_MATVEC_N);
}

/* VECTOR_LD of int32 (saturating), then the walk of rmt_ml_dtree(). */
JIT_REF s64 jit_scalar_dtree(const struct jit_workload *wl, const s64 *ctx,
			     s32 *out)
{
	const struct rmt_dtree_node *nd = wl->nodes;
	s32 f[JIT_DT_FEATURES];
	u32 i;

	for (i = 0; i < JIT_DT_FEATURES; i++)
		f[i] = jit_sat(ctx[i], S32_MIN, S32_MAX);
	while (!(nd->flags & RMT_DTREE_LEAF))
		nd = &wl->nodes[f[nd->feature] <= nd->value ? nd->left :
							       nd->right];
	return nd->value;
}

JIT_REF s64 jit_scalar_loop(const struct jit_workload *wl, const s64 *ctx,
			    s32 *out)
{
	u64 a = ctx[0], b = ctx[1], r0 = 0, i;

	for (i = 0; i < JIT_LOOP_TRIPS; i++)
		r0 += ((i * a) ^ b) & JIT_LOOP_MASK;
	return r0;
}

JIT_REF s64 jit_scalar_empty(const struct jit_workload *wl, const s64 *ctx,
			     s32 *out)
{
	return 0;
}

const jit_ref_fn jit_ref_scalar[JIT_NR_WL] = {
	[JIT_WL_MLP] = jit_scalar_mlp,
	[JIT_WL_MLLB] = jit_scalar_mllb,
	[JIT_WL_LINNOS] = jit_scalar_linnos,
	[JIT_WL_MATVEC] = jit_scalar_matvec,
	[JIT_WL_DTREE] = jit_scalar_dtree,
	[JIT_WL_LOOP] = jit_scalar_loop,
	[JIT_WL_EMPTY] = jit_scalar_empty,
};
