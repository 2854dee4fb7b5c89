// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane's store: creating and deleting objects in
 * transactions, the four match kinds, generations, and every refusal
 * (each leaving the store exactly as it was).
 */
#include <string.h>

#include "store.h"
#include "insn.h"
#include "ktap.h"

static const struct rmt_insn prog_ret7[] = {
	RMT_MOV_I(0, 7), RMT_EXIT(),
};
static const struct rmt_insn prog_bad[] = {
	RMT_MOV_I(1, 7), RMT_EXIT(),	/* r0 unset */
};

static struct rmt_op op_prog(const char *name, const struct rmt_insn *insns,
			     u32 len)
{
	struct rmt_op op = { .cmd = RMT_CMD_PROG_NEW };

	snprintf(op.name, sizeof(op.name), "%s", name);
	op.prog.hook = RMT_HOOK_TEST;
	op.prog.insns = insns;
	op.prog.len = len;
	return op;
}

static struct rmt_op op_table(const char *name, u32 match, u32 size,
			      u32 nkeys)
{
	struct rmt_op op = { .cmd = RMT_CMD_TABLE_NEW };
	u32 i;

	snprintf(op.name, sizeof(op.name), "%s", name);
	op.table.hook = RMT_HOOK_TEST;
	op.table.match = match;
	op.table.size = size;
	op.table.nkeys = nkeys;
	for (i = 0; i < nkeys; i++)
		snprintf(op.table.keys[i], RMT_NAME_MAX, "f%u", i);
	return op;
}

static struct rmt_op op_entry(const char *table, s64 k0, s64 k1)
{
	struct rmt_op op = { .cmd = RMT_CMD_ENTRY_NEW };

	snprintf(op.name, sizeof(op.name), "%s", table);
	snprintf(op.entry.prog, sizeof(op.entry.prog), "ret7");
	op.entry.key[0] = k0;
	op.entry.key[1] = k1;
	op.entry.nkey = 2;
	return op;
}

/* A fingerprint of everything visible: kinds, names, entry handles. */
static u64 fingerprint(struct rmt_store *st)
{
	u64 h = st->generation * 1000003;
	struct rmt_obj *o;
	struct rmt_entry *e;
	u32 k, b;

	for (k = 0; k < RMT_OBJ_KINDS; k++)
		for (o = st->objs[k]; o; o = o->next) {
			h = h * 31 + o->handle + o->born * 7 + o->died + o->use * 13;
			if (k != RMT_OBJ_TABLE)
				continue;
			struct rmt_table *t = (struct rmt_table *)o;

			for (b = 0; t->buckets && b < t->nbuckets; b++)
				for (e = t->buckets[b]; e; e = e->next)
					h = h * 17 + e->handle + e->died;
			for (e = t->list; e; e = e->next)
				h = h * 17 + e->handle + e->died;
			h += t->count;
		}
	return h;
}

static int commit(struct rmt_store *st, struct rmt_op *ops, u32 n,
		  struct rmt_op_error *err)
{
	return rmt_store_commit(st, ops, n, err);
}

static struct rmt_table *table(struct rmt_store *st, const char *name)
{
	return (struct rmt_table *)rmt_store_find(st, RMT_OBJ_TABLE, name, 0,
						  st->generation);
}

static void test_exact(struct rmt_store *st)
{
	struct rmt_op ops[4];
	struct rmt_op_error err;
	struct rmt_table *t;
	s64 key[2] = { 10, 20 };
	u64 before = st->generation;
	int ret;

	ops[0] = op_table("ex", RMT_MATCH_EXACT, 4, 2);
	ops[1] = op_entry("ex", 10, 20);
	ops[2] = op_entry("ex", 10, 21);
	ret = commit(st, ops, 3, &err);
	ktap_check(!ret && st->generation == before + 1,
		   "exact: table and two entries in one commit (%s)", err.diag.msg);
	t = table(st, "ex");
	ktap_check(t && ops[1].out_handle && ops[2].out_handle != ops[1].out_handle,
		   "exact: created objects get distinct handles");
	ktap_check(t && rmt_table_lookup(t, key, st->generation) &&
		   rmt_table_lookup(t, key, st->generation)->handle == ops[1].out_handle,
		   "exact: lookup hits the matching entry");
	key[1] = 22;
	ktap_check(t && !rmt_table_lookup(t, key, st->generation),
		   "exact: lookup misses an absent key");
	key[1] = 21;
	ktap_check(t && !rmt_table_lookup(t, key, before),
		   "exact: entries are invisible in the generation before their commit");
	ops[0] = op_entry("ex", 10, 20);
	ret = commit(st, ops, 1, &err);
	ktap_check(ret == -EEXIST && !strcmp(err.diag.msg,
		   "an entry with this key exists in table 'ex'"),
		   "exact: a duplicate key is refused: %s", err.diag.msg);
}

