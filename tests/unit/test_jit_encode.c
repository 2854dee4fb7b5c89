// SPDX-License-Identifier: GPL-2.0-only
/*
 * Encoding test of the x86-64 JIT's emitters against binutils.
 *
 * A catalogue of instructions -- every AMX instruction, every VEX and
 * EVEX instruction the JIT emits, and the scalar instructions with each
 * kind of memory operand -- is written twice: emitted by the JIT's
 * encoders into a buffer, and as Intel-syntax source assembled by GNU
 * as.  Entry k starts at offset SLOT * k in both byte streams, the rest
 * of its slot filled with int3, so jump and rip-relative targets mean
 * the same in both.  objdump disassembles both streams; an entry passes
 * if our bytes decode to exactly its instructions, in exactly the bytes
 * we emitted, with the same text as the bytes of as.  The encodings
 * themselves may differ (disp8 or disp32, EVEX disp8*N, 2- or 3-byte
 * VEX), and rip-relative operands are compared by their target.
 *
 * The catalogue emits the JIT's own opcode tables (rmt/jit_x86_ops.h); a
 * last check reads that file and fails for any VEX or EVEX opcode
 * declared there that the catalogue does not emit.
 *
 * Without as, objcopy or objdump every check is reported as skipped and
 * the exit status is 4 (kselftest's KSFT_SKIP).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit_x86.h"
#include "jit_x86_ops.h"
#include "ktap.h"

#define KSFT_SKIP	4

#define SLOT		32		/* bytes per entry in both streams */
#define MAX_ENTRIES	600
#define STREAM_MAX	(MAX_ENTRIES * SLOT)
#define DATA_BASE	0x40000		/* .Ldata: where rip-relative data is */
#define SIMD_SRC	"rmt/jit_x86_ops.h"	/* tests run from the top */

/**
 * struct entry - one catalogue entry
 * @text: Intel syntax for as, instructions separated by ';'
 * @start: offset in both streams
 * @len: bytes the JIT emitted
 * @ninsn: instructions in @text
 */
struct entry {
	char text[192];
	u32 start;
	u32 len;
	u32 ninsn;
};

static struct entry cat[MAX_ENTRIES];
static u32 ncat;
static u8 code[STREAM_MAX];
static struct rmt_jit jit;
static struct rmt_jit *const j = &jit;

static void enc_begin(const char *text)
{
	struct entry *e = &cat[ncat];

	if (ncat == MAX_ENTRIES) {
		printf("Bail out! more than %d catalogue entries\n", MAX_ENTRIES);
		exit(1);
	}
	snprintf(e->text, sizeof(e->text), "%s", text);
	e->start = ncat * SLOT;
	jit.len = e->start;
}

static void enc_end(void)
{
	struct entry *e = &cat[ncat++];
	const char *p;

	e->len = jit.len - e->start;
	e->ninsn = 1;
	for (p = e->text; *p; p++)
		e->ninsn += *p == ';';
}

/* One entry: its text for as, and the statements that emit it. */
#define ENC(text, ...)	do { enc_begin(text); __VA_ARGS__; enc_end(); } while (0)

/* Memory operands made by the JIT's constructors, as pointers. */
#define M(x)		((struct x86_mem[]){ x })
#define BD(b, d)	M(mem_bd(b, d))
#define BID(b, i, s, d)	M(mem_bid(b, i, s, d))
#define DATA(off)	M(mem_data(off))

/* ---- AMX (jit_x86_emit.c, used by jit_x86_amx.c) ---- */

static void cat_amx(void)
{
	ENC("ldtilecfg [rip + .Ldata + 0x40]", emit_ldtilecfg(j, DATA(0x40)));
	ENC("ldtilecfg [rsp + 0x40]", emit_ldtilecfg(j, BD(RSP, 0x40)));
	ENC("ldtilecfg [r13]", emit_ldtilecfg(j, BD(R13, 0)));
	ENC("ldtilecfg [rax + r9*4 + 0x12345]",
	    emit_ldtilecfg(j, BID(RAX, R9, 4, 0x12345)));
	ENC("sttilecfg [rip + .Ldata + 0x1000]", emit_sttilecfg(j, DATA(0x1000)));
	ENC("sttilecfg [r12 + 0x100]", emit_sttilecfg(j, BD(R12, 0x100)));
	ENC("sttilecfg [rbp - 0x40]", emit_sttilecfg(j, BD(RBP, -0x40)));
	ENC("sttilecfg [r8 + r15*2]", emit_sttilecfg(j, BID(R8, R15, 2, 0)));

	ENC("tileloadd tmm2, [rsp + r11*1 + 0x40]",
	    emit_tileloadd(j, 2, BID(RSP, R11, 1, 0x40)));
	ENC("tileloadd tmm1, [r10 + r11*1]",
	    emit_tileloadd(j, 1, BID(R10, R11, 1, 0)));
	ENC("tileloadd tmm7, [r13 + r15*2 + 0x80]",
	    emit_tileloadd(j, 7, BID(R13, R15, 2, 0x80)));
	ENC("tileloadd tmm0, [rbp + rax*4 - 0x1000]",
	    emit_tileloadd(j, 0, BID(RBP, RAX, 4, -0x1000)));
	ENC("tileloadd tmm5, [r8 + r12*8]",
	    emit_tileloadd(j, 5, BID(R8, R12, 8, 0)));
	ENC("tileloadd tmm3, [rcx + r8*1 + 0x7f]",
	    emit_tileloadd(j, 3, BID(RCX, R8, 1, 0x7f)));
	ENC("tileloadd tmm6, [r12 + r13*1 + 0x12345678]",
	    emit_tileloadd(j, 6, BID(R12, R13, 1, 0x12345678)));

	ENC("tilestored [rsp + r11*1 + 0x40], tmm0",
	    emit_tilestored(j, BID(RSP, R11, 1, 0x40), 0));
	ENC("tilestored [r14 + r9*1 + 0x12345678], tmm6",
	    emit_tilestored(j, BID(R14, R9, 1, 0x12345678), 6));
	ENC("tilestored [rbx + rcx*2], tmm3",
	    emit_tilestored(j, BID(RBX, RCX, 2, 0), 3));
	ENC("tilestored [r12 + rdx*8 - 0x80], tmm7",
	    emit_tilestored(j, BID(R12, RDX, 8, -0x80), 7));
	ENC("tilestored [rbp + r10*4], tmm2",
	    emit_tilestored(j, BID(RBP, R10, 4, 0), 2));

	ENC("tilezero tmm0", emit_tilezero(j, 0));
	ENC("tilezero tmm4", emit_tilezero(j, 4));
	ENC("tilezero tmm7", emit_tilezero(j, 7));

	ENC("tdpbssd tmm0, tmm1, tmm2", emit_tdpbssd(j, 0, 1, 2));
	ENC("tdpbssd tmm1, tmm2, tmm3", emit_tdpbssd(j, 1, 2, 3));
	ENC("tdpbssd tmm7, tmm6, tmm5", emit_tdpbssd(j, 7, 6, 5));
	ENC("tdpbssd tmm4, tmm0, tmm7", emit_tdpbssd(j, 4, 0, 7));
	ENC("tdpbssd tmm3, tmm5, tmm1", emit_tdpbssd(j, 3, 5, 1));
	ENC("tdpbusd tmm0, tmm1, tmm2", emit_tdpbusd(j, 0, 1, 2));
	ENC("tdpbusd tmm1, tmm2, tmm3", emit_tdpbusd(j, 1, 2, 3));
	ENC("tdpbusd tmm7, tmm6, tmm5", emit_tdpbusd(j, 7, 6, 5));
	ENC("tdpbusd tmm4, tmm0, tmm7", emit_tdpbusd(j, 4, 0, 7));
	ENC("tdpbusd tmm3, tmm5, tmm1", emit_tdpbusd(j, 3, 5, 1));

	ENC("tilerelease", emit_tilerelease(j));
}

/* ---- VEX and EVEX ---- */

/*
 * The JIT's opcodes come from rmt/jit_x86_ops.h; check_simd_coverage()
 * fails if it declares one that no entry below emits.  The variants
 * z_vmovdqu() and z_narrow_store() compute, and a few the JIT no longer
 * uses, are spelled out here.
 */
static const struct evex_op z_vmovdqu64_st = { 1, 2, 1, 2, 0x7f };
static const struct evex_op x_vpsrldq_imm = { 1, 1, 0, 0, 0x73 };
static const struct evex_op z_vinserti32x4 = { 3, 1, 0, 2, 0x38 };
static const struct evex_op z_vmovdqu8_ld = { 1, 3, 0, 2, 0x6f };
static const struct evex_op z_vmovdqu8_st = { 1, 3, 0, 2, 0x7f };
static const struct evex_op z_vmovdqu16_ld = { 1, 3, 1, 2, 0x6f };
static const struct evex_op z_vmovdqu16_st = { 1, 3, 1, 2, 0x7f };
static const struct evex_op x_vmovdqu16_st = { 1, 3, 1, 0, 0x7f };
static const struct evex_op y_vmovdqu32_st = { 1, 2, 0, 1, 0x7f };
static const struct evex_op z_vpmovsqb = { 2, 2, 0, 2, 0x22 };
static const struct evex_op z_vpmovsqw = { 2, 2, 0, 2, 0x24 };
static const struct evex_op z_vpmovsqd = { 2, 2, 0, 2, 0x25 };


/* Every VEX/EVEX opcode the catalogue emitted, for the coverage check. */
struct simd_op {
	bool evex;
	u8 map, pp, w, l, op;
};

static struct simd_op emitted[128];
static u32 nemitted;

