// SPDX-License-Identifier: GPL-2.0-only
/*
 * The jit suite's workloads (see jit_workloads.h): weights, trees and
 * inputs from a fixed-seed LCG, written out as RMT assembly in the
 * syntax of examples/mlp-15-32-32-2.rasm and assembled with lib/asm.c, so that the
 * programs the benchmark runs are what a user would write.
 *
 * Weights are int8 in -16..16 and biases small, and each hidden layer is
 * requantised with a shift that keeps typical activations well inside
 * int8 (a few saturate, as in real models).
 */
#include <stdio.h>
#include <stdlib.h>

#include "asm.h"
#include "jit_workloads.h"

#define JIT_SEED	0x5eed0f2a7c1dULL
#define JIT_SEQ_SEED	0x5e9f00d5eedULL
#define JIT_W_MAX	16
#define JIT_B_MAX	300
#define JIT_X_MAX	200	/* input fields are in -200..200 */
#define JIT_LEAF_P	30	/* % of nodes below depth 3 that are leaves */

struct jit_layer_spec {
	u32 rows;
	u32 cols;
	bool bias;
	bool requant;
	struct jit_q q;
};

struct jit_spec {
	const char *name;
	u32 nlayers;
	struct jit_layer_spec l[JIT_MAX_LAYERS];
};

static const struct jit_spec jit_specs[JIT_NR_WL] = {
	[JIT_WL_MLP] = { "mlp-15-32-32-2", 3, {
		{ JIT_MLP_H, JIT_MLP_IN, true, true, { 3, 8, -2 } },
		{ JIT_MLP_H, JIT_MLP_H, true, true, { 1, 6, 0 } },
		{ JIT_MLP_OUT, JIT_MLP_H, true, false } } },
	[JIT_WL_MLLB] = { "mllb-15-10-1", 2, {
		{ JIT_MLLB_H, JIT_MLLB_IN, true, true, { 3, 8, 0 } },
		{ JIT_MLLB_OUT, JIT_MLLB_H, true, false } } },
	[JIT_WL_LINNOS] = { "linnos-31-256-2", 2, {
		{ JIT_LINNOS_H, JIT_LINNOS_IN, true, true, { 1, 7, 0 } },
		{ JIT_LINNOS_OUT, JIT_LINNOS_H, true, false } } },
	[JIT_WL_MATVEC] = { "matvec-64", 1, {
		{ JIT_MATVEC_N, JIT_MATVEC_N, false, false } } },
	[JIT_WL_DTREE] = { "dtree-12" },
	[JIT_WL_LOOP] = { "scalar-loop" },
	[JIT_WL_EMPTY] = { "empty" },
};

u8 jit_seq[JIT_SEQ_LEN];

