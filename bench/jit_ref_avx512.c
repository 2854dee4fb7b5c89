// SPDX-License-Identifier: GPL-2.0-only
/*
 * The jit suite's c-intrinsics rows: the MLP and matvec workloads by
 * hand with AVX-512 VNNI, exact (bit for bit the RMT semantics), and the
 * machine's peak int8 multiply-accumulate rate.  bench.mk builds this
 * file with -mavx512f -mavx512bw -mavx512vnni; nothing here may run
 * unless jit_avx512_supported().
 *
 * vpdpbusd multiplies unsigned by signed bytes.  Activations after a
 * relu are in 0..127 and go in as they are; a signed input x goes in as
 * x + 128 (x ^ 0x80), and 128 * (sum of the row's weights) is taken off
 * again through the bias, folded in when the weights are packed.  All
 * int32 sums wrap exactly as the reference's do.
 *
 * Two weight layouts, packed once at start-up as an inference engine
 * would:
 *
 *   column	16 rows by 4 columns per 64-byte vector: one vpdpbusd with a
 *		broadcast of 4 input bytes adds 4 columns to 16 rows.  For
 *		layers with many rows.
 *   row-dot	64 columns of one row per vector, then a horizontal sum.
 *		For output layers with few rows and many columns.
 */
#include <immintrin.h>
#include <stdalign.h>
#include <time.h>

#include "jit_workloads.h"

#define JIT_INLINE	static inline __attribute__((always_inline))
#define JIT_REF		static __attribute__((noinline))
#define JIT_UNROLL	_Pragma("GCC unroll 64")	/* straight-line code */

/**
 * struct jit_vlayer - one layer, packed
 * @rowdot: row-dot layout (else column)
 * @nb: column layout: blocks of 16 rows
 * @ng: column layout: groups of 4 columns
 * @nz: row-dot layout: vectors of 64 columns per row
 * @w: the packed weights
 * @bias: column layout: @nb vectors of 16 biases, corrected
 * @rbias: row-dot layout: one bias per row, corrected
 * @q: requantisation of a hidden layer
 */
struct jit_vlayer {
	bool rowdot;
	u32 nb;
	u32 ng;
	u32 nz;
	__m512i *w;
	__m512i *bias;
	s32 *rbias;
	struct jit_q q;
};

/*
 * @q32: for every hidden layer, every accumulator times q.mult fits in
 * int32, so the requantisation can stay in 32 bits and still be exact
 */
struct jit_vmodel {
	struct jit_vlayer l[JIT_MAX_LAYERS];
	bool q32;
};

/* ---- packing ---- */

static s8 jit_w(const struct jit_dense *d, u32 r, u32 c)
{
	return r < d->rows && c < d->cols ? d->w[r * d->cols + c] : 0;
}

/* The bias, less 128 times the row's weights if the input is signed. */
static s32 jit_bias(const struct jit_dense *d, u32 r, bool signed_in)
{
	u32 sum = 0, c;

	if (r >= d->rows)
		return 0;
	for (c = 0; signed_in && c < d->cols; c++)
		sum += (u32)(s32)d->w[r * d->cols + c];
	return (s32)((d->b ? (u32)d->b[r] : 0) - 128 * sum);
}

static int jit_pack_column(struct jit_vlayer *v, const struct jit_dense *d,
			   bool signed_in)
{
	u32 b, g, j, k;
	s8 *w;
	s32 *bias;

	v->nb = (d->rows + 15) / 16;
	v->ng = (d->cols + 3) / 4;
	v->w = aligned_alloc(64, (size_t)v->nb * v->ng * 64);
	v->bias = aligned_alloc(64, (size_t)v->nb * 64);
	if (!v->w || !v->bias)
		return -ENOMEM;
	w = (s8 *)v->w;
	bias = (s32 *)v->bias;
	for (b = 0; b < v->nb; b++)
		for (g = 0; g < v->ng; g++)
			for (j = 0; j < 16; j++)
				for (k = 0; k < 4; k++)
					*w++ = jit_w(d, b * 16 + j, g * 4 + k);
	for (j = 0; j < v->nb * 16; j++)
		bias[j] = jit_bias(d, j, signed_in);
	return 0;
}

