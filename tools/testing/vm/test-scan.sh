#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host test of scan-klog.sh, the kernel-log scanner run-vm.sh relies on:
# sample logs with and without kernel trouble. Prints TAP; exits 1 when a
# case fails.
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
scan=$here/scan-klog.sh
# shellcheck source=tools/testing/tap-lib.sh
. "$here/../tap-lib.sh"
tap_tmpdir

# expect clean|dirty NAME: scan stdin as a log.
expect() {
	cat >"$T/log"
	out=$("$scan" "$T/log" 2>&1)
	rc=$?
	case $1:$rc in
	clean:0 | dirty:1)
		tap_ok "scan-klog: $2"
		;;
	*)
		tap_not_ok "scan-klog: $2 (expected $1, exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
		;;
	esac
}

echo "TAP version 13"
tap_plan 21

expect clean "a normal boot log is clean" <<'EOF'
[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)
[    0.000000] Command line: console=ttyS0 panic=-1 oops=panic loglevel=5 log_buf_len=4M
[    0.040000] tsc: Unable to calibrate against PIT
[    0.921508] mtrr: your CPUs had inconsistent fixed MTRR settings
[    1.185439] acpi PNP0A03:00: fail to add MMCONFIG information, can't access extended PCI configuration space under this bridge.
[    2.731947] Unstable clock detected, switching default tracing clock to "global"
[    2.804171] Freeing unused decrypted memory: 2036K
[    4.162126] 9pnet: Installing 9P2000 support
[    4.386426] 9p: Installing v9fs 9p2000 file system support
[    5.100000] optsim: loading out-of-tree module taints kernel.
[    5.200000] UDF-fs: INFO Mounting volume 'LinuxUDF', timestamp 2026/11/21 19:00 (1000)
[    5.300000] ISO 9660 Extensions: RRIP_1991A
EOF

expect dirty "an oops" <<'EOF'
[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008
[   12.345679] #PF: supervisor read access in kernel mode
[   12.345680] Oops: 0000 [#1] PREEMPT SMP NOPTI
EOF

expect dirty "a WARN_ON splat" <<'EOF'
[    7.000000] ------------[ cut here ]------------
[    7.000001] WARNING: CPU: 1 PID: 321 at drivers/block/optsim/main.c:42 optsim_probe+0x10/0x20 [optsim]
EOF

expect dirty "kernel BUG at" <<'EOF'
[    7.000000] kernel BUG at mm/slub.c:379!
EOF

expect dirty "a general protection fault" <<'EOF'
[    7.000000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI
EOF

expect dirty "a lockdep report" <<'EOF'
[    9.000000] ============================================
[    9.000001] WARNING: possible recursive locking detected
[    9.000002] 6.1.0-56-amd64 #1 Tainted: G           O
EOF

expect dirty "an INFO: possible lockdep report" <<'EOF'
[    9.000001] INFO: possible irq lock inversion dependency detected
EOF

expect dirty "a hung task" <<'EOF'
[  242.000000] INFO: task optsim_test:456 blocked for more than 120 seconds.
[  242.000001]       Tainted: G           O       6.1.0-56-amd64 #1 Debian 6.1.192-2
EOF

expect dirty "a KASAN report" <<'EOF'
[    9.000000] ==================================================================
[    9.000001] BUG: KASAN: slab-out-of-bounds in optsim_rw+0x1d/0x40 [optsim]
EOF

expect dirty "a UBSAN report" <<'EOF'
[    9.000000] UBSAN: shift-out-of-bounds in drivers/block/optsim/store.c:12:5
EOF

expect dirty "a refcount_t warning" <<'EOF'
[    9.000000] refcount_t: underflow; use-after-free.
EOF

expect dirty "a panic" <<'EOF'
[    9.000000] Kernel panic - not syncing: sysrq triggered crash
EOF

expect dirty "a bare call trace" <<'EOF'
[    9.000000] Call Trace:
[    9.000001]  <TASK>
[    9.000002]  dump_stack_lvl+0x44/0x5c
EOF

expect dirty "an RCU stall" <<'EOF'
[   30.000000] rcu: INFO: rcu_preempt self-detected stall on CPU
EOF

expect dirty "a soft lockup" <<'EOF'
[   30.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [optsim_test:77]
EOF

expect clean "optsim_fault's injected vmalloc failure, inside its markers" <<'EOF'
[   40.000000] optsim_fault: injecting into module load
[   41.000000] optsim_fault: vmalloc error: size 798024, vm_struct allocation failed, mode:0xcc0(GFP_KERNEL), nodemask=(null)
[   41.000001] CPU: 1 PID: 165 Comm: optsim_fault Tainted: G           O       6.1.192-optsim-debug #1
[   41.000002] Call Trace:
[   41.000003]  <TASK>
[   41.000004]  warn_alloc+0x172/0x286
[   42.000000] optsim_fault: done injecting
EOF

expect clean "failslab's report of a failure it injected, inside the markers" <<'EOF'
[   50.000000] optsim_fault: injecting into SCSI WRITE(10)
[   50.100000] FAULT_INJECTION: forcing a failure.
[   50.100000] name failslab, interval 1, probability 100, space 0, times 1
[   50.100001] CPU: 0 PID: 31 Comm: kworker/0:2 Tainted: G           O       6.1.192-optsim-debug #1
[   50.100002] Workqueue: optsim_mmc optsim_scsi_work [optsim]
[   50.100003] Call Trace:
[   50.100004]  <TASK>
[   50.100005]  should_failslab+0x5/0x10
[   51.000000] optsim_fault: done injecting
EOF

expect dirty "failslab's report outside the markers" <<'EOF'
[   50.100000] FAULT_INJECTION: forcing a failure.
[   50.100003] Call Trace:
EOF

expect dirty "the same report outside the markers" <<'EOF'
[   41.000000] optsim_fault: vmalloc error: size 798024, vm_struct allocation failed, mode:0xcc0(GFP_KERNEL), nodemask=(null)
[   41.000002] Call Trace:
[   41.000004]  warn_alloc+0x172/0x286
EOF

expect dirty "a WARNING inside optsim_fault's markers" <<'EOF'
[   40.000000] optsim_fault: injecting into drive create (netlink)
[   41.000000] optsim_fault: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)
[   41.000002] Call Trace:
[   41.000100] WARNING: CPU: 1 PID: 321 at block/genhd.c:42 device_add_disk+0x10/0x20
[   41.000102] Call Trace:
[   42.000000] optsim_fault: done injecting
EOF

printf 'optsim-vm: running\r\n[    9.000000] Oops: 0002 [#1] PREEMPT SMP NOPTI\r\n' \
	>"$T/crlf"
expect dirty "a serial console capture with CR LF line ends" <"$T/crlf"

tap_done
