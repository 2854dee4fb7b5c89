// SPDX-License-Identifier: GPL-2.0-only
/*
 * Match tables: a key built from hook-context fields, entries matched
 * exactly (hashed), ternary, by range or by longest prefix.
 *
 * Complexity of a lookup with n entries:
 *   exact    O(1): one hash bucket, buckets >= size / 2
 *   ternary  O(n): entries kept by descending priority; first match wins
 *   range    O(n): likewise
 *   lpm      O(n): entries kept by descending prefix length
 * n is bounded by the table's size limit, so every lookup is bounded.
 *
 * One writer (the store's commit) links entries in with RCU publication;
 * readers take no lock and check each entry's generation span against
 * the generation they read once.
 */
#include "store.h"


#define RMT_MAX_BUCKETS	(1u << 18)

static u32 rmt_key_hash(const s64 *key, u32 n)
{
	u64 h = 0x9e3779b97f4a7c15ULL;
	u32 i;

	for (i = 0; i < n; i++)
		h = (h ^ (u64)key[i]) * 0xbf58476d1ce4e5b9ULL;
	return (u32)(h >> 32);
}

static __printf(4, 5) int rmt_table_fail(struct rmt_op_error *err, int errno_,
					  int attr, const char *fmt, ...)
{
	va_list ap;

	err->err = errno_;
	err->attr = attr;
	err->diag.code = RMT_E_TABLE;
	err->diag.insn = -1;
	va_start(ap, fmt);
	vsnprintf(err->diag.msg, sizeof(err->diag.msg), fmt, ap);
	va_end(ap);
	return errno_;
}

static int rmt_table_fields(struct rmt_table *t, const struct rmt_op *op,
			    const struct rmt_hook_schema *hook,
			    struct rmt_op_error *err)
{
	u32 i, f;

	if (!op->table.nkeys || op->table.nkeys > RMT_MAX_KEY_FIELDS)
		return rmt_table_fail(err, -EINVAL, RMT_A_TABLE_KEY,
				      "a key has 1 to 8 fields");
	for (i = 0; i < op->table.nkeys; i++) {
		for (f = 0; f < hook->nfields; f++)
			if (!strcmp(hook->field_names[f], op->table.keys[i]))
				break;
		if (f == hook->nfields)
			return rmt_table_fail(err, -EINVAL, RMT_A_TABLE_KEY,
					      "the hook's context has no field '%s'",
					      op->table.keys[i]);
		t->key_fields[i] = f;
	}
	t->nkeys = op->table.nkeys;
	return 0;
}

/**
 * rmt_table_create() - an empty table from a TABLE_NEW operation
 * @op: the operation (name, hook, key, match kind, size)
 * @err: receives the reason on failure
 *
 * The default program is resolved by the store.
 *
 * Return: the table, or NULL with @err set.
 */
struct rmt_table *rmt_table_create(const struct rmt_op *op,
				   struct rmt_op_error *err)
{
	const struct rmt_hook_schema *hook = rmt_hook_schema(op->table.hook);
	struct rmt_table *t;
	u32 b;

