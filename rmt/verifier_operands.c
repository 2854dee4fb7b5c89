// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verifier's checks of operands that are fixed in the instruction:
 * context fields, helpers, tail-call slots, context maps, tensors, trees
 * and the scratch regions of ML operations.  Operands that depend on a
 * register value are checked by the dataflow pass.
 */
#include "verifier.h"

int rmt_verify_operands(struct rmt_verifier *v, u32 pc);

static const char *const rmt_dtype_names[] = {
	[RMT_DT_I8] = "i8", [RMT_DT_I16] = "i16",
	[RMT_DT_I32] = "i32", [RMT_DT_I64] = "i64",
};

/**
 * rmt_verify_note_scratch() - check and record a scratch access
 * @v: verifier
 * @pc: instruction making the access
 * @start: first byte
 * @len: bytes
 *
 * Return: true if [start, start + len) lies inside scratch.
 */
bool rmt_verify_note_scratch(struct rmt_verifier *v, u32 pc, u64 start,
			     u64 len)
{
	if (start > RMT_SCRATCH_SIZE || len > RMT_SCRATCH_SIZE - start) {
		rmt_diag_set(v->diag, RMT_E_SCRATCH_RANGE, pc,
			     "scratch access [%llu, %llu) out of bounds (size %d)",
			     (unsigned long long)start,
			     (unsigned long long)(start + min_t(u64, len, U32_MAX)),
			     RMT_SCRATCH_SIZE);
		return false;
	}
	if (start + len > v->scratch_end)
		v->scratch_end = (u32)(start + len);
	return true;
}

/* A vector operand: @n elements of @dtype at scratch offset @off. */
static int rmt_check_vec(struct rmt_verifier *v, u32 pc, s32 off, u32 dtype,
			 u32 n)
{
	u32 esize = rmt_dtype_size(dtype);

	if (!esize) {
		rmt_diag_set(v->diag, RMT_E_DTYPE, pc,
			     "element type %u is not a dtype", dtype);
		return -EINVAL;
	}
	if (!n || n > RMT_MAX_DIM) {
		rmt_diag_set(v->diag, RMT_E_VEC_LEN, pc,
			     "vector length %u out of range", n);
		return -EINVAL;
	}
	if (off < 0 || !rmt_verify_note_scratch(v, pc, (u64)off, (u64)n * esize)) {
		rmt_diag_set(v->diag, RMT_E_SCRATCH_RANGE, pc,
			     "vector at %d of %u x %s out of scratch", off, n,
			     rmt_dtype_names[dtype]);
		return -EINVAL;
	}
	if (off % esize) {
		rmt_diag_set(v->diag, RMT_E_MISALIGNED, pc,
			     "%s vector at offset %d is misaligned",
			     rmt_dtype_names[dtype], off);
		return -EINVAL;
	}
	return 0;
}

static bool rmt_overlap(u32 a, u32 alen, u32 b, u32 blen)
{
	return a < b + blen && b < a + alen;
}

/* Context fields [first, first + n) exist, and are writable if written. */
static int rmt_check_fields(struct rmt_verifier *v, u32 pc, s32 first,
			    u32 n, bool write)
{
	const struct rmt_hook_schema *hook = v->env->hook;
	u64 mask;

	if (first < 0 || (u64)first + n > hook->nfields) {
		rmt_diag_set(v->diag, RMT_E_CTX_FIELD, pc,
			     "context field %lld out of range (hook %s has %u)",
			     first < 0 ? (long long)first :
			     (long long)max_t(u64, first, hook->nfields),
			     hook->name, hook->nfields);
		return -EINVAL;
	}
	mask = (n >= 64 ? U64_MAX : ((1ULL << n) - 1)) << first;
	if (write && (mask & ~hook->writable)) {
		u32 f = first;

		while (hook->writable & (1ULL << f))
			f++;
		rmt_diag_set(v->diag, RMT_E_CTX_READONLY, pc,
			     "write to read-only context field %u (%s)", f,
			     hook->field_names[f]);
		return -EINVAL;
	}
	return 0;
}

static const struct rmt_tensor_desc *rmt_check_tensor(struct rmt_verifier *v,
						       u32 pc, u32 idx)
{
	const struct rmt_model *m = v->env->model;

	if (!m) {
		rmt_diag_set(v->diag, RMT_E_NO_MODEL, pc,
			     "%s needs a model and none is loaded",
			     rmt_op_info[v->insns[pc].code].name);
		return NULL;
	}
	if (idx >= m->ntensors) {
		rmt_diag_set(v->diag, RMT_E_TENSOR, pc,
			     "no tensor %u (the model has %u)", idx, m->ntensors);
		return NULL;
	}
	return &m->tensors[idx];
}

