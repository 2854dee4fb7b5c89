#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs a scenario (one rmtctl invocation per line) and prints a
# transcript: the line, everything rmtctl printed, and its exit status.
# POSIX sh, so the same script runs in the busybox guest.
#
# usage: run.sh RMTCTL "GLOBAL OPTIONS" SCENARIO DIR
rmtctl=$1 opts=$2 scenario=$3 dir=$4
sed -e '/^#/d' -e '/^$/d' "$scenario" | while read -r raw; do
	echo "\$ rmtctl $raw"
	line=$(echo "$raw" | sed "s|@DIR@|$dir|g")
	# shellcheck disable=SC2086
	out=$($rmtctl $opts $line 2>&1 </dev/null)
	status=$?
	# Action run time varies from run to run, and the price of entering
	# the FPU that jit auto weighs is 0 in user space and not in rmt.ko;
	# everything else must not vary.
	printf '%s\n' "$out" | sed -e "s|$dir|@DIR@|g" \
		-e 's/run_ns [0-9]*/run_ns N/g' -e 's/"run_ns":[0-9]*/"run_ns":N/g' \
		-e 's/p99_ns [0-9]*/p99_ns N/g' -e 's/"p99_ns":[0-9]*/"p99_ns":N/g' \
		-e 's/than the [0-9]* ns FPU entry/than the N ns FPU entry/g' \
		-e 's/(FPU entry [0-9]* ns)/(FPU entry N ns)/g'
	echo "[exit $status]"
done
