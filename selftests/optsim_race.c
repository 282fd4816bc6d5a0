// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_race - writers racing on the same clusters, and parameter changes
 * during writes. The write path runs the recording model before it takes
 * the medium's lock (Documentation/internals.rst, The write path); these
 * tests check that it still commits as one step:
 *
 * - on a BD-R, of requests that overlap, exactly the ones the write-once
 *   rule lets through are recorded, each whole; every other one fails
 *   with EIO because a cluster of it holds a winner's data;
 * - on a BD-RE, every request is recorded, every cluster holds one
 *   request's data, whole, and counts every recording;
 * - parameter changes while writes run leave the data intact and every
 *   write counted.
 *
 * The _image variants do the same on an image-backed medium, whose
 * writes also stage and run the model before the lock, and put their
 * clusters in the file at the commit. The _one_cpu variants run the
 * writers all on one CPU, so that they
 * submit to the same hardware queue and share its writer's scratch
 * (struct optsim_stage): a writer that sleeps or is preempted while it
 * holds it lets another one into the queue, who must wait for it.
 *
 * Each request writes a tag in every 8-byte word of each of its clusters:
 * the writer, the request and the cluster, so that a cluster read back
 * says which request's data it holds, and whether it holds one request's
 * data only. The block layer's merging is turned off for the tests
 * (queue/nomerges): a merged request from two writers would succeed or
 * fail as one.
 */
#include "optsim_utils.h"

#include <pthread.h>
#include <sched.h>

#define RACE_LAYER	8192	/* 256 clusters */
#define RACE_CLUSTERS	96	/* the clusters the requests cover */
#define RACE_WRITERS	4
#define RACE_MAX_LEN	3	/* clusters per request, 1 to this */
#define RACE_REQS	64	/* requests per writer */
#define NOMERGES	SYSFS_DISK "/queue/nomerges"

/**
 * struct race_req - one request of one writer
 * @first: its first cluster
 * @len: its clusters
 * @err: 0 when it succeeded, else the errno it failed with
 */
struct race_req {
	__u32 first;
	__u32 len;
	int err;
};

struct race_writer {
	int fd;
	__u32 id;
	struct race_req req[RACE_REQS];
	pthread_barrier_t *start;
	const cpu_set_t *cpus;
	int setup_err;
};

/* The tag of every word of cluster c written by request r of writer w. */
static __u64 race_tag(__u32 w, __u32 r, __u32 c)
{
	return 0x5aULL << 56 | (__u64)(w + 1) << 40 | (__u64)r << 20 | c;
}

/* A small generator per writer, so that runs repeat. */
static __u32 race_rand(__u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (__u32)(*s >> 33);
}

/*
 * The requests: every writer covers the same clusters. The writers start
 * each request together (a barrier): every other request of every writer
 * is two clusters at the same place, one cluster apart between odd and
 * even writers, so that all four overlap and are staged at the same time,
 * before any of them is committed; the others are 1 to RACE_MAX_LEN
 * clusters at random places.
 */
static void race_plan(struct race_writer *wr, __u32 id)
{
	__u64 s = 0x1234567ULL + id;
	__u32 i;

	wr->id = id;
	for (i = 0; i < RACE_REQS; i++) {
		if (i % 2 == 0) {
			wr->req[i].len = 2;
			wr->req[i].first = (i / 2 * 3) % (RACE_CLUSTERS - 2) +
					   id % 2;
		} else {
			wr->req[i].len = 1 + race_rand(&s) % RACE_MAX_LEN;
			wr->req[i].first = race_rand(&s) %
					   (RACE_CLUSTERS - wr->req[i].len + 1);
		}
	}
}

