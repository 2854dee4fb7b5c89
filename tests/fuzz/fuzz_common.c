// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixed model the fuzz targets attach and the diagnostics check
 * they share.  The model mixes i8, i16 and i32 tensors, requantisation
 * to each output type and trees of different depths; some weights sit
 * at the type limits so that the kernels' wrapping and saturation are
 * reached.
 */
#include "fuzz.h"

static s8 fuzz_w8[4 * 8], fuzz_w8_2x3[2 * 3], fuzz_w8_64[64 * 64];
static s16 fuzz_w16[3 * 4], fuzz_w16_8x8[8 * 8];
static s32 fuzz_b4[4], fuzz_b3[3], fuzz_b8[8];

static const struct rmt_dtree_node fuzz_tree_small[] = {
	{ .value = 10, .feature = 0, .left = 1, .right = 2 },
	{ .value = 100, .flags = RMT_DTREE_LEAF },
	{ .value = 0, .feature = 1, .left = 3, .right = 4 },
	{ .value = 200, .flags = RMT_DTREE_LEAF },
	{ .value = 300, .flags = RMT_DTREE_LEAF },
};

static const struct rmt_dtree_node fuzz_tree_deep[] = {
	{ .value = -5, .feature = 2, .left = 1, .right = 6 },
	{ .value = 0, .feature = 0, .left = 2, .right = 6 },
	{ .value = S32_MAX, .feature = 1, .left = 3, .right = 5 },
	{ .value = S32_MIN, .feature = 2, .left = 4, .right = 5 },
	{ .value = -1, .flags = RMT_DTREE_LEAF },
	{ .value = S32_MIN, .flags = RMT_DTREE_LEAF },
	{ .value = S32_MAX, .flags = RMT_DTREE_LEAF },
};

static const struct rmt_dtree_node fuzz_tree_leaf[] = {
	{ .value = 42, .flags = RMT_DTREE_LEAF },
};

/* Deterministic weights: the same model in every run and every seed. */
static u32 fuzz_lcg(u32 *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static void fuzz_fill_weights(void)
{
	u32 s = 1, i;

	for (i = 0; i < ARRAY_SIZE(fuzz_w8); i++)
		fuzz_w8[i] = (s8)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w8_2x3); i++)
		fuzz_w8_2x3[i] = (s8)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w8_64); i++)
		fuzz_w8_64[i] = i % 7 ? (s8)fuzz_lcg(&s) : S8_MIN;
	for (i = 0; i < ARRAY_SIZE(fuzz_w16); i++)
		fuzz_w16[i] = (s16)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w16_8x8); i++)
		fuzz_w16_8x8[i] = i & 1 ? S16_MIN : S16_MAX;
	for (i = 0; i < ARRAY_SIZE(fuzz_b4); i++)
		fuzz_b4[i] = (s32)fuzz_lcg(&s) - (1 << 23);
	for (i = 0; i < ARRAY_SIZE(fuzz_b3); i++)
		fuzz_b3[i] = (s32)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_b8); i++)
		fuzz_b8[i] = i & 1 ? S32_MIN : S32_MAX;
}

/**
 * fuzz_model_blob() - lay out the fixed model
 * @len: receives the blob's length
 *
 * Return: the blob (free with rmt_free()), or NULL if out of memory.
 */
void *fuzz_model_blob(u32 *len)
{
	struct rmt_tensor_desc t[FUZZ_NR_TENSORS] = {
		[FUZZ_T_W8] = { .dtype = RMT_DT_I8, .rows = 4, .cols = 8,
				.out_dtype = RMT_DT_I8, .q_mult = 3,
				.q_shift = 4, .q_zero = 1 },
		[FUZZ_T_B4] = { .dtype = RMT_DT_I32, .rows = 4, .cols = 1 },
		[FUZZ_T_W16] = { .dtype = RMT_DT_I16, .rows = 3, .cols = 4,
				 .out_dtype = RMT_DT_I16, .q_mult = 7,
				 .q_shift = 2, .q_zero = -2 },
		[FUZZ_T_B3] = { .dtype = RMT_DT_I32, .rows = 3, .cols = 1,
				.out_dtype = RMT_DT_I32, .q_mult = S32_MAX,
				.q_shift = 62 },
		[FUZZ_T_W8_2x3] = { .dtype = RMT_DT_I8, .rows = 2, .cols = 3,
				    .out_dtype = RMT_DT_I32, .q_mult = 1 },
		[FUZZ_T_W16_8x8] = { .dtype = RMT_DT_I16, .rows = 8, .cols = 8,
				     .out_dtype = RMT_DT_I8, .q_mult = 1,
				     .q_shift = 30, .q_zero = -128 },
		[FUZZ_T_B8] = { .dtype = RMT_DT_I32, .rows = 8, .cols = 1 },
		[FUZZ_T_W8_64] = { .dtype = RMT_DT_I8, .rows = 64, .cols = 64,
				   .out_dtype = RMT_DT_I8, .q_mult = 1,
				   .q_shift = 12 },
	};
	const void *const tdata[FUZZ_NR_TENSORS] = {
		fuzz_w8, fuzz_b4, fuzz_w16, fuzz_b3, fuzz_w8_2x3,
		fuzz_w16_8x8, fuzz_b8, fuzz_w8_64,
	};
	struct rmt_dtree_desc trees[FUZZ_NR_TREES] = {
		[FUZZ_TREE_SMALL] = { .nnodes = ARRAY_SIZE(fuzz_tree_small),
				      .nfeatures = 2 },
		[FUZZ_TREE_DEEP] = { .nnodes = ARRAY_SIZE(fuzz_tree_deep),
				     .nfeatures = 3 },
		[FUZZ_TREE_LEAF] = { .nnodes = 1, .nfeatures = 1 },
	};
	const struct rmt_dtree_node *const nodes[FUZZ_NR_TREES] = {
		fuzz_tree_small, fuzz_tree_deep, fuzz_tree_leaf,
	};

	fuzz_fill_weights();
	return rmt_model_build(t, tdata, FUZZ_NR_TENSORS, trees, nodes,
			       FUZZ_NR_TREES, len);
}

/**
 * fuzz_check_diag() - what every rejection must look like
 * @diag: the rejection
 * @len: instructions in the rejected program, or -1 if not known
 *
 * A code, a message a user can read and an instruction index that
 * either points into the program or says "not about one instruction".
 */
void fuzz_check_diag(const struct rmt_diag *diag, int len)
{
	char buf[256];

	FUZZ_CHECK(diag->code > RMT_OK && diag->code < __RMT_E_MAX,
		   "code %d", diag->code);
	FUZZ_CHECK(diag->msg[0] != '\0', "code %s", rmt_diag_name(diag->code));
	FUZZ_CHECK(memchr(diag->msg, '\0', sizeof(diag->msg)) != NULL,
		   "unterminated message");
	FUZZ_CHECK(diag->insn >= -1 && diag->insn < RMT_MAX_INSNS,
		   "insn %d: %s", diag->insn, diag->msg);
	if (len >= 0)
		FUZZ_CHECK(diag->insn < len, "insn %d of %d: %s",
			   diag->insn, len, diag->msg);
	FUZZ_CHECK(rmt_diag_hint(diag->code)[0] != '\0', "no hint for %s",
		   rmt_diag_name(diag->code));
	FUZZ_CHECK(rmt_diag_format(diag, buf, sizeof(buf)) > 0, "empty format");
}
