// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's ELF object format (dsl/object.c, dsl/object_read.c): a policy
 * with every kind of object written, listed by readelf, read back field
 * for field and written again byte for byte; operations put back in
 * dependency order; policies the format cannot hold refused by the
 * writer; and objects damaged in many ways refused by the reader with a
 * message that says where, leaving the policy empty.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "insn.h"
#include "object_format.h"
#include "rmtc.h"
#include "ktap.h"

static char dir[] = "/tmp/rmtc-object.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char path[4][256];
	static unsigned int n;
	char *p = path[n++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void *dup_mem(const void *p, size_t len)
{
	void *q = malloc(len ?: 1);

	if (!q)
		abort();
	memcpy(q, p, len);
	return q;
}

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = malloc(1 << 20);

	*len = f ? fread(buf, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return buf;
}

/* ---- the sample policy ---- */

static const struct rmt_insn stride_insns[] = {
	RMT_LDF(1, RMT_SWAP_RA_OFFSET), RMT_LDF(2, RMT_SWAP_RA_PID),
	RMT_LD_CTXT(3, 2, 0, 0), RMT_MOV_R(4, 1), RMT_ALU_R(SUB, 4, 3),
	RMT_ST_CTXT(2, 1, 0, 0), RMT_VECTOR_LD(0, RMT_DT_I8, 0, 3),
	RMT_MAT_MUL(8, 0, 0), RMT_ARGMAX(0, 8, 2, RMT_DT_I32),
	RMT_ALU_I(ADD, 0, 1), RMT_EXIT(),
};

static const struct rmt_insn static_insns[] = {
	RMT_MOV_I(0, 4), RMT_EXIT(),
};

static void add_ctxmap(struct rmtc_policy *p, const char *name)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_CTXMAP_NEW, name);

	op->ctxmap = (struct rmt_ctxmap_desc){
		.nvals = 2, .hist_len = 4, .max_entries = 64, .key_kind = RMT_KEY_PID,
	};
}

static void add_model(struct rmtc_policy *p, const char *name)
{
	static const s8 w[2 * 3] = { 1, -2, 3, -4, 5, -128 };
	static const s32 b[2] = { 100, -100 };
	struct rmt_tensor_desc t[2] = {
		{ .dtype = RMT_DT_I8, .rows = 2, .cols = 3,
		  .out_dtype = RMT_DT_I8, .q_mult = 3, .q_shift = 4 },
		{ .dtype = RMT_DT_I32, .rows = 2, .cols = 1 },
	};
	const void *const data[2] = { w, b };
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_MODEL_NEW, name);

	op->model.blob = rmt_model_build(t, data, 2, NULL, NULL, 0, &op->model.len);
	if (!op->model.blob)
		abort();
}

/* An action with a line table: instruction k on line @line + k. */
static struct rmt_op *add_prog(struct rmtc_policy *p, const char *name,
			       const struct rmt_insn *insns, u32 len, u32 line)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_PROG_NEW, name);
	struct rmtc_prog_info *info;
	u32 k;

	op->prog.insns = dup_mem(insns, len * sizeof(*insns));
	op->prog.len = len;
	op->prog.hook = RMT_HOOK_SWAP_RA;
	p->progs = realloc(p->progs, (p->nprogs + 1) * sizeof(*p->progs));
	info = &p->progs[p->nprogs++];
	memset(info, 0, sizeof(*info));
	info->op = p->nops - 1;
	info->lines = calloc(len, sizeof(*info->lines));
	for (k = 0; k < len; k++)
		info->lines[k] = (struct rmtc_line){ line + k, 2 + k, k & 1 };
	info->cost = 100 + len;
	info->max_insns = len;
	info->decl = (struct rmtc_line){ line - 1, 1, 0 };
	return op;
}

static void add_table(struct rmtc_policy *p, const char *name, u32 match,
		      const char *key0, const char *key1, const char *dflt)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_TABLE_NEW, name);

	op->table.hook = RMT_HOOK_SWAP_RA;
	op->table.match = match;
	op->table.size = 64;
	strcpy(op->table.keys[op->table.nkeys++], key0);
	if (key1)
		strcpy(op->table.keys[op->table.nkeys++], key1);
	if (dflt)
		strcpy(op->table.dflt, dflt);
}

