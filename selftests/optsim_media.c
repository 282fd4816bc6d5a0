// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_media - the media rules: a BD-R cluster records once, a finalized
 * disc refuses writes, a BD-RE overwrites, counts its DOW cycles and
 * erases (quick and full).
 */
#include "optsim_utils.h"

/* ========================================================================
 * write_once: BD-R recording rules
 * ======================================================================== */

#define WO_LAYER	4096ULL

FIXTURE(write_once) {
	int fd;
	__u64 base;	/* a cluster-aligned LBA with room for 16 clusters */
	__u32 layer;	/* the layer base lies on */
	__u64 cap;
};

FIXTURE_VARIANT(write_once) {
	__u32 media;
	__u64 base;
};

FIXTURE_VARIANT_ADD(write_once, bd_r) {
	.media = OPTSIM_MEDIA_BD_R,
	.base = 256,
};

FIXTURE_VARIANT_ADD(write_once, bd_r_dl_l0) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.base = 256,
};

FIXTURE_VARIANT_ADD(write_once, bd_r_dl_l1) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.base = WO_LAYER + 256,
};

FIXTURE_SETUP(write_once)
{
	self->fd = open_and_load(_metadata, variant->media, WO_LAYER);
	self->base = variant->base;
	self->layer = self->base >= WO_LAYER;
	self->cap = WO_LAYER * media_layers(variant->media);
}

FIXTURE_TEARDOWN(write_once)
{
	close(self->fd);
}

TEST_F(write_once, first_write)
{
	struct optsim_info info;
	struct optsim_cluster_info ci;

	write_ok(_metadata, self->fd, self->base, CLUSTER, 1);
	expect_content(_metadata, self->fd, self->base, CLUSTER, 1);
	get_cluster(_metadata, self->fd, self->base, &ci);
	EXPECT_EQ(OPTSIM_CLUSTER_F_RECORDED, ci.flags);
	EXPECT_EQ(self->layer, ci.layer);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(1ULL, info.recorded_clusters[self->layer]);
	EXPECT_EQ(0ULL, info.recorded_clusters[!self->layer]);
	EXPECT_EQ(self->base + CLUSTER, info.nwa);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_NWA_VALID,
		  info.flags);
}

TEST_F(write_once, rewrite_refused)
{
	struct optsim_info before, after;
	__u64 b = self->base;

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	get_info(_metadata, self->fd, &before);
	write_fails(_metadata, self->fd, b, CLUSTER, 2, EIO);
	write_fails(_metadata, self->fd, b + 7, 1, 2, EIO);
	write_fails(_metadata, self->fd, b + CLUSTER - 1, 1, 2, EIO);
	write_fails(_metadata, self->fd, b, 1, 1, EIO);	/* even the same data */
	expect_content(_metadata, self->fd, b, CLUSTER, 1);
	get_info(_metadata, self->fd, &after);
	expect_same_medium(_metadata, &before, &after);
}

/* Recorded cluster then a blank one: the write is refused as a whole. */
TEST_F(write_once, overlap_blank_after)
{
	__u64 c = self->base;

	write_ok(_metadata, self->fd, c, CLUSTER, 1);
	write_fails(_metadata, self->fd, c + CLUSTER / 2, CLUSTER, 2, EIO);
	write_fails(_metadata, self->fd, c + CLUSTER - 1, 2, 2, EIO);
	write_fails(_metadata, self->fd, c, 3 * CLUSTER, 2, EIO);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c + CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c + 2 * CLUSTER));
	expect_content(_metadata, self->fd, c, CLUSTER, 1);
	expect_content(_metadata, self->fd, c + CLUSTER, 2 * CLUSTER, 0);
	/* The blank cluster really is still blank: it records now. */
	write_ok(_metadata, self->fd, c + CLUSTER, CLUSTER, 3);
	expect_content(_metadata, self->fd, c + CLUSTER, CLUSTER, 3);
}

