// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every reason the core rejects input, each with a program that must be
 * rejected, the instruction it must name and its exact message.  A last
 * check walks RMT_ERRORS() so that a new rejection reason without a test
 * here fails the suite.  Programs the verifier must still admit (bounded
 * indexing, refined compares, breaks) are checked too, so the analysis
 * cannot pass by rejecting everything.
 */
#include <stdbool.h>
#include <string.h>

#include "asm.h"
#include "store.h"
#include "ktap.h"

struct reject_case {
	const char *name;
	int code;		/* enum rmt_err */
	int insn;		/* -1 if not about one instruction */
	const char *msg;
	const char *src;	/* RMT assembly; NULL for special cases */
};

static bool covered[__RMT_E_MAX];

#define MODEL_I8 ".tensor W i8 4x4\n 1,2,3,4, 5,6,7,8, 1,2,3,4, 5,6,7,8\n.end\n"

static const struct reject_case cases[] = {
	{ "bad opcode", RMT_E_BAD_OPCODE, 0, "unknown opcode 0x00",
	  ".raw 0, 0, 0, 0\nexit\n" },
	{ "reserved field", RMT_E_RESERVED, 0, "reserved field set in neg",
	  ".raw 0x19, 0x10, 0, 0\nexit\n" },
	{ "bad register", RMT_E_BAD_REG, 0, "invalid register r11",
	  "mov r11, r1\nexit\n" },
	{ "uninitialised source", RMT_E_UNINIT_REG, 0,
	  "read of uninitialised register r3", "mov r0, r3\nexit\n" },
	{ "exit without r0", RMT_E_UNINIT_REG, 0,
	  "read of uninitialised register r0", "exit\n" },
	{ "r0 unset on one path", RMT_E_UNINIT_REG, 3,
	  "read of uninitialised register r0",
	  "ldf r1, f0\njeqi r1, 0, out\nmovi r0, 1\nout: exit\n" },
	{ "loop counter written", RMT_E_COUNTER_WRITE, 2,
	  "write to r1, the counter of the loop at insn 1",
	  "movi r0, 0\nloop r1, 4, e\nb: movi r1, 0\ne: endloop r1, 4, b\nexit\n" },
	{ "call clobbers counter", RMT_E_COUNTER_WRITE, 2,
	  "write to r1, the counter of the loop at insn 1",
	  "movi r0, 0\nloop r1, 4, e\nb: call cpu_id\ne: endloop r1, 4, b\nexit\n" },
	{ "jump out of range", RMT_E_JUMP_RANGE, 0,
	  "jump out of range (to insn 6 of 2)", "ja +5\nexit\n" },
	{ "backward jump", RMT_E_BACK_JUMP, 2, "backward jump to insn 1",
	  "movi r0, 0\ntop: addi r0, 1\nja top\nexit\n" },
	{ "jump into loop", RMT_E_JUMP_INTO_LOOP, 1,
	  "jump into the loop at insn 2",
	  "movi r0, 0\njeqi r0, 0, in\nloop r1, 2, e\nb: addi r0, 1\n"
	  "in: addi r0, 2\ne: endloop r1, 2, b\nexit\n" },
	{ "loop without endloop", RMT_E_LOOP_MISMATCH, 0,
	  "loop has no matching endloop at insn 2",
	  "loop r1, 4, +1\nmovi r0, 0\nexit\n" },
	{ "endloop without loop", RMT_E_LOOP_MISMATCH, 1,
	  "endloop without its loop", "movi r0, 0\nendloop r1, 4, -1\nexit\n" },
	{ "zero trip count", RMT_E_LOOP_TRIPS, 1,
	  "loop trip count 0 out of range",
	  "movi r0, 0\nloop r1, 0, e\nb: addi r0, 1\ne: endloop r1, 0, b\nexit\n" },
	{ "loops too deep", RMT_E_LOOP_DEPTH, 5, "loops nested deeper than 4",
	  "movi r0, 0\n"
	  "loop r1, 2, e1\nb1: loop r2, 2, e2\nb2: loop r3, 2, e3\n"
	  "b3: loop r4, 2, e4\nb4: loop r5, 2, e5\nb5: addi r0, 1\n"
	  "e5: endloop r5, 2, b5\ne4: endloop r4, 2, b4\ne3: endloop r3, 2, b3\n"
	  "e2: endloop r2, 2, b2\ne1: endloop r1, 2, b1\nexit\n" },
	{ "unreachable code", RMT_E_UNREACHABLE, 2, "unreachable instruction",
	  "movi r0, 0\nexit\nmovi r0, 1\nexit\n" },
	{ "falls off the end", RMT_E_FALL_OFF, 0, "last instruction is not exit",
	  "movi r0, 0\n" },
	{ "context field out of range", RMT_E_CTX_FIELD, 0,
	  "context field 40 out of range (hook test has 32)",
	  "ldf r0, 40\nexit\n" },
	{ "vector past the context", RMT_E_CTX_FIELD, 0,
	  "context field 32 out of range (hook test has 32)",
	  "vld 0, i8, f26, 8\nmovi r0, 0\nexit\n" },
	{ "write read-only field", RMT_E_CTX_READONLY, 1,
	  "write to read-only context field 30 (ro2)",
	  "movi r1, 1\nstf ro2, r1\nmovi r0, 0\nexit\n" },
	{ "constant scratch overflow", RMT_E_SCRATCH_RANGE, 0,
	  "scratch access at 4090 size 8 leaves [0, 4096)",
	  "ldxdw r0, [4090]\nexit\n" },
	{ "unbounded scratch index", RMT_E_SCRATCH_RANGE, 1,
	  "scratch access r1+0 (r1 in [0, 18446744073709551615]) may leave [0, 4096)",
	  "ldf r1, f0\nldxb r0, [r1+0]\nexit\n" },
	{ "index bound off by one", RMT_E_SCRATCH_RANGE, 3,
	  "scratch access r1+4088 (r1 in [0, 8]) may leave [0, 4096)",
	  "ldf r1, f0\njgti r1, 8, out\nmovi r0, 0\nldxb r0, [r1+4088]\nout: movi r0, 0\nexit\n" },
	{ "scalar index past vector", RMT_E_SCRATCH_RANGE, 2,
	  "index r1 may reach 4, past the 4-element vector",
	  "ldf r1, f0\nmodi r1, 5\nscalar r0, r1, 0, 4, i32\nexit\n" },
	{ "misaligned vector", RMT_E_MISALIGNED, 0,
	  "i32 vector at offset 1 is misaligned",
	  "relu 1, 4, i32\nmovi r0, 0\nexit\n" },
	{ "shift out of range", RMT_E_SHIFT_RANGE, 1, "shift by 64 out of range",
	  "movi r0, 1\nlshi r0, 64\nexit\n" },
	{ "division by constant zero", RMT_E_DIV_BY_ZERO, 1,
	  "division by constant zero", "movi r0, 1\ndivi r0, 0\nexit\n" },
	{ "modulo by constant zero", RMT_E_DIV_BY_ZERO, 1,
	  "division by constant zero", "movi r0, 1\nmodi r0, 0\nexit\n" },
	{ "unknown helper", RMT_E_BAD_HELPER, 0, "unknown helper 99",
	  "call 99\nexit\n" },
	{ "empty tail slot", RMT_E_TAIL_SLOT, 0,
	  "tail-call slot 0 is not filled (0 slots)",
	  "tailcall 0\nmovi r0, 0\nexit\n" },
	{ "undeclared context map", RMT_E_CTXMAP, 1,
	  "no context map 0 (0 declared)",
	  "movi r1, 1\nmatchctxt r0, r1, 0\nexit\n" },
	{ "bad context map", RMT_E_CTXMAP, -1,
	  "bad context map (nvals 1, hist_len 100, max_entries 8, key 1)",
	  ".ctxmap m nvals=1 hist=100 max=8 key=pid\nmovi r0, 0\nexit\n" },
	{ "context map slot", RMT_E_CTXMAP_SLOT, 1,
	  "slot 2 of context map 0 out of range (nvals 2, hist_len 4)",
	  ".ctxmap m nvals=2 hist=4 max=8\nmovi r1, 1\nldctxt r0, r1, m, 2\nexit\n" },
	{ "history slot", RMT_E_CTXMAP_SLOT, 1,
	  "slot -5 of context map 0 out of range (nvals 2, hist_len 4)",
	  ".ctxmap m nvals=2 hist=4 max=8\nmovi r1, 1\nldctxt r0, r1, m, -5\nexit\n" },
	{ "push without history", RMT_E_CTXMAP_SLOT, 1,
	  "slot -1 of context map 0 out of range (nvals 2, hist_len 0)",
	  ".ctxmap m nvals=2 hist=0 max=8\nmovi r1, 1\nstctxt r1, r1, m, -1\nmovi r0, 0\nexit\n" },
	{ "no model", RMT_E_NO_MODEL, 0, "matmul needs a model and none is loaded",
	  "matmul 0, 64, 0\nmovi r0, 0\nexit\n" },
	{ "no such tensor", RMT_E_TENSOR, 0, "no tensor 3 (the model has 1)",
	  MODEL_I8 "matmul 0, 64, 3\nmovi r0, 0\nexit\n" },
	{ "wrong tensor type", RMT_E_TENSOR, 0,
	  "tensor 0 is i8; bias takes an i32 vector",
	  MODEL_I8 "bias 0, W\nmovi r0, 0\nexit\n" },
	{ "no requantisation", RMT_E_TENSOR, 0,
	  "tensor 0 has no requantisation parameters",
	  MODEL_I8 "requant 0, 64, W\nmovi r0, 0\nexit\n" },
	{ "bias shape", RMT_E_SHAPE, 0, "bias tensor 0 is 2x2, not a 2x1 vector",
	  ".tensor B i32 2x2\n1, 2, 3, 4\n.end\nbias 0, B\nmovi r0, 0\nexit\n" },
	{ "no such tree", RMT_E_TREE, 0, "no tree 0 (the model has 0)",
	  MODEL_I8 "dtree r0, 0, 0\nexit\n" },
	{ "bad dtype", RMT_E_DTYPE, 0, "element type 7 is not a dtype",
	  "relu 0, 4, 7\nmovi r0, 0\nexit\n" },
	{ "zero-length vector", RMT_E_VEC_LEN, 0, "vector length 0 out of range",
	  "relu 0, 0, i8\nmovi r0, 0\nexit\n" },
	{ "matmul overlap", RMT_E_OVERLAP, 0,
	  "matmul output at 0 overlaps its input at 8",
	  MODEL_I8 "matmul 0, 8, W\nmovi r0, 0\nexit\n" },
	{ "over budget", RMT_E_COST, 1,
	  "worst-case cost 2003 exceeds the budget of 100",
	  ".budget 100\nmovi r0, 0\nloop r1, 1000, e\nb: addi r0, 1\n"
	  "e: endloop r1, 1000, b\nexit\n" },
	{ "budget over the limit", RMT_E_COST, -1,
	  "budget 268435457 exceeds the limit of 268435456",
	  ".budget 268435457\nmovi r0, 0\nexit\n" },
	{ "bad model", RMT_E_MODEL, -1,
	  "tensor 0: bad requantisation (out dtype 1, mult 1, shift 70)",
	  ".tensor W i8 1x1 out=i8 mult=1 shift=70\n1\n.end\nmovi r0, 0\nexit\n" },
	{ "too long", RMT_E_TOO_LONG, -1,
	  "program has 4097 instructions, over the limit of 4096", NULL },
	{ "empty", RMT_E_EMPTY, -1, "program is empty", NULL },
	{ "bad image", RMT_E_IMAGE, -1,
	  "record 0: bad image header (magic or version)", NULL },
	{ "out of memory", RMT_E_NOMEM, -1,
	  "out of memory verifying 2 instructions", NULL },
	{ "unknown JIT tier", RMT_E_JIT, -1, "unknown JIT tier 99", NULL },
	{ "table key field unknown", RMT_E_TABLE, -1,
	  "the hook's context has no field 'pid'", NULL },
	{ "duplicate object name", RMT_E_OBJECT, -1,
	  "a context map named 'm' exists", NULL },
};

