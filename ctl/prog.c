// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl prog: verify, run, assemble and disassemble programs.
 *
 * FILE is RMT assembly (.rasm) or a test image.  Both go through the
 * same path the kernel takes: the bundle is written as a test image and
 * loaded by rmt_image_load(), so a verdict here is the kernel's verdict.
 * This is the embedded backend; it needs no kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "rmtctl.h"

struct prog_input {
	const char *path;
	char *text;		/* source, if assembly */
	struct rmt_bundle bundle;
	void *image;
	size_t image_len;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	bool failed;

	if (!f)
		return NULL;
	for (;;) {
		nb = realloc(buf, cap + 1);
		if (!nb)
			break;
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	failed = !nb || ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static bool is_image(const char *buf, size_t len)
{
	u32 magic;

	if (len < sizeof(magic))
		return false;
	memcpy(&magic, buf, sizeof(magic));
	return magic == RMT_IMAGE_MAGIC;
}

/* Print a source line under a located message. */
static void show_source(const char *text, u32 line, u32 col)
{
	const char *p = text, *e;
	u32 n;

	for (n = 1; n < line && p; n++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	e = strchr(p, '\n');
	fprintf(stderr, "%5u | %.*s\n", line, (int)(e ? e - p : (long)strlen(p)), p);
	if (col)
		fprintf(stderr, "      | %*s^\n", (int)col - 1, "");
}

static int load_input(struct rmtctl *ctl, struct prog_input *in)
{
	struct rmt_asm_error aerr;
	struct rmt_diag diag;
	size_t len;
	char *buf;

	buf = read_file(in->path, &len);
	if (!buf)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "cannot read %s", in->path);
	if (is_image(buf, len)) {
		in->image = buf;
		in->image_len = len;
		/*
		 * Names and lines are only for display; whether the image
		 * is acceptable is for rmt_image_load() to say, precisely.
		 */
		rmt_diag_clear(&diag);
		rmt_image_read_bundle(buf, len, &in->bundle, &diag);
		return RMTCTL_OK;
	}
	if (memchr(buf, '\0', len)) {
		free(buf);
		return rmtctl_error(ctl, RMTCTL_REJECTED,
				    "%s: neither RMT assembly nor a test image",
				    in->path);
	}
	in->text = buf;
	if (rmt_asm_parse(buf, &in->bundle, &aerr)) {
		if (ctl->jw) {
			json_start_object(ctl->jw);
			json_name(ctl->jw, "error");
			json_start_object(ctl->jw);
			json_kv_string(ctl->jw, "file", in->path);
			json_kv_uint(ctl->jw, "line", aerr.line);
			json_kv_uint(ctl->jw, "col", aerr.col);
			json_kv_string(ctl->jw, "message", aerr.msg);
			json_end_object(ctl->jw);
			json_end_object(ctl->jw);
		} else {
			fprintf(stderr, "%s:%u:%u: error: %s\n", in->path,
				aerr.line, aerr.col, aerr.msg);
			show_source(buf, aerr.line, aerr.col);
		}
		return RMTCTL_REJECTED;
	}
	in->image = rmt_image_write(&in->bundle, &in->image_len);
	if (!in->image)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	return RMTCTL_OK;
}

static void release_input(struct prog_input *in)
{
	rmt_bundle_release(&in->bundle);
	free(in->image);
	free(in->text);
}

/* The verifier's diagnostic, located in the source when there is one. */
static int report_reject(struct rmtctl *ctl, struct prog_input *in,
			 const struct rmt_diag *diag)
{
	const struct rmt_asm_prog *p = NULL;
	u32 line = 0;
	char text[512];

	if (diag->prog >= 0 && (u32)diag->prog < in->bundle.nprogs)
		p = &in->bundle.progs[diag->prog];
	else if (diag->insn >= 0 && in->bundle.nprogs)
		p = &in->bundle.progs[0];
	if (p && in->text && diag->insn >= 0 && (u32)diag->insn < p->len)
		line = p->lines[diag->insn];
	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_name(ctl->jw, "error");
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "file", in->path);
		if (line)
			json_kv_uint(ctl->jw, "line", line);
		json_kv_int(ctl->jw, "prog", diag->prog < 0 ? 0 : diag->prog);
		json_kv_int(ctl->jw, "insn", diag->insn);
		json_kv_string(ctl->jw, "code", rmt_diag_name(diag->code));
		json_kv_string(ctl->jw, "message", diag->msg);
		json_kv_string(ctl->jw, "hint", rmt_diag_hint(diag->code));
		json_end_object(ctl->jw);
		json_end_object(ctl->jw);
		return RMTCTL_REJECTED;
	}
	rmt_diag_format(diag, text, sizeof(text));
	if (line)
		fprintf(stderr, "%s:%u: error: %s\n", in->path, line, text);
	else
		fprintf(stderr, "%s: error: %s\n", in->path, text);
	if (line)
		show_source(in->text, line, 0);
	return RMTCTL_REJECTED;
}

