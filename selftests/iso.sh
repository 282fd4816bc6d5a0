#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# iso.sh - burn an ISO 9660 image to a BD-R DL with optsimctl, finalize,
# mount it read-only and compare; then check that the finalized disc
# refuses a second burn and raw writes (EIO) and kept its data. TAP on
# stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# 16 MiB layers: the ~20 MiB image spans the layer boundary.
LAYER=8192
TREE_MIB=18

tap_plan 11

fs_test_begin iso xorriso python3 sha256sum cmp dd "$OPTSIMCTL"
img=$work/image.iso

# The disc is finalized, without a next writable address, and holds data
# on both layers.
check_finalized() {
	_fin=$(info_get finalized) && _wo=$(info_get write_once) &&
		_nwa=$(info_get nwa) && _rec=$(info_get recorded_clusters) ||
		return 1
	expect_eq finalized true "$_fin" &&
		expect_eq write_once true "$_wo" &&
		expect_eq nwa null "$_nwa" || return 1
	[ "${_rec%% *}" -gt 0 ] && [ "${_rec##* }" -gt 0 ] && return 0
	echo "recorded clusters per layer: $_rec (both layers expected)"
	return 1
}

# The device starts with the image.
same_as_image() {
	cmp -n "$(stat -c %s "$img")" "$img" "$OPTSIM_DEV"
}

# optsimctl burn fails, and says why.
burn_refused() {
	if _out=$("$OPTSIMCTL" -d "$OPTSIM_DEV" burn "$img" 2>&1); then
		printf '%s\n' "$_out"
		echo "second burn succeeded"
		return 1
	fi
	printf '%s\n' "$_out"
	printf '%s\n' "$_out" | grep -qi 'finalized'
}

# A raw O_DIRECT write of one cluster to a blank place fails with EIO.
raw_write_eio() {
	_blank=$((2 * LAYER * 2048 / 65536 - 1))
	if dd if=/dev/zero of="$OPTSIM_DEV" bs=65536 count=1 seek="$_blank" \
		oflag=direct conv=notrunc status=none 2>"$work/dd.err"; then
		echo "dd write succeeded on a finalized disc"
		return 1
	fi
	cat "$work/dd.err"
	grep -q 'Input/output error' "$work/dd.err"
}

tap_check "iso: xorriso -as mkisofs image of a tree" \
	xorriso -as mkisofs -R -J -V OPTSIM -o "$img" "$src" ||
	tap_broken="no image"
tap_check "iso: load bd-r-dl, $LAYER sectors per layer" \
	load_medium bd-r-dl "$LAYER" || tap_broken="no medium"
tap_check "iso: optsimctl burn --finalize" \
	"$OPTSIMCTL" -d "$OPTSIM_DEV" burn "$img" --finalize ||
	tap_broken="burn failed"
tap_check "iso: disc finalized, data on both layers" check_finalized
tap_check "iso: device content equals the image" same_as_image
tap_check "iso: mount -t iso9660 -o ro" \
	mount -t iso9660 -o ro "$OPTSIM_DEV" "$mnt" || tap_broken="mount failed"
tap_check "iso: files read back identical" \
	compare_trees "$work/manifest" "$mnt"
tap_check "iso: unmount" umount "$mnt"
tap_check "iso: second burn refused (finalized)" burn_refused
tap_check "iso: raw write fails with EIO" raw_write_eio
tap_check "iso: data unchanged after the refused writes" same_as_image

tap_done
