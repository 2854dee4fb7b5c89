// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object store and its transactions, in the numbered phases of
 * nf_tables' commit:
 *
 *   0. prepare every operation in order against the next generation,
 *      building new objects off to the side (linked, but born in a
 *      generation no reader has reached); on the first failure, undo
 *      what was prepared, in reverse, and name the failing operation;
 *   1. publish: one store of the generation number; a reader reads it
 *      once and sees all of the old generation or all of the new;
 *   2. after a grace period no reader is left in the old generation:
 *      unlink what died;
 *   3. after a second grace period nobody can reach it: free it.
 *
 * Readers check born <= gen < died on every object and entry, so no
 * reader ever needs a lock, and a commit without deletions waits for
 * nothing.  Commits are serialised by the caller.
 */
#include "store_txn.h"


/* Record why the operation being prepared fails; returns @errno_. */
int rmt_txn_fail(struct rmt_txn *tx, int errno_, int attr, int code,
		 const char *fmt, ...)
{
	va_list ap;

	tx->err->err = errno_;
	tx->err->attr = attr;
	tx->err->diag.code = code;
	tx->err->diag.insn = -1;
	va_start(ap, fmt);
	vsnprintf(tx->err->diag.msg, sizeof(tx->err->diag.msg), fmt, ap);
	va_end(ap);
	return errno_;
}

const char *const rmt_kind_names[RMT_OBJ_KINDS] = {
	[RMT_OBJ_TABLE] = "table", [RMT_OBJ_PROG] = "program",
	[RMT_OBJ_MODEL] = "model", [RMT_OBJ_CTXMAP] = "context map",
};

void rmt_store_init(struct rmt_store *st)
{
	memset(st, 0, sizeof(*st));
	st->generation = 1;
	st->next_handle = 1;
}

/**
 * rmt_store_find() - an object alive in a generation
 * @st: the store
 * @kind: enum rmt_obj_kind
 * @name: its name, or "" to select by @handle
 * @handle: its handle, when @name is ""
 * @gen: the generation
 *
 * Return: the object or NULL.
 */
struct rmt_obj *rmt_store_find(struct rmt_store *st, u32 kind,
			       const char *name, u64 handle, u64 gen)
{
	struct rmt_obj *o;

	for (o = rmt_rcu_deref(st->objs[kind]); o; o = rmt_rcu_deref(o->next)) {
		if (!rmt_alive(READ_ONCE(o->born), READ_ONCE(o->died), gen))
			continue;
		if (name[0] ? !strcmp(o->name, name) : o->handle == handle)
			return o;
	}
	return NULL;
}

struct rmt_obj *rmt_txn_find(struct rmt_txn *tx, u32 kind,
				    const char *name, int attr)
{
	struct rmt_obj *o = rmt_store_find(tx->st, kind, name, 0, tx->next);

	if (!o)
		rmt_txn_fail(tx, -ENOENT, attr, RMT_E_OBJECT, "no %s named '%s'",
			     rmt_kind_names[kind], name);
	return o;
}

/* Name a new object, unique among those alive in the next generation. */
int rmt_txn_name(struct rmt_txn *tx, struct rmt_obj *o, u32 kind,
			const char *name, int attr)
{
	if (!name[0] || strnlen(name, RMT_NAME_MAX) == RMT_NAME_MAX)
		return rmt_txn_fail(tx, -EINVAL, attr, RMT_E_OBJECT,
				    "a name is 1 to %d characters", RMT_NAME_MAX - 1);
	if (rmt_store_find(tx->st, kind, name, 0, tx->next))
		return rmt_txn_fail(tx, -EEXIST, attr, RMT_E_OBJECT,
				    "a %s named '%s' exists",
				    rmt_kind_names[kind], name);
	rmt_strscpy(o->name, name, RMT_NAME_MAX);
	o->kind = kind;
	o->handle = tx->st->next_handle++;
	o->born = tx->next;
	o->died = RMT_GEN_NEVER;
	return 0;
}

void rmt_txn_log(struct rmt_txn *tx, u32 cmd, struct rmt_obj *obj,
			struct rmt_table *t, struct rmt_entry *e)
{
	struct rmt_txn_rec *r = &tx->log[tx->nlog++];

