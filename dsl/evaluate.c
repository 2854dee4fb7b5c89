// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's evaluate stage.  It walks the syntax tree once per item and
 * reports every problem it finds, located, with a hint:
 *
 *   - duplicate names among items of a kind;
 *   - unknown hooks, context fields, variables, context maps, slots,
 *     actions and models;
 *   - writes to read-only context fields;
 *   - loops whose bounds are not constants, or are empty;
 *   - comparisons of signed with unsigned values;
 *   - table keys, entries and defaults that do not fit the table;
 *   - inline model weights that do not fit the layer shapes.
 *
 * Constant expressions are folded on the way (consts, loop bounds,
 * sizes, entry values).
 */
#include <string.h>

#include "evaluate.h"
#include "core.h"

#define RMTC_MAX_LOCALS	64

struct rmtc_local {
	const char *name;
	enum rmtc_tok type;
};

struct rmtc_eval {
	struct rmtc_program *prog;
	struct rmtc_diags *diags;
	const struct rmt_hook_schema *hook;	/* of the action being checked */
	const char *hook_name;
	struct rmtc_local locals[RMTC_MAX_LOCALS];
	unsigned int nlocals;
	int errors;
};

#define ERR(ev, node, hint, ...)					\
	do {								\
		rmtc_error((ev)->diags, (node)->loc, hint, __VA_ARGS__); \
		(ev)->errors++;						\
	} while (0)

static struct rmtc_node *rmtc_find(struct rmtc_node **items, unsigned int n,
				   const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(items[i]->name, name))
			return items[i];
	return NULL;
}

static bool rmtc_signed(enum rmtc_tok t)
{
	return t == RMTC_T_S8 || t == RMTC_T_S16 || t == RMTC_T_S32 ||
	       t == RMTC_T_S64;
}

/* ---- constants ---- */

/* Names every policy knows: the kernel hooks' verdicts (uapi). */
static const struct {
	const char *name;
	s64 value;
} rmtc_builtins[] = {
	{ "DEFAULT", RMT_VERDICT_DEFAULT },
	{ "ALLOW", RMT_MIGRATE_ALLOW },
	{ "DENY", RMT_MIGRATE_DENY },
	{ "RA_MAX", RMT_SWAP_RA_MAX },
};

/**
 * rmtc_builtin_const() - the value of a predefined constant
 * @name: the name
 * @v: receives its value
 *
 * A policy's own const of the same name takes precedence.
 */
bool rmtc_builtin_const(const char *name, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < sizeof(rmtc_builtins) / sizeof(rmtc_builtins[0]); i++)
		if (!strcmp(rmtc_builtins[i].name, name)) {
			*v = (uint64_t)rmtc_builtins[i].value;
			return true;
		}
	return false;
}

/**
 * rmtc_field_range() - where a context field, or a field array, starts
 * @hook: the hook's schema
 * @name: the field (NAME), or the array (NAME for NAME0, NAME1, ...)
 * @array: look for the array
 * @len: receives the number of elements (1 for a single field)
 *
 * Return: the index of the field (or of NAME0), or -1.
 */
int rmtc_field_range(const struct rmt_hook_schema *hook, const char *name,
		     bool array, unsigned int *len)
{
	char elem[RMT_NAME_MAX + 8];
	unsigned int f, n;

	for (f = 0; f < hook->nfields; f++) {
		if (!array && !strcmp(hook->field_names[f], name)) {
			*len = 1;
			return (int)f;
		}
		snprintf(elem, sizeof(elem), "%s0", name);
		if (array && !strcmp(hook->field_names[f], elem)) {
			for (n = 1; f + n < hook->nfields; n++) {
				snprintf(elem, sizeof(elem), "%s%u", name, n);
				if (strcmp(hook->field_names[f + n], elem))
					break;
			}
			*len = n;
			return (int)f;
		}
	}
	return -1;
}

static bool rmtc_fold(struct rmtc_eval *ev, struct rmtc_node *e, uint64_t *v);

