// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the starting corpus of the fuzz targets: small valid programs
 * in the style of rmt/selftest.c, covering each group of the ISA, as
 * fuzz_verifier inputs and as test images for fuzz_image; the same and
 * deeper programs (MLPs over the full model's shapes, context-map
 * history fed to a layer, the large tree) as fuzz_jit inputs; and
 * policy sources for fuzz_rmtc, covering each item and statement of the
 * policy language.  The corpus is generated at run time
 * (tests/fuzz/run.sh) so no binary input is kept in the tree.
 *
 * Usage: fuzz_seeds verifier|jit|image|rmtc DIR
 */
#include <stdio.h>

#include "fuzz.h"
#include "insn.h"

#define F(n)	(n)
#define NONE	RMT_REG_NONE

static const struct rmt_insn sd_alu[] = {
	RMT_MOV_I(1, 7), RMT_MOV_I(2, 3),
	RMT_MOV_R(0, 1), RMT_ALU_R(MUL, 0, 2), RMT_ALU_I(ADD, 0, 10),
	RMT_ALU_I(SUB, 0, 4), RMT_ALU_I(DIV, 0, 2), RMT_ALU_R(DIV, 0, 2),
	RMT_ALU_I(XOR, 0, 0xff), RMT_ALU_I(AND, 0, 0xf0),
	RMT_ALU_I(OR, 0, 1), RMT_ALU_I(LSH, 0, 2), RMT_ALU_R(LSH, 0, 2),
	RMT_ALU_I(RSH, 0, 1), RMT_ALU_I(MOD, 0, 100), RMT_ALU_R(MOD, 0, 1),
	RMT_MOV_I(3, 64), RMT_NEG(3), RMT_ALU_I(ARSH, 3, 3),
	RMT_ALU_R(ARSH, 3, 2), RMT_ALU_R(RSH, 3, 2), RMT_ALU_R(SUB, 0, 3),
	RMT_ALU_R(AND, 0, 1), RMT_ALU_R(OR, 0, 2), RMT_ALU_R(XOR, 0, 3),
	RMT_ALU_I(MUL, 0, -3), RMT_ALU_R(ADD, 0, 3),
	RMT_EXIT(),
};

static const struct rmt_insn sd_loops[] = {
	RMT_MOV_I(0, 0),
	RMT_LOOP(1, 10, 1), RMT_ALU_R(ADD, 0, 1), RMT_ENDLOOP(1, 10, 1),
	RMT_LOOP(2, 3, 6),
	RMT_LOOP(3, 4, 4),
	RMT_LOOP(4, 2, 1), RMT_ALU_I(ADD, 0, 1), RMT_ENDLOOP(4, 2, 1),
	RMT_ALU_R(ADD, 0, 3),
	RMT_ENDLOOP(3, 4, 4),
	RMT_ENDLOOP(2, 3, 6),
	RMT_EXIT(),
};

/* Signed and unsigned compares of context values, both operand forms. */
static const struct rmt_insn sd_branch[] = {
	RMT_MOV_I(0, 0), RMT_LDF(1, F(0)), RMT_LDF(2, F(1)),
	RMT_JCC_I(JGT, 1, 3, 1), RMT_ALU_I(ADD, 0, 100),
	RMT_JCC_I(JSLT, 2, 0, 1), RMT_ALU_I(ADD, 0, 1000),
	RMT_JCC_R(JEQ, 1, 2, 1), RMT_ALU_I(ADD, 0, 1),
	RMT_JCC_R(JSGE, 1, 2, 1), RMT_ALU_I(ADD, 0, 2),
	RMT_JCC_I(JSET, 1, 4, 1), RMT_ALU_I(ADD, 0, 4),
	RMT_JCC_R(JNE, 1, 2, 2), RMT_JCC_I(JLE, 2, 9, 1), RMT_JA(0),
	RMT_EXIT(),
};

/* Scratch addressed by loop counters and by range-checked fields. */
static const struct rmt_insn sd_scratch[] = {
	RMT_LOOP(1, 8, 3),
	RMT_MOV_R(2, 1), RMT_ALU_I(MUL, 2, 3), RMT_STX(B, 1, 2, 0),
	RMT_ENDLOOP(1, 8, 3),
	RMT_MOV_I(0, 0),
	RMT_LOOP(1, 8, 2),
	RMT_LDX(B, 3, 1, 0), RMT_ALU_R(ADD, 0, 3),
	RMT_ENDLOOP(1, 8, 2),
	RMT_ST(DW, NONE, 16, 0x12345678),
	RMT_LDX(H, 5, NONE, 16), RMT_ALU_R(ADD, 0, 5),
	RMT_LDF(6, F(2)), RMT_JCC_I(JGT, 6, 4088, 3),
	RMT_STX(DW, 6, 0, 0), RMT_LDX(W, 7, 6, 4), RMT_ALU_R(ADD, 0, 7),
	RMT_LDF(8, F(3)), RMT_ALU_I(AND, 8, 0x3f8),
	RMT_ST(W, 8, 8, -1), RMT_LDX(DW, 9, 8, 8), RMT_ALU_R(XOR, 0, 9),
	RMT_EXIT(),
};

