// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_block - the block device: its sizes and sysfs attributes, O_DIRECT
 * round trips on each layer and across the layer boundary, and
 * GET_CLUSTER's mapping of LBAs onto layers, tracks and radii.
 */
#include "optsim_utils.h"

#include <sys/sysmacros.h>
#include <linux/blkpg.h>

/* ========================================================================
 * drive: the block device itself
 * ======================================================================== */

#define DRIVE_LAYER	8192

FIXTURE(drive) {
	int fd;
	struct optsim_info info;
};

FIXTURE_SETUP(drive)
{
	self->fd = open_and_load(_metadata, OPTSIM_MEDIA_BD_RE_DL, DRIVE_LAYER);
	get_info(_metadata, self->fd, &self->info);
	ASSERT_EQ(2ULL * DRIVE_LAYER, self->info.capacity);
}

FIXTURE_TEARDOWN(drive)
{
	close(self->fd);
}

TEST_F(drive, block_device)
{
	struct stat st;
	char dev[32], want[32];

	ASSERT_OK(stat(DEV_PATH, &st));
	ASSERT_TRUE(S_ISBLK(st.st_mode));
	ASSERT_OK(read_str_file(SYSFS_DISK "/dev", dev, sizeof(dev)));
	snprintf(want, sizeof(want), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	EXPECT_STREQ(want, dev);
}

TEST_F(drive, block_sizes)
{
	int lbs = -1;
	unsigned int pbs = 0, iomin = 0;
	__u64 size = 0;
	unsigned long sectors = 0;
	int ro = -1;

	ASSERT_OK(ioctl(self->fd, BLKSSZGET, &lbs));
	EXPECT_EQ(2048, lbs);
	ASSERT_OK(ioctl(self->fd, BLKPBSZGET, &pbs));
	EXPECT_EQ(65536U, pbs);
	ASSERT_OK(ioctl(self->fd, BLKIOMIN, &iomin));
	EXPECT_EQ(65536U, iomin);
	ASSERT_OK(ioctl(self->fd, BLKGETSIZE64, &size));
	EXPECT_EQ(self->info.capacity * 2048, size);
	ASSERT_OK(ioctl(self->fd, BLKGETSIZE, &sectors));
	EXPECT_EQ(self->info.capacity * 4, (__u64)sectors);
	ASSERT_OK(ioctl(self->fd, BLKROGET, &ro));
	EXPECT_EQ(0, ro);
}

TEST_F(drive, sysfs)
{
	static const struct {
		const char *path;
		__u64 want;
	} attrs[] = {
		{ SYSFS_DISK "/queue/logical_block_size", 2048 },
		{ SYSFS_DISK "/queue/physical_block_size", 65536 },
		{ SYSFS_DISK "/queue/minimum_io_size", 65536 },
		{ SYSFS_DISK "/queue/rotational", 1 },
		{ SYSFS_DISK "/removable", 1 },
		{ SYSFS_DISK "/ro", 0 },
		/* no partitions */
		{ SYSFS_DISK "/ext_range", 1 },
	};
	__u64 v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		v = POISON64;
		ASSERT_OK(read_u64_file(attrs[i].path, &v)) {
			TH_LOG("cannot read %s", attrs[i].path);
		}
		EXPECT_EQ(attrs[i].want, v) {
			TH_LOG("%s", attrs[i].path);
		}
	}
	ASSERT_OK(read_u64_file(SYSFS_DISK "/size", &v));
	EXPECT_EQ(self->info.capacity * 4, v);
}

TEST_F(drive, no_partitions)
{
	struct blkpg_partition part = {
		.start = 0,
		.length = 1 << 20,
		.pno = 1,
	};
	struct blkpg_ioctl_arg arg = {
		.op = BLKPG_ADD_PARTITION,
		.datalen = sizeof(part),
		.data = &part,
	};
	struct stat st;

	ASSERT_ERRNO(EINVAL, ioctl(self->fd, BLKPG, &arg));
	EXPECT_EQ(-1, stat(SYSFS_DISK "/" DISK_NAME "1", &st));
	EXPECT_EQ(-1, stat(DEV_PATH "1", &st));
}

