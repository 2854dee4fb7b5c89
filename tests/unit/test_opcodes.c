// SPDX-License-Identifier: GPL-2.0-only
/*
 * One or more tests for every opcode of RMT_OPCODES().  Each test is a
 * small program that the verifier must admit; it is run once and its
 * r0, context fields, scratch bytes or context-map state are compared
 * with values worked out by hand from the documented semantics.  The
 * runner records which opcodes the programs contained, and the last
 * checks fail for any opcode that no test exercised.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "insn.h"
#include "ktap.h"

#define NONE		RMT_REG_NONE
#define NFIELDS		RMT_TEST_CTX_FIELDS
#define F(n)		(n)
#define PUSH		RMT_CTXT_PUSH
#define HIST(n)		RMT_CTXT_HIST(n)

static bool covered[256];
static u32 tier = RMT_JIT_INTERP;	/* how programs run */
static u32 jit_flags;
static char op_names[256][16];
static u8 *scratch;
static u8 scratch_fill;		/* what scratch holds before a run */
static struct rmt_model *model;

/* One run: the context it sees and what rmt_run() reports. */
struct run {
	s64 ctx[NFIELDS];
	struct rmt_run_ctx rc;
};

/* ---- the runner ---- */

static const char *const op_upper[256] = {
#define OP_NAME(code, name, mnem, fmt) [code] = #name,
	RMT_OPCODES(OP_NAME)
#undef OP_NAME
};

/* Opcode names as in the enum, lower case: "jslt_i". */
static void init_op_names(void)
{
	int i, j;

	for (i = 0; i < 256; i++)
		for (j = 0; op_upper[i] && op_upper[i][j] && j < 15; j++)
			op_names[i][j] = tolower((unsigned char)op_upper[i][j]);
}

static const char *op_name(u8 code)
{
	return op_names[code][0] ? op_names[code] : "?";
}

static void mark_covered(const struct rmt_insn *insns, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		covered[insns[i].code] = true;
}

static u64 budget(void)
{
	return rmt_hook_schema(RMT_HOOK_TEST)->budget;
}

static void env_init(struct rmt_env *env, bool with_model)
{
	memset(env, 0, sizeof(*env));
	env->hook = rmt_hook_schema(RMT_HOOK_TEST);
	env->model = with_model ? model : NULL;
}

static struct rmt_prog *load_prog(const struct rmt_env *env,
				  const struct rmt_insn *insns, u32 len)
{
	struct rmt_diag diag;
	struct rmt_prog *prog;

	rmt_diag_clear(&diag);
	prog = rmt_prog_load(insns, len, env, budget(), &diag);
	if (!prog) {
		ktap_diag("verifier rejected insn %d: %s", diag.insn, diag.msg);
		return NULL;
	}
	if (rmt_prog_jit(prog, tier, jit_flags, &diag) || prog->tier != tier) {
		ktap_diag("JIT (%s) refused: %s", rmt_jit_tier_name(tier), diag.msg);
		rmt_prog_free(prog);
		return NULL;
	}
	return prog;
}

/* Run a loaded program once on r->ctx; scratch is left for inspection. */
static bool exec_prog(const struct rmt_prog *prog, struct run *r)
{
	int err;

	memset(scratch, scratch_fill, RMT_SCRATCH_SIZE);
	memset(&r->rc, 0, sizeof(r->rc));
	r->rc.ctx = r->ctx;
	r->rc.scratch = scratch;
	err = rmt_run(prog, &r->rc);
	if (err) {
		ktap_diag("rmt_run failed: %d", err);
		return false;
	}
	mark_covered(prog->insns, prog->len);
	return true;
}

static bool run_prog(const struct rmt_env *env, const struct rmt_insn *insns,
		     u32 len, struct run *r)
{
	struct rmt_prog *prog = load_prog(env, insns, len);
	bool ok;

	if (!prog)
		return false;
	ok = exec_prog(prog, r);
	rmt_prog_free(prog);
	return ok;
}

static bool run_simple(const struct rmt_insn *insns, u32 len, bool with_model,
		       struct run *r)
{
	struct rmt_env env;

	env_init(&env, with_model);
	return run_prog(&env, insns, len, r);
}

#define RUN(p, with_model, r)	run_simple(p, ARRAY_SIZE(p), with_model, r)

static void check_val(bool ran, s64 got, s64 want, u8 code, const char *what)
{
	if (ran && got != want)
		ktap_diag("got %lld (%#llx), want %lld (%#llx)", (long long)got,
			  (unsigned long long)got, (long long)want,
			  (unsigned long long)want);
	ktap_check(ran && got == want, "opcode %s: %s", op_name(code), what);
}

static void check_fields(bool ran, const s64 *got, const s64 *want, u32 n,
			 u8 code, const char *what)
{
	bool ok = ran;
	u32 i;

	for (i = 0; ran && i < n; i++) {
		if (got[i] != want[i]) {
			ktap_diag("element %u: got %lld, want %lld", i,
				  (long long)got[i], (long long)want[i]);
			ok = false;
		}
	}
	ktap_check(ok, "opcode %s: %s", op_name(code), what);
}

/* The @size bytes at scratch[@off] hold @want, the next byte is zero. */
static bool scratch_holds(u32 off, u32 size, u64 want)
{
	u8 b8 = want;
	u16 b16 = want;
	u32 b32 = want;
	const void *p = size == 1 ? (void *)&b8 : size == 2 ? (void *)&b16 :
			size == 4 ? (void *)&b32 : (void *)&want;

	return !memcmp(scratch + off, p, size) && scratch[off + size] == 0;
}

/* ---- ALU ---- */

struct alu_case {
	u8 code;
	s64 a;		/* r0 before the op (field 0) */
	s64 b;		/* source register (field 1) or the immediate */
	s64 want;
	const char *what;
};

static const struct alu_case alu_cases[] = {
	{ RMT_OP_ADD_R, 2, 3, 5, "2 + 3 = 5" },
	{ RMT_OP_ADD_R, -1, 1, 0, "u64 max + 1 wraps to 0" },
	{ RMT_OP_ADD_R, S64_MAX, 1, S64_MIN, "s64 max + 1 wraps to s64 min" },
	{ RMT_OP_ADD_I, 5, -7, -2, "5 + imm -7 = -2" },
	{ RMT_OP_ADD_I, 0xffffffffLL, 1, 0x100000000LL,
	  "0xffffffff + 1 carries into bit 32" },
	{ RMT_OP_ADD_I, -1, 1, 0, "u64 max + imm 1 wraps to 0" },
	{ RMT_OP_SUB_R, 10, 3, 7, "10 - 3 = 7" },
	{ RMT_OP_SUB_R, 0, 1, -1, "0 - 1 wraps to u64 max" },
	{ RMT_OP_SUB_R, S64_MIN, 1, S64_MAX, "s64 min - 1 wraps to s64 max" },
	{ RMT_OP_SUB_I, 5, -3, 8, "5 - imm -3 = 8" },
	{ RMT_OP_SUB_I, 0x100000000LL, 1, 0xffffffffLL,
	  "2^32 - 1 borrows from bit 32" },
	{ RMT_OP_MUL_R, -3, 7, -21, "-3 * 7 = -21" },
	{ RMT_OP_MUL_R, 0x100000000LL, 0x100000000LL, 0,
	  "2^32 * 2^32 wraps to 0" },
	{ RMT_OP_MUL_R, S64_MIN, -1, S64_MIN, "s64 min * -1 wraps to s64 min" },
	{ RMT_OP_MUL_R, 0x123456789LL, 0x1000, 0x123456789000LL,
	  "64-bit product, no 32-bit truncation" },
	{ RMT_OP_MUL_I, 3, -2, -6, "3 * imm -2 = -6" },
	{ RMT_OP_MUL_I, 0x4000000000000000LL, 4, 0, "2^62 * 4 wraps to 0" },
	{ RMT_OP_MUL_I, S64_MAX, 3, 0x7ffffffffffffffdLL,
	  "s64 max * 3 wraps to 2^63 - 3" },
	{ RMT_OP_DIV_R, 100, 7, 14, "100 / 7 = 14" },
	{ RMT_OP_DIV_R, 100, 0, 0, "x / 0 = 0" },
	{ RMT_OP_DIV_R, -1, 0, 0, "u64 max / 0 = 0" },
	{ RMT_OP_DIV_R, -1, 2, S64_MAX, "unsigned: u64 max / 2 = s64 max" },
	{ RMT_OP_DIV_R, -7, -1, 0, "unsigned: (2^64 - 7) / (2^64 - 1) = 0" },
	{ RMT_OP_DIV_I, 100, 7, 14, "100 / imm 7 = 14" },
	{ RMT_OP_DIV_I, 100, -1, 0, "100 / imm -1 (u64 max) = 0" },
	{ RMT_OP_DIV_I, -1, -1, 1, "u64 max / imm -1 = 1" },
	{ RMT_OP_MOD_R, 100, 7, 2, "100 % 7 = 2" },
	{ RMT_OP_MOD_R, 100, 0, 100, "x % 0 = x" },
	{ RMT_OP_MOD_R, -1, 0, -1, "u64 max % 0 = u64 max" },
	{ RMT_OP_MOD_R, -1, 10, 5, "unsigned: u64 max % 10 = 5" },
	{ RMT_OP_MOD_I, 100, 7, 2, "100 % imm 7 = 2" },
	{ RMT_OP_MOD_I, 100, -1, 100, "100 % imm -1 (u64 max) = 100" },
	{ RMT_OP_MOD_I, -1, -2, 1, "u64 max % imm -2 = 1" },
	{ RMT_OP_AND_R, 0xf0f0, 0xff00, 0xf000, "0xf0f0 & 0xff00 = 0xf000" },
	{ RMT_OP_AND_R, -1, S64_MIN, S64_MIN, "keeps bit 63" },
	{ RMT_OP_AND_I, 0x123456789abcdef0LL, -1, 0x123456789abcdef0LL,
	  "imm -1 sign-extends to all ones" },
	{ RMT_OP_AND_I, 0x1ffffffffLL, 0x7fffffff, 0x7fffffff,
	  "positive imm clears the upper half" },
	{ RMT_OP_AND_I, -1, -16, -16, "u64 max & imm -16 = -16" },
	{ RMT_OP_OR_R, 0xf0, 0x0f, 0xff, "0xf0 | 0x0f = 0xff" },
	{ RMT_OP_OR_R, S64_MIN, 1, S64_MIN + 1, "sets bit 0 next to bit 63" },
	{ RMT_OP_OR_I, 0, -1, -1, "0 | imm -1 sets all 64 bits" },
	{ RMT_OP_OR_I, 0x100000000LL, 1, 0x100000001LL,
	  "keeps the upper half" },
	{ RMT_OP_XOR_R, 0xff, 0x0f, 0xf0, "0xff ^ 0x0f = 0xf0" },
	{ RMT_OP_XOR_R, -1, -1, 0, "x ^ x = 0" },
	{ RMT_OP_XOR_I, 0, -1, -1, "0 ^ imm -1 = all ones" },
	{ RMT_OP_XOR_I, 0x100000005LL, 5, 0x100000000LL,
	  "keeps the upper half" },
	{ RMT_OP_LSH_R, 1, 63, S64_MIN, "1 << 63 = bit 63" },
	{ RMT_OP_LSH_R, 1, 64, 1, "count 64 is taken modulo 64 (0)" },
	{ RMT_OP_LSH_R, 1, 65, 2, "count 65 is taken modulo 64 (1)" },
	{ RMT_OP_LSH_R, 3, -1, S64_MIN, "count -1 is taken modulo 64 (63)" },
	{ RMT_OP_LSH_I, 1, 63, S64_MIN, "1 << imm 63 = bit 63" },
	{ RMT_OP_LSH_I, 0xff, 60, (s64)0xf000000000000000ULL,
	  "bits shifted out are lost" },
	{ RMT_OP_LSH_I, 5, 0, 5, "shift by 0 is the identity" },
	{ RMT_OP_RSH_R, S64_MIN, 63, 1, "logical: s64 min >> 63 = 1" },
	{ RMT_OP_RSH_R, -16, 2, 0x3ffffffffffffffcLL,
	  "logical shift of a negative value fills with zeros" },
	{ RMT_OP_RSH_R, -1, 64, -1, "count 64 is taken modulo 64 (0)" },
	{ RMT_OP_RSH_R, 256, 68, 16, "count 68 is taken modulo 64 (4)" },
	{ RMT_OP_RSH_I, -1, 63, 1, "logical: u64 max >> imm 63 = 1" },
	{ RMT_OP_RSH_I, -16, 2, 0x3ffffffffffffffcLL,
	  "logical shift of a negative value fills with zeros" },
	{ RMT_OP_ARSH_R, -16, 2, -4, "arithmetic: -16 >> 2 = -4" },
	{ RMT_OP_ARSH_R, -7, 1, -4, "-7 >> 1 = -4 (rounds down)" },
	{ RMT_OP_ARSH_R, S64_MIN, 63, -1, "s64 min >> 63 = -1" },
	{ RMT_OP_ARSH_R, -256, 68, -16, "count 68 is taken modulo 64 (4)" },
	{ RMT_OP_ARSH_R, 64, 3, 8, "positive value: 64 >> 3 = 8" },
	{ RMT_OP_ARSH_I, -16, 2, -4, "arithmetic: -16 >> imm 2 = -4" },
	{ RMT_OP_ARSH_I, S64_MIN, 63, -1, "s64 min >> imm 63 = -1" },
	{ RMT_OP_ARSH_I, 16, 2, 4, "positive value: 16 >> imm 2 = 4" },
	{ RMT_OP_MOV_R, 99, 0x123456789LL, 0x123456789LL, "copies 64 bits" },
	{ RMT_OP_MOV_R, 99, S64_MIN, S64_MIN, "copies bit 63" },
	{ RMT_OP_MOV_I, 99, -1, -1, "imm -1 sign-extends to all ones" },
	{ RMT_OP_MOV_I, 99, S32_MIN, (s64)0xffffffff80000000ULL,
	  "imm s32 min sign-extends" },
	{ RMT_OP_MOV_I, 99, S32_MAX, 0x7fffffff, "imm s32 max stays positive" },
	{ RMT_OP_NEG, 5, 0, -5, "-(5) = -5" },
	{ RMT_OP_NEG, -1, 0, 1, "-(-1) = 1" },
	{ RMT_OP_NEG, 0, 0, 0, "-(0) = 0" },
	{ RMT_OP_NEG, S64_MIN, 0, S64_MIN, "-(s64 min) wraps to s64 min" },
};

