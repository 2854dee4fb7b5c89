// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ML reference kernels (rmt/ml.c) checked bit for bit against
 * results worked out by hand, and the model loader's validation: every
 * malformed blob must be rejected with RMT_E_MODEL and a message that
 * says what is wrong.
 */
#include <string.h>

#include "core.h"
#include "ktap.h"

#define DIM	RMT_MAX_DIM

static void check_s64(s64 got, s64 want, const char *fmt, const char *what)
{
	if (got != want)
		ktap_diag("got %lld, want %lld", (long long)got, (long long)want);
	ktap_check(got == want, fmt, what);
}

static bool same_s32(const s32 *got, const s32 *want, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			ktap_diag("element %u: got %d, want %d", i, got[i],
				  want[i]);
			return false;
		}
	}
	return true;
}

/* ---- matmul ---- */

static void test_matmul_i8_small(void)
{
	static const s8 w[] = { 1, 2, 3, -4, 5, -6 };
	static const s8 x[] = { 7, -8, 9 };
	static const s8 e0[] = { 1, 0, 0 }, e2[] = { 0, 0, 1 };
	static const s32 want[] = { 18, -122 };
	static const s32 want_e0[] = { 1, -4 }, want_e2[] = { 3, -6 };
	s32 y[3] = { 0, 0, 0x5555 };

	rmt_ml_matmul_i8(y, w, x, 2, 3);
	ktap_check(same_s32(y, want, 2) && y[2] == 0x5555,
		   "matmul_i8: 2x3 mixed signs, nothing past the last row");
	rmt_ml_matmul_i8(y, w, e0, 2, 3);
	ktap_check(same_s32(y, want_e0, 2), "matmul_i8: row-major, column 0");
	rmt_ml_matmul_i8(y, w, e2, 2, 3);
	ktap_check(same_s32(y, want_e2, 2), "matmul_i8: row-major, column 2");
}

static void test_matmul_i8_extremes(void)
{
	static const s8 w[] = { -128, -128, -128, 127 };
	static const s8 x[] = { -128, -128 };
	static const s32 want[] = { 32768, 16384 - 16256 };
	s32 y[2];

	rmt_ml_matmul_i8(y, w, x, 2, 2);
	ktap_check(same_s32(y, want, 2),
		   "matmul_i8: -128 * -128 twice = 32768, -128 * -128 + 127 * -128 = 128");
}

/* Full RMT_MAX_DIM rows: the sums need the int32 accumulator. */
static void test_matmul_i8_long(void)
{
	static s8 w[3 * DIM], x[DIM];
	static const s32 want[] = {
		1024 * 127 * 127, 1024 * 128 * 128, -1024 * 128 * 127,
	};
	s32 y[3];
	u32 i;

	for (i = 0; i < DIM; i++) {
		w[i] = 127;
		w[DIM + i] = -128;
		w[2 * DIM + i] = 127;
	}
	memset(x, 127, sizeof(x));
	rmt_ml_matmul_i8(y, w, x, 1, DIM);
	check_s64(y[0], want[0], "%s", "matmul_i8: 1024 x 127 * 127 = 16516096");
	for (i = 0; i < DIM; i++)
		x[i] = -128;
	rmt_ml_matmul_i8(y, w + DIM, x, 2, DIM);
	ktap_check(same_s32(y, want + 1, 2),
		   "matmul_i8: 1024 x -128 * -128 = 2^24, 1024 x 127 * -128");
}

static void test_matmul_i16(void)
{
	static const s16 w[] = {
		1000, -2000,
		-32768, -32768,
		-32768, 32767,
	};
	static const s16 x[] = { -32768, -32768 };
	static const s16 x2[] = { 300, 400 };
	static const s16 w3[] = { -32768, -32768, -32768 };
	static const s16 x3[] = { -32768, -32768, 32767 };
	s32 y[3];

	rmt_ml_matmul_i16(y, w, x2, 1, 2);
	check_s64(y[0], 300000 - 800000, "%s", "matmul_i16: 1000 * 300 - 2000 * 400");
	rmt_ml_matmul_i16(y, w, x, 2, 2);
	check_s64(y[1], S32_MIN, "%s",
		  "matmul_i16: 2^30 + 2^30 = 2^31 wraps to s32 min");
	check_s64(y[0], 32768000, "%s",
		  "matmul_i16: 1000 * -32768 + -2000 * -32768 = 32768000");
	rmt_ml_matmul_i16(y, w3, x3, 1, 3);
	check_s64(y[0], 1073774592, "%s",
		  "matmul_i16: 2^30 + 2^30 - 1073709056 comes back into range");
}

