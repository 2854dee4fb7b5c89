// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keeps docs/isa.md in step with uapi/linux/rmt.h and rmt/diag.h: every
 * opcode of RMT_OPCODES() has exactly one heading
 * "### `mnemonic` (RMT_OP_NAME, 0xNN)", in X-macro order, and no such
 * heading names an opcode that does not exist; every helper of
 * RMT_HELPERS() is named in the Helpers section; every RMT_ERRORS()
 * entry appears as RMT_E_NAME.
 *
 * Usage: test_isa_doc [PATH]; without PATH, docs/isa.md is looked up
 * relative to the working directory, then as ../../docs/isa.md relative
 * to the executable (build/tests/).
 */
#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "ktap.h"

struct doc_op {
	u8 code;
	const char *name;	/* NAME of RMT_OP_NAME */
	const char *mnem;
};

static const struct doc_op doc_ops[] = {
#define __DOC_OP(code, name, mnem, fmt) { code, #name, mnem },
	RMT_OPCODES(__DOC_OP)
#undef __DOC_OP
};

#define NR_OPS	ARRAY_SIZE(doc_ops)

struct doc_helper {
	int id;
	const char *str;
};

static const struct doc_helper doc_helpers[] = {
#define __DOC_FN(id, name, str, nargs) { id, str },
	RMT_HELPERS(__DOC_FN)
#undef __DOC_FN
};

static const char *const doc_errors[] = {
#define __DOC_ERR(name, hint) #name,
	RMT_ERRORS(__DOC_ERR)
#undef __DOC_ERR
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* argv[1], else docs/isa.md from the cwd, else next to the executable. */
static char *load_doc(int argc, char **argv, char *path, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *doc;

	if (argc > 1) {
		snprintf(path, size, "%s", argv[1]);
		return read_file(path);
	}
	snprintf(path, size, "docs/isa.md");
	doc = read_file(path);
	if (doc)
		return doc;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	else
		snprintf(exe, sizeof(exe), "%s", argv[0]);
	snprintf(path, size, "%s/../../docs/isa.md", dirname(exe));
	return read_file(path);
}

/* The heading line an opcode must have, without the newline. */
static void op_heading(const struct doc_op *op, char *buf, size_t size)
{
	snprintf(buf, size, "### `%s` (RMT_OP_%s, 0x%02x)", op->mnem,
		 op->name, op->code);
}

/* Length of the line at @p, without its newline. */
static size_t line_len(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? (size_t)(e - p) : strlen(p);
}

static bool line_is(const char *line, size_t len, const char *want)
{
	return strlen(want) == len && !strncmp(line, want, len);
}

/* Is @line an opcode heading candidate: "### `" or mentions "(RMT_OP_"? */
static bool is_op_heading(const char *line, size_t len)
{
	char buf[256];

	if (len < 4 || strncmp(line, "### ", 4))
		return false;
	if (len > 4 && line[4] == '`')
		return true;
	snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
	return strstr(buf, "(RMT_OP_") != NULL;
}

/* Index of the opcode whose exact heading @line is, or -1. */
static int heading_op(const char *line, size_t len)
{
	char want[128];
	u32 i;

	for (i = 0; i < NR_OPS; i++) {
		op_heading(&doc_ops[i], want, sizeof(want));
		if (line_is(line, len, want))
			return (int)i;
	}
	return -1;
}

static void check_opcodes(const char *doc)
{
	int count[NR_OPS] = { 0 };
	bool all_known = true, in_order = true;
	int last = -1;
	const char *p;
	u32 i;

	for (p = doc; *p; p += line_len(p) + (p[line_len(p)] == '\n')) {
		size_t len = line_len(p);
		int op;

		if (!is_op_heading(p, len))
			continue;
		op = heading_op(p, len);
		if (op < 0) {
			all_known = false;
			ktap_diag("heading names no opcode (or a wrong name or code): %.*s",
				  (int)len, p);
			continue;
		}
		count[op]++;
		if (op <= last) {
			in_order = false;
			ktap_diag("heading of %s comes after %s", doc_ops[op].mnem,
				  doc_ops[last].mnem);
		}
		last = op;
	}
	for (i = 0; i < NR_OPS; i++) {
		char want[128];

		op_heading(&doc_ops[i], want, sizeof(want));
		if (!ktap_check(count[i] == 1, "opcode 0x%02x %s has one heading",
				doc_ops[i].code, doc_ops[i].mnem))
			ktap_diag("want exactly one line \"%s\", found %d", want,
				  count[i]);
	}
	ktap_check(all_known, "every opcode heading names an opcode of RMT_OPCODES()");
	ktap_check(in_order, "opcode headings are in RMT_OPCODES() order");
}

/* The text of the "## Helpers" section, up to the next "## " heading. */
static char *helpers_section(const char *doc)
{
	const char *p, *start = NULL, *end = NULL;

	for (p = doc; *p; p += line_len(p) + (p[line_len(p)] == '\n')) {
		size_t len = line_len(p);

		if (len < 3 || strncmp(p, "## ", 3))
			continue;
		if (start) {
			end = p;
			break;
		}
		if (line_is(p, len, "## Helpers"))
			start = p;
	}
	if (!start)
		return NULL;
	if (!end)
		end = start + strlen(start);
	return strndup(start, end - start);
}

static void check_helpers(const char *doc)
{
	char *sec = helpers_section(doc);
	u32 i;

	ktap_check(sec != NULL, "the doc has a \"## Helpers\" section");
	for (i = 0; i < ARRAY_SIZE(doc_helpers); i++) {
		char want[64];

		snprintf(want, sizeof(want), "`%s`", doc_helpers[i].str);
		if (!ktap_check(sec && strstr(sec, want),
				"helper %d %s is in the Helpers section",
				doc_helpers[i].id, doc_helpers[i].str))
			ktap_diag("want %s in the \"## Helpers\" section", want);
	}
	free(sec);
}

/* "RMT_E_<name>" not followed by another identifier character. */
static bool has_error_name(const char *doc, const char *name)
{
	char want[64];
	const char *p;
	size_t n;

	n = snprintf(want, sizeof(want), "RMT_E_%s", name);
	for (p = strstr(doc, want); p; p = strstr(p + 1, want))
		if (!isalnum((unsigned char)p[n]) && p[n] != '_')
			return true;
	return false;
}

static void check_errors(const char *doc)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(doc_errors); i++)
		ktap_check(has_error_name(doc, doc_errors[i]),
			   "rejection reason RMT_E_%s is documented", doc_errors[i]);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX + 32];
	char *doc;

	ktap_begin();
	doc = load_doc(argc, argv, path, sizeof(path));
	if (!ktap_check(doc != NULL, "read %s", path))
		return ktap_end();
	check_opcodes(doc);
	check_helpers(doc);
	check_errors(doc);
	free(doc);
	return ktap_end();
}
