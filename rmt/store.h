/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control plane's object store: named tables, programs, models and
 * context maps, table entries, and the transactions that change them.
 * The generic-netlink family (kernel/) and rmtctl's embedded backend
 * both drive it through rmt_store_commit().
 */
#ifndef _RMT_STORE_H
#define _RMT_STORE_H

#include "core.h"

#define RMT_GEN_NEVER	U64_MAX

/**
 * struct rmt_obj - what every named object has
 * @next: next object of the same kind (RCU-safe singly linked list)
 * @name: NUL-terminated name
 * @handle: unique, never reused within a store
 * @born: first generation the object is part of
 * @died: first generation it is no longer part of, or RMT_GEN_NEVER
 * @use: references from objects alive in the next generation
 * @kind: enum rmt_obj_kind
 */
struct rmt_obj {
	struct rmt_obj *next;
	char name[RMT_NAME_MAX];
	u64 handle;
	u64 born;
	u64 died;
	u32 use;
	u32 kind;
};

enum rmt_obj_kind {
	RMT_OBJ_TABLE,
	RMT_OBJ_PROG,
	RMT_OBJ_MODEL,
	RMT_OBJ_CTXMAP,
	RMT_OBJ_KINDS,
};

/* Part of generation @gen?  Readers call this with the generation they read once. */
static inline bool rmt_alive(u64 born, u64 died, u64 gen)
{
	return born <= gen && gen < died;
}

struct rmt_prog_obj {
	struct rmt_obj obj;
	u32 hook;
	struct rmt_env env;
	struct rmt_prog *prog;
	struct rmt_obj *refs[1 + RMT_MAX_CTXMAPS + RMT_MAX_PROGS];
	u32 nrefs;
};

struct rmt_model_obj {
	struct rmt_obj obj;
	struct rmt_model *model;
};

struct rmt_ctxmap_obj {
	struct rmt_obj obj;
	struct rmt_ctxmap *map;
};

/**
 * struct rmt_entry - one table entry
 * @next: next entry in its bucket or list
 * @dup_next: next entry in the table's index of match fields (list tables)
 * @handle_next: next entry in the table's index of handles
 * @handle: unique within the store
 * @born: first generation it matches in
 * @died: first generation it no longer matches in
 * @key: key (the low end for range tables)
 * @key_hi: inclusive high end (range)
 * @mask: ternary mask
 * @prefix: prefix length (lpm)
 * @priority: higher wins (ternary, range)
 * @prog: action
 * @params: action parameters
 * @nparams: how many
 * @hits: times matched
 */
struct rmt_entry {
	struct rmt_entry *next;
	struct rmt_entry *dup_next;
	struct rmt_entry *handle_next;
	u64 handle;
	u64 born;
	u64 died;
	s64 key[RMT_MAX_KEY_FIELDS];
	s64 key_hi[RMT_MAX_KEY_FIELDS];
	u64 mask[RMT_MAX_KEY_FIELDS];
	u32 prefix;
	u32 priority;
	struct rmt_prog_obj *prog;
	s64 params[RMT_MAX_PARAMS];
	u32 nparams;
	rmt_pcpu_t hits;
};

#define RMT_LAT_BUCKETS	40	/* action time histogram: [2^b, 2^(b+1)) ns */

/**
 * struct rmt_table - a match table (the fields after @run_ns are the
 * guardrails': see rmt_table_p99() and hooks/guard.c)
 * @latency_ns: latency budget of an action run (p99), 0 for none
 * @tripped: enum rmt_trip: why the watchdog disabled the table, 0 if not
 * @lat: per-CPU histogram of action run times
 * @guard: the watchdog's state (kernel)
 */
struct rmt_table {
	struct rmt_obj obj;
	u32 hook;
	u32 nkeys;
	u32 key_fields[RMT_MAX_KEY_FIELDS];
	u32 match;
	u32 size;
	u32 count;		/* entries alive in the next generation */
	struct rmt_prog_obj *dflt;
	struct rmt_entry **buckets;	/* exact: hash buckets */
	u32 nbuckets;
	struct rmt_entry *list;	/* others: best first */
	struct rmt_entry **dups;	/* others: hash of match fields */
	struct rmt_entry **handles;	/* all: hash of entry handles */
	rmt_pcpu_t hits;
	rmt_pcpu_t misses;
	rmt_pcpu_t errors;
	rmt_pcpu_t run_ns;
	u64 latency_ns;
	u32 tripped;
	rmt_pcpu_t lat[RMT_LAT_BUCKETS];
	struct {
		u64 lat[RMT_LAT_BUCKETS];	/* histogram at the last check */
		u64 errors;			/* errors at the last check */
		u64 rate_start;			/* readahead pages: window start */
		u64 rate_pages;			/* and pages in it */
		bool reported;			/* trip announced */
	} guard;
};

/**
 * struct rmt_op - one operation of a transaction, decoded
 * @cmd: RMT_CMD_*_NEW or RMT_CMD_*_DEL
 * @name: the object (for entries: the table)
 * @handle: selects the object for DEL when @name is empty; the entry
 *	for ENTRY_DEL
 * @out_handle: receives the handle of a created object
 *
 * A program's @prog.jit is the tier to run it in: RMT_JIT_AUTO (what a
 * zeroed operation asks for) lets the loader choose and never fails; any
 * other tier is forced, and the operation fails if it cannot be had.
 */