/* Knuth's MMIX LCG; the high bits are the good ones. */
static u64 jit_lcg(u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static s64 jit_range(u64 *s, s64 lo, s64 hi)
{
	return lo + (s64)(jit_lcg(s) % (u64)(hi - lo + 1));
}

/**
 * jit_random_input() - one input row for a workload
 * @wl: the workload
 * @seed: LCG state
 * @ctx: receives JIT_CTX_FIELDS fields
 *
 * Fields are in -200..200, so some int8 features saturate; matvec-64
 * reads the bytes of fields 0-7, which are full 64-bit random values.
 */
void jit_random_input(const struct jit_workload *wl, u64 *seed, s64 *ctx)
{
	u32 i;

	for (i = 0; i < JIT_CTX_FIELDS; i++)
		ctx[i] = jit_range(seed, -JIT_X_MAX, JIT_X_MAX);
	if (wl->id != JIT_WL_MATVEC)
		return;
	for (i = 0; i < JIT_MATVEC_N / 8; i++)
		ctx[i] = (s64)(jit_lcg(seed) << 40 ^ jit_lcg(seed) << 20 ^
			       jit_lcg(seed));
}

/* Every row JIT_SEQ_LEN / JIT_NR_INPUTS times, shuffled (Fisher-Yates). */
static void jit_seq_init(void)
{
	u64 seed = JIT_SEQ_SEED;
	u32 i, j;
	u8 t;

	for (i = 0; i < JIT_SEQ_LEN; i++)
		jit_seq[i] = i % JIT_NR_INPUTS;
	for (i = JIT_SEQ_LEN - 1; i > 0; i--) {
		j = jit_lcg(&seed) % (i + 1);
		t = jit_seq[i];
		jit_seq[i] = jit_seq[j];
		jit_seq[j] = t;
	}
}

/* ---- weights and trees ---- */

static int jit_layers_fill(struct jit_workload *wl, const struct jit_spec *sp,
			   u64 *seed)
{
	u32 l, i;

	for (l = 0; l < sp->nlayers; l++) {
		struct jit_dense *d = &wl->layers[l];

		*d = (struct jit_dense){ sp->l[l].rows, sp->l[l].cols };
		d->requant = sp->l[l].requant;
		d->q = sp->l[l].q;
		d->w = malloc(d->rows * d->cols);
		d->b = sp->l[l].bias ? calloc(d->rows, sizeof(s32)) : NULL;
		if (!d->w || (sp->l[l].bias && !d->b))
			return -ENOMEM;
		for (i = 0; i < d->rows * d->cols; i++)
			d->w[i] = jit_range(seed, -JIT_W_MAX, JIT_W_MAX);
		for (i = 0; d->b && i < d->rows; i++)
			d->b[i] = jit_range(seed, -JIT_B_MAX, JIT_B_MAX);
		wl->macs += (u64)d->rows * d->cols;
	}
	wl->nlayers = sp->nlayers;
	return 0;
}

/*
 * Grow a tree in preorder (children after their parent): full down to
 * depth 3, then each node is a leaf with JIT_LEAF_P % probability; the
 * leftmost path always reaches JIT_DT_DEPTH, where every node is a leaf.
 */
static int jit_tree_grow(struct jit_workload *wl, u64 *seed, u32 depth,
			 bool spine)
{
	struct rmt_dtree_node *nd;
	u32 me = wl->nnodes;
	int child;

	if (me == JIT_DT_MAX_NODES)
		return -E2BIG;
	nd = &wl->nodes[wl->nnodes++];
	if (depth == JIT_DT_DEPTH ||
	    (!spine && depth >= 3 && jit_range(seed, 0, 99) < JIT_LEAF_P)) {
		nd->flags = RMT_DTREE_LEAF;
		nd->value = jit_range(seed, -1000, 1000);
		return me;
	}
	nd->feature = jit_range(seed, 0, JIT_DT_FEATURES - 1);
	nd->value = jit_range(seed, -150, 150);
	child = jit_tree_grow(wl, seed, depth + 1, spine);
	if (child < 0)
		return child;
	wl->nodes[me].left = child;
	child = jit_tree_grow(wl, seed, depth + 1, false);
	if (child < 0)
		return child;
	wl->nodes[me].right = child;
	return me;
}

/* ---- assembly ---- */

static void jit_emit_tensor(FILE *f, const char *name, const char *dtype,
			    u32 rows, u32 cols, const s8 *w8, const s32 *w32,
			    const struct jit_q *q)
{
	u32 r, c;

	fprintf(f, ".tensor %s %s %ux%u", name, dtype, rows, cols);
	if (q)
		fprintf(f, " out=i8 mult=%d shift=%d zero=%d", q->mult,
			q->shift, q->zero);
	fprintf(f, "\n");
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++)
			fprintf(f, "%s%d", c ? ", " : "\t",
				w8 ? w8[r * cols + c] : w32[r * cols + c]);
		fprintf(f, "\n");
	}
	fprintf(f, ".end\n");
}

