# SPDX-License-Identifier: GPL-2.0-only
#
# The scheduler-layout test (docs/hooks-layout.md): rmt_layout_check.ko,
# built against the guest kernel's headers the way `make module` builds
# rmt.ko, run in the test guest by tests/hooks/test_layout.sh.
#
#   make layout-check          build both modules and run the guest test
#   make layout-check-modules  build them only
#
# $(BUILD)/rmt_layout_check.ko uses the layout pinned for the headers'
# release; $(BUILD)/rmt_layout_check_none.ko is the same module built
# without any pinned layout (RMT_SCHED_LAYOUT_NONE), which must refuse.

LC_DIR  := $(BUILD)/layout-check
LC_DEPS := tests/hooks/Kbuild tests/hooks/layout_check.c hooks/ksym.c \
	   hooks/ksym.h hooks/sched_layout.h $(wildcard hooks/layout/*)

.PHONY: layout-check layout-check-modules

layout-check-modules: $(BUILD)/rmt_layout_check.ko $(BUILD)/rmt_layout_check_none.ko

# lc_build DIR: copy the sources to DIR and build the module there
define lc_build
	@rm -rf $(1) && mkdir -p $(1)/hooks
	$(Q)cp tests/hooks/Kbuild tests/hooks/layout_check.c $(1)/
	$(Q)cp -r hooks/ksym.c hooks/ksym.h hooks/sched_layout.h hooks/layout $(1)/hooks/
endef
define lc_make
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(1) $(if $(Q),-s) modules 2>&1 | \
		grep -v 'Skipping BTF generation' || true
	$(Q)test -f $(1)/rmt_layout_check.ko
endef

$(BUILD)/rmt_layout_check.ko: $(LC_DEPS)
	$(quiet) KMOD $@
	$(call lc_build,$(LC_DIR))
	$(call lc_make,$(LC_DIR))
	$(Q)cp $(LC_DIR)/rmt_layout_check.ko $@

# The forwarders (hooks/layout/<release>, no .h) removed: no layout.
$(BUILD)/rmt_layout_check_none.ko: $(LC_DEPS)
	$(quiet) KMOD $@
	$(call lc_build,$(LC_DIR)-none)
	$(Q)find $(LC_DIR)-none/hooks/layout -type f ! -name '*.h' -delete
	$(call lc_make,$(LC_DIR)-none)
	$(Q)cp $(LC_DIR)-none/rmt_layout_check.ko $@

layout-check: setup
	$(MAKE) layout-check-modules
	tests/hooks/test_layout.sh $(BUILD)
