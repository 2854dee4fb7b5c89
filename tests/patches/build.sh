#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Compile the static hook points' kernel patch series (hooks/patches/),
# on request: unpack the whole linux-source-6.1 tree (tests/patches/
# source.sh says from where), apply the series, and build only the
# objects it touches, never the kernel:
#
#   kernel/rmt_hook.o mm/swap_state.o kernel/sched/fair.o
#
# for x86_64 defconfig with CONFIG_RMT_HOOKS=y (rmt_hook.o also with
# W=1), for defconfig as it is (RMT_HOOKS=n: the sites compile to
# nothing, without #ifdef), and for a debug configuration with NUMA
# balancing, SCHED_DEBUG, full preemption and lockdep/PROVE_RCU.  Each
# must build without a warning, and with RMT_HOOKS=y each site must be a
# jump label on its static key.  About 3 minutes on 2 cores, and 1.5 GB
# of disk in the work directory.  KTAP.
#
# usage: tests/patches/build.sh [WORK_DIR]
#   WORK_DIR (default: a temporary directory, removed at the end) keeps
#   the tree and the builds when given, for a second run or a look.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
series=$top/hooks/patches
. "$top/tests/lib/ktap.sh"
. "$top/tests/patches/source.sh"

if [ $# -ge 1 ]; then
	work=$1
	mkdir -p "$work" || exit 1
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
jobs=$(nproc 2>/dev/null || echo 2)
objs="kernel/rmt_hook.o mm/swap_state.o kernel/sched/fair.o"

echo "KTAP version 1"
rmt_src_find
if [ -z "$rmt_src" ]; then
	ktap_skip "kernel source" "$rmt_src_why"
	ktap_end
fi
for t in flex bison bc make gcc; do
	command -v "$t" > /dev/null && continue
	ktap_skip "kernel build tools" "no $t (apt-get install flex bison bc build-essential)"
	ktap_end
done

# A fresh tree with the series applied.
src=$work/linux
rm -rf "$src"
rmt_src_extract "$src" > "$work/extract.log" 2>&1
ktap_ok "unpacked $rmt_src_pkg $(rmt_src_version)" $? "$work/extract.log"
: > "$work/apply.log"
for p in "$series"/[0-9][0-9][0-9][0-9]-*.patch; do
	(cd "$src" && patch -p1 -F0 -s --no-backup-if-mismatch < "$p") \
		>> "$work/apply.log" 2>&1 || { echo "$(basename "$p") failed" >> "$work/apply.log"; break; }
done
! grep -q failed "$work/apply.log"
ktap_ok "series applied" $? "$work/apply.log"

# build NAME DESCRIPTION SCRIPTS_CONFIG_ARGS...: configure, build $objs
build() {
	name=$1 desc=$2
	shift 2
	out=$work/build-$name
	log=$out.log
	rm -rf "$out"
	mkdir -p "$out"
	{
		make -s -C "$src" O="$out" ARCH=x86_64 defconfig &&
		"$src/scripts/config" --file "$out/.config" "$@" &&
		make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig &&
		grep -E '^(# )?CONFIG_(RMT_HOOKS|NUMA_BALANCING|SCHED_DEBUG|PREEMPT|PROVE_RCU)[= ]' \
			"$out/.config"
	} > "$log" 2>&1 || { ktap_ok "$name: configure ($desc)" 1 "$log"; return; }
	want=$objs
	grep -q '^CONFIG_RMT_HOOKS=y' "$out/.config" || want=${objs#kernel/rmt_hook.o }
	# shellcheck disable=SC2086
	make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" $want >> "$log" 2>&1
	status=$?
	grep -E 'warning:|error:' "$log" > "$out.diag"
	[ "$status" -eq 0 ] && [ ! -s "$out.diag" ]
	ktap_ok "$name: $want build without warnings ($desc)" $? "$out.diag"
}

# jump_labels NAME: every site is a jump label on its key
jump_labels() {
	out=$work/build-$1
	: > "$out.keys"
	for k in mm/swap_state.o:rmt_hook_swap_ra_key mm/swap_state.o:rmt_hook_swap_cache_key \
		kernel/sched/fair.o:rmt_hook_migrate_key; do
		readelf -rW "$out/${k%%:*}" 2>/dev/null |
			awk '/^Relocation section .\.rela__jump_table/ { j = 1; next }
			     /^Relocation section/ { j = 0 }
			     j' | grep -qw "${k#*:}" ||
			echo "${k%%:*}: no jump label on ${k#*:}" >> "$out.keys"
	done
	[ ! -s "$out.keys" ]
	ktap_ok "$1: each site is a jump label on its static key" $? "$out.keys"
}

build on "defconfig, RMT_HOOKS=y" -e RMT_HOOKS
if command -v readelf > /dev/null; then
	jump_labels on
else
	ktap_skip "on: each site is a jump label on its static key" "no readelf"
fi
make -C "$src" O="$work/build-on" ARCH=x86_64 W=1 kernel/rmt_hook.o \
	> "$work/build-on-w1.log" 2>&1
status=$?
grep -E 'warning:|error:' "$work/build-on-w1.log" > "$work/build-on-w1.diag"
[ "$status" -eq 0 ] && [ ! -s "$work/build-on-w1.diag" ]
ktap_ok "on: kernel/rmt_hook.o without warnings at W=1" $? "$work/build-on-w1.diag"
build off "defconfig, RMT_HOOKS=n" -d RMT_HOOKS
build debug "RMT_HOOKS, NUMA_BALANCING, SCHED_DEBUG, PREEMPT, PROVE_LOCKING" \
	-e RMT_HOOKS -e NUMA_BALANCING -e SCHED_DEBUG -d PREEMPT_VOLUNTARY \
	-e PREEMPT -e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP

ktap_end
