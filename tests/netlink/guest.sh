#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test guest (busybox): loads rmt.ko, runs nlclient
# against its generic-netlink family, and unloads it.  Prints KTAP.
#
# Inputs: /rmt/rmt.ko and /rmt/nlclient.

. /rmt/ktap.sh

echo "KTAP version 1"
ktap_check "insmod rmt.ko" insmod /rmt/rmt.ko selftest=0

# The client numbers its results on from ours and prints no plan.
{ /rmt/nlclient -n $((ktap_n + 1)) 2>&1; echo $? > /tmp/nlclient.status; } |
	tee /tmp/nlclient.out
status=$(cat /tmp/nlclient.status)
ktap_n=$((ktap_n + $(grep -cE '^(not )?ok ' /tmp/nlclient.out)))
[ $status -eq 0 ] || ktap_fail=1
if [ $status -gt 1 ]; then	# killed or crashed, not just a failed scenario
	ktap_ok "nlclient exited with status $status" 1
fi

ktap_check "rmmod rmt" rmmod rmt
ktap_check "module gone after rmmod" sh -c '! grep -q "^rmt " /proc/modules'
ktap_end
