// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test runs: a program, or a table as a hook would use it, run on given
 * input a number of times and timed.  The kernel's TEST_RUN, the debugfs
 * test image and rmtctl's embedded backend all run through here.
 */
#include "store.h"

/**
 * rmt_test_repeat() - run @prog, or @table, tr->repeat times
 * @prog: the program, or NULL to run @table
 * @table: the table (with @gen), when @prog is NULL
 * @gen: the generation to match entries in
 * @tr: input context, scratch and repeat; receives the outcome of the
 *	last run and the total time
 *
 * Every run starts from the same input context; context maps keep what
 * earlier runs stored, as they do between hook calls.  A failed run
 * stops the loop.
 */
void rmt_test_repeat(const struct rmt_prog *prog, struct rmt_table *table,
		     u64 gen, struct rmt_test_run *tr)
{
	struct rmt_run_ctx rc = { .ctx = tr->ctx, .scratch = tr->scratch };
	u64 t0 = rmt_ktime_ns();
	int ret = 0;
	u32 i;

	for (i = 0; i < tr->repeat && ret >= 0; i++) {
		memcpy(tr->ctx, tr->in, tr->nfields * sizeof(s64));
		rc.tail_calls = 0;
		rc.insns = 0;
		if (prog)
			ret = rmt_run(prog, &rc);
		else
			ret = rmt_table_exec(table, gen, &rc, &tr->entry);
		if (!(i & 1023))
			rmt_cond_resched();
	}
	tr->ns = rmt_ktime_ns() - t0;
	tr->runs = i;
	tr->r0 = rc.r0;
	tr->insns = rc.insns;
	tr->err = ret < 0 ? ret : 0;
	tr->ran = prog ? true : ret > 0;
}
