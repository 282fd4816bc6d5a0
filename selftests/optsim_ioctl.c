// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_ioctl - the ioctl ABI: the uapi structures' sizes, and the input
 * validation of every request (EFAULT, ENOTTY, reserved words, ranges,
 * GET_QUALITY and OPC arguments, EPERM without CAP_SYS_ADMIN).
 */
#include <stddef.h>

#include "optsim_utils.h"

#include <signal.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/capability.h>

/* ========================================================================
 * ioctl: input validation of every request
 * ======================================================================== */

#define IOCTL_LAYER	4096ULL

FIXTURE(ioctl) {
	int fd;
	struct optsim_info info;
	struct optsim_params params[OPTSIM_MAX_LAYERS];
	long page;
	char *bad_page;		/* PROT_NONE */
	char *ro_page;		/* PROT_READ, zeros */
};

FIXTURE_SETUP(ioctl)
{
	self->fd = open_and_load(_metadata, OPTSIM_MEDIA_BD_RE_DL, IOCTL_LAYER);
	write_ok(_metadata, self->fd, 0, CLUSTER, 1);
	write_ok(_metadata, self->fd, IOCTL_LAYER, CLUSTER, 2);
	get_info(_metadata, self->fd, &self->info);
	get_params(_metadata, self->fd, 0, &self->params[0]);
	get_params(_metadata, self->fd, 1, &self->params[1]);
	self->page = sysconf(_SC_PAGESIZE);
	/* two pages: the second one PROT_NONE */
	self->bad_page = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->bad_page);
	ASSERT_OK(mprotect(self->bad_page + self->page, self->page,
			   PROT_NONE));
	self->ro_page = mmap(NULL, self->page, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ro_page);
}

FIXTURE_TEARDOWN(ioctl)
{
	close(self->fd);
}

/* Nothing about the medium or its parameters changed since setup. */
static void expect_state_unchanged(struct __test_metadata *_metadata,
				   FIXTURE_DATA(ioctl) *self)
{
	struct optsim_info info;
	struct optsim_params p;
	__u32 l;

	get_info(_metadata, self->fd, &info);
	expect_same_medium(_metadata, &self->info, &info);
	for (l = 0; l < 2; l++) {
		get_params(_metadata, self->fd, l, &p);
		expect_same_params(_metadata, &self->params[l], &p);
	}
	expect_content(_metadata, self->fd, 0, CLUSTER, 1);
	expect_content(_metadata, self->fd, IOCTL_LAYER, CLUSTER, 2);
	EXPECT_EQ(1U, cluster_dow(_metadata, self->fd, 0));
	EXPECT_EQ(0U, cluster_dow(_metadata, self->fd, CLUSTER));
}

static const struct {
	const char *name;
	unsigned long cmd;
	size_t size;
	bool out;	/* the driver writes the argument */
} optsim_ioctls[] = {
#define IOC(c, s, o) { #c, c, sizeof(s), o }
	IOC(OPTSIM_IOC_GET_INFO, struct optsim_info, true),
	IOC(OPTSIM_IOC_GET_PARAMS, struct optsim_params, true),
	IOC(OPTSIM_IOC_SET_PARAMS, struct optsim_params, false),
	IOC(OPTSIM_IOC_LOAD, struct optsim_load, false),
	IOC(OPTSIM_IOC_EJECT, struct optsim_empty, false),
	IOC(OPTSIM_IOC_FINALIZE, struct optsim_empty, false),
	IOC(OPTSIM_IOC_ERASE, struct optsim_erase, false),
	IOC(OPTSIM_IOC_GET_CLUSTER, struct optsim_cluster_info, true),
	IOC(OPTSIM_IOC_GET_QUALITY, struct optsim_quality, true),
	IOC(OPTSIM_IOC_OPC, struct optsim_opc, true),
	IOC(OPTSIM_IOC_SAVE, struct optsim_save, false),
#undef IOC
};

