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
	# Action run time varies from run to run; everything else must not.
	printf '%s\n' "$out" | sed -e "s|$dir|@DIR@|g" \
		-e 's/run_ns [0-9]*/run_ns N/g' -e 's/"run_ns":[0-9]*/"run_ns":N/g' \
		-e 's/p99_ns [0-9]*/p99_ns N/g' -e 's/"p99_ns":[0-9]*/"p99_ns":N/g'
	echo "[exit $status]"
done
