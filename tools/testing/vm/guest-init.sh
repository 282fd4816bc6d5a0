#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the optsim test VM, PID 1 after switch_root into the host's
# root file system (read-only 9p; /tmp and /run are tmpfs, OPTSIM_OUT is
# the host's output directory, read-write). Runs the command run-vm.sh
# left in $OPTSIM_OUT/.vm-cmd as root in the repository, records its exit
# status in $OPTSIM_OUT/.vm-status and the kernel log in
# $OPTSIM_OUT/dmesg.txt, then powers the VM off.
#
# This is PID 1: it must never exit (the kernel would panic), so no set -e.

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/tmp
OPTSIM_IN_VM=1
export PATH HOME OPTSIM_IN_VM OPTSIM_OUT OPTSIM_REPO
unset optsimvm_shell

power_off() {
	sync
	# busybox's poweroff -f calls reboot(2) at once; the host's poweroff
	# wants systemd. sysrq o is the fallback.
	busybox poweroff -f 2>/dev/null
	echo o >/proc/sysrq-trigger
	sleep 30
	# Still here: run-vm.sh's timeout ends the VM.
	while :; do sleep 3600; done
}

cmdfile="$OPTSIM_OUT/.vm-cmd"
if ! [ -r "$cmdfile" ]; then
	echo "optsim-vm: $cmdfile missing"
	power_off
fi
# .vm-cmd is "set -- 'word' ...": this restores "$@".
# shellcheck source=/dev/null # written by run-vm.sh
. "$cmdfile"

read -r release </proc/sys/kernel/osrelease
# libcrc32c: the disc image checksums (optsim.ko depends on it too).
# The SCSI side of the MMC front: optsim.ko depends on scsi_mod, and with
# no udev here nothing loads sr_mod and sg when its LUNs appear (insmod,
# as run.sh and demo.sh use, resolves no dependencies). modprobe reads the
# host's /lib/modules/$release (compressed .ko.xz/.ko.zst too). A kernel
# with no /lib/modules/$release on the host (the debug kernel) has them all
# built in; a driver in /sys/module is built in or loaded: nothing to do.
for mod in scsi_mod sr_mod sg libcrc32c; do
	[ -d "/lib/modules/$release" ] || break
	[ -d "/sys/module/$mod" ] && continue
	modprobe "$mod" || echo "optsim-vm: modprobe $mod failed"
done
read -r uptime _ </proc/uptime
echo "optsim-vm: $release up ${uptime}s, running: $*"
(cd "$OPTSIM_REPO" && exec "$@") </dev/null
rc=$?
echo "optsim-vm: command exited with status $rc"

dmesg >"$OPTSIM_OUT/dmesg.txt" 2>&1
echo "$rc" >"$OPTSIM_OUT/.vm-status"
power_off
