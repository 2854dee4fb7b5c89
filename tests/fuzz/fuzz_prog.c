// SPDX-License-Identifier: GPL-2.0-only
/*
 * The inputs fuzz_verifier and fuzz_jit share: a struct fuzz_hdr
 * choosing the environment (model, context maps, tail-call slots,
 * budget, context values) followed by raw instructions; the context
 * values and action parameters of the runs; and the structure-aware
 * mutator, which both targets use.
 *
 * Context values are drawn from boundary values and from the program's
 * own immediates and offsets, one either side, since a wrong bound only
 * shows for the values that cross it.  The mutator (below) edits whole
 * instructions, keeping the fields an opcode's format does not name at
 * zero, so that a useful share of the inputs get past the structural
 * checks into the dataflow and cost passes, and then into the
 * interpreter and the JIT.
 */
#include "fuzz.h"
#include "insn.h"

#define FUZZ_NR_TAIL		2

size_t LLVMFuzzerMutate(u8 *data, size_t size, size_t max_size);

/* Slot 0 bumps f0 and returns; slot 1 also uses scratch and calls itself. */
static const struct rmt_insn fuzz_tail0[] = {
	RMT_LDF(0, 0), RMT_ALU_I(ADD, 0, 1), RMT_STF(0, 0), RMT_EXIT(),
};

static const struct rmt_insn fuzz_tail1[] = {
	RMT_LOOP(1, 40, 1), RMT_STX(B, 1, 1, 600), RMT_ENDLOOP(1, 40, 1),
	RMT_LDF(0, 1), RMT_ALU_I(ADD, 0, 1), RMT_STF(1, 0),
	RMT_TAIL_CALL(1), RMT_EXIT(),
};

static const struct {
	const struct rmt_insn *insns;
	u32 len;
} fuzz_tails[FUZZ_NR_TAIL] = {
	{ fuzz_tail0, ARRAY_SIZE(fuzz_tail0) },
	{ fuzz_tail1, ARRAY_SIZE(fuzz_tail1) },
};

/* fuzz_model_blob_full(), loaded once: read-only, shared by every input. */
static struct rmt_model *fuzz_model;

static void fuzz_load_model(void)
{
	struct rmt_diag diag;
	void *blob;
	u32 len;

	if (fuzz_model)
		return;
	rmt_diag_clear(&diag);
	blob = fuzz_model_blob_full(&len);
	FUZZ_CHECK(blob, "out of memory");
	fuzz_model = rmt_model_load(blob, len, &diag);
	FUZZ_CHECK(fuzz_model, "fixed model rejected: %s", diag.msg);
	rmt_free(blob);
}

/* Frees the maps and tail programs of fuzz_env_setup(); not the model. */
void fuzz_env_release(struct fuzz_env *fe)
{
	u32 i;

	for (i = 0; i < fe->env.nmaps; i++)
		rmt_ctxmap_free(fe->env.maps[i]);
	for (i = 0; i < fe->env.ntail; i++)
		rmt_prog_free(fe->env.tail[i]);
}

static void fuzz_env_maps(struct fuzz_env *fe, const struct fuzz_hdr *h)
{
	u32 nmaps = min((h->flags >> FUZZ_F_NMAPS_SHIFT) & 3u, 2u), i;
	struct rmt_diag diag;

	for (i = 0; i < nmaps; i++) {
		struct rmt_ctxmap_desc d = {
			.nvals = h->map[i] & 15,
			.hist_len = (h->map[i] >> 4) * 4,
			.max_entries = 1u << (((h->entries >> (4 * i)) & 15) % 10),
			.key_kind = i + 1,
		};

		rmt_diag_clear(&diag);
		fe->env.maps[i] = rmt_ctxmap_create(&d, &diag);
		FUZZ_CHECK(fe->env.maps[i], "valid map rejected: %s", diag.msg);
		fe->env.nmaps++;
	}
}

