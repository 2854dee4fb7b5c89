#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs every test suite, each printing TAP/KTAP, and sums their results:
# the last line is "N passed, N failed[, N skipped]".  Full logs go to
# build/test-logs/.  The exit status is 0 only if nothing failed.
#
# usage: tests/run-all.sh [SUITE...]   (default: all; see suites below)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
logs=$build/test-logs
mkdir -p "$logs"
passed=0
failed=0
skipped=0

# Count one suite's top-level results; show failures.
tally() {	# tally NAME LOGFILE STATUS
	p=$(grep -E '^ok ' "$2" | grep -vc '# SKIP')
	s=$(grep -E '^ok ' "$2" | grep -c '# SKIP')
	f=$(grep -cE '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# a suite that died without saying what failed
		echo "not ok - $1 exited with status $3" >> "$2"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '%-12s %4d passed, %d failed, %d skipped\n' "$1" "$p" "$f" "$s"
	if [ "$f" -ne 0 ]; then
		grep -E -A4 '^not ok ' "$2" | sed 's/^/    /' | head -40
	fi
}

run() {		# run NAME COMMAND...
	name=$1
	shift
	"$@" > "$logs/$name.tap" 2>&1
	tally "$name" "$logs/$name.tap" $?
}

unit() {
	for t in "$build"/tests/test_*; do
		echo "# $(basename "$t")"
		(cd "$top" && "$t") || [ $? -eq 4 ] || status=1	# 4: skipped
	done
	return ${status:-0}
}

asan() {
	for t in "$build"/asan/tests/test_*; do
		echo "# $(basename "$t") (ASan+UBSan)"
		(cd "$top" && "$t") || [ $? -eq 4 ] || status=1
	done
	return ${status:-0}
}

suites=${*:-"unit asan cli dsl fuzz kernel hooks ctl netlink harness"}
for s in $suites; do
	case $s in
	unit)    run unit unit ;;
	asan)    run asan asan ;;
	cli)     run cli sh -c '"$1/tests/cli/test_rmtctl.sh" "$2" && "$1/tests/cli/test_docs_drift.sh" "$2" && "$1/tests/cli/test_policy.sh" "$2" && "$1/tests/cli/test_trace.sh" "$2" && "$1/tests/patches/check.sh"' - "$top" "$build" ;;
	dsl)     run dsl sh -c '"$1/tests/dsl/run.sh" "$2" && "$1/tests/dsl/test_kernel.sh" "$2"' - "$top" "$build" ;;
	fuzz)    run fuzz "$top/tests/fuzz/run.sh" "${RMT_FUZZ_SECONDS:-60}" ;;
	kernel)  run kernel "$top/tests/kernel/run-core.sh" "$build" ;;
	hooks)   run hooks sh -c 'for t in layout prefetch migrate guard trace lifecycle; do "$1/tests/hooks/test_$t.sh" "$2" || s=1; done; exit ${s:-0}' - "$top" "$build" ;;
	ctl)     run ctl "$top/tests/ctl/test_backends.sh" "$build" ;;
	netlink) run netlink "$top/tests/netlink/run.sh" "$build" ;;
	harness) run harness "$top/tests/vm/selftest-harness.sh" ;;
	*)       echo "unknown suite $s"; failed=$((failed + 1)) ;;
	esac
done

echo "logs: $logs"
if [ "$skipped" -ne 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
