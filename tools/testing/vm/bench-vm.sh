#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/vm/bench-vm.sh - run inside the test VM (make bench):
# sequential write throughput of optsim, recording model on, as a ratio
# to brd (the kernel's RAM disk) measured in the same boot with the same
# fio job; and the same job onto an image-backed medium whose image lies in
# $OPTSIM_OUT, the host directory shared into the VM, as a ratio to the
# medium in memory (issue 13: at least 0.5). Absolute numbers under TCG
# mean little; the ratios are the figures to compare. OPTSIM_BENCH_MB sets
# the size written (default 256 MiB: 4 GB takes too long under TCG).
set -eu

size_mb=${OPTSIM_BENCH_MB:-256}
job() {
	fio --name=seqwrite --filename="$1" --rw=write --bs=1M --direct=1 \
	    --ioengine=libaio --iodepth=4 --size="${size_mb}M" \
	    --output-format=terse --terse-version=3 | cut -d';' -f48
}

modprobe brd rd_nr=1 rd_size=$((size_mb * 1024 + 1024))
# Enough blank space on L0 for the job; bd-re so the job can run twice.
insmod driver/optsim.ko media=bd-re layer_sectors=$((size_mb * 512 + 1024))

brd=$(job /dev/ram0)
optsim=$(job /dev/optsim)
brd2=$(job /dev/ram0)
optsim2=$(job /dev/optsim)

# The same job onto an image on the shared host directory; each job ends
# with a flush (end_fsync), the image's metadata too, memory alike.
fjob() {
	fio --name=seqwrite --filename=/dev/optsim --rw=write --bs=1M --direct=1 \
	    --ioengine=libaio --iodepth=4 --size="${size_mb}M" --end_fsync=1 \
	    --output-format=terse --terse-version=3 | cut -d';' -f48
}
img=${OPTSIM_OUT:-/tmp}/bench.img
rm -f "$img"
ctl=tools/optsimctl/optsimctl
mem=$(fjob)
$ctl eject
$ctl load --image "$img" --create --media bd-re \
	--layer-sectors $((size_mb * 512 + 1024))
image=$(fjob)
$ctl eject
$ctl load --media bd-re --layer-sectors $((size_mb * 512 + 1024))
mem2=$(fjob)
$ctl eject
$ctl load --image "$img"
image2=$(fjob)
$ctl eject
rm -f "$img"

rmmod optsim
rmmod brd
echo "bench: sequential write, ${size_mb} MiB, bs=1M, iodepth=4, O_DIRECT"
echo "bench: brd    ${brd} KiB/s, ${brd2} KiB/s"
echo "bench: optsim ${optsim} KiB/s, ${optsim2} KiB/s (recording model on)"
awk -v a="$optsim" -v b="$optsim2" -v c="$brd" -v d="$brd2" 'BEGIN {
	printf "bench: optsim / brd = %.3f\n", (a + b) / (c + d)
}'
echo "bench: image-backed (image on the shared host directory) vs memory-backed, ${size_mb} MiB, end_fsync"
echo "bench: memory ${mem} KiB/s, ${mem2} KiB/s"
echo "bench: image  ${image} KiB/s, ${image2} KiB/s"
awk -v a="$image" -v b="$image2" -v c="$mem" -v d="$mem2" 'BEGIN {
	printf "bench: image / memory = %.3f (target >= 0.5)\n", (a + b) / (c + d)
}'
