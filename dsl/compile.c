// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's driver: source files (with their includes) through scanner,
 * parser, evaluate and lowering into a compiled policy; the core's
 * verifier over the result; and refusals back to source lines.
 */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lower.h"
#include "rmtc.h"
#include "core.h"

#define RMTC_MAX_INCLUDE_DEPTH	16

struct rmtc_unit {
	struct rmtc_parser parsers[RMTC_MAX_FILES];
	char *texts[RMTC_MAX_FILES];
	char *names[RMTC_MAX_FILES];
	u32 nfiles;
	struct rmtc_diags *diags;
};

static char *rmtc_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 4096 + 1);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	if (strlen(buf) != n) {
		free(buf);
		errno = EILSEQ;		/* a NUL byte: not a text file */
		return NULL;
	}
	return buf;
}

static struct rmtc_node *rmtc_parse_unit(struct rmtc_unit *u, const char *name,
					 char *text, struct rmtc_node *at,
					 u32 depth);

/* Replace each include item by the items of the file it names. */
static struct rmtc_node *rmtc_includes(struct rmtc_unit *u, struct rmtc_node *items,
				       const char *from, u32 depth)
{
	struct rmtc_node *head = NULL, **tail = &head, *n, *next, *sub;
	char path[4096], *dir, *text;
	u32 i;

	for (n = items; n; n = next) {
		next = n->next;
		n->next = NULL;
		if (n->kind != RMTC_N_INCLUDE) {
			*tail = n;
			tail = &n->next;
			continue;
		}
		dir = strdup(from);
		if (!dir)
			abort();
		if (n->name[0] == '/' || !strchr(from, '/'))
			snprintf(path, sizeof(path), "%s", n->name);
		else
			snprintf(path, sizeof(path), "%s/%s", dirname(dir), n->name);
		free(dir);
		for (i = 0; i < u->nfiles; i++)
			if (!strcmp(u->names[i], path))
				break;
		if (i < u->nfiles)
			continue;	/* included already: once is enough */
		if (depth >= RMTC_MAX_INCLUDE_DEPTH || u->nfiles == RMTC_MAX_FILES) {
			rmtc_error(u->diags, n->loc, "flatten the includes",
				   "too many or too deeply nested includes");
			continue;
		}
		text = rmtc_read_file(path);
		if (!text) {
			rmtc_error(u->diags, n->loc, "include paths are relative to the including file",
				   "cannot read '%s': %s", path, strerror(errno));
			continue;
		}
		sub = rmtc_parse_unit(u, path, text, n, depth + 1);
		*tail = sub;
		while (*tail)
			tail = &(*tail)->next;
	}
	return head;
}

static struct rmtc_node *rmtc_parse_unit(struct rmtc_unit *u, const char *name,
					 char *text, struct rmtc_node *at,
					 u32 depth)
{
	u32 i = u->nfiles++;
	struct rmtc_node *items;

	u->names[i] = strdup(name);
	if (!u->names[i])
		abort();
	u->texts[i] = text;
	rmtc_diags_add_source(u->diags, u->names[i], text);
	items = rmtc_parse(&u->parsers[i], u->names[i], text, u->diags);
	return rmtc_includes(u, items, u->names[i], depth);
}

static void rmtc_unit_release(struct rmtc_unit *u)
{
	u32 i;

	for (i = 0; i < u->nfiles; i++) {
		rmtc_parser_release(&u->parsers[i]);
		free(u->texts[i]);
		free(u->names[i]);
	}
}

static int rmtc_compile_owned(const char *name, char *text,
			      struct rmtc_policy *pol, struct rmtc_diags *diags)
{
	struct rmtc_unit *u = calloc(1, sizeof(*u));
	struct rmtc_program *prog = calloc(1, sizeof(*prog));
	struct rmtc_node *items;
	int errors = 0;

	if (!u || !prog)
		abort();
	memset(pol, 0, sizeof(*pol));
	u->diags = diags;
	items = rmtc_parse_unit(u, name, text, NULL, 0);
	if (!diags->n)
		errors = rmtc_evaluate(items, prog, diags);
	if (!diags->n && !errors)
		errors = rmtc_lower(prog, pol, diags);
	errors = diags->n + diags->dropped;
	if (errors)
		rmtc_policy_release(pol);
	rmtc_unit_release(u);
	free(u);
	free(prog);
	return errors;
}

int rmtc_compile_text(const char *name, const char *text,
		      struct rmtc_policy *pol, struct rmtc_diags *diags)
{
	char *copy = strdup(text);

	if (!copy)
		abort();
	return rmtc_compile_owned(name, copy, pol, diags);
}

int rmtc_compile_file(const char *path, struct rmtc_policy *pol,
		      struct rmtc_diags *diags)
{
	char *text = rmtc_read_file(path);

	memset(pol, 0, sizeof(*pol));
	if (!text) {
		struct rmtc_loc loc = { .file = path };

		rmtc_error(diags, loc, NULL, "cannot read '%s': %s", path, strerror(errno));
		return 1;
	}
	return rmtc_compile_owned(path, text, pol, diags);
}

/* ---- verification ---- */

static struct rmtc_loc rmtc_line_loc(const struct rmtc_policy *pol,
				     const struct rmtc_line *l)
{
	struct rmtc_loc loc = { .line = l->line, .col = l->col, .len = 1 };

	loc.file = l->file < pol->nfiles ? pol->files[l->file] : "?";
	return loc;
}

