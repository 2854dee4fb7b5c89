#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The static hook points' kernel patch series (hooks/patches/) against
# the kernel it targets, Debian's linux-source-6.1:
#
#  - each patch is a git format-patch mail: From, Subject [PATCH i/N],
#    a commit message, a Signed-off-by, and an SPDX line in every file
#    it creates;
#  - the series applies in order, with patch -p1 (dry run, then for
#    real, no fuzz) and with git apply, to pristine copies of the files
#    it touches;
#  - in the result, every hook point has a static key defined with
#    DEFINE_STATIC_KEY_FALSE and tested with static_branch_unlikely, and
#    its site (swap_cluster_readahead, swap_cache_get_folio,
#    can_migrate_task) is that test and a single call into RMT;
#  - CONFIG_RMT_HOOKS defaults to n, only the module API is exported,
#    the header's names do not collide with rmt.ko's, and the README
#    lists every patch.
#
# Only the touched files are unpacked, once, into the source cache
# (tests/patches/source.sh says where the source comes from); without a
# source, offline, the tests that need it are skipped.  Compiling the
# result is tests/patches/build.sh, on request.  KTAP.
#
# usage: tests/patches/check.sh [SERIES_DIR]   (default: hooks/patches)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
series=${1:-$top/hooks/patches}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/lib/ktap.sh"
. "$top/tests/patches/source.sh"

echo "KTAP version 1"
set -- "$series"/[0-9][0-9][0-9][0-9]-*.patch
if [ ! -f "$1" ]; then
	echo "Bail out! no patches in $series"
	exit 1
fi
total=$#

# ---------------------------------------------------------------------
# Each patch as a mail
# ---------------------------------------------------------------------

# New files (--- /dev/null) whose first two added lines lack SPDX.
no_spdx() {	# no_spdx PATCH
	awk '
	/^diff --git / { isnew = 0; cur = "" }
	/^--- \/dev\/null/ { isnew = 1; next }
	/^\+\+\+ b\// {
		if (isnew) { cur = substr($0, 7); n = 0 }
		isnew = 0
		next
	}
	cur != "" && /^\+/ {
		if ($0 ~ /SPDX-License-Identifier: [A-Za-z0-9.+-]/) { cur = ""; next }
		if (++n == 2) { print cur; cur = "" }
	}
	END { if (cur != "") print cur }
	' "$1"
}

i=0
for p in "$@"; do
	i=$((i + 1))
	name=$(basename "$p")
	diag=$tmp/diag
	: > "$diag"
	grep -qE '^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$' "$p" ||
		echo "no 'From <sha> Mon Sep 17 00:00:00 2001' line" >> "$diag"
	grep -qx 'From: RMT developers <rmt@localhost>' "$p" ||
		echo "no 'From: RMT developers <rmt@localhost>'" >> "$diag"
	grep -qE "^Subject: \[PATCH $i/$total\] [a-z][a-z_/ -]*: .{10,}" "$p" ||
		echo "no 'Subject: [PATCH $i/$total] subsystem: summary'" >> "$diag"
	# the message: between the Subject and the "---" before the diffstat
	sed -n '/^Subject:/,/^---$/p' "$p" | sed '1d;$d' > "$tmp/msg"
	grep -qE '^Signed-off-by: [^<]+ <[^>]+@[^>]+>$' "$tmp/msg" ||
		echo "no Signed-off-by in the commit message" >> "$diag"
	[ "$(grep -cv '^$' "$tmp/msg")" -ge 8 ] ||
		echo "the commit message does not say why (under 8 lines)" >> "$diag"
	no_spdx "$p" | sed 's/^/new file without SPDX-License-Identifier: /' >> "$diag"
	[ -s "$diag" ]
	ktap_ok "$name: mail headers, Signed-off-by, SPDX on new files" $((! $?)) "$diag"
done

: > "$tmp/diag"
for p in "$@"; do
	grep -qF "$(basename "$p")" "$series/README.md" 2>/dev/null ||
		echo "README.md does not list $(basename "$p")" >> "$tmp/diag"
done
[ -s "$tmp/diag" ]
ktap_ok "README.md lists every patch" $((! $?)) "$tmp/diag"

# ---------------------------------------------------------------------
# The series against the pristine source
# ---------------------------------------------------------------------

# Files the series changes that it does not create: what to unpack.
cat "$@" | awk '
	/^diff --git / { a = "" }
	/^--- a\// { a = substr($0, 7) }
	/^\+\+\+ b\// && a != "" { print a; a = "" }
' | sort -u > "$tmp/touched"

rmt_src_find
if [ -z "$rmt_src" ]; then
	for t in "pristine source" "series applies with patch -p1" \
		"series applies with git apply" "static keys and sites" \
		"Kconfig, Makefile, exports" "names free in rmt.ko"; do
		ktap_skip "$t" "$rmt_src_why"
	done
	ktap_end
fi

