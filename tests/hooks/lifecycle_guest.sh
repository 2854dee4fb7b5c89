#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest (2 vCPUs, a swap disk): the module's life cycle under
# load.  CYCLES times (default 50): insmod rmt.ko, `rmtctl policy apply`
# the stride-prefetch, mlp-migrate and per-cgroup examples, replace one
# (an edited stride-prefetch, WINDOW 8), then, in even cycles, delete
# every table, program, model and context map in one batch, and rmmod:
# in odd cycles with all of it still attached.  rmmod is retried while
# the module is busy (a redirected readahead pins it), and the refusals
# are counted.  All of it while in the background
#
#   - a strided swap-in loop runs in a memory cgroup of 8 MiB, so its
#     faults go through swap_cluster_readahead and lookup_swap_cache;
#   - short strided runs in a 2 MiB cgroup start and exit all the time,
#     so tasks exit while their context-map entries (stride-prefetch's
#     `strides`, keyed by pid) are live and the hook runs for them;
#   - two niced spinners and a stream of short-lived niced busy loops
#     keep load balancing, and so can_migrate_task, busy on both CPUs.
#
# One cycle with the same load comes first, as a warm-up; then the
# kernel's slab, per-CPU and vmalloc usage is taken with the load
# stopped and caches dropped, and again after the CYCLES cycles: a large
# growth is a leak (the stock kernel has no kmemleak).  The kernel log
# must show no WARN, BUG, oops or atomic-context complaint.  KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh
CYCLES=${CYCLES:-50}
EX=/rmt/examples
HOOKS=/sys/kernel/debug/rmt/hooks
CG=/sys/fs/cgroup
RMMOD_TRIES=50
# growth allowed over the cycles, in kB (see the comment above)
SLAB_MAX_KB=${SLAB_MAX_KB:-2048}
PERCPU_MAX_KB=${PERCPU_MAX_KB:-256}
VMALLOC_MAX=${VMALLOC_MAX:-16}

echo "KTAP version 1"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkswap /dev/vda >/dev/null 2>&1 && swapon /dev/vda
ktap_ok "swap on the virtio-blk disk" $?
echo false > /sys/kernel/mm/swap/vma_ra_enabled
ktap_ok "vma-based readahead off (the cluster readahead path)" $?

mkdir -p $CG && mount -t cgroup2 none $CG 2>/dev/null
echo +memory > $CG/cgroup.subtree_control &&
	mkdir -p $CG/swapload $CG/swapshort &&
	echo 8M > $CG/swapload/memory.max && echo 2M > $CG/swapshort/memory.max
ktap_ok "memory cgroups for the swap load" $?

sed 's/^const WINDOW = 16;/const WINDOW = 8;/' $EX/stride-prefetch.rmt \
	> $EX/stride-prefetch-w8.rmt
grep -q '^const WINDOW = 8;' $EX/stride-prefetch-w8.rmt
ktap_ok "an edited copy of stride-prefetch to replace it with" $?
cat > /tmp/del.batch <<'BATCH'
table del prefetch
table del by_cgroup
table del accounting
table del balance
prog del stride
prog del window
prog del count
prog del learned
model del migrate
ctxmap del strides
ctxmap del cache
BATCH

# ---- the load ----

load_pids=""

# bg_in CGROUP SCRIPT: run SCRIPT in the background in cgroup CGROUP
bg_in() {
	sh -c "echo \$\$ > $CG/$1/cgroup.procs && exec sh -c '$2'" &
	load_pids="$load_pids $!"
}

load_start() {
	bg_in swapload 'while :; do /rmt/stride 24 4 > /dev/null; done'
	bg_in swapshort 'while :; do /rmt/stride 3 2 > /dev/null; done'
	spin_pids=""
	for i in 1 2; do
		sh -c 'while :; do :; done' &
		spin_pids="$spin_pids $!"
	done
	sh -c 'while :; do
		sh -c "i=0; while [ \$i -lt 100 ]; do i=\$((i + 1)); done" &
		sh -c "i=0; while [ \$i -lt 100 ]; do i=\$((i + 1)); done"
		wait
	done' &
	spin_pids="$spin_pids $!"
	# the spinners yield to the cycles (busybox has renice, not nice)
	renice -n 19 -p $spin_pids > /dev/null
	load_pids="$load_pids $spin_pids"
}

