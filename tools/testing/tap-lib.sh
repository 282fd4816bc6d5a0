# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tap-lib.sh - the TAP helpers of every shell test: the selftests (through
# selftests/lib.sh, in the VM) and the host tests. Sourced, not run.
#
# tap_plan N first, then one result per test:
#   tap_check DESC CMD...	run CMD (output kept), ok when it exits 0
#   tap_check_fails DESC CMD...	ok when CMD exits non-zero
#   tap_result DESC RC [DIAG]	ok when RC is 0
#   tap_ok DESC, tap_not_ok DESC, tap_skip DESC REASON
#   tap_skip_rest REASON	skip every planned test not reported yet
# and tap_done at the end (exit status: 0 when nothing failed). Without
# tap_plan, tap_end prints the plan last (and returns 1 when a test
# failed). Diagnostics go to stdout prefixed with "# ". With tap_file set,
# every result line and the plan go to that file too (not the log that
# tap_check shows after a failure).
#
# The host tests' short forms: pass DESC, fail DESC [DETAIL...], skip DESC
# REASON; tap_tmpdir makes a scratch directory $T, removed on exit.

tap_planned=
tap_n=0
tap_failed=0
# Set when a step failed that later steps depend on.
tap_broken=

tap_file=

# tap_out LINE...: to stdout, and to $tap_file when set.
tap_out() {
	printf '%s\n' "$@"
	if [ -n "$tap_file" ]; then
		printf '%s\n' "$@" >>"$tap_file"
	fi
}

tap_plan() {
	tap_planned=$1
	tap_out "1..$1"
}

tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /' |
		if [ -n "$tap_file" ]; then tee -a "$tap_file"; else cat; fi
}

tap_ok() {
	tap_n=$((tap_n + 1))
	tap_out "ok $tap_n - $*"
}

tap_not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	tap_out "not ok $tap_n - $*"
}

tap_skip() {
	tap_n=$((tap_n + 1))
	tap_out "ok $tap_n - $1 # SKIP $2"
}

tap_skip_rest() {
	while [ "$tap_n" -lt "$tap_planned" ]; do
		tap_skip "test $((tap_n + 1))" "$1"
	done
}

# The output of the last tap_check/tap_run command.
tap_log=${TMPDIR:-/tmp}/optsim-ksft.$$.log

# tap_run CMD...: run CMD with its output in $tap_log; its exit status.
tap_run() {
	"$@" >"$tap_log" 2>&1
}

tap_show_log() {
	if [ -s "$tap_log" ]; then
		tail -n 25 "$tap_log" | sed 's/^/# /'
	fi
}

tap_check() {
	_desc=$1
	shift
	if [ -n "$tap_broken" ]; then
		tap_skip "$_desc" "$tap_broken"
		return 1
	fi
	tap_run "$@"
	_rc=$?
	if [ "$_rc" -eq 0 ]; then
		tap_ok "$_desc"
		return 0
	fi
	tap_not_ok "$_desc"
	tap_diag "command failed (exit $_rc): $*"
	tap_show_log
	return 1
}

tap_check_fails() {
	_desc=$1
	shift
	if [ -n "$tap_broken" ]; then
		tap_skip "$_desc" "$tap_broken"
		return 1
	fi
	if tap_run "$@"; then
		tap_not_ok "$_desc"
		tap_diag "command succeeded, expected a failure: $*"
		tap_show_log
		return 1
	fi
	tap_ok "$_desc"
	return 0
}

# tap_result DESC RC [DIAG]
tap_result() {
	if [ -n "$tap_broken" ]; then
		tap_skip "$1" "$tap_broken"
		return 1
	fi
	if [ "$2" -eq 0 ]; then
		tap_ok "$1"
		return 0
	fi
	tap_not_ok "$1"
	[ $# -ge 3 ] && [ -n "$3" ] && tap_diag "$3"
	return 1
}

# tap_end: the plan, last, for a script that did not know it first; 1 when
# a test failed.
tap_end() {
	rm -f "$tap_log"
	tap_out "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

tap_done() {
	rm -f "$tap_log"
	if [ "$tap_n" -ne "$tap_planned" ]; then
		tap_diag "planned $tap_planned tests but ran $tap_n"
		exit 1
	fi
	[ "$tap_failed" -eq 0 ]
	exit $?
}


# ---- host tests -----------------------------------------------------------

pass() {
	tap_ok "$1"
}

# tap_fail DESC [DETAIL...]: not ok, each DETAIL as a "#   " line.
tap_fail() {
	tap_not_ok "$1"
	shift
	for _l in "$@"; do
		tap_out "#   $_l"
	done
}

fail() {
	tap_fail "$@"
}

skip() {
	tap_skip "$1" "$2"
}

# tap_tmpdir: a scratch directory $T, removed on exit.
tap_tmpdir() {
	T=$(mktemp -d) || exit 1
	trap 'rm -rf "$T"' EXIT
}
