/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct-overwrite wear of a phase-change layer (Documentation/model.rst,
 * "Overwrite endurance"): the first overwrites replace the initialised
 * crystal with melt-recrystallised crystal (settling), and every melt-quench
 * cycle grows the voids at the film's interfaces by thermal fatigue.
 */
#ifndef _OPTSIM_MODEL_WEAR_H
#define _OPTSIM_MODEL_WEAR_H

#include "shim.h"
#include "stack.h"

/**
 * struct osm_wear - a layer's overwrite wear at one write setting, worked
 *	out when its table is compiled (osm_wear_setup())
 * @settle_q16: edge jitter of the half-initialised, half-recrystallised
 *	crystal (the worst mix, p = 1/2), fraction of T (Q16)
 * @void_log2_q16: log2 of the voids' edge jitter before any overwrite, in
 *	T/256 (Q16)
 * @void_double: overwrites over which the voids' edge jitter doubles (0:
 *	the voids do not grow)
 */
struct osm_wear {
	u32 settle_q16;
	s32 void_log2_q16;
	u32 void_double;
};

void osm_wear_setup(const struct osm_layer_stack *l, u32 peak_k,
		    u32 spot_nm, u32 channel_bit_pm, struct osm_wear *w);
u64 osm_wear_var(const struct osm_wear *w, u32 dow);

#endif /* _OPTSIM_MODEL_WEAR_H */
