#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Two backends, one CLI: runs tests/ctl/scenario.txt with rmtctl's
# embedded backend here, checks the transcript's key results, then boots
# the guest and requires the netlink backend (rmt.ko) to print exactly
# the same transcript, and checks what only rmt.ko does (hook sites,
# the monitor group, the JIT tiers of the guest's CPU).  KTAP.
#
# usage: tests/ctl/test_backends.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0

check() {	# check DESC PATTERN: the transcript contains PATTERN
	n=$((n + 1))
	if grep -qF -- "$2" "$work/ctl/expect.txt"; then
		echo "ok $n embedded: $1"
	else
		echo "not ok $n embedded: $1 (no line '$2')"
	fi
}

mkdir -p "$work/ctl"
cp -r "$top"/tests/ctl/* "$work/ctl/"
# 4002 instructions whose code, with them, overflows a 64 KiB attribute
{
	echo '.hook test'
	echo '	movi r0, 0'
	i=0
	while [ $i -lt 4000 ]; do
		echo '	addi r0, 100000'
		i=$((i + 1))
	done
	echo '	exit'
} > "$work/ctl/progs/big.rasm"
"$top/tests/ctl/run.sh" "$build/rmtctl" "--embedded --state $work/state" \
	"$work/ctl/scenario.txt" "$work/ctl" > "$work/ctl/expect.txt"

echo "KTAP version 1"
check "objects get handles and generations" "prog ret7 handle 2 generation 3"
check "duplicate names are refused" "a program named 'ret7' exists"
check "verifier refusals point at the source line" \
	"@DIR@/progs/bad.rasm:6: error: insn 3: read of uninitialised register r0"
check "programs need their context maps" "no context map 0 (0 declared)"
check "test runs use the model" "out f10=17 f11=39"
check "context-map history persists between runs" "r0 10"
check "size limits hold" "table 'ex' is full (size 3)"
check "deleting what is used is refused" "program 'ret7' is still used by 6 other objects"
check "a batch commits all its operations" "committed 3 operations"
check "a failed batch names its operation" "op 2: an entry with this key exists in table 'bt2'"
check "the failed batch left nothing behind" "bt handle 16 hook test key f0 match exact size 4 entries 2"
check "JSON of table show" '[{"name":"ex","handle":6,"hook":"test","key":["f0","f1"],"match":"exact","size":3,"entries":3,"default":null,"latency":null,"state":"active"}]'
check "a forced JIT tier is shown" "jit scalar jit_reason forced"
check "jit auto explains its choice" "jit scalar jit_reason auto: no matrix work, scalar code"
check "an unknown tier is a usage error" "rmtctl: jit: unknown tier 'fast'"
check "dump jited groups the code by instruction" "2: jgti r1, 100, +3"
check "an interpreted program has nothing to dump" \
	"program ji is interpreted (tier interp): nothing to dump"
check "code too big for a netlink attribute is refused, as rmt.ko does" \
	"do not fit in one netlink attribute (64 KiB)"
grep -c '^\[exit 1\]' "$work/ctl/expect.txt" | sed 's/^/# refusals in the scenario: /'

"$top/tests/vm/run.sh" --add "$build/rmt.ko:/rmt/rmt.ko" \
	--add-bin "$build/rmtctl:/rmt/rmtctl" --add "$work/ctl:/rmt/" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	--add "$top/examples/mlp-15-32-32-2.rasm:/rmt/ctl/mlp-big.rasm" \
	-- /rmt/ctl/guest.sh > "$work/vm.tap"
status=$?
# Renumber the guest's results after ours, keep its comments.
awk -v n="$n" '/^ok |^not ok /{sub(/^(not )?ok [0-9]+/, "&"); split($0, w, " ");
	st = (w[1] == "not") ? "not ok" : "ok"; num = (st == "ok") ? w[2] : w[3];
	rest = $0; sub(/^(not )?ok [0-9]+( -)?/, "", rest);
	print st, num + n, "guest:" rest; next } /^#/{print}' "$work/vm.tap"
total=$((n + $(grep -cE '^(not )?ok ' "$work/vm.tap")))
echo "1..$total"
[ "$status" -eq 0 ] && ! grep -q '^not ok' "$work/vm.tap"