/*
 * The encoding is part of the ABI: check that it did not drift. (TEST() of
 * the 6.1 harness leaves a parameter unused.)
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
TEST(uapi_abi)
{
	EXPECT_EQ(0x8078BD00UL, OPTSIM_IOC_GET_INFO);
	EXPECT_EQ(0xC028BD01UL, OPTSIM_IOC_GET_PARAMS);
	EXPECT_EQ(0x4028BD02UL, OPTSIM_IOC_SET_PARAMS);
	EXPECT_EQ(0x4020BD03UL, OPTSIM_IOC_LOAD);
	EXPECT_EQ(0x4010BD04UL, OPTSIM_IOC_EJECT);
	EXPECT_EQ(0x4010BD05UL, OPTSIM_IOC_FINALIZE);
	EXPECT_EQ(0x4018BD06UL, OPTSIM_IOC_ERASE);
	EXPECT_EQ(0xC038BD07UL, OPTSIM_IOC_GET_CLUSTER);
	EXPECT_EQ(0xC028BD08UL, OPTSIM_IOC_GET_QUALITY);
	EXPECT_EQ(0xC040BD09UL, OPTSIM_IOC_OPC);
	EXPECT_EQ(0xC030BD09UL, OPTSIM_IOC_OPC_VER0);
	EXPECT_EQ(0x4018BD0AUL, OPTSIM_IOC_SAVE);
	EXPECT_EQ(120UL, sizeof(struct optsim_info));
	EXPECT_EQ(40UL, sizeof(struct optsim_params));
	EXPECT_EQ(32UL, sizeof(struct optsim_load));
	EXPECT_EQ(24UL, sizeof(struct optsim_erase));
	EXPECT_EQ(16UL, sizeof(struct optsim_empty));
	EXPECT_EQ(56UL, sizeof(struct optsim_cluster_info));
	EXPECT_EQ(40UL, sizeof(struct optsim_quality));
	EXPECT_EQ(32UL, sizeof(struct optsim_quality_rec));
	EXPECT_EQ(64UL, sizeof(struct optsim_opc));
	EXPECT_EQ(48UL, (size_t)OPTSIM_OPC_SIZE_VER0);
	EXPECT_EQ((size_t)OPTSIM_OPC_SIZE_VER0,
		  offsetof(struct optsim_opc, window_lo));
	EXPECT_EQ(24UL, sizeof(struct optsim_save));
	EXPECT_EQ(65536, OPTSIM_QUALITY_MAX_RECORDS);
}
#pragma GCC diagnostic pop

/* Bad pointers: EFAULT, and nothing changes. */
TEST_F(ioctl, efault)
{
	char *unmapped = self->bad_page + self->page;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(optsim_ioctls); i++) {
		unsigned long cmd = optsim_ioctls[i].cmd;
		size_t sz = optsim_ioctls[i].size;
		char *straddle = unmapped - sz / 2;

		/* FINALIZE would be EMEDIUMTYPE on bd-re: see efault_finalize */
		if (cmd == OPTSIM_IOC_FINALIZE)
			continue;
		/* the mapped half of a straddling argument is valid and zero */
		memset(self->bad_page, 0, self->page);
		if (cmd == OPTSIM_IOC_LOAD)
			((struct optsim_load *)(void *)straddle)->media =
				OPTSIM_MEDIA_BD_R;
		ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd, NULL)) {
			TH_LOG("%s", optsim_ioctls[i].name);
		}
		ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd, (void *)1)) {
			TH_LOG("%s", optsim_ioctls[i].name);
		}
		ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd, unmapped)) {
			TH_LOG("%s", optsim_ioctls[i].name);
		}
		ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd, straddle)) {
			TH_LOG("%s", optsim_ioctls[i].name);
		}
		ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd, (void *)-4096L)) {
			TH_LOG("%s", optsim_ioctls[i].name);
		}
		/*
		 * Zeros are no valid GET_QUALITY (count 0), and OPC would run:
		 * see quality_efault and opc_efault_output.
		 */
		if (optsim_ioctls[i].out && cmd != OPTSIM_IOC_GET_QUALITY &&
		    cmd != OPTSIM_IOC_OPC) {
			/* valid input, but the result cannot be written */
			ASSERT_ERRNO(EFAULT, ioctl(self->fd, cmd,
						   self->ro_page)) {
				TH_LOG("%s", optsim_ioctls[i].name);
			}
		}
		expect_state_unchanged(_metadata, self);
	}
}

TEST_F(ioctl, efault_finalize)
{
	struct optsim_info info;
	char *unmapped = self->bad_page + self->page;

	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_R_DL, IOCTL_LAYER));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_FINALIZE, NULL));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_FINALIZE, (void *)1));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_FINALIZE, unmapped));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_FINALIZE,
				   unmapped - 8));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_NWA_VALID,
		  info.flags);
	write_ok(_metadata, self->fd, 0, CLUSTER, 3);
	/* a read-only argument is fine for a request that only reads it */
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_FINALIZE, self->ro_page));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_FINALIZED,
		  info.flags);
}

