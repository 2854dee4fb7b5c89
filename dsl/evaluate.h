/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmtc's semantic checks: names resolve, hooks and their context fields
 * exist, constants fold, types agree, loops have constant bounds, model
 * shapes fit.  Lowering may then assume a well-formed program.
 */
#ifndef _RMTC_EVALUATE_H
#define _RMTC_EVALUATE_H

#include "ast.h"

#define RMTC_MAX_ITEMS	256

/**
 * struct rmtc_program - the checked items of a policy
 * @consts: const items, with folded values in ->value
 * @ctxmaps, @models, @actions, @tables: the items of each kind
 */
struct rmtc_program {
	struct rmtc_node *consts[RMTC_MAX_ITEMS];
	struct rmtc_node *ctxmaps[RMTC_MAX_ITEMS];
	struct rmtc_node *models[RMTC_MAX_ITEMS];
	struct rmtc_node *actions[RMTC_MAX_ITEMS];
	struct rmtc_node *tables[RMTC_MAX_ITEMS];
	unsigned int nconsts, nctxmaps, nmodels, nactions, ntables;
};

struct rmt_hook_schema;
bool rmtc_builtin_const(const char *name, uint64_t *v);
int rmtc_field_range(const struct rmt_hook_schema *hook, const char *name,
		     bool array, unsigned int *len);

int rmtc_evaluate(struct rmtc_node *items, struct rmtc_program *prog,
		  struct rmtc_diags *diags);

#endif /* _RMTC_EVALUATE_H */
