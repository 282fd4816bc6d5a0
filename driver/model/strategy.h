/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write strategies: the laser power waveform that records a mark pattern.
 */
#ifndef _OPTSIM_MODEL_STRATEGY_H
#define _OPTSIM_MODEL_STRATEGY_H

#include "shim.h"
#include "stack.h"

/* Strategies: enum optsim_strategy of the uapi. */
#define OSM_STRAT_AUTO		OPTSIM_STRATEGY_AUTO
#define OSM_STRAT_SINGLE	OPTSIM_STRATEGY_SINGLE
#define OSM_STRAT_MULTI		OPTSIM_STRATEGY_MULTI
#define OSM_STRAT_CASTLE	OPTSIM_STRATEGY_CASTLE

/* Write-once media: the default bias (space) level is Pw / this. */
#define OSM_WO_BIAS_DIV		10

/* Velocity above which N-1 pulses no longer fit the laser (T < 2.5 ns). */
#define OSM_STRAT_MULTI_MAX_MMS	(6 * OSM_1X_MMS)

/**
 * struct osm_levels - power levels of a strategy, uW
 * @write: Pw, peak power
 * @bias: Ps (write-once: space/read level) or Pe (rewritable: erase level)
 * @bottom: Pb/Pc, between multi-pulses and in the cooling gap
 * @middle: Pm, the castle plateau
 * @delay: multi: delay of the whole N-1 train of a 3T or longer mark, units
 *	of T/32 (+ = later), found by the adaptive calibration (compile.c);
 *	0 before it
 */
struct osm_levels {
	u32 write;
	u32 bias;
	u32 bottom;
	u32 middle;
	s32 delay;
};

/**
 * struct osm_pattern - a mark with its neighbours, as written
 * @sp: preceding space length, T
 * @n: mark length, T
 * @sn: following space length, T
 * @mp: length of the mark before the preceding space, T
 * @mn: length of the mark after the following space, T
 * @lead: bias before the first mark, T
 * @tail: bias after the last mark, T
 * @ds: adaptive retiming of the first pulse of the marks mp, n, mn, T/32
 * @de: adaptive retiming of the last pulse of the marks mp, n, mn, T/32
 */
struct osm_pattern {
	u32 sp, n, sn, mp, mn, lead, tail;
	s32 ds[3], de[3];
};

u32 osm_strategy_resolve(const struct osm_stack *st, u32 layer, u32 strategy,
			 u32 velocity_mms);
void osm_strategy_levels(const struct osm_stack *st, u32 strategy,
			 u32 write_uw, u32 bias_uw, struct osm_levels *lv);
s32 osm_strategy_steps(const struct osm_pattern *p);
s32 osm_strategy_mark_start(const struct osm_pattern *p);
void osm_strategy_waveform(u32 strategy, const struct osm_levels *lv,
			   const struct osm_pattern *p, s32 *power);

#endif /* _OPTSIM_MODEL_STRATEGY_H */
