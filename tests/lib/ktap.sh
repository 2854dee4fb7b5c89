# SPDX-License-Identifier: GPL-2.0-only
#
# KTAP for shell tests, sourced by the host scripts and, copied to
# /rmt/ktap.sh, by the guest scripts (POSIX sh, so busybox runs it).
# Results are numbered in order; ktap_end prints the plan and exits 0
# only if nothing failed.

ktap_n=0
ktap_fail=0

# ktap_ok DESCRIPTION STATUS [DIAGNOSTIC_FILE]: ok when STATUS is 0; on
# failure the file, if given and not empty, is shown as comments
ktap_ok() {
	ktap_n=$((ktap_n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $ktap_n $1"
	else
		echo "not ok $ktap_n $1"
		ktap_fail=1
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			sed 's/^/# /' "$3"
		fi
	fi
}

# ktap_check DESCRIPTION COMMAND...: ok when COMMAND succeeds
ktap_check() {
	ktap_desc=$1
	shift
	if "$@"; then
		ktap_ok "$ktap_desc" 0
	else
		ktap_ok "$ktap_desc" 1
	fi
}

# ktap_expect DESCRIPTION WANT_STATUS WANT_SUBSTRING COMMAND...: ok when
# COMMAND exits WANT_STATUS and its output (stdout and stderr) contains
# WANT_SUBSTRING; otherwise the status and the output become comments
ktap_expect() {
	ktap_desc=$1 ktap_want=$2 ktap_sub=$3
	shift 3
	ktap_out=$("$@" 2>&1)
	ktap_got=$?
	if [ "$ktap_got" -eq "$ktap_want" ] &&
	   printf '%s' "$ktap_out" | grep -qF -- "$ktap_sub"; then
		ktap_ok "$ktap_desc" 0
	else
		ktap_ok "$ktap_desc" 1
		echo "# exit $ktap_got (want $ktap_want, output with '$ktap_sub'); output:"
		printf '%s\n' "$ktap_out" | sed 's/^/#   /'
	fi
}

# ktap_skip DESCRIPTION REASON
ktap_skip() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

ktap_end() {
	echo "1..$ktap_n"
	exit "$ktap_fail"
}
