// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl policy: whole policies, compiled by rmtc (dsl/), as one unit.
 *
 *   policy check FILE   compile (or read the object) and verify; load nothing
 *   policy diff FILE    what apply would do, object by object
 *   policy apply FILE   make the loaded objects what FILE says, atomically
 *   policy show         what is loaded, grouped by kind
 *
 * FILE is policy source (.rmt) or an ELF object written by rmtc; the
 * first four bytes decide, not the name.  Apply builds one transaction:
 * objects not loaded are created, identical ones are left alone, and
 * changed ones are deleted and created again in the same commit, so a
 * hook sees the old policy or the new one, never a mix.  Refusals come
 * back located in the policy source, as the compiler reports errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmtctl.h"
#include "rmtc.h"

/* What apply does with one object of the policy. */
enum plan_act {
	PLAN_ADD,
	PLAN_KEEP,
	PLAN_REPLACE,
};

/**
 * struct plan_item - one named object of the policy and its fate
 * @op: its NEW operation in the policy
 * @act: enum plan_act
 * @reason: for PLAN_REPLACE, why, in a few words
 */
struct plan_item {
	u32 op;
	u32 act;
	char reason[96];
};

/**
 * struct policy_run - one policy command at work
 * @ctl: tool state
 * @path: the file as the user named it
 * @pol: the compiled policy
 * @items: one per non-entry operation of @pol, in policy order
 * @nitems: how many
 * @count: items per enum plan_act
 * @txn: the transaction apply commits: DELs, then NEWs
 * @src: for each operation of @txn, the policy operation it stands for
 * @ntxn: operations in @txn
 */
struct policy_run {
	struct rmtctl *ctl;
	const char *path;
	struct rmtc_policy pol;
	struct plan_item *items;
	u32 nitems;
	u32 count[3];
	struct rmt_op *txn;
	u32 *src;
	u32 ntxn;
};

static const char *const plan_words[] = {
	[PLAN_ADD] = "add", [PLAN_KEEP] = "keep", [PLAN_REPLACE] = "replace",
};

static const char plan_marks[] = {
	[PLAN_ADD] = '+', [PLAN_KEEP] = '=', [PLAN_REPLACE] = '~',
};

static const char *op_kind(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_TABLE_NEW: return "table";
	case RMT_CMD_ENTRY_NEW: return "entry";
	case RMT_CMD_PROG_NEW: return "prog";
	case RMT_CMD_MODEL_NEW: return "model";
	}
	return "ctxmap";
}

/* The GET and DEL commands of the kind a NEW command creates. */
static u32 op_get(u32 cmd)
{
	return cmd - RMT_CMD_TABLE_NEW + RMT_CMD_TABLE_GET;
}

static u32 op_del(u32 cmd)
{
	return cmd - RMT_CMD_TABLE_NEW + RMT_CMD_TABLE_DEL;
}

static u64 prog_budget(const struct rmt_op *op)
{
	return op->prog.has_budget ? op->prog.budget :
	       rmt_hook_schema(op->prog.hook)->budget;
}

/* ------------------------------------------------------------------ */
/* Reading a policy                                                    */
/* ------------------------------------------------------------------ */

static void diags_free(struct rmtc_diags *ds)
{
	if (ds)
		rmtc_diags_release(ds);
	free(ds);
}

/* Compiler diagnostics: compiler-style on stderr, or the first as JSON. */
static int report_diags(struct rmtctl *ctl, const struct rmtc_diags *ds,
			const char *path)
{
	const struct rmtc_diag *d = ds->d;

	if (!ds->n)
		return rmtctl_error(ctl, RMTCTL_REJECTED, "%s: refused", path);
	if (!ctl->jw) {
		rmtc_diags_print(ds, stderr);
		return RMTCTL_REJECTED;
	}
	json_start_object(ctl->jw);
	json_name(ctl->jw, "error");
	json_start_object(ctl->jw);
	json_kv_string(ctl->jw, "file", d->loc.file ? d->loc.file : path);
	if (d->loc.line) {
		json_kv_uint(ctl->jw, "line", d->loc.line);
		json_kv_uint(ctl->jw, "col", d->loc.col);
	}
	json_kv_string(ctl->jw, "message", d->msg);
	if (d->hint)
		json_kv_string(ctl->jw, "hint", d->hint);
	json_end_object(ctl->jw);
	json_end_object(ctl->jw);
	return RMTCTL_REJECTED;
}

