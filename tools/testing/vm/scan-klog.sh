#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scan-klog.sh FILE... - look for signs of kernel trouble in kernel logs
#
# Prints every offending line (prefixed with its file and line number) and
# exits 1 when there is at least one, 0 when the logs are clean, 2 when a
# file cannot be read. Used by run-vm.sh on the guest's dmesg (or on the
# serial console capture when the guest never got to save its dmesg), and
# tested on sample logs by test-scan.sh.
#
# Everything here is a failure: an oops, BUG/WARNING splats, lockdep
# reports, hung tasks, RCU stalls, KASAN/UBSAN/KFENCE/kmemleak reports,
# refcount_t saturation, panics, and any stray "Call Trace:".
#
# One exception: selftests/optsim_fault fails allocations on purpose, and
# the kernel reports a failed vmalloc or page allocation with a stack
# trace (warn_alloc: "vmalloc error: ..." or "page allocation failure:
# ..."), as failslab does each failure it injects when its verbose is 2
# ("FAULT_INJECTION: forcing a failure.": the test reads the trace to tell
# where it failed). Between its markers "optsim_fault: injecting into ..."
# and "optsim_fault: done injecting", the "Call Trace:" of such a report
# is not trouble; everything else there still is.

KLOG_PATTERN='Oops|BUG:|WARNING:|kernel BUG|general protection fault'
KLOG_PATTERN="$KLOG_PATTERN|KASAN|UBSAN|KFENCE|unreferenced object 0x"
KLOG_PATTERN="$KLOG_PATTERN|INFO: possible|INFO: task .* blocked for more than"
KLOG_PATTERN="$KLOG_PATTERN|INFO: rcu|rcu: INFO:|detected stalls? on CPU"
KLOG_PATTERN="$KLOG_PATTERN|Kernel panic|Call Trace:|refcount_t:"
KLOG_PATTERN="$KLOG_PATTERN|Unable to handle kernel|stack-protector:"
KLOG_PATTERN="$KLOG_PATTERN|list_(add|del) corruption|slab.*(corrupt|Poison overwritten)"

if [ $# -eq 0 ]; then
	echo "usage: $0 FILE..." >&2
	exit 2
fi

rc=0
for f in "$@"; do
	if [ ! -r "$f" ]; then
		echo "scan-klog: cannot read $f" >&2
		rc=2
		continue
	fi
	# tr: the serial console capture has CR LF line ends
	hits=$(tr -d '\r' <"$f" | awk '
	/optsim_fault: injecting into / { win = 1; alloc = 0 }
	/optsim_fault: done injecting/ { win = 0; alloc = 0 }
	win && /(vmalloc error|page allocation failure): / { alloc = 1 }
	win && /FAULT_INJECTION: forcing a failure/ { alloc = 1 }
	# the trace of that report: up to the next "Call Trace:" only
	win && alloc && /Call Trace:/ { alloc = 0; print ""; next }
	{ print }' | grep -n -E -e "$KLOG_PATTERN")
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^|$f:|"
		[ $rc -eq 0 ] && rc=1
	fi
done
exit $rc
