#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rmtctl's embedded backend as a user meets it: exit codes, located
# diagnostics, JSON output and errors, prefix matching, bad input that
# changes nothing, the assembler/disassembler round trip, and the JIT's
# tiers (prog load ... jit, prog show, prog dump).  KTAP.
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

# ---- JIT tiers: prog load ... jit TIER, prog show, prog dump ----
st=$tmp/jit.state
E() { "$rmtctl" -e -S "$st" "$@"; }
cat > "$tmp/ret7.rasm" <<'ASM'
.hook test
	movi r0, 7
	exit
ASM
E prog load "$tmp/ret7.rasm" name r_auto > /dev/null 2>&1
ktap_expect "jit scalar: loads" 0 "prog r_scalar handle" \
	"$rmtctl" -e -S "$st" prog load "$tmp/ret7.rasm" name r_scalar jit scalar
ktap_expect "prog show: a forced tier and why" 0 \
	"jit scalar jit_reason forced" "$rmtctl" -e -S "$st" prog show r_scalar
ktap_expect "prog show: auto chooses scalar code without matrix work" 0 \
	"jit scalar jit_reason auto: no matrix work, scalar code" \
	"$rmtctl" -e -S "$st" prog show r_auto
ktap_expect "prog show -j: jit and jit_reason" 0 '"jit":"scalar","jit_reason":"forced"}' \
	"$rmtctl" -e -S "$st" -j prog show r_scalar
ktap_expect "dump jited: the prologue starts with endbr64" 0 "endbr64" \
	"$rmtctl" -e -S "$st" prog dump jited r_scalar
E prog dump jited r_scalar > "$tmp/dump.txt" 2>&1
sed -n 1p "$tmp/dump.txt" | grep -qx 'prologue:' &&
	grep -qx '0: movi r0, 7' "$tmp/dump.txt" && grep -qx '1: exit' "$tmp/dump.txt" &&
	grep -qx 'epilogue:' "$tmp/dump.txt" &&
	grep -qE '^ +[0-9a-f]+:  (b8 07 00 00 00|48 c7 c0 07 00 00 00) +mov (eax|rax), 7$' "$tmp/dump.txt" &&
	grep -qE '^ +[0-9a-f]+:  c3 +ret$' "$tmp/dump.txt" &&
	! grep -qE '\((bad|unknown)' "$tmp/dump.txt"
ktap_ok "dump jited: prologue, one header per instruction with its x86 code, epilogue" $? "$tmp/dump.txt"
ktap_expect "dump xlated: the instructions" 0 "1: exit" \
	"$rmtctl" -e -S "$st" prog dump xlated r_scalar

# The JSON groups cover the image: contiguous, in order, every instruction.
E -j prog dump jited r_scalar > "$tmp/dump.json" 2>&1
python3 - "$tmp/dump.json" > "$tmp/dump.diag" 2>&1 <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
assert [x["insn"] for x in g] == [None, 0, 1, None], [x["insn"] for x in g]
assert [g[0]["rmt"], g[-1]["rmt"]] == ["prologue", "epilogue"]
assert g[0]["x86"][0]["asm"] == "endbr64" and g[0]["x86"][0]["off"] == 0
off = 0
for grp in g:
    for x in grp["x86"]:
        assert x["off"] == off, (x, off)
        off += len(x["bytes"].split())
assert g[-1]["x86"][-1]["asm"] in ("int3", "ret")
PY
ktap_ok "dump jited -j: valid JSON, groups in order covering the code" $? "$tmp/dump.diag"
E -j prog dump xlated r_scalar | python3 -m json.tool > /dev/null 2>&1
ktap_ok "dump xlated -j: valid JSON" $?

E prog load "$tmp/ret7.rasm" name r_interp jit interp > /dev/null 2>&1
ktap_expect "jit interp: prog show says so" 0 "jit interp jit_reason forced" \
	"$rmtctl" -e -S "$st" prog show r_interp
ktap_expect "jit interp: dump jited has nothing to dump" 1 \
	"program r_interp is interpreted (tier interp): nothing to dump" \
	"$rmtctl" -e -S "$st" prog dump jited r_interp
ktap_expect "jit interp: -j error names ENODATA and the attribute" 1 \
	'{"error":"program r_interp is interpreted (tier interp): nothing to dump","errno":61,"attribute":"3/15"}' \
	"$rmtctl" -e -S "$st" -j prog dump jited r_interp
ktap_expect "dump jited of an unknown program" 1 "no such object" \
	"$rmtctl" -e -S "$st" prog dump jited nosuch
ktap_expect "dump needs jited or xlated" 2 "usage: prog dump jited|xlated NAME" \
	"$rmtctl" -e -S "$st" prog dump r_scalar

