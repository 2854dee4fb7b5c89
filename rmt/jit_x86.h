/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86-64 JIT's internals: the code buffer, the register map and the
 * instruction emitters shared by jit_x86*.c.
 *
 * Register map.  RMT r0-r5 live in caller-saved registers in the order
 * the C calling convention passes arguments (r0 = rax, r1-r5 = rdi, rsi,
 * rdx, rcx, r8), so a helper CALL needs no shuffling; r6-r10 live in the
 * five callee-saved registers rbx and r12-r15, which survive calls into
 * the core.  rbp holds the scratch base, r9 the context base (reloaded
 * after calls), r10 and r11 are temporaries.
 *
 * Frame (rsp-relative, after pushing rbp and the callee-saved registers
 * the program uses; 128 or 136 bytes so that rsp stays 16-byte aligned):
 *   0..47   save area: r0-r5 around calls into the core; r1-r5 are the
 *           argument array of CALL
 *   48      struct rmt_run_ctx *
 *   56      context base
 *   64..127 staging for AMX tiles
 */
#ifndef _RMT_JIT_X86_H
#define _RMT_JIT_X86_H

#include "core.h"

enum x86_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

#define JIT_CTX		R9	/* context fields */
#define JIT_SCRATCH	RBP	/* scratch bytes */
#define JIT_T0		R10
#define JIT_T1		R11

#define JIT_FRAME		136	/* with an even number of pushes */
#define JIT_FRAME_SAVE(n)	(8 * (n))	/* n = RMT register 0-5 */
#define JIT_FRAME_RC		48
#define JIT_FRAME_CTX		56
#define JIT_FRAME_STAGE		64
#define JIT_STAGE_SIZE		64

/* RMT register to x86 register; -1 for "no register". */
extern const s8 rmt_jit_reg[16];

/**
 * struct rmt_jit - one code generation: a pass over the program
 * @prog: the program
 * @tier: enum rmt_jit_tier the ML opcodes are lowered for
 * @flags: RMT_JIT_F_*
 * @buf: where this pass writes, or NULL to only measure
 * @len: bytes emitted so far
 * @cap: size of @buf
 * @addrs: offset of each instruction's code, [len] the epilogue; from
 *	the previous pass while emitting, updated as this pass goes
 * @code_len: code size of the previous pass; data follows it
 * @data: constants and packed weights (rebuilt on every pass)
 * @data_len: bytes used in @data
 * @data_cap: size of @data
 * @blind: key for constant blinding (if RMT_JIT_F_BLIND)
 * @skip: per instruction, JIT_SKIP if fused into an earlier one (not
 *	emitted), JIT_TARGET if some jump lands on it
 * @leaf: the code calls nothing, so the frame is only the saved run
 *	context pointer, at [rsp]
 * @rc_rdi: a leaf that leaves rdi (RMT r1) alone keeps the run context
 *	pointer there instead
 * @ctr: in copy c of an unrolled loop body, the counter reads as
 *	counter + c (jit_x86_scalar.c)
 * @vr: a scratch vector the previous instruction left in registers
 * @err: first failure; the JIT gives up and the interpreter runs
 * @why: human-readable reason for @err
 */
struct rmt_jit {
	const struct rmt_prog *prog;
	u32 tier;
	u32 flags;
	u8 *buf;
	u32 len;
	u32 cap;
	u32 *addrs;
	u32 code_len;
	u8 *data;
	u32 data_len;
	u32 data_cap;
	u32 blind;
	u8 *skip;
	bool leaf;
	bool rc_rdi;
	struct {
		u32 reg;	/* RMT register of an unrolled loop's counter */
		u32 off;	/* what this copy of the body adds to it */
	} ctr;
	struct jit_vregs {
		u32 insn;	/* the instruction that may use them */
		u8 kind;	/* JIT_VR_* */
		s32 off;	/* scratch offset they mirror */
		u32 dtype;
		u32 n;		/* elements */
		u32 per;	/* elements per register */
		u64 bound;	/* ACC: no |element| exceeds it */
		u8 reg[16];	/* zmm per row block or per chunk */
	} vr;
	int err;
	const char *why;
};

#define JIT_SKIP	0x1
#define JIT_TARGET	0x2

#define JIT_VR_NONE	0
#define JIT_VR_ACC	1	/* int32 accumulators, 16 rows per zmm */
#define JIT_VR_CHUNKS	2	/* narrowed vector, 8 elements per register */

