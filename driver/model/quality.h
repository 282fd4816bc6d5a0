/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quality of a written cluster: jitter, symbol error rate, LDC/BIS error
 * counts under the BD ECC limits, kept as a compact per-cluster record.
 */
#ifndef _OPTSIM_MODEL_QUALITY_H
#define _OPTSIM_MODEL_QUALITY_H

#include "shim.h"
#include "compile.h"
#include "rll.h"

/* LDC: 304 codewords RS(248,216,33); BIS: 24 codewords RS(62,30,33). */
#define OSM_LDC_CODEWORDS	304
#define OSM_LDC_N		248
#define OSM_BIS_CODEWORDS	24
#define OSM_BIS_N		62
/* A codeword fails when 2 * errors + erasures exceeds this. */
#define OSM_ECC_LIMIT		32

/* Record flags. */
#define OSM_QF_UNCORRECTABLE	0x1
#define OSM_QF_UNRESOLVED	0x2	/* some marks are lost in the signal */
#define OSM_QF_BURST		0x4	/* a defect burst hit the cluster */

/**
 * struct osm_quality - per-cluster quality record (8 bytes: 0.012 % of a
 *	64 KiB cluster)
 * @jitter: jitter in 0.01 % of T
 * @ldc: LDC byte errors and erasures in the cluster (saturating)
 * @bis: BIS byte errors (saturating)
 * @ldc_worst: errors of the worst LDC codeword (2e + f, saturating)
 * @flags: OSM_QF_*
 */
struct osm_quality {
	u16 jitter;
	u16 ldc;
	u16 bis;
	u8 ldc_worst;
	u8 flags;
};

/**
 * struct osm_prng - splitmix64 generator, one per use: no global state
 * @s: state
 */
struct osm_prng {
	u64 s;
};

u64 osm_prng_next(struct osm_prng *r);
void osm_prng_fill(u8 *buf, size_t len, u64 seed);
u32 osm_quality_jitter(const struct osm_table *t, const struct osm_rll_hist *h,
		       u32 dow, u32 *unresolved);
u32 osm_quality_ser_q32(u32 jitter_q16, u32 unresolved, u32 bytes);
void osm_quality_errors(u32 ser_q32, u64 seed, struct osm_quality *q);

#endif /* _OPTSIM_MODEL_QUALITY_H */