static void note_op(bool evex, u8 map, u8 pp, bool w, u8 l, u8 op)
{
	struct simd_op o = { evex, map, pp, w, l, op };
	u32 k;

	for (k = 0; k < nemitted; k++)
		if (!memcmp(&emitted[k], &o, sizeof(o)))
			return;
	if (nemitted < ARRAY_SIZE(emitted))
		emitted[nemitted++] = o;
}

static void ev_rr(const struct evex_op *op, int reg, int vvvv, int rm, int aaa,
		  bool z)
{
	note_op(true, op->map, op->pp, op->w, op->l, op->op);
	emit_evex_rr(j, op, reg, vvvv, rm, aaa, z);
}

static void ev_rm(const struct evex_op *op, int reg, int vvvv,
		  const struct x86_mem *m, int aaa, bool z, bool bcst)
{
	note_op(true, op->map, op->pp, op->w, op->l, op->op);
	emit_evex_rm(j, op, reg, vvvv, m, aaa, z, bcst, 0);
}

static void vx_rr(const struct vex_op *op, int reg, int vvvv, int rm)
{
	note_op(false, op->map, op->pp, op->w, op->l, op->op);
	emit_vex_rr(j, op, reg, vvvv, rm);
}

static void vx_rm(const struct vex_op *op, int reg, int vvvv,
		  const struct x86_mem *m)
{
	note_op(false, op->map, op->pp, op->w, op->l, op->op);
	emit_vex_rm(j, op, reg, vvvv, m, 0);
}

#define EV_RR(op, r, v, rm)	ev_rr(op, r, v, rm, 0, false)
#define EV_RM(op, r, v, m)	ev_rm(op, r, v, m, 0, false, false)

static void cat_evex_bcast_dot(void)
{
	ENC("vpbroadcastd zmm30, dword ptr [rbp + 0x40]",
	    EV_RM(&z_vpbroadcastd, 30, 0, BD(RBP, 0x40)));
	ENC("vpbroadcastd zmm31, dword ptr [rip + .Ldata + 0x40]",
	    EV_RM(&z_vpbroadcastd, 31, 0, DATA(0x40)));
	ENC("vpbroadcastd zmm16, dword ptr [r13]",
	    EV_RM(&z_vpbroadcastd, 16, 0, BD(R13, 0)));
	ENC("vpbroadcastd zmm0, dword ptr [rsp + r12*4 + 0x7c]",
	    EV_RM(&z_vpbroadcastd, 0, 0, BID(RSP, R12, 4, 0x7c)));
	ENC("vpbroadcastd zmm5, dword ptr [r9 + 0x101]",
	    EV_RM(&z_vpbroadcastd, 5, 0, BD(R9, 0x101)));
	ENC("vpbroadcastd zmm30, xmm30", EV_RR(&z_vpbroadcastd, 30, 0, 30));
	ENC("vpbroadcastd zmm30, xmm16", EV_RR(&z_vpbroadcastd, 30, 0, 16));
	ENC("vpbroadcastd zmm30, xmm25", EV_RR(&z_vpbroadcastd, 30, 0, 25));
	ENC("vpbroadcastd zmm17, xmm3", EV_RR(&z_vpbroadcastd, 17, 0, 3));
	ENC("vpbroadcastd zmm2, xmm19", EV_RR(&z_vpbroadcastd, 2, 0, 19));
	ENC("vpbroadcastd zmm8, xmm24", EV_RR(&z_vpbroadcastd, 8, 0, 24));
	ENC("vpbroadcastd zmm31, xmm15", EV_RR(&z_vpbroadcastd, 31, 0, 15));

	ENC("vpbroadcastq zmm29, qword ptr [rip + .Ldata + 0x8]",
	    EV_RM(&z_vpbroadcastq, 29, 0, DATA(0x8)));
	ENC("vpbroadcastq zmm27, qword ptr [rip + .Ldata + 0x10]",
	    EV_RM(&z_vpbroadcastq, 27, 0, DATA(0x10)));
	ENC("vpbroadcastq zmm16, qword ptr [rbp + 0x48]",
	    EV_RM(&z_vpbroadcastq, 16, 0, BD(RBP, 0x48)));
	ENC("vpbroadcastq zmm3, qword ptr [r12 - 0x8]",
	    EV_RM(&z_vpbroadcastq, 3, 0, BD(R12, -8)));
	ENC("vpbroadcastq zmm3, xmm20", EV_RR(&z_vpbroadcastq, 3, 0, 20));
	ENC("vpbroadcastq zmm24, xmm8", EV_RR(&z_vpbroadcastq, 24, 0, 8));

	ENC("vpxord zmm30, zmm30, zmm31", EV_RR(&z_vpxord, 30, 30, 31));
	ENC("vpxord zmm29, zmm29, zmm29", EV_RR(&z_vpxord, 29, 29, 29));
	ENC("vpxord zmm26, zmm26, zmm26", EV_RR(&z_vpxord, 26, 26, 26));
	ENC("vpxord zmm1, zmm1, zmm1", EV_RR(&z_vpxord, 1, 1, 1));
	ENC("vpxord zmm16, zmm8, zmm24", EV_RR(&z_vpxord, 16, 8, 24));
	ENC("vpxord zmm7, zmm23, zmm15", EV_RR(&z_vpxord, 7, 23, 15));
	ENC("vpxord zmm15, zmm16, zmm0", EV_RR(&z_vpxord, 15, 16, 0));
	ENC("vpxord zmm9, zmm17, zmmword ptr [r8 + rcx*2 + 0x40]",
	    EV_RM(&z_vpxord, 9, 17, BID(R8, RCX, 2, 0x40)));

	ENC("vpdpbusd zmm0, zmm30, zmmword ptr [rip + .Ldata + 0x80]",
	    EV_RM(&z_vpdpbusd, 0, 30, DATA(0x80)));
	ENC("vpdpbusd zmm15, zmm30, zmmword ptr [rip + .Ldata + 0x7c0]",
	    EV_RM(&z_vpdpbusd, 15, 30, DATA(0x7c0)));
	ENC("vpdpbusd zmm16, zmm30, zmmword ptr [rbp + 0x40]",
	    EV_RM(&z_vpdpbusd, 16, 30, BD(RBP, 0x40)));
	ENC("vpdpbusd zmm31, zmm0, zmm17", EV_RR(&z_vpdpbusd, 31, 0, 17));
	ENC("vpdpbusd zmm9, zmm25, zmm8", EV_RR(&z_vpdpbusd, 9, 25, 8));
	ENC("vpdpbusd zmm0, zmm30, dword ptr [rbp + 0x40]{1to16}",
	    ev_rm(&z_vpdpbusd, 0, 30, BD(RBP, 0x40), 0, false, true));

	ENC("vpdpwssd zmm0, zmm30, zmmword ptr [rip + .Ldata + 0x100]",
	    EV_RM(&z_vpdpwssd, 0, 30, DATA(0x100)));
	ENC("vpdpwssd zmm13, zmm30, zmmword ptr [r11 + r14*4 + 0x200]",
	    EV_RM(&z_vpdpwssd, 13, 30, BID(R11, R14, 4, 0x200)));
	ENC("vpdpwssd zmm20, zmm21, zmm22", EV_RR(&z_vpdpwssd, 20, 21, 22));
	ENC("vpdpwssd zmm2, zmm18, zmm10", EV_RR(&z_vpdpwssd, 2, 18, 10));

	ENC("vpaddd zmm0, zmm0, zmm1", EV_RR(&z_vpaddd, 0, 0, 1));
	ENC("vpaddd zmm12, zmm12, zmm15", EV_RR(&z_vpaddd, 12, 12, 15));
	ENC("vpaddd zmm16, zmm17, zmm31", EV_RR(&z_vpaddd, 16, 17, 31));
	ENC("vpaddd zmm8, zmm24, zmm16", EV_RR(&z_vpaddd, 8, 24, 16));
	ENC("vpaddd zmm3, zmm19, zmmword ptr [r12 + 0x80]",
	    EV_RM(&z_vpaddd, 3, 19, BD(R12, 0x80)));
	ENC("vpaddd zmm1{k2}{z}, zmm2, zmm3", ev_rr(&z_vpaddd, 1, 2, 3, 2, true));

	ENC("vpaddq zmm30, zmm30, zmm28", EV_RR(&z_vpaddq, 30, 30, 28));
	ENC("vpaddq zmm30, zmm30, zmm27", EV_RR(&z_vpaddq, 30, 30, 27));
	ENC("vpaddq zmm12, zmm20, zmm4", EV_RR(&z_vpaddq, 12, 20, 4));
	ENC("vpaddq zmm17, zmm1, zmm25", EV_RR(&z_vpaddq, 17, 1, 25));
}

