// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control-plane benchmark: how fast entries go into a table, and what
 * one lookup costs per match kind and table size, in librmt and in
 * rmt.ko.
 *
 * Rows (workload, impl):
 *
 *   insert-100k-one-txn, librmt: 100k exact entries in one transaction
 *   insert-10k-single-txns, librmt: 10k exact entries, a transaction each
 *   insert-<kind>-10k-one-txn, librmt: 10k ternary, range or lpm entries
 *	in one transaction (one run each)
 *   insert-100k-batch, rmtctl-embedded: `rmtctl -e batch -f FILE` of 100k
 *	entry lines; rmtctl-netlink: the same through rmt.ko
 *   insert-100k-batches-of-500, rmtctl-netlink: the same lines, 500 to a
 *	batch; insert-<kind>-10k-batches-of-500: the guest's 10k ternary,
 *	range and lpm tables, filled alike
 *   lookup-<kind>-<size>, librmt: rmt_table_lookup, keys cycling over
 *	every entry in a random order; librmt-test-loop: the loop of
 *	`rmtctl table test` (TEST_RUN) on one key, lookup + action, run in
 *	librmt; kernel: the same loop in rmt.ko
 *   exec-exact-1k, librmt: rmt_table_exec (lookup + action), keys cycling
 *
 * Entry k of a table matches key k and no other; its parameter 0 is
 * where key k comes in the (random) order the lookups visit the keys,
 * so in the chained runs the result of a lookup picks the next key.
 * Ternary and range entries get ascending priorities and lpm entries
 * ascending prefixes (24 to 32 bits) in the order they are inserted,
 * so a ternary or range entry goes to the head of its list and an lpm
 * entry walks only past those of its own prefix length.  These
 * three kinds are lists searched linearly (rmt/table.c); over all keys
 * the matching entry is on average halfway down, and the one-key loops
 * use the entry halfway down.
 *
 * The store refuses a duplicate entry by comparing it with every entry
 * of a list table (rmt_table_find_dup()), so filling one is quadratic:
 * 100k ternary entries take about a minute.  The 100k-entry ternary, range and
 * lpm tables are therefore built here with the table calls a commit
 * makes minus that search (fill_unchecked()), and the kernel, which
 * has only the store's path, gets them at 1k and 10k only.
 *
 * Through netlink a batch is one message whose operations are nested in
 * one attribute, and an attribute's length has 16 bits: when the
 * operations pass 64 KiB (about a thousand entries) the length rmtctl
 * writes is truncated and rmt.ko refuses the message.
 * The guest tries the 100k insert as one batch, reports why it failed,
 * and fills its tables in batches of 500 entries.
 *
 * The kernel rows come from bench/run-ctl.sh, which boots the QEMU
 * guest with rmt.ko and runs bench/ctl_guest.sh on the plan, batch
 * files and action this program writes to OUTDIR/ctl/vm/.  Set
 * RMT_BENCH_NO_VM=1 to skip them.
 *
 * Usage: bench_ctl [OUTDIR]   writes OUTDIR/ctl.md and OUTDIR/ctl.json
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "insn.h"
#include "harness.h"

#define N_BIG		100000
#define N_SINGLE	10000
#define INSERT_REPS	5
#define BATCH_REPS	3
#define RANGE_F1_MAX	(1 << 20)
#define LPM_PREFIXES	9		/* /24 to /32 */
/* Host time of one kernel `table test`; TCG makes it far longer. */
#define TEST_TARGET_NS	1e7
#define TEST_MIN_REPEAT	10
#define TEST_MAX_REPEAT	10000000
#define GUEST_CHUNK	500		/* entries per guest batch, see the plan */
#define MAX_ROWS	64
#define MAX_NOTES	16

enum { K_EXACT, K_TERNARY, K_RANGE, K_LPM, NR_KINDS };

static const struct ctl_kind {
	const char *name;
	u32 match;
	u32 nkeys;
	const char *keys;
} kinds[NR_KINDS] = {
	[K_EXACT]	= { "exact", RMT_MATCH_EXACT, 2, "f0,f1" },
	[K_TERNARY]	= { "ternary", RMT_MATCH_TERNARY, 2, "f0,f1" },
	[K_RANGE]	= { "range", RMT_MATCH_RANGE, 2, "f0,f1" },
	[K_LPM]		= { "lpm", RMT_MATCH_LPM, 1, "f0" },
};

enum { S_1K, S_10K, S_100K, NR_SIZES };

static const struct ctl_size {
	const char *name;
	u32 n;
} sizes[NR_SIZES] = {
	[S_1K]		= { "1k", 1000 },
	[S_10K]		= { "10k", 10000 },
	[S_100K]	= { "100k", N_BIG },
};