# Refusals change nothing: the state journal and every program as shown.
snap() { cp "$st" "$tmp/state.$1"; E -j prog show > "$tmp/show.$1" 2>&1; }
same() { cmp -s "$tmp/state.$1" "$tmp/state.$2" && cmp -s "$tmp/show.$1" "$tmp/show.$2"; }
snap before
ktap_expect "a bad tier name is a usage error naming the tiers" 2 \
	"jit: unknown tier 'avx9'; use auto, interp, scalar, avx2, avx512 or amx" \
	"$rmtctl" -e -S "$st" prog load "$tmp/ret7.rasm" name r_bad jit avx9
snap after
same before after
ktap_ok "a bad tier name changes nothing" $?
ktap_expect "RMT_CPU_MASK=0: forcing avx512 is refused with the JIT's reason" 1 \
	"JIT tier avx512 is not available on this CPU or build" \
	env RMT_CPU_MASK=0 "$rmtctl" -e -S "$st" prog load "$tmp/ret7.rasm" name r_z jit avx512
ktap_expect "RMT_CPU_MASK=0: the refusal blames RMT_A_PROG_JIT" 1 \
	'"errno":95,"attribute":"3/13"' \
	env RMT_CPU_MASK=0 "$rmtctl" -e -S "$st" -j prog load "$tmp/ret7.rasm" name r_y jit avx2
snap after
same before after
ktap_ok "refused tiers change nothing" $?
printf 'prog load %s name b1 jit scalar\nprog load %s name b2 jit avx2\n' \
	"$tmp/ret7.rasm" "$tmp/ret7.rasm" > "$tmp/jit.batch"
ktap_expect "a batch with a refused tier names the op" 1 "op 1: JIT tier avx2 is not available" \
	env RMT_CPU_MASK=0 "$rmtctl" -e -S "$st" batch -f "$tmp/jit.batch"
snap after
same before after
ktap_ok "the refused batch changes nothing" $?
ktap_expect "jit amx is refused where the CPU lacks AMX" 1 "JIT tier amx is not available" \
	env RMT_CPU_MASK=3 "$rmtctl" -e -S "$st" prog load "$tmp/ret7.rasm" name r_amx jit amx

# The MLP: every tier this CPU runs gives the interpreter's verdict.
E model load "$mlp" name mlpw > /dev/null 2>&1
tiers="interp scalar"
grep -q avx2 /proc/cpuinfo && tiers="$tiers avx2"
if grep -q avx512_vnni /proc/cpuinfo; then
	tiers="$tiers avx512"
	ktap_expect "jit avx512: loads on this CPU (AVX-512 VNNI)" 0 "prog m_avx512 handle" \
		"$rmtctl" -e -S "$st" prog load "$mlp" name m_avx512 model mlpw jit avx512
	ktap_expect "jit avx512: prog show reports it" 0 "jit avx512 jit_reason forced" \
		"$rmtctl" -e -S "$st" prog show m_avx512
	E prog dump jited m_avx512 > "$tmp/z.txt" 2>&1
	grep -qE ' vpdpbusd zmm[0-9]+, zmm[0-9]+, ' "$tmp/z.txt" &&
		grep -qx '1: matmul 16, 0, 0' "$tmp/z.txt" &&
		! grep -qE '\((bad|unknown)' "$tmp/z.txt"
	ktap_ok "jit avx512: the dump shows vpdpbusd under the matmul, nothing undecoded" $? "$tmp/z.txt"
else
	ktap_expect "jit avx512: refused on this CPU (no AVX-512 VNNI)" 1 \
		"JIT tier avx512 is not available on this CPU or build" \
		"$rmtctl" -e -S "$st" prog load "$mlp" name m_avx512 model mlpw jit avx512
	ktap_skip "jit avx512: prog show reports it" "no AVX-512 VNNI"
	ktap_skip "jit avx512: the dump shows vpdpbusd under the matmul" "no AVX-512 VNNI"
fi
ok=0
for t in $tiers; do
	[ "$t" = avx512 ] || E prog load "$mlp" name "m_$t" model mlpw jit "$t" > /dev/null 2>&1
	E prog test "m_$t" ctx 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 |
		grep -v '^insns' > "$tmp/run.$t" 2>&1
	cmp -s "$tmp/run.interp" "$tmp/run.$t" || { ok=1; echo "# tier $t differs"; }
done
ktap_ok "the MLP gives the interpreter's verdict in every tier ($tiers)" $ok
Z() { RMT_CPU_MASK=0 "$rmtctl" -e -S "$tmp/nosimd.state" "$@"; }
Z model load "$mlp" name w > /dev/null 2>&1
Z prog load "$mlp" name m model w > /dev/null 2>&1
ktap_expect "RMT_CPU_MASK=0: auto says there is no SIMD to use" 0 \
	"jit scalar jit_reason auto: no AVX2 or AVX-512 VNNI on this CPU" \
	env RMT_CPU_MASK=0 "$rmtctl" -e -S "$tmp/nosimd.state" prog show m
ktap_end