TEST_F(ioctl, enotty)
{
	const unsigned long bad[] = {
		_IOR(OPTSIM_IOC_MAGIC, 0x7f, struct optsim_info),
		_IOR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_info),
		_IOWR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_cluster_info),
		_IOR(OPTSIM_IOC_MAGIC, 0xff, struct optsim_info),
		_IO(OPTSIM_IOC_MAGIC, 0x00),
		_IO(OPTSIM_IOC_MAGIC, 0x04),
		/* known numbers with the wrong direction or size */
		_IOW(OPTSIM_IOC_MAGIC, 0x00, struct optsim_info),
		_IOWR(OPTSIM_IOC_MAGIC, 0x00, struct optsim_info),
		_IOR(OPTSIM_IOC_MAGIC, 0x00, struct optsim_params),
		_IOR(OPTSIM_IOC_MAGIC, 0x01, struct optsim_params),
		_IOWR(OPTSIM_IOC_MAGIC, 0x01, struct optsim_info),
		_IOW(OPTSIM_IOC_MAGIC, 0x02, struct optsim_load),
		_IOW(OPTSIM_IOC_MAGIC, 0x03, __u64),
		_IOW(OPTSIM_IOC_MAGIC, 0x04, struct optsim_erase),
		_IOR(OPTSIM_IOC_MAGIC, 0x05, struct optsim_empty),
		_IOW(OPTSIM_IOC_MAGIC, 0x06, struct optsim_empty),
		_IOR(OPTSIM_IOC_MAGIC, 0x07, struct optsim_cluster_info),
		_IOR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_quality),
		_IOW(OPTSIM_IOC_MAGIC, 0x08, struct optsim_quality),
		_IOWR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_quality_rec),
		_IOWR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_opc),
		_IOR(OPTSIM_IOC_MAGIC, 0x09, struct optsim_opc),
		_IOW(OPTSIM_IOC_MAGIC, 0x09, struct optsim_opc),
		_IOWR(OPTSIM_IOC_MAGIC, 0x09, struct optsim_quality),
		/* OPC of a size between the two it knows */
		_IOC(_IOC_READ | _IOC_WRITE, OPTSIM_IOC_MAGIC, 0x09, 56),
		_IOC(_IOC_READ | _IOC_WRITE, OPTSIM_IOC_MAGIC, 0x09, 72),
		_IOWR(OPTSIM_IOC_MAGIC, 0x0a, struct optsim_opc),
		_IOW(OPTSIM_IOC_MAGIC, 0x0b, struct optsim_save),
		/* another magic */
		_IOR(0xBE, 0x00, struct optsim_info),
		_IOWR(0xBC, 0x07, struct optsim_cluster_info),
	};
	union {
		char raw[256];
		__u64 align;
	} arg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&arg, 0, sizeof(arg));
		ASSERT_ERRNO(ENOTTY, ioctl(self->fd, bad[i], &arg)) {
			TH_LOG("ioctl 0x%lx", bad[i]);
		}
	}
	expect_state_unchanged(_metadata, self);
}

/* Every reserved word of every input must be zero. */
TEST_F(ioctl, reserved_words)
{
	static const __u64 vals[] = { 1, 1ULL << 31, 1ULL << 63 };
	struct optsim_params p;
	struct optsim_load ld;
	struct optsim_erase er;
	struct optsim_empty em;
	struct optsim_cluster_info ci;
	struct optsim_quality_rec rec;
	struct optsim_quality q;
	struct optsim_opc o;
	size_t i, w;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		__u64 v = vals[i];

		/* GET_PARAMS: every input word but the layer */
		for (w = 0; w < 4; w++) {
			memset(&p, 0, sizeof(p));
			if (w == 0)
				p.mode = (__u32)(v | 1);
			else if (w == 1)
				p.current_ua = (__u32)(v | 1);
			else if (w == 2)
				p.reserved1 = (__u32)(v | 1);
			else
				p.reserved = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd,
						   OPTSIM_IOC_GET_PARAMS, &p));
		}
		/* SET_PARAMS, with values that are otherwise valid */
		for (w = 0; w < 2; w++) {
			p = (struct optsim_params){
				.layer = OPTSIM_LAYER_ALL,
				.strategy = OPTSIM_STRATEGY_CASTLE,
				.velocity = 11111,
				.write_power = 22222,
				.bias_power = 3333,
			};
			if (w == 0)
				p.reserved1 = (__u32)(v | 1);
			else
				p.reserved = v;
			ASSERT_ERRNO(EINVAL, do_set_params(self->fd, &p));
		}
		/* LOAD */
		for (w = 0; w < 3; w++) {
			memset(&ld, 0, sizeof(ld));
			ld.media = OPTSIM_MEDIA_BD_R;
			ld.layer_sectors = 2048;
			/*
			 * The words that were reserved before images: the
			 * flags and image_fd of a load without the image
			 * flag, and the last word.
			 */
			if (w == 0) {
				ld.reserved0 = (__u32)(v | 1);
			} else if (w == 1) {
				ld.flags = (__u32)v;
				ld.image_fd = (__s32)(v >> 32);
			} else {
				ld.reserved = v;
			}
			ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_LOAD,
						   &ld));
		}
		/* ERASE, both kinds */
		for (w = 0; w < 6; w++) {
			memset(&er, 0, sizeof(er));
			er.flags = w < 3 ? 0 : OPTSIM_ERASE_F_QUICK;
			if (w % 3 == 0)
				er.reserved0 = (__u32)(v | 1);
			else
				er.reserved[w % 3 - 1] = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_ERASE,
						   &er));
		}
		/* EJECT */
		for (w = 0; w < 2; w++) {
			memset(&em, 0, sizeof(em));
			em.reserved[w] = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_EJECT,
						   &em));
		}
		/* GET_CLUSTER */
		for (w = 0; w < 2; w++) {
			memset(&ci, 0, sizeof(ci));
			ci.reserved[w] = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd,
						   OPTSIM_IOC_GET_CLUSTER, &ci));
		}
		/* GET_QUALITY, otherwise valid; the record stays untouched */
		for (w = 0; w < 3; w++) {
			memset(&q, 0, sizeof(q));
			memset(&rec, POISON, sizeof(rec));
			q.records = (__u64)(uintptr_t)&rec;
			q.count = 1;
			if (w == 0)
				q.reserved0 = (__u32)(v | 1);
			else
				q.reserved[w - 1] = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd,
						   OPTSIM_IOC_GET_QUALITY, &q)) {
				TH_LOG("reserved word %zu = 0x%llx", w,
				       (unsigned long long)v);
			}
			EXPECT_EQ(1U, q.count);
			EXPECT_EQ(POISON32, rec.flags);
		}
		/* OPC, one layer and all (refused before any test write) */
		for (w = 0; w < 2; w++) {
			memset(&o, 0, sizeof(o));
			o.layer = w < 1 ? 1 : OPTSIM_LAYER_ALL;
			o.reserved = v;
			ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_OPC,
						   &o)) {
				TH_LOG("reserved word, layer %s = 0x%llx",
				       w < 1 ? "1" : "all",
				       (unsigned long long)v);
			}
			EXPECT_EQ(0U, o.power[0]);
			EXPECT_EQ(0U, o.power[1]);
		}
	}
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, reserved_words_finalize)
{
	struct optsim_empty em;
	struct optsim_info info;
	size_t w;

	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_R, IOCTL_LAYER));
	for (w = 0; w < 2; w++) {
		memset(&em, 0, sizeof(em));
		em.reserved[w] = 1;
		ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_FINALIZE, &em));
	}
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(0U, info.flags & OPTSIM_INFO_F_FINALIZED);
	write_ok(_metadata, self->fd, 0, CLUSTER, 3);
	expect_content(_metadata, self->fd, 0, CLUSTER, 3);
}

