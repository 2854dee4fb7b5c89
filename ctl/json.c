// SPDX-License-Identifier: GPL-2.0-only
/*
 * A streaming JSON writer: tracks nesting so commas and (with pretty
 * printing) indentation come out right.
 */
#include <stdlib.h>

#include "json.h"

#define JSON_MAX_DEPTH	32

struct json_writer {
	FILE *out;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool after_name;
};

struct json_writer *json_new(FILE *out, bool pretty)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));

	if (jw) {
		jw->out = out;
		jw->pretty = pretty;
		jw->first[0] = true;
	}
	return jw;
}

void json_destroy(struct json_writer *jw)
{
	if (!jw)
		return;
	fputc('\n', jw->out);
	free(jw);
}

static void json_indent(struct json_writer *jw)
{
	int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (i = 0; i < jw->depth; i++)
		fputs("  ", jw->out);
}

/* Separator before a value or a name. */
static void json_sep(struct json_writer *jw)
{
	if (jw->after_name) {
		jw->after_name = false;
		return;
	}
	if (!jw->first[jw->depth])
		fputc(',', jw->out);
	jw->first[jw->depth] = false;
	if (jw->depth)
		json_indent(jw);
}

static void json_open(struct json_writer *jw, char c)
{
	json_sep(jw);
	fputc(c, jw->out);
	if (jw->depth < JSON_MAX_DEPTH - 1)
		jw->depth++;
	jw->first[jw->depth] = true;
}

static void json_close(struct json_writer *jw, char c)
{
	bool empty = jw->first[jw->depth];

	if (jw->depth)
		jw->depth--;
	if (!empty)
		json_indent(jw);
	fputc(c, jw->out);
}

void json_start_object(struct json_writer *jw) { json_open(jw, '{'); }
void json_end_object(struct json_writer *jw) { json_close(jw, '}'); }
void json_start_array(struct json_writer *jw) { json_open(jw, '['); }
void json_end_array(struct json_writer *jw) { json_close(jw, ']'); }

static void json_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void json_name(struct json_writer *jw, const char *name)
{
	json_sep(jw);
	json_escaped(jw->out, name);
	fputs(jw->pretty ? ": " : ":", jw->out);
	jw->after_name = true;
}

void json_string(struct json_writer *jw, const char *s)
{
	json_sep(jw);
	json_escaped(jw->out, s);
}

void json_int(struct json_writer *jw, long long v)
{
	json_sep(jw);
	fprintf(jw->out, "%lld", v);
}

void json_uint(struct json_writer *jw, unsigned long long v)
{
	json_sep(jw);
	fprintf(jw->out, "%llu", v);
}

/* A complete JSON value, already formatted, as the next value. */
void json_raw(struct json_writer *jw, const char *text)
{
	json_sep(jw);
	fputs(text, jw->out);
}

void json_bool(struct json_writer *jw, bool v)
{
	json_sep(jw);
	fputs(v ? "true" : "false", jw->out);
}

void json_null(struct json_writer *jw)
{
	json_sep(jw);
	fputs("null", jw->out);
}

void json_kv_string(struct json_writer *jw, const char *name, const char *s)
{
	json_name(jw, name);
	json_string(jw, s);
}

void json_kv_int(struct json_writer *jw, const char *name, long long v)
{
	json_name(jw, name);
	json_int(jw, v);
}

void json_kv_uint(struct json_writer *jw, const char *name,
		  unsigned long long v)
{
	json_name(jw, name);
	json_uint(jw, v);
}
