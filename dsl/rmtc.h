/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's entry points: source file to compiled policy, compiled policy
 * to verified policy, ELF object in and out, and verifier refusals back
 * to source locations.  rmtc (dsl/main.c) and rmtctl's policy commands
 * are thin layers over these.
 */
#ifndef _RMTC_H
#define _RMTC_H

#include <stdio.h>

#include "diag.h"
#include "policy.h"

/**
 * rmtc_compile_file() - compile a policy source file
 * @path: the .rmt file; its includes are resolved relative to it
 * @pol: receives the compiled policy (release with rmtc_policy_release())
 * @diags: receives every error found, located; rmtc_diags_init() first
 *
 * Runs scanner, parser, evaluate and lowering.  Does not run the
 * verifier: see rmtc_policy_check().
 *
 * Return: 0, or the number of errors (then @pol is empty).
 */
int rmtc_compile_file(const char *path, struct rmtc_policy *pol,
		      struct rmtc_diags *diags);

/* The same, from text in memory (@name is used in locations). */
int rmtc_compile_text(const char *name, const char *text,
		      struct rmtc_policy *pol, struct rmtc_diags *diags);

/**
 * rmtc_policy_check() - verify a compiled policy with the core's verifier
 * @pol: the policy; each program's cost and max_insns are filled in
 * @diags: receives the refusal, located at the source line of the
 *	instruction the verifier blamed
 *
 * Commits the policy to a private, empty store, exactly as the embedded
 * backend would, so every check the kernel makes is made here.
 *
 * Return: 0, or 1 if the policy was refused.
 */
int rmtc_policy_check(struct rmtc_policy *pol, struct rmtc_diags *diags);

/**
 * rmtc_policy_blame() - record a refusal of @pol at its source location
 * @pol: the policy that was committed
 * @op: index of the refused operation in @pol->ops
 * @insn: the instruction the verifier blamed, or -1
 * @msg: the refusal in words
 * @diags: receives it
 *
 * A program instruction maps to its line-table entry; any other
 * operation to the declaration of its object.  rmtctl uses this for
 * refusals from the kernel (RMT_CMD_ERROR's op and insn).
 */
void rmtc_policy_blame(const struct rmtc_policy *pol, u32 op, s32 insn,
		       const char *msg, struct rmtc_diags *diags);

/**
 * rmtc_policy_print_asm() - the policy as RMT assembly (rmtc -S)
 *
 * One program per action, with a comment naming each source line, in
 * the syntax lib/asm.c reads back.
 */
void rmtc_policy_print_asm(const struct rmtc_policy *pol, FILE *out);

/* dsl/object.c: the ELF relocatable object format (docs/dsl.md). */
int rmtc_object_write(const struct rmtc_policy *pol, const char *path,
		      char *err, size_t errlen);
int rmtc_object_read(const char *path, struct rmtc_policy *pol,
		     char *err, size_t errlen);
int rmtc_object_read_mem(const void *buf, size_t len, struct rmtc_policy *pol,
			 char *err, size_t errlen);

#endif /* _RMTC_H */
