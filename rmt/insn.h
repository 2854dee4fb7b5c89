/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instruction constructors for programs written in C: the self-test,
 * unit tests and benchmarks.  Each expands to a struct rmt_insn.
 */
#ifndef _RMT_INSN_H
#define _RMT_INSN_H

#include "compat.h"

#define RMT_INSN(c, d, s, o, i)						\
	((struct rmt_insn){ .code = (c), .regs = RMT_REGS(d, s),	\
			    .off = (s16)(o), .imm = (s32)(i) })

#define RMT_ALU_R(op, d, s)	RMT_INSN(RMT_OP_##op##_R, d, s, 0, 0)
#define RMT_ALU_I(op, d, i)	RMT_INSN(RMT_OP_##op##_I, d, 0, 0, i)
#define RMT_MOV_R(d, s)		RMT_ALU_R(MOV, d, s)
#define RMT_MOV_I(d, i)		RMT_ALU_I(MOV, d, i)
#define RMT_NEG(d)		RMT_INSN(RMT_OP_NEG, d, 0, 0, 0)
#define RMT_JA(o)		RMT_INSN(RMT_OP_JA, 0, 0, o, 0)
#define RMT_JCC_R(op, d, s, o)	RMT_INSN(RMT_OP_##op##_R, d, s, o, 0)
#define RMT_JCC_I(op, d, i, o)	RMT_INSN(RMT_OP_##op##_I, d, 0, o, i)
/* A loop whose body has @body instructions between LOOP and ENDLOOP. */
#define RMT_LOOP(d, n, body)	RMT_INSN(RMT_OP_LOOP, d, 0, body, n)
#define RMT_ENDLOOP(d, n, body)	RMT_INSN(RMT_OP_ENDLOOP, d, 0, -(body) - 1, n)
#define RMT_LDX(sz, d, s, o)	RMT_INSN(RMT_OP_LDX##sz, d, s, o, 0)
#define RMT_STX(sz, d, s, o)	RMT_INSN(RMT_OP_STX##sz, d, s, o, 0)
#define RMT_ST(sz, d, o, i)	RMT_INSN(RMT_OP_ST##sz, d, 0, o, i)
#define RMT_LDF(d, f)		RMT_INSN(RMT_OP_LDF, d, 0, f, 0)
#define RMT_STF(f, s)		RMT_INSN(RMT_OP_STF, 0, s, f, 0)
#define RMT_LD_CTXT(d, key, map, slot) \
	RMT_INSN(RMT_OP_LD_CTXT, d, key, slot, map)
#define RMT_ST_CTXT(key, val, map, slot) \
	RMT_INSN(RMT_OP_ST_CTXT, key, val, slot, map)
#define RMT_MATCH_CTXT(d, key, map) RMT_INSN(RMT_OP_MATCH_CTXT, d, key, 0, map)
#define RMT_VECTOR_LD(off, dt, first, n) \
	RMT_INSN(RMT_OP_VECTOR_LD, 0, 0, off, RMT_IMM_PACK8(n, first, 0, dt))
#define RMT_VECTOR_ST(off, dt, first, n) \
	RMT_INSN(RMT_OP_VECTOR_ST, 0, 0, off, RMT_IMM_PACK8(n, first, 0, dt))
#define RMT_VECTOR_LDH(off, key, dt, map, n) \
	RMT_INSN(RMT_OP_VECTOR_LDH, 0, key, off, RMT_IMM_PACK8(n, 0, map, dt))
#define RMT_MAT_MUL(dst, src, t) \
	RMT_INSN(RMT_OP_MAT_MUL, 0, 0, dst, RMT_IMM_PACK16(src, t))
#define RMT_BIAS_ADD(dst, t)	RMT_INSN(RMT_OP_BIAS_ADD, 0, 0, dst, t)
#define RMT_REQUANT(dst, src, t) \
	RMT_INSN(RMT_OP_REQUANT, 0, 0, dst, RMT_IMM_PACK16(src, t))
#define RMT_RELU(off, n, dt)	RMT_INSN(RMT_OP_RELU, 0, 0, off, RMT_IMM_PACK16(dt, n))
#define RMT_ARGMAX(d, off, n, dt) \
	RMT_INSN(RMT_OP_ARGMAX, d, 0, off, RMT_IMM_PACK16(dt, n))
#define RMT_SCALAR_VAL(d, idx, off, n, dt) \
	RMT_INSN(RMT_OP_SCALAR_VAL, d, idx, off, RMT_IMM_PACK16(dt, n))
#define RMT_DTREE(d, off, tree)	RMT_INSN(RMT_OP_DTREE, d, 0, off, tree)
#define RMT_CALL(fn)		RMT_INSN(RMT_OP_CALL, 0, 0, 0, RMT_FN_##fn)
#define RMT_TAIL_CALL(slot)	RMT_INSN(RMT_OP_TAIL_CALL, 0, 0, 0, slot)
#define RMT_EXIT()		RMT_INSN(RMT_OP_EXIT, 0, 0, 0, 0)

#endif /* _RMT_INSN_H */
