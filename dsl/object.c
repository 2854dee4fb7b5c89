// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object writer: a compiled policy as an ELF64 relocatable file
 * (docs/object-format.md), laid out by libelf.  Every section's bytes
 * are built in memory first, so the policy is checked against all the
 * limits the reader enforces before the file is opened: what this
 * writes, rmtc_object_read() takes back unchanged.
 *
 * Objects go out in dependency order whatever the order of the policy's
 * operations: context maps, models, actions, then tables, each with its
 * entries in operation order.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object_format.h"
#include "rmtc.h"

/* One section to be written; index in the file is its position + 1. */
struct obj_wsec {
	char name[48];
	u32 type;
	u64 flags;
	u64 entsize;
	u64 align;
	u32 link;
	u32 info;
	void *buf;
	size_t size;
	u8 sym;			/* STT_FUNC or STT_OBJECT, or STT_NOTYPE: none */
	const char *obj;	/* the symbol's name */
};

struct obj_writer {
	const struct rmtc_policy *pol;
	const char *path;
	char *err;
	size_t errlen;
	struct obj_wsec *secs;
	u32 nsecs;
	u32 maxsecs;
	struct rmtc_obj_action *actions;	/* .rmt.actions' records */
	struct rmtc_obj_loc *decls;		/* .rmt.decls' records */
	u32 ndecls;
};

static int obj_werr(struct obj_writer *w, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int obj_werr(struct obj_writer *w, int errnum, const char *fmt, ...)
{
	char msg[256], *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (c = msg; *c; c++)	/* names may hold anything: keep one line */
		if (*c < ' ' || *c > '~')
			*c = '?';
	if (w->errlen)
		snprintf(w->err, w->errlen, "%s: %s", w->path, msg);
	return -errnum;
}

static const char *obj_cmd_kind(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_CTXMAP_NEW:
		return "context map";
	case RMT_CMD_MODEL_NEW:
		return "model";
	case RMT_CMD_PROG_NEW:
		return "action";
	case RMT_CMD_TABLE_NEW:
		return "table";
	case RMT_CMD_ENTRY_NEW:
		return "entry";
	}
	return NULL;
}

/* ---- checks: the reader's limits, applied before anything is written ---- */

/* A name field: NUL-terminated within RMT_NAME_MAX; non-empty if @need. */
static int obj_check_name(struct obj_writer *w, u32 i, const char *what,
			  const char *name, bool need)
{
	if (!memchr(name, '\0', RMT_NAME_MAX))
		return obj_werr(w, EINVAL, "op %u: %s is not NUL-terminated within %d bytes",
				i, what, RMT_NAME_MAX);
	if (need && !name[0])
		return obj_werr(w, EINVAL, "op %u: empty %s", i, what);
	return 0;
}

static int obj_check_loc(struct obj_writer *w, u32 i, const char *what,
			 u32 n, const struct rmtc_line *l)
{
	u32 nfiles = w->pol->nfiles;

	if (l->file < nfiles || (!nfiles && !l->file))
		return 0;
	return obj_werr(w, EINVAL, "op %u: %s %u: file index %u, but the policy has %u files",
			i, what, n, l->file, nfiles);
}

static int obj_check_prog(struct obj_writer *w, u32 i, const struct rmt_op *op)
{
	const struct rmtc_prog_info *info = rmtc_policy_prog(w->pol, i);
	int err = obj_check_name(w, i, "model name", op->prog.model, false);
	u32 k;

	if (op->prog.len < 1 || op->prog.len > RMT_MAX_INSNS || !op->prog.insns)
		return obj_werr(w, EINVAL, "op %u: action '%s' has %u instructions, not 1-%d",
				i, op->name, op->prog.len, RMT_MAX_INSNS);
	if (op->prog.nmaps > RMT_MAX_CTXMAPS || op->prog.ntails > RMT_MAX_PROGS - 1)
		return obj_werr(w, EINVAL, "op %u: %u context maps and %u tail calls, at most %d and %d",
				i, op->prog.nmaps, op->prog.ntails,
				RMT_MAX_CTXMAPS, RMT_MAX_PROGS - 1);
	for (k = 0; !err && k < op->prog.nmaps; k++)
		err = obj_check_name(w, i, "context map name", op->prog.maps[k], false);
	for (k = 0; !err && k < op->prog.ntails; k++)
		err = obj_check_name(w, i, "tail call name", op->prog.tails[k], false);
	if (err || !info)
		return err;
	err = obj_check_loc(w, i, "declaration", 0, &info->decl);
	for (k = 0; !err && info->lines && k < op->prog.len; k++)
		err = obj_check_loc(w, i, "instruction", k, &info->lines[k]);
	return err;
}

