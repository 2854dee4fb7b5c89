// SPDX-License-Identifier: GPL-2.0-only
/*
 * The jit suite's ebpf-jit rows: loads bench/jit_ebpf.bpf.c's object
 * with libbpf (its .rodata filled with the workloads' inputs and weights
 * before the load) and runs its programs with BPF_PROG_TEST_RUN.
 *
 * A test run with repeat > 1 installs the program in the kernel's XDP
 * dispatcher and removes it again, which takes milliseconds; so these
 * rows are not timed from user space like the others, but by the
 * kernel's own report of its duration per run (integer ns, without the
 * system call and the set-up): the median of JIT_EBPF_REPS test runs of
 * about JIT_EBPF_BATCH_NS each, chained and independent in turn.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit_workloads.h"

#define JIT_EBPF_REPS		31	/* test runs per measurement */
#define JIT_EBPF_BATCH_NS	10e6	/* 10 ms of runs in each */
#define JIT_EBPF_MIN_REPEAT	10000
#define JIT_EBPF_LOG		16384

struct jit_ebpf {
	struct bpf_object *obj;
	int state_fd;
	int fd[JIT_NR_WL];
};

static const char *const jit_ebpf_names[JIT_NR_WL] = {
	[JIT_WL_MLP] = "jit_mlp",
	[JIT_WL_MLLB] = "jit_mllb",
	[JIT_WL_LINNOS] = "jit_linnos",
	[JIT_WL_MATVEC] = "jit_matvec",
	[JIT_WL_DTREE] = "jit_dtree",
	[JIT_WL_LOOP] = "jit_loop",
	[JIT_WL_EMPTY] = "jit_empty",
};

/* The tail of libbpf's messages (the verifier's log among them). */
static char jit_ebpf_log[JIT_EBPF_LOG];
static size_t jit_ebpf_loglen;

static int jit_ebpf_print(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	char msg[1024];
	size_t n;
	int len;

	if (level == LIBBPF_DEBUG)
		return 0;
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (len <= 0)
		return 0;
	n = (size_t)len < sizeof(msg) ? (size_t)len : sizeof(msg) - 1;
	if (jit_ebpf_loglen + n >= sizeof(jit_ebpf_log)) {
		size_t keep = sizeof(jit_ebpf_log) / 2;

		memmove(jit_ebpf_log, jit_ebpf_log + jit_ebpf_loglen - keep, keep);
		jit_ebpf_loglen = keep;
	}
	memcpy(jit_ebpf_log + jit_ebpf_loglen, msg, n);
	jit_ebpf_loglen += n;
	jit_ebpf_log[jit_ebpf_loglen] = '\0';
	return 0;
}

static void jit_ebpf_dump_log(void)
{
	if (jit_ebpf_loglen)
		fprintf(stderr, "ebpf-jit: libbpf said:\n%s\n", jit_ebpf_log);
}

/* ---- .rodata: inputs and weights ---- */

static int jit_copy_layer(s8 *w, size_t wsize, s32 *b, size_t bsize,
			  const struct jit_dense *d)
{
	if ((size_t)d->rows * d->cols != wsize ||
	    (b && (!d->b || d->rows * sizeof(s32) != bsize)))
		return -EINVAL;
	memcpy(w, d->w, wsize);
	if (b)
		memcpy(b, d->b, bsize);
	return 0;
}

#define JIT_COPY(w, b, d) \
	jit_copy_layer(&(w)[0][0], sizeof(w), (b), sizeof(b), (d))

