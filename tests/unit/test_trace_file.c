// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace files (lib/trace_file.c): a round trip through the writer and the
 * reader, rmt.ko's native records, and every refusal, each with the words
 * it must use.
 *
 * With arguments, "--write FILE [SAMPLES]" writes a swap_cluster_readahead
 * trace for the shell tests (tests/cli/test_trace.sh) instead.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "trace_file.h"
#include "ktap.h"

static char dir[] = "/tmp/rmt-trace-test.XXXXXX";
static char good[256];
static u64 good_samples = 100;

static void info_for(struct rmt_trace_info *info, u32 hook)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(hook);
	u32 i;

	memset(info, 0, sizeof(*info));
	info->hook = hook;
	snprintf(info->hook_name, sizeof(info->hook_name), "%s", h->name);
	info->nfields = h->nfields;
	for (i = 0; i < h->nfields; i++)
		snprintf(info->fields[i], RMT_TRACE_NAME_LEN, "%s", h->field_names[i]);
	info->ncpus = 4;
	info->start_ns = 1764000000123456789ULL;
}

/* Sample @i of the test trace: every outcome, CPU and sign shows up. */
static void sample_for(const struct rmt_trace_info *info, u64 i,
		       struct rmt_trace_sample *s)
{
	u32 f;

	memset(s, 0, sizeof(*s));
	s->time_ns = 1000 * i;
	s->cpu = i % info->ncpus;
	s->hook = info->hook;
	s->nfields = info->nfields;
	s->flags = i % 3 ? RMT_TRACE_DEFAULT : RMT_TRACE_DECIDED;
	if (i % 5 == 4)
		s->flags |= RMT_TRACE_ERROR;
	s->verdict = s->flags & RMT_TRACE_DECIDED ? (s64)(i % 17) : RMT_VERDICT_DEFAULT;
	for (f = 0; f < info->nfields; f++)
		s->ctx[f] = (s64)(i * 1000 + f) * (f & 1 ? -1 : 1);
}

static int write_trace(const char *path, u32 hook, u64 n, char *err, size_t len)
{
	struct rmt_trace_info info;
	struct rmt_trace_sample s;
	struct rmt_trace_file tf;
	int ret;
	u64 i;

	info_for(&info, hook);
	ret = rmt_trace_create(&tf, path, &info, err, len);
	for (i = 0; !ret && i < n; i++) {
		sample_for(&info, i, &s);
		ret = rmt_trace_write(&tf, &s, err, len);
	}
	if (ret) {
		rmt_trace_close(&tf);
		return ret;
	}
	return rmt_trace_finish(&tf, 1000 * n + 1, 7, err, len);
}

/* Open and read every sample.  Return: 0, or the reader's error. */
static int read_all(const char *path, char *err, size_t len, u64 *n)
{
	struct rmt_trace_sample s;
	struct rmt_trace_file tf;
	int ret = rmt_trace_open(&tf, path, err, len);

	*n = 0;
	while (!ret && (ret = rmt_trace_next(&tf, &s, err, len)) == 1) {
		(*n)++;
		ret = 0;
	}
	rmt_trace_close(&tf);
	return ret;
}

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = malloc(1 << 20);

	*len = f && buf ? fread(buf, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return buf;
}