/* 1024 products of 2^30 or -1073709056: 64-bit sums, wrapped once. */
static void test_matmul_i16_long(void)
{
	static s16 w[2 * DIM], x[DIM];
	s32 y[2];
	u32 i;

	for (i = 0; i < DIM; i++) {
		w[i] = -32768;
		w[DIM + i] = 32767;
		x[i] = -32768;
	}
	rmt_ml_matmul_i16(y, w, x, 2, DIM);
	check_s64(y[0], 0, "%s", "matmul_i16: 1024 x 2^30 = 2^40 wraps to 0");
	check_s64(y[1], 33554432, "%s",
		  "matmul_i16: 1024 x -1073709056 = -(2^40 - 2^25) wraps to 2^25");
}

/* ---- bias ---- */

static void test_bias_add(void)
{
	static const s32 b[] = { 2, -3, 1, -1, 7 };
	static const s32 want[] = { 3, -4, S32_MIN, S32_MAX, 100 };
	s32 y[] = { 1, -1, S32_MAX, S32_MIN, 100 };

	rmt_ml_bias_add(y, b, 4);
	ktap_check(same_s32(y, want, 5),
		   "bias_add: plain sums, s32 max + 1 and s32 min - 1 wrap, n respected");
}

/* ---- requant ---- */

struct requant_case {
	u32 dtype;
	s32 mult;
	u32 shift;
	s32 zero;
	u32 n;
	s32 in[8];
	s32 want[8];
	const char *what;
};

static const struct requant_case requant_cases[] = {
	{ RMT_DT_I32, 1, 0, 0, 5, { 5, -5, 0, S32_MAX, S32_MIN },
	  { 5, -5, 0, S32_MAX, S32_MIN }, "shift 0, mult 1 is the identity" },
	{ RMT_DT_I32, 3, 0, 0, 2, { 5, -5 }, { 15, -15 }, "shift 0, mult 3" },
	{ RMT_DT_I32, 1, 1, 0, 6, { 1, 3, -1, -3, 2, -2 },
	  { 1, 2, 0, -1, 1, -1 },
	  "shift 1 rounds half up: 0.5 -> 1, 1.5 -> 2, -0.5 -> 0, -1.5 -> -1" },
	{ RMT_DT_I32, 1, 4, 0, 6, { 24, -24, 23, -25, 8, -8 },
	  { 2, -1, 1, -2, 1, 0 },
	  "shift 4: 1.5 -> 2, -1.5 -> -1, 1.4375 -> 1, -1.5625 -> -2" },
	{ RMT_DT_I32, 3, 2, 0, 2, { 5, -5 }, { 4, -4 },
	  "mult 3 > 1, shift 2: 3.75 -> 4, -3.75 -> -4" },
	{ RMT_DT_I32, 1 << 30, 31, 0, 4, { 3, -3, S32_MAX, S32_MIN },
	  { 2, -1, 1 << 30, -(1 << 30) },
	  "mult 2^30, shift 31: products past 32 bits" },
	{ RMT_DT_I32, S32_MAX, 62, 0, 4, { S32_MAX, S32_MIN, 1, -1 },
	  { 1, -1, 0, 0 }, "mult s32 max, shift 62: no 64-bit overflow" },
	{ RMT_DT_I8, 1, 0, 10, 6, { 0, 100, 117, 118, -138, -139 },
	  { 10, 110, 127, 127, -128, -128 },
	  "zero point 10 added before saturating to i8" },
	{ RMT_DT_I16, 1, 1, -3, 2, { 5, -5 }, { 0, -5 },
	  "zero point -3 after rounding: 2.5 -> 3, -2.5 -> -2" },
	{ RMT_DT_I8, 1, 0, 0, 6, { 127, 128, -128, -129, 100000, -100000 },
	  { 127, 127, -128, -128, 127, -128 }, "saturates to i8" },
	{ RMT_DT_I8, 1, 1, 0, 6, { 253, 254, 255, -256, -257, -258 },
	  { 127, 127, 127, -128, -128, -128 },
	  "i8: 127.5 rounds to 128 and saturates, -128.5 rounds to -128" },
	{ RMT_DT_I16, 1, 0, 0, 4, { 32767, 32768, -32768, -32769 },
	  { 32767, 32767, -32768, -32768 }, "saturates to i16" },
	{ RMT_DT_I32, 2, 0, 0, 3, { S32_MAX, S32_MIN, 5 },
	  { S32_MAX, S32_MIN, 10 }, "mult 2 saturates to i32" },
	{ RMT_DT_I32, 1, 0, 1, 1, { S32_MAX }, { S32_MAX },
	  "zero point 1 on s32 max saturates" },
	{ RMT_DT_I32, 1, 0, -1, 1, { S32_MIN }, { S32_MIN },
	  "zero point -1 on s32 min saturates" },
};

