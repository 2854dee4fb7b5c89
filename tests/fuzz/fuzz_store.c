// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the control-plane store (store.c, store_ops.c,
 * table.c): transactions of table, entry, program, model and context
 * map operations over a small name space, checked after every commit
 * against a reference model kept in plain arrays.
 *
 * An input is a sequence of 8-byte operation records (fst_decode()
 * says what each byte means); a transaction ends after a record with
 * FST_END set in byte 0, or after FST_MAX_OPS records.  Most are
 * committed with rmt_store_commit(), some one operation at a time with
 * rmt_txn_begin/add/commit (or abandoned with rmt_txn_abort()).  The
 * reference applies each operation to a copy of itself, so it predicts
 * whether the store accepts the transaction and, if not, which
 * operation it refuses and with which errno.  After every commit:
 *
 *  - a refused (or abandoned) commit changed nothing: a fingerprint of
 *    the whole store (every object's handle, born, died, use and
 *    references, every entry's handle, born, died and program, table
 *    counts, the generation and next_handle) is the same as before, and
 *    the error names the predicted operation and errno with a
 *    well-formed diagnostic;
 *  - an accepted commit moved the generation by exactly one and gave
 *    out the predicted handles;
 *  - the objects and entries alive are the reference's, field for
 *    field, and nothing dead is left linked;
 *  - every object's use is the number of live references to it;
 *  - rmt_table_lookup() agrees with a naive search of the reference's
 *    entries for a few keys per table (any entry of the best priority
 *    or prefix will do), and rmt_table_exec() runs the matched entry's
 *    program on that entry's parameters, or the table's default.
 *
 * Each input ends with rmt_store_destroy(), so LeakSanitizer reports
 * whatever a commit or an abort forgot to free.  With FUZZ_STORE_TRACE
 * set in the environment every transaction is printed in words.
 */
#include "fuzz.h"
#include "insn.h"
#include "store.h"

#define FST_REC		8	/* bytes of one operation record */
#define FST_MAX_OPS	8	/* operations of one transaction */
#define FST_END		0x80	/* byte 0: the transaction ends here */
#define FST_LOOKUPS	4	/* keys tried per table after a commit */

/* Names t0-t3, p0-p2, m0-m1, c0-c1; t4, p3, m2 and c2 never exist. */
#define FST_SLOTS	4
#define FST_TABLES	4
#define FST_PROGS	3
#define FST_MODELS	2
#define FST_MAPS	2
#define FST_MAX_SIZE	6	/* tables hold 1 to 6 entries */
#define FST_MAX_REFS	2	/* context maps or tails a program names */

static const u32 fst_nnames[RMT_OBJ_KINDS] = {
	[RMT_OBJ_TABLE] = FST_TABLES, [RMT_OBJ_PROG] = FST_PROGS,
	[RMT_OBJ_MODEL] = FST_MODELS, [RMT_OBJ_CTXMAP] = FST_MAPS,
};
static const char fst_letter[RMT_OBJ_KINDS] = "tpmc";
static const char *const fst_kinds[RMT_OBJ_KINDS] = {
	"table", "program", "model", "context map",
};

/* The fixed programs: r0 = param(pidx) + add, so r0 tells whose params ran. */
#define FST_PROG(pidx, add)						\
	{ RMT_MOV_I(1, pidx), RMT_CALL(PARAM), RMT_ALU_I(ADD, 0, add),	\
	  RMT_EXIT() }

static const struct rmt_insn fst_prog0[] = FST_PROG(0, 100);
static const struct rmt_insn fst_prog1[] = FST_PROG(1, 1000);
static const struct rmt_insn fst_prog2[] = FST_PROG(3, 10000);
static const struct rmt_insn fst_prog_bad[] = {
	RMT_MOV_I(1, 7), RMT_EXIT(),	/* r0 unset */
};

#define FST_GOOD_PROGS	3

static const struct {
	const struct rmt_insn *insns;
	u32 len;
	u32 pidx;
	s64 add;
} fst_progs[] = {
	{ fst_prog0, ARRAY_SIZE(fst_prog0), 0, 100 },
	{ fst_prog1, ARRAY_SIZE(fst_prog1), 1, 1000 },
	{ fst_prog2, ARRAY_SIZE(fst_prog2), 3, 10000 },
	{ fst_prog_bad, ARRAY_SIZE(fst_prog_bad) },
	{ fst_prog0, 0 },		/* empty */
};

/* ---- the reference model ---- */

struct fst_entry {
	u64 handle;
	s64 key[2];		/* normalised as the store keeps it */
	s64 key_hi[2];
	u64 mask[2];
	u32 prefix;
	u32 priority;
	u32 prog;
	s64 params[RMT_MAX_PARAMS];
	u32 nparams;
};

struct fst_table {
	u32 match;
	u32 nkeys;
	u32 size;
	u32 field[2];
	int dflt;		/* program slot, or -1 */
	struct fst_entry e[FST_MAX_SIZE];	/* in insertion order */
	u32 n;
};

struct fst_prog {
	u32 variant;
	int model;		/* model slot, or -1 */
	u32 maps[FST_MAX_REFS];
	u32 nmaps;
	u32 tails[FST_MAX_REFS];
	u32 ntails;
};

struct fst_ref {
	bool live[RMT_OBJ_KINDS][FST_SLOTS];
	u64 handle[RMT_OBJ_KINDS][FST_SLOTS];
	struct fst_table t[FST_TABLES];
	struct fst_prog p[FST_PROGS];
	struct rmt_ctxmap_desc c[FST_MAPS];
	u64 gen;
	u64 next_handle;
};

/* What an operation carries beyond its struct rmt_op. */
struct fst_meta {
	u32 variant;		/* PROG_NEW: index into fst_progs */
	int prog_err;		/* PROG_NEW: what loading its code gives */
	bool blob_ok;		/* MODEL_NEW: the blob loads */
	void *blob;		/* MODEL_NEW: exactly sized, freed after */
};

static u64 fst_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u32 fst_rand(u64 *rng)
{
	*rng = fst_mix(*rng);
	return (u32)(*rng >> 32);
}

/* -2: not a valid name; -1: valid but never created; else its slot. */
static int fst_name(u32 kind, const char *name)
{
	size_t len = strnlen(name, RMT_NAME_MAX);

	if (!len || len == RMT_NAME_MAX)
		return -2;
	if (len == 2 && name[0] == fst_letter[kind] && name[1] >= '0' &&
	    name[1] < '0' + (int)fst_nnames[kind])
		return name[1] - '0';
	return -1;
}

/* The slot an object reference resolves to, or -1. */
static int fst_find(const struct fst_ref *r, u32 kind, const char *name)
{
	int i = fst_name(kind, name);

	return i >= 0 && r->live[kind][i] ? i : -1;
}

/* What a DEL selects: by name, or by handle when the name is empty. */
static int fst_select(const struct fst_ref *r, u32 kind,
		      const struct rmt_op *op)
{
	u32 i;

	if (op->name[0])
		return fst_find(r, kind, op->name);
	for (i = 0; i < fst_nnames[kind]; i++)
		if (r->live[kind][i] && r->handle[kind][i] == op->handle)
			return i;
	return -1;
}

/* Live references to an object: the use count the store must show. */
static u32 fst_use(const struct fst_ref *r, u32 kind, u32 slot)
{
	const struct fst_prog *p;
	u32 use = 0, i, j;

	if (kind == RMT_OBJ_PROG) {
		for (i = 0; i < FST_TABLES; i++) {
			if (!r->live[RMT_OBJ_TABLE][i])
				continue;
			use += r->t[i].dflt == (int)slot;
			for (j = 0; j < r->t[i].n; j++)
				use += r->t[i].e[j].prog == slot;
		}
	}
	for (i = 0; i < FST_PROGS; i++) {
		if (!r->live[RMT_OBJ_PROG][i])
			continue;
		p = &r->p[i];
		if (kind == RMT_OBJ_MODEL)
			use += p->model == (int)slot;
		for (j = 0; kind == RMT_OBJ_CTXMAP && j < p->nmaps; j++)
			use += p->maps[j] == slot;
		for (j = 0; kind == RMT_OBJ_PROG && j < p->ntails; j++)
			use += p->tails[j] == slot;
	}
	return use;
}

