/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Semantics of the scalar ALU, written once.  The interpreter executes
 * these; the verifier folds constants with them, so the two cannot
 * disagree about what an instruction computes.
 */
#ifndef _RMT_ALU_H
#define _RMT_ALU_H

#include "compat.h"

/* Division by zero is defined, as in BPF: x / 0 = 0 and x % 0 = x. */
static inline u64 rmt_alu_div(u64 a, u64 b)
{
	return b ? a / b : 0;
}

static inline u64 rmt_alu_mod(u64 a, u64 b)
{
	return b ? a % b : a;
}

/* Register shift counts are taken modulo 64. */
static inline u64 rmt_alu_lsh(u64 a, u64 b)
{
	return a << (b & 63);
}

static inline u64 rmt_alu_rsh(u64 a, u64 b)
{
	return a >> (b & 63);
}

static inline u64 rmt_alu_arsh(u64 a, u64 b)
{
	return (u64)((s64)a >> (b & 63));
}

/* Immediates are sign-extended to 64 bits. */
static inline u64 rmt_imm64(s32 imm)
{
	return (u64)(s64)imm;
}



/**
 * rmt_alu_eval() - the result of a two-operand ALU opcode
 * @code: an ALU opcode, register or immediate form
 * @a: the destination's value
 * @b: the source's value (the sign-extended immediate for _I forms)
 */
static inline u64 rmt_alu_eval(u8 code, u64 a, u64 b)
{
	switch (code) {
	case RMT_OP_ADD_R: case RMT_OP_ADD_I:	return a + b;
	case RMT_OP_SUB_R: case RMT_OP_SUB_I:	return a - b;
	case RMT_OP_MUL_R: case RMT_OP_MUL_I:	return a * b;
	case RMT_OP_DIV_R: case RMT_OP_DIV_I:	return rmt_alu_div(a, b);
	case RMT_OP_MOD_R: case RMT_OP_MOD_I:	return rmt_alu_mod(a, b);
	case RMT_OP_AND_R: case RMT_OP_AND_I:	return a & b;
	case RMT_OP_OR_R:  case RMT_OP_OR_I:	return a | b;
	case RMT_OP_XOR_R: case RMT_OP_XOR_I:	return a ^ b;
	case RMT_OP_LSH_R: case RMT_OP_LSH_I:	return rmt_alu_lsh(a, b);
	case RMT_OP_RSH_R: case RMT_OP_RSH_I:	return rmt_alu_rsh(a, b);
	case RMT_OP_ARSH_R: case RMT_OP_ARSH_I:	return rmt_alu_arsh(a, b);
	case RMT_OP_MOV_R: case RMT_OP_MOV_I:	return b;
	case RMT_OP_NEG:			return -a;
	}
	return 0;
}

#endif /* _RMT_ALU_H */
