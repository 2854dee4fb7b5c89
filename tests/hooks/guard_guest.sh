#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: the guardrail watchdog.  An action that busy-loops up to
# its cost budget, in a table with a 1 us latency budget, is disabled
# once its p99 is measured over budget: rmtctl shows it disabled, the
# monitor group announces the trip, the kernel's readahead takes over
# and the system stays healthy.  A readahead policy over the per-table
# page rate (max_ra_pages) is disabled the same way.  KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh
HOOKS=/sys/kernel/debug/rmt/hooks

echo "KTAP version 1"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkswap /dev/vda >/dev/null 2>&1 && swapon /dev/vda
echo false > /sys/kernel/mm/swap/vma_ra_enabled
insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?

cat > /tmp/busy.rmt <<'POLICY'
action busy at swap_cluster_readahead -> s64 {
	s64 acc = 0;
	for (u32 i in 0..6000) { acc += s64(i) ^ ctx.offset; }
	if (acc == 0) { return 0; }
	return DEFAULT;
}
table slow at swap_cluster_readahead { key pid : ternary; default busy; }
POLICY
$R policy check /tmp/busy.rmt >/tmp/out 2>&1
ktap_ok "the busy action fits its cost budget (the verifier admits it)" $? /tmp/out
$R policy apply /tmp/busy.rmt >/tmp/out 2>&1 && $R table del slow >/dev/null &&
	$R table add slow hook swap_cluster_readahead key pid match ternary size 8 \
		default busy latency 1000 >>/tmp/out 2>&1
ktap_ok "a table with a 1 us latency budget" $? /tmp/out
timeout 60 $R monitor count 1 >/tmp/mon 2>&1 &
mon=$!
sleep 0.5
out=$(/rmt/stride 32 16 320)
ktap_ok "the workload completes under the busy table ($out)" $?
sleep 0.5
$R table show slow >/tmp/show 2>&1
grep -q "latency 1000 disabled latency" /tmp/show
ktap_ok "the watchdog disabled the table for latency" $? /tmp/show
$R -s stats show slow | sed 's/^/# /'
wait $mon
grep -q "^trip table slow reason latency p99_ns [0-9]* errors 0" /tmp/mon
ktap_ok "the monitor group announced the trip" $? /tmp/mon
d0=$(sed -n 's/^swap_cluster_readahead .* defaults \([0-9]*\).*/\1/p' $HOOKS)
out=$(/rmt/stride 32 16 320)
d1=$(sed -n 's/^swap_cluster_readahead .* defaults \([0-9]*\).*/\1/p' $HOOKS)
[ "$d1" -gt "$d0" ]
ktap_ok "the disabled table is skipped: the kernel decides ($((d1 - d0)) faults, $out)" $?
$R table del slow >/dev/null && $R prog del busy >/dev/null

echo 50 > /sys/module/rmt/parameters/max_ra_pages
$R policy apply /rmt/examples/stride-prefetch.rmt >/tmp/out 2>&1
ktap_ok "stride-prefetch with max_ra_pages 50" $? /tmp/out
out=$(/rmt/stride 32 16 320)
sleep 0.5
$R table show prefetch >/tmp/show 2>&1
grep -q "disabled rate" /tmp/show
ktap_ok "over the page rate, the watchdog disabled the table ($out)" $? /tmp/show

dmesg | grep -E "WARNING|BUG|Oops|general protection|scheduling while atomic" >/tmp/warn
[ ! -s /tmp/warn ]
ktap_ok "no WARN, BUG or oops" $? /tmp/warn
rmmod rmt
ktap_ok "rmmod rmt" $?
ktap_end