static bool rmtc_fold_binary(struct rmtc_eval *ev, struct rmtc_node *e,
			     uint64_t *v)
{
	uint64_t a, b;

	if (!rmtc_fold(ev, e->a, &a) || !rmtc_fold(ev, e->b, &b))
		return false;
	switch (e->op) {
	case RMTC_T_PLUS:	*v = a + b; return true;
	case RMTC_T_MINUS:	*v = a - b; return true;
	case RMTC_T_STAR:	*v = a * b; return true;
	case RMTC_T_SLASH:	*v = b ? a / b : 0; return true;
	case RMTC_T_PERCENT:	*v = b ? a % b : a; return true;
	case RMTC_T_SHL:	*v = a << (b & 63); return true;
	case RMTC_T_SHR:	*v = a >> (b & 63); return true;
	case RMTC_T_AMP:	*v = a & b; return true;
	case RMTC_T_PIPE:	*v = a | b; return true;
	case RMTC_T_CARET:	*v = a ^ b; return true;
	default:		return false;
	}
}

/* The value of a constant expression; false (silently) if it is not one. */
static bool rmtc_fold(struct rmtc_eval *ev, struct rmtc_node *e, uint64_t *v)
{
	struct rmtc_node *c;

	switch (e->kind) {
	case RMTC_N_INT:
		*v = e->value;
		return true;
	case RMTC_N_NAME:
		c = rmtc_find(ev->prog->consts, ev->prog->nconsts, e->name);
		if (!c)
			return rmtc_builtin_const(e->name, v);
		*v = c->value;
		return true;
	case RMTC_N_UNARY:
		if (!rmtc_fold(ev, e->a, v))
			return false;
		*v = e->op == RMTC_T_MINUS ? -*v : e->op == RMTC_T_TILDE ? ~*v : !*v;
		return true;
	case RMTC_N_BINARY:
		return rmtc_fold_binary(ev, e, v);
	default:
		return false;
	}
}

static bool rmtc_const_expr(struct rmtc_eval *ev, struct rmtc_node *e,
			    const char *what, uint64_t *v)
{
	if (rmtc_fold(ev, e, v))
		return true;
	ERR(ev, e, "use a number, a const, or arithmetic on them",
	    "%s is not a constant", what);
	return false;
}

/* ---- expressions ---- */

static struct rmtc_local *rmtc_local(struct rmtc_eval *ev, const char *name)
{
	unsigned int i = ev->nlocals;

	while (i--)
		if (!strcmp(ev->locals[i].name, name))
			return &ev->locals[i];
	return NULL;
}

static enum rmtc_tok rmtc_expr_type(struct rmtc_eval *ev, struct rmtc_node *e);

static int rmtc_field(struct rmtc_eval *ev, struct rmtc_node *e, bool write)
{
	unsigned int len, i;
	uint64_t idx;
	int f;

	f = rmtc_field_range(ev->hook, e->name, e->c != NULL, &len);
	if (f < 0) {
		if (e->c)
			ERR(ev, e, "'rmtctl hook show' lists each hook's fields",
			    "hook '%s' has no field array '%s' (%s0, %s1, ...)",
			    ev->hook_name, e->name, e->name, e->name);
		else
			ERR(ev, e, "'rmtctl hook show' lists each hook's fields",
			    "hook '%s' has no context field '%s'", ev->hook_name, e->name);
		return -1;
	}
	if (e->c) {
		rmtc_expr_type(ev, e->c);
		if (rmtc_fold(ev, e->c, &idx) && idx >= len)
			ERR(ev, e->c, "the elements are numbered from 0",
			    "index %llu is past the %u fields of '%s'",
			    (unsigned long long)idx, len, e->name);
	}
	for (i = 0; write && i < len; i++)
		if (!(ev->hook->writable & (1ULL << (f + i)))) {
			ERR(ev, e, "actions may write only the hook's writable fields",
			    "context field '%s' of hook '%s' is read-only", e->name,
			    ev->hook_name);
			return -1;
		}
	return f;
}

/* The slot of a context map an expression names, or NULL. */
static struct rmtc_node *rmtc_slot_of(struct rmtc_eval *ev, struct rmtc_node *e)
{
	struct rmtc_node *map, *s;

	map = rmtc_find(ev->prog->ctxmaps, ev->prog->nctxmaps, e->name);
	if (!map) {
		ERR(ev, e, "declare it with 'ctxmap NAME keyed KIND { ... }'",
		    "no context map named '%s'", e->name);
		return NULL;
	}
	for (s = map->c; s; s = s->next)
		if (!strcmp(s->name, e->b->name))
			return s;
	ERR(ev, e->b, "the slots are declared in the ctxmap's braces",
	    "context map '%s' has no slot '%s'", e->name, e->b->name);
	return NULL;
}

