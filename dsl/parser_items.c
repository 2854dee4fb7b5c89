// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's parser for top-level items: include, const, ctxmap, model,
 * action and table (node shapes: see parser.c).
 */
#include <string.h>

#include "parser_internal.h"

bool rmtc_item_start(enum rmtc_tok k)
{
	return k == RMTC_T_INCLUDE || k == RMTC_T_CONST || k == RMTC_T_CTXMAP ||
	       k == RMTC_T_MODEL || k == RMTC_T_ACTION || k == RMTC_T_TABLE;
}

/* KEYWORD NAME: the item node, named, with the keyword consumed. */
static struct rmtc_node *rmtc_named(struct rmtc_parser *p,
				    enum rmtc_node_kind kind, const char *what)
{
	struct rmtc_node *n = rmtc_node(p, kind, &p->tok), *id;

	rmtc_next(p);
	id = rmtc_ident(p, what);
	if (!id)
		return NULL;
	n->name = id->name;
	return n;
}

static struct rmtc_node *rmtc_include(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_INCLUDE, &p->tok);

	rmtc_next(p);
	if (!rmtc_is(p, RMTC_T_STRING)) {
		rmtc_expected(p, "a file name in quotes");
		return NULL;
	}
	n->name = rmtc_text(p, &p->tok);
	rmtc_next(p);
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_const(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_named(p, RMTC_N_CONST, "a constant name");

	if (!n || !rmtc_expect(p, RMTC_T_ASSIGN) || !(n->a = rmtc_expr(p)) ||
	    !rmtc_expect(p, RMTC_T_SEMI))
		return NULL;
	return n;
}

static struct rmtc_node *rmtc_slot(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_SLOT, &p->tok), *id;

	if (rmtc_accept(p, RMTC_T_HISTORY)) {
		n->kind = RMTC_N_HISTORY;
		n->op = rmtc_type(p);
		if (!rmtc_expect(p, RMTC_T_LBRACKET) || !(n->a = rmtc_expr(p)) ||
		    !rmtc_expect(p, RMTC_T_RBRACKET))
			return NULL;
	} else {
		n->op = rmtc_type(p);
	}
	id = rmtc_ident(p, "a slot name");
	if (!id || !rmtc_expect(p, RMTC_T_SEMI))
		return NULL;
	n->name = id->name;
	return n;
}

static struct rmtc_node *rmtc_ctxmap(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_named(p, RMTC_N_CTXMAP, "a context-map name");
	struct rmtc_node **tail;

	if (!n || !rmtc_expect(p, RMTC_T_KEYED) ||
	    !(n->a = rmtc_ident(p, "a key kind (pid, tgid, cgroup, inode, any)")))
		return NULL;
	if (rmtc_accept(p, RMTC_T_SIZE) && !(n->b = rmtc_expr(p)))
		return NULL;
	if (!rmtc_expect(p, RMTC_T_LBRACE))
		return NULL;
	tail = &n->c;
	while (!rmtc_is(p, RMTC_T_RBRACE) && !rmtc_is(p, RMTC_T_EOF)) {
		struct rmtc_node *s = rmtc_slot(p);

		if (!s)
			rmtc_sync_stmt(p);
		rmtc_append(&tail, s);
	}
	return rmtc_expect(p, RMTC_T_RBRACE) ? n : NULL;
}

/* A string naming a file, or [v, v, ...] inline. */
static struct rmtc_node *rmtc_source(struct rmtc_parser *p)
{
	struct rmtc_node *n;

	if (rmtc_is(p, RMTC_T_STRING)) {
		n = rmtc_node(p, RMTC_N_STRING, &p->tok);
		n->name = rmtc_text(p, &p->tok);
		rmtc_next(p);
		return n;
	}
	n = rmtc_node(p, RMTC_N_LIST, &p->tok);
	if (!rmtc_expect(p, RMTC_T_LBRACKET) || !rmtc_expr_list(p, &n->a))
		return NULL;
	return rmtc_expect(p, RMTC_T_RBRACKET) ? n : NULL;
}

