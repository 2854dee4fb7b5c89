#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Host side of the scheduler-layout test: boots the guest on 2 CPUs with
# rmt_layout_check.ko (hooks/sched_layout.h with the layout pinned for
# the guest kernel) and rmt_layout_check_none.ko (no layout), and runs
# tests/hooks/layout_guest.sh there.  Prints KTAP.  Build the modules
# first: make layout-check-modules (or just make layout-check).
#
# usage: tests/hooks/test_layout.sh [BUILD_DIR]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}

for m in rmt_layout_check rmt_layout_check_none; do
	[ -f "$build/$m.ko" ] ||
		{ echo "not ok 1 - $build/$m.ko missing (make layout-check-modules)"; exit 1; }
done
exec "$top/tests/vm/run.sh" --smp 2 \
	--add "$build/rmt_layout_check.ko:/rmt/rmt_layout_check.ko" \
	--add "$build/rmt_layout_check_none.ko:/rmt/rmt_layout_check_none.ko" \
	--add "$top/tests/hooks/layout_guest.sh:/rmt/layout_guest.sh" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	-- /rmt/layout_guest.sh
