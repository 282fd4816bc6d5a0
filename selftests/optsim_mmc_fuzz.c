// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_mmc_fuzz - a CDB fuzzer for the MMC front, through SG_IO on the
 * sg node of drive 0 (the LUN of /dev/optsim on the SCSI host whose
 * proc_name is "optsim").
 *
 * It sends OPTSIM_FUZZ_COUNT commands (default 10000) made from a fixed
 * seed (OPTSIM_FUZZ_SEED overrides it; the seed is printed): a third
 * well-formed commands of the MMC set (Documentation/mmc.rst) with fields
 * that make sense for the loaded medium, a third of them mutated (bits and
 * bytes flipped, transfer length or direction changed), a third random
 * CDBs with an opcode of the set or any opcode. Transfers go none, to or
 * from the device, 0 to 64 KiB, often not the length the CDB says. Every
 * FUZZ_RELOAD commands a fresh random medium is loaded through
 * /dev/optsim.
 *
 * Every command must end by itself, well within the SCSI timeout, with
 * GOOD or CHECK CONDITION and fixed-format sense, no host or driver error
 * and a residual within the buffer. Every FUZZ_CHECK commands and at the
 * end, OPTSIM_IOC_GET_INFO must describe a consistent medium (recorded
 * clusters within each layer, NWA within the capacity, no NWA once
 * finalized). Afterwards the drive must still answer: INQUIRY, TEST UNIT
 * READY (ready after a load), and a write through the LUN that
 * /dev/optsim reads back. run-vm.sh checks the kernel log for oopses and
 * WARNINGs; selftests/mmc.sh for timeouts and aborts.
 *
 * mmc.answers_during_opc, the regression test of what the fuzzer found on
 * the debug kernel, checks that commands from every CPU are answered at
 * once while a background OPC runs.
 */
#include "optsim_utils.h"

#include <sched.h>
#include <time.h>
#include <scsi/sg.h>

/* A small medium: formats and closes are quick, the NWA is near. */
#define FUZZ_LAYER		1024ULL
#define FUZZ_DEFAULT_COUNT	10000UL
#define FUZZ_DEFAULT_SEED	0x6d6d6366757a7aULL
#define FUZZ_RELOAD		500
#define FUZZ_CHECK		100
#define FUZZ_PROGRESS		1000
#define FUZZ_MAX_XFER		65536U
/* The SG_IO timeout, as the tools use; no command may come near it. */
#define FUZZ_TIMEOUT_MS		30000U
#define FUZZ_SLOW_MS		20000U
/* Commands this slow are shown, to see where a run's time goes. */
#define FUZZ_NOTE_MS		2000U
/* Failures printed in full; the rest are counted. */
#define FUZZ_MAX_REPORTS	20

#define SAM_GOOD		0x00
#define SAM_CHECK_CONDITION	0x02
#define DRV_SENSE		0x08

/* The MMC set (Documentation/mmc.rst, "Commands"). */
static const uint8_t mmc_ops[] = {
	0x00, 0x03, 0x04, 0x12, 0x15, 0x1a, 0x1b, 0x1e, 0x23, 0x25, 0x28,
	0x2a, 0x2e, 0x2f, 0x35, 0x43, 0x46, 0x4a, 0x51, 0x52, 0x53, 0x54,
	0x55, 0x5a, 0x5b, 0x5c, 0xa1, 0xa8, 0xaa, 0xac, 0xad, 0xb6, 0xbb,
};

/*
 * Commands after which the next write runs OPC (a speed change, SEND OPC
 * INFORMATION): OPC compiles the recording model some 50 times, which
 * takes seconds under TCG, so they are picked FUZZ_RARE times less often.
 */
#define FUZZ_RARE		64

static bool op_rare(uint8_t op)
{
	return op == 0x54 || op == 0xb6 || op == 0xbb;
}

struct fuzz_cmd {
	uint8_t cdb[16];
	uint8_t cdb_len;
	int dir;		/* SG_DXFER_NONE, _TO_DEV, _FROM_DEV */
	unsigned int len;
};

struct fuzz_res {
	int ret;
	int err;
	uint8_t status;
	uint16_t host_status;
	uint16_t driver_status;
	int resid;
	uint8_t sb_len;
	uint8_t sense[32];
	unsigned int ms;
};

static uint64_t rng;

static uint64_t rnd(void)
{
	return fuzz_rnd(&rng);
}

static uint32_t rnd_below(uint32_t n)
{
	return fuzz_below(&rng, n);
}

