// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc end to end in user space: policies are compiled, verified,
 * committed to a store and run, and their results are compared with the
 * same computation written in C.  Covers arithmetic (signed division,
 * shifts, truncation to narrow types), conditions, loops, locals beyond
 * the registers, helpers, action parameters, context maps with history,
 * every match kind, and the three model kinds.  Errors found while
 * lowering are checked for their exact message and place.
 */
#include <string.h>

#include "asm.h"
#include "rmtc.h"
#include "store.h"
#include "ktap.h"

struct harness {
	struct rmt_store st;
	struct rmtc_policy pol;
	struct rmtc_diags ds;
};

static u64 rng = 0x9e3779b97f4a7c15ULL;

static s64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (s64)rng;
}

static int load(struct harness *h, const char *src)
{
	struct rmt_op_error err = { 0 };

	memset(h, 0, sizeof(*h));
	rmt_store_init(&h->st);
	if (rmtc_compile_text("t.rmt", src, &h->pol, &h->ds) ||
	    rmtc_policy_check(&h->pol, &h->ds)) {
		rmtc_diags_print(&h->ds, stdout);
		return -1;
	}
	if (rmt_store_commit(&h->st, h->pol.ops, h->pol.nops, &err)) {
		ktap_diag("commit refused: %s", err.diag.msg);
		return -1;
	}
	return 0;
}

static void unload(struct harness *h)
{
	rmt_store_destroy(&h->st);
	rmtc_policy_release(&h->pol);
	rmtc_diags_release(&h->ds);
}

/* Run a program or table on @in; the context afterwards goes to @out. */
static s64 run(struct harness *h, const char *name, bool table, const s64 *in,
	       s64 *out, int *err)
{
	static u8 scratch[RMT_SCRATCH_SIZE];
	struct rmt_test_run tr = { .in = in, .ctx = out, .repeat = 1,
				   .scratch = scratch };
	struct rmt_obj *ob;

	ob = rmt_store_find(&h->st, table ? RMT_OBJ_TABLE : RMT_OBJ_PROG, name, 0,
			    h->st.generation);
	if (!ob) {
		*err = -1;
		return 0;
	}
	tr.nfields = rmt_hook_schema(table ? ((struct rmt_table *)ob)->hook :
				     ((struct rmt_prog_obj *)ob)->hook)->nfields;
	rmt_test_repeat(table ? NULL : ((struct rmt_prog_obj *)ob)->prog,
			table ? (struct rmt_table *)ob : NULL, h->st.generation, &tr);
	*err = tr.err;
	return tr.r0;
}

/* ---- arithmetic ---- */

static const char arith_src[] =
	"action arith at test -> s64 {\n"
	"	s64 a = ctx.f0; s64 b = ctx.f1;\n"
	"	u64 ua = u64(ctx.f0); u64 ub = u64(ctx.f1);\n"
	"	ctx.f2 = a + b; ctx.f3 = a - b; ctx.f4 = a * b;\n"
	"	ctx.f5 = a / b; ctx.f6 = a % b;\n"
	"	ctx.f7 = s64(ua / ub); ctx.f8 = s64(ua % ub);\n"
	"	ctx.f9 = a >> 3; ctx.f10 = s64(ua >> 3); ctx.f11 = a << 5;\n"
	"	ctx.f12 = (a & b) | (a ^ 0x55); ctx.f13 = ~a; ctx.f14 = -a;\n"
	"	u8 t8 = a; s8 s8v = a; u32 t32 = a; s16 s16v = a;\n"
	"	ctx.f15 = s64(t8); ctx.f16 = s8v; ctx.f17 = s64(t32); ctx.f18 = s16v;\n"
	"	ctx.f19 = a < b; ctx.f20 = ua < ub;\n"
	"	ctx.f21 = a == b || a > 100 && b < 0; ctx.f22 = !(a >= b);\n"
	"	ctx.f23 = min(a, b) + max(a, abs(b));\n"
	"	ctx.f24 = 0x123456789abcdef0 ^ a;\n"
	"	ctx.f25 = a / 7 + a % -5 + (a * 3 - b) / (b | 1);\n"
	"	s32 acc = 0; acc += t8; acc -= s8v; acc *= 3;\n"
	"	ctx.f26 = acc;\n"
	"	return a;\n"
	"}\n";

