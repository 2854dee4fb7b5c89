/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Structured diagnostics shared by the verifier, the model and image
 * loaders and (in user space) the assembler and the compiler: where it
 * happened, a short title, and a one-line fix.
 */
#ifndef _RMT_DIAG_H
#define _RMT_DIAG_H

#include "compat.h"

/**
 * RMT_ERRORS - every reason the core rejects input
 * @E: macro taking (NAME, "hint")
 *
 * The message (title plus details) is written at the rejection site;
 * the hint says what to change.  tests/unit/test_verifier_reject.c has
 * a case for every entry and asserts its exact message.
 */
#define RMT_ERRORS(E)							\
	E(EMPTY,	"give the program at least one instruction, ending in exit") \
	E(TOO_LONG,	"split the program with tail calls or shrink it below RMT_MAX_INSNS") \
	E(BAD_OPCODE,	"use an opcode from RMT_OPCODES() in uapi/linux/rmt.h") \
	E(RESERVED,	"leave fields that the opcode's format does not name zero") \
	E(BAD_REG,	"use registers r0-r10") \
	E(UNINIT_REG,	"write the register on every path before reading it") \
	E(COUNTER_WRITE, "do not write a loop counter inside its loop; copy it to another register") \
	E(JUMP_RANGE,	"keep branch targets inside the program") \
	E(BACK_JUMP,	"jump forward only; repeat work with loop/endloop") \
	E(JUMP_INTO_LOOP, "enter a loop only through its loop instruction") \
	E(LOOP_MISMATCH, "pair every loop with one endloop naming the same counter and trip count") \
	E(LOOP_TRIPS,	"give loops a constant trip count between 1 and RMT_MAX_LOOP_TRIPS") \
	E(LOOP_DEPTH,	"nest loops at most RMT_MAX_LOOP_DEPTH deep") \
	E(UNREACHABLE,	"remove the dead instruction or jump to it") \
	E(FALL_OFF,	"end the program with exit") \
	E(CTX_FIELD,	"use a field index the hook's context schema defines") \
	E(CTX_READONLY,	"write only the hook's writable fields") \
	E(SCRATCH_RANGE, "bound the index (and with it, off + size) within RMT_SCRATCH_SIZE") \
	E(MISALIGNED,	"align vector operands to their element size") \
	E(SHIFT_RANGE,	"shift by 0-63") \
	E(DIV_BY_ZERO,	"divide by a non-zero constant, or by a register (x / 0 = 0)") \
	E(BAD_HELPER,	"call a helper from RMT_HELPERS()") \
	E(TAIL_SLOT,	"tail-call a slot that the bundle fills") \
	E(CTXMAP,	"declare the context map before using it") \
	E(CTXMAP_SLOT,	"use a value slot below nvals, or a history slot below hist_len") \
	E(NO_MODEL,	"load a model with the program") \
	E(TENSOR,	"refer to a tensor the model defines, of the type the opcode takes") \
	E(SHAPE,	"make the operand lengths match the tensor's rows and cols") \
	E(TREE,		"refer to a decision tree the model defines") \
	E(DTYPE,	"use RMT_DT_I8, I16, I32 or I64 where the opcode allows it") \
	E(VEC_LEN,	"use a vector length between 1 and RMT_MAX_DIM") \
	E(OVERLAP,	"give the operation separate input and output regions of scratch") \
	E(COST,		"shrink loops, layers or the model, or load with a larger budget") \
	E(MODEL,	"rebuild the model blob; see struct rmt_model_hdr in uapi/linux/rmt.h") \
	E(IMAGE,	"rebuild the test image; see struct rmt_image_hdr in uapi/linux/rmt.h") \
	E(TABLE,	"fix the table or entry as the message says; rmtctl hook show lists each hook's fields") \
	E(OBJECT,	"check the name: rmtctl OBJECT show lists what exists") \
	E(JIT,		"load with jit auto, or force a tier this CPU supports (rmtctl prog show says which tier runs each program)") \
	E(NOMEM,	"retry with a smaller object, or when memory is available")

enum rmt_err {
	RMT_OK = 0,
#define __RMT_ERR_ENUM(name, hint) RMT_E_##name,
	RMT_ERRORS(__RMT_ERR_ENUM)
#undef __RMT_ERR_ENUM
	__RMT_E_MAX,
};

/**
 * struct rmt_diag - one rejection
 * @code: enum rmt_err, RMT_OK if nothing was rejected
 * @prog: program index within a bundle, or -1
 * @insn: instruction index, or -1 when the rejection is not about one
 * @msg: title with details, e.g. "read of uninitialised register r3"
 */
struct rmt_diag {
	int code;
	int prog;
	int insn;
	char msg[120];
};

void rmt_diag_clear(struct rmt_diag *diag);
void rmt_diag_set(struct rmt_diag *diag, int code, int insn,
		  const char *fmt, ...) __printf(4, 5);
const char *rmt_diag_hint(int code);
const char *rmt_diag_name(int code);
int rmt_diag_format(const struct rmt_diag *diag, char *buf, size_t size);

#endif /* _RMT_DIAG_H */