load_stop() {
	kill $load_pids 2>/dev/null
	wait 2>/dev/null
	load_pids=""
}

# ---- one cycle ----

fails=/tmp/fails	# what went wrong, the first lines kept
: > $fails
retries=0		# rmmod attempts refused (module busy)
rmmod_failed=0
sum_ra=0 sum_mig=0 sum_acc=0 sum_err=0 sum_ctx=0
mig_attached=0
attached_unloads=0

fail() {	# fail CYCLE WHAT
	echo "cycle $1: $2: $(head -n 2 /tmp/out | tr '\n' ' ')" >> $fails
}

# fires HOOK: that hook's fires, then errors
fires() {
	sed -n "s/^$1 .* fires \([0-9]*\) .* errors \([0-9]*\) .*/\1 \2/p" $HOOKS
}

unload() {	# unload CYCLE
	t=0
	while ! rmmod rmt 2>/tmp/out; do
		t=$((t + 1))
		if [ $t -ge $RMMOD_TRIES ]; then
			fail "$1" "rmmod refused $t times"
			rmmod_failed=$((rmmod_failed + 1))
			return 1
		fi
		sleep 0.1
	done
	retries=$((retries + t))
	[ ! -d /sys/module/rmt ] || { echo "still there" > /tmp/out; fail "$1" "rmmod"; }
}

cycle() {	# cycle N
	# the core's self-test runs at the warm-up's load only (time)
	if ! insmod /rmt/rmt.ko selftest=$([ "$1" -eq 0 ] && echo 1 || echo 0) 2>/tmp/out; then
		fail "$1" "insmod"
		return
	fi
	for p in stride-prefetch mlp-migrate per-cgroup stride-prefetch-w8; do
		$R policy apply $EX/$p.rmt > /tmp/out 2>&1 || fail "$1" "apply $p"
	done
	grep -q '~ prog stride' /tmp/out || fail "$1" "the edited copy replaced nothing"
	grep -q '^can_migrate_task attached' $HOOKS && mig_attached=1
	set -- "$1" $(fires swap_cluster_readahead) $(fires can_migrate_task) \
		$(fires lookup_swap_cache) \
		$($R ctxmap show strides 2>/dev/null | sed -n 's/.* count \([0-9]*\).*/\1/p')
	sum_ra=$((sum_ra + ${2:-0})) sum_mig=$((sum_mig + ${4:-0}))
	sum_acc=$((sum_acc + ${6:-0})) sum_err=$((sum_err + ${3:-0} + ${5:-0} + ${7:-0}))
	sum_ctx=$((sum_ctx + ${8:-0}))
	# odd cycles unload with everything attached, even ones empty first
	if [ $(($1 % 2)) -eq 1 ]; then
		attached_unloads=$((attached_unloads + 1))
	else
		$R batch run -f /tmp/del.batch > /tmp/out 2>&1 || fail "$1" "delete batch"
		$R policy show > /tmp/out 2>&1
		[ "$(grep -c ': none$' /tmp/out)" -eq 4 ] ||
			fail "$1" "objects left after the delete"
	fi
	unload "$1"
}

# ---- leaks ----

quiesce() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 2
	echo 3 > /proc/sys/vm/drop_caches
}

# slab_top BEFORE AFTER: the caches that grew most, in kB, as comments
slab_top() {
	awk 'FNR == 1 { f++ } !/^(#|slabinfo)/ { kb[f, $1] = $2 * $4 / 1024; n[$1] }
	     END { for (c in n) { d = kb[2, c] - kb[1, c]; if (d >= 16) printf "%d %s\n", d, c } }' \
		"$1" "$2" | sort -rn | head -n 5 | sed 's/^\([0-9]*\) \(.*\)/#   \2 +\1 kB/'
}

# usage: "SUNRECLAIM_KB PERCPU_KB VMALLOC_AREAS"
usage() {
	echo "$(sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo)" \
	     "$(sed -n 's/^Percpu: *\([0-9]*\) kB/\1/p' /proc/meminfo)" \
	     "$(wc -l < /proc/vmallocinfo)"
}

