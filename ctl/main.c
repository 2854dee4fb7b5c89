// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl [OPTIONS] OBJECT COMMAND [ARGS]: the RMT control tool.
 *
 * Objects and commands match on unambiguous prefixes ("rmtctl p v" is
 * "prog verify").  -j prints JSON, -p pretty JSON; under either, errors
 * are JSON too.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rmtctl.h"

#define RMTCTL_VERSION	"0.1"

static const struct rmtctl_cmd objects[] = {
	{ "prog", do_prog, "verify | run | asm | disasm" },
	{ "help", NULL, "" },
	{ NULL }
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: rmtctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       rmtctl OBJECT help\n"
		"OBJECT := { prog }\n"
		"OPTIONS := { -j|--json | -p|--pretty | -h|--help | -V|--version }\n");
}

/**
 * rmtctl_error() - report an error as text on stderr or JSON on stdout
 * @ctl: tool state
 * @code: exit code to return
 * @fmt: message
 *
 * Return: @code.
 */
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
		json_end_object(ctl->jw);
	} else {
		fprintf(stderr, "rmtctl: %s\n", msg);
	}
	return code;
}

/* Find @word among @cmds by exact name or unambiguous prefix. */
static const struct rmtctl_cmd *match(const struct rmtctl_cmd *cmds,
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

/**
 * rmtctl_dispatch() - run the command named by argv[0]
 * @ctl: tool state
 * @object: object name, for messages
 * @cmds: the object's command table, ending with a NULL name
 * @argc: arguments, starting at the command
 * @argv: arguments
 *
 * Return: the command's exit code.
 */
int rmtctl_dispatch(struct rmtctl *ctl, const char *object,
		    const struct rmtctl_cmd *cmds, int argc, char **argv)
{
	const struct rmtctl_cmd *c;
	bool ambiguous;

	if (argc < 1 || !strcmp(argv[0], "help")) {
		FILE *out = argc < 1 ? stderr : stdout;

		fprintf(out, "Usage:\n");
		for (c = cmds; c->name; c++)
			fprintf(out, "  rmtctl %s %s %s\n", object, c->name, c->usage);
		return argc < 1 ? RMTCTL_USAGE : RMTCTL_OK;
	}
	c = match(cmds, argv[0], &ambiguous);
	if (!c)
		return rmtctl_error(ctl, RMTCTL_USAGE, "%s command '%s' for %s; try 'rmtctl %s help'",
				    ambiguous ? "ambiguous" : "unknown", argv[0],
				    object, object);
	return c->fn(ctl, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct rmtctl ctl = { 0 };
	const struct rmtctl_cmd *obj;
	bool ambiguous;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+jphV", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			ctl.pretty = true;
			__attribute__((fallthrough));
		case 'j':
			ctl.json = true;
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
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return RMTCTL_USAGE;
	}
	obj = match(objects, argv[0], &ambiguous);
	if (obj && !obj->fn) {
		usage(stdout);
		ret = RMTCTL_OK;
	} else if (!obj) {
		ret = rmtctl_error(&ctl, RMTCTL_USAGE, "%s object '%s'",
				   ambiguous ? "ambiguous" : "unknown", argv[0]);
	} else {
		ret = obj->fn(&ctl, argc - 1, argv + 1);
	}
	json_destroy(ctl.jw);
	return ret;
}