/* Through the store (the kernel's only way) in reasonable time? */
static bool store_fillable(u32 kind, u32 sz)
{
	return kind == K_EXACT || sz != S_100K;
}

/* The action of every entry: r0 = 1. */
static const struct rmt_insn prog_act[] = {
	RMT_MOV_I(0, 1), RMT_EXIT(),
};
static const char prog_act_rasm[] =
	"; SPDX-License-Identifier: GPL-2.0-only\n"
	"; The action of the control-plane benchmark's entries: r0 = 1.\n"
	"\tmovi r0, 1\n"
	"\texit\n";

struct ctl_row {
	char workload[40];
	char impl[24];
	double ns_lat;
	double ns_tput;
	double ops_per_s;
};

static struct ctl_row rows[MAX_ROWS];
static unsigned int nrows;
static char notes[MAX_NOTES][256];
static unsigned int nnotes;

static u64 ctl_rand_state = 0x9e3779b97f4a7c15ULL;

static u64 ctl_rand(void)
{
	u64 x = ctl_rand_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return ctl_rand_state = x;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench_ctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* snprintf for paths and commands: too long is an error. */
static void __attribute__((format(printf, 3, 4)))
xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size)
		die("too long: %s", buf);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* The row of @workload and @impl, made (empty) if new. */
static struct ctl_row *row(const char *workload, const char *impl)
{
	struct ctl_row *r;
	unsigned int i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].workload, workload) &&
		    !strcmp(rows[i].impl, impl))
			return &rows[i];
	if (nrows == MAX_ROWS)
		die("too many rows");
	r = &rows[nrows++];
	snprintf(r->workload, sizeof(r->workload), "%s", workload);
	snprintf(r->impl, sizeof(r->impl), "%s", impl);
	r->ns_lat = r->ns_tput = r->ops_per_s = NAN;
	return r;
}

/* An insert row: @ops inserts took @ns. */
static void insert_row(const char *workload, const char *impl, double ops,
		       double ns)
{
	struct ctl_row *r = row(workload, impl);

	r->ns_tput = ns / ops;
	r->ops_per_s = ops * 1e9 / ns;
}

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;

	if (nnotes == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(notes[nnotes++], sizeof(notes[0]), fmt, ap);
	va_end(ap);
}

/* ---- keys and entries ---- */

/* Entry @k of a table of @n: it matches key k and no other. */
static void entry_fields(u32 kind, u32 k, u32 n, struct rmt_op *op)
{
	s64 v = k;

	switch (kind) {
	case K_EXACT:
		op->entry.key[0] = v * 1000003 + 17;
		op->entry.key[1] = v & 255;
		op->entry.nkey = 2;
		break;
	case K_TERNARY:
		op->entry.key[0] = v << 8;
		op->entry.key[1] = 0;
		op->entry.mask[0] = ~0xffULL;
		op->entry.mask[1] = 0;
		op->entry.nkey = op->entry.nmask = 2;
		op->entry.priority = k + 1;
		break;
	case K_RANGE:
		op->entry.key[0] = v * 10;
		op->entry.key_hi[0] = v * 10 + 9;
		op->entry.key[1] = 0;
		op->entry.key_hi[1] = RANGE_F1_MAX;
		op->entry.nkey = op->entry.nkey_hi = 2;
		op->entry.priority = k + 1;
		break;
	case K_LPM:
		/* k in the top 24 bits: every prefix from /24 tells it */
		op->entry.key[0] = v << 40;
		op->entry.nkey = 1;
		op->entry.prefix = 24 + (u64)k * LPM_PREFIXES / n;
		op->entry.has_prefix = true;
		break;
	}
}

/* Key @k, the bits its entry ignores set at random. */
static void probe_key(u32 kind, u32 k, s64 *key)
{
	u64 h = (u64)k * 2654435761u;
	s64 v = k;

	switch (kind) {
	case K_EXACT:
		key[0] = v * 1000003 + 17;
		key[1] = v & 255;
		break;
	case K_TERNARY:
		key[0] = (v << 8) | (h & 0xff);
		key[1] = (h >> 8) & 0xffff;
		break;
	case K_RANGE:
		key[0] = v * 10 + h % 10;
		key[1] = h % (RANGE_F1_MAX + 1);
		break;
	case K_LPM:
		key[0] = (v << 40) | (h & 0xffffffff);
		break;
	}
}

/*
 * The order lookups visit the keys of a table of each size (fixed
 * seed): seq[j] is the j-th key, pos[k] where key k comes.
 */
static struct {
	u32 *seq;
	u32 *pos;
} orders[NR_SIZES];

