# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# lib.sh - TAP helpers and optsim helpers shared by the shell selftests.
# Sourced, not run. Needs: ksft_dir set by the sourcing script to its own
# directory.
#
# TAP: tap_plan N first, then one tap_* result per test:
#   tap_check DESC CMD...	run CMD (output kept), ok when it exits 0
#   tap_check_fails DESC CMD...	ok when CMD exits non-zero
#   tap_result DESC RC [DIAG]	ok when RC is 0
#   tap_skip DESC REASON
#   tap_skip_rest REASON	skip every planned test not reported yet
# and tap_done at the end (exit status: 0 when nothing failed). Without
# tap_plan, tap_end prints the plan last (and returns). Diagnostics go to
# stdout prefixed with "# ". With tap_file set, every TAP line goes to
# that file too.

OPTSIM_DEV=${OPTSIM_DEV:-/dev/optsim}
OPTSIM_REPO=${OPTSIM_REPO:-$(cd "$ksft_dir/.." && pwd -P)}
OPTSIMCTL=${OPTSIMCTL:-$OPTSIM_REPO/tools/optsimctl/optsimctl}
OPTSIM_KO=${OPTSIM_KO:-$OPTSIM_REPO/driver/optsim.ko}
# Module parameters run.sh loads the module with (module.sh restores them).
OPTSIM_MODPARAMS=${OPTSIM_MODPARAMS:-layer_sectors=32768}

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

# tap_end: the plan, last, for a script that did not know it first.
tap_end() {
	rm -f "$tap_log"
	tap_out "1..$tap_n"
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

# missing_tool TOOL...: the first missing one, or nothing.
missing_tool() {
	for _t in "$@"; do
		if ! command -v "$_t" >/dev/null 2>&1 && ! [ -x "$_t" ]; then
			echo "$_t"
			return 0
		fi
	done
	return 0
}

# need_tools TOOL...: when one is missing, skip the rest of the plan and
# end the test there.
need_tools() {
	missing=$(missing_tool "$@")
	if [ -n "$missing" ]; then
		tap_skip_rest "$missing not available"
		tap_done
	fi
}

# ---- optsim -------------------------------------------------------------

# stop_monitor: end the "optsimctl monitor" started in the background as
# $mon_pid, and forget it.
stop_monitor() {
	kill "$mon_pid" 2>/dev/null
	wait "$mon_pid" 2>/dev/null
	mon_pid=
}

# tap_both_layers NAME: ok when "info" counts recorded clusters on layer 0
# and on layer 1.
tap_both_layers() {
	_rec=$(info_get recorded_clusters 2>&1)
	case $_rec in
	*[!0-9\ ]* | '') _ok=1 ;;
	*) [ "${_rec%% *}" -gt 0 ] && [ "${_rec##* }" -gt 0 ]; _ok=$? ;;
	esac
	tap_result "$1: data recorded on both layers" "$_ok" \
		"recorded clusters per layer: $_rec"
}

# info_get KEY: a field of "optsimctl info --json" (lists space separated,
# strings without quotes, true/false/null as such).
info_get() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" info --json | python3 -c '
import json, sys
v = json.load(sys.stdin)[sys.argv[1]]
if isinstance(v, list):
    print(" ".join(json.dumps(x) for x in v))
elif isinstance(v, str):
    print(v)
else:
    print(json.dumps(v))
' "$1"
}

# load MEDIA [LAYER_SECTORS]
load_medium() {
	if [ $# -ge 2 ]; then
		"$OPTSIMCTL" -d "$OPTSIM_DEV" load --media "$1" --layer-sectors "$2"
	else
		"$OPTSIMCTL" -d "$OPTSIM_DEV" load --media "$1"
	fi
}

# expect_eq WHAT WANT GOT: 0 when equal, else a diagnostic and 1.
expect_eq() {
	if [ "$2" = "$3" ]; then
		return 0
	fi
	tap_diag "$1: expected '$2', got '$3'"
	return 1
}

# A tree of files with awkward sizes and names, about $2 MiB in total.
make_tree() {
	_root=$1
	_mib=$2
	mkdir -p "$_root/dir one/sub/deeper" "$_root/empty dir" "$_root/b" || return 1
	: >"$_root/zero" || return 1
	for _sz in 1 2047 2048 2049 4096 65535 65536 65537 131072; do
		head -c "$_sz" /dev/urandom >"$_root/b/f$_sz" || return 1
	done
	head -c 1048576 /dev/urandom >"$_root/dir one/one MiB" || return 1
	echo "hello optsim" >"$_root/dir one/sub/deeper/hello.txt" || return 1
	_i=0
	while [ "$_i" -lt 40 ]; do
		head -c $((_i * 509 + 3)) /dev/urandom >"$_root/dir one/sub/s$_i" ||
			return 1
		_i=$((_i + 1))
	done
	if [ "$_mib" -gt 2 ]; then
		head -c $(((_mib - 2) * 1048576)) /dev/urandom >"$_root/big" ||
			return 1
	fi
}

# manifest DIR: sorted "sha256  ./path" lines for every file, and the
# directories, on stdout.
manifest() {
	(
		cd "$1" || exit 1
		find . -type d ! -name 'lost+found' ! -path './lost+found/*' |
			LC_ALL=C sort | sed 's/^/dir  /'
		find . -type f ! -path './lost+found/*' -print0 |
			LC_ALL=C sort -z | xargs -0 -r sha256sum
	)
}

# compare_trees MANIFEST DIR: 0 when DIR matches the manifest file; the
# differences on stdout otherwise.
compare_trees() {
	_m=${TMPDIR:-/tmp}/optsim-ksft.$$.manifest
	manifest "$2" >"$_m" || return 1
	diff -u "$1" "$_m"
	_rc=$?
	rm -f "$_m"
	return "$_rc"
}

# copy_tree SRC DST: copy SRC's contents into DST and sync.
copy_tree() {
	cp -R "$1/." "$2/" && sync
}

# Undo whatever a test left mounted on its mount point.
cleanup_mount() {
	if [ -n "${1:-}" ] && mountpoint -q "$1" 2>/dev/null; then
		umount "$1" 2>/dev/null || umount -l "$1" 2>/dev/null
	fi
}

# fs_test_begin NAME TOOL...: the common start of the file-system tests.
# Skips the rest of the plan when a tool is missing; otherwise sets $work
# (removed on exit), $mnt (unmounted on exit) and $src, a tree of $TREE_MIB
# MiB whose manifest is in $work/manifest.
fs_test_begin() {
	_name=$1
	shift
	need_tools "$@"

	work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-$_name.XXXXXX") || exit 1
	mnt=$work/mnt
	src=$work/src
	trap 'cleanup_mount "$mnt"; rm -rf "$work"' EXIT
	mkdir -p "$mnt" "$src"

	if ! make_tree "$src" "$TREE_MIB" ||
	   ! manifest "$src" >"$work/manifest"; then
		tap_diag "cannot create the source tree in $work"
		tap_skip_rest "no source tree"
		tap_done
	fi
}
