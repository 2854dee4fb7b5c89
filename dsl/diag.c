// SPDX-License-Identifier: GPL-2.0-only
/* rmtc's diagnostics: recording errors and printing them like a compiler. */
#include <stdarg.h>
#include <string.h>

#include "diag.h"

/**
 * rmtc_error() - record an error at a source location
 * @ds: the list
 * @loc: where
 * @hint: what to do about it (static), or NULL
 * @fmt: the message
 */
void rmtc_error(struct rmtc_diags *ds, struct rmtc_loc loc, const char *hint,
		const char *fmt, ...)
{
	struct rmtc_diag *d;
	va_list ap;

	if (ds->n == RMTC_MAX_DIAGS) {
		ds->dropped++;
		return;
	}
	d = &ds->d[ds->n++];
	d->loc = loc;
	d->hint = hint;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

/* The text of line @line (1-based), and its length. */
static const char *rmtc_line(const char *src, unsigned int line, int *len)
{
	const char *p = src, *e;

	while (p && --line)
		if ((p = strchr(p, '\n')))
			p++;
	if (!p)
		return NULL;
	e = strchr(p, '\n');
	*len = e ? (int)(e - p) : (int)strlen(p);
	return p;
}

static void rmtc_diag_print(const struct rmtc_diags *ds,
			    const struct rmtc_diag *d, FILE *out)
{
	const char *text;
	unsigned int i;
	int len;

	fprintf(out, "%s:%u:%u: error: %s\n", d->loc.file, d->loc.line,
		d->loc.col, d->msg);
	text = ds->src ? rmtc_line(ds->src, d->loc.line, &len) : NULL;
	if (text) {
		fprintf(out, "%5u | %.*s\n      | ", d->loc.line, len, text);
		/* keep tabs, so the caret lines up under the same text */
		for (i = 1; i < d->loc.col && (int)i <= len; i++)
			fputc(text[i - 1] == '\t' ? '\t' : ' ', out);
		fputc('^', out);
		for (i = 1; i < d->loc.len; i++)
			fputc('~', out);
		fputc('\n', out);
	}
	if (d->hint)
		fprintf(out, "      = hint: %s\n", d->hint);
}

/* Print every recorded error, in order. */
void rmtc_diags_print(const struct rmtc_diags *ds, FILE *out)
{
	unsigned int i;

	for (i = 0; i < ds->n; i++)
		rmtc_diag_print(ds, &ds->d[i], out);
	if (ds->dropped)
		fprintf(out, "(%u more errors not shown)\n", ds->dropped);
}
