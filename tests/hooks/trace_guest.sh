#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: hook traces (rmtctl trace, debugfs rmt/trace).
#
#  1. With no table attached, a trace (--duration 0.5) is empty but whole.
#  2. With the stride-prefetch example at swap_cluster_readahead, a trace
#     recorded while the strided workload runs (until SIGINT) holds its
#     faults (pid, swap offsets, verdicts of 16 pages), reads back with
#     either backend and replays through the same policy in user space
#     with the verdicts the kernel gave.  While it runs, a second trace is
#     refused and rmt.ko cannot be unloaded.
#  3. With rings of 128 records (trace_records=100, rounded up), a tracer
#     that stops reading (SIGSTOP) while lookup_swap_cache fires more often
#     than its rings hold loses fires, and says how many: the samples and
#     the drops add up to the fires rmt/hooks counted.
#
# KTAP.
R=/rmt/rmtctl
. /rmt/ktap.sh
D=/sys/kernel/debug/rmt
HOOKS=$D/hooks

echo "KTAP version 1"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkswap /dev/vda >/dev/null 2>&1 && swapon /dev/vda
ktap_ok "swap on the virtio-blk disk" $?
echo false > /sys/kernel/mm/swap/vma_ra_enabled
insmod /rmt/rmt.ko
ktap_ok "insmod rmt.ko" $?
[ -e $D/trace ] && grep -qx "state idle" $D/trace_status
ktap_ok "debugfs rmt/trace and rmt/trace_status exist, no trace running" $? $D/trace_status

# hook NAME COUNTER: a counter of rmt/hooks
hook() { sed -n "s/^$1 .* $2 \([0-9]*\).*/\1/p" $HOOKS; }
# num KEY FILE: the number after KEY at the start of a line of FILE
num() { sed -n "s/^$1 \([0-9][0-9]*\).*/\1/p" "$2" | head -1; }
# jnum KEY FILE: a number of a JSON object in FILE
jnum() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$2" | head -1; }

wait_running() {
	i=0
	while ! grep -q "state running" $D/trace_status; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.1
	done
}

# ---- 1. nothing attached: an empty trace ----
$R trace record -o /tmp/empty.rmtt --hook swap_cluster_readahead --duration 0.5 \
	> /tmp/out 2>&1 && grep -q "no table is attached to swap_cluster_readahead" /tmp/out &&
	grep -q "^recorded 0 samples of swap_cluster_readahead in 0\.[0-9]* s to /tmp/empty.rmtt, dropped 0$" /tmp/out
ktap_ok "with no table attached: 0 samples, and a note that nothing fires" $? /tmp/out
$R trace show /tmp/empty.rmtt > /tmp/out 2>&1 && grep -qx "samples 0 decided 0 default 0 failed 0" /tmp/out
ktap_ok "the empty trace reads back" $? /tmp/out
grep -qx "state idle" $D/trace_status
ktap_ok "the trace ended with rmtctl" $? $D/trace_status
$R trace record -o /tmp/x.rmtt --duration 0.2 > /tmp/out 2>&1
[ $? -eq 2 ] && grep -q "no table is attached to any hook; name the hook to trace with --hook" /tmp/out
ktap_ok "without --hook and without tables, there is nothing to pick" $? /tmp/out

# ---- 2. the stride example, traced while the workload runs ----
$R policy apply /rmt/examples/stride-prefetch.rmt > /tmp/out 2>&1
ktap_ok "the stride-prefetch example applies" $? /tmp/out
$R trace record -o /tmp/auto.rmtt --duration 0.2 > /tmp/out 2>&1 &&
	grep -q "^recorded [0-9]* samples of swap_cluster_readahead " /tmp/out
ktap_ok "without --hook, the hook the tables are at is traced" $? /tmp/out
$R -j trace record -o /tmp/t.rmtt --hook swap_cluster_readahead \
	> /tmp/rec.json 2> /tmp/rec.err &
rec=$!
wait_running
ktap_ok "trace record starts a trace (rmt/trace_status: running)" $? $D/trace_status
sed 's/ fields .*//; s/^/# /' $D/trace_status
$R trace record -o /tmp/x.rmtt --hook swap_cluster_readahead --duration 1 > /tmp/out 2>&1
[ $? -eq 1 ] && grep -q "another trace is running" /tmp/out && [ ! -e /tmp/x.rmtt ]
ktap_ok "a second trace is refused while one runs" $? /tmp/out
rmmod rmt 2> /tmp/out
[ $? -ne 0 ] && grep -q rmt /proc/modules
ktap_ok "rmt.ko cannot be unloaded under a trace" $? /tmp/out
/rmt/stride 64 16 320 > /tmp/stride.out &
spid=$!
wait $spid
echo "# stride (pid $spid): $(cat /tmp/stride.out)"
kill -INT $rec
wait $rec
ktap_ok "trace record ends on SIGINT, status 0" $? /tmp/rec.err
cat /tmp/rec.json | sed 's/^/# /'
samples=$(jnum samples /tmp/rec.json)
dropped=$(jnum dropped /tmp/rec.json)
grep -q '^{"file":"/tmp/t.rmtt","hook":"swap_cluster_readahead","samples":[0-9]*,"dropped":[0-9]*,"duration_ns":[0-9]*}$' /tmp/rec.json &&
	[ "${samples:-0}" -gt 0 ]
