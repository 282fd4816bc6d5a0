/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Land/groove geometry: the phase of the neighbouring tracks' light and the
 * share of their marks' signal that reaches the reader (cross-talk).
 */
#ifndef _OPTSIM_MODEL_GROOVE_H
#define _OPTSIM_MODEL_GROOVE_H

#include "shim.h"

struct osm_stack;

u32 osm_groove_obliquity_q16(const struct osm_stack *st);
u32 osm_groove_xt_q16(const struct osm_stack *st, u32 wr_nm);

#endif /* _OPTSIM_MODEL_GROOVE_H */
