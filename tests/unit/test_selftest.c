// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the core self-test table (rmt/selftest.c) in user space.  rmt.ko
 * runs the same table at load; tests/kernel compares the two reports.
 */
#include <stdarg.h>
#include <stdio.h>

#include "core.h"

static void report(void *arg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int main(void)
{
	return rmt_selftest_run(report, NULL) ? 1 : 0;
}