static int jit_pack_rowdot(struct jit_vlayer *v, const struct jit_dense *d,
			   bool signed_in)
{
	u32 r, c;
	s8 *w;

	v->rowdot = true;
	v->nz = (d->cols + 63) / 64;
	v->w = aligned_alloc(64, (size_t)d->rows * v->nz * 64);
	v->rbias = calloc(d->rows, sizeof(s32));
	if (!v->w || !v->rbias)
		return -ENOMEM;
	w = (s8 *)v->w;
	for (r = 0; r < d->rows; r++)
		for (c = 0; c < v->nz * 64; c++)
			*w++ = jit_w(d, r, c);
	for (r = 0; r < d->rows; r++)
		v->rbias[r] = jit_bias(d, r, signed_in);
	return 0;
}

/*
 * Can the requantisation of @d stay in 32 bits?  |x| <= 128, so an
 * accumulator is at most sum |w| * 128 + |b| from zero.
 */
static bool jit_fits_q32(const struct jit_dense *d)
{
	s64 round = d->q.shift ? 1LL << (d->q.shift - 1) : 0, worst = 0;
	u32 r, c;

	for (r = 0; r < d->rows; r++) {
		s64 bound = d->b ? llabs(d->b[r]) : 0;

		for (c = 0; c < d->cols; c++)
			bound += 128 * abs(d->w[r * d->cols + c]);
		if (bound > worst)
			worst = bound;
	}
	worst = worst * d->q.mult + round;
	return d->q.mult > 0 && worst <= S32_MAX &&
	       (worst >> d->q.shift) + llabs(d->q.zero) <= S32_MAX;
}

/**
 * jit_avx512_prepare() - pack a workload's weights (MLPs and matvec)
 * @wl: the workload; wl->avx512 receives the packed model
 *
 * Return: 0 (also for workloads without an intrinsics version), or
 * -ENOMEM.
 */
int jit_avx512_prepare(struct jit_workload *wl)
{
	struct jit_vmodel *m;
	u32 l;
	int ret = 0;

	if (!wl->nlayers)
		return 0;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	wl->avx512 = m;
	m->q32 = true;
	for (l = 0; l < wl->nlayers && !ret; l++) {
		const struct jit_dense *d = &wl->layers[l];

		m->l[l].q = d->q;
		if (d->requant && !jit_fits_q32(d))
			m->q32 = false;
		if (d->rows <= 4 && d->cols >= 64)
			ret = jit_pack_rowdot(&m->l[l], d, l == 0);
		else
			ret = jit_pack_column(&m->l[l], d, l == 0);
	}
	return ret;
}

void jit_avx512_release(struct jit_workload *wl)
{
	struct jit_vmodel *m = wl->avx512;
	u32 l;

	if (!m)
		return;
	for (l = 0; l < JIT_MAX_LAYERS; l++) {
		free(m->l[l].w);
		free(m->l[l].bias);
		free(m->l[l].rbias);
	}
	free(m);
	wl->avx512 = NULL;
}

/* ---- kernels ---- */

/*
 * Activations stay in registers: a vector of them holds @per groups of
 * 4 bytes (4 for a layer's 16-byte output, 16 for a full 64 bytes), and
 * vpermd broadcasts one group.
 */
JIT_INLINE __m512i jit_bcast(const __m512i *x, u32 per, u32 g)
{
	return _mm512_permutexvar_epi32(_mm512_set1_epi32(g % per), x[g / per]);
}

/* Signed fields to int8 (saturating, as VECTOR_LD), plus 128. */
JIT_INLINE void jit_input_u8(__m512i *x, const s64 *ctx, u32 n)
{
	const __m128i bias = _mm_set1_epi8((char)0x80);
	u32 i;

	JIT_UNROLL
	for (i = 0; i < n; i += 16) {
		__m128i lo = _mm512_cvtsepi64_epi8(_mm512_loadu_si512(ctx + i));
		__m128i hi = _mm512_cvtsepi64_epi8(_mm512_loadu_si512(ctx + i + 8));

		x[i / 16] = _mm512_castsi128_si512(
			_mm_xor_si128(_mm_unpacklo_epi64(lo, hi), bias));
	}
}

