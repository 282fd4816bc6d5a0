#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stage 1 of the optsim test VM: /init of the initramfs that run-vm.sh
# builds (busybox sh). Loads the virtio/9p modules listed in /modules.list,
# mounts the host's root file system read-only over 9p (tag hostroot) at
# /newroot, the host's output directory read-write (tag out) at the same
# path inside it, and switch_roots into the repository's
# tools/testing/vm/guest-init.sh (stage 2).
#
# Kernel command-line options read from the environment (the kernel passes
# unknown name=value options to init that way):
#   optsimvm_shell=1	drop to a busybox shell on failure (debugging)

PATH=/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

die() {
	echo "optsim-vm init: $*"
	[ "${optsimvm_shell:-}" = 1 ] && sh
	# run-vm.sh sees no exit status in the output directory: a failure.
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
	sleep 30
	exit 1
}

while read -r mod; do
	insmod "/lib/modules/$mod" || die "insmod $mod failed"
done </modules.list

# 512000 is the largest msize 9p over virtio accepts on this kernel; loose
# caching is safe for a root that nobody writes to while the VM runs.
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "ro,$opts,cache=loose" hostroot /newroot ||
	die "cannot mount the host root file system (9p tag hostroot)"
mount -t 9p -o "rw,$opts,cache=mmap" out /out ||
	die "cannot mount the output directory (9p tag out)"

[ -r /out/.vm-env ] || die "no .vm-env in the output directory"
# shellcheck source=/dev/null # written by run-vm.sh
. /out/.vm-env
if [ -z "${OPTSIM_OUT:-}" ] || [ -z "${OPTSIM_REPO:-}" ]; then
	die ".vm-env does not set OPTSIM_OUT and OPTSIM_REPO"
fi

mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp || die "tmpfs on /tmp"
mount -t tmpfs -o mode=755 tmpfs /newroot/run || die "tmpfs on /run"
# The repository and OPTSIM_OUT may lie below /tmp or /run, now hidden by
# the tmpfs (CI may clone anywhere): mount both again at their own paths.
mkdir -p "/newroot$OPTSIM_REPO" 2>/dev/null
mount -t 9p -o "ro,$opts,cache=loose" repo "/newroot$OPTSIM_REPO" ||
	die "cannot mount the repository (9p tag repo) at $OPTSIM_REPO"
mkdir -p "/newroot$OPTSIM_OUT" 2>/dev/null
mount --move /out "/newroot$OPTSIM_OUT" ||
	die "cannot mount the output directory at $OPTSIM_OUT"

# What systemd and udev would set up, done here with busybox (cheap) rather
# than with the root's programs over 9p (each exec costs under TCG).
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
hostname optsim-vm
ip link set lo up
# No udev: create the nodes that load their module on first open
# (/dev/loop-control, /dev/fuse, ...), as systemd's kmod-static-nodes does.
devname="/newroot/lib/modules/$(uname -r)/modules.devname"
if [ -r "$devname" ]; then
	while read -r mod node spec; do
		case $mod in '#'* | '') continue ;; esac
		[ -e "/dev/$node" ] && continue
		case $node in */*) mkdir -p "/dev/${node%/*}" ;; esac
		nums=${spec#?}
		mknod "/dev/$node" "${spec%"$nums"}" "${nums%:*}" "${nums#*:}"
	done <"$devname"
fi

mount --move /dev /newroot/dev || die "cannot move /dev"
mount --move /proc /newroot/proc || die "cannot move /proc"
mount --move /sys /newroot/sys || die "cannot move /sys"

stage2="$OPTSIM_REPO/tools/testing/vm/guest-init.sh"
[ -x "/newroot$stage2" ] || die "$stage2 is missing or not executable"
export OPTSIM_OUT OPTSIM_REPO
exec switch_root /newroot "$stage2"