static void *race_run(void *arg)
{
	struct race_writer *wr = arg;
	size_t len = RACE_MAX_LEN * CLUSTER_BYTES;
	__u64 *buf = io_buf(len);
	struct race_req *rq;
	__u32 i, c;
	size_t k;
	ssize_t n;

	if (!buf)
		wr->setup_err = ENOMEM;
	if (wr->cpus && sched_setaffinity(0, sizeof(*wr->cpus), wr->cpus))
		wr->setup_err = errno;
	for (i = 0; i < RACE_REQS; i++) {
		rq = &wr->req[i];
		for (c = 0; buf && c < rq->len; c++)
			for (k = 0; k < CLUSTER_BYTES / 8; k++)
				buf[c * CLUSTER_BYTES / 8 + k] =
					race_tag(wr->id, i, rq->first + c);
		pthread_barrier_wait(wr->start);
		if (!buf) {
			rq->err = ENOMEM;
			continue;
		}
		n = pwrite(wr->fd, buf, rq->len * CLUSTER_BYTES,
			   (off_t)rq->first * CLUSTER_BYTES);
		if (n == (ssize_t)(rq->len * CLUSTER_BYTES))
			rq->err = 0;
		else
			rq->err = n < 0 ? errno : EMSGSIZE;
	}
	if (buf)
		io_free(buf, len);
	return NULL;
}

/*
 * Run the writers to the end, all on the first CPU this task may use when
 * @one_cpu; false when one could not start.
 */
static bool race_go(struct race_writer *wr, __u32 n, int fd, bool one_cpu)
{
	pthread_t th[RACE_WRITERS];
	pthread_barrier_t start;
	cpu_set_t cpus, was;
	bool ok = true;
	int cpu;
	__u32 i;

	if (sched_getaffinity(0, sizeof(was), &was))
		return false;
	CPU_ZERO(&cpus);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &was); cpu++)
		;
	if (cpu == CPU_SETSIZE)
		return false;
	CPU_SET(cpu, &cpus);
	pthread_barrier_init(&start, NULL, n);
	for (i = 0; i < n; i++) {
		race_plan(&wr[i], i);
		wr[i].fd = fd;
		wr[i].start = &start;
		wr[i].cpus = one_cpu ? &cpus : NULL;
		wr[i].setup_err = 0;
	}
	for (i = 1; i < n; i++)
		pthread_create(&th[i], NULL, race_run, &wr[i]);
	race_run(&wr[0]);
	for (i = 1; i < n; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	if (one_cpu && sched_setaffinity(0, sizeof(was), &was))
		ok = false;
	for (i = 0; i < n; i++)
		ok &= !wr[i].setup_err;
	return ok;
}

/*
 * What cluster c holds: the writer and request whose tag fills it (true),
 * or nothing (blank: false). Fails the test on a cluster that holds
 * anything else: two requests' data, or a tag of another cluster.
 */
static bool race_holder(struct __test_metadata *_metadata, int fd, __u32 c,
			__u32 *w, __u32 *r)
{
	__u64 *buf = io_buf(CLUSTER_BYTES);
	bool held = false;
	__u64 tag;
	size_t k;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ((ssize_t)CLUSTER_BYTES,
		  pread(fd, buf, CLUSTER_BYTES, (off_t)c * CLUSTER_BYTES));
	tag = buf[0];
	for (k = 1; k < CLUSTER_BYTES / 8; k++)
		if (buf[k] != tag)
			break;
	EXPECT_EQ((size_t)CLUSTER_BYTES / 8, k) {
		TH_LOG("cluster %u holds more than one request's data: word %zu is %#llx, word 0 %#llx",
		       c, k, (unsigned long long)buf[k],
		       (unsigned long long)tag);
	}
	if (tag) {
		EXPECT_EQ(0x5aULL, tag >> 56);
		EXPECT_EQ((__u64)c, tag & 0xfffff) {
			TH_LOG("cluster %u holds the data of cluster %llu", c,
			       (unsigned long long)(tag & 0xfffff));
		}
		*w = (__u32)((tag >> 40) & 0xffff) - 1;
		*r = (__u32)((tag >> 20) & 0xfffff);
		EXPECT_GT((__u32)RACE_WRITERS, *w);
		EXPECT_GT((__u32)RACE_REQS, *r);
		held = *w < RACE_WRITERS && *r < RACE_REQS;
	}
	io_free(buf, CLUSTER_BYTES);
	return held;
}

