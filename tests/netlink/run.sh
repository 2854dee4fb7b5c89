#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Host side of the netlink test: boots the guest once with rmt.ko and
# nlclient and runs tests/netlink/guest.sh.  Prints the harness's TAP.
#
# usage: tests/netlink/run.sh [BUILD_DIR]   (needs `make module nlclient`)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}

for f in "$build/rmt.ko" "$build/netlink/nlclient"; do
	if [ ! -f "$f" ]; then
		echo "not ok 1 - $f is missing (make module nlclient)"
		exit 1
	fi
done
exec "$top/tests/vm/run.sh" --timeout 120 \
	--add "$build/rmt.ko:/rmt/rmt.ko" \
	--add "$build/netlink/nlclient:/rmt/nlclient" \
	--add "$top/tests/netlink/guest.sh:/rmt/guest.sh" \
	--add "$top/tests/lib/ktap.sh:/rmt/ktap.sh" \
	-- /rmt/guest.sh