/* Name checks of every *_NEW: the slot, or a negative errno. */
static int fst_new_slot(const struct fst_ref *r, u32 kind, const char *name)
{
	int i = fst_name(kind, name);

	if (i == -2)
		return -EINVAL;
	FUZZ_CHECK(i >= 0, "decoder made name '%s'", name);
	return r->live[kind][i] ? -EEXIST : i;
}

static void fst_create(struct fst_ref *r, u32 kind, u32 slot, u64 *handle)
{
	r->live[kind][slot] = true;
	r->handle[kind][slot] = *handle = r->next_handle++;
}

static int fst_field(const char *name)
{
	if (!strcmp(name, "f0"))
		return 0;
	if (!strcmp(name, "f1"))
		return 1;
	return -1;
}

static int fst_table_new(struct fst_ref *r, const struct rmt_op *op,
			 u64 *handle)
{
	struct fst_table *t;
	int slot, d = -1, f[2] = { 0, 0 };
	u32 i;

	if (op->table.hook != RMT_HOOK_TEST ||
	    op->table.match < RMT_MATCH_EXACT ||
	    op->table.match > RMT_MATCH_LPM || !op->table.size ||
	    op->table.size > RMT_MAX_TABLE_SIZE || !op->table.nkeys ||
	    op->table.nkeys > RMT_MAX_KEY_FIELDS)
		return -EINVAL;
	FUZZ_CHECK(op->table.nkeys <= 2, "decoder made %u keys",
		   op->table.nkeys);
	for (i = 0; i < op->table.nkeys; i++) {
		f[i] = fst_field(op->table.keys[i]);
		if (f[i] < 0)
			return -EINVAL;
	}
	if (op->table.match == RMT_MATCH_LPM && op->table.nkeys != 1)
		return -EINVAL;
	slot = fst_new_slot(r, RMT_OBJ_TABLE, op->name);
	if (slot < 0)
		return slot;
	if (op->table.dflt[0]) {
		d = fst_find(r, RMT_OBJ_PROG, op->table.dflt);
		if (d < 0)
			return -ENOENT;
	}
	fst_create(r, RMT_OBJ_TABLE, slot, handle);
	t = &r->t[slot];
	memset(t, 0, sizeof(*t));
	t->match = op->table.match;
	t->nkeys = op->table.nkeys;
	t->size = op->table.size;
	t->field[0] = f[0];
	t->field[1] = f[1];
	t->dflt = d;
	return 0;
}

static bool fst_same(const struct fst_table *t, const struct fst_entry *a,
		     const struct fst_entry *b)
{
	u32 i;

	for (i = 0; i < t->nkeys; i++)
		if (a->key[i] != b->key[i] || a->key_hi[i] != b->key_hi[i] ||
		    a->mask[i] != b->mask[i])
			return false;
	return a->prefix == b->prefix && a->priority == b->priority;
}

static u64 fst_prefix_mask(u32 prefix)
{
	return prefix ? ~0ULL << (64 - prefix) : 0;
}

static int fst_entry_new(struct fst_ref *r, const struct rmt_op *op,
			 u64 *handle)
{
	int ti = fst_find(r, RMT_OBJ_TABLE, op->name), pi;
	struct fst_entry e = { 0 };
	struct fst_table *t;
	u32 i;

	if (ti < 0)
		return -ENOENT;
	t = &r->t[ti];
	if (op->entry.nkey != t->nkeys)
		return -EINVAL;
	if (t->match == RMT_MATCH_TERNARY && op->entry.nmask != t->nkeys)
		return -EINVAL;
	if (t->match == RMT_MATCH_RANGE) {
		if (op->entry.nkey_hi != t->nkeys)
			return -EINVAL;
		for (i = 0; i < t->nkeys; i++)
			if (op->entry.key_hi[i] < op->entry.key[i])
				return -EINVAL;
	}
	if (t->match == RMT_MATCH_LPM &&
	    (!op->entry.has_prefix || op->entry.prefix > 64))
		return -EINVAL;
	if (t->match != RMT_MATCH_TERNARY && op->entry.nmask)
		return -EINVAL;
	if (op->entry.nparams > RMT_MAX_PARAMS)
		return -EINVAL;
	if (t->n >= t->size)
		return -ENOSPC;
	pi = fst_find(r, RMT_OBJ_PROG, op->entry.prog);
	if (pi < 0)
		return -ENOENT;
	for (i = 0; i < t->nkeys; i++) {
		e.key[i] = op->entry.key[i];
		if (t->match == RMT_MATCH_TERNARY) {
			e.mask[i] = op->entry.mask[i];
			e.key[i] = (s64)((u64)e.key[i] & e.mask[i]);
		}
		if (t->match == RMT_MATCH_RANGE)
			e.key_hi[i] = op->entry.key_hi[i];
	}
	if (t->match == RMT_MATCH_LPM) {
		e.prefix = op->entry.prefix;
		e.key[0] = (s64)((u64)e.key[0] & fst_prefix_mask(e.prefix));
	}
	if (t->match == RMT_MATCH_TERNARY || t->match == RMT_MATCH_RANGE)
		e.priority = op->entry.priority;
	for (i = 0; i < t->n; i++)
		if (fst_same(t, &t->e[i], &e))
			return -EEXIST;
	e.prog = pi;
	memcpy(e.params, op->entry.params, sizeof(e.params));
	e.nparams = op->entry.nparams;
	e.handle = *handle = r->next_handle++;
	t->e[t->n++] = e;
	return 0;
}

static int fst_entry_del(struct fst_ref *r, const struct rmt_op *op)
{
	int ti = fst_find(r, RMT_OBJ_TABLE, op->name);
	struct fst_table *t;
	u32 i;

	if (ti < 0)
		return -ENOENT;
	t = &r->t[ti];
	for (i = 0; i < t->n; i++)
		if (t->e[i].handle == op->handle)
			break;
	if (i == t->n)
		return -ENOENT;
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
	t->n--;
	return 0;
}

static int fst_prog_new(struct fst_ref *r, const struct rmt_op *op,
			const struct fst_meta *m, u64 *handle)
{
	struct fst_prog p = { .variant = m->variant, .model = -1 };
	int slot = fst_new_slot(r, RMT_OBJ_PROG, op->name), i;
	u32 k;

	if (slot < 0)
		return slot;
	if (op->prog.hook != RMT_HOOK_TEST ||
	    op->prog.nmaps > RMT_MAX_CTXMAPS ||
	    op->prog.ntails > RMT_MAX_PROGS - 1)
		return -EINVAL;
	FUZZ_CHECK(op->prog.nmaps <= FST_MAX_REFS &&
		   op->prog.ntails <= FST_MAX_REFS,
		   "decoder made %u maps, %u tails", op->prog.nmaps,
		   op->prog.ntails);
	if (op->prog.model[0]) {
		p.model = fst_find(r, RMT_OBJ_MODEL, op->prog.model);
		if (p.model < 0)
			return -ENOENT;
	}
	for (k = 0; k < op->prog.nmaps; k++) {
		i = fst_find(r, RMT_OBJ_CTXMAP, op->prog.maps[k]);
		if (i < 0)
			return -ENOENT;
		p.maps[p.nmaps++] = i;
	}
	for (k = 0; k < op->prog.ntails; k++) {
		i = fst_find(r, RMT_OBJ_PROG, op->prog.tails[k]);
		if (i < 0)
			return -ENOENT;
		p.tails[p.ntails++] = i;
	}
	if (m->prog_err)
		return m->prog_err;
	fst_create(r, RMT_OBJ_PROG, slot, handle);
	r->p[slot] = p;
	return 0;
}

static bool fst_ctxmap_ok(const struct rmt_ctxmap_desc *d)
{
	return d->nvals <= RMT_MAX_CTXMAP_VALS && d->hist_len <= RMT_MAX_HIST &&
	       d->max_entries && d->max_entries <= RMT_MAX_CTXMAP_ENTRIES &&
	       d->key_kind <= RMT_KEY_INODE;
}

