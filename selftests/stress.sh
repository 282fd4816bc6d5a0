#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - concurrency under load: fio writes and verifies (crc32c,
# verify_backlog: read back while writing) on three drives (0, and 1 and 2
# created here, BD-RE DL) for OPTSIM_STRESS_SECONDS (default 20), while
# other loops run against them:
#   - OPC and write parameter changes (the values each layer has), on
#     one drive after the other;
#   - finalize attempts, which must fail (a BD-RE), and eject attempts,
#     which must fail with EBUSY (fio has the drive open);
#   - drive create and remove (of drive 3), and remove attempts of the
#     busy drives, which must fail;
#   - rmmod optsim, which must fail while the drives are open.
# fio must find no mismatch and the loops nothing unexpected; the counts
# are printed. run-vm.sh checks the kernel log (and under make
# check-debug, KASAN, lockdep and kmemleak). TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

SECONDS_RUN=${OPTSIM_STRESS_SECONDS:-20}
LAYER=16384
DRIVES="0 1 2"

tap_plan 8

need_tools fio python3 rmmod "$OPTSIMCTL"

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-stress.XXXXXX") || exit 1
trap 'for _p in $pids; do kill "$_p" 2>/dev/null; done; wait; for _i in 1 2 3; do "$OPTSIMCTL" remove "$_i" 2>/dev/null; done; rm -rf "$work"' EXIT
pids=

ctl() {
	_d=$1
	shift
	"$OPTSIMCTL" -d "$_d" "$@"
}

# node N: the block device of drive N.
node() {
	if [ "$1" -eq 0 ]; then
		echo /dev/optsim
	else
		echo "/dev/optsim$1"
	fi
}

setup() {
	for _i in 1 2; do
		[ -e "$(node "$_i")" ] ||
			"$OPTSIMCTL" create --index "$_i" --media bd-re-dl \
				--layer-sectors "$LAYER" >/dev/null || return 1
	done
	for _i in $DRIVES; do
		ctl "$(node "$_i")" load --media bd-re-dl \
			--layer-sectors "$LAYER" || return 1
	done
}

# count FILE: lines in FILE (0 when it does not exist).
count() {
	[ -e "$1" ] && wc -l <"$1" || echo 0
}