static const struct rmt_insn sd_fields[] = {
	RMT_LDF(1, F(0)), RMT_LDF(2, F(31)), RMT_ALU_R(ADD, 1, 2),
	RMT_STF(F(2), 1), RMT_MOV_I(0, 0),
	RMT_EXIT(),
};

/* Map 0: 2 values, 4 history slots. */
static const struct rmt_insn sd_ctxmap[] = {
	RMT_LDF(1, F(0)),
	RMT_MOV_I(2, 100), RMT_ST_CTXT(1, 2, 0, 0),
	RMT_MOV_I(2, 1), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_MOV_I(2, 2), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_LD_CTXT(3, 1, 0, 1), RMT_LD_CTXT(4, 1, 0, RMT_CTXT_HIST(0)),
	RMT_LD_CTXT(5, 1, 0, RMT_CTXT_HIST(3)),
	RMT_MOV_R(0, 4), RMT_ALU_R(ADD, 0, 3), RMT_ALU_R(ADD, 0, 5),
	RMT_MOV_R(6, 1), RMT_ALU_I(ADD, 6, 1), RMT_MATCH_CTXT(6, 6, 0),
	RMT_ALU_R(ADD, 0, 6),
	RMT_VECTOR_LDH(0, 1, RMT_DT_I32, 0, 3),
	RMT_MOV_I(8, 1), RMT_SCALAR_VAL(7, 8, 0, 3, RMT_DT_I32),
	RMT_ALU_R(ADD, 0, 7),
	RMT_EXIT(),
};

static const struct rmt_insn sd_helpers[] = {
	RMT_MOV_I(1, 1000), RMT_CALL(ILOG2), RMT_MOV_R(6, 0),
	RMT_MOV_I(1, -3), RMT_MOV_I(2, 4), RMT_CALL(MIN), RMT_MOV_R(7, 0),
	RMT_MOV_I(1, -3), RMT_MOV_I(2, 4), RMT_CALL(MAX), RMT_MOV_R(8, 0),
	RMT_MOV_I(1, -7), RMT_CALL(ABS), RMT_MOV_R(9, 0),
	RMT_CALL(CPU_ID), RMT_ALU_R(ADD, 0, 6), RMT_ALU_R(ADD, 0, 7),
	RMT_ALU_R(ADD, 0, 8), RMT_ALU_R(ADD, 0, 9),
	RMT_EXIT(),
};

static const struct rmt_insn sd_tail[] = {
	RMT_MOV_I(1, 42), RMT_STF(F(0), 1), RMT_LDF(2, F(1)),
	RMT_JCC_I(JGT, 2, 5, 1), RMT_TAIL_CALL(0), RMT_TAIL_CALL(1),
	RMT_MOV_I(0, -1), RMT_EXIT(),
};

/* i8 layer with requantisation, relu, argmax; tensors of fuzz_model_blob(). */
static const struct rmt_insn sd_mlp8[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 8),
	RMT_MAT_MUL(8, 0, FUZZ_T_W8), RMT_BIAS_ADD(8, FUZZ_T_B4),
	RMT_REQUANT(8, 8, FUZZ_T_W8), RMT_RELU(8, 4, RMT_DT_I8),
	RMT_ARGMAX(0, 8, 4, RMT_DT_I8),
	RMT_MOV_I(2, 2), RMT_SCALAR_VAL(1, 2, 8, 4, RMT_DT_I8),
	RMT_ALU_R(ADD, 0, 1),
	RMT_VECTOR_LD(32, RMT_DT_I8, F(8), 3),
	RMT_MAT_MUL(40, 32, FUZZ_T_W8_2x3), RMT_REQUANT(48, 40, FUZZ_T_W8_2x3),
	RMT_VECTOR_ST(48, RMT_DT_I32, F(20), 2),
	RMT_EXIT(),
};

/* i16 layers: wrapping accumulation, i32 and i16 requantisation. */
static const struct rmt_insn sd_mlp16[] = {
	RMT_VECTOR_LD(0, RMT_DT_I16, F(0), 4),
	RMT_MAT_MUL(8, 0, FUZZ_T_W16), RMT_BIAS_ADD(8, FUZZ_T_B3),
	RMT_REQUANT(24, 8, FUZZ_T_B3), RMT_REQUANT(40, 24, FUZZ_T_W16),
	RMT_VECTOR_ST(40, RMT_DT_I16, F(4), 3),
	RMT_VECTOR_LD(64, RMT_DT_I16, F(8), 8),
	RMT_MAT_MUL(128, 64, FUZZ_T_W16_8x8), RMT_BIAS_ADD(128, FUZZ_T_B8),
	RMT_REQUANT(128, 128, FUZZ_T_W16_8x8), RMT_RELU(128, 8, RMT_DT_I8),
	RMT_ARGMAX(0, 128, 8, RMT_DT_I8),
	RMT_EXIT(),
};

