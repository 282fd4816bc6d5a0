# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# lib.sh - the optsim helpers shared by the shell selftests, and the TAP
# helpers of tools/testing/tap-lib.sh (see there). Sourced, not run.
# Needs: ksft_dir set by the sourcing script to its own directory.

OPTSIM_DEV=${OPTSIM_DEV:-/dev/optsim}
OPTSIM_REPO=${OPTSIM_REPO:-$(cd "$ksft_dir/.." && pwd -P)}
OPTSIMCTL=${OPTSIMCTL:-$OPTSIM_REPO/tools/optsimctl/optsimctl}
OPTSIM_KO=${OPTSIM_KO:-$OPTSIM_REPO/driver/optsim.ko}
# Module parameters run.sh loads the module with (module.sh restores them).
OPTSIM_MODPARAMS=${OPTSIM_MODPARAMS:-layer_sectors=32768}

# shellcheck source=tools/testing/tap-lib.sh
. "$ksft_dir/../tools/testing/tap-lib.sh"

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
