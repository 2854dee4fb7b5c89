// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the x86-64 JIT: differential testing against the
 * interpreter.
 *
 * Inputs are fuzz_verifier's (struct fuzz_hdr, then instructions), with
 * the same environment, context values and structure-aware mutator
 * (fuzz_prog.c).  Each admitted program runs on the same context
 * vectors and action parameters under the interpreter and then under
 * every JIT tier this CPU supports, the tail programs JITed with it;
 * each tier starts from fresh context maps, and every run from a
 * scratch buffer filled with the same canary.  Everything a run leaves
 * behind must be bit for bit the interpreter's: return code, r0, tail
 * calls taken, the whole context array, the whole scratch buffer and
 * the context maps.  Only the instruction count, which machine code
 * does not keep, is left out.  A difference is printed with the
 * program's disassembly, then abort() has libFuzzer save the input.
 *
 * Context maps and helpers are watched from outside the core: fuzz.mk
 * links this target with --wrap for rmt_ctxmap_{load,store,contains,
 * history} and rmt_helper_call, so every such call of the interpreter
 * or of the machine code comes through here first.  The calls are
 * logged (under every tier the same calls, with the same map, key,
 * slot, value and result, must come in the same order), and after the
 * runs each map is read back at every key the interpreter used.  The
 * clock and random helpers answer from sequences that restart with
 * each tier, so programs that call them are compared too.
 *
 * The scratch buffer is a page between two inaccessible pages and the
 * context array ends where an inaccessible page begins, so machine code
 * that strays past them faults (a crash libFuzzer reports) instead of
 * going unnoticed; a write below the context array is checked for.
 */
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "insn.h"

/* Larger programs are verified but not run: each runs ~6 times here. */
#define FJ_MAX_COST	(1ULL << 18)
#define FJ_MAX_RUNS	5	/* context vectors: 2 + (nruns & 3) */
#define FJ_LOG_MAX	512	/* calls kept for a diff; all are hashed */
#define FJ_MAX_KEYS	64	/* keys per map read back after the runs */
#define FJ_NR_MAPS	2	/* fuzz_env_setup() makes at most two */
#define FJ_CTX_BYTES	(RMT_TEST_CTX_FIELDS * sizeof(s64))
#define FJ_CTX_FILL	0xcc	/* the context array's page, below it */
#define FJ_NO_RUN	U32_MAX	/* fj.run while no run is going on */

static const struct fj_tier {
	u32 tier;
	u32 flags;
	const char *name;
} fj_tiers[] = {
	{ RMT_JIT_INTERP, 0, "interpreter" },	/* the reference: first */
	{ RMT_JIT_SCALAR, 0, "scalar" },
	{ RMT_JIT_SCALAR, RMT_JIT_F_BLIND, "scalar (blinded)" },
	{ RMT_JIT_AVX2, 0, "avx2" },
	{ RMT_JIT_AVX512, 0, "avx512" },
	{ RMT_JIT_AMX, 0, "amx" },
};

/* Scratch canaries: a different one per input, the same for every tier. */
static const u8 fj_canaries[8] = { 0xa5, 0x5a, 0xff, 0x80, 0x7f, 0x01, 0xcc,
				   0x33 };

/* What one run leaves behind, apart from the maps. */
struct fj_out {
	int err;
	s64 r0;
	u32 tail_calls;
	s64 ctx[RMT_TEST_CTX_FIELDS];
	u8 scratch[RMT_SCRATCH_SIZE];
};

enum { FJ_LOAD, FJ_STORE, FJ_CONTAINS, FJ_HISTORY, FJ_HELPER };

static const char *const fj_call_names[] = {
	[FJ_LOAD] = "rmt_ctxmap_load", [FJ_STORE] = "rmt_ctxmap_store",
	[FJ_CONTAINS] = "rmt_ctxmap_contains",
	[FJ_HISTORY] = "rmt_ctxmap_history", [FJ_HELPER] = "rmt_helper_call",
};