static const struct rmt_insn sd_dtree[] = {
	RMT_VECTOR_LD(0, RMT_DT_I32, F(0), 3),
	RMT_DTREE(0, 0, FUZZ_TREE_DEEP), RMT_DTREE(1, 0, FUZZ_TREE_SMALL),
	RMT_ALU_R(ADD, 0, 1), RMT_DTREE(2, 4, FUZZ_TREE_LEAF),
	RMT_ALU_R(ADD, 0, 2),
	RMT_EXIT(),
};

/* A 64x64 layer in a loop: the cost pass multiplies MACs by trips. */
static const struct rmt_insn sd_matmul_loop[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 32),
	RMT_VECTOR_LD(32, RMT_DT_I8, F(0), 32),
	RMT_MOV_I(0, 0),
	RMT_LOOP(1, 4, 4),
	RMT_MAT_MUL(64, 0, FUZZ_T_W8_64), RMT_REQUANT(64, 64, FUZZ_T_W8_64),
	RMT_ARGMAX(2, 64, 64, RMT_DT_I8), RMT_ALU_R(ADD, 0, 2),
	RMT_ENDLOOP(1, 4, 4),
	RMT_EXIT(),
};

/* Breaks out of nested loops, to the outer body and past both. */
static const struct rmt_insn sd_break[] = {
	RMT_MOV_I(0, 0), RMT_LDF(5, F(0)),
	RMT_LOOP(1, 100, 7),
	RMT_LOOP(2, 50, 3),
	RMT_ALU_R(ADD, 0, 2), RMT_JCC_R(JGT, 0, 5, 4), RMT_JCC_I(JEQ, 2, 7, 1),
	RMT_ENDLOOP(2, 50, 3),
	RMT_STX(H, 1, 0, 256), RMT_JCC_I(JGE, 0, 100000, 1),
	RMT_ENDLOOP(1, 100, 7),
	RMT_EXIT(),
};

/*
 * fuzz_jit's seeds: what each JIT tier lowers in its own way, deep
 * enough that the fuzzer starts from whole inference paths.  Offsets
 * keep every operand inside the program's scratch and aligned.
 */

/* An int8 MLP: 23 features, 37 hidden units, 19 outputs. */
static const struct rmt_insn sd_mlp_i8[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 23),
	RMT_MAT_MUL(64, 0, FUZZ_T_W8_37x23), RMT_BIAS_ADD(64, FUZZ_T_B37),
	RMT_REQUANT(256, 64, FUZZ_T_W8_37x23), RMT_RELU(256, 37, RMT_DT_I8),
	RMT_MAT_MUL(320, 256, FUZZ_T_W8_19x37), RMT_BIAS_ADD(320, FUZZ_T_B19),
	RMT_REQUANT(400, 320, FUZZ_T_B19),
	RMT_ARGMAX(0, 400, 19, RMT_DT_I16),
	RMT_MOV_I(2, 18), RMT_SCALAR_VAL(1, 2, 400, 19, RMT_DT_I16),
	RMT_STF(F(27), 1), RMT_VECTOR_ST(400, RMT_DT_I16, F(20), 7),
	RMT_REQUANT(64, 64, FUZZ_T_B37), RMT_VECTOR_ST(64, RMT_DT_I32, F(8), 8),
	RMT_EXIT(),
};

/* An int16 MLP: 13 features, 20 hidden units, 9 outputs kept as i32. */
static const struct rmt_insn sd_mlp_i16[] = {
	RMT_VECTOR_LD(0, RMT_DT_I16, F(3), 13),
	RMT_MAT_MUL(32, 0, FUZZ_T_W16_20x13), RMT_BIAS_ADD(32, FUZZ_T_B20),
	RMT_REQUANT(128, 32, FUZZ_T_W16_20x13), RMT_RELU(128, 20, RMT_DT_I16),
	RMT_MAT_MUL(192, 128, FUZZ_T_W16_9x20),
	RMT_REQUANT(192, 192, FUZZ_T_W16_9x20), RMT_RELU(192, 9, RMT_DT_I32),
	RMT_ARGMAX(0, 192, 9, RMT_DT_I32),
	RMT_VECTOR_ST(192, RMT_DT_I32, F(16), 9),
	RMT_EXIT(),
};

