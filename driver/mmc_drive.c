// SPDX-License-Identifier: GPL-2.0
/*
 * The MMC front: what the drive says about itself and the speed it records
 * at. INQUIRY and its VPD pages, GET CONFIGURATION (profiles and
 * features), MODE SENSE and MODE SELECT (pages 01h, 05h, 2Ah), GET
 * PERFORMANCE, SET STREAMING, SET CD SPEED, READ BUFFER CAPACITY and READ
 * DISC STRUCTURE (BD formats 00h, 0Ah, FFh).
 *
 * Every handler runs holding the drive's model_lock (mmc.h). The medium's
 * format, track table and finalized flag are read under its write_lock,
 * and its write parameters under the drive's lock. A speed a host selects
 * becomes the velocity of every layer, set through the same path as the
 * SET_PARAMS ioctl, so the recording model writes at that speed.
 */
#include "optsim.h"
#include "compat.h"

#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

/*
 * BD 1x: 4,495.5 kB/s of user data (kB = 1000 bytes), kept in half kB/s so
 * that the arithmetic stays exact.
 */
#define OPTSIM_BD_1X_HALF_KBPS		8991

/*
 * Rated write speeds, in multiples of BD 1x, highest first. The recording
 * model gives a medium no rated range of its own: its auto strategy records
 * every preset layer readably from 1x to 6x (Documentation/model.rst,
 * "Write strategies"), so every medium is rated 1x, 2x, 4x and 6x.
 */
static const u8 optsim_mmc_rated[] = { 6, 4, 2, 1 };

#define OPTSIM_MMC_RATED_MAX		6
#define OPTSIM_MMC_RATED_MIN		1
static_assert(OPTSIM_MMC_RATED_MAX * OPTSIM_VELOCITY_1X_MMS <=
	      OPTSIM_VELOCITY_MAX_MMS);
static_assert(OPTSIM_MMC_RATED_MIN * OPTSIM_VELOCITY_1X_MMS >=
	      OPTSIM_VELOCITY_MIN_MMS);

/*
 * The drive's buffer: the open cluster (mmc.h) and a nominal 4 MiB behind
 * it. Writes record synchronously, so the nominal part is always empty:
 * only the open cluster ever holds data.
 */
#define OPTSIM_MMC_NOMINAL_BUF		(4U << 20)
#define OPTSIM_MMC_BUF_BYTES		(OPTSIM_MMC_NOMINAL_BUF + OPTSIM_CLUSTER_BYTES)

/* Additional sense codes this file reports. */
#define OPTSIM_ASC_PARAM_LIST_LENGTH	0x1a	/* 05/1A/00 */
#define OPTSIM_ASC_INVALID_PARAM	0x26	/* 05/26/00 */
#define OPTSIM_ASC_SAVING_UNSUPPORTED	0x39	/* 05/39/00 */
#define OPTSIM_ASC_INCOMPATIBLE		0x30	/* 05/30/02: wrong format */
#define OPTSIM_ASC_RESOURCES		0x55	/* 0B/55/03 */

/**
 * struct optsim_mmc_state - what the commands of this file show of the
 *	drive's medium, read once per command
 * @profile: current MMC profile, OPTSIM_PROFILE_NONE without a medium
 * @present: a medium is in the drive
 * @write_once: the medium is a BD-R
 * @finalized: the disc is closed
 * @blank: a BD-R with nothing recorded, no track reserved and no session
 *	closed (it can still be formatted)
 * @formatted: a BD-RE that is formatted
 * @layers: recording layers
 * @spare: sectors in the spare areas
 * @capacity: sectors a host can address: the formatted size of a
 *	formatted BD-RE, else the whole user area
 */
struct optsim_mmc_state {
	u32 profile;
	bool present;
	bool write_once;
	bool finalized;
	bool blank;
	bool formatted;
	u32 layers;
	u64 spare;
	u64 capacity;
};

static void optsim_mmc_read_state(struct optsim_mmc_cmd *c,
				  struct optsim_mmc_state *s)
{
	struct optsim_medium *m = c->m;
	u64 raw;

	memset(s, 0, sizeof(*s));
	s->profile = optsim_mmc_profile(m);
	if (!m)
		return;
	s->present = true;
	s->write_once = m->type->write_once;
	s->layers = m->geo.layers;
	raw = osm_geometry_capacity(&m->geo);
	s->capacity = raw;

	mutex_lock(&m->write_lock);
	s->finalized = m->finalized;
	if (s->write_once) {
		s->blank = !m->finalized && !m->nwa_cluster &&
			   m->srm.nr_tracks <= 1 && !m->srm.closed_sessions &&
			   !c->dev->mmc.open_sectors;
	} else {
		s->formatted = m->fmt.formatted;
		s->spare = m->fmt.spare_sectors;
		if (s->formatted && s->spare < raw)
			s->capacity = raw - s->spare;
	}
	mutex_unlock(&m->write_lock);
}

/* kB/s of BD @x times 1x, rounded down. */
static u32 optsim_mmc_x_kbps(u32 x)
{
	return x * OPTSIM_BD_1X_HALF_KBPS / 2;
}

/* kB/s a linear velocity (mm/s) records user data at. */
static u32 optsim_mmc_velocity_kbps(u32 velocity)
{
	return div_u64((u64)velocity * OPTSIM_BD_1X_HALF_KBPS,
		       2 * OPTSIM_VELOCITY_1X_MMS);
}

/*
 * The rated speed (multiple of 1x) a host gets for @kbps: the highest not
 * above it, the lowest when it is below all. The request is compared in
 * tenths of 1x, rounded, so that speeds a host computed from 4495 or
 * 4496 kB/s per 1x select what it meant.
 */
static u32 optsim_mmc_rated_pick(u32 kbps)
{
	u64 tenths = div_u64((u64)kbps * 20 + OPTSIM_BD_1X_HALF_KBPS / 2,
			     OPTSIM_BD_1X_HALF_KBPS);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(optsim_mmc_rated); i++)
		if ((u64)optsim_mmc_rated[i] * 10 <= tenths)
			return optsim_mmc_rated[i];
	return OPTSIM_MMC_RATED_MIN;
}

/* The write speed a layer records at now, kB/s. */
static u32 optsim_mmc_layer_kbps(struct optsim_mmc_cmd *c, u32 layer)
{
	u32 velocity;

	mutex_lock(&c->dev->lock);
	velocity = c->m->params[layer].velocity;
	mutex_unlock(&c->dev->lock);
	return optsim_mmc_velocity_kbps(velocity);
}

/* The read speed: the one a host selected, else the highest rated. */
static u32 optsim_mmc_read_kbps(struct optsim_mmc_cmd *c)
{
	if (c->dev->mmc.read_kbps)
		return c->dev->mmc.read_kbps;
	return optsim_mmc_x_kbps(OPTSIM_MMC_RATED_MAX);
}

