#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages optsim needs to build, lint and test.
# Idempotent, and silent when everything is already present.
set -eu

PKGS="build-essential linux-headers-amd64 linux-image-amd64 linux-source-6.1
kmod qemu-system-x86 busybox-static cpio libudev-dev libnl-3-dev
libnl-genl-3-dev pkg-config sparse udftools xorriso fio e2fsprogs
python3-docutils python3-yaml shellcheck"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
