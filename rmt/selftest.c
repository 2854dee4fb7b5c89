// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core self-test: small programs with hand-computed results,
 * covering each group of the ISA.  The same table runs in rmt.ko at
 * load and in the user-space unit tests, and both print KTAP lines with
 * the values they got, so a run in each can be compared line by line.
 */
#include "core.h"
#include "insn.h"

#define F(n)	(n)		/* context field n */
#define NONE	RMT_REG_NONE

struct rmt_selftest_case {
	const char *name;
	const struct rmt_insn *insns;
	u32 len;
	const struct rmt_insn *tail;	/* TAIL_CALL slot 0, or NULL */
	u32 tail_len;
	bool model;
	bool ctxmap;
	s64 ctx[RMT_TEST_CTX_FIELDS];
	s64 r0;
	int field;			/* output field to check, or -1 */
	s64 field_val;
};

#define PROG(p)	p, ARRAY_SIZE(p)

/*
 * mlp_wide's verdict and its third output (fields 20-27 get the first
 * eight), worked out independently of ml.c:
 *   y_r = relu(sat8((3 * (sum_c w_rc x_c + b_r) + 256) >> 9))
 * gives y = 0, 9, 35, 0, 0, 12, 27, 12, ... and 35 is the first maximum.
 */
#define WIDE_R0		2
#define WIDE_F22	35

static const struct rmt_insn st_alu[] = {
	RMT_MOV_I(1, 7), RMT_MOV_I(2, 3),
	RMT_MOV_R(0, 1), RMT_ALU_R(MUL, 0, 2), RMT_ALU_I(ADD, 0, 10),
	RMT_ALU_I(SUB, 0, 4), RMT_ALU_I(DIV, 0, 2),		/* 13 */
	RMT_ALU_I(XOR, 0, 0xff), RMT_ALU_I(AND, 0, 0xf0),	/* 240 */
	RMT_ALU_I(OR, 0, 1), RMT_ALU_I(LSH, 0, 2),		/* 964 */
	RMT_ALU_I(RSH, 0, 1), RMT_ALU_I(MOD, 0, 100),		/* 82 */
	RMT_MOV_I(3, 64), RMT_NEG(3), RMT_ALU_I(ARSH, 3, 3),	/* -8 */
	RMT_ALU_R(ADD, 0, 3),					/* 74 */
	RMT_EXIT(),
};

static const struct rmt_insn st_div0[] = {
	RMT_MOV_I(1, 5), RMT_MOV_I(2, 0),
	RMT_MOV_R(3, 1), RMT_ALU_R(DIV, 3, 2),			/* 0 */
	RMT_MOV_R(4, 1), RMT_ALU_R(MOD, 4, 2),			/* 5 */
	RMT_MOV_R(0, 3), RMT_ALU_I(MUL, 0, 10), RMT_ALU_R(ADD, 0, 4),
	RMT_EXIT(),
};

static const struct rmt_insn st_loop[] = {
	RMT_MOV_I(0, 0),
	RMT_LOOP(1, 10, 1), RMT_ALU_R(ADD, 0, 1), RMT_ENDLOOP(1, 10, 1),
	RMT_LOOP(2, 3, 3),
	RMT_LOOP(3, 4, 1), RMT_ALU_I(ADD, 0, 1), RMT_ENDLOOP(3, 4, 1),
	RMT_ENDLOOP(2, 3, 3),
	RMT_EXIT(),						/* 45 + 12 */
};

static const struct rmt_insn st_branch[] = {
	RMT_MOV_I(0, 0), RMT_LDF(1, F(0)),
	RMT_JCC_I(JGT, 1, 3, 1), RMT_ALU_I(ADD, 0, 100), RMT_ALU_I(ADD, 0, 1),
	RMT_LDF(2, F(1)),
	RMT_JCC_I(JSLT, 2, 0, 1), RMT_ALU_I(ADD, 0, 1000), RMT_ALU_I(ADD, 0, 10),
	RMT_EXIT(),
};