/* Assemble, write as a test image and load it: the kernel's path. */
static int load_src(const char *src, struct rmt_diag *diag)
{
	struct rmt_asm_error aerr;
	struct rmt_bundle b;
	struct rmt_image *img;
	size_t len;
	void *buf;

	if (rmt_asm_parse(src, &b, &aerr)) {
		ktap_diag("assembler: line %u: %s", aerr.line, aerr.msg);
		return -2;
	}
	buf = rmt_image_write(&b, &len);
	img = rmt_image_load(buf, len, diag);
	rmt_image_free(img);
	free(buf);
	rmt_bundle_release(&b);
	return img ? 0 : -1;
}

/* Control-plane refusals, through the store's transaction. */
static void load_store_special(const struct reject_case *c,
			       struct rmt_diag *diag)
{
	struct rmt_op ops[2] = { { .cmd = RMT_CMD_CTXMAP_NEW, .name = "m" } };
	struct rmt_op_error err;
	struct rmt_store st;

	rmt_store_init(&st);
	ops[0].ctxmap.max_entries = 4;
	ops[1] = ops[0];
	if (c->code == RMT_E_TABLE) {
		ops[1].cmd = RMT_CMD_TABLE_NEW;
		ops[1].table.hook = RMT_HOOK_TEST;
		ops[1].table.match = RMT_MATCH_EXACT;
		ops[1].table.size = 4;
		ops[1].table.nkeys = 1;
		snprintf(ops[1].table.keys[0], RMT_NAME_MAX, "pid");
	}
	rmt_store_commit(&st, ops, 2, &err);
	*diag = err.diag;
	rmt_store_destroy(&st);
}