/*
 * Is @path an ELF object (by its magic number) or text?  Other binary
 * files are refused.  Return: exit code, the error printed.
 */
static int policy_sniff(struct rmtctl *ctl, const char *path, bool *object)
{
	static const char elf[4] = { 0x7f, 'E', 'L', 'F' };
	bool first = true, binary = false;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	*object = false;
	if (!f)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "cannot read %s: %s",
				    path, strerror(errno));
	while (!*object && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (first)
			*object = n >= 4 && !memcmp(buf, elf, 4);
		first = false;
		binary |= memchr(buf, '\0', n) != NULL;
	}
	if (ferror(f)) {
		fclose(f);
		return rmtctl_error(ctl, RMTCTL_SYSERR, "cannot read %s: %s",
				    path, strerror(errno ? errno : EIO));
	}
	fclose(f);
	if (binary && !*object)
		return rmtctl_error(ctl, RMTCTL_REJECTED,
				    "%s: neither policy source nor an ELF object from rmtc",
				    path);
	return RMTCTL_OK;
}

/**
 * policy_read() - compile a policy source file, or read an rmtc object
 * @ctl: tool state
 * @path: the file
 * @pol: receives the policy
 *
 * Errors are printed: compiler diagnostics as the compiler prints them.
 *
 * Return: exit code.
 */
static int policy_read(struct rmtctl *ctl, const char *path,
		       struct rmtc_policy *pol)
{
	struct rmtc_diags *ds;
	char err[256] = "";
	bool object;
	int ret = policy_sniff(ctl, path, &object);

	if (ret)
		return ret;
	if (object) {
		if (!rmtc_object_read(path, pol, err, sizeof(err)))
			return RMTCTL_OK;
		rmtc_policy_release(pol);
		if (!err[0])
			snprintf(err, sizeof(err), "%s: not an rmtc object", path);
		return rmtctl_error(ctl, RMTCTL_REJECTED, "%s", err);
	}
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	if (rmtc_compile_file(path, pol, ds)) {
		ret = report_diags(ctl, ds, path);
		rmtc_policy_release(pol);
	}
	diags_free(ds);
	return ret;
}

static int run_open(struct policy_run *r, struct rmtctl *ctl, int argc,
		    char **argv, const char *cmd)
{
	memset(r, 0, sizeof(*r));
	r->ctl = ctl;
	if (argc != 1)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: policy %s FILE", cmd);
	r->path = argv[0];
	return policy_read(ctl, r->path, &r->pol);
}

static void run_close(struct policy_run *r)
{
	rmtc_policy_release(&r->pol);
	free(r->items);
	free(r->txn);
	free(r->src);
}

/* ------------------------------------------------------------------ */
/* policy check                                                        */
/* ------------------------------------------------------------------ */

static void check_print(struct policy_run *r)
{
	struct rmtctl *ctl = r->ctl;
	u32 i, n[RMT_CMD_MAX + 1] = { 0 };

	for (i = 0; i < r->pol.nops; i++)
		n[r->pol.ops[i].cmd]++;
	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "file", r->path);
		json_name(ctl->jw, "programs");
		json_start_array(ctl->jw);
	} else {
		printf("%-24s %-24s %6s %12s %12s\n", "PROGRAM", "HOOK", "INSNS",
		       "COST", "BUDGET");
	}
	for (i = 0; i < r->pol.nprogs; i++) {
		const struct rmtc_prog_info *p = &r->pol.progs[i];
		const struct rmt_op *op = &r->pol.ops[p->op];
		const char *hook = rmt_hook_schema(op->prog.hook)->name;

		if (!ctl->jw) {
			printf("%-24s %-24s %6u %12llu %12llu\n", op->name, hook,
			       op->prog.len, (unsigned long long)p->cost,
			       (unsigned long long)prog_budget(op));
			continue;
		}
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "name", op->name);
		json_kv_string(ctl->jw, "hook", hook);
		json_kv_uint(ctl->jw, "insns", op->prog.len);
		json_kv_uint(ctl->jw, "cost", p->cost);
		json_kv_uint(ctl->jw, "max_insns", p->max_insns);
		json_kv_uint(ctl->jw, "budget", prog_budget(op));
		json_end_object(ctl->jw);
	}
	if (ctl->jw) {
		json_end_array(ctl->jw);
		json_end_object(ctl->jw);
		return;
	}