static void spit(const char *path, const u8 *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);	/* the tests run little-endian */
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void test_round_trip(void)
{
	struct rmt_trace_info want;
	struct rmt_trace_sample s, w;
	struct rmt_trace_file tf;
	char err[512] = "";
	bool same = true;
	u64 i = 0;
	int ret;

	info_for(&want, RMT_HOOK_SWAP_RA);
	ret = write_trace(good, RMT_HOOK_SWAP_RA, good_samples, err, sizeof(err));
	ktap_check(!ret, "write %llu swap_cluster_readahead samples (%s)",
		   (unsigned long long)good_samples, err);
	ret = rmt_trace_open(&tf, good, err, sizeof(err));
	ktap_check(!ret, "open the trace (%s)", err);
	if (ret)
		return;
	ktap_check(tf.info.version == RMT_TRACE_VERSION && tf.info.hook == want.hook &&
		   !strcmp(tf.info.hook_name, "swap_cluster_readahead") &&
		   tf.info.nfields == want.nfields && tf.info.ncpus == 4 &&
		   tf.info.start_ns == want.start_ns &&
		   tf.info.duration_ns == 1000 * good_samples + 1 &&
		   tf.info.samples == good_samples && tf.info.dropped == 7,
		   "the header reads back: version, hook, fields, cpus, start, duration, samples, dropped");
	ktap_check(!memcmp(tf.info.fields, want.fields, sizeof(want.fields)),
		   "the field names read back (%s ... %s)", tf.info.fields[0],
		   tf.info.fields[tf.info.nfields - 1]);
	while ((ret = rmt_trace_next(&tf, &s, err, sizeof(err))) == 1) {
		sample_for(&want, i++, &w);
		same &= !memcmp(&s, &w, sizeof(s));
	}
	ktap_check(!ret && i == good_samples && same,
		   "every sample reads back as written (%llu, %s)", (unsigned long long)i, err);
	ktap_check(rmt_trace_next(&tf, &s, err, sizeof(err)) == 0,
		   "reading past the end gives 0 again");
	rmt_trace_close(&tf);
}

static void test_layout(void)
{
	size_t len;
	u8 *buf = slurp(good, &len);
	struct rmt_trace_info info;
	u32 v;

	info_for(&info, RMT_HOOK_SWAP_RA);
	memcpy(&v, buf, 4);
	ktap_check(!memcmp(buf, "RMTT", 4) && v == RMT_TRACE_MAGIC,
		   "the file starts with the bytes RMTT");
	ktap_check(len == 88 + 40 * 32 + good_samples * (24 + 40 * 8) &&
		   rmt_trace_header_len(40) == 88 + 40 * 32 &&
		   rmt_trace_record_len(40) == 24 + 40 * 8,
		   "size: 88-byte header, 32 bytes per name, 24 + 8 per field per record");
	ktap_check(!strcmp((char *)buf + 88, "pid") &&
		   !strcmp((char *)buf + 88 + 5 * 32, "offset"),
		   "field names follow the header in context order");
	free(buf);
}

static void test_native(void)
{
	u8 rec[24 + 8 * RMT_TRACE_MAX_FIELDS];
	struct rmt_trace_rec *r = (struct rmt_trace_rec *)rec;
	struct rmt_trace_info info;
	struct rmt_trace_sample s;
	char err[256] = "";
	int ret;

	info_for(&info, RMT_HOOK_MIGRATE);
	memset(rec, 0, sizeof(rec));
	r->time_ns = 5;
	r->verdict = 1;
	r->cpu = 3;
	r->hook = RMT_HOOK_MIGRATE;
	r->nfields = info.nfields;
	r->flags = RMT_TRACE_DECIDED | RMT_TRACE_ERROR;
	r->ctx[0] = -9;
	r->ctx[info.nfields - 1] = 1;
	ret = rmt_trace_decode_record(rec, false, &info, &s, err, sizeof(err));
	ktap_check(!ret && s.time_ns == 5 && s.verdict == 1 && s.cpu == 3 &&
		   s.flags == (RMT_TRACE_DECIDED | RMT_TRACE_ERROR) && s.ctx[0] == -9 &&
		   s.ctx[info.nfields - 1] == 1,
		   "a record in rmt.ko's layout (struct rmt_trace_rec) decodes (%s)", err);
}

/* A copy of the good file, @patch applied, must be refused with @words. */
static void refused(const char *what, const char *words,
		    void (*patch)(u8 *buf, size_t *len))
{
	char path[300], err[512] = "";
	size_t len;
	u8 *buf = slurp(good, &len);
	u64 n;
	int ret;

	patch(buf, &len);
	snprintf(path, sizeof(path), "%s/bad.rmtt", dir);
	spit(path, buf, len);
	free(buf);
	ret = read_all(path, err, sizeof(err), &n);
	ktap_check(ret == -EINVAL && strstr(err, words) && !strncmp(err, path, strlen(path)),
		   "refused, %s: \"%s\"", what, err);
}

#define REC0	(88 + 40 * 32)		/* offset of the first record */
#define RECLEN	(24 + 40 * 8)

