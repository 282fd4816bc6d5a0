#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# module.sh - loading and unloading the optsim module: rmmod is refused
# while the device is open or mounted, insmod with bad parameters fails and
# creates nothing, the defaults give a 50 GB bd-re-dl, the parameters are
# honoured (max_mem_mb caps the memory: ENOSPC; simd=0 and simd=1 record
# alike, and simd reads back the code in use). Leaves the module loaded
# with $OPTSIM_MODPARAMS, as run.sh loaded it. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

DEFAULT_LAYER=12219392

tap_plan 16

need_tools insmod rmmod mkfs.ext4 python3 dd "$OPTSIMCTL"
if ! [ -r "$OPTSIM_KO" ]; then
	tap_skip_rest "no $OPTSIM_KO (make module)"
	tap_done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-module.XXXXXX") || exit 1
mnt=$work/mnt
mkdir -p "$mnt"
trap 'exec 3<&-; cleanup_mount "$mnt"; rm -rf "$work"' EXIT

loaded() {
	[ -d /sys/module/optsim ]
}

# Everything the module creates is there.
present() {
	loaded && [ -b "$OPTSIM_DEV" ] && [ -d /sys/block/optsim ]
}

# Nothing of the module is left.
absent() {
	for _p in /sys/module/optsim /sys/block/optsim "$OPTSIM_DEV"; do
		if [ -e "$_p" ]; then
			echo "$_p exists"
			return 1
		fi
	done
}

# insmod_ok PARAMS...: load and wait for the device node.
insmod_ok() {
	insmod "$OPTSIM_KO" "$@" || return 1
	_i=0
	while ! [ -b "$OPTSIM_DEV" ]; do
		[ "$_i" -ge 50 ] && { echo "no $OPTSIM_DEV"; return 1; }
		sleep 0.1
		_i=$((_i + 1))
	done
}

rmmod_ok() {
	rmmod optsim && absent
}

# insmod_refused PARAMS...: insmod fails and leaves nothing behind.
insmod_refused() {
	if insmod "$OPTSIM_KO" "$@"; then
		echo "insmod $* succeeded"
		rmmod optsim
		return 1
	fi
	absent
}

# rmmod_refused: rmmod fails and the device stays.
rmmod_refused() {
	if rmmod optsim; then
		echo "rmmod succeeded while the device was in use"
		return 1
	fi
	present
}

# expect_info KEY=VALUE...: fields of optsimctl info --json.
expect_info() {
	for _kv in "$@"; do
		_got=$(info_get "${_kv%%=*}") || return 1
		expect_eq "${_kv%%=*}" "${_kv#*=}" "$_got" || return 1
	done
}

defaults_ok() {
	expect_info media=bd-re-dl layers=2 layer_sectors="$DEFAULT_LAYER" \
		capacity_sectors=$((2 * DEFAULT_LAYER)) || return 1
	_sz=$(blockdev --getsize64 "$OPTSIM_DEV") || return 1
	expect_eq "size in bytes" $((2 * DEFAULT_LAYER * 2048)) "$_sz"
}

# max_mem_mb=1: 1 MiB of recorded data at most; the write past it fails
# with ENOSPC and records nothing, what was written before stays.
mem_cap() {
	insmod_ok media=bd-re layer_sectors=4096 max_mem_mb=1 || return 1
	expect_info mem_limit=1048576 media=bd-re || return 1
	head -c 65536 /dev/urandom >"$work/c0"
	dd if="$work/c0" of="$OPTSIM_DEV" bs=65536 count=1 oflag=direct \
		conv=notrunc status=none || return 1
	# one cluster per request, from cluster 1 on
	if dd if=/dev/urandom of="$OPTSIM_DEV" bs=65536 count=32 seek=1 \
		iflag=fullblock oflag=direct conv=notrunc 2>"$work/dd.err"; then
		echo "2 MiB written with max_mem_mb=1"
		return 1
	fi
	cat "$work/dd.err"
	grep -q 'No space left on device' "$work/dd.err" || return 1
	_n=$(sed -n 's/^\([0-9][0-9]*\)+[0-9]* records out.*/\1/p' "$work/dd.err")
	[ -n "$_n" ] || return 1
	# clusters 0.._n are recorded, the refused cluster _n + 1 is not
	expect_info "recorded_clusters=$((_n + 1))" || return 1
	_used=$(info_get mem_used)
	[ "$_used" -le 1048576 ] || { echo "mem_used $_used"; return 1; }
	dd if="$OPTSIM_DEV" of="$work/refused" bs=65536 count=1 \
		skip=$((_n + 1)) iflag=direct status=none || return 1
	head -c 65536 /dev/zero >"$work/zero"
	cmp "$work/zero" "$work/refused" || return 1
	cmp -n 65536 "$work/c0" "$OPTSIM_DEV"
}

