// SPDX-License-Identifier: GPL-2.0
/*
 * The MMC commands that describe and lay out the disc: READ CAPACITY,
 * READ TOC, READ DISC INFORMATION, READ TRACK INFORMATION, RESERVE TRACK,
 * CLOSE TRACK/SESSION, READ FORMAT CAPACITIES and FORMAT UNIT. They answer
 * from, and change, the medium's track table (srm.c) and format
 * (format.c).
 *
 * Choices where MMC leaves room:
 *  - READ TOC answers formats 0 and 1 (also asked for the legacy way, in
 *    CDB byte 9), fabricated from the track table with ADR/CTL 14h: the
 *    tracks of the closed sessions and the tracks of the open session that
 *    hold data or are closed. MSF addresses are LBA + 150 converted, and
 *    saturate at 255:59:74 (a BD is larger than MSF can say). A disc with
 *    no such track (blank, or an unformatted BD-RE) answers 05/24/00.
 *  - Track Mode is 4 (data) and Data Mode 1 for every track; Packet and FP
 *    are 0; Damage and Copy are never set.
 *  - A BD-RE shows one track in one complete session: track 1, from 0
 *    over the user capacity, NWA 0 (NWA_V set). CLOSE TRACK/SESSION has
 *    nothing to close on it and changes nothing.
 *  - RESERVE TRACK takes a size (ARSV = 0); ARSV = 1 is 05/24/00.
 *  - FORMAT UNIT ignores the Type Dependent Parameter: the number of
 *    blocks alone sets the spare areas, which must lie between the
 *    smallest and the largest READ FORMAT CAPACITIES offers, or keep the
 *    current format's size. Nobody may have /dev/optsim open meanwhile
 *    (else 05/2C/00).
 */
#include "optsim.h"
#include "compat.h"

#include <linux/delay.h>

/* How long closing takes on the emulated drive, in milliseconds. */
#define OPTSIM_CLOSE_TRACK_MSECS	50
#define OPTSIM_CLOSE_SESSION_MSECS	300
#define OPTSIM_FINALIZE_MSECS		1000

/* Track Information Block: 48 bytes (MMC-6). */
#define OPTSIM_TRACK_INFO_LEN		48
/* Disc Information Block, standard type, without OPC tables: 34 bytes. */
#define OPTSIM_DISC_INFO_LEN		34

/* ADR 1 (Q sub-channel: position), CONTROL 4 (data track). */
#define OPTSIM_TOC_ADR_CTL		0x14
#define OPTSIM_TOC_LEADOUT		0xaa

/* Format descriptor types (READ FORMAT CAPACITIES, FORMAT UNIT). */
#define OPTSIM_FMT_FULL			0x00
#define OPTSIM_FMT_BD_RE_SPARE		0x30
#define OPTSIM_FMT_BD_RE_NO_SPARE	0x31
#define OPTSIM_FMT_BD_R_SPARE		0x32

/* READ FORMAT CAPACITIES, current descriptor type. */
#define OPTSIM_CAP_UNFORMATTED		0x01
#define OPTSIM_CAP_FORMATTED		0x02
#define OPTSIM_CAP_NO_MEDIUM		0x03

/* FORMAT UNIT parameter list header, byte 1. */
#define OPTSIM_FMT_FOV			0x80
#define OPTSIM_FMT_DCRT			0x20
#define OPTSIM_FMT_IMMED		0x02

static int optsim_mmc_packed(struct optsim_mmc_cmd *c, int sense)
{
	return optsim_mmc_sense(c, OPTSIM_SENSE_KEY(sense),
				OPTSIM_SENSE_ASC(sense),
				OPTSIM_SENSE_ASCQ(sense));
}

static int optsim_mmc_bad_param(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x26, 0x00);
}

static int optsim_mmc_sequence(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x2c, 0x00);
}

/* Long operations: in the background with IMMED, else here and now. */
static void optsim_mmc_take_time(struct optsim_mmc_cmd *c,
				 enum optsim_mmc_busy busy, unsigned int msecs,
				 bool immed)
{
	if (!msecs)
		return;
	if (immed)
		optsim_mmc_start_busy(c, busy, msecs);
	else
		msleep(msecs);
}

