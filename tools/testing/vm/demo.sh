#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - show the optsim drive at work. Runs as root inside the test VM
# (make demo = tools/testing/vm/run-vm.sh -- tools/testing/vm/demo.sh):
#
#   1. load driver/optsim.ko with a small BD-RE DL medium (2 x 128 MiB)
#   2. make a UDF file system on /dev/optsim, copy a generated tree of a few
#      hundred files in, unmount, drop the caches, remount and verify it
#   3. insert a blank BD-R DL, burn an ISO 9660 image of the same tree with
#      optsimctl (progress, read-back verify, finalize), mount it, verify it
#      and scan its recording quality (jitter, LDC/BIS per layer); save it
#      as a disc image, unload and reload the module, load the image and
#      mount and verify it again;
#   4. insert a BD-RE and burn a small image at 4x with the N-1 multi-pulse
#      train: the marks do not form, the verify fails with a medium error
#      and the scan shows the unreadable clusters; then burn it again with
#      the auto strategy (castle pulses at 4x) after OPC: it records
#   5. the MMC front: insert a blank BD-R, burn the ISO image with
#      growisofs through /dev/srN (the drive's SCSI LUN), compare it
#      through /dev/optsim, append a second session with xorriso, show
#      xorriso -toc (two sessions) and mount the last session
#   6. print a summary; exit 1 when any step failed
#
# The tree: about 400 text files (uapi headers, package documentation)
# and 400 random binary files of odd sizes in nested directories, a few
# special names, an empty file, an empty directory and symlinks; ~10 MiB.
#
# Verification compares manifests (directories, symlinks and the SHA-256 of
# every regular file) of the source tree and of the mounted file system.
#
# Environment: OPTSIM_DEMO_ON_HOST=1 allows running outside the VM (it
# loads and unloads the module on the machine it runs on).
set -u

LAYER_SECTORS=65536		# 128 MiB per layer

repo=$(cd "$(dirname "$0")/../../.." && pwd -P)
ctl=$repo/tools/optsimctl/optsimctl
ko=$repo/driver/optsim.ko
dev=/dev/optsim
work=${TMPDIR:-/tmp}/optsim-demo
tree=$work/tree
mnt=$work/mnt
iso=$work/tree.iso

if [ "${OPTSIM_IN_VM:-}" != 1 ] && [ "${OPTSIM_DEMO_ON_HOST:-}" != 1 ]; then
	echo "demo.sh runs in the test VM: use 'make demo'" >&2
	echo "(OPTSIM_DEMO_ON_HOST=1 runs it here, loading optsim.ko on this machine)" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: must run as root" >&2
	exit 2
fi

# --- reporting ---------------------------------------------------------------

bold=
norm=
if [ -t 1 ]; then
	bold=$(printf '\033[1m')
	norm=$(printf '\033[0m')