/* ---------------------------------------------------------------------- */
/* INQUIRY */

#define OPTSIM_VPD_SUPPORTED		0x00
#define OPTSIM_VPD_SERIAL		0x80
#define OPTSIM_VPD_DEVICE_ID		0x83

/* Unit serial number: "OPTSIM" and the drive's index in 4 digits. */
static unsigned int optsim_mmc_serial(struct optsim_mmc_cmd *c, char *buf,
				      size_t size)
{
	return scnprintf(buf, size, "OPTSIM%04u", c->dev->index);
}

static unsigned int optsim_mmc_inquiry_std(struct optsim_mmc_cmd *c)
{
	u8 *r = c->reply;

	r[0] = TYPE_ROM;
	r[1] = 0x80;			/* RMB: removable medium */
	r[2] = 0x05;			/* SPC-3 */
	r[3] = 0x02;			/* response data format */
	r[4] = 36 - 5;			/* additional length */
	memcpy(&r[8], OPTSIM_MMC_VENDOR, 8);
	memcpy(&r[16], OPTSIM_MMC_PRODUCT, 16);
	memcpy(&r[32], OPTSIM_MMC_REVISION, 4);
	return 36;
}

static unsigned int optsim_mmc_vpd_supported(struct optsim_mmc_cmd *c)
{
	static const u8 pages[] = {
		OPTSIM_VPD_SUPPORTED, OPTSIM_VPD_SERIAL, OPTSIM_VPD_DEVICE_ID
	};
	u8 *r = c->reply;

	memcpy(&r[4], pages, sizeof(pages));
	return 4 + sizeof(pages);
}

static unsigned int optsim_mmc_vpd_serial(struct optsim_mmc_cmd *c)
{
	u8 *r = c->reply;

	/* Room for any u32 index; the reply is far larger. */
	return 4 + optsim_mmc_serial(c, (char *)&r[4], 32);
}

/* One T10 vendor ID designator: vendor, product and serial number. */
static unsigned int optsim_mmc_vpd_device_id(struct optsim_mmc_cmd *c)
{
	u8 *r = c->reply;
	u8 *d = &r[4];
	unsigned int len;

	d[0] = 0x02;			/* code set: ASCII */
	d[1] = 0x01;			/* logical unit; T10 vendor ID */
	memcpy(&d[4], OPTSIM_MMC_VENDOR, 8);
	memcpy(&d[12], OPTSIM_MMC_PRODUCT, 16);
	len = 24 + optsim_mmc_serial(c, (char *)&d[28], 32);
	d[3] = len;
	return 4 + 4 + len;
}

/**
 * optsim_mmc_inquiry() - INQUIRY (12h)
 * @c: the command
 *
 * The standard data (peripheral type 5, removable, SPC-3, the optsim
 * vendor, product and revision) or, with EVPD, the VPD pages 00h
 * (supported pages), 80h (unit serial number) and 83h (a T10 vendor ID
 * designator). Works without a medium.
 *
 * Return: 0, or 05/24/00 for CmdDt, a page code without EVPD, or an
 * unknown VPD page.
 */
