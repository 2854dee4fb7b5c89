// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86-64 JIT: choosing a tier, the passes that converge on code
 * size, and the sealed image.
 *
 * As in the BPF JIT, instruction sizes depend on jump distances, which
 * depend on sizes: each pass emits the whole program with the offsets
 * the previous pass found, until two passes agree.  The last pass then
 * writes into the image and must agree once more, byte count and every
 * instruction offset; anything else is a JIT bug and the interpreter
 * runs the program instead.
 */
#include "jit_x86.h"

#define JIT_MAX_PASSES		20
#define JIT_MAX_IMAGE		(8u << 20)	/* code and packed weights */
#define JIT_NS_PER_MAC_GPR	4	/* scalar code: ~0.25 ns/MAC, in 1/16 ns */
#define JIT_NS_PER_MAC_AVX2	1	/* 1/16 ns */

/* rmt.ko's "jit" parameter; AUTO loads interpret when it is off. */
bool rmt_jit_enabled = true;

static const char *const rmt_jit_tier_names[__RMT_JIT_MAX] = {
	[RMT_JIT_AUTO] = "auto",
	[RMT_JIT_INTERP] = "interp",
	[RMT_JIT_SCALAR] = "scalar",
	[RMT_JIT_AVX2] = "avx2",
	[RMT_JIT_AVX512] = "avx512",
	[RMT_JIT_AMX] = "amx",
};

const char *rmt_jit_tier_name(u32 tier)
{
	return tier < __RMT_JIT_MAX ? rmt_jit_tier_names[tier] : "?";
}

int rmt_jit_tier_parse(const char *name)
{
	int t;

	for (t = 0; t < __RMT_JIT_MAX; t++)
		if (!strcmp(name, rmt_jit_tier_names[t]))
			return t;
	return -EINVAL;
}

/**
 * rmt_jit_tier_supported() - can this CPU and build run @tier?
 * @tier: enum rmt_jit_tier; AUTO and INTERP always can
 */
bool rmt_jit_tier_supported(u32 tier)
{
	u32 f = rmt_cpu_features();

	switch (tier) {
	case RMT_JIT_AUTO:
	case RMT_JIT_INTERP:
	case RMT_JIT_SCALAR:
		return true;
	case RMT_JIT_AVX2:
		return f & RMT_CPU_AVX2;
	case RMT_JIT_AVX512:
		return f & RMT_CPU_AVX512;
	case RMT_JIT_AMX:
		return f & RMT_CPU_AMX;
	default:
		return false;
	}
}

/* Multiply-accumulates of the program's MAT_MULs, each counted once. */
static u64 prog_macs(const struct rmt_prog *prog)
{
	const struct rmt_model *m = prog->env->model;
	u64 macs = 0;
	u32 i;

	for (i = 0; i < prog->len; i++) {
		const struct rmt_insn *insn = &prog->insns[i];

		if (insn->code == RMT_OP_MAT_MUL && m) {
			const struct rmt_tensor_desc *t =
				&m->tensors[RMT_IMM_LO16(insn->imm)];

			macs += (u64)t->rows * t->cols;
		}
	}
	return macs;
}

/*
 * The cost model: SIMD pays when the matrix work it saves exceeds the
 * price of entering the FPU (kernel_fpu_begin/end in the kernel, free in
 * user space).
 */
static u32 tier_auto(const struct rmt_prog *prog, char *why, size_t size)
{
	u64 macs = prog_macs(prog), saved;
	u32 f = rmt_cpu_features(), simd;

	simd = (f & RMT_CPU_AVX512) ? RMT_JIT_AVX512 :
	       (f & RMT_CPU_AVX2) ? RMT_JIT_AVX2 : RMT_JIT_SCALAR;
	if (!macs) {
		snprintf(why, size, "auto: no matrix work, scalar code");
		return RMT_JIT_SCALAR;
	}
	if (simd == RMT_JIT_SCALAR) {
		snprintf(why, size, "auto: no AVX2 or AVX-512 VNNI on this CPU");
		return RMT_JIT_SCALAR;
	}
	saved = macs * (JIT_NS_PER_MAC_GPR - JIT_NS_PER_MAC_AVX2) / 16;
	if (saved <= RMT_FPU_COST_NS) {
		snprintf(why, size,
			 "auto: %llu MACs save ~%llu ns in SIMD, not more than the %u ns FPU entry",
			 (unsigned long long)macs, (unsigned long long)saved,
			 RMT_FPU_COST_NS);
		return RMT_JIT_SCALAR;
	}
	snprintf(why, size, "auto: %llu MACs save ~%llu ns in %s (FPU entry %u ns)",
		 (unsigned long long)macs, (unsigned long long)saved,
		 rmt_jit_tier_name(simd), RMT_FPU_COST_NS);
	return simd;
}