static struct rmt_op *add_entry(struct rmtc_policy *p, const char *table,
				const char *prog, s64 k0, s64 k1, u32 priority)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_ENTRY_NEW, table);

	op->entry.key[0] = k0;
	op->entry.key[1] = k1;
	op->entry.mask[0] = ~0ULL;
	op->entry.mask[1] = 0xff;
	op->entry.nkey = op->entry.nmask = 2;
	op->entry.priority = priority;
	op->entry.params[0] = k0 / 3;
	op->entry.params[1] = -1;
	op->entry.nparams = 2;
	strcpy(op->entry.prog, prog);
	return op;
}

/* Files, a context map, a model, two actions, two tables with entries. */
static void build_policy(struct rmtc_policy *p)
{
	struct rmt_op *op;

	memset(p, 0, sizeof(*p));
	p->files[p->nfiles++] = strdup("policy.rmt");
	p->files[p->nfiles++] = strdup("lib/swap.rmt");
	add_ctxmap(p, "hist");
	add_model(p, "mlp");
	op = add_prog(p, "stride", stride_insns, ARRAY_SIZE(stride_insns), 10);
	strcpy(op->prog.model, "mlp");
	strcpy(op->prog.maps[op->prog.nmaps++], "hist");
	op->prog.budget = 5000;
	op->prog.has_budget = true;
	op = add_prog(p, "static", static_insns, ARRAY_SIZE(static_insns), 30);
	strcpy(op->prog.tails[op->prog.ntails++], "stride");
	add_table(p, "ra", RMT_MATCH_TERNARY, "pid", "cgroup", "static");
	p->ops[p->nops - 1].table.latency_ns = 25000;	/* a guardrail budget */
	add_table(p, "by_offset", RMT_MATCH_LPM, "offset", NULL, NULL);
	add_entry(p, "ra", "stride", 1, 2, 10);
	add_entry(p, "ra", "static", S64_MIN, S64_MAX, 0);
	op = add_entry(p, "by_offset", "stride", 0xff00, 0, 0);
	op->entry.nkey = 1;
	op->entry.key[1] = 0;
	op->entry.nmask = 0;
	memset(op->entry.mask, 0, sizeof(op->entry.mask));
	op->entry.prefix = 56;
	op->entry.has_prefix = true;
	for (u32 i = 0; i < p->nops; i++)	/* where each was declared */
		p->decls[i] = (struct rmtc_line){ 10 + i, 1 + i, i % p->nfiles };
}

/* ---- comparing policies ---- */

static bool same_op(const struct rmt_op *a, const struct rmt_op *b)
{
	if (a->cmd != b->cmd || memcmp(a->name, b->name, RMT_NAME_MAX) ||
	    a->handle != b->handle || a->out_handle != b->out_handle)
		return false;
	switch (a->cmd) {
	case RMT_CMD_CTXMAP_NEW:
		return !memcmp(&a->ctxmap, &b->ctxmap, sizeof(a->ctxmap));
	case RMT_CMD_MODEL_NEW:
		return a->model.len == b->model.len &&
		       !memcmp(a->model.blob, b->model.blob, a->model.len);
	case RMT_CMD_PROG_NEW:
		return a->prog.hook == b->prog.hook && a->prog.len == b->prog.len &&
		       !memcmp(a->prog.insns, b->prog.insns,
			       a->prog.len * sizeof(struct rmt_insn)) &&
		       !memcmp(a->prog.model, b->prog.model, RMT_NAME_MAX) &&
		       !memcmp(a->prog.maps, b->prog.maps, sizeof(a->prog.maps)) &&
		       !memcmp(a->prog.tails, b->prog.tails, sizeof(a->prog.tails)) &&
		       a->prog.nmaps == b->prog.nmaps && a->prog.ntails == b->prog.ntails &&
		       a->prog.budget == b->prog.budget &&
		       a->prog.has_budget == b->prog.has_budget;
	case RMT_CMD_TABLE_NEW:
		return !memcmp(&a->table, &b->table, sizeof(a->table));
	}
	return !memcmp(a->entry.key, b->entry.key, sizeof(a->entry.key)) &&
	       !memcmp(a->entry.key_hi, b->entry.key_hi, sizeof(a->entry.key_hi)) &&
	       !memcmp(a->entry.mask, b->entry.mask, sizeof(a->entry.mask)) &&
	       !memcmp(a->entry.params, b->entry.params, sizeof(a->entry.params)) &&
	       !memcmp(a->entry.prog, b->entry.prog, RMT_NAME_MAX) &&
	       a->entry.nkey == b->entry.nkey && a->entry.nkey_hi == b->entry.nkey_hi &&
	       a->entry.nmask == b->entry.nmask && a->entry.nparams == b->entry.nparams &&
	       a->entry.prefix == b->entry.prefix &&
	       a->entry.has_prefix == b->entry.has_prefix &&
	       a->entry.priority == b->entry.priority;
}

