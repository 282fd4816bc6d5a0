/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-point transcendental functions of the recording model: base-2
 * exponential and logarithm, exp(-x), erf and erfc, all from small constant
 * tables (no floating point: the same code runs in the kernel).
 */
#ifndef _OPTSIM_MODEL_FIXMATH_H
#define _OPTSIM_MODEL_FIXMATH_H

#include "shim.h"

#define OSM_Q16		65536U
#define OSM_Q16_ONE	65536U
/* log2(e) and ln(2) in Q16. */
#define OSM_LOG2E_Q16	94548U
#define OSM_LN2_Q16	45426U

u64 osm_exp2_q16(s32 x_q16);
u32 osm_expneg_q16(u32 x_q16);
s32 osm_log2_q16(u64 x);
u32 osm_erf_q16(u32 x_q16);
u32 osm_nlog2_erfc_q8(u32 x_q16);

#endif /* _OPTSIM_MODEL_FIXMATH_H */