/* O_DIRECT needs 2048-byte granularity: the logical block size. */
TEST_F(drive, logical_block_granularity)
{
	void *buf = io_buf(2 * SECTOR);

	ASSERT_NE(NULL, buf);
	fill_pattern(buf, 0, 2, 1);
	ASSERT_ERRNO(EINVAL, pwrite(self->fd, buf, SECTOR, 1024));
	ASSERT_ERRNO(EINVAL, pwrite(self->fd, buf, 512, 0));
	ASSERT_ERRNO(EINVAL, pread(self->fd, buf, 512, 0));
	ASSERT_ERRNO(EINVAL, pread(self->fd, buf, SECTOR, 512));
	/* Nothing was written by the refused requests. */
	expect_content(_metadata, self->fd, 0, CLUSTER, 0);
	EXPECT_FALSE(cluster_recorded(_metadata, self->fd, 0));
	fill_pattern(buf, 1, 1, 1);
	ASSERT_EQ(SECTOR, pwrite(self->fd, buf, SECTOR, SECTOR));
	expect_content(_metadata, self->fd, 1, 1, 1);
	io_free(buf, 2 * SECTOR);
}

TEST_F(drive, end_of_device)
{
	__u64 cap = self->info.capacity;
	void *buf = io_buf(2 * SECTOR);

	ASSERT_NE(NULL, buf);
	/* Reads at the end return nothing, writes there have no space. */
	EXPECT_EQ(0, pread(self->fd, buf, SECTOR, (off_t)(cap * SECTOR)));
	fill_pattern(buf, cap, 1, 3);
	ASSERT_ERRNO(ENOSPC, pwrite(self->fd, buf, SECTOR,
				    (off_t)(cap * SECTOR)));
	/* A write across the end is cut at the last sector. */
	fill_pattern(buf, cap - 1, 2, 3);
	EXPECT_EQ(SECTOR, pwrite(self->fd, buf, 2 * SECTOR,
				 (off_t)((cap - 1) * SECTOR)));
	expect_content(_metadata, self->fd, cap - 1, 1, 3);
	expect_content(_metadata, self->fd, cap - CLUSTER, CLUSTER - 1, 0);
	io_free(buf, 2 * SECTOR);
}

/* ========================================================================
 * io: O_DIRECT round trips on L0, on L1 and across the layer boundary
 * ======================================================================== */

#define IO_LAYER	8192ULL

FIXTURE(io) {
	int fd;
	struct optsim_info info;
};

FIXTURE_VARIANT(io) {
	__u32 media;
	__u64 layer_sectors;
	__u64 lba;
	__u64 nsect;
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_l0) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = 64,
	.nsect = 64,
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_l0_unaligned) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = 100,
	.nsect = 37,
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_l1) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER + 128,
	.nsect = 96,
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_boundary) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - 64,
	.nsect = 128,
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_boundary_unaligned) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - 3,
	.nsect = 5,
};

FIXTURE_VARIANT_ADD(io, bd_re_dl_last) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = IO_LAYER,
	.lba = 2 * IO_LAYER - 2 * CLUSTER,
	.nsect = 2 * CLUSTER,
};

FIXTURE_VARIANT_ADD(io, bd_re_last) {
	.media = OPTSIM_MEDIA_BD_RE,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - CLUSTER,
	.nsect = CLUSTER,
};

FIXTURE_VARIANT_ADD(io, bd_r_dl_l0) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = IO_LAYER,
	.lba = 0,
	.nsect = 96,
};

FIXTURE_VARIANT_ADD(io, bd_r_dl_l1) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER + 32,
	.nsect = 64,
};

FIXTURE_VARIANT_ADD(io, bd_r_dl_boundary) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - 32,
	.nsect = 64,
};

FIXTURE_VARIANT_ADD(io, bd_r_dl_boundary_unaligned) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - 7,
	.nsect = 12,
};

FIXTURE_VARIANT_ADD(io, bd_r_last) {
	.media = OPTSIM_MEDIA_BD_R,
	.layer_sectors = IO_LAYER,
	.lba = IO_LAYER - 16,
	.nsect = 16,
};

FIXTURE_SETUP(io)
{
	self->fd = open_and_load(_metadata, variant->media,
				 variant->layer_sectors);
	get_info(_metadata, self->fd, &self->info);
}