/* Scratch offset of layer @l's int32 output, 64-byte aligned. */
static u32 jit_layer_off(const struct jit_workload *wl, u32 l)
{
	u32 off = 64, i;

	for (i = 0; i < l; i++)
		off += (wl->layers[i].rows * 4 + 63) & ~63u;
	return off;
}

/* The int8 input: saturated fields, or matvec's packed bytes. */
static void jit_emit_input(FILE *f, const struct jit_workload *wl)
{
	u32 i, n = JIT_MATVEC_N / 8;

	if (wl->id != JIT_WL_MATVEC) {
		fprintf(f, "\tvld 0, i8, f0, %u\n", wl->layers[0].cols);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "\tldf r%u, f%u\n", i + 1, i);
	for (i = 0; i < n; i++)
		fprintf(f, "\tstxdw [%u], r%u\n", 8 * i, i + 1);
}

static void jit_emit_model(FILE *f, const struct jit_workload *wl)
{
	u32 l;

	for (l = 0; l < wl->nlayers; l++) {
		const struct jit_dense *d = &wl->layers[l];
		char wn[8], bn[8];

		snprintf(wn, sizeof(wn), "W%u", l + 1);
		snprintf(bn, sizeof(bn), "B%u", l + 1);
		jit_emit_tensor(f, wn, "i8", d->rows, d->cols, d->w, NULL,
				d->requant ? &d->q : NULL);
		if (d->b)
			jit_emit_tensor(f, bn, "i32", d->rows, 1, NULL, d->b,
					NULL);
	}
}

static void jit_emit_layers(FILE *f, struct jit_workload *wl)
{
	u32 l, in = 0, out = 0;

	jit_emit_input(f, wl);
	for (l = 0; l < wl->nlayers; l++) {
		const struct jit_dense *d = &wl->layers[l];

		out = jit_layer_off(wl, l);
		fprintf(f, "\tmatmul %u, %u, W%u\n", out, in, l + 1);
		if (d->b)
			fprintf(f, "\tbias %u, B%u\n", out, l + 1);
		if (d->requant) {
			fprintf(f, "\trequant %u, %u, W%u\n", out, out, l + 1);
			fprintf(f, "\trelu %u, %u, i8\n", out, d->rows);
		}
		in = out;
	}
	wl->out_off = out;
	wl->out_len = wl->layers[wl->nlayers - 1].rows;
	if (wl->out_len > 1) {
		fprintf(f, "\targmax r0, %u, %u, i32\n", out, wl->out_len);
		return;
	}
	/* one output: r0 = y > 0, without a branch */
	fprintf(f, "\tscalar r0, -, %u, 1, i32\n\tneg r0\n\trshi r0, 63\n", out);
}

static void jit_emit_tree(FILE *f, struct jit_workload *wl)
{
	u32 i;

	fprintf(f, ".tree T features=%u\n", JIT_DT_FEATURES);
	for (i = 0; i < wl->nnodes; i++) {
		const struct rmt_dtree_node *nd = &wl->nodes[i];

		if (nd->flags & RMT_DTREE_LEAF)
			fprintf(f, "\tleaf %d\n", nd->value);
		else
			fprintf(f, "\tsplit %u, %d, %u, %u\n", nd->feature,
				nd->value, nd->left, nd->right);
	}
	fprintf(f, ".end\n.prog dtree\n\tvld 0, i32, f0, %u\n\tdtree r0, 0, T\n",
		JIT_DT_FEATURES);
}

/*
 * r0 += ((i * a) ^ b) & mask for i in 0..63: five ALU instructions a
 * trip, of which only the add carries from one trip to the next, so
 * that compiled code can overlap the trips and an interpreter cannot.
 */
static const char jit_loop_text[] =
	".prog loop\n"
	"\tldf r1, f0\n"
	"\tldf r2, f1\n"
	"\tmovi r0, 0\n"
	"\tloop r3, %u, e\n"
	"b:\tmov r4, r3\n"
	"\tmul r4, r1\n"
	"\txor r4, r2\n"
	"\tandi r4, %u\n"
	"\tadd r0, r4\n"
	"e:\tendloop r3, %u, b\n";

