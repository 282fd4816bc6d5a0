# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP helpers for the host test scripts (sourced, POSIX sh): a scratch
# directory $T removed on exit, and pass/fail/skip that number the
# results; tap_end prints the plan and returns 1 when a test failed.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
# fail DESC [DETAIL]
fail() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	if [ $# -gt 1 ]; then echo "#   $2"; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
tap_end() {
	echo "1..$n"
	[ "$fails" -eq 0 ]
}
