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
 * The dielectric next to a Si/Cu film crystallises in part where the mark
 * is hottest (P1): the same kinetics with the same activation energy from
 * a higher reference temperature, so its progress is the mixing's times a
 * constant, u_d = u 2^((Ea/kB ln 2)(1/T_d - 1/T_r)), and it holds a
 * crystallised share 1 - exp(-u_d^n) over a width found the same way. Its
 * reflectance change adds to the mark's.
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
	k->diel_scale_q16 = 0;
	k->diel_q16 = 0;
	if (l->kinetics == OSM_KIN_MIXING && l->t_diel_k) {
		s32 td = OSM_AMBIENT_K + (s32)l->t_diel_k;
		/* 2^(c (1/T_d - 1/T_r)), c = Ea/(kB ln 2): below 1 */
		s64 e = osm_sdiv64(c * (tref - td) * 65536, (s64)td * tref);

		k->diel_scale_q16 = (u32)osm_exp2_q16((s32)e);
		k->diel_q16 = l->diel_contrast_q16;
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

/*
 * Position of the molten zone's end beyond point @i (melted) towards
 * @dir (-1 or +1), in points from @i, Q16: where the peak temperature,
 * interpolated between @i and its unmelted neighbour, falls to Tm; half a
 * point at the end of the row.
 */
static s64 osm_mark_melt_end(const struct osm_kin *k,
			     const struct osm_markpt *row, s32 n, s32 i,
			     s32 dir)
{
	s32 j = i + dir, d;

	if (j < 0 || j >= n)
		return OSM_Q16 / 2;
	d = row[i].peak - row[j].peak;
	if (d <= 0)
		return OSM_Q16 / 2;
	return osm_sdiv64((s64)(row[i].peak - k->t_melt) << 16, d);
}

/*
 * Growth kinetics: the share of point @i's cell (one @stride_pm along the
 * track) that stays amorphous: the part farther from the crystalline rim
 * of the molten zone than the rim grew (@grow_pm). The rim is where the
 * zone ends along the track, interpolated between the points
 * (osm_mark_melt_end()), and its sides (@melt_hw_nm of the points near
 * @i): the distance is the shortest in the plane of the film, so a zone
 * whose ends move, or two molten pools that join over a narrow neck, give
 * a mark that follows the power continuously instead of in steps of a
 * whole point.
 */
static u32 osm_mark_rim_share(const struct osm_kin *k,
			      const struct osm_markpt *row, s32 n, s32 i,
			      u32 stride_pm, u64 grow_pm)
{
	s32 a = i, b = i, j, r;
	s64 da, db, dist;
	u64 d2, best;

	while (a > 0 && row[a - 1].melted)
		a--;
	while (b + 1 < n && row[b + 1].melted)
		b++;
	/* distance from @i to either end, points, Q16 */
	da = ((s64)(i - a) << 16) + osm_mark_melt_end(k, row, n, a, -1);
	db = ((s64)(b - i) << 16) + osm_mark_melt_end(k, row, n, b, 1);
	dist = da < db ? da : db;
	/* in pm, squared; then the sides of the points within reach */
	dist = osm_sdiv64(dist * stride_pm, OSM_Q16);
	best = (u64)dist * (u64)dist;
	r = (s32)osm_div64(grow_pm, stride_pm) + 1;
	for (j = i - r > a ? i - r : a; j <= i + r && j <= b; j++) {
		u64 y = (u64)row[j].melt_hw_nm * 1000;
		u64 x = (u64)(j > i ? j - i : i - j) * stride_pm;

		d2 = x * x + y * y;
		if (d2 < best)
			best = d2;
	}
	dist = (s64)int_sqrt64(best) + stride_pm / 2 - (s64)grow_pm;
	dist = osm_sdiv64(dist * OSM_Q16, stride_pm);
	return (u32)clamp(dist, 0LL, (s64)OSM_Q16);
}

/*
 * width (nm) of a point's region whose progress reaches u_half, for a
 * point of progress @u over its history: its edge is where the peak falls
 * to T_th, 1/T_th = 1/T_peak + ln(u/u_half) kB/Ea (the rate falls by e
 * per Ea/kB (1/T_th - 1/T_peak))
 */
static u32 osm_mark_mixed_width(const struct osm_kin *k,
				const struct osm_thermal *th,
				const struct osm_markpt *p, u64 u)
{
	s32 tabs = p->peak + (OSM_AMBIENT_K << OSM_TQ), tth;
	s64 l, den;

	/* ln(u/u_half), Q16 */
	l = ((s64)osm_log2_q16(u) - osm_log2_q16(k->u_half)) *
	    OSM_LN2_Q16 >> 16;
	den = ((s64)k->ea_k << 16) + (s64)(tabs >> OSM_TQ) * l;
	tth = (s32)osm_sdiv64((s64)tabs * ((s64)k->ea_k << 16), den) -
	      (OSM_AMBIENT_K << OSM_TQ);
	return 2 * osm_mark_halfwidth(th, p->peak_f, p->peak_s, tth);
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
	s32 i;

	/* growth: the molten zone's sides first, which the rim grows from */
	for (i = 0; i < n; i++)
		row[i].melt_hw_nm = k->kind == OSM_KIN_GROWTH && row[i].melted ?
			osm_mark_halfwidth(th, row[i].peak_f, row[i].peak_s,
					   k->t_melt) : 0;
	for (i = 0; i < n; i++) {
		struct osm_markpt *p = &row[i];
		u32 hw;

		p->x_q16 = 0;
		p->width_nm = 0;
		p->xd_q16 = 0;
		p->width_d_nm = 0;
		if (k->kind == OSM_KIN_MIXING) {
			u64 ud;

			if (p->u <= k->u_half)
				continue;
			p->width_nm = osm_mark_mixed_width(k, th, p, p->u);
			p->x_q16 = osm_jmak_q16(p->u, k->avrami_q8);
			/* u < 2^43 (rates < 2^32 over < 2^11 steps) */
			ud = p->u * k->diel_scale_q16 >> 16;
			if (ud <= k->u_half)
				continue;
			p->width_d_nm = osm_mark_mixed_width(k, th, p, ud);
			p->xd_q16 = osm_jmak_q16(ud, k->avrami_q8);
			continue;
		}
		if (!p->melted)
			continue;
		hw = osm_mark_halfwidth(th, p->peak_f, p->peak_s, k->t_melt);
		if (k->kind == OSM_KIN_NUCLEATION) {
			p->x_q16 = OSM_Q16 - osm_jmak_q16(p->u, k->avrami_q8);
			p->width_nm = 2 * hw;
		} else {
			u32 grow_nm = (u32)osm_div64(p->grow >> 8, 1000);

			p->x_q16 = osm_mark_rim_share(k, row, n, i, stride_pm,
						      p->grow >> 8);
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
 * A level that melts the film leaves the old mark molten. A growth-driven
 * film (Sb-Te-M1) recrystallises the molten stripe from its crystalline
 * rim as the slow DC level passes (erase by direct grain growth); a
 * nucleation-driven one (Ge-Sb-Te) keeps amorphous what does not nucleate
 * as it cools through [Tx, Tm) after its last melt (osm_mark_point()
 * restarts the integral there): for it a melt is not an erase by itself.
 *
 * Return: erased share in Q16 (phase change); 0 for write-once layers.
 */
u32 osm_mark_erase_q16(const struct osm_kin *k, const struct osm_markpt *mp,
		       u32 old_width_nm)
{
	u64 grow_nm;

	if (k->kind == OSM_KIN_MIXING)
		return 0;
	if (k->kind == OSM_KIN_GROWTH && mp->melted)
		return OSM_Q16;
	if (k->kind == OSM_KIN_NUCLEATION)
		return osm_jmak_q16(mp->u, k->avrami_q8);
	/* growth from the crystalline rim of an old mark, both sides */
	grow_nm = osm_div64(mp->grow >> 8, 1000);
	if (!old_width_nm || 2 * grow_nm >= old_width_nm)
		return OSM_Q16;
	return (u32)osm_div64(grow_nm << 17, old_width_nm);
}