# The loops: each appends one line per attempt to $work/NAME.ok or
# $work/NAME.bad (an outcome that must not happen), until $work/stop.
loop_params() {
	_n=0
	while ! [ -e "$work/stop" ]; do
		# OPC takes seconds (a minute on the debug kernel): one drive
		# at a time, in turn.
		_d=$(node $((_n % 3)))
		_n=$((_n + 1))
		if ctl "$_d" opc >/dev/null 2>&1; then
			echo opc >>"$work/params.ok"
		else
			echo "opc $_d" >>"$work/params.bad"
		fi
		# Each layer's own values again: validated, compiled and
		# applied while fio writes.
		for _l in 0 1; do
			[ -e "$work/stop" ] && break
			_p=$(ctl "$_d" get --json | python3 -c '
import json, sys
for l in json.load(sys.stdin)["layers"]:
    if l["layer"] == int(sys.argv[1]):
        print("%.3f %.3f" % (l["velocity_mms"] / 1000,
                             l["write_power_uw"] / 1000))
' "$_l") || { echo "get $_d" >>"$work/params.bad"; continue; }
			# shellcheck disable=SC2086 # two words
			set -- $_p
			if ctl "$_d" set --layer "$_l" --velocity "$1" \
				--power "$2" >/dev/null 2>&1; then
				echo set >>"$work/params.ok"
			else
				echo "set $_d layer $_l" >>"$work/params.bad"
			fi
		done
	done
}

loop_media() {
	while ! [ -e "$work/stop" ]; do
		for _i in $DRIVES; do
			_d=$(node "$_i")
			# A BD-RE cannot be finalized: refused for its type.
			if ctl "$_d" finalize >/dev/null 2>&1; then
				echo "finalize $_d succeeded" >>"$work/media.bad"
			else
				echo finalize >>"$work/media.ok"
			fi
			# fio has the drive open: refused as busy.
			busy || break
			_e=$(ctl "$_d" eject 2>&1)
			_rc=$?
			busy || break
			if [ "$_rc" -eq 0 ]; then
				echo "eject $_d succeeded" >>"$work/media.bad"
			elif printf '%s' "$_e" | grep -qi 'busy'; then
				echo eject >>"$work/media.ok"
			else
				echo "eject $_d: $_e" >>"$work/media.bad"
			fi
		done
		sleep 0.1
	done
}

loop_drives() {
	while ! [ -e "$work/stop" ]; do
		if "$OPTSIMCTL" create --index 3 --media bd-r \
			--layer-sectors 1024 >/dev/null 2>&1 &&
			"$OPTSIMCTL" remove 3 >/dev/null 2>&1; then
			echo create-remove >>"$work/drives.ok"
		else
			echo "create/remove 3" >>"$work/drives.bad"
		fi
		for _i in 1 2; do
			# Only while fio surely has them open.
			busy || break
			"$OPTSIMCTL" remove "$_i" >/dev/null 2>&1
			_rc=$?
			busy || break
			if [ "$_rc" -eq 0 ]; then
				echo "remove $_i succeeded" >>"$work/drives.bad"
			else
				echo "remove busy" >>"$work/drives.ok"
			fi
		done
	done
}

loop_rmmod() {
	while ! [ -e "$work/stop" ]; do
		busy || break
		if rmmod optsim 2>/dev/null; then
			busy && echo "rmmod succeeded" >>"$work/rmmod.bad"
			break
		fi
		echo rmmod >>"$work/rmmod.ok"
		sleep 0.2
	done
}

# fio on drive N for SECONDS_RUN, verifying as it writes; its output in
# $work/fio.N, its exit status in $work/fio.N.rc.
run_fio() {
	fio --name="stress$1" --filename="$(node "$1")" --direct=1 \
		--ioengine=libaio --iodepth=8 --rw=randwrite --bs=64k \
		--size=$((LAYER * 2 * 2048)) --time_based \
		--runtime="$SECONDS_RUN" --verify=crc32c --verify_backlog=16 \
		--verify_fatal=1 --exitall_on_error --randrepeat=0 \
		>"$work/fio.$1" 2>&1
	echo $? >"$work/fio.$1.rc"
}

# writes N: writes completed on drive N's block device (its sysfs stat).
writes() {
	awk '{ print $5 }' "/sys/block/$(basename "$(node "$1")")/stat"
}

# busy: true while every fio surely runs (it runs SECONDS_RUN after its
# start-up): a refusal that must come of a busy drive counts only then.
busy() {
	[ "$(date +%s)" -lt "$deadline" ]
}

stress() {
	for _i in $DRIVES; do
		writes "$_i" >"$work/writes.$_i"
	done
	# fio runs SECONDS_RUN from its start-up on: the window closes before.
	deadline=$(($(date +%s) + SECONDS_RUN - 1))
	for _i in $DRIVES; do
		run_fio "$_i" &
		pids="$pids $!"
	done
	# The loops start once every fio is in its job: its drive has written
	# since (fio holds it open from its set-up on). Its start-up takes
	# seconds, on the debug kernel longer than SECONDS_RUN: a fixed wait
	# let a remove in before fio opened the drive, or the window closed
	# before the loops began. Each fio runs SECONDS_RUN from its job's
	# start, which is at most a poll and a write before its first write
	# was seen (4 s here): the window closes then, if that is later.
	_t=0
	_first=
	_left=$DRIVES
	while [ -n "$_left" ] && [ "$_t" -lt 600 ]; do
		_rest=
		for _i in $_left; do
			if [ "$(writes "$_i")" -gt "$(cat "$work/writes.$_i")" ] ||
				[ -e "$work/fio.$_i.rc" ]; then
				[ -n "$_first" ] || _first=$(date +%s)
			else
				_rest="$_rest $_i"
			fi
		done
		_left=$_rest
		[ -z "$_left" ] || sleep 0.1
		_t=$((_t + 1))
	done
	if [ -n "$_first" ] &&
		[ $((_first - 4 + SECONDS_RUN)) -gt "$deadline" ]; then
		deadline=$((_first - 4 + SECONDS_RUN))
	fi
	for _l in loop_params loop_media loop_drives loop_rmmod; do
		$_l &
		pids="$pids $!"
	done
	for _i in $DRIVES; do
		while ! [ -e "$work/fio.$_i.rc" ]; do
			sleep 1
		done
	done
	: >"$work/stop"
	wait
	pids=
}

fio_clean() {
	_rc=0
	for _i in $DRIVES; do
		tap_diag "fio drive $_i: exit $(cat "$work/fio.$_i.rc"); $(grep -E 'WRITE:|READ:' "$work/fio.$_i" | tr -s ' ' | tr '\n' ';')"
		if [ "$(cat "$work/fio.$_i.rc")" -ne 0 ] ||
			grep -qiE 'verify.*(fail|bad)|crc32c.*(mismatch|bad)' "$work/fio.$_i"; then
			sed 's/^/# /' "$work/fio.$_i" | tail -n 20
			_rc=1
		fi
	done
	return "$_rc"
}

# none_bad NAME WHAT: no NAME.bad lines, at least one NAME.ok line.
none_bad() {
	tap_diag "$2: $(count "$work/$1.ok") as expected, $(count "$work/$1.bad") not"
	[ -e "$work/$1.bad" ] && sed 's/^/# /' "$work/$1.bad" | head -n 10
	[ "$(count "$work/$1.bad")" -eq 0 ] && [ "$(count "$work/$1.ok")" -gt 0 ]
}

tap_check "stress: three BD-RE DL drives" setup || tap_broken="no drives"
tap_check "stress: fio randwrite with crc32c verify on 3 drives for ${SECONDS_RUN} s, under the loops below" stress
tap_check "stress: fio: every drive's data verified, no mismatch" fio_clean
tap_check "stress: parameter changes and OPC all done" none_bad params "parameter changes and OPC"
tap_check "stress: finalize refused, eject refused with EBUSY" none_bad media "finalize/eject attempts"
tap_check "stress: drive 3 created and removed, busy drives not removed" none_bad drives "create/remove"
tap_check "stress: rmmod refused while the drives are busy" none_bad rmmod "rmmod attempts"
tap_broken=
remove_all() {
	for _i in 1 2; do
		"$OPTSIMCTL" remove "$_i" || return 1
	done
	[ -d /sys/module/optsim ]
}
tap_check "stress: afterwards drives 1 and 2 removed, the module still loaded" remove_all

tap_done
