#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's stock kernel in QEMU (TCG) with a busybox initramfs, run a
# guest command and print its TAP output plus the harness's own checks.
# See tests/vm/README.md.
set -eu

usage() {
	cat >&2 <<EOF
usage: $0 [options] -- GUEST_COMMAND...
  --add SRC:DEST     copy host file or directory SRC to DEST in the guest
  --add-bin SRC:DEST copy a dynamically linked program and the libraries
                     ldd names for it
  --modules m1,m2    load these modules of the guest kernel (and their
                     dependencies) before the command
  --swap-disk MIB    attach a MIB-sized virtio-blk disk as /dev/vda
  --mem MIB          guest memory (default 256)
  --smp N            guest CPUs (default 2)
  --timeout SECONDS  kill the guest after this long (default 300)
  --tcg-single       run all vCPUs on one host thread (QEMU 7.2's
                     multi-threaded TCG can crash a guest that patches
                     kernel text under load, e.g. registering kprobes)
  --log FILE         keep the full serial console log in FILE
A single GUEST_COMMAND word is run as shell code; several are run as argv.
EOF
	exit 2
}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

ADDS=() BINS=() MODULES="" SWAP=0 MEM=256 SMP=2 TIMEOUT=300 LOG=""
while [ $# -gt 0 ]; do
	case "$1" in
	--add) ADDS+=("$2"); shift 2 ;;
	--add-bin) BINS+=("$2"); shift 2 ;;
	--modules) MODULES="$MODULES,$2"; shift 2 ;;
	--swap-disk) SWAP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--tcg-single) ACCEL=tcg,thread=single; shift ;;
	--log) LOG=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || usage

# Guest kernel: the cached version if present, otherwise set everything up.
CACHE=${RMT_VM_CACHE:-/var/cache/rmt-vm}
KVER=$(cat "$CACHE/kver" 2>/dev/null || true)
if [ -z "$KVER" ] || [ ! -f "$CACHE/$KVER/.unpacked" ]; then
	KVER=$("$ROOT/scripts/setup.sh" --print-kver)
fi
KIMG=$CACHE/$KVER/boot/vmlinuz-$KVER
KMODS=$CACHE/$KVER/lib/modules/$KVER

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rmt-vm.XXXXXX")
KEEP_LOG=1
[ -n "$LOG" ] || { LOG=$(mktemp "${TMPDIR:-/tmp}/rmt-vm-log.XXXXXX"); KEEP_LOG=0; }
QPID=""
cleanup() {
	[ -z "$QPID" ] || kill "$QPID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted, console log: $LOG" >&2; exit 130' INT TERM

# --- initramfs ---------------------------------------------------------
R=$TMP/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc/rmt-vm,proc,sys,dev,tmp,root,lib/modules,home/rmtuser}
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list-full); do
	[ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
ln -sf busybox "$R/bin/sh"
cp "$HERE/init.sh" "$R/init"
chmod 755 "$R/init"
chmod 1777 "$R/tmp"
cat >"$R/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
rmtuser:x:1000:1000:rmtuser:/home/rmtuser:/bin/sh
EOF
cat >"$R/etc/group" <<EOF
root:x:0:
rmtuser:x:1000:
EOF
chown 1000:1000 "$R/home/rmtuser"
[ "$(id -u)" != 0 ] || mknod -m 600 "$R/dev/console" c 5 1

for spec in ${ADDS[@]+"${ADDS[@]}"}; do
	case "$spec" in *:/*) ;; *) echo "run.sh: bad --add $spec" >&2; exit 2 ;; esac
	src=${spec%:*} dst=${spec##*:}
	case "$dst" in */) dst=$dst$(basename "$src") ;; esac
	mkdir -p "$R$(dirname "$dst")"
	# Never write through a busybox applet link (it points at the host's).
	cp -a --remove-destination "$src" "$R$dst"
done

