# SPDX-License-Identifier: GPL-2.0-only
#
# User-space build of the RMT core (librmt), the tools and the tests,
# plus the out-of-tree kernel module.  `make help` lists the targets.

CC       ?= gcc
CLANG    ?= clang
BUILD    := build
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
            -Wno-missing-field-initializers -Wno-override-init
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -Iuapi -Irmt -Ilib -Idsl -D_GNU_SOURCE
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

CORE_SRC := $(wildcard rmt/*.c) lib/platform.c
LIB_SRC  := $(filter-out lib/platform.c,$(wildcard lib/*.c))
DSL_SRC  := $(filter-out dsl/main.c,$(wildcard dsl/*.c))
CTL_SRC  := $(wildcard ctl/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
ASAN_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(TEST_SRC))
HDRS     := $(wildcard uapi/linux/*.h rmt/*.h lib/*.h ctl/*.h dsl/*.h tests/unit/*.h)

.PHONY: all module check demo bench fuzz unit asan clean help setup

all: $(BUILD)/librmt.a $(BUILD)/rmtctl $(BUILD)/rmtc $(TESTS)

help:
	@echo "make            build librmt, rmtctl and the unit tests into $(BUILD)/"
	@echo "make module     build rmt.ko against the guest kernel's headers"
	@echo "make check      install what is missing, then run every test"
	@echo "make demo       boot the test VM and run the sample MLP in kernel and user space"
	@echo "make bench      run the benchmarks, write $(BUILD)/bench/*.json"

setup:
	@scripts/setup.sh >/dev/null

# ---- librmt: the core, built for user space ----
$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/librmt.a: $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRC))
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)ar rcs $@ $^

$(BUILD)/librmtutil.a: $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)ar rcs $@ $^

$(BUILD)/librmtc.a: $(patsubst %.c,$(BUILD)/obj/%.o,$(DSL_SRC))
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)ar rcs $@ $^

$(BUILD)/rmtctl: $(patsubst %.c,$(BUILD)/obj/%.o,$(CTL_SRC)) \
		 $(BUILD)/librmtc.a $(BUILD)/librmtutil.a $(BUILD)/librmt.a
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lmnl -lelf -lcapstone

# rmtc: the policy compiler (dsl/), a thin main over librmtc
$(BUILD)/rmtc: $(BUILD)/obj/dsl/main.o $(BUILD)/librmtc.a \
	       $(BUILD)/librmtutil.a $(BUILD)/librmt.a
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lelf

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librmtc.a $(BUILD)/librmtutil.a \
		  $(BUILD)/librmt.a $(HDRS)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/librmtc.a \
		$(BUILD)/librmtutil.a $(BUILD)/librmt.a -lelf

# the strided swap-in workload of the readahead hook's guest test (static:
# the guest has no libc of its own)
$(BUILD)/tests/stride: tests/hooks/stride.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -O2 -Wall -Werror -static -o $@ $<

all: $(BUILD)/tests/stride

# ---- the same, under AddressSanitizer and UBSan ----
$(BUILD)/asan/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $<
	$(Q)$(CLANG) $(CFLAGS) $(SAN) -c -o $@ $<

$(BUILD)/asan/librmt.a: $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(CORE_SRC) $(LIB_SRC) $(DSL_SRC))
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)ar rcs $@ $^

$(BUILD)/asan/tests/%: tests/unit/%.c $(BUILD)/asan/librmt.a $(HDRS)
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CLANG) $(CFLAGS) $(SAN) -Itests/unit -o $@ $< $(BUILD)/asan/librmt.a -lelf

asan: $(ASAN_TESTS)

# ---- kernel module ----
KVER = $(shell scripts/setup.sh --print-kver)
KDIR = /lib/modules/$(KVER)/build

module: $(BUILD)/rmt.ko

$(BUILD)/rmt.ko: Kbuild $(CORE_SRC) $(wildcard kernel/*.c kernel/*.h hooks/*.c hooks/*.h \
		  hooks/layout/*) $(HDRS)
	@rm -rf $(BUILD)/kmod && mkdir -p $(BUILD)/kmod
	$(Q)cp -r Kbuild uapi rmt kernel hooks $(BUILD)/kmod/
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/kmod $(if $(Q),-s) modules 2>&1 | \
		grep -v 'Skipping BTF generation' || true
	$(Q)test -f $(BUILD)/kmod/rmt.ko && cp $(BUILD)/kmod/rmt.ko $@

unit: all
	tests/run-unit.sh $(BUILD)

check: setup
	$(MAKE) -j2 all asan module fuzzers nlclient layout-check-modules
	tests/run-all.sh

demo: setup
	$(MAKE) -j2 all module
	scripts/demo.sh

clean:
	rm -rf $(BUILD)

include tests/fuzz/fuzz.mk
include tests/netlink/netlink.mk
include bench/bench.mk
include tests/hooks/hooks.mk
