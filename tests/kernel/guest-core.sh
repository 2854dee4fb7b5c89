#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test guest (busybox).  Loads rmt.ko, compares its
# self-test report and debugfs test runs with what user space computed
# on the host (files under /rmt/expect), checks that a bad program is
# refused with the verifier's message, and unloads; then repeats
# load/unload to catch lifecycle leaks.  Prints KTAP.
#
# Inputs: /rmt/rmt.ko, /rmt/*.img (test images) with /rmt/expect/NAME.out
# for each, and /rmt/expect/selftest.ktap.

D=/sys/kernel/debug/rmt
. /rmt/ktap.sh

same() {	# same EXPECTED_FILE ACTUAL_FILE: identical, or show both
	if cmp -s "$1" "$2"; then
		return 0
	fi
	sed 's/^/# want: /' "$1"
	sed 's/^/# got:  /' "$2"
	return 1
}

echo "KTAP version 1"
ktap_check "insmod rmt.ko (runs the self-test at load)" insmod /rmt/rmt.ko

# The self-test report in the kernel log equals user space's, line by line.
dmesg | sed -n 's/.*rmt-selftest: //p' > /tmp/selftest.kernel
ktap_check "in-kernel self-test at load matches user space" \
	same /rmt/expect/selftest.ktap /tmp/selftest.kernel
# The self-test's *_jit lines ran every case under each JIT tier the
# kernel offers; under TCG with -cpu max those are scalar and AVX2.
ktap_check "kernel JIT offers the scalar and AVX2 tiers" \
	sh -c 'dmesg | grep -q "rmt: JIT tiers on this CPU: scalar avx2$"'
cat $D/selftest > /tmp/selftest.debugfs 2>/dev/null
ktap_check "debugfs self-test matches user space" \
	same /rmt/expect/selftest.ktap /tmp/selftest.debugfs

for img in /rmt/*.img; do
	name=$(basename "$img" .img)
	cat "$img" > $D/test_run
	cat $D/test_run > /tmp/$name.out
	ktap_check "test_run $name: kernel output equals rmtctl's" \
		same /rmt/expect/$name.out /tmp/$name.out
done

ktap_check "rmmod rmt" rmmod rmt
ktap_check "module gone after rmmod" sh -c '! grep -q "^rmt " /proc/modules'

i=0
while [ $i -lt 20 ]; do
	insmod /rmt/rmt.ko selftest=0 || break
	cat /rmt/mlp.img > $D/test_run
	rmmod rmt || break
	i=$((i + 1))
done
ktap_check "20 load/test-run/unload cycles" [ $i -eq 20 ]
dmesg | grep -q "rmt: core self-test failed" && ktap_fail=1
ktap_end
