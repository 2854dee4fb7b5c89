// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtc: the RMT policy compiler.
 *
 *   rmtc [-o OUT.o] [-S] [-c] [--no-verify] FILE.rmt
 *
 * Compiles a policy into an ELF object (default: FILE.o), verifying
 * every action with the same verifier rmt.ko runs.  -S prints RMT
 * assembly instead; -c only checks.  Errors are printed as
 * file:line:col with the source line; exit status 1 if any.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "rmtc.h"
#include "core.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rmtc [-o OUT.o] [-S] [-c] [--no-verify] [--stats] FILE.rmt\n"
		"  -o FILE      write the object here (default: FILE.rmt with .o)\n"
		"  -S           print RMT assembly on stdout instead of an object\n"
		"  -c           check only: compile and verify, write nothing\n"
		"  --no-verify  skip the verifier (objects for tests of the loader)\n"
		"  --stats      print each action's size and verifier cost\n");
}

static char *default_output(const char *in)
{
	size_t n = strlen(in);
	char *out = malloc(n + 3);

	if (!out)
		abort();
	strcpy(out, in);
	if (n > 4 && !strcmp(out + n - 4, ".rmt"))
		out[n - 4] = '\0';
	strcat(out, ".o");
	return out;
}

static void print_stats(const struct rmtc_policy *pol, FILE *out)
{
	u32 i;

	fprintf(out, "%-24s %-24s %6s %10s %10s\n", "action", "hook", "insns",
		"cost", "budget");
	for (i = 0; i < pol->nprogs; i++) {
		const struct rmt_op *op = &pol->ops[pol->progs[i].op];

		fprintf(out, "%-24s %-24s %6u %10llu %10llu\n", op->name,
			rmt_hook_schema(op->prog.hook)->name, op->prog.len,
			(unsigned long long)pol->progs[i].cost,
			(unsigned long long)rmt_hook_schema(op->prog.hook)->budget);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool asm_out = false, check = false, verify = true, stats = false;
	struct rmtc_diags *diags = calloc(1, sizeof(*diags));
	struct rmtc_policy pol;
	char *out = NULL, err[256];
	int c, ret = 0;

	if (!diags)
		abort();
	while ((c = getopt_long(argc, argv, "o:Sch", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = strdup(optarg); break;
		case 'S': asm_out = true; break;
		case 'c': check = true; break;
		case 'V': verify = false; break;
		case 's': stats = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (rmtc_compile_file(argv[optind], &pol, diags) ||
	    (verify && rmtc_policy_check(&pol, diags))) {
		rmtc_diags_print(diags, stderr);
		ret = 1;
		goto out;
	}
	if (stats)
		print_stats(&pol, stdout);
	if (asm_out) {
		rmtc_policy_print_asm(&pol, stdout);
	} else if (!check) {
		if (!out)
			out = default_output(argv[optind]);
		if (rmtc_object_write(&pol, out, err, sizeof(err))) {
			fprintf(stderr, "rmtc: %s\n", err);
			ret = 1;
		}
	}
out:
	rmtc_policy_release(&pol);
	rmtc_diags_release(diags);
	free(diags);
	free(out);
	return ret;
}