struct rmt_op {
	u32 cmd;
	char name[RMT_NAME_MAX];
	u64 handle;
	u64 out_handle;
	union {
		struct {
			u32 hook;
			u32 nkeys;
			char keys[RMT_MAX_KEY_FIELDS][RMT_NAME_MAX];
			u32 match;
			u32 size;
			char dflt[RMT_NAME_MAX];
			u64 latency_ns;
		} table;
		struct {
			s64 key[RMT_MAX_KEY_FIELDS];
			s64 key_hi[RMT_MAX_KEY_FIELDS];
			u64 mask[RMT_MAX_KEY_FIELDS];
			u32 nkey, nkey_hi, nmask;
			u32 prefix;
			bool has_prefix;
			u32 priority;
			char prog[RMT_NAME_MAX];
			s64 params[RMT_MAX_PARAMS];
			u32 nparams;
		} entry;
		struct {
			u32 hook;
			const struct rmt_insn *insns;
			u32 len;
			char model[RMT_NAME_MAX];
			char maps[RMT_MAX_CTXMAPS][RMT_NAME_MAX];
			u32 nmaps;
			char tails[RMT_MAX_PROGS - 1][RMT_NAME_MAX];
			u32 ntails;
			u64 budget;
			bool has_budget;
			u32 jit;	/* enum rmt_jit_tier; 0 is AUTO */
		} prog;
		struct {
			const void *blob;
			u32 len;
		} model;
		struct rmt_ctxmap_desc ctxmap;
	};
};

/**
 * struct rmt_op_error - why a transaction was refused
 * @op: index of the failing operation
 * @err: negative errno
 * @attr: the object attribute to blame (enum rmt_*_attr), or 0
 * @diag: the message (and, for programs, the instruction)
 */
struct rmt_op_error {
	u32 op;
	int err;
	int attr;
	struct rmt_diag diag;
};

/**
 * struct rmt_store - all objects, and the current generation
 * @objs: list head per enum rmt_obj_kind
 * @generation: the current generation; readers read it once
 * @next_handle: next handle to give out
 *
 * Writers (commits) are serialised by the caller; readers take no lock.
 */
struct rmt_store {
	struct rmt_obj *objs[RMT_OBJ_KINDS];
	u64 generation;
	u64 next_handle;
};

void rmt_store_init(struct rmt_store *st);
void rmt_store_destroy(struct rmt_store *st);
int rmt_store_commit(struct rmt_store *st, struct rmt_op *ops, u32 nops,
		     struct rmt_op_error *err);

/* The same, one operation at a time (for long batches). */
struct rmt_txn;
struct rmt_txn *rmt_txn_begin(struct rmt_store *st, u32 max_ops,
			      struct rmt_op_error *err);
int rmt_txn_add(struct rmt_txn *tx, struct rmt_op *op);
u64 rmt_txn_commit(struct rmt_txn *tx);
void rmt_txn_abort(struct rmt_txn *tx);
struct rmt_obj *rmt_store_find(struct rmt_store *st, u32 kind,
			       const char *name, u64 handle, u64 gen);

/* Tables (table.c) */
struct rmt_table *rmt_table_create(const struct rmt_op *op,
				   struct rmt_op_error *err);
void rmt_table_free(struct rmt_table *t);
struct rmt_entry *rmt_table_lookup(struct rmt_table *t, const s64 *key,
				   u64 gen);
int rmt_table_check_entry(const struct rmt_table *t, const struct rmt_op *op,
			  struct rmt_op_error *err);
struct rmt_entry *rmt_entry_create(const struct rmt_table *t,
				   const struct rmt_op *op, u64 handle);
void rmt_table_insert(struct rmt_table *t, struct rmt_entry *e);
struct rmt_entry *rmt_table_find_entry(struct rmt_table *t, u64 handle,
				       u64 gen);
void rmt_table_unlink(struct rmt_table *t, struct rmt_entry *e);
void rmt_table_release_entry(struct rmt_entry *e);
struct rmt_entry *rmt_table_find_dup(struct rmt_table *t,
				     const struct rmt_entry *n, u64 next_gen);
void rmt_table_key(const struct rmt_table *t, const s64 *ctx, s64 *key);
int rmt_table_exec(struct rmt_table *t, u64 gen, struct rmt_run_ctx *rc,
		   u64 *entry);
u64 rmt_table_p99(const struct rmt_table *t, const u64 *since);
void rmt_table_lat_sums(const struct rmt_table *t, u64 *sums);
bool rmt_table_trip(struct rmt_table *t, u32 reason);

/**
 * struct rmt_test_run - a test run's input and outcome (testrun.c)
 * @in: the context every run starts from (@nfields values)
 * @ctx: the context after the last run (@nfields values)
 * @nfields: fields of the hook's context
 * @scratch: RMT_SCRATCH_SIZE bytes
 * @repeat: runs wanted
 * @runs: runs made
 * @r0: the last verdict
 * @insns: instructions of the last run
 * @ns: time of all runs
 * @err: 0, or the error that stopped the runs
 * @entry: table runs: the entry matched last, 0 on a miss
 * @ran: table runs: whether an action ran
 */
struct rmt_test_run {
	const s64 *in;
	s64 *ctx;
	u32 nfields;
	u8 *scratch;
	u32 repeat;
	u32 runs;
	s64 r0;
	u64 insns;
	u64 ns;
	int err;
	u64 entry;
	bool ran;
};

void rmt_test_repeat(const struct rmt_prog *prog, struct rmt_table *table,
		     u64 gen, struct rmt_test_run *tr);

#endif /* _RMT_STORE_H */
