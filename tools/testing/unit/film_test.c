// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the thin-film optics (driver/model/film.c) and of what the
 * recording film's thickness does to the model: P4's near-layer condition,
 * the published transmittances of the TiO2 near layer, and the directions
 * of absorption, transmittance, heat capacity and the far layer's power.
 */
#include <string.h>
#include "kselftest_harness.h"
#include "model.h"
#include "geometry.h"

#define PCTQ(q)	((q) * 100.0 / 65536.0)
/* |a - b| <= tol, as a truth the harness can check */
#define NEAR(a, b, tol)	((a) - (b) <= (tol) && (b) - (a) <= (tol))

/* A lossless quarter-wave film on glass: the textbook reflectance. */
TEST(film_quarter_wave_matches_the_closed_form)
{
	/* n1 = 2.3 at 405/(4 n1) nm on n = 1.5, from n0 = 1: R = ((1 - n1^2/1.5)/(1 + n1^2/1.5))^2 */
	struct osm_film_stack fs = {
		.in_milli = 1000, .out_n_milli = 1500, .films = 1,
		.film = { { .n_milli = 2300, .nm = 44 } },
	};
	struct osm_film_optics o;
	double y = 2.3 * 2.3 / 1.5, r = (1 - y) / (1 + y);

	/* 405 / (4 x 2.3) = 44.02 nm */
	ASSERT_EQ(0, osm_film_optics(&fs, 0, OSM_FILM_UNRECORDED, 405, &o));
	TH_LOG("R %.4f (closed form %.4f), T %.4f", PCTQ(o.refl_q16) / 100,
	       r * r, PCTQ(o.trans_q16) / 100);
	EXPECT_TRUE(NEAR(r * r, o.refl_q16 / 65536.0, 0.002));
	/* lossless: R + T = 1 */
	EXPECT_TRUE(NEAR(1.0, (o.refl_q16 + o.trans_q16) / 65536.0, 0.002));
	EXPECT_EQ(0, o.absorb_q16);
}

/* P4 claim 11 with claim 9: a near layer of <= 9 nm passes >= 40 %. */
TEST(film_p4_near_layer_transmittance)
{
	struct osm_stack st;
	u32 d, t, last = 65536;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-re-dl"));
	for (d = OSM_FILM_MIN_NM; d <= 20; d++) {
		ASSERT_EQ(0, osm_stack_set_thickness(&st, 1, d));
		t = osm_stack_near_trans_q16(&st);
		TH_LOG("Ge-Sb-Te %u nm: (Tc + Ta)/2 over 390-430 nm %.1f %%",
		       d, PCTQ(t));
		/* thicker absorbs more: the transmittance falls */
		EXPECT_LT(t, last);
		last = t;
		if (d <= 9)
			EXPECT_GE(t, 40 * 65536 / 100);
		if (d >= 15)
			EXPECT_LT(t, 40 * 65536 / 100);
	}
}

/*
 * The published TiO2 near layer (Concepedia W2043188268): Tc 51.6 %,
 * Ta 52.0 %, contrast (Rc - Ra)/(Rc + Ra) 0.71, within +-10 %.
 */
TEST(film_published_near_layer)
{
	struct osm_film_optics c, a;
	struct osm_stack st;
	double con;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-re-dl"));
	ASSERT_EQ(0, osm_film_optics(st.layer[1].films, st.layer[1].thickness_nm,
				     OSM_FILM_UNRECORDED, 405, &c));
	ASSERT_EQ(0, osm_film_optics(st.layer[1].films, st.layer[1].thickness_nm,
				     OSM_FILM_RECORDED, 405, &a));
	con = ((double)c.refl_q16 - a.refl_q16) / ((double)c.refl_q16 + a.refl_q16);
	TH_LOG("Tc %.1f %% Ta %.1f %% Rc %.1f %% Ra %.1f %% contrast %.2f A %.1f %%",
	       PCTQ(c.trans_q16), PCTQ(a.trans_q16), PCTQ(c.refl_q16),
	       PCTQ(a.refl_q16), con, PCTQ(c.absorb_q16));
	EXPECT_TRUE(NEAR(51.6, PCTQ(c.trans_q16), 5.16));
	EXPECT_TRUE(NEAR(52.0, PCTQ(a.trans_q16), 5.2));
	EXPECT_TRUE(NEAR(0.71, con, 0.071));
	/* energy: nothing comes out of nowhere */
	EXPECT_LE(c.refl_q16 + c.trans_q16 + c.absorb_q16, 65536 + 64);
}