/* The program's source text, into wl->text. */
static int jit_emit(struct jit_workload *wl)
{
	size_t size;
	FILE *f = open_memstream(&wl->text, &size);

	if (!f)
		return -ENOMEM;
	fprintf(f, "; %s, generated by bench/jit_workloads.c\n.hook test\n",
		wl->name);
	switch (wl->id) {
	case JIT_WL_DTREE:
		jit_emit_tree(f, wl);
		break;
	case JIT_WL_LOOP:
		fprintf(f, jit_loop_text, JIT_LOOP_TRIPS, JIT_LOOP_MASK,
			JIT_LOOP_TRIPS);
		break;
	case JIT_WL_EMPTY:
		fprintf(f, ".prog empty\n\tmovi r0, 0\n");
		break;
	default:
		jit_emit_model(f, wl);
		fprintf(f, ".prog %s\n", wl->id == JIT_WL_MATVEC ? "matvec" : "mlp");
		jit_emit_layers(f, wl);
	}
	fprintf(f, "\texit\n");
	return fclose(f) ? -ENOMEM : 0;
}

/* ---- assembling and loading ---- */

static int jit_assemble(struct jit_workload *wl, char *err, size_t errlen)
{
	struct rmt_asm_error aerr;
	struct rmt_diag diag;
	struct rmt_bundle b;
	struct rmt_model *m = NULL;

	if (rmt_asm_parse(wl->text, &b, &aerr)) {
		snprintf(err, errlen, "%s: line %u: %s", wl->name, aerr.line,
			 aerr.msg);
		return -EINVAL;
	}
	rmt_diag_clear(&diag);
	if (b.model && !(m = rmt_model_load(b.model, b.model_len, &diag))) {
		snprintf(err, errlen, "%s: model: %s", wl->name, diag.msg);
		rmt_bundle_release(&b);
		return -EINVAL;
	}
	wl->env = (struct rmt_env){ .hook = rmt_hook_schema(b.hook),
				    .model = m };
	wl->len = b.progs[0].len;
	wl->insns = malloc(wl->len * sizeof(*wl->insns));
	if (wl->insns)
		memcpy(wl->insns, b.progs[0].insns, wl->len * sizeof(*wl->insns));
	rmt_bundle_release(&b);
	if (!wl->insns)
		return -ENOMEM;
	if (m && m->ntrees && m->trees[0].depth != JIT_DT_DEPTH) {
		snprintf(err, errlen, "%s: tree depth %u, not %u", wl->name,
			 m->trees[0].depth, JIT_DT_DEPTH);
		return -EINVAL;
	}
	return 0;
}

/**
 * jit_workload_load() - verify and load a fresh copy of the program
 * @wl: the workload
 * @diag: receives the verifier's rejection
 *
 * Return: the program (free with rmt_prog_free()), or NULL.
 */
struct rmt_prog *jit_workload_load(const struct jit_workload *wl,
				   struct rmt_diag *diag)
{
	rmt_diag_clear(diag);
	return rmt_prog_load(wl->insns, wl->len, &wl->env,
			     wl->env.hook->budget, diag);
}

static int jit_cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return (x > y) - (x < y);
}

/*
 * What the output layer's bias must add so that about half the rows get
 * each verdict, as a trained classifier's would: the median of y1 - y0
 * (argmax of two) or of y (y > 0), on the interpreter.  Random weights
 * alone give verdicts a branch predictor could guess nine times in ten.
 */
