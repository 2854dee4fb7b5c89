/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's lowering: a checked policy (struct rmtc_program) into the
 * store operations of a struct rmtc_policy.  Context maps, models and
 * tables become descriptors; each action becomes one program, through a
 * small code generator with a register allocator:
 *
 *   r0        verdict, helper results
 *   r1-r5     expression temporaries and helper arguments; a helper call
 *             saves the live ones to scratch around itself
 *   r6-r10    loop counters (from r10 down, one per nesting level the
 *             action uses), then locals in declaration order; locals
 *             that find no register live in scratch, and registers no
 *             local holds serve as temporaries too
 *
 * Every instruction carries the source location of the statement or
 * expression that produced it (the line table).
 */
#ifndef _RMTC_LOWER_H
#define _RMTC_LOWER_H

#include "evaluate.h"
#include "policy.h"

#define RMTC_MAX_LAYERS		8
#define RMTC_MAX_VARS		64

/**
 * struct rmtc_model_info - what lowering knows of a model
 * @node: its item
 * @kind: RMTC_N_MLP, RMTC_N_DTREE or RMTC_N_LINEAR
 * @inputs: features a call must give
 * @in_dtype: element type of the feature vector
 * @nlayers: weight layers (MLP, linear)
 * @rows, @cols, @dtype, @relu, @has_bias: per layer
 * @blob: the model blob, owned by the policy once added
 * @ok: built without errors
 */
struct rmtc_model_info {
	struct rmtc_node *node;
	int kind;
	u32 inputs;
	u8 in_dtype;
	u32 nlayers;
	u32 rows[RMTC_MAX_LAYERS];
	u32 cols[RMTC_MAX_LAYERS];
	u8 dtype[RMTC_MAX_LAYERS];
	bool relu[RMTC_MAX_LAYERS];
	bool has_bias[RMTC_MAX_LAYERS];
	bool ok;
};

struct rmtc_var {
	const char *name;
	enum rmtc_tok type;
	int reg;		/* its register, or -1: lives at @slot */
	int slot;		/* scratch offset */
	bool loop;		/* loop variable: reads as reg + bias */
	s64 bias;
};

/* The whole-policy state. */
struct rmtc_lower {
	struct rmtc_program *prog;
	struct rmtc_policy *pol;
	struct rmtc_diags *diags;
	struct rmtc_model_info models[RMTC_MAX_ITEMS];
	int errors;
};

/* One action being lowered. */
struct rmtc_fn {
	struct rmtc_lower *L;
	struct rmtc_node *action;
	const struct rmt_hook_schema *hook;
	struct rmt_insn *insns;
	struct rmtc_line *lines;
	u32 len, cap;
	struct rmtc_line cur;		/* stamped on each instruction */
	struct rmtc_var vars[RMTC_MAX_VARS];
	u32 nvars;
	u16 var_regs;			/* registers locals hold */
	u16 loop_regs;			/* registers reserved for loop counters */
	u32 loop_depth;			/* open loops */
	u16 busy;			/* temporaries in use */
	u32 scratch;			/* bytes of scratch allocated */
	const char *maps[RMT_MAX_CTXMAPS];
	u32 nmaps;
	int model;			/* index into L->models, or -1 */
	bool failed;			/* an error was reported; stop emitting */
};

#define RMTC_ERR(L, node, hint, ...)					\
	do {								\
		rmtc_error((L)->diags, (node)->loc, hint, __VA_ARGS__);	\
		(L)->errors++;						\
	} while (0)

/* lower.c */
u32 rmtc_emit(struct rmtc_fn *fn, u8 code, u8 dst, u8 src, s16 off, s32 imm);
void rmtc_fn_error(struct rmtc_fn *fn, struct rmtc_node *at, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int rmtc_scratch(struct rmtc_fn *fn, struct rmtc_node *at, u32 bytes, u32 align);
struct rmtc_node *rmtc_lookup(struct rmtc_node **items, unsigned int n,
			      const char *name);
void rmtc_set_loc(struct rmtc_fn *fn, const struct rmtc_node *n);
int rmtc_map_index(struct rmtc_fn *fn, struct rmtc_node *at, const char *name);

void rmtc_op_decl(struct rmtc_lower *L, const struct rmtc_node *n);
u64 rmtc_value(struct rmtc_lower *L, struct rmtc_node *e);
bool rmtc_name_ok(struct rmtc_lower *L, struct rmtc_node *n);
u32 rmtc_hook_id(const char *name);

/* lower_expr.c */
int rmtc_temp(struct rmtc_fn *fn, struct rmtc_node *at);
void rmtc_free(struct rmtc_fn *fn, int reg);
int rmtc_gen_expr(struct rmtc_fn *fn, struct rmtc_node *e);
void rmtc_gen_cond(struct rmtc_fn *fn, struct rmtc_node *e, bool jump_if,
	       u32 *fixups, u32 *nfix);
void rmtc_patch(struct rmtc_fn *fn, u32 at, u32 target);
void rmtc_movi64(struct rmtc_fn *fn, int reg, u64 v);
void rmtc_truncate(struct rmtc_fn *fn, int reg, enum rmtc_tok type);
bool rmtc_is_signed(struct rmtc_fn *fn, struct rmtc_node *e);
bool rmtc_const(struct rmtc_fn *fn, struct rmtc_node *e, u64 *v);
struct rmtc_var *rmtc_var(struct rmtc_fn *fn, const char *name);
int rmtc_slot_index(struct rmtc_fn *fn, struct rmtc_node *ms, int *map,
		    struct rmtc_node **slot);
void rmtc_var_store(struct rmtc_fn *fn, struct rmtc_var *v, int reg);
void rmtc_field_access(struct rmtc_fn *fn, struct rmtc_node *e, int reg, bool store);

/* lower_model.c */
void rmtc_lower_models(struct rmtc_lower *L);
int rmtc_model_call(struct rmtc_fn *fn, struct rmtc_node *call,
		    struct rmtc_node *model);

/* lower_items.c */
void rmtc_lower_ctxmaps(struct rmtc_lower *L);
void rmtc_lower_tables(struct rmtc_lower *L);

int rmtc_lower(struct rmtc_program *prog, struct rmtc_policy *pol,
	       struct rmtc_diags *diags);

#endif /* _RMTC_LOWER_H */
