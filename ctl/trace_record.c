// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl trace record -o FILE [--hook H] [--duration S]: trace a hook
 * point of rmt.ko into a trace file (lib/trace_file.c).
 *
 * rmt.ko's side is debugfs (hooks/trace.c): write "start HOOK" to
 * rmt/trace, read records from it until the time is up (or SIGINT or
 * SIGTERM), write "stop", read what is left, and take the sample and
 * drop counts from rmt/trace_status.  The trace belongs to our open
 * file: if we die, rmt.ko ends it.  The field names in the file are the
 * ones rmt.ko reports, so the file describes what the kernel recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rmtctl.h"
#include "trace_file.h"

#define TRACE_DIR	"/sys/kernel/debug/rmt/"
#define TRACE_POLL_NS	50000000L	/* between drains of the rings */
#define TRACE_BUF	(256 << 10)

/**
 * struct trace_status - one line of rmt/trace_status
 * @info: hook, fields, CPUs, start
 * @state: "idle", "running" or "stopped"
 * @record_len: bytes per record
 * @samples: records written so far
 * @dropped: fires that found a ring full
 * @unread: records not read yet
 * @ring: records per CPU
 */
struct trace_status {
	struct rmt_trace_info info;
	char state[16];
	u64 record_len;
	u64 samples;
	u64 dropped;
	u64 unread;
	u64 ring;
};

struct trace_rec {
	struct rmtctl *ctl;
	const char *out;
	const char *hook;
	double duration;	/* seconds; 0: until a signal */
	int fd;
	struct rmt_trace_file tf;
	struct trace_status st;
	u8 *buf;
};

static volatile sig_atomic_t trace_stop;

static void trace_signal(int sig)
{
	trace_stop = 1;
}

static int parse_fields(struct rmt_trace_info *info, char *list)
{
	char *save = NULL, *f;

	for (f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (info->nfields == RMT_TRACE_MAX_FIELDS || strlen(f) >= RMT_TRACE_NAME_LEN)
			return -EINVAL;
		snprintf(info->fields[info->nfields++], RMT_TRACE_NAME_LEN, "%s", f);
	}
	return 0;
}

/* "key value ..." of rmt/trace_status into @st. */
static int read_status(struct trace_rec *r)
{
	struct trace_status *st = &r->st;
	char line[4096], *save = NULL, *k, *v;
	int err = 0;
	FILE *f = fopen(TRACE_DIR "trace_status", "r");

	memset(st, 0, sizeof(*st));
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		err = -EIO;
	fclose(f);
	for (k = strtok_r(line, " \n", &save); !err && k; k = strtok_r(NULL, " \n", &save)) {
		v = strtok_r(NULL, " \n", &save);
		if (!v)
			return -EINVAL;
		if (!strcmp(k, "hook"))
			snprintf(st->info.hook_name, RMT_TRACE_NAME_LEN, "%s", v);
		else if (!strcmp(k, "state"))
			snprintf(st->state, sizeof(st->state), "%s", v);
		else if (!strcmp(k, "fields"))
			err = parse_fields(&st->info, v);
		else if (!strcmp(k, "id"))
			st->info.hook = strtoul(v, NULL, 10);
		else if (!strcmp(k, "cpus"))
			st->info.ncpus = strtoul(v, NULL, 10);
		else if (!strcmp(k, "start_ns"))
			st->info.start_ns = strtoull(v, NULL, 10);
		else if (!strcmp(k, "duration_ns"))
			st->info.duration_ns = strtoull(v, NULL, 10);
		else if (!strcmp(k, "record_len"))
			st->record_len = strtoull(v, NULL, 10);
		else if (!strcmp(k, "samples"))
			st->samples = strtoull(v, NULL, 10);
		else if (!strcmp(k, "dropped"))
			st->dropped = strtoull(v, NULL, 10);
		else if (!strcmp(k, "unread"))
			st->unread = strtoull(v, NULL, 10);
		else if (!strcmp(k, "ring"))
			st->ring = strtoull(v, NULL, 10);
	}
	return err;
}

static int status_error(struct trace_rec *r, int err)
{
	return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%strace_status: %s", TRACE_DIR,
			    err == -EINVAL ? "unexpected contents" : strerror(-err));
}

/* The hook to trace when none is named: the one with tables attached. */
struct hook_set {
	char names[__RMT_HOOK_MAX][RMT_NAME_MAX];
	u32 n;
};

static int hook_of_table(const struct rmtctl_obj *o, void *arg)
{
	struct hook_set *hs = arg;
	u32 i;

	for (i = 0; i < hs->n; i++)
		if (!strcmp(hs->names[i], o->hook))
			return 0;
	if (hs->n < __RMT_HOOK_MAX)
		snprintf(hs->names[hs->n++], RMT_NAME_MAX, "%s", o->hook);
	return 0;
}

