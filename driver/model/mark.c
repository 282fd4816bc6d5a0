// SPDX-License-Identifier: GPL-2.0
/*
 * Mark formation from the temperature history (Documentation/model.rst).
 *
 * Write-once Si/Cu: non-isothermal JMAK, u = sum k(T) dt with
 * k(T) = k_r 2^((Ea/kB ln 2)(1/T_r - 1/T)) and k_r = 1/(10 ns) at the
 * reaction temperature T_r; mixed share X = 1 - exp(-u^n). The mark is
 * where X >= 1/2. Irreversible: nothing undoes it.
 *
 * Phase change: a point that reached Tm is molten. After its last melt it
 * recrystallises while it cools through [Tx, Tm):
 *  - nucleation-driven (Ge-Sb-Te): JMAK progress u with a rate that is
 *    Arrhenius below the nose temperature T_n = Tm - (Tm - Tx)/5 and falls
 *    linearly to 0 at Tm; u = 1 at T_n takes the complete-erase time. The
 *    point stays amorphous in the share exp(-u^n).
 *  - growth-driven (Sb-Te-M1): the crystalline rim grows inwards by
 *    sum v_g(T) dt, v_g of the same shape peaking at v_max at T_n; a point
 *    stays amorphous when it lies deeper in the molten zone than that.
 * Cooling too slowly (low velocity, hot stack) therefore trims or erases
 * the new mark; a point held above Tx without melting crystallises, which
 * is how the erase level removes old marks.
 *
 * Cross-track width: the temperature at distance y from the track centre
 * is Tf exp(-2y^2/wf^2) + Ts exp(-2y^2/ws^2); the mark edge is where that
 * falls to Tm (phase change) or to the temperature at which the mixing
 * integral drops to u_half: 1/T_th = 1/T0 + ln(u0/u_half) kB/Ea.
 */
#include "mark.h"
#include "fixmath.h"

static u32 osm_kin_shape(const struct osm_kin *k, s32 t_abs, s32 tn_abs,
			 s32 tm_abs)
{
	if (t_abs >= tm_abs)
		return 0;
	if (t_abs <= tn_abs)
		return OSM_Q16;
	return (u32)osm_sdiv64((s64)(tm_abs - t_abs) << 16, tm_abs - tn_abs);
}

/**
 * osm_kin_setup() - rate tables of a layer for one time step
 * @k: kinetics to fill in
 * @l: the layer
 * @dt_ps: the time step
 */
void osm_kin_setup(struct osm_kin *k, const struct osm_layer_stack *l,
		   u32 dt_ps)
{
	/* Ea / (kB ln 2) in K: Ea[meV] * 11.605 / 0.6931 */
	s64 c = osm_sdiv64((s64)l->ea_mev * 16743, 1000);
	s32 tref, tm = 0, tn = 0, t;
	u64 base;	/* rate at the reference temperature, per step */

	k->kind = l->kinetics;
	k->avrami_q8 = l->avrami_q8;
	k->ea_k = l->ea_mev * 11605 / 1000;
	k->t_melt = (s32)l->t_melt_k << OSM_TQ;
	k->t_cryst = (s32)l->t_cryst_k << OSM_TQ;
	k->t_react = (s32)l->t_react_k << OSM_TQ;
	/* u_half = ln(2)^(1/n) = 2^(log2(ln 2)/n), log2(ln 2) = -0.52877 */
	k->u_half = (u32)(osm_exp2_q16(-(s32)(34653U * 256 / l->avrami_q8)) << 8);
	if (l->kinetics == OSM_KIN_MIXING) {
		tref = OSM_AMBIENT_K + (s32)l->t_react_k;
		base = osm_div64((u64)dt_ps << 24, 10000);
	} else {
		tm = OSM_AMBIENT_K + (s32)l->t_melt_k;
		tn = tm - (s32)(l->t_melt_k - l->t_cryst_k) / 5;
		tref = tn;
		if (l->kinetics == OSM_KIN_NUCLEATION)
			base = osm_div64((u64)dt_ps << 24, l->cryst_ps);
		else	/* mm/s * ps = 1e-3 pm, Q8 */
			base = osm_div64((u64)l->vg_max * dt_ps << 8, 1000);
	}
	for (t = 0; t < OSM_KIN_TMAX; t++) {
		s32 ta = OSM_AMBIENT_K + t;
		s64 e = osm_sdiv64(c * (ta - tref) * 65536, (s64)ta * tref);
		u64 r;

		if (l->kinetics != OSM_KIN_MIXING &&
		    (t < (s32)l->t_cryst_k || ta >= tm)) {
			k->rate[t] = 0;
			continue;
		}
		if (e < -(40LL << 16)) {
			k->rate[t] = 0;
			continue;
		}
		if (e > (20LL << 16))
			e = 20LL << 16;
		r = (base * osm_exp2_q16((s32)e)) >> 16;
		if (l->kinetics != OSM_KIN_MIXING)
			r = (r * osm_kin_shape(k, ta, tn, tm)) >> 16;
		k->rate[t] = r > 0xffffffffULL ? 0xffffffffU : (u32)r;
	}
}

