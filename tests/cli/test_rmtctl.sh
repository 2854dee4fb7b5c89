#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rmtctl's embedded backend as a user meets it: exit codes, located
# diagnostics, JSON output and errors, prefix matching, bad input that
# changes nothing, and the assembler/disassembler round trip.  KTAP.
#
# usage: tests/cli/test_rmtctl.sh [BUILD_DIR]
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
rmtctl=$build/rmtctl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/ktap.sh"


mlp=$top/examples/mlp-15-32-32-2.rasm
echo "KTAP version 1"

ktap_expect "verify accepts the example MLP" 0 "ok, 1 program verified" \
	"$rmtctl" prog verify "$mlp"
ktap_expect "prefixes: 'p v' is 'prog verify'" 0 "ok, 1 program verified" \
	"$rmtctl" p v "$mlp"
ktap_expect "run prints the verdict and outputs" 0 "r0 1" "$rmtctl" prog run "$mlp"
"$rmtctl" prog run "$mlp" > "$tmp/default.out"
"$rmtctl" prog run "$mlp" --ctx 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 > "$tmp/zero.out"
! cmp -s "$tmp/default.out" "$tmp/zero.out"
ktap_ok "--ctx overrides the input" $?

cat > "$tmp/bad.rasm" <<'ASM'
	movi r1, 5
	add r0, r1
	exit
ASM
ktap_expect "verify rejects with exit 1 and a located message" 1 \
	"bad.rasm:2: error: insn 1: read of uninitialised register r0" \
	"$rmtctl" prog verify "$tmp/bad.rasm"
ktap_expect "the rejection carries a hint" 1 \
	"hint: write the register on every path before reading it" \
	"$rmtctl" prog verify "$tmp/bad.rasm"
ktap_expect "-j: the rejection is JSON" 1 \
	'{"error":{"file":' "$rmtctl" -j prog verify "$tmp/bad.rasm"
ktap_expect "-j: the rejection names the error code" 1 '"code":"UNINIT_REG"' \
	"$rmtctl" -j prog verify "$tmp/bad.rasm"

printf '\tmovi r0, 0\n\tfrobnicate r1\n\texit\n' > "$tmp/syntax.rasm"
ktap_expect "assembler errors give file:line:col" 1 \
	"syntax.rasm:2:2: error: unknown instruction 'frobnicate'" \
	"$rmtctl" prog verify "$tmp/syntax.rasm"
ktap_expect "a missing file is a system error (exit 3)" 3 "cannot read" \
	"$rmtctl" prog verify "$tmp/none.rasm"
ktap_expect "an unknown command is a usage error (exit 2)" 2 \
	"unknown command 'frob' for prog" "$rmtctl" prog frob
ktap_expect "-j: usage errors are JSON" 2 '{"error":"unknown object' \
	"$rmtctl" -j frob
# header (magic, version 1, one record), then a record claiming 64 bytes
printf 'RTMI\001\000\001\000\001\000\000\000\100\000\000\000' > "$tmp/junk.img"
ktap_expect "a truncated image is refused with the core's reason" 1 \
	"junk.img: error: record 0: truncated or malformed record" \
	"$rmtctl" prog verify "$tmp/junk.img"

# asm -> image -> disasm -> asm gives the same image.
"$rmtctl" prog asm "$mlp" -o "$tmp/a.img"
ktap_ok "asm writes an image" $?
"$rmtctl" prog disasm "$tmp/a.img" > "$tmp/a.rasm"
ktap_ok "disasm reads the image" $?
"$rmtctl" prog run "$tmp/a.img" > "$tmp/img.out"
"$rmtctl" prog run "$mlp" > "$tmp/src.out"
cmp -s "$tmp/img.out" "$tmp/src.out"
ktap_ok "the image runs like its source" $?
grep -v '^\.prog' "$tmp/a.rasm" | sed 's/;.*//' > "$tmp/b.rasm"
"$rmtctl" prog disasm "$tmp/b.rasm" 2>&1 | sed 's/;.*//' | grep -v '^\.prog' > "$tmp/c.rasm"
cmp -s "$tmp/b.rasm" "$tmp/c.rasm"
ktap_ok "disassembly reassembles to the same instructions" $?
"$rmtctl" -j prog disasm "$mlp" | grep -q '"insns":\["vld 0, 1, 0, 15"'
ktap_ok "-j disasm lists instructions" $?

