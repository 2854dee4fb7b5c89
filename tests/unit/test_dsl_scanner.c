// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's scanner: the tokens of a policy with their locations, and each
 * lexical error with its exact message and place, several in one run.
 */
#include <string.h>

#include "scanner.h"
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int scan_all(const char *src, struct rmtc_diags *ds,
		    struct rmtc_token *toks, int max)
{
	struct rmtc_scanner s;
	int n = 0;

	memset(ds, 0, sizeof(*ds));
	rmtc_scanner_init(&s, "p.rmt", src, ds);
	do {
		rmtc_scan(&s, &toks[n]);
	} while (toks[n++].kind != RMTC_T_EOF && n < max);
	rmtc_scanner_release(&s);
	return n;
}

static void test_tokens(void)
{
	static const char src[] =
		"table t at test {\n"
		"\tkey f1 : exact; // comment\n"
		"\tsize 0x40; /* multi\n line */ x <<= 1_000;\n"
		"}\n";
	static const enum rmtc_tok want[] = {
		RMTC_T_TABLE, RMTC_T_IDENT, RMTC_T_AT, RMTC_T_IDENT, RMTC_T_LBRACE,
		RMTC_T_KEY, RMTC_T_IDENT, RMTC_T_COLON, RMTC_T_EXACT, RMTC_T_SEMI,
		RMTC_T_SIZE, RMTC_T_INT, RMTC_T_SEMI, RMTC_T_IDENT,
		RMTC_T_SHL_ASSIGN, RMTC_T_INT, RMTC_T_SEMI, RMTC_T_RBRACE,
		RMTC_T_EOF,
	};
	struct rmtc_token t[64];
	struct rmtc_diags ds;
	int n = scan_all(src, &ds, t, 64), i, ok = n == (int)ARRAY_SIZE(want);

	for (i = 0; ok && i < n; i++)
		ok = t[i].kind == want[i];
	ktap_check(ok && !ds.n, "tokens of a table declaration, comments skipped");
	ktap_check(t[11].value == 0x40 && t[15].value == 1000,
		   "hex and underscored integers have their values");
	ktap_check(t[6].loc.line == 2 && t[6].loc.col == 6 && t[6].loc.len == 2,
		   "tokens carry line, column and length (f1 at 2:6, got %u:%u)",
		   t[6].loc.line, t[6].loc.col);
	ktap_check(t[13].loc.line == 4 && t[13].loc.col == 10,
		   "lines count through block comments (x at 4:10, got %u:%u)",
		   t[13].loc.line, t[13].loc.col);
}

static void test_string(void)
{
	struct rmtc_diags ds = { 0 };
	struct rmtc_scanner s;
	struct rmtc_token t;

	/* strings live as long as the scanner: check before releasing it */
	rmtc_scanner_init(&s, "p.rmt", "include \"w\\\"1.csv\";", &ds);
	rmtc_scan(&s, &t);
	rmtc_scan(&s, &t);
	ktap_check(t.kind == RMTC_T_STRING && !strcmp(t.str, "w\"1.csv") && !ds.n,
		   "strings decode their escapes");
	rmtc_scanner_release(&s);
}

struct lex_error {
	const char *what;
	const char *src;
	unsigned int n;		/* errors expected */
	unsigned int line, col;	/* of the first */
	const char *msg;	/* of the first */
};

static const struct lex_error errors[] = {
	{ "a stray character", "size 4 $ 5;", 1, 1, 8, "unexpected character '$'" },
	{ "a stray byte", "a \x01 b", 1, 1, 3, "unexpected byte 0x01" },
	{ "an unterminated string", "x = \"abc\ny;", 1, 1, 5, "unterminated string" },
	{ "an unknown escape", "\"a\\qb\"", 1, 1, 3, "unknown escape '\\q'" },
	{ "an unterminated comment", "a /* b\nc", 1, 1, 3, "unterminated comment" },
	{ "an integer over 64 bits", "0x1_0000_0000_0000_0000", 1, 1, 1,
	  "integer '0x1_0000_0000_0000_0000' does not fit in 64 bits" },
	{ "a malformed integer", "0b102", 1, 1, 1, "malformed integer '0b102'" },
	{ "several errors in one run", "a $ b\n @ c # d", 3, 1, 3,
	  "unexpected character '$'" },
};

static void test_errors(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		const struct lex_error *e = &errors[i];
		struct rmtc_token t[32];
		struct rmtc_diags ds;

		scan_all(e->src, &ds, t, 32);
		if (!ktap_check(ds.n == e->n && ds.d[0].loc.line == e->line &&
				ds.d[0].loc.col == e->col && !strcmp(ds.d[0].msg, e->msg) &&
				ds.d[0].hint, "error for %s", e->what))
			ktap_diag("got %u errors, first %u:%u \"%s\"", ds.n,
				  ds.n ? ds.d[0].loc.line : 0, ds.n ? ds.d[0].loc.col : 0,
				  ds.n ? ds.d[0].msg : "");
	}
}

/* The printed form: file:line:col, the line, a caret, the hint. */
static void test_print(void)
{
	struct rmtc_token t[16];
	struct rmtc_diags ds;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	scan_all("table t {\n\tsize 4 $;\n}", &ds, t, 16);
	rmtc_diags_print(&ds, f);
	fclose(f);
	if (!ktap_check(buf && !strcmp(buf,
		   "p.rmt:2:9: error: unexpected character '$'\n"
		   "    2 | \tsize 4 $;\n"
		   "      | \t       ^\n"
		   "      = hint: remove it, or quote it in a string\n"),
		   "errors print as file:line:col, source line, caret and hint") && buf)
		ktap_diag("printed:\n%s", buf);
	free(buf);
}

int main(void)
{
	ktap_begin();
	test_tokens();
	test_string();
	test_errors();
	test_print();
	return ktap_end();
}