static void put_be16(uint8_t *p, uint32_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be24(uint8_t *p, uint32_t v)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static unsigned int now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned int)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The CDB length of an opcode's group. */
static uint8_t group_len(uint8_t op)
{
	switch (op >> 5) {
	case 0:
		return 6;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 10;
	}
}

static void sg_exec(int fd, const struct fuzz_cmd *c, void *buf,
		    struct fuzz_res *r)
{
	struct sg_io_hdr h;
	unsigned int t0;

	memset(&h, 0, sizeof(h));
	memset(r, 0, sizeof(*r));
	h.interface_id = 'S';
	h.cmdp = (unsigned char *)c->cdb;
	h.cmd_len = c->cdb_len;
	h.dxfer_direction = c->dir;
	h.dxfer_len = c->dir == SG_DXFER_NONE ? 0 : c->len;
	h.dxferp = c->dir == SG_DXFER_NONE ? NULL : buf;
	h.sbp = r->sense;
	h.mx_sb_len = sizeof(r->sense);
	h.timeout = FUZZ_TIMEOUT_MS;
	t0 = now_ms();
	r->ret = ioctl(fd, SG_IO, &h);
	r->err = r->ret ? errno : 0;
	r->ms = now_ms() - t0;
	r->status = h.status;
	r->host_status = h.host_status;
	r->driver_status = h.driver_status;
	r->resid = h.resid;
	r->sb_len = h.sb_len_wr;
}

/* A simple command with no data, or data in to @buf of @len bytes. */
static void simple(int fd, const uint8_t *cdb, uint8_t cdb_len, void *buf,
		   unsigned int len, struct fuzz_res *r)
{
	struct fuzz_cmd c = { .cdb_len = cdb_len, .len = len };

	memcpy(c.cdb, cdb, cdb_len);
	c.dir = len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
	sg_exec(fd, &c, buf, r);
}

static uint32_t sense_code(const struct fuzz_res *r)
{
	if (r->status != SAM_CHECK_CONDITION || r->sb_len < 14)
		return 0;
	return (r->sense[2] & 0xf) << 16 | r->sense[12] << 8 | r->sense[13];
}

/* An opcode of the MMC set, the rare ones FUZZ_RARE times less often. */
static uint8_t pick_op(void)
{
	uint8_t op;

	do
		op = mmc_ops[rnd_below(sizeof(mmc_ops))];
	while (op_rare(op) && rnd_below(FUZZ_RARE));
	return op;
}

/* Fill in a transfer of @len bytes for a data-in command. */
static void data_in(struct fuzz_cmd *c, unsigned int len)
{
	c->dir = SG_DXFER_FROM_DEV;
	c->len = len;
}

static void data_out(struct fuzz_cmd *c, unsigned int len)
{
	c->dir = SG_DXFER_TO_DEV;
	c->len = len;
}

/* An LBA worth trying on the medium: near the NWA, at 0, or anywhere. */
static uint32_t pick_lba(const struct optsim_info *info)
{
	uint64_t cap = info->capacity ? info->capacity : FUZZ_LAYER;

	switch (rnd_below(4)) {
	case 0:
	case 1:
		if (info->flags & OPTSIM_INFO_F_NWA_VALID)
			return (uint32_t)info->nwa + rnd_below(3) * 16;
		return rnd_below(64);
	case 2:
		return rnd_below(64);
	default:
		return rnd_below((uint32_t)cap + 256);
	}
}

/* A plausible allocation length: small, exact or large. */
static unsigned int pick_alloc(void)
{
	static const unsigned int lens[] = { 0, 4, 8, 18, 36, 96, 252, 255,
					     2048, 4096, 65535 };

	return lens[rnd_below(sizeof(lens) / sizeof(lens[0]))];
}

/*
 * well_formed() - a command of the MMC set with fields that make sense,
 * for the medium @info describes; @out gets its parameter list.
 */
