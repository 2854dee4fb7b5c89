// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixed model the fuzz targets attach and the diagnostics check
 * they share.  The model mixes i8, i16 and i32 tensors, requantisation
 * to each output type and trees of different depths; some weights sit
 * at the type limits so that the kernels' wrapping and saturation are
 * reached.
 *
 * The full model (fuzz_model_blob_full()) adds the shapes the JIT's
 * lowerings split differently: rows that are not a multiple of the 16
 * (AVX-512) or 8 (AVX2) rows of a block, with more than one block;
 * columns that leave a partial group of 4 (vpdpbusd) or 2 (vpmaddwd);
 * -128 and -32768 weights, where vpdpbusd's bias and vpmaddwd's pair
 * sums wrap; products larger than the scalar JIT unrolls; requantisation
 * with other shifts, multipliers and zero points; and a decision tree
 * larger than the JIT inlines.
 */
#include "fuzz.h"

static s8 fuzz_w8[4 * 8], fuzz_w8_2x3[2 * 3], fuzz_w8_64[64 * 64];
static s16 fuzz_w16[3 * 4], fuzz_w16_8x8[8 * 8];
static s32 fuzz_b4[4], fuzz_b3[3], fuzz_b8[8];

static s8 fuzz_w8_37x23[37 * 23], fuzz_w8_19x37[19 * 37];
static s8 fuzz_w8_80x70[80 * 70], fuzz_w8_17x5[17 * 5];
static s16 fuzz_w16_20x13[20 * 13], fuzz_w16_9x20[9 * 20];
static s16 fuzz_w16_70x66[70 * 66];
static s32 fuzz_b37[37], fuzz_b19[19], fuzz_b20[20], fuzz_b64[64];

#define FUZZ_BIG_NODES	2049	/* over the JIT's 2048 inlined nodes */
#define FUZZ_BIG_FEATURES 8

static struct rmt_dtree_node fuzz_tree_big[FUZZ_BIG_NODES];

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

/* The full model's weights; its own sequence leaves the others as they were. */
static void fuzz_fill_weights_full(void)
{
	u32 s = 7, i;

	for (i = 0; i < ARRAY_SIZE(fuzz_w8_37x23); i++)
		fuzz_w8_37x23[i] = (s8)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w8_19x37); i++)	/* -128 columns */
		fuzz_w8_19x37[i] = i % 37 % 5 ? (s8)fuzz_lcg(&s) : S8_MIN;
	for (i = 0; i < ARRAY_SIZE(fuzz_w8_80x70); i++)
		fuzz_w8_80x70[i] = i % 11 ? (s8)fuzz_lcg(&s) : S8_MAX;
	for (i = 0; i < ARRAY_SIZE(fuzz_w8_17x5); i++)
		fuzz_w8_17x5[i] = (s8)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w16_20x13); i++)
		fuzz_w16_20x13[i] = (s16)fuzz_lcg(&s);
	for (i = 0; i < ARRAY_SIZE(fuzz_w16_9x20); i++)
		fuzz_w16_9x20[i] = (s16)(fuzz_lcg(&s) % 2001) - 1000;
	/* Every fifth row all -32768: a pair of those sums to 2^31. */
	for (i = 0; i < ARRAY_SIZE(fuzz_w16_70x66); i++)
		fuzz_w16_70x66[i] = i / 66 % 5 ? (s16)fuzz_lcg(&s) : S16_MIN;
	for (i = 0; i < ARRAY_SIZE(fuzz_b37); i++)
		fuzz_b37[i] = (s32)fuzz_lcg(&s) - (1 << 23);
	for (i = 0; i < ARRAY_SIZE(fuzz_b19); i++)
		fuzz_b19[i] = i % 3 == 0 ? S32_MAX : i % 3 == 1 ? S32_MIN :
			      (s32)(fuzz_lcg(&s) << 8);
	for (i = 0; i < ARRAY_SIZE(fuzz_b20); i++)
		fuzz_b20[i] = (s32)(fuzz_lcg(&s) % 200001) - 100000;
	for (i = 0; i < ARRAY_SIZE(fuzz_b64); i++)
		fuzz_b64[i] = (s32)(fuzz_lcg(&s) % 4001) - 2000;
}

/*
 * A complete binary tree in heap order (the children of node k are
 * 2k + 1 and 2k + 2, always later, as the format requires): 1024 inner
 * nodes testing each feature in turn, 1025 leaves.
 */
static void fuzz_fill_tree_big(void)
{
	u32 s = 11, k;

	for (k = 0; k < FUZZ_BIG_NODES; k++) {
		struct rmt_dtree_node *n = &fuzz_tree_big[k];

		if (2 * k + 2 < FUZZ_BIG_NODES) {
			*n = (struct rmt_dtree_node){
				.value = (s32)(fuzz_lcg(&s) % 512) - 256,
				.feature = k % FUZZ_BIG_FEATURES,
				.left = 2 * k + 1, .right = 2 * k + 2,
			};
			if (k % 97 == 3)
				n->value = k & 1 ? S32_MAX : S32_MIN;
		} else {
			*n = (struct rmt_dtree_node){
				.value = (s32)(fuzz_lcg(&s) << 8) >> 8,
				.flags = RMT_DTREE_LEAF,
			};
		}
	}
}

