#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# image.sh - disc images (Documentation/image-format.rst): a medium that
# lives in a file. Round trip across rmmod/insmod (data, info, scan and
# write-once state identical), a 50 GB sparse BD-R DL that stays small on
# disk, every bad input refused by the kernel with its errno and the file
# left unchanged (truncated, wrong magic, checksum mismatches, a future
# version, a directory, a device node, a pipe, an image loaded already,
# read-only files, a full file system), two drives with two images, and a
# fuzz of image headers through the kernel. When an earlier VM boot left
# an image in $OPTSIM_OUT, it is loaded and compared first (a round trip
# across boots); each run leaves one for the next. Images live on the
# VM's tmpfs. TAP on stdout.

# Functions here run indirectly, through tap_check.
# shellcheck disable=SC2317

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"
# shellcheck source-path=SCRIPTDIR source=image-lib.sh
. "$ksft_dir/image-lib.sh"

LAYER=32768
# Mutated images loaded through the kernel (OPTSIM_IMAGE_FUZZ overrides).
FUZZ=${OPTSIM_IMAGE_FUZZ:-10000}
# The format version this driver knows, from the uapi header.
known=$(awk '$2 == "OPTSIM_IMAGE_VERSION" { print $3 }' \
	"$ksft_dir/../uapi/linux/optsim_image.h")

tap_plan 85

need_tools insmod rmmod python3 sha256sum dd mount "$OPTSIMCTL" \
	"$ksft_dir/image_fuzz"
if ! [ -r "$OPTSIM_KO" ]; then
	tap_skip_rest "no $OPTSIM_KO (make module)"
	tap_done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/optsim-image.XXXXXX") || exit 1
small=$work/small
mkdir -p "$small"
trap 'umount "$small" 2>/dev/null; "$OPTSIMCTL" remove 1 2>/dev/null; rm -rf "$work"' EXIT

ctl() {
	"$OPTSIMCTL" -d "$OPTSIM_DEV" "$@"
}

# kload FILE [r|w|dir|pipe] [DEV]: OPTSIM_IOC_LOAD of FILE's descriptor
# straight to the kernel (no optsimctl checks first); prints the errno
# name, or "ok".
kload() {
	python3 - "$@" <<'PY'
import errno, fcntl, os, struct, sys
path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "w"
dev = sys.argv[3] if len(sys.argv) > 3 else "/dev/optsim"
# _IOW(0xBD, 0x03, struct optsim_load): 32 bytes
LOAD = 0x40000000 | (32 << 16) | (0xBD << 8) | 0x03
if mode == "pipe":
    fd, _w = os.pipe()
elif mode == "dir":
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
else:
    fd = os.open(path, os.O_RDWR if mode == "w" else os.O_RDONLY)
d = os.open(dev, os.O_RDONLY | os.O_NONBLOCK)
try:
    fcntl.ioctl(d, LOAD, struct.pack("<IIQIiQ", 0, 0, 0, 1, fd, 0))
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}

# refusals: how many "image refused" lines the kernel has logged.
refusals() {
	dmesg | grep -c "image refused: "
}

# expect_refused NAME ERRNO WHY FILE [MODE [DEV]]: the kernel refuses FILE
# with ERRNO, logs why (a line "image refused: " with WHY in it), and FILE
# is unchanged.
expect_refused() {
	_before=$(sha256sum <"$4" 2>/dev/null)
	_n=$(refusals)
	_got=$(kload "$4" "${5:-w}" "${6:-$OPTSIM_DEV}")
	_after=$(sha256sum <"$4" 2>/dev/null)
	_log=$(dmesg | grep "image refused: " | tail -n +$((_n + 1)))
	[ "$_got" = "$2" ] && [ "$_before" = "$_after" ] &&
		case $_log in *"$3"*) true ;; *) false ;; esac
	tap_result "image: $1: refused with $2, the kernel says why, file unchanged" \
		$? "got $_got; kernel: $_log"
}

# patch FILE OFFSET HEXBYTES: overwrite bytes in place.
patch() {
	python3 -c '
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    f.write(bytes.fromhex(sys.argv[3]))
' "$@"
}

# recrc FILE: give the header a checksum that matches (optsim_image.h:
# CRC-32C of sizeof(struct optsim_image_header) bytes, crc at 16 read as 0).
recrc() {
	image_python "$1" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    h = bytearray(f.read(64))
    n = struct.unpack_from("<I", h, 12)[0]
    f.seek(0)
    h = bytearray(f.read(n))
    h[16:20] = b"\0\0\0\0"
    f.seek(16)
    f.write(struct.pack("<I", crc32c(h)))
PY
}