static int fst_obj_new(struct fst_ref *r, u32 kind, const struct rmt_op *op,
		       bool ok, u64 *handle)
{
	int slot = fst_new_slot(r, kind, op->name);

	if (slot < 0)
		return slot;
	if (!ok)
		return -EINVAL;
	fst_create(r, kind, slot, handle);
	if (kind == RMT_OBJ_CTXMAP)
		r->c[slot] = op->ctxmap;
	return 0;
}

static int fst_obj_del(struct fst_ref *r, u32 kind, const struct rmt_op *op)
{
	int slot = fst_select(r, kind, op);

	if (slot < 0)
		return -ENOENT;
	if (kind != RMT_OBJ_TABLE && fst_use(r, kind, slot))
		return -EBUSY;
	r->live[kind][slot] = false;
	return 0;
}

/* One operation against the next generation; changes nothing if refused. */
static int fst_apply(struct fst_ref *r, const struct rmt_op *op,
		     const struct fst_meta *m, u64 *handle)
{
	switch (op->cmd) {
	case RMT_CMD_TABLE_NEW:
		return fst_table_new(r, op, handle);
	case RMT_CMD_TABLE_DEL:
		return fst_obj_del(r, RMT_OBJ_TABLE, op);
	case RMT_CMD_ENTRY_NEW:
		return fst_entry_new(r, op, handle);
	case RMT_CMD_ENTRY_DEL:
		return fst_entry_del(r, op);
	case RMT_CMD_PROG_NEW:
		return fst_prog_new(r, op, m, handle);
	case RMT_CMD_PROG_DEL:
		return fst_obj_del(r, RMT_OBJ_PROG, op);
	case RMT_CMD_MODEL_NEW:
		return fst_obj_new(r, RMT_OBJ_MODEL, op, m->blob_ok, handle);
	case RMT_CMD_MODEL_DEL:
		return fst_obj_del(r, RMT_OBJ_MODEL, op);
	case RMT_CMD_CTXMAP_NEW:
		return fst_obj_new(r, RMT_OBJ_CTXMAP, op,
				   fst_ctxmap_ok(&op->ctxmap), handle);
	case RMT_CMD_CTXMAP_DEL:
		return fst_obj_del(r, RMT_OBJ_CTXMAP, op);
	}
	return -EOPNOTSUPP;
}

/* ---- decoding records into operations ---- */

/* A valid model: one i8 2x2 tensor, one tree; built once. */
static u8 *fst_model;
static u32 fst_model_len;

static void fst_init(void)
{
	static const s8 w[4] = { 1, -2, 3, -4 };
	static const struct rmt_dtree_node leaf[] = {
		{ .value = 7, .flags = RMT_DTREE_LEAF },
	};
	struct rmt_tensor_desc t = {
		.dtype = RMT_DT_I8, .rows = 2, .cols = 2,
		.out_dtype = RMT_DT_I8, .q_mult = 1,
	};
	struct rmt_dtree_desc tree = { .nnodes = 1, .nfeatures = 1 };
	const void *tdata[1] = { w };
	const struct rmt_dtree_node *nodes[1] = { leaf };
	struct rmt_diag diag;
	struct rmt_model *m;

	if (fst_model)
		return;
	fst_model = rmt_model_build(&t, tdata, 1, &tree, nodes, 1,
				    &fst_model_len);
	FUZZ_CHECK(fst_model, "out of memory");
	rmt_diag_clear(&diag);
	m = rmt_model_load(fst_model, fst_model_len, &diag);
	FUZZ_CHECK(m, "fixed model rejected: %s", diag.msg);
	rmt_model_free(m);
}

/* Name of a new object: low nibble 15 with bit 5 makes an invalid one. */
static void fst_new_name(char *name, u32 kind, u8 b)
{
	if ((b & 15) == 15 && (b & 0x20)) {
		if (b & 16)
			memset(name, 'x', RMT_NAME_MAX);	/* no NUL */
		else
			name[0] = '\0';
		return;
	}
	snprintf(name, RMT_NAME_MAX, "%c%u", fst_letter[kind],
		 (b & 15) % fst_nnames[kind]);
}

/* Name of an existing object: slot 0..n, where n is never created. */
static void fst_ref_name(char *name, u32 kind, u32 v)
{
	snprintf(name, RMT_NAME_MAX, "%c%u", fst_letter[kind],
		 v % (fst_nnames[kind] + 1));
}

/* The same, or with @live, one of the live objects if there are any. */
static void fst_pick_name(const struct fst_ref *r, char *name, u32 kind,
			  u32 v, bool live)
{
	u32 slot[FST_SLOTS], n = 0, i;

	for (i = 0; live && i < fst_nnames[kind]; i++)
		if (r->live[kind][i])
			slot[n++] = i;
	fst_ref_name(name, kind, n ? slot[v % n] : v);
}

/* A handle: of a live object of @kind, of anything live, or any small one. */
static u64 fst_pick_handle(const struct fst_ref *r, u32 kind, u8 b)
{
	u64 h[RMT_OBJ_KINDS * FST_SLOTS + FST_TABLES * FST_MAX_SIZE];
	u32 n = 0, own, k, i, j;

	for (i = 0; i < fst_nnames[kind]; i++)
		if (r->live[kind][i])
			h[n++] = r->handle[kind][i];
	own = n;
	for (k = 0; k < RMT_OBJ_KINDS; k++)
		for (i = 0; k != kind && i < fst_nnames[k]; i++)
			if (r->live[k][i])
				h[n++] = r->handle[k][i];
	for (i = 0; i < FST_TABLES; i++)
		for (j = 0; r->live[RMT_OBJ_TABLE][i] && j < r->t[i].n; j++)
			h[n++] = r->t[i].e[j].handle;
	if (b < 0x80 && own)
		return h[b % own];
	if (b < 0xe0 && n)
		return h[b % n];
	return b & 31;
}

/* *_DEL: b1 bits 0-3 the name (< 8: a live one), 15: by handle b2. */
static void fst_dec_del(const struct fst_ref *r, struct rmt_op *op, u32 kind,
			const u8 *b)
{
	if ((b[1] & 15) == 15)
		op->handle = fst_pick_handle(r, kind, b[2]);
	else
		fst_pick_name(r, op->name, kind, b[1] & 15, !(b[1] & 8));
}

/*
 * TABLE_NEW: b1 name; b2 bits 0-1 match - 1, bit 2 two keys, bits 3-4
 * the field (f0/f1) of each key; b3 size; b4 bits 0-2 >= 4: default
 * program p(b4 & 3), or with bit 3 clear a live one.  Broken (b7):
 * hook, match, size, key count or field, or an lpm table with two keys.
 */
static void fst_dec_table_new(const struct fst_ref *r, struct rmt_op *op,
			      const u8 *b, int brk)
{
	u32 i;

	fst_new_name(op->name, RMT_OBJ_TABLE, b[1]);
	op->table.match = RMT_MATCH_EXACT + (b[2] & 3);
	op->table.nkeys = op->table.match == RMT_MATCH_LPM ? 1 :
			  1 + (b[2] >> 2 & 1);
	for (i = 0; i < 2; i++)
		snprintf(op->table.keys[i], RMT_NAME_MAX, "f%u",
			 b[2] >> (3 + i) & 1);
	op->table.size = 1 + b[3] % FST_MAX_SIZE;
	if ((b[4] & 7) >= 4)
		fst_pick_name(r, op->table.dflt, RMT_OBJ_PROG, b[4] & 3,
			      !(b[4] & 8));
	switch (brk) {
	case 0: op->table.hook = __RMT_HOOK_MAX; break;
	case 1: op->table.match = 0; break;
	case 2: op->table.match = RMT_MATCH_LPM + 1; break;
	case 3: op->table.size = 0; break;
	case 4: op->table.nkeys = 0; break;
	case 5: op->table.nkeys = RMT_MAX_KEY_FIELDS + 1; break;
	case 6: strcpy(op->table.keys[b[2] >> 2 & 1], "nope"); break;
	case 7: op->table.match = RMT_MATCH_LPM; op->table.nkeys = 2; break;
	}
}

