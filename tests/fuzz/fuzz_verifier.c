// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the verifier and the interpreter.
 *
 * An input is a struct fuzz_hdr choosing the environment (model, context
 * maps, tail-call slots, budget, context values) followed by raw
 * instructions.  Whatever the bytes, rmt_prog_load() must either reject
 * them with a well-formed diagnostic or admit a program that, run on any
 * context, stays inside its scratch, context and parameter arrays (ASan
 * sees each at its exact size), finishes within the verifier's
 * instruction bound, leaves no trace of the scratch bytes it was not
 * given and does not depend on their stale contents.  A shadow
 * interpreter (fuzz_shadow.c) runs it again, checking every register
 * against the range the verifier computed for it.
 *
 * The environment, the context values and the structure-aware mutator
 * are fuzz_prog.c's, shared with fuzz_jit.
 */
#include "fuzz.h"

/*
 * Programs whose worst case (instructions plus multiply-accumulates) is
 * larger are verified but not run: only FUZZ_F_UNBOUNDED admits them.
 */
#define FUZZ_MAX_RUN_COST	(16ULL << 20)
#define FUZZ_CANARY_A		0xa5
#define FUZZ_CANARY_B		0x5a

/* What the verifier proved about an admitted program, checked as a whole. */
static void fuzz_check_admitted(const struct rmt_prog *prog,
				const struct rmt_insn *insns, u32 len,
				struct fuzz_env *fe)
{
	char buf[96];
	u32 i;
	int n;

	FUZZ_CHECK(prog->len == len && len >= 1 && len <= RMT_MAX_INSNS,
		   "len %u of %u", prog->len, len);
	FUZZ_CHECK(!memcmp(prog->insns, insns, len * sizeof(*insns)),
		   "instructions changed");
	FUZZ_CHECK(insns[len - 1].code == RMT_OP_EXIT, "no final exit");
	FUZZ_CHECK(prog->cost <= fe->budget, "cost %llu over budget %llu",
		   (unsigned long long)prog->cost,
		   (unsigned long long)fe->budget);
	FUZZ_CHECK(prog->max_insns >= 1 && prog->max_insns <= prog->cost,
		   "max_insns %llu, cost %llu",
		   (unsigned long long)prog->max_insns,
		   (unsigned long long)prog->cost);
	FUZZ_CHECK(prog->scratch_size <= RMT_SCRATCH_SIZE &&
		   prog->scratch_size % 8 == 0, "scratch_size %u",
		   prog->scratch_size);
	for (i = 0; i < len; i++) {
		n = rmt_disasm_insn(&insns[i], buf, sizeof(buf));
		FUZZ_CHECK(n > 0 && n < (int)sizeof(buf) && !strstr(buf, ".raw"),
			   "insn %u disassembles as '%s'", i, buf);
	}
}

struct fuzz_outcome {
	s64 r0;
	u64 insns;
	u32 tail_calls;
	s64 ctx[RMT_TEST_CTX_FIELDS];
};

/* Buffers of a run, each exactly sized so that ASan sees any overrun. */
struct fuzz_io {
	s64 *ctx;
	u8 *scratch;
	s64 *params;
	u32 nparams;
};

/* Action parameters for CALL param: 0 to RMT_MAX_PARAMS of them. */
static void fuzz_io_alloc(struct fuzz_io *io, const struct fuzz_hdr *h)
{
	u32 i;

	io->ctx = malloc(RMT_TEST_CTX_FIELDS * sizeof(*io->ctx));
	io->scratch = malloc(RMT_SCRATCH_SIZE);
	io->nparams = fuzz_nparams(h);
	io->params = malloc(io->nparams * sizeof(*io->params) + !io->nparams);
	FUZZ_CHECK(io->ctx && io->scratch && io->params, "out of memory");
	for (i = 0; i < io->nparams; i++)
		io->params[i] = fuzz_param(h, i);
}

static void fuzz_io_free(struct fuzz_io *io)
{
	free(io->ctx);
	free(io->scratch);
	free(io->params);
}

static struct rmt_run_ctx fuzz_io_rc(const struct fuzz_io *io)
{
	return (struct rmt_run_ctx){
		.ctx = io->ctx, .scratch = io->scratch,
		.params = io->params, .nparams = io->nparams,
	};
}

/*
 * One run with the scratch pre-filled with @canary.  The interpreter
 * zeroes only the extent the verifier computed, so any byte beyond it
 * must come back untouched.
 */
static void fuzz_run_once(const struct rmt_prog *prog, struct fuzz_env *fe,
			  struct fuzz_io *io, u8 canary,
			  struct fuzz_outcome *out)
{
	struct rmt_run_ctx rc = fuzz_io_rc(io);
	u32 i;
	int err;

