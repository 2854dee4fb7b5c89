# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer targets for the core, built with clang from the sources in
# rmt/ (not from librmt.a, which gcc builds without coverage
# instrumentation), plus the seed writer that tests/fuzz/run.sh uses to
# start each corpus.  fuzz_verifier and fuzz_jit share their input
# format, environment and mutator (fuzz_prog.c).  fuzz_object takes
# rmtc's object reader from dsl/ and writes its own seeds
# (fuzz_object_seeds, the same file built without the fuzzer).
#
#   make fuzzers             build $(BUILD)/fuzz/fuzz_{verifier,jit,image,store,rmtc,object}
#   make fuzz [FUZZ_SECONDS=60]
#                            run each for FUZZ_SECONDS, print TAP

FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := $(FUZZ_DIR)/fuzz_verifier $(FUZZ_DIR)/fuzz_jit \
		$(FUZZ_DIR)/fuzz_image $(FUZZ_DIR)/fuzz_store \
		$(FUZZ_DIR)/fuzz_object $(FUZZ_DIR)/fuzz_rmtc
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
FUZZ_COMMON  := tests/fuzz/fuzz_common.c tests/fuzz/fuzz_shadow.c
FUZZ_DEPS    := $(CORE_SRC) $(FUZZ_COMMON) $(HDRS) tests/fuzz/fuzz.h
FUZZ_PROG    := tests/fuzz/fuzz_prog.c
FUZZ_SECONDS ?= 60
FUZZ_OBJ_SRC := dsl/object.c dsl/object_read.c dsl/policy.c

# fuzz_jit sees every context-map and helper call that the interpreter
# and the machine code make (fuzz_jit.c has the __wrap_ functions).
FUZZ_JIT_WRAP := $(strip $(foreach f,rmt_ctxmap_load rmt_ctxmap_store \
		   rmt_ctxmap_contains rmt_ctxmap_history rmt_helper_call, \
		   -Wl,--wrap=$(f)))

.PHONY: fuzzers fuzz

fuzzers: $(FUZZ_TARGETS) $(FUZZ_DIR)/fuzz_seeds $(FUZZ_DIR)/fuzz_object_seeds

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) -Itests/fuzz -o $@ $< $(FUZZ_COMMON) \
		$(CORE_SRC)

$(FUZZ_DIR)/fuzz_verifier: tests/fuzz/fuzz_verifier.c $(FUZZ_PROG) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) -Itests/fuzz -o $@ $< $(FUZZ_PROG) \
		$(FUZZ_COMMON) $(CORE_SRC)

$(FUZZ_DIR)/fuzz_jit: tests/fuzz/fuzz_jit.c $(FUZZ_PROG) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) $(FUZZ_JIT_WRAP) -Itests/fuzz -o $@ $< \
		$(FUZZ_PROG) $(FUZZ_COMMON) $(CORE_SRC)

# The compiler's target builds the compiler (dsl/) with the core, all
# instrumented; it needs libelf for the object writer and reader.
$(FUZZ_DIR)/fuzz_rmtc: tests/fuzz/fuzz_rmtc.c $(DSL_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) -Itests/fuzz -o $@ $< $(DSL_SRC) \
		$(CORE_SRC) -lelf

# The seed writer only lays out bytes: no fuzzer runtime, no sanitizers.
$(FUZZ_DIR)/fuzz_seeds: tests/fuzz/fuzz_seeds.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -Itests/fuzz -o $@ $< $(FUZZ_COMMON) $(CORE_SRC)

# The object reader, and the writer it is checked against (libelf).
$(FUZZ_DIR)/fuzz_object: tests/fuzz/fuzz_object.c $(FUZZ_OBJ_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) -Itests/fuzz -o $@ $< $(FUZZ_OBJ_SRC) -lelf

# Its seeds carry the fixed model of fuzz_common.c.
$(FUZZ_DIR)/fuzz_object_seeds: tests/fuzz/fuzz_object.c $(FUZZ_OBJ_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -DFUZZ_OBJECT_SEEDS -Itests/fuzz -o $@ $< \
		$(FUZZ_OBJ_SRC) $(FUZZ_COMMON) $(CORE_SRC) -lelf

fuzz: fuzzers
	BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS)
