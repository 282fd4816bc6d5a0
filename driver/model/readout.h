/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readout: the read spot scans the written marks; edges are where the
 * equalised signal crosses the slice level.
 */
#ifndef _OPTSIM_MODEL_READOUT_H
#define _OPTSIM_MODEL_READOUT_H

#include "shim.h"
#include "stack.h"

/* Largest read kernel half-width in steps of T/16. */
#define OSM_RD_MAX	512
/* Reach of the limit equaliser's outer taps, steps of T/16 (3T/2). */
#define OSM_RD_EQ_REACH	24

/**
 * struct osm_readout - read channel of one layer
 * @wr_nm: 1/e^2 radius of the equalised read spot along the track
 * @rr: kernel half-width in steps
 * @noise_q16: read noise relative to this layer's full mark signal (Q16)
 * @signal_q16: this layer's mark signal relative to the single-layer
 *	reference R = 17 %, contrast 0.6 (Q16)
 * @eq_k_q16: boost of the limit equaliser (Q16)
 * @lim_q16: its limit level relative to a long mark's signal (Q16)
 * @lsf: line spread function along the track, Q16, index d + rr
 */
struct osm_readout {
	u32 wr_nm;
	s32 rr;
	u32 noise_q16;
	u32 signal_q16;
	u32 eq_k_q16;
	u32 lim_q16;
	u32 lsf[2 * OSM_RD_MAX + 1];
};

/**
 * struct osm_rd_levels - decision levels of the read channel
 * @slice: slice level, Q16 of the full mark signal (half a long mark's)
 * @limit: limit level of the equaliser around the slice, Q16
 */
struct osm_rd_levels {
	s32 slice;
	s32 limit;
};

int osm_readout_setup(struct osm_readout *rd, const struct osm_stack *st,
		      u32 layer, u32 step_pm);
u32 osm_readout_width_q16(const struct osm_readout *rd, u32 width_nm);
u32 osm_spot_share_q16(u64 width_nm, u32 wr_nm);
s32 osm_readout_signal(const struct osm_readout *rd, const u32 *m, s32 npts,
		       s32 x);
s32 osm_readout_eq(const struct osm_readout *rd, const s32 *s, s32 n, s32 x,
		   const struct osm_rd_levels *lv);
int osm_readout_edge(const struct osm_readout *rd, const s32 *s, s32 n,
		     s32 lo, s32 hi, s32 x_nom, bool rising,
		     const struct osm_rd_levels *lv, s32 *pos_q8, u32 *slope_q16);

#endif /* _OPTSIM_MODEL_READOUT_H */