static int obj_check_table(struct obj_writer *w, u32 i, const struct rmt_op *op)
{
	int err = obj_check_name(w, i, "default action name", op->table.dflt, false);
	u32 k;

	if (op->table.nkeys > RMT_MAX_KEY_FIELDS)
		return obj_werr(w, EINVAL, "op %u: %u key fields, at most %d",
				i, op->table.nkeys, RMT_MAX_KEY_FIELDS);
	if (op->table.latency_ns > U32_MAX)
		return obj_werr(w, EINVAL, "op %u: latency budget %llu ns, at most %u",
				i, (unsigned long long)op->table.latency_ns, U32_MAX);
	for (k = 0; !err && k < op->table.nkeys; k++)
		err = obj_check_name(w, i, "key field name", op->table.keys[k], false);
	return err;
}

static int obj_check_entry(struct obj_writer *w, u32 i, const struct rmt_op *op)
{
	if (op->entry.nkey > RMT_MAX_KEY_FIELDS || op->entry.nkey_hi > RMT_MAX_KEY_FIELDS ||
	    op->entry.nmask > RMT_MAX_KEY_FIELDS || op->entry.nparams > RMT_MAX_PARAMS)
		return obj_werr(w, EINVAL, "op %u: entry with %u/%u/%u key/key_hi/mask values and %u parameters, at most %d and %d",
				i, op->entry.nkey, op->entry.nkey_hi, op->entry.nmask,
				op->entry.nparams, RMT_MAX_KEY_FIELDS, RMT_MAX_PARAMS);
	return obj_check_name(w, i, "entry action name", op->entry.prog, false);
}

static int obj_check_op(struct obj_writer *w, u32 i, const struct rmt_op *op)
{
	int err;

	if (!obj_cmd_kind(op->cmd))
		return obj_werr(w, EINVAL, "op %u: command %u cannot be stored in an object; only creations can",
				i, op->cmd);
	err = obj_check_name(w, i, "name", op->name, true);
	if (err)
		return err;
	switch (op->cmd) {
	case RMT_CMD_MODEL_NEW:
		if (!op->model.len || op->model.len > RMTC_OBJ_MAX_MODEL || !op->model.blob)
			return obj_werr(w, EINVAL, "op %u: model '%s' of %u bytes, not 1-%u",
					i, op->name, op->model.len, RMTC_OBJ_MAX_MODEL);
		return 0;
	case RMT_CMD_PROG_NEW:
		return obj_check_prog(w, i, op);
	case RMT_CMD_TABLE_NEW:
		return obj_check_table(w, i, op);
	case RMT_CMD_ENTRY_NEW:
		return obj_check_entry(w, i, op);
	}
	return 0;
}

/*
 * Names unique per kind, and entries only for tables the policy creates,
 * each table with few enough.  @objs: indices of the non-entry operations.
 */
