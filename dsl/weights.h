/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Model weights from files: CSV (one row per line, integers separated by
 * commas or blanks) or NumPy .npy (int8 or int16, C order, one or two
 * dimensions), checked against the shape the policy declares.
 */
#ifndef _RMTC_WEIGHTS_H
#define _RMTC_WEIGHTS_H

#include <stdint.h>

/**
 * struct rmtc_weights - values read from a file
 * @v: rows * cols values, row-major (free())
 * @rows: rows found
 * @cols: columns found
 */
struct rmtc_weights {
	int64_t *v;
	unsigned int rows;
	unsigned int cols;
};

int rmtc_weights_read(const char *path, unsigned int rows, unsigned int cols,
		      int64_t lo, int64_t hi, struct rmtc_weights *w,
		      char *err, unsigned int errlen);

#endif /* _RMTC_WEIGHTS_H */
