// SPDX-License-Identifier: GPL-2.0
/*
 * Direct-overwrite wear (Documentation/model.rst, "Overwrite endurance").
 *
 * Every write melts the track under its marks: half the track's length,
 * as the (1,7) code's marks and spaces share it evenly (d = 1/2). Two
 * things follow from the cycles a point has been melted and quenched.
 *
 * Settling: the initialiser's long anneal leaves a crystal (large, relaxed
 * grains) that reflects r_x (a share of the mark contrast) differently from
 * the crystal that regrows from the melt. After N overwrites the share of a
 * space still in initialised crystal is p = (1 - d)^N; the mix under the
 * read spot varies the space level by r_x sqrt(p (1 - p)), and the edge
 * moves by that over the edge's slope, whose width is L_e = sqrt(pi / 2) w
 * for a Gaussian spot of 1/e^2 radius w:
 *
 *	j_set^2 = (r_x L_e / (2 b))^2 4 p (1 - p)		(b: channel bit)
 *
 * which is 0 on the first write, largest on the first overwrite, and gone
 * after about ten.
 *
 * Voids: the interfaces of the film hold voids of radius a0, n_v per unit
 * area. Each melt-quench cycle strains them by the thermal expansion of
 * its peak rise dT (and the volume change of the phase change); a void
 * grows in proportion to its size (fatigue growth with Paris exponent 2:
 * da/dN = C dsigma^2 pi a, dsigma ~ dT), so a(N) = a0 exp(d N (dT/dT_m)^2
 * / N_e), N_e the melt cycles of an e-fold at a peak just at melting. A
 * void reflects like a mark (r_v = 1); the random void area under the
 * spot (effective area pi w^2) varies the signal by pi a^2 sqrt(n_v) / w
 * and the edge by
 *
 *	j_void = pi a^2 sqrt(n_v / 2) / b
 *
 * (w cancels), negligible while a is a few nm and steep once voids reach
 * a tenth of a mark's width.
 */
#include "wear.h"
#include "fixmath.h"

#define OSM_PI_Q16		205887ULL
/* sqrt(pi / 2) / 2, Q16: half the edge width per spot radius */
#define OSM_HALF_EDGE_Q16	41068ULL
/* jitter at which the void term stops growing: a whole T (T/256) */
#define OSM_WEAR_VOID_MAX	256

/**
 * osm_wear_setup() - a layer's wear at one write setting
 * @l: the layer (its r_x, a0, n_v and N_e)
 * @peak_k: peak temperature rise of a long mark at the setting, K
 * @spot_nm: 1/e^2 radius of the read spot
 * @channel_bit_pm: channel bit length
 * @w: the result
 */
void osm_wear_setup(const struct osm_layer_stack *l, u32 peak_k,
		    u32 spot_nm, u32 channel_bit_pm, struct osm_wear *w)
{
	u64 x, s;

	osm_memset(w, 0, sizeof(*w));
	if (!channel_bit_pm)
		return;
	/* r_x / 2 x sqrt(pi / 2) w / b */
	x = osm_div64((u64)l->xinit_q16 * OSM_HALF_EDGE_Q16 * spot_nm * 1000,
		      (u64)channel_bit_pm << 16);
	w->settle_q16 = x > 0xffffffffULL ? 0xffffffffU : (u32)x;

	w->void_log2_q16 = -(32 << 16);
	if (l->void_a0_pm && l->void_um2) {
		/* pi a0^2 sqrt(n_v / 2) / b, Q32; a0 and b in pm, n_v per um^2 */
		s = int_sqrt64((u64)l->void_um2 << 31);		/* Q16 */
		x = osm_div64(OSM_PI_Q16 * s * l->void_a0_pm, 1000);
		x = osm_div64(x * l->void_a0_pm, 1000);
		x = osm_div64(x, channel_bit_pm);
		if (x)
			w->void_log2_q16 = osm_log2_q16(x) - (24 << 16);
	}
	/*
	 * sigma ~ a^2 doubles in ln 2 / (2 d (dT/dT_m)^2 / N_e) overwrites,
	 * d = 1/2: ln 2 N_e (dT_m / dT)^2
	 */
	if (l->void_efold && peak_k && l->t_melt_k) {
		x = osm_div64((u64)OSM_LN2_Q16 * l->void_efold * l->t_melt_k,
			      peak_k);
		x = osm_div64(x * l->t_melt_k, peak_k) >> 16;
		w->void_double = x > 0xffffffffULL ? 0xffffffffU :
				 (x ? (u32)x : 1);
	}
}

/**
 * osm_wear_var() - the wear's jitter after a number of overwrites
 * @w: the layer's wear at the write setting
 * @dow: overwrites of the cluster before this write (0: the first write)
 *
 * Return: its variance, (T/256)^2, to add to the cluster's others.
 */
u64 osm_wear_var(const struct osm_wear *w, u32 dow)
{
	u64 v = 0, q;
	s64 e;

	if (!dow)
		return 0;
	/* 4 p (1 - p), p = 2^-N, Q16 */
	if (dow < 16) {
		u64 p = OSM_Q16 >> dow;

		q = (4 * p * (OSM_Q16 - p)) >> 16;
		v += ((u64)w->settle_q16 * w->settle_q16 * q) >> 32;
	}
	if (w->void_double) {
		/* log2 of the voids' jitter, T/256, Q16 */
		e = (s64)w->void_log2_q16 +
		    (s64)osm_div64((u64)dow << 16, w->void_double);
		if (e > (s64)8 << 16)
			e = (s64)8 << 16;
		/* its square, (T/256)^2 */
		v += osm_exp2_q16((s32)(2 * e)) >> 16;
	}
	return v;
}