static int obj_check_refs(struct obj_writer *w, const u32 *objs, u32 nobjs)
{
	const struct rmtc_policy *pol = w->pol;
	u32 i, j, n;

	for (i = 0; i < nobjs; i++) {
		const struct rmt_op *op = &pol->ops[objs[i]];

		for (j = 0; j < i; j++)
			if (pol->ops[objs[j]].cmd == op->cmd &&
			    !strcmp(pol->ops[objs[j]].name, op->name))
				return obj_werr(w, EINVAL, "op %u: a second %s named '%s'",
						objs[i], obj_cmd_kind(op->cmd), op->name);
		if (op->cmd != RMT_CMD_TABLE_NEW)
			continue;
		for (j = 0, n = 0; j < pol->nops; j++)
			n += pol->ops[j].cmd == RMT_CMD_ENTRY_NEW &&
			     !strcmp(pol->ops[j].name, op->name);
		if (n > RMT_MAX_TABLE_SIZE)
			return obj_werr(w, EINVAL, "op %u: table '%s' has %u entries, at most %d",
					objs[i], op->name, n, RMT_MAX_TABLE_SIZE);
	}
	for (i = 0; i < pol->nops; i++) {
		if (pol->ops[i].cmd != RMT_CMD_ENTRY_NEW)
			continue;
		for (j = 0; j < nobjs; j++)
			if (pol->ops[objs[j]].cmd == RMT_CMD_TABLE_NEW &&
			    !strcmp(pol->ops[objs[j]].name, pol->ops[i].name))
				break;
		if (j == nobjs)
			return obj_werr(w, EINVAL, "op %u: entry for table '%s', which the policy does not create",
					i, pol->ops[i].name);
	}
	return 0;
}

static int obj_check_files(struct obj_writer *w)
{
	const struct rmtc_policy *pol = w->pol;
	u32 i;

	if (pol->nfiles > RMTC_MAX_FILES)
		return obj_werr(w, EINVAL, "%u source files, at most %d",
				pol->nfiles, RMTC_MAX_FILES);
	for (i = 0; i < pol->nfiles; i++) {
		if (!pol->files[i] || !pol->files[i][0])
			return obj_werr(w, EINVAL, "source file %u has no name", i);
		if (strlen(pol->files[i]) >= RMTC_OBJ_MAX_PATH)
			return obj_werr(w, EINVAL, "source file %u: a name of %zu bytes, at most %d",
					i, strlen(pol->files[i]), RMTC_OBJ_MAX_PATH - 1);
	}
	return 0;
}

/* Checks the whole policy; sets @w->maxsecs to the sections it needs. */
static int obj_check(struct obj_writer *w)
{
	const struct rmtc_policy *pol = w->pol;
	u64 nsecs = 8;	/* null, version, files, actions, decls, symtab, strtab, shstrtab */
	int err = obj_check_files(w);
	u32 i, nobjs = 0, *objs;

	for (i = 0; !err && i < pol->nops; i++)
		err = obj_check_op(w, i, &pol->ops[i]);
	if (err)
		return err;
	objs = malloc((pol->nops ?: 1) * sizeof(*objs));
	if (!objs)
		return obj_werr(w, ENOMEM, "out of memory");
	for (i = 0; i < pol->nops; i++) {
		if (pol->ops[i].cmd == RMT_CMD_ENTRY_NEW)
			continue;
		objs[nobjs++] = i;
		nsecs += pol->ops[i].cmd == RMT_CMD_PROG_NEW ? 2 : 1;
	}
	err = obj_check_refs(w, objs, nobjs);
	free(objs);
	if (err)
		return err;
	if (nsecs >= SHN_LORESERVE)
		return obj_werr(w, E2BIG, "%llu sections, at most %d",
				(unsigned long long)nsecs, SHN_LORESERVE - 1);
	w->maxsecs = nsecs - 1;
	return 0;
}

/* ---- section contents ---- */

/* A new zeroed section of @size bytes named @prefix@name. */
static struct obj_wsec *obj_add(struct obj_writer *w, const char *prefix,
				const char *name, size_t size)
{
	struct obj_wsec *s = &w->secs[w->nsecs];

	s->buf = calloc(1, size ?: 1);
	if (!s->buf)
		return NULL;
	w->nsecs++;
	snprintf(s->name, sizeof(s->name), "%s%s", prefix, name);
	s->type = SHT_PROGBITS;
	s->align = 8;
	s->size = size;
	return s;
}

