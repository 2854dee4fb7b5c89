// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl prog dump: a loaded program as the backend holds it.
 *
 *   prog dump xlated NAME   its instructions, "N: INSN" a line
 *   prog dump jited NAME    its machine code, disassembled by capstone
 *                           in Intel syntax, grouped under the RMT
 *                           instruction each piece implements, between
 *                           the prologue's group and the epilogue's
 *
 * The backend hands over the code with the offset at which each
 * instruction's code starts (RMT_A_PROG_JIT_MAP); both backends refuse
 * an interpreted program in the same words.
 */
#include <stdio.h>
#include <string.h>
#include <capstone/capstone.h>

#include "rmtctl.h"

#define DUMP_BYTES_COL	30	/* text: width of the bytes column */

struct dump {
	struct rmtctl *ctl;
	bool jited;
	int ret;
};

/* The map is sorted and inside the code: each group is a slice of it. */
static bool dump_map_ok(const struct rmtctl_obj *o)
{
	u32 i;

	for (i = 0; i <= o->insns; i++)
		if (o->jit_map[i] > o->jited_len ||
		    (i && o->jit_map[i] < o->jit_map[i - 1]))
			return false;
	return true;
}

static void dump_hex(char *buf, size_t size, const u8 *p, u32 n)
{
	size_t len = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < n && len + 4 <= size; i++)
		len += snprintf(buf + len, size - len, "%s%02x", i ? " " : "", p[i]);
}

static void dump_x86_one(struct rmtctl *ctl, u32 off, const u8 *p, u32 n,
			 const char *text)
{
	char bytes[3 * 16];

	dump_hex(bytes, sizeof(bytes), p, n);
	if (!ctl->jw) {
		printf("  %5x:  %-*s %s\n", off, DUMP_BYTES_COL, bytes, text);
		return;
	}
	json_start_object(ctl->jw);
	json_kv_uint(ctl->jw, "off", off);
	json_kv_string(ctl->jw, "bytes", bytes);
	json_kv_string(ctl->jw, "asm", text);
	json_end_object(ctl->jw);
}

/* Mnemonic and operands; capstone 4 writes "zmm1 {k1}" as "zmm1 , {k1}". */
static void dump_asm_text(char *text, size_t size, const cs_insn *ci)
{
	char *c;

	snprintf(text, size, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "",
		 ci->op_str);
	while ((c = strstr(text, " ,")))
		memmove(c, c + 1, strlen(c + 1) + 1);
}

/*
 * One group: a header (@insn and its text, or the prologue's or the
 * epilogue's name with @insn -1), then the x86 instructions in bytes
 * [@from, @to) of @code, at their offsets in the image.  What capstone
 * cannot decode goes to rmtctl_x86_vex(), and what that cannot either is
 * shown a byte at a time as "(bad)".
 */
static void dump_group(struct rmtctl *ctl, csh cs, cs_insn *ci, long insn,
		       const char *rmt, const u8 *code, u32 from, u32 to)
{
	const u8 *p = code + from;
	size_t left = to - from;
	uint64_t addr = from;
	char text[192];

	if (ctl->jw) {
		json_start_object(ctl->jw);
		json_name(ctl->jw, "insn");
		if (insn < 0)
			json_null(ctl->jw);
		else
			json_uint(ctl->jw, insn);
		json_kv_string(ctl->jw, "rmt", rmt);
		json_name(ctl->jw, "x86");
		json_start_array(ctl->jw);
	} else if (insn < 0) {
		printf("%s:\n", rmt);
	} else {
		printf("%ld: %s\n", insn, rmt);
	}
	while (left) {
		const u8 *start = p;
		u32 off = (u32)addr, n;

		if (cs_disasm_iter(cs, &p, &left, &addr, ci)) {
			dump_asm_text(text, sizeof(text), ci);
			dump_x86_one(ctl, off, start, ci->size, text);
			continue;
		}
		n = rmtctl_x86_vex(p, left, text, sizeof(text));
		if (!n) {
			n = 1;
			snprintf(text, sizeof(text), "(bad)");
		}
		dump_x86_one(ctl, off, start, n, text);
		p += n;
		left -= n;
		addr += n;
	}
	if (ctl->jw) {
		json_end_array(ctl->jw);
		json_end_object(ctl->jw);
	}
}

