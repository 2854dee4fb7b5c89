// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl [OPTIONS] OBJECT COMMAND [ARGS]: the RMT control tool.
 *
 * Objects and commands match on unambiguous prefixes ("rmtctl t s" is
 * "table show").  -j prints JSON, -p pretty JSON; under either, errors
 * are JSON too; -s adds counters to shows.  Commands talk to rmt.ko over
 * netlink; without it (or with --embedded) they run the same core
 * in-process, and --state FILE keeps that backend's objects from one
 * invocation to the next.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rmtctl.h"

#define RMTCTL_VERSION	"0.2"

const struct rmtctl_object rmtctl_objects[] = {
	{ "table", rmtctl_table_cmds },
	{ "entry", rmtctl_entry_cmds },
	{ "prog", rmtctl_prog_cmds },
	{ "model", rmtctl_model_cmds },
	{ "ctxmap", rmtctl_ctxmap_cmds },
	{ "hook", rmtctl_hook_cmds },
	{ "stats", rmtctl_stats_cmds },
	{ "monitor", rmtctl_monitor_cmds },
	{ "batch", rmtctl_batch_cmds },
	{ "feature", rmtctl_feature_cmds },
	{ "policy", rmtctl_policy_cmds, 2 },	/* "p" stays "prog" */
	{ "trace", rmtctl_trace_cmds, 2 },	/* "t" stays "table" */
	{ NULL }
};

static void usage(FILE *out)
{
	const struct rmtctl_object *o;

	fprintf(out, "Usage: rmtctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       rmtctl OBJECT help\nOBJECT := {");
	for (o = rmtctl_objects; o->name; o++)
		fprintf(out, " %s%s", o->name, o[1].name ? " |" : " }\n");
	fprintf(out, "OPTIONS := { -j|--json | -p|--pretty | -s|--stats | -e|--embedded |\n"
		"             -S|--state FILE | -h|--help | -V|--version }\n");
}

int rmtctl_error(struct rmtctl *ctl, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "error", msg);
		if (ctl->batch_line)
			json_kv_uint(ctl->jw, "batch_line", ctl->batch_line);
		json_end_object(ctl->jw);
	} else if (ctl->batch_line) {
		fprintf(stderr, "rmtctl: batch line %u: %s\n", ctl->batch_line, msg);
	} else {
		fprintf(stderr, "rmtctl: %s\n", msg);
	}
	return code;
}

/* The source line of the instruction a refusal names, if we have it. */
static u32 error_line(const char *msg, const struct rmtctl_keep *keep)
{
	const char *p = keep ? strstr(msg, "insn ") : NULL;
	unsigned long insn;
	char *end;

	if (!p || !keep->source)
		return 0;
	insn = strtoul(p + 5, &end, 10);
	if (end == p + 5 || *end != ':' || insn >= keep->nlines)
		return 0;
	return keep->lines[insn];
}

/**
 * rmtctl_backend_error() - print a refusal from either backend
 * @ctl: tool state
 * @e: the refusal: errno, message, blamed attribute
 * @keep: what was loaded, to place "insn N" in its source
 *
 * Return: the exit code, RMTCTL_REJECTED.
 */
int rmtctl_backend_error(struct rmtctl *ctl, const struct rmtctl_error *e,
			 const struct rmtctl_keep *keep)
{
	u32 line = error_line(e->msg, keep);

	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "error", e->msg);
		json_kv_int(ctl->jw, "errno", -e->err);
		if (e->where[0])
			json_kv_string(ctl->jw, "attribute", e->where);
		if (line) {
			json_kv_string(ctl->jw, "file", keep->path);
			json_kv_uint(ctl->jw, "line", line);
		}
		json_end_object(ctl->jw);
		return RMTCTL_REJECTED;
	}
	if (line)
		fprintf(stderr, "%s:%u: error: %s\n", keep->path, line, e->msg);
	else
		fprintf(stderr, "rmtctl: Error: %s\n", e->msg);
	if (e->where[0])
		fprintf(stderr, "  attribute: %s\n", e->where);
	return RMTCTL_REJECTED;
}

void rmtctl_keep_release(struct rmtctl_keep *keep)
{
	int i;

	for (i = 0; i < keep->n; i++)
		free(keep->bufs[i]);
	free(keep->source);
	memset(keep, 0, sizeof(*keep));
}

const struct rmtctl_cmd *rmtctl_match(const struct rmtctl_cmd *cmds,
				      const char *word, bool *ambiguous)
{
	const struct rmtctl_cmd *hit = NULL, *c;
	size_t n = strlen(word);

	*ambiguous = false;
	for (c = cmds; c->name; c++) {
		if (!strcmp(c->name, word))
			return c;
		if (n && !strncmp(c->name, word, n)) {
			if (hit)
				*ambiguous = true;
			hit = c;
		}
	}
	return *ambiguous ? NULL : hit;
}

