#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: the scenario through rmt.ko must print exactly what the
# embedded backend printed on the host (/rmt/ctl/expect.txt); without
# rmt.ko rmtctl falls back with a notice; the JIT's tiers on this CPU;
# monitor sees commits.  KTAP.
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

# The JIT in rmt.ko: forced tiers, what this CPU lacks, the cost model
# (entering the FPU costs rmt.ko 130 ns), and the code it wrote.
J=/rmt/ctl/progs/jit.rasm
B=/rmt/ctl/mlp-big.rasm
$R prog load $J name kjs jit scalar > /tmp/out 2>&1 &&
	$R prog show kjs | grep -q ' jit scalar jit_reason forced$'
ktap_ok "jit scalar: rmt.ko runs it as scalar code" $? /tmp/out
$R prog dump jited kjs > /tmp/dump 2>&1
head -2 /tmp/dump | grep -q ' endbr64$' && grep -qx '6: exit' /tmp/dump &&
	grep -qx 'epilogue:' /tmp/dump && ! grep -qE '\((bad|unknown)' /tmp/dump
ktap_ok "dump jited: rmt.ko's code, grouped by instruction" $? /tmp/dump
$R -j prog show > /tmp/before 2>&1
if grep -q avx512_vnni /proc/cpuinfo; then
	$R prog load $J name kjz jit avx512 > /tmp/out 2>&1
	ktap_ok "jit avx512: this guest CPU has AVX-512 VNNI and loads it" $? /tmp/out
	$R prog del kjz > /dev/null 2>&1
else
	$R -j prog load $J name kjz jit avx512 > /tmp/out 2>&1
	st=$?
	[ $st -eq 1 ] && grep -qF '{"error":"JIT tier avx512 is not available on this CPU or build","errno":95,"attribute":"3/13"}' /tmp/out
	ktap_ok "jit avx512: refused without AVX-512 VNNI, blaming RMT_A_PROG_JIT" $? /tmp/out
fi
$R prog load $J name kjx jit amx > /tmp/out 2>&1
[ $? -eq 1 ] && grep -q 'JIT tier amx is not available on this CPU or build' /tmp/out
ktap_ok "jit amx: rmt.ko never offers AMX" $? /tmp/out
$R -j prog show > /tmp/after 2>&1
cmp -s /tmp/before /tmp/after
ktap_ok "refused tiers leave the programs as they were" $?

# The big MLP: every tier the guest runs gives the interpreter's verdict,
# and auto weighs 1568 multiply-accumulates against the FPU entry.
$R model load $B name bigw > /dev/null 2>&1
tiers="interp scalar auto"
grep -q avx2 /proc/cpuinfo && tiers="$tiers avx2"
ok=0
for t in $tiers; do
	$R prog load $B name big_$t model bigw jit $t > /tmp/out 2>&1 ||
		{ ok=1; sed "s/^/# $t: /" /tmp/out; }
	$R prog test big_$t ctx 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 |
		grep -v '^insns' > /tmp/run.$t 2>&1
	cmp -s /tmp/run.interp /tmp/run.$t || { ok=1; echo "# tier $t differs"; }
done
ktap_ok "the MLP gives the interpreter's verdict in rmt.ko's tiers ($tiers)" $ok
$R prog show big_auto > /tmp/out 2>&1
if grep -q avx2 /proc/cpuinfo; then
	grep -qE ' jit avx(2|512) jit_reason auto: 1568 MACs save ~294 ns in avx(2|512) \(FPU entry 130 ns\)$' /tmp/out
else
	grep -q ' jit scalar jit_reason auto: no AVX2 or AVX-512 VNNI on this CPU$' /tmp/out
fi
ktap_ok "jit auto: the MLP's matrix work pays for the FPU in rmt.ko" $? /tmp/out
sed 's/^/# /' /tmp/out
$R prog dump jited big_auto > /tmp/dump 2>&1
! grep -qE '\((bad|unknown)' /tmp/dump && grep -qx '1: matmul 16, 0, 0' /tmp/dump
ktap_ok "dump jited: the SIMD code of the MLP decodes" $? /tmp/dump
for t in $tiers; do
	$R prog del big_$t > /dev/null 2>&1
done
$R model del bigw > /dev/null 2>&1

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

# kjs stays: unloading frees its image
rmmod rmt
ktap_ok "rmmod rmt with the scenario's objects gone and a JITed program left" $?
ktap_end
