#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# image-reset.sh [OUTDIR] - disc images across a hard reset and across two
# VM boots (Documentation/testing.rst). Run on the host (make
# vm-test-reset); it boots the test VM twice through run-vm.sh, with the
# images in OUTDIR (default build/vm-out/image-reset), the host directory
# shared into the VM:
#
#   boot 1  creates a BD-R image, writes and finalizes it, and writes down
#           its data, info and scan; creates a BD-R DL image, writes 8 MiB
#           and flushes it, then writes 48 MiB more, 1 MiB at a time with a
#           flush after every other one, and resets the VM in the middle,
#           0 to 510 ms after a random MiB starts (echo b >
#           /proc/sysrq-trigger: no eject, no unload, no sync)
#   boot 2  loads both images: the first reads back with data, info and
#           scan identical and refuses writes (finalized); the second
#           loads, its flushed data is intact, every cluster after it
#           holds either what was written to it or nothing, and exactly
#           those that hold it are recorded
#
# TAP on stdout and in OUTDIR/image-reset.tap. Inside the VM the script
# runs itself with --guest crash or --guest check.

set -u

repo=$(cd "$(dirname "$0")/../../.." && pwd -P)
cd "$repo" || exit 1
OPTSIMCTL=$repo/tools/optsimctl/optsimctl
FLUSHED_MB=8
UNFLUSHED_MB=48

ctl() {
	"$OPTSIMCTL" "$@"
}

# shellcheck source=selftests/image-lib.sh
. "$repo/selftests/image-lib.sh"

n=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}

guest_crash() {
	out=$OPTSIM_OUT
	insmod driver/optsim.ko layer_sectors=32768 || return 1
	i=0
	while ! [ -b /dev/optsim ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# The round trip: a finalized BD-R.
	head -c 3000000 /dev/urandom >"$out/rt.data"
	ctl load --image "$out/rt.img" --create --media bd-r \
		--layer-sectors 32768 &&
		dd if="$out/rt.data" of=/dev/optsim bs=64k oflag=direct \
			conv=fsync 2>/dev/null &&
		ctl finalize && image_state 46 >"$out/rt.state" && ctl eject ||
		return 1
	# The hard reset.
	head -c $((FLUSHED_MB << 20)) /dev/urandom >"$out/flushed.bin"
	head -c $((UNFLUSHED_MB << 20)) /dev/urandom >"$out/unflushed.bin"
	ctl load --image "$out/reset.img" --create --media bd-r-dl \
		--layer-sectors 32768 &&
		dd if="$out/flushed.bin" of=/dev/optsim bs=1M oflag=direct \
			conv=fsync 2>/dev/null || return 1
	echo -1 >"$out/progress"
	echo 1 >/proc/sys/kernel/sysrq
	# The reset comes at a random point, while the next MiB is written.
	at=$(($(od -An -N1 -tu1 /dev/urandom) % (UNFLUSHED_MB - 16) + 8))
	i=0
	while [ $i -lt $UNFLUSHED_MB ]; do
		if [ $i -eq $at ]; then
			ms=$(($(od -An -N1 -tu1 /dev/urandom) * 2))
			echo "reset $ms ms into MiB $at of the later writes" \
				>"$out/reset.started"
			(sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))" &&
				echo b >/proc/sysrq-trigger) &
		fi
		if [ $((i % 2)) -eq 1 ]; then
			dd if="$out/unflushed.bin" of=/dev/optsim bs=1M count=1 \
				skip=$i seek=$((FLUSHED_MB + i)) oflag=direct \
				conv=fsync 2>/dev/null || return 1
			echo $i >"$out/progress"
		else
			dd if="$out/unflushed.bin" of=/dev/optsim bs=1M count=1 \
				skip=$i seek=$((FLUSHED_MB + i)) oflag=direct \
				2>/dev/null || return 1
		fi
		i=$((i + 1))
	done
	# The reset did not come while the writes ran.
	echo "all $UNFLUSHED_MB MiB written before the reset" >"$out/progress.note"
	sleep 30
	return 1
}

