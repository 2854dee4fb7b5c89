#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test guest (busybox): loads rmt.ko, runs nlclient
# against its generic-netlink family, and unloads it.  Prints KTAP.
#
# Inputs: /rmt/rmt.ko and /rmt/nlclient.

n=0
fail=0

check() {	# check DESCRIPTION COMMAND...
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		fail=1
	fi
}

echo "KTAP version 1"
check "insmod rmt.ko" insmod /rmt/rmt.ko selftest=0

# The client numbers its results on from ours and prints no plan.
{ /rmt/nlclient -n $((n + 1)) 2>&1; echo $? > /tmp/nlclient.status; } |
	tee /tmp/nlclient.out
status=$(cat /tmp/nlclient.status)
n=$((n + $(grep -cE '^(not )?ok ' /tmp/nlclient.out)))
[ $status -eq 0 ] || fail=1
if [ $status -gt 1 ]; then	# killed or crashed, not just a failed scenario
	n=$((n + 1))
	echo "not ok $n nlclient exited with status $status"
fi

check "rmmod rmt" rmmod rmt
check "module gone after rmmod" sh -c '! grep -q "^rmt " /proc/modules'
echo "1..$n"
exit $fail
