#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh - run a command as root in a throw-away qemu VM that boots the
# Debian kernel optsim is built for, with the host's root file system as
# its (read-only) root.
#
#   tools/testing/vm/run-vm.sh [-t TIMEOUT_SECS] [-o OUTDIR] [-m MEM] -- COMMAND [ARGS...]
#
# The command runs in the repository (same path as on the host) with
# OPTSIM_OUT=OUTDIR and OPTSIM_IN_VM=1 set; OUTDIR (default build/vm-out)
# is shared read-write, so files the guest writes there appear on the host.
# /tmp and /run are private tmpfs. The guest console streams to stdout and
# is saved in OUTDIR/console.log, the guest kernel log in OUTDIR/dmesg.txt.
#
# Exit status: the command's, or
#   124  the VM did not finish within TIMEOUT_SECS (default 600)
#   125  the guest kernel logged a problem (oops, BUG, WARNING, lockdep,
#        hung task, KASAN/UBSAN, panic, ...); the lines are printed
#   126  the VM never reported the command's exit status (crash, boot
#        failure, qemu failure)
# OUTDIR/vm.tap gets one TAP line each for: the VM booted and ran the
# command, it did not hang, its kernel log is clean.
#
# The guest kernel runs with oops=panic and hung_task_panic=1 (and
# panic=-1 with qemu -no-reboot): an oops or a task stuck for 120 s ends
# the VM at once, with the splat on the console, rather than leaving the
# run to hang on whatever the dead task held until the timeout. WARNINGs
# and the like do not stop the VM; they are found in its dmesg afterwards.
#
# Files in OUTDIR besides the command's own: .vm-cmd and .vm-env (written
# for the guest), .vm-status (the command's exit status), dmesg.txt,
# console.log, vm.tap.
#
# Environment:
#   OPTSIM_VM_ACCEL=tcg|kvm  accelerator; unset: KVM if a one-off probe
#                            (cached in build/vm/accel) showed that it works
#   OPTSIM_VM_APPEND=...     extra kernel command-line options
#   OPTSIM_VM_KERNEL=FILE    kernel image to boot instead of
#                            /boot/vmlinuz-$KVER (its vmlinux, extracted
#                            once, when the kernel has CONFIG_PVH: booting
#                            that saves the slow decompression under TCG)
#   KVER                     kernel release to boot (default scripts/kver.sh)
#
# A kernel given as OPTSIM_VM_KERNEL whose release KVER has no
# /lib/modules/$KVER on the host (the debug kernel, scripts/debug-kernel.sh)
# must have everything the VM needs built in: virtio-pci, 9p, tmpfs and the
# drivers the tests use; the initramfs then loads no modules.
#
# Only one VM runs at a time (flock on /tmp/optsim-vm.lock).

set -eu

usage() {
	sed -n 's/^#   tools\/testing\/vm\/run-vm.sh/usage: run-vm.sh/p' "$0" >&2
	exit 2
}

msg() {
	echo "optsim-vm: $*"
}

timeout=600
out=
mem=2G
while getopts t:o:m:h opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
case $timeout in
'' | *[!0-9]*) msg "bad timeout: $timeout" >&2; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/../../.." && pwd -P)
vmdir=$repo/build/vm
KVER=${KVER:-$("$repo/scripts/kver.sh")}
kernel=/boot/vmlinuz-$KVER
moddir=/lib/modules/$KVER
initrd=$vmdir/initramfs-$KVER.cpio.gz
lock=/tmp/optsim-vm.lock

[ -n "$out" ] || out=$repo/build/vm-out
mkdir -p "$out" "$vmdir"
out=$(cd "$out" && pwd -P)
case $out in
/) msg "the output directory cannot be /" >&2; exit 2 ;;
*[!A-Za-z0-9_./+@:=-]*)
	# The path goes into a qemu option list and a shell-sourced file.
	msg "unsupported characters in output directory: $out" >&2
	exit 2 ;;
