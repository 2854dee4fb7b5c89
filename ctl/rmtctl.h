/* SPDX-License-Identifier: GPL-2.0-only */
/* rmtctl: shared declarations of the command-line tool. */
#ifndef _RMTCTL_H
#define _RMTCTL_H

#include <stdbool.h>

#include "json.h"
#include "backend.h"

/* Exit codes scripts can rely on. */
enum {
	RMTCTL_OK = 0,
	RMTCTL_REJECTED = 1,	/* input refused: verifier, assembler, kernel */
	RMTCTL_USAGE = 2,	/* bad command line */
	RMTCTL_SYSERR = 3,	/* I/O or memory failure */
};

/* Buffers an operation points into, freed after its commit. */
struct rmtctl_keep {
	void *bufs[64];
	int n;
	char *source;		/* assembly text of a loaded program */
	const char *path;
	u32 *lines;		/* source line of each instruction */
	u32 nlines;
};

struct rmtctl {
	bool json;
	bool pretty;
	bool quiet;			/* replaying saved state */
	bool stats;			/* -s: counters in shows */
	struct json_writer *jw;		/* NULL unless json */
	const struct rmtctl_backend *be;
	void *be_priv;
	bool want_embedded;
	const char *state;		/* embedded backend's saved state */
	u32 batch_line;			/* the batch line being read, or 0 */
	int argc0;			/* the command line, for the state */
	char **argv0;
};

/**
 * struct rmtctl_cmd - one command of an object
 * @name: the command word
 * @fn: runs a command that reads or has its own output
 * @build: turns a write command's arguments into a store operation;
 *	rmtctl commits it alone, or with the rest of a batch
 * @usage: arguments, for help
 */
struct rmtctl_cmd {
	const char *name;
	int (*fn)(struct rmtctl *ctl, int argc, char **argv);
	int (*build)(struct rmtctl *ctl, int argc, char **argv, struct rmt_op *op,
		     struct rmtctl_keep *keep);
	const char *usage;
};

/**
 * struct rmtctl_object - an object kind and its commands
 * @name: the object word
 * @cmds: its commands
 * @min_prefix: shortest abbreviation accepted (0: any), so that an object
 *	added later does not make an older one's abbreviation ambiguous
 */
struct rmtctl_object {
	const char *name;
	const struct rmtctl_cmd *cmds;
	size_t min_prefix;
};

extern const struct rmtctl_object rmtctl_objects[];

const struct rmtctl_cmd *rmtctl_match(const struct rmtctl_cmd *cmds,
				      const char *word, bool *ambiguous);
const struct rmtctl_object *rmtctl_match_object(const char *word, bool *ambiguous);
int rmtctl_backend(struct rmtctl *ctl);
void rmtctl_save_state(struct rmtctl *ctl);
void rmtctl_save_state_argv(struct rmtctl *ctl, int argc, char **argv);
bool rmtctl_journalling(const struct rmtctl *ctl);
int rmtctl_commit(struct rmtctl *ctl, struct rmt_op *ops, u32 n,
		  struct rmtctl_keep *keep);
int rmtctl_backend_error(struct rmtctl *ctl, const struct rmtctl_error *e,
			 const struct rmtctl_keep *keep);
void rmtctl_keep_release(struct rmtctl_keep *keep);
int rmtctl_tokenize(char *line, char **argv, int max);
void rmtctl_print_obj(struct rmtctl *ctl, const struct rmtctl_obj *o);
int rmtctl_show(struct rmtctl *ctl, u32 cmd, const char *name, const char *table);
int rmtctl_test(struct rmtctl *ctl, int argc, char **argv, bool table);
int rmtctl_select(struct rmtctl *ctl, int argc, char **argv, struct rmt_op *op,
		  const char *what);

/* argument helpers (args.c) */
int rmtctl_parse_s64_list(const char *s, s64 *out, u32 max, u32 *n);
int rmtctl_parse_u64(const char *s, u64 *out);
int rmtctl_copy_name(struct rmtctl *ctl, char *dst, const char *src);
int rmtctl_hook_id(struct rmtctl *ctl, const char *name, u32 *id);
const char *rmtctl_match_name(u32 match);
const char *rmtctl_trip_name(u32 reason);

/* print.c: one field of an object line, as text or JSON */
void rmtctl_print_uint(struct rmtctl *ctl, const char *name, unsigned long long v);
void rmtctl_print_opt_str(struct rmtctl *ctl, const char *name, const char *v);
void rmtctl_print_names(struct rmtctl *ctl, const char *name,
			const char (*v)[RMT_NAME_MAX], u32 n);

int rmtctl_dispatch(struct rmtctl *ctl, const char *object,
		    const struct rmtctl_cmd *cmds, int argc, char **argv);
int rmtctl_error(struct rmtctl *ctl, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

extern const struct rmtctl_cmd rmtctl_prog_cmds[];
extern const struct rmtctl_cmd rmtctl_table_cmds[];
extern const struct rmtctl_cmd rmtctl_entry_cmds[];
extern const struct rmtctl_cmd rmtctl_model_cmds[];
extern const struct rmtctl_cmd rmtctl_ctxmap_cmds[];
extern const struct rmtctl_cmd rmtctl_hook_cmds[];
extern const struct rmtctl_cmd rmtctl_stats_cmds[];
extern const struct rmtctl_cmd rmtctl_monitor_cmds[];
extern const struct rmtctl_cmd rmtctl_batch_cmds[];
extern const struct rmtctl_cmd rmtctl_feature_cmds[];
extern const struct rmtctl_cmd rmtctl_policy_cmds[];
extern const struct rmtctl_cmd rmtctl_trace_cmds[];

/* trace_record.c: rmtctl trace record, through rmt.ko's debugfs */
int rmtctl_trace_record(struct rmtctl *ctl, int argc, char **argv);

/* prog.c: reading programs from assembly or test images */
int rmtctl_load_program(struct rmtctl *ctl, const char *path, struct rmt_op *op,
			struct rmtctl_keep *keep);
int rmtctl_load_model(struct rmtctl *ctl, const char *path, struct rmt_op *op,
		      struct rmtctl_keep *keep);

/* prog_dump.c: prog dump jited|xlated NAME */
int rmtctl_prog_dump(struct rmtctl *ctl, int argc, char **argv);

/* x86_vex.c: VEX and EVEX instructions capstone 4 does not know */
u32 rmtctl_x86_vex(const u8 *p, size_t left, char *text, size_t size);

#endif /* _RMTCTL_H */