/* Check an expression; return its type (signed or unsigned 64). */
static enum rmtc_tok rmtc_expr_type(struct rmtc_eval *ev, struct rmtc_node *e);

static enum rmtc_tok rmtc_binary_type(struct rmtc_eval *ev, struct rmtc_node *e)
{
	enum rmtc_tok a = rmtc_expr_type(ev, e->a), b = rmtc_expr_type(ev, e->b);
	bool cmp = e->op == RMTC_T_LT || e->op == RMTC_T_LE ||
		   e->op == RMTC_T_GT || e->op == RMTC_T_GE;

	/* untyped constants take the other side's type */
	if (e->a->kind == RMTC_N_INT || rmtc_fold(ev, e->a, &(uint64_t){ 0 }))
		a = b;
	if (e->b->kind == RMTC_N_INT || rmtc_fold(ev, e->b, &(uint64_t){ 0 }))
		b = a;
	if (cmp && a != RMTC_T_EOF && b != RMTC_T_EOF &&
	    rmtc_signed(a) != rmtc_signed(b))
		ERR(ev, e, "convert one side with s64(...) or u64(...)",
		    "comparison of %s with %s", rmtc_tok_name(a), rmtc_tok_name(b));
	return a != RMTC_T_EOF ? a : b;
}

static enum rmtc_tok rmtc_call_type(struct rmtc_eval *ev, struct rmtc_node *e)
{
	struct rmtc_node *arg;
	u32 id;

	for (arg = e->a; arg; arg = arg->next)
		rmtc_expr_type(ev, arg);
	if (!strcmp(e->name, "s64"))
		return RMTC_T_S64;
	if (!strcmp(e->name, "u64"))
		return RMTC_T_U64;
	for (id = 1; id < rmt_nr_helpers; id++)
		if (rmt_helper_info[id].name && !strcmp(rmt_helper_info[id].name, e->name))
			return RMTC_T_S64;
	if (rmtc_find(ev->prog->models, ev->prog->nmodels, e->name))
		return RMTC_T_S64;
	ERR(ev, e, "call a helper (min, max, abs, ilog2, ...), a model, s64() or u64()",
	    "no helper or model named '%s'", e->name);
	return RMTC_T_EOF;
}

static enum rmtc_tok rmtc_expr_type(struct rmtc_eval *ev, struct rmtc_node *e)
{
	struct rmtc_local *l;
	struct rmtc_node *s;
	uint64_t v;

	switch (e->kind) {
	case RMTC_N_INT:
		return RMTC_T_S64;
	case RMTC_N_NAME:
		l = rmtc_local(ev, e->name);
		if (l)
			return l->type;
		if (rmtc_fold(ev, e, &v))
			return RMTC_T_S64;
		ERR(ev, e, "declare it first: TYPE NAME = VALUE;",
		    "no variable or constant named '%s'", e->name);
		return RMTC_T_EOF;
	case RMTC_N_FIELD:
		rmtc_field(ev, e, false);
		return RMTC_T_S64;
	case RMTC_N_MAPSLOT:
		rmtc_expr_type(ev, e->a);
		if (e->c)
			rmtc_expr_type(ev, e->c);
		s = rmtc_slot_of(ev, e);
		return s ? s->op : RMTC_T_EOF;
	case RMTC_N_CALL:
		return rmtc_call_type(ev, e);
	case RMTC_N_UNARY:
		return rmtc_expr_type(ev, e->a);
	case RMTC_N_BINARY:
		return rmtc_binary_type(ev, e);
	default:
		return RMTC_T_EOF;
	}
}

/* ---- statements ---- */

static void rmtc_block_check(struct rmtc_eval *ev, struct rmtc_node *b);

static void rmtc_declare(struct rmtc_eval *ev, struct rmtc_node *at,
			 const char *name, enum rmtc_tok type)
{
	if (ev->nlocals == RMTC_MAX_LOCALS) {
		ERR(ev, at, "split the action", "more than %d variables in one action",
		    RMTC_MAX_LOCALS);
		return;
	}
	ev->locals[ev->nlocals].name = name;
	ev->locals[ev->nlocals++].type = type;
}