/**
 * struct rmt_jit_image - machine code for one program
 * @image: start of the sealed (read-only, executable) allocation
 * @size: bytes allocated
 * @code_len: bytes of code; data follows, 64-byte aligned
 * @addrs: code offset of each instruction, [len] the epilogue
 * @tier: enum rmt_jit_tier
 * @entry: the function
 */
struct rmt_jit_image {
	u8 *image;
	u32 size;
	u32 code_len;
	u32 *addrs;
	u32 tier;
	int (*entry)(struct rmt_run_ctx *rc);
};

/* AVX2 and AVX-512 lower ML opcodes to vectors and run inside the FPU. */
static inline bool jit_tier_simd(u32 tier)
{
	return tier == RMT_JIT_AVX2 || tier == RMT_JIT_AVX512;
}

static inline bool jit_fail(struct rmt_jit *j, const char *why)
{
	if (!j->err) {
		j->err = -EINVAL;
		j->why = why;
	}
	return false;
}

/* ---- bytes ---- */

static inline void emit1(struct rmt_jit *j, u8 b)
{
	if (j->buf) {
		if (j->len >= j->cap) {
			jit_fail(j, "image size changed in the final pass");
			return;
		}
		j->buf[j->len] = b;
	}
	j->len++;
}

static inline void emit2(struct rmt_jit *j, u8 a, u8 b)
{
	emit1(j, a);
	emit1(j, b);
}

static inline void emit3(struct rmt_jit *j, u8 a, u8 b, u8 c)
{
	emit1(j, a);
	emit1(j, b);
	emit1(j, c);
}

static inline void emit32(struct rmt_jit *j, u32 v)
{
	emit1(j, v);
	emit1(j, v >> 8);
	emit1(j, v >> 16);
	emit1(j, v >> 24);
}

static inline void emit64(struct rmt_jit *j, u64 v)
{
	emit32(j, (u32)v);
	emit32(j, (u32)(v >> 32));
}

static inline bool is_imm8(s64 v)
{
	return v >= -128 && v <= 127;
}

static inline bool is_simm32(s64 v)
{
	return v >= S32_MIN && v <= S32_MAX;
}

/*
 * A memory operand: [base + index * scale + disp], or [rip + disp] to
 * the data area when @rip (disp is then an offset into the data).
 * base < 0 means "no base" (only with an index, or for absolute disp32).
 */
struct x86_mem {
	s8 base;
	s8 index;
	u8 scale;
	bool rip;
	s32 disp;
};

static inline struct x86_mem mem_bd(int base, s32 disp)
{
	return (struct x86_mem){ .base = base, .index = -1, .disp = disp };
}

static inline struct x86_mem mem_bid(int base, int index, int scale, s32 disp)
{
	return (struct x86_mem){ .base = base, .index = index,
				 .scale = scale, .disp = disp };
}

static inline struct x86_mem mem_data(u32 data_off)
{
	return (struct x86_mem){ .base = -1, .index = -1, .rip = true,
				 .disp = data_off };
}

/* ---- encoders (jit_x86_emit.c) ---- */

/* Legacy/REX instructions.  @op is up to three opcode bytes, high first
 * in an u32 with the count in @nop; @pfx a mandatory prefix (0x66, 0xf2,
 * 0xf3) or 0; @w REX.W; @byte_regs forces a REX so that sil/dil work. */
struct x86_op {
	u8 pfx;
	u8 nop;
	u8 op[3];
	bool w;
	bool byte_regs;
};

void emit_rr(struct rmt_jit *j, const struct x86_op *op, int reg, int rm);
void emit_rm(struct rmt_jit *j, const struct x86_op *op, int reg,
	     const struct x86_mem *m, u32 trailing);

/* VEX (map: 1 = 0F, 2 = 0F38, 3 = 0F3A; pp: 0, 1 = 66, 2 = F3, 3 = F2). */
struct vex_op {
	u8 map;
	u8 pp;
	bool w;
	u8 l;		/* 0: 128, 1: 256 */
	u8 op;
};

void emit_vex_rr(struct rmt_jit *j, const struct vex_op *op, int reg,
		 int vvvv, int rm);
void emit_vex_rm(struct rmt_jit *j, const struct vex_op *op, int reg,
		 int vvvv, const struct x86_mem *m, u32 trailing);

/* EVEX: l 0/1/2 = 128/256/512; aaa opmask; z zeroing; bcst embedded
 * broadcast of the memory operand. */
struct evex_op {
	u8 map;
	u8 pp;
	bool w;
	u8 l;
	u8 op;
};

void emit_evex_rr(struct rmt_jit *j, const struct evex_op *op, int reg,
		  int vvvv, int rm, int aaa, bool z);