static int jit_ebpf_fill(struct jit_bpf_rodata *ro,
			 const struct jit_workload *wls)
{
	const struct jit_dense *mlp = wls[JIT_WL_MLP].layers;
	const struct jit_dense *mllb = wls[JIT_WL_MLLB].layers;
	const struct jit_dense *lin = wls[JIT_WL_LINNOS].layers;
	const struct jit_dense *mv = wls[JIT_WL_MATVEC].layers;
	const struct jit_workload *dt = &wls[JIT_WL_DTREE];
	u32 i;

	for (i = 0; i < JIT_NR_WL; i++)
		memcpy(ro->in[i], wls[i].inputs, sizeof(ro->in[i]));
	memcpy(ro->seq, jit_seq, sizeof(ro->seq));
	ro->mlp_q[0] = mlp[0].q;
	ro->mlp_q[1] = mlp[1].q;
	ro->mllb_q = mllb[0].q;
	ro->linnos_q = lin[0].q;
	if (JIT_COPY(ro->mlp_w1, ro->mlp_b1, &mlp[0]) ||
	    JIT_COPY(ro->mlp_w2, ro->mlp_b2, &mlp[1]) ||
	    JIT_COPY(ro->mlp_w3, ro->mlp_b3, &mlp[2]) ||
	    JIT_COPY(ro->mllb_w1, ro->mllb_b1, &mllb[0]) ||
	    JIT_COPY(ro->mllb_w2, ro->mllb_b2, &mllb[1]) ||
	    JIT_COPY(ro->linnos_w1, ro->linnos_b1, &lin[0]) ||
	    JIT_COPY(ro->linnos_w2, ro->linnos_b2, &lin[1]) ||
	    jit_copy_layer(&ro->matvec_w[0][0], sizeof(ro->matvec_w), NULL, 0,
			   &mv[0]) ||
	    dt->nnodes > JIT_DT_MAX_NODES)
		return -EINVAL;
	for (i = 0; i < dt->nnodes; i++)
		ro->tree[i] = (struct jit_bpf_node){
			dt->nodes[i].value, dt->nodes[i].feature,
			dt->nodes[i].flags, dt->nodes[i].left,
			dt->nodes[i].right,
		};
	return 0;
}

/* ---- loading ---- */

static struct bpf_map *jit_ebpf_map(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *map;
	size_t n = strlen(sec);

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (len >= n && !strcmp(name + len - n, sec))
			return map;
	}
	return NULL;
}

static int jit_ebpf_set_rodata(struct jit_ebpf *e,
			       const struct jit_workload *wls,
			       char *why, size_t whylen)
{
	struct bpf_map *ro_map = jit_ebpf_map(e->obj, ".rodata");
	struct bpf_map *st_map = jit_ebpf_map(e->obj, ".bss");
	struct jit_bpf_rodata *ro;
	int ret;

	if (!ro_map || !st_map ||
	    bpf_map__value_size(ro_map) != sizeof(*ro) ||
	    bpf_map__value_size(st_map) != sizeof(struct jit_bpf_state)) {
		snprintf(why, whylen, "the object's .rodata/.bss do not match jit_workloads.h");
		return -EINVAL;
	}
	ro = calloc(1, sizeof(*ro));
	if (!ro)
		return -ENOMEM;
	ret = jit_ebpf_fill(ro, wls);
	if (!ret)
		ret = bpf_map__set_initial_value(ro_map, ro, sizeof(*ro));
	free(ro);
	if (ret)
		snprintf(why, whylen, "cannot set .rodata: %s", strerror(-ret));
	return ret;
}

static int jit_ebpf_load(struct jit_ebpf *e, char *why, size_t whylen)
{
	int ret = bpf_object__load(e->obj);

	if (!ret)
		return 0;
	if (ret == -EPERM || ret == -EACCES)
		snprintf(why, whylen, "loading BPF programs is not permitted (%s; needs CAP_BPF or root)",
			 strerror(-ret));
	else
		snprintf(why, whylen, "the kernel refused the programs: %s (libbpf's log above)",
			 strerror(-ret));
	if (ret != -EPERM && ret != -EACCES)
		jit_ebpf_dump_log();
	return ret;
}

