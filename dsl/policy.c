// SPDX-License-Identifier: GPL-2.0-only
/* A compiled policy: building it up and releasing it. */
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/**
 * rmtc_policy_add_op() - append a zeroed operation
 * @p: the policy
 * @cmd: RMT_CMD_*_NEW
 * @name: the object's name (the table's, for an entry)
 *
 * Return: the new operation; valid until the next call.
 */
struct rmt_op *rmtc_policy_add_op(struct rmtc_policy *p, u32 cmd,
				  const char *name)
{
	u32 n = p->nops, cap = n ? 2 * n : 16;
	bool grow = n >= 16 ? !(n & (n - 1)) : !n;	/* doubles at 16, 32, ... */
	struct rmt_op *ops = grow ? realloc(p->ops, cap * sizeof(*ops)) : p->ops;
	struct rmtc_line *decls = grow ? realloc(p->decls, cap * sizeof(*decls)) :
				  p->decls;
	struct rmt_op *op;

	if (!ops || !decls)
		abort();
	p->ops = ops;
	p->decls = decls;
	memset(&decls[p->nops], 0, sizeof(*decls));
	op = &ops[p->nops++];
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	snprintf(op->name, sizeof(op->name), "%s", name);
	return op;
}

/**
 * rmtc_policy_prog() - the side information of a program operation
 * @p: the policy
 * @op: index of a RMT_CMD_PROG_NEW in @p->ops
 *
 * Return: its info, or NULL if @op is not a program of @p.
 */
const struct rmtc_prog_info *rmtc_policy_prog(const struct rmtc_policy *p,
					      u32 op)
{
	u32 i;

	for (i = 0; i < p->nprogs; i++)
		if (p->progs[i].op == op)
			return &p->progs[i];
	return NULL;
}

/**
 * rmtc_policy_release() - free everything a policy owns
 * @p: the policy; zeroed afterwards
 */
void rmtc_policy_release(struct rmtc_policy *p)
{
	u32 i;

	for (i = 0; i < p->nops; i++) {
		if (p->ops[i].cmd == RMT_CMD_PROG_NEW)
			free((void *)p->ops[i].prog.insns);
		else if (p->ops[i].cmd == RMT_CMD_MODEL_NEW)
			free((void *)p->ops[i].model.blob);
	}
	for (i = 0; i < p->nprogs; i++)
		free(p->progs[i].lines);
	for (i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->ops);
	free(p->decls);
	free(p->progs);
	memset(p, 0, sizeof(*p));
}