# hook show: each hook point's verdict and the kernel's fallback, in the
# words of its kernel site (hooks/*.c); where it is attached with -s.
TAB=$(printf '\t')
ktap_expect "hook show: the readahead verdict" 0 \
	"${TAB}verdict DEFAULT, or N: read swap offsets ra0..raN-1 ahead (N <= 32)" \
	"$rmtctl" -e hook show swap_cluster_readahead
ktap_expect "hook show: the readahead fallback" 0 \
	"${TAB}fallback the kernel's cluster readahead (1 << page_cluster pages)" \
	"$rmtctl" -e hook show swap_cluster_readahead
ktap_expect "hook show: the migration verdict" 0 \
	"${TAB}verdict ALLOW (1), DENY (0), or DEFAULT (-1): CFS's answer" \
	"$rmtctl" -e hook show can_migrate_task
ktap_expect "hook show: the test hook's fallback" 0 \
	"${TAB}fallback none: the test hook has no kernel site" \
	"$rmtctl" -e hook show test
"$rmtctl" -e hook show > "$tmp/hooks.txt" 2>&1
nh=$(grep -c '^[a-z]' "$tmp/hooks.txt")
[ "$nh" -ge 4 ] &&
	[ "$(grep -c "^${TAB}verdict [^ ]" "$tmp/hooks.txt")" -eq "$nh" ] &&
	[ "$(grep -c "^${TAB}fallback [^ ]" "$tmp/hooks.txt")" -eq "$nh" ] &&
	[ "$(grep -c "^${TAB}fields [^ ]* writable 0x" "$tmp/hooks.txt")" -eq "$nh" ] &&
	! grep -qE "^${TAB}(attached|status|stats) " "$tmp/hooks.txt"
ktap_ok "hook show: every hook has a verdict, a fallback and fields; no -s lines" $?
for f in "$top"/hooks/*.c; do
	# hook points only: the benchmark's probe site is not one
	[ "$(basename "$f")" = bench.c ] && continue
	sed -n 's/^[[:space:]]*\.\(verdict\|fallback\) = "\(.*\)",$/\1 \2/p' "$f"
done > "$tmp/site.txt"
while IFS= read -r l; do
	grep -qxF "${TAB}$l" "$tmp/hooks.txt" || echo "# hooks/ says, hook show lacks: $l"
done < "$tmp/site.txt" > "$tmp/site.diag"
[ -s "$tmp/site.txt" ] || echo "# no .verdict or .fallback found in hooks/*.c" >> "$tmp/site.diag"
[ ! -s "$tmp/site.diag" ]
ktap_ok "hook show: verdicts and fallbacks are those of the kernel sites" $?
cat "$tmp/site.diag"
ktap_expect "hook show -j: verdict and fallback" 0 \
	'"verdict":"ignored: actions observe (context maps)","fallback":"the kernel'"'"'s lookup, unchanged"' \
	"$rmtctl" -e -j hook show lookup_swap_cache
"$rmtctl" -e -j hook show > "$tmp/hooks.json" 2>&1
[ "$(grep -o '"verdict":"[^"]' "$tmp/hooks.json" | wc -l)" -eq "$nh" ] &&
	[ "$(grep -o '"fallback":"[^"]' "$tmp/hooks.json" | wc -l)" -eq "$nh" ] &&
	! grep -qE '"(attached|status|stats)":' "$tmp/hooks.json"
ktap_ok "hook show -j: every hook has verdict and fallback; no -s keys" $?
ktap_expect "hook show -s: the embedded backend has no kernel hooks" 0 \
	"${TAB}status embedded backend: no kernel hooks" \
	"$rmtctl" -e -s hook show can_migrate_task
ktap_expect "hook show -s -j: attachment, status and no counters" 0 \
	'"attached":null,"status":"embedded backend: no kernel hooks","stats":null}' \
	"$rmtctl" -e -s -j hook show swap_cluster_readahead

ktap_end