/* Element @i of an output vector, read without the library. */
static s64 out_elem(const void *v, u32 dtype, u32 i)
{
	switch (dtype) {
	case RMT_DT_I8:
		return ((const s8 *)v)[i];
	case RMT_DT_I16:
		return ((const s16 *)v)[i];
	default:
		return ((const s32 *)v)[i];
	}
}

static void test_requant_case(const struct requant_case *c)
{
	u32 esize = c->dtype == RMT_DT_I8 ? 1 : c->dtype == RMT_DT_I16 ? 2 : 4;
	u64 buf[8];
	u8 *out = (u8 *)buf;
	bool ok = true;
	u32 i;

	memset(buf, 0x5a, sizeof(buf));
	rmt_ml_requant(out, c->dtype, c->in, c->n, c->mult, c->shift, c->zero);
	for (i = 0; i < c->n; i++) {
		if (out_elem(out, c->dtype, i) != c->want[i]) {
			ktap_diag("element %u: got %lld, want %d", i,
				  (long long)out_elem(out, c->dtype, i),
				  c->want[i]);
			ok = false;
		}
	}
	if (out[c->n * esize] != 0x5a) {
		ktap_diag("wrote past element %u", c->n - 1);
		ok = false;
	}
	ktap_check(ok, "requant: %s", c->what);
}

/* ---- relu, argmax ---- */

static void test_relu(void)
{
	s8 v8[] = { -128, -1, 0, 1, 127, -5 };
	s16 v16[] = { -32768, -300, 300, 32767 };
	s32 v32[] = { S32_MIN, -70000, 70000, -1 };
	s64 v64[] = { S64_MIN, -1, 0, S64_MAX };

	rmt_ml_relu(v8, RMT_DT_I8, 5);
	ktap_check(v8[0] == 0 && v8[1] == 0 && v8[2] == 0 && v8[3] == 1 &&
		   v8[4] == 127 && v8[5] == -5,
		   "relu: i8 -128, -1 -> 0, 0, 1, 127 kept, element past n kept");
	rmt_ml_relu(v16, RMT_DT_I16, 4);
	ktap_check(v16[0] == 0 && v16[1] == 0 && v16[2] == 300 && v16[3] == 32767,
		   "relu: i16 -32768, -300 -> 0, positives kept");
	rmt_ml_relu(v32, RMT_DT_I32, 3);
	ktap_check(v32[0] == 0 && v32[1] == 0 && v32[2] == 70000 && v32[3] == -1,
		   "relu: i32 s32 min, -70000 -> 0, element past n kept");
	rmt_ml_relu(v64, RMT_DT_I64, 4);
	ktap_check(v64[0] == 0 && v64[1] == 0 && v64[2] == 0 && v64[3] == S64_MAX,
		   "relu: i64 s64 min, -1 -> 0, s64 max kept");
}

static void test_argmax(void)
{
	static const s8 v8[] = { 3, 7, -1, 7, 100 };
	static const s8 neg8[] = { -128, -128, -128 };
	static const s16 v16[] = { -32768, -32767, -32767 };
	static const s32 v32[] = { S32_MIN, -1, S32_MAX, S32_MAX };
	static const s64 v64[] = { S64_MIN, 0, S64_MAX };

	check_s64(rmt_ml_argmax(v8, RMT_DT_I8, 4), 1, "%s",
		  "argmax: i8 3, 7, -1, 7: first max wins, past n ignored");
	check_s64(rmt_ml_argmax(v8, RMT_DT_I8, 5), 4, "%s",
		  "argmax: i8 max at the last index");
	check_s64(rmt_ml_argmax(neg8, RMT_DT_I8, 3), 0, "%s",
		  "argmax: i8 all -128 gives 0");
	check_s64(rmt_ml_argmax(v16, RMT_DT_I16, 3), 1, "%s",
		  "argmax: i16 tie at -32767 gives the first");
	check_s64(rmt_ml_argmax(v32, RMT_DT_I32, 4), 2, "%s",
		  "argmax: i32 tie at s32 max gives the first");
	check_s64(rmt_ml_argmax(v64, RMT_DT_I64, 3), 2, "%s",
		  "argmax: i64 compares signed 64-bit values");
	check_s64(rmt_ml_argmax(v64, RMT_DT_I64, 1), 0, "%s",
		  "argmax: n = 1 gives 0");
}

