// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context maps: per-key state that survives between invocations (a
 * process's last swap offsets, a cgroup's counters), with a history ring
 * per key.
 *
 * The table is preallocated at creation, so the fast path never
 * allocates.  Keys hash to a window of RMT_CTXMAP_PROBE slots; lookups
 * scan the window (O(1), bounded).  A new key takes a free slot of its
 * window while the map is below max_entries, and otherwise evicts the
 * window's least recently used entry; a store that finds neither (a
 * full map whose window is empty) is dropped and counted in drops.  One short irq-safe lock per map
 * serialises access; no work under it is longer than a window scan.
 */
#include "core.h"

#define RMT_CTXMAP_PROBE	8
#define RMT_CTXMAP_MAX_BYTES	(64u << 20)

struct rmt_ctxmap_entry {
	u64 key;
	u64 stamp;		/* last use, for LRU eviction */
	u32 used;
	u32 head;		/* next history slot to write */
	u32 count;		/* valid history elements */
	u32 pad;
	s64 data[];		/* nvals values, then hist_len history */
};

struct rmt_ctxmap {
	struct rmt_ctxmap_desc desc;
	rmt_lock_t lock;
	u32 mask;		/* capacity - 1, capacity a power of two */
	u32 entry_size;
	u32 count;
	u64 drops;		/* stores that found no slot */
	u64 clock;
	u8 *slots;
};

static struct rmt_ctxmap_entry *rmt_ctxmap_slot(struct rmt_ctxmap *map,
						u32 idx)
{
	return (void *)(map->slots + (size_t)(idx & map->mask) * map->entry_size);
}

static u32 rmt_ctxmap_hash(u64 key)
{
	return (u32)((key * 0x9e3779b97f4a7c15ULL) >> 32);
}

/**
 * rmt_ctxmap_create() - allocate a context map
 * @desc: value slots, history length, capacity
 * @diag: receives the reason on rejection
 *
 * Return: the map, or NULL with @diag set.
 */
struct rmt_ctxmap *rmt_ctxmap_create(const struct rmt_ctxmap_desc *desc,
				     struct rmt_diag *diag)
{
	struct rmt_ctxmap *map;
	u64 cap = 1, bytes;
	u32 esize;

	if (desc->nvals > RMT_MAX_CTXMAP_VALS || desc->hist_len > RMT_MAX_HIST ||
	    !desc->max_entries || desc->max_entries > RMT_MAX_CTXMAP_ENTRIES ||
	    desc->key_kind > RMT_KEY_INODE) {
		rmt_diag_set(diag, RMT_E_CTXMAP, -1,
			     "bad context map (nvals %u, hist_len %u, max_entries %u, key %u)",
			     desc->nvals, desc->hist_len, desc->max_entries,
			     desc->key_kind);
		return NULL;
	}
	while (cap < desc->max_entries || cap < RMT_CTXMAP_PROBE)
		cap <<= 1;
	esize = sizeof(struct rmt_ctxmap_entry) +
		(desc->nvals + desc->hist_len) * sizeof(s64);
	bytes = cap * esize;
	if (bytes > RMT_CTXMAP_MAX_BYTES) {
		rmt_diag_set(diag, RMT_E_CTXMAP, -1,
			     "context map needs %llu bytes, over the %u limit",
			     (unsigned long long)bytes, RMT_CTXMAP_MAX_BYTES);
		return NULL;
	}
	map = rmt_zalloc(sizeof(*map));
	if (map)
		map->slots = rmt_zalloc(bytes);
	if (!map || !map->slots) {
		rmt_free(map);
		rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory");
		return NULL;
	}
	map->desc = *desc;
	map->mask = (u32)cap - 1;
	map->entry_size = esize;
	rmt_lock_init(&map->lock);
	return map;
}

void rmt_ctxmap_free(struct rmt_ctxmap *map)
{
	if (!map)
		return;
	rmt_free(map->slots);
	rmt_free(map);
}

const struct rmt_ctxmap_desc *rmt_ctxmap_desc(const struct rmt_ctxmap *map)
{
	return &map->desc;
}

static struct rmt_ctxmap_entry *rmt_ctxmap_find(struct rmt_ctxmap *map,
						u64 key)
{
	u32 h = rmt_ctxmap_hash(key), i;

	for (i = 0; i < RMT_CTXMAP_PROBE; i++) {
		struct rmt_ctxmap_entry *e = rmt_ctxmap_slot(map, h + i);

		if (e->used && e->key == key) {
			e->stamp = ++map->clock;
			return e;
		}
	}
	return NULL;
}

