// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's parser: the syntax tree of each construct (compared as an
 * s-expression), and syntax errors with their exact message and place,
 * several per run.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Parse @src; the tree as text (free it) and the errors in @ds. */
static char *parse_dump(const char *src, struct rmtc_diags *ds)
{
	struct rmtc_parser p;
	struct rmtc_node *tree;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(ds, 0, sizeof(*ds));
	tree = rmtc_parse(&p, "p.rmt", src, ds);
	if (tree)
		rmtc_ast_dump(tree, f);
	fclose(f);
	rmtc_parser_release(&p);
	return buf;
}

struct golden {
	const char *what;
	const char *src;
	const char *tree;
};

static const struct golden goldens[] = {
	{ "const with precedence", "const W = 1 + 2 * 3 << 1;",
	  "(const \"W\" (binary << (binary + (int 1) (binary * (int 2) (int 3))) (int 1)))" },
	{ "include", "include \"common.rmt\";", "(include \"common.rmt\")" },
	{ "ctxmap with history",
	  "ctxmap d keyed pid size 64 { s64 last; history s32[8] h; }",
	  "(ctxmap \"d\" (name \"pid\") (int 64) [(slot \"last\" s64) (history \"h\" s32 (int 8))])" },
	{ "action with statements",
	  "action a at test (s64 w) -> s64 {\n"
	  "  s64 x = ctx.f0 - d[ctx.f1].last;\n"
	  "  d[ctx.f1].last += x;\n"
	  "  push d[ctx.f1].h, x;\n"
	  "  if (x == d[ctx.f1].h[1]) { return x * w; } else if (!x) { return 0; }\n"
	  "  for (u32 i in 0..4) { ctx.f2 = min(i, s64(x)); }\n"
	  "  return -1;\n"
	  "}",
	  "(action \"a\" s64 (name \"test\") (param \"w\" s64) (block [(decl \"x\" s64 "
	  "(binary - (field \"f0\") (mapslot \"d\" (field \"f1\") (name \"last\")))) "
	  "(assign += (mapslot \"d\" (field \"f1\") (name \"last\")) (name \"x\")) "
	  "(push (mapslot \"d\" (field \"f1\") (name \"h\")) (name \"x\")) "
	  "(if (binary == (name \"x\") (mapslot \"d\" (field \"f1\") (name \"h\") (int 1))) "
	  "(block (return (binary * (name \"x\") (name \"w\")))) "
	  "(if (unary ! (name \"x\")) (block (return (int 0))))) "
	  "(for \"i\" u32 (int 0) (int 4) (block (assign = (field \"f2\") "
	  "(call \"min\" [(name \"i\") (call \"s64\" (name \"x\"))])))) "
	  "(return (unary - (int 1)))]))" },
	{ "table with entries",
	  "table t at test { key f0, f1 : ternary; size 16; default kernel;\n"
	  "  entry { f0 = 5 & 0xf0, f1 in 1..9 } priority 2 -> a(3, 4); }",
	  "(table \"t\" (name \"test\") [(key ternary [(name \"f0\") (name \"f1\")]) "
	  "(size (int 16)) (default \"kernel\") (entry \"a\" [(match \"f0\" = "
	  "(binary & (int 5) (int 240))) (match \"f1\" in (int 1) (int 9))] (int 2) "
	  "[(int 3) (int 4)])])" },
	{ "mlp model",
	  "model m = mlp { input 15; layer int8 32 weights \"w1.csv\" bias [1, 2] "
	  "shift 6 relu; layer int8 2 weights \"w2.npy\"; };",
	  "(model \"m\" (mlp (int 15) [(layer int8 (int 32) (string \"w1.csv\") "
	  "(list [(int 1) (int 2)]) [(name \"shift\" (int 6)) (name \"relu\")]) "
	  "(layer int8 (int 2) (string \"w2.npy\"))]))" },
	{ "dtree model", "model t = dtree \"tree.csv\" features 4;",
	  "(model \"t\" (dtree (string \"tree.csv\") (int 4)))" },
};

static void test_goldens(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(goldens); i++) {
		struct rmtc_diags ds;
		char *got = parse_dump(goldens[i].src, &ds);

		if (!ktap_check(got && !ds.n && !strcmp(got, goldens[i].tree),
				"parses: %s", goldens[i].what)) {
			ktap_diag("got  %s", got ? got : "(nothing)");
			ktap_diag("want %s", goldens[i].tree);
			if (ds.n)
				ktap_diag("error: %u:%u %s", ds.d[0].loc.line,
					  ds.d[0].loc.col, ds.d[0].msg);
		}
		free(got);
	}
}

struct syntax_error {
	const char *what;
	const char *src;
	unsigned int n;
	unsigned int line, col;
	const char *msg;
};

static const struct syntax_error errors[] = {
	{ "missing semicolon", "const A = 1\nconst B = 2;", 1, 2, 1,
	  "expected ';', found 'const'" },
	{ "unknown item", "frobnicate x;", 1, 1, 1,
	  "expected include, const, ctxmap, model, action or table, found 'frobnicate'" },
	{ "bad match kind", "table t at test { key f0 : fuzzy; }", 1, 1, 28,
	  "expected exact, ternary, range or lpm, found 'fuzzy'" },
	{ "assignment to an expression", "action a at test -> s64 { 1 + 2 = 3; }", 1,
	  1, 27, "cannot assign to this expression" },
	{ "push onto a non-history", "action a at test -> s64 { push x, 1; }", 1,
	  1, 32, "push needs a context-map history" },
	{ "missing type", "action a at test -> { return 0; }", 1, 1, 21,
	  "expected a type (u8-u64, s8-s64), found '{'" },
	{ "end of file inside a block", "action a at test -> s64 { return 0;", 1,
	  1, 36, "expected '}' at the end of the file" },
	{ "errors in two statements and an item",
	  "action a at test -> s64 {\n  s64 = 1;\n  return (2;\n}\nconst = 3;\n", 3,
	  2, 7, "expected a variable name, found '='" },
};

static void test_errors(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		const struct syntax_error *e = &errors[i];
		struct rmtc_diags ds;

		free(parse_dump(e->src, &ds));
		if (!ktap_check(ds.n == e->n && ds.d[0].loc.line == e->line &&
				ds.d[0].loc.col == e->col && !strcmp(ds.d[0].msg, e->msg),
				"syntax error: %s", e->what)) {
			unsigned int k;

			ktap_diag("got %u errors", ds.n);
			for (k = 0; k < ds.n; k++)
				ktap_diag("  %u:%u %s", ds.d[k].loc.line,
					  ds.d[k].loc.col, ds.d[k].msg);
		}
	}
}

int main(void)
{
	ktap_begin();
	test_goldens();
	test_errors();
	return ktap_end();
}