/**
 * struct fj_call - one call into the core's maps or helpers
 * @fn: FJ_*
 * @obj: map index, or helper id
 * @arg: slot; for history, dtype | n << 8 | scratch offset << 16; for a
 *	helper its second argument
 * @key: the key, or a helper's first argument
 * @val: the value stored
 * @ret: what the call returned
 */
struct fj_call {
	u32 fn;
	s32 obj;
	s64 arg;
	u64 key;
	s64 val;
	s64 ret;
};

struct fj_log {
	struct fj_call c[FJ_LOG_MAX];
	u32 n;
	u64 hash;
};

/* One differential run of one program; the wrappers need it too. */
static struct {
	const struct rmt_prog *prog;
	struct fuzz_env *fe;
	const struct fuzz_hdr *h;
	const struct fj_tier *tier;	/* running now */
	u32 run;			/* which context vector, now */
	u32 nruns;
	s64 in[FJ_MAX_RUNS][RMT_TEST_CTX_FIELDS];
	s64 params[RMT_MAX_PARAMS];
	u32 nparams;
	u8 canary;
	u64 clock, random;		/* the helpers' sequences */
	struct fj_log *log;		/* where calls go; NULL: nowhere */
	bool collect;			/* note the keys of map calls */
	u64 keys[FJ_NR_MAPS][FJ_MAX_KEYS];
	u32 nkeys[FJ_NR_MAPS];
	/* the interpreter's results, per run */
	struct fj_out ref[FJ_MAX_RUNS];
	u32 ref_calls[FJ_MAX_RUNS];
	u64 ref_hash[FJ_MAX_RUNS];
} fj;

static struct fj_out fj_cur;
static struct fj_log fj_ref_log, fj_cur_log;

/* The run's memory (fj_setup()); ctx ends at an inaccessible page. */
static u8 *fj_scratch;
static s64 *fj_ctx;
static u8 *fj_ctx_page;
static u8 fj_ctx_fill[4096];

/* ---- reporting ---- */

static void fj_print_program(const struct rmt_prog *prog)
{
	u32 i = 0, pad = 0;
	char buf[96];

	/* FUZZ_F_STRETCH's padding in one line */
	for (; pad < prog->len; pad++) {
		struct rmt_insn mov = RMT_MOV_I(10, pad);

		if (memcmp(&prog->insns[pad], &mov, sizeof(mov)))
			break;
	}
	fprintf(stderr, "program (%u instructions, cost %llu, scratch %u):\n",
		prog->len, (unsigned long long)prog->cost, prog->scratch_size);
	if (pad > 4) {
		fprintf(stderr, "  %4u-%u: mov r10, <index> (padding)\n", 0,
			pad - 1);
		i = pad;
	}
	for (; i < prog->len; i++) {
		rmt_disasm_insn(&prog->insns[i], buf, sizeof(buf));
		fprintf(stderr, "  %4u: %s\n", i, buf);
	}
}

static void fj_print_env(void)
{
	const struct rmt_env *env = &fj.fe->env;
	u32 i, f;

	fprintf(stderr, "environment: model %s, %u tail slot(s), canary 0x%02x, %u param(s)",
		env->model ? "yes" : "no", env->ntail, fj.canary, fj.nparams);
	for (i = 0; i < fj.nparams; i++)
		fprintf(stderr, "%s%lld", i ? ", " : ": ", (long long)fj.params[i]);
	fputc('\n', stderr);
	for (i = 0; i < env->nmaps; i++) {
		const struct rmt_ctxmap_desc *d = rmt_ctxmap_desc(env->maps[i]);

		fprintf(stderr, "  map %u: nvals %u, hist_len %u, max_entries %u\n",
			i, d->nvals, d->hist_len, d->max_entries);
	}
	if (fj.run == FJ_NO_RUN)
		return;
	fprintf(stderr, "context of run %u:", fj.run + 1);
	for (f = 0; f < RMT_TEST_CTX_FIELDS; f++)
		fprintf(stderr, "%s f%u=%lld", f % 6 ? "" : "\n ", f,
			(long long)fj.in[fj.run][f]);
	fputc('\n', stderr);
}

