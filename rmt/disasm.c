// SPDX-License-Identifier: GPL-2.0-only
/*
 * The disassembler: one line of RMT assembly per instruction, driven by
 * the opcode's format string, so it covers every opcode in RMT_OPCODES()
 * and its output is what the assembler reads back.
 */
#include "core.h"

static int rmt_disasm_mem(char *buf, size_t size, u32 reg, s16 off)
{
	if (reg == RMT_REG_NONE)
		return snprintf(buf, size, "[%d]", off);
	return snprintf(buf, size, "[r%u%+d]", reg, off);
}

static int rmt_disasm_operand(const struct rmt_insn *insn, char op, char *buf,
			      size_t size)
{
	u32 dst = RMT_INSN_DST(insn), src = RMT_INSN_SRC(insn);

	switch (op) {
	case 'd':
		return snprintf(buf, size, "r%u", dst);
	case 's':
		return snprintf(buf, size, "r%u", src);
	case 'x':
		return src == RMT_REG_NONE ? snprintf(buf, size, "-") :
					     snprintf(buf, size, "r%u", src);
	case 'o':
		return snprintf(buf, size, "%d", insn->off);
	case 'j':
		return snprintf(buf, size, "%+d", insn->off);
	case 'i':
		return snprintf(buf, size, "%d", insn->imm);
	case 'l':
		return snprintf(buf, size, "%u", RMT_IMM_LO16(insn->imm));
	case 'h':
		return snprintf(buf, size, "%u", RMT_IMM_HI16(insn->imm));
	case 'm':
		return rmt_disasm_mem(buf, size, src, insn->off);
	case 'M':
		return rmt_disasm_mem(buf, size, dst, insn->off);
	default:	/* '0'-'3' */
		return snprintf(buf, size, "%u", RMT_IMM_BYTE(insn->imm, op - '0'));
	}
}

/**
 * rmt_disasm_insn() - format one instruction
 * @insn: the instruction
 * @buf: output
 * @size: its size
 *
 * An unknown opcode, or one with fields its format does not name, prints
 * as ".raw code, regs, off, imm", which the assembler accepts, so any
 * bytes survive a round trip.
 *
 * Return: characters written, as snprintf().
 */
int rmt_disasm_insn(const struct rmt_insn *insn, char *buf, size_t size)
{
	const struct rmt_op_info *info = &rmt_op_info[insn->code];
	const char *f;
	size_t n;

	if (!info->name || !rmt_insn_reserved_clear(insn))
		return snprintf(buf, size, ".raw 0x%02x, 0x%02x, %d, %d",
				insn->code, insn->regs, insn->off, insn->imm);
	n = snprintf(buf, size, "%s", info->name);
	for (f = info->fmt; *f && n < size; f++) {
		if (*f == ',')
			continue;
		n += snprintf(buf + n, size - n, f == info->fmt ? " " : ", ");
		if (n < size)
			n += rmt_disasm_operand(insn, *f, buf + n, size - n);
	}
	return n;
}
