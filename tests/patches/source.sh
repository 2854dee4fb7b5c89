# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # rmt_src_* are for the caller
#
# Where the kernel source the patch series (hooks/patches/) targets comes
# from: sourced by tests/patches/check.sh and tests/patches/build.sh.
#
# rmt_src_find sets rmt_src to a linux-source-6.1 tarball or .deb, or
# rmt_src_why to why there is none.  In order:
#  - $RMT_LINUX_SOURCE, a .tar.xz or .deb given by the caller;
#  - /usr/src/linux-source-6.1.tar.xz from the installed package;
#  - a .deb cached in $rmt_src_cache by an earlier run;
#  - "apt-get download linux-source-6.1" into $rmt_src_cache (once).
#
# rmt_src_extract DIR PATH... unpacks those paths of the source tree into
# DIR (all of it when no PATH is given).

rmt_src_pkg=linux-source-6.1
rmt_src_cache=${RMT_VM_CACHE:-/var/cache/rmt-vm}/src
rmt_src=
rmt_src_why=

# The newest cached .deb, by Debian version order.
rmt_src_cached_deb() {
	for d in "$rmt_src_cache/${rmt_src_pkg}"_*_all.deb; do
		[ -f "$d" ] && echo "$d"
	done | sort -V | tail -n 1
}

rmt_src_find() {
	if [ -n "${RMT_LINUX_SOURCE:-}" ]; then
		if [ -r "$RMT_LINUX_SOURCE" ]; then
			rmt_src=$RMT_LINUX_SOURCE
		else
			rmt_src_why="RMT_LINUX_SOURCE=$RMT_LINUX_SOURCE is not readable"
		fi
		return
	fi
	rmt_src=$(dpkg -L "$rmt_src_pkg" 2>/dev/null |
		grep "/$rmt_src_pkg\.tar\.xz\$" | head -n 1)
	[ -n "$rmt_src" ] && [ -r "$rmt_src" ] && return
	rmt_src=$(rmt_src_cached_deb)
	[ -n "$rmt_src" ] && return
	if ! command -v apt-get > /dev/null; then
		rmt_src_why="no $rmt_src_pkg: not installed, not cached, no apt-get"
		return
	fi
	if ! mkdir -p "$rmt_src_cache" 2>/dev/null || [ ! -w "$rmt_src_cache" ]; then
		rmt_src_why="no $rmt_src_pkg: not installed, cache $rmt_src_cache not writable"
		return
	fi
	(cd "$rmt_src_cache" &&
		timeout 600 apt-get download -q "$rmt_src_pkg" > download.log 2>&1)
	rmt_src=$(rmt_src_cached_deb)
	[ -n "$rmt_src" ] ||
		rmt_src_why="no $rmt_src_pkg: not installed, not cached, apt-get download failed (offline? $rmt_src_cache/download.log)"
}

# The source's version as Debian names it, e.g. 6.1.192-2, or "unknown".
rmt_src_version() {
	case $rmt_src in
	*.deb) dpkg-deb -f "$rmt_src" Version 2>/dev/null || echo unknown ;;
	*) dpkg-query -W -f '${Version}' "$rmt_src_pkg" 2>/dev/null || echo unknown ;;
	esac
}

# The kernel tarball on stdout, from the tarball itself or out of the .deb.
rmt_src_tarball() {
	case $rmt_src in
	*.deb)
		dpkg-deb --fsys-tarfile "$rmt_src" |
			tar -xOf - "./usr/src/$rmt_src_pkg.tar.xz"
		;;
	*) cat "$rmt_src" ;;
	esac
}

rmt_src_extract() {	# rmt_src_extract DIR [PATH...]
	rmt_src_dir=$1
	shift
	mkdir -p "$rmt_src_dir" || return 1
	if [ $# -eq 0 ]; then
		rmt_src_tarball | tar -xJf - -C "$rmt_src_dir" --strip-components=1
	else
		# shellcheck disable=SC2046 # one word per path
		rmt_src_tarball | tar -xJf - -C "$rmt_src_dir" --strip-components=1 \
			$(for p in "$@"; do echo "$rmt_src_pkg/$p"; done)
	fi
}
