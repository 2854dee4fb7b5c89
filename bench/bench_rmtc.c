// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compile-time benchmark of the policy compiler rmtc (dsl/).
 *
 * Rows (workload, impl):
 *
 *   generated-<N>-lines, compile: rmtc_compile_text() of a policy of N
 *	lines generated here (context maps, small models, actions with
 *	arithmetic, if/else chains, bounded loops and helper calls,
 *	tables of every match kind with entries), all at the test hook;
 *	check: rmtc_policy_check() of the compiled policy (the core's
 *	verifier over every program, through a private store); total:
 *	both, the time `rmtc -c` spends past reading the file (the policy
 *	is kept in OUTDIR/rmtc/generated.rmt)
 *   examples/<file>.rmt, compile+check: rmtc_compile_file() and
 *	rmtc_policy_check() of each example policy, weights files
 *	included
 *   examples/<file>.rmt:<action>, rmtc: what one action compiles to:
 *	instructions, bytecode bytes (8 per instruction), and the
 *	verifier's worst-case cost against its hook's budget
 *
 * Timings are wall time (CLOCK_MONOTONIC) of one whole run, best and
 * median of several after a warm-up run; lines/s is lines over the
 * median.  The examples are globbed at run time from examples/ at the
 * top of the tree; without it they are skipped with a note.  This is a
 * benchmark: nothing here passes or fails.
 *
 * Usage: bench_rmtc [OUTDIR]   writes OUTDIR/rmtc.md and OUTDIR/rmtc.json,
 *				and the generated policy to OUTDIR/rmtc/generated.rmt
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rmtc.h"
#include "core.h"
#include "harness.h"

#define GEN_LINES	10000	/* lines of the generated policy, at least */
#define GEN_RUNS	21	/* timed runs of each stage on it */
#define EXAMPLE_RUNS	21	/* timed runs of each example */
#define MAX_ROWS	256
#define MAX_NOTES	8

/**
 * struct rmtc_row - one line of the report
 * @workload: what was compiled
 * @impl: the stage timed, or "rmtc" for an action's figures
 * @lines: source lines compiled (0 for an action)
 * @ns_best: fastest run; NAN for an action
 * @ns_median: median run; NAN for an action
 * @action: the action's name, or "" for a timing row
 * @hook: its hook
 * @insns: its instructions
 * @cost: the verifier's worst-case cost
 * @budget: its hook's budget
 */
struct rmtc_row {
	char workload[160];
	char impl[24];
	unsigned int lines;
	double ns_best;
	double ns_median;
	char action[RMT_NAME_MAX];
	const char *hook;
	u32 insns;
	u64 cost;
	u64 budget;
};

static struct rmtc_row rows[MAX_ROWS];
static unsigned int nrows;
static char notes[MAX_NOTES][256];
static unsigned int nnotes;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_rmtc: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	if (nnotes == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(notes[nnotes++], sizeof(notes[0]), fmt, ap);
	va_end(ap);
}

static struct rmtc_row *row(const char *workload, const char *impl)
{
	struct rmtc_row *r;