FIXTURE_TEARDOWN(io)
{
	close(self->fd);
}

TEST_F(io, roundtrip)
{
	__u64 lba = variant->lba, n = variant->nsect;
	__u64 ls = variant->layer_sectors, cap = self->info.capacity;
	__u64 c0 = lba / CLUSTER * CLUSTER;
	__u64 cend = (lba + n + CLUSTER - 1) / CLUSTER * CLUSTER;
	__u64 rec[2] = { 0, 0 };
	struct optsim_cluster_info ci;
	struct optsim_info info;
	__u64 c;

	/* Blank before. */
	expect_content(_metadata, self->fd, c0, cend - c0, 0);
	for (c = c0; c < cend; c += CLUSTER) {
		get_cluster(_metadata, self->fd, c, &ci);
		EXPECT_EQ(0U, ci.flags);
		EXPECT_EQ(0U, ci.dow);
	}

	write_ok(_metadata, self->fd, lba, n, 11);

	expect_content(_metadata, self->fd, lba, n, 11);
	expect_content(_metadata, self->fd, c0, lba - c0, 0);
	expect_content(_metadata, self->fd, lba + n, cend - lba - n, 0);

	for (c = c0; c < cend; c += CLUSTER) {
		get_cluster(_metadata, self->fd, c, &ci);
		EXPECT_EQ(OPTSIM_CLUSTER_F_RECORDED, ci.flags);
		EXPECT_EQ(c < ls ? 0U : 1U, ci.layer);
		if (!media_write_once(variant->media))
			EXPECT_EQ(1U, ci.dow);
		rec[c < ls ? 0 : 1]++;
	}
	/* The neighbouring clusters are untouched. */
	if (c0) {
		get_cluster(_metadata, self->fd, c0 - 1, &ci);
		EXPECT_EQ(0U, ci.flags);
		EXPECT_EQ(0U, ci.dow);
	}
	if (cend < cap) {
		get_cluster(_metadata, self->fd, cend, &ci);
		EXPECT_EQ(0U, ci.flags);
		EXPECT_EQ(0U, ci.dow);
	}

	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(rec[0], info.recorded_clusters[0]);
	EXPECT_EQ(rec[1], info.recorded_clusters[1]);
	EXPECT_EQ(cend, info.nwa);
	EXPECT_EQ(cend != cap, !!(info.flags & OPTSIM_INFO_F_NWA_VALID));
	EXPECT_EQ(0U, info.flags & OPTSIM_INFO_F_FINALIZED);
}

/* One read spanning blank and recorded sectors (and the layer boundary). */
TEST_F(io, read_across)
{
	__u64 lba = variant->lba, n = variant->nsect;
	__u64 cap = self->info.capacity;
	__u64 start = lba >= 2 * CLUSTER ? lba - 2 * CLUSTER : 0;
	__u64 end = lba + n + 2 * CLUSTER <= cap ? lba + n + 2 * CLUSTER : cap;
	size_t len = (end - start) * SECTOR;
	void *buf = io_buf(len);

	ASSERT_NE(NULL, buf);
	write_ok(_metadata, self->fd, lba, n, 12);
	memset(buf, POISON, len);
	ASSERT_EQ((ssize_t)len, pread(self->fd, buf, len,
				      (off_t)(start * SECTOR)));
	EXPECT_EQ(-1, pattern_mismatch(buf, start, lba - start, 0));
	EXPECT_EQ(-1, pattern_mismatch((char *)buf + (lba - start) * SECTOR,
				       lba, n, 12));
	EXPECT_EQ(-1, pattern_mismatch((char *)buf + (lba + n - start) * SECTOR,
				       lba + n, end - lba - n, 0));
	io_free(buf, len);
}

/* Two writes with distinct data to distinct places do not mix. */
TEST_F(io, distinct_writes)
{
	__u64 lba = variant->lba, n = variant->nsect;
	__u64 other = lba >= 512 ? 0 : self->info.capacity - 2 * CLUSTER;

	write_ok(_metadata, self->fd, lba, n, 21);
	write_ok(_metadata, self->fd, other, CLUSTER, 22);
	expect_content(_metadata, self->fd, lba, n, 21);
	expect_content(_metadata, self->fd, other, CLUSTER, 22);
}