/* GET_* ignore the output fields of their argument. */
TEST_F(ioctl, outputs_ignored_on_input)
{
	struct optsim_params p;
	struct optsim_cluster_info ci;

	memset(&p, 0xff, sizeof(p));
	p.layer = 1;
	p.mode = p.current_ua = p.reserved1 = 0;
	p.reserved = 0;
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_PARAMS, &p));
	expect_same_params(_metadata, &self->params[1], &p);
	EXPECT_EQ(0U, p.reserved1);

	memset(&ci, 0xff, sizeof(ci));
	ci.lba = 5;
	ci.reserved[0] = ci.reserved[1] = 0;
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_CLUSTER, &ci));
	EXPECT_EQ(5ULL, ci.lba);
	EXPECT_EQ(0ULL, ci.cluster);
	EXPECT_EQ(5ULL, ci.psn);
	EXPECT_EQ(0U, ci.layer);
	EXPECT_EQ(OPTSIM_CLUSTER_F_RECORDED, ci.flags);
	EXPECT_EQ(1U, ci.dow);
}

TEST_F(ioctl, out_of_range)
{
	struct optsim_cluster_info ci;
	struct optsim_params p;

	ASSERT_ERRNO(EINVAL, do_get_params(self->fd, 2, &p));
	ASSERT_ERRNO(EINVAL, do_get_params(self->fd, OPTSIM_LAYER_ALL, &p));
	ASSERT_ERRNO(EINVAL, do_get_cluster(self->fd, self->info.capacity,
					    &ci));
	ASSERT_ERRNO(EINVAL, do_get_cluster(self->fd, UINT64_MAX, &ci));
	ASSERT_ERRNO(EINVAL, do_erase(self->fd, 2));
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, load_bad_args)
{
	static const struct optsim_load bad[] = {
		{ .media = OPTSIM_MEDIA_NONE, .layer_sectors = 4096 },
		{ .media = 5, .layer_sectors = 4096 },
		{ .media = UINT32_MAX, .layer_sectors = 4096 },
		{ .media = OPTSIM_MEDIA_NONE, .layer_sectors = 0 },
		/* not a multiple of 32 */
		{ .media = OPTSIM_MEDIA_BD_RE, .layer_sectors = 1000 },
		{ .media = OPTSIM_MEDIA_BD_RE, .layer_sectors = 4097 },
		{ .media = OPTSIM_MEDIA_BD_RE, .layer_sectors = 4112 },
		{ .media = OPTSIM_MEDIA_BD_R_DL, .layer_sectors = 1 },
		{ .media = OPTSIM_MEDIA_BD_R_DL, .layer_sectors = UINT64_MAX },
		/* out of range */
		{ .media = OPTSIM_MEDIA_BD_RE, .layer_sectors = 992 },
		{ .media = OPTSIM_MEDIA_BD_RE, .layer_sectors = 32 },
		{ .media = OPTSIM_MEDIA_BD_RE_DL,
		  .layer_sectors = MAX_LAYER_SECTORS + 32 },
		{ .media = OPTSIM_MEDIA_BD_RE_DL, .layer_sectors = 1ULL << 32 },
		{ .media = OPTSIM_MEDIA_BD_RE_DL, .layer_sectors = 1ULL << 58 },
		{ .media = OPTSIM_MEDIA_BD_R, .layer_sectors = ~31ULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_LOAD, &bad[i])) {
			TH_LOG("media %u layer_sectors %llu", bad[i].media,
			       (unsigned long long)bad[i].layer_sectors);
		}
	}
	expect_state_unchanged(_metadata, self);
}