/* ---- saturate, load and store ---- */

static void test_saturate(void)
{
	static const struct {
		s64 in;
		u32 dtype;
		s64 want;
		const char *what;
	} cases[] = {
		{ 300, RMT_DT_I8, 127, "300 -> i8 127" },
		{ -1000, RMT_DT_I8, -128, "-1000 -> i8 -128" },
		{ 127, RMT_DT_I8, 127, "i8 127 unchanged" },
		{ -128, RMT_DT_I8, -128, "i8 -128 unchanged" },
		{ 128, RMT_DT_I8, 127, "128 -> i8 127" },
		{ 40000, RMT_DT_I16, 32767, "40000 -> i16 32767" },
		{ -40000, RMT_DT_I16, -32768, "-40000 -> i16 -32768" },
		{ -32768, RMT_DT_I16, -32768, "i16 -32768 unchanged" },
		{ S64_MAX, RMT_DT_I32, S32_MAX, "s64 max -> s32 max" },
		{ S64_MIN, RMT_DT_I32, S32_MIN, "s64 min -> s32 min" },
		{ 1LL << 31, RMT_DT_I32, S32_MAX, "2^31 -> s32 max" },
		{ S64_MIN, RMT_DT_I64, S64_MIN, "i64 s64 min unchanged" },
		{ S64_MAX, RMT_DT_I64, S64_MAX, "i64 s64 max unchanged" },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_s64(rmt_ml_saturate(cases[i].in, cases[i].dtype),
			  cases[i].want, "saturate: %s", cases[i].what);
}

/* Stores saturate and touch only their element. */
static void test_store_elem(void)
{
	s8 b[4];
	s16 h[3];
	s32 w[3];
	s64 d[3];

	memset(b, 0x55, sizeof(b));
	rmt_ml_store_elem(b, RMT_DT_I8, 1, 300);
	rmt_ml_store_elem(b, RMT_DT_I8, 2, -1000);
	ktap_check(b[0] == 0x55 && b[1] == 127 && b[2] == -128 && b[3] == 0x55,
		   "store_elem: i8 300 -> 127, -1000 -> -128, neighbours kept");
	memset(h, 0x55, sizeof(h));
	rmt_ml_store_elem(h, RMT_DT_I16, 1, 40000);
	ktap_check(h[0] == 0x5555 && h[1] == 32767 && h[2] == 0x5555,
		   "store_elem: i16 40000 -> 32767 at index 1 only");
	memset(w, 0x55, sizeof(w));
	rmt_ml_store_elem(w, RMT_DT_I32, 1, -(1LL << 40));
	ktap_check(w[0] == 0x55555555 && w[1] == S32_MIN && w[2] == 0x55555555,
		   "store_elem: i32 -2^40 -> s32 min at index 1 only");
	memset(d, 0x55, sizeof(d));
	rmt_ml_store_elem(d, RMT_DT_I64, 1, S64_MIN);
	ktap_check(d[0] == 0x5555555555555555LL && d[1] == S64_MIN &&
		   d[2] == 0x5555555555555555LL,
		   "store_elem: i64 s64 min at index 1 only");
}

/* Loads sign-extend from the element's own bytes. */
static void test_load_elem(void)
{
	static const u8 b[] = { 0x01, 0xff, 0x80, 0x7f };
	static const u16 h[] = { 0x0001, 0x8000, 0xffff };
	static const u32 w[] = { 0x80000000u, 0x7fffffffu, 0xfffffffeu };
	static const u64 d[] = { 0, 0x8000000000000000ULL };

	ktap_check(rmt_ml_load_elem(b, RMT_DT_I8, 1) == -1 &&
		   rmt_ml_load_elem(b, RMT_DT_I8, 2) == -128 &&
		   rmt_ml_load_elem(b, RMT_DT_I8, 3) == 127,
		   "load_elem: i8 0xff -> -1, 0x80 -> -128, 0x7f -> 127");
	ktap_check(rmt_ml_load_elem(h, RMT_DT_I16, 1) == -32768 &&
		   rmt_ml_load_elem(h, RMT_DT_I16, 2) == -1,
		   "load_elem: i16 0x8000 -> -32768, 0xffff -> -1");
	ktap_check(rmt_ml_load_elem(w, RMT_DT_I32, 0) == S32_MIN &&
		   rmt_ml_load_elem(w, RMT_DT_I32, 1) == S32_MAX &&
		   rmt_ml_load_elem(w, RMT_DT_I32, 2) == -2,
		   "load_elem: i32 0x80000000 -> s32 min, 0xfffffffe -> -2");
	ktap_check(rmt_ml_load_elem(d, RMT_DT_I64, 1) == S64_MIN,
		   "load_elem: i64 element 1");
}

/* ---- decision trees ---- */

/*
 * A full tree of depth 3: inner nodes 0-6 in breadth-first order, node
 * i with children 2i + 1 and 2i + 2, leaves 7-14 returning 10 * index.
 */
static const struct rmt_dtree_node tree3[] = {
	{ .value = 0, .feature = 0, .left = 1, .right = 2 },
	{ .value = 0, .feature = 1, .left = 3, .right = 4 },
	{ .value = 100, .feature = 1, .left = 5, .right = 6 },
	{ .value = -10, .feature = 2, .left = 7, .right = 8 },
	{ .value = 10, .feature = 2, .left = 9, .right = 10 },
	{ .value = 20, .feature = 2, .left = 11, .right = 12 },
	{ .value = 30, .feature = 2, .left = 13, .right = 14 },
	{ .value = 70, .flags = RMT_DTREE_LEAF },
	{ .value = 80, .flags = RMT_DTREE_LEAF },
	{ .value = 90, .flags = RMT_DTREE_LEAF },
	{ .value = 100, .flags = RMT_DTREE_LEAF },
	{ .value = 110, .flags = RMT_DTREE_LEAF },
	{ .value = 120, .flags = RMT_DTREE_LEAF },
	{ .value = 130, .flags = RMT_DTREE_LEAF },
	{ .value = 140, .flags = RMT_DTREE_LEAF },
};

static void test_dtree_leaves(void)
{
	static const struct {
		s32 f[3];
		s32 want;
		const char *what;
	} cases[] = {
		{ { 0, 0, -10 }, 70, "leaf 7: every feature equal to its threshold goes left" },
		{ { S32_MIN, S32_MIN, S32_MIN }, 70, "leaf 7: s32 min features" },
		{ { 0, 0, -9 }, 80, "leaf 8: left, left, right" },
		{ { -5, 1, 10 }, 90, "leaf 9: left, right, left" },
		{ { -5, 1, 11 }, 100, "leaf 10: left, right, right" },
		{ { 1, 100, 20 }, 110, "leaf 11: right, left, left" },
		{ { 1, 100, 21 }, 120, "leaf 12: right, left, right" },
		{ { 1, 101, 30 }, 130, "leaf 13: right, right, left" },
		{ { S32_MAX, S32_MAX, S32_MAX }, 140, "leaf 14: s32 max features" },
	};
	struct rmt_tree tree = {
		.nodes = tree3, .nnodes = ARRAY_SIZE(tree3), .nfeatures = 3,
		.depth = 3,
	};
	bool reached[ARRAY_SIZE(tree3)] = { false };
	bool all = true;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		s32 got = rmt_ml_dtree(&tree, cases[i].f);

		check_s64(got, cases[i].want, "dtree: %s", cases[i].what);
		if (got >= 70 && got <= 140 && got % 10 == 0)
			reached[got / 10] = true;
	}
	for (i = 7; i < ARRAY_SIZE(tree3); i++)
		all = all && reached[i];
	ktap_check(all, "dtree: all 8 leaves of the depth-3 tree reached");
}

