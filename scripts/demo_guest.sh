#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo, in the guest: the example policies change real kernel
# decisions.  Prints "ROW name before after" lines for the host's table.
R=/rmt/rmtctl
vm() { sed -n "s/^$1 //p" /proc/vmstat; }
row() { echo "ROW $1|$2|$3"; }

mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkswap /dev/vda >/dev/null 2>&1 && swapon /dev/vda
echo false > /sys/kernel/mm/swap/vma_ra_enabled
insmod /rmt/rmt.ko || exit 1

# ---- swap readahead: examples/stride-prefetch.rmt ----
stride() {	# "MAJFLT SWAP_RA_HIT"
	h0=$(vm swap_ra_hit)
	set -- $(/rmt/stride 64 16 320)
	echo "$2 $(($(vm swap_ra_hit) - h0))"
}
set -- $(stride); b_maj=$1 b_hit=$2
$R policy apply /rmt/examples/stride-prefetch.rmt >/dev/null
set -- $(stride); a_maj=$1 a_hit=$2
row "major faults, strided swap-in (64 MiB, every 16th page)" "$b_maj" "$a_maj"
row "swap readahead hits (swap_ra_hit)" "$b_hit" "$a_hit"
$R table del prefetch >/dev/null; $R prog del stride >/dev/null

# ---- load balancing: a DENY entry for one task ----
spin() { while :; do :; done; }
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
migr() { sed -n 's/^se.nr_migrations *: *//p' /proc/$1/sched; }
churn & ch=$!
spin & o1=$!
spin & o2=$!
spin & t=$!
sleep 1
m0=$(migr $t); sleep 5; b_mig=$(($(migr $t) - m0))
cat > /tmp/deny.rmt <<'POLICY'
action deny at can_migrate_task -> s64 { return DENY; }
table pinned at can_migrate_task { key pid : exact; size 64; }
POLICY
$R policy apply /tmp/deny.rmt >/dev/null && $R entry add pinned key $t prog deny >/dev/null
m0=$(migr $t); sleep 5; a_mig=$(($(migr $t) - m0))
kill $t $o1 $o2 $ch 2>/dev/null
row "migrations of a tagged task in 5 s (DENY entry)" "$b_mig" "$a_mig"

# ---- guardrails: a busy action with a 1 us latency budget ----
cat > /tmp/busy.rmt <<'POLICY'
action busy at swap_cluster_readahead -> s64 {
	s64 acc = 0;
	for (u32 i in 0..6000) { acc += s64(i) ^ ctx.offset; }
	if (acc == 0) { return 0; }
	return DEFAULT;
}
table slow at swap_cluster_readahead { key pid : ternary; default busy; latency 1000; }
POLICY
trips0=$(dmesg | grep -c "disabled by the watchdog")
$R policy apply /tmp/busy.rmt >/dev/null
/rmt/stride 32 16 320 >/dev/null
sleep 0.5
trips1=$(dmesg | grep -c "disabled by the watchdog")
row "guardrail trips (busy action, 1 us latency budget)" "$trips0" "$trips1"
state=$($R table show slow | sed -n 's/.*disabled \([a-z]*\).*/\1/p')
row "state of that table" "active" "disabled ${state:-?}"
$R -s hook show swap_cluster_readahead | sed -n 's/^\tstats /STATS /p'
rmmod rmt
