/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table compile: run the thermal, kinetic and readout models over every
 * (preceding space, mark, following space) pattern of a layer's write
 * setting, once, so that the write path only looks results up.
 */
#ifndef _OPTSIM_MODEL_COMPILE_H
#define _OPTSIM_MODEL_COMPILE_H

#include "shim.h"
#include "stack.h"
#include "rll.h"
#include "wear.h"

/* Write powers the model accepts (those of the uapi), uW. */
#define OSM_POWER_MIN_UW	100
#define OSM_POWER_MAX_UW	50000

/**
 * osm_power_valid() - a write power the model accepts
 * @uw: the power, uW
 *
 * Return: true when it is in [OSM_POWER_MIN_UW, OSM_POWER_MAX_UW].
 */
static inline bool osm_power_valid(u32 uw)
{
	return uw >= OSM_POWER_MIN_UW && uw <= OSM_POWER_MAX_UW;
}

/* Entry flags. */
#define OSM_E_UNRESOLVED	0x1	/* an edge is lost in the read signal */
#define OSM_E_NOMARK		0x2	/* no mark formed */
#define OSM_E_SPLIT		0x4	/* the read signal splits the mark */
#define OSM_E_HOLLOW		0x8	/* the written mark has a hole of >= 2T */
/* Entries whose mark the reader decodes as another run sequence. */
#define OSM_E_SYMBOL_ERROR	(OSM_E_UNRESOLVED | OSM_E_NOMARK | \
				 OSM_E_SPLIT | OSM_E_HOLLOW)

/**
 * struct osm_entry - one (preceding space, mark, following space) pattern
 * @lead: leading-edge shift of the read mark, T/256 (+ = later)
 * @trail: trailing-edge shift, T/256
 * @var: noise-induced edge variance, mean of both edges, (T/256)^2
 * @width_nm: mark width at its centre
 * @rear_nm: mark width over its last T (teardrop when > @width_nm)
 * @flags: OSM_E_*
 */
struct osm_entry {
	s16 lead;
	s16 trail;
	u32 var;
	u16 width_nm;
	u16 rear_nm;
	u32 flags;
};

/**
 * struct osm_tune - the adaptive write strategy of a medium, layer and
 *	speed, tuned once (as a disc carries its strategy tables) and then
 *	used at every power
 * @dtop: first-pulse shift per (mark class 2T, 3T, 4T, >= 5T) x
 *	(preceding space class), T/32 (+ = later)
 * @dlast: last-pulse end shift per (mark class) x (following space class)
 * @delay: multi: delay of the N-1 train of 3T and longer marks, T/32
 * @middle_q16: castle: the plateau Pm as a share of Pw (Q16)
 * @eps_q16: rewritable: the erase level Pe as a share of Pw (Q16; 0 where
 *	the setting names its own bias)
 * @tune_uw: the write power it was tuned at
 */
struct osm_tune {
	s8 dtop[4][4];
	s8 dlast[4][4];
	s32 delay;
	u32 middle_q16;
	u32 eps_q16;
	u32 tune_uw;
};

/**
 * struct osm_compile_in - a layer's write setting
 * @stack: the medium
 * @layer: layer index (0 = L0)
 * @velocity_mms: linear velocity
 * @strategy: OSM_STRAT_* (auto resolved here)
 * @write_uw: Pw
 * @bias_uw: Ps/Pe, 0 for the default
 * @channel_bit_pm: channel bit (74,500 pm at 25 GB)
 * @tune: the strategy tuned for this medium, layer, speed and strategy
 *	(osm_opc()), used as it is; NULL: tuned at @write_uw itself
 * @mode: OSM_MODE_* (joule.h): laser, or current pulses (joule.c)
 * @current_ua: current mode: amorphizing current, 0 for the optimum
 */
struct osm_compile_in {
	const struct osm_stack *stack;
	u32 layer;
	u32 velocity_mms;
	u32 strategy;
	u32 write_uw;
	u32 bias_uw;
	u32 channel_bit_pm;
	const struct osm_tune *tune;
	u32 mode;
	u32 current_ua;
};

/**
 * struct osm_table - compiled model of a layer at one write setting
 * @entry: per pattern, indexed like &struct osm_rll_hist.count
 * @strategy: strategy actually used
 * @write_uw: Pw
 * @bias_uw: Ps/Pe
 * @velocity_mms: velocity
 * @layer: layer
 * @rewritable: phase-change layer
 * @peak_temp_k: peak temperature rise of an 8T mark, K
 * @width_nm: width of an 8T mark at its centre
 * @rear_nm: width of an 8T mark over its last T
 * @diel_width_nm: width of the dielectric an 8T mark crystallises next to
 *	it, at the mark's centre (write-once layers with P1's dielectric)
 * @diel_rear_nm: the same over the mark's last T
 * @erase_q16: share of an old mark the erase level removes (phase change)
 * @xtalk_q16: cross-talk jitter from the neighbouring tracks, fraction
 *	of T (Q16)
 * @noise_q16: jitter floor of the layer, fraction of T (Q16)
 * @wear: rewritable: the layer's overwrite wear at this setting (wear.c)
 * @signal_q16: readback signal relative to the single-layer reference
 * @spot_nm: write spot radius
 * @tau_f_ps: fast thermal time constant
 * @gain_mk: stationary peak rise of the fast pole, mK/mW
 * @tune: the adaptive strategy the table was compiled with: tuned at this
 *	power, or the one given (osm_compile_in.tune)
 * @hollow: the longest marks (8T between long spaces) do not read back as
 *	one mark: a hole, a split, or lost (OSM_E_SYMBOL_ERROR)
 */
struct osm_table {
	struct osm_entry entry[OSM_RLL_BINS];
	u32 strategy;
	u32 write_uw;
	u32 bias_uw;
	u32 velocity_mms;
	u32 layer;
	u32 rewritable;
	u32 peak_temp_k;
	u32 width_nm;
	u32 rear_nm;
	u32 diel_width_nm;
	u32 diel_rear_nm;
	u32 erase_q16;
	u32 xtalk_q16;
	u32 noise_q16;
	struct osm_wear wear;
	u32 signal_q16;
	u32 spot_nm;
	u32 tau_f_ps;
	u32 gain_mk;
	struct osm_tune tune;
	u32 hollow;
};

size_t osm_compile_workspace_size(void);
int osm_compile(const struct osm_compile_in *in, struct osm_table *out,
		void *work);

#endif /* _OPTSIM_MODEL_COMPILE_H */