/**
 * osm_mark_point() - integrate the kinetics over one point's history
 * @k: kinetics
 * @hist: temperature history (osm_thermal_point())
 * @pt: its summary
 * @mp: filled in (except @x_q16 and @width_nm, see osm_mark_row())
 */
void osm_mark_point(const struct osm_kin *k, const s32 *hist,
		    const struct osm_point *pt, struct osm_markpt *mp)
{
	u64 u = 0;
	u32 melted = 0;
	s32 i, t;

	mp->peak = pt->peak;
	mp->peak_f = pt->peak_f;
	mp->peak_s = pt->peak_s;
	/*
	 * the rate at each step; a melt (phase change only) restarts the
	 * integral, which for growth kinetics is the rim's advance
	 */
	for (i = 0; i < pt->len; i++) {
		t = hist[i];
		if (t >= k->t_melt && k->kind != OSM_KIN_MIXING) {
			melted = 1;
			u = 0;
			continue;
		}
		t >>= OSM_TQ;
		if (t >= 0)
			u += k->rate[t < OSM_KIN_TMAX ? t : OSM_KIN_TMAX - 1];
	}
	mp->melted = melted;
	mp->u = k->kind == OSM_KIN_GROWTH ? 0 : u;
	mp->grow = k->kind == OSM_KIN_GROWTH ? u : 0;
}

/* JMAK share 1 - exp(-u^n), Q16 */
static u32 osm_jmak_q16(u64 u_q24, u32 n_q8)
{
	s64 l2;

	if (!u_q24)
		return 0;
	l2 = (s64)osm_log2_q16(u_q24) - (24 << 16);	/* log2 u, Q16 */
	l2 = l2 * n_q8 >> 8;				/* log2 u^n */
	if (l2 > (20 << 16))
		return OSM_Q16;
	/* u^n in Q16, then 1 - exp(-u^n) */
	return OSM_Q16 - osm_expneg_q16((u32)osm_exp2_q16((s32)l2));
}

/* half-width (nm) where Tf e^(-2y^2/wf^2) + Ts e^(-2y^2/ws^2) = tth */
static u32 osm_mark_halfwidth(const struct osm_thermal *th, s32 tf, s32 ts,
			      s32 tth)
{
	u32 lo = 0, hi = 2 * th->ws_nm, it;
	u64 wf2 = (u64)th->wf_nm * th->wf_nm, ws2 = (u64)th->ws_nm * th->ws_nm;

	if (tf + ts <= tth)
		return 0;
	for (it = 0; it < 12; it++) {
		u32 y = (lo + hi) / 2;
		u64 y2 = (u64)y * y << 17;
		s64 t = ((s64)tf * osm_expneg_q16((u32)osm_div64(y2, wf2)) +
			 (s64)ts * osm_expneg_q16((u32)osm_div64(y2, ws2))) >> 16;

		if (t >= tth)
			lo = y;
		else
			hi = y;
	}
	return lo;
}