/* The tail programs are fixed, so they are verified with a fixed budget. */
static void fuzz_env_tails(struct fuzz_env *fe, const struct fuzz_hdr *h)
{
	u32 ntail = min((h->flags >> FUZZ_F_NTAIL_SHIFT) & 3u, 2u), i;
	u64 budget = fe->env.hook->budget;
	struct rmt_diag diag;

	/* Slots must exist while the programs naming them are verified. */
	fe->env.ntail = ntail;
	for (i = 0; i < ntail; i++) {
		struct rmt_prog *p;

		rmt_diag_clear(&diag);
		p = rmt_prog_load(fuzz_tails[i].insns, fuzz_tails[i].len,
				  &fe->env, budget, &diag);
		FUZZ_CHECK(p, "tail program %u rejected: %s", i, diag.msg);
		fe->env.tail[i] = p;
	}
}

/**
 * fuzz_env_setup() - the environment an input's header describes
 * @fe: receives the environment and the entry program's budget
 * @h: the header
 *
 * The fixed model (if FUZZ_F_MODEL), up to two fresh context maps and
 * up to two verified tail programs.  Undo with fuzz_env_release().
 */
void fuzz_env_setup(struct fuzz_env *fe, const struct fuzz_hdr *h)
{
	fuzz_load_model();
	memset(fe, 0, sizeof(*fe));
	fe->env.hook = rmt_hook_schema(RMT_HOOK_TEST);
	if (h->flags & FUZZ_F_MODEL)
		fe->env.model = fuzz_model;
	fuzz_env_maps(fe, h);
	fuzz_env_tails(fe, h);
	if (h->flags & FUZZ_F_UNBOUNDED)
		fe->budget = U64_MAX;
	else if (h->budget)
		fe->budget = (u64)h->budget * 16;
	else
		fe->budget = fe->env.hook->budget;
}

/* Instructions from the input, maybe padded at the front (FUZZ_F_STRETCH). */
struct rmt_insn *fuzz_program(const struct fuzz_hdr *h, const u8 *data,
			      size_t size, u32 *len)
{
	u32 n = min_t(size_t, size / sizeof(struct rmt_insn), RMT_MAX_INSNS + 1);
	u32 pad = 0, i;
	struct rmt_insn *insns;

	if (h->flags & FUZZ_F_STRETCH) {
		u32 want = min(RMT_MAX_INSNS - 1 + (h->stretch & 3),
			       RMT_MAX_INSNS + 1);

		if (want > n)
			pad = want - n;
	}
	/* Exactly sized, so that a verifier over-read is an ASan report. */
	insns = malloc((pad + n) * sizeof(*insns) + !(pad + n));
	FUZZ_CHECK(insns, "out of memory");
	for (i = 0; i < pad; i++)
		insns[i] = RMT_MOV_I(10, i);
	memcpy(insns + pad, data, n * sizeof(*insns));
	*len = pad + n;
	return insns;
}

/* splitmix64: the values of a run from the input's seed. */
u64 fuzz_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Boundary values of the scratch, the ML types and the registers. */
static const s64 fuzz_values[16] = {
	0, 1, 2, 3, 7, 8, 64, 127, 128, 255, 4088, 4095, 4096, 65536,
	S32_MAX, S64_MAX,
};

static void fuzz_hint(struct fuzz_hints *fh, s64 v)
{
	if (fh->n < FUZZ_MAX_HINTS)
		fh->v[fh->n++] = v;
}

void fuzz_collect_hints(const struct rmt_prog *prog, struct fuzz_hints *fh)
{
	u32 i;

	fh->n = 0;
	for (i = 0; i < prog->len; i++) {
		const struct rmt_insn *insn = &prog->insns[i];
		u8 code = insn->code;

		if ((code >= RMT_OP_ADD_I && code <= RMT_OP_MOV_I && !(code & 1)) ||
		    (code >= RMT_OP_JEQ_I && code <= RMT_OP_JSET_I && !(code & 1)))
			fuzz_hint(fh, insn->imm);
		else if (code >= RMT_OP_LDXB && code <= RMT_OP_STDW)
			fuzz_hint(fh, RMT_SCRATCH_SIZE - insn->off -
				  (1 << ((code - RMT_OP_LDXB) & 3)));
	}
}

