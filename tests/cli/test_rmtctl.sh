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

expect() {	# expect DESCRIPTION WANT_STATUS WANT_SUBSTRING COMMAND...
	desc=$1 want=$2 sub=$3
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$sub"; then
		ktap_ok "$desc" 0
	else
		ktap_ok "$desc" 1
		echo "# exit $got (want $want); output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

mlp=$top/examples/mlp-15-32-32-2.rasm
echo "KTAP version 1"

expect "verify accepts the example MLP" 0 "ok, 1 program verified" \
	"$rmtctl" prog verify "$mlp"
expect "prefixes: 'p v' is 'prog verify'" 0 "ok, 1 program verified" \
	"$rmtctl" p v "$mlp"
expect "run prints the verdict and outputs" 0 "r0 1" "$rmtctl" prog run "$mlp"
"$rmtctl" prog run "$mlp" > "$tmp/default.out"
"$rmtctl" prog run "$mlp" --ctx 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 > "$tmp/zero.out"
! cmp -s "$tmp/default.out" "$tmp/zero.out"
ktap_ok "--ctx overrides the input" $?

cat > "$tmp/bad.rasm" <<'ASM'
	movi r1, 5
	add r0, r1
	exit
ASM
expect "verify rejects with exit 1 and a located message" 1 \
	"bad.rasm:2: error: insn 1: read of uninitialised register r0" \
	"$rmtctl" prog verify "$tmp/bad.rasm"
expect "the rejection carries a hint" 1 \
	"hint: write the register on every path before reading it" \
	"$rmtctl" prog verify "$tmp/bad.rasm"
expect "-j: the rejection is JSON" 1 \
	'{"error":{"file":' "$rmtctl" -j prog verify "$tmp/bad.rasm"
expect "-j: the rejection names the error code" 1 '"code":"UNINIT_REG"' \
	"$rmtctl" -j prog verify "$tmp/bad.rasm"

printf '\tmovi r0, 0\n\tfrobnicate r1\n\texit\n' > "$tmp/syntax.rasm"
expect "assembler errors give file:line:col" 1 \
	"syntax.rasm:2:2: error: unknown instruction 'frobnicate'" \
	"$rmtctl" prog verify "$tmp/syntax.rasm"
expect "a missing file is a system error (exit 3)" 3 "cannot read" \
	"$rmtctl" prog verify "$tmp/none.rasm"
expect "an unknown command is a usage error (exit 2)" 2 \
	"unknown command 'frob' for prog" "$rmtctl" prog frob
expect "-j: usage errors are JSON" 2 '{"error":"unknown object' \
	"$rmtctl" -j frob
# header (magic, version 1, one record), then a record claiming 64 bytes
printf 'RTMI\001\000\001\000\001\000\000\000\100\000\000\000' > "$tmp/junk.img"
expect "a truncated image is refused with the core's reason" 1 \
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

ktap_end
