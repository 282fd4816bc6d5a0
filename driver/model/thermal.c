// SPDX-License-Identifier: GPL-2.0
/*
 * Thermal model: the temperature of a point of the track under a moving
 * Gaussian spot whose power follows the write strategy.
 *
 * In the frame of the medium the spot advances one step (L_ch/16) per time
 * step (T/16) at every velocity, so a point x sees the spot at distance
 * d = x - t at step t. The response of the film is the Green's function
 *
 *	G(d, t) = g_f(d) a_f e^(-t/tau_f) + g_s(d) a_s e^(-t/tau_s)
 *
 * (physics.md 3.5): a fast pole, the film cooling into its heat sink with
 * tau_f = C/G (C areal heat capacity, G conductance to the reflector), and
 * a slow pole, heat soaked into the dielectric/cover that spreads laterally
 * (radius ws) and leaves with tau_s. The lateral profile of the fast pole
 * is the spot widened by diffusion during tau_f: wf^2 = w^2 + 8 D tau_f.
 * Each pole runs as a first-order IIR in Q16:
 *
 *	y[t] = a y[t-1] + (1 - a) K g(d) P[t]
 *
 * K = 2 A / (pi wf^2 G) is the steady rise of a stationary spot per unit
 * power, so at low velocity (dwell >> tau) the rise tends to the
 * stationary (Lax-like) limit and at high velocity to the adiabatic P/v
 * limit. The slow pole is stepped every 4 steps with the deposits summed.
 */
#include "thermal.h"
#include "fixmath.h"
#include "geometry.h"

/* Laser rise/fall time constant (Tr + Tf ~ 1.5 ns 10-90 %), ps. */
#define OSM_LASER_TAU_PS	350

static u32 osm_pole(u32 dt_ps, u32 tau_ps)
{
	return osm_expneg_q16((u32)osm_div64((u64)dt_ps << 16, tau_ps));
}

/**
 * osm_thermal_setup() - build the thermal response of a layer at a velocity
 * @th: response to fill in
 * @st: the medium
 * @layer: layer index (0 = L0)
 * @velocity_mms: linear velocity, mm/s
 * @channel_bit_pm: channel bit length, pm
 *
 * Return: 0, or -EINVAL when the kernels do not fit (spot far too large
 * for the channel bit).
 */
int osm_thermal_setup(struct osm_thermal *th, const struct osm_stack *st,
		      u32 layer, u32 velocity_mms, u32 channel_bit_pm)
{
	const struct osm_layer_stack *l = &st->layer[layer];
	u32 w = osm_stack_spot_nm(st), reach = osm_stack_reach_q16(st, layer);
	u64 wf2, k_q20, num, den;
	s32 d;

	if (!velocity_mms || !channel_bit_pm)
		return -22;
	/* T = L_ch / v: pm / (mm/s) = ns; T/16 in ps */
	th->dt_ps = (u32)osm_div64((u64)channel_bit_pm * 1000, (u64)velocity_mms * OSM_SUB);
	th->step_pm = channel_bit_pm / OSM_SUB;
	/* tau_f = C/G: (uJ/m^2K) / (MW/m^2K) = ps */
	th->tau_f_ps = l->heat_cap / l->sink_g;
	/* wf^2 = w^2 + 8 D tau (D nm^2/ns, tau ps) */
	wf2 = (u64)w * w + osm_div64((u64)8 * l->diffusivity * th->tau_f_ps, 1000);
	th->wf_nm = (u32)osm_isqrt64(wf2);
	th->ws_nm = th->wf_nm * l->slow_width_q8 >> 8;
	th->a_f = osm_pole(th->dt_ps, th->tau_f_ps);
	th->a_s4 = osm_pole(4 * th->dt_ps, l->slow_tau_ps);
	th->a_l = osm_pole(th->dt_ps, OSM_LASER_TAU_PS);
	th->rf = (s32)(2 * th->wf_nm * 1000 / th->step_pm);
	th->rs = (s32)(2 * th->ws_nm * 1000 / th->step_pm);
	if (th->rf > OSM_TH_MAX_RF || th->rs > OSM_TH_MAX_RS || th->rf < 2)
		return -22;
	/*
	 * K in K/uW, Q20: 2 A reach / (pi wf^2 G) with wf in nm and G in
	 * MW/(m^2 K) gives 1e6 * 2 A / (pi wf^2 G) K/uW; pi ~ 355/113.
	 */
	num = (u64)l->absorb_q16 * reach >> 16;		/* Q16 */
	num = num * 2000000ULL * 113;			/* x 1e6 x 2 x 113 */
	den = (u64)355 * wf2 * l->sink_g;
	k_q20 = osm_div64(num << 4, den);		/* Q16 -> Q20 */
	for (d = -th->rf; d <= th->rf; d++) {
		u64 dd = (u64)((s64)d * d) * th->step_pm * th->step_pm;
		/* exp(-2 d^2 / wf^2), d in pm, wf in nm */
		u32 g = osm_expneg_q16((u32)osm_div64(osm_div64(dd << 17, 1000000), wf2));

		th->cf[d + th->rf] = (s64)((k_q20 * (OSM_Q16 - th->a_f) >> 16) * g >> 16);
	}
	for (d = -th->rs; d <= th->rs; d++) {
		u64 ws2 = (u64)th->ws_nm * th->ws_nm;
		u64 dd = (u64)((s64)d * d) * th->step_pm * th->step_pm;
		u32 g = osm_expneg_q16((u32)osm_div64(osm_div64(dd << 17, 1000000), ws2));
		u64 ks = k_q20 * l->slow_frac_q16 >> 16;

		/* summed over 4 steps: (1 - a_s4) per 4 deposits of P/4 */
		th->cs[d + th->rs] = (s64)((ks * (OSM_Q16 - th->a_s4) >> 16) * g >> 18);
	}
	return 0;
}

