// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lowering of the scalar ISA (ALU, jumps, loops, scratch and context
 * memory, context maps, helper and tail calls) to x86-64.  Every tier
 * uses it; the ML opcodes go to jit_x86_ml.c.
 *
 * The semantics are those of interp.c and alu.h: 64-bit wrapping
 * arithmetic, x / 0 = 0 and x % 0 = x, register shift counts modulo 64,
 * immediates sign-extended.
 */
#include "jit_x86.h"

const s8 rmt_jit_reg[16] = {
	RAX, RDI, RSI, RDX, RCX, R8, RBX, R12, R13, R14, R15,
	-1, -1, -1, -1, -1,
};

static int xdst(const struct rmt_insn *insn)
{
	return rmt_jit_reg[RMT_INSN_DST(insn)];
}

static int xsrc(const struct rmt_insn *insn)
{
	return rmt_jit_reg[RMT_INSN_SRC(insn)];
}

/* ---- the frame ---- */

struct x86_mem jit_frame_rc(const struct rmt_jit *j)
{
	return mem_bd(RSP, j->leaf ? 0 : JIT_FRAME_RC);
}

/* r9 = the context base again, after r9 served as a temporary. */
void jit_reload_ctx(struct rmt_jit *j)
{
	struct x86_mem ctx = mem_bd(RSP, JIT_FRAME_CTX);
	struct x86_mem rc = mem_bd(RSP, 0);
	struct x86_mem cp = mem_bd(JIT_CTX, offsetof(struct rmt_run_ctx, ctx));

	if (!j->leaf) {
		emit_load(j, JIT_CTX, &ctx, 8, false);
		return;
	}
	if (j->rc_rdi) {
		cp.base = RDI;
	} else {
		emit_load(j, JIT_CTX, &rc, 8, false);
	}
	emit_load(j, JIT_CTX, &cp, 8, false);
}

/* ---- calls into the core ---- */

static const u8 caller_saved[6] = { RAX, RDI, RSI, RDX, RCX, R8 };

void jit_save_caller(struct rmt_jit *j)
{
	int n;

	for (n = 0; n < 6; n++) {
		struct x86_mem m = mem_bd(RSP, JIT_FRAME_SAVE(n));

		emit_store(j, caller_saved[n], &m, 8);
	}
}

/* Reload r0-r5 and the context base; @except keeps its new value. */
void jit_restore_caller(struct rmt_jit *j, int except)
{
	struct x86_mem ctx = mem_bd(RSP, JIT_FRAME_CTX);
	int n;

	for (n = 0; n < 6; n++) {
		struct x86_mem m = mem_bd(RSP, JIT_FRAME_SAVE(n));

		if (caller_saved[n] != except)
			emit_load(j, caller_saved[n], &m, 8, false);
	}
	emit_load(j, JIT_CTX, &ctx, 8, false);
}

/* An argument from an RMT register, read after jit_save_caller(). */
void jit_arg_from_reg(struct rmt_jit *j, int arg, u32 rmt_reg)
{
	int x = rmt_jit_reg[rmt_reg & 15];

	if (x < 0) {
		emit_mov_imm(j, arg, 0);
	} else if (rmt_reg <= 5) {
		struct x86_mem m = mem_bd(RSP, JIT_FRAME_SAVE(rmt_reg));

		emit_load(j, arg, &m, 8, false);
	} else {
		emit_mov_rr(j, arg, x);
	}
}

static void emit_map_arg(struct rmt_jit *j, int arg, u32 slot)
{
	struct x86_mem m = mem_bd(arg, 0);

	/* The map pointer is read at run time, as the interpreter does. */
	emit_mov_imm(j, arg, (s64)(unsigned long)&j->prog->env->maps[slot]);
	emit_load(j, arg, &m, 8, false);
}

/* ---- immediates, blinded on request ---- */

static bool blinding(const struct rmt_jit *j)
{
	return j->flags & RMT_JIT_F_BLIND;
}

/* r11 = imm (sign-extended), without the constant appearing in the code. */
static void emit_blinded_imm(struct rmt_jit *j, s32 imm)
{
	emit_mov_imm(j, JIT_T1, (s32)(imm ^ j->blind));
	emit_alu_ri(j, X86_D_XOR, JIT_T1, (s32)j->blind);
}

