// SPDX-License-Identifier: GPL-2.0
/*
 * Disc strategy tables (Documentation/model.rst): a recordable BD carries,
 * per layer and speed, the write strategy its maker tuned and the power it
 * recommends, and a drive writes with them until its own OPC tunes better
 * ones. The model's tables are what its OPC (osm_opc()) finds for each
 * preset medium the drive emulates, each layer, each speed of
 * osm_disc_speed_x[] and each strategy type that records there; the tuning
 * of the adaptive strategy, a search over some 45 compiles, is too slow to
 * run whenever a setting changes. scripts/gen.sh writes them
 * (tools/testing/unit/disc_strategy_gen.c), and make unit checks that they
 * are what the model gives today.
 *
 * A velocity between two speeds uses the tables of the nearer one, by
 * ratio (3x takes 4x's: 3/2 > 4/3).
 */
#include "disc_strategy.h"
#include "strategy.h"
#include "geometry.h"
#include "joule.h"

const u8 osm_disc_speed_x[OSM_DISC_SPEEDS] = { 1, 2, 4, 6, 8, 12 };

#include "disc_strategy_tables.h"

/**
 * osm_disc_speed_class() - the speed whose tables a velocity uses
 * @velocity_mms: linear velocity
 *
 * Return: the speed of osm_disc_speed_x[] nearest to @velocity_mms by
 * ratio, multiples of 1x (ties go to the lower speed).
 */
u32 osm_disc_speed_class(u32 velocity_mms)
{
	u64 v2 = (u64)velocity_mms * velocity_mms;
	u32 i;

	for (i = 0; i + 1 < OSM_DISC_SPEEDS; i++) {
		/* above the geometric mean of this speed and the next? */
		u64 mid = (u64)osm_disc_speed_x[i] * osm_disc_speed_x[i + 1] *
			  OSM_1X_MMS * OSM_1X_MMS;

		if (v2 <= mid)
			break;
	}
	return osm_disc_speed_x[i];
}

/**
 * osm_disc_opc_start() - the disc table an OPC of a setting starts from
 * @in: the setting
 *
 * A drive's OPC starts from the strategy and power the disc carries for
 * the speed (osm_opc_disc()). Only a setting the table was made for
 * qualifies: a laser setting at exactly one of the disc's speeds, with
 * the default bias (none on rewritable media: the tuned erase level;
 * 0.1 Pw on write-once media, to the microwatt).
 *
 * Return: the table, or NULL (the OPC then searches, osm_opc()).
 */
const struct osm_disc_entry *osm_disc_opc_start(const struct osm_compile_in *in)
{
	const struct osm_disc_entry *e;
	u64 w10;

	if (in->mode != OSM_MODE_LASER || !in->stack)
		return NULL;
	e = osm_disc_strategy(in->stack, in->layer, in->velocity_mms,
			      in->strategy, in->channel_bit_pm);
	if (!e || e->speed_x * OSM_1X_MMS != in->velocity_mms)
		return NULL;
	if (in->stack->rewritable)
		return in->bias_uw ? NULL : e;
	/* Pw / OSM_WO_BIAS_DIV, to the microwatt */
	w10 = (u64)in->bias_uw * OSM_WO_BIAS_DIV;
	if (w10 + OSM_WO_BIAS_DIV < in->write_uw ||
	    w10 > (u64)in->write_uw + OSM_WO_BIAS_DIV)
		return NULL;
	return e;
}

/**
 * osm_disc_strategy() - the strategy table a disc carries for a setting
 * @st: the medium, a preset as it ships (a stack whose optics or films
 *	were changed has other tables: the caller runs OPC for those)
 * @layer: layer index (0 = L0)
 * @velocity_mms: linear velocity
 * @strategy: OSM_STRAT_*; auto is resolved at @velocity_mms first
 * @channel_bit_pm: the layer's channel bit; the tables are for the 25 GB
 *	density (OSM_GEO_REF_CHANNEL_BIT_PM)
 *
 * Return: the table of the speed nearest to @velocity_mms for the
 * strategy, or NULL when the disc has none (a medium the drive does not
 * emulate, another density, or a strategy that records nothing readable
 * at that speed).
 */
const struct osm_disc_entry *osm_disc_strategy(const struct osm_stack *st,
					       u32 layer, u32 velocity_mms,
					       u32 strategy, u32 channel_bit_pm)
{
	u32 speed = osm_disc_speed_class(velocity_mms), i;

	if (!st->name || channel_bit_pm != OSM_GEO_REF_CHANNEL_BIT_PM)
		return NULL;
	strategy = osm_strategy_resolve(st, layer, strategy, velocity_mms);
	for (i = 0; i < ARRAY_SIZE(osm_disc_entries); i++) {
		const struct osm_disc_entry *e = &osm_disc_entries[i];

		if (e->layer == layer && e->speed_x == speed &&
		    e->strategy == strategy && !strcmp(e->preset, st->name))
			return e;
	}
	return NULL;
}
