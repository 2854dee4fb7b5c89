// SPDX-License-Identifier: GPL-2.0-only
/*
 * JIT benchmark: what the x86-64 JIT tiers (rmt_prog_jit()) make of RMT
 * programs, next to the interpreter, plain C, hand-written AVX-512 VNNI
 * C and the same work as eBPF programs under the kernel's BPF JIT, on
 * the workloads of jit_workloads.c (MLPs of the sizes hooks use, a
 * matvec, a decision tree, a scalar loop and an empty program).
 *
 * Every implementation is checked against the interpreter on the
 * benchmark's inputs and more before anything is timed: the C
 * references and the eBPF programs must agree or the run stops; a JIT
 * tier that disagrees loses its rows and the run says why.  Each row is
 * measured chained (the verdict shifts the next input row, so runs
 * cannot overlap through data: latency) and independent (throughput), in
 * ns per inference, with the rows in a shuffled order no branch
 * predictor can learn.  The report adds the share of the machine's peak int8 MAC
 * rate each row reaches, speed-ups over the interpreter and plain C, and
 * the JIT's performance targets, PASS or MISS as measured (a report, not
 * a test: a MISS does not fail the run).  docs/jit-bench.md has the
 * details.
 *
 * Usage: bench_jit [OUTDIR [EBPF_OBJECT]]   writes OUTDIR/jit.md and
 * OUTDIR/jit.json; the eBPF object defaults to jit_ebpf.bpf.o next to
 * the binary.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "jit_workloads.h"

#define NR_CHECKS	256		/* random inputs besides the rows */
#define CHECK_SEED	0xc0ffee123ULL
#define MAX_ITEMS	(JIT_NR_WL * NR_IMPLS)
#define MAX_NOTES	64
#define NOTE_LEN	320

enum jit_impl {
	IMPL_INTERP,
	IMPL_JIT_SCALAR,
	IMPL_JIT_AVX2,
	IMPL_JIT_AVX512,
	IMPL_C_SCALAR,
	IMPL_C_INTRIN,
	IMPL_EBPF,
	NR_IMPLS,
};

#define NR_RMT_IMPLS	(IMPL_JIT_AVX512 + 1)

static const char *const impl_names[NR_IMPLS] = {
	[IMPL_INTERP] = "interp",
	[IMPL_JIT_SCALAR] = "jit-scalar",
	[IMPL_JIT_AVX2] = "jit-avx2",
	[IMPL_JIT_AVX512] = "jit-avx512",
	[IMPL_C_SCALAR] = "c-scalar",
	[IMPL_C_INTRIN] = "c-intrinsics",
	[IMPL_EBPF] = "ebpf-jit",
};

static const u32 impl_tier[NR_RMT_IMPLS] = {
	[IMPL_INTERP] = RMT_JIT_INTERP,
	[IMPL_JIT_SCALAR] = RMT_JIT_SCALAR,
	[IMPL_JIT_AVX2] = RMT_JIT_AVX2,
	[IMPL_JIT_AVX512] = RMT_JIT_AVX512,
};

struct rmt_case {
	const struct rmt_prog *prog;
	const struct jit_workload *wl;
	u8 *scratch;
	bool interp;
};

struct c_case {
	jit_ref_fn volatile fn;
	const struct jit_workload *wl;
};