static void well_formed(struct fuzz_cmd *c, const struct optsim_info *info,
			uint8_t *out)
{
	uint8_t op = pick_op();
	uint32_t lba, n, a = pick_alloc();

	memset(c, 0, sizeof(*c));
	c->cdb[0] = op;
	c->cdb_len = group_len(op);
	c->dir = SG_DXFER_NONE;
	switch (op) {
	case 0x03:				/* REQUEST SENSE */
		c->cdb[4] = a > 255 ? 18 : a;
		data_in(c, c->cdb[4]);
		break;
	case 0x12:				/* INQUIRY */
		if (rnd_below(3) == 0) {
			c->cdb[1] = 1;		/* EVPD */
			c->cdb[2] = (uint8_t[]){ 0x00, 0x80, 0x83, 0xb0 }[rnd_below(4)];
		}
		put_be16(&c->cdb[3], a);
		data_in(c, a);
		break;
	case 0x1a:				/* MODE SENSE(6) */
	case 0x5a:				/* MODE SENSE(10) */
		c->cdb[1] = rnd_below(2) << 3;	/* DBD */
		c->cdb[2] = (uint8_t[]){ 0x2a, 0x01, 0x05, 0x3f, 0x2a | 0x40 }[rnd_below(5)];
		if (op == 0x1a) {
			c->cdb[4] = a > 255 ? 255 : a;
			data_in(c, c->cdb[4]);
		} else {
			put_be16(&c->cdb[7], a);
			data_in(c, a);
		}
		break;
	case 0x15:				/* MODE SELECT(6) */
	case 0x55:				/* MODE SELECT(10) */
		c->cdb[1] = 0x10;		/* PF */
		n = (uint32_t[]){ 0, 8, 24, 28, 60 }[rnd_below(5)];
		for (lba = 0; lba < n; lba++)
			out[lba] = rnd();
		if (n >= 12) {			/* a header, then a page */
			memset(out, 0, 8);
			out[op == 0x55 ? 8 : 4] = rnd_below(2) ? 0x05 : 0x01;
		}
		if (op == 0x15)
			c->cdb[4] = n;
		else
			put_be16(&c->cdb[7], n);
		data_out(c, n);
		break;
	case 0x1b:				/* START STOP UNIT */
		c->cdb[1] = rnd_below(2);	/* IMMED */
		c->cdb[4] = rnd_below(4);	/* LoEj, Start */
		break;
	case 0x1e:				/* PREVENT ALLOW */
		c->cdb[4] = rnd_below(2);
		break;
	case 0x23:				/* READ FORMAT CAPACITIES */
	case 0x43:				/* READ TOC */
	case 0x46:				/* GET CONFIGURATION */
	case 0x51:				/* READ DISC INFORMATION */
	case 0x5c:				/* READ BUFFER CAPACITY */
		if (op == 0x43) {
			c->cdb[2] = rnd_below(3);	/* format 0, 1, 2 */
			c->cdb[6] = rnd_below(3);
			if (rnd_below(2))
				c->cdb[9] = rnd_below(2) << 6;	/* legacy */
			c->cdb[1] = rnd_below(2) << 1;	/* MSF */
		}
		if (op == 0x46) {
			c->cdb[1] = rnd_below(3);		/* RT */
			put_be16(&c->cdb[2], rnd_below(4) ? rnd_below(0x42) : rnd());
		}
		if (op == 0x5c)
			c->cdb[1] = rnd_below(2);		/* Block */
		put_be16(&c->cdb[7], a);
		data_in(c, a);
		break;
	case 0x4a:				/* GET EVENT STATUS NOTIFICATION */
		c->cdb[1] = rnd_below(8) ? 1 : 0;	/* polled */
		c->cdb[4] = rnd_below(4) ? 0x10 : rnd();
		put_be16(&c->cdb[7], a);
		data_in(c, a);
		break;
	case 0x52:				/* READ TRACK INFORMATION */
		c->cdb[1] = rnd_below(3);	/* by LBA, track, session */
		put_be32(&c->cdb[2], c->cdb[1] == 0 ? pick_lba(info) :
			 rnd_below(4) ? rnd_below(4) : 0xff);
		put_be16(&c->cdb[7], a);
		data_in(c, a);
		break;
	case 0x25:				/* READ CAPACITY */
		data_in(c, 8);
		break;
	case 0x28:				/* READ(10) */
	case 0x2a:				/* WRITE(10) */
	case 0x2e:				/* WRITE AND VERIFY */
	case 0x2f:				/* VERIFY */
	case 0xa8:				/* READ(12) */
	case 0xaa:				/* WRITE(12) */
		lba = pick_lba(info);
		n = 1 + rnd_below(32);
		put_be32(&c->cdb[2], lba);
		if (c->cdb_len == 12) {
			put_be32(&c->cdb[6], n);
			if (op == 0xaa)
				c->cdb[10] = rnd_below(2) << 7;	/* Streaming */
		} else {
			put_be16(&c->cdb[7], n);
		}
		if (op == 0x28 || op == 0xa8)
			data_in(c, n * SECTOR);
		else if (op != 0x2f)
			data_out(c, n * SECTOR);
		if (op != 0x2f)
			for (a = 0; a < n * SECTOR; a += 8)
				memcpy(out + a, &(uint64_t){ rnd() }, 8);
		break;
	case 0x35:				/* SYNCHRONIZE CACHE */
		c->cdb[1] = rnd_below(2) << 1;	/* IMMED */
		break;
	case 0x53:				/* RESERVE TRACK */
		put_be32(&c->cdb[5], (1 + rnd_below(8)) * CLUSTER +
			 rnd_below(2) * rnd_below(32));
		break;
	case 0x5b:				/* CLOSE TRACK/SESSION */
		c->cdb[1] = rnd_below(2);	/* IMMED */
		c->cdb[2] = (uint8_t[]){ 1, 2, 5, 6 }[rnd_below(4)];
		put_be16(&c->cdb[4], rnd_below(3));
		break;
	case 0x04:				/* FORMAT UNIT */
		c->cdb[1] = 0x11;		/* FmtData, format code 001 */
		memset(out, 0, 12);
		out[1] = rnd_below(2) << 1;	/* IMMED */
		out[3] = 8;
		n = rnd_below(4);
		put_be32(&out[4], n == 0 ? 0 : n == 1 ?
			 (uint32_t)info->capacity : n == 2 ? 0xffffffff :
			 rnd_below((uint32_t)info->capacity + 1));
		out[8] = (uint8_t[]){ 0x00, 0x30, 0x31, 0x32 }[rnd_below(4)] << 2 |
			 rnd_below(4);
		put_be24(&out[9], rnd_below(2) ? 0 : 0x800);
		data_out(c, 12);
		break;
	case 0x54:				/* SEND OPC INFORMATION */
		c->cdb[1] = rnd_below(2);	/* DoOpc */
		break;
	case 0xa1:				/* BLANK */
		c->cdb[1] = rnd_below(7);
		break;
	case 0xac:				/* GET PERFORMANCE */
		c->cdb[10] = rnd_below(2) ? 0x03 : 0x00;
		put_be16(&c->cdb[8], rnd_below(8));
		data_in(c, a);
		break;
	case 0xad:				/* READ DISC STRUCTURE */
		c->cdb[1] = rnd_below(4) ? 1 : 0;	/* media type BD */
		c->cdb[7] = (uint8_t[]){ 0x00, 0x0a, 0xff, 0x30 }[rnd_below(4)];
		put_be16(&c->cdb[8], a);
		data_in(c, a);
		break;
	case 0xb6:				/* SET STREAMING */
		memset(out, 0, 28);
		put_be32(&out[8], (uint32_t)info->capacity);
		put_be32(&out[12], 4495 * (1 + rnd_below(8)));	/* read kB */
		put_be32(&out[16], 1000);
		put_be32(&out[20], 4495 * (1 + rnd_below(8)));	/* write kB */
		put_be32(&out[24], 1000);
		put_be16(&c->cdb[9], 28);
		data_out(c, 28);
		break;
	case 0xbb:				/* SET CD SPEED */
		put_be16(&c->cdb[2], rnd_below(2) ? 0xffff : 4495 * (1 + rnd_below(8)));
		put_be16(&c->cdb[4], rnd_below(2) ? 0xffff : 4495 * (1 + rnd_below(8)));
		break;
	default:				/* TEST UNIT READY */
		break;
	}
}

