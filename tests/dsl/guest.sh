#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest, through rmt.ko: the examples are applied with
# `rmtctl policy apply` (stride-prefetch from its object file, the
# others from source) and give the same verdicts as in user space; an
# over-budget policy is refused by the kernel's verifier, the refusal
# points at its DSL line, and nothing changes.  KTAP.
R=/rmt/rmtctl
D=/rmt/dsl
. /rmt/ktap.sh
. $D/examples.sh
ex_rmtctl=$R
ex_tmp=/tmp
ex_why=/tmp/why

echo "KTAP version 1"
insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?
$R feature show | grep -q "^backend netlink"
ktap_ok "rmtctl talks to rmt.ko" $?

$R policy apply $D/stride-prefetch.o >$ex_why 2>&1 && ex_stride
ktap_ok "stride-prefetch.o applied through rmt.ko, expected verdicts" $? $ex_why
for ex in per-cgroup:ex_cgroup mlp-migrate:ex_migrate dtree-prefetch:ex_dtree; do
	$R policy apply $D/examples/${ex%%:*}.rmt >$ex_why 2>&1 && ${ex#*:}
	ktap_ok "${ex%%:*}.rmt applied through rmt.ko, expected verdicts" $? $ex_why
done

$R policy show >/tmp/before 2>&1
$R policy apply $D/examples/per-cgroup.rmt >/tmp/again 2>&1
grep -q "policy unchanged" /tmp/again
ktap_ok "re-applying an unchanged policy changes nothing" $? /tmp/again

# The verifier in rmt.ko refuses the over-budget action; rmtctl maps the
# instruction it blames back to the loop's line.
cd $D/golden
$R policy apply budget.rmt >/tmp/out 2>/tmp/err
rc=$?
$R policy show >/tmp/after 2>&1
[ $rc -eq 1 ] && grep -q "^budget.rmt:7:2: error: action 'scan' refused: insn [0-9]*: worst-case cost 73862 exceeds the budget of 50000" /tmp/err &&
	grep -q "^    7 | 	for (u32 i in 0..64) {" /tmp/err
ktap_ok "rmt.ko refuses an over-budget policy at its DSL line" $? /tmp/err
cmp -s /tmp/before /tmp/after
ktap_ok "the refused policy left nothing behind" $? /tmp/after
# the same from an object compiled without the verifier: only the kernel checks
$R policy apply $D/budget.o >/tmp/out 2>/tmp/err
[ $? -eq 1 ] && grep -q "^budget.rmt:7:2: error: action 'scan' refused: insn [0-9]*: worst-case cost" /tmp/err
ktap_ok "an unverified object is refused by rmt.ko, located by its line table" $? /tmp/err
cd /

dmesg | grep -E "WARNING|BUG|Oops|general protection" >/tmp/warn
[ ! -s /tmp/warn ]
ktap_ok "no WARN, BUG or oops" $? /tmp/warn
ktap_end