/* A blank cluster then a recorded one. */
TEST_F(write_once, overlap_blank_before)
{
	__u64 c = self->base;
	struct optsim_info info;

	write_ok(_metadata, self->fd, c + 2 * CLUSTER, CLUSTER, 1);
	write_fails(_metadata, self->fd, c + CLUSTER + CLUSTER / 2, CLUSTER, 2,
		    EIO);
	write_fails(_metadata, self->fd, c, 3 * CLUSTER, 2, EIO);
	write_fails(_metadata, self->fd, c + CLUSTER, 4 * CLUSTER, 2, EIO);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c + CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c + 3 * CLUSTER));
	expect_content(_metadata, self->fd, c, 2 * CLUSTER, 0);
	expect_content(_metadata, self->fd, c + 2 * CLUSTER, CLUSTER, 1);
	expect_content(_metadata, self->fd, c + 3 * CLUSTER, 2 * CLUSTER, 0);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(1ULL, info.recorded_clusters[self->layer]);
	EXPECT_EQ(c + 3 * CLUSTER, info.nwa);
}

TEST_F(write_once, partial_cluster)
{
	__u64 c = self->base;
	struct optsim_info info;

	write_ok(_metadata, self->fd, c + 8, 4, 1);
	EXPECT_TRUE(cluster_recorded(_metadata, self->fd, c));
	expect_content(_metadata, self->fd, c, 8, 0);
	expect_content(_metadata, self->fd, c + 8, 4, 1);
	expect_content(_metadata, self->fd, c + 12, CLUSTER - 12, 0);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(1ULL, info.recorded_clusters[self->layer]);
	EXPECT_EQ(c + CLUSTER, info.nwa);
	/* The rest of the cluster is recorded (as zeros): no second write. */
	write_fails(_metadata, self->fd, c + 20, 1, 2, EIO);
	write_fails(_metadata, self->fd, c, 8, 2, EIO);
	write_fails(_metadata, self->fd, c + 12, CLUSTER - 12, 2, EIO);
	expect_content(_metadata, self->fd, c, 8, 0);
	expect_content(_metadata, self->fd, c + 8, 4, 1);
	expect_content(_metadata, self->fd, c + 12, CLUSTER - 12, 0);
	/* The next cluster is not. */
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, c + CLUSTER));
}

/* A write spanning several clusters records them all in one go. */
TEST_F(write_once, multi_cluster_write)
{
	struct optsim_info info;
	__u64 c;

	write_ok(_metadata, self->fd, self->base, 8 * CLUSTER, 4);
	expect_content(_metadata, self->fd, self->base, 8 * CLUSTER, 4);
	for (c = self->base; c < self->base + 8 * CLUSTER; c += CLUSTER)
		EXPECT_TRUE(cluster_recorded(_metadata, self->fd, c));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(8ULL, info.recorded_clusters[self->layer]);
	EXPECT_EQ(self->base + 8 * CLUSTER, info.nwa);
	write_fails(_metadata, self->fd, self->base + 4 * CLUSTER, 1, 5, EIO);
}

/*
 * 1 MiB: one bio (256 pages), the largest request (max_hw_sectors); were
 * it larger, the block layer would split it at cluster-aligned places
 * (physical_block_size): every cluster is recorded once. (Larger O_DIRECT
 * writes are built from several bios whose boundaries lie wherever the
 * pages of the buffer end, not necessarily on a cluster boundary, so they
 * are not tested here.)
 */
TEST_F(write_once, large_write)
{
	struct optsim_info info;

	write_ok(_metadata, self->fd, self->base, 16 * CLUSTER, 6);
	expect_content(_metadata, self->fd, self->base, 16 * CLUSTER, 6);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(16ULL, info.recorded_clusters[self->layer]);
	EXPECT_EQ(self->base + 16 * CLUSTER, info.nwa);
	EXPECT_TRUE(cluster_recorded(_metadata, self->fd,
				     self->base + 15 * CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd,
				      self->base + 16 * CLUSTER));
}

/*
 * A 1 MiB write (one bio) that starts and ends inside clusters: the block
 * layer must not split it inside a cluster, or the second part finds the
 * cluster already recorded by the first. Every touched cluster is recorded.
 */
