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
		if (!strcmp(argv[i], "--ctx") && i + 1 < argc)
			ctx_arg = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = strtol(argv[++i], NULL, 0);
		else if (!in.path && argv[i][0] != '-')
			in.path = argv[i];
		else
			in.path = NULL, i = argc;
	}
	if (!in.path || repeat < 0 || repeat > 10000000)
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: rmtctl prog run FILE [--ctx V,V,...] [--repeat N]");
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

static const struct rmtctl_cmd prog_cmds[] = {
	{ "verify", prog_verify, "FILE" },
	{ "run", prog_run, "FILE [--ctx V,V,...] [--repeat N]" },
	{ "asm", prog_asm, "FILE -o IMAGE" },
	{ "disasm", prog_disasm, "FILE" },
	{ NULL }
};

int do_prog(struct rmtctl *ctl, int argc, char **argv)
{
	return rmtctl_dispatch(ctl, "prog", prog_cmds, argc, argv);
}
