// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's expression lowering: values into temporaries, conditions into
 * jumps, helper calls with their arguments in r1-r5.
 *
 * rmtc_gen_expr() always returns a fresh temporary the caller frees, so a
 * statement never clobbers a local by accident.  Arithmetic is done in
 * 64 bits; narrower locals and slots are truncated when stored.
 */
#include <string.h>

#include "lower.h"
#include "core.h"

#define RMTC_TEMPS_LOW	0x003e	/* r1-r5 */
#define RMTC_SAVED	0x07c0	/* r6-r10 */
#define RMTC_MAX_FIX	128

/* ---- registers ---- */

/**
 * rmtc_temp() - a free temporary register
 * @fn: the action
 * @at: the expression that needs it (for the error)
 *
 * r1-r5 first, then r6-r10 that no local or loop holds.
 */
int rmtc_temp(struct rmtc_fn *fn, struct rmtc_node *at)
{
	u16 avail = (RMTC_TEMPS_LOW | (RMTC_SAVED & ~fn->var_regs & ~fn->loop_regs)) &
		    ~fn->busy;
	int r;

	for (r = 1; r <= 10; r++)
		if (avail & (1u << r)) {
			fn->busy |= 1u << r;
			return r;
		}
	rmtc_fn_error(fn, at, "split the expression with a local variable",
		      "expression needs more registers than are free");
	return 1;
}

void rmtc_free(struct rmtc_fn *fn, int reg)
{
	fn->busy &= ~(1u << reg);
}

struct rmtc_var *rmtc_var(struct rmtc_fn *fn, const char *name)
{
	u32 i = fn->nvars;

	while (i--)
		if (!strcmp(fn->vars[i].name, name))
			return &fn->vars[i];
	return NULL;
}

/* ---- constants and types ---- */

static bool rmtc_const_fold(struct rmtc_fn *fn, struct rmtc_node *e, u64 *v);

/*
 * Is @e a constant, and which?  Operators remember the answer (each node
 * sits in one scope), so lowering stays linear in the expression's size.
 */
bool rmtc_const(struct rmtc_fn *fn, struct rmtc_node *e, u64 *v)
{
	bool ok;

	if (e->kind != RMTC_N_UNARY && e->kind != RMTC_N_BINARY)
		return rmtc_const_fold(fn, e, v);
	if (e->cstate) {
		*v = e->value;
		return e->cstate == 1;
	}
	ok = rmtc_const_fold(fn, e, v);
	e->cstate = ok ? 1 : 2;
	e->value = ok ? *v : 0;
	return ok;
}