	if (!hook) {
		rmt_table_fail(err, -EINVAL, RMT_A_TABLE_HOOK, "unknown hook");
		return NULL;
	}
	if (op->table.match < RMT_MATCH_EXACT || op->table.match > RMT_MATCH_LPM) {
		rmt_table_fail(err, -EINVAL, RMT_A_TABLE_MATCH,
			       "match kind must be exact, ternary, range or lpm");
		return NULL;
	}
	if (!op->table.size || op->table.size > RMT_MAX_TABLE_SIZE) {
		rmt_table_fail(err, -EINVAL, RMT_A_TABLE_SIZE,
			       "size must be 1 to 1048576 entries");
		return NULL;
	}
	t = rmt_zalloc(sizeof(*t));
	if (!t)
		goto nomem;
	t->hook = op->table.hook;
	t->match = op->table.match;
	t->size = op->table.size;
	t->latency_ns = op->table.latency_ns;
	if (rmt_table_fields(t, op, hook, err)) {
		rmt_free(t);
		return NULL;
	}
	if (t->match == RMT_MATCH_LPM && t->nkeys != 1) {
		rmt_free(t);
		rmt_table_fail(err, -EINVAL, RMT_A_TABLE_KEY,
			       "an lpm table has exactly one key field");
		return NULL;
	}
	/*
	 * Exact tables hash their entries for lookups; list tables index
	 * theirs by match fields, so that refusing a duplicate stays O(1);
	 * all index handles, for deletion.  The writer alone uses the
	 * indexes; readers follow ->next.
	 */
	t->nbuckets = 1;
	while (t->nbuckets < t->size / 2 && t->nbuckets < RMT_MAX_BUCKETS)
		t->nbuckets <<= 1;
	if (t->match == RMT_MATCH_EXACT)
		t->buckets = rmt_zalloc(t->nbuckets * sizeof(*t->buckets));
	else
		t->dups = rmt_zalloc(t->nbuckets * sizeof(*t->dups));
	t->handles = rmt_zalloc(t->nbuckets * sizeof(*t->handles));
	t->hits = rmt_pcpu_alloc();
	t->misses = rmt_pcpu_alloc();
	t->errors = rmt_pcpu_alloc();
	t->run_ns = rmt_pcpu_alloc();
	for (b = 0; b < RMT_LAT_BUCKETS; b++)
		if (!(t->lat[b] = rmt_pcpu_alloc()))
			break;
	if (!(t->buckets || t->dups) || !t->handles || !t->hits ||
	    !t->misses || !t->errors || !t->run_ns || b < RMT_LAT_BUCKETS) {
		rmt_table_free(t);
		goto nomem;
	}
	return t;
nomem:
	err->err = -ENOMEM;
	rmt_diag_set(&err->diag, RMT_E_NOMEM, -1, "out of memory");
	return NULL;
}

static void rmt_entry_free(struct rmt_entry *e)
{
	if (e->hits)
		rmt_pcpu_free(e->hits);
	rmt_free(e);
}

/* The caller has made sure no reader can still see the table. */
void rmt_table_free(struct rmt_table *t)
{
	struct rmt_entry *e, *next;
	u32 b;

	if (!t)
		return;
	for (b = 0; t->buckets && b < t->nbuckets; b++)
		for (e = t->buckets[b]; e; e = next) {
			next = e->next;
			rmt_entry_free(e);
		}
	for (e = t->list; e; e = next) {
		next = e->next;
		rmt_entry_free(e);
	}
	rmt_free(t->buckets);
	rmt_free(t->dups);
	rmt_free(t->handles);
	if (t->hits)
		rmt_pcpu_free(t->hits);
	if (t->misses)
		rmt_pcpu_free(t->misses);
	if (t->errors)
		rmt_pcpu_free(t->errors);
	if (t->run_ns)
		rmt_pcpu_free(t->run_ns);
	for (b = 0; b < RMT_LAT_BUCKETS; b++)
		if (t->lat[b])
			rmt_pcpu_free(t->lat[b]);
	rmt_free(t);
}

/* Build the key of a table from a hook context. */
void rmt_table_key(const struct rmt_table *t, const s64 *ctx, s64 *key)
{
	u32 i;

	for (i = 0; i < t->nkeys; i++)
		key[i] = ctx[t->key_fields[i]];
}

static bool rmt_entry_matches(const struct rmt_table *t,
			      const struct rmt_entry *e, const s64 *key)
{
	u32 i;

	switch (t->match) {
	case RMT_MATCH_TERNARY:
		for (i = 0; i < t->nkeys; i++)
			if (((u64)key[i] & e->mask[i]) != (u64)e->key[i])
				return false;
		return true;
	case RMT_MATCH_RANGE:
		for (i = 0; i < t->nkeys; i++)
			if (key[i] < e->key[i] || key[i] > e->key_hi[i])
				return false;
		return true;
	case RMT_MATCH_LPM:
		return !e->prefix ||
		       !(((u64)key[0] ^ (u64)e->key[0]) >> (64 - e->prefix));
	default:
		for (i = 0; i < t->nkeys; i++)
			if (key[i] != e->key[i])
				return false;
		return true;
	}
}

/**
 * rmt_table_lookup() - the entry a key matches in a generation
 * @t: the table
 * @key: t->nkeys values
 * @gen: the generation the reader read once
 *
 * Lock-free; safe against a concurrent commit.
 *
 * Return: the entry, or NULL on a miss.
 */
