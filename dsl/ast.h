/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's syntax tree: what the parser builds and the later stages
 * (evaluate, lower) consume.  One node type, with a kind, a location,
 * and up to four children; lists chain through @next.
 */
#ifndef _RMTC_AST_H
#define _RMTC_AST_H

#include <stdint.h>
#include <stdio.h>

#include "scanner.h"

#define RMTC_NODES(N)							\
	/* items */							\
	N(INCLUDE, "include") N(CONST, "const") N(CTXMAP, "ctxmap")	\
	N(SLOT, "slot") N(HISTORY, "history") N(MODEL, "model")		\
	N(MLP, "mlp") N(LAYER, "layer") N(DTREE, "dtree")		\
	N(LINEAR, "linear") N(ACTION, "action") N(PARAM, "param")	\
	N(TABLE, "table") N(KEY, "key") N(SIZE, "size")			\
	N(LATENCY, "latency")						\
	N(DEFAULT, "default") N(ENTRY, "entry") N(MATCH, "match")	\
	/* statements */						\
	N(BLOCK, "block") N(DECL, "decl") N(ASSIGN, "assign")		\
	N(PUSH, "push") N(IF, "if") N(FOR, "for") N(RETURN, "return")	\
	N(EXPRSTMT, "expr")						\
	/* expressions */						\
	N(INT, "int") N(NAME, "name") N(FIELD, "field")			\
	N(MAPSLOT, "mapslot") N(CALL, "call") N(BINARY, "binary")	\
	N(UNARY, "unary") N(LIST, "list") N(STRING, "string")

enum rmtc_node_kind {
#define __RMTC_N(name, str) RMTC_N_##name,
	RMTC_NODES(__RMTC_N)
#undef __RMTC_N
};

/**
 * struct rmtc_node - one syntax-tree node
 * @kind: enum rmtc_node_kind
 * @loc: where it starts
 * @op: operator, type or match kind, as an enum rmtc_tok
 * @name: identifier or string (points into the parser's arena)
 * @value: integer value
 * @a: first child (meaning depends on @kind; see parser.c)
 * @b: second child
 * @c: third child
 * @d: fourth child
 * @next: next node of a list
 * @height: expressions: levels of the subtree (the parser bounds it)
 * @cstate: lowering's memo: 0 unknown, 1 constant (folded into @value
 *	for operators), 2 not constant
 */
struct rmtc_node {
	enum rmtc_node_kind kind;
	struct rmtc_loc loc;
	enum rmtc_tok op;
	const char *name;
	uint64_t value;
	struct rmtc_node *a, *b, *c, *d;
	struct rmtc_node *next;
	unsigned int height;
	unsigned char cstate;
};

/* Deepest expression and nesting of blocks and parentheses the parser takes. */
#define RMTC_MAX_EXPR_HEIGHT	256
#define RMTC_MAX_NESTING	64

void rmtc_ast_dump(const struct rmtc_node *n, FILE *out);
const char *rmtc_node_name(enum rmtc_node_kind kind);

#endif /* _RMTC_AST_H */
