#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rmtctl's documentation against the tool itself, in both directions:
#
#  - every object of "rmtctl help" has a subsection in the man page
#    (ctl/rmtctl.8) and is completed by ctl/rmtctl.bash-completion;
#  - every command of "rmtctl OBJECT help" is documented under its object
#    with the keywords (and literal values) of its usage string, and the
#    completion offers the command, those keywords and those values;
#  - nothing the man page documents or the completion offers (objects,
#    commands, keywords, options) is missing from the tool;
#  - every command of the control-plane ABI (enum rmt_cmd in
#    uapi/linux/rmt.h) is reachable from a command of the tool;
#  - every JSON field the tool prints (each show command, the prog
#    commands, write results, errors) is documented under JSON OUTPUT with
#    its type, and every documented field is printed (but those
#    documented "on failure", and those "rmt.ko only": this test runs the
#    embedded backend; tests/ctl/guest.sh checks rmt.ko's hook counters).
#
# The completion is driven through bash, as bash would call it.  KTAP.
#
# usage: tests/cli/test_docs_drift.sh [BUILD_DIR]
# RMTCTL_MAN, RMTCTL_COMPLETION and RMT_UAPI name other files to check
# than ctl/rmtctl.8, ctl/rmtctl.bash-completion and uapi/linux/rmt.h.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
rmtctl=$build/rmtctl
man=${RMTCTL_MAN:-$top/ctl/rmtctl.8}
comp=${RMTCTL_COMPLETION:-$top/ctl/rmtctl.bash-completion}
uapi=${RMT_UAPI:-$top/uapi/linux/rmt.h}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/ktap.sh"

echo "KTAP version 1"
for f in "$rmtctl" "$man" "$comp" "$uapi"; do
	if [ ! -r "$f" ]; then
		echo "Bail out! $f is missing"
		exit 1
	fi
done

# diff_sets WANT GOT DIAG: 0 if the sorted sets are equal; else say how
diff_sets() {
	comm -23 "$1" "$2" | sed 's/^/missing: /' > "$3"
	comm -13 "$1" "$2" | sed 's/^/extra: /' >> "$3"
	[ ! -s "$3" ]
}

# ---------------------------------------------------------------------
# The tool: objects, options, commands and their usage strings
# ---------------------------------------------------------------------

"$rmtctl" help > "$tmp/help" 2>&1
sed -n 's/^OBJECT := {\(.*\)}$/\1/p' "$tmp/help" | tr -s ' |' '\n\n' |
	sed '/^$/d' > "$tmp/objects"
tr '\n' ' ' < "$tmp/help" | sed -n 's/.*OPTIONS := {\([^}]*\)}.*/\1/p' |
	tr -s ' |' '\n\n' | grep '^-' | sort -u > "$tmp/options"
: > "$tmp/cmds"		# OBJECT<TAB>COMMAND<TAB>USAGE
while read -r o; do
	"$rmtctl" "$o" help 2>&1 |
		sed -n "s/^  rmtctl $o \\([^ ]*\\) \\{0,1\\}\\(.*\\)$/$o	\\1	\\2/p" \
		>> "$tmp/cmds"
done < "$tmp/objects"
cut -f1,2 "$tmp/cmds" | tr '\t' ' ' | sort -u > "$tmp/cmdnames"

[ -s "$tmp/objects" ] && [ -s "$tmp/cmds" ]
ktap_ok "rmtctl help lists objects and each object's help lists commands" $? "$tmp/help"

# words USAGE: its keywords ("k WORD") and literal values ("v KEYWORD VALUE");
# alternatives before any keyword are keywords ("prog dump jited|xlated NAME")
words() {
	printf '%s\n' "$1" | awk '{
		gsub(/[][{}]/, " ")
		for (i = 1; i <= NF; i++) {
			w = $i
			if (w == "|")
				continue
			if (w ~ /\|/) {
				m = split(w, alt, "|")
				for (j = 1; j <= m; j++)
					if (alt[j] ~ /^(-|-?-?[a-z][a-z0-9_]*)$/)
						print (kw == "" ? "k " : "v " kw " ") alt[j]
				continue
			}
			if (w ~ /^-?-?[a-z][a-z0-9_]*$/) {
				print "k " w
				kw = w
			}
		}
	}' | sort -u
}

# ---------------------------------------------------------------------
# The man page: .SH/.SS structure and the tag line of every .TP
# ---------------------------------------------------------------------