static struct rmtc_node *rmtc_layer(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_LAYER, &p->tok), **opts = &n->d;

	if (!rmtc_expect(p, RMTC_T_LAYER))
		return NULL;
	n->op = p->tok.kind;
	if (!rmtc_accept(p, RMTC_T_INT8) && !rmtc_accept(p, RMTC_T_INT16)) {
		rmtc_expected(p, "int8 or int16");
		return NULL;
	}
	if (!(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_WEIGHTS) ||
	    !(n->b = rmtc_source(p)))
		return NULL;
	if (rmtc_accept(p, RMTC_T_BIAS) && !(n->c = rmtc_source(p)))
		return NULL;
	while (rmtc_is(p, RMTC_T_SHIFT) || rmtc_is(p, RMTC_T_RELU) ||
	       (rmtc_is(p, RMTC_T_IDENT) && p->tok.loc.len == 5 &&
		!strncmp(p->tok.text, "scale", 5))) {
		struct rmtc_node *o = rmtc_node(p, RMTC_N_NAME, &p->tok);

		o->name = rmtc_text(p, &p->tok);
		rmtc_next(p);
		if (strcmp(o->name, "relu") && !(o->a = rmtc_expr(p)))
			return NULL;
		rmtc_append(&opts, o);
	}
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_model_body(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_MLP, &p->tok), **tail;

	if (rmtc_accept(p, RMTC_T_MLP)) {
		if (!rmtc_expect(p, RMTC_T_LBRACE) ||
		    !rmtc_ident(p, "'input'") || !(n->a = rmtc_expr(p)) ||
		    !rmtc_expect(p, RMTC_T_SEMI))
			return NULL;
		tail = &n->b;
		while (rmtc_is(p, RMTC_T_LAYER)) {
			struct rmtc_node *l = rmtc_layer(p);

			if (!l)
				return NULL;
			rmtc_append(&tail, l);
		}
		return rmtc_expect(p, RMTC_T_RBRACE) ? n : NULL;
	}
	if (rmtc_accept(p, RMTC_T_DTREE)) {
		n->kind = RMTC_N_DTREE;
		if (!(n->a = rmtc_source(p)) || !rmtc_ident(p, "'features'") ||
		    !(n->b = rmtc_expr(p)))
			return NULL;
		return n;
	}
	if (rmtc_accept(p, RMTC_T_LINEAR)) {
		n->kind = RMTC_N_LINEAR;
		n->op = p->tok.kind;
		if ((!rmtc_accept(p, RMTC_T_INT8) && !rmtc_accept(p, RMTC_T_INT16)) ||
		    !(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_WEIGHTS) ||
		    !(n->b = rmtc_source(p)))
			return NULL;
		if (rmtc_accept(p, RMTC_T_BIAS) && !(n->c = rmtc_source(p)))
			return NULL;
		return n;
	}
	rmtc_expected(p, "mlp, dtree or linear");
	return NULL;
}

static struct rmtc_node *rmtc_model(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_named(p, RMTC_N_MODEL, "a model name");

	if (!n || !rmtc_expect(p, RMTC_T_ASSIGN) || !(n->a = rmtc_model_body(p)) ||
	    !rmtc_expect(p, RMTC_T_SEMI))
		return NULL;
	return n;
}

static struct rmtc_node *rmtc_params(struct rmtc_parser *p)
{
	struct rmtc_node *params = NULL, **tail = &params;

	if (!rmtc_accept(p, RMTC_T_LPAREN))
		return NULL;
	do {
		struct rmtc_node *n = rmtc_node(p, RMTC_N_PARAM, &p->tok), *id;

		n->op = rmtc_type(p);
		id = rmtc_ident(p, "a parameter name");
		if (!id)
			return NULL;
		n->name = id->name;
		rmtc_append(&tail, n);
	} while (rmtc_accept(p, RMTC_T_COMMA));
	rmtc_expect(p, RMTC_T_RPAREN);
	return params;
}

static struct rmtc_node *rmtc_action(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_named(p, RMTC_N_ACTION, "an action name");

	if (!n || !rmtc_expect(p, RMTC_T_AT) ||
	    !(n->a = rmtc_ident(p, "a hook name")))
		return NULL;
	n->b = rmtc_params(p);
	if (!rmtc_expect(p, RMTC_T_ARROW))
		return NULL;
	n->op = rmtc_type(p);
	if (n->op == RMTC_T_EOF || !(n->c = rmtc_block(p)))
		return NULL;
	return n;
}

/* FIELD = V [& MASK] | FIELD in LO..HI | FIELD = V / PREFIX */
static struct rmtc_node *rmtc_match(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_MATCH, &p->tok), *id;

	id = rmtc_ident(p, "a key field");
	if (!id)
		return NULL;
	n->name = id->name;
	if (rmtc_accept(p, RMTC_T_IN)) {
		n->op = RMTC_T_IN;
		if (!(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_DOTDOT) ||
		    !(n->b = rmtc_expr(p)))
			return NULL;
		return n;
	}
	n->op = RMTC_T_ASSIGN;
	/*
	 * "V & MASK" and "V / PREFIX" parse as the value's top-level '&'
	 * or '/'; evaluate splits them by the table's match kind.
	 */
	if (!rmtc_expect(p, RMTC_T_ASSIGN) || !(n->a = rmtc_expr(p)))
		return NULL;
	return n;
}