struct jit_bench {
	struct jit_workload wls[JIT_NR_WL];
	u8 *scratch;
	struct rmt_prog *progs[JIT_NR_WL][NR_RMT_IMPLS];
	struct rmt_case rcases[JIT_NR_WL][NR_RMT_IMPLS];
	struct c_case ccases[JIT_NR_WL][2];
	struct jit_ebpf *ebpf;
	bool avx512;
	double peak;			/* int8 MACs per ns, or NAN */
	bool ebpf_ok[JIT_NR_WL];
	struct bench_item items[MAX_ITEMS];
	struct bench_row measured[MAX_ITEMS];
	u32 nitems;
	struct bench_row rows[MAX_ITEMS];	/* the report's */
	u32 nrows;
	char notes[MAX_NOTES][NOTE_LEN];
	u32 nnotes;
};

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_jit: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* A line for the report (skipped rows, failures, measurement notes). */
static void __attribute__((format(printf, 2, 3)))
note(struct jit_bench *b, const char *fmt, ...)
{
	va_list ap;

	if (b->nnotes == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(b->notes[b->nnotes++], NOTE_LEN, fmt, ap);
	va_end(ap);
}

/* ---- batches ---- */

/* Rows in jit_seq's order; chained, the verdict shifts the next row. */
static void rmt_batch(void *arg, uint64_t n, bool chained)
{
	const struct rmt_case *c = arg;
	struct rmt_run_ctx rc = { .scratch = c->scratch };
	u64 i;

	for (i = 0; i < n; i++) {
		rc.ctx = (s64 *)c->wl->inputs[jit_next_row(i, chained ? rc.r0 : 0)];
		if (c->interp)
			rmt_interp_run(c->prog, &rc);
		else
			rmt_run(c->prog, &rc);
		bench_sink = rc.r0;
	}
}

static void c_batch(void *arg, uint64_t n, bool chained)
{
	struct c_case *c = arg;
	s32 out[JIT_MATVEC_N];
	s64 r = 0;
	u64 i;

	for (i = 0; i < n; i++) {
		r = c->fn(c->wl, c->wl->inputs[jit_next_row(i, chained ? r : 0)],
			  out);
		bench_sink = r;
	}
}

/* ---- checks against the interpreter ---- */

/* One way of running a workload on an input (row < JIT_NR_INPUTS or not). */
typedef int (*run_fn)(struct jit_bench *b, const void *arg, u32 wl, u32 row,
		      s64 *ctx, s32 *out, s64 *r0);

static int run_rmt(struct jit_bench *b, const void *arg, u32 wl, u32 row,
		   s64 *ctx, s32 *out, s64 *r0)
{
	const struct rmt_case *c = arg;
	const struct jit_workload *w = &b->wls[wl];
	struct rmt_run_ctx rc = { .ctx = ctx, .scratch = b->scratch };
	int ret = c->interp ? rmt_interp_run(c->prog, &rc) :
			      rmt_run(c->prog, &rc);

	if (w->out_off >= 0)
		memcpy(out, b->scratch + w->out_off, w->out_len * sizeof(s32));
	*r0 = rc.r0;
	return ret;
}

static int run_c(struct jit_bench *b, const void *arg, u32 wl, u32 row,
		 s64 *ctx, s32 *out, s64 *r0)
{
	const struct c_case *c = arg;

	*r0 = c->fn(c->wl, ctx, out);
	return 0;
}

static int run_ebpf(struct jit_bench *b, const void *arg, u32 wl, u32 row,
		    s64 *ctx, s32 *out, s64 *r0)
{
	return jit_ebpf_run_once(b->ebpf, wl, row, r0, out);
}

/*
 * Run @fn and the interpreter on the rows and on @nrandom more inputs.
 * Return: 0; -1 if a verdict differs or a run fails; 1 if only the
 * output vector differs; @why says where.
 */
static int check(struct jit_bench *b, u32 wl, run_fn fn, const void *arg,
		 u32 nrandom, char *why, size_t len)
{
	const struct jit_workload *w = &b->wls[wl];
	const struct rmt_case *ref = &b->rcases[wl][IMPL_INTERP];
	u64 seed = CHECK_SEED + wl;
	u32 i, k;

	for (i = 0; i < JIT_NR_INPUTS + nrandom; i++) {
		s32 want_out[JIT_MATVEC_N] = { 0 }, out[JIT_MATVEC_N] = { 0 };
		s64 ctx[JIT_CTX_FIELDS], want, r0 = 0;
		int ret;

		if (i < JIT_NR_INPUTS)
			memcpy(ctx, w->inputs[i], sizeof(ctx));
		else
			jit_random_input(w, &seed, ctx);
		if (run_rmt(b, ref, wl, i, ctx, want_out, &want))
			die("%s: the interpreter failed", w->name);
		ret = fn(b, arg, wl, i, ctx, out, &r0);
		if (ret || r0 != want) {
			snprintf(why, len, "input %u: %s (r0 %lld, interp %lld)",
				 i, ret ? strerror(-ret) : "wrong verdict",
				 (long long)r0, (long long)want);
			return -1;
		}
		for (k = 0; w->out_off >= 0 && k < w->out_len; k++)
			if (out[k] != want_out[k]) {
				snprintf(why, len, "input %u: output[%u] %d, interp %d",
					 i, k, out[k], want_out[k]);
				return 1;
			}
	}
	return 0;
}

/* ---- set-up ---- */

static struct rmt_prog *load_prog(const struct jit_workload *wl)
{
	struct rmt_diag diag;
	struct rmt_prog *prog = jit_workload_load(wl, &diag);

	if (!prog)
		die("%s: the verifier refused the program: %s", wl->name,
		    diag.msg);
	return prog;
}

static void add_item(struct jit_bench *b, u32 wl, u32 impl,
		     bench_batch_fn fn, void *arg)
{
	b->items[b->nitems++] = (struct bench_item){
		b->wls[wl].name, impl_names[impl], fn, arg, 1,
	};
}

/* A JIT tier's program for @wl; false (and a note) if there is none. */
static bool setup_tier(struct jit_bench *b, u32 wl, u32 impl)
{
	const struct jit_workload *w = &b->wls[wl];
	struct rmt_case *c = &b->rcases[wl][impl];
	struct rmt_diag diag;
	char why[200];
	int ret;

	c->prog = b->progs[wl][impl] = load_prog(w);
	rmt_diag_clear(&diag);
	ret = rmt_prog_jit(b->progs[wl][impl], impl_tier[impl], 0, &diag);
	if (ret) {
		note(b, "%s: %s: no code: %s (%s)", impl_names[impl], w->name,
		     strerror(-ret), diag.msg[0] ? diag.msg : "no diagnostic");
		return false;
	}
	ret = check(b, wl, run_rmt, c, NR_CHECKS, why, sizeof(why));
	if (ret < 0) {
		note(b, "%s: %s: MISMATCH with the interpreter, row omitted: %s",
		     impl_names[impl], w->name, why);
		return false;
	}
	if (ret > 0)
		note(b, "%s: %s: verdicts match, but the scratch output differs: %s",
		     impl_names[impl], w->name, why);
	return true;
}

static void setup_c(struct jit_bench *b, u32 wl, u32 impl, jit_ref_fn fn)
{
	struct c_case *c = &b->ccases[wl][impl == IMPL_C_INTRIN];
	char why[200];

	*c = (struct c_case){ fn, &b->wls[wl] };
	if (check(b, wl, run_c, c, NR_CHECKS, why, sizeof(why)))
		die("%s: %s disagrees with the interpreter: %s",
		    b->wls[wl].name, impl_names[impl], why);
	add_item(b, wl, impl, c_batch, c);
}

static void setup_ebpf(struct jit_bench *b, u32 wl)
{
	char why[200];

	if (check(b, wl, run_ebpf, NULL, 0, why, sizeof(why)))
		die("%s: ebpf-jit disagrees with the interpreter: %s",
		    b->wls[wl].name, why);
	b->ebpf_ok[wl] = true;
}

static void setup_workload(struct jit_bench *b, u32 wl)
{
	struct jit_workload *w = &b->wls[wl];
	u32 impl;

	for (impl = 0; impl < NR_RMT_IMPLS; impl++)
		b->rcases[wl][impl] = (struct rmt_case){
			.wl = w, .scratch = b->scratch,
			.interp = impl == IMPL_INTERP,
		};
	b->rcases[wl][IMPL_INTERP].prog = b->progs[wl][IMPL_INTERP] =
		load_prog(w);
	add_item(b, wl, IMPL_INTERP, rmt_batch, &b->rcases[wl][IMPL_INTERP]);
	for (impl = IMPL_JIT_SCALAR; impl <= IMPL_JIT_AVX512; impl++)
		if (rmt_jit_tier_supported(impl_tier[impl]) &&
		    setup_tier(b, wl, impl))
			add_item(b, wl, impl, rmt_batch, &b->rcases[wl][impl]);
	setup_c(b, wl, IMPL_C_SCALAR, jit_ref_scalar[wl]);
	if (b->avx512 && jit_ref_avx512[wl])
		setup_c(b, wl, IMPL_C_INTRIN, jit_ref_avx512[wl]);
	if (b->ebpf)
		setup_ebpf(b, wl);
}

static void ebpf_path(char *buf, size_t len, int argc, char **argv)
{
	ssize_t n;
	char *slash;

	if (argc > 2) {
		snprintf(buf, len, "%s", argv[2]);
		return;
	}
	n = readlink("/proc/self/exe", buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	slash = strrchr(buf, '/');
	snprintf(slash ? slash + 1 : buf, len - (slash ? slash + 1 - buf : 0),
		 "jit_ebpf.bpf.o");
}

static void setup_impls(struct jit_bench *b, int argc, char **argv)
{
	char path[4096], why[256];
	u32 impl;

	for (impl = IMPL_JIT_SCALAR; impl <= IMPL_JIT_AVX512; impl++)
		if (!rmt_jit_tier_supported(impl_tier[impl]))
			note(b, "%s: skipped: the tier is not supported on this CPU or build",
			     impl_names[impl]);
	b->avx512 = jit_avx512_supported();
	b->peak = NAN;
	if (!b->avx512)
		note(b, "c-intrinsics: skipped: the CPU lacks AVX-512 VNNI (and the peak MAC rate with it)");
	ebpf_path(path, sizeof(path), argc, argv);
	b->ebpf = jit_ebpf_open(path, b->wls, why, sizeof(why));
	if (!b->ebpf) {
		printf("ebpf-jit: skipped: %s\n", why);
		fflush(stdout);
		note(b, "ebpf-jit: skipped: %s", why);
	}
}

static void setup(struct jit_bench *b, int argc, char **argv)
{
	char err[256];
	u32 wl;

	b->scratch = aligned_alloc(64, RMT_SCRATCH_SIZE);
	if (!b->scratch)
		die("out of memory");
	if (jit_workloads_init(b->wls, err, sizeof(err)))
		die("%s", err);
	setup_impls(b, argc, argv);
	note(b, "dtree-12: %u nodes, thresholds in -150..150 over features in -200..200",
	     b->wls[JIT_WL_DTREE].nnodes);
	for (wl = 0; wl < JIT_NR_WL; wl++) {
		if (b->avx512 && jit_avx512_prepare(&b->wls[wl]))
			die("out of memory");
		setup_workload(b, wl);
	}
}

static void teardown(struct jit_bench *b)
{
	u32 wl, impl;

	for (wl = 0; wl < JIT_NR_WL; wl++) {
		for (impl = 0; impl < NR_RMT_IMPLS; impl++)
			rmt_prog_free(b->progs[wl][impl]);
		jit_avx512_release(&b->wls[wl]);
	}
	jit_ebpf_close(b->ebpf);
	jit_workloads_free(b->wls);
	free(b->scratch);
}

/* ---- measuring ---- */

/* The ebpf-jit row of @wl, timed by the kernel (see jit_ebpf.c). */
static u32 measure_ebpf(struct jit_bench *b, u32 wl)
{
	struct bench_row *row = &b->rows[b->nrows++];
	u32 repeat;
	int ret;

	*row = (struct bench_row){ b->wls[wl].name, impl_names[IMPL_EBPF],
				   NAN, NAN };
	ret = jit_ebpf_measure(b->ebpf, wl, &row->ns_lat, &row->ns_tput,
			       &repeat);
	if (ret)
		die("%s: ebpf-jit: test run failed: %s", b->wls[wl].name,
		    strerror(-ret));
	return repeat;
}

/* Everything through the harness, then the ebpf-jit rows in their place. */
static void measure(struct jit_bench *b)
{
	char reps[NOTE_LEN] = "";
	size_t len = 0;
	u32 wl, i;

	if (b->avx512)
		b->peak = jit_peak_int8_macs_per_ns();
	if (bench_measure(b->items, b->nitems, b->measured))
		die("out of memory");
	for (wl = 0; wl < JIT_NR_WL; wl++) {
		for (i = 0; i < b->nitems; i++)
			if (b->items[i].workload == b->wls[wl].name)
				b->rows[b->nrows++] = b->measured[i];
		if (b->ebpf_ok[wl] && len < sizeof(reps))
			len += snprintf(reps + len, sizeof(reps) - len, "%s%u",
					len ? ", " : "", measure_ebpf(b, wl));
	}
	if (b->ebpf)
		note(b, "ebpf-jit rows: the kernel's BPF_PROG_TEST_RUN duration (integer ns per run), median of 31 test runs; runs per test run, by workload: %s",
		     reps);
}

/* ---- the report ---- */

static const struct bench_row *find_row(const struct jit_bench *b, u32 wl,
					const char *impl)
{
	u32 i;

	for (i = 0; i < b->nrows; i++)
		if (!strcmp(b->rows[i].workload, b->wls[wl].name) &&
		    !strcmp(b->rows[i].impl, impl))
			return &b->rows[i];
	return NULL;
}

static const struct bench_row *best_jit(const struct jit_bench *b, u32 wl)
{
	const struct bench_row *best = NULL, *r;
	u32 impl;

	for (impl = IMPL_JIT_SCALAR; impl <= IMPL_JIT_AVX512; impl++) {
		r = find_row(b, wl, impl_names[impl]);
		if (r && (!best || r->ns_lat < best->ns_lat))
			best = r;
	}
	return best;
}

static const struct jit_workload *wl_of(const struct jit_bench *b,
					const struct bench_row *row)
{
	u32 wl;

	for (wl = 0; wl < JIT_NR_WL; wl++)
		if (!strcmp(row->workload, b->wls[wl].name))
			return &b->wls[wl];
	return NULL;
}

static void fmt_pct(char *buf, size_t len, double macs, double ns,
		    double peak)
{
	if (!macs || isnan(peak) || isnan(ns))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", 100 * macs / ns / peak);
}

/* "base / row" for latency and throughput: a speed-up. */
static void fmt_speedup(char *buf, size_t len, const struct bench_row *base,
			const struct bench_row *row)
{
	if (!base)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f / %.1f", base->ns_lat / row->ns_lat,
			 base->ns_tput / row->ns_tput);
}

static void print_extra_table(FILE *f, const struct jit_bench *b)
{
	char pl[16], pt[16], si[32], sc[32];
	u32 i;

	fprintf(f, "\n| workload | impl | MACs | %% of peak int8 MAC rate (lat / tput) | speed-up over interp | speed-up over c-scalar |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|\n");
	for (i = 0; i < b->nrows; i++) {
		const struct bench_row *row = &b->rows[i];
		const struct jit_workload *w = wl_of(b, row);
		u32 id = w->id;

		fmt_pct(pl, sizeof(pl), w->macs, row->ns_lat, b->peak);
		fmt_pct(pt, sizeof(pt), w->macs, row->ns_tput, b->peak);
		fmt_speedup(si, sizeof(si), find_row(b, id, "interp"), row);
		fmt_speedup(sc, sizeof(sc), find_row(b, id, "c-scalar"), row);
		fprintf(f, "| %s | %s | %llu | %s / %s | %s | %s |\n",
			row->workload, row->impl, (unsigned long long)w->macs,
			pl, pt, si, sc);
	}
}

static const char *verdict(bool pass)
{
	return pass ? "PASS" : "MISS";
}

static void target_ratio(FILE *f, const char *what, const struct bench_row *a,
			 const struct bench_row *base, bool le, double limit)
{
	double r;

	if (!a || !base) {
		fprintf(f, "- N/A  %s: not measured (%s missing)\n", what,
			!a ? "JIT row" : "baseline row");
		return;
	}
	r = le ? a->ns_lat / base->ns_lat : base->ns_lat / a->ns_lat;
	fprintf(f, "- %s %s: %s %.2f ns vs %s %.2f ns = %.2fx (target %s %.1fx)\n",
		verdict(le ? r <= limit : r >= limit), what, a->impl, a->ns_lat,
		base->impl, base->ns_lat, r, le ? "<=" : ">=", limit);
}

static void target_abs(FILE *f, const char *what, const struct bench_row *a,
		       double limit)
{
	if (!a) {
		fprintf(f, "- N/A  %s: not measured (no JIT row)\n", what);
		return;
	}
	fprintf(f, "- %s %s: %s %.2f ns (target <= %.0f ns)\n",
		verdict(a->ns_lat <= limit), what, a->impl, a->ns_lat, limit);
}

static void print_targets(FILE *f, const struct jit_bench *b)
{
	const struct bench_row *mlp = best_jit(b, JIT_WL_MLP);

	fprintf(f, "\nTargets (latency, best JIT tier; measured in this run):\n\n");
	target_ratio(f, "mlp-15-32-32-2 within 1.3x of c-intrinsics", mlp,
		     find_row(b, JIT_WL_MLP, "c-intrinsics"), true, 1.3);
	target_ratio(f, "mlp-15-32-32-2 >= 8x faster than ebpf-jit", mlp,
		     find_row(b, JIT_WL_MLP, "ebpf-jit"), false, 8);
	target_abs(f, "linnos-31-256-2 <= 60 ns", best_jit(b, JIT_WL_LINNOS), 60);
	target_abs(f, "empty <= 3 ns", best_jit(b, JIT_WL_EMPTY), 3);
	target_ratio(f, "scalar-loop jit-scalar >= 10x interp",
		     find_row(b, JIT_WL_LOOP, "jit-scalar"),
		     find_row(b, JIT_WL_LOOP, "interp"), false, 10);
}

static void print_extras(FILE *f, const struct jit_bench *b)
{
	u32 i;

	print_extra_table(f, b);
	print_targets(f, b);
	if (b->nnotes)
		fprintf(f, "\nNotes:\n\n");
	for (i = 0; i < b->nnotes; i++)
		fprintf(f, "- %s\n", b->notes[i]);
}

static int report(struct jit_bench *b, const char *dir)
{
	char note_line[512], path[4096];
	struct bench_report r = {
		.suite = "jit",
		.dir = dir,
		.baseline = "c-intrinsics",
		.ratio_title = "time / c-intrinsics (lat / tput)",
		.note = note_line,
		.rows = b->rows,
		.nrows = b->nrows,
	};
	FILE *f;

	if (isnan(b->peak))
		snprintf(note_line, sizeof(note_line),
			 "ns per inference: lat = chained runs, tput = independent runs. Peak int8 MAC rate: not measured.");
	else
		snprintf(note_line, sizeof(note_line),
			 "ns per inference: lat = chained runs, tput = independent runs. Peak int8 MAC rate: %.1f MACs/ns (vpdpbusd zmm, 14 independent chains).",
			 b->peak);
	if (bench_report_write(&r))
		return -1;
	print_extras(stdout, b);
	snprintf(path, sizeof(path), "%s/jit.md", dir);
	f = fopen(path, "a");
	if (!f) {
		perror(path);
		return -1;
	}
	print_extras(f, b);
	return fclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct jit_bench b;
	int ret;

	setup(&b, argc, argv);
	measure(&b);
	ret = report(&b, argc > 1 ? argv[1] : "build/bench");
	teardown(&b);
	return ret ? 1 : 0;
}
