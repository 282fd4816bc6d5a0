// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the media geometry: layer mapping, opposite track path and
 * radii, against the BD format figures (25 GB layer = 12,219,392 sectors
 * over the 24-58 mm data zone; 74.5 nm channel bit).
 */
#include "kselftest_harness.h"
#include "geometry.h"

#define REF	OSM_GEO_REF_LAYER_SECTORS

TEST(init_refuses_impossible_shapes)
{
	struct osm_geometry geo = { .layers = 7, .layer_sectors = 9 };

	EXPECT_EQ(-EINVAL, osm_geometry_init(&geo, 0, REF));
	EXPECT_EQ(-EINVAL, osm_geometry_init(&geo, 3, REF));
	EXPECT_EQ(-EINVAL, osm_geometry_init(&geo, 1, REF + 1));
	EXPECT_EQ(-EINVAL, osm_geometry_init(&geo, 1, OSM_GEO_MIN_LAYER_SECTORS - 32));
	EXPECT_EQ(-EINVAL, osm_geometry_init(&geo, 2, OSM_GEO_MAX_LAYER_SECTORS + 32));
	/* A refused shape leaves the geometry as it was. */
	EXPECT_EQ(7U, geo.layers);
	EXPECT_EQ(9U, geo.layer_sectors);

	ASSERT_EQ(0U, osm_geometry_init(&geo, 2, REF));
	EXPECT_EQ(2 * REF, osm_geometry_capacity(&geo));
	ASSERT_EQ(0U, osm_geometry_init(&geo, 1, OSM_GEO_MIN_LAYER_SECTORS));
	ASSERT_EQ(0U, osm_geometry_init(&geo, 2, OSM_GEO_MAX_LAYER_SECTORS));
}

/* the shim's userspace int_sqrt64(), which the model's radii depend on */
TEST(int_sqrt64_exact_and_floor)
{
	u64 x;

	EXPECT_EQ(0U, int_sqrt64(0));
	EXPECT_EQ(1U, int_sqrt64(3));
	EXPECT_EQ(2U, int_sqrt64(4));
	EXPECT_EQ(4294967295U, int_sqrt64(~0ULL));
	EXPECT_EQ(65536U, int_sqrt64(1ULL << 32));
	for (x = 1; x < 2000000; x += 997) {
		u64 r = int_sqrt64(x * x + x);	/* just below (x+1)^2 */

		ASSERT_EQ(x, r);
		ASSERT_EQ(x + 1, int_sqrt64((x + 1) * (x + 1)));
	}
}

TEST(full_layer_spans_the_data_zone)
{
	struct osm_geometry geo;
	struct osm_location first, last;

	ASSERT_EQ(0U, osm_geometry_init(&geo, 1, REF));
	osm_geometry_locate(&geo, 0, &first);
	osm_geometry_locate(&geo, REF - 1, &last);
	EXPECT_EQ(0U, first.layer);
	EXPECT_EQ(0U, first.psn);
	EXPECT_GE(first.radius_um, 24000U);
	EXPECT_LE(first.radius_um, 24001U);
	EXPECT_GE(last.radius_um, 57999U);
	EXPECT_LE(last.radius_um, 58000U);
	/* Constant linear density: half the sectors lie outside r where
	 * r^2 is the mean of r_in^2 and r_out^2, about 44.39 mm. */
	osm_geometry_locate(&geo, REF / 2, &first);
	EXPECT_GE(first.radius_um, 44380U);
	EXPECT_LE(first.radius_um, 44400U);
	EXPECT_EQ(74500U, osm_geometry_channel_bit_pm(&geo));
}

TEST(dual_layer_opposite_track_path)
{
	struct osm_geometry geo;
	struct osm_location a, b;
	u64 lba;

	ASSERT_EQ(0U, osm_geometry_init(&geo, 2, REF));
	/* L0 runs outwards, L1 inwards, and the layer change is at the rim. */
	osm_geometry_locate(&geo, REF - 1, &a);
	osm_geometry_locate(&geo, REF, &b);
	EXPECT_EQ(0U, a.layer);
	EXPECT_EQ(1U, b.layer);
	EXPECT_EQ(0U, b.psn);
	EXPECT_EQ(a.radius_um, b.radius_um);
	osm_geometry_locate(&geo, 2 * REF - 1, &b);
	EXPECT_EQ(1U, b.layer);
	EXPECT_EQ(REF - 1, b.psn);
	EXPECT_LE(b.radius_um, 24001U);

	for (lba = 0; lba + 100003 < REF; lba += 100003) {
		osm_geometry_locate(&geo, lba, &a);
		osm_geometry_locate(&geo, lba + 100003, &b);
		ASSERT_LT(a.radius_um, b.radius_um);
		osm_geometry_locate(&geo, REF + lba, &a);
		osm_geometry_locate(&geo, REF + lba + 100003, &b);
		ASSERT_GT(a.radius_um, b.radius_um);
		ASSERT_EQ(lba + 100003, b.psn);
	}
}

TEST(small_layer_stays_near_the_hub_and_big_layer_is_denser)
{
	struct osm_geometry geo;
	struct osm_location loc;

	ASSERT_EQ(0U, osm_geometry_init(&geo, 2, 32768));
	osm_geometry_locate(&geo, 32767, &loc);
	EXPECT_LT(loc.radius_um, 24200U);
	EXPECT_EQ(74500U, osm_geometry_channel_bit_pm(&geo));

	ASSERT_EQ(0U, osm_geometry_init(&geo, 1, OSM_GEO_MAX_LAYER_SECTORS));
	osm_geometry_locate(&geo, OSM_GEO_MAX_LAYER_SECTORS - 1, &loc);
	EXPECT_LE(loc.radius_um, 58000U);
	EXPECT_GE(loc.radius_um, 57999U);
	EXPECT_LT(osm_geometry_channel_bit_pm(&geo), 74500U);
	EXPECT_GT(osm_geometry_channel_bit_pm(&geo), 54000U);
}

TEST_HARNESS_MAIN