/* Layers past the scalar JIT's unrolling: it calls ml.c for these. */
static const struct rmt_insn sd_mlp_big[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 32),
	RMT_VECTOR_LD(32, RMT_DT_I8, F(1), 31),
	RMT_VECTOR_LD(63, RMT_DT_I8, F(2), 7),
	RMT_MAT_MUL(128, 0, FUZZ_T_W8_80x70),
	RMT_REQUANT(448, 128, FUZZ_T_W8_80x70), RMT_RELU(448, 80, RMT_DT_I8),
	RMT_ARGMAX(0, 448, 80, RMT_DT_I8),
	RMT_VECTOR_LD(544, RMT_DT_I16, F(0), 32),
	RMT_VECTOR_LD(608, RMT_DT_I16, F(4), 28),
	RMT_VECTOR_LD(664, RMT_DT_I16, F(9), 6),
	RMT_MAT_MUL(704, 544, FUZZ_T_W16_70x66),
	RMT_REQUANT(1024, 704, FUZZ_T_W16_70x66),
	RMT_RELU(1024, 70, RMT_DT_I16),
	RMT_ARGMAX(1, 1024, 70, RMT_DT_I16), RMT_ALU_I(LSH, 1, 8),
	RMT_ALU_R(ADD, 0, 1),
	RMT_EXIT(),
};

/* 64x64 with a bias, requantised twice (in place the second time). */
static const struct rmt_insn sd_mlp_64[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 32),
	RMT_VECTOR_LD(32, RMT_DT_I8, F(3), 29),
	RMT_VECTOR_LD(61, RMT_DT_I8, F(29), 3),
	RMT_MAT_MUL(64, 0, FUZZ_T_W8_64), RMT_BIAS_ADD(64, FUZZ_T_B64),
	RMT_REQUANT(320, 64, FUZZ_T_B64), RMT_RELU(320, 64, RMT_DT_I8),
	RMT_MAT_MUL(384, 320, FUZZ_T_W8_64),
	RMT_REQUANT(384, 384, FUZZ_T_W8_64),
	RMT_ARGMAX(0, 384, 64, RMT_DT_I8),
	RMT_EXIT(),
};

/*
 * Per-key history (map 0: 2 values, 8 history slots) as the input of a
 * layer, its verdict stored back; then the large tree on 8 fields.
 */
static const struct rmt_insn sd_hist_mlp[] = {
	RMT_LDF(1, F(0)),
	RMT_LDF(2, F(1)), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_LDF(2, F(2)), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_VECTOR_LDH(0, 1, RMT_DT_I8, 0, 5),
	RMT_MAT_MUL(8, 0, FUZZ_T_W8_17x5), RMT_REQUANT(80, 8, FUZZ_T_W8_17x5),
	RMT_ARGMAX(0, 80, 17, RMT_DT_I32),
	RMT_LD_CTXT(3, 1, 0, 0), RMT_ALU_I(ADD, 3, 1), RMT_ST_CTXT(1, 3, 0, 0),
	RMT_ST_CTXT(1, 0, 0, 1), RMT_STF(F(5), 3),
	RMT_VECTOR_LD(160, RMT_DT_I32, F(8), 8),
	RMT_DTREE(4, 160, FUZZ_TREE_BIG), RMT_STF(F(6), 4),
	RMT_VECTOR_LDH(192, 1, RMT_DT_I64, 0, 8),
	RMT_VECTOR_ST(192, RMT_DT_I64, F(10), 8),
	RMT_EXIT(),
};

/* Vector loads of every width (saturating), relu, argmax, stores back. */
static const struct rmt_insn sd_vectors[] = {
	RMT_VECTOR_LD(0, RMT_DT_I64, F(0), 32), RMT_RELU(0, 32, RMT_DT_I64),
	RMT_VECTOR_LD(256, RMT_DT_I32, F(0), 32), RMT_RELU(256, 27, RMT_DT_I32),
	RMT_VECTOR_LD(384, RMT_DT_I16, F(1), 27), RMT_RELU(384, 27, RMT_DT_I16),
	RMT_VECTOR_LD(448, RMT_DT_I8, F(3), 29), RMT_RELU(448, 29, RMT_DT_I8),
	RMT_ARGMAX(0, 0, 32, RMT_DT_I64), RMT_ARGMAX(1, 256, 32, RMT_DT_I32),
	RMT_ARGMAX(2, 384, 27, RMT_DT_I16), RMT_ARGMAX(3, 448, 29, RMT_DT_I8),
	RMT_ALU_I(LSH, 1, 8), RMT_ALU_I(LSH, 2, 16), RMT_ALU_I(LSH, 3, 24),
	RMT_ALU_R(OR, 0, 1), RMT_ALU_R(OR, 0, 2), RMT_ALU_R(OR, 0, 3),
	RMT_VECTOR_ST(0, RMT_DT_I64, F(0), 8),
	RMT_VECTOR_ST(256, RMT_DT_I32, F(8), 8),
	RMT_VECTOR_ST(384, RMT_DT_I16, F(16), 6),
	RMT_VECTOR_ST(448, RMT_DT_I8, F(22), 6),
	RMT_EXIT(),
};

/*
 * Results used straight after the instruction that made them (a JIT may
 * keep them in registers): a MAT_MUL's int32 rows by ARGMAX and
 * VECTOR_ST, a VECTOR_LD by MAT_MUL; and a branch into the middle of a
 * layer, where nothing from the instruction before may be assumed.
 */
