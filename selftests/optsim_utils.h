/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim_utils.h - what the optsim kselftests share: the ioctl wrappers,
 * the data pattern and I/O buffers, and the checks that hold for every
 * request (GET_INFO, GET_PARAMS, GET_CLUSTER, GET_QUALITY records).
 *
 * Every area (optsim_block.c, optsim_media.c, optsim_params.c,
 * optsim_load.c, optsim_ioctl.c, optsim_quality.c) is one test binary that
 * includes this header once and ends with TEST_HARNESS_MAIN: the kselftest
 * harness defines functions and objects, so it can be in one translation
 * unit of a binary only, and the helpers here are static inline for the
 * same reason (an area that does not use one gets no warning).
 *
 * Helpers that check something take the harness's _metadata and use its
 * ASSERT_* and EXPECT_* macros only; they never touch the harness's state.
 *
 * Every fixture opens /dev/optsim once (O_RDWR | O_DIRECT) and loads the
 * medium it needs with small layers, so that the tests are independent of
 * each other and of the module parameters. The same fd is used for the
 * ioctls and the I/O: LOAD and EJECT refuse to work while anybody else has
 * the device open. The tests need root, the optsim module loaded and
 * nothing else using /dev/optsim.
 */
#ifndef OPTSIM_UTILS_H
#define OPTSIM_UTILS_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/optsim.h>

/* The 6.1 harness has an unused parameter (its SIGALRM handler's context). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#define DEV_PATH	"/dev/optsim"
#define DISK_NAME	"optsim"
#define SYSFS_DISK	"/sys/block/" DISK_NAME
#define SYSFS_PARAMS	"/sys/module/optsim/parameters"

#define SECTOR		OPTSIM_SECTOR_SIZE
#define CLUSTER		OPTSIM_CLUSTER_SECTORS
#define CLUSTER_BYTES	(SECTOR * CLUSTER)

/*
 * The module's default and limits of layer_sectors
 * (Documentation/admin-guide.rst).
 */
#define DEFAULT_LAYER_SECTORS	((__u64)OPTSIM_LAYER_SECTORS_DEFAULT)
#define MIN_LAYER_SECTORS	((__u64)OPTSIM_LAYER_SECTORS_MIN)
#define MAX_LAYER_SECTORS	((__u64)OPTSIM_LAYER_SECTORS_MAX)

/* Flags of the fd every fixture uses for its ioctls and I/O. */
#define DEV_FLAGS	(O_RDWR | O_DIRECT | O_CLOEXEC)

#define POISON		0xcc
#define POISON32	0xccccccccU
#define POISON64	0xccccccccccccccccULL

#define MEDIA_NAME(m)	((m) == OPTSIM_MEDIA_BD_R ? "bd-r" :		\
			 (m) == OPTSIM_MEDIA_BD_R_DL ? "bd-r-dl" :	\
			 (m) == OPTSIM_MEDIA_BD_RE ? "bd-re" :		\
			 (m) == OPTSIM_MEDIA_BD_RE_DL ? "bd-re-dl" : "none")

static inline __u32 media_layers(__u32 media)
{
	return media == OPTSIM_MEDIA_BD_R_DL ||
	       media == OPTSIM_MEDIA_BD_RE_DL ? 2 : 1;
}

static inline bool media_write_once(__u32 media)
{
	return media == OPTSIM_MEDIA_BD_R || media == OPTSIM_MEDIA_BD_R_DL;
}

/* ---- raw ioctl wrappers: return ioctl()'s value, errno set ----------- */

static inline int do_get_info(int fd, struct optsim_info *info)
{
	memset(info, POISON, sizeof(*info));
	return ioctl(fd, OPTSIM_IOC_GET_INFO, info);
}

/* The output fields are poisoned; the input ones valid (reserved zero). */
static inline int do_get_params(int fd, __u32 layer, struct optsim_params *p)
{
	memset(p, POISON, sizeof(*p));
	p->layer = layer;
	p->mode = 0;
	p->current_ua = 0;
	p->reserved1 = 0;
	p->reserved = 0;
	return ioctl(fd, OPTSIM_IOC_GET_PARAMS, p);
}