/**
 * optsim_mmc_read_capacity() - READ CAPACITY (10)
 * @c: the command
 *
 * A BD-R gives its last recorded sector, 0 when it is blank, as a
 * sequential disc does; a BD-RE the last sector of its user capacity
 * (formatted or, before a format, raw). Blocks are 2048 bytes.
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_read_capacity(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	u64 last;

	/* RelAdr and PMI are obsolete: the LBA must be 0. */
	if ((c->cdb[1] & 0x01) || (c->cdb[8] & 0x01) ||
	    get_unaligned_be32(&c->cdb[2]))
		return optsim_mmc_bad_field(c);

	mutex_lock(&m->write_lock);
	if (m->type->write_once) {
		last = optsim_srm_recorded_end(m);
		last = last ? last - 1 : 0;
	} else {
		last = optsim_format_capacity(m) - 1;
	}
	mutex_unlock(&m->write_lock);

	put_unaligned_be32(min_t(u64, last, U32_MAX), &c->reply[0]);
	put_unaligned_be32(OPTSIM_MMC_BLOCK, &c->reply[4]);
	c->reply_len = 8;
	return 0;
}

/* A TOC address: an LBA, or LBA + 150 as MSF (saturating). */
static void optsim_toc_addr(u8 *p, u64 lba, bool msf)
{
	u32 a, min;

	if (!msf) {
		put_unaligned_be32(lba, p);
		return;
	}
	a = lba + 150;
	min = a / (60 * 75);
	p[0] = 0;
	if (min > 255) {
		p[1] = 255;
		p[2] = 59;
		p[3] = 74;
		return;
	}
	p[1] = min;
	p[2] = (a / 75) % 60;
	p[3] = a % 75;
}

/* One TOC descriptor, 8 bytes. */
static void optsim_toc_entry(u8 *p, u8 track, u64 lba, bool msf)
{
	p[1] = OPTSIM_TOC_ADR_CTL;
	p[2] = track;
	optsim_toc_addr(&p[4], lba, msf);
}

/*
 * The tracks READ TOC lists: 1 to the last one that holds data or is
 * closed (or, on a BD-RE, its one track once formatted). Sets the start
 * of the lead-out. Return: that last track, 0 for none.
 */
static u32 optsim_toc_tracks(const struct optsim_medium *m, u64 *leadout)
{
	const struct optsim_track *t;
	u32 n;

	if (!m->type->write_once) {
		*leadout = optsim_format_capacity(m);
		return m->fmt.formatted ? 1 : 0;
	}
	for (n = m->srm.nr_tracks; n > 0; n--) {
		t = &m->srm.track[n - 1];
		if (t->closed) {
			*leadout = t->end;
			return n;
		}
		if (optsim_srm_data_end(m, n) > t->start) {
			*leadout = optsim_srm_data_end(m, n);
			return n;
		}
	}
	return 0;
}

/* The last session READ TOC format 1 reports, and its first track. */
static u32 optsim_toc_last_session(const struct optsim_medium *m, u32 *first)
{
	u32 s;

	if (!m->type->write_once) {
		*first = 1;
		return 1;
	}
	/* The last complete session; session 1 while none is complete. */
	s = m->srm.closed_sessions ? m->srm.closed_sessions : 1;
	*first = optsim_srm_session_first(m, s);
	return s;
}