static void make_order(u32 sz)
{
	u32 n = sizes[sz].n, i, j, t;
	u32 *seq = xcalloc(n, sizeof(*seq)), *pos = xcalloc(n, sizeof(*pos));

	for (i = 0; i < n; i++)
		seq[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = ctl_rand() % (i + 1);
		t = seq[i];
		seq[i] = seq[j];
		seq[j] = t;
	}
	for (i = 0; i < n; i++)
		pos[seq[i]] = i;
	orders[sz].seq = seq;
	orders[sz].pos = pos;
}

/* An ENTRY_NEW template: table, action, one parameter. */
static void entry_template(struct rmt_op *op, const char *table)
{
	memset(op, 0, sizeof(*op));
	op->cmd = RMT_CMD_ENTRY_NEW;
	snprintf(op->name, sizeof(op->name), "%s", table);
	snprintf(op->entry.prog, sizeof(op->entry.prog), "act");
	op->entry.nparams = 1;
}

/* Entry @k of a table of size @sz, from the template. */
static void entry_set(struct rmt_op *op, u32 kind, u32 sz, u32 k)
{
	entry_fields(kind, k, sizes[sz].n, op);
	op->entry.params[0] = orders[sz].pos[k];
}

static void table_name(char *buf, size_t size, u32 kind, u32 sz)
{
	snprintf(buf, size, "%s%s", kinds[kind].name, sizes[sz].name);
}

/* ---- the store ---- */

static void commit_one(struct rmt_store *st, struct rmt_op *op)
{
	struct rmt_op_error err;

	if (rmt_store_commit(st, op, 1, &err))
		die("commit of '%s': %s", op->name, err.diag.msg);
}

static void store_setup(struct rmt_store *st)
{
	struct rmt_op op = { .cmd = RMT_CMD_PROG_NEW, .name = "act" };

	rmt_store_init(st);
	op.prog.hook = RMT_HOOK_TEST;
	op.prog.insns = prog_act;
	op.prog.len = ARRAY_SIZE(prog_act);
	commit_one(st, &op);
}

static struct rmt_table *table_create(struct rmt_store *st, const char *name,
				      u32 kind, u32 size)
{
	struct rmt_op op = { .cmd = RMT_CMD_TABLE_NEW };
	u32 i;

	snprintf(op.name, sizeof(op.name), "%s", name);
	op.table.hook = RMT_HOOK_TEST;
	op.table.match = kinds[kind].match;
	op.table.size = size;
	op.table.nkeys = kinds[kind].nkeys;
	for (i = 0; i < op.table.nkeys; i++)
		snprintf(op.table.keys[i], RMT_NAME_MAX, "f%u", i);
	commit_one(st, &op);
	return (struct rmt_table *)rmt_store_find(st, RMT_OBJ_TABLE, name, 0,
						  st->generation);
}

/* Insert entries 0..@n-1 in one transaction; returns the ns it took. */
static double fill_one_txn(struct rmt_store *st, const char *table, u32 kind,
			   u32 sz, u32 n)
{
	struct rmt_op_error err;
	struct rmt_txn *tx;
	struct rmt_op op;
	double t0;
	u32 k;

	entry_template(&op, table);
	t0 = now_ns();
	tx = rmt_txn_begin(st, n, &err);
	if (!tx)
		die("rmt_txn_begin: %s", err.diag.msg);
	for (k = 0; k < n; k++) {
		entry_set(&op, kind, sz, k);
		if (rmt_txn_add(tx, &op))
			die("entry %u of '%s': %s", k, table, err.diag.msg);
	}
	rmt_txn_commit(tx);
	return now_ns() - t0;
}

/* The same, one transaction per entry. */
static double fill_single_txns(struct rmt_store *st, const char *table,
			       u32 kind, u32 sz, u32 n)
{
	struct rmt_op_error err;
	struct rmt_txn *tx;
	struct rmt_op op;
	double t0;
	u32 k;

	entry_template(&op, table);
	t0 = now_ns();
	for (k = 0; k < n; k++) {
		entry_set(&op, kind, sz, k);
		tx = rmt_txn_begin(st, 1, &err);
		if (!tx)
			die("rmt_txn_begin: %s", err.diag.msg);
		if (rmt_txn_add(tx, &op))
			die("entry %u of '%s': %s", k, table, err.diag.msg);
		rmt_txn_commit(tx);
	}
	return now_ns() - t0;
}

/*
 * What rmt_txn_entry_new() and a commit do for each entry, without the
 * duplicate search that makes a list table quadratic to fill: for the
 * lookup tables only (the keys are distinct by construction).
 */
