// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the test image parser, the path by which the
 * kernel takes a whole bundle from user space (debugfs rmt/test_run).
 *
 * Byte 0 of an input chooses whether a valid image header (with nrecs
 * from byte 1) is put in front of the rest: without it the fuzzer has
 * to get magic and version right itself and mostly exercises the header
 * checks; with it, the mutations land in the records, the model blob,
 * the context-map descriptors and the programs.  An admitted image is
 * run once through rmt_image_run(), like rmtctl and the kernel do.
 */
#include "fuzz.h"

/*
 * The image carries its own budget, so it can admit programs that run
 * for hours: images whose worst-case cost (instructions plus
 * multiply-accumulates, over a chain of tail calls) is larger than this
 * are verified but not run.
 */
#define FUZZ_MAX_RUN_COST	(16ULL << 20)

/* The image's own repeat count is for timing; once is enough here. */
static void fuzz_image_run(struct rmt_image *img, u64 bound, size_t fmt_size)
{
	const u32 nfields = img->env.hook->nfields;
	struct rmt_test_result *res = malloc(sizeof(*res));
	char text[4096], *small = malloc(fmt_size + !fmt_size);
	u32 i;
	int err;

	FUZZ_CHECK(res && small, "out of memory");
	img->repeat = 1;
	err = rmt_image_run(img, res);
	FUZZ_CHECK(err == 0 && res->err == 0, "run failed: %d/%d after %llu insns",
		   err, res->err, (unsigned long long)res->insns);
	FUZZ_CHECK(res->repeat == 1 && res->nfields == nfields,
		   "repeat %u, nfields %u", res->repeat, res->nfields);
	FUZZ_CHECK(res->insns >= 1 && res->insns <= bound,
		   "%llu insns executed, bound %llu",
		   (unsigned long long)res->insns, (unsigned long long)bound);
	/* Fields the hook does not have are copied in and must come back. */
	for (i = nfields; i < RMT_MAX_CTX_FIELDS; i++)
		FUZZ_CHECK(res->ctx[i] == img->ctx[i], "field %u written", i);
	FUZZ_CHECK(rmt_test_result_format(res, img->ctx, text, sizeof(text)) > 0,
		   "empty result text");
	/* A short buffer, exactly sized: truncation must stay inside it. */
	rmt_test_result_format(res, img->ctx, small, fmt_size);
	free(small);
	free(res);
}

/*
 * Everything a loaded image promises its runner.  Sets the instruction
 * bound of one run (the entry program, then up to RMT_MAX_TAIL_CALLS of
 * the others) and returns its worst-case cost, U64_MAX if that is huge.
 */
static u64 fuzz_image_check(const struct rmt_image *img, u64 *bound)
{
	u64 tail_max = 0, cost_max = 0;
	u32 i;

	FUZZ_CHECK(img->nprogs >= 1 && img->nprogs <= RMT_MAX_PROGS,
		   "%u programs", img->nprogs);
	FUZZ_CHECK(img->env.ntail == img->nprogs - 1 && img->env.hook &&
		   img->env.model == img->model && img->env.nmaps <= RMT_MAX_CTXMAPS,
		   "inconsistent env");
	FUZZ_CHECK(img->nctx <= img->env.hook->nfields, "nctx %u", img->nctx);
	FUZZ_CHECK(img->repeat >= 1, "repeat 0");
	for (i = 0; i < img->nprogs; i++) {
		const struct rmt_prog *p = img->progs[i];

		FUZZ_CHECK(p && p->env == &img->env, "program %u missing", i);
		FUZZ_CHECK(!i || img->env.tail[i - 1] == p, "slot %u", i - 1);
		FUZZ_CHECK(p->cost <= img->budget && p->max_insns >= 1 &&
			   p->max_insns <= p->cost &&
			   p->scratch_size <= RMT_SCRATCH_SIZE,
			   "program %u: cost %llu, max_insns %llu, budget %llu",
			   i, (unsigned long long)p->cost,
			   (unsigned long long)p->max_insns,
			   (unsigned long long)img->budget);
		if (i)
			tail_max = max(tail_max, p->max_insns);
		cost_max = max(cost_max, p->cost);
	}
	if (cost_max > FUZZ_MAX_RUN_COST)
		return U64_MAX;
	*bound = img->progs[0]->max_insns + RMT_MAX_TAIL_CALLS * tail_max;
	return cost_max * (1 + RMT_MAX_TAIL_CALLS);
}

/* Bytes 0-1 of the input select the header; the copy is exactly sized. */
static u8 *fuzz_image_buf(const u8 *data, size_t size, size_t *len)
{
	struct rmt_image_hdr hdr = {
		.magic = RMT_IMAGE_MAGIC, .version = RMT_IMAGE_VERSION,
	};
	size_t skip = 1, pre = 0;
	u8 *buf;

	if (data[0] & FUZZ_IMG_ADD_HDR) {
		hdr.nrecs = size > 1 ? data[1] : 0;
		skip = min_t(size_t, 2, size);
		pre = sizeof(hdr);
	}
	*len = pre + size - skip;
	/* malloc() aligns to 16, as rmt_image_load() requires 8. */
	buf = malloc(*len + !*len);
	FUZZ_CHECK(buf, "out of memory");
	memcpy(buf, &hdr, pre);
	memcpy(buf + pre, data + skip, size - skip);
	return buf;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rmt_image *img;
	struct rmt_diag diag;
	size_t len;
	u64 bound = 0;
	u8 *buf;

	if (!size)
		return -1;
	buf = fuzz_image_buf(data, size, &len);
	rmt_diag_clear(&diag);
	img = rmt_image_load(buf, len, &diag);
	if (!img) {
		fuzz_check_diag(&diag, -1);
		FUZZ_CHECK(diag.prog >= -1 && diag.prog < RMT_MAX_PROGS,
			   "prog %d", diag.prog);
	} else {
		FUZZ_CHECK(diag.code == RMT_OK, "admitted with diag %s: %s",
			   rmt_diag_name(diag.code), diag.msg);
		if (fuzz_image_check(img, &bound) <= FUZZ_MAX_RUN_COST)
			fuzz_image_run(img, bound, size % 48);
		rmt_image_free(img);
	}
	free(buf);
	return 0;
}
