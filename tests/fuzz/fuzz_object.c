// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the rmtc object reader (dsl/object_read.c), the
 * path by which rmtctl takes a compiled policy from a file.
 *
 * A refused input must leave a one-line message and an empty policy.
 * An admitted one must be a policy the rest of rmtc can rely on
 * (operations in dependency order, a line table per program, entries
 * only for the object's tables), and must survive the writer: written
 * (to a memfd, through libelf) and read again it is the same policy,
 * field for field, and written again the same bytes.
 *
 * Built with -DFUZZ_OBJECT_SEEDS this file is instead the seed writer
 * that tests/fuzz/run.sh starts the corpus with: valid objects from
 * hand-built policies, written by rmtc_object_write().
 *
 * Usage (seed writer): fuzz_object_seeds DIR
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "insn.h"
#include "rmtc.h"

#ifndef FUZZ_OBJECT_SEEDS

static bool fuzz_policy_empty(const struct rmtc_policy *p)
{
	static const struct rmtc_policy zero;

	return !memcmp(p, &zero, sizeof(zero));
}

static u32 fuzz_rank(u32 cmd)
{
	switch (cmd) {
	case RMT_CMD_CTXMAP_NEW:
		return 0;
	case RMT_CMD_MODEL_NEW:
		return 1;
	case RMT_CMD_PROG_NEW:
		return 2;
	case RMT_CMD_TABLE_NEW:
		return 3;
	}
	FUZZ_CHECK(cmd == RMT_CMD_ENTRY_NEW, "command %u", cmd);
	return 4;
}

static bool fuzz_has_table(const struct rmtc_policy *p, const char *name)
{
	u32 i;

	for (i = 0; i < p->nops; i++)
		if (p->ops[i].cmd == RMT_CMD_TABLE_NEW && !strcmp(p->ops[i].name, name))
			return true;
	return false;
}

/* What the reader promises about a policy it admits. */
static void fuzz_check_policy(const struct rmtc_policy *p)
{
	u32 i, rank = 0, nprogs = 0;

	FUZZ_CHECK(p->nfiles <= RMTC_MAX_FILES, "%u files", p->nfiles);
	for (i = 0; i < p->nfiles; i++)
		FUZZ_CHECK(p->files[i] && p->files[i][0], "file %u", i);
	for (i = 0; i < p->nops; i++) {
		const struct rmt_op *op = &p->ops[i];

		FUZZ_CHECK(fuzz_rank(op->cmd) >= rank, "op %u out of order", i);
		rank = fuzz_rank(op->cmd);
		FUZZ_CHECK(memchr(op->name, '\0', RMT_NAME_MAX) && op->name[0], "op %u name", i);
		if (op->cmd == RMT_CMD_ENTRY_NEW)
			FUZZ_CHECK(fuzz_has_table(p, op->name), "op %u: no table", i);
		if (op->cmd != RMT_CMD_PROG_NEW)
			continue;
		FUZZ_CHECK(nprogs < p->nprogs && p->progs[nprogs].op == i &&
			   p->progs[nprogs].lines && op->prog.insns &&
			   op->prog.len >= 1 && op->prog.len <= RMT_MAX_INSNS,
			   "program %u at op %u", nprogs, i);
		nprogs++;
	}
	FUZZ_CHECK(nprogs == p->nprogs, "%u programs, %u infos", nprogs, p->nprogs);
}

/* Both policies come from the reader: calloc()ed, so padding compares too. */
static void fuzz_check_same(const struct rmtc_policy *a, const struct rmtc_policy *b)
{
	struct rmt_op x, y;
	u32 i, len;

	FUZZ_CHECK(a->nops == b->nops && a->nprogs == b->nprogs && a->nfiles == b->nfiles,
		   "sizes differ");
	for (i = 0; i < a->nops; i++) {
		x = a->ops[i];
		y = b->ops[i];
		if (x.cmd == RMT_CMD_PROG_NEW) {
			FUZZ_CHECK(!memcmp(x.prog.insns, y.prog.insns,
					   x.prog.len * sizeof(struct rmt_insn)), "op %u insns", i);
			x.prog.insns = y.prog.insns = NULL;
		} else if (x.cmd == RMT_CMD_MODEL_NEW) {
			FUZZ_CHECK(x.model.len == y.model.len &&
				   !memcmp(x.model.blob, y.model.blob, x.model.len), "op %u blob", i);
			x.model.blob = y.model.blob = NULL;
		}
		FUZZ_CHECK(!memcmp(&x, &y, sizeof(x)), "op %u differs", i);
	}
	for (i = 0; i < a->nprogs; i++) {
		const struct rmtc_prog_info *p = &a->progs[i], *q = &b->progs[i];

		len = a->ops[p->op].prog.len;
		FUZZ_CHECK(p->op == q->op && p->cost == q->cost &&
			   p->max_insns == q->max_insns &&
			   !memcmp(&p->decl, &q->decl, sizeof(p->decl)) &&
			   !memcmp(p->lines, q->lines, len * sizeof(*p->lines)),
			   "program %u differs", i);
	}
	for (i = 0; i < a->nfiles; i++)
		FUZZ_CHECK(!strcmp(a->files[i], b->files[i]), "file %u differs", i);
}

/* rmtc_object_write() into a memfd; returns its bytes (malloc()ed). */
static u8 *fuzz_write(const struct rmtc_policy *p, size_t *len)
{
	static int fd = -1;
	static char path[64];
	char err[256];
	struct stat st;
	u8 *buf;
	int ret;

	if (fd < 0) {
		fd = memfd_create("fuzz_object", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	ret = rmtc_object_write(p, path, err, sizeof(err));
	FUZZ_CHECK(!ret, "an admitted policy is not written: %s", err);
	FUZZ_CHECK(!fstat(fd, &st) && st.st_size > 0, "nothing written");
	*len = st.st_size;
	buf = malloc(*len);
	FUZZ_CHECK(buf && pread(fd, buf, *len, 0) == (ssize_t)*len, "cannot read back");
	return buf;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rmtc_policy a, b, c;
	char err[256];
	size_t len, len2;
	u8 *buf, *buf2;
	int ret;

	ret = rmtc_object_read_mem(data, size, &a, err, sizeof(err));
	if (ret) {
		FUZZ_CHECK(ret < 0 && err[0] && !strchr(err, '\n'), "refusal %d: \"%s\"", ret, err);
		FUZZ_CHECK(fuzz_policy_empty(&a), "refused, but the policy is not empty");
		return 0;
	}
	fuzz_check_policy(&a);
	buf = fuzz_write(&a, &len);
	ret = rmtc_object_read_mem(buf, len, &b, err, sizeof(err));
	FUZZ_CHECK(!ret, "the writer's own object is refused: %s", err);
	fuzz_check_same(&a, &b);
	buf2 = fuzz_write(&b, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(buf, buf2, len), "written twice, different bytes");
	/* Every prefix of a valid object is refused (one, so runs stay fast). */
	ret = rmtc_object_read_mem(buf, size % len, &c, err, sizeof(err));
	FUZZ_CHECK(ret && fuzz_policy_empty(&c), "a prefix of %zu bytes is admitted", size % len);
	free(buf);
	free(buf2);
	rmtc_policy_release(&a);
	rmtc_policy_release(&b);
	return 0;
}

#else /* FUZZ_OBJECT_SEEDS */

static const struct rmt_insn seed_stride[] = {
	RMT_LDF(1, 5), RMT_LDF(2, 0), RMT_LD_CTXT(3, 2, 0, 0), RMT_MOV_R(4, 1),
	RMT_ALU_R(SUB, 4, 3), RMT_ST_CTXT(2, 1, 0, 0),
	RMT_VECTOR_LD(0, RMT_DT_I8, 0, 8), RMT_MAT_MUL(8, 0, FUZZ_T_W8),
	RMT_ARGMAX(0, 8, 4, RMT_DT_I32), RMT_EXIT(),
};

static const struct rmt_insn seed_const[] = {
	RMT_MOV_I(0, 4), RMT_EXIT(),
};

static void seed_prog(struct rmtc_policy *p, const char *name,
		      const struct rmt_insn *insns, u32 len)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_PROG_NEW, name);
	struct rmtc_prog_info *info;
	u32 k;

	op->prog.insns = malloc(len * sizeof(*insns));
	FUZZ_CHECK(op->prog.insns, "out of memory");
	memcpy((void *)op->prog.insns, insns, len * sizeof(*insns));
	op->prog.len = len;
	op->prog.hook = RMT_HOOK_SWAP_RA;
	p->progs = realloc(p->progs, (p->nprogs + 1) * sizeof(*p->progs));
	FUZZ_CHECK(p->progs, "out of memory");
	info = &p->progs[p->nprogs++];
	memset(info, 0, sizeof(*info));
	info->op = p->nops - 1;
	info->lines = calloc(len, sizeof(*info->lines));
	FUZZ_CHECK(info->lines, "out of memory");
	for (k = 0; k < len; k++)
		info->lines[k] = (struct rmtc_line){ 10 + k, 2, k & (p->nfiles > 1) };
	info->cost = 40 + len;
	info->max_insns = len;
	info->decl = (struct rmtc_line){ 9, 1, 0 };
}

static void seed_entry(struct rmtc_policy *p, const char *table, const char *prog,
		       s64 key, u32 prefix)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_ENTRY_NEW, table);

	op->entry.key[0] = key;
	op->entry.nkey = 1;
	if (prefix) {
		op->entry.prefix = prefix;
		op->entry.has_prefix = true;
	} else {
		op->entry.mask[0] = 0xfff0;
		op->entry.nmask = 1;
		op->entry.priority = 7;
	}
	op->entry.params[0] = key - 1;
	op->entry.nparams = 1;
	strcpy(op->entry.prog, prog);
}