static void cat_evex_move(void)
{
	ENC("vmovdqu32 zmm0, zmmword ptr [rip + .Ldata + 0xc0]",
	    EV_RM(&z_vmovdqu32_ld, 0, 0, DATA(0xc0)));
	ENC("vmovdqu32 zmm15, zmmword ptr [rip + .Ldata + 0x400]",
	    EV_RM(&z_vmovdqu32_ld, 15, 0, DATA(0x400)));
	ENC("vmovdqu32 zmm16, zmmword ptr [rbp + 0x40]",
	    EV_RM(&z_vmovdqu32_ld, 16, 0, BD(RBP, 0x40)));
	ENC("vmovdqu32 zmm31, zmmword ptr [rsp]",
	    EV_RM(&z_vmovdqu32_ld, 31, 0, BD(RSP, 0)));
	ENC("vmovdqu32 zmm5{k3}{z}, zmmword ptr [rsi]",
	    ev_rm(&z_vmovdqu32_ld, 5, 0, BD(RSI, 0), 3, true, false));
	ENC("vmovdqu32 zmm30{k1}{z}, zmmword ptr [rbp + 0x40]",
	    ev_rm(&z_vmovdqu32_ld, 30, 0, BD(RBP, 0x40), 1, true, false));
	ENC("vmovdqu32 zmmword ptr [rbp + 0x40], zmm30",
	    EV_RM(&z_vmovdqu32_st, 30, 0, BD(RBP, 0x40)));
	ENC("vmovdqu32 zmmword ptr [rbp + 0x40]{k1}, zmm0",
	    ev_rm(&z_vmovdqu32_st, 0, 0, BD(RBP, 0x40), 1, false, false));
	ENC("vmovdqu32 zmmword ptr [rbp + 0x1000]{k1}, zmm30",
	    ev_rm(&z_vmovdqu32_st, 30, 0, BD(RBP, 0x1000), 1, false, false));
	ENC("vmovdqu32 zmmword ptr [rsp + r8*2 + 0x10], zmm17",
	    EV_RM(&z_vmovdqu32_st, 17, 0, BID(RSP, R8, 2, 0x10)));
	ENC("vmovdqu32 zmmword ptr [r13], zmm31",
	    EV_RM(&z_vmovdqu32_st, 31, 0, BD(R13, 0)));
	ENC("vmovdqu32 zmmword ptr [rbp - 0x40], zmm12",
	    EV_RM(&z_vmovdqu32_st, 12, 0, BD(RBP, -0x40)));
	ENC("vmovdqu32 ymmword ptr [rbp + 0x20], ymm18",
	    EV_RM(&y_vmovdqu32_st, 18, 0, BD(RBP, 0x20)));
	ENC("vmovdqu32 ymmword ptr [rsp + 0x40], ymm30",
	    EV_RM(&y_vmovdqu32_st, 30, 0, BD(RSP, 0x40)));

	ENC("vmovdqu64 zmm30, zmmword ptr [r9 + 0x40]",
	    EV_RM(&z_vmovdqu64_ld, 30, 0, BD(R9, 0x40)));
	ENC("vmovdqu64 zmm30, zmmword ptr [r9]",
	    EV_RM(&z_vmovdqu64_ld, 30, 0, BD(R9, 0)));
	ENC("vmovdqu64 zmm30{k1}{z}, zmmword ptr [r9 + 0x80]",
	    ev_rm(&z_vmovdqu64_ld, 30, 0, BD(R9, 0x80), 1, true, false));
	ENC("vmovdqu64 zmm18, zmmword ptr [r12 + r15*8 + 0x100]",
	    EV_RM(&z_vmovdqu64_ld, 18, 0, BID(R12, R15, 8, 0x100)));
	ENC("vmovdqu64 zmm16, zmm30", EV_RR(&z_vmovdqu64_ld, 16, 0, 30));
	ENC("vmovdqu64 zmm25, zmm30", EV_RR(&z_vmovdqu64_ld, 25, 0, 30));
	ENC("vmovdqu64 zmm3, zmm17", EV_RR(&z_vmovdqu64_ld, 3, 0, 17));
	ENC("vmovdqu64 zmmword ptr [rbp + 0x40], zmm30",
	    EV_RM(&z_vmovdqu64_st, 30, 0, BD(RBP, 0x40)));
	ENC("vmovdqu64 zmmword ptr [rbp - 0x80], zmm20",
	    EV_RM(&z_vmovdqu64_st, 20, 0, BD(RBP, -0x80)));
	ENC("vmovdqu64 zmmword ptr [r10 + rax*1], zmm2",
	    EV_RM(&z_vmovdqu64_st, 2, 0, BID(R10, RAX, 1, 0)));
	ENC("vmovdqu64 zmmword ptr [rbp + 0x40]{k1}, zmm16",
	    ev_rm(&z_vmovdqu64_st, 16, 0, BD(RBP, 0x40), 1, false, false));

	ENC("vmovdqu8 zmm30{k1}{z}, zmmword ptr [rbp + 0x40]",
	    ev_rm(&z_vmovdqu8_ld, 30, 0, BD(RBP, 0x40), 1, true, false));
	ENC("vmovdqu8 zmmword ptr [rbp + 0x40]{k1}, zmm30",
	    ev_rm(&z_vmovdqu8_st, 30, 0, BD(RBP, 0x40), 1, false, false));
	ENC("vmovdqu8 zmmword ptr [rbp + 0x1000]{k1}, zmm16",
	    ev_rm(&z_vmovdqu8_st, 16, 0, BD(RBP, 0x1000), 1, false, false));
	ENC("vmovdqu16 zmm30{k1}{z}, zmmword ptr [rbp + 0x40]",
	    ev_rm(&z_vmovdqu16_ld, 30, 0, BD(RBP, 0x40), 1, true, false));
	ENC("vmovdqu16 zmmword ptr [rbp + 0x40]{k1}, zmm30",
	    ev_rm(&z_vmovdqu16_st, 30, 0, BD(RBP, 0x40), 1, false, false));
	ENC("vmovdqu16 zmmword ptr [r12 + rcx*2]{k1}, zmm21",
	    ev_rm(&z_vmovdqu16_st, 21, 0, BID(R12, RCX, 2, 0), 1, false, false));
	ENC("vmovdqu16 xmmword ptr [rbp + 0x10], xmm17",
	    EV_RM(&x_vmovdqu16_st, 17, 0, BD(RBP, 0x10)));
	ENC("vmovdqu16 xmmword ptr [r13], xmm25",
	    EV_RM(&x_vmovdqu16_st, 25, 0, BD(R13, 0)));

	ENC("vmovq qword ptr [rbp + 0x40], xmm16", EV_RM(&x_vmovq_st, 16, 0, BD(RBP, 0x40)));
	ENC("vmovq qword ptr [rbp + 0x48], xmm25", EV_RM(&x_vmovq_st, 25, 0, BD(RBP, 0x48)));
	ENC("vmovq qword ptr [rbp - 0x8], xmm30", EV_RM(&x_vmovq_st, 30, 0, BD(RBP, -8)));
	ENC("vmovq qword ptr [r12 + rax*8], xmm3",
	    EV_RM(&x_vmovq_st, 3, 0, BID(R12, RAX, 8, 0)));

	ENC("vmovd xmm30, r11d", EV_RR(&x_vmovd, 30, 0, R11));
	ENC("vmovd xmm16, eax", EV_RR(&x_vmovd, 16, 0, RAX));
	ENC("vmovd xmm3, r8d", EV_RR(&x_vmovd, 3, 0, R8));
	ENC("vmovd xmm31, r15d", EV_RR(&x_vmovd, 31, 0, R15));
}

