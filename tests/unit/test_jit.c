// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JIT against the interpreter, and the JIT's own promises.
 *
 * Differential part: random layers (int8 and int16 matrices of many
 * shapes, most of them not multiples of a vector register, weights over
 * the whole range so that sums wrap, optional bias, requantisation to
 * each type, relu, argmax) and random decision trees run under the
 * interpreter and under every tier this CPU supports; verdict, context
 * and all 4096 scratch bytes must be identical.
 *
 * The rest: images are sealed read-only and executable with int3 in the
 * holes; constant blinding keeps immediates out of the code; AUTO falls
 * back to the interpreter with a reason when code generation fails,
 * while a forced tier is refused; the cost model's choices; the scalar
 * image a SIMD program keeps for contexts without the FPU.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "insn.h"
#include "jit_x86.h"
#include "ktap.h"

#define NFIELDS		RMT_TEST_CTX_FIELDS
#define NWRITABLE	28
#define SHAPE_CASES	300
#define TREE_CASES	60

extern int rmt_alloc_fail_countdown;

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static s64 rnd_range(s64 lo, s64 hi)
{
	return lo + (s64)(rnd() % (u64)(hi - lo + 1));
}

/* ---- a program with its model, run under one tier ---- */

struct bundle {
	struct rmt_model *model;
	struct rmt_env env;
	struct rmt_insn insns[256];
	u32 len;
	s64 ctx[NFIELDS];
};

struct outcome {
	int err;
	s64 r0;
	s64 ctx[NFIELDS];
	u8 scratch[RMT_SCRATCH_SIZE];
};

static int run_tier(struct bundle *b, u32 tier, u32 flags, struct outcome *o,
		    char *why, size_t size)
{
	struct rmt_run_ctx rc = { .ctx = o->ctx, .scratch = o->scratch };
	struct rmt_diag diag;
	struct rmt_prog *prog;

	rmt_diag_clear(&diag);
	b->env.hook = rmt_hook_schema(RMT_HOOK_TEST);
	b->env.model = b->model;
	prog = rmt_prog_load(b->insns, b->len, &b->env, RMT_MAX_BUDGET, &diag);
	if (!prog) {
		snprintf(why, size, "verifier: insn %d: %s", diag.insn, diag.msg);
		return -1;
	}
	if (rmt_prog_jit(prog, tier, flags, &diag) || prog->tier != tier) {
		snprintf(why, size, "jit %s: %s", rmt_jit_tier_name(tier), diag.msg);
		rmt_prog_free(prog);
		return -1;
	}
	memcpy(o->ctx, b->ctx, sizeof(o->ctx));
	memset(o->scratch, 0xa5, sizeof(o->scratch));
	o->err = rmt_run(prog, &rc);
	o->r0 = rc.r0;
	rmt_prog_free(prog);
	return 0;
}

static const u32 tiers[] = { RMT_JIT_SCALAR, RMT_JIT_AVX2, RMT_JIT_AVX512,
			     RMT_JIT_AMX };

/* Every supported tier equals the interpreter; names the first that differs. */
static bool same_everywhere(struct bundle *b, char *why, size_t size)
{
	static struct outcome want, got;
	u32 k, i;

	if (run_tier(b, RMT_JIT_INTERP, 0, &want, why, size))
		return false;
	for (k = 0; k < ARRAY_SIZE(tiers); k++) {
		if (!rmt_jit_tier_supported(tiers[k]))
			continue;
		if (run_tier(b, tiers[k], 0, &got, why, size))
			return false;
		if (got.err != want.err || got.r0 != want.r0) {
			snprintf(why, size, "%s: err %d r0 %lld, interpreter err %d r0 %lld",
				 rmt_jit_tier_name(tiers[k]), got.err,
				 (long long)got.r0, want.err, (long long)want.r0);
			return false;
		}
		for (i = 0; i < NFIELDS; i++)
			if (got.ctx[i] != want.ctx[i]) {
				snprintf(why, size, "%s: f%u = %lld, interpreter %lld",
					 rmt_jit_tier_name(tiers[k]), i,
					 (long long)got.ctx[i], (long long)want.ctx[i]);
				return false;
			}
		for (i = 0; i < RMT_SCRATCH_SIZE; i++)
			if (got.scratch[i] != want.scratch[i]) {
				snprintf(why, size, "%s: scratch[%u] = %#x, interpreter %#x",
					 rmt_jit_tier_name(tiers[k]), i,
					 got.scratch[i], want.scratch[i]);
				return false;
			}
	}
	return true;
}

