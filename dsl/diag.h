/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's diagnostics: file:line:col, a message, the source line with a
 * caret under the spot, and a hint.  Every stage reports through here,
 * and keeps going where it can, so one run shows several errors.
 */
#ifndef _RMTC_DIAG_H
#define _RMTC_DIAG_H

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

struct rmtc_diags {
	const char *src;	/* the text, for quoting lines */
	struct rmtc_diag d[RMTC_MAX_DIAGS];
	unsigned int n;
	unsigned int dropped;	/* past RMTC_MAX_DIAGS */
};

void rmtc_error(struct rmtc_diags *ds, struct rmtc_loc loc, const char *hint,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rmtc_diags_print(const struct rmtc_diags *ds, FILE *out);

#endif /* _RMTC_DIAG_H */
