// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook tracing: every fire of one hook point (its context, verdict and
 * outcome) into per-CPU rings, drained through debugfs.
 *
 *   rmt/trace          write "start HOOK": trace HOOK (one trace at a
 *                      time; -EBUSY while another file has one);
 *                      write "stop": stop it, keeping what is unread;
 *                      read: the records not read yet, whole struct
 *                      rmt_trace_rec each (host byte order), 0 when
 *                      there are none for now
 *   rmt/trace_status   read: one line, "state idle" or the trace's hook,
 *                      state, CPUs, ring size, samples, dropped, unread
 *                      and field names
 *
 * A trace belongs to the file that started it and ends when that file is
 * closed, so a tracer that dies frees its rings; the open file pins the
 * module, so rmt.ko never unloads under a trace.
 *
 * Each CPU has its own ring of trace_records records (a module parameter),
 * allocated at start and freed at close.  The hook on that CPU is its only producer (with
 * interrupts off for the few stores, so a hook in an interrupt cannot
 * interleave); the reader is the only consumer.  A full ring never
 * overwrites: the fire is counted as dropped, and the drops are reported
 * with the samples.  The hook path neither sleeps nor allocates.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/rmt_trace.h>

#include "hook.h"
#include "trace.h"

static unsigned int trace_records = 4096;
module_param(trace_records, uint, 0644);
MODULE_PARM_DESC(trace_records,
		 "Records per CPU in a hook trace's ring, rounded up to a power of two in 64..65536 (default 4096)");

/**
 * struct rmt_trace_ring - one CPU's records
 * @head: records written; only the hook on this CPU writes it
 * @tail: records read; only the reader writes it
 * @dropped: fires that found the ring full
 * @buf: the session's @ring records, or NULL for a CPU that came online
 *	after the start (its fires are dropped)
 */
struct rmt_trace_ring {
	u64 head;
	u64 tail;
	u64 dropped;
	u8 *buf;
};

/**
 * struct rmt_trace_session - one trace, owned by the file that started it
 * @hook: enum rmt_hook_id traced
 * @nfields: its context fields
 * @rec_len: bytes per record
 * @ring: records per CPU, a power of two
 * @running: hooks write to it (it is rmt_trace_live)
 * @start_real: CLOCK_REALTIME at the start, ns
 * @start_mono: CLOCK_MONOTONIC at the start, ns
 * @duration: ns from start to stop, once stopped
 * @next_cpu: the CPU the next read starts draining
 * @rings: per-CPU rings
 */
struct rmt_trace_session {
	u32 hook;
	u32 nfields;
	u32 rec_len;
	u32 ring;
	bool running;
	u64 start_real;
	u64 start_mono;
	u64 duration;
	unsigned int next_cpu;
	struct rmt_trace_ring __percpu *rings;
};

DEFINE_STATIC_KEY_FALSE(rmt_trace_on);
static struct rmt_trace_session __rcu *rmt_trace_live;	/* hooks write here */
static struct rmt_trace_session *rmt_trace_sess;	/* under rmt_trace_lock */
static DEFINE_MUTEX(rmt_trace_lock);

/* The hook path: see rmt_trace_sample() in trace.h. */
void __rmt_trace_sample(u32 hook, const s64 *ctx, s64 verdict, bool decided,
			bool failed)
{
	struct rmt_trace_session *s;
	struct rmt_trace_ring *r;
	struct rmt_trace_rec *rec;
	unsigned long flags;
	u64 head;

	rcu_read_lock();
	s = rcu_dereference(rmt_trace_live);
	if (!s || s->hook != hook)
		goto out;
	local_irq_save(flags);
	r = this_cpu_ptr(s->rings);
	head = r->head;
	if (!r->buf || head - smp_load_acquire(&r->tail) >= s->ring) {
		WRITE_ONCE(r->dropped, r->dropped + 1);
		goto unlock;
	}
	rec = (struct rmt_trace_rec *)(r->buf +
				       (head & (s->ring - 1)) * s->rec_len);
	rec->time_ns = ktime_get_ns() - s->start_mono;
	rec->verdict = decided ? verdict : RMT_VERDICT_DEFAULT;
	rec->cpu = smp_processor_id();
	rec->hook = hook;
	rec->nfields = s->nfields;
	rec->flags = (decided ? RMT_TRACE_DECIDED : RMT_TRACE_DEFAULT) |
		     (failed ? RMT_TRACE_ERROR : 0);
	memcpy(rec->ctx, ctx, s->nfields * sizeof(s64));
	smp_store_release(&r->head, head + 1);	/* publishes the record */
unlock:
	local_irq_restore(flags);
out:
	rcu_read_unlock();
}