/* Rows 16b..16b+15 of a column-layout layer, in four chains (two if short). */
JIT_INLINE __m512i jit_col_block(const struct jit_vlayer *v, const __m512i *x,
				 u32 per, u32 b, u32 ng)
{
	const __m512i *w = v->w + b * ng;
	const u32 nc = ng >= 8 ? 4 : 2;
	__m512i a[4] = { v->bias[b], _mm512_setzero_si512(),
			 _mm512_setzero_si512(), _mm512_setzero_si512() };
	u32 g;

	JIT_UNROLL
	for (g = 0; g < ng; g++)
		a[g % nc] = _mm512_dpbusd_epi32(a[g % nc], jit_bcast(x, per, g),
						w[g]);
	if (nc == 2)
		return _mm512_add_epi32(a[0], a[1]);
	return _mm512_add_epi32(_mm512_add_epi32(a[0], a[1]),
				_mm512_add_epi32(a[2], a[3]));
}

/*
 * REQUANT to int8 and RELU of 16 accumulators, in 64 bits as the
 * reference: even and odd lanes separately, saturated to bytes by
 * vpmovsqb and interleaved again.
 */
JIT_INLINE __m128i jit_requant64(__m512i acc, const struct jit_q *q)
{
	const __m512i mult = _mm512_set1_epi64(q->mult);
	const __m512i round = _mm512_set1_epi64(q->shift ?
						1LL << (q->shift - 1) : 0);
	const __m512i zero = _mm512_set1_epi64(q->zero);
	const __m128i shift = _mm_cvtsi32_si128(q->shift);
	__m512i ev = _mm512_mul_epi32(acc, mult);
	__m512i od = _mm512_mul_epi32(_mm512_srli_epi64(acc, 32), mult);
	__m128i e, o;

	ev = _mm512_add_epi64(_mm512_sra_epi64(_mm512_add_epi64(ev, round),
					       shift), zero);
	od = _mm512_add_epi64(_mm512_sra_epi64(_mm512_add_epi64(od, round),
					       shift), zero);
	e = _mm512_cvtsepi64_epi8(ev);
	o = _mm512_cvtsepi64_epi8(od);
	return _mm_max_epi8(_mm_unpacklo_epi8(e, o), _mm_setzero_si128());
}

/* The same where nothing can overflow 32 bits (jit_fits_q32()). */
JIT_INLINE __m128i jit_requant32(__m512i acc, const struct jit_q *q)
{
	const __m512i round = _mm512_set1_epi32(q->shift ?
						1 << (q->shift - 1) : 0);
	const __m128i shift = _mm_cvtsi32_si128(q->shift);

	if (q->mult != 1)
		acc = _mm512_mullo_epi32(acc, _mm512_set1_epi32(q->mult));
	acc = _mm512_sra_epi32(_mm512_add_epi32(acc, round), shift);
	acc = _mm512_add_epi32(acc, _mm512_set1_epi32(q->zero));
	return _mm_max_epi8(_mm512_cvtsepi32_epi8(acc), _mm_setzero_si128());
}

/* A hidden layer, column layout: 16 int8 activations per vector of @h. */
JIT_INLINE void jit_col_hidden(const struct jit_vlayer *v, const __m512i *x,
			       u32 per, __m512i *h, u32 nb, u32 ng, bool q32)
{
	u32 b;

	JIT_UNROLL
	for (b = 0; b < nb; b++) {
		__m512i acc = jit_col_block(v, x, per, b, ng);

		h[b] = _mm512_castsi128_si512(q32 ? jit_requant32(acc, &v->q) :
						    jit_requant64(acc, &v->q));
	}
}

/* 64 activations from four 16-byte vectors. */
JIT_INLINE __m512i jit_join4(const __m512i *h)
{
	__m512i lo = _mm512_inserti32x4(h[0], _mm512_castsi512_si128(h[1]), 1);
	__m512i hi = _mm512_inserti32x4(h[2], _mm512_castsi512_si128(h[3]), 1);

	return _mm512_inserti64x4(lo, _mm512_castsi512_si256(hi), 1);
}

