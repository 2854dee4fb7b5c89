// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the policy compiler rmtc (dsl/): an input is the
 * text of a policy, compiled with rmtc_compile_text() and, if that
 * succeeds, verified with rmtc_policy_check() as rmtc and rmtctl do.
 *
 * The compiler must not crash, hang or leak on any text, and what it
 * returns must be consistent:
 *
 *  - a compiled policy has one program for every RMT_CMD_PROG_NEW and
 *    one RMT_CMD_PROG_NEW for every program; each has 1 to
 *    RMT_MAX_INSNS instructions, each with a line-table entry of line
 *    1 or more in one of the policy's files;
 *  - compiling the same text again gives the same operations and
 *    instructions (nothing depends on uninitialised memory);
 *  - a verified policy's programs have a cost, within their budget;
 *  - the assembly listing (rmtc -S) can be printed;
 *  - a refused policy comes with diagnostics, each with a message and a
 *    line of 1 or more (unless the file itself could not be read), and
 *    an empty policy; the diagnostics print with their source quoted.
 *
 * Nothing is read from disk: the policy is named as if it lived under
 * /dev/null, which is not a directory, so every relative include or
 * weights file fails to open, and inputs that name an absolute path
 * (a string starting with '/') are skipped.
 */
#include <string.h>

#include "fuzz.h"
#include "rmtc.h"

/* A place no file can be: includes are resolved relative to it. */
#define FUZZ_RMTC_NAME	"/dev/null/fuzz.rmt"

/* The budget a program was verified against, as the store applies it. */
static u64 fuzz_rmtc_budget(const struct rmt_op *op)
{
	const struct rmt_hook_schema *hs = rmt_hook_schema(op->prog.hook);

	if (op->prog.has_budget)
		return op->prog.budget;
	return hs ? hs->budget : 0;
}

/* Operations, programs and line tables of a freshly compiled policy. */
static void fuzz_rmtc_check_policy(const struct rmtc_policy *pol)
{
	u32 i, j, nprog_ops = 0;

	/* files are named as instructions need them; no include can be read */
	FUZZ_CHECK(pol->nfiles <= 1 && (pol->nfiles || !pol->nprogs),
		   "%u files for %u programs", pol->nfiles, pol->nprogs);
	FUZZ_CHECK(!pol->nfiles || !strcmp(pol->files[0], FUZZ_RMTC_NAME),
		   "file 0 is '%s'", pol->files[0]);
	for (i = 0; i < pol->nops; i++) {
		const struct rmt_op *op = &pol->ops[i];
		const struct rmtc_prog_info *pi;

		if (op->cmd != RMT_CMD_PROG_NEW)
			continue;
		nprog_ops++;
		pi = rmtc_policy_prog(pol, i);
		FUZZ_CHECK(pi, "op %u (action '%s') has no program info", i, op->name);
		FUZZ_CHECK(op->prog.len >= 1 && op->prog.len <= RMT_MAX_INSNS,
			   "action '%s' has %u instructions", op->name, op->prog.len);
		FUZZ_CHECK(op->prog.insns && pi->lines, "action '%s' has no %s",
			   op->name, op->prog.insns ? "line table" : "instructions");
		FUZZ_CHECK(rmt_hook_schema(op->prog.hook), "action '%s' at hook %u",
			   op->name, op->prog.hook);
		for (j = 0; j < op->prog.len; j++)
			FUZZ_CHECK(pi->lines[j].line >= 1 &&
				   pi->lines[j].file < pol->nfiles,
				   "action '%s' insn %u: line %u of file %u (of %u)",
				   op->name, j, pi->lines[j].line, pi->lines[j].file,
				   pol->nfiles);
	}
	FUZZ_CHECK(nprog_ops == pol->nprogs, "%u program operations, %u programs",
		   nprog_ops, pol->nprogs);
	for (i = 0; i < pol->nprogs; i++)
		FUZZ_CHECK(pol->progs[i].op < pol->nops &&
			   pol->ops[pol->progs[i].op].cmd == RMT_CMD_PROG_NEW,
			   "program %u names op %u", i, pol->progs[i].op);
}