	if (nrows == MAX_ROWS)
		die("more than %d rows", MAX_ROWS);
	r = &rows[nrows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->workload, sizeof(r->workload), "%s", workload);
	snprintf(r->impl, sizeof(r->impl), "%s", impl);
	r->ns_best = r->ns_median = NAN;
	return r;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Best and median of @n samples (sorted in place). */
static void summarise(struct rmtc_row *r, double *ns, unsigned int n)
{
	qsort(ns, n, sizeof(*ns), cmp_double);
	r->ns_best = ns[0];
	r->ns_median = ns[n / 2];
}

static unsigned int count_lines(const char *text)
{
	unsigned int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* ---- the generated policy ---- */

static const char *const key_kinds[] = { "pid", "tgid", "cgroup", "inode" };
static const char *const match_kinds[] = { "exact", "ternary", "range", "lpm" };

/* Context map m<u>: used by actions 4u to 4u + 3. */
static void gen_ctxmap(FILE *f, unsigned int u)
{
	fprintf(f, "ctxmap m%u keyed %s size %u {\n", u, key_kinds[u % 4],
		256u << (u % 3));
	fprintf(f, "\ts64 last;\n\tu32 count;\n\tu8 flags;\n");
	fprintf(f, "\thistory s64[%u] delta;\n}\n\n", 4u << (u % 3));
}

/* Model n<u>, linear or mlp over 4 features, called by action u. */
static void gen_model(FILE *f, unsigned int u)
{
	int s = (int)(u % 7) - 3;

	if (u % 2) {
		fprintf(f, "model n%u = linear int8 1 weights [%d, %d, 3, -4] bias [%d];\n\n",
			u, s, -s, (int)u);
		return;
	}
	fprintf(f, "model n%u = mlp {\n\tinput 4;\n", u);
	fprintf(f, "\tlayer int8 3 weights [%d, 2, -3, 4,  5, -6, 7, %d,  -1, 1, -1, 1]\n",
		s, -s);
	fprintf(f, "\t\tbias [%u, -5, 9] shift 2 scale 3 relu;\n", u % 50);
	fprintf(f, "\tlayer int8 2 weights [1, -2, 3,  -4, 5, %d] bias [1, -1];\n};\n\n", s);
}

/*
 * Action a<u>: arithmetic, a context map, a bounded loop with a nested
 * one, an if/else-if chain, helpers and, every third, a model call.
 * About 50 lines, a few hundred instructions.
 */
static void gen_action(FILE *f, unsigned int u)
{
	unsigned int m = u / 4, a = u % 28, b = (u * 7 + 3) % 28, c = (u + 11) % 28;

	fprintf(f, "// action %u: stride detection and a score\n", u);
	fprintf(f, "action a%u at test (s64 k, s64 scale) -> s64 {\n", u);
	fprintf(f, "\ts64 x = ctx.f%u + %u;\n", a, u);
	fprintf(f, "\ts64 y = ctx.f%u * %u - k;\n", b, u % 13 + 2);
	fprintf(f, "\ts64 z = (x ^ y) & 0x%x;\n", 0xff0u + u);
	fprintf(f, "\tu32 w = ctx.ro%u;\n", u % 4);
	fprintf(f, "\ts64 acc = 0;\n");
	fprintf(f, "\ts64 d = x - m%u[ctx.f1].last;\n", m);
	fprintf(f, "\n");
	fprintf(f, "\tm%u[ctx.f1].last = x;\n", m);
	fprintf(f, "\tm%u[ctx.f1].count += 1;\n", m);
	fprintf(f, "\tm%u[ctx.f1].flags = z;\n", m);
	fprintf(f, "\tpush m%u[ctx.f1].delta, d;\n", m);
	fprintf(f, "\tfor (u32 i in 0..%u) {\n", 8 + u % 9);
	fprintf(f, "\t\tacc += s64(i) * x + (y >> %u);\n", 1 + u % 5);
	fprintf(f, "\t\tif (acc > %u) {\n", 100000 + u);
	fprintf(f, "\t\t\tacc = acc / %u;\n", 3 + u % 4);
	fprintf(f, "\t\t} else {\n");
	fprintf(f, "\t\t\tacc = acc ^ 0x%x;\n", 0x55u + u);
	fprintf(f, "\t\t}\n");
	fprintf(f, "\t\tfor (u32 j in 0..4) {\n");
	fprintf(f, "\t\t\tz += s64(i * j) - (acc & %u);\n", 15 + u % 16);
	fprintf(f, "\t\t}\n");
	fprintf(f, "\t}\n");
	fprintf(f, "\tif (d == m%u[ctx.f1].delta[1] && d != 0) {\n", m);
	fprintf(f, "\t\tacc += d * %u;\n", 4 + u % 3);
	fprintf(f, "\t\tctx.f%u = d;\n", c);
	fprintf(f, "\t} else if (d < 0) {\n");
	fprintf(f, "\t\tacc -= min(d, y);\n");
	fprintf(f, "\t} else if (u64(d) > 4096) {\n");
	fprintf(f, "\t\tacc += ilog2(u64(d)) << 2;\n");
	fprintf(f, "\t} else {\n");
	fprintf(f, "\t\tacc += max(abs(d), y %% %u);\n", 5 + u % 7);
	fprintf(f, "\t}\n");
	fprintf(f, "\tif (w > %u || ctx.f%u < -%u) {\n", 1000 + u, b, u + 1);
	fprintf(f, "\t\tz = z * scale + SCALE * %u;\n", u);
	fprintf(f, "\t}\n");
	fprintf(f, "\ts64 same = 0;\n");
	fprintf(f, "\tfor (u32 h in 1..%u) {\n", 4u << ((u / 4) % 3));
	fprintf(f, "\t\tif (m%u[ctx.f1].delta[h] == d) {\n", m);
	fprintf(f, "\t\t\tsame += 1;\n");
	fprintf(f, "\t\t}\n");
	fprintf(f, "\t}\n");
	fprintf(f, "\tctx.f%u = same;\n", (c + 1) % 28);
	fprintf(f, "\tctx.f%u = acc - z + param(0);\n", (c + 2) % 28);
	if (u % 3 == 0)
		fprintf(f, "\treturn n%u(x, y, acc, z) + same;\n", u);
	else
		fprintf(f, "\treturn (acc + z) / (same + 1) + %u;\n", u);
	fprintf(f, "}\n\n");
}

/* Table t<u> of a match kind, defaulting to action 2u, with entries. */
static void gen_table(FILE *f, unsigned int u, unsigned int nactions)
{
	const char *kind = match_kinds[u % 4];
	unsigned int e, act;

	fprintf(f, "table t%u at test {\n", u);
	fprintf(f, "\tkey %s : %s;\n", u % 4 == 3 ? "f2" : "f2, f3", kind);
	fprintf(f, "\tsize 64;\n");
	fprintf(f, "\tdefault a%u;\n", (2 * u) % nactions);
	for (e = 0; e < 8; e++) {
		act = (2 * u + e) % nactions;
		switch (u % 4) {
		case 0:
			fprintf(f, "\tentry { f2 = %u, f3 = %u } -> a%u(%u, %u);\n",
				e, u, act, e, e + 1);
			break;
		case 1:
			fprintf(f, "\tentry { f2 = 0x%x & 0xff0, f3 = %u } priority %u -> a%u(%u, 1);\n",
				e << 4, u, e, act, e);
			break;
		case 2:
			fprintf(f, "\tentry { f2 in %u..%u, f3 in 0..%u } priority %u -> a%u(%u, 2);\n",
				100 * e, 100 * e + 99, u, e, act, e);
			break;
		default:
			fprintf(f, "\tentry { f2 = 0x%x00000000000000 / %u } -> a%u(%u, 3);\n",
				0x10 + e, 8 + e, act, e);
			break;
		}
	}
	fprintf(f, "}\n\n");
}

/* A policy of at least @lines lines; returns its text (malloc()ed). */
static char *gen_policy(unsigned int lines, unsigned int *nactions_out)
{
	unsigned int u, n, nactions;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	/* an action with its share of maps, models and tables: ~64 lines */
	nactions = lines / 64 + 1;
	for (;;) {
		f = open_memstream(&text, &len);
		if (!f)
			die("out of memory");
		fprintf(f, "// SPDX-License-Identifier: GPL-2.0-only\n");
		fprintf(f, "// Generated by bench_rmtc: %u actions at the test hook.\n\n",
			nactions);
		fprintf(f, "const SCALE = 3;\n\n");
		for (u = 0; u < nactions; u++) {
			if (u % 4 == 0)
				gen_ctxmap(f, u / 4);
			if (u % 3 == 0)
				gen_model(f, u);
			gen_action(f, u);
			if (u % 2)
				gen_table(f, u / 2, nactions);
		}
		if (fclose(f))
			die("out of memory");
		n = count_lines(text);
		if (n >= lines)
			break;
		free(text);
		nactions += (lines - n) / 64 + 1;
	}
	*nactions_out = nactions;
	return text;
}

static struct rmtc_diags *new_diags(void)
{
	struct rmtc_diags *ds = calloc(1, sizeof(*ds));

	if (!ds)
		die("out of memory");
	return ds;
}

static void free_diags(struct rmtc_diags *ds)
{
	rmtc_diags_release(ds);
	free(ds);
}

/* Keep the generated policy, so that it can be compiled by hand. */
static void save_policy(const char *out, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rmtc", out);
	if (mkdir(path, 0777) && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/rmtc/generated.rmt", out);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f))
		die("%s: %s", path, strerror(errno));
}

static void bench_generated(const char *out)
{
	double t_comp[GEN_RUNS], t_check[GEN_RUNS], t_total[GEN_RUNS], t0, t1;
	struct rmtc_row *rc, *rk, *rt;
	struct rmtc_diags *ds;
	struct rmtc_policy pol;
	unsigned int nactions, lines, run, i;
	char name[64];
	u64 insns = 0, worst = 0;
	char *text;

	text = gen_policy(GEN_LINES, &nactions);
	lines = count_lines(text);
	save_policy(out, text);
	for (run = 0; run <= GEN_RUNS; run++) {	/* run 0: warm-up */
		ds = new_diags();
		t0 = now_ns();
		if (rmtc_compile_text("generated.rmt", text, &pol, ds)) {
			rmtc_diags_print(ds, stderr);
			die("the generated policy does not compile");
		}
		t1 = now_ns();
		if (rmtc_policy_check(&pol, ds)) {
			rmtc_diags_print(ds, stderr);
			die("the generated policy is refused");
		}
		if (run) {
			t_comp[run - 1] = t1 - t0;
			t_check[run - 1] = now_ns() - t1;
			t_total[run - 1] = t_comp[run - 1] + t_check[run - 1];
		} else {
			for (i = 0; i < pol.nprogs; i++) {
				insns += pol.ops[pol.progs[i].op].prog.len;
				if (pol.progs[i].cost > worst)
					worst = pol.progs[i].cost;
			}
		}
		rmtc_policy_release(&pol);
		free_diags(ds);
	}
	snprintf(name, sizeof(name), "generated-%u-lines", lines);
	rc = row(name, "compile");
	rk = row(name, "check");
	rt = row(name, "total");
	rc->lines = rk->lines = rt->lines = lines;
	summarise(rc, t_comp, GEN_RUNS);
	summarise(rk, t_check, GEN_RUNS);
	summarise(rt, t_total, GEN_RUNS);
	note("%s: %u actions, %llu instructions (%llu bytes of bytecode), "
	     "worst action cost %llu of the test hook's %llu", name, nactions,
	     (unsigned long long)insns, (unsigned long long)insns * 8,
	     (unsigned long long)worst,
	     (unsigned long long)rmt_hook_schema(RMT_HOOK_TEST)->budget);
	free(text);
}

/* ---- the examples ---- */

/* The budget a program is verified against, as the store applies it. */
static u64 prog_budget(const struct rmt_op *op)
{
	if (op->prog.has_budget)
		return op->prog.budget;
	return rmt_hook_schema(op->prog.hook)->budget;
}

static unsigned int file_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned int n = 0;
	int c;

	if (!f)
		return 0;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void bench_example(const char *path, const char *shown)
{
	double t[EXAMPLE_RUNS], t0;
	struct rmtc_diags *ds;
	struct rmtc_policy pol;
	struct rmtc_row *r;
	unsigned int run, i;
	char workload[160];

	for (run = 0; run <= EXAMPLE_RUNS; run++) {	/* run 0: warm-up */
		ds = new_diags();
		t0 = now_ns();
		if (rmtc_compile_file(path, &pol, ds) || rmtc_policy_check(&pol, ds)) {
			note("%s is refused, skipped: %s", shown,
			     ds->n ? ds->d[0].msg : "no diagnostic");
			rmtc_policy_release(&pol);
			free_diags(ds);
			return;
		}
		if (run)
			t[run - 1] = now_ns() - t0;
		if (run < EXAMPLE_RUNS) {
			rmtc_policy_release(&pol);
			free_diags(ds);
		}
	}
	r = row(shown, "compile+check");
	r->lines = file_lines(path);
	summarise(r, t, EXAMPLE_RUNS);
	for (i = 0; i < pol.nprogs; i++) {
		const struct rmt_op *op = &pol.ops[pol.progs[i].op];

		snprintf(workload, sizeof(workload), "%s:%s", shown, op->name);
		r = row(workload, "rmtc");
		snprintf(r->action, sizeof(r->action), "%s", op->name);
		r->hook = rmt_hook_schema(op->prog.hook)->name;
		r->insns = op->prog.len;
		r->cost = pol.progs[i].cost;
		r->budget = prog_budget(op);
	}
	rmtc_policy_release(&pol);
	free_diags(ds);
}

static void bench_examples(const char *dir)
{
	char pattern[PATH_MAX], shown[96];
	glob_t g;
	size_t i;
	int ret;

	snprintf(pattern, sizeof(pattern), "%s/*.rmt", dir);
	ret = glob(pattern, 0, NULL, &g);
	if (ret == GLOB_NOMATCH || ret == GLOB_ABORTED) {
		note("no examples: nothing matches %s", pattern);
		return;
	}
	if (ret)
		die("glob %s failed", pattern);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/');

		snprintf(shown, sizeof(shown), "examples/%s",
			 base ? base + 1 : g.gl_pathv[i]);
		bench_example(g.gl_pathv[i], shown);
	}
	globfree(&g);
}

/* ---- report ---- */

static const char rmtc_note[] =
	"Compile times: wall time of one run in ms, best and median of "
	"21 runs after a warm-up; lines/s over the "
	"median. compile: rmtc_compile_text() (scanner, parser, evaluate, lowering); "
	"check: rmtc_policy_check() (the verifier, through a private store); "
	"compile+check: rmtc_compile_file() then rmtc_policy_check(), weights files "
	"included. Per action: instructions, bytecode bytes (8 per instruction), the "
	"verifier's worst-case cost and the hook's budget.";

static void fmt_ms(char *buf, size_t size, double ns)
{
	if (isnan(ns))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.3f", ns / 1e6);
}

static void print_table(FILE *f)
{
	char best[32], median[32];
	unsigned int i;

	fprintf(f, "%s\n\n", rmtc_note);
	fprintf(f, "| workload | impl | lines | best ms | median ms | lines/s |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|\n");
	for (i = 0; i < nrows; i++) {
		const struct rmtc_row *r = &rows[i];

		if (r->action[0])
			continue;
		fmt_ms(best, sizeof(best), r->ns_best);
		fmt_ms(median, sizeof(median), r->ns_median);
		fprintf(f, "| %s | %s | %u | %s | %s | %.0f |\n", r->workload,
			r->impl, r->lines, best, median,
			r->lines * 1e9 / r->ns_median);
	}
	fprintf(f, "\n| example:action | hook | insns | bytes | cost | budget | %% of budget |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < nrows; i++) {
		const struct rmtc_row *r = &rows[i];

		if (!r->action[0])
			continue;
		fprintf(f, "| %s | %s | %u | %u | %llu | %llu | %.2f |\n",
			r->workload, r->hook, r->insns, r->insns * 8,
			(unsigned long long)r->cost, (unsigned long long)r->budget,
			100.0 * r->cost / r->budget);
	}
	if (nnotes)
		fprintf(f, "\n");
	for (i = 0; i < nnotes; i++)
		fprintf(f, "- %s\n", notes[i]);
}

static void json_num(FILE *f, const char *key, double v)
{
	fprintf(f, ", \"%s\": ", key);
	if (isnan(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.3f", v);
}

/*
 * The rows every suite has (suite, workload, impl, ns_lat, ns_tput;
 * here ns_lat is the median time of one run and ns_tput is not
 * measured), then this suite's own fields.
 */
static void print_json(FILE *f)
{
	unsigned int i;

	fprintf(f, "[");
	for (i = 0; i < nrows; i++) {
		const struct rmtc_row *r = &rows[i];

		fprintf(f, "%s\n  {\"suite\": \"rmtc\", \"workload\": \"%s\", \"impl\": \"%s\"",
			i ? "," : "", r->workload, r->impl);
		json_num(f, "ns_lat", r->ns_median);
		json_num(f, "ns_tput", NAN);
		if (r->action[0]) {
			fprintf(f, ", \"action\": \"%s\", \"hook\": \"%s\", \"insns\": %u, "
				"\"bytes\": %u, \"cost\": %llu, \"budget\": %llu",
				r->action, r->hook, r->insns, r->insns * 8,
				(unsigned long long)r->cost, (unsigned long long)r->budget);
		} else {
			fprintf(f, ", \"lines\": %u", r->lines);
			json_num(f, "ns_best", r->ns_best);
			json_num(f, "ns_median", r->ns_median);
			json_num(f, "lines_per_s", r->lines * 1e9 / r->ns_median);
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n]\n");
}

static void write_file(const char *dir, const char *name, void (*print)(FILE *))
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	print(f);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* ---- main ---- */

/* examples/ at the top of the tree: here (make runs us there), or next
 * to the build directory this program is in. */
static void examples_dir(char *buf, size_t size)
{
	ssize_t len;
	char *slash;
	int up;

	snprintf(buf, size, "examples");
	if (!access(buf, R_OK))
		return;
	len = readlink("/proc/self/exe", buf, size - 1);
	if (len <= 0) {
		snprintf(buf, size, "examples");
		return;
	}
	buf[len] = 0;
	for (up = 0; up < 3; up++) {	/* build/bench/bench_rmtc */
		slash = strrchr(buf, '/');
		if (slash)
			*slash = 0;
	}
	strncat(buf, "/examples", size - strlen(buf) - 1);
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : "build/bench";
	char dir[PATH_MAX];

	if (mkdir(out, 0777) && errno != EEXIST)
		die("%s: %s", out, strerror(errno));
	bench_generated(out);
	examples_dir(dir, sizeof(dir));
	bench_examples(dir);
	print_table(stdout);
	fflush(stdout);
	write_file(out, "rmtc.md", print_table);
	write_file(out, "rmtc.json", print_json);
	return 0;
}
