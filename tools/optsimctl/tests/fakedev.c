// SPDX-License-Identifier: GPL-2.0
/*
 * fakedev.so - an LD_PRELOAD stand-in for /dev/optsim, so that the host
 * tests can run optsimctl's device paths without the kernel module.
 *
 * It models the contract of uapi/linux/optsim.h (Documentation/uapi.rst)
 * closely enough for the tool (not the driver):
 * ioctls GET_INFO, GET_PARAMS, SET_PARAMS, LOAD, EJECT, FINALIZE, ERASE,
 * GET_QUALITY and OPC with their checks and errnos, and block I/O with
 * 2048-byte O_DIRECT alignment, write-once clusters and finalize. State
 * lives in files so it persists from one optsimctl run to the next.
 *
 * There is no recording model: OPC picks a power from the layer and its
 * velocity (with a window of +-3 % on L0, none on L1), and a recorded cluster's quality record is a function of its
 * index c and layer L (jitter 5.00 + 0.10 (c % 10) + 2 L %, LDC c % 5,
 * BIS 1 when c % 3 == 0, DOW c % 4 on rewritable media, a burst when
 * c % 7 == 6), except for the cluster of FAKEDEV_BAD_LBA, which is
 * uncorrectable (and its reads fail with ENODATA, as the driver's medium
 * error).
 *
 * Environment:
 *   FAKEDEV_PATH       device path to emulate (required)
 *   FAKEDEV_STATE      state directory (required; "hdr" and "data")
 *   FAKEDEV_NOROOT     set: privileged ioctls fail with EPERM
 *   FAKEDEV_FAIL_LBA   writes touching this LBA fail with EIO
 *   FAKEDEV_PARTIAL    set: a failing write first records the clusters
 *                      before the failing one (like a split request)
 *   FAKEDEV_CORRUPT_LBA  reads of this LBA return its first byte flipped
 *   FAKEDEV_BAD_LBA    the cluster holding this LBA, once recorded, is
 *                      uncorrectable: reads touching it fail with ENODATA
 *                      and its quality record says so
 *   FAKEDEV_QUALITY_MAX  GET_QUALITY returns at most this many records
 *   FAKEDEV_FAIL_QUALITY GET_QUALITY fails with EIO
 *   FAKEDEV_LOG        file that gets one line per SET_PARAMS/FINALIZE/...
 *
 * Netlink sockets cannot be opened (EAFNOSUPPORT): the fake drive has no
 * netlink family, and a module loaded on the host must not answer for it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/optsim.h>

#define SECT		OPTSIM_SECTOR_SIZE
#define CLUSTER		(OPTSIM_CLUSTER_SECTORS * SECT)
#define MAX_CLUSTERS	4096
/* The largest layer whose clusters, on both layers, fit in MAX_CLUSTERS. */
#define FAKE_MAX_LAYER_SECTORS \
	(MAX_CLUSTERS / OPTSIM_MAX_LAYERS * OPTSIM_CLUSTER_SECTORS)
#define DEFAULT_LS	2048ULL

struct fake_state {
	uint32_t media;
	uint32_t finalized;
	uint64_t layer_sectors;
	uint64_t full_erases;
	struct optsim_params params[OPTSIM_MAX_LAYERS];
	uint8_t recorded[MAX_CLUSTERS];
};

static struct fake_state st;
static int fake_fd = -1;
static int fake_flags;

static int (*real_open)(const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static int (*real_fsync)(int);

static void resolve(void)
{
	if (real_open)
		return;
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	real_pread = (ssize_t (*)(int, void *, size_t, off_t))
		     dlsym(RTLD_NEXT, "pread");
	real_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))
		      dlsym(RTLD_NEXT, "pwrite");
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
}

static const char *state_file(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", getenv("FAKEDEV_STATE"), name);
	return buf;
}

static void state_load(void)
{
	FILE *f = fopen(state_file("hdr"), "r");

	memset(&st, 0, sizeof(st));
	if (!f)
		return;
	if (fread(&st, sizeof(st), 1, f) != 1)
		memset(&st, 0, sizeof(st));
	fclose(f);
}