/* Row @r of a row-dot layer: two chains, then a horizontal sum. */
JIT_INLINE s32 jit_rowdot(const struct jit_vlayer *v, const __m512i *x,
			  u32 r, u32 nz)
{
	const __m512i *w = v->w + r * nz;
	__m512i a[2] = { _mm512_setzero_si512(), _mm512_setzero_si512() };
	u32 z;

	JIT_UNROLL
	for (z = 0; z < nz; z++)
		a[z % 2] = _mm512_dpbusd_epi32(a[z % 2], x[z], w[z]);
	return (s32)((u32)_mm512_reduce_add_epi32(_mm512_add_epi32(a[0], a[1])) +
		     (u32)v->rbias[r]);
}

/* Lanes 0 and 1 of a vector, stored, and their argmax. */
JIT_INLINE s64 jit_argmax2(__m512i y, s32 *out)
{
	__m128i lo = _mm512_castsi512_si128(y);

	out[0] = _mm_cvtsi128_si32(lo);
	out[1] = _mm_extract_epi32(lo, 1);
	return out[1] > out[0];
}

/*
 * Each model comes in two copies, one per requantisation (a constant
 * @q32), chosen once per call from what jit_avx512_prepare() proved.
 */
#define JIT_BOTH(fn, wl, ctx, out)					\
	(((const struct jit_vmodel *)(wl)->avx512)->q32 ?		\
	 fn((wl)->avx512, ctx, out, true) : fn((wl)->avx512, ctx, out, false))

JIT_INLINE s64 jit_mlp(const struct jit_vmodel *m, const s64 *ctx, s32 *out,
		       bool q32)
{
	__m512i x[1], h1[JIT_MLP_H / 16], h2[JIT_MLP_H / 16];

	jit_input_u8(x, ctx, 16);
	jit_col_hidden(&m->l[0], x, 4, h1, JIT_MLP_H / 16, 4, q32);
	jit_col_hidden(&m->l[1], h1, 4, h2, JIT_MLP_H / 16, JIT_MLP_H / 4, q32);
	return jit_argmax2(jit_col_block(&m->l[2], h2, 4, 0, JIT_MLP_H / 4),
			   out);
}

JIT_REF s64 jit_avx512_mlp(const struct jit_workload *wl, const s64 *ctx,
			   s32 *out)
{
	return JIT_BOTH(jit_mlp, wl, ctx, out);
}

JIT_INLINE s64 jit_mllb(const struct jit_vmodel *m, const s64 *ctx, s32 *out,
			bool q32)
{
	__m512i x[1], h[1], y;

	jit_input_u8(x, ctx, 16);
	jit_col_hidden(&m->l[0], x, 4, h, 1, 4, q32);
	y = jit_col_block(&m->l[1], h, 4, 0, 3);
	out[0] = _mm_cvtsi128_si32(_mm512_castsi512_si128(y));
	return out[0] > 0;
}

JIT_REF s64 jit_avx512_mllb(const struct jit_workload *wl, const s64 *ctx,
			    s32 *out)
{
	return JIT_BOTH(jit_mllb, wl, ctx, out);
}

JIT_INLINE s64 jit_linnos(const struct jit_vmodel *m, const s64 *ctx,
			  s32 *out, bool q32)
{
	__m512i x[2], h[JIT_LINNOS_H / 16], hz[JIT_LINNOS_H / 64];
	u32 z;

	jit_input_u8(x, ctx, 32);
	jit_col_hidden(&m->l[0], x, 4, h, JIT_LINNOS_H / 16, 8, q32);
	JIT_UNROLL
	for (z = 0; z < JIT_LINNOS_H / 64; z++)
		hz[z] = jit_join4(h + 4 * z);
	out[0] = jit_rowdot(&m->l[1], hz, 0, JIT_LINNOS_H / 64);
	out[1] = jit_rowdot(&m->l[1], hz, 1, JIT_LINNOS_H / 64);
	return out[1] > out[0];
}

