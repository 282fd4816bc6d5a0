#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh - build the optsim debug kernel once and cache it.
#
#   scripts/debug-kernel.sh          build it unless cached; print its directory
#   scripts/debug-kernel.sh --dir    print the directory it has (or would
#                                    have) without building; exit 1 if not built
#
# The kernel is Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz)
# configured as tinyconfig plus tools/testing/vm/debug.config (KASAN,
# KFENCE, lockdep, UBSAN, kmemleak, fault injection and what the test VM
# needs, all built in), with the fixes of tools/testing/vm/debug-patches/
# applied: each says which kernel bug the debug runs met. One that no
# longer applies to the source is left out with a warning; the kernel's
# patches file lists those applied. It is cached outside the work tree, in
#
#   $OPTSIM_DEBUG_KERNEL_CACHE (default /var/cache/optsim/debug-kernel)/KEY/
#
# or, when that default cannot be written (no root, a read-only /var),
# ${XDG_CACHE_HOME:-~/.cache}/optsim/debug-kernel/KEY/.
#
# KEY is the source package's version and a sha256 of the fragment and the
# patches: a change of any builds a new kernel; the old ones stay until
# removed by hand. The directory holds:
#   bzImage      the kernel qemu boots
#   vmlinux      the same, uncompressed, with its symbols
#   System.map   its symbols
#   config       its .config
#   release      its release (uname -r)
#   patches      the debug-patches applied to its source
#   build        the built source tree, for out-of-tree modules
#                (make -C KEY/build M=...)
#   build.log    the build's output; build-seconds, its duration
#
# The build runs in a temporary directory next to it, niced (nice 19,
# idle I/O class) with 2 jobs ($OPTSIM_DEBUG_KERNEL_JOBS), and is renamed
# to KEY only when complete: a directory named KEY is always a whole
# kernel. An interrupted build leaves a .tmp-KEY.* directory that the next
# run removes. Two runs at once: the second waits for the first (flock)
# and then finds the kernel built. It takes about 18 minutes on 2 idle
# cores (29 when they are shared).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd -P)
frag=$repo/tools/testing/vm/debug.config
patchdir=$repo/tools/testing/vm/debug-patches
tarball=/usr/src/linux-source-6.1.tar.xz
root=${OPTSIM_DEBUG_KERNEL_CACHE:-/var/cache/optsim/debug-kernel}
jobs=${OPTSIM_DEBUG_KERNEL_JOBS:-2}

msg() {
	echo "debug-kernel: $*" >&2
}

die() {
	msg "$*"
	exit 1
}

mode=build
case ${1:-} in
'') ;;
--dir) mode=dir ;;
*) sed -n 's/^#   scripts\/debug-kernel.sh/usage: debug-kernel.sh/p' "$0" >&2; exit 2 ;;
esac

[ -r "$frag" ] || die "missing $frag"
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed (apt-get install linux-source-6.1)"
[ -r "$tarball" ] || die "missing $tarball"
sum=$(cat "$frag" "$patchdir"/*.patch 2>/dev/null | sha256sum | cut -c1-16)
key=$pkgver-$sum
dir=$root/$key
# Where the kernel goes when $root cannot be written (see below).
alt=${XDG_CACHE_HOME:-$HOME/.cache}/optsim/debug-kernel

cands=$dir
[ -n "${OPTSIM_DEBUG_KERNEL_CACHE:-}" ] || cands="$dir $alt/$key"
for d in $cands; do
	if [ -r "$d/vmlinux" ]; then
		echo "$d"
		exit 0
	fi
done
[ "$mode" = build ] || exit 1

for t in flex bison bc gcc make patch; do
	command -v "$t" > /dev/null || die "$t is missing (scripts/install-deps.sh)"
done
[ -r /usr/include/libelf.h ] || die "libelf-dev is missing (scripts/install-deps.sh)"

# A machine where the system cache cannot be written (no root, a fresh CI
# runner with a read-only /var): the user's cache instead.
if ! mkdir -p "$root" 2>/dev/null || ! [ -w "$root" ]; then
	[ -z "${OPTSIM_DEBUG_KERNEL_CACHE:-}" ] ||
		die "cannot write $root (OPTSIM_DEBUG_KERNEL_CACHE)"
	root=$alt
	dir=$root/$key
	msg "cannot write the system cache; using $root"
	mkdir -p "$root" || die "cannot create $root"
fi
exec 8>"$root/.lock-$key"
if ! flock -n 8; then
	msg "another build of $key is running; waiting for it"
	flock 8
fi
if [ -r "$dir/vmlinux" ]; then
	echo "$dir"
	exit 0
fi
# Leftovers of builds that were killed.
rm -rf "$root/.tmp-$key".*

tmp=$(mktemp -d "$root/.tmp-$key.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
log=$tmp/build.log
t0=$(date +%s)
msg "building $key in $tmp ($jobs jobs, nice 19; about 20 minutes); log: $log"

run() {
	# nice 19 and the idle I/O class: others on this machine keep priority.
	if command -v ionice > /dev/null; then
		nice -n 19 ionice -c 3 "$@"
	else
		nice -n 19 "$@"
	fi
}

run tar -xJf "$tarball" -C "$tmp"
src=$tmp/linux-source-6.1
[ -r "$src/Makefile" ] || die "$tarball has no linux-source-6.1/Makefile"

: > "$tmp/patches"
for p in "$patchdir"/*.patch; do
	[ -r "$p" ] || continue
	if patch -d "$src" -p1 -s -f --dry-run < "$p" > /dev/null 2>&1; then
		patch -d "$src" -p1 -s -f < "$p" >> "$log" 2>&1 ||
			die "$(basename "$p") failed to apply; see $log"
		basename "$p" >> "$tmp/patches"
	else
		msg "warning: $(basename "$p") does not apply to $pkgver; left out"
	fi
done

kmake() {
	run make -C "$src" ARCH=x86_64 "$@" >> "$log" 2>&1 ||
		{ tail -n 40 "$log" >&2; die "make $* failed; see the log above"; }
}

kmake tinyconfig
(cd "$src" && run scripts/kconfig/merge_config.sh -m .config "$frag") \
	>> "$log" 2>&1 || die "merge_config.sh failed; see $log"
kmake olddefconfig

# Every option of the fragment must have come through as written (a
# missing dependency makes Kconfig drop it silently).
bad=$(
	sed -n 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' "$frag" | while read -r l; do
		grep -qxF "$l" "$src/.config" || echo "  wanted $l"
	done
	sed -n 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$frag" | while read -r o; do
		grep -q "^$o=" "$src/.config" && echo "  wanted $o off"
	done
) || true
[ -z "$bad" ] || die "options of $frag not in the final .config:
$bad"
if grep -q '=m$' "$src/.config"; then
	msg "warning: modular options (the guest has no modules for this kernel):"
	grep '=m$' "$src/.config" >&2
fi

kmake -j"$jobs" all

release=$(make -s -C "$src" ARCH=x86_64 kernelrelease)
cp "$src/vmlinux" "$tmp/vmlinux"
cp "$src/arch/x86/boot/bzImage" "$tmp/bzImage"
cp "$src/System.map" "$tmp/System.map"
cp "$src/.config" "$tmp/config"
echo "$release" > "$tmp/release"
mv "$src" "$tmp/build"
t1=$(date +%s)
echo $((t1 - t0)) > "$tmp/build-seconds"
chmod 755 "$tmp"
mv "$tmp" "$dir"
trap - EXIT
msg "built $release in $((t1 - t0)) s: $dir"
echo "$dir"