/* mutate() - flip bits and bytes; sometimes change the transfer. */
static void mutate(struct fuzz_cmd *c, uint8_t *out)
{
	unsigned int i, n = 1 + rnd_below(3);
	static const int dirs[] = { SG_DXFER_NONE, SG_DXFER_TO_DEV,
				    SG_DXFER_FROM_DEV };

	for (i = 0; i < n; i++) {
		unsigned int at = 1 + rnd_below(c->cdb_len - 1);

		if (rnd_below(2))
			c->cdb[at] ^= 1u << rnd_below(8);
		else
			c->cdb[at] = rnd();
	}
	if (rnd_below(4) == 0)
		c->len = rnd_below(FUZZ_MAX_XFER + 1);
	if (rnd_below(6) == 0)
		c->dir = dirs[rnd_below(3)];
	if (rnd_below(8) == 0)
		c->cdb_len = (uint8_t[]){ 6, 10, 12, 16 }[rnd_below(4)];
	if (c->dir == SG_DXFER_TO_DEV && rnd_below(4) == 0)
		for (i = 0; i < 64; i++)
			out[rnd_below(FUZZ_MAX_XFER)] = rnd();
}

/* random_cmd() - random bytes behind an opcode of the set or any. */
static void random_cmd(struct fuzz_cmd *c, uint8_t *out)
{
	static const int dirs[] = { SG_DXFER_NONE, SG_DXFER_TO_DEV,
				    SG_DXFER_FROM_DEV };
	unsigned int i;

	for (i = 0; i < sizeof(c->cdb); i++)
		c->cdb[i] = rnd();
	while (op_rare(c->cdb[0]) && rnd_below(FUZZ_RARE))
		c->cdb[0] = rnd();
	if (rnd_below(2))
		c->cdb[0] = pick_op();
	c->cdb_len = rnd_below(4) ? group_len(c->cdb[0]) :
		     (uint8_t[]){ 6, 10, 12, 16 }[rnd_below(4)];
	c->dir = dirs[rnd_below(3)];
	c->len = rnd_below(3) ? rnd_below(4097) : rnd_below(FUZZ_MAX_XFER + 1);
	if (c->dir == SG_DXFER_TO_DEV)
		for (i = 0; i < c->len; i += 8)
			memcpy(out + i, &(uint64_t){ rnd() }, 8);
}