# Dynamically linked host programs: the binary and every library ldd
# names, at the same paths, so the guest's loader finds them.
for spec in ${BINS[@]+"${BINS[@]}"}; do
	src=${spec%:*} dst=${spec##*:}
	mkdir -p "$R$(dirname "$dst")"
	cp -L "$src" "$R$dst"
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
done

# Modules: resolve file names and dependencies (modinfo depends) so that
# each module follows what it needs; decompress on the host.
declare -A KO=() PICKED=()
while read -r f; do
	n=${f##*/}; n=${n%%.ko*}; KO[${n//-/_}]=$f
done < <(find "$KMODS/kernel" -name '*.ko*')
ORDER=()
add_module() {
	local m=${1//-/_} f d
	[ -z "${PICKED[$m]:-}" ] || return 0
	PICKED[$m]=1
	if [ -z "${KO[$m]:-}" ]; then
		grep -q "/$m.ko" "$KMODS/modules.builtin" 2>/dev/null && return 0
		echo "run.sh: no module $m in $KMODS" >&2
		exit 2
	fi
	f=${KO[$m]}
	case "$f" in
	*.xz) xz -dc "$f" >"$R/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$R/lib/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$R/lib/modules/$m.ko" ;;
	*) cp "$f" "$R/lib/modules/$m.ko" ;;
	esac
	for d in $(modinfo -F depends "$R/lib/modules/$m.ko" | tr , ' '); do
		add_module "$d"
	done
	ORDER+=("$m")
}
[ "$SWAP" = 0 ] || MODULES="$MODULES,virtio_pci,virtio_blk"
for m in ${MODULES//,/ }; do add_module "$m"; done
printf '%s\n' ${ORDER[@]+"${ORDER[@]}"} >"$R/etc/rmt-vm/modules"

if [ $# -eq 1 ]; then
	printf '%s\n' "$1" >"$R/etc/rmt-vm/cmd"
else
	printf 'exec' >"$R/etc/rmt-vm/cmd"
	printf ' %q' "$@" >>"$R/etc/rmt-vm/cmd"
	echo >>"$R/etc/rmt-vm/cmd"
fi

QEMU_DISK=()
if [ "$SWAP" != 0 ]; then
	truncate -s "${SWAP}M" "$TMP/swap.img"
	QEMU_DISK=(-drive "file=$TMP/swap.img,format=raw,if=virtio")
	echo /dev/vda >"$R/etc/rmt-vm/wait-dev"
fi

(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$TMP/initrd.gz"

# --- boot --------------------------------------------------------------
# panic=-1 + -no-reboot: a panic ends QEMU at once. oops=panic: after an oops
# the kernel is unreliable and usually hangs until the timeout. WARNs do not
# panic so that a run reports them and goes on. loglevel=5 puts KERN_WARNING
# (and so WARN splats) on the console as they happen.
APPEND="console=ttyS0 panic=-1 oops=panic loglevel=5 printk.time=1"
START=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel "${ACCEL:-tcg}" -cpu max \
	-m "$MEM" -smp "$SMP" -nographic -no-reboot -nic none \
	-serial "file:$LOG" -monitor none \
	-kernel "$KIMG" -initrd "$TMP/initrd.gz" -append "$APPEND" \
	${QEMU_DISK[@]+"${QEMU_DISK[@]}"} </dev/null 2>"$TMP/qemu.err" &
QPID=$!
QRC=0
wait "$QPID" || QRC=$?
QPID=""
END=$(date +%s.%N)
cat "$TMP/qemu.err" >>"$LOG"

# --- TAP ---------------------------------------------------------------
export QRC KVER TIMEOUT START END
export MODLIST="${ORDER[*]+${ORDER[*]}}"
RC=0
awk -f "$HERE/tap.awk" "$LOG" || RC=$?
if [ $RC != 0 ] || [ $KEEP_LOG = 1 ]; then
	echo "# console log: $LOG"
else
	rm -f "$LOG"
fi
exit $RC
