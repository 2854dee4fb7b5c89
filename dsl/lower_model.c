// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's lowering of models: each model item becomes a model blob
 * (RMT_CMD_MODEL_NEW), and each call `m(features...)` becomes the ML
 * opcodes that run it on a feature vector built in scratch.
 *
 * Blob layout, per weight layer i in order: the weight tensor (its
 * requantisation fields convert the layer's int32 output to the next
 * layer's input type) and, if given, the bias tensor.  A dtree model is
 * one tree.
 *
 *   mlp     VECTOR_LD/LDH or stores -> per layer MAT_MUL, BIAS_ADD,
 *           REQUANT (not after the last), RELU -> ARGMAX (the class)
 *   linear  MAT_MUL, BIAS_ADD -> SCALAR_VAL (one output: the score) or
 *           ARGMAX (several: the class)
 *   dtree   int32 features -> DTREE (the leaf's value)
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "weights.h"
#include "core.h"

struct rmtc_tensor_data {
	struct rmt_tensor_desc desc[2 * RMTC_MAX_LAYERS];
	void *data[2 * RMTC_MAX_LAYERS];
	u32 n;
};

/* A weights file path, relative to the policy file that names it. */
static void rmtc_weights_path(struct rmtc_node *src, char *out, size_t len)
{
	char *dup;

	if (src->name[0] == '/' || !strchr(src->loc.file, '/')) {
		snprintf(out, len, "%s", src->name);
		return;
	}
	dup = strdup(src->loc.file);
	if (!dup)
		abort();
	snprintf(out, len, "%s/%s", dirname(dup), src->name);
	free(dup);
}

/*
 * The values of a source: inline list or file, rows x cols (0 = take
 * from the file), each within lo..hi.  NULL after reporting an error.
 */
static int64_t *rmtc_source_values(struct rmtc_lower *L, struct rmtc_node *src,
				   u32 *rows, u32 *cols, int64_t lo, int64_t hi,
				   const char *what)
{
	struct rmtc_weights w;
	struct rmtc_node *v;
	char path[4096], err[256];
	int64_t *out;
	u32 n = 0;

	if (src->kind == RMTC_N_STRING) {
		rmtc_weights_path(src, path, sizeof(path));
		if (rmtc_weights_read(path, *rows, *cols, lo, hi, &w, err, sizeof(err))) {
			RMTC_ERR(L, src, "weights files are CSV (a row per line) or NumPy .npy",
				 "%s: %s", what, err);
			return NULL;
		}
		*rows = w.rows;
		*cols = w.cols;
		return w.v;
	}
	for (v = src->a; v; v = v->next)
		n++;
	if (!*cols && *rows && n % *rows == 0)
		*cols = n / *rows;
	if (!*rows && *cols && n % *cols == 0)
		*rows = n / *cols;
	if (!*rows || !*cols || n != *rows * *cols) {
		RMTC_ERR(L, src, "give rows x inputs weights and one bias per row",
			 "%s has %u values; its shape needs %ux%u", what, n, *rows, *cols);
		return NULL;
	}
	out = calloc(n, sizeof(*out));
	if (!out)
		abort();
	for (v = src->a, n = 0; v; v = v->next, n++) {
		out[n] = (int64_t)rmtc_value(L, v);
		if (out[n] < lo || out[n] > hi) {
			RMTC_ERR(L, v, "quantise the weights to the layer's type",
				 "%s: value %lld is outside %lld..%lld", what,
				 (long long)out[n], (long long)lo, (long long)hi);
			free(out);
			return NULL;
		}
	}
	return out;
}

/* Pack values into a tensor of @dtype. */
static void *rmtc_pack(const int64_t *v, u32 n, u8 dtype)
{
	u32 size = rmt_dtype_size(dtype), i;
	char *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	for (i = 0; i < n; i++) {
		if (size == 1)
			((s8 *)p)[i] = v[i];
		else if (size == 2)
			((s16 *)p)[i] = v[i];
		else
			((s32 *)p)[i] = v[i];
	}
	return p;
}

static bool rmtc_add_tensor(struct rmtc_tensor_data *td, u8 dtype, u32 rows,
			    u32 cols, const int64_t *v)
{
	struct rmt_tensor_desc *d = &td->desc[td->n];

	memset(d, 0, sizeof(*d));
	d->dtype = dtype;
	d->rows = rows;
	d->cols = cols;
	td->data[td->n++] = rmtc_pack(v, rows * cols, dtype);
	return true;
}

static u8 rmtc_dtype(enum rmtc_tok t)
{
	return t == RMTC_T_INT16 ? RMT_DT_I16 : RMT_DT_I8;
}

static void rmtc_type_range(u8 dtype, int64_t *lo, int64_t *hi)
{
	*lo = dtype == RMT_DT_I8 ? -128 : dtype == RMT_DT_I16 ? -32768 : INT32_MIN;
	*hi = dtype == RMT_DT_I8 ? 127 : dtype == RMT_DT_I16 ? 32767 : INT32_MAX;
}

/* A weight layer (with optional bias) into tensors. */
static bool rmtc_layer_tensors(struct rmtc_lower *L, struct rmtc_model_info *mi,
			       struct rmtc_tensor_data *td, u32 i,
			       struct rmtc_node *wsrc, struct rmtc_node *bsrc)
{
	u32 rows = mi->rows[i], cols = mi->cols[i], one = 1;
	int64_t lo, hi, *w, *b;
	char what[64];

	rmtc_type_range(mi->dtype[i], &lo, &hi);
	snprintf(what, sizeof(what), "weights of layer %u", i + 1);
	w = rmtc_source_values(L, wsrc, &rows, &cols, lo, hi, what);
	if (!w)
		return false;
	mi->rows[i] = rows;
	mi->cols[i] = cols;
	rmtc_add_tensor(td, mi->dtype[i], rows, cols, w);
	free(w);
	if (!bsrc)
		return true;
	snprintf(what, sizeof(what), "bias of layer %u", i + 1);
	rmtc_type_range(RMT_DT_I32, &lo, &hi);
	b = rmtc_source_values(L, bsrc, &rows, &one, lo, hi, what);
	if (!b)
		return false;
	mi->has_bias[i] = true;
	rmtc_add_tensor(td, RMT_DT_I32, rows, 1, b);
	free(b);
	return true;
}

/* Layer options: shift N, scale N, relu. */
static void rmtc_layer_options(struct rmtc_lower *L, struct rmtc_node *layer,
			       struct rmt_tensor_desc *w, bool *relu)
{
	struct rmtc_node *o;
	u64 v;

	w->q_mult = 1;
	for (o = layer->d; o; o = o->next) {
		if (!strcmp(o->name, "relu")) {
			*relu = true;
			continue;
		}
		v = rmtc_value(L, o->a);
		if (!strcmp(o->name, "shift")) {
			if (v > 62)
				RMTC_ERR(L, o->a, "a shift is 0 to 62", "shift %llu out of range",
					 (unsigned long long)v);
			w->q_shift = v;
		} else {
			if (!v || v > INT32_MAX)
				RMTC_ERR(L, o->a, "a scale is a positive 32-bit multiplier",
					 "scale %llu out of range", (unsigned long long)v);
			w->q_mult = v;
		}
	}
}

static bool rmtc_mlp(struct rmtc_lower *L, struct rmtc_model_info *mi,
		     struct rmtc_tensor_data *td)
{
	struct rmtc_node *body = mi->node->a, *l;
	u32 inputs = rmtc_value(L, body->a), i = 0, wts[RMTC_MAX_LAYERS];

	mi->inputs = inputs;
	for (l = body->b; l; l = l->next, i++) {
		u32 wt = td->n;

		wts[i < RMTC_MAX_LAYERS ? i : 0] = wt;
		if (i == RMTC_MAX_LAYERS) {
			RMTC_ERR(L, l, "use fewer layers", "more than %d layers",
				 RMTC_MAX_LAYERS);
			return false;
		}
		mi->dtype[i] = rmtc_dtype(l->op);
		mi->rows[i] = rmtc_value(L, l->a);
		mi->cols[i] = inputs;
		if (!rmtc_layer_tensors(L, mi, td, i, l->b, l->c))
			return false;
		rmtc_layer_options(L, l, &td->desc[wt], &mi->relu[i]);
		inputs = mi->rows[i];
	}
	mi->nlayers = i;
	if (!i) {
		RMTC_ERR(L, body, "add 'layer int8 UNITS weights ...;'", "mlp without layers");
		return false;
	}
	/* each layer's weights requantise its output for the next layer */
	for (i = 0; i + 1 < mi->nlayers; i++)
		td->desc[wts[i]].out_dtype = mi->dtype[i + 1];
	td->desc[wts[i]].q_mult = 0;	/* the last layer is not requantised */
	td->desc[wts[i]].q_shift = 0;
	mi->in_dtype = mi->dtype[0];
	return true;
}

static bool rmtc_linear(struct rmtc_lower *L, struct rmtc_model_info *mi,
			struct rmtc_tensor_data *td)
{
	struct rmtc_node *body = mi->node->a;

	mi->nlayers = 1;
	mi->dtype[0] = rmtc_dtype(body->op);
	mi->rows[0] = rmtc_value(L, body->a);
	mi->cols[0] = 0;
	if (!mi->rows[0] || mi->rows[0] > RMT_MAX_DIM) {
		RMTC_ERR(L, body->a, "a linear model has 1 to 1024 outputs",
			 "%u outputs", mi->rows[0]);
		return false;
	}
	if (!rmtc_layer_tensors(L, mi, td, 0, body->b, body->c))
		return false;
	mi->inputs = mi->cols[0];
	mi->in_dtype = mi->dtype[0];
	return true;
}

/*
 * Tree nodes: one per row, "left, right, feature, value"; left = right =
 * -1 marks a leaf whose result is value (scikit-learn's convention).
 */
static bool rmtc_dtree(struct rmtc_lower *L, struct rmtc_model_info *mi,
		       struct rmt_dtree_node **out, u32 *nnodes)
{
	struct rmtc_node *body = mi->node->a;
	u32 rows = 0, cols = 4, i;
	struct rmt_dtree_node *nodes;
	int64_t *v;

	mi->inputs = rmtc_value(L, body->b);
	mi->in_dtype = RMT_DT_I32;
	if (!mi->inputs || mi->inputs > RMT_MAX_DIM) {
		RMTC_ERR(L, body->b, "a tree reads 1 to 1024 features",
			 "%u features", mi->inputs);
		return false;
	}
	v = rmtc_source_values(L, body->a, &rows, &cols, INT32_MIN, INT32_MAX,
			       "tree nodes");
	if (!v)
		return false;
	if (rows > RMT_MAX_TREE_NODES) {
		RMTC_ERR(L, body->a, "a tree has at most 4096 nodes", "%u nodes", rows);
		free(v);
		return false;
	}
	nodes = calloc(rows, sizeof(*nodes));
	if (!nodes)
		abort();
	for (i = 0; i < rows; i++) {
		int64_t *n = &v[4 * i];

		nodes[i].value = n[3];
		if (n[0] == -1 && n[1] == -1) {
			nodes[i].flags = RMT_DTREE_LEAF;
			continue;
		}
		if (n[0] <= i || n[1] <= i || n[0] >= rows || n[1] >= rows ||
		    n[2] < 0 || n[2] >= mi->inputs) {
			RMTC_ERR(L, body->a, "children come after their parent; features are 0..N-1",
				 "tree node %u: children %lld, %lld or feature %lld invalid",
				 i, (long long)n[0], (long long)n[1], (long long)n[2]);
			free(v);
			free(nodes);
			return false;
		}
		nodes[i].left = n[0];
		nodes[i].right = n[1];
		nodes[i].feature = n[2];
	}
	free(v);
	*out = nodes;
	*nnodes = rows;
	return true;
}

static void rmtc_lower_model(struct rmtc_lower *L, struct rmtc_model_info *mi)
{
	struct rmtc_tensor_data td = { .n = 0 };
	struct rmt_dtree_desc tree = { 0 };
	struct rmt_dtree_node *nodes = NULL;
	const struct rmt_dtree_node *tn[1];
	struct rmt_op *op;
	bool ok = false;
	void *blob = NULL;
	u32 len = 0, i;

	mi->kind = mi->node->a->kind;
	if (!rmtc_name_ok(L, mi->node))
		return;
	if (mi->kind == RMTC_N_MLP)
		ok = rmtc_mlp(L, mi, &td);
	else if (mi->kind == RMTC_N_LINEAR)
		ok = rmtc_linear(L, mi, &td);
	else
		ok = rmtc_dtree(L, mi, &nodes, &tree.nnodes);
	if (ok && mi->kind == RMTC_N_DTREE) {
		tree.nfeatures = mi->inputs;
		tn[0] = nodes;
		blob = rmt_model_build(NULL, NULL, 0, &tree, tn, 1, &len);
	} else if (ok) {
		blob = rmt_model_build(td.desc, (const void *const *)td.data, td.n,
				       NULL, NULL, 0, &len);
	}
	for (i = 0; i < td.n; i++)
		free(td.data[i]);
	free(nodes);
	if (!blob)
		return;
	op = rmtc_policy_add_op(L->pol, RMT_CMD_MODEL_NEW, mi->node->name);
	rmtc_op_decl(L, mi->node);
	op->model.blob = blob;
	op->model.len = len;
	mi->ok = true;
}

void rmtc_lower_models(struct rmtc_lower *L)
{
	unsigned int i;

	for (i = 0; i < L->prog->nmodels; i++) {
		L->models[i].node = L->prog->models[i];
		rmtc_lower_model(L, &L->models[i]);
	}
}

/* ---- calls ---- */

static const u8 rmtc_st_op[] = {
	[RMT_DT_I8] = RMT_OP_STXB, [RMT_DT_I16] = RMT_OP_STXH,
	[RMT_DT_I32] = RMT_OP_STXW,
};

/* Build the feature vector of a call at @x; return the count, or -1. */
static int rmtc_features(struct rmtc_fn *fn, struct rmtc_node *call,
			 struct rmtc_model_info *mi, int x)
{
	u32 esize = rmt_dtype_size(mi->in_dtype), pos = 0;
	struct rmtc_node *arg, *slot;
	int64_t lo, hi;
	int map, idx, t, k;

	rmtc_type_range(mi->in_dtype, &lo, &hi);
	for (arg = call->a; arg; arg = arg->next) {
		if (arg->kind == RMTC_N_MAPSLOT && !arg->c &&
		    (idx = rmtc_slot_index(fn, arg, &map, &slot)) == -1) {
			u32 n = slot->a->value;

			/* a whole history: newest first, saturated to the type */
			if (pos + n <= mi->inputs) {
				k = rmtc_gen_expr(fn, arg->a);
				rmtc_set_loc(fn, arg);
				rmtc_emit(fn, RMT_OP_VECTOR_LDH, 0, k, x + pos * esize,
					  RMT_IMM_PACK8(n, 0, map, mi->in_dtype));
				rmtc_free(fn, k);
			}
			pos += n;
			continue;
		}
		t = rmtc_gen_expr(fn, arg);
		if (pos < mi->inputs) {
			rmtc_set_loc(fn, arg);
			rmtc_emit(fn, RMT_OP_JSLE_I, t, 0, 1, (s32)hi);
			rmtc_emit(fn, RMT_OP_MOV_I, t, 0, 0, (s32)hi);
			rmtc_emit(fn, RMT_OP_JSGE_I, t, 0, 1, (s32)lo);
			rmtc_emit(fn, RMT_OP_MOV_I, t, 0, 0, (s32)lo);
			rmtc_emit(fn, rmtc_st_op[mi->in_dtype], RMT_REG_NONE, t,
				  x + pos * esize, 0);
		}
		rmtc_free(fn, t);
		pos++;
	}
	if (pos != mi->inputs) {
		rmtc_fn_error(fn, call, "a history slot gives all its elements; other arguments one each",
			      "model '%s' takes %u features; this call gives %u",
			      call->name, mi->inputs, pos);
		return -1;
	}
	return pos;
}

static int rmtc_run_layers(struct rmtc_fn *fn, struct rmtc_node *call,
			   struct rmtc_model_info *mi, int x)
{
	u32 i, tensor = 0;
	int y = 0, r;

	rmtc_set_loc(fn, call);
	for (i = 0; i < mi->nlayers; i++) {
		u32 wt = tensor++, rows = mi->rows[i];

		y = rmtc_scratch(fn, call, rows * 4, 8);
		rmtc_emit(fn, RMT_OP_MAT_MUL, 0, 0, y, RMT_IMM_PACK16(x, wt));
		if (mi->has_bias[i])
			rmtc_emit(fn, RMT_OP_BIAS_ADD, 0, 0, y, tensor++);
		if (i + 1 < mi->nlayers) {
			u8 next = mi->dtype[i + 1];

			x = rmtc_scratch(fn, call, rows * rmt_dtype_size(next), 8);
			rmtc_emit(fn, RMT_OP_REQUANT, 0, 0, x, RMT_IMM_PACK16(y, wt));
			if (mi->relu[i])
				rmtc_emit(fn, RMT_OP_RELU, 0, 0, x, RMT_IMM_PACK16(next, rows));
		} else if (mi->relu[i]) {
			rmtc_emit(fn, RMT_OP_RELU, 0, 0, y, RMT_IMM_PACK16(RMT_DT_I32, rows));
		}
	}
	r = rmtc_temp(fn, call);
	i = mi->nlayers - 1;
	if (mi->kind == RMTC_N_LINEAR && mi->rows[i] == 1)
		rmtc_emit(fn, RMT_OP_SCALAR_VAL, r, RMT_REG_NONE, y,
			  RMT_IMM_PACK16(RMT_DT_I32, 1));
	else
		rmtc_emit(fn, RMT_OP_ARGMAX, r, 0, y, RMT_IMM_PACK16(RMT_DT_I32, mi->rows[i]));
	return r;
}

/**
 * rmtc_model_call() - lower `model(features...)`
 * @fn: the action
 * @call: the call expression
 * @model: the model item
 *
 * Return: a temporary holding the model's answer.
 */
int rmtc_model_call(struct rmtc_fn *fn, struct rmtc_node *call,
		    struct rmtc_node *model)
{
	struct rmtc_lower *L = fn->L;
	struct rmtc_model_info *mi = NULL;
	int x, r;
	u32 i;

	for (i = 0; i < L->prog->nmodels; i++)
		if (L->models[i].node == model)
			mi = &L->models[i];
	if (!mi || !mi->ok)
		return rmtc_temp(fn, call);	/* its errors are reported */
	if (fn->model >= 0 && &L->models[fn->model] != mi) {
		rmtc_fn_error(fn, call, "call one model per action; chain actions with tables",
			      "action '%s' already calls model '%s'", fn->action->name,
			      L->models[fn->model].node->name);
		return rmtc_temp(fn, call);
	}
	fn->model = mi - L->models;
	x = rmtc_scratch(fn, call, mi->inputs * rmt_dtype_size(mi->in_dtype), 8);
	if (rmtc_features(fn, call, mi, x) < 0)
		return rmtc_temp(fn, call);
	if (mi->kind != RMTC_N_DTREE)
		return rmtc_run_layers(fn, call, mi, x);
	r = rmtc_temp(fn, call);
	rmtc_set_loc(fn, call);
	rmtc_emit(fn, RMT_OP_DTREE, r, 0, x, 0);
	return r;
}