static bool same_line(const struct rmtc_line *a, const struct rmtc_line *b)
{
	return a->line == b->line && a->col == b->col && a->file == b->file;
}

static bool same_prog(const struct rmtc_prog_info *a, const struct rmtc_prog_info *b,
		      u32 len)
{
	u32 k;

	if (a->op != b->op || a->cost != b->cost || a->max_insns != b->max_insns ||
	    !same_line(&a->decl, &b->decl))
		return false;
	for (k = 0; k < len; k++)
		if (!same_line(&a->lines[k], &b->lines[k]))
			return false;
	return true;
}

/* NULL if @a and @b are the same policy, else the first difference. */
static const char *policy_diff(const struct rmtc_policy *a, const struct rmtc_policy *b)
{
	static char why[128];
	u32 i;

	if (a->nops != b->nops || a->nprogs != b->nprogs || a->nfiles != b->nfiles) {
		snprintf(why, sizeof(why), "%u/%u ops, %u/%u progs, %u/%u files",
			 a->nops, b->nops, a->nprogs, b->nprogs, a->nfiles, b->nfiles);
		return why;
	}
	for (i = 0; i < a->nops; i++)
		if (!same_op(&a->ops[i], &b->ops[i]))
			return snprintf(why, sizeof(why), "op %u ('%s')", i, a->ops[i].name), why;
	for (i = 0; i < a->nprogs; i++)
		if (!same_prog(&a->progs[i], &b->progs[i], a->ops[a->progs[i].op].prog.len))
			return snprintf(why, sizeof(why), "program %u", i), why;
	for (i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i], b->files[i]))
			return snprintf(why, sizeof(why), "file %u", i), why;
	for (i = 0; a->decls && i < a->nops; i++)
		if (!b->decls || !same_line(&a->decls[i], &b->decls[i]))
			return snprintf(why, sizeof(why), "declaration of op %u", i), why;
	return NULL;
}

static bool policy_empty(const struct rmtc_policy *p)
{
	static const struct rmtc_policy zero;

	return !memcmp(p, &zero, sizeof(zero));
}

/* ---- round trip ---- */

/* Every section and symbol as readelf shows them, and nothing it warns about. */
static void check_readelf(const char *path)
{
	static const char *const want[] = {
		".rmt.version", ".rmt.files", ".rmt.actions", ".rmt.decls", "ctxmap/hist",
		"model/mlp", "action/stride", "lines/stride", "action/static",
		"lines/static", "table/ra", "table/by_offset", ".symtab",
		".strtab", ".shstrtab", "FUNC    GLOBAL DEFAULT    7 stride",
		"88 FUNC    GLOBAL DEFAULT", "OBJECT  GLOBAL DEFAULT    5 hist",
		"REL (Relocatable file)", "little endian",
	};
	char cmd[512], line[512], out[16384] = "";
	size_t i, n = 0;
	FILE *f;

	if (system("command -v readelf >/dev/null 2>&1")) {
		ktap_check(1, "readelf lists the sections # SKIP readelf is not installed");
		return;
	}
	snprintf(cmd, sizeof(cmd), "readelf -h -S -s -W '%s' 2>&1", path);
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f) && n + strlen(line) < sizeof(out))
		n += strlen(strcpy(out + n, line));
	if (f)
		pclose(f);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(out, want[i]))
			break;
	if (!ktap_check(i == ARRAY_SIZE(want) && !strstr(out, "Warning") &&
			!strstr(out, "Error"), "readelf lists every section and symbol, no warnings"))
		ktap_diag("missing '%s' in:\n%s", i < ARRAY_SIZE(want) ? want[i] : "", out);
}

static void test_round_trip(void)
{
	const char *a = tmp_path("a.o"), *b = tmp_path("b.o");
	struct rmtc_policy p, q, m;
	size_t alen, blen;
	const char *why;
	char err[256];
	u8 *abuf, *bbuf;
	int ret;

	build_policy(&p);
	ret = rmtc_object_write(&p, a, err, sizeof(err));
	if (!ktap_check(!ret && !err[0], "a policy with every kind of object is written"))
		ktap_diag("%d: %s", ret, err);
	check_readelf(a);
	ret = rmtc_object_read(a, &q, err, sizeof(err));
	why = ret ? err : policy_diff(&p, &q);
	if (!ktap_check(!why, "read back, it is the same policy, field for field"))
		ktap_diag("%s", why);
	ret = rmtc_object_write(&q, b, err, sizeof(err));
	abuf = slurp(a, &alen);
	bbuf = slurp(b, &blen);
	ktap_check(!ret && alen == blen && alen > 0 && !memcmp(abuf, bbuf, alen),
		   "written again, it is the same file, byte for byte (%zu bytes)", alen);
	ret = rmtc_object_read_mem(abuf, alen, &m, err, sizeof(err));
	ktap_check(!ret && !policy_diff(&p, &m), "read from memory, the same policy");
	free(abuf);
	free(bbuf);
	rmtc_policy_release(&m);
	rmtc_policy_release(&q);
	rmtc_policy_release(&p);
}