/* Copies a checked name; the bytes after its NUL stay zero. */
static void obj_put_name(char *dst, const char *src)
{
	memcpy(dst, src, strnlen(src, RMT_NAME_MAX - 1));
}

static void obj_put_loc(struct rmtc_obj_loc *dst, const struct rmtc_line *src)
{
	dst->line = src->line;
	dst->col = src->col;
	dst->file = src->file;
}

static int obj_add_head(struct obj_writer *w, u32 nactions)
{
	const struct rmtc_policy *pol = w->pol;
	struct rmtc_obj_version *v;
	struct obj_wsec *s;
	size_t len = 0;
	u32 i;

	s = obj_add(w, RMTC_SEC_VERSION, "", sizeof(*v));
	if (!s)
		return -ENOMEM;
	v = s->buf;
	v->magic = RMTC_OBJ_MAGIC;
	v->version = RMTC_OBJ_VERSION;
	s->align = 4;
	for (i = 0; i < pol->nfiles; i++)
		len += strlen(pol->files[i]) + 1;
	s = obj_add(w, RMTC_SEC_FILES, "", len);
	if (!s)
		return -ENOMEM;
	s->align = 1;
	for (i = 0, len = 0; i < pol->nfiles; i++) {
		strcpy((char *)s->buf + len, pol->files[i]);
		len += strlen(pol->files[i]) + 1;
	}
	s = obj_add(w, RMTC_SEC_ACTIONS, "", nactions * sizeof(struct rmtc_obj_action));
	if (!s)
		return -ENOMEM;
	s->entsize = sizeof(struct rmtc_obj_action);
	w->actions = s->buf;
	s = obj_add(w, RMTC_SEC_DECLS, "", pol->nops * sizeof(struct rmtc_obj_loc));
	if (!s)
		return -ENOMEM;
	s->entsize = sizeof(struct rmtc_obj_loc);
	s->align = 4;
	w->decls = s->buf;
	return 0;
}

static void obj_put_decl(struct obj_writer *w, u32 op)
{
	static const struct rmtc_line none;
	const struct rmtc_policy *pol = w->pol;

	obj_put_loc(&w->decls[w->ndecls++], pol->decls ? &pol->decls[op] : &none);
}

/* Declarations in the reader's order: objects by kind, then entries by table. */
static void obj_fill_decls(struct obj_writer *w, const u32 *kinds, u32 nkinds)
{
	const struct rmtc_policy *pol = w->pol;
	u32 k, i, j;

	for (k = 0; k < nkinds; k++)
		for (i = 0; i < pol->nops; i++)
			if (pol->ops[i].cmd == kinds[k])
				obj_put_decl(w, i);
	for (i = 0; i < pol->nops; i++) {
		if (pol->ops[i].cmd != RMT_CMD_TABLE_NEW)
			continue;
		for (j = 0; j < pol->nops; j++)
			if (pol->ops[j].cmd == RMT_CMD_ENTRY_NEW &&
			    !strcmp(pol->ops[j].name, pol->ops[i].name))
				obj_put_decl(w, j);
	}
}

static int obj_add_ctxmap(struct obj_writer *w, const struct rmt_op *op)
{
	struct obj_wsec *s = obj_add(w, RMTC_SEC_CTXMAP, op->name, sizeof(op->ctxmap));

	if (!s)
		return -ENOMEM;
	memcpy(s->buf, &op->ctxmap, sizeof(op->ctxmap));
	s->align = 4;
	s->flags = SHF_ALLOC;
	s->sym = STT_OBJECT;
	s->obj = op->name;
	return 0;
}

static int obj_add_model(struct obj_writer *w, const struct rmt_op *op)
{
	struct obj_wsec *s = obj_add(w, RMTC_SEC_MODEL, op->name, op->model.len);

	if (!s)
		return -ENOMEM;
	memcpy(s->buf, op->model.blob, op->model.len);
	s->flags = SHF_ALLOC;
	s->sym = STT_OBJECT;
	s->obj = op->name;
	return 0;
}

