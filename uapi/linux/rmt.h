/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * RMT: reconfigurable match tables.  The stable user/kernel ABI.
 *
 * This header defines the RMT instruction set (one X-macro list that the
 * verifier, the interpreter, the assembler and the disassembler all expand),
 * the model object format (quantised tensors and decision trees), the
 * context-map descriptor and the test image that carries a program bundle
 * to the kernel for a test run.
 *
 * Everything here is fixed-width and little-endian.  Numbers are never
 * reused: new opcodes, helpers and record types take new values.
 */
#ifndef _UAPI_LINUX_RMT_H
#define _UAPI_LINUX_RMT_H

#include <linux/types.h>

/* ------------------------------------------------------------------ */
/* Instruction encoding                                                */
/* ------------------------------------------------------------------ */

/**
 * struct rmt_insn - one fixed-width RMT instruction (8 bytes)
 * @code: opcode, one of the RMT_OP_* values from RMT_OPCODES()
 * @regs: destination register in bits 0-3, source register in bits 4-7;
 *	use RMT_INSN_DST() and RMT_INSN_SRC() to read them
 * @off: signed 16-bit operand: jump offset, field index, scratch offset
 *	or context-map slot, depending on the opcode's format
 * @imm: signed 32-bit immediate; ML opcodes pack several small operands
 *	into it (see RMT_IMM_LO16() and friends)
 */
struct rmt_insn {
	__u8	code;
	__u8	regs;
	__s16	off;
	__s32	imm;
};

#define RMT_INSN_DST(insn)	((insn)->regs & 0x0f)
#define RMT_INSN_SRC(insn)	(((insn)->regs >> 4) & 0x0f)
#define RMT_REGS(dst, src)	((__u8)(((dst) & 0x0f) | (((src) & 0x0f) << 4)))

/* Packed immediate operands of the ML opcodes. */
#define RMT_IMM_LO16(imm)	((__u32)(imm) & 0xffff)
#define RMT_IMM_HI16(imm)	(((__u32)(imm) >> 16) & 0xffff)
#define RMT_IMM_BYTE(imm, n)	(((__u32)(imm) >> (8 * (n))) & 0xff)
#define RMT_IMM_PACK16(hi, lo)	((__s32)((((__u32)(hi) & 0xffff) << 16) | \
					 ((__u32)(lo) & 0xffff)))
#define RMT_IMM_PACK8(b3, b2, b1, b0) \
	((__s32)((((__u32)(b3) & 0xff) << 24) | (((__u32)(b2) & 0xff) << 16) | \
		 (((__u32)(b1) & 0xff) << 8) | ((__u32)(b0) & 0xff)))

/**
 * DOC: registers
 *
 * Eleven 64-bit scalar registers r0-r10.  r0 holds the verdict returned
 * by EXIT; CALL passes arguments in r1-r5, returns in r0 and leaves
 * r1-r5 unreadable afterwards.  Every register is unreadable at entry:
 * the verifier rejects a read of a register that some path leaves
 * unwritten.  Register number 15 (RMT_REG_NONE) in an index position
 * means "no index register".
 *
 * There are no pointers.  Memory is reached through four address
 * spaces, each with its own opcodes: the hook context (an array of
 * signed 64-bit fields), per-invocation scratch memory (RMT_SCRATCH_SIZE
 * bytes, zeroed up to the extent the program uses before each run),
 * context maps (by key) and read-only model tensors (by index).
 */
#define RMT_NR_REGS		11
#define RMT_REG_NONE		15

/* Limits the verifier enforces. */
#define RMT_MAX_INSNS		4096	/* per program */
#define RMT_SCRATCH_SIZE	4096	/* bytes of scratch per invocation */
#define RMT_MAX_CTX_FIELDS	64	/* fields in a hook context */
#define RMT_MAX_LOOP_TRIPS	65536	/* trip count of one LOOP */
#define RMT_MAX_LOOP_DEPTH	4	/* nesting of LOOP bodies */
#define RMT_MAX_TAIL_CALLS	8	/* chained TAIL_CALLs per run */
#define RMT_MAX_PROGS		16	/* programs in one bundle */
#define RMT_MAX_CTXMAPS		8	/* context maps per bundle */
#define RMT_MAX_TENSORS		64	/* tensors per model */
#define RMT_MAX_TREES		16	/* decision trees per model */
#define RMT_MAX_DIM		1024	/* rows or cols of a tensor */
#define RMT_MAX_TREE_NODES	4096	/* nodes of one tree */
#define RMT_MAX_HIST		64	/* history ring of a context map */
#define RMT_MAX_CTXMAP_VALS	16	/* value slots of a context map */
#define RMT_MAX_CTXMAP_ENTRIES	65536	/* entries of one context map */
#define RMT_MAX_BUDGET		(1ULL << 28)	/* largest cost budget */

/**
 * enum rmt_dtype - element types of scratch vectors and tensors
 * @RMT_DT_I8: signed 8-bit
 * @RMT_DT_I16: signed 16-bit
 * @RMT_DT_I32: signed 32-bit
 * @RMT_DT_I64: signed 64-bit
 */
enum rmt_dtype {
	RMT_DT_I8 = 1,
	RMT_DT_I16 = 2,
	RMT_DT_I32 = 3,
	RMT_DT_I64 = 4,
};

/**
 * DOC: operand formats
 *
 * Each opcode has one format: the ordered list of operands the assembler
 * accepts and the disassembler prints, and the instruction fields they
 * live in.  Operand letters:
 *
 *   d   dst register            s   src register
 *   x   src register or "-"     o   off as a signed number
 *   j   off as a jump ("+N")    i   imm as a signed number
 *   l   low 16 bits of imm      h   high 16 bits of imm
 *   0-3 byte 0-3 of imm         m   memory [x+off] (load)
 *   M   memory [d+off] (store)
 *
 * Fields a format does not name must be zero; the verifier rejects
 * anything else ("reserved field set").
 */
#define RMT_FMT_ALU_R	"d,s"
#define RMT_FMT_ALU_I	"d,i"
#define RMT_FMT_UNARY	"d"
#define RMT_FMT_JA	"j"
#define RMT_FMT_JCC_R	"d,s,j"
#define RMT_FMT_JCC_I	"d,i,j"
#define RMT_FMT_LOOP	"d,i,j"
#define RMT_FMT_LDX	"d,m"
#define RMT_FMT_STX	"M,s"
#define RMT_FMT_ST	"M,i"
#define RMT_FMT_LDF	"d,o"
#define RMT_FMT_STF	"o,s"
#define RMT_FMT_CTXT	"d,s,i,o"
#define RMT_FMT_MCTXT	"d,s,i"
#define RMT_FMT_VLD	"o,0,2,3"
#define RMT_FMT_VLDH	"o,s,0,1,3"
#define RMT_FMT_MATMUL	"o,h,l"
#define RMT_FMT_BIAS	"o,l"
#define RMT_FMT_VEC	"o,l,h"
#define RMT_FMT_ARGMAX	"d,o,l,h"
#define RMT_FMT_SCALAR	"d,x,o,l,h"
#define RMT_FMT_DTREE	"d,o,l"
#define RMT_FMT_IMM	"i"
#define RMT_FMT_NONE	""

/**
 * RMT_OPCODES - the instruction set, written down once
 * @OP: macro taking (code, NAME, "mnemonic", format)
 *
 * Expanded into the RMT_OP_* enum below, the verifier's whitelist, the
 * interpreter's dispatch table and the (dis)assembler's name table.
 * docs/isa.md documents every entry; a test keeps the two in step.
 *
 * Group layout: 0x01-0x1f ALU, 0x20-0x3f jumps and loops, 0x40-0x5f
 * scratch and hook-context memory, 0x60-0x6f context maps,
 * 0x80-0x9f ML, 0xf0-0xff calls and exit.  Code 0 is never valid, so a
 * zeroed buffer is not a program.
 */
