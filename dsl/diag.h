/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's diagnostics: file:line:col, a message, the source line with a
 * caret under the spot, and a hint.  Every stage reports through here,
 * and keeps going where it can, so one run shows several errors.
 */
#ifndef _RMTC_DIAG_H
#define _RMTC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define RMTC_MAX_DIAGS	64

struct rmtc_loc {
	const char *file;
	unsigned int line;
	unsigned int col;
	unsigned int len;	/* characters to underline, at least 1 */
};

struct rmtc_diag {
	struct rmtc_loc loc;
	char msg[160];
	const char *hint;
};

/* A source file's name and text, kept for quoting (owned by the list). */
struct rmtc_source {
	char file[256];
	char *text;
};

#define RMTC_MAX_SOURCES	80

struct rmtc_diags {
	const char *src;	/* the text, when no source is registered */
	struct rmtc_source srcs[RMTC_MAX_SOURCES];
	unsigned int nsrcs;
	struct rmtc_diag d[RMTC_MAX_DIAGS];
	unsigned int n;
	unsigned int dropped;	/* past RMTC_MAX_DIAGS */
};

void rmtc_error(struct rmtc_diags *ds, struct rmtc_loc loc, const char *hint,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rmtc_verror(struct rmtc_diags *ds, struct rmtc_loc loc, const char *hint,
		 const char *fmt, va_list ap);
void rmtc_diags_print(const struct rmtc_diags *ds, FILE *out);
void rmtc_diags_add_source(struct rmtc_diags *ds, const char *file,
			   const char *text);
void rmtc_diags_own_source(struct rmtc_diags *ds, const char *file, char *text);
bool rmtc_diags_has_source(const struct rmtc_diags *ds, const char *file);
void rmtc_diags_release(struct rmtc_diags *ds);

#endif /* _RMTC_DIAG_H */
