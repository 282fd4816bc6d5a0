#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/lint.sh TAPFILE - the kernel community's quality tools, run out of
# tree. Each check is one TAP result in TAPFILE (also echoed); the exit
# status is 1 when any check fails. Needs KVER, KDIR and KSRC (the
# top-level Makefile exports them).
set -u
# shellcheck source=tools/testing/tap-lib.sh
. tools/testing/tap-lib.sh
tap_file=$1
: > "$tap_file"
tap_tmpdir
log=$T

# result NAME LOGFILE: the check passed when LOGFILE is empty.
result() {
	if [ -s "$2" ]; then
		tap_not_ok "lint: $1"
		sed 's/^/# /' "$2" | head -n 40
	else
		tap_ok "lint: $1"
	fi
}

cp=$KSRC/scripts/checkpatch.pl
others=""
for f in driver/*.c driver/*.h driver/model/*.c driver/model/*.h \
	 uapi/linux/optsim.h uapi/linux/optsim_image.h; do
	case $f in
	driver/compat.h | *.mod.c) ;;
	*) others="$others $f" ;;
	esac
done
# shellcheck disable=SC2086
perl "$cp" --no-tree --strict --terse --show-types -f $others \
	2>&1 | grep -E 'ERROR|WARNING|CHECK' |
	# The SCSI midlayer's own type name, not ours to rename.
	grep -v 'CamelCase: <Scsi_Host>' > "$log/cp" || true
result "checkpatch --strict (driver, uapi)" "$log/cp"

# Version checks belong in compat.h only; there checkpatch may not flag them,
# nor the LINUX_VERSION_CODE >= KERNEL_VERSION() shape they take.
perl "$cp" --no-tree --strict --terse --show-types \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f driver/compat.h 2>&1 | grep -E 'ERROR|WARNING|CHECK' > "$log/cpc" || true
grep -rn 'LINUX_VERSION_CODE\|KERNEL_VERSION' driver uapi --include='*.[ch]' |
	grep -v '^driver/compat.h:' >> "$log/cpc" || true
result "checkpatch --strict (compat.h); version checks only in compat.h" "$log/cpc"

# Both cores: the two kernel builds are most of the lint's time.
jobs=$(nproc 2>/dev/null || echo 1)
make -s -j"$jobs" -C "$KDIR" M="$PWD" W=1 C=2 modules > "$log/w1" 2>&1 || echo "build failed" >> "$log/w1"
grep -v 'Skipping BTF generation' "$log/w1" > "$log/w1f" || true
result "W=1 C=2 (gcc extra warnings, kernel-doc on .c, sparse)" "$log/w1f"

# compat.h must cover every supported kernel: build against each other
# kernel whose headers are installed (Debian 12 has 6.1 and 6.12).
for kd in /lib/modules/*/build; do
	[ -d "$kd" ] || continue
	[ "$(readlink -f "$kd")" = "$(readlink -f "$KDIR")" ] && continue
	rel=$(basename "$(dirname "$kd")")
	tree=$log/tree-$rel
	mkdir -p "$tree"
	cp -r Kbuild driver uapi "$tree"
	make -s -j"$jobs" -C "$kd" M="$tree" W=1 modules 2>&1 |
		grep -v 'Skipping BTF generation' > "$log/k-$rel" || true
	[ -f "$tree/driver/optsim.ko" ] || echo "no optsim.ko built" >> "$log/k-$rel"
	result "W=1 build against $rel headers" "$log/k-$rel"
done

for h in uapi/linux/optsim.h uapi/linux/optsim_image.h; do
	echo "#include \"$h\"" |
		gcc -std=c90 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c -
done > "$log/c90" 2>&1 || true
result "uapi headers compile as C90" "$log/c90"

kdoc=""
for k in "$KDIR/scripts/kernel-doc" /usr/lib/linux-kbuild-*/scripts/kernel-doc; do
	[ -x "$k" ] && kdoc=$k && break
done
if [ -n "$kdoc" ]; then
	"$kdoc" -none driver/*.h driver/model/*.h uapi/linux/optsim.h \
		uapi/linux/optsim_image.h > "$log/kdoc" 2>&1 || true
	result "kernel-doc on the headers" "$log/kdoc"
else
	tap_skip "lint: kernel-doc on the headers" "kernel-doc not found"
fi

if command -v shellcheck > /dev/null; then
	# shellcheck disable=SC2046
	shellcheck -x -f gcc $(find scripts tools selftests -name '*.sh') \
		tools/completion/optsimctl > "$log/sc" 2>&1 || true
	result "shellcheck on the scripts" "$log/sc"
else
	tap_skip "lint: shellcheck" "shellcheck not installed"
fi
tap_end