static int rmt_check_matmul(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 src = RMT_IMM_HI16(insn->imm), idx = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t = rmt_check_tensor(v, pc, idx);

	if (!t)
		return -EINVAL;
	if (t->dtype != RMT_DT_I8 && t->dtype != RMT_DT_I16) {
		rmt_diag_set(v->diag, RMT_E_TENSOR, pc,
			     "tensor %u is %s; matmul takes i8 or i16 weights",
			     idx, rmt_dtype_names[t->dtype]);
		return -EINVAL;
	}
	if (rmt_check_vec(v, pc, insn->off, RMT_DT_I32, t->rows) ||
	    rmt_check_vec(v, pc, src, t->dtype, t->cols))
		return -EINVAL;
	if (rmt_overlap(insn->off, t->rows * 4, src,
			t->cols * rmt_dtype_size(t->dtype))) {
		rmt_diag_set(v->diag, RMT_E_OVERLAP, pc,
			     "matmul output at %d overlaps its input at %u",
			     insn->off, src);
		return -EINVAL;
	}
	return 0;
}

static int rmt_check_bias(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 idx = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t = rmt_check_tensor(v, pc, idx);

	if (!t)
		return -EINVAL;
	if (t->dtype != RMT_DT_I32) {
		rmt_diag_set(v->diag, RMT_E_TENSOR, pc,
			     "tensor %u is %s; bias takes an i32 vector", idx,
			     rmt_dtype_names[t->dtype]);
		return -EINVAL;
	}
	if (t->cols != 1) {
		rmt_diag_set(v->diag, RMT_E_SHAPE, pc,
			     "bias tensor %u is %ux%u, not a %ux1 vector", idx,
			     t->rows, t->cols, t->rows);
		return -EINVAL;
	}
	return rmt_check_vec(v, pc, insn->off, RMT_DT_I32, t->rows);
}

/* REQUANT may work in place (output at the input's offset), never skewed. */
static int rmt_check_requant(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 src = RMT_IMM_HI16(insn->imm), idx = RMT_IMM_LO16(insn->imm);
	const struct rmt_tensor_desc *t = rmt_check_tensor(v, pc, idx);

	if (!t)
		return -EINVAL;
	if (!t->out_dtype) {
		rmt_diag_set(v->diag, RMT_E_TENSOR, pc,
			     "tensor %u has no requantisation parameters", idx);
		return -EINVAL;
	}
	if (rmt_check_vec(v, pc, src, RMT_DT_I32, t->rows) ||
	    rmt_check_vec(v, pc, insn->off, t->out_dtype, t->rows))
		return -EINVAL;
	if ((u32)insn->off != src &&
	    rmt_overlap(insn->off, t->rows * rmt_dtype_size(t->out_dtype), src,
			t->rows * 4)) {
		rmt_diag_set(v->diag, RMT_E_OVERLAP, pc,
			     "requant output at %d partly overlaps its input at %u",
			     insn->off, src);
		return -EINVAL;
	}
	return 0;
}

static int rmt_check_dtree(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	const struct rmt_model *m = v->env->model;
	u32 idx = RMT_IMM_LO16(insn->imm);

	if (!m) {
		rmt_diag_set(v->diag, RMT_E_NO_MODEL, pc,
			     "dtree needs a model and none is loaded");
		return -EINVAL;
	}
	if (idx >= m->ntrees) {
		rmt_diag_set(v->diag, RMT_E_TREE, pc,
			     "no tree %u (the model has %u)", idx, m->ntrees);
		return -EINVAL;
	}
	return rmt_check_vec(v, pc, insn->off, RMT_DT_I32,
			     m->trees[idx].nfeatures);
}

static int rmt_check_map_idx(struct rmt_verifier *v, u32 pc, u32 map)
{
	if (map >= v->env->nmaps) {
		rmt_diag_set(v->diag, RMT_E_CTXMAP, pc,
			     "no context map %u (%u declared)", map,
			     v->env->nmaps);
		return -EINVAL;
	}
	return 0;
}