static const struct rmt_insn sd_chain[] = {
	RMT_VECTOR_LD(0, RMT_DT_I16, F(0), 20),
	RMT_MAT_MUL(64, 0, FUZZ_T_W16_9x20),
	RMT_ARGMAX(0, 64, 9, RMT_DT_I32),
	RMT_VECTOR_ST(64, RMT_DT_I32, F(10), 9),
	RMT_LDF(1, F(1)), RMT_JCC_I(JSGT, 1, 100, 3),
	RMT_VECTOR_LD(200, RMT_DT_I8, F(2), 8),
	RMT_MAT_MUL(208, 200, FUZZ_T_W8), RMT_BIAS_ADD(208, FUZZ_T_B4),
	RMT_REQUANT(240, 208, FUZZ_T_W8), RMT_RELU(240, 4, RMT_DT_I8),
	RMT_ARGMAX(2, 240, 4, RMT_DT_I8), RMT_ALU_R(ADD, 0, 2),
	RMT_EXIT(),
};

/*
 * An MLP layer in a loop with helper calls and a branch on its verdict,
 * then a tail call (to a program that calls itself to the limit).
 */
static const struct rmt_insn sd_mlp_loop[] = {
	RMT_MOV_I(6, 0),
	RMT_LOOP(7, 3, 10),
	RMT_VECTOR_LD(0, RMT_DT_I16, F(0), 13),
	RMT_MAT_MUL(32, 0, FUZZ_T_W16_20x13), RMT_BIAS_ADD(32, FUZZ_T_B20),
	RMT_REQUANT(112, 32, FUZZ_T_W16_20x13),
	RMT_ARGMAX(1, 112, 20, RMT_DT_I16), RMT_MOV_R(2, 7), RMT_CALL(MAX),
	RMT_ALU_R(ADD, 6, 0), RMT_JCC_I(JGT, 6, 30, 1), RMT_STX(H, 7, 6, 2),
	RMT_ENDLOOP(7, 3, 10),
	RMT_MOV_I(1, 0), RMT_CALL(PARAM), RMT_ALU_R(ADD, 0, 6),
	RMT_STF(F(2), 0), RMT_TAIL_CALL(1),
	RMT_EXIT(),
};

struct fuzz_seed {
	const struct rmt_insn *insns;
	u32 len;
	bool model;
	u32 nmaps;
	u32 ntail;
	u8 map0;	/* header byte map[0] if not the default */
};

#define SEED(p, ...)	{ p, ARRAY_SIZE(p), __VA_ARGS__ }

static const struct fuzz_seed fuzz_seeds[] = {
	SEED(sd_alu),
	SEED(sd_loops),
	SEED(sd_branch),
	SEED(sd_scratch),
	SEED(sd_fields),
	SEED(sd_ctxmap, .nmaps = 1),
	SEED(sd_helpers),
	SEED(sd_tail, .ntail = 2),
	SEED(sd_mlp8, .model = true),
	SEED(sd_mlp16, .model = true),
	SEED(sd_dtree, .model = true),
	SEED(sd_matmul_loop, .model = true),
	SEED(sd_break),
};

/* Map 0 of sd_hist_mlp: 2 values, 8 history slots. */
#define SEED_MAP_HIST8	(2 | (8 / 4) << 4)

static const struct fuzz_seed fuzz_jit_seeds[] = {
	SEED(sd_mlp_i8, .model = true),
	SEED(sd_mlp_i16, .model = true),
	SEED(sd_mlp_big, .model = true),
	SEED(sd_mlp_64, .model = true),
	SEED(sd_hist_mlp, .model = true, .nmaps = 1, .map0 = SEED_MAP_HIST8),
	SEED(sd_vectors),
	SEED(sd_chain, .model = true),
	SEED(sd_mlp_loop, .model = true, .ntail = 2),
};

/*
 * fuzz_rmtc seeds: valid policies (with docs/dsl.md's example and those
 * of tests/unit/test_dsl_*.c), each hook, each match kind and model
 * kind, and a few refusals, so that the error paths start covered too.
 */
