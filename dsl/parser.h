/* SPDX-License-Identifier: GPL-2.0-only */
/* rmtc's parser: tokens into a syntax tree, recovering after errors. */
#ifndef _RMTC_PARSER_H
#define _RMTC_PARSER_H

#include "ast.h"

struct rmtc_parser {
	struct rmtc_scanner scan;
	struct rmtc_token tok;		/* the current token */
	struct rmtc_diags *diags;
	void **arena;			/* every allocation, freed together */
	unsigned int narena;
	unsigned int errors_at_stmt;	/* to stop cascades */
	unsigned int nesting;		/* open blocks, parentheses, calls */
};

struct rmtc_node *rmtc_parse(struct rmtc_parser *p, const char *file,
			     const char *src, struct rmtc_diags *diags);
void rmtc_parser_release(struct rmtc_parser *p);

#endif /* _RMTC_PARSER_H */
