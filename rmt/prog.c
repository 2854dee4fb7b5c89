// SPDX-License-Identifier: GPL-2.0-only
/*
 * Program objects: a private copy of verified instructions with what the
 * verifier proved about them.
 */
#include "core.h"

/**
 * rmt_prog_load() - verify instructions and keep a private copy
 * @insns: the program
 * @len: number of instructions
 * @env: hook, model, context maps and tail slots; must outlive the program
 * @budget: cost budget to verify against
 * @diag: receives the first rejection
 *
 * Return: the program, or NULL with @diag set.
 */
struct rmt_prog *rmt_prog_load(const struct rmt_insn *insns, u32 len,
			       const struct rmt_env *env, u64 budget,
			       struct rmt_diag *diag)
{
	struct rmt_verify_result res;
	struct rmt_prog *prog;

	if (rmt_verify(insns, len, env, budget, &res, diag))
		return NULL;
	prog = rmt_zalloc(sizeof(*prog));
	if (prog)
		prog->insns = rmt_zalloc(len * sizeof(*insns));
	if (!prog || !prog->insns) {
		rmt_free(prog);
		rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory");
		return NULL;
	}
	memcpy(prog->insns, insns, len * sizeof(*insns));
	prog->len = len;
	prog->env = env;
	prog->budget = budget;
	prog->cost = res.cost;
	prog->max_insns = res.max_insns;
	prog->scratch_size = res.scratch_size;
	prog->tier = RMT_JIT_INTERP;
	return prog;
}

void rmt_prog_free(struct rmt_prog *prog)
{
	if (!prog)
		return;
	rmt_prog_unjit(prog);
	rmt_free(prog->insns);
	rmt_free(prog);
}
