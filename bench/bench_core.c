// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core benchmark: what running a program through the interpreter
 * (rmt_run, with the ML reference kernels) costs next to plain C doing
 * the same work, on three workloads:
 *
 *   empty           r0 = 0; exit            ns per run
 *   scalar-loop     a 1000-trip ALU loop    ns per executed instruction
 *   mlp-15-32-32-2  an int8 MLP             ns per inference
 *
 * Each is measured chained (every run's input is picked by the previous
 * run's result, so runs cannot overlap: latency) and independent
 * (throughput).  The C versions are called through a volatile function
 * pointer and read their inputs from memory the compiler cannot see
 * into, so they cannot be folded.  They are built without
 * auto-vectorisation (see bench.mk), like the reference kernels in
 * practice are, so that the ratio measures interpretation, not SIMD.
 *
 * Usage: bench_core [OUTDIR]   writes OUTDIR/core.md and OUTDIR/core.json
 */
#include <stdio.h>
#include <stdlib.h>

#include "core.h"
#include "insn.h"
#include "harness.h"

#define NR_INPUTS	64		/* input vectors, a power of two */
#define NR_CHECKS	500		/* random inputs the MLPs must agree on */
#define LOOP_TRIPS	1000
#define LOOP_MASK	0xffffff

/* Called through a pointer only; bench.mk turns auto-vectorisation off. */
#define C_SCALAR	__attribute__((noinline))

static s64 inputs[NR_INPUTS][RMT_TEST_CTX_FIELDS];

static u64 bench_rand_state = 0x243f6a8885a308d3ULL;

/* Fixed-seed xorshift: the same weights and inputs in every run. */
static u64 bench_rand(void)
{
	u64 x = bench_rand_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return bench_rand_state = x;
}

static s64 bench_rand_range(s64 lo, s64 hi)
{
	return lo + (s64)(bench_rand() % (u64)(hi - lo + 1));
}

/* ---- the programs ---- */

static const struct rmt_insn prog_empty[] = {
	RMT_MOV_I(0, 0), RMT_EXIT(),
};

static const struct rmt_insn prog_loop[] = {
	RMT_LDF(1, 0), RMT_LDF(2, 1), RMT_MOV_I(0, 0),
	RMT_LOOP(3, LOOP_TRIPS, 5),
	RMT_MOV_R(4, 3), RMT_ALU_R(MUL, 4, 1), RMT_ALU_R(XOR, 0, 4),
	RMT_ALU_R(ADD, 0, 2), RMT_ALU_I(AND, 0, LOOP_MASK),
	RMT_ENDLOOP(3, LOOP_TRIPS, 5),
	RMT_EXIT(),
};

/* Tensors of the MLP and where its vectors live in scratch. */
enum { T_W1, T_B1, T_W2, T_B2, T_W3, T_B3, NR_TENSORS };

#define MLP_IN		15
#define MLP_H		32
#define MLP_OUT		2
#define S_X		0	/* i8[15] */
#define S_H1		16	/* i32[32], then i8[32] in place */
#define S_H2		144	/* i32[32], then i8[32] in place */
#define S_Y		272	/* i32[2] */
#define Q_MULT		3
#define Q_SHIFT		9
#define Q_ZERO		(-2)

static const struct rmt_insn prog_mlp[] = {
	RMT_VECTOR_LD(S_X, RMT_DT_I8, 0, MLP_IN),
	RMT_MAT_MUL(S_H1, S_X, T_W1), RMT_BIAS_ADD(S_H1, T_B1),
	RMT_REQUANT(S_H1, S_H1, T_W1), RMT_RELU(S_H1, MLP_H, RMT_DT_I8),
	RMT_MAT_MUL(S_H2, S_H1, T_W2), RMT_BIAS_ADD(S_H2, T_B2),
	RMT_REQUANT(S_H2, S_H2, T_W2), RMT_RELU(S_H2, MLP_H, RMT_DT_I8),
	RMT_MAT_MUL(S_Y, S_H2, T_W3), RMT_BIAS_ADD(S_Y, T_B3),
	RMT_ARGMAX(0, S_Y, MLP_OUT, RMT_DT_I32),
	RMT_EXIT(),
};

/* ---- the same work in C ---- */

struct mlp {
	s8 w1[MLP_H][MLP_IN];
	s32 b1[MLP_H];
	s8 w2[MLP_H][MLP_H];
	s32 b2[MLP_H];
	s8 w3[MLP_OUT][MLP_H];
	s32 b3[MLP_OUT];
};

/* What the C MLP computes on the way, to compare with the scratch. */
struct mlp_state {
	s8 x[MLP_IN];
	s8 h1[MLP_H];
	s8 h2[MLP_H];
	s32 y[MLP_OUT];
};

static struct mlp mlp;

static s64 C_SCALAR c_empty(const s64 *in)
{
	return 0;
}

static s64 C_SCALAR c_loop(const s64 *in)
{
	const volatile s64 *v = in;
	u64 a = v[0], b = v[1], r0 = 0, i;

	for (i = 0; i < LOOP_TRIPS; i++) {
		r0 ^= i * a;
		r0 += b;
		r0 &= LOOP_MASK;
	}
	return r0;
}

static s8 c_sat8(s64 v)
{
	return v < S8_MIN ? S8_MIN : v > S8_MAX ? S8_MAX : v;
}

/* Wrapping int8 dot product plus bias, as MAT_MUL then BIAS_ADD. */
static s32 c_dot_bias(const s8 *w, const s8 *x, u32 n, s32 bias)
{
	s32 acc = 0;
	u32 i;

	for (i = 0; i < n; i++)
		acc += (s32)w[i] * (s32)x[i];
	return (s32)((u32)acc + (u32)bias);
}

/* REQUANT to int8 (round half up, zero point, saturate), then RELU. */
static s8 c_requant_relu(s32 acc)
{
	s64 v = (s64)acc * Q_MULT + (1LL << (Q_SHIFT - 1));
	s8 q = c_sat8((v >> Q_SHIFT) + Q_ZERO);

	return q < 0 ? 0 : q;
}

static u32 c_mlp_infer(const s64 *in, struct mlp_state *s)
{
	u32 r, i;

	for (i = 0; i < MLP_IN; i++)
		s->x[i] = c_sat8(in[i]);
	for (r = 0; r < MLP_H; r++)
		s->h1[r] = c_requant_relu(c_dot_bias(mlp.w1[r], s->x, MLP_IN,
						     mlp.b1[r]));
	for (r = 0; r < MLP_H; r++)
		s->h2[r] = c_requant_relu(c_dot_bias(mlp.w2[r], s->h1, MLP_H,
						     mlp.b2[r]));
	for (r = 0; r < MLP_OUT; r++)
		s->y[r] = c_dot_bias(mlp.w3[r], s->h2, MLP_H, mlp.b3[r]);
	return s->y[1] > s->y[0];	/* argmax, first maximum */
}

static s64 C_SCALAR c_mlp(const s64 *in)
{
	struct mlp_state s;

	return c_mlp_infer(in, &s);
}

/* ---- batches ---- */

struct interp_case {
	const struct rmt_prog *prog;
	u8 *scratch;
};

/* Chained: the next input vector depends on this run's verdict. */
static void interp_batch(void *arg, uint64_t n, bool chained)
{
	const struct interp_case *c = arg;
	struct rmt_run_ctx rc = { .scratch = c->scratch };
	u64 i, idx = 0;

	for (i = 0; i < n; i++) {
		idx = (idx + 1 + (chained ? (u64)rc.r0 : 0)) & (NR_INPUTS - 1);
		rc.ctx = inputs[idx];
		rmt_run(c->prog, &rc);
		bench_sink = rc.r0;
	}
}

struct c_case {
	s64 (*volatile fn)(const s64 *in);
};

static void c_batch(void *arg, uint64_t n, bool chained)
{
	struct c_case *c = arg;
	u64 i, idx = 0;
	s64 r = 0;

	for (i = 0; i < n; i++) {
		idx = (idx + 1 + (chained ? (u64)r : 0)) & (NR_INPUTS - 1);
		r = c->fn(inputs[idx]);
		bench_sink = r;
	}
}

/* ---- set-up and checks ---- */

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "bench_core: %s\n", what);
	exit(1);
}

