#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/vm/bench-vm.sh - run inside the test VM (make bench), all
# figures from one boot:
#
# - sequential 1 MiB O_DIRECT writes and reads of optsim (recording model
#   on), brd (the kernel's RAM disk) and null_blk (no data kept), the same
#   fio job on each;
# - the scaling of optsim's writes with 1, 2 and 4 fio jobs, each job a
#   synchronous writer (psync: one request at a time, so that one job is
#   one writer) on a region of its own of a blank BD-RE, and brd's with
#   the same jobs;
# - the same sequential write job, ending with a flush (end_fsync), onto
#   an image-backed BD-R DL whose image lies in $OPTSIM_OUT, the host
#   directory shared into the VM, against the medium in memory (issue 13:
#   at least 0.5);
# - what the VM's CPUs allow: the work two busy processes get done in a
#   time against one (the host's other load shows here).
#
# Each figure is the sum of two runs, and every optsim run starts on a
# blank medium. Absolute numbers under TCG mean little; the ratios are the
# figures to compare.
#
# Environment: OPTSIM_BENCH_MB, the size of the sequential jobs (default
# 256); OPTSIM_BENCH_JOB_MB, each scaling job's (64);
# OPTSIM_BENCH_ONLY=image, the image/memory comparison alone, in
# OPTSIM_BENCH_RUNS runs of each (default 2; with a larger size give the
# VM the memory, run-vm.sh -m, and the module OPTSIM_BENCH_MAX_MEM_MB, the
# max_mem_mb the memory side needs); OPTSIM_BENCH_IMAGE_MEDIA, the medium
# of that comparison (default bd-r-dl, as issue 13 asks);
# OPTSIM_BENCH_ONLY=read, the sequential reads of brd and optsim alone, in
# OPTSIM_BENCH_RUNS runs of each (see below).
set -eu

size_mb=${OPTSIM_BENCH_MB:-256}
only=${OPTSIM_BENCH_ONLY:-}
runs=${OPTSIM_BENCH_RUNS:-2}
img_media=${OPTSIM_BENCH_IMAGE_MEDIA:-bd-r-dl}
max_mem=${OPTSIM_BENCH_MAX_MEM_MB:-0}
job_mb=${OPTSIM_BENCH_JOB_MB:-64}
# 2048-byte sectors for the largest test, plus slack.
layer_sectors=$(( (size_mb > 4 * job_mb ? size_mb : 4 * job_mb) * 512 + 1024 ))

# fio_bw DEV RW NJOBS MB [IODEPTH]: aggregate bandwidth (KiB/s) of NJOBS
# sequential jobs of MB each, job k at offset k * MB, IODEPTH requests in
# flight each (default 4, libaio; 1 is a synchronous writer, psync).
fio_bw() {
	_field=48
	[ "$2" = read ] && _field=7
	_engine="--ioengine=libaio --iodepth=${5:-4}"
	[ "${5:-4}" = 1 ] && _engine=--ioengine=psync
	# shellcheck disable=SC2086
	fio --name=bench --filename="$1" --rw="$2" --bs=1M --direct=1 \
	    $_engine --size="$4M" --numjobs="$3" \
	    --offset_increment="$4M" --group_reporting \
	    --output-format=terse --terse-version=3 | cut -d';' -f"$_field"
}

optsim_load() {
	insmod driver/optsim.ko media=bd-re layer_sectors="$layer_sectors" \
		max_mem_mb="$max_mem"
}

# optsim_bw RW NJOBS MB [IODEPTH]: fio_bw on a blank medium (reads after
# a write).
optsim_bw() {
	_rw=$1
	shift
	optsim_load
	if [ "$_rw" = read ]; then
		fio_bw /dev/optsim write "$@" >/dev/null
	fi
	fio_bw /dev/optsim "$_rw" "$@"
	rmmod optsim
}

res=$(mktemp)

# busy_ms N: milliseconds N processes take for a fixed piece of work each.
busy_ms() {
	_t0=$(date +%s%N)
	_i=0
	while [ "$_i" -lt "$1" ]; do
		awk 'BEGIN { for (i = 0; i < 4000000; i++) s += i }' &
		_i=$((_i + 1))
	done
	wait
	echo $(( ($(date +%s%N) - _t0) / 1000000 ))
}

