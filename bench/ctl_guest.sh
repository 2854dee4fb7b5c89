#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the QEMU guest: the kernel rows of the control-plane benchmark
# (bench/bench_ctl.c).  Loads rmt.ko, then follows DIR/plan.txt, which
# bench_ctl writes, through rmtctl's netlink backend:
#
#   prog NAME FILE                 rmtctl prog load FILE name NAME
#   chunk N                        lines per batch when filling in parts
#   table NAME KIND SIZE KEYS      rmtctl table add
#   batch TABLE FILE ONE PARTS     fill TABLE from the batch FILE: as one
#                                  `rmtctl batch` timed as workload ONE, or,
#                                  if ONE is "-" or that fails, in batches
#                                  of N lines timed as workload PARTS
#   test WORKLOAD TABLE CTX N      rmtctl table test TABLE ctx CTX repeat N
#   del TABLE                      rmtctl table del
#
# and prints, for bench/run-ctl.sh:
#
#   @@bench insert WORKLOAD IMPL COUNT NS
#   @@bench test WORKLOAD IMPL NS_PER_RUN
#   @@bench note TEXT
#
# usage: ctl_guest.sh DIR
R=/rmt/rmtctl
dir=${1:-/rmt/ctl}
chunk=500
fail=0

note() {
	echo "@@bench note $*"
}

# Monotonic ns (the kernel's "now"); /proc/uptime (10 ms) if need be.
now_ns() {
	if [ -r /proc/timer_list ]; then
		sed -n '/^now at /{s/^now at \([0-9]*\) nsecs$/\1/p;q;}' /proc/timer_list
	else
		awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime
	fi
}

# The first lines of a failed command's output, for a note.
why() {
	head -n 2 /tmp/ctl.out | tr '\n' ' ' | tr -s ' ' | sed 's/ $//'
}

entries() {
	$R table show "$1" 2>/dev/null | sed -n 's/.* entries \([0-9]*\).*/\1/p'
}

# fill TABLE FILE ONE PARTS
fill() {
	t=$1 f=$dir/$2 one=$3 parts=$4
	n=$(wc -l < "$f")
	if [ "$one" != - ]; then
		s=$(now_ns)
		if $R batch -f "$f" > /tmp/ctl.out 2>&1; then
			e=$(now_ns)
			echo "@@bench insert $one rmtctl-netlink $n $((e - s))"
			return 0
		fi
		note "rmtctl-netlink $one: one batch of $n entries failed: $(why)"
	fi
	rm -f /tmp/ctl.part.*
	awk -v n="$chunk" '{
		f = sprintf("/tmp/ctl.part.%05d", int((NR - 1) / n))
		if (f != last) { if (last != "") close(last); last = f }
		print > f
	}' "$f"
	s=$(now_ns)
	for p in /tmp/ctl.part.*; do
		if ! $R batch -f "$p" > /tmp/ctl.out 2>&1; then
			note "filling $t: batch $p failed: $(why)"
			fail=1
			return 1
		fi
	done
	e=$(now_ns)
	rm -f /tmp/ctl.part.*
	[ "$parts" = - ] ||
		echo "@@bench insert $parts rmtctl-netlink $n $((e - s))"
}

# test WORKLOAD TABLE CTX N: ns per run of lookup + action
run_test() {
	if ! $R table test "$2" ctx "$3" repeat "$4" > /tmp/ctl.out 2>&1; then
		note "$1: table test failed: $(why)"
		fail=1
		return 1
	fi
	ns=$(sed -n 's/^ns_per_run //p' /tmp/ctl.out)
	if ! grep -q '^entry [1-9][0-9]* ran 1$' /tmp/ctl.out || [ -z "$ns" ]; then
		note "$1: no hit or no time: $(why)"
		fail=1
		return 1
	fi
	echo "@@bench test $1 kernel $ns"
}

if [ ! -r "$dir/plan.txt" ]; then
	echo "not ok 1 no $dir/plan.txt"
	exit 1
fi
if ! insmod /rmt/rmt.ko; then
	echo "not ok 1 insmod rmt.ko"
	exit 1
fi
$R feature show | grep -q '^backend netlink' || note "rmtctl does not use netlink"

grep -v '^#' "$dir/plan.txt" | while read -r cmd a b c d e; do
	case $cmd in
	prog)
		$R prog load "$dir/$b" name "$a" > /tmp/ctl.out 2>&1 ||
			note "prog load $a failed: $(why)"
		;;
	chunk)
		chunk=$a
		;;
	table)
		$R table add "$a" hook test key "$d" match "$b" size "$c" \
			> /tmp/ctl.out 2>&1 || note "table add $a failed: $(why)"
		;;
	batch)
		fill "$a" "$b" "$c" "$d"
		got=$(entries "$a")
		n=$(wc -l < "$dir/$b")
		[ "$got" = "$n" ] || note "$a has ${got:-no} entries, not $n"
		;;
	test)
		run_test "$a" "$b" "$c" "$d"
		;;
	del)
		$R table del "$a" > /tmp/ctl.out 2>&1 || note "table del $a failed: $(why)"
		;;
	esac
done
rmmod rmt || note "rmmod rmt failed"
echo "ok 1 control-plane benchmark ran"
echo "1..1"
