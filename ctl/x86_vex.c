// SPDX-License-Identifier: GPL-2.0-only
/*
 * What capstone 4 cannot disassemble of the JIT's code: the VEX and
 * EVEX instructions newer than it (AVX-512 VNNI's vpdpbusd and
 * vpdpwssd, AVX512BW's kmovd/kmovq, AMX).  For prog dump jited, which
 * asks here when capstone gives up: the instruction's length, always
 * (so that the listing stays in step with the code), and its name and
 * operands, in capstone's Intel syntax, for the few the JIT emits.
 */
#include <stdio.h>
#include <string.h>

#include "rmtctl.h"

/* A VEX or EVEX instruction, its prefix unpacked (inverted bits undone). */
struct vex {
	bool evex;
	u8 map;		/* 1: 0F, 2: 0F38, 3: 0F3A */
	u8 pp;		/* 0: none, 1: 66, 2: F3, 3: F2 */
	bool w;
	u8 l;		/* vector length: 0, 1, 2 = 128, 256, 512 */
	u8 r, x, b;	/* ModRM.reg, SIB.index and base/rm extensions */
	u8 vvvv;	/* with EVEX's V' as bit 4 */
	u8 aaa;		/* EVEX opmask */
	bool z, bcst;	/* EVEX zeroing, embedded broadcast */
	u8 op;
	u8 modrm;
	const u8 *mem;	/* SIB and displacement, when ModRM.mod != 3 */
	u8 imm;
};

enum vex_form {
	VF_VVM,		/* vector reg, vector vvvv, vector reg/mem */
	VF_KG,		/* opmask reg, general rm */
	VF_GK,		/* general reg, opmask rm */
	VF_MEM,		/* memory only (ModRM.reg 0) */
	VF_NONE,	/* no operands (ModRM is part of the opcode) */
	VF_T,		/* tile reg */
	VF_TM,		/* tile reg, memory */
	VF_MT,		/* memory, tile reg */
	VF_TTT,		/* tile reg, tile rm, tile vvvv */
	VF_VMI,		/* vector vvvv, vector reg/mem, imm8 (shifts) */
	VF_RMI,		/* vector reg, vector reg/mem, imm8 */
	VF_VVMI,	/* vector reg, vector vvvv, vector reg/mem, imm8 */
	VF_KVM,		/* opmask reg, vector vvvv, vector reg/mem */
	VF_HALF,	/* half-width vector reg/mem, vector reg, imm8 */
};

/*
 * @w, @modrm and @ext (ModRM.reg as an opcode extension) are -1 when
 * they do not tell instructions apart.
 */
