# SPDX-License-Identifier: GPL-2.0-only
#
# libFuzzer targets for the core, built with clang from the sources in
# rmt/ (not from librmt.a, which gcc builds without coverage
# instrumentation), plus the seed writer that tests/fuzz/run.sh uses to
# start each corpus.
#
#   make fuzzers             build $(BUILD)/fuzz/fuzz_{verifier,image,store}
#   make fuzz [FUZZ_SECONDS=60]
#                            run each for FUZZ_SECONDS, print TAP

FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := $(FUZZ_DIR)/fuzz_verifier $(FUZZ_DIR)/fuzz_image \
		$(FUZZ_DIR)/fuzz_store
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
FUZZ_COMMON  := tests/fuzz/fuzz_common.c tests/fuzz/fuzz_shadow.c
FUZZ_DEPS    := $(CORE_SRC) $(FUZZ_COMMON) $(HDRS) tests/fuzz/fuzz.h
FUZZ_SECONDS ?= 60

.PHONY: fuzzers fuzz

fuzzers: $(FUZZ_TARGETS) $(FUZZ_DIR)/fuzz_seeds

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(FUZZ_SAN) -Itests/fuzz -o $@ $< $(FUZZ_COMMON) \
		$(CORE_SRC)

# The seed writer only lays out bytes: no fuzzer runtime, no sanitizers.
$(FUZZ_DIR)/fuzz_seeds: tests/fuzz/fuzz_seeds.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -Itests/fuzz -o $@ $< $(FUZZ_COMMON) $(CORE_SRC)

fuzz: fuzzers
	BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS)
