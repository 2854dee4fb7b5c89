#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots the test guest with rmt.ko, rmtctl, the examples and the golden
# budget policy, and runs tests/dsl/guest.sh there (KTAP on stdout).
#
# usage: tests/dsl/test_kernel.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/dsl"
cp -r "$top/examples" "$top/tests/dsl/golden" "$top/tests/dsl/examples.sh" \
	"$top/tests/dsl/guest.sh" "$work/dsl/"
"$build/rmtc" -o "$work/dsl/stride-prefetch.o" "$top/examples/stride-prefetch.rmt" &&
	(cd "$top/tests/dsl/golden" &&
	 "$build/rmtc" --no-verify -o "$work/dsl/budget.o" budget.rmt) || exit 1
exec "$top/tests/vm/run.sh" --add "$build/rmt.ko:/rmt/rmt.ko" \
	--add-bin "$build/rmtctl:/rmt/rmtctl" --add "$work/dsl:/rmt/" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" -- /rmt/dsl/guest.sh