static int load_image(struct rmtctl *ctl, struct prog_input *in,
		      struct rmt_image **img)
{
	struct rmt_diag diag;

	rmt_diag_clear(&diag);
	*img = rmt_image_load(in->image, in->image_len, &diag);
	if (!*img)
		return report_reject(ctl, in, &diag);
	return RMTCTL_OK;
}

static int prog_verify(struct rmtctl *ctl, int argc, char **argv)
{
	struct prog_input in = { 0 };
	struct rmt_image *img = NULL;
	int ret;
	u32 i;

	if (argc != 1)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: rmtctl prog verify FILE");
	in.path = argv[0];
	ret = load_input(ctl, &in);
	if (!ret)
		ret = load_image(ctl, &in, &img);
	if (!ret && ctl->jw) {
		json_start_object(ctl->jw);
		json_kv_string(ctl->jw, "file", in.path);
		json_name(ctl->jw, "programs");
		json_start_array(ctl->jw);
		for (i = 0; i < img->nprogs; i++) {
			json_start_object(ctl->jw);
			json_kv_string(ctl->jw, "name", in.bundle.progs[i].name);
			json_kv_uint(ctl->jw, "insns", img->progs[i]->len);
			json_kv_uint(ctl->jw, "cost", img->progs[i]->cost);
			json_kv_uint(ctl->jw, "max_insns", img->progs[i]->max_insns);
			json_kv_uint(ctl->jw, "scratch", img->progs[i]->scratch_size);
			json_end_object(ctl->jw);
		}
		json_end_array(ctl->jw);
		json_end_object(ctl->jw);
	} else if (!ret) {
		printf("%s: ok, %u program%s verified (budget %llu)\n", in.path,
		       img->nprogs, img->nprogs == 1 ? "" : "s",
		       (unsigned long long)img->budget);
		for (i = 0; i < img->nprogs; i++)
			printf("  prog %u %s: %u insns, cost %llu, max %llu insns, scratch %u bytes\n",
			       i, in.bundle.progs[i].name, img->progs[i]->len,
			       (unsigned long long)img->progs[i]->cost,
			       (unsigned long long)img->progs[i]->max_insns,
			       img->progs[i]->scratch_size);
	}
	rmt_image_free(img);
	release_input(&in);
	return ret;
}

static int parse_ctx_arg(struct rmtctl *ctl, char *arg, struct rmt_image *img)
{
	char *tok, *end;
	u32 n = 0;

	memset(img->ctx, 0, sizeof(img->ctx));
	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		if (n == img->env.hook->nfields)
			return rmtctl_error(ctl, RMTCTL_USAGE,
					    "--ctx: hook %s has only %u fields",
					    img->env.hook->name, img->env.hook->nfields);
		img->ctx[n++] = strtoll(tok, &end, 0);
		if (*end)
			return rmtctl_error(ctl, RMTCTL_USAGE,
					    "--ctx: '%s' is not a number", tok);
	}
	img->nctx = n;
	return RMTCTL_OK;
}