esac
need="$kernel $moddir/modules.dep /bin/busybox"
if [ -n "${OPTSIM_VM_KERNEL:-}" ]; then
	need="$OPTSIM_VM_KERNEL /bin/busybox"
	[ -r "$moddir/modules.dep" ] || moddir=
fi
for f in $need; do
	[ -r "$f" ] || { msg "missing $f (run scripts/install-deps.sh)" >&2; exit 2; }
done

# Quote one word for the shell (POSIX sh: no printf %q).
shquote() {
	_q=$(printf '%sX' "$1" | sed "s/'/'\\\\''/g")
	printf "'%s'" "${_q%X}"
}

# --- the initramfs ---------------------------------------------------------

# Module files needed to mount a 9p root over virtio, in load order,
# without the ones built into this kernel; none for a kernel with no
# modules directory on the host (all built in).
vm_modules() {
	[ -n "$moddir" ] || return 0
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -S "$KVER" --show-depends "$m"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

build_initramfs() {
	mods=$(vm_modules)
	# Everything the image depends on: rebuild when any of it changes.
	stamp=$(
		echo "$KVER"
		cksum <"$repo/tools/testing/vm/init.sh"; cksum <"$0"
		# shellcheck disable=SC2086 # word splitting of the file list
		ls -lL --time-style=+%s /bin/busybox $mods
	)
	if [ -r "$initrd" ] && [ -r "$initrd.stamp" ] &&
		[ "$stamp" = "$(cat "$initrd.stamp")" ]; then
		return 0
	fi
	msg "building $initrd"
	stage=$(mktemp -d "$vmdir/initramfs.XXXXXX")
	mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" \
		"$stage/newroot" "$stage/out" "$stage/lib/modules"
	cp /bin/busybox "$stage/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
	done
	cp "$repo/tools/testing/vm/init.sh" "$stage/init"
	chmod 755 "$stage/init"
	: >"$stage/modules.list"
	for m in $mods; do
		b=$(basename "$m")
		case $m in
		*.ko.xz) b=${b%.xz}; xz -dc "$m" >"$stage/lib/modules/$b" ;;
		*.ko.zst) b=${b%.zst}; zstd -qdc "$m" >"$stage/lib/modules/$b" ;;
		*.ko.gz) b=${b%.gz}; gzip -dc "$m" >"$stage/lib/modules/$b" ;;
		*) cp "$m" "$stage/lib/modules/$b" ;;
		esac
		echo "$b" >>"$stage/modules.list"
	done
	mknod "$stage/dev/console" c 5 1 2>/dev/null || true
	(cd "$stage" && find . | sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$initrd.tmp"
	rm -rf "$stage"
	mv "$initrd.tmp" "$initrd"
	printf '%s\n' "$stamp" >"$initrd.stamp"
}

# --- the kernel ------------------------------------------------------------

# extract_vmlinux BZIMAGE OUT: the uncompressed ELF kernel in a bzImage.
# The payload's place is in the boot protocol header (setup_sects at 0x1f1,
# payload_offset/length at 0x248/0x24c, past the real-mode setup code).
extract_vmlinux() {
	sects=$(od -An -tu1 -j 497 -N1 "$1" | tr -d ' ')
	[ "$sects" -ne 0 ] || sects=4
	poff=$(od -An -tu4 -j 584 -N4 "$1" | tr -d ' ')
	plen=$(od -An -tu4 -j 588 -N4 "$1" | tr -d ' ')
	start=$(((sects + 1) * 512 + poff))
	case $(od -An -tx1 -j "$start" -N4 "$1" | tr -d ' \n') in
	1f8b*) dec="gzip -dc" ;;
	fd377a58) dec="xz -dc" ;;
	28b52ffd) dec="zstd -dc" ;;
	425a68*) dec="bzip2 -dc" ;;
	5d00*) dec="xz -dc --format=lzma" ;;
	02214c18) dec="lz4 -dc" ;;
	*) return 1 ;;
	esac
	# The decompressor may complain about the size word that follows the
	# stream; what counts is an ELF file at the end.
	# shellcheck disable=SC2086 # $dec is a command with options
	tail -c +$((start + 1)) "$1" | head -c "$plen" | $dec >"$2.tmp" 2>/dev/null
	[ "$(od -An -tx1 -N4 "$2.tmp" | tr -d ' \n')" = 7f454c46 ] || return 1
	mv "$2.tmp" "$2"
}