/**
 * osm_thermal_gain_mk() - stationary peak rise of the fast pole
 * @th: the response
 *
 * Return: mK per mW at the spot centre for a stationary spot.
 */
u32 osm_thermal_gain_mk(const struct osm_thermal *th)
{
	u64 c = (u64)th->cf[th->rf];

	/* cf = K (1 - a); K Q20 K/uW -> mK/mW = K/W: x1e6 >> 20 */
	return (u32)osm_div64(c * 1000000ULL, (u64)(OSM_Q16 - th->a_f) << 4);
}

/**
 * osm_thermal_laser() - apply the laser's rise and fall time
 * @th: the response (for the laser pole)
 * @power: drive power per step, uW; replaced by the emitted power
 * @n: steps
 */
void osm_thermal_laser(const struct osm_thermal *th, s32 *power, s32 n)
{
	s64 y = power[0];
	s32 t;

	for (t = 0; t < n; t++) {
		y = power[t] + (((y - power[t]) * th->a_l) >> 16);
		power[t] = (s32)y;
	}
}

/**
 * osm_thermal_point() - temperature history of one point of the track
 * @th: the response
 * @power: emitted power per step, uW (osm_thermal_laser())
 * @n: steps in @power
 * @x: the point, in steps (the spot centre is over it at step @x)
 * @hist: filled with the temperature (K rise, Q4) from step @pt->t0 on;
 *	room for 2 * OSM_TH_MAX_RF + OSM_TH_TAIL + 1 entries
 * @sbuf: scratch for the slow pole, (OSM_TH_MAX_RS + OSM_TH_MAX_RF +
 *	OSM_TH_TAIL) / 4 + 4 entries
 * @pt: summary of the history
 */
void osm_thermal_point(const struct osm_thermal *th, const s32 *power, s32 n,
		       s32 x, s32 *hist, s32 *sbuf, struct osm_point *pt)
{
	s32 t0 = x - th->rf, t1 = x + th->rf + OSM_TH_TAIL;
	s32 s0 = x - th->rs, t, i;
	s64 yf = 0, ys = 0;

	if (t0 < 0)
		t0 = 0;
	if (t1 > n)
		t1 = n;
	if (s0 < 0)
		s0 = 0;
	s0 &= ~3;
	if (s0 > t0)
		s0 = t0 & ~3;
	/* slow pole, 4 steps at a time, from where its kernel reaches x */
	for (t = s0, i = 0; t < t1; t += 4, i++) {
		s64 dep = 0;
		s32 k;

		for (k = 0; k < 4 && t + k < n; k++) {
			s32 d = x - (t + k);

			if (d >= -th->rs && d <= th->rs)
				dep += power[t + k] * th->cs[d + th->rs];
		}
		ys = ((ys * th->a_s4) >> 16) + dep;
		sbuf[i] = (s32)(ys >> (20 - OSM_TQ));
	}
	pt->t0 = t0;
	pt->len = t1 - t0;
	pt->peak = 0;
	pt->peak_f = 0;
	pt->peak_s = 0;
	for (t = t0; t < t1; t++) {
		s32 d = x - t, tf, ts, tt;

		yf = (yf * th->a_f) >> 16;
		if (d >= -th->rf)
			yf += power[t] * th->cf[d + th->rf];
		tf = (s32)(yf >> (20 - OSM_TQ));
		ts = sbuf[(t - s0) >> 2];
		tt = tf + ts;
		hist[t - t0] = tt;
		if (tt > pt->peak) {
			pt->peak = tt;
			pt->peak_f = tf;
			pt->peak_s = ts;
		}
	}
}
