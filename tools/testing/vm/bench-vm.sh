#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/vm/bench-vm.sh - run inside the test VM (make bench):
# sequential write throughput of optsim, recording model on, as a ratio
# to brd (the kernel's RAM disk) measured in the same boot with the same
# fio job. Absolute numbers under TCG mean little; the ratio is the
# figure to compare.
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

rmmod optsim
rmmod brd
echo "bench: sequential write, ${size_mb} MiB, bs=1M, iodepth=4, O_DIRECT"
echo "bench: brd    ${brd} KiB/s, ${brd2} KiB/s"
echo "bench: optsim ${optsim} KiB/s, ${optsim2} KiB/s (recording model on)"
awk -v a="$optsim" -v b="$optsim2" -v c="$brd" -v d="$brd2" 'BEGIN {
	printf "bench: optsim / brd = %.3f\n", (a + b) / (c + d)
}'
