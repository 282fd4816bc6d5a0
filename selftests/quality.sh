#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# quality.sh - the recording model through optsimctl: OPC, a burn after
# OPC that scans clean, a cluster written at far too little power that
# reads back with a medium error (ENODATA, "No data available") and shows
# in the scan, and the model in userspace (optsimctl simulate, no module
# needed). TAP on stdout. The optsimctl commands it needs (opc, scan,
# simulate, burn --opc) are checked first: a missing one skips its tests.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

# 16 MiB single layer, a 4 MiB image: OPC of one layer is some 50 model
# compiles, which take a while under TCG.
LAYER=8192
IMG_MIB=4
# Far below every medium's optimum (BD-R's default is 5 mW, bias 1 mW).
LOW_POWER_MW=1.0
# A cluster well past the image, on the same layer.
BAD_CLUSTER=$((LAYER / 32 - 2))

tap_plan 12

need_tools python3 dd cmp head "$OPTSIMCTL"

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-quality.XXXXXX") || exit 1
img=$work/image.bin
trap 'rm -rf "$work"' EXIT

# has_cmd CMD: optsimctl knows the command.
has_cmd() {
	"$OPTSIMCTL" "$1" --help >/dev/null 2>&1
}

# has_opt CMD OPT: the command's help lists the option.
has_opt() {
	"$OPTSIMCTL" "$1" --help 2>&1 | grep -q -- "$2"
}

# json_check PYTHON-EXPR < JSON: exit 0 when the expression (over the
# parsed object j) holds; prints the object otherwise.
json_check() {
	python3 -c '
import json, sys
raw = sys.stdin.read()
try:
    j = json.loads(raw)
except ValueError as e:
    print("not JSON (%s): %s" % (e, raw.strip()))
    sys.exit(1)
ok = eval("(" + sys.argv[1] + ")")
if not ok:
    print("check failed: " + sys.argv[1])
    print(json.dumps(j, indent=1))
sys.exit(0 if ok else 1)
' "$1"
}

# opc --json of every layer: a power within the limits, now the layer's
# write power; some test writes and a jitter; the window within the
# jitter limit (null when there is none) around the power. The netlink
# notification (optsimctl monitor) says the same: power, jitter, steps and
# window (0 to 0 when there is none).
opc_json_ok() {
	"$OPTSIMCTL" monitor --json >"$work/opc.events" 2>&1 &
	mon_pid=$!
	sleep 1	# until the monitor has joined the group
	"$OPTSIMCTL" -d "$OPTSIM_DEV" opc --json >"$work/opc.json" ||
		{ stop_monitor; return 1; }
	sleep 0.3
	stop_monitor
	cat "$work/opc.json" "$work/opc.events"
	python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))["layers"][0]
ev = [json.loads(l) for l in open(sys.argv[2])]
ev = [e for e in ev if e["event"] == "opc"]
ok = len(ev) == 1 and len(ev[0]["layers"]) == 1
if ok:
    n = ev[0]["layers"][0]
    w = o["window_mw"] or [0, 0]
    ok = (n["index"] == o["layer"] and n["write_power_uw"] == o["power_uw"]
          and n["steps"] == o["steps"]
          and abs(n["jitter_cpct"] / 100 - o["jitter_pct"]) < 0.006
          and abs(n["window_lo"] / 1000 - w[0]) < 0.0006
          and abs(n["window_hi"] / 1000 - w[1]) < 0.0006)
sys.exit(0 if ok else 1)
' "$work/opc.json" "$work/opc.events" || {
		echo "the opc notification does not say what opc --json does"
		return 1
	}
	json_check 'len(j["layers"]) == 1 and all(
	    100 <= l["power_uw"] <= 50000 and l["steps"] > 1 and
	    0 < l["jitter_pct"] < 10 and (l["window_mw"] is None or
	    l["window_mw"][0] <= l["power_mw"] <= l["window_mw"][1])
	    for l in j["layers"])' <"$work/opc.json" ||
		return 1
	"$OPTSIMCTL" -d "$OPTSIM_DEV" get --json >"$work/get.json" || return 1
	_p=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["power_uw"])' \
		<"$work/opc.json") || return 1
	json_check "j[\"layers\"][0][\"write_power_uw\"] == $_p" <"$work/get.json"
}

# scan --json: no unreadable cluster, a sane jitter on every layer with data.
scan_clean() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" scan --json >"$work/scan.json" || return 1
	cat "$work/scan.json"
	json_check 'j["unreadable"] == 0 and
	    any(l["recorded"] > 0 for l in j["layers"]) and all(
	    l["unreadable"] == 0 and 0 < l["jitter_max_pct"] < 10 and
	    l["ldc_worst_codeword"] <= 32
	    for l in j["layers"] if l["recorded"] > 0)' <"$work/scan.json"
}

# scan --json: at least one unreadable cluster.
scan_unreadable() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" scan --json >"$work/scan.json" || return 1
	cat "$work/scan.json"
	json_check 'j["unreadable"] >= 1 and
	    sum(l["unreadable"] for l in j["layers"]) == j["unreadable"]' \
		<"$work/scan.json"
}