static void p_empty(u8 *b, size_t *len) { *len = 0; }
static void p_short_hdr(u8 *b, size_t *len) { *len = 40; }
static void p_short_names(u8 *b, size_t *len) { *len = 88 + 100; }
static void p_short_rec(u8 *b, size_t *len) { *len -= 5; }
static void p_magic(u8 *b, size_t *len) { memcpy(b, "RMTX", 4); }
static void p_version(u8 *b, size_t *len) { b[4] = 2; }
static void p_nfields0(u8 *b, size_t *len) { put32(b + 12, 0); }
static void p_nfields65(u8 *b, size_t *len) { put32(b + 12, 65); }
static void p_nfields39(u8 *b, size_t *len) { put32(b + 12, 39); }
static void p_hdr_len(u8 *b, size_t *len) { b[6] += 32; }
static void p_rec_len(u8 *b, size_t *len) { put32(b + 16, RECLEN + 8); }
static void p_more(u8 *b, size_t *len) { put64(b + 40, 101); }
static void p_fewer(u8 *b, size_t *len) { put64(b + 40, 99); }
static void p_extra(u8 *b, size_t *len)
{
	memcpy(b + *len, b + REC0, RECLEN);
	*len += RECLEN;
}
static void p_cpus0(u8 *b, size_t *len) { put32(b + 20, 0); }
static void p_hook_name(u8 *b, size_t *len) { memset(b + 56, 'x', 32); }
static void p_field_name(u8 *b, size_t *len) { memset(b + 88 + 32, 0, 32); }
static void p_field_dup(u8 *b, size_t *len) { memcpy(b + 88 + 32, "pid", 4); }
static void p_field_pad(u8 *b, size_t *len) { b[88 + 31] = 'z'; }
static void p_rec_hook(u8 *b, size_t *len) { b[REC0 + RECLEN + 20] = 3; }
static void p_rec_nfields(u8 *b, size_t *len) { b[REC0 + 2 * RECLEN + 22] = 39; }
static void p_rec_flags_both(u8 *b, size_t *len) { b[REC0 + 23] = 3; }
static void p_rec_flags_none(u8 *b, size_t *len) { b[REC0 + 23] = 4; }
static void p_rec_flags_unknown(u8 *b, size_t *len) { b[REC0 + 23] |= 0x80; }
static void p_rec_verdict(u8 *b, size_t *len) { put64(b + REC0 + RECLEN + 8, 3); }
static void p_rec_cpu(u8 *b, size_t *len) { put32(b + REC0 + 16, 4); }
static void p_rec_time(u8 *b, size_t *len) { put64(b + REC0 + 99 * RECLEN, 1000000); }

static void test_refusals(void)
{
	char path[300], err[512] = "";
	u64 n;
	int ret;

	refused("an empty file", "truncated: 0 bytes", p_empty);
	refused("a file shorter than the header", "truncated: 40 bytes", p_short_hdr);
	refused("a header cut in its field names", "truncated: 188 bytes", p_short_names);
	refused("a cut last record", "truncated: the last record", p_short_rec);
	refused("another magic number", "not an RMT trace", p_magic);
	refused("another version", "trace format version 2", p_version);
	refused("0 fields", "field count mismatch: 0 fields", p_nfields0);
	refused("65 fields", "field count mismatch: 65 fields", p_nfields65);
	refused("a field count the lengths disagree with", "field count mismatch: 39 fields",
		p_nfields39);
	refused("a header length off by one name", "field count mismatch", p_hdr_len);
	refused("a record length off by one field", "field count mismatch", p_rec_len);
	refused("one sample more announced", "record count mismatch: the header says 101",
		p_more);
	refused("one sample fewer announced", "record count mismatch: the header says 99",
		p_fewer);
	refused("a record appended", "the file holds 101", p_extra);
	refused("0 CPUs", "0 CPUs", p_cpus0);
	refused("a hook name without its NUL", "hook name", p_hook_name);
	refused("an empty field name", "field 1: the name", p_field_name);
	refused("a repeated field name", "field 1: name 'pid' repeats field 0", p_field_dup);
	refused("a field name with bytes after its NUL", "field 0: the name", p_field_pad);
	refused("a record of another hook", "sample 1: hook 3", p_rec_hook);
	refused("a record with another field count",
		"sample 2: field count mismatch: 39 fields", p_rec_nfields);
	refused("decided and default both", "sample 0: flags 0x3", p_rec_flags_both);
	refused("neither decided nor default", "sample 0: flags 0x4", p_rec_flags_none);
	refused("unknown flags", "sample 0: unknown flags", p_rec_flags_unknown);
	refused("a verdict without a decision", "sample 1: verdict 3", p_rec_verdict);
	refused("a CPU past the count", "sample 0: cpu 4, the trace has 4", p_rec_cpu);
	refused("a time after the end", "sample 99: time 1000000 ns", p_rec_time);

	ret = read_all("/dev/null", err, sizeof(err), &n);
	ktap_check(ret == -EINVAL && strstr(err, "not a regular file"),
		   "refused, not a regular file: \"%s\"", err);
	snprintf(path, sizeof(path), "%s/missing.rmtt", dir);
	ret = read_all(path, err, sizeof(err), &n);
	ktap_check(ret == -EIO && strstr(err, "cannot read"),
		   "a missing file is an I/O error, not a refusal: \"%s\"", err);
}