int optsim_mmc_inquiry(struct optsim_mmc_cmd *c)
{
	bool evpd = c->cdb[1] & 0x01;
	bool cmddt = c->cdb[1] & 0x02;
	u8 page = c->cdb[2];
	unsigned int len;

	if (cmddt || (!evpd && page))
		return optsim_mmc_bad_field(c);
	if (!evpd) {
		c->reply_len = optsim_mmc_inquiry_std(c);
		return 0;
	}

	switch (page) {
	case OPTSIM_VPD_SUPPORTED:
		len = optsim_mmc_vpd_supported(c);
		break;
	case OPTSIM_VPD_SERIAL:
		len = optsim_mmc_vpd_serial(c);
		break;
	case OPTSIM_VPD_DEVICE_ID:
		len = optsim_mmc_vpd_device_id(c);
		break;
	default:
		return optsim_mmc_bad_field(c);
	}
	c->reply[0] = TYPE_ROM;
	c->reply[1] = page;
	put_unaligned_be16(len - 4, &c->reply[2]);
	c->reply_len = len;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* GET CONFIGURATION */

/* Request types (RT). */
#define OPTSIM_RT_ALL			0
#define OPTSIM_RT_CURRENT		1
#define OPTSIM_RT_ONE			2

/*
 * BD class 0 format versions, bit n for version n: BD-RE 2 (the bare disc,
 * 25 GB per layer), BD-R 1 and BD-ROM 1. The DI says the same.
 */
#define OPTSIM_BD_RE_VERSION		2
#define OPTSIM_BD_R_VERSION		1
#define OPTSIM_BD_ROM_VERSION		1

/**
 * struct optsim_mmc_feature - one feature the drive reports
 * @code: feature code
 * @version: feature version
 * @persistent: always current
 * @build: writes the feature's data after its 4-byte header into @d, sets
 *	*@cur, and returns the data's length (a multiple of 4)
 */
struct optsim_mmc_feature {
	u16 code;
	u8 version;
	bool persistent;
	unsigned int (*build)(const struct optsim_mmc_state *s, u8 *d,
			      bool *cur);
};

/* 0000h: every profile the drive knows, the current one marked. */
static unsigned int optsim_feat_profiles(const struct optsim_mmc_state *s,
					 u8 *d, bool *cur)
{
	static const u16 profiles[] = {
		OPTSIM_PROFILE_BD_RE, OPTSIM_PROFILE_BD_R_SRM,
		OPTSIM_PROFILE_BD_ROM,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		put_unaligned_be16(profiles[i], &d[4 * i]);
		if (s->profile == profiles[i])
			d[4 * i + 2] = 0x01;	/* CurrentP */
	}
	*cur = true;
	return 4 * ARRAY_SIZE(profiles);
}

/*
 * 0001h Core: a SCSI logical unit. DBE stays 0: GET EVENT STATUS
 * NOTIFICATION reports media events, not device busy events.
 */
static unsigned int optsim_feat_core(const struct optsim_mmc_state *s,
				     u8 *d, bool *cur)
{
	put_unaligned_be32(0x00000001, &d[0]);	/* SCSI family */
	*cur = true;
	return 8;
}

/* 0002h Morphing: polled events only (ASYNC 0), operational change events. */
static unsigned int optsim_feat_morphing(const struct optsim_mmc_state *s,
					 u8 *d, bool *cur)
{
	d[0] = 0x02;			/* OCEvent */
	*cur = true;
	return 4;
}

/* 0003h Removable Medium: a tray that loads, ejects and locks. */
static unsigned int optsim_feat_removable(const struct optsim_mmc_state *s,
					  u8 *d, bool *cur)
{
	/* Tray; Load; Eject; no prevent jumper (Pvnt Jmpr 1); Lock. */
	d[0] = 0x20 | 0x10 | 0x08 | 0x04 | 0x01;
	*cur = true;
	return 4;
}

/* 0010h Random Readable: 2048-byte blocks in 32-block clusters. */
static unsigned int optsim_feat_readable(const struct optsim_mmc_state *s,
					 u8 *d, bool *cur)
{
	put_unaligned_be32(OPTSIM_MMC_BLOCK, &d[0]);
	put_unaligned_be16(OPTSIM_CLUSTER_SECTORS, &d[4]);
	d[6] = 0x01;			/* PP: page 01h is there */
	*cur = s->present;
	return 8;
}

/* 0020h Random Writable: a formatted BD-RE. */
static unsigned int optsim_feat_writable(const struct optsim_mmc_state *s,
					 u8 *d, bool *cur)
{
	*cur = s->profile == OPTSIM_PROFILE_BD_RE && s->formatted;
	if (*cur)
		put_unaligned_be32(min_t(u64, s->capacity - 1, U32_MAX), &d[0]);
	put_unaligned_be32(OPTSIM_MMC_BLOCK, &d[4]);
	put_unaligned_be16(OPTSIM_CLUSTER_SECTORS, &d[8]);
	d[10] = 0x01;			/* PP */
	return 12;
}

/*
 * 0021h Incremental Streaming Writable: a BD-R that is not finalized.
 * Mode 1 blocks (data block type 8); BUF, as writes record synchronously
 * and never underrun; RESERVE TRACK takes a size only (ARSV 0); one link
 * size, 0.
 */
static unsigned int optsim_feat_incremental(const struct optsim_mmc_state *s,
					    u8 *d, bool *cur)
{
	put_unaligned_be16(BIT(8), &d[0]);
	d[2] = 0x01;			/* BUF */
	d[3] = 1;			/* link sizes */
	d[4] = 0;
	*cur = s->profile == OPTSIM_PROFILE_BD_R_SRM && !s->finalized;
	return 8;
}

/*
 * 0023h Formattable: a BD-RE, or a blank BD-R. FORMAT UNIT certifies
 * fully or quickly (30h subtypes 10b, 11b: Cert, QCert) and formats
 * without spares (31h: RENoSA); it does not expand spares (01h: Expand 0)
 * and does not record BD-R in RRM.
 */
static unsigned int optsim_feat_formattable(const struct optsim_mmc_state *s,
					    u8 *d, bool *cur)
{
	d[0] = 0x08 | 0x02 | 0x01;	/* RENoSA, QCert, Cert */
	d[4] = 0x00;			/* RRM */
	*cur = s->profile == OPTSIM_PROFILE_BD_RE ||
	       (s->profile == OPTSIM_PROFILE_BD_R_SRM && s->blank);
	return 8;
}

/* 0024h Defect Management: supplementary spare areas (SSA), when there. */
static unsigned int optsim_feat_defects(const struct optsim_mmc_state *s,
					u8 *d, bool *cur)
{
	d[0] = 0x80;			/* SSA */
	*cur = s->present && s->spare;
	return 4;
}

/* 0040h BD Read: class 0 BD-RE, BD-R and BD-ROM. */
static unsigned int optsim_feat_bd_read(const struct optsim_mmc_state *s,
					u8 *d, bool *cur)
{
	put_unaligned_be16(BIT(OPTSIM_BD_RE_VERSION), &d[4]);
	put_unaligned_be16(BIT(OPTSIM_BD_R_VERSION), &d[12]);
	put_unaligned_be16(BIT(OPTSIM_BD_ROM_VERSION), &d[20]);
	*cur = s->present;
	return 28;
}

/*
 * 0041h BD Write: class 0 BD-RE and BD-R, when the disc takes writes. Laid
 * out as BD Read, with BD-ROM bitmaps of 0, as sg3-utils reads it.
 */
static unsigned int optsim_feat_bd_write(const struct optsim_mmc_state *s,
					 u8 *d, bool *cur)
{
	put_unaligned_be16(BIT(OPTSIM_BD_RE_VERSION), &d[4]);
	put_unaligned_be16(BIT(OPTSIM_BD_R_VERSION), &d[12]);
	*cur = s->profile == OPTSIM_PROFILE_BD_RE ||
	       (s->profile == OPTSIM_PROFILE_BD_R_SRM && !s->finalized);
	return 28;
}

/*
 * 0107h Real-Time Streaming: the Streaming bit of WRITE(12) (SW), write
 * speeds in GET PERFORMANCE and SET STREAMING (WSPD), in page 2Ah (MP2A),
 * SET CD SPEED (SCS), and READ BUFFER CAPACITY in blocks (RBCB).
 */
static unsigned int optsim_feat_streaming(const struct optsim_mmc_state *s,
					  u8 *d, bool *cur)
{
	d[0] = 0x10 | 0x08 | 0x04 | 0x02 | 0x01;
	*cur = s->present;
	return 4;
}

/* In feature code order. BD-R POW (0038h) is never advertised. */
static const struct optsim_mmc_feature optsim_mmc_features[] = {
	{ 0x0000, 0, true, optsim_feat_profiles },
	{ 0x0001, 2, true, optsim_feat_core },
	{ 0x0002, 1, true, optsim_feat_morphing },
	{ 0x0003, 2, true, optsim_feat_removable },
	{ 0x0010, 0, false, optsim_feat_readable },
	{ 0x0020, 1, false, optsim_feat_writable },
	{ 0x0021, 1, false, optsim_feat_incremental },
	{ 0x0023, 2, false, optsim_feat_formattable },
	{ 0x0024, 1, false, optsim_feat_defects },
	{ 0x0040, 1, false, optsim_feat_bd_read },
	{ 0x0041, 1, false, optsim_feat_bd_write },
	{ 0x0107, 3, false, optsim_feat_streaming },
};

/**
 * optsim_mmc_get_configuration() - GET CONFIGURATION (46h)
 * @c: the command
 *
 * The current profile and the features of RT 0 (all from the Starting
 * Feature Number on), 1 (the current ones among them) or 2 (that one
 * feature). Which features are current follows the medium: its kind,
 * whether a BD-RE is formatted or has spares, whether a BD-R is blank or
 * finalized. The Data Length is the whole list's; mmc.c truncates the
 * reply to the allocation length. Works without a medium (profile 0).
 *
 * Return: 0, or 05/24/00 for RT 3.
 */
int optsim_mmc_get_configuration(struct optsim_mmc_cmd *c)
{
	u8 rt = c->cdb[1] & 0x03;
	u16 sfn = get_unaligned_be16(&c->cdb[2]);
	const struct optsim_mmc_feature *f;
	struct optsim_mmc_state s;
	unsigned int i, len, off = 8;
	bool cur;
	u8 *d;

	if (rt != OPTSIM_RT_ALL && rt != OPTSIM_RT_CURRENT &&
	    rt != OPTSIM_RT_ONE)
		return optsim_mmc_bad_field(c);
	optsim_mmc_read_state(c, &s);

	for (i = 0; i < ARRAY_SIZE(optsim_mmc_features); i++) {
		f = &optsim_mmc_features[i];
		if (rt == OPTSIM_RT_ONE ? f->code != sfn : f->code < sfn)
			continue;
		d = &c->reply[off];
		cur = false;
		len = f->build(&s, &d[4], &cur);
		if (rt == OPTSIM_RT_CURRENT && !cur) {
			memset(d, 0, 4 + len);
			continue;
		}
		put_unaligned_be16(f->code, &d[0]);
		d[2] = f->version << 2 | (f->persistent ? 0x02 : 0) |
		       (cur ? 0x01 : 0);
		d[3] = len;
		off += 4 + len;
	}
	put_unaligned_be32(off - 4, &c->reply[0]);
	put_unaligned_be16(s.profile, &c->reply[6]);
	c->reply_len = off;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* MODE SENSE, MODE SELECT */

#define OPTSIM_PAGE_ERROR_RECOVERY	0x01
#define OPTSIM_PAGE_WRITE_PARAMS	0x05
#define OPTSIM_PAGE_CAPABILITIES	0x2a
#define OPTSIM_PAGE_ALL			0x3f

/* Page control (PC) of MODE SENSE. */
#define OPTSIM_PC_CURRENT		0
#define OPTSIM_PC_CHANGEABLE		1
#define OPTSIM_PC_DEFAULT		2
#define OPTSIM_PC_SAVED			3

/* Page 01h: the PER bit, the only field a host may change. */
#define OPTSIM_PAGE01_LEN		12
#define OPTSIM_PAGE01_PER		0x04

/* Page 05h: MMC's length; 36h adds four vendor bytes some hosts send. */
#define OPTSIM_PAGE05_LEN		52
#define OPTSIM_PAGE05_LEN_VENDOR	56
#define OPTSIM_PAGE05_TEST_WRITE	0x10

/* Page 2Ah: 32 bytes and a 4-byte descriptor per rated write speed. */
#define OPTSIM_PAGE2A_LEN		(32 + 4 * ARRAY_SIZE(optsim_mmc_rated))

/* 01h Read/Write Error Recovery. */
static unsigned int optsim_mmc_page_01(struct optsim_mmc_cmd *c, u8 pc, u8 *d)
{
	d[0] = OPTSIM_PAGE_ERROR_RECOVERY;
	d[1] = OPTSIM_PAGE01_LEN - 2;
	if (pc == OPTSIM_PC_CHANGEABLE)
		d[2] = OPTSIM_PAGE01_PER;
	else if (pc == OPTSIM_PC_CURRENT && c->dev->mmc.per)
		d[2] = OPTSIM_PAGE01_PER;
	return OPTSIM_PAGE01_LEN;
}

/*
 * 05h Write Parameters. A BD drive does not use it: it reports a plain
 * incremental data setup and nothing in it can be changed.
 */
static unsigned int optsim_mmc_page_05(struct optsim_mmc_cmd *c, u8 pc, u8 *d)
{
	d[0] = OPTSIM_PAGE_WRITE_PARAMS;
	d[1] = OPTSIM_PAGE05_LEN - 2;
	if (pc == OPTSIM_PC_CHANGEABLE)
		return OPTSIM_PAGE05_LEN;
	d[2] = 0x40;			/* BUFE; write type 0: incremental */
	d[3] = 0x05;			/* track mode 5: data, incremental */
	d[4] = 0x08;			/* data block type 8: 2048 bytes */
	put_unaligned_be16(150, &d[14]);	/* audio pause length */
	return OPTSIM_PAGE05_LEN;
}

/*
 * 2Ah Capabilities and Mechanical Status. The page has no BD bits. DVD-ROM
 * and DVD-R Read and DVD-R Write are set, as on every BD writer: dvd+rw-tools
 * refuse a unit that does not read DVD-ROM, and libburn gives a drive that
 * writes neither CD nor DVD no write modes at all, so that xorriso refuses
 * to append a session. No DVD can be loaded to contradict them. The other
 * CD and DVD bits are 0; multi-session discs are read. A tray that ejects and
 * locks. Speeds in kB/s: reads at the highest rated speed
 * unless a host chose one, writes at the velocity of L0 (SET STREAMING
 * and SET CD SPEED set every layer's), and one descriptor per rated write
 * speed. Nothing is changeable.
 */
static unsigned int optsim_mmc_page_2a(struct optsim_mmc_cmd *c, u8 pc, u8 *d)
{
	u32 max_kbps = optsim_mmc_x_kbps(OPTSIM_MMC_RATED_MAX);
	u32 write_kbps, read_kbps;
	unsigned int i;

	d[0] = OPTSIM_PAGE_CAPABILITIES;
	d[1] = OPTSIM_PAGE2A_LEN - 2;
	if (pc == OPTSIM_PC_CHANGEABLE)
		return OPTSIM_PAGE2A_LEN;

	if (pc == OPTSIM_PC_DEFAULT) {
		write_kbps = optsim_mmc_x_kbps(1);
		read_kbps = max_kbps;
	} else {
		write_kbps = c->m ? optsim_mmc_layer_kbps(c, 0) : 0;
		read_kbps = optsim_mmc_read_kbps(c);
	}

	d[2] = 0x10 | 0x08;		/* DVD-R Read, DVD-ROM Read */
	d[3] = 0x10;			/* DVD-R Write */
	d[4] = 0x40;			/* Multi Session */
	d[6] = 0x20 | 0x08 | 0x01;	/* tray, Eject, Lock */
	if (pc == OPTSIM_PC_CURRENT && c->dev->mmc.prevent)
		d[6] |= 0x02;		/* Lock State */
	put_unaligned_be16(max_kbps, &d[8]);
	put_unaligned_be16(OPTSIM_MMC_BUF_BYTES / 1024, &d[12]);
	put_unaligned_be16(read_kbps, &d[14]);
	put_unaligned_be16(max_kbps, &d[18]);
	put_unaligned_be16(write_kbps, &d[20]);
	d[27] = 0;			/* rotation control: CLV */
	put_unaligned_be16(write_kbps, &d[28]);
	put_unaligned_be16(ARRAY_SIZE(optsim_mmc_rated), &d[30]);
	for (i = 0; i < ARRAY_SIZE(optsim_mmc_rated); i++)
		put_unaligned_be16(optsim_mmc_x_kbps(optsim_mmc_rated[i]),
				   &d[32 + 4 * i + 2]);
	return OPTSIM_PAGE2A_LEN;
}

/* Writes page @page at @d; 0 when the drive has no such page. */
static unsigned int optsim_mmc_page(struct optsim_mmc_cmd *c, u8 page, u8 pc,
				    u8 *d)
{
	switch (page) {
	case OPTSIM_PAGE_ERROR_RECOVERY:
		return optsim_mmc_page_01(c, pc, d);
	case OPTSIM_PAGE_WRITE_PARAMS:
		return optsim_mmc_page_05(c, pc, d);
	case OPTSIM_PAGE_CAPABILITIES:
		return optsim_mmc_page_2a(c, pc, d);
	default:
		return 0;
	}
}

/**
 * optsim_mmc_mode_sense() - MODE SENSE(6) (1Ah) and MODE SENSE(10) (5Ah)
 * @c: the command
 *
 * Pages 01h, 05h, 2Ah, or all of them (3Fh), current, changeable or
 * default. An MMC drive has no block descriptors: the header says 0 bytes
 * of them whatever DBD asks. Works without a medium.
 *
 * Return: 0, 05/24/00 for an unknown page or a subpage, 05/39/00 for
 * saved values.
 */
int optsim_mmc_mode_sense(struct optsim_mmc_cmd *c)
{
	bool ten = c->cdb[0] == 0x5a;
	unsigned int hdr = ten ? 8 : 4;
	u8 pc = c->cdb[2] >> 6;
	u8 page = c->cdb[2] & 0x3f;
	u8 subpage = c->cdb[3];
	static const u8 all[] = {
		OPTSIM_PAGE_ERROR_RECOVERY, OPTSIM_PAGE_WRITE_PARAMS,
		OPTSIM_PAGE_CAPABILITIES,
	};
	unsigned int i, len = hdr;

	if (pc == OPTSIM_PC_SAVED)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST,
					OPTSIM_ASC_SAVING_UNSUPPORTED, 0);
	/* No page has subpages; 3Fh/FFh asks for all pages and subpages. */
	if (subpage && !(page == OPTSIM_PAGE_ALL && subpage == 0xff))
		return optsim_mmc_bad_field(c);

	if (page == OPTSIM_PAGE_ALL) {
		for (i = 0; i < ARRAY_SIZE(all); i++)
			len += optsim_mmc_page(c, all[i], pc, &c->reply[len]);
	} else {
		len += optsim_mmc_page(c, page, pc, &c->reply[len]);
		if (len == hdr)
			return optsim_mmc_bad_field(c);
	}

	/* Medium type, device-specific parameter, descriptor length: 0. */
	if (ten)
		put_unaligned_be16(len - 2, &c->reply[0]);
	else
		c->reply[0] = len - 1;
	c->reply_len = len;
	return 0;
}

static int optsim_mmc_list_length_error(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST,
				OPTSIM_ASC_PARAM_LIST_LENGTH, 0);
}

