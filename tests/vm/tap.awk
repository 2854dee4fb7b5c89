# SPDX-License-Identifier: GPL-2.0-only
# Turn a guest's serial console log into a TAP stream on stdout.
# Input: the log written by run.sh. Environment: QRC (qemu/timeout exit
# code), KVER, TIMEOUT, START/END (host wall clock), MODLIST.
# Exit status 0 iff every test passed.

function out(s) { buf[++nbuf] = s }

# Kernel messages that name a problem; a hit fails the run.
function kernel_bad(s) {
	return s ~ /WARNING:|BUG:|Oops|Call Trace|kernel BUG|general protection fault|unreferenced object|UBSAN:|KASAN:|Kernel panic/
}

# Record distinct problem lines; the first one with the lines after it,
# which usually hold the location and the stack.
function scan(s,    key) {
	# The dmesg dump repeats what the console already showed.
	key = s
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", key)
	if (ctx > 0) {
		seen[key] = 1
		# Register dumps say little in a test report.
		if (key ~ /^ *(R[A-Z0-9]+|[ECDFG]S|CR2|DR[0-9]|Code): / && key !~ /^RIP:/)
			return
		ctx--
		bad[++nbad] = s
		return
	}
	if (!kernel_bad(s) || (key in seen))
		return
	seen[key] = 1
	if (nbad == 0)
		ctx = 15
	if (nbad < 30)
		bad[++nbad] = s
}

function guest(s,    m) {
	if (s ~ /^(K?TAP) version /)
		return
	if (s ~ /^1\.\.[0-9]+/) {
		m = s; sub(/^1\.\./, "", m); sub(/[^0-9].*/, "", m)
		plan = m + 0
		return
	}
	if (s ~ /^not ok/) {
		out(s); ntests++; nfail++
	} else if (s ~ /^ok/) {
		out(s); ntests++
	} else if (s ~ /^Bail out!/) {
		out("# " s); bail = 1
	} else if (s ~ /^#/ || s ~ /^[ \t]/) {
		out(s)
	} else if (s != "") {
		out("# " s)
	}
}

BEGIN { state = "pre"; plan = -1; status = -1 }

{
	sub(/\r$/, "")
	if ($0 ~ /^@@RMT-VM-BEGIN@@/) {
		state = "cmd"; t_begin = $0; sub(/.*uptime=/, "", t_begin)
		next
	}
	if ($0 ~ /^@@RMT-VM-END@@/) {
		state = "post"; status = $0
		sub(/.*status=/, "", status); sub(/ .*/, "", status)
		next
	}
	if ($0 ~ /^@@RMT-VM-DMESG-/)
		next
	if ($0 ~ /^RMT-VM: /)
		note[++nnote] = $0
	# Kernel lines carry a printk timestamp; in the command's section all
	# other lines are the command's own output.
	if (state == "cmd" && $0 !~ /^\[ *[0-9]+\.[0-9]+\]/) {
		guest($0)
		next
	}
	if ($0 ~ /Kernel panic/)
		panic = 1
	scan($0)
}

END {
	n = ntests
	failed = nfail

	n++
	if (status == 0) {
		out("ok " n " - guest command exited 0")
	} else {
		failed++
		out("not ok " n " - guest command exited 0")
		if (status > 0)
			out("# exit status " status)
		else if (ENVIRON["QRC"] == 124)
			out("# guest timed out after " ENVIRON["TIMEOUT"] " s")
		else if (panic)
			out("# guest kernel panicked")
		else
			out("# guest ended without finishing (qemu exit " ENVIRON["QRC"] ")")
	}
	for (i = 1; i <= nnote; i++)
		out("# " note[i])

	n++
	if (plan < 0 && !bail) {
		out("ok " n " - guest TAP plan matches results # SKIP no plan")
	} else if (plan == ntests && !bail) {
		out("ok " n " - guest TAP plan matches results")
	} else {
		failed++
		out("not ok " n " - guest TAP plan matches results")
		out("# planned " plan ", reported " ntests (bail ? ", bailed out" : ""))
	}

	n++
	if (nbad == 0) {
		out("ok " n " - kernel log has no WARN/BUG/oops")
	} else {
		failed++
		out("not ok " n " - kernel log has no WARN/BUG/oops")
		for (i = 1; i <= nbad; i++)
			out("# " bad[i])
	}

	print "TAP version 13"
	print "1.." n
	print "# kernel " ENVIRON["KVER"] (ENVIRON["MODLIST"] != "" ? ", modules: " ENVIRON["MODLIST"] : "")
	printf "# guest boot time: %s s to command start (guest uptime), %.1f s qemu wall time in total\n", \
		(t_begin != "" ? t_begin : "?"), ENVIRON["END"] - ENVIRON["START"]
	for (i = 1; i <= nbuf; i++)
		print buf[i]
	exit (failed > 0 ? 1 : 0)
}
