/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Workloads of the jit benchmark suite (bench/bench_jit.c), shared by
 * every implementation that runs them: the RMT programs (interpreter and
 * JIT tiers), the plain C references, the AVX-512 VNNI references and
 * the eBPF programs (bench/jit_ebpf.bpf.c, which sees only the part of
 * this header above the user-space section: shapes and the layout of the
 * eBPF program's global data).
 *
 * Every workload reads one row of JIT_NR_INPUTS input rows of
 * JIT_CTX_FIELDS signed 64-bit fields (the test hook's context) and
 * returns a verdict (r0).  Weights and inputs come from a fixed-seed
 * LCG, so every run of the suite measures the same numbers.
 */
#ifndef _RMT_BENCH_JIT_WORKLOADS_H
#define _RMT_BENCH_JIT_WORKLOADS_H

#ifdef __bpf__
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
#else
#include "core.h"
#endif

#define JIT_NR_INPUTS	64	/* input rows, a power of two */
#define JIT_CTX_FIELDS	32	/* fields of the test hook's context */
#define JIT_SEQ_LEN	4096	/* the order rows are taken in, a power of two */

/* Shapes (rows are outputs, cols inputs, as in struct rmt_tensor_desc). */
#define JIT_MLP_IN	15
#define JIT_MLP_H	32
#define JIT_MLP_OUT	2
#define JIT_MLLB_IN	15
#define JIT_MLLB_H	10
#define JIT_MLLB_OUT	1
#define JIT_LINNOS_IN	31
#define JIT_LINNOS_H	256
#define JIT_LINNOS_OUT	2
#define JIT_MATVEC_N	64	/* 64x64, input packed in fields 0-7 */
#define JIT_DT_FEATURES	16	/* i32 features from fields 0-15 */
#define JIT_DT_DEPTH	12	/* inner nodes on the longest path */
#define JIT_DT_MAX_NODES 1024
#define JIT_LOOP_TRIPS	64
#define JIT_LOOP_MASK	0xffffff

/**
 * enum jit_wl_id - the workloads, in report order
 * @JIT_WL_MLP: int8 MLP 15->32->32->2, requant+relu between layers, argmax
 * @JIT_WL_MLLB: int8 MLP 15->10->1 (the MLLB migration model), verdict
 *	y > 0
 * @JIT_WL_LINNOS: int8 MLP 31->256->2 (LinnOS), argmax
 * @JIT_WL_MATVEC: 64x64 int8 matvec into int32, argmax; the 64 int8
 *	inputs are the bytes of fields 0-7
 * @JIT_WL_DTREE: a depth-12 decision tree over 16 int32 features
 * @JIT_WL_LOOP: a 64-trip loop of five ALU instructions
 * @JIT_WL_EMPTY: r0 = 0; exit
 */
enum jit_wl_id {
	JIT_WL_MLP,
	JIT_WL_MLLB,
	JIT_WL_LINNOS,
	JIT_WL_MATVEC,
	JIT_WL_DTREE,
	JIT_WL_LOOP,
	JIT_WL_EMPTY,
	JIT_NR_WL,
};

/* Requantisation of a hidden layer, as in struct rmt_tensor_desc. */
struct jit_q {
	s32 mult;
	s32 shift;
	s32 zero;
	s32 pad;
};

/* A decision-tree node, as struct rmt_dtree_node. */
struct jit_bpf_node {
	s32 value;
	u16 feature;
	u16 flags;
	u16 left;
	u16 right;
};

/*
 * The eBPF programs' read-only global data (their .rodata, set before
 * the object is loaded): every workload's inputs and weights.
 */
struct jit_bpf_rodata {
	s64 in[JIT_NR_WL][JIT_NR_INPUTS][JIT_CTX_FIELDS];
	u8 seq[JIT_SEQ_LEN];
	struct jit_q mlp_q[2];
	struct jit_q mllb_q;
	struct jit_q linnos_q;
	s8 mlp_w1[JIT_MLP_H][JIT_MLP_IN];
	s32 mlp_b1[JIT_MLP_H];
	s8 mlp_w2[JIT_MLP_H][JIT_MLP_H];
	s32 mlp_b2[JIT_MLP_H];
	s8 mlp_w3[JIT_MLP_OUT][JIT_MLP_H];
	s32 mlp_b3[JIT_MLP_OUT];
	s8 mllb_w1[JIT_MLLB_H][JIT_MLLB_IN];
	s32 mllb_b1[JIT_MLLB_H];
	s8 mllb_w2[JIT_MLLB_OUT][JIT_MLLB_H];
	s32 mllb_b2[JIT_MLLB_OUT];
	s8 linnos_w1[JIT_LINNOS_H][JIT_LINNOS_IN];
	s32 linnos_b1[JIT_LINNOS_H];
	s8 linnos_w2[JIT_LINNOS_OUT][JIT_LINNOS_H];
	s32 linnos_b2[JIT_LINNOS_OUT];
	s8 matvec_w[JIT_MATVEC_N][JIT_MATVEC_N];
	struct jit_bpf_node tree[JIT_DT_MAX_NODES];
};

/*
 * The eBPF programs' writable global data (.bss): run n takes row
 * (seq[n mod JIT_SEQ_LEN] + (chained ? r0 : 0)) mod JIT_NR_INPUTS, as in
 * user space (jit_next_row()); the last output vector is left here for
 * the correctness check.
 */
struct jit_bpf_state {
	u64 n;
	s64 r0;
	u64 chained;
	s32 out[JIT_MATVEC_N];
};

#ifndef __bpf__

#define JIT_MAX_LAYERS	3

/*
 * The order the benchmark takes input rows in: each row JIT_SEQ_LEN /
 * JIT_NR_INPUTS times, shuffled, so that neither the rows nor the
 * verdicts form a pattern a branch predictor could learn.
 */
extern u8 jit_seq[JIT_SEQ_LEN];

/* Run @n's row; a chained run adds the previous verdict @r0. */
static inline u32 jit_next_row(u64 n, s64 r0)
{
	return (jit_seq[n & (JIT_SEQ_LEN - 1)] + (u64)r0) & (JIT_NR_INPUTS - 1);
}

/**
 * struct jit_dense - one fully connected int8 layer
 * @rows: outputs
 * @cols: inputs
 * @w: rows x cols weights, row-major
 * @b: rows int32 biases, or NULL for none
 * @requant: requantise to int8 and apply relu (hidden layers)
 * @q: the requantisation
 */
struct jit_dense {
	u32 rows;
	u32 cols;
	s8 *w;
	s32 *b;
	bool requant;
	struct jit_q q;
};

/**
 * struct jit_workload - one workload, built by jit_workloads_init()
 * @id: enum jit_wl_id
 * @name: its name in the report
 * @macs: int8 multiply-accumulates per inference
 * @inputs: the input rows the benchmark cycles through
 * @layers: dense layers, input first (MLP and matvec workloads)
 * @nlayers: how many
 * @nodes: tree nodes (dtree)
 * @nnodes: how many
 * @out_off: scratch offset of the int32 output vector, or -1
 * @out_len: its length
 * @text: the RMT assembly source
 * @env: the environment its programs are verified against
 * @insns: the assembled program
 * @len: its length
 * @avx512: the AVX-512 reference's packed weights, or NULL
 */
struct jit_workload {
	u32 id;
	const char *name;
	u64 macs;
	s64 inputs[JIT_NR_INPUTS][JIT_CTX_FIELDS] __attribute__((aligned(64)));
	struct jit_dense layers[JIT_MAX_LAYERS];
	u32 nlayers;
	struct rmt_dtree_node *nodes;
	u32 nnodes;
	int out_off;
	u32 out_len;
	char *text;
	struct rmt_env env;
	struct rmt_insn *insns;
	u32 len;
	void *avx512;
};

/* jit_workloads.c */
int jit_workloads_init(struct jit_workload *wls, char *err, size_t errlen);
void jit_workloads_free(struct jit_workload *wls);
void jit_random_input(const struct jit_workload *wl, u64 *seed, s64 *ctx);
struct rmt_prog *jit_workload_load(const struct jit_workload *wl,
				   struct rmt_diag *diag);

/*
 * A C reference: the verdict for one input row, with the workload's
 * int32 output vector (wl->out_len elements) written to @out.
 */
typedef s64 (*jit_ref_fn)(const struct jit_workload *wl, const s64 *ctx,
			  s32 *out);

/* jit_ref_scalar.c: general-purpose registers only */
extern const jit_ref_fn jit_ref_scalar[JIT_NR_WL];

/* jit_ref_avx512.c: AVX-512 VNNI; NULL where a workload has none */
extern const jit_ref_fn jit_ref_avx512[JIT_NR_WL];
bool jit_avx512_supported(void);
int jit_avx512_prepare(struct jit_workload *wl);
void jit_avx512_release(struct jit_workload *wl);
double jit_peak_int8_macs_per_ns(void);

/* jit_ebpf.c: the eBPF programs, through BPF_PROG_TEST_RUN */
struct jit_ebpf;

struct jit_ebpf *jit_ebpf_open(const char *path, struct jit_workload *wls,
			       char *why, size_t whylen);
void jit_ebpf_close(struct jit_ebpf *e);
int jit_ebpf_run_once(struct jit_ebpf *e, u32 wl, u32 row, s64 *r0,
		      s32 *out);
int jit_ebpf_measure(struct jit_ebpf *e, u32 wl, double *ns_lat,
		     double *ns_tput, u32 *repeat);

#endif /* !__bpf__ */

#endif /* _RMT_BENCH_JIT_WORKLOADS_H */