static void seed_table(struct rmtc_policy *p, const char *name, u32 match,
		       const char *dflt)
{
	struct rmt_op *op = rmtc_policy_add_op(p, RMT_CMD_TABLE_NEW, name);

	op->table.hook = RMT_HOOK_SWAP_RA;
	op->table.match = match;
	op->table.size = 32;
	strcpy(op->table.keys[op->table.nkeys++], "offset");
	strcpy(op->table.dflt, dflt);
}

/* Seed @n: 0 every kind of object, 1 one action, 2 nothing but the head. */
static void seed_policy(struct rmtc_policy *p, u32 n)
{
	struct rmt_op *op;
	u32 len;

	memset(p, 0, sizeof(*p));
	p->files[p->nfiles++] = strdup("policy.rmt");
	if (n == 2)
		return;
	if (n == 0) {
		p->files[p->nfiles++] = strdup("include/swap.rmt");
		op = rmtc_policy_add_op(p, RMT_CMD_CTXMAP_NEW, "last");
		op->ctxmap = (struct rmt_ctxmap_desc){ 2, 4, 64, RMT_KEY_PID };
		op = rmtc_policy_add_op(p, RMT_CMD_MODEL_NEW, "mlp");
		op->model.blob = fuzz_model_blob(&len);
		op->model.len = len;
		FUZZ_CHECK(op->model.blob, "out of memory");
		seed_prog(p, "stride", seed_stride, ARRAY_SIZE(seed_stride));
		op = &p->ops[p->nops - 1];
		strcpy(op->prog.model, "mlp");
		strcpy(op->prog.maps[op->prog.nmaps++], "last");
		op->prog.budget = 4096;
		op->prog.has_budget = true;
	}
	seed_prog(p, "const", seed_const, ARRAY_SIZE(seed_const));
	if (n == 1)
		return;
	strcpy(p->ops[p->nops - 1].prog.tails[p->ops[p->nops - 1].prog.ntails++], "stride");
	seed_table(p, "ra", RMT_MATCH_TERNARY, "const");
	seed_table(p, "lpm", RMT_MATCH_LPM, "");
	seed_entry(p, "ra", "stride", 0x1230, 0);
	seed_entry(p, "ra", "const", -5, 0);
	seed_entry(p, "lpm", "stride", 1LL << 40, 24);
}

int main(int argc, char **argv)
{
	struct rmtc_policy p;
	char path[4096], err[256];
	u32 n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (n = 0; n < 3; n++) {
		seed_policy(&p, n);
		snprintf(path, sizeof(path), "%s/seed-object-%02u", argv[1], n);
		if (rmtc_object_write(&p, path, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		rmtc_policy_release(&p);
	}
	return 0;
}

#endif /* FUZZ_OBJECT_SEEDS */