#define RMT_OPCODES(OP)							\
	OP(0x01, ADD_R,   "add",     RMT_FMT_ALU_R)			\
	OP(0x02, ADD_I,   "addi",    RMT_FMT_ALU_I)			\
	OP(0x03, SUB_R,   "sub",     RMT_FMT_ALU_R)			\
	OP(0x04, SUB_I,   "subi",    RMT_FMT_ALU_I)			\
	OP(0x05, MUL_R,   "mul",     RMT_FMT_ALU_R)			\
	OP(0x06, MUL_I,   "muli",    RMT_FMT_ALU_I)			\
	OP(0x07, DIV_R,   "div",     RMT_FMT_ALU_R)			\
	OP(0x08, DIV_I,   "divi",    RMT_FMT_ALU_I)			\
	OP(0x09, MOD_R,   "mod",     RMT_FMT_ALU_R)			\
	OP(0x0a, MOD_I,   "modi",    RMT_FMT_ALU_I)			\
	OP(0x0b, AND_R,   "and",     RMT_FMT_ALU_R)			\
	OP(0x0c, AND_I,   "andi",    RMT_FMT_ALU_I)			\
	OP(0x0d, OR_R,    "or",      RMT_FMT_ALU_R)			\
	OP(0x0e, OR_I,    "ori",     RMT_FMT_ALU_I)			\
	OP(0x0f, XOR_R,   "xor",     RMT_FMT_ALU_R)			\
	OP(0x10, XOR_I,   "xori",    RMT_FMT_ALU_I)			\
	OP(0x11, LSH_R,   "lsh",     RMT_FMT_ALU_R)			\
	OP(0x12, LSH_I,   "lshi",    RMT_FMT_ALU_I)			\
	OP(0x13, RSH_R,   "rsh",     RMT_FMT_ALU_R)			\
	OP(0x14, RSH_I,   "rshi",    RMT_FMT_ALU_I)			\
	OP(0x15, ARSH_R,  "arsh",    RMT_FMT_ALU_R)			\
	OP(0x16, ARSH_I,  "arshi",   RMT_FMT_ALU_I)			\
	OP(0x17, MOV_R,   "mov",     RMT_FMT_ALU_R)			\
	OP(0x18, MOV_I,   "movi",    RMT_FMT_ALU_I)			\
	OP(0x19, NEG,     "neg",     RMT_FMT_UNARY)			\
	OP(0x20, JA,      "ja",      RMT_FMT_JA)			\
	OP(0x21, JEQ_R,   "jeq",     RMT_FMT_JCC_R)			\
	OP(0x22, JEQ_I,   "jeqi",    RMT_FMT_JCC_I)			\
	OP(0x23, JNE_R,   "jne",     RMT_FMT_JCC_R)			\
	OP(0x24, JNE_I,   "jnei",    RMT_FMT_JCC_I)			\
	OP(0x25, JGT_R,   "jgt",     RMT_FMT_JCC_R)			\
	OP(0x26, JGT_I,   "jgti",    RMT_FMT_JCC_I)			\
	OP(0x27, JGE_R,   "jge",     RMT_FMT_JCC_R)			\
	OP(0x28, JGE_I,   "jgei",    RMT_FMT_JCC_I)			\
	OP(0x29, JLT_R,   "jlt",     RMT_FMT_JCC_R)			\
	OP(0x2a, JLT_I,   "jlti",    RMT_FMT_JCC_I)			\
	OP(0x2b, JLE_R,   "jle",     RMT_FMT_JCC_R)			\
	OP(0x2c, JLE_I,   "jlei",    RMT_FMT_JCC_I)			\
	OP(0x2d, JSGT_R,  "jsgt",    RMT_FMT_JCC_R)			\
	OP(0x2e, JSGT_I,  "jsgti",   RMT_FMT_JCC_I)			\
	OP(0x2f, JSGE_R,  "jsge",    RMT_FMT_JCC_R)			\
	OP(0x30, JSGE_I,  "jsgei",   RMT_FMT_JCC_I)			\
	OP(0x31, JSLT_R,  "jslt",    RMT_FMT_JCC_R)			\
	OP(0x32, JSLT_I,  "jslti",   RMT_FMT_JCC_I)			\
	OP(0x33, JSLE_R,  "jsle",    RMT_FMT_JCC_R)			\
	OP(0x34, JSLE_I,  "jslei",   RMT_FMT_JCC_I)			\
	OP(0x35, JSET_R,  "jset",    RMT_FMT_JCC_R)			\
	OP(0x36, JSET_I,  "jseti",   RMT_FMT_JCC_I)			\
	OP(0x3e, LOOP,    "loop",    RMT_FMT_LOOP)			\
	OP(0x3f, ENDLOOP, "endloop", RMT_FMT_LOOP)			\
	OP(0x40, LDXB,    "ldxb",    RMT_FMT_LDX)			\
	OP(0x41, LDXH,    "ldxh",    RMT_FMT_LDX)			\
	OP(0x42, LDXW,    "ldxw",    RMT_FMT_LDX)			\
	OP(0x43, LDXDW,   "ldxdw",   RMT_FMT_LDX)			\
	OP(0x44, STXB,    "stxb",    RMT_FMT_STX)			\
	OP(0x45, STXH,    "stxh",    RMT_FMT_STX)			\
	OP(0x46, STXW,    "stxw",    RMT_FMT_STX)			\
	OP(0x47, STXDW,   "stxdw",   RMT_FMT_STX)			\
	OP(0x48, STB,     "stb",     RMT_FMT_ST)			\
	OP(0x49, STH,     "sth",     RMT_FMT_ST)			\
	OP(0x4a, STW,     "stw",     RMT_FMT_ST)			\
	OP(0x4b, STDW,    "stdw",    RMT_FMT_ST)			\
	OP(0x50, LDF,     "ldf",     RMT_FMT_LDF)			\
	OP(0x51, STF,     "stf",     RMT_FMT_STF)			\
	OP(0x60, LD_CTXT, "ldctxt",  RMT_FMT_CTXT)			\
	OP(0x61, ST_CTXT, "stctxt",  RMT_FMT_CTXT)			\
	OP(0x62, MATCH_CTXT, "matchctxt", RMT_FMT_MCTXT)		\
	OP(0x80, VECTOR_LD,  "vld",   RMT_FMT_VLD)			\
	OP(0x81, VECTOR_LDH, "vldh",  RMT_FMT_VLDH)			\
	OP(0x82, VECTOR_ST,  "vst",   RMT_FMT_VLD)			\
	OP(0x83, MAT_MUL,    "matmul", RMT_FMT_MATMUL)			\
	OP(0x84, BIAS_ADD,   "bias",   RMT_FMT_BIAS)			\
	OP(0x85, REQUANT,    "requant", RMT_FMT_MATMUL)			\
	OP(0x86, RELU,       "relu",   RMT_FMT_VEC)			\
	OP(0x87, ARGMAX,     "argmax", RMT_FMT_ARGMAX)			\
	OP(0x88, SCALAR_VAL, "scalar", RMT_FMT_SCALAR)			\
	OP(0x89, DTREE,      "dtree",  RMT_FMT_DTREE)			\
	OP(0xf0, CALL,      "call",   RMT_FMT_IMM)			\
	OP(0xf1, TAIL_CALL, "tailcall", RMT_FMT_IMM)			\
	OP(0xff, EXIT,      "exit",   RMT_FMT_NONE)

/**
 * enum rmt_opcode - RMT_OP_<NAME> for every entry of RMT_OPCODES()
 */
enum rmt_opcode {
#define __RMT_OP_ENUM(code, name, mnem, fmt) RMT_OP_##name = code,
	RMT_OPCODES(__RMT_OP_ENUM)
#undef __RMT_OP_ENUM
};

