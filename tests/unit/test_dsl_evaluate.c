// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's evaluate stage: a valid policy passes, and each semantic error
 * is reported with its exact message and place (golden tests).
 */
#include <string.h>

#include "evaluate.h"
#include "parser.h"
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char valid[] =
	"const W = 4;\n"
	"ctxmap d keyed pid { s64 last; history s64[8] h; }\n"
	"model m = mlp { input 2; layer int8 2 weights [1, 2, 3, 4] bias [0, 1] relu; };\n"
	"action a at test (s64 k) -> s64 {\n"
	"  s64 x = ctx.f0 - d[ctx.f1].last;\n"
	"  d[ctx.f1].last = ctx.f0;\n"
	"  push d[ctx.f1].h, x;\n"
	"  for (u32 i in 0..W) { ctx.f2 += s64(i); }\n"
	"  if (x < 0) { return m(x, k); }\n"
	"  return min(x, W);\n"
	"}\n"
	"table t at test { key f1 : exact; size 16; default a; entry { f1 = 42 } -> a(3); }\n";

static int evaluate(const char *src, struct rmtc_diags *ds)
{
	struct rmtc_program prog;
	struct rmtc_parser p;
	struct rmtc_node *items;
	int errors;

	memset(ds, 0, sizeof(*ds));
	items = rmtc_parse(&p, "p.rmt", src, ds);
	errors = ds->n ? -1 : rmtc_evaluate(items, &prog, ds);
	rmtc_parser_release(&p);
	return errors;
}

struct golden {
	const char *what;
	const char *src;
	unsigned int line, col;
	const char *msg;
};

#define ACT(body) "action a at test -> s64 {\n" body "\n}\n"

static const struct golden goldens[] = {
	{ "unknown field", ACT("return ctx.f99;"), 2, 8,
	  "hook 'test' has no context field 'f99'" },
	{ "read-only field", ACT("ctx.ro1 = 1; return 0;"), 2, 1,
	  "context field 'ro1' of hook 'test' is read-only" },
	{ "type mismatch", ACT("u32 u = 1; s32 s = 2; if (u < s) { return 1; } return 0;"),
	  2, 27, "comparison of u32 with s32" },
	{ "unbounded loop", ACT("s64 n = ctx.f0; for (u32 i in 0..n) { } return 0;"),
	  2, 34, "loop bound is not a constant" },
	{ "empty loop", ACT("for (u32 i in 5..5) { } return 0;"), 2, 15,
	  "loop from 5 to 5 never runs" },
	{ "too many trips", ACT("for (u32 i in 0..100000) { } return 0;"), 2, 15,
	  "loop from 0 to 100000 runs 100000 times" },
	{ "negative empty loop", ACT("for (s32 i in -2..-5) { } return 0;"), 2, 15,
	  "loop from -2 to -5 never runs" },
	{ "duplicate key field", ACT("return 0;") "table t at test { key f0, f0 : exact; }\n",
	  4, 27, "key field 'f0' appears twice" },
	{ "duplicate entry match", ACT("return 0;")
	  "table t at test { key f0 : exact; entry { f0 = 1, f0 = 2 } -> a; }\n",
	  4, 51, "entry matches 'f0' twice" },
	{ "unknown variable", ACT("return y;"), 2, 8,
	  "no variable or constant named 'y'" },
	{ "unknown helper", ACT("return frob(1);"), 2, 8,
	  "no helper or model named 'frob'" },
	{ "unknown context-map slot",
	  "ctxmap d keyed pid { s64 last; }\n" ACT("return d[1].next;"), 3, 13,
	  "context map 'd' has no slot 'next'" },
	{ "push onto a value slot",
	  "ctxmap d keyed pid { s64 last; }\n" ACT("push d[1].last, 1; return 0;"), 3, 11,
	  "slot 'last' is not a history" },
	{ "model shape mismatch",
	  "model m = mlp { input 3; layer int8 2 weights [1, 2, 3, 4]; };", 1, 47,
	  "weights of layer 1: 4 values; its shape 2x3 needs 6" },
	{ "duplicate table",
	  ACT("return 0;") "table t at test { key f0 : exact; }\n"
	  "table t at test { key f0 : exact; }\n", 5, 1,
	  "duplicate table 't' (first defined at line 4)" },
	{ "unknown hook", "table t at nowhere { key f0 : exact; }", 1, 12,
	  "unknown hook 'nowhere'" },
	{ "entry on a non-key field",
	  ACT("return 0;") "table t at test { key f0 : exact; entry { f1 = 1 } -> a; }",
	  4, 43, "'f1' is not a key field of table 't'" },
	{ "entry naming an unknown action",
	  "table t at test { key f0 : exact; entry { f0 = 1 } -> nope; }", 1, 35,
	  "no action named 'nope'" },
	{ "non-constant table size", "table t at test { key f0 : exact; size x; }",
	  1, 40, "a table size is not a constant" },
};

int main(void)
{
	struct rmtc_diags ds;
	unsigned int i;
	int n;

	ktap_begin();
	n = evaluate(valid, &ds);
	if (!ktap_check(n == 0, "a valid policy has no errors"))
		for (i = 0; i < ds.n; i++)
			ktap_diag("%u:%u %s", ds.d[i].loc.line, ds.d[i].loc.col,
				  ds.d[i].msg);
	for (i = 0; i < ARRAY_SIZE(goldens); i++) {
		const struct golden *g = &goldens[i];

		n = evaluate(g->src, &ds);
		if (!ktap_check(n >= 1 && ds.n >= 1 && ds.d[0].loc.line == g->line &&
				ds.d[0].loc.col == g->col && !strcmp(ds.d[0].msg, g->msg) &&
				ds.d[0].hint, "error: %s", g->what))
			ktap_diag("got %d: %u:%u \"%s\"", n, ds.n ? ds.d[0].loc.line : 0,
				  ds.n ? ds.d[0].loc.col : 0, ds.n ? ds.d[0].msg : "");
	}
	return ktap_end();
}