/**
 * optsim_mmc_read_toc() - READ TOC/PMA/ATIP, formats 0 (TOC) and 1
 *	(session information)
 * @c: the command
 *
 * Format 1 names the first track of the last complete session, where a
 * multi-session file system's last session starts (isofs, growisofs -M).
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_read_toc(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	bool msf = c->cdb[1] & 0x02;
	u8 format = c->cdb[2] & 0x0f;
	u8 from = c->cdb[6];
	u8 *r = c->reply;
	u32 last, n, s, first;
	u64 leadout = 0;
	unsigned int len;
	int ret = 0;

	/* Format 0 may come the old way, in the vendor bits of byte 9. */
	if (!format)
		format = c->cdb[9] >> 6;
	if (format > 1)
		return optsim_mmc_bad_field(c);

	mutex_lock(&m->write_lock);
	last = optsim_toc_tracks(m, &leadout);
	if (!last) {
		ret = optsim_mmc_bad_field(c);
		goto out_unlock;
	}
	if (format == 1) {
		s = optsim_toc_last_session(m, &first);
		r[2] = 1;
		r[3] = s;
		optsim_toc_entry(&r[4], first, m->type->write_once ?
				 m->srm.track[first - 1].start : 0, msf);
		len = 12;
		goto out_len;
	}

	if (!from)
		from = 1;
	if (from != OPTSIM_TOC_LEADOUT && from > last) {
		ret = optsim_mmc_bad_field(c);
		goto out_unlock;
	}
	r[2] = 1;
	r[3] = last;
	len = 4;
	for (n = from; from != OPTSIM_TOC_LEADOUT && n <= last; n++) {
		optsim_toc_entry(&r[len], n, m->type->write_once ?
				 m->srm.track[n - 1].start : 0, msf);
		len += 8;
	}
	optsim_toc_entry(&r[len], OPTSIM_TOC_LEADOUT, leadout, msf);
	len += 8;
out_len:
	put_unaligned_be16(len - 2, &r[0]);
	c->reply_len = len;
out_unlock:
	mutex_unlock(&m->write_lock);
	return ret;
}

/**
 * optsim_mmc_read_disc_info() - READ DISC INFORMATION, standard data
 * @c: the command
 *
 * Disc status: a BD-R is blank (00b), appendable (01b) or complete (10b,
 * finalized); a BD-RE is blank until formatted, then "others" (11b), the
 * status of a random-access disc. The session count includes the open
 * session, empty or not. The lead-in and lead-out fields carry LBAs: the
 * start of the open session and the end of the user area (FFFFFFFFh on a
 * finalized disc).
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_read_disc_info(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	u32 sessions = 1, first = 1, last = 1;
	u64 leadin = 0, leadout;
	u8 status, state;
	u8 *r = c->reply;

	/* Data types other than 000b: track or POW resources. */
	if (c->cdb[1] & 0x07)
		return optsim_mmc_bad_field(c);

	mutex_lock(&m->write_lock);
	leadout = optsim_format_capacity(m);
	if (!m->type->write_once) {
		status = m->fmt.formatted ? 3 : 0;
		state = m->fmt.formatted ? 3 : 0;
	} else if (m->finalized) {
		status = 2;
		state = 3;
		sessions = optsim_srm_sessions(m);
		first = optsim_srm_session_first(m, sessions);
		last = optsim_srm_session_last(m, sessions);
		leadin = U32_MAX;
		leadout = U32_MAX;
	} else {
		sessions = optsim_srm_sessions(m);
		first = optsim_srm_session_first(m, sessions);
		last = optsim_srm_session_last(m, sessions);
		leadin = m->srm.track[first - 1].start;
		status = optsim_srm_blank(m) ? 0 : 1;
		state = optsim_srm_session_empty(m, sessions) ? 0 : 1;
	}
	mutex_unlock(&m->write_lock);

	put_unaligned_be16(OPTSIM_DISC_INFO_LEN - 2, &r[0]);
	r[2] = (m->type->write_once ? 0 : 0x10) | state << 2 | status;
	r[3] = 1;			/* first track on the disc */
	r[4] = sessions;
	r[5] = first;
	r[6] = last;
	r[9] = sessions >> 8;
	r[10] = first >> 8;
	r[11] = last >> 8;
	put_unaligned_be32(leadin, &r[16]);
	put_unaligned_be32(min_t(u64, leadout, U32_MAX), &r[20]);
	c->reply_len = OPTSIM_DISC_INFO_LEN;
	return 0;
}

/* READ TRACK INFORMATION for a BD-RE: its one track. */
static int optsim_track_info_bd_re(struct optsim_mmc_cmd *c, u8 type,
				   u32 addr)
{
	struct optsim_medium *m = c->m;
	u64 cap = optsim_format_capacity(m);
	u8 *r = c->reply;

	if ((type == 0 && addr >= cap) || (type && addr != 1))
		return optsim_mmc_bad_field(c);
	r[2] = 1;
	r[3] = 1;
	r[5] = 4;
	r[6] = 1;
	r[7] = 0x01;			/* NWA_V */
	put_unaligned_be32(0, &r[12]);
	put_unaligned_be32(min_t(u64, cap, U32_MAX), &r[16]);
	put_unaligned_be32(min_t(u64, cap, U32_MAX), &r[24]);
	return 0;
}

