// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verifier's dataflow pass.  For every instruction it computes, over
 * all paths, which registers are written and an unsigned range for each,
 * then checks reads of unwritten registers, writes to loop counters and
 * scratch accesses through index registers.
 *
 * Every edge but ENDLOOP's goes forward, so a worklist taken in program
 * order visits most instructions once; a loop body is revisited until
 * its entry state stops changing, and ranges that keep growing at a
 * merge are widened to "unknown" after a few rounds, which bounds the
 * work on any input.
 */
#include "verifier.h"
#include "alu.h"

#define RMT_WIDEN_AFTER	4

struct rmt_flow {
	struct rmt_verifier *v;
	u8 *work;
	u32 next;		/* lowest pc that may have work */
};

static void rmt_vreg_const(struct rmt_vreg *r, u64 val)
{
	r->init = 1;
	r->umin = val;
	r->umax = val;
}

static void rmt_vreg_range(struct rmt_vreg *r, u64 lo, u64 hi)
{
	r->init = 1;
	r->umin = lo;
	r->umax = hi;
}

static void rmt_vreg_unknown(struct rmt_vreg *r)
{
	rmt_vreg_range(r, 0, U64_MAX);
}

static bool rmt_vreg_is_const(const struct rmt_vreg *r)
{
	return r->umin == r->umax;
}

static u64 rmt_bits_mask(u64 x)
{
	int bits = fls64(x);

	return bits >= 64 ? U64_MAX : (1ULL << bits) - 1;
}

/* Join @in into @old; true if @old grew. */
static bool rmt_vstate_merge(struct rmt_vstate *old, const struct rmt_vstate *in,
			     bool widen)
{
	bool changed = false;
	int i;

	for (i = 0; i < RMT_NR_REGS; i++) {
		struct rmt_vreg *o = &old->r[i];
		const struct rmt_vreg *n = &in->r[i];
		u64 lo, hi;

		if (!o->init)
			continue;
		if (!n->init) {
			o->init = 0;
			changed = true;
			continue;
		}
		lo = min(o->umin, n->umin);
		hi = max(o->umax, n->umax);
		if (lo == o->umin && hi == o->umax)
			continue;
		if (widen) {
			lo = 0;
			hi = U64_MAX;
		}
		o->umin = lo;
		o->umax = hi;
		changed = true;
	}
	return changed;
}

static void rmt_flow_propagate(struct rmt_flow *f, u32 target,
			       const struct rmt_vstate *s)
{
	struct rmt_verifier *v = f->v;
	bool changed;

	if (!v->have[target]) {
		v->st[target] = *s;
		v->have[target] = 1;
		changed = true;
	} else {
		changed = rmt_vstate_merge(&v->st[target], s,
					   v->visits[target] >= RMT_WIDEN_AFTER);
		if (changed && v->visits[target] < U8_MAX)
			v->visits[target]++;
	}
	if (changed) {
		f->work[target] = 1;
		if (target < f->next)
			f->next = target;
	}
}

static int rmt_flow_read(struct rmt_verifier *v, u32 pc,
			 const struct rmt_vstate *s, u32 reg)
{
	if (reg == RMT_REG_NONE || s->r[reg].init)
		return 0;
	rmt_diag_set(v->diag, RMT_E_UNINIT_REG, pc,
		     "read of uninitialised register r%u", reg);
	return -EINVAL;
}

/* No instruction in a loop body may write that loop's counter. */
static int rmt_flow_write(struct rmt_verifier *v, u32 pc, u32 reg)
{
	int l;

	for (l = v->loop_of[pc]; l >= 0; l = v->loop_of[l]) {
		if (RMT_INSN_DST(&v->insns[l]) == reg) {
			rmt_diag_set(v->diag, RMT_E_COUNTER_WRITE, pc,
				     "write to r%u, the counter of the loop at insn %d",
				     reg, l);
			return -EINVAL;
		}
	}
	return 0;
}

