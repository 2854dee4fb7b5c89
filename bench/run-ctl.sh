#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel rows of the control-plane benchmark: boots the QEMU guest
# once (tests/vm/run.sh) with rmt.ko and rmtctl, runs bench/ctl_guest.sh
# on the plan bench_ctl wrote to PLAN_DIR, and prints one line per
# result for bench_ctl to merge:
#
#   row WORKLOAD IMPL NS_PER_OP OPS_PER_S    (OPS_PER_S "-" for lookups)
#   note TEXT
#   skip REASON                              (the guest was not booted)
#
# The guest's TAP output is kept in PLAN_DIR.log.
#
# usage: bench/run-ctl.sh BUILD_DIR PLAN_DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR PLAN_DIR" >&2
	exit 2
fi
build=$1
plan=${2%/}
log=$plan.log
cache=${RMT_VM_CACHE:-/var/cache/rmt-vm}

skip() {
	echo "skip $*"
	exit 0
}

[ -f "$build/rmt.ko" ] || skip "no $build/rmt.ko (make module)"
[ -x "$build/rmtctl" ] || skip "no $build/rmtctl"
[ -f "$plan/plan.txt" ] || skip "no $plan/plan.txt (bench_ctl writes it)"
kver=$(cat "$cache/kver" 2>/dev/null)
[ -n "$kver" ] && [ -f "$cache/$kver/.unpacked" ] ||
	skip "no guest kernel in $cache (scripts/setup.sh installs it)"
command -v qemu-system-x86_64 > /dev/null || skip "no qemu-system-x86_64"

"$top/tests/vm/run.sh" --mem 1024 --timeout 1200 \
	--add "$build/rmt.ko:/rmt/rmt.ko" \
	--add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$top/bench/ctl_guest.sh:/rmt/ctl_guest.sh" \
	--add "$plan:/rmt/ctl" \
	-- /rmt/ctl_guest.sh /rmt/ctl > "$log" 2>&1
status=$?

# tap.awk prints the guest's own lines as comments.
awk '
/^# @@bench insert / {
	printf "row %s %s %.3f %.1f\n", $4, $5, $7 / $6, $6 * 1e9 / $7
	next
}
/^# @@bench test / {
	printf "row %s %s %s -\n", $4, $5, $6
	next
}
/^# @@bench note / {
	sub(/^# @@bench note /, "")
	print "note kernel: " $0
	next
}
/^not ok / {
	print "note guest: " $0
}' "$log"
if [ "$status" -ne 0 ]; then
	echo "note the guest run failed (status $status), log: $log"
	exit "$status"
fi