static u32 peak_at(struct osm_stack *st, u32 layer, u32 power)
{
	struct osm_compile_in in = { .stack = st, .layer = layer,
		.velocity_mms = OSM_1X_MMS, .strategy = OSM_STRAT_AUTO,
		.write_uw = power, .channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM };
	static struct osm_table t;

	if (osm_model_compile(&in, &t))
		return 0;
	return t.peak_temp_k;
}

/*
 * Thickness changes the result, in the physical direction: a thicker near
 * layer absorbs more of the same power and runs hotter, and passes less to
 * the far layer, which then runs cooler at the same power; the film's heat
 * capacity grows with it.
 */
TEST(film_thickness_acts_on_both_layers)
{
	struct osm_stack thin, thick;
	u32 p1, p0, t1, t1x, t0, t0x;

	ASSERT_EQ(0, osm_stack_preset(&thin, "bd-re-dl"));
	ASSERT_EQ(0, osm_stack_preset(&thick, "bd-re-dl"));
	ASSERT_EQ(0, osm_stack_set_thickness(&thin, 1, 9));
	ASSERT_EQ(0, osm_stack_set_thickness(&thick, 1, 15));
	EXPECT_GT(thick.layer[1].absorb_q16, thin.layer[1].absorb_q16);
	EXPECT_LT(thick.layer[1].trans_q16, thin.layer[1].trans_q16);
	EXPECT_GT(thick.layer[1].heat_cap, thin.layer[1].heat_cap);
	EXPECT_LT(osm_stack_reach_q16(&thick, 0), osm_stack_reach_q16(&thin, 0));
	p1 = thin.layer[1].default_write_uw;
	p0 = thin.layer[0].default_write_uw;
	t1 = peak_at(&thin, 1, p1);
	t1x = peak_at(&thick, 1, p1);
	t0 = peak_at(&thin, 0, p0);
	t0x = peak_at(&thick, 0, p0);
	TH_LOG("L1 at %u uW: peak %u K (9 nm), %u K (15 nm); L0 at %u uW: %u K, %u K",
	       p1, t1, t1x, p0, t0, t0x);
	ASSERT_NE(0, t1);
	ASSERT_NE(0, t0);
	EXPECT_GT(t1x, t1);
	EXPECT_LT(t0x, t0);
}

/* A refused thickness changes nothing. */
TEST(film_thickness_validated_then_applied)
{
	struct osm_stack st, ref;

	ASSERT_EQ(0, osm_stack_preset(&st, "bd-re-dl"));
	ref = st;
	EXPECT_EQ(-EINVAL, osm_stack_set_thickness(&st, 1, OSM_FILM_MAX_NM + 1));
	EXPECT_EQ(-EINVAL, osm_stack_set_thickness(&st, 1, OSM_FILM_MIN_NM - 1));
	EXPECT_EQ(-EINVAL, osm_stack_set_thickness(&st, 2, 9));
	EXPECT_EQ(0, memcmp(&st, &ref, sizeof(st)));
	/* the far layer's thickness changes its absorption, not L1's */
	ASSERT_EQ(0, osm_stack_set_thickness(&st, 0, 14));
	EXPECT_NE(st.layer[0].absorb_q16, ref.layer[0].absorb_q16);
	EXPECT_EQ(st.layer[1].trans_q16, ref.layer[1].trans_q16);
}

TEST_HARNESS_MAIN
