// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the focused spot against the cover (P2's film) and the
 * near-field gap (driver/model/stack.c): a cover thickness error widens
 * the spot through spherical aberration, the same either way, and a
 * wider spot records worse at the same power; above NA 1 the air gap
 * takes the aperture beyond 1 away as it grows. With land and groove
 * recording the step between them sets the neighbours' cross-talk
 * (driver/model/groove.c).
 */
#include <string.h>
#include "kselftest_harness.h"
#include "model.h"
#include "geometry.h"
#include "groove.h"
#include "fixmath.h"

static int sim_at(const struct osm_stack *st, u32 power,
		  struct osm_sim_result *r)
{
	struct osm_sim_params p = { .stack = st, .layer = 0,
		.velocity_mms = OSM_1X_MMS, .strategy = OSM_STRAT_AUTO,
		.write_uw = power, .optimum_uw = power, .clusters = 1,
		.seed = 5 };

	return osm_model_simulate(&p, r);
}

static u32 jitter_at(const struct osm_stack *st, u32 power)
{
	struct osm_sim_result r;

	if (sim_at(st, power, &r))
		return 0;
	return r.jitter_cpct;
}

TEST(spot_cover_error_spherical_aberration)
{
	struct osm_stack st;
	u32 w0, last, w, wn, j0, j;
	s32 e;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r"));
	w0 = osm_stack_spot_nm(&st);
	last = w0;
	for (e = 5000; e <= 25000; e += 5000) {
		ASSERT_EQ(0, osm_stack_set_cover(&st, e, 0));
		w = osm_stack_spot_nm(&st);
		ASSERT_EQ(0, osm_stack_set_cover(&st, -e, 0));
		wn = osm_stack_spot_nm(&st);
		TH_LOG("cover error +-%d um: spot %u / %u nm (%u nm without)",
		       e / 1000, w, wn, w0);
		EXPECT_EQ(w, wn);
		EXPECT_GE(w, last);
		last = w;
	}
	EXPECT_GT(last, w0);
	ASSERT_EQ(0, osm_stack_set_cover(&st, 0, 0));
	EXPECT_EQ(w0, osm_stack_spot_nm(&st));
	/* at the calibrated power, a 20 um error records much worse */
	j0 = jitter_at(&st, st.layer[0].default_write_uw);
	ASSERT_EQ(0, osm_stack_set_cover(&st, 20000, 0));
	j = jitter_at(&st, st.layer[0].default_write_uw);
	TH_LOG("jitter %.2f -> %.2f %%", j0 / 100.0, j / 100.0);
	EXPECT_GT(j, j0);
}

TEST(spot_near_field_gap)
{
	struct osm_stack st;
	u32 na, last = 0, g, w0;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	w0 = osm_stack_spot_nm(&st);
	EXPECT_EQ(1500, osm_stack_na_eff_milli(&st));
	last = 1500;
	for (g = 10; g <= 200; g += 10) {
		ASSERT_EQ(0, osm_stack_set_cover(&st, 0, g));
		na = osm_stack_na_eff_milli(&st);
		if (last > 1001)
			EXPECT_LT(na, last);
		EXPECT_GE(na, 1000);
		last = na;
	}
	TH_LOG("NA_eff at 200 nm gap: %u, spot %u nm (%u in contact)", last,
	       osm_stack_spot_nm(&st), w0);
	EXPECT_LT(last, 1010);
	EXPECT_GT(osm_stack_spot_nm(&st), w0);
	/* a gap means nothing without near-field optics */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r"));
	EXPECT_EQ(-EINVAL, osm_stack_set_cover(&st, 0, 20));
	EXPECT_EQ(-EINVAL, osm_stack_set_cover(&st, OSM_COVER_ERR_MAX_NM + 1, 0));
	EXPECT_EQ(0, st.cover_err_nm);
	EXPECT_EQ(0, st.gap_nm);
}

/* a quarter wave in the cover, at the pupil's mean obliquity: nm */
static u32 quarter_wave(const struct osm_stack *st)
{
	return (u32)((u64)st->wavelength_nm * 1000 * 65536 /
		     (4ULL * OSM_COVER_N_MILLI * osm_groove_obliquity_q16(st)));
}

/* the first depth from 0 at which the neighbours' cross-talk is least */
static u32 xt_min_depth(struct osm_stack *st, u32 *xt_min)
{
	u32 w = osm_stack_spot_nm(st), d, best = 0, bx = ~0U;
	u32 quarter = quarter_wave(st);

	for (d = 0; d <= quarter; d++) {
		u32 x;

		st->groove_depth_nm = d;
		x = osm_groove_xt_q16(st, w);
		if (x < bx) {
			bx = x;
			best = d;
		}
	}
	*xt_min = bx;
	return best;
}

TEST(spot_land_groove_obliquity)
{
	struct osm_stack st;
	u32 last = OSM_Q16_ONE + 1, na, o;

	/* the pupil's mean cos(theta) falls with the aperture, to 2/3 at n */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	for (na = 300; na <= 1500; na += 100) {
		ASSERT_EQ(0, osm_stack_set_optics(&st, 405, na));
		o = osm_groove_obliquity_q16(&st);
		EXPECT_LT(o, last);
		last = o;
	}
	TH_LOG("<cos theta>: %.4f at NA 1.5 (n 1.5)", last / 65536.0);
	EXPECT_GE(last, OSM_Q16_ONE * 2 / 3 - 65);
	EXPECT_LE(last, OSM_Q16_ONE * 2 / 3 + 65);
	/* a gap takes the aperture above 1 away: the rays steeper again */
	ASSERT_EQ(0, osm_stack_set_cover(&st, 0, 30));
	EXPECT_GT(osm_groove_obliquity_q16(&st), last);
}