/* Small keys, and the two ends of the signed range. */
static s64 fst_val(u32 nib)
{
	nib &= 15;
	return nib < 14 ? (s64)nib : nib == 14 ? -1 : S64_MIN;
}

/* lpm keys vary in their top and bottom four bits. */
static s64 fst_lpm_val(u8 b)
{
	return (s64)((u64)(b & 15) << 60 | (b >> 4));
}

static u32 fst_prefix(u8 b)
{
	static const u8 p[15] = {
		0, 1, 2, 3, 4, 8, 32, 58, 59, 60, 61, 62, 63, 64, 64,
	};

	return (b & 15) < 15 ? p[b & 15] : (b >> 4) * 4 + 1;
}

/* The table of an entry operation, b1 bits 0-3: 15 none, < 8 a live one. */
static int fst_entry_table(const struct fst_ref *r, struct rmt_op *op, u8 b1)
{
	if ((b1 & 15) == 15)
		return -1;
	fst_pick_name(r, op->name, RMT_OBJ_TABLE, b1 & 15, !(b1 & 8));
	return fst_find(r, RMT_OBJ_TABLE, op->name);
}

/*
 * ENTRY_NEW, shaped after the table of that name if it is alive: b1
 * bits 0-3 table, bits 4-5 program (bit 6 clear: a live one); b2 the key, a
 * nibble per field; b3 the mask (ternary, nibble 15 is all ones), the
 * width of the range or the prefix (lpm); b4 bits 0-1 priority, bits
 * 2-4 nparams (mod 5); b5, b6 parameters.  Broken (b7): one of the
 * checks of rmt_table_check_entry().
 */
static void fst_dec_entry_new(const struct fst_ref *r, struct rmt_op *op,
			      const u8 *b, int brk)
{
	int ti = fst_entry_table(r, op, b[1]);
	u32 match = RMT_MATCH_EXACT, nkeys = 1, i, nib;

	if (ti >= 0) {
		match = r->t[ti].match;
		nkeys = r->t[ti].nkeys;
	}
	fst_pick_name(r, op->entry.prog, RMT_OBJ_PROG, b[1] >> 4 & 3,
		      !(b[1] & 0x40));
	for (i = 0; i < nkeys; i++) {
		nib = b[3] >> (4 * i) & 15;
		op->entry.key[i] = match == RMT_MATCH_LPM ? fst_lpm_val(b[2]) :
				   fst_val(b[2] >> (4 * i));
		op->entry.mask[i] = nib == 15 ? ~0ULL : nib;
		op->entry.key_hi[i] = (s64)((u64)op->entry.key[i] + (nib & 7));
	}
	op->entry.nkey = nkeys;
	op->entry.nmask = match == RMT_MATCH_TERNARY ? nkeys : 0;
	op->entry.nkey_hi = match == RMT_MATCH_RANGE ? nkeys : 0;
	op->entry.prefix = fst_prefix(b[3]);
	op->entry.has_prefix = match == RMT_MATCH_LPM;
	op->entry.priority = b[4] & 3;
	op->entry.nparams = (b[4] >> 2 & 7) % (RMT_MAX_PARAMS + 1);
	op->entry.params[0] = (s8)b[5];
	op->entry.params[1] = (s8)b[6];
	op->entry.params[2] = (s8)(b[5] ^ b[6]);
	op->entry.params[3] = -(s8)b[6];
	switch (brk) {
	case 0: op->entry.nkey = 3 - nkeys; break;
	case 1: op->entry.nmask = 3 - nkeys; break;
	case 2: op->entry.nkey_hi = 3 - nkeys; break;
	case 3: op->entry.key_hi[0] = (s64)((u64)op->entry.key[0] - 1); break;
	case 4: op->entry.prefix = 65; break;
	case 5: op->entry.has_prefix = false; break;
	case 6: op->entry.nmask = match == RMT_MATCH_TERNARY ? 0 : nkeys; break;
	case 7: op->entry.nparams = RMT_MAX_PARAMS + 1; break;
	}
}

/*
 * ENTRY_DEL: b1 the table as for ENTRY_NEW; b2 < 0xa0 one of its live
 * entries, < 0xe0 a live entry of any table, else a small handle.
 */
static void fst_dec_entry_del(const struct fst_ref *r, struct rmt_op *op,
			      const u8 *b)
{
	int ti = fst_entry_table(r, op, b[1]);
	u64 h[FST_TABLES * FST_MAX_SIZE];
	u32 n = 0, i, j;

	if (ti >= 0 && r->t[ti].n && b[2] < 0xa0) {
		op->handle = r->t[ti].e[b[2] % r->t[ti].n].handle;
		return;
	}
	for (i = 0; i < FST_TABLES; i++)
		for (j = 0; r->live[RMT_OBJ_TABLE][i] && j < r->t[i].n; j++)
			h[n++] = r->t[i].e[j].handle;
	op->handle = b[2] < 0xe0 && n ? h[b[2] % n] : b[2] & 31;
}

/*
 * PROG_NEW: b1 name; b2 bits 0-2 code (0-5: the three good programs,
 * 6: refused by the verifier, 7: empty); b3 bits 0-1 model (none, m0,
 * m1, m2), bits 2-3 nmaps (mod 3), bits 4-5 their names (c0-c1), bit 6
 * first map c2; b4 bits 0-1 ntails (mod 3), bits 2-3 and 4-5 their
 * names (p0-p3); b5 bits 0-2 budget (6: 1000, 7: 1).  Broken (b7):
 * hook, too many maps or tails, or a budget over RMT_MAX_BUDGET.
 */
static void fst_dec_prog_new(struct rmt_op *op, struct fst_meta *m,
			     const u8 *b, int brk)
{
	static const u8 code[8] = { 0, 1, 2, 0, 1, 2, 3, 4 };
	u64 budget = rmt_hook_schema(RMT_HOOK_TEST)->budget;
	u32 i;

	fst_new_name(op->name, RMT_OBJ_PROG, b[1]);
	m->variant = code[b[2] & 7];
	op->prog.insns = fst_progs[m->variant].insns;
	op->prog.len = fst_progs[m->variant].len;
	if (b[3] & 3)
		fst_ref_name(op->prog.model, RMT_OBJ_MODEL, (b[3] & 3) - 1);
	op->prog.nmaps = (b[3] >> 2 & 3) % (FST_MAX_REFS + 1);
	for (i = 0; i < FST_MAX_REFS; i++)
		fst_ref_name(op->prog.maps[i], RMT_OBJ_CTXMAP, b[3] >> (4 + i) & 1);
	if (b[3] & 0x40)
		fst_ref_name(op->prog.maps[0], RMT_OBJ_CTXMAP, FST_MAPS);
	op->prog.ntails = (b[4] & 3) % (FST_MAX_REFS + 1);
	for (i = 0; i < FST_MAX_REFS; i++)
		fst_ref_name(op->prog.tails[i], RMT_OBJ_PROG,
			     b[4] >> (2 + 2 * i) & 3);
	if ((b[5] & 7) >= 6) {
		op->prog.has_budget = true;
		op->prog.budget = budget = (b[5] & 7) == 6 ? 1000 : 1;
	}
	switch (brk) {
	case 0: op->prog.hook = __RMT_HOOK_MAX; break;
	case 1: op->prog.nmaps = RMT_MAX_CTXMAPS + 1; break;
	case 2: op->prog.ntails = RMT_MAX_PROGS; break;
	case 3:
		op->prog.has_budget = true;
		op->prog.budget = budget = RMT_MAX_BUDGET + 1;
		break;
	}
	/* The verifier's order: empty, budget limit, the code, its cost. */
	if (!op->prog.len)
		m->prog_err = -EINVAL;
	else if (budget > RMT_MAX_BUDGET)
		m->prog_err = -E2BIG;
	else if (m->variant >= FST_GOOD_PROGS)
		m->prog_err = -EINVAL;
	else if (budget < 16)
		m->prog_err = -E2BIG;
}

