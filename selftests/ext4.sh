#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ext4.sh - ext4 on a BD-RE DL: mkfs.ext4, mount, write a tree of files
# across both layers, check that LOAD is refused while mounted, unmount,
# fsck -n, remount and compare. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# 32 MiB layers, a 40 MiB tree: both layers hold data.
LAYER=16384
TREE_MIB=40

tap_plan 13

fs_test_begin ext4 mkfs.ext4 fsck.ext4 python3 sha256sum "$OPTSIMCTL"

# LOAD must be refused while the medium is mounted, and change nothing.
load_refused() {
	_before=$(info_get media):$(info_get layer_sectors)
	if load_medium bd-r 4096; then
		echo "LOAD succeeded under a mounted file system"
		return 1
	fi
	_after=$(info_get media):$(info_get layer_sectors)
	expect_eq "medium after the refused LOAD" "$_before" "$_after" &&
		expect_eq "medium" "bd-re-dl:$LAYER" "$_after" &&
		[ -f "$1/dir one/sub/deeper/hello.txt" ]
}

# The first 4 KiB of every file under b/ rewritten in place.
overwrite_files() {
	for _f in "$1"/b/*; do
		head -c 4096 /dev/urandom |
			dd of="$_f" conv=notrunc status=none || return 1
	done
	sync
}

tap_check "ext4: load bd-re-dl, $LAYER sectors per layer" \
	load_medium bd-re-dl "$LAYER" || tap_broken="no medium"
# 4 KiB blocks, a RAID-like stride of one 64 KiB cluster.
tap_check "ext4: mkfs.ext4" \
	mkfs.ext4 -F -q -b 4096 -E nodiscard,stride=16,stripe_width=16 \
	-L optsim "$OPTSIM_DEV" || tap_broken="mkfs.ext4 failed"
tap_check "ext4: mount" mount -t ext4 "$OPTSIM_DEV" "$mnt" ||
	tap_broken="mount failed"
tap_check "ext4: write a tree of files ($TREE_MIB MiB)" \
	copy_tree "$src" "$mnt"
tap_check "ext4: LOAD refused (EBUSY) while mounted" load_refused "$mnt"
tap_check "ext4: unmount" umount "$mnt" || tap_broken="umount failed"
tap_check "ext4: fsck.ext4 -n -f clean" fsck.ext4 -n -f "$OPTSIM_DEV"

tap_both_layers ext4

tap_check "ext4: mount again" mount -t ext4 "$OPTSIM_DEV" "$mnt" ||
	tap_broken="mount failed"
tap_check "ext4: files read back identical" \
	compare_trees "$work/manifest" "$mnt"
tap_check "ext4: overwrite files in place" overwrite_files "$mnt"
tap_check "ext4: final unmount" umount "$mnt"
tap_check "ext4: fsck.ext4 -n -f still clean" fsck.ext4 -n -f "$OPTSIM_DEV"

tap_done