reload_module() {
	rmmod optsim || return 1
	# shellcheck disable=SC2086 # the parameters are words
	insmod "$OPTSIM_KO" $OPTSIM_MODPARAMS || return 1
	_i=0
	while ! [ -b "$OPTSIM_DEV" ]; do
		[ "$_i" -ge 50 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

# ---- across VM boots ------------------------------------------------------

boot_img=${OPTSIM_OUT:-/nonexistent}/image-boot.img
if [ -r "$boot_img" ] && [ -r "$boot_img.state" ] &&
	ctl load --image "$boot_img"; then
	image_state 16 >"$work/boot.state"
	tap_check "image: an earlier boot's image reads back identical" \
		cmp "$boot_img.state" "$work/boot.state"
	ctl eject
else
	tap_skip "image: an earlier boot's image reads back identical" \
		"no image from an earlier boot in \$OPTSIM_OUT"
fi

# ---- round trip -------------------------------------------------------------

# same_data DEV FILE: DEV starts with FILE's bytes.
same_data() {
	[ "$(head -c "$(stat -c %s "$2")" "$1" | sha256sum)" = \
		"$(sha256sum <"$2")" ]
}

# write FILE DEV [DD_ARGS...]
write() {
	_if=$1
	_of=$2
	shift 2
	dd if="$_if" of="$_of" bs=64k oflag=direct "$@" 2>/dev/null
}

img=$work/a.img
head -c 3000000 /dev/urandom >"$work/data"
tap_check "image: load --image --create bd-r, $LAYER sectors" \
	ctl load --image "$img" --create --media bd-r --layer-sectors "$LAYER"
tap_check "image: info says image" test "$(info_get image)" = true
tap_check "image: write 3 MB" dd if="$work/data" of="$OPTSIM_DEV" bs=64k \
	oflag=direct conv=fsync
tap_check "image: no memory holds the data (mem_used 0)" \
	test "$(info_get mem_used)" = 0
tap_check "image: the data reads back" same_data "$OPTSIM_DEV" "$work/data"
image_state 46 >"$work/state1"
tap_check "image: eject" ctl eject
tap_check "image: image info counts 46 recorded clusters" \
	image_json "$img" 'v["recorded_clusters"] == [46] and v["seed"] != 0'
tap_check "image: rmmod, insmod" reload_module
tap_check "image: load the image again" ctl load --image "$img"
image_state 46 >"$work/state2"
tap_check "image: data, info and scan identical after rmmod/insmod" \
	cmp "$work/state1" "$work/state2"
tap_check_fails "image: a recorded cluster refuses a write (write-once)" \
	dd if="$work/data" of="$OPTSIM_DEV" bs=64k count=1 oflag=direct
tap_check "image: finalize" ctl finalize
tap_check "image: the finalize is in the file at once (image info, loaded)" \
	image_json "$img" 'v["finalized"] and v["recorded_clusters"] == [46]'
reload_load() {
	ctl eject && reload_module && ctl load --image "$1"
}
tap_check "image: eject, rmmod, insmod, load" reload_load "$img"
tap_check "image: still finalized" test "$(info_get finalized)" = true
tap_check_fails "image: a write after the nwa is refused (finalized)" \
	dd if="$work/data" of="$OPTSIM_DEV" bs=64k count=1 seek=100 \
	oflag=direct
tap_check "image: eject" ctl eject
tap_check "image: image info: version, media, geometry, clusters, wear, tracks" \
	image_json "$img" '(v["version"] == '"$known"' and v["media"] == "bd-r" and
	v["layers"] == 1 and v["layer_sectors"] == '"$LAYER"' and
	v["recorded_clusters"] == [46] and v["finalized"] and
	v["max_writes"] == 1 and v["full_erases"] == 0 and
	v["closed_sessions"] == 1 and v["tracks"][0]["closed"])'

# Module unload writes back what no flush did: 16 clusters written with no
# flush are not in the file yet; after rmmod, with the image still loaded,
# they are, recorded, and read back.
head -c $((16 * 65536)) "$work/data" >"$work/c16"
unload_writes_back() {
	ctl load --image "$work/u.img" --create --media bd-re \
		--layer-sectors 4096 && write "$work/c16" "$OPTSIM_DEV" &&
		image_json "$work/u.img" 'v["recorded_clusters"] == [0]' &&
		reload_module &&
		image_json "$work/u.img" 'v["recorded_clusters"] == [16]' &&
		ctl load --image "$work/u.img" &&
		same_data "$OPTSIM_DEV" "$work/c16" && ctl eject
}
tap_check "image: rmmod with an image loaded makes its writes durable" \
	unload_writes_back

# ---- save: a medium in memory written out ----------------------------------

# 8 clusters recorded well, 4 underpowered (uncorrectable), finalized.
mem_medium() {
	ctl load --media bd-r --layer-sectors 4096 &&
		write "$work/data" "$OPTSIM_DEV" count=8 &&
		ctl set --power 1.0 --bias-power 0.2 &&
		write "$work/data" "$OPTSIM_DEV" seek=8 count=4 && ctl finalize
}
unreadable() {
	! dd if="$OPTSIM_DEV" of=/dev/null bs=64k skip=8 count=1 iflag=direct
}
saved=$work/saved.img
tap_check "image: a medium in memory with uncorrectable clusters" mem_medium
image_state 8 >"$work/mem.state"
tap_check "image: save it" ctl save "$saved"
tap_check "image: eject, load the saved image" sh -c \
	"$OPTSIMCTL eject && $OPTSIMCTL load --image $saved"
image_state 8 >"$work/saved.state"
tap_check "image: data, info and scan identical to the medium in memory" \
	cmp "$work/mem.state" "$work/saved.state"
tap_check "image: an uncorrectable cluster still fails its reads" unreadable
no_save() {
	! ctl save "$work/again.img" && ! [ -e "$work/again.img" ]
}
tap_check "image: save of an image-backed medium refused, no file left" \
	no_save
tap_check "image: eject" ctl eject

# ---- rewritable: erase and wear ----------------------------------------------

re=$work/re.img
wear() {
	ctl load --image "$1" --create --media bd-re --layer-sectors 4096 &&
		write "$2" "$OPTSIM_DEV" count=4 &&
		write "$2" "$OPTSIM_DEV" count=4 &&
		ctl erase && write "$2" "$OPTSIM_DEV" count=2 && ctl eject
}
tap_check "image: a bd-re image: write twice, full erase, write" \
	wear "$re" "$work/data"
tap_check "image: overwrite and erase counts survive" image_json "$re" \
	'v["recorded_clusters"] == [2] and v["full_erases"] == 1 and v["max_writes"] == 3'

# ---- a full-size BD-R DL -----------------------------------------------------

big=$work/big.img
both_layers() {
	dd if=/dev/urandom of="$OPTSIM_DEV" bs=1M count=4 oflag=direct \
		2>/dev/null &&
		dd if=/dev/urandom of="$OPTSIM_DEV" bs=1M count=4 oflag=direct \
			seek=$((12219392 * 2048 / 1048576 + 8)) 2>/dev/null && sync
}
small_on_disk() {
	_size=$(stat -c %s "$1")
	_disk=$(($(stat -c "%b * %B" "$1")))
	echo "size $_size, $_disk bytes on disk"
	[ "$_size" -gt 50000000000 ] && [ "$_disk" -lt 40000000 ]
}
tap_check "image: create a 50 GB bd-r-dl image (default layer size)" \
	ctl load --image "$big" --create --media bd-r-dl
tap_check "image: write 4 MiB on each layer" both_layers
tap_both_layers image
tap_check "image: eject the bd-r-dl" ctl eject
tap_check "image: 50 GB apparent, under 40 MB on disk" small_on_disk "$big"
rm -f "$big"

# ---- bad input ---------------------------------------------------------------

good=$work/good.img
spoilable() {
	ctl load --image "$1" --create --media bd-re --layer-sectors 1024 &&
		ctl eject
}
tap_check "image: a good image to spoil" spoilable "$good"

# geometry_bytes FILE: the least size of an image, from its header: the
# data area's offset plus the medium's capacity.
geometry_bytes() {
	python3 -c '
import struct, sys
h = open(sys.argv[1], "rb").read(72)
layers, layer_sectors = struct.unpack_from("<IQ", h, 28)
print(struct.unpack_from("<Q", h, 64)[0] + layers * layer_sectors * 2048)
' "$1"
}
cp "$good" "$work/trunc.img"
truncate -s $(($(geometry_bytes "$good") - 1)) "$work/trunc.img"
expect_refused "truncated by one byte" EINVAL \
	"shorter than its geometry (truncated)" "$work/trunc.img"
head -c 4096 "$good" >"$work/short.img"
expect_refused "shorter than a header" EINVAL \
	"shorter than an image header (truncated)" "$work/short.img"
cp "$good" "$work/magic.img"
patch "$work/magic.img" 0 58
expect_refused "wrong magic" EINVAL "wrong magic" "$work/magic.img"
cp "$good" "$work/hcrc.img"
patch "$work/hcrc.img" 81 ff
expect_refused "header checksum mismatch" EBADMSG \
	"header checksum mismatch" "$work/hcrc.img"
cp "$good" "$work/mcrc.img"
patch "$work/mcrc.img" $((65536 + 20)) 01
expect_refused "metadata block checksum mismatch" EBADMSG \
	"metadata block checksum mismatch" "$work/mcrc.img"
cp "$good" "$work/future.img"
patch "$work/future.img" 8 "$(printf '%02x000000' $((known + 1)))"
recrc "$work/future.img"
expect_refused "a version from the future" ENOTSUP \
	"format version $((known + 1)), this driver knows up to $known" \
	"$work/future.img"
logged() {
	dmesg | grep -q "$1"
}
tap_check "image: the kernel names both versions" \
	logged "format version $((known + 1)), this driver knows up to $known"
expect_refused "a directory" EINVAL "not a regular file" "$work" dir
expect_refused "a device node" EINVAL "not a regular file" /dev/null
expect_refused "a pipe" EINVAL "not a regular file" /dev/null pipe
# kload_raw MEDIA FLAGS FD: OPTSIM_IOC_LOAD with these fields; the errno.
kload_raw() {
	python3 - "$@" <<'PY'
import errno, fcntl, os, struct, sys
LOAD = 0x40000000 | (32 << 16) | (0xBD << 8) | 0x03
media, flags, fd = (int(a) for a in sys.argv[1:4])
d = os.open("/dev/optsim", os.O_RDONLY | os.O_NONBLOCK)
try:
    fcntl.ioctl(d, LOAD, struct.pack("<IIQIiQ", media, 0, 0, flags, fd, 0))
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}
tap_check "image: a load with the image flag and a media type: EINVAL" \
	test "$(kload_raw 1 1 0)" = EINVAL
tap_check "image: a load of descriptor -1: EBADF" \
	test "$(kload_raw 0 1 -1)" = EBADF
tap_check "image: unknown load flags: EINVAL" \
	test "$(kload_raw 1 2 0)" = EINVAL
names_it() {
	ctl load --image "$1" 2>&1 | grep -q "$2"
}
tap_check "image: optsimctl names the problem (truncated)" \
	names_it "$work/trunc.img" truncated
names_each() {
	names_it "$work/magic.img" "wrong magic" &&
		names_it "$work/hcrc.img" "header checksum mismatch" &&
		names_it "$work/mcrc.img" "metadata block checksum mismatch" &&
		names_it "$work/future.img" "version $((known + 1)) is newer than" &&
		names_it "$work" "Is a directory" &&
		names_it /dev/null "not a regular file"
}
tap_check "image: optsimctl names the others (magic, checksums, version, not a file)" \
	names_each

# Loaded already: in another drive, and in the same one.
tap_check "image: a second drive" "$OPTSIMCTL" create --index 1
tap_check "image: load the good image in drive 0" ctl load --image "$good"
expect_refused "already loaded in drive 0, into drive 1" EBUSY \
	"already loaded in a drive" "$good" w \
	/dev/optsim1
expect_refused "already loaded in drive 0, into drive 0" EBUSY \
	"already loaded in a drive" "$good"
tap_check "image: eject drive 0" ctl eject

# Read-only: loads read-only, refuses every change, the file unchanged.
sum=$(sha256sum <"$good")
unchanged() {
	ctl eject && [ "$(sha256sum <"$1")" = "$2" ]
}
tap_check "image: an image opened read-only loads" \
	test "$(kload "$good" r)" = ok
tap_check "image: info says read-only" test "$(info_get read_only)" = true
tap_check_fails "image: a write to the read-only image fails" \
	dd if="$work/data" of="$OPTSIM_DEV" bs=64k count=1 oflag=direct
tap_check_fails "image: erase of the read-only image fails" ctl erase
tap_check "image: eject; the read-only image is unchanged" \
	unchanged "$good" "$sum"

# A read-only mount: optsimctl opens the file read-only, the drive loads
# it read-only.
ro_mount() {
	mount -t tmpfs -o size=16m none "$small" && cp "$good" "$small/ro.img" &&
		mount -o remount,ro "$small" &&
		ctl load --image "$small/ro.img" 2>&1 | grep -q "read-only"
}
tap_check "image: a file on a read-only mount loads, read-only" ro_mount
tap_check "image: info says read-only" test "$(info_get read_only)" = true
tap_check "image: eject; the file on the read-only mount is unchanged" \
	unchanged "$small/ro.img" "$sum"
umount "$small"

# A full file system: the write fails, what was recorded stays.
full_fs() {
	mount -t tmpfs -o size=16m none "$small" &&
		ctl load --image "$small/full.img" --create --media bd-re \
			--layer-sectors 32768
}
recorded_stays() {
	dd if="$OPTSIM_DEV" of=/dev/null bs=64k count="$1" iflag=direct &&
		ctl eject && ctl load --image "$small/full.img" &&
		[ "$(info_get recorded_clusters)" = "$1" ]
}
tap_check "image: a 16 MiB tmpfs, a 64 MiB bd-re image on it" full_fs
dd if=/dev/urandom of="$OPTSIM_DEV" bs=1M count=40 oflag=direct \
	2>"$work/dd.err"
tap_check "image: writing 40 MiB fails: no space" grep -q \
	"No space left on device" "$work/dd.err"
tap_check "image: what was recorded reads back, then eject, load" \
	recorded_stays "$(info_get recorded_clusters)"
ctl eject
umount "$small"

# ---- a flush cut short: the journal ---------------------------------------------

# Flush 1 records 4 clusters (kept as jA.img), flush 2 six more. The crash
# images are flush 2's file with its commit record not applied and what
# was in place before it, as a crash at some point of flush 2 leaves them.
jimg=$work/j.img
journal_setup() {
	ctl load --image "$jimg" --create --media bd-re --layer-sectors 4096 &&
		write "$work/data" "$OPTSIM_DEV" count=4 && ctl eject &&
		cp "$jimg" "$work/jA.img" && ctl load --image "$jimg" &&
		write "$work/data" "$OPTSIM_DEV" skip=4 seek=4 count=6 &&
		ctl eject
}
# crash MODE OUT: torn-in-place (the journal whole, the header and a
# metadata block in place torn), torn-journal (the journal torn, the old
# metadata in place whole), both.
crash() {
	image_python "$1" "$jimg" "$work/jA.img" "$2" <<'PY'
import struct, sys
mode, b_path, a_path, out = sys.argv[1:5]
B = bytearray(open(b_path, "rb").read())
A = open(a_path, "rb").read()
hb = struct.unpack_from("<I", B, 12)[0]
C = 61440                      # OPTSIM_IMAGE_JOURNAL_COMMIT, 80 bytes
rec = bytearray(B[C:C + 80])
assert rec[:8] == b"OPTSIMJL"
rec[8:16] = bytes(8)           # crc 0, flags 0: not applied
rec[8:12] = struct.pack("<I", crc32c(rec))
B[C:C + 80] = rec
joff = struct.unpack_from("<Q", rec, 24)[0]
if mode in ("torn-in-place", "both"):
    B[0:hb // 2] = A[0:hb // 2]
    B[4096:4104] = b"\xff" * 8
    B[65536:65536 + 2048] = A[65536:65536 + 2048]
if mode == "torn-journal":
    B[0:hb] = A[0:hb]
    B[65536:65536 + 4096] = A[65536:65536 + 4096]
if mode in ("torn-journal", "both"):
    B[joff + 65536 + 100] ^= 0xff
open(out, "wb").write(B)
PY
}
recorded_is() {
	[ "$(info_get recorded_clusters)" = "$1" ]
}
head -c $((10 * 65536)) "$work/data" >"$work/c10"
tap_check "image: flush 1 records 4 clusters, flush 2 six more" journal_setup
tap_check "image: a crash in the middle of writing metadata in place" \
	crash torn-in-place "$work/c1.img"
tap_check "image: optsimctl image info replays its journal: 10 recorded" \
	image_json "$work/c1.img" 'v["recorded_clusters"] == [10]'
tap_check "image: it loads" test "$(kload "$work/c1.img")" = ok
tap_check "image: flush 2 replayed: 10 clusters recorded" recorded_is 10
tap_check "image: they read back" same_data "$OPTSIM_DEV" "$work/c10"
tap_check "image: the kernel says it replayed flush 2" \
	logged "replayed flush 2 from its journal"
tap_check "image: eject; the file is whole again, no journal to replay" \
	sh -c "$OPTSIMCTL eject && $OPTSIMCTL image info $work/c1.img"
tap_check "image: a crash in the middle of writing the journal" \
	crash torn-journal "$work/c2.img"
as_of_flush_1() {
	test "$(kload "$1")" = ok && recorded_is 4
}
tap_check "image: it loads as of flush 1: 4 clusters recorded" \
	as_of_flush_1 "$work/c2.img"
ctl eject
crash both "$work/c3.img"
expect_refused "the header in place and the journal both torn" EBADMSG \
	"checksum mismatch" \
	"$work/c3.img"

# ---- two drives, two images ---------------------------------------------------

head -c 1048576 /dev/urandom >"$work/d0"
head -c 1048576 /dev/urandom >"$work/d1"
two_drives() {
	"$OPTSIMCTL" -d /dev/optsim load --image "$work/i0.img" --create \
		--media bd-re --layer-sectors 4096 &&
		"$OPTSIMCTL" -d /dev/optsim1 load --image "$work/i1.img" \
			--create --media bd-re --layer-sectors 4096 &&
		write "$work/d0" /dev/optsim && write "$work/d1" /dev/optsim1 &&
		"$OPTSIMCTL" -d /dev/optsim eject &&
		"$OPTSIMCTL" -d /dev/optsim1 eject
}
swapped() {
	"$OPTSIMCTL" -d /dev/optsim load --image "$work/i1.img" &&
		"$OPTSIMCTL" -d /dev/optsim1 load --image "$work/i0.img" &&
		same_data /dev/optsim "$work/d1" &&
		same_data /dev/optsim1 "$work/d0" &&
		"$OPTSIMCTL" -d /dev/optsim eject &&
		"$OPTSIMCTL" -d /dev/optsim1 eject
}
tap_check "image: two drives, two images, different data" two_drives
tap_check "image: swapped between the drives, each reads back its data" \
	swapped
"$OPTSIMCTL" remove 1

# ---- netlink: load with an image descriptor ------------------------------------

# nlload ARGS...: nl_request.py's load or load-image; the errno name.
nlload() {
	python3 "$ksft_dir/nl_request.py" "$@" | cut -f1
}
nl_image_loads() {
	[ "$(nlload load-image 0 "$good" w)" = 0 ] &&
		[ "$(info_get image)" = true ] && ctl eject
}
tap_check "image: netlink load with image-fd loads the image" nl_image_loads
tap_check "image: netlink image-fd of a directory: EINVAL" \
	test "$(nlload load-image 0 "$work" dir)" = EINVAL
tap_check "image: netlink image-fd not open: EBADF" \
	test "$(nlload load-image 0 "$good" closed)" = EBADF
tap_check "image: netlink image-fd with a media type: EINVAL" \
	test "$(nlload load-image 0 "$good" media)" = EINVAL
nl_media_loads() {
	[ "$(nlload load 0 3)" = 0 ] && [ "$(info_get media)" = bd-re ] &&
		[ "$(info_get image)" = false ] && ctl eject
}
tap_check "image: netlink load of a blank bd-re in memory" nl_media_loads

# ---- fuzz -------------------------------------------------------------------

# image_fuzz (image_fuzz.c): four kinds of case, in turn: a header with a
# few bytes changed (its checksum then fails); a header, a metadata block
# or a journal commit record with fields changed and its checksum made
# right again, so the kernel's checks of every field are reached. Each is
# refused with EINVAL, EBADMSG or EOPNOTSUPP and leaves the file byte for
# byte as it was, or loads; a loaded one is read (a medium error is a read
# result) and ejected.
tap_check "image: $FUZZ mutated headers, metadata blocks and commit records: clean refusals" \
	"$ksft_dir/image_fuzz" "$good" "$FUZZ" 1 "$OPTSIM_DEV"
tap_diag "$(tail -n 1 "$tap_log")"

# ---- for the next boot ----------------------------------------------------------

if [ -n "${OPTSIM_OUT:-}" ] && [ -d "$OPTSIM_OUT" ]; then
	rm -f "$boot_img" "$boot_img.state"
	if ctl load --image "$boot_img" --create --media bd-r-dl \
		--layer-sectors 4096 &&
		dd if="$work/data" of="$OPTSIM_DEV" bs=64k count=16 \
		oflag=direct 2>/dev/null && sync; then
		image_state 16 >"$boot_img.state"
		ctl eject
	fi
fi

tap_done