/* ---- ALU ---- */

static void emit_shift(struct rmt_jit *j, u8 digit, int dst, int src)
{
	static const struct x86_op shcl = { .nop = 1, .op = { 0xd3 }, .w = true };
	int d = dst == RCX ? JIT_T0 : dst;

	/* The count must be in cl; rcx is RMT r4, so keep it in r10. */
	emit_mov_rr(j, JIT_T1, src);
	emit_mov_rr(j, JIT_T0, RCX);
	emit_mov_rr(j, RCX, JIT_T1);
	emit_rr(j, &shcl, digit, d);
	emit_mov_rr(j, RCX, JIT_T0);
}

static void emit_shift_imm(struct rmt_jit *j, u8 digit, int dst, s32 imm)
{
	static const struct x86_op shi = { .nop = 1, .op = { 0xc1 }, .w = true };

	if (!(imm & 63))
		return;
	emit_rr(j, &shi, digit, dst);
	emit1(j, imm & 63);
}

/*
 * Unsigned divide or modulo by r11.  rax and rdx are RMT r0 and r3, so
 * they are kept in r10 and r9 (the context base, reloaded after).
 */
static void emit_divmod(struct rmt_jit *j, int dst, bool mod)
{
	static const struct x86_op div = { .nop = 1, .op = { 0xf7 }, .w = true };
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	int a = dst == RAX ? JIT_T0 : dst == RDX ? R9 : dst;
	u32 skip;

	emit_mov_rr(j, JIT_T0, RAX);
	emit_mov_rr(j, R9, RDX);
	emit_mov_rr(j, RAX, a);
	emit_alu_rr(j, X86_TEST, JIT_T1, JIT_T1);
	/* divisor 0: x / 0 = 0 (rdx stays 0 for it), x % 0 = x */
	skip = 2 + 3;				/* xor edx; div r11 */
	emit2(j, 0x75, (u8)(mod ? 3 + 2 : 2 + 2));	/* jnz: past the zero case */
	if (mod)
		emit_mov_rr(j, RDX, RAX);	/* 3 bytes */
	else
		emit_rr(j, &xor32, RAX, RAX);	/* 2 bytes */
	emit2(j, 0xeb, (u8)skip);		/* jmp past the division */
	emit_rr(j, &xor32, RDX, RDX);
	emit_rr(j, &div, 6, JIT_T1);
	emit_mov_rr(j, JIT_T1, mod ? RDX : RAX);
	emit_mov_rr(j, RAX, JIT_T0);
	emit_mov_rr(j, RDX, R9);
	emit_mov_rr(j, dst, JIT_T1);
	jit_reload_ctx(j);
}

/* dst op= src, both x86 registers; @code is the _R opcode. */
static void emit_alu_reg(struct rmt_jit *j, u8 code, int dst, int src)
{
	static const struct x86_op imul = { .nop = 2, .op = { 0x0f, 0xaf }, .w = true };

	switch (code) {
	case RMT_OP_ADD_R: emit_alu_rr(j, X86_ADD, dst, src); break;
	case RMT_OP_SUB_R: emit_alu_rr(j, X86_SUB, dst, src); break;
	case RMT_OP_AND_R: emit_alu_rr(j, X86_AND, dst, src); break;
	case RMT_OP_OR_R:  emit_alu_rr(j, X86_OR, dst, src); break;
	case RMT_OP_XOR_R: emit_alu_rr(j, X86_XOR, dst, src); break;
	case RMT_OP_MUL_R: emit_rr(j, &imul, dst, src); break;
	case RMT_OP_MOV_R: emit_mov_rr(j, dst, src); break;
	case RMT_OP_LSH_R: emit_shift(j, 4, dst, src); break;
	case RMT_OP_RSH_R: emit_shift(j, 5, dst, src); break;
	case RMT_OP_ARSH_R: emit_shift(j, 7, dst, src); break;
	case RMT_OP_DIV_R:
	case RMT_OP_MOD_R:
		emit_mov_rr(j, JIT_T1, src);
		emit_divmod(j, dst, code == RMT_OP_MOD_R);
		break;
	}
}