static void test_alu_case(const struct alu_case *c)
{
	const char *fmt = rmt_op_info[c->code].fmt;
	struct run r = { .ctx = { c->a, c->b } };
	struct rmt_insn p[4];
	u32 n = 0;
	bool ran;

	p[n++] = RMT_LDF(0, F(0));
	if (!strcmp(fmt, RMT_FMT_ALU_R)) {
		p[n++] = RMT_LDF(2, F(1));
		p[n++] = RMT_INSN(c->code, 0, 2, 0, 0);
	} else if (!strcmp(fmt, RMT_FMT_ALU_I)) {
		p[n++] = RMT_INSN(c->code, 0, 0, 0, (s32)c->b);
	} else {
		p[n++] = RMT_INSN(c->code, 0, 0, 0, 0);
	}
	p[n++] = RMT_EXIT();
	ran = run_simple(p, n, false, &r);
	check_val(ran, r.rc.r0, c->want, c->code, c->what);
}

/*
 * Values the verifier knows as constants, used as scratch indices: the
 * verifier's folding and the interpreter must agree on them.
 */
static void test_alu_folded(void)
{
	static const struct rmt_insn lsh[] = {
		RMT_MOV_I(1, 5), RMT_MOV_I(2, 65), RMT_ALU_R(LSH, 1, 2),
		RMT_ST(B, 1, 0, 0x5a), RMT_LDX(B, 0, NONE, 10), RMT_EXIT(),
	};
	static const struct rmt_insn rsh[] = {
		RMT_MOV_I(1, -1), RMT_ALU_I(RSH, 1, 52),
		RMT_ST(B, 1, 0, 0x77), RMT_MOV_R(0, 1), RMT_EXIT(),
	};
	static const struct rmt_insn div0[] = {
		RMT_MOV_I(1, 100), RMT_MOV_I(2, 0), RMT_ALU_R(DIV, 1, 2),
		RMT_MOV_I(3, 9), RMT_ALU_R(MOD, 3, 2), RMT_ALU_R(ADD, 1, 3),
		RMT_ST(B, 1, 0, 0x33), RMT_LDX(B, 0, NONE, 9), RMT_EXIT(),
	};
	static const struct rmt_insn arsh[] = {
		RMT_MOV_I(1, -64), RMT_ALU_I(ARSH, 1, 3), RMT_NEG(1),
		RMT_ST(B, 1, 0, 0x44), RMT_LDX(B, 0, NONE, 8), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(lsh, false, &r);
	check_val(ran, r.rc.r0, 0x5a, RMT_OP_LSH_R,
		  "constant 5 << 65 (10) indexes scratch byte 10");
	ran = RUN(rsh, false, &r);
	check_val(ran && scratch[4095] == 0x77, r.rc.r0, 4095, RMT_OP_RSH_I,
		  "constant u64 max >> 52 (4095) indexes the last scratch byte");
	ran = RUN(div0, false, &r);
	check_val(ran, r.rc.r0, 0x33, RMT_OP_DIV_R,
		  "constant 100 / 0 + 9 % 0 (9) indexes scratch byte 9");
	ran = RUN(arsh, false, &r);
	check_val(ran, r.rc.r0, 0x44, RMT_OP_ARSH_I,
		  "constant -(-64 >> 3) (8) indexes scratch byte 8");
}

static void test_alu(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(alu_cases); i++)
		test_alu_case(&alu_cases[i]);
	test_alu_folded();
}

/* ---- jumps ---- */

struct jcc_case {
	u8 code;
	s64 a;		/* dst register (field 0) */
	s64 b;		/* src register (field 1) or the immediate */
	bool taken;
	const char *what;
};

