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
BENCH_SUITES := core ctl rmtc hooks
BENCH_BINS   := $(patsubst %,$(BENCH_DIR)/bench_%,$(BENCH_SUITES))

# The c-scalar baselines stay scalar: no SIMD the interpreter lacks.
BENCH_CFLAGS_core := -fno-tree-vectorize -fno-tree-slp-vectorize

# rmtc times the policy compiler (dsl/); libelf for its object code.
BENCH_LIBS_rmtc   := $(BUILD)/librmtc.a
BENCH_LDLIBS_rmtc := -lelf

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
