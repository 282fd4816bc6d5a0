#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio.sh - fio with data verification: random 64 KiB writes across the
# layer boundary of a BD-RE DL, random 4 KiB (sub-cluster) writes, and a
# sequential write of a whole blank BD-R DL, which a second pass must not
# be able to overwrite. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# BD-RE: 64 MiB layers; the writes cover 48 MiB to 80 MiB, across the
# boundary at 64 MiB: 256 clusters on each layer.
RE_LAYER=32768
# BD-R: 16 MiB layers, written completely (256 clusters each).
R_LAYER=8192

tap_plan 8

need_tools fio python3 "$OPTSIMCTL"

# run_fio NAME OPTIONS...: fio on the device, verifying what it wrote.
run_fio() {
	_name=$1
	shift
	fio --name="$_name" --filename="$OPTSIM_DEV" --direct=1 \
		--ioengine=libaio --iodepth=16 --verify=crc32c --verify_fatal=1 \
		--do_verify=1 --exitall_on_error --randrepeat=0 "$@"
}

# expect_recorded "L0 L1": the recorded clusters per layer.
expect_recorded() {
	_rec=$(info_get recorded_clusters) || return 1
	expect_eq "recorded clusters per layer" "$1" "$_rec"
}

# A second sequential pass over the recorded BD-R fails with EIO.
rewrite_refused() {
	if _out=$(run_fio bd-r-rewrite --rw=write --bs=64k --size=1M 2>&1); then
		printf '%s\n' "$_out"
		echo "fio rewrote recorded clusters of a BD-R"
		return 1
	fi
	printf '%s\n' "$_out"
	printf '%s\n' "$_out" | grep -q 'Input/output error'
}

tap_check "fio: load bd-re-dl, $RE_LAYER sectors per layer" \
	load_medium bd-re-dl "$RE_LAYER" || tap_broken="no medium"
tap_check "fio: randwrite 64k, verify crc32c, across the layer boundary" \
	run_fio bd-re-randwrite --rw=randwrite --bs=64k --offset=48M \
	--size=32M
tap_check "fio: 256 clusters recorded on each layer" expect_recorded "256 256"
tap_check "fio: randwrite 4k (sub-cluster), verify crc32c, across the boundary" \
	run_fio bd-re-randwrite-4k --rw=randwrite --bs=4k --offset=62M \
	--size=4M
tap_broken=
tap_check "fio: load bd-r-dl, $R_LAYER sectors per layer" \
	load_medium bd-r-dl "$R_LAYER" || tap_broken="no medium"
tap_check "fio: sequential write of the whole blank BD-R, verify crc32c" \
	run_fio bd-r-write --rw=write --bs=64k --size=32M
tap_check "fio: every cluster recorded once" expect_recorded "256 256"
tap_check "fio: a second write pass fails with EIO" rewrite_refused

tap_done
