// SPDX-License-Identifier: GPL-2.0-only
/*
 * Phase 0 of a transaction, per operation: check it against the next
 * generation and build what it creates off to the side.  Each function
 * either fully prepares its operation and logs it, or changes nothing
 * and fills in the error.
 */
#include "store_txn.h"

int rmt_txn_table_new(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_table *t = rmt_table_create(op, tx->err);
	struct rmt_obj *d = NULL;
	int ret;

	if (!t)
		return tx->err->err;
	ret = rmt_txn_name(tx, &t->obj, RMT_OBJ_TABLE, op->name, RMT_A_TABLE_NAME);
	if (!ret && op->table.dflt[0]) {
		d = rmt_txn_find(tx, RMT_OBJ_PROG, op->table.dflt,
				 RMT_A_TABLE_DEFAULT);
		if (!d)
			ret = -ENOENT;
		else if (((struct rmt_prog_obj *)d)->hook != t->hook)
			ret = rmt_txn_fail(tx, -EINVAL, RMT_A_TABLE_DEFAULT,
					   RMT_E_TABLE,
					   "default program '%s' is for another hook",
					   op->table.dflt);
	}
	if (ret) {
		rmt_table_free(t);
		return ret;
	}
	if (d) {
		t->dflt = (struct rmt_prog_obj *)d;
		d->use++;
	}
	op->out_handle = t->obj.handle;
	rmt_txn_publish_obj(tx, &t->obj);
	rmt_txn_log(tx, RMT_CMD_TABLE_NEW, &t->obj, NULL, NULL);
	return 0;
}

static struct rmt_obj *rmt_txn_select(struct rmt_txn *tx, struct rmt_op *op,
				      u32 kind, int name_attr)
{
	struct rmt_obj *o;
	char what[40];

	o = rmt_store_find(tx->st, kind, op->name, op->handle, tx->next);
	if (o)
		return o;
	if (op->name[0])
		snprintf(what, sizeof(what), "named '%s'", op->name);
	else
		snprintf(what, sizeof(what), "with handle %llu",
			 (unsigned long long)op->handle);
	rmt_txn_fail(tx, -ENOENT, name_attr, RMT_E_OBJECT, "no %s %s",
		     rmt_kind_names[kind], what);
	return NULL;
}

/* Delete a program, model or context map that nothing uses. */
int rmt_txn_obj_del(struct rmt_txn *tx, struct rmt_op *op, u32 kind,
		    int name_attr)
{
	struct rmt_obj *o = rmt_txn_select(tx, op, kind, name_attr);

	if (!o)
		return -ENOENT;
	if (o->use)
		return rmt_txn_fail(tx, -EBUSY, name_attr, RMT_E_OBJECT,
				    "%s '%s' is still used by %u other object%s",
				    rmt_kind_names[kind], o->name, o->use,
				    o->use == 1 ? "" : "s");
	o->died = tx->next;
	if (kind == RMT_OBJ_PROG)
		rmt_prog_obj_put_refs((struct rmt_prog_obj *)o, -1);
	rmt_txn_log(tx, op->cmd, o, NULL, NULL);
	return 0;
}

int rmt_txn_table_del(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_obj *o = rmt_txn_select(tx, op, RMT_OBJ_TABLE, RMT_A_TABLE_NAME);

	if (!o)
		return -ENOENT;
	o->died = tx->next;
	rmt_txn_table_refs((struct rmt_table *)o, tx->next, -1);
	rmt_txn_log(tx, op->cmd, o, NULL, NULL);
	return 0;
}

