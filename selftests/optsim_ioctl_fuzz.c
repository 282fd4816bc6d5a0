// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_ioctl_fuzz - an ioctl fuzzer for /dev/optsim, with the drive
 * busy: three threads share one descriptor (O_RDWR | O_DIRECT; one opener,
 * so LOAD and EJECT are allowed):
 *
 * - the fuzzer sends OPTSIM_FUZZ_COUNT requests (default 10000) made from
 *   a fixed seed (OPTSIM_FUZZ_SEED overrides it; it is printed): every
 *   OPTSIM_IOC_* request and the CDROM ones the drive serves, a random
 *   request number of the optsim magic or another, the right numbers with
 *   a wrong size or direction; as argument a well-formed structure, the
 *   same mutated (bits, bytes, fields set to edge values), random bytes, or
 *   a bad pointer (NULL, a kernel address, an unmapped page, a structure
 *   running into an unmapped page);
 * - an I/O thread reads and writes clusters with O_DIRECT at random places;
 * - a media thread loads, finalizes, erases and ejects small media.
 *
 * Every request must end with 0 or one of the errnos the uapi header
 * documents for the ioctls; I/O with success or EIO/ENOSPC/ENOMEDIUM-like
 * errors. Afterwards the drive must describe a consistent medium and still
 * work: a fresh BD-RE loaded, a cluster written reads back. run-vm.sh
 * checks the kernel log (and under make check-debug, KASAN, lockdep and
 * kmemleak) for reports.
 */
#include "optsim_utils.h"

#include <pthread.h>
#include <time.h>
#include <linux/cdrom.h>

#define FUZZ_DEFAULT_COUNT	10000UL
#define FUZZ_DEFAULT_SEED	0x696f63746cfa22ULL
/* Small media: finalize and full erase are quick. */
#define FUZZ_LAYER		1024ULL
#define FUZZ_PROGRESS		2000
#define FUZZ_MAX_REPORTS	20
/* Valid OPC runs some 50 model compiles (seconds under TCG): 1 in this. */
#define FUZZ_OPC_RARE		256
#define ARG_BYTES		4096
#define RECS_BYTES		(OPTSIM_QUALITY_MAX_RECORDS * \
				 sizeof(struct optsim_quality_rec))

static uint64_t rng;

static uint64_t rnd_state(uint64_t *s)
{
	return fuzz_rnd(s);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return fuzz_below(s, n);
}

struct fuzz {
	int fd;
	volatile int stop;
	/* a page followed by an unmapped one */
	char *edge;
	size_t page;
	/* counts */
	unsigned long calls, ok, refused, bad;
	unsigned long errs[256];
	unsigned long io, io_ok, io_err, io_bad;
	unsigned long media_ops, media_ok;
	int io_bad_errno;
	int save_fd;
	/* microseconds spent per request of ioc_cmds[] (and other numbers) */
	unsigned long long us[16];
	unsigned long n[16];
};

/* The errnos the ioctls are documented to return (optsim_ioctl()). */
static bool errno_ok(int e)
{
	switch (e) {
	case ENOTTY: case EPERM: case EFAULT: case EINVAL: case ENOMEDIUM:
	case EMEDIUMTYPE: case EALREADY: case EBUSY: case EROFS: case ENOMEM:
	case EBADF: case EBADMSG: case EOPNOTSUPP: case ENOSPC: case EIO:
	case ENXIO:
		return true;
	}
	return false;
}

static const unsigned int ioc_cmds[] = {
	OPTSIM_IOC_GET_INFO, OPTSIM_IOC_GET_PARAMS, OPTSIM_IOC_SET_PARAMS,
	OPTSIM_IOC_LOAD, OPTSIM_IOC_EJECT, OPTSIM_IOC_FINALIZE,
	OPTSIM_IOC_ERASE, OPTSIM_IOC_GET_CLUSTER, OPTSIM_IOC_GET_QUALITY,
	OPTSIM_IOC_OPC, OPTSIM_IOC_SAVE,
	CDROMEJECT, CDROMCLOSETRAY, CDROM_DRIVE_STATUS, CDROM_LOCKDOOR,
};