static const struct rmt_insn st_scratch[] = {
	RMT_LOOP(1, 8, 3),
	RMT_MOV_R(2, 1), RMT_ALU_I(MUL, 2, 3), RMT_STX(B, 1, 2, 0),
	RMT_ENDLOOP(1, 8, 3),
	RMT_MOV_I(0, 0),
	RMT_LOOP(1, 8, 2),
	RMT_LDX(B, 3, 1, 0), RMT_ALU_R(ADD, 0, 3),
	RMT_ENDLOOP(1, 8, 2),					/* 84 */
	RMT_ST(DW, NONE, 16, 0x12345678),
	RMT_LDX(H, 5, NONE, 16), RMT_ALU_R(ADD, 0, 5),		/* + 0x5678 */
	RMT_EXIT(),
};

static const struct rmt_insn st_fields[] = {
	RMT_LDF(1, F(0)), RMT_LDF(2, F(1)), RMT_ALU_R(ADD, 1, 2),
	RMT_STF(F(2), 1), RMT_MOV_I(0, 0),
	RMT_EXIT(),
};

static const struct rmt_insn st_ctxmap[] = {
	RMT_LDF(1, F(0)),
	RMT_MOV_I(2, 100), RMT_ST_CTXT(1, 2, 0, 0),
	RMT_MOV_I(2, 1), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_MOV_I(2, 2), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_MOV_I(2, 3), RMT_ST_CTXT(1, 2, 0, RMT_CTXT_PUSH),
	RMT_LD_CTXT(3, 1, 0, 0), RMT_LD_CTXT(4, 1, 0, RMT_CTXT_HIST(0)),
	RMT_LD_CTXT(5, 1, 0, RMT_CTXT_HIST(2)),
	RMT_MOV_R(0, 4), RMT_ALU_I(MUL, 0, 10), RMT_ALU_R(ADD, 0, 3),
	RMT_ALU_R(ADD, 0, 5),					/* 131 */
	RMT_MOV_R(6, 1), RMT_ALU_I(ADD, 6, 1), RMT_MATCH_CTXT(6, 6, 0),
	RMT_ALU_I(MUL, 6, 1000), RMT_ALU_R(ADD, 0, 6),		/* + 0 */
	RMT_VECTOR_LDH(0, 1, RMT_DT_I32, 0, 3),			/* 3, 2, 1 */
	RMT_MOV_I(8, 1), RMT_SCALAR_VAL(7, 8, 0, 3, RMT_DT_I32),
	RMT_ALU_I(MUL, 7, 10000), RMT_ALU_R(ADD, 0, 7),		/* + 20000 */
	RMT_EXIT(),
};

static const struct rmt_insn st_helpers[] = {
	RMT_MOV_I(1, 1000), RMT_CALL(ILOG2), RMT_MOV_R(6, 0),
	RMT_MOV_I(1, -3), RMT_MOV_I(2, 4), RMT_CALL(MIN), RMT_MOV_R(7, 0),
	RMT_MOV_I(1, -3), RMT_MOV_I(2, 4), RMT_CALL(MAX), RMT_MOV_R(8, 0),
	RMT_MOV_I(1, -7), RMT_CALL(ABS), RMT_MOV_R(9, 0),
	RMT_MOV_R(0, 6), RMT_ALU_I(MUL, 0, 1000),
	RMT_ALU_I(MUL, 8, 100), RMT_ALU_R(ADD, 0, 8),
	RMT_ALU_I(MUL, 9, 10), RMT_ALU_R(ADD, 0, 9),
	RMT_ALU_I(ADD, 7, 3), RMT_ALU_R(ADD, 0, 7),		/* 9470 */
	RMT_EXIT(),
};

static const struct rmt_insn st_tail0[] = {
	RMT_MOV_I(1, 42), RMT_STF(F(0), 1), RMT_TAIL_CALL(0),
	RMT_MOV_I(0, -1), RMT_EXIT(),
};

static const struct rmt_insn st_tail1[] = {
	RMT_LDF(0, F(0)), RMT_ALU_I(ADD, 0, 1), RMT_EXIT(),
};

/* x (i8, fields 0-3) -> 3 hidden (relu) -> 2 logits -> argmax. */
static const struct rmt_insn st_mlp[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 4),
	RMT_MAT_MUL(8, 0, 0), RMT_BIAS_ADD(8, 1), RMT_REQUANT(8, 8, 0),
	RMT_RELU(8, 3, RMT_DT_I8),
	RMT_MAT_MUL(32, 8, 2), RMT_BIAS_ADD(32, 3),
	RMT_ARGMAX(0, 32, 2, RMT_DT_I32),
	RMT_VECTOR_ST(32, RMT_DT_I32, F(8), 2),
	RMT_EXIT(),
};

