// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test images: a program bundle (programs, model, context maps) with
 * the input of one test run, as one flat buffer.  The kernel takes it on
 * debugfs and rmtctl runs it in-process, through this same parser.
 */
#include "store.h"

#define RMT_MAX_REPEAT	10000000u

struct rmt_image_parse {
	struct rmt_image *img;
	const struct rmt_image_rec *progs[RMT_MAX_PROGS];
	struct rmt_diag *diag;
	u32 hook;
	bool have_budget;
};

static int rmt_image_bad(struct rmt_diag *diag, const char *what, u32 rec)
{
	rmt_diag_set(diag, RMT_E_IMAGE, -1, "record %u: %s", rec, what);
	return -EINVAL;
}

static int rmt_image_u32(const struct rmt_image_rec *r, u32 *out)
{
	if (r->len != sizeof(u32))
		return -EINVAL;
	memcpy(out, r + 1, sizeof(u32));
	return 0;
}

static int rmt_image_record(struct rmt_image_parse *p,
			    const struct rmt_image_rec *r, u32 i)
{
	struct rmt_image *img = p->img;
	const void *data = r + 1;
	struct rmt_ctxmap_desc desc;

	switch (r->type) {
	case RMT_REC_PROG:
		if (img->nprogs == RMT_MAX_PROGS)
			return rmt_image_bad(p->diag, "too many programs", i);
		if (!r->len || r->len % sizeof(struct rmt_insn))
			return rmt_image_bad(p->diag, "program size is not a multiple of 8", i);
		p->progs[img->nprogs++] = r;
		return 0;
	case RMT_REC_MODEL:
		if (img->model)
			return rmt_image_bad(p->diag, "more than one model", i);
		img->model = rmt_model_load(data, r->len, p->diag);
		return img->model ? 0 : -EINVAL;
	case RMT_REC_CTXMAP:
		if (r->len != sizeof(desc) || img->env.nmaps == RMT_MAX_CTXMAPS)
			return rmt_image_bad(p->diag, "bad or too many context maps", i);
		memcpy(&desc, data, sizeof(desc));
		img->env.maps[img->env.nmaps] = rmt_ctxmap_create(&desc, p->diag);
		if (!img->env.maps[img->env.nmaps])
			return -EINVAL;
		img->env.nmaps++;
		return 0;
	case RMT_REC_CTX:
		if (r->len % sizeof(s64) || r->len > sizeof(img->ctx))
			return rmt_image_bad(p->diag, "bad context size", i);
		memcpy(img->ctx, data, r->len);
		img->nctx = r->len / sizeof(s64);
		return 0;
	case RMT_REC_BUDGET:
		if (r->len != sizeof(u64))
			return rmt_image_bad(p->diag, "budget is not a u64", i);
		memcpy(&img->budget, data, sizeof(u64));
		p->have_budget = true;
		return 0;
	case RMT_REC_HOOK:
		if (rmt_image_u32(r, &p->hook) || !rmt_hook_schema(p->hook))
			return rmt_image_bad(p->diag, "unknown hook", i);
		return 0;
	case RMT_REC_REPEAT:
		if (rmt_image_u32(r, &img->repeat) || !img->repeat ||
		    img->repeat > RMT_MAX_REPEAT)
			return rmt_image_bad(p->diag, "repeat out of range", i);
		return 0;
	}
	return rmt_image_bad(p->diag, "unknown record type", i);
}

static int rmt_image_load_progs(struct rmt_image_parse *p)
{
	struct rmt_image *img = p->img;
	u32 i;

	if (!img->nprogs)
		return rmt_image_bad(p->diag, "no program in the image", 0);
	if (img->nctx > img->env.hook->nfields)
		return rmt_image_bad(p->diag, "more context fields than the hook has", 0);
	img->env.ntail = img->nprogs - 1;
	for (i = 0; i < img->nprogs; i++) {
		const struct rmt_image_rec *r = p->progs[i];

		img->progs[i] = rmt_prog_load((const void *)(r + 1),
					      r->len / sizeof(struct rmt_insn),
					      &img->env, img->budget, p->diag);
		if (!img->progs[i]) {
			p->diag->prog = i;
			return -EINVAL;
		}
		if (i)
			img->env.tail[i - 1] = img->progs[i];
	}
	return 0;
}