/*
 * The headline, in the form tests/fuzz/run.sh picks out of the log:
 * what differs in which run (a leading ", " is dropped), or, with
 * fj.run at FJ_NO_RUN, what went wrong before the runs.
 */
static __printf(1, 2) void fj_headline(const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (fj.run == FJ_NO_RUN)
		fprintf(stderr, "invariant failed: jit tier %s: %s\n",
			fj.tier->name, what);
	else
		fprintf(stderr, "invariant failed: jit tier %s differs from the interpreter, run %u of %u: %s\n",
			fj.tier->name, fj.run + 1, fj.nruns,
			what + (what[0] == ',' ? 2 : 0));
}

static __attribute__((noreturn)) void fj_abort(void)
{
	fj_print_env();
	fj_print_program(fj.prog);
	abort();
}

/* ---- watching the maps and helpers (fuzz.mk links with --wrap) ---- */

s64 __real_rmt_ctxmap_load(struct rmt_ctxmap *map, u64 key, s32 slot);
int __real_rmt_ctxmap_store(struct rmt_ctxmap *map, u64 key, s32 slot,
			    s64 val);
bool __real_rmt_ctxmap_contains(struct rmt_ctxmap *map, u64 key);
u32 __real_rmt_ctxmap_history(struct rmt_ctxmap *map, u64 key, void *out,
			      u32 dtype, u32 n);
s64 __real_rmt_helper_call(s32 id, const u64 *args,
			   const struct rmt_run_ctx *rc);

s64 __wrap_rmt_ctxmap_load(struct rmt_ctxmap *map, u64 key, s32 slot);
int __wrap_rmt_ctxmap_store(struct rmt_ctxmap *map, u64 key, s32 slot,
			    s64 val);
bool __wrap_rmt_ctxmap_contains(struct rmt_ctxmap *map, u64 key);
u32 __wrap_rmt_ctxmap_history(struct rmt_ctxmap *map, u64 key, void *out,
			      u32 dtype, u32 n);
s64 __wrap_rmt_helper_call(s32 id, const u64 *args,
			   const struct rmt_run_ctx *rc);

static void fj_hash(struct fj_log *l, u64 v)
{
	l->hash = fuzz_mix(l->hash ^ v);
}

static void fj_note_key(s32 map, u64 key)
{
	u32 i;

	if (map < 0 || map >= FJ_NR_MAPS)
		return;
	for (i = 0; i < fj.nkeys[map]; i++)
		if (fj.keys[map][i] == key)
			return;
	if (fj.nkeys[map] < FJ_MAX_KEYS)
		fj.keys[map][fj.nkeys[map]++] = key;
}

static void fj_record(u32 fn, s32 obj, s64 arg, u64 key, s64 val, s64 ret)
{
	struct fj_log *l = fj.log;

	if (fj.collect && fn != FJ_HELPER)
		fj_note_key(obj, key);
	fj_hash(l, fn | (u64)(u32)obj << 8);
	fj_hash(l, arg);
	fj_hash(l, key);
	fj_hash(l, val);
	fj_hash(l, ret);
	if (l->n < FJ_LOG_MAX)
		l->c[l->n] = (struct fj_call){ .fn = fn, .obj = obj, .arg = arg,
					       .key = key, .val = val,
					       .ret = ret };
	l->n++;
}

/* The map's index; a pointer that is none of them would crash the core. */
static s32 fj_map_index(u32 fn, const struct rmt_ctxmap *map, u64 key)
{
	u32 i;

	for (i = 0; i < fj.fe->env.nmaps; i++)
		if (fj.fe->env.maps[i] == map)
			return i;
	fj_headline("%s(%p, key %#llx) on no map of the environment",
		    fj_call_names[fn], map, (unsigned long long)key);
	fj_abort();
}