void emit_evex_rm(struct rmt_jit *j, const struct evex_op *op, int reg,
		  int vvvv, const struct x86_mem *m, int aaa, bool z,
		  bool bcst, u32 trailing);

/* ---- common scalar instructions (jit_x86_emit.c) ---- */

void emit_mov_rr(struct rmt_jit *j, int dst, int src);
void emit_mov_imm(struct rmt_jit *j, int dst, s64 imm);
void emit_load(struct rmt_jit *j, int dst, const struct x86_mem *m, u32 size,
	       bool sign);
void emit_store(struct rmt_jit *j, int src, const struct x86_mem *m, u32 size);
void emit_store_imm(struct rmt_jit *j, const struct x86_mem *m, u32 size,
		    s32 imm);
void emit_alu_rr(struct rmt_jit *j, u8 op, int dst, int src);
void emit_alu_ri(struct rmt_jit *j, u8 digit, int dst, s32 imm);
void emit_lea(struct rmt_jit *j, int dst, const struct x86_mem *m);
void emit_push(struct rmt_jit *j, int reg);
void emit_pop(struct rmt_jit *j, int reg);
void emit_call_abs(struct rmt_jit *j, const void *fn);
void emit_endbr64(struct rmt_jit *j);
void emit_ret(struct rmt_jit *j);

/* ALU opcodes (r/m, reg form) and their /digit for the immediate form. */
#define X86_ADD		0x01
#define X86_OR		0x09
#define X86_AND		0x21
#define X86_SUB		0x29
#define X86_XOR		0x31
#define X86_CMP		0x39
#define X86_TEST	0x85

#define X86_D_ADD	0
#define X86_D_OR	1
#define X86_D_AND	4
#define X86_D_SUB	5
#define X86_D_XOR	6
#define X86_D_CMP	7

/* Condition codes (the low nibble of Jcc/SETcc/CMOVcc). */
#define CC_B	0x2
#define CC_AE	0x3
#define CC_E	0x4
#define CC_NE	0x5
#define CC_BE	0x6
#define CC_A	0x7
#define CC_S	0x8
#define CC_L	0xc
#define CC_GE	0xd
#define CC_LE	0xe
#define CC_G	0xf

void emit_jcc_to(struct rmt_jit *j, int cc, u32 target);
void emit_jmp_to(struct rmt_jit *j, u32 target);
void emit_cmov(struct rmt_jit *j, int cc, int dst, int src);

/* ---- the data area ---- */

u32 jit_data_alloc(struct rmt_jit *j, u32 size, u32 align);

static inline void *jit_data_ptr(struct rmt_jit *j, u32 off)
{
	return j->data ? j->data + off : NULL;
}

/* ---- lowering (jit_x86_scalar.c, jit_x86_ml.c, jit_x86_simd.c, jit_x86_amx.c) ---- */

void jit_emit_insn(struct rmt_jit *j, u32 i);
bool jit_is_leaf(const struct rmt_jit *j);
bool jit_rc_in_rdi(const struct rmt_jit *j);
struct x86_mem jit_frame_rc(const struct rmt_jit *j);
void jit_reload_ctx(struct rmt_jit *j);
void jit_save_caller(struct rmt_jit *j);
void jit_restore_caller(struct rmt_jit *j, int except);
void jit_arg_from_reg(struct rmt_jit *j, int arg, u32 rmt_reg);
void jit_emit_ml(struct rmt_jit *j, u32 i);
bool jit_ml_inline(const struct rmt_model *m, const struct rmt_insn *insn);
bool jit_simd_ml(struct rmt_jit *j, u32 i);
bool jit_amx_matmul(struct rmt_jit *j, u32 i);

/* AMX encoders, also used by the encoding test. */
void emit_ldtilecfg(struct rmt_jit *j, const struct x86_mem *m);
void emit_sttilecfg(struct rmt_jit *j, const struct x86_mem *m);
void emit_tileloadd(struct rmt_jit *j, int tmm, const struct x86_mem *m);
void emit_tilestored(struct rmt_jit *j, const struct x86_mem *m, int tmm);
void emit_tilezero(struct rmt_jit *j, int tmm);
void emit_tdpbssd(struct rmt_jit *j, int dst, int a, int b);
void emit_tdpbusd(struct rmt_jit *j, int dst, int a, int b);
void emit_tilerelease(struct rmt_jit *j);

/* For tests: emit into a caller's buffer without a program. */
void rmt_jit_buf_init(struct rmt_jit *j, u8 *buf, u32 cap);

#endif /* _RMT_JIT_X86_H */