/* The object through a pipe: rmtc_object_read() does not need a size. */
static void test_pipe(void)
{
	struct rmtc_policy p, q;
	char err[256], path[64];
	size_t len;
	u8 *buf;
	int fds[2], ret = -1;

	build_policy(&p);
	rmtc_object_write(&p, tmp_path("pipe.o"), err, sizeof(err));
	buf = slurp(tmp_path("pipe.o"), &len);
	if (!pipe(fds) && write(fds[1], buf, len) == (ssize_t)len) {
		close(fds[1]);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
		ret = rmtc_object_read(path, &q, err, sizeof(err));
		close(fds[0]);
	}
	ktap_check(!ret && !policy_diff(&p, &q), "read from a pipe, the same policy");
	if (!ret)
		rmtc_policy_release(&q);
	rmtc_policy_release(&p);
	free(buf);
}

/* Operations out of dependency order come back in it. */
static void test_order(void)
{
	const char *path = tmp_path("order.o");
	struct rmtc_policy p = { 0 }, q;
	char err[256];
	bool ok;
	int ret;

	p.files[p.nfiles++] = strdup("order.rmt");
	p.files[p.nfiles++] = strdup("order.inc");
	add_table(&p, "t1", RMT_MATCH_EXACT, "pid", NULL, NULL);
	add_entry(&p, "t1", "act", 1, 0, 0)->entry.nkey = 1;
	add_prog(&p, "act", static_insns, ARRAY_SIZE(static_insns), 5);
	add_table(&p, "t2", RMT_MATCH_EXACT, "pid", NULL, NULL);
	add_entry(&p, "t2", "act", 2, 0, 0)->entry.nkey = 1;
	add_entry(&p, "t1", "act", 3, 0, 0)->entry.nkey = 1;
	add_ctxmap(&p, "c");
	ret = rmtc_object_write(&p, path, err, sizeof(err)) ?:
	      rmtc_object_read(path, &q, err, sizeof(err));
	ok = !ret && q.nops == 7 && q.ops[0].cmd == RMT_CMD_CTXMAP_NEW &&
	     q.ops[1].cmd == RMT_CMD_PROG_NEW && q.progs[0].op == 1 &&
	     !strcmp(q.ops[2].name, "t1") && !strcmp(q.ops[3].name, "t2") &&
	     q.ops[4].entry.key[0] == 1 && q.ops[5].entry.key[0] == 3 &&
	     q.ops[6].entry.key[0] == 2 && !strcmp(q.ops[6].name, "t2") &&
	     q.progs[0].lines[1].line == 6;
	if (!ktap_check(ok, "objects come back in dependency order, entries by table"))
		ktap_diag("%d: %s", ret, err);
	if (!ret)
		rmtc_policy_release(&q);
	rmtc_policy_release(&p);
}

/* ---- the writer's refusals ---- */

static void expect_write_err(const char *what, struct rmtc_policy *p, const char *want)
{
	const char *path = tmp_path("refused.o");
	char err[256] = "";
	int ret;

	unlink(path);
	ret = rmtc_object_write(p, path, err, sizeof(err));
	if (!ktap_check(ret < 0 && strstr(err, want) && strstr(err, path) &&
			access(path, F_OK), "writer refuses %s", what))
		ktap_diag("got %d \"%s\", want \"%s\"", ret, err, want);
	rmtc_policy_release(p);
}

