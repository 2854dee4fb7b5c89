// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model weights from CSV and NumPy .npy files: values read in order,
 * and each way a file can be wrong refused with its exact message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weights.h"
#include "ktap.h"

static char dir[] = "/tmp/rmtc-weights.XXXXXX";

static const char *put(const char *name, const void *data, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

/* A version-1 .npy file: magic, header dictionary, raw data. */
static const char *put_npy(const char *name, const char *dict, const void *data,
			   size_t len)
{
	unsigned char buf[512];
	size_t h = strlen(dict) + 1, n = 10;

	memcpy(buf, "\x93NUMPY\x01\x00", 8);
	buf[8] = h & 0xff;
	buf[9] = h >> 8;
	memcpy(buf + n, dict, h - 1);
	buf[n + h - 1] = '\n';
	memcpy(buf + n + h, data, len);
	return put(name, buf, n + h + len);
}

static void expect_err(const char *what, const char *path, unsigned int rows,
		       unsigned int cols, int64_t lo, int64_t hi, const char *want)
{
	struct rmtc_weights w;
	char err[256] = "", full[512];
	int ret = rmtc_weights_read(path, rows, cols, lo, hi, &w, err, sizeof(err));

	snprintf(full, sizeof(full), want, dir);
	if (!ktap_check(ret < 0 && !strcmp(err, full) && !w.v, "refused: %s", what))
		ktap_diag("got %d \"%s\", want \"%s\"", ret, err, full);
}

int main(void)
{
	static const signed char i8[] = { 1, -2, 3, 4, -128, 127 };
	static const unsigned char i16[] = { 0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f };
	struct rmtc_weights w;
	char err[256];
	const char *p;
	int ret;

	ktap_begin();
	if (!mkdtemp(dir))
		return 1;

	p = put("a.csv", "# layer 1\n1, -2, 0x3\n\n4 5,6\n", 28);
	ret = rmtc_weights_read(p, 2, 3, -128, 127, &w, err, sizeof(err));
	ktap_check(!ret && w.v[0] == 1 && w.v[1] == -2 && w.v[2] == 3 && w.v[5] == 6,
		   "CSV: 2x3 values in row order, comments and blank lines skipped");
	free(w.v);

	p = put_npy("a.npy", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }",
		    i8, sizeof(i8));
	ret = rmtc_weights_read(p, 2, 3, -128, 127, &w, err, sizeof(err));
	ktap_check(!ret && w.v[1] == -2 && w.v[4] == -128 && w.v[5] == 127,
		   "npy: int8 2x3, signed");
	free(w.v);

	p = put_npy("b.npy", "{'descr': '<i2', 'fortran_order': False, 'shape': (4,), }",
		    i16, sizeof(i16));
	ret = rmtc_weights_read(p, 4, 1, -32768, 32767, &w, err, sizeof(err));
	ktap_check(!ret && w.v[0] == 1 && w.v[1] == -1 && w.v[2] == -32768 &&
		   w.v[3] == 32767, "npy: int16 vector, little-endian, as 4x1");
	free(w.v);

	expect_err("missing file", "/nonexistent/w.csv", 2, 3, -128, 127,
		   "cannot read weights file '/nonexistent/w.csv': No such file or directory");
	expect_err("CSV of the wrong shape", put("s.csv", "1,2,3\n4,5,6\n7,8,9\n", 18),
		   2, 3, -128, 127, "%s/s.csv holds 3x3 values; the layer needs 2x3");
	expect_err("CSV with a short row", put("r.csv", "1,2,3\n4,5\n", 10), 2, 3,
		   -128, 127, "%s/r.csv:2: 2 values; the rows before have 3");
	expect_err("CSV value out of int8 range", put("v.csv", "1,200,3\n", 8), 1, 3,
		   -128, 127, "%s/v.csv:1: 200 is outside -128..127");
	expect_err("CSV with a word", put("x.csv", "1,two,3\n", 8), 1, 3, -128, 127,
		   "%s/x.csv:1: 'two' is not an integer");
	expect_err("npy of the wrong shape",
		   put_npy("s.npy", "{'descr': '|i1', 'fortran_order': False, 'shape': (3, 2), }",
			   i8, sizeof(i8)), 2, 3, -128, 127,
		   "%s/s.npy holds 3x2 values; the layer needs 2x3");
	expect_err("npy of floats",
		   put_npy("f.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
			   i8, 4), 1, 1, -128, 127,
		   "%s/f.npy: dtype '<f4',; weights are int8 ('|i1') or int16 ('<i2')");
	expect_err("npy in Fortran order",
		   put_npy("o.npy", "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }",
			   i8, sizeof(i8)), 2, 3, -128, 127,
		   "%s/o.npy: fortran_order arrays are not read; save in C order");
	expect_err("npy with missing data",
		   put_npy("t.npy", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }",
			   i8, 4), 2, 3, -128, 127,
		   "%s/t.npy: 4 data bytes; shape 2x3 needs 6");
	expect_err("not an npy file", put("n.npy", "hello", 5), 1, 1, -128, 127,
		   "%s/n.npy: not a NumPy .npy file of version 1 to 3");
	snprintf(err, sizeof(err), "rm -rf %s", dir);
	if (system(err))
		ktap_diag("could not remove %s", dir);
	return ktap_end();
}