/* ========================================================================
 * geometry: GET_CLUSTER's mapping of LBAs onto layers, tracks and radii
 * ======================================================================== */

/* Data zone of a 120 mm disc and how close the model has to come to it. */
#define RADIUS_IN_UM		24000U
#define RADIUS_OUT_UM		58000U
#define RADIUS_IN_TOL_UM	100U
#define RADIUS_OUT_TOL_UM	500U

FIXTURE(geometry) {
	int fd;
	__u64 ls;
	__u64 cap;
};

FIXTURE_VARIANT(geometry) {
	__u32 media;
	__u64 layer_sectors;
};

FIXTURE_VARIANT_ADD(geometry, bd_re) {
	.media = OPTSIM_MEDIA_BD_RE,
	.layer_sectors = 4096,
};

FIXTURE_VARIANT_ADD(geometry, bd_re_dl) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = 4096,
};

FIXTURE_VARIANT_ADD(geometry, bd_r) {
	.media = OPTSIM_MEDIA_BD_R,
	.layer_sectors = 32768,
};

FIXTURE_VARIANT_ADD(geometry, bd_r_dl) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = 32768,
};

/* The full-size layers of a 50 GB disc: memory is sparse, so this is cheap. */
FIXTURE_VARIANT_ADD(geometry, bd_re_dl_50gb) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = DEFAULT_LAYER_SECTORS,
};

FIXTURE_VARIANT_ADD(geometry, bd_r_25gb) {
	.media = OPTSIM_MEDIA_BD_R,
	.layer_sectors = DEFAULT_LAYER_SECTORS,
};

FIXTURE_SETUP(geometry)
{
	self->fd = open_and_load(_metadata, variant->media,
				 variant->layer_sectors);
	self->ls = variant->layer_sectors;
	self->cap = self->ls * media_layers(variant->media);
}

FIXTURE_TEARDOWN(geometry)
{
	close(self->fd);
}

/* Sample LBAs of one layer, in increasing order. */
static size_t layer_samples(__u64 first, __u64 ls, __u64 *out, size_t max)
{
	static const __u64 head[] = { 0, 1, 31, 32, 33, 63, 64 };
	size_t n = 0, i;
	__u64 step = ls / 64;

	for (i = 0; i < ARRAY_SIZE(head) && n < max; i++)
		out[n++] = first + head[i];
	for (i = 2; i < 64 && n < max; i++)
		out[n++] = first + i * step;
	for (i = 33; i >= 1 && n < max; i--)
		out[n++] = first + ls - i;
	return n;
}

TEST_F(geometry, l0_path)
{
	__u64 lbas[128];
	size_t n = layer_samples(0, self->ls, lbas, ARRAY_SIZE(lbas)), i;
	struct optsim_cluster_info ci, first, last;
	__u32 prev = 0;

	for (i = 0; i < n; i++) {
		get_cluster(_metadata, self->fd, lbas[i], &ci);
		EXPECT_EQ(0U, ci.layer);
		EXPECT_EQ(lbas[i], ci.psn);
		EXPECT_EQ(0U, ci.flags);
		EXPECT_EQ(0U, ci.dow);
		/* inner to outer */
		EXPECT_LE(prev, ci.radius) {
			TH_LOG("radius of LBA %llu (%u um) below the one before (%u um)",
			       (unsigned long long)lbas[i], ci.radius, prev);
		}
		prev = ci.radius;
	}
	get_cluster(_metadata, self->fd, 0, &first);
	get_cluster(_metadata, self->fd, self->ls - 1, &last);
	EXPECT_LT(first.radius, last.radius);
	EXPECT_LE(RADIUS_IN_UM - RADIUS_IN_TOL_UM, first.radius);
	EXPECT_GE(RADIUS_IN_UM + RADIUS_IN_TOL_UM, first.radius);
	if (self->ls == DEFAULT_LAYER_SECTORS) {
		EXPECT_LE(RADIUS_OUT_UM - RADIUS_OUT_TOL_UM, last.radius);
		EXPECT_GE(RADIUS_OUT_UM + RADIUS_OUT_TOL_UM, last.radius);
	}
}