/**
 * DOC: context-map slots
 *
 * LD_CTXT and ST_CTXT address a context-map entry by key (src register
 * for LD_CTXT, dst register for ST_CTXT) and a slot in @off:
 * 0..nvals-1 are the entry's value slots; RMT_CTXT_HIST(n) (negative
 * values) is the n-th most recent history element, n from 0.  ST_CTXT
 * to RMT_CTXT_PUSH appends to the history ring instead.
 */
#define RMT_CTXT_HIST(n)	(-1 - (n))
#define RMT_CTXT_PUSH		RMT_CTXT_HIST(0)

/**
 * RMT_HELPERS - kernel functions a program may CALL, by number
 * @FN: macro taking (id, NAME, "name", number of arguments)
 *
 * Arguments go in r1-r5, the result comes back in r0, r1-r5 become
 * unreadable.  No helper sleeps, allocates or takes a lock that a hook
 * may already hold.
 */
#define RMT_HELPERS(FN)							\
	FN(1, KTIME_NS,  "ktime_ns",  0)	/* monotonic ns */	\
	FN(2, PRANDOM,   "prandom",   0)	/* pseudo-random u32 */	\
	FN(3, CPU_ID,    "cpu_id",    0)	/* current CPU */	\
	FN(4, ILOG2,     "ilog2",     1)	/* floor(log2(r1)), -1 for 0 */ \
	FN(5, MIN,       "min",       2)	/* signed min(r1, r2) */ \
	FN(6, MAX,       "max",       2)	/* signed max(r1, r2) */ \
	FN(7, ABS,       "abs",       1)	/* |r1|, saturating */ \
	FN(8, PARAM,     "param",     1)	/* matched entry's param r1, 0 if none */

/** enum rmt_helper - RMT_FN_<NAME> for every entry of RMT_HELPERS() */
enum rmt_helper {
#define __RMT_FN_ENUM(id, name, str, nargs) RMT_FN_##name = id,
	RMT_HELPERS(__RMT_FN_ENUM)
#undef __RMT_FN_ENUM
};

/**
 * enum rmt_jit_tier - how a program is executed
 * @RMT_JIT_AUTO: let the loader choose from the CPU and the cost model
 * @RMT_JIT_INTERP: the interpreter, no machine code
 * @RMT_JIT_SCALAR: x86-64 code using general-purpose registers only
 * @RMT_JIT_AVX2: ML opcodes lowered to AVX2 (vpmaddwd), the rest scalar
 * @RMT_JIT_AVX512: ML opcodes lowered to AVX-512 VNNI (vpdpbusd,
 *	vpdpwssd), the rest scalar
 * @RMT_JIT_AMX: int8 MAT_MUL lowered to AMX tiles; user space only
 *
 * A forced tier the CPU or the build cannot run is refused; AUTO never
 * fails: if code generation fails, the interpreter runs the program.
 */
enum rmt_jit_tier {
	RMT_JIT_AUTO = 0,
	RMT_JIT_INTERP = 1,
	RMT_JIT_SCALAR = 2,
	RMT_JIT_AVX2 = 3,
	RMT_JIT_AVX512 = 4,
	RMT_JIT_AMX = 5,
	__RMT_JIT_MAX,
};

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

/**
 * enum rmt_hook_id - hook points a program can be loaded for
 * @RMT_HOOK_TEST: a synthetic hook for test runs, with no kernel site:
 *	32 readable fields f0-f27 and ro0-ro3, of which f0-f27 are writable
 * @RMT_HOOK_SWAP_RA: "swap_cluster_readahead", a swap-in that misses the
 *	swap cache (RMT_SWAP_RA_FIELDS()).  Verdict: RMT_VERDICT_DEFAULT for
 *	the kernel's own readahead, or N (0 to RMT_SWAP_RA_MAX): read the
 *	swap offsets in fields ra0..raN-1 ahead, asynchronously, besides the
 *	faulting page; 0 reads only the faulting page.
 * @RMT_HOOK_SWAP_ACCESS: "lookup_swap_cache" (swap_cache_get_folio on
 *	kernels with folios), every swap-cache lookup of a fault
 *	(RMT_SWAP_ACCESS_FIELDS()).  An observation hook: actions record
 *	access patterns in context maps; the verdict is ignored.
 * @RMT_HOOK_MIGRATE: "can_migrate_task", CFS load balancing asks whether
 *	a task may move from @src_cpu to @dst_cpu (RMT_MIGRATE_FIELDS(): the
 *	15 features of Chen et al., APSys'20, then identity and the kernel's
 *	answer).  Verdict: RMT_MIGRATE_ALLOW, RMT_MIGRATE_DENY, or
 *	RMT_VERDICT_DEFAULT (any negative value) for the kernel's answer.  A
 *	migration the kernel forbids for affinity, a running task or a
 *	throttled group is never allowed.
 *
 * The context of each kernel hook is an array of signed 64-bit fields in
 * the order of its RMT_<HOOK>_FIELDS() list; RMT_<HOOK>_<FIELD> is a
 * field's index.  Fields marked RW are writable by programs.  A hook
 * whose tables give no verdict (no match and no default action, an
 * action that fails or overruns, a table the watchdog disabled) keeps
 * the kernel's own behaviour.
 */
enum rmt_hook_id {
	RMT_HOOK_TEST = 0,
	RMT_HOOK_SWAP_RA = 1,
	RMT_HOOK_SWAP_ACCESS = 2,
	RMT_HOOK_MIGRATE = 3,
	__RMT_HOOK_MAX,
};

/* Verdicts shared by the kernel hooks. */
#define RMT_VERDICT_DEFAULT	(-1)	/* keep the kernel's own decision */
#define RMT_MIGRATE_DENY	0
#define RMT_MIGRATE_ALLOW	1
#define RMT_SWAP_RA_MAX		32	/* offsets one readahead verdict may list */

/* F(NAME, "name", RO|RW) for each field, in context order. */
#define RMT_SWAP_RA_FIELDS(F)						\
	F(PID,     "pid",     RO)	/* faulting task */		\
	F(TGID,    "tgid",    RO)	/* its process */		\
	F(CGROUP,  "cgroup",  RO)	/* its cgroup (v2) id */	\
	F(CPU,     "cpu",     RO)					\
	F(SWAP_TYPE, "swap_type", RO)	/* swap device index */	\
	F(OFFSET,  "offset",  RO)	/* swap offset of the fault */	\
	F(ADDR,    "addr",    RO)	/* faulting virtual address */	\
	F(KERNEL_WINDOW, "kernel_window", RO) /* pages the kernel would read */ \
	F(RA0, "ra0", RW) F(RA1, "ra1", RW) F(RA2, "ra2", RW)		\
	F(RA3, "ra3", RW) F(RA4, "ra4", RW) F(RA5, "ra5", RW)		\
	F(RA6, "ra6", RW) F(RA7, "ra7", RW) F(RA8, "ra8", RW)		\
	F(RA9, "ra9", RW) F(RA10, "ra10", RW) F(RA11, "ra11", RW)	\
	F(RA12, "ra12", RW) F(RA13, "ra13", RW) F(RA14, "ra14", RW)	\
	F(RA15, "ra15", RW) F(RA16, "ra16", RW) F(RA17, "ra17", RW)	\
	F(RA18, "ra18", RW) F(RA19, "ra19", RW) F(RA20, "ra20", RW)	\
	F(RA21, "ra21", RW) F(RA22, "ra22", RW) F(RA23, "ra23", RW)	\
	F(RA24, "ra24", RW) F(RA25, "ra25", RW) F(RA26, "ra26", RW)	\
	F(RA27, "ra27", RW) F(RA28, "ra28", RW) F(RA29, "ra29", RW)	\
	F(RA30, "ra30", RW) F(RA31, "ra31", RW)