static int pick_hook(struct trace_rec *r, char *name)
{
	struct rmtctl *ctl = r->ctl;
	struct rmtctl_error e = { 0 };
	struct hook_set hs = { .n = 0 };
	u32 id, i;

	if (ctl->be->list(ctl->be_priv, RMT_CMD_TABLE_GET, NULL, hook_of_table, &hs, &e))
		return rmtctl_backend_error(ctl, &e, NULL);
	if (r->hook) {
		if (rmtctl_hook_id(ctl, r->hook, &id))
			return RMTCTL_USAGE;
		if (id == RMT_HOOK_TEST)
			return rmtctl_error(ctl, RMTCTL_USAGE,
					    "hook test has no kernel site: nothing fires it to trace");
		for (i = 0; i < hs.n && strcmp(hs.names[i], r->hook); i++)
			;
		if (i == hs.n)
			fprintf(stderr, "rmtctl: note: no table is attached to %s; it records nothing until one is\n",
				r->hook);
		snprintf(name, RMT_NAME_MAX, "%s", r->hook);
		return 0;
	}
	if (hs.n == 1) {
		snprintf(name, RMT_NAME_MAX, "%s", hs.names[0]);
		return 0;
	}
	if (!hs.n)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "no table is attached to any hook; name the hook to trace with --hook");
	return rmtctl_error(ctl, RMTCTL_USAGE,
			    "tables are attached to %u hooks; name the one to trace with --hook",
			    hs.n);
}

static int start_error(struct trace_rec *r, const char *hook, int err)
{
	switch (err) {
	case EBUSY:
		return rmtctl_error(r->ctl, RMTCTL_REJECTED,
				    "another trace is running (rmt.ko traces one at a time)");
	case ENODEV:
		return rmtctl_error(r->ctl, RMTCTL_REJECTED,
				    "hook %s is not attached to this kernel ('rmtctl -s hook show %s' says why)",
				    hook, hook);
	case EOPNOTSUPP:
	case EINVAL:
		return rmtctl_error(r->ctl, RMTCTL_REJECTED,
				    "rmt.ko cannot trace hook %s (%s)", hook, strerror(err));
	}
	return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%strace: start %s: %s", TRACE_DIR,
			    hook, strerror(err));
}

static int open_trace(struct trace_rec *r, const char *hook)
{
	char cmd[64];
	int n;

	r->fd = open(TRACE_DIR "trace", O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		int err = errno;

		return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%strace: %s%s", TRACE_DIR,
				    strerror(err),
				    err == ENOENT ? " (is debugfs mounted? mount -t debugfs none /sys/kernel/debug)" :
				    err == EACCES || err == EPERM ? " (tracing needs root)" : "");
	}
	n = snprintf(cmd, sizeof(cmd), "start %s", hook);
	if (write(r->fd, cmd, n) != n)
		return start_error(r, hook, errno);
	return 0;
}