/* Where an operation's object is declared, if the policy knows. */
static struct rmtc_line rmtc_op_decl_line(const struct rmtc_policy *pol, u32 op)
{
	const struct rmtc_prog_info *pi = rmtc_policy_prog(pol, op);
	struct rmtc_line none = { 0 };

	if (op < pol->nops && pol->decls && pol->decls[op].line)
		return pol->decls[op];
	return pi ? pi->decl : none;
}

static const char *rmtc_refusal_hint(const struct rmt_op *op)
{
	switch (op->cmd) {
	case RMT_CMD_PROG_NEW:
		return "the verifier's rules are in docs/isa.md";
	case RMT_CMD_ENTRY_NEW:
	case RMT_CMD_TABLE_NEW:
		return "'rmtctl table show' lists what is loaded";
	default:
		return "'rmtctl policy diff FILE' shows what would change";
	}
}

/**
 * rmtc_policy_blame() - see rmtc.h
 */
void rmtc_policy_blame(const struct rmtc_policy *pol, u32 op, s32 insn,
		       const char *msg, struct rmtc_diags *diags)
{
	const struct rmtc_prog_info *pi = rmtc_policy_prog(pol, op);
	struct rmtc_line l = rmtc_op_decl_line(pol, op);
	struct rmtc_loc loc;
	u32 f;

	if (pi && insn >= 0 && (u32)insn < pol->ops[op].prog.len)
		l = pi->lines[insn];
	loc = rmtc_line_loc(pol, &l);
	if (!l.line)
		loc.file = pol->nfiles ? pol->files[0] : "policy";
	/* quote the source if it is not known yet (refusals after compiling) */
	for (f = 0; f < pol->nfiles; f++)
		if (!rmtc_diags_has_source(diags, pol->files[f])) {
			char *text = rmtc_read_file(pol->files[f]);

			if (text)
				rmtc_diags_own_source(diags, pol->files[f], text);
		}
	if (op < pol->nops)
		rmtc_error(diags, loc, rmtc_refusal_hint(&pol->ops[op]),
			   "%s '%s' refused: %s",
			   pol->ops[op].cmd == RMT_CMD_PROG_NEW ? "action" :
			   pol->ops[op].cmd == RMT_CMD_TABLE_NEW ? "table" :
			   pol->ops[op].cmd == RMT_CMD_ENTRY_NEW ? "entry of table" :
			   pol->ops[op].cmd == RMT_CMD_MODEL_NEW ? "model" : "context map",
			   pol->ops[op].name, msg);
	else
		rmtc_error(diags, loc, NULL, "policy refused: %s", msg);
}

/**
 * rmtc_policy_check() - see rmtc.h
 */
int rmtc_policy_check(struct rmtc_policy *pol, struct rmtc_diags *diags)
{
	struct rmt_store *st = calloc(1, sizeof(*st));
	struct rmt_op_error err = { 0 };
	struct rmt_prog_obj *po;
	u32 i;
	int ret;

	if (!st)
		abort();
	rmt_store_init(st);
	ret = rmt_store_commit(st, pol->ops, pol->nops, &err);
	if (ret) {
		rmtc_policy_blame(pol, err.op, err.diag.insn, err.diag.msg, diags);
	} else {
		for (i = 0; i < pol->nprogs; i++) {
			po = (struct rmt_prog_obj *)rmt_store_find(st, RMT_OBJ_PROG,
					pol->ops[pol->progs[i].op].name, 0, st->generation);
			if (po) {
				pol->progs[i].cost = po->prog->cost;
				pol->progs[i].max_insns = po->prog->max_insns;
			}
		}
	}
	rmt_store_destroy(st);
	free(st);
	return ret ? 1 : 0;
}

/* ---- assembly ---- */

/**
 * rmtc_policy_print_asm() - see rmtc.h
 */
void rmtc_policy_print_asm(const struct rmtc_policy *pol, FILE *out)
{
	const struct rmt_op *op;
	char buf[128];
	u32 i, pc, last;

	fprintf(out, "; compiled by rmtc from %s\n", pol->nfiles ? pol->files[0] : "?");
	for (i = 0; i < pol->nprogs; i++) {
		const struct rmtc_prog_info *pi = &pol->progs[i];

		op = &pol->ops[pi->op];
		fprintf(out, "\n; action %s at %s", op->name,
			rmt_hook_schema(op->prog.hook)->name);
		if (op->prog.model[0])
			fprintf(out, ", model %s", op->prog.model);
		for (pc = 0; pc < op->prog.nmaps; pc++)
			fprintf(out, "%s map %u = %s", pc ? "," : ";", pc, op->prog.maps[pc]);
		if (pi->cost)
			fprintf(out, "; cost %llu", (unsigned long long)pi->cost);
		fprintf(out, "\n.hook %s\n.prog %s\n", rmt_hook_schema(op->prog.hook)->name,
			op->name);
		for (pc = 0, last = 0; pc < op->prog.len; pc++) {
			const struct rmtc_line *l = &pi->lines[pc];

			rmt_disasm_insn(&op->prog.insns[pc], buf, sizeof(buf));
			if (l->line != last)
				fprintf(out, "\t%-28s ; %s:%u\n", buf,
					l->file < pol->nfiles ? pol->files[l->file] : "?",
					l->line);
			else
				fprintf(out, "\t%s\n", buf);
			last = l->line;
		}
	}
}
