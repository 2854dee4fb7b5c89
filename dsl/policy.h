/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A compiled policy: the store operations of one atomic transaction
 * (context maps, models, programs, tables, entries, in that order), plus
 * what the compiler knows about each program: the source location of
 * every instruction and the verifier's cost estimate.  rmtc produces it
 * from source, the object reader from an ELF object, and rmtctl commits
 * it.
 */
#ifndef _RMTC_POLICY_H
#define _RMTC_POLICY_H

#include "store.h"

#define RMTC_MAX_FILES	64	/* source files: the policy and its includes */

/**
 * struct rmtc_line - where an instruction came from
 * @line: 1-based line, 0 if unknown
 * @col: 1-based column
 * @file: index into struct rmtc_policy.files
 */
struct rmtc_line {
	u32 line;
	u16 col;
	u16 file;
};

/**
 * struct rmtc_prog_info - compiler's side information on one program
 * @op: index of its RMT_CMD_PROG_NEW in struct rmtc_policy.ops
 * @lines: one per instruction (ops[op].prog.len)
 * @cost: the verifier's worst-case cost, once checked (0 before)
 * @max_insns: the verifier's bound on instructions executed
 * @decl: where the action is declared
 */
struct rmtc_prog_info {
	u32 op;
	struct rmtc_line *lines;
	u64 cost;
	u64 max_insns;
	struct rmtc_line decl;
};

/**
 * struct rmtc_policy - everything one policy creates
 * @ops: RMT_CMD_*_NEW operations in dependency order; the policy owns
 *	ops[].prog.insns and ops[].model.blob (malloc()ed)
 * @nops: how many
 * @decls: where each operation's object (or entry) is declared, one per
 *	op; NULL when unknown
 * @progs: one per RMT_CMD_PROG_NEW, in the order of @ops
 * @nprogs: how many
 * @files: source file names (malloc()ed), [0] the policy itself
 * @nfiles: how many
 */
struct rmtc_policy {
	struct rmt_op *ops;
	u32 nops;
	struct rmtc_line *decls;
	struct rmtc_prog_info *progs;
	u32 nprogs;
	char *files[RMTC_MAX_FILES];
	u32 nfiles;
};

void rmtc_policy_release(struct rmtc_policy *p);
struct rmt_op *rmtc_policy_add_op(struct rmtc_policy *p, u32 cmd,
				  const char *name);
const struct rmtc_prog_info *rmtc_policy_prog(const struct rmtc_policy *p,
					      u32 op);

#endif /* _RMTC_POLICY_H */
