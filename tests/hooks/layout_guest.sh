#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test guest (busybox, 2 CPUs).  Keeps the CPUs busy
# and loads rmt_layout_check.ko, which checks the pinned scheduler layout
# and every can_migrate_task call it sees for 2 s; turns its report in
# the kernel log into KTAP.  Then loads the same module built without a
# layout, which must refuse to probe and say why.
#
# Inputs: /rmt/rmt_layout_check.ko, /rmt/rmt_layout_check_none.ko,
# /rmt/ktap.sh.

. /rmt/ktap.sh

# The module's report since its last "# start": ok/not ok lines and
# comments, without the "rmt-layout: " prefix.
report() {
	dmesg | sed -n 's/.*rmt-layout: //p' |
		awk '/^# start$/ { n = 0; next } { line[++n] = $0 }
		     END { for (i = 1; i <= n; i++) print line[i] }'
}

echo "KTAP version 1"

# Load, both phases in the 2 s the probe runs.  First three spinners
# pinned to CPU 0 and three tasks that mostly sleep: CPU 1 idles, so it
# balances as CPU_IDLE and CPU_NEWLY_IDLE, and meets tasks it may not
# take (affinity).  After 1 s four tasks that run ~10 ms at a time join:
# both CPUs busy, CPU_NOT_IDLE balancing, cache-hot tasks and failures.
# Every loop stops when /tmp/stop appears.
burst() {	# burst ITERATIONS SLEEP
	while [ ! -e /tmp/stop ]; do
		j=0
		while [ $j -lt "$1" ]; do j=$((j + 1)); done
		sleep "$2"
	done
}
rm -f /tmp/stop
for i in 1 2 3; do
	taskset 1 sh -c 'while [ ! -e /tmp/stop ]; do :; done' &
	burst 300 0.05 &
done
(sleep 1; for i in 1 2 3 4; do burst 3000 0.01 & done; wait) &

ktap_check "insmod rmt_layout_check.ko (probes can_migrate_task for 2 s)" \
	insmod /rmt/rmt_layout_check.ko seconds=2
touch /tmp/stop
wait

report > /tmp/layout.out
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ktap_ok "${line#ok - }" 0 ;;
	"not ok - "*) ktap_ok "${line#not ok - }" 1 ;;
	"#"*) echo "$line" ;;
	esac
done < /tmp/layout.out
ktap_check "the module finished its report" grep -qx '# done' /tmp/layout.out
ktap_check "rmmod rmt_layout_check" rmmod rmt_layout_check

# A kernel without a pinned layout: the check fails, nothing is probed.
rel=$(uname -r)
insmod /rmt/rmt_layout_check_none.ko seconds=1
report > /tmp/none.out
sed 's/^/# none: /' /tmp/none.out
ktap_check "without a layout the check fails" \
	grep -q '^not ok - rmt_sched_layout_check() for (no layout)$' /tmp/none.out
ktap_check "and says: no scheduler layout for $rel; see docs/hooks-layout.md" \
	grep -qx "# no scheduler layout for $rel; see docs/hooks-layout.md" /tmp/none.out
ktap_check "and can_migrate_task is not probed" \
	sh -c '! grep -q kretprobe /tmp/none.out'
rmmod rmt_layout_check
ktap_end