/* The limits themselves are accepted. */
TEST_F(ioctl, load_limits)
{
	struct optsim_info info;

	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_RE, MIN_LAYER_SECTORS));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(MIN_LAYER_SECTORS, info.capacity);
	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_RE_DL, MAX_LAYER_SECTORS));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(2 * MAX_LAYER_SECTORS, info.capacity);
	write_ok(_metadata, self->fd, info.capacity - CLUSTER, CLUSTER, 4);
	expect_unresolved(_metadata, self->fd, info.capacity - CLUSTER);
}

/* ---- GET_QUALITY and OPC ---- */

#define IOCTL_CLUSTERS	(2 * IOCTL_LAYER / CLUSTER)

/* Bad header and bad record pointers: EFAULT, and nothing changes. */
TEST_F(ioctl, quality_efault)
{
	char *unmapped = self->bad_page + self->page;
	struct optsim_quality_rec *last_rec = (struct optsim_quality_rec *)
		(void *)(unmapped - sizeof(struct optsim_quality_rec));
	struct optsim_quality q = { .cluster = 0, .count = 1 };
	struct optsim_quality *hdr;

	/* a valid header, its records pointer bad */
	q.records = 0;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	q.records = 1;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	q.records = (__u64)(uintptr_t)unmapped;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	q.records = (__u64)(uintptr_t)self->ro_page;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	q.records = (__u64)-4096LL;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	/* room for one record, two asked for: the second is unmapped */
	q.records = (__u64)(uintptr_t)last_rec;
	q.count = 2;
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	/* ... and one is fine there */
	q.count = 1;
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, &q));
	EXPECT_EQ(1U, q.count);
	EXPECT_TRUE(!!(last_rec->flags & OPTSIM_QUALITY_F_RECORDED));

	/* the header itself cannot be read, or not written back */
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, NULL));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY,
				   (void *)1));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY,
				   unmapped));
	hdr = (struct optsim_quality *)(void *)(unmapped - 16);
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY, hdr));
	/* a read-only header with count 0 is refused before anything */
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY,
				   self->ro_page));
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, quality_bad_args)
{
	static const __u32 bad_count[] = {
		0, OPTSIM_QUALITY_MAX_RECORDS + 1, 1U << 31, UINT32_MAX,
	};
	static const __u64 bad_cluster[] = {
		IOCTL_CLUSTERS, IOCTL_CLUSTERS + 1, 1ULL << 32, 1ULL << 63,
		UINT64_MAX,
	};
	struct optsim_quality_rec recs[2];
	struct optsim_quality q;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_count); i++) {
		q = (struct optsim_quality){
			.cluster = 0,
			.records = (__u64)(uintptr_t)recs,
			.count = bad_count[i],
		};
		memset(recs, POISON, sizeof(recs));
		ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY,
					   &q)) {
			TH_LOG("count %u", bad_count[i]);
		}
		EXPECT_EQ(bad_count[i], q.count);
		EXPECT_EQ(POISON32, recs[0].flags);
	}
	for (i = 0; i < ARRAY_SIZE(bad_cluster); i++) {
		q = (struct optsim_quality){
			.cluster = bad_cluster[i],
			.records = (__u64)(uintptr_t)recs,
			.count = 1,
		};
		memset(recs, POISON, sizeof(recs));
		ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_GET_QUALITY,
					   &q)) {
			TH_LOG("cluster %llu", (unsigned long long)bad_cluster[i]);
		}
		EXPECT_EQ(1U, q.count);
		EXPECT_EQ(POISON32, recs[0].flags);
	}
	expect_state_unchanged(_metadata, self);
}