static void rmt_flow_alu_range(u8 code, struct rmt_vreg *d,
			       const struct rmt_vreg *s)
{
	u64 lo, hi, k = s->umin;

	if (rmt_vreg_is_const(d) && rmt_vreg_is_const(s)) {
		rmt_vreg_const(d, rmt_alu_eval(code, d->umin, s->umin));
		return;
	}
	switch (code) {
	case RMT_OP_ADD_R: case RMT_OP_ADD_I:
		if (rmt_vreg_is_const(s) && (s64)k < 0 && d->umin >= -k) {
			rmt_vreg_range(d, d->umin + k, d->umax + k);
			return;
		}
		if (check_add_overflow(d->umax, s->umax, &hi))
			break;
		rmt_vreg_range(d, d->umin + s->umin, hi);
		return;
	case RMT_OP_SUB_R: case RMT_OP_SUB_I:
		if (d->umin < s->umax)
			break;
		rmt_vreg_range(d, d->umin - s->umax, d->umax - s->umin);
		return;
	case RMT_OP_MUL_R: case RMT_OP_MUL_I:
		if (check_mul_overflow(d->umax, s->umax, &hi))
			break;
		rmt_vreg_range(d, d->umin * s->umin, hi);
		return;
	case RMT_OP_DIV_R: case RMT_OP_DIV_I:
		lo = s->umin ? d->umin / s->umax : 0;
		hi = s->umin ? d->umax / s->umin : d->umax;
		rmt_vreg_range(d, lo, hi);
		return;
	case RMT_OP_MOD_R: case RMT_OP_MOD_I:
		rmt_vreg_range(d, 0, s->umin ? min(d->umax, s->umax - 1) : d->umax);
		return;
	case RMT_OP_AND_R: case RMT_OP_AND_I:
		rmt_vreg_range(d, 0, min(d->umax, s->umax));
		return;
	case RMT_OP_OR_R: case RMT_OP_OR_I:
	case RMT_OP_XOR_R: case RMT_OP_XOR_I:
		rmt_vreg_range(d, 0, rmt_bits_mask(max(d->umax, s->umax)));
		return;
	case RMT_OP_LSH_R: case RMT_OP_LSH_I:
		if (!rmt_vreg_is_const(s) || d->umax > (U64_MAX >> (k & 63)))
			break;
		rmt_vreg_range(d, d->umin << (k & 63), d->umax << (k & 63));
		return;
	case RMT_OP_ARSH_R: case RMT_OP_ARSH_I:
		if (d->umax > (u64)S64_MAX)
			break;
		fallthrough;
	case RMT_OP_RSH_R: case RMT_OP_RSH_I:
		if (!rmt_vreg_is_const(s)) {
			rmt_vreg_range(d, 0, d->umax);
			return;
		}
		rmt_vreg_range(d, d->umin >> (k & 63), d->umax >> (k & 63));
		return;
	case RMT_OP_MOV_R: case RMT_OP_MOV_I:
		*d = *s;
		return;
	}
	rmt_vreg_unknown(d);
}

/* a < b (strict) or a <= b; false if that cannot hold. */
static bool rmt_refine_less(struct rmt_vreg *a, struct rmt_vreg *b, bool strict)
{
	if (strict && (b->umax == 0 || a->umin == U64_MAX))
		return false;
	a->umax = min(a->umax, b->umax - strict);
	b->umin = max(b->umin, a->umin + strict);
	return a->umin <= a->umax && b->umin <= b->umax;
}

static bool rmt_refine_eq(struct rmt_vreg *a, struct rmt_vreg *b)
{
	a->umin = b->umin = max(a->umin, b->umin);
	a->umax = b->umax = min(a->umax, b->umax);
	return a->umin <= a->umax;
}

/*
 * Narrow the ranges on each edge of an unsigned compare; returns which
 * edges are feasible (bit 0 fall-through, bit 1 taken).
 */
static int rmt_flow_refine(u8 code, struct rmt_vreg *ta, struct rmt_vreg *tb,
			   struct rmt_vreg *fa, struct rmt_vreg *fb)
{
	bool t = true, f = true;

	switch (code) {
	case RMT_OP_JLT_R: case RMT_OP_JLT_I:
		t = rmt_refine_less(ta, tb, true);
		f = rmt_refine_less(fb, fa, false);
		break;
	case RMT_OP_JLE_R: case RMT_OP_JLE_I:
		t = rmt_refine_less(ta, tb, false);
		f = rmt_refine_less(fb, fa, true);
		break;
	case RMT_OP_JGT_R: case RMT_OP_JGT_I:
		t = rmt_refine_less(tb, ta, true);
		f = rmt_refine_less(fa, fb, false);
		break;
	case RMT_OP_JGE_R: case RMT_OP_JGE_I:
		t = rmt_refine_less(tb, ta, false);
		f = rmt_refine_less(fa, fb, true);
		break;
	case RMT_OP_JEQ_R: case RMT_OP_JEQ_I:
		t = rmt_refine_eq(ta, tb);
		break;
	case RMT_OP_JNE_R: case RMT_OP_JNE_I:
		f = rmt_refine_eq(fa, fb);
		break;
	}
	return (f ? 1 : 0) | (t ? 2 : 0);
}