static void fill_s8(s8 *v, u32 n, s64 lo, s64 hi)
{
	while (n--)
		*v++ = bench_rand_range(lo, hi);
}

static void fill_s32(s32 *v, u32 n, s64 lo, s64 hi)
{
	while (n--)
		*v++ = bench_rand_range(lo, hi);
}

static struct rmt_model *mlp_model(void)
{
	struct rmt_tensor_desc t[NR_TENSORS] = {
		[T_W1] = { .dtype = RMT_DT_I8, .rows = MLP_H, .cols = MLP_IN,
			   .out_dtype = RMT_DT_I8, .q_mult = Q_MULT,
			   .q_shift = Q_SHIFT, .q_zero = Q_ZERO },
		[T_B1] = { .dtype = RMT_DT_I32, .rows = MLP_H, .cols = 1 },
		[T_W2] = { .dtype = RMT_DT_I8, .rows = MLP_H, .cols = MLP_H,
			   .out_dtype = RMT_DT_I8, .q_mult = Q_MULT,
			   .q_shift = Q_SHIFT, .q_zero = Q_ZERO },
		[T_B2] = { .dtype = RMT_DT_I32, .rows = MLP_H, .cols = 1 },
		[T_W3] = { .dtype = RMT_DT_I8, .rows = MLP_OUT, .cols = MLP_H },
		[T_B3] = { .dtype = RMT_DT_I32, .rows = MLP_OUT, .cols = 1 },
	};
	const void *const tdata[NR_TENSORS] = {
		mlp.w1, mlp.b1, mlp.w2, mlp.b2, mlp.w3, mlp.b3,
	};
	struct rmt_dtree_desc no_trees[1];
	struct rmt_model *m;
	struct rmt_diag diag;
	void *blob;
	u32 len;

