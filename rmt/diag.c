// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics: recording a rejection and printing it the same way in the
 * kernel log, in rmtctl and in the compiler.
 */
#include "core.h"


static const char *const rmt_err_hints[__RMT_E_MAX] = {
#define __RMT_ERR_HINT(name, hint) [RMT_E_##name] = hint,
	RMT_ERRORS(__RMT_ERR_HINT)
#undef __RMT_ERR_HINT
};

static const char *const rmt_err_names[__RMT_E_MAX] = {
#define __RMT_ERR_NAME(name, hint) [RMT_E_##name] = #name,
	RMT_ERRORS(__RMT_ERR_NAME)
#undef __RMT_ERR_NAME
};

void rmt_diag_clear(struct rmt_diag *diag)
{
	diag->code = RMT_OK;
	diag->prog = -1;
	diag->insn = -1;
	diag->msg[0] = '\0';
}

/**
 * rmt_diag_set() - record a rejection; the first one wins
 * @diag: where to record it (may be NULL)
 * @code: enum rmt_err
 * @insn: instruction index, or -1
 * @fmt: printf format of the title with its details
 */
void rmt_diag_set(struct rmt_diag *diag, int code, int insn,
		  const char *fmt, ...)
{
	va_list ap;

	if (!diag || diag->code != RMT_OK)
		return;
	diag->code = code;
	diag->insn = insn;
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
}

const char *rmt_diag_hint(int code)
{
	if (code <= RMT_OK || code >= __RMT_E_MAX)
		return "";
	return rmt_err_hints[code];
}

const char *rmt_diag_name(int code)
{
	if (code <= RMT_OK || code >= __RMT_E_MAX)
		return "OK";
	return rmt_err_names[code];
}

/**
 * rmt_diag_format() - "prog P: insn N: title\n  hint: fix"
 * @diag: the rejection
 * @buf: output buffer
 * @size: its size
 *
 * Return: characters written, as snprintf().
 */
int rmt_diag_format(const struct rmt_diag *diag, char *buf, size_t size)
{
	char where[32] = "";
	int n = 0;

	if (diag->prog > 0)
		n = snprintf(where, sizeof(where), "prog %d: ", diag->prog);
	if (diag->insn >= 0)
		snprintf(where + n, sizeof(where) - n, "insn %d: ", diag->insn);
	return snprintf(buf, size, "%s%s\n  hint: %s", where, diag->msg,
			rmt_diag_hint(diag->code));
}