/**
 * fuzz_fill_ctx() - the context fields of one run
 * @ctx: receives RMT_TEST_CTX_FIELDS values
 * @h: the input's header, whose seed they derive from
 * @fh: the program's hints (fuzz_collect_hints())
 * @run: which run: each gets other values from the same input
 */
void fuzz_fill_ctx(s64 *ctx, const struct fuzz_hdr *h,
		   const struct fuzz_hints *fh, u32 run)
{
	u64 seed, v;
	u32 f;

	memcpy(&seed, h->ctx_seed, sizeof(seed));
	for (f = 0; f < RMT_TEST_CTX_FIELDS; f++) {
		v = fuzz_mix(seed + run * RMT_TEST_CTX_FIELDS + f);
		switch (v & 7) {
		case 0:
			ctx[f] = fuzz_values[(v >> 3) & 15];
			if (v & 0x80)
				ctx[f] = -ctx[f];
			break;
		case 1:
			ctx[f] = (v >> 8) & 0x1fff;
			break;
		case 2:
			ctx[f] = (s64)v;
			break;
		case 3:		/* a byte the input controls directly */
			ctx[f] = (s8)h->ctx_seed[f & 7];
			break;
		default:	/* a hint, or one off it */
			ctx[f] = fh->n ? fh->v[(v >> 8) % fh->n] : 0;
			ctx[f] += (s64)((v >> 3) % 3) - 1;
		}
	}
}

/* No clock or random helper: the same input always gives the same run. */
bool fuzz_prog_pure(const struct rmt_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->len; i++) {
		const struct rmt_insn *insn = &prog->insns[i];

		if (insn->code == RMT_OP_CALL && (insn->imm == RMT_FN_KTIME_NS ||
						  insn->imm == RMT_FN_PRANDOM))
			return false;
	}
	return true;
}

/* Action parameters for CALL param: 0 to RMT_MAX_PARAMS of them. */
u32 fuzz_nparams(const struct fuzz_hdr *h)
{
	return (h->nruns >> 2) % (RMT_MAX_PARAMS + 1);
}

s64 fuzz_param(const struct fuzz_hdr *h, u32 i)
{
	u64 seed;

	memcpy(&seed, h->ctx_seed, sizeof(seed));
	return (s64)(fuzz_mix(seed + 0x1000 + i) % 8192) - 64;
}

/* Chain bound: the entry program, then up to RMT_MAX_TAIL_CALLS tails. */
void fuzz_run_limits(const struct rmt_prog *prog, struct fuzz_env *fe)
{
	u64 tail_max = 0, tail_cost = 0;
	u32 i;

	fe->extent = prog->scratch_size;
	fe->pure_helpers = fuzz_prog_pure(prog);
	fe->deterministic = fe->pure_helpers && !fe->env.nmaps;
	for (i = 0; i < fe->env.ntail; i++) {
		tail_max = max(tail_max, fe->env.tail[i]->max_insns);
		tail_cost = max(tail_cost, fe->env.tail[i]->cost);
		fe->extent = max(fe->extent, fe->env.tail[i]->scratch_size);
	}
	/* The tails are small and fixed; only the entry program can be huge. */
	if (prog->cost > U64_MAX / 2) {
		fe->bound = fe->cost = U64_MAX;
		return;
	}
	fe->bound = prog->max_insns + RMT_MAX_TAIL_CALLS * tail_max;
	fe->cost = prog->cost + RMT_MAX_TAIL_CALLS * tail_cost;
}

/* ---- structure-aware mutation ---- */

static u32 fuzz_rand(u64 *state)
{
	*state = fuzz_mix(*state);
	return (u32)(*state >> 32);
}

