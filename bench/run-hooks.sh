#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The hook overhead benchmark's guest run: boots the QEMU guest once
# (tests/vm/run.sh) with rmt.ko, rmtctl and the MLP example, runs
# bench/hooks_guest.sh, and prints one line per result for
# bench/bench_hooks.c:
#
#   row IMPL NS_LAT NS_TPUT      ns per call of rmt_bench_target()
#   note TEXT
#   skip REASON                  (the guest was not booted)
#
# The guest's console output, as TAP, is kept in LOG.
#
# usage: bench/run-hooks.sh BUILD_DIR LOG
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR LOG" >&2
	exit 2
fi
build=$1
log=$2
cache=${RMT_VM_CACHE:-/var/cache/rmt-vm}

skip() {
	echo "skip $*"
	exit 0
}

[ -f "$build/rmt.ko" ] || skip "no $build/rmt.ko (make module)"
[ -x "$build/rmtctl" ] || skip "no $build/rmtctl"
kver=$(cat "$cache/kver" 2>/dev/null)
[ -n "$kver" ] && [ -f "$cache/$kver/.unpacked" ] ||
	skip "no guest kernel in $cache (scripts/setup.sh installs it)"
command -v qemu-system-x86_64 > /dev/null || skip "no qemu-system-x86_64"

"$top/tests/vm/run.sh" --mem 512 --timeout 600 \
	--add "$build/rmt.ko:/rmt/rmt.ko" \
	--add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$top/bench/hooks_guest.sh:/rmt/hooks_guest.sh" \
	--add "$top/examples/mlp-15-32-32-2.rasm:/rmt/examples/" \
	-- /rmt/hooks_guest.sh /rmt/examples > "$log" 2>&1
status=$?

# tap.awk prints the guest's own lines as comments.
awk '
/^# @@bench row / {
	print "row", $4, $6, $7
	calls = calls sep $4 " " $5
	sep = ", "
	probe = $8
	next
}
/^# @@bench note / {
	sub(/^# @@bench note /, "")
	print "note guest: " $0
	next
}
/^not ok / {
	print "note guest: " $0
}
END {
	if (calls != "")
		print "note calls per run: " calls "; kprobe type: " probe
}' "$log"
if [ "$status" -ne 0 ]; then
	echo "note the guest run failed (status $status), log: $log"
	exit "$status"
fi