static void obj_put_action(struct rmtc_obj_action *a, const struct rmt_op *op,
			   const struct rmtc_prog_info *info)
{
	u32 k;

	obj_put_name(a->name, op->name);
	obj_put_name(a->model, op->prog.model);
	for (k = 0; k < op->prog.nmaps; k++)
		obj_put_name(a->maps[k], op->prog.maps[k]);
	for (k = 0; k < op->prog.ntails; k++)
		obj_put_name(a->tails[k], op->prog.tails[k]);
	a->hook = op->prog.hook;
	a->nmaps = op->prog.nmaps;
	a->ntails = op->prog.ntails;
	a->has_budget = op->prog.has_budget;
	a->budget = op->prog.budget;
	if (!info)
		return;
	a->cost = info->cost;
	a->max_insns = info->max_insns;
	obj_put_loc(&a->decl, &info->decl);
}

/* action/NAME, lines/NAME and record @n of .rmt.actions. */
static int obj_add_action(struct obj_writer *w, u32 i, u32 n)
{
	const struct rmt_op *op = &w->pol->ops[i];
	const struct rmtc_prog_info *info = rmtc_policy_prog(w->pol, i);
	struct rmtc_obj_loc *locs;
	struct obj_wsec *s;
	u32 k;

	s = obj_add(w, RMTC_SEC_ACTION, op->name, op->prog.len * sizeof(struct rmt_insn));
	if (!s)
		return -ENOMEM;
	memcpy(s->buf, op->prog.insns, s->size);
	s->flags = SHF_ALLOC | SHF_EXECINSTR;
	s->entsize = sizeof(struct rmt_insn);
	s->sym = STT_FUNC;
	s->obj = op->name;
	s = obj_add(w, RMTC_SEC_LINES, op->name, op->prog.len * sizeof(*locs));
	if (!s)
		return -ENOMEM;
	s->entsize = sizeof(*locs);
	s->align = 4;
	locs = s->buf;
	for (k = 0; info && info->lines && k < op->prog.len; k++)
		obj_put_loc(&locs[k], &info->lines[k]);
	obj_put_action(&w->actions[n], op, info);
	return 0;
}

static void obj_put_entry(struct rmtc_obj_entry *e, const struct rmt_op *op)
{
	memcpy(e->key, op->entry.key, op->entry.nkey * sizeof(e->key[0]));
	memcpy(e->key_hi, op->entry.key_hi, op->entry.nkey_hi * sizeof(e->key_hi[0]));
	memcpy(e->mask, op->entry.mask, op->entry.nmask * sizeof(e->mask[0]));
	memcpy(e->params, op->entry.params, op->entry.nparams * sizeof(e->params[0]));
	e->nkey = op->entry.nkey;
	e->nkey_hi = op->entry.nkey_hi;
	e->nmask = op->entry.nmask;
	e->nparams = op->entry.nparams;
	e->prefix = op->entry.prefix;
	e->priority = op->entry.priority;
	e->has_prefix = op->entry.has_prefix;
	obj_put_name(e->prog, op->entry.prog);
}

/* table/NAME: the table, then its entries in operation order. */
static int obj_add_table(struct obj_writer *w, const struct rmt_op *op)
{
	const struct rmtc_policy *pol = w->pol;
	struct rmtc_obj_entry *ents;
	struct rmtc_obj_table *t;
	struct obj_wsec *s;
	u32 j, n = 0;

	for (j = 0; j < pol->nops; j++)
		n += pol->ops[j].cmd == RMT_CMD_ENTRY_NEW && !strcmp(pol->ops[j].name, op->name);
	s = obj_add(w, RMTC_SEC_TABLE, op->name, sizeof(*t) + (size_t)n * sizeof(*ents));
	if (!s)
		return -ENOMEM;
	s->flags = SHF_ALLOC;
	s->sym = STT_OBJECT;
	s->obj = op->name;
	t = s->buf;
	t->hook = op->table.hook;
	t->match = op->table.match;
	t->size = op->table.size;
	t->nkeys = op->table.nkeys;
	t->nentries = n;
	t->latency_ns = op->table.latency_ns;
	obj_put_name(t->dflt, op->table.dflt);
	for (j = 0; j < op->table.nkeys; j++)
		obj_put_name(t->keys[j], op->table.keys[j]);
	ents = (struct rmtc_obj_entry *)(t + 1);
	for (j = 0, n = 0; j < pol->nops; j++)
		if (pol->ops[j].cmd == RMT_CMD_ENTRY_NEW && !strcmp(pol->ops[j].name, op->name))
			obj_put_entry(&ents[n++], &pol->ops[j]);
	return 0;
}

