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
 * @power_uw: power with the lowest jitter
 * @bias_uw: the bias power that test write had (osm_opc()); 0 for the
 *	default ratio
 * @jitter_q16: that jitter, fraction of T (Q16)
 * @steps: test writes made
 */
struct osm_opc_result {
	u32 power_uw;
	u32 bias_uw;
	u32 jitter_q16;
	u32 steps;
};

int osm_opc(const struct osm_compile_in *in, const struct osm_rll_hist *test,
	    struct osm_table *scratch, void *work, struct osm_opc_result *res);

#endif /* _OPTSIM_MODEL_OPC_H */
