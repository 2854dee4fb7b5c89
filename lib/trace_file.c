// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace files: a struct rmt_trace_hdr, the field names, the records, all
 * little-endian (uapi/linux/rmt_trace.h).  The writer checks every sample
 * it is given as the reader will, so it never writes a file the reader
 * refuses; the reader checks everything it can before the first sample
 * (the header against itself, and the file's size against the header)
 * and each sample as it goes.
 */
#include <endian.h>
#include <stddef.h>
#include <sys/stat.h>

#include "trace_file.h"

_Static_assert(sizeof(struct rmt_trace_hdr) == 88, "trace header is 88 bytes");
_Static_assert(sizeof(struct rmt_trace_rec) == 24, "trace record is 24 bytes");

#define HDR(field)	offsetof(struct rmt_trace_hdr, field)
#define REC(field)	offsetof(struct rmt_trace_rec, field)
#define HDR_MAX		(sizeof(struct rmt_trace_hdr) + \
			 RMT_TRACE_MAX_FIELDS * RMT_TRACE_NAME_LEN)

size_t rmt_trace_header_len(u32 nfields)
{
	return sizeof(struct rmt_trace_hdr) + (size_t)nfields * RMT_TRACE_NAME_LEN;
}

size_t rmt_trace_record_len(u32 nfields)
{
	return sizeof(struct rmt_trace_rec) + (size_t)nfields * sizeof(s64);
}

/* ---- byte order: files are little-endian, rmt.ko's stream is native ---- */

static u64 get(const void *buf, size_t off, size_t size, bool le)
{
	const u8 *p = (const u8 *)buf + off;
	u16 v16;
	u32 v32;
	u64 v64;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&v16, p, 2);
		return le ? le16toh(v16) : v16;
	case 4:
		memcpy(&v32, p, 4);
		return le ? le32toh(v32) : v32;
	}
	memcpy(&v64, p, 8);
	return le ? le64toh(v64) : v64;
}

static void put(void *buf, size_t off, size_t size, u64 v)
{
	u8 *p = (u8 *)buf + off;
	u16 v16 = htole16((u16)v);
	u32 v32 = htole32((u32)v);
	u64 v64 = htole64(v);

	switch (size) {
	case 1:
		*p = (u8)v;
		break;
	case 2:
		memcpy(p, &v16, 2);
		break;
	case 4:
		memcpy(p, &v32, 4);
		break;
	default:
		memcpy(p, &v64, 8);
	}
}

#define GET_HDR(buf, f)	get(buf, HDR(f), sizeof(((struct rmt_trace_hdr *)0)->f), true)
#define PUT_HDR(buf, f, v) put(buf, HDR(f), sizeof(((struct rmt_trace_hdr *)0)->f), v)
#define GET_REC(buf, f, le) get(buf, REC(f), sizeof(((struct rmt_trace_rec *)0)->f), le)
#define PUT_REC(buf, f, v) put(buf, REC(f), sizeof(((struct rmt_trace_rec *)0)->f), v)

static int vfail(int code, char *err, size_t errlen, const char *fmt, va_list ap)
{
	vsnprintf(err, errlen, fmt, ap);
	return code;
}