static bool race_covers(const struct race_req *rq, __u32 c)
{
	return c >= rq->first && c < rq->first + rq->len;
}

/* ========================================================================
 * race: writers on the same clusters
 * ======================================================================== */

FIXTURE(race) {
	int fd;
	char nomerges[16];
	struct race_writer wr[RACE_WRITERS];
};

FIXTURE_VARIANT(race) {
	__u32 media;
	bool one_cpu;
	bool image;
};

FIXTURE_VARIANT_ADD(race, bd_r) {
	.media = OPTSIM_MEDIA_BD_R,
};

FIXTURE_VARIANT_ADD(race, bd_re) {
	.media = OPTSIM_MEDIA_BD_RE,
};

FIXTURE_VARIANT_ADD(race, bd_r_one_cpu) {
	.media = OPTSIM_MEDIA_BD_R,
	.one_cpu = true,
};

FIXTURE_VARIANT_ADD(race, bd_re_one_cpu) {
	.media = OPTSIM_MEDIA_BD_RE,
	.one_cpu = true,
};

FIXTURE_VARIANT_ADD(race, bd_r_image) {
	.media = OPTSIM_MEDIA_BD_R,
	.image = true,
};

FIXTURE_VARIANT_ADD(race, bd_re_image) {
	.media = OPTSIM_MEDIA_BD_RE,
	.image = true,
};

/*
 * Make the blank medium in the drive an image-backed one: save it to a
 * new file, load that file. The file is unlinked; the drive keeps it.
 */
static void race_load_image(struct __test_metadata *_metadata, int fd)
{
	char path[] = "/tmp/optsim-race.XXXXXX";
	struct optsim_load l = { .flags = OPTSIM_LOAD_F_IMAGE };
	struct optsim_save sv = {};
	int img = mkstemp(path);

	ASSERT_LE(0, img);
	unlink(path);
	sv.image_fd = img;
	ASSERT_EQ(0, ioctl(fd, OPTSIM_IOC_SAVE, &sv)) {
		TH_LOG("SAVE: %s", strerror(errno));
	}
	l.image_fd = img;
	ASSERT_EQ(0, ioctl(fd, OPTSIM_IOC_LOAD, &l)) {
		TH_LOG("LOAD of the image: %s", strerror(errno));
	}
	close(img);
}

FIXTURE_SETUP(race)
{
	int f;

	self->fd = open_and_load(_metadata, variant->media, RACE_LAYER);
	if (variant->image)
		race_load_image(_metadata, self->fd);
	ASSERT_OK(read_str_file(NOMERGES, self->nomerges,
				sizeof(self->nomerges)));
	f = open(NOMERGES, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, f);
	ASSERT_EQ(1, write(f, "2", 1));
	close(f);
}

FIXTURE_TEARDOWN(race)
{
	int f = open(NOMERGES, O_WRONLY | O_CLOEXEC);

	if (f >= 0) {
		if (write(f, self->nomerges, strlen(self->nomerges)) < 0)
			TH_LOG("restoring %s: %s", NOMERGES, strerror(errno));
		close(f);
	}
	close(self->fd);
}

/*
 * On a BD-R: the requests that succeeded cover disjoint clusters and hold
 * them whole; each of the others failed with EIO and has a cluster a
 * winner holds; the medium counts as recorded exactly the winners'
 * clusters, each written once. On a BD-RE: all succeed, every cluster
 * holds the data of one request that covers it, and counts one write per
 * request that covered it.
 */
