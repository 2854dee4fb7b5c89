// SPDX-License-Identifier: GPL-2.0-only
/*
 * A second, slow interpreter for fuzz_verifier that checks the
 * verifier's dataflow against concrete values: before every instruction
 * it executes, each register the verifier counts as written must hold a
 * value inside the range the verifier computed for that instruction,
 * and the instruction must be one the verifier reached at all.
 *
 * A range that is too narrow is how a verifier bug becomes an
 * out-of-bounds access, but as an access it only shows for the one
 * value that crosses a bound; checked here it shows for any value
 * outside the range, on any instruction, whether or not memory is
 * touched.
 *
 * It follows interp.c opcode by opcode and calls the same ML kernels,
 * helpers and context-map functions (on maps of its own, created like
 * the program's), so its verdict, context and instruction count also
 * cross-check the interpreter's.  It stops at a tail call: the states
 * it checks against are the entry program's.
 */
#include "fuzz.h"
#include "verifier.h"
#include "alu.h"

struct fuzz_shadow {
	struct rmt_verifier v;
	const struct rmt_prog *prog;
	struct rmt_ctxmap *maps[RMT_MAX_CTXMAPS];
	u64 regs[16];		/* as the interpreter: [15] reads 0 */
	u8 *scratch;
	s64 *ctx;
	const struct rmt_run_ctx *rc;	/* params for CALL param */
};

void fuzz_shadow_free(struct fuzz_shadow *sh)
{
	u32 i;

	if (!sh)
		return;
	for (i = 0; i < RMT_MAX_CTXMAPS; i++)
		rmt_ctxmap_free(sh->maps[i]);
	free(sh->v.loop_of);
	free(sh->v.st);
	free(sh->v.have);
	free(sh->v.visits);
	free(sh);
}

/**
 * fuzz_shadow_new() - redo the verifier's passes, keeping their states
 * @prog: an admitted program
 *
 * Return: the shadow; aborts if the program is no longer admitted.
 */
struct fuzz_shadow *fuzz_shadow_new(const struct rmt_prog *prog)
{
	const struct rmt_env *env = prog->env;
	struct fuzz_shadow *sh = calloc(1, sizeof(*sh));
	struct rmt_diag diag;
	u32 len = prog->len, i;

	FUZZ_CHECK(sh, "out of memory");
	rmt_diag_clear(&diag);
	sh->prog = prog;
	sh->v = (struct rmt_verifier){
		.insns = prog->insns, .len = len, .env = env, .diag = &diag,
		.loop_of = calloc(len, sizeof(*sh->v.loop_of)),
		.st = calloc(len, sizeof(*sh->v.st)),
		.have = calloc(len, 1), .visits = calloc(len, 1),
	};
	FUZZ_CHECK(sh->v.loop_of && sh->v.st && sh->v.have && sh->v.visits,
		   "out of memory");
	FUZZ_CHECK(!rmt_verify_structure(&sh->v) && !rmt_verify_flow(&sh->v),
		   "admitted program fails a second verification: %s", diag.msg);
	sh->v.diag = NULL;	/* only the states are used from here on */
	for (i = 0; i < env->nmaps; i++) {
		sh->maps[i] = rmt_ctxmap_create(rmt_ctxmap_desc(env->maps[i]),
						&diag);
		FUZZ_CHECK(sh->maps[i], "map copy: %s", diag.msg);
	}
	return sh;
}

/* What the verifier claims on entry to @pc must hold for the values. */
static void fuzz_shadow_check(const struct fuzz_shadow *sh, u32 pc)
{
	const struct rmt_vstate *s = &sh->v.st[pc];
	u32 r;

	FUZZ_CHECK(sh->v.have[pc], "insn %u executed, verifier found it unreachable",
		   pc);
	for (r = 0; r < RMT_NR_REGS; r++) {
		const struct rmt_vreg *vr = &s->r[r];

		FUZZ_CHECK(!vr->init || (sh->regs[r] >= vr->umin &&
					 sh->regs[r] <= vr->umax),
			   "insn %u: r%u = %llu outside [%llu, %llu]", pc, r,
			   (unsigned long long)sh->regs[r],
			   (unsigned long long)vr->umin,
			   (unsigned long long)vr->umax);
	}
}

