/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the libFuzzer targets and the seed writer: the layout of a
 * fuzz_verifier (and fuzz_jit) input and the environment it describes,
 * the fixed model it may attach and the check that turns a broken
 * invariant into a crash libFuzzer reports.
 */
#ifndef _RMT_FUZZ_H
#define _RMT_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "core.h"

/* fuzz_hdr.flags */
#define FUZZ_F_MODEL		0x01	/* attach the fixed model */
#define FUZZ_F_NMAPS_SHIFT	1	/* 2 bits: context maps, 3 means 2 */
#define FUZZ_F_NTAIL_SHIFT	3	/* 2 bits: tail slots, 3 means 2 */
#define FUZZ_F_UNBOUNDED	0x20	/* budget U64_MAX, so costs saturate */
#define FUZZ_F_STRETCH		0x40	/* pad to about RMT_MAX_INSNS */

/**
 * struct fuzz_hdr - start of a fuzz_verifier input; instructions follow
 * @flags: FUZZ_F_*
 * @nruns: admitted programs run 1 + (@nruns & 3) times (fuzz_jit: on
 *	2 + (@nruns & 3) context vectors); CALL param sees
 *	(@nruns >> 2) % (RMT_MAX_PARAMS + 1) action parameters
 * @map: per context map, nvals in bits 0-3 and hist_len / 4 in bits 4-7
 * @entries: log2(max_entries) of map 0 in bits 0-3, of map 1 in bits 4-7
 * @stretch: with FUZZ_F_STRETCH, the program is padded at the front to
 *	RMT_MAX_INSNS - 1 + (@stretch & 3) instructions (capped one past the
 *	limit), so both sides of the length limit are reached
 * @budget: budget / 16; 0 means the hook's default
 * @ctx_seed: seeds the context fields of the runs
 *
 * Sixteen bytes, so that the instructions start on an 8-byte boundary
 * of the input and byte-level mutations keep hitting the same fields.
 */
struct fuzz_hdr {
	u8 flags;
	u8 nruns;
	u8 map[2];
	u8 entries;
	u8 stretch;
	u16 budget;
	u8 ctx_seed[8];
};

/* Bytes 0-1 of a fuzz_image input, before the image itself. */
#define FUZZ_IMG_ADD_HDR	0x01	/* prepend a valid header, nrecs = byte 1 */

/*
 * Tensors and trees of the fixed model, for the seed programs.
 * fuzz_model_blob() has the first FUZZ_NR_TENSORS and FUZZ_NR_TREES,
 * small enough for the inputs of fuzz_image and fuzz_object, which carry
 * the model; fuzz_model_blob_full(), which the fuzz_verifier and
 * fuzz_jit environment attaches, adds the rest: matrices whose rows and
 * columns leave partial SIMD blocks and groups, products larger than
 * the JIT unrolls, and a tree larger than it inlines.
 */
enum {
	FUZZ_T_W8,		/* i8 4x8, requant to i8 */
	FUZZ_T_B4,		/* i32 4x1 */
	FUZZ_T_W16,		/* i16 3x4, requant to i16 */
	FUZZ_T_B3,		/* i32 3x1, requant to i32 */
	FUZZ_T_W8_2x3,		/* i8 2x3, requant to i32 */
	FUZZ_T_W16_8x8,		/* i16 8x8, extreme values */
	FUZZ_T_B8,		/* i32 8x1, extreme values */
	FUZZ_T_W8_64,		/* i8 64x64, for cost */
	FUZZ_NR_TENSORS,
	FUZZ_T_W8_37x23 = FUZZ_NR_TENSORS,	/* i8, requant to i8 */
	FUZZ_T_B37,		/* i32 37x1, requant to i32, saturating */
	FUZZ_T_W8_19x37,	/* i8 with -128 columns, requant to i8 */
	FUZZ_T_B19,		/* i32 19x1, extreme values, requant to i16 */
	FUZZ_T_W16_20x13,	/* i16, requant to i16 */
	FUZZ_T_B20,		/* i32 20x1 */
	FUZZ_T_W16_9x20,	/* i16, requant to i32 */
	FUZZ_T_W8_80x70,	/* i8, more MACs than the JIT unrolls */
	FUZZ_T_W16_70x66,	/* i16 with -32768 pairs, more MACs too */
	FUZZ_T_B64,		/* i32 64x1, for FUZZ_T_W8_64, requant to i8 */
	FUZZ_T_W8_17x5,		/* i8, one row past a block, requant to i32 */
	FUZZ_NR_TENSORS_FULL,
};

enum {
	FUZZ_TREE_SMALL,	/* 5 nodes over 2 features */
	FUZZ_TREE_DEEP,		/* a chain over 3 features */
	FUZZ_TREE_LEAF,		/* a single leaf */
	FUZZ_NR_TREES,
	FUZZ_TREE_BIG = FUZZ_NR_TREES,	/* 2049 nodes over 8 features */
	FUZZ_NR_TREES_FULL,
};

void *fuzz_model_blob(u32 *len);
void *fuzz_model_blob_full(u32 *len);

/* Abort with a message, so the crash report names the broken invariant. */
#define FUZZ_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "invariant failed: %s: ", #cond); \
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

void fuzz_check_diag(const struct rmt_diag *diag, int len);

/* ---- program inputs of fuzz_verifier and fuzz_jit (fuzz_prog.c) ---- */

/**
 * struct fuzz_env - what a struct fuzz_hdr sets up, and run limits
 * @env: the environment programs are verified and run against
 * @budget: cost budget of the entry program
 * @bound: instructions one run may execute (fuzz_run_limits())
 * @cost: worst-case cost of one run, tail calls included
 * @extent: scratch bytes any program of the run may touch
 * @pure_helpers: no clock or random helper
 * @deterministic: that, and no map state kept across runs
 */
struct fuzz_env {
	struct rmt_env env;
	u64 budget;
	u64 bound;
	u64 cost;
	u32 extent;
	bool pure_helpers;
	bool deterministic;
};

#define FUZZ_MAX_HINTS	64

/*
 * Values a context field should take to walk the program's edges: a
 * bounds check "jgt r1, 4095" is only tested by r1 = 4095 and 4096, and
 * an access [r1 + off] only by the r1 that puts its last byte at the end
 * of scratch.  Taken from the program's immediates and offsets.
 */
struct fuzz_hints {
	s64 v[FUZZ_MAX_HINTS];
	u32 n;
};

void fuzz_env_setup(struct fuzz_env *fe, const struct fuzz_hdr *h);
void fuzz_env_release(struct fuzz_env *fe);
struct rmt_insn *fuzz_program(const struct fuzz_hdr *h, const u8 *data,
			      size_t size, u32 *len);
u64 fuzz_mix(u64 x);
void fuzz_collect_hints(const struct rmt_prog *prog, struct fuzz_hints *fh);
void fuzz_fill_ctx(s64 *ctx, const struct fuzz_hdr *h,
		   const struct fuzz_hints *fh, u32 run);
u32 fuzz_nparams(const struct fuzz_hdr *h);
s64 fuzz_param(const struct fuzz_hdr *h, u32 i);
bool fuzz_prog_pure(const struct rmt_prog *prog);
void fuzz_run_limits(const struct rmt_prog *prog, struct fuzz_env *fe);

struct fuzz_shadow;

struct fuzz_shadow *fuzz_shadow_new(const struct rmt_prog *prog);
void fuzz_shadow_free(struct fuzz_shadow *sh);
bool fuzz_shadow_run(struct fuzz_shadow *sh, struct rmt_run_ctx *rc);

#endif /* _RMT_FUZZ_H */