static struct rmt_model *build_model(struct rmt_tensor_desc *t,
				     const void *const *data, u32 nt,
				     struct rmt_dtree_desc *tr,
				     const struct rmt_dtree_node *const *nodes,
				     u32 ntr)
{
	struct rmt_diag diag;
	struct rmt_model *m;
	void *blob;
	u32 len;

	blob = rmt_model_build(t, data, nt, tr, nodes, ntr, &len);
	if (!blob)
		return NULL;
	rmt_diag_clear(&diag);
	m = rmt_model_load(blob, len, &diag);
	if (!m)
		ktap_diag("model: %s", diag.msg);
	rmt_free(blob);
	return m;
}

static void emit(struct bundle *b, struct rmt_insn insn)
{
	b->insns[b->len++] = insn;
}

/* ---- random layers ---- */

struct layer {
	u32 dtype, rows, cols;
	bool bias, requant, relu, in_place;
	u32 out_dtype;
};

static void random_layer(struct layer *l, u32 n)
{
	static const u32 outs[] = { RMT_DT_I8, RMT_DT_I16, RMT_DT_I32 };
	bool big = n % 10 == 9;

	l->dtype = rnd() % 3 ? RMT_DT_I8 : RMT_DT_I16;
	l->rows = big ? rnd_range(100, 256) : rnd_range(1, 80);
	l->cols = big ? rnd_range(64, l->dtype == RMT_DT_I8 ? 256 : 200) :
			rnd_range(1, 80);
	l->bias = rnd() % 4;
	l->requant = rnd() % 3;
	l->relu = rnd() % 2;
	l->in_place = rnd() % 2;
	l->out_dtype = outs[rnd() % 3];
}

static void fill(void *p, u32 n, u32 dtype)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (dtype == RMT_DT_I8)
			((s8 *)p)[i] = (s8)rnd();
		else if (dtype == RMT_DT_I16)
			((s16 *)p)[i] = (s16)rnd();
		else
			((s32 *)p)[i] = rnd() % 4 ? (s32)rnd_range(-(1 << 20), 1 << 20) :
						     (s32)rnd();
	}
}

static u32 align64(u32 v)
{
	return (v + 63) & ~63u;
}

static bool layer_bundle(struct bundle *b, const struct layer *l)
{
	u32 es = rmt_dtype_size(l->dtype), y, q, k, qtype;
	struct rmt_tensor_desc t[2] = {
		{ .dtype = l->dtype, .rows = l->rows, .cols = l->cols,
		  .out_dtype = l->out_dtype,
		  .q_mult = rnd() % 4 ? rnd_range(1, 1000) : rnd_range(1, S32_MAX),
		  .q_shift = rnd() % 4 ? rnd_range(4, 24) : rnd_range(0, 62),
		  .q_zero = rnd_range(-100, 100) },
		{ .dtype = RMT_DT_I32, .rows = l->rows, .cols = 1 },
	};
	void *w = rmt_zalloc((size_t)l->rows * l->cols * es);
	s32 *bias = rmt_zalloc(l->rows * 4);
	const void *data[2] = { w, bias };

	if (!w || !bias)
		return false;
	fill(w, l->rows * l->cols, l->dtype);
	fill(bias, l->rows, RMT_DT_I32);
	b->model = build_model(t, data, 2, NULL, NULL, 0);
	rmt_free(w);
	rmt_free(bias);
	if (!b->model)
		return false;
	for (k = 0; k < NFIELDS; k++)
		b->ctx[k] = rnd() % 8 ? rnd_range(l->dtype == RMT_DT_I8 ? -128 : -32768,
						   l->dtype == RMT_DT_I8 ? 127 : 32767) :
					(s64)rnd();
	b->len = 0;
	for (k = 0; k * NWRITABLE < l->cols; k++)
		emit(b, RMT_VECTOR_LD(k * NWRITABLE * es, l->dtype, 0,
				      min(NWRITABLE, l->cols - k * NWRITABLE)));
	y = align64(l->cols * es);
	emit(b, RMT_MAT_MUL(y, 0, 0));
	if (l->bias)
		emit(b, RMT_BIAS_ADD(y, 1));
	q = y;
	qtype = RMT_DT_I32;
	if (l->requant) {
		q = l->in_place ? y : align64(y + 4 * l->rows);
		qtype = l->out_dtype;
		emit(b, RMT_REQUANT(q, y, 0));
	}
	if (l->relu)
		emit(b, RMT_RELU(q, l->rows, qtype));
	emit(b, RMT_ARGMAX(0, q, l->rows, qtype));
	emit(b, RMT_VECTOR_ST(y, RMT_DT_I32, 0, min(NWRITABLE, l->rows)));
	emit(b, RMT_EXIT());
	return true;
}