static void test_write_refusals(void)
{
	struct rmtc_policy p;

	build_policy(&p);
	rmtc_policy_add_op(&p, RMT_CMD_ENTRY_NEW, "nowhere");
	expect_write_err("an entry of a table it does not create", &p,
			 "op 9: entry for table 'nowhere', which the policy does not create");
	build_policy(&p);
	rmtc_policy_add_op(&p, RMT_CMD_CTXMAP_NEW, "hist");
	expect_write_err("two context maps of one name", &p,
			 "op 9: a second context map named 'hist'");
	build_policy(&p);
	memset(p.ops[0].name, 'x', RMT_NAME_MAX);
	expect_write_err("a name without its NUL", &p,
			 "op 0: name is not NUL-terminated within 32 bytes");
	build_policy(&p);
	p.ops[5].name[0] = '\0';
	expect_write_err("an empty name", &p, "op 5: empty name");
	build_policy(&p);
	rmtc_policy_add_op(&p, RMT_CMD_PROG_DEL, "stride");
	expect_write_err("a deletion", &p, "op 9: command");
	build_policy(&p);
	p.ops[3].prog.len = RMT_MAX_INSNS + 1;
	expect_write_err("too many instructions", &p,
			 "op 3: action 'static' has 4097 instructions, not 1-4096");
	build_policy(&p);
	p.progs[0].lines[4].file = 2;
	expect_write_err("a line in a file it does not name", &p,
			 "op 2: instruction 4: file index 2, but the policy has 2 files");
	build_policy(&p);
	p.ops[5].table.nkeys = RMT_MAX_KEY_FIELDS + 1;
	expect_write_err("too many key fields", &p, "op 5: 9 key fields, at most 8");
	build_policy(&p);
	p.ops[8].entry.nparams = RMT_MAX_PARAMS + 1;
	expect_write_err("too many parameters", &p, "5 parameters");
	build_policy(&p);
	p.files[1][0] = '\0';
	expect_write_err("an empty source file name", &p, "source file 1 has no name");
	build_policy(&p);
	rmtc_policy_add_op(&p, RMT_CMD_MODEL_NEW, "empty");
	expect_write_err("an empty model", &p, "op 9: model 'empty' of 0 bytes");
}

/* ---- damaged objects ---- */

struct sec_ref {
	size_t hdr;	/* file offset of its section header */
	size_t off;	/* of its contents */
	size_t size;
	size_t name;	/* of its name */
};

static void find_sec(const u8 *buf, const char *name, struct sec_ref *ref)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, str;
	u32 i;

	memcpy(&eh, buf, sizeof(eh));
	memcpy(&str, buf + eh.e_shoff + eh.e_shstrndx * sizeof(sh), sizeof(str));
	for (i = 1; i < eh.e_shnum; i++) {
		memcpy(&sh, buf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (strcmp((const char *)buf + str.sh_offset + sh.sh_name, name))
			continue;
		ref->hdr = eh.e_shoff + i * sizeof(sh);
		ref->off = sh.sh_offset;
		ref->size = sh.sh_size;
		ref->name = str.sh_offset + sh.sh_name;
		return;
	}
	abort();
}

/* Offset of the symbol named @name in .symtab. */
static size_t find_sym(const u8 *buf, const char *name)
{
	struct sec_ref sym, str;
	Elf64_Sym s;
	size_t n;

	find_sec(buf, ".symtab", &sym);
	find_sec(buf, ".strtab", &str);
	for (n = sym.off; n < sym.off + sym.size; n += sizeof(s)) {
		memcpy(&s, buf + n, sizeof(s));
		if (!strcmp((const char *)buf + str.off + s.st_name, name))
			return n;
	}
	abort();
}

/* Reads an exactly sized copy; NULL if refused properly, else what went wrong. */
static const char *refused(const u8 *buf, size_t len, const char *want, char *err)
{
	u8 *copy = dup_mem(buf, len);
	struct rmtc_policy pol;
	int ret;

	memset(&pol, 0xa5, sizeof(pol));
	ret = rmtc_object_read_mem(copy, len, &pol, err, 256);
	free(copy);
	if (!ret) {
		rmtc_policy_release(&pol);
		return "accepted";
	}
	if (!err[0] || strchr(err, '\n'))
		return "no one-line message";
	if (!policy_empty(&pol))
		return "policy not empty";
	if (want && !strstr(err, want))
		return "wrong message";
	return NULL;
}

static void expect_read_err(const char *what, const u8 *buf, size_t len, const char *want)
{
	char err[256] = "";
	const char *why = refused(buf, len, want, err);

	if (!ktap_check(!why, "reader refuses %s", what))
		ktap_diag("%s: \"%s\", want \"%s\"", why, err, want);
}

/* Applies @mutate to a copy of @good, expects a refusal naming @want. */
#define MUTATE(what, want, ...)					\
	do {							\
		u8 *buf = dup_mem(good, len);			\
		__VA_ARGS__;					\
		expect_read_err(what, buf, len, want);		\
		free(buf);					\
	} while (0)