same_as_image() {
	cmp -n "$(stat -c %s "$img")" "$img" "$OPTSIM_DEV"
}

# An O_DIRECT write of one cluster: the drive does not verify, it succeeds.
dd_write_cluster() {
	head -c 65536 /dev/urandom >"$work/cluster.bin" &&
		dd if="$work/cluster.bin" of="$OPTSIM_DEV" bs=65536 count=1 \
			seek="$BAD_CLUSTER" oflag=direct conv=notrunc status=none
}

# Reading it back fails with a medium error.
dd_read_fails() {
	if dd if="$OPTSIM_DEV" of="$work/back.bin" bs=65536 count=1 \
		skip="$BAD_CLUSTER" iflag=direct status=none 2>"$work/dd.err"; then
		echo "dd read of the badly recorded cluster succeeded"
		return 1
	fi
	cat "$work/dd.err"
	grep -q 'No data available' "$work/dd.err"
}

# simulate --json at the optimum: readable, with the fields the spec names.
simulate_optimum() {
	"$OPTSIMCTL" simulate --media bd-r --json >"$work/sim.json" || return 1
	cat "$work/sim.json"
	json_check 'all(k in j for k in ("jitter_pct", "power_mw",
	    "optimum_power_mw", "peak_temp_c", "mark_width_nm", "ser",
	    "ldc_max", "bis_max", "readable")) and j["readable"] is True and
	    0 < j["jitter_pct"] < 10 and j["power_mw"] == j["optimum_power_mw"]' \
		<"$work/sim.json"
}

# simulate --json far below the optimum: unreadable.
simulate_low() {
	"$OPTSIMCTL" simulate --media bd-r --power "$LOW_POWER_MW" --json \
		>"$work/sim.json" || return 1
	cat "$work/sim.json"
	json_check 'j["readable"] is False and j["power_mw"] == 1' \
		<"$work/sim.json"
}

# simulate refuses nonsense with a message.
simulate_refuses() {
	if "$OPTSIMCTL" simulate --media bd-x --json >"$work/sim.out" 2>&1; then
		cat "$work/sim.out"
		echo "simulate --media bd-x succeeded"
		return 1
	fi
	cat "$work/sim.out"
	[ -s "$work/sim.out" ]
}

skip_reason() {
	echo "optsimctl has no '$*' (tools/optsimctl not there yet)"
}

# ---- in userspace: no device needed --------------------------------------

if has_cmd simulate; then
	tap_check "quality: simulate --media bd-r --json: readable at the optimum" \
		simulate_optimum
	tap_check "quality: simulate --power $LOW_POWER_MW: unreadable" \
		simulate_low
	tap_check "quality: simulate refuses an unknown medium" simulate_refuses
else
	for _t in 1 2 3; do
		tap_skip "quality: simulate test $_t" "$(skip_reason simulate)"
	done
fi

# ---- OPC, and a burn after OPC -------------------------------------------

head -c $((IMG_MIB * 1048576)) /dev/urandom >"$img" || exit 1

tap_check "quality: load bd-r, $LAYER sectors" load_medium bd-r "$LAYER" ||
	tap_broken="no medium"
if has_cmd opc; then
	tap_check "quality: opc --json sets the power it reports" opc_json_ok
else
	tap_skip "quality: opc --json" "$(skip_reason opc)"
fi
if has_opt burn --opc; then
	tap_check "quality: load a fresh bd-r, burn --opc (with verify)" \
		sh -c "\"\$1\" -d \"\$2\" load --media bd-r --layer-sectors $LAYER &&
			\"\$1\" -d \"\$2\" burn --opc \"\$3\"" sh \
		"$OPTSIMCTL" "$OPTSIM_DEV" "$img"
else
	tap_check "quality: burn (no --opc in optsimctl yet)" \
		"$OPTSIMCTL" -d "$OPTSIM_DEV" burn "$img"
fi
tap_check "quality: device content equals the image" same_as_image
if has_cmd scan; then
	tap_check "quality: scan --json: no unreadable cluster, sane jitter" \
		scan_clean
else
	tap_skip "quality: scan --json after the burn" "$(skip_reason scan)"
fi

# ---- far too little power ---------------------------------------------------

# The bias goes down too: OPC scaled it along with the write power.
tap_check "quality: set --power $LOW_POWER_MW --bias-power 0.2" \
	"$OPTSIMCTL" -d "$OPTSIM_DEV" set --power "$LOW_POWER_MW" \
	--bias-power 0.2 ||
	tap_broken="cannot set the power"
tap_check "quality: dd oflag=direct of cluster $BAD_CLUSTER succeeds" \
	dd_write_cluster || tap_broken="no badly recorded cluster"
tap_check "quality: reading it back fails: No data available" dd_read_fails
if has_cmd scan; then
	tap_check "quality: scan --json reports it unreadable" scan_unreadable
else
	tap_skip "quality: scan --json after the bad write" \
		"$(skip_reason scan)"
fi

tap_done