int rmt_txn_entry_new(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_table *t;
	struct rmt_prog_obj *p;
	struct rmt_entry *e;

	t = (struct rmt_table *)rmt_txn_find(tx, RMT_OBJ_TABLE, op->name,
					     RMT_A_ENTRY_TABLE);
	if (!t || rmt_table_check_entry(t, op, tx->err))
		return tx->err->err;
	p = (struct rmt_prog_obj *)rmt_txn_find(tx, RMT_OBJ_PROG, op->entry.prog,
						RMT_A_ENTRY_PROG);
	if (!p)
		return -ENOENT;
	if (p->hook != t->hook)
		return rmt_txn_fail(tx, -EINVAL, RMT_A_ENTRY_PROG, RMT_E_TABLE,
				    "program '%s' is for another hook than the table",
				    op->entry.prog);
	e = rmt_entry_create(t, op, tx->st->next_handle);
	if (!e) {
		tx->err->err = -ENOMEM;
		rmt_diag_set(&tx->err->diag, RMT_E_NOMEM, -1, "out of memory");
		return -ENOMEM;
	}
	if (rmt_table_find_dup(t, e, tx->next)) {
		rmt_table_release_entry(e);
		return rmt_txn_fail(tx, -EEXIST, RMT_A_ENTRY_KEY, RMT_E_TABLE,
				    "an entry with this key exists in table '%s'",
				    t->obj.name);
	}
	tx->st->next_handle++;
	e->born = tx->next;
	e->prog = p;
	p->obj.use++;
	t->count++;
	op->out_handle = e->handle;
	rmt_table_insert(t, e);
	rmt_txn_log(tx, RMT_CMD_ENTRY_NEW, NULL, t, e);
	return 0;
}

int rmt_txn_entry_del(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_table *t;
	struct rmt_entry *e;

	t = (struct rmt_table *)rmt_txn_find(tx, RMT_OBJ_TABLE, op->name,
					     RMT_A_ENTRY_TABLE);
	if (!t)
		return -ENOENT;
	e = rmt_table_find_entry(t, op->handle, tx->next);
	if (!e) {
		return rmt_txn_fail(tx, -ENOENT, RMT_A_ENTRY_HANDLE, RMT_E_OBJECT,
				    "no entry with handle %llu in table '%s'",
				    (unsigned long long)op->handle, t->obj.name);
	}
	e->died = tx->next;
	t->count--;
	e->prog->obj.use--;
	rmt_txn_log(tx, RMT_CMD_ENTRY_DEL, NULL, t, e);
	return 0;
}

/* Resolve a program's model, maps and tail programs into its env. */
static int rmt_txn_prog_refs(struct rmt_txn *tx, struct rmt_op *op,
			     struct rmt_prog_obj *p)
{
	struct rmt_obj *o;
	u32 i;

	if (op->prog.model[0]) {
		o = rmt_txn_find(tx, RMT_OBJ_MODEL, op->prog.model, RMT_A_PROG_MODEL);
		if (!o)
			return -ENOENT;
		p->env.model = ((struct rmt_model_obj *)o)->model;
		p->refs[p->nrefs++] = o;
	}
	for (i = 0; i < op->prog.nmaps; i++) {
		o = rmt_txn_find(tx, RMT_OBJ_CTXMAP, op->prog.maps[i],
				 RMT_A_PROG_CTXMAPS);
		if (!o)
			return -ENOENT;
		p->env.maps[p->env.nmaps++] = ((struct rmt_ctxmap_obj *)o)->map;
		p->refs[p->nrefs++] = o;
	}
	for (i = 0; i < op->prog.ntails; i++) {
		o = rmt_txn_find(tx, RMT_OBJ_PROG, op->prog.tails[i],
				 RMT_A_PROG_TAILS);
		if (!o)
			return -ENOENT;
		if (((struct rmt_prog_obj *)o)->hook != p->hook)
			return rmt_txn_fail(tx, -EINVAL, RMT_A_PROG_TAILS,
					    RMT_E_TAIL_SLOT,
					    "tail program '%s' is for another hook",
					    o->name);
		p->env.tail[p->env.ntail++] = ((struct rmt_prog_obj *)o)->prog;
		p->refs[p->nrefs++] = o;
	}
	return 0;
}

/*
 * Translate a loaded program to the tier @op asks for.  AUTO never
 * fails (the interpreter runs the program, prog->jit_reason says why);
 * a forced tier this CPU or build cannot run, or whose code generation
 * fails, refuses the operation and blames RMT_A_PROG_JIT.
 */
static int rmt_txn_prog_jit(struct rmt_txn *tx, struct rmt_op *op,
			    struct rmt_prog *prog)
{
	int ret;

	if (op->prog.jit >= __RMT_JIT_MAX)
		return rmt_txn_fail(tx, -EINVAL, RMT_A_PROG_JIT, RMT_E_JIT,
				    "unknown JIT tier %u", op->prog.jit);
	ret = rmt_prog_jit(prog, op->prog.jit, 0, &tx->err->diag);
	if (ret) {
		tx->err->err = ret;
		tx->err->attr = RMT_A_PROG_JIT;
	}
	return ret;
}