static void test_layers(void)
{
	u32 n, failed = 0;
	char why[160] = "";

	for (n = 0; n < SHAPE_CASES; n++) {
		struct bundle b = { 0 };
		struct layer l;

		random_layer(&l, n);
		if (!layer_bundle(&b, &l) || !same_everywhere(&b, why, sizeof(why))) {
			if (!failed++)
				ktap_diag("layer %u: i%u %ux%u bias %d requant %d->i%u relu %d in place %d: %s",
					  n, 8 * rmt_dtype_size(l.dtype), l.rows,
					  l.cols, l.bias, l.requant,
					  8 * rmt_dtype_size(l.out_dtype), l.relu,
					  l.in_place, why);
		}
		rmt_model_free(b.model);
	}
	ktap_check(!failed, "%u random layers: every tier equals the interpreter (%u differ)",
		   SHAPE_CASES, failed);
	/* Few rows, argmax straight from the accumulators: every width. */
	for (n = 0, failed = 0; n < 2 * 17; n++) {
		struct bundle b = { 0 };
		struct layer l = { .dtype = n % 2 ? RMT_DT_I16 : RMT_DT_I8,
				   .rows = 1 + n / 2, .cols = rnd_range(1, 40),
				   .bias = n % 3 != 0 };

		if (!layer_bundle(&b, &l) || !same_everywhere(&b, why, sizeof(why)))
			if (!failed++)
				ktap_diag("%u rows: %s", l.rows, why);
		rmt_model_free(b.model);
	}
	ktap_check(!failed, "layers of 1-17 rows, argmax of the products: every tier equals the interpreter");
}

/*
 * Two int8 layers, the second reading the first's requantised output
 * (which the JIT may keep in registers): wide hidden layers feeding a
 * few output rows, and the other way round.
 */
static bool mlp_bundle(struct bundle *b, u32 in, u32 hidden, u32 out)
{
	struct rmt_tensor_desc t[4] = {
		{ .dtype = RMT_DT_I8, .rows = hidden, .cols = in,
		  .out_dtype = RMT_DT_I8, .q_mult = rnd_range(1, 5),
		  .q_shift = rnd_range(6, 12), .q_zero = rnd_range(-3, 3) },
		{ .dtype = RMT_DT_I32, .rows = hidden, .cols = 1 },
		{ .dtype = RMT_DT_I8, .rows = out, .cols = hidden },
		{ .dtype = RMT_DT_I32, .rows = out, .cols = 1 },
	};
	s8 *w1 = rmt_zalloc(hidden * in), *w2 = rmt_zalloc(out * hidden);
	s32 *b1 = rmt_zalloc(4 * hidden), *b2 = rmt_zalloc(4 * out);
	const void *data[4] = { w1, b1, w2, b2 };
	u32 k, h = align64(in), y = align64(h + 4 * hidden);

	if (w1 && w2 && b1 && b2) {
		fill(w1, hidden * in, RMT_DT_I8);
		fill(w2, out * hidden, RMT_DT_I8);
		for (k = 0; k < hidden; k++)
			b1[k] = rnd_range(-5000, 5000);
		for (k = 0; k < out; k++)
			b2[k] = rnd_range(-5000, 5000);
		b->model = build_model(t, data, 4, NULL, NULL, 0);
	}
	rmt_free(w1);
	rmt_free(w2);
	rmt_free(b1);
	rmt_free(b2);
	if (!b->model)
		return false;
	for (k = 0; k < NFIELDS; k++)
		b->ctx[k] = rnd_range(-150, 150);
	for (k = 0; k * NWRITABLE < in; k++)
		emit(b, RMT_VECTOR_LD(k * NWRITABLE, RMT_DT_I8, 0,
				      min(NWRITABLE, in - k * NWRITABLE)));
	emit(b, RMT_MAT_MUL(h, 0, 0));
	emit(b, RMT_BIAS_ADD(h, 1));
	emit(b, RMT_REQUANT(h, h, 0));
	emit(b, RMT_RELU(h, hidden, RMT_DT_I8));
	emit(b, RMT_MAT_MUL(y, h, 2));
	emit(b, RMT_BIAS_ADD(y, 3));
	emit(b, RMT_ARGMAX(0, y, out, RMT_DT_I32));
	emit(b, RMT_VECTOR_ST(y, RMT_DT_I32, 0, min(NWRITABLE, out)));
	emit(b, RMT_EXIT());
	return true;
}

