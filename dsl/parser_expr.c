// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's expression parser: precedence climbing over C's binary
 * operators, then unary operators and primaries (integers, names,
 * ctx.FIELD, MAP[KEY].SLOT[INDEX], calls, parentheses).
 */
#include "parser_internal.h"

/* Binding power of a binary operator; 0 if it is not one. */
static int rmtc_prec(enum rmtc_tok k)
{
	switch (k) {
	case RMTC_T_OROR:	return 1;
	case RMTC_T_ANDAND:	return 2;
	case RMTC_T_PIPE:	return 3;
	case RMTC_T_CARET:	return 4;
	case RMTC_T_AMP:	return 5;
	case RMTC_T_EQ: case RMTC_T_NE:
		return 6;
	case RMTC_T_LT: case RMTC_T_LE: case RMTC_T_GT: case RMTC_T_GE:
		return 7;
	case RMTC_T_SHL: case RMTC_T_SHR:
		return 8;
	case RMTC_T_PLUS: case RMTC_T_MINUS:
		return 9;
	case RMTC_T_STAR: case RMTC_T_SLASH: case RMTC_T_PERCENT:
		return 10;
	default:
		return 0;
	}
}

static struct rmtc_node *rmtc_unary(struct rmtc_parser *p);

static unsigned int rmtc_h(const struct rmtc_node *n)
{
	unsigned int h = 0;

	for (; n; n = n->next)	/* a list: its tallest member */
		h = n->height > h ? n->height : h;
	return h;
}

/*
 * Give @n its height from its children, refusing trees too deep for the
 * later stages, which recurse over them.
 */
static struct rmtc_node *rmtc_tall(struct rmtc_parser *p, struct rmtc_node *n)
{
	unsigned int h = rmtc_h(n->a);

	h = rmtc_h(n->b) > h ? rmtc_h(n->b) : h;
	h = rmtc_h(n->c) > h ? rmtc_h(n->c) : h;
	n->height = h + 1;
	if (n->height <= RMTC_MAX_EXPR_HEIGHT)
		return n;
	rmtc_error(p->diags, n->loc, "split it with local variables",
		   "expression nested more than %d levels deep", RMTC_MAX_EXPR_HEIGHT);
	return NULL;
}

/**
 * rmtc_expr_list() - "E {, E}" into a list
 * @p: parser
 * @list: receives the list
 *
 * Return: false after reporting an error.
 */
bool rmtc_expr_list(struct rmtc_parser *p, struct rmtc_node **list)
{
	struct rmtc_node **tail = list, *e;

	*list = NULL;
	do {
		e = rmtc_expr(p);
		if (!e)
			return false;
		rmtc_append(&tail, e);
	} while (rmtc_accept(p, RMTC_T_COMMA));
	return true;
}

/* Call arguments after '(': "E {, E} )" or just ")". */
static struct rmtc_node *rmtc_args(struct rmtc_parser *p)
{
	struct rmtc_node *args;

	if (rmtc_accept(p, RMTC_T_RPAREN))
		return NULL;
	if (rmtc_expr_list(p, &args))
		rmtc_expect(p, RMTC_T_RPAREN);
	return args;
}

/* NAME[KEY].SLOT or NAME[KEY].SLOT[INDEX], after NAME. */
static struct rmtc_node *rmtc_mapslot(struct rmtc_parser *p,
				      struct rmtc_node *name)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_MAPSLOT, &p->tok);

	n->loc = name->loc;
	n->name = name->name;
	rmtc_next(p);		/* '[' */
	if (!(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_RBRACKET) ||
	    !rmtc_expect(p, RMTC_T_DOT) ||
	    !(n->b = rmtc_ident(p, "a slot name")))
		return NULL;
	if (rmtc_accept(p, RMTC_T_LBRACKET) &&
	    (!(n->c = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_RBRACKET)))
		return NULL;
	return rmtc_tall(p, n);
}

static struct rmtc_node *rmtc_primary(struct rmtc_parser *p)
{
	struct rmtc_token at = p->tok;
	struct rmtc_node *n;