static int rmt_check_ctxmap(struct rmt_verifier *v, u32 pc, u32 map,
			    s32 slot, bool store)
{
	const struct rmt_ctxmap_desc *d;

	if (rmt_check_map_idx(v, pc, map))
		return -EINVAL;
	d = rmt_ctxmap_desc(v->env->maps[map]);
	if (slot >= 0 ? (u32)slot >= d->nvals :
	    (store ? slot != RMT_CTXT_PUSH || !d->hist_len :
		     (u32)(-1 - slot) >= d->hist_len)) {
		rmt_diag_set(v->diag, RMT_E_CTXMAP_SLOT, pc,
			     "slot %d of context map %u out of range (nvals %u, hist_len %u)",
			     slot, map, d->nvals, d->hist_len);
		return -EINVAL;
	}
	return 0;
}

static int rmt_check_vldh(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 map = RMT_IMM_BYTE(insn->imm, 1), n = RMT_IMM_BYTE(insn->imm, 3);

	if (rmt_check_vec(v, pc, insn->off, RMT_IMM_BYTE(insn->imm, 0), n))
		return -EINVAL;
	return rmt_check_ctxmap(v, pc, map, RMT_CTXT_HIST(n - 1), false);
}

static int rmt_check_alu_imm(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];

	switch (insn->code) {
	case RMT_OP_LSH_I:
	case RMT_OP_RSH_I:
	case RMT_OP_ARSH_I:
		if (insn->imm < 0 || insn->imm > 63) {
			rmt_diag_set(v->diag, RMT_E_SHIFT_RANGE, pc,
				     "shift by %d out of range", insn->imm);
			return -EINVAL;
		}
		break;
	case RMT_OP_DIV_I:
	case RMT_OP_MOD_I:
		if (!insn->imm) {
			rmt_diag_set(v->diag, RMT_E_DIV_BY_ZERO, pc,
				     "division by constant zero");
			return -EINVAL;
		}
		break;
	}
	return 0;
}

int rmt_verify_operands(struct rmt_verifier *v, u32 pc)
{
	const struct rmt_insn *insn = &v->insns[pc];
	u32 b0 = RMT_IMM_BYTE(insn->imm, 0), b2 = RMT_IMM_BYTE(insn->imm, 2);
	u32 b3 = RMT_IMM_BYTE(insn->imm, 3);
	u32 lo = RMT_IMM_LO16(insn->imm), hi = RMT_IMM_HI16(insn->imm);

	switch (insn->code) {
	case RMT_OP_LDF:
	case RMT_OP_STF:
		return rmt_check_fields(v, pc, insn->off, 1,
					insn->code == RMT_OP_STF);
	case RMT_OP_VECTOR_LD:
	case RMT_OP_VECTOR_ST:
		if (rmt_check_vec(v, pc, insn->off, b0, b3))
			return -EINVAL;
		return rmt_check_fields(v, pc, b2, b3,
					insn->code == RMT_OP_VECTOR_ST);
	case RMT_OP_VECTOR_LDH:
		return rmt_check_vldh(v, pc);
	case RMT_OP_LD_CTXT:
	case RMT_OP_ST_CTXT:
		return rmt_check_ctxmap(v, pc, (u32)insn->imm, insn->off,
					insn->code == RMT_OP_ST_CTXT);
	case RMT_OP_MATCH_CTXT:
		return rmt_check_map_idx(v, pc, (u32)insn->imm);
	case RMT_OP_MAT_MUL:
		return rmt_check_matmul(v, pc);
	case RMT_OP_BIAS_ADD:
		return rmt_check_bias(v, pc);
	case RMT_OP_REQUANT:
		return rmt_check_requant(v, pc);
	case RMT_OP_RELU:
	case RMT_OP_ARGMAX:
	case RMT_OP_SCALAR_VAL:
		return rmt_check_vec(v, pc, insn->off, hi, lo);
	case RMT_OP_DTREE:
		return rmt_check_dtree(v, pc);
	case RMT_OP_CALL:
		if (!rmt_helper_lookup(insn->imm)) {
			rmt_diag_set(v->diag, RMT_E_BAD_HELPER, pc,
				     "unknown helper %d", insn->imm);
			return -EINVAL;
		}
		return 0;
	case RMT_OP_TAIL_CALL:
		if (insn->imm < 0 || (u32)insn->imm >= v->env->ntail) {
			rmt_diag_set(v->diag, RMT_E_TAIL_SLOT, pc,
				     "tail-call slot %d is not filled (%u slots)",
				     insn->imm, v->env->ntail);
			return -EINVAL;
		}
		return 0;
	}
	return rmt_check_alu_imm(v, pc);
}
