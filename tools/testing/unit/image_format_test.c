// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the disc image format's layout and checks
 * (driver/model/image_format.c), which the module and optsimctl share:
 * the CRC-32C check value, the layout of the default discs, and a fuzz of
 * headers and metadata blocks (random and mutated, IMAGE_FUZZ_CASES of
 * each): every case is either accepted or refused with one of the
 * documented errnos and a message, and nothing reads out of bounds.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "image_format.h"

/* Cases of each kind the fuzz runs; make check runs them all. */
#define IMAGE_FUZZ_CASES	20000
#define DEFAULT_LS		((u64)OPTSIM_LAYER_SECTORS_DEFAULT)
#define GIB			(1024ULL * 1024 * 1024)

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

/* splitmix64: a fixed sequence, so a failure reproduces */
static u64 rng(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool refusal_ok(int ret, const char *why)
{
	if (!ret)
		return true;
	return (ret == -EINVAL || ret == -EBADMSG || ret == -EOPNOTSUPP) &&
	       why && *why;
}

TEST(crc32c_check_value)
{
	/* The CRC-32C check value of "123456789" (RFC 3720, iSCSI). */
	EXPECT_EQ(0xe3069283U, ~osm_crc32c_raw(~0U, "123456789", 9));
	/* It chains, as the kernel's crc32c() does. */
	EXPECT_EQ(0xe3069283U,
		  ~osm_crc32c_raw(osm_crc32c_raw(~0U, "1234", 4), "56789", 5));
}

TEST(layout_of_a_bd_r_dl)
{
	struct osm_image_layout lo;
	u64 clusters = 2 * DEFAULT_LS / OPTSIM_CLUSTER_SECTORS;

	ASSERT_EQ(0, osm_image_layout(&lo, OPTSIM_MEDIA_BD_R_DL, DEFAULT_LS));
	EXPECT_EQ(2U, lo.layers);
	EXPECT_EQ(clusters, lo.clusters);
	EXPECT_EQ((clusters + 254) / 255, lo.meta_blocks);
	EXPECT_EQ(0U, lo.data_offset % OPTSIM_IMAGE_DATA_ALIGN);
	EXPECT_GE(lo.data_offset, OPTSIM_IMAGE_META_OFFSET +
		  lo.meta_blocks * OPTSIM_IMAGE_META_BLOCK_BYTES);
	/* 50 GB of data: the metadata is 16 bytes a cluster, 256 KiB a GiB. */
	EXPECT_EQ(lo.data_offset + 2 * DEFAULT_LS * 2048, lo.file_bytes);
	EXPECT_LT(lo.data_offset, 14 * 1024 * 1024);
	EXPECT_EQ(4096U, sizeof(struct optsim_image_meta_block));
	EXPECT_LE(sizeof(struct optsim_image_header), OPTSIM_IMAGE_HEADER_BYTES);
	EXPECT_EQ(-EINVAL, osm_image_layout(&lo, OPTSIM_MEDIA_NONE, DEFAULT_LS));
	EXPECT_EQ(-EINVAL, osm_image_layout(&lo, 5, DEFAULT_LS));
	EXPECT_EQ(-EINVAL, osm_image_layout(&lo, OPTSIM_MEDIA_BD_R, 1000));
}

TEST(new_header_and_block_pass_their_checks)
{
	struct optsim_image_header h;
	struct optsim_image_meta_block b;
	struct osm_image_layout lo, got;
	const char *why = NULL;
	u32 media;

	for (media = OPTSIM_MEDIA_BD_R; media <= OPTSIM_MEDIA_BD_RE_DL; media++) {
		ASSERT_EQ(0, osm_image_layout(&lo, media, 65536));
		ASSERT_LT(1U, lo.meta_blocks);
		osm_image_header_new(&h, &lo, media);
		ASSERT_EQ(0, osm_image_header_check(&h, lo.file_bytes, &got, &why));
		EXPECT_EQ(lo.file_bytes, got.file_bytes);
		/* One byte short of the geometry: truncated. */
		EXPECT_EQ(-EINVAL, osm_image_header_check(&h, lo.file_bytes - 1,
							  &got, &why));
		EXPECT_NE(NULL, strstr(why, "truncated"));
		osm_image_meta_new(&b, lo.meta_blocks - 1);
		EXPECT_EQ(0, osm_image_meta_check(&b, lo.meta_blocks - 1, &lo, &why));
		/* A block in another block's place */
		EXPECT_EQ(-EINVAL, osm_image_meta_check(&b, 0, &lo, &why));
	}
}

TEST(bad_headers_are_refused_with_their_errno)
{
	struct optsim_image_header h;
	struct osm_image_layout lo, got;
	const char *why;

	ASSERT_EQ(0, osm_image_layout(&lo, OPTSIM_MEDIA_BD_R, 4096));
	osm_image_header_new(&h, &lo, OPTSIM_MEDIA_BD_R);
	h.magic[0] ^= 1;
	EXPECT_EQ(-EINVAL, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	EXPECT_NE(NULL, strstr(why, "magic"));

	osm_image_header_new(&h, &lo, OPTSIM_MEDIA_BD_R);
	h.version = htole32(OPTSIM_IMAGE_VERSION + 1);
	EXPECT_EQ(-EOPNOTSUPP, osm_image_header_check(&h, lo.file_bytes, &got,
						      &why));

	osm_image_header_new(&h, &lo, OPTSIM_MEDIA_BD_R);
	h.full_erases = htole64(3);
	EXPECT_EQ(-EBADMSG, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	/* With its checksum right, it is a header like any other. */
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(0, osm_image_header_check(&h, lo.file_bytes, &got, &why));

	/* A track past the end of the user area */
	h.nr_tracks = htole32(1);
	h.track[0].end = htole64(4096 + 32);
	h.track[0].session = htole32(1);
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(-EINVAL, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	h.track[0].end = htole64(4096);
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(0, osm_image_header_check(&h, lo.file_bytes, &got, &why));
}

/* Flip, set or randomize a few bytes of @p; sometimes fix the checksum. */
static void mutate(u8 *p, size_t len)
{
	u32 i, n = 1 + rng() % 4;

	for (i = 0; i < n; i++) {
		size_t at = rng() % len;

		switch (rng() % 3) {
		case 0:
			p[at] ^= 1 << (rng() % 8);
			break;
		case 1:
			p[at] = 0xff;
			break;
		default:
			p[at] = (u8)rng();
			break;
		}
	}
}

TEST(fuzz_headers)
{
	struct optsim_image_header *h = malloc(sizeof(*h));
	struct osm_image_layout lo, got;
	u32 i, accepted = 0, refused = 0;
	const char *why;
	int ret;

	ASSERT_NE(NULL, h);
	for (i = 0; i < IMAGE_FUZZ_CASES; i++) {
		u32 media = 1 + rng() % 4;

		ASSERT_EQ(0, osm_image_layout(&lo, media, 1024 + 32 * (rng() % 4096)));
		osm_image_header_new(h, &lo, media);
		if (i % 8 == 0) {
			/* all random */
			size_t k;

			for (k = 0; k < sizeof(*h); k++)
				((u8 *)h)[k] = (u8)rng();
		} else {
			mutate((u8 *)h, i % 2 ? 320 : sizeof(*h));
		}
		/* Half of the cases get a checksum that matches. */
		if (i % 2)
			h->crc = htole32(osm_image_header_crc(h));
		why = NULL;
		ret = osm_image_header_check(h, rng() % 2 ? lo.file_bytes : rng(),
					     &got, &why);
		ASSERT_TRUE(refusal_ok(ret, why)) {
			TH_LOG("case %u: %d", i, ret);
		}
		if (ret) {
			refused++;
			continue;
		}
		accepted++;
		/* What passes describes a consistent file. */
		ASSERT_LE(got.data_offset, got.file_bytes);
		ASSERT_EQ(got.meta_blocks, le64toh(h->meta_blocks));
		ASSERT_LE(le32toh(h->nr_tracks), OPTSIM_IMAGE_MAX_TRACKS);
	}
	TH_LOG("%u headers: %u accepted, %u refused", i, accepted, refused);
	EXPECT_GT(refused, IMAGE_FUZZ_CASES / 2);
	free(h);
}

TEST(fuzz_meta_blocks)
{
	struct optsim_image_meta_block b;
	struct osm_image_layout lo;
	u32 i, refused = 0;
	const char *why;
	u64 block;
	int ret;

	ASSERT_EQ(0, osm_image_layout(&lo, OPTSIM_MEDIA_BD_RE, 4096));
	for (i = 0; i < IMAGE_FUZZ_CASES; i++) {
		block = rng() % lo.meta_blocks;
		osm_image_meta_new(&b, block);
		mutate((u8 *)&b, sizeof(b));
		if (i % 2)
			b.crc = htole32(osm_image_meta_crc(&b));
		why = NULL;
		ret = osm_image_meta_check(&b, block, &lo, &why);
		ASSERT_TRUE(refusal_ok(ret, why));
		refused += !!ret;
	}
	TH_LOG("%u blocks: %u refused", i, refused);
	EXPECT_GT(refused, IMAGE_FUZZ_CASES / 2);
}

TEST_HARNESS_MAIN
