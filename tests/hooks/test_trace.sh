#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots the guest with a swap disk, rmt.ko, rmtctl, the stride workload
# and the examples, and runs tests/hooks/trace_guest.sh (KTAP): hook
# traces recorded from rmt.ko, read back, replayed, and their drops.
#
# usage: tests/hooks/test_trace.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
exec "$top/tests/vm/run.sh" --mem 384 --smp 2 --swap-disk 512 \
	--add "$build/rmt.ko:/rmt/rmt.ko" --add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$build/tests/stride:/rmt/stride" --add "$top/examples:/rmt/" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	--add "$top/tests/hooks/trace_guest.sh:/rmt/trace_guest.sh" \
	-- /rmt/trace_guest.sh
