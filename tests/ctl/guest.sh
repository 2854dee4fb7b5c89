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