static void load_special(const struct reject_case *c, struct rmt_diag *diag)
{
	static const struct rmt_insn two[] = {
		{ .code = RMT_OP_MOV_I }, { .code = RMT_OP_EXIT },
	};
	struct rmt_env env = { .hook = rmt_hook_schema(RMT_HOOK_TEST) };
	struct rmt_verify_result res;
	u32 hdr[2] = { 0x12345678, 1 };
	struct rmt_insn *many;

	switch (c->code) {
	case RMT_E_TOO_LONG:
		many = calloc(RMT_MAX_INSNS + 1, sizeof(*many));
		rmt_verify(many, RMT_MAX_INSNS + 1, &env, 1000, &res, diag);
		free(many);
		break;
	case RMT_E_EMPTY:
		rmt_verify(two, 0, &env, 1000, &res, diag);
		break;
	case RMT_E_IMAGE:
		rmt_image_free(rmt_image_load(hdr, sizeof(hdr), diag));
		break;
	case RMT_E_TABLE:
	case RMT_E_OBJECT:
		load_store_special(c, diag);
		break;
	case RMT_E_NOMEM:
		rmt_alloc_fail_countdown = 1;
		rmt_verify(two, 2, &env, 1000, &res, diag);
		rmt_alloc_fail_countdown = 0;
		break;
	case RMT_E_JIT: {
		struct rmt_prog *p = rmt_prog_load(two, 2, &env, 1000, diag);

		if (p)
			rmt_prog_jit(p, 99, 0, diag);
		rmt_prog_free(p);
		break;
	}
	}
}

