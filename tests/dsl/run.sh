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

# ---- inputs that once crashed or hung the compiler (found by fuzz_rmtc) ----
for src in "$top"/tests/dsl/regress/*.rmt; do
	timeout 10 "$rmtc" -c "$src" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] && grep -q "^$src:[0-9]*:[0-9]*: error: " "$tmp/err"
	ktap_ok "regression: $(basename "$src" .rmt) is refused with a located error (exit $rc)" $? "$tmp/err"
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

. "$top/tests/dsl/examples.sh"
ex_tmp=$tmp
ex_why=$tmp/why

# apply FILE: a fresh embedded state with the policy applied
apply() {
	state=$tmp/state.$(basename "$1")
	rm -f "$state"
	ex_rmtctl="$rmtctl -e -S $state"
	$ex_rmtctl policy apply "$1" >"$ex_why" 2>&1
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

for ex in stride-prefetch:ex_stride per-cgroup:ex_cgroup \
	  mlp-migrate:ex_migrate dtree-prefetch:ex_dtree; do
	apply "$top/examples/${ex%%:*}.rmt" && ${ex#*:}
	ktap_ok "example ${ex%%:*}: applied, gives the expected verdicts" $? "$ex_why"
done

# the object file applies the same as the source
"$rmtc" -o "$tmp/stride.o" "$top/examples/stride-prefetch.rmt" &&
	apply "$tmp/stride.o" && ex_stride
ktap_ok "example stride-prefetch: applied from its object file" $? "$ex_why"

# a refusal of an entry, from an object compiled without checks, comes
# back at the entry's line through the object's declarations
(cd "$top/tests/dsl/golden" && "$rmtc" --no-verify -o "$tmp/full.o" table-full.rmt) &&
	rm -f "$tmp/state.full" &&
	(cd "$top/tests/dsl/golden" && "$rmtctl" -e -S "$tmp/state.full" policy apply "$tmp/full.o") \
		>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^table-full.rmt:7:2: error: entry of table 't' refused: .*table 't' is full (size 1)" "$tmp/err" &&
	grep -q "^    7 | 	entry { f0 = 2 } -> a;" "$tmp/err"
ktap_ok "a refused entry of an object is reported at its source line" $? "$tmp/err"

ktap_end