TEST_F(race, winners_whole)
{
	struct optsim_quality_rec recs[RACE_CLUSTERS];
	__u32 held_w[RACE_CLUSTERS], held_r[RACE_CLUSTERS];
	bool held[RACE_CLUSTERS];
	bool once = media_write_once(variant->media);
	__u32 w, r, c, covered, won = 0, lost = 0, nheld = 0, count;
	struct optsim_info info;
	struct race_req *rq;

	ASSERT_TRUE(race_go(self->wr, RACE_WRITERS, self->fd,
			    variant->one_cpu));

	for (c = 0; c < RACE_CLUSTERS; c++)
		held[c] = race_holder(_metadata, self->fd, c, &held_w[c],
				      &held_r[c]);
	ASSERT_OK(do_get_quality(self->fd, 0, RACE_CLUSTERS, recs, &count));
	ASSERT_EQ((__u32)RACE_CLUSTERS, count);

	for (c = 0; c < RACE_CLUSTERS; c++) {
		covered = 0;
		for (w = 0; w < RACE_WRITERS; w++)
			for (r = 0; r < RACE_REQS; r++)
				covered += !self->wr[w].req[r].err &&
					   race_covers(&self->wr[w].req[r], c);
		EXPECT_EQ(covered, recs[c].dow) {
			TH_LOG("cluster %u: %u writes recorded, %u requests that covered it succeeded",
			       c, recs[c].dow, covered);
		}
		expect_rec_sane(_metadata, &recs[c], c, 0);
		EXPECT_EQ(held[c], !!(recs[c].flags & OPTSIM_QUALITY_F_RECORDED));
		if (!held[c]) {
			EXPECT_EQ(0U, covered);
			continue;
		}
		nheld++;
		/* The holder succeeded and covers the cluster. */
		rq = &self->wr[held_w[c]].req[held_r[c]];
		EXPECT_EQ(0, rq->err);
		EXPECT_TRUE(race_covers(rq, c));
		if (once)
			EXPECT_EQ(1U, covered);
	}

	for (w = 0; w < RACE_WRITERS; w++) {
		for (r = 0; r < RACE_REQS; r++) {
			rq = &self->wr[w].req[r];
			if (rq->err) {
				lost++;
				/* Refused because a cluster was recorded. */
				EXPECT_TRUE(once);
				EXPECT_EQ(EIO, rq->err);
				covered = 0;
				for (c = rq->first; c < rq->first + rq->len; c++)
					covered += held[c] &&
						   (held_w[c] != w || held_r[c] != r);
				EXPECT_LT(0U, covered) {
					TH_LOG("writer %u request %u (clusters %u-%u) failed but holds no cluster of another",
					       w, r, rq->first,
					       rq->first + rq->len - 1);
				}
				continue;
			}
			won++;
			if (!once)
				continue;
			/* A BD-R winner holds all its clusters. */
			for (c = rq->first; c < rq->first + rq->len; c++)
				EXPECT_TRUE(held[c] && held_w[c] == w &&
					    held_r[c] == r) {
					TH_LOG("writer %u request %u succeeded but cluster %u is not its",
					       w, r, c);
				}
		}
	}
	TH_LOG("%s: %u requests recorded, %u refused, %u clusters held",
	       MEDIA_NAME(variant->media), won, lost, nheld);
	if (once)
		EXPECT_LT(0U, lost);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u64)nheld, info.recorded_clusters[0]);
}

/* ========================================================================
 * swap: parameter changes while writes run
 * ======================================================================== */

#define SWAP_WRITERS	2
#define SWAP_ROUNDS	24
#define SWAP_CLUSTERS	8	/* per writer, one request */

struct swap_writer {
	int fd;
	__u32 id;
	__u32 rounds;
	int err;
	bool *stop;
};