/**
 * osm_mark_row() - final mark share and width along a row of points
 * @k: kinetics
 * @th: thermal response (lateral radii)
 * @row: points, in track order, after osm_mark_point()
 * @n: their number
 * @stride_pm: distance between neighbouring points
 */
void osm_mark_row(const struct osm_kin *k, const struct osm_thermal *th,
		  struct osm_markpt *row, s32 n, u32 stride_pm)
{
	s32 i, j;

	for (i = 0; i < n; i++) {
		struct osm_markpt *p = &row[i];
		s32 tabs = p->peak + (OSM_AMBIENT_K << OSM_TQ), tth;
		u32 hw;

		p->x_q16 = 0;
		p->width_nm = 0;
		if (k->kind == OSM_KIN_MIXING) {
			s64 l, den;

			if (p->u <= k->u_half)
				continue;
			/* ln(u/u_half), Q16 */
			l = ((s64)osm_log2_q16(p->u) - osm_log2_q16(k->u_half)) *
			    OSM_LN2_Q16 >> 16;
			den = ((s64)k->ea_k << 16) + (s64)(tabs >> OSM_TQ) * l;
			tth = (s32)osm_sdiv64((s64)tabs * ((s64)k->ea_k << 16), den) -
			      (OSM_AMBIENT_K << OSM_TQ);
			hw = osm_mark_halfwidth(th, p->peak_f, p->peak_s, tth);
			p->width_nm = 2 * hw;
			p->x_q16 = osm_jmak_q16(p->u, k->avrami_q8);
			continue;
		}
		if (!p->melted)
			continue;
		hw = osm_mark_halfwidth(th, p->peak_f, p->peak_s, k->t_melt);
		if (k->kind == OSM_KIN_NUCLEATION) {
			p->x_q16 = OSM_Q16 - osm_jmak_q16(p->u, k->avrami_q8);
			p->width_nm = 2 * hw;
		} else {
			/* growth from the rim: distance to the molten zone edge */
			u32 grow_nm = (u32)osm_div64(p->grow >> 8, 1000);
			u64 dist = 0;

			for (j = 1; j < n; j++) {
				if ((i - j < 0 || !row[i - j].melted) ||
				    (i + j >= n || !row[i + j].melted))
					break;
			}
			dist = osm_div64((u64)j * stride_pm, 1000) - stride_pm / 2000;
			p->x_q16 = dist > grow_nm ? OSM_Q16 : 0;
			p->width_nm = hw > grow_nm ? 2 * (hw - grow_nm) : 0;
			if (!p->width_nm)
				p->x_q16 = 0;
		}
	}
}

/**
 * osm_mark_erase_q16() - how much of an old mark the erase level removes
 * @k: kinetics
 * @mp: a point held at the erase (bias) level, after osm_mark_point()
 * @old_width_nm: width of the old marks
 *
 * Return: erased share in Q16 (phase change); 0 for write-once layers.
 */
u32 osm_mark_erase_q16(const struct osm_kin *k, const struct osm_markpt *mp,
		       u32 old_width_nm)
{
	u64 grow_nm;

	if (k->kind == OSM_KIN_MIXING || mp->melted)
		return mp->melted ? OSM_Q16 : 0;
	if (k->kind == OSM_KIN_NUCLEATION)
		return osm_jmak_q16(mp->u, k->avrami_q8);
	/* growth from the crystalline rim of an old mark, both sides */
	grow_nm = osm_div64(mp->grow >> 8, 1000);
	if (!old_width_nm || 2 * grow_nm >= old_width_nm)
		return OSM_Q16;
	return (u32)osm_div64(grow_nm << 17, old_width_nm);
}
