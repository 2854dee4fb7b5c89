/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal KTAP output for the user-space unit tests: one "ok"/"not ok"
 * line per check, the plan at the end, exit status 0 only if all passed.
 */
#ifndef _RMT_TEST_KTAP_H
#define _RMT_TEST_KTAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int ktap_count, ktap_failed;

/* Put in front of every description, e.g. "[jit avx512] ". */
static const char *ktap_prefix = "";

static inline void ktap_begin(void)
{
	printf("KTAP version 1\n");
	fflush(stdout);
}

static inline __attribute__((format(printf, 2, 3)))
int ktap_check(int pass, const char *fmt, ...)
{
	va_list ap;

	ktap_count++;
	if (!pass)
		ktap_failed++;
	printf("%s %d %s", pass ? "ok" : "not ok", ktap_count, ktap_prefix);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

static inline __attribute__((format(printf, 1, 2)))
void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int ktap_end(void)
{
	printf("1..%d\n", ktap_count);
	return ktap_failed ? 1 : 0;
}

#endif /* _RMT_TEST_KTAP_H */
