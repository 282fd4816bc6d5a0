/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thermal response of a recording layer to the moving laser spot: a
 * two-pole (fast film-to-sink, slow substrate/cover soak) Green's function
 * with Gaussian lateral profiles, run as Q16 IIR filters at T/16.
 */
#ifndef _OPTSIM_MODEL_THERMAL_H
#define _OPTSIM_MODEL_THERMAL_H

#include "shim.h"
#include "stack.h"

/* Sub-clock steps per channel bit T. */
#define OSM_SUB			16
/* Temperatures in the history buffers: kelvin rise above ambient, Q4. */
#define OSM_TQ			4
/* Largest kernel half-widths, in steps. */
#define OSM_TH_MAX_RF		512
#define OSM_TH_MAX_RS		1024
/* Steps followed after the spot has passed a point. */
#define OSM_TH_TAIL		128

/*
 * Offsets of d = 0 in the kernels of &struct osm_thermal: a point's
 * history reaches rf (fast pole) or rs rounded to 4 steps (slow pole)
 * before it and rf + OSM_TH_TAIL after it. The kernels hold zeros where
 * they do not reach, so the history loops need no range checks.
 */
#define OSM_TH_CF_BASE(rf)	((rf) + OSM_TH_TAIL)
#define OSM_TH_CS_BASE(rf)	((rf) + OSM_TH_TAIL + 4)
#define OSM_TH_CS_LEN		(OSM_TH_MAX_RS + OSM_TH_CS_BASE(OSM_TH_MAX_RF) + 4)

/**
 * struct osm_thermal - per-layer, per-velocity thermal response
 * @dt_ps: time step (T/16)
 * @step_pm: distance the medium moves per step (L_ch/16)
 * @wf_nm: lateral 1/e^2 radius of the fast component (spot + diffusion
 *	during the fast time constant)
 * @ws_nm: lateral radius of the slow component
 * @tau_f_ps: fast time constant C/G
 * @a_f: fast pole exp(-dt/tau_f), Q16
 * @a_s4: slow pole over 4 steps, exp(-4 dt/tau_s), Q16
 * @a_l: laser rise/fall pole exp(-dt/0.35 ns), Q16
 * @rf: fast kernel half-width in steps (2 wf)
 * @rs: slow kernel half-width in steps (2 ws)
 * @cf: fast deposit per uW and step at distance d, K Q20, index
 *	d + OSM_TH_CF_BASE(rf); zero outside |d| <= rf
 * @cs: slow deposit per uW over 4 steps, K Q20, index d + OSM_TH_CS_BASE(rf);
 *	zero outside |d| <= rs
 */
struct osm_thermal {
	u32 dt_ps;
	u32 step_pm;
	u32 wf_nm;
	u32 ws_nm;
	u32 tau_f_ps;
	u32 a_f;
	u32 a_s4;
	u32 a_l;
	s32 rf;
	s32 rs;
	s64 cf[2 * OSM_TH_MAX_RF + OSM_TH_TAIL + 1];
	s64 cs[OSM_TH_CS_LEN];
};

/**
 * struct osm_point - temperature history of one point of the track
 * @t0: first step held in the history
 * @len: steps held
 * @peak: highest temperature (K rise, Q4)
 * @peak_f: fast component at the peak (K rise, Q4)
 * @peak_s: slow component at the peak (K rise, Q4)
 */
struct osm_point {
	s32 t0;
	s32 len;
	s32 peak;
	s32 peak_f;
	s32 peak_s;
};

int osm_thermal_setup(struct osm_thermal *th, const struct osm_stack *st,
		      u32 layer, u32 velocity_mms, u32 channel_bit_pm);
void osm_thermal_laser(const struct osm_thermal *th, s32 *power, s32 n);
void osm_thermal_point(const struct osm_thermal *th, const s32 *power, s32 n,
		       s32 x, s32 *hist, s32 *sbuf, struct osm_point *pt);
void osm_thermal_pair(const struct osm_thermal *th, const s32 *power, s32 n,
		      s32 x, s32 *hist[2], s32 *sbuf[2], struct osm_point pt[2]);
u32 osm_thermal_gain_mk(const struct osm_thermal *th);

#endif /* _OPTSIM_MODEL_THERMAL_H */
