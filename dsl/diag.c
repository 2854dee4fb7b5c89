// SPDX-License-Identifier: GPL-2.0-only
/* rmtc's diagnostics: recording errors and printing them like a compiler. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define RMTC_QUOTE_MAX	120	/* characters of a source line quoted */

static struct rmtc_source *rmtc_find_source(const struct rmtc_diags *ds,
					    const char *file)
{
	unsigned int i;

	for (i = 0; file && i < ds->nsrcs; i++)
		if (!strcmp(ds->srcs[i].file, file))
			return (struct rmtc_source *)&ds->srcs[i];
	return NULL;
}

/* The list's own copy of a file name, so locations outlive the parser. */
static struct rmtc_source *rmtc_intern(struct rmtc_diags *ds, const char *file)
{
	struct rmtc_source *s = rmtc_find_source(ds, file);

	if (s || !file || ds->nsrcs == RMTC_MAX_SOURCES ||
	    strlen(file) >= sizeof(s->file))
		return s;
	s = &ds->srcs[ds->nsrcs];
	strcpy(s->file, file);
	s->text = NULL;
	ds->nsrcs++;
	return s;
}

/**
 * rmtc_diags_add_source() - keep a copy of a file's text for quoting
 * @ds: the list
 * @file: the name locations use
 * @text: its contents
 */
void rmtc_diags_add_source(struct rmtc_diags *ds, const char *file,
			   const char *text)
{
	char *copy = strdup(text);

	if (copy)
		rmtc_diags_own_source(ds, file, copy);
}

/* The same, taking ownership of @text (malloc()ed). */
void rmtc_diags_own_source(struct rmtc_diags *ds, const char *file, char *text)
{
	struct rmtc_source *s = rmtc_intern(ds, file);

	if (!s) {
		free(text);
		return;
	}
	free(s->text);
	s->text = text;
}

bool rmtc_diags_has_source(const struct rmtc_diags *ds, const char *file)
{
	struct rmtc_source *s = rmtc_find_source(ds, file);

	return s && s->text;
}

/* Free the sources and names the list keeps. */
void rmtc_diags_release(struct rmtc_diags *ds)
{
	unsigned int i;

	for (i = 0; i < ds->nsrcs; i++)
		free(ds->srcs[i].text);
	ds->nsrcs = 0;
}

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
	va_list ap;

	va_start(ap, fmt);
	rmtc_verror(ds, loc, hint, fmt, ap);
	va_end(ap);
}

/* rmtc_error() with a va_list. */
void rmtc_verror(struct rmtc_diags *ds, struct rmtc_loc loc, const char *hint,
		 const char *fmt, va_list ap)
{
	struct rmtc_diag *d;

	if (ds->n == RMTC_MAX_DIAGS) {
		ds->dropped++;
		return;
	}
	d = &ds->d[ds->n++];
	d->loc = loc;
	if (rmtc_intern(ds, loc.file))
		d->loc.file = rmtc_intern(ds, loc.file)->file;
	d->hint = hint;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
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
	const struct rmtc_source *s = rmtc_find_source(ds, d->loc.file);
	const char *src = s && s->text ? s->text : ds->src;
	const char *text;
	unsigned int i;
	int len;

	if (!d->loc.line) {
		fprintf(out, "%s: error: %s\n", d->loc.file, d->msg);
		if (d->hint)
			fprintf(out, "      = hint: %s\n", d->hint);
		return;
	}
	fprintf(out, "%s:%u:%u: error: %s\n", d->loc.file, d->loc.line,
		d->loc.col, d->msg);
	text = src ? rmtc_line(src, d->loc.line, &len) : NULL;
	if (text) {
		int from = 0, col = (int)d->loc.col;

		/* a long line: quote a window around the column */
		if (len > RMTC_QUOTE_MAX) {
			from = col > RMTC_QUOTE_MAX / 2 ? col - RMTC_QUOTE_MAX / 2 : 0;
			len = len - from < RMTC_QUOTE_MAX ? len - from : RMTC_QUOTE_MAX;
		}
		fprintf(out, "%5u | %s%.*s\n      | %s", d->loc.line, from ? "..." : "",
			len, text + from, from ? "   " : "");
		/* keep tabs, so the caret lines up under the same text */
		for (i = from + 1; (int)i < col && (int)i <= from + len; i++)
			fputc(text[i - 1] == '\t' ? '\t' : ' ', out);
		fputc('^', out);
		for (i = 1; i < d->loc.len && (int)(col + i) <= from + len + 1; i++)
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