/* A well-formed argument of cmd in buf (which is ARG_BYTES long). */
static void well_formed(struct fuzz *f, uint64_t *s, unsigned int cmd,
			void *buf, struct optsim_quality_rec *recs)
{
	memset(buf, 0, ARG_BYTES);
	switch (cmd) {
	case OPTSIM_IOC_GET_PARAMS:
	case OPTSIM_IOC_SET_PARAMS: {
		struct optsim_params *p = buf;

		p->layer = below(s, 4) ? below(s, 2) : OPTSIM_LAYER_ALL;
		p->strategy = below(s, 4);
		p->velocity = OPTSIM_VELOCITY_MIN_MMS +
			below(s, OPTSIM_VELOCITY_MAX_MMS - OPTSIM_VELOCITY_MIN_MMS + 1);
		p->write_power = OPTSIM_POWER_MIN_UW +
			below(s, OPTSIM_POWER_MAX_UW - OPTSIM_POWER_MIN_UW + 1);
		p->bias_power = below(s, p->write_power + 1);
		break;
	}
	case OPTSIM_IOC_LOAD: {
		struct optsim_load *l = buf;

		l->media = 1 + below(s, 4);
		l->layer_sectors = FUZZ_LAYER * (1 + below(s, 2));
		break;
	}
	case OPTSIM_IOC_ERASE:
		((struct optsim_erase *)buf)->flags = below(s, 2);
		break;
	case OPTSIM_IOC_GET_CLUSTER:
		((struct optsim_cluster_info *)buf)->lba = below(s, 2 * FUZZ_LAYER + 64);
		break;
	case OPTSIM_IOC_GET_QUALITY: {
		struct optsim_quality *q = buf;

		q->cluster = below(s, 2 * FUZZ_LAYER / CLUSTER + 4);
		q->count = 1 + below(s, 128);
		q->records = (uintptr_t)recs;
		break;
	}
	case OPTSIM_IOC_OPC:
		((struct optsim_opc *)buf)->layer = below(s, 3) == 2 ?
			OPTSIM_LAYER_ALL : below(s, 2);
		break;
	case OPTSIM_IOC_SAVE:
		((struct optsim_save *)buf)->image_fd = below(s, 2) ? f->save_fd :
			(int)below(s, 8) - 1;
		break;
	default:
		break;
	}
}

/* Mutate a well-formed argument of size bytes. */
static void mutate(uint64_t *s, void *buf, unsigned int size)
{
	static const uint64_t edges[] = {
		0, 1, 0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, ~0ULL,
		OPTSIM_LAYER_ALL, OPTSIM_LAYER_SECTORS_MAX + 32,
		OPTSIM_VELOCITY_MAX_MMS + 1, OPTSIM_POWER_MAX_UW + 1,
		1ULL << 63, FUZZ_LAYER - 1,
	};
	unsigned char *b = buf;
	unsigned int n = 1 + below(s, 4), i, off;

	if (!size)
		return;
	for (i = 0; i < n; i++) {
		off = below(s, size);
		switch (below(s, 3)) {
		case 0:
			b[off] ^= 1u << below(s, 8);
			break;
		case 1:
			b[off] = (unsigned char)rnd_state(s);
			break;
		default: {
			uint64_t v = edges[below(s, sizeof(edges) / sizeof(edges[0]))];

			off &= ~3u;
			if (off + 4 <= size)
				memcpy(b + off, &v, 4);
			break;
		}
		}
	}
}

#define NCMDS (sizeof(ioc_cmds) / sizeof(ioc_cmds[0]))

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The index of cmd in ioc_cmds[], or NCMDS for any other number. */
static unsigned int cmd_slot(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < NCMDS; i++)
		if (ioc_cmds[i] == cmd)
			break;
	return i;
}

/* One fuzzed request. */
static void fuzz_one(struct fuzz *f, uint64_t *s, void *buf,
		     struct optsim_quality_rec *recs)
{
	unsigned int cmd, size, kind, slot;
	unsigned long long t0;
	unsigned long arg;
	int ret, e;