static void *fuzz_model_build(u32 ntensors, u32 ntrees, u32 *len)
{
	struct rmt_tensor_desc t[FUZZ_NR_TENSORS_FULL] = {
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
		[FUZZ_T_W8_37x23] = { .dtype = RMT_DT_I8, .rows = 37, .cols = 23,
				      .out_dtype = RMT_DT_I8, .q_mult = 5,
				      .q_shift = 7, .q_zero = 3 },
		[FUZZ_T_B37] = { .dtype = RMT_DT_I32, .rows = 37, .cols = 1,
				 .out_dtype = RMT_DT_I32, .q_mult = 300 },
		[FUZZ_T_W8_19x37] = { .dtype = RMT_DT_I8, .rows = 19, .cols = 37,
				      .out_dtype = RMT_DT_I8, .q_mult = S32_MAX,
				      .q_shift = 31, .q_zero = -1 },
		[FUZZ_T_B19] = { .dtype = RMT_DT_I32, .rows = 19, .cols = 1,
				 .out_dtype = RMT_DT_I16, .q_mult = 1,
				 .q_shift = 9 },
		[FUZZ_T_W16_20x13] = { .dtype = RMT_DT_I16, .rows = 20,
				       .cols = 13, .out_dtype = RMT_DT_I16,
				       .q_mult = 20000, .q_shift = 15,
				       .q_zero = -7 },
		[FUZZ_T_B20] = { .dtype = RMT_DT_I32, .rows = 20, .cols = 1 },
		[FUZZ_T_W16_9x20] = { .dtype = RMT_DT_I16, .rows = 9, .cols = 20,
				      .out_dtype = RMT_DT_I32, .q_mult = 3,
				      .q_shift = 1 },
		[FUZZ_T_W8_80x70] = { .dtype = RMT_DT_I8, .rows = 80, .cols = 70,
				      .out_dtype = RMT_DT_I8, .q_mult = 1,
				      .q_shift = 10 },
		[FUZZ_T_W16_70x66] = { .dtype = RMT_DT_I16, .rows = 70,
				       .cols = 66, .out_dtype = RMT_DT_I16,
				       .q_mult = 77, .q_shift = 20,
				       .q_zero = 5 },
		[FUZZ_T_B64] = { .dtype = RMT_DT_I32, .rows = 64, .cols = 1,
				 .out_dtype = RMT_DT_I8, .q_mult = 1,
				 .q_shift = 3, .q_zero = -128 },
		[FUZZ_T_W8_17x5] = { .dtype = RMT_DT_I8, .rows = 17, .cols = 5,
				     .out_dtype = RMT_DT_I32, .q_mult = 1 },
	};
	const void *const tdata[FUZZ_NR_TENSORS_FULL] = {
		fuzz_w8, fuzz_b4, fuzz_w16, fuzz_b3, fuzz_w8_2x3,
		fuzz_w16_8x8, fuzz_b8, fuzz_w8_64,
		fuzz_w8_37x23, fuzz_b37, fuzz_w8_19x37, fuzz_b19,
		fuzz_w16_20x13, fuzz_b20, fuzz_w16_9x20, fuzz_w8_80x70,
		fuzz_w16_70x66, fuzz_b64, fuzz_w8_17x5,
	};
	struct rmt_dtree_desc trees[FUZZ_NR_TREES_FULL] = {
		[FUZZ_TREE_SMALL] = { .nnodes = ARRAY_SIZE(fuzz_tree_small),
				      .nfeatures = 2 },
		[FUZZ_TREE_DEEP] = { .nnodes = ARRAY_SIZE(fuzz_tree_deep),
				     .nfeatures = 3 },
		[FUZZ_TREE_LEAF] = { .nnodes = 1, .nfeatures = 1 },
		[FUZZ_TREE_BIG] = { .nnodes = FUZZ_BIG_NODES,
				    .nfeatures = FUZZ_BIG_FEATURES },
	};
	const struct rmt_dtree_node *const nodes[FUZZ_NR_TREES_FULL] = {
		fuzz_tree_small, fuzz_tree_deep, fuzz_tree_leaf, fuzz_tree_big,
	};

	fuzz_fill_weights();
	if (ntensors > FUZZ_NR_TENSORS) {
		fuzz_fill_weights_full();
		fuzz_fill_tree_big();
	}
	return rmt_model_build(t, tdata, ntensors, trees, nodes, ntrees, len);
}

/**
 * fuzz_model_blob() - lay out the fixed model
 * @len: receives the blob's length
 *
 * Return: the blob (free with rmt_free()), or NULL if out of memory.
 */
void *fuzz_model_blob(u32 *len)
{
	return fuzz_model_build(FUZZ_NR_TENSORS, FUZZ_NR_TREES, len);
}

/**
 * fuzz_model_blob_full() - the fixed model and the full model's shapes
 * @len: receives the blob's length
 *
 * Tensors and trees keep the indices they have in fuzz_model_blob().
 *
 * Return: the blob (free with rmt_free()), or NULL if out of memory.
 */
void *fuzz_model_blob_full(u32 *len)
{
	return fuzz_model_build(FUZZ_NR_TENSORS_FULL, FUZZ_NR_TREES_FULL, len);
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
