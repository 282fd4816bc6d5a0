#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mmc.sh - the MMC front with Debian's own clients (Documentation/mmc.rst):
# /dev/optsim's LUN on the "optsim" SCSI host, its srN and sgN nodes, and
# per medium loaded through optsimctl: sg3-utils (sg_inq, sg_turs,
# sg_readcap, sg_get_config, sg_modes, sg_raw), udev's cdrom_id, growisofs
# on a blank BD-R and on a BD-RE after dvd+rw-format (read back through
# both fronts), two xorriso sessions with -close off, a mount of both,
# finalizing with -close on and a refused further write, cdrskin -minfo
# and -tao and -sao burns (the latter reserves its track), wodim
# -checkdrive, the first write waiting for OPC (02/04/08, then it records;
# a refused write starts none), recovered-error reporting with mode page
# 01's PER bit, a growisofs burn across the layer jump of a BD-R DL, eject
# and load through eject(1), /dev/optsim and optsimctl as both fronts see
# them (unit attention, GESN, not ready), an underpowered write that reads back with a medium error, a
# second drive's LUN, a drive removed while its sr node is open (a
# hot-unplug), the module parameter mmc=0, and a kernel log free of
# SCSI timeouts, aborts, offlined devices and GESN/TUR disagreement. Every
# client runs under timeout(1): a hang fails its test, not the run. TAP
# on stdout. Leaves the module loaded with $OPTSIM_MODPARAMS.
#
# The CDB fuzzer is optsim_mmc_fuzz (fixture "mmc"): run.sh runs it with
# this script for "run.sh OUTDIR mmc" (make vm-test T=mmc).

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"
# shellcheck source-path=SCRIPTDIR source=image-lib.sh
. "$ksft_dir/image-lib.sh"

# 32 MiB per layer, a ~3 MiB image: quick under TCG.
LAYER=16384
TREE_MIB=3
# Seconds a client may take: far more than any needs on these discs, on
# the stock kernel (seconds) and on the debug kernel, where the OPC that
# a write into a new layer starts takes two to three minutes under TCG
# (testing.rst, part J: growisofs across the layer jump).
TMO=600
# Far below every medium's optimum (as quality.sh).
LOW_POWER_MW=1.0
# What the kernel log must not say about the LUN.
BAD_KLOG='timing out|abort|offlined|GET_EVENT and TUR disagree'

# sg3-utils exit statuses (sg_lib.h).
SG_NOT_READY=2
SG_MEDIUM_HARD=3
SG_ILLEGAL_REQ=5
SG_UNIT_ATTENTION=6
SG_RECOVERED=21
# A BD-R DL image larger than one layer of $LAYER sectors (32 MiB).
DL_IMAGE_MIB=40

tap_plan 78

fs_test_begin mmc sg_inq sg_turs sg_readcap sg_get_config sg_modes sg_raw \
	lsscsi growisofs dvd+rw-format dvd+rw-mediainfo xorriso cdrskin wodim \
	eject timeout python3 cmp dd /lib/udev/cdrom_id "$OPTSIMCTL"
img=$work/image.iso
dlimg=$work/dl.iso
sr=
sg=

# ---- the LUN ------------------------------------------------------------

# mmc_host: the number of the SCSI host whose proc_name is "optsim".
mmc_host() {
	for _h in /sys/class/scsi_host/host*; do
		if [ "$(cat "$_h/proc_name" 2>/dev/null)" = optsim ]; then
			echo "${_h##*/host}"
			return 0
		fi
	done
	return 1
}

# lun_nodes ID: the "srN sgN" of drive ID's LUN (target ID, LUN 0), once
# sr and sg bound it and their nodes exist; waits up to 10 s.
lun_nodes() {
	_i=0
	while [ "$_i" -lt 100 ]; do
		if _h=$(mmc_host); then
			_d=/sys/bus/scsi/devices/$_h:0:$1:0
			_r=$(ls "$_d/block" 2>/dev/null)
			_g=$(ls "$_d/scsi_generic" 2>/dev/null)
			if [ -n "$_r" ] && [ -n "$_g" ] && [ -b "/dev/$_r" ] &&
			   [ -c "/dev/$_g" ]; then
				echo "$_r $_g"
				return 0
			fi
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "no LUN $(mmc_host || echo '?'):0:$1:0 with sr and sg nodes"
	ls -l /sys/class/scsi_host/ /sys/bus/scsi/devices/ 2>&1
	return 1
}