/* READ TRACK INFORMATION for a BD-R's track @n. */
static void optsim_track_info_bd_r(struct optsim_mmc_cmd *c, u32 n)
{
	struct optsim_medium *m = c->m;
	const struct optsim_track *t = &m->srm.track[n - 1];
	bool open = !t->closed && !m->finalized;
	u64 nwa = optsim_srm_nwa(m, n);
	u64 data_end = optsim_srm_data_end(m, n);
	bool blank = open && nwa == t->start && data_end == t->start;
	u8 *r = c->reply;

	r[2] = n;
	r[3] = t->session;
	r[5] = 4;			/* Track Mode: data */
	r[6] = (open && t->reserved ? 0x80 : 0) | (blank ? 0x40 : 0) | 1;
	if (data_end > t->start)
		r[7] |= 0x02;		/* LRA_V */
	if (open && nwa < t->end)
		r[7] |= 0x01;		/* NWA_V */
	put_unaligned_be32(t->start, &r[8]);
	if (r[7] & 0x01) {
		put_unaligned_be32(nwa, &r[12]);
		put_unaligned_be32(t->end - nwa, &r[16]);
	}
	put_unaligned_be32(t->end - t->start, &r[24]);
	if (r[7] & 0x02)
		put_unaligned_be32(data_end - 1, &r[28]);
	r[32] = n >> 8;
	r[33] = t->session >> 8;
}

/**
 * optsim_mmc_read_track_info() - READ TRACK INFORMATION
 * @c: the command
 *
 * Addressed by LBA (00b), track number (01b; FFh is the invisible track)
 * or session number (10b: its first track).
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_read_track_info(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	u8 type = c->cdb[1] & 0x03;
	u32 addr = get_unaligned_be32(&c->cdb[2]);
	u32 n = 0;
	int ret = 0;

	/* Address type 11b, and the Open bit (DVD+R), are not for a BD. */
	if (type == 3 || (c->cdb[1] & 0xfc))
		return optsim_mmc_bad_field(c);

	mutex_lock(&m->write_lock);
	if (!m->type->write_once) {
		ret = optsim_track_info_bd_re(c, type, addr);
		goto out_unlock;
	}
	switch (type) {
	case 0:
		n = optsim_srm_track_at(m, addr);
		break;
	case 1:
		if (addr == 0xff)
			n = optsim_srm_invisible(m);
		else if (addr && addr <= m->srm.nr_tracks)
			n = addr;
		break;
	case 2:
		if (addr && addr <= optsim_srm_sessions(m))
			n = optsim_srm_session_first(m, addr);
		break;
	}
	if (!n) {
		ret = optsim_mmc_bad_field(c);
		goto out_unlock;
	}
	optsim_track_info_bd_r(c, n);
out_unlock:
	mutex_unlock(&m->write_lock);
	if (ret)
		return ret;
	put_unaligned_be16(OPTSIM_TRACK_INFO_LEN - 2, &c->reply[0]);
	c->reply_len = OPTSIM_TRACK_INFO_LEN;
	return 0;
}

/**
 * optsim_mmc_reserve_track() - RESERVE TRACK
 * @c: the command
 *
 * Splits a track of the given size (CDB bytes 5-8, in blocks, rounded up
 * to whole clusters) off the front of the BD-R's blank invisible track.
 *
 * Return: 0 or -EIO with the sense set: 05/24/00 for ARSV or a size of 0,
 * 05/2C/00 on a BD-RE or when the invisible track holds data or there is
 * none, 05/72/05 when the table is full or the track does not fit.
 */