# The image to hand to qemu: the kernel's vmlinux (qemu boots it through
# its PVH entry point) or, failing that, the bzImage itself.
pick_kernel() {
	if [ -n "${OPTSIM_VM_KERNEL:-}" ]; then
		kernel=$OPTSIM_VM_KERNEL
		return 0
	fi
	grep -q '^CONFIG_PVH=y' "/boot/config-$KVER" 2>/dev/null || return 0
	vmlinux=$vmdir/vmlinux-$KVER
	if ! [ -s "$vmlinux" ] || [ -n "$(find "$kernel" -newer "$vmlinux")" ]; then
		msg "extracting $vmlinux"
		if ! extract_vmlinux "$kernel" "$vmlinux"; then
			rm -f "$vmlinux" "$vmlinux.tmp"
			msg "cannot extract vmlinux from $kernel; booting it as it is"
			return 0
		fi
	fi
	kernel=$vmlinux
}

# --- running qemu ----------------------------------------------------------

# run_qemu ACCEL TIMEOUT OUTDIR: boot the VM, run OUTDIR/.vm-cmd, and
# return qemu's exit status (124 when timeout(1) had to stop it).
run_qemu() {
	case $1 in
	kvm) cpu=host ;;
	*) cpu=max ;;
	esac
	append="console=ttyS0 panic=-1 oops=panic hung_task_panic=1"
	append="$append loglevel=5 log_buf_len=4M"
	append="$append mitigations=off 8250.nr_uarts=1 ${OPTSIM_VM_APPEND:-}"
	rm -f "$3/.vm-status" "$3/dmesg.txt" "$3/console.log"
	{
		echo "OPTSIM_OUT=$(shquote "$3")"
		echo "OPTSIM_REPO=$(shquote "$repo")"
	} >"$3/.vm-env"
	# In the background with a trap: a Ctrl-C or kill of this script must
	# reach qemu, which timeout(1) keeps in a process group of its own.
	timeout -k 10 "$2" qemu-system-x86_64 \
		-nodefaults -no-user-config -display none -no-reboot \
		-accel "$1" -cpu "$cpu" -smp 2 -m "$mem" \
		-kernel "$kernel" -initrd "$initrd" -append "$append" \
		-chardev "stdio,id=con,logfile=$3/console.log" \
		-serial chardev:con \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$repo,mount_tag=repo,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$3,mount_tag=out,security_model=none,multidevs=remap" \
		</dev/null &
	qpid=$!
	trap 'interrupted=1; kill -TERM $qpid 2>/dev/null' INT TERM HUP
	_rc=0
	wait "$qpid" || _rc=$?
	while kill -0 "$qpid" 2>/dev/null; do
		_rc=0
		wait "$qpid" || _rc=$?
	done
	trap - INT TERM HUP
	return "$_rc"
}

# The accelerator: OPTSIM_VM_ACCEL, else the cached result of a probe that
# boots the VM once under KVM (nested KVM may hang) with a short timeout.
pick_accel() {
	case ${OPTSIM_VM_ACCEL:-} in
	tcg | kvm) echo "$OPTSIM_VM_ACCEL"; return 0 ;;
	'') ;;
	*) msg "OPTSIM_VM_ACCEL must be tcg or kvm" >&2; exit 2 ;;
	esac
	if [ -r "$vmdir/accel" ]; then
		cat "$vmdir/accel"
		return 0
	fi
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		msg "probing KVM (once; result cached in $vmdir/accel)" >&2
		probe=$vmdir/kvm-probe
		mkdir -p "$probe"
		echo "set -- true" >"$probe/.vm-cmd"
		t0=$(date +%s)
		if run_qemu kvm 20 "$probe" >"$vmdir/kvm-probe.log" 2>&1 &&
			[ "$(cat "$probe/.vm-status" 2>/dev/null)" = 0 ]; then
			accel=kvm
		fi
		msg "KVM probe: $accel ($(($(date +%s) - t0)) s)" >&2
	fi
	echo "$accel" >"$vmdir/accel"
	echo "$accel"
}