static const char *const fuzz_rmtc_seeds[] = {
	"// stride prefetch: per-process history of swap-offset deltas\n"
	"const WINDOW = 8;\n"
	"ctxmap deltas keyed pid size 256 {\n"
	"	s64 last;\n"
	"	history s64[32] h;\n"
	"}\n"
	"action stride at test -> s64 {\n"
	"	s64 off = ctx.f0;\n"
	"	s64 d = off - deltas[ctx.f1].last;\n"
	"	deltas[ctx.f1].last = off;\n"
	"	push deltas[ctx.f1].h, d;\n"
	"	if (d == deltas[ctx.f1].h[1]) {\n"
	"		return d * WINDOW;\n"
	"	}\n"
	"	return 0;\n"
	"}\n"
	"table prefetch at test {\n"
	"	key f1 : exact;\n"
	"	size 1024;\n"
	"	default stride;\n"
	"	entry { f1 = 42 } -> stride;\n"
	"}\n",

	"action arith at test -> s64 {\n"
	"	s64 a = ctx.f0; s64 b = ctx.f1;\n"
	"	u64 ua = u64(ctx.f0); u64 ub = u64(ctx.f1);\n"
	"	ctx.f2 = a + b; ctx.f3 = a - b; ctx.f4 = a * b;\n"
	"	ctx.f5 = a / b; ctx.f6 = a % b;\n"
	"	ctx.f7 = s64(ua / ub); ctx.f8 = s64(ua % ub);\n"
	"	ctx.f9 = a >> 3; ctx.f10 = s64(ua >> 3); ctx.f11 = a << 5;\n"
	"	ctx.f12 = (a & b) | (a ^ 0x55); ctx.f13 = ~a; ctx.f14 = -a;\n"
	"	u8 t8 = a; s8 s8v = a; u32 t32 = a; s16 s16v = a;\n"
	"	ctx.f15 = s64(t8); ctx.f16 = s8v; ctx.f17 = s64(t32); ctx.f18 = s16v;\n"
	"	ctx.f19 = a < b; ctx.f20 = ua < ub;\n"
	"	ctx.f21 = a == b || a > 100 && b < 0; ctx.f22 = !(a >= b);\n"
	"	ctx.f23 = min(a, b) + max(a, abs(b)) + ilog2(ua);\n"
	"	ctx.f24 = 0x123456789abcdef0 ^ a + 0b1010 - 1_000;\n"
	"	ctx.f25 = a / 7 + a % -5 + (a * 3 - b) / (b | 1);\n"
	"	s32 acc = 0; acc += t8; acc -= s8v; acc *= 3;\n"
	"	acc <<= 2; acc >>= 1;\n"
	"	ctx.f26 = acc + cpu_id() + prandom() % 2 + ktime_ns() * 0;\n"
	"	return a;\n"
	"}\n",

	"const N = 10;\n"
	"action flow at test -> s64 {\n"
	"	s64 a = 1; s64 b = 2; s64 c = 3; s64 d = 4; s64 e = 5; s64 f = 6;\n"
	"	s64 g = 7; s64 h = 8;\n"
	"	s64 sum = 0;\n"
	"	for (u32 i in 3..N) {\n"
	"		for (u32 j in 0..N) { if (j < i) { sum += s64(i * j); } }\n"
	"		if (s64(i * i) > ctx.f0) { ctx.f1 = s64(i); return sum + a + b + c + d + e + f + g + h; }\n"
	"	}\n"
	"	if (ctx.f0 < 0) { return -1; } else if (ctx.f0 == 1000) { return -2; } else { return sum; }\n"
	"}\n",

	"ctxmap hist keyed pid size 64 { s64 last; u8 small; history s64[4] d; }\n"
	"action track at test (s64 scale) -> s64 {\n"
	"	s64 off = ctx.f0;\n"
	"	s64 delta = off - hist[ctx.f1].last;\n"
	"	hist[ctx.f1].last = off;\n"
	"	hist[ctx.f1].small = off;\n"
	"	push hist[ctx.f1].d, delta;\n"
	"	ctx.f2 = hist[ctx.f1].d[0]; ctx.f3 = hist[ctx.f1].d[1];\n"
	"	s64 same = 0;\n"
	"	for (u32 i in 1..4) { if (hist[ctx.f1].d[i] == delta) { same += 1; } }\n"
	"	ctx.f5 = same + param(0);\n"
	"	return delta * scale;\n"
	"}\n"
	"table by_pid at test {\n"
	"	key f1 : exact; size 8; default track;\n"
	"	entry { f1 = 42 } -> track(3);\n"
	"}\n"
	"action seven at test -> s64 { return 7; }\n"
	"action eight at test -> s64 { return 8; }\n"
	"table tern at test { key f0, f1 : ternary;\n"
	"	entry { f0 = 0x10 & 0xf0 } priority 1 -> seven;\n"
	"	entry { f0 = 0x12, f1 = 5 } priority 2 -> eight; }\n"
	"table rng at test { key f0 : range; default kernel;\n"
	"	entry { f0 in 10..20 } -> seven; entry { f0 in -5..-1 } -> eight; }\n"
	"table pfx at test { key f0 : lpm;\n"
	"	entry { f0 = 0x0a00000000000000 / 8 } -> seven;\n"
	"	entry { f0 = 0x0a0b000000000000 / 16 } -> eight; }\n",

	"model net = mlp { input 3;\n"
	"	layer int8 4 weights [1, -2, 3,  4, 5, -6,  -7, 8, 9,  10, -11, 12]\n"
	"		bias [5, -5, 100, -100] shift 2 scale 3 relu;\n"
	"	layer int8 2 weights [1, 2, -3, 4,  -5, 6, 7, -8] bias [1, -1];\n"
	"};\n"
	"model lin = linear int16 1 weights [300, -200, 7] bias [11];\n"
	"model tree = dtree [1, 2, 0, 10,   -1, -1, 0, 100,   3, 4, 1, -5,\n"
	"	-1, -1, 0, 200,   -1, -1, 0, 300] features 2;\n"
	"action classify at test -> s64 { return net(ctx.f0, ctx.f1, ctx.f0 - ctx.f1); }\n"
	"action score at test -> s64 { return lin(ctx.f0, ctx.f1, 1000); }\n"
	"action walk at test -> s64 { return tree(ctx.f0, ctx.f1); }\n",

	"const W = 4;\n"
	"ctxmap d keyed cgroup { s64 last; history s16[8] h; }\n"
	"model m = mlp { input 2; layer int16 2 weights [1, 2, 3, 4] bias [0, 1] relu; };\n"
	"action a at test (s64 k, u8 j) -> s64 {\n"
	"  s64 x = ctx.f0 - d[ctx.f1].last;\n"
	"  d[ctx.f1].last = ctx.f0;\n"
	"  push d[ctx.f1].h, x;\n"
	"  for (u32 i in 0..W) { ctx.f2 += s64(i); }\n"
	"  if (x < 0 || true) { return m(x, k); }\n"
	"  return min(x, W);\n"
	"}\n"
	"table t at test { key f1, f2 : exact; size 16; default a;\n"
	"  entry { f1 = 42, f2 = -1 } -> a(3, 4); }\n",

	"action ra at swap_cluster_readahead -> s64 {\n"
	"	ctx.stride = 2;\n"
	"	if (ctx.offset > ctx.max_window) { return -1; }\n"
	"	return min(ctx.kernel_window * 2, ctx.max_window);\n"
	"}\n"
	"action mig at can_migrate_task -> s64 {\n"
	"	if (ctx.idle != 0 && ctx.same_node == 1) { return 1; }\n"
	"	return -1;\n"
	"}\n"
	"ctxmap seen keyed tgid { u32 hits; }\n"
	"action obs at lookup_swap_cache -> s64 {\n"
	"	seen[ctx.tgid].hits += ctx.hit;\n"
	"	return 0;\n"
	"}\n"
	"table t at can_migrate_task { key cgroup : ternary; size 4; default mig; }\n",

	"/* refused: too costly for the budget, and an include that fails */\n"
	"include \"common.rmt\";\n"
	"action a at test -> s64 {\n  s64 x = 0;\n"
	"  for (u32 i in 0..60000) {\n    for (u32 j in 0..60) { x += 1; }\n  }\n"
	"  return x;\n}\n",

	"ctxmap c keyed inode size 16 { history s64[4] h; }\n"
	"action a at test -> s64 {\n  s64 k = ctx.f0;\n  return c[1].h[k];\n}\n"
	"action b at test -> s64 { for (u32 i in 0..3) { i = 2; } return false; }\n"
	"model w = linear int8 1 weights \"w.csv\";\n"
	"table t at nowhere { key f0 : exact; entry { f9 = 1 } -> nope; }\n",
};