static inline int do_set_params(int fd, const struct optsim_params *p)
{
	return ioctl(fd, OPTSIM_IOC_SET_PARAMS, p);
}

static inline int do_load(int fd, __u32 media, __u64 layer_sectors)
{
	struct optsim_load load = {
		.media = media,
		.layer_sectors = layer_sectors,
	};

	return ioctl(fd, OPTSIM_IOC_LOAD, &load);
}

static inline int do_eject(int fd)
{
	struct optsim_empty empty = { { 0, 0 } };

	return ioctl(fd, OPTSIM_IOC_EJECT, &empty);
}

static inline int do_finalize(int fd)
{
	struct optsim_empty empty = { { 0, 0 } };

	return ioctl(fd, OPTSIM_IOC_FINALIZE, &empty);
}

static inline int do_erase(int fd, __u32 flags)
{
	struct optsim_erase erase = { .flags = flags };

	return ioctl(fd, OPTSIM_IOC_ERASE, &erase);
}

static inline int do_get_cluster(int fd, __u64 lba, struct optsim_cluster_info *ci)
{
	memset(ci, POISON, sizeof(*ci));
	ci->lba = lba;
	ci->reserved[0] = 0;
	ci->reserved[1] = 0;
	return ioctl(fd, OPTSIM_IOC_GET_CLUSTER, ci);
}

/* GET_QUALITY of count records from cluster into recs (poisoned first). */
static inline int do_get_quality(int fd, __u64 cluster, __u32 count,
				 struct optsim_quality_rec *recs, __u32 *out_count)
{
	struct optsim_quality q = {
		.cluster = cluster,
		.records = (__u64)(uintptr_t)recs,
		.count = count,
	};
	int ret;

	if (recs)
		memset(recs, POISON, (size_t)count * sizeof(*recs));
	ret = ioctl(fd, OPTSIM_IOC_GET_QUALITY, &q);
	if (out_count)
		*out_count = q.count;
	return ret;
}

/*
 * Seconds a test with one OPC may take: some 50 model compiles, half a
 * second each in a VM without KVM (the harness's default is 30 s).
 */
#define Q_OPC_TIMEOUT	150

/*
 * Seconds a test that writes megabytes of a rewritable medium through the
 * recording model may take: within the harness's default 30 s on the stock
 * kernel under TCG, but not on the debug kernel (KASAN, lockdep; make
 * check-debug), where rewritable.large_unaligned_write and
 * quality.dow_wear ran out of those 30 s.
 */
#define T_WRITE_MB_TIMEOUT	600

/* OPC of layer; the output fields are poisoned, the input ones valid. */
static inline int do_opc(int fd, __u32 layer, struct optsim_opc *o)
{
	memset(o, POISON, sizeof(*o));
	o->layer = layer;
	o->flags = 0;
	o->reserved = 0;
	return ioctl(fd, OPTSIM_IOC_OPC, o);
}

/* ---- small utilities ---------------------------------------------------- */

/* read_u64_file() - parse the first number in a (sysfs) file; -1 on error. */
static inline int read_u64_file(const char *path, __u64 *val)
{
	unsigned long long v;
	FILE *f = fopen(path, "re");
	int ret = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%llu", &v) == 1) {
		*val = v;
		ret = 0;
	}
	fclose(f);
	return ret;
}

static inline int read_str_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/*
 * Data pattern: a 64-bit word per 8 bytes, a hash of the absolute byte
 * offset and a seed, never zero, so that every sector of every write is
 * distinct and distinguishable from a blank (zero) sector. Seed 0 stands
 * for "blank": all zeros.
 */
static inline __u64 pattern_word(__u64 byte_off, __u32 seed)
{
	__u64 x = byte_off * 0x9e3779b97f4a7c15ULL;

	x ^= ((__u64)seed << 32) | seed;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x | 1;
}

static inline void fill_pattern(void *buf, __u64 lba, size_t nsect, __u32 seed)
{
	__u64 *w = buf;
	size_t i, n = nsect * SECTOR / 8;

	for (i = 0; i < n; i++)
		w[i] = seed ? pattern_word(lba * SECTOR + i * 8, seed) : 0;
}

