#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the host build/test dependencies and fetch the guest kernel.
# Idempotent: when everything is present it only checks and exits.
#
# Usage: scripts/setup.sh [--print-kver]
#   --print-kver  print only the guest kernel version (e.g. 6.1.0-56-amd64)
#                 on stdout; everything else goes to stderr.
#
# Environment: RMT_VM_CACHE (default /var/cache/rmt-vm) holds the unpacked
# Debian kernel image in $RMT_VM_CACHE/$KVER and the resolved version in
# $RMT_VM_CACHE/kver.
set -eu

PRINT_KVER=0
case "${1:-}" in
--print-kver) PRINT_KVER=1 ;;
"") ;;
*) echo "usage: $0 [--print-kver]" >&2; exit 2 ;;
esac

# In --print-kver mode stdout must carry only the version: keep it on fd 3.
exec 3>&1
[ "$PRINT_KVER" = 1 ] && exec 1>&2

CACHE=${RMT_VM_CACHE:-/var/cache/rmt-vm}
PKGS="build-essential clang llvm lld libclang-rt-14-dev qemu-system-x86
busybox-static cpio kmod libmnl-dev libnl-genl-3-dev libelf-dev
libcapstone-dev python3 zstd xz-utils bpftool libbpf-dev"

export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

UPDATED=0
apt_update() {
	[ "$UPDATED" = 1 ] && return 0
	$SUDO apt-get update -q
	UPDATED=1
}

# The version the linux-image-amd64 metapackage currently points at.
resolve_kver() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*-amd64\)$/\1/p' | head -n1
}

# Packages of $PKGS and the matching headers that are not installed.
missing_pkgs() {
	# shellcheck disable=SC2086
	ok=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		$PKGS "linux-headers-$KVER" 2>/dev/null | sed -n 's/^ii  *//p')
	for p in $PKGS "linux-headers-$KVER"; do
		echo "$ok" | grep -qx "$p" || printf '%s ' "$p"
	done
}

KVER=$(resolve_kver)
if [ -z "$KVER" ]; then
	# Fresh machine without package lists.
	apt_update
	KVER=$(resolve_kver)
fi
[ -n "$KVER" ] || { echo "setup: cannot resolve linux-image-amd64" >&2; exit 1; }

MISSING=$(missing_pkgs)
if [ -n "$MISSING" ]; then
	# Lists may be stale: refresh, and follow the metapackage if it moved.
	apt_update
	KVER=$(resolve_kver)
	MISSING=$(missing_pkgs)
	echo "setup: installing $MISSING"
	# shellcheck disable=SC2086
	$SUDO apt-get install -y --no-install-recommends $MISSING
fi

# Guest kernel: unpack the Debian image package into the cache, once.
KDIR=$CACHE/$KVER
if [ ! -f "$KDIR/.unpacked" ]; then
	echo "setup: fetching linux-image-$KVER into $KDIR"
	$SUDO mkdir -p "$KDIR"
	[ -w "$KDIR" ] || $SUDO chown "$(id -u):$(id -g)" "$CACHE" "$KDIR"
	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
	# apt-get download writes to the cwd as the unprivileged _apt user.
	chown _apt "$TMP" 2>/dev/null || true
	if ! (cd "$TMP" && apt-get download "linux-image-$KVER"); then
		apt_update
		(cd "$TMP" && apt-get download "linux-image-$KVER")
	fi
	dpkg-deb -x "$TMP"/linux-image-"$KVER"_*.deb "$KDIR"
	touch "$KDIR/.unpacked"
fi
[ -f "$KDIR/boot/vmlinuz-$KVER" ] || { echo "setup: no kernel in $KDIR" >&2; exit 1; }
[ -d "/lib/modules/$KVER/build" ] || { echo "setup: no headers for $KVER" >&2; exit 1; }

if [ "$(cat "$CACHE/kver" 2>/dev/null)" != "$KVER" ]; then
	echo "$KVER" >"$CACHE/kver"
fi

if [ "$PRINT_KVER" = 1 ]; then
	echo "$KVER" >&3
else
	echo "KVER=$KVER"
fi
