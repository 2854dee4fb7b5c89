// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc's lowering of context maps and tables into store operations:
 * RMT_CMD_CTXMAP_NEW with a descriptor, RMT_CMD_TABLE_NEW and one
 * RMT_CMD_ENTRY_NEW per static entry.
 */
#include <string.h>

#include "lower.h"
#include "core.h"

#define RMTC_DEFAULT_MAP_SIZE	1024
#define RMTC_DEFAULT_TABLE_SIZE	1024

static const char *const rmtc_key_kinds[] = {
	[RMT_KEY_ANY] = "any", [RMT_KEY_PID] = "pid", [RMT_KEY_TGID] = "tgid",
	[RMT_KEY_CGROUP] = "cgroup", [RMT_KEY_INODE] = "inode",
};

static void rmtc_lower_ctxmap(struct rmtc_lower *L, struct rmtc_node *m)
{
	struct rmt_ctxmap_desc d = { .max_entries = RMTC_DEFAULT_MAP_SIZE };
	struct rmtc_node *s, *hist = NULL;
	struct rmt_op *op;
	u32 k;
	u64 v;

	if (!rmtc_name_ok(L, m))
		return;
	for (k = 0; k < sizeof(rmtc_key_kinds) / sizeof(rmtc_key_kinds[0]); k++)
		if (!strcmp(rmtc_key_kinds[k], m->a->name))
			d.key_kind = k;
	if (m->b) {
		v = rmtc_value(L, m->b);
		if (!v || v > RMT_MAX_CTXMAP_ENTRIES)
			RMTC_ERR(L, m->b, "a context map holds 1 to 65536 entries",
				 "context map size %llu out of range", (unsigned long long)v);
		d.max_entries = v;
	}
	for (s = m->c; s; s = s->next) {
		if (s->kind != RMTC_N_HISTORY) {
			d.nvals++;
			continue;
		}
		if (hist) {
			RMTC_ERR(L, s, "keep one history per context map",
				 "context map '%s' already has history '%s' (line %u)",
				 m->name, hist->name, hist->loc.line);
			continue;
		}
		hist = s;
		v = rmtc_value(L, s->a);
		s->a->kind = RMTC_N_INT;	/* lowering reads the folded length */
		s->a->value = v;
		if (!v || v > RMT_MAX_HIST)
			RMTC_ERR(L, s->a, "a history keeps 1 to 64 elements",
				 "history length %llu out of range", (unsigned long long)v);
		d.hist_len = v;
	}
	if (d.nvals > RMT_MAX_CTXMAP_VALS)
		RMTC_ERR(L, m, "split the values over two maps",
			 "context map '%s' has %u value slots; at most %d", m->name,
			 d.nvals, RMT_MAX_CTXMAP_VALS);
	op = rmtc_policy_add_op(L->pol, RMT_CMD_CTXMAP_NEW, m->name);
	rmtc_op_decl(L, m);
	op->ctxmap = d;
}

void rmtc_lower_ctxmaps(struct rmtc_lower *L)
{
	unsigned int i;

	for (i = 0; i < L->prog->nctxmaps; i++)
		rmtc_lower_ctxmap(L, L->prog->ctxmaps[i]);
}

/* ---- tables ---- */

static u32 rmtc_match_kind(enum rmtc_tok op)
{
	switch (op) {
	case RMTC_T_TERNARY:	return RMT_MATCH_TERNARY;
	case RMTC_T_RANGE:	return RMT_MATCH_RANGE;
	case RMTC_T_LPM:	return RMT_MATCH_LPM;
	default:		return RMT_MATCH_EXACT;
	}
}

/* One match of an entry into key field @k of @op. */
static void rmtc_entry_match(struct rmtc_lower *L, u32 match, struct rmtc_node *m,
			     struct rmt_op *op, u32 k)
{
	struct rmtc_node *val = m->a, *extra = m->b;

	/* `v & mask` and `v / prefix` parse as the value's top operator */
	if (!extra && val->kind == RMTC_N_BINARY &&
	    ((match == RMT_MATCH_TERNARY && val->op == RMTC_T_AMP) ||
	     (match == RMT_MATCH_LPM && val->op == RMTC_T_SLASH))) {
		extra = val->b;
		val = val->a;
	}
	op->entry.key[k] = rmtc_value(L, val);
	switch (match) {
	case RMT_MATCH_TERNARY:
		op->entry.mask[k] = extra ? rmtc_value(L, extra) : ~0ULL;
		break;
	case RMT_MATCH_RANGE:
		op->entry.key_hi[k] = m->op == RMTC_T_IN ? rmtc_value(L, extra) :
				      op->entry.key[k];
		if (op->entry.key_hi[k] < op->entry.key[k])
			RMTC_ERR(L, m, "write the range as LOW..HIGH",
				 "range %lld..%lld is empty", (long long)op->entry.key[k],
				 (long long)op->entry.key_hi[k]);
		break;
	case RMT_MATCH_LPM:
		op->entry.prefix = extra ? rmtc_value(L, extra) : 64;
		op->entry.has_prefix = true;
		if (op->entry.prefix > 64)
			RMTC_ERR(L, extra, "a prefix is 0 to 64 bits",
				 "prefix length %u out of range", op->entry.prefix);
		break;
	default:
		if (extra || m->op == RMTC_T_IN)
			RMTC_ERR(L, m, "an exact table matches single values",
				 "a mask, range or prefix in an exact table");
	}
}