/* ---- the data area ---- */

u32 jit_data_alloc(struct rmt_jit *j, u32 size, u32 align)
{
	u32 off = (j->data_len + align - 1) & ~(align - 1);

	if (off + size > j->data_cap) {
		u32 cap = max_t(u32, 2 * j->data_cap, off + size + 4096);
		u8 *d = rmt_zalloc(cap);

		if (!d) {
			j->err = -ENOMEM;
			j->why = "out of memory for packed weights";
			j->data_len = off + size;
			return off;
		}
		if (j->data)
			memcpy(d, j->data, j->data_len);
		rmt_free(j->data);
		j->data = d;
		j->data_cap = cap;
	}
	memset(j->data + off, 0, size);
	j->data_len = off + size;
	return off;
}

/* ---- prologue, epilogue, passes ---- */

void jit_simd_zero(struct rmt_jit *j, u32 size);

static void emit_zero_scratch(struct rmt_jit *j)
{
	static const struct x86_op xor32 = { .nop = 1, .op = { 0x31 } };
	u32 size = j->prog->scratch_size, off = 0, n;

	if (!size)
		return;
	if (jit_tier_simd(j->tier) && size <= 4096) {
		jit_simd_zero(j, size);
		return;
	}
	emit_rr(j, &xor32, RAX, RAX);
	if (size > 512) {
		emit_mov_rr(j, RDI, JIT_SCRATCH);
		emit_mov_imm(j, RCX, size);
		emit2(j, 0xf3, 0xaa);			/* rep stosb */
		return;
	}
	for (n = 8; n; n >>= 1)
		for (; off + n <= size; off += n) {
			struct x86_mem m = mem_bd(JIT_SCRATCH, off);

			emit_store(j, RAX, &m, n);
		}
}

static const u8 jit_saved[] = { RBX, RBP, R12, R13, R14, R15 };

/*
 * Callee-saved registers the code uses: rbp (the scratch base, unless a
 * leaf never touches scratch) and those holding the RMT registers r6-r10
 * that some instruction names.  A leaf that never touches the context
 * does not load its base either.
 */
static bool jit_uses_scratch(const struct rmt_jit *j)
{
	const struct rmt_prog *p = j->prog;
	u32 i;

	if (p->scratch_size || !j->leaf)
		return true;
	for (i = 0; i < p->len; i++) {
		u8 code = p->insns[i].code;

		if ((code >= RMT_OP_LDXB && code <= RMT_OP_STDW) ||
		    (code >= RMT_OP_VECTOR_LD && code <= RMT_OP_DTREE))
			return true;
	}
	return false;
}

static bool jit_uses_ctx(const struct rmt_jit *j)
{
	const struct rmt_prog *p = j->prog;
	u32 i;

	if (!j->leaf)
		return true;
	for (i = 0; i < p->len; i++) {
		u8 code = p->insns[i].code;

		if (code == RMT_OP_LDF || code == RMT_OP_STF ||
		    code == RMT_OP_VECTOR_LD || code == RMT_OP_VECTOR_ST)
			return true;
	}
	return false;
}

static bool jit_uses(const struct rmt_jit *j, int reg)
{
	const struct rmt_prog *p = j->prog;
	u32 i;

	if (reg == RBP)
		return jit_uses_scratch(j);
	for (i = 0; i < p->len; i++)
		if (rmt_jit_reg[RMT_INSN_DST(&p->insns[i])] == reg ||
		    rmt_jit_reg[RMT_INSN_SRC(&p->insns[i])] == reg)
			return true;
	return false;
}