static void rmtc_for_check(struct rmtc_eval *ev, struct rmtc_node *s)
{
	unsigned int saved = ev->nlocals;
	uint64_t lo, hi;

	if (!rmtc_fold(ev, s->a, &lo) || !rmtc_fold(ev, s->b, &hi)) {
		ERR(ev, rmtc_fold(ev, s->a, &lo) ? s->b : s->a,
		    "loops need constant bounds so that the verifier can bound them",
		    "loop bound is not a constant");
	} else if ((s64)hi <= (s64)lo || hi - lo > RMT_MAX_LOOP_TRIPS) {
		/* bounds are signed 64-bit constants; trips = hi - lo */
		if ((s64)hi <= (s64)lo)
			ERR(ev, s->a, "a loop runs 1 to 65536 times",
			    "loop from %lld to %lld never runs", (long long)lo,
			    (long long)hi);
		else
			ERR(ev, s->a, "a loop runs 1 to 65536 times",
			    "loop from %lld to %lld runs %llu times", (long long)lo,
			    (long long)hi, (unsigned long long)(hi - lo));
	}
	rmtc_declare(ev, s, s->name, s->op);
	rmtc_block_check(ev, s->c);
	ev->nlocals = saved;
}

static void rmtc_assign_check(struct rmtc_eval *ev, struct rmtc_node *s)
{
	struct rmtc_node *lv = s->a;

	if (lv->kind == RMTC_N_FIELD)
		rmtc_field(ev, lv, true);
	else
		rmtc_expr_type(ev, lv);
	rmtc_expr_type(ev, s->b);
}

static void rmtc_stmt_check(struct rmtc_eval *ev, struct rmtc_node *s)
{
	struct rmtc_node *slot;

	switch (s->kind) {
	case RMTC_N_DECL:
		if (s->a)
			rmtc_expr_type(ev, s->a);
		rmtc_declare(ev, s, s->name, s->op);
		break;
	case RMTC_N_ASSIGN:
		rmtc_assign_check(ev, s);
		break;
	case RMTC_N_PUSH:
		rmtc_expr_type(ev, s->a->a);
		slot = rmtc_slot_of(ev, s->a);
		if (slot && slot->kind != RMTC_N_HISTORY)
			ERR(ev, s->a->b, "push onto a slot declared 'history TYPE[N] NAME'",
			    "slot '%s' is not a history", slot->name);
		rmtc_expr_type(ev, s->b);
		break;
	case RMTC_N_IF:
		rmtc_expr_type(ev, s->a);
		rmtc_block_check(ev, s->b);
		if (s->c && s->c->kind == RMTC_N_IF)
			rmtc_stmt_check(ev, s->c);
		else if (s->c)
			rmtc_block_check(ev, s->c);
		break;
	case RMTC_N_FOR:
		rmtc_for_check(ev, s);
		break;
	case RMTC_N_BLOCK:
		rmtc_block_check(ev, s);
		break;
	case RMTC_N_RETURN:
	case RMTC_N_EXPRSTMT:
		rmtc_expr_type(ev, s->a);
		break;
	default:
		break;
	}
}

static void rmtc_block_check(struct rmtc_eval *ev, struct rmtc_node *b)
{
	unsigned int saved = ev->nlocals;
	struct rmtc_node *s;

	for (s = b->a; s; s = s->next)
		rmtc_stmt_check(ev, s);
	ev->nlocals = saved;
}

/* ---- items ---- */

static const struct rmt_hook_schema *rmtc_hook(struct rmtc_eval *ev,
					       struct rmtc_node *name)
{
	u32 id;

	for (id = 0; rmt_hook_schema(id); id++)
		if (!strcmp(rmt_hook_schema(id)->name, name->name))
			return rmt_hook_schema(id);
	ERR(ev, name, "'rmtctl hook show' lists the hook points",
	    "unknown hook '%s'", name->name);
	return NULL;
}

static void rmtc_action_check(struct rmtc_eval *ev, struct rmtc_node *a)
{
	struct rmtc_node *p;

	ev->hook = rmtc_hook(ev, a->a);
	ev->hook_name = a->a->name;
	if (!ev->hook)
		return;
	ev->nlocals = 0;
	for (p = a->b; p; p = p->next)
		rmtc_declare(ev, p, p->name, p->op);
	rmtc_block_check(ev, a->c);
}

