// SPDX-License-Identifier: GPL-2.0-only
/*
 * Model objects: validating a model blob (tensors and decision trees)
 * once at load, so that the verifier can trust its shapes and the
 * kernels can trust its bounds.
 */
#include "core.h"

static bool rmt_range_ok(u32 off, u64 len, u32 total)
{
	return (u64)off + len <= total;
}

static int rmt_model_check_tensor(const struct rmt_tensor_desc *t, u32 idx,
				  u32 data_len, struct rmt_diag *diag)
{
	u32 esize = rmt_dtype_size(t->dtype);

	if (!esize || t->reserved) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "tensor %u: bad dtype %u", idx, t->dtype);
		return -EINVAL;
	}
	if (!t->rows || !t->cols || t->rows > RMT_MAX_DIM ||
	    t->cols > RMT_MAX_DIM) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "tensor %u: shape %ux%u outside 1..%u", idx,
			     t->rows, t->cols, RMT_MAX_DIM);
		return -EINVAL;
	}
	if (t->data_off % esize ||
	    !rmt_range_ok(t->data_off, (u64)t->rows * t->cols * esize,
			  data_len)) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "tensor %u: data at %u is misaligned or beyond the data area",
			     idx, t->data_off);
		return -EINVAL;
	}
	if (t->out_dtype && (rmt_dtype_size(t->out_dtype) == 0 ||
			     t->out_dtype == RMT_DT_I64 || t->q_shift > 62 ||
			     t->q_mult <= 0)) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "tensor %u: bad requantisation (out dtype %u, mult %d, shift %u)",
			     idx, t->out_dtype, t->q_mult, t->q_shift);
		return -EINVAL;
	}
	return 0;
}

/* Depth of each node = inner nodes below it on the longest path. */
static int rmt_model_check_tree(struct rmt_tree *tree, u32 idx,
				struct rmt_diag *diag)
{
	u16 *depth;
	u32 i;

	depth = rmt_zalloc(tree->nnodes * sizeof(*depth));
	if (!depth) {
		rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory");
		return -ENOMEM;
	}
	for (i = tree->nnodes; i-- > 0;) {
		const struct rmt_dtree_node *n = &tree->nodes[i];

		if (n->flags & ~RMT_DTREE_LEAF)
			goto bad;
		if (n->flags & RMT_DTREE_LEAF)
			continue;
		if (n->feature >= tree->nfeatures || n->left <= i ||
		    n->right <= i || n->left >= tree->nnodes ||
		    n->right >= tree->nnodes)
			goto bad;
		depth[i] = 1 + max(depth[n->left], depth[n->right]);
	}
	tree->depth = depth[0];
	rmt_free(depth);
	return 0;
bad:
	rmt_diag_set(diag, RMT_E_MODEL, -1,
		     "tree %u: node %u has a bad feature, child or flag",
		     idx, i);
	rmt_free(depth);
	return -EINVAL;
}

static int rmt_model_parse(struct rmt_model *m, struct rmt_diag *diag)
{
	const struct rmt_model_hdr *hdr = m->blob;
	const struct rmt_dtree_desc *tds;
	const u8 *data;
	u64 desc_len;
	u32 i;
	int err;

	if (m->blob_len < sizeof(*hdr) || hdr->magic != RMT_MODEL_MAGIC ||
	    hdr->version != RMT_MODEL_VERSION || hdr->reserved) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "bad model header (magic, version or size)");
		return -EINVAL;
	}
	if (hdr->ntensors > RMT_MAX_TENSORS || hdr->ntrees > RMT_MAX_TREES) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "%u tensors and %u trees exceed the limits %u and %u",
			     hdr->ntensors, hdr->ntrees, RMT_MAX_TENSORS,
			     RMT_MAX_TREES);
		return -EINVAL;
	}
	desc_len = sizeof(*hdr) +
		   (u64)hdr->ntensors * sizeof(struct rmt_tensor_desc) +
		   (u64)hdr->ntrees * sizeof(struct rmt_dtree_desc);
	desc_len = (desc_len + 7) & ~7ULL;
	if (desc_len + hdr->data_len != m->blob_len) {
		rmt_diag_set(diag, RMT_E_MODEL, -1,
			     "model is %u bytes but its header describes %llu",
			     m->blob_len,
			     (unsigned long long)(desc_len + hdr->data_len));
		return -EINVAL;
	}
	for (i = sizeof(*hdr) + hdr->ntensors * sizeof(struct rmt_tensor_desc) +
		 hdr->ntrees * sizeof(struct rmt_dtree_desc); i < desc_len; i++) {
		if (((const u8 *)m->blob)[i]) {
			rmt_diag_set(diag, RMT_E_MODEL, -1,
				     "padding before the data area is not zero");
			return -EINVAL;
		}
	}
	m->ntensors = hdr->ntensors;
	m->ntrees = hdr->ntrees;
	m->tensors = (const void *)(hdr + 1);
	tds = (const void *)(m->tensors + m->ntensors);
	data = (const u8 *)m->blob + desc_len;

	for (i = 0; i < m->ntensors; i++) {
		err = rmt_model_check_tensor(&m->tensors[i], i, hdr->data_len,
					     diag);
		if (err)
			return err;
		m->tensor_data[i] = data + m->tensors[i].data_off;
	}
	for (i = 0; i < m->ntrees; i++) {
		struct rmt_tree *tree = &m->trees[i];

		if (!tds[i].nnodes || tds[i].nnodes > RMT_MAX_TREE_NODES ||
		    !tds[i].nfeatures || tds[i].nfeatures > RMT_MAX_DIM ||
		    tds[i].data_off % 4 ||
		    !rmt_range_ok(tds[i].data_off, (u64)tds[i].nnodes *
				  sizeof(struct rmt_dtree_node), hdr->data_len)) {
			rmt_diag_set(diag, RMT_E_MODEL, -1,
				     "tree %u: %u nodes over %u features at %u do not fit",
				     i, tds[i].nnodes, tds[i].nfeatures,
				     tds[i].data_off);
			return -EINVAL;
		}
		tree->nodes = (const void *)(data + tds[i].data_off);
		tree->nnodes = tds[i].nnodes;
		tree->nfeatures = tds[i].nfeatures;
		err = rmt_model_check_tree(tree, i, diag);
		if (err)
			return err;
	}
	return 0;
}

