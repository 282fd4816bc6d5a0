// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of current-pulse (Joule) recording (driver/model/joule.c),
 * P4 claims 21 and 32: the pulses' order (Ic < Ia, tc >= ta, the far
 * Sb-Te layer's Ia below the near Ge-Sb-Te layer's), marks that form and
 * read back at the optimum current and do not at half of it, nor above the
 * current whose heat boils the film.
 */
#include <string.h>
#include "kselftest_harness.h"
#include "model.h"
#include "geometry.h"

static int run(const char *media, u32 layer, u32 current_ua,
	       struct osm_sim_result *r)
{
	static struct osm_stack st;
	struct osm_sim_params p = { .stack = &st, .layer = layer,
		.velocity_mms = OSM_1X_MMS, .mode = OSM_MODE_CURRENT,
		.current_ua = current_ua, .clusters = 2, .seed = 3 };

	memset(r, 0, sizeof(*r));
	if (osm_stack_preset(&st, media))
		return -EINVAL;
	return osm_model_simulate(&p, r);
}

TEST(joule_pulses_follow_claim_32)
{
	struct osm_sim_result l0, l1;

	ASSERT_EQ(0, run("bd-re-dl", 0, 0, &l0));
	ASSERT_EQ(0, run("bd-re-dl", 1, 0, &l1));
	TH_LOG("L0 Sb-Te: Ia %u uA ta %u ps, Ic %u uA tc %u ps",
	       l0.joule.ia_ua, l0.joule.ta_ps, l0.joule.ic_ua, l0.joule.tc_ps);
	TH_LOG("L1 Ge-Sb-Te: Ia %u uA ta %u ps, Ic %u uA tc %u ps",
	       l1.joule.ia_ua, l1.joule.ta_ps, l1.joule.ic_ua, l1.joule.tc_ps);
	EXPECT_LT(l0.joule.ic_ua, l0.joule.ia_ua);
	EXPECT_LT(l1.joule.ic_ua, l1.joule.ia_ua);
	EXPECT_GE(l0.joule.tc_ps, l0.joule.ta_ps);
	EXPECT_GE(l1.joule.tc_ps, l1.joule.ta_ps);
	/* Ia2 < Ia1: the lower-melting far layer needs less current */
	EXPECT_LT(l0.joule.ia_ua, l1.joule.ia_ua);
	/* the optimum sits inside its window */
	EXPECT_GT(l1.joule.ia_ua, l1.joule.melt_ua);
	EXPECT_LT(l1.joule.ia_ua, l1.joule.max_ua);
}

TEST(joule_marks_form_at_the_optimum_not_at_half)
{
	static const char * const media[] = { "bd-re", "bd-re-dl", "bd-re-dl" };
	static const u32 layer[] = { 0, 0, 1 };
	struct osm_sim_result r, h;
	u32 i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, run(media[i], layer[i], 0, &r));
		ASSERT_EQ(0, run(media[i], layer[i], r.optimum_current_ua / 2, &h));
		TH_LOG("%s L%u: %u uA: width %u nm, jitter %.2f %%, erase %.1f %%, %s; half: width %u nm, unresolved %u, %s",
		       media[i], layer[i], r.optimum_current_ua, r.mark_width_nm,
		       r.jitter_cpct / 100.0, r.erase_cpct / 100.0,
		       r.readable ? "readable" : "unreadable", h.mark_width_nm,
		       h.unresolved, h.readable ? "readable" : "unreadable");
		EXPECT_GT(r.mark_width_nm, 0);
		EXPECT_TRUE(r.readable);
		EXPECT_EQ(0, r.unresolved);
		EXPECT_GE(r.erase_cpct, 9000);
		EXPECT_EQ(0, h.mark_width_nm);
		EXPECT_FALSE(h.readable);
		EXPECT_GT(h.unresolved, 0);
		/* below the melt threshold the peak stays below Tm */
		EXPECT_LT(h.peak_temp_c, r.peak_temp_c);
	}
}

