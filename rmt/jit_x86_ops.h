/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VEX and EVEX instructions the SIMD lowering emits, as
 * { map, pp, W, L, opcode }: map 1 = 0F, 2 = 0F38, 3 = 0F3A; pp 1 = 66,
 * 2 = F3, 3 = F2; L 0/1/2 = 128/256/512 bits.  Written once, here;
 * tests/unit/test_jit_encode.c assembles each with GNU as and checks
 * that these tuples encode the instructions their names say.
 */
#ifndef _RMT_JIT_X86_OPS_H
#define _RMT_JIT_X86_OPS_H

#include "jit_x86.h"

static const struct evex_op z_vpbroadcastd = { 2, 1, 0, 2, 0x58 };
static const struct evex_op z_vpbroadcastq = { 2, 1, 1, 2, 0x59 };
static const struct evex_op z_vpxord = { 1, 1, 0, 2, 0xef };
static const struct evex_op z_vpdpbusd = { 2, 1, 0, 2, 0x50 };
static const struct evex_op z_vpdpwssd = { 2, 1, 0, 2, 0x52 };
static const struct evex_op z_vpaddd = { 1, 1, 0, 2, 0xfe };
static const struct evex_op z_vpaddq = { 1, 1, 1, 2, 0xd4 };
static const struct evex_op z_vmovdqu32_ld = { 1, 2, 0, 2, 0x6f };
static const struct evex_op z_vmovdqu32_st = { 1, 2, 0, 2, 0x7f };
static const struct evex_op z_vmovdqu64_ld = { 1, 2, 1, 2, 0x6f };
static const struct evex_op x_vmovd = { 1, 1, 0, 0, 0x6e };
static const struct evex_op z_vpmovsxdq = { 2, 1, 0, 2, 0x25 };
static const struct evex_op z_vpmuldq = { 2, 1, 1, 2, 0x28 };
static const struct evex_op z_vpsraq_imm = { 1, 1, 1, 2, 0x72 };
static const struct evex_op z_vextracti64x4 = { 3, 1, 1, 2, 0x3b };
static const struct evex_op x_vmovq_st = { 1, 1, 1, 0, 0xd6 };
static const struct evex_op z_vmovdqa32 = { 1, 1, 0, 2, 0x6f };
static const struct evex_op z_vshufi32x4 = { 3, 1, 0, 2, 0x43 };
static const struct evex_op z_vpshufd = { 1, 1, 0, 2, 0x70 };
static const struct evex_op z_vpcmpeqd = { 1, 1, 0, 2, 0x76 };
static const struct evex_op z_vpmulld = { 2, 1, 0, 2, 0x40 };
static const struct evex_op z_vpermd = { 2, 1, 0, 2, 0x36 };
static const struct evex_op z_vpsrad_imm = { 1, 1, 0, 2, 0x72 };
static const struct evex_op z_vpmovsdb = { 2, 2, 0, 2, 0x21 };

static const struct vex_op y_vpbroadcastd = { 2, 1, 0, 1, 0x58 };
static const struct vex_op y_vmovdqu_ld = { 1, 2, 0, 1, 0x6f };
static const struct vex_op y_vmovdqu_st = { 1, 2, 0, 1, 0x7f };
static const struct vex_op y_vpmaddwd = { 1, 1, 0, 1, 0xf5 };
static const struct vex_op y_vpaddd = { 1, 1, 0, 1, 0xfe };
static const struct vex_op y_vpxor = { 1, 1, 0, 1, 0xef };
static const struct vex_op y_vpmaskmovd_st = { 2, 1, 0, 1, 0x8e };
static const struct vex_op x_vmovd_vex = { 1, 1, 0, 0, 0x6e };
static const struct vex_op k_kmovw = { 1, 0, 0, 0, 0x92 };

static const struct vex_op k_kmovq = { 1, 3, 1, 0, 0x92 };
static const struct vex_op k_kmovw_rk = { 1, 0, 0, 0, 0x93 };
static const struct vex_op x_vmovd_rx = { 1, 1, 0, 0, 0x7e };
static const struct vex_op x_vpextrd = { 3, 1, 0, 0, 0x16 };
static const struct evex_op z_vpackssdw = { 1, 1, 0, 2, 0x6b };
static const struct evex_op z_vpacksswb = { 1, 1, 0, 2, 0x63 };

/* vpmaxs{b,w,d,q} by element type. */
static const struct evex_op zmax[5] = {
	[RMT_DT_I8] = { 2, 1, 0, 2, 0x3c }, [RMT_DT_I16] = { 1, 1, 0, 2, 0xee },
	[RMT_DT_I32] = { 2, 1, 0, 2, 0x3d }, [RMT_DT_I64] = { 2, 1, 1, 2, 0x3d },
};

static const struct vex_op ymax[4] = {
	[RMT_DT_I8] = { 2, 1, 0, 1, 0x3c }, [RMT_DT_I16] = { 1, 1, 0, 1, 0xee },
	[RMT_DT_I32] = { 2, 1, 0, 1, 0x3d },
};

#endif /* _RMT_JIT_X86_OPS_H */
