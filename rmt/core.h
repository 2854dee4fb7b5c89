/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal API of the RMT core: programs, models, context maps, the
 * verifier, the interpreter and the test image.  Shared by rmt.ko and
 * librmt.
 */
#ifndef _RMT_CORE_H
#define _RMT_CORE_H

#include "compat.h"
#include "diag.h"

/* ---- ISA tables (isa.c) ---- */

/**
 * struct rmt_op_info - what the tables derived from RMT_OPCODES() know
 * @name: assembler mnemonic; NULL for codes that are not opcodes
 * @fmt: operand format string (RMT_FMT_*)
 */
struct rmt_op_info {
	const char *name;
	const char *fmt;
};

extern const struct rmt_op_info rmt_op_info[256];

/* The instruction fields an operand format names. */
struct rmt_fmt_use {
	bool dst;
	bool src;
	bool off;
	u32 imm_mask;
};

void rmt_fmt_usage(const char *fmt, struct rmt_fmt_use *use);
bool rmt_insn_reserved_clear(const struct rmt_insn *insn);

struct rmt_helper_info {
	const char *name;
	int nargs;
};

extern const struct rmt_helper_info rmt_helper_info[];
extern const unsigned int rmt_nr_helpers;

const struct rmt_helper_info *rmt_helper_lookup(s32 id);
struct rmt_run_ctx;
s64 rmt_helper_call(s32 id, const u64 *args, const struct rmt_run_ctx *rc);

/* ---- hook schemas (hook_schema.c) ---- */

/**
 * struct rmt_hook_schema - what a hook offers a program
 * @name: user-visible hook name
 * @nfields: fields in the context array
 * @field_names: name of each field
 * @writable: bit n set if a program may write field n
 * @budget: default cost budget
 * @verdict: what the verdict (r0 at EXIT) means, for humans
 * @fallback: what the kernel does when no table decides: no match and no
 *	default action, an action that fails or overruns its budget
 */
struct rmt_hook_schema {
	const char *name;
	u32 nfields;
	const char *const *field_names;
	u64 writable;
	u64 budget;
	const char *verdict;
	const char *fallback;
};

const struct rmt_hook_schema *rmt_hook_schema(u32 hook_id);

/* ---- models (model.c) ---- */

struct rmt_tree {
	const struct rmt_dtree_node *nodes;
	u32 nnodes;
	u32 nfeatures;
	u32 depth;		/* inner nodes on the longest root-leaf path */
};

/**
 * struct rmt_model - a validated model, owning one copy of its blob
 */
struct rmt_model {
	void *blob;
	u32 blob_len;
	u32 ntensors;
	u32 ntrees;
	const struct rmt_tensor_desc *tensors;
	const void *tensor_data[RMT_MAX_TENSORS];
	struct rmt_tree trees[RMT_MAX_TREES];
};

struct rmt_model *rmt_model_load(const void *blob, u32 len,
				 struct rmt_diag *diag);
void rmt_model_free(struct rmt_model *model);
void *rmt_model_build(struct rmt_tensor_desc *tensors, const void *const *tdata,
		      u32 ntensors, struct rmt_dtree_desc *trees,
		      const struct rmt_dtree_node *const *tnodes, u32 ntrees,
		      u32 *len);

static inline u32 rmt_dtype_size(u32 dtype)
{
	switch (dtype) {
	case RMT_DT_I8:  return 1;
	case RMT_DT_I16: return 2;
	case RMT_DT_I32: return 4;
	case RMT_DT_I64: return 8;
	default:         return 0;
	}
}

/* ---- context maps (ctxmap.c) ---- */

struct rmt_ctxmap;

struct rmt_ctxmap *rmt_ctxmap_create(const struct rmt_ctxmap_desc *desc,
				     struct rmt_diag *diag);
void rmt_ctxmap_free(struct rmt_ctxmap *map);
const struct rmt_ctxmap_desc *rmt_ctxmap_desc(const struct rmt_ctxmap *map);
s64 rmt_ctxmap_load(struct rmt_ctxmap *map, u64 key, s32 slot);
int rmt_ctxmap_store(struct rmt_ctxmap *map, u64 key, s32 slot, s64 val);
bool rmt_ctxmap_contains(struct rmt_ctxmap *map, u64 key);
u32 rmt_ctxmap_history(struct rmt_ctxmap *map, u64 key, void *out,
		       u32 dtype, u32 n);
int rmt_ctxmap_delete(struct rmt_ctxmap *map, u64 key);
u32 rmt_ctxmap_count(struct rmt_ctxmap *map);
u64 rmt_ctxmap_drops(struct rmt_ctxmap *map);

/* ---- ML reference kernels (ml.c) ---- */

void rmt_ml_matmul_i8(s32 *y, const s8 *w, const s8 *x, u32 rows, u32 cols);
void rmt_ml_matmul_i16(s32 *y, const s16 *w, const s16 *x, u32 rows,
		       u32 cols);
void rmt_ml_bias_add(s32 *y, const s32 *b, u32 n);
void rmt_ml_requant(void *out, u32 out_dtype, const s32 *in, u32 n,
		    s32 mult, u32 shift, s32 zero);
void rmt_ml_relu(void *v, u32 dtype, u32 n);
u32 rmt_ml_argmax(const void *v, u32 dtype, u32 n);
s64 rmt_ml_load_elem(const void *v, u32 dtype, u32 i);
void rmt_ml_store_elem(void *v, u32 dtype, u32 i, s64 val);
s64 rmt_ml_saturate(s64 val, u32 dtype);
s32 rmt_ml_dtree(const struct rmt_tree *tree, const s32 *features);