/**
 * rmt_model_load() - validate a model blob and keep a private copy
 * @blob: struct rmt_model_hdr, descriptors, data
 * @len: bytes at @blob
 * @diag: receives the reason on rejection
 *
 * The copy is 8-byte aligned, so tensor data is aligned to its element.
 *
 * Return: the model, or NULL with @diag set.
 */
struct rmt_model *rmt_model_load(const void *blob, u32 len,
				 struct rmt_diag *diag)
{
	struct rmt_model *m;

	m = rmt_zalloc(sizeof(*m));
	if (!m)
		goto nomem;
	m->blob = rmt_zalloc(len ? len : 1);
	if (!m->blob)
		goto nomem;
	memcpy(m->blob, blob, len);
	m->blob_len = len;
	if (rmt_model_parse(m, diag)) {
		rmt_model_free(m);
		return NULL;
	}
	return m;
nomem:
	rmt_model_free(m);
	rmt_diag_set(diag, RMT_E_NOMEM, -1, "out of memory for a %u-byte model",
		     len);
	return NULL;
}

void rmt_model_free(struct rmt_model *model)
{
	if (!model)
		return;
	rmt_free(model->blob);
	rmt_free(model);
}

/**
 * rmt_model_build() - lay out a model blob from descriptors and data
 * @tensors: descriptors; data_off is filled in
 * @tdata: element data of each tensor (rows * cols elements)
 * @ntensors: number of tensors
 * @trees: descriptors; data_off is filled in
 * @tnodes: node array of each tree
 * @ntrees: number of trees
 * @len: receives the blob's length
 *
 * For tests, benchmarks and tools that build models in code.
 *
 * Return: the blob (free with rmt_free()), or NULL if out of memory.
 */
void *rmt_model_build(struct rmt_tensor_desc *tensors, const void *const *tdata,
		      u32 ntensors, struct rmt_dtree_desc *trees,
		      const struct rmt_dtree_node *const *tnodes, u32 ntrees,
		      u32 *len)
{
	u32 desc = sizeof(struct rmt_model_hdr) + ntensors * sizeof(*tensors) +
		   ntrees * sizeof(*trees);
	u32 i, data = 0, size;
	struct rmt_model_hdr *hdr;
	u8 *blob, *d;

	desc = (desc + 7) & ~7u;
	for (i = 0; i < ntensors; i++) {
		tensors[i].data_off = data;
		data += (tensors[i].rows * tensors[i].cols *
			 rmt_dtype_size(tensors[i].dtype) + 7) & ~7u;
	}
	for (i = 0; i < ntrees; i++) {
		trees[i].data_off = data;
		data += (trees[i].nnodes * sizeof(struct rmt_dtree_node) + 7) & ~7u;
	}
	size = desc + data;
	blob = rmt_zalloc(size);
	if (!blob)
		return NULL;
	hdr = (void *)blob;
	hdr->magic = RMT_MODEL_MAGIC;
	hdr->version = RMT_MODEL_VERSION;
	hdr->ntensors = ntensors;
	hdr->ntrees = ntrees;
	hdr->data_len = data;
	if (ntensors)	/* either list may be NULL when empty */
		memcpy(hdr + 1, tensors, ntensors * sizeof(*tensors));
	if (ntrees)
		memcpy((u8 *)(hdr + 1) + ntensors * sizeof(*tensors), trees,
		       ntrees * sizeof(*trees));
	d = blob + desc;
	for (i = 0; i < ntensors; i++)
		memcpy(d + tensors[i].data_off, tdata[i], tensors[i].rows *
		       tensors[i].cols * rmt_dtype_size(tensors[i].dtype));
	for (i = 0; i < ntrees; i++)
		memcpy(d + trees[i].data_off, tnodes[i],
		       trees[i].nnodes * sizeof(struct rmt_dtree_node));
	*len = size;
	return blob;
}