static void print_result(struct rmtctl *ctl, const struct rmt_image *img,
			 const struct rmt_test_result *res)
{
	char text[4096];
	u32 i;

	if (!ctl->jw) {
		rmt_test_result_format(res, img->ctx, text, sizeof(text));
		fputs(text, stdout);
		if (res->repeat > 1)
			printf("ns_per_run %.1f\n",
			       (double)res->total_ns / res->repeat);
		return;
	}
	json_start_object(ctl->jw);
	if (res->err) {
		json_kv_int(ctl->jw, "error", res->err);
	} else {
		json_kv_int(ctl->jw, "r0", res->r0);
		json_name(ctl->jw, "out");
		json_start_object(ctl->jw);
		for (i = 0; i < res->nfields; i++) {
			char name[16];

			if (res->ctx[i] == img->ctx[i])
				continue;
			snprintf(name, sizeof(name), "f%u", i);
			json_kv_int(ctl->jw, name, res->ctx[i]);
		}
		json_end_object(ctl->jw);
		json_kv_uint(ctl->jw, "insns", res->insns);
		json_kv_uint(ctl->jw, "repeat", res->repeat);
		json_kv_uint(ctl->jw, "total_ns", res->total_ns);
	}
	json_end_object(ctl->jw);
}

static int prog_run(struct rmtctl *ctl, int argc, char **argv)
{
	struct prog_input in = { 0 };
	struct rmt_test_result res;
	struct rmt_image *img = NULL;
	char *ctx_arg = NULL;
	long repeat = 0;
	int ret, i;

	for (i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "--ctx") || !strcmp(argv[i], "ctx")) &&
		    i + 1 < argc)
			ctx_arg = argv[++i];
		else if ((!strcmp(argv[i], "--repeat") ||
			  !strcmp(argv[i], "repeat")) && i + 1 < argc)
			repeat = strtol(argv[++i], NULL, 0);
		else if (!in.path && argv[i][0] != '-' && i == 0)
			in.path = argv[i];
		else
			in.path = NULL, i = argc;
	}
	if (!in.path || repeat < 0 || repeat > 10000000)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: rmtctl prog run FILE [ctx V,V,...] [repeat N]");
	ret = load_input(ctl, &in);
	if (!ret)
		ret = load_image(ctl, &in, &img);
	if (!ret && ctx_arg)
		ret = parse_ctx_arg(ctl, ctx_arg, img);
	if (!ret) {
		if (repeat)
			img->repeat = (u32)repeat;
		rmt_image_run(img, &res);
		print_result(ctl, img, &res);
		if (res.err)
			ret = RMTCTL_REJECTED;
	}
	rmt_image_free(img);
	release_input(&in);
	return ret;
}

static int prog_asm(struct rmtctl *ctl, int argc, char **argv)
{
	struct prog_input in = { 0 };
	const char *out = NULL;
	FILE *f;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "-o"))
		out = argv[2];
	if (!out)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: rmtctl prog asm FILE -o IMAGE");
	in.path = argv[0];
	ret = load_input(ctl, &in);
	if (!ret) {
		f = fopen(out, "wb");
		if (!f || fwrite(in.image, 1, in.image_len, f) != in.image_len)
			ret = rmtctl_error(ctl, RMTCTL_SYSERR, "cannot write %s", out);
		if (f && fclose(f))
			ret = rmtctl_error(ctl, RMTCTL_SYSERR, "cannot write %s", out);
	}
	release_input(&in);
	return ret;
}