static bool fuzz_shadow_cond(u8 code, u64 a, u64 b)
{
	switch (code + (code & 1)) {	/* _R is odd, its _I form next */
	case RMT_OP_JEQ_I:	return a == b;
	case RMT_OP_JNE_I:	return a != b;
	case RMT_OP_JGT_I:	return a > b;
	case RMT_OP_JGE_I:	return a >= b;
	case RMT_OP_JLT_I:	return a < b;
	case RMT_OP_JLE_I:	return a <= b;
	case RMT_OP_JSGT_I:	return (s64)a > (s64)b;
	case RMT_OP_JSGE_I:	return (s64)a >= (s64)b;
	case RMT_OP_JSLT_I:	return (s64)a < (s64)b;
	case RMT_OP_JSLE_I:	return (s64)a <= (s64)b;
	default:		return a & b;	/* JSET */
	}
}

/* Scratch and hook-context memory; the verifier has checked the bounds. */
static void fuzz_shadow_mem(struct fuzz_shadow *sh, const struct rmt_insn *insn)
{
	u8 code = insn->code;
	u32 size = 1u << ((code - RMT_OP_LDXB) & 3);
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);
	u64 v = 0;

	/* Index plus offset in u64, as the interpreter computes it. */
	if (code <= RMT_OP_LDXDW) {
		memcpy(&v, sh->scratch + (sh->regs[src] + insn->off), size);
		sh->regs[dst] = v;
		return;
	}
	v = code <= RMT_OP_STXDW ? sh->regs[src] : rmt_imm64(insn->imm);
	memcpy(sh->scratch + (sh->regs[dst] + insn->off), &v, size);
}

static void fuzz_shadow_vector(struct fuzz_shadow *sh,
			       const struct rmt_insn *insn)
{
	u32 dtype = RMT_IMM_BYTE(insn->imm, 0);
	u32 first = RMT_IMM_BYTE(insn->imm, 2);
	u32 n = RMT_IMM_BYTE(insn->imm, 3), i;
	void *vec = sh->scratch + insn->off;

	for (i = 0; i < n; i++) {
		if (insn->code == RMT_OP_VECTOR_LD)
			rmt_ml_store_elem(vec, dtype, i, sh->ctx[first + i]);
		else
			sh->ctx[first + i] = rmt_ml_load_elem(vec, dtype, i);
	}
}

/* The ML opcodes, on the model's tensors and trees. */
static void fuzz_shadow_ml(struct fuzz_shadow *sh, const struct rmt_insn *insn)
{
	const struct rmt_model *m = sh->prog->env->model;
	u32 lo = RMT_IMM_LO16(insn->imm), hi = RMT_IMM_HI16(insn->imm);
	u8 *out = sh->scratch + insn->off;
	u64 *d = &sh->regs[RMT_INSN_DST(insn)];
	const struct rmt_tensor_desc *t;

	switch (insn->code) {
	case RMT_OP_MAT_MUL:
		t = &m->tensors[lo];
		if (t->dtype == RMT_DT_I8)
			rmt_ml_matmul_i8((s32 *)out, m->tensor_data[lo],
					 (const s8 *)(sh->scratch + hi), t->rows,
					 t->cols);
		else
			rmt_ml_matmul_i16((s32 *)out, m->tensor_data[lo],
					  (const s16 *)(sh->scratch + hi),
					  t->rows, t->cols);
		break;
	case RMT_OP_BIAS_ADD:
		rmt_ml_bias_add((s32 *)out, m->tensor_data[lo],
				m->tensors[lo].rows);
		break;
	case RMT_OP_REQUANT:
		t = &m->tensors[lo];
		rmt_ml_requant(out, t->out_dtype, (const s32 *)(sh->scratch + hi),
			       t->rows, t->q_mult, t->q_shift, t->q_zero);
		break;
	case RMT_OP_RELU:
		rmt_ml_relu(out, hi, lo);
		break;
	case RMT_OP_ARGMAX:
		*d = rmt_ml_argmax(out, hi, lo);
		break;
	case RMT_OP_SCALAR_VAL:
		*d = rmt_ml_load_elem(out, hi,
				      (u32)sh->regs[RMT_INSN_SRC(insn)]);
		break;
	case RMT_OP_DTREE:
		*d = rmt_ml_dtree(&m->trees[lo], (const s32 *)out);
		break;
	}
}

