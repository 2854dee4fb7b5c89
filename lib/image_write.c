// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing a bundle as a test image (uapi struct rmt_image_hdr and
 * records) and reading one back into a bundle, for rmtctl.
 */
#include "asm.h"

struct rmt_image_buf {
	u8 *buf;
	size_t len;
	size_t cap;
	u16 nrecs;
};

static int rmt_image_put(struct rmt_image_buf *ib, u16 type, const void *data,
			 u32 len)
{
	size_t need = ib->len + sizeof(struct rmt_image_rec) + ((len + 7) & ~7u);
	struct rmt_image_rec rec = { .type = type, .len = len };

	if (need > ib->cap) {
		size_t cap = need * 2;
		u8 *n = realloc(ib->buf, cap);

		if (!n)
			return -ENOMEM;
		ib->buf = n;
		ib->cap = cap;
	}
	memset(ib->buf + ib->len, 0, need - ib->len);
	memcpy(ib->buf + ib->len, &rec, sizeof(rec));
	memcpy(ib->buf + ib->len + sizeof(rec), data, len);
	ib->len = need;
	ib->nrecs++;
	return 0;
}

/**
 * rmt_image_write() - serialise a bundle as a test image
 * @b: the bundle
 * @len: receives the image length
 *
 * Return: the image (free()), or NULL if out of memory.
 */
void *rmt_image_write(const struct rmt_bundle *b, size_t *len)
{
	struct rmt_image_buf ib = { 0 };
	struct rmt_image_hdr hdr = {
		.magic = RMT_IMAGE_MAGIC, .version = RMT_IMAGE_VERSION,
	};
	int err = 0;
	u32 i;

	ib.buf = calloc(1, sizeof(hdr));
	if (!ib.buf)
		return NULL;
	ib.len = ib.cap = sizeof(hdr);
	err |= rmt_image_put(&ib, RMT_REC_HOOK, &b->hook, sizeof(b->hook));
	if (b->has_budget)
		err |= rmt_image_put(&ib, RMT_REC_BUDGET, &b->budget,
				     sizeof(b->budget));
	if (b->repeat > 1)
		err |= rmt_image_put(&ib, RMT_REC_REPEAT, &b->repeat,
				     sizeof(b->repeat));
	if (b->model)
		err |= rmt_image_put(&ib, RMT_REC_MODEL, b->model, b->model_len);
	for (i = 0; i < b->nmaps; i++)
		err |= rmt_image_put(&ib, RMT_REC_CTXMAP, &b->maps[i],
				     sizeof(b->maps[i]));
	if (b->nctx)
		err |= rmt_image_put(&ib, RMT_REC_CTX, b->ctx,
				     b->nctx * sizeof(s64));
	for (i = 0; i < b->nprogs; i++)
		err |= rmt_image_put(&ib, RMT_REC_PROG, b->progs[i].insns,
				     b->progs[i].len * sizeof(struct rmt_insn));
	if (err) {
		free(ib.buf);
		return NULL;
	}
	hdr.nrecs = ib.nrecs;
	memcpy(ib.buf, &hdr, sizeof(hdr));
	*len = ib.len;
	return ib.buf;
}

static int rmt_bundle_add_prog(struct rmt_bundle *b, const void *data, u32 len)
{
	struct rmt_asm_prog *p = &b->progs[b->nprogs];

	p->len = len / sizeof(struct rmt_insn);
	p->insns = malloc(len ? len : 1);
	p->lines = calloc(p->len ? p->len : 1, sizeof(u32));
	if (!p->insns || !p->lines)
		return -ENOMEM;
	memcpy(p->insns, data, len);
	snprintf(p->name, sizeof(p->name), "prog%u", b->nprogs++);
	return 0;
}

/**
 * rmt_image_read_bundle() - the programs and input of a test image
 * @buf: the image; rmt_image_load() has accepted it
 * @len: its length
 * @b: receives programs, context and maps (no source lines)
 * @diag: receives the reason if the image is malformed
 *
 * Return: 0 or a negative errno.
 */
int rmt_image_read_bundle(const void *buf, size_t len, struct rmt_bundle *b,
			  struct rmt_diag *diag)
{
	const struct rmt_image_hdr *hdr = buf;
	size_t pos = sizeof(*hdr);
	u32 i;

	memset(b, 0, sizeof(*b));
	b->repeat = 1;
	if (len < sizeof(*hdr) || hdr->magic != RMT_IMAGE_MAGIC) {
		rmt_diag_set(diag, RMT_E_IMAGE, -1, "not a test image");
		return -EINVAL;
	}
	for (i = 0; i < hdr->nrecs; i++) {
		const struct rmt_image_rec *r = (const void *)((const u8 *)buf + pos);
		const void *data = r + 1;

		if (len - pos < sizeof(*r) || r->len > len - pos - sizeof(*r)) {
			rmt_diag_set(diag, RMT_E_IMAGE, -1, "record %u: truncated", i);
			return -EINVAL;
		}
		if (r->type == RMT_REC_PROG && b->nprogs < RMT_MAX_PROGS &&
		    rmt_bundle_add_prog(b, data, r->len))
			return -ENOMEM;
		if (r->type == RMT_REC_CTX && r->len <= sizeof(b->ctx)) {
			memcpy(b->ctx, data, r->len);
			b->nctx = r->len / sizeof(s64);
		}
		if (r->type == RMT_REC_CTXMAP && r->len == sizeof(b->maps[0]) &&
		    b->nmaps < RMT_MAX_CTXMAPS)
			memcpy(&b->maps[b->nmaps++], data, r->len);
		if (r->type == RMT_REC_HOOK && r->len == sizeof(u32))
			memcpy(&b->hook, data, sizeof(u32));
		pos += sizeof(*r) + ((r->len + 7) & ~7u);
		if (pos > len)
			pos = len;
	}
	return 0;
}