/* ---- programs (prog.c) and the verifier (verifier*.c) ---- */

/**
 * struct rmt_env - what a program is verified and run against
 * @hook: the hook's context schema
 * @model: the model whose tensors and trees the program may use, or NULL
 * @maps: context maps, indexed by LD_CTXT/ST_CTXT imm
 * @nmaps: number of @maps
 * @tail: programs reachable through TAIL_CALL slot n
 * @ntail: number of @tail slots
 */
struct rmt_env {
	const struct rmt_hook_schema *hook;
	const struct rmt_model *model;
	struct rmt_ctxmap *maps[RMT_MAX_CTXMAPS];
	u32 nmaps;
	struct rmt_prog *tail[RMT_MAX_PROGS];
	u32 ntail;
};

/**
 * struct rmt_prog - a verified program
 * @insns: the instructions, owned
 * @len: number of instructions
 * @env: environment it was verified against, borrowed from the owner
 * @budget: budget it was verified against
 * @cost: worst-case cost (instructions plus multiply-accumulates)
 * @max_insns: worst-case instructions; the interpreter's run-time bound
 * @scratch_size: bytes of scratch the program may touch (zeroed per run)
 * @jit: machine code, or NULL to interpret (rmt_prog_jit())
 * @jit_scalar: for a SIMD tier, scalar code for contexts without the FPU
 * @tier: enum rmt_jit_tier that runs the program (never AUTO)
 * @jit_reason: why @tier was chosen, or why code generation failed
 */
struct rmt_prog {
	struct rmt_insn *insns;
	u32 len;
	const struct rmt_env *env;
	u64 budget;
	u64 cost;
	u64 max_insns;
	u32 scratch_size;
	struct rmt_jit_image *jit;
	struct rmt_jit_image *jit_scalar;
	u32 tier;
	char jit_reason[160];
};

struct rmt_verify_result {
	u64 cost;
	u64 max_insns;
	u32 scratch_size;
};

int rmt_verify(const struct rmt_insn *insns, u32 len,
	       const struct rmt_env *env, u64 budget,
	       struct rmt_verify_result *res, struct rmt_diag *diag);

struct rmt_prog *rmt_prog_load(const struct rmt_insn *insns, u32 len,
			       const struct rmt_env *env, u64 budget,
			       struct rmt_diag *diag);
void rmt_prog_free(struct rmt_prog *prog);

/* ---- interpreter (interp.c) ---- */

/**
 * struct rmt_run_ctx - one invocation's state
 * @ctx: hook context fields (the hook schema says how many)
 * @scratch: RMT_SCRATCH_SIZE bytes owned by the caller
 * @r0: verdict on success
 * @insns: instructions executed, across tail calls
 * @tail_calls: tail calls taken
 * @in_fpu: set while a SIMD image runs inside an FPU section
 * @params: the matched entry's action parameters (CALL param), or NULL
 * @nparams: how many
 */
struct rmt_run_ctx {
	s64 *ctx;
	u8 *scratch;
	const s64 *params;
	u32 nparams;
	s64 r0;
	u64 insns;
	u32 tail_calls;
	bool in_fpu;
};

int rmt_run(const struct rmt_prog *prog, struct rmt_run_ctx *rc);
int rmt_interp_run(const struct rmt_prog *prog, struct rmt_run_ctx *rc);

/* ---- JIT (jit_x86*.c) ---- */

#define RMT_JIT_F_BLIND		0x1	/* blind the program's immediates */

extern bool rmt_jit_enabled;		/* false: AUTO means the interpreter */

struct rmt_jit_image;

int rmt_prog_jit(struct rmt_prog *prog, u32 tier, u32 flags,
		 struct rmt_diag *diag);
void rmt_prog_unjit(struct rmt_prog *prog);
bool rmt_jit_tier_supported(u32 tier);
const char *rmt_jit_tier_name(u32 tier);
int rmt_jit_tier_parse(const char *name);
const u8 *rmt_jit_code(const struct rmt_prog *prog, u32 *len,
		       const u32 **insn_off);

/* ---- disassembler (disasm.c) ---- */

int rmt_disasm_insn(const struct rmt_insn *insn, char *buf, size_t size);

/* ---- test images (image.c) ---- */

/**
 * struct rmt_image - a loaded test image: a bundle plus its input
 */
struct rmt_image {
	struct rmt_env env;
	struct rmt_model *model;
	struct rmt_prog *progs[RMT_MAX_PROGS];
	u32 nprogs;
	s64 ctx[RMT_MAX_CTX_FIELDS];
	u32 nctx;		/* fields given in the image */
	u32 repeat;
	u64 budget;
};

struct rmt_image *rmt_image_load(const void *buf, size_t len,
				 struct rmt_diag *diag);
void rmt_image_free(struct rmt_image *img);

/**
 * struct rmt_test_result - outcome of rmt_image_run()
 */
struct rmt_test_result {
	int err;
	s64 r0;
	s64 ctx[RMT_MAX_CTX_FIELDS];
	u32 nfields;
	u64 insns;
	u64 total_ns;
	u32 repeat;
};

int rmt_image_run(struct rmt_image *img, struct rmt_test_result *res);
int rmt_test_result_format(const struct rmt_test_result *res,
			   const s64 *ctx_in, char *buf, size_t size);

/* ---- self-test (selftest.c) ---- */

typedef void (*rmt_selftest_report_t)(void *arg, const char *fmt, ...)
	__printf(2, 3);

int rmt_selftest_run(rmt_selftest_report_t report, void *arg);

#endif /* _RMT_CORE_H */