static int optsim_mmc_bad_param(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST,
				OPTSIM_ASC_INVALID_PARAM, 0);
}

/*
 * A page 01h sent with MODE SELECT: only PER may differ from the current
 * values. Sets *@per to the PER it asks for.
 */
static int optsim_mmc_select_01(struct optsim_mmc_cmd *c, const u8 *p,
				bool *per)
{
	u8 cur[OPTSIM_PAGE01_LEN] = {};

	if (p[1] != OPTSIM_PAGE01_LEN - 2)
		return optsim_mmc_bad_param(c);
	optsim_mmc_page_01(c, OPTSIM_PC_CURRENT, cur);
	if ((p[2] & ~OPTSIM_PAGE01_PER) != (cur[2] & ~OPTSIM_PAGE01_PER) ||
	    memcmp(&p[3], &cur[3], OPTSIM_PAGE01_LEN - 3))
		return optsim_mmc_bad_param(c);
	*per = p[2] & OPTSIM_PAGE01_PER;
	return 0;
}

/*
 * A page 05h: accepted and ignored, as BD recording does not use it. A
 * Test Write is refused: ignoring it would make a simulated burn real.
 */
static int optsim_mmc_select_05(struct optsim_mmc_cmd *c, const u8 *p)
{
	if (p[1] != OPTSIM_PAGE05_LEN - 2 && p[1] != OPTSIM_PAGE05_LEN_VENDOR - 2)
		return optsim_mmc_bad_param(c);
	if (p[2] & OPTSIM_PAGE05_TEST_WRITE)
		return optsim_mmc_bad_param(c);
	return 0;
}

