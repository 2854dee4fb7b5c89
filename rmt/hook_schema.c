// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context schemas of the hook points: the fields a program may read and
 * write, in the order of the RMT_<HOOK>_FIELDS() lists of the uapi
 * header, which the hook sites (hooks/) fill.  The test hook exists so
 * that programs can be run on supplied input without any kernel site.
 */
#include "core.h"

static const char *const rmt_test_fields[RMT_TEST_CTX_FIELDS] = {
	"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7",
	"f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15",
	"f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23",
	"f24", "f25", "f26", "f27", "ro0", "ro1", "ro2", "ro3",
};

#define RMT_FIELD_NAME(name, str, rw)	str,
#define RMT_FIELD_RO			0
#define RMT_FIELD_RW			1

static const char *const rmt_swap_ra_fields[] = {
	RMT_SWAP_RA_FIELDS(RMT_FIELD_NAME)
};

static const char *const rmt_swap_access_fields[] = {
	RMT_SWAP_ACCESS_FIELDS(RMT_FIELD_NAME)
};

static const char *const rmt_migrate_fields[] = {
	RMT_MIGRATE_FIELDS(RMT_FIELD_NAME)
};

/* The writable mask of a hook: | (RW << field index) over its list. */
#define RMT_SWAP_RA_RW(name, str, rw) | ((u64)RMT_FIELD_##rw << RMT_SWAP_RA_##name)
#define RMT_SWAP_ACCESS_RW(name, str, rw) \
	| ((u64)RMT_FIELD_##rw << RMT_SWAP_ACCESS_##name)
#define RMT_MIGRATE_RW(name, str, rw) | ((u64)RMT_FIELD_##rw << RMT_MIGRATE_##name)

static const struct rmt_hook_schema rmt_hook_schemas[__RMT_HOOK_MAX] = {
	[RMT_HOOK_TEST] = {
		.name = "test",
		.nfields = RMT_TEST_CTX_FIELDS,
		.field_names = rmt_test_fields,
		.writable = (1ULL << RMT_TEST_CTX_WRITABLE) - 1,
		.budget = 1000000,
		.verdict = "any value (test runs only)",
		.fallback = "none: the test hook has no kernel site",
	},
	[RMT_HOOK_SWAP_RA] = {
		.name = "swap_cluster_readahead",
		.nfields = __RMT_SWAP_RA_NFIELDS,
		.field_names = rmt_swap_ra_fields,
		.writable = 0 RMT_SWAP_RA_FIELDS(RMT_SWAP_RA_RW),
		.budget = 50000,
		.verdict = "DEFAULT, or N: read swap offsets ra0..raN-1 ahead (N <= 32)",
		.fallback = "the kernel's cluster readahead (1 << page_cluster pages)",
	},
	[RMT_HOOK_SWAP_ACCESS] = {
		.name = "lookup_swap_cache",
		.nfields = __RMT_SWAP_ACCESS_NFIELDS,
		.field_names = rmt_swap_access_fields,
		.writable = 0 RMT_SWAP_ACCESS_FIELDS(RMT_SWAP_ACCESS_RW),
		.budget = 5000,
		.verdict = "ignored: actions observe (context maps)",
		.fallback = "the kernel's lookup, unchanged",
	},
	[RMT_HOOK_MIGRATE] = {
		.name = "can_migrate_task",
		.nfields = __RMT_MIGRATE_NFIELDS,
		.field_names = rmt_migrate_fields,
		.writable = 0 RMT_MIGRATE_FIELDS(RMT_MIGRATE_RW),
		.budget = 20000,
		.verdict = "ALLOW (1), DENY (0), or DEFAULT (-1): CFS's answer",
		.fallback = "CFS's can_migrate_task() answer",
	},
};

/**
 * rmt_hook_schema() - the context schema of a hook
 * @hook_id: enum rmt_hook_id
 *
 * Return: the schema, or NULL for an unknown hook.
 */
const struct rmt_hook_schema *rmt_hook_schema(u32 hook_id)
{
	if (hook_id >= __RMT_HOOK_MAX || !rmt_hook_schemas[hook_id].name)
		return NULL;
	return &rmt_hook_schemas[hook_id];
}
