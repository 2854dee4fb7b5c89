#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rmtctl policy check|diff|apply|show on the embedded backend with a
# --state journal: a policy compiled from source or read from an rmtc
# object is verified, applied atomically, compared with what is loaded,
# replaced when it changes, and refused, located in its source, without
# changing anything.  KTAP.
#
# usage: tests/cli/test_policy.sh [BUILD_DIR]
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
rmtctl=$build/rmtctl
rmtc=$build/rmtc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/ktap.sh"

st=$tmp/state
R() { "$rmtctl" -e -S "$st" "$@"; }


# like expect, with an extended regular expression to match a line
expect_re() {	# expect_re DESCRIPTION WANT_STATUS REGEX COMMAND...
	desc=$1 want=$2 re=$3
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ] && printf '%s\n' "$out" | grep -qE -- "$re"; then
		ktap_ok "$desc" 0
	else
		ktap_ok "$desc" 1
		echo "# exit $got (want $want, a line matching /$re/); output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

# snapshot NAME: what is loaded, and the journal, to compare later
snapshot() {
	R -j policy show > "$tmp/$1.show" 2>&1
	cp "$st" "$tmp/$1.state" 2>/dev/null || : > "$tmp/$1.state"
}

# unchanged_since NAME DESCRIPTION: nothing loaded or journalled changed
unchanged_since() {
	snapshot now
	{
		diff "$tmp/$1.show" "$tmp/now.show"
		diff "$tmp/$1.state" "$tmp/now.state"
	} > "$tmp/diag" 2>&1
	ktap_ok "$2" $? "$tmp/diag"
}

echo "KTAP version 1"
for f in "$rmtctl" "$rmtc"; do
	if [ ! -x "$f" ]; then
		echo "Bail out! $f is missing"
		exit 1
	fi
done

# v1: a default action and one entry with another action
cat > "$tmp/p.rmt" <<'EOF'
// policy v1
action double at test -> s64 { return ctx.f0 * 2; }
action triple at test -> s64 { return ctx.f0 * 3; }
table t at test {
	key f1 : exact;
	size 16;
	default double;
	entry { f1 = 7 } -> triple;
}
EOF
cp "$tmp/p.rmt" "$tmp/v1.rmt"

# ---------------------------------------------------------------------
# check: verify without loading
# ---------------------------------------------------------------------

expect_re "check prints each program's hook, insns, cost and the hook's budget" 0 \
	'^double +test +[1-9][0-9]* +[1-9][0-9]* +1000000$' R policy check "$tmp/p.rmt"
ktap_expect "check sums the policy up" 0 "verified: 2 programs, 1 table (1 entry)" \
	R policy check "$tmp/p.rmt"
expect_re "check -j gives the cost" 0 '"name":"triple","hook":"test","insns":[1-9][0-9]*,"cost":[1-9]' \
	R -j policy check "$tmp/p.rmt"
[ ! -e "$st" ]
ktap_ok "check loads nothing (no journal written)" $?
ktap_expect "check leaves the backend empty" 0 "tables: none" R policy show

# ---------------------------------------------------------------------
# apply, then the loaded objects at work
# ---------------------------------------------------------------------

ktap_expect "apply creates the policy's objects" 0 "+ table t" R policy apply "$tmp/p.rmt"
ktap_expect "the entry runs its action: f0 5, f1 7 gives 15" 0 "r0 15" \
	R table test t ctx 5,7
ktap_expect "a miss runs the default: f0 5, f1 8 gives 10" 0 "r0 10" \
	R table test t ctx 5,8
ktap_expect "show lists the table with its entry and default" 0 \
	"t hook test key f1 match exact size 16 entries 1 default double" R policy show
expect_re "show lists the programs with their cost" 0 \
	'^  triple hook test insns [1-9][0-9]* cost [1-9][0-9]* budget 1000000$' R policy show
ktap_expect "show -j groups the objects" 0 '"tables":[{"name":"t","hook":"test"' \
	R -j policy show
ktap_expect "po is policy; p stays prog" 0 "tables:" R po sh

snapshot applied
ktap_expect "re-applying the same policy changes nothing" 0 "policy unchanged" \
	R policy apply "$tmp/p.rmt"
unchanged_since applied "an unchanged apply commits and journals nothing"
ktap_expect "diff of the loaded policy: all '='" 0 "= prog triple" R policy diff "$tmp/p.rmt"
ktap_expect "diff of the loaded policy says so" 0 "policy unchanged" \
	R policy diff "$tmp/p.rmt"

# ---------------------------------------------------------------------
# an edited policy: diff, then apply replaces
# ---------------------------------------------------------------------