/* Every value a layer's inline source holds must fit rows x cols. */
static void rmtc_source_check(struct rmtc_eval *ev, struct rmtc_node *src,
			      uint64_t rows, uint64_t cols, const char *what,
			      unsigned int layer)
{
	struct rmtc_node *v;
	uint64_t n = 0, x;

	if (!src || src->kind != RMTC_N_LIST)
		return;		/* files are read and checked when lowering */
	for (v = src->a; v; v = v->next) {
		n++;
		rmtc_const_expr(ev, v, "a weight", &x);
	}
	if (n != rows * cols)
		ERR(ev, src, "give rows x inputs weights and one bias per row",
		    "%s of layer %u: %llu values; its shape %llux%llu needs %llu", what,
		    layer, (unsigned long long)n, (unsigned long long)rows,
		    (unsigned long long)cols, (unsigned long long)(rows * cols));
}

static void rmtc_model_check(struct rmtc_eval *ev, struct rmtc_node *m)
{
	struct rmtc_node *body = m->a, *l;
	uint64_t inputs, units;
	unsigned int i = 1;

	if (body->kind != RMTC_N_MLP)
		return;
	if (!rmtc_const_expr(ev, body->a, "the input size", &inputs))
		return;
	for (l = body->b; l; l = l->next, i++) {
		if (!rmtc_const_expr(ev, l->a, "a layer's size", &units))
			return;
		if (!units || units > RMT_MAX_DIM || !inputs || inputs > RMT_MAX_DIM)
			ERR(ev, l->a, "layers have 1 to 1024 units",
			    "layer %u is %llux%llu", i, (unsigned long long)units,
			    (unsigned long long)inputs);
		rmtc_source_check(ev, l->b, units, inputs, "weights", i);
		rmtc_source_check(ev, l->c, units, 1, "bias", i);
		inputs = units;
	}
}

/* Does a node before @n in @list have @n's name? */
static bool rmtc_dup_name(struct rmtc_node *list, struct rmtc_node *n)
{
	for (; list && list != n; list = list->next)
		if (!strcmp(list->name, n->name))
			return true;
	return false;
}

static bool rmtc_is_key(struct rmtc_node *key, const char *field)
{
	struct rmtc_node *f;

	for (f = key ? key->a : NULL; f; f = f->next)
		if (!strcmp(f->name, field))
			return true;
	return false;
}

static void rmtc_entry_check(struct rmtc_eval *ev, struct rmtc_node *t,
			     struct rmtc_node *key, struct rmtc_node *e)
{
	struct rmtc_node *m, *act, *arg;
	uint64_t v;

	for (m = e->a; m; m = m->next) {
		if (rmtc_dup_name(e->a, m))
			ERR(ev, m, "give each key field one value",
			    "entry matches '%s' twice", m->name);
		if (!rmtc_is_key(key, m->name))
			ERR(ev, m, "an entry matches the table's key fields",
			    "'%s' is not a key field of table '%s'", m->name, t->name);
		rmtc_const_expr(ev, m->a, "an entry's value", &v);
		if (m->b)
			rmtc_const_expr(ev, m->b, "an entry's bound", &v);
	}
	act = rmtc_find(ev->prog->actions, ev->prog->nactions, e->name);
	if (!act)
		ERR(ev, e, "declare it with 'action NAME at HOOK -> TYPE { ... }'",
		    "no action named '%s'", e->name);
	else if (strcmp(act->a->name, t->a->name))
		ERR(ev, e, "an entry's action must be for the table's hook",
		    "action '%s' is at hook '%s', table '%s' at '%s'", e->name,
		    act->a->name, t->name, t->a->name);
	for (arg = e->c; arg; arg = arg->next)
		rmtc_const_expr(ev, arg, "an entry's parameter", &v);
}

