/* SPDX-License-Identifier: GPL-2.0-only */
/* Parser internals shared by parser.c, parser_expr.c and parser_items.c. */
#ifndef _RMTC_PARSER_INTERNAL_H
#define _RMTC_PARSER_INTERNAL_H

#include "parser.h"

void *rmtc_alloc(struct rmtc_parser *p, size_t size);
struct rmtc_node *rmtc_node(struct rmtc_parser *p, enum rmtc_node_kind kind,
			    const struct rmtc_token *at);
const char *rmtc_text(struct rmtc_parser *p, const struct rmtc_token *t);
void rmtc_next(struct rmtc_parser *p);
bool rmtc_is(const struct rmtc_parser *p, enum rmtc_tok kind);
bool rmtc_accept(struct rmtc_parser *p, enum rmtc_tok kind);
bool rmtc_expected(struct rmtc_parser *p, const char *what);
bool rmtc_expect(struct rmtc_parser *p, enum rmtc_tok kind);
struct rmtc_node *rmtc_ident(struct rmtc_parser *p, const char *what);
void rmtc_append(struct rmtc_node ***tail, struct rmtc_node *n);
bool rmtc_is_type(enum rmtc_tok k);
enum rmtc_tok rmtc_type(struct rmtc_parser *p);
void rmtc_sync_stmt(struct rmtc_parser *p);
struct rmtc_node *rmtc_block(struct rmtc_parser *p);

/* parser_expr.c */
struct rmtc_node *rmtc_expr(struct rmtc_parser *p);
bool rmtc_expr_list(struct rmtc_parser *p, struct rmtc_node **list);

/* parser_items.c */
bool rmtc_item_start(enum rmtc_tok kind);
struct rmtc_node *rmtc_item(struct rmtc_parser *p);

#endif /* _RMTC_PARSER_INTERNAL_H */
