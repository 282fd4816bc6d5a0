/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quality limits and rated speeds per media type and layer, each with its
 * source (Documentation/model.rst, "Limits").
 */
#ifndef _OPTSIM_MODEL_LIMITS_H
#define _OPTSIM_MODEL_LIMITS_H

#include "shim.h"

/* The equaliser a jitter limit assumes. */
#define OSM_EQ_LIMIT		0	/* Pioneer's limit equaliser (BD) */

/**
 * struct osm_limits - what a layer's recording must meet, and where from
 * @jitter_cpct: jitter limit, 0.01 % of T
 * @equaliser: OSM_EQ_*: the read equaliser the jitter limit assumes; the
 *	model's jitter is computed after the same one (readout.c)
 * @ser_ppm: random symbol error rate limit, parts per million
 * @ldc_max: LDC byte errors per cluster that the SER limit allows
 * @bis_max: BIS byte errors per cluster that the burst limit allows
 * @rated_x: highest rated recording speed of the layer, multiples of 1x
 * @jitter_source: where the jitter limit comes from (short citation of
 *	Documentation/model.rst, "Sources")
 * @ecc_source: where the SER, LDC and BIS limits come from
 * @rated_source: where the rated speed comes from
 */
struct osm_limits {
	u32 jitter_cpct;
	u32 equaliser;
	u32 ser_ppm;
	u32 ldc_max;
	u32 bis_max;
	u32 rated_x;
	const char *jitter_source;
	const char *ecc_source;
	const char *rated_source;
};

int osm_limits_get(u32 media, u32 layers, u32 layer, struct osm_limits *l);
const char *osm_limits_equaliser_name(u32 equaliser);

#endif /* _OPTSIM_MODEL_LIMITS_H */