static void *swap_run(void *arg)
{
	struct swap_writer *sw = arg;
	size_t len = SWAP_CLUSTERS * CLUSTER_BYTES;
	__u64 lba = (__u64)sw->id * SWAP_CLUSTERS * CLUSTER;
	void *buf = io_buf(len);
	__u32 seed;

	if (!buf) {
		sw->err = ENOMEM;
		return NULL;
	}
	for (sw->rounds = 0; sw->rounds < SWAP_ROUNDS; sw->rounds++) {
		seed = 1 + sw->id * 1000 + sw->rounds;
		fill_pattern(buf, lba, SWAP_CLUSTERS * CLUSTER, seed);
		if (pwrite(sw->fd, buf, len, (off_t)(lba * SECTOR)) !=
		    (ssize_t)len) {
			sw->err = errno ? errno : EMSGSIZE;
			break;
		}
		memset(buf, 0, len);
		if (pread(sw->fd, buf, len, (off_t)(lba * SECTOR)) !=
		    (ssize_t)len) {
			sw->err = errno ? errno : EMSGSIZE;
			break;
		}
		if (pattern_mismatch(buf, lba, SWAP_CLUSTERS * CLUSTER,
				     seed) >= 0) {
			sw->err = EILSEQ;
			break;
		}
	}
	__atomic_store_n(sw->stop, true, __ATOMIC_RELEASE);
	io_free(buf, len);
	return NULL;
}

FIXTURE(swap) {
	int fd;
};

FIXTURE_SETUP(swap)
{
	self->fd = open_and_load(_metadata, OPTSIM_MEDIA_BD_RE_DL, RACE_LAYER);
}

FIXTURE_TEARDOWN(swap)
{
	close(self->fd);
}

/*
 * Two writers rewrite their clusters and read them back while the main
 * thread switches the write power of both layers back and forth: every
 * write succeeds and reads back, every cluster counts every write and has
 * a record, and the parameters are the last ones set.
 */
TEST_F_TIMEOUT(swap, params_during_writes, 300)
{
	struct optsim_quality_rec recs[SWAP_WRITERS * SWAP_CLUSTERS];
	struct swap_writer sw[SWAP_WRITERS];
	pthread_t th[SWAP_WRITERS];
	struct optsim_params p, got;
	bool stop = false;
	__u32 i, count, swaps = 0, power[2];

	get_params(_metadata, self->fd, 0, &p);
	power[0] = p.write_power;
	power[1] = p.write_power + p.write_power / 10;
	p.layer = OPTSIM_LAYER_ALL;
	/* Both tables compiled once before the writers start. */
	p.write_power = power[1];
	ASSERT_OK(do_set_params(self->fd, &p));
	p.write_power = power[0];
	ASSERT_OK(do_set_params(self->fd, &p));

	for (i = 0; i < SWAP_WRITERS; i++) {
		sw[i] = (struct swap_writer) {
			.fd = self->fd, .id = i, .stop = &stop,
		};
		pthread_create(&th[i], NULL, swap_run, &sw[i]);
	}
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		p.write_power = power[++swaps % 2];
		EXPECT_EQ(0L, ret_errno(do_set_params(self->fd, &p)));
	}
	for (i = 0; i < SWAP_WRITERS; i++)
		pthread_join(th[i], NULL);
	TH_LOG("%u parameter changes during the writes", swaps);
	EXPECT_LT(1U, swaps);

	for (i = 0; i < SWAP_WRITERS; i++) {
		EXPECT_EQ(0, sw[i].err) {
			TH_LOG("writer %u, round %u: %s", i, sw[i].rounds,
			       strerror(sw[i].err));
		}
	}
	ASSERT_OK(do_get_quality(self->fd, 0, SWAP_WRITERS * SWAP_CLUSTERS,
				 recs, &count));
	ASSERT_EQ((__u32)(SWAP_WRITERS * SWAP_CLUSTERS), count);
	for (i = 0; i < count; i++) {
		EXPECT_TRUE(!!(recs[i].flags & OPTSIM_QUALITY_F_RECORDED));
		EXPECT_EQ(sw[i / SWAP_CLUSTERS].rounds, recs[i].dow);
		expect_rec_sane(_metadata, &recs[i], i, 0);
	}
	get_params(_metadata, self->fd, 0, &got);
	EXPECT_EQ(p.write_power, got.write_power);
}

TEST_HARNESS_MAIN
