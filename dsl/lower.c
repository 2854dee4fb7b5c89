// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's lowering of actions: statements into RMT programs, one per
 * action, each instruction stamped with its source location.  The
 * register conventions are in lower.h; expressions are in lower_expr.c,
 * model calls in lower_model.c, descriptors in lower_items.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "core.h"

#define RMTC_MAX_FIX	128

/* ---- emission ---- */

u32 rmtc_emit(struct rmtc_fn *fn, u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	struct rmt_insn *in;

	if (fn->len == fn->cap) {
		fn->cap = fn->cap ? fn->cap * 2 : 64;
		fn->insns = realloc(fn->insns, fn->cap * sizeof(*fn->insns));
		fn->lines = realloc(fn->lines, fn->cap * sizeof(*fn->lines));
		if (!fn->insns || !fn->lines)
			abort();
	}
	in = &fn->insns[fn->len];
	in->code = code;
	in->regs = RMT_REGS(dst, src);
	in->off = off;
	in->imm = imm;
	fn->lines[fn->len] = fn->cur;
	return fn->len++;
}

void rmtc_fn_error(struct rmtc_fn *fn, struct rmtc_node *at, const char *hint,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rmtc_verror(fn->L->diags, at->loc, hint, fmt, ap);
	va_end(ap);
	fn->L->errors++;
	fn->failed = true;
}

/**
 * rmtc_scratch() - reserve scratch bytes for this action
 * @fn: the action
 * @at: what needs them (for the error)
 * @bytes: how many
 * @align: alignment (a power of two)
 *
 * Return: the offset.
 */
int rmtc_scratch(struct rmtc_fn *fn, struct rmtc_node *at, u32 bytes, u32 align)
{
	u32 off = (fn->scratch + align - 1) & ~(align - 1);

	if (off + bytes > RMT_SCRATCH_SIZE) {
		if (!fn->failed)
			rmtc_fn_error(fn, at, "use fewer locals, calls or model inputs",
				      "action '%s' needs more than %d bytes of scratch",
				      fn->action->name, RMT_SCRATCH_SIZE);
		return 0;
	}
	fn->scratch = off + bytes;
	return off;
}

/* Is an item's name short enough for the store?  Reports it if not. */
bool rmtc_name_ok(struct rmtc_lower *L, struct rmtc_node *n)
{
	if (strlen(n->name) < RMT_NAME_MAX)
		return true;
	RMTC_ERR(L, n, "object names have at most 31 characters",
		 "name '%s' is too long", n->name);
	return false;
}

/* The value of a constant expression evaluate has already checked. */
u64 rmtc_value(struct rmtc_lower *L, struct rmtc_node *e)
{
	struct rmtc_fn fn = { .L = L };
	u64 v = 0;

	rmtc_const(&fn, e, &v);
	return v;
}

struct rmtc_node *rmtc_lookup(struct rmtc_node **items, unsigned int n,
			      const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(items[i]->name, name))
			return items[i];
	return NULL;
}

static u16 rmtc_file_index(struct rmtc_policy *pol, const char *file)
{
	u32 i;

	for (i = 0; i < pol->nfiles; i++)
		if (!strcmp(pol->files[i], file))
			return i;
	if (pol->nfiles == RMTC_MAX_FILES)
		return 0;
	pol->files[pol->nfiles] = strdup(file);
	if (!pol->files[pol->nfiles])
		abort();
	return pol->nfiles++;
}

/* Record @n as where the policy's last operation is declared. */
void rmtc_op_decl(struct rmtc_lower *L, const struct rmtc_node *n)
{
	struct rmtc_line *d = &L->pol->decls[L->pol->nops - 1];

	d->line = n->loc.line;
	d->col = n->loc.col;
	d->file = rmtc_file_index(L->pol, n->loc.file);
}

void rmtc_set_loc(struct rmtc_fn *fn, const struct rmtc_node *n)
{
	fn->cur.line = n->loc.line;
	fn->cur.col = n->loc.col;
	fn->cur.file = rmtc_file_index(fn->L->pol, n->loc.file);
}

