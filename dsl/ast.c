// SPDX-License-Identifier: GPL-2.0-only
/*
 * Printing syntax trees as s-expressions, for tests and for -A (show
 * what was parsed): (kind "name" op value children...).
 */
#include <inttypes.h>

#include "ast.h"

static const char *const rmtc_node_names[] = {
#define __RMTC_N(name, str) [RMTC_N_##name] = str,
	RMTC_NODES(__RMTC_N)
#undef __RMTC_N
};

const char *rmtc_node_name(enum rmtc_node_kind kind)
{
	return rmtc_node_names[kind];
}

static void rmtc_dump_one(const struct rmtc_node *n, FILE *out)
{
	const struct rmtc_node *kids[] = { n->a, n->b, n->c, n->d };
	unsigned int i;

	fprintf(out, "(%s", rmtc_node_names[n->kind]);
	if (n->name)
		fprintf(out, " \"%s\"", n->name);
	if (n->op != RMTC_T_EOF)
		fprintf(out, " %s", rmtc_tok_name(n->op));
	if (n->kind == RMTC_N_INT || n->value)
		fprintf(out, " %" PRIu64, n->value);
	for (i = 0; i < 4; i++) {
		if (!kids[i])
			continue;
		fputc(' ', out);
		rmtc_ast_dump(kids[i], out);
	}
	fputc(')', out);
}

/* A node and the list it heads, as "[x y ...]" when there is a list. */
void rmtc_ast_dump(const struct rmtc_node *n, FILE *out)
{
	if (!n->next) {
		rmtc_dump_one(n, out);
		return;
	}
	fputc('[', out);
	for (; n; n = n->next) {
		rmtc_dump_one(n, out);
		if (n->next)
			fputc(' ', out);
	}
	fputc(']', out);
}
