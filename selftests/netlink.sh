#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# netlink.sh - the generic netlink family "optsim" through its real client,
# optsimctl (monitor, stats, create, remove), and hand-made malformed
# requests (nl_request.py): events arrive in order with the right
# attributes, counters count, every refusal says why, unprivileged changes
# are refused, and drives come and go under fio load without leaking.
# TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

LAYER=4096
NLREQ="python3 $ksft_dir/nl_request.py"

tap_plan 28

need_tools python3 dd fio setpriv "$OPTSIMCTL"

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-netlink.XXXXXX") || exit 1
mon_pid=
cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null
	for d in 1 2 3; do
		[ -b "/dev/optsim$d" ] && "$OPTSIMCTL" remove "$d" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

# stats_get INDEX LAYER FIELD: one counter of a drive's layer.
stats_get() {
	"$OPTSIMCTL" -d "$1" stats --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
print([l for l in d["layers"] if l["index"] == int(sys.argv[1])][0][sys.argv[2]])
' "$2" "$3"
}

# ---- events, in order -----------------------------------------------------

load_medium bd-r "$LAYER" >/dev/null || tap_broken="load bd-r failed"
compiles0=$(stats_get 0 0 compiles)
written0=$(stats_get 0 0 clusters_written)
refused0=$(stats_get 0 0 writes_refused)
wo0=$(stats_get 0 0 write_once_violations)
merr0=$(stats_get 0 0 medium_errors)

"$OPTSIMCTL" monitor --json >"$work/events" 2>"$work/monitor.err" &
mon_pid=$!
# Until the monitor has joined the group: it answers nothing, so wait.
sleep 1

run_events() {
	dd if=/dev/urandom of="$OPTSIM_DEV" bs=64k count=4 oflag=direct \
		2>/dev/null || return 1
	sleep 0.3
	# write-once: the same clusters again are refused
	if dd if=/dev/zero of="$OPTSIM_DEV" bs=64k count=1 oflag=direct \
		2>/dev/null; then
		echo "a rewrite of a recorded BD-R cluster succeeded"
		return 1
	fi
	"$OPTSIMCTL" set --speed 2 || return 1
	"$OPTSIMCTL" finalize || return 1
	"$OPTSIMCTL" eject || return 1
	load_medium bd-re "$LAYER" || return 1
	# far too little power: the cluster records unreadable
	"$OPTSIMCTL" set --power 1.0 --bias-power 0.2 || return 1
	dd if=/dev/urandom of="$OPTSIM_DEV" bs=64k count=1 seek=8 oflag=direct \
		2>/dev/null || return 1
	if dd if="$OPTSIM_DEV" of=/dev/null bs=64k count=1 skip=8 iflag=direct \
		2>/dev/null; then
		echo "a read of an unreadable cluster succeeded"
		return 1
	fi
	"$OPTSIMCTL" create --media bd-r --layer-sectors "$LAYER" --index 3 \
		>"$work/created" || return 1
	"$OPTSIMCTL" remove /dev/optsim3 || return 1
	sleep 0.5
}
tap_check "events: a write, a refused write, set, finalize, eject, load, a read error, create, remove" run_events
stop_monitor

# check_events PYTHON: the monitor's lines as the list ev of objects.
check_events() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
ok = eval(sys.argv[2])
if not ok:
    print("events:", kinds)
    for e in ev:
        print(json.dumps(e))
sys.exit(0 if ok else 1)
' "$work/events" "$1"
}

tap_check "events: every line is one JSON object with an event and a drive" \
	check_events 'len(ev) > 0 and all("event" in e and "dev_index" in e for e in ev)'
tap_check "events: in the order things happened" \
	check_events 'kinds == ["recorded", "write-refused", "params", "finalize", "eject", "load", "params", "recorded", "read-error", "dev-add", "dev-del"]'
tap_check "events: recorded names clusters 0 to 3, four of them" \
	check_events '[(e["first_cluster"], e["last_cluster"], e["clusters"]) for e in ev if e["event"] == "recorded"][0] == (0, 3, 4)'
tap_check "events: the refused write says why: recorded, EIO, cluster 0 of L0" \
	check_events '[(e["reason"], e["error"], e["first_cluster"], e["lba"], e["on_layer"]) for e in ev if e["event"] == "write-refused"] == [("recorded", 5, 0, 0, 0)]'
tap_check "events: params carries the new velocity, 2x" \
	check_events '[e for e in ev if e["event"] == "params"][0]["layers"][0]["velocity_mms"] == 9834'
tap_check "events: params says what auto stands for on BD-R at 2x: castle" \
	check_events '[(l["strategy"], l["strategy_used"]) for l in [e for e in ev if e["event"] == "params"][0]["layers"]] == [("auto", "castle")]'
