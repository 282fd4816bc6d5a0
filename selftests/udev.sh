#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# udev.sh - the drives as udev sees them, with the project's rules
# (udev/60-optsim.rules) in a udevd started for the test: the stable link,
# the cdrom group, the ID_* properties of drive and medium, the change
# uevent with DISK_MEDIA_CHANGE=1 that a load sends (through optsimctl
# monitor --udev), and optsimctl list. With the MMC front on, the links
# of each drive's sr and sg nodes (/dev/optsim-sr, /dev/optsim1-sg...) and
# the sr and sg keys of optsimctl info and list. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

UDEVD=/lib/systemd/systemd-udevd
RULES=$OPTSIM_REPO/udev/60-optsim.rules

tap_plan 11

need_tools python3 udevadm stat readlink "$UDEVD" "$OPTSIMCTL"

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-udev.XXXXXX") || exit 1
mon_pid=
started=
cleanup() {
	[ -n "$mon_pid" ] && kill "$mon_pid" 2>/dev/null
	[ -b /dev/optsim1 ] && "$OPTSIMCTL" remove 1 2>/dev/null
	if [ -n "$started" ]; then
		udevadm control --exit 2>/dev/null
		rm -f /run/udev/rules.d/60-optsim.rules
	fi
	rm -rf "$work"
}
trap cleanup EXIT

start_udevd() {
	mkdir -p /run/udev/rules.d || return 1
	cp "$RULES" /run/udev/rules.d/ || return 1
	if udevadm control --ping 2>/dev/null; then
		udevadm control --reload || return 1
	else
		"$UDEVD" --daemon || return 1
		started=1
	fi
	udevadm trigger --action=change --subsystem-match=block \
		--sysname-match='optsim*' || return 1
	# The LUNs' nodes came before this udevd: their links come now.
	udevadm trigger --action=change --subsystem-match=block \
		--sysname-match='sr*' || return 1
	udevadm trigger --action=change --subsystem-match=scsi_generic || return 1
	udevadm settle --timeout=30
}
# sr_mod and sg bind the drives' LUNs; without them there are no nodes.
modprobe -a sr_mod sg 2>/dev/null
tap_check "udevd runs with the optsim rules" start_udevd ||
	tap_broken="no udevd"

prop() {
	udevadm info --query=property --name="$1" | sed -n "s/^$2=//p"
}

check_link() {
	expect_eq "by-id link" /dev/optsim \
		"$(readlink -f /dev/disk/by-id/optsim-0)" &&
	expect_eq "group and mode" "cdrom 660" \
		"$(stat -c '%G %a' /dev/optsim)"
}
tap_check "a stable link /dev/disk/by-id/optsim-0, group cdrom, mode 660" check_link

check_props() {
	expect_eq ID_OPTSIM 1 "$(prop /dev/optsim ID_OPTSIM)" &&
	expect_eq ID_OPTSIM_INDEX 0 "$(prop /dev/optsim ID_OPTSIM_INDEX)" &&
	expect_eq ID_OPTSIM_MEDIA "$(cat /sys/block/optsim/optsim/media)" \
		"$(prop /dev/optsim ID_OPTSIM_MEDIA)" &&
	expect_eq ID_CDROM 1 "$(prop /dev/optsim ID_CDROM)" &&
	expect_eq ID_CDROM_BD_RE 1 "$(prop /dev/optsim ID_CDROM_BD_RE)"
}
tap_check "ID_* properties identify the drive and its medium" check_props

"$OPTSIMCTL" monitor --udev --json >"$work/uevents" 2>"$work/mon.err" &
mon_pid=$!
sleep 1

do_load() {
	load_medium bd-r 4096 && udevadm settle --timeout=30 && sleep 0.5
}
tap_check "load a blank BD-R" do_load
stop_monitor

check_uevent() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
print(ev)
sys.exit(0 if any(e["action"] == "change" and e["name"] == "optsim" and
                  e["media_change"] and e.get("media") == "bd-r"
                  for e in ev) else 1)
' "$work/uevents"
}
tap_check "monitor --udev shows the change uevent with DISK_MEDIA_CHANGE=1" check_uevent

check_media_props() {
	expect_eq ID_OPTSIM_MEDIA bd-r "$(prop /dev/optsim ID_OPTSIM_MEDIA)" &&
	expect_eq ID_CDROM_MEDIA_BD_R 1 "$(prop /dev/optsim ID_CDROM_MEDIA_BD_R)" &&
	expect_eq ID_CDROM_MEDIA_BD_RE "" "$(prop /dev/optsim ID_CDROM_MEDIA_BD_RE)" &&
	expect_eq ID_CDROM_MEDIA_STATE blank "$(prop /dev/optsim ID_CDROM_MEDIA_STATE)"
}
tap_check "after the load, the properties describe the blank BD-R" check_media_props