/* Map 0 of the seeds: 2 values, 4 history slots, 16 entries. */
#define SEED_MAP_VALS	2
#define SEED_MAP_HIST	4
#define SEED_MAP_LOG2	4

static int fuzz_write(const char *dir, const char *kind, u32 n, const void *buf,
		      size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s-%02u", dir, kind, n);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

static int fuzz_write_verifier(const char *dir, const char *kind, u32 n,
			       const struct fuzz_seed *s)
{
	struct fuzz_hdr h = {
		.flags = (s->model ? FUZZ_F_MODEL : 0) |
			 s->nmaps << FUZZ_F_NMAPS_SHIFT |
			 s->ntail << FUZZ_F_NTAIL_SHIFT,
		.nruns = 2,
		.map = { SEED_MAP_VALS | (SEED_MAP_HIST / 4) << 4, 0x11 },
		.entries = SEED_MAP_LOG2 | 3 << 4,
		.ctx_seed = { 3, 1, 4, 1, 5, 9, 2, 6 },
	};
	u8 buf[sizeof(h) + 64 * sizeof(struct rmt_insn)];

	if (s->map0)
		h.map[0] = s->map0;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), s->insns, s->len * sizeof(*s->insns));
	return fuzz_write(dir, kind, n, buf,
			  sizeof(h) + s->len * sizeof(*s->insns));
}

/* fuzz_jit: the verifier's seeds, then its own. */
static int fuzz_write_jit(const char *dir)
{
	u32 i, n = 0;

	for (i = 0; i < ARRAY_SIZE(fuzz_seeds); i++)
		if (fuzz_write_verifier(dir, "jit", n++, &fuzz_seeds[i]))
			return -1;
	for (i = 0; i < ARRAY_SIZE(fuzz_jit_seeds); i++)
		if (fuzz_write_verifier(dir, "jit", n++, &fuzz_jit_seeds[i]))
			return -1;
	return 0;
}

/* An image under construction; records are padded to 8 bytes. */
struct fuzz_img {
	u8 buf[16384];
	size_t len;
	u32 nrecs;
};