static const struct vex_name {
	bool evex;
	u8 map, pp, op;
	s8 w;
	s16 modrm;
	s8 ext;
	u8 form;
	const char *name;
} vex_names[] = {
	{ true, 2, 1, 0x50, 0, -1, -1, VF_VVM, "vpdpbusd" },
	{ true, 2, 1, 0x51, 0, -1, -1, VF_VVM, "vpdpbusds" },
	{ true, 2, 1, 0x52, 0, -1, -1, VF_VVM, "vpdpwssd" },
	{ true, 2, 1, 0x53, 0, -1, -1, VF_VVM, "vpdpwssds" },
	{ true, 1, 1, 0x72, 0, -1, 2, VF_VMI, "vpsrld" },
	{ true, 1, 1, 0x72, 0, -1, 4, VF_VMI, "vpsrad" },
	{ true, 1, 1, 0x72, 1, -1, 4, VF_VMI, "vpsraq" },
	{ true, 1, 1, 0x72, 0, -1, 6, VF_VMI, "vpslld" },
	{ true, 1, 1, 0x73, 1, -1, 2, VF_VMI, "vpsrlq" },
	{ true, 1, 1, 0x73, -1, -1, 3, VF_VMI, "vpsrldq" },
	{ true, 1, 1, 0x73, 1, -1, 6, VF_VMI, "vpsllq" },
	{ true, 1, 1, 0x73, -1, -1, 7, VF_VMI, "vpslldq" },
	{ true, 1, 1, 0x70, 0, -1, -1, VF_RMI, "vpshufd" },
	{ true, 1, 1, 0x6b, -1, -1, -1, VF_VVM, "vpackssdw" },
	{ true, 1, 1, 0x63, -1, -1, -1, VF_VVM, "vpacksswb" },
	{ true, 2, 1, 0x36, 0, -1, -1, VF_VVM, "vpermd" },
	{ true, 2, 1, 0x40, 0, -1, -1, VF_VVM, "vpmulld" },
	{ true, 1, 1, 0x76, 0, -1, -1, VF_KVM, "vpcmpeqd" },
	{ true, 3, 1, 0x43, 0, -1, -1, VF_VVMI, "vshufi32x4" },
	{ true, 3, 1, 0x43, 1, -1, -1, VF_VVMI, "vshufi64x2" },
	{ true, 3, 1, 0x3b, 0, -1, -1, VF_HALF, "vextracti32x8" },
	{ true, 3, 1, 0x3b, 1, -1, -1, VF_HALF, "vextracti64x4" },
	{ false, 2, 1, 0x50, 0, -1, -1, VF_VVM, "{vex} vpdpbusd" },
	{ false, 2, 1, 0x52, 0, -1, -1, VF_VVM, "{vex} vpdpwssd" },
	{ false, 1, 3, 0x92, 0, -1, -1, VF_KG, "kmovd" },
	{ false, 1, 3, 0x92, 1, -1, -1, VF_KG, "kmovq" },
	{ false, 1, 3, 0x93, 0, -1, -1, VF_GK, "kmovd" },
	{ false, 1, 3, 0x93, 1, -1, -1, VF_GK, "kmovq" },
	{ false, 2, 0, 0x49, 0, 0xc0, -1, VF_NONE, "tilerelease" },
	{ false, 2, 0, 0x49, 0, -1, 0, VF_MEM, "ldtilecfg" },
	{ false, 2, 1, 0x49, 0, -1, 0, VF_MEM, "sttilecfg" },
	{ false, 2, 3, 0x49, 0, -1, -1, VF_T, "tilezero" },
	{ false, 2, 3, 0x4b, 0, -1, -1, VF_TM, "tileloadd" },
	{ false, 2, 1, 0x4b, 0, -1, -1, VF_TM, "tileloaddt1" },
	{ false, 2, 2, 0x4b, 0, -1, -1, VF_MT, "tilestored" },
	{ false, 2, 3, 0x5e, 0, -1, -1, VF_TTT, "tdpbssd" },
	{ false, 2, 2, 0x5e, 0, -1, -1, VF_TTT, "tdpbsud" },
	{ false, 2, 1, 0x5e, 0, -1, -1, VF_TTT, "tdpbusd" },
	{ false, 2, 0, 0x5e, 0, -1, -1, VF_TTT, "tdpbuud" },
};

static const char *const gpr64[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const gpr32[16] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};

/* The prefix bytes; returns their count (with the opcode), or 0. */
static u32 vex_prefix(const u8 *p, size_t left, struct vex *v)
{
	memset(v, 0, sizeof(*v));
	if (p[0] == 0xc5 && left >= 3) {
		v->map = 1;
		v->r = !(p[1] & 0x80);
		v->vvvv = (~p[1] >> 3) & 15;
		v->l = (p[1] >> 2) & 1;
		v->pp = p[1] & 3;
		v->op = p[2];
		return 3;
	}
	if (p[0] == 0xc4 && left >= 4) {
		v->r = !(p[1] & 0x80);
		v->x = !(p[1] & 0x40);
		v->b = !(p[1] & 0x20);
		v->map = p[1] & 0x1f;
		v->w = p[2] & 0x80;
		v->vvvv = (~p[2] >> 3) & 15;
		v->l = (p[2] >> 2) & 1;
		v->pp = p[2] & 3;
		v->op = p[3];
		return 4;
	}
	if (p[0] == 0x62 && left >= 5) {
		v->evex = true;
		v->r = (!(p[1] & 0x80)) | (!(p[1] & 0x10) << 1);
		v->x = !(p[1] & 0x40);
		v->b = !(p[1] & 0x20);
		v->map = p[1] & 7;
		v->w = p[2] & 0x80;
		v->vvvv = ((~p[2] >> 3) & 15) | (!(p[3] & 8) << 4);
		v->pp = p[2] & 3;
		v->z = p[3] & 0x80;
		v->l = (p[3] >> 5) & 3;
		v->bcst = p[3] & 0x10;
		v->aaa = p[3] & 7;
		v->op = p[4];
		return 5;
	}
	return 0;
}

/* Bytes of ModRM, SIB and displacement; 0 if they run past @left. */
static u32 vex_modrm_len(const u8 *p, size_t left)
{
	u8 mod, rm;
	u32 n = 1;

	if (!left)
		return 0;
	mod = p[0] >> 6;
	rm = p[0] & 7;
	if (mod != 3 && rm == 4) {
		if (left < 2)
			return 0;
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4;
	}
	if (mod == 1)
		n += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		n += 4;
	return n <= left ? n : 0;
}