TEST_F(write_once, large_unaligned_write)
{
	__u64 lba = self->base + 3, n = 509, c;
	struct optsim_info info;

	write_ok(_metadata, self->fd, lba, n, 7);
	expect_content(_metadata, self->fd, lba, n, 7);
	expect_content(_metadata, self->fd, self->base, 3, 0);
	for (c = self->base; c < lba + n; c += CLUSTER)
		EXPECT_TRUE(cluster_recorded(_metadata, self->fd, c));
	expect_content(_metadata, self->fd, lba + n, c - lba - n, 0);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((c - self->base) / CLUSTER,
		  info.recorded_clusters[self->layer]);
	EXPECT_EQ(c, info.nwa);
}

TEST_F(write_once, nwa)
{
	struct optsim_info info;
	__u64 b = self->base;

	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(0ULL, info.nwa);
	EXPECT_TRUE(!!(info.flags & OPTSIM_INFO_F_NWA_VALID));

	write_ok(_metadata, self->fd, b + 5 * CLUSTER, CLUSTER, 1);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(b + 6 * CLUSTER, info.nwa);

	/* Recording below the highest cluster leaves it where it is. */
	write_ok(_metadata, self->fd, b, CLUSTER, 2);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(b + 6 * CLUSTER, info.nwa);

	/* A partial cluster counts whole. */
	write_ok(_metadata, self->fd, b + 10 * CLUSTER + 3, 1, 3);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(b + 11 * CLUSTER, info.nwa);
	EXPECT_EQ(3ULL, info.recorded_clusters[self->layer]);
	EXPECT_TRUE(!!(info.flags & OPTSIM_INFO_F_NWA_VALID));
}

/* Once the last cluster is recorded there is no next writable address. */
TEST_F(write_once, nwa_at_capacity)
{
	struct optsim_info info;

	write_ok(_metadata, self->fd, self->cap - CLUSTER, CLUSTER, 1);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(self->cap, info.nwa);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE, info.flags);
	EXPECT_EQ(1ULL, info.recorded_clusters[info.layers - 1]);
	/* Lower clusters still record. */
	write_ok(_metadata, self->fd, self->base, CLUSTER, 2);
	expect_content(_metadata, self->fd, self->base, CLUSTER, 2);
}

TEST_F(write_once, recorded_per_layer)
{
	struct optsim_info info;
	__u64 l1 = WO_LAYER;

	write_ok(_metadata, self->fd, 0, CLUSTER, 1);
	write_ok(_metadata, self->fd, 2 * CLUSTER, 2 * CLUSTER, 2);
	write_ok(_metadata, self->fd, WO_LAYER - CLUSTER, CLUSTER, 3);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(4ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	if (info.layers < 2)
		return;
	write_ok(_metadata, self->fd, l1, CLUSTER, 4);
	write_ok(_metadata, self->fd, self->cap - CLUSTER, CLUSTER, 5);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(4ULL, info.recorded_clusters[0]);
	EXPECT_EQ(2ULL, info.recorded_clusters[1]);
	EXPECT_EQ(self->cap, info.nwa);
}

TEST_F(write_once, finalize)
{
	struct optsim_info before, info;
	__u64 b = self->base;

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	get_info(_metadata, self->fd, &before);
	ASSERT_OK(do_finalize(self->fd));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_FINALIZED,
		  info.flags);
	EXPECT_EQ(before.recorded_clusters[0], info.recorded_clusters[0]);
	EXPECT_EQ(before.recorded_clusters[1], info.recorded_clusters[1]);

	/* Every write fails now, blank or not. */
	write_fails(_metadata, self->fd, b + 2 * CLUSTER, CLUSTER, 2, EIO);
	write_fails(_metadata, self->fd, b + CLUSTER + 5, 1, 2, EIO);
	write_fails(_metadata, self->fd, b, CLUSTER, 2, EIO);
	write_fails(_metadata, self->fd, 0, 1, 2, EIO);
	write_fails(_metadata, self->fd, self->cap - CLUSTER, CLUSTER, 2, EIO);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, b + 2 * CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, b + CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, 0));
	/* Reads still work. */
	expect_content(_metadata, self->fd, b, CLUSTER, 1);
	expect_content(_metadata, self->fd, b + CLUSTER, 2 * CLUSTER, 0);

	ASSERT_ERRNO(EALREADY, do_finalize(self->fd));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_FINALIZED,
		  info.flags);
	EXPECT_EQ(before.recorded_clusters[self->layer],
		  info.recorded_clusters[self->layer]);
}

