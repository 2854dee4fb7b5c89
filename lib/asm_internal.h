/* SPDX-License-Identifier: GPL-2.0-only */
/* Assembler internals shared by asm.c and asm_directives.c. */
#ifndef _RMT_ASM_INTERNAL_H
#define _RMT_ASM_INTERNAL_H

#include "asm.h"

#define RMT_ASM_MAX_SYMS	512
#define RMT_ASM_MAX_FIXUPS	4096

enum { ASM_CODE, ASM_TENSOR, ASM_TREE };

struct rmt_asm_sym {
	char name[RMT_ASM_NAME];
	s64 val;
	bool label;
};

struct rmt_asm_fixup {
	u32 insn;
	u32 line;
	u32 col;
	char label[RMT_ASM_NAME];
};

struct rmt_asm {
	struct rmt_bundle *b;
	struct rmt_asm_error *err;
	const char *line_start;
	u32 line;
	int mode;
	struct rmt_asm_sym syms[RMT_ASM_MAX_SYMS];
	u32 nsyms;
	u32 first_label;		/* labels of the current program */
	struct rmt_asm_fixup fixups[RMT_ASM_MAX_FIXUPS];
	u32 nfixups;
	struct rmt_tensor_desc tensors[RMT_MAX_TENSORS];
	void *tdata[RMT_MAX_TENSORS];
	u32 ntensors;
	u32 nelems;			/* elements read for the open tensor/tree */
	struct rmt_dtree_desc trees[RMT_MAX_TREES];
	struct rmt_dtree_node *tnodes[RMT_MAX_TREES];
	u32 ntrees;
};

static const char *const rmt_asm_dtypes[] = {
	[RMT_DT_I8] = "i8", [RMT_DT_I16] = "i16",
	[RMT_DT_I32] = "i32", [RMT_DT_I64] = "i64",
};

static const char *const rmt_asm_keys[] = {
	[RMT_KEY_ANY] = "any", [RMT_KEY_PID] = "pid", [RMT_KEY_TGID] = "tgid",
	[RMT_KEY_CGROUP] = "cgroup", [RMT_KEY_INODE] = "inode",
};

extern const char *const rmt_asm_dtypes[5];
extern const char *const rmt_asm_keys[5];

int asm_error(struct rmt_asm *a, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *skip_space(char *p);
void trim_end(char *p);
bool is_ident(const char *s);
bool parse_int(const char *s, s64 *out);
int lookup_name(const char *const *names, u32 n, const char *s);
int add_sym(struct rmt_asm *a, const char *at, const char *name, s64 val,
	    bool label);
int parse_value(struct rmt_asm *a, char *tok, s64 *out);
int parse_ranged(struct rmt_asm *a, char *tok, s64 lo, s64 hi, s64 *out);
int split_operands(char *s, char **out, int max);
int finish_prog(struct rmt_asm *a);
struct rmt_asm_prog *cur_prog(struct rmt_asm *a);
int parse_raw(struct rmt_asm *a, char *s);

/* asm_directives.c */
int parse_directive(struct rmt_asm *a, char *s);
int parse_tensor_data(struct rmt_asm *a, char *s);
int parse_tree_node(struct rmt_asm *a, char *s);

#endif /* _RMT_ASM_INTERNAL_H */