/* The frame keeps rsp 16-byte aligned at calls, whatever was pushed. */
static u32 jit_frame(const struct rmt_jit *j)
{
	u32 k, n = 0;

	for (k = 0; k < ARRAY_SIZE(jit_saved); k++)
		n += jit_uses(j, jit_saved[k]);
	return n % 2 ? JIT_FRAME - 8 : JIT_FRAME;
}

/*
 * Prologue: save the callee-saved registers the code uses, keep the run
 * context pointer (and the context base) in the frame, load the scratch
 * and context bases, zero the scratch the program uses.  A leaf keeps
 * only the run context pointer, pushed.
 */
static void emit_prologue(struct rmt_jit *j)
{
	struct x86_mem rc = mem_bd(RSP, JIT_FRAME_RC);
	struct x86_mem ctx = mem_bd(RSP, JIT_FRAME_CTX);
	struct x86_mem sp = mem_bd(RDI, offsetof(struct rmt_run_ctx, scratch));
	struct x86_mem cp = mem_bd(RDI, offsetof(struct rmt_run_ctx, ctx));
	u32 k;

	emit_endbr64(j);
	for (k = 0; k < ARRAY_SIZE(jit_saved); k++)
		if (jit_uses(j, jit_saved[k]))
			emit_push(j, jit_saved[k]);
	if (j->leaf) {
		if (!j->rc_rdi)
			emit_push(j, RDI);
	} else {
		emit_alu_ri(j, X86_D_SUB, RSP, jit_frame(j));
		emit_store(j, RDI, &rc, 8);
	}
	if (jit_uses_scratch(j))
		emit_load(j, JIT_SCRATCH, &sp, 8, false);
	if (jit_uses_ctx(j))
		emit_load(j, JIT_CTX, &cp, 8, false);
	if (!j->leaf)
		emit_store(j, JIT_CTX, &ctx, 8);
	emit_zero_scratch(j);
}

static void emit_epilogue(struct rmt_jit *j)
{
	int k;

	if (jit_tier_simd(j->tier))
		emit3(j, 0xc5, 0xf8, 0x77);		/* vzeroupper */
	if (j->leaf) {
		if (!j->rc_rdi)
			emit_pop(j, JIT_T1);
	} else
		emit_alu_ri(j, X86_D_ADD, RSP, jit_frame(j));
	for (k = ARRAY_SIZE(jit_saved) - 1; k >= 0; k--)
		if (jit_uses(j, jit_saved[k]))
			emit_pop(j, jit_saved[k]);
	emit_ret(j);
	emit1(j, 0xcc);
}

/* One pass; returns true if any instruction moved since the last. */
static bool jit_pass(struct rmt_jit *j)
{
	u32 i, n = j->prog->len;
	bool moved = false;

	j->len = 0;
	j->data_len = 0;
	j->vr.kind = JIT_VR_NONE;
	emit_prologue(j);
	for (i = 0; i <= n && !j->err; i++) {
		moved |= j->addrs[i] != j->len;
		j->addrs[i] = j->len;
		if (i < n && !(j->skip[i] & JIT_SKIP))
			jit_emit_insn(j, i);
		if (j->len + j->data_len > JIT_MAX_IMAGE)
			jit_fail(j, "the image would exceed 8 MiB");
	}
	emit_epilogue(j);
	return moved;
}

/* Fusions decided once, before the passes (jit_x86_simd.c). */
void jit_plan(struct rmt_jit *j);

static void jit_release(struct rmt_jit *j)
{
	rmt_free(j->data);
	rmt_free(j->skip);
	j->data = NULL;
	j->skip = NULL;
}

static void rmt_jit_image_free(struct rmt_jit_image *img)
{
	if (!img)
		return;
	rmt_jit_free_exec(img->image, img->size);
	rmt_free(img->addrs);
	rmt_free(img);
}