/* Opcodes of the ISA, collected once from the core's table. */
static u8 fuzz_opcodes[256];
static u32 fuzz_nr_opcodes;

static u8 fuzz_pick_opcode(u64 *rng)
{
	u32 c;

	if (!fuzz_nr_opcodes)
		for (c = 1; c < 256; c++)
			if (rmt_op_info[c].name)
				fuzz_opcodes[fuzz_nr_opcodes++] = c;
	return fuzz_opcodes[fuzz_rand(rng) % fuzz_nr_opcodes];
}

static u32 fuzz_pick_reg(u64 *rng)
{
	u32 r = fuzz_rand(rng) % 13;

	return r < RMT_NR_REGS ? r : RMT_REG_NONE;
}

/* Small numbers, boundary values and packed ML operands, mostly valid. */
static s32 fuzz_pick_imm(u64 *rng)
{
	u32 r = fuzz_rand(rng);

	switch (r & 7) {
	case 0:
		return (s32)fuzz_values[(r >> 3) & 15];
	case 1:
		return -(s32)((r >> 3) & 63);
	case 2:
		return (s32)r;
	case 3:
		return RMT_IMM_PACK8((r >> 3) & 31, (r >> 8) & 31,
				     (r >> 13) & 3, 1 + ((r >> 15) % 4));
	case 4:
		return RMT_IMM_PACK16((r >> 3) & 0x1f8,
				      (r >> 12) % (FUZZ_NR_TENSORS_FULL + 2));
	default:
		return (r >> 3) & 15;
	}
}

static s16 fuzz_pick_off(u64 *rng)
{
	u32 r = fuzz_rand(rng);

	switch (r & 3) {
	case 0:
		return (s16)((r >> 2) & 7);		/* jumps, fields */
	case 1:
		return (s16)(((r >> 2) & 127) * 8);	/* aligned scratch */
	case 2:
		return (s16)fuzz_values[(r >> 2) & 15];
	default:
		return (s16)-(s16)((r >> 2) & 7);	/* history slots */
	}
}

/* Random operands, with fields the format does not name left at zero. */
static struct rmt_insn fuzz_random_insn(u64 *rng)
{
	struct rmt_insn insn = { .code = fuzz_pick_opcode(rng) };
	struct rmt_fmt_use use;

	rmt_fmt_usage(rmt_op_info[insn.code].fmt, &use);
	insn.regs = RMT_REGS(use.dst ? fuzz_pick_reg(rng) : 0,
			     use.src ? fuzz_pick_reg(rng) : 0);
	insn.off = use.off ? fuzz_pick_off(rng) : 0;
	insn.imm = (s32)((u32)fuzz_pick_imm(rng) & use.imm_mask);
	return insn;
}

/* Replace one operand of an instruction, keeping the others. */
static void fuzz_tweak_insn(struct rmt_insn *insn, u64 *rng)
{
	switch (fuzz_rand(rng) % 4) {
	case 0:
		insn->regs = RMT_REGS(fuzz_pick_reg(rng), RMT_INSN_SRC(insn));
		break;
	case 1:
		insn->regs = RMT_REGS(RMT_INSN_DST(insn), fuzz_pick_reg(rng));
		break;
	case 2:
		insn->off = fuzz_pick_off(rng);
		break;
	default:
		insn->imm = fuzz_pick_imm(rng);
	}
}

/* Wrap insns [p, q] in a LOOP/ENDLOOP pair; needs two free slots. */
static void fuzz_wrap_loop(struct rmt_insn *insns, u32 n, u32 p, u32 q,
			   u64 *rng)
{
	u32 reg = fuzz_rand(rng) % RMT_NR_REGS;
	s32 trips = 1 + fuzz_rand(rng) % (fuzz_rand(rng) & 1 ? 8 : 300);
	u32 body = q - p + 1;

	memmove(&insns[q + 3], &insns[q + 1], (n - q - 1) * sizeof(*insns));
	memmove(&insns[p + 1], &insns[p], body * sizeof(*insns));
	insns[p] = RMT_LOOP(reg, trips, body);
	insns[q + 2] = RMT_ENDLOOP(reg, trips, body);
}