	kind = below(s, 8);
	cmd = ioc_cmds[below(s, sizeof(ioc_cmds) / sizeof(ioc_cmds[0]))];
	/*
	 * What compiles the recording model is slow (on the debug kernel a
	 * SET_PARAMS takes 0.9 s, a LOAD 0.14 s, an OPC many seconds): those
	 * are picked rarely, the rest makes the count.
	 */
	while ((cmd == OPTSIM_IOC_OPC && below(s, FUZZ_OPC_RARE)) ||
	       (cmd == OPTSIM_IOC_SET_PARAMS && below(s, 16)) ||
	       (cmd == OPTSIM_IOC_ERASE && below(s, 8)) ||
	       (cmd == OPTSIM_IOC_LOAD && below(s, 4)))
		cmd = ioc_cmds[below(s, sizeof(ioc_cmds) / sizeof(ioc_cmds[0]))];
	size = _IOC_SIZE(cmd);
	well_formed(f, s, cmd, buf, recs);
	arg = (uintptr_t)buf;

	switch (kind) {
	case 0: case 1: case 2:
		break;			/* well-formed */
	case 3: case 4:
		mutate(s, buf, size);
		break;
	case 5: {			/* random bytes */
		unsigned int i;

		for (i = 0; i < size; i += 8) {
			uint64_t v = rnd_state(s);

			memcpy((char *)buf + i, &v, 8);
		}
		break;
	}
	case 6: {			/* a bad pointer */
		static const unsigned long bad[] = {
			0, 1, 0xffff888000000000UL, 0xffffffff81000000UL,
			0x7ffffffff000UL, ~0UL,
		};

		switch (below(s, 3)) {
		case 0:
			arg = bad[below(s, sizeof(bad) / sizeof(bad[0]))];
			break;
		case 1:			/* the unmapped page after edge */
			arg = (uintptr_t)f->edge + f->page;
			break;
		default:		/* runs into it */
			arg = (uintptr_t)f->edge + f->page - 1 -
				below(s, size ? size - 1 : 1);
			memcpy((void *)arg, buf,
			       (uintptr_t)f->edge + f->page - arg);
			break;
		}
		if (cmd == CDROM_LOCKDOOR)
			arg = below(s, 3);
		break;
	}
	default:			/* a wrong number */
		switch (below(s, 4)) {
		case 0:			/* wrong size */
			cmd = _IOC(_IOC_DIR(cmd), OPTSIM_IOC_MAGIC, _IOC_NR(cmd),
				   below(s, 2) ? below(s, 512) : size + 8);
			break;
		case 1:			/* wrong direction */
			cmd = _IOC(below(s, 4), OPTSIM_IOC_MAGIC, _IOC_NR(cmd),
				   size);
			break;
		case 2:			/* an unknown number */
			cmd = _IOC(below(s, 4), OPTSIM_IOC_MAGIC,
				   0x0b + below(s, 0xf5), below(s, 256));
			break;
		default: {		/* another magic, none of the VFS's or block layer's */
			static const unsigned char types[] = { 0x01, 0xbc, 0xbe, 0xee };

			cmd = _IOC(below(s, 4), types[below(s, 4)], below(s, 256),
				   below(s, 256));
			break;
		}
		}
		break;
	}

	/*
	 * GET_QUALITY writes where its records pointer points: a mutated one
	 * that is not the records buffer must not be memory of this program.
	 */
	if (cmd == OPTSIM_IOC_GET_QUALITY && kind >= 3 && kind <= 5) {
		struct optsim_quality *q = buf;

		if (q->records != (uintptr_t)recs)
			q->records = below(s, 2) ? 0xffff888000000000ULL :
				(uintptr_t)f->edge + f->page;
	}

	t0 = now_us();
	ret = ioctl(f->fd, cmd, arg);
	e = errno;
	slot = cmd_slot(cmd);
	f->us[slot] += now_us() - t0;
	f->n[slot]++;
	f->calls++;
	if (cmd == CDROM_DRIVE_STATUS && ret >= 0) {
		f->ok++;
		return;
	}
	if (ret == 0) {
		f->ok++;
		return;
	}
	f->refused++;
	f->errs[e & 0xff]++;
	if (ret != -1 || !errno_ok(e)) {
		f->bad++;
		if (f->bad <= FUZZ_MAX_REPORTS)
			fprintf(stderr, "# ioctl 0x%08x arg 0x%lx (kind %u): %d, %s\n",
				cmd, arg, kind, ret, strerror(e));
	}
	/* Back in: a closed tray makes the media thread's work possible. */
	if (cmd == CDROMEJECT && ret == 0 && below(s, 2))
		ioctl(f->fd, CDROMCLOSETRAY, 0);
}

