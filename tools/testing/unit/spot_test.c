// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the focused spot against the cover (P2's film) and the
 * near-field gap (driver/model/stack.c): a cover thickness error widens
 * the spot through spherical aberration, the same either way, and a
 * wider spot records worse at the same power; above NA 1 the air gap
 * takes the aperture beyond 1 away as it grows.
 */
#include <string.h>
#include "kselftest_harness.h"
#include "model.h"
#include "geometry.h"

static u32 jitter_at(const struct osm_stack *st, u32 power)
{
	struct osm_sim_params p = { .stack = st, .layer = 0,
		.velocity_mms = OSM_1X_MMS, .strategy = OSM_STRAT_AUTO,
		.write_uw = power, .optimum_uw = power, .clusters = 1,
		.seed = 5 };
	struct osm_sim_result r;

	if (osm_model_simulate(&p, &r))
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

TEST_HARNESS_MAIN