/* The objects of @cmd, in operation order. */
static int obj_add_objects(struct obj_writer *w, u32 cmd)
{
	const struct rmtc_policy *pol = w->pol;
	u32 i, n = 0;
	int err = 0;

	for (i = 0; !err && i < pol->nops; i++) {
		if (pol->ops[i].cmd != cmd)
			continue;
		if (cmd == RMT_CMD_CTXMAP_NEW)
			err = obj_add_ctxmap(w, &pol->ops[i]);
		else if (cmd == RMT_CMD_MODEL_NEW)
			err = obj_add_model(w, &pol->ops[i]);
		else if (cmd == RMT_CMD_PROG_NEW)
			err = obj_add_action(w, i, n++);
		else
			err = obj_add_table(w, &pol->ops[i]);
	}
	return err;
}

/* .symtab and .strtab: one global symbol per object section. */
static int obj_add_symbols(struct obj_writer *w)
{
	u32 i, nsyms = 1, nobjs = w->nsecs, strsz = 1;
	struct obj_wsec *sym, *str;
	Elf64_Sym *syms;

	for (i = 0; i < nobjs; i++) {
		if (w->secs[i].sym == STT_NOTYPE)
			continue;
		nsyms++;
		strsz += strlen(w->secs[i].obj) + 1;
	}
	sym = obj_add(w, ".symtab", "", nsyms * sizeof(*syms));
	str = sym ? obj_add(w, ".strtab", "", strsz) : NULL;
	if (!str)
		return -ENOMEM;
	sym->type = SHT_SYMTAB;
	sym->entsize = sizeof(*syms);
	sym->link = w->nsecs;	/* .strtab's index */
	sym->info = 1;		/* the first global */
	str->type = SHT_STRTAB;
	str->align = 1;
	syms = sym->buf;
	for (i = 0, strsz = 1, nsyms = 1; i < nobjs; i++) {
		struct obj_wsec *s = &w->secs[i];

		if (s->sym == STT_NOTYPE)
			continue;
		syms[nsyms].st_name = strsz;
		syms[nsyms].st_info = ELF64_ST_INFO(STB_GLOBAL, s->sym);
		syms[nsyms].st_shndx = i + 1;
		syms[nsyms].st_size = s->size;
		nsyms++;
		strcpy((char *)str->buf + strsz, s->obj);
		strsz += strlen(s->obj) + 1;
	}
	return 0;
}

/* .shstrtab, last; fills in each section's name offset in @names. */
static int obj_add_shstrtab(struct obj_writer *w, u32 *names)
{
	struct obj_wsec *s;
	size_t len = 1 + sizeof(".shstrtab");
	u32 i, n = w->nsecs;

	for (i = 0; i < n; i++)
		len += strlen(w->secs[i].name) + 1;
	s = obj_add(w, ".shstrtab", "", len);
	if (!s)
		return -ENOMEM;
	s->type = SHT_STRTAB;
	s->align = 1;
	for (i = 0, len = 1; i <= n; i++) {
		names[i] = len;
		strcpy((char *)s->buf + len, w->secs[i].name);
		len += strlen(w->secs[i].name) + 1;
	}
	return 0;
}