/* Read every record rmt.ko has for us now into the file. */
static int drain(struct trace_rec *r)
{
	size_t len = rmt_trace_record_len(r->st.info.nfields);
	struct rmt_trace_sample s;
	char err[512];
	ssize_t n;
	size_t off;

	for (;;) {
		n = read(r->fd, r->buf, TRACE_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%strace: %s", TRACE_DIR,
					    strerror(errno));
		if (!n)
			return 0;
		if (n % len)
			return rmtctl_error(r->ctl, RMTCTL_SYSERR,
					    "%strace: read %zd bytes, not whole %zu-byte records",
					    TRACE_DIR, n, len);
		for (off = 0; off < (size_t)n; off += len) {
			if (rmt_trace_decode_record(r->buf + off, false, &r->tf.info, &s,
						    err, sizeof(err)))
				return rmtctl_error(r->ctl, RMTCTL_SYSERR,
						    "rmt.ko sent a bad record: %s", err);
			if (rmt_trace_write(&r->tf, &s, err, sizeof(err)))
				return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%s", err);
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Until the time is up or a signal comes, drain; then stop, drain the rest. */
static int record_loop(struct trace_rec *r)
{
	static const struct timespec poll = { 0, TRACE_POLL_NS };
	struct sigaction sa = { .sa_handler = trace_signal }, old_int, old_term;
	double end = now() + r->duration;
	int ret = 0;

	trace_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	while (!ret && !trace_stop && (!r->duration || now() < end)) {
		ret = drain(r);
		if (!ret)
			nanosleep(&poll, NULL);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ret)
		return ret;
	if (write(r->fd, "stop", 4) != 4)
		return rmtctl_error(r->ctl, RMTCTL_SYSERR, "%strace: stop: %s", TRACE_DIR,
				    strerror(errno));
	return drain(r);
}

static void print_result(struct trace_rec *r)
{
	const struct rmt_trace_info *info = &r->tf.info;
	struct json_writer *jw = r->ctl->jw;

	if (info->dropped)
		fprintf(stderr, "rmtctl: warning: %llu fires of %s not recorded: a CPU's ring of %llu records was full\n",
			(unsigned long long)info->dropped, info->hook_name,
			(unsigned long long)r->st.ring);
	if (!jw) {
		printf("recorded %llu samples of %s in %.3f s to %s, dropped %llu\n",
		       (unsigned long long)info->samples, info->hook_name,
		       info->duration_ns / 1e9, r->out, (unsigned long long)info->dropped);
		return;
	}
	json_start_object(jw);
	json_kv_string(jw, "file", r->out);
	json_kv_string(jw, "hook", info->hook_name);
	json_kv_uint(jw, "samples", info->samples);
	json_kv_uint(jw, "dropped", info->dropped);
	json_kv_uint(jw, "duration_ns", info->duration_ns);
	json_end_object(jw);
}

static int record(struct trace_rec *r)
{
	struct rmtctl *ctl = r->ctl;
	char hook[RMT_NAME_MAX], err[512];
	int ret = pick_hook(r, hook);

	if (!ret)
		ret = open_trace(r, hook);
	if (ret)
		return ret;
	ret = read_status(r);
	if (ret)
		return status_error(r, ret);
	if (strcmp(r->st.info.hook_name, hook) || strcmp(r->st.state, "running") ||
	    r->st.record_len != rmt_trace_record_len(r->st.info.nfields))
		return rmtctl_error(ctl, RMTCTL_SYSERR,
				    "%strace_status does not describe our trace of %s",
				    TRACE_DIR, hook);
	if (rmt_trace_create(&r->tf, r->out, &r->st.info, err, sizeof(err)))
		return rmtctl_error(ctl, RMTCTL_SYSERR, "%s", err);
	if (!r->duration)
		fprintf(stderr, "rmtctl: tracing %s until interrupted\n", hook);
	ret = record_loop(r);
	if (!ret && (ret = read_status(r)))
		ret = status_error(r, ret);
	if (!ret && (r->st.unread || r->st.samples != r->tf.n))
		ret = rmtctl_error(ctl, RMTCTL_SYSERR,
				   "rmt.ko recorded %llu samples, %llu were read",
				   (unsigned long long)r->st.samples,
				   (unsigned long long)r->tf.n);
	if (ret) {
		rmt_trace_close(&r->tf);
		unlink(r->out);
		return ret;
	}
	if (rmt_trace_finish(&r->tf, r->st.info.duration_ns, r->st.dropped, err,
			     sizeof(err))) {
		unlink(r->out);
		return rmtctl_error(ctl, RMTCTL_SYSERR, "%s", err);
	}
	print_result(r);
	return RMTCTL_OK;
}

static int record_args(struct trace_rec *r, int argc, char **argv)
{
	static const char usage[] = "usage: trace record -o FILE [--hook H] [--duration S]";
	char *end;
	int i;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 == argc)
			return rmtctl_error(r->ctl, RMTCTL_USAGE, "%s", usage);
		if (!strcmp(argv[i], "-o")) {
			r->out = argv[i + 1];
		} else if (!strcmp(argv[i], "--hook")) {
			r->hook = argv[i + 1];
		} else if (!strcmp(argv[i], "--duration")) {
			r->duration = strtod(argv[i + 1], &end);
			if (end == argv[i + 1] || *end || !(r->duration > 0) ||
			    r->duration > 86400 * 365)
				return rmtctl_error(r->ctl, RMTCTL_USAGE,
						    "--duration: '%s' is not a number of seconds",
						    argv[i + 1]);
		} else {
			return rmtctl_error(r->ctl, RMTCTL_USAGE, "%s", usage);
		}
	}
	if (!r->out)
		return rmtctl_error(r->ctl, RMTCTL_USAGE, "%s", usage);
	return 0;
}

/**
 * rmtctl_trace_record() - rmtctl trace record
 * @ctl: tool state
 * @argc: arguments after "record"
 * @argv: the arguments
 *
 * Return: exit code; the file is written only if the trace is whole (its
 * drops counted and reported).
 */
int rmtctl_trace_record(struct rmtctl *ctl, int argc, char **argv)
{
	struct trace_rec r = { .ctl = ctl, .fd = -1 };
	int ret = record_args(&r, argc, argv);

	if (ret)
		return ret;
	if (!ctl->want_embedded)
		ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	if (ctl->be != &rmtctl_netlink_backend)
		return rmtctl_error(ctl, RMTCTL_REJECTED,
				    "trace record needs rmt.ko: the embedded backend runs no kernel hooks");
	r.buf = malloc(TRACE_BUF);
	if (!r.buf)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	ret = record(&r);
	if (r.fd >= 0)
		close(r.fd);	/* ends the trace in rmt.ko, frees its rings */
	free(r.buf);
	return ret;
}