static int prog_disasm(struct rmtctl *ctl, int argc, char **argv)
{
	struct prog_input in = { 0 };
	char line[128];
	int ret;
	u32 i, j;

	if (argc != 1)
		return rmtctl_error(ctl, RMTCTL_USAGE, "usage: rmtctl prog disasm FILE");
	in.path = argv[0];
	ret = load_input(ctl, &in);
	if (!ret && ctl->jw)
		json_start_array(ctl->jw);
	for (i = 0; !ret && i < in.bundle.nprogs; i++) {
		const struct rmt_asm_prog *p = &in.bundle.progs[i];

		if (ctl->jw) {
			json_start_object(ctl->jw);
			json_kv_string(ctl->jw, "name", p->name);
			json_name(ctl->jw, "insns");
			json_start_array(ctl->jw);
		} else {
			printf(".prog %s\n", p->name);
		}
		for (j = 0; j < p->len; j++) {
			rmt_disasm_insn(&p->insns[j], line, sizeof(line));
			if (ctl->jw)
				json_string(ctl->jw, line);
			else
				printf("\t%s\t; %u\n", line, j);
		}
		if (ctl->jw) {
			json_end_array(ctl->jw);
			json_end_object(ctl->jw);
		}
	}
	if (!ret && ctl->jw)
		json_end_array(ctl->jw);
	release_input(&in);
	return ret;
}

/* The first program of FILE (assembly or image), for prog load. */
int rmtctl_load_program(struct rmtctl *ctl, const char *path, struct rmt_op *op,
			struct rmtctl_keep *keep)
{
	struct prog_input in = { .path = path };
	struct rmt_asm_prog *p;
	int ret = load_input(ctl, &in);

	if (!ret && !in.bundle.nprogs)
		ret = rmtctl_error(ctl, RMTCTL_REJECTED, "%s: no program", path);
	if (!ret && keep->n + 2 > (int)ARRAY_SIZE(keep->bufs))
		ret = rmtctl_error(ctl, RMTCTL_USAGE, "too many programs in one batch");
	if (!ret) {
		p = &in.bundle.progs[0];
		op->prog.hook = in.bundle.hook;
		op->prog.insns = p->insns;
		op->prog.len = p->len;
		if (in.bundle.has_budget && !op->prog.has_budget) {
			op->prog.budget = in.bundle.budget;
			op->prog.has_budget = true;
		}
		/* keep the instructions and their source lines */
		keep->bufs[keep->n++] = p->insns;
		keep->bufs[keep->n++] = p->lines;
		p->insns = NULL;
		p->lines = NULL;
		if (in.text && !keep->source) {
			keep->source = in.text;
			in.text = NULL;
			keep->path = path;
			keep->lines = keep->bufs[keep->n - 1];
			keep->nlines = op->prog.len;
		}
	}
	release_input(&in);
	return ret;
}

/* The model (tensors, trees) of an assembly file, for model load. */
int rmtctl_load_model(struct rmtctl *ctl, const char *path, struct rmt_op *op,
		      struct rmtctl_keep *keep)
{
	struct prog_input in = { .path = path };
	int ret = load_input(ctl, &in);

	if (!ret && !in.bundle.model)
		ret = rmtctl_error(ctl, RMTCTL_REJECTED, "%s: no .tensor or .tree", path);
	if (!ret && keep->n + 1 > (int)ARRAY_SIZE(keep->bufs))
		ret = rmtctl_error(ctl, RMTCTL_USAGE, "too many models in one batch");
	if (!ret) {
		op->model.blob = in.bundle.model;
		op->model.len = in.bundle.model_len;
		keep->bufs[keep->n++] = in.bundle.model;
		in.bundle.model = NULL;
	}
	release_input(&in);
	return ret;
}

static int names_list(struct rmtctl *ctl, const char *s, char (*out)[RMT_NAME_MAX],
		      u32 max, u32 *n)
{
	char buf[1024], *save, *w;

	snprintf(buf, sizeof(buf), "%s", s);
	for (*n = 0, w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return rmtctl_error(ctl, RMTCTL_USAGE, "at most %u names", max);
		if (rmtctl_copy_name(ctl, out[(*n)++], w))
			return RMTCTL_USAGE;
	}
	return 0;
}

/* jit TIER: a name of enum rmt_jit_tier */
static int jit_tier(struct rmtctl *ctl, const char *v, u32 *tier)
{
	char names[64] = "";
	int t = rmt_jit_tier_parse(v);
	size_t n = 0;
	u32 i;

	if (t >= 0) {
		*tier = t;
		return 0;
	}
	for (i = 0; i < __RMT_JIT_MAX; i++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s",
			      i ? (i + 1 < __RMT_JIT_MAX ? ", " : " or ") : "",
			      rmt_jit_tier_name(i));
	return rmtctl_error(ctl, RMTCTL_USAGE, "jit: unknown tier '%s'; use %s",
			    v, names);
}

