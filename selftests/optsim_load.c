// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_load - loading and ejecting media: GET_INFO of each medium type,
 * LOAD and EJECT, a busy drive, and the media change uevents.
 */
#include "optsim_utils.h"

#include <poll.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <linux/netlink.h>

/* ========================================================================
 * info: GET_INFO of each medium type
 * ======================================================================== */

FIXTURE(info) {
	int fd;
};

FIXTURE_VARIANT(info) {
	__u32 media;
	__u64 layer_sectors;
};

FIXTURE_VARIANT_ADD(info, bd_r) {
	.media = OPTSIM_MEDIA_BD_R,
	.layer_sectors = 4096,
};

FIXTURE_VARIANT_ADD(info, bd_r_dl) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = 8192,
};

FIXTURE_VARIANT_ADD(info, bd_re) {
	.media = OPTSIM_MEDIA_BD_RE,
	.layer_sectors = 16384,
};

FIXTURE_VARIANT_ADD(info, bd_re_dl) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = 32768,
};

FIXTURE_SETUP(info)
{
	self->fd = open_and_load(_metadata, variant->media,
				 variant->layer_sectors);
}

FIXTURE_TEARDOWN(info)
{
	close(self->fd);
}

TEST_F(info, blank_medium)
{
	__u64 v = 0;

	check_blank_medium(_metadata, self->fd, variant->media,
			   variant->layer_sectors);
	ASSERT_OK(read_u64_file(SYSFS_DISK "/size", &v));
	EXPECT_EQ(media_layers(variant->media) * variant->layer_sectors * 4,
		  v);
}

/* GET_INFO writes every byte of its output; it ignores what was there. */
TEST_F(info, fills_every_field)
{
	struct optsim_info a, b;

	memset(&a, 0x00, sizeof(a));
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_INFO, &a));
	memset(&b, 0xff, sizeof(b));
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_INFO, &b));
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
}

TEST_F(info, mem_limit)
{
	struct optsim_info info;
	struct sysinfo si;
	__u64 mb, half;

	get_info(_metadata, self->fd, &info);
	ASSERT_OK(sysinfo(&si));
	half = (__u64)si.totalram * si.mem_unit / 2;
	if (read_u64_file(SYSFS_PARAMS "/max_mem_mb", &mb))
		mb = 0;
	if (mb) {
		EXPECT_EQ(mb << 20, info.mem_limit);
	} else {
		/* 0: half of RAM */
		EXPECT_LE(half - half / 16, info.mem_limit);
		EXPECT_GE(half + half / 16, info.mem_limit);
	}
}

TEST_F(info, mem_used)
{
	struct optsim_info info;
	__u64 ls = variant->layer_sectors;

	write_ok(_metadata, self->fd, 0, 2 * CLUSTER, 5);
	write_ok(_metadata, self->fd, ls - CLUSTER, CLUSTER, 6);
	get_info(_metadata, self->fd, &info);
	EXPECT_LE(3ULL * CLUSTER_BYTES, info.mem_used);
	EXPECT_GE(info.mem_limit, info.mem_used);
	/* A new medium frees the old one's data. */
	ASSERT_OK(do_load(self->fd, variant->media, ls));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(0ULL, info.mem_used);
}

/* ========================================================================
 * load: LOAD and EJECT
 * ======================================================================== */

/* The module's layer_sectors parameter, 0 when it is not visible. */
static __u64 module_default_layer_sectors(void)
{
	__u64 v;

	if (read_u64_file(SYSFS_PARAMS "/layer_sectors", &v))
		return 0;
	return v;
}

#define LOAD_INITIAL_LAYER	4096ULL

FIXTURE(load) {
	int fd;
	__u64 want_ls;	/* the layer size the variant's LOAD must give */
};

FIXTURE_VARIANT(load) {
	__u32 media;
	__u64 layer_sectors;
};

FIXTURE_VARIANT_ADD(load, bd_r_min) {
	.media = OPTSIM_MEDIA_BD_R,
	.layer_sectors = MIN_LAYER_SECTORS,
};

FIXTURE_VARIANT_ADD(load, bd_r_dl) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = 4096,
};

FIXTURE_VARIANT_ADD(load, bd_re) {
	.media = OPTSIM_MEDIA_BD_RE,
	.layer_sectors = 32768,
};

FIXTURE_VARIANT_ADD(load, bd_re_dl) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = 1056,
};

FIXTURE_VARIANT_ADD(load, bd_re_dl_default) {
	.media = OPTSIM_MEDIA_BD_RE_DL,
	.layer_sectors = 0,
};

FIXTURE_VARIANT_ADD(load, bd_r_dl_max) {
	.media = OPTSIM_MEDIA_BD_R_DL,
	.layer_sectors = MAX_LAYER_SECTORS,
};

