#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debug-check.sh OUTDIR NAME... - the guest side of make check-debug: run
# selftests/run.sh OUTDIR/NAME NAME for each NAME on the debug kernel
# (scripts/debug-kernel.sh), then look for leaks with kmemleak. NAME "all"
# runs the whole suite (run.sh OUTDIR/all).
#
# Before the first suite, kmemleak is scanned and cleared: what the kernel
# leaked while booting is not optsim's. After the last one (run.sh unloads
# optsim at the end of each), it is scanned twice (a new object is only
# reported once it has been unreferenced for a whole scan). Every report is
# saved in OUTDIR/kmemleak.txt and copied into the kernel log, where
# run-vm.sh's log scan fails the run on it ("unreferenced object 0x").
# KASAN, KFENCE, UBSAN, lockdep and the other checks report into the kernel
# log by themselves. OUTDIR/kmemleak.tap gets the verdict.
#
# Exit status: 0 when every suite passed and kmemleak found nothing.

if [ $# -lt 2 ]; then
	echo "usage: $0 OUTDIR NAME..." >&2
	exit 2
fi
out=$1
shift
repo=$(cd "$(dirname "$0")/../../.." && pwd -P)
kml=/sys/kernel/debug/kmemleak
rc=0

mkdir -p "$out" || exit 2
[ -e "$kml" ] ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -w "$kml" ]; then
	echo scan >"$kml"
	echo clear >"$kml"
else
	echo "debug-check: no $kml: is this the debug kernel?" >&2
	rc=1
fi

for name in "$@"; do
	echo "debug-check: suite $name on $(uname -r)"
	if [ "$name" = all ]; then
		"$repo/selftests/run.sh" "$out/$name" || rc=1
	else
		"$repo/selftests/run.sh" "$out/$name" "$name" || rc=1
	fi
done

if [ -d /sys/module/optsim ]; then
	echo "debug-check: optsim still loaded; unloading it for the leak scan"
	rmmod optsim || rc=1
fi
if [ -w "$kml" ]; then
	# kmemleak reports an object once it is older than 5 s and was found
	# unreferenced by a scan.
	sleep 6
	echo scan >"$kml"
	sleep 6
	echo scan >"$kml"
	cat "$kml" >"$out/kmemleak.txt"
	n=$(grep -c '^unreferenced object 0x' "$out/kmemleak.txt")
	if [ "$n" -eq 0 ]; then
		echo "ok 1 kmemleak: no leak after rmmod optsim" >"$out/kmemleak.tap"
	else
		rc=1
		{
			echo "not ok 1 kmemleak: no leak after rmmod optsim"
			echo "# $n unreferenced objects; see $out/kmemleak.txt"
		} >"$out/kmemleak.tap"
		# Into the kernel log for run-vm.sh's scan (scan-klog.sh).
		while IFS= read -r line; do
			echo "$line" >/dev/kmsg
		done <"$out/kmemleak.txt"
	fi
	cat "$out/kmemleak.tap"
fi
exit $rc