# Lines SECTION<TAB>SUBSECTION<TAB>TEXT, TEXT without fonts and escapes;
# a subsection's own line has TEXT ".SS".
awk '
function norm(s) {
	gsub(/\\f\[[^]]*\]/, "", s)
	gsub(/\\f\(../, "", s)
	gsub(/\\f./, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\\(bv/, "|", s)
	gsub(/\\\(em/, "--", s)
	gsub(/\\[&%|^c]/, "", s)
	gsub(/\\e/, "\\", s)
	return s
}
function args(s, a,    n, i, c, cur, q, any) {
	n = 0; cur = ""; q = 0; any = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\"") { q = !q; any = 1; continue }
		if (!q && (c == " " || c == "\t")) {
			if (any) { a[++n] = cur; cur = ""; any = 0 }
			continue
		}
		cur = cur c; any = 1
	}
	if (any) a[++n] = cur
	return n
}
function text(line,    m, k, a, i, out, sep) {
	if (line !~ /^\./)
		return norm(line)
	m = line; sub(/[ \t].*/, "", m); m = substr(m, 2)
	sub(/^\.[^ \t]*[ \t]*/, "", line)
	k = args(line, a)
	if (m == "B" || m == "I" || m == "SH" || m == "SS")
		sep = " "
	else if (m ~ /^(BR|RB|BI|IB|IR|RI)$/)
		sep = ""
	else
		return ""
	out = ""
	for (i = 1; i <= k; i++)
		out = out (i > 1 ? sep : "") a[i]
	return norm(out)
}
/^\.SH/ { sec = text($0); sub_ = ""; next }
/^\.SS/ { sub_ = text($0); print sec "\t" sub_ "\t.SS"; next }
/^\.TP/ { tag = 1; next }
tag { tag = 0; print sec "\t" sub_ "\t" text($0) }
' "$man" > "$tmp/man"

# man_tags SECTION [SUBSECTION]: the tag lines there
man_tags() {
	awk -F '\t' -v s="$1" -v ss="${2-}" -v any="${2+x}" \
		'$1 == s && (any == "" || $2 == ss) && $3 != ".SS" { print $3 }' "$tmp/man"
}

# man_subsections SECTION
man_subsections() {
	awk -F '\t' -v s="$1" '$1 == s && $3 == ".SS" { print $2 }' "$tmp/man"
}

objsec="OBJECTS AND COMMANDS"
jsonsec="JSON OUTPUT"

# ---------------------------------------------------------------------
# The completion, called by bash as bash calls it
# ---------------------------------------------------------------------

# Each query: ID<TAB>CURRENT WORD ("@" for empty)<TAB>WORDS BEFORE IT;
# "rmtctl" as the first word is the tool under test.  Answer:
# ID<TAB>COMPREPLY.  Run where there are no files to offer.
cat > "$tmp/driver.bash" <<'EOF'
. "$1" >/dev/null 2>&1 || { echo "cannot source $1" >&2; exit 1; }
fn=$(complete -p rmtctl 2>/dev/null | sed -n 's/.*-F \([^ ]*\).*/\1/p')
[[ -n $fn ]] || { echo "no completion function for rmtctl" >&2; exit 1; }
while IFS=$'\t' read -r id cur words; do
	read -ra w <<< "$words"
	w[0]=$RMTCTL_TOOL
	[[ $cur == @ ]] && cur=
	COMP_WORDS=("${w[@]}" "$cur")
	COMP_CWORD=${#w[@]}
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" rmtctl "$cur" "${w[-1]}" < /dev/null > /dev/null 2>&1
	printf '%s\t%s\n' "$id" "${COMPREPLY[*]}"
done
EOF

have_bash=0
command -v bash > /dev/null 2>&1 && have_bash=1

# Hooks are the one kind of object that exists without state; their
# names are values the completion may offer anywhere a NAME goes (each
# starts a line; the indented lines below it describe it).
"$rmtctl" -e hook show 2>/dev/null | awk '/^[^[:space:]]/ { print $1 }' |
	sort -u > "$tmp/dynamic"

{
	printf 'objects\t@\trmtctl -e\n'
	printf 'options\t-\trmtctl\n'
	while read -r o; do
		printf 'cmds %s\t@\trmtctl -e %s\n' "$o" "$o"
	done < "$tmp/objects"
	while IFS='	' read -r o c u; do
		printf 'k0 %s %s\t@\trmtctl -e %s %s\n' "$o" "$c" "$o" "$c"
		printf 'k1 %s %s\t@\trmtctl -e %s %s x1\n' "$o" "$c" "$o" "$c"
		first=$(printf '%s\n' "$u" | awk '{ print $1 }')
		case $first in
		[A-Z]*) pre=x1 ;;
		*) pre= ;;
		esac
		words "$u" | awk '$1 == "v" { print $2 }' | sort -u |
		while read -r kw; do
			printf 'v %s %s %s\t@\trmtctl -e %s %s %s %s\n' \
				"$o" "$c" "$kw" "$o" "$c" "$pre" "$kw"
		done
	done < "$tmp/cmds"
} > "$tmp/queries"