static void cat_evex_requant(void)
{
	ENC("vpmovsxdq zmm30, ymmword ptr [rbp + 0x20]",
	    EV_RM(&z_vpmovsxdq, 30, 0, BD(RBP, 0x20)));
	ENC("vpmovsxdq zmm30{k1}{z}, ymmword ptr [rbp + 0x60]",
	    ev_rm(&z_vpmovsxdq, 30, 0, BD(RBP, 0x60), 1, true, false));
	ENC("vpmovsxdq zmm20, ymmword ptr [r14 + 0x1000]",
	    EV_RM(&z_vpmovsxdq, 20, 0, BD(R14, 0x1000)));
	ENC("vpmovsxdq zmm30, ymm0", EV_RR(&z_vpmovsxdq, 30, 0, 0));
	ENC("vpmovsxdq zmm30, ymm15", EV_RR(&z_vpmovsxdq, 30, 0, 15));
	ENC("vpmovsxdq zmm30, ymm30", EV_RR(&z_vpmovsxdq, 30, 0, 30));
	ENC("vpmovsxdq zmm16, ymm17", EV_RR(&z_vpmovsxdq, 16, 0, 17));
	ENC("vpmovsxdq zmm2, ymm30", EV_RR(&z_vpmovsxdq, 2, 0, 30));

	/* ModRM.reg is the source, ModRM.rm the destination */
	ENC("vextracti64x4 ymm30, zmm0, 0x1",
	    EV_RR(&z_vextracti64x4, 0, 0, 30), emit1(j, 1));
	ENC("vextracti64x4 ymm30, zmm15, 0x1",
	    EV_RR(&z_vextracti64x4, 15, 0, 30), emit1(j, 1));
	ENC("vextracti64x4 ymm17, zmm28, 0x1",
	    EV_RR(&z_vextracti64x4, 28, 0, 17), emit1(j, 1));
	ENC("vextracti64x4 ymm4, zmm9, 0x0",
	    EV_RR(&z_vextracti64x4, 9, 0, 4), emit1(j, 0));

	ENC("vpmuldq zmm30, zmm30, zmm29", EV_RR(&z_vpmuldq, 30, 30, 29));
	ENC("vpmuldq zmm1, zmm17, zmm31", EV_RR(&z_vpmuldq, 1, 17, 31));
	ENC("vpmuldq zmm25, zmm9, zmm7", EV_RR(&z_vpmuldq, 25, 9, 7));

	/* /digit ib: ModRM.reg is the digit, vvvv the destination */
	ENC("vpsraq zmm30, zmm30, 0x5", EV_RR(&z_vpsraq_imm, 4, 30, 30), emit1(j, 5));
	ENC("vpsraq zmm16, zmm3, 0x3f", EV_RR(&z_vpsraq_imm, 4, 16, 3), emit1(j, 63));
	ENC("vpsraq zmm7, zmm24, 0x1", EV_RR(&z_vpsraq_imm, 4, 7, 24), emit1(j, 1));
	ENC("vpsrad zmm30, zmm30, 0x9", EV_RR(&z_vpsrad_imm, 4, 30, 30), emit1(j, 9));
	ENC("vpsrad zmm3, zmm17, 0x2a", EV_RR(&z_vpsrad_imm, 4, 3, 17), emit1(j, 42));
	ENC("vpmulld zmm30, zmm0, zmm29", EV_RR(&z_vpmulld, 30, 0, 29));
	ENC("vpmulld zmm5, zmm21, zmm12", EV_RR(&z_vpmulld, 5, 21, 12));
	ENC("vpermd zmm30, zmm27, zmm16", EV_RR(&z_vpermd, 30, 27, 16));
	ENC("vpermd zmm2, zmm9, zmm25", EV_RR(&z_vpermd, 2, 9, 25));
	ENC("vinserti32x4 zmm16, zmm16, xmm30, 0x3",
	    EV_RR(&z_vinserti32x4, 16, 16, 30), emit1(j, 3));
	ENC("vinserti32x4 zmm1, zmm7, xmm12, 0x0",
	    EV_RR(&z_vinserti32x4, 1, 7, 12), emit1(j, 0));
	ENC("vpackssdw zmm24, zmm20, zmm21", EV_RR(&z_vpackssdw, 24, 20, 21));
	ENC("vpackssdw zmm25, zmm3, zmm23", EV_RR(&z_vpackssdw, 25, 3, 23));
	ENC("vpacksswb zmm16, zmm24, zmm25", EV_RR(&z_vpacksswb, 16, 24, 25));
	ENC("vpacksswb zmm2, zmm9, zmm30", EV_RR(&z_vpacksswb, 2, 9, 30));
	ENC("vpmovsdb xmm16, zmm30", EV_RR(&z_vpmovsdb, 30, 0, 16));
	ENC("vpmovsdb xmm3, zmm9", EV_RR(&z_vpmovsdb, 9, 0, 3));
	ENC("vpsrldq xmm30, xmm16, 0x4", EV_RR(&x_vpsrldq_imm, 3, 30, 16), emit1(j, 4));
	ENC("vpsrldq xmm30, xmm25, 0xe", EV_RR(&x_vpsrldq_imm, 3, 30, 25), emit1(j, 14));
	ENC("vpsrldq xmm1, xmm17, 0x1", EV_RR(&x_vpsrldq_imm, 3, 1, 17), emit1(j, 1));
	ENC("vpsrldq xmm20, xmm3, 0x8", EV_RR(&x_vpsrldq_imm, 3, 20, 3), emit1(j, 8));

	/* register destination in ModRM.rm, as z_narrow_store() emits them */
	ENC("vpmovsqb xmm16, zmm30", EV_RR(&z_vpmovsqb, 30, 0, 16));
	ENC("vpmovsqb xmm30, zmm30", EV_RR(&z_vpmovsqb, 30, 0, 30));
	ENC("vpmovsqw xmm17, zmm30", EV_RR(&z_vpmovsqw, 30, 0, 17));
	ENC("vpmovsqw xmm2, zmm19", EV_RR(&z_vpmovsqw, 19, 0, 2));
	ENC("vpmovsqd ymm18, zmm30", EV_RR(&z_vpmovsqd, 30, 0, 18));
	ENC("vpmovsqd ymm25, zmm30", EV_RR(&z_vpmovsqd, 30, 0, 25));
	ENC("vpmovsqb qword ptr [rbp + 0x10], zmm30",
	    EV_RM(&z_vpmovsqb, 30, 0, BD(RBP, 0x10)));
	ENC("vpmovsqb qword ptr [r12 + rcx*8 - 0x8]{k1}, zmm30",
	    ev_rm(&z_vpmovsqb, 30, 0, BID(R12, RCX, 8, -8), 1, false, false));
	ENC("vpmovsqw xmmword ptr [rbp + 0x20], zmm30",
	    EV_RM(&z_vpmovsqw, 30, 0, BD(RBP, 0x20)));
	ENC("vpmovsqd ymmword ptr [rbp + 0x40], zmm30",
	    EV_RM(&z_vpmovsqd, 30, 0, BD(RBP, 0x40)));

	ENC("vpmaxsb zmm30, zmm29, zmmword ptr [rbp + 0x40]",
	    EV_RM(&zmax[RMT_DT_I8], 30, 29, BD(RBP, 0x40)));
	ENC("vpmaxsw zmm30, zmm29, zmmword ptr [rbp + 0x80]",
	    EV_RM(&zmax[RMT_DT_I16], 30, 29, BD(RBP, 0x80)));
	ENC("vpmaxsd zmm30, zmm29, zmmword ptr [rbp + 0x100]",
	    EV_RM(&zmax[RMT_DT_I32], 30, 29, BD(RBP, 0x100)));
	ENC("vpmaxsq zmm30, zmm29, zmmword ptr [rbp + 0x8]",
	    EV_RM(&zmax[RMT_DT_I64], 30, 29, BD(RBP, 0x8)));
	ENC("vpmaxsb zmm30, zmm30, zmm29", EV_RR(&zmax[RMT_DT_I8], 30, 30, 29));
	ENC("vpmaxsw zmm30, zmm30, zmm29", EV_RR(&zmax[RMT_DT_I16], 30, 30, 29));
	ENC("vpmaxsd zmm30, zmm30, zmm29", EV_RR(&zmax[RMT_DT_I32], 30, 30, 29));
	ENC("vpmaxsq zmm30, zmm30, zmm26", EV_RR(&zmax[RMT_DT_I64], 30, 30, 26));
	ENC("vpmaxsq zmm16, zmm17, zmm31", EV_RR(&zmax[RMT_DT_I64], 16, 17, 31));
	ENC("vpmaxsb zmm3, zmm24, zmm9", EV_RR(&zmax[RMT_DT_I8], 3, 24, 9));

	/* ARGMAX of the accumulators */
	ENC("vmovdqa32 zmm30{k1}, zmm0", ev_rr(&z_vmovdqa32, 30, 0, 0, 1, false));
	ENC("vmovdqa32 zmm30{k1}, zmm15", ev_rr(&z_vmovdqa32, 30, 0, 15, 1, false));
	ENC("vmovdqa32 zmm29, zmm30", EV_RR(&z_vmovdqa32, 29, 0, 30));
	ENC("vmovdqa32 zmm5, zmm21", EV_RR(&z_vmovdqa32, 5, 0, 21));
	ENC("vshufi32x4 zmm28, zmm29, zmm29, 0x4e",
	    EV_RR(&z_vshufi32x4, 28, 29, 29), emit1(j, 0x4e));
	ENC("vshufi32x4 zmm28, zmm29, zmm29, 0xb1",
	    EV_RR(&z_vshufi32x4, 28, 29, 29), emit1(j, 0xb1));
	ENC("vshufi32x4 zmm3, zmm17, zmm8, 0x0",
	    EV_RR(&z_vshufi32x4, 3, 17, 8), emit1(j, 0));
	ENC("vpshufd zmm28, zmm29, 0x4e", EV_RR(&z_vpshufd, 28, 0, 29), emit1(j, 0x4e));
	ENC("vpshufd zmm28, zmm29, 0xb1", EV_RR(&z_vpshufd, 28, 0, 29), emit1(j, 0xb1));
	ENC("vpshufd zmm16, zmm4, 0x1b", EV_RR(&z_vpshufd, 16, 0, 4), emit1(j, 0x1b));
	ENC("vpshufd zmm2, zmm18, 0xff", EV_RR(&z_vpshufd, 2, 0, 18), emit1(j, 0xff));
	ENC("vpcmpeqd k2, zmm30, zmm29", EV_RR(&z_vpcmpeqd, 2, 30, 29));
	ENC("vpcmpeqd k1, zmm16, zmm3", EV_RR(&z_vpcmpeqd, 1, 16, 3));
	ENC("vpcmpeqd k7, zmm0, zmm31", EV_RR(&z_vpcmpeqd, 7, 0, 31));
}

