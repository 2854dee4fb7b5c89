#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs each libFuzzer target of the core for SECONDS (default 60), one
# after the other so that the fuzzers never hold more than one core,
# each from a fresh corpus that fuzz_seeds writes into a temp directory.
# Prints TAP; crash inputs are kept in build/fuzz/artifacts/.  Exit
# status 0 iff no target crashed, leaked, timed out or tripped a
# sanitizer.  Build the targets first: make fuzzers.
#
# Usage: tests/fuzz/run.sh [SECONDS]
# Environment: BUILD, the build directory (default build, relative to
# the top of the tree unless absolute), as in the Makefile.
set -u

SECS=${1:-60}
case $SECS in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) FUZZ=$BUILD/fuzz ;;
*) FUZZ=$ROOT/$BUILD/fuzz ;;
esac
ARTIFACTS=$FUZZ/artifacts
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rmt-fuzz.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$ARTIFACTS"

# Lines of a libFuzzer log that mean the run found something.
BAD='^==[0-9]+==(ERROR|WARNING)|runtime error:|^SUMMARY: |ERROR: libFuzzer'
BAD="$BAD|invariant failed|deadly signal|^INFO: a leak"

N=0 FAILED=0

# fail NAME WHY [LOG]: a "not ok" line, then what the log says, as comments.
fail() {
	FAILED=$((FAILED + 1))
	echo "not ok $N - $1: $2"
	[ -n "${3:-}" ] || return 0
	# The report's headline, the top of each stack (without libFuzzer's
	# own frames) and the saved input.
	grep -E "$BAD|^ +#[0-7] 0x|Test unit written to|^Base64:" "$3" |
		grep -Ev ' in (fuzzer::|main |__libc_start)' | head -n 40 | sed 's/^/# /'
}

# store_seeds DIR: fuzz_store inputs, 8-byte operation records in hex
# (fuzz_store.c says what each byte means): models, a context map and
# programs; then a table of each match kind; entries in each; entry,
# table and program deletions; a refused deletion of a program in use.
store_seeds() {
	local objs tables entries dels n=0 s
	objs="8600000000000000 8800120f01000000 8400000500000000"
	objs="$objs 8401010001000000 8402020000000000"
	tables="0000140506000000 0001010500000000 0002160500000000"
	tables="$tables 8003030504000000"
	entries="0200210004050000 0210310008060700 0201050705090000"
	entries="$entries 0201040c060a0000 0222325505010200 02033a04040b0000"
	entries="$entries 82133a0d080c0d00"
	dels="0300000000000000 0302000000000000 8102000000000000"
	dels="$dels 0100000000000000 8502000000000000 8500000000000000"
	for s in "$objs" "$objs $tables" "$objs $tables $entries" \
		 "$objs $tables $entries $dels"; do
		printf "$(echo $s | sed 's/ //g; s/../\\x&/g')" >"$1/seed-store-$n" ||
			return 1
		n=$((n + 1))
	done
}

# rmtc_seeds DIR: fuzz_rmtc inputs, policy sources: those of fuzz_seeds,
# and examples/*.rmt (the fuzzer cannot read their weights files).
rmtc_seeds() {
	local f

	"$FUZZ/fuzz_seeds" rmtc "$1" || return 1
	for f in "$ROOT"/examples/*.rmt; do
		[ -f "$f" ] || continue
		cp "$f" "$1/example-${f##*/}" || return 1
	done
}

# run_one NAME SEED_KIND MAX_LEN: with tests/fuzz/SEED_KIND.dict, if there
# is one, as the libFuzzer dictionary.
run_one() {
	local name=$1 kind=$2 max_len=$3 bin=$FUZZ/$1 log=$TMP/$1.log
	local corpus=$TMP/$1.corpus rc=0 execs seeder=$FUZZ/fuzz_seeds dict

	N=$((N + 1))
	[ "$kind" = object ] && seeder=$FUZZ/fuzz_object_seeds
	if [ ! -x "$bin" ] || [ ! -x "$seeder" ]; then
		fail "$name" "not built (run make fuzzers)"
		return
	fi
	mkdir -p "$corpus"
	if [ "$kind" = store ]; then
		store_seeds "$corpus" 2>"$log"
	elif [ "$kind" = rmtc ]; then
		rmtc_seeds "$corpus" 2>"$log"
	elif [ "$kind" = object ]; then
		"$seeder" "$corpus" 2>"$log"
	else
		"$FUZZ/fuzz_seeds" "$kind" "$corpus" 2>"$log"
	fi
	if [ $? -ne 0 ]; then
		fail "$name" "cannot write the seed corpus" "$log"
		return
	fi
	dict=$ROOT/tests/fuzz/$kind.dict
	[ -f "$dict" ] && dict=-dict=$dict || dict=
	# The outer timeout only catches a fuzzer that ignores its own limits.
	timeout --kill-after=10 $((SECS + 120)) "$bin" ${dict:+"$dict"} \
		-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -use_value_profile=1 -print_final_stats=1 \
		-artifact_prefix="$ARTIFACTS/$name-" "$corpus" >"$log" 2>&1 ||
		rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail "$name" "did not stop after $SECS s" "$log"
	elif [ "$rc" -ne 0 ]; then
		fail "$name" "exit status $rc after ${execs:-?} execs" "$log"
	elif grep -Eq "$BAD" "$log"; then
		fail "$name" "sanitizer report" "$log"
	else
		echo "ok $N - $name: $SECS s, ${execs:-?} execs, no crash"
	fi
}

echo "TAP version 13"
echo "1..6"
run_one fuzz_verifier verifier 8192
run_one fuzz_jit jit 8192
run_one fuzz_image image 16384
run_one fuzz_store store 2048
run_one fuzz_rmtc rmtc 8192
run_one fuzz_object object 16384
[ "$FAILED" -eq 0 ]