# --- main --------------------------------------------------------------------

interrupted=0
exec 9>"$lock"
if ! flock -n 9; then
	msg "waiting for the VM lock $lock (another VM is running)"
	flock 9
fi

build_initramfs
pick_kernel
accel=$(pick_accel)

rm -f "$out/vm.tap"
{
	printf 'set --'
	for a in "$@"; do
		printf ' %s' "$(shquote "$a")"
	done
	echo
} >"$out/.vm-cmd"

msg "booting $KVER ($accel, 2 CPUs, $mem, timeout ${timeout}s): $*"
t0=$(date +%s)
qrc=0
run_qemu "$accel" "$timeout" "$out" || qrc=$?
elapsed=$(($(date +%s) - t0))

hung=0
if [ $interrupted -eq 0 ] && { [ $qrc -eq 124 ] || [ $qrc -eq 137 ] ||
	[ $elapsed -ge "$timeout" ]; }; then
	hung=1
fi
status=$(cat "$out/.vm-status" 2>/dev/null || true)
case $status in
'' | *[!0-9]*) ran=0 ;;
*) ran=1 ;;
esac
# The guest's own dmesg when it saved one; the console capture otherwise
# (crash, panic, hang), which is all we have then.
if [ -r "$out/dmesg.txt" ]; then
	klog=$out/dmesg.txt
else
	klog=$out/console.log
fi
clean=1
problems=$("$repo/tools/testing/vm/scan-klog.sh" "$klog" 2>&1) || clean=0

{
	if [ $ran -eq 1 ]; then
		echo "ok 1 vm: booted and ran the command (status $status)"
	else
		echo "not ok 1 vm: booted and ran the command"
		echo "# no exit status from the guest (qemu status $qrc); see $out/console.log"
	fi
	if [ $hung -eq 0 ]; then
		echo "ok 2 vm: no hang (${elapsed}s, limit ${timeout}s)"
	else
		echo "not ok 2 vm: no hang (stopped after ${elapsed}s, limit ${timeout}s)"
	fi
	if [ $clean -eq 1 ]; then
		echo "ok 3 vm: kernel log clean"
	else
		echo "not ok 3 vm: kernel log clean"
		printf '%s\n' "$problems" | head -n 20 | sed 's/^/# /'
	fi
} >"$out/vm.tap"

if [ $hung -eq 1 ]; then
	msg "TIMEOUT: the VM did not finish within ${timeout}s; killed it" >&2
fi
if [ $clean -eq 0 ]; then
	n=$(printf '%s\n' "$problems" | wc -l)
	msg "KERNEL PROBLEM: $n suspicious line(s) in the guest kernel log:" >&2
	printf '%s\n' "$problems" | head -n 40 >&2
	[ "$n" -le 40 ] || msg "... see $klog for the rest" >&2
fi
if [ $ran -eq 0 ] && [ $hung -eq 0 ] && [ $interrupted -eq 0 ]; then
	msg "FAILED: the VM never reported the command's exit status (qemu exit $qrc); see $out/console.log" >&2
fi

if [ $interrupted -eq 1 ]; then
	msg "interrupted" >&2
	exit 130
fi
[ $hung -eq 1 ] && exit 124
[ $clean -eq 0 ] && exit 125
[ $ran -eq 0 ] && exit 126
msg "done in ${elapsed}s, command exit status $status"
exit "$status"