/* The JIT's maps need an imm8 after these opcodes (and after all of 0F3A). */
static bool vex_has_imm8(const struct vex *v)
{
	if (v->map == 3)
		return true;
	return v->map == 1 && ((v->op >= 0x70 && v->op <= 0x73) ||
			       v->op == 0xc2 || (v->op >= 0xc4 && v->op <= 0xc6));
}

static s32 vex_le32(const u8 *p)
{
	return (s32)(p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24);
}

/*
 * A memory operand, "[base + index*scale + disp]" as capstone writes
 * it; EVEX scales an 8-bit displacement by the operand's size @n8.
 */
static void vex_mem(const struct vex *v, u32 n8, char *buf, size_t size)
{
	u8 mod = v->modrm >> 6, rm = v->modrm & 7, sib;
	const u8 *d = v->mem;
	s64 disp = 0;
	int base = -1, index = -1, scale = 1;
	size_t n = 0;

	if (rm == 4) {
		sib = *d++;
		scale = 1 << (sib >> 6);
		index = ((sib >> 3) & 7) | (v->x << 3);
		if (index == 4)
			index = -1;
		base = (sib & 7) | (v->b << 3);
		if (mod == 0 && (sib & 7) == 5) {
			base = -1;
			disp = vex_le32(d);
		}
	} else if (mod == 0 && rm == 5) {
		base = 16;	/* rip */
		disp = vex_le32(d);
	} else {
		base = rm | (v->b << 3);
	}
	if (mod == 1)
		disp = (s64)(s8)d[0] * (v->evex ? n8 : 1);
	else if (mod == 2)
		disp = vex_le32(d);
	n += snprintf(buf + n, size - n, "[%s", base == 16 ? "rip" :
		      base >= 0 ? gpr64[base] : "");
	if (index >= 0 && scale > 1)
		n += snprintf(buf + n, size - n, "%s%s*%d", base >= 0 ? " + " : "",
			      gpr64[index], scale);
	else if (index >= 0)
		n += snprintf(buf + n, size - n, "%s%s", base >= 0 ? " + " : "",
			      gpr64[index]);
	if (disp || (base < 0 && index < 0))
		snprintf(buf + n, size - n, "%s0x%llx]",
			 disp < 0 ? " - " : base >= 0 || index >= 0 ? " + " : "",
			 (unsigned long long)(disp < 0 ? -disp : disp));
	else
		snprintf(buf + n, size - n, "]");
}

/* The ModRM.rm operand: a register of @kind, or memory. */
static void vex_rm(const struct vex *v, const char *kind, char *buf, size_t size)
{
	static const char *const vsize[] = { "xmmword", "ymmword", "zmmword" };
	u32 vbytes = 16u << v->l, ebytes = v->w ? 8 : 4;
	char mem[96];
	u8 rm = (v->modrm & 7) | (v->b << 3);

	if ((v->modrm >> 6) == 3) {
		if (v->evex)
			rm |= v->x << 4;
		snprintf(buf, size, "%s%u", kind, rm);
		return;
	}
	vex_mem(v, v->bcst ? ebytes : vbytes, mem, sizeof(mem));
	if (v->bcst)
		snprintf(buf, size, "%s ptr %s{1to%u}", v->w ? "qword" : "dword",
			 mem, vbytes / ebytes);
	else if (!strcmp(kind, "tmm") || !kind[0])
		snprintf(buf, size, "%s", mem);
	else
		snprintf(buf, size, "%s ptr %s", vsize[v->l < 3 ? v->l : 2], mem);
}