static void rmt_trace_free(struct rmt_trace_session *s)
{
	int cpu;

	if (s->rings)
		for_each_possible_cpu(cpu)
			vfree(per_cpu_ptr(s->rings, cpu)->buf);
	free_percpu(s->rings);
	kfree(s);
}

static struct rmt_trace_session *rmt_trace_alloc(u32 hook)
{
	const struct rmt_hook_schema *h = rmt_hook_schema(hook);
	struct rmt_trace_session *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int cpu;

	if (!s)
		return NULL;
	s->hook = hook;
	s->nfields = h->nfields;
	s->rec_len = sizeof(struct rmt_trace_rec) + h->nfields * sizeof(s64);
	s->ring = roundup_pow_of_two(clamp_val(READ_ONCE(trace_records), 64, 65536));
	s->rings = alloc_percpu(struct rmt_trace_ring);
	if (!s->rings)
		goto fail;
	for_each_online_cpu(cpu) {
		struct rmt_trace_ring *r = per_cpu_ptr(s->rings, cpu);

		r->buf = vmalloc_node((size_t)s->ring * s->rec_len, cpu_to_node(cpu));
		if (!r->buf)
			goto fail;
	}
	return s;
fail:
	rmt_trace_free(s);
	return NULL;
}

/* Stop the hooks writing to @s; what they wrote stays readable. */
static void rmt_trace_stop(struct rmt_trace_session *s)
{
	if (!s->running)
		return;
	RCU_INIT_POINTER(rmt_trace_live, NULL);
	static_branch_disable(&rmt_trace_on);
	synchronize_rcu();	/* no hook is inside __rmt_trace_sample() */
	s->running = false;
	s->duration = ktime_get_ns() - s->start_mono;
}

/* End @file's trace, if it has one, and free it.  Under rmt_trace_lock. */
static void rmt_trace_end(struct file *file)
{
	struct rmt_trace_session *s = file->private_data;

	if (!s)
		return;
	rmt_trace_stop(s);
	rmt_trace_free(s);
	rmt_trace_sess = NULL;
	file->private_data = NULL;
}

/*
 * The hook of that name, if it has a kernel site attached.
 * Return: 0, -EINVAL (no such hook), -EOPNOTSUPP (no kernel site: the
 * test hook) or -ENODEV (not attached to this kernel).
 */
static int rmt_trace_hook(const char *name, u32 *id)
{
	const struct rmt_hook_schema *h;
	struct rmt_hook_site *site;

	for (*id = 0; *id < __RMT_HOOK_MAX; (*id)++) {
		h = rmt_hook_schema(*id);
		if (!h || strcmp(h->name, name))
			continue;
		site = rmt_hook_site(*id);
		if (!site)
			return -EOPNOTSUPP;
		return site->attached[0] ? 0 : -ENODEV;
	}
	return -EINVAL;
}

static int rmt_trace_start(struct file *file, const char *name)
{
	struct rmt_trace_session *s;
	u32 hook;
	int err = rmt_trace_hook(name, &hook);

	if (err)
		return err;
	mutex_lock(&rmt_trace_lock);
	rmt_trace_end(file);	/* a file starting again ends its last trace */
	if (rmt_trace_sess) {
		mutex_unlock(&rmt_trace_lock);
		return -EBUSY;
	}
	s = rmt_trace_alloc(hook);
	if (!s) {
		mutex_unlock(&rmt_trace_lock);
		return -ENOMEM;
	}
	s->start_real = ktime_get_real_ns();
	s->start_mono = ktime_get_ns();
	s->running = true;
	rmt_trace_sess = s;
	file->private_data = s;
	rcu_assign_pointer(rmt_trace_live, s);
	static_branch_enable(&rmt_trace_on);
	mutex_unlock(&rmt_trace_lock);
	return 0;
}

static ssize_t rmt_trace_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[64], *cmd;
	int err = 0;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);
	if (!strncmp(cmd, "start ", 6)) {
		err = rmt_trace_start(file, skip_spaces(cmd + 6));
	} else if (!strcmp(cmd, "stop")) {
		mutex_lock(&rmt_trace_lock);
		if (file->private_data)
			rmt_trace_stop(file->private_data);
		else
			err = -EINVAL;
		mutex_unlock(&rmt_trace_lock);
	} else {
		err = -EINVAL;
	}
	return err ? err : count;
}

