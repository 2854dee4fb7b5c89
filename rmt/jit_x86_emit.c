// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86-64 instruction encoders: REX, VEX and EVEX prefixes, ModRM/SIB
 * memory operands, and the handful of scalar instructions every part of
 * the JIT needs.  Encodings follow the Intel SDM, volume 2; the test
 * tests/unit/test_jit_encode.c disassembles what these emit with binutils
 * and compares against the same instructions assembled by GNU as.
 */
#include "jit_x86.h"

void rmt_jit_buf_init(struct rmt_jit *j, u8 *buf, u32 cap)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->cap = cap;
}

/* SIB scale bits for 1, 2, 4, 8 (0 counts as 1). */
static u8 sib_scale(u8 scale)
{
	return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}

/* Offset of the data area from the start of the image. */
static u32 jit_data_base(const struct rmt_jit *j)
{
	return (j->code_len + 63) & ~63u;
}

/*
 * ModRM, SIB and displacement of a memory operand.  @evex forbids disp8
 * (EVEX scales it by the operand size), so EVEX operands use disp32.
 * @trailing: immediate bytes after the displacement, for rip-relative.
 */
static void emit_mem(struct rmt_jit *j, int reg, const struct x86_mem *m,
		     u32 trailing, bool evex)
{
	int base = m->base, mod;
	u8 r = (reg & 7) << 3;

	if (m->rip) {
		s64 disp = (s64)jit_data_base(j) + m->disp -
			   ((s64)j->len + 5 + trailing);

		emit1(j, 0x05 | r);
		emit32(j, (u32)disp);
		return;
	}
	if (base < 0) {		/* [index * scale + disp32], or [disp32] */
		if (m->index >= 0)
			emit2(j, 0x04 | r, (u8)((sib_scale(m->scale) << 6) |
						((m->index & 7) << 3) | 5));
		else
			emit2(j, 0x04 | r, 0x25);
		emit32(j, m->disp);
		return;
	}
	if (m->disp == 0 && (base & 7) != 5)
		mod = 0;
	else if (!evex && is_imm8(m->disp))
		mod = 1;
	else
		mod = 2;
	if (m->index >= 0)
		emit2(j, (mod << 6) | r | 4,
		      (u8)((sib_scale(m->scale) << 6) | ((m->index & 7) << 3) |
			   (base & 7)));
	else if ((base & 7) == 4)
		emit2(j, (mod << 6) | r | 4, 0x24);
	else
		emit1(j, (mod << 6) | r | (base & 7));
	if (mod == 1)
		emit1(j, (u8)m->disp);
	else if (mod == 2)
		emit32(j, m->disp);
}

static int mem_x(const struct x86_mem *m)
{
	return m->index >= 0 ? m->index : 0;
}

static int mem_b(const struct x86_mem *m)
{
	return m->base >= 0 ? m->base : 0;
}

static void emit_legacy(struct rmt_jit *j, const struct x86_op *op, int reg,
			int x, int b, bool byte_rm)
{
	u8 rex = 0x40 | (op->w << 3) | ((reg >> 3 & 1) << 2) |
		 ((x >> 3 & 1) << 1) | (b >> 3 & 1);
	int k;

	if (op->pfx)
		emit1(j, op->pfx);
	if (rex != 0x40 || byte_rm)
		emit1(j, rex);
	for (k = 0; k < op->nop; k++)
		emit1(j, op->op[k]);
}