find_lun() {
	_n=$(lun_nodes 0) || { echo "$_n"; return 1; }
	sr=/dev/${_n% *}
	sg=/dev/${_n#* }
	echo "drive 0: $sr $sg"
}

# lsscsi -g lists the LUN as a cd/dvd of vendor OPTSIM with both nodes.
lsscsi_lists() {
	timeout "$TMO" lsscsi -g | tee "$work/lsscsi"
	grep "cd/dvd *OPTSIM " "$work/lsscsi" | grep -q "$sr *$sg"
}

# optsimctl info --json names the same nodes (keys sr and sg).
info_names_nodes() {
	_isr=$(info_get sr) && _isg=$(info_get sg) || return 1
	expect_eq "info sr" "${sr#/dev/}" "${_isr#/dev/}" &&
		expect_eq "info sg" "${sg#/dev/}" "${_isg#/dev/}"
}

# sg_inq: peripheral device type 5, removable, vendor OPTSIM.
inquiry_ok() {
	timeout "$TMO" sg_inq "$sr" | tee "$work/inq" || return 1
	grep -q 'PDT=5 ' "$work/inq" && grep -q 'RMB=1' "$work/inq" &&
		grep -q 'Vendor identification: OPTSIM' "$work/inq"
}

# ---- medium state as the LUN reports it ---------------------------------

# turs: sg_turs's exit status, its output in $work/turs.
turs() {
	timeout "$TMO" sg_turs -v "$sg" >"$work/turs" 2>&1
}

# ready: TEST UNIT READY succeeds within 10 tries; a unit attention
# (06/28/00 after a change) is consumed on the way, nothing else passes.
ready() {
	_i=0
	while [ "$_i" -lt 10 ]; do
		turs
		_rc=$?
		[ "$_rc" -eq 0 ] && return 0
		cat "$work/turs"
		[ "$_rc" -eq "$SG_UNIT_ATTENTION" ] || return 1
		_i=$((_i + 1))
	done
	return 1
}

# not_ready WHAT: TEST UNIT READY reports not ready, medium not present
# (after at most one unit attention).
not_ready() {
	turs
	_rc=$?
	cat "$work/turs"
	if [ "$_rc" -eq "$SG_UNIT_ATTENTION" ]; then
		turs
		_rc=$?
		cat "$work/turs"
	fi
	[ "$_rc" -eq "$SG_NOT_READY" ] &&
		grep -qi 'medium not present' "$work/turs"
}

# ua_then_ready: the first TEST UNIT READY after a change reports unit
# attention (medium may have changed), the next ones ready.
ua_then_ready() {
	turs
	_rc=$?
	cat "$work/turs"
	if [ "$_rc" -ne "$SG_UNIT_ATTENTION" ]; then
		echo "first TUR after the change: exit $_rc, expected unit attention ($SG_UNIT_ATTENTION)"
		return 1
	fi
	grep -qi 'medium may have changed' "$work/turs" || return 1
	ready
}

# gesn_event CODE: GET EVENT STATUS NOTIFICATION (polled, media class)
# reports media event CODE (2 new media, 3 removal), and only once.
gesn_event() {
	_cdb="4a 01 00 00 10 00 00 00 08 00"
	# shellcheck disable=SC2086 # the CDB bytes are words
	timeout "$TMO" sg_raw -r 8 "$sg" $_cdb >"$work/gesn" 2>&1 || {
		cat "$work/gesn"
		return 1
	}
	cat "$work/gesn"
	_ev=$(awk '$1 == "00" && NF >= 9 { print $6; exit }' "$work/gesn")
	expect_eq "media event (byte 4)" "0$1" "$_ev" || return 1
	# shellcheck disable=SC2086
	timeout "$TMO" sg_raw -r 8 "$sg" $_cdb >"$work/gesn" 2>&1 || return 1
	_ev=$(awk '$1 == "00" && NF >= 9 { print $6; exit }' "$work/gesn")
	expect_eq "media event of the next GESN" "00" "$_ev"
}

# profile NAME: sg_get_config -c names NAME as the current profile.
profile() {
	timeout "$TMO" sg_get_config -c "$sr" | tee "$work/config" || return 1
	grep -q "^Current profile: $1\$" "$work/config"
}

# page_2a: MODE SENSE page 2A (MM capabilities) answers.
page_2a() {
	timeout "$TMO" sg_modes -p 0x2a "$sr" | tee "$work/modes" || return 1
	grep -qi 'capabilities' "$work/modes"
}

# readcap BLOCKS: READ CAPACITY gives 2048-byte blocks, BLOCKS of them
# (any number > 0 when BLOCKS is "any").
readcap() {
	timeout "$TMO" sg_readcap "$sr" | tee "$work/readcap" || return 1
	grep -q 'Logical block length=2048 bytes' "$work/readcap" || return 1
	_nb=$(sed -n 's/.*Number of logical blocks=\([0-9]*\).*/\1/p' "$work/readcap")
	if [ "$1" = any ]; then
		[ "${_nb:-0}" -gt 0 ]
	else
		expect_eq "number of logical blocks" "$1" "$_nb"
	fi
}

# cdrom_id KEY=VALUE...: udev's cdrom_id reports each of them.
cdrom_id_says() {
	timeout "$TMO" /lib/udev/cdrom_id "$sr" | tee "$work/cdrom_id" ||
		return 1
	for _kv in "$@"; do
		grep -qx "$_kv" "$work/cdrom_id" || {
			echo "cdrom_id: no $_kv"
			return 1
		}
	done
}

# ---- reading back ----------------------------------------------------------

# readback DEV IMG: DEV starts with IMG (O_DIRECT reads of whole clusters).
readback() {
	_sz=$(stat -c %s "$2")
	dd if="$1" of="$work/back" bs=65536 count=$(((_sz + 65535) / 65536)) \
		iflag=direct status=none || return 1
	cmp -n "$_sz" "$2" "$work/back"
}

both_fronts() {
	readback "$sr" "$1" && readback "$OPTSIM_DEV" "$1"
}

# A cluster written through /dev/optsim reads back through srN.
optsim_to_sr() {
	_c=$((LAYER / 32 - 4))
	head -c 65536 /dev/urandom >"$work/cluster" &&
		dd if="$work/cluster" of="$OPTSIM_DEV" bs=65536 seek="$_c" \
			count=1 oflag=direct conv=notrunc status=none &&
		dd if="$sr" of="$work/back" bs=65536 skip="$_c" count=1 \
			iflag=direct status=none &&
		cmp "$work/cluster" "$work/back"
}

# ---- the media -----------------------------------------------------------

# load_ready MEDIA: a fresh medium of $LAYER sectors per layer; its unit
# attention consumed.
load_ready() {
	load_medium "$1" "$LAYER" && ready
}

ready_same_clusters() {
	ready && same_clusters "$1"
}

ready_format_state() {
	ready && format_state "$1"
}

ready_readcap() {
	ready && readcap "$1"
}

# A fresh BD-R, its write power far too low (the bias scaled down too).
load_underpowered() {
	load_ready bd-r &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" set --power "$LOW_POWER_MW" \
			--bias-power 0.2
}

# A growisofs burn of the image.
growisofs_z() {
	timeout "$TMO" growisofs -Z "$sr=$img" </dev/null
}

# xorriso -toc lists N ISO sessions.
toc_sessions() {
	timeout "$TMO" xorriso -indev "$sr" -toc 2>&1 | tee "$work/toc"
	_n=$(grep -c '^ISO session' "$work/toc")
	expect_eq "ISO sessions in -toc" "$1" "$_n"
}

# mount_both: the last session mounts and shows the files of both.
mount_both() {
	timeout "$TMO" mount -t iso9660 -o ro "$sr" "$mnt" || return 1
	cmp "$work/d1/one.txt" "$mnt/d1/one.txt" &&
		cmp "$work/d2/two.bin" "$mnt/d2/two.bin"
	_rc=$?
	ls -lR "$mnt"
	umount "$mnt" || return 1
	return "$_rc"
}

# The finalized disc: xorriso calls it closed, optsim finalized.
finalized_both() {
	timeout "$TMO" xorriso -indev "$sr" -toc 2>&1 | tee "$work/toc"
	grep -q 'is closed' "$work/toc" &&
		expect_eq "optsimctl finalized" true "$(info_get finalized)"
}

# A further xorriso session is refused and records nothing.
no_more_sessions() {
	_before=$(info_get recorded_clusters)
	if timeout "$TMO" xorriso -dev "$sr" -map "$work/d1" /d4 -commit; then
		echo "xorriso wrote to a finalized disc"
		return 1
	fi
	expect_eq "recorded clusters" "$_before" "$(info_get recorded_clusters)"
}

# cdrskin -minfo on the loaded medium: profile HEX (41, 43).
cdrskin_minfo() {
	timeout "$TMO" cdrskin dev="$sr" -minfo 2>&1 | tee "$work/minfo"
	grep -q "Mounted Media: $1h" "$work/minfo"
}

# wodim -checkdrive ends by itself (it has no BD driver: it may refuse
# the medium) and saw the drive.
wodim_checkdrive() {
	timeout 60 wodim -v dev="$sr" -checkdrive >"$work/wodim" 2>&1
	_rc=$?
	cat "$work/wodim"
	if [ "$_rc" -eq 124 ] || [ "$_rc" -eq 137 ]; then
		echo "wodim hung (timeout)"
		return 1
	fi
	grep -q OPTSIM "$work/wodim"
}

# dvd+rw-mediainfo's READ FORMAT CAPACITIES: the current descriptor is
# WHAT (unformatted, formatted).
format_state() {
	timeout "$TMO" dvd+rw-mediainfo "$sr" 2>&1 | tee "$work/mediainfo"
	grep -q "^ *$1:" "$work/mediainfo"
}

# The eject state of the disc seen by optsim: media none (the tray is
# out) or back, with the same recorded clusters.
optsim_media() {
	expect_eq "optsimctl media" "$1" "$(info_get media)"
}

same_clusters() {
	expect_eq "recorded clusters after the reload" "$1" \
		"$(info_get recorded_clusters)"
}

# READ(10) of LBA 16 fails with a medium error 03/11/00.
medium_error_lba16() {
	timeout "$TMO" sg_raw -v -r 2048 "$sg" 28 00 00 00 00 10 00 00 01 00 \
		>"$work/read" 2>&1
	_rc=$?
	cat "$work/read"
	expect_eq "sg_raw exit status" "$SG_MEDIUM_HARD" "$_rc" &&
		grep -qi 'unrecovered read error' "$work/read"
}

# With the disc in the drive (not a tray left open), a read of the
# underpowered burn fails through both fronts: EIO from sr, ENODATA (the
# medium error) from /dev/optsim.
dd_both_fail() {
	ready || { echo "the drive is not ready"; return 1; }
	if dd if="$sr" of=/dev/null bs=65536 count=1 iflag=direct \
		2>"$work/dd.err"; then
		echo "dd read of the underpowered burn through $sr succeeded"
		return 1
	fi
	cat "$work/dd.err"
	# sr fails a medium error with ENODATA, as the block device does.
	grep -q 'No data available' "$work/dd.err" || return 1
	if dd if="$OPTSIM_DEV" of=/dev/null bs=65536 count=1 iflag=direct \
		2>"$work/dd.err"; then
		echo "dd read of the underpowered burn through $OPTSIM_DEV succeeded"
		return 1
	fi
	cat "$work/dd.err"
	grep -q 'No data available' "$work/dd.err"
}

# A second drive gets LUN target 5, which goes away with the drive.
second_drive() {
	"$OPTSIMCTL" create --index 5 --media bd-re --layer-sectors 1024 ||
		return 1
	_n=$(lun_nodes 5) || { echo "$_n"; "$OPTSIMCTL" remove 5; return 1; }
	timeout "$TMO" sg_inq "/dev/${_n#* }" | grep 'Vendor identification: OPTSIM'
	_rc=$?
	"$OPTSIMCTL" remove 5 || return 1
	[ "$_rc" -eq 0 ] || return 1
	_h=$(mmc_host) || return 1
	sleep 0.5
	if [ -e "/sys/bus/scsi/devices/$_h:0:5:0" ]; then
		echo "LUN $_h:0:5:0 still there after optsimctl remove"
		return 1
	fi
}

# A drive removed while its srN is held open goes as a hot-unplugged
# drive does: the removal is not refused, the LUN goes, and closing the
# stale descriptor afterwards leaves the kernel log clean.
remove_while_open() {
	"$OPTSIMCTL" create --index 6 --media bd-re --layer-sectors 1024 ||
		return 1
	_n=$(lun_nodes 6) || { echo "$_n"; "$OPTSIMCTL" remove 6; return 1; }
	_r=/dev/${_n% *}
	_before=$(dmesg | grep -c -E 'BUG|WARNING|Oops|refcount')
	exec 3<"$_r" || { "$OPTSIMCTL" remove 6; return 1; }
	"$OPTSIMCTL" remove 6
	_rc=$?
	exec 3<&-
	[ "$_rc" -eq 0 ] || { echo "optsimctl remove: exit $_rc"; return 1; }
	_h=$(mmc_host) || return 1
	sleep 0.5
	if [ -e "/sys/bus/scsi/devices/$_h:0:6:0" ]; then
		echo "LUN $_h:0:6:0 still there after the removal"
		return 1
	fi
	expect_eq "kernel warnings" "$_before" \
		"$(dmesg | grep -c -E 'BUG|WARNING|Oops|refcount')"
}

# mmc=0: no SCSI host; then the module as run.sh loaded it.
mmc_off() {
	rmmod optsim || return 1
	insmod "$OPTSIM_KO" mmc=0 || return 1
	_i=0
	while ! [ -b "$OPTSIM_DEV" ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_rc=0
	[ -b "$OPTSIM_DEV" ] || { echo "no $OPTSIM_DEV with mmc=0"; _rc=1; }
	if mmc_host >/dev/null; then
		echo "an optsim SCSI host exists with mmc=0"
		_rc=1
	fi
	rmmod optsim || return 1
	# shellcheck disable=SC2086 # the parameters are separate words
	insmod "$OPTSIM_KO" $OPTSIM_MODPARAMS || return 1
	_i=0
	while ! [ -b "$OPTSIM_DEV" ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	return "$_rc"
}

klog_clean() {
	dmesg | grep -E -i "$BAD_KLOG"
	! dmesg | grep -E -i -q "$BAD_KLOG"
}

# ---- OPC, recovered errors, RESERVE TRACK, the layer jump -----------------

# write_cluster0 FILE: WRITE(10) of one cluster at LBA 0 through sg;
# sg_raw's exit status, its output in $work/write.
write_cluster0() {
	timeout "$TMO" sg_raw -v -s 65536 -i "$1" "$sg" \
		2a 00 00 00 00 00 00 00 20 00 >"$work/write" 2>&1
}

# A write off the NWA of a blank BD-R is refused (05/21/02) before OPC:
# the drive stays ready, with no calibration started.
write_refused_no_opc() {
	head -c 65536 /dev/urandom >"$work/cluster"
	timeout "$TMO" sg_raw -v -s 65536 -i "$work/cluster" "$sg" \
		2a 00 00 00 00 20 00 00 20 00 >"$work/write" 2>&1
	_rc=$?
	cat "$work/write"
	expect_eq "sg_raw exit status" "$SG_ILLEGAL_REQ" "$_rc" || return 1
	grep -qi 'invalid address for write' "$work/write" || return 1
	turs || { cat "$work/turs"; return 1; }
}

# The first write after the load starts OPC and is answered 02/04/08
# with progress; TEST UNIT READY says the same until OPC is done, within
# $TMO seconds; then the same write records the cluster.
write_waits_for_opc() {
	head -c 65536 /dev/urandom >"$work/cluster0"
	write_cluster0 "$work/cluster0"
	_rc=$?
	cat "$work/write"
	expect_eq "first WRITE: sg_raw exit status" "$SG_NOT_READY" "$_rc" ||
		return 1
	grep -qi 'long write in progress' "$work/write" || return 1
	turs
	cat "$work/turs"
	_i=0
	while ! turs; do
		grep -qi 'long write in progress' "$work/turs" ||
			{ cat "$work/turs"; return 1; }
		grep -qi 'progress indication' "$work/turs" ||
			{ cat "$work/turs"; return 1; }
		[ "$_i" -lt "$((TMO * 2))" ] || { echo "OPC never ended"; return 1; }
		sleep 0.5
		_i=$((_i + 1))
	done
	tap_diag "OPC ended after about $((_i / 2)) s of polling"
	write_cluster0 "$work/cluster0" || { cat "$work/write"; return 1; }
	dd if="$sr" of="$work/back" bs=65536 count=1 iflag=direct \
		status=none && cmp "$work/cluster0" "$work/back"
}

# write_opc LBA BLOCKS FILE: WRITE(10) of FILE's first BLOCKS sectors at
# LBA (both < 256) through sg, tried again while the drive answers
# 02/04/08 (OPC running), for up to $TMO seconds; sg_raw's exit status,
# its output in $work/write.
write_opc() {
	_i=0
	while :; do
		timeout "$TMO" sg_raw -v -s $(($2 * 2048)) -i "$3" "$sg" \
			2a 00 00 00 00 "$(printf %02x "$1")" 00 00 \
			"$(printf %02x "$2")" 00 >"$work/write" 2>&1
		_rc=$?
		if [ "$_rc" -ne "$SG_NOT_READY" ] || [ "$_i" -ge $((TMO * 2)) ]; then
			return "$_rc"
		fi
		sleep 0.5
		_i=$((_i + 1))
	done
}

# 8 KiB written through sg to a blank BD-R: 4 of a cluster's 32 sectors,
# held in the drive's open cluster, nothing recorded yet.
open_cluster() {
	head -c 8192 /dev/urandom >"$work/part"
	write_opc 0 4 "$work/part" || { cat "$work/write"; return 1; }
	expect_eq "recorded clusters" 0 "$(info_get recorded_clusters)"
}

# optsimctl save records the open cluster first, padded with zeros to its
# end, as SYNCHRONIZE CACHE does: the medium and the image count one
# recorded cluster, and the track's NWA is past the padding (sector 32).
open_cluster_saved() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" save "$work/open.img" || return 1
	"$OPTSIMCTL" image info --json "$work/open.img" || return 1
	expect_eq "recorded clusters" 1 "$(info_get recorded_clusters)" &&
		image_json "$work/open.img" \
			'v["recorded_clusters"] == [1] and v["tracks"][0]["nwa"] == 32'
}

# A save with no open cluster changes nothing: the medium's info is the
# same after it, and the image is byte for byte the first save's.
save_again_same() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" info --json >"$work/info.before" &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" save "$work/again.img" &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" info --json >"$work/info.after" &&
		diff "$work/info.before" "$work/info.after" &&
		cmp "$work/open.img" "$work/again.img"
}

# The saved image loads: cluster 0 holds the 8 KiB, then zeros to its end,
# through /dev/optsim and through $sr.
open_cluster_loads() {
	{ cat "$work/part"; head -c 57344 /dev/zero; } >"$work/padded"
	"$OPTSIMCTL" -d "$OPTSIM_DEV" eject &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" load --image "$work/open.img" &&
		ready && expect_eq "recorded clusters" 1 \
			"$(info_get recorded_clusters)" || return 1
	dd if="$OPTSIM_DEV" of="$work/back" bs=65536 count=1 iflag=direct \
		status=none && cmp "$work/padded" "$work/back" &&
		dd if="$sr" of="$work/back" bs=65536 count=1 iflag=direct \
			status=none && cmp "$work/padded" "$work/back"
}

# On the image-backed medium, SYNCHRONIZE CACHE makes the open cluster
# durable: 4 sectors at LBA 32 are not in the file until it comes, then
# the file counts 2 recorded clusters, with the drive still loaded.
sync_cache_image() {
	write_opc 32 4 "$work/part" || { cat "$work/write"; return 1; }
	image_json "$work/open.img" 'v["recorded_clusters"] == [1]' ||
		return 1
	timeout "$TMO" sg_raw -v "$sg" 35 00 00 00 00 00 00 00 00 00 ||
		return 1
	"$OPTSIMCTL" image info "$work/open.img"
	image_json "$work/open.img" \
		'v["recorded_clusters"] == [2] and v["tracks"][0]["nwa"] == 64' &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" eject
}

# mode_select_per 0|1: MODE SELECT(10) of page 01 with PER clear or set.
mode_select_per() {
	if [ "$1" = 1 ]; then _b=004; else _b=000; fi
	# shellcheck disable=SC2059 # the format is built on purpose
	printf "\\0\\0\\0\\0\\0\\0\\0\\0\\001\\012\\$_b\\0\\0\\0\\0\\0\\0\\0\\0\\0" \
		>"$work/page01"
	timeout "$TMO" sg_raw -s 20 -i "$work/page01" "$sg" \
		55 10 00 00 00 00 00 00 14 00
}

# recovered_reads N: reads each of the first N clusters through sg; prints
# how many were answered 01/18/00 (recovered with error correction).
recovered_reads() {
	_n=0
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_l=$((_i * 32))
		timeout "$TMO" sg_raw -r 65536 "$sg" 28 00 00 00 \
			"$(printf %02x $((_l >> 8)))" "$(printf %02x $((_l & 255)))" \
			00 00 20 00 >/dev/null 2>"$work/read"
		_rc=$?
		if [ "$_rc" -eq "$SG_RECOVERED" ]; then
			grep -qi 'error correction applied' "$work/read" ||
				return 1
			_n=$((_n + 1))
		elif [ "$_rc" -ne 0 ]; then
			cat "$work/read"
			return 1
		fi
		_i=$((_i + 1))
	done
	echo "$_n"
}

# With PER set, the reads of clusters the ECC corrected (the scan counts
# LDC > 0) report 01/18/00 and still deliver the data; with PER clear,
# none does.
per_reports() {
	_cl=$(($(stat -c %s "$img") / 65536))
	_ldc=$(scan_ldc_total) || return 1
	[ "$_ldc" -gt 0 ] || { echo "the scan found no corrected errors"; return 1; }
	mode_select_per 1 || return 1
	_on=$(recovered_reads "$_cl") || { echo "$_on"; return 1; }
	mode_select_per 0 || return 1
	_off=$(recovered_reads "$_cl") || { echo "$_off"; return 1; }
	tap_diag "PER=1: $_on of $_cl cluster reads recovered; PER=0: $_off"
	[ "$_on" -gt 0 ] && expect_eq "recovered reads with PER=0" 0 "$_off"
}

scan_ldc_total() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" scan --json | python3 -c '
import json, sys
print(sum(l["ldc_total"] for l in json.load(sys.stdin)["layers"]))'
}