#define RMT_SWAP_ACCESS_FIELDS(F)					\
	F(PID,     "pid",     RO)					\
	F(TGID,    "tgid",    RO)					\
	F(CGROUP,  "cgroup",  RO)					\
	F(CPU,     "cpu",     RO)					\
	F(SWAP_TYPE, "swap_type", RO)					\
	F(OFFSET,  "offset",  RO)	/* swap offset looked up */	\
	F(ADDR,    "addr",    RO)					\
	F(HIT,     "hit",     RO)	/* 1 if found in the swap cache */ \
	F(PREFETCHED, "prefetched", RO)	/* 1 if RMT's readahead brought it in */

#define RMT_MIGRATE_FIELDS(F)						\
	F(SRC_NON_PREF_NR, "src_non_pref_nr", RO) /* src tasks off their preferred node */ \
	F(DELTA_HOT, "delta_hot", RO)	/* ns since the task ran, minus the migration cost */ \
	F(IDLE,    "idle",    RO)	/* one-hot: CPU_IDLE balancing */ \
	F(NOT_IDLE, "not_idle", RO)	/* one-hot: CPU_NOT_IDLE */	\
	F(NEWLY_IDLE, "newly_idle", RO)	/* one-hot: CPU_NEWLY_IDLE */	\
	F(SAME_NODE, "same_node", RO)	/* src and dst share a node */	\
	F(PREFER_SRC, "prefer_src", RO)	/* task prefers src's node */	\
	F(PREFER_DST, "prefer_dst", RO)	/* task prefers dst's node */	\
	F(SRC_LEN, "src_len", RO)	/* runnable CFS tasks on src */	\
	F(SRC_LOAD, "src_load", RO)	/* src CFS load average */	\
	F(DST_LOAD, "dst_load", RO)					\
	F(DST_LEN, "dst_len", RO)					\
	F(DELTA_FAULTS, "delta_faults", RO) /* NUMA faults on src node minus dst node */ \
	F(EXTRA_FAILS, "extra_fails", RO) /* balance failures beyond cache_nice_tries */ \
	F(BUDDY_HOT, "buddy_hot", RO)	/* the task is src's next or last buddy */ \
	F(PID,     "pid",     RO)	/* the task */			\
	F(TGID,    "tgid",    RO)					\
	F(CGROUP,  "cgroup",  RO)					\
	F(SRC_CPU, "src_cpu", RO)					\
	F(DST_CPU, "dst_cpu", RO)					\
	F(CFS,     "cfs",     RO)	/* CFS's own answer, 0 or 1 */

enum rmt_swap_ra_field {
#define __RMT_F(name, str, rw) RMT_SWAP_RA_##name,
	RMT_SWAP_RA_FIELDS(__RMT_F)
#undef __RMT_F
	__RMT_SWAP_RA_NFIELDS,
};

enum rmt_swap_access_field {
#define __RMT_F(name, str, rw) RMT_SWAP_ACCESS_##name,
	RMT_SWAP_ACCESS_FIELDS(__RMT_F)
#undef __RMT_F
	__RMT_SWAP_ACCESS_NFIELDS,
};

enum rmt_migrate_field {
#define __RMT_F(name, str, rw) RMT_MIGRATE_##name,
	RMT_MIGRATE_FIELDS(__RMT_F)
#undef __RMT_F
	__RMT_MIGRATE_NFIELDS,
};

#define RMT_TEST_CTX_FIELDS	32
#define RMT_TEST_CTX_WRITABLE	28

/* ------------------------------------------------------------------ */
/* Model object format                                                 */
/* ------------------------------------------------------------------ */

#define RMT_MODEL_MAGIC		0x4c444d52	/* "RMDL" */
#define RMT_MODEL_VERSION	1

/**
 * struct rmt_model_hdr - start of a model blob
 * @magic: RMT_MODEL_MAGIC
 * @version: RMT_MODEL_VERSION
 * @ntensors: number of struct rmt_tensor_desc following the header
 * @ntrees: number of struct rmt_dtree_desc following the tensors
 * @data_len: bytes of the data area that follows the descriptors;
 *	descriptors point into it with data_off
 *
 * A model blob is: header, tensor descriptors, tree descriptors, zero
 * padding to a multiple of 8 bytes, data.  Nothing may follow the data.
 */
struct rmt_model_hdr {
	__u32	magic;
	__u16	version;
	__u16	ntensors;
	__u16	ntrees;
	__u16	reserved;
	__u32	data_len;
};

/**
 * struct rmt_tensor_desc - one quantised tensor
 * @dtype: element type (enum rmt_dtype): RMT_DT_I8 or RMT_DT_I16 for
 *	MAT_MUL weights, RMT_DT_I32 for BIAS_ADD vectors
 * @out_dtype: for REQUANT: the output element type
 * @q_shift: for REQUANT: right shift applied after the multiply (0-62)
 * @reserved: zero
 * @rows: first dimension (output size of a weight matrix)
 * @cols: second dimension (input size); 1 for vectors
 * @q_mult: for REQUANT: fixed-point multiplier (positive)
 * @q_zero: for REQUANT: output zero point added after scaling
 * @data_off: offset of the row-major elements in the data area; aligned
 *	to the element size
 *
 * The same descriptor carries the weights of a layer and the
 * requantisation that follows it, as quantised inference frameworks do:
 * REQUANT of an int32 vector y with tensor t produces, per element,
 * sat_out_dtype(((y * q_mult + round) >> q_shift) + q_zero), computed in
 * 64 bits, where round = 1 << (q_shift - 1) (0 for q_shift 0) and the
 * shift is arithmetic: round half up, then saturate to @out_dtype.
 */
struct rmt_tensor_desc {
	__u8	dtype;
	__u8	out_dtype;
	__u8	q_shift;
	__u8	reserved;
	__u32	rows;
	__u32	cols;
	__s32	q_mult;
	__s32	q_zero;
	__u32	data_off;
};

/**
 * struct rmt_dtree_desc - one decision tree
 * @nnodes: number of struct rmt_dtree_node at @data_off
 * @nfeatures: length of the int32 feature vector the tree reads
 * @data_off: offset of the node array in the data area (4-aligned)
 */
struct rmt_dtree_desc {
	__u32	nnodes;
	__u32	nfeatures;
	__u32	data_off;
};

#define RMT_DTREE_LEAF		0x1

/**
 * struct rmt_dtree_node - one node of a decision tree
 * @value: threshold of an inner node, or the result of a leaf
 * @feature: feature index an inner node tests
 * @flags: RMT_DTREE_LEAF for a leaf
 * @left: child taken when feature <= threshold
 * @right: child taken otherwise
 *
 * Node 0 is the root.  Children must have larger indices than their
 * parent, which makes every tree acyclic and bounds its depth.
 */
struct rmt_dtree_node {
	__s32	value;
	__u16	feature;
	__u16	flags;
	__u16	left;
	__u16	right;
};

/**
 * struct rmt_ctxmap_desc - a context map a program uses
 * @nvals: value slots per entry (0-RMT_MAX_CTXMAP_VALS)
 * @hist_len: length of the per-key history ring (0-RMT_MAX_HIST)
 * @max_entries: capacity.  A key probes a window of 8 slots; a new key
 *	takes a free slot of its window while the map holds fewer than
 *	@max_entries, and otherwise evicts the least recently used entry of
 *	its window.  A store that finds neither is dropped and counted.
 * @key_kind: what the key is, for humans and hooks (enum rmt_key_kind)
 */
struct rmt_ctxmap_desc {
	__u32	nvals;
	__u32	hist_len;
	__u32	max_entries;
	__u32	key_kind;
};

