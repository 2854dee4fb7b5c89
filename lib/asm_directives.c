// SPDX-License-Identifier: GPL-2.0-only
/*
 * Assembler directives: the parts of a bundle that are not instructions
 * (hook, budget, test input, context maps, tensors, trees, programs).
 */
#include <ctype.h>

#include "asm_internal.h"

/* "key=value" arguments of .ctxmap and .tensor. */
static int parse_kv(struct rmt_asm *a, char *tok, const char *key, char **val)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return 0;
	*val = tok + n + 1;
	return 1;
}

static char *next_word(char **s)
{
	char *w = skip_space(*s), *e = w;

	while (*e && !isspace((unsigned char)*e))
		e++;
	if (*e)
		*e++ = '\0';
	*s = e;
	return w;
}

static int dtype_of(struct rmt_asm *a, char *w, u32 *dt)
{
	int i = lookup_name(rmt_asm_dtypes, 5, w);

	if (i < 0)
		return asm_error(a, w, "unknown element type '%s' (use i8, i16, i32 or i64)",
				 w);
	*dt = (u32)i;
	return 0;
}

static int parse_ctxmap(struct rmt_asm *a, char *s)
{
	struct rmt_ctxmap_desc d = { .max_entries = 1024 };
	char *name = next_word(&s), *w, *v;
	s64 n;

	if (!is_ident(name))
		return asm_error(a, name, ".ctxmap needs a name");
	if (a->b->nmaps == RMT_MAX_CTXMAPS)
		return asm_error(a, name, "more than %d context maps", RMT_MAX_CTXMAPS);
	while (*(w = next_word(&s))) {
		if (parse_kv(a, w, "key", &v)) {
			int k = lookup_name(rmt_asm_keys, 5, v);

			if (k < 0)
				return asm_error(a, v, "unknown key kind '%s'", v);
			d.key_kind = (u32)k;
			continue;
		}
		if (parse_kv(a, w, "nvals", &v) || parse_kv(a, w, "hist", &v) ||
		    parse_kv(a, w, "max", &v)) {
			if (parse_ranged(a, v, 0, U32_MAX, &n))
				return -EINVAL;
			if (w[0] == 'n')
				d.nvals = (u32)n;
			else if (w[0] == 'h')
				d.hist_len = (u32)n;
			else
				d.max_entries = (u32)n;
			continue;
		}
		return asm_error(a, w, "unknown .ctxmap argument '%s'", w);
	}
	a->b->maps[a->b->nmaps] = d;
	return add_sym(a, name, name, a->b->nmaps++, false);
}

static int parse_tensor_head(struct rmt_asm *a, char *s)
{
	struct rmt_tensor_desc *t = &a->tensors[a->ntensors];
	char *name = next_word(&s), *w, *v, *x;
	u32 dt = 0;
	s64 n;

	if (!is_ident(name))
		return asm_error(a, name, ".tensor needs a name");
	if (a->ntensors == RMT_MAX_TENSORS)
		return asm_error(a, name, "more than %d tensors", RMT_MAX_TENSORS);
	memset(t, 0, sizeof(*t));
	w = next_word(&s);
	if (dtype_of(a, w, &dt))
		return -EINVAL;
	t->dtype = (u8)dt;
	w = next_word(&s);
	x = strchr(w, 'x');
	if (!x)
		return asm_error(a, w, "expected a shape like 32x15, got '%s'", w);
	*x = '\0';
	if (parse_ranged(a, w, 1, RMT_MAX_DIM, &n))
		return -EINVAL;
	t->rows = (u32)n;
	if (parse_ranged(a, x + 1, 1, RMT_MAX_DIM, &n))
		return -EINVAL;
	t->cols = (u32)n;
	while (*(w = next_word(&s))) {
		if (parse_kv(a, w, "out", &v)) {
			if (dtype_of(a, v, &dt))
				return -EINVAL;
			t->out_dtype = (u8)dt;
		} else if (parse_kv(a, w, "mult", &v)) {
			if (parse_ranged(a, v, S32_MIN, S32_MAX, &n))
				return -EINVAL;
			t->q_mult = (s32)n;
		} else if (parse_kv(a, w, "shift", &v)) {
			if (parse_ranged(a, v, 0, 255, &n))
				return -EINVAL;
			t->q_shift = (u8)n;
		} else if (parse_kv(a, w, "zero", &v)) {
			if (parse_ranged(a, v, S32_MIN, S32_MAX, &n))
				return -EINVAL;
			t->q_zero = (s32)n;
		} else {
			return asm_error(a, w, "unknown .tensor argument '%s'", w);
		}
	}
	a->tdata[a->ntensors] = calloc(t->rows * t->cols, rmt_dtype_size(t->dtype));
	if (!a->tdata[a->ntensors])
		return asm_error(a, name, "out of memory");
	a->nelems = 0;
	a->mode = ASM_TENSOR;
	return add_sym(a, name, name, a->ntensors++, false);
}