	r->cmd = cmd;
	r->obj = obj;
	r->table = t;
	r->entry = e;
}

/* Link a prepared object; readers skip it until its generation. */
void rmt_txn_publish_obj(struct rmt_txn *tx, struct rmt_obj *o)
{
	o->next = tx->st->objs[o->kind];
	rmt_rcu_assign(tx->st->objs[o->kind], o);
}

static void rmt_obj_unlink(struct rmt_store *st, struct rmt_obj *o)
{
	struct rmt_obj **pp = &st->objs[o->kind];

	while (*pp && *pp != o)
		pp = &(*pp)->next;
	if (*pp)
		WRITE_ONCE(*pp, o->next);
}

void rmt_prog_obj_put_refs(struct rmt_prog_obj *p, int delta)
{
	u32 i;

	for (i = 0; i < p->nrefs; i++)
		p->refs[i]->use += delta;
}

static void rmt_obj_free(struct rmt_obj *o)
{
	switch (o->kind) {
	case RMT_OBJ_TABLE:
		rmt_table_free((struct rmt_table *)o);
		return;
	case RMT_OBJ_PROG:
		rmt_prog_free(((struct rmt_prog_obj *)o)->prog);
		break;
	case RMT_OBJ_MODEL:
		rmt_model_free(((struct rmt_model_obj *)o)->model);
		break;
	case RMT_OBJ_CTXMAP:
		rmt_ctxmap_free(((struct rmt_ctxmap_obj *)o)->map);
		break;
	}
	rmt_free(o);
}


static void rmt_table_entries_use(struct rmt_table *t, u64 gen, int delta)
{
	struct rmt_entry *e;
	u32 b;

	for (b = 0; t->buckets && b < t->nbuckets; b++)
		for (e = t->buckets[b]; e; e = e->next)
			if (rmt_alive(e->born, e->died, gen))
				e->prog->obj.use += delta;
	for (e = t->list; e; e = e->next)
		if (rmt_alive(e->born, e->died, gen))
			e->prog->obj.use += delta;
	if (t->dflt)
		t->dflt->obj.use += delta;
}

/* Deleting a table releases what its entries and default refer to. */
void rmt_txn_table_refs(struct rmt_table *t, u64 gen, int delta)
{
	rmt_table_entries_use(t, gen, delta);
}

/* Undo one prepared operation (phase 0 failed later). */
static void rmt_txn_undo(struct rmt_txn *tx, struct rmt_txn_rec *r)
{
	switch (r->cmd) {
	case RMT_CMD_ENTRY_NEW:
		rmt_table_unlink(r->table, r->entry);
		r->table->count--;
		r->entry->prog->obj.use--;
		break;
	case RMT_CMD_ENTRY_DEL:
		r->entry->died = RMT_GEN_NEVER;
		r->table->count++;
		r->entry->prog->obj.use++;
		break;
	case RMT_CMD_TABLE_NEW:
	case RMT_CMD_PROG_NEW:
	case RMT_CMD_MODEL_NEW:
	case RMT_CMD_CTXMAP_NEW:
		rmt_obj_unlink(tx->st, r->obj);
		if (r->obj->kind == RMT_OBJ_PROG)
			rmt_prog_obj_put_refs((struct rmt_prog_obj *)r->obj, -1);
		if (r->obj->kind == RMT_OBJ_TABLE &&
		    ((struct rmt_table *)r->obj)->dflt)
			((struct rmt_table *)r->obj)->dflt->obj.use--;
		break;
	default:	/* object deletions */
		r->obj->died = RMT_GEN_NEVER;
		if (r->obj->kind == RMT_OBJ_PROG)
			rmt_prog_obj_put_refs((struct rmt_prog_obj *)r->obj, 1);
		if (r->obj->kind == RMT_OBJ_TABLE)
			rmt_txn_table_refs((struct rmt_table *)r->obj, tx->next, 1);
		break;
	}
}