/* The same text compiles to the same bytes. */
static void fuzz_rmtc_check_again(const char *text, const struct rmtc_policy *pol)
{
	struct rmtc_diags *ds = calloc(1, sizeof(*ds));
	struct rmtc_policy again;
	u32 i;

	if (!ds)
		abort();
	FUZZ_CHECK(!rmtc_compile_text(FUZZ_RMTC_NAME, text, &again, ds),
		   "compiles once, then fails: %s", ds->n ? ds->d[0].msg : "?");
	FUZZ_CHECK(again.nops == pol->nops && again.nprogs == pol->nprogs,
		   "%u ops and %u programs, then %u and %u", pol->nops,
		   pol->nprogs, again.nops, again.nprogs);
	for (i = 0; i < pol->nops; i++) {
		const struct rmt_op *a = &pol->ops[i], *b = &again.ops[i];

		FUZZ_CHECK(a->cmd == b->cmd && !strcmp(a->name, b->name),
			   "op %u: %u '%s', then %u '%s'", i, a->cmd, a->name,
			   b->cmd, b->name);
		if (a->cmd != RMT_CMD_PROG_NEW)
			continue;
		FUZZ_CHECK(a->prog.len == b->prog.len &&
			   !memcmp(a->prog.insns, b->prog.insns,
				   a->prog.len * sizeof(*a->prog.insns)),
			   "action '%s' compiles to different code", a->name);
	}
	rmtc_policy_release(&again);
	rmtc_diags_release(ds);
	free(ds);
}

/* After rmtc_policy_check(): costs, and the listing. */
static void fuzz_rmtc_check_verified(const struct rmtc_policy *pol)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	u32 i;

	for (i = 0; i < pol->nprogs; i++) {
		const struct rmtc_prog_info *pi = &pol->progs[i];
		const struct rmt_op *op = &pol->ops[pi->op];

		FUZZ_CHECK(pi->cost >= 1 && pi->cost <= fuzz_rmtc_budget(op),
			   "action '%s': cost %llu, budget %llu", op->name,
			   (unsigned long long)pi->cost,
			   (unsigned long long)fuzz_rmtc_budget(op));
		FUZZ_CHECK(pi->max_insns >= 1, "action '%s': bound %llu", op->name,
			   (unsigned long long)pi->max_insns);
	}
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	rmtc_policy_print_asm(pol, f);
	FUZZ_CHECK(!ferror(f) && !fclose(f), "printing the listing fails");
	FUZZ_CHECK(len > 0 && strlen(buf) == len, "listing of %zu bytes", len);
	free(buf);
}

/* A refusal: located diagnostics, which print; nothing compiled. */
static void fuzz_rmtc_check_diags(const struct rmtc_diags *ds)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	u32 i;

	FUZZ_CHECK(ds->n > 0, "refused without a diagnostic");
	for (i = 0; i < ds->n; i++) {
		const struct rmtc_diag *d = &ds->d[i];

		FUZZ_CHECK(d->msg[0], "diagnostic %u has no message", i);
		FUZZ_CHECK(memchr(d->msg, 0, sizeof(d->msg)),
			   "diagnostic %u is not terminated", i);
		FUZZ_CHECK(d->loc.line >= 1 || strstr(d->msg, "cannot read"),
			   "diagnostic %u at line 0: %s", i, d->msg);
	}
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	rmtc_diags_print(ds, f);
	FUZZ_CHECK(!ferror(f) && !fclose(f), "printing the diagnostics fails");
	FUZZ_CHECK(len > 0, "diagnostics print as nothing");
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rmtc_diags *ds;
	struct rmtc_policy pol;
	char *text;
	int n;

	/* Text only, and no absolute path for an include or weights file. */
	if (memchr(data, '\0', size) || memmem(data, size, "\"/", 2))
		return -1;
	text = malloc(size + 1);
	ds = calloc(1, sizeof(*ds));
	if (!text || !ds)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	n = rmtc_compile_text(FUZZ_RMTC_NAME, text, &pol, ds);
	if (n) {
		FUZZ_CHECK(!pol.nops && !pol.nprogs && !pol.ops,
			   "%d errors, and a policy of %u ops", n, pol.nops);
		FUZZ_CHECK(n == (int)(ds->n + ds->dropped), "%d errors, %u diagnostics",
			   n, ds->n + ds->dropped);
		fuzz_rmtc_check_diags(ds);
	} else {
		FUZZ_CHECK(!ds->n && !ds->dropped, "compiled with %u diagnostics: %s",
			   ds->n, ds->n ? ds->d[0].msg : "");
		fuzz_rmtc_check_policy(&pol);
		fuzz_rmtc_check_again(text, &pol);
		if (rmtc_policy_check(&pol, ds))
			fuzz_rmtc_check_diags(ds);
		else
			fuzz_rmtc_check_verified(&pol);
	}
	rmtc_policy_release(&pol);
	rmtc_diags_release(ds);
	free(ds);
	free(text);
	return 0;
}
