#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Host side of the in-kernel core test: computes the expected outputs in
# user space (the same core, built as librmt), then boots the guest with
# rmt.ko and tests/kernel/guest-core.sh.  Prints KTAP.
#
# usage: tests/kernel/run-core.sh [BUILD_DIR]
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/expect"

"$build/tests/test_selftest" > "$work/expect/selftest.ktap" || true

# Each image: an assembly source; the kernel must print what rmtctl does.
for src in "$top/examples/mlp-15-32-32-2.rasm" "$top"/tests/kernel/images/*.rasm; do
	name=$(basename "$src" .rasm)
	[ "$name" = mlp-15-32-32-2 ] && name=mlp
	"$build/rmtctl" prog asm "$src" -o "$work/$name.img"
	if "$build/rmtctl" prog run "$src" > "$work/expect/$name.out" 2>/dev/null; then
		:
	else
		# A rejected program: the kernel prints "rejected: " and the
		# verifier's diagnostic, exactly as the core formats it.
		"$build/rmtctl" -j prog verify "$src" > "$work/verdict.json" || true
		sed -n 's/.*"insn":\([-0-9]*\).*"message":"\([^"]*\)","hint":"\([^"]*\)".*/rejected: insn \1: \2\n  hint: \3/p' \
			"$work/verdict.json" > "$work/expect/$name.out"
	fi
done

set --
for f in "$work"/*.img; do
	set -- "$@" --add "$f:/rmt/"
done
exec "$top/tests/vm/run.sh" --add "$build/rmt.ko:/rmt/rmt.ko" \
	--add "$work/expect:/rmt/" \
	--add "$top/tests/kernel/guest-core.sh:/rmt/guest-core.sh" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	"$@" -- /rmt/guest-core.sh