/* A page 2Ah: nothing is changeable, so it must be the current page. */
static int optsim_mmc_select_2a(struct optsim_mmc_cmd *c, const u8 *p)
{
	u8 cur[OPTSIM_PAGE2A_LEN] = {};

	optsim_mmc_page_2a(c, OPTSIM_PC_CURRENT, cur);
	if (p[1] != cur[1] || memcmp(&p[2], &cur[2], OPTSIM_PAGE2A_LEN - 2))
		return optsim_mmc_bad_param(c);
	return 0;
}

/*
 * The mode parameter header and block descriptor of MODE SELECT. An MMC
 * drive has no block descriptors; one short descriptor is accepted when it
 * asks for the drive's block size (or 0, the current one). Sets *@off to
 * the first page.
 */
static int optsim_mmc_select_header(struct optsim_mmc_cmd *c, bool ten,
				    unsigned int *off)
{
	const u8 *p = c->param;
	unsigned int hdr = ten ? 8 : 4;
	unsigned int bdl;
	u32 block;

	if (c->param_len < hdr)
		return optsim_mmc_list_length_error(c);
	bdl = ten ? get_unaligned_be16(&p[6]) : p[3];
	if (ten && (p[4] & 0x01))	/* LONGLBA */
		return optsim_mmc_bad_param(c);
	if (bdl != 0 && bdl != 8)
		return optsim_mmc_bad_param(c);
	if (c->param_len < hdr + bdl)
		return optsim_mmc_list_length_error(c);
	if (bdl) {
		block = get_unaligned_be32(&p[hdr + 4]) & 0xffffff;
		if (block && block != OPTSIM_MMC_BLOCK)
			return optsim_mmc_bad_param(c);
	}
	*off = hdr + bdl;
	return 0;
}