/** enum rmt_key_kind - what a context map is keyed by */
enum rmt_key_kind {
	RMT_KEY_ANY = 0,
	RMT_KEY_PID = 1,
	RMT_KEY_TGID = 2,
	RMT_KEY_CGROUP = 3,
	RMT_KEY_INODE = 4,
};

/* ------------------------------------------------------------------ */
/* Test image: a program bundle plus input for a test run              */
/* ------------------------------------------------------------------ */

#define RMT_IMAGE_MAGIC		0x494d5452	/* "RTMI" */
#define RMT_IMAGE_VERSION	1

/**
 * struct rmt_image_hdr - start of a test image
 * @magic: RMT_IMAGE_MAGIC
 * @version: RMT_IMAGE_VERSION
 * @nrecs: number of records that follow
 *
 * A test image is a header and records, each a struct rmt_image_rec and
 * its payload padded to 8 bytes.  The kernel accepts it on
 * debugfs rmt/test_run; rmtctl writes and runs the same bytes in-process.
 */
struct rmt_image_hdr {
	__u32	magic;
	__u16	version;
	__u16	nrecs;
};

/**
 * enum rmt_image_rec_type - records of a test image
 * @RMT_REC_PROG: struct rmt_insn array; the first is the entry program,
 *	each later one is TAIL_CALL slot (index - 1)
 * @RMT_REC_MODEL: a model blob (struct rmt_model_hdr ...); at most one
 * @RMT_REC_CTXMAP: struct rmt_ctxmap_desc; map n is the n-th record
 * @RMT_REC_CTX: __s64 array, the hook context for the run
 * @RMT_REC_BUDGET: __u64, the cost budget to verify against
 * @RMT_REC_HOOK: __u32, enum rmt_hook_id
 * @RMT_REC_REPEAT: __u32, how many times to run (for timing)
 */
enum rmt_image_rec_type {
	RMT_REC_PROG = 1,
	RMT_REC_MODEL = 2,
	RMT_REC_CTXMAP = 3,
	RMT_REC_CTX = 4,
	RMT_REC_BUDGET = 5,
	RMT_REC_HOOK = 6,
	RMT_REC_REPEAT = 7,
};

/**
 * struct rmt_image_rec - record header inside a test image
 * @type: enum rmt_image_rec_type
 * @reserved: zero
 * @len: payload bytes (not counting padding)
 */
struct rmt_image_rec {
	__u16	type;
	__u16	reserved;
	__u32	len;
};

/* ------------------------------------------------------------------ */
/* Control plane: the "rmt" generic-netlink family                     */
/* ------------------------------------------------------------------ */

#define RMT_GENL_NAME		"rmt"
#define RMT_GENL_VERSION	1
#define RMT_GENL_MCGRP_MONITOR	"monitor"

#define RMT_NAME_MAX		32	/* object names, with the NUL */
#define RMT_MAX_KEY_FIELDS	8	/* fields in a table key */
#define RMT_MAX_PARAMS		4	/* action parameters of an entry */
#define RMT_MAX_TABLE_SIZE	1048576	/* entries of one table */

/**
 * DOC: control-plane model
 *
 * Objects live in one namespace per kind and are named (NUL-terminated,
 * at most RMT_NAME_MAX bytes with the NUL) or addressed by the 64-bit
 * handle the kernel returns when it creates them.  Programs refer to a
 * model and context maps by name; tables refer to programs; entries
 * belong to a table.  An object still referred to cannot be deleted.
 *
 * Every change is a transaction: RMT_CMD_BATCH applies a list of
 * operations all or nothing, and each single NEW/DEL command is a batch
 * of one.  Hooks see either the generation before a commit or the one
 * after it, never a mix; each commit increments the generation number
 * and is announced on the "monitor" multicast group.
 *
 * Writes need CAP_SYS_ADMIN in the initial user namespace; reads need
 * CAP_NET_ADMIN, as does joining the monitor group where the kernel
 * enforces group permissions (older kernels, Debian's 6.1 among them, let
 * any user join any generic-netlink group; commit events carry only
 * generation numbers and operation counts).  Every rejection
 * carries an extended-ack message and, where one attribute is to blame,
 * its offset (or, when it is missing, its nest and type); refusals from
 * the store or the verifier are also put in words in an RMT_CMD_ERROR
 * reply just before the error ack.
 */

/**
 * enum rmt_cmd - commands of the "rmt" family
 * @RMT_CMD_UNSPEC: unused
 * @RMT_CMD_TABLE_NEW: create a table (%RMT_A_TABLE)
 * @RMT_CMD_TABLE_DEL: delete a table by name or handle; its entries go
 *	with it
 * @RMT_CMD_TABLE_GET: get one table, or dump all
 * @RMT_CMD_ENTRY_NEW: add an entry to a table (%RMT_A_ENTRY)
 * @RMT_CMD_ENTRY_DEL: delete an entry by handle
 * @RMT_CMD_ENTRY_GET: dump a table's entries
 * @RMT_CMD_PROG_NEW: verify and load a program (%RMT_A_PROG)
 * @RMT_CMD_PROG_DEL: unload a program no table uses
 * @RMT_CMD_PROG_GET: get one program (with its instructions as the kernel
 *	holds them), or dump all
 * @RMT_CMD_MODEL_NEW: load a model blob (%RMT_A_MODEL)
 * @RMT_CMD_MODEL_DEL: unload a model no program uses
 * @RMT_CMD_MODEL_GET: get or dump models
 * @RMT_CMD_CTXMAP_NEW: create a context map (%RMT_A_CTXMAP)
 * @RMT_CMD_CTXMAP_DEL: delete a context map no program uses
 * @RMT_CMD_CTXMAP_GET: get or dump context maps
 * @RMT_CMD_HOOK_GET: dump hook points: context schema, budget, tables
 * @RMT_CMD_STATS_GET: dump per-table counters (%RMT_A_STATS)
 * @RMT_CMD_TEST_RUN: run a loaded program on a supplied context
 *	(%RMT_A_TEST), like BPF_PROG_TEST_RUN; no hook fires
 * @RMT_CMD_BATCH: apply %RMT_A_BATCH atomically
 * @RMT_CMD_COMMIT: notification on the monitor group: a generation was
 *	committed (%RMT_A_GENERATION, %RMT_A_BATCH_OPS)
 * @RMT_CMD_ERROR: reply sent just before a refusal's error ack, with the
 *	refusal in words (%RMT_A_ERROR).  The extended ack itself carries a
 *	fixed message (what to do) and the offending attribute.
 * @RMT_CMD_TRIP: notification on the monitor group: the guardrail
 *	watchdog disabled a table (%RMT_A_TABLE with its name, handle and
 *	state; %RMT_A_STATS with its p99 and errors)
 */
enum rmt_cmd {
	RMT_CMD_UNSPEC,
	RMT_CMD_TABLE_NEW,
	RMT_CMD_TABLE_DEL,
	RMT_CMD_TABLE_GET,
	RMT_CMD_ENTRY_NEW,
	RMT_CMD_ENTRY_DEL,
	RMT_CMD_ENTRY_GET,
	RMT_CMD_PROG_NEW,
	RMT_CMD_PROG_DEL,
	RMT_CMD_PROG_GET,
	RMT_CMD_MODEL_NEW,
	RMT_CMD_MODEL_DEL,
	RMT_CMD_MODEL_GET,
	RMT_CMD_CTXMAP_NEW,
	RMT_CMD_CTXMAP_DEL,
	RMT_CMD_CTXMAP_GET,
	RMT_CMD_HOOK_GET,
	RMT_CMD_STATS_GET,
	RMT_CMD_TEST_RUN,
	RMT_CMD_BATCH,
	RMT_CMD_COMMIT,
	RMT_CMD_ERROR,
	RMT_CMD_TRIP,
	__RMT_CMD_MAX,
};
#define RMT_CMD_MAX (__RMT_CMD_MAX - 1)