/*
 * MODEL_NEW: b1 name; b2 bits 0-2 blob: 0-3 the valid one, 4 bad magic,
 * 5 one byte short, 6 one byte over, 7 byte b3 xor (b4 | 1).
 */
static void fst_dec_model_new(struct rmt_op *op, struct fst_meta *m,
			      const u8 *b)
{
	u32 v = b[2] & 7, len = fst_model_len;
	struct rmt_model *model;
	struct rmt_diag diag;
	u8 *blob;

	fst_new_name(op->name, RMT_OBJ_MODEL, b[1]);
	if (v == 5)
		len--;
	if (v == 6)
		len++;
	blob = malloc(len);
	FUZZ_CHECK(blob, "out of memory");
	memcpy(blob, fst_model, min(len, fst_model_len));
	if (v == 6)
		blob[len - 1] = 0;
	if (v == 4)
		blob[0] ^= 1;
	if (v == 7)
		blob[b[3] % len] ^= b[4] | 1;
	/* The loader alone says whether a blob is valid. */
	rmt_diag_clear(&diag);
	model = rmt_model_load(blob, len, &diag);
	m->blob_ok = model;
	rmt_model_free(model);
	FUZZ_CHECK(m->blob_ok == (v < 4) || v == 7, "blob %u: %s", v, diag.msg);
	m->blob = blob;
	op->model.blob = blob;
	op->model.len = len;
}

/*
 * CTXMAP_NEW: b1 name; b2 nvals (low nibble) and hist_len / 4; b3 bits
 * 0-5 max_entries - 1; b4 key kind (mod 5).  Broken (b7): each limit.
 */
static void fst_dec_ctxmap_new(struct rmt_op *op, const u8 *b, int brk)
{
	fst_new_name(op->name, RMT_OBJ_CTXMAP, b[1]);
	op->ctxmap.nvals = b[2] & 15;
	op->ctxmap.hist_len = (b[2] >> 4) * 4;
	op->ctxmap.max_entries = 1 + (b[3] & 63);
	op->ctxmap.key_kind = b[4] % (RMT_KEY_INODE + 1);
	switch (brk) {
	case 0: op->ctxmap.nvals = RMT_MAX_CTXMAP_VALS + 1; break;
	case 1: op->ctxmap.hist_len = RMT_MAX_HIST + 1; break;
	case 2: op->ctxmap.max_entries = 0; break;
	case 3: op->ctxmap.max_entries = RMT_MAX_CTXMAP_ENTRIES + 1; break;
	case 4: op->ctxmap.key_kind = RMT_KEY_INODE + 1; break;
	}
}

static const u32 fst_cmds[16] = {
	RMT_CMD_TABLE_NEW, RMT_CMD_TABLE_DEL, RMT_CMD_ENTRY_NEW,
	RMT_CMD_ENTRY_DEL, RMT_CMD_PROG_NEW, RMT_CMD_PROG_DEL,
	RMT_CMD_MODEL_NEW, RMT_CMD_MODEL_DEL, RMT_CMD_CTXMAP_NEW,
	RMT_CMD_CTXMAP_DEL, RMT_CMD_ENTRY_NEW, RMT_CMD_ENTRY_NEW,
	RMT_CMD_ENTRY_NEW, RMT_CMD_ENTRY_DEL, RMT_CMD_TABLE_NEW,
	RMT_CMD_PROG_NEW,
};

/*
 * One record: b0 bits 0-3 the command (fst_cmds), bits 4-6 all set: one
 * field is broken, b7 says which; bit 7 (FST_END) ends the transaction.
 */
static void fst_decode(const struct fst_ref *r, const u8 *b,
		       struct rmt_op *op, struct fst_meta *m)
{
	int brk = (b[0] >> 4 & 7) == 7 ? b[7] & 7 : -1;

	memset(op, 0, sizeof(*op));
	memset(m, 0, sizeof(*m));
	op->cmd = fst_cmds[b[0] & 15];
	switch (op->cmd) {
	case RMT_CMD_TABLE_NEW:
		fst_dec_table_new(r, op, b, brk);
		break;
	case RMT_CMD_ENTRY_NEW:
		fst_dec_entry_new(r, op, b, brk);
		break;
	case RMT_CMD_ENTRY_DEL:
		fst_dec_entry_del(r, op, b);
		break;
	case RMT_CMD_PROG_NEW:
		fst_dec_prog_new(op, m, b, brk);
		break;
	case RMT_CMD_MODEL_NEW:
		fst_dec_model_new(op, m, b);
		break;
	case RMT_CMD_CTXMAP_NEW:
		fst_dec_ctxmap_new(op, b, brk);
		break;
	case RMT_CMD_TABLE_DEL:
		fst_dec_del(r, op, RMT_OBJ_TABLE, b);
		break;
	case RMT_CMD_PROG_DEL:
		fst_dec_del(r, op, RMT_OBJ_PROG, b);
		break;
	case RMT_CMD_MODEL_DEL:
		fst_dec_del(r, op, RMT_OBJ_MODEL, b);
		break;
	case RMT_CMD_CTXMAP_DEL:
		fst_dec_del(r, op, RMT_OBJ_CTXMAP, b);
		break;
	}
	/* A deletion broken: a command that is no part of a transaction. */
	if (brk == 7 && (op->cmd == RMT_CMD_TABLE_DEL ||
			 op->cmd == RMT_CMD_PROG_DEL ||
			 op->cmd == RMT_CMD_MODEL_DEL ||
			 op->cmd == RMT_CMD_CTXMAP_DEL))
		op->cmd = RMT_CMD_TABLE_GET;
}

/* ---- checking the store ---- */

static u64 fst_fp(u64 h, u64 v)
{
	return fst_mix(h ^ v);
}

static u64 fst_fp_entries(u64 h, const struct rmt_entry *e)
{
	for (; e; e = e->next) {
		h = fst_fp(h, e->handle);
		h = fst_fp(h, e->born);
		h = fst_fp(h, e->died);
		h = fst_fp(h, e->prog ? e->prog->obj.handle : 0);
	}
	return fst_fp(h, 0xe);
}

/* Everything a refused commit must leave as it was. */
static u64 fst_fingerprint(const struct rmt_store *st)
{
	const struct rmt_obj *o;
	u64 h = fst_fp(st->generation, st->next_handle);
	u32 k, i;

	for (k = 0; k < RMT_OBJ_KINDS; k++) {
		for (o = st->objs[k]; o; o = o->next) {
			h = fst_fp(h, o->handle);
			h = fst_fp(h, o->born);
			h = fst_fp(h, o->died);
			h = fst_fp(h, (u64)o->use << 32 | o->kind);
			for (i = 0; i < RMT_NAME_MAX && o->name[i]; i++)
				h = fst_fp(h, o->name[i]);
			if (k == RMT_OBJ_TABLE) {
				const struct rmt_table *t = (const void *)o;

				h = fst_fp(h, t->count);
				h = fst_fp(h, t->dflt ? t->dflt->obj.handle : 0);
				for (i = 0; t->buckets && i < t->nbuckets; i++)
					h = fst_fp_entries(h, t->buckets[i]);
				h = fst_fp_entries(h, t->list);
			}
			if (k == RMT_OBJ_PROG) {
				const struct rmt_prog_obj *p = (const void *)o;

				for (i = 0; i < p->nrefs; i++)
					h = fst_fp(h, p->refs[i]->handle);
				h = fst_fp(h, p->nrefs);
			}
		}
		h = fst_fp(h, 0xf);
	}
	return h;
}

/* The object in @slot of @kind in the store, checked to be that object. */
static void fst_check_ref(const struct rmt_obj *o, const struct fst_ref *r,
			  u32 kind, u32 slot, const char *what)
{
	FUZZ_CHECK(o && o->kind == kind && r->live[kind][slot] &&
		   o->handle == r->handle[kind][slot],
		   "%s refers to %s, not %c%u", what, o ? o->name : "nothing",
		   fst_letter[kind], slot);
}