TEST_F(write_once, finalize_blank)
{
	struct optsim_info info;

	ASSERT_OK(do_finalize(self->fd));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_FINALIZED,
		  info.flags);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	write_fails(_metadata, self->fd, self->base, CLUSTER, 1, EIO);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, self->base));
	expect_content(_metadata, self->fd, self->base, CLUSTER, 0);
	ASSERT_ERRNO(EALREADY, do_finalize(self->fd));
}

TEST_F(write_once, erase_refused)
{
	struct optsim_info before, after;

	write_ok(_metadata, self->fd, self->base, CLUSTER, 1);
	get_info(_metadata, self->fd, &before);
	ASSERT_ERRNO(EMEDIUMTYPE, do_erase(self->fd, OPTSIM_ERASE_F_QUICK));
	ASSERT_ERRNO(EMEDIUMTYPE, do_erase(self->fd, 0));
	get_info(_metadata, self->fd, &after);
	expect_same_medium(_metadata, &before, &after);
	EXPECT_EQ(0ULL, after.full_erases);
	EXPECT_TRUE(cluster_recorded(_metadata, self->fd, self->base));
	expect_content(_metadata, self->fd, self->base, CLUSTER, 1);
	write_fails(_metadata, self->fd, self->base, CLUSTER, 2, EIO);
}

/* ========================================================================
 * rewritable: BD-RE overwrite, DOW cycles and erase
 * ======================================================================== */

#define RW_LAYER	4096ULL

FIXTURE(rewritable) {
	int fd;
	__u64 base;	/* a cluster-aligned LBA with room for 8 clusters */
	__u64 cap;
};

FIXTURE_VARIANT(rewritable) {
	__u32 media;
	__u64 base;
};

FIXTURE_VARIANT_ADD(rewritable, bd_re) {
	.media = OPTSIM_MEDIA_BD_RE,
	.base = 256,
};

FIXTURE_VARIANT_ADD(rewritable, bd_re_dl_l0) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.base = 256,
};

FIXTURE_VARIANT_ADD(rewritable, bd_re_dl_l1) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.base = RW_LAYER + 256,
};

FIXTURE_VARIANT_ADD(rewritable, bd_re_dl_boundary) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.base = RW_LAYER - 4 * CLUSTER,
};

FIXTURE_SETUP(rewritable)
{
	self->fd = open_and_load(_metadata, variant->media, RW_LAYER);
	self->base = variant->base;
	self->cap = RW_LAYER * media_layers(variant->media);
}

FIXTURE_TEARDOWN(rewritable)
{
	close(self->fd);
}

TEST_F(rewritable, overwrite)
{
	__u64 b = self->base;
	struct optsim_info info;

	write_ok(_metadata, self->fd, b, 2 * CLUSTER, 1);
	expect_content(_metadata, self->fd, b, 2 * CLUSTER, 1);
	write_ok(_metadata, self->fd, b, 2 * CLUSTER, 2);
	expect_content(_metadata, self->fd, b, 2 * CLUSTER, 2);
	write_ok(_metadata, self->fd, b + CLUSTER, CLUSTER, 3);
	expect_content(_metadata, self->fd, b, CLUSTER, 2);
	expect_content(_metadata, self->fd, b + CLUSTER, CLUSTER, 3);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(0U, info.flags & OPTSIM_INFO_F_WRITE_ONCE);
	EXPECT_EQ(2ULL, info.recorded_clusters[0] + info.recorded_clusters[1]);
	EXPECT_EQ(b + 2 * CLUSTER, info.nwa);
}