static void test_mlps(void)
{
	u32 n, failed = 0;
	char why[160] = "";

	for (n = 0; n < 120; n++) {
		u32 in = rnd_range(1, 60);
		u32 hidden = n % 2 ? rnd_range(60, 256) : rnd_range(1, 70);
		u32 out = n % 3 ? rnd_range(1, 4) : rnd_range(1, 40);
		struct bundle b = { 0 };

		if (!mlp_bundle(&b, in, hidden, out) ||
		    !same_everywhere(&b, why, sizeof(why)))
			if (!failed++)
				ktap_diag("mlp %u-%u-%u: %s", in, hidden, out, why);
		rmt_model_free(b.model);
	}
	ktap_check(!failed, "120 random two-layer int8 MLPs (hidden up to 256, 1-40 outputs): every tier equals the interpreter");
}

/* ---- random decision trees ---- */

static u32 random_tree(struct rmt_dtree_node *nodes, u32 max, u32 nfeat)
{
	u32 n = 1, k;

	for (k = 0; k < n; k++) {
		struct rmt_dtree_node *d = &nodes[k];

		if (n + 2 > max || (k > 0 && rnd() % 5 == 0)) {
			d->flags = RMT_DTREE_LEAF;
			d->value = (s32)rnd();
			continue;
		}
		d->feature = rnd() % nfeat;
		d->value = (s32)rnd_range(-1000, 1000);
		d->left = n++;
		d->right = n++;
	}
	return n;
}

static void test_trees(void)
{
	static struct rmt_dtree_node nodes[RMT_MAX_TREE_NODES];
	u32 n, k, failed = 0;
	char why[160] = "";

	for (n = 0; n < TREE_CASES; n++) {
		u32 nfeat = rnd_range(1, 16);
		u32 max = n == 0 ? RMT_MAX_TREE_NODES : rnd_range(1, 600);
		struct rmt_dtree_desc td = { .nfeatures = nfeat };
		const struct rmt_dtree_node *np[1] = { nodes };
		struct bundle b = { 0 };

		memset(nodes, 0, sizeof(nodes));
		td.nnodes = random_tree(nodes, max, nfeat);
		b.model = build_model(NULL, NULL, 0, &td, np, 1);
		for (k = 0; k < NFIELDS; k++)
			b.ctx[k] = rnd_range(-1200, 1200);
		emit(&b, RMT_VECTOR_LD(0, RMT_DT_I32, 0, nfeat));
		emit(&b, RMT_DTREE(0, 0, 0));
		emit(&b, RMT_EXIT());
		if (!b.model || !same_everywhere(&b, why, sizeof(why)))
			if (!failed++)
				ktap_diag("tree %u (%u nodes): %s", n, td.nnodes, why);
		rmt_model_free(b.model);
	}
	ktap_check(!failed, "%u random trees (up to %u nodes): every tier equals the interpreter",
		   TREE_CASES, RMT_MAX_TREE_NODES);
}

/* ---- loops: straight-line bodies, which the JIT may unroll ---- */