static s64 sdiv(s64 a, s64 b)
{
	if (!b)
		return 0;
	if (b == -1)
		return (s64)(0 - (u64)a);
	return a / b;
}

static s64 smod(s64 a, s64 b)
{
	if (!b)
		return a;
	if (b == -1)
		return 0;
	return a % b;
}

static void arith_expect(s64 a, s64 b, s64 *x)
{
	u64 ua = a, ub = b;
	s32 acc = 0;

	x[2] = (s64)(ua + ub);
	x[3] = (s64)(ua - ub);
	x[4] = (s64)(ua * ub);
	x[5] = sdiv(a, b);
	x[6] = smod(a, b);
	x[7] = ub ? (s64)(ua / ub) : 0;
	x[8] = ub ? (s64)(ua % ub) : (s64)ua;
	x[9] = a >> 3;
	x[10] = (s64)(ua >> 3);
	x[11] = (s64)(ua << 5);
	x[12] = (a & b) | (a ^ 0x55);
	x[13] = ~a;
	x[14] = (s64)(0 - ua);
	x[15] = (u8)a;
	x[16] = (s8)a;
	x[17] = (u32)a;
	x[18] = (s16)a;
	x[19] = a < b;
	x[20] = ua < ub;
	x[21] = a == b || (a > 100 && b < 0);
	x[22] = !(a >= b);
	{
		s64 ab = b == INT64_MIN ? INT64_MAX : b < 0 ? -b : b;

		x[23] = (s64)((u64)(b < a ? b : a) + (u64)(a > ab ? a : ab));
	}
	x[24] = 0x123456789abcdef0LL ^ a;
	x[25] = (s64)((u64)sdiv(a, 7) + (u64)smod(a, -5) +
		      (u64)sdiv((s64)((u64)a * 3 - (u64)b), b | 1));
	acc = (s32)((u32)acc + (u8)a);
	acc = (s32)((u32)acc - (u32)(s8)a);
	acc = (s32)((u32)acc * 3);
	x[26] = acc;
}

static void test_arith(void)
{
	static const s64 edge[] = { 0, 1, -1, 2, -2, 7, -7, 100, 101, 255, 256,
				    -129, 32767, -32769, INT32_MAX, INT32_MIN,
				    INT64_MAX, INT64_MIN + 1 };
	s64 in[RMT_MAX_CTX_FIELDS], out[RMT_MAX_CTX_FIELDS], want[32];
	u32 n = sizeof(edge) / sizeof(edge[0]), i, f, bad = 0, runs = 0;
	struct harness h;
	int err = 0;

	if (!ktap_check(!load(&h, arith_src), "arith: compiles, verifies, loads"))
		return;
	for (i = 0; i < n * n + 2000; i++) {
		memset(in, 0, sizeof(in));
		in[0] = i < n * n ? edge[i / n] : rnd() >> (rnd() & 63);
		in[1] = i < n * n ? edge[i % n] : rnd() >> (rnd() & 63);
		run(&h, "arith", false, in, out, &err);
		arith_expect(in[0], in[1], want);
		runs++;
		for (f = 2; f <= 26 && !err; f++)
			if (out[f] != want[f] && bad++ < 5)
				ktap_diag("a=%lld b=%lld: f%u = %lld, C says %lld",
					  (long long)in[0], (long long)in[1], f,
					  (long long)out[f], (long long)want[f]);
		if (err)
			bad++;
	}
	ktap_check(!bad, "arith: %u input pairs agree with C on 25 results", runs);
	unload(&h);
}

/* ---- control flow, loops, locals beyond the registers ---- */

