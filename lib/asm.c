// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RMT assembler.  Instructions use the syntax rmt_disasm_insn()
 * prints, driven by the same per-opcode format strings, so the two
 * round-trip.  Directives describe the rest of a bundle:
 *
 *   .hook NAME                 hook whose context schema applies
 *   .budget N                  cost budget to verify against
 *   .repeat N                  runs per test (timing)
 *   .ctx V, V, ...             test input, appended from field 0
 *   .equ NAME VALUE            a named constant
 *   .ctxmap NAME nvals=N hist=N max=N [key=pid|tgid|cgroup|inode|any]
 *   .tensor NAME DT RxC [out=DT mult=N shift=N zero=N]  then R*C
 *                              numbers, then .end
 *   .tree NAME features=N      then one node a line, "split F, T, L, R"
 *                              or "leaf V", then .end
 *   .prog NAME                 starts a program; the first is the
 *                              entry, the n-th after it is tail slot n-1
 *   .raw CODE, REGS, OFF, IMM  any instruction bytes
 *
 * Operands may name labels (jumps), dtypes (i8 ...), helpers, tensors,
 * trees, context maps, constants and context fields.  Comments start
 * with ';' or '//'.
 */
#include <ctype.h>
#include <stdarg.h>

#include "asm_internal.h"

