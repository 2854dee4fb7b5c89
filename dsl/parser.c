// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's parser: recursive descent over the grammar in docs/dsl.md.
 *
 * Node shapes (children a, b, c, d):
 *   include name=path; const name a=expr
 *   ctxmap name a=(name key kind) b=size c=slots; slot op=type name;
 *   history op=type name a=length
 *   model name a=mlp|dtree|linear; mlp a=inputs b=layers;
 *   layer op=int8|int16 a=units b=weights c=bias d=options;
 *   dtree a=source b=features; linear op a=units b=weights c=bias
 *   action name op=return type a=(name hook) b=params c=block
 *   table name a=(name hook) b=items: key op=match a=fields; size a;
 *   default name; latency a; entry name=action a=matches b=priority c=args;
 *   match name=field op='='|in|'/' a=value b=mask|high|prefix
 *   block a=stmts; decl op=type name a=init; assign op a=lvalue b=value;
 *   push a=mapslot b=value; if a=cond b=then c=else;
 *   for op=type name a=from b=to c=block; return a; expr a
 *   int value; name name; field name (ctx.NAME); string name;
 *   mapslot name=map a=key b=(name slot) c=index; call name a=args;
 *   binary op a b; unary op a; list a=items
 *
 * After an error the parser skips to a point it can resume from (the
 * end of the statement or item) and goes on, so one run reports every
 * independent syntax error.
 */
#include <stdlib.h>
#include <string.h>

#include "parser_internal.h"

void *rmtc_alloc(struct rmtc_parser *p, size_t size)
{
	/* the table doubles at 16, 32, 64, ... entries */
	bool grow = p->narena >= 16 ? !(p->narena & (p->narena - 1)) : !p->narena;
	void **a = grow ? realloc(p->arena, (p->narena ? 2 * p->narena : 16) *
				  sizeof(*a)) : p->arena;
	void *m = calloc(1, size);

	if (!a || !m)
		abort();	/* a compiler out of memory has nothing to save */
	p->arena = a;
	p->arena[p->narena++] = m;
	return m;
}

struct rmtc_node *rmtc_node(struct rmtc_parser *p,
				   enum rmtc_node_kind kind,
				   const struct rmtc_token *at)
{
	struct rmtc_node *n = rmtc_alloc(p, sizeof(*n));

	n->kind = kind;
	n->loc = at->loc;
	return n;
}

const char *rmtc_text(struct rmtc_parser *p, const struct rmtc_token *t)
{
	char *s;

	if (t->kind == RMTC_T_STRING)
		return t->str;
	s = rmtc_alloc(p, t->loc.len + 1);
	memcpy(s, t->text, t->loc.len);
	return s;
}

void rmtc_next(struct rmtc_parser *p)
{
	rmtc_scan(&p->scan, &p->tok);
}

bool rmtc_is(const struct rmtc_parser *p, enum rmtc_tok kind)
{
	return p->tok.kind == kind;
}

bool rmtc_accept(struct rmtc_parser *p, enum rmtc_tok kind)
{
	if (!rmtc_is(p, kind))
		return false;
	rmtc_next(p);
	return true;
}

/* Report "expected X, found Y" at the current token; false. */
bool rmtc_expected(struct rmtc_parser *p, const char *what)
{
	if (rmtc_is(p, RMTC_T_EOF))
		rmtc_error(p->diags, p->tok.loc, NULL, "expected %s at the end of the file",
			   what);
	else
		rmtc_error(p->diags, p->tok.loc, NULL, "expected %s, found '%.*s'",
			   what, (int)p->tok.loc.len, p->tok.text);
	return false;
}

bool rmtc_expect(struct rmtc_parser *p, enum rmtc_tok kind)
{
	char what[32];

	if (rmtc_accept(p, kind))
		return true;
	snprintf(what, sizeof(what), "'%s'", rmtc_tok_name(kind));
	return rmtc_expected(p, what);
}

struct rmtc_node *rmtc_ident(struct rmtc_parser *p, const char *what)
{
	struct rmtc_node *n;

	if (!rmtc_is(p, RMTC_T_IDENT)) {
		rmtc_expected(p, what);
		return NULL;
	}
	n = rmtc_node(p, RMTC_N_NAME, &p->tok);
	n->name = rmtc_text(p, &p->tok);
	rmtc_next(p);
	return n;
}