int parse_tensor_data(struct rmt_asm *a, char *s)
{
	struct rmt_tensor_desc *t = &a->tensors[a->ntensors - 1];
	u32 total = t->rows * t->cols;
	static const s64 lo[] = { 0, S8_MIN, S16_MIN, S32_MIN, S64_MIN };
	static const s64 hi[] = { 0, S8_MAX, S16_MAX, S32_MAX, S64_MAX };
	char *tok;

	if (!strcmp(s, ".end")) {
		if (a->nelems != total)
			return asm_error(a, s, "tensor has %u of its %u elements",
					 a->nelems, total);
		a->mode = ASM_CODE;
		return 0;
	}
	for (tok = strtok(s, ", \t"); tok; tok = strtok(NULL, ", \t")) {
		s64 v;

		if (a->nelems == total)
			return asm_error(a, tok, "more than %u elements", total);
		if (parse_ranged(a, tok, lo[t->dtype], hi[t->dtype], &v))
			return -EINVAL;
		rmt_ml_store_elem(a->tdata[a->ntensors - 1], t->dtype,
				  a->nelems++, v);
	}
	return 0;
}

static int parse_tree_head(struct rmt_asm *a, char *s)
{
	char *name = next_word(&s), *w = next_word(&s), *v;
	s64 n;

	if (!is_ident(name))
		return asm_error(a, name, ".tree needs a name");
	if (a->ntrees == RMT_MAX_TREES)
		return asm_error(a, name, "more than %d trees", RMT_MAX_TREES);
	if (!parse_kv(a, w, "features", &v))
		return asm_error(a, w, ".tree needs features=N");
	if (parse_ranged(a, v, 1, RMT_MAX_DIM, &n))
		return -EINVAL;
	memset(&a->trees[a->ntrees], 0, sizeof(a->trees[0]));
	a->trees[a->ntrees].nfeatures = (u32)n;
	a->tnodes[a->ntrees] = calloc(RMT_MAX_TREE_NODES,
				      sizeof(struct rmt_dtree_node));
	if (!a->tnodes[a->ntrees])
		return asm_error(a, name, "out of memory");
	a->mode = ASM_TREE;
	return add_sym(a, name, name, a->ntrees++, false);
}

int parse_tree_node(struct rmt_asm *a, char *s)
{
	struct rmt_dtree_desc *d = &a->trees[a->ntrees - 1];
	struct rmt_dtree_node *node;
	char *ops[4], *kind;
	s64 v[4];
	int n;

	if (!strcmp(s, ".end")) {
		if (!d->nnodes)
			return asm_error(a, s, "tree has no nodes");
		a->mode = ASM_CODE;
		return 0;
	}
	if (d->nnodes == RMT_MAX_TREE_NODES)
		return asm_error(a, s, "more than %d nodes", RMT_MAX_TREE_NODES);
	node = &a->tnodes[a->ntrees - 1][d->nnodes];
	kind = next_word(&s);
	n = split_operands(s, ops, 4);
	if (!strcmp(kind, "leaf") && n == 1) {
		if (parse_ranged(a, ops[0], S32_MIN, S32_MAX, &v[0]))
			return -EINVAL;
		node->value = (s32)v[0];
		node->flags = RMT_DTREE_LEAF;
	} else if (!strcmp(kind, "split") && n == 4) {
		if (parse_ranged(a, ops[0], 0, U16_MAX, &v[0]) ||
		    parse_ranged(a, ops[1], S32_MIN, S32_MAX, &v[1]) ||
		    parse_ranged(a, ops[2], 0, U16_MAX, &v[2]) ||
		    parse_ranged(a, ops[3], 0, U16_MAX, &v[3]))
			return -EINVAL;
		node->feature = (u16)v[0];
		node->value = (s32)v[1];
		node->left = (u16)v[2];
		node->right = (u16)v[3];
	} else {
		return asm_error(a, kind, "expected 'split FEATURE, THRESHOLD, LEFT, RIGHT' or 'leaf VALUE'");
	}
	d->nnodes++;
	return 0;
}