/* ---- model validation ---- */

static const s8 mv_w8[] = { 1, 2, 3, 4, 5, 6 };
static const s16 mv_w16[] = { 1, -2, 3, -4 };
static const s32 mv_b[] = { 10, -10 };

/* root: f0 <= 10 ? leaf 100 : (f1 <= 0 ? leaf 200 : leaf 300) */
static const struct rmt_dtree_node mv_tree[] = {
	{ .value = 10, .feature = 0, .left = 1, .right = 2 },
	{ .value = 100, .flags = RMT_DTREE_LEAF },
	{ .value = 0, .feature = 1, .left = 3, .right = 4 },
	{ .value = 200, .flags = RMT_DTREE_LEAF },
	{ .value = 300, .flags = RMT_DTREE_LEAF },
};

/* A model blob with views of its descriptors, to be damaged in place. */
struct blob {
	u8 *buf;		/* room for the blob and 16 bytes more */
	u32 len;
	struct rmt_model_hdr *hdr;
	struct rmt_tensor_desc *t;
	struct rmt_dtree_desc *td;
	u8 *data;
	struct rmt_dtree_node *nodes;
};

static bool blob_build(struct blob *b)
{
	struct rmt_tensor_desc t[] = {
		{ .dtype = RMT_DT_I8, .rows = 2, .cols = 3,
		  .out_dtype = RMT_DT_I8, .q_mult = 1, .q_shift = 1 },
		{ .dtype = RMT_DT_I16, .rows = 2, .cols = 2 },
		{ .dtype = RMT_DT_I32, .rows = 2, .cols = 1 },
	};
	const void *const tdata[] = { mv_w8, mv_w16, mv_b };
	struct rmt_dtree_desc td[] = { { .nnodes = 5, .nfeatures = 2 } };
	const struct rmt_dtree_node *const tn[] = { mv_tree };
	u32 desc = (sizeof(*b->hdr) + sizeof(t) + sizeof(td) + 7) & ~7u;
	void *raw;

	raw = rmt_model_build(t, tdata, 3, td, tn, 1, &b->len);
	b->buf = raw ? rmt_zalloc(b->len + 16) : NULL;
	if (b->buf)
		memcpy(b->buf, raw, b->len);
	rmt_free(raw);
	if (!b->buf)
		return false;
	b->hdr = (void *)b->buf;
	b->t = (void *)(b->hdr + 1);
	b->td = (void *)(b->t + 3);
	b->data = b->buf + desc;
	b->nodes = (void *)(b->data + b->td[0].data_off);
	return true;
}