static void fst_check_entry(const struct rmt_table *t, const struct rmt_entry *e,
			    const struct fst_table *rt, const struct fst_ref *r,
			    u64 gen, u32 *seen)
{
	const struct fst_entry *x = NULL;
	u32 i;

	for (i = 0; i < rt->n; i++)
		if (rt->e[i].handle == e->handle)
			x = &rt->e[i];
	FUZZ_CHECK(x, "table %s has entry %llu, the reference does not",
		   t->obj.name, (unsigned long long)e->handle);
	FUZZ_CHECK(!(*seen & 1u << (x - rt->e)), "entry %llu linked twice",
		   (unsigned long long)e->handle);
	*seen |= 1u << (x - rt->e);
	FUZZ_CHECK(e->born <= gen && e->died == RMT_GEN_NEVER,
		   "entry %llu born %llu died %llu in generation %llu",
		   (unsigned long long)e->handle, (unsigned long long)e->born,
		   (unsigned long long)e->died, (unsigned long long)gen);
	for (i = 0; i < rt->nkeys; i++)
		FUZZ_CHECK(e->key[i] == x->key[i] &&
			   e->key_hi[i] == x->key_hi[i] && e->mask[i] == x->mask[i],
			   "entry %llu field %u: key %llx/%llx",
			   (unsigned long long)e->handle, i,
			   (unsigned long long)e->key[i],
			   (unsigned long long)x->key[i]);
	FUZZ_CHECK(e->prefix == x->prefix && e->priority == x->priority &&
		   e->nparams == x->nparams &&
		   !memcmp(e->params, x->params, x->nparams * sizeof(s64)),
		   "entry %llu: prefix, priority or params differ",
		   (unsigned long long)e->handle);
	fst_check_ref(&e->prog->obj, r, RMT_OBJ_PROG, x->prog, "an entry");
}

static u32 fst_rank(const struct fst_table *t, const struct fst_entry *e)
{
	return t->match == RMT_MATCH_LPM ? e->prefix : e->priority;
}

static const struct fst_entry *fst_ref_entry(const struct fst_table *t,
					     u64 handle)
{
	u32 i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].handle == handle)
			return &t->e[i];
	return NULL;
}

static void fst_check_table(const struct rmt_table *t, const struct fst_ref *r,
			    u32 slot, u64 gen)
{
	const struct fst_table *rt = &r->t[slot];
	const struct rmt_entry *e;
	u32 seen = 0, i, last = U32_MAX, rank;

	FUZZ_CHECK(t->hook == RMT_HOOK_TEST && t->match == rt->match &&
		   t->nkeys == rt->nkeys && t->size == rt->size,
		   "table %s: match %u keys %u size %u", t->obj.name,
		   t->match, t->nkeys, t->size);
	for (i = 0; i < rt->nkeys; i++)
		FUZZ_CHECK(t->key_fields[i] == rt->field[i],
			   "table %s key %u: field %u", t->obj.name, i,
			   t->key_fields[i]);
	if (rt->dflt < 0)
		FUZZ_CHECK(!t->dflt, "table %s has a default", t->obj.name);
	else
		fst_check_ref(t->dflt ? &t->dflt->obj : NULL, r, RMT_OBJ_PROG,
			      rt->dflt, "a table's default");
	FUZZ_CHECK(t->count == rt->n, "table %s: count %u, %u entries live",
		   t->obj.name, t->count, rt->n);
	for (i = 0; t->buckets && i < t->nbuckets; i++)
		for (e = t->buckets[i]; e; e = e->next)
			fst_check_entry(t, e, rt, r, gen, &seen);
	for (e = t->list; e; e = e->next) {
		fst_check_entry(t, e, rt, r, gen, &seen);
		rank = fst_rank(rt, fst_ref_entry(rt, e->handle));
		FUZZ_CHECK(rank <= last, "table %s: list not best first",
			   t->obj.name);
		last = rank;
	}
	FUZZ_CHECK(seen == (1u << rt->n) - 1, "table %s: entries missing",
		   t->obj.name);
}

static void fst_check_prog(const struct rmt_prog_obj *p,
			   const struct fst_ref *r, u32 slot)
{
	const struct fst_prog *rp = &r->p[slot];
	u32 n = 0, i;

	FUZZ_CHECK(p->hook == RMT_HOOK_TEST && p->prog &&
		   p->prog->len == fst_progs[rp->variant].len &&
		   p->nrefs == (rp->model >= 0) + rp->nmaps + rp->ntails &&
		   p->env.nmaps == rp->nmaps && p->env.ntail == rp->ntails,
		   "program %s: %u refs", p->obj.name, p->nrefs);
	if (rp->model >= 0) {
		fst_check_ref(p->refs[n++], r, RMT_OBJ_MODEL, rp->model,
			      "a program");
		FUZZ_CHECK(p->env.model ==
			   ((struct rmt_model_obj *)p->refs[0])->model,
			   "program %s: another model", p->obj.name);
	}
	for (i = 0; i < rp->nmaps; i++)
		fst_check_ref(p->refs[n++], r, RMT_OBJ_CTXMAP, rp->maps[i],
			      "a program");
	for (i = 0; i < rp->ntails; i++)
		fst_check_ref(p->refs[n++], r, RMT_OBJ_PROG, rp->tails[i],
			      "a program");
}

/* The store holds exactly the reference's live objects and entries. */
static void fst_check_store(const struct rmt_store *st, const struct fst_ref *r)
{
	const struct rmt_ctxmap_obj *c;
	const struct rmt_ctxmap_desc *d;
	const struct rmt_obj *o;
	u32 k, seen, want;
	int slot;

	FUZZ_CHECK(st->generation == r->gen && st->next_handle == r->next_handle,
		   "generation %llu next_handle %llu, expected %llu %llu",
		   (unsigned long long)st->generation,
		   (unsigned long long)st->next_handle,
		   (unsigned long long)r->gen,
		   (unsigned long long)r->next_handle);
	for (k = 0; k < RMT_OBJ_KINDS; k++) {
		seen = want = 0;
		for (o = st->objs[k]; o; o = o->next) {
			slot = fst_name(k, o->name);
			FUZZ_CHECK(o->kind == k && slot >= 0 &&
				   r->live[k][slot] &&
				   o->handle == r->handle[k][slot],
				   "%s %s (handle %llu) should not exist",
				   fst_kinds[k], o->name,
				   (unsigned long long)o->handle);
			FUZZ_CHECK(!(seen & 1u << slot), "two %ss named %s",
				   fst_kinds[k], o->name);
			seen |= 1u << slot;
			FUZZ_CHECK(o->born <= st->generation &&
				   o->died == RMT_GEN_NEVER,
				   "%s %s: born %llu died %llu in generation %llu",
				   fst_kinds[k], o->name,
				   (unsigned long long)o->born,
				   (unsigned long long)o->died,
				   (unsigned long long)st->generation);
			FUZZ_CHECK(o->use == fst_use(r, k, slot),
				   "%s %s: use %u, %u live references",
				   fst_kinds[k], o->name, o->use,
				   fst_use(r, k, slot));
			if (k == RMT_OBJ_TABLE)
				fst_check_table((const void *)o, r, slot,
						st->generation);
			if (k == RMT_OBJ_PROG)
				fst_check_prog((const void *)o, r, slot);
			if (k == RMT_OBJ_MODEL)
				FUZZ_CHECK(((const struct rmt_model_obj *)o)->model,
					   "model %s: no model", o->name);
			if (k != RMT_OBJ_CTXMAP)
				continue;
			c = (const void *)o;
			d = rmt_ctxmap_desc(c->map);
			FUZZ_CHECK(!memcmp(d, &r->c[slot], sizeof(*d)),
				   "context map %s: another descriptor", o->name);
		}
		for (slot = 0; slot < (int)fst_nnames[k]; slot++)
			want |= (u32)r->live[k][slot] << slot;
		FUZZ_CHECK(seen == want, "%ss alive: %#x, expected %#x",
			   fst_kinds[k], seen, want);
	}
}