static void run_case(const struct reject_case *c)
{
	struct rmt_diag diag;
	bool ok;

	rmt_diag_clear(&diag);
	if (c->src)
		load_src(c->src, &diag);
	else
		load_special(c, &diag);
	ok = diag.code == c->code && diag.insn == c->insn &&
	     !strcmp(diag.msg, c->msg);
	if (ok)
		covered[c->code] = true;
	if (!ktap_check(ok, "reject %s: %s", rmt_diag_name(c->code), c->name))
		ktap_diag("got %s at insn %d: \"%s\"; want %s at insn %d: \"%s\"",
			  rmt_diag_name(diag.code), diag.insn, diag.msg,
			  rmt_diag_name(c->code), c->insn, c->msg);
}

/* Programs near each rejection that are safe and must load. */
static const char *const admitted[] = {
	"ldf r1, f0\nandi r1, 255\nldxb r0, [r1+0]\nexit\n",
	"ldf r1, f0\njgti r1, 7, out\nldxb r0, [r1+4088]\nexit\nout: movi r0, 0\nexit\n",
	"ldf r1, f0\njlt r1, r2, +0\nmovi r0, 0\nexit\n" /* r2 unset: rejected below */,
	"movi r0, 0\nloop r1, 64, e\nb: stxb [r1+0], r1\njgti r1, 60, out\ne: endloop r1, 64, b\nout: exit\n",
	"ldf r1, f0\nmodi r1, 4\nscalar r0, r1, 0, 4, i32\nexit\n",
	"movi r1, 3\nlshi r1, 3\nldxdw r0, [r1+0]\nexit\n",
	".budget 2003\nmovi r0, 0\nloop r1, 1000, e\nb: addi r0, 1\ne: endloop r1, 1000, b\nexit\n",
	("movi r0, 0\nloop r1, 4, e\nb: loop r2, 4, e2\nb2: mov r3, r1\nmul r3, r2\n"
	 "stxb [r3+0], r3\ne2: endloop r2, 4, b2\ne: endloop r1, 4, b\nexit\n"),
};

static void run_admitted(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(admitted); i++) {
		struct rmt_diag diag;
		int err;

		rmt_diag_clear(&diag);
		err = load_src(admitted[i], &diag);
		if (i == 2) {	/* the deliberate unset-register variant */
			ktap_check(err && diag.code == RMT_E_UNINIT_REG,
				   "compare with an unset register is rejected");
			continue;
		}
		if (!ktap_check(!err, "admit safe program %u", i))
			ktap_diag("rejected: insn %d: %s", diag.insn, diag.msg);
	}
}

int main(void)
{
	u32 i;

	ktap_begin();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	run_admitted();
#define CHECK_COVERED(name, hint)					\
	ktap_check(covered[RMT_E_##name], "every rejection reason is tested: %s", #name);
	RMT_ERRORS(CHECK_COVERED)
#undef CHECK_COVERED
	return ktap_end();
}