static const char flow_src[] =
	"const N = 10;\n"
	"action flow at test -> s64 {\n"
	"	s64 a = 1; s64 b = 2; s64 c = 3; s64 d = 4; s64 e = 5; s64 f = 6;\n"
	"	s64 g = 7; s64 h = 8;\n"
	"	s64 sum = 0;\n"
	"	for (u32 i in 3..N) {\n"
	"		for (u32 j in 0..N) { if (j < i) { sum += s64(i * j); } }\n"
	"		if (s64(i * i) > ctx.f0) { ctx.f1 = s64(i); return sum + a + b + c + d + e + f + g + h; }\n"
	"	}\n"
	"	for (s32 k in -3..2) { sum += s64(k); }\n"
	"	if (ctx.f0 < 0) { return -1; } else if (ctx.f0 == 1000) { return -2; } else { return sum; }\n"
	"}\n";

static s64 flow_expect(s64 f0, s64 *f1)
{
	s64 sum = 0;
	u32 i, j;

	for (i = 3; i < 10; i++) {
		for (j = 0; j < i; j++)
			sum += i * j;
		if ((s64)(i * i) > f0) {
			*f1 = i;
			return sum + 36;
		}
	}
	sum += -3 - 2 - 1 + 0 + 1;	/* for (s32 k in -3..2) */
	return f0 < 0 ? -1 : f0 == 1000 ? -2 : sum;
}

static void test_flow(void)
{
	s64 in[RMT_TEST_CTX_FIELDS] = { 0 }, out[RMT_TEST_CTX_FIELDS];
	struct harness h;
	int err, bad = 0;
	s64 f0, r, f1;

	if (!ktap_check(!load(&h, flow_src), "flow: compiles, verifies, loads"))
		return;
	for (f0 = -3; f0 <= 1003; f0++) {
		f1 = 0;
		in[0] = f0;
		r = run(&h, "flow", false, in, out, &err);
		if (err || r != flow_expect(f0, &f1) || out[1] != f1)
			if (bad++ < 3)
				ktap_diag("f0=%lld: %lld (f1 %lld), C says %lld (f1 %lld)",
					  (long long)f0, (long long)r, (long long)out[1],
					  (long long)flow_expect(f0, &f1), (long long)f1);
	}
	ktap_check(!bad, "flow: nested loops, early returns, else-if and 9 locals agree with C");
	unload(&h);
}

/* ---- context maps, parameters, tables ---- */

static const char map_src[] =
	"ctxmap hist keyed pid size 64 { s64 last; u8 small; history s64[4] d; }\n"
	"action track at test (s64 scale) -> s64 {\n"
	"	s64 off = ctx.f0;\n"
	"	s64 delta = off - hist[ctx.f1].last;\n"
	"	hist[ctx.f1].last = off;\n"
	"	hist[ctx.f1].small = off;\n"
	"	push hist[ctx.f1].d, delta;\n"
	"	ctx.f2 = hist[ctx.f1].d[0]; ctx.f3 = hist[ctx.f1].d[1];\n"
	"	ctx.f4 = hist[ctx.f1].small;\n"
	"	s64 same = 0;\n"
	"	for (u32 i in 1..4) { if (hist[ctx.f1].d[i] == delta) { same += 1; } }\n"
	"	ctx.f5 = same;\n"
	"	return delta * scale;\n"
	"}\n"
	"table by_pid at test {\n"
	"	key f1 : exact; size 8; default track;\n"
	"	entry { f1 = 42 } -> track(3);\n"
	"}\n"
	"action seven at test -> s64 { return 7; }\n"
	"action eight at test -> s64 { return 8; }\n"
	"table tern at test { key f0, f1 : ternary;\n"
	"	entry { f0 = 0x10 & 0xf0 } priority 1 -> seven;\n"
	"	entry { f0 = 0x12, f1 = 5 } priority 2 -> eight; }\n"
	"table rng at test { key f0 : range; default kernel;\n"
	"	entry { f0 in 10..20 } -> seven; entry { f0 in -5..-1 } -> eight; }\n"
	"table pfx at test { key f0 : lpm;\n"
	"	entry { f0 = 0x0a00000000000000 / 8 } -> seven;\n"
	"	entry { f0 = 0x0a0b000000000000 / 16 } -> eight; }\n";