int optsim_mmc_reserve_track(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	u32 size = get_unaligned_be32(&c->cdb[5]);
	int sense;

	/* ARSV (reserve up to an address) and the reserved bytes. */
	if (c->cdb[1] || c->cdb[2] || c->cdb[3] || c->cdb[4] || !size)
		return optsim_mmc_bad_field(c);
	if (!m->type->write_once)
		return optsim_mmc_sequence(c);

	mutex_lock(&m->write_lock);
	sense = optsim_srm_reserve(m, size);
	mutex_unlock(&m->write_lock);
	return sense ? optsim_mmc_packed(c, sense) : 0;
}

/**
 * optsim_mmc_close_track() - CLOSE TRACK/SESSION
 * @c: the command
 *
 * Close functions 001b (a track), 010b (the session: the disc stays
 * appendable) and 110b (finalize; 101b, finalize with minimum radius, is
 * the same on a BD). Closing what is closed or empty changes nothing; a
 * blank disc cannot be finalized (05/2C/00), nor anything closed on a
 * finalized one. With IMMED the command returns at once and the drive
 * reports 02/04/07 while it closes.
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_close_track(struct optsim_mmc_cmd *c)
{
	static const unsigned int msecs[] = {
		[OPTSIM_SRM_CLOSE_TRACK]	= OPTSIM_CLOSE_TRACK_MSECS,
		[OPTSIM_SRM_CLOSE_SESSION]	= OPTSIM_CLOSE_SESSION_MSECS,
		[OPTSIM_SRM_CLOSE_DISC]		= OPTSIM_FINALIZE_MSECS,
	};
	struct optsim_medium *m = c->m;
	bool immed = c->cdb[1] & 0x01;
	u32 track = get_unaligned_be16(&c->cdb[4]);
	enum optsim_srm_close what;
	int ret = 0, sense;

	if ((c->cdb[1] & 0xfe) || (c->cdb[2] & 0xf8))
		return optsim_mmc_bad_field(c);
	switch (c->cdb[2] & 0x07) {
	case 1:
		what = OPTSIM_SRM_CLOSE_TRACK;
		break;
	case 2:
		what = OPTSIM_SRM_CLOSE_SESSION;
		break;
	case 5:
	case 6:
		what = OPTSIM_SRM_CLOSE_DISC;
		break;
	default:
		return optsim_mmc_bad_field(c);
	}
	/* A BD-RE has no tracks or sessions to close. */
	if (!m->type->write_once)
		return 0;

	mutex_lock(&m->write_lock);
	if (m->finalized ||
	    (what == OPTSIM_SRM_CLOSE_DISC && optsim_srm_blank(m)))
		ret = -EPERM;
	else if (what == OPTSIM_SRM_CLOSE_TRACK && track == 0xff)
		track = optsim_srm_invisible(m);
	mutex_unlock(&m->write_lock);
	if (ret)
		return optsim_mmc_sequence(c);
	if (what == OPTSIM_SRM_CLOSE_TRACK && !track)
		return optsim_mmc_bad_field(c);

	sense = optsim_srm_close(c->dev, NULL, what, track);
	if (sense)
		return optsim_mmc_packed(c, sense);
	optsim_mmc_take_time(c, OPTSIM_MMC_CLOSING, msecs[what], immed);
	return 0;
}

/* One format descriptor, 8 bytes. */
static void optsim_fmt_descr(u8 *p, u64 blocks, u8 type, u32 tdp)
{
	put_unaligned_be32(min_t(u64, blocks, U32_MAX), p);
	p[4] = type;
	p[5] = tdp >> 16;
	p[6] = tdp >> 8;
	p[7] = tdp;
}

/* A descriptor offering @spare sectors of spare area: TDP in clusters. */
static void optsim_fmt_spare_descr(u8 *p, const struct optsim_medium *m,
				   u8 type, u64 spare)
{
	optsim_fmt_descr(p, osm_geometry_capacity(&m->geo) - spare, type << 2,
			 min_t(u64, spare / OPTSIM_CLUSTER_SECTORS, 0xffffff));
}

/**
 * optsim_mmc_read_format_capacities() - READ FORMAT CAPACITIES
 * @c: the command
 *
 * The current capacity (unformatted: the raw size; formatted: the user
 * capacity; no medium), then what the disc can be formatted to: a BD-RE
 * 00h (the current format's size, or the default), 30h with the default,
 * the largest and the smallest spare areas, 31h (no spares); a blank BD-R
 * 00h and 32h likewise. A BD-R with data lists nothing to format.
 *
 * Return: 0.
 */