#define PUT(off, type, val)						\
	do {								\
		type v_ = (val);					\
		memcpy(buf + (off), &v_, sizeof(v_));			\
	} while (0)

/* Every truncation, and every byte of the ELF header flipped. */
static void test_truncation_and_header(const u8 *good, size_t len)
{
	char err[256] = "", first[300] = "";
	const char *why;
	size_t n, bad = 0, tried = 0;
	u8 *buf;

	for (n = 0; n < len; n = n + 64 < len || n == len - 1 ? n + 64 : len - 1) {
		tried++;
		why = refused(good, n, NULL, err);
		if (why && !bad++)
			snprintf(first, sizeof(first), "at %zu: %s (%s)", n, why, err);
	}
	if (!ktap_check(!bad, "reader refuses all %zu truncations", tried))
		ktap_diag("%zu accepted or badly refused, first %s", bad, first);
	buf = dup_mem(good, len);
	for (n = bad = 0; n < sizeof(Elf64_Ehdr); n++) {
		buf[n] ^= 0xff;
		why = refused(buf, len, NULL, err);
		if (why && !bad++)
			snprintf(first, sizeof(first), "byte %zu: %s (%s)", n, why, err);
		buf[n] ^= 0xff;
	}
	if (!ktap_check(!bad, "reader refuses each of the 64 ELF header bytes flipped"))
		ktap_diag("%zu accepted, first %s", bad, first);
	free(buf);
}

/* A change to section header field @off that the format forbids. */
static u64 shdr_change(size_t off, u64 v)
{
	switch (off) {
	case offsetof(Elf64_Shdr, sh_name):
		return v + 1;
	case offsetof(Elf64_Shdr, sh_flags):
		return v ^ SHF_WRITE;
	case offsetof(Elf64_Shdr, sh_addr):
		return 0x1000;
	case offsetof(Elf64_Shdr, sh_offset):
		return v + (1 << 20);
	case offsetof(Elf64_Shdr, sh_size):
		return v - 1;
	case offsetof(Elf64_Shdr, sh_addralign):
		return v ? v * 2 : 1;
	}
	return v ^ 1;	/* sh_type, sh_link, sh_info, sh_entsize */
}

/* Each field of each section header, the null one too, changed. */
static void test_section_headers(const u8 *good, size_t len)
{
#define F(field) { offsetof(Elf64_Shdr, field), sizeof(((Elf64_Shdr *)0)->field), #field }
	static const struct { size_t off, width; const char *name; } f[] = {
		F(sh_name), F(sh_type), F(sh_flags), F(sh_addr), F(sh_offset),
		F(sh_size), F(sh_link), F(sh_info), F(sh_addralign), F(sh_entsize),
	};
#undef F
	char err[256] = "", first[300] = "";
	size_t i, k, at, bad = 0, tried = 0;
	u8 *buf = dup_mem(good, len);
	const char *why;
	Elf64_Ehdr eh;
	u64 v;

	memcpy(&eh, good, sizeof(eh));
	for (i = 0; i < eh.e_shnum; i++) {
		for (k = 0; k < ARRAY_SIZE(f); k++) {
			at = eh.e_shoff + i * sizeof(Elf64_Shdr) + f[k].off;
			v = 0;
			memcpy(&v, good + at, f[k].width);
			v = shdr_change(f[k].off, v);
			memcpy(buf + at, &v, f[k].width);
			tried++;
			why = refused(buf, len, NULL, err);
			if (why && !bad++)
				snprintf(first, sizeof(first), "section %zu %s: %s (%s)",
					 i, f[k].name, why, err);
			memcpy(buf + at, good + at, f[k].width);
		}
	}
	if (!ktap_check(!bad, "reader refuses all %zu section header changes", tried))
		ktap_diag("%zu accepted, first %s", bad, first);
	free(buf);
}

static void test_elf_refusals(const u8 *good, size_t len)
{
	expect_read_err("an empty file", good, 0, "not an ELF file");
	expect_read_err("text", (const u8 *)"hello, world\n", 13, "not an ELF file");
	expect_read_err("a truncated ELF header", good, 40,
			"truncated: 40 bytes is shorter than an ELF header");
	MUTATE("a 32-bit ELF file", "ELF header: class 1, not ELFCLASS64",
	       buf[EI_CLASS] = ELFCLASS32);
	MUTATE("a big-endian ELF file", "ELF header: not little-endian",
	       buf[EI_DATA] = ELFDATA2MSB);
	MUTATE("an executable", "ELF header: type 2, not a relocatable object",
	       PUT(offsetof(Elf64_Ehdr, e_type), u16, ET_EXEC));
	MUTATE("an x86-64 object", "ELF header: machine 62, not an RMT object",
	       PUT(offsetof(Elf64_Ehdr, e_machine), u16, EM_X86_64));
	MUTATE("section headers past the end", "truncated: ",
	       PUT(offsetof(Elf64_Ehdr, e_shoff), u64, len - 64));
}

