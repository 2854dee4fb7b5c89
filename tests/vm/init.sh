#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the test guest (busybox). run.sh writes /etc/rmt-vm/modules (one
# module per line, in load order), /etc/rmt-vm/cmd (the guest command, as
# shell code) and optionally /etc/rmt-vm/wait-dev (device nodes to wait for).
# The host finds the command's output between the BEGIN and END markers.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
# The kernel may have started us without a console if the archive had none.
exec </dev/null >/dev/console 2>&1

hostname rmt-vm
ip link set lo up

status=0
while read -r m; do
	[ -n "$m" ] || continue
	if ! err=$(insmod "/lib/modules/$m.ko" 2>&1); then
		echo "RMT-VM: insmod $m failed: $err"
		status=125
		break
	fi
done </etc/rmt-vm/modules

# Device nodes appear asynchronously after the driver probes.
if [ -f /etc/rmt-vm/wait-dev ]; then
	for d in $(cat /etc/rmt-vm/wait-dev); do
		i=0
		while [ ! -e "$d" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -e "$d" ] || echo "RMT-VM: $d did not appear"
	done
fi

read -r up _ </proc/uptime
echo "@@RMT-VM-BEGIN@@ uptime=$up"
if [ $status = 0 ]; then
	cd /
	sh /etc/rmt-vm/cmd
	status=$?
fi
read -r up _ </proc/uptime
echo "@@RMT-VM-END@@ status=$status uptime=$up"

# WARN splats are printed at KERN_WARNING; dump the whole ring buffer too so
# nothing depends on the console log level.
echo "@@RMT-VM-DMESG-BEGIN@@"
dmesg
echo "@@RMT-VM-DMESG-END@@"
sync
poweroff -f