mkdir "$tmp/empty"
if [ $have_bash -eq 1 ]; then
	(cd "$tmp/empty" && RMTCTL_TOOL=$rmtctl bash "$tmp/driver.bash" "$comp") \
		< "$tmp/queries" > "$tmp/answers" 2> "$tmp/driver.err"
else
	: > "$tmp/answers"
fi

# answer ID: the words offered, one a line
answer() {
	awk -F '\t' -v id="$1" '$1 == id { print $2 }' "$tmp/answers" |
		tr ' ' '\n' | sed '/^$/d' | sort -u
}

# ---------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------

man_subsections "$objsec" | awk '{ print $1 }' | sort -u > "$tmp/man.objects"
answer objects | grep -vx help > "$tmp/comp.objects"
sort -u "$tmp/objects" > "$tmp/objects.sorted"

while read -r o; do
	grep -qx "$o" "$tmp/man.objects"
	ktap_ok "man page: object $o has a subsection under $objsec" $?
	if [ $have_bash -eq 0 ]; then
		ktap_skip "completion: offers object $o" "bash not installed"
		continue
	fi
	grep -qx "$o" "$tmp/comp.objects"
	ktap_ok "completion: offers object $o" $? "$tmp/driver.err"
done < "$tmp/objects"

# ---------------------------------------------------------------------
# Commands and their keywords
# ---------------------------------------------------------------------

while IFS='	' read -r o c u; do
	words "$u" > "$tmp/want"
	man_tags "$objsec" "$o" | awk -v oc="$o $c" \
		'$0 == oc || substr($0, 1, length(oc) + 1) == oc " "' > "$tmp/lines"
	if [ "$(wc -l < "$tmp/lines")" -ne 1 ]; then
		echo "want one '$o $c' tag line in subsection $o, found:" > "$tmp/diag"
		cat "$tmp/lines" >> "$tmp/diag"
		ktap_ok "man page: $o $c is documented with its keywords" 1 "$tmp/diag"
	else
		line=$(cat "$tmp/lines")
		words "${line#"$o $c"}" > "$tmp/got"
		diff_sets "$tmp/want" "$tmp/got" "$tmp/diag"
		st=$?
		{ echo "usage:     $o $c $u"; echo "man page:  $line"; } >> "$tmp/diag"
		ktap_ok "man page: $o $c is documented with its keywords" $st "$tmp/diag"
	fi

	if [ $have_bash -eq 0 ]; then
		ktap_skip "completion: $o $c with its keywords" "bash not installed"
		continue
	fi
	{
		answer "cmds $o" | grep -qx "$c" && echo "k $c"
		{ answer "k0 $o $c"; answer "k1 $o $c"; } | sort -u |
			comm -23 - "$tmp/dynamic" | sed 's/^/k /'
		awk '$1 == "v" { print $2 }' "$tmp/want" | sort -u |
		while read -r kw; do
			answer "v $o $c $kw" | comm -23 - "$tmp/dynamic" |
				sed "s/^/v $kw /"
		done
	} | sort -u > "$tmp/got"
	{ echo "k $c"; cat "$tmp/want"; } | sort -u > "$tmp/want.c"
	diff_sets "$tmp/want.c" "$tmp/got" "$tmp/diag"
	st=$?
	echo "usage: $o $c $u" >> "$tmp/diag"
	ktap_ok "completion: $o $c with its keywords" $st "$tmp/diag"
done < "$tmp/cmds"

# ---------------------------------------------------------------------
# The reverse: nothing documented or completed that the tool lacks
# ---------------------------------------------------------------------

comm -13 "$tmp/objects.sorted" "$tmp/man.objects" | sed 's/^/not an object: /' > "$tmp/diag"
man_tags "$objsec" | awk '{ print $1 " " $2 }' | sort -u |
	comm -13 "$tmp/cmdnames" - | sed 's/^/not a command: /' >> "$tmp/diag"