/* info_consistent() - what GET_INFO says holds together; why not, or NULL. */
static const char *info_consistent(const struct optsim_info *i)
{
	__u32 l;

	if (i->media > OPTSIM_MEDIA_BD_RE_DL)
		return "media out of range";
	if (i->cluster_sectors != CLUSTER || i->sector_size != SECTOR)
		return "cluster or sector size";
	if (i->reserved0 || i->reserved[0] || i->reserved[1] ||
	    i->reserved[2] || i->reserved[3])
		return "reserved words not zero";
	if (i->mem_used > i->mem_limit)
		return "memory used beyond the limit";
	if (i->media == OPTSIM_MEDIA_NONE)
		return i->recorded_clusters[0] || i->recorded_clusters[1] ?
		       "recorded clusters without a medium" : NULL;
	if (i->layers != media_layers(i->media))
		return "layer count does not match the media type";
	if (i->capacity != i->layers * i->layer_sectors)
		return "capacity is not layers x layer_sectors";
	for (l = 0; l < OPTSIM_MAX_LAYERS; l++) {
		if (l >= i->layers && i->recorded_clusters[l])
			return "recorded clusters on a layer the disc lacks";
		if (i->recorded_clusters[l] > i->layer_sectors / CLUSTER)
			return "more recorded clusters than the layer holds";
	}
	if (i->flags & ~(__u32)(OPTSIM_INFO_F_WRITE_ONCE |
				OPTSIM_INFO_F_FINALIZED |
				OPTSIM_INFO_F_NWA_VALID))
		return "unknown flags";
	if (!!(i->flags & OPTSIM_INFO_F_WRITE_ONCE) != media_write_once(i->media))
		return "write-once flag does not match the media type";
	if ((i->flags & OPTSIM_INFO_F_FINALIZED) &&
	    !(i->flags & OPTSIM_INFO_F_WRITE_ONCE))
		return "a rewritable disc is finalized";
	if ((i->flags & OPTSIM_INFO_F_FINALIZED) &&
	    (i->flags & OPTSIM_INFO_F_NWA_VALID))
		return "a finalized disc has a next writable address";
	if ((i->flags & OPTSIM_INFO_F_NWA_VALID) &&
	    (i->nwa > i->capacity || i->nwa % CLUSTER))
		return "NWA beyond the capacity or not on a cluster";
	return NULL;
}