/**
 * enum rmt_attr - top-level attributes
 * @RMT_A_UNSPEC: unused
 * @RMT_A_TABLE: nested &enum rmt_table_attr; TABLE_* commands
 * @RMT_A_ENTRY: nested &enum rmt_entry_attr; ENTRY_* commands
 * @RMT_A_PROG: nested &enum rmt_prog_attr; PROG_* and TEST_RUN
 * @RMT_A_MODEL: nested &enum rmt_model_attr; MODEL_* commands
 * @RMT_A_CTXMAP: nested &enum rmt_ctxmap_attr; CTXMAP_* commands
 * @RMT_A_HOOK: nested &enum rmt_hook_attr; replies to HOOK_GET
 * @RMT_A_STATS: nested &enum rmt_stats_attr; replies to STATS_GET
 * @RMT_A_TEST: nested &enum rmt_test_attr; TEST_RUN request and reply
 * @RMT_A_BATCH: nested list of %RMT_A_OP, for BATCH; a nest is limited to
 *	64 KiB, so long batches put their %RMT_A_OP attributes at the top
 *	level instead
 * @RMT_A_OP: nested &enum rmt_op_attr; one operation of a batch, inside
 *	%RMT_A_BATCH or, repeated, at the top level of BATCH
 * @RMT_A_GENERATION: NLA_U64; in every write reply and COMMIT event: the
 *	generation now current
 * @RMT_A_BATCH_OPS: NLA_U32; in COMMIT events: operations committed
 * @RMT_A_PAD: padding for 64-bit attributes
 * @RMT_A_ERROR: nested &enum rmt_error_attr; in RMT_CMD_ERROR replies
 */
enum rmt_attr {
	RMT_A_UNSPEC,
	RMT_A_TABLE,
	RMT_A_ENTRY,
	RMT_A_PROG,
	RMT_A_MODEL,
	RMT_A_CTXMAP,
	RMT_A_HOOK,
	RMT_A_STATS,
	RMT_A_TEST,
	RMT_A_BATCH,
	RMT_A_OP,
	RMT_A_GENERATION,
	RMT_A_BATCH_OPS,
	RMT_A_PAD,
	RMT_A_ERROR,
	__RMT_A_MAX,
};
#define RMT_A_MAX (__RMT_A_MAX - 1)

/**
 * enum rmt_error_attr - a refusal in words (RMT_CMD_ERROR replies)
 * @RMT_A_ERROR_UNSPEC: unused
 * @RMT_A_ERROR_MSG: NLA_NUL_STRING: the refusal, e.g. "op 2: insn 5:
 *	read of uninitialised register r3; hint: write the register on every
 *	path before reading it"
 * @RMT_A_ERROR_OP: NLA_U32: in batches, the failing operation (from 0)
 * @RMT_A_ERROR_INSN: NLA_S32: for programs, the refused instruction
 * @RMT_A_ERROR_CODE: NLA_NUL_STRING: the core's reason (RMT_E_* name
 *	without the prefix, e.g. "UNINIT_REG"), when the core refused
 */
enum rmt_error_attr {
	RMT_A_ERROR_UNSPEC,
	RMT_A_ERROR_MSG,
	RMT_A_ERROR_OP,
	RMT_A_ERROR_INSN,
	RMT_A_ERROR_CODE,
	__RMT_A_ERROR_MAX,
};
#define RMT_A_ERROR_MAX (__RMT_A_ERROR_MAX - 1)

/**
 * enum rmt_op_attr - one operation of a batch
 * @RMT_A_OP_UNSPEC: unused
 * @RMT_A_OP_CMD: NLA_U8, required: a NEW or DEL command of &enum rmt_cmd
 * @RMT_A_OP_ATTRS: nested &enum rmt_attr, required: the attributes that
 *	command takes on its own
 *
 * A rejected batch names the failing operation: the RMT_CMD_ERROR reply
 * has %RMT_A_ERROR_OP and a message starting "op N: " (N from 0), and the
 * extended ack's offset points into that operation.
 */
enum rmt_op_attr {
	RMT_A_OP_UNSPEC,
	RMT_A_OP_CMD,
	RMT_A_OP_ATTRS,
	__RMT_A_OP_MAX,
};
#define RMT_A_OP_MAX (__RMT_A_OP_MAX - 1)

/**
 * enum rmt_match_kind - how a table matches its key
 * @RMT_MATCH_EXACT: all key fields equal; hashed, O(1)
 * @RMT_MATCH_TERNARY: (key & mask) == value; highest priority wins
 * @RMT_MATCH_RANGE: each field within [value, value_hi]; highest
 *	priority wins
 * @RMT_MATCH_LPM: longest prefix of the key's single field, as an
 *	unsigned 64-bit number read from the most significant bit
 */
enum rmt_match_kind {
	RMT_MATCH_EXACT = 1,
	RMT_MATCH_TERNARY = 2,
	RMT_MATCH_RANGE = 3,
	RMT_MATCH_LPM = 4,
};

/**
 * enum rmt_trip - why the guardrail watchdog disabled a table
 * @RMT_TRIP_NONE: it did not: the table works
 * @RMT_TRIP_LATENCY: the p99 of its action runs exceeded its latency budget
 * @RMT_TRIP_ERRORS: its actions kept failing
 * @RMT_TRIP_RATE: its verdicts asked for more readahead pages per second
 *	than rmt.ko's max_ra_pages allows
 *
 * A disabled table is skipped by its hook (the kernel's behaviour
 * applies) until it is deleted or replaced; each trip is announced on
 * the monitor group (%RMT_CMD_TRIP).
 */
enum rmt_trip {
	RMT_TRIP_NONE = 0,
	RMT_TRIP_LATENCY = 1,
	RMT_TRIP_ERRORS = 2,
	RMT_TRIP_RATE = 3,
};

/**
 * enum rmt_table_attr - attributes of a table
 * @RMT_A_TABLE_UNSPEC: unused
 * @RMT_A_TABLE_NAME: NLA_NUL_STRING; required by TABLE_NEW; TABLE_DEL and
 *	TABLE_GET take it or %RMT_A_TABLE_HANDLE
 * @RMT_A_TABLE_HANDLE: NLA_U64; in replies; selects a table for DEL/GET
 * @RMT_A_TABLE_HOOK: NLA_NUL_STRING, required by TABLE_NEW: hook point
 *	name (RMT_CMD_HOOK_GET lists them)
 * @RMT_A_TABLE_KEY: nested list of %RMT_A_TABLE_KEY_FIELD, required by
 *	TABLE_NEW: the context fields, in order, that form the key
 * @RMT_A_TABLE_KEY_FIELD: NLA_NUL_STRING: a field name of the hook's
 *	context schema
 * @RMT_A_TABLE_MATCH: NLA_U8, required by TABLE_NEW: &enum rmt_match_kind
 * @RMT_A_TABLE_SIZE: NLA_U32, required by TABLE_NEW: most entries, at
 *	most %RMT_MAX_TABLE_SIZE
 * @RMT_A_TABLE_DEFAULT: NLA_NUL_STRING, optional: program run on a miss;
 *	absent means the kernel's own decision
 * @RMT_A_TABLE_ENTRIES: NLA_U32, in replies: entries now
 * @RMT_A_TABLE_PAD: padding for 64-bit attributes
 * @RMT_A_TABLE_LATENCY: NLA_U64, optional: the latency budget of an
 *	action run in ns: the guardrail watchdog disables the table when the
 *	measured p99 exceeds it (0 or absent: no budget)
 * @RMT_A_TABLE_STATE: NLA_U8, in replies: &enum rmt_trip, why the
 *	watchdog disabled the table (%RMT_TRIP_NONE while it works)
 */
