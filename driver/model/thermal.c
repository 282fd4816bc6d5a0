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
 * (Documentation/model.rst): a fast pole, the film cooling into its heat sink
 * with tau_f = C/G (C areal heat capacity, G conductance to the reflector), and
 * a slow pole, heat soaked into the dielectric/cover that spreads laterally
 * (radius ws) and leaves with tau_s. The lateral profile of the fast pole is
 * the spot widened by diffusion during tau_f: wf^2 = w^2 + 8 D tau_f. Each pole
 * runs as a first-order IIR in Q16:
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
	u64 wf2, ws2, ks, k_q20, num, den;
	s32 d;

	if (!velocity_mms || !channel_bit_pm)
		return -EINVAL;
	/* T = L_ch / v: pm / (mm/s) = ns; T/16 in ps */
	th->dt_ps = (u32)osm_div64((u64)channel_bit_pm * 1000, (u64)velocity_mms * OSM_SUB);
	th->step_pm = channel_bit_pm / OSM_SUB;
	/* tau_f = C/G: (uJ/m^2K) / (MW/m^2K) = ps */
	th->tau_f_ps = l->heat_cap / l->sink_g;
	/* wf^2 = w^2 + 8 D tau (D nm^2/ns, tau ps) */
	wf2 = (u64)w * w + osm_div64((u64)8 * l->diffusivity * th->tau_f_ps, 1000);
	th->wf_nm = (u32)int_sqrt64(wf2);
	th->ws_nm = th->wf_nm * l->slow_width_q8 >> 8;
	th->a_f = osm_pole(th->dt_ps, th->tau_f_ps);
	th->a_s4 = osm_pole(4 * th->dt_ps, l->slow_tau_ps);
	th->a_l = osm_pole(th->dt_ps, OSM_LASER_TAU_PS);
	th->rf = (s32)(2 * th->wf_nm * 1000 / th->step_pm);
	th->rs = (s32)(2 * th->ws_nm * 1000 / th->step_pm);
	if (th->rf > OSM_TH_MAX_RF || th->rs > OSM_TH_MAX_RS || th->rf < 2)
		return -EINVAL;
	/*
	 * K in K/uW, Q20: 2 A reach / (pi wf^2 G) with wf in nm and G in
	 * MW/(m^2 K) gives 1e6 * 2 A / (pi wf^2 G) K/uW; pi ~ 355/113.
	 */
	num = (u64)l->absorb_q16 * reach >> 16;		/* Q16 */
	num = num * 2000000ULL * 113;			/* x 1e6 x 2 x 113 */
	den = (u64)355 * wf2 * l->sink_g;
	k_q20 = osm_div64(num << 4, den);		/* Q16 -> Q20 */
	for (d = -OSM_TH_CF_BASE(th->rf); d < -th->rf; d++)
		th->cf[d + OSM_TH_CF_BASE(th->rf)] = 0;
	for (d = -th->rf; d <= th->rf; d++) {
		u64 dd = (u64)((s64)d * d) * th->step_pm * th->step_pm;
		/* exp(-2 d^2 / wf^2), d in pm, wf in nm */
		u32 g = osm_expneg_q16((u32)osm_div64(osm_div64(dd << 17, 1000000), wf2));

		th->cf[d + OSM_TH_CF_BASE(th->rf)] =
			(s64)((k_q20 * (OSM_Q16 - th->a_f) >> 16) * g >> 16);
	}
	ws2 = (u64)th->ws_nm * th->ws_nm;
	ks = k_q20 * l->slow_frac_q16 >> 16;
	/* the whole array: a slow pole narrower than the fast one reads past rs */
	for (d = -OSM_TH_CS_BASE(th->rf); d < OSM_TH_CS_LEN - OSM_TH_CS_BASE(th->rf); d++) {
		u64 dd = (u64)((s64)d * d) * th->step_pm * th->step_pm;
		u32 g;

		if (d < -th->rs || d > th->rs) {
			th->cs[d + OSM_TH_CS_BASE(th->rf)] = 0;
			continue;
		}
		g = osm_expneg_q16((u32)osm_div64(osm_div64(dd << 17, 1000000), ws2));
		/* summed over 4 steps: (1 - a_s4) per 4 deposits of P/4 */
		th->cs[d + OSM_TH_CS_BASE(th->rf)] =
			(s64)((ks * (OSM_Q16 - th->a_s4) >> 16) * g >> 18);
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
	u64 c = (u64)th->cf[OSM_TH_CF_BASE(th->rf)];

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

/*
 * Slow pole of the point @x, 4 steps at a time, from where its kernel
 * reaches x to @t1: one entry of @sbuf per 4 steps from the returned step.
 */
static s32 osm_thermal_slow(const struct osm_thermal *th, const s32 *power,
			    s32 n, s32 x, s32 t0, s32 t1, s32 *sbuf)
{
	/* cs[d]: the kernel at distance d = x - t */
	const s64 *cs = &th->cs[OSM_TH_CS_BASE(th->rf)];
	s32 s0 = x - th->rs, t, i;
	s64 ys = 0, dep = 0;

	if (s0 < 0)
		s0 = 0;
	s0 &= ~3;
	if (s0 > t0)
		s0 = t0 & ~3;
	for (t = s0, i = 0; t + 4 <= t1; t += 4, i++) {
		ys = ((ys * th->a_s4) >> 16) +
		     power[t] * cs[x - t] + power[t + 1] * cs[x - t - 1] +
		     power[t + 2] * cs[x - t - 2] + power[t + 3] * cs[x - t - 3];
		sbuf[i] = (s32)(ys >> (20 - OSM_TQ));
	}
	if (t < t1) {
		s32 k;

		for (k = t; k < t + 4 && k < n; k++)
			dep += power[k] * cs[x - k];
		ys = ((ys * th->a_s4) >> 16) + dep;
		sbuf[i] = (s32)(ys >> (20 - OSM_TQ));
	}
	return s0;
}

/* the fast pole of one point as it is stepped, and its history so far */
struct osm_chain {
	const s64 *cf;		/* cf[d]: the kernel at distance d = x - t */
	const s32 *sbuf;	/* slow pole from step s0, per 4 steps */
	s32 *hist;		/* history from step t0 */
	s32 x, s0, t0, t1;
	s64 yf;
	s32 peak, peak_f, peak_s;
};

static void osm_chain_init(struct osm_chain *c, const struct osm_thermal *th,
			   const s32 *power, s32 n, s32 x, s32 *hist, s32 *sbuf)
{
	c->t0 = x - th->rf < 0 ? 0 : x - th->rf;
	c->t1 = x + th->rf + OSM_TH_TAIL > n ? n : x + th->rf + OSM_TH_TAIL;
	c->cf = &th->cf[OSM_TH_CF_BASE(th->rf)];
	c->x = x;
	c->sbuf = sbuf;
	c->s0 = osm_thermal_slow(th, power, n, x, c->t0, c->t1, sbuf);
	c->hist = hist;
	c->yf = 0;
	c->peak = 0;
	c->peak_f = 0;
	c->peak_s = 0;
}

static inline void osm_chain_step(struct osm_chain *c, u32 a_f,
				  const s32 *power, s32 t)
{
	s32 tf, ts, tt;

	c->yf = ((c->yf * a_f) >> 16) + power[t] * c->cf[c->x - t];
	tf = (s32)(c->yf >> (20 - OSM_TQ));
	ts = c->sbuf[(t - c->s0) >> 2];
	tt = tf + ts;
	c->hist[t - c->t0] = tt;
	if (tt > c->peak) {
		c->peak = tt;
		c->peak_f = tf;
		c->peak_s = ts;
	}
}

static void osm_chain_done(const struct osm_chain *c, struct osm_point *pt)
{
	pt->t0 = c->t0;
	pt->len = c->t1 - c->t0;
	pt->peak = c->peak;
	pt->peak_f = c->peak_f;
	pt->peak_s = c->peak_s;
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
	struct osm_chain c;
	s32 t;

	osm_chain_init(&c, th, power, n, x, hist, sbuf);
	for (t = c.t0; t < c.t1; t++)
		osm_chain_step(&c, th->a_f, power, t);
	osm_chain_done(&c, pt);
}

/**
 * osm_thermal_pair() - temperature histories of the points @x and @x + 4
 * @th: the response
 * @power: emitted power per step, uW (osm_thermal_laser())
 * @n: steps in @power, more than @x + 4
 * @x: the first point, in steps
 * @hist: a history buffer per point (see osm_thermal_point())
 * @sbuf: a slow-pole buffer per point (see osm_thermal_point())
 * @pt: summary of each history
 *
 * The same results as two calls of osm_thermal_point(), in less time: the
 * two points' fast poles are stepped together, so the latency of one
 * step's multiply overlaps the other's.
 */
void osm_thermal_pair(const struct osm_thermal *th, const s32 *power, s32 n,
		      s32 x, s32 *hist[2], s32 *sbuf[2], struct osm_point pt[2])
{
	struct osm_chain a, b;
	s32 t, mid;

	osm_chain_init(&a, th, power, n, x, hist[0], sbuf[0]);
	osm_chain_init(&b, th, power, n, x + 4, hist[1], sbuf[1]);
	/* b starts and ends no earlier than a */
	mid = b.t0 < a.t1 ? b.t0 : a.t1;
	for (t = a.t0; t < mid; t++)
		osm_chain_step(&a, th->a_f, power, t);
	for (t = b.t0; t < a.t1; t++) {
		osm_chain_step(&a, th->a_f, power, t);
		osm_chain_step(&b, th->a_f, power, t);
	}
	for (t = b.t0 > a.t1 ? b.t0 : a.t1; t < b.t1; t++)
		osm_chain_step(&b, th->a_f, power, t);
	osm_chain_done(&a, &pt[0]);
	osm_chain_done(&b, &pt[1]);
}