TEST(spot_land_groove_depth)
{
	struct osm_stack st;
	u32 w, d, x, last, quarter, dmin, xmin, dnarrow, preset;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	ASSERT_TRUE(st.land_groove);
	preset = st.groove_depth_nm;
	w = osm_stack_spot_nm(&st);
	quarter = quarter_wave(&st);
	/* neighbours at the reading track's level: the whole cross-talk */
	ASSERT_EQ(0, osm_stack_set_groove_depth(&st, 0));
	EXPECT_EQ(OSM_Q16_ONE, osm_groove_xt_q16(&st, w));
	dmin = xt_min_depth(&st, &xmin);
	TH_LOG("spot %u nm, pitch %u nm: least cross-talk %.3f at %u nm, a quarter wave %u nm; preset %u nm",
	       w, st.track_pitch_nm, xmin / 65536.0, dmin, quarter, preset);
	/* deeper than an eighth wave: the background carries the neighbours' phase */
	EXPECT_GT(dmin, quarter / 2);
	EXPECT_LT(dmin, quarter);
	EXPECT_LT(xmin, OSM_Q16_ONE / 10);
	/* falls to the minimum and rises again to a quarter wave */
	last = OSM_Q16_ONE;
	for (d = 1; d <= quarter; d++) {
		st.groove_depth_nm = d;
		x = osm_groove_xt_q16(&st, w);
		EXPECT_LE(x, OSM_Q16_ONE);
		if (d <= dmin) {
			EXPECT_LE(x, last);
		} else {
			EXPECT_GE(x, last);
		}
		last = x;
	}
	EXPECT_GT(last, OSM_Q16_ONE * 9 / 10);
	/* the preset's step is one at which land and groove interact little */
	st.groove_depth_nm = preset;
	EXPECT_LT(osm_groove_xt_q16(&st, w), OSM_Q16_ONE / 20);
	/* tracks closer for the same spot: more of it on the other level, deeper */
	st.track_pitch_nm = 140;
	dnarrow = xt_min_depth(&st, &x);
	TH_LOG("140 nm pitch: least cross-talk at %u nm", dnarrow);
	EXPECT_GT(dnarrow, dmin);
	/* DVD-RAM's geometry: 650 nm, NA 0.6, 0.615 um between land and groove */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	ASSERT_EQ(0, osm_stack_set_optics(&st, 650, 600));
	st.track_pitch_nm = 615;
	d = xt_min_depth(&st, &x);
	TH_LOG("DVD-RAM geometry: least cross-talk at %u nm, lambda/(%.2f n); quoted: lambda/(6 n), %u nm",
	       d, 650000.0 / OSM_COVER_N_MILLI / d, 650000 / (6 * OSM_COVER_N_MILLI));
	EXPECT_GT(d, 650000 / (8 * OSM_COVER_N_MILLI));
	EXPECT_LE(d, 650000 / (6 * OSM_COVER_N_MILLI));
	/* refused: groove-only media, or out of range; nothing changes */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	EXPECT_EQ(-EINVAL, osm_stack_set_groove_depth(&st, OSM_GROOVE_DEPTH_MAX_NM + 1));
	EXPECT_EQ(preset, st.groove_depth_nm);
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r"));
	EXPECT_EQ(-EINVAL, osm_stack_set_groove_depth(&st, 30));
	EXPECT_EQ(0, st.groove_depth_nm);
	EXPECT_EQ(OSM_Q16_ONE, osm_groove_xt_q16(&st, osm_stack_spot_nm(&st)));
	EXPECT_EQ(0, osm_stack_validate(&st));
	st.groove_depth_nm = 30;
	EXPECT_EQ(-EINVAL, osm_stack_validate(&st));
	/*
	 * a spot as wide as several pitches sees both levels nearly alike:
	 * the cancelling step moves towards a quarter wave (phi = pi)
	 */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	ASSERT_EQ(0, osm_stack_set_optics(&st, 405, 400));
	d = xt_min_depth(&st, &x);
	TH_LOG("NA 0.4, spot %u nm: least cross-talk at %u nm of a quarter wave %u nm (preset optics: %u of %u)",
	       osm_stack_spot_nm(&st), d, quarter_wave(&st), dmin, quarter);
	EXPECT_GT(d * quarter, dmin * quarter_wave(&st));
	EXPECT_GT(d * 10, quarter_wave(&st) * 9);
}

TEST(spot_land_groove_crosstalk_records)
{
	struct osm_sim_result r0, r1;
	struct osm_stack st;
	u32 pw;

	/* OPC's power on the preset, then the same power with no step */
	ASSERT_EQ(0, osm_stack_preset(&st, "bd-r-nf"));
	ASSERT_EQ(0, sim_at(&st, 0, &r1));
	pw = r1.power_uw;
	ASSERT_EQ(0, sim_at(&st, pw, &r1));
	ASSERT_EQ(0, osm_stack_set_groove_depth(&st, 0));
	ASSERT_EQ(0, sim_at(&st, pw, &r0));
	TH_LOG("%.3f mW: cross-talk %.2f -> %.2f %%, jitter %.2f -> %.2f %% (step 0 -> preset)",
	       pw / 1000.0, r0.xtalk_q16 * 100.0 / 65536, r1.xtalk_q16 * 100.0 / 65536,
	       r0.jitter_cpct / 100.0, r1.jitter_cpct / 100.0);
	EXPECT_EQ(r0.mark_width_nm, r1.mark_width_nm);
	EXPECT_LT(r1.xtalk_q16 * 4, r0.xtalk_q16);
	EXPECT_LT(r1.jitter_cpct, r0.jitter_cpct);
}

TEST_HARNESS_MAIN