	fill_s8(&mlp.w1[0][0], sizeof(mlp.w1), -64, 63);
	fill_s32(mlp.b1, MLP_H, -2000, 2000);
	fill_s8(&mlp.w2[0][0], sizeof(mlp.w2), -64, 63);
	fill_s32(mlp.b2, MLP_H, -2000, 2000);
	fill_s8(&mlp.w3[0][0], sizeof(mlp.w3), -64, 63);
	fill_s32(mlp.b3, MLP_OUT, -2000, 2000);
	blob = rmt_model_build(t, tdata, NR_TENSORS, no_trees, NULL, 0, &len);
	if (!blob)
		die("out of memory");
	rmt_diag_clear(&diag);
	m = rmt_model_load(blob, len, &diag);
	rmt_free(blob);
	if (!m)
		die(diag.msg);
	return m;
}

static struct rmt_prog *load(const struct rmt_insn *insns, u32 len,
			     const struct rmt_env *env)
{
	struct rmt_diag diag;
	struct rmt_prog *prog;

	rmt_diag_clear(&diag);
	prog = rmt_prog_load(insns, len, env, env->hook->budget, &diag);
	if (!prog)
		die(diag.msg);
	return prog;
}

/* Fields 0-14 feed the MLP; some fall outside int8 to test saturation. */
static void random_input(s64 *ctx)
{
	u32 i;

	for (i = 0; i < RMT_TEST_CTX_FIELDS; i++)
		ctx[i] = bench_rand_range(-200, 200);
}

/* One run; returns the instructions it executed. */
static u64 run_once(const struct rmt_prog *prog, s64 *ctx, u8 *scratch,
		    s64 *r0)
{
	struct rmt_run_ctx rc = { .ctx = ctx, .scratch = scratch };

	if (rmt_run(prog, &rc))
		die("rmt_run failed");
	*r0 = rc.r0;
	return rc.insns;
}

/* Interpreter and C must agree, down to the hidden layers. */
static void check_mlp(const struct rmt_prog *prog, u8 *scratch)
{
	s64 ctx[RMT_TEST_CTX_FIELDS], r0;
	struct mlp_state s;
	u32 i;

	for (i = 0; i < NR_CHECKS; i++) {
		random_input(ctx);
		run_once(prog, ctx, scratch, &r0);
		if (r0 != c_mlp_infer(ctx, &s) ||
		    memcmp(scratch + S_H1, s.h1, sizeof(s.h1)) ||
		    memcmp(scratch + S_H2, s.h2, sizeof(s.h2)) ||
		    memcmp(scratch + S_Y, s.y, sizeof(s.y))) {
			fprintf(stderr, "input %u: interp r0 %lld, C %u\n", i,
				(long long)r0, c_mlp_infer(ctx, &s));
			die("interpreter and C MLP disagree");
		}
	}
}

