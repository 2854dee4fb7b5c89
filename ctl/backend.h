/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtctl's two backends behind one interface: netlink (rmt.ko) and
 * embedded (the same core, in-process).  Commands hand them store
 * operations and read back object views, so every command behaves the
 * same on both.
 */
#ifndef _RMTCTL_BACKEND_H
#define _RMTCTL_BACKEND_H

#include "store.h"

#define RMT_GENL_MAX_NEST	32	/* >= every RMT_A_<OBJ>_MAX */

/**
 * struct rmtctl_obj - what a show command prints, from either backend
 * @cmd: the GET command it answers (RMT_CMD_*_GET)
 * @prog_insns: a program's instructions as the backend holds them
 *	(@insns of them), or NULL when the backend did not send them (a
 *	netlink dump does not; a get does); valid during the callback only
 * @jit: enum rmt_jit_tier that runs a program
 * @jit_reason: why that tier, in the core's words
 * @jited: with RMTCTL_GET_JITED, the program's machine code (@jited_len
 *	bytes), or NULL; valid during the callback only
 * @jit_map: with @jited: where the code of each instruction starts, and
 *	at [@insns] the epilogue's (@insns + 1 offsets)
 * @has_refs: @model, @maps and @tails are known (the embedded backend;
 *	rmt.ko does not report them)
 * @verdict: a hook's verdict, in words
 * @fallback: what the kernel does when none of a hook's tables decides
 * @attached: the kernel function a hook is attached to, or empty
 * @status: why a hook is not attached, or empty
 * @has_hook_stats: @hook_stats are known (rmt.ko, hooks with a kernel
 *	site)
 * @hook_stats: a hook's counters
 */
struct rmtctl_obj {
	u32 cmd;
	char name[RMT_NAME_MAX];
	u64 handle;
	char hook[RMT_NAME_MAX];
	/* tables */
	char keys[RMT_MAX_KEY_FIELDS][RMT_NAME_MAX];
	u32 nkeys;
	u32 match;
	u32 size;
	u32 entries;
	char dflt[RMT_NAME_MAX];
	u64 latency;		/* latency budget (ns), 0 for none */
	u32 state;		/* enum rmt_trip */
	/* entries */
	char table[RMT_NAME_MAX];
	s64 key[RMT_MAX_KEY_FIELDS];
	s64 key_hi[RMT_MAX_KEY_FIELDS];
	u64 mask[RMT_MAX_KEY_FIELDS];
	u32 nkey;
	u32 prefix;
	u32 priority;
	char prog[RMT_NAME_MAX];
	s64 params[RMT_MAX_PARAMS];
	u32 nparams;
	/* programs */
	u32 insns;
	u64 cost;
	u64 max_insns;
	u64 budget;
	const struct rmt_insn *prog_insns;	/* see below */
	u32 jit;
	char jit_reason[160];
	const u8 *jited;
	u32 jited_len;
	const u32 *jit_map;
	bool has_refs;
	char model[RMT_NAME_MAX];
	char maps[RMT_MAX_CTXMAPS][RMT_NAME_MAX];
	u32 nmaps;
	char tails[RMT_MAX_PROGS - 1][RMT_NAME_MAX];
	u32 ntails;
	/* models */
	u32 tensors;
	u32 trees;
	/* context maps */
	struct rmt_ctxmap_desc desc;
	u32 count;
	u64 drops;
	/* hooks */
	u32 id;
	char fields[RMT_MAX_CTX_FIELDS][RMT_NAME_MAX];
	u32 nfields;
	u64 writable;
	u32 tables;
	char verdict[128];
	char fallback[128];
	char attached[64];
	char status[128];
	bool has_hook_stats;
	struct {
		u64 fires;
		u64 decided;
		u64 defaults;
		u64 errors;
		u64 pages;
		u64 hits;
		u64 dropped;
	} hook_stats;
	/* statistics (and entry hits); tables carry them with -s */
	bool has_stats;
	u64 hits;
	u64 misses;
	u64 run_ns;
	u64 p99_ns;
	u64 errors;
};

typedef int (*rmtctl_obj_cb)(const struct rmtctl_obj *o, void *arg);

struct rmtctl_test {
	bool table;		/* a table run: entry and ran are set */
	u64 entry;
	bool ran;
	s64 r0;
	s64 ctx[RMT_MAX_CTX_FIELDS];
	u32 nfields;
	u64 insns;
	u64 ns;
	int err;
};

/**
 * struct rmtctl_error - why a backend refused
 * @err: negative errno
 * @msg: the refusal, as the kernel (or the core) words it
 * @where: the attribute blamed, when the backend knows
 * @op: commits: index of the refused operation in the transaction, or -1
 * @insn: commits: the instruction the verifier blamed, or -1
 */
struct rmtctl_error {
	int err;
	char msg[512];
	char where[128];
	s32 op;
	s32 insn;
};

/* get: also a program's machine code (RMT_A_PROG_JITED) */
#define RMTCTL_GET_JITED	0x1

struct rmtctl_backend {
	const char *name;
	int (*commit)(void *priv, struct rmt_op *ops, u32 n, u64 *gen,
		      struct rmtctl_error *e);
	int (*list)(void *priv, u32 cmd, const char *table, rmtctl_obj_cb cb,
		    void *arg, struct rmtctl_error *e);
	/*
	 * one object by name, with all it has (a program's instructions;
	 * with RMTCTL_GET_JITED in @flags, its machine code too)
	 */
	int (*get)(void *priv, u32 cmd, const char *name, u32 flags,
		   rmtctl_obj_cb cb, void *arg, struct rmtctl_error *e);
	int (*test_run)(void *priv, const char *name, bool table, const s64 *ctx,
			u32 nctx, u32 repeat, struct rmtctl_test *out,
			struct rmtctl_error *e);
	int (*monitor)(void *priv, int count, bool json, struct rmtctl_error *e);
	void (*close)(void *priv);
};

extern const struct rmtctl_backend rmtctl_netlink_backend;
extern const struct rmtctl_backend rmtctl_embedded_backend;

void *rmtctl_netlink_open(int *err);
void *rmtctl_embedded_open(void);

#endif /* _RMTCTL_BACKEND_H */