/* Free what was unlinked by undo, once readers cannot reach it. */
static void rmt_txn_release_new(struct rmt_txn_rec *r)
{
	if (r->cmd == RMT_CMD_ENTRY_NEW)
		rmt_table_release_entry(r->entry);
	else if (r->cmd == RMT_CMD_TABLE_NEW || r->cmd == RMT_CMD_PROG_NEW ||
		 r->cmd == RMT_CMD_MODEL_NEW || r->cmd == RMT_CMD_CTXMAP_NEW)
		rmt_obj_free(r->obj);
}

static bool rmt_txn_is_del(u32 cmd)
{
	return cmd == RMT_CMD_TABLE_DEL || cmd == RMT_CMD_ENTRY_DEL ||
	       cmd == RMT_CMD_PROG_DEL || cmd == RMT_CMD_MODEL_DEL ||
	       cmd == RMT_CMD_CTXMAP_DEL;
}

static int rmt_txn_prepare(struct rmt_txn *tx, struct rmt_op *op)
{
	switch (op->cmd) {
	case RMT_CMD_TABLE_NEW:
		return rmt_txn_table_new(tx, op);
	case RMT_CMD_TABLE_DEL:
		return rmt_txn_table_del(tx, op);
	case RMT_CMD_ENTRY_NEW:
		return rmt_txn_entry_new(tx, op);
	case RMT_CMD_ENTRY_DEL:
		return rmt_txn_entry_del(tx, op);
	case RMT_CMD_PROG_NEW:
		return rmt_txn_prog_new(tx, op);
	case RMT_CMD_PROG_DEL:
		return rmt_txn_obj_del(tx, op, RMT_OBJ_PROG, RMT_A_PROG_NAME);
	case RMT_CMD_MODEL_NEW:
		return rmt_txn_model_new(tx, op);
	case RMT_CMD_MODEL_DEL:
		return rmt_txn_obj_del(tx, op, RMT_OBJ_MODEL, RMT_A_MODEL_NAME);
	case RMT_CMD_CTXMAP_NEW:
		return rmt_txn_ctxmap_new(tx, op);
	case RMT_CMD_CTXMAP_DEL:
		return rmt_txn_obj_del(tx, op, RMT_OBJ_CTXMAP, RMT_A_CTXMAP_NAME);
	}
	tx->err->err = -EOPNOTSUPP;
	rmt_diag_set(&tx->err->diag, RMT_E_OBJECT, -1,
		     "command %u cannot be part of a transaction", op->cmd);
	return -EOPNOTSUPP;
}

/* Phases 2 and 3 for what this transaction deleted. */
static void rmt_txn_reap(struct rmt_txn *tx)
{
	bool dead = false;
	u32 i;

	for (i = 0; i < tx->nlog; i++)
		dead |= rmt_txn_is_del(tx->log[i].cmd);
	if (!dead)
		return;
	rmt_synchronize_rcu();		/* no reader left in the old generation */
	for (i = 0; i < tx->nlog; i++) {
		struct rmt_txn_rec *r = &tx->log[i];

		if (r->cmd == RMT_CMD_ENTRY_DEL)
			rmt_table_unlink(r->table, r->entry);
		else if (rmt_txn_is_del(r->cmd))
			rmt_obj_unlink(tx->st, r->obj);
	}
	rmt_synchronize_rcu();		/* nobody can reach them now */
	for (i = 0; i < tx->nlog; i++) {
		struct rmt_txn_rec *r = &tx->log[i];

		if (r->cmd == RMT_CMD_ENTRY_DEL)
			rmt_table_release_entry(r->entry);
		else if (rmt_txn_is_del(r->cmd))
			rmt_obj_free(r->obj);
	}
}

/**
 * rmt_txn_begin() - start a transaction of at most @max_ops operations
 * @st: the store (the caller serialises transactions)
 * @max_ops: capacity of the undo log
 * @err: receives the outcome of every later call
 *
 * Return: the transaction, or NULL (out of memory, @err set).
 */
struct rmt_txn *rmt_txn_begin(struct rmt_store *st, u32 max_ops,
			      struct rmt_op_error *err)
{
	struct rmt_txn *tx = rmt_zalloc(sizeof(*tx));

