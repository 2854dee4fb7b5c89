// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook overhead benchmark: what a hook point adds to the kernel
 * function it probes, measured in rmt.ko in the QEMU guest
 * (hooks/bench.c, bench/hooks_guest.sh, through bench/run-hooks.sh).
 *
 * Rows (workload, impl), ns per call of rmt_bench_target(), a
 * noinline function of rmt.ko called in a loop:
 *
 *   call, plain: no probe on it
 *   call, kprobe: a kprobe with an empty pre-handler, the bare probe
 *	(the ratio column's baseline); kprobe-again: the same at the end
 *	of the boot, to show how far the baseline drifted
 *   call, hook-no-table: the hook's pre-handler with no table at the
 *	`test` hook (the cheap "any table?" test)
 *   call, hook-miss: a table with no entries and no default action
 *   call, hook-hit-empty: a table whose default action returns 0
 *   call, hook-hit-mlp: a table whose default action is the 15-32-32-2
 *	int8 MLP of examples/mlp-15-32-32-2.rasm
 *   mlp-15-32-32-2, interp-kernel: hook-hit-mlp minus hook-hit-empty,
 *	the MLP action's own cost per invocation in the kernel's
 *	interpreter
 *
 * Everything comes from one boot, so the ratios against the bare probe
 * compare like with like.  Set RMT_BENCH_NO_VM=1 to skip the guest.
 *
 * Usage: bench_hooks [OUTDIR]   writes OUTDIR/hooks.md and OUTDIR/hooks.json
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MAX_ROWS	16
#define NOTE_SIZE	4096

static const char hooks_note[] =
	"ns per call of rmt_bench_target(), a noinline function of rmt.ko, called in a loop "
	"in the QEMU guest (TCG emulation: compare rows of this table with each other, not "
	"with host figures). plain: no probe; kprobe: a kprobe with an empty pre-handler; "
	"hook-*: a kprobe whose pre-handler does what a hook point's does (any table? build "
	"the context, rmt_hook_run()) with, at the test hook, no table, a table that misses, "
	"one whose default action returns 0, one whose default action is the 15-32-32-2 "
	"int8 MLP, interpreted (hook-hit-mlp) or loaded with jit auto (hook-hit-mlp-jit). "
	"mlp-15-32-32-2 interp-kernel and jit-kernel: those minus hook-hit-empty, the MLP "
	"action alone. ns_lat: each call's argument is the previous "
	"call's result; ns_tput: independent arguments. Best of 7 runs of about 50 ms, "
	"timed with preemption off in chunks of 512 calls. The ratio is against the bare "
	"kprobe of the same boot; kprobe-again repeats it at the end. An action run reads the "
	"clock twice (the table's action-time counters): with an emulated clocksource (hpet "
	"under TCG) that is most of what hook-hit-empty adds to hook-miss.";

static struct bench_row rows[MAX_ROWS];
static char impls[MAX_ROWS][32];
static unsigned int nrows;
static char notes[NOTE_SIZE];

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	size_t len = strlen(notes);
	va_list ap;

	if (len + 3 >= sizeof(notes))
		return;
	len += snprintf(notes + len, sizeof(notes) - len, "\n- ");
	va_start(ap, fmt);
	vsnprintf(notes + len, sizeof(notes) - len, fmt, ap);
	va_end(ap);
}

static struct bench_row *find(const char *workload, const char *impl)
{
	unsigned int i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].workload, workload) && !strcmp(rows[i].impl, impl))
			return &rows[i];
	return NULL;
}

static void add_row(const char *workload, const char *impl, double lat,
		    double tput)
{
	if (nrows == MAX_ROWS || find(workload, impl))
		return;
	snprintf(impls[nrows], sizeof(impls[0]), "%s", impl);
	rows[nrows] = (struct bench_row){ workload, impls[nrows], lat, tput };
	nrows++;
}

/* Run bench/run-hooks.sh; take its "row", "note" and "skip" lines. */
static void guest_rows(const char *script, const char *build, const char *log)
{
	char cmd[4 * PATH_MAX], line[1024], impl[32];
	const char *no_vm = getenv("RMT_BENCH_NO_VM");
	double lat, tput;
	int status;
	FILE *p;

	if (no_vm && *no_vm) {
		note("guest rows skipped: RMT_BENCH_NO_VM is set");
		return;
	}
	if (access(script, R_OK)) {
		note("guest rows skipped: %s: %s", script, strerror(errno));
		return;
	}
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s' '%s'", script, build, log);
	fprintf(stderr, "bench_hooks: booting the guest (%s)\n", script);
	p = popen(cmd, "r");
	if (!p) {
		note("guest rows skipped: popen: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "skip ", 5))
			note("guest rows skipped: %s", line + 5);
		else if (!strncmp(line, "note ", 5))
			note("%s", line + 5);
		else if (sscanf(line, "row %31s %lf %lf", impl, &lat, &tput) == 3)
			add_row("call", impl, lat, tput);
	}
	status = pclose(p);
	if (status)
		note("%s failed (status %d): rows may be missing", script,
		     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* The MLP action alone: the hit with the MLP minus the empty hit. */
static void mlp_row(void)
{
	const struct bench_row *mlp = find("call", "hook-hit-mlp");
	const struct bench_row *jit = find("call", "hook-hit-mlp-jit");
	const struct bench_row *empty = find("call", "hook-hit-empty");

	if (mlp && empty)
		add_row("mlp-15-32-32-2", "interp-kernel", mlp->ns_lat - empty->ns_lat,
			mlp->ns_tput - empty->ns_tput);
	if (jit && empty)
		add_row("mlp-15-32-32-2", "jit-kernel", jit->ns_lat - empty->ns_lat,
			jit->ns_tput - empty->ns_tput);
}

/* The build directory: the parent of this program's. */
static void build_dir(char *buf, size_t size)
{
	ssize_t len = readlink("/proc/self/exe", buf, size - 1);
	char *slash;
	int up;

	if (len <= 0) {
		snprintf(buf, size, "build");
		return;
	}
	buf[len] = 0;
	for (up = 0; up < 2; up++) {
		slash = strrchr(buf, '/');
		if (slash)
			*slash = 0;
	}
}

int main(int argc, char **argv)
{
	const char *out = argc > 1 ? argv[1] : "build/bench";
	char build[PATH_MAX], script[PATH_MAX + 32], log[PATH_MAX + 32];
	static char text[sizeof(hooks_note) + NOTE_SIZE];
	struct bench_report r = {
		.suite = "hooks",
		.dir = out,
		.baseline = "kprobe",
		.ratio_title = "ratio /kprobe",
	};

	build_dir(build, sizeof(build));
	if (mkdir(out, 0755) && errno != EEXIST) {
		perror(out);
		return 1;
	}
	/* make runs us from the top of the tree */
	snprintf(script, sizeof(script), "bench/run-hooks.sh");
	if (access(script, R_OK))
		snprintf(script, sizeof(script), "%s/../bench/run-hooks.sh", build);
	snprintf(log, sizeof(log), "%s/hooks-guest.log", out);
	guest_rows(script, build, log);
	mlp_row();
	snprintf(text, sizeof(text), "%s%s", hooks_note, notes);
	r.note = text;
	r.rows = rows;
	r.nrows = nrows;
	return bench_report_write(&r) ? 1 : 0;
}
