// SPDX-License-Identifier: GPL-2.0
/*
 * What-if runs of the model: another optics for a medium, and a whole
 * simulated write in one call (optsimctl simulate, the unit tests).
 *
 * Userspace only: the module never calls these, so driver/Kbuild does
 * not build this file.
 */
#include "model.h"
#include "geometry.h"

#define OSM_CLUSTER_BYTES	65536U

/**
 * osm_stack_set_optics() - change wavelength and NA
 * @st: the stack
 * @wavelength_nm: 0 keeps the current one
 * @na_milli: NA x 1000; 0 keeps the current one
 *
 * Return: 0, or -EINVAL (then @st is unchanged).
 */
int osm_stack_set_optics(struct osm_stack *st, u32 wavelength_nm, u32 na_milli)
{
	u32 wl = st->wavelength_nm, na = st->na_milli;
	int ret;

	if (wavelength_nm)
		st->wavelength_nm = wavelength_nm;
	if (na_milli)
		st->na_milli = na_milli;
	ret = osm_stack_optics(st);
	if (!ret)
		ret = osm_stack_validate(st);
	if (ret) {
		st->wavelength_nm = wl;
		st->na_milli = na;
		osm_stack_optics(st);
	}
	return ret;
}

/**
 * osm_model_simulate() - write random clusters with one setting
 * @p: the setting
 * @r: the outcome
 *
 * Return: 0, -EINVAL for an invalid setting, -ENOMEM.
 */
int osm_model_simulate(const struct osm_sim_params *p, struct osm_sim_result *r)
{
	struct osm_compile_in in = {
		.stack = p->stack, .layer = p->layer,
		.velocity_mms = p->velocity_mms, .strategy = p->strategy,
		.write_uw = p->write_uw, .bias_uw = p->bias_uw,
		.channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
		.mode = p->mode, .current_ua = p->current_ua,
	};
	struct osm_opc_result opc;
	struct osm_table *t;
	struct osm_rll_hist *h;
	u8 *buf;
	u32 c, n = p->clusters ? p->clusters : 4, u, j;
	int ret;

	if (!p->stack)
		return -EINVAL;
	t = osm_zalloc(sizeof(*t) + sizeof(*h) + OSM_CLUSTER_BYTES);
	if (!t)
		return -ENOMEM;
	h = (struct osm_rll_hist *)(t + 1);
	buf = (u8 *)(h + 1);
	osm_memset(&opc, 0, sizeof(opc));
	if (p->mode == OSM_MODE_CURRENT) {
		struct osm_joule_cell cell;

		/* scratch: the buffer below, unused until the compile */
		ret = osm_joule_optimum(p->stack, p->layer, &r->joule, t);
		if (ret)
			goto out;
		r->optimum_current_ua = r->joule.ia_ua;
		ret = osm_joule_pulses(p->stack, p->layer, p->current_ua,
				       &r->joule, &cell, t);
		if (ret)
			goto out;
		opc.power_uw = p->write_uw ? p->write_uw : OSM_POWER_MIN_UW;
	} else if (p->optimum_uw) {
		opc.power_uw = p->optimum_uw;
		in.tune = p->tune;
	} else {
		ret = osm_model_opc(&in, &opc);
		if (ret)
			goto out;
		in.tune = &opc.tune;
	}
	r->optimum_uw = opc.power_uw;
	r->window_lo_uw = opc.window_lo_uw;
	r->window_hi_uw = opc.window_hi_uw;
	r->tune_uw = in.tune ? in.tune->tune_uw : 0;
	in.write_uw = p->write_uw ? p->write_uw : opc.power_uw;
	ret = osm_model_compile(&in, t);
	if (ret)
		goto out;
	r->power_uw = in.write_uw;
	r->strategy = t->strategy;
	r->peak_temp_c = t->peak_temp_k + OSM_AMBIENT_K - 273;
	r->mark_width_nm = t->width_nm;
	r->rear_width_nm = t->rear_nm;
	r->diel_width_nm = t->diel_width_nm;
	r->diel_rear_nm = t->diel_rear_nm;
	r->xtalk_q16 = t->xtalk_q16;
	r->erase_cpct = (u32)(((u64)t->erase_q16 * 10000) >> 16);
	r->signal_cpct = (u32)(((u64)t->signal_q16 * 100) >> 16);
	r->ldc_max = 0;
	r->bis_max = 0;
	r->readable = true;
	for (c = 0; c < n; c++) {
		struct osm_quality q;

		osm_prng_fill(buf, OSM_CLUSTER_BYTES, p->seed + c);
		osm_model_cluster(t, buf, OSM_CLUSTER_BYTES, p->cycles,
				  p->seed ^ (0x5eedULL + c), &q, h);
		if (!c) {
			r->jitter_cpct = q.jitter;
			j = osm_quality_jitter(t, h, p->cycles, &u);
			r->ser_q32 = osm_quality_ser_q32(j, u, OSM_CLUSTER_BYTES);
			r->unresolved = u;
		}
		if (q.ldc > r->ldc_max)
			r->ldc_max = q.ldc;
		if (q.bis > r->bis_max)
			r->bis_max = q.bis;
		if (q.flags & OSM_QF_UNCORRECTABLE)
			r->readable = false;
	}
out:
	osm_free(t);
	return ret;
}
