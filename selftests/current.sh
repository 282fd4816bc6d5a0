#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# current.sh - current-pulse (Joule) recording through the driver: a
# rewritable layer set to --mode current records at the model's optimum
# current (marks form and read back) and not at half of it (the read fails
# with a medium error, ENODATA); the mode and current survive a save to a
# disc image and its reload; OPC on the layer searches the current (from
# one that records nothing) and leaves the laser power; write-once media
# refuse the mode. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

LAYER=4096
CLUSTER_OK=3
CLUSTER_HALF=5
CLUSTER_OPC=7

tap_plan 14

need_tools python3 dd cmp head "$OPTSIMCTL"

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-current.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# json_get KEY < JSON: the value of a top-level key.
json_get() {
	python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# simulate --mode current: the optimum current, in mA, into $work/opt.
optimum_current() {
	"$OPTSIMCTL" simulate --media bd-re --mode current --json \
		>"$work/sim.json" || return 1
	cat "$work/sim.json"
	json_get optimum_current_ma <"$work/sim.json" >"$work/opt" &&
		json_get readable <"$work/sim.json" | grep -qx True
}

# write_cluster N: one random cluster, O_DIRECT; the drive does not verify.
write_cluster() {
	head -c 65536 /dev/urandom >"$work/c$1.bin" &&
		dd if="$work/c$1.bin" of="$OPTSIM_DEV" bs=65536 count=1 \
			seek="$1" oflag=direct conv=notrunc status=none
}

read_same() {
	dd if="$OPTSIM_DEV" of="$work/back.bin" bs=65536 count=1 skip="$1" \
		iflag=direct status=none && cmp "$work/c$1.bin" "$work/back.bin"
}

read_fails() {
	if dd if="$OPTSIM_DEV" of="$work/back.bin" bs=65536 count=1 \
		skip="$1" iflag=direct status=none 2>"$work/dd.err"; then
		echo "cluster $1 read back although recorded at half the current"
		return 1
	fi
	cat "$work/dd.err"
	grep -q 'No data available' "$work/dd.err"
}

get_mode_current() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" get --json >"$work/get.json" || return 1
	cat "$work/get.json"
	python3 -c '
import json, sys
l = json.load(sys.stdin)["layers"][0]
sys.exit(0 if l["mode"] == "current" and l["current_ua"] == int(sys.argv[1]) else 1)
' "$1" <"$work/get.json"
}

# save_and_reload FILE: the disc to an image, ejected, and loaded back.
save_and_reload() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" save "$1" &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" eject &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" load --image "$1"
}

# opc_current: OPC on the current-mode layer sets a current between half
# the optimum (which records nothing) and twice it, inside the window of
# currents it reports; the power stays.
opc_current() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" get --json >"$work/before.json" &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" opc --json >"$work/opc.json" &&
		"$OPTSIMCTL" -d "$OPTSIM_DEV" get --json >"$work/after.json" ||
		return 1
	cat "$work/opc.json"
	python3 -c '
import json, sys
b, o, a = (json.load(open(f))["layers"][0] for f in sys.argv[1:4])
half, opt = int(sys.argv[4]), int(sys.argv[5])
sys.exit(0 if a["mode"] == "current" and
	 o["current_ua"] == a["current_ua"] and
	 half < o["current_ua"] < 2 * opt and
	 (o["window_ma"] is None or
	  o["window_ma"][0] <= o["current_ma"] <= o["window_ma"][1]) and
	 a["write_power_uw"] == b["write_power_uw"] else 1)
' "$work/before.json" "$work/opc.json" "$work/after.json" "$half_ua" "$opt_ua"
}

records_at_opc() {
	write_cluster "$CLUSTER_OPC" && read_same "$CLUSTER_OPC"
}

# After a reload, the good cluster reads back and the bad one fails.
reads_as_before() {
	read_same "$CLUSTER_OK" && read_fails "$CLUSTER_HALF"
}

tap_check "current: simulate --mode current: optimum, readable" \
	optimum_current || tap_broken="no optimum current"
opt=$(cat "$work/opt" 2>/dev/null)
half=$(python3 -c "print('%.3f' % (float('${opt:-0}') / 2))")
opt_ua=$(python3 -c "print(round(float('${opt:-0}') * 1000))")
half_ua=$(python3 -c "print(round(float('$half') * 1000))")

tap_check "current: load bd-re, $LAYER sectors" load_medium bd-re "$LAYER" ||
	tap_broken="no medium"
tap_check "current: set --mode current --current $opt" \
	"$OPTSIMCTL" -d "$OPTSIM_DEV" set --mode current --current "$opt" ||
	tap_broken="cannot set the mode"
tap_check "current: get --json shows the mode and current" \
	get_mode_current "$opt_ua"
tap_check "current: write cluster $CLUSTER_OK at the optimum current" \
	write_cluster "$CLUSTER_OK"
tap_check "current: it reads back the same" read_same "$CLUSTER_OK"
tap_check "current: set --current $half, write cluster $CLUSTER_HALF" \
	sh -c "\"\$1\" -d \"\$2\" set --mode current --current $half" sh \
	"$OPTSIMCTL" "$OPTSIM_DEV" && write_cluster "$CLUSTER_HALF"
tap_check "current: at half the current it does not read back (ENODATA)" \
	read_fails "$CLUSTER_HALF"
tap_check "current: save the disc to an image, eject, load the image" \
	save_and_reload "$work/disc.img"
tap_check "current: the image kept --mode current --current $half" \
	get_mode_current "$half_ua"
tap_check "current: after the reload, cluster $CLUSTER_OK reads back and $CLUSTER_HALF fails" \
	reads_as_before
tap_check "current: opc sets a current from $half mA, not the power" \
	opc_current
tap_check "current: at OPC's current cluster $CLUSTER_OPC records and reads back" \
	records_at_opc
tap_check "current: bd-r refuses --mode current" \
	sh -c "\"\$1\" -d \"\$2\" load --media bd-r --layer-sectors $LAYER &&
		! \"\$1\" -d \"\$2\" set --mode current" sh \
	"$OPTSIMCTL" "$OPTSIM_DEV"

tap_done
