# SPDX-License-Identifier: GPL-2.0-only
#
# Expected verdicts of the examples/*.rmt policies, shared by the host
# test (rmtctl's embedded backend) and the guest test (rmt.ko).  POSIX
# sh, so busybox runs it.  Set ex_rmtctl (the rmtctl command, with its
# options), ex_tmp (a scratch directory) and ex_why (a file collecting
# what went wrong) before calling the ex_* functions; each returns 0 if
# every verdict matched.

# ex_verdict TABLE "CTX" WANT [FIELD=VALUE]: one table test run; WANT
# is r0, or "miss" when no action ran
ex_verdict() {
	$ex_rmtctl table test "$1" ctx "$2" >"$ex_tmp/run" 2>&1
	ex_got=$(sed -n 's/^r0 //p' "$ex_tmp/run")
	[ -n "$ex_got" ] || ex_got=miss
	ex_ok=1
	[ "$ex_got" = "$3" ] || ex_ok=0
	if [ -n "${4:-}" ] && ! grep -q "^out.* $4\( \|$\)" "$ex_tmp/run"; then
		ex_ok=0
	fi
	[ $ex_ok = 1 ] && return 0
	echo "table $1 ctx $2: want $3 ${4:-}" >>"$ex_why"
	cat "$ex_tmp/run" >>"$ex_why"
	return 1
}

# swap_cluster_readahead: pid,tgid,cgroup,cpu,swap_type,offset,addr,
# kernel_window, then ra0..ra31 (the verdict's offsets)
ex_stride() {
	r=0
	for off in 1000 1008 1016; do
		ex_verdict prefetch "7,7,1,0,0,$off,0,8" -1 || r=1
	done
	ex_verdict prefetch "7,7,1,0,0,1024,0,8" 16 "ra0=1032" || r=1
	ex_verdict prefetch "7,7,1,0,0,1032,0,8" 16 "ra15=1160" || r=1
	ex_verdict prefetch "8,8,1,0,0,1040,0,8" -1 || r=1	# another process
	return $r
}

# lookup_swap_cache: pid,tgid,cgroup,cpu,swap_type,offset,addr,hit,prefetched
ex_cgroup() {
	r=0
	ex_verdict by_cgroup "1,1,10,0,0,5,0,8" 32 "ra31=37" || r=1
	ex_verdict by_cgroup "1,1,11,0,0,5,0,8" 0 || r=1
	ex_verdict by_cgroup "1,1,12,0,0,5,0,8" miss || r=1
	ex_verdict accounting "1,1,12,0,0,5,0,1,0" 0 || r=1
	$ex_rmtctl ctxmap show cache >"$ex_tmp/map" 2>&1
	grep -q "count 1 " "$ex_tmp/map" || { r=1; cat "$ex_tmp/map" >>"$ex_why"; }
	return $r
}

# can_migrate_task: src_non_pref_nr,delta_hot,idle,not_idle,newly_idle,
# same_node,prefer_src,prefer_dst,src_len,src_load,dst_load,dst_len,
# delta_faults,extra_fails,buddy_hot,pid,tgid,cgroup,src_cpu,dst_cpu,cfs
ex_migrate() {
	r=0
	ex_verdict balance "0,0,0,1,0,1,0,0,3,0,0,1,0,0,0,5,5,1,0,1,1" 1 || r=1
	ex_verdict balance "0,0,0,1,0,1,0,0,2,0,0,2,0,0,0,5,5,1,0,1,0" 0 || r=1
	ex_verdict balance "0,0,0,1,0,1,0,0,1,0,0,3,0,0,0,5,5,1,0,1,1" 0 || r=1
	ex_verdict balance "0,20971520,0,1,0,1,0,0,5,0,0,1,0,0,0,5,5,1,0,1,0" 1 || r=1
	return $r
}

ex_dtree() {
	r=0
	for pair in 100:-1 110:-1 120:-1 130:16 1130:-1 2130:-1 3130:4 4130:4; do
		ex_verdict prefetch_tree "9,9,1,0,0,${pair%%:*},0,8" "${pair#*:}" || r=1
	done
	ex_verdict prefetch_tree "9,9,1,0,0,5130,0,8" 4 "ra3=9130" || r=1
	return $r
}
