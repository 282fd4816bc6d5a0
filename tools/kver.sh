#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release optsim is built for and tested on: the running
# kernel when its build directory exists (a real host), otherwise the newest
# installed Debian kernel image that has matching headers (the VM test kernel).
set -eu
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
for img in $(printf '%s\n' /boot/vmlinuz-* | sort -rV); do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	if [ -d "/lib/modules/$v/build" ]; then
		echo "$v"
		exit 0
	fi
done
echo "kver: no kernel image with matching headers; run tools/install-deps.sh" >&2
exit 1