static void rmt_flow_jcc(struct rmt_flow *f, u32 pc, struct rmt_vstate *s)
{
	const struct rmt_insn *insn = &f->v->insns[pc];
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);
	bool imm_form = !(insn->code & 1);	/* _I forms have even codes */
	struct rmt_vstate taken = *s;
	struct rmt_vreg ib, fib;
	int edges = 3;

	if (imm_form) {
		rmt_vreg_const(&ib, rmt_imm64(insn->imm));
		fib = ib;
		edges = rmt_flow_refine(insn->code, &taken.r[dst], &ib,
					&s->r[dst], &fib);
	} else if (dst != src) {
		edges = rmt_flow_refine(insn->code, &taken.r[dst],
					&taken.r[src], &s->r[dst], &s->r[src]);
	}
	if (edges & 2)
		rmt_flow_propagate(f, rmt_jump_target(insn, pc), &taken);
	if (edges & 1)
		rmt_flow_propagate(f, pc + 1, s);
}

/* [idx + off, idx + off + size) must lie in scratch for every idx. */
static int rmt_flow_mem(struct rmt_verifier *v, u32 pc, const struct rmt_vstate *s,
			u32 idx, s16 off, u32 size)
{
	u64 lo = 0, hi = 0;

	if (idx != RMT_REG_NONE) {
		lo = s->r[idx].umin;
		hi = s->r[idx].umax;
	}
	if (hi > RMT_SCRATCH_SIZE || (s64)lo + off < 0 ||
	    (s64)hi + off + size > RMT_SCRATCH_SIZE) {
		if (idx == RMT_REG_NONE)
			rmt_diag_set(v->diag, RMT_E_SCRATCH_RANGE, pc,
				     "scratch access at %d size %u leaves [0, %d)",
				     off, size, RMT_SCRATCH_SIZE);
		else
			rmt_diag_set(v->diag, RMT_E_SCRATCH_RANGE, pc,
				     "scratch access r%u%+d (r%u in [%llu, %llu]) may leave [0, %d)",
				     idx, off, idx, (unsigned long long)lo,
				     (unsigned long long)hi, RMT_SCRATCH_SIZE);
		return -EINVAL;
	}
	if (!rmt_verify_note_scratch(v, pc, lo + off, hi - lo + size))
		return -EINVAL;
	return 0;
}

static u32 rmt_mem_size(u8 code)
{
	return 1u << ((code - RMT_OP_LDXB) & 3);
}

/* Registers an instruction reads, as a bitmask. */
static u32 rmt_insn_reads(const struct rmt_insn *insn)
{
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);
	const char *f = rmt_op_info[insn->code].fmt;
	u32 mask = 0;

	switch (insn->code) {
	case RMT_OP_MOV_I: case RMT_OP_LOOP: case RMT_OP_LDF:
	case RMT_OP_LDXB: case RMT_OP_LDXH: case RMT_OP_LDXW: case RMT_OP_LDXDW:
	case RMT_OP_LD_CTXT: case RMT_OP_MATCH_CTXT: case RMT_OP_ARGMAX:
	case RMT_OP_SCALAR_VAL: case RMT_OP_DTREE:
		break;		/* 'd' is written, not read */
	case RMT_OP_MOV_R:
		return 1u << src;
	case RMT_OP_EXIT:
		return 1u << 0;
	case RMT_OP_CALL: {
		const struct rmt_helper_info *h = rmt_helper_lookup(insn->imm);

		return ((1u << h->nargs) - 1) << 1;
	}
	default:
		if (strchr(f, 'd') || strchr(f, 'M'))
			mask |= 1u << dst;
	}
	if (strchr(f, 's') || strchr(f, 'x') || strchr(f, 'm'))
		mask |= 1u << src;
	return mask & ((1u << RMT_NR_REGS) - 1);
}

static int rmt_flow_check_reads(struct rmt_verifier *v, u32 pc,
				const struct rmt_vstate *s)
{
	u32 mask = rmt_insn_reads(&v->insns[pc]), r;

	for (r = 0; r < RMT_NR_REGS; r++)
		if ((mask & (1u << r)) && rmt_flow_read(v, pc, s, r))
			return -EINVAL;
	return 0;
}