check_list() {
	"$OPTSIMCTL" list --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
print(d)
sys.exit(0 if d and d[0]["name"] == "optsim" and d[0]["devnode"] == "/dev/optsim"
         and d[0]["media"] == "bd-r" and d[0]["layers"] == 1
         and d[0]["size"] == 4096 * 2048 else 1)'
}
tap_check "list finds the drive through udev, with its medium" check_list

# lun_node INDEX DIR: /dev/NAME of the entry of DIR (block, scsi_generic)
# in the directory of drive INDEX's LUN; empty when there is none.
lun_node() {
	_d=optsim
	[ "$1" != 0 ] && _d=optsim$1
	_hctl=$(cat "/sys/block/$_d/optsim/scsi_device")
	[ -n "$_hctl" ] || return 0
	for _n in "/sys/bus/scsi/devices/$_hctl/$2"/*; do
		[ -e "$_n" ] && echo "/dev/${_n##*/}"
	done
}

# The MMC front's tests need the LUN and its sr and sg nodes.
mmc_why=
if [ -z "$(cat /sys/block/optsim/optsim/scsi_device 2>/dev/null)" ]; then
	mmc_why="the MMC front is off (optsim/scsi_device is empty)"
elif [ -z "$(lun_node 0 block)" ] || [ -z "$(lun_node 0 scsi_generic)" ]; then
	mmc_why="sr_mod or sg is not loaded"
fi

# lun_links INDEX NAME: /dev/NAME-sr and /dev/NAME-sg lead to drive
# INDEX's sr and sg nodes, which udev knows as optsim's.
lun_links() {
	expect_eq "/dev/$2-sr" "$(lun_node "$1" block)" \
		"$(readlink -f "/dev/$2-sr")" &&
	expect_eq "/dev/$2-sg" "$(lun_node "$1" scsi_generic)" \
		"$(readlink -f "/dev/$2-sg")" &&
	expect_eq "ID_OPTSIM_INDEX of the sr node" "$1" \
		"$(prop "/dev/$2-sr" ID_OPTSIM_INDEX)" &&
	expect_eq "ID_OPTSIM_DRIVE of the sg node" "$2" \
		"$(prop "/dev/$2-sg" ID_OPTSIM_DRIVE)"
}

check_nodes_named() {
	sr=$(lun_node 0 block)
	sg=$(lun_node 0 scsi_generic)
	"$OPTSIMCTL" list --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
print(d)
sys.exit(0 if (d["sr"], d["sg"]) == (sys.argv[1], sys.argv[2]) else 1)
' "$sr" "$sg" || return 1
	"$OPTSIMCTL" info --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["hctl"], d["sr"], d["sg"])
sys.exit(0 if (d["sr"], d["sg"]) == (sys.argv[1], sys.argv[2]) else 1)
' "$sr" "$sg" || return 1
	"$OPTSIMCTL" info | grep -qx "sr device: *$sr"
}

if [ -n "$mmc_why" ]; then
	tap_skip "drive 0's sr and sg nodes: links /dev/optsim-sr and /dev/optsim-sg" "$mmc_why"
	tap_skip "info and list name the sr and sg nodes" "$mmc_why"
else
	tap_check "drive 0's sr and sg nodes: links /dev/optsim-sr and /dev/optsim-sg" \
		lun_links 0 optsim
	tap_check "info and list name the sr and sg nodes" check_nodes_named
fi

check_new_drive() {
	"$OPTSIMCTL" create --index 1 --media bd-re-dl --layer-sectors 1024 \
		>/dev/null || return 1
	udevadm settle --timeout=30
	expect_eq "by-id link" /dev/optsim1 \
		"$(readlink -f /dev/disk/by-id/optsim-1)" &&
	expect_eq ID_OPTSIM_LAYERS 2 "$(prop /dev/optsim1 ID_OPTSIM_LAYERS)" &&
	"$OPTSIMCTL" -d optsim1 info >/dev/null || return 1
	[ -n "$mmc_why" ] || lun_links 1 optsim1
}
tap_check "a drive created at runtime gets its links and properties; -d optsim1 reaches it" check_new_drive

check_removed() {
	"$OPTSIMCTL" remove 1 || return 1
	udevadm settle --timeout=30
	! [ -e /dev/disk/by-id/optsim-1 ] && ! [ -e /dev/optsim1 ] &&
	! [ -e /dev/optsim1-sr ] && ! [ -e /dev/optsim1-sg ]
}
tap_check "a removed drive's links go" check_removed

tap_done