# cdrskin -sao reserves its track (RESERVE TRACK) on the blank BD-R: the
# track table shows track 1 reserved and closed, and it reads back.
sao_reserved() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" info --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tracks"]
print(t)
sys.exit(0 if t and t[0]["reserved"] and t[0]["closed"] else 1)'
}

# A growisofs burn larger than a layer crosses into L1: both layers hold
# recorded clusters.
dl_image() {
	mkdir -p "$work/dl" &&
		head -c $((DL_IMAGE_MIB * 1048576)) /dev/urandom \
			>"$work/dl/big.bin" &&
		xorriso -as mkisofs -R -V OPTSIM_DL -o "$dlimg" "$work/dl" &&
		rm -r "$work/dl"
}

both_layers_recorded() {
	_r=$(info_get recorded_clusters) || return 1
	echo "recorded clusters per layer: $_r"
	[ "${_r% *}" -gt 0 ] && [ "${_r#* }" -gt 0 ]
}

# ---- the tests -------------------------------------------------------------

mkdir -p "$work/d1" "$work/d2" "$work/d3"
echo "first session" >"$work/d1/one.txt"
head -c 300000 /dev/urandom >"$work/d2/two.bin"
echo "third session" >"$work/d3/three.txt"

tap_check "mmc: xorriso -as mkisofs image of a tree" \
	xorriso -as mkisofs -R -J -V OPTSIM_MMC -o "$img" "$src" ||
	tap_broken="no image"