/*
 * A layer wider than one vector register and not a multiple of one
 * (37 rows, 19 columns), so the JIT's SIMD tiers run their tail code.
 */
static const struct rmt_insn st_wide[] = {
	RMT_VECTOR_LD(0, RMT_DT_I8, F(0), 19),
	RMT_MAT_MUL(64, 0, 4), RMT_BIAS_ADD(64, 5), RMT_REQUANT(64, 64, 4),
	RMT_RELU(64, 37, RMT_DT_I8),
	RMT_ARGMAX(0, 64, 37, RMT_DT_I8),
	RMT_VECTOR_ST(64, RMT_DT_I8, F(20), 8),
	RMT_EXIT(),
};

static const struct rmt_insn st_dtree[] = {
	RMT_VECTOR_LD(0, RMT_DT_I32, F(0), 2),
	RMT_DTREE(0, 0, 0),
	RMT_EXIT(),
};

static const struct rmt_selftest_case rmt_selftest_cases[] = {
	{ "alu", PROG(st_alu), .r0 = 74, .field = -1 },
	{ "div_by_zero_defined", PROG(st_div0), .r0 = 5, .field = -1 },
	{ "loops", PROG(st_loop), .r0 = 57, .field = -1 },
	{ "branches", PROG(st_branch), .ctx = { 5, -1 }, .r0 = 11,
	  .field = -1 },
	{ "scratch", PROG(st_scratch), .r0 = 84 + 0x5678, .field = -1 },
	{ "context_fields", PROG(st_fields), .ctx = { 30, 12 }, .r0 = 0,
	  .field = 2, .field_val = 42 },
	{ "context_map", PROG(st_ctxmap), .ctxmap = true, .ctx = { 77 },
	  .r0 = 20131, .field = -1 },
	{ "helpers", PROG(st_helpers), .r0 = 9470, .field = -1 },
	{ "tail_call", PROG(st_tail0), PROG(st_tail1), .r0 = 43, .field = 0,
	  .field_val = 42 },
	{ "mlp_int8", PROG(st_mlp), .model = true, .ctx = { 10, -20, 30, 5 },
	  .r0 = 1, .field = 9, .field_val = 75 },
	{ "dtree", PROG(st_dtree), .model = true, .ctx = { 50, 5 },
	  .r0 = 300, .field = -1 },
	{ "mlp_wide", PROG(st_wide), .model = true,
	  .ctx = { 10, -20, 30, 5, 7, -3, 100, -128, 127, 0, 1, 2, -5, 60,
		   -60, 90, -90, 33, -33 },
	  .r0 = WIDE_R0, .field = 22, .field_val = WIDE_F22 },
};

static const s8 st_w1[] = { 1, 2, 0, -1,  0, -1, 1, 2,  -2, 0, 1, 1 };
static const s32 st_b1[] = { 5, -10, 1 };
static const s8 st_w2[] = { 1, 2, 3,  3, -1, 0 };
static const s32 st_b2[] = { 0, 100 };
static const struct rmt_dtree_node st_tree[] = {
	{ .value = 10, .feature = 0, .left = 1, .right = 2 },
	{ .value = 100, .flags = RMT_DTREE_LEAF },
	{ .value = 0, .feature = 1, .left = 3, .right = 4 },
	{ .value = 200, .flags = RMT_DTREE_LEAF },
	{ .value = 300, .flags = RMT_DTREE_LEAF },
};

#define WIDE_ROWS	37
#define WIDE_COLS	19

static void rmt_selftest_wide(s32 *b, s8 *w)
{
	u32 r, c;

	for (r = 0; r < WIDE_ROWS; r++) {
		for (c = 0; c < WIDE_COLS; c++)
			w[r * WIDE_COLS + c] = (s8)((r * 7 + c * 13) % 31 - 15);
		b[r] = (s32)(r * 37 % 101) - 50;
	}
}