TEST_F(geometry, l1_path)
{
	__u64 lbas[128];
	size_t n, i;
	struct optsim_cluster_info ci, l0_first, l0_last, first, last;
	__u32 prev = UINT32_MAX;

	if (media_layers(variant->media) < 2) {
		/* Single layer: nothing past L0. */
		ASSERT_ERRNO(EINVAL, do_get_cluster(self->fd, self->ls, &ci));
		return;
	}
	n = layer_samples(self->ls, self->ls, lbas, ARRAY_SIZE(lbas));
	for (i = 0; i < n; i++) {
		get_cluster(_metadata, self->fd, lbas[i], &ci);
		EXPECT_EQ(1U, ci.layer);
		EXPECT_EQ(lbas[i] - self->ls, ci.psn);
		EXPECT_EQ(0U, ci.flags);
		EXPECT_EQ(0U, ci.dow);
		/* outer to inner: the opposite track path */
		EXPECT_GE(prev, ci.radius) {
			TH_LOG("radius of LBA %llu (%u um) above the one before (%u um)",
			       (unsigned long long)lbas[i], ci.radius, prev);
		}
		prev = ci.radius;
	}
	get_cluster(_metadata, self->fd, 0, &l0_first);
	get_cluster(_metadata, self->fd, self->ls - 1, &l0_last);
	get_cluster(_metadata, self->fd, self->ls, &first);
	get_cluster(_metadata, self->fd, self->cap - 1, &last);
	EXPECT_GT(first.radius, last.radius);
	/* L1 starts where L0 ends and ends where L0 starts. */
	EXPECT_GE(50U, (__u32)abs((int)first.radius - (int)l0_last.radius));
	EXPECT_GE(50U, (__u32)abs((int)last.radius - (int)l0_first.radius));
	EXPECT_LE(RADIUS_IN_UM - RADIUS_IN_TOL_UM, last.radius);
	EXPECT_GE(RADIUS_IN_UM + RADIUS_IN_TOL_UM, last.radius);
	if (self->ls == DEFAULT_LAYER_SECTORS) {
		EXPECT_LE(RADIUS_OUT_UM - RADIUS_OUT_TOL_UM, first.radius);
		EXPECT_GE(RADIUS_OUT_UM + RADIUS_OUT_TOL_UM, first.radius);
	}
}

/* Radius keeps growing along L0 at cluster granularity near its start. */
TEST_F(geometry, radius_grows)
{
	struct optsim_cluster_info a, b;

	get_cluster(_metadata, self->fd, 0, &a);
	get_cluster(_metadata, self->fd, 1024, &b);
	EXPECT_LT(a.radius, b.radius);
	get_cluster(_metadata, self->fd, self->ls - 1025, &a);
	get_cluster(_metadata, self->fd, self->ls - 1, &b);
	EXPECT_LT(a.radius, b.radius);
}

TEST_F(geometry, beyond_capacity)
{
	static const __u64 extra[] = { 0, 1, CLUSTER, 1ULL << 32 };
	struct optsim_cluster_info ci;
	__u64 size = 0;
	size_t i;

	ASSERT_OK(ioctl(self->fd, BLKGETSIZE64, &size));
	EXPECT_EQ(self->cap * SECTOR, size);
	get_cluster(_metadata, self->fd, self->cap - 1, &ci);
	EXPECT_EQ(media_layers(variant->media) - 1, ci.layer);
	for (i = 0; i < ARRAY_SIZE(extra); i++)
		ASSERT_ERRNO(EINVAL, do_get_cluster(self->fd,
						    self->cap + extra[i], &ci));
	ASSERT_ERRNO(EINVAL, do_get_cluster(self->fd, UINT64_MAX, &ci));
}

/* The far end of the disc records like any other place. */
TEST_F(geometry, far_io)
{
	__u64 lba = self->cap - CLUSTER;

	write_ok(_metadata, self->fd, lba, CLUSTER, 31);
	expect_content(_metadata, self->fd, lba, CLUSTER, 31);
	EXPECT_TRUE(cluster_recorded(_metadata, self->fd, lba));
	if (media_layers(variant->media) == 2) {
		write_ok(_metadata, self->fd, self->ls - CLUSTER, 2 * CLUSTER,
			 32);
		expect_content(_metadata, self->fd, self->ls - CLUSTER,
			       2 * CLUSTER, 32);
	}
}

TEST_HARNESS_MAIN