enum rmt_table_attr {
	RMT_A_TABLE_UNSPEC,
	RMT_A_TABLE_NAME,
	RMT_A_TABLE_HANDLE,
	RMT_A_TABLE_HOOK,
	RMT_A_TABLE_KEY,
	RMT_A_TABLE_KEY_FIELD,
	RMT_A_TABLE_MATCH,
	RMT_A_TABLE_SIZE,
	RMT_A_TABLE_DEFAULT,
	RMT_A_TABLE_ENTRIES,
	RMT_A_TABLE_PAD,
	RMT_A_TABLE_LATENCY,
	RMT_A_TABLE_STATE,
	__RMT_A_TABLE_MAX,
};
#define RMT_A_TABLE_MAX (__RMT_A_TABLE_MAX - 1)

/**
 * enum rmt_entry_attr - attributes of a table entry
 * @RMT_A_ENTRY_UNSPEC: unused
 * @RMT_A_ENTRY_TABLE: NLA_NUL_STRING, required by every ENTRY command
 * @RMT_A_ENTRY_HANDLE: NLA_U64; in replies; required by ENTRY_DEL
 * @RMT_A_ENTRY_KEY: NLA_BINARY, required by ENTRY_NEW: one __s64 per key
 *	field (the low end for range tables)
 * @RMT_A_ENTRY_MASK: NLA_BINARY, required for ternary tables: one __u64
 *	per key field
 * @RMT_A_ENTRY_KEY_HI: NLA_BINARY, required for range tables: one __s64
 *	per key field, the inclusive high end
 * @RMT_A_ENTRY_PREFIX: NLA_U8, required for lpm tables: prefix length
 *	0-64
 * @RMT_A_ENTRY_PRIORITY: NLA_U32, optional (ternary and range; higher
 *	wins, default 0)
 * @RMT_A_ENTRY_PROG: NLA_NUL_STRING, required by ENTRY_NEW: the action
 *	program, loaded for the table's hook
 * @RMT_A_ENTRY_PARAMS: NLA_BINARY, optional: up to %RMT_MAX_PARAMS
 *	__s64 action parameters, read by the action with CALL param
 * @RMT_A_ENTRY_HITS: NLA_U64, in replies: times this entry matched
 */
enum rmt_entry_attr {
	RMT_A_ENTRY_UNSPEC,
	RMT_A_ENTRY_TABLE,
	RMT_A_ENTRY_HANDLE,
	RMT_A_ENTRY_KEY,
	RMT_A_ENTRY_MASK,
	RMT_A_ENTRY_KEY_HI,
	RMT_A_ENTRY_PREFIX,
	RMT_A_ENTRY_PRIORITY,
	RMT_A_ENTRY_PROG,
	RMT_A_ENTRY_PARAMS,
	RMT_A_ENTRY_HITS,
	RMT_A_ENTRY_PAD,
	__RMT_A_ENTRY_MAX,
};
#define RMT_A_ENTRY_MAX (__RMT_A_ENTRY_MAX - 1)

/**
 * enum rmt_prog_attr - attributes of a program
 * @RMT_A_PROG_UNSPEC: unused
 * @RMT_A_PROG_NAME: NLA_NUL_STRING; required by PROG_NEW; PROG_DEL,
 *	PROG_GET and TEST_RUN take it or %RMT_A_PROG_HANDLE
 * @RMT_A_PROG_HANDLE: NLA_U64; in replies; selects a program
 * @RMT_A_PROG_HOOK: NLA_NUL_STRING, required by PROG_NEW: the hook whose
 *	context schema the program is verified against
 * @RMT_A_PROG_INSNS: NLA_BINARY, required by PROG_NEW: struct rmt_insn
 *	array; in PROG_GET replies, the instructions as the kernel holds them
 * @RMT_A_PROG_MODEL: NLA_NUL_STRING, optional: model the program uses
 * @RMT_A_PROG_CTXMAPS: nested list of %RMT_A_PROG_REF, optional: context
 *	maps, in the order LD_CTXT/ST_CTXT number them
 * @RMT_A_PROG_TAILS: nested list of %RMT_A_PROG_REF, optional: programs
 *	for TAIL_CALL slots 0, 1, ...
 * @RMT_A_PROG_REF: NLA_NUL_STRING: a name inside the lists above
 * @RMT_A_PROG_BUDGET: NLA_U64, optional: cost budget (default: the
 *	hook's)
 * @RMT_A_PROG_COST: NLA_U64, in replies: verified worst-case cost
 * @RMT_A_PROG_MAX_INSNS: NLA_U64, in replies: worst-case instructions
 * @RMT_A_PROG_JIT: NLA_U8, optional on PROG_NEW: enum rmt_jit_tier to
 *	force (default %RMT_JIT_AUTO); in replies: the tier that runs it
 * @RMT_A_PROG_JIT_REASON: NLA_NUL_STRING, in replies: why the tier was
 *	chosen, or why code generation fell back to the interpreter
 * @RMT_A_PROG_JITED: NLA_BINARY, in PROG_GET replies when asked with
 *	%RMT_A_PROG_JITED set (any value): the machine code
 * @RMT_A_PROG_JIT_MAP: NLA_BINARY, with %RMT_A_PROG_JITED: one __u32
 *	per instruction plus one, the offset of its code in the image
 */
enum rmt_prog_attr {
	RMT_A_PROG_UNSPEC,
	RMT_A_PROG_NAME,
	RMT_A_PROG_HANDLE,
	RMT_A_PROG_HOOK,
	RMT_A_PROG_INSNS,
	RMT_A_PROG_MODEL,
	RMT_A_PROG_CTXMAPS,
	RMT_A_PROG_TAILS,
	RMT_A_PROG_REF,
	RMT_A_PROG_BUDGET,
	RMT_A_PROG_COST,
	RMT_A_PROG_MAX_INSNS,
	RMT_A_PROG_PAD,
	RMT_A_PROG_JIT,
	RMT_A_PROG_JIT_REASON,
	RMT_A_PROG_JITED,
	RMT_A_PROG_JIT_MAP,
	__RMT_A_PROG_MAX,
};
#define RMT_A_PROG_MAX (__RMT_A_PROG_MAX - 1)

/**
 * enum rmt_model_attr - attributes of a model
 * @RMT_A_MODEL_UNSPEC: unused
 * @RMT_A_MODEL_NAME: NLA_NUL_STRING; required by MODEL_NEW; DEL and GET
 *	take it or %RMT_A_MODEL_HANDLE
 * @RMT_A_MODEL_HANDLE: NLA_U64; in replies; selects a model
 * @RMT_A_MODEL_BLOB: NLA_BINARY, required by MODEL_NEW: a model blob
 *	(struct rmt_model_hdr ...)
 * @RMT_A_MODEL_TENSORS: NLA_U32, in replies
 * @RMT_A_MODEL_TREES: NLA_U32, in replies
 */
enum rmt_model_attr {
	RMT_A_MODEL_UNSPEC,
	RMT_A_MODEL_NAME,
	RMT_A_MODEL_HANDLE,
	RMT_A_MODEL_BLOB,
	RMT_A_MODEL_TENSORS,
	RMT_A_MODEL_TREES,
	RMT_A_MODEL_PAD,
	__RMT_A_MODEL_MAX,
};
#define RMT_A_MODEL_MAX (__RMT_A_MODEL_MAX - 1)

/**
 * enum rmt_ctxmap_attr - attributes of a context map
 * @RMT_A_CTXMAP_UNSPEC: unused
 * @RMT_A_CTXMAP_NAME: NLA_NUL_STRING; required by CTXMAP_NEW; DEL and
 *	GET take it or %RMT_A_CTXMAP_HANDLE
 * @RMT_A_CTXMAP_HANDLE: NLA_U64; in replies; selects a map
 * @RMT_A_CTXMAP_DESC: NLA_BINARY, required by CTXMAP_NEW: struct
 *	rmt_ctxmap_desc
 * @RMT_A_CTXMAP_COUNT: NLA_U32, in replies: keys present
 * @RMT_A_CTXMAP_DROPS: NLA_U64, in replies: stores that found no slot
 */