static void test_version_refusals(const u8 *good, size_t len)
{
	struct sec_ref v;

	find_sec(good, RMTC_SEC_VERSION, &v);
	MUTATE("a wrong magic", "section '.rmt.version': magic 0x4f544d53, not 0x4f544d52",
	       buf[v.off] ^= 1);
	MUTATE("a newer format version",
	       "section '.rmt.version': format version 2.0; this rmtc reads version 1 only",
	       PUT(v.off + 4, u16, 2));
	MUTATE("an object without .rmt.version",
	       "no section '.rmt.version': not an rmtc object",
	       buf[v.name + 11] = 'N');
}

static void test_section_refusals(const u8 *good, size_t len)
{
	struct sec_ref act, cm, files, t, ls, str;

	find_sec(good, ".strtab", &str);
	find_sec(good, "action/stride", &act);
	find_sec(good, "ctxmap/hist", &cm);
	find_sec(good, RMTC_SEC_FILES, &files);
	find_sec(good, "table/ra", &t);
	find_sec(good, "lines/stride", &ls);
	MUTATE("a section of an unknown kind", "section 'tabel/ra': unknown section kind",
	       memcpy(buf + t.name, "tabel", 5));
	MUTATE("a section name with a newline, in one line",
	       "section 'tab?e/ra': unknown section kind", buf[t.name + 3] = '\n');
	MUTATE("an action without its line table",
	       "section 'action/stride': no section 'lines/stride'",
	       buf[ls.name + 11] = 'a');
	MUTATE("two actions of one name", "section 'action/stride': appears twice",
	       struct sec_ref s; find_sec(buf, "action/static", &s);
	       memcpy(buf + s.name + 7, "stride", 6);
	       find_sec(buf, "lines/static", &s); memcpy(buf + s.name + 6, "stride", 6));
	MUTATE("part of an instruction",
	       "section 'action/stride': 13 bytes is not a whole number of instructions",
	       PUT(act.hdr + offsetof(Elf64_Shdr, sh_size), u64, 13);
	       PUT(find_sym(good, "stride") + offsetof(Elf64_Sym, st_size), u64, 13));
	MUTATE("a context map of the wrong size",
	       "section 'ctxmap/hist': 12 bytes, not 16",
	       PUT(cm.hdr + offsetof(Elf64_Shdr, sh_size), u64, 12);
	       PUT(find_sym(good, "hist") + offsetof(Elf64_Sym, st_size), u64, 12));
	MUTATE("a symbol of the wrong size", "section '.symtab': symbol 3: not a global function",
	       PUT(find_sym(good, "stride") + offsetof(Elf64_Sym, st_size), u64, 8));
	MUTATE("a symbol of the wrong name",
	       "symbol 1: named 'hisT', but its section is 'ctxmap/hist'",
	       buf[str.off + 4] = 'T');
	MUTATE("a file name without its NUL",
	       "section '.rmt.files': the last file name is not NUL-terminated",
	       buf[files.off + files.size - 1] = 'x');
	MUTATE("an empty file name", "section '.rmt.files': file name 0 is empty",
	       buf[files.off] = '\0');
	MUTATE("a line table one entry short",
	       "section 'lines/stride': 80 bytes, not one 8-byte entry for each of 11 instructions",
	       PUT(ls.hdr + offsetof(Elf64_Shdr, sh_size), u64, ls.size - 8));
	MUTATE("a line in a file the object does not name",
	       "section 'lines/stride': entry 3: file index 7, but the object names 2 files",
	       PUT(ls.off + 3 * 8 + 6, u16, 7));
}