int asm_error(struct rmt_asm *a, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (a->err->msg[0])
		return -EINVAL;
	a->err->line = a->line;
	a->err->col = at ? (u32)(at - a->line_start) + 1 : 1;
	va_start(ap, fmt);
	vsnprintf(a->err->msg, sizeof(a->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

char *skip_space(char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

void trim_end(char *p)
{
	size_t n = strlen(p);

	while (n && isspace((unsigned char)p[n - 1]))
		p[--n] = '\0';
}

static bool is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == '.';
}

bool is_ident(const char *s)
{
	if (!is_ident_start(*s))
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

bool parse_int(const char *s, s64 *out)
{
	char *end;
	long long v;

	if (!*s)
		return false;
	errno = 0;
	if (*s == '-')
		v = strtoll(s, &end, 0);
	else
		v = (long long)strtoull(s + (*s == '+'), &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int lookup_name(const char *const *names, u32 n, const char *s)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

static struct rmt_asm_sym *find_sym(struct rmt_asm *a, const char *name,
				    bool label)
{
	u32 i;

	for (i = 0; i < a->nsyms; i++)
		if (a->syms[i].label == label && !strcmp(a->syms[i].name, name) &&
		    (!label || i >= a->first_label))
			return &a->syms[i];
	return NULL;
}

int add_sym(struct rmt_asm *a, const char *at, const char *name,
		   s64 val, bool label)
{
	struct rmt_asm_sym *s;

	if (strlen(name) >= RMT_ASM_NAME)
		return asm_error(a, at, "name '%s' is longer than %d characters",
				 name, RMT_ASM_NAME - 1);
	if (find_sym(a, name, label))
		return asm_error(a, at, "'%s' is already defined", name);
	if (a->nsyms == RMT_ASM_MAX_SYMS)
		return asm_error(a, at, "too many names");
	s = &a->syms[a->nsyms++];
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->val = val;
	s->label = label;
	return 0;
}

/* A number, or a name standing for one. */
int parse_value(struct rmt_asm *a, char *tok, s64 *out)
{
	const struct rmt_hook_schema *hook = rmt_hook_schema(a->b->hook);
	struct rmt_asm_sym *s;
	int i;

	if (parse_int(tok, out))
		return 0;
	i = lookup_name(rmt_asm_dtypes, ARRAY_SIZE(rmt_asm_dtypes), tok);
	if (i < 0)
		for (i = 1; i < (int)rmt_nr_helpers; i++)
			if (rmt_helper_info[i].name &&
			    !strcmp(rmt_helper_info[i].name, tok))
				break;
	if (i >= (int)rmt_nr_helpers)
		i = -1;
	if (i >= 0) {
		*out = i;
		return 0;
	}
	s = find_sym(a, tok, false);
	if (s) {
		*out = s->val;
		return 0;
	}
	i = lookup_name(hook->field_names, hook->nfields, tok);
	if (i >= 0) {
		*out = i;
		return 0;
	}
	return asm_error(a, tok, "'%s' is not a number or a known name", tok);
}

int parse_ranged(struct rmt_asm *a, char *tok, s64 lo, s64 hi, s64 *out)
{
	if (parse_value(a, tok, out))
		return -EINVAL;
	if (*out < lo || *out > hi)
		return asm_error(a, tok, "%lld is outside %lld..%lld",
				 (long long)*out, (long long)lo, (long long)hi);
	return 0;
}

static int parse_reg(struct rmt_asm *a, char *tok, bool none_ok, u32 *reg)
{
	s64 n;

	if (none_ok && !strcmp(tok, "-")) {
		*reg = RMT_REG_NONE;
		return 0;
	}
	if (tok[0] != 'r' || !parse_int(tok + 1, &n) || n < 0 || n > 15)
		return asm_error(a, tok, "expected a register rN, got '%s'", tok);
	*reg = (u32)n;
	return 0;
}

/* [rN+off], [rN-off], [rN] or [off] */
static int parse_mem(struct rmt_asm *a, char *tok, u32 *reg, s16 *off)
{
	size_t n = strlen(tok);
	char *inner, *sign;
	s64 v = 0;

	if (n < 3 || tok[0] != '[' || tok[n - 1] != ']')
		return asm_error(a, tok, "expected a memory operand like [r1+8], got '%s'",
				 tok);
	tok[n - 1] = '\0';
	inner = skip_space(tok + 1);
	trim_end(inner);
	*reg = RMT_REG_NONE;
	if (inner[0] == 'r' && isdigit((unsigned char)inner[1])) {
		sign = inner + 1;
		while (isdigit((unsigned char)*sign))
			sign++;
		if (*sign && *sign != '+' && *sign != '-')
			return asm_error(a, inner, "bad memory operand");
		if (*sign) {
			if (parse_ranged(a, skip_space(sign), S16_MIN, S16_MAX, &v))
				return -EINVAL;
			*sign = '\0';
		}
		if (parse_reg(a, inner, false, reg))
			return -EINVAL;
	} else if (parse_ranged(a, inner, S16_MIN, S16_MAX, &v)) {
		return -EINVAL;
	}
	*off = (s16)v;
	return 0;
}

struct rmt_asm_prog *cur_prog(struct rmt_asm *a)
{
	return a->b->nprogs ? &a->b->progs[a->b->nprogs - 1] : NULL;
}

static int add_fixup(struct rmt_asm *a, char *tok, u32 insn)
{
	struct rmt_asm_fixup *f;

	if (a->nfixups == RMT_ASM_MAX_FIXUPS)
		return asm_error(a, tok, "too many label references");
	if (strlen(tok) >= RMT_ASM_NAME)
		return asm_error(a, tok, "label '%s' is too long", tok);
	f = &a->fixups[a->nfixups++];
	f->insn = insn;
	f->line = a->line;
	f->col = (u32)(tok - a->line_start) + 1;
	snprintf(f->label, sizeof(f->label), "%s", tok);
	return 0;
}

static int parse_operand(struct rmt_asm *a, char op, char *tok,
			 struct rmt_insn *insn, u32 pc)
{
	u32 reg, imm = (u32)insn->imm;
	s64 v;

	switch (op) {
	case 'd':
	case 's':
	case 'x':
		if (parse_reg(a, tok, op == 'x', &reg))
			return -EINVAL;
		insn->regs = op == 'd' ? RMT_REGS(reg, RMT_INSN_SRC(insn)) :
					 RMT_REGS(RMT_INSN_DST(insn), reg);
		return 0;
	case 'm':
	case 'M':
		if (parse_mem(a, tok, &reg, &insn->off))
			return -EINVAL;
		insn->regs = op == 'M' ? RMT_REGS(reg, RMT_INSN_SRC(insn)) :
					 RMT_REGS(RMT_INSN_DST(insn), reg);
		return 0;
	case 'j':
		if (is_ident(tok))
			return add_fixup(a, tok, pc);
		if (parse_ranged(a, tok, S16_MIN, S16_MAX, &v))
			return -EINVAL;
		insn->off = (s16)v;
		return 0;
	case 'o':
		if (parse_ranged(a, tok, S16_MIN, S16_MAX, &v))
			return -EINVAL;
		insn->off = (s16)v;
		return 0;
	case 'i':
		if (parse_ranged(a, tok, S32_MIN, U32_MAX, &v))
			return -EINVAL;
		insn->imm = (s32)(u32)v;
		return 0;
	case 'l':
	case 'h':
		if (parse_ranged(a, tok, 0, U16_MAX, &v))
			return -EINVAL;
		imm = op == 'l' ? (imm & 0xffff0000) | (u32)v :
				  (imm & 0xffff) | ((u32)v << 16);
		insn->imm = (s32)imm;
		return 0;
	default:	/* imm byte */
		if (parse_ranged(a, tok, 0, U8_MAX, &v))
			return -EINVAL;
		imm &= ~(0xffu << (8 * (op - '0')));
		insn->imm = (s32)(imm | ((u32)v << (8 * (op - '0'))));
		return 0;
	}
}

/* Split at top-level commas; returns the number of operands. */
int split_operands(char *s, char **out, int max)
{
	int n = 0;

	s = skip_space(s);
	if (!*s)
		return 0;
	while (n < max) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		trim_end(s);
		out[n++] = s;
		if (!comma)
			break;
		s = skip_space(comma + 1);
	}
	return n;
}

static int emit(struct rmt_asm *a, const char *at, struct rmt_insn insn)
{
	struct rmt_asm_prog *p = cur_prog(a);

	if (!p) {
		if (a->b->nprogs == RMT_MAX_PROGS)
			return asm_error(a, at, "too many programs");
		p = &a->b->progs[a->b->nprogs++];
		snprintf(p->name, sizeof(p->name), "main");
	}
	if (p->len == RMT_MAX_INSNS + 1)
		return asm_error(a, at, "program is longer than %d instructions",
				 RMT_MAX_INSNS + 1);
	if (p->len == p->cap) {
		u32 cap = p->cap ? p->cap * 2 : 64;
		void *i = realloc(p->insns, cap * sizeof(*p->insns));
		void *l = i ? realloc(p->lines, cap * sizeof(*p->lines)) : NULL;

		if (i)
			p->insns = i;
		if (!i || !l)
			return asm_error(a, at, "out of memory");
		p->lines = l;
		p->cap = cap;
	}
	p->insns[p->len] = insn;
	p->lines[p->len++] = a->line;
	return 0;
}

static int parse_insn(struct rmt_asm *a, char *s)
{
	char *mnem = s, *ops[8], *rest;
	const char *f;
	struct rmt_insn insn = { 0 };
	struct rmt_asm_prog *p;
	int code, n, i;

	rest = mnem;
	while (*rest && !isspace((unsigned char)*rest))
		rest++;
	if (*rest)
		*rest++ = '\0';
	for (code = 1; code < 256; code++)
		if (rmt_op_info[code].name && !strcmp(rmt_op_info[code].name, mnem))
			break;
	if (code == 256)
		return asm_error(a, mnem, "unknown instruction '%s'", mnem);
	insn.code = (u8)code;
	f = rmt_op_info[code].fmt;
	n = split_operands(rest, ops, ARRAY_SIZE(ops));
	if (n != (int)(strlen(f) + 1) / 2)
		return asm_error(a, mnem, "%s takes %d operands (%s), got %d",
				 mnem, (int)(strlen(f) + 1) / 2,
				 *f ? f : "none", n);
	p = cur_prog(a);
	for (i = 0; i < n; i++)
		if (parse_operand(a, f[2 * i], ops[i], &insn, p ? p->len : 0))
			return -EINVAL;
	return emit(a, mnem, insn);
}

int parse_raw(struct rmt_asm *a, char *s)
{
	struct rmt_insn insn;
	char *ops[4];
	s64 v[4];
	int i;

	if (split_operands(s, ops, 4) != 4)
		return asm_error(a, s, ".raw takes code, regs, off, imm");
	for (i = 0; i < 4; i++) {
		static const s64 lo[] = { 0, 0, S16_MIN, S32_MIN };
		static const s64 hi[] = { 255, 255, S16_MAX, U32_MAX };

		if (parse_ranged(a, ops[i], lo[i], hi[i], &v[i]))
			return -EINVAL;
	}
	insn.code = (u8)v[0];
	insn.regs = (u8)v[1];
	insn.off = (s16)v[2];
	insn.imm = (s32)(u32)v[3];
	return emit(a, s, insn);
}

/* Resolve the current program's label references. */
int finish_prog(struct rmt_asm *a)
{
	struct rmt_asm_prog *p = cur_prog(a);
	u32 i;

	for (i = 0; p && i < a->nfixups; i++) {
		struct rmt_asm_fixup *f = &a->fixups[i];
		struct rmt_asm_sym *s = find_sym(a, f->label, true);
		s64 off;

		if (!s) {
			a->line = f->line;
			a->err->line = f->line;
			a->err->col = f->col;
			snprintf(a->err->msg, sizeof(a->err->msg),
				 "undefined label '%s'", f->label);
			return -EINVAL;
		}
		off = s->val - (s64)f->insn - 1;
		if (off < S16_MIN || off > S16_MAX) {
			a->err->line = f->line;
			a->err->col = f->col;
			snprintf(a->err->msg, sizeof(a->err->msg),
				 "label '%s' is too far away", f->label);
			return -EINVAL;
		}
		p->insns[f->insn].off = (s16)off;
	}
	a->nfixups = 0;
	a->first_label = a->nsyms;
	return 0;
}

static int parse_line(struct rmt_asm *a, char *s)
{
	char *colon;

	s = skip_space(s);
	trim_end(s);
	if (!*s)
		return 0;
	if (a->mode == ASM_TENSOR)
		return parse_tensor_data(a, s);
	if (a->mode == ASM_TREE)
		return parse_tree_node(a, s);
	if (*s == '.')
		return parse_directive(a, s);
	/* "name:" at the start of a line is a label. */
	for (colon = s; *colon && (isalnum((unsigned char)*colon) ||
				   *colon == '_' || *colon == '.'); colon++)
		;
	if (*colon == ':' && colon > s) {
		struct rmt_asm_prog *p = cur_prog(a);

		*colon = '\0';
		if (!is_ident(s))
			return asm_error(a, s, "bad label '%s'", s);
		if (add_sym(a, s, s, p ? p->len : 0, true))
			return -EINVAL;
		return parse_line(a, colon + 1);
	}
	return parse_insn(a, s);
}

static void strip_comment(char *s)
{
	char *c = strchr(s, ';');
	char *d = strstr(s, "//");

	if (c)
		*c = '\0';
	if (d)
		*d = '\0';
}

/**
 * rmt_asm_parse() - assemble a bundle
 * @text: the source, NUL-terminated
 * @b: receives the bundle (release with rmt_bundle_release())
 * @err: receives line, column and message on failure
 *
 * Return: 0, or -EINVAL with @err set.
 */
int rmt_asm_parse(const char *text, struct rmt_bundle *b,
		  struct rmt_asm_error *err)
{
	struct rmt_asm *a = calloc(1, sizeof(*a));
	char *copy = strdup(text), *line, *next;
	int ret = 0;
	u32 i;

	memset(b, 0, sizeof(*b));
	memset(err, 0, sizeof(*err));
	b->hook = RMT_HOOK_TEST;
	b->repeat = 1;
	if (!a || !copy) {
		free(a);
		free(copy);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	a->b = b;
	a->err = err;
	for (line = copy; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		a->line++;
		a->line_start = line;
		strip_comment(line);
		ret = parse_line(a, line);
	}
	if (!ret && a->mode != ASM_CODE)
		ret = asm_error(a, NULL, "%s is not closed with .end",
				a->mode == ASM_TENSOR ? ".tensor" : ".tree");
	if (!ret)
		ret = finish_prog(a);
	if (!ret && !b->nprogs)
		ret = asm_error(a, NULL, "no instructions");
	if (!ret && (a->ntensors || a->ntrees)) {
		b->model = rmt_model_build(a->tensors, (const void *const *)a->tdata,
					   a->ntensors, a->trees,
					   (const struct rmt_dtree_node *const *)a->tnodes,
					   a->ntrees, &b->model_len);
		if (!b->model)
			ret = asm_error(a, NULL, "out of memory");
	}
	for (i = 0; i < a->ntensors; i++)
		free(a->tdata[i]);
	for (i = 0; i < a->ntrees; i++)
		free(a->tnodes[i]);
	free(a);
	free(copy);
	if (ret)
		rmt_bundle_release(b);
	return ret;
}

void rmt_bundle_release(struct rmt_bundle *b)
{
	u32 i;

	for (i = 0; i < b->nprogs; i++) {
		free(b->progs[i].insns);
		free(b->progs[i].lines);
	}
	free(b->model);
	b->nprogs = 0;
	b->model = NULL;
}