static void test_ternary_range_lpm(struct rmt_store *st)
{
	struct rmt_op ops[8];
	struct rmt_op_error err;
	struct rmt_entry *e;
	s64 key[1];
	int ret;

	ops[0] = op_table("tern", RMT_MATCH_TERNARY, 8, 1);
	ops[1] = op_entry("tern", 0x10, 0);
	ops[1].entry.nkey = 1;
	ops[1].entry.mask[0] = 0xf0;
	ops[1].entry.nmask = 1;
	ops[1].entry.priority = 1;
	ops[2] = ops[1];
	ops[2].entry.key[0] = 0x12;
	ops[2].entry.mask[0] = 0xff;
	ops[2].entry.priority = 5;
	ops[3] = op_table("rng", RMT_MATCH_RANGE, 8, 1);
	ops[4] = op_entry("rng", 0, 0);
	ops[4].entry.nkey = 1;
	ops[4].entry.key_hi[0] = 100;
	ops[4].entry.nkey_hi = 1;
	ops[5] = ops[4];
	ops[5].entry.key[0] = 50;
	ops[5].entry.key_hi[0] = 60;
	ops[5].entry.priority = 9;
	ops[6] = op_table("lpm", RMT_MATCH_LPM, 8, 1);
	ret = commit(st, ops, 7, &err);
	ktap_check(!ret, "ternary, range and lpm tables commit (%s)", err.diag.msg);

	key[0] = 0x12;
	e = rmt_table_lookup(table(st, "tern"), key, st->generation);
	ktap_check(e && e->handle == ops[2].out_handle,
		   "ternary: the higher priority of two matches wins");
	key[0] = 0x1f;
	e = rmt_table_lookup(table(st, "tern"), key, st->generation);
	ktap_check(e && e->handle == ops[1].out_handle,
		   "ternary: masked bits are ignored");
	key[0] = 0x20;
	ktap_check(!rmt_table_lookup(table(st, "tern"), key, st->generation),
		   "ternary: a value outside the mask misses");
	key[0] = 55;
	e = rmt_table_lookup(table(st, "rng"), key, st->generation);
	ktap_check(e && e->handle == ops[5].out_handle,
		   "range: the higher-priority inner range wins");
	key[0] = 100;
	e = rmt_table_lookup(table(st, "rng"), key, st->generation);
	ktap_check(e && e->handle == ops[4].out_handle, "range: bounds are inclusive");
	key[0] = 101;
	ktap_check(!rmt_table_lookup(table(st, "rng"), key, st->generation),
		   "range: past the high end misses");

	ops[0] = op_entry("lpm", (s64)0xc0a8000000000000ULL, 0);
	ops[0].entry.nkey = 1;
	ops[0].entry.prefix = 16;
	ops[0].entry.has_prefix = true;
	ops[1] = ops[0];
	ops[1].entry.key[0] = (s64)0xc0a8010000000000ULL;
	ops[1].entry.prefix = 24;
	ops[2] = ops[0];
	ops[2].entry.key[0] = 0;
	ops[2].entry.prefix = 0;
	ret = commit(st, ops, 3, &err);
	ktap_check(!ret, "lpm: three prefixes commit (%s)", err.diag.msg);
	key[0] = (s64)0xc0a8010500000000ULL;
	e = rmt_table_lookup(table(st, "lpm"), key, st->generation);
	ktap_check(e && e->handle == ops[1].out_handle, "lpm: the longest prefix wins");
	key[0] = (s64)0xc0a8020500000000ULL;
	e = rmt_table_lookup(table(st, "lpm"), key, st->generation);
	ktap_check(e && e->handle == ops[0].out_handle, "lpm: a shorter prefix covers the rest");
	key[0] = 42;
	e = rmt_table_lookup(table(st, "lpm"), key, st->generation);
	ktap_check(e && e->handle == ops[2].out_handle, "lpm: /0 matches everything");
}