/* AVX2, and the VEX-encoded mask moves */
static void cat_vex(void)
{
	ENC("vpbroadcastd ymm15, dword ptr [rbp + 0x40]",
	    vx_rm(&y_vpbroadcastd, 15, 0, BD(RBP, 0x40)));
	ENC("vpbroadcastd ymm9, dword ptr [r12 + 0x4]",
	    vx_rm(&y_vpbroadcastd, 9, 0, BD(R12, 4)));
	ENC("vpbroadcastd ymm3, dword ptr [rsp + r10*4 + 0x100]",
	    vx_rm(&y_vpbroadcastd, 3, 0, BID(RSP, R10, 4, 0x100)));
	ENC("vmovd r10d, xmm0", vx_rr(&x_vmovd_rx, 0, 0, 10));
	ENC("vmovd eax, xmm12", vx_rr(&x_vmovd_rx, 12, 0, 0));
	ENC("vpextrd r11d, xmm4, 0x2", vx_rr(&x_vpextrd, 4, 0, 11), emit1(j, 2));
	ENC("vpextrd ecx, xmm15, 0x3", vx_rr(&x_vpextrd, 15, 0, 1), emit1(j, 3));
	ENC("vpbroadcastd ymm15, xmm15", vx_rr(&y_vpbroadcastd, 15, 0, 15));
	ENC("vpbroadcastd ymm0, xmm8", vx_rr(&y_vpbroadcastd, 0, 0, 8));
	ENC("vpbroadcastd ymm10, xmm1", vx_rr(&y_vpbroadcastd, 10, 0, 1));

	ENC("vmovdqu ymm0, ymmword ptr [rip + .Ldata + 0x20]",
	    vx_rm(&y_vmovdqu_ld, 0, 0, DATA(0x20)));
	ENC("vmovdqu ymm13, ymmword ptr [rip + .Ldata + 0x1a0]",
	    vx_rm(&y_vmovdqu_ld, 13, 0, DATA(0x1a0)));
	ENC("vmovdqu ymm15, ymmword ptr [rip + .Ldata + 0x3e0]",
	    vx_rm(&y_vmovdqu_ld, 15, 0, DATA(0x3e0)));
	ENC("vmovdqu ymm7, ymmword ptr [rbp + 0x20]",
	    vx_rm(&y_vmovdqu_ld, 7, 0, BD(RBP, 0x20)));
	ENC("vmovdqu ymmword ptr [rbp + 0x20], ymm3",
	    vx_rm(&y_vmovdqu_st, 3, 0, BD(RBP, 0x20)));
	ENC("vmovdqu ymmword ptr [r13 + r14*2 + 0x1000], ymm12",
	    vx_rm(&y_vmovdqu_st, 12, 0, BID(R13, R14, 2, 0x1000)));
	ENC("vmovdqu ymmword ptr [rbp + 0x40], ymm14",
	    vx_rm(&y_vmovdqu_st, 14, 0, BD(RBP, 0x40)));

	ENC("vpmaddwd ymm14, ymm15, ymmword ptr [rip + .Ldata + 0x200]",
	    vx_rm(&y_vpmaddwd, 14, 15, DATA(0x200)));
	ENC("vpmaddwd ymm14, ymm15, ymmword ptr [rbp + 0x40]",
	    vx_rm(&y_vpmaddwd, 14, 15, BD(RBP, 0x40)));
	ENC("vpmaddwd ymm8, ymm0, ymmword ptr [r9 + rbx*8 - 0x20]",
	    vx_rm(&y_vpmaddwd, 8, 0, BID(R9, RBX, 8, -0x20)));
	ENC("vpmaddwd ymm1, ymm9, ymm10", vx_rr(&y_vpmaddwd, 1, 9, 10));

	ENC("vpaddd ymm0, ymm0, ymm14", vx_rr(&y_vpaddd, 0, 0, 14));
	ENC("vpaddd ymm13, ymm13, ymm14", vx_rr(&y_vpaddd, 13, 13, 14));
	ENC("vpaddd ymm8, ymm1, ymm9", vx_rr(&y_vpaddd, 8, 1, 9));

	ENC("vpxor ymm13, ymm13, ymm13", vx_rr(&y_vpxor, 13, 13, 13));
	ENC("vpxor ymm14, ymm14, ymm14", vx_rr(&y_vpxor, 14, 14, 14));
	ENC("vpxor ymm0, ymm12, ymm3", vx_rr(&y_vpxor, 0, 12, 3));

	ENC("vpmaxsb ymm14, ymm13, ymmword ptr [rbp + 0x40]",
	    vx_rm(&ymax[RMT_DT_I8], 14, 13, BD(RBP, 0x40)));
	ENC("vpmaxsw ymm14, ymm13, ymmword ptr [rbp + 0x20]",
	    vx_rm(&ymax[RMT_DT_I16], 14, 13, BD(RBP, 0x20)));
	ENC("vpmaxsd ymm14, ymm13, ymmword ptr [rbp + 0x1000]",
	    vx_rm(&ymax[RMT_DT_I32], 14, 13, BD(RBP, 0x1000)));
	ENC("vpmaxsd ymm0, ymm8, ymm15", vx_rr(&ymax[RMT_DT_I32], 0, 8, 15));

	/* ModRM.reg is the value, vvvv the mask */
	ENC("vpmaskmovd ymmword ptr [rbp + 0x60], ymm15, ymm3",
	    vx_rm(&y_vpmaskmovd_st, 3, 15, BD(RBP, 0x60)));
	ENC("vpmaskmovd ymmword ptr [r12 + rax*4], ymm15, ymm9",
	    vx_rm(&y_vpmaskmovd_st, 9, 15, BID(R12, RAX, 4, 0)));
	ENC("vpmaskmovd ymmword ptr [rbp + 0x60], ymm0, ymm13",
	    vx_rm(&y_vpmaskmovd_st, 13, 0, BD(RBP, 0x60)));

	ENC("vmovd xmm15, r11d", vx_rr(&x_vmovd_vex, 15, 0, R11));
	ENC("vmovd xmm0, eax", vx_rr(&x_vmovd_vex, 0, 0, RAX));
	ENC("vmovd xmm9, r8d", vx_rr(&x_vmovd_vex, 9, 0, R8));

	ENC("kmovw k1, r11d", vx_rr(&k_kmovw, 1, 0, R11));
	ENC("kmovw k7, eax", vx_rr(&k_kmovw, 7, 0, RAX));
	ENC("kmovw k3, r15d", vx_rr(&k_kmovw, 3, 0, R15));
	ENC("kmovw r11d, k2", vx_rr(&k_kmovw_rk, R11, 0, 2));
	ENC("kmovw eax, k1", vx_rr(&k_kmovw_rk, RAX, 0, 1));
	ENC("kmovw r8d, k7", vx_rr(&k_kmovw_rk, R8, 0, 7));
	ENC("kmovq k1, r11", vx_rr(&k_kmovq, 1, 0, R11));
	ENC("kmovq k2, rax", vx_rr(&k_kmovq, 2, 0, RAX));
	/* emit_k1_mask() */
	ENC("mov r11d, 0x7fff; kmovw k1, r11d",
	    emit_mov_imm(j, JIT_T1, 0x7fff), vx_rr(&k_kmovw, 1, 0, JIT_T1));
	/* emit_k1_mask64() */
	ENC("movabs r11, 0x7fffffffffffffff; kmovq k1, r11",
	    emit_mov_imm(j, JIT_T1, S64_MAX), vx_rr(&k_kmovq, 1, 0, JIT_T1));

	/* jit_x86.c writes vzeroupper as bytes in the epilogue */
	ENC("vzeroupper", emit3(j, 0xc5, 0xf8, 0x77));
}

/*
 * Is every { map, pp, W, L, opcode } that @path declares for a vex_op or
 * evex_op among those the catalogue emitted?  Initializers that are not
 * five numbers (computed ones) are not seen; they are listed by hand.
 */