awk -F '\t' -v s="$objsec" '$1 == s && $3 != ".SS" {
	split($3, w, " "); split($2, ss, " ")
	if (w[1] != ss[1]) print "under subsection " $2 ": " $3
}' "$tmp/man" >> "$tmp/diag"
[ ! -s "$tmp/diag" ]
ktap_ok "man page: every object and command it documents exists in the tool" $? "$tmp/diag"

if [ $have_bash -eq 1 ]; then
	comm -13 "$tmp/objects.sorted" "$tmp/comp.objects" | sed 's/^/not an object: /' > "$tmp/diag"
	while read -r o; do
		answer "cmds $o" | grep -vx help | sed "s/^/$o /"
	done < "$tmp/objects" | sort -u | comm -13 "$tmp/cmdnames" - |
		sed 's/^/not a command: /' >> "$tmp/diag"
	[ ! -s "$tmp/diag" ]
	ktap_ok "completion: every object and command it offers exists in the tool" $? "$tmp/diag"
else
	ktap_skip "completion: every object and command it offers exists in the tool" "bash not installed"
fi

# ---------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------

man_tags OPTIONS | tr ' ,' '\n\n' | grep '^-' | sort -u > "$tmp/man.options"
answer options > "$tmp/comp.options"
{
	comm -23 "$tmp/options" "$tmp/man.options" | sed 's/^/not in the man page: /'
	[ $have_bash -eq 1 ] &&
		comm -23 "$tmp/options" "$tmp/comp.options" | sed 's/^/not completed: /'
} > "$tmp/diag"
[ -s "$tmp/options" ] && [ ! -s "$tmp/diag" ]
ktap_ok "options: every option of rmtctl help is documented and completed" $? "$tmp/diag"
{
	comm -13 "$tmp/options" "$tmp/man.options" | sed 's/^/man page only: /'
	comm -13 "$tmp/options" "$tmp/comp.options" | sed 's/^/completion only: /'
} > "$tmp/diag"
[ ! -s "$tmp/diag" ]
ktap_ok "options: every option documented or completed exists in the tool" $? "$tmp/diag"

# ---------------------------------------------------------------------
# The control-plane ABI: every RMT_CMD_* reachable from a command
# ---------------------------------------------------------------------

sed -n '/^enum rmt_cmd {/,/^};/p' "$uapi" |
	sed -n 's/^[[:space:]]*RMT_CMD_\([A-Z0-9_]*\).*/\1/p' |
	grep -vx UNSPEC > "$tmp/uapi.cmds"
[ -s "$tmp/uapi.cmds" ]
ktap_ok "uapi: enum rmt_cmd lists commands" $?

# has OBJECT [COMMAND...]: the tool has OBJECT, with one of the COMMANDs
has() {
	o=$1
	shift
	[ $# -eq 0 ] && { grep -qx "$o" "$tmp/objects"; return; }
	for c in "$@"; do
		grep -qx "$o $c" "$tmp/cmdnames" && return 0
	done
	return 1
}

while read -r k; do
	kind=$(echo "${k%_*}" | tr 'A-Z' 'a-z')
	case $k in
	TEST_RUN) want="prog test"; has prog test ;;
	BATCH) want="batch"; has batch ;;
	COMMIT) want="monitor"; has monitor ;;
	TRIP) want="monitor"; has monitor ;;
	ERROR) want="table add (refusals are reported in these words)"
		has table add ;;
	*_NEW) want="$kind add|load"; has "$kind" add load ;;
	*_DEL) want="$kind del"; has "$kind" del ;;
	*_GET) want="$kind show"; has "$kind" show ;;
	*) want="a command this test knows for it"; false ;;
	esac
	ktap_ok "uapi: RMT_CMD_$k is reachable with rmtctl $want" $?
done < "$tmp/uapi.cmds"

# ---------------------------------------------------------------------
# JSON output: every field printed is documented, with its type
# ---------------------------------------------------------------------

j=$tmp/json
mkdir "$j"
st=$j/state
R() { "$rmtctl" -p -s -e -S "$st" "$@" 2>> "$j/setup.err"; }
cat > "$j/act.rasm" <<'EOF'
.hook test
.prog act
	movi r0, 1
	exit