static void fill_unchecked(struct rmt_store *st, struct rmt_table *t,
			   u32 kind, u32 sz)
{
	u64 gen = st->generation + 1;
	struct rmt_prog_obj *p;
	struct rmt_op_error err;
	struct rmt_entry *e;
	struct rmt_op op;
	u32 k;

	p = (struct rmt_prog_obj *)rmt_store_find(st, RMT_OBJ_PROG, "act", 0,
						  st->generation);
	entry_template(&op, t->obj.name);
	for (k = 0; k < sizes[sz].n; k++) {
		entry_set(&op, kind, sz, k);
		if (rmt_table_check_entry(t, &op, &err))
			die("entry %u of '%s': %s", k, t->obj.name, err.diag.msg);
		e = rmt_entry_create(t, &op, st->next_handle++);
		if (!e)
			die("out of memory");
		e->born = gen;
		e->prog = p;
		p->obj.use++;
		t->count++;
		rmt_table_insert(t, e);
	}
	st->generation = gen;
}

/* ---- inserts through the raw API ---- */

static void bench_raw_inserts(void)
{
	double one[INSERT_REPS], single[INSERT_REPS];
	struct rmt_store st;
	int rep;

	for (rep = 0; rep < INSERT_REPS; rep++) {
		store_setup(&st);
		table_create(&st, "exact100k", K_EXACT, N_BIG);
		one[rep] = fill_one_txn(&st, "exact100k", K_EXACT, S_100K, N_BIG);
		table_create(&st, "exact10k", K_EXACT, N_SINGLE);
		single[rep] = fill_single_txns(&st, "exact10k", K_EXACT, S_10K,
					       N_SINGLE);
		rmt_store_destroy(&st);
	}
	insert_row("insert-100k-one-txn", "librmt", N_BIG,
		   median(one, INSERT_REPS));
	insert_row("insert-10k-single-txns", "librmt", N_SINGLE,
		   median(single, INSERT_REPS));
}

/* ---- files for rmtctl: batches, the action, the guest's plan ---- */

static FILE *open_file(const char *dir, const char *name, char *path,
		       size_t size)
{
	FILE *f;

	xsnprintf(path, size, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	return f;
}

static void close_file(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f))
		die("%s: write error", path);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
}

static void write_rasm(const char *dir)
{
	char path[PATH_MAX];
	FILE *f = open_file(dir, "act.rasm", path, sizeof(path));

	fputs(prog_act_rasm, f);
	close_file(f, path);
}

static void print_list(FILE *f, const char *what, const s64 *v, u32 n)
{
	u32 i;

	fprintf(f, " %s ", what);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)v[i]);
}

/* A table's entry lines, in the order of fill_one_txn(). */
static void write_entries(FILE *f, const char *table, u32 kind, u32 sz)
{
	struct rmt_op op;
	u32 k;

	entry_template(&op, table);
	for (k = 0; k < sizes[sz].n; k++) {
		entry_set(&op, kind, sz, k);
		fprintf(f, "entry add %s", table);
		print_list(f, "key", op.entry.key, op.entry.nkey);
		if (op.entry.nmask)
			print_list(f, "mask", (const s64 *)op.entry.mask,
				   op.entry.nmask);
		if (op.entry.nkey_hi)
			print_list(f, "hi", op.entry.key_hi, op.entry.nkey_hi);
		if (op.entry.has_prefix)
			fprintf(f, " prefix %u", op.entry.prefix);
		if (op.entry.priority)
			fprintf(f, " priority %u", op.entry.priority);
		fprintf(f, " prog act params %lld\n",
			(long long)op.entry.params[0]);
	}
}

/* ---- inserts through rmtctl -e batch ---- */

/* Run a program with stdout on /dev/null; returns the ns it took. */
static double run_timed(char *const argv[])
{
	double t0 = now_ns();
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "bench_ctl: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("%s %s %s %s %s failed (status %#x)", argv[0], argv[1],
		    argv[2], argv[3], argv[4], status);
	return now_ns() - t0;
}

