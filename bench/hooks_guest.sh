#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the QEMU guest: the hook overhead benchmark (hooks/bench.c).  Loads
# rmt.ko and times rmt_bench_target() through the module parameter
# /sys/module/rmt/parameters/bench: with no probe, with a bare kprobe,
# then with the hook's pre-handler while the control plane (rmtctl over
# netlink) puts at the `test` hook
#
#   no-table   nothing
#   miss       table bmiss: no entries, no default action
#   hit-empty  table bhit: default action `return 0`
#   hit-mlp    table bmlp: default action the 15-32-32-2 int8 MLP
#              (examples/mlp-15-32-32-2.rasm, its tensors as model mlpw),
#              interpreted
#   hit-mlp-jit the same, loaded with jit auto
#
# Each mode is first timed briefly to choose a call count of about
# TARGET_MS per run (default 50), then timed RUNS times (default 7).
# The site's counters must show that the intended table ran on every
# call.  Prints, for bench/run-hooks.sh:
#
#   @@bench row IMPL CALLS NS_LAT NS_TPUT PROBE
#   @@bench note TEXT
#
# and a TAP line per mode.
#
# usage: hooks_guest.sh [DIR]   (DIR holds mlp-15-32-32-2.rasm)
R=/rmt/rmtctl
dir=${1:-/rmt/examples}
P=/sys/module/rmt/parameters/bench
RUNS=${RUNS:-7}
TARGET_MS=${TARGET_MS:-50}
n=0
fail=0

note() {
	echo "@@bench note $*"
}

ok() {		# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}

# bench MODE CALLS RUNS: the parameter's answer, as "$@" of the caller
bench() {
	echo "$1 $2 $3" > $P && cat $P
}

# field NAME LINE...: the value after NAME in the parameter's answer
field() {
	k=$1
	shift
	while [ $# -gt 1 ]; do
		[ "$1" = "$k" ] && { echo "$2"; return; }
		shift
	done
}

# measure IMPL MODE EXPECT: time MODE, print its row; EXPECT is which
# counter must equal the number of calls: none (no fires), defaults or
# decided
measure() {
	impl=$1 mode=$2 expect=$3
	# the first calibration run warms up (TCG translates the code)
	line=$(bench "$mode" 2000 2) || { ok 1 "$impl: calibration run"; return; }
	calls=$(echo "$(field ns_tput $line)" | awk -v t="$TARGET_MS" '{
		c = t * 1e6 / ($1 > 0 ? $1 : 1); c = c < 1000 ? 1000 : c > 5e6 ? 5e6 : c
		printf "%d\n", c }')
	line=$(bench "$mode" "$calls" "$RUNS") || { ok 1 "$impl: $mode $calls $RUNS"; return; }
	echo "# $impl: $line"
	total=$((2 * calls * RUNS))
	fires=$(field fires $line) errors=$(field errors $line)
	case $expect in
	none)	[ "$fires" -eq 0 ] ;;
	*)	[ "$fires" -eq "$total" ] && [ "$(field "$expect" $line)" -eq "$total" ] &&
			[ "$errors" -eq 0 ] ;;
	esac
	st=$?
	[ $st -eq 0 ] || note "$impl: counters off: fires $fires, $expect $(field "$expect" $line), errors $errors of $total calls"
	echo "@@bench row $impl $calls $(field ns_lat $line) $(field ns_tput $line) $(field probe $line)"
	case $expect in
	none)	what="no table ran" ;;
	*)	what="$expect on every call" ;;
	esac
	ok $st "$impl: $calls calls x $RUNS runs, $what"
}

# rmctl ARGS...: rmtctl ARGS, its error as a note on failure
rmctl() {
	$R "$@" > /tmp/ctl.out 2>&1 || { note "rmtctl $*: $(head -n 2 /tmp/ctl.out | tr '\n' ' ')"; return 1; }
}

if ! insmod /rmt/rmt.ko; then
	echo "not ok 1 insmod rmt.ko"
	echo "1..1"
	exit 1
fi
if [ ! -w $P ]; then
	echo "not ok 1 no $P"
	echo "1..1"
	exit 1
fi

# A table that runs an action reads the clock twice (its action-time
# counters): with an emulated clocksource that is much of a hit's cost.
note "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"

measure plain plain none
measure kprobe kprobe none
measure hook-no-table hook none

rmctl table add bmiss hook test key f0 match exact size 16 &&
	measure hook-miss hook defaults
rmctl table del bmiss

cat > /tmp/empty.rmt <<'POLICY'
action empty at test -> s64 { return 0; }
table bhit at test { key f0 : exact; size 16; default empty; }
POLICY
rmctl policy apply /tmp/empty.rmt && measure hook-hit-empty hook decided
rmctl table del bhit && rmctl prog del empty

# The MLP interpreted, then as the JIT's auto choice (AVX2 under TCG,
# inside kernel_fpu_begin/end, which is part of what it costs).
rmctl model load "$dir/mlp-15-32-32-2.rasm" name mlpw &&
	rmctl prog load "$dir/mlp-15-32-32-2.rasm" name mlp model mlpw jit interp &&
	rmctl table add bmlp hook test key f0 match exact size 16 default mlp &&
	measure hook-hit-mlp hook decided
rmctl table del bmlp && rmctl prog del mlp
rmctl prog load "$dir/mlp-15-32-32-2.rasm" name mlpj model mlpw jit auto &&
	rmctl prog show mlpj &&
	note "jit auto: $(sed -n 's/.* jit \([a-z0-9]*\) jit_reason \(.*\)/\1 (\2)/p' /tmp/ctl.out)" &&
	rmctl table add bmlpj hook test key f0 match exact size 16 default mlpj &&
	measure hook-hit-mlp-jit hook decided
rmctl table del bmlpj && rmctl prog del mlpj && rmctl model del mlpw

# the bare probe again: how much the baseline moved during the boot
measure kprobe-again kprobe none

rmmod rmt
ok $? "rmmod rmt"
echo "1..$n"
exit $fail