tap_check "mmc: drive 0 has a LUN on the optsim host, with sr and sg" \
	find_lun || tap_broken="no LUN"
tap_check "mmc: lsscsi -g lists $sr $sg as a cd/dvd of OPTSIM" lsscsi_lists
tap_check "mmc: optsimctl info --json names $sr and $sg" info_names_nodes
tap_check "mmc: sg_inq: type 5, removable, vendor OPTSIM" inquiry_ok

# -- BD-R: load, unit attention, GESN, blank state --------------------------

tap_check "mmc: optsimctl load bd-r" load_medium bd-r "$LAYER"
tap_check "mmc: GESN reports new media after the load" gesn_event 2
tap_check "mmc: sg_turs: unit attention 06/28/00 once, then ready" \
	ua_then_ready
tap_check "mmc: sg_get_config -c: BD-R SRM (0x41)" profile "BD-R SRM"
tap_check "mmc: sg_readcap on the blank BD-R" readcap any
tap_check "mmc: page 2A (sg_modes -p 0x2a)" page_2a
tap_check "mmc: cdrom_id: BD-R, blank" cdrom_id_says ID_CDROM=1 \
	ID_CDROM_MEDIA=1 ID_CDROM_MEDIA_BD_R=1 ID_CDROM_MEDIA_STATE=blank