/* Above the damage current the film boils off: no mark reads back. */
TEST(joule_window_closes_at_the_damage_current)
{
	static struct osm_sim_result r, hi, over;
	u32 top;

	ASSERT_EQ(0, run("bd-re", 0, 0, &r));
	top = r.joule.max_ua * 6 / 5;
	ASSERT_LE(top, OPTSIM_CURRENT_MAX_UA);
	ASSERT_EQ(0, run("bd-re", 0, r.joule.max_ua * 19 / 20, &hi));
	ASSERT_EQ(0, run("bd-re", 0, top, &over));
	TH_LOG("window %u-%u uA; 0.95 x max: peak %d C, %s; 1.2 x max: peak %d C, width %u nm, %s",
	       r.joule.melt_ua, r.joule.max_ua, hi.peak_temp_c,
	       hi.readable ? "readable" : "unreadable", over.peak_temp_c,
	       over.mark_width_nm, over.readable ? "readable" : "unreadable");
	EXPECT_TRUE(hi.readable);
	EXPECT_GT(over.peak_temp_c, hi.peak_temp_c);
	EXPECT_EQ(0, over.mark_width_nm);
	EXPECT_FALSE(over.readable);
	EXPECT_GT(over.unresolved, 0);
}

/*
 * OPC on a layer in current mode searches the current: the window it
 * finds lies inside the one the model's pulses span (melt to damage), the
 * current chosen inside that, and it records readable marks.
 */
TEST(joule_opc_searches_the_current)
{
	static const char * const media[] = { "bd-re", "bd-re-dl", "bd-re-dl" };
	static const u32 layer[] = { 0, 0, 1 };
	static struct osm_stack st;
	struct osm_sim_result r, at;
	struct osm_opc_result o;
	u32 i;

	for (i = 0; i < 3; i++) {
		struct osm_compile_in in = { .stack = &st, .layer = layer[i],
			.velocity_mms = OSM_1X_MMS, .strategy = OSM_STRAT_AUTO,
			.write_uw = 6000, .bias_uw = 2000,
			.channel_bit_pm = OSM_GEO_REF_CHANNEL_BIT_PM,
			.mode = OSM_MODE_CURRENT };

		ASSERT_EQ(0, osm_stack_preset(&st, media[i]));
		ASSERT_EQ(0, osm_model_opc(&in, &o));
		ASSERT_EQ(0, run(media[i], layer[i], 0, &r));
		ASSERT_EQ(0, run(media[i], layer[i], o.current_ua, &at));
		TH_LOG("%s L%u: OPC %u uA (window %u-%u, pulses' %u-%u), jitter %.2f %% after %u test writes; written there: %s",
		       media[i], layer[i], o.current_ua, o.window_lo_ua,
		       o.window_hi_ua, r.joule.melt_ua, r.joule.max_ua,
		       o.jitter_q16 * 100.0 / 65536, o.steps,
		       at.readable ? "readable" : "unreadable");
		EXPECT_GT(o.window_lo_ua, r.joule.melt_ua);
		EXPECT_LT(o.window_hi_ua, r.joule.max_ua);
		EXPECT_GE(o.current_ua, o.window_lo_ua);
		EXPECT_LE(o.current_ua, o.window_hi_ua);
		EXPECT_TRUE(at.readable);
		/* the laser's settings are left as they were */
		EXPECT_EQ(6000, o.power_uw);
		EXPECT_EQ(2000, o.bias_uw);
	}
}

TEST(joule_needs_a_phase_change_layer)
{
	struct osm_sim_result r;

	EXPECT_EQ(-EINVAL, run("bd-r", 0, 0, &r));
	EXPECT_EQ(-EINVAL, run("bd-r-dl", 1, 0, &r));
	EXPECT_EQ(-EINVAL, run("bd-re", 0, OPTSIM_CURRENT_MAX_UA + 1, &r));
}

TEST_HARNESS_MAIN