static void emit_alu_imm(struct rmt_jit *j, u8 code, int dst, s32 imm)
{
	static const struct x86_op imul = { .nop = 1, .op = { 0x69 }, .w = true };

	switch (code) {
	case RMT_OP_ADD_I: emit_alu_ri(j, X86_D_ADD, dst, imm); break;
	case RMT_OP_SUB_I: emit_alu_ri(j, X86_D_SUB, dst, imm); break;
	case RMT_OP_AND_I: emit_alu_ri(j, X86_D_AND, dst, imm); break;
	case RMT_OP_OR_I:  emit_alu_ri(j, X86_D_OR, dst, imm); break;
	case RMT_OP_XOR_I: emit_alu_ri(j, X86_D_XOR, dst, imm); break;
	case RMT_OP_MOV_I: emit_mov_imm(j, dst, imm); break;
	case RMT_OP_LSH_I: emit_shift_imm(j, 4, dst, imm); break;
	case RMT_OP_RSH_I: emit_shift_imm(j, 5, dst, imm); break;
	case RMT_OP_ARSH_I: emit_shift_imm(j, 7, dst, imm); break;
	case RMT_OP_MUL_I:
		emit_rr(j, &imul, dst, dst);
		emit32(j, (u32)imm);
		break;
	case RMT_OP_DIV_I:
	case RMT_OP_MOD_I:
		emit_mov_imm(j, JIT_T1, imm);
		emit_divmod(j, dst, code == RMT_OP_MOD_I);
		break;
	}
}

static bool is_shift(u8 code)
{
	return code == RMT_OP_LSH_I || code == RMT_OP_RSH_I ||
	       code == RMT_OP_ARSH_I;
}

static void emit_alu(struct rmt_jit *j, const struct rmt_insn *insn)
{
	u8 code = insn->code;

	if (code == RMT_OP_NEG) {
		static const struct x86_op neg = { .nop = 1, .op = { 0xf7 }, .w = true };

		emit_rr(j, &neg, 3, xdst(insn));
	} else if (!(code & 1)) {	/* _I forms have even codes */
		if (blinding(j) && !is_shift(code)) {
			emit_blinded_imm(j, insn->imm);
			emit_alu_reg(j, code - 1, xdst(insn), JIT_T1);
		} else {
			emit_alu_imm(j, code, xdst(insn), insn->imm);
		}
	} else if (code == RMT_OP_MOV_R && j->ctr.off &&
		   RMT_INSN_SRC(insn) == j->ctr.reg) {
		struct x86_mem m = mem_bd(xsrc(insn), j->ctr.off);

		emit_lea(j, xdst(insn), &m);	/* counter + copy */
	} else {
		emit_alu_reg(j, code, xdst(insn), xsrc(insn));
	}
}

/* ---- jumps and loops ---- */

static u32 jump_target(const struct rmt_jit *j, u32 i)
{
	return j->addrs[i + j->prog->insns[i].off + 1];
}

static int jcc_of(u8 code)
{
	switch ((code - RMT_OP_JEQ_R) >> 1) {
	case 0: return CC_E;
	case 1: return CC_NE;
	case 2: return CC_A;
	case 3: return CC_AE;
	case 4: return CC_B;
	case 5: return CC_BE;
	case 6: return CC_G;
	case 7: return CC_GE;
	case 8: return CC_L;
	case 9: return CC_LE;
	default: return CC_NE;	/* JSET: test, then "not zero" */
	}
}

static void emit_jcc(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	bool set = insn->code == RMT_OP_JSET_R || insn->code == RMT_OP_JSET_I;
	int dst = xdst(insn);

	if (insn->code & 1) {
		emit_alu_rr(j, set ? X86_TEST : X86_CMP, dst, xsrc(insn));
	} else if (blinding(j)) {
		emit_blinded_imm(j, insn->imm);
		emit_alu_rr(j, set ? X86_TEST : X86_CMP, dst, JIT_T1);
	} else if (set) {
		static const struct x86_op test = { .nop = 1, .op = { 0xf7 }, .w = true };

		emit_rr(j, &test, 0, dst);
		emit32(j, (u32)insn->imm);
	} else {
		emit_alu_ri(j, X86_D_CMP, dst, insn->imm);
	}
	emit_jcc_to(j, jcc_of(insn->code), jump_target(j, i));
}