tap_check "mmc: cdrskin -minfo: 41h" cdrskin_minfo 41
tap_check "mmc: wodim -checkdrive ends without a hang" wodim_checkdrive

# -- growisofs on the blank BD-R ------------------------------------------

tap_check "mmc: growisofs -Z $sr=image.iso on a blank BD-R" growisofs_z
tap_check "mmc: read back through $sr and /dev/optsim" both_fronts "$img"
tap_check "mmc: PER=1: reads the ECC corrected say 01/18/00; PER=0: none" \
	per_reports
tap_check "mmc: cdrom_id: BD-R, appendable" cdrom_id_says \
	ID_CDROM_MEDIA_BD_R=1 ID_CDROM_MEDIA_STATE=appendable

# -- eject and load, seen by both fronts -----------------------------------

rec=$(info_get recorded_clusters)
tap_check "mmc: eject $sr" timeout "$TMO" eject "$sr"
tap_check "mmc: tray out: sg_turs not ready, medium not present" not_ready
tap_check "mmc: tray out: optsim sees no medium" optsim_media none
tap_check "mmc: eject -t $sr" timeout "$TMO" eject -t "$sr"
tap_check "mmc: tray in: ready again" ready
tap_check "mmc: tray in: optsim has the disc back, same clusters" \
	same_clusters "$rec"
