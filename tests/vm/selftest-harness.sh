#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-check of tests/vm/run.sh: it must pass a good guest and fail on a
# non-zero exit, a short plan, a kernel crash, a kernel WARN and a timeout.
# Prints TAP; exit status 0 iff all checks passed.
# The checks are single-quoted on purpose: verdict evaluates them later.
# shellcheck disable=SC2016
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUN=$HERE/run.sh
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rmt-vm-selftest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

N=0 FAILED=0 RC=0
# Run the harness, keeping its output and exit status. Console logs of
# the runs that are meant to fail go away with $TMP.
harness() {
	RC=0
	"$RUN" --log "$TMP/console.log" "$@" >"$TMP/out" 2>&1 || RC=$?
}
has() { grep -Eq "$1" "$TMP/out"; }
# verdict NAME CONDITION: one TAP line; the harness output on failure.
verdict() {
	N=$((N + 1))
	if eval "$2"; then
		echo "ok $N - $1"
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $1"
		echo "# harness exit $RC, wanted: $(echo "$2" | tr -s '\n\t' '  ')"
		echo "# its output:"
		sed 's/^/#   /' "$TMP/out"
	fi
}

echo "TAP version 13"
echo "1..5"

harness -- 'echo 1..2; echo "ok 1 - trivial"
	su rmtuser -c "test \$(id -u) = 1000" && echo "ok 2 - rmtuser"'
verdict "a passing guest passes" \
	'[ $RC = 0 ] && has "^ok 1 - trivial$" && has "^ok 2 - rmtuser$" &&
	 has "^ok 5 - kernel log" && ! has "^not ok"'

harness -- 'echo 1..2; echo "ok 1 - first"; exit 3'
verdict "non-zero exit and a short plan fail" \
	'[ $RC != 0 ] && has "^not ok 2 - guest command exited 0$" &&
	 has "^# exit status 3$" &&
	 has "^not ok 3 - guest TAP plan matches results$"'

harness -- 'echo c >/proc/sysrq-trigger; sleep 5'
verdict "a kernel panic fails" \
	'[ $RC != 0 ] && has "^# guest kernel panicked$" &&
	 has "^not ok 3 - kernel log has no WARN/BUG/oops$"'

# A WARN() needs kernel code: build a tiny module against the headers.
KVER=$("$ROOT/scripts/setup.sh" --print-kver 2>/dev/null)
mkdir "$TMP/warn"
cat >"$TMP/warn/warn.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
static int __init warn_init(void)
{
	WARN(1, "rmt-vm harness check\n");
	return 0;
}
module_init(warn_init);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m := warn.o' >"$TMP/warn/Kbuild"
if make -s -C "/lib/modules/$KVER/build" M="$TMP/warn" modules \
	>"$TMP/warn/build.log" 2>&1; then
	harness --add "$TMP/warn/warn.ko:/warn.ko" -- 'insmod /warn.ko'
	verdict "a kernel WARN fails" \
		'[ $RC != 0 ] && has "^ok 1 - guest command exited 0$" &&
		 has "^# .*WARNING: CPU.*warn_init"'
else
	N=$((N + 1))
	echo "ok $N - a kernel WARN fails # SKIP cannot build a module"
fi

harness --timeout 15 -- 'sleep 600'
verdict "a hung guest times out" \
	'[ $RC != 0 ] && has "^# guest timed out after 15 s$"'

[ $FAILED = 0 ]