	memset(err, 0, sizeof(*err));
	rmt_diag_clear(&err->diag);
	if (tx)
		tx->log = rmt_zalloc((max_ops ? max_ops : 1) * sizeof(*tx->log));
	if (!tx || !tx->log) {
		rmt_free(tx);
		err->err = -ENOMEM;
		rmt_diag_set(&err->diag, RMT_E_NOMEM, -1, "out of memory");
		return NULL;
	}
	tx->st = st;
	tx->next = st->generation + 1;
	tx->first_handle = st->next_handle;
	tx->cap = max_ops;
	tx->err = err;
	return tx;
}

/**
 * rmt_txn_add() - phase 0 for one operation
 * @tx: the transaction
 * @op: the operation; a created object's handle lands in op->out_handle
 *
 * Return: 0, or a negative errno with tx->err naming this operation;
 * the caller then aborts.
 */
int rmt_txn_add(struct rmt_txn *tx, struct rmt_op *op)
{
	int ret;

	if (tx->nlog == tx->cap) {
		tx->err->op = tx->nops;
		return rmt_txn_fail(tx, -E2BIG, 0, RMT_E_OBJECT,
				    "more than %u operations", tx->cap);
	}
	ret = rmt_txn_prepare(tx, op);
	if (ret)
		tx->err->op = tx->nops;
	tx->nops++;
	return ret;
}

/*
 * Undo everything prepared, in reverse, and free the transaction.  The
 * handles it gave out were never seen, so they are given back: an
 * aborted transaction leaves no trace, not even in later handles.
 */
void rmt_txn_abort(struct rmt_txn *tx)
{
	bool linked = false;
	u32 i;

	for (i = tx->nlog; i-- > 0;) {
		rmt_txn_undo(tx, &tx->log[i]);
		linked |= !rmt_txn_is_del(tx->log[i].cmd);
	}
	tx->st->next_handle = tx->first_handle;
	/* Readers may be walking what was linked; nothing else to wait for. */
	if (linked)
		rmt_synchronize_rcu();
	for (i = 0; i < tx->nlog; i++)
		rmt_txn_release_new(&tx->log[i]);
	rmt_free(tx->log);
	rmt_free(tx);
}

/**
 * rmt_txn_commit() - publish the next generation and free the transaction
 * @tx: a transaction whose every rmt_txn_add() succeeded
 *
 * Return: the generation now current.
 */
u64 rmt_txn_commit(struct rmt_txn *tx)
{
	u64 gen = tx->next;

	/* Phase 1: publish the next generation in one store. */
	rmt_store_release(&tx->st->generation, gen);
	/* Phases 2 and 3. */
	rmt_txn_reap(tx);
	rmt_free(tx->log);
	rmt_free(tx);
	return gen;
}

/**
 * rmt_store_commit() - apply operations all or nothing
 * @st: the store (the caller serialises commits)
 * @ops: the operations; created objects' handles land in out_handle
 * @nops: how many
 * @err: on failure: the operation, errno, attribute and message
 *
 * Return: 0 with the store one generation further, or a negative errno
 * with nothing changed.
 */
int rmt_store_commit(struct rmt_store *st, struct rmt_op *ops, u32 nops,
		     struct rmt_op_error *err)
{
	struct rmt_txn *tx = rmt_txn_begin(st, nops, err);
	u32 i;
	int ret;

	if (!tx)
		return err->err;
	for (i = 0; i < nops; i++) {
		ret = rmt_txn_add(tx, &ops[i]);
		if (ret) {
			rmt_txn_abort(tx);
			return ret;
		}
	}
	rmt_txn_commit(tx);
	return 0;
}

/* No reader may be left; frees every object and entry. */
void rmt_store_destroy(struct rmt_store *st)
{
	struct rmt_obj *o, *next;
	static const u32 order[] = {
		RMT_OBJ_TABLE, RMT_OBJ_PROG, RMT_OBJ_MODEL, RMT_OBJ_CTXMAP,
	};
	u32 k;

	for (k = 0; k < ARRAY_SIZE(order); k++) {
		for (o = st->objs[order[k]]; o; o = next) {
			next = o->next;
			rmt_obj_free(o);
		}
		st->objs[order[k]] = NULL;
	}
}