/* Ranges: the count is cut at the end of the medium, up to the maximum. */
TEST_F(ioctl, quality_range)
{
	size_t room = OPTSIM_QUALITY_MAX_RECORDS;
	struct optsim_quality_rec *recs = calloc(room, sizeof(*recs));
	struct optsim_quality_rec one;
	struct optsim_cluster_info ci;
	__u32 n, i;

	ASSERT_NE(NULL, recs);
	/* the largest request: every cluster of the medium */
	n = POISON32;
	ASSERT_OK(do_get_quality(self->fd, 0, room, recs, &n));
	EXPECT_EQ(IOCTL_CLUSTERS, n);
	for (i = 0; i < IOCTL_CLUSTERS; i++) {
		bool ok = get_cluster(_metadata, self->fd, (__u64)i * CLUSTER,
				      &ci);

		if (!expect_rec_sane(_metadata, &recs[i], i, ci.layer))
			ok = false;
		EXPECT_EQ(ci.dow, recs[i].dow) ok = false;
		EXPECT_EQ(ci.flags & OPTSIM_CLUSTER_F_RECORDED,
			  recs[i].flags & OPTSIM_QUALITY_F_RECORDED) ok = false;
		/* a range gives what single requests give */
		if (!get_quality(_metadata, self->fd, i, ci.layer, &one))
			ok = false;
		if (!expect_same_rec(_metadata, &one, &recs[i]))
			ok = false;
		/* one failing cluster is enough */
		if (!ok)
			break;
	}
	/* nothing written past the clusters there are */
	EXPECT_EQ(POISON32, recs[IOCTL_CLUSTERS].flags);
	EXPECT_EQ(POISON32, recs[room - 1].reserved);
	/* cut at the end of the medium */
	n = POISON32;
	ASSERT_OK(do_get_quality(self->fd, IOCTL_CLUSTERS - 6, 10, recs, &n));
	EXPECT_EQ(6U, n);
	EXPECT_EQ(1U, recs[5].layer);
	EXPECT_EQ(POISON32, recs[6].flags);
	EXPECT_EQ(POISON32, recs[9].layer);
	n = POISON32;
	ASSERT_OK(do_get_quality(self->fd, IOCTL_CLUSTERS - 1, room, recs, &n));
	EXPECT_EQ(1U, n);
	EXPECT_EQ(POISON32, recs[1].flags);
	/* exact fit */
	n = POISON32;
	ASSERT_OK(do_get_quality(self->fd, 1, IOCTL_CLUSTERS - 1, recs, &n));
	EXPECT_EQ(IOCTL_CLUSTERS - 1, n);
	free(recs);
	/* the two recorded clusters of the setup */
	get_quality(_metadata, self->fd, 0, 0, &one);
	EXPECT_TRUE(!!(one.flags & OPTSIM_QUALITY_F_RECORDED));
	EXPECT_EQ(1U, one.dow);
	get_quality(_metadata, self->fd, IOCTL_LAYER / CLUSTER, 1, &one);
	EXPECT_TRUE(!!(one.flags & OPTSIM_QUALITY_F_RECORDED));
	EXPECT_EQ(1U, one.dow);
	get_quality(_metadata, self->fd, 1, 0, &one);
	EXPECT_EQ(0U, one.flags);
	EXPECT_EQ(0U, one.dow);
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, opc_bad_args)
{
	static const __u32 bad_layer[] = {
		2, 3, 0x80000000U, 0xfffffffeU,
	};
	static const __u32 bad_flags[] = { 1, 2, 1U << 31, UINT32_MAX };
	struct optsim_opc o;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_layer); i++) {
		ASSERT_ERRNO(EINVAL, do_opc(self->fd, bad_layer[i], &o)) {
			TH_LOG("layer 0x%x", bad_layer[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		memset(&o, 0, sizeof(o));
		o.layer = i % 2 ? OPTSIM_LAYER_ALL : 0;
		o.flags = bad_flags[i];
		ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_OPC, &o)) {
			TH_LOG("flags 0x%x", bad_flags[i]);
		}
		EXPECT_EQ(0U, o.power[0]);
		EXPECT_EQ(0U, o.steps[0]);
	}
	expect_state_unchanged(_metadata, self);
}

/*
 * A caller built before OPC reported its window passes the old size
 * (OPTSIM_IOC_OPC_VER0): it gets the same answer, and not a byte past
 * OPTSIM_OPC_SIZE_VER0 is read or written.
 */
TEST_F_TIMEOUT(ioctl, opc_ver0, Q_OPC_TIMEOUT)
{
	union {
		struct optsim_opc o;
		unsigned char raw[sizeof(struct optsim_opc)];
	} u;
	struct optsim_params p;
	size_t i;

	/* poison in the output fields and past the old size */
	memset(&u, 0xa5, sizeof(u));
	u.o.layer = 1;
	u.o.flags = 0;
	u.o.reserved = 0;
	ASSERT_OK(ioctl(self->fd, OPTSIM_IOC_OPC_VER0, &u.o));
	EXPECT_EQ(1U, u.o.layer);
	EXPECT_EQ(0U, u.o.power[0]);
	EXPECT_LT(0U, u.o.power[1]);
	EXPECT_LT(1U, u.o.steps[1]);
	get_params(_metadata, self->fd, 1, &p);
	EXPECT_EQ(u.o.power[1], p.write_power);
	for (i = OPTSIM_OPC_SIZE_VER0; i < sizeof(u); i++)
		ASSERT_EQ(0xa5, u.raw[i]) {
			TH_LOG("byte %zu written", i);
		}
	/* a reserved word set is still refused through the old number */
	u.o.reserved = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, OPTSIM_IOC_OPC_VER0, &u.o));
}