tap_check "events: load says bd-re, one layer of 4096 sectors" \
	check_events '[(e["media"], e["layers"], e["layer_sectors"]) for e in ev if e["event"] == "load"] == [("bd-re", 1, 4096)]'
tap_check "events: the read error names cluster 8 of L0" \
	check_events '[(e["first_cluster"], e["lba"], e["on_layer"]) for e in ev if e["event"] == "read-error"] == [(8, 256, 0)]'
tap_check "events: dev-add and dev-del name drive 3, optsim3" \
	check_events '[(e["dev_index"], e["dev_name"]) for e in ev if e["event"] in ("dev-add", "dev-del")] == [(3, "optsim3")] * 2'

# ---- statistics -------------------------------------------------------------

check_stats() {
	expect_eq "clusters written" $((written0 + 5)) \
		"$(stats_get 0 0 clusters_written)" &&
	expect_eq "writes refused" $((refused0 + 1)) \
		"$(stats_get 0 0 writes_refused)" &&
	expect_eq "write-once violations" $((wo0 + 1)) \
		"$(stats_get 0 0 write_once_violations)" &&
	expect_eq "medium errors" $((merr0 + 1)) \
		"$(stats_get 0 0 medium_errors)" &&
	[ "$(stats_get 0 0 compiles)" -gt "$compiles0" ]
}
tap_check "stats: the writes, the refusal, the violation, the medium error and the compiles counted" check_stats

tap_check "stats: without -d, every drive" sh -c \
	"'$OPTSIMCTL' stats --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[\"devices\"]; sys.exit(0 if [x[\"index\"] for x in d] == [0] else 1)'"

# ---- refusals and their reasons -------------------------------------------

# nl_case CASE ERRNOS MESSAGE [MISSING]: the kernel refuses CASE with one of
# ERRNOS (|-separated), a message containing MESSAGE ("?" for any
# non-empty one), and names the missing attribute MISSING.
nl_case() {
	out=$($NLREQ "$1") || return 1
	err=$(printf '%s' "$out" | cut -f1)
	msg=$(printf '%s' "$out" | cut -f2)
	miss=$(printf '%s' "$out" | cut -f3)
	echo "$1: $err '$msg' missing=$miss"
	case "|$2|" in
	*"|$err|"*) ;;
	*) return 1 ;;
	esac
	if [ -n "${4:-}" ]; then
		[ "$miss" = "$4" ] || return 1
	elif [ "$3" = "?" ]; then
		[ -n "$msg" ] || return 1
	else
		case "$msg" in
		*"$3"*) ;;
		*) return 1 ;;
		esac
	fi
}

check_malformed() {
	nl_case short-index "EINVAL|ERANGE" "?" &&
	nl_case index-range "EINVAL|ERANGE" "?" &&
	nl_case unknown-attr "EINVAL" "?" &&
	nl_case media-range "EINVAL|ERANGE" "?" &&
	nl_case velocity-range "EINVAL|ERANGE" "?"
}
tap_check "malformed attributes are refused, with the kernel's message" check_malformed
tap_check "a request without its drive names the missing attribute" \
	nl_case missing-index EINVAL "" 2
tap_check "a layer without its index names the missing attribute" \
	nl_case layer-no-index EINVAL "" 2
tap_check "no such drive: ENODEV, said so" nl_case no-drive ENODEV "no drive with this index"
tap_check "impossible geometry: EINVAL, said so" \
	nl_case bad-geometry EINVAL "multiple of 32"
tap_check "a layer the medium lacks: EINVAL, said so" \
	nl_case no-such-layer EINVAL "no such layer"

check_set_ok() {
	nl_case set-ok 0 "" || return 1
	v=$("$OPTSIMCTL" get --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["velocity_mms"])')
	expect_eq "velocity after params-set" 9834 "$v"
}
tap_check "params-set over netlink sets what the ioctl reads back" check_set_ok

# used_is SPEED STRATEGY WANT: after "set --speed SPEED --strategy
# STRATEGY", "get" shows, from the kernel, the strategy WANT on every layer,
# and the model in userspace (simulate) resolves each layer's to it too.
used_is() {
	"$OPTSIMCTL" set --speed "$1" --strategy "$2" || return 1
	"$OPTSIMCTL" get --json >"$work/get" || return 1
	for l in 0 1; do
		"$OPTSIMCTL" simulate --media bd-r-dl --layer "$l" --speed "$1" \
			--strategy "$2" --power 10 --json >"$work/sim$l" || return 1
	done
	python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["layers"]
sim = [json.load(open(f))["strategy"] for f in sys.argv[4:]]
got = [(l["strategy"], l.get("strategy_used")) for l in g]
want = [(sys.argv[2], sys.argv[3])] * 2
ok = got == want and sim == [sys.argv[3]] * 2
if not ok:
    print("get:", got, "want:", want, "simulate:", sim)
sys.exit(0 if ok else 1)
' "$work/get" "$2" "$3" "$work/sim0" "$work/sim1"
}