static int jit_balance_shift(const struct jit_workload *wl, s64 *shift)
{
	struct rmt_run_ctx rc = { 0 };
	s64 v[JIT_NR_INPUTS];
	struct rmt_prog *prog;
	struct rmt_diag diag;
	u32 i;

	prog = jit_workload_load(wl, &diag);
	rc.scratch = calloc(1, RMT_SCRATCH_SIZE);
	if (!prog || !rc.scratch) {
		rmt_prog_free(prog);
		free(rc.scratch);
		return -EINVAL;
	}
	for (i = 0; i < JIT_NR_INPUTS; i++) {
		const s32 *y = (const s32 *)(rc.scratch + wl->out_off);

		rc.ctx = (s64 *)wl->inputs[i];
		rmt_interp_run(prog, &rc);
		v[i] = wl->out_len == 2 ? (s64)y[1] - y[0] : y[0];
	}
	rmt_prog_free(prog);
	free(rc.scratch);
	qsort(v, JIT_NR_INPUTS, sizeof(v[0]), jit_cmp_s64);
	*shift = -(v[JIT_NR_INPUTS / 2 - 1] + v[JIT_NR_INPUTS / 2]) / 2;
	return 0;
}

/* Move the output bias by the balancing shift, then assemble again. */
static int jit_balance(struct jit_workload *wl, char *err, size_t errlen)
{
	struct jit_dense *d = &wl->layers[wl->nlayers - 1];
	s64 shift;

	if (!d->b || wl->out_len > 2)
		return 0;
	if (jit_balance_shift(wl, &shift)) {
		snprintf(err, errlen, "%s: cannot run the program", wl->name);
		return -EINVAL;
	}
	d->b[wl->out_len - 1] = (s32)(d->b[wl->out_len - 1] + shift);
	rmt_model_free((struct rmt_model *)wl->env.model);
	free(wl->insns);
	free(wl->text);
	wl->text = NULL;
	if (jit_emit(wl)) {
		snprintf(err, errlen, "%s: out of memory", wl->name);
		return -ENOMEM;
	}
	return jit_assemble(wl, err, errlen);
}

static int jit_workload_init(struct jit_workload *wl, u32 id, u64 *seed,
			     char *err, size_t errlen)
{
	const struct jit_spec *sp = &jit_specs[id];
	int ret = 0;
	u32 i;

	wl->id = id;
	wl->name = sp->name;
	wl->out_off = -1;
	if (sp->nlayers)
		ret = jit_layers_fill(wl, sp, seed);
	if (!ret && id == JIT_WL_DTREE) {
		wl->nodes = calloc(JIT_DT_MAX_NODES, sizeof(*wl->nodes));
		ret = wl->nodes ? jit_tree_grow(wl, seed, 0, true) : -ENOMEM;
		ret = ret < 0 ? ret : 0;
	}
	for (i = 0; !ret && i < JIT_NR_INPUTS; i++)
		jit_random_input(wl, seed, wl->inputs[i]);
	if (!ret)
		ret = jit_emit(wl);
	if (ret) {
		snprintf(err, errlen, "%s: %s", wl->name, strerror(-ret));
		return ret;
	}
	ret = jit_assemble(wl, err, errlen);
	return ret || !sp->nlayers ? ret : jit_balance(wl, err, errlen);
}

/**
 * jit_workloads_init() - build every workload
 * @wls: JIT_NR_WL workloads, zeroed
 * @err: receives what went wrong
 * @errlen: its size
 *
 * Return: 0, or a negative errno with @err set.
 */
int jit_workloads_init(struct jit_workload *wls, char *err, size_t errlen)
{
	u64 seed = JIT_SEED;
	u32 id;
	int ret;

	jit_seq_init();
	for (id = 0; id < JIT_NR_WL; id++) {
		ret = jit_workload_init(&wls[id], id, &seed, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

void jit_workloads_free(struct jit_workload *wls)
{
	u32 id, l;

	for (id = 0; id < JIT_NR_WL; id++) {
		struct jit_workload *wl = &wls[id];

		for (l = 0; l < wl->nlayers; l++) {
			free(wl->layers[l].w);
			free(wl->layers[l].b);
		}
		rmt_model_free((struct rmt_model *)wl->env.model);
		free(wl->nodes);
		free(wl->text);
		free(wl->insns);
	}
}