struct rmt_entry *rmt_table_lookup(struct rmt_table *t, const s64 *key,
				   u64 gen)
{
	struct rmt_entry *e;

	e = t->match == RMT_MATCH_EXACT ?
	    rmt_rcu_deref(t->buckets[rmt_key_hash(key, t->nkeys) &
				     (t->nbuckets - 1)]) :
	    rmt_rcu_deref(t->list);
	for (; e; e = rmt_rcu_deref(e->next))
		if (rmt_alive(READ_ONCE(e->born), READ_ONCE(e->died), gen) &&
		    rmt_entry_matches(t, e, key))
			return e;
	return NULL;
}

/* Same match fields as another entry alive in the next generation? */
static bool rmt_entry_same(const struct rmt_table *t, const struct rmt_entry *a,
			   const struct rmt_entry *b)
{
	u32 n = t->nkeys * sizeof(s64);

	return !memcmp(a->key, b->key, n) && !memcmp(a->key_hi, b->key_hi, n) &&
	       !memcmp(a->mask, b->mask, n) && a->prefix == b->prefix &&
	       a->priority == b->priority;
}

/**
 * rmt_table_check_entry() - can this ENTRY_NEW go into the table?
 * @t: the table
 * @op: the operation
 * @err: receives the reason
 *
 * Return: 0, or a negative errno with @err set.
 */
int rmt_table_check_entry(const struct rmt_table *t, const struct rmt_op *op,
			  struct rmt_op_error *err)
{
	const char *kind = t->match == RMT_MATCH_TERNARY ? "ternary" :
			   t->match == RMT_MATCH_RANGE ? "range" : "";
	u32 i;

	if (op->entry.nkey != t->nkeys)
		return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_KEY,
				      "the key must have one value per key field");
	if (t->match == RMT_MATCH_TERNARY && op->entry.nmask != t->nkeys)
		return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_MASK,
				      "a %s entry needs a mask per key field", kind);
	if (t->match == RMT_MATCH_RANGE) {
		if (op->entry.nkey_hi != t->nkeys)
			return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_KEY_HI,
					      "a %s entry needs a high end per key field",
					      kind);
		for (i = 0; i < t->nkeys; i++)
			if (op->entry.key_hi[i] < op->entry.key[i])
				return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_KEY_HI,
						      "a range's high end is below its low end");
	}
	if (t->match == RMT_MATCH_LPM &&
	    (!op->entry.has_prefix || op->entry.prefix > 64))
		return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_PREFIX,
				      "an lpm entry needs a prefix length of 0 to 64");
	if (t->match != RMT_MATCH_TERNARY && op->entry.nmask)
		return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_MASK,
				      "only ternary entries take a mask");
	if (op->entry.nparams > RMT_MAX_PARAMS)
		return rmt_table_fail(err, -EINVAL, RMT_A_ENTRY_PARAMS,
				      "at most 4 action parameters");
	if (t->count >= t->size)
		return rmt_table_fail(err, -ENOSPC, RMT_A_ENTRY_TABLE,
				      "table '%s' is full (size %u)", t->obj.name,
				      t->size);
	return 0;
}

/**
 * rmt_entry_create() - an entry from an ENTRY_NEW operation
 * @t: its table (rmt_table_check_entry() passed)
 * @op: the operation
 * @handle: its handle
 *
 * Return: the entry, not yet linked, or NULL if out of memory.
 */
struct rmt_entry *rmt_entry_create(const struct rmt_table *t,
				   const struct rmt_op *op, u64 handle)
{
	struct rmt_entry *e = rmt_zalloc(sizeof(*e));
	u32 i;

	if (!e)
		return NULL;
	e->hits = rmt_pcpu_alloc();
	if (!e->hits) {
		rmt_free(e);
		return NULL;
	}
	e->handle = handle;
	e->died = RMT_GEN_NEVER;
	for (i = 0; i < t->nkeys; i++) {
		e->key[i] = op->entry.key[i];
		if (t->match == RMT_MATCH_TERNARY) {
			e->mask[i] = op->entry.mask[i];
			e->key[i] = (s64)((u64)e->key[i] & e->mask[i]);
		}
		if (t->match == RMT_MATCH_RANGE)
			e->key_hi[i] = op->entry.key_hi[i];
	}
	if (t->match == RMT_MATCH_LPM) {
		e->prefix = op->entry.prefix;
		if (e->prefix < 64)	/* keep only the prefix bits */
			e->key[0] = (s64)((u64)e->key[0] &
					  ~(U64_MAX >> e->prefix));
	}
	if (t->match == RMT_MATCH_TERNARY || t->match == RMT_MATCH_RANGE)
		e->priority = op->entry.priority;
	memcpy(e->params, op->entry.params, sizeof(e->params));
	e->nparams = op->entry.nparams;
	return e;
}