#define JIT_UNROLL_BODY	8	/* instructions of a loop body worth unrolling */

/* Straight-line ALU and memory code: copies of it need no labels. */
static bool unrollable(u8 code)
{
	return code <= RMT_OP_NEG ||
	       (code >= RMT_OP_LDXB && code <= RMT_OP_STDW) ||
	       code == RMT_OP_LDF || code == RMT_OP_STF;
}

/*
 * How many trips one pass through a loop's code runs: 4 or 2 when the
 * trip count divides and the body is a short straight line, else 1.
 * The verifier forbids writing the counter and jumping into the body,
 * so the copies only need the counter bumped between them.
 */
static u32 loop_unroll(const struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 head = i + insn->off + 1, k;

	if (i - head > JIT_UNROLL_BODY || insn->imm < 2)
		return 1;
	for (k = head; k < i; k++)
		if (!unrollable(j->prog->insns[k].code))
			return 1;
	return insn->imm % 4 == 0 ? 4 : insn->imm % 2 == 0 ? 2 : 1;
}

/*
 * Can the copies read the counter as counter + c instead of bumping it?
 * Yes if the body reads it only as a mov source or a scratch index.
 */
static bool loop_offsettable(const struct rmt_jit *j, u32 head, u32 i, u32 ctr)
{
	u32 k;

	for (k = head; k < i; k++) {
		const struct rmt_insn *b = &j->prog->insns[k];
		struct rmt_fmt_use use;
		bool index;

		rmt_fmt_usage(rmt_op_info[b->code].fmt, &use);
		index = b->code >= RMT_OP_LDXB && b->code <= RMT_OP_STDW;
		if (use.src && RMT_INSN_SRC(b) == ctr &&
		    b->code != RMT_OP_MOV_R && !(index && b->code <= RMT_OP_LDXDW))
			return false;
		if (use.dst && RMT_INSN_DST(b) == ctr &&
		    !(index && b->code > RMT_OP_LDXDW))
			return false;
	}
	return true;
}

static void emit_endloop(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u32 head = i + insn->off + 1, n = loop_unroll(j, i), c, k;
	u32 ctr = RMT_INSN_DST(insn);
	bool offset = n > 1 && loop_offsettable(j, head, i, ctr);
	int dst = xdst(insn);

	for (c = 1; c < n; c++) {
		if (offset) {
			j->ctr.reg = ctr;
			j->ctr.off = c;
		} else {
			emit_alu_ri(j, X86_D_ADD, dst, 1);
		}
		for (k = head; k < i; k++)
			jit_emit_insn(j, k);
		j->ctr.off = 0;
	}
	emit_alu_ri(j, X86_D_ADD, dst, offset ? n : 1);
	emit_alu_ri(j, X86_D_CMP, dst, insn->imm);
	emit_jcc_to(j, CC_B, jump_target(j, i));
}

/* ---- scratch and context memory ---- */

static u32 mem_size(u8 code)
{
	return 1u << ((code - RMT_OP_LDXB) & 3);
}

static struct x86_mem scratch_at(const struct rmt_jit *j, u32 rmt_reg, s32 off)
{
	int x = rmt_jit_reg[rmt_reg & 15];

	if (j->ctr.off && rmt_reg == j->ctr.reg)
		off += j->ctr.off;
	return x < 0 ? mem_bd(JIT_SCRATCH, off) :
		       mem_bid(JIT_SCRATCH, x, 1, off);
}

static void emit_mem_insn(struct rmt_jit *j, const struct rmt_insn *insn)
{
	u8 code = insn->code;
	u32 size = mem_size(code);
	struct x86_mem m;

	if (code <= RMT_OP_LDXDW) {
		m = scratch_at(j, RMT_INSN_SRC(insn), insn->off);
		emit_load(j, xdst(insn), &m, size, false);
	} else if (code <= RMT_OP_STXDW) {
		m = scratch_at(j, RMT_INSN_DST(insn), insn->off);
		emit_store(j, xsrc(insn), &m, size);
	} else if (blinding(j)) {
		emit_blinded_imm(j, insn->imm);
		m = scratch_at(j, RMT_INSN_DST(insn), insn->off);
		emit_store(j, JIT_T1, &m, size);
	} else {
		m = scratch_at(j, RMT_INSN_DST(insn), insn->off);
		emit_store_imm(j, &m, size, insn->imm);
	}
}