static int prog_load(struct rmtctl *ctl, int argc, char **argv, struct rmt_op *op,
		     struct rmtctl_keep *keep)
{
	const char *hook = NULL;
	int i, ret;

	op->cmd = RMT_CMD_PROG_NEW;
	if (argc < 3)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: prog load FILE name NAME [hook H] [model M] [ctxmap M,...] [tail P,...] [budget N] [jit TIER]");
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "name"))
			ret = rmtctl_copy_name(ctl, op->name, v);
		else if (!strcmp(k, "hook"))
			hook = v, ret = 0;
		else if (!strcmp(k, "model"))
			ret = rmtctl_copy_name(ctl, op->prog.model, v);
		else if (!strcmp(k, "ctxmap"))
			ret = names_list(ctl, v, op->prog.maps, RMT_MAX_CTXMAPS,
					 &op->prog.nmaps);
		else if (!strcmp(k, "tail"))
			ret = names_list(ctl, v, op->prog.tails, RMT_MAX_PROGS - 1,
					 &op->prog.ntails);
		else if (!strcmp(k, "budget"))
			ret = rmtctl_parse_u64(v, &op->prog.budget) ?
			      rmtctl_error(ctl, RMTCTL_USAGE, "bad budget '%s'", v) :
			      (op->prog.has_budget = true, 0);
		else if (!strcmp(k, "jit"))
			ret = jit_tier(ctl, v, &op->prog.jit);
		else
			ret = rmtctl_error(ctl, RMTCTL_USAGE, "prog load: unknown argument '%s'", k);
		if (ret)
			return ret;
	}
	if (i != argc || !op->name[0])
		return rmtctl_error(ctl, RMTCTL_USAGE, "prog load needs FILE name NAME");
	ret = rmtctl_load_program(ctl, argv[0], op, keep);
	if (!ret && hook && rmtctl_hook_id(ctl, hook, &op->prog.hook))
		return RMTCTL_USAGE;
	return ret;
}

static int prog_del(struct rmtctl *ctl, int argc, char **argv, struct rmt_op *op,
		    struct rmtctl_keep *keep)
{
	op->cmd = RMT_CMD_PROG_DEL;
	return rmtctl_select(ctl, argc, argv, op, "prog");
}

static int prog_show(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_show(ctl, RMT_CMD_PROG_GET, argc ? argv[0] : NULL, NULL);
}

/* The hook of the object a test ran, from its "get": its fields' names. */
static int test_hook_cb(const struct rmtctl_obj *o, void *arg)
{
	const struct rmt_hook_schema **h = arg;
	u32 id;

	for (id = 0; rmt_hook_schema(id); id++)
		if (!strcmp(rmt_hook_schema(id)->name, o->hook))
			*h = rmt_hook_schema(id);
	return 0;
}

static const struct rmt_hook_schema *test_hook(struct rmtctl *ctl,
					       const char *name, bool table)
{
	const struct rmt_hook_schema *h = NULL;
	struct rmtctl_error e = { 0 };

	ctl->be->get(ctl->be_priv, table ? RMT_CMD_TABLE_GET : RMT_CMD_PROG_GET,
		     name, 0, test_hook_cb, &h, &e);
	return h;
}

static const char *field_name(const struct rmt_hook_schema *h, u32 i, char *buf,
			      size_t len)
{
	if (h && i < h->nfields)
		return h->field_names[i];
	snprintf(buf, len, "f%u", i);
	return buf;
}