static void test_maps_tables(void)
{
	s64 in[RMT_TEST_CTX_FIELDS] = { 0 }, out[RMT_TEST_CTX_FIELDS];
	static const s64 offs[] = { 100, 104, 108, 112, 113, 117 };
	struct harness h;
	s64 last = 0, d0 = 0, d1 = 0, r;
	int err, bad = 0;
	u32 i;

	if (!ktap_check(!load(&h, map_src), "maps: compiles, verifies, loads"))
		return;
	in[1] = 42;
	for (i = 0; i < 6; i++) {
		in[0] = offs[i];
		r = run(&h, "by_pid", true, in, out, &err);
		d1 = d0;
		d0 = offs[i] - last;
		last = offs[i];
		if (err || r != 3 * d0 || out[2] != d0 || out[3] != d1 ||
		    out[4] != (u8)offs[i])
			if (bad++ < 3)
				ktap_diag("step %u: r0 %lld d0 %lld d1 %lld small %lld", i,
					  (long long)r, (long long)out[2], (long long)out[3],
					  (long long)out[4]);
	}
	ktap_check(!bad, "maps: entry parameter, value slots, narrow slot, history ring");
	/* the ring now holds deltas 4, 1, 4, 4 (newest first) */
	ktap_check(out[5] == 2 && run(&h, "by_pid", true, in, out, &err) == 0 &&
		   out[5] == 0, "maps: a loop over the history counts repeats (%lld)",
		   (long long)out[5]);
	in[1] = 7;	/* misses: the default action, with no parameter */
	in[0] = 50;
	ktap_check(run(&h, "by_pid", true, in, out, &err) == 0 && out[2] == 50,
		   "maps: default action on a miss; param() reads 0");
	in[0] = 0x13; in[1] = 0;
	ktap_check(run(&h, "tern", true, in, out, &err) == 7, "ternary: mask match");
	in[0] = 0x12; in[1] = 5;
	ktap_check(run(&h, "tern", true, in, out, &err) == 8, "ternary: priority wins");
	in[0] = 15;
	ktap_check(run(&h, "rng", true, in, out, &err) == 7, "range: inside 10..20");
	in[0] = -3;
	ktap_check(run(&h, "rng", true, in, out, &err) == 8, "range: negative range");
	in[0] = 0x0a0b0c0000000000;
	ktap_check(run(&h, "pfx", true, in, out, &err) == 8, "lpm: longest prefix");
	in[0] = 0x0aff000000000000;
	ktap_check(run(&h, "pfx", true, in, out, &err) == 7, "lpm: shorter prefix");
	unload(&h);
}

/* ---- models ---- */

static const char model_src[] =
	"model net = mlp { input 3;\n"
	"	layer int8 4 weights [1, -2, 3,  4, 5, -6,  -7, 8, 9,  10, -11, 12]\n"
	"		bias [5, -5, 100, -100] shift 2 scale 3 relu;\n"
	"	layer int8 2 weights [1, 2, -3, 4,  -5, 6, 7, -8] bias [1, -1];\n"
	"};\n"
	"model lin = linear int16 1 weights [300, -200, 7] bias [11];\n"
	"model tree = dtree [1, 2, 0, 10,   -1, -1, 0, 100,   3, 4, 1, -5,\n"
	"	-1, -1, 0, 200,   -1, -1, 0, 300] features 2;\n"
	"action classify at test -> s64 { return net(ctx.f0, ctx.f1, ctx.f0 - ctx.f1); }\n"
	"action score at test -> s64 { return lin(ctx.f0, ctx.f1, 1000); }\n"
	"action walk at test -> s64 { return tree(ctx.f0, ctx.f1); }\n";

