#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: swap readahead through the swap_cluster_readahead hook.
# The same strided swap-in workload runs with the stock kernel, with a
# policy that answers DEFAULT, and with the stride-prefetch example; the
# major faults, the kernel's swap_ra/swap_ra_hit counters and RMT's own
# counters (debugfs rmt/hooks) are compared within this boot.  KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh
MIB=${MIB:-64}
STRIDE=${STRIDE:-16}
BALLOON=${BALLOON:-320}
HOOKS=/sys/kernel/debug/rmt/hooks

echo "KTAP version 1"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkswap /dev/vda >/dev/null 2>&1 && swapon /dev/vda
ktap_ok "swap on the virtio-blk disk" $?
echo false > /sys/kernel/mm/swap/vma_ra_enabled
ktap_ok "vma-based readahead off (the cluster readahead path)" $?
insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?
grep -q "^swap_cluster_readahead attached swap_cluster_readahead" $HOOKS
ktap_ok "the readahead hook is attached" $? $HOOKS

vm() { sed -n "s/^$1 //p" /proc/vmstat; }
hook() { sed -n "s/^swap_cluster_readahead .* $1 \([0-9]*\).*/\1/p" $HOOKS; }

# run_workload: "MAJFLT SWAP_RA SWAP_RA_HIT MS RMT_PAGES RMT_HITS"
run_workload() {
	ra0=$(vm swap_ra) hit0=$(vm swap_ra_hit) p0=$(hook pages) h0=$(hook hits)
	set -- $(/rmt/stride "$MIB" "$STRIDE" "$BALLOON")
	echo "$2 $(($(vm swap_ra) - ra0)) $(($(vm swap_ra_hit) - hit0)) $4" \
	     "$(($(hook pages) - p0)) $(($(hook hits) - h0))"
}

within() {	# within A B PERCENT: |A - B| <= PERCENT% of B (plus 2)
	d=$(($1 - $2)); [ $d -lt 0 ] && d=$((-d))
	[ $((d * 100)) -le $(($3 * $2 + 200)) ]
}

set -- $(run_workload); s_maj=$1 s_ra=$2 s_hit=$3
echo "# stock:   majflt $1 swap_ra $2 swap_ra_hit $3 ms $4"
[ "$s_maj" -gt 0 ]
ktap_ok "the workload swaps in ($s_maj major faults)" $?

cat > /tmp/default.rmt <<'POLICY'
action keep at swap_cluster_readahead -> s64 { return DEFAULT; }
table ra_default at swap_cluster_readahead { key pid : exact; default keep; }
POLICY
$R policy apply /tmp/default.rmt >/tmp/out 2>&1
ktap_ok "a DEFAULT policy applies" $? /tmp/out
set -- $(run_workload); d_maj=$1
echo "# default: majflt $1 swap_ra $2 swap_ra_hit $3 ms $4 rmt_pages $5"
within "$d_maj" "$s_maj" 10 && [ "$5" -eq 0 ]
ktap_ok "DEFAULT matches the stock kernel ($d_maj vs $s_maj major faults)" $?
$R table del ra_default >/dev/null && $R prog del keep >/dev/null

$R policy apply /rmt/examples/stride-prefetch.rmt >/tmp/out 2>&1
ktap_ok "the stride-prefetch example applies" $? /tmp/out
set -- $(run_workload); p_maj=$1 p_hit=$3 p_pages=$5 p_hits=$6
echo "# stride:  majflt $1 swap_ra $2 swap_ra_hit $3 ms $4 rmt_pages $5 rmt_hits $6"
[ $((p_maj * 2)) -lt "$s_maj" ]
ktap_ok "stride prefetch cuts major faults by more than half ($p_maj vs $s_maj)" $?
[ "$p_hit" -gt "$s_hit" ] && [ "$p_pages" -gt 0 ] && [ "$p_hits" -gt 0 ]
ktap_ok "swap_ra_hit and RMT's own hit count rise ($p_hit vs $s_hit; $p_hits of $p_pages)" $?
cat $HOOKS | sed 's/^/# /'
# A task's per-pid history lives while it does, and goes when it exits:
# a probe action reads strides[pid].last (0 for a key the map lacks).
cat > /tmp/probe.rmt <<'POLICY'
ctxmap strides keyed pid size 4096 { s64 last; history s64[8] delta; }
action last_of at test -> s64 { return strides[ctx.f0].last; }
POLICY
$R policy apply /tmp/probe.rmt >/tmp/map 2>&1
/rmt/stride "$MIB" "$STRIDE" "$BALLOON" 5 >/tmp/hold & wpid=$!
while kill -0 $wpid 2>/dev/null && ! [ -s /tmp/hold ]; do sleep 0.2; done
live=$($R prog test last_of ctx "$wpid" | sed -n 's/^r0 //p')	# read pass done
wait $wpid
gone=$($R prog test last_of ctx "$wpid" | sed -n 's/^r0 //p')
echo "# strides[$wpid].last: $live while it ran, $gone after it exited"
[ "${live:-0}" -ne 0 ] && [ "${gone:-1}" -eq 0 ] &&
	[ "$(sed -n 's/^task_exit deleted //p' $HOOKS)" -gt 0 ]
ktap_ok "an exited task's context-map entry is deleted" $? /tmp/map

rmmod rmt
ktap_ok "rmmod rmt after use" $?
dmesg | grep -E "WARNING|BUG|Oops|general protection" >/tmp/warn
[ ! -s /tmp/warn ]
ktap_ok "no WARN, BUG or oops" $? /tmp/warn
ktap_end