# v2, written over the same file: triple changes, neg and an entry are new
cat > "$tmp/p.rmt" <<'EOF'
// policy v2
action double at test -> s64 { return ctx.f0 * 2; }
action triple at test -> s64 { return ctx.f0 * 5; }
action neg at test -> s64 { return 0 - ctx.f0; }
table t at test {
	key f1 : exact;
	size 16;
	default double;
	entry { f1 = 7 } -> triple;
	entry { f1 = 9 } -> neg;
}
EOF
ktap_expect "diff: a changed action is '~' with its reason" 0 \
	"~ prog triple: instructions differ" R policy diff "$tmp/p.rmt"
ktap_expect "diff: a new action is '+'" 0 "+ prog neg" R policy diff "$tmp/p.rmt"
ktap_expect "diff: the table is replaced" 0 "~ table t:" R policy diff "$tmp/p.rmt"
ktap_expect "diff: a summary" 0 "1 to add, 3 to replace, 0 unchanged" \
	R policy diff "$tmp/p.rmt"
ktap_expect "diff -j lists the changes" 0 \
	'{"change":"replace","kind":"prog","name":"triple","reason":"instructions differ"}' \
	R -j policy diff "$tmp/p.rmt"
unchanged_since applied "diff changes nothing"

ktap_expect "apply replaces, in one commit" 0 "committed 9 operations" \
	R policy apply "$tmp/p.rmt"
ktap_expect "the replaced action runs: f0 5, f1 7 gives 25" 0 "r0 25" \
	R table test t ctx 5,7
ktap_expect "the new entry runs the new action: f0 5, f1 9 gives -5" 0 "r0 -5" \
	R table test t ctx 5,9
ktap_expect "show counts the new entries" 0 "entries 2 default double" R policy show
ktap_expect "the journal replays what was applied, not the file now" 0 \
	"policy unchanged" R policy diff "$tmp/p.rmt"
ktap_expect "diff against v1 shows what v2 changed" 0 "~ prog triple: instructions differ" \
	R policy diff "$tmp/v1.rmt"

# ---------------------------------------------------------------------
# refusals change nothing
# ---------------------------------------------------------------------

snapshot v2
cat > "$tmp/syntax.rmt" <<'EOF'
action double at test -> s64 { return ctx.f0 * 2; }
action broken at test -> s64 { return ctx.f0 + ; }
EOF
ktap_expect "a compile error is reported compiler-style, status 1" 1 \
	"syntax.rmt:2:" R policy apply "$tmp/syntax.rmt"
ktap_expect "a compile error says error:" 1 ": error: " R policy apply "$tmp/syntax.rmt"
unchanged_since v2 "a policy that does not compile changes nothing"
ktap_expect "-j: a compile error is JSON with its line" 1 '"line":2' \
	R -j policy apply "$tmp/syntax.rmt"

# line 6 is the loop body the verifier's cost bound refuses
cat > "$tmp/slow.rmt" <<'EOF'
action double at test -> s64 { return ctx.f0 * 2; }
action slow at test -> s64 {
	s64 x = 0;
	for (u32 i in 0..65536) {
		for (u32 j in 0..65536) {
			x += i;
		}
	}
	return x;
}
table t at test {
	key f1 : exact;
	size 16;
	default double;
	entry { f1 = 7 } -> slow;
}
EOF
slow_re='slow\.rmt:[4-6]:[0-9]+: error: '
expect_re "check refuses a program over the hook's budget, located" 1 "$slow_re" \
	R policy check "$tmp/slow.rmt"
expect_re "apply refuses it, located in the source" 1 "$slow_re" \
	R policy apply "$tmp/slow.rmt"
ktap_expect "the refusal names the action and the cost" 1 "action 'slow' refused" \
	R policy apply "$tmp/slow.rmt"
unchanged_since v2 "a refused apply changes nothing"

# the refusal of check and apply point at the same place
R policy check "$tmp/slow.rmt" 2>&1 | grep -oE "$slow_re" > "$tmp/check.loc"
R policy apply "$tmp/slow.rmt" 2>&1 | grep -oE "$slow_re" > "$tmp/apply.loc"
[ -s "$tmp/check.loc" ] && cmp -s "$tmp/check.loc" "$tmp/apply.loc"
ktap_ok "check and apply blame the same line and column" $?

# ---------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------

ktap_expect "a missing file is a system error (status 3)" 3 "cannot read" \
	R policy apply "$tmp/none.rmt"
printf 'junk\000junk' > "$tmp/junk.bin"
ktap_expect "a binary file that is no ELF object is refused" 1 \
	"neither policy source nor an ELF object" R policy apply "$tmp/junk.bin"
