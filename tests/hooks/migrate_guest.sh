#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest (2 vCPUs): the can_migrate_task hook changes real load
# balancing.  Busy loops keep both CPUs contended; a tagged busy loop is
# counted for migrations (/proc/PID/sched nr_migrations, or CPU changes
# sampled from /proc/PID/stat) with no policy, then with a DENY entry for
# its pid, while the other loops must still migrate; an ALLOW-all policy
# must never move a task pinned with taskset.  KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh
SECS=${SECS:-6}

echo "KTAP version 1"
insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?
mount -t debugfs none /sys/kernel/debug 2>/dev/null
if ! grep -q "^can_migrate_task attached" /sys/kernel/debug/rmt/hooks; then
	grep "can_migrate_task" /sys/kernel/debug/rmt/hooks | sed 's/^/# /'
	ktap_skip "migration tests" "the can_migrate_task hook is not attached"
	ktap_end
fi

spin() { while :; do :; done; }

# migrations PID: the task's migration count so far
migrations() {
	if [ -r /proc/$1/sched ]; then
		sed -n 's/^se.nr_migrations *: *//p' /proc/$1/sched
	else
		echo 0
	fi
}

# moves PID SECS: migrations of PID over SECS seconds
moves() {
	m0=$(migrations "$1")
	sleep "$2"
	echo $(($(migrations "$1") - m0))
}

# churn: two spinners pinned to CPU 0, then to CPU 1, every half second,
# so the balancer keeps moving the unpinned spinners across
churn() {
	while :; do
		for c in 0 1; do
			taskset -c $c sh -c 'while :; do :; done' & a=$!
			taskset -c $c sh -c 'while :; do :; done' & b=$!
			sleep 0.5
			kill $a $b
		done
	done
}

churn & churner=$!
others=""
for i in 1 2; do spin & others="$others $!"; done
spin & tagged=$!
sleep 1

base=$(moves $tagged "$SECS")
echo "# no policy: tagged task migrated $base times in ${SECS}s"
[ "$base" -gt 0 ]
ktap_ok "without a policy the tagged task migrates ($base)" $?

cat > /tmp/deny.rmt <<'POLICY'
action deny at can_migrate_task -> s64 { return DENY; }
table pinned at can_migrate_task { key pid : exact; size 64; }
POLICY
$R policy apply /tmp/deny.rmt >/tmp/out 2>&1 &&
	$R entry add pinned key "$tagged" prog deny >>/tmp/out 2>&1
ktap_ok "a DENY entry for the tagged pid" $? /tmp/out
o0=0; for p in $others; do o0=$((o0 + $(migrations $p))); done
denied=$(moves $tagged "$SECS")
o1=0; for p in $others; do o1=$((o1 + $(migrations $p))); done
echo "# DENY: tagged task migrated $denied times; the others $((o1 - o0)) times"
[ "$denied" -eq 0 ]
ktap_ok "with DENY the tagged task stays on its CPU ($denied moves)" $?
[ $((o1 - o0)) -gt 0 ]
ktap_ok "other tasks still migrate ($((o1 - o0)))" $?
kill $tagged $others 2>/dev/null
$R table del pinned >/dev/null && $R prog del deny >/dev/null

cat > /tmp/allow.rmt <<'POLICY'
action allow at can_migrate_task -> s64 { return ALLOW; }
table everyone at can_migrate_task { key pid : ternary; default allow; }
POLICY
$R policy apply /tmp/allow.rmt >/tmp/out 2>&1
ktap_ok "an ALLOW-all policy" $? /tmp/out
others=""
for i in 1 2; do spin & others="$others $!"; done
taskset -c 0 sh -c 'while :; do :; done' & pinned=$!
sleep 1
cpus=""
for i in $(seq 1 $((SECS * 4))); do
	cpus="$cpus $(awk '{ print $39 }' /proc/$pinned/stat)"
	sleep 0.25
done
echo "# ALLOW-all: the task pinned to CPU 0 ran on:$(echo $cpus | tr ' ' '\n' | sort -u | tr '\n' ' ')"
echo "$cpus" | tr ' ' '\n' | grep -q '^1$'
[ $? -ne 0 ]
ktap_ok "ALLOW never breaks affinity (taskset -c 0 stays on CPU 0)" $?
kill $pinned $others $churner 2>/dev/null
grep "^can_migrate_task" /sys/kernel/debug/rmt/hooks | sed 's/^/# /'

dmesg | grep -E "WARNING|BUG|Oops|general protection" >/tmp/warn
[ ! -s /tmp/warn ]
ktap_ok "no WARN, BUG or oops" $? /tmp/warn
ktap_end
