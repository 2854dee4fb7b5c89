// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMX lowering of int8 MAT_MUL: y = W x as tile products.
 *
 * W is packed in blocks of 16 rows by 64 columns (zero padded), one A
 * tile each; x is staged in 64-byte pieces on the stack as a B tile of
 * 16 rows of 4 bytes; tdpbssd (signed by signed bytes) accumulates 16
 * dwords of y in a C tile, which is stored back through the same
 * staging area.  tdpbssd sums exactly in 32 bits, as ml.c does.
 *
 * The tier is offered only where CPUID reports AMX-TILE and AMX-INT8
 * and the task was granted the tile data state
 * (arch_prctl(ARCH_REQ_XCOMP_PERM)).  The kernel's FPU API does not
 * manage tile state for kernel code, so rmt.ko never offers it; see
 * docs/jit.md.  The encodings are checked against binutils by
 * tests/unit/test_jit_encode.c on any machine.
 */
#include "jit_x86.h"

#define TMM_C	0
#define TMM_A	1
#define TMM_B	2

/* struct of ldtilecfg: palette 1; colsb and rows of tmm0-2. */
static u32 pack_tilecfg(struct rmt_jit *j)
{
	u32 off = jit_data_alloc(j, 64, 64);
	u8 *d = jit_data_ptr(j, off);

	if (!d)
		return off;
	d[0] = 1;
	d[16 + 2 * TMM_C] = 4;
	d[16 + 2 * TMM_A] = 64;
	d[16 + 2 * TMM_B] = 4;
	d[48 + TMM_C] = 16;
	d[48 + TMM_A] = 16;
	d[48 + TMM_B] = 16;
	return off;
}

/* A tiles: [row block][column block][16 rows][64 bytes]. */
static u32 pack_tiles(struct rmt_jit *j, const struct rmt_tensor_desc *t,
		      const s8 *w, u32 nrb, u32 ncb)
{
	u32 off = jit_data_alloc(j, nrb * ncb * 1024, 64);
	s8 *d = jit_data_ptr(j, off);
	u32 r, c;

	if (!d)
		return off;
	for (r = 0; r < t->rows; r++)
		for (c = 0; c < t->cols; c++)
			d[((size_t)(r / 16) * ncb + c / 64) * 1024 +
			  (r % 16) * 64 + c % 64] = w[(size_t)r * t->cols + c];
	return off;
}

/* Stage x[64cb ... 64cb + 63] (zero padded) at the frame's staging area. */
static void emit_stage_x(struct rmt_jit *j, s32 x, u32 cols, u32 cb)
{
	u32 b;

	emit_mov_imm(j, JIT_T0, 0);
	for (b = 0; b < JIT_STAGE_SIZE; b += 8) {
		struct x86_mem m = mem_bd(RSP, JIT_FRAME_STAGE + b);

		emit_store(j, JIT_T0, &m, 8);
	}
	for (b = 0; b < 64 && 64 * cb + b < cols; b++) {
		struct x86_mem src = mem_bd(JIT_SCRATCH, x + 64 * cb + b);
		struct x86_mem dst = mem_bd(RSP, JIT_FRAME_STAGE + b);

		emit_load(j, JIT_T0, &src, 1, false);
		emit_store(j, JIT_T0, &dst, 1);
	}
}

static void emit_rows_out(struct rmt_jit *j, s32 y, u32 rb, u32 rows)
{
	u32 r;

	for (r = 0; r < 16 && rb * 16 + r < rows; r++) {
		struct x86_mem src = mem_bd(RSP, JIT_FRAME_STAGE + 4 * r);
		struct x86_mem dst = mem_bd(JIT_SCRATCH, y + 4 * (rb * 16 + r));

		emit_load(j, JIT_T0, &src, 4, false);
		emit_store(j, JIT_T0, &dst, 4);
	}
}

/**
 * jit_amx_matmul() - emit an int8 MAT_MUL with AMX tiles
 * @j: the pass (tier AMX)
 * @i: instruction index
 *
 * Return: false for anything but an int8 MAT_MUL (left to scalar code).
 */
bool jit_amx_matmul(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	const struct rmt_model *m = j->prog->env->model;
	const struct rmt_tensor_desc *t;
	u32 idx, nrb, ncb, rb, cb, cfg, tiles;
	s32 x = RMT_IMM_HI16(insn->imm);

	if (insn->code != RMT_OP_MAT_MUL)
		return false;
	idx = RMT_IMM_LO16(insn->imm);
	t = &m->tensors[idx];
	if (t->dtype != RMT_DT_I8)
		return false;
	nrb = (t->rows + 15) / 16;
	ncb = (t->cols + 63) / 64;
	cfg = pack_tilecfg(j);
	tiles = pack_tiles(j, t, m->tensor_data[idx], nrb, ncb);
	{
		struct x86_mem c = mem_data(cfg);

		emit_ldtilecfg(j, &c);
	}
	for (rb = 0; rb < nrb; rb++) {
		struct x86_mem stage = mem_bid(RSP, JIT_T1, 1, JIT_FRAME_STAGE);

		emit_tilezero(j, TMM_C);
		for (cb = 0; cb < ncb; cb++) {
			struct x86_mem a = mem_data(tiles + (rb * ncb + cb) * 1024);
			struct x86_mem at = mem_bid(JIT_T0, JIT_T1, 1, 0);

			emit_stage_x(j, x, t->cols, cb);
			emit_mov_imm(j, JIT_T1, 4);
			emit_tileloadd(j, TMM_B, &stage);
			emit_lea(j, JIT_T0, &a);
			emit_mov_imm(j, JIT_T1, 64);
			emit_tileloadd(j, TMM_A, &at);
			emit_tdpbssd(j, TMM_C, TMM_A, TMM_B);
		}
		emit_mov_imm(j, JIT_T1, 4);
		emit_tilestored(j, &stage, TMM_C);
		emit_rows_out(j, insn->off, rb, t->rows);
	}
	emit_tilerelease(j);
	return true;
}