/* A refusal: the file is not a valid trace.  Return: -EINVAL. */
static __printf(3, 4) int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(-EINVAL, err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* An I/O failure, with errno.  Return: -EIO. */
static __printf(3, 4) int ioerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(-EIO, err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* A name field: 1 to RMT_TRACE_NAME_LEN - 1 bytes, NUL padded. */
static bool name_ok(const char *p)
{
	size_t n = strnlen(p, RMT_TRACE_NAME_LEN), i;

	if (!n || n == RMT_TRACE_NAME_LEN)
		return false;
	for (i = n; i < RMT_TRACE_NAME_LEN; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- header ---- */

static int check_names(const char *names, struct rmt_trace_info *info,
		       char *err, size_t errlen)
{
	u32 i, j;

	for (i = 0; i < info->nfields; i++) {
		const char *p = names + (size_t)i * RMT_TRACE_NAME_LEN;

		if (!name_ok(p))
			return fail(err, errlen, "field %u: the name is not 1 to %d bytes, NUL padded",
				    i, RMT_TRACE_NAME_LEN - 1);
		memcpy(info->fields[i], p, RMT_TRACE_NAME_LEN);
		for (j = 0; j < i; j++)
			if (!strcmp(info->fields[j], info->fields[i]))
				return fail(err, errlen, "field %u: name '%s' repeats field %u",
					    i, p, j);
	}
	return 0;
}

/**
 * rmt_trace_decode_header() - read and check a trace file's header
 * @buf: the file's first bytes
 * @len: how many (the header and its names, or the whole file if shorter)
 * @info: receives the header
 * @err: receives why the header is refused
 * @errlen: room in @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int rmt_trace_decode_header(const void *buf, size_t len,
			    struct rmt_trace_info *info, char *err, size_t errlen)
{
	size_t want;
	u32 v;

	memset(info, 0, sizeof(*info));
	if (len < sizeof(struct rmt_trace_hdr))
		return fail(err, errlen, "truncated: %zu bytes, the header alone is %zu",
			    len, sizeof(struct rmt_trace_hdr));
	v = GET_HDR(buf, magic);
	if (v != RMT_TRACE_MAGIC)
		return fail(err, errlen, "not an RMT trace (magic 0x%08x, want 0x%08x \"RMTT\")",
			    v, RMT_TRACE_MAGIC);
	info->version = GET_HDR(buf, version);
	if (info->version != RMT_TRACE_VERSION)
		return fail(err, errlen, "trace format version %u; this build reads version %d",
			    info->version, RMT_TRACE_VERSION);
	info->hook = GET_HDR(buf, hook);
	info->nfields = GET_HDR(buf, nfields);
	info->ncpus = GET_HDR(buf, ncpus);
	info->start_ns = GET_HDR(buf, start_ns);
	info->duration_ns = GET_HDR(buf, duration_ns);
	info->samples = GET_HDR(buf, samples);
	info->dropped = GET_HDR(buf, dropped);
	if (!info->nfields || info->nfields > RMT_TRACE_MAX_FIELDS)
		return fail(err, errlen, "field count mismatch: %u fields, a hook has 1 to %d",
			    info->nfields, RMT_TRACE_MAX_FIELDS);
	want = rmt_trace_header_len(info->nfields);
	v = GET_HDR(buf, hdr_len);
	if (v != want)
		return fail(err, errlen, "field count mismatch: %u fields make a %zu-byte header, it says %u",
			    info->nfields, want, v);
	v = GET_HDR(buf, record_len);
	if (v != rmt_trace_record_len(info->nfields))
		return fail(err, errlen, "field count mismatch: %u fields make %zu-byte records, the header says %u",
			    info->nfields, rmt_trace_record_len(info->nfields), v);
	if (!info->ncpus)
		return fail(err, errlen, "the header says 0 CPUs");
	if (!name_ok((const char *)buf + HDR(hook_name)))
		return fail(err, errlen, "the hook name is not 1 to %d bytes, NUL padded",
			    RMT_TRACE_NAME_LEN - 1);
	memcpy(info->hook_name, (const char *)buf + HDR(hook_name), RMT_TRACE_NAME_LEN);
	if (len < want)
		return fail(err, errlen, "truncated: %zu bytes, the header and its %u field names are %zu",
			    len, info->nfields, want);
	return check_names((const char *)buf + sizeof(struct rmt_trace_hdr), info,
			   err, errlen);
}

/* A name into its NUL-padded field (rmt_trace_create() checks the length). */
static void put_name(void *buf, size_t off, const char *name)
{
	memcpy((char *)buf + off, name, strnlen(name, RMT_TRACE_NAME_LEN - 1));
}

/**
 * rmt_trace_encode_header() - a header as the file holds it
 * @info: the header
 * @buf: receives rmt_trace_header_len(@info->nfields) bytes
 */
void rmt_trace_encode_header(const struct rmt_trace_info *info, void *buf)
{
	u32 i;

	memset(buf, 0, rmt_trace_header_len(info->nfields));
	PUT_HDR(buf, magic, RMT_TRACE_MAGIC);
	PUT_HDR(buf, version, RMT_TRACE_VERSION);
	PUT_HDR(buf, hdr_len, rmt_trace_header_len(info->nfields));
	PUT_HDR(buf, hook, info->hook);
	PUT_HDR(buf, nfields, info->nfields);
	PUT_HDR(buf, record_len, rmt_trace_record_len(info->nfields));
	PUT_HDR(buf, ncpus, info->ncpus);
	PUT_HDR(buf, start_ns, info->start_ns);
	PUT_HDR(buf, duration_ns, info->duration_ns);
	PUT_HDR(buf, samples, info->samples);
	PUT_HDR(buf, dropped, info->dropped);
	put_name(buf, HDR(hook_name), info->hook_name);
	for (i = 0; i < info->nfields; i++)
		put_name(buf, rmt_trace_header_len(i), info->fields[i]);
}

/* ---- records ---- */

/**
 * rmt_trace_check_sample() - does a sample belong in a trace?
 * @info: the trace's header
 * @s: the sample
 * @err: receives why not
 * @errlen: room in @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int rmt_trace_check_sample(const struct rmt_trace_info *info,
			   const struct rmt_trace_sample *s, char *err,
			   size_t errlen)
{
	bool decided = s->flags & RMT_TRACE_DECIDED;

	if (s->hook != info->hook)
		return fail(err, errlen, "hook %u, the header says %u", s->hook, info->hook);
	if (s->nfields != info->nfields)
		return fail(err, errlen, "field count mismatch: %u fields, the header says %u",
			    s->nfields, info->nfields);
	if (s->flags & ~RMT_TRACE_FLAGS)
		return fail(err, errlen, "unknown flags 0x%x", s->flags);
	if (decided == !!(s->flags & RMT_TRACE_DEFAULT))
		return fail(err, errlen, "flags 0x%x: want exactly one of decided and default",
			    s->flags);
	if (decided ? s->verdict < 0 : s->verdict != RMT_VERDICT_DEFAULT)
		return fail(err, errlen, "verdict %lld with flags 0x%x", (long long)s->verdict,
			    s->flags);
	if (s->cpu >= info->ncpus)
		return fail(err, errlen, "cpu %u, the trace has %u", s->cpu, info->ncpus);
	if (info->duration_ns && s->time_ns > info->duration_ns)
		return fail(err, errlen, "time %llu ns, after the trace's end at %llu ns",
			    (unsigned long long)s->time_ns,
			    (unsigned long long)info->duration_ns);
	return 0;
}

/**
 * rmt_trace_decode_record() - read and check one record
 * @buf: rmt_trace_record_len(@info->nfields) bytes
 * @le: little-endian (a file); else native (rmt.ko's stream)
 * @info: the trace's header
 * @s: receives the sample
 * @err: receives why it is refused
 * @errlen: room in @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int rmt_trace_decode_record(const void *buf, bool le,
			    const struct rmt_trace_info *info,
			    struct rmt_trace_sample *s, char *err, size_t errlen)
{
	u32 i;

	memset(s, 0, sizeof(*s));
	s->time_ns = GET_REC(buf, time_ns, le);
	s->verdict = (s64)GET_REC(buf, verdict, le);
	s->cpu = GET_REC(buf, cpu, le);
	s->hook = GET_REC(buf, hook, le);
	s->nfields = GET_REC(buf, nfields, le);
	s->flags = GET_REC(buf, flags, le);
	if (s->nfields > RMT_TRACE_MAX_FIELDS)
		s->nfields = RMT_TRACE_MAX_FIELDS + 1;	/* refused below */
	else
		for (i = 0; i < s->nfields; i++)
			s->ctx[i] = (s64)get(buf, REC(ctx) + 8 * i, 8, le);
	return rmt_trace_check_sample(info, s, err, errlen);
}

/**
 * rmt_trace_encode_record() - a sample as the file holds it
 * @s: the sample
 * @buf: receives rmt_trace_record_len(@s->nfields) bytes
 */
void rmt_trace_encode_record(const struct rmt_trace_sample *s, void *buf)
{
	u32 i;

	PUT_REC(buf, time_ns, s->time_ns);
	PUT_REC(buf, verdict, (u64)s->verdict);
	PUT_REC(buf, cpu, s->cpu);
	PUT_REC(buf, hook, s->hook);
	PUT_REC(buf, nfields, s->nfields);
	PUT_REC(buf, flags, s->flags);
	for (i = 0; i < s->nfields; i++)
		put(buf, REC(ctx) + 8 * i, 8, (u64)s->ctx[i]);
}

/* ---- files ---- */

static int put_header(struct rmt_trace_file *tf, char *err, size_t errlen)
{
	u8 buf[HDR_MAX];
	size_t len = rmt_trace_header_len(tf->info.nfields);

	rmt_trace_encode_header(&tf->info, buf);
	if (fseek(tf->f, 0, SEEK_SET) || fwrite(buf, 1, len, tf->f) != len)
		return ioerr(err, errlen, "%s: cannot write: %s", tf->path, strerror(errno));
	return 0;
}

/**
 * rmt_trace_create() - start writing a trace file
 * @tf: the file
 * @path: where (replaced if it exists); it must be seekable
 * @info: the header; @samples is counted by rmt_trace_write(), and
 *	@duration_ns and @dropped are given to rmt_trace_finish()
 * @err: receives why not
 * @errlen: room in @err
 *
 * Return: 0, or a negative errno with @err set.
 */
int rmt_trace_create(struct rmt_trace_file *tf, const char *path,
		     const struct rmt_trace_info *info, char *err, size_t errlen)
{
	u8 buf[HDR_MAX];
	char why[256];
	u32 i;

	memset(tf, 0, sizeof(*tf));
	tf->path = path;
	tf->info = *info;
	tf->info.version = RMT_TRACE_VERSION;
	tf->info.samples = 0;
	tf->info.duration_ns = 0;
	tf->info.dropped = 0;
	if (!info->nfields || info->nfields > RMT_TRACE_MAX_FIELDS)
		return fail(err, errlen, "%s: %u fields, a hook has 1 to %d", path,
			    info->nfields, RMT_TRACE_MAX_FIELDS);
	for (i = 0; i < info->nfields; i++)
		if (strnlen(info->fields[i], RMT_TRACE_NAME_LEN) == RMT_TRACE_NAME_LEN)
			return fail(err, errlen, "%s: field %u: the name is over %d bytes",
				    path, i, RMT_TRACE_NAME_LEN - 1);
	if (strnlen(info->hook_name, RMT_TRACE_NAME_LEN) == RMT_TRACE_NAME_LEN)
		return fail(err, errlen, "%s: the hook name is over %d bytes", path,
			    RMT_TRACE_NAME_LEN - 1);
	rmt_trace_encode_header(&tf->info, buf);	/* what a reader will see */
	if (rmt_trace_decode_header(buf, sizeof(buf), &tf->info, why, sizeof(why)))
		return fail(err, errlen, "%s: %s", path, why);
	tf->f = fopen(path, "wb");
	if (!tf->f)
		return ioerr(err, errlen, "%s: cannot create: %s", path, strerror(errno));
	return put_header(tf, err, errlen);
}

/**
 * rmt_trace_write() - append a sample
 * @tf: a file from rmt_trace_create()
 * @s: the sample; refused unless it belongs in the trace
 * @err: receives why not
 * @errlen: room in @err
 *
 * Return: 0, or a negative errno with @err set.
 */
int rmt_trace_write(struct rmt_trace_file *tf, const struct rmt_trace_sample *s,
		    char *err, size_t errlen)
{
	u8 buf[sizeof(struct rmt_trace_rec) + RMT_TRACE_MAX_FIELDS * sizeof(s64)];
	size_t len = rmt_trace_record_len(tf->info.nfields);
	char why[256];

	if (rmt_trace_check_sample(&tf->info, s, why, sizeof(why)))
		return fail(err, errlen, "%s: sample %llu: %s", tf->path,
			    (unsigned long long)tf->n, why);
	rmt_trace_encode_record(s, buf);
	if (fwrite(buf, 1, len, tf->f) != len)
		return ioerr(err, errlen, "%s: cannot write: %s", tf->path, strerror(errno));
	tf->n++;
	return 0;
}

/**
 * rmt_trace_finish() - complete the header and close the file
 * @tf: a file from rmt_trace_create()
 * @duration_ns: how long the trace ran
 * @dropped: fires that were not recorded
 * @err: receives why the file could not be completed
 * @errlen: room in @err
 *
 * Return: 0, or a negative errno with @err set; the file is closed
 * either way.
 */
int rmt_trace_finish(struct rmt_trace_file *tf, u64 duration_ns, u64 dropped,
		     char *err, size_t errlen)
{
	int ret;

	tf->info.samples = tf->n;
	tf->info.duration_ns = duration_ns;
	tf->info.dropped = dropped;
	ret = put_header(tf, err, errlen);
	if (!ret && fflush(tf->f))
		ret = ioerr(err, errlen, "%s: cannot write: %s", tf->path, strerror(errno));
	if (fclose(tf->f) && !ret)
		ret = ioerr(err, errlen, "%s: cannot write: %s", tf->path, strerror(errno));
	tf->f = NULL;
	return ret;
}

/**
 * rmt_trace_open() - open a trace file and check all but its samples
 * @tf: the file
 * @path: its name
 * @err: receives why it is refused
 * @errlen: room in @err
 *
 * Refuses a file shorter than its header, with another magic number or
 * version, whose header disagrees with itself on the field count, or
 * whose size is not the header plus the samples it announces.
 *
 * Return: 0, or a negative errno with @err set ("PATH: why").
 */
int rmt_trace_open(struct rmt_trace_file *tf, const char *path, char *err,
		   size_t errlen)
{
	u8 buf[HDR_MAX];
	size_t n, rec, hdr;
	struct stat st;
	char why[256];
	u64 body;

	memset(tf, 0, sizeof(*tf));
	tf->path = path;
	tf->f = fopen(path, "rb");
	if (!tf->f)
		return ioerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	if (fstat(fileno(tf->f), &st))
		return ioerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(err, errlen, "%s: not a regular file", path);
	n = fread(buf, 1, sizeof(buf), tf->f);
	if (ferror(tf->f))
		return ioerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	if (rmt_trace_decode_header(buf, n, &tf->info, why, sizeof(why)))
		return fail(err, errlen, "%s: %s", path, why);
	hdr = rmt_trace_header_len(tf->info.nfields);
	rec = rmt_trace_record_len(tf->info.nfields);
	body = (u64)st.st_size - hdr;
	if (body % rec)
		return fail(err, errlen, "%s: truncated: the last record has %llu of %zu bytes",
			    path, (unsigned long long)(body % rec), rec);
	if (body / rec != tf->info.samples)
		return fail(err, errlen, "%s: record count mismatch: the header says %llu samples, the file holds %llu",
			    path, (unsigned long long)tf->info.samples,
			    (unsigned long long)(body / rec));
	if (fseek(tf->f, (long)hdr, SEEK_SET))
		return ioerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
	return 0;
}

/**
 * rmt_trace_next() - read and check the next sample
 * @tf: a file from rmt_trace_open()
 * @s: receives the sample
 * @err: receives why it is refused
 * @errlen: room in @err
 *
 * Return: 1 with a sample, 0 after the last, or a negative errno with
 * @err set ("PATH: sample N: why").
 */
int rmt_trace_next(struct rmt_trace_file *tf, struct rmt_trace_sample *s,
		   char *err, size_t errlen)
{
	u8 buf[sizeof(struct rmt_trace_rec) + RMT_TRACE_MAX_FIELDS * sizeof(s64)];
	size_t len = rmt_trace_record_len(tf->info.nfields);
	char why[256];

	if (tf->n == tf->info.samples)
		return 0;
	if (fread(buf, 1, len, tf->f) != len)
		return fail(err, errlen, "%s: sample %llu: truncated (the file shrank?)",
			    tf->path, (unsigned long long)tf->n);
	if (rmt_trace_decode_record(buf, true, &tf->info, s, why, sizeof(why)))
		return fail(err, errlen, "%s: sample %llu: %s", tf->path,
			    (unsigned long long)tf->n, why);
	tf->n++;
	return 1;
}

/* Close a file being read, or abandon one being written (then remove it). */
void rmt_trace_close(struct rmt_trace_file *tf)
{
	if (tf->f)
		fclose(tf->f);
	tf->f = NULL;
}
