/* SPDX-License-Identifier: GPL-2.0-only */
/* rmtctl: shared declarations of the command-line tool. */
#ifndef _RMTCTL_H
#define _RMTCTL_H

#include <stdbool.h>

#include "json.h"

/* Exit codes scripts can rely on. */
enum {
	RMTCTL_OK = 0,
	RMTCTL_REJECTED = 1,	/* input refused: verifier, assembler, kernel */
	RMTCTL_USAGE = 2,	/* bad command line */
	RMTCTL_SYSERR = 3,	/* I/O or memory failure */
};

struct rmtctl {
	bool json;
	bool pretty;
	struct json_writer *jw;		/* NULL unless json */
};

struct rmtctl_cmd {
	const char *name;
	int (*fn)(struct rmtctl *ctl, int argc, char **argv);
	const char *usage;
};

int rmtctl_dispatch(struct rmtctl *ctl, const char *object,
		    const struct rmtctl_cmd *cmds, int argc, char **argv);
int rmtctl_error(struct rmtctl *ctl, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int do_prog(struct rmtctl *ctl, int argc, char **argv);

#endif /* _RMTCTL_H */