tap_check "mmc: eject /dev/optsim" timeout "$TMO" eject "$OPTSIM_DEV"
tap_check "mmc: after eject /dev/optsim: sg_turs not ready" not_ready
tap_check "mmc: eject -t /dev/optsim" timeout "$TMO" eject -t "$OPTSIM_DEV"
tap_check "mmc: after eject -t /dev/optsim: ready, same clusters" \
	ready_same_clusters "$rec"
tap_check "mmc: optsimctl eject" "$OPTSIMCTL" -d "$OPTSIM_DEV" eject
tap_check "mmc: GESN reports the removal" gesn_event 3
tap_check "mmc: after optsimctl eject: sg_turs not ready" not_ready

# -- xorriso: two sessions, mount, finalize ---------------------------------

tap_check "mmc: optsimctl load bd-r (after the eject)" load_ready bd-r
tap_check "mmc: xorriso session 1, -close off" timeout "$TMO" \
	xorriso -outdev "$sr" -map "$work/d1" /d1 -close off -commit
tap_check "mmc: xorriso session 2, -close off" timeout "$TMO" \
	xorriso -dev "$sr" -map "$work/d2" /d2 -close off -commit
tap_check "mmc: xorriso -toc shows 2 sessions" toc_sessions 2
tap_check "mmc: mount -t iso9660 $sr shows the files of both" mount_both
tap_check "mmc: xorriso session 3, -close on" timeout "$TMO" \
	xorriso -dev "$sr" -map "$work/d3" /d3 -close on -commit