/* The first sector (index) of buf that differs from the pattern, or -1. */
static inline long pattern_mismatch(const void *buf, __u64 lba, size_t nsect,
				    __u32 seed)
{
	const __u64 *w = buf;
	size_t s, i;

	for (s = 0; s < nsect; s++) {
		for (i = 0; i < SECTOR / 8; i++) {
			__u64 off = (lba + s) * SECTOR + i * 8;
			__u64 want = seed ? pattern_word(off, seed) : 0;

			if (w[s * SECTOR / 8 + i] != want)
				return (long)s;
		}
	}
	return -1;
}

/*
 * A buffer for O_DIRECT, aligned to a cluster, whose pages are never
 * physically contiguous: every other page of a mapping, moved next to each
 * other with mremap(). Every page then is a segment of its own, the worst
 * case for how the block layer splits a bio (max_segments), and the same
 * on every run. Freed with io_free().
 */
static inline void *io_buf(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n, i, rlen;
	char *res, *dst, *src;

	if (!len)
		len = SECTOR;
	n = (len + page - 1) / page;
	rlen = n * page + CLUSTER_BYTES;
	res = mmap(NULL, rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return NULL;
	dst = (char *)(((uintptr_t)res + CLUSTER_BYTES - 1) &
		       ~(uintptr_t)(CLUSTER_BYTES - 1));
	src = mmap(NULL, 2 * n * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED) {
		munmap(res, rlen);
		return NULL;
	}
	madvise(src, 2 * n * page, MADV_NOHUGEPAGE);
	for (i = 0; i < 2 * n; i++)
		((volatile char *)src)[i * page] = 0;
	for (i = 0; i < n; i++) {
		if (mremap(src + (2 * i + 1) * page, page, page,
			   MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst + i * page) == MAP_FAILED) {
			munmap(src, 2 * n * page);
			munmap(res, rlen);
			return NULL;
		}
	}
	munmap(src, 2 * n * page);
	if (dst > res)
		munmap(res, dst - res);
	if (res + rlen > dst + n * page)
		munmap(dst + n * page, res + rlen - (dst + n * page));
	return dst;
}

static inline void io_free(void *buf, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (!len)
		len = SECTOR;
	munmap(buf, (len + page - 1) / page * page);
}

/* Write nsect sectors of pattern seed at lba; returns pwrite()'s value. */
static inline ssize_t write_sectors(int fd, __u64 lba, size_t nsect, __u32 seed)
{
	void *buf = io_buf(nsect * SECTOR);
	ssize_t ret;
	int err;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	fill_pattern(buf, lba, nsect, seed);
	ret = pwrite(fd, buf, nsect * SECTOR, (off_t)(lba * SECTOR));
	err = errno;
	io_free(buf, nsect * SECTOR);
	errno = err;
	return ret;
}

/*
 * find_optsim_sg() - the sg node of drive 0's LUN: "/dev/sgN" in @path. Waits a
 * little for sg to bind. 0, or -1 when there is none.
 */
static inline int find_optsim_sg(char *path, size_t len)
{
	char f[PATH_MAX], name[64];
	struct dirent *e;
	int host = -1, tries;
	DIR *d;

	for (tries = 0; tries < 50; tries++) {
		d = opendir("/sys/class/scsi_host");
		while (d && host < 0 && (e = readdir(d))) {
			if (strncmp(e->d_name, "host", 4))
				continue;
			snprintf(f, sizeof(f), "/sys/class/scsi_host/%s/proc_name",
				 e->d_name);
			if (!read_str_file(f, name, sizeof(name)) &&
			    !strcmp(name, "optsim"))
				host = atoi(e->d_name + 4);
		}
		if (d)
			closedir(d);
		if (host >= 0) {
			snprintf(f, sizeof(f),
				 "/sys/bus/scsi/devices/%d:0:0:0/scsi_generic", host);
			d = opendir(f);
			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				if (snprintf(path, len, "/dev/%s", e->d_name) >=
				    (int)len)
					continue;
				closedir(d);
				if (!access(path, R_OK | W_OK))
					return 0;
				d = NULL;
			}
			if (d)
				closedir(d);
		}
		usleep(100000);
	}
	return -1;
}