static const struct jcc_case jcc_cases[] = {
	{ RMT_OP_JEQ_R, 5, 5, true, "5 == 5 taken" },
	{ RMT_OP_JEQ_R, 5, 6, false, "5 == 6 not taken" },
	{ RMT_OP_JEQ_R, -1, -1, true, "-1 == -1 taken" },
	{ RMT_OP_JEQ_R, 0x100000005LL, 5, false,
	  "compares all 64 bits: 2^32 + 5 == 5 not taken" },
	{ RMT_OP_JEQ_I, -1, -1, true, "-1 == imm -1 taken" },
	{ RMT_OP_JEQ_I, 0xffffffffLL, -1, false,
	  "0xffffffff == imm -1 (sign-extended) not taken" },
	{ RMT_OP_JEQ_I, 7, 7, true, "7 == imm 7 taken" },
	{ RMT_OP_JNE_R, 5, 6, true, "5 != 6 taken" },
	{ RMT_OP_JNE_R, 7, 7, false, "7 != 7 not taken" },
	{ RMT_OP_JNE_I, 5, 5, false, "5 != imm 5 not taken" },
	{ RMT_OP_JNE_I, 0xffffffffLL, -1, true,
	  "0xffffffff != imm -1 (sign-extended) taken" },
	{ RMT_OP_JGT_R, -1, 1, true, "unsigned: -1 > 1 taken" },
	{ RMT_OP_JGT_R, 1, -1, false, "unsigned: 1 > -1 not taken" },
	{ RMT_OP_JGT_R, 3, 3, false, "3 > 3 not taken" },
	{ RMT_OP_JGT_I, -1, 1, true, "unsigned: -1 > imm 1 taken" },
	{ RMT_OP_JGT_I, 1, -1, false, "unsigned: 1 > imm -1 not taken" },
	{ RMT_OP_JGE_R, 3, 3, true, "3 >= 3 taken" },
	{ RMT_OP_JGE_R, 2, 3, false, "2 >= 3 not taken" },
	{ RMT_OP_JGE_R, -2, -3, true, "unsigned: -2 >= -3 taken" },
	{ RMT_OP_JGE_R, 0, -1, false, "unsigned: 0 >= -1 not taken" },
	{ RMT_OP_JGE_I, 3, 3, true, "3 >= imm 3 taken" },
	{ RMT_OP_JGE_I, 0, -1, false, "unsigned: 0 >= imm -1 not taken" },
	{ RMT_OP_JGE_I, -1, -1, true, "unsigned: u64 max >= imm -1 taken" },
	{ RMT_OP_JLT_R, 1, -1, true, "unsigned: 1 < -1 taken" },
	{ RMT_OP_JLT_R, -1, 1, false, "unsigned: -1 < 1 not taken" },
	{ RMT_OP_JLT_R, 3, 3, false, "3 < 3 not taken" },
	{ RMT_OP_JLT_I, 5, -1, true, "unsigned: 5 < imm -1 taken" },
	{ RMT_OP_JLT_I, -1, 0, false, "unsigned: -1 < imm 0 not taken" },
	{ RMT_OP_JLE_R, 3, 3, true, "3 <= 3 taken" },
	{ RMT_OP_JLE_R, 4, 3, false, "4 <= 3 not taken" },
	{ RMT_OP_JLE_R, 0, -1, true, "unsigned: 0 <= -1 taken" },
	{ RMT_OP_JLE_I, 3, 3, true, "3 <= imm 3 taken" },
	{ RMT_OP_JLE_I, -1, 5, false, "unsigned: -1 <= imm 5 not taken" },
	{ RMT_OP_JSGT_R, 1, -1, true, "signed: 1 > -1 taken" },
	{ RMT_OP_JSGT_R, -1, 1, false, "signed: -1 > 1 not taken" },
	{ RMT_OP_JSGT_R, S64_MAX, S64_MIN, true, "s64 max > s64 min taken" },
	{ RMT_OP_JSGT_R, -3, -3, false, "-3 > -3 not taken" },
	{ RMT_OP_JSGT_I, 0, -1, true, "signed: 0 > imm -1 taken" },
	{ RMT_OP_JSGT_I, -2, -1, false, "signed: -2 > imm -1 not taken" },
	{ RMT_OP_JSGE_R, -1, -1, true, "-1 >= -1 taken" },
	{ RMT_OP_JSGE_R, -2, -1, false, "signed: -2 >= -1 not taken" },
	{ RMT_OP_JSGE_R, 0, S64_MIN, true, "signed: 0 >= s64 min taken" },
	{ RMT_OP_JSGE_I, -1, -1, true, "-1 >= imm -1 taken" },
	{ RMT_OP_JSGE_I, -2, -1, false, "signed: -2 >= imm -1 not taken" },
	{ RMT_OP_JSLT_R, -1, 0, true, "signed: -1 < 0 taken" },
	{ RMT_OP_JSLT_R, 0, -1, false, "signed: 0 < -1 not taken" },
	{ RMT_OP_JSLT_R, S64_MIN, S64_MAX, true, "s64 min < s64 max taken" },
	{ RMT_OP_JSLT_I, -1, 0, true, "-1 < 0 taken" },
	{ RMT_OP_JSLT_I, 0, -1, false, "signed: 0 < imm -1 not taken" },
	{ RMT_OP_JSLT_I, 0x80000000LL, S32_MIN, false,
	  "2^31 < imm s32 min (sign-extended) not taken" },
	{ RMT_OP_JSLE_R, -1, -1, true, "-1 <= -1 taken" },
	{ RMT_OP_JSLE_R, 0, -1, false, "signed: 0 <= -1 not taken" },
	{ RMT_OP_JSLE_I, -5, -5, true, "-5 <= imm -5 taken" },
	{ RMT_OP_JSLE_I, -4, -5, false, "-4 <= imm -5 not taken" },
	{ RMT_OP_JSET_R, 0xa, 0x2, true, "0b1010 & 0b0010 taken" },
	{ RMT_OP_JSET_R, 0xa, 0x5, false, "0b1010 & 0b0101 not taken" },
	{ RMT_OP_JSET_R, S64_MIN, S64_MIN, true, "bit 63 set taken" },
	{ RMT_OP_JSET_I, 0x100, 0x100, true, "0x100 & imm 0x100 taken" },
	{ RMT_OP_JSET_I, 0x100, 0xff, false, "0x100 & imm 0xff not taken" },
	{ RMT_OP_JSET_I, 1LL << 40, S32_MIN, true,
	  "bit 40 & imm s32 min (sign-extended) taken" },
	{ RMT_OP_JSET_I, 1LL << 40, S32_MAX, false,
	  "bit 40 & imm s32 max not taken" },
};

/* r0 = 1 if the jump is taken, 0 if it falls through. */
static void test_jcc_case(const struct jcc_case *c)
{
	struct run r = { .ctx = { c->a, c->b } };
	struct rmt_insn p[7];
	u32 n = 0;
	bool ran;

	p[n++] = RMT_LDF(1, F(0));
	p[n++] = RMT_MOV_I(0, 0);
	if (!strcmp(rmt_op_info[c->code].fmt, RMT_FMT_JCC_R)) {
		p[n++] = RMT_LDF(2, F(1));
		p[n++] = RMT_INSN(c->code, 1, 2, 1, 0);
	} else {
		p[n++] = RMT_INSN(c->code, 1, 0, 1, (s32)c->b);
	}
	p[n++] = RMT_EXIT();
	p[n++] = RMT_MOV_I(0, 1);
	p[n++] = RMT_EXIT();
	ran = run_simple(p, n, false, &r);
	check_val(ran, r.rc.r0, c->taken, c->code, c->what);
}

static void test_ja(void)
{
	static const struct rmt_insn skip[] = {
		RMT_LDF(1, F(0)), RMT_JCC_I(JEQ, 1, 0, 2),
		RMT_MOV_I(0, 1), RMT_JA(1),
		RMT_MOV_I(0, 2),
		RMT_EXIT(),
	};
	static const struct rmt_insn zero[] = {
		RMT_MOV_I(0, 3), RMT_JA(0), RMT_ALU_I(ADD, 0, 1), RMT_EXIT(),
	};
	struct run r = { .ctx = { 5 } };
	bool ran;

	ran = RUN(skip, false, &r);
	check_val(ran, r.rc.r0, 1, RMT_OP_JA, "+1 skips one instruction");
	r.ctx[0] = 0;
	ran = RUN(skip, false, &r);
	check_val(ran, r.rc.r0, 2, RMT_OP_JA, "target of a conditional jump");
	ran = RUN(zero, false, &r);
	check_val(ran, r.rc.r0, 4, RMT_OP_JA, "+0 continues with the next");
}

static void test_jumps(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(jcc_cases); i++)
		test_jcc_case(&jcc_cases[i]);
	test_ja();
}

/* ---- loops ---- */

static void test_loop_counts(void)
{
	static const struct rmt_insn once[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 1, 1), RMT_ALU_I(ADD, 0, 1), RMT_ENDLOOP(1, 1, 1),
		RMT_EXIT(),
	};
	static const struct rmt_insn sum[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 1000, 1), RMT_ALU_R(ADD, 0, 1),
		RMT_ENDLOOP(1, 1000, 1),
		RMT_EXIT(),
	};
	static const struct rmt_insn max[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, RMT_MAX_LOOP_TRIPS, 1), RMT_ALU_R(ADD, 0, 1),
		RMT_ENDLOOP(1, RMT_MAX_LOOP_TRIPS, 1),
		RMT_EXIT(),
	};
	static const struct rmt_insn last[] = {
		RMT_LOOP(1, 7, 1), RMT_MOV_R(0, 1), RMT_ENDLOOP(1, 7, 1),
		RMT_EXIT(),
	};
	static const struct rmt_insn empty[] = {
		RMT_LOOP(1, 9, 0), RMT_ENDLOOP(1, 9, 0), RMT_MOV_R(0, 1),
		RMT_EXIT(),
	};
	static const struct rmt_insn after[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 7, 1), RMT_ALU_I(ADD, 0, 1), RMT_ENDLOOP(1, 7, 1),
		RMT_MOV_R(0, 1), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(once, false, &r);
	check_val(ran, r.rc.r0, 1, RMT_OP_LOOP, "trip count 1 runs the body once");
	ran = RUN(sum, false, &r);
	check_val(ran, r.rc.r0, 499500, RMT_OP_LOOP,
		  "1000 trips, counter 0..999 sums to 499500");
	ran = RUN(max, false, &r);
	check_val(ran, r.rc.r0, 2147450880LL, RMT_OP_LOOP,
		  "RMT_MAX_LOOP_TRIPS trips sum to 65535 * 65536 / 2");
	ran = RUN(last, false, &r);
	check_val(ran, r.rc.r0, 6, RMT_OP_ENDLOOP,
		  "last iteration sees counter n - 1");
	ran = RUN(after, false, &r);
	check_val(ran, r.rc.r0, 7, RMT_OP_ENDLOOP,
		  "counter is n after the loop");
	ran = RUN(empty, false, &r);
	check_val(ran && (tier != RMT_JIT_INTERP || r.rc.insns == 12), r.rc.r0, 9, RMT_OP_ENDLOOP,
		  "empty body: endloop repeats itself, 9 trips in 12 insns");
}

static void test_loop_nested(void)
{
	static const struct rmt_insn two[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 3, 3),
		RMT_LOOP(2, 4, 1), RMT_ALU_R(ADD, 0, 2), RMT_ENDLOOP(2, 4, 1),
		RMT_ENDLOOP(1, 3, 3),
		RMT_EXIT(),
	};
	static const struct rmt_insn four[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 2, 7),
		RMT_LOOP(2, 3, 5),
		RMT_LOOP(3, 4, 3),
		RMT_LOOP(4, 5, 1), RMT_ALU_I(ADD, 0, 1), RMT_ENDLOOP(4, 5, 1),
		RMT_ENDLOOP(3, 4, 3),
		RMT_ENDLOOP(2, 3, 5),
		RMT_ENDLOOP(1, 2, 7),
		RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(two, false, &r);
	check_val(ran, r.rc.r0, 18, RMT_OP_LOOP,
		  "nested 3 x 4, inner counter restarts at 0 (3 * 6)");
	ran = RUN(four, false, &r);
	check_val(ran, r.rc.r0, 120, RMT_OP_LOOP,
		  "nested RMT_MAX_LOOP_DEPTH deep, 2 * 3 * 4 * 5 trips");
}

