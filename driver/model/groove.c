// SPDX-License-Identifier: GPL-2.0
/*
 * Land/groove cross-talk.
 *
 * With land and groove recording (P2) neighbouring tracks lie at two levels,
 * a step d apart under the film of index n: light reflected from a
 * neighbour comes back with the extra phase phi = 4 pi n d / lambda. The sum
 * detector sees a mark through its interference with the light the spot
 * returns from everything it covers. To first order in the mark's
 * reflectance change (taken real: an amplitude mark), a mark on a track
 * at phase phi_j gives the signal
 *
 *	S_j ~ Re(conj(B) e^(i phi_j)),  B = a + b e^(i phi),
 *
 * with a the share of the read spot's cross-track power on the tracks at
 * the reading track's level (itself, the tracks two pitches away, ...) and
 * b the share on the tracks at the other level. The own track's mark gives
 * a + b cos phi, a neighbour's a cos phi + b; their ratio multiplies the
 * geometric share of the neighbour's mark (compile.c). It is 1 at d = 0
 * and at phi = pi, and 0 where cos phi = -b / a: a little deeper than
 * lambda / (8 n), because the background itself carries the neighbours'
 * phase (Documentation/model.rst, "Cover, film and near field").
 */
#include "groove.h"
#include "stack.h"
#include "fixmath.h"

/* Tracks on either side that the spot's share is summed over. */
#define OSM_GROOVE_TRACKS	4
/* Largest ratio returned, Q16: the own mark's signal cancelled. */
#define OSM_GROOVE_XT_MAX	(16U * OSM_Q16)

/* share of the spot's cross-track power within |y| < y_nm: erf */
static s64 osm_groove_within(u32 y_nm, u32 wr_nm)
{
	/* sqrt(2) y / w_r, Q16 */
	u64 x = osm_div64((u64)y_nm * 92682, wr_nm);

	return osm_erf_q16(x > 0xffffffffULL ? 0xffffffffU : (u32)x);
}

/**
 * osm_groove_xt_q16() - cross-talk of a neighbour left by the track levels
 * @st: medium (land_groove, groove_depth_nm, track_pitch_nm, wavelength_nm)
 * @wr_nm: 1/e^2 radius of the read spot
 *
 * Return: the ratio of a neighbouring track's mark signal to the same mark's
 * on the reading track, from the phase of the two levels alone (Q16);
 * 1.0 when every track lies at one level (groove recording, or depth 0).
 */
u32 osm_groove_xt_q16(const struct osm_stack *st, u32 wr_nm)
{
	s64 a = 0, b = 0, prev = 0, sn, cs, on, xt, phi;
	u32 k;

	if (!st->land_groove || !st->groove_depth_nm || !wr_nm)
		return OSM_Q16_ONE;
	for (k = 0; k <= OSM_GROOVE_TRACKS; k++) {
		s64 in = osm_groove_within((2 * k + 1) * st->track_pitch_nm / 2,
					   wr_nm);

		if (k & 1)
			b += in - prev;
		else
			a += in - prev;
		prev = in;
	}
	/* phi = 4 pi n d / lambda, Q20 */
	phi = osm_sdiv64(2 * OSM_2PI_Q20 * OSM_COVER_N_MILLI *
			 st->groove_depth_nm, 1000LL * st->wavelength_nm);
	osm_sincos_q20(phi, &sn, &cs);
	on = (a << 20) + b * cs;	/* Q36 */
	xt = a * cs + (b << 20);
	if (on < 0)
		on = -on;
	if (xt < 0)
		xt = -xt;
	if (xt >= (s64)(OSM_GROOVE_XT_MAX >> 16) * on)
		return OSM_GROOVE_XT_MAX;
	return (u32)osm_sdiv64(xt << 16, on);
}