/* Outside the runs (fj.log NULL), the calls go straight through. */
s64 __wrap_rmt_ctxmap_load(struct rmt_ctxmap *map, u64 key, s32 slot)
{
	s32 idx;
	s64 ret;

	if (!fj.log)
		return __real_rmt_ctxmap_load(map, key, slot);
	idx = fj_map_index(FJ_LOAD, map, key);
	ret = __real_rmt_ctxmap_load(map, key, slot);
	fj_record(FJ_LOAD, idx, slot, key, 0, ret);
	return ret;
}

int __wrap_rmt_ctxmap_store(struct rmt_ctxmap *map, u64 key, s32 slot,
			    s64 val)
{
	s32 idx;
	int ret;

	if (!fj.log)
		return __real_rmt_ctxmap_store(map, key, slot, val);
	idx = fj_map_index(FJ_STORE, map, key);
	ret = __real_rmt_ctxmap_store(map, key, slot, val);
	fj_record(FJ_STORE, idx, slot, key, val, ret);
	return ret;
}

bool __wrap_rmt_ctxmap_contains(struct rmt_ctxmap *map, u64 key)
{
	s32 idx;
	bool ret;

	if (!fj.log)
		return __real_rmt_ctxmap_contains(map, key);
	idx = fj_map_index(FJ_CONTAINS, map, key);
	ret = __real_rmt_ctxmap_contains(map, key);
	fj_record(FJ_CONTAINS, idx, 0, key, 0, ret);
	return ret;
}

u32 __wrap_rmt_ctxmap_history(struct rmt_ctxmap *map, u64 key, void *out,
			      u32 dtype, u32 n)
{
	uintptr_t at = (uintptr_t)out - (uintptr_t)fj_scratch;
	s32 idx;
	u32 ret;

	if (!fj.log)
		return __real_rmt_ctxmap_history(map, key, out, dtype, n);
	idx = fj_map_index(FJ_HISTORY, map, key);
	if ((uintptr_t)out < (uintptr_t)fj_scratch || !rmt_dtype_size(dtype) ||
	    at + (u64)n * rmt_dtype_size(dtype) > RMT_SCRATCH_SIZE) {
		fj_headline("rmt_ctxmap_history(map %d, key %#llx) into %p, outside scratch %p, dtype %u, n %u",
			    idx, (unsigned long long)key, out, fj_scratch,
			    dtype, n);
		fj_abort();
	}
	ret = __real_rmt_ctxmap_history(map, key, out, dtype, n);
	fj_record(FJ_HISTORY, idx, dtype | n << 8 | (u64)at << 16, key, 0, ret);
	return ret;
}

/* In the runs, the clock and the random numbers restart with each tier. */
s64 __wrap_rmt_helper_call(s32 id, const u64 *args,
			   const struct rmt_run_ctx *rc)
{
	const struct rmt_helper_info *hi = rmt_helper_lookup(id);
	int nargs = hi ? hi->nargs : 0;
	s64 ret;

	if (!fj.log)
		return __real_rmt_helper_call(id, args, rc);
	switch (id) {
	case RMT_FN_KTIME_NS:
		fj.clock += 1 + fuzz_mix(fj.clock) % 4096;
		ret = (s64)fj.clock;
		break;
	case RMT_FN_PRANDOM:
		fj.random = fuzz_mix(fj.random);
		ret = (u32)fj.random;
		break;
	default:
		ret = __real_rmt_helper_call(id, args, rc);
	}
	fj_record(FJ_HELPER, id, nargs >= 2 ? (s64)args[1] : 0,
		  nargs >= 1 ? args[0] : 0, 0, ret);
	return ret;
}

/* ---- comparing ---- */

