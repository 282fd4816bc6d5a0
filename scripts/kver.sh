#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release optsim is built for and tested on:
# - the running kernel when its build directory exists (a real host);
# - otherwise Debian's default kernel, the one linux-image-amd64 depends on
#   (6.1 LTS on Debian 12), when its headers are installed: the VM test
#   kernel;
# - otherwise the newest installed kernel image with matching headers.
set -eu
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
v=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
    sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
if [ -n "$v" ] && [ -e "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ]; then
	echo "$v"
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
echo "kver: no kernel image with matching headers; run scripts/install-deps.sh" >&2
exit 1