# flush_bw [IMAGE]: KiB/s of one sequential write job ending with a flush,
# onto a blank $img_media in memory, or kept in the new image file IMAGE.
flush_bw() {
	optsim_load
	$ctl eject
	if [ $# = 1 ]; then
		rm -f "$1"
		$ctl load --image "$1" --create --media "$img_media" \
			--layer-sectors "$layer_sectors"
	else
		$ctl load --media "$img_media" --layer-sectors "$layer_sectors"
	fi
	fio --name=bench --filename=/dev/optsim --rw=write --bs=1M --direct=1 \
	    --ioengine=libaio --iodepth=4 --size="${size_mb}M" --end_fsync=1 \
	    --output-format=terse --terse-version=3 | cut -d';' -f48
	$ctl eject
	rmmod optsim
	if [ $# = 1 ]; then
		rm -f "$1"
	fi
}
ctl=tools/optsimctl/optsimctl
img=${OPTSIM_OUT:-/tmp}/bench.img

# run KEY CMD...: the command's figure, recorded under KEY; runs add up.
run() {
	_key=$1
	shift
	echo "$_key $("$@")" >>"$res"
}

# OPTSIM_BENCH_ONLY=read: reads of brd and of optsim (one medium, written
# once), a run of each in turn; optsim's with its largest request and again
# cut to 512 KiB (max_sectors_kb). The runs' figures and their ratios.
if [ "$only" = read ]; then
	modprobe brd rd_nr=1 rd_size=$((layer_sectors * 2 + 1024))
	optsim_load
	q=/sys/block/optsim/queue/max_sectors_kb
	max_kb=$(cat "$q")
	echo "bench: max_sectors_kb: optsim $max_kb, brd $(cat /sys/block/ram0/queue/max_sectors_kb)"
	fio_bw /dev/ram0 write 1 "$size_mb" >/dev/null
	fio_bw /dev/optsim write 1 "$size_mb" >/dev/null
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		run brd_r fio_bw /dev/ram0 read 1 "$size_mb"
		echo "$max_kb" >"$q"
		run opt_r fio_bw /dev/optsim read 1 "$size_mb"
		echo 512 >"$q"
		run opt512_r fio_bw /dev/optsim read 1 "$size_mb"
		_i=$((_i + 1))
	done
	rmmod optsim
	rmmod brd
	awk -v mb="$size_mb" -v runs="$runs" '{ v[$1] += $2; r[$1, n[$1]++] = $2 }
	function med(a, k,  i, j, t, x) {
		for (i = 0; i < k; i++)
			x[i] = a[i]
		for (i = 1; i < k; i++)
			for (j = i; j > 0 && x[j - 1] > x[j]; j--) {
				t = x[j]; x[j] = x[j - 1]; x[j - 1] = t
			}
		return k % 2 ? x[(k - 1) / 2] : (x[k / 2 - 1] + x[k / 2]) / 2
	}
	END {
		for (i = 0; i < n["brd_r"]; i++) {
			a[i] = r["opt_r", i] / r["brd_r", i]
			b[i] = r["opt512_r", i] / r["brd_r", i]
		}
		printf "bench: sequential reads, %d MiB, bs=1M, iodepth=4, O_DIRECT, %d runs (KiB/s summed)\n", mb, runs
		printf "bench:   brd %d, optsim %d, optsim at 512 KiB %d\n", v["brd_r"], v["opt_r"], v["opt512_r"]
		printf "bench: optsim / brd: read %.3f (median of the runs %.3f); at 512 KiB %.3f (%.3f)\n", v["opt_r"] / v["brd_r"], med(a, runs), v["opt512_r"] / v["brd_r"], med(b, runs) }' "$res"
	rm -f "$res"
	exit 0
fi

if [ "$only" = image ]; then
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		run mem_f flush_bw
		run img_f flush_bw "$img"
		_i=$((_i + 1))
	done
	awk -v mb="$size_mb" -v runs="$runs" -v media="$img_media" '{ v[$1] += $2 }
	END { printf "bench: image-backed (image on the shared host directory) vs memory-backed %s, %d MiB, end_fsync (KiB/s, %d runs summed)\n", media, mb, runs
		printf "bench:   memory %d, image %d\n", v["mem_f"], v["img_f"]
		printf "bench: image / memory = %.3f (target >= 0.5)\n", v["img_f"] / v["mem_f"] }' "$res"
	rm -f "$res"
	exit 0
fi

modprobe brd rd_nr=1 rd_size=$((layer_sectors * 2 + 1024))
have_null=0
if modprobe null_blk nr_devices=1 queue_mode=2 submit_queues=2 2>/dev/null; then
	have_null=1
fi

# Two passes, the order interleaved against drifts of the host.
for _ in 1 2; do
	# One device against the others: sequential write and read.
	run brd_w fio_bw /dev/ram0 write 1 "$size_mb"
	run brd_r fio_bw /dev/ram0 read 1 "$size_mb"
	run opt_w optsim_bw write 1 "$size_mb"
	run opt_r optsim_bw read 1 "$size_mb"
	if [ $have_null = 1 ]; then
		run null_w fio_bw /dev/nullb0 write 1 "$size_mb"
		run null_r fio_bw /dev/nullb0 read 1 "$size_mb"
	fi
	run mem_f flush_bw
	run img_f flush_bw "$img"
	run cpu_1 busy_ms 1
	run cpu_2 busy_ms 2
	# Scaling with jobs.
	for n in 1 2 4; do
		run "opt_j$n" optsim_bw write "$n" "$job_mb" 1
		run "brd_j$n" fio_bw /dev/ram0 write "$n" "$job_mb" 1
	done
done
optsim_load
hwq=$(find /sys/block/optsim/mq -mindepth 1 -maxdepth 1 | wc -l)
sched=$(cat /sys/block/optsim/queue/scheduler)
rmmod optsim
if [ $have_null = 1 ]; then
	rmmod null_blk
fi
rmmod brd

echo "bench: $(nproc) CPUs; optsim: $hwq hardware queues, scheduler $sched"
awk -v mb="$size_mb" -v jmb="$job_mb" -v media="$img_media" '
{ v[$1] += $2 }
END {
	printf "bench: sequential, %d MiB, bs=1M, iodepth=4, O_DIRECT (KiB/s, two runs summed)\n", mb
	printf "bench:   %-9s %10s %10s\n", "device", "write", "read"
	printf "bench:   %-9s %10d %10d\n", "brd", v["brd_w"], v["brd_r"]
	if (v["null_w"] > 0)
		printf "bench:   %-9s %10d %10d\n", "null_blk", v["null_w"], v["null_r"]
	printf "bench:   %-9s %10d %10d (recording model on)\n", "optsim", v["opt_w"], v["opt_r"]
	printf "bench: optsim / brd: write %.3f, read %.3f\n", v["opt_w"] / v["brd_w"], v["opt_r"] / v["brd_r"]
	if (v["null_w"] > 0)
		printf "bench: optsim / null_blk: write %.3f, read %.3f\n", v["opt_w"] / v["null_w"], v["opt_r"] / v["null_r"]
	printf "bench: image-backed (image on the shared host directory) vs memory-backed %s, %d MiB, end_fsync (KiB/s, two runs summed)\n", media, mb
	printf "bench:   memory %d, image %d\n", v["mem_f"], v["img_f"]
	printf "bench: image / memory = %.3f (target >= 0.5)\n", v["img_f"] / v["mem_f"]
	printf "bench: write scaling, synchronous writers (psync), %d MiB each, each a region of its own (KiB/s, two runs summed)\n", jmb
	printf "bench:   %-4s %10s %6s %10s %6s\n", "jobs", "optsim", "x1", "brd", "x1"
	for (n = 1; n <= 4; n *= 2)
		printf "bench:   %-4d %10d %6.2f %10d %6.2f\n", n, v["opt_j" n], v["opt_j" n] / v["opt_j1"], v["brd_j" n], v["brd_j" n] / v["brd_j1"]
	printf "bench: optsim, two writers / one writer = %.2f (target >= 1.6)\n", v["opt_j2"] / v["opt_j1"]
	printf "bench: CPUs of the VM: two busy processes do %.2f times the work of one in a time\n", 2 * v["cpu_1"] / v["cpu_2"]
}' "$res"
rm -f "$res"