const struct rmtctl_object *rmtctl_match_object(const char *word, bool *ambiguous)
{
	const struct rmtctl_object *hit = NULL, *o;
	size_t n = strlen(word);

	*ambiguous = false;
	for (o = rmtctl_objects; o->name; o++) {
		if (!strcmp(o->name, word))
			return o;
		if (n && n >= o->min_prefix && !strncmp(o->name, word, n)) {
			if (hit)
				*ambiguous = true;
			hit = o;
		}
	}
	return *ambiguous ? NULL : hit;
}

/* Whether write commands are journalled to the --state file. */
bool rmtctl_journalling(const struct rmtctl *ctl)
{
	return ctl->state && !ctl->quiet && ctl->be == &rmtctl_embedded_backend;
}

/**
 * rmtctl_save_state_argv() - journal a command line other than our own
 * @ctl: tool state
 * @argc: words of the command (OBJECT COMMAND ARGS)
 * @argv: the words; those naming regular files are made absolute
 *
 * For commands whose replay must not read what the user named (policy
 * apply journals a snapshot of the policy it applied).
 */
void rmtctl_save_state_argv(struct rmtctl *ctl, int argc, char **argv)
{
	FILE *f;
	int i;

	if (!rmtctl_journalling(ctl))
		return;
	f = fopen(ctl->state, "a");
	if (!f)
		return;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		char *abs = NULL;
		struct stat st;

		/* files named by the command must be found from anywhere */
		if (!stat(arg, &st) && S_ISREG(st.st_mode))
			abs = realpath(arg, NULL);
		fprintf(f, "%s'%s'", i ? " " : "", abs ? abs : arg);
		free(abs);
	}
	fputc('\n', f);
	fclose(f);
}

void rmtctl_save_state(struct rmtctl *ctl)
{
	rmtctl_save_state_argv(ctl, ctl->argc0, ctl->argv0);
}

static void print_commit(struct rmtctl *ctl, const struct rmt_op *ops, u32 n,
			 u64 gen)
{
	static const char *const kinds[] = {
		[RMT_CMD_TABLE_NEW] = "table", [RMT_CMD_ENTRY_NEW] = "entry",
		[RMT_CMD_PROG_NEW] = "prog", [RMT_CMD_MODEL_NEW] = "model",
		[RMT_CMD_CTXMAP_NEW] = "ctxmap",
	};
	bool added = n == 1 && ops[0].out_handle;

	if (ctl->jw) {
		json_start_object(ctl->jw);
		if (added)
			json_kv_uint(ctl->jw, "handle", ops[0].out_handle);
		if (n > 1)
			json_kv_uint(ctl->jw, "operations", n);
		json_kv_uint(ctl->jw, "generation", gen);
		json_end_object(ctl->jw);
	} else if (added) {
		/* an entry has no name: its table's stands there */
		printf("%s %s handle %llu generation %llu\n", kinds[ops[0].cmd],
		       ops[0].name,
		       (unsigned long long)ops[0].out_handle,
		       (unsigned long long)gen);
	} else {
		printf("committed %u operation%s, generation %llu\n", n,
		       n == 1 ? "" : "s", (unsigned long long)gen);
	}
}

/**
 * rmtctl_commit() - apply write operations through the backend
 * @ctl: tool state
 * @ops: the operations (one command, or a batch)
 * @n: how many
 * @keep: what they point into, and the source for locating errors
 *
 * Return: exit code.
 */
int rmtctl_commit(struct rmtctl *ctl, struct rmt_op *ops, u32 n,
		  struct rmtctl_keep *keep)
{
	struct rmtctl_error e = { 0 };
	u64 gen = 0;
	int ret = rmtctl_backend(ctl);

	if (ret)
		return ret;
	if (ctl->be->commit(ctl->be_priv, ops, n, &gen, &e))
		return rmtctl_backend_error(ctl, &e, keep);
	rmtctl_save_state(ctl);
	print_commit(ctl, ops, n, gen);
	return RMTCTL_OK;
}

static int run_command(struct rmtctl *ctl, int argc, char **argv);

/* Bring the embedded backend back to where earlier invocations left it. */
static int replay_state(struct rmtctl *ctl)
{
	char *line = NULL, *argv[64];
	struct json_writer *jw;
	size_t len = 0;
	int out, null, ret = 0, argc;
	FILE *f = fopen(ctl->state, "r");

	if (!f)
		return 0;
	fflush(stdout);
	out = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	dup2(null, STDOUT_FILENO);
	ctl->quiet = true;
	jw = ctl->jw;		/* replayed commands print nothing, JSON neither */
	ctl->jw = NULL;
	while (!ret && getline(&line, &len, f) > 0) {
		argc = rmtctl_tokenize(line, argv, 64);
		if (argc)
			ret = run_command(ctl, argc, argv);
	}
	ctl->quiet = false;
	ctl->jw = jw;
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	close(null);
	free(line);
	fclose(f);
	if (ret)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "replaying %s failed", ctl->state);
	return 0;
}