/* Append @n to the list at *@tail. */
void rmtc_append(struct rmtc_node ***tail, struct rmtc_node *n)
{
	if (!n)
		return;
	**tail = n;
	*tail = &n->next;
}

/* ---- statements ---- */

bool rmtc_is_type(enum rmtc_tok k)
{
	return k == RMTC_T_U8 || k == RMTC_T_U16 || k == RMTC_T_U32 ||
	       k == RMTC_T_U64 || k == RMTC_T_S8 || k == RMTC_T_S16 ||
	       k == RMTC_T_S32 || k == RMTC_T_S64;
}

enum rmtc_tok rmtc_type(struct rmtc_parser *p)
{
	enum rmtc_tok k = p->tok.kind;

	if (!rmtc_is_type(k)) {
		rmtc_expected(p, "a type (u8-u64, s8-s64)");
		return RMTC_T_EOF;
	}
	rmtc_next(p);
	return k;
}

/* Skip to the end of the statement: past ';', or up to '}'. */
void rmtc_sync_stmt(struct rmtc_parser *p)
{
	while (!rmtc_is(p, RMTC_T_EOF) && !rmtc_is(p, RMTC_T_RBRACE)) {
		if (rmtc_accept(p, RMTC_T_SEMI))
			return;
		rmtc_next(p);
	}
}

static struct rmtc_node *rmtc_stmt_decl(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_DECL, &p->tok), *id;

	n->op = rmtc_type(p);
	id = rmtc_ident(p, "a variable name");
	if (!id)
		return NULL;
	n->name = id->name;
	if (rmtc_accept(p, RMTC_T_ASSIGN) && !(n->a = rmtc_expr(p)))
		return NULL;
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_stmt_if(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_IF, &p->tok);

	rmtc_next(p);
	if (!rmtc_expect(p, RMTC_T_LPAREN) || !(n->a = rmtc_expr(p)) ||
	    !rmtc_expect(p, RMTC_T_RPAREN) || !(n->b = rmtc_block(p)))
		return NULL;
	if (!rmtc_accept(p, RMTC_T_ELSE))
		return n;
	if (!rmtc_is(p, RMTC_T_IF)) {
		n->c = rmtc_block(p);
		return n;
	}
	/* else-if chains recurse here and in every later stage: bound them */
	if (p->nesting >= RMTC_MAX_NESTING) {
		rmtc_error(p->diags, p->tok.loc, "use a table, or split the chain",
			   "more than %d else-if branches nested", RMTC_MAX_NESTING);
		return NULL;
	}
	p->nesting++;
	n->c = rmtc_stmt_if(p);
	p->nesting--;
	return n;
}

static struct rmtc_node *rmtc_stmt_for(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_FOR, &p->tok), *id;

	rmtc_next(p);
	if (!rmtc_expect(p, RMTC_T_LPAREN))
		return NULL;
	n->op = rmtc_type(p);
	id = rmtc_ident(p, "a loop variable");
	if (!id || !rmtc_expect(p, RMTC_T_IN) || !(n->a = rmtc_expr(p)) ||
	    !rmtc_expect(p, RMTC_T_DOTDOT) || !(n->b = rmtc_expr(p)) ||
	    !rmtc_expect(p, RMTC_T_RPAREN) || !(n->c = rmtc_block(p)))
		return NULL;
	n->name = id->name;
	return n;
}

static bool rmtc_is_assign(enum rmtc_tok k)
{
	return k == RMTC_T_ASSIGN || k == RMTC_T_ADD_ASSIGN ||
	       k == RMTC_T_SUB_ASSIGN || k == RMTC_T_MUL_ASSIGN ||
	       k == RMTC_T_SHL_ASSIGN || k == RMTC_T_SHR_ASSIGN;
}

/* An expression statement, or an assignment to a place. */
static struct rmtc_node *rmtc_stmt_expr(struct rmtc_parser *p)
{
	struct rmtc_token at = p->tok;
	struct rmtc_node *e = rmtc_expr(p), *n;

	if (!e)
		return NULL;
	if (rmtc_is_assign(p->tok.kind)) {
		if (e->kind != RMTC_N_NAME && e->kind != RMTC_N_FIELD &&
		    e->kind != RMTC_N_MAPSLOT) {
			rmtc_error(p->diags, e->loc,
				   "assign to a variable, ctx.FIELD or MAP[KEY].SLOT",
				   "cannot assign to this expression");
			return NULL;
		}
		n = rmtc_node(p, RMTC_N_ASSIGN, &at);
		n->op = p->tok.kind;
		rmtc_next(p);
		n->a = e;
		if (!(n->b = rmtc_expr(p)))
			return NULL;
	} else {
		n = rmtc_node(p, RMTC_N_EXPRSTMT, &at);
		n->a = e;
	}
	return rmtc_expect(p, RMTC_T_SEMI) ? n : NULL;
}

