// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's scanner.  Every token carries its file, line, column and
 * length, so every later stage can point at the source.  Bad input is
 * reported and skipped, and scanning goes on, so one run reports every
 * lexical error.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "scanner.h"

static const char *const rmtc_tok_names[__RMTC_T_MAX] = {
	[RMTC_T_EOF] = "end of file", [RMTC_T_IDENT] = "identifier",
	[RMTC_T_INT] = "integer", [RMTC_T_STRING] = "string",
#define __RMTC_KW(name, str) [RMTC_T_##name] = str,
	RMTC_KEYWORDS(__RMTC_KW)
#undef __RMTC_KW
#define __RMTC_P(name, str) [RMTC_T_##name] = str,
	RMTC_PUNCT(__RMTC_P)
#undef __RMTC_P
};

const char *rmtc_tok_name(enum rmtc_tok kind)
{
	return kind < __RMTC_T_MAX ? rmtc_tok_names[kind] : "?";
}

void rmtc_scanner_init(struct rmtc_scanner *s, const char *file,
		       const char *src, struct rmtc_diags *diags)
{
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->src = s->p = src;
	s->line = s->col = 1;
	s->diags = diags;
	diags->src = src;
}

void rmtc_scanner_release(struct rmtc_scanner *s)
{
	unsigned int i;

	for (i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
	s->strings = NULL;
	s->nstrings = 0;
}

static struct rmtc_loc rmtc_here(const struct rmtc_scanner *s, unsigned int len)
{
	return (struct rmtc_loc){ s->file, s->line, s->col, len ? len : 1 };
}

static void rmtc_advance(struct rmtc_scanner *s, unsigned int n)
{
	while (n-- && *s->p) {
		if (*s->p++ == '\n') {
			s->line++;
			s->col = 1;
		} else {
			s->col++;
		}
	}
}

/* Skip blanks and comments; an unterminated comment is an error. */
static void rmtc_skip(struct rmtc_scanner *s)
{
	for (;;) {
		if (isspace((unsigned char)*s->p)) {
			rmtc_advance(s, 1);
		} else if (s->p[0] == '/' && s->p[1] == '/') {
			while (*s->p && *s->p != '\n')
				rmtc_advance(s, 1);
		} else if (s->p[0] == '/' && s->p[1] == '*') {
			struct rmtc_loc at = rmtc_here(s, 2);
			const char *end = strstr(s->p + 2, "*/");

			if (!end) {
				rmtc_error(s->diags, at, "close it with */",
					   "unterminated comment");
				rmtc_advance(s, strlen(s->p));
				return;
			}
			rmtc_advance(s, end + 2 - s->p);
		} else {
			return;
		}
	}
}

static bool rmtc_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void rmtc_scan_word(struct rmtc_scanner *s, struct rmtc_token *t)
{
	size_t n = 0;
	int k;

	while (rmtc_ident_char(s->p[n]))
		n++;
	t->kind = RMTC_T_IDENT;
	for (k = RMTC_T_ACTION; k <= RMTC_T_WEIGHTS; k++)
		if (strlen(rmtc_tok_names[k]) == n &&
		    !strncmp(rmtc_tok_names[k], s->p, n))
			t->kind = k;
	t->loc.len = n;
	rmtc_advance(s, n);
}

/* Decimal, 0x, 0b, with _ between digits; must fit in 64 bits. */
static void rmtc_scan_int(struct rmtc_scanner *s, struct rmtc_token *t)
{
	unsigned int base = 10, digit;
	const char *p = s->p;
	bool overflow = false, bad = false;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	for (; rmtc_ident_char(*p); p++) {
		if (*p == '_')
			continue;
		digit = isdigit((unsigned char)*p) ? *p - '0' :
			isxdigit((unsigned char)*p) ? (tolower(*p) - 'a' + 10) : 99;
		if (digit >= base) {
			bad = true;
			continue;
		}
		if (v > (UINT64_MAX - digit) / base)
			overflow = true;
		v = v * base + digit;
	}
	t->kind = RMTC_T_INT;
	t->loc.len = p - s->p;
	t->value = v;
	if (bad)
		rmtc_error(s->diags, t->loc, "digits of base 2, 10 or 16 only",
			   "malformed integer '%.*s'", (int)t->loc.len, s->p);
	else if (overflow)
		rmtc_error(s->diags, t->loc, "integers are at most 64 bits",
			   "integer '%.*s' does not fit in 64 bits",
			   (int)t->loc.len, s->p);
	rmtc_advance(s, t->loc.len);
}

static void rmtc_keep_string(struct rmtc_scanner *s, char *str)
{
	unsigned int k = s->nstrings;
	/* the table doubles at 16, 32, 64, ... entries */
	char **n = (k >= 16 ? !(k & (k - 1)) : !k) ?
		   realloc(s->strings, (k ? 2 * k : 16) * sizeof(*n)) : s->strings;

	if (!n) {
		free(str);
		return;
	}
	s->strings = n;
	s->strings[s->nstrings++] = str;
}

static void rmtc_scan_string(struct rmtc_scanner *s, struct rmtc_token *t)
{
	const char *p = s->p + 1;
	char *out = malloc(strlen(s->p) + 1), *o = out;

	t->kind = RMTC_T_STRING;
	while (*p && *p != '"' && *p != '\n') {
		if (*p == '\\' && p[1] && strchr("\\\"nt", p[1])) {
			*o++ = p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : p[1];
			p += 2;
			continue;
		}
		if (*p == '\\') {
			rmtc_error(s->diags, (struct rmtc_loc){ s->file, s->line,
				   s->col + (unsigned int)(p - s->p), 2 },
				   "use \\\\, \\\", \\n or \\t",
				   "unknown escape '\\%c'", p[1] ? p[1] : ' ');
			p += p[1] ? 2 : 1;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	if (*p != '"')
		rmtc_error(s->diags, t->loc, "close the string with \" on the same line",
			   "unterminated string");
	t->loc.len = (p - s->p) + (*p == '"');
	rmtc_advance(s, t->loc.len);
	t->str = out;
	rmtc_keep_string(s, out);
}

static bool rmtc_scan_punct(struct rmtc_scanner *s, struct rmtc_token *t)
{
	int k;

	for (k = RMTC_T_SHL_ASSIGN; k <= RMTC_T_BANG; k++) {
		size_t n = strlen(rmtc_tok_names[k]);

		if (!strncmp(rmtc_tok_names[k], s->p, n)) {
			t->kind = k;
			t->loc.len = n;
			rmtc_advance(s, n);
			return true;
		}
	}
	return false;
}

/**
 * rmtc_scan() - the next token
 * @s: the scanner
 * @t: receives the token; RMTC_T_EOF at the end
 *
 * Characters that start no token are reported and skipped.
 */
void rmtc_scan(struct rmtc_scanner *s, struct rmtc_token *t)
{
	for (;;) {
		rmtc_skip(s);
		memset(t, 0, sizeof(*t));
		t->loc = rmtc_here(s, 1);
		t->text = s->p;
		if (!*s->p) {
			t->kind = RMTC_T_EOF;
			return;
		}
		if (isalpha((unsigned char)*s->p) || *s->p == '_')
			return rmtc_scan_word(s, t);
		if (isdigit((unsigned char)*s->p))
			return rmtc_scan_int(s, t);
		if (*s->p == '"')
			return rmtc_scan_string(s, t);
		if (rmtc_scan_punct(s, t))
			return;
		rmtc_error(s->diags, t->loc, "remove it, or quote it in a string",
			   isprint((unsigned char)*s->p) ?
			   "unexpected character '%c'" : "unexpected byte 0x%02x",
			   isprint((unsigned char)*s->p) ? *s->p :
			   (unsigned char)*s->p);
		rmtc_advance(s, 1);
	}
}