EOF
cat > "$j/w.rasm" <<'EOF'
.hook test
.prog w
	ldf r1, f0
	addi r1, 1
	stf f1, r1
	movi r0, 0
	exit
EOF
cat > "$j/model.rasm" <<'EOF'
.hook test
.tensor W i8 2x2
	1, 2
	3, 4
.end
.tree T features=2
	split 0, 5, 1, 2
	leaf 7
	leaf 9
.end
	movi r0, 0
	exit
EOF
printf '.hook test\n\tmovi r1, 5\n\tadd r0, r1\n\texit\n' > "$j/bad.rasm"
printf '\tmovi r0, 0\n\tfrobnicate r1\n\texit\n' > "$j/syntax.rasm"
{
	R prog load "$j/act.rasm" name act
	R prog load "$j/w.rasm" name w
	R model load "$j/model.rasm" name mdl
	R ctxmap add cm nvals 2 hist 4 max 128 key pid
	R table add te hook test key f0 match exact size 4 default act
	R table add tt hook test key f0,f1 match ternary size 4
	R table add tr hook test key f0 match range size 4
	R table add tl hook test key f0 match lpm size 4
	R entry add te key 5 prog act params 1,2
	R entry add tt key 5,6 mask 0xff,0xf0 priority 3 prog act
	R entry add tr key 1 hi 10 prog act
	R entry add tl key 0x8000000000000000 prefix 1 prog act
} > "$j/write.add"
R ctxmap add gone > /dev/null
R ctxmap del gone > "$j/write.del"
printf 'table add b1 hook test key f0 match exact size 2\n# two tables\ntable add b2 hook test key f1 match exact size 2\n' > "$j/b.batch"
R batch -f "$j/b.batch" > "$j/write.batch"
cat "$j/write.add" "$j/write.del" "$j/write.batch" > "$j/write results"
cat > "$j/pol.rmt" <<'EOF'
action pdouble at test -> s64 { return ctx.f0 * 2; }
table pt at test { key f1 : exact; size 16; default pdouble; entry { f1 = 7 } -> pdouble; }
EOF
R policy check "$j/pol.rmt" > "$j/policy check"
R policy diff "$j/pol.rmt" > "$j/policy diff"
R policy apply "$j/pol.rmt" > "$j/policy apply"
{
	"$rmtctl" -p frob
	R table add te hook test key f0 match exact size 4
	R prog load "$j/bad.rasm" name bad
	"$rmtctl" -p prog verify "$j/bad.rasm"
	"$rmtctl" -p prog verify "$j/syntax.rasm"
} > "$j/errors" 2>> "$j/setup.err"
"$rmtctl" -p prog verify "$j/act.rasm" > "$j/prog verify" 2>> "$j/setup.err"
"$rmtctl" -p prog run "$j/w.rasm" --ctx 4 --repeat 2 > "$j/prog run" 2>> "$j/setup.err"
"$rmtctl" -p prog disasm "$j/act.rasm" > "$j/prog disasm" 2>> "$j/setup.err"
{ R prog dump jited act; R prog dump xlated act; } > "$j/prog dump"
# A trace (the trace file unit test writes one) to show, and to replay
# through the stride example, in a state of its own.
"$build/tests/test_trace_file" --write "$j/t.rmtt" 5 2>> "$j/setup.err"
"$rmtctl" -e -S "$j/trace.state" policy apply "$top/examples/stride-prefetch.rmt" \
	> /dev/null 2>> "$j/setup.err"
"$rmtctl" -p -e -S "$j/trace.state" trace replay "$j/t.rmtt" --table prefetch \
	> "$j/trace replay" 2>> "$j/setup.err"