/* Each program's fd, and proof that the kernel compiled it. */
static int jit_ebpf_progs(struct jit_ebpf *e, char *why, size_t whylen)
{
	u32 id;

	for (id = 0; id < JIT_NR_WL; id++) {
		struct bpf_program *p;
		struct bpf_prog_info info = {};
		u32 len = sizeof(info);

		p = bpf_object__find_program_by_name(e->obj, jit_ebpf_names[id]);
		e->fd[id] = p ? bpf_program__fd(p) : -1;
		if (e->fd[id] < 0) {
			snprintf(why, whylen, "no program %s in the object",
				 jit_ebpf_names[id]);
			return -ENOENT;
		}
		if (bpf_obj_get_info_by_fd(e->fd[id], &info, &len) ||
		    !info.jited_prog_len) {
			snprintf(why, whylen, "the kernel does not JIT BPF programs (net.core.bpf_jit_enable=0?)");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/**
 * jit_ebpf_open() - load the eBPF programs
 * @path: the object (jit_ebpf.bpf.o)
 * @wls: the workloads, whose inputs and weights go into .rodata
 * @why: receives the reason when the rows must be skipped
 * @whylen: its size
 *
 * Return: the loaded programs, or NULL with @why set.
 */
struct jit_ebpf *jit_ebpf_open(const char *path, struct jit_workload *wls,
			       char *why, size_t whylen)
{
	struct jit_ebpf *e = calloc(1, sizeof(*e));
	int ret;

	if (!e) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	libbpf_set_print(jit_ebpf_print);
	if (access(path, R_OK)) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	e->obj = bpf_object__open_file(path, NULL);
	if (!e->obj) {
		snprintf(why, whylen, "cannot open %s: %s", path,
			 strerror(errno));
		goto fail;
	}
	ret = jit_ebpf_set_rodata(e, wls, why, whylen);
	if (!ret)
		ret = jit_ebpf_load(e, why, whylen);
	if (!ret)
		ret = jit_ebpf_progs(e, why, whylen);
	if (ret)
		goto fail;
	e->state_fd = bpf_map__fd(jit_ebpf_map(e->obj, ".bss"));
	return e;
fail:
	jit_ebpf_close(e);
	return NULL;
}

void jit_ebpf_close(struct jit_ebpf *e)
{
	if (!e)
		return;
	bpf_object__close(e->obj);
	free(e);
}

/* ---- running ---- */

static int jit_ebpf_set_state(struct jit_ebpf *e, u64 n, bool chained)
{
	struct jit_bpf_state s = { .n = n, .chained = chained };
	u32 key = 0;

	return bpf_map_update_elem(e->state_fd, &key, &s, BPF_ANY) ? -errno : 0;
}

static int jit_ebpf_test_run(int fd, u32 repeat, u32 *retval, u32 *ns)
{
	char pkt[64] = { 0 };	/* XDP wants a frame; the programs ignore it */
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
		    .data_size_in = sizeof(pkt), .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*retval = o.retval;
	*ns = o.duration;
	return 0;
}

/**
 * jit_ebpf_run_once() - run a workload's program on one input row
 * @e: the programs
 * @wl: the workload
 * @row: the input row
 * @r0: receives the verdict
 * @out: receives the int32 output vector (JIT_MATVEC_N elements)
 *
 * Return: 0, or a negative errno.
 */
int jit_ebpf_run_once(struct jit_ebpf *e, u32 wl, u32 row, s64 *r0,
		      s32 *out)
{
	struct jit_bpf_state s;
	u32 key = 0, retval, ns;
	u64 n = 0;
	int ret;

	while (jit_seq[n] != row)	/* every row is in the sequence */
		n++;
	ret = jit_ebpf_set_state(e, n, false);
	if (!ret)
		ret = jit_ebpf_test_run(e->fd[wl], 1, &retval, &ns);
	if (!ret && bpf_map_lookup_elem(e->state_fd, &key, &s))
		ret = -errno;
	if (ret)
		return ret;
	*r0 = (s32)retval;
	memcpy(out, s.out, sizeof(s.out));
	return 0;
}

/* One test run of @repeat runs; @ns receives the kernel's ns per run. */
static int jit_ebpf_batch(struct jit_ebpf *e, u32 wl, bool chained,
			  u32 repeat, u32 *ns)
{
	u32 retval;
	int ret = jit_ebpf_set_state(e, 0, chained);

	return ret ? ret : jit_ebpf_test_run(e->fd[wl], repeat, &retval, ns);
}

static int jit_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double jit_median(double *v, u32 n)
{
	qsort(v, n, sizeof(v[0]), jit_cmp_double);
	return v[n / 2];
}

/**
 * jit_ebpf_measure() - time a workload's program, chained and not
 * @e: the programs
 * @wl: the workload
 * @ns_lat: receives the median kernel-reported ns per chained run
 * @ns_tput: the same for independent runs
 * @repeat: receives the runs per test run
 *
 * Return: 0, or a negative errno.
 */
int jit_ebpf_measure(struct jit_ebpf *e, u32 wl, double *ns_lat,
		     double *ns_tput, u32 *repeat)
{
	double v[2][JIT_EBPF_REPS], n;
	u32 ns, rep, chained;
	int ret;

	ret = jit_ebpf_batch(e, wl, false, JIT_EBPF_MIN_REPEAT, &ns);
	if (ret)
		return ret;
	n = JIT_EBPF_BATCH_NS / (ns ? ns : 1);
	*repeat = n < JIT_EBPF_MIN_REPEAT ? JIT_EBPF_MIN_REPEAT :
		  n > 1e9 ? 1e9 : n;
	for (rep = 0; rep < JIT_EBPF_REPS; rep++)
		for (chained = 0; chained < 2; chained++) {
			ret = jit_ebpf_batch(e, wl, chained, *repeat, &ns);
			if (ret)
				return ret;
			v[chained][rep] = ns;
		}
	*ns_lat = jit_median(v[1], JIT_EBPF_REPS);
	*ns_tput = jit_median(v[0], JIT_EBPF_REPS);
	return 0;
}