struct refusal {
	const char *what;
	int err;
	u32 op;
	const char *msg;
};

/* Each batch: good operations, then one bad; nothing may change. */
static void test_refusals(struct rmt_store *st)
{
	struct rmt_op ops[4];
	struct rmt_op_error err;
	u64 fp;
	int ret, i;

	for (i = 0; i < 10; i++) {
		static const struct refusal r[] = {
			{ "duplicate table name", -EEXIST, 1, "a table named 'ex' exists" },
			{ "unknown key field", -EINVAL, 1, "the hook's context has no field 'nope'" },
			{ "entry for a missing table", -ENOENT, 1, "no table named 'nope'" },
			{ "entry naming a missing program", -ENOENT, 1, "no program named 'nope'" },
			{ "program the verifier refuses", -EINVAL, 1, "read of uninitialised register r0" },
			{ "delete a missing table", -ENOENT, 1, "no table named 'nope'" },
			{ "delete a program in use", -EBUSY, 1, "program 'ret7' is still used by 9 other objects" },
			{ "table over its size limit", -ENOSPC, 3, "table 'ex' is full (size 4)" },
			{ "lpm prefix over 64", -EINVAL, 1, "an lpm entry needs a prefix length of 0 to 64" },
			{ "delete a missing entry", -ENOENT, 1, "no entry with handle 999 in table 'ex'" },
		};

		ops[0] = op_table("fresh", RMT_MATCH_EXACT, 4, 1);
		switch (i) {
		case 0: ops[1] = op_table("ex", RMT_MATCH_EXACT, 4, 1); break;
		case 1: ops[1] = op_table("t2", RMT_MATCH_EXACT, 4, 1);
			snprintf(ops[1].table.keys[0], RMT_NAME_MAX, "nope"); break;
		case 2: ops[1] = op_entry("nope", 1, 2); break;
		case 3: ops[1] = op_entry("ex", 5, 6);
			snprintf(ops[1].entry.prog, RMT_NAME_MAX, "nope"); break;
		case 4: ops[1] = op_prog("bad", prog_bad, ARRAY_SIZE(prog_bad)); break;
		case 5: ops[1] = (struct rmt_op){ .cmd = RMT_CMD_TABLE_DEL, .name = "nope" }; break;
		case 6: ops[1] = (struct rmt_op){ .cmd = RMT_CMD_PROG_DEL, .name = "ret7" }; break;
		case 7: ops[1] = op_entry("ex", 7, 7); ops[2] = op_entry("ex", 8, 8);
			ops[3] = op_entry("ex", 9, 9); break;
		case 8: ops[1] = op_entry("lpm", 1, 0); ops[1].entry.nkey = 1;
			ops[1].entry.prefix = 65; ops[1].entry.has_prefix = true; break;
		case 9: ops[1] = (struct rmt_op){ .cmd = RMT_CMD_ENTRY_DEL, .name = "ex",
							.handle = 999 }; break;
		}
		fp = fingerprint(st);
		ret = commit(st, ops, r[i].op + 1, &err);
		ktap_check(ret == r[i].err && err.op == r[i].op &&
			   !strcmp(err.diag.msg, r[i].msg) && fingerprint(st) == fp &&
			   !table(st, "fresh"),
			   "refused, nothing changed: %s", r[i].what);
		if (ret != r[i].err || strcmp(err.diag.msg, r[i].msg))
			ktap_diag("got %d at op %u: \"%s\"", ret, err.op, err.diag.msg);
	}
}