static void check_simd_coverage(const char *path)
{
	char line[256], missing[1024] = "";
	bool evex = false;
	u32 nline = 0, n = 0, k;
	FILE *f = fopen(path, "r");

	if (!f) {
		ktap_check(1, "coverage: the opcode tables of %s # SKIP %s",
			   path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		nline++;
		if (strstr(line, "evex_op"))
			evex = true;
		else if (strstr(line, "vex_op"))
			evex = false;
		while ((p = strchr(p, '{'))) {
			unsigned int map, pp, w, l, op;
			int end = 0;

			if (sscanf(p, "{ %u , %u , %u , %u , %x }%n", &map, &pp, &w,
				   &l, &op, &end) == 5 && end) {
				n++;
				for (k = 0; k < nemitted; k++)
					if (emitted[k].evex == evex &&
					    emitted[k].map == map && emitted[k].pp == pp &&
					    emitted[k].w == w && emitted[k].l == l &&
					    emitted[k].op == op)
						break;
				if (k == nemitted)
					snprintf(missing + strlen(missing),
						 sizeof(missing) - strlen(missing),
						 "\n#   %s:%u: %s { %u, %u, %u, %u, %#x }",
						 path, nline, evex ? "evex" : "vex",
						 map, pp, w, l, op);
			}
			p++;
		}
	}
	fclose(f);
	if (!ktap_check(n && !*missing,
			"coverage: the catalogue emits all %u VEX/EVEX opcodes of %s",
			n, path))
		ktap_diag("not in the catalogue (a new instruction, or a wrong "
			  "table entry):%s", *missing ? missing : " (none found)");
}

/* ---- scalar: moves, loads and stores ---- */

static void cat_mov(void)
{
	ENC("mov rax, r11", emit_mov_rr(j, RAX, R11));
	ENC("mov r11, rdi", emit_mov_rr(j, R11, RDI));
	ENC("mov r9, rdx", emit_mov_rr(j, R9, RDX));
	ENC("mov rcx, r10", emit_mov_rr(j, RCX, R10));
	ENC("mov r15, r8", emit_mov_rr(j, R15, R8));

	ENC("xor eax, eax", emit_mov_imm(j, RAX, 0));
	ENC("xor r11d, r11d", emit_mov_imm(j, R11, 0));
	ENC("mov r11d, 0x4", emit_mov_imm(j, R11, 4));
	ENC("mov esi, 0x12345678", emit_mov_imm(j, RSI, 0x12345678));
	ENC("mov eax, 0xffffffff", emit_mov_imm(j, RAX, 0xffffffffLL));
	ENC("mov r10, -1", emit_mov_imm(j, R10, -1));
	ENC("mov rbx, -0x80000000", emit_mov_imm(j, RBX, S32_MIN));
	ENC("movabs rax, 0x123456789abcdef0",
	    emit_mov_imm(j, RAX, 0x123456789abcdef0LL));
	ENC("movabs r15, 0x100000000", emit_mov_imm(j, R15, 0x100000000LL));
	ENC("movabs r11, -0x80000001", emit_mov_imm(j, R11, -0x80000001LL));
}

static void cat_load(void)
{
	ENC("movzx eax, byte ptr [rbp + 0x10]",
	    emit_load(j, RAX, BD(RBP, 0x10), 1, false));
	ENC("movzx r11d, byte ptr [r13]", emit_load(j, R11, BD(R13, 0), 1, false));
	ENC("movsx r10, byte ptr [rsp + 0x40]",
	    emit_load(j, R10, BD(RSP, 0x40), 1, true));
	ENC("movsx rsi, byte ptr [r8 + r12*1 - 0x1]",
	    emit_load(j, RSI, BID(R8, R12, 1, -1), 1, true));
	ENC("movzx ecx, word ptr [r12 + 0x200]",
	    emit_load(j, RCX, BD(R12, 0x200), 2, false));
	ENC("movzx r10d, word ptr [rip + .Ldata + 0x2]",
	    emit_load(j, R10, DATA(2), 2, false));
	ENC("movsx rdx, word ptr [r9 + rax*2 + 0x6]",
	    emit_load(j, RDX, BID(R9, RAX, 2, 6), 2, true));
	ENC("mov esi, dword ptr [rbp + 0x7f]", emit_load(j, RSI, BD(RBP, 0x7f), 4, false));
	ENC("mov r10d, dword ptr [rsp + 0x40]",
	    emit_load(j, R10, BD(RSP, 0x40), 4, false));
	ENC("movsxd rdi, dword ptr [rbp + 0x80]",
	    emit_load(j, RDI, BD(RBP, 0x80), 4, true));
	ENC("movsxd r14, dword ptr [rip + .Ldata + 0x44]",
	    emit_load(j, R14, DATA(0x44), 4, true));
	ENC("mov r9, qword ptr [rdi + 0x8]", emit_load(j, R9, BD(RDI, 8), 8, false));
	ENC("mov r9, qword ptr [rsp + 0x38]", emit_load(j, R9, BD(RSP, 0x38), 8, false));
	ENC("mov rax, qword ptr [rsp + r8*8 - 0x81]",
	    emit_load(j, RAX, BID(RSP, R8, 8, -0x81), 8, false));
	ENC("mov rax, qword ptr [rbp - 0x80]", emit_load(j, RAX, BD(RBP, -0x80), 8, false));
	ENC("mov rcx, qword ptr [rbp]", emit_load(j, RCX, BD(RBP, 0), 8, false));
	ENC("mov r12, qword ptr [r13 + r12*1]",
	    emit_load(j, R12, BID(R13, R12, 1, 0), 8, false));
	ENC("mov rbx, qword ptr [rax + r13*4]",
	    emit_load(j, RBX, BID(RAX, R13, 4, 0), 8, false));
	ENC("mov r8, qword ptr [r12]", emit_load(j, R8, BD(R12, 0), 8, false));
	ENC("mov rdx, qword ptr [r11 + 0x12345678]",
	    emit_load(j, RDX, BD(R11, 0x12345678), 8, false));
	ENC("mov r15, qword ptr [rip + .Ldata + 0x18]",
	    emit_load(j, R15, DATA(0x18), 8, false));
	/* no base: [index * scale + disp32], and an absolute disp32 */
	ENC("mov rax, qword ptr [r12*8 + 0x100]",
	    emit_load(j, RAX, BID(-1, R12, 8, 0x100), 8, false));
	ENC("mov rax, qword ptr [rsi*2 - 0x10]",
	    emit_load(j, RAX, BID(-1, RSI, 2, -0x10), 8, false));
	ENC("mov rax, qword ptr ds:0x1234",
	    emit_load(j, RAX, BID(-1, -1, 1, 0x1234), 8, false));
}

static void cat_store(void)
{
	ENC("mov byte ptr [rbp + 0x10], al", emit_store(j, RAX, BD(RBP, 0x10), 1));
	ENC("mov byte ptr [rbp + 0x10], bl", emit_store(j, RBX, BD(RBP, 0x10), 1));
	ENC("mov byte ptr [rbp + 0x11], sil", emit_store(j, RSI, BD(RBP, 0x11), 1));
	ENC("mov byte ptr [rsp + 0x41], dil", emit_store(j, RDI, BD(RSP, 0x41), 1));
	ENC("mov byte ptr [r12], bpl", emit_store(j, RBP, BD(R12, 0), 1));
	ENC("mov byte ptr [rsp + 0x40], r10b", emit_store(j, R10, BD(RSP, 0x40), 1));
	ENC("mov byte ptr [rax + rsi*1 + 0x5], dil",
	    emit_store(j, RDI, BID(RAX, RSI, 1, 5), 1));
	ENC("mov byte ptr [rip + .Ldata + 0x3], sil", emit_store(j, RSI, DATA(3), 1));
	ENC("mov word ptr [r12 + 0x2], r9w", emit_store(j, R9, BD(R12, 2), 2));
	ENC("mov word ptr [rbp - 0x2], si", emit_store(j, RSI, BD(RBP, -2), 2));
	ENC("mov word ptr [r13 + r8*2 + 0x1000], di",
	    emit_store(j, RDI, BID(R13, R8, 2, 0x1000), 2));
	ENC("mov dword ptr [rbp + 0x100], r10d", emit_store(j, R10, BD(RBP, 0x100), 4));
	ENC("mov dword ptr [r13 + rcx*4], eax", emit_store(j, RAX, BID(R13, RCX, 4, 0), 4));
	ENC("mov dword ptr [rsp], esi", emit_store(j, RSI, BD(RSP, 0), 4));
	ENC("mov qword ptr [rsp + 0x30], rdi", emit_store(j, RDI, BD(RSP, 0x30), 8));
	ENC("mov qword ptr [rsp + 0x38], r9", emit_store(j, R9, BD(RSP, 0x38), 8));
	ENC("mov qword ptr [rbp], rax", emit_store(j, RAX, BD(RBP, 0), 8));
	ENC("mov qword ptr [r13 + 0x8], r11", emit_store(j, R11, BD(R13, 8), 8));
	ENC("mov qword ptr [r12 + r11*8 - 0x200], r15",
	    emit_store(j, R15, BID(R12, R11, 8, -0x200), 8));
	ENC("mov qword ptr [rip + .Ldata + 0x20], r11",
	    emit_store(j, R11, DATA(0x20), 8));

	ENC("mov byte ptr [rbp + 0x10], 0x7f", emit_store_imm(j, BD(RBP, 0x10), 1, 0x7f));
	ENC("mov byte ptr [rip + .Ldata + 0x5], -1",
	    emit_store_imm(j, DATA(5), 1, -1));
	ENC("mov word ptr [rsp + 0x2], 0x1234",
	    emit_store_imm(j, BD(RSP, 2), 2, 0x1234));
	ENC("mov word ptr [rip + .Ldata + 0x6], -2",
	    emit_store_imm(j, DATA(6), 2, -2));
	ENC("mov dword ptr [r13 + 0x40], 0x12345678",
	    emit_store_imm(j, BD(R13, 0x40), 4, 0x12345678));
	ENC("mov dword ptr [rip + .Ldata + 0x8], 0x1",
	    emit_store_imm(j, DATA(8), 4, 1));
	ENC("mov qword ptr [r12 + r9*8 + 0x8], -1",
	    emit_store_imm(j, BID(R12, R9, 8, 8), 8, -1));
	ENC("mov qword ptr [rip + .Ldata + 0x10], 0x7fffffff",
	    emit_store_imm(j, DATA(0x10), 8, 0x7fffffff));
	ENC("mov qword ptr [rbp - 0x8], -0x80000000",
	    emit_store_imm(j, BD(RBP, -8), 8, S32_MIN));

	ENC("lea rdx, [rbp + 0x40]", emit_lea(j, RDX, BD(RBP, 0x40)));
	ENC("lea r10, [rip + .Ldata + 0x400]", emit_lea(j, R10, DATA(0x400)));
	ENC("lea rax, [r12 + r13*8 + 0x12345678]",
	    emit_lea(j, RAX, BID(R12, R13, 8, 0x12345678)));
	ENC("lea rdi, [rsp]", emit_lea(j, RDI, BD(RSP, 0)));
	ENC("lea rsi, [r13]", emit_lea(j, RSI, BD(R13, 0)));
	ENC("lea r11, [rbx + r14*2 - 0x7f]", emit_lea(j, R11, BID(RBX, R14, 2, -0x7f)));
}

/* ---- scalar: arithmetic ---- */

/* The opcodes jit_x86_scalar.c and jit_x86_ml.c keep in local tables. */
static const struct x86_op op_imul_rr = { .nop = 2, .op = { 0x0f, 0xaf }, .w = true };
static const struct x86_op op_imul_ri = { .nop = 1, .op = { 0x69 }, .w = true };
static const struct x86_op op_imul32_ri = { .nop = 1, .op = { 0x69 } };
static const struct x86_op op_imul32_ri8 = { .nop = 1, .op = { 0x6b } };
static const struct x86_op op_shcl = { .nop = 1, .op = { 0xd3 }, .w = true };
static const struct x86_op op_shi = { .nop = 1, .op = { 0xc1 }, .w = true };
static const struct x86_op op_shl32 = { .nop = 1, .op = { 0xc1 } };
static const struct x86_op op_f7 = { .nop = 1, .op = { 0xf7 }, .w = true };
static const struct x86_op op_movzx8 = { .nop = 2, .op = { 0x0f, 0xb6 } };
static const struct x86_op op_movzx8_b = { .nop = 2, .op = { 0x0f, 0xb6 }, .byte_regs = true };
static const struct x86_op op_movzx16 = { .nop = 2, .op = { 0x0f, 0xb7 } };
static const struct x86_op op_mov8_b = { .nop = 1, .op = { 0x88 }, .byte_regs = true };
static const struct x86_op op_mov32 = { .nop = 1, .op = { 0x89 } };
static const struct x86_op op_add32 = { .nop = 1, .op = { 0x01 } };
static const struct x86_op op_or32 = { .nop = 1, .op = { 0x09 } };
static const struct x86_op op_movsxd = { .nop = 1, .op = { 0x63 }, .w = true };
static const struct x86_op op_add32_mi = { .nop = 1, .op = { 0x81 } };
static const struct x86_op op_bsf32 = { .nop = 2, .op = { 0x0f, 0xbc } };

static void cat_alu(void)
{
	ENC("add rax, r11", emit_alu_rr(j, X86_ADD, RAX, R11));
	ENC("sub r15, rdi", emit_alu_rr(j, X86_SUB, R15, RDI));
	ENC("and rsi, r8", emit_alu_rr(j, X86_AND, RSI, R8));
	ENC("or rbx, r12", emit_alu_rr(j, X86_OR, RBX, R12));
	ENC("xor rdx, rdx", emit_alu_rr(j, X86_XOR, RDX, RDX));
	ENC("xor r13, r14", emit_alu_rr(j, X86_XOR, R13, R14));
	ENC("cmp r10, rcx", emit_alu_rr(j, X86_CMP, R10, RCX));
	ENC("test r11, r11", emit_alu_rr(j, X86_TEST, R11, R11));
	ENC("test rax, rbp", emit_alu_rr(j, X86_TEST, RAX, RBP));

	ENC("sub rsp, 0x88", emit_alu_ri(j, X86_D_SUB, RSP, JIT_FRAME));
	ENC("add rsp, 0x88", emit_alu_ri(j, X86_D_ADD, RSP, JIT_FRAME));
	ENC("sub rsp, 0x80", emit_alu_ri(j, X86_D_SUB, RSP, JIT_FRAME - 8));
	ENC("add rax, 0x1", emit_alu_ri(j, X86_D_ADD, RAX, 1));
	ENC("sub r11, -0x80", emit_alu_ri(j, X86_D_SUB, R11, -128));
	ENC("and rdi, 0x7f", emit_alu_ri(j, X86_D_AND, RDI, 127));
	ENC("or r14, 0x80", emit_alu_ri(j, X86_D_OR, R14, 128));
	ENC("xor r11, 0x5a5a5a5a", emit_alu_ri(j, X86_D_XOR, R11, 0x5a5a5a5a));
	ENC("xor r11, -0x1", emit_alu_ri(j, X86_D_XOR, R11, -1));
	ENC("cmp r9, -0x81", emit_alu_ri(j, X86_D_CMP, R9, -129));
	ENC("cmp rax, 0x7fffffff", emit_alu_ri(j, X86_D_CMP, RAX, 0x7fffffff));
	ENC("and r8, -0x80000000", emit_alu_ri(j, X86_D_AND, R8, S32_MIN));

	ENC("imul rax, r11", emit_rr(j, &op_imul_rr, RAX, R11));
	ENC("imul r12, rsi", emit_rr(j, &op_imul_rr, R12, RSI));
	ENC("imul r10, r10, 0x12345",
	    emit_rr(j, &op_imul_ri, R10, R10), emit32(j, 0x12345));
	ENC("imul rdi, rdi, -0x2", emit_rr(j, &op_imul_ri, RDI, RDI), emit32(j, -2));
	ENC("imul r11d, r11d, 0x7f", emit_rr(j, &op_imul32_ri8, R11, R11), emit1(j, 0x7f));
	ENC("imul r11d, r11d, -0x1234",
	    emit_rr(j, &op_imul32_ri, R11, R11), emit32(j, -0x1234));

	ENC("shl rax, cl", emit_rr(j, &op_shcl, 4, RAX));
	ENC("shr r12, cl", emit_rr(j, &op_shcl, 5, R12));
	ENC("sar r10, cl", emit_rr(j, &op_shcl, 7, R10));
	ENC("shl rdi, 0x3", emit_rr(j, &op_shi, 4, RDI), emit1(j, 3));
	ENC("shr r15, 0x3f", emit_rr(j, &op_shi, 5, R15), emit1(j, 63));
	ENC("sar r10, 0x10", emit_rr(j, &op_shi, 7, R10), emit1(j, 16));
	ENC("shl r10d, 0x8", emit_rr(j, &op_shl32, 4, R10), emit1(j, 8));

	ENC("div r11", emit_rr(j, &op_f7, 6, R11));
	ENC("div rcx", emit_rr(j, &op_f7, 6, RCX));
	ENC("neg rbx", emit_rr(j, &op_f7, 3, RBX));
	ENC("neg r13", emit_rr(j, &op_f7, 3, R13));
	ENC("test rsi, 0x10000", emit_rr(j, &op_f7, 0, RSI), emit32(j, 0x10000));
	ENC("test r9, -0x1", emit_rr(j, &op_f7, 0, R9), emit32(j, -1));

	ENC("movzx eax, al", emit_rr(j, &op_movzx8, RAX, RAX));
	ENC("movzx eax, sil", emit_rr(j, &op_movzx8_b, RAX, RSI));
	ENC("movzx r10d, r10w", emit_rr(j, &op_movzx16, R10, R10));
	ENC("mov sil, al", emit_rr(j, &op_mov8_b, RAX, RSI));
	ENC("mov r10d, edx", emit_rr(j, &op_mov32, RDX, R10));
	ENC("add r11d, r10d", emit_rr(j, &op_add32, R10, R11));
	ENC("or r11d, r10d", emit_rr(j, &op_or32, R10, R11));
	ENC("movsxd r10, eax", emit_rr(j, &op_movsxd, R10, RAX));
	ENC("bsf eax, r11d", emit_rr(j, &op_bsf32, RAX, R11));
	ENC("bsf r8d, r11d", emit_rr(j, &op_bsf32, R8, R11));
	ENC("bsf r14d, ecx", emit_rr(j, &op_bsf32, R14, RCX));
	ENC("add dword ptr [rbp + 0x40], 0x12345",
	    emit_rm(j, &op_add32_mi, X86_D_ADD, BD(RBP, 0x40), 4), emit32(j, 0x12345));
	ENC("add dword ptr [rip + .Ldata + 0x10], 0x7",
	    emit_rm(j, &op_add32_mi, X86_D_ADD, DATA(0x10), 4), emit32(j, 7));
	/* jit_x86_ml.c writes this one as bytes */
	ENC("cmp dword ptr [rbp + 0x44], 0x1234",
	    emit2(j, 0x81, 0xbd), emit32(j, 0x44), emit32(j, 0x1234));

	ENC("cmovl rax, r11", emit_cmov(j, CC_L, RAX, R11));
	ENC("cmovg r10, rcx", emit_cmov(j, CC_G, R10, RCX));
	ENC("cmove r15, r8", emit_cmov(j, CC_E, R15, R8));
	ENC("cmovne rdi, rsi", emit_cmov(j, CC_NE, RDI, RSI));
	ENC("cmovb rbx, r12", emit_cmov(j, CC_B, RBX, R12));
	ENC("cmovae r9, rax", emit_cmov(j, CC_AE, R9, RAX));
	ENC("cmovbe rdx, r13", emit_cmov(j, CC_BE, RDX, R13));
	ENC("cmova r14, r14", emit_cmov(j, CC_A, R14, R14));
	ENC("cmovs rcx, rbp", emit_cmov(j, CC_S, RCX, RBP));
	ENC("cmovge r11, r10", emit_cmov(j, CC_GE, R11, R10));
	ENC("cmovle rax, r15", emit_cmov(j, CC_LE, RAX, R15));
}

/* ---- scalar: stack, calls, jumps ---- */

static void enc_jump(const char *mnem, int cc, s32 rel)
{
	char text[64];

	snprintf(text, sizeof(text), "%s . %c %d", mnem, rel < 0 ? '-' : '+',
		 rel < 0 ? -rel : rel);
	enc_begin(text);
	if (cc < 0)
		emit_jmp_to(j, jit.len + rel);
	else
		emit_jcc_to(j, cc, jit.len + rel);
	enc_end();
}

static void cat_flow(void)
{
	static const u8 regs[] = { RBX, RBP, R8, R9, R10, R11, R12, R13, R14, R15 };
	static const char *const names[] = {
		"rbx", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const struct { const char *mnem; int cc; } jcc[] = {
		{ "jb", CC_B }, { "jae", CC_AE }, { "je", CC_E }, { "jne", CC_NE },
		{ "jbe", CC_BE }, { "ja", CC_A }, { "js", CC_S }, { "jl", CC_L },
		{ "jge", CC_GE }, { "jle", CC_LE }, { "jg", CC_G },
	};
	char text[32];
	u32 k;

	for (k = 0; k < ARRAY_SIZE(regs); k++) {
		snprintf(text, sizeof(text), "push %s", names[k]);
		ENC(text, emit_push(j, regs[k]));
		snprintf(text, sizeof(text), "pop %s", names[k]);
		ENC(text, emit_pop(j, regs[k]));
	}
	ENC("endbr64", emit_endbr64(j));
	ENC("movabs r11, 0x123456789a; call r11",
	    emit_call_abs(j, (const void *)0x123456789aUL));
	/* bytes in jit_x86.c: rep stosb, ret, int3 */
	ENC("rep stosb byte ptr [rdi], al", emit2(j, 0xf3, 0xaa));
	ENC("ret", emit1(j, 0xc3));
	ENC("int3", emit1(j, 0xcc));

	/* rel8 reaches -128..127 from the end of the 2-byte form */
	enc_jump("jmp", -1, 2);
	enc_jump("jmp", -1, 129);
	enc_jump("jmp", -1, 130);
	enc_jump("jmp", -1, -126);
	enc_jump("jmp", -1, -127);
	enc_jump("jmp", -1, 0);
	enc_jump("jmp", -1, 0x12345);
	enc_jump("jmp", -1, -0x400);
	for (k = 0; k < ARRAY_SIZE(jcc); k++) {
		enc_jump(jcc[k].mnem, jcc[k].cc, 129);
		enc_jump(jcc[k].mnem, jcc[k].cc, 130);
	}
	enc_jump("jne", CC_NE, -126);
	enc_jump("jne", CC_NE, -127);
	enc_jump("jle", CC_LE, 0x10000);
	enc_jump("jg", CC_G, -0x1234);
}

/* ---- running as and objdump ---- */

static char dir[] = "/tmp/rmt-jit-encode.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char path[4][sizeof(dir) + 32];
	static int n;
	char *p = path[n++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return !system(cmd);
}

static bool write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(buf, 1, len, f) == len;
	return !fclose(f) && ok;
}

static bool write_source(const char *path)
{
	FILE *f = fopen(path, "w");
	u32 k;

	if (!f)
		return false;
	fprintf(f, "\t.intel_syntax noprefix\n\t.text\n.Lbase:\n");
	fprintf(f, "\t.set .Ldata, .Lbase + %#x\n", DATA_BASE);
	for (k = 0; k < ncat; k++)
		fprintf(f, "\t.org %#x, 0xcc\n\t%s\n", cat[k].start, cat[k].text);
	fprintf(f, "\t.org %#x, 0xcc\n", ncat * SLOT);
	return !fclose(f);
}

static const char *const tmp_files[] = {
	"want.s", "want.o", "want.bin", "ours.bin", "log",
};

static void cleanup(void)
{
	u32 k;

	for (k = 0; k < ARRAY_SIZE(tmp_files); k++)
		unlink(tmp_path(tmp_files[k]));
	rmdir(dir);
}

/* Run @cmd; on failure, show its output and give up. */
static void run(const char *cmd)
{
	char line[512];
	FILE *f;

	if (!system(cmd))
		return;
	printf("Bail out! failed: %s\n", cmd);
	f = fopen(tmp_path("log"), "r");
	while (f && fgets(line, sizeof(line), f))
		printf("# %s", line);
	if (f)
		fclose(f);
	cleanup();
	exit(1);
}

/* One instruction as objdump shows it. */
struct dis {
	u32 len;
	char text[120];
};

/* A disassembled stream: @at[offset] is the instruction there, or NULL. */
struct listing {
	struct dis *insns;
	struct dis **at;
	u32 n;
	u32 size;
};

static const struct dis *dis_at(const struct listing *l, u32 addr)
{
	return addr < l->size ? l->at[addr] : NULL;
}

static void disassemble(const char *bin, struct listing *l, u32 size)
{
	char cmd[512], line[512];
	struct dis *last = NULL;
	FILE *f;

	l->insns = calloc(size, sizeof(*l->insns));
	l->at = calloc(size, sizeof(*l->at));
	l->n = 0;
	l->size = size;
	if (!l->insns || !l->at) {
		printf("Bail out! out of memory\n");
		cleanup();
		exit(1);
	}
	snprintf(cmd, sizeof(cmd),
		 "objdump -D -z -b binary -mi386:x86-64 -M intel --insn-width=16 '%s'",
		 bin);
	f = popen(cmd, "r");
	if (!f) {
		printf("Bail out! popen: %s\n", strerror(errno));
		cleanup();
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end, *text;
		unsigned long addr = strtoul(p, &end, 16);
		u32 nbytes = 0;

		/* "   1c:\t62 e2 7d 48 58 75 10 \tvpbroadcastd ..." */
		if (end == p || *end != ':' || end[1] != '\t' || addr >= size)
			continue;
		p = end + 2;
		text = strchr(p, '\t');
		if (text)
			*text++ = 0;
		for (; *p; p++)
			if (isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) &&
			    (p[2] == ' ' || !p[2] || p[2] == '\n')) {
				nbytes++;
				p += 1;
			}
		if (!text) {		/* bytes continued on a second line */
			if (last)
				last->len += nbytes;
			continue;
		}
		last = &l->insns[l->n++];
		last->len = nbytes;
		text[strcspn(text, "\n")] = 0;
		snprintf(last->text, sizeof(last->text), "%s", text);
		l->at[addr] = last;
	}
	if (pclose(f)) {
		printf("Bail out! failed: %s\n", cmd);
		cleanup();
		exit(1);
	}
}