static void bad_magic(struct blob *b)
{
	b->hdr->magic ^= 1;
}

static void bad_version(struct blob *b)
{
	b->hdr->version = RMT_MODEL_VERSION + 1;
}

static void hdr_reserved(struct blob *b)
{
	b->hdr->reserved = 1;
}

static void too_short(struct blob *b)
{
	b->len = sizeof(*b->hdr) - 1;
}

static void too_many_tensors(struct blob *b)
{
	b->hdr->ntensors = RMT_MAX_TENSORS + 1;
}

static void too_many_trees(struct blob *b)
{
	b->hdr->ntrees = RMT_MAX_TREES + 1;
}

static void truncated(struct blob *b)
{
	b->len -= 8;
}

static void trailing(struct blob *b)
{
	b->len += 8;
}

static void data_len_big(struct blob *b)
{
	b->hdr->data_len += 8;
}

static void dtype_zero(struct blob *b)
{
	b->t[1].dtype = 0;
}

static void dtype_five(struct blob *b)
{
	b->t[1].dtype = 5;
}

static void tensor_reserved(struct blob *b)
{
	b->t[0].reserved = 1;
}

static void rows_zero(struct blob *b)
{
	b->t[0].rows = 0;
}

static void cols_zero(struct blob *b)
{
	b->t[0].cols = 0;
}

static void rows_big(struct blob *b)
{
	b->t[0].rows = RMT_MAX_DIM + 1;
}

static void cols_big(struct blob *b)
{
	b->t[2].cols = RMT_MAX_DIM + 1;
}

static void data_at_end(struct blob *b)
{
	b->t[2].data_off = b->hdr->data_len;
}

static void data_overhang(struct blob *b)
{
	b->t[2].data_off = b->hdr->data_len - 4;
}

static void data_far(struct blob *b)
{
	b->t[2].data_off = 0xfffffffc;
}

static void misaligned16(struct blob *b)
{
	b->t[1].data_off += 1;
}

static void misaligned32(struct blob *b)
{
	b->t[2].data_off += 2;
}

static void shift_63(struct blob *b)
{
	b->t[0].q_shift = 63;
}

static void mult_zero(struct blob *b)
{
	b->t[0].q_mult = 0;
}

static void mult_negative(struct blob *b)
{
	b->t[0].q_mult = -1;
}

static void out_i64(struct blob *b)
{
	b->t[0].out_dtype = RMT_DT_I64;
}

static void out_five(struct blob *b)
{
	b->t[0].out_dtype = 5;
}

static void child_self(struct blob *b)
{
	b->nodes[0].left = 0;
}

static void child_before(struct blob *b)
{
	b->nodes[2].left = 1;
}

static void child_past_end(struct blob *b)
{
	b->nodes[2].right = 5;
}

static void feature_range(struct blob *b)
{
	b->nodes[2].feature = 2;
}

static void leaf_flag2(struct blob *b)
{
	b->nodes[3].flags = 0x2;
}