/* Find or create; a full map or window gives up its LRU entry. */
static struct rmt_ctxmap_entry *rmt_ctxmap_get(struct rmt_ctxmap *map,
					       u64 key)
{
	struct rmt_ctxmap_entry *e, *victim = NULL, *empty = NULL;
	u32 h = rmt_ctxmap_hash(key), i;

	e = rmt_ctxmap_find(map, key);
	if (e)
		return e;
	for (i = 0; i < RMT_CTXMAP_PROBE; i++) {
		e = rmt_ctxmap_slot(map, h + i);
		if (!e->used) {
			if (!empty)
				empty = e;
		} else if (!victim || e->stamp < victim->stamp) {
			victim = e;
		}
	}
	if (empty && map->count < map->desc.max_entries) {
		e = empty;
		map->count++;
	} else {
		e = victim;	/* LRU of the window */
		if (!e)
			return NULL;
	}
	memset(e, 0, map->entry_size);
	e->used = 1;
	e->key = key;
	e->stamp = ++map->clock;
	return e;
}

static s64 rmt_ctxmap_hist_at(const struct rmt_ctxmap *map,
			      const struct rmt_ctxmap_entry *e, u32 n)
{
	u32 len = map->desc.hist_len;

	if (n >= e->count)
		return 0;
	return e->data[map->desc.nvals + (e->head + len - 1 - n) % len];
}

/**
 * rmt_ctxmap_load() - read a value or history slot
 * @map: the map
 * @key: entry key
 * @slot: value slot (>= 0) or RMT_CTXT_HIST(n)
 *
 * Return: the value; 0 for a missing key or a history slot not yet
 * filled.
 */
s64 rmt_ctxmap_load(struct rmt_ctxmap *map, u64 key, s32 slot)
{
	struct rmt_ctxmap_entry *e;
	unsigned long flags = 0;
	s64 val = 0;

	rmt_lock(&map->lock, flags);
	e = rmt_ctxmap_find(map, key);
	if (e)
		val = slot >= 0 ? e->data[slot] :
				  rmt_ctxmap_hist_at(map, e, (u32)(-1 - slot));
	rmt_unlock(&map->lock, flags);
	return val;
}

/**
 * rmt_ctxmap_store() - write a value slot, or push onto the history
 * @map: the map
 * @key: entry key; the entry is created if missing
 * @slot: value slot (>= 0) or RMT_CTXT_PUSH
 * @val: the value
 *
 * Return: 0, or -ENOSPC when no slot could be had.
 */
int rmt_ctxmap_store(struct rmt_ctxmap *map, u64 key, s32 slot, s64 val)
{
	struct rmt_ctxmap_entry *e;
	unsigned long flags = 0;
	u32 len = map->desc.hist_len;

	rmt_lock(&map->lock, flags);
	e = rmt_ctxmap_get(map, key);
	if (e && slot >= 0) {
		e->data[slot] = val;
	} else if (e && len) {
		e->data[map->desc.nvals + e->head] = val;
		e->head = (e->head + 1) % len;
		if (e->count < len)
			e->count++;
	}
	if (!e)
		map->drops++;
	rmt_unlock(&map->lock, flags);
	return e ? 0 : -ENOSPC;
}

bool rmt_ctxmap_contains(struct rmt_ctxmap *map, u64 key)
{
	unsigned long flags = 0;
	bool found;

	rmt_lock(&map->lock, flags);
	found = rmt_ctxmap_find(map, key) != NULL;
	rmt_unlock(&map->lock, flags);
	return found;
}

/**
 * rmt_ctxmap_history() - copy the most recent history, newest first
 * @map: the map
 * @key: entry key
 * @out: receives @n elements of @dtype (saturated); missing ones are 0
 * @dtype: element type of @out
 * @n: how many (at most hist_len; the verifier checks)
 *
 * Return: how many were real history elements.
 */
u32 rmt_ctxmap_history(struct rmt_ctxmap *map, u64 key, void *out,
		       u32 dtype, u32 n)
{
	struct rmt_ctxmap_entry *e;
	unsigned long flags = 0;
	u32 i, valid = 0;

	rmt_lock(&map->lock, flags);
	e = rmt_ctxmap_find(map, key);
	for (i = 0; i < n; i++)
		rmt_ml_store_elem(out, dtype, i,
				  e ? rmt_ctxmap_hist_at(map, e, i) : 0);
	if (e)
		valid = min(n, e->count);
	rmt_unlock(&map->lock, flags);
	return valid;
}

int rmt_ctxmap_delete(struct rmt_ctxmap *map, u64 key)
{
	struct rmt_ctxmap_entry *e;
	unsigned long flags = 0;

	rmt_lock(&map->lock, flags);
	e = rmt_ctxmap_find(map, key);
	if (e) {
		e->used = 0;
		map->count--;
	}
	rmt_unlock(&map->lock, flags);
	return e ? 0 : -ENOENT;
}

u32 rmt_ctxmap_count(struct rmt_ctxmap *map)
{
	return READ_ONCE(map->count);
}

u64 rmt_ctxmap_drops(struct rmt_ctxmap *map)
{
	return READ_ONCE(map->drops);
}