tap_check "mmc: finalized: xorriso 'is closed', optsim finalized" \
	finalized_both
tap_check "mmc: a further xorriso session is refused" no_more_sessions
tap_check "mmc: cdrom_id: BD-R, complete" cdrom_id_says \
	ID_CDROM_MEDIA_BD_R=1 ID_CDROM_MEDIA_STATE=complete

# -- cdrskin -tao -------------------------------------------------------------

tap_check "mmc: optsimctl load bd-r (for cdrskin)" load_ready bd-r
tap_check "mmc: cdrskin -tao burn" timeout "$TMO" \
	cdrskin -v dev="$sr" -tao -multi "$img"
tap_check "mmc: cdrskin's track reads back through /dev/optsim" \
	readback "$OPTSIM_DEV" "$img"

# -- OPC before the first write, RESERVE TRACK, the layer jump ----------------

tap_check "mmc: optsimctl load bd-r (for OPC)" load_ready bd-r
tap_check "mmc: a write off the NWA: 05/21/02, and no OPC starts" \
	write_refused_no_opc
tap_check "mmc: the first write waits for OPC (02/04/08), then records" \
	write_waits_for_opc
tap_check "mmc: optsimctl load bd-r (for the open cluster)" load_ready bd-r
tap_check "mmc: 4 sectors through $sg stay in the open cluster" open_cluster
tap_check "mmc: save records the open cluster, padded: 1 cluster, NWA 32" \
	open_cluster_saved