static int get_info_now(struct optsim_info *info)
{
	int fd = open(DEV_PATH, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int ret;

	if (fd < 0)
		return -1;
	ret = do_get_info(fd, info);
	close(fd);
	return ret;
}

/* Close the tray and allow removal, through the LUN; results ignored. */
static void tray_in(int sg)
{
	static const uint8_t allow[6] = { 0x1e, 0, 0, 0, 0, 0 };
	static const uint8_t load[6] = { 0x1b, 0, 0, 0, 0x03, 0 };
	struct fuzz_res r;

	simple(sg, allow, 6, NULL, 0, &r);
	simple(sg, load, 6, NULL, 0, &r);
}

/*
 * A fresh medium through /dev/optsim (the LUN's tray closed first). Its
 * write parameters are then set by hand, as they are: a power set by hand
 * is kept, so the first write after the load runs no OPC (seconds under
 * TCG); the rare speed changes and SEND OPC INFORMATION still make it run.
 */
static int load_fresh(int sg, __u32 media)
{
	int fd, ret;

	tray_in(sg);
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	ret = load_hand_set(fd, media, FUZZ_LAYER);
	close(fd);
	return ret;
}

/*
 * wait_ready() - TEST UNIT READY until GOOD, through unit attentions and
 * long operations (up to 30 s). 0 when ready; else the last sense code.
 */
static uint32_t wait_ready(int sg)
{
	static const uint8_t tur[6] = { 0 };
	struct fuzz_res r;
	uint32_t sc = 0;
	int i;

	for (i = 0; i < 300; i++) {
		simple(sg, tur, 6, NULL, 0, &r);
		if (!r.ret && !r.host_status && r.status == SAM_GOOD)
			return 0;
		sc = r.ret || r.host_status ? 0xffffffff : sense_code(&r);
		if (sc == 0xffffffff)
			return sc;
		if ((sc >> 16) != 6)
			usleep(100000);
	}
	return sc;
}

struct fuzz_stats {
	unsigned long cmds;
	unsigned long good;
	unsigned long check;
	unsigned long ioctl_err;
	unsigned long keys[16];
	unsigned long bad;
	unsigned long reloads;
	unsigned int slowest_ms;
};

static void show_cmd(const char *why, unsigned long n,
		     const struct fuzz_cmd *c, const struct fuzz_res *r)
{
	char cdb[64];
	unsigned int i;

	for (i = 0; i < c->cdb_len && i < 16; i++)
		snprintf(cdb + 3 * i, sizeof(cdb) - 3 * i, "%02x ", c->cdb[i]);
	fprintf(stderr, "# command %lu: %s: cdb %sdir %d len %u: ioctl %d (%s) "
		"status 0x%02x host 0x%x driver 0x%x resid %d sense %x/%02x/%02x "
		"(%u bytes) %u ms\n", n, why, cdb, c->dir, c->len, r->ret,
		r->ret ? strerror(r->err) : "ok", r->status, r->host_status,
		r->driver_status, r->resid, r->sense[2] & 0xf, r->sense[12],
		r->sense[13], r->sb_len, r->ms);
}

/* check_result() - what every command must end with; why not, or NULL. */
static const char *check_result(const struct fuzz_cmd *c,
				const struct fuzz_res *r)
{
	unsigned int len = c->dir == SG_DXFER_NONE ? 0 : c->len;

	if (r->ret)
		/* The sg driver refused the transfer itself: nothing sent. */
		return r->err == EINVAL || r->err == ENOMEM ||
		       r->err == EOVERFLOW ? NULL : "SG_IO failed";
	if (r->ms > FUZZ_SLOW_MS)
		return "took longer than 20 s";
	if (r->host_status)
		return "host status (abort, reset, timeout?)";
	if (r->driver_status & ~DRV_SENSE)
		return "driver status";
	if (r->status != SAM_GOOD && r->status != SAM_CHECK_CONDITION)
		return "status neither GOOD nor CHECK CONDITION";
	if (r->resid < 0 || (unsigned int)r->resid > len)
		return "residual outside the buffer";
	if (r->status == SAM_GOOD)
		return NULL;
	if (r->sb_len < 14)
		return "CHECK CONDITION without sense";
	if ((r->sense[0] & 0x7f) != 0x70 && (r->sense[0] & 0x7f) != 0x71)
		return "sense not in fixed format";
	if (!(r->sense[2] & 0xf))
		return "CHECK CONDITION with NO SENSE";
	return NULL;
}

FIXTURE(mmc) {
	int sg;
	char sg_path[PATH_MAX];
	uint8_t *in;
	uint8_t *out;
};

FIXTURE_SETUP(mmc)
{
	self->sg = -1;
	self->in = malloc(FUZZ_MAX_XFER);
	self->out = malloc(FUZZ_MAX_XFER);
	ASSERT_NE(NULL, self->in);
	ASSERT_NE(NULL, self->out);
	ASSERT_EQ(0, find_optsim_sg(self->sg_path, sizeof(self->sg_path))) {
		TH_LOG("no sg node for drive 0 on the SCSI host \"optsim\" (is the MMC front on, sg loaded?)");
	}
	self->sg = open(self->sg_path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->sg) {
		TH_LOG("open %s: %s", self->sg_path, strerror(errno));
	}
}

FIXTURE_TEARDOWN(mmc)
{
	if (self->sg >= 0) {
		tray_in(self->sg);
		close(self->sg);
	}
	free(self->in);
	free(self->out);
}

TEST_F_TIMEOUT(mmc, fuzz, 1800)
{
	static const uint8_t inquiry[6] = { 0x12, 0, 0, 0, 96, 0 };
	static const uint8_t sync[10] = { 0x35 };
	uint8_t wr[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, CLUSTER, 0 };
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, CLUSTER, 0 };
	struct fuzz_stats st = { 0 };
	struct optsim_info info;
	unsigned long count = FUZZ_DEFAULT_COUNT, i;
	uint64_t seed = FUZZ_DEFAULT_SEED;
	struct fuzz_cmd c;
	struct fuzz_res r;
	const char *why;
	unsigned int t_start = now_ms();
	uint8_t *back;
	int fd, k;

	fuzz_knobs(&seed, &count);
	rng = seed ? seed : 1;
	TH_LOG("%s: %lu commands, seed 0x%llx (OPTSIM_FUZZ_SEED=0x%llx to repeat)",
	       self->sg_path, count, (unsigned long long)seed,
	       (unsigned long long)seed);

	ASSERT_EQ(0, load_fresh(self->sg, OPTSIM_MEDIA_BD_R)) {
		TH_LOG("load bd-r: %s", strerror(errno));
	}
	ASSERT_EQ(0, get_info_now(&info));

	for (i = 0; i < count; i++) {
		if (i && i % FUZZ_RELOAD == 0) {
			if (!load_fresh(self->sg, 1 + rnd_below(4)))
				st.reloads++;
		}
		if (i && i % FUZZ_PROGRESS == 0)
			TH_LOG("%lu commands, %lu bad, %u s", i, st.bad,
			       (now_ms() - t_start) / 1000);
		if (i % FUZZ_CHECK == 0) {
			ASSERT_EQ(0, get_info_now(&info)) {
				TH_LOG("GET_INFO after %lu commands: %s", i,
				       strerror(errno));
			}
			why = info_consistent(&info);
			ASSERT_EQ(NULL, why) {
				TH_LOG("after %lu commands: %s", i, why);
			}
		}
		switch (rnd_below(3)) {
		case 0:
			well_formed(&c, &info, self->out);
			break;
		case 1:
			well_formed(&c, &info, self->out);
			mutate(&c, self->out);
			break;
		default:
			random_cmd(&c, self->out);
			break;
		}
		memset(self->in, POISON, FUZZ_MAX_XFER);
		sg_exec(self->sg, &c, c.dir == SG_DXFER_TO_DEV ? self->out :
			self->in, &r);
		st.cmds++;
		if (r.ms > st.slowest_ms)
			st.slowest_ms = r.ms;
		if (r.ret)
			st.ioctl_err++;
		else if (r.status == SAM_GOOD)
			st.good++;
		else if (r.status == SAM_CHECK_CONDITION)
			st.check++;
		if (!r.ret && r.status == SAM_CHECK_CONDITION && r.sb_len >= 3)
			st.keys[r.sense[2] & 0xf]++;
		if (r.ms >= FUZZ_NOTE_MS)
			show_cmd("slow", i, &c, &r);
		why = check_result(&c, &r);
		if (why) {
			st.bad++;
			if (st.bad <= FUZZ_MAX_REPORTS)
				show_cmd(why, i, &c, &r);
		}
	}

	TH_LOG("%lu commands: %lu GOOD, %lu CHECK CONDITION, %lu refused by sg; "
	       "%lu bad; %lu reloads; slowest %u ms", st.cmds, st.good, st.check,
	       st.ioctl_err, st.bad, st.reloads, st.slowest_ms);
	for (k = 0; k < 16; k++)
		if (st.keys[k])
			TH_LOG("  sense key %x: %lu", k, st.keys[k]);
	EXPECT_EQ(0UL, st.bad);

	/* The medium the fuzzing left is consistent. */
	ASSERT_EQ(0, get_info_now(&info));
	why = info_consistent(&info);
	EXPECT_EQ(NULL, why) {
		TH_LOG("after the fuzzing: %s", why);
	}

	/* The drive still answers: INQUIRY, then ready after a fresh load. */
	simple(self->sg, inquiry, 6, self->in, 96, &r);
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(0, r.host_status);
	EXPECT_EQ(SAM_GOOD, r.status) {
		TH_LOG("INQUIRY after the fuzzing: sense %06x", sense_code(&r));
	}
	EXPECT_EQ(5, self->in[0] & 0x1f);
	EXPECT_EQ(0, memcmp(self->in + 8, "OPTSIM", 6));

	ASSERT_EQ(0, load_fresh(self->sg, OPTSIM_MEDIA_BD_R)) {
		TH_LOG("load bd-r after the fuzzing: %s", strerror(errno));
	}
	EXPECT_EQ(0U, wait_ready(self->sg)) {
		TH_LOG("TEST UNIT READY after the load: sense %06x",
		       wait_ready(self->sg));
	}

	/* One cluster written through the LUN reads back through both. */
	for (k = 0; k < (int)CLUSTER_BYTES; k += 8)
		memcpy(self->out + k, &(uint64_t){ rnd() }, 8);
	c = (struct fuzz_cmd){ .cdb_len = 10, .dir = SG_DXFER_TO_DEV,
			       .len = CLUSTER_BYTES };
	memcpy(c.cdb, wr, 10);
	sg_exec(self->sg, &c, self->out, &r);
	ASSERT_EQ(SAM_GOOD, r.status) {
		TH_LOG("WRITE(10) of LBA 0 on a fresh BD-R: sense %06x",
		       sense_code(&r));
	}
	simple(self->sg, sync, 10, NULL, 0, &r);
	ASSERT_EQ(SAM_GOOD, r.status) {
		TH_LOG("SYNCHRONIZE CACHE: sense %06x", sense_code(&r));
	}
	simple(self->sg, rd, 10, self->in, CLUSTER_BYTES, &r);
	ASSERT_EQ(SAM_GOOD, r.status) {
		TH_LOG("READ(10) of LBA 0: sense %06x", sense_code(&r));
	}
	EXPECT_EQ(0, memcmp(self->in, self->out, CLUSTER_BYTES));

	back = io_buf(CLUSTER_BYTES);
	ASSERT_NE(NULL, back);
	fd = open(DEV_PATH, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ((ssize_t)CLUSTER_BYTES, pread(fd, back, CLUSTER_BYTES, 0));
	EXPECT_EQ(0, memcmp(back, self->out, CLUSTER_BYTES));
	close(fd);
	io_free(back, CLUSTER_BYTES);

	ASSERT_EQ(0, get_info_now(&info));
	EXPECT_EQ(1ULL, info.recorded_clusters[0]);
	EXPECT_EQ(NULL, info_consistent(&info));
}

/*
 * The drive answers while its background OPC runs, from every CPU. The
 * OPC computes for seconds (minutes on the debug kernel) without
 * sleeping; when it ran on a per-CPU workqueue, a command queued on its
 * CPU waited for all of it and timed out (the debug kernel's fuzzer found
 * it). From each CPU in turn, TEST UNIT READY and the write that waits
 * for the OPC (NOT READY, LONG WRITE IN PROGRESS, 02/04/08, as the
 * midlayer retries it) must be answered at once, until the write records.
 */
TEST_F_TIMEOUT(mmc, answers_during_opc, 1800)
{
	static const uint8_t tur[6] = { 0 };
	uint8_t wr[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, CLUSTER, 0 };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int t0, t_opc, slowest = 0, during = 0;
	struct fuzz_cmd c;
	struct fuzz_res r;
	cpu_set_t set;
	uint32_t sc = 0;
	int fd, i;

	ASSERT_LT(0L, ncpu);
	/* A load with no power set by hand: the first write runs OPC. */
	tray_in(self->sg);
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_load(fd, OPTSIM_MEDIA_BD_R, FUZZ_LAYER));
	close(fd);
	ASSERT_EQ(0U, wait_ready(self->sg));

	memset(self->out, 0x5a, CLUSTER_BYTES);
	c = (struct fuzz_cmd){ .cdb_len = 10, .dir = SG_DXFER_TO_DEV,
			       .len = CLUSTER_BYTES };
	memcpy(c.cdb, wr, 10);
	t0 = now_ms();
	for (i = 0; now_ms() - t0 < 1500 * 1000U; i++) {
		CPU_ZERO(&set);
		CPU_SET(i % ncpu, &set);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
		simple(self->sg, tur, 6, NULL, 0, &r);
		ASSERT_EQ(0, r.ret);
		ASSERT_EQ(0, r.host_status) {
			TH_LOG("TEST UNIT READY on CPU %ld: host status 0x%x after %u ms",
			       i % ncpu, r.host_status, r.ms);
		}
		slowest = r.ms > slowest ? r.ms : slowest;
		sg_exec(self->sg, &c, self->out, &r);
		ASSERT_EQ(0, r.ret);
		ASSERT_EQ(0, r.host_status) {
			TH_LOG("WRITE on CPU %ld: host status 0x%x after %u ms",
			       i % ncpu, r.host_status, r.ms);
		}
		slowest = r.ms > slowest ? r.ms : slowest;
		sc = sense_code(&r);
		if (sc != 0x020408U)
			break;
		during++;
		usleep(20000);
	}
	t_opc = now_ms() - t0;
	CPU_ZERO(&set);
	for (i = 0; i < ncpu; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
	TH_LOG("OPC %u ms; %u rounds of TUR and WRITE during it on %ld CPUs, slowest %u ms",
	       t_opc, during, ncpu, slowest);
	EXPECT_EQ(SAM_GOOD, r.status) {
		TH_LOG("the WRITE after the OPC: sense %06x", sc);
	}
	EXPECT_LT(0U, during) {
		TH_LOG("the first WRITE after a load ran no OPC");
	}
	/* Milliseconds; on a loaded host, still a small part of the OPC. */
	EXPECT_TRUE(slowest < 1000 || 8 * slowest < t_opc);
}

TEST_HARNESS_MAIN
