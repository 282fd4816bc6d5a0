#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/test-install.sh - host test of "make install", "make
# uninstall" and dkms.conf, run from the top of the tree. Installs into a scratch
# DESTDIR and checks that every file lands there with a sane mode and that
# nothing outside it changes; checks dkms.conf against the Kbuild files
# and builds the module from the sources "make dkms-src" stages, with
# dkms.conf's own MAKE line, as DKMS would. Prints TAP; exits 1 when a
# test fails. Needs the kernel headers of KVER (default scripts/kver.sh).
set -u
# shellcheck source=tools/testing/tap-lib.sh
. tools/testing/tap-lib.sh
tap_tmpdir

KVER=${KVER:-$(scripts/kver.sh 2>/dev/null)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
if [ -z "$KVER" ] || [ ! -d "$KDIR" ]; then
	echo "1..0 # SKIP no kernel headers for '$KVER'"
	exit 0
fi
export KVER KDIR
D=$T/dest
mkdir "$D"

# mode FILE: its permission bits, octal
mode() { stat -c %a "$1"; }

# --- make install ---------------------------------------------------------
# Places an install may touch when DESTDIR is ignored; none may change.
watch="/lib/modules/$KVER /usr/local /lib/udev/rules.d /etc/udev /usr/src /var/lib/dkms"
sleep 1
touch "$T/stamp"
if make -s install DESTDIR="$D" >"$T/log" 2>&1; then
	pass "make install DESTDIR=..."
else
	fail "make install DESTDIR=..." "$(tail -1 "$T/log")"
fi
# shellcheck disable=SC2086
changed=$(find $watch -newer "$T/stamp" 2>/dev/null | head -5)
if [ -z "$changed" ]; then pass "make install touched nothing outside DESTDIR"
else fail "make install touched nothing outside DESTDIR" "changed: $changed"; fi

ko=$D/lib/modules/$KVER/extra/driver/optsim.ko
if [ -f "$ko" ] && [ "$(mode "$ko")" = 644 ] &&
   [ "$(modinfo -F name "$ko" 2>/dev/null)" = optsim ]; then
	pass "the module is in /lib/modules/$KVER/extra, mode 644"
else fail "the module is in /lib/modules/$KVER/extra, mode 644" "$(ls -l "$ko" 2>&1)"; fi
if grep -q '^extra/driver/optsim.ko:' "$D/lib/modules/$KVER/modules.dep" 2>/dev/null; then
	pass "depmod -b DESTDIR lists the module"
else fail "depmod -b DESTDIR lists the module"; fi

bin=$D/usr/local/bin/optsimctl
if [ -x "$bin" ] && [ "$(mode "$bin")" = 755 ] && "$bin" --version | grep -q '^optsimctl from optsim '; then
	pass "optsimctl in PREFIX/bin, mode 755, runs"
else fail "optsimctl in PREFIX/bin, mode 755, runs"; fi

n8=0 bad=""
for p in Documentation/man/optsimctl*.rst; do
	m=$D/usr/local/share/man/man8/$(basename "$p" .rst).8
	if [ -f "$m" ] && [ "$(mode "$m")" = 644 ] && grep -q '^\.TH' "$m"; then
		n8=$((n8 + 1))
	else
		bad="$bad $(basename "$m")"
	fi
done
if [ -z "$bad" ] && [ "$n8" -ge 2 ]; then pass "all $n8 man pages in PREFIX/share/man/man8, mode 644"
else fail "all man pages in PREFIX/share/man/man8, mode 644" "missing or bad:$bad"; fi

c=$D/usr/local/share/bash-completion/completions/optsimctl
if [ -f "$c" ] && [ "$(mode "$c")" = 644 ] && cmp -s "$c" tools/completion/optsimctl; then
	pass "bash completion in PREFIX/share/bash-completion/completions"
else fail "bash completion in PREFIX/share/bash-completion/completions"; fi
bad=""
for u in optsim.h optsim_image.h; do
	h=$D/usr/local/include/linux/$u
	[ -f "$h" ] && [ "$(mode "$h")" = 644 ] && cmp -s "$h" "uapi/linux/$u" ||
		bad="$bad $u"
done
if [ -z "$bad" ]; then pass "uapi headers in PREFIX/include/linux"
else fail "uapi headers in PREFIX/include/linux" "missing or bad:$bad"; fi

rules=$(ls udev/*.rules 2>/dev/null)
if [ -n "$rules" ]; then
	missing=""
	for r in $rules; do
		[ "$(mode "$D/lib/udev/rules.d/$(basename "$r")" 2>/dev/null)" = 644 ] ||
			missing="$missing $r"
	done
	if [ -z "$missing" ]; then pass "udev rules in /lib/udev/rules.d, mode 644"
	else fail "udev rules in /lib/udev/rules.d, mode 644" "missing:$missing"; fi
elif [ ! -e "$D/lib/udev" ]; then
	pass "no udev rules in the tree, none installed"
else fail "no udev rules in the tree, none installed"; fi
# the rules target on its own, with a stand-in rules file
echo '# test' >"$T/99-test.rules"
if make -s install-udev DESTDIR="$T/udev" UDEV_RULES="$T/99-test.rules" >"$T/log" 2>&1 &&
   [ "$(mode "$T/udev/lib/udev/rules.d/99-test.rules")" = 644 ]; then
	pass "install-udev puts udev/*.rules in /lib/udev/rules.d"
else fail "install-udev puts udev/*.rules in /lib/udev/rules.d" "$(tail -1 "$T/log")"; fi

# nothing world-writable, nothing but directories and regular files
odd=$(find "$D" \( -perm -o+w -o ! -type d ! -type f \) -print | head -3)
if [ -z "$odd" ]; then pass "nothing world-writable, no links or devices"
else fail "nothing world-writable, no links or devices" "$odd"; fi

if make -s install DESTDIR="$T/p" PREFIX=/usr INSTALL_UAPI=0 >"$T/log" 2>&1 &&
   [ -x "$T/p/usr/bin/optsimctl" ] && [ -f "$T/p/usr/share/man/man8/optsimctl.8" ] &&
   [ ! -e "$T/p/usr/include" ] && [ ! -e "$T/p/usr/local" ]; then
	pass "PREFIX=/usr INSTALL_UAPI=0: under /usr, no header"
else fail "PREFIX=/usr INSTALL_UAPI=0: under /usr, no header" "$(tail -1 "$T/log")"; fi

# --- make uninstall -------------------------------------------------------
if make -s uninstall DESTDIR="$D" >"$T/log" 2>&1; then pass "make uninstall DESTDIR=..."
else fail "make uninstall DESTDIR=..." "$(tail -1 "$T/log")"; fi
left=$(find "$D" -type f ! -name 'modules.*' -print | head -3)
if [ -z "$left" ]; then pass "uninstall removes every installed file"
else fail "uninstall removes every installed file" "left: $left"; fi

# --- dkms.conf -------------------------------------------------------------
# field NAME: the value of NAME="..." in dkms.conf
field() { sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" dkms.conf; }
name=$(field 'BUILT_MODULE_NAME\[0\]')
loc=$(field 'BUILT_MODULE_LOCATION\[0\]')
if [ "$(field PACKAGE_NAME)" = optsim ] && [ "$name" = optsim ] &&
   grep -q "^obj-m := $name\\.o\$" driver/Kbuild; then
	pass "dkms.conf: the module name is driver/Kbuild's obj-m"
else fail "dkms.conf: the module name is driver/Kbuild's obj-m" "name '$name'"; fi
if [ "$loc" = driver/ ] && grep -q "^obj-m += ${loc%/}/\$" Kbuild; then
	pass "dkms.conf: the module location is the directory Kbuild descends into"
else fail "dkms.conf: the module location is the directory Kbuild descends into" "'$loc'"; fi
case $(field 'DEST_MODULE_LOCATION\[0\]') in
/extra | /updates | /kernel/*) pass "dkms.conf: DEST_MODULE_LOCATION is a place DKMS accepts" ;;
*) fail "dkms.conf: DEST_MODULE_LOCATION is a place DKMS accepts" ;;
esac
ver=$(field PACKAGE_VERSION)
if [ -n "$ver" ] && tools/optsimctl/optsimctl --version | grep -qx "optsimctl from optsim $ver"; then
	pass "dkms.conf: PACKAGE_VERSION is optsimctl's version"
else fail "dkms.conf: PACKAGE_VERSION is optsimctl's version" "'$ver'"; fi
# shellcheck disable=SC2016
if [ "$(field AUTOINSTALL)" = yes ] &&
   field 'MAKE\[0\]' | grep -q -- '-C ${kernel_source_dir} M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build modules'; then
	pass "dkms.conf: AUTOINSTALL, MAKE with the kernel's build dir and M="
else fail "dkms.conf: AUTOINSTALL, MAKE with the kernel's build dir and M="; fi

# make dkms-src stages the sources; dkms.conf's MAKE builds them
touch "$T/stamp"
if make -s dkms-src DESTDIR="$T/src" >"$T/log" 2>&1 &&
   [ -f "$T/src/usr/src/optsim-$ver/dkms.conf" ]; then
	pass "make dkms-src DESTDIR=... stages /usr/src/optsim-$ver"
else fail "make dkms-src DESTDIR=... stages /usr/src/optsim-$ver" "$(tail -1 "$T/log")"; fi
# shellcheck disable=SC2086
changed=$(find $watch -newer "$T/stamp" 2>/dev/null | head -5)
if [ -z "$changed" ]; then pass "make dkms-src touched nothing outside DESTDIR"
else fail "make dkms-src touched nothing outside DESTDIR" "changed: $changed"; fi
# DKMS builds in its tree, $dkms_tree/NAME/VERSION/build
mkdir -p "$T/dkms/optsim/$ver"
cp -r "$T/src/usr/src/optsim-$ver" "$T/dkms/optsim/$ver/build"
mk=$(field 'MAKE\[0\]')
# shellcheck disable=SC2016
if kernel_source_dir=$KDIR dkms_tree=$T/dkms PACKAGE_NAME=optsim PACKAGE_VERSION=$ver \
	sh -c 'eval "$1"' sh "$mk" >"$T/log" 2>&1 &&
   [ "$(modinfo -F name "$T/dkms/optsim/$ver/build/$loc$name.ko" 2>/dev/null)" = optsim ]; then
	pass "dkms.conf's MAKE builds $loc$name.ko from the staged sources"
else fail "dkms.conf's MAKE builds $loc$name.ko from the staged sources" "$(grep -m1 -i error "$T/log")"; fi

tap_end