static void inner_flag_high(struct blob *b)
{
	b->nodes[0].flags = 0x8000;
}

static void tree_nnodes_zero(struct blob *b)
{
	b->td[0].nnodes = 0;
}

static void tree_nnodes_big(struct blob *b)
{
	b->td[0].nnodes = RMT_MAX_TREE_NODES + 1;
}

static void tree_nnodes_over(struct blob *b)
{
	b->td[0].nnodes = 6;
}

static void tree_nfeatures_zero(struct blob *b)
{
	b->td[0].nfeatures = 0;
}

static void tree_nfeatures_big(struct blob *b)
{
	b->td[0].nfeatures = RMT_MAX_DIM + 1;
}

/* The last padding byte before the data area (descriptors end at 100). */
static void padding_set(struct blob *b)
{
	b->data[-1] = 0xff;
}

static void tree_misaligned(struct blob *b)
{
	b->td[0].data_off += 2;
}

struct reject_case {
	void (*damage)(struct blob *b);
	const char *msg;	/* a substring of the diagnostic */
	const char *what;
};

static const struct reject_case reject_cases[] = {
	{ bad_magic, "bad model header", "bad magic" },
	{ bad_version, "bad model header", "bad version" },
	{ hdr_reserved, "bad model header", "reserved header field set" },
	{ too_short, "bad model header", "shorter than a header" },
	{ too_many_tensors, "65 tensors and 1 trees exceed the limits 64 and 16",
	  "too many tensors" },
	{ too_many_trees, "3 tensors and 17 trees exceed the limits",
	  "too many trees" },
	{ truncated, "model is 184 bytes but its header describes 192",
	  "length mismatch: truncated" },
	{ trailing, "model is 200 bytes but its header describes 192",
	  "length mismatch: bytes after the data" },
	{ data_len_big, "model is 192 bytes but its header describes 200",
	  "length mismatch: data_len too large" },
	{ dtype_zero, "tensor 1: bad dtype 0", "dtype 0" },
	{ dtype_five, "tensor 1: bad dtype 5", "dtype 5" },
	{ tensor_reserved, "tensor 0: bad dtype", "tensor reserved field set" },
	{ rows_zero, "tensor 0: shape 0x3 outside 1..1024", "zero rows" },
	{ cols_zero, "tensor 0: shape 2x0 outside 1..1024", "zero cols" },
	{ rows_big, "tensor 0: shape 1025x3 outside 1..1024", "oversized rows" },
	{ cols_big, "tensor 2: shape 2x1025 outside 1..1024", "oversized cols" },
	{ data_at_end, "tensor 2: data at 88 is misaligned or beyond the data area",
	  "data starting at the end of the data area" },
	{ data_overhang, "tensor 2: data at 84 is misaligned or beyond",
	  "data running past the data area" },
	{ data_far, "tensor 2: data at 4294967292 is misaligned or beyond",
	  "data offset near 2^32" },
	{ misaligned16, "tensor 1: data at 9 is misaligned", "misaligned i16 data" },
	{ misaligned32, "tensor 2: data at 18 is misaligned", "misaligned i32 data" },
	{ shift_63, "tensor 0: bad requantisation (out dtype 1, mult 1, shift 63)",
	  "requant q_shift 63" },
	{ mult_zero, "tensor 0: bad requantisation (out dtype 1, mult 0, shift 1)",
	  "requant q_mult 0" },
	{ mult_negative, "tensor 0: bad requantisation (out dtype 1, mult -1,",
	  "requant q_mult -1" },
	{ out_i64, "tensor 0: bad requantisation (out dtype 4,",
	  "requant out_dtype i64" },
	{ out_five, "tensor 0: bad requantisation (out dtype 5,",
	  "requant out_dtype 5" },
	{ child_self, "tree 0: node 0 has a bad feature, child or flag",
	  "child index equal to its parent's" },
	{ child_before, "tree 0: node 2 has a bad feature, child or flag",
	  "child index below its parent's" },
	{ child_past_end, "tree 0: node 2 has a bad feature, child or flag",
	  "child index past the last node" },
	{ feature_range, "tree 0: node 2 has a bad feature, child or flag",
	  "feature index out of range" },
	{ leaf_flag2, "tree 0: node 3 has a bad feature, child or flag",
	  "unknown flag on a leaf" },
	{ inner_flag_high, "tree 0: node 0 has a bad feature, child or flag",
	  "unknown flag on an inner node" },
	{ tree_nnodes_zero, "tree 0: 0 nodes over 2 features at 24 do not fit",
	  "tree of zero nodes" },
	{ tree_nnodes_big, "tree 0: 4097 nodes over 2 features", "tree too large" },
	{ tree_nnodes_over, "tree 0: 6 nodes over 2 features at 24 do not fit",
	  "tree nodes past the data area" },
	{ tree_nfeatures_zero, "tree 0: 5 nodes over 0 features", "zero features" },
	{ tree_nfeatures_big, "tree 0: 5 nodes over 1025 features",
	  "too many features" },
	{ tree_misaligned, "tree 0: 5 nodes over 2 features at 26 do not fit",
	  "misaligned nodes" },
	{ padding_set, "padding before the data area is not zero",
	  "non-zero padding before the data area" },
};

