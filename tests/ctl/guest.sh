#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: the scenario through rmt.ko must print exactly what the
# embedded backend printed on the host (/rmt/ctl/expect.txt); without
# rmt.ko rmtctl falls back with a notice; monitor sees commits.  KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh

echo "KTAP version 1"
out=$($R feature show 2>&1)
echo "$out" | grep -q "rmt.ko is not loaded; using the embedded backend" &&
	echo "$out" | grep -q "^backend embedded"
ktap_ok "without rmt.ko rmtctl says so and uses the embedded backend" $?

insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?
$R feature show | grep -q "^backend netlink"
ktap_ok "with rmt.ko rmtctl uses netlink" $?

/rmt/ctl/run.sh $R "" /rmt/ctl/scenario.txt /rmt/ctl > /tmp/got.txt
if cmp -s /rmt/ctl/expect.txt /tmp/got.txt; then
	ktap_ok "the scenario prints the same through rmt.ko as embedded" 0
else
	diff /rmt/ctl/expect.txt /tmp/got.txt | head -40 | sed 's/^/# /'
	ktap_ok "the scenario prints the same through rmt.ko as embedded" 1
fi

# -s hook show: where rmt.ko attached each hook point (or why not) and
# its counters.  hook_says HOOK KEY: the rest of HOOK's indented KEY line.
$R -s hook show > /tmp/hooks 2>&1
sed 's/^/# /' /tmp/hooks
hook_says() {
	awk -v h="$1" -v k="$2" '/^[a-z]/ { cur = $1; next }
		cur == h && $1 == k { sub(/^[ \t]*[^ ]* /, ""); print }' /tmp/hooks
}
[ "$(hook_says swap_cluster_readahead attached)" = swap_cluster_readahead ]
ktap_ok "hook show -s: swap_cluster_readahead is attached to swap_cluster_readahead" $?
[ "$(hook_says lookup_swap_cache attached)" = swap_cache_get_folio ]
ktap_ok "hook show -s: lookup_swap_cache is attached to swap_cache_get_folio" $?
# the migration hook needs the scheduler's layout: attached, or says why
[ "$(hook_says can_migrate_task attached)" = can_migrate_task ] ||
	[ -n "$(hook_says can_migrate_task status)" ]
ktap_ok "hook show -s: can_migrate_task is attached or says why not" $?
[ "$(hook_says test status)" = "no kernel site" ] &&
	[ -z "$(hook_says test attached)$(hook_says test stats)" ]
ktap_ok "hook show -s: the test hook has no kernel site and no counters" $?
ok=0
for h in swap_cluster_readahead lookup_swap_cache can_migrate_task; do
	hook_says $h stats | grep -Eqx 'fires [0-9]+ decided [0-9]+ defaults [0-9]+ errors [0-9]+ pages [0-9]+ hits [0-9]+ dropped [0-9]+' ||
		{ ok=1; echo "# $h: no counters"; }
done
ktap_ok "hook show -s: each kernel hook point's counters are numbers" $ok
$R -s -j hook show > /tmp/hooks.json 2>&1
grep -Eq '"name":"swap_cluster_readahead",[^}]*"attached":"swap_cluster_readahead","status":null,"stats":\{"fires":[0-9]+,"decided":[0-9]+,"defaults":[0-9]+,"errors":[0-9]+,"pages":[0-9]+,"hits":[0-9]+,"dropped":[0-9]+\}' /tmp/hooks.json &&
	grep -q '"attached":null,"status":"no kernel site","stats":null' /tmp/hooks.json
ktap_ok "hook show -s -j: attached, status and the stats object" $? /tmp/hooks.json

$R monitor count 2 > /tmp/mon 2>&1 &
mon=$!
sleep 1
$R ctxmap add m1 > /tmp/add1
$R ctxmap del m1 > /tmp/add2
i=0
while kill -0 $mon 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
gen=$(sed -n 's/.*generation \([0-9]*\)/\1/p' /tmp/add1)
grep -q "^commit generation $gen ops 1$" /tmp/mon
ktap_ok "monitor shows the commit with the generation the write reported" $?
sed 's/^/# monitor: /' /tmp/mon

rmmod rmt
ktap_ok "rmmod rmt with the scenario's objects gone" $?
ktap_end