/* Apply one non-branching instruction to @s. */
static int rmt_flow_apply(struct rmt_verifier *v, u32 pc, struct rmt_vstate *s)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);
	/* dst is RMT_REG_NONE for stores without an index register. */
	struct rmt_vreg *d = dst < RMT_NR_REGS ? &s->r[dst] : NULL, imm;
	u8 code = insn->code;
	u32 r;

	switch (code) {
	case RMT_OP_ADD_R ... RMT_OP_MOV_I:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		if (code & 1) {		/* _R forms have odd codes */
			rmt_flow_alu_range(code, d, &s->r[src]);
		} else {
			rmt_vreg_const(&imm, rmt_imm64(insn->imm));
			rmt_flow_alu_range(code, d, &imm);
		}
		return 0;
	case RMT_OP_NEG:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		if (rmt_vreg_is_const(d))
			rmt_vreg_const(d, -d->umin);
		else
			rmt_vreg_unknown(d);
		return 0;
	case RMT_OP_LDXB ... RMT_OP_LDXDW:
		if (rmt_flow_mem(v, pc, s, src, insn->off, rmt_mem_size(code)) ||
		    rmt_flow_write(v, pc, dst))
			return -EINVAL;
		rmt_vreg_range(d, 0, rmt_mem_size(code) == 8 ? U64_MAX :
			       (1ULL << (8 * rmt_mem_size(code))) - 1);
		return 0;
	case RMT_OP_STXB ... RMT_OP_STDW:
		return rmt_flow_mem(v, pc, s, dst, insn->off, rmt_mem_size(code));
	case RMT_OP_SCALAR_VAL:
		if (src != RMT_REG_NONE &&
		    s->r[src].umax >= RMT_IMM_LO16(insn->imm)) {
			rmt_diag_set(v->diag, RMT_E_SCRATCH_RANGE, pc,
				     "index r%u may reach %llu, past the %u-element vector",
				     src, (unsigned long long)s->r[src].umax,
				     RMT_IMM_LO16(insn->imm));
			return -EINVAL;
		}
		fallthrough;
	case RMT_OP_LDF: case RMT_OP_LD_CTXT: case RMT_OP_DTREE:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		rmt_vreg_unknown(d);
		return 0;
	case RMT_OP_MATCH_CTXT:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		rmt_vreg_range(d, 0, 1);
		return 0;
	case RMT_OP_ARGMAX:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		rmt_vreg_range(d, 0, RMT_IMM_LO16(insn->imm) - 1);
		return 0;
	case RMT_OP_CALL:
		for (r = 0; r <= 5; r++)
			if (rmt_flow_write(v, pc, r))
				return -EINVAL;
		rmt_vreg_unknown(&s->r[0]);
		for (r = 1; r <= 5; r++)
			s->r[r].init = 0;
		return 0;
	}
	return 0;	/* stores to fields, maps, scratch vectors */
}

static int rmt_flow_step(struct rmt_flow *f, u32 pc)
{
	struct rmt_verifier *v = f->v;
	const struct rmt_insn *insn = &v->insns[pc];
	struct rmt_vstate s = v->st[pc];
	u32 dst = RMT_INSN_DST(insn);

	if (rmt_flow_check_reads(v, pc, &s))
		return -EINVAL;
	switch (insn->code) {
	case RMT_OP_EXIT:
		return 0;
	case RMT_OP_JA:
		rmt_flow_propagate(f, rmt_jump_target(insn, pc), &s);
		return 0;
	case RMT_OP_LOOP:
		if (rmt_flow_write(v, pc, dst))
			return -EINVAL;
		rmt_vreg_range(&s.r[dst], 0, insn->imm - 1);
		rmt_flow_propagate(f, pc + 1, &s);
		return 0;
	case RMT_OP_ENDLOOP:
		/* Back edge, taken while counter + 1 < trip count. */
		if (s.r[dst].umin + 1 < (u64)insn->imm) {
			struct rmt_vstate back = s;

			rmt_vreg_range(&back.r[dst], s.r[dst].umin + 1,
				       min_t(u64, s.r[dst].umax + 1,
					     insn->imm - 1));
			rmt_flow_propagate(f, rmt_jump_target(insn, pc), &back);
		}
		rmt_vreg_const(&s.r[dst], insn->imm);
		rmt_flow_propagate(f, pc + 1, &s);
		return 0;
	}
	if (rmt_op_is_jcc(insn->code)) {
		rmt_flow_jcc(f, pc, &s);
		return 0;
	}
	if (rmt_flow_apply(v, pc, &s))
		return -EINVAL;
	rmt_flow_propagate(f, pc + 1, &s);
	return 0;
}

int rmt_verify_flow(struct rmt_verifier *v)
{
	struct rmt_flow f = { .v = v };
	u32 pc;
	int err = 0;

	f.work = rmt_zalloc(v->len);
	if (!f.work) {
		rmt_diag_set(v->diag, RMT_E_NOMEM, -1, "out of memory");
		return -ENOMEM;
	}
	memset(v->have, 0, v->len);
	memset(v->visits, 0, v->len);
	memset(&v->st[0], 0, sizeof(v->st[0]));	/* nothing written at entry */
	v->have[0] = 1;
	f.work[0] = 1;
	f.next = 0;
	while (!err) {
		for (pc = f.next; pc < v->len && !f.work[pc]; pc++)
			;
		if (pc == v->len)
			break;
		f.work[pc] = 0;
		f.next = pc + 1;
		err = rmt_flow_step(&f, pc);
	}
	rmt_free(f.work);
	return err;
}