# The pristine files, cached per source (name, size, mtime).
key=$(basename "$rmt_src")-$(stat -c %s-%Y "$rmt_src")
pristine=$rmt_src_cache/pristine/$key
if ! mkdir -p "$pristine" 2>/dev/null || [ ! -w "$pristine" ]; then
	pristine=$tmp/pristine	# read-only cache: unpack for this run only
fi
: > "$tmp/missing"
for f in Makefile $(cat "$tmp/touched"); do	# Makefile: the version
	[ -f "$pristine/$f" ] || echo "$f" >> "$tmp/missing"
done
status=0
if [ -s "$tmp/missing" ]; then
	# shellcheck disable=SC2046
	rmt_src_extract "$pristine.new" $(cat "$tmp/missing") > "$tmp/diag" 2>&1 &&
		(cd "$pristine.new" && find . -type f) | while read -r f; do
			mkdir -p "$(dirname "$pristine/$f")" &&
				mv "$pristine.new/$f" "$pristine/$f"
		done
	status=$?
	rm -rf "$pristine.new"
fi
kver=$(sed -n '1,5s/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' "$pristine/Makefile" \
	2>/dev/null | paste -sd.)
ktap_ok "pristine source: $(wc -l < "$tmp/touched") files of Linux ${kver:-?} ($rmt_src_pkg $(rmt_src_version))" \
	$status "$tmp/diag"

# tree DIR: a fresh copy of the pristine files
tree() {
	rm -rf "$1"
	mkdir -p "$1"
	while read -r f; do
		mkdir -p "$1/$(dirname "$f")"
		cp "$pristine/$f" "$1/$f" || return 1
	done < "$tmp/touched"
}

# patch -p1, dry run then for real, patch by patch; no fuzz
tree "$tmp/patch"
: > "$tmp/diag"
for p in "$@"; do
	name=$(basename "$p")
	if ! (cd "$tmp/patch" &&
		patch -p1 -F0 --dry-run -s < "$p" > "$tmp/out" 2>&1 &&
		patch -p1 -F0 -s --no-backup-if-mismatch < "$p" >> "$tmp/out" 2>&1); then
		{ echo "$name:"; cat "$tmp/out"; } >> "$tmp/diag"
		break
	fi
done
[ -s "$tmp/diag" ]
ktap_ok "series applies with patch -p1 (dry run, then for real)" $((! $?)) "$tmp/diag"
tree="$tmp/patch"

# git apply, which refuses what patch would guess at (outside any
# repository: inside one it would skip paths outside the directory)
if command -v git > /dev/null; then
	tree "$tmp/git"
	: > "$tmp/diag"
	for p in "$@"; do
		(cd "$tmp/git" && export GIT_CEILING_DIRECTORIES="$tmp" &&
			git apply --check "$p" && git apply "$p") \
			> "$tmp/out" 2>&1 ||
			{ echo "$(basename "$p"):"; cat "$tmp/out"; } >> "$tmp/diag"
	done
	[ -s "$tmp/diag" ] || diff -r "$tmp/patch" "$tmp/git" > "$tmp/diag" 2>&1
	[ -s "$tmp/diag" ]
	ktap_ok "series applies with git apply, to the same result" $((! $?)) "$tmp/diag"
else
	ktap_skip "series applies with git apply" "no git"
fi

# ---------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------

# body FILE FUNCTION: the definition of FUNCTION (from its name at the
# start of a line to the closing brace in column 0)
body() {
	awk -v fn="$2" '
		!inside && ($0 ~ "^" fn "\\(" || $0 ~ "^[a-z].*[ *]" fn "\\(") &&
			$0 !~ /;$/ { inside = 1 }
		inside { print }
		inside && /^}/ { exit }
	' "$1"
}

hdr=$tree/include/linux/rmt_hook.h
impl=$tree/kernel/rmt_hook.c
: > "$tmp/diag"
for f in "$hdr" "$impl"; do
	[ -f "$f" ] || echo "missing ${f#"$tree"/}" >> "$tmp/diag"