/* Copy up to @max records of @r to @ubuf.  Return: records, or -EFAULT. */
static long rmt_trace_drain(const struct rmt_trace_session *s,
			    struct rmt_trace_ring *r, char __user *ubuf,
			    size_t max)
{
	u64 tail = r->tail, n = smp_load_acquire(&r->head) - tail;
	size_t at = tail & (s->ring - 1), first;

	n = min_t(u64, n, max);
	first = min_t(u64, n, s->ring - at);
	if (copy_to_user(ubuf, r->buf + at * s->rec_len, first * s->rec_len) ||
	    copy_to_user(ubuf + first * s->rec_len, r->buf, (n - first) * s->rec_len))
		return -EFAULT;
	smp_store_release(&r->tail, tail + n);	/* the slots are free again */
	return n;
}

static ssize_t rmt_trace_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct rmt_trace_session *s;
	unsigned int i, cpu;
	size_t done = 0;
	long n = 0;

	mutex_lock(&rmt_trace_lock);
	s = file->private_data;
	if (!s || count < s->rec_len) {
		mutex_unlock(&rmt_trace_lock);
		return -EINVAL;
	}
	for (i = 0; i < nr_cpu_ids && n >= 0; i++) {
		cpu = (s->next_cpu + i) % nr_cpu_ids;
		if (!cpu_possible(cpu) || !per_cpu_ptr(s->rings, cpu)->buf)
			continue;
		n = rmt_trace_drain(s, per_cpu_ptr(s->rings, cpu), ubuf + done,
				    (count - done) / s->rec_len);
		if (n > 0)
			done += n * s->rec_len;
	}
	s->next_cpu = (s->next_cpu + 1) % nr_cpu_ids;
	mutex_unlock(&rmt_trace_lock);
	if (!done && n < 0)
		return n;
	return done;
}

static int rmt_trace_release(struct inode *inode, struct file *file)
{
	mutex_lock(&rmt_trace_lock);
	rmt_trace_end(file);
	mutex_unlock(&rmt_trace_lock);
	return 0;
}

static const struct file_operations rmt_trace_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = rmt_trace_write,
	.read = rmt_trace_read,
	.release = rmt_trace_release,
	.llseek = no_llseek,
};

static int rmt_trace_status_show(struct seq_file *m, void *v)
{
	const struct rmt_hook_schema *h;
	struct rmt_trace_session *s;
	u64 samples = 0, dropped = 0, unread = 0;
	u32 i;
	int cpu;

	mutex_lock(&rmt_trace_lock);
	s = rmt_trace_sess;
	if (!s) {
		mutex_unlock(&rmt_trace_lock);
		seq_puts(m, "state idle\n");
		return 0;
	}
	for_each_possible_cpu(cpu) {
		const struct rmt_trace_ring *r = per_cpu_ptr(s->rings, cpu);
		u64 head = smp_load_acquire(&r->head);

		samples += head;
		unread += head - READ_ONCE(r->tail);
		dropped += READ_ONCE(r->dropped);
	}
	h = rmt_hook_schema(s->hook);
	seq_printf(m, "hook %s id %u state %s cpus %u ring %u record_len %u start_ns %llu duration_ns %llu samples %llu dropped %llu unread %llu fields ",
		   h->name, s->hook, s->running ? "running" : "stopped",
		   nr_cpu_ids, s->ring, s->rec_len, s->start_real,
		   s->running ? ktime_get_ns() - s->start_mono : s->duration,
		   samples, dropped, unread);
	for (i = 0; i < h->nfields; i++)
		seq_printf(m, "%s%s", i ? "," : "", h->field_names[i]);
	seq_putc(m, '\n');
	mutex_unlock(&rmt_trace_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rmt_trace_status);

/**
 * rmt_trace_debugfs_init() - create rmt/trace and rmt/trace_status
 * @dir: rmt.ko's debugfs directory, removed (with them) at unload
 */
void rmt_trace_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("trace", 0600, dir, NULL, &rmt_trace_fops);
	debugfs_create_file("trace_status", 0400, dir, NULL,
			    &rmt_trace_status_fops);
}