static void bench_rmtctl_batch(const char *rmtctl, const char *dir)
{
	char path[PATH_MAX], rasm[PATH_MAX], cwd[PATH_MAX];
	double t[BATCH_REPS];
	FILE *f;
	int rep;

	if (access(rmtctl, X_OK)) {
		note("rmtctl-embedded rows skipped: %s: %s", rmtctl,
		     strerror(errno));
		return;
	}
	write_rasm(dir);
	/* rmtctl reads the program from where it runs */
	if (dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
		xsnprintf(rasm, sizeof(rasm), "%s/%s/act.rasm", cwd, dir);
	else
		xsnprintf(rasm, sizeof(rasm), "%s/act.rasm", dir);
	f = open_file(dir, "insert-100k-embedded.txt", path, sizeof(path));
	fprintf(f, "prog load %s name act\n", rasm);
	fprintf(f, "table add exact100k hook test key f0,f1 match exact size %u\n",
		N_BIG);
	write_entries(f, "exact100k", K_EXACT, S_100K);
	close_file(f, path);
	for (rep = 0; rep < BATCH_REPS; rep++) {
		char *argv[] = { (char *)rmtctl, "-e", "batch", "-f", path, NULL };

		t[rep] = run_timed(argv);
	}
	insert_row("insert-100k-batch", "rmtctl-embedded", N_BIG,
		   median(t, BATCH_REPS));
}

/* ---- lookups ---- */

struct lookup_case {
	struct rmt_table *t;
	u64 gen;
	u32 kind;
	u32 sz;
	u32 n;
	u32 j;			/* next key, in the visiting order */
	s64 (*probe)[2];	/* probe[j]: the j-th key visited */
	s64 (*ctxs)[RMT_TEST_CTX_FIELDS];	/* the same, as contexts */
	u64 repeat;		/* for the kernel's `table test` */
	u8 *scratch;
	s64 in[RMT_MAX_CTX_FIELDS];	/* the one-key loop, as TEST_RUN */
	s64 ctx[RMT_MAX_CTX_FIELDS];
};

/* Chained: the entry found names the next key (latency of one lookup). */
static void lookup_batch(void *arg, uint64_t n, bool chained)
{
	struct lookup_case *c = arg;
	const struct rmt_entry *e;
	u32 j = c->j;
	u64 i;

	for (i = 0; i < n; i++) {
		e = rmt_table_lookup(c->t, c->probe[j], c->gen);
		j = (chained ? (u32)e->params[0] : j) + 1;
		if (j == c->n)
			j = 0;
		bench_sink = (intptr_t)e;
	}
	c->j = j;
}

/* Lookup and action; chained on the parameter of the entry matched. */
static void exec_batch(void *arg, uint64_t n, bool chained)
{
	struct lookup_case *c = arg;
	struct rmt_run_ctx rc = { .scratch = c->scratch };
	u64 i, handle;
	u32 j = c->j;

	for (i = 0; i < n; i++) {
		rc.ctx = c->ctxs[j];
		rmt_table_exec(c->t, c->gen, &rc, &handle);
		j = (chained ? (u32)rc.params[0] : j) + 1;
		if (j == c->n)
			j = 0;
		bench_sink = rc.r0;
	}
	c->j = j;
}

/* The loop of TEST_RUN (kernel/genl_test.c): one key, lookup + action. */
static void test_loop_batch(void *arg, uint64_t n, bool chained)
{
	struct lookup_case *c = arg;
	struct rmt_run_ctx rc = { .ctx = c->ctx, .scratch = c->scratch };
	u64 i, handle = 0;
	int ret = 0;

	for (i = 0; i < n && ret >= 0; i++) {
		memcpy(c->ctx, c->in, sizeof(c->ctx));
		rc.tail_calls = 0;
		rc.insns = 0;
		ret = rmt_table_exec(c->t, c->gen, &rc, &handle);
	}
	bench_sink = ret + handle;
}

/* Keys find their entries; the one-key loop gets the entry halfway down. */
static void lookup_check(struct lookup_case *c)
{
	/* every key of a hashed table, a sample of a long list (O(n) each) */
	u32 step = c->kind == K_EXACT || c->n <= 10000 ? 1 : 97;
	const struct rmt_entry *e;
	u32 j, mid = c->n / 2;

	for (j = 0; j < c->n; j += step) {
		e = rmt_table_lookup(c->t, c->probe[j], c->gen);
		if (!e || e->params[0] != j)
			die("%s: key %u finds %s", c->t->obj.name, j,
			    e ? "another entry" : "nothing");
	}
	if (c->kind != K_EXACT) {
		for (e = c->t->list, j = 0; e && j < c->n / 2; j++)
			e = e->next;
		if (!e)
			die("%s: list shorter than its count", c->t->obj.name);
		mid = e->params[0];
	}
	memcpy(c->in, c->ctxs[mid], sizeof(c->ctxs[0]));
}

/* The guest fills tables in batches of GUEST_CHUNK; some are timed. */
static void parts_workload(char *buf, size_t size, u32 kind, u32 sz)
{
	if (kind == K_EXACT)
		snprintf(buf, size, "insert-%s-batches-of-%u", sizes[sz].name,
			 GUEST_CHUNK);
	else
		snprintf(buf, size, "insert-%s-%s-batches-of-%u",
			 kinds[kind].name, sizes[sz].name, GUEST_CHUNK);
}

static void lookup_setup(struct lookup_case *c, struct rmt_store *st,
			 u32 kind, u32 sz, u8 *scratch)
{
	char name[RMT_NAME_MAX], workload[40];
	u32 n = sizes[sz].n, j;
	double ns;

	table_name(name, sizeof(name), kind, sz);
	c->kind = kind;
	c->sz = sz;
	c->n = n;
	c->t = table_create(st, name, kind, n);
	if (store_fillable(kind, sz)) {
		ns = fill_one_txn(st, name, kind, sz, n);
		if (kind != K_EXACT && sz == S_10K) {
			snprintf(workload, sizeof(workload),
				 "insert-%s-10k-one-txn", kinds[kind].name);
			insert_row(workload, "librmt", n, ns);
			parts_workload(workload, sizeof(workload), kind, sz);
			row(workload, "rmtctl-netlink");
		}
	} else {
		fill_unchecked(st, c->t, kind, sz);
	}
	c->gen = st->generation;
	c->scratch = scratch;
	c->probe = xcalloc(n, sizeof(*c->probe));
	c->ctxs = xcalloc(n, sizeof(*c->ctxs));
	for (j = 0; j < n; j++) {
		probe_key(kind, orders[sz].seq[j], c->probe[j]);
		memcpy(c->ctxs[j], c->probe[j], kinds[kind].nkeys * sizeof(s64));
	}
	lookup_check(c);
}

/* ---- the kernel rows ---- */

/*
 * The guest's plan (bench/ctl_guest.sh reads it): the program, then per
 * table: create it, fill it from its batch file, time `table test` on
 * the key halfway down, delete it.
 */
static void write_plan(const char *dir,
		       struct lookup_case cases[NR_KINDS][NR_SIZES])
{
	static const u32 order[][2] = {	/* the 100k insert on a fresh module */
		{ K_EXACT, S_100K }, { K_EXACT, S_1K }, { K_EXACT, S_10K },
		{ K_TERNARY, S_1K }, { K_RANGE, S_1K }, { K_LPM, S_1K },
		{ K_TERNARY, S_10K }, { K_RANGE, S_10K }, { K_LPM, S_10K },
	};
	char path[PATH_MAX], file[64], name[RMT_NAME_MAX], parts[40];
	FILE *f, *bf;
	u32 i, j;

	write_rasm(dir);
	f = open_file(dir, "plan.txt", path, sizeof(path));
	fprintf(f, "# Written by bench_ctl, run by bench/ctl_guest.sh.\n"
		"prog act act.rasm\nchunk %u\n", GUEST_CHUNK);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		u32 kind = order[i][0], sz = order[i][1];
		const struct lookup_case *c = &cases[kind][sz];
		bool big = kind == K_EXACT && sz == S_100K;

		table_name(name, sizeof(name), kind, sz);
		snprintf(file, sizeof(file), "%s.txt", name);
		bf = open_file(dir, file, path, sizeof(path));
		write_entries(bf, name, kind, sz);
		close_file(bf, path);
		fprintf(f, "table %s %s %u %s\n", name, kinds[kind].name,
			sizes[sz].n, kinds[kind].keys);
		parts_workload(parts, sizeof(parts), kind, sz);
		fprintf(f, "batch %s %s %s %s\n", name, file,
			big ? "insert-100k-batch" : "-",
			big || (kind != K_EXACT && sz == S_10K) ? parts : "-");
		fprintf(f, "test lookup-%s-%s %s ", kinds[kind].name,
			sizes[sz].name, name);
		for (j = 0; j < kinds[kind].nkeys; j++)
			fprintf(f, "%s%lld", j ? "," : "", (long long)c->in[j]);
		fprintf(f, " %llu\n", (unsigned long long)c->repeat);
		fprintf(f, "del %s\n", name);
	}
	close_file(f, path);
}