static void fj_print_call(const char *who, u32 k, const struct fj_call *c)
{
	fprintf(stderr, "    %-16s call %u: %s", who, k,
		c->fn <= FJ_HELPER ? fj_call_names[c->fn] : "?");
	if (c->fn == FJ_HELPER)
		fprintf(stderr, "(%d: %lld, %lld)", c->obj,
			(long long)c->key, (long long)c->arg);
	else if (c->fn == FJ_HISTORY)
		fprintf(stderr, "(map %d, key %#llx, dtype %lld, n %lld, scratch %lld)",
			c->obj, (unsigned long long)c->key,
			(long long)(c->arg & 0xff),
			(long long)((c->arg >> 8) & 0xff),
			(long long)(c->arg >> 16));
	else
		fprintf(stderr, "(map %d, key %#llx, slot %lld, val %lld)",
			c->obj, (unsigned long long)c->key, (long long)c->arg,
			(long long)c->val);
	fprintf(stderr, " = %lld\n", (long long)c->ret);
}

static bool fj_call_eq(const struct fj_call *a, const struct fj_call *b)
{
	return a->fn == b->fn && a->obj == b->obj && a->arg == b->arg &&
	       a->key == b->key && a->val == b->val && a->ret == b->ret;
}

/* Calls up to the end of this run: the same as the interpreter's. */
static bool fj_calls_differ(void)
{
	return fj_cur_log.n != fj.ref_calls[fj.run] ||
	       fj_cur_log.hash != fj.ref_hash[fj.run];
}

static void fj_diff_calls(void)
{
	u32 n = min(min(fj_cur_log.n, fj.ref_calls[fj.run]), (u32)FJ_LOG_MAX);
	u32 k;

	fprintf(stderr, "  map and helper calls: interpreter %u, %s %u\n",
		fj.ref_calls[fj.run], fj.tier->name, fj_cur_log.n);
	for (k = 0; k < n; k++)
		if (!fj_call_eq(&fj_ref_log.c[k], &fj_cur_log.c[k]))
			break;
	if (k < n) {
		fj_print_call("interpreter", k, &fj_ref_log.c[k]);
		fj_print_call(fj.tier->name, k, &fj_cur_log.c[k]);
	} else if (k < FJ_LOG_MAX) {
		fprintf(stderr, "    the first %u agree; then\n", k);
		if (k < fj.ref_calls[fj.run])
			fj_print_call("interpreter", k, &fj_ref_log.c[k]);
		if (k < fj_cur_log.n)
			fj_print_call(fj.tier->name, k, &fj_cur_log.c[k]);
	} else {
		fprintf(stderr, "    the first %u agree\n", k);
	}
}

/* Ranges of differing bytes, each with its first bytes on both sides. */
static void fj_diff_scratch(const u8 *a, const u8 *b)
{
	u32 i = 0, start, k, ranges = 0, total = 0;

	for (k = 0; k < RMT_SCRATCH_SIZE; k++)
		total += a[k] != b[k];
	fprintf(stderr, "  scratch: %u bytes differ (canary 0x%02x, program's extent %u)\n",
		total, fj.canary, fj.prog->scratch_size);
	while (i < RMT_SCRATCH_SIZE && ranges < 8) {
		if (a[i] == b[i]) {
			i++;
			continue;
		}
		for (start = i; i < RMT_SCRATCH_SIZE && a[i] != b[i]; i++)
			;
		fprintf(stderr, "    [%u, %u)\n      %-16s", start, i,
			"interpreter");
		for (k = start; k < i && k < start + 24; k++)
			fprintf(stderr, " %02x", a[k]);
		fprintf(stderr, "\n      %-16s", fj.tier->name);
		for (k = start; k < i && k < start + 24; k++)
			fprintf(stderr, " %02x", b[k]);
		fprintf(stderr, "%s\n", i - start > 24 ? " ..." : "");
		ranges++;
	}
}