static struct rmt_model *rmt_selftest_model(struct rmt_diag *diag)
{
	struct rmt_tensor_desc t[] = {
		{ .dtype = RMT_DT_I8, .rows = 3, .cols = 4,
		  .out_dtype = RMT_DT_I8, .q_mult = 1, .q_shift = 1 },
		{ .dtype = RMT_DT_I32, .rows = 3, .cols = 1 },
		{ .dtype = RMT_DT_I8, .rows = 2, .cols = 3 },
		{ .dtype = RMT_DT_I32, .rows = 2, .cols = 1 },
		{ .dtype = RMT_DT_I8, .rows = WIDE_ROWS, .cols = WIDE_COLS,
		  .out_dtype = RMT_DT_I8, .q_mult = 3, .q_shift = 9 },
		{ .dtype = RMT_DT_I32, .rows = WIDE_ROWS, .cols = 1 },
	};
	s32 *wide = rmt_zalloc(WIDE_ROWS * 4 + WIDE_ROWS * WIDE_COLS);
	const void *tdata[] = { st_w1, st_b1, st_w2, st_b2,
				wide + WIDE_ROWS, wide };
	struct rmt_dtree_desc trees[] = { { .nnodes = 5, .nfeatures = 2 } };
	const struct rmt_dtree_node *const nodes[] = { st_tree };
	struct rmt_model *m;
	void *blob;
	u32 len;

	if (!wide)
		return NULL;
	rmt_selftest_wide(wide, (s8 *)(wide + WIDE_ROWS));
	blob = rmt_model_build(t, tdata, ARRAY_SIZE(t), trees, nodes, 1, &len);
	rmt_free(wide);
	if (!blob)
		return NULL;
	m = rmt_model_load(blob, len, diag);
	rmt_free(blob);
	return m;
}

struct rmt_selftest_env {
	struct rmt_env env;
	struct rmt_prog *prog;
	struct rmt_prog *tail;
	u8 *scratch;
};

static void rmt_selftest_release(struct rmt_selftest_env *e)
{
	rmt_prog_free(e->prog);
	rmt_prog_free(e->tail);
	rmt_ctxmap_free(e->env.maps[0]);
	rmt_model_free((struct rmt_model *)e->env.model);
	rmt_free(e->scratch);
}

static int rmt_selftest_one(const struct rmt_selftest_case *c,
			    struct rmt_selftest_env *e, struct rmt_diag *diag,
			    struct rmt_run_ctx *rc, u32 tier)
{
	int err;

	static const struct rmt_ctxmap_desc mapd = {
		.nvals = 2, .hist_len = 4, .max_entries = 16,
		.key_kind = RMT_KEY_PID,
	};
	u64 budget = rmt_hook_schema(RMT_HOOK_TEST)->budget;

	e->env.hook = rmt_hook_schema(RMT_HOOK_TEST);
	e->scratch = rmt_zalloc(RMT_SCRATCH_SIZE);
	if (c->model)
		e->env.model = rmt_selftest_model(diag);
	if (c->ctxmap) {
		e->env.maps[0] = rmt_ctxmap_create(&mapd, diag);
		e->env.nmaps = 1;
	}
	if (!e->scratch || (c->model && !e->env.model) ||
	    (c->ctxmap && !e->env.maps[0]))
		return -ENOMEM;
	if (c->tail) {
		e->env.ntail = 1;
		e->tail = rmt_prog_load(c->tail, c->tail_len, &e->env, budget,
					diag);
		if (!e->tail)
			return -EINVAL;
		e->env.tail[0] = e->tail;
		err = rmt_prog_jit(e->tail, tier, 0, diag);
		if (err)
			return err;
	}
	e->prog = rmt_prog_load(c->insns, c->len, &e->env, budget, diag);
	if (!e->prog)
		return -EINVAL;
	err = rmt_prog_jit(e->prog, tier, 0, diag);
	if (err)
		return err;
	rc->scratch = e->scratch;
	return rmt_run(e->prog, rc);
}

/* One run of case @c under @tier: verdict, context and scratch after. */
struct rmt_selftest_out {
	int err;
	s64 r0;
	s64 ctx[RMT_TEST_CTX_FIELDS];
	u8 scratch[RMT_SCRATCH_SIZE];
	char msg[sizeof(((struct rmt_diag *)0)->msg)];
};

static void rmt_selftest_exec(const struct rmt_selftest_case *c, u32 tier,
			      struct rmt_selftest_out *out)
{
	struct rmt_selftest_env e = { { 0 } };
	struct rmt_run_ctx rc = { .ctx = out->ctx };
	struct rmt_diag diag;