static int jit_converge(struct rmt_jit *j)
{
	u32 i, pass, prev = U32_MAX;

	for (i = 0; i <= j->prog->len; i++)
		j->addrs[i] = i * 64;	/* far apart: long jumps first */
	for (pass = 0; pass < JIT_MAX_PASSES; pass++) {
		bool moved = jit_pass(j);

		if (j->err)
			return j->err;
		if (!moved && j->len == prev)
			return 0;
		prev = j->code_len = j->len;
	}
	j->why = "code size did not converge";
	return -EINVAL;
}

static struct rmt_jit_image *jit_compile(const struct rmt_prog *prog, u32 tier,
					 u32 flags, const char **why)
{
	struct rmt_jit_image *img = rmt_zalloc(sizeof(*img));
	struct rmt_jit j = { .prog = prog, .tier = tier, .flags = flags };
	u32 base;

	*why = "out of memory";
	if (!img)
		return NULL;
	img->addrs = rmt_zalloc((prog->len + 1) * sizeof(u32));
	j.skip = rmt_zalloc(prog->len);
	if (!img->addrs || !j.skip)
		goto fail;
	j.addrs = img->addrs;
	j.blind = rmt_prandom_u32() | 1;
	j.leaf = jit_is_leaf(&j);
	j.rc_rdi = jit_rc_in_rdi(&j);
	jit_plan(&j);
	if (jit_converge(&j))
		goto fail_why;
	base = (j.code_len + 63) & ~63u;
	img->size = base + j.data_len;
	img->image = rmt_jit_alloc_exec(img->size);
	if (!img->image) {
		*why = "no executable memory";
		goto fail;
	}
	j.buf = img->image;
	j.cap = j.code_len;
	if (jit_pass(&j) || j.len != j.code_len) {
		j.why = j.why ?: "the final pass differs from the converged one";
		goto fail_why;
	}
	if (j.err)
		goto fail_why;
	if (j.data_len)
		memcpy(img->image + base, j.data, j.data_len);
	if (rmt_jit_seal(img->image, img->size)) {
		*why = "cannot make the image read-only and executable";
		goto fail;
	}
	img->code_len = j.code_len;
	img->tier = tier;
	img->entry = (int (*)(struct rmt_run_ctx *))(void *)img->image;
	jit_release(&j);
	return img;
fail_why:
	*why = j.why ?: "code generation failed";
fail:
	jit_release(&j);
	rmt_jit_image_free(img);
	return NULL;
}

void rmt_prog_unjit(struct rmt_prog *prog)
{
	rmt_jit_image_free(prog->jit);
	rmt_jit_image_free(prog->jit_scalar);
	prog->jit = NULL;
	prog->jit_scalar = NULL;
	prog->tier = RMT_JIT_INTERP;
}

/**
 * rmt_prog_jit() - translate a verified program to machine code
 * @prog: the program; not running (call before publishing it)
 * @tier: enum rmt_jit_tier; AUTO chooses from the CPU and the cost model
 * @flags: RMT_JIT_F_*
 * @diag: receives the reason a forced tier was refused
 *
 * With AUTO, a failure to generate code is not an error: the reason is
 * logged and kept in prog->jit_reason, and the interpreter runs the
 * program.  A forced tier that the CPU cannot run, or whose code
 * generation fails, is refused.
 *
 * Return: 0, or -EOPNOTSUPP / -EINVAL with @diag set.
 */
int rmt_prog_jit(struct rmt_prog *prog, u32 tier, u32 flags,
		 struct rmt_diag *diag)
{
	const char *why = NULL;
	bool forced = tier != RMT_JIT_AUTO;