check_strategy_used() {
	load_medium bd-r-dl "$LAYER" || return 1
	used_is 1 auto multi && used_is 2 auto castle &&
		used_is 2 single single
}
tap_check "get: the kernel says what auto stands for, as the model resolves it" \
	check_strategy_used

check_unprivileged() {
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
	# shellcheck disable=SC2086 # both are word lists
	out=$($nobody $NLREQ set-ok) || return 1
	echo "unprivileged params-set: $out"
	[ "$(printf '%s' "$out" | cut -f1)" = EPERM ] || return 1
	if $nobody "$OPTSIMCTL" create --media bd-r >"$work/np" 2>&1; then
		echo "an unprivileged create succeeded"
		return 1
	fi
	grep -q 'Operation not permitted' "$work/np" || return 1
	# and nothing changed
	[ ! -e /dev/optsim1 ]
}
tap_check "unprivileged params-set and create are refused with EPERM" check_unprivileged

# ---- drives come and go ------------------------------------------------------

check_busy() {
	"$OPTSIMCTL" create --index 1 --media bd-re --layer-sectors 8192 || return 1
	exec 3</dev/optsim1
	if "$OPTSIMCTL" remove 1 >"$work/busy" 2>&1; then
		exec 3<&-
		echo "removing an open drive succeeded"
		return 1
	fi
	exec 3<&-
	cat "$work/busy"
	grep -q 'busy.*open or mounted' "$work/busy" || return 1
	[ -b /dev/optsim1 ] || return 1
	"$OPTSIMCTL" remove 1 || return 1
	! [ -e /dev/optsim1 ]
}
tap_check "removing an open drive is refused (EBUSY), closed it goes" check_busy

mem_used() {
	info_get mem_used
}

# Two drives under fio with verification while a third comes and goes
# twenty times (with a write each time); then every byte the drives held
# is freed.
check_lifecycle() {
	mem0=$(mem_used) || return 1
	"$OPTSIMCTL" create --index 1 --media bd-re --layer-sectors 8192 >/dev/null &&
	"$OPTSIMCTL" create --index 2 --media bd-re-dl --layer-sectors 4096 >/dev/null ||
		return 1
	for d in 1 2; do
		fio --name="life$d" --filename="/dev/optsim$d" --direct=1 \
			--ioengine=libaio --iodepth=8 --verify=crc32c \
			--verify_fatal=1 --do_verify=1 --rw=write --bs=64k \
			--size=8M --loops=3 >"$work/fio$d" 2>&1 &
		eval "fio$d=\$!"
	done
	i=0
	while [ "$i" -lt 20 ]; do
		"$OPTSIMCTL" create --index 3 --media bd-re --layer-sectors 1024 \
			>/dev/null || return 1
		dd if=/dev/urandom of=/dev/optsim3 bs=64k count=2 oflag=direct \
			2>/dev/null || return 1
		"$OPTSIMCTL" remove 3 || return 1
		i=$((i + 1))
	done
	# shellcheck disable=SC2154 # set through eval
	wait "$fio1" || { cat "$work/fio1"; return 1; }
	# shellcheck disable=SC2154
	wait "$fio2" || { cat "$work/fio2"; return 1; }
	"$OPTSIMCTL" remove 1 && "$OPTSIMCTL" remove 2 || return 1
	expect_eq "memory used after the drives left" "$mem0" "$(mem_used)"
}
tap_check "drives created and removed under fio load: data verified, nothing leaked" check_lifecycle

# ---- a medium's recording state in dev-get ------------------------------

# info_is EXPR: "optsimctl info --json" is an object d for which the Python
# expression EXPR holds.
info_is() {
	"$OPTSIMCTL" info --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = eval(sys.argv[1])
if not ok:
    print({k: d[k] for k in ("media", "nwa", "capacity_sectors", "finalized",
                             "closed_sessions", "tracks", "formatted",
                             "spare_sectors")})
sys.exit(0 if ok else 1)
' "$1"
}

