/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RMT assembler (user space): text in the syntax the disassembler
 * prints, plus directives for the rest of a bundle (hook, budget,
 * context maps, tensors, trees, test input), into a struct rmt_bundle
 * that can be written as a test image.
 */
#ifndef _RMT_ASM_H
#define _RMT_ASM_H

#include "core.h"

#define RMT_ASM_NAME	32

struct rmt_asm_prog {
	char name[RMT_ASM_NAME];
	struct rmt_insn *insns;
	u32 *lines;		/* source line of each instruction */
	u32 len;
	u32 cap;
};

/**
 * struct rmt_bundle - everything a test image carries
 */
struct rmt_bundle {
	u32 hook;
	u64 budget;
	bool has_budget;
	struct rmt_asm_prog progs[RMT_MAX_PROGS];
	u32 nprogs;
	struct rmt_ctxmap_desc maps[RMT_MAX_CTXMAPS];
	u32 nmaps;
	void *model;		/* model blob, or NULL */
	u32 model_len;
	s64 ctx[RMT_MAX_CTX_FIELDS];
	u32 nctx;
	u32 repeat;
};

/** struct rmt_asm_error - where and why the assembler stopped */
struct rmt_asm_error {
	u32 line;
	u32 col;
	char msg[160];
};

int rmt_asm_parse(const char *text, struct rmt_bundle *b,
		  struct rmt_asm_error *err);
void rmt_bundle_release(struct rmt_bundle *b);

/* image_write.c */
void *rmt_image_write(const struct rmt_bundle *b, size_t *len);
int rmt_image_read_bundle(const void *buf, size_t len, struct rmt_bundle *b,
			  struct rmt_diag *diag);

#endif /* _RMT_ASM_H */