static void test_record_refusals(const u8 *good, size_t len)
{
	const size_t ent = sizeof(struct rmtc_obj_table), esz = sizeof(struct rmtc_obj_entry);
	struct sec_ref a, t;

	find_sec(good, RMTC_SEC_ACTIONS, &a);
	find_sec(good, "table/ra", &t);
	MUTATE("an action name without its NUL",
	       "section '.rmt.actions': record 0: name is not NUL-terminated within 32 bytes",
	       memset(buf + a.off, 'x', RMT_NAME_MAX));
	MUTATE("a record for another action",
	       "section '.rmt.actions': record 1 names 'stride', but action section 1 is 'action/static'",
	       memcpy(buf + a.off + sizeof(struct rmtc_obj_action), "stride", 7));
	MUTATE("too many context maps", "record 0: 9 context maps and 0 tail calls, at most 8 and 15",
	       PUT(a.off + offsetof(struct rmtc_obj_action, nmaps), u32, 9));
	MUTATE("a context map past nmaps", "record 0: maps[1] set, but only 1 used",
	       buf[a.off + offsetof(struct rmtc_obj_action, maps) + RMT_NAME_MAX] = 'z');
	MUTATE("junk after the NUL of a name", "record 1: tails[0] has bytes after its NUL",
	       buf[a.off + sizeof(struct rmtc_obj_action) +
		   offsetof(struct rmtc_obj_action, tails) + 20] = 'j');
	MUTATE("has_budget 2", "record 0: has_budget 2 or reserved bytes set",
	       buf[a.off + offsetof(struct rmtc_obj_action, has_budget)] = 2);
	MUTATE("a declaration in a file the object does not name",
	       "section '.rmt.actions': record 1: file index 9, but the object names 2 files",
	       PUT(a.off + sizeof(struct rmtc_obj_action) +
		   offsetof(struct rmtc_obj_action, decl.file), u16, 9));
	MUTATE("too many key fields", "section 'table/ra': 9 key fields (at most 8)",
	       PUT(t.off + offsetof(struct rmtc_obj_table, nkeys), u32, 9));
	MUTATE("an entry more than the section holds",
	       "section 'table/ra': 888 bytes for a table of 3 entries of 288 bytes",
	       PUT(t.off + offsetof(struct rmtc_obj_table, nentries), u32, 3));
	MUTATE("an entry's action name without its NUL",
	       "section 'table/ra': entry 1: action name is not NUL-terminated",
	       memset(buf + t.off + ent + esz + offsetof(struct rmtc_obj_entry, prog), 'y',
		      RMT_NAME_MAX));
	MUTATE("too many parameters", "section 'table/ra': entry 0: 2/0/2 key/key_hi/mask values and 5 parameters",
	       PUT(t.off + ent + offsetof(struct rmtc_obj_entry, nparams), u32, 5));
	MUTATE("a key value past nkey", "section 'table/ra': entry 1: 2/0/2",
	       PUT(t.off + ent + esz + offsetof(struct rmtc_obj_entry, key[7]), s64, 1));
	MUTATE("a reserved byte of an entry", "entry 0: has_prefix 0 or reserved bytes set",
	       buf[t.off + ent + offsetof(struct rmtc_obj_entry, reserved[3])] = 1);
}

static void test_mutations(void)
{
	const char *path = tmp_path("good.o");
	struct rmtc_policy p;
	char err[256];
	size_t len;
	u8 *good;

	build_policy(&p);
	rmtc_object_write(&p, path, err, sizeof(err));
	rmtc_policy_release(&p);
	good = slurp(path, &len);
	if (len < sizeof(Elf64_Ehdr)) {
		ktap_check(0, "the object to damage is written");
		free(good);
		return;
	}
	test_truncation_and_header(good, len);
	test_section_headers(good, len);
	test_elf_refusals(good, len);
	test_version_refusals(good, len);
	test_section_refusals(good, len);
	test_record_refusals(good, len);
	free(good);
}

static void test_missing_file(void)
{
	struct rmtc_policy p;
	char err[256], want[300];
	int ret;

	memset(&p, 0xa5, sizeof(p));
	ret = rmtc_object_read(tmp_path("none.o"), &p, err, sizeof(err));
	snprintf(want, sizeof(want), "%s/none.o: cannot read: No such file or directory", dir);
	if (!ktap_check(ret == -ENOENT && !strcmp(err, want) && policy_empty(&p),
			"a missing file is refused with its name"))
		ktap_diag("got %d \"%s\"", ret, err);
}

static void cleanup(void)
{
	static const char *const names[] = {
		"a.o", "b.o", "pipe.o", "order.o", "refused.o", "good.o",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		unlink(tmp_path(names[i]));
	rmdir(dir);
}

int main(void)
{
	ktap_begin();
	if (!mkdtemp(dir))
		return 1;
	test_round_trip();
	test_pipe();
	test_order();
	test_write_refusals();
	test_mutations();
	test_missing_file();
	cleanup();
	return ktap_end();
}
