/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mark formation: what a temperature history leaves in the layer.
 */
#ifndef _OPTSIM_MODEL_MARK_H
#define _OPTSIM_MODEL_MARK_H

#include "shim.h"
#include "stack.h"
#include "thermal.h"

/* Rate tables cover rises of 0 .. OSM_KIN_TMAX - 1 kelvin. */
#define OSM_KIN_TMAX		1536

/**
 * struct osm_kin - kinetics of a layer at one time step
 * @kind: enum osm_kinetics
 * @rate: per step and kelvin of rise: mixing/nucleation JMAK progress u
 *	(Q24; u = 1 is X = 1 - 1/e), growth distance (pm, Q8)
 * @t_melt: melting rise (K, Q4); phase change only
 * @t_cryst: crystallisation onset rise (K, Q4)
 * @t_react: reaction rise (K, Q4); mixing only
 * @u_half: u at which X = 1/2 (Q24)
 * @avrami_q8: Avrami exponent
 * @ea_k: activation energy over Boltzmann's constant, K
 * @diel_scale_q16: mixing: the dielectric's crystallisation progress per
 *	unit of the mixing's (the ratio of their rates, the same at every
 *	temperature for one activation energy; Q16); 0: none
 * @diel_q16: the crystallised dielectric's modulation relative to the
 *	mixed film's (Q16)
 */
struct osm_kin {
	u32 kind;
	u32 rate[OSM_KIN_TMAX];
	s32 t_melt;
	s32 t_cryst;
	s32 t_react;
	u32 u_half;
	u32 avrami_q8;
	u32 ea_k;
	u32 diel_scale_q16;
	u32 diel_q16;
};

/**
 * struct osm_markpt - one point of the track after the write
 * @peak: peak temperature (K rise, Q4)
 * @peak_f: fast component at the peak (Q4)
 * @peak_s: slow component at the peak (Q4)
 * @melted: reached the melting point (phase change)
 * @u: mixing: JMAK progress over the whole history; phase change:
 *	crystallisation after the last melt, or over the whole history if
 *	never melted (Q24)
 * @grow: growth distance after the last melt, or over the whole history
 *	(pm, Q8)
 * @x_q16: share of the point that holds a mark (Q16)
 * @width_nm: cross-track width of the mark at this point
 * @melt_hw_nm: half-width of the molten zone at this point (growth
 *	kinetics, osm_mark_row())
 * @xd_q16: mixing: crystallised share of the dielectric next to the point
 *	(Q16)
 * @width_d_nm: mixing: cross-track width of that crystallised region
 */
struct osm_markpt {
	s32 peak;
	s32 peak_f;
	s32 peak_s;
	u32 melted;
	u64 u;
	u64 grow;
	u32 x_q16;
	u32 width_nm;
	u32 melt_hw_nm;
	u32 xd_q16;
	u32 width_d_nm;
};

void osm_kin_setup(struct osm_kin *k, const struct osm_layer_stack *l,
		   u32 dt_ps);
void osm_mark_point(const struct osm_kin *k, const s32 *hist,
		    const struct osm_point *pt, struct osm_markpt *mp);
void osm_mark_row(const struct osm_kin *k, const struct osm_thermal *th,
		  struct osm_markpt *row, s32 n, u32 stride_pm);
u32 osm_mark_erase_q16(const struct osm_kin *k, const struct osm_markpt *mp,
		       u32 old_width_nm);

#endif /* _OPTSIM_MODEL_MARK_H */
