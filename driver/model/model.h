/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording model's API: what the kernel write path and
 * `optsimctl simulate` call.
 *
 *	osm_model_compile()	a layer's write setting -> table (per SET_PARAMS)
 *	osm_model_cluster()	table + cluster data -> quality record (per write)
 *
 * Nothing keeps global state; memory comes from the shim or the caller.
 * osm_model_compile() takes ~40-50 ms of one core and is the only heavy
 * call; osm_model_opc() runs ~75 compiles, osm_model_opc_disc() 27.
 *	osm_model_opc()		power ladder -> optimum power
 *	osm_model_opc_drive()	the drive's OPC: from the disc's strategy table
 *				(osm_model_opc_disc()) or a search
 *	osm_model_simulate()	the whole chain for one setting, in one call
 */
#ifndef _OPTSIM_MODEL_MODEL_H
#define _OPTSIM_MODEL_MODEL_H

#include "shim.h"
#include "stack.h"
#include "strategy.h"
#include "compile.h"
#include "quality.h"
#include "opc.h"
#include "rll.h"
#include "joule.h"
#include "disc_strategy.h"

/**
 * struct osm_sim_params - one simulated write setting
 * @stack: the medium (osm_stack_preset(), then optics as wanted)
 * @layer: layer index (0 = L0)
 * @velocity_mms: linear velocity
 * @strategy: OSM_STRAT_*
 * @write_uw: Pw; 0 for the power OPC would choose
 * @bias_uw: Ps/Pe; 0 for the default
 * @optimum_uw: the power OPC chooses for this setting, when already known
 *	(a sweep); 0 runs OPC to find it
 * @tune: with @optimum_uw, the strategy OPC tuned for the setting
 *	(osm_opc_result.tune); NULL tunes it at the write power itself
 * @cycles: overwrites before this write (rewritable media)
 * @clusters: clusters of random data to write (0 for 4)
 * @seed: seed of data and error draws
 * @mode: OSM_MODE_LASER or OSM_MODE_CURRENT
 * @current_ua: current mode: amorphizing current, 0 for the optimum
 */
struct osm_sim_params {
	const struct osm_stack *stack;
	u32 layer;
	u32 velocity_mms;
	u32 strategy;
	u32 write_uw;
	u32 bias_uw;
	u32 optimum_uw;
	const struct osm_tune *tune;
	u32 cycles;
	u32 clusters;
	u64 seed;
	u32 mode;
	u32 current_ua;
};

/**
 * struct osm_sim_result - what the simulated write gives
 * @jitter_cpct: jitter, 0.01 % of T
 * @power_uw: the power written with
 * @optimum_uw: the power OPC chooses
 * @peak_temp_c: peak temperature of a long mark, Celsius
 * @mark_width_nm: width of a long mark at its centre
 * @rear_width_nm: width of a long mark over its last T
 * @diel_width_nm: width of the dielectric a long mark crystallises next to
 *	it, at its centre (P1; 0 on the phase-change layers)
 * @diel_rear_nm: the same over its last T
 * @xtalk_q16: cross-talk jitter from the neighbouring tracks, fraction of
 *	T (Q16)
 * @ser_q32: byte error rate, fraction in Q32
 * @ldc_max: largest LDC count of the clusters
 * @bis_max: largest BIS count of the clusters
 * @readable: no cluster is uncorrectable
 * @strategy: strategy used (auto resolved)
 * @erase_cpct: share of old marks the erase level removes, 0.01 %
 * @unresolved: marks lost in the read signal, in the first cluster
 * @signal_cpct: readback signal relative to the single-layer reference
 * @window_lo_uw: lowest power of OPC's window within the jitter limit (0:
 *	none, or OPC not run)
 * @window_hi_uw: its highest power
 * @tune_uw: the power the strategy was tuned at (0: at the write power)
 * @joule: current mode: the pulses written with (Ia, ta, Ic, tc) and the
 *	optimum's window
 * @optimum_current_ua: current mode: the optimum Ia
 */
struct osm_sim_result {
	u32 jitter_cpct;
	u32 power_uw;
	u32 optimum_uw;
	u32 peak_temp_c;
	u32 mark_width_nm;
	u32 rear_width_nm;
	u32 diel_width_nm;
	u32 diel_rear_nm;
	u32 xtalk_q16;
	u32 ser_q32;
	u32 ldc_max;
	u32 bis_max;
	bool readable;
	u32 strategy;
	u32 erase_cpct;
	u32 unresolved;
	u32 signal_cpct;
	u32 window_lo_uw;
	u32 window_hi_uw;
	u32 tune_uw;
	struct osm_joule joule;
	u32 optimum_current_ua;
};

int osm_model_compile(const struct osm_compile_in *in, struct osm_table *out);
int osm_model_cluster(const struct osm_table *t, const u8 *data, size_t len,
		      u32 dow, u64 seed, struct osm_quality *rec,
		      struct osm_rll_hist *h);
int osm_model_opc(const struct osm_compile_in *in, struct osm_opc_result *res);
int osm_model_opc_disc(const struct osm_compile_in *in,
		       const struct osm_disc_entry *e,
		       struct osm_opc_result *res);
int osm_model_opc_drive(const struct osm_compile_in *in,
			struct osm_opc_result *res);
int osm_model_simulate(const struct osm_sim_params *p, struct osm_sim_result *r);

#endif /* _OPTSIM_MODEL_MODEL_H */