static void fuzz_img_rec(struct fuzz_img *img, u16 type, const void *data,
			 u32 len)
{
	struct rmt_image_rec r = { .type = type, .len = len };

	memcpy(img->buf + img->len, &r, sizeof(r));
	memcpy(img->buf + img->len + sizeof(r), data, len);
	img->len += sizeof(r) + ((len + 7) & ~7u);
	img->nrecs++;
}

/* The tail-call targets of sd_tail: slot 1 calls itself until the limit. */
static const struct rmt_insn sd_tail0[] = {
	RMT_LDF(0, F(0)), RMT_ALU_I(ADD, 0, 1), RMT_EXIT(),
};

static const struct rmt_insn sd_tail1[] = {
	RMT_LDF(0, F(1)), RMT_ALU_I(ADD, 0, 1), RMT_STF(F(1), 0),
	RMT_TAIL_CALL(1), RMT_EXIT(),
};

static void fuzz_img_bundle(struct fuzz_img *img, const struct fuzz_seed *s,
			    const void *model, u32 model_len)
{
	static const struct rmt_ctxmap_desc map = {
		.nvals = SEED_MAP_VALS, .hist_len = SEED_MAP_HIST,
		.max_entries = 1 << SEED_MAP_LOG2, .key_kind = RMT_KEY_PID,
	};
	s64 ctx[8] = { 5, 7, -1, 4090, 300, -300, 1, 2 };
	u32 hook = RMT_HOOK_TEST, repeat = 3;
	u64 budget = 100000;

	fuzz_img_rec(img, RMT_REC_PROG, s->insns, s->len * sizeof(*s->insns));
	if (s->ntail) {
		fuzz_img_rec(img, RMT_REC_PROG, sd_tail0, sizeof(sd_tail0));
		fuzz_img_rec(img, RMT_REC_PROG, sd_tail1, sizeof(sd_tail1));
	}
	if (s->model)
		fuzz_img_rec(img, RMT_REC_MODEL, model, model_len);
	if (s->nmaps)
		fuzz_img_rec(img, RMT_REC_CTXMAP, &map, sizeof(map));
	fuzz_img_rec(img, RMT_REC_CTX, ctx, sizeof(ctx));
	fuzz_img_rec(img, RMT_REC_HOOK, &hook, sizeof(hook));
	if (s->len & 1)
		fuzz_img_rec(img, RMT_REC_BUDGET, &budget, sizeof(budget));
	else
		fuzz_img_rec(img, RMT_REC_REPEAT, &repeat, sizeof(repeat));
}

/*
 * Most seeds let fuzz_image add the header (byte 0 = FUZZ_IMG_ADD_HDR,
 * byte 1 = nrecs); every third carries its own, to start the raw path
 * from a valid image too.
 */
static int fuzz_write_image(const char *dir, u32 n, const struct fuzz_seed *s,
			    const void *model, u32 model_len)
{
	static struct fuzz_img img;
	struct rmt_image_hdr hdr = {
		.magic = RMT_IMAGE_MAGIC, .version = RMT_IMAGE_VERSION,
	};
	static u8 out[sizeof(img.buf) + 16];
	bool raw = n % 3 == 2;
	size_t pre;

	img.len = 0;
	img.nrecs = 0;
	fuzz_img_bundle(&img, s, model, model_len);
	hdr.nrecs = img.nrecs;
	if (raw) {
		out[0] = 0;
		memcpy(out + 1, &hdr, sizeof(hdr));
		pre = 1 + sizeof(hdr);
	} else {
		out[0] = FUZZ_IMG_ADD_HDR;
		out[1] = img.nrecs;
		pre = 2;
	}
	memcpy(out + pre, img.buf, img.len);
	return fuzz_write(dir, "image", n, out, pre + img.len);
}

int main(int argc, char **argv)
{
	bool image = argc == 3 && !strcmp(argv[1], "image");
	void *model = NULL;
	u32 i, model_len = 0;

	if (argc == 3 && !strcmp(argv[1], "rmtc")) {
		for (i = 0; i < ARRAY_SIZE(fuzz_rmtc_seeds); i++)
			if (fuzz_write(argv[2], "rmtc", i, fuzz_rmtc_seeds[i],
				       strlen(fuzz_rmtc_seeds[i])))
				return 1;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "jit"))
		return fuzz_write_jit(argv[2]) ? 1 : 0;
	if (argc != 3 || (!image && strcmp(argv[1], "verifier"))) {
		fprintf(stderr, "usage: %s verifier|jit|image|rmtc DIR\n",
			argv[0]);
		return 2;
	}
	if (image) {
		model = fuzz_model_blob(&model_len);
		if (!model)
			return 1;
	}
	for (i = 0; i < ARRAY_SIZE(fuzz_seeds); i++) {
		int err = image ? fuzz_write_image(argv[2], i, &fuzz_seeds[i],
						   model, model_len) :
				  fuzz_write_verifier(argv[2], "verifier", i,
						      &fuzz_seeds[i]);

		if (err)
			return 1;
	}
	rmt_free(model);
	return 0;
}