#define COUNT(cmd, one, many)	n[cmd], n[cmd] == 1 ? one : many
	printf("ok, %s verified: %u %s, %u %s (%u %s), %u %s, %u %s\n", r->path,
	       COUNT(RMT_CMD_PROG_NEW, "program", "programs"),
	       COUNT(RMT_CMD_TABLE_NEW, "table", "tables"),
	       COUNT(RMT_CMD_ENTRY_NEW, "entry", "entries"),
	       COUNT(RMT_CMD_MODEL_NEW, "model", "models"),
	       COUNT(RMT_CMD_CTXMAP_NEW, "context map", "context maps"));
#undef COUNT
}

static int policy_check(struct rmtctl *ctl, int argc, char **argv)
{
	struct policy_run r;
	struct rmtc_diags *ds;
	int ret = run_open(&r, ctl, argc, argv, "check");

	if (ret)
		return ret;
	ds = calloc(1, sizeof(*ds));
	if (!ds) {
		ret = rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	} else if (rmtc_policy_check(&r.pol, ds)) {
		ret = report_diags(ctl, ds, r.path);
	} else {
		check_print(&r);
	}
	diags_free(ds);
	run_close(&r);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Comparing the policy with what is loaded                            */
/* ------------------------------------------------------------------ */

/* An entry in one canonical form, as the store keeps it; memcmp()able. */
struct plan_entry {
	s64 key[RMT_MAX_KEY_FIELDS];
	s64 key_hi[RMT_MAX_KEY_FIELDS];
	u64 mask[RMT_MAX_KEY_FIELDS];
	s64 params[RMT_MAX_PARAMS];
	u32 prefix;
	u32 priority;
	u32 nparams;
	char prog[RMT_NAME_MAX];
};

/* Canonicalise as rmt_entry_create() stores: masked keys, used fields only. */
static void entry_canon(struct plan_entry *c, const struct rmt_op *table,
			const s64 *key, const s64 *key_hi, const u64 *mask,
			u32 prefix, u32 priority)
{
	u32 i, match = table->table.match;

	for (i = 0; i < table->table.nkeys; i++) {
		c->key[i] = key[i];
		if (match == RMT_MATCH_TERNARY) {
			c->mask[i] = mask[i];
			c->key[i] = (s64)((u64)key[i] & mask[i]);
		}
		if (match == RMT_MATCH_RANGE)
			c->key_hi[i] = key_hi[i];
	}
	if (match == RMT_MATCH_LPM) {
		c->prefix = prefix;
		if (prefix < 64)
			c->key[0] = (s64)((u64)c->key[0] & ~(U64_MAX >> prefix));
	}
	if (match == RMT_MATCH_TERNARY || match == RMT_MATCH_RANGE)
		c->priority = priority;
}

static int entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct plan_entry));
}

/**
 * struct plan_entries - a set of entries being gathered
 * @table: the policy's TABLE_NEW
 * @v: the entries
 * @n: how many
 * @cap: room
 */
struct plan_entries {
	const struct rmt_op *table;
	struct plan_entry *v;
	u32 n, cap;
};