static void test_model_reject(const struct reject_case *c)
{
	struct rmt_model *m = NULL;
	struct rmt_diag diag;
	struct blob b;
	bool ok = false;

	rmt_diag_clear(&diag);
	if (blob_build(&b)) {
		c->damage(&b);
		m = rmt_model_load(b.buf, b.len, &diag);
		ok = !m && diag.code == RMT_E_MODEL && strstr(diag.msg, c->msg);
		rmt_free(b.buf);
	}
	if (!ok)
		ktap_diag("model %s, code %d, message \"%s\"",
			  m ? "accepted" : "rejected", diag.code, diag.msg);
	ktap_check(ok, "model_load rejects %s", c->what);
	rmt_model_free(m);
}

static void shift_62(struct blob *b)
{
	b->t[0].q_shift = 62;
}

static void no_requant(struct blob *b)
{
	b->t[0].out_dtype = 0;
	b->t[0].q_mult = 0;
	b->t[0].q_shift = 200;
}

static void test_model_accept(void (*tweak)(struct blob *b), const char *what)
{
	struct rmt_model *m = NULL;
	struct rmt_diag diag;
	struct blob b;

	rmt_diag_clear(&diag);
	if (blob_build(&b)) {
		if (tweak)
			tweak(&b);
		m = rmt_model_load(b.buf, b.len, &diag);
		rmt_free(b.buf);
	}
	if (!m)
		ktap_diag("rejected: %s", diag.msg);
	ktap_check(m && m->ntensors == 3 && m->ntrees == 1 &&
		   !memcmp(m->tensor_data[1], mv_w16, sizeof(mv_w16)) &&
		   m->trees[0].depth == 2 && diag.code == RMT_OK,
		   "model_load accepts %s", what);
	rmt_model_free(m);
}

/* The loader computes the depth of the depth-3 tree. */
static void test_model_depth(void)
{
	struct rmt_dtree_desc td[] = {
		{ .nnodes = ARRAY_SIZE(tree3), .nfeatures = 3 },
	};
	const struct rmt_dtree_node *const tn[] = { tree3 };
	struct rmt_tensor_desc no_t[1] = { };
	const void *const no_data[1] = { NULL };
	struct rmt_model *m = NULL;
	struct rmt_diag diag;
	s32 f[3] = { 1, 101, 31 };
	void *blob;
	u32 len;

	rmt_diag_clear(&diag);
	blob = rmt_model_build(no_t, no_data, 0, td, tn, 1, &len);
	if (blob)
		m = rmt_model_load(blob, len, &diag);
	rmt_free(blob);
	ktap_check(m && m->trees[0].depth == 3 && m->trees[0].nnodes == 15 &&
		   rmt_ml_dtree(&m->trees[0], f) == 140,
		   "model_load: depth-3 tree has depth 3 and walks to leaf 14");
	rmt_model_free(m);
}

static void test_model(void)
{
	u32 i;

	test_model_accept(NULL, "the well-formed model");
	test_model_accept(shift_62, "requant q_shift 62");
	test_model_accept(no_requant,
			  "any q_mult and q_shift when out_dtype is 0");
	for (i = 0; i < ARRAY_SIZE(reject_cases); i++)
		test_model_reject(&reject_cases[i]);
	test_model_depth();
}

int main(void)
{
	u32 i;

	ktap_begin();
	test_matmul_i8_small();
	test_matmul_i8_extremes();
	test_matmul_i8_long();
	test_matmul_i16();
	test_matmul_i16_long();
	test_bias_add();
	for (i = 0; i < ARRAY_SIZE(requant_cases); i++)
		test_requant_case(&requant_cases[i]);
	test_relu();
	test_argmax();
	test_saturate();
	test_store_elem();
	test_load_elem();
	test_dtree_leaves();
	test_model();
	return ktap_end();
}