/* ---- fuzzing --------------------------------------------------------- */

/* xorshift64* on *state: the same sequence for the same seed, everywhere. */
static inline uint64_t fuzz_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* A number below n (0 when n is 0). */
static inline uint32_t fuzz_below(uint64_t *state, uint32_t n)
{
	return n ? (uint32_t)(fuzz_rnd(state) >> 32) % n : 0;
}

/*
 * fuzz_knobs() - the fuzzers' knobs: OPTSIM_FUZZ_SEED and
 * OPTSIM_FUZZ_COUNT override *seed and *count when set.
 */
static inline void fuzz_knobs(uint64_t *seed, unsigned long *count)
{
	const char *env = getenv("OPTSIM_FUZZ_SEED");

	if (env && *env)
		*seed = strtoull(env, NULL, 0);
	env = getenv("OPTSIM_FUZZ_COUNT");
	if (env && *env)
		*count = strtoul(env, NULL, 0);
}

/*
 * load_hand_set() - load a blank medium on fd, then set each layer's write
 * parameters by hand, as they are: a power set by hand is kept, so the
 * first write runs no OPC (seconds under TCG). Returns 0 or -1 (errno).
 */
static inline int load_hand_set(int fd, __u32 media, __u64 layer_sectors)
{
	struct optsim_params p;
	int ret = do_load(fd, media, layer_sectors);
	__u32 l;

	for (l = 0; !ret && l < media_layers(media); l++) {
		ret = do_get_params(fd, l, &p);
		if (!ret)
			ret = do_set_params(fd, &p);
	}
	return ret;
}

/* ---- assertion helpers (usable from fixtures and tests) ---------------- */

/*
 * ret_errno() - what a call returned, or -errno when it failed with -1:
 * one value for the harness's ASSERT_EQ that says both.
 */
static inline long ret_errno(long ret)
{
	return ret == -1 && errno ? -(long)errno : ret;
}

/*
 * ASSERT that call returns 0 (a failure logs -errno). Both macros are the
 * harness's ASSERT_EQ, so they take its optional { TH_LOG(...); } block.
 */
#define ASSERT_OK(call)		ASSERT_EQ(0L, ret_errno((long)(call)))

/* ASSERT that call fails with -1 and exactly errno err. */
#define ASSERT_ERRNO(err, call)	ASSERT_EQ(-(long)(err), ret_errno((long)(call)))

static inline void write_ok(struct __test_metadata *_metadata, int fd, __u64 lba,
			    size_t nsect, __u32 seed)
{
	ssize_t ret = write_sectors(fd, lba, nsect, seed);
	int err = errno;

	ASSERT_EQ((ssize_t)(nsect * SECTOR), ret) {
		TH_LOG("pwrite %zu sectors at LBA %llu: %s", nsect,
		       (unsigned long long)lba,
		       ret < 0 ? strerror(err) : "short write");
	}
}

/*
 * The @op ("pread", "pwrite") of @nsect sectors at @lba returned @ret with
 * errno @err: it must have failed with errno @want.
 */
static inline void expect_io_fails(struct __test_metadata *_metadata,
				   const char *op, ssize_t ret, int err,
				   __u64 lba, size_t nsect, int want)
{
	ASSERT_EQ(-1, ret) {
		TH_LOG("%s %zu sectors at LBA %llu succeeded, wanted %s", op,
		       nsect, (unsigned long long)lba, strerror(want));
	}
	ASSERT_EQ(want, err) {
		TH_LOG("%s %zu sectors at LBA %llu: %s, wanted %s", op, nsect,
		       (unsigned long long)lba, strerror(err), strerror(want));
	}
}

static inline void write_fails(struct __test_metadata *_metadata, int fd, __u64 lba,
			       size_t nsect, __u32 seed, int want)
{
	ssize_t ret = write_sectors(fd, lba, nsect, seed);

	expect_io_fails(_metadata, "pwrite", ret, errno, lba, nsect, want);
}

