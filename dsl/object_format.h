/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The on-disk records of an rmtc object (docs/object-format.md): an ELF64
 * little-endian relocatable file with one section per context map,
 * model, action and table, in the style of BPF objects.  Every integer
 * is fixed-width little-endian, every struct is explicitly padded and
 * holds no pointers, and every name is NUL-terminated within
 * RMT_NAME_MAX bytes with the bytes after the NUL zero.  Fields beyond a
 * count (keys past nkeys, maps past nmaps, ...) and reserved fields are
 * zero; the reader refuses anything else.
 */
#ifndef _RMTC_OBJECT_FORMAT_H
#define _RMTC_OBJECT_FORMAT_H

#include <linux/types.h>
#include <linux/rmt.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the object format is little-endian and read by plain copies"
#endif

#define RMTC_OBJ_MAGIC		0x4f544d52	/* "RMTO" */
#define RMTC_OBJ_VERSION	1
#define RMTC_OBJ_MACHINE	0		/* EM_NONE: no native code */

/* Largest model blob, and largest file the reader loads. */
#define RMTC_OBJ_MAX_MODEL	(256u << 20)
#define RMTC_OBJ_MAX_FILE	(1u << 30)
/* Longest source file name in .rmt.files, with its NUL. */
#define RMTC_OBJ_MAX_PATH	4096

/* Section names: fixed ones, and the prefixes of per-object ones. */
#define RMTC_SEC_VERSION	".rmt.version"
#define RMTC_SEC_FILES		".rmt.files"
#define RMTC_SEC_ACTIONS	".rmt.actions"
#define RMTC_SEC_DECLS		".rmt.decls"	/* struct rmtc_obj_loc per operation */
#define RMTC_SEC_CTXMAP		"ctxmap/"
#define RMTC_SEC_MODEL		"model/"
#define RMTC_SEC_ACTION		"action/"
#define RMTC_SEC_LINES		"lines/"
#define RMTC_SEC_TABLE		"table/"

/**
 * struct rmtc_obj_version - contents of .rmt.version
 * @magic: RMTC_OBJ_MAGIC
 * @version: RMTC_OBJ_VERSION; a reader refuses any other
 * @reserved: zero
 */
struct rmtc_obj_version {
	__u32	magic;
	__u16	version;
	__u16	reserved;
};

/**
 * struct rmtc_obj_loc - a source location (struct rmtc_line on disk)
 * @line: 1-based line, 0 if unknown
 * @col: 1-based column
 * @file: index into .rmt.files; 0 when the object names no files
 *
 * lines/NAME is an array of these, one per instruction of action/NAME.
 * .rmt.decls is an array of these, one per operation the object holds,
 * in the order the reader produces them (context maps, models, actions,
 * tables, then each table's entries): where each object or entry is
 * declared, so refusals of entries and tables can be located too.
 */
struct rmtc_obj_loc {
	__u32	line;
	__u16	col;
	__u16	file;
};

/**
 * struct rmtc_obj_action - one record of .rmt.actions
 * @name: the action; record n describes the n-th action/ section
 * @model: the model it uses, or empty
 * @maps: context maps, in the order LD_CTXT/ST_CTXT number them
 * @tails: programs of TAIL_CALL slots 0, 1, ...
 * @hook: enum rmt_hook_id
 * @nmaps: entries of @maps used (0-RMT_MAX_CTXMAPS)
 * @ntails: entries of @tails used (0-RMT_MAX_PROGS - 1)
 * @has_budget: 1 if @budget replaces the hook's budget, else 0
 * @reserved: zero
 * @budget: cost budget
 * @cost: the verifier's worst-case cost, 0 if not verified
 * @max_insns: the verifier's bound on instructions executed
 * @decl: where the action is declared
 */
struct rmtc_obj_action {
	char	name[RMT_NAME_MAX];
	char	model[RMT_NAME_MAX];
	char	maps[RMT_MAX_CTXMAPS][RMT_NAME_MAX];
	char	tails[RMT_MAX_PROGS - 1][RMT_NAME_MAX];
	__u32	hook;
	__u32	nmaps;
	__u32	ntails;
	__u8	has_budget;
	__u8	reserved[3];
	__u64	budget;
	__u64	cost;
	__u64	max_insns;
	struct rmtc_obj_loc decl;
};

/**
 * struct rmtc_obj_table - start of a table/NAME section
 * @hook: enum rmt_hook_id
 * @match: enum rmt_match_kind
 * @size: most entries
 * @nkeys: entries of @keys used (0-RMT_MAX_KEY_FIELDS)
 * @nentries: struct rmtc_obj_entry records that follow
 * @latency_ns: the latency budget of an action run (the guardrail), 0 for none
 * @dflt: the action run on a miss, or empty
 * @keys: the context fields that form the key
 */
struct rmtc_obj_table {
	__u32	hook;
	__u32	match;
	__u32	size;
	__u32	nkeys;
	__u32	nentries;
	__u32	latency_ns;
	char	dflt[RMT_NAME_MAX];
	char	keys[RMT_MAX_KEY_FIELDS][RMT_NAME_MAX];
};

/**
 * struct rmtc_obj_entry - one entry of a table, after struct rmtc_obj_table
 * @key: key (the low end for range tables), @nkey used
 * @key_hi: inclusive high end (range tables), @nkey_hi used
 * @mask: ternary mask, @nmask used
 * @params: action parameters, @nparams used
 * @nkey: 0-RMT_MAX_KEY_FIELDS
 * @nkey_hi: 0-RMT_MAX_KEY_FIELDS
 * @nmask: 0-RMT_MAX_KEY_FIELDS
 * @nparams: 0-RMT_MAX_PARAMS
 * @prefix: prefix length (lpm tables)
 * @priority: higher wins (ternary and range tables)
 * @has_prefix: 1 if @prefix was given, else 0
 * @reserved: zero
 * @prog: the action
 */
struct rmtc_obj_entry {
	__s64	key[RMT_MAX_KEY_FIELDS];
	__s64	key_hi[RMT_MAX_KEY_FIELDS];
	__u64	mask[RMT_MAX_KEY_FIELDS];
	__s64	params[RMT_MAX_PARAMS];
	__u32	nkey;
	__u32	nkey_hi;
	__u32	nmask;
	__u32	nparams;
	__u32	prefix;
	__u32	priority;
	__u8	has_prefix;
	__u8	reserved[7];
	char	prog[RMT_NAME_MAX];
};

_Static_assert(sizeof(struct rmtc_obj_version) == 8, "rmtc_obj_version");
_Static_assert(sizeof(struct rmtc_obj_loc) == 8, "rmtc_obj_loc");
_Static_assert(sizeof(struct rmtc_obj_action) == 848, "rmtc_obj_action");
_Static_assert(sizeof(struct rmtc_obj_table) == 312, "rmtc_obj_table");
_Static_assert(sizeof(struct rmtc_obj_entry) == 288, "rmtc_obj_entry");
_Static_assert(sizeof(struct rmt_insn) == 8, "rmt_insn");
_Static_assert(sizeof(struct rmt_ctxmap_desc) == 16, "rmt_ctxmap_desc");

#endif /* _RMTC_OBJECT_FORMAT_H */