# simd_record N: load with simd=N, write random, zero, 0x55 and 0xff
# clusters and keep every cluster's quality record in $work/simd-N.csv.
simd_record() {
	insmod_ok media=bd-r layer_sectors=4096 "simd=$1" || return 1
	_used=$(cat /sys/module/optsim/parameters/simd) || return 1
	echo "simd=$1: parameter reads back $_used;" \
		"$(dmesg | grep -o 'recording model: [a-zA-Z0-9]* code' | tail -n 1)"
	case $1$_used in
	0N | 1Y | 1N) ;;
	*) echo "simd=$1 reads back $_used"; return 1 ;;
	esac
	dd if="$work/simd-data" of="$OPTSIM_DEV" bs=65536 oflag=direct \
		conv=notrunc status=none || return 1
	# its exit status says whether clusters are unreadable: not asked here
	"$OPTSIMCTL" -d "$OPTSIM_DEV" scan --csv "$work/simd-$1.csv" >/dev/null
	[ -s "$work/simd-$1.csv" ] || return 1
	rmmod optsim
}

# The scalar and the AVX2 code of the model give the same records.
simd_alike() {
	{
		head -c 1048576 /dev/urandom
		head -c 262144 /dev/zero
		head -c 262144 /dev/zero | tr '\0' 'U'
		head -c 262144 /dev/zero | tr '\0' '\377'
	} >"$work/simd-data"
	simd_record 0 && simd_record 1 || return 1
	[ "$(wc -l <"$work/simd-0.csv")" -gt 28 ] || return 1
	cmp "$work/simd-0.csv" "$work/simd-1.csv"
}

# The smallest and largest layer_sectors are accepted.
limits_ok() {
	for _ls in 1024 16777216; do
		insmod_ok "layer_sectors=$_ls" || return 1
		expect_info "layer_sectors=$_ls" || return 1
		rmmod optsim || return 1
	done
}

hold_open_refused() {
	exec 3<"$OPTSIM_DEV" || return 1
	rmmod_refused
	_rc=$?
	exec 3<&-
	return "$_rc"
}

mounted_refused() {
	load_medium bd-re-dl 8192 || return 1
	mkfs.ext4 -F -q -E nodiscard "$OPTSIM_DEV" || return 1
	mount -t ext4 "$OPTSIM_DEV" "$mnt" || return 1
	rmmod_refused
	_rc=$?
	umount "$mnt" || return 1
	return "$_rc"
}

if loaded; then
	tap_check "module: loaded" present
else
	# shellcheck disable=SC2086 # the parameters are separate words
	tap_check "module: insmod $OPTSIM_MODPARAMS" insmod_ok $OPTSIM_MODPARAMS
fi
tap_check "module: rmmod refused while the device is open" hold_open_refused
tap_check "module: rmmod refused while mounted" mounted_refused
tap_check "module: rmmod once closed and unmounted, nothing left" rmmod_ok
tap_check "module: insmod media=dvd fails, creates nothing" \
	insmod_refused media=dvd
tap_check "module: insmod layer_sectors=1000 fails, creates nothing" \
	insmod_refused layer_sectors=1000
tap_check "module: insmod layer_sectors=992 fails, creates nothing" \
	insmod_refused layer_sectors=992
tap_check "module: insmod layer_sectors=16777248 fails, creates nothing" \
	insmod_refused layer_sectors=16777248
tap_check "module: insmod at the layer_sectors limits 1024 and 16777216" \
	limits_ok
rmmod optsim 2>/dev/null
if tap_check "module: insmod with defaults" insmod_ok; then
	tap_check "module: defaults: bd-re-dl, 2 x $DEFAULT_LAYER sectors" \
		defaults_ok
else
	tap_skip "module: defaults" "insmod failed"
fi
rmmod optsim 2>/dev/null
if tap_check "module: insmod media=bd-r layer_sectors=4096" \
	insmod_ok media=bd-r layer_sectors=4096; then
	tap_check "module: parameters honoured: bd-r of 4096 sectors" \
		expect_info media=bd-r layers=1 capacity_sectors=4096
else
	tap_skip "module: parameters honoured" "insmod failed"
fi
rmmod optsim 2>/dev/null
tap_check "module: max_mem_mb=1 caps recorded data (ENOSPC)" mem_cap
rmmod optsim 2>/dev/null
tap_check "module: simd=0 and simd=1 record alike" simd_alike
rmmod optsim 2>/dev/null
# shellcheck disable=SC2086 # the parameters are separate words
tap_check "module: reload with $OPTSIM_MODPARAMS" insmod_ok $OPTSIM_MODPARAMS

tap_done