static struct rmtc_node *rmtc_entry(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_ENTRY, &p->tok), **tail, *id;

	rmtc_next(p);
	if (!rmtc_expect(p, RMTC_T_LBRACE))
		return NULL;
	tail = &n->a;
	do {
		struct rmtc_node *m = rmtc_match(p);

		if (!m)
			return NULL;
		rmtc_append(&tail, m);
	} while (rmtc_accept(p, RMTC_T_COMMA));
	if (!rmtc_expect(p, RMTC_T_RBRACE))
		return NULL;
	if (rmtc_is(p, RMTC_T_IDENT) && p->tok.loc.len == 8 &&
	    !strncmp(p->tok.text, "priority", 8)) {
		rmtc_next(p);
		if (!(n->b = rmtc_expr(p)))
			return NULL;
	}
	if (!rmtc_expect(p, RMTC_T_ARROW) || !(id = rmtc_ident(p, "an action name")))
		return NULL;
	n->name = id->name;
	if (rmtc_accept(p, RMTC_T_LPAREN) &&
	    (!rmtc_expr_list(p, &n->c) || !rmtc_expect(p, RMTC_T_RPAREN)))
		return NULL;
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_table_item(struct rmtc_parser *p)
{
	struct rmtc_node *n, **tail;

	switch (p->tok.kind) {
	case RMTC_T_KEY:
		n = rmtc_node(p, RMTC_N_KEY, &p->tok);
		rmtc_next(p);
		tail = &n->a;
		do {
			struct rmtc_node *f = rmtc_ident(p, "a key field");

			if (!f)
				return NULL;
			rmtc_append(&tail, f);
		} while (rmtc_accept(p, RMTC_T_COMMA));
		if (!rmtc_expect(p, RMTC_T_COLON))
			return NULL;
		n->op = p->tok.kind;
		if (!rmtc_accept(p, RMTC_T_EXACT) && !rmtc_accept(p, RMTC_T_TERNARY) &&
		    !rmtc_accept(p, RMTC_T_RANGE) && !rmtc_accept(p, RMTC_T_LPM)) {
			rmtc_expected(p, "exact, ternary, range or lpm");
			return NULL;
		}
		break;
	case RMTC_T_SIZE:
		n = rmtc_node(p, RMTC_N_SIZE, &p->tok);
		rmtc_next(p);
		if (!(n->a = rmtc_expr(p)))
			return NULL;
		break;
	case RMTC_T_DEFAULT:
		n = rmtc_node(p, RMTC_N_DEFAULT, &p->tok);
		rmtc_next(p);
		if (rmtc_accept(p, RMTC_T_KERNEL)) {
			n->name = "kernel";
		} else {
			struct rmtc_node *id = rmtc_ident(p, "an action name or 'kernel'");

			if (!id)
				return NULL;
			n->name = id->name;
		}
		break;
	case RMTC_T_ENTRY:
		return rmtc_entry(p);
	default:
		/* latency NS: a guardrail, not a reserved word */
		if (rmtc_is(p, RMTC_T_IDENT) && p->tok.loc.len == 7 &&
		    !strncmp(p->tok.text, "latency", 7)) {
			n = rmtc_node(p, RMTC_N_LATENCY, &p->tok);
			rmtc_next(p);
			if (!(n->a = rmtc_expr(p)))
				return NULL;
			break;
		}
		rmtc_expected(p, "key, size, default, latency or entry");
		return NULL;
	}
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_table(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_named(p, RMTC_N_TABLE, "a table name");
	struct rmtc_node **tail;

	if (!n || !rmtc_expect(p, RMTC_T_AT) ||
	    !(n->a = rmtc_ident(p, "a hook name")) || !rmtc_expect(p, RMTC_T_LBRACE))
		return NULL;
	tail = &n->b;
	while (!rmtc_is(p, RMTC_T_RBRACE) && !rmtc_is(p, RMTC_T_EOF)) {
		struct rmtc_node *it = rmtc_table_item(p);

		if (!it)
			rmtc_sync_stmt(p);
		rmtc_append(&tail, it);
	}
	return rmtc_expect(p, RMTC_T_RBRACE) ? n : NULL;
}

/* One top-level item, or NULL after reporting why not. */
struct rmtc_node *rmtc_item(struct rmtc_parser *p)
{
	switch (p->tok.kind) {
	case RMTC_T_INCLUDE:
		return rmtc_include(p);
	case RMTC_T_CONST:
		return rmtc_const(p);
	case RMTC_T_CTXMAP:
		return rmtc_ctxmap(p);
	case RMTC_T_MODEL:
		return rmtc_model(p);
	case RMTC_T_ACTION:
		return rmtc_action(p);
	case RMTC_T_TABLE:
		return rmtc_table(p);
	default:
		rmtc_expected(p, "include, const, ctxmap, model, action or table");
		return NULL;
	}
}