tap_check "mmc: a save with no open cluster: same info, same image" \
	save_again_same
tap_check "mmc: the image loads: the 4 sectors, then zeros to 64 KiB" \
	open_cluster_loads
tap_check "mmc: on the image, SYNCHRONIZE CACHE records the open cluster" \
	sync_cache_image
tap_check "mmc: optsimctl load bd-r (for cdrskin -sao)" load_ready bd-r
tap_check "mmc: cdrskin -sao burn" timeout "$TMO" \
	cdrskin -v dev="$sr" -sao "$img"
tap_check "mmc: cdrskin -sao reserved its track (RESERVE TRACK)" sao_reserved
tap_check "mmc: the reserved track reads back through $sr" \
	readback "$sr" "$img"
tap_check "mmc: xorriso -as mkisofs image of $DL_IMAGE_MIB MiB" dl_image
tap_check "mmc: optsimctl load bd-r-dl" load_ready bd-r-dl
tap_check "mmc: growisofs -Z across the layer jump of the BD-R DL" \
	timeout "$TMO" growisofs -Z "$sr=$dlimg"
tap_check "mmc: the DL burn reads back through $sr and /dev/optsim" \
	both_fronts "$dlimg"
tap_check "mmc: both layers of the BD-R DL hold recorded clusters" \
	both_layers_recorded

# -- BD-RE: format, growisofs -----------------------------------------------

tap_check "mmc: optsimctl load bd-re" load_ready bd-re
tap_check "mmc: sg_get_config -c: BD-RE (0x43)" profile "BD-RE"
tap_check "mmc: a new BD-RE reports itself unformatted" \
	format_state unformatted
tap_check "mmc: dvd+rw-format -ssa=none" timeout "$TMO" \
	dvd+rw-format -ssa=none "$sr"
tap_check "mmc: formatted after dvd+rw-format" ready_format_state formatted
tap_check "mmc: sg_readcap: the formatted size, $LAYER blocks" \
	ready_readcap "$LAYER"
tap_check "mmc: growisofs -Z $sr=image.iso on the BD-RE" growisofs_z
tap_check "mmc: read back through $sr and /dev/optsim" both_fronts "$img"
tap_check "mmc: a cluster written to /dev/optsim reads back through $sr" \
	optsim_to_sr
tap_check "mmc: cdrom_id: BD-RE" cdrom_id_says ID_CDROM_MEDIA_BD_RE=1

# -- the model decides: an underpowered burn ----------------------------------

tap_check "mmc: load bd-r, set --power $LOW_POWER_MW --bias-power 0.2" \
	load_underpowered
timeout "$TMO" growisofs -Z "$sr=$img" </dev/null >"$work/growisofs.low" 2>&1
tap_diag "growisofs at $LOW_POWER_MW mW: exit $? (the drive does not verify)"
tap_check "mmc: READ(10) of the underpowered burn: medium error 03/11/00" \
	medium_error_lba16
tap_check "mmc: dd from $sr and from /dev/optsim: ENODATA (medium error)" dd_both_fail

# -- more drives, mmc=0, the kernel log ---------------------------------------

tap_check "mmc: optsimctl create --index 5: LUN target 5; remove: gone" \
	second_drive
tap_check "mmc: a drive removed while its sr is open: LUN gone, log clean" \
	remove_while_open
tap_check "mmc: mmc=0: no SCSI host" mmc_off
tap_check "mmc: dmesg: no timeout, abort, offlined, GESN/TUR disagreement" \
	klog_clean

tap_done
