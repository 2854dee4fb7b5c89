// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading model weights trained elsewhere.  Two formats:
 *
 *   CSV   one row per line; integers in C syntax separated by commas
 *         and/or blanks; '#' starts a comment; blank lines are skipped.
 *   .npy  NumPy's format, version 1.x or 2.x: dtype '|i1' or '<i2',
 *         fortran_order False, a shape of (rows, cols) or (n,) for a
 *         vector (one column).
 *
 * The caller names the shape the policy declares and the value range of
 * the element type; anything else is refused with a message that says
 * what was found.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weights.h"

static int rmtc_werr(char *err, unsigned int len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rmtc_werr(char *err, unsigned int len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *rmtc_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = n;
		}
	}
	fclose(f);
	return buf;
}

static int rmtc_csv(const char *path, char *text, unsigned int rows,
		    unsigned int cols, int64_t lo, int64_t hi,
		    struct rmtc_weights *w, char *err, unsigned int elen)
{
	unsigned int line = 0, n = 0, r = 0, c, cap = 0;
	char *p = text, *end;

	while (*p) {
		char *eol = strchr(p, '\n');

		line++;
		if (eol)
			*eol = '\0';
		if (strchr(p, '#'))
			*strchr(p, '#') = '\0';
		for (c = 0;; c++) {
			long long v;

			while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r')
				p++;
			if (!*p)
				break;
			errno = 0;
			v = strtoll(p, &end, 0);
			if (end == p || errno)
				return rmtc_werr(err, elen, "%s:%u: '%.*s' is not an integer",
						 path, line, (int)strcspn(p, " ,\t"), p);
			if (v < lo || v > hi)
				return rmtc_werr(err, elen, "%s:%u: %lld is outside %lld..%lld",
						 path, line, v, (long long)lo, (long long)hi);
			if (n == cap) {
				int64_t *nv = realloc(w->v, (cap = cap * 2 + 64) * sizeof(*nv));

				if (!nv)
					return rmtc_werr(err, elen, "out of memory");
				w->v = nv;
			}
			w->v[n++] = v;
			p = end;
		}
		if (c) {
			if (r == 0)
				w->cols = c;
			else if (c != w->cols)
				return rmtc_werr(err, elen, "%s:%u: %u values; the rows before have %u",
						 path, line, c, w->cols);
			r++;
		}
		p = eol ? eol + 1 : p + strlen(p);
	}
	w->rows = r;
	return 0;
}

/* The value of 'key': in a .npy header dictionary, or NULL. */
static const char *rmtc_npy_field(const char *hdr, const char *key)
{
	const char *p = strstr(hdr, key);

	if (!p)
		return NULL;
	p = strchr(p + strlen(key), ':');
	if (!p)
		return NULL;
	for (p++; *p == ' '; p++)
		;
	return p;
}

static int rmtc_npy(const char *path, const unsigned char *buf, size_t len,
		    int64_t lo, int64_t hi, struct rmtc_weights *w, char *err,
		    unsigned int elen)
{
	size_t hlen, off, esize, n, i;
	const char *d, *f, *s;
	char hdr[1024];
	unsigned long a = 0, b = 1;

	if (len < 10 || buf[6] < 1 || buf[6] > 3)
		return rmtc_werr(err, elen, "%s: not a NumPy .npy file of version 1 to 3", path);
	hlen = buf[6] == 1 ? buf[8] | (buf[9] << 8) :
	       buf[8] | (buf[9] << 8) | ((size_t)buf[10] << 16) | ((size_t)buf[11] << 24);
	off = buf[6] == 1 ? 10 : 12;
	if (off + hlen > len || hlen >= sizeof(hdr))
		return rmtc_werr(err, elen, "%s: truncated .npy header", path);
	memcpy(hdr, buf + off, hlen);
	hdr[hlen] = '\0';
	d = rmtc_npy_field(hdr, "'descr'");
	f = rmtc_npy_field(hdr, "'fortran_order'");
	s = rmtc_npy_field(hdr, "'shape'");
	if (!d || !f || !s || *s != '(')
		return rmtc_werr(err, elen, "%s: .npy header lacks descr, fortran_order or shape", path);
	if (!strncmp(d, "'|i1'", 5) || !strncmp(d, "'i1'", 4))
		esize = 1;
	else if (!strncmp(d, "'<i2'", 5))
		esize = 2;
	else
		return rmtc_werr(err, elen, "%s: dtype %.6s; weights are int8 ('|i1') or int16 ('<i2')",
				 path, d);
	if (strncmp(f, "False", 5))
		return rmtc_werr(err, elen, "%s: fortran_order arrays are not read; save in C order", path);
	if (sscanf(s, "(%lu, %lu)", &a, &b) != 2 && sscanf(s, "(%lu,)", &a) != 1)
		return rmtc_werr(err, elen, "%s: shape %.20s; weights have one or two dimensions",
				 path, s);
	n = (size_t)a * b;
	if (off + hlen + n * esize != len)
		return rmtc_werr(err, elen, "%s: %zu data bytes; shape %lux%lu needs %zu",
				 path, len - off - hlen, a, b, n * esize);
	w->v = calloc(n ? n : 1, sizeof(*w->v));
	if (!w->v)
		return rmtc_werr(err, elen, "out of memory");
	for (i = 0; i < n; i++) {
		const unsigned char *e = buf + off + hlen + i * esize;
		int64_t v = esize == 1 ? (int8_t)e[0] : (int16_t)(e[0] | (e[1] << 8));

		if (v < lo || v > hi)
			return rmtc_werr(err, elen, "%s: value %lld at %zu is outside %lld..%lld",
					 path, (long long)v, i, (long long)lo, (long long)hi);
		w->v[i] = v;
	}
	w->rows = a;
	w->cols = b;
	return 0;
}

/**
 * rmtc_weights_read() - values for a rows x cols tensor from a file
 * @path: a .npy file, or CSV otherwise
 * @rows: rows the policy declares, or 0 for any
 * @cols: columns the policy declares (1 for a bias vector), or 0 for any
 * @lo: smallest value the element type holds
 * @hi: largest
 * @w: receives the values (free w->v)
 * @err: receives the reason on failure
 * @errlen: its size
 *
 * Return: 0, or -errno with @err set (a missing file, a malformed one,
 * or one whose shape differs from rows x cols).
 */
int rmtc_weights_read(const char *path, unsigned int rows, unsigned int cols,
		      int64_t lo, int64_t hi, struct rmtc_weights *w,
		      char *err, unsigned int errlen)
{
	size_t len = 0, plen = strlen(path);
	char *buf = rmtc_slurp(path, &len);
	int ret;

	memset(w, 0, sizeof(*w));
	if (!buf)
		return rmtc_werr(err, errlen, "cannot read weights file '%s': %s", path,
				 strerror(errno));
	if (plen > 4 && !strcmp(path + plen - 4, ".npy"))
		ret = rmtc_npy(path, (unsigned char *)buf, len, lo, hi, w, err, errlen);
	else
		ret = rmtc_csv(path, buf, rows, cols, lo, hi, w, err, errlen);
	free(buf);
	if (!ret && !w->rows)
		ret = rmtc_werr(err, errlen, "%s holds no values", path);
	if (!ret && ((rows && w->rows != rows) || (cols && w->cols != cols)))
		ret = rmtc_werr(err, errlen, "%s holds %ux%u values; the layer needs %ux%u",
				path, w->rows, w->cols, rows, cols);
	if (ret) {
		free(w->v);
		w->v = NULL;
	}
	return ret;
}