static int rmt_image_parse(struct rmt_image_parse *p, const u8 *buf, size_t len)
{
	const struct rmt_image_hdr *hdr = (const void *)buf;
	size_t pos = sizeof(*hdr);
	u32 i;
	int err;

	if (len < sizeof(*hdr) || hdr->magic != RMT_IMAGE_MAGIC ||
	    hdr->version != RMT_IMAGE_VERSION)
		return rmt_image_bad(p->diag, "bad image header (magic or version)", 0);
	for (i = 0; i < hdr->nrecs; i++) {
		const struct rmt_image_rec *r = (const void *)(buf + pos);

		if (len - pos < sizeof(*r) || r->len > len - pos - sizeof(*r) ||
		    r->reserved)
			return rmt_image_bad(p->diag, "truncated or malformed record", i);
		err = rmt_image_record(p, r, i);
		if (err)
			return err;
		pos += sizeof(*r) + ((r->len + 7) & ~7u);
		if (pos > len)
			pos = len;
	}
	if (pos != len)
		return rmt_image_bad(p->diag, "bytes after the last record", i);
	p->img->env.hook = rmt_hook_schema(p->hook);
	if (!p->have_budget)
		p->img->budget = p->img->env.hook->budget;
	p->img->env.model = p->img->model;
	return rmt_image_load_progs(p);
}

/**
 * rmt_image_load() - parse and verify a test image
 * @buf: the image (8-byte aligned)
 * @len: its length
 * @diag: receives the first rejection; diag->prog names the program
 *
 * Return: the loaded image, or NULL with @diag set.
 */
struct rmt_image *rmt_image_load(const void *buf, size_t len,
				 struct rmt_diag *diag)
{
	struct rmt_image_parse p = { .diag = diag, .hook = RMT_HOOK_TEST };

	p.img = rmt_zalloc(sizeof(*p.img));
	if (!p.img) {
		rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory");
		return NULL;
	}
	p.img->repeat = 1;
	if (rmt_image_parse(&p, buf, len)) {
		rmt_image_free(p.img);
		return NULL;
	}
	return p.img;
}

void rmt_image_free(struct rmt_image *img)
{
	u32 i;

	if (!img)
		return;
	for (i = 0; i < img->nprogs; i++)
		rmt_prog_free(img->progs[i]);
	for (i = 0; i < img->env.nmaps; i++)
		rmt_ctxmap_free(img->env.maps[i]);
	rmt_model_free(img->model);
	rmt_free(img);
}

/**
 * rmt_image_run() - run the image's entry program on its context
 * @img: a loaded image
 * @res: receives the verdict, the context afterwards and timing
 *
 * Each of img->repeat runs starts from the image's context; context
 * maps keep their state across runs, as they do across hook calls.
 *
 * Return: 0, or the interpreter's error (also in res->err).
 */
int rmt_image_run(struct rmt_image *img, struct rmt_test_result *res)
{
	struct rmt_test_run tr = {
		.in = img->ctx, .ctx = res->ctx, .repeat = img->repeat,
	};

	memset(res, 0, sizeof(*res));
	tr.nfields = res->nfields = img->env.hook->nfields;
	tr.scratch = rmt_zalloc(RMT_SCRATCH_SIZE);
	if (!tr.scratch)
		return res->err = -ENOMEM;
	rmt_test_repeat(img->progs[0], NULL, 0, &tr);
	rmt_free(tr.scratch);
	res->err = tr.err;
	res->r0 = tr.r0;
	res->insns = tr.insns;
	res->total_ns = tr.ns;
	res->repeat = tr.runs;
	return res->err;
}

/**
 * rmt_test_result_format() - the text both builds print for a run
 * @res: the outcome
 * @ctx_in: the context before the run, to show only changed fields
 * @buf: output
 * @size: its size
 *
 * Return: characters written, as snprintf().
 */
int rmt_test_result_format(const struct rmt_test_result *res,
			   const s64 *ctx_in, char *buf, size_t size)
{
	size_t n;
	u32 i;

	if (res->err)
		return snprintf(buf, size, "error %d\n", res->err);
	n = snprintf(buf, size, "r0 %lld\nout", (long long)res->r0);
	for (i = 0; i < res->nfields && n < size; i++)
		if (res->ctx[i] != ctx_in[i])
			n += snprintf(buf + n, size - n, " f%u=%lld", i,
				      (long long)res->ctx[i]);
	if (n < size)
		n += snprintf(buf + n, size - n, "\ninsns %llu\n",
			      (unsigned long long)res->insns);
	return n;
}