/**
 * optsim_mmc_mode_select() - MODE SELECT(6) (15h) and MODE SELECT(10) (55h)
 * @c: the command
 *
 * Validates the header and every page before it changes anything. Page
 * 01h sets PER (the rest must be as MODE SENSE reports it); page 05h is
 * accepted and ignored unless it asks for a test write; page 2Ah must be
 * sent back unchanged. Works without a medium.
 *
 * Return: 0, 05/24/00 for SP or a page list without PF, 05/1A/00 for a
 * list that cuts the header or a page short, 05/26/00 for an unknown page,
 * a subpage, a wrong page length or a value that cannot change.
 */
int optsim_mmc_mode_select(struct optsim_mmc_cmd *c)
{
	bool ten = c->cdb[0] == 0x55;
	bool pf = c->cdb[1] & 0x10;
	bool sp = c->cdb[1] & 0x01;
	bool set_per = false, per = false;
	const u8 *p;
	unsigned int off;
	int ret;

	if (sp)
		return optsim_mmc_bad_field(c);
	if (!c->param_len)
		return 0;
	ret = optsim_mmc_select_header(c, ten, &off);
	if (ret)
		return ret;
	if (off < c->param_len && !pf)
		return optsim_mmc_bad_field(c);

	while (off < c->param_len) {
		p = &c->param[off];
		if (c->param_len - off < 2 ||
		    c->param_len - off < 2U + p[1])
			return optsim_mmc_list_length_error(c);
		if (p[0] & 0x40)	/* SPF: a subpage */
			return optsim_mmc_bad_param(c);
		switch (p[0] & 0x3f) {
		case OPTSIM_PAGE_ERROR_RECOVERY:
			ret = optsim_mmc_select_01(c, p, &per);
			set_per = true;
			break;
		case OPTSIM_PAGE_WRITE_PARAMS:
			ret = optsim_mmc_select_05(c, p);
			break;
		case OPTSIM_PAGE_CAPABILITIES:
			ret = optsim_mmc_select_2a(c, p);
			break;
		default:
			ret = optsim_mmc_bad_param(c);
			break;
		}
		if (ret)
			return ret;
		off += 2 + p[1];
	}

	if (set_per)
		c->dev->mmc.per = per;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* GET PERFORMANCE */

#define OPTSIM_PERF_TYPE_PERFORMANCE	0x00
#define OPTSIM_PERF_TYPE_WRITE_SPEED	0x03

/* Data Type bits of type 00h. */
#define OPTSIM_PERF_WRITE		0x04
#define OPTSIM_PERF_EXCEPT		0x03

/*
 * The performance header's Data Length counts every descriptor there is,
 * so that a host that asks for none learns how many to ask for; the reply
 * holds at most @max of them.
 */
static void optsim_mmc_perf_end(struct optsim_mmc_cmd *c, unsigned int n,
				unsigned int max)
{
	put_unaligned_be32(4 + 16 * n, &c->reply[0]);
	c->reply_len = 8 + 16 * min(n, max);
}

/*
 * Type 00h: the nominal performance, one descriptor per layer at the speed
 * it is read or written at (CLV: the same from its start to its end).
 * There are no exceptions: with Except set, the list is empty.
 */
static void optsim_mmc_perf_nominal(struct optsim_mmc_cmd *c,
				    const struct optsim_mmc_state *s,
				    unsigned int max)
{
	bool write = c->cdb[1] & OPTSIM_PERF_WRITE;
	u8 except = c->cdb[1] & OPTSIM_PERF_EXCEPT;
	u64 layer_sectors = c->m->geo.layer_sectors;
	u64 start, end;
	unsigned int n = 0;
	u32 layer, kbps;
	u8 *d;

	c->reply[4] = (write ? 0x02 : 0) | (except ? 0x01 : 0);
	for (layer = 0; !except && layer < s->layers; layer++) {
		start = layer * layer_sectors;
		if (start >= s->capacity)
			break;
		end = min(start + layer_sectors, s->capacity) - 1;
		kbps = write ? optsim_mmc_layer_kbps(c, layer) :
			       optsim_mmc_read_kbps(c);
		d = &c->reply[8 + 16 * n];
		put_unaligned_be32(min_t(u64, start, U32_MAX), &d[0]);
		put_unaligned_be32(kbps, &d[4]);
		put_unaligned_be32(min_t(u64, end, U32_MAX), &d[8]);
		put_unaligned_be32(kbps, &d[12]);
		n++;
	}
	optsim_mmc_perf_end(c, n, max);
}

/*
 * Type 03h: one write speed descriptor per rated speed, highest first,
 * each for the whole disc (CLV, Exact), reading at the same speed.
 */
static void optsim_mmc_perf_speeds(struct optsim_mmc_cmd *c,
				   const struct optsim_mmc_state *s,
				   unsigned int max)
{
	u32 end = min_t(u64, s->capacity - 1, U32_MAX);
	unsigned int i;
	u32 kbps;
	u8 *d;

	for (i = 0; i < ARRAY_SIZE(optsim_mmc_rated); i++) {
		kbps = optsim_mmc_x_kbps(optsim_mmc_rated[i]);
		d = &c->reply[8 + 16 * i];
		d[0] = 0x02;		/* WRC 0 (CLV), Exact */
		put_unaligned_be32(end, &d[4]);
		put_unaligned_be32(kbps, &d[8]);
		put_unaligned_be32(kbps, &d[12]);
	}
	optsim_mmc_perf_end(c, ARRAY_SIZE(optsim_mmc_rated), max);
}

/**
 * optsim_mmc_get_performance() - GET PERFORMANCE (ACh)
 * @c: the command
 *
 * Type 00h: the read or write performance (the Write bit of the Data
 * Type), one descriptor per layer at its current speed in kB/s. Type 03h:
 * the medium's rated write speeds, 16-byte descriptors. The reply holds
 * at most Maximum Number of Descriptors; its Data Length counts them all.
 * Needs a medium.
 *
 * Return: 0, 02/3A/0x without a medium, 05/24/00 for another type or the
 * reserved Except value.
 */
int optsim_mmc_get_performance(struct optsim_mmc_cmd *c)
{
	unsigned int max = get_unaligned_be16(&c->cdb[8]);
	u8 type = c->cdb[10];
	struct optsim_mmc_state s;

	if (type != OPTSIM_PERF_TYPE_PERFORMANCE &&
	    type != OPTSIM_PERF_TYPE_WRITE_SPEED)
		return optsim_mmc_bad_field(c);
	if (type == OPTSIM_PERF_TYPE_PERFORMANCE &&
	    (c->cdb[1] & OPTSIM_PERF_EXCEPT) == OPTSIM_PERF_EXCEPT)
		return optsim_mmc_bad_field(c);
	if (!c->m)
		return optsim_mmc_need_medium(c);
	optsim_mmc_read_state(c, &s);

	if (type == OPTSIM_PERF_TYPE_PERFORMANCE)
		optsim_mmc_perf_nominal(c, &s, max);
	else
		optsim_mmc_perf_speeds(c, &s, max);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* SET STREAMING, SET CD SPEED */

/* SET STREAMING type 00h: a performance descriptor. */
#define OPTSIM_STREAM_TYPE_PERFORMANCE	0x00
#define OPTSIM_STREAM_DESC_LEN		28
#define OPTSIM_STREAM_RDD		0x04

/* SET CD SPEED: "as fast as the drive can". */
#define OPTSIM_SPEED_MAX		0xffff

/*
 * Make every layer record at @x times 1x, through the parameters the
 * SET_PARAMS ioctl sets; OPC runs again before the next write. Selects
 * @read_kbps (0: the fastest) for reads, which the model does not time.
 */
static int optsim_mmc_apply_speed(struct optsim_mmc_cmd *c, u32 x,
				  u32 read_kbps, bool host_choice)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	u32 velocity = x * OPTSIM_VELOCITY_1X_MMS;
	struct optsim_dev *dev = c->dev;
	u32 layers = c->m->geo.layers;
	bool change = false;
	const char *why;
	u32 layer;
	int ret;

	mutex_lock(&dev->lock);
	memcpy(p, c->m->params, sizeof(p));
	mutex_unlock(&dev->lock);
	for (layer = 0; layer < layers; layer++) {
		if (p[layer].velocity != velocity)
			change = true;
		p[layer].velocity = velocity;
	}

	if (change) {
		ret = optsim_dev_set_params_locked(dev, p, OPTSIM_LAYERS_ALL,
						   &why);
		if (ret == -ENOMEDIUM)
			return optsim_mmc_need_medium(c);
		if (ret == -EINVAL)
			return optsim_mmc_bad_param(c);
		if (ret)
			return optsim_mmc_sense(c, OPTSIM_SK_ABORTED,
						OPTSIM_ASC_RESOURCES, 0x03);
		optsim_mmc_opc_need(dev, GENMASK(layers - 1, 0));
	}
	dev->mmc.write_kbps = host_choice ? optsim_mmc_x_kbps(x) : 0;
	dev->mmc.read_kbps = read_kbps;
	return 0;
}

/* The rated read speed for @kbps, or 0 (the fastest) for at least that. */
static u32 optsim_mmc_pick_read(u32 kbps)
{
	u32 x = optsim_mmc_rated_pick(kbps);

	return x == OPTSIM_MMC_RATED_MAX ? 0 : optsim_mmc_x_kbps(x);
}

/* kB/s of @size kB in @ms milliseconds, at most U32_MAX. */
static u32 optsim_mmc_stream_kbps(u32 size, u32 ms)
{
	return min_t(u64, div_u64((u64)size * 1000, ms), U32_MAX);
}

/**
 * optsim_mmc_set_streaming() - SET STREAMING (B6h)
 * @c: the command
 *
 * Type 00h, a performance descriptor: the write speed is Write Size over
 * Write Time, the read speed Read Size over Read Time (kB/s). The write
 * speed becomes every layer's velocity, the highest rated speed not above
 * it (the lowest when it is below all), for the whole disc whatever the
 * LBA range: the drive records at constant linear velocity. RDD restores
 * the drive's defaults (1x, reads at the fastest). A parameter list of 0
 * bytes changes nothing.
 *
 * Return: 0, 05/24/00 for another type, 02/3A/0x without a medium,
 * 05/1A/00 for a short descriptor, 05/26/00 for a bad one (reserved
 * rotation control, End LBA before Start LBA, a time of 0) or parameters
 * the model refuses.
 */
int optsim_mmc_set_streaming(struct optsim_mmc_cmd *c)
{
	const u8 *p = c->param;
	u32 read_kbps, write_kbps;

	if (c->cdb[8] != OPTSIM_STREAM_TYPE_PERFORMANCE)
		return optsim_mmc_bad_field(c);
	if (!c->param_len)
		return 0;
	if (!c->m)
		return optsim_mmc_need_medium(c);
	if (c->param_len < OPTSIM_STREAM_DESC_LEN)
		return optsim_mmc_list_length_error(c);

	/* WRC: 0 the default rotation control, 1 CAV (served as CLV). */
	if (((p[0] >> 3) & 0x03) > 1)
		return optsim_mmc_bad_param(c);
	if (p[0] & OPTSIM_STREAM_RDD)
		return optsim_mmc_apply_speed(c, 1, 0, false);
	if (get_unaligned_be32(&p[8]) < get_unaligned_be32(&p[4]) ||
	    !get_unaligned_be32(&p[16]) || !get_unaligned_be32(&p[24]))
		return optsim_mmc_bad_param(c);

	read_kbps = optsim_mmc_stream_kbps(get_unaligned_be32(&p[12]),
					   get_unaligned_be32(&p[16]));
	write_kbps = optsim_mmc_stream_kbps(get_unaligned_be32(&p[20]),
					    get_unaligned_be32(&p[24]));
	return optsim_mmc_apply_speed(c, optsim_mmc_rated_pick(write_kbps),
				      optsim_mmc_pick_read(read_kbps), true);
}

/**
 * optsim_mmc_set_cd_speed() - SET CD SPEED (BBh)
 * @c: the command
 *
 * Read and write speeds in kB/s, FFFFh for the fastest. The write speed
 * becomes every layer's velocity, as with SET STREAMING.
 *
 * Return: 0, 05/24/00 for a reserved rotational control, 02/3A/0x
 * without a medium, 05/26/00 when the model refuses the parameters.
 */
int optsim_mmc_set_cd_speed(struct optsim_mmc_cmd *c)
{
	u16 read = get_unaligned_be16(&c->cdb[2]);
	u16 write = get_unaligned_be16(&c->cdb[4]);
	u32 x;

	/* Rotational control: 0 CLV, 1 CAV (served as CLV). */
	if ((c->cdb[1] & 0x03) > 1)
		return optsim_mmc_bad_field(c);
	if (!c->m)
		return optsim_mmc_need_medium(c);
	x = write == OPTSIM_SPEED_MAX ? OPTSIM_MMC_RATED_MAX :
					optsim_mmc_rated_pick(write);
	return optsim_mmc_apply_speed(c, x, read == OPTSIM_SPEED_MAX ? 0 :
					    optsim_mmc_pick_read(read), true);
}

/* ---------------------------------------------------------------------- */
/* READ BUFFER CAPACITY */

/**
 * optsim_mmc_read_buffer_capacity() - READ BUFFER CAPACITY (5Ch)
 * @c: the command
 *
 * The buffer is the open cluster and a nominal 4 MiB. Writes record
 * synchronously, so the nominal part is always empty; only the sectors
 * held in the open cluster are in use. BLOCK 0 gives the buffer's size and
 * free bytes, BLOCK 1 its free blocks. Works without a medium.
 *
 * Return: 0.
 */
int optsim_mmc_read_buffer_capacity(struct optsim_mmc_cmd *c)
{
	u32 used = c->dev->mmc.open_sectors * OPTSIM_MMC_BLOCK;
	u32 free = OPTSIM_MMC_BUF_BYTES - used;
	u8 *r = c->reply;

	put_unaligned_be16(12 - 2, &r[0]);
	if (c->cdb[1] & 0x01) {		/* BLOCK */
		r[3] = 0x01;
		put_unaligned_be32(free / OPTSIM_MMC_BLOCK, &r[8]);
	} else {
		put_unaligned_be32(OPTSIM_MMC_BUF_BYTES, &r[4]);
		put_unaligned_be32(free, &r[8]);
	}
	c->reply_len = 12;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* READ DISC STRUCTURE */

#define OPTSIM_DS_MEDIA_DVD		0x0
#define OPTSIM_DS_MEDIA_BD		0x1

#define OPTSIM_DS_DI			0x00
#define OPTSIM_DS_SPARE			0x0a
#define OPTSIM_DS_LIST			0xff

/*
 * BD Disc Information: a 4096-byte DI block of 112-byte DI units, one per
 * layer here.
 */
#define OPTSIM_DI_BLOCK			4096
#define OPTSIM_DI_UNIT			112
/* Bytes of a unit after its first 14, as disc decoders step over units. */
#define OPTSIM_DI_UNIT_LEN		(OPTSIM_DI_UNIT - 14)
#define OPTSIM_DI_MANUFACTURER		"OPTSIM"

/* The DI unit of one layer. */
static void optsim_mmc_di_unit(const struct optsim_mmc_state *s, u32 layer,
			       u8 *u)
{
	bool rw = !s->write_once;

	u[0] = 'D';
	u[1] = 'I';
	u[2] = 0x01;			/* DI format */
	u[3] = s->layers << 3 | layer;	/* units in the block; this layer */
	u[5] = layer;			/* unit sequence number */
	u[6] = OPTSIM_DI_UNIT_LEN;
	memcpy(&u[8], rw ? "BDW" : "BDR", 3);
	/* 120 mm, class 0, format version */
	u[11] = rw ? OPTSIM_BD_RE_VERSION : OPTSIM_BD_R_VERSION;
	u[12] = s->layers << 4 | layer;	/* layers; this layer */
	u[13] = 0x01;			/* channel bit 74.5 nm: 25 GB/layer */
	memcpy(&u[100], OPTSIM_DI_MANUFACTURER, 6);
	/* Media type ID: R or W, and the layer count. */
	u[106] = rw ? 'W' : 'R';
	u[107] = '0' + s->layers;
	u[108] = 'L';
	u[111] = 1;			/* product revision */
}

/*
 * Format 00h. The Data Length covers the whole DI block; a reply buffer
 * smaller than 4 + OPTSIM_DI_BLOCK bytes leaves out the last, zero, bytes
 * of the block.
 */
static void optsim_mmc_ds_di(struct optsim_mmc_cmd *c,
			     const struct optsim_mmc_state *s)
{
	u32 layer;

	for (layer = 0; layer < s->layers; layer++)
		optsim_mmc_di_unit(s, layer,
				   &c->reply[4 + layer * OPTSIM_DI_UNIT]);
	put_unaligned_be16(2 + OPTSIM_DI_BLOCK, &c->reply[0]);
	c->reply_len = min_t(unsigned int, 4 + OPTSIM_DI_BLOCK,
			     OPTSIM_MMC_REPLY_MAX);
}

/*
 * Format 0Ah: the spare areas of a formatted BD-RE. The drive replaces no
 * cluster from them, so every allocated spare block is free.
 */
static void optsim_mmc_ds_spare(struct optsim_mmc_cmd *c,
				const struct optsim_mmc_state *s)
{
	u32 spare = min_t(u64, s->spare, U32_MAX);

	put_unaligned_be16(16 - 2, &c->reply[0]);
	put_unaligned_be32(spare, &c->reply[8]);	/* free */
	put_unaligned_be32(spare, &c->reply[12]);	/* allocated */
	c->reply_len = 16;
}

/* Format FFh: the formats above, each readable (RDS), none sendable. */
static void optsim_mmc_ds_list(struct optsim_mmc_cmd *c)
{
	static const struct {
		u8 format;
		u16 len;
	} list[] = {
		{ OPTSIM_DS_DI, 2 + OPTSIM_DI_BLOCK },
		{ OPTSIM_DS_SPARE, 16 - 2 },
		{ OPTSIM_DS_LIST, 2 + 4 * 3 },
	};
	unsigned int i;
	u8 *d;

	for (i = 0; i < ARRAY_SIZE(list); i++) {
		d = &c->reply[4 + 4 * i];
		d[0] = list[i].format;
		d[1] = 0x40;		/* RDS */
		put_unaligned_be16(list[i].len, &d[2]);
	}
	put_unaligned_be16(2 + 4 * ARRAY_SIZE(list), &c->reply[0]);
	c->reply_len = 4 + 4 * ARRAY_SIZE(list);
}

/**
 * optsim_mmc_read_disc_structure() - READ DISC STRUCTURE (ADh)
 * @c: the command
 *
 * Media type 1 (BD): format 00h, the Disc Information (one DI unit per
 * layer: "BDR" or "BDW", the layer count, manufacturer "OPTSIM"); 0Ah, the
 * spare area information; FFh, the list of these formats. Needs a medium.
 *
 * Return: 0, 02/3A/0x without a medium, 05/30/02 for media type 0 (DVD)
 * as the disc is a BD, 05/24/00 for another media type or format.
 */
int optsim_mmc_read_disc_structure(struct optsim_mmc_cmd *c)
{
	u8 media = c->cdb[1] & 0x0f;
	u8 format = c->cdb[7];
	struct optsim_mmc_state s;

	if (media != OPTSIM_DS_MEDIA_DVD && media != OPTSIM_DS_MEDIA_BD)
		return optsim_mmc_bad_field(c);
	if (!c->m)
		return optsim_mmc_need_medium(c);
	if (media == OPTSIM_DS_MEDIA_DVD)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST,
					OPTSIM_ASC_INCOMPATIBLE, 0x02);

	optsim_mmc_read_state(c, &s);
	switch (format) {
	case OPTSIM_DS_DI:
		optsim_mmc_ds_di(c, &s);
		return 0;
	case OPTSIM_DS_SPARE:
		optsim_mmc_ds_spare(c, &s);
		return 0;
	case OPTSIM_DS_LIST:
		optsim_mmc_ds_list(c);
		return 0;
	default:
		return optsim_mmc_bad_field(c);
	}
}