static void print_test(struct rmtctl *ctl, const struct rmtctl_test *t,
		       const s64 *in, u32 repeat, const struct rmt_hook_schema *h)
{
	char buf[16];
	u32 i;

	if (ctl->jw) {
		json_start_object(ctl->jw);
		if (t->table) {
			json_kv_uint(ctl->jw, "entry", t->entry);
			json_name(ctl->jw, "ran");
			json_bool(ctl->jw, t->ran);
		}
		if (t->err) {
			json_kv_string(ctl->jw, "error", "the program failed; the kernel's decision applies");
			json_kv_int(ctl->jw, "errno", -t->err);
		}
		json_kv_int(ctl->jw, "r0", t->r0);
		json_name(ctl->jw, "out");
		json_start_object(ctl->jw);
		for (i = 0; i < t->nfields; i++)
			if (t->ctx[i] != in[i])
				json_kv_int(ctl->jw, field_name(h, i, buf, sizeof(buf)),
					    t->ctx[i]);
		json_end_object(ctl->jw);
		json_kv_uint(ctl->jw, "insns", t->insns);
		if (repeat > 1)
			json_kv_uint(ctl->jw, "ns_per_run", t->ns / repeat);
		json_end_object(ctl->jw);
		return;
	}
	if (t->table)
		printf("entry %llu ran %d\n", (unsigned long long)t->entry, t->ran);
	if (t->err) {
		printf("error %d\n", t->err);
		return;
	}
	if (!t->ran)
		return;		/* the kernel's own decision applies */
	printf("r0 %lld\nout", (long long)t->r0);
	for (i = 0; i < t->nfields; i++)
		if (t->ctx[i] != in[i])
			printf(" %s=%lld", field_name(h, i, buf, sizeof(buf)),
			       (long long)t->ctx[i]);
	printf("\ninsns %llu\n", (unsigned long long)t->insns);
	if (repeat > 1)
		printf("ns_per_run %.1f\n", (double)t->ns / repeat);
}

/* prog test and table test: run in the backend, print the outcome. */
int rmtctl_test(struct rmtctl *ctl, int argc, char **argv, bool table)
{
	struct rmtctl_test t = { 0 };
	struct rmtctl_error e = { 0 };
	s64 ctx[RMT_MAX_CTX_FIELDS] = { 0 };
	u32 nctx = 0;
	u64 repeat = 1;
	int i, ret;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "ctx") &&
		    !rmtctl_parse_s64_list(argv[i + 1], ctx, RMT_MAX_CTX_FIELDS, &nctx))
			continue;
		if (!strcmp(argv[i], "repeat") && !rmtctl_parse_u64(argv[i + 1], &repeat) &&
		    repeat >= 1 && repeat <= 10000000)
			continue;
		break;
	}
	if (argc < 1 || i != argc)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: %s test NAME [ctx V,V,...] [repeat N]",
				    table ? "table" : "prog");
	ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	if (ctl->be->test_run(ctl->be_priv, argv[0], table, ctx, nctx, (u32)repeat,
			      &t, &e))
		return rmtctl_backend_error(ctl, &e, NULL);
	print_test(ctl, &t, ctx, (u32)repeat, test_hook(ctl, argv[0], table));
	/* a run changes context maps: the embedded state must replay it */
	if (!t.err)
		rmtctl_save_state(ctl);
	return t.err ? RMTCTL_REJECTED : RMTCTL_OK;
}

static int prog_test(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_test(ctl, argc, argv, false);
}

const struct rmtctl_cmd rmtctl_prog_cmds[] = {
	{ "verify", prog_verify, NULL, "FILE" },
	{ "run", prog_run, NULL, "FILE [ctx V,V,...] [repeat N]" },
	{ "asm", prog_asm, NULL, "FILE -o IMAGE" },
	{ "disasm", prog_disasm, NULL, "FILE" },
	{ "load", NULL, prog_load, "FILE name NAME [hook H] [model M] [ctxmap M,...] [tail P,...] [budget N] [jit auto|interp|scalar|avx2|avx512|amx]" },
	{ "del", NULL, prog_del, "NAME | handle H" },
	{ "show", prog_show, NULL, "[NAME]" },
	{ "test", prog_test, NULL, "NAME [ctx V,V,...] [repeat N]" },
	{ "dump", rmtctl_prog_dump, NULL, "jited|xlated NAME" },
	{ NULL }
};