static struct plan_entry *entries_add(struct plan_entries *s)
{
	struct plan_entry *v;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (!v)
			return NULL;
		s->v = v;
	}
	v = &s->v[s->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

static int loaded_entry(const struct rmtctl_obj *o, void *arg)
{
	struct plan_entries *s = arg;
	struct plan_entry *c = entries_add(s);

	if (!c)
		return -1;
	entry_canon(c, s->table, o->key, o->key_hi, o->mask, o->prefix,
		    o->priority);
	memcpy(c->params, o->params, o->nparams * sizeof(s64));
	c->nparams = o->nparams;
	snprintf(c->prog, sizeof(c->prog), "%s", o->prog);
	return 0;
}

static int policy_entries(struct policy_run *r, struct plan_entries *s)
{
	const struct rmt_op *op;
	struct plan_entry *c;
	u32 i;

	for (i = 0; i < r->pol.nops; i++) {
		op = &r->pol.ops[i];
		if (op->cmd != RMT_CMD_ENTRY_NEW || strcmp(op->name, s->table->name))
			continue;
		c = entries_add(s);
		if (!c)
			return -ENOMEM;
		entry_canon(c, s->table, op->entry.key, op->entry.key_hi,
			    op->entry.mask, op->entry.prefix, op->entry.priority);
		memcpy(c->params, op->entry.params, op->entry.nparams * sizeof(s64));
		c->nparams = op->entry.nparams;
		snprintf(c->prog, sizeof(c->prog), "%s", op->entry.prog);
	}
	return 0;
}

/* Whether table @op's loaded entries are exactly the policy's. */
static int same_entries(struct policy_run *r, const struct rmt_op *op,
			bool *same, struct rmtctl_error *e)
{
	struct plan_entries want = { op }, have = { op };
	int ret;

	ret = r->ctl->be->list(r->ctl->be_priv, RMT_CMD_ENTRY_GET, op->name,
			       loaded_entry, &have, e);
	if (!ret)
		ret = policy_entries(r, &want);
	*same = !ret && want.n == have.n;
	if (*same && want.n) {
		qsort(want.v, want.n, sizeof(*want.v), entry_cmp);
		qsort(have.v, have.n, sizeof(*have.v), entry_cmp);
		*same = !memcmp(want.v, have.v, want.n * sizeof(*want.v));
	}
	if (ret == -ENOMEM) {
		e->err = ret;
		snprintf(e->msg, sizeof(e->msg), "out of memory");
	}
	free(want.v);
	free(have.v);
	return ret;
}

/* Names lists equal? */
static bool same_names(const char (*a)[RMT_NAME_MAX], u32 na,
		       const char (*b)[RMT_NAME_MAX], u32 nb)
{
	u32 i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

static const char *diff_table(const struct rmt_op *op, const struct rmtctl_obj *o)
{
	if (strcmp(o->hook, rmt_hook_schema(op->table.hook)->name))
		return "hook differs";
	if (!same_names((const char (*)[RMT_NAME_MAX])op->table.keys,
			op->table.nkeys, o->keys, o->nkeys))
		return "key differs";
	if (o->match != op->table.match)
		return "match kind differs";
	if (o->size != op->table.size)
		return "size differs";
	if (strcmp(o->dflt, op->table.dflt))
		return "default action differs";
	if (o->latency != op->table.latency_ns)
		return "latency budget differs";
	if (o->state)
		return "disabled by the watchdog";	/* replacing re-enables it */
	return NULL;
}

static const char *diff_prog(const struct rmt_op *op, const struct rmtctl_obj *o)
{
	if (strcmp(o->hook, rmt_hook_schema(op->prog.hook)->name))
		return "hook differs";
	if (!o->prog_insns)
		return "instructions are not read back";
	if (o->insns != op->prog.len ||
	    memcmp(o->prog_insns, op->prog.insns, op->prog.len * sizeof(struct rmt_insn)))
		return "instructions differ";
	if (o->budget != prog_budget(op))
		return "budget differs";
	if (!o->has_refs)	/* rmt.ko does not say; the instructions do */
		return NULL;
	if (strcmp(o->model, op->prog.model))
		return "model differs";
	if (!same_names((const char (*)[RMT_NAME_MAX])op->prog.maps, op->prog.nmaps,
			o->maps, o->nmaps))
		return "context maps differ";
	if (!same_names((const char (*)[RMT_NAME_MAX])op->prog.tails, op->prog.ntails,
			o->tails, o->ntails))
		return "tail programs differ";
	return NULL;
}

static const char *diff_ctxmap(const struct rmt_op *op, const struct rmtctl_obj *o)
{
	const struct rmt_ctxmap_desc *a = &op->ctxmap, *b = &o->desc;

	if (a->nvals != b->nvals || a->hist_len != b->hist_len)
		return "slots differ (its state would be lost)";
	if (a->max_entries != b->max_entries)
		return "size differs (its state would be lost)";
	if (a->key_kind != b->key_kind)
		return "key kind differs (its state would be lost)";
	return NULL;
}

/**
 * struct plan_compare - one policy object against its loaded namesake
 * @op: the policy's NEW operation
 * @found: the backend has an object of that kind and name
 * @why: NULL if identical, else why it is replaced
 */
struct plan_compare {
	const struct rmt_op *op;
	bool found;
	const char *why;
};

static int compare_cb(const struct rmtctl_obj *o, void *arg)
{
	struct plan_compare *c = arg;

	c->found = true;
	switch (c->op->cmd) {
	case RMT_CMD_TABLE_NEW:
		c->why = diff_table(c->op, o);
		break;
	case RMT_CMD_PROG_NEW:
		c->why = diff_prog(c->op, o);
		break;
	case RMT_CMD_MODEL_NEW:
		c->why = "replaced (contents are not read back)";
		break;
	default:
		c->why = diff_ctxmap(c->op, o);
	}
	return 0;
}

/* Decide one object's fate, as far as it alone goes. */
static int plan_one(struct policy_run *r, struct plan_item *it,
		    struct rmtctl_error *e)
{
	struct plan_compare c = { &r->pol.ops[it->op] };
	struct rmtctl *ctl = r->ctl;
	bool same = true;
	int ret;

	ret = ctl->be->get(ctl->be_priv, op_get(c.op->cmd), c.op->name, 0,
			   compare_cb, &c, e);
	if (ret == -ENOENT || (!ret && !c.found)) {
		it->act = PLAN_ADD;
		return 0;
	}
	if (ret)
		return ret;
	if (!c.why && c.op->cmd == RMT_CMD_TABLE_NEW) {
		ret = same_entries(r, c.op, &same, e);
		if (ret)
			return ret;
		if (!same)
			c.why = "entries differ";
	}
	it->act = c.why ? PLAN_REPLACE : PLAN_KEEP;
	if (c.why)
		snprintf(it->reason, sizeof(it->reason), "%s", c.why);
	return 0;
}

/*
 * What apply would do.  A replaced object is deleted first, and what
 * refers to it by name must go too; the simple rule that is always
 * right: when anything changes, every loaded table, program and model of
 * the policy is rebuilt.  Identical context maps stay, with their state.
 */
static int plan_build(struct policy_run *r)
{
	struct rmtctl_error e = { 0 };
	struct plan_item *it;
	bool changed = false;
	u32 i;
	int ret;

	r->items = calloc(r->pol.nops ? r->pol.nops : 1, sizeof(*r->items));
	if (!r->items)
		return rmtctl_error(r->ctl, RMTCTL_SYSERR, "out of memory");
	for (i = 0; i < r->pol.nops; i++) {
		if (r->pol.ops[i].cmd == RMT_CMD_ENTRY_NEW)
			continue;
		it = &r->items[r->nitems++];
		it->op = i;
		ret = plan_one(r, it, &e);
		if (ret)
			return rmtctl_backend_error(r->ctl, &e, NULL);
	}
	for (i = 0; i < r->nitems; i++)
		changed |= r->items[i].act == PLAN_REPLACE;
	for (it = r->items; changed && it < r->items + r->nitems; it++) {
		if (it->act != PLAN_KEEP ||
		    r->pol.ops[it->op].cmd == RMT_CMD_CTXMAP_NEW)
			continue;
		it->act = PLAN_REPLACE;
		snprintf(it->reason, sizeof(it->reason),
			 "rebuilt with the policy's changed objects");
	}
	for (i = 0; i < r->nitems; i++)
		r->count[r->items[i].act]++;
	return RMTCTL_OK;
}

/* The fate of policy operation @op (an entry shares its table's). */
static u32 plan_act_of(const struct policy_run *r, u32 op)
{
	const struct rmt_op *o = &r->pol.ops[op];
	const struct plan_item *it;

	for (it = r->items; it < r->items + r->nitems; it++) {
		const struct rmt_op *t = &r->pol.ops[it->op];

		if (it->op == op)
			return it->act;
		if (o->cmd == RMT_CMD_ENTRY_NEW && t->cmd == RMT_CMD_TABLE_NEW &&
		    !strcmp(t->name, o->name))
			return it->act;
	}
	return PLAN_ADD;
}

/* DELs of replaced objects, dependents first, then the NEWs wanted. */
static int plan_txn(struct policy_run *r)
{
	u32 i, max = r->pol.nops + r->nitems;
	struct rmt_op *op;
	u32 *acts;

	r->txn = calloc(max ? max : 1, sizeof(*r->txn));
	r->src = calloc(max ? max : 1, sizeof(*r->src));
	acts = calloc(r->pol.nops ? r->pol.nops : 1, sizeof(*acts));
	if (!r->txn || !r->src || !acts) {
		free(acts);
		return rmtctl_error(r->ctl, RMTCTL_SYSERR, "out of memory");
	}
	for (i = 0; i < r->pol.nops; i++)
		acts[i] = plan_act_of(r, i);
	for (i = r->nitems; i-- > 0;) {
		if (r->items[i].act != PLAN_REPLACE)
			continue;
		op = &r->txn[r->ntxn];
		op->cmd = op_del(r->pol.ops[r->items[i].op].cmd);
		snprintf(op->name, sizeof(op->name), "%s",
			 r->pol.ops[r->items[i].op].name);
		r->src[r->ntxn++] = r->items[i].op;
	}
	for (i = 0; i < r->pol.nops; i++) {
		if (acts[i] == PLAN_KEEP)
			continue;
		r->txn[r->ntxn] = r->pol.ops[i];
		r->src[r->ntxn++] = i;
	}
	free(acts);
	return RMTCTL_OK;
}

/* ------------------------------------------------------------------ */
/* policy diff and policy apply                                        */
/* ------------------------------------------------------------------ */

static void plan_print_item(struct policy_run *r, const struct plan_item *it)
{
	const struct rmt_op *op = &r->pol.ops[it->op];
	struct json_writer *jw = r->ctl->jw;

	if (!jw) {
		printf("%c %s %s%s%s\n", plan_marks[it->act], op_kind(op->cmd),
		       op->name, it->act == PLAN_REPLACE ? ": " : "",
		       it->act == PLAN_REPLACE ? it->reason : "");
		return;
	}
	json_start_object(jw);
	json_kv_string(jw, "change", plan_words[it->act]);
	json_kv_string(jw, "kind", op_kind(op->cmd));
	json_kv_string(jw, "name", op->name);
	json_name(jw, "reason");
	if (it->act == PLAN_REPLACE)
		json_string(jw, it->reason);
	else
		json_null(jw);
	json_end_object(jw);
}

/*
 * The plan: a line per object (apply leaves out the unchanged), or the
 * JSON object's fields up to the counts; the caller closes the object.
 */
static void plan_print(struct policy_run *r, bool all)
{
	struct json_writer *jw = r->ctl->jw;
	u32 i;

	if (jw) {
		json_start_object(jw);
		json_kv_string(jw, "file", r->path);
		json_name(jw, "changes");
		json_start_array(jw);
	}
	for (i = 0; i < r->nitems; i++)
		if (all || jw || r->items[i].act != PLAN_KEEP)
			plan_print_item(r, &r->items[i]);
	if (!jw)
		return;
	json_end_array(jw);
	json_kv_uint(jw, "added", r->count[PLAN_ADD]);
	json_kv_uint(jw, "replaced", r->count[PLAN_REPLACE]);
	json_kv_uint(jw, "unchanged", r->count[PLAN_KEEP]);
}

static bool plan_changes(const struct policy_run *r)
{
	return r->count[PLAN_ADD] || r->count[PLAN_REPLACE];
}

static int run_plan(struct policy_run *r, struct rmtctl *ctl, int argc,
		    char **argv, const char *cmd)
{
	int ret = run_open(r, ctl, argc, argv, cmd);

	if (!ret)
		ret = rmtctl_backend(ctl);
	if (!ret)
		ret = plan_build(r);
	return ret;
}

static int policy_diff(struct rmtctl *ctl, int argc, char **argv)
{
	struct policy_run r;
	int ret = run_plan(&r, ctl, argc, argv, "diff");

	if (!ret) {
		plan_print(&r, true);
		if (ctl->jw)
			json_end_object(ctl->jw);
		else if (!plan_changes(&r))
			printf("policy unchanged\n");
		else
			printf("%u to add, %u to replace, %u unchanged\n",
			       r.count[PLAN_ADD], r.count[PLAN_REPLACE],
			       r.count[PLAN_KEEP]);
	}
	run_close(&r);
	return ret;
}

/* "op N: " of a batch refusal names our transaction, not the policy. */
static const char *strip_op(const char *msg)
{
	const char *p = msg;

	if (strncmp(p, "op ", 3))
		return msg;
	for (p += 3; *p >= '0' && *p <= '9'; p++)
		;
	return p > msg + 3 && !strncmp(p, ": ", 2) ? p + 2 : msg;
}

/* A refused commit, located in the policy's source. */
static int apply_refused(struct policy_run *r, const struct rmtctl_error *e)
{
	struct rmtc_diags *ds;
	int ret;

	if (e->op < 0 || (u32)e->op >= r->ntxn)
		return rmtctl_backend_error(r->ctl, e, NULL);
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return rmtctl_backend_error(r->ctl, e, NULL);
	rmtc_policy_blame(&r->pol, r->src[e->op], e->insn, strip_op(e->msg), ds);
	ret = report_diags(r->ctl, ds, r->path);
	diags_free(ds);
	return ret;
}

/*
 * Journal the apply for --state.  The file the user named may change or
 * go; the journal names a snapshot of what was applied instead, an rmtc
 * object next to the state file.
 */
static void apply_journal(struct policy_run *r, u64 gen)
{
	char snap[4096], err[256] = "";
	char *argv[3] = { "policy", "apply", snap };
	struct rmtctl *ctl = r->ctl;

	if (!rmtctl_journalling(ctl))
		return;
	snprintf(snap, sizeof(snap), "%s.policy-%llu.o", ctl->state,
		 (unsigned long long)gen);
	if (!rmtc_object_write(&r->pol, snap, err, sizeof(err))) {
		rmtctl_save_state_argv(ctl, 3, argv);
		return;
	}
	fprintf(stderr, "rmtctl: warning: cannot keep a copy of the policy (%s); "
		"the state names %s\n", err, r->path);
	rmtctl_save_state(ctl);
}

static int policy_apply(struct policy_run *r)
{
	struct rmtctl_error e = { 0 };
	struct rmtctl *ctl = r->ctl;
	u64 gen = 0;
	int ret;

	if (!plan_changes(r)) {
		plan_print(r, false);
		if (ctl->jw) {
			json_kv_uint(ctl->jw, "operations", 0);
			json_end_object(ctl->jw);
		} else {
			printf("policy unchanged\n");
		}
		return RMTCTL_OK;
	}
	ret = plan_txn(r);
	if (ret)
		return ret;
	if (ctl->be->commit(ctl->be_priv, r->txn, r->ntxn, &gen, &e))
		return apply_refused(r, &e);
	apply_journal(r, gen);
	plan_print(r, false);
	if (ctl->jw) {
		json_kv_uint(ctl->jw, "operations", r->ntxn);
		json_kv_uint(ctl->jw, "generation", gen);
		json_end_object(ctl->jw);
	} else {
		printf("committed %u operation%s, generation %llu\n", r->ntxn,
		       r->ntxn == 1 ? "" : "s", (unsigned long long)gen);
	}
	return RMTCTL_OK;
}

static int policy_apply_cmd(struct rmtctl *ctl, int argc, char **argv)
{
	struct policy_run r;
	int ret = run_plan(&r, ctl, argc, argv, "apply");

	if (!ret)
		ret = policy_apply(&r);
	run_close(&r);
	return ret;
}

/* ------------------------------------------------------------------ */
/* policy show                                                         */
/* ------------------------------------------------------------------ */

struct show_list {
	struct rmtctl_obj *v;
	u32 n;
};

static int show_collect(const struct rmtctl_obj *o, void *arg)
{
	struct show_list *l = arg;
	struct rmtctl_obj *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	l->v = v;
	v[l->n] = *o;
	v[l->n++].prog_insns = NULL;	/* not ours to keep */
	return 0;
}

/* A dump of rmt.ko leaves out a program's instructions; a get has them. */
static int show_prog_len(const struct rmtctl_obj *o, void *arg)
{
	*(u32 *)arg = o->insns;
	return 0;
}

static void show_obj(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	static const char *const keyed[] = { "any", "pid", "tgid", "cgroup", "inode" };

	switch (o->cmd) {
	case RMT_CMD_TABLE_GET:
		rmtctl_print_opt_str(ctl, "hook", o->hook);
		rmtctl_print_names(ctl, "key", o->keys, o->nkeys);
		rmtctl_print_opt_str(ctl, "match", rmtctl_match_name(o->match));
		rmtctl_print_uint(ctl, "size", o->size);
		rmtctl_print_uint(ctl, "entries", o->entries);
		rmtctl_print_opt_str(ctl, "default", o->dflt[0] ? o->dflt : NULL);
		break;
	case RMT_CMD_PROG_GET:
		rmtctl_print_opt_str(ctl, "hook", o->hook);
		rmtctl_print_uint(ctl, "insns", o->insns);
		rmtctl_print_uint(ctl, "cost", o->cost);
		rmtctl_print_uint(ctl, "budget", o->budget);
		break;
	case RMT_CMD_MODEL_GET:
		rmtctl_print_uint(ctl, "tensors", o->tensors);
		rmtctl_print_uint(ctl, "trees", o->trees);
		break;
	case RMT_CMD_CTXMAP_GET:
		rmtctl_print_uint(ctl, "nvals", o->desc.nvals);
		rmtctl_print_uint(ctl, "hist", o->desc.hist_len);
		rmtctl_print_uint(ctl, "max", o->desc.max_entries);
		rmtctl_print_opt_str(ctl, "keyed", o->desc.key_kind < ARRAY_SIZE(keyed) ?
			 keyed[o->desc.key_kind] : "?");
		rmtctl_print_uint(ctl, "count", o->count);
		break;
	}
}

static void show_group(struct rmtctl *ctl, const char *group,
		       const struct show_list *l)
{
	u32 i;

	if (ctl->jw) {
		json_name(ctl->jw, group);
		json_start_array(ctl->jw);
	} else {
		printf("%s:%s\n", group, l->n ? "" : " none");
	}
	for (i = 0; i < l->n; i++) {
		if (ctl->jw) {
			json_start_object(ctl->jw);
			json_kv_string(ctl->jw, "name", l->v[i].name);
		} else {
			printf("  %s", l->v[i].name);
		}
		show_obj(ctl, &l->v[i]);
		if (ctl->jw)
			json_end_object(ctl->jw);
		else
			putchar('\n');
	}
	if (ctl->jw)
		json_end_array(ctl->jw);
}

static int policy_show(struct rmtctl *ctl, int argc, char **argv)
{
	static const struct { u32 cmd; const char *group; } groups[] = {
		{ RMT_CMD_TABLE_GET, "tables" }, { RMT_CMD_PROG_GET, "programs" },
		{ RMT_CMD_MODEL_GET, "models" }, { RMT_CMD_CTXMAP_GET, "ctxmaps" },
	};
	struct show_list l[ARRAY_SIZE(groups)] = { 0 };
	struct rmtctl_error e = { 0 };
	int ret, err = 0;
	u32 g, i;

	if (argc)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: policy show");
	ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	for (g = 0; !err && g < ARRAY_SIZE(groups); g++)
		err = ctl->be->list(ctl->be_priv, groups[g].cmd, NULL,
				    show_collect, &l[g], &e);
	for (i = 0; !err && i < l[1].n; i++)
		if (!l[1].v[i].insns)
			err = ctl->be->get(ctl->be_priv, RMT_CMD_PROG_GET,
					   l[1].v[i].name, 0, show_prog_len,
					   &l[1].v[i].insns, &e);
	if (err) {
		ret = rmtctl_backend_error(ctl, &e, NULL);
	} else {
		if (ctl->jw)
			json_start_object(ctl->jw);
		for (g = 0; g < ARRAY_SIZE(groups); g++)
			show_group(ctl, groups[g].group, &l[g]);
		if (ctl->jw)
			json_end_object(ctl->jw);
	}
	for (g = 0; g < ARRAY_SIZE(groups); g++)
		free(l[g].v);
	return ret;
}

const struct rmtctl_cmd rmtctl_policy_cmds[] = {
	{ "apply", policy_apply_cmd, NULL, "FILE" },
	{ "check", policy_check, NULL, "FILE" },
	{ "diff", policy_diff, NULL, "FILE" },
	{ "show", policy_show, NULL, "" },
	{ NULL }
};