/**
 * rmtctl_backend() - open the backend on first use
 * @ctl: tool state
 *
 * Return: 0 or an exit code.
 */
int rmtctl_backend(struct rmtctl *ctl)
{
	int err = -ENOENT;

	if (ctl->be)
		return 0;
	if (!ctl->want_embedded) {
		ctl->be_priv = rmtctl_netlink_open(&err);
		if (ctl->be_priv) {
			ctl->be = &rmtctl_netlink_backend;
			return 0;
		}
		if (err != -ENOENT)
			return rmtctl_error(ctl, RMTCTL_SYSERR, "netlink: %s",
					    strerror(-err));
		fprintf(stderr, "rmtctl: rmt.ko is not loaded; using the embedded backend\n");
	}
	ctl->be_priv = rmtctl_embedded_open();
	if (!ctl->be_priv)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	ctl->be = &rmtctl_embedded_backend;
	return ctl->state ? replay_state(ctl) : 0;
}

/* An object's only command, run without its name. */
static int dispatch_one(struct rmtctl *ctl, const struct rmtctl_cmd *c,
			int argc, char **argv)
{
	return c->fn(ctl, argc, argv);
}

static int dispatch(struct rmtctl *ctl, const struct rmtctl_object *obj,
		    int argc, char **argv)
{
	const struct rmtctl_cmd *c;
	struct rmtctl_keep keep = { 0 };
	struct rmt_op op;
	bool amb;
	int ret;

	if (argc < 1 && !obj->cmds[1].name)	/* "rmtctl monitor" */
		return dispatch_one(ctl, obj->cmds, argc, argv);
	if (argc < 1 || !strcmp(argv[0], "help")) {
		FILE *out = argc < 1 ? stderr : stdout;

		fprintf(out, "Usage:\n");
		for (c = obj->cmds; c->name; c++)
			fprintf(out, "  rmtctl %s %s%s%s\n", obj->name, c->name,
				c->usage[0] ? " " : "", c->usage);
		return argc < 1 ? RMTCTL_USAGE : RMTCTL_OK;
	}
	c = rmtctl_match(obj->cmds, argv[0], &amb);
	if (!c && !amb && !obj->cmds[1].name) {	/* sole command: "batch -f F" */
		c = obj->cmds;
		argc++;
		argv--;
	}
	if (!c)
		return rmtctl_error(ctl, RMTCTL_USAGE, "%s command '%s' for %s; try 'rmtctl %s help'",
				    amb ? "ambiguous" : "unknown", argv[0],
				    obj->name, obj->name);
	if (c->fn)
		return c->fn(ctl, argc - 1, argv + 1);
	memset(&op, 0, sizeof(op));
	ret = c->build(ctl, argc - 1, argv + 1, &op, &keep);
	if (!ret)
		ret = rmtctl_commit(ctl, &op, 1, &keep);
	rmtctl_keep_release(&keep);
	return ret;
}

static int run_command(struct rmtctl *ctl, int argc, char **argv)
{
	const struct rmtctl_object *obj;
	bool amb;

	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return RMTCTL_OK;
	}
	obj = rmtctl_match_object(argv[0], &amb);
	if (!obj)
		return rmtctl_error(ctl, RMTCTL_USAGE, "%s object '%s'",
				    amb ? "ambiguous" : "unknown", argv[0]);
	return dispatch(ctl, obj, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "embedded", no_argument, NULL, 'e' },
		{ "stats", no_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct rmtctl ctl = { 0 };
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+jpesS:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			ctl.pretty = true;
			fallthrough;
		case 'j':
			ctl.json = true;
			break;
		case 'e':
			ctl.want_embedded = true;
			break;
		case 's':
			ctl.stats = true;
			break;
		case 'S':
			ctl.state = optarg;
			break;
		case 'h':
			usage(stdout);
			return RMTCTL_OK;
		case 'V':
			printf("rmtctl %s\n", RMTCTL_VERSION);
			return RMTCTL_OK;
		default:
			usage(stderr);
			return RMTCTL_USAGE;
		}
	}
	if (ctl.json)
		ctl.jw = json_new(stdout, ctl.pretty);
	ctl.argc0 = argc - optind;
	ctl.argv0 = argv + optind;
	if (optind >= argc) {
		usage(stderr);
		ret = RMTCTL_USAGE;
	} else {
		ret = run_command(&ctl, argc - optind, argv + optind);
	}
	json_destroy(ctl.jw);
	if (ctl.be)
		ctl.be->close(ctl.be_priv);
	return ret;
}