static void vex_format(const struct vex *v, const struct vex_name *n,
		       char *text, size_t size)
{
	static const char *const vreg[] = { "xmm", "ymm", "zmm", "zmm" };
	u8 reg = ((v->modrm >> 3) & 7) | (v->r << 3);
	const char *g = v->w ? "r" : "e";
	char rm[128], mask[16] = "", imm[8];

	/* capstone's way: small numbers in decimal, the rest in hex */
	snprintf(imm, sizeof(imm), v->imm > 9 ? "0x%x" : "%u", v->imm);
	if (v->aaa)
		snprintf(mask, sizeof(mask), " {k%u}%s", v->aaa, v->z ? " {z}" : "");
	switch (n->form) {
	case VF_VVM:
		vex_rm(v, vreg[v->l], rm, sizeof(rm));
		snprintf(text, size, "%s %s%u%s, %s%u, %s", n->name, vreg[v->l],
			 reg, mask, vreg[v->l], v->vvvv, rm);
		break;
	case VF_KG:
		snprintf(text, size, "%s k%u, %s", n->name, reg & 7,
			 (*g == 'r' ? gpr64 : gpr32)[(v->modrm & 7) | (v->b << 3)]);
		break;
	case VF_GK:
		snprintf(text, size, "%s %s, k%u", n->name,
			 (*g == 'r' ? gpr64 : gpr32)[reg], v->modrm & 7);
		break;
	case VF_MEM:
		vex_rm(v, "", rm, sizeof(rm));
		snprintf(text, size, "%s %s", n->name, rm);
		break;
	case VF_NONE:
		snprintf(text, size, "%s", n->name);
		break;
	case VF_T:
		snprintf(text, size, "%s tmm%u", n->name, reg);
		break;
	case VF_TM:
	case VF_MT:
		vex_rm(v, "tmm", rm, sizeof(rm));
		if (n->form == VF_TM)
			snprintf(text, size, "%s tmm%u, %s", n->name, reg, rm);
		else
			snprintf(text, size, "%s %s, tmm%u", n->name, rm, reg);
		break;
	case VF_TTT:
		vex_rm(v, "tmm", rm, sizeof(rm));
		snprintf(text, size, "%s tmm%u, %s, tmm%u", n->name, reg, rm,
			 v->vvvv & 15);
		break;
	case VF_VMI:
		vex_rm(v, vreg[v->l], rm, sizeof(rm));
		snprintf(text, size, "%s %s%u%s, %s, %s", n->name, vreg[v->l],
			 v->vvvv, mask, rm, imm);
		break;
	case VF_RMI:
		vex_rm(v, vreg[v->l], rm, sizeof(rm));
		snprintf(text, size, "%s %s%u%s, %s, %s", n->name, vreg[v->l],
			 reg, mask, rm, imm);
		break;
	case VF_VVMI:
		vex_rm(v, vreg[v->l], rm, sizeof(rm));
		snprintf(text, size, "%s %s%u%s, %s%u, %s, %s", n->name,
			 vreg[v->l], reg, mask, vreg[v->l], v->vvvv, rm, imm);
		break;
	case VF_KVM:
		vex_rm(v, vreg[v->l], rm, sizeof(rm));
		snprintf(text, size, "%s k%u%s, %s%u, %s", n->name, reg & 7,
			 mask, vreg[v->l], v->vvvv, rm);
		break;
	case VF_HALF: {
		struct vex half = *v;

		half.l = v->l ? v->l - 1 : 0;
		vex_rm(&half, vreg[half.l], rm, sizeof(rm));
		snprintf(text, size, "%s %s%s, %s%u, %s", n->name, rm, mask,
			 vreg[v->l], reg, imm);
		break;
	}
	}
}

/**
 * rmtctl_x86_vex() - a VEX or EVEX instruction capstone could not read
 * @p: its first byte
 * @left: bytes from @p to the end of its group
 * @text: receives its name and operands, or "(unknown VEX/EVEX)"
 * @size: of @text
 *
 * Return: its length, or 0 if @p does not start one that fits in @left.
 */
u32 rmtctl_x86_vex(const u8 *p, size_t left, char *text, size_t size)
{
	const struct vex_name *n;
	struct vex v;
	u32 len = vex_prefix(p, left, &v), m;

	if (!len)
		return 0;
	/* vzeroupper/vzeroall: the only VEX opcode without ModRM */
	if (v.map == 1 && v.op == 0x77) {
		snprintf(text, size, "%s", v.l ? "vzeroall" : "vzeroupper");
		return len;
	}
	m = vex_modrm_len(p + len, left - len);
	if (!m)
		return 0;
	v.modrm = p[len];
	v.mem = p + len + 1;
	len += m;
	if (vex_has_imm8(&v)) {
		if (len + 1 > left)
			return 0;
		v.imm = p[len++];
	}
	snprintf(text, size, "(unknown %s instruction)", v.evex ? "EVEX" : "VEX");
	for (n = vex_names; n < vex_names + ARRAY_SIZE(vex_names); n++) {
		if (n->evex != v.evex || n->map != v.map || n->pp != v.pp ||
		    n->op != v.op || (n->w >= 0 && n->w != v.w) ||
		    (n->modrm >= 0 && n->modrm != v.modrm) ||
		    (n->ext >= 0 && n->ext != ((v.modrm >> 3) & 7)))
			continue;
		if ((n->form == VF_MEM || n->form == VF_TM || n->form == VF_MT) &&
		    (v.modrm >> 6) == 3)
			continue;
		if ((n->form == VF_T || n->form == VF_TTT || n->form == VF_KG ||
		     n->form == VF_GK || n->form == VF_NONE) &&
		    (v.modrm >> 6) != 3)
			continue;
		vex_format(&v, n, text, size);
		break;
	}
	return len;
}