int rmt_txn_prog_new(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_prog_obj *p = rmt_zalloc(sizeof(*p));
	u64 budget;
	int ret;

	if (!p)
		return rmt_txn_fail(tx, -ENOMEM, 0, RMT_E_NOMEM, "out of memory");
	p->hook = op->prog.hook;
	p->env.hook = rmt_hook_schema(op->prog.hook);
	ret = rmt_txn_name(tx, &p->obj, RMT_OBJ_PROG, op->name, RMT_A_PROG_NAME);
	if (!ret && !p->env.hook)
		ret = rmt_txn_fail(tx, -EINVAL, RMT_A_PROG_HOOK, RMT_E_OBJECT,
				   "unknown hook");
	if (!ret && (op->prog.nmaps > RMT_MAX_CTXMAPS ||
		     op->prog.ntails > RMT_MAX_PROGS - 1))
		ret = rmt_txn_fail(tx, -EINVAL, RMT_A_PROG_CTXMAPS, RMT_E_OBJECT,
				   "too many context maps or tail programs");
	if (!ret)
		ret = rmt_txn_prog_refs(tx, op, p);
	if (!ret) {
		budget = op->prog.has_budget ? op->prog.budget : p->env.hook->budget;
		p->prog = rmt_prog_load(op->prog.insns, op->prog.len, &p->env,
					budget, &tx->err->diag);
		if (!p->prog) {
			tx->err->attr = RMT_A_PROG_INSNS;
			ret = tx->err->err = tx->err->diag.code == RMT_E_COST ?
					     -E2BIG : -EINVAL;
		}
	}
	if (!ret)
		ret = rmt_txn_prog_jit(tx, op, p->prog);
	if (ret) {
		rmt_prog_free(p->prog);
		rmt_free(p);
		return ret;
	}
	rmt_prog_obj_put_refs(p, 1);
	op->out_handle = p->obj.handle;
	rmt_txn_publish_obj(tx, &p->obj);
	rmt_txn_log(tx, RMT_CMD_PROG_NEW, &p->obj, NULL, NULL);
	return 0;
}

int rmt_txn_model_new(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_model_obj *m = rmt_zalloc(sizeof(*m));
	int ret;

	if (!m)
		return rmt_txn_fail(tx, -ENOMEM, 0, RMT_E_NOMEM, "out of memory");
	ret = rmt_txn_name(tx, &m->obj, RMT_OBJ_MODEL, op->name, RMT_A_MODEL_NAME);
	if (!ret) {
		m->model = rmt_model_load(op->model.blob, op->model.len,
					  &tx->err->diag);
		if (!m->model) {
			tx->err->attr = RMT_A_MODEL_BLOB;
			ret = tx->err->err = -EINVAL;
		}
	}
	if (ret) {
		rmt_free(m);
		return ret;
	}
	op->out_handle = m->obj.handle;
	rmt_txn_publish_obj(tx, &m->obj);
	rmt_txn_log(tx, RMT_CMD_MODEL_NEW, &m->obj, NULL, NULL);
	return 0;
}

int rmt_txn_ctxmap_new(struct rmt_txn *tx, struct rmt_op *op)
{
	struct rmt_ctxmap_obj *c = rmt_zalloc(sizeof(*c));
	int ret;

	if (!c)
		return rmt_txn_fail(tx, -ENOMEM, 0, RMT_E_NOMEM, "out of memory");
	ret = rmt_txn_name(tx, &c->obj, RMT_OBJ_CTXMAP, op->name,
			   RMT_A_CTXMAP_NAME);
	if (!ret) {
		c->map = rmt_ctxmap_create(&op->ctxmap, &tx->err->diag);
		if (!c->map) {
			tx->err->attr = RMT_A_CTXMAP_DESC;
			ret = tx->err->err = -EINVAL;
		}
	}
	if (ret) {
		rmt_free(c);
		return ret;
	}
	op->out_handle = c->obj.handle;
	rmt_txn_publish_obj(tx, &c->obj);
	rmt_txn_log(tx, RMT_CMD_CTXMAP_NEW, &c->obj, NULL, NULL);
	return 0;
}
