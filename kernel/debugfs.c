// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs interface, for tests and for what has no netlink command:
 *
 *   rmt/selftest   read: run the core self-test, get its KTAP report
 *   rmt/test_run   write a test image (struct rmt_image_hdr ...), close;
 *                  then read: the verdict and changed fields, or the
 *                  verifier's diagnostic, in the same text rmtctl prints
 *   rmt/hooks      read: each kernel hook point, where it is attached (or
 *                  why not) and its counters, one line each
 *   rmt/trace, rmt/trace_status: hook tracing (hooks/trace.c)
 *
 * The generic-netlink family offers test runs (RMT_CMD_TEST_RUN) and hook
 * counters (RMT_CMD_HOOK_GET) to tools; these files let a guest exercise
 * the core without rmtctl, and carry the trace stream.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "../rmt/core.h"
#include "rmt_kernel.h"
#include "../hooks/hook.h"
#include "../hooks/trace.h"

#define RMT_TEST_IMAGE_MAX	(4u << 20)
#define RMT_TEST_TEXT_MAX	4096

static struct dentry *rmt_debugfs_dir;
static DEFINE_MUTEX(rmt_test_lock);
static char rmt_test_text[RMT_TEST_TEXT_MAX];	/* under rmt_test_lock */

struct rmt_selftest_buf {
	char *buf;
	size_t len;
	size_t size;
};

static void rmt_selftest_append(void *arg, const char *fmt, ...)
{
	struct rmt_selftest_buf *b = arg;
	va_list ap;

	if (b->len >= b->size)
		return;
	va_start(ap, fmt);
	b->len += vscnprintf(b->buf + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (b->len < b->size - 1)
		b->buf[b->len++] = '\n';
}

static ssize_t rmt_selftest_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct rmt_selftest_buf b = { .size = 8192 };
	ssize_t ret;

	b.buf = kvzalloc(b.size, GFP_KERNEL);
	if (!b.buf)
		return -ENOMEM;
	rmt_selftest_run(rmt_selftest_append, &b);
	ret = simple_read_from_buffer(ubuf, count, ppos, b.buf, b.len);
	kvfree(b.buf);
	return ret;
}

static const struct file_operations rmt_selftest_fops = {
	.owner = THIS_MODULE,
	.read = rmt_selftest_read,
	.llseek = default_llseek,
};

struct rmt_test_upload {
	u8 *buf;
	size_t len;
};

static int rmt_test_open(struct inode *inode, struct file *file)
{
	struct rmt_test_upload *up;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	up->buf = kvzalloc(RMT_TEST_IMAGE_MAX, GFP_KERNEL);
	if (!up->buf) {
		kfree(up);
		return -ENOMEM;
	}
	file->private_data = up;
	return 0;
}

static ssize_t rmt_test_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct rmt_test_upload *up = file->private_data;

	if (!up)
		return -EBADF;
	if (count > RMT_TEST_IMAGE_MAX - up->len)
		return -EFBIG;
	if (copy_from_user(up->buf + up->len, ubuf, count))
		return -EFAULT;
	up->len += count;
	*ppos += count;
	return count;
}

/* Runs the uploaded image; the text is what rmtctl prints for it. */
static void rmt_test_execute(struct rmt_test_upload *up)
{
	struct rmt_test_result *res;
	struct rmt_image *img;
	struct rmt_diag diag;
	char *text = rmt_test_text;

	rmt_diag_clear(&diag);
	img = rmt_image_load(up->buf, up->len, &diag);
	if (!img) {
		size_t n = scnprintf(text, RMT_TEST_TEXT_MAX, "rejected: ");

		n += rmt_diag_format(&diag, text + n, RMT_TEST_TEXT_MAX - n);
		scnprintf(text + n, RMT_TEST_TEXT_MAX - n, "\n");
		return;
	}
	res = kvzalloc(sizeof(*res), GFP_KERNEL);
	if (!res) {
		scnprintf(text, RMT_TEST_TEXT_MAX, "error %d\n", -ENOMEM);
	} else {
		rmt_image_run(img, res);
		rmt_test_result_format(res, img->ctx, text, RMT_TEST_TEXT_MAX);
		kvfree(res);
	}
	rmt_image_free(img);
}

static int rmt_test_release(struct inode *inode, struct file *file)
{
	struct rmt_test_upload *up = file->private_data;

	if (!up)
		return 0;
	mutex_lock(&rmt_test_lock);
	rmt_test_execute(up);
	mutex_unlock(&rmt_test_lock);
	kvfree(up->buf);
	kfree(up);
	return 0;
}

static ssize_t rmt_test_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&rmt_test_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, rmt_test_text,
				      strnlen(rmt_test_text, RMT_TEST_TEXT_MAX));
	mutex_unlock(&rmt_test_lock);
	return ret;
}

static const struct file_operations rmt_test_fops = {
	.owner = THIS_MODULE,
	.open = rmt_test_open,
	.write = rmt_test_write,
	.read = rmt_test_read,
	.release = rmt_test_release,
	.llseek = default_llseek,
};

static int rmt_hooks_show(struct seq_file *m, void *v)
{
	struct rmt_hook_stats st;
	u32 id;

	for (id = 0; id < __RMT_HOOK_MAX; id++) {
		struct rmt_hook_site *s = rmt_hook_site(id);

		if (!s)
			continue;
		rmt_hook_stats_sum(s, &st);
		seq_printf(m, "%s %s %s fires %llu decided %llu defaults %llu errors %llu pages %llu hits %llu dropped %llu\n",
			   rmt_hook_schema(id)->name,
			   s->attached[0] ? "attached" : "unavailable",
			   s->attached[0] ? s->attached : "-", st.fires, st.decided,
			   st.defaults, st.errors, st.pages, st.hits, st.dropped);
		if (!s->attached[0])
			seq_printf(m, "# %s: %s\n", rmt_hook_schema(id)->name, s->why);
	}
	seq_printf(m, "task_exit deleted %llu\n", rmt_task_exit_deleted());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rmt_hooks);

int rmt_debugfs_init(void)
{
	rmt_debugfs_dir = debugfs_create_dir("rmt", NULL);
	if (IS_ERR(rmt_debugfs_dir))
		return PTR_ERR(rmt_debugfs_dir);
	debugfs_create_file("selftest", 0400, rmt_debugfs_dir, NULL,
			    &rmt_selftest_fops);
	debugfs_create_file("test_run", 0600, rmt_debugfs_dir, NULL,
			    &rmt_test_fops);
	debugfs_create_file("hooks", 0400, rmt_debugfs_dir, NULL, &rmt_hooks_fops);
	rmt_trace_debugfs_init(rmt_debugfs_dir);
	return 0;
}

void rmt_debugfs_exit(void)
{
	debugfs_remove_recursive(rmt_debugfs_dir);
}