/*
 * Comparable text: lower case, single spaces, no "<sym>" annotations;
 * "[rip+disp]  # target" becomes "[rip=target]".
 */
static void normalize(const char *in, char *out, size_t size)
{
	char tmp[160], *c, *rip, *close;
	unsigned long long target = 0;
	bool has_target = false;
	size_t n = 0;

	snprintf(tmp, sizeof(tmp), "%s", in);
	for (c = tmp; *c; c++)
		*c = tolower((unsigned char)*c);
	c = strchr(tmp, '#');
	if (c) {
		has_target = sscanf(c, "# %llx", &target) == 1;
		*c = 0;
	}
	c = strchr(tmp, '<');
	if (c)
		*c = 0;
	c = strstr(tmp, "{evex}");	/* EVEX where VEX would do */
	if (c)
		memmove(c, c + 6, strlen(c + 6) + 1);
	rip = strstr(tmp, "[rip");
	close = rip ? strchr(rip, ']') : NULL;
	if (has_target && close) {
		char rest[160];

		snprintf(rest, sizeof(rest), "%s", close);
		snprintf(rip, sizeof(tmp) - (rip - tmp), "[rip=%#llx%s", target, rest);
	}
	for (c = tmp; *c && n + 1 < size; c++) {
		if (isspace((unsigned char)*c)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *c;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = 0;
}

static void show(const char *who, const struct listing *l, const u8 *bytes,
		 u32 start, u32 len, u32 ninsn)
{
	u32 a = start, k, b;

	for (k = 0; k < ninsn || a < start + len; k++) {
		const struct dis *d = dis_at(l, a);
		char hex[64] = "";

		if (!d || !d->len) {
			ktap_diag("%-9s +%u: no instruction starts here", who, a - start);
			return;
		}
		for (b = 0; b < d->len && 3 * b + 3 < sizeof(hex); b++)
			snprintf(hex + 3 * b, 4, "%02x ", bytes[a + b]);
		ktap_diag("%-9s %-33s %s", who, hex, d->text);
		a += d->len;
		who = "";
	}
}

/* Same instructions as as's, in exactly the bytes we emitted? */
static bool check_entry(const struct entry *e, const struct listing *ours,
			const struct listing *want, const u8 *as_bytes,
			u32 *differ)
{
	u32 a = e->start, b = e->start, end = e->start + e->len, k;
	char why[160] = "", x[160], y[160];
	bool same_len = true;

	if (!e->len || e->len >= SLOT)
		snprintf(why, sizeof(why), "emitted %u bytes", e->len);
	for (k = 0; !*why && k < e->ninsn; k++) {
		const struct dis *o = a < end ? dis_at(ours, a) : NULL;
		const struct dis *w = dis_at(want, b);

		if (!w) {
			snprintf(why, sizeof(why), "as's bytes do not decode at +%u",
				 b - e->start);
			break;
		}
		if (!o) {
			if (a < end)
				snprintf(why, sizeof(why),
					 "no instruction starts at +%u of our bytes",
					 a - e->start);
			else
				snprintf(why, sizeof(why),
					 "our bytes hold fewer than %u instructions",
					 e->ninsn);
			break;
		}
		normalize(o->text, x, sizeof(x));
		normalize(w->text, y, sizeof(y));
		if (strcmp(x, y))
			snprintf(why, sizeof(why), "instruction %u differs", k + 1);
		same_len &= o->len == w->len;
		a += o->len;
		b += w->len;
	}
	if (!*why && a != end)
		snprintf(why, sizeof(why),
			 "our %u bytes decode as %u bytes of instructions", e->len,
			 a - e->start);
	if (ktap_check(!*why, "encode: %s", e->text)) {
		*differ += !same_len;
		return true;
	}
	ktap_diag("%s", why);
	show("ours:", ours, code, e->start, e->len, e->ninsn);
	show("expected:", want, as_bytes, e->start, 0, e->ninsn);
	return false;
}

static u8 *slurp(const char *path, u32 size)
{
	u8 *buf = malloc(size);
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = buf ? fread(buf, 1, size, f) : 0;
		fclose(f);
	}
	if (!buf || n != size) {
		printf("Bail out! %s: expected %u bytes, read %zu\n", path, size, n);
		cleanup();
		exit(1);
	}
	return buf;
}

int main(void)
{
	static const char *const tools[] = { "as", "objcopy", "objdump" };
	struct listing ours, want;
	char cmd[1024];
	u32 k, size, differ = 0;
	u8 *as_bytes;

	ktap_begin();
	memset(code, 0xcc, sizeof(code));
	rmt_jit_buf_init(&jit, code, sizeof(code));
	jit.code_len = DATA_BASE - 40;	/* the data area rounds up to 64 */
	cat_amx();
	cat_evex_bcast_dot();
	cat_evex_move();
	cat_evex_requant();
	cat_vex();
	cat_mov();
	cat_load();
	cat_store();
	cat_alu();
	cat_flow();
	if (jit.err) {
		printf("Bail out! emitting the catalogue: %s\n", jit.why);
		return 1;
	}
	size = ncat * SLOT;

	for (k = 0; k < ARRAY_SIZE(tools) && have(tools[k]); k++)
		;
	if (k < ARRAY_SIZE(tools)) {
		for (k = 0; k < ncat; k++)
			ktap_check(1, "encode: %s # SKIP binutils (as, objcopy, objdump) not installed",
				   cat[k].text);
		check_simd_coverage(SIMD_SRC);
		return ktap_end() ? 1 : KSFT_SKIP;
	}

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (!write_source(tmp_path("want.s")) ||
	    !write_file(tmp_path("ours.bin"), code, size)) {
		printf("Bail out! writing to %s: %s\n", dir, strerror(errno));
		cleanup();
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "as -o '%s' '%s' >'%s' 2>&1", tmp_path("want.o"),
		 tmp_path("want.s"), tmp_path("log"));
	run(cmd);
	snprintf(cmd, sizeof(cmd), "objcopy -O binary -j .text '%s' '%s' >'%s' 2>&1",
		 tmp_path("want.o"), tmp_path("want.bin"), tmp_path("log"));
	run(cmd);
	as_bytes = slurp(tmp_path("want.bin"), size);

	disassemble(tmp_path("ours.bin"), &ours, size);
	disassemble(tmp_path("want.bin"), &want, size);
	for (k = 0; k < ncat; k++)
		check_entry(&cat[k], &ours, &want, as_bytes, &differ);
	check_simd_coverage(SIMD_SRC);
	ktap_diag("%u of %u entries pass with an encoding other than as's "
		  "(disp32 for disp8, 3-byte VEX, EVEX for VEX, ...)", differ, ncat);

	cleanup();
	free(as_bytes);
	free(ours.insns);
	free(ours.at);
	free(want.insns);
	free(want.at);
	return ktap_end();
}