/*
 * Cluster 0 written with pattern @seed on a medium of @layer_sectors per
 * layer reads back, or at the densest layers is unresolved.
 */
static void expect_records(struct __test_metadata *_metadata, int fd,
			   __u64 layer_sectors, __u32 seed)
{
	write_ok(_metadata, fd, 0, CLUSTER, seed);
	if (layer_sectors == MAX_LAYER_SECTORS)
		expect_unresolved(_metadata, fd, 0);
	else
		expect_content(_metadata, fd, 0, CLUSTER, seed);
}

/* The initial medium: bd-re-dl with data at LBA 0 and in L1. */
FIXTURE_SETUP(load)
{
	self->fd = open_and_load(_metadata, OPTSIM_MEDIA_BD_RE_DL,
				 LOAD_INITIAL_LAYER);
	write_ok(_metadata, self->fd, 0, CLUSTER, 7);
	write_ok(_metadata, self->fd, LOAD_INITIAL_LAYER + CLUSTER, CLUSTER, 8);
	self->want_ls = variant->layer_sectors;
	if (!self->want_ls)
		self->want_ls = module_default_layer_sectors();
}

FIXTURE_TEARDOWN(load)
{
	close(self->fd);
}

TEST_F(load, info)
{
	struct optsim_info info;
	__u64 v = 0;

	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));
	if (!self->want_ls) {
		/* module parameter not visible: learn the default */
		get_info(_metadata, self->fd, &info);
		self->want_ls = info.layer_sectors;
		EXPECT_EQ(0ULL, self->want_ls % CLUSTER);
		EXPECT_LE(MIN_LAYER_SECTORS, self->want_ls);
		EXPECT_GE(MAX_LAYER_SECTORS, self->want_ls);
	}
	check_blank_medium(_metadata, self->fd, variant->media, self->want_ls);
	ASSERT_OK(read_u64_file(SYSFS_DISK "/size", &v));
	EXPECT_EQ(media_layers(variant->media) * self->want_ls * 4, v);
}

/* A new medium is blank: none of the old data, not even in the page cache. */
TEST_F(load, new_medium_blank)
{
	char buf[SECTOR];
	struct optsim_cluster_info ci;
	__u64 cap = media_layers(variant->media) * self->want_ls;
	__u64 l1 = LOAD_INITIAL_LAYER + CLUSTER;

	/* pull LBA 0 into the page cache */
	ASSERT_OK(set_direct(self->fd, false));
	ASSERT_EQ(SECTOR, pread(self->fd, buf, SECTOR, 0));
	EXPECT_EQ(-1, pattern_mismatch(buf, 0, 1, 7));

	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));

	memset(buf, POISON, sizeof(buf));
	ASSERT_EQ(SECTOR, pread(self->fd, buf, SECTOR, 0));
	EXPECT_EQ(-1, pattern_mismatch(buf, 0, 1, 0)) {
		TH_LOG("buffered read returns the old medium's data");
	}
	ASSERT_OK(set_direct(self->fd, true));
	expect_content(_metadata, self->fd, 0, CLUSTER, 0);
	if (l1 + CLUSTER <= cap || !cap)
		expect_content(_metadata, self->fd, l1, CLUSTER, 0);
	get_cluster(_metadata, self->fd, 0, &ci);
	EXPECT_EQ(0U, ci.flags);
	EXPECT_EQ(0U, ci.dow);
	/* and it records */
	expect_records(_metadata, self->fd, self->want_ls, 9);
}

TEST_F(load, busy)
{
	struct optsim_info before, after;
	int fd2;

	get_info(_metadata, self->fd, &before);
	fd2 = open(DEV_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_ERRNO(EBUSY, do_load(self->fd, variant->media,
				    variant->layer_sectors));
	ASSERT_ERRNO(EBUSY, do_load(fd2, variant->media,
				    variant->layer_sectors));
	ASSERT_ERRNO(EBUSY, do_eject(self->fd));
	get_info(_metadata, self->fd, &after);
	expect_same_medium(_metadata, &before, &after);
	expect_content(_metadata, self->fd, 0, CLUSTER, 7);
	expect_content(_metadata, self->fd, LOAD_INITIAL_LAYER + CLUSTER,
		       CLUSTER, 8);
	close(fd2);
	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));
}