static struct rmtc_node *rmtc_stmt(struct rmtc_parser *p)
{
	struct rmtc_node *n;

	if (rmtc_is_type(p->tok.kind))
		return rmtc_stmt_decl(p);
	switch (p->tok.kind) {
	case RMTC_T_IF:
		return rmtc_stmt_if(p);
	case RMTC_T_FOR:
		return rmtc_stmt_for(p);
	case RMTC_T_LBRACE:
		return rmtc_block(p);
	case RMTC_T_RETURN:
		n = rmtc_node(p, RMTC_N_RETURN, &p->tok);
		rmtc_next(p);
		if (!(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_SEMI))
			return NULL;
		return n;
	case RMTC_T_PUSH:
		n = rmtc_node(p, RMTC_N_PUSH, &p->tok);
		rmtc_next(p);
		if (!(n->a = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_COMMA) ||
		    !(n->b = rmtc_expr(p)) || !rmtc_expect(p, RMTC_T_SEMI))
			return NULL;
		if (n->a->kind != RMTC_N_MAPSLOT) {
			rmtc_error(p->diags, n->a->loc, "push onto MAP[KEY].HISTORY",
				   "push needs a context-map history");
			return NULL;
		}
		return n;
	default:
		return rmtc_stmt_expr(p);
	}
}

struct rmtc_node *rmtc_block(struct rmtc_parser *p)
{
	struct rmtc_node *n = rmtc_node(p, RMTC_N_BLOCK, &p->tok), **tail = &n->a;

	if (!rmtc_expect(p, RMTC_T_LBRACE))
		return NULL;
	if (p->nesting >= RMTC_MAX_NESTING) {
		rmtc_error(p->diags, n->loc, "split it with local variables or actions",
			   "nested more than %d levels deep (blocks, parentheses, calls)",
			   RMTC_MAX_NESTING);
		return NULL;
	}
	p->nesting++;
	while (!rmtc_is(p, RMTC_T_RBRACE) && !rmtc_is(p, RMTC_T_EOF)) {
		struct rmtc_node *s = rmtc_stmt(p);

		if (!s)
			rmtc_sync_stmt(p);
		rmtc_append(&tail, s);
	}
	p->nesting--;
	return rmtc_expect(p, RMTC_T_RBRACE) ? n : NULL;
}

/* Skip to the next item keyword at the top level. */
static void rmtc_sync_item(struct rmtc_parser *p)
{
	int depth = 0;

	for (; !rmtc_is(p, RMTC_T_EOF); rmtc_next(p)) {
		if (rmtc_is(p, RMTC_T_LBRACE))
			depth++;
		if (rmtc_is(p, RMTC_T_RBRACE) && depth)
			depth--;
		if (!depth && rmtc_item_start(p->tok.kind))
			return;
	}
}

/**
 * rmtc_parse() - a policy file into its syntax tree
 * @p: parser state (release with rmtc_parser_release())
 * @file: the name used in diagnostics
 * @src: the text, NUL-terminated
 * @diags: receives every syntax error
 *
 * Return: the list of items parsed (those with errors left out).
 */
struct rmtc_node *rmtc_parse(struct rmtc_parser *p, const char *file,
			     const char *src, struct rmtc_diags *diags)
{
	struct rmtc_node *items = NULL, **tail = &items;

	memset(p, 0, sizeof(*p));
	p->diags = diags;
	rmtc_scanner_init(&p->scan, file, src, diags);
	rmtc_next(p);
	while (!rmtc_is(p, RMTC_T_EOF)) {
		struct rmtc_node *n = rmtc_item(p);

		if (n) {
			rmtc_append(&tail, n);
			continue;
		}
		rmtc_next(p);
		rmtc_sync_item(p);
	}
	return items;
}

void rmtc_parser_release(struct rmtc_parser *p)
{
	unsigned int i;

	for (i = 0; i < p->narena; i++)
		free(p->arena[i]);
	free(p->arena);
	p->arena = NULL;
	p->narena = 0;
	rmtc_scanner_release(&p->scan);
}