static void fj_compare_run(const struct fj_out *a, const struct fj_out *b)
{
	bool err = a->err != b->err, r0 = a->r0 != b->r0;
	bool tails = a->tail_calls != b->tail_calls;
	bool ctx = memcmp(a->ctx, b->ctx, sizeof(a->ctx));
	bool scratch = memcmp(a->scratch, b->scratch, sizeof(a->scratch));
	bool calls = fj_calls_differ();
	u32 f;

	if (!err && !r0 && !tails && !ctx && !scratch && !calls)
		return;
	fj_headline("%s%s%s%s%s%s", err ? ", return code" : "",
		    r0 ? ", r0" : "", tails ? ", tail calls" : "",
		    ctx ? ", context" : "", scratch ? ", scratch" : "",
		    calls ? ", map and helper calls" : "");
	if (err)
		fprintf(stderr, "  return code: interpreter %d, %s %d\n",
			a->err, fj.tier->name, b->err);
	if (r0)
		fprintf(stderr, "  r0: interpreter %lld (%#llx), %s %lld (%#llx)\n",
			(long long)a->r0, (unsigned long long)a->r0,
			fj.tier->name, (long long)b->r0,
			(unsigned long long)b->r0);
	if (tails)
		fprintf(stderr, "  tail calls: interpreter %u, %s %u\n",
			a->tail_calls, fj.tier->name, b->tail_calls);
	for (f = 0; ctx && f < RMT_TEST_CTX_FIELDS; f++)
		if (a->ctx[f] != b->ctx[f])
			fprintf(stderr, "  context f%u: interpreter %lld (%#llx), %s %lld (%#llx)\n",
				f, (long long)a->ctx[f],
				(unsigned long long)a->ctx[f], fj.tier->name,
				(long long)b->ctx[f],
				(unsigned long long)b->ctx[f]);
	if (scratch)
		fj_diff_scratch(a->scratch, b->scratch);
	if (calls)
		fj_diff_calls();
	fj_abort();
}

/*
 * The maps after all runs: entries, drops, and at each key the
 * interpreter used, presence and every value and history slot.  With
 * @ref, the values are the interpreter's and are kept; otherwise each
 * is compared with the kept one.
 */
#define FJ_MAX_OBS	(FJ_NR_MAPS * (2 + FJ_MAX_KEYS * \
			 (1 + RMT_MAX_CTXMAP_VALS + RMT_MAX_HIST)))

static s64 fj_obs[FJ_MAX_OBS];

static void fj_observe_one(u32 *n, s64 v, bool ref, u32 map, const char *what,
			   u64 key, s32 slot)
{
	if (ref) {
		fj_obs[(*n)++] = v;
		return;
	}
	if (fj_obs[*n] != v) {
		fj.run = fj.nruns - 1;
		fj_headline("context map %u after the runs", map);
		fprintf(stderr, "  map %u %s", map, what);
		if (strcmp(what, "count") && strcmp(what, "drops"))
			fprintf(stderr, " at key %#llx slot %d",
				(unsigned long long)key, slot);
		fprintf(stderr, ": interpreter %lld, %s %lld\n",
			(long long)fj_obs[*n], fj.tier->name, (long long)v);
		fj_abort();
	}
	(*n)++;
}

static void fj_observe(bool ref)
{
	const struct rmt_env *env = &fj.fe->env;
	u32 n = 0, m, k;
	s32 s;

	for (m = 0; m < env->nmaps && m < FJ_NR_MAPS; m++) {
		struct rmt_ctxmap *map = env->maps[m];
		const struct rmt_ctxmap_desc *d = rmt_ctxmap_desc(map);

		fj_observe_one(&n, rmt_ctxmap_count(map), ref, m, "count", 0, 0);
		fj_observe_one(&n, rmt_ctxmap_drops(map), ref, m, "drops", 0, 0);
		for (k = 0; k < fj.nkeys[m]; k++) {
			u64 key = fj.keys[m][k];

			fj_observe_one(&n, __real_rmt_ctxmap_contains(map, key),
				       ref, m, "presence", key, 0);
			for (s = 0; s < (s32)d->nvals; s++)
				fj_observe_one(&n, __real_rmt_ctxmap_load(map, key, s),
					       ref, m, "value", key, s);
			for (s = 0; s < (s32)d->hist_len; s++)
				fj_observe_one(&n, __real_rmt_ctxmap_load(map, key,
							RMT_CTXT_HIST(s)),
					       ref, m, "history", key,
					       RMT_CTXT_HIST(s));
		}
	}
}