enum rmt_ctxmap_attr {
	RMT_A_CTXMAP_UNSPEC,
	RMT_A_CTXMAP_NAME,
	RMT_A_CTXMAP_HANDLE,
	RMT_A_CTXMAP_DESC,
	RMT_A_CTXMAP_COUNT,
	RMT_A_CTXMAP_DROPS,
	RMT_A_CTXMAP_PAD,
	__RMT_A_CTXMAP_MAX,
};
#define RMT_A_CTXMAP_MAX (__RMT_A_CTXMAP_MAX - 1)

/**
 * enum rmt_hook_attr - a hook point, in HOOK_GET replies
 * @RMT_A_HOOK_UNSPEC: unused
 * @RMT_A_HOOK_NAME: NLA_NUL_STRING
 * @RMT_A_HOOK_ID: NLA_U32: &enum rmt_hook_id
 * @RMT_A_HOOK_BUDGET: NLA_U64: default cost budget
 * @RMT_A_HOOK_FIELDS: nested list of %RMT_A_HOOK_FIELD
 * @RMT_A_HOOK_FIELD: NLA_NUL_STRING: one context field, in index order
 * @RMT_A_HOOK_WRITABLE: NLA_U64: bit n set if field n is writable
 * @RMT_A_HOOK_TABLES: NLA_U32: tables attached to the hook
 * @RMT_A_HOOK_PAD: padding for the 64-bit attributes of this nest
 * @RMT_A_HOOK_VERDICT: NLA_NUL_STRING: what the verdict (r0 at EXIT) of
 *	the hook's actions means, for humans
 * @RMT_A_HOOK_FALLBACK: NLA_NUL_STRING: what the kernel does when no
 *	table decides (no match and no default action, an action that fails
 *	or overruns its budget)
 * @RMT_A_HOOK_ATTACHED: NLA_NUL_STRING: the kernel function the hook is
 *	attached to; absent when it is not attached
 * @RMT_A_HOOK_STATUS: NLA_NUL_STRING: why the hook is not attached (e.g.
 *	"no kernel site" for the test hook); absent when it is attached
 * @RMT_A_HOOK_FIRES: NLA_U64: times the kernel reached the hook with a
 *	table attached; this and the counters below are absent for a hook
 *	without a kernel site
 * @RMT_A_HOOK_DECIDED: NLA_U64: fires on which a table gave a verdict
 *	(not DEFAULT)
 * @RMT_A_HOOK_DEFAULTS: NLA_U64: fires that kept the kernel's behaviour
 * @RMT_A_HOOK_ERRORS: NLA_U64: actions that failed or overran (the
 *	kernel's behaviour applied)
 * @RMT_A_HOOK_PAGES: NLA_U64: readahead: pages RMT read ahead
 * @RMT_A_HOOK_HITS: NLA_U64: readahead: lookups that found a page RMT
 *	read ahead
 * @RMT_A_HOOK_DROPPED: NLA_U64: verdicts that could not be carried out
 *	(no free slot, invalid offsets), so the kernel's behaviour applied
 */
enum rmt_hook_attr {
	RMT_A_HOOK_UNSPEC,
	RMT_A_HOOK_NAME,
	RMT_A_HOOK_ID,
	RMT_A_HOOK_BUDGET,
	RMT_A_HOOK_FIELDS,
	RMT_A_HOOK_FIELD,
	RMT_A_HOOK_WRITABLE,
	RMT_A_HOOK_TABLES,
	RMT_A_HOOK_PAD,
	RMT_A_HOOK_VERDICT,
	RMT_A_HOOK_FALLBACK,
	RMT_A_HOOK_ATTACHED,
	RMT_A_HOOK_STATUS,
	RMT_A_HOOK_FIRES,
	RMT_A_HOOK_DECIDED,
	RMT_A_HOOK_DEFAULTS,
	RMT_A_HOOK_ERRORS,
	RMT_A_HOOK_PAGES,
	RMT_A_HOOK_HITS,
	RMT_A_HOOK_DROPPED,
	__RMT_A_HOOK_MAX,
};
#define RMT_A_HOOK_MAX (__RMT_A_HOOK_MAX - 1)

/**
 * enum rmt_stats_attr - counters of a table, in STATS_GET replies
 * @RMT_A_STATS_UNSPEC: unused
 * @RMT_A_STATS_TABLE: NLA_NUL_STRING: the table; selects one in requests
 * @RMT_A_STATS_HITS: NLA_U64: lookups that matched an entry
 * @RMT_A_STATS_MISSES: NLA_U64: lookups that matched none
 * @RMT_A_STATS_RUN_NS: NLA_U64: time spent running actions
 * @RMT_A_STATS_ERRORS: NLA_U64: actions that failed and fell back
 * @RMT_A_STATS_PAD: padding for 64-bit attributes
 * @RMT_A_STATS_P99_NS: NLA_U64: the 99th percentile of action run times,
 *	as the upper end of its power-of-two bucket (0 before any run)
 */
enum rmt_stats_attr {
	RMT_A_STATS_UNSPEC,
	RMT_A_STATS_TABLE,
	RMT_A_STATS_HITS,
	RMT_A_STATS_MISSES,
	RMT_A_STATS_RUN_NS,
	RMT_A_STATS_ERRORS,
	RMT_A_STATS_PAD,
	RMT_A_STATS_P99_NS,
	__RMT_A_STATS_MAX,
};
#define RMT_A_STATS_MAX (__RMT_A_STATS_MAX - 1)

/**
 * enum rmt_test_attr - TEST_RUN request and reply
 * @RMT_A_TEST_UNSPEC: unused
 * @RMT_A_TEST_PROG: NLA_NUL_STRING, required: program to run
 * @RMT_A_TEST_CTX: NLA_BINARY, optional: __s64 context fields (missing
 *	ones are 0); in the reply, the context after the run
 * @RMT_A_TEST_REPEAT: NLA_U32, optional: runs (1-10000000), for timing
 * @RMT_A_TEST_R0: NLA_S64, reply: the verdict
 * @RMT_A_TEST_INSNS: NLA_U64, reply: instructions of the last run
 * @RMT_A_TEST_NS: NLA_U64, reply: total time of all runs
 * @RMT_A_TEST_ERR: NLA_S32, reply: 0, or the error that ended the run
 * @RMT_A_TEST_TABLE: NLA_NUL_STRING, instead of %RMT_A_TEST_PROG: match
 *	the context against this table and run the matched entry's action
 *	(or the table's default), as a hook would; counters are updated
 * @RMT_A_TEST_ENTRY: NLA_U64, reply to a table run: the matched entry's
 *	handle, 0 on a miss
 * @RMT_A_TEST_RAN: NLA_U8, reply to a table run: 1 if an action ran, 0
 *	if the kernel's own decision would apply
 */
enum rmt_test_attr {
	RMT_A_TEST_UNSPEC,
	RMT_A_TEST_PROG,
	RMT_A_TEST_CTX,
	RMT_A_TEST_REPEAT,
	RMT_A_TEST_R0,
	RMT_A_TEST_INSNS,
	RMT_A_TEST_NS,
	RMT_A_TEST_ERR,
	RMT_A_TEST_PAD,
	RMT_A_TEST_TABLE,
	RMT_A_TEST_ENTRY,
	RMT_A_TEST_RAN,
	__RMT_A_TEST_MAX,
};
#define RMT_A_TEST_MAX (__RMT_A_TEST_MAX - 1)

#endif /* _UAPI_LINUX_RMT_H */