static void emit_field(struct rmt_jit *j, const struct rmt_insn *insn)
{
	struct x86_mem m = mem_bd(JIT_CTX, 8 * insn->off);

	if (insn->code == RMT_OP_LDF)
		emit_load(j, xdst(insn), &m, 8, false);
	else
		emit_store(j, xsrc(insn), &m, 8);
}

/* ---- context maps, helpers, tail calls ---- */

static void emit_ctxmap(struct rmt_jit *j, const struct rmt_insn *insn)
{
	static const struct x86_op movzx8 = { .nop = 2, .op = { 0x0f, 0xb6 } };
	u32 d = RMT_INSN_DST(insn), s = RMT_INSN_SRC(insn);
	int keep = -1;

	jit_save_caller(j);
	switch (insn->code) {
	case RMT_OP_LD_CTXT:
		emit_map_arg(j, RDI, insn->imm);
		jit_arg_from_reg(j, RSI, s);
		emit_mov_imm(j, RDX, insn->off);
		emit_call_abs(j, rmt_ctxmap_load);
		keep = xdst(insn);
		break;
	case RMT_OP_ST_CTXT:
		emit_map_arg(j, RDI, insn->imm);
		jit_arg_from_reg(j, RSI, d);
		emit_mov_imm(j, RDX, insn->off);
		jit_arg_from_reg(j, RCX, s);
		emit_call_abs(j, rmt_ctxmap_store);
		break;
	case RMT_OP_MATCH_CTXT:
		emit_map_arg(j, RDI, insn->imm);
		jit_arg_from_reg(j, RSI, s);
		emit_call_abs(j, rmt_ctxmap_contains);
		emit_rr(j, &movzx8, RAX, RAX);
		keep = xdst(insn);
		break;
	default: {	/* VECTOR_LDH */
		struct x86_mem out = mem_bd(JIT_SCRATCH, insn->off);

		emit_map_arg(j, RDI, RMT_IMM_BYTE(insn->imm, 1));
		jit_arg_from_reg(j, RSI, s);
		emit_lea(j, RDX, &out);
		emit_mov_imm(j, RCX, RMT_IMM_BYTE(insn->imm, 0));
		emit_mov_imm(j, R8, RMT_IMM_BYTE(insn->imm, 3));
		emit_call_abs(j, rmt_ctxmap_history);
		break;
	}
	}
	if (keep >= 0)
		emit_mov_rr(j, JIT_T0, RAX);
	jit_restore_caller(j, keep);
	if (keep >= 0)
		emit_mov_rr(j, keep, JIT_T0);
}

static void emit_helper_call(struct rmt_jit *j, const struct rmt_insn *insn)
{
	struct x86_mem args = mem_bd(RSP, JIT_FRAME_SAVE(1));
	struct x86_mem rc = mem_bd(RSP, JIT_FRAME_RC);
	struct x86_mem ctx = mem_bd(RSP, JIT_FRAME_CTX);

	/* r1-r5 become the argument array; they are dead afterwards. */
	jit_save_caller(j);
	emit_mov_imm(j, RDI, insn->imm);
	emit_lea(j, RSI, &args);
	emit_load(j, RDX, &rc, 8, false);
	emit_call_abs(j, rmt_helper_call);
	emit_load(j, JIT_CTX, &ctx, 8, false);
}

long rmt_jit_tail_call(struct rmt_run_ctx *rc, const struct rmt_env *env,
		       u32 slot);

static void emit_tail_call(struct rmt_jit *j, const struct rmt_insn *insn)
{
	struct x86_mem rc = mem_bd(RSP, JIT_FRAME_RC);

	jit_save_caller(j);
	emit_load(j, RDI, &rc, 8, false);
	emit_mov_imm(j, RSI, (s64)(unsigned long)j->prog->env);
	emit_mov_imm(j, RDX, insn->imm);
	emit_call_abs(j, rmt_jit_tail_call);
	/* 1: not taken, go on; otherwise the target ran: its result is ours */
	emit_alu_ri(j, X86_D_CMP, RAX, 1);
	emit_jcc_to(j, CC_NE, j->addrs[j->prog->len]);
	jit_restore_caller(j, -1);
}