/* ---- running ---- */

static void fj_setup(void)
{
	long page = sysconf(_SC_PAGESIZE);
	u8 *p;

	if (fj_scratch)
		return;
	FUZZ_CHECK(page >= RMT_SCRATCH_SIZE && page >= (long)FJ_CTX_BYTES &&
		   page <= (long)sizeof(fj_ctx_fill), "page size %ld", page);
	/* guard, scratch, guard, context, guard */
	p = mmap(NULL, 5 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FUZZ_CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	FUZZ_CHECK(!mprotect(p + page, page, PROT_READ | PROT_WRITE) &&
		   !mprotect(p + 3 * page, page, PROT_READ | PROT_WRITE),
		   "mprotect: %s", strerror(errno));
	fj_scratch = p + 2 * page - RMT_SCRATCH_SIZE;
	fj_ctx_page = p + 3 * page;
	fj_ctx = (s64 *)(p + 4 * page - FJ_CTX_BYTES);
	memset(fj_ctx_fill, FJ_CTX_FILL, sizeof(fj_ctx_fill));
	memset(fj_ctx_page, FJ_CTX_FILL, (u8 *)fj_ctx - fj_ctx_page);
}

/* The maps as fuzz_env_setup() made them: same shape, no entries. */
static void fj_maps_reset(struct fuzz_env *fe)
{
	struct rmt_diag diag;
	u32 i;

	for (i = 0; i < fe->env.nmaps; i++) {
		struct rmt_ctxmap_desc d = *rmt_ctxmap_desc(fe->env.maps[i]);

		rmt_ctxmap_free(fe->env.maps[i]);
		rmt_diag_clear(&diag);
		fe->env.maps[i] = rmt_ctxmap_create(&d, &diag);
		FUZZ_CHECK(fe->env.maps[i], "map re-created: %s", diag.msg);
	}
}

/* The program and the tail programs, in machine code of one tier. */
static void fj_jit(struct rmt_prog *prog, struct fuzz_env *fe)
{
	struct rmt_diag diag;
	u32 i;

	fj.run = FJ_NO_RUN;
	rmt_diag_clear(&diag);
	if (rmt_prog_jit(prog, fj.tier->tier, fj.tier->flags, &diag) ||
	    prog->tier != fj.tier->tier) {
		fj_headline("the JIT refused a verified program: %s", diag.msg);
		fj_abort();
	}
	for (i = 0; i < fe->env.ntail; i++) {
		struct rmt_prog *tail = fe->env.tail[i];

		rmt_diag_clear(&diag);
		if (rmt_prog_jit(tail, fj.tier->tier, fj.tier->flags, &diag) ||
		    tail->tier != fj.tier->tier) {
			fj_headline("the JIT refused tail program %u: %s", i,
				    diag.msg);
			fj_print_program(tail);
			fj_abort();
		}
	}
}

static void fj_run(u32 run, struct fj_out *out)
{
	struct rmt_run_ctx rc = {
		.ctx = fj_ctx, .scratch = fj_scratch,
		.params = fj.params, .nparams = fj.nparams,
	};
	size_t below = (u8 *)fj_ctx - fj_ctx_page;

	fj.run = run;
	memcpy(fj_ctx, fj.in[run], FJ_CTX_BYTES);
	memset(fj_scratch, fj.canary, RMT_SCRATCH_SIZE);
	if (fj.tier->tier == RMT_JIT_INTERP)
		out->err = rmt_interp_run(fj.prog, &rc);
	else
		out->err = rmt_run(fj.prog, &rc);
	out->r0 = rc.r0;
	out->tail_calls = rc.tail_calls;
	memcpy(out->ctx, fj_ctx, FJ_CTX_BYTES);
	memcpy(out->scratch, fj_scratch, RMT_SCRATCH_SIZE);
	if (memcmp(fj_ctx_page, fj_ctx_fill, below)) {
		fj_headline("memory below the context array written");
		fj_abort();
	}
}

/* Every run of one tier, from fresh maps and helper sequences. */
static void fj_tier_runs(const struct fj_tier *t)
{
	bool ref = t->tier == RMT_JIT_INTERP;
	struct fj_log *log = ref ? &fj_ref_log : &fj_cur_log;
	u64 seed;
	u32 run;

	fj.tier = t;
	memcpy(&seed, fj.h->ctx_seed, sizeof(seed));
	fj.clock = seed >> 8;
	fj.random = fuzz_mix(seed);
	log->n = 0;
	log->hash = 0;
	fj.log = log;
	fj.collect = ref;
	for (run = 0; run < fj.nruns; run++) {
		if (ref) {
			fj_run(run, &fj.ref[run]);
			fj.ref_calls[run] = log->n;
			fj.ref_hash[run] = log->hash;
		} else {
			fj_run(run, &fj_cur);
			fj_compare_run(&fj.ref[run], &fj_cur);
		}
	}
	fj.log = NULL;
	fj.collect = false;
	fj_observe(ref);
}

static void fj_differential(struct rmt_prog *prog, struct fuzz_env *fe,
			    const struct fuzz_hdr *h)
{
	struct fuzz_hints hints;
	u32 run, i, k;

	fj_setup();
	fj.prog = prog;
	fj.fe = fe;
	fj.h = h;
	fj.nruns = 2 + (h->nruns & 3);
	fuzz_collect_hints(prog, &hints);
	for (run = 0; run < fj.nruns; run++)
		fuzz_fill_ctx(fj.in[run], h, &hints, run);
	fj.nparams = fuzz_nparams(h);
	for (i = 0; i < fj.nparams; i++)
		fj.params[i] = fuzz_param(h, i);
	fj.canary = fj_canaries[h->ctx_seed[7] & 7];
	memset(fj.nkeys, 0, sizeof(fj.nkeys));

	/* The maps are fresh from fuzz_env_setup(); the programs interpreted. */
	fj_tier_runs(&fj_tiers[0]);
	for (k = 1; k < ARRAY_SIZE(fj_tiers); k++) {
		if (!rmt_jit_tier_supported(fj_tiers[k].tier))
			continue;
		fj.tier = &fj_tiers[k];
		fj_maps_reset(fe);
		fj_jit(prog, fe);
		fj_tier_runs(&fj_tiers[k]);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_hdr h = { 0 };
	struct rmt_insn *insns;
	struct rmt_prog *prog;
	struct rmt_diag diag;
	struct fuzz_env fe;
	bool ran = false;
	u32 len;

	if (size < sizeof(h))
		return -1;
	memcpy(&h, data, sizeof(h));
	fuzz_env_setup(&fe, &h);
	insns = fuzz_program(&h, data + sizeof(h), size - sizeof(h), &len);
	rmt_diag_clear(&diag);
	prog = rmt_prog_load(insns, len, &fe.env, fe.budget, &diag);
	free(insns);
	if (prog) {
		fuzz_run_limits(prog, &fe);
		if (fe.cost <= FJ_MAX_COST) {
			fj_differential(prog, &fe, &h);
			ran = true;
		}
		rmt_prog_free(prog);
	}
	fuzz_env_release(&fe);
	/* Only what ran belongs in the corpus; fuzz_verifier has the rest. */
	return ran ? 0 : -1;
}
