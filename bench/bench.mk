# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmarks.  Each suite is one program, bench/bench_<suite>.c, linked
# with bench/harness.c (timing, table, JSON) and librmt; run with the
# output directory as its argument, it prints a markdown table and
# writes $(BUILD)/bench/<suite>.md and $(BUILD)/bench/<suite>.json.
#
# To add a suite: append its name to BENCH_SUITES; if it needs more
# than librmt, add the archives to BENCH_LIBS_<suite> (they are built
# and linked ahead of librmt) and system libraries to BENCH_LDLIBS_<suite>,
# and its own compiler flags to BENCH_CFLAGS_<suite>.

BENCH_DIR    := $(BUILD)/bench
BENCH_SUITES := core ctl rmtc hooks jit
BENCH_BINS   := $(patsubst %,$(BENCH_DIR)/bench_%,$(BENCH_SUITES))

# The c-scalar baselines stay scalar: no SIMD the interpreter lacks.
BENCH_CFLAGS_core := -fno-tree-vectorize -fno-tree-slp-vectorize

# rmtc times the policy compiler (dsl/); libelf for its object code.
BENCH_LIBS_rmtc   := $(BUILD)/librmtc.a
BENCH_LDLIBS_rmtc := -lelf

# jit times the JIT tiers against the interpreter, plain and AVX-512 C and
# the kernel's eBPF JIT (docs/jit-bench.md).  Its C references get their
# own flags, so they are objects of their own; the eBPF object is found
# next to the binary at run time.
JIT_BENCH_OBJS    := $(patsubst %,$(BENCH_DIR)/%.o,jit_workloads jit_ref_scalar \
			jit_ref_avx512 jit_ebpf)
BENCH_LIBS_jit    := $(JIT_BENCH_OBJS) $(BUILD)/librmtutil.a
BENCH_LDLIBS_jit  := -lbpf
JIT_CFLAGS_ref_scalar := -mgeneral-regs-only -fno-tree-vectorize
JIT_CFLAGS_ref_avx512 := -mavx512f -mavx512bw -mavx512vnni

.PHONY: bench

# ctl times rmtctl batch, and boots the guest with rmt.ko (its kernel rows);
# hooks boots it too, for the hook overhead (hooks/bench.c in rmt.ko).
bench: $(BUILD)/rmtctl $(BUILD)/rmt.ko

bench: $(BENCH_BINS)
	@set -e; for s in $(BENCH_SUITES); do \
		echo "## $$s"; $(BENCH_DIR)/bench_$$s $(BENCH_DIR); echo; \
	done

.SECONDEXPANSION:
$(BENCH_DIR)/bench_%: bench/bench_%.c bench/harness.c bench/harness.h \
		$$(BENCH_LIBS_$$*) $(BUILD)/librmt.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O2 $(BENCH_CFLAGS_$*) -Ibench -o $@ $< bench/harness.c \
		$(BENCH_LIBS_$*) $(BUILD)/librmt.a -lm $(BENCH_LDLIBS_$*)

$(BENCH_DIR)/bench_jit: $(BENCH_DIR)/jit_ebpf.bpf.o
.SECONDARY: $(JIT_BENCH_OBJS)

$(BENCH_DIR)/jit_%.o: bench/jit_%.c bench/jit_workloads.h bench/harness.h $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O2 $(JIT_CFLAGS_$*) -Ibench -c -o $@ $<

$(BENCH_DIR)/jit_ebpf.bpf.o: bench/jit_ebpf.bpf.c bench/jit_workloads.h
	@mkdir -p $(dir $@)
	$(CLANG) -O2 -g -target bpf -mcpu=v3 -Wall -Werror -Ibench -c -o $@ $<
