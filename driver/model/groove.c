// SPDX-License-Identifier: GPL-2.0
/*
 * Land/groove cross-talk.
 *
 * With land and groove recording (P2) neighbouring tracks lie at two levels,
 * a step d apart under the cover (or film) of index n: light reflected from
 * a neighbour comes back with the extra phase phi = 4 pi n d cos(theta) /
 * lambda for a ray at theta to the normal, taken at the mean cos(theta) of
 * a uniformly filled pupil [A]. The sum detector sees a mark through its
 * interference with the light the spot returns from everything it covers.
 * To first order in the mark's reflectance change (taken real: an
 * amplitude mark), a mark on a track at phase phi_j gives the signal
 *
 *	S_j ~ Re(conj(B) e^(i phi_j)),  B = a + b e^(i phi),
 *
 * with a the share of the read spot's cross-track power on the tracks at
 * the reading track's level (itself, the tracks two pitches away, ...) and
 * b the share on the tracks at the other level. The own track's mark gives
 * a + b cos phi, a neighbour's a cos phi + b; their ratio multiplies the
 * geometric share of the neighbour's mark (compile.c). It is 1 at d = 0
 * and at phi = pi, and 0 where cos phi = -b / a: deeper than the lambda /
 * (8 n) at which an amplitude mark would cancel against a background of one
 * phase, because the background itself carries the neighbours' phase
 * (Documentation/model.rst, "Land and groove").
 */
#include "groove.h"
#include "stack.h"
#include "fixmath.h"
#include "readout.h"

/* Tracks on either side summed over at most; the spot ends well before. */
#define OSM_GROOVE_TRACKS	256

/**
 * osm_groove_obliquity_q16() - mean cos(theta) of the rays on the film
 * @st: medium (wavelength, NA, near-field gap)
 *
 * A pupil filled uniformly up to sin(theta_max) = s = NA_eff / n in the
 * cover: <cos theta> = 2 (1 - (1 - s^2)^(3/2)) / (3 s^2); 1 for a thin
 * beam, 2/3 when the aperture reaches the cover's index.
 *
 * Return: <cos theta> in Q16.
 */
u32 osm_groove_obliquity_q16(const struct osm_stack *st)
{
	u64 na = osm_stack_na_eff_milli(st), s2, c2, c, c3;

	s2 = osm_div64(na * na << 16, (u64)OSM_COVER_N_MILLI * OSM_COVER_N_MILLI);
	if (!s2)
		return OSM_Q16_ONE;
	if (s2 > OSM_Q16_ONE)
		s2 = OSM_Q16_ONE;
	c2 = OSM_Q16_ONE - s2;
	c = int_sqrt64(c2 << 16);		/* Q16 */
	c3 = c2 * c >> 16;
	return (u32)osm_div64(2 * (OSM_Q16_ONE - c3) << 16, 3 * s2);
}

/**
 * osm_groove_xt_q16() - cross-talk of a neighbour left by the track levels
 * @st: medium (land_groove, groove_depth_nm, track_pitch_nm, wavelength_nm,
 *	the optics)
 * @wr_nm: 1/e^2 radius of the read spot
 *
 * Return: the ratio of a neighbouring track's mark signal to the same mark's
 * on the reading track, from the phase of the two levels alone (Q16, at
 * most 1.0); 1.0 when every track lies at one level (groove recording, or
 * depth 0), or when the spot covers the other level as much as its own.
 */
u32 osm_groove_xt_q16(const struct osm_stack *st, u32 wr_nm)
{
	s64 a = 0, b = 0, prev = 0, in, sn, cs, on, xt, phi;
	u32 k;

	if (!st->land_groove || !st->groove_depth_nm || !wr_nm)
		return OSM_Q16_ONE;
	/* the band of track k spans |y| < (2k + 1) p / 2 less the ones inside */
	for (k = 0; k < OSM_GROOVE_TRACKS && prev < OSM_Q16_ONE; k++) {
		in = osm_spot_share_q16((2ULL * k + 1) * st->track_pitch_nm,
					wr_nm);
		if (k & 1)
			b += in - prev;
		else
			a += in - prev;
		prev = in;
	}
	if (a <= b)
		return OSM_Q16_ONE;
	/* phi = 4 pi n d <cos theta> / lambda, Q20 */
	phi = osm_sdiv64(2 * OSM_2PI_Q20 * OSM_COVER_N_MILLI *
			 st->groove_depth_nm * osm_groove_obliquity_q16(st),
			 1000LL * st->wavelength_nm << 16);
	osm_sincos_q20(phi, &sn, &cs);
	on = (a << 20) + b * cs;	/* Q36; > 0 as a > b */
	xt = a * cs + (b << 20);
	if (xt < 0)
		xt = -xt;
	/* |a cos phi + b| <= a + b cos phi whenever a > b */
	if (xt >= on)
		return OSM_Q16_ONE;
	return (u32)osm_sdiv64(xt << 16, on);
}