/* The index of context map @name in this program's list, added on first use. */
int rmtc_map_index(struct rmtc_fn *fn, struct rmtc_node *at, const char *name)
{
	u32 i;

	for (i = 0; i < fn->nmaps; i++)
		if (!strcmp(fn->maps[i], name))
			return i;
	if (fn->nmaps == RMT_MAX_CTXMAPS) {
		rmtc_fn_error(fn, at, "split the action",
			      "an action uses at most %d context maps", RMT_MAX_CTXMAPS);
		return 0;
	}
	fn->maps[fn->nmaps] = name;
	return fn->nmaps++;
}

/* ---- locals ---- */

static struct rmtc_var *rmtc_declare(struct rmtc_fn *fn, struct rmtc_node *at,
				     const char *name, enum rmtc_tok type)
{
	struct rmtc_var *v;
	int r;

	if (fn->nvars == RMTC_MAX_VARS) {
		rmtc_fn_error(fn, at, "split the action", "too many variables");
		return &fn->vars[0];
	}
	v = &fn->vars[fn->nvars++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->type = type;
	v->reg = -1;
	/* r6-r10 not reserved for loops and not busy as temporaries */
	for (r = 6; r <= 10; r++) {
		u16 bit = 1u << r;

		if (!((fn->var_regs | fn->loop_regs | fn->busy) & bit)) {
			v->reg = r;
			fn->var_regs |= bit;
			return v;
		}
	}
	v->slot = rmtc_scratch(fn, at, 8, 8);
	return v;
}

/* Leave a scope: forget its locals and give back their registers. */
static void rmtc_scope_end(struct rmtc_fn *fn, u32 nvars)
{
	while (fn->nvars > nvars) {
		struct rmtc_var *v = &fn->vars[--fn->nvars];

		if (v->reg >= 0 && !v->loop)
			fn->var_regs &= ~(1u << v->reg);
	}
}

/* ---- statements ---- */

static void rmtc_block(struct rmtc_fn *fn, struct rmtc_node *b);
static void rmtc_stmt(struct rmtc_fn *fn, struct rmtc_node *s);

static void rmtc_decl(struct rmtc_fn *fn, struct rmtc_node *s)
{
	int t;

	if (s->a) {
		t = rmtc_gen_expr(fn, s->a);
	} else {
		t = rmtc_temp(fn, s);
		rmtc_emit(fn, RMT_OP_MOV_I, t, 0, 0, 0);
	}
	rmtc_set_loc(fn, s);
	rmtc_truncate(fn, t, s->op);
	/* declare after the initialiser, which cannot see the new name */
	rmtc_var_store(fn, rmtc_declare(fn, s, s->name, s->op), t);
	rmtc_free(fn, t);
}

/* The value of `lvalue OP= rhs` (or of rhs for plain '=') in a temporary. */
static int rmtc_assign_value(struct rmtc_fn *fn, struct rmtc_node *s)
{
	struct rmtc_node bin = *s;

	if (s->op == RMTC_T_ASSIGN)
		return rmtc_gen_expr(fn, s->b);
	bin.kind = RMTC_N_BINARY;
	bin.op = s->op == RMTC_T_ADD_ASSIGN ? RMTC_T_PLUS :
		 s->op == RMTC_T_SUB_ASSIGN ? RMTC_T_MINUS :
		 s->op == RMTC_T_MUL_ASSIGN ? RMTC_T_STAR :
		 s->op == RMTC_T_SHL_ASSIGN ? RMTC_T_SHL : RMTC_T_SHR;
	bin.a = s->a;
	bin.b = s->b;
	return rmtc_gen_expr(fn, &bin);
}

static void rmtc_assign_slot(struct rmtc_fn *fn, struct rmtc_node *s, int t)
{
	struct rmtc_node *slot;
	int map, idx, k;

	idx = rmtc_slot_index(fn, s->a, &map, &slot);
	if (idx == INT32_MIN)
		return;
	if (idx < 0) {
		rmtc_fn_error(fn, s->a, "append with: push MAP[key].history, value;",
			      "history '%s' is written only by push", slot->name);
		return;
	}
	rmtc_truncate(fn, t, slot->op);
	k = rmtc_gen_expr(fn, s->a->a);
	rmtc_set_loc(fn, s);
	rmtc_emit(fn, RMT_OP_ST_CTXT, k, t, idx, map);
	rmtc_free(fn, k);
}

static void rmtc_assign(struct rmtc_fn *fn, struct rmtc_node *s)
{
	struct rmtc_node *lv = s->a;
	struct rmtc_var *v;
	int t = rmtc_assign_value(fn, s);

	rmtc_set_loc(fn, s);
	switch (lv->kind) {
	case RMTC_N_NAME:
		v = rmtc_var(fn, lv->name);
		if (!v) {
			rmtc_fn_error(fn, lv, "constants cannot change; declare a variable",
				      "'%s' is not a variable", lv->name);
		} else if (v->loop) {
			rmtc_fn_error(fn, lv, "copy it into a variable first",
				      "loop variable '%s' is read-only", lv->name);
		} else {
			rmtc_truncate(fn, t, v->type);
			rmtc_var_store(fn, v, t);
		}
		break;
	case RMTC_N_FIELD:
		rmtc_field_access(fn, lv, t, true);
		break;
	case RMTC_N_MAPSLOT:
		rmtc_assign_slot(fn, s, t);
		break;
	default:
		rmtc_fn_error(fn, lv, NULL, "cannot assign to this");
	}
	rmtc_free(fn, t);
}

static void rmtc_push(struct rmtc_fn *fn, struct rmtc_node *s)
{
	struct rmtc_node *slot;
	int map, idx, k, t;

	idx = rmtc_slot_index(fn, s->a, &map, &slot);
	if (idx == INT32_MIN || idx >= 0)
		return;		/* evaluate has reported it */
	t = rmtc_gen_expr(fn, s->b);
	rmtc_truncate(fn, t, slot->op);
	k = rmtc_gen_expr(fn, s->a->a);
	rmtc_set_loc(fn, s);
	rmtc_emit(fn, RMT_OP_ST_CTXT, k, t, RMT_CTXT_PUSH, map);
	rmtc_free(fn, k);
	rmtc_free(fn, t);
}

static bool rmtc_returns(struct rmtc_node *s);

static void rmtc_if(struct rmtc_fn *fn, struct rmtc_node *s)
{
	u32 fix[RMTC_MAX_FIX], nfix = 0, i, skip = U32_MAX;

	rmtc_gen_cond(fn, s->a, false, fix, &nfix);
	rmtc_block(fn, s->b);
	if (s->c) {
		rmtc_set_loc(fn, s);
		/* no jump over the else when the then-branch never falls out */
		if (!rmtc_returns(s->b))
			skip = rmtc_emit(fn, RMT_OP_JA, 0, 0, 0, 0);
		for (i = 0; i < nfix; i++)
			rmtc_patch(fn, fix[i], fn->len);
		if (s->c->kind == RMTC_N_IF)
			rmtc_stmt(fn, s->c);
		else
			rmtc_block(fn, s->c);
		if (skip != U32_MAX)
			rmtc_patch(fn, skip, fn->len);
	} else {
		for (i = 0; i < nfix; i++)
			rmtc_patch(fn, fix[i], fn->len);
	}
}

static void rmtc_for(struct rmtc_fn *fn, struct rmtc_node *s)
{
	u32 nvars = fn->nvars, loop, body;
	struct rmtc_var *v;
	u64 lo = 0, hi = 0;
	int reg = 10 - fn->loop_depth;

	if (!rmtc_const(fn, s->a, &lo) || !rmtc_const(fn, s->b, &hi) ||
	    (s64)hi <= (s64)lo || hi - lo > RMT_MAX_LOOP_TRIPS)
		return;		/* evaluate has reported it */
	if (fn->loop_depth == RMT_MAX_LOOP_DEPTH) {
		rmtc_fn_error(fn, s, "move the inner loops into a separate action",
			      "loops nest at most %d deep", RMT_MAX_LOOP_DEPTH);
		return;
	}
	if (fn->nvars == RMTC_MAX_VARS) {
		rmtc_fn_error(fn, s, "split the action", "too many variables");
		return;
	}
	v = &fn->vars[fn->nvars++];
	*v = (struct rmtc_var){ .name = s->name, .type = s->op, .reg = reg,
				.loop = true, .bias = (s64)lo };
	fn->loop_depth++;
	rmtc_set_loc(fn, s);
	loop = rmtc_emit(fn, RMT_OP_LOOP, reg, 0, 0, (s32)(hi - lo));
	rmtc_block(fn, s->c);
	rmtc_set_loc(fn, s);
	body = fn->len - loop - 1;
	rmtc_emit(fn, RMT_OP_ENDLOOP, reg, 0, -(s16)body - 1, (s32)(hi - lo));
	fn->insns[loop].off = body;
	fn->loop_depth--;
	rmtc_scope_end(fn, nvars);
}

static void rmtc_return(struct rmtc_fn *fn, struct rmtc_node *s)
{
	int t = rmtc_gen_expr(fn, s->a);

	rmtc_set_loc(fn, s);
	rmtc_truncate(fn, t, fn->action->op);
	rmtc_emit(fn, RMT_OP_MOV_R, 0, t, 0, 0);
	rmtc_emit(fn, RMT_OP_EXIT, 0, 0, 0, 0);
	rmtc_free(fn, t);
}

static void rmtc_stmt(struct rmtc_fn *fn, struct rmtc_node *s)
{
	rmtc_set_loc(fn, s);
	switch (s->kind) {
	case RMTC_N_DECL:	rmtc_decl(fn, s); break;
	case RMTC_N_ASSIGN:	rmtc_assign(fn, s); break;
	case RMTC_N_PUSH:	rmtc_push(fn, s); break;
	case RMTC_N_IF:		rmtc_if(fn, s); break;
	case RMTC_N_FOR:	rmtc_for(fn, s); break;
	case RMTC_N_RETURN:	rmtc_return(fn, s); break;
	case RMTC_N_BLOCK:	rmtc_block(fn, s); break;
	case RMTC_N_EXPRSTMT:
		rmtc_free(fn, rmtc_gen_expr(fn, s->a));
		break;
	default:
		break;
	}
	if (fn->busy && !fn->failed)
		rmtc_fn_error(fn, s, NULL, "internal error: registers left busy (0x%x)",
			      fn->busy);
}

static void rmtc_block(struct rmtc_fn *fn, struct rmtc_node *b)
{
	u32 nvars = fn->nvars;
	struct rmtc_node *s;

	for (s = b->a; s; s = s->next)
		rmtc_stmt(fn, s);
	rmtc_scope_end(fn, nvars);
}

/* Does every path through @s end in return? */
static bool rmtc_returns(struct rmtc_node *s)
{
	struct rmtc_node *last;

	switch (s->kind) {
	case RMTC_N_RETURN:
		return true;
	case RMTC_N_BLOCK:
		for (last = s->a; last && last->next; last = last->next)
			if (rmtc_returns(last))
				return true;
		return last && rmtc_returns(last);
	case RMTC_N_IF:
		return s->c && rmtc_returns(s->b) && rmtc_returns(s->c);
	default:
		return false;	/* a loop body may run zero times? never, but
				   a return inside depends on its condition */
	}
}

/* ---- actions ---- */

/* How deep do loops nest in @s?  Each level reserves a register. */
static u32 rmtc_loop_depth(struct rmtc_node *s)
{
	u32 d = 0, x;

	for (; s; s = s->next) {
		switch (s->kind) {
		case RMTC_N_FOR:
			x = 1 + rmtc_loop_depth(s->c->a);
			break;
		case RMTC_N_BLOCK:
			x = rmtc_loop_depth(s->a);
			break;
		case RMTC_N_IF:
			x = rmtc_loop_depth(s->b->a);
			if (s->c && s->c->kind == RMTC_N_IF) {
				struct rmtc_node *next = s->c->next;
				u32 y;

				s->c->next = NULL;
				y = rmtc_loop_depth(s->c);
				s->c->next = next;
				x = x > y ? x : y;
			} else if (s->c) {
				u32 y = rmtc_loop_depth(s->c->a);

				x = x > y ? x : y;
			}
			break;
		default:
			x = 0;
		}
		d = d > x ? d : x;
	}
	return d;
}

static void rmtc_params(struct rmtc_fn *fn)
{
	struct rmtc_node *p;
	struct rmtc_var *v;
	int i = 0;

	for (p = fn->action->b; p; p = p->next, i++) {
		if (i == RMT_MAX_PARAMS) {
			rmtc_fn_error(fn, p, "an entry passes at most 4 parameters",
				      "action '%s' has more than %d parameters",
				      fn->action->name, RMT_MAX_PARAMS);
			return;
		}
		rmtc_set_loc(fn, p);
		rmtc_emit(fn, RMT_OP_MOV_I, 1, 0, 0, i);
		rmtc_emit(fn, RMT_OP_CALL, 0, 0, 0, RMT_FN_PARAM);
		rmtc_truncate(fn, 0, p->op);
		v = rmtc_declare(fn, p, p->name, p->op);
		rmtc_var_store(fn, v, 0);
	}
}

/* The id of the hook named @name (evaluate has checked it exists). */
u32 rmtc_hook_id(const char *name)
{
	u32 id;

	for (id = 0; rmt_hook_schema(id); id++)
		if (!strcmp(rmt_hook_schema(id)->name, name))
			return id;
	return 0;
}

static void rmtc_fn_finish(struct rmtc_fn *fn, u32 hook)
{
	struct rmtc_policy *pol = fn->L->pol;
	struct rmtc_prog_info *pi;
	struct rmt_op *op;
	u32 i;

	op = rmtc_policy_add_op(pol, RMT_CMD_PROG_NEW, fn->action->name);
	rmtc_op_decl(fn->L, fn->action);
	op->prog.hook = hook;
	op->prog.insns = fn->insns;
	op->prog.len = fn->len;
	for (i = 0; i < fn->nmaps; i++)
		snprintf(op->prog.maps[i], RMT_NAME_MAX, "%s", fn->maps[i]);
	op->prog.nmaps = fn->nmaps;
	if (fn->model >= 0)
		snprintf(op->prog.model, RMT_NAME_MAX, "%s",
			 fn->L->models[fn->model].node->name);
	pi = realloc(pol->progs, (pol->nprogs + 1) * sizeof(*pi));
	if (!pi)
		abort();
	pol->progs = pi;
	pi = &pol->progs[pol->nprogs++];
	memset(pi, 0, sizeof(*pi));
	pi->op = pol->nops - 1;
	pi->lines = fn->lines;
	fn->cur.line = fn->action->loc.line;
	fn->cur.col = fn->action->loc.col;
	rmtc_set_loc(fn, fn->action);
	pi->decl = fn->cur;
}

static void rmtc_lower_action(struct rmtc_lower *L, struct rmtc_node *a)
{
	struct rmtc_fn fn = { .L = L, .action = a, .model = -1 };
	u32 hook = rmtc_hook_id(a->a->name), depth;

	fn.hook = rmt_hook_schema(hook);
	if (strlen(a->name) >= RMT_NAME_MAX) {
		rmtc_fn_error(&fn, a, "object names have at most 31 characters",
			      "action name '%s' is too long", a->name);
		return;
	}
	depth = rmtc_loop_depth(a->c->a);
	if (depth > RMT_MAX_LOOP_DEPTH)
		depth = RMT_MAX_LOOP_DEPTH;	/* rmtc_for() reports deeper ones */
	fn.loop_regs = ((1u << 11) - 1) & ~((1u << (11 - depth)) - 1);
	rmtc_set_loc(&fn, a);
	rmtc_params(&fn);
	rmtc_block(&fn, a->c);
	if (!rmtc_returns(a->c))
		rmtc_fn_error(&fn, a, "end every path with 'return VALUE;'",
			      "action '%s' can reach its end without returning a verdict",
			      a->name);
	if (fn.len > RMT_MAX_INSNS && !fn.failed)
		rmtc_fn_error(&fn, a, "split the action or shrink its loops' bodies",
			      "action '%s' is %u instructions; a program has at most %d",
			      a->name, fn.len, RMT_MAX_INSNS);
	if (fn.failed) {
		free(fn.insns);
		free(fn.lines);
		return;
	}
	rmtc_fn_finish(&fn, hook);
}

/**
 * rmtc_lower() - lower a checked policy into store operations
 * @prog: the items, as evaluate filed them (without errors)
 * @pol: receives the operations, empty on failure
 * @diags: receives what lowering refuses (register pressure, scratch,
 *	shapes of weights files, verdicts missing)
 *
 * Return: the number of errors.
 */
int rmtc_lower(struct rmtc_program *prog, struct rmtc_policy *pol,
	       struct rmtc_diags *diags)
{
	struct rmtc_lower *L = calloc(1, sizeof(*L));
	unsigned int i;
	int errors;

	if (!L)
		abort();
	L->prog = prog;
	L->pol = pol;
	L->diags = diags;
	rmtc_lower_ctxmaps(L);
	rmtc_lower_models(L);
	for (i = 0; i < prog->nactions; i++)
		rmtc_lower_action(L, prog->actions[i]);
	rmtc_lower_tables(L);
	errors = L->errors;
	free(L);
	return errors;
}