/* The documented semantics, written out independently of table.c. */
static bool fst_match(const struct fst_table *t, const struct fst_entry *e,
		      const s64 *key)
{
	u64 m;
	u32 i;

	for (i = 0; i < t->nkeys; i++) {
		switch (t->match) {
		case RMT_MATCH_EXACT:
			if (key[i] != e->key[i])
				return false;
			break;
		case RMT_MATCH_TERNARY:
			if (((u64)key[i] & e->mask[i]) !=
			    ((u64)e->key[i] & e->mask[i]))
				return false;
			break;
		case RMT_MATCH_RANGE:
			if (key[i] < e->key[i] || key[i] > e->key_hi[i])
				return false;
			break;
		case RMT_MATCH_LPM:
			m = fst_prefix_mask(e->prefix);
			if (((u64)key[i] & m) != ((u64)e->key[i] & m))
				return false;
			break;
		}
	}
	return true;
}

/* A key near the entries' edges, or any small one. */
static void fst_key(const struct fst_table *t, u64 *rng, s64 *key)
{
	const struct fst_entry *e;
	u32 i, v, bit;

	for (i = 0; i < t->nkeys; i++) {
		v = fst_rand(rng);
		if (!t->n || (v & 1)) {
			key[i] = t->match == RMT_MATCH_LPM ? fst_lpm_val(v >> 8) :
				 fst_val(v >> 8);
			continue;
		}
		e = &t->e[(v >> 1) % t->n];
		switch (t->match) {
		case RMT_MATCH_TERNARY:	/* any bits outside the mask */
			key[i] = (s64)((u64)e->key[i] | ((v >> 3) & ~e->mask[i]));
			break;
		case RMT_MATCH_LPM:	/* a bit either side of the prefix */
			bit = 64 - min(e->prefix + (v >> 3 & 1), 64u);
			if (v & 4)
				bit = (v >> 4) % 64;
			bit = min(bit, 63u);
			key[i] = (s64)((u64)e->key[i] ^ 1ULL << bit);
			break;
		default:		/* an end of the range, or one off it */
			key[i] = v & 4 ? e->key_hi[i] : e->key[i];
			key[i] = (s64)((u64)key[i] + (v >> 3) % 3 - 1);
		}
	}
}

static s64 fst_verdict(u32 variant, const s64 *params, u32 nparams)
{
	u32 i = fst_progs[variant].pidx;

	return (i < nparams ? params[i] : 0) + fst_progs[variant].add;
}

/* A run on a context holding @key: the entry's program, or the default. */
static void fst_check_exec(struct rmt_table *t, const struct fst_ref *r,
			   const struct fst_table *rt, const struct fst_entry *x,
			   s64 *ctx, u64 gen)
{
	struct rmt_run_ctx rc = { .ctx = ctx };
	s64 want = 0;
	u64 h = 0;
	int ret;

	rc.scratch = malloc(RMT_SCRATCH_SIZE);
	FUZZ_CHECK(rc.scratch, "out of memory");
	ret = rmt_table_exec(t, gen, &rc, &h);
	free(rc.scratch);
	FUZZ_CHECK(h == (x ? x->handle : 0), "table %s: exec matched %llu",
		   t->obj.name, (unsigned long long)h);
	if (x)
		want = fst_verdict(r->p[x->prog].variant, x->params, x->nparams);
	else if (rt->dflt >= 0)
		want = fst_verdict(r->p[rt->dflt].variant, NULL, 0);
	FUZZ_CHECK(x || rt->dflt >= 0 ? ret == 1 && rc.r0 == want : ret == 0,
		   "table %s entry %llu: exec %d r0 %lld, expected %lld",
		   t->obj.name, (unsigned long long)h, ret, (long long)rc.r0,
		   (long long)want);
}

/* Lookups and runs of a few keys, each run's key taken from its context. */
static void fst_check_lookups(struct rmt_table *t, const struct fst_ref *r,
			      u32 slot, u64 gen, u64 *rng)
{
	const struct fst_table *rt = &r->t[slot];
	const struct fst_entry *x;
	struct rmt_entry *e;
	s64 key[2], *ctx;
	int best;
	u32 n, i;

	ctx = malloc(RMT_TEST_CTX_FIELDS * sizeof(*ctx));
	FUZZ_CHECK(ctx, "out of memory");
	for (n = 0; n < FST_LOOKUPS; n++) {
		fst_key(rt, rng, key);
		for (i = 0; i < RMT_TEST_CTX_FIELDS; i++)
			ctx[i] = (s64)fst_mix(*rng + i);
		for (i = 0; i < rt->nkeys; i++)
			ctx[rt->field[i]] = key[i];
		for (i = 0; i < rt->nkeys; i++)
			key[i] = ctx[rt->field[i]];
		best = -1;
		for (i = 0; i < rt->n; i++)
			if (fst_match(rt, &rt->e[i], key))
				best = max(best, (int)fst_rank(rt, &rt->e[i]));
		e = rmt_table_lookup(t, key, gen);
		x = e ? fst_ref_entry(rt, e->handle) : NULL;
		FUZZ_CHECK(best < 0 ? !e : x && fst_match(rt, x, key) &&
			   (int)fst_rank(rt, x) == best,
			   "table %s key %llx %llx: entry %llu, best rank %d",
			   t->obj.name, (unsigned long long)key[0],
			   (unsigned long long)key[1],
			   (unsigned long long)(e ? e->handle : 0), best);
		fst_check_exec(t, r, rt, x, ctx, gen);
	}
	free(ctx);
}

/* ---- transactions ---- */

static const char *const fst_cmd_names[RMT_CMD_CTXMAP_DEL + 1] = {
	[RMT_CMD_TABLE_NEW] = "TABLE_NEW", [RMT_CMD_TABLE_DEL] = "TABLE_DEL",
	[RMT_CMD_ENTRY_NEW] = "ENTRY_NEW", [RMT_CMD_ENTRY_DEL] = "ENTRY_DEL",
	[RMT_CMD_PROG_NEW] = "PROG_NEW", [RMT_CMD_PROG_DEL] = "PROG_DEL",
	[RMT_CMD_MODEL_NEW] = "MODEL_NEW", [RMT_CMD_MODEL_DEL] = "MODEL_DEL",
	[RMT_CMD_CTXMAP_NEW] = "CTXMAP_NEW", [RMT_CMD_CTXMAP_DEL] = "CTXMAP_DEL",
};

static void fst_trace(const struct rmt_op *op, const struct fst_meta *m,
		      int expect, bool reached)
{
	fprintf(stderr, "  %-10s %.*s", fst_cmd_names[op->cmd] ?: "TABLE_GET",
		RMT_NAME_MAX, op->name);
	switch (op->cmd) {
	case RMT_CMD_TABLE_NEW:
		fprintf(stderr, " hook %u match %u keys %u (%s %s)",
			op->table.hook, op->table.match, op->table.nkeys,
			op->table.keys[0], op->table.keys[1]);
		fprintf(stderr, " size %u dflt '%s'", op->table.size,
			op->table.dflt);
		break;
	case RMT_CMD_ENTRY_NEW:
		fprintf(stderr, " key %#llx %#llx (%u) hi %#llx %#llx (%u)",
			(unsigned long long)op->entry.key[0],
			(unsigned long long)op->entry.key[1], op->entry.nkey,
			(unsigned long long)op->entry.key_hi[0],
			(unsigned long long)op->entry.key_hi[1],
			op->entry.nkey_hi);
		fprintf(stderr, " mask %#llx %#llx (%u) prefix %u%s prio %u",
			(unsigned long long)op->entry.mask[0],
			(unsigned long long)op->entry.mask[1], op->entry.nmask,
			op->entry.prefix, op->entry.has_prefix ? "" : "(none)",
			op->entry.priority);
		fprintf(stderr, " prog '%s' params %lld %lld %lld %lld (%u)",
			op->entry.prog, (long long)op->entry.params[0],
			(long long)op->entry.params[1],
			(long long)op->entry.params[2],
			(long long)op->entry.params[3], op->entry.nparams);
		break;
	case RMT_CMD_PROG_NEW:
		fprintf(stderr, " hook %u code %u model '%s' maps %u (%s %s)",
			op->prog.hook, m->variant, op->prog.model,
			op->prog.nmaps, op->prog.maps[0], op->prog.maps[1]);
		fprintf(stderr, " tails %u (%s %s) budget %llu%s",
			op->prog.ntails, op->prog.tails[0], op->prog.tails[1],
			(unsigned long long)op->prog.budget,
			op->prog.has_budget ? "" : "(default)");
		break;
	case RMT_CMD_MODEL_NEW:
		fprintf(stderr, " blob %s", m->blob_ok ? "valid" : "invalid");
		break;
	case RMT_CMD_CTXMAP_NEW:
		fprintf(stderr, " nvals %u hist %u entries %u key %u",
			op->ctxmap.nvals, op->ctxmap.hist_len,
			op->ctxmap.max_entries, op->ctxmap.key_kind);
		break;
	default:
		fprintf(stderr, " handle %llu", (unsigned long long)op->handle);
	}
	if (reached)
		fprintf(stderr, " -> %d\n", expect);
	else
		fprintf(stderr, " (not reached)\n");
}