	switch (p->tok.kind) {
	case RMTC_T_INT:
	case RMTC_T_TRUE:
	case RMTC_T_FALSE:
		n = rmtc_node(p, RMTC_N_INT, &at);
		n->value = at.kind == RMTC_T_INT ? at.value : at.kind == RMTC_T_TRUE;
		rmtc_next(p);
		return n;
	case RMTC_T_CTX:
		rmtc_next(p);
		if (!rmtc_expect(p, RMTC_T_DOT) ||
		    !(n = rmtc_ident(p, "a context field after 'ctx.'")))
			return NULL;
		n->kind = RMTC_N_FIELD;
		/* point at the whole `ctx.NAME` */
		if (n->loc.line == at.loc.line)
			at.loc.len = n->loc.col + n->loc.len - at.loc.col;
		n->loc = at.loc;
		/* ctx.NAME[i]: element i of the fields NAME0, NAME1, ... */
		if (rmtc_accept(p, RMTC_T_LBRACKET)) {
			if (!(n->c = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_RBRACKET))
				return NULL;
			return rmtc_tall(p, n);
		}
		return n;
	case RMTC_T_LPAREN:
		rmtc_next(p);
		n = rmtc_expr(p);
		return n && rmtc_expect(p, RMTC_T_RPAREN) ? n : NULL;
	case RMTC_T_IDENT:
		n = rmtc_ident(p, "a name");
		if (rmtc_is(p, RMTC_T_LBRACKET))
			return rmtc_mapslot(p, n);
		if (rmtc_accept(p, RMTC_T_LPAREN)) {
			n->kind = RMTC_N_CALL;
			n->a = rmtc_args(p);
			return rmtc_tall(p, n);
		}
		return n;
	default:
		/* casts read as calls: s64(x) */
		if (rmtc_is_type(at.kind)) {
			rmtc_next(p);
			if (!rmtc_expect(p, RMTC_T_LPAREN))
				return NULL;
			n = rmtc_node(p, RMTC_N_CALL, &at);
			n->name = rmtc_tok_name(at.kind);
			n->a = rmtc_args(p);
			return rmtc_tall(p, n);
		}
		rmtc_expected(p, "an expression");
		return NULL;
	}
}

static struct rmtc_node *rmtc_unary(struct rmtc_parser *p)
{
	struct rmtc_node *n;

	if (rmtc_is(p, RMTC_T_MINUS) || rmtc_is(p, RMTC_T_TILDE) ||
	    rmtc_is(p, RMTC_T_BANG)) {
		n = rmtc_node(p, RMTC_N_UNARY, &p->tok);
		n->op = p->tok.kind;
		rmtc_next(p);
		if (p->nesting >= RMTC_MAX_EXPR_HEIGHT) {
			rmtc_error(p->diags, n->loc, NULL,
				   "more than %d unary operators in a row",
				   RMTC_MAX_EXPR_HEIGHT);
			return NULL;
		}
		p->nesting++;
		n->a = rmtc_unary(p);
		p->nesting--;
		return n->a ? rmtc_tall(p, n) : NULL;
	}
	return rmtc_primary(p);
}

static struct rmtc_node *rmtc_binary(struct rmtc_parser *p, int min)
{
	struct rmtc_node *lhs = rmtc_unary(p), *n;
	int prec;

	while (lhs && (prec = rmtc_prec(p->tok.kind)) >= min) {
		n = rmtc_node(p, RMTC_N_BINARY, &p->tok);
		n->op = p->tok.kind;
		n->loc = lhs->loc;
		rmtc_next(p);
		n->a = lhs;
		n->b = rmtc_binary(p, prec + 1);	/* left-associative */
		lhs = n->b ? rmtc_tall(p, n) : NULL;
	}
	return lhs;
}

/* An expression, or NULL after reporting why not. */
struct rmtc_node *rmtc_expr(struct rmtc_parser *p)
{
	struct rmtc_node *n;

	if (p->nesting >= RMTC_MAX_NESTING) {
		rmtc_error(p->diags, p->tok.loc, "split it with local variables or actions",
			   "nested more than %d levels deep (blocks, parentheses, calls)",
			   RMTC_MAX_NESTING);
		return NULL;
	}
	p->nesting++;
	n = rmtc_binary(p, 1);
	p->nesting--;
	return n;
}