static void check_loop(const struct rmt_prog *prog, u8 *scratch)
{
	s64 r0;
	u32 i;

	for (i = 0; i < NR_INPUTS; i++) {
		run_once(prog, inputs[i], scratch, &r0);
		if (r0 != c_loop(inputs[i]))
			die("interpreter and C loop disagree");
	}
}

struct core_bench {
	struct rmt_env env;
	u8 *scratch;
	struct interp_case empty;
	struct interp_case loop;
	struct interp_case mlp;
	u64 loop_insns;		/* executed by one run of prog_loop */
};

static void core_setup(struct core_bench *b)
{
	u32 i;
	s64 r0;

	b->env = (struct rmt_env){ .hook = rmt_hook_schema(RMT_HOOK_TEST) };
	b->scratch = aligned_alloc(64, RMT_SCRATCH_SIZE);
	if (!b->scratch)
		die("out of memory");
	b->env.model = mlp_model();
	for (i = 0; i < NR_INPUTS; i++)
		random_input(inputs[i]);
	b->empty.prog = load(prog_empty, ARRAY_SIZE(prog_empty), &b->env);
	b->loop.prog = load(prog_loop, ARRAY_SIZE(prog_loop), &b->env);
	b->mlp.prog = load(prog_mlp, ARRAY_SIZE(prog_mlp), &b->env);
	b->empty.scratch = b->loop.scratch = b->mlp.scratch = b->scratch;
	check_loop(b->loop.prog, b->scratch);
	check_mlp(b->mlp.prog, b->scratch);
	b->loop_insns = run_once(b->loop.prog, inputs[0], b->scratch, &r0);
}

static void core_teardown(struct core_bench *b)
{
	rmt_prog_free((struct rmt_prog *)b->empty.prog);
	rmt_prog_free((struct rmt_prog *)b->loop.prog);
	rmt_prog_free((struct rmt_prog *)b->mlp.prog);
	rmt_model_free((struct rmt_model *)b->env.model);
	free(b->scratch);
}

int main(int argc, char **argv)
{
	static struct c_case c_empty_case = { c_empty };
	static struct c_case c_loop_case = { c_loop };
	static struct c_case c_mlp_case = { c_mlp };
	static struct core_bench b;
	/* scalar-loop is per instruction; C's time is divided alike. */
	struct bench_item items[] = {
		{ "empty", "interp", interp_batch, &b.empty, 1 },
		{ "empty", "c-scalar", c_batch, &c_empty_case, 1 },
		{ "scalar-loop", "interp", interp_batch, &b.loop },
		{ "scalar-loop", "c-scalar", c_batch, &c_loop_case },
		{ "mlp-15-32-32-2", "interp", interp_batch, &b.mlp, 1 },
		{ "mlp-15-32-32-2", "c-scalar", c_batch, &c_mlp_case, 1 },
	};
	struct bench_row rows[ARRAY_SIZE(items)];
	char note[256];
	struct bench_report report = {
		.suite = "core",
		.dir = argc > 1 ? argv[1] : "build/bench",
		.baseline = "c-scalar",
		.ratio_title = "ratio interp/c-scalar",
		.note = note,
		.rows = rows,
		.nrows = ARRAY_SIZE(rows),
	};

	core_setup(&b);
	items[2].ops_per_run = items[3].ops_per_run = b.loop_insns;
	if (bench_measure(items, ARRAY_SIZE(items), rows))
		die("out of memory");
	snprintf(note, sizeof(note),
		 "ns per run; scalar-loop: ns per executed instruction (%llu per run). ratio: latency / throughput.",
		 (unsigned long long)b.loop_insns);
	core_teardown(&b);
	return bench_report_write(&report) ? 1 : 0;
}