static void *io_thread(void *p)
{
	struct fuzz *f = p;
	uint64_t s = 0x10101010ULL ^ rng;
	void *buf = io_buf(4 * CLUSTER_BYTES);
	ssize_t r;

	if (!buf)
		return NULL;
	while (!f->stop) {
		size_t len = (1 + below(&s, 4)) * CLUSTER_BYTES;
		off_t off = (off_t)below(&s, 2 * FUZZ_LAYER / CLUSTER) *
			CLUSTER_BYTES;

		if (below(&s, 2)) {
			fill_pattern(buf, off / SECTOR, len / SECTOR, 7);
			r = pwrite(f->fd, buf, len, off);
		} else {
			r = pread(f->fd, buf, len, off);
		}
		f->io++;
		if (r >= 0) {
			f->io_ok++;
			continue;
		}
		f->io_err++;
		/* what a refused or failed block request gives */
		if (errno != EIO && errno != ENOSPC && errno != ENOMEDIUM &&
		    errno != EROFS && errno != ENXIO && errno != EINVAL &&
		    errno != ENOLINK && errno != EBADE && errno != ENODATA &&
		    errno != EILSEQ && errno != ETIMEDOUT && errno != EAGAIN &&
		    errno != ENOMEM) {
			f->io_bad++;
			f->io_bad_errno = errno;
		}
		if (errno != EAGAIN)
			usleep(200);
	}
	io_free(buf, 4 * CLUSTER_BYTES);
	return NULL;
}

static void *media_thread(void *p)
{
	struct fuzz *f = p;
	uint64_t s = 0x20202020ULL ^ rng;

	while (!f->stop) {
		int ret;

		switch (below(&s, 6)) {
		case 0: case 1:
			ret = do_load(f->fd, 1 + below(&s, 4), FUZZ_LAYER);
			break;
		case 2:
			ret = do_finalize(f->fd);
			break;
		case 3:
			ret = do_erase(f->fd, below(&s, 4) ? OPTSIM_ERASE_F_QUICK : 0);
			break;
		case 4:
			ret = ioctl(f->fd, CDROMCLOSETRAY, 0);
			break;
		default:
			ret = do_eject(f->fd);
			break;
		}
		f->media_ops++;
		if (!ret)
			f->media_ok++;
		usleep(2000 + below(&s, 20000));
	}
	return NULL;
}

FIXTURE(ioctl_fuzz) {
	struct fuzz f;
	void *buf;
	struct optsim_quality_rec *recs;
	char save_path[64];
};