static void test_loops(void)
{
	static const u8 ops[] = { RMT_OP_ADD_R, RMT_OP_SUB_R, RMT_OP_MUL_R,
				  RMT_OP_XOR_R, RMT_OP_OR_R, RMT_OP_LSH_R,
				  RMT_OP_DIV_R, RMT_OP_MOD_R };
	u32 n, k, failed = 0;
	char why[160] = "";

	for (n = 0; n < 200; n++) {
		u32 trips = rnd_range(1, 12), body = rnd_range(1, 10);
		struct bundle b = { 0 };

		for (k = 0; k < NFIELDS; k++)
			b.ctx[k] = (s64)rnd();
		emit(&b, RMT_LDF(1, 0));
		emit(&b, RMT_LDF(2, 1));
		emit(&b, RMT_MOV_I(0, 7));
		emit(&b, RMT_MOV_I(4, 3));
		emit(&b, RMT_LOOP(3, trips, body));
		for (k = 0; k < body; k++) {
			u32 d = rnd() % 2 ? 0 : 4, src = 1 + rnd() % 4;

			if (rnd() % 5 == 0)
				emit(&b, RMT_STX(B, 3, d, 8 * k));
			else
				b.insns[b.len++] = (struct rmt_insn)RMT_INSN(
					ops[rnd() % ARRAY_SIZE(ops)], d, src, 0, 0);
		}
		emit(&b, RMT_ENDLOOP(3, trips, body));
		emit(&b, RMT_ALU_R(ADD, 0, 4));
		emit(&b, RMT_EXIT());
		if (!same_everywhere(&b, why, sizeof(why)) && !failed++)
			ktap_diag("loop %u (%u trips, %u insns): %s", n, trips,
				  body, why);
	}
	ktap_check(!failed, "200 random loops with straight-line bodies: every tier equals the interpreter");
}

/* ---- the image ---- */

static const struct rmt_insn imm_prog[] = {
	RMT_MOV_I(0, 0x1badcafe), RMT_ALU_I(XOR, 0, 0x0ddf00d5),
	RMT_JCC_I(JEQ, 0, 0x17654321, 1), RMT_ALU_I(ADD, 0, 0x2468ace0),
	RMT_ST(W, RMT_REG_NONE, 0, 0x13572468), RMT_LDX(W, 1, RMT_REG_NONE, 0),
	RMT_ALU_R(ADD, 0, 1), RMT_EXIT(),
};

static struct rmt_prog *load_imm_prog(struct rmt_env *env, u32 tier, u32 flags)
{
	struct rmt_diag diag;
	struct rmt_prog *p;

	memset(env, 0, sizeof(*env));
	env->hook = rmt_hook_schema(RMT_HOOK_TEST);
	p = rmt_prog_load(imm_prog, ARRAY_SIZE(imm_prog), env, RMT_MAX_BUDGET,
			  &diag);
	if (p && rmt_prog_jit(p, tier, flags, &diag)) {
		rmt_prog_free(p);
		return NULL;
	}
	return p;
}

static bool holds_u32(const u8 *code, u32 len, u32 v)
{
	u32 i;

	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(code + i, &v, 4))
			return true;
	return false;
}

