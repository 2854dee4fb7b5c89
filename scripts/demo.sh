#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: verify the sample int8 MLP, run it in user space (librmt,
# through rmtctl) and in the kernel (rmt.ko in a QEMU guest running
# Debian's stock kernel), and print the two results side by side; then
# boot the guest with a swap disk, apply the example policies, run the
# workloads, and print a before/after table of what they change (major
# faults, readahead hits, migrations, guardrail trips).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
src=$top/examples/mlp-15-32-32-2.rasm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== verify $src"
"$build/rmtctl" prog verify "$src"
"$build/rmtctl" prog asm "$src" -o "$work/mlp.img"
"$build/rmtctl" prog run "$src" > "$work/user.out"

cat > "$work/guest.sh" <<'GUEST'
#!/bin/sh
insmod /rmt/rmt.ko || exit 1
cat /rmt/mlp.img > /sys/kernel/debug/rmt/test_run
sed 's/^/KERNEL /' /sys/kernel/debug/rmt/test_run
rmmod rmt
GUEST
chmod +x "$work/guest.sh"

echo "== boot $(scripts/setup.sh --print-kver 2>/dev/null) in QEMU, load rmt.ko, run the MLP in the kernel"
"$top/tests/vm/run.sh" --add "$build/rmt.ko:/rmt/rmt.ko" \
	--add "$work/mlp.img:/rmt/mlp.img" --add "$work/guest.sh:/rmt/guest.sh" \
	-- /rmt/guest.sh > "$work/vm.tap" || {
	cat "$work/vm.tap"
	echo "demo: the guest run failed" >&2
	exit 1
}
sed -n 's/^# KERNEL //p' "$work/vm.tap" > "$work/kernel.out"

echo
echo "== int8 MLP 15->32->32->2 on the sample input"
printf '%-10s %-28s %-28s\n' "" "kernel (rmt.ko, 6.1 guest)" "user space (librmt)"
paste -d'|' "$work/kernel.out" "$work/user.out" | while IFS='|' read -r k u; do
	key=${u%% *}
	printf '%-10s %-28s %-28s\n' "$key" "${k#* }" "${u#* }"
done
echo
if cmp -s "$work/kernel.out" "$work/user.out"; then
	echo "identical: the kernel and user space computed the same result"
else
	echo "MISMATCH between kernel and user space" >&2
	exit 1
fi
grep -E '^(not )?ok .*(WARN|exited)' "$work/vm.tap"

echo
echo "== boot again with a swap disk; apply the example policies; run the workloads"
"$top/tests/vm/run.sh" --mem 384 --smp 2 --swap-disk 512 \
	--add "$build/rmt.ko:/rmt/rmt.ko" --add-bin "$build/rmtctl:/rmt/rmtctl" \
	--add "$build/tests/stride:/rmt/stride" --add "$top/examples:/rmt/" \
	--add "$top/scripts/demo_guest.sh:/rmt/demo_guest.sh" \
	-- /rmt/demo_guest.sh > "$work/hooks.tap" || {
	cat "$work/hooks.tap"
	echo "demo: the guest run failed" >&2
	exit 1
}
echo
printf '%-58s %12s %14s\n' "what (same boot)" "before" "with policy"
sed -n 's/^# ROW //p' "$work/hooks.tap" | while IFS='|' read -r what b a; do
	printf '%-58s %12s %14s\n' "$what" "$b" "$a"
done
echo
sed -n 's/^# STATS /readahead hook counters: /p' "$work/hooks.tap"
grep -E '^(not )?ok .*(WARN|exited)' "$work/hooks.tap"