/*
 * OPC whose result cannot be written back: EFAULT, and a refused request
 * changes nothing, so the power stays as it was.
 */
TEST_F_TIMEOUT(ioctl, opc_efault_output, Q_OPC_TIMEOUT)
{
	struct optsim_opc *ro = (struct optsim_opc *)(void *)self->ro_page;

	/* zeros: layer 0, no flags, no reserved bits: a valid request */
	ASSERT_EQ(0U, ro->layer);
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, OPTSIM_IOC_OPC, ro));
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, opc_erofs)
{
	struct optsim_params before[2], after;
	struct optsim_opc o;
	__u32 l;

	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_R_DL, IOCTL_LAYER));
	write_ok(_metadata, self->fd, 0, CLUSTER, 3);
	ASSERT_OK(do_finalize(self->fd));
	for (l = 0; l < 2; l++)
		get_params(_metadata, self->fd, l, &before[l]);
	ASSERT_ERRNO(EROFS, do_opc(self->fd, 0, &o));
	ASSERT_ERRNO(EROFS, do_opc(self->fd, 1, &o));
	ASSERT_ERRNO(EROFS, do_opc(self->fd, OPTSIM_LAYER_ALL, &o));
	/* bad arguments are still EINVAL */
	ASSERT_ERRNO(EINVAL, do_opc(self->fd, 2, &o));
	for (l = 0; l < 2; l++) {
		get_params(_metadata, self->fd, l, &after);
		expect_same_params(_metadata, &before[l], &after);
	}
	expect_content(_metadata, self->fd, 0, CLUSTER, 3);
}

TEST_F(ioctl, enomedium_quality_opc)
{
	struct optsim_quality_rec rec;
	struct optsim_opc o;
	struct optsim_info info;

	ASSERT_OK(do_eject(self->fd));
	ASSERT_ERRNO(ENOMEDIUM, do_get_quality(self->fd, 0, 1, &rec, NULL));
	EXPECT_EQ(POISON32, rec.flags);
	ASSERT_ERRNO(ENOMEDIUM, do_opc(self->fd, 0, &o));
	ASSERT_ERRNO(ENOMEDIUM, do_opc(self->fd, OPTSIM_LAYER_ALL, &o));
	/* argument checks come first */
	ASSERT_ERRNO(EINVAL, do_get_quality(self->fd, 0, 0, &rec, NULL));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_NONE, info.media);
	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_RE, IOCTL_LAYER));
}

/* ---- requests without CAP_SYS_ADMIN ---- */

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &=
		~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	/* check that it is gone */
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
	    CAP_TO_MASK(CAP_SYS_ADMIN)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Checks in a child process: count the failures and report them. */
#define CHILD_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "# child:%d: %s: ", __LINE__, #cond);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		fails++;						\
	}								\
} while (0)

#define CHILD_EPERM(call) do {						\
	int __r = (call), __e = errno;					\
	CHILD_CHECK(__r == -1 && __e == EPERM, "%s: %d (%s), wanted EPERM", \
		    #call, __r, __r ? strerror(__e) : "success");	\
} while (0)

#define CHILD_OK(call) do {						\
	int __r = (call), __e = errno;					\
	CHILD_CHECK(__r == 0, "%s: %s", #call, strerror(__e));		\
} while (0)

/*
 * In a child without CAP_SYS_ADMIN (in its effective set), using fd that was
 * opened before: every request that changes the medium is EPERM, checked
 * before the argument is even read; the others work.
 */
static int unprivileged_child(int fd, bool empty)
{
	struct optsim_params p = {
		.layer = OPTSIM_LAYER_ALL,
		.strategy = OPTSIM_STRATEGY_SINGLE,
		.velocity = 9999,
		.write_power = 9999,
		.bias_power = 999,
	};
	struct optsim_load ld = {
		.media = OPTSIM_MEDIA_BD_R,
		.layer_sectors = 2048,
	};
	struct optsim_empty em = { { 0, 0 } };
	struct optsim_erase er = { .flags = 0 };
	struct optsim_opc opc = { .layer = OPTSIM_LAYER_ALL };
	struct optsim_save sv = { .image_fd = fd };
	struct optsim_quality_rec rec;
	struct optsim_info info;
	struct optsim_cluster_info ci;
	int fails = 0;

	if (drop_cap_sys_admin()) {
		fprintf(stderr, "# child: cannot drop CAP_SYS_ADMIN: %s\n",
			strerror(errno));
		return 2;
	}

	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_SET_PARAMS, &p));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_LOAD, &ld));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_EJECT, &em));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_FINALIZE, &em));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_ERASE, &er));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_SAVE, &sv));
	er.flags = OPTSIM_ERASE_F_QUICK;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_ERASE, &er));
	/* EPERM comes first: before EFAULT, EINVAL, ENOMEDIUM, EMEDIUMTYPE */
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_SET_PARAMS, (void *)1));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_LOAD, NULL));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_EJECT, (void *)1));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_FINALIZE, (void *)1));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_ERASE, NULL));
	ld.media = 0;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_LOAD, &ld));
	ld.media = OPTSIM_MEDIA_BD_R;
	ld.reserved0 = 1;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_LOAD, &ld));
	p.velocity = 1;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_SET_PARAMS, &p));
	er.flags = 0x80;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_ERASE, &er));
	/* OPC test-writes and sets the power: it changes the parameters */
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_OPC, &opc));
	opc.layer = 0;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_OPC, &opc));
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_OPC, NULL));
	opc.layer = 7;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_OPC, &opc));
	opc.layer = 0;
	opc.flags = 1;
	CHILD_EPERM(ioctl(fd, OPTSIM_IOC_OPC, &opc));

	/* reading the state needs no privilege */
	CHILD_OK(do_get_info(fd, &info));
	if (!empty) {
		CHILD_OK(do_get_params(fd, 0, &p));
		CHILD_OK(do_get_cluster(fd, 0, &ci));
		CHILD_OK(do_get_quality(fd, 0, 1, &rec, NULL));
		CHILD_CHECK(rec.flags & OPTSIM_QUALITY_F_RECORDED,
			    "GET_QUALITY of cluster 0: flags 0x%x", rec.flags);
	}
	return fails ? 1 : 0;
}