/*
 * A register with a bounded but unknown value, the raw material of
 * range analysis: a masked context field, or a scratch load.
 */
static u32 fuzz_bounded_reg(struct rmt_insn *out, u64 *rng)
{
	static const s32 masks[] = { 1, 7, 0xff, 0x3f8, 0xfff, 0x1fff };
	u32 reg = fuzz_rand(rng) % RMT_NR_REGS, r = fuzz_rand(rng);

	if (r & 1) {
		out[0] = RMT_LDF(reg, (r >> 1) % RMT_TEST_CTX_FIELDS);
		out[1] = RMT_ALU_I(AND, reg, masks[(r >> 8) % ARRAY_SIZE(masks)]);
		return 2;
	}
	out[0] = RMT_INSN(RMT_OP_LDXB + ((r >> 1) & 3), reg, RMT_REG_NONE,
			  ((r >> 3) & 63) * 8, 0);
	return 1;
}

/* Insert @k instructions from @add before @p. */
static u32 fuzz_insert(struct rmt_insn *insns, u32 n, u32 max_n, u32 p,
		       const struct rmt_insn *add, u32 k)
{
	if (n + k > max_n)
		return n;
	memmove(&insns[p + k], &insns[p], (n - p) * sizeof(*insns));
	memcpy(&insns[p], add, k * sizeof(*insns));
	return n + k;
}

static size_t fuzz_mutate_insns(struct rmt_insn *insns, u32 n, u32 max_n,
				u64 *rng)
{
	u32 p = fuzz_rand(rng) % n, q = p + fuzz_rand(rng) % (n - p);
	struct rmt_insn add[2];

	switch (fuzz_rand(rng) % 8) {
	case 7:
		return fuzz_insert(insns, n, max_n, p, add,
				   fuzz_bounded_reg(add, rng));
	case 0:
		insns[p] = fuzz_random_insn(rng);
		break;
	case 1:
		fuzz_tweak_insn(&insns[p], rng);
		break;
	case 2:
		add[0] = fuzz_random_insn(rng);
		return fuzz_insert(insns, n, max_n, p, add, 1);
	case 3:		/* delete p */
		if (n == 1)
			return n;
		memmove(&insns[p], &insns[p + 1], (n - p - 1) * sizeof(*insns));
		return n - 1;
	case 4:		/* copy q over p, e.g. a loop header */
		insns[p] = insns[fuzz_rand(rng) % n];
		break;
	case 5:
		if (n + 2 > max_n || q == n - 1)
			return n;
		fuzz_wrap_loop(insns, n, p, q, rng);
		return n + 2;
	default:	/* most programs die for want of a final exit */
		insns[n - 1] = RMT_EXIT();
	}
	return n;
}

size_t LLVMFuzzerCustomMutator(u8 *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	size_t hdr = sizeof(struct fuzz_hdr), n, max_n;
	u64 rng = seed;
	struct rmt_insn *insns;

	if (size < hdr + sizeof(*insns) || max_size < size ||
	    fuzz_rand(&rng) % 3 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	/* The input buffer need not be aligned: edit an aligned copy. */
	max_n = min_t(size_t, (max_size - hdr) / sizeof(*insns),
		      RMT_MAX_INSNS + 1);
	n = min((size - hdr) / sizeof(*insns), max_n);
	insns = malloc(max_n * sizeof(*insns));
	if (!insns)
		return size;
	memcpy(insns, data + hdr, n * sizeof(*insns));
	n = fuzz_mutate_insns(insns, n, max_n, &rng);
	memcpy(data + hdr, insns, n * sizeof(*insns));
	free(insns);
	return hdr + n * sizeof(struct rmt_insn);
}
