/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channel code: a d=1, k=7, rate-2/3 run-length-limited code with NRZI
 * recording, 2T-8T data runs, at most six consecutive 2T runs and a 9T
 * frame sync, as in BD's 17PP (but not its table: see rll.c).
 */
#ifndef _OPTSIM_MODEL_RLL_H
#define _OPTSIM_MODEL_RLL_H

#include "shim.h"

/* User bytes per recording frame (1240 data bits) and sync length. */
#define OSM_RLL_FRAME_BYTES	155
#define OSM_RLL_SYNC_BITS	30
/* Space classes of the histogram: 2T, 3T, 4T, >= 5T. */
#define OSM_RLL_SPACES		4
/* Mark classes: 2T .. 9T (9T only in the sync). */
#define OSM_RLL_MARKS		8
#define OSM_RLL_BINS		(OSM_RLL_SPACES * OSM_RLL_MARKS * OSM_RLL_SPACES)
/* Histograms counted into in turn, then summed (see rll.c). */
#define OSM_RLL_PARTS		4

/*
 * Scratch of the scalar osm_rll_histogram(), per frame: the run codes (at
 * most six a byte, three kept and a sync's six, two codes a byte) with
 * slack for 8-byte stores and loads.
 */
#define OSM_RLL_CODE_BYTES	((3 + 6 + 6 * (OSM_RLL_FRAME_BYTES + 1)) / 2 + 48)
/*
 * Scratch of the AVX2 osm_rll_histogram(), per frame: the channel bits of
 * the transitions, modulo 128, one a byte (at most six a byte and the
 * sync's six, five kept, one ending the stream), with slack for 8-byte
 * stores and the 32-byte loads of 8 pairs at a time; the pairs of marks
 * they complete (four runs a pair), with room for 8 at a time.
 */
#define OSM_RLL_RUN_BYTES	(6 * (OSM_RLL_FRAME_BYTES + 1) + 6 + 80)
#define OSM_RLL_FRAME_PAIRS	((6 * (OSM_RLL_FRAME_BYTES + 1) + 5) / 4 + 8)
/*
 * Pairs of consecutive marks: (space, mark, space, mark, space) classes,
 * 2 + 3 + 2 + 3 + 2 bits; the 16-bit counters take the pairs of
 * OSM_RLL_FOLD_FRAMES frames (at most 235 each) before they are added up.
 */
#define OSM_RLL_PAIRS		4096
#define OSM_RLL_FOLD_FRAMES	256

/* Code paths of osm_rll_histogram_path(). */
#define OSM_RLL_PATH_SCALAR	0
#define OSM_RLL_PATH_AVX2	1
#define OSM_RLL_PATHS		2

/**
 * struct osm_rll_hist - what the write path needs from the channel stream
 * @count: marks per (preceding space class, mark length - 2, following
 *	space class), flattened as [sp][n - 2][sn]
 * @marks: marks counted
 * @bits: channel bits of the stream
 * @part: scratch of the scalar osm_rll_histogram(): the histograms it
 *	counts into in turn and sums into @count
 * @codes: scratch: run codes of a frame, two a byte, first low
 * @pair: scratch of the AVX2 osm_rll_histogram(): counts of each pair of
 *	consecutive marks, into two tables in turn, added to @count every
 *	OSM_RLL_FOLD_FRAMES frames
 * @pidx: scratch: the pair (index into @pair) of each pair of marks of @runs
 * @runs: scratch: transitions of a frame, one a byte
 * @runs2: scratch: those of the second of two frames coded side by side,
 *	after room for the first one's last 8
 * @index: scratch: run-table index of each byte of two frames, and of
 *	up to 16 after the second (the index pass, 32 bytes at a time, stops
 *	at 160 a frame)
 *
 * The scratch keeps osm_rll_histogram()'s stack frame small: the kernel
 * write path calls it from deep in the block layer.
 */
struct osm_rll_hist {
	u32 count[OSM_RLL_BINS];
	u32 marks;
	u32 bits;
	union {
		struct {
			u32 part[OSM_RLL_PARTS][OSM_RLL_BINS];
			u8 codes[OSM_RLL_CODE_BYTES];
		};
		struct {
			u16 pair[2][OSM_RLL_PAIRS];
			u32 pidx[OSM_RLL_FRAME_PAIRS];
			u8 runs[OSM_RLL_RUN_BYTES];
			u8 runs2[8 + OSM_RLL_RUN_BYTES];
		};
	};
	u16 index[2 * OSM_RLL_FRAME_BYTES + 16];
};

/**
 * osm_rll_bin() - histogram index of a (space, mark, space) triple
 * @sp: preceding space class 0..3 (2T, 3T, 4T, >= 5T)
 * @n: mark length in T, 2..9
 * @sn: following space class 0..3
 *
 * Return: index into &struct osm_rll_hist.count.
 */
static inline u32 osm_rll_bin(u32 sp, u32 n, u32 sn)
{
	return (sp * OSM_RLL_MARKS + (n - 2)) * OSM_RLL_SPACES + sn;
}

size_t osm_rll_encoded_bits(size_t len);
size_t osm_rll_encode(const u8 *data, size_t len, u8 *out, size_t out_len);
int osm_rll_decode(const u8 *code, size_t nbits, u8 *data, size_t len);
void osm_rll_histogram(const u8 *data, size_t len, struct osm_rll_hist *h);
#ifndef __KERNEL__
int osm_rll_histogram_path(const u8 *data, size_t len, struct osm_rll_hist *h,
			   u32 path);
#endif

#endif /* _OPTSIM_MODEL_RLL_H */