/* Run bench/run-ctl.sh; take its "row", "note" and "skip" lines. */
static void kernel_rows(const char *script, const char *build, const char *dir)
{
	char cmd[3 * PATH_MAX], line[512], workload[64], impl[32], ops[32];
	const char *no_vm = getenv("RMT_BENCH_NO_VM");
	struct ctl_row *r;
	int status, n = 0;
	double ns;
	FILE *p;

	if (no_vm && *no_vm) {
		note("kernel rows skipped: RMT_BENCH_NO_VM is set");
		return;
	}
	if (access(script, R_OK)) {
		note("kernel rows skipped: %s: %s", script, strerror(errno));
		return;
	}
	xsnprintf(cmd, sizeof(cmd), "sh '%s' '%s' '%s'", script, build, dir);
	fprintf(stderr, "bench_ctl: booting the guest for the kernel rows (%s)\n",
		script);
	fflush(stdout);
	p = popen(cmd, "r");
	if (!p)
		die("popen: %s", strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "skip ", 5)) {
			note("kernel rows skipped: %s", line + 5);
			continue;
		}
		if (!strncmp(line, "note ", 5)) {
			note("%s", line + 5);
			continue;
		}
		if (sscanf(line, "row %63s %31s %lf %31s", workload, impl, &ns,
			   ops) != 4)
			continue;
		r = row(workload, impl);
		r->ns_tput = ns;
		if (strcmp(ops, "-"))
			r->ops_per_s = strtod(ops, NULL);
		n++;
	}
	status = pclose(p);
	if (status)
		note("%s failed (status %d)%s", script,
		     WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		     n ? ": kernel rows incomplete" : "");
}