TEST_F(rewritable, dow_counts)
{
	__u64 b = self->base + CLUSTER;	/* the cluster under test */
	__u64 prev = b - CLUSTER, next = b + CLUSTER;
	__u32 i;

	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, b));
	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, b));
	for (i = 2; i <= 4; i++) {
		write_ok(_metadata, self->fd, b, CLUSTER, i);
		EXPECT_EQ(i, cluster_dow(_metadata, self->fd, b));
	}
	/* A one-sector write is a cycle of the whole cluster. */
	write_ok(_metadata, self->fd, b + 5, 1, 9);
	EXPECT_EQ(5U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, prev));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, next));
	/* Two sectors across the end: both clusters get a cycle. */
	write_ok(_metadata, self->fd, b + CLUSTER - 1, 2, 10);
	EXPECT_EQ(6U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, next));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, prev));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, next + CLUSTER));
	/* Every sector of a cluster reports its cluster's count. */
	EXPECT_EQ(6U, cluster_dow(_metadata, self->fd, b + CLUSTER - 1));
	/* Reads are no cycles. */
	expect_content(_metadata, self->fd, b, 5, 4);
	EXPECT_EQ(6U, cluster_dow(_metadata, self->fd, b));
}

TEST_F(rewritable, dow_multi_cluster)
{
	__u64 b = self->base;

	write_ok(_metadata, self->fd, b, 4 * CLUSTER, 1);
	write_ok(_metadata, self->fd, b + CLUSTER, 2 * CLUSTER, 2);
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, b + CLUSTER));
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, b + 2 * CLUSTER));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, b + 3 * CLUSTER));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, b + 4 * CLUSTER));
	expect_content(_metadata, self->fd, b, CLUSTER, 1);
	expect_content(_metadata, self->fd, b + CLUSTER, 2 * CLUSTER, 2);
	expect_content(_metadata, self->fd, b + 3 * CLUSTER, CLUSTER, 1);
}

TEST_F(rewritable, partial_write_keeps_rest)
{
	__u64 b = self->base, c = b + CLUSTER;

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	write_ok(_metadata, self->fd, b + 3, 3, 2);
	expect_content(_metadata, self->fd, b, 3, 1);
	expect_content(_metadata, self->fd, b + 3, 3, 2);
	expect_content(_metadata, self->fd, b + 6, CLUSTER - 6, 1);
	/* Partial write into a blank cluster: the rest reads zero. */
	write_ok(_metadata, self->fd, c + 7, 2, 3);
	expect_content(_metadata, self->fd, c, 7, 0);
	expect_content(_metadata, self->fd, c + 7, 2, 3);
	expect_content(_metadata, self->fd, c + 9, CLUSTER - 9, 0);
	EXPECT_TRUE(cluster_recorded(_metadata, self->fd, c));
	/* and the rest can be written later */
	write_ok(_metadata, self->fd, c + 20, 4, 4);
	expect_content(_metadata, self->fd, c + 7, 2, 3);
	expect_content(_metadata, self->fd, c + 20, 4, 4);
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, c));
}

/*
 * Large writes that start and end inside clusters (and may cross L0/L1):
 * up to 1 MiB (one bio, split by the block layer) every touched cluster
 * gets exactly one cycle; a 4 MiB one (several bios) keeps the data.
 */
TEST_F_TIMEOUT(rewritable, large_unaligned_write, T_WRITE_MB_TIMEOUT)
{
	__u64 lba = self->base >= 256 ? self->base - 253 : self->base + 3;
	__u64 n = 509, c;
	__u64 big = self->base >= 1024 ? self->base - 1021 : self->base + 5;

	write_ok(_metadata, self->fd, lba, n, 7);
	expect_content(_metadata, self->fd, lba, n, 7);
	expect_content(_metadata, self->fd, lba / CLUSTER * CLUSTER,
		       lba % CLUSTER, 0);
	for (c = lba / CLUSTER * CLUSTER; c < lba + n; c += CLUSTER)
		EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, c));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, c));

	write_ok(_metadata, self->fd, big, 2053, 8);
	expect_content(_metadata, self->fd, big, 2053, 8);
	write_ok(_metadata, self->fd, big + 40, 2053, 9);
	expect_content(_metadata, self->fd, big, 40, 8);
	expect_content(_metadata, self->fd, big + 40, 2053, 9);
}

