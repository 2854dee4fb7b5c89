/* SPDX-License-Identifier: GPL-2.0-only */
/* rmtc's scanner: policy source text into located tokens. */
#ifndef _RMTC_SCANNER_H
#define _RMTC_SCANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

/* Keywords, written once: the token kinds and the spellings. */
#define RMTC_KEYWORDS(K)						\
	K(ACTION, "action") K(AT, "at") K(BIAS, "bias")			\
	K(CONST, "const") K(CTX, "ctx") K(CTXMAP, "ctxmap")		\
	K(DEFAULT, "default") K(DTREE, "dtree") K(ELSE, "else")		\
	K(ENTRY, "entry") K(EXACT, "exact") K(FALSE, "false")		\
	K(FOR, "for") K(HISTORY, "history") K(IF, "if") K(IN, "in")	\
	K(INCLUDE, "include") K(INT8, "int8") K(INT16, "int16")		\
	K(KEY, "key") K(KEYED, "keyed") K(KERNEL, "kernel")		\
	K(LAYER, "layer") K(LINEAR, "linear") K(LPM, "lpm")		\
	K(MLP, "mlp") K(MODEL, "model") K(PUSH, "push")			\
	K(RANGE, "range") K(RELU, "relu") K(RETURN, "return")		\
	K(S8, "s8") K(S16, "s16") K(S32, "s32") K(S64, "s64")		\
	K(SHIFT, "shift") K(SIZE, "size") K(TABLE, "table")		\
	K(TERNARY, "ternary") K(TRUE, "true") K(U8, "u8")		\
	K(U16, "u16") K(U32, "u32") K(U64, "u64") K(WEIGHTS, "weights")

/* Punctuation, longest spellings first so the scanner can match greedily. */
#define RMTC_PUNCT(P)							\
	P(SHL_ASSIGN, "<<=") P(SHR_ASSIGN, ">>=")			\
	P(ARROW, "->") P(EQ, "==") P(NE, "!=") P(LE, "<=") P(GE, ">=")	\
	P(SHL, "<<") P(SHR, ">>") P(ANDAND, "&&") P(OROR, "||")		\
	P(ADD_ASSIGN, "+=") P(SUB_ASSIGN, "-=") P(MUL_ASSIGN, "*=")	\
	P(DOTDOT, "..")							\
	P(LBRACE, "{") P(RBRACE, "}") P(LPAREN, "(") P(RPAREN, ")")	\
	P(LBRACKET, "[") P(RBRACKET, "]") P(SEMI, ";") P(COMMA, ",")	\
	P(COLON, ":") P(DOT, ".") P(ASSIGN, "=") P(LT, "<") P(GT, ">")	\
	P(PLUS, "+") P(MINUS, "-") P(STAR, "*") P(SLASH, "/")		\
	P(PERCENT, "%") P(AMP, "&") P(PIPE, "|") P(CARET, "^")		\
	P(TILDE, "~") P(BANG, "!")

enum rmtc_tok {
	RMTC_T_EOF,
	RMTC_T_IDENT,
	RMTC_T_INT,
	RMTC_T_STRING,
#define __RMTC_KW(name, str) RMTC_T_##name,
	RMTC_KEYWORDS(__RMTC_KW)
#undef __RMTC_KW
#define __RMTC_P(name, str) RMTC_T_##name,
	RMTC_PUNCT(__RMTC_P)
#undef __RMTC_P
	__RMTC_T_MAX,
};

/**
 * struct rmtc_token - one token
 * @kind: enum rmtc_tok
 * @loc: where it starts, and its length
 * @text: its spelling in the source (not NUL-terminated)
 * @value: the value of an integer
 * @str: the decoded contents of a string (owned by the scanner's arena)
 */
struct rmtc_token {
	enum rmtc_tok kind;
	struct rmtc_loc loc;
	const char *text;
	uint64_t value;
	char *str;
};

struct rmtc_scanner {
	const char *file;
	const char *src;
	const char *p;
	unsigned int line;
	unsigned int col;
	struct rmtc_diags *diags;
	char **strings;		/* decoded strings, freed with the scanner */
	unsigned int nstrings;
};

void rmtc_scanner_init(struct rmtc_scanner *s, const char *file,
		       const char *src, struct rmtc_diags *diags);
void rmtc_scanner_release(struct rmtc_scanner *s);
void rmtc_scan(struct rmtc_scanner *s, struct rmtc_token *t);
const char *rmtc_tok_name(enum rmtc_tok kind);

#endif /* _RMTC_SCANNER_H */