/* ---- report ---- */

static const char ctl_note[] =
	"Inserts: ops_per_s, and ns per insert in ns_tput. librmt: rmt_txn_begin/add/commit "
	"in-process (median of 5; the ternary/range/lpm rows: one run). rmtctl-embedded: wall "
	"time of `rmtctl -e batch -f FILE` (process start, parsing 100k lines, the commit, exit; "
	"median of 3). rmtctl-netlink: `rmtctl batch -f FILE` through rmt.ko; batches-of-500: "
	"the same lines as runs of rmtctl of 500 lines each, one run.\n"
	"Lookups, ns per lookup: librmt: rmt_table_lookup, keys cycling over every entry in a "
	"random order (ns_lat: each key picked by the previous result; ns_tput: independent). "
	"Ternary, range and lpm tables are lists searched linearly: the matching entry is on "
	"average halfway down. exec-exact-1k: rmt_table_exec, i.e. lookup + action (r0 = 1) + "
	"counters. librmt-test-loop and kernel: the loop of `rmtctl table test NAME ctx K repeat "
	"N` (TEST_RUN) on one key whose entry is halfway down: lookup + action + counters + a "
	"512-byte context copy per run, runs independent (ns_tput).\n"
	"kernel and rmtctl-netlink rows come from a QEMU guest under TCG emulation: their "
	"absolute numbers are slow; compare them with each other (e.g. 10k against 1k), not "
	"with the host rows.";

static void fmt_num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, v < 100 ? "%.2f" : v < 1e6 ? "%.1f" : "%.0f", v);
}

static bool row_empty(const struct ctl_row *r)
{
	return isnan(r->ns_lat) && isnan(r->ns_tput);
}

