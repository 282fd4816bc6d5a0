// SPDX-License-Identifier: GPL-2.0
/*
 * Readout model.
 *
 * The written track is a row of points every 4 steps (T/4), each holding
 * m = (mark share) x (share of the read spot's cross-track power that the
 * mark covers) = X erf(W / (sqrt(2) w_r)). The read signal is m convolved
 * with the line spread function of the read spot along the track, a
 * Gaussian of the spot's 1/e^2 radius w_r = w = 0.4365 lambda/NA; its MTF
 * exp(-pi^2 w^2 f^2 / 2) stands in for the diffraction-limited one, which
 * ends at 2 NA/lambda. A 2T-2T-2T pattern (period 4T = 298 nm) keeps an
 * amplitude of ~0.09 at 476 nm (diffraction-limited: 0.10), ~0.01 at
 * 640 nm (0: beyond the cut-off) and ~0.001 at 800 nm.
 *
 * A limit equaliser (Pioneer; Documentation/model.rst) boosts the short runs:
 * the signal around the slice level is clipped to +-limit and a high-pass
 * transversal filter (-k, k, k, -k at -3T/2, -T/2, T/2, 3T/2) on the clipped
 * signal is added to the unclipped one. The edges of long marks see no boost
 * (their taps are clipped symmetrically), so the boost adds no intersymbol
 * interference to them. The slice level is half the signal of a long (8T) mark,
 * i.e. beta = 0.
 *
 * Edges are the slice-level crossings nearest their nominal positions, in
 * a window of half the runs on either side; the noise-induced edge jitter
 * is sigma_n / slope, with sigma_n the read noise relative to the layer's
 * own signal: media and laser noise in proportion to it (0.3 %) plus the
 * amplifier's fixed noise over the signal (a far layer read through the
 * near one, R_L0 T_L1^2, is weaker and noisier), times the equaliser's
 * noise gain sqrt(1 + 4 k^2).
 */
#include "readout.h"
#include "fixmath.h"
#include "geometry.h"

/* Reference mark signal: R = 17 %, contrast 0.60 (Q16 products). */
#define OSM_RD_REF_SIGNAL	((17U * 60U << 16) / 10000U)
/* Media and laser noise relative to the mark signal, Q16 (0.3 %) [A]. */
#define OSM_RD_MEDIA_NOISE	197
/* Limit equaliser: boost k and limit level (of a long mark's signal) [A]. */
#define OSM_RD_EQ_K		OSM_Q16
#define OSM_RD_LIMIT		(OSM_Q16 / 4)

/**
 * osm_readout_setup() - read channel of a layer
 * @rd: filled in
 * @st: the medium
 * @layer: layer index
 * @step_pm: length of a step (L_ch/16)
 *
 * Return: 0, or -EINVAL when the read spot is too large to model.
 */
int osm_readout_setup(struct osm_readout *rd, const struct osm_stack *st,
		      u32 layer, u32 step_pm)
{
	const struct osm_layer_stack *l = &st->layer[layer];
	u64 reach = osm_stack_reach_q16(st, layer), sig, w2;
	s32 d;

	rd->wr_nm = osm_stack_spot_nm(st);
	rd->rr = (s32)(2 * rd->wr_nm * 1000 / step_pm);
	if (rd->rr > OSM_RD_MAX || rd->rr < 2)
		return -EINVAL;
	/* R T^2 contrast relative to the reference */
	sig = (u64)l->refl_q16 * reach >> 16;
	sig = sig * reach >> 16;
	sig = sig * l->contrast_q16 >> 16;
	rd->signal_q16 = (u32)osm_div64(sig << 16, OSM_RD_REF_SIGNAL);
	if (!rd->signal_q16)
		return -EINVAL;
	rd->eq_k_q16 = OSM_RD_EQ_K;
	rd->lim_q16 = OSM_RD_LIMIT;
	/*
	 * read noise relative to this layer's signal: media and laser noise
	 * in proportion to it, the amplifier's fixed noise over it; then the
	 * equaliser's noise gain near an edge, sqrt(1 + 4 k^2)
	 */
	w2 = osm_div64((u64)l->read_noise_q16 << 16, rd->signal_q16);
	w2 = int_sqrt64(w2 * w2 + (u64)OSM_RD_MEDIA_NOISE * OSM_RD_MEDIA_NOISE);
	rd->noise_q16 = (u32)((w2 * int_sqrt64((u64)OSM_Q16 * OSM_Q16 +
						4 * (u64)rd->eq_k_q16 * rd->eq_k_q16)) >> 16);
	w2 = (u64)rd->wr_nm * rd->wr_nm;
	for (d = -rd->rr; d <= rd->rr; d++) {
		u64 dd = (u64)((s64)d * d) * step_pm * step_pm;

		rd->lsf[d + rd->rr] =
			osm_expneg_q16((u32)osm_div64(osm_div64(dd << 17, 1000000), w2));
	}
	return 0;
}

/**
 * osm_readout_width_q16() - share of the read spot a mark of a width covers
 * @rd: read channel
 * @width_nm: mark width
 *
 * Return: erf(W / (sqrt(2) w_r)) in Q16.
 */
u32 osm_readout_width_q16(const struct osm_readout *rd, u32 width_nm)
{
	return osm_spot_share_q16(width_nm, rd->wr_nm);
}