static void rmtc_table_check(struct rmtc_eval *ev, struct rmtc_node *t)
{
	struct rmtc_node *it, *key = NULL, *f;
	uint64_t v;

	ev->hook = rmtc_hook(ev, t->a);
	ev->hook_name = t->a->name;
	for (it = t->b; it; it = it->next)
		if (it->kind == RMTC_N_KEY)
			key = it;
	if (!key)
		ERR(ev, t, "add 'key FIELD, ... : exact|ternary|range|lpm;'",
		    "table '%s' has no key", t->name);
	for (it = t->b; it; it = it->next) {
		switch (it->kind) {
		case RMTC_N_KEY:
			for (f = ev->hook ? it->a : NULL; f; f = f->next) {
				rmtc_field(ev, f, false);
				if (rmtc_dup_name(it->a, f))
					ERR(ev, f, "name each key field once",
					    "key field '%s' appears twice", f->name);
			}
			break;
		case RMTC_N_SIZE:
			if (rmtc_const_expr(ev, it->a, "a table size", &v) &&
			    (!v || v > RMT_MAX_TABLE_SIZE))
				ERR(ev, it->a, "a table holds 1 to 1048576 entries",
				    "table size %llu out of range", (unsigned long long)v);
			break;
		case RMTC_N_LATENCY:
			if (rmtc_const_expr(ev, it->a, "a latency budget", &v) &&
			    (!v || v > UINT32_MAX))
				ERR(ev, it->a, "a latency budget is 1 ns to about 4 s",
				    "latency budget %llu ns out of range", (unsigned long long)v);
			break;
		case RMTC_N_DEFAULT:
			if (strcmp(it->name, "kernel") &&
			    !rmtc_find(ev->prog->actions, ev->prog->nactions, it->name))
				ERR(ev, it, "name an action, or 'kernel' for the kernel's decision",
				    "no action named '%s'", it->name);
			break;
		case RMTC_N_ENTRY:
			rmtc_entry_check(ev, t, key, it);
			break;
		default:
			break;
		}
	}
}

/* File an item under its kind, refusing a second of the same name. */
static void rmtc_collect(struct rmtc_eval *ev, struct rmtc_node *n)
{
	struct rmtc_program *p = ev->prog;
	struct rmtc_node **list;
	unsigned int *count;
	struct rmtc_node *dup;
	const char *kind;

	switch (n->kind) {
	case RMTC_N_CONST: list = p->consts; count = &p->nconsts; kind = "const"; break;
	case RMTC_N_CTXMAP: list = p->ctxmaps; count = &p->nctxmaps; kind = "context map"; break;
	case RMTC_N_MODEL: list = p->models; count = &p->nmodels; kind = "model"; break;
	case RMTC_N_ACTION: list = p->actions; count = &p->nactions; kind = "action"; break;
	case RMTC_N_TABLE: list = p->tables; count = &p->ntables; kind = "table"; break;
	default: return;	/* includes are resolved before evaluate */
	}
	dup = rmtc_find(list, *count, n->name);
	if (dup) {
		ERR(ev, n, "rename one of them", "duplicate %s '%s' (first defined at line %u)",
		    kind, n->name, dup->loc.line);
		return;
	}
	if (*count == RMTC_MAX_ITEMS) {
		ERR(ev, n, "split the policy", "more than %d items of a kind",
		    RMTC_MAX_ITEMS);
		return;
	}
	list[(*count)++] = n;
	if (n->kind == RMTC_N_CONST)
		rmtc_const_expr(ev, n->a, "the value of a const", &n->value);
}

/**
 * rmtc_evaluate() - check a parsed policy
 * @items: the parser's item list
 * @prog: receives the items by kind
 * @diags: receives every problem found
 *
 * Return: the number of errors found.
 */
int rmtc_evaluate(struct rmtc_node *items, struct rmtc_program *prog,
		  struct rmtc_diags *diags)
{
	struct rmtc_eval ev = { .prog = prog, .diags = diags };
	struct rmtc_node *n;
	unsigned int i;

	memset(prog, 0, sizeof(*prog));
	for (n = items; n; n = n->next)
		rmtc_collect(&ev, n);
	for (i = 0; i < prog->nmodels; i++)
		rmtc_model_check(&ev, prog->models[i]);
	for (i = 0; i < prog->nactions; i++)
		rmtc_action_check(&ev, prog->actions[i]);
	for (i = 0; i < prog->ntables; i++)
		rmtc_table_check(&ev, prog->tables[i]);
	return ev.errors;
}