guest_check() {
	out=$OPTSIM_OUT
	insmod driver/optsim.ko layer_sectors=32768
	tap $? "boot 2: the module loads"
	i=0
	while ! [ -b /dev/optsim ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ctl load --image "$out/rt.img"
	tap $? "boot 2: the finalized BD-R of boot 1 loads"
	image_state 46 >"$out/rt.state2"
	cmp -s "$out/rt.state" "$out/rt.state2"
	tap $? "boot 2: its data, info and scan are identical"
	! dd if="$out/rt.data" of=/dev/optsim bs=64k count=1 seek=100 \
		oflag=direct 2>/dev/null
	tap $? "boot 2: it refuses writes (finalized)"
	ctl eject
	tap $? "boot 2: eject"
	ctl load --image "$out/reset.img"
	tap $? "boot 2: the image written when the VM was reset loads"
	dmesg | grep "optsim.*replayed" || true
	python3 - "$out" "$FLUSHED_MB" "$OPTSIMCTL" <<'PY'
import json, os, subprocess, sys
out, flushed_mb = sys.argv[1], int(sys.argv[2])
C = 65536
flushed = open(out + "/flushed.bin", "rb").read()
unflushed = open(out + "/unflushed.bin", "rb").read()
progress = int(open(out + "/progress").read())
fd = os.open("/dev/optsim", os.O_RDONLY)
def cluster(i):
    try:
        return os.pread(fd, C, i * C)
    except OSError:
        return None
n = 0
def tap(ok, what):
    global n
    n += 1
    print(("ok %d - " if ok else "not ok %d - ") % n + what)
f = flushed_mb * 16
tap(all(cluster(i) == flushed[i * C:(i + 1) * C] for i in range(f)),
    "boot 2: the %d MiB flushed before the reset read back" % flushed_mb)
last = (progress + 1) * 16
tap(all(cluster(f + i) == unflushed[i * C:(i + 1) * C] for i in range(last)),
    "boot 2: the %d MiB of later writes flushed before the reset read back"
    % (progress + 1))
whole = 0
bad = []
for i in range(len(unflushed) // C):
    got = cluster(f + i)
    if got == unflushed[i * C:(i + 1) * C]:
        whole += 1
    elif got is not None and got != bytes(C):
        bad.append(f + i)
tap(not bad, "boot 2: every later cluster holds what was written or nothing"
    + (" (clusters %s hold something else)" % bad[:8] if bad else ""))
info = json.loads(subprocess.run([sys.argv[3], "info", "--json"],
                                 capture_output=True, text=True).stdout)
rec = sum(info["recorded_clusters"])
tap(rec == f + whole, "boot 2: recorded clusters (%d) are exactly those "
    "that hold their data (%d flushed + %d of the %d later ones; %d MiB of "
    "those flushed)" % (rec, f, whole, len(unflushed) // C, progress + 1))
PY
	ctl eject
	tap $? "boot 2: eject"
	rmmod optsim
	tap $? "boot 2: rmmod"
}

if [ "${1:-}" = --guest ]; then
	case $2 in
	crash) guest_crash ;;
	check) guest_check ;;
	esac
	exit $?
fi

# ---- on the host ---------------------------------------------------------------

outdir=${1:-$repo/build/vm-out}/image-reset
runvm=$repo/tools/testing/vm/run-vm.sh
rm -rf "$outdir"
mkdir -p "$outdir"
tapfile=$outdir/../image-reset.tap
{
	"$runvm" -o "$outdir" -t 600 -- "$0" --guest crash >"$outdir/boot1.log" 2>&1
	rc=$?
	# The VM ends with the reset: it reports no exit status (126).
	[ $rc -eq 126 ] && [ -e "$outdir/reset.started" ] &&
		! [ -e "$outdir/progress.note" ]
	tap $? "boot 1: the VM was reset in the middle of writes to the image (run-vm.sh: $rc)"
	cat "$outdir/reset.started" "$outdir/progress.note" 2>/dev/null |
		sed 's/^/# /'
	echo "# flushed $(($(cat "$outdir/progress" 2>/dev/null || echo -1) + 1)) MiB after the first $FLUSHED_MB"
	"$runvm" -o "$outdir" -t 600 -- "$0" --guest check >"$outdir/boot2.log" 2>&1
	rc=$?
	tap $rc "boot 2: the VM ran the checks (run-vm.sh: $rc)"
	tr -d '\r' <"$outdir/console.log" | grep -E '^(not )?ok |^# '
} >"$tapfile.tmp"
# Number the lines again, in one sequence, with the plan.
awk '/^(not )?ok / { k++; sub(/^ok [0-9]+ /, "ok " k " ")
		sub(/^not ok [0-9]+ /, "not ok " k " ") }
	{ print } END { print "1.." k }' "$tapfile.tmp" >"$tapfile"
rm -f "$tapfile.tmp"
cat "$tapfile"
! grep -q '^not ok' "$tapfile"