static void fuzz_shadow_ctxmap(struct fuzz_shadow *sh,
			       const struct rmt_insn *insn)
{
	u64 *d = &sh->regs[RMT_INSN_DST(insn)];
	u64 s = sh->regs[RMT_INSN_SRC(insn)];

	switch (insn->code) {
	case RMT_OP_LD_CTXT:
		*d = rmt_ctxmap_load(sh->maps[insn->imm], s, insn->off);
		break;
	case RMT_OP_ST_CTXT:
		rmt_ctxmap_store(sh->maps[insn->imm], *d, insn->off, s);
		break;
	case RMT_OP_MATCH_CTXT:
		*d = rmt_ctxmap_contains(sh->maps[insn->imm], s);
		break;
	default:	/* VECTOR_LDH */
		rmt_ctxmap_history(sh->maps[RMT_IMM_BYTE(insn->imm, 1)], s,
				   sh->scratch + insn->off,
				   RMT_IMM_BYTE(insn->imm, 0),
				   RMT_IMM_BYTE(insn->imm, 3));
	}
}

/* Everything that neither jumps nor ends the run. */
static void fuzz_shadow_op(struct fuzz_shadow *sh, const struct rmt_insn *insn)
{
	u8 code = insn->code;
	u64 *d = &sh->regs[RMT_INSN_DST(insn)];

	if (code >= RMT_OP_ADD_R && code <= RMT_OP_MOV_I)
		*d = rmt_alu_eval(code, *d, code & 1 ?
				  sh->regs[RMT_INSN_SRC(insn)] :
				  rmt_imm64(insn->imm));
	else if (code == RMT_OP_NEG)
		*d = -*d;
	else if (code >= RMT_OP_LDXB && code <= RMT_OP_STDW)
		fuzz_shadow_mem(sh, insn);
	else if (code == RMT_OP_LDF)
		*d = sh->ctx[insn->off];
	else if (code == RMT_OP_STF)
		sh->ctx[insn->off] = sh->regs[RMT_INSN_SRC(insn)];
	else if (code == RMT_OP_VECTOR_LD || code == RMT_OP_VECTOR_ST)
		fuzz_shadow_vector(sh, insn);
	else if ((code >= RMT_OP_LD_CTXT && code <= RMT_OP_MATCH_CTXT) ||
		 code == RMT_OP_VECTOR_LDH)
		fuzz_shadow_ctxmap(sh, insn);
	else if (code == RMT_OP_CALL)
		sh->regs[0] = rmt_helper_call(insn->imm, &sh->regs[1], sh->rc);
	else
		fuzz_shadow_ml(sh, insn);
}

/**
 * fuzz_shadow_run() - run the entry program, checking every state
 * @sh: the shadow
 * @rc: context (written), scratch (zeroed over the program's extent
 *	here) and params, as for rmt_run(); receives r0 and insns
 *
 * Return: true if the run ended in EXIT, false at a tail call (whose
 * results are the interpreter's business alone).
 */
bool fuzz_shadow_run(struct fuzz_shadow *sh, struct rmt_run_ctx *rc)
{
	const struct rmt_insn *insns = sh->prog->insns;
	u32 pc = 0;

	memset(sh->regs, 0, sizeof(sh->regs));
	memset(rc->scratch, 0, sh->prog->scratch_size);
	sh->scratch = rc->scratch;
	sh->ctx = rc->ctx;
	sh->rc = rc;
	rc->insns = 0;
	for (;;) {
		const struct rmt_insn *insn = &insns[pc];
		u64 *d = &sh->regs[RMT_INSN_DST(insn)];

		rc->insns++;
		FUZZ_CHECK(rc->insns <= sh->prog->max_insns,
			   "shadow ran past max_insns %llu",
			   (unsigned long long)sh->prog->max_insns);
		fuzz_shadow_check(sh, pc);
		switch (insn->code) {
		case RMT_OP_EXIT:
			rc->r0 = sh->regs[0];
			return true;
		case RMT_OP_TAIL_CALL:
			if (sh->prog->env->tail[insn->imm])
				return false;
			break;
		case RMT_OP_JA:
			pc += insn->off;
			break;
		case RMT_OP_LOOP:
			*d = 0;
			break;
		case RMT_OP_ENDLOOP:
			if (++*d < (u64)insn->imm)
				pc += insn->off;
			break;
		default:
			if (rmt_op_is_jcc(insn->code)) {
				if (fuzz_shadow_cond(insn->code, *d, insn->code & 1 ?
						     sh->regs[RMT_INSN_SRC(insn)] :
						     rmt_imm64(insn->imm)))
					pc += insn->off;
			} else {
				fuzz_shadow_op(sh, insn);
			}
		}
		pc++;
	}
}