static void state_save(void)
{
	FILE *f = fopen(state_file("hdr"), "w");

	if (!f)
		return;
	fwrite(&st, sizeof(st), 1, f);
	fclose(f);
}

static void logline(const char *fmt, ...)
{
	const char *path = getenv("FAKEDEV_LOG");
	va_list ap;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static uint32_t layers(void)
{
	return st.media == OPTSIM_MEDIA_BD_R_DL ||
	       st.media == OPTSIM_MEDIA_BD_RE_DL ? 2 : st.media ? 1 : 0;
}

static bool write_once(void)
{
	return st.media == OPTSIM_MEDIA_BD_R || st.media == OPTSIM_MEDIA_BD_R_DL;
}

static uint64_t capacity(void)
{
	return layers() * st.layer_sectors;
}

static bool is_fake(const char *path)
{
	const char *p = getenv("FAKEDEV_PATH");

	return p && path && !strcmp(p, path);
}

static int fake_open(const char *path, int flags)
{
	int fd;

	state_load();
	fd = real_open(state_file("data"), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fd;
	fake_fd = fd;
	fake_flags = flags;
	(void)path;
	return fd;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	resolve();
	if (is_fake(path))
		return fake_open(path, flags);
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags)
{
	return open(path, flags);
}

static void default_params(void)
{
	uint32_t l;

	for (l = 0; l < OPTSIM_MAX_LAYERS; l++) {
		memset(&st.params[l], 0, sizeof(st.params[l]));
		st.params[l].layer = l;
		st.params[l].velocity = OPTSIM_VELOCITY_1X_MMS;
		st.params[l].write_power = l ? 9000 : 6000;
		st.params[l].bias_power = l ? 1500 : 1000;
	}
}

static void wipe_data(void)
{
	if (ftruncate(fake_fd, 0) || ftruncate(fake_fd, (off_t)(capacity() * SECT)))
		abort();
	memset(st.recorded, 0, sizeof(st.recorded));
}

static long env_lba(const char *name)
{
	const char *v = getenv(name);

	return v ? atol(v) : -1;
}

/* The uncorrectable cluster of FAKEDEV_BAD_LBA, or -1. */
static long bad_cluster(void)
{
	long bad = env_lba("FAKEDEV_BAD_LBA");

	return bad >= 0 ? bad / OPTSIM_CLUSTER_SECTORS : -1;
}

/* Deterministic record of recorded cluster @c. */
static void quality_of(uint64_t c, struct optsim_quality_rec *r)
{
	uint32_t layer = (uint32_t)(c * OPTSIM_CLUSTER_SECTORS / st.layer_sectors);

	memset(r, 0, sizeof(*r));
	r->layer = layer;
	if (!st.recorded[c])
		return;
	r->flags = OPTSIM_QUALITY_F_RECORDED;
	r->jitter = 500 + (uint32_t)(c % 10) * 10 + layer * 200;
	r->ldc = (uint32_t)(c % 5);
	r->bis = (uint32_t)(c % 3 == 0);
	r->ldc_worst = r->ldc;
	r->dow = write_once() ? 0 : (uint32_t)(c % 4);
	if (c % 7 == 6)
		r->flags |= OPTSIM_QUALITY_F_BURST;
	if ((long)c == bad_cluster()) {
		r->flags |= OPTSIM_QUALITY_F_UNCORRECTABLE;
		r->jitter = 1450;
		r->ldc = 4000;
		r->bis = 90;
		r->ldc_worst = 60;
	}
}

static int fake_get_quality(struct optsim_quality *q)
{
	struct optsim_quality_rec *recs;
	uint64_t nclusters = capacity() / OPTSIM_CLUSTER_SECTORS, c;
	const char *max = getenv("FAKEDEV_QUALITY_MAX");
	uint32_t n, i;

	if (!q->count || q->count > OPTSIM_QUALITY_MAX_RECORDS ||
	    q->reserved0 || q->reserved[0] || q->reserved[1])
		return -EINVAL;
	if (!st.media)
		return -ENOMEDIUM;
	if (q->cluster >= nclusters)
		return -EINVAL;
	if (!q->records)
		return -EFAULT;
	if (getenv("FAKEDEV_FAIL_QUALITY"))
		return -EIO;
	recs = (struct optsim_quality_rec *)(uintptr_t)q->records;
	n = q->count;
	if (nclusters - q->cluster < n)
		n = (uint32_t)(nclusters - q->cluster);
	if (max && (uint32_t)atol(max) && (uint32_t)atol(max) < n)
		n = (uint32_t)atol(max);
	for (i = 0, c = q->cluster; i < n; i++, c++)
		quality_of(c, &recs[i]);
	q->count = n;
	logline("get_quality cluster=%llu count=%u",
		(unsigned long long)q->cluster, n);
	return 0;
}

/*
 * fake_opc() - "calibrate" each layer: the power rises with the velocity
 * and is higher on L0 of a dual-layer disc; the bias keeps its ratio.
 */
static int fake_opc(struct optsim_opc *o)
{
	uint32_t l, p;

	if (o->flags || o->reserved)
		return -EINVAL;
	if (!st.media)
		return -ENOMEDIUM;
	if (o->layer >= layers() && o->layer != OPTSIM_LAYER_ALL)
		return -EINVAL;
	if (st.finalized)
		return -EROFS;
	memset(o->power, 0, sizeof(o->power));
	memset(o->jitter, 0, sizeof(o->jitter));
	memset(o->steps, 0, sizeof(o->steps));
	memset(o->current_ua, 0, sizeof(o->current_ua));
	memset(o->window_lo, 0, sizeof(o->window_lo));
	memset(o->window_hi, 0, sizeof(o->window_hi));
	for (l = 0; l < layers(); l++) {
		struct optsim_params *pp = &st.params[l];

		if (o->layer != OPTSIM_LAYER_ALL && o->layer != l)
			continue;
		p = 5000 + pp->velocity / 2 + (layers() == 2 && !l ? 2000 : 0);
		pp->bias_power = (uint32_t)((uint64_t)pp->bias_power * p /
					    pp->write_power);
		pp->write_power = p;
		o->power[l] = p;
		o->jitter[l] = 520 + 150 * l;
		o->steps[l] = 29;
		/* a window of +-3 % on L0; none on L1 (its jitter is too high) */
		if (!l) {
			o->window_lo[l] = p - p * 3 / 100;
			o->window_hi[l] = p + p * 3 / 100;
		}
		logline("opc layer=%u power=%u", l, p);
	}
	state_save();
	return 0;
}

static int fake_ioctl(unsigned long req, void *arg)
{
	bool priv = req == OPTSIM_IOC_SET_PARAMS || req == OPTSIM_IOC_LOAD ||
		    req == OPTSIM_IOC_EJECT || req == OPTSIM_IOC_FINALIZE ||
		    req == OPTSIM_IOC_ERASE || req == OPTSIM_IOC_OPC;
	uint64_t c, nclusters;
	uint32_t l;

	if (priv && getenv("FAKEDEV_NOROOT"))
		return -EPERM;

	switch (req) {
	case OPTSIM_IOC_GET_INFO: {
		struct optsim_info *in = arg;

		memset(in, 0, sizeof(*in));
		in->media = st.media;
		in->layers = layers();
		in->cluster_sectors = OPTSIM_CLUSTER_SECTORS;
		in->sector_size = SECT;
		in->layer_sectors = st.media ? st.layer_sectors : 0;
		in->capacity = capacity();
		in->full_erases = st.full_erases;
		in->mem_limit = 1ULL << 30;
		nclusters = capacity() / OPTSIM_CLUSTER_SECTORS;
		for (c = 0; c < nclusters; c++) {
			if (!st.recorded[c])
				continue;
			in->recorded_clusters[c * OPTSIM_CLUSTER_SECTORS /
					      st.layer_sectors]++;
			in->nwa = (c + 1) * OPTSIM_CLUSTER_SECTORS;
			in->mem_used += CLUSTER;
		}
		if (write_once())
			in->flags |= OPTSIM_INFO_F_WRITE_ONCE;
		if (st.finalized)
			in->flags |= OPTSIM_INFO_F_FINALIZED;
		if (st.media && !st.finalized && in->nwa < in->capacity)
			in->flags |= OPTSIM_INFO_F_NWA_VALID;
		return 0;
	}
	case OPTSIM_IOC_GET_PARAMS: {
		struct optsim_params *p = arg;

		if (!st.media)
			return -ENOMEDIUM;
		if (p->layer >= layers())
			return -EINVAL;
		*p = st.params[p->layer];
		return 0;
	}
	case OPTSIM_IOC_SET_PARAMS: {
		struct optsim_params *p = arg;

		if (!st.media)
			return -ENOMEDIUM;
		if ((p->layer >= layers() && p->layer != OPTSIM_LAYER_ALL) ||
		    p->strategy > OPTSIM_STRATEGY_CASTLE || p->velocity < OPTSIM_VELOCITY_MIN_MMS ||
		    p->velocity > OPTSIM_VELOCITY_MAX_MMS ||
		    p->write_power < OPTSIM_POWER_MIN_UW ||
		    p->write_power > OPTSIM_POWER_MAX_UW ||
		    p->bias_power > p->write_power ||
		    p->mode > OPTSIM_MODE_CURRENT || p->reserved1 ||
		    p->reserved)
			return -EINVAL;
		for (l = 0; l < layers(); l++) {
			if (p->layer != OPTSIM_LAYER_ALL && p->layer != l)
				continue;
			st.params[l] = *p;
			st.params[l].layer = l;
		}
		logline("set_params layer=%u velocity=%u strategy=%u power=%u bias=%u",
			p->layer, p->velocity, p->strategy, p->write_power,
			p->bias_power);
		state_save();
		return 0;
	}
	case OPTSIM_IOC_LOAD: {
		struct optsim_load *ld = arg;

		/* Images need the module: the fake holds no file. */
		if (ld->flags == OPTSIM_LOAD_F_IMAGE)
			return -EOPNOTSUPP;
		if (ld->media < OPTSIM_MEDIA_BD_R ||
		    ld->media > OPTSIM_MEDIA_BD_RE_DL || ld->reserved0 ||
		    ld->flags || ld->image_fd || ld->reserved ||
		    (ld->layer_sectors &&
		     (ld->layer_sectors % OPTSIM_CLUSTER_SECTORS ||
		      ld->layer_sectors < OPTSIM_LAYER_SECTORS_MIN ||
		      ld->layer_sectors > FAKE_MAX_LAYER_SECTORS)))
			return -EINVAL;
		st.media = ld->media;
		st.layer_sectors = ld->layer_sectors ? ld->layer_sectors :
						       DEFAULT_LS;
		st.finalized = 0;
		st.full_erases = 0;
		default_params();
		wipe_data();
		logline("load media=%u layer_sectors=%llu", ld->media,
			(unsigned long long)ld->layer_sectors);
		state_save();
		return 0;
	}
	case OPTSIM_IOC_EJECT:
		if (!st.media)
			return -ENOMEDIUM;
		memset(&st, 0, sizeof(st));
		wipe_data();
		logline("eject");
		state_save();
		return 0;
	case OPTSIM_IOC_FINALIZE:
		if (!st.media)
			return -ENOMEDIUM;
		if (!write_once())
			return -EMEDIUMTYPE;
		if (st.finalized)
			return -EALREADY;
		st.finalized = 1;
		logline("finalize");
		state_save();
		return 0;
	case OPTSIM_IOC_ERASE: {
		struct optsim_erase *er = arg;

		if (er->flags & ~OPTSIM_ERASE_F_QUICK)
			return -EINVAL;
		if (!st.media)
			return -ENOMEDIUM;
		if (write_once())
			return -EMEDIUMTYPE;
		if (!(er->flags & OPTSIM_ERASE_F_QUICK))
			st.full_erases++;
		wipe_data();
		logline("erase flags=%u", er->flags);
		state_save();
		return 0;
	}
	case OPTSIM_IOC_GET_QUALITY:
		return fake_get_quality(arg);
	case OPTSIM_IOC_OPC:
		return fake_opc(arg);
	default:
		return -ENOTTY;
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	resolve();
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fd < 0)
		return real_ioctl(fd, req, arg);
	ret = fake_ioctl(req, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

static int check_io(const void *buf, size_t n, off_t off)
{
	if ((fake_flags & O_DIRECT) &&
	    (((uintptr_t)buf | n | (uint64_t)off) % SECT))
		return -EINVAL;
	return 0;
}

static ssize_t fake_pread(void *buf, size_t n, off_t off)
{
	long bad = env_lba("FAKEDEV_CORRUPT_LBA");
	uint64_t end = capacity() * SECT;
	ssize_t r;
	int ret = check_io(buf, n, off);

	if (ret)
		return ret;
	if ((uint64_t)off >= end)
		return 0;
	if (n > end - (uint64_t)off)
		n = end - (uint64_t)off;
	if (bad_cluster() >= 0 && st.recorded[bad_cluster()] &&
	    (uint64_t)bad_cluster() * CLUSTER < (uint64_t)off + n &&
	    ((uint64_t)bad_cluster() + 1) * CLUSTER > (uint64_t)off)
		return -ENODATA;
	r = real_pread(fake_fd, buf, n, off);
	if (r > 0 && bad >= 0 && (uint64_t)bad * SECT >= (uint64_t)off &&
	    (uint64_t)bad * SECT < (uint64_t)off + (uint64_t)r)
		((unsigned char *)buf)[bad * SECT - off] ^= 0xff;
	return r;
}

static ssize_t fake_pwrite(const void *buf, size_t n, off_t off)
{
	long bad = env_lba("FAKEDEV_FAIL_LBA");
	uint64_t first, last, c, stop;
	bool fail = false;
	int ret = check_io(buf, n, off);

	if (ret)
		return ret;
	if (!st.media)
		return -ENOMEDIUM;
	if ((uint64_t)off + n > capacity() * SECT)
		return -ENOSPC;
	if (!n)
		return 0;
	first = (uint64_t)off / CLUSTER;
	last = ((uint64_t)off + n - 1) / CLUSTER;
	stop = last + 1;
	if (bad >= 0 && (uint64_t)bad * SECT >= (uint64_t)off &&
	    (uint64_t)bad * SECT < (uint64_t)off + n) {
		fail = true;
		stop = (uint64_t)bad * SECT / CLUSTER;
		if (!getenv("FAKEDEV_PARTIAL"))
			return -EIO;
	}
	if (st.finalized)
		return -EIO;
	if (write_once())
		for (c = first; c <= last; c++)
			if (st.recorded[c])
				return -EIO;
	/* records [first, stop): everything, or up to the failing cluster */
	for (c = first; c < stop; c++) {
		uint64_t s = c * CLUSTER > (uint64_t)off ? c * CLUSTER : (uint64_t)off;
		uint64_t e = (c + 1) * CLUSTER < (uint64_t)off + n ?
			     (c + 1) * CLUSTER : (uint64_t)off + n;

		if (real_pwrite(fake_fd, (const char *)buf + (s - (uint64_t)off),
				e - s, (off_t)s) != (ssize_t)(e - s))
			return -EIO;
		st.recorded[c] = 1;
	}
	state_save();
	return fail ? -EIO : (ssize_t)n;
}

#define IO_WRAP(name, type, call)					\
ssize_t name(int fd, type buf, size_t n, off_t off)			\
{									\
	ssize_t r;							\
									\
	resolve();							\
	if (fd != fake_fd || fd < 0)					\
		return real_##call(fd, buf, n, off);			\
	r = fake_##call(buf, n, off);					\
	if (r < 0) {							\
		errno = (int)-r;					\
		return -1;						\
	}								\
	return r;							\
}

IO_WRAP(pread, void *, pread)
IO_WRAP(pread64, void *, pread)
IO_WRAP(pwrite, const void *, pwrite)
IO_WRAP(pwrite64, const void *, pwrite)

int socket(int domain, int type, int protocol)
{
	static int (*real_socket)(int, int, int);

	if (domain == AF_NETLINK) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (!real_socket)
		real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	return real_socket(domain, type, protocol);
}

int fsync(int fd)
{
	resolve();
	if (fd == fake_fd && fd >= 0)
		return 0;
	return real_fsync(fd);
}
