/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trace files (uapi/linux/rmt_trace.h, docs/trace-format.md): writing
 * them, and reading them strictly.  A reader refuses a file that is
 * truncated, has another magic number or version, disagrees with itself
 * on its field count, or holds another number of records than its
 * header says, with a message naming the file and what is wrong.
 */
#ifndef _RMT_TRACE_FILE_H
#define _RMT_TRACE_FILE_H

#include <stdio.h>

#include "compat.h"
#include <linux/rmt_trace.h>

/**
 * struct rmt_trace_info - a trace's header, in host byte order
 * @version: format version (%RMT_TRACE_VERSION)
 * @hook: enum rmt_hook_id traced
 * @hook_name: its name
 * @nfields: context fields per sample
 * @fields: their names, in context order
 * @ncpus: CPU ids of the traced machine
 * @start_ns: CLOCK_REALTIME at the start
 * @duration_ns: how long the trace ran
 * @samples: samples in the file
 * @dropped: fires not recorded (full rings)
 */
struct rmt_trace_info {
	u32 version;
	u32 hook;
	char hook_name[RMT_TRACE_NAME_LEN];
	u32 nfields;
	char fields[RMT_TRACE_MAX_FIELDS][RMT_TRACE_NAME_LEN];
	u32 ncpus;
	u64 start_ns;
	u64 duration_ns;
	u64 samples;
	u64 dropped;
};

/**
 * struct rmt_trace_sample - one record, in host byte order
 * @time_ns: ns since the start
 * @verdict: a table's verdict, or %RMT_VERDICT_DEFAULT
 * @cpu: the CPU the hook ran on
 * @hook: enum rmt_hook_id
 * @nfields: context fields in @ctx
 * @flags: %RMT_TRACE_DECIDED or %RMT_TRACE_DEFAULT, maybe %RMT_TRACE_ERROR
 * @ctx: the context
 */
struct rmt_trace_sample {
	u64 time_ns;
	s64 verdict;
	u32 cpu;
	u32 hook;
	u32 nfields;
	u32 flags;
	s64 ctx[RMT_TRACE_MAX_FIELDS];
};

/**
 * struct rmt_trace_file - a trace file open for writing or reading
 * @f: the stream
 * @path: its name, for messages
 * @info: the header (a writer fills @samples as it goes)
 * @n: samples written or read so far
 */
struct rmt_trace_file {
	FILE *f;
	const char *path;
	struct rmt_trace_info info;
	u64 n;
};

size_t rmt_trace_header_len(u32 nfields);
size_t rmt_trace_record_len(u32 nfields);

int rmt_trace_check_sample(const struct rmt_trace_info *info,
			   const struct rmt_trace_sample *s, char *err,
			   size_t errlen);
int rmt_trace_decode_header(const void *buf, size_t len,
			    struct rmt_trace_info *info, char *err, size_t errlen);
void rmt_trace_encode_header(const struct rmt_trace_info *info, void *buf);
int rmt_trace_decode_record(const void *buf, bool le,
			    const struct rmt_trace_info *info,
			    struct rmt_trace_sample *s, char *err, size_t errlen);
void rmt_trace_encode_record(const struct rmt_trace_sample *s, void *buf);

int rmt_trace_create(struct rmt_trace_file *tf, const char *path,
		     const struct rmt_trace_info *info, char *err, size_t errlen);
int rmt_trace_write(struct rmt_trace_file *tf, const struct rmt_trace_sample *s,
		    char *err, size_t errlen);
int rmt_trace_finish(struct rmt_trace_file *tf, u64 duration_ns, u64 dropped,
		     char *err, size_t errlen);

int rmt_trace_open(struct rmt_trace_file *tf, const char *path, char *err,
		   size_t errlen);
int rmt_trace_next(struct rmt_trace_file *tf, struct rmt_trace_sample *s,
		   char *err, size_t errlen);

void rmt_trace_close(struct rmt_trace_file *tf);

#endif /* _RMT_TRACE_FILE_H */
