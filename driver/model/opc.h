/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Optimum power control: test a power ladder, keep the lowest jitter.
 */
#ifndef _OPTSIM_MODEL_OPC_H
#define _OPTSIM_MODEL_OPC_H

#include "shim.h"
#include "compile.h"
#include "rll.h"

/**
 * struct osm_opc_result - outcome of a power calibration
 * @power_uw: the power chosen: the centre of @window_lo_uw..@window_hi_uw,
 *	or the lowest jitter when no power is within the limit
 * @bias_uw: the bias power that test write had (osm_opc()); 0 for the
 *	default ratio
 * @jitter_q16: its jitter, fraction of T (Q16)
 * @steps: test writes made
 * @window_lo_uw: lowest power of the window within the layer's jitter
 *	limit (limits.c) around the optimum; 0 when there is none
 * @window_hi_uw: highest power of that window; 0 when there is none
 * @tune: the adaptive strategy tuned once for the setting and used at
 *	every power of the window (osm_compile_in.tune)
 * @current_ua: current-pulse recording (OSM_MODE_CURRENT): the current
 *	chosen, the centre of @window_lo_ua..@window_hi_ua, or the lowest
 *	jitter when none is within the limit; @power_uw and @bias_uw are
 *	then the setting's own. 0 in laser mode.
 * @window_lo_ua: lowest current of the window within the layer's jitter
 *	limit, written fresh and over itself; 0 when there is none
 * @window_hi_ua: highest current of that window; 0 when there is none
 */
struct osm_opc_result {
	u32 power_uw;
	u32 bias_uw;
	u32 jitter_q16;
	u32 steps;
	u32 window_lo_uw;
	u32 window_hi_uw;
	struct osm_tune tune;
	u32 current_ua;
	u32 window_lo_ua;
	u32 window_hi_ua;
};

int osm_opc(const struct osm_compile_in *in, const struct osm_rll_hist *test,
	    struct osm_table *scratch, void *work, struct osm_opc_result *res);
int osm_opc_disc(const struct osm_compile_in *in, const struct osm_tune *tune,
		 const struct osm_rll_hist *test, struct osm_table *scratch,
		 void *work, struct osm_opc_result *res);

#endif /* _OPTSIM_MODEL_OPC_H */