fi
results=
failed=0
t_start=$(date +%s%N)

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# ms_to_s MS: "1.234"
ms_to_s() {
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

section() {
	printf '\n%s==> %s%s\n' "$bold" "$*" "$norm"
}

# run CMD...: show a command, then run it.
run() {
	echo "\$ $*"
	"$@"
}

# record STEP RESULT MS DETAIL: one line of the summary.
record() {
	results="$results$(printf '%-28s %-4s %7ss  %s' "$1" "$2" "$(ms_to_s "$3")" "$4")
"
	[ "$2" = PASS ] || failed=1
}

cleanup() {
	cd / || true
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	[ -d /sys/module/optsim ] && rmmod optsim 2>/dev/null
}

summary() {
	total=$(($(now_ms) - t_start / 1000000))
	section "Summary"
	printf '%-28s %-4s %8s  %s\n' STEP RESULT TIME DETAIL
	printf '%s' "$results"
	if [ $failed -eq 0 ]; then
		echo "demo: PASS in $(ms_to_s "$total")s"
	else
		echo "demo: FAIL in $(ms_to_s "$total")s"
	fi
}

# fail STEP T0 WHY: record the failure, clean up, summarize, exit 1.
fail() {
	echo "demo: FAILED: $1: $3" >&2
	record "$1" FAIL $(($(now_ms) - $2)) "$3"
	cleanup
	summary
	exit 1
}

# manifest DIR: every directory and symlink, and the SHA-256 of every
# regular file, relative to DIR, in a fixed order.
manifest() {
	(
		cd "$1" || exit 1
		find . -mindepth 1 -type d -printf 'dir %p\n' | LC_ALL=C sort
		find . -type l -printf 'link %p -> %l\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum
	)
}

# verify STEP T0 MOUNTPOINT TAG: compare a mounted copy with the tree.
verify() {
	manifest "$3" >"$work/manifest.$4" || fail "$1" "$2" "cannot read $3"
	if ! diff -u "$work/manifest.tree" "$work/manifest.$4" >"$work/diff.$4"; then
		head -n 40 "$work/diff.$4"
		fail "$1" "$2" "contents differ from the source tree (see above)"
	fi
	echo "verified: $(wc -l <"$work/manifest.tree") entries identical"
}

# unreadable_clusters: the unreadable clusters optsimctl scan counts
unreadable_clusters() {
	"$ctl" scan --json | tr -d ' \n' |
		sed -n 's/.*"unreadable":\([0-9]*\)}$/\1/p'
}

drop_caches() {
	sync
	blockdev --flushbufs "$dev" 2>/dev/null
	echo 3 >/proc/sys/vm/drop_caches
}

trap cleanup EXIT
cd "$repo" || exit 1
rm -rf "$work"
mkdir -p "$tree" "$mnt" || exit 1

# --- 1. the driver -------------------------------------------------------------

section "1. Load the driver: dual-layer BD-RE, 2 x 128 MiB"
t0=$(now_ms)
for f in "$ko" "$ctl"; do
	[ -e "$f" ] || fail "load module" "$t0" "$f is missing (run make)"
done
[ -d /sys/module/optsim ] && fail "load module" "$t0" "optsim is already loaded"
run insmod "$ko" media=bd-re-dl layer_sectors=$LAYER_SECTORS ||
	fail "load module" "$t0" "insmod failed"
i=0
while ! [ -b "$dev" ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "load module" "$t0" "$dev did not appear"
	sleep 0.1
done
run "$ctl" info || fail "load module" "$t0" "optsimctl info failed"
record "load module" PASS $(($(now_ms) - t0)) \
	"$(($(blockdev --getsize64 $dev) >> 20)) MiB, $(blockdev --getss $dev)-byte sectors"

# --- the test tree ---------------------------------------------------------------

section "Generate a test tree in $tree"
t0=$(now_ms)
{
	# Text: kernel uapi headers and the documentation of a few packages the
	# project needs (small directories: walking 9p under TCG is slow).
	mkdir -p "$tree/text" &&
	(cd /usr && find include/linux -type f | LC_ALL=C sort |
		awk 'NR % 3 == 1' | cpio -pdm --quiet "$tree/text") &&
	(cd /usr/share && for d in coreutils util-linux xorriso udftools \
			busybox-static fio cpio e2fsprogs; do
		[ -d "doc/$d" ] && find "doc/$d" -type f
	done | cpio -pdm --quiet "$tree/text") &&
	# Binary: random files of odd sizes in nested directories.
	mkdir -p "$tree/data/a/b/c/d/e/f/g/h" "$tree/data/small" \
		"$tree/data/medium" "$tree/empty dir" &&
	head -c 4000000 /dev/urandom >"$tree/data/big.bin" &&
	head -c 1200000 /dev/urandom |
		split -a 3 -b 3001 - "$tree/data/small/s." &&
	head -c 2000000 /dev/urandom |
		split -a 2 -b 77777 - "$tree/data/medium/m." &&
	head -c 100000 /dev/urandom >"$tree/data/a/b/c/d/e/f/g/h/deep.bin" &&
	head -c 1048576 /dev/zero >"$tree/data/zeros.bin" &&
	: >"$tree/data/empty" &&
	echo "optsim demo" >"$tree/file with spaces.txt" &&
	echo long >"$tree/a-file-name-that-is-longer-than-the-sixty-four-characters-joliet-allows.txt" &&
	ln -s data/big.bin "$tree/link-to-big" &&
	ln -s a/b/c "$tree/data/link-dir"
} || fail "generate tree" "$t0" "cannot build the test tree"
manifest "$tree" >"$work/manifest.tree" || fail "generate tree" "$t0" "manifest"
nfiles=$(find "$tree" -type f | wc -l)
ndirs=$(find "$tree" -type d | wc -l)
tree_kib=$(du -sk "$tree" | cut -f1)
echo "$nfiles files, $ndirs directories, $((tree_kib / 1024)) MiB"
record "generate tree" PASS $(($(now_ms) - t0)) \
	"$nfiles files, $ndirs dirs, $((tree_kib / 1024)) MiB"

# --- 2. UDF on the rewritable medium ---------------------------------------------

section "2. UDF on the BD-RE: format, copy, unmount, remount, verify"
t0=$(now_ms)
# UDF 2.01: the newest revision Linux mounts read-write. "hd": the drive
# takes random writes, like a BD-RE formatted for random access.
echo "\$ mkudffs --media-type=hd --blocksize=2048 --udfrev=2.01 --label=OPTSIM-DEMO $dev"
mkudffs --media-type=hd --blocksize=2048 --udfrev=2.01 --label=OPTSIM-DEMO \
	"$dev" >"$work/mkudffs.log" 2>&1 ||
	{ cat "$work/mkudffs.log"; fail "UDF write" "$t0" "mkudffs failed"; }
run mount -t udf "$dev" "$mnt" || fail "UDF write" "$t0" "mount -t udf failed"
run cp -a "$tree/." "$mnt/" || fail "UDF write" "$t0" "copying the tree failed"
df -h "$mnt" | tail -n 1
run umount "$mnt" || fail "UDF write" "$t0" "umount failed"
clusters=$("$ctl" info --json | tr -d ' \n' |
	sed -n 's/.*"recorded_clusters":\[\([0-9]*\),\([0-9]*\)\].*/L0 \1, L1 \2/p')
record "UDF format+copy+umount" PASS $(($(now_ms) - t0)) \
	"clusters recorded: ${clusters:-?}"

t0=$(now_ms)
drop_caches
run mount -t udf -o ro "$dev" "$mnt" || fail "UDF verify" "$t0" "remount failed"
verify "UDF verify" "$t0" "$mnt" udf
run umount "$mnt" || fail "UDF verify" "$t0" "umount failed"
record "UDF remount+verify" PASS $(($(now_ms) - t0)) "$nfiles files identical"
run "$ctl" info

# --- 3. ISO 9660 burned on a write-once medium -------------------------------------

section "3. ISO 9660 burned on a blank BD-R DL, finalized, mounted, verified"
t0=$(now_ms)
run "$ctl" load --media bd-r-dl --layer-sectors $LAYER_SECTORS ||
	fail "ISO build" "$t0" "optsimctl load failed"
echo "\$ xorriso -as mkisofs -R -J -joliet-long -V OPTSIM_DEMO -o $iso $tree"
xorriso -as mkisofs -quiet -R -J -joliet-long -V OPTSIM_DEMO \
	-o "$iso" "$tree" >"$work/xorriso.log" 2>&1 ||
	{ cat "$work/xorriso.log"; fail "ISO build" "$t0" "xorriso failed"; }
iso_bytes=$(stat -c %s "$iso")
record "ISO build" PASS $(($(now_ms) - t0)) "$((iso_bytes >> 10)) KiB"

t0=$(now_ms)
# Through tee (for the rate below), so the progress comes as a line every
# 10 % rather than a redrawn bar.
{
	run "$ctl" burn "$iso" --finalize 2>&1
	echo $? >"$work/burn.rc"
} | tee "$work/burn.log"
[ "$(cat "$work/burn.rc")" = 0 ] ||
	fail "ISO burn" "$t0" "optsimctl burn failed"
rate=$(sed -n 's/^burn: .*written in .* (\(.*MB\/s\)).*/\1/p' "$work/burn.log")
record "ISO burn+verify+finalize" PASS $(($(now_ms) - t0)) \
	"$((iso_bytes >> 20)) MiB at ${rate:-?}"
run "$ctl" info
"$ctl" info --json | tr -d ' \n' | grep -q '"finalized":true' ||
	fail "ISO burn" "$t0" "the medium is not finalized"

t0=$(now_ms)
drop_caches
run mount -t iso9660 -o ro "$dev" "$mnt" ||
	fail "ISO verify" "$t0" "mount -t iso9660 failed"
verify "ISO verify" "$t0" "$mnt" iso
run umount "$mnt" || fail "ISO verify" "$t0" "umount failed"
record "ISO mount+verify" PASS $(($(now_ms) - t0)) "$nfiles files identical"

# The recording model's verdict on every cluster of the burned disc.
t0=$(now_ms)
run "$ctl" scan || fail "quality scan" "$t0" "optsimctl scan failed"
unreadable=$(unreadable_clusters)
[ "$unreadable" = 0 ] ||
	fail "quality scan" "$t0" "${unreadable:-?} unreadable clusters"
record "quality scan" PASS $(($(now_ms) - t0)) "0 unreadable clusters"

# The burned disc outlives the module: saved as a disc image, unloaded,
# loaded again from the image and mounted.
section "3b. The BD-R DL saved as an image, module reloaded, image mounted"
t0=$(now_ms)
rm -f "$work/bd-r-dl.img"
run "$ctl" save "$work/bd-r-dl.img" ||
	fail "image round trip" "$t0" "optsimctl save failed"
run "$ctl" image info "$work/bd-r-dl.img" ||
	fail "image round trip" "$t0" "optsimctl image info failed"
run rmmod optsim || fail "image round trip" "$t0" "rmmod failed"
run insmod "$ko" media=bd-re-dl layer_sectors=$LAYER_SECTORS ||
	fail "image round trip" "$t0" "insmod failed"
i=0
while ! [ -b "$dev" ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "image round trip" "$t0" "$dev did not appear"
	sleep 0.1
done
run "$ctl" load --image "$work/bd-r-dl.img" ||
	fail "image round trip" "$t0" "optsimctl load --image failed"
run mount -t iso9660 -o ro "$dev" "$mnt" ||
	fail "image round trip" "$t0" "mount -t iso9660 of the image failed"
verify "image round trip" "$t0" "$mnt" image
run umount "$mnt" || fail "image round trip" "$t0" "umount failed"
record "image save+reload+mount" PASS $(($(now_ms) - t0)) \
	"$nfiles files identical, $(du -k "$work/bd-r-dl.img" | cut -f1) KiB on disk"

# --- 4. the recording model decides -------------------------------------------------

section "4. BD-RE at 4x: the N-1 train does not record, auto + OPC does"
t0=$(now_ms)
run "$ctl" load --media bd-re --layer-sectors $LAYER_SECTORS ||
	fail "4x N-1 fails" "$t0" "optsimctl load failed"
head -c $((4 << 20)) /dev/urandom >"$work/small.img"
# At 4x the train's T/2 pulses (1.9 ns) fall short of the film's 2.4 ns
# time constant: the marks do not form, and the read-back verify says so.
if run "$ctl" burn --speed 4 --strategy multi "$work/small.img" 2>&1; then
	fail "4x N-1 fails" "$t0" "the burn at 4x with N-1 pulses verified"
fi
run "$ctl" scan || fail "4x N-1 fails" "$t0" "optsimctl scan failed"
bad=$(unreadable_clusters)
[ "${bad:-0}" -gt 0 ] ||
	fail "4x N-1 fails" "$t0" "the scan shows no unreadable cluster"
record "4x N-1 fails" PASS $(($(now_ms) - t0)) \
	"verify failed, $bad unreadable clusters"

t0=$(now_ms)
run "$ctl" set --strategy auto || fail "4x auto+OPC" "$t0" "set failed"
run "$ctl" get
run "$ctl" burn --opc "$work/small.img" 2>&1 ||
	fail "4x auto+OPC" "$t0" "the burn after OPC failed"
run "$ctl" scan || fail "4x auto+OPC" "$t0" "optsimctl scan failed"
bad=$(unreadable_clusters)
[ "$bad" = 0 ] ||
	fail "4x auto+OPC" "$t0" "${bad:-?} unreadable clusters after OPC"
record "4x auto+OPC" PASS $(($(now_ms) - t0)) \
	"castle pulses at the OPC power, 0 unreadable"

# --- 5. the MMC front ---------------------------------------------------------------

# The sr node of drive 0: the LUN at target 0 of the SCSI host "optsim".
mmc_sr() {
	for h in /sys/class/scsi_host/host*; do
		[ "$(cat "$h/proc_name" 2>/dev/null)" = optsim ] || continue
		for b in "/sys/bus/scsi/devices/${h##*/host}:0:0:0/block/"*; do
			[ -e "$b" ] && echo "/dev/${b##*/}" && return 0
		done
	done
	return 1
}

section "5. The MMC front: growisofs burns through /dev/srN, xorriso appends"
t0=$(now_ms)
sr=
i=0
while ! sr=$(mmc_sr) || ! [ -b "$sr" ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "growisofs burn" "$t0" "no sr node for the drive's LUN"
	sleep 0.1
done
run lsscsi -g
run "$ctl" load --media bd-r --layer-sectors $LAYER_SECTORS ||
	fail "growisofs burn" "$t0" "optsimctl load failed"
# The load's unit attention, as any program sees it first.
run sg_turs -v "$sr"
run sg_turs -v "$sr" || fail "growisofs burn" "$t0" "$sr is not ready"
run sg_get_config -c "$sr" | grep 'Current profile'
run timeout 120 growisofs -Z "$sr=$iso" </dev/null ||
	fail "growisofs burn" "$t0" "growisofs failed"
cmp -n "$iso_bytes" "$iso" "$dev" ||
	fail "growisofs burn" "$t0" "/dev/optsim does not read back the image"
echo "/dev/optsim reads back the $((iso_bytes >> 10)) KiB image growisofs burned through $sr"
record "growisofs via $sr" PASS $(($(now_ms) - t0)) \
	"$((iso_bytes >> 20)) MiB, read back via $dev"

t0=$(now_ms)
if ! mkdir -p "$work/session2" ||
	! echo "appended by xorriso through the MMC front" >"$work/session2/note.txt"; then
	fail "xorriso 2nd session" "$t0" "cannot make the second session's files"
fi
run timeout 120 xorriso -dev "$sr" -map "$work/session2" /session2 \
	-close off -commit ||
	fail "xorriso 2nd session" "$t0" "xorriso failed"
run timeout 120 xorriso -indev "$sr" -toc 2>&1 | tee "$work/toc"
sessions=$(grep -c '^ISO session' "$work/toc")
[ "$sessions" = 2 ] ||
	fail "xorriso 2nd session" "$t0" "xorriso -toc shows ${sessions:-?} sessions, not 2"
run mount -t iso9660 -o ro "$sr" "$mnt" ||
	fail "xorriso 2nd session" "$t0" "mount -t iso9660 $sr failed"
ls "$mnt"
if ! cmp "$work/session2/note.txt" "$mnt/session2/note.txt" ||
	! cmp "$tree/data/big.bin" "$mnt/data/big.bin"; then
	fail "xorriso 2nd session" "$t0" "the mounted last session lacks files"
fi
run umount "$mnt" || fail "xorriso 2nd session" "$t0" "umount failed"
record "xorriso 2nd session" PASS $(($(now_ms) - t0)) \
	"-toc: 2 sessions; the mount shows both"
run "$ctl" info

# --- 6. unload -----------------------------------------------------------------------

section "6. Unload the driver"
t0=$(now_ms)
run rmmod optsim || fail "unload module" "$t0" "rmmod failed"
record "unload module" PASS $(($(now_ms) - t0)) "rmmod optsim"

summary
[ $failed -eq 0 ]