printf '\177ELFjunk' > "$tmp/junk.o"
ktap_expect "a broken object is refused (by its magic, not its name)" 1 "junk.o:" \
	R policy apply "$tmp/junk.o"
ktap_expect "apply needs a FILE (status 2)" 2 "usage: policy apply FILE" R policy apply
unchanged_since v2 "bad input changes nothing"

# ---------------------------------------------------------------------
# an rmtc object
# ---------------------------------------------------------------------

cp "$tmp/v1.rmt" "$tmp/obj.rmt"
"$rmtc" -o "$tmp/policy.bin" "$tmp/obj.rmt" > "$tmp/rmtc.out" 2>&1
ktap_ok "rmtc writes an object" $? "$tmp/rmtc.out"
expect_re "check reads an object whatever its name" 0 '^triple +test ' \
	R policy check "$tmp/policy.bin"
ktap_expect "apply of the object replaces v2 by v1" 0 "~ prog triple: instructions differ" \
	R policy apply "$tmp/policy.bin"
ktap_expect "the object's actions run: f0 5, f1 7 gives 15" 0 "r0 15" \
	R table test t ctx 5,7
ktap_expect "the source of the object is then unchanged" 0 "policy unchanged" \
	R policy diff "$tmp/obj.rmt"
ktap_expect "objects the policy does not name are left: neg is still loaded" 0 \
	"  neg hook test" R policy show

# ---------------------------------------------------------------------
# context maps keep their state when the rest is rebuilt
# ---------------------------------------------------------------------

cat > "$tmp/cm.rmt" <<'EOF'
ctxmap counts keyed any {
	s64 n;
}
action count at test -> s64 {
	counts[ctx.f1].n = counts[ctx.f1].n + 1;
	return counts[ctx.f1].n;
}
table tc at test {
	key f1 : exact;
	size 4;
	default count;
}
EOF
R policy apply "$tmp/cm.rmt" > /dev/null 2>&1
R table test tc ctx 0,3 > /dev/null 2>&1
ktap_expect "a context map counts across runs" 0 "r0 2" R table test tc ctx 0,3
sed 's/return counts\[ctx.f1\].n;/return counts[ctx.f1].n * 10;/' "$tmp/cm.rmt" \
	> "$tmp/cm2.rmt"
ktap_expect "diff keeps an identical context map" 0 "= ctxmap counts" \
	R policy diff "$tmp/cm2.rmt"
ktap_expect "apply keeps it" 0 "committed" R policy apply "$tmp/cm2.rmt"
ktap_expect "and its state: the count goes on (3, times 10)" 0 "r0 30" \
	R table test tc ctx 0,3

# ---------------------------------------------------------------------
# tables compare by their entries, as the store keeps them
# ---------------------------------------------------------------------

cat > "$tmp/tern.rmt" <<'EOF'
action one at test -> s64 { return 1; }
action two at test -> s64 { return 2; }
table tt at test {
	key f2 : ternary;
	size 8;
	entry { f2 = 0xff & 0x0f } priority 3 -> two;
}
EOF
ktap_expect "a ternary table is applied" 0 "+ table tt" R policy apply "$tmp/tern.rmt"
ktap_expect "the store masks the key (0xff & 0x0f), and it still compares equal" 0 \
	"policy unchanged" R policy apply "$tmp/tern.rmt"
sed 's/priority 3/priority 4/' "$tmp/tern.rmt" > "$tmp/tern2.rmt"
ktap_expect "an entry's priority is part of the table" 0 "~ table tt: entries differ" \
	R policy diff "$tmp/tern2.rmt"
sed 's/-> two;/-> one;/' "$tmp/tern.rmt" > "$tmp/tern3.rmt"
ktap_expect "so is an entry's action" 0 "~ table tt: entries differ" \
	R policy diff "$tmp/tern3.rmt"
ktap_expect "an unchanged action of a changed table is rebuilt with it" 0 \
	"~ prog two: rebuilt with the policy's changed objects" R policy diff "$tmp/tern3.rmt"
ktap_expect "applying it runs the new action" 0 "r0 1" sh -c \
	"'$rmtctl' -e -S '$st' policy apply '$tmp/tern3.rmt' > /dev/null &&
	 '$rmtctl' -e -S '$st' table test tt ctx 0,0,0x1f"

ktap_expect "apply -j of an unchanged policy commits nothing" 0 '"operations":0}' \
	R -j policy apply "$tmp/cm2.rmt"
ktap_expect "apply -j reports the commit" 0 '"generation":' \
	R -j policy apply "$tmp/cm.rmt"

ktap_end
