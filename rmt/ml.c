// SPDX-License-Identifier: GPL-2.0-only
/*
 * ML reference kernels in plain integer C.  These define the results of
 * the ML opcodes bit for bit; every JIT tier is tested against them.
 * Callers (the interpreter) have had every shape and bound checked by
 * the verifier, so the kernels do no checking of their own.
 */
#include "core.h"

void rmt_ml_matmul_i8(s32 *y, const s8 *w, const s8 *x, u32 rows, u32 cols)
{
	u32 r, c;

	for (r = 0; r < rows; r++) {
		const s8 *row = w + (size_t)r * cols;
		s32 acc = 0;

		for (c = 0; c < cols; c++)
			acc += (s32)row[c] * (s32)x[c];
		y[r] = acc;
	}
}

/*
 * int16 products reach 2^30; RMT_MAX_DIM of them could overflow s32, so
 * accumulate in 64 bits and wrap once, which every tier reproduces.
 */
void rmt_ml_matmul_i16(s32 *y, const s16 *w, const s16 *x, u32 rows,
		       u32 cols)
{
	u32 r, c;

	for (r = 0; r < rows; r++) {
		const s16 *row = w + (size_t)r * cols;
		s64 acc = 0;

		for (c = 0; c < cols; c++)
			acc += (s32)row[c] * (s32)x[c];
		y[r] = (s32)(u32)(u64)acc;
	}
}

void rmt_ml_bias_add(s32 *y, const s32 *b, u32 n)
{
	u32 i;

	/* Wrapping add, defined on every tier. */
	for (i = 0; i < n; i++)
		y[i] = (s32)((u32)y[i] + (u32)b[i]);
}

s64 rmt_ml_saturate(s64 val, u32 dtype)
{
	switch (dtype) {
	case RMT_DT_I8:
		return clamp_val(val, S8_MIN, S8_MAX);
	case RMT_DT_I16:
		return clamp_val(val, S16_MIN, S16_MAX);
	case RMT_DT_I32:
		return clamp_val(val, S32_MIN, S32_MAX);
	default:
		return val;
	}
}

s64 rmt_ml_load_elem(const void *v, u32 dtype, u32 i)
{
	switch (dtype) {
	case RMT_DT_I8:
		return ((const s8 *)v)[i];
	case RMT_DT_I16:
		return ((const s16 *)v)[i];
	case RMT_DT_I32:
		return ((const s32 *)v)[i];
	default:
		return ((const s64 *)v)[i];
	}
}

/* Stores saturate: a feature of 300 in an int8 vector becomes 127. */
void rmt_ml_store_elem(void *v, u32 dtype, u32 i, s64 val)
{
	val = rmt_ml_saturate(val, dtype);
	switch (dtype) {
	case RMT_DT_I8:
		((s8 *)v)[i] = (s8)val;
		break;
	case RMT_DT_I16:
		((s16 *)v)[i] = (s16)val;
		break;
	case RMT_DT_I32:
		((s32 *)v)[i] = (s32)val;
		break;
	default:
		((s64 *)v)[i] = val;
		break;
	}
}

/**
 * rmt_ml_requant() - scale int32 accumulators down to a narrower type
 * @out: output vector of @out_dtype
 * @out_dtype: RMT_DT_I8, I16 or I32
 * @in: int32 input
 * @n: elements
 * @mult: fixed-point multiplier
 * @shift: right shift, 0-62, rounding half up
 * @zero: zero point added after scaling
 */
void rmt_ml_requant(void *out, u32 out_dtype, const s32 *in, u32 n,
		    s32 mult, u32 shift, s32 zero)
{
	s64 round = shift ? (s64)1 << (shift - 1) : 0;
	u32 i;

	for (i = 0; i < n; i++) {
		s64 v = (s64)in[i] * mult + round;

		rmt_ml_store_elem(out, out_dtype, i, (v >> shift) + zero);
	}
}

void rmt_ml_relu(void *v, u32 dtype, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (rmt_ml_load_elem(v, dtype, i) < 0)
			rmt_ml_store_elem(v, dtype, i, 0);
}

/* Index of the first maximum. */
u32 rmt_ml_argmax(const void *v, u32 dtype, u32 n)
{
	s64 best = rmt_ml_load_elem(v, dtype, 0);
	u32 i, arg = 0;

	for (i = 1; i < n; i++) {
		s64 e = rmt_ml_load_elem(v, dtype, i);

		if (e > best) {
			best = e;
			arg = i;
		}
	}
	return arg;
}

/*
 * Child indices grow strictly along every path (checked when the model
 * is loaded), so this walk ends within tree->depth steps.
 */
s32 rmt_ml_dtree(const struct rmt_tree *tree, const s32 *features)
{
	const struct rmt_dtree_node *node = &tree->nodes[0];

	while (!(node->flags & RMT_DTREE_LEAF)) {
		u32 next = features[node->feature] <= node->value ?
			   node->left : node->right;

		node = &tree->nodes[next];
	}
	return node->value;
}