JIT_REF s64 jit_avx512_linnos(const struct jit_workload *wl, const s64 *ctx,
			      s32 *out)
{
	return JIT_BOTH(jit_linnos, wl, ctx, out);
}

/* 64 outputs in 4 blocks; the argmax is the first lane equal to the max. */
JIT_REF s64 jit_avx512_matvec(const struct jit_workload *wl, const s64 *ctx,
			      s32 *out)
{
	const struct jit_vlayer *v = &((const struct jit_vmodel *)wl->avx512)->l[0];
	__m512i x[1], y[4], mx;
	u64 mask = 0;
	u32 b;

	x[0] = _mm512_xor_si512(_mm512_loadu_si512(ctx),
				_mm512_set1_epi8((char)0x80));
	JIT_UNROLL
	for (b = 0; b < 4; b++)
		y[b] = jit_col_block(v, x, 16, b, JIT_MATVEC_N / 4);
	mx = _mm512_max_epi32(_mm512_max_epi32(y[0], y[1]),
			      _mm512_max_epi32(y[2], y[3]));
	mx = _mm512_set1_epi32(_mm512_reduce_max_epi32(mx));
	JIT_UNROLL
	for (b = 0; b < 4; b++) {
		_mm512_storeu_si512(out + 16 * b, y[b]);
		mask |= (u64)_mm512_cmpeq_epi32_mask(y[b], mx) << (16 * b);
	}
	return __builtin_ctzll(mask);
}

const jit_ref_fn jit_ref_avx512[JIT_NR_WL] = {
	[JIT_WL_MLP] = jit_avx512_mlp,
	[JIT_WL_MLLB] = jit_avx512_mllb,
	[JIT_WL_LINNOS] = jit_avx512_linnos,
	[JIT_WL_MATVEC] = jit_avx512_matvec,
};

bool jit_avx512_supported(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512vnni");
}

/* ---- peak int8 MAC rate ---- */

#define JIT_PEAK_ACCS	14	/* independent vpdpbusd chains */
#define JIT_PEAK_ITERS	(1u << 20)
#define JIT_PEAK_RUNS	9

#define JIT_DP(n)	"vpdpbusd %%zmm31, %%zmm30, %%zmm" #n "\n\t"

/* JIT_PEAK_ACCS independent vpdpbusd per iteration, in zmm16-29. */
static void jit_peak_loop(u64 iters)
{
	asm volatile(
		"vpternlogd $0xff, %%zmm30, %%zmm30, %%zmm30\n\t"
		"vpternlogd $0xff, %%zmm31, %%zmm31, %%zmm31\n\t"
		"1:\n\t"
		JIT_DP(16) JIT_DP(17) JIT_DP(18) JIT_DP(19) JIT_DP(20)
		JIT_DP(21) JIT_DP(22) JIT_DP(23) JIT_DP(24) JIT_DP(25)
		JIT_DP(26) JIT_DP(27) JIT_DP(28) JIT_DP(29)
		"dec %0\n\t"
		"jnz 1b\n\t"
		: "+r"(iters)
		:
		: "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21",
		  "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27",
		  "xmm28", "xmm29", "xmm30", "xmm31", "cc");
}

static double jit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/**
 * jit_peak_int8_macs_per_ns() - the best int8 MAC rate of vpdpbusd zmm
 *
 * JIT_PEAK_ACCS independent accumulators, enough to cover the latency
 * of the instruction on every port that runs it; the best of several
 * runs after a warm-up (which also brings the core to its AVX-512
 * clock).
 *
 * Return: multiply-accumulates per ns.
 */
double jit_peak_int8_macs_per_ns(void)
{
	double best = 0;
	int i;

	jit_peak_loop(JIT_PEAK_ITERS);
	for (i = 0; i < JIT_PEAK_RUNS; i++) {
		double t = jit_now_ns(), rate;

		jit_peak_loop(JIT_PEAK_ITERS);
		t = jit_now_ns() - t;
		rate = (double)JIT_PEAK_ITERS * JIT_PEAK_ACCS * 64 / t;
		if (rate > best)
			best = rate;
	}
	return best;
}