static void emit_exit(struct rmt_jit *j, u32 i)
{
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	struct x86_mem rc = jit_frame_rc(j);
	struct x86_mem r0 = mem_bd(JIT_T1, offsetof(struct rmt_run_ctx, r0));

	if (j->rc_rdi)
		r0.base = RDI;
	else
		emit_load(j, JIT_T1, &rc, 8, false);
	emit_store(j, RAX, &r0, 8);
	emit_rr(j, &xor32, RAX, RAX);
	if (i + 1 < j->prog->len)
		emit_jmp_to(j, j->addrs[j->prog->len]);
}

/*
 * Does the code call into the core, or use the frame?  Context maps,
 * helpers, tail calls, and ML opcodes too large to inline in the scalar
 * lowering (see jit_x86_ml.c) do; AMX stages through the frame.
 */
bool jit_is_leaf(const struct rmt_jit *j)
{
	const struct rmt_prog *p = j->prog;
	const struct rmt_model *m = p->env->model;
	bool simd = jit_tier_simd(j->tier);
	u32 i;

	if (j->tier == RMT_JIT_AMX)
		return false;
	for (i = 0; i < p->len; i++) {
		const struct rmt_insn *insn = &p->insns[i];

		switch (insn->code) {
		case RMT_OP_CALL:
		case RMT_OP_TAIL_CALL:
		case RMT_OP_LD_CTXT:
		case RMT_OP_ST_CTXT:
		case RMT_OP_MATCH_CTXT:
		case RMT_OP_VECTOR_LDH:
			return false;
		case RMT_OP_MAT_MUL:
			if (!simd && !jit_ml_inline(m, insn))
				return false;
			break;
		case RMT_OP_DTREE:
			if (!jit_ml_inline(m, insn))
				return false;
			break;
		}
	}
	return true;
}

/* A leaf that never names r1 (rdi) nor zeroes scratch with rep stosb. */
bool jit_rc_in_rdi(const struct rmt_jit *j)
{
	const struct rmt_prog *p = j->prog;
	u32 i;

	if (!j->leaf || (p->scratch_size > 512 && !jit_tier_simd(j->tier)))
		return false;
	for (i = 0; i < p->len; i++)
		if (RMT_INSN_DST(&p->insns[i]) == 1 ||
		    RMT_INSN_SRC(&p->insns[i]) == 1)
			return false;
	return true;
}

/**
 * jit_emit_insn() - emit the code of instruction @i
 * @j: the pass
 * @i: instruction index
 */
void jit_emit_insn(struct rmt_jit *j, u32 i)
{
	const struct rmt_insn *insn = &j->prog->insns[i];
	u8 code = insn->code;

	if (code <= RMT_OP_NEG) {
		emit_alu(j, insn);
	} else if (code == RMT_OP_JA) {
		if (insn->off)
			emit_jmp_to(j, jump_target(j, i));
	} else if (code >= RMT_OP_JEQ_R && code <= RMT_OP_JSET_I) {
		emit_jcc(j, i);
	} else if (code == RMT_OP_LOOP) {
		emit_mov_imm(j, xdst(insn), 0);
	} else if (code == RMT_OP_ENDLOOP) {
		emit_endloop(j, i);
	} else if (code >= RMT_OP_LDXB && code <= RMT_OP_STDW) {
		emit_mem_insn(j, insn);
	} else if (code == RMT_OP_LDF || code == RMT_OP_STF) {
		emit_field(j, insn);
	} else if ((code >= RMT_OP_LD_CTXT && code <= RMT_OP_MATCH_CTXT) ||
		   code == RMT_OP_VECTOR_LDH) {
		emit_ctxmap(j, insn);
	} else if (code >= RMT_OP_VECTOR_LD && code <= RMT_OP_DTREE) {
		jit_emit_ml(j, i);
	} else if (code == RMT_OP_CALL) {
		emit_helper_call(j, insn);
	} else if (code == RMT_OP_TAIL_CALL) {
		emit_tail_call(j, insn);
	} else if (code == RMT_OP_EXIT) {
		emit_exit(j, i);
	} else {
		jit_fail(j, "opcode without a lowering");
	}
}