static void test_loop_exits(void)
{
	static const struct rmt_insn brk[] = {
		RMT_MOV_I(0, -1),
		RMT_LOOP(1, 10, 2),
		RMT_MOV_R(0, 1), RMT_JCC_I(JEQ, 1, 4, 1),
		RMT_ENDLOOP(1, 10, 2),
		RMT_EXIT(),
	};
	static const struct rmt_insn cont[] = {
		RMT_MOV_I(0, 0),
		RMT_LOOP(1, 10, 2),
		RMT_JCC_I(JSET, 1, 1, 1), RMT_ALU_R(ADD, 0, 1),
		RMT_ENDLOOP(1, 10, 2),
		RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(brk, false, &r);
	check_val(ran, r.rc.r0, 4, RMT_OP_ENDLOOP,
		  "a jump past endloop leaves the loop at counter 4");
	ran = RUN(cont, false, &r);
	check_val(ran, r.rc.r0, 20, RMT_OP_ENDLOOP,
		  "a jump to endloop continues: 0 + 2 + 4 + 6 + 8");
}

/* ---- scratch memory ---- */

static void test_ldx(void)
{
	static const struct rmt_insn ones[] = {
		RMT_ST(DW, NONE, 0, -1),
		RMT_LDX(B, 1, NONE, 0), RMT_STF(F(0), 1),
		RMT_LDX(H, 1, NONE, 0), RMT_STF(F(1), 1),
		RMT_LDX(W, 1, NONE, 0), RMT_STF(F(2), 1),
		RMT_LDX(DW, 1, NONE, 0), RMT_STF(F(3), 1),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn idx[] = {
		RMT_LDF(2, F(0)), RMT_STX(DW, NONE, 2, 8),
		RMT_MOV_I(1, 24), RMT_LDX(DW, 0, 1, -16), RMT_EXIT(),
	};
	static const struct rmt_insn zeroed[] = {
		RMT_LDX(DW, 0, NONE, 8), RMT_EXIT(),
	};
	static const struct rmt_insn order[] = {
		RMT_ST(DW, NONE, 0, 0x12345678),
		RMT_LDX(H, 1, NONE, 0), RMT_STF(F(0), 1),
		RMT_LDX(B, 1, NONE, 1), RMT_STF(F(1), 1),
		RMT_LDX(W, 1, NONE, 2), RMT_STF(F(2), 1),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(ones, false, &r);
	check_val(ran, r.ctx[0], 0xff, RMT_OP_LDXB, "byte 0xff zero-extends to 255");
	check_val(ran, r.ctx[1], 0xffff, RMT_OP_LDXH,
		  "half 0xffff zero-extends to 65535");
	check_val(ran, r.ctx[2], 0xffffffffLL, RMT_OP_LDXW,
		  "word 0xffffffff zero-extends to 2^32 - 1");
	check_val(ran, r.ctx[3], -1, RMT_OP_LDXDW, "double word of all ones");
	r.ctx[0] = 0x1122334455667788LL;
	ran = RUN(idx, false, &r);
	check_val(ran, r.rc.r0, 0x1122334455667788LL, RMT_OP_LDXDW,
		  "[r1-16] with r1 = 24 reads what [8] stored");
	ran = RUN(order, false, &r);
	check_val(ran, r.ctx[0], 0x5678, RMT_OP_LDXH,
		  "little-endian: [0] after stdw 0x12345678 reads 0x5678");
	check_val(ran, r.ctx[1], 0x56, RMT_OP_LDXB,
		  "little-endian: unaligned [1] reads 0x56");
	check_val(ran, r.ctx[2], 0x1234, RMT_OP_LDXW,
		  "unaligned [2] reads 0x1234, upper bytes 0");
	scratch_fill = 0xaa;
	ran = RUN(zeroed, false, &r);
	scratch_fill = 0;
	check_val(ran, r.rc.r0, 0, RMT_OP_LDXDW,
		  "scratch the program uses is zeroed before the run");
}

static void test_stx(void)
{
	static const struct rmt_insn fixed[] = {
		RMT_LDF(2, F(0)),
		RMT_STX(B, NONE, 2, 0), RMT_STX(H, NONE, 2, 8),
		RMT_STX(W, NONE, 2, 16), RMT_STX(DW, NONE, 2, 24),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn idx[] = {
		RMT_LDF(1, F(1)), RMT_ALU_I(AND, 1, 0xff), RMT_LDF(2, F(0)),
		RMT_STX(B, 1, 2, 0), RMT_STX(H, 1, 2, 256),
		RMT_STX(W, 1, 2, 512), RMT_STX(DW, 1, 2, 1024),
		RMT_LDX(B, 0, 1, 0), RMT_EXIT(),
	};
	const u64 v = 0x1122334455667788ULL;
	struct run r = { .ctx = { (s64)v, 200 } };
	bool ran;

	ran = RUN(fixed, false, &r);
	ktap_check(ran && scratch_holds(0, 1, v), "opcode stxb: [0] keeps the low byte only");
	ktap_check(ran && scratch_holds(8, 2, v), "opcode stxh: [8] keeps the low 16 bits only");
	ktap_check(ran && scratch_holds(16, 4, v), "opcode stxw: [16] keeps the low 32 bits only");
	ktap_check(ran && scratch_holds(24, 8, v), "opcode stxdw: [24] stores all 64 bits");
	ran = RUN(idx, false, &r);
	ktap_check(ran && scratch_holds(200, 1, v) && r.rc.r0 == 0x88,
		   "opcode stxb: [r1+0] with r1 = 200 from a masked field");
	ktap_check(ran && scratch_holds(456, 2, v), "opcode stxh: [r1+256] with r1 = 200");
	ktap_check(ran && scratch_holds(712, 4, v), "opcode stxw: [r1+512] with r1 = 200");
	ktap_check(ran && scratch_holds(1224, 8, v), "opcode stxdw: [r1+1024] with r1 = 200");
}

static void test_st(void)
{
	static const struct rmt_insn fixed[] = {
		RMT_ST(B, NONE, 0, 0x1ff), RMT_ST(H, NONE, 8, -2),
		RMT_ST(W, NONE, 16, -1), RMT_ST(DW, NONE, 24, S32_MIN),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn idx[] = {
		RMT_MOV_I(1, 32),
		RMT_ST(B, 1, 0, 0x7f), RMT_ST(H, 1, 8, 0x1234),
		RMT_ST(W, 1, 16, 0x12345678), RMT_ST(DW, 1, 24, -3),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	ran = RUN(fixed, false, &r);
	ktap_check(ran && scratch_holds(0, 1, 0xff), "opcode stb: imm 0x1ff stores 0xff");
	ktap_check(ran && scratch_holds(8, 2, 0xfffe), "opcode sth: imm -2 stores 0xfffe");
	ktap_check(ran && scratch_holds(16, 4, 0xffffffff),
		   "opcode stw: imm -1 stores 0xffffffff");
	ktap_check(ran && scratch_holds(24, 8, 0xffffffff80000000ULL),
		   "opcode stdw: imm s32 min is sign-extended to 64 bits");
	ran = RUN(idx, false, &r);
	ktap_check(ran && scratch_holds(32, 1, 0x7f), "opcode stb: [r1+0] with r1 = 32");
	ktap_check(ran && scratch_holds(40, 2, 0x1234), "opcode sth: [r1+8] with r1 = 32");
	ktap_check(ran && scratch_holds(48, 4, 0x12345678),
		   "opcode stw: [r1+16] with r1 = 32");
	ktap_check(ran && scratch_holds(56, 8, (u64)-3),
		   "opcode stdw: [r1+24] with r1 = 32, imm -3");
}

/* ---- hook context fields ---- */

static void test_fields(void)
{
	static const struct rmt_insn ld[] = {
		RMT_LDF(0, F(31)), RMT_EXIT(),
	};
	static const struct rmt_insn st[] = {
		RMT_LDF(1, F(0)), RMT_STF(F(5), 1), RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { .ctx = { -42, [4] = 4, [5] = 5, [6] = 6,
				  [31] = S64_MIN } };
	bool ran;

	ran = RUN(ld, false, &r);
	check_val(ran, r.rc.r0, S64_MIN, RMT_OP_LDF, "reads field 31 (s64 min)");
	ran = RUN(st, false, &r);
	check_val(ran, r.ctx[5], -42, RMT_OP_STF, "writes field 5");
	check_val(ran, r.ctx[4] + r.ctx[6] * 100, 604, RMT_OP_STF,
		  "leaves fields 4 and 6 alone");
}

/* ---- context maps ---- */

static struct rmt_ctxmap *make_map(struct rmt_env *env, u32 nvals,
				   u32 hist_len)
{
	struct rmt_ctxmap_desc d = {
		.nvals = nvals, .hist_len = hist_len, .max_entries = 16,
		.key_kind = RMT_KEY_PID,
	};
	struct rmt_diag diag;

	rmt_diag_clear(&diag);
	env->maps[env->nmaps] = rmt_ctxmap_create(&d, &diag);
	if (!env->maps[env->nmaps]) {
		ktap_diag("rmt_ctxmap_create: %s", diag.msg);
		return NULL;
	}
	return env->maps[env->nmaps++];
}

/* Values, history after more pushes than the ring holds, misses. */
static void test_ctxmap_slots(void)
{
	static const struct rmt_insn p[] = {
		RMT_LDF(1, F(0)),
		RMT_LDF(2, F(1)), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_LDF(2, F(2)), RMT_ST_CTXT(1, 2, 0, 1),
		RMT_LOOP(3, 5, 3),
		RMT_MOV_R(2, 3), RMT_ALU_I(ADD, 2, 1), RMT_ST_CTXT(1, 2, 0, PUSH),
		RMT_ENDLOOP(3, 5, 3),
		RMT_LD_CTXT(4, 1, 0, 0), RMT_STF(F(8), 4),
		RMT_LD_CTXT(4, 1, 0, 1), RMT_STF(F(9), 4),
		RMT_LD_CTXT(4, 1, 0, HIST(0)), RMT_STF(F(10), 4),
		RMT_LD_CTXT(4, 1, 0, HIST(1)), RMT_STF(F(11), 4),
		RMT_LD_CTXT(4, 1, 0, HIST(2)), RMT_STF(F(12), 4),
		RMT_MATCH_CTXT(5, 1, 0), RMT_STF(F(13), 5),
		RMT_MOV_R(6, 1), RMT_ALU_I(ADD, 6, 1),
		RMT_LD_CTXT(4, 6, 0, 0), RMT_STF(F(14), 4),
		RMT_LD_CTXT(4, 6, 0, HIST(0)), RMT_STF(F(15), 4),
		RMT_MATCH_CTXT(5, 6, 0), RMT_STF(F(16), 5),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { .ctx = { 77, 100, -5, [8] = 99, 99, 99, 99, 99, 99,
				  99, 99, 99 } };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	if (make_map(&env, 2, 3))
		ran = run_prog(&env, p, ARRAY_SIZE(p), &r);
	check_val(ran, r.ctx[8], 100, RMT_OP_ST_CTXT, "value slot 0 stored and read back");
	check_val(ran, r.ctx[9], -5, RMT_OP_LD_CTXT, "value slot 1 (-5) read back");
	check_val(ran, r.ctx[10], 5, RMT_OP_LD_CTXT,
		  "5 pushes into a ring of 3: hist(0) is the newest (5)");
	check_val(ran, r.ctx[11], 4, RMT_OP_LD_CTXT, "ring wrapped: hist(1) = 4");
	check_val(ran, r.ctx[12], 3, RMT_OP_ST_CTXT,
		  "push wraps around: hist(2) = 3, 1 and 2 dropped");
	check_val(ran, r.ctx[13], 1, RMT_OP_MATCH_CTXT, "stored key matches (1)");
	check_val(ran, r.ctx[14], 0, RMT_OP_LD_CTXT, "missing key reads 0");
	check_val(ran, r.ctx[15], 0, RMT_OP_LD_CTXT, "missing key's history reads 0");
	check_val(ran, r.ctx[16], 0, RMT_OP_MATCH_CTXT,
		  "missing key does not match (0), even after a load");
	rmt_ctxmap_free(env.maps[0]);
}

/* A ring that is not full yet: slots past the pushes read 0. */
static void test_ctxmap_partial(void)
{
	static const struct rmt_insn p[] = {
		RMT_LDF(1, F(0)), RMT_MOV_I(2, -9), RMT_ST_CTXT(1, 2, 0, PUSH),
		RMT_LD_CTXT(4, 1, 0, HIST(0)), RMT_STF(F(8), 4),
		RMT_LD_CTXT(4, 1, 0, HIST(1)), RMT_STF(F(9), 4),
		RMT_LD_CTXT(4, 1, 0, HIST(2)), RMT_STF(F(10), 4),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want[] = { -9, 0, 0 };
	struct run r = { .ctx = { 5, [8] = 99, 99, 99 } };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	if (make_map(&env, 0, 3))
		ran = run_prog(&env, p, ARRAY_SIZE(p), &r);
	check_fields(ran, &r.ctx[8], want, 3, RMT_OP_ST_CTXT,
		     "one push into a ring of 3 reads back -9, 0, 0");
	rmt_ctxmap_free(env.maps[0]);
}

/* State survives between runs; keys are compared on all 64 bits. */
static void test_ctxmap_persist(void)
{
	static const struct rmt_insn store[] = {
		RMT_LDF(1, F(0)), RMT_LDF(2, F(1)), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_LDF(1, F(2)), RMT_LDF(2, F(3)), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn load[] = {
		RMT_LDF(1, F(0)), RMT_LD_CTXT(3, 1, 0, 0), RMT_STF(F(8), 3),
		RMT_LDF(1, F(2)), RMT_LD_CTXT(3, 1, 0, 0), RMT_STF(F(9), 3),
		RMT_LDF(1, F(4)), RMT_MATCH_CTXT(0, 1, 0),
		RMT_EXIT(),
	};
	struct run r = { .ctx = { 1, 11, 0x100000001LL, 22, 2 } };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	if (make_map(&env, 1, 0))
		ran = run_prog(&env, store, ARRAY_SIZE(store), &r) &&
		      run_prog(&env, load, ARRAY_SIZE(load), &r);
	check_val(ran, r.ctx[8], 11, RMT_OP_LD_CTXT,
		  "a later run reads what an earlier one stored");
	check_val(ran, r.ctx[9], 22, RMT_OP_LD_CTXT,
		  "key 2^32 + 1 is distinct from key 1");
	check_val(ran, r.rc.r0, 0, RMT_OP_MATCH_CTXT,
		  "a key never stored does not match");
	rmt_ctxmap_free(env.maps[0]);
}

/*
 * A full map gives up its least recently used entry to a new key; a
 * lookup of key 1 by @touch (ldctxt, matchctxt or vldh) keeps it.
 */
static void test_ctxmap_evict(struct rmt_insn touch)
{
	struct rmt_insn p[] = {
		RMT_MOV_I(1, 1), RMT_MOV_I(2, 10), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_MOV_I(1, 2), RMT_MOV_I(2, 20), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_MOV_I(1, 1), touch,
		RMT_MOV_I(1, 3), RMT_MOV_I(2, 30), RMT_ST_CTXT(1, 2, 0, 0),
		RMT_MOV_I(1, 1), RMT_MATCH_CTXT(4, 1, 0), RMT_STF(F(8), 4),
		RMT_MOV_I(1, 2), RMT_MATCH_CTXT(4, 1, 0), RMT_STF(F(9), 4),
		RMT_MOV_I(1, 3), RMT_LD_CTXT(4, 1, 0, 0), RMT_STF(F(10), 4),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want[] = { 1, 0, 30 };
	struct rmt_ctxmap_desc d = {
		.nvals = 1, .hist_len = 1, .max_entries = 2,
		.key_kind = RMT_KEY_PID,
	};
	char what[96];
	struct run r = { };
	struct rmt_diag diag;
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	rmt_diag_clear(&diag);
	env.maps[0] = rmt_ctxmap_create(&d, &diag);
	env.nmaps = 1;
	if (env.maps[0])
		ran = run_prog(&env, p, ARRAY_SIZE(p), &r);
	snprintf(what, sizeof(what),
		 "full map of 2: key 3 evicts key 2, not key 1 just read by %s",
		 op_name(touch.code));
	check_fields(ran, &r.ctx[8], want, 3, RMT_OP_ST_CTXT, what);
	rmt_ctxmap_free(env.maps[0]);
}

/* History as a vector, newest first, saturated; a missing key gives 0s. */
static void test_vector_ldh(void)
{
	static const struct rmt_insn p[] = {
		RMT_LDF(1, F(0)),
		RMT_MOV_I(2, 300), RMT_ST_CTXT(1, 2, 0, PUSH),
		RMT_MOV_I(2, -1000), RMT_ST_CTXT(1, 2, 0, PUSH),
		RMT_MOV_I(2, 5), RMT_ST_CTXT(1, 2, 0, PUSH),
		RMT_VECTOR_LDH(0, 1, RMT_DT_I8, 0, 4),
		RMT_VECTOR_ST(0, RMT_DT_I8, F(8), 4),
		RMT_VECTOR_LDH(8, 1, RMT_DT_I32, 0, 4),
		RMT_VECTOR_ST(8, RMT_DT_I32, F(12), 4),
		RMT_ST(DW, NONE, 32, -1),
		RMT_MOV_R(3, 1), RMT_ALU_I(ADD, 3, 1),
		RMT_VECTOR_LDH(32, 3, RMT_DT_I32, 0, 2),
		RMT_VECTOR_ST(32, RMT_DT_I32, F(16), 2),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want8[] = { 5, -128, 127, 0 };
	static const s64 want32[] = { 5, -1000, 300, 0 };
	static const s64 want_miss[] = { 0, 0 };
	struct run r = { .ctx = { 1234 } };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	if (make_map(&env, 0, 4))
		ran = run_prog(&env, p, ARRAY_SIZE(p), &r);
	check_fields(ran, &r.ctx[8], want8, 4, RMT_OP_VECTOR_LDH,
		     "i8 history newest first, 300 and -1000 saturate, unfilled 0");
	check_fields(ran, &r.ctx[12], want32, 4, RMT_OP_VECTOR_LDH,
		     "i32 history 5, -1000, 300, 0");
	check_fields(ran, &r.ctx[16], want_miss, 2, RMT_OP_VECTOR_LDH,
		     "missing key overwrites the vector with zeros");
	rmt_ctxmap_free(env.maps[0]);
}

/* ---- vectors between fields and scratch ---- */

static s64 scratch_elem(u32 off, u32 dtype, u32 i)
{
	s8 b;
	s16 h;
	s32 w;
	s64 d;

	switch (dtype) {
	case RMT_DT_I8:
		memcpy(&b, scratch + off + i, 1);
		return b;
	case RMT_DT_I16:
		memcpy(&h, scratch + off + 2 * i, 2);
		return h;
	case RMT_DT_I32:
		memcpy(&w, scratch + off + 4 * i, 4);
		return w;
	}
	memcpy(&d, scratch + off + 8 * i, 8);
	return d;
}

struct vld_case {
	u32 dtype;
	u32 n;
	s64 in[5];
	s64 want[5];
	const char *what;
};

static const struct vld_case vld_cases[] = {
	{ RMT_DT_I8, 5, { 300, -1000, 127, -128, 5 }, { 127, -128, 127, -128, 5 },
	  "i8: 300 saturates to 127, -1000 to -128" },
	{ RMT_DT_I16, 3, { 40000, -40000, -1 }, { 32767, -32768, -1 },
	  "i16: 40000 saturates to 32767, -40000 to -32768" },
	{ RMT_DT_I32, 3, { 1LL << 40, -(1LL << 40), -7 }, { S32_MAX, S32_MIN, -7 },
	  "i32: +-2^40 saturate to s32 max and min" },
	{ RMT_DT_I64, 2, { S64_MIN, S64_MAX }, { S64_MIN, S64_MAX },
	  "i64: s64 min and max pass unchanged" },
};

/* Fields 4.. go to scratch 16 and come back to fields 10... */
static void test_vector_ld_case(const struct vld_case *c)
{
	struct rmt_insn p[] = {
		RMT_VECTOR_LD(16, c->dtype, F(4), c->n),
		RMT_VECTOR_ST(16, c->dtype, F(10), c->n),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { };
	s64 got[5];
	bool ran;
	u32 i;

	memcpy(&r.ctx[4], c->in, sizeof(c->in[0]) * c->n);
	ran = RUN(p, false, &r);
	for (i = 0; i < c->n; i++)
		got[i] = scratch_elem(16, c->dtype, i);
	check_fields(ran, got, c->want, c->n, RMT_OP_VECTOR_LD, c->what);
	check_fields(ran, &r.ctx[10], c->want, c->n, RMT_OP_VECTOR_ST, c->what);
}

/* Elements written with stores are sign-extended into exactly n fields. */
static void test_vector_st(void)
{
	static const struct rmt_insn p[] = {
		RMT_ST(B, NONE, 0, -1), RMT_ST(B, NONE, 1, 0x7f),
		RMT_VECTOR_ST(0, RMT_DT_I8, F(3), 2),
		RMT_ST(H, NONE, 8, 0x8000), RMT_VECTOR_ST(8, RMT_DT_I16, F(6), 1),
		RMT_ST(W, NONE, 16, S32_MIN), RMT_VECTOR_ST(16, RMT_DT_I32, F(7), 1),
		RMT_ST(DW, NONE, 24, -5), RMT_VECTOR_ST(24, RMT_DT_I64, F(8), 1),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want[] = { 99, -1, 127, 99, -32768, S32_MIN, -5, 99 };
	struct run r = { .ctx = { [2] = 99, 99, 99, 99, 99, 99, 99, 99 } };
	bool ran;

	ran = RUN(p, false, &r);
	check_fields(ran, &r.ctx[2], want, ARRAY_SIZE(want), RMT_OP_VECTOR_ST,
		     "i8 0xff -> -1, i16 0x8000 -> -32768, i32, i64 sign-extend; others kept");
}

static void test_vectors(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(vld_cases); i++)
		test_vector_ld_case(&vld_cases[i]);
	test_vector_st();
}

/* ---- ML opcodes against a small model ---- */

enum {
	T_MM8, T_MM16, T_BIAS, T_RQ8, T_RQ16, T_RQ32, T_RQZ, T_RQBIG,
	NTENSORS,
};

static const s8 mm8_w[] = {
	1, -2, 3, -4,
	-128, -128, 127, 0,
	-128, -128, -128, -128,
};

static const s16 mm16_w[] = {
	-32768, -32768, 1000,
	32767, -2, 3,
	-32768, -32768, 0,
};

static const s32 bias_b[] = { S32_MAX, -5, S32_MIN };
static const s32 rq_data[8];

/* f0 <= 10 ? (f1 <= -5 ? -1 : 2) : 300 */
static const struct rmt_dtree_node tree_nodes[] = {
	{ .value = 10, .feature = 0, .left = 1, .right = 2 },
	{ .value = -5, .feature = 1, .left = 3, .right = 4 },
	{ .value = 300, .flags = RMT_DTREE_LEAF },
	{ .value = -1, .flags = RMT_DTREE_LEAF },
	{ .value = 2, .flags = RMT_DTREE_LEAF },
};

static struct rmt_model *build_model(void)
{
	struct rmt_tensor_desc t[NTENSORS] = {
		[T_MM8] = { .dtype = RMT_DT_I8, .rows = 3, .cols = 4 },
		[T_MM16] = { .dtype = RMT_DT_I16, .rows = 3, .cols = 3 },
		[T_BIAS] = { .dtype = RMT_DT_I32, .rows = 3, .cols = 1 },
		[T_RQ8] = { .dtype = RMT_DT_I32, .rows = 8, .cols = 1,
			    .out_dtype = RMT_DT_I8, .q_mult = 1, .q_shift = 2 },
		[T_RQ16] = { .dtype = RMT_DT_I32, .rows = 4, .cols = 1,
			     .out_dtype = RMT_DT_I16, .q_mult = 3, .q_shift = 1,
			     .q_zero = -10 },
		[T_RQ32] = { .dtype = RMT_DT_I32, .rows = 4, .cols = 1,
			     .out_dtype = RMT_DT_I32, .q_mult = 2, .q_zero = 5 },
		[T_RQZ] = { .dtype = RMT_DT_I32, .rows = 4, .cols = 1,
			    .out_dtype = RMT_DT_I8, .q_mult = 1, .q_zero = 100 },
		[T_RQBIG] = { .dtype = RMT_DT_I32, .rows = 4, .cols = 1,
			      .out_dtype = RMT_DT_I32, .q_mult = 1 << 30,
			      .q_shift = 31 },
	};
	const void *const data[NTENSORS] = {
		mm8_w, mm16_w, bias_b, rq_data, rq_data, rq_data, rq_data,
		rq_data,
	};
	struct rmt_dtree_desc trees[] = {
		{ .nnodes = ARRAY_SIZE(tree_nodes), .nfeatures = 2 },
	};
	const struct rmt_dtree_node *const nodes[] = { tree_nodes };
	struct rmt_diag diag;
	struct rmt_model *m;
	void *blob;
	u32 len;

	blob = rmt_model_build(t, data, NTENSORS, trees, nodes, 1, &len);
	if (!blob)
		return NULL;
	rmt_diag_clear(&diag);
	m = rmt_model_load(blob, len, &diag);
	if (!m)
		ktap_diag("rmt_model_load: %s", diag.msg);
	rmt_free(blob);
	return m;
}

static void test_matmul(void)
{
	static const struct rmt_insn i8[] = {
		RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4),
		RMT_MAT_MUL(8, 0, T_MM8),
		RMT_VECTOR_ST(8, RMT_DT_I32, F(8), 3),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn i16[] = {
		RMT_VECTOR_LD(0, RMT_DT_I16, F(0), 3),
		RMT_MAT_MUL(8, 0, T_MM16),
		RMT_VECTOR_ST(8, RMT_DT_I32, F(8), 3),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want8[] = { 138, 33022, 32640 };
	static const s64 want16[] = { 2147476648LL, -1073643541LL, S32_MIN };
	struct run r = { .ctx = { -128, -128, 2, -1 } };
	bool ran;

	ran = RUN(i8, true, &r);
	check_fields(ran, &r.ctx[8], want8, 3, RMT_OP_MAT_MUL,
		     "i8 3x4, -128 * -128 products, results past i16");
	r.ctx[0] = -32768;
	r.ctx[1] = -32768;
	r.ctx[2] = -7;
	ran = RUN(i16, true, &r);
	check_fields(ran, &r.ctx[8], want16, 3, RMT_OP_MAT_MUL,
		     "i16 3x3, 2^30 + 2^30 - 7000 fits, 2^31 wraps to s32 min");
}

static void test_bias(void)
{
	static const struct rmt_insn p[] = {
		RMT_VECTOR_LD(0, RMT_DT_I32, F(0), 3),
		RMT_BIAS_ADD(0, T_BIAS),
		RMT_VECTOR_ST(0, RMT_DT_I32, F(8), 3),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const s64 want[] = { S32_MIN, 0, S32_MAX };
	struct run r = { .ctx = { 1, 5, -1 } };
	bool ran;

	ran = RUN(p, true, &r);
	check_fields(ran, &r.ctx[8], want, 3, RMT_OP_BIAS_ADD,
		     "1 + s32 max wraps, 5 - 5 = 0, -1 + s32 min wraps");
}

struct requant_case {
	u16 tensor;
	u16 n;
	u32 out_dtype;
	bool in_place;
	s64 in[8];
	s64 want[8];
	const char *what;
};

static const struct requant_case requant_cases[] = {
	{ T_RQ8, 8, RMT_DT_I8, false,
	  { 5, 6, -6, -7, -2, 1000, -1000, 2 },
	  { 1, 2, -1, -2, 0, 127, -128, 1 },
	  "i8 >> 2 rounds half up (1.5 -> 2, -1.5 -> -1, -0.5 -> 0) and saturates" },
	{ T_RQ16, 4, RMT_DT_I16, true,
	  { 7, -7, 30000, -30000 }, { 1, -20, 32767, -32768 },
	  "in place, i16, * 3 >> 1 + zero point -10, saturating" },
	{ T_RQ32, 4, RMT_DT_I32, false,
	  { S32_MAX, S32_MIN, -3, 0 }, { S32_MAX, S32_MIN, -1, 5 },
	  "i32, * 2 + 5, saturating to s32 max and min" },
	{ T_RQZ, 4, RMT_DT_I8, false,
	  { 0, -5, 28, -229 }, { 100, 95, 127, -128 },
	  "zero point 100 added before saturating to i8" },
	{ T_RQBIG, 4, RMT_DT_I32, false,
	  { 3, -3, S32_MAX, S32_MIN }, { 2, -1, 1 << 30, -(1 << 30) },
	  "* 2^30 >> 31 computed in 64 bits, rounding half up" },
};

static void test_requant_case(const struct requant_case *c)
{
	u16 out = c->in_place ? 0 : 64;
	struct rmt_insn p[] = {
		RMT_VECTOR_LD(0, RMT_DT_I32, F(0), c->n),
		RMT_REQUANT(out, 0, c->tensor),
		RMT_VECTOR_ST(out, c->out_dtype, F(16), c->n),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	memcpy(r.ctx, c->in, sizeof(c->in));
	ran = RUN(p, true, &r);
	check_fields(ran, &r.ctx[16], c->want, c->n, RMT_OP_REQUANT, c->what);
}

struct vec_case {
	u32 dtype;
	u16 nld;	/* elements loaded */
	u16 n;		/* elements the opcode works on */
	s64 in[5];
	s64 want[5];	/* relu: the vector after; argmax: want[0] */
	const char *what;
};

static const struct vec_case relu_cases[] = {
	{ RMT_DT_I8, 5, 5, { -128, -1, 0, 1, 127 }, { 0, 0, 0, 1, 127 },
	  "i8 -128, -1, 0, 1, 127" },
	{ RMT_DT_I16, 4, 4, { -32768, -300, 300, 32767 }, { 0, 0, 300, 32767 },
	  "i16 -32768, -300, 300, 32767" },
	{ RMT_DT_I32, 3, 3, { S32_MIN, -70000, 70000 }, { 0, 0, 70000 },
	  "i32 s32 min, -70000, 70000" },
	{ RMT_DT_I64, 3, 3, { S64_MIN, -1, S64_MAX }, { 0, 0, S64_MAX },
	  "i64 s64 min, -1, s64 max" },
	{ RMT_DT_I32, 3, 2, { -1, -2, -3 }, { 0, 0, -3 },
	  "only the first n elements" },
};

static void test_relu_case(const struct vec_case *c)
{
	struct rmt_insn p[] = {
		RMT_VECTOR_LD(0, c->dtype, F(0), c->nld),
		RMT_RELU(0, c->n, c->dtype),
		RMT_VECTOR_ST(0, c->dtype, F(8), c->nld),
		RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	memcpy(r.ctx, c->in, sizeof(c->in));
	ran = RUN(p, false, &r);
	check_fields(ran, &r.ctx[8], c->want, c->nld, RMT_OP_RELU, c->what);
}

static const struct vec_case argmax_cases[] = {
	{ RMT_DT_I8, 4, 4, { 3, 7, -1, 7 }, { 1 }, "i8 3, 7, -1, 7: first max wins" },
	{ RMT_DT_I16, 4, 4, { -5, 0, 32767, 40000 }, { 2 },
	  "i16 tie after saturation: first max wins" },
	{ RMT_DT_I32, 3, 3, { S32_MIN, -1, -1 }, { 1 }, "i32 all negative" },
	{ RMT_DT_I64, 2, 2, { S64_MIN, S64_MIN }, { 0 }, "i64 all equal: 0" },
	{ RMT_DT_I64, 2, 2, { -5, S64_MAX }, { 1 }, "i64 max at the last index" },
	{ RMT_DT_I32, 3, 1, { -9, 4, 5 }, { 0 }, "n = 1 gives 0" },
	{ RMT_DT_I8, 3, 2, { 1, 2, 9 }, { 1 }, "elements past n are ignored" },
};

static void test_argmax_case(const struct vec_case *c)
{
	struct rmt_insn p[] = {
		RMT_VECTOR_LD(0, c->dtype, F(0), c->nld),
		RMT_ARGMAX(0, 0, c->n, c->dtype),
		RMT_EXIT(),
	};
	struct run r = { };
	bool ran;

	memcpy(r.ctx, c->in, sizeof(c->in));
	ran = RUN(p, false, &r);
	check_val(ran, r.rc.r0, c->want[0], RMT_OP_ARGMAX, c->what);
}

static void test_scalar(void)
{
	static const struct rmt_insn idx[] = {
		RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4),
		RMT_MOV_I(1, 1), RMT_SCALAR_VAL(0, 1, 0, 4, RMT_DT_I8),
		RMT_EXIT(),
	};
	static const struct rmt_insn none[] = {
		RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4),
		RMT_SCALAR_VAL(0, NONE, 0, 4, RMT_DT_I8), RMT_EXIT(),
	};
	static const struct rmt_insn masked[] = {
		RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4),
		RMT_LDF(1, F(4)), RMT_ALU_I(AND, 1, 3),
		RMT_SCALAR_VAL(0, 1, 0, 4, RMT_DT_I8), RMT_EXIT(),
	};
	static const struct rmt_insn loop[] = {
		RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4), RMT_MOV_I(0, 0),
		RMT_LOOP(1, 4, 2),
		RMT_SCALAR_VAL(2, 1, 0, 4, RMT_DT_I8), RMT_ALU_R(ADD, 0, 2),
		RMT_ENDLOOP(1, 4, 2),
		RMT_EXIT(),
	};
	static const struct rmt_insn wide[] = {
		RMT_VECTOR_LD(16, RMT_DT_I16, F(5), 1),
		RMT_VECTOR_LD(24, RMT_DT_I32, F(5), 1),
		RMT_VECTOR_LD(32, RMT_DT_I64, F(6), 2),
		RMT_SCALAR_VAL(3, NONE, 16, 1, RMT_DT_I16), RMT_STF(F(8), 3),
		RMT_SCALAR_VAL(3, NONE, 24, 1, RMT_DT_I32), RMT_STF(F(9), 3),
		RMT_MOV_I(2, 1), RMT_SCALAR_VAL(0, 2, 32, 2, RMT_DT_I64),
		RMT_EXIT(),
	};
	struct run r = { .ctx = { 10, -3, 7, 127, 6 } };
	bool ran;

	ran = RUN(idx, false, &r);
	check_val(ran, r.rc.r0, -3, RMT_OP_SCALAR_VAL,
		  "i8 element 1 (-3) sign-extends");
	ran = RUN(none, false, &r);
	check_val(ran, r.rc.r0, 10, RMT_OP_SCALAR_VAL,
		  "no index register reads element 0");
	ran = RUN(masked, false, &r);
	check_val(ran, r.rc.r0, 7, RMT_OP_SCALAR_VAL,
		  "index 6 & 3 = 2 from a field");
	ran = RUN(loop, false, &r);
	check_val(ran, r.rc.r0, 141, RMT_OP_SCALAR_VAL,
		  "loop counter as index sums 10 - 3 + 7 + 127");
	r.ctx[5] = S32_MIN;
	r.ctx[6] = -2;
	r.ctx[7] = S64_MIN;
	ran = RUN(wide, false, &r);
	check_val(ran, r.ctx[8], -32768, RMT_OP_SCALAR_VAL,
		  "i16 -32768 sign-extends");
	check_val(ran, r.ctx[9], S32_MIN, RMT_OP_SCALAR_VAL,
		  "i32 s32 min sign-extends");
	check_val(ran, r.rc.r0, S64_MIN, RMT_OP_SCALAR_VAL,
		  "i64 element 1 at offset 32");
}

static void test_dtree(void)
{
	static const struct rmt_insn p[] = {
		RMT_VECTOR_LD(0, RMT_DT_I32, F(0), 2),
		RMT_DTREE(0, 0, 0),
		RMT_EXIT(),
	};
	static const struct {
		s64 f0, f1, want;
		const char *what;
	} cases[] = {
		{ 10, -5, -1, "f0 = 10, f1 = -5: both thresholds equal, left, left" },
		{ 10, -4, 2, "f0 = 10, f1 = -4: left, right" },
		{ -100, 100, 2, "f0 = -100, f1 = 100: left, right" },
		{ 11, -100, 300, "f0 = 11: right leaf" },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r = { .ctx = { cases[i].f0, cases[i].f1 } };
		bool ran = RUN(p, true, &r);

		check_val(ran, r.rc.r0, cases[i].want, RMT_OP_DTREE,
			  cases[i].what);
	}
}

static void test_ml(void)
{
	u32 i;

	test_matmul();
	test_bias();
	for (i = 0; i < ARRAY_SIZE(requant_cases); i++)
		test_requant_case(&requant_cases[i]);
	for (i = 0; i < ARRAY_SIZE(relu_cases); i++)
		test_relu_case(&relu_cases[i]);
	for (i = 0; i < ARRAY_SIZE(argmax_cases); i++)
		test_argmax_case(&argmax_cases[i]);
	test_scalar();
	test_dtree();
}

/* ---- helpers ---- */

struct call_case {
	s32 fn;
	s64 a;		/* r1 */
	s64 b;		/* r2 */
	s64 want;
	const char *what;
};

static const struct call_case call_cases[] = {
	{ RMT_FN_ILOG2, 0, 0, -1, "ilog2(0) = -1" },
	{ RMT_FN_ILOG2, 1, 0, 0, "ilog2(1) = 0" },
	{ RMT_FN_ILOG2, 1000, 0, 9, "ilog2(1000) = 9" },
	{ RMT_FN_ILOG2, 1023, 0, 9, "ilog2(1023) = 9" },
	{ RMT_FN_ILOG2, 1024, 0, 10, "ilog2(1024) = 10" },
	{ RMT_FN_ILOG2, S64_MIN, 0, 63, "ilog2(2^63) = 63, argument unsigned" },
	{ RMT_FN_ILOG2, -1, 0, 63, "ilog2(u64 max) = 63" },
	{ RMT_FN_MIN, -3, 4, -3, "min(-3, 4) = -3" },
	{ RMT_FN_MIN, 5, -7, -7, "min(5, -7) = -7" },
	{ RMT_FN_MIN, -1, 1, -1, "min(-1, 1) = -1, signed" },
	{ RMT_FN_MIN, S64_MIN, S64_MAX, S64_MIN, "min(s64 min, s64 max)" },
	{ RMT_FN_MIN, 8, 8, 8, "min(8, 8) = 8" },
	{ RMT_FN_MAX, -3, 4, 4, "max(-3, 4) = 4" },
	{ RMT_FN_MAX, -1, -2, -1, "max(-1, -2) = -1" },
	{ RMT_FN_MAX, -1, 1, 1, "max(-1, 1) = 1, signed" },
	{ RMT_FN_MAX, S64_MIN, S64_MAX, S64_MAX, "max(s64 min, s64 max)" },
	{ RMT_FN_ABS, -7, 0, 7, "abs(-7) = 7" },
	{ RMT_FN_ABS, 7, 0, 7, "abs(7) = 7" },
	{ RMT_FN_ABS, 0, 0, 0, "abs(0) = 0" },
	{ RMT_FN_ABS, S64_MIN + 1, 0, S64_MAX, "abs(s64 min + 1) = s64 max" },
	{ RMT_FN_ABS, S64_MIN, 0, S64_MAX, "abs(s64 min) saturates to s64 max" },
};

static void test_call_case(const struct call_case *c)
{
	struct rmt_insn p[] = {
		RMT_LDF(1, F(0)), RMT_LDF(2, F(1)),
		RMT_INSN(RMT_OP_CALL, 0, 0, 0, c->fn),
		RMT_EXIT(),
	};
	struct run r = { .ctx = { c->a, c->b } };
	bool ran = RUN(p, false, &r);

	check_val(ran, r.rc.r0, c->want, RMT_OP_CALL, c->what);
}

static u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void test_call_env(void)
{
	static const struct rmt_insn two[] = {
		RMT_INSN(RMT_OP_CALL, 0, 0, 0, 0), RMT_MOV_R(6, 0),
		RMT_INSN(RMT_OP_CALL, 0, 0, 0, 0), RMT_STF(F(1), 0),
		RMT_STF(F(0), 6), RMT_MOV_I(0, 0), RMT_EXIT(),
	};
	static const struct rmt_insn cpu[] = {
		RMT_CALL(CPU_ID), RMT_EXIT(),
	};
	struct rmt_insn p[ARRAY_SIZE(two)];
	struct run r = { };
	u64 before, after;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	bool ran;

	memcpy(p, two, sizeof(p));
	p[0].imm = p[2].imm = RMT_FN_KTIME_NS;
	before = monotonic_ns();
	ran = RUN(p, false, &r);
	after = monotonic_ns();
	ktap_check(ran && r.ctx[0] > 0 && (u64)r.ctx[0] >= before &&
		   r.ctx[1] >= r.ctx[0] && (u64)r.ctx[1] <= after,
		   "opcode call: ktime_ns nonzero, monotonic, within the run");
	p[0].imm = p[2].imm = RMT_FN_PRANDOM;
	ran = RUN(p, false, &r);
	ktap_check(ran && r.ctx[0] >= 0 && r.ctx[0] <= U32_MAX &&
		   r.ctx[1] >= 0 && r.ctx[1] <= U32_MAX && r.ctx[0] != r.ctx[1],
		   "opcode call: prandom gives two different u32 values");
	ran = RUN(cpu, false, &r);
	ktap_check(ran && r.rc.r0 >= 0 && r.rc.r0 < (ncpu > 0 ? ncpu : 1),
		   "opcode call: cpu_id %lld in [0, %ld)", (long long)r.rc.r0,
		   ncpu);
}

static void test_call_saves(void)
{
	static const struct rmt_insn p[] = {
		RMT_MOV_I(6, 123), RMT_MOV_I(10, -4), RMT_MOV_I(1, -8),
		RMT_CALL(ABS), RMT_ALU_R(ADD, 0, 6), RMT_ALU_R(ADD, 0, 10),
		RMT_EXIT(),
	};
	struct run r = { };
	bool ran = RUN(p, false, &r);

	check_val(ran, r.rc.r0, 127, RMT_OP_CALL,
		  "r6-r10 survive a call: abs(-8) + 123 - 4");
}

static void test_calls(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(call_cases); i++)
		test_call_case(&call_cases[i]);
	test_call_env();
	test_call_saves();
}

/* ---- tail calls and exit ---- */

static void test_tail_taken(void)
{
	static const struct rmt_insn entry[] = {
		RMT_MOV_I(1, 42), RMT_STF(F(0), 1), RMT_TAIL_CALL(0),
		RMT_MOV_I(0, -1), RMT_EXIT(),
	};
	static const struct rmt_insn tail[] = {
		RMT_LDF(0, F(0)), RMT_ALU_I(ADD, 0, 1), RMT_EXIT(),
	};
	struct rmt_prog *e = NULL, *t;
	struct run r = { };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	env.ntail = 1;
	t = load_prog(&env, tail, ARRAY_SIZE(tail));
	env.tail[0] = t;
	if (t)
		e = load_prog(&env, entry, ARRAY_SIZE(entry));
	if (e)
		ran = exec_prog(e, &r);
	if (ran)
		mark_covered(tail, ARRAY_SIZE(tail));
	check_val(ran && r.rc.tail_calls == 1, r.rc.r0, 43, RMT_OP_TAIL_CALL,
		  "slot 0 runs instead of the rest: 42 + 1");
	if (tier == RMT_JIT_INTERP)	/* machine code does not count */
		check_val(ran, r.rc.insns, 6, RMT_OP_TAIL_CALL,
			  "insns counts both programs: 3 + 3");
	env.tail[0] = NULL;
	ran = e && exec_prog(e, &r);
	check_val(ran && r.rc.tail_calls == 0, r.rc.r0, -1, RMT_OP_TAIL_CALL,
		  "an empty slot falls through");
	rmt_prog_free(e);
	rmt_prog_free(t);
}

/* The target zeroes its own scratch extent: nothing carries over. */
static void test_tail_scratch(void)
{
	static const struct rmt_insn entry[] = {
		RMT_ST(DW, NONE, 0, -1), RMT_TAIL_CALL(0),
		RMT_MOV_I(0, -1), RMT_EXIT(),
	};
	static const struct rmt_insn tail[] = {
		RMT_LDX(DW, 0, NONE, 0), RMT_EXIT(),
	};
	struct rmt_prog *e = NULL, *t;
	struct run r = { };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	env.ntail = 1;
	t = load_prog(&env, tail, ARRAY_SIZE(tail));
	env.tail[0] = t;
	if (t)
		e = load_prog(&env, entry, ARRAY_SIZE(entry));
	if (e)
		ran = exec_prog(e, &r);
	check_val(ran && r.rc.tail_calls == 1, r.rc.r0, 0, RMT_OP_TAIL_CALL,
		  "the target reads zeroed scratch, not the caller's stores");
	rmt_prog_free(e);
	rmt_prog_free(t);
}

/* A program that tail-calls itself: the entry run plus 8 more. */
static void test_tail_self(void)
{
	static const struct rmt_insn p[] = {
		RMT_LDF(1, F(0)), RMT_ALU_I(ADD, 1, 1), RMT_STF(F(0), 1),
		RMT_TAIL_CALL(0), RMT_MOV_I(0, 100), RMT_EXIT(),
	};
	struct run r = { };
	struct rmt_env env;
	bool ran = false;

	env_init(&env, false);
	env.ntail = 1;
	env.tail[0] = load_prog(&env, p, ARRAY_SIZE(p));
	if (env.tail[0])
		ran = exec_prog(env.tail[0], &r);
	check_val(ran && r.rc.r0 == 100 && r.rc.tail_calls == RMT_MAX_TAIL_CALLS,
		  r.ctx[0], 1 + RMT_MAX_TAIL_CALLS, RMT_OP_TAIL_CALL,
		  "self tail call runs 1 + RMT_MAX_TAIL_CALLS times, then falls through");
	rmt_prog_free(env.tail[0]);
}

/*
 * Entry -> slot 0 -> slot 1 -> ...: the call out of slot
 * RMT_MAX_TAIL_CALLS - 1 is one too many and falls through there.
 */
#define NCHAIN	(RMT_MAX_TAIL_CALLS + 2)

static void test_tail_chain(void)
{
	struct rmt_insn p[NCHAIN + 1][6];
	struct rmt_prog *entry = NULL;
	struct run r = { };
	struct rmt_env env;
	bool ok = true, ran = false;
	int k;

	env_init(&env, false);
	env.ntail = NCHAIN;
	for (k = 0; k <= NCHAIN; k++) {
		/* p[NCHAIN] is the entry, which calls slot 0 */
		p[k][0] = RMT_LDF(1, F(0));
		p[k][1] = RMT_ALU_I(ADD, 1, 1);
		p[k][2] = RMT_STF(F(0), 1);
		p[k][3] = RMT_TAIL_CALL(k == NCHAIN ? 0 : min(k + 1, NCHAIN - 1));
		p[k][4] = RMT_MOV_I(0, k == NCHAIN ? -1 : k);
		p[k][5] = RMT_EXIT();
	}
	for (k = 0; k < NCHAIN && ok; k++) {
		env.tail[k] = load_prog(&env, p[k], 6);
		ok = env.tail[k] != NULL;
	}
	if (ok)
		entry = load_prog(&env, p[NCHAIN], 6);
	if (entry)
		ran = exec_prog(entry, &r);
	check_val(ran && r.ctx[0] == 1 + RMT_MAX_TAIL_CALLS &&
		  r.rc.tail_calls == RMT_MAX_TAIL_CALLS, r.rc.r0,
		  RMT_MAX_TAIL_CALLS - 1, RMT_OP_TAIL_CALL,
		  "chain of distinct slots stops after RMT_MAX_TAIL_CALLS, in slot 7");
	rmt_prog_free(entry);
	for (k = 0; k < NCHAIN; k++)
		rmt_prog_free(env.tail[k]);
}

static void test_exit(void)
{
	static const struct rmt_insn ret[] = {
		RMT_MOV_I(0, -5), RMT_EXIT(),
	};
	static const struct rmt_insn early[] = {
		RMT_LDF(1, F(0)), RMT_MOV_I(0, 1),
		RMT_JCC_I(JNE, 1, 0, 1), RMT_EXIT(),
		RMT_STF(F(1), 1), RMT_MOV_I(0, 2), RMT_EXIT(),
	};
	struct run r = { .ctx = { 0, 99 } };
	bool ran;

	ran = RUN(ret, false, &r);
	check_val(ran, r.rc.r0, -5, RMT_OP_EXIT, "returns r0 (-5)");
	ran = RUN(early, false, &r);
	check_val(ran && r.ctx[1] == 99, r.rc.r0, 1, RMT_OP_EXIT,
		  "an exit in the middle ends the run");
	r.ctx[0] = 7;
	ran = RUN(early, false, &r);
	check_val(ran && r.ctx[1] == 7, r.rc.r0, 2, RMT_OP_EXIT,
		  "the last exit after the jump around the first");
}

/* ---- coverage ---- */

static void test_coverage(void)
{
#define CHECK_COVERED(code, name, mnem, fmt)				\
	ktap_check(covered[code], "coverage: opcode %s (0x%02x) exercised", \
		   op_name(code), code);
	RMT_OPCODES(CHECK_COVERED)
#undef CHECK_COVERED
}

/* Every test under the interpreter and under each tier this CPU runs. */
static const struct {
	u32 tier;
	u32 flags;
	const char *label;
} runs[] = {
	{ RMT_JIT_INTERP, 0, "" },
	{ RMT_JIT_SCALAR, 0, "[jit scalar] " },
	{ RMT_JIT_SCALAR, RMT_JIT_F_BLIND, "[jit scalar blinded] " },
	{ RMT_JIT_AVX2, 0, "[jit avx2] " },
	{ RMT_JIT_AVX512, 0, "[jit avx512] " },
	{ RMT_JIT_AMX, 0, "[jit amx] " },
};

static void run_all(void)
{
	test_alu();
	test_jumps();
	test_loop_counts();
	test_loop_nested();
	test_loop_exits();
	test_ldx();
	test_stx();
	test_st();
	test_fields();
	test_ctxmap_slots();
	test_ctxmap_partial();
	test_ctxmap_persist();
	test_ctxmap_evict(RMT_LD_CTXT(3, 1, 0, 0));
	test_ctxmap_evict(RMT_MATCH_CTXT(3, 1, 0));
	test_ctxmap_evict(RMT_VECTOR_LDH(0, 1, RMT_DT_I64, 0, 1));
	test_vector_ldh();
	test_vectors();
	test_ml();
	test_calls();
	test_tail_taken();
	test_tail_scratch();
	test_tail_self();
	test_tail_chain();
	test_exit();
	test_coverage();
}

int main(void)
{
	u32 k;

	ktap_begin();
	init_op_names();
	scratch = rmt_zalloc(RMT_SCRATCH_SIZE);
	model = build_model();
	if (!scratch || !model) {
		ktap_check(0, "setup: scratch and model");
		return ktap_end();
	}
	for (k = 0; k < ARRAY_SIZE(runs); k++) {
		if (!rmt_jit_tier_supported(runs[k].tier)) {
			ktap_diag("tier %s: not supported by this CPU, not run",
				  rmt_jit_tier_name(runs[k].tier));
			continue;
		}
		tier = runs[k].tier;
		jit_flags = runs[k].flags;
		ktap_prefix = runs[k].label;
		memset(covered, 0, sizeof(covered));
		run_all();
	}
	rmt_model_free(model);
	rmt_free(scratch);
	return ktap_end();
}
