/* SPDX-License-Identifier: GPL-2.0-only */
/* Transaction internals shared by store.c and store_ops.c. */
#ifndef _RMT_STORE_TXN_H
#define _RMT_STORE_TXN_H

#include "store.h"

struct rmt_txn_rec {
	u32 cmd;
	struct rmt_obj *obj;
	struct rmt_table *table;	/* entries */
	struct rmt_entry *entry;
};

struct rmt_txn {
	struct rmt_store *st;
	u64 next;		/* the generation being built */
	u64 first_handle;	/* st->next_handle when the transaction began */
	struct rmt_txn_rec *log;
	u32 nlog;
	u32 cap;
	u32 nops;
	struct rmt_op_error *err;
};

extern const char *const rmt_kind_names[RMT_OBJ_KINDS];

int rmt_txn_fail(struct rmt_txn *tx, int errno_, int attr, int code,
		 const char *fmt, ...) __printf(5, 6);
struct rmt_obj *rmt_txn_find(struct rmt_txn *tx, u32 kind, const char *name,
			     int attr);
int rmt_txn_name(struct rmt_txn *tx, struct rmt_obj *o, u32 kind,
		 const char *name, int attr);
void rmt_txn_log(struct rmt_txn *tx, u32 cmd, struct rmt_obj *obj,
		 struct rmt_table *t, struct rmt_entry *e);
void rmt_txn_publish_obj(struct rmt_txn *tx, struct rmt_obj *o);
void rmt_prog_obj_put_refs(struct rmt_prog_obj *p, int delta);
void rmt_txn_table_refs(struct rmt_table *t, u64 gen, int delta);

/* store_ops.c: prepare one operation */
int rmt_txn_table_new(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_table_del(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_entry_new(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_entry_del(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_prog_new(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_model_new(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_ctxmap_new(struct rmt_txn *tx, struct rmt_op *op);
int rmt_txn_obj_del(struct rmt_txn *tx, struct rmt_op *op, u32 kind,
		    int name_attr);

#endif /* _RMT_STORE_TXN_H */