FIXTURE_SETUP(ioctl_fuzz)
{
	memset(&self->f, 0, sizeof(self->f));
	self->f.page = (size_t)sysconf(_SC_PAGESIZE);
	self->f.edge = mmap(NULL, 2 * self->f.page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->f.edge);
	ASSERT_EQ(0, munmap(self->f.edge + self->f.page, self->f.page));
	self->buf = calloc(1, ARG_BYTES);
	/* room for the most records a mutated count may ask for */
	self->recs = mmap(NULL, RECS_BYTES, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(MAP_FAILED, self->recs);
	snprintf(self->save_path, sizeof(self->save_path),
		 "/tmp/optsim-ioctl-fuzz.%d", getpid());
	self->f.save_fd = open(self->save_path, O_RDWR | O_CREAT | O_TRUNC |
			       O_CLOEXEC, 0600);
	self->f.fd = open(DEV_PATH, DEV_FLAGS);
	ASSERT_LE(0, self->f.fd) {
		TH_LOG("open %s: %s", DEV_PATH, strerror(errno));
	}
	ASSERT_EQ(0, do_load(self->f.fd, OPTSIM_MEDIA_BD_RE, FUZZ_LAYER));
}

FIXTURE_TEARDOWN(ioctl_fuzz)
{
	if (self->f.fd >= 0) {
		ioctl(self->f.fd, CDROM_LOCKDOOR, 0);
		ioctl(self->f.fd, CDROMCLOSETRAY, 0);
		do_eject(self->f.fd);
		close(self->f.fd);
	}
	if (self->f.save_fd >= 0)
		close(self->f.save_fd);
	unlink(self->save_path);
	munmap(self->f.edge, self->f.page);
	free(self->buf);
	munmap(self->recs, RECS_BYTES);
}

TEST_F_TIMEOUT(ioctl_fuzz, busy, 3600)
{
	unsigned long count = FUZZ_DEFAULT_COUNT, i;
	uint64_t seed = FUZZ_DEFAULT_SEED, s;
	struct optsim_info info;
	pthread_t io, media;
	void *wbuf;
	time_t t0 = time(NULL);
	int e;

	fuzz_knobs(&seed, &count);
	rng = seed ? seed : 1;
	s = rng;
	TH_LOG("%lu requests, seed 0x%llx (OPTSIM_FUZZ_SEED=0x%llx to repeat)",
	       count, (unsigned long long)seed, (unsigned long long)seed);

	ASSERT_EQ(0, pthread_create(&io, NULL, io_thread, &self->f));
	ASSERT_EQ(0, pthread_create(&media, NULL, media_thread, &self->f));
	for (i = 0; i < count; i++) {
		if (i && i % FUZZ_PROGRESS == 0)
			TH_LOG("%lu requests, %lu bad, %ld s", i, self->f.bad,
			       (long)(time(NULL) - t0));
		fuzz_one(&self->f, &s, self->buf, self->recs);
		/* the SAVE file must stay empty to be accepted */
		if (self->f.save_fd >= 0 && i % 64 == 0)
			ftruncate(self->f.save_fd, 0);
	}
	self->f.stop = 1;
	pthread_join(io, NULL);
	pthread_join(media, NULL);

	TH_LOG("ioctl fuzz: %lu requests: %lu succeeded, %lu refused, %lu bad; %ld s",
	       self->f.calls, self->f.ok, self->f.refused, self->f.bad,
	       (long)(time(NULL) - t0));
	for (e = 0; e < 256; e++)
		if (self->f.errs[e])
			TH_LOG("  %s: %lu", strerror(e), self->f.errs[e]);
	for (e = 0; e <= (int)NCMDS; e++)
		if (self->f.n[e])
			TH_LOG("  request 0x%08x: %lu calls, %llu ms",
			       e < (int)NCMDS ? ioc_cmds[e] : 0, self->f.n[e],
			       self->f.us[e] / 1000);
	TH_LOG("I/O thread: %lu requests, %lu done, %lu failed, %lu bad",
	       self->f.io, self->f.io_ok, self->f.io_err, self->f.io_bad);
	TH_LOG("media thread: %lu requests, %lu done",
	       self->f.media_ops, self->f.media_ok);
	EXPECT_EQ(0UL, self->f.bad);
	EXPECT_EQ(0UL, self->f.io_bad) {
		TH_LOG("last unexpected I/O error: %s",
		       strerror(self->f.io_bad_errno));
	}
	EXPECT_EQ(count, self->f.calls);

	/* The drive still works: a fresh BD-RE, one cluster back. */
	ioctl(self->f.fd, CDROM_LOCKDOOR, 0);
	ioctl(self->f.fd, CDROMCLOSETRAY, 0);
	ASSERT_EQ(0, do_load(self->f.fd, OPTSIM_MEDIA_BD_RE, FUZZ_LAYER)) {
		TH_LOG("load after the fuzzing: %s", strerror(errno));
	}
	ASSERT_EQ(0, do_get_info(self->f.fd, &info));
	EXPECT_EQ((__u32)OPTSIM_MEDIA_BD_RE, info.media);
	EXPECT_EQ(FUZZ_LAYER, info.capacity);
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	wbuf = io_buf(CLUSTER_BYTES);
	ASSERT_NE(NULL, wbuf);
	fill_pattern(wbuf, 64, CLUSTER, 9);
	ASSERT_EQ((ssize_t)CLUSTER_BYTES,
		  pwrite(self->f.fd, wbuf, CLUSTER_BYTES, 64 * SECTOR));
	memset(wbuf, 0, CLUSTER_BYTES);
	ASSERT_EQ((ssize_t)CLUSTER_BYTES,
		  pread(self->f.fd, wbuf, CLUSTER_BYTES, 64 * SECTOR));
	EXPECT_EQ(-1L, pattern_mismatch(wbuf, 64, CLUSTER, 9));
	io_free(wbuf, CLUSTER_BYTES);
}

TEST_HARNESS_MAIN