/* Read nsect sectors at lba and check them against pattern seed (0: zeros). */
static inline void expect_content(struct __test_metadata *_metadata, int fd,
				  __u64 lba, size_t nsect, __u32 seed)
{
	void *buf = io_buf(nsect * SECTOR);
	ssize_t ret;
	long bad;

	ASSERT_NE(NULL, buf);
	memset(buf, POISON, nsect * SECTOR);
	ret = pread(fd, buf, nsect * SECTOR, (off_t)(lba * SECTOR));
	ASSERT_EQ((ssize_t)(nsect * SECTOR), ret) {
		TH_LOG("pread %zu sectors at LBA %llu: %s", nsect,
		       (unsigned long long)lba,
		       ret < 0 ? strerror(errno) : "short read");
	}
	bad = pattern_mismatch(buf, lba, nsect, seed);
	io_free(buf, nsect * SECTOR);
	EXPECT_EQ(-1, bad) {
		TH_LOG("LBA %llu: %s", (unsigned long long)(lba + bad),
		       seed ? "data differs from what was written" :
			      "not blank (zeros expected)");
	}
}

/*
 * At the densest layers the channel bit is 54 nm: the shortest mark-space
 * period (4T, 216 nm) lies beyond the optical cut-off lambda / 2NA (238 nm
 * at 405 nm and NA 0.85), so a recorded cluster cannot be resolved by the
 * drive's threshold detector and reads fail with a medium error.
 */
static inline void expect_unresolved(struct __test_metadata *_metadata, int fd,
				     __u64 lba)
{
	struct optsim_quality_rec rec;
	void *buf = io_buf(CLUSTER * SECTOR);
	__u32 n = 0;
	ssize_t ret;

	ASSERT_NE(NULL, buf);
	ret = pread(fd, buf, CLUSTER * SECTOR, (off_t)(lba * SECTOR));
	io_free(buf, CLUSTER * SECTOR);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENODATA, errno);
	ASSERT_OK(do_get_quality(fd, lba / CLUSTER, 1, &rec, &n));
	ASSERT_EQ(1U, n);
	EXPECT_TRUE(!!(rec.flags & OPTSIM_QUALITY_F_RECORDED));
	EXPECT_TRUE(!!(rec.flags & OPTSIM_QUALITY_F_UNRESOLVED));
	EXPECT_TRUE(!!(rec.flags & OPTSIM_QUALITY_F_UNCORRECTABLE));
}

static inline void get_info(struct __test_metadata *_metadata, int fd,
			    struct optsim_info *info)
{
	int i;

	ASSERT_OK(do_get_info(fd, info));
	EXPECT_EQ(0U, info->reserved0);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0ULL, info->reserved[i]);
}

static inline void get_params(struct __test_metadata *_metadata, int fd, __u32 layer,
			      struct optsim_params *p)
{
	ASSERT_OK(do_get_params(fd, layer, p));
	EXPECT_EQ(layer, p->layer);
	EXPECT_EQ(0U, p->reserved1);
	EXPECT_EQ(0ULL, p->reserved);
}

/*
 * GET_CLUSTER of lba with the checks that hold for every sector; true when
 * they all held (the checkers below return that too, for loops that stop
 * at the first cluster that fails).
 */
static inline bool get_cluster(struct __test_metadata *_metadata, int fd,
			       __u64 lba, struct optsim_cluster_info *ci)
{
	int ret = do_get_cluster(fd, lba, ci);
	bool ok = true;

	ASSERT_EQ(0, ret) {
		TH_LOG("GET_CLUSTER lba %llu: %s", (unsigned long long)lba,
		       strerror(errno));
	}
	EXPECT_EQ(lba, ci->lba) ok = false;
	EXPECT_EQ(lba / CLUSTER, ci->cluster) ok = false;
	EXPECT_EQ(0U, ci->flags & ~OPTSIM_CLUSTER_F_RECORDED) ok = false;
	EXPECT_EQ(0ULL, ci->reserved[0]) ok = false;
	EXPECT_EQ(0ULL, ci->reserved[1]) ok = false;
	return ok;
}