static int obj_build(struct obj_writer *w, u32 *names)
{
	static const u32 kinds[] = {
		RMT_CMD_CTXMAP_NEW, RMT_CMD_MODEL_NEW, RMT_CMD_PROG_NEW,
		RMT_CMD_TABLE_NEW,
	};
	u32 i, nactions = 0;
	int err;

	for (i = 0; i < w->pol->nops; i++)
		nactions += w->pol->ops[i].cmd == RMT_CMD_PROG_NEW;
	err = obj_add_head(w, nactions);
	for (i = 0; !err && i < ARRAY_SIZE(kinds); i++)
		err = obj_add_objects(w, kinds[i]);
	if (!err)
		obj_fill_decls(w, kinds, ARRAY_SIZE(kinds));
	if (!err)
		err = obj_add_symbols(w);
	if (!err)
		err = obj_add_shstrtab(w, names);
	return err ? obj_werr(w, -err, "out of memory") : 0;
}

/* ---- the file, through libelf ---- */

static int obj_elf_section(Elf *e, const struct obj_wsec *s, u32 name)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
	Elf_Data *d = sh ? elf_newdata(scn) : NULL;

	if (!d)
		return -1;
	d->d_buf = s->buf;
	d->d_size = s->size;
	d->d_type = s->type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
	d->d_align = s->align;
	d->d_version = EV_CURRENT;
	sh->sh_name = name;
	sh->sh_type = s->type;
	sh->sh_flags = s->flags;
	sh->sh_entsize = s->entsize;
	sh->sh_addralign = s->align;
	sh->sh_link = s->link;
	sh->sh_info = s->info;
	return 0;
}

static int obj_elf_write(struct obj_writer *w, int fd, const u32 *names)
{
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	Elf64_Ehdr *eh = e ? elf64_newehdr(e) : NULL;
	u32 i;
	int ret = 0;

	if (!eh) {
		ret = -1;
		goto out;
	}
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_REL;
	eh->e_machine = RMTC_OBJ_MACHINE;
	eh->e_version = EV_CURRENT;
	for (i = 0; !ret && i < w->nsecs; i++)
		ret = obj_elf_section(e, &w->secs[i], names[i]);
	eh->e_shstrndx = w->nsecs;
	if (!ret && elf_update(e, ELF_C_WRITE) < 0)
		ret = -1;
out:
	if (ret)
		ret = obj_werr(w, EIO, "libelf: %s", elf_errmsg(-1));
	elf_end(e);
	return ret;
}

static int obj_write_file(struct obj_writer *w, const u32 *names)
{
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return obj_werr(w, EIO, "libelf: %s", elf_errmsg(-1));
	fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return obj_werr(w, errno, "cannot create: %s", strerror(errno));
	ret = obj_elf_write(w, fd, names);
	if (close(fd) && !ret)
		ret = obj_werr(w, errno, "cannot write: %s", strerror(errno));
	if (ret)
		unlink(w->path);
	return ret;
}

/**
 * rmtc_object_write() - write a compiled policy as an ELF object
 * @pol: the policy; not changed
 * @path: the file to create (or truncate)
 * @err: receives a one-line message on failure, starting with @path
 * @errlen: size of @err
 *
 * The policy is checked against the limits of the format first, so a
 * policy the reader would refuse is never written; on an I/O error the
 * partial file is removed.  The output depends on @pol alone, byte for
 * byte.
 *
 * Return: 0, or a negative errno.
 */
int rmtc_object_write(const struct rmtc_policy *pol, const char *path,
		      char *err, size_t errlen)
{
	struct obj_writer w = {
		.pol = pol, .path = path, .err = err, .errlen = errlen,
	};
	u32 *names = NULL, i;
	int ret;

	if (errlen)
		err[0] = '\0';
	ret = obj_check(&w);
	if (ret)
		return ret;
	w.secs = calloc(w.maxsecs, sizeof(*w.secs));
	names = calloc(w.maxsecs, sizeof(*names));
	ret = w.secs && names ? obj_build(&w, names) :
				obj_werr(&w, ENOMEM, "out of memory");
	if (!ret)
		ret = obj_write_file(&w, names);
	for (i = 0; i < w.nsecs; i++)
		free(w.secs[i].buf);
	free(w.secs);
	free(names);
	return ret;
}