ktap_ok "trace record -j: file, hook, samples ($samples), dropped ($dropped), duration_ns" $? /tmp/rec.json
grep -qx "state idle" $D/trace_status
ktap_ok "rmt.ko freed the trace when rmtctl closed it" $? $D/trace_status

$R trace show /tmp/t.rmtt --samples 1000000 > /tmp/show 2>&1
ktap_ok "trace show parses the recorded file" $? /tmp/show
head -14 /tmp/show | cut -c1-200 | sed 's/^/# /'
[ "$(num samples /tmp/show)" = "$samples" ] && [ "$(num dropped /tmp/show)" = "$dropped" ] &&
	grep -qx "hook swap_cluster_readahead id 1" /tmp/show &&
	grep -q "^fields 40 pid,tgid,cgroup,cpu,swap_type,offset,addr,kernel_window,ra0," /tmp/show
ktap_ok "its header: the hook, 40 fields, samples and dropped as recorded" $? /tmp/show
grep -q "^#[0-9]* +[0-9.]*s cpu [01] verdict .* pid=$spid tgid=$spid .* offset=[1-9][0-9]* " /tmp/show
ktap_ok "samples of the workload: its pid, a swap offset, a CPU of 2" $? /tmp/show
grep -q "verdict 16 (decided) pid=$spid " /tmp/show
ktap_ok "the policy's verdict for a stride: read 16 pages ahead" $?
grep -m1 "verdict 16 (decided)" /tmp/show | cut -c1-400 | sed 's/^/# /'
$R -e trace show /tmp/t.rmtt > /tmp/show.e 2>&1 && [ "$(num samples /tmp/show.e)" = "$samples" ]
ktap_ok "the embedded backend parses it too (rmtctl -e trace show)" $? /tmp/show.e
$R -e -S /tmp/st policy apply /rmt/examples/stride-prefetch.rmt > /tmp/out 2>&1 &&
	$R -e -S /tmp/st -j trace replay /tmp/t.rmtt --table prefetch > /tmp/replay 2>&1
st=$?
sed 's/^/# /' /tmp/replay
agree=$(jnum agree /tmp/replay)
[ $st -eq 0 ] && [ $((${agree:-0} * 10)) -ge $((samples * 9)) ]
ktap_ok "replayed in user space, the policy agrees with the kernel on >= 90% ($agree of $samples)" $? /tmp/out

# ---- 3. a tracer that stops reading: drops, counted ----
cat > /tmp/obs.rmt <<'POLICY'
action seen at lookup_swap_cache -> s64 { return DEFAULT; }
table obs at lookup_swap_cache { key pid : exact; default seen; }
POLICY
$R policy apply /tmp/obs.rmt > /tmp/out 2>&1
ktap_ok "an observing table at lookup_swap_cache applies" $? /tmp/out
$R trace record -o /tmp/x.rmtt --duration 0.2 > /tmp/out 2>&1
[ $? -eq 2 ] && grep -q "tables are attached to 2 hooks; name the one to trace with --hook" /tmp/out
ktap_ok "without --hook, tables at two hooks are ambiguous" $? /tmp/out
echo 100 > /sys/module/rmt/parameters/trace_records
f0=$(hook lookup_swap_cache fires)
$R trace record -o /tmp/d.rmtt --hook lookup_swap_cache --duration 600 \
	> /tmp/drec.out 2> /tmp/drec.err &
rec=$!
wait_running && kill -STOP $rec && grep -q " ring 128 " $D/trace_status
ktap_ok "a trace of lookup_swap_cache with rings of 128 starts; its reader stops" $? $D/trace_status
/rmt/stride 64 1 320 > /tmp/stride.out
echo "# stride: $(cat /tmp/stride.out)"
grep "state" $D/trace_status | sed 's/ fields .*//; s/^/# /'
kill -CONT $rec && kill -INT $rec
wait $rec
ktap_ok "SIGINT ends trace record, status 0" $? /tmp/drec.err
f1=$(hook lookup_swap_cache fires)
sed 's/^/# /' /tmp/drec.out /tmp/drec.err
$R trace show /tmp/d.rmtt --samples 0 > /tmp/dshow 2>&1
ktap_ok "the trace with drops parses" $? /tmp/dshow
ds=$(num samples /tmp/dshow)
dd=$(num dropped /tmp/dshow)
[ "${dd:-0}" -gt 0 ] && grep -q "^recorded $ds samples of lookup_swap_cache in .* dropped $dd$" /tmp/drec.out &&
	grep -q "warning: $dd fires of lookup_swap_cache not recorded: a CPU's ring of 128 records was full" /tmp/drec.err
ktap_ok "fires that found a ring full are counted ($dd), printed and warned about" $? /tmp/dshow
# The fires are read before the trace starts and after it stops: other
# tasks' swap-ins in between (the shell's, rmtctl's) blur the edges.
fires=$((f1 - f0)) diff=$((ds + dd - f1 + f0))
echo "# fires $fires, samples $ds, dropped $dd"
[ $((diff < 0 ? -diff : diff)) -le $((fires / 20)) ]
ktap_ok "samples + dropped = the fires rmt/hooks counted meanwhile (within 5%)" $?

rmmod rmt
ktap_ok "rmmod rmt after use" $?
ktap_end