static struct rmt_entry **rmt_table_head(struct rmt_table *t,
					 const struct rmt_entry *e)
{
	if (t->match == RMT_MATCH_EXACT)
		return &t->buckets[rmt_key_hash(e->key, t->nkeys) &
				   (t->nbuckets - 1)];
	return &t->list;
}

/* Bucket of the match-field index of a list table. */
static struct rmt_entry **rmt_table_dup_head(struct rmt_table *t,
					     const struct rmt_entry *e)
{
	u64 extra[RMT_MAX_KEY_FIELDS * 2 + 2];
	u32 n = t->nkeys, i;

	for (i = 0; i < n; i++) {
		extra[i] = (u64)e->key_hi[i];
		extra[n + i] = e->mask[i];
	}
	extra[2 * n] = e->prefix;
	extra[2 * n + 1] = e->priority;
	return &t->dups[(rmt_key_hash(e->key, n) ^
			 rmt_key_hash((const s64 *)extra, 2 * n + 2)) &
			(t->nbuckets - 1)];
}

static struct rmt_entry **rmt_table_handle_head(struct rmt_table *t, u64 handle)
{
	return &t->handles[rmt_key_hash((const s64 *)&handle, 1) &
			   (t->nbuckets - 1)];
}

/* Does @a go before @b in a list table? */
static bool rmt_entry_before(const struct rmt_table *t,
			     const struct rmt_entry *a, const struct rmt_entry *b)
{
	if (t->match == RMT_MATCH_LPM)
		return a->prefix > b->prefix;
	return a->priority > b->priority;
}

/**
 * rmt_table_find_dup() - an entry alive in the next generation with the
 * same match fields; O(1) on average
 */
struct rmt_entry *rmt_table_find_dup(struct rmt_table *t,
				     const struct rmt_entry *n, u64 next_gen)
{
	struct rmt_entry *e;

	if (t->match == RMT_MATCH_EXACT) {
		for (e = *rmt_table_head(t, n); e; e = e->next)
			if (e->died > next_gen && rmt_entry_same(t, e, n))
				return e;
		return NULL;
	}
	for (e = *rmt_table_dup_head(t, n); e; e = e->dup_next)
		if (e->died > next_gen && rmt_entry_same(t, e, n))
			return e;
	return NULL;
}

/*
 * Link an entry in, visible to readers once its generation begins.  In
 * a list table it goes before the entries of equal rank, so adding many
 * of one priority (or prefix) walks only past the better ones.
 */
void rmt_table_insert(struct rmt_table *t, struct rmt_entry *e)
{
	struct rmt_entry **pp = rmt_table_head(t, e), **ip;

	if (t->match != RMT_MATCH_EXACT) {
		while (*pp && rmt_entry_before(t, *pp, e))
			pp = &(*pp)->next;
		ip = rmt_table_dup_head(t, e);
		e->dup_next = *ip;
		*ip = e;
	}
	ip = rmt_table_handle_head(t, e->handle);
	e->handle_next = *ip;
	*ip = e;
	e->next = *pp;
	rmt_rcu_assign(*pp, e);
}

static void rmt_unlink_from(struct rmt_entry **pp, struct rmt_entry *e,
			    size_t link)
{
	while (*pp && *pp != e)
		pp = (struct rmt_entry **)((u8 *)*pp + link);
	if (*pp)
		WRITE_ONCE(*pp, *(struct rmt_entry **)((u8 *)e + link));
}

/* Unlink; free only after readers are done (a grace period). */
void rmt_table_unlink(struct rmt_table *t, struct rmt_entry *e)
{
	rmt_unlink_from(rmt_table_head(t, e), e, offsetof(struct rmt_entry, next));
	if (t->match != RMT_MATCH_EXACT)
		rmt_unlink_from(rmt_table_dup_head(t, e), e,
				offsetof(struct rmt_entry, dup_next));
	rmt_unlink_from(rmt_table_handle_head(t, e->handle), e,
			offsetof(struct rmt_entry, handle_next));
}

void rmt_table_release_entry(struct rmt_entry *e)
{
	rmt_entry_free(e);
}

