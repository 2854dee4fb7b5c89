/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the libFuzzer targets and the seed writer: the layout of a
 * fuzz_verifier input, the fixed model it may attach and the check
 * that turns a broken invariant into a crash libFuzzer reports.
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
 * @nruns: admitted programs run 1 + (@nruns & 3) times; CALL param sees
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

/* Tensors and trees of the fixed model, for the seed programs. */
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
};

enum {
	FUZZ_TREE_SMALL,	/* 5 nodes over 2 features */
	FUZZ_TREE_DEEP,		/* a chain over 3 features */
	FUZZ_TREE_LEAF,		/* a single leaf */
	FUZZ_NR_TREES,
};

void *fuzz_model_blob(u32 *len);

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

struct fuzz_shadow;

struct fuzz_shadow *fuzz_shadow_new(const struct rmt_prog *prog);
void fuzz_shadow_free(struct fuzz_shadow *sh);
bool fuzz_shadow_run(struct fuzz_shadow *sh, struct rmt_run_ctx *rc);

#endif /* _RMT_FUZZ_H */