static bool rmtc_const_fold(struct rmtc_fn *fn, struct rmtc_node *e, u64 *v)
{
	struct rmtc_program *p = fn->L->prog;
	struct rmtc_node *c;
	u64 a, b;

	switch (e->kind) {
	case RMTC_N_INT:
		*v = e->value;
		return true;
	case RMTC_N_NAME:
		if (rmtc_var(fn, e->name))
			return false;
		c = rmtc_lookup(p->consts, p->nconsts, e->name);
		if (!c)
			return rmtc_builtin_const(e->name, (uint64_t *)v);
		*v = c->value;
		return true;
	case RMTC_N_UNARY:
		if (!rmtc_const(fn, e->a, v))
			return false;
		*v = e->op == RMTC_T_MINUS ? -*v : e->op == RMTC_T_TILDE ? ~*v : !*v;
		return true;
	case RMTC_N_BINARY:
		if (!rmtc_const(fn, e->a, &a) || !rmtc_const(fn, e->b, &b))
			return false;
		switch (e->op) {
		case RMTC_T_PLUS:	*v = a + b; return true;
		case RMTC_T_MINUS:	*v = a - b; return true;
		case RMTC_T_STAR:	*v = a * b; return true;
		case RMTC_T_AMP:	*v = a & b; return true;
		case RMTC_T_PIPE:	*v = a | b; return true;
		case RMTC_T_CARET:	*v = a ^ b; return true;
		case RMTC_T_SHL:	*v = a << (b & 63); return true;
		case RMTC_T_SHR:	*v = (u64)((s64)a >> (b & 63)); return true;
		case RMTC_T_SLASH:
			*v = b ? (u64)((s64)b == -1 ? -(s64)a : (s64)a / (s64)b) : 0;
			return true;
		case RMTC_T_PERCENT:
			*v = b ? (u64)((s64)b == -1 ? 0 : (s64)a % (s64)b) : a;
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

static bool rmtc_type_signed(enum rmtc_tok t)
{
	return t == RMTC_T_S8 || t == RMTC_T_S16 || t == RMTC_T_S32 ||
	       t == RMTC_T_S64;
}

/*
 * Is an expression's type signed?  Constants, fields, helpers and models
 * are s64; u64() is unsigned; a binary operation takes its typed side.
 */
bool rmtc_is_signed(struct rmtc_fn *fn, struct rmtc_node *e)
{
	struct rmtc_var *v;
	struct rmtc_node *slot;
	int map;
	u64 c;

	switch (e->kind) {
	case RMTC_N_NAME:
		v = rmtc_var(fn, e->name);
		return v ? rmtc_type_signed(v->type) : true;
	case RMTC_N_MAPSLOT:
		if (rmtc_slot_index(fn, e, &map, &slot) == INT32_MIN)
			return true;
		return rmtc_type_signed(slot->op);
	case RMTC_N_CALL:
		return strcmp(e->name, "u64") != 0;
	case RMTC_N_UNARY:
		return rmtc_is_signed(fn, e->a);
	case RMTC_N_BINARY:
		switch (e->op) {
		case RMTC_T_EQ: case RMTC_T_NE: case RMTC_T_LT: case RMTC_T_LE:
		case RMTC_T_GT: case RMTC_T_GE: case RMTC_T_ANDAND: case RMTC_T_OROR:
			return true;
		default:
			break;
		}
		if (rmtc_const(fn, e->a, &c))
			return rmtc_is_signed(fn, e->b);
		return rmtc_is_signed(fn, e->a);
	default:
		return true;
	}
}

/* ---- moves, truncation ---- */

static bool rmtc_fits_imm(u64 v)
{
	return (s64)v >= INT32_MIN && (s64)v <= INT32_MAX;
}

/* reg = v, for any 64-bit v. */
void rmtc_movi64(struct rmtc_fn *fn, int reg, u64 v)
{
	int shift;

	if (rmtc_fits_imm(v)) {
		rmtc_emit(fn, RMT_OP_MOV_I, reg, 0, 0, (s32)v);
		return;
	}
	/* 16 bits at a time: ori's immediate stays positive */
	rmtc_emit(fn, RMT_OP_MOV_I, reg, 0, 0, (s32)((s64)v >> 48));
	for (shift = 32; shift >= 0; shift -= 16) {
		rmtc_emit(fn, RMT_OP_LSH_I, reg, 0, 0, 16);
		if ((v >> shift) & 0xffff)
			rmtc_emit(fn, RMT_OP_OR_I, reg, 0, 0, (v >> shift) & 0xffff);
	}
}

/* Keep only what a value of @type holds, as C's conversion does. */
void rmtc_truncate(struct rmtc_fn *fn, int reg, enum rmtc_tok type)
{
	switch (type) {
	case RMTC_T_U8:
		rmtc_emit(fn, RMT_OP_AND_I, reg, 0, 0, 0xff);
		break;
	case RMTC_T_U16:
		rmtc_emit(fn, RMT_OP_AND_I, reg, 0, 0, 0xffff);
		break;
	case RMTC_T_U32:
		rmtc_emit(fn, RMT_OP_LSH_I, reg, 0, 0, 32);
		rmtc_emit(fn, RMT_OP_RSH_I, reg, 0, 0, 32);
		break;
	case RMTC_T_S8:
	case RMTC_T_S16:
	case RMTC_T_S32: {
		int bits = type == RMTC_T_S8 ? 56 : type == RMTC_T_S16 ? 48 : 32;

		rmtc_emit(fn, RMT_OP_LSH_I, reg, 0, 0, bits);
		rmtc_emit(fn, RMT_OP_ARSH_I, reg, 0, 0, bits);
		break;
	}
	default:
		break;
	}
}

/* Store @reg (already truncated) into a local. */
void rmtc_var_store(struct rmtc_fn *fn, struct rmtc_var *v, int reg)
{
	if (v->reg >= 0)
		rmtc_emit(fn, RMT_OP_MOV_R, v->reg, reg, 0, 0);
	else
		rmtc_emit(fn, RMT_OP_STXDW, RMT_REG_NONE, reg, v->slot, 0);
}

/* ---- context-map slots ---- */

/*
 * Resolve a mapslot: its map index in this program (added on first
 * use), and its slot node.  Returns the value-slot index, -1 for the
 * history, or INT32_MIN if it does not resolve (evaluate has reported).
 */
int rmtc_slot_index(struct rmtc_fn *fn, struct rmtc_node *ms, int *map,
		    struct rmtc_node **slot)
{
	struct rmtc_program *p = fn->L->prog;
	struct rmtc_node *m, *s;
	int idx = 0;

	m = rmtc_lookup(p->ctxmaps, p->nctxmaps, ms->name);
	if (!m)
		return INT32_MIN;
	for (s = m->c; s; s = s->next) {
		if (!strcmp(s->name, ms->b->name)) {
			*slot = s;
			*map = rmtc_map_index(fn, ms, m->name);
			return s->kind == RMTC_N_HISTORY ? -1 : idx;
		}
		if (s->kind != RMTC_N_HISTORY)
			idx++;
	}
	return INT32_MIN;
}

static int rmtc_mapslot_load(struct rmtc_fn *fn, struct rmtc_node *e)
{
	struct rmtc_node *slot;
	int map, idx, k, t;
	u64 n, hist;

	idx = rmtc_slot_index(fn, e, &map, &slot);
	if (idx == INT32_MIN)
		return rmtc_temp(fn, e);
	k = rmtc_gen_expr(fn, e->a);
	rmtc_set_loc(fn, e);
	if (idx >= 0) {
		rmtc_emit(fn, RMT_OP_LD_CTXT, k, k, idx, map);
		return k;
	}
	if (!e->c) {
		rmtc_fn_error(fn, e->b, "read one element: NAME[key].history[i]",
			      "history '%s' is not a single value", slot->name);
		return k;
	}
	hist = slot->a ? slot->a->value : 0;
	if (rmtc_const(fn, e->c, &n)) {
		if (n >= hist)
			rmtc_fn_error(fn, e->c, "element 0 is the most recent",
				      "history index %llu is past the %llu elements of '%s'",
				      (unsigned long long)n, (unsigned long long)hist,
				      slot->name);
		rmtc_emit(fn, RMT_OP_LD_CTXT, k, k, RMT_CTXT_HIST(n), map);
		return k;
	}
	/* a computed index: copy the ring to scratch, index it there */
	{
		int off = rmtc_scratch(fn, e, hist * 8, 8);

		rmtc_emit(fn, RMT_OP_VECTOR_LDH, 0, k, off,
			  RMT_IMM_PACK8(hist, 0, map, RMT_DT_I64));
		t = rmtc_gen_expr(fn, e->c);
		rmtc_set_loc(fn, e->c);
		rmtc_emit(fn, RMT_OP_SCALAR_VAL, k, t, off,
			  RMT_IMM_PACK16(RMT_DT_I64, hist));
		rmtc_free(fn, t);
	}
	return k;
}

/* ---- helper calls ---- */

static int rmtc_helper_id(const char *name)
{
	u32 id;

	for (id = 1; id < rmt_nr_helpers; id++)
		if (rmt_helper_info[id].name && !strcmp(rmt_helper_info[id].name, name))
			return id;
	return -1;
}

/*
 * Arguments are computed one by one into scratch (a frame per nesting
 * level of calls), then loaded into r1-rN; live temporaries in r1-r5
 * are saved around the call.
 */
static int rmtc_helper_call(struct rmtc_fn *fn, struct rmtc_node *e, int id)
{
	u32 nargs = rmt_helper_info[id].nargs, n = 0, i;
	struct rmtc_node *arg;
	u16 live;
	int frame, t, r;

	for (arg = e->a; arg; arg = arg->next)
		n++;
	if (n != nargs) {
		rmtc_fn_error(fn, e, NULL, "helper '%s' takes %u argument%s, not %u",
			      e->name, nargs, nargs == 1 ? "" : "s", n);
		return rmtc_temp(fn, e);
	}
	frame = rmtc_scratch(fn, e, 8 * (nargs + 5), 8);
	for (arg = e->a, i = 0; arg; arg = arg->next, i++) {
		t = rmtc_gen_expr(fn, arg);
		rmtc_emit(fn, RMT_OP_STXDW, RMT_REG_NONE, t, frame + 8 * i, 0);
		rmtc_free(fn, t);
	}
	rmtc_set_loc(fn, e);
	live = fn->busy & RMTC_TEMPS_LOW;
	for (r = 1; r <= 5; r++)
		if (live & (1u << r))
			rmtc_emit(fn, RMT_OP_STXDW, RMT_REG_NONE, r,
				  frame + 8 * (nargs + r - 1), 0);
	for (i = 0; i < nargs; i++)
		rmtc_emit(fn, RMT_OP_LDXDW, 1 + i, RMT_REG_NONE, frame + 8 * i, 0);
	rmtc_emit(fn, RMT_OP_CALL, 0, 0, 0, id);
	t = rmtc_temp(fn, e);
	rmtc_emit(fn, RMT_OP_MOV_R, t, 0, 0, 0);
	for (r = 1; r <= 5; r++)
		if (live & (1u << r))
			rmtc_emit(fn, RMT_OP_LDXDW, r, RMT_REG_NONE,
				  frame + 8 * (nargs + r - 1), 0);
	return t;
}

static int rmtc_call(struct rmtc_fn *fn, struct rmtc_node *e)
{
	struct rmtc_program *p = fn->L->prog;
	struct rmtc_node *m;
	int id;

	if (!strcmp(e->name, "s64") || !strcmp(e->name, "u64")) {
		if (!e->a || e->a->next) {
			rmtc_fn_error(fn, e, NULL, "%s() converts one value", e->name);
			return rmtc_temp(fn, e);
		}
		return rmtc_gen_expr(fn, e->a);
	}
	id = rmtc_helper_id(e->name);
	if (id > 0)
		return rmtc_helper_call(fn, e, id);
	m = rmtc_lookup(p->models, p->nmodels, e->name);
	if (m)
		return rmtc_model_call(fn, e, m);
	return rmtc_temp(fn, e);	/* evaluate has reported it */
}

/* ---- arithmetic ---- */

static const u8 rmtc_alu_ops[][2] = {
	/* token: register form, immediate form */
	[RMTC_T_PLUS] = { RMT_OP_ADD_R, RMT_OP_ADD_I },
	[RMTC_T_MINUS] = { RMT_OP_SUB_R, RMT_OP_SUB_I },
	[RMTC_T_STAR] = { RMT_OP_MUL_R, RMT_OP_MUL_I },
	[RMTC_T_AMP] = { RMT_OP_AND_R, RMT_OP_AND_I },
	[RMTC_T_PIPE] = { RMT_OP_OR_R, RMT_OP_OR_I },
	[RMTC_T_CARET] = { RMT_OP_XOR_R, RMT_OP_XOR_I },
	[RMTC_T_SHL] = { RMT_OP_LSH_R, RMT_OP_LSH_I },
	[RMTC_T_SHR] = { RMT_OP_RSH_R, RMT_OP_RSH_I },
	[RMTC_T_SLASH] = { RMT_OP_DIV_R, RMT_OP_DIV_I },
	[RMTC_T_PERCENT] = { RMT_OP_MOD_R, RMT_OP_MOD_I },
};

/*
 * Signed division and remainder, as in C (truncation toward zero, the
 * remainder takes the dividend's sign), from the unsigned opcodes.
 */
static void rmtc_signed_div(struct rmtc_fn *fn, struct rmtc_node *e, int a, int b,
			    bool mod)
{
	int neg = rmtc_temp(fn, e);

	rmtc_emit(fn, RMT_OP_MOV_I, neg, 0, 0, 0);
	rmtc_emit(fn, RMT_OP_JSGE_I, a, 0, 2, 0);
	rmtc_emit(fn, RMT_OP_NEG, a, 0, 0, 0);
	rmtc_emit(fn, RMT_OP_XOR_I, neg, 0, 0, 1);
	rmtc_emit(fn, RMT_OP_JSGE_I, b, 0, mod ? 1 : 2, 0);
	rmtc_emit(fn, RMT_OP_NEG, b, 0, 0, 0);
	if (!mod)
		rmtc_emit(fn, RMT_OP_XOR_I, neg, 0, 0, 1);
	rmtc_emit(fn, mod ? RMT_OP_MOD_R : RMT_OP_DIV_R, a, b, 0, 0);
	rmtc_emit(fn, RMT_OP_JEQ_I, neg, 0, 1, 0);
	rmtc_emit(fn, RMT_OP_NEG, a, 0, 0, 0);
	rmtc_free(fn, neg);
}

static int rmtc_arith(struct rmtc_fn *fn, struct rmtc_node *e)
{
	bool sgn = rmtc_is_signed(fn, e);
	bool divlike = e->op == RMTC_T_SLASH || e->op == RMTC_T_PERCENT;
	int a = rmtc_gen_expr(fn, e->a), b;
	u8 code_r = rmtc_alu_ops[e->op][0], code_i = rmtc_alu_ops[e->op][1];
	u64 c;

	if (e->op == RMTC_T_SHR && sgn) {
		code_r = RMT_OP_ARSH_R;
		code_i = RMT_OP_ARSH_I;
	}
	rmtc_set_loc(fn, e);
	if (rmtc_const(fn, e->b, &c) && rmtc_fits_imm(c) &&
	    !(divlike && (sgn || !c || (s64)c < 0))) {
		rmtc_emit(fn, code_i, a, 0, 0, (s32)c);
		return a;
	}
	b = rmtc_gen_expr(fn, e->b);
	rmtc_set_loc(fn, e);
	if (divlike && sgn)
		rmtc_signed_div(fn, e, a, b, e->op == RMTC_T_PERCENT);
	else
		rmtc_emit(fn, code_r, a, b, 0, 0);
	rmtc_free(fn, b);
	return a;
}

/* ---- conditions ---- */

/* Jump opcodes by comparison: { unsigned reg, signed reg }; imm = reg + 1. */
static u8 rmtc_jcc(enum rmtc_tok op, bool sgn)
{
	switch (op) {
	case RMTC_T_EQ:	return RMT_OP_JEQ_R;
	case RMTC_T_NE:	return RMT_OP_JNE_R;
	case RMTC_T_LT:	return sgn ? RMT_OP_JSLT_R : RMT_OP_JLT_R;
	case RMTC_T_LE:	return sgn ? RMT_OP_JSLE_R : RMT_OP_JLE_R;
	case RMTC_T_GT:	return sgn ? RMT_OP_JSGT_R : RMT_OP_JGT_R;
	case RMTC_T_GE:	return sgn ? RMT_OP_JSGE_R : RMT_OP_JGE_R;
	default:	return 0;
	}
}

static enum rmtc_tok rmtc_negate_cmp(enum rmtc_tok op)
{
	switch (op) {
	case RMTC_T_EQ:	return RMTC_T_NE;
	case RMTC_T_NE:	return RMTC_T_EQ;
	case RMTC_T_LT:	return RMTC_T_GE;
	case RMTC_T_LE:	return RMTC_T_GT;
	case RMTC_T_GT:	return RMTC_T_LE;
	default:	return RMTC_T_LT;	/* GE */
	}
}

static void rmtc_fix_add(struct rmtc_fn *fn, struct rmtc_node *e, u32 *fixups,
			 u32 *nfix, u32 at)
{
	if (*nfix == RMTC_MAX_FIX) {
		rmtc_fn_error(fn, e, "split the condition", "condition too complex");
		return;
	}
	fixups[(*nfix)++] = at;
}

void rmtc_patch(struct rmtc_fn *fn, u32 at, u32 target)
{
	if (at < fn->len)
		fn->insns[at].off = (s16)(target - at - 1);
}

static void rmtc_compare(struct rmtc_fn *fn, struct rmtc_node *e, bool jump_if,
			 u32 *fixups, u32 *nfix)
{
	bool sgn = rmtc_is_signed(fn, e->a) && rmtc_is_signed(fn, e->b);
	enum rmtc_tok op = jump_if ? e->op : rmtc_negate_cmp(e->op);
	int a = rmtc_gen_expr(fn, e->a), b;
	u64 c;

	if (rmtc_const(fn, e->a, &c))
		sgn = rmtc_is_signed(fn, e->b);
	else if (rmtc_const(fn, e->b, &c))
		sgn = rmtc_is_signed(fn, e->a);
	rmtc_set_loc(fn, e);
	if (rmtc_const(fn, e->b, &c) && rmtc_fits_imm(c)) {
		rmtc_fix_add(fn, e, fixups, nfix, fn->len);
		rmtc_emit(fn, rmtc_jcc(op, sgn) + 1, a, 0, 0, (s32)c);
	} else {
		b = rmtc_gen_expr(fn, e->b);
		rmtc_set_loc(fn, e);
		rmtc_fix_add(fn, e, fixups, nfix, fn->len);
		rmtc_emit(fn, rmtc_jcc(op, sgn), a, b, 0, 0);
		rmtc_free(fn, b);
	}
	rmtc_free(fn, a);
}

/**
 * rmtc_gen_cond() - lower a condition to jumps
 * @fn: the action
 * @e: the condition
 * @jump_if: jump when the condition has this truth value
 * @fixups: receives the jumps to patch with the target
 * @nfix: count in @fixups
 *
 * Falls through otherwise.  && and || short-circuit.
 */
void rmtc_gen_cond(struct rmtc_fn *fn, struct rmtc_node *e, bool jump_if,
	       u32 *fixups, u32 *nfix)
{
	u32 local[RMTC_MAX_FIX], nlocal = 0, i;
	bool and = e->op == RMTC_T_ANDAND;
	int r;

	if (e->kind == RMTC_N_UNARY && e->op == RMTC_T_BANG) {
		rmtc_gen_cond(fn, e->a, !jump_if, fixups, nfix);
		return;
	}
	if (e->kind == RMTC_N_BINARY && rmtc_jcc(e->op, false)) {
		rmtc_compare(fn, e, jump_if, fixups, nfix);
		return;
	}
	if (e->kind == RMTC_N_BINARY && (and || e->op == RMTC_T_OROR)) {
		/* a && b jumps on true only if both are; on false if either is not */
		if (jump_if == and) {
			rmtc_gen_cond(fn, e->a, !jump_if, local, &nlocal);
			rmtc_gen_cond(fn, e->b, jump_if, fixups, nfix);
			for (i = 0; i < nlocal; i++)
				rmtc_patch(fn, local[i], fn->len);
		} else {
			rmtc_gen_cond(fn, e->a, jump_if, fixups, nfix);
			rmtc_gen_cond(fn, e->b, jump_if, fixups, nfix);
		}
		return;
	}
	r = rmtc_gen_expr(fn, e);
	rmtc_set_loc(fn, e);
	rmtc_fix_add(fn, e, fixups, nfix, fn->len);
	rmtc_emit(fn, jump_if ? RMT_OP_JNE_I : RMT_OP_JEQ_I, r, 0, 0, 0);
	rmtc_free(fn, r);
}

/* A condition's value as 0 or 1. */
static int rmtc_bool(struct rmtc_fn *fn, struct rmtc_node *e)
{
	u32 fix[RMTC_MAX_FIX], nfix = 0, i;
	int t = rmtc_temp(fn, e);

	rmtc_emit(fn, RMT_OP_MOV_I, t, 0, 0, 1);
	rmtc_gen_cond(fn, e, true, fix, &nfix);
	rmtc_emit(fn, RMT_OP_MOV_I, t, 0, 0, 0);
	for (i = 0; i < nfix; i++)
		rmtc_patch(fn, fix[i], fn->len);
	return t;
}

/* ---- expressions ---- */

static int rmtc_name(struct rmtc_fn *fn, struct rmtc_node *e)
{
	struct rmtc_var *v = rmtc_var(fn, e->name);
	int t = rmtc_temp(fn, e);
	u64 c;

	if (!v) {
		rmtc_movi64(fn, t, rmtc_const(fn, e, &c) ? c : 0);
	} else if (v->reg >= 0) {
		rmtc_emit(fn, RMT_OP_MOV_R, t, v->reg, 0, 0);
		if (v->bias && rmtc_fits_imm(v->bias)) {
			rmtc_emit(fn, RMT_OP_ADD_I, t, 0, 0, (s32)v->bias);
		} else if (v->bias) {
			int b = rmtc_temp(fn, e);

			rmtc_movi64(fn, b, v->bias);
			rmtc_emit(fn, RMT_OP_ADD_R, t, b, 0, 0);
			rmtc_free(fn, b);
		}
	} else {
		rmtc_emit(fn, RMT_OP_LDXDW, t, RMT_REG_NONE, v->slot, 0);
	}
	return t;
}

/**
 * rmtc_field_access() - load or store a context field, or an element of a
 * field array (ctx.NAME[i])
 * @fn: the action
 * @e: the field expression
 * @reg: the value to store, or the register to load into
 * @store: store rather than load
 *
 * A constant index picks the field at compile time; a computed one
 * tests each element in turn (LDF/STF take constant field numbers): an
 * index past the end loads 0 and stores nothing.
 */
void rmtc_field_access(struct rmtc_fn *fn, struct rmtc_node *e, int reg, bool store)
{
	u32 fix[RMT_SWAP_RA_MAX * 2], nfix = 0, i;
	unsigned int len = 1;
	int f, idx;
	u64 c = 0;

	f = rmtc_field_range(fn->hook, e->name, e->c != NULL, &len);
	if (f < 0)
		return;		/* evaluate has reported it */
	if (!e->c || (rmtc_const(fn, e->c, &c) && c < len)) {
		rmtc_set_loc(fn, e);
		if (store)
			rmtc_emit(fn, RMT_OP_STF, 0, reg, f + c, 0);
		else
			rmtc_emit(fn, RMT_OP_LDF, reg, 0, f + c, 0);
		return;
	}
	idx = rmtc_gen_expr(fn, e->c);
	rmtc_set_loc(fn, e);
	if (!store)
		rmtc_emit(fn, RMT_OP_MOV_I, reg, 0, 0, 0);
	for (i = 0; i < len && i < RMT_SWAP_RA_MAX * 2; i++) {
		rmtc_emit(fn, RMT_OP_JNE_I, idx, 0, 2, i);
		if (store)
			rmtc_emit(fn, RMT_OP_STF, 0, reg, f + i, 0);
		else
			rmtc_emit(fn, RMT_OP_LDF, reg, 0, f + i, 0);
		fix[nfix++] = rmtc_emit(fn, RMT_OP_JA, 0, 0, 0, 0);
	}
	for (i = 0; i < nfix; i++)
		rmtc_patch(fn, fix[i], fn->len);
	rmtc_free(fn, idx);
}

static int rmtc_field_load(struct rmtc_fn *fn, struct rmtc_node *e)
{
	int t = rmtc_temp(fn, e);

	rmtc_field_access(fn, e, t, false);
	return t;
}

/**
 * rmtc_gen_expr() - lower an expression into a fresh temporary
 * @fn: the action
 * @e: the expression
 *
 * Return: the register, which the caller frees with rmtc_free().
 */
int rmtc_gen_expr(struct rmtc_fn *fn, struct rmtc_node *e)
{
	int t;
	u64 c;

	if (rmtc_const(fn, e, &c)) {
		t = rmtc_temp(fn, e);
		rmtc_movi64(fn, t, c);
		return t;
	}
	switch (e->kind) {
	case RMTC_N_NAME:
		return rmtc_name(fn, e);
	case RMTC_N_FIELD:
		return rmtc_field_load(fn, e);
	case RMTC_N_MAPSLOT:
		return rmtc_mapslot_load(fn, e);
	case RMTC_N_CALL:
		return rmtc_call(fn, e);
	case RMTC_N_UNARY:
		if (e->op == RMTC_T_BANG)
			return rmtc_bool(fn, e);
		t = rmtc_gen_expr(fn, e->a);
		if (e->op == RMTC_T_MINUS)
			rmtc_emit(fn, RMT_OP_NEG, t, 0, 0, 0);
		else if (e->op == RMTC_T_TILDE)
			rmtc_emit(fn, RMT_OP_XOR_I, t, 0, 0, -1);
		return t;
	case RMTC_N_BINARY:
		if (rmtc_jcc(e->op, false) || e->op == RMTC_T_ANDAND ||
		    e->op == RMTC_T_OROR)
			return rmtc_bool(fn, e);
		if (e->op < sizeof(rmtc_alu_ops) / sizeof(rmtc_alu_ops[0]) &&
		    rmtc_alu_ops[e->op][0])
			return rmtc_arith(fn, e);
		break;
	default:
		break;
	}
	rmtc_fn_error(fn, e, NULL, "this expression has no value");
	return rmtc_temp(fn, e);
}