static s64 clamp(s64 v, s64 lo, s64 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static s64 net_expect(s64 a, s64 b)
{
	static const s8 w1[4][3] = { { 1, -2, 3 }, { 4, 5, -6 }, { -7, 8, 9 },
				     { 10, -11, 12 } };
	static const s32 b1[4] = { 5, -5, 100, -100 };
	static const s8 w2[2][4] = { { 1, 2, -3, 4 }, { -5, 6, 7, -8 } };
	static const s32 b2[2] = { 1, -1 };
	s64 x[3] = { clamp(a, -128, 127), clamp(b, -128, 127),
		     clamp((s64)((u64)a - (u64)b), -128, 127) };
	s64 h[4], y[2];
	int i, j;

	for (i = 0; i < 4; i++) {
		s32 acc = b1[i];

		for (j = 0; j < 3; j++)
			acc += w1[i][j] * x[j];
		h[i] = clamp(((s64)acc * 3 + 2) >> 2, -128, 127);	/* requant */
		if (h[i] < 0)
			h[i] = 0;					/* relu */
	}
	for (i = 0; i < 2; i++) {
		y[i] = b2[i];
		for (j = 0; j < 4; j++)
			y[i] += w2[i][j] * h[j];
	}
	return y[1] > y[0];	/* argmax, ties to the lower index */
}

static void test_models(void)
{
	s64 in[RMT_TEST_CTX_FIELDS] = { 0 }, out[RMT_TEST_CTX_FIELDS];
	int err, bad = 0, classes[2] = { 0, 0 };
	struct harness h;
	s64 a, b, r, want;

	if (!ktap_check(!load(&h, model_src), "models: compile, verify, load"))
		return;
	for (a = -200; a <= 200; a += 7)
		for (b = -200; b <= 200; b += 11) {
			in[0] = a;
			in[1] = b;
			r = run(&h, "classify", false, in, out, &err);
			want = net_expect(a, b);
			classes[want & 1]++;
			if ((err || r != want) && bad++ < 3)
				ktap_diag("net(%lld, %lld) = %lld, C says %lld", (long long)a,
					  (long long)b, (long long)r, (long long)want);
		}
	ktap_check(!bad && classes[0] && classes[1],
		   "mlp: int8 2-layer with requant and relu agrees with C (%d/%d per class)",
		   classes[0], classes[1]);
	bad = 0;
	for (a = -40000; a <= 40000; a += 997) {
		in[0] = a;
		in[1] = -a / 3;
		r = run(&h, "score", false, in, out, &err);
		want = 300 * clamp(a, -32768, 32767) - 200 * clamp(-a / 3, -32768, 32767) +
		       7 * 1000 + 11;
		if ((err || r != (s32)want) && bad++ < 3)
			ktap_diag("lin(%lld) = %lld, C says %lld", (long long)a, (long long)r,
				  (long long)want);
	}
	ktap_check(!bad, "linear: int16 score with saturated features agrees with C");
	bad = 0;
	for (a = 0; a <= 20; a++)
		for (b = -10; b <= 0; b++) {
			in[0] = a;
			in[1] = b;
			r = run(&h, "walk", false, in, out, &err);
			want = a <= 10 ? 100 : b <= -5 ? 200 : 300;
			if ((err || r != want) && bad++ < 3)
				ktap_diag("tree(%lld, %lld) = %lld, want %lld", (long long)a,
					  (long long)b, (long long)r, (long long)want);
		}
	ktap_check(!bad, "dtree: leaves reached as the thresholds say");
	unload(&h);
}

/* ---- errors found while lowering or verifying ---- */

struct lower_error {
	const char *what;
	const char *src;
	const char *msg;	/* the first diagnostic, exactly */
	unsigned int line, col;
};

static const struct lower_error lower_errors[] = {
	{ "feature count",
	  "model m = linear int8 1 weights [1, 2, 3];\n"
	  "action a at test -> s64 {\n  return m(ctx.f0, ctx.f1);\n}\n",
	  "model 'm' takes 3 features; this call gives 2", 3, 10 },
	{ "history index",
	  "ctxmap c keyed pid { history s64[4] h; }\n"
	  "action a at test -> s64 { return c[1].h[4]; }\n",
	  "history index 4 is past the 4 elements of 'h'", 2, 41 },
	{ "loop variable write",
	  "action a at test -> s64 {\n  for (u32 i in 0..3) { i = 2; }\n  return 0;\n}\n",
	  "loop variable 'i' is read-only", 2, 25 },
	{ "missing return",
	  "action a at test -> s64 {\n  if (ctx.f0 > 1) { return 1; }\n}\n",
	  "action 'a' can reach its end without returning a verdict", 1, 1 },
	{ "two models",
	  "model m = linear int8 1 weights [1];\nmodel n = linear int8 1 weights [1];\n"
	  "action a at test -> s64 { return m(ctx.f0) + n(ctx.f0); }\n",
	  "action 'a' already calls model 'm'", 3, 46 },
	{ "helper arity",
	  "action a at test -> s64 { return min(ctx.f0); }\n",
	  "helper 'min' takes 2 arguments, not 1", 1, 34 },
	{ "history written by assignment",
	  "ctxmap c keyed pid { history s64[4] h; }\n"
	  "action a at test -> s64 { c[1].h[0] = 3; return 0; }\n",
	  "history 'h' is written only by push", 2, 27 },
	{ "budget overrun",
	  "action a at test -> s64 {\n  s64 x = 0;\n"
	  "  for (u32 i in 0..60000) {\n    for (u32 j in 0..60) { x += 1; }\n  }\n"
	  "  return x;\n}\n",
	  "action 'a' refused: worst-case cost 14520006 exceeds the budget of 1000000",
	  3, 3 },
	{ "duplicate entry, refused by the store",
	  "action a at test -> s64 { return 1; }\n"
	  "table t at test { key f0 : exact;\n  entry { f0 = 1 } -> a;\n"
	  "  entry { f0 = 1 } -> a;\n}\n",
	  NULL, 4, 3 },
	{ "table overflow, refused by the store",
	  "action a at test -> s64 { return 1; }\n"
	  "table t at test { key f0 : exact; size 1;\n  entry { f0 = 1 } -> a;\n"
	  "  entry { f0 = 2 } -> a;\n}\n",
	  NULL, 4, 3 },
	{ "verifier: computed history index out of range",
	  "ctxmap c keyed pid { history s64[4] h; }\n"
	  "action a at test -> s64 {\n  s64 k = ctx.f0;\n  return c[1].h[k];\n}\n",
	  "action 'a' refused: index r2 may reach 18446744073709551615, past the 4-element vector",
	  4, 17 },
};

static void test_lower_errors(void)
{
	u32 i;

	for (i = 0; i < sizeof(lower_errors) / sizeof(lower_errors[0]); i++) {
		const struct lower_error *le = &lower_errors[i];
		struct rmtc_policy pol;
		struct rmtc_diags ds = { 0 };
		int n = rmtc_compile_text("e.rmt", le->src, &pol, &ds);

		if (!n)
			n = rmtc_policy_check(&pol, &ds);
		ktap_check(n && ds.n && (!le->msg || !strcmp(ds.d[0].msg, le->msg)) &&
			   ds.d[0].loc.line == le->line && ds.d[0].loc.col == le->col,
			   "error: %s at %u:%u", le->what, le->line, le->col);
		if (ds.n && (ds.d[0].loc.line != le->line || ds.d[0].loc.col != le->col ||
			     (le->msg && strcmp(ds.d[0].msg, le->msg))))
			ktap_diag("got %u:%u: %s", ds.d[0].loc.line, ds.d[0].loc.col,
				  ds.d[0].msg);
		rmtc_policy_release(&pol);
		rmtc_diags_release(&ds);
	}
}

/* Field arrays (ctx.ra[i]) and the predefined verdicts. */
static const char array_src[] =
	"action ra at swap_cluster_readahead -> s64 {\n"
	"	if (ctx.offset < 0) { return DEFAULT; }\n"
	"	for (u32 i in 0..RA_MAX) {\n"
	"		if (s64(i) < ctx.kernel_window) { ctx.ra[i] = ctx.offset + 3 * s64(i); }\n"
	"	}\n"
	"	ctx.ra[31] = ctx.ra[0] + ctx.ra[ctx.kernel_window - 1];\n"
	"	s64 k = ctx.kernel_window + 40;\n"
	"	ctx.ra[k] = 77;			// past the end: writes nothing\n"
	"	return min(ctx.kernel_window, RA_MAX);\n"
	"}\n";

static void test_field_arrays(void)
{
	s64 in[RMT_MAX_CTX_FIELDS] = { 0 }, out[RMT_MAX_CTX_FIELDS];
	struct harness h;
	int err, bad = 0;
	s64 w, r, i;

	if (!ktap_check(!load(&h, array_src), "arrays: compiles, verifies, loads"))
		return;
	for (w = 1; w <= 31; w += 5) {
		in[RMT_SWAP_RA_OFFSET] = 1000;
		in[RMT_SWAP_RA_KERNEL_WINDOW] = w;
		r = run(&h, "ra", false, in, out, &err);
		for (i = 0; i < 31; i++)
			if (out[RMT_SWAP_RA_RA0 + i] != (i < w ? 1000 + 3 * i : 0))
				bad++;
		if (err || r != w || out[RMT_SWAP_RA_RA31] != 1000 + 1000 + 3 * (w - 1))
			bad++;
	}
	in[RMT_SWAP_RA_OFFSET] = -1;
	ktap_check(!bad && run(&h, "ra", false, in, out, &err) == RMT_VERDICT_DEFAULT,
		   "arrays: ctx.ra[i] with constant and computed indices; DEFAULT and RA_MAX");
	unload(&h);
}

/* rmtc -S output assembles back to the very same instructions. */
static void test_asm_roundtrip(void)
{
	static const char *const srcs[] = { arith_src, flow_src, map_src, model_src };
	u32 i, p, bad;

	for (i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		struct rmt_asm_error aerr = { 0 };
		struct rmt_bundle b = { 0 };
		struct rmtc_diags ds = { 0 };
		struct rmtc_policy pol;
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		if (rmtc_compile_text("t.rmt", srcs[i], &pol, &ds)) {
			ktap_check(0, "asm round trip %u: compiles", i);
			continue;
		}
		f = open_memstream(&text, &len);
		rmtc_policy_print_asm(&pol, f);
		fclose(f);
		bad = rmt_asm_parse(text, &b, &aerr) ? 1 : b.nprogs != pol.nprogs;
		if (bad)
			ktap_diag("line %u: %s", aerr.line, aerr.msg);
		for (p = 0; !bad && p < pol.nprogs; p++) {
			const struct rmt_op *op = &pol.ops[pol.progs[p].op];

			bad = b.progs[p].len != op->prog.len ||
			      memcmp(b.progs[p].insns, op->prog.insns,
				     op->prog.len * sizeof(struct rmt_insn)) ||
			      strcmp(b.progs[p].name, op->name);
		}
		ktap_check(!bad, "asm round trip %u: %u programs reassemble identically",
			   i, pol.nprogs);
		rmt_bundle_release(&b);
		free(text);
		rmtc_policy_release(&pol);
		rmtc_diags_release(&ds);
	}
}

int main(void)
{
	ktap_begin();
	test_arith();
	test_flow();
	test_maps_tables();
	test_models();
	test_lower_errors();
	test_asm_roundtrip();
	test_field_arrays();
	return ktap_end();
}