static void test_deletes(struct rmt_store *st)
{
	struct rmt_op ops[4];
	struct rmt_op_error err;
	s64 key[2] = { 10, 20 };
	u64 h;
	int ret;

	h = rmt_table_lookup(table(st, "ex"), key, st->generation)->handle;
	ops[0] = (struct rmt_op){ .cmd = RMT_CMD_ENTRY_DEL, .name = "ex", .handle = h };
	ret = commit(st, ops, 1, &err);
	ktap_check(!ret && !rmt_table_lookup(table(st, "ex"), key, st->generation),
		   "an entry deleted by handle no longer matches");
	ops[0] = (struct rmt_op){ .cmd = RMT_CMD_TABLE_DEL, .name = "ex" };
	ops[1] = (struct rmt_op){ .cmd = RMT_CMD_TABLE_DEL, .name = "tern" };
	ops[2] = (struct rmt_op){ .cmd = RMT_CMD_TABLE_DEL, .name = "rng" };
	ops[3] = (struct rmt_op){ .cmd = RMT_CMD_TABLE_DEL, .name = "lpm" };
	ret = commit(st, ops, 4, &err);
	ktap_check(!ret && !table(st, "ex"), "tables delete with their entries (%s)",
		   err.diag.msg);
	ops[0] = (struct rmt_op){ .cmd = RMT_CMD_PROG_DEL, .name = "ret7" };
	ret = commit(st, ops, 1, &err);
	ktap_check(!ret, "a program no longer in use can be deleted (%s)", err.diag.msg);
}

/*
 * Guardrails in the core: the latency histogram's p99, and a tripped
 * table that runs nothing (the kernel decides).
 */
static void test_guard(struct rmt_store *st)
{
	struct rmt_op ops[2] = { op_table("guard", RMT_MATCH_EXACT, 4, 1) };
	struct rmt_run_ctx rc = { 0 };
	static u8 scratch[RMT_SCRATCH_SIZE];
	s64 ctx[RMT_TEST_CTX_FIELDS] = { 0 };
	struct rmt_op_error err;
	struct rmt_table *t;
	u64 entry, base[RMT_LAT_BUCKETS];
	int i, ran = 0;

	snprintf(ops[0].table.dflt, RMT_NAME_MAX, "ret7");
	ops[0].table.latency_ns = 5000;
	if (!ktap_check(!commit(st, ops, 1, &err), "guard: a table with a latency budget (%s)",
			err.diag.msg))
		return;
	t = (struct rmt_table *)rmt_store_find(st, RMT_OBJ_TABLE, "guard", 0,
					       st->generation);
	ktap_check(t && t->latency_ns == 5000 && !t->tripped && !rmt_table_p99(t, NULL),
		   "guard: budget kept, not tripped, no runs yet");
	rc.ctx = ctx;
	rc.scratch = scratch;
	for (i = 0; i < 10; i++)
		ran += rmt_table_exec(t, st->generation, &rc, &entry) == 1 && rc.r0 == 7;
	ktap_check(ran == 10 && rmt_table_p99(t, NULL) >= 2,
		   "guard: runs are timed (p99 %llu ns)",
		   (unsigned long long)rmt_table_p99(t, NULL));
	rmt_table_lat_sums(t, base);
	for (i = 0; i < 98; i++)
		rmt_pcpu_add(t->lat[3], 1);
	rmt_pcpu_add(t->lat[10], 2);
	ktap_check(rmt_table_p99(t, base) == 2048,
		   "guard: 98 runs of 8-15 ns and 2 of 1-2 us: p99 is the slow bucket's end");
	rmt_table_lat_sums(t, base);
	for (i = 0; i < 99; i++)
		rmt_pcpu_add(t->lat[3], 1);
	rmt_pcpu_add(t->lat[10], 1);
	ktap_check(rmt_table_p99(t, base) == 16,
		   "guard: 99 fast runs of 100: p99 is the fast bucket's end");
	ktap_check(rmt_table_trip(t, RMT_TRIP_LATENCY) && !rmt_table_trip(t, RMT_TRIP_RATE) &&
		   t->tripped == RMT_TRIP_LATENCY, "guard: the first trip counts, its reason stays");
	rc.r0 = 0;
	ktap_check(rmt_table_exec(t, st->generation, &rc, &entry) == 0 && rc.r0 == 0,
		   "guard: a tripped table runs nothing");
	ops[0].cmd = RMT_CMD_TABLE_DEL;
	commit(st, ops, 1, &err);
}

int main(void)
{
	struct rmt_store st;
	struct rmt_op op;
	struct rmt_op_error err;

	ktap_begin();
	rmt_store_init(&st);
	op = op_prog("ret7", prog_ret7, ARRAY_SIZE(prog_ret7));
	ktap_check(!commit(&st, &op, 1, &err) && op.out_handle,
		   "load a program (%s)", err.diag.msg);
	test_exact(&st);
	test_ternary_range_lpm(&st);
	test_refusals(&st);
	test_guard(&st);
	test_deletes(&st);
	rmt_store_destroy(&st);
	return ktap_end();
}