static bool fst_tracing(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_STORE_TRACE") != NULL;
	return on;
}

/*
 * A transaction decoded and predicted.  Byte 0 bits 4-6 of its first
 * record set to 6 (FST_API) make it go through rmt_txn_begin/add/commit
 * instead of rmt_store_commit(), with room for one operation fewer than
 * it has if byte 7 bit 0 is set (-E2BIG), and abandoned with
 * rmt_txn_abort() even if every operation succeeds if bit 1 is.
 */
#define FST_API		6

struct fst_txn {
	struct rmt_op ops[FST_MAX_OPS];
	struct fst_meta meta[FST_MAX_OPS];
	u64 want[FST_MAX_OPS];	/* the handle each creation must get */
	u32 n;
	bool api;
	u32 cap;
	bool abandon;
	int expect;		/* 0, or the errno of operation fail_op */
	u32 fail_op;
	struct fst_ref next;	/* the reference if the commit succeeds */
};

static size_t fst_txn_decode(struct fst_txn *tx, const struct fst_ref *ref,
			     const u8 *data, size_t size, u64 *rng)
{
	size_t pos = 0;
	u64 v;

	memset(tx, 0, sizeof(*tx));
	tx->next = *ref;
	tx->api = (data[0] >> 4 & 7) == FST_API;
	while (tx->n < FST_MAX_OPS && pos + FST_REC <= size) {
		const u8 *b = data + pos;
		u32 i = tx->n++;

		pos += FST_REC;
		memcpy(&v, b, sizeof(v));
		*rng = fst_mix(*rng ^ v);
		fst_decode(&tx->next, b, &tx->ops[i], &tx->meta[i]);
		if (!tx->expect) {
			tx->expect = fst_apply(&tx->next, &tx->ops[i],
					       &tx->meta[i], &tx->want[i]);
			tx->fail_op = i;
		}
		if (fst_tracing())
			fst_trace(&tx->ops[i], &tx->meta[i], tx->expect,
				  tx->fail_op == i);
		if (b[0] & FST_END)
			break;
	}
	tx->cap = tx->n - (tx->api && (data[7] & 1));
	tx->abandon = tx->api && (data[7] & 2);
	if (tx->cap < tx->n && (!tx->expect || tx->fail_op >= tx->cap)) {
		tx->expect = -E2BIG;
		tx->fail_op = tx->cap;
	}
	return pos;
}

/* Commit (or abandon) @ops as @tx says; returns what the store said. */
static int fst_txn_commit(struct rmt_store *st, const struct fst_txn *tx,
			  struct rmt_op *ops, struct rmt_op_error *err)
{
	u64 gen = st->generation, got;
	struct rmt_txn *t;
	int ret = 0;
	u32 i;

	if (!tx->api)
		return rmt_store_commit(st, ops, tx->n, err);
	t = rmt_txn_begin(st, tx->cap, err);
	FUZZ_CHECK(t, "out of memory");
	for (i = 0; i < tx->n && !ret; i++)
		ret = rmt_txn_add(t, &ops[i]);
	if (ret || tx->abandon) {
		rmt_txn_abort(t);
		return ret;
	}
	got = rmt_txn_commit(t);
	FUZZ_CHECK(got == gen + 1 && got == st->generation,
		   "rmt_txn_commit gave generation %llu after %llu",
		   (unsigned long long)got, (unsigned long long)gen);
	return 0;
}

/* Decode, predict and commit one transaction; check everything after. */
static size_t fst_run_txn(struct rmt_store *st, struct fst_ref *ref,
			  const u8 *data, size_t size, u64 *rng)
{
	static struct fst_txn tx;
	struct rmt_op_error err;
	char name[RMT_NAME_MAX];
	struct rmt_table *t;
	struct rmt_op *ops;
	size_t pos;
	u64 fp, gen;
	u32 i;
	int ret;

	pos = fst_txn_decode(&tx, ref, data, size, rng);
	/* Exactly sized, so that reading past the last operation is caught. */
	ops = malloc(tx.n * sizeof(*ops));
	FUZZ_CHECK(ops, "out of memory");
	memcpy(ops, tx.ops, tx.n * sizeof(*ops));
	fp = fst_fingerprint(st);
	gen = st->generation;
	ret = fst_txn_commit(st, &tx, ops, &err);
	if (fst_tracing())
		fprintf(stderr, "%s of %u (room for %u)%s: %d at %u: %s\n",
			tx.api ? "rmt_txn" : "commit", tx.n, tx.cap,
			tx.abandon ? ", abandoned" : "", ret, ret ? err.op : 0,
			ret ? err.diag.msg : "");
	if (tx.expect) {
		FUZZ_CHECK(ret == tx.expect && err.err == ret &&
			   err.op == tx.fail_op,
			   "expected %d at operation %u of %u, got %d (%d) at %u: %s",
			   tx.expect, tx.fail_op, tx.n, ret, err.err, err.op,
			   err.diag.msg);
		fuzz_check_diag(&err.diag, -1);
	} else {
		FUZZ_CHECK(ret == 0, "%u operations refused: %d at %u: %s",
			   tx.n, ret, err.op, err.diag.msg);
	}
	if (tx.expect || tx.abandon) {
		FUZZ_CHECK(fst_fingerprint(st) == fp,
			   "refused commit (%d at %u: %s) changed the store",
			   ret, err.op, err.diag.msg);
	} else {
		FUZZ_CHECK(st->generation == gen + 1, "generation %llu after %llu",
			   (unsigned long long)st->generation,
			   (unsigned long long)gen);
		for (i = 0; i < tx.n; i++)
			FUZZ_CHECK(!tx.want[i] || ops[i].out_handle == tx.want[i],
				   "operation %u: handle %llu, expected %llu", i,
				   (unsigned long long)ops[i].out_handle,
				   (unsigned long long)tx.want[i]);
		*ref = tx.next;
		ref->gen++;
	}
	fst_check_store(st, ref);
	for (i = 0; i < FST_TABLES; i++) {
		if (!ref->live[RMT_OBJ_TABLE][i])
			continue;
		fst_ref_name(name, RMT_OBJ_TABLE, i);
		t = (struct rmt_table *)rmt_store_find(st, RMT_OBJ_TABLE, name,
						       0, st->generation);
		fst_check_lookups(t, ref, i, st->generation, rng);
	}
	for (i = 0; i < tx.n; i++)
		free(tx.meta[i].blob);
	free(ops);
	return pos;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fst_ref ref;
	struct rmt_store st;
	u64 rng = size;
	size_t pos = 0;

	fst_init();
	memset(&ref, 0, sizeof(ref));
	ref.gen = 1;
	ref.next_handle = 1;
	rmt_store_init(&st);
	while (pos + FST_REC <= size)
		pos += fst_run_txn(&st, &ref, data + pos, size - pos, &rng);
	rmt_store_destroy(&st);
	return 0;
}