/**
 * osm_spot_share_q16() - share of a spot's cross-track power in a band
 * @width_nm: the band's width, centred on the spot
 * @wr_nm: the spot's 1/e^2 radius
 *
 * Return: erf(W / (sqrt(2) w_r)) in Q16.
 */
u32 osm_spot_share_q16(u64 width_nm, u32 wr_nm)
{
	/* W / (sqrt(2) w_r), Q16; 1/sqrt(2) = 46341 Q16 */
	u64 x = osm_div64(width_nm * 46341, wr_nm);

	return osm_erf_q16(x > 0xffffffffULL ? 0xffffffffU : (u32)x);
}

/**
 * osm_readout_signal() - read signal at a step
 * @rd: read channel
 * @m: mark values of the points (every 4 steps), Q16
 * @npts: points
 * @x: step
 *
 * Return: the signal, Q16 (1.0 = inside a long, full-width mark).
 */
s32 osm_readout_signal(const struct osm_readout *rd, const u32 *m, s32 npts,
		       s32 x)
{
	s32 j0 = (x - rd->rr + 3) / 4, j1 = (x + rd->rr) / 4, j;
	u64 s = 0, norm = 0;

	if (x - rd->rr + 3 < 0)
		j0 = 0;
	for (j = j0; j <= j1; j++) {
		u32 w = rd->lsf[4 * j - x + rd->rr];

		norm += w;
		if (j < npts)
			s += (u64)m[j] * w;
	}
	if (!norm)
		return 0;
	return (s32)osm_div64(s, norm);
}

static inline s32 osm_rd_at(const s32 *s, s32 n, s32 x)
{
	return s[x < 0 ? 0 : x >= n ? n - 1 : x];
}

/**
 * osm_readout_eq() - limit-equalised read signal at a step
 * @rd: read channel
 * @s: read signal per step (osm_readout_signal() at each)
 * @n: its samples
 * @x: step
 * @lv: slice and limit levels
 *
 * y(x) = s(x) - slice + k [c(x - T/2) + c(x + T/2) - c(x - 3T/2) -
 * c(x + 3T/2)] with c = clip(s - slice, +-limit): the high-frequency boost
 * works on the amplitude-limited signal only, so the short marks gain
 * amplitude while the long marks' edges, whose boosted taps sit in the
 * clipped region, gain no intersymbol interference (Pioneer's limit
 * equaliser).
 *
 * Return: the equalised signal relative to the slice level, Q16.
 */
s32 osm_readout_eq(const struct osm_readout *rd, const s32 *s, s32 n, s32 x,
		   const struct osm_rd_levels *lv)
{
	s32 sl = lv->slice, li = lv->limit;
	s32 b = clamp(osm_rd_at(s, n, x - 8) - sl, -li, li) +
		clamp(osm_rd_at(s, n, x + 8) - sl, -li, li) -
		clamp(osm_rd_at(s, n, x - OSM_RD_EQ_REACH) - sl, -li, li) -
		clamp(osm_rd_at(s, n, x + OSM_RD_EQ_REACH) - sl, -li, li);

	return osm_rd_at(s, n, x) - sl + (s32)(((s64)b * rd->eq_k_q16) >> 16);
}

/**
 * osm_readout_edge() - find an edge of the read signal
 * @rd: read channel
 * @s: read signal per step (osm_readout_signal() at each)
 * @n: its samples
 * @lo: first step searched
 * @hi: last step searched
 * @x_nom: nominal edge, step
 * @rising: leading edge of a mark (signal rising into the mark)
 * @lv: slice and limit levels
 * @pos_q8: detected edge, steps Q8
 * @slope_q16: equalised signal slope there, per step, Q16
 *
 * The crossing of the equalised signal through the slice level nearest to
 * @x_nom within [@lo, @hi] (half of the runs on either side of the edge).
 *
 * Return: 0, or -1 when the signal does not cross the slice there.
 */
int osm_readout_edge(const struct osm_readout *rd, const s32 *s, s32 n,
		     s32 lo, s32 hi, s32 x_nom, bool rising,
		     const struct osm_rd_levels *lv, s32 *pos_q8, u32 *slope_q16)
{
	s32 x, best = -1, bestd = 1 << 30, prev, cur;
	s32 bprev = 0, bcur = 0;

	if (lo < 1)
		lo = 1;
	if (hi > n - 1)
		hi = n - 1;
	prev = osm_readout_eq(rd, s, n, lo - 1, lv);
	for (x = lo; x <= hi; x++) {
		bool cross;

		cur = osm_readout_eq(rd, s, n, x, lv);
		cross = rising ? (prev < 0 && cur >= 0) : (prev >= 0 && cur < 0);
		if (cross) {
			s32 d = x - x_nom < 0 ? x_nom - x : x - x_nom;

			if (d < bestd) {
				bestd = d;
				best = x - 1;
				bprev = prev;
				bcur = cur;
			}
		}
		prev = cur;
	}
	if (best < 0)
		return -1;
	*slope_q16 = (u32)(bcur > bprev ? bcur - bprev : bprev - bcur);
	*pos_q8 = best * 256 + (s32)osm_sdiv64((s64)-bprev * 256, bcur - bprev);
	return 0;
}