int optsim_mmc_read_format_capacities(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	u8 *r = c->reply;
	unsigned int len = 12;
	u64 raw, cap, spare;
	u8 spare_type;

	if (!m) {
		/* The largest disc the drive takes: a dual-layer one. */
		optsim_fmt_descr(&r[4], 2 * OPTSIM_LAYER_SECTORS_DEFAULT,
				 OPTSIM_CAP_NO_MEDIUM, OPTSIM_MMC_BLOCK);
		r[3] = 8;
		c->reply_len = len;
		return 0;
	}

	mutex_lock(&m->write_lock);
	raw = osm_geometry_capacity(&m->geo);
	cap = optsim_format_capacity(m);
	if (!m->fmt.formatted && (!m->type->write_once || optsim_srm_blank(m)))
		optsim_fmt_descr(&r[4], raw, OPTSIM_CAP_UNFORMATTED,
				 OPTSIM_MMC_BLOCK);
	else
		optsim_fmt_descr(&r[4], cap, OPTSIM_CAP_FORMATTED,
				 OPTSIM_MMC_BLOCK);
	if (m->type->write_once && !optsim_srm_blank(m))
		goto out_unlock;

	spare_type = m->type->write_once ? OPTSIM_FMT_BD_R_SPARE :
					   OPTSIM_FMT_BD_RE_SPARE;
	spare = m->fmt.formatted ? m->fmt.spare_sectors :
		optsim_format_spare(m, OPTSIM_SPARE_DEFAULT);
	optsim_fmt_spare_descr(&r[len], m, OPTSIM_FMT_FULL, spare);
	len += 8;
	optsim_fmt_spare_descr(&r[len], m, spare_type,
			       optsim_format_spare(m, OPTSIM_SPARE_DEFAULT));
	len += 8;
	optsim_fmt_spare_descr(&r[len], m, spare_type,
			       optsim_format_spare(m, OPTSIM_SPARE_MAX));
	len += 8;
	optsim_fmt_spare_descr(&r[len], m, spare_type,
			       optsim_format_spare(m, OPTSIM_SPARE_MIN));
	len += 8;
	if (!m->type->write_once) {
		/* No spares; the parameter is the block length. */
		optsim_fmt_descr(&r[len], raw, OPTSIM_FMT_BD_RE_NO_SPARE << 2,
				 OPTSIM_MMC_BLOCK);
		len += 8;
	}
out_unlock:
	mutex_unlock(&m->write_lock);
	r[3] = len - 4;
	c->reply_len = len;
	return 0;
}

/*
 * The spare areas a format to @blocks user blocks sets aside: between the
 * smallest and the largest offered, or the current ones when @blocks is
 * the current format's size. Return: 0, or -EINVAL.
 */
static int optsim_fmt_spare_for(const struct optsim_medium *m, u32 blocks,
				u64 *spare)
{
	u64 raw = osm_geometry_capacity(&m->geo);

	if (!blocks || blocks > raw)
		return -EINVAL;
	if (m->fmt.formatted && blocks == optsim_format_capacity(m)) {
		*spare = m->fmt.spare_sectors;
		return 0;
	}
	*spare = round_up(raw - blocks, OPTSIM_CLUSTER_SECTORS);
	if (*spare < optsim_format_spare(m, OPTSIM_SPARE_MIN) ||
	    *spare > optsim_format_spare(m, OPTSIM_SPARE_MAX))
		return -EINVAL;
	return 0;
}

