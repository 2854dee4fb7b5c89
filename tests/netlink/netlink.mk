# SPDX-License-Identifier: GPL-2.0-only
#
# nlclient: a test client of the "rmt" generic-netlink family on
# libnl-genl-3, independent of rmtctl, linked statically so that it runs
# in the busybox-only test guest (tests/netlink/run.sh).
#
#   make nlclient        build $(BUILD)/netlink/nlclient
#
# It lives outside $(BUILD)/tests/, whose binaries are run as unit tests.

NLC_DIR    := $(BUILD)/netlink
NLC_SRC    := tests/netlink/nlclient.c tests/netlink/nlc.c
NLC_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || \
		echo -I/usr/include/libnl3)
NLC_LIBS   := -lnl-genl-3 -lnl-3 -lpthread -lm

.PHONY: nlclient

nlclient: $(NLC_DIR)/nlclient

# Static glibc warns about the name-service functions libnl links in;
# nlclient never calls them, so those two-line warnings are dropped.
$(NLC_DIR)/nlclient: $(NLC_SRC) tests/netlink/nlc.h uapi/linux/rmt.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)rm -f $@; $(CC) $(CFLAGS) $(NLC_CFLAGS) -static -o $@ $(NLC_SRC) \
		$(NLC_LIBS) 2>&1 | { grep -v -e ': in function .nl_' \
		-e 'statically linked applications requires' || true; } >&2; \
		test -f $@
