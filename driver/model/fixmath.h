/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-point transcendental functions of the recording model: base-2
 * exponential and logarithm, exp(-x), erf and erfc, all from small constant
 * tables, and sine and cosine from their series (no floating point: the same
 * code runs in the kernel).
 */
#ifndef _OPTSIM_MODEL_FIXMATH_H
#define _OPTSIM_MODEL_FIXMATH_H

#include "shim.h"

#define OSM_Q16		65536U
#define OSM_Q16_ONE	65536U
/* log2(e) and ln(2) in Q16. */
#define OSM_LOG2E_Q16	94548U
#define OSM_LN2_Q16	45426U
/* 2 pi, pi / 2 and pi / 4 in Q20 (radians); sqrt(2) in Q16. */
#define OSM_2PI_Q20	6588397LL
#define OSM_PI_2_Q20	1647099LL
#define OSM_PI_4_Q20	823550LL
#define OSM_SQRT2_Q16	92682U

u64 osm_exp2_q16(s32 x_q16);
u32 osm_expneg_q16(u32 x_q16);
s32 osm_log2_q16(u64 x);
u32 osm_erf_q16(u32 x_q16);
u32 osm_nlog2_erfc_q8(u32 x_q16);
void osm_sincos_q20(s64 a, s64 *s, s64 *c);

#endif /* _OPTSIM_MODEL_FIXMATH_H */
