// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the disc image format's layout and checks
 * (driver/model/image_format.c), which the module and optsimctl share:
 * the CRC-32C check value, the layout of the default discs, and a fuzz of
 * headers and metadata blocks (random and mutated, IMAGE_FUZZ_CASES of
 * each): every case is either accepted or refused with one of the
 * documented errnos and a message, and nothing reads out of bounds. The
 * journal: a flush cut short is replayed, a torn journal or an applied one
 * is not, and a fuzz of commit records and journals (IMAGE_FUZZ_CASES)
 * gives clean refusals or a consistent image.
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

TEST(recording_mode_is_a_version_3_field)
{
	struct optsim_image_header h;
	struct osm_image_layout lo, got;
	const char *why;

	ASSERT_EQ(0, osm_image_layout(&lo, OPTSIM_MEDIA_BD_RE_DL, 4096));
	osm_image_header_new(&h, &lo, OPTSIM_MEDIA_BD_RE_DL);
	h.layer[1].mode = htole32(OPTSIM_MODE_CURRENT);
	h.layer[1].current_ua = htole32(OPTSIM_CURRENT_MIN_UA);
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(0, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	/* In a version 2 image the same words are reserved. */
	h.version = htole32(2);
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(-EINVAL, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	EXPECT_NE(NULL, strstr(why, "reserved"));
	h.layer[1].mode = 0;
	h.layer[1].current_ua = 0;
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(0, osm_image_header_check(&h, lo.file_bytes, &got, &why));
	/* The words left in reserve stay refused. */
	h.version = htole32(OPTSIM_IMAGE_VERSION);
	h.layer[0].reserved[1] = htole32(1);
	h.crc = htole32(osm_image_header_crc(&h));
	EXPECT_EQ(-EINVAL, osm_image_header_check(&h, lo.file_bytes, &got, &why));
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

/*
 * An image in memory for osm_image_open(): the header block and the
 * metadata, then the journal. The data area reads as zeros (a hole).
 */
struct memimg {
	struct osm_image_layout lo;
	u8 *buf;		/* [0, data_offset), then the journal */
	u64 jbytes;		/* bytes of the journal area */
	struct optsim_image_meta_block scratch;
	u64 reads_past;		/* reads that went past the file */
};

static int memimg_read(void *ctx, void *buf, size_t len, u64 pos)
{
	struct memimg *mi = ctx;
	u8 *out = buf;
	size_t i;

	/* The common cases, whole: the header block and metadata, the journal. */
	if (pos + len <= mi->lo.data_offset) {
		memcpy(buf, mi->buf + pos, len);
		return 0;
	}
	if (pos >= mi->lo.file_bytes &&
	    pos + len <= mi->lo.file_bytes + mi->jbytes) {
		memcpy(buf, mi->buf + mi->lo.data_offset + pos - mi->lo.file_bytes,
		       len);
		return 0;
	}
	for (i = 0; i < len; i++, pos++) {
		if (pos < mi->lo.data_offset)
			out[i] = mi->buf[pos];
		else if (pos < mi->lo.file_bytes)
			out[i] = 0;
		else if (pos < mi->lo.file_bytes + mi->jbytes)
			out[i] = mi->buf[mi->lo.data_offset + pos - mi->lo.file_bytes];
		else {
			mi->reads_past++;
			return -EIO;
		}
	}
	return 0;
}

static struct osm_image_io memimg_io(struct memimg *mi)
{
	return (struct osm_image_io) {
		.read = memimg_read, .ctx = mi,
		.file_bytes = mi->lo.file_bytes + mi->jbytes,
		.block = &mi->scratch,
	};
}

static u8 *memimg_at(struct memimg *mi, u64 pos)
{
	if (pos >= mi->lo.file_bytes)
		return mi->buf + mi->lo.data_offset + pos - mi->lo.file_bytes;
	return mi->buf + pos;
}

/* A BD-RE of 9 metadata blocks; flush 1 in place (cluster 800 recorded). */
static void memimg_init(struct memimg *mi)
{
	struct optsim_image_header *h;
	struct optsim_image_meta_block *b;
	u64 i;

	osm_image_layout(&mi->lo, OPTSIM_MEDIA_BD_RE, 65536);
	mi->jbytes = OPTSIM_IMAGE_HEADER_BYTES +
		     mi->lo.meta_blocks * OPTSIM_IMAGE_META_BLOCK_BYTES;
	if (!mi->buf)
		mi->buf = malloc(mi->lo.data_offset + mi->jbytes);
	memset(mi->buf, 0, mi->lo.data_offset + mi->jbytes);
	h = (void *)mi->buf;
	osm_image_header_new(h, &mi->lo, OPTSIM_MEDIA_BD_RE);
	h->seq = htole64(1);
	h->crc = htole32(osm_image_header_crc(h));
	for (i = 0; i < mi->lo.meta_blocks; i++) {
		b = (void *)(mi->buf + OPTSIM_IMAGE_META_OFFSET +
			     i * OPTSIM_IMAGE_META_BLOCK_BYTES);
		osm_image_meta_new(b, i);
		if (i == 3) {
			b->rec[800 - 765].flags = htole32(OPTSIM_QUALITY_F_RECORDED);
			b->rec[800 - 765].writes = htole32(1);
			b->crc = htole32(osm_image_meta_crc(b));
		}
	}
	mi->reads_past = 0;
}

/*
 * Journal flush 2: the header with the FORMATTED flag, and blocks 3 and 5
 * with cluster 801 and 1300 recorded; @applied marks it in place.
 */
static void memimg_journal(struct memimg *mi, bool applied)
{
	struct optsim_image_header *h = (void *)memimg_at(mi, mi->lo.file_bytes);
	struct optsim_image_journal *j;
	struct optsim_image_meta_block *b;
	u64 blocks[2] = { 3, 5 }, i;
	u32 crc;

	memcpy(h, mi->buf, sizeof(*h));
	h->flags = htole32(OPTSIM_IMAGE_F_FORMATTED);
	h->seq = htole64(2);
	h->crc = htole32(osm_image_header_crc(h));
	crc = osm_image_payload_crc(~0U, h, sizeof(*h));
	for (i = 0; i < 2; i++) {
		b = (void *)memimg_at(mi, mi->lo.file_bytes +
				      OPTSIM_IMAGE_HEADER_BYTES +
				      i * OPTSIM_IMAGE_META_BLOCK_BYTES);
		memcpy(b, mi->buf + OPTSIM_IMAGE_META_OFFSET +
		       blocks[i] * OPTSIM_IMAGE_META_BLOCK_BYTES, sizeof(*b));
		b->rec[i ? 1300 - 1275 : 801 - 765].flags =
			htole32(OPTSIM_QUALITY_F_RECORDED);
		b->crc = htole32(osm_image_meta_crc(b));
		crc = osm_image_payload_crc(crc, b, sizeof(*b));
	}
	j = (void *)(mi->buf + OPTSIM_IMAGE_JOURNAL_COMMIT);
	osm_image_journal_new(j, 2, mi->lo.file_bytes, 2,
			      osm_image_payload_end(crc));
	if (applied) {
		j->flags = htole32(OPTSIM_IMAGE_JOURNAL_F_APPLIED);
		j->crc = htole32(osm_image_journal_crc(j));
	}
}

/* Whether cluster @c is recorded in metadata block @blk as read. */
static bool rec_recorded(const struct optsim_image_meta_block *blk, u64 c)
{
	return le32toh(blk[c / 255].rec[c % 255].flags) &
	       OPTSIM_QUALITY_F_RECORDED;
}

/* Read every metadata block through osm_image_meta_read(), 4 at a time. */
static int memimg_meta(struct memimg *mi, struct osm_image_replay *jr,
		       struct optsim_image_meta_block *all, const char **why)
{
	struct osm_image_io io = memimg_io(mi);
	u64 b, n;
	int ret;

	for (b = 0; b < mi->lo.meta_blocks; b += n) {
		n = mi->lo.meta_blocks - b < 4 ? mi->lo.meta_blocks - b : 4;
		ret = osm_image_meta_read(&io, &mi->lo, jr, b, n, &all[b], why);
		if (ret)
			return ret;
	}
	return 0;
}

TEST(journal_replays_a_flush_cut_short)
{
	struct optsim_image_meta_block all[9];
	struct optsim_image_header h;
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct osm_image_io io;
	struct memimg mi = {};
	const char *why = NULL;

	memimg_init(&mi);
	memimg_journal(&mi, false);
	/* The crash tore block 3 and the header in place. */
	memset(mi.buf + OPTSIM_IMAGE_META_OFFSET + 3 * 4096 + 2048, 0x5a, 2048);
	memset(mi.buf + 4096, 0xff, 8);
	io = memimg_io(&mi);
	ASSERT_EQ(0, osm_image_open(&io, &h, &lo, &jr, &why));
	EXPECT_EQ(2U, le64toh(h.seq));
	EXPECT_EQ(OPTSIM_IMAGE_F_FORMATTED, le32toh(h.flags));
	EXPECT_EQ(2U, jr.blocks);
	ASSERT_EQ(0, memimg_meta(&mi, &jr, all, &why));
	EXPECT_TRUE(rec_recorded(all, 800));
	EXPECT_TRUE(rec_recorded(all, 801));
	EXPECT_TRUE(rec_recorded(all, 1300));
	EXPECT_EQ(0U, mi.reads_past);
	free(mi.buf);
}

TEST(journal_applied_or_stale_is_not_replayed)
{
	struct optsim_image_meta_block all[9];
	struct optsim_image_header h, *in_place;
	struct optsim_image_journal *j;
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct osm_image_io io;
	struct memimg mi = {};
	const char *why = NULL;

	memimg_init(&mi);
	memimg_journal(&mi, true);
	io = memimg_io(&mi);
	ASSERT_EQ(0, osm_image_open(&io, &h, &lo, &jr, &why));
	EXPECT_EQ(1U, le64toh(h.seq));
	EXPECT_EQ(0U, jr.blocks);
	ASSERT_EQ(0, memimg_meta(&mi, &jr, all, &why));
	EXPECT_FALSE(rec_recorded(all, 801));
	/* Not applied, but older than the header in place. */
	memimg_journal(&mi, false);
	in_place = (void *)mi.buf;
	in_place->seq = htole64(3);
	in_place->crc = htole32(osm_image_header_crc(in_place));
	ASSERT_EQ(0, osm_image_open(&io, &h, &lo, &jr, &why));
	EXPECT_EQ(3U, le64toh(h.seq));
	EXPECT_EQ(0U, jr.blocks);
	/* A version 1 header with a flush number is refused. */
	j = (void *)(mi.buf + OPTSIM_IMAGE_JOURNAL_COMMIT);
	memset(j, 0, sizeof(*j));
	in_place->version = htole32(1);
	in_place->crc = htole32(osm_image_header_crc(in_place));
	EXPECT_EQ(-EINVAL, osm_image_open(&io, &h, &lo, &jr, &why));
	free(mi.buf);
}

TEST(journal_torn_keeps_the_last_whole_flush)
{
	struct optsim_image_meta_block all[9], *b;
	struct optsim_image_header h;
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct osm_image_io io;
	struct memimg mi = {};
	const char *why = NULL;

	memimg_init(&mi);
	memimg_journal(&mi, false);
	/* The second block of the journal never made it: an older one's. */
	b = (void *)memimg_at(&mi, mi.lo.file_bytes + OPTSIM_IMAGE_HEADER_BYTES +
			      4096);
	b->rec[1300 - 1275].flags = 0;
	b->crc = htole32(osm_image_meta_crc(b));
	io = memimg_io(&mi);
	ASSERT_EQ(0, osm_image_open(&io, &h, &lo, &jr, &why));
	EXPECT_EQ(1U, le64toh(h.seq));
	EXPECT_EQ(0U, jr.blocks);
	ASSERT_EQ(0, memimg_meta(&mi, &jr, all, &why));
	EXPECT_TRUE(rec_recorded(all, 800));
	EXPECT_FALSE(rec_recorded(all, 801));
	/* With the header in place torn too, nothing is left to load. */
	memset(mi.buf + 4096, 0xff, 8);
	why = NULL;
	EXPECT_EQ(-EBADMSG, osm_image_open(&io, &h, &lo, &jr, &why));
	EXPECT_NE(NULL, why);
	free(mi.buf);
}

TEST(fuzz_journals)
{
	struct optsim_image_meta_block all[9];
	struct optsim_image_journal *j;
	struct optsim_image_header h;
	struct osm_image_replay jr;
	struct osm_image_layout lo;
	struct osm_image_io io;
	u32 i, replayed = 0, refused = 0;
	struct memimg mi = {};
	const char *why;
	int ret;

	for (i = 0; i < IMAGE_FUZZ_CASES / 4; i++) {
		memimg_init(&mi);
		memimg_journal(&mi, false);
		j = (void *)(mi.buf + OPTSIM_IMAGE_JOURNAL_COMMIT);
		switch (i % 4) {
		case 0:
			mutate((u8 *)j, sizeof(*j));
			break;
		case 1:
			mutate(memimg_at(&mi, mi.lo.file_bytes), sizeof(h));
			break;
		case 2:
			mutate(memimg_at(&mi, mi.lo.file_bytes +
					 OPTSIM_IMAGE_HEADER_BYTES), 8192);
			break;
		default:
			mutate(mi.buf, sizeof(h));
			mutate((u8 *)j, sizeof(*j));
			break;
		}
		/* Half of the records get a checksum that matches. */
		if (i % 2)
			j->crc = htole32(osm_image_journal_crc(j));
		io = memimg_io(&mi);
		why = NULL;
		ret = osm_image_open(&io, &h, &lo, &jr, &why);
		ASSERT_TRUE(refusal_ok(ret, why)) {
			TH_LOG("case %u: %d", i, ret);
		}
		if (!ret) {
			why = NULL;
			ret = memimg_meta(&mi, &jr, all, &why);
			ASSERT_TRUE(refusal_ok(ret, why));
			replayed += !!jr.blocks;
		}
		refused += !!ret;
		ASSERT_EQ(0U, mi.reads_past);
	}
	free(mi.buf);
	TH_LOG("%u journals: %u replayed, %u refused", i, replayed, refused);
	EXPECT_GT(replayed, 0U);
}

TEST_HARNESS_MAIN
