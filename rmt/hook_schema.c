// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context schemas of the hook points: the fields a program may read and
 * write.  Kernel hook points (hooks/) add their own entries here as they
 * arrive; the test hook exists so that programs can be run on supplied
 * input without any kernel site.
 */
#include "core.h"

static const char *const rmt_test_fields[RMT_TEST_CTX_FIELDS] = {
	"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7",
	"f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15",
	"f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23",
	"f24", "f25", "f26", "f27", "ro0", "ro1", "ro2", "ro3",
};

static const struct rmt_hook_schema rmt_hook_schemas[__RMT_HOOK_MAX] = {
	[RMT_HOOK_TEST] = {
		.name = "test",
		.nfields = RMT_TEST_CTX_FIELDS,
		.field_names = rmt_test_fields,
		.writable = (1ULL << RMT_TEST_CTX_WRITABLE) - 1,
		.budget = 1000000,
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