# ---- run ----

pswpin() { sed -n 's/^pswpin //p' /proc/vmstat; }

load_start
sleep 1
cycle 0
load_stop
quiesce
set -- $(usage); slab0=$1 pcpu0=$2 vm0=$3
cat /proc/slabinfo > /tmp/slab0 2>/dev/null
echo "# before: SUnreclaim ${slab0} kB, Percpu ${pcpu0} kB, vmalloc areas ${vm0}"
[ ! -s $fails ]
ktap_ok "a warm-up cycle under load" $? $fails
: > $fails
sum_ra=0 sum_mig=0 sum_acc=0 sum_err=0 sum_ctx=0 attached_unloads=0

sw0=$(pswpin)
load_start
start=$(date +%s)
n=1
while [ $n -le "$CYCLES" ]; do
	cycle $n
	n=$((n + 1))
done
secs=$(($(date +%s) - start))
load_stop
sw=$(($(pswpin) - sw0))
echo "# $CYCLES cycles in ${secs}s; pages swapped in meanwhile: $sw"
echo "# hook fires while tables were attached: swap_cluster_readahead $sum_ra," \
     "lookup_swap_cache $sum_acc, can_migrate_task $sum_mig; action errors $sum_err;" \
     "strides entries live at unload or delete: $sum_ctx"

[ ! -s $fails ]
ktap_ok "$CYCLES cycles of insmod, apply, replace, delete, rmmod" $? $fails
[ "$rmmod_failed" -eq 0 ]
ktap_ok "rmmod always succeeded, $attached_unloads times with the policies attached ($retries refusals while busy, retried)" $?
[ "$sw" -gt 0 ] && [ "$sum_ra" -gt 0 ] && [ "$sum_acc" -gt 0 ]
ktap_ok "the swap hooks fired under the load ($sum_ra readahead, $sum_acc lookups)" $?
[ "$sum_ctx" -gt 0 ]
ktap_ok "tasks had live context-map entries ($sum_ctx at unload or delete)" $?
if [ "$mig_attached" -eq 1 ]; then
	[ "$sum_mig" -gt 0 ]
	ktap_ok "can_migrate_task fired under the load ($sum_mig)" $?
else
	ktap_skip "can_migrate_task fired under the load" "the hook is not attached"
fi

if [ -r /sys/kernel/debug/kprobes/list ]; then
	[ ! -s /sys/kernel/debug/kprobes/list ]
	ktap_ok "no kprobe left after the last rmmod" $? /sys/kernel/debug/kprobes/list
else
	ktap_skip "no kprobe left after the last rmmod" "no debugfs kprobes/list"
fi
[ ! -d /sys/module/rmt ] && ! grep -q '^rmt ' /proc/modules
ktap_ok "the module is gone" $?

quiesce
set -- $(usage); slab1=$1 pcpu1=$2 vm1=$3
echo "# after:  SUnreclaim ${slab1} kB, Percpu ${pcpu1} kB, vmalloc areas ${vm1}"
if cat /proc/slabinfo > /tmp/slab1 2>/dev/null && [ -s /tmp/slab0 ]; then
	echo "# slab caches that grew most:"
	slab_top /tmp/slab0 /tmp/slab1
fi
[ $((slab1 - slab0)) -le "$SLAB_MAX_KB" ]
ktap_ok "slab growth over $CYCLES cycles $((slab1 - slab0)) kB (limit $SLAB_MAX_KB)" $?
[ $((pcpu1 - pcpu0)) -le "$PERCPU_MAX_KB" ]
ktap_ok "per-CPU growth $((pcpu1 - pcpu0)) kB (limit $PERCPU_MAX_KB)" $?
[ $((vm1 - vm0)) -le "$VMALLOC_MAX" ]
ktap_ok "vmalloc areas grew by $((vm1 - vm0)) (limit $VMALLOC_MAX)" $?

dmesg | grep -E "WARNING|BUG|Oops|general protection|scheduling while atomic|sleeping function called|refcount_t|list_del corruption|stall" > /tmp/warn
[ ! -s /tmp/warn ]
ktap_ok "no WARN, BUG, oops or atomic-context complaint" $? /tmp/warn
ktap_end