/* Erasing drops what the page cache holds of the old contents. */
TEST_F(rewritable, erase_drops_page_cache)
{
	char buf[2 * SECTOR];
	__u32 flags[] = { OPTSIM_ERASE_F_QUICK, 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		write_ok(_metadata, self->fd, self->base, CLUSTER, 1);
		ASSERT_OK(set_direct(self->fd, false));
		ASSERT_EQ((ssize_t)sizeof(buf),
			  pread(self->fd, buf, sizeof(buf),
				(off_t)(self->base * SECTOR)));
		EXPECT_EQ(-1, pattern_mismatch(buf, self->base, 2, 1));
		ASSERT_OK(do_erase(self->fd, flags[i]));
		memset(buf, POISON, sizeof(buf));
		ASSERT_EQ((ssize_t)sizeof(buf),
			  pread(self->fd, buf, sizeof(buf),
				(off_t)(self->base * SECTOR)));
		EXPECT_EQ(-1, pattern_mismatch(buf, self->base, 2, 0)) {
			TH_LOG("buffered read after %s erase returns old data",
			       flags[i] ? "quick" : "full");
		}
		ASSERT_OK(set_direct(self->fd, true));
	}
}

/* Sub-cluster buffered writes through the page cache. */
TEST_F(rewritable, buffered_io)
{
	__u64 b = self->base;
	char buf[2 * SECTOR], back[2 * SECTOR];

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	ASSERT_OK(set_direct(self->fd, false));
	fill_pattern(buf, b + 4, 2, 2);
	ASSERT_EQ((ssize_t)sizeof(buf),
		  pwrite(self->fd, buf, sizeof(buf), (off_t)((b + 4) * SECTOR)));
	ASSERT_OK(fsync(self->fd));
	ASSERT_EQ((ssize_t)sizeof(back),
		  pread(self->fd, back, sizeof(back), (off_t)((b + 4) * SECTOR)));
	EXPECT_EQ(0, memcmp(buf, back, sizeof(buf)));
	ASSERT_OK(set_direct(self->fd, true));
	expect_content(_metadata, self->fd, b, 4, 1);
	expect_content(_metadata, self->fd, b + 4, 2, 2);
	expect_content(_metadata, self->fd, b + 6, CLUSTER - 6, 1);
	EXPECT_LE(2U, cluster_dow(_metadata, self->fd, b));
}

TEST_F(rewritable, quick_erase)
{
	__u64 b = self->base, last = self->cap - CLUSTER;
	struct optsim_info info;

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	write_ok(_metadata, self->fd, b, CLUSTER, 2);
	write_ok(_metadata, self->fd, b + 2 * CLUSTER, CLUSTER, 3);
	write_ok(_metadata, self->fd, last, CLUSTER, 4);
	get_info(_metadata, self->fd, &info);
	EXPECT_LT(0ULL, info.mem_used);

	ASSERT_OK(do_erase(self->fd, OPTSIM_ERASE_F_QUICK));

	expect_content(_metadata, self->fd, b, 3 * CLUSTER, 0);
	expect_content(_metadata, self->fd, last, CLUSTER, 0);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, b));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, b + 2 * CLUSTER));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, last));
	/* DOW kept as it was */
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, b + CLUSTER));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, b + 2 * CLUSTER));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, last));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	EXPECT_EQ(0ULL, info.full_erases);
	EXPECT_EQ(0ULL, info.nwa);
	EXPECT_EQ(OPTSIM_INFO_F_NWA_VALID, info.flags);
	EXPECT_EQ(0ULL, info.mem_used);

	/* The medium records again, counting on. */
	write_ok(_metadata, self->fd, b, CLUSTER, 5);
	expect_content(_metadata, self->fd, b, CLUSTER, 5);
	EXPECT_EQ(3U, cluster_dow(_metadata, self->fd, b));
}