static int dump_jited(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	const u32 *map = o->jit_map;
	char rmt[128];
	cs_insn *ci;
	csh cs;
	u32 i;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return rmtctl_error(ctl, RMTCTL_SYSERR, "capstone: cannot open an x86-64 disassembler");
	cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
	ci = cs_malloc(cs);
	if (!ci) {
		cs_close(&cs);
		return rmtctl_error(ctl, RMTCTL_SYSERR, "out of memory");
	}
	if (ctl->jw)
		json_start_array(ctl->jw);
	dump_group(ctl, cs, ci, -1, "prologue", o->jited, 0, map[0]);
	for (i = 0; i < o->insns; i++) {
		rmt_disasm_insn(&o->prog_insns[i], rmt, sizeof(rmt));
		dump_group(ctl, cs, ci, i, rmt, o->jited, map[i], map[i + 1]);
	}
	dump_group(ctl, cs, ci, -1, "epilogue", o->jited, map[o->insns],
		   o->jited_len);
	if (ctl->jw)
		json_end_array(ctl->jw);
	cs_free(ci, 1);
	cs_close(&cs);
	return RMTCTL_OK;
}

static int dump_xlated(struct rmtctl *ctl, const struct rmtctl_obj *o)
{
	char rmt[128];
	u32 i;

	if (ctl->jw)
		json_start_array(ctl->jw);
	for (i = 0; i < o->insns; i++) {
		rmt_disasm_insn(&o->prog_insns[i], rmt, sizeof(rmt));
		if (!ctl->jw) {
			printf("%u: %s\n", i, rmt);
			continue;
		}
		json_start_object(ctl->jw);
		json_kv_uint(ctl->jw, "insn", i);
		json_kv_string(ctl->jw, "rmt", rmt);
		json_end_object(ctl->jw);
	}
	if (ctl->jw)
		json_end_array(ctl->jw);
	return RMTCTL_OK;
}

static int dump_cb(const struct rmtctl_obj *o, void *arg)
{
	struct dump *d = arg;

	if (!o->prog_insns)
		d->ret = rmtctl_error(d->ctl, RMTCTL_SYSERR,
				      "the backend sent no instructions of program %s",
				      o->name);
	else if (d->jited && (!o->jited || !dump_map_ok(o)))
		d->ret = rmtctl_error(d->ctl, RMTCTL_SYSERR,
				      "the backend sent no machine code of program %s, or a map that does not fit it",
				      o->name);
	else
		d->ret = d->jited ? dump_jited(d->ctl, o) : dump_xlated(d->ctl, o);
	return 0;
}

/**
 * rmtctl_prog_dump() - prog dump jited|xlated NAME
 * @ctl: tool state
 * @argc: arguments after "dump"
 * @argv: "jited" or "xlated", then the program's name
 *
 * Return: exit code.
 */
int rmtctl_prog_dump(struct rmtctl *ctl, int argc, char **argv)
{
	struct dump d = { .ctl = ctl, .ret = RMTCTL_OK };
	struct rmtctl_error e = { 0 };
	int ret;

	if (argc != 2 || (strcmp(argv[0], "jited") && strcmp(argv[0], "xlated")))
		return rmtctl_error(ctl, RMTCTL_USAGE,
				    "usage: prog dump jited|xlated NAME");
	d.jited = !strcmp(argv[0], "jited");
	ret = rmtctl_backend(ctl);
	if (ret)
		return ret;
	if (ctl->be->get(ctl->be_priv, RMT_CMD_PROG_GET, argv[1],
			 d.jited ? RMTCTL_GET_JITED : 0, dump_cb, &d, &e))
		return rmtctl_backend_error(ctl, &e, NULL);
	return d.ret;
}