	memcpy(out->ctx, c->ctx, sizeof(out->ctx));
	rmt_diag_clear(&diag);
	out->err = rmt_selftest_one(c, &e, &diag, &rc, tier);
	out->r0 = rc.r0;
	if (e.scratch)
		memcpy(out->scratch, e.scratch, RMT_SCRATCH_SIZE);
	memcpy(out->msg, diag.msg, sizeof(out->msg));
	rmt_selftest_release(&e);
}

/*
 * The case again under every JIT tier this CPU runs: verdict, context
 * and scratch must equal the interpreter's.  The line does not name
 * the tiers, so that machines with different CPUs print the same report.
 */
static bool rmt_selftest_jit(const struct rmt_selftest_case *c, u32 n,
			     rmt_selftest_report_t report, void *arg)
{
	struct rmt_selftest_out *want = rmt_zalloc(2 * sizeof(*want));
	struct rmt_selftest_out *got = want + 1;
	bool ok = want != NULL;
	u32 tier;

	if (want)
		rmt_selftest_exec(c, RMT_JIT_INTERP, want);
	for (tier = RMT_JIT_SCALAR; ok && tier < __RMT_JIT_MAX; tier++) {
		if (!rmt_jit_tier_supported(tier))
			continue;
		rmt_selftest_exec(c, tier, got);
		if (got->err != want->err || got->r0 != want->r0 ||
		    memcmp(got->ctx, want->ctx, sizeof(got->ctx)) ||
		    memcmp(got->scratch, want->scratch, RMT_SCRATCH_SIZE)) {
			report(arg, "not ok %u %s_jit # tier %s: err %d r0=%lld, interpreter err %d r0=%lld %s",
			       n, c->name, rmt_jit_tier_name(tier), got->err,
			       (long long)got->r0, want->err,
			       (long long)want->r0, got->msg);
			ok = false;
		}
	}
	if (ok)
		report(arg, "ok %u %s_jit # every JIT tier equals the interpreter",
		       n, c->name);
	else if (!want)
		report(arg, "not ok %u %s_jit # out of memory", n, c->name);
	rmt_free(want);
	return ok;
}

/**
 * rmt_selftest_run() - run every self-test case, reporting KTAP lines
 * @report: printf-like sink for one line (without newline)
 * @arg: passed to @report
 *
 * Return: the number of failed cases.
 */
int rmt_selftest_run(rmt_selftest_report_t report, void *arg)
{
	u32 i, n = ARRAY_SIZE(rmt_selftest_cases);
	int failed = 0;

	report(arg, "KTAP version 1");
	report(arg, "1..%u", 2 * n);
	for (i = 0; i < n; i++) {
		const struct rmt_selftest_case *c = &rmt_selftest_cases[i];
		struct rmt_selftest_env e = { { 0 } };
		s64 ctx[RMT_TEST_CTX_FIELDS];
		struct rmt_run_ctx rc = { .ctx = ctx };
		struct rmt_diag diag;
		s64 got = 0;
		int err;

		memcpy(ctx, c->ctx, sizeof(ctx));
		rmt_diag_clear(&diag);
		err = rmt_selftest_one(c, &e, &diag, &rc, RMT_JIT_INTERP);
		if (c->field >= 0)
			got = ctx[c->field];
		if (err) {
			report(arg, "not ok %u %s # error %d: %s", i + 1, c->name,
			       err, diag.msg);
			failed++;
		} else if (rc.r0 != c->r0 || (c->field >= 0 && got != c->field_val)) {
			report(arg, "not ok %u %s # r0=%lld (want %lld) f%d=%lld (want %lld)",
			       i + 1, c->name, (long long)rc.r0, (long long)c->r0,
			       c->field, (long long)got, (long long)c->field_val);
			failed++;
		} else {
			report(arg, "ok %u %s # r0=%lld insns=%llu", i + 1, c->name,
			       (long long)rc.r0, (unsigned long long)rc.insns);
		}
		rmt_selftest_release(&e);
	}
	for (i = 0; i < n; i++)
		if (!rmt_selftest_jit(&rmt_selftest_cases[i], n + i + 1, report,
				      arg))
			failed++;
	return failed;
}