static inline __u32 cluster_dow(struct __test_metadata *_metadata, int fd, __u64 lba)
{
	struct optsim_cluster_info ci;

	get_cluster(_metadata, fd, lba, &ci);
	return ci.dow;
}

static inline bool cluster_recorded(struct __test_metadata *_metadata, int fd,
				    __u64 lba)
{
	struct optsim_cluster_info ci;

	get_cluster(_metadata, fd, lba, &ci);
	return ci.flags & OPTSIM_CLUSTER_F_RECORDED;
}

/* ---- quality records ---------------------------------------------------- */

#define QUALITY_FLAGS	(OPTSIM_QUALITY_F_RECORDED |			\
			 OPTSIM_QUALITY_F_UNCORRECTABLE |		\
			 OPTSIM_QUALITY_F_UNRESOLVED |			\
			 OPTSIM_QUALITY_F_BURST)
/* An LDC codeword with more errors plus erasures cannot be corrected. */
#define LDC_LIMIT	32U

#define REC_FMT		"jitter %u.%02u %%, LDC %u, BIS %u, worst LDC codeword %u, dow %u, layer %u, flags 0x%x"
#define REC_ARGS(r)	(r)->jitter / 100, (r)->jitter % 100, (r)->ldc,	\
			(r)->bis, (r)->ldc_worst, (r)->dow, (r)->layer,	\
			(r)->flags

/* The rules every record follows, recorded or not. */
static inline bool expect_rec_sane(struct __test_metadata *_metadata,
				   const struct optsim_quality_rec *r,
				   __u64 cluster, __u32 layer)
{
	bool ok = true;

	EXPECT_EQ(0U, r->reserved) {
		TH_LOG("cluster %llu", (unsigned long long)cluster);
		ok = false;
	}
	EXPECT_EQ(0U, r->flags & ~QUALITY_FLAGS) {
		TH_LOG("cluster %llu: " REC_FMT, (unsigned long long)cluster,
		       REC_ARGS(r));
		ok = false;
	}
	EXPECT_EQ(layer, r->layer) {
		TH_LOG("cluster %llu", (unsigned long long)cluster);
		ok = false;
	}
	if (!(r->flags & OPTSIM_QUALITY_F_RECORDED)) {
		/* blank: nothing but the layer and the wear */
		EXPECT_EQ(0U, r->flags) ok = false;
		EXPECT_EQ(0U, r->jitter) ok = false;
		EXPECT_EQ(0U, r->ldc) ok = false;
		EXPECT_EQ(0U, r->bis) ok = false;
		EXPECT_EQ(0U, r->ldc_worst) ok = false;
	} else if (r->ldc_worst > LDC_LIMIT) {
		EXPECT_TRUE(!!(r->flags & OPTSIM_QUALITY_F_UNCORRECTABLE)) {
			TH_LOG("cluster %llu: " REC_FMT,
			       (unsigned long long)cluster, REC_ARGS(r));
			ok = false;
		}
	}
	return ok;
}

/* GET_QUALITY of one cluster, with the checks that hold for every record. */
static inline bool get_quality(struct __test_metadata *_metadata, int fd,
			       __u64 cluster, __u32 layer,
			       struct optsim_quality_rec *rec)
{
	__u32 n = POISON32;
	int ret = do_get_quality(fd, cluster, 1, rec, &n);

	ASSERT_EQ(0, ret) {
		TH_LOG("GET_QUALITY of cluster %llu: %s",
		       (unsigned long long)cluster, strerror(errno));
	}
	ASSERT_EQ(1U, n);
	return expect_rec_sane(_metadata, rec, cluster, layer);
}

static inline bool expect_same_rec(struct __test_metadata *_metadata,
				   const struct optsim_quality_rec *a,
				   const struct optsim_quality_rec *b)
{
	bool ok = true;

	EXPECT_EQ(a->jitter, b->jitter) ok = false;
	EXPECT_EQ(a->ldc, b->ldc) ok = false;
	EXPECT_EQ(a->bis, b->bis) ok = false;
	EXPECT_EQ(a->ldc_worst, b->ldc_worst) ok = false;
	EXPECT_EQ(a->flags, b->flags) ok = false;
	EXPECT_EQ(a->layer, b->layer) ok = false;
	EXPECT_EQ(a->dow, b->dow) ok = false;
	return ok;
}