void emit_rr(struct rmt_jit *j, const struct x86_op *op, int reg, int rm)
{
	bool byte = op->byte_regs && ((reg >= 4 && reg < 8) ||
				      (rm >= 4 && rm < 8));

	emit_legacy(j, op, reg, 0, rm, byte);
	emit1(j, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

void emit_rm(struct rmt_jit *j, const struct x86_op *op, int reg,
	     const struct x86_mem *m, u32 trailing)
{
	bool byte = op->byte_regs && reg >= 4 && reg < 8;

	emit_legacy(j, op, reg, mem_x(m), mem_b(m), byte);
	emit_mem(j, reg, m, trailing, false);
}

static void emit_vex3(struct rmt_jit *j, const struct vex_op *op, int reg,
		      int vvvv, int x, int b)
{
	emit3(j, 0xc4,
	      (u8)((!(reg & 8) << 7) | (!(x & 8) << 6) | (!(b & 8) << 5) |
		   op->map),
	      (u8)((op->w << 7) | ((~vvvv & 15) << 3) | (op->l << 2) | op->pp));
	emit1(j, op->op);
}

void emit_vex_rr(struct rmt_jit *j, const struct vex_op *op, int reg,
		 int vvvv, int rm)
{
	emit_vex3(j, op, reg, vvvv, 0, rm);
	emit1(j, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

void emit_vex_rm(struct rmt_jit *j, const struct vex_op *op, int reg,
		 int vvvv, const struct x86_mem *m, u32 trailing)
{
	emit_vex3(j, op, reg, vvvv, mem_x(m), mem_b(m));
	emit_mem(j, reg, m, trailing, false);
}

/* P0: R X B R' 0 0 m m; P1: W vvvv 1 pp; P2: z L'L b V' aaa. */
static void emit_evex4(struct rmt_jit *j, const struct evex_op *op, int reg,
		       int vvvv, int x, int b, int aaa, bool z, bool bcst)
{
	emit1(j, 0x62);
	emit1(j, (u8)((!(reg & 8) << 7) | (!(x & 8) << 6) | (!(b & 8) << 5) |
		      (!(reg & 16) << 4) | op->map));
	emit1(j, (u8)((op->w << 7) | ((~vvvv & 15) << 3) | 4 | op->pp));
	emit1(j, (u8)((z << 7) | (op->l << 5) | (bcst << 4) |
		      (!(vvvv & 16) << 3) | (aaa & 7)));
	emit1(j, op->op);
}

void emit_evex_rr(struct rmt_jit *j, const struct evex_op *op, int reg,
		  int vvvv, int rm, int aaa, bool z)
{
	/* For a register rm, EVEX.X extends it to 32 registers. */
	emit_evex4(j, op, reg, vvvv, (rm & 16) ? 8 : 0, rm, aaa, z, false);
	emit1(j, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

void emit_evex_rm(struct rmt_jit *j, const struct evex_op *op, int reg,
		  int vvvv, const struct x86_mem *m, int aaa, bool z,
		  bool bcst, u32 trailing)
{
	emit_evex4(j, op, reg, vvvv, mem_x(m), mem_b(m), aaa, z, bcst);
	emit_mem(j, reg, m, trailing, true);
}

/* ---- scalar instructions ---- */

void emit_mov_rr(struct rmt_jit *j, int dst, int src)
{
	static const struct x86_op mov = { .nop = 1, .op = { 0x89 }, .w = true };

	if (dst != src)
		emit_rr(j, &mov, src, dst);
}

/* The shortest of mov r32, imm32 (zero-extends), mov r64, simm32, movabs. */
void emit_mov_imm(struct rmt_jit *j, int dst, s64 imm)
{
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	static const struct x86_op movsx = { .nop = 1, .op = { 0xc7 }, .w = true };

	if (imm == 0) {
		emit_rr(j, &xor32, dst, dst);
	} else if (imm > 0 && imm <= U32_MAX) {
		if (dst >= 8)
			emit1(j, 0x41);
		emit1(j, 0xb8 | (dst & 7));
		emit32(j, (u32)imm);
	} else if (is_simm32(imm)) {
		emit_rr(j, &movsx, 0, dst);
		emit32(j, (u32)imm);
	} else {
		emit2(j, 0x48 | (dst >> 3 & 1), 0xb8 | (dst & 7));
		emit64(j, (u64)imm);
	}
}

/* Loads zero- or sign-extend to 64 bits. */
void emit_load(struct rmt_jit *j, int dst, const struct x86_mem *m, u32 size,
	       bool sign)
{
	struct x86_op op = { .nop = 2, .op = { 0x0f }, .w = true };

	switch (size) {
	case 1:
		op.op[1] = sign ? 0xbe : 0xb6;
		op.w = sign;
		break;
	case 2:
		op.op[1] = sign ? 0xbf : 0xb7;
		op.w = sign;
		break;
	case 4:
		op.nop = 1;
		op.op[0] = sign ? 0x63 : 0x8b;
		op.w = sign;
		break;
	default:
		op.nop = 1;
		op.op[0] = 0x8b;
		break;
	}
	emit_rm(j, &op, dst, m, 0);
}

void emit_store(struct rmt_jit *j, int src, const struct x86_mem *m, u32 size)
{
	struct x86_op op = { .nop = 1, .op = { 0x89 } };

	if (size == 1) {
		op.op[0] = 0x88;
		op.byte_regs = true;
	} else if (size == 2) {
		op.pfx = 0x66;
	} else if (size == 8) {
		op.w = true;
	}
	emit_rm(j, &op, src, m, 0);
}

void emit_store_imm(struct rmt_jit *j, const struct x86_mem *m, u32 size,
		    s32 imm)
{
	struct x86_op op = { .nop = 1, .op = { 0xc7 }, .w = size == 8 };
	u32 n = size == 8 ? 4 : size;

	if (size == 1)
		op.op[0] = 0xc6;
	else if (size == 2)
		op.pfx = 0x66;
	emit_rm(j, &op, 0, m, n);
	if (n == 1)
		emit1(j, (u8)imm);
	else if (n == 2)
		emit2(j, (u8)imm, (u8)(imm >> 8));
	else
		emit32(j, (u32)imm);
}

/* 64-bit "op dst, src" for add/or/and/sub/xor/cmp/test. */
void emit_alu_rr(struct rmt_jit *j, u8 opc, int dst, int src)
{
	struct x86_op op = { .nop = 1, .op = { opc }, .w = true };

	emit_rr(j, &op, src, dst);
}

/* 64-bit "op dst, simm32" by /digit (imm8 form when it fits). */
void emit_alu_ri(struct rmt_jit *j, u8 digit, int dst, s32 imm)
{
	struct x86_op op = { .nop = 1, .op = { 0x81 }, .w = true };

	if (is_imm8(imm)) {
		op.op[0] = 0x83;
		emit_rr(j, &op, digit, dst);
		emit1(j, (u8)imm);
	} else {
		emit_rr(j, &op, digit, dst);
		emit32(j, (u32)imm);
	}
}

void emit_lea(struct rmt_jit *j, int dst, const struct x86_mem *m)
{
	static const struct x86_op lea = { .nop = 1, .op = { 0x8d }, .w = true };

	emit_rm(j, &lea, dst, m, 0);
}

void emit_push(struct rmt_jit *j, int reg)
{
	if (reg >= 8)
		emit1(j, 0x41);
	emit1(j, 0x50 | (reg & 7));
}

void emit_pop(struct rmt_jit *j, int reg)
{
	if (reg >= 8)
		emit1(j, 0x41);
	emit1(j, 0x58 | (reg & 7));
}

void emit_endbr64(struct rmt_jit *j)
{
	emit2(j, 0xf3, 0x0f);
	emit2(j, 0x1e, 0xfa);
}

void emit_cmov(struct rmt_jit *j, int cc, int dst, int src)
{
	struct x86_op op = { .nop = 2, .op = { 0x0f, 0x40 | cc }, .w = true };

	emit_rr(j, &op, dst, src);
}

/*
 * call or jmp (@opcode e8 or e9) rel32 to @target, which must be within
 * reach of the image (only measured while the image is not placed yet).
 */
static void emit_rel32_abs(struct rmt_jit *j, u8 opcode, const void *target,
			   const char *why)
{
	s64 rel = 0;

	if (j->buf) {
		rel = (s64)(unsigned long)target -
		      (s64)(unsigned long)(j->buf + j->len + 5);
		if (!is_simm32(rel)) {
			jit_fail(j, why);
			rel = 0;
		}
	}
	emit1(j, opcode);
	emit32(j, (u32)rel);
}

/*
 * A call into the core.  In the kernel the image sits in the module
 * area, within rel32 of rmt.ko; in user space it may be anywhere, so the
 * target goes through r11 (a temporary, free at every call site).
 */
void emit_call_abs(struct rmt_jit *j, const void *fn)
{
	if (RMT_JIT_NEAR_CALLS) {
		emit_rel32_abs(j, 0xe8, fn, "a core function is out of rel32 reach");
	} else {
		emit_mov_imm(j, JIT_T1, (s64)(unsigned long)fn);
		emit3(j, 0x41, 0xff, 0xd3);	/* call r11 */
	}
}

/* ret, or in the kernel a jump to the return thunk when it uses one. */
void emit_ret(struct rmt_jit *j)
{
	const void *thunk = rmt_jit_return_thunk();

	if (!RMT_JIT_NEAR_CALLS || !thunk)
		emit1(j, 0xc3);
	else
		emit_rel32_abs(j, 0xe9, thunk,
			       "the return thunk is out of rel32 reach");
}

/* Jumps to code offsets, short when the distance allows. */
void emit_jcc_to(struct rmt_jit *j, int cc, u32 target)
{
	s64 rel = (s64)target - (s64)(j->len + 2);

	if (is_imm8(rel)) {
		emit2(j, 0x70 | cc, (u8)rel);
	} else {
		rel = (s64)target - (s64)(j->len + 6);
		emit2(j, 0x0f, 0x80 | cc);
		emit32(j, (u32)rel);
	}
}

void emit_jmp_to(struct rmt_jit *j, u32 target)
{
	s64 rel = (s64)target - (s64)(j->len + 2);

	if (is_imm8(rel)) {
		emit2(j, 0xeb, (u8)rel);
	} else {
		rel = (s64)target - (s64)(j->len + 5);
		emit1(j, 0xe9);
		emit32(j, (u32)rel);
	}
}

/* ---- AMX (encodings only outside user space; see jit_x86_amx.c) ---- */

static const struct vex_op amx_cfg = { .map = 2, .pp = 0, .op = 0x49 };

void emit_ldtilecfg(struct rmt_jit *j, const struct x86_mem *m)
{
	emit_vex_rm(j, &amx_cfg, 0, 0, m, 0);
}

void emit_sttilecfg(struct rmt_jit *j, const struct x86_mem *m)
{
	struct vex_op op = amx_cfg;

	op.pp = 1;
	emit_vex_rm(j, &op, 0, 0, m, 0);
}

void emit_tilerelease(struct rmt_jit *j)
{
	emit_vex_rr(j, &amx_cfg, 0, 0, 0);
}

void emit_tilezero(struct rmt_jit *j, int tmm)
{
	struct vex_op op = amx_cfg;

	op.pp = 3;
	emit_vex_rr(j, &op, tmm, 0, 0);
}

/* tileloadd tmm, [base + index]: the index register is the row stride. */
void emit_tileloadd(struct rmt_jit *j, int tmm, const struct x86_mem *m)
{
	struct vex_op op = { .map = 2, .pp = 3, .op = 0x4b };

	emit_vex_rm(j, &op, tmm, 0, m, 0);
}

void emit_tilestored(struct rmt_jit *j, const struct x86_mem *m, int tmm)
{
	struct vex_op op = { .map = 2, .pp = 2, .op = 0x4b };

	emit_vex_rm(j, &op, tmm, 0, m, 0);
}

/* tdpb[su][su]d dst, a, b: ModRM.reg = dst, rm = a, vvvv = b. */
static void emit_tdp(struct rmt_jit *j, u8 pp, int dst, int a, int b)
{
	struct vex_op op = { .map = 2, .pp = pp, .op = 0x5e };

	emit_vex_rr(j, &op, dst, b, a);
}

void emit_tdpbssd(struct rmt_jit *j, int dst, int a, int b)
{
	emit_tdp(j, 3, dst, a, b);
}

void emit_tdpbusd(struct rmt_jit *j, int dst, int a, int b)
{
	emit_tdp(j, 1, dst, a, b);
}