static void print_table(FILE *f)
{
	char lat[32], tput[32], ops[32];
	unsigned int i;

	fprintf(f, "%s\n\n", ctl_note);
	fprintf(f, "| workload | impl | ns_lat | ns_tput | ops_per_s |\n");
	fprintf(f, "|---|---|---:|---:|---:|\n");
	for (i = 0; i < nrows; i++) {
		const struct ctl_row *r = &rows[i];

		if (row_empty(r))
			continue;
		fmt_num(lat, sizeof(lat), r->ns_lat);
		fmt_num(tput, sizeof(tput), r->ns_tput);
		if (isnan(r->ops_per_s))
			snprintf(ops, sizeof(ops), "-");
		else
			snprintf(ops, sizeof(ops), "%.0f", r->ops_per_s);
		fprintf(f, "| %s | %s | %s | %s | %s |\n", r->workload, r->impl,
			lat, tput, ops);
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

static void print_json(FILE *f)
{
	unsigned int i, n = 0;

	fprintf(f, "[");
	for (i = 0; i < nrows; i++) {
		const struct ctl_row *r = &rows[i];

		if (row_empty(r))
			continue;
		fprintf(f, "%s\n  {\"suite\": \"ctl\", \"workload\": \"%s\", \"impl\": \"%s\"",
			n++ ? "," : "", r->workload, r->impl);
		json_num(f, "ns_lat", r->ns_lat);
		json_num(f, "ns_tput", r->ns_tput);
		json_num(f, "ops_per_s", r->ops_per_s);
		fprintf(f, "}");
	}
	fprintf(f, "\n]\n");
}

static void write_report(const char *dir)
{
	char path[PATH_MAX];
	FILE *f;

	print_table(stdout);
	fflush(stdout);
	f = open_file(dir, "ctl.md", path, sizeof(path));
	print_table(f);
	close_file(f, path);
	f = open_file(dir, "ctl.json", path, sizeof(path));
	print_json(f);
	close_file(f, path);
}

/* ---- main ---- */

/* The build directory: the parent of this program's. */
static void build_dir(char *buf, size_t size)
{
	ssize_t len = readlink("/proc/self/exe", buf, size - 1);
	char *slash;
	int up;

	if (len <= 0) {
		snprintf(buf, size, "build");
		return;
	}
	buf[len] = 0;
	for (up = 0; up < 2; up++) {
		slash = strrchr(buf, '/');
		if (slash)
			*slash = 0;
	}
}

int main(int argc, char **argv)
{
	static struct lookup_case cases[NR_KINDS][NR_SIZES];
	static struct bench_item items[2 * NR_KINDS * NR_SIZES + 1];
	static struct bench_row brows[ARRAY_SIZE(items)];
	static char workloads[NR_KINDS * NR_SIZES][40];
	static struct lookup_case exec_case;
	const char *out = argc > 1 ? argv[1] : "build/bench";
	char build[PATH_MAX], dir[PATH_MAX], vmdir[PATH_MAX], path[PATH_MAX];
	char script[PATH_MAX];
	struct rmt_store st;
	unsigned int i, n = 0;
	u32 kind, sz;
	u8 *scratch;

	build_dir(build, sizeof(build));
	xsnprintf(dir, sizeof(dir), "%s/ctl", out);
	xsnprintf(vmdir, sizeof(vmdir), "%s/vm", dir);
	make_dir(out);
	make_dir(dir);
	make_dir(vmdir);
	scratch = aligned_alloc(64, RMT_SCRATCH_SIZE);
	if (!scratch)
		die("out of memory");
	memset(scratch, 0, RMT_SCRATCH_SIZE);
	for (sz = 0; sz < NR_SIZES; sz++)
		make_order(sz);

	/* Inserts, in a store of their own. */
	bench_raw_inserts();
	xsnprintf(path, sizeof(path), "%s/rmtctl", build);
	bench_rmtctl_batch(path, dir);
	row("insert-100k-batch", "rmtctl-netlink");
	parts_workload(path, sizeof(path), K_EXACT, S_100K);
	row(path, "rmtctl-netlink");

	/* Lookups: every table in one store. */
	store_setup(&st);
	for (kind = 0; kind < NR_KINDS; kind++)
		for (sz = 0; sz < NR_SIZES; sz++)
			lookup_setup(&cases[kind][sz], &st, kind, sz, scratch);
	for (kind = 0; kind < NR_KINDS; kind++)
		for (sz = 0; sz < NR_SIZES; sz++) {
			char *w = workloads[kind * NR_SIZES + sz];

			snprintf(w, sizeof(workloads[0]), "lookup-%s-%s",
				 kinds[kind].name, sizes[sz].name);
			items[n++] = (struct bench_item){ w, "librmt", lookup_batch,
							  &cases[kind][sz], 1 };
			items[n++] = (struct bench_item){
				w, "librmt-test-loop", test_loop_batch,
				&cases[kind][sz], 1, .no_chain = true };
		}
	exec_case = cases[K_EXACT][S_1K];
	items[n++] = (struct bench_item){ "exec-exact-1k", "librmt", exec_batch,
					  &exec_case, 1 };
	if (bench_measure(items, n, brows))
		die("out of memory");
	for (i = 0; i < n; i++) {
		struct ctl_row *r = row(brows[i].workload, brows[i].impl);
		struct lookup_case *c = items[i].arg;
		double rep;

		r->ns_lat = brows[i].ns_lat;
		r->ns_tput = brows[i].ns_tput;
		if (strcmp(r->impl, "librmt-test-loop"))
			continue;
		/* kernel runs of about TEST_TARGET_NS of host time */
		rep = TEST_TARGET_NS / r->ns_tput;
		c->repeat = rep < TEST_MIN_REPEAT ? TEST_MIN_REPEAT :
			    rep > TEST_MAX_REPEAT ? TEST_MAX_REPEAT : rep;
		if (store_fillable(c->kind, c->sz))
			row(r->workload, "kernel");
	}
	write_plan(vmdir, cases);
	rmt_store_destroy(&st);

	note("no kernel lookup-ternary/range/lpm-100k: filling a list table through the store "
	     "is quadratic (rmt_table_find_dup() compares each new entry with every entry): 100k "
	     "entries take about 100 times the insert-*-10k rows' time, far more under TCG");
	/* make runs us from the top of the tree */
	snprintf(script, sizeof(script), "bench/run-ctl.sh");
	if (access(script, R_OK))
		xsnprintf(script, sizeof(script), "%s/../bench/run-ctl.sh", build);
	kernel_rows(script, build, vmdir);
	write_report(out);
	return 0;
}