done
# hook point, the file of its site, the function, its single call
while read -r hp file fn call; do
	if [ ! -f "$hdr" ] || [ ! -f "$impl" ]; then
		break
	fi
	key=rmt_hook_${hp}_key
	grep -qx "DEFINE_STATIC_KEY_FALSE($key);" "$impl" ||
		echo "$key: no DEFINE_STATIC_KEY_FALSE in kernel/rmt_hook.c" >> "$tmp/diag"
	body "$hdr" "rmt_hook_${hp}_active" | grep -q "return static_branch_unlikely(&$key);" ||
		echo "rmt_hook_${hp}_active() does not test $key with static_branch_unlikely" >> "$tmp/diag"
	body "$tree/$file" "$fn" > "$tmp/fn"
	if [ ! -s "$tmp/fn" ]; then
		echo "$file: no $fn()" >> "$tmp/diag"
		continue
	fi
	grep -q "rmt_hook_${hp}_active()" "$tmp/fn" ||
		echo "$fn() does not test rmt_hook_${hp}_active()" >> "$tmp/diag"
	# the site is the key test and one call, nothing else of RMT's
	[ "$(grep -c 'rmt' "$tmp/fn")" -eq 2 ] && [ "$(grep -c "$call(" "$tmp/fn")" -eq 1 ] ||
		echo "$fn(): the site is not one test of the key and one call to $call()" >> "$tmp/diag"
	[ "$(grep -c "rmt_hook_${hp}_active()" "$tree/$file")" -eq 1 ] ||
		echo "$file does not test rmt_hook_${hp}_active() exactly once" >> "$tmp/diag"
done <<EOF
swap_ra mm/swap_state.c swap_cluster_readahead swap_rmt_readahead
swap_cache mm/swap_state.c swap_cache_get_folio rmt_hook_swap_cache
migrate kernel/sched/fair.c can_migrate_task rmt_can_migrate_task
EOF
[ ! -f "$impl" ] || [ "$(grep -c 'DEFINE_STATIC_KEY' "$impl")" -eq 3 ] ||
	echo "kernel/rmt_hook.c defines other than 3 static keys" >> "$tmp/diag"
# and with the hooks configured out, the tests are constant false
sed -n '/^#else \/\* !CONFIG_RMT_HOOKS/,/^#endif/p' "$hdr" 2>/dev/null > "$tmp/off"
for hp in swap_ra swap_cache migrate; do
	grep -q "rmt_hook_${hp}_active(void) { return false; }" "$tmp/off" ||
		echo "rmt_hook_${hp}_active() is not false without CONFIG_RMT_HOOKS" >> "$tmp/diag"
done
[ -s "$tmp/diag" ]
ktap_ok "static keys: DEFINE_STATIC_KEY_FALSE, static_branch_unlikely, one call per site" \
	$((! $?)) "$tmp/diag"

: > "$tmp/diag"
awk '/^config RMT_HOOKS$/ { c = 1; next }
     c && /^(config|menu|endmenu|source|if|endif)/ { exit }
     c' "$tree/init/Kconfig" > "$tmp/kconfig" 2>/dev/null
grep -q '^	bool "' "$tmp/kconfig" ||
	echo "init/Kconfig: no bool RMT_HOOKS" >> "$tmp/diag"
if grep -q '^	default' "$tmp/kconfig"; then
	grep -qx '	default n' "$tmp/kconfig" ||
		echo "RMT_HOOKS does not default to n" >> "$tmp/diag"
fi
# shellcheck disable=SC2016 # a make variable, literally
grep -qx 'obj-$(CONFIG_RMT_HOOKS) += rmt_hook.o' "$tree/kernel/Makefile" 2>/dev/null ||
	echo "kernel/Makefile does not build rmt_hook.o for CONFIG_RMT_HOOKS" >> "$tmp/diag"
sed -n 's/^\(EXPORT_SYMBOL[A-Z_]*\)(\(.*\));$/\2 \1/p' "$impl" 2>/dev/null |
	sort > "$tmp/exports"
for f in rmt_hook_enable rmt_hook_register rmt_hook_unregister; do
	echo "$f EXPORT_SYMBOL_GPL"
done > "$tmp/want"
diff "$tmp/want" "$tmp/exports" |
	sed -n 's/^< /missing: /p; s/^> /beyond the module API: /p' >> "$tmp/diag"
[ -s "$tmp/diag" ]
ktap_ok "Kconfig RMT_HOOKS (default n), Makefile, GPL exports of the module API only" \
	$((! $?)) "$tmp/diag"

# Every name the header defines is either unused by rmt.ko's sources or
# used only by files that include the header: no silent clash when the
# module adopts it.
: > "$tmp/diag"
if [ -f "$hdr" ]; then
	sed -n -e 's/^#define \([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' \
		-e 's/^\(struct\|enum\) \([a-z_][a-z0-9_]*\) {.*/\2/p' \
		-e 's/^	\(RMT_[A-Z0-9_]*\),$/\1/p' \
		-e 's/^\(static .*\|int\|void\) \**\([a-z_][a-z0-9_]*\)(.*/\2/p' \
		-e 's/^DECLARE_STATIC_KEY_FALSE(\(.*\));/\1/p' "$hdr" |
		grep -v '^_LINUX_RMT_HOOK_H$' | sort -u > "$tmp/names"
	find "$top/hooks" "$top/rmt" "$top/kernel" "$top/uapi" \
		-name '*.[ch]' > "$tmp/sources" 2>/dev/null
	while read -r n; do
		xargs grep -lw -- "$n" < "$tmp/sources" 2>/dev/null |
			xargs -r grep -L '#include <linux/rmt_hook.h>' |
			sed "s|^$top/|$n: also defined or used in |"
	done < "$tmp/names" >> "$tmp/diag"
fi
[ -s "$tmp/diag" ]
ktap_ok "names free in rmt.ko: $(wc -l < "$tmp/names" 2>/dev/null || echo 0) from rmt_hook.h" \
	$((! $?)) "$tmp/diag"

ktap_end