	rmt_prog_unjit(prog);
	if (tier >= __RMT_JIT_MAX) {
		rmt_diag_set(diag, RMT_E_JIT, -1, "unknown JIT tier %u", tier);
		return -EOPNOTSUPP;
	}
	if (!rmt_jit_tier_supported(tier)) {
		rmt_diag_set(diag, RMT_E_JIT, -1,
			     "JIT tier %s is not available on this CPU or build",
			     rmt_jit_tier_name(tier));
		return -EOPNOTSUPP;
	}
	if (tier == RMT_JIT_AUTO && !READ_ONCE(rmt_jit_enabled)) {
		snprintf(prog->jit_reason, sizeof(prog->jit_reason),
			 "auto: JIT disabled (jit=0)");
		return 0;
	}
	if (tier == RMT_JIT_AUTO)
		tier = tier_auto(prog, prog->jit_reason, sizeof(prog->jit_reason));
	else
		snprintf(prog->jit_reason, sizeof(prog->jit_reason), "forced");
	if (tier == RMT_JIT_INTERP)
		return 0;
	prog->jit = jit_compile(prog, tier, flags, &why);
	if (prog->jit && jit_tier_simd(tier)) {
		prog->jit_scalar = jit_compile(prog, RMT_JIT_SCALAR, flags, &why);
		if (!prog->jit_scalar) {
			size_t n = strlen(prog->jit_reason);

			snprintf(prog->jit_reason + n, sizeof(prog->jit_reason) - n,
				 "; no scalar image (%s)", why);
		}
	}
	if (!prog->jit) {
		snprintf(prog->jit_reason, sizeof(prog->jit_reason),
			 "JIT (%s) failed: %s; interpreting",
			 rmt_jit_tier_name(tier), why);
		pr_warn("rmt: %s\n", prog->jit_reason);
		if (forced) {
			rmt_diag_set(diag, RMT_E_JIT, -1, "JIT (%s) failed: %s",
				     rmt_jit_tier_name(tier), why);
			return -EINVAL;
		}
		return 0;
	}
	prog->tier = tier;
	return 0;
}

/**
 * rmt_jit_code() - the machine code of a JITed program
 * @prog: the program
 * @len: receives the code size
 * @insn_off: receives the code offset of each instruction, and at
 *	[prog->len] of the epilogue
 *
 * Return: the code, or NULL if @prog is interpreted.
 */
const u8 *rmt_jit_code(const struct rmt_prog *prog, u32 *len,
		       const u32 **insn_off)
{
	if (!prog->jit)
		return NULL;
	*len = prog->jit->code_len;
	*insn_off = prog->jit->addrs;
	return prog->jit->image;
}

/* ---- running ---- */

static int run_image(const struct rmt_prog *prog, struct rmt_run_ctx *rc,
		     bool fpu)
{
	const struct rmt_jit_image *img = prog->jit;

	if (img && jit_tier_simd(img->tier) && !fpu)
		img = prog->jit_scalar;
	return img ? img->entry(rc) : rmt_interp_run(prog, rc);
}

/* SIMD code: inside an FPU section where the FPU is usable, else scalar. */
static RMT_NOINLINE int rmt_run_simd(const struct rmt_prog *prog,
				 struct rmt_run_ctx *rc)
{
	int ret;

	if (!rmt_fpu_usable())
		return run_image(prog, rc, false);
	rmt_fpu_begin();
	rc->in_fpu = true;
	ret = prog->jit->entry(rc);
	rc->in_fpu = false;
	rmt_fpu_end();
	return ret;
}

/**
 * rmt_run() - run a verified program: its machine code, or the interpreter
 * @prog: the program
 * @rc: context fields, scratch buffer; receives r0
 *
 * SIMD code runs inside an FPU section, and only where the FPU is
 * usable (in the kernel: not in an interrupt that interrupted FPU use);
 * elsewhere the scalar code of the same program runs.  Machine code does
 * not count instructions (rc->insns); the interpreter does.
 *
 * Return: 0 with the verdict in rc->r0, or -E2BIG (interpreter bound).
 */
int rmt_run(const struct rmt_prog *prog, struct rmt_run_ctx *rc)
{
	const struct rmt_jit_image *img = prog->jit;

	if (likely(img) && !jit_tier_simd(img->tier))
		return img->entry(rc);
	if (!img)
		return rmt_interp_run(prog, rc);
	return rmt_run_simd(prog, rc);
}

/*
 * TAIL_CALL from machine code: run the target to the end and hand its
 * result back.  1 means "not taken" (no slot or too many tail calls).
 */
long rmt_jit_tail_call(struct rmt_run_ctx *rc, const struct rmt_env *env,
		       u32 slot)
{
	const struct rmt_prog *next = env->tail[slot];

	if (rc->tail_calls >= RMT_MAX_TAIL_CALLS || !next)
		return 1;
	rc->tail_calls++;
	return run_image(next, rc, rc->in_fpu);
}
