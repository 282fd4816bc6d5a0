#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages optsim needs to build, lint and test. The
# second group are the clients of the MMC front that selftests/mmc.sh and
# make demo drive through /dev/srN and /dev/sgN (growisofs, libburn's
# xorriso and cdrskin, wodim, sg3-utils, eject, lsscsi, udev's cdrom_id).
# The third builds the debug kernel of make check-debug (patch applies its
# fixes, tools/testing/vm/debug-patches/).
# Idempotent, and silent when everything is already present.
set -eu

PKGS="build-essential linux-headers-amd64 linux-image-amd64 linux-source-6.1
kmod qemu-system-x86 busybox-static cpio libudev-dev libnl-3-dev
libnl-genl-3-dev pkg-config sparse udftools xorriso fio e2fsprogs
python3-docutils python3-yaml shellcheck
growisofs dvd+rw-tools cdrskin wodim genisoimage sg3-utils eject lsscsi udev
flex bison bc libelf-dev patch"

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null |
		grep -q '^install ok installed$'
}

# A second supported kernel for make lint's compat build check: the newest
# 6.12 headers Debian 12 offers.
newest_612_headers() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' \
		2>/dev/null | cut -d' ' -f1 | sort -V | tail -n 1
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
want612=0
ls -d /lib/modules/6.12.*/build > /dev/null 2>&1 || want612=1
[ -z "$missing" ] && [ $want612 -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ] || [ -z "$(newest_612_headers)" ]; then
	apt-get update -qq
fi
if [ $want612 -eq 1 ]; then
	h=$(newest_612_headers)
	[ -n "$h" ] && missing="$missing $h"
fi
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing > /dev/null