	memset(out, 0, sizeof(*out));	/* compared with memcmp() */
	memset(io->scratch, canary, RMT_SCRATCH_SIZE);
	err = rmt_run(prog, &rc);
	FUZZ_CHECK(err == 0, "rmt_run returned %d after %llu insns (bound %llu)",
		   err, (unsigned long long)rc.insns,
		   (unsigned long long)prog->max_insns);
	FUZZ_CHECK(rc.insns >= 1 && rc.insns <= fe->bound,
		   "%llu insns executed, bound %llu",
		   (unsigned long long)rc.insns, (unsigned long long)fe->bound);
	FUZZ_CHECK(rc.tail_calls <= RMT_MAX_TAIL_CALLS &&
		   (fe->env.ntail || !rc.tail_calls), "%u tail calls",
		   rc.tail_calls);
	for (i = fe->extent; i < RMT_SCRATCH_SIZE; i++)
		FUZZ_CHECK(io->scratch[i] == canary,
			   "scratch byte %u written, extent %u", i, fe->extent);
	out->r0 = rc.r0;
	out->insns = rc.insns;
	out->tail_calls = rc.tail_calls;
	memcpy(out->ctx, io->ctx, sizeof(out->ctx));
}

/*
 * The shadow interpreter on the same input checks the verifier's ranges
 * as it goes; where nothing differs between the two runs (no clock or
 * random helper, no tail call) it must also end exactly as rmt_run did.
 */
static void fuzz_run_shadow(struct fuzz_shadow *sh, const struct fuzz_env *fe,
			    struct fuzz_io *io, const s64 *input,
			    const struct fuzz_outcome *a)
{
	struct rmt_run_ctx rc = fuzz_io_rc(io);

	memcpy(io->ctx, input, RMT_TEST_CTX_FIELDS * sizeof(*input));
	memset(io->scratch, FUZZ_CANARY_A, RMT_SCRATCH_SIZE);
	if (!fuzz_shadow_run(sh, &rc) || !fe->pure_helpers)
		return;
	FUZZ_CHECK(rc.r0 == a->r0 && rc.insns == a->insns &&
		   !memcmp(io->ctx, a->ctx, sizeof(a->ctx)),
		   "interpreter and shadow differ: r0 %lld/%lld insns %llu/%llu",
		   (long long)a->r0, (long long)rc.r0,
		   (unsigned long long)a->insns, (unsigned long long)rc.insns);
}

static void fuzz_run(const struct rmt_prog *prog, struct fuzz_env *fe,
		     const struct fuzz_hdr *h)
{
	struct fuzz_shadow *sh = fuzz_shadow_new(prog);
	s64 input[RMT_TEST_CTX_FIELDS];
	struct fuzz_outcome a, b;
	struct fuzz_hints hints;
	struct fuzz_io io, shadow_io;
	u32 run, nruns = 1 + (h->nruns & 3);

	fuzz_io_alloc(&io, h);
	fuzz_io_alloc(&shadow_io, h);
	fuzz_collect_hints(prog, &hints);
	for (run = 0; run < nruns; run++) {
		fuzz_fill_ctx(input, h, &hints, run);
		memcpy(io.ctx, input, sizeof(input));
		fuzz_run_once(prog, fe, &io, FUZZ_CANARY_A, &a);
		fuzz_run_shadow(sh, fe, &shadow_io, input, &a);
		if (!fe->deterministic)
			continue;
		/* Same input, other stale scratch: same result. */
		memcpy(io.ctx, input, sizeof(input));
		fuzz_run_once(prog, fe, &io, FUZZ_CANARY_B, &b);
		FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)),
			   "result depends on stale scratch: r0 %lld/%lld insns %llu/%llu",
			   (long long)a.r0, (long long)b.r0,
			   (unsigned long long)a.insns,
			   (unsigned long long)b.insns);
	}
	fuzz_io_free(&io);
	fuzz_io_free(&shadow_io);
	fuzz_shadow_free(sh);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_hdr h = { 0 };
	struct rmt_insn *insns;
	struct rmt_prog *prog;
	struct rmt_diag diag;
	struct fuzz_env fe;
	u32 len;

	if (size < sizeof(h))
		return -1;	/* not added to the corpus */
	memcpy(&h, data, sizeof(h));
	fuzz_env_setup(&fe, &h);
	insns = fuzz_program(&h, data + sizeof(h), size - sizeof(h), &len);
	rmt_diag_clear(&diag);
	prog = rmt_prog_load(insns, len, &fe.env, fe.budget, &diag);
	if (!prog) {
		fuzz_check_diag(&diag, len);
	} else {
		FUZZ_CHECK(diag.code == RMT_OK, "admitted with diag %s: %s",
			   rmt_diag_name(diag.code), diag.msg);
		fuzz_check_admitted(prog, insns, len, &fe);
		fuzz_run_limits(prog, &fe);
		if (fe.cost <= FUZZ_MAX_RUN_COST)
			fuzz_run(prog, &fe, &h);
		rmt_prog_free(prog);
	}
	free(insns);
	fuzz_env_release(&fe);
	return 0;
}
