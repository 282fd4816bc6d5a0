#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# udf.sh - UDF on a BD-RE DL: mkudffs, mount, write a tree of files that
# reaches into layer 1, unmount, remount and compare; then change files
# (overwrite in place: rewritable) and compare again. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# 16 MiB layers: the 22 MiB tree has to use layer 1 too.
LAYER=8192
TREE_MIB=22

tap_plan 11

fs_test_begin udf mkudffs python3 sha256sum "$OPTSIMCTL"

tap_check "udf: load bd-re-dl, $LAYER sectors per layer" \
	load_medium bd-re-dl "$LAYER" || tap_broken="no medium"
# BD-RE is random-access rewritable with drive defect management, like
# DVD-RAM (mkudffs has no BD-RE type): plain UDF 2.01, no sparing, no VAT.
tap_check "udf: mkudffs --blocksize=2048" \
	mkudffs --media-type=dvdram --blocksize=2048 --label=OPTSIM \
	"$OPTSIM_DEV" || tap_broken="mkudffs failed"
tap_check "udf: mount -t udf" mount -t udf "$OPTSIM_DEV" "$mnt" ||
	tap_broken="mount failed"
tap_check "udf: write a tree of files ($TREE_MIB MiB)" copy_tree "$src" "$mnt"
tap_check "udf: unmount" umount "$mnt" || tap_broken="umount failed"

tap_both_layers udf

tap_check "udf: mount again" mount -t udf "$OPTSIM_DEV" "$mnt" ||
	tap_broken="mount failed"
tap_check "udf: files read back identical" \
	compare_trees "$work/manifest" "$mnt"

# Rewrite in place, remove, add: then everything again from the medium.
change() {
	head -c 70000 /dev/urandom >"$src/b/f65536" &&
		cp "$src/b/f65536" "$2/b/f65536" &&
		rm "$src/b/f1" "$2/b/f1" &&
		echo "added later" >"$src/dir one/added" &&
		cp "$src/dir one/added" "$2/dir one/added" &&
		manifest "$src" >"$work/manifest" &&
		umount "$2" && mount -t udf "$OPTSIM_DEV" "$2"
}
tap_check "udf: overwrite, remove and add files, remount" \
	change "$src" "$mnt"
tap_check "udf: changed tree reads back identical" \
	compare_trees "$work/manifest" "$mnt"
tap_check "udf: final unmount" umount "$mnt"

tap_done