static int parse_ctx(struct rmt_asm *a, char *s)
{
	char *ops[RMT_MAX_CTX_FIELDS + 1];
	int n = split_operands(s, ops, RMT_MAX_CTX_FIELDS + 1), i;

	for (i = 0; i < n; i++) {
		s64 v;

		if (a->b->nctx == RMT_MAX_CTX_FIELDS)
			return asm_error(a, ops[i], "more than %d context values",
					 RMT_MAX_CTX_FIELDS);
		if (parse_ranged(a, ops[i], S64_MIN, S64_MAX, &v))
			return -EINVAL;
		a->b->ctx[a->b->nctx++] = v;
	}
	return 0;
}

static int parse_hook(struct rmt_asm *a, char *s)
{
	u32 id;

	for (id = 0; rmt_hook_schema(id); id++)
		if (!strcmp(rmt_hook_schema(id)->name, s)) {
			a->b->hook = id;
			return 0;
		}
	return asm_error(a, s, "unknown hook '%s'", s);
}

static int parse_prog(struct rmt_asm *a, char *s)
{
	struct rmt_asm_prog *p;

	if (finish_prog(a))
		return -EINVAL;
	if (a->b->nprogs == RMT_MAX_PROGS)
		return asm_error(a, s, "more than %d programs", RMT_MAX_PROGS);
	if (!is_ident(s) || strlen(s) >= RMT_ASM_NAME)
		return asm_error(a, s, ".prog needs a name");
	p = &a->b->progs[a->b->nprogs++];
	snprintf(p->name, sizeof(p->name), "%s", s);
	return 0;
}

int parse_directive(struct rmt_asm *a, char *s)
{
	char *d = next_word(&s), *name;
	s64 v;

	s = skip_space(s);
	if (!strcmp(d, ".hook"))
		return parse_hook(a, s);
	if (!strcmp(d, ".budget")) {
		a->b->has_budget = true;
		if (parse_ranged(a, s, 0, S64_MAX, &v))
			return -EINVAL;
		a->b->budget = (u64)v;
		return 0;
	}
	if (!strcmp(d, ".repeat")) {
		if (parse_ranged(a, s, 1, 10000000, &v))
			return -EINVAL;
		a->b->repeat = (u32)v;
		return 0;
	}
	if (!strcmp(d, ".ctx"))
		return parse_ctx(a, s);
	if (!strcmp(d, ".equ")) {
		name = next_word(&s);
		if (!is_ident(name) || parse_ranged(a, skip_space(s), S64_MIN,
						    S64_MAX, &v))
			return asm_error(a, name, ".equ takes NAME VALUE");
		return add_sym(a, name, name, v, false);
	}
	if (!strcmp(d, ".ctxmap"))
		return parse_ctxmap(a, s);
	if (!strcmp(d, ".tensor"))
		return parse_tensor_head(a, s);
	if (!strcmp(d, ".tree"))
		return parse_tree_head(a, s);
	if (!strcmp(d, ".prog"))
		return parse_prog(a, s);
	if (!strcmp(d, ".raw"))
		return parse_raw(a, s);
	return asm_error(a, d, "unknown directive '%s'", d);
}