/* Check a BD-RE format descriptor and say what it asks for. */
static int optsim_fmt_bd_re(const struct optsim_medium *m, u32 blocks,
			    u8 type, u8 sub, struct optsim_format_req *req)
{
	static const u8 cert[] = {
		OPTSIM_CERT_NONE, OPTSIM_CERT_NONE, OPTSIM_CERT_FULL,
		OPTSIM_CERT_QUICK,
	};

	req->type = type;
	req->cert = cert[sub];
	switch (type) {
	case OPTSIM_FMT_FULL:
	case OPTSIM_FMT_BD_RE_SPARE:
		/* Subtype 01b is for the no-spare format only. */
		if (sub == 1)
			return -EINVAL;
		return optsim_fmt_spare_for(m, blocks, &req->spare_sectors);
	case OPTSIM_FMT_BD_RE_NO_SPARE:
		if (!blocks || blocks > osm_geometry_capacity(&m->geo))
			return -EINVAL;
		req->spare_sectors = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Check a blank BD-R's format descriptor (SRM, with spares). */
static int optsim_fmt_bd_r(const struct optsim_medium *m, u32 blocks,
			   u8 type, u8 sub, struct optsim_format_req *req)
{
	/* Subtypes: 00b SRM+POW (taken as SRM: POW is not offered), 01b SRM. */
	if ((type != OPTSIM_FMT_FULL && type != OPTSIM_FMT_BD_R_SPARE) ||
	    sub > 1)
		return -EINVAL;
	req->type = type;
	req->cert = OPTSIM_CERT_NONE;
	return optsim_fmt_spare_for(m, blocks, &req->spare_sectors);
}

/**
 * optsim_mmc_format_unit() - FORMAT UNIT
 * @c: the command
 *
 * CDB byte 1 must be 11h (FmtData, format code 001b; CmpList is ignored).
 * The parameter list holds a header (FOV, DCRT and IMMED are the flags
 * taken) and one 8-byte format descriptor. A BD-RE is formatted: quick
 * (00h, 30h, 31h subtypes 00b/01b) or with quick or full certification
 * (subtypes 11b, 10b), which count as an overwrite cycle and take time in
 * proportion to the disc's size. A blank BD-R takes 00h or 32h, subtype
 * 00b or 01b (SRM): only its spare areas change; RRM (10b) is not
 * emulated. Everything is checked before anything changes. With IMMED the
 * command returns at once and the drive reports 02/04/04 with progress
 * until the format is done; without, it returns when done.
 *
 * Return: 0 or -EIO with the sense set: 05/24/00 for the CDB, 05/1A/00
 * for a short list, 05/26/00 for a bad header or descriptor, 05/30/06 for
 * a BD-R that is not blank, 05/2C/00 while /dev/optsim is open.
 */
int optsim_mmc_format_unit(struct optsim_mmc_cmd *c)
{
	struct optsim_medium *m = c->m;
	const u8 *p = c->param;
	struct optsim_format_req req = {};
	u8 flags, type, sub;
	u32 blocks;
	int ret;

	if ((c->cdb[1] & 0x17) != 0x11)
		return optsim_mmc_bad_field(c);
	if (c->param_len < 12)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x1a, 0x00);
	flags = p[1];
	if ((flags & ~(OPTSIM_FMT_FOV | OPTSIM_FMT_DCRT | OPTSIM_FMT_IMMED)) ||
	    ((flags & OPTSIM_FMT_DCRT) && !(flags & OPTSIM_FMT_FOV)) ||
	    get_unaligned_be16(&p[2]) != 8)
		return optsim_mmc_bad_param(c);
	blocks = get_unaligned_be32(&p[4]);
	type = p[8] >> 2;
	sub = p[8] & 0x03;

	mutex_lock(&m->write_lock);
	if (!m->type->write_once)
		ret = optsim_fmt_bd_re(m, blocks, type, sub, &req);
	else if (!optsim_srm_blank(m))
		ret = -EMEDIUMTYPE;
	else
		ret = optsim_fmt_bd_r(m, blocks, type, sub, &req);
	mutex_unlock(&m->write_lock);
	if (ret == -EMEDIUMTYPE)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x30, 0x06);
	if (ret)
		return optsim_mmc_bad_param(c);

	ret = optsim_format_medium(c->dev, NULL, &req);
	if (ret == -EMEDIUMTYPE)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x30, 0x06);
	if (ret == -EROFS)
		return optsim_mmc_sense(c, OPTSIM_SK_DATA_PROTECT, 0x27, 0x00);
	if (ret)
		return optsim_mmc_sequence(c);
	optsim_mmc_take_time(c, OPTSIM_MMC_FORMATTING,
			     optsim_format_msecs(m, req.cert),
			     flags & OPTSIM_FMT_IMMED);
	return 0;
}
