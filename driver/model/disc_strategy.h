/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The write strategy a disc carries for each of its layers and speeds, as
 * the model's own OPC tunes it (Documentation/model.rst, "Disc strategy
 * tables").
 */
#ifndef _OPTSIM_MODEL_DISC_STRATEGY_H
#define _OPTSIM_MODEL_DISC_STRATEGY_H

#include "shim.h"
#include "stack.h"
#include "compile.h"

/* The speeds a disc carries tables for, multiples of 1x. */
#define OSM_DISC_SPEEDS		6
extern const u8 osm_disc_speed_x[OSM_DISC_SPEEDS];

/**
 * struct osm_disc_entry - a disc's strategy table for one layer, speed and
 *	strategy type
 * @preset: the medium (osm_stack_preset() name)
 * @layer: layer index (0 = L0)
 * @speed_x: the speed, multiples of 1x
 * @strategy: OSM_STRAT_SINGLE, _MULTI or _CASTLE
 * @power_uw: the recommended write power: the centre of OPC's window
 *	within the jitter limit, or its lowest jitter without one
 * @window_lo_uw: lowest power of that window, 0 when there is none
 * @window_hi_uw: its highest power, 0 when there is none
 * @tune: the adaptive strategy OPC tuned (osm_opc_result.tune)
 */
struct osm_disc_entry {
	const char *preset;
	u8 layer;
	u8 speed_x;
	u8 strategy;
	u32 power_uw;
	u32 window_lo_uw;
	u32 window_hi_uw;
	struct osm_tune tune;
};

u32 osm_disc_speed_class(u32 velocity_mms);
const struct osm_disc_entry *osm_disc_opc_start(const struct osm_compile_in *in);
const struct osm_disc_entry *osm_disc_strategy(const struct osm_stack *st,
					       u32 layer, u32 velocity_mms,
					       u32 strategy,
					       u32 channel_bit_pm);

#endif /* _OPTSIM_MODEL_DISC_STRATEGY_H */