# Every object's show (for each table, when it takes one) and test run.
: > "$j/kinds"
while IFS='	' read -r o c u; do
	[ "$c" = show ] || [ "$c" = test ] || continue
	case $c/$u in
	show/TABLE) for t in te tt tr tl; do R "$o" show "$t"; done ;;
	show/FILE*) R "$o" show "$j/t.rmtt" --samples 2 ;;
	show/*) R "$o" show ;;
	test/*)
		case $o in
		prog) R prog test w ctx 4 repeat 2 ;;
		table) R table test te ctx 5 repeat 2 ;;
		*) echo "no $o to test: teach $0 one" >> "$j/setup.err" ;;
		esac
		;;
	esac > "$j/$o $c"
	echo "$o $c" >> "$j/kinds"
done < "$tmp/cmds"
printf '%s\n' "prog verify" "prog run" "prog disasm" "prog dump" "write results" \
	"errors" "policy check" "policy diff" "policy apply" "trace replay" >> "$j/kinds"

# fields FILE [top]: "NAME TYPE" of every field of the pretty JSON in
# FILE (with "top", only the outermost object's, as prog run's "out"
# holds fields named after the context)
fields() {
	awk -v top="${2-}" '
	match($0, /^ *"[^"]*": /) {
		ind = index($0, "\"") - 1
		name = substr($0, ind + 2); name = substr(name, 1, index(name, "\"") - 1)
		v = substr($0, RLENGTH + 1, 1)
		t = v == "\"" ? "string" : v == "[" ? "array" : v == "{" ? "object" : \
		    v == "n" ? "null" : v ~ /[tf]/ ? "boolean" : "number"
		k[++n] = name " " t; d[n] = ind
		if (min == "" || ind < min) min = ind
	}
	END { for (i = 1; i <= n; i++) if (top == "" || d[i] == min) print k[i] }
	' "$1" | sort -u
}

while read -r kind; do
	man_tags "$jsonsec" "$kind" | awk '{
		t = $0; sub(/^[^ ]* */, "", t); gsub(/^\(|\)$/, "", t)
		print $1 "\t" t
	}' > "$tmp/doc"
	case $kind in
	"prog run"|*" test") fields "$j/$kind" top ;;
	*) fields "$j/$kind" ;;
	esac > "$tmp/printed"
	: > "$tmp/diag"
	if ! man_subsections "$jsonsec" | grep -qx "$kind"; then
		echo "no subsection '$kind' under $jsonsec" >> "$tmp/diag"
	fi
	while read -r f t; do
		dt=$(awk -F '\t' -v f="$f" '$1 == f { print $2 }' "$tmp/doc")
		if [ -z "$dt" ]; then
			echo "printed, not documented: $f ($t)" >> "$tmp/diag"
		else
			case " $dt " in
			*[!a-z]$t[!a-z]*) ;;
			*) echo "$f is printed as $t, documented as ($dt)" >> "$tmp/diag" ;;
			esac
		fi
	done < "$tmp/printed"
	# fields documented "(TYPE, on failure)" appear only when a run fails,
	# "(TYPE, rmt.ko only)" only through rmt.ko
	grep -v -e 'on failure' -e 'rmt\.ko only' "$tmp/doc" | cut -f1 | sort -u |
	while read -r f; do
		grep -q "^$f " "$tmp/printed" ||
			echo "documented, never printed: $f" >> "$tmp/diag"
	done
	[ -s "$tmp/printed" ] || echo "the tool printed no fields" >> "$tmp/diag"
	if [ -s "$tmp/diag" ] && [ -s "$j/setup.err" ]; then
		echo "setting up:" >> "$tmp/diag"
		cat "$j/setup.err" >> "$tmp/diag"
	fi
	[ ! -s "$tmp/diag" ]
	ktap_ok "JSON OUTPUT: the fields of $kind are documented with their types" $? "$tmp/diag"
done < "$j/kinds"

# a subsection whose every field is "rmt.ko only" is checked in a guest
man_subsections "$jsonsec" | while read -r kind; do
	man_tags "$jsonsec" "$kind" > "$tmp/tags"
	[ -s "$tmp/tags" ] && ! grep -qv 'rmt\.ko only' "$tmp/tags" && echo "$kind"
done > "$tmp/rmtko"
man_subsections "$jsonsec" | grep -vxF -f "$j/kinds" | grep -vxF -f "$tmp/rmtko" |
	sed 's/^/not checked here: /' > "$tmp/diag"
[ ! -s "$tmp/diag" ]
ktap_ok "JSON OUTPUT: every subsection is output this test checks" $? "$tmp/diag"

# ---------------------------------------------------------------------
# Both files are well formed
# ---------------------------------------------------------------------

if command -v groff > /dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$man" > "$tmp/diag" 2>&1
	[ $? -eq 0 ] && [ ! -s "$tmp/diag" ]
	ktap_ok "man page: renders without warnings" $? "$tmp/diag"
else
	ktap_skip "man page: renders without warnings" "groff not installed"
fi
if [ $have_bash -eq 1 ]; then
	bash -n "$comp" > "$tmp/diag" 2>&1
	ktap_ok "completion: is valid bash" $? "$tmp/diag"
else
	ktap_skip "completion: is valid bash" "bash not installed"
fi

ktap_end