/* Key fields the entry leaves out match anything, where the kind allows. */
static void rmtc_entry_wildcard(struct rmtc_lower *L, struct rmtc_node *e,
				u32 match, const char *field, struct rmt_op *op, u32 k)
{
	switch (match) {
	case RMT_MATCH_TERNARY:
		op->entry.key[k] = 0;
		op->entry.mask[k] = 0;
		break;
	case RMT_MATCH_RANGE:
		op->entry.key[k] = S64_MIN;
		op->entry.key_hi[k] = S64_MAX;
		break;
	default:
		RMTC_ERR(L, e, "give a value for every key field",
			 "entry does not match key field '%s'", field);
	}
}

static void rmtc_lower_entry(struct rmtc_lower *L, struct rmtc_node *t,
			     struct rmtc_node *key, struct rmtc_node *e)
{
	u32 match = rmtc_match_kind(key->op), k = 0;
	struct rmtc_node *f, *m, *arg;
	struct rmt_op *op;

	op = rmtc_policy_add_op(L->pol, RMT_CMD_ENTRY_NEW, t->name);
	rmtc_op_decl(L, e);
	for (f = key->a; f && k < RMT_MAX_KEY_FIELDS; f = f->next, k++) {
		for (m = e->a; m; m = m->next)
			if (!strcmp(m->name, f->name))
				break;
		if (m)
			rmtc_entry_match(L, match, m, op, k);
		else
			rmtc_entry_wildcard(L, e, match, f->name, op, k);
	}
	op->entry.nkey = k;
	if (match == RMT_MATCH_TERNARY)
		op->entry.nmask = k;
	if (match == RMT_MATCH_RANGE)
		op->entry.nkey_hi = k;
	if (e->b)
		op->entry.priority = rmtc_value(L, e->b);
	snprintf(op->entry.prog, RMT_NAME_MAX, "%s", e->name);
	for (arg = e->c; arg; arg = arg->next) {
		if (op->entry.nparams == RMT_MAX_PARAMS) {
			RMTC_ERR(L, arg, "an entry passes at most 4 parameters",
				 "too many parameters");
			break;
		}
		op->entry.params[op->entry.nparams++] = rmtc_value(L, arg);
	}
}

static void rmtc_lower_table(struct rmtc_lower *L, struct rmtc_node *t)
{
	struct rmtc_node *it, *key = NULL, *f;
	struct rmt_op *op;
	u32 n = 0;

	if (!rmtc_name_ok(L, t))
		return;
	op = rmtc_policy_add_op(L->pol, RMT_CMD_TABLE_NEW, t->name);
	rmtc_op_decl(L, t);
	op->table.hook = rmtc_hook_id(t->a->name);
	op->table.size = RMTC_DEFAULT_TABLE_SIZE;
	for (it = t->b; it; it = it->next) {
		if (it->kind == RMTC_N_KEY) {
			key = it;
		} else if (it->kind == RMTC_N_SIZE) {
			op->table.size = rmtc_value(L, it->a);
		} else if (it->kind == RMTC_N_LATENCY) {
			op->table.latency_ns = rmtc_value(L, it->a);
		} else if (it->kind == RMTC_N_DEFAULT && strcmp(it->name, "kernel")) {
			snprintf(op->table.dflt, RMT_NAME_MAX, "%s", it->name);
		}
	}
	if (!key)
		return;		/* evaluate has reported it */
	op->table.match = rmtc_match_kind(key->op);
	for (f = key->a; f; f = f->next) {
		if (n == RMT_MAX_KEY_FIELDS) {
			RMTC_ERR(L, f, "a key has at most 8 fields", "too many key fields");
			break;
		}
		snprintf(op->table.keys[n++], RMT_NAME_MAX, "%s", f->name);
	}
	op->table.nkeys = n;
	if (op->table.match == RMT_MATCH_LPM && n != 1)
		RMTC_ERR(L, key, "an lpm table has one key field",
			 "lpm key of %u fields", n);
}

static void rmtc_lower_entries(struct rmtc_lower *L, struct rmtc_node *t)
{
	struct rmtc_node *it, *key = NULL;

	for (it = t->b; it; it = it->next)
		if (it->kind == RMTC_N_KEY)
			key = it;
	if (!key || strlen(t->name) >= RMT_NAME_MAX)
		return;
	for (it = t->b; it; it = it->next)
		if (it->kind == RMTC_N_ENTRY)
			rmtc_lower_entry(L, t, key, it);
}

/* All tables, then all entries: the order a transaction needs. */
void rmtc_lower_tables(struct rmtc_lower *L)
{
	unsigned int i;

	for (i = 0; i < L->prog->ntables; i++)
		rmtc_lower_table(L, L->prog->tables[i]);
	for (i = 0; i < L->prog->ntables; i++)
		rmtc_lower_entries(L, L->prog->tables[i]);
}