check_bdr_tracks() {
	load_medium bd-r "$LAYER" || return 1
	info_is 'd["closed_sessions"] == 0 and d["formatted"] is None and d["spare_sectors"] is None and d["tracks"] == [{"number": 1, "session": 1, "start": 0, "end": d["capacity_sectors"], "nwa": 0, "data_end": 0, "reserved": False, "closed": False, "invisible": True}]' ||
		return 1
	dd if=/dev/urandom of="$OPTSIM_DEV" bs=64k count=4 oflag=direct \
		2>/dev/null || return 1
	info_is 'd["nwa"] == 128 and len(d["tracks"]) == 1 and d["tracks"][0]["nwa"] == 128 and d["tracks"][0]["data_end"] == 128 and d["tracks"][0]["invisible"]'
}
tap_check "dev-get: a blank BD-R has one invisible track, no closed session; a write moves its NWA" \
	check_bdr_tracks

check_bdre_format() {
	load_medium bd-re "$LAYER" || return 1
	info_is 'd["formatted"] is False and d["spare_sectors"] == 0 and d["tracks"] is None and d["closed_sessions"] is None' ||
		return 1
	# through /dev/optsim the first write formats it: quick, no spares
	dd if=/dev/urandom of="$OPTSIM_DEV" bs=64k count=1 oflag=direct \
		2>/dev/null || return 1
	info_is 'd["formatted"] is True and d["spare_sectors"] == 0'
}
tap_check "dev-get: a BD-RE is unformatted until the first write formats it, without spares" \
	check_bdre_format

# A full track table (255 tracks: 254 reserved through the MMC front, and
# the invisible one) is larger than a page: dev-get's do and dump carry it
# whole, and info shows every track.
check_full_table() {
	load_medium bd-r 16384 || return 1
	i=0
	while [ "$i" -lt 254 ]; do
		# RESERVE TRACK, 32 sectors
		sg_raw "$sr" 53 00 00 00 00 00 00 00 20 00 >/dev/null 2>&1 || {
			echo "RESERVE TRACK $((i + 1)) failed"
			sg_raw "$sr" 53 00 00 00 00 00 00 00 20 00
			return 1
		}
		i=$((i + 1))
	done
	out=$($NLREQ tracks 0) || return 1
	expect_eq "track nests of dev-get's do and dump" "do=255 dump=255" "$out" &&
	info_is 'len(d["tracks"]) == 255 and all(t["reserved"] and t["end"] - t["start"] == 32 for t in d["tracks"][:254]) and d["tracks"][254]["invisible"]'
}
# sr_mod binds the LUN; without it there is no sr node.
modprobe sr_mod 2>/dev/null && udevadm settle --timeout=30 2>/dev/null
hctl=$(cat /sys/block/optsim/optsim/scsi_device 2>/dev/null)
sr=
[ -n "$hctl" ] && for n in "/sys/bus/scsi/devices/$hctl/block"/*; do
	[ -e "$n" ] && sr=/dev/${n##*/}
done
if [ -z "$hctl" ]; then
	tap_skip "dev-get: a full track table, do and dump" "the MMC front is off"
elif [ -z "$sr" ]; then
	tap_skip "dev-get: a full track table, do and dump" "sr_mod is not loaded"
elif ! command -v sg_raw >/dev/null; then
	tap_skip "dev-get: a full track table, do and dump" "no sg_raw"
else
	tap_check "dev-get: a full track table, do and dump" check_full_table
fi

# ---- statistics of a read across the layers -----------------------------

# One read of 200 KiB from 4 KiB into cluster 126 of a dual-layer disc of
# 4096-sector layers (128 clusters each): 124 KiB of clusters 126 and 127
# on L0, 76 KiB of clusters 128 and 129 on L1.
read_across_layers() {
	load_medium bd-re-dl "$LAYER" || return 1
	b0=$(stats_get 0 0 bytes_read)
	c0=$(stats_get 0 0 clusters_read)
	b1=$(stats_get 0 1 bytes_read)
	c1=$(stats_get 0 1 clusters_read)
	dd if="$OPTSIM_DEV" of=/dev/null bs=204800 count=1 \
		skip=$((126 * 65536 + 4096)) iflag=direct,skip_bytes \
		2>/dev/null || return 1
	expect_eq "L0 bytes read" $((b0 + 126976)) \
		"$(stats_get 0 0 bytes_read)" &&
	expect_eq "L0 clusters read" $((c0 + 2)) \
		"$(stats_get 0 0 clusters_read)" &&
	expect_eq "L1 bytes read" $((b1 + 77824)) \
		"$(stats_get 0 1 bytes_read)" &&
	expect_eq "L1 clusters read" $((c1 + 2)) \
		"$(stats_get 0 1 clusters_read)"
}
tap_check "stats: a read across L0 and L1 counts each layer's bytes and clusters" read_across_layers

check_list() {
	"$OPTSIMCTL" list --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
sys.exit(0 if [(x["name"], x["index"]) for x in d] == [("optsim", 0)] else 1)'
}
tap_check "list: the drives left, drive 0 only" check_list

tap_done