/* An entry alive in generation @gen, by handle; O(1) on average. */
struct rmt_entry *rmt_table_find_entry(struct rmt_table *t, u64 handle,
				       u64 gen)
{
	struct rmt_entry *e;

	for (e = *rmt_table_handle_head(t, handle); e; e = e->handle_next)
		if (e->handle == handle && rmt_alive(e->born, e->died, gen))
			return e;
	return NULL;
}

/* The histogram bucket of a run of @ns nanoseconds: floor(log2(ns)). */
static u32 rmt_lat_bucket(u64 ns)
{
	u32 b = 0;

	while (ns > 1 && b < RMT_LAT_BUCKETS - 1) {
		ns >>= 1;
		b++;
	}
	return b;
}

/* The histogram of action run times, summed over CPUs. */
void rmt_table_lat_sums(const struct rmt_table *t, u64 *sums)
{
	u32 b;

	for (b = 0; b < RMT_LAT_BUCKETS; b++)
		sums[b] = rmt_pcpu_sum(t->lat[b]);
}

/**
 * rmt_table_p99() - the 99th percentile of a table's action run times
 * @t: the table
 * @since: a histogram from rmt_table_lat_sums() to count from, or NULL
 *	for all runs
 *
 * Return: the upper end (ns) of the bucket holding the 99th percentile,
 * or 0 if no action ran.
 */
u64 rmt_table_p99(const struct rmt_table *t, const u64 *since)
{
	u64 sums[RMT_LAT_BUCKETS], total = 0, seen = 0;
	u32 b;

	rmt_table_lat_sums(t, sums);
	for (b = 0; b < RMT_LAT_BUCKETS; b++) {
		if (since)
			sums[b] -= since[b];
		total += sums[b];
	}
	if (!total)
		return 0;
	for (b = 0; b < RMT_LAT_BUCKETS; b++) {
		seen += sums[b];
		if (seen * 100 >= total * 99)
			break;
	}
	return 2ULL << b;
}

/**
 * rmt_table_trip() - disable a table: its hook skips it from now on
 * @t: the table
 * @reason: enum rmt_trip
 *
 * Return: true if this call disabled it (it was working).
 */
bool rmt_table_trip(struct rmt_table *t, u32 reason)
{
	if (READ_ONCE(t->tripped))
		return false;
	WRITE_ONCE(t->tripped, reason);
	return true;
}

/**
 * rmt_table_exec() - what a hook does with a table: match, then act
 * @t: the table
 * @gen: the generation the caller read once
 * @rc: the hook context and scratch; receives the verdict in r0
 * @entry: receives the matched entry's handle, 0 on a miss
 *
 * On a miss the table's default program runs, if it has one.  Counters
 * (per CPU) record hits, misses, action time and failed actions.
 *
 * A table the guardrail watchdog disabled runs nothing.
 *
 * Return: 1 if an action ran and rc->r0 holds its verdict; 0 if nothing
 * ran (the kernel's own decision applies); a negative errno if the
 * action failed (the caller falls back to the kernel's decision too).
 */
int rmt_table_exec(struct rmt_table *t, u64 gen, struct rmt_run_ctx *rc,
		   u64 *entry)
{
	const struct rmt_prog *prog = NULL;
	s64 key[RMT_MAX_KEY_FIELDS];
	struct rmt_entry *e;
	u64 t0;
	int ret;

	*entry = 0;
	if (READ_ONCE(t->tripped))
		return 0;
	rmt_table_key(t, rc->ctx, key);
	e = rmt_table_lookup(t, key, gen);
	*entry = e ? e->handle : 0;
	rc->params = NULL;
	rc->nparams = 0;
	if (e) {
		rmt_pcpu_add(t->hits, 1);
		rmt_pcpu_add(e->hits, 1);
		prog = e->prog->prog;
		rc->params = e->params;
		rc->nparams = e->nparams;
	} else {
		rmt_pcpu_add(t->misses, 1);
		if (t->dflt)
			prog = t->dflt->prog;
	}
	if (!prog)
		return 0;
	t0 = rmt_ktime_ns();
	ret = rmt_run(prog, rc);
	t0 = rmt_ktime_ns() - t0;
	rmt_pcpu_add(t->run_ns, t0);
	rmt_pcpu_add(t->lat[rmt_lat_bucket(t0)], 1);
	if (ret) {
		rmt_pcpu_add(t->errors, 1);
		return ret;
	}
	return 1;
}
