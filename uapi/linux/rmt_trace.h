/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * RMT hook traces: what a hook point saw (its context), what its tables
 * said (the verdict) and how that turned out (decided, kept the kernel's
 * behaviour, failed), one record per fire, for training policies offline
 * and replaying them.
 *
 * rmt.ko streams records (struct rmt_trace_rec, in the host's byte order)
 * through debugfs rmt/trace; rmtctl trace record writes them to a trace
 * file: a struct rmt_trace_hdr, the hook's field names, then the records,
 * all little-endian.  docs/trace-format.md describes both.
 */
#ifndef _UAPI_LINUX_RMT_TRACE_H
#define _UAPI_LINUX_RMT_TRACE_H

#include <linux/types.h>
#include <linux/rmt.h>

#define RMT_TRACE_MAGIC		0x54544d52	/* "RMTT" */
#define RMT_TRACE_VERSION	1
#define RMT_TRACE_NAME_LEN	RMT_NAME_MAX	/* bytes per name, NUL padded */
#define RMT_TRACE_MAX_FIELDS	RMT_MAX_CTX_FIELDS

/**
 * struct rmt_trace_hdr - the start of a trace file (88 bytes)
 * @magic: %RMT_TRACE_MAGIC, the bytes "RMTT"
 * @version: %RMT_TRACE_VERSION; a reader refuses any other
 * @hdr_len: bytes before the first record: this header and the field
 *	names, sizeof(struct rmt_trace_hdr) + @nfields * %RMT_TRACE_NAME_LEN
 * @hook: the hook point traced, &enum rmt_hook_id
 * @nfields: context fields per record, 1 to %RMT_TRACE_MAX_FIELDS
 * @record_len: bytes per record, sizeof(struct rmt_trace_rec) +
 *	8 * @nfields
 * @ncpus: CPU ids of the traced machine (nr_cpu_ids): every record's
 *	@cpu is below it
 * @start_ns: when tracing started, CLOCK_REALTIME nanoseconds
 * @duration_ns: how long it ran; every record's @time_ns is at most this
 * @samples: records that follow the names; the file ends with the last
 * @dropped: fires that found their CPU's ring full and were not
 *	recorded; a trace with drops is incomplete, never silently so
 * @hook_name: the hook point's name (as rmtctl hook show lists it), NUL
 *	padded
 *
 * The header is followed by @nfields names of %RMT_TRACE_NAME_LEN bytes,
 * each NUL-terminated and NUL padded, in context order (the hook's
 * RMT_<HOOK>_FIELDS() list when it was recorded), so that a trace
 * describes itself, then by @samples records of @record_len bytes.
 */
struct rmt_trace_hdr {
	__u32	magic;
	__u16	version;
	__u16	hdr_len;
	__u32	hook;
	__u32	nfields;
	__u32	record_len;
	__u32	ncpus;
	__u64	start_ns;
	__u64	duration_ns;
	__u64	samples;
	__u64	dropped;
	char	hook_name[RMT_TRACE_NAME_LEN];
};

/*
 * The outcome of one fire, in struct rmt_trace_rec @flags.  Exactly one of
 * DECIDED and DEFAULT is set; ERROR may come with either.
 */
#define RMT_TRACE_DECIDED	(1u << 0)	/* a table gave @verdict */
#define RMT_TRACE_DEFAULT	(1u << 1)	/* none did: the kernel's behaviour */
#define RMT_TRACE_ERROR		(1u << 2)	/* an action failed or overran */
#define RMT_TRACE_FLAGS		(RMT_TRACE_DECIDED | RMT_TRACE_DEFAULT | \
				 RMT_TRACE_ERROR)

/**
 * struct rmt_trace_rec - one fire of the hook point (24 bytes + context)
 * @time_ns: nanoseconds since the trace started (CLOCK_MONOTONIC)
 * @verdict: the verdict a table gave, with %RMT_TRACE_DECIDED; else
 *	%RMT_VERDICT_DEFAULT
 * @cpu: the CPU the hook ran on
 * @hook: the hook point, as struct rmt_trace_hdr @hook
 * @nfields: context fields that follow, as struct rmt_trace_hdr @nfields
 * @flags: %RMT_TRACE_DECIDED or %RMT_TRACE_DEFAULT, maybe with
 *	%RMT_TRACE_ERROR
 * @ctx: the context after the tables ran: what the hook filled in, and
 *	the fields an action wrote (a readahead verdict's offsets)
 *
 * Records of one CPU are in time order; records of different CPUs are
 * not ordered with each other (sort by @time_ns for a global order).
 */
struct rmt_trace_rec {
	__u64	time_ns;
	__s64	verdict;
	__u32	cpu;
	__u16	hook;
	__u8	nfields;
	__u8	flags;
	__s64	ctx[];
};

#endif /* _UAPI_LINUX_RMT_TRACE_H */
