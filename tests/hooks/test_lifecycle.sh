#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots a 2-vCPU guest with a swap disk, rmt.ko, rmtctl, the stride
# workload and the examples, and runs tests/hooks/lifecycle_guest.sh
# (KTAP): load, apply, replace, delete and unload cycles under load.
#
# The guest runs on single-threaded TCG (both vCPUs on one host
# thread).  With QEMU 7.2's multi-threaded TCG, kprobes registered or
# unregistered on swap_cluster_readahead while another vCPU runs it
# crash the guest (a jump to address 0 from the function's entry, or a
# vCPU looping on an int3 memory no longer holds) even from a trivial
# module with an empty pre-handler and no RMT code; single-threaded TCG
# does not, and the guest still has two CPUs that interleave.
# RMT_VM_MTTCG=1 keeps multi-threaded TCG, to reproduce that.
#
# usage: [CYCLES=N] tests/hooks/test_lifecycle.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
single=--tcg-single
[ -n "${RMT_VM_MTTCG:-}" ] && single=
"$top/tests/vm/run.sh" $single --mem 384 --smp 2 --swap-disk 256 --timeout 330 \
	--add "$build/rmt.ko:/rmt/rmt.ko" --add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$build/tests/stride:/rmt/stride" --add "$top/examples:/rmt/" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	--add "$top/tests/hooks/lifecycle_guest.sh:/rmt/lifecycle_guest.sh" \
	-- "CYCLES=${CYCLES:-50} /rmt/lifecycle_guest.sh"