/* GET_INFO of a freshly loaded, blank medium. */
static inline void check_blank_medium(struct __test_metadata *_metadata, int fd,
				      __u32 media, __u64 layer_sectors)
{
	struct optsim_info info;
	__u32 layers = media_layers(media);
	__u32 flags = OPTSIM_INFO_F_NWA_VALID;
	__u64 size = POISON64;

	if (media_write_once(media))
		flags |= OPTSIM_INFO_F_WRITE_ONCE;
	get_info(_metadata, fd, &info);
	EXPECT_EQ(media, info.media);
	EXPECT_EQ(flags, info.flags);
	EXPECT_EQ(layers, info.layers);
	EXPECT_EQ((__u32)OPTSIM_CLUSTER_SECTORS, info.cluster_sectors);
	EXPECT_EQ((__u32)OPTSIM_SECTOR_SIZE, info.sector_size);
	EXPECT_EQ(layer_sectors, info.layer_sectors);
	EXPECT_EQ(layers * layer_sectors, info.capacity);
	EXPECT_EQ(0ULL, info.nwa);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	EXPECT_EQ(0ULL, info.recorded_clusters[1]);
	EXPECT_EQ(0ULL, info.full_erases);
	EXPECT_EQ(0ULL, info.mem_used);
	EXPECT_LT(0ULL, info.mem_limit);

	ASSERT_OK(ioctl(fd, BLKGETSIZE64, &size));
	EXPECT_EQ(layers * layer_sectors * SECTOR, size);
}

/* The medium state that refused requests must leave alone. */
static inline void expect_same_medium(struct __test_metadata *_metadata,
				      const struct optsim_info *a,
				      const struct optsim_info *b)
{
	EXPECT_EQ(a->media, b->media);
	EXPECT_EQ(a->flags, b->flags);
	EXPECT_EQ(a->layers, b->layers);
	EXPECT_EQ(a->layer_sectors, b->layer_sectors);
	EXPECT_EQ(a->capacity, b->capacity);
	EXPECT_EQ(a->nwa, b->nwa);
	EXPECT_EQ(a->recorded_clusters[0], b->recorded_clusters[0]);
	EXPECT_EQ(a->recorded_clusters[1], b->recorded_clusters[1]);
	EXPECT_EQ(a->full_erases, b->full_erases);
}

static inline void expect_same_params(struct __test_metadata *_metadata,
				      const struct optsim_params *a,
				      const struct optsim_params *b)
{
	EXPECT_EQ(a->layer, b->layer);
	EXPECT_EQ(a->strategy, b->strategy);
	EXPECT_EQ(a->velocity, b->velocity);
	EXPECT_EQ(a->write_power, b->write_power);
	EXPECT_EQ(a->bias_power, b->bias_power);
	EXPECT_EQ(a->mode, b->mode);
	EXPECT_EQ(a->current_ua, b->current_ua);
}

/*
 * Open the device and load a blank medium. A media change makes udev (when
 * there is one) probe the device for a moment, which LOAD sees as EBUSY:
 * retry for a while then.
 */
static inline int open_and_load(struct __test_metadata *_metadata, __u32 media,
				__u64 layer_sectors)
{
	int fd, ret, tries = 0;

	fd = open(DEV_PATH, DEV_FLAGS);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s (is the optsim module loaded?)", DEV_PATH,
		       strerror(errno));
	}
	while ((ret = do_load(fd, media, layer_sectors)) < 0 &&
	       errno == EBUSY && tries++ < 40)
		usleep(50000);
	ASSERT_EQ(0, ret) {
		TH_LOG("LOAD %s, %llu sectors per layer: %s", MEDIA_NAME(media),
		       (unsigned long long)layer_sectors, strerror(errno));
	}
	return fd;
}

/* Toggle O_DIRECT on fd (buffered I/O through the page cache without it). */
static inline int set_direct(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? fl | O_DIRECT : fl & ~O_DIRECT;
	return fcntl(fd, F_SETFL, fl);
}

#endif /* OPTSIM_UTILS_H */