static void test_writer_refusals(void)
{
	struct rmt_trace_info info;
	struct rmt_trace_sample s;
	struct rmt_trace_file tf;
	char path[300], err[512] = "";
	int ret;
	u64 n;

	snprintf(path, sizeof(path), "%s/w.rmtt", dir);
	info_for(&info, RMT_HOOK_SWAP_ACCESS);
	memset(info.fields[2], 'a', RMT_TRACE_NAME_LEN);
	ret = rmt_trace_create(&tf, path, &info, err, sizeof(err));
	ktap_check(ret == -EINVAL && strstr(err, "field 2: the name is over 31 bytes"),
		   "the writer refuses an over-long field name: \"%s\"", err);
	info_for(&info, RMT_HOOK_SWAP_ACCESS);
	info.ncpus = 0;
	ret = rmt_trace_create(&tf, path, &info, err, sizeof(err));
	ktap_check(ret == -EINVAL && strstr(err, "0 CPUs"),
		   "the writer refuses a header the reader would: \"%s\"", err);
	info_for(&info, RMT_HOOK_SWAP_ACCESS);
	ret = rmt_trace_create(&tf, path, &info, err, sizeof(err));
	sample_for(&info, 0, &s);
	s.nfields--;
	if (!ret)
		ret = rmt_trace_write(&tf, &s, err, sizeof(err));
	ktap_check(ret == -EINVAL && strstr(err, "sample 0: field count mismatch"),
		   "the writer refuses a sample the reader would: \"%s\"", err);
	sample_for(&info, 0, &s);
	ret = rmt_trace_write(&tf, &s, err, sizeof(err));
	if (!ret)
		ret = rmt_trace_finish(&tf, 0, 0, err, sizeof(err));
	else
		rmt_trace_close(&tf);
	ktap_check(!ret && !read_all(path, err, sizeof(err), &n) && n == 1,
		   "after a refused sample the file is still whole (1 sample)");
	err[0] = '\0';
	ret = write_trace(path, RMT_HOOK_SWAP_ACCESS, 0, err, sizeof(err));
	ktap_check(!ret && !read_all(path, err, sizeof(err), &n) && n == 0,
		   "an empty trace (0 samples) reads back (%s)", err);
}

int main(int argc, char **argv)
{
	char err[512] = "";
	u64 n = good_samples;

	if (argc >= 3 && !strcmp(argv[1], "--write")) {
		if (argc > 3)
			n = strtoull(argv[3], NULL, 0);
		if (write_trace(argv[2], RMT_HOOK_SWAP_RA, n, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		return 0;
	}
	ktap_begin();
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(good, sizeof(good), "%s/good.rmtt", dir);
	test_round_trip();
	test_layout();
	test_native();
	test_refusals();
	test_writer_refusals();
	unlink(good);
	snprintf(good, sizeof(good), "%s/bad.rmtt", dir);
	unlink(good);
	snprintf(good, sizeof(good), "%s/w.rmtt", dir);
	unlink(good);
	rmdir(dir);
	return ktap_end();
}