static void run_unprivileged(struct __test_metadata *_metadata, int fd,
			     bool empty)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(unprivileged_child(fd, empty));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the unprivileged child saw %s",
		       WEXITSTATUS(status) == 2 ? "no way to drop the capability" :
						  "wrong results");
	}
}

TEST_F(ioctl, eperm)
{
	run_unprivileged(_metadata, self->fd, false);
	expect_state_unchanged(_metadata, self);
}

TEST_F(ioctl, eperm_write_once)
{
	struct optsim_info info;

	ASSERT_OK(do_load(self->fd, OPTSIM_MEDIA_BD_R_DL, IOCTL_LAYER));
	write_ok(_metadata, self->fd, 0, CLUSTER, 3);
	run_unprivileged(_metadata, self->fd, false);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_BD_R_DL, info.media);
	EXPECT_EQ(IOCTL_LAYER, info.layer_sectors);
	EXPECT_EQ(OPTSIM_INFO_F_WRITE_ONCE | OPTSIM_INFO_F_NWA_VALID,
		  info.flags);
	EXPECT_EQ(1ULL, info.recorded_clusters[0]);
	expect_content(_metadata, self->fd, 0, CLUSTER, 3);
	write_ok(_metadata, self->fd, CLUSTER, CLUSTER, 4);
}

TEST_F(ioctl, eperm_empty)
{
	struct optsim_info info;

	ASSERT_OK(do_eject(self->fd));
	run_unprivileged(_metadata, self->fd, true);
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ((__u32)OPTSIM_MEDIA_NONE, info.media);
	EXPECT_EQ(0ULL, info.capacity);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A request waiting for the drive while an OPC holds it (seconds under
 * TCG, minutes on the debug kernel) is ended by a signal with EINTR,
 * changing nothing; the OPC goes on. The debug kernel's hung-task check
 * found FINALIZE asleep uninterruptibly for over 120 s behind an OPC.
 * One layer's OPC is enough to wait behind; the test still waits for it
 * to end, which on the debug kernel (a loaded machine) took longer than
 * Q_OPC_TIMEOUT for both layers.
 */
TEST_F_TIMEOUT(ioctl, wait_interruptible, 2 * Q_OPC_TIMEOUT)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = 500000 } };
	struct timespec t0, t1;
	struct optsim_info info;
	struct optsim_opc o;
	int status, ret, err;
	long ms, opc_ms;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open(DEV_PATH, DEV_FLAGS);

		_exit(fd >= 0 && !do_opc(fd, 0, &o) ? 0 : 1);
	}
	/* The OPC takes the drive. */
	usleep(200000);
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	ret = do_finalize(self->fd);
	err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	opc_ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		 (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("the OPC failed");
	}
	if (ms < 450)
		SKIP(return, "the OPC ended within %ld ms, before the signal", ms);
	/* It waited for the drive: the signal ended the wait. */
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, err) {
		TH_LOG("FINALIZE waited %ld ms and gave %s", ms,
		       ret ? strerror(err) : "success");
	}
	/*
	 * Soon after the signal (at 500 ms), well before the OPC's end; on a
	 * loaded host, where both stretch, half the time the OPC took.
	 */
	EXPECT_TRUE(ms < 2500 || 2 * ms < opc_ms) {
		TH_LOG("FINALIZE took %ld ms of the OPC's %ld ms", ms, opc_ms);
	}
	/* Nothing changed but what the OPC did. */
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(self->info.flags, info.flags);
	EXPECT_EQ(self->info.recorded_clusters[0], info.recorded_clusters[0]);
	EXPECT_EQ(self->info.recorded_clusters[1], info.recorded_clusters[1]);
}

TEST_HARNESS_MAIN
