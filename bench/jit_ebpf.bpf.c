// SPDX-License-Identifier: GPL-2.0-only
/*
 * The jit suite's ebpf-jit rows: each workload as an eBPF program, the
 * way one would write it in C for the kernel's BPF JIT.  Built with
 * clang -O2 -target bpf (bench.mk), loaded and run by bench/jit_ebpf.c
 * through BPF_PROG_TEST_RUN.
 *
 * They are XDP programs only because XDP's test run supports repeat and
 * reports the duration; the packet is ignored.  Inputs and weights are
 * const arrays in .rodata (struct jit_bpf_rodata, filled in before the
 * load from the same generator as every other implementation); each run
 * picks its input row as user space does, from the state in .bss, where
 * it also leaves its verdict (chained runs add it to the next row) and
 * its int32 output vector.
 */
#include "jit_workloads.h"

#define SEC(name)	__attribute__((section(name), used))
#define JIT_INLINE	static inline __attribute__((always_inline))

char _license[] SEC("license") = "GPL";

const volatile struct jit_bpf_rodata ro = {};
struct jit_bpf_state st;

/* As jit_next_row() in user space. */
JIT_INLINE const volatile s64 *jit_next_input(u32 wl)
{
	u64 n = st.n++, row = ro.seq[n & (JIT_SEQ_LEN - 1)];

	if (st.chained)
		row += st.r0;
	return ro.in[wl][row & (JIT_NR_INPUTS - 1)];
}

JIT_INLINE int jit_done(s64 r0)
{
	st.r0 = r0;
	return (int)r0;
}

JIT_INLINE s64 jit_sat(s64 v, s64 lo, s64 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

JIT_INLINE void jit_load_i8(s8 *x, const volatile s64 *in, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		x[i] = jit_sat(in[i], -128, 127);
}

JIT_INLINE s8 jit_requant_relu(s32 acc, const volatile struct jit_q *q)
{
	s32 shift = q->shift;
	s64 round = shift ? (s64)1 << (shift - 1) : 0;
	s64 v = (((s64)acc * q->mult + round) >> shift) + q->zero;

	v = jit_sat(v, -128, 127);
	return v < 0 ? 0 : v;
}

/* One output of a layer: int8 dot product plus (wrapping) bias. */
#define JIT_DOT(acc, W, B, x, r, cols) do {				\
	u32 __c;							\
									\
	(acc) = 0;							\
	for (__c = 0; __c < (cols); __c++)				\
		(acc) += (s32)(W)[r][__c] * (s32)(x)[__c];		\
	(acc) = (s32)((u32)(acc) + (u32)(B)[r]);			\
} while (0)

#define JIT_HIDDEN(W, B, Q, x, h, rows, cols) do {			\
	u32 __r;							\
	s32 __acc;							\
									\
	for (__r = 0; __r < (rows); __r++) {				\
		JIT_DOT(__acc, W, B, x, __r, cols);			\
		(h)[__r] = jit_requant_relu(__acc, Q);			\
	}								\
} while (0)

#define JIT_OUTPUT(W, B, x, rows, cols) do {				\
	u32 __r;							\
	s32 __acc;							\
									\
	for (__r = 0; __r < (rows); __r++) {				\
		JIT_DOT(__acc, W, B, x, __r, cols);			\
		st.out[__r] = __acc;					\
	}								\
} while (0)

SEC("xdp")
int jit_mlp(void *ctx)
{
	const volatile s64 *in = jit_next_input(JIT_WL_MLP);
	s8 x[JIT_MLP_IN], h1[JIT_MLP_H], h2[JIT_MLP_H];

	jit_load_i8(x, in, JIT_MLP_IN);
	JIT_HIDDEN(ro.mlp_w1, ro.mlp_b1, &ro.mlp_q[0], x, h1, JIT_MLP_H,
		   JIT_MLP_IN);
	JIT_HIDDEN(ro.mlp_w2, ro.mlp_b2, &ro.mlp_q[1], h1, h2, JIT_MLP_H,
		   JIT_MLP_H);
	JIT_OUTPUT(ro.mlp_w3, ro.mlp_b3, h2, JIT_MLP_OUT, JIT_MLP_H);
	return jit_done(st.out[1] > st.out[0]);
}

SEC("xdp")
int jit_mllb(void *ctx)
{
	const volatile s64 *in = jit_next_input(JIT_WL_MLLB);
	s8 x[JIT_MLLB_IN], h[JIT_MLLB_H];

	jit_load_i8(x, in, JIT_MLLB_IN);
	JIT_HIDDEN(ro.mllb_w1, ro.mllb_b1, &ro.mllb_q, x, h, JIT_MLLB_H,
		   JIT_MLLB_IN);
	JIT_OUTPUT(ro.mllb_w2, ro.mllb_b2, h, JIT_MLLB_OUT, JIT_MLLB_H);
	return jit_done(st.out[0] > 0);
}

SEC("xdp")
int jit_linnos(void *ctx)
{
	const volatile s64 *in = jit_next_input(JIT_WL_LINNOS);
	s8 x[JIT_LINNOS_IN], h[JIT_LINNOS_H];

	jit_load_i8(x, in, JIT_LINNOS_IN);
	JIT_HIDDEN(ro.linnos_w1, ro.linnos_b1, &ro.linnos_q, x, h,
		   JIT_LINNOS_H, JIT_LINNOS_IN);
	JIT_OUTPUT(ro.linnos_w2, ro.linnos_b2, h, JIT_LINNOS_OUT,
		   JIT_LINNOS_H);
	return jit_done(st.out[1] > st.out[0]);
}

/*
 * The argmax keeps the best value in a register: reading st.out[best]
 * would make the verifier follow every path of the compares separately.
 */
SEC("xdp")
int jit_matvec(void *ctx)
{
	const volatile s8 *x = (const volatile s8 *)jit_next_input(JIT_WL_MATVEC);
	s32 acc, best_acc = 0;
	u32 r, c, best = 0;

	for (r = 0; r < JIT_MATVEC_N; r++) {
		acc = 0;
		for (c = 0; c < JIT_MATVEC_N; c++)
			acc += (s32)ro.matvec_w[r][c] * (s32)x[c];
		st.out[r] = acc;
		if (!r || acc > best_acc) {
			best_acc = acc;
			best = r;
		}
	}
	return jit_done(best);
}

SEC("xdp")
int jit_dtree(void *ctx)
{
	const volatile s64 *in = jit_next_input(JIT_WL_DTREE);
	s32 f[JIT_DT_FEATURES];
	u32 i, n = 0;

	for (i = 0; i < JIT_DT_FEATURES; i++)
		f[i] = jit_sat(in[i], -2147483648LL, 2147483647LL);
	for (i = 0; i < JIT_DT_DEPTH; i++) {
		const volatile struct jit_bpf_node *nd = &ro.tree[n];

		if (nd->flags & 1)
			break;
		n = f[nd->feature & (JIT_DT_FEATURES - 1)] <= nd->value ?
		    nd->left : nd->right;
		n &= JIT_DT_MAX_NODES - 1;
	}
	return jit_done(ro.tree[n].value);
}

SEC("xdp")
int jit_loop(void *ctx)
{
	const volatile s64 *in = jit_next_input(JIT_WL_LOOP);
	u64 a = in[0], b = in[1], r0 = 0, i;

	for (i = 0; i < JIT_LOOP_TRIPS; i++)
		r0 += ((i * a) ^ b) & JIT_LOOP_MASK;
	return jit_done(r0);
}

SEC("xdp")
int jit_empty(void *ctx)
{
	return 0;
}
