#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The policy compiler from the outside (KTAP):
#   - golden errors: rmtc -c on each tests/dsl/golden/*.rmt prints exactly
#     the .err file next to it (message, place, source line, caret, hint)
#     and exits 1;
#   - every ```rmt block of docs/dsl.md compiles and verifies;
#   - every examples/*.rmt compiles, verifies, writes an object that
#     readelf lists with a section per table, action and model, and,
#     applied through rmtctl's embedded backend (both as source and as the
#     object), gives the expected verdicts.
#
# usage: tests/dsl/run.sh [BUILD_DIR]
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
rmtc=$build/rmtc
rmtctl=$build/rmtctl
. "$top/tests/lib/ktap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "KTAP version 1"

# ---- golden errors ----
for src in "$top"/tests/dsl/golden/*.rmt; do
	name=$(basename "$src" .rmt)
	(cd "$top/tests/dsl/golden" && "$rmtc" -c "$name.rmt") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
	   diff -u "$top/tests/dsl/golden/$name.err" "$tmp/err" >"$tmp/diff"; then
		ktap_ok "golden: $name" 0
	else
		echo "exit status $rc" >>"$tmp/diff"
		ktap_ok "golden: $name" 1 "$tmp/diff"
	fi
done

# ---- the reference's examples ----
awk -v dir="$tmp" '
	/^```rmt$/ { n++; f = sprintf("%s/doc%02d.rmt", dir, n); inb = 1; next }
	/^```/ { inb = 0; next }
	inb { print > f }
' "$top/docs/dsl.md"
ndoc=0
for src in "$tmp"/doc*.rmt; do
	[ -e "$src" ] || continue
	ndoc=$((ndoc + 1))
	"$rmtc" -c "$src" >"$tmp/err" 2>&1
	ktap_ok "docs/dsl.md example $(basename "$src" .rmt) compiles and verifies" $? "$tmp/err"
done
ktap_ok "docs/dsl.md has examples ($ndoc)" "$([ "$ndoc" -ge 5 ]; echo $?)"

# ---- examples ----

# verdict NAME "CTX" WANT [FIELD=VALUE]: a table test run through the
# state file $state; checks r0 (or "miss") and optionally one output field
verdict() {
	"$rmtctl" -e -S "$state" table test "$1" ctx "$2" >"$tmp/run" 2>&1
	got=$(sed -n 's/^r0 //p' "$tmp/run")
	[ -n "$got" ] || got=miss
	vok=1
	[ "$got" = "$3" ] || vok=0
	if [ -n "${4:-}" ] && ! grep -q "^out.* $4\( \|$\)" "$tmp/run"; then
		vok=0
	fi
	[ $vok = 1 ] && return 0
	echo "table $1 ctx $2: want $3 ${4:-}" >>"$tmp/why"
	cat "$tmp/run" >>"$tmp/why"
	return 1
}

# apply FILE: a fresh embedded state with the policy applied
apply() {
	state=$tmp/state.$(basename "$1")
	rm -f "$state"
	"$rmtctl" -e -S "$state" policy apply "$1" >"$tmp/why" 2>&1
}

for src in "$top"/examples/*.rmt; do
	name=$(basename "$src" .rmt)
	"$rmtc" -o "$tmp/$name.o" "$src" >"$tmp/err" 2>&1
	ktap_ok "example $name: compiles and verifies" $? "$tmp/err"
	# one section per table, action and model, as BPF objects have
	want=$(sed -n 's/^table \([a-z_0-9]*\).*/table\/\1/p;
		       s/^action \([a-z_0-9]*\).*/action\/\1/p;
		       s/^model \([a-z_0-9]*\).*/model\/\1/p' "$src")
	readelf -S -W "$tmp/$name.o" >"$tmp/sections" 2>&1
	ok=0
	for s in $want; do
		grep -q " $s " "$tmp/sections" || { ok=1; echo "no section $s" >>"$tmp/sections"; }
	done
	ktap_ok "example $name: readelf -S lists $(echo $want | wc -w) object sections" $ok "$tmp/sections"
done

: >"$tmp/why"
apply "$top/examples/stride-prefetch.rmt"
ok=$?
for off in 1000 1008 1016; do
	verdict prefetch "7,7,1,0,0,$off,0,8,64,1" -1 || ok=1
done
verdict prefetch "7,7,1,0,0,1024,0,8,64,1" 16 "f9=8" || ok=1
verdict prefetch "7,7,1,0,0,1032,0,8,4,1" 4 "f9=8" || ok=1
verdict prefetch "8,8,1,0,0,1040,0,8,64,1" -1 || ok=1	# another process
ktap_ok "example stride-prefetch: a stride of 8 is found after 3 faults" $ok "$tmp/why"

: >"$tmp/why"
apply "$top/examples/per-cgroup.rmt"
ok=$?
verdict by_cgroup "1,1,10,0,0,5,0,8,64,1" 32 || ok=1
verdict by_cgroup "1,1,10,0,0,5,0,8,16,1" 16 || ok=1
verdict by_cgroup "1,1,11,0,0,5,0,8,64,1" 0 || ok=1
verdict by_cgroup "1,1,12,0,0,5,0,8,64,1" miss || ok=1
verdict accounting "1,1,12,0,0,5,0,1" 0 || ok=1
"$rmtctl" -e -S "$state" ctxmap show cache >"$tmp/map" 2>&1
grep -q "count 1 " "$tmp/map" || { ok=1; cat "$tmp/map" >>"$tmp/why"; }
ktap_ok "example per-cgroup: windows per cgroup, the kernel's elsewhere, accounting" $ok "$tmp/why"

: >"$tmp/why"
apply "$top/examples/mlp-migrate.rmt"
ok=$?
# pid,tgid,cgroup,src_cpu,dst_cpu,src_nr,dst_nr,src_load,dst_load,
# task_load,task_util,exec_ns,idle,same_node,nr_failed,cfs
verdict balance "5,5,1,0,1,3,1,0,0,0,0,0,0,1,0,1" 1 || ok=1
verdict balance "5,5,1,0,1,2,2,0,0,0,0,0,0,1,0,0" 0 || ok=1
verdict balance "5,5,1,0,1,1,3,0,0,0,0,0,0,1,0,1" 0 || ok=1
verdict balance "5,5,1,0,1,5,1,0,0,0,0,20971520,0,1,0,0" 1 || ok=1
ktap_ok "example mlp-migrate: the MLP's verdicts follow the rule its weights encode" $ok "$tmp/why"

: >"$tmp/why"
apply "$top/examples/dtree-prefetch.rmt"
ok=$?
for pair in 100:-1 110:-1 120:-1 130:16 1130:-1 2130:-1 3130:4 4130:4; do
	verdict prefetch_tree "9,9,1,0,0,${pair%%:*},0,8,64,1" "${pair#*:}" || ok=1
done
ktap_ok "example dtree-prefetch: the tree picks no, large and small windows" $ok "$tmp/why"

# the object file applies the same as the source
: >"$tmp/why"
"$rmtc" -o "$tmp/stride.o" "$top/examples/stride-prefetch.rmt" &&
	apply "$tmp/stride.o"
ok=$?
for off in 1000 1008 1016; do
	verdict prefetch "7,7,1,0,0,$off,0,8,64,1" -1 || ok=1
done
verdict prefetch "7,7,1,0,0,1024,0,8,64,1" 16 || ok=1
ktap_ok "example stride-prefetch: applied from its object file" $ok "$tmp/why"

ktap_end