TEST_F(rewritable, full_erase)
{
	__u64 b = self->base, last = self->cap - CLUSTER;
	struct optsim_info info;
	struct optsim_cluster_info ci;

	write_ok(_metadata, self->fd, b, CLUSTER, 1);
	write_ok(_metadata, self->fd, b, CLUSTER, 2);
	write_ok(_metadata, self->fd, b + 2 * CLUSTER, CLUSTER, 3);

	ASSERT_OK(do_erase(self->fd, 0));

	expect_content(_metadata, self->fd, b, 3 * CLUSTER, 0);
	/* One cycle for every cluster, written before or not. */
	EXPECT_EQ(3U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, b + CLUSTER));
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, b + 2 * CLUSTER));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, 0));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, last));
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, RW_LAYER - 1));
	if (self->cap > RW_LAYER)
		EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, RW_LAYER));
	get_cluster(_metadata, self->fd, b, &ci);
	EXPECT_EQ(0U, ci.flags);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(1ULL, info.full_erases);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	EXPECT_EQ(0ULL, info.nwa);
	EXPECT_EQ(OPTSIM_INFO_F_NWA_VALID, info.flags);
	EXPECT_EQ(0ULL, info.mem_used);

	ASSERT_OK(do_erase(self->fd, 0));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(2ULL, info.full_erases);
	EXPECT_EQ(4U, cluster_dow(_metadata, self->fd, b));
	EXPECT_EQ(2U, cluster_dow(_metadata, self->fd, last));

	/* A quick erase is no cycle and no full erase. */
	ASSERT_OK(do_erase(self->fd, OPTSIM_ERASE_F_QUICK));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(2ULL, info.full_erases);
	EXPECT_EQ(4U, cluster_dow(_metadata, self->fd, b));

	write_ok(_metadata, self->fd, b, CLUSTER, 6);
	expect_content(_metadata, self->fd, b, CLUSTER, 6);
	EXPECT_EQ(5U, cluster_dow(_metadata, self->fd, b));
}

/* Erasing a blank medium works too. */
TEST_F(rewritable, erase_blank)
{
	struct optsim_info info;

	ASSERT_OK(do_erase(self->fd, OPTSIM_ERASE_F_QUICK));
	ASSERT_OK(do_erase(self->fd, 0));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(1ULL, info.full_erases);
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, self->base));
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, self->base));
}

TEST_F(rewritable, finalize_refused)
{
	struct optsim_info before, after;

	write_ok(_metadata, self->fd, self->base, CLUSTER, 1);
	get_info(_metadata, self->fd, &before);
	ASSERT_ERRNO(EMEDIUMTYPE, do_finalize(self->fd));
	get_info(_metadata, self->fd, &after);
	expect_same_medium(_metadata, &before, &after);
	EXPECT_EQ(0U, after.flags & OPTSIM_INFO_F_FINALIZED);
	write_ok(_metadata, self->fd, self->base, CLUSTER, 2);
	expect_content(_metadata, self->fd, self->base, CLUSTER, 2);
}

TEST_F(rewritable, erase_bad_flags)
{
	static const __u32 bad[] = {
		1U << 1, 1U << 31, OPTSIM_ERASE_F_QUICK | (1U << 2), ~0U,
	};
	struct optsim_info before, after;
	size_t i;

	write_ok(_metadata, self->fd, self->base, CLUSTER, 1);
	get_info(_metadata, self->fd, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_ERRNO(EINVAL, do_erase(self->fd, bad[i]));
	get_info(_metadata, self->fd, &after);
	expect_same_medium(_metadata, &before, &after);
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, self->base));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, self->base + CLUSTER));
	expect_content(_metadata, self->fd, self->base, CLUSTER, 1);
}

TEST_F(rewritable, nwa)
{
	struct optsim_info info;

	write_ok(_metadata, self->fd, self->base + CLUSTER + 1, 1, 1);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(self->base + 2 * CLUSTER, info.nwa);
	EXPECT_EQ(OPTSIM_INFO_F_NWA_VALID, info.flags);
	write_ok(_metadata, self->fd, self->base, CLUSTER, 2);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(self->base + 2 * CLUSTER, info.nwa);
	write_ok(_metadata, self->fd, self->cap - 1, 1, 3);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(self->cap, info.nwa);
	EXPECT_EQ(0U, info.flags);
}

TEST_HARNESS_MAIN