/* Permissions of the mapping holding @p, from /proc/self/maps. */
static bool mapping_perms(const void *p, char perms[5])
{
	unsigned long lo, hi, a = (unsigned long)p;
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	bool found = false;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    a >= lo && a < hi) {
			found = true;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

static void test_image(void)
{
	struct rmt_env env;
	struct rmt_prog *p = load_imm_prog(&env, RMT_JIT_SCALAR, 0);
	const struct rmt_jit_image *img = p ? p->jit : NULL;
	char perms[5] = "";
	u32 i, holes = 0;

	ktap_check(img && mapping_perms(img->image, perms) &&
		   !strcmp(perms, "r-xp"),
		   "image: sealed read-only and executable (%s)", perms);
	for (i = img ? img->code_len : 0; img && i < ((img->code_len + 63) & ~63u); i++)
		holes += img->image[i] != 0xcc;
	ktap_check(img && img->image[img->code_len - 1] == 0xcc && !holes,
		   "image: the gap after the code is int3");
	ktap_check(img && img->addrs[0] > 0 &&
		   img->addrs[ARRAY_SIZE(imm_prog)] < img->code_len,
		   "image: instruction offsets lie between prologue and epilogue");
	ktap_check(img && holds_u32(img->image, img->code_len, 0x1badcafe) &&
		   holds_u32(img->image, img->code_len, 0x13572468),
		   "image: without blinding, immediates appear in the code");
	rmt_prog_free(p);
}

static void test_blinding(void)
{
	static const u32 imms[] = { 0x1badcafe, 0x0ddf00d5, 0x17654321,
				    0x2468ace0, 0x13572468 };
	struct rmt_env env, env2;
	struct rmt_prog *p = load_imm_prog(&env, RMT_JIT_SCALAR, RMT_JIT_F_BLIND);
	struct rmt_prog *q = load_imm_prog(&env2, RMT_JIT_INTERP, 0);
	u8 s1[RMT_SCRATCH_SIZE], s2[RMT_SCRATCH_SIZE];
	s64 c1[NFIELDS] = { 0 }, c2[NFIELDS] = { 0 };
	struct rmt_run_ctx r1 = { .ctx = c1, .scratch = s1 };
	struct rmt_run_ctx r2 = { .ctx = c2, .scratch = s2 };
	u32 k, seen = 0;
	bool ran;

	for (k = 0; p && k < ARRAY_SIZE(imms); k++)
		seen += holds_u32(p->jit->image, p->jit->code_len, imms[k]);
	ktap_check(p && p->jit && !seen,
		   "blinding: none of the program's immediates is in the code");
	ran = p && q && !rmt_run(p, &r1) && !rmt_run(q, &r2);

	ktap_check(ran && r1.r0 == r2.r0 && r2.r0,
		   "blinding: the blinded code computes what the interpreter does (%lld)",
		   (long long)r2.r0);
	rmt_prog_free(p);
	rmt_prog_free(q);
}

static void test_fallback(void)
{
	struct rmt_env env;
	struct rmt_prog *p = load_imm_prog(&env, RMT_JIT_INTERP, 0);
	struct rmt_diag diag;
	int ret;

	rmt_diag_clear(&diag);
	rmt_alloc_fail_countdown = 1;
	ret = p ? rmt_prog_jit(p, RMT_JIT_AUTO, 0, &diag) : -1;
	rmt_alloc_fail_countdown = 0;
	ktap_check(!ret && p->tier == RMT_JIT_INTERP && !p->jit &&
		   strstr(p->jit_reason, "failed"),
		   "fallback: auto with code generation failing interprets (%s)",
		   p ? p->jit_reason : "");
	rmt_diag_clear(&diag);
	rmt_alloc_fail_countdown = 1;
	ret = p ? rmt_prog_jit(p, RMT_JIT_SCALAR, 0, &diag) : 0;
	rmt_alloc_fail_countdown = 0;
	ktap_check(ret < 0 && diag.code == RMT_E_JIT && p->tier == RMT_JIT_INTERP,
		   "fallback: a forced tier that fails is refused (%s)", diag.msg);
	rmt_diag_clear(&diag);
	ret = p ? rmt_prog_jit(p, __RMT_JIT_MAX, 0, &diag) : 0;
	ktap_check(ret == -EOPNOTSUPP && diag.code == RMT_E_JIT,
		   "fallback: an unknown tier is refused (%s)", diag.msg);
	if (rmt_jit_tier_supported(RMT_JIT_AMX)) {
		ktap_check(1, "fallback: unsupported tier # SKIP this CPU has AMX");
	} else {
		rmt_diag_clear(&diag);
		ret = p ? rmt_prog_jit(p, RMT_JIT_AMX, 0, &diag) : 0;
		ktap_check(ret == -EOPNOTSUPP && strstr(diag.msg, "amx"),
			   "fallback: a tier the CPU lacks is refused (%s)", diag.msg);
	}
	rmt_prog_free(p);
}

static void test_auto(void)
{
	struct rmt_env env;
	struct rmt_prog *p = load_imm_prog(&env, RMT_JIT_AUTO, 0);
	u32 best = rmt_jit_tier_supported(RMT_JIT_AVX512) ? RMT_JIT_AVX512 :
		   rmt_jit_tier_supported(RMT_JIT_AVX2) ? RMT_JIT_AVX2 :
		   RMT_JIT_SCALAR;
	struct layer l = { .dtype = RMT_DT_I8, .rows = 32, .cols = 15 };
	struct bundle b = { 0 };
	struct rmt_diag diag;
	struct rmt_prog *q = NULL;

	ktap_check(p && p->tier == RMT_JIT_SCALAR && strstr(p->jit_reason, "no matrix"),
		   "auto: a program without matrix work gets scalar code (%s)",
		   p ? p->jit_reason : "");
	if (layer_bundle(&b, &l)) {
		b.env.hook = rmt_hook_schema(RMT_HOOK_TEST);
		b.env.model = b.model;
		q = rmt_prog_load(b.insns, b.len, &b.env, RMT_MAX_BUDGET, &diag);
	}
	if (q)
		rmt_prog_jit(q, RMT_JIT_AUTO, 0, &diag);
	ktap_check(q && q->tier == best,
		   "auto: a 32x15 layer in user space (no FPU entry cost) gets %s (%s)",
		   rmt_jit_tier_name(best), q ? q->jit_reason : "");
	ktap_check(!q || best == RMT_JIT_SCALAR || (q->jit_scalar && q->jit_scalar->tier == RMT_JIT_SCALAR),
		   "auto: a SIMD program keeps scalar code for contexts without the FPU");
	if (q && q->jit_scalar) {
		static u8 s1[RMT_SCRATCH_SIZE], s2[RMT_SCRATCH_SIZE];
		s64 c1[NFIELDS], c2[NFIELDS];
		struct rmt_run_ctx r1 = { .ctx = c1, .scratch = s1 };
		struct rmt_run_ctx r2 = { .ctx = c2, .scratch = s2 };

		memcpy(c1, b.ctx, sizeof(c1));
		memcpy(c2, b.ctx, sizeof(c2));
		ktap_check(!q->jit_scalar->entry(&r1) && !rmt_interp_run(q, &r2) &&
			   r1.r0 == r2.r0 && !memcmp(c1, c2, sizeof(c1)) &&
			   !memcmp(s1, s2, sizeof(s1)),
			   "auto: that scalar code equals the interpreter");
	}
	rmt_prog_free(p);
	rmt_prog_free(q);
	rmt_model_free(b.model);
}

/* Code that would not fit the image cap: refused when forced, never run. */
static void test_image_cap(void)
{
	struct rmt_tensor_desc t = { .dtype = RMT_DT_I8, .rows = 64, .cols = 64 };
	static s8 w[64 * 64];
	const void *data[1] = { w };
	struct bundle b = { 0 };
	struct rmt_diag diag;
	struct rmt_prog *p = NULL;
	int ret = 0;
	u32 k;

	fill(w, sizeof(w), RMT_DT_I8);
	b.model = build_model(&t, data, 1, NULL, NULL, 0);
	emit(&b, RMT_VECTOR_LD(0, RMT_DT_I8, 0, 28));
	for (k = 0; k < 200; k++)	/* 200 x 4096 MACs unrolled: > 8 MiB */
		emit(&b, RMT_MAT_MUL(64, 0, 0));
	emit(&b, RMT_MOV_I(0, 0));
	emit(&b, RMT_EXIT());
	b.env.hook = rmt_hook_schema(RMT_HOOK_TEST);
	b.env.model = b.model;
	rmt_diag_clear(&diag);
	if (b.model)
		p = rmt_prog_load(b.insns, b.len, &b.env, RMT_MAX_BUDGET, &diag);
	if (p)
		ret = rmt_prog_jit(p, RMT_JIT_SCALAR, 0, &diag);
	ktap_check(p && ret == -EINVAL && strstr(diag.msg, "8 MiB") && !p->jit,
		   "image cap: a forced scalar image over 8 MiB is refused (%s)",
		   diag.msg);
	if (p)
		ret = rmt_prog_jit(p, RMT_JIT_AUTO, 0, &diag);
	ktap_check(p && !ret && !p->jit_scalar &&
		   (p->tier == RMT_JIT_INTERP ||
		    (p->jit && strstr(p->jit_reason, "no scalar image"))),
		   "image cap: auto still loads it (%s), without a scalar image",
		   p ? p->jit_reason : "");
	rmt_prog_free(p);
	rmt_model_free(b.model);
}

int main(void)
{
	u32 k;

	ktap_begin();
	for (k = 0; k < ARRAY_SIZE(tiers); k++)
		ktap_diag("tier %s: %s", rmt_jit_tier_name(tiers[k]),
			  rmt_jit_tier_supported(tiers[k]) ? "compared" :
			  "not supported by this CPU, not run");
	test_layers();
	test_mlps();
	test_trees();
	test_loops();
	test_image();
	test_blinding();
	test_fallback();
	test_auto();
	test_image_cap();
	return ktap_end();
}
