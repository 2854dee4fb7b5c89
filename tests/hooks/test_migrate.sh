#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots a 2-vCPU guest with rmt.ko and rmtctl and runs
# tests/hooks/migrate_guest.sh (KTAP).
#
# usage: tests/hooks/test_migrate.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
exec "$top/tests/vm/run.sh" --smp 2 \
	--add "$build/rmt.ko:/rmt/rmt.ko" --add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	--add "$top/tests/hooks/migrate_guest.sh:/rmt/migrate_guest.sh" \
	-- /rmt/migrate_guest.sh
