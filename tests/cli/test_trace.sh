#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rmtctl trace show|replay|record without rmt.ko: a trace file written by
# the trace file unit test (build/tests/test_trace_file --write) is shown
# in text and JSON and replayed through the stride example; damaged files
# are refused, status 1, with what is wrong and nothing on standard
# output; record refuses the embedded backend.  The guest test
# (tests/hooks/test_trace.sh) records a real trace.  KTAP.
#
# usage: tests/cli/test_trace.sh [BUILD_DIR]
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
rmtctl=$build/rmtctl
gen=$build/tests/test_trace_file
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/ktap.sh"

echo "KTAP version 1"
if [ ! -x "$gen" ]; then
	echo "Bail out! $gen is missing (make all)"
	exit 1
fi


# refused DESCRIPTION FILE WORDS: trace show refuses FILE, status 1, saying
# WORDS on standard error and nothing on standard output
refused() {
	"$rmtctl" trace show "$2" > "$tmp/out" 2> "$tmp/err"
	st=$?
	if [ $st -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$3" "$tmp/err"; then
		ktap_ok "refused: $1" 0
	else
		ktap_ok "refused: $1" 1
		echo "# exit $st (want 1 and '$3'); stdout then stderr:"
		sed 's/^/#   /' "$tmp/out" "$tmp/err"
	fi
}

# patch FILE OFFSET OCTAL...: write the bytes at OFFSET of a copy of t.rmtt
patch() {
	f=$1 off=$2
	shift 2
	cp "$tmp/t.rmtt" "$f"
	printf "$(printf '\\%s' "$@")" |
		dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}

"$gen" --write "$tmp/t.rmtt" 25
ktap_ok "the unit test writes a 25-sample trace" $?

# ---- show ----
"$rmtctl" trace show "$tmp/t.rmtt" > "$tmp/show" 2>&1
ktap_ok "trace show reads it without a backend" $? "$tmp/show"
grep -qx 'hook swap_cluster_readahead id 1' "$tmp/show" &&
	grep -qx 'samples 25 decided 9 default 16 failed 5' "$tmp/show" &&
	grep -qx 'dropped 7' "$tmp/show" && grep -qx 'version 1' "$tmp/show" &&
	grep -qx 'cpus 4' "$tmp/show" &&
	grep -q '^fields 40 pid,tgid,cgroup,cpu,swap_type,offset,addr,kernel_window,ra0,' "$tmp/show"
ktap_ok "the header: hook, version, CPUs, samples by outcome, dropped, fields" $? "$tmp/show"
[ "$(grep -c '^#' "$tmp/show")" -eq 10 ] &&
	grep -q '^#1 +0.000001000s cpu 1 verdict DEFAULT (default) pid=1000 tgid=-1001 ' "$tmp/show" &&
	grep -q '^#3 +0.000003000s cpu 3 verdict 3 (decided) .* offset=-3005 ' "$tmp/show" &&
	grep -qx '\.\.\. 15 more' "$tmp/show"
ktap_ok "the first 10 samples, each field by name, then how many more" $? "$tmp/show"
"$rmtctl" tr s "$tmp/t.rmtt" --samples 0 > "$tmp/show0" 2>&1 &&
	! grep -q '^#' "$tmp/show0" && grep -qx '\.\.\. 25 more' "$tmp/show0"
ktap_ok "'tr s' is trace show; --samples 0 shows the header only" $? "$tmp/show0"
"$rmtctl" -e t s > "$tmp/ts" 2>&1
ktap_ok "'t s' is still table show" $? "$tmp/ts"
"$rmtctl" -j trace show "$tmp/t.rmtt" --samples 2 > "$tmp/json" 2>&1 &&
	grep -q '"samples":25,"decided":9,"defaults":16,"failed":5,"dropped":7,' "$tmp/json" &&
	grep -q '"records":\[{"index":0,"time_ns":0,"cpu":0,"verdict":0,"outcome":"decided","action_failed":false,"ctx":\[0,-1,2,' "$tmp/json" &&
	[ "$(grep -o '"index"' "$tmp/json" | wc -l)" -eq 2 ]
ktap_ok "trace show -j: counts, fields and the samples asked for" $? "$tmp/json"

# ---- refusals ----
head -c 60 "$tmp/t.rmtt" > "$tmp/short"
refused "a truncated header" "$tmp/short" "truncated: 60 bytes, the header alone is 88"
size=$(wc -c < "$tmp/t.rmtt")
head -c $((size - 10)) "$tmp/t.rmtt" > "$tmp/cut"
refused "a truncated last record" "$tmp/cut" "truncated: the last record has 334 of 344 bytes"
patch "$tmp/magic" 0 122 115 124 130		# "RMTX"
refused "another magic number" "$tmp/magic" "not an RMT trace"
patch "$tmp/version" 4 002
refused "another version" "$tmp/version" "trace format version 2; this build reads version 1"
patch "$tmp/nfields" 12 047			# 39 fields
refused "a field count the header disagrees with" "$tmp/nfields" "field count mismatch: 39 fields"
patch "$tmp/count" 40 032			# 26 samples announced
refused "a sample count the size disagrees with" "$tmp/count" \
	"record count mismatch: the header says 26 samples, the file holds 25"
patch "$tmp/rec" $((88 + 40 * 32 + 22)) 046	# sample 0 with 38 fields
refused "a record with another field count" "$tmp/rec" "sample 0: field count mismatch: 38 fields"
"$rmtctl" -j trace show "$tmp/magic" > "$tmp/jerr" 2>&1
[ $? -eq 1 ] && grep -q '^{"error":".*not an RMT trace' "$tmp/jerr"
ktap_ok "under -j the refusal is JSON" $? "$tmp/jerr"
ktap_expect "a missing file is a system error (3)" 3 "cannot read" \
	"$rmtctl" trace show "$tmp/none.rmtt"
ktap_expect "trace show without a file is a usage error (2)" 2 "usage: trace show FILE" \
	"$rmtctl" trace show
ktap_expect "--samples takes a count" 2 "is not a count" \
	"$rmtctl" trace show "$tmp/t.rmtt" --samples x

# ---- replay ----
st=$tmp/state
"$rmtctl" -e -S "$st" policy apply "$top/examples/stride-prefetch.rmt" > "$tmp/apply" 2>&1
ktap_ok "the stride example applies (embedded)" $? "$tmp/apply"
ktap_expect "trace replay runs every sample through the table" 0 \
	"replayed 25 samples through table prefetch:" \
	"$rmtctl" -e -S "$st" trace replay "$tmp/t.rmtt" --table prefetch
"$rmtctl" -e -S "$st" -j trace replay "$tmp/t.rmtt" --table prefetch > "$tmp/rj" 2>&1 &&
	grep -q '"samples":25,"agree":[0-9]*,"decided_default":[0-9]*,"default_decided":[0-9]*,"other_verdict":[0-9]*}' "$tmp/rj"
ktap_ok "trace replay -j" $? "$tmp/rj"
"$rmtctl" -e -S "$st" table add tt hook test key f0 match exact size 2 > /dev/null 2>&1
ktap_expect "replay through a table at another hook is refused" 1 \
	"table tt is at hook test, the trace at swap_cluster_readahead" \
	"$rmtctl" -e -S "$st" trace replay "$tmp/t.rmtt" --table tt
ktap_expect "replay of a damaged trace is refused" 1 "not an RMT trace" \
	"$rmtctl" -e -S "$st" trace replay "$tmp/magic" --table prefetch

# ---- record ----
ktap_expect "trace record refuses the embedded backend" 1 \
	"trace record needs rmt.ko: the embedded backend runs no kernel hooks" \
	"$rmtctl" -e trace record -o "$tmp/r.rmtt" --duration 1
[ ! -e "$tmp/r.rmtt" ]
ktap_ok "and writes no file" $?
ktap_expect "trace record needs -o" 2 "usage: trace record -o FILE" \
	"$rmtctl" -e trace record --duration 1
ktap_expect "--duration takes seconds" 2 "--duration: 'soon' is not a number of seconds" \
	"$rmtctl" -e trace record -o "$tmp/r.rmtt" --duration soon

ktap_end