TEST_F(load, eject)
{
	struct optsim_params p = {
		.layer = 0,
		.velocity = 4917,
		.write_power = 1000,
		.bias_power = 100,
	};
	struct optsim_cluster_info ci;
	struct optsim_info info;
	__u64 size = POISON64, v = POISON64;
	char buf[SECTOR];
	int ret;

	ASSERT_OK(do_eject(self->fd));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_NONE, info.media);
	EXPECT_EQ(0U, info.layers);
	EXPECT_EQ(0ULL, info.capacity);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	EXPECT_EQ(0ULL, info.mem_used);
	ASSERT_OK(ioctl(self->fd, BLKGETSIZE64, &size));
	EXPECT_EQ(0ULL, size);
	ASSERT_OK(read_u64_file(SYSFS_DISK "/size", &v));
	EXPECT_EQ(0ULL, v);

	/* no medium for I/O */
	ASSERT_OK(set_direct(self->fd, false));
	EXPECT_EQ(0, pread(self->fd, buf, SECTOR, 0));
	ASSERT_ERRNO(ENOSPC, pwrite(self->fd, buf, SECTOR, 0));
	ASSERT_OK(set_direct(self->fd, true));

	ASSERT_ERRNO(ENOMEDIUM, do_get_params(self->fd, 0, &p));
	p.layer = 0;
	p.strategy = 0;
	p.mode = p.current_ua = p.reserved1 = 0;
	p.reserved = 0;
	p.velocity = 4917;
	p.write_power = 1000;
	p.bias_power = 100;
	ASSERT_ERRNO(ENOMEDIUM, do_set_params(self->fd, &p));
	p.layer = OPTSIM_LAYER_ALL;
	ASSERT_ERRNO(ENOMEDIUM, do_set_params(self->fd, &p));
	ASSERT_ERRNO(ENOMEDIUM, do_finalize(self->fd));
	ASSERT_ERRNO(ENOMEDIUM, do_erase(self->fd, 0));
	ASSERT_ERRNO(ENOMEDIUM, do_erase(self->fd, OPTSIM_ERASE_F_QUICK));
	ASSERT_ERRNO(ENOMEDIUM, do_eject(self->fd));
	/* no sector is below a capacity of 0 */
	ret = do_get_cluster(self->fd, 0, &ci);
	EXPECT_EQ(-1, ret);
	EXPECT_TRUE(errno == EINVAL || errno == ENOMEDIUM) {
		TH_LOG("GET_CLUSTER without medium: %s", strerror(errno));
	}
	/* still empty */
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_NONE, info.media);
	EXPECT_EQ(0ULL, info.capacity);

	/* LOAD after EJECT */
	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));
	if (self->want_ls)
		check_blank_medium(_metadata, self->fd, variant->media,
				   self->want_ls);
	expect_content(_metadata, self->fd, 0, CLUSTER, 0);
	expect_records(_metadata, self->fd, self->want_ls, 10);
}

/* GET_INFO on an empty drive: all fields written, reserved zero. */
TEST_F(load, info_empty)
{
	struct optsim_info a, b;

	ASSERT_OK(do_eject(self->fd));
	get_info(_metadata, self->fd, &a);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_NONE, a.media);
	EXPECT_EQ(0U, a.layers);
	EXPECT_EQ(0ULL, a.capacity);
	EXPECT_EQ(0U, a.flags & OPTSIM_INFO_F_NWA_VALID);
	memset(&b, 0x5a, sizeof(b));
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_INFO, &b));
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));
}

/* netlink uevent listener for the media change notifications */
static int uevent_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,	/* kernel uevents */
	};
	int s, sz = 1 << 20;

	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		   NETLINK_KOBJECT_UEVENT);
	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		close(s);
		return -1;
	}
	return s;
}

/* Has a "change" uevent of the optsim disk with DISK_MEDIA_CHANGE=1 come? */
static bool uevent_media_change(int s, int timeout_ms)
{
	char buf[8192];
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		bool change = false, disk = false, media = false;
		long left;
		ssize_t n;
		char *p;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (!strncmp(buf, "libudev", 7))
			continue;
		for (p = buf; p < buf + n; p += strlen(p) + 1) {
			if (!strcmp(p, "ACTION=change"))
				change = true;
			else if (!strcmp(p, "DEVNAME=" DISK_NAME))
				disk = true;
			else if (!strcmp(p, "DISK_MEDIA_CHANGE=1"))
				media = true;
		}
		if (change && disk && media)
			return true;
	}
}

TEST_F(load, media_change_uevent)
{
	int s = uevent_open();

	ASSERT_LE(0, s);
	ASSERT_OK(do_load(self->fd, variant->media, variant->layer_sectors));
	EXPECT_TRUE(uevent_media_change(s, 3000)) {
		TH_LOG("no DISK_MEDIA_CHANGE=1 uevent after LOAD");
	}
	ASSERT_OK(do_eject(self->fd));
	EXPECT_TRUE(uevent_media_change(s, 3000)) {
		TH_LOG("no DISK_MEDIA_CHANGE=1 uevent after EJECT");
	}
	close(s);
}

TEST_HARNESS_MAIN
