// SPDX-License-Identifier: GPL-2.0
/*
 * The MMC front's core: decoding a command, the checks every command goes
 * through (unit attention, long operation in progress, medium present,
 * data direction and lengths), the sense, and the drive-level commands:
 * TEST UNIT READY, REQUEST SENSE, START STOP UNIT, PREVENT ALLOW MEDIUM
 * REMOVAL and GET EVENT STATUS NOTIFICATION. The tray and the media
 * events it keeps are shared with the block device's side.
 */
#include "optsim.h"
#include "compat.h"

#include <linux/cdrom.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_common.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>

/* What a command needs and moves; optsim_mmc_op.flags. */
#define OPTSIM_MMC_F_MEDIUM	BIT(0)	/* a medium: 02/3A/0x without */
#define OPTSIM_MMC_F_IN		BIT(1)	/* a reply in c->reply */
#define OPTSIM_MMC_F_OUT	BIT(2)	/* a parameter list in c->param */
#define OPTSIM_MMC_F_NO_UA	BIT(3)	/* runs past a pending unit attention */
#define OPTSIM_MMC_F_BUSY_OK	BIT(4)	/* runs during a long operation */
#define OPTSIM_MMC_F_DATA	BIT(5)	/* the handler moves its own data */
#define OPTSIM_MMC_F_FLUSH	BIT(6)	/* the open cluster is closed first */

/**
 * struct optsim_mmc_op - how one opcode is answered
 * @fn: the handler
 * @cdb_len: the command's length
 * @flags: OPTSIM_MMC_F_*
 * @len_off: offset in the CDB of the allocation length (data in) or the
 *	parameter list length (data out); 0 when the command has none and
 *	the transfer buffer's length counts
 * @len_size: its size in bytes, 1 or 2
 */
struct optsim_mmc_op {
	optsim_mmc_handler fn;
	u8 cdb_len;
	u8 flags;
	u8 len_off;
	u8 len_size;
};

/* Bytes of fixed-format sense data the front builds. */
#define OPTSIM_SENSE_LEN	18

/**
 * optsim_mmc_sense() - end the command with CHECK CONDITION
 * @c: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Return: -EIO, for the handler to return.
 */
int optsim_mmc_sense(struct optsim_mmc_cmd *c, u8 key, u8 asc, u8 ascq)
{
	c->key = key;
	c->asc = asc;
	c->ascq = ascq;
	c->failed = true;
	return -EIO;
}

/**
 * optsim_mmc_sense_info() - end the command with CHECK CONDITION and an
 *	Information field (VALID set), e.g. the LBA a read failed at
 * @c: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 * @info: the Information field
 *
 * Return: -EIO.
 */
int optsim_mmc_sense_info(struct optsim_mmc_cmd *c, u8 key, u8 asc, u8 ascq,
			  u32 info)
{
	c->info_valid = true;
	c->info = info;
	return optsim_mmc_sense(c, key, asc, ascq);
}

/**
 * optsim_mmc_bad_field() - end the command with INVALID FIELD IN CDB
 * @c: the command
 *
 * Return: -EIO.
 */
int optsim_mmc_bad_field(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x24, 0x00);
}

/**
 * optsim_mmc_need_medium() - end the command with MEDIUM NOT PRESENT
 * @c: the command
 *
 * Return: -EIO.
 */
int optsim_mmc_need_medium(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_NOT_READY, 0x3a,
				c->dev->mmc.tray_open ? 0x02 : 0x01);
}

/**
 * optsim_mmc_profile() - the MMC profile a medium is read and written as
 * @m: the medium, or NULL
 *
 * A finalized BD-R keeps the BD-R profile, as drives report it: its disc
 * status (READ DISC INFORMATION) says it is complete.
 *
 * Return: OPTSIM_PROFILE_*.
 */
u32 optsim_mmc_profile(const struct optsim_medium *m)
{
	if (!m)
		return OPTSIM_PROFILE_NONE;
	return m->type->write_once ? OPTSIM_PROFILE_BD_R_SRM :
				     OPTSIM_PROFILE_BD_RE;
}

/* The long operation in progress, ending it when its time is up. */
static enum optsim_mmc_busy optsim_mmc_busy_now(struct optsim_dev *dev)
{
	struct optsim_mmc *mmc = &dev->mmc;

	if (mmc->busy == OPTSIM_MMC_CALIBRATING) {
		/* An OPC for a disc that left (or was recalibrated) is moot. */
		if (!mmc->opc_running || mmc->opc_job.gen != mmc->opc_gen)
			mmc->busy = OPTSIM_MMC_IDLE;
	} else if (mmc->busy != OPTSIM_MMC_IDLE &&
		   time_after_eq(jiffies, mmc->busy_end)) {
		mmc->busy = OPTSIM_MMC_IDLE;
	}
	return mmc->busy;
}

/**
 * optsim_mmc_start_busy() - mark a long operation as running
 * @c: the command that started it
 * @busy: what it is
 * @msecs: how long it lasts
 *
 * Until it ends, TEST UNIT READY and REQUEST SENSE report it with its
 * progress, and commands that need the medium wait for it (NOT READY).
 * The operation's effect is in place already; only the time is emulated.
 */
void optsim_mmc_start_busy(struct optsim_mmc_cmd *c, enum optsim_mmc_busy busy,
			   unsigned int msecs)
{
	struct optsim_mmc *mmc = &c->dev->mmc;

	if (!msecs)
		return;
	mmc->busy = busy;
	mmc->busy_start = jiffies;
	mmc->busy_end = jiffies + msecs_to_jiffies(msecs);
}

/**
 * optsim_mmc_busy_sense() - NOT READY because of the long operation in
 *	progress
 * @c: the command
 *
 * The progress goes in the sense key specific bytes, as a fraction of
 * 65536 of the operation's span; an operation that outlasts its estimate
 * (OPC) stays just short of done.
 *
 * Return: -EIO, with the sense set.
 */
int optsim_mmc_busy_sense(struct optsim_mmc_cmd *c)
{
	struct optsim_mmc *mmc = &c->dev->mmc;
	unsigned long span = mmc->busy_end - mmc->busy_start;
	unsigned long done = jiffies - mmc->busy_start;
	static const u8 ascq[] = {
		[OPTSIM_MMC_FORMATTING]	= 0x04,
		[OPTSIM_MMC_CLOSING]	= 0x07,
		[OPTSIM_MMC_SYNCING]	= 0x08,
		[OPTSIM_MMC_CALIBRATING] = 0x08,
	};

	c->progress_valid = true;
	c->progress = span ? min_t(u64, (u64)done * 65536 / span, 65279) : 0;
	return optsim_mmc_sense(c, OPTSIM_SK_NOT_READY, 0x04, ascq[mmc->busy]);
}

/*
 * The media-independent state a command sees first: a pending unit
 * attention is reported (and consumed) before anything else.
 */
static bool optsim_mmc_take_ua(struct optsim_mmc_cmd *c)
{
	struct optsim_mmc *mmc = &c->dev->mmc;
	bool reset, ua;

	spin_lock_irq(&mmc->evlock);
	reset = mmc->reset_pending;
	ua = mmc->ua_pending;
	mmc->reset_pending = false;
	if (!reset)
		mmc->ua_pending = false;
	spin_unlock_irq(&mmc->evlock);
	if (reset)
		optsim_mmc_sense(c, OPTSIM_SK_UNIT_ATTENTION, 0x29, 0x00);
	else if (ua)
		optsim_mmc_sense(c, OPTSIM_SK_UNIT_ATTENTION, 0x28, 0x00);
	return reset || ua;
}

/**
 * optsim_mmc_media_event() - tell the MMC side that the medium changed
 * @dev: the drive
 * @ev: what happened
 *
 * Called from both fronts. A disc that arrives, or changes in place, also
 * raises a unit attention 06/28/00 (not ready to ready); a disc that goes
 * makes the drive not ready (02/3A/0x). Either way TEST UNIT READY agrees
 * with GET EVENT STATUS NOTIFICATION, as sr checks. sr and udev hear of
 * it at once through a media change event on the LUN.
 */
void optsim_mmc_media_event(struct optsim_dev *dev,
			    enum optsim_mmc_media_event ev)
{
	struct optsim_mmc *mmc = &dev->mmc;
	unsigned long flags;

	spin_lock_irqsave(&mmc->evlock, flags);
	mmc->event = ev;
	if (ev == OPTSIM_MEV_NEW_MEDIA || ev == OPTSIM_MEV_MEDIA_CHANGED)
		mmc->ua_pending = true;
	else if (ev == OPTSIM_MEV_MEDIA_REMOVAL)
		mmc->ua_pending = false;
	spin_unlock_irqrestore(&mmc->evlock, flags);
	/* The LUN is added and removed under model_lock. */
	if (mmc->sdev && ev != OPTSIM_MEV_EJECT_REQUEST &&
	    ev != OPTSIM_MEV_SESSION_CLOSED)
		sdev_evt_send_simple(mmc->sdev, SDEV_EVT_MEDIA_CHANGE,
				     GFP_NOIO);
}

/**
 * optsim_mmc_reset() - a reset reached the drive's LUN
 * @dev: the drive
 *
 * The next command reports it as a unit attention 06/29/00.
 */
void optsim_mmc_reset(struct optsim_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->mmc.evlock, flags);
	dev->mmc.reset_pending = true;
	spin_unlock_irqrestore(&dev->mmc.evlock, flags);
}

/**
 * optsim_mmc_tray() - open or close a drive's tray
 * @dev: the drive; the caller holds its model_lock
 * @open: open it (eject) or close it (load what lies in it)
 * @opens: opens of the block device the caller itself holds (1 for an
 *	ioctl on /dev/optsim, 0 for the MMC front)
 *
 * An open tray takes the disc out of the drive but keeps it: closing the
 * tray puts the same disc back. Both fronts see the change: the block
 * device's capacity, uevent and netlink notification, and the MMC unit
 * attention and media event. The open cluster is recorded (padded) first.
 *
 * Return: 0; -EBUSY when the medium is locked in (PREVENT MEDIUM REMOVAL)
 * or someone else has the block device open or mounted.
 */
int optsim_mmc_tray(struct optsim_dev *dev, bool open, unsigned int opens)
	__must_hold(&dev->model_lock)
{
	struct optsim_mmc *mmc = &dev->mmc;
	struct optsim_medium *m;
	int ret = 0;

	lockdep_assert_held(&dev->model_lock);
	if (open == mmc->tray_open)
		return 0;
	if (!open) {
		m = mmc->tray_medium;
		mmc->tray_medium = NULL;
		mmc->tray_open = false;
		if (m) {
			mutex_lock(&dev->lock);
			optsim_dev_replace_medium(dev, m);
			mutex_unlock(&dev->lock);
		}
		return 0;
	}

	if (mmc->prevent)
		return -EBUSY;
	mutex_lock(&dev->lock);
	if (dev->open_count > opens) {
		ret = -EBUSY;
		goto out_unlock;
	}
	m = dev->medium;
	if (m)
		optsim_mmc_flush_open(dev, m, true);
	m = optsim_dev_replace_medium(dev, NULL);
	mmc->tray_open = true;
	mmc->tray_medium = m;
out_unlock:
	mutex_unlock(&dev->lock);
	return ret;
}

/* TEST UNIT READY */
static int optsim_mmc_tur(struct optsim_mmc_cmd *c)
{
	if (optsim_mmc_busy_now(c->dev))
		return optsim_mmc_busy_sense(c);
	if (!c->m)
		return optsim_mmc_need_medium(c);
	return 0;
}

/* REQUEST SENSE: the drive's state now, with the progress of a long job. */
static int optsim_mmc_request_sense(struct optsim_mmc_cmd *c)
{
	struct optsim_mmc_cmd s = { .dev = c->dev, .m = c->m };
	u8 *r = c->reply;

	if (c->cdb[1] & 0x01)	/* DESC: descriptor format not supported */
		return optsim_mmc_bad_field(c);
	if (!optsim_mmc_take_ua(&s) && optsim_mmc_tur(&s) == 0)
		optsim_mmc_sense(&s, OPTSIM_SK_NO_SENSE, 0, 0);
	r[0] = 0x70;
	r[2] = s.key;
	r[7] = OPTSIM_SENSE_LEN - 8;
	r[12] = s.asc;
	r[13] = s.ascq;
	if (s.progress_valid) {
		r[15] = 0x80;
		put_unaligned_be16(s.progress, &r[16]);
	}
	c->reply_len = OPTSIM_SENSE_LEN;
	return 0;
}

/* START STOP UNIT: LoEj with Start loads, without it ejects. */
static int optsim_mmc_start_stop(struct optsim_mmc_cmd *c)
{
	u8 power = c->cdb[4] >> 4;
	bool loej = c->cdb[4] & 0x02;
	bool start = c->cdb[4] & 0x01;
	int ret;

	/* A power condition, or no LoEj: nothing moves. */
	if (power || !loej)
		return 0;
	if (start && optsim_mmc_busy_now(c->dev))
		return optsim_mmc_busy_sense(c);
	ret = optsim_mmc_tray(c->dev, !start, 0);
	if (ret == -EBUSY)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x53,
					0x02);
	return 0;
}

/* PREVENT ALLOW MEDIUM REMOVAL */
static int optsim_mmc_prevent(struct optsim_mmc_cmd *c)
{
	/* Persistent prevent (bit 1) is for changers. */
	if (c->cdb[4] & 0x02)
		return optsim_mmc_bad_field(c);
	c->dev->mmc.prevent = c->cdb[4] & 0x01;
	return 0;
}

/* GET EVENT STATUS NOTIFICATION: polled, media class only. */
static int optsim_mmc_gesn(struct optsim_mmc_cmd *c)
{
	struct optsim_mmc *mmc = &c->dev->mmc;
	u8 *r = c->reply;
	u8 ev;

	if (!(c->cdb[1] & 0x01))	/* asynchronous notification */
		return optsim_mmc_bad_field(c);
	r[3] = 0x10;			/* supported: media class */
	if (!(c->cdb[4] & 0x10)) {
		/* No class asked for that the drive has: NEA. */
		r[1] = 2;
		r[2] = 0x80;
		c->reply_len = 4;
		return 0;
	}
	spin_lock_irq(&mmc->evlock);
	ev = mmc->event;
	mmc->event = OPTSIM_MEV_NONE;
	spin_unlock_irq(&mmc->evlock);
	/* A change in place reads as new media, which sr acts on. */
	if (ev == OPTSIM_MEV_MEDIA_CHANGED || ev == OPTSIM_MEV_SESSION_CLOSED)
		ev = OPTSIM_MEV_NEW_MEDIA;
	r[1] = 6;
	r[2] = 0x04;			/* media class */
	r[4] = ev;
	r[5] = (mmc->tray_open ? 0x01 : 0) | (c->m ? 0x02 : 0);
	c->reply_len = 8;
	return 0;
}

/* SEND OPC INFORMATION: the drive calibrates before its next write. */
static int optsim_mmc_send_opc(struct optsim_mmc_cmd *c)
{
	optsim_mmc_opc_need(c->dev, BIT(c->m->geo.layers) - 1);
	return 0;
}

/* BLANK: CD-RW and DVD-RW only; a BD-RE is formatted instead. */
static int optsim_mmc_blank(struct optsim_mmc_cmd *c)
{
	return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x30, 0x06);
}

#define OP(code, handler, len, fl, off, size) \
	[code] = { .fn = (handler), .cdb_len = (len), .flags = (fl), \
		   .len_off = (off), .len_size = (size) }
#define F_MEDIUM	OPTSIM_MMC_F_MEDIUM
#define F_IN		OPTSIM_MMC_F_IN
#define F_OUT		OPTSIM_MMC_F_OUT
#define F_NO_UA		OPTSIM_MMC_F_NO_UA
#define F_BUSY_OK	OPTSIM_MMC_F_BUSY_OK
#define F_DATA		OPTSIM_MMC_F_DATA
#define F_FLUSH		OPTSIM_MMC_F_FLUSH

/* The commands the drive answers; every other opcode is 05/20/00. */
static const struct optsim_mmc_op optsim_mmc_ops[256] = {
	OP(FORMAT_UNIT, optsim_mmc_format_unit, 6, F_MEDIUM | F_OUT | F_FLUSH,
	   0, 0),
	OP(INQUIRY, optsim_mmc_inquiry, 6, F_IN | F_NO_UA | F_BUSY_OK, 3, 2),
	OP(MODE_SELECT, optsim_mmc_mode_select, 6, F_OUT | F_BUSY_OK, 4, 1),
	OP(MODE_SENSE, optsim_mmc_mode_sense, 6, F_IN | F_BUSY_OK, 4, 1),
	OP(GPCMD_READ_FORMAT_CAPACITIES, optsim_mmc_read_format_capacities, 10,
	   F_IN | F_BUSY_OK, 7, 2),
	OP(READ_CAPACITY, optsim_mmc_read_capacity, 10, F_IN | F_MEDIUM, 0, 0),
	OP(READ_TOC, optsim_mmc_read_toc, 10, F_IN | F_MEDIUM, 7, 2),
	OP(GPCMD_GET_CONFIGURATION, optsim_mmc_get_configuration, 10,
	   F_IN | F_NO_UA | F_BUSY_OK, 7, 2),
	OP(GPCMD_READ_DISC_INFO, optsim_mmc_read_disc_info, 10,
	   F_IN | F_MEDIUM, 7, 2),
	OP(GPCMD_READ_TRACK_RZONE_INFO, optsim_mmc_read_track_info, 10,
	   F_IN | F_MEDIUM, 7, 2),
	OP(GPCMD_RESERVE_RZONE_TRACK, optsim_mmc_reserve_track, 10,
	   F_MEDIUM | F_FLUSH, 0, 0),
	OP(MODE_SELECT_10, optsim_mmc_mode_select, 10, F_OUT | F_BUSY_OK, 7, 2),
	OP(GPCMD_CLOSE_TRACK, optsim_mmc_close_track, 10, F_MEDIUM | F_FLUSH,
	   0, 0),
	OP(GPCMD_READ_BUFFER_CAPACITY, optsim_mmc_read_buffer_capacity, 10,
	   F_IN | F_BUSY_OK, 7, 2),
	OP(MODE_SENSE_10, optsim_mmc_mode_sense, 10, F_IN | F_BUSY_OK, 7, 2),
	OP(GPCMD_GET_PERFORMANCE, optsim_mmc_get_performance, 12,
	   F_IN | F_BUSY_OK, 0, 0),
	OP(GPCMD_READ_DVD_STRUCTURE, optsim_mmc_read_disc_structure, 12,
	   F_IN, 8, 2),
	OP(GPCMD_SET_STREAMING, optsim_mmc_set_streaming, 12, F_OUT | F_MEDIUM,
	   9, 2),
	OP(GPCMD_SET_SPEED, optsim_mmc_set_cd_speed, 12, F_MEDIUM, 0, 0),
	OP(TEST_UNIT_READY, optsim_mmc_tur, 6, F_BUSY_OK, 0, 0),
	OP(REQUEST_SENSE, optsim_mmc_request_sense, 6,
	   F_IN | F_NO_UA | F_BUSY_OK, 4, 1),
	OP(START_STOP, optsim_mmc_start_stop, 6, F_BUSY_OK, 0, 0),
	OP(ALLOW_MEDIUM_REMOVAL, optsim_mmc_prevent, 6, F_BUSY_OK, 0, 0),
	OP(READ_10, optsim_mmc_read, 10, F_MEDIUM | F_DATA, 0, 0),
	OP(WRITE_10, optsim_mmc_write, 10, F_MEDIUM | F_DATA, 0, 0),
	OP(WRITE_VERIFY, optsim_mmc_write, 10, F_MEDIUM | F_DATA, 0, 0),
	OP(VERIFY, optsim_mmc_verify, 10, F_MEDIUM, 0, 0),
	OP(SYNCHRONIZE_CACHE, optsim_mmc_sync_cache, 10, F_MEDIUM, 0, 0),
	OP(GPCMD_GET_EVENT_STATUS_NOTIFICATION, optsim_mmc_gesn, 10,
	   F_IN | F_NO_UA | F_BUSY_OK, 7, 2),
	OP(GPCMD_SEND_OPC, optsim_mmc_send_opc, 10, F_MEDIUM, 0, 0),
	OP(GPCMD_BLANK, optsim_mmc_blank, 12, F_MEDIUM, 0, 0),
	OP(READ_12, optsim_mmc_read, 12, F_MEDIUM | F_DATA, 0, 0),
	OP(WRITE_12, optsim_mmc_write, 12, F_MEDIUM | F_DATA, 0, 0),
};

/* The length field of the CDB, or the buffer's length when it has none. */
static unsigned int optsim_mmc_cdb_len(const struct optsim_mmc_op *op,
				       const u8 *cdb, unsigned int bufflen)
{
	if (!op->len_off)
		return bufflen;
	if (op->len_size == 1)
		return cdb[op->len_off];
	return get_unaligned_be16(&cdb[op->len_off]);
}

/* Check what every command goes through, then run its handler. */
static void optsim_mmc_run(struct optsim_mmc_cmd *c,
			   const struct optsim_mmc_op *op)
{
	struct scsi_cmnd *scmd = c->scmd;
	unsigned int bufflen = scsi_bufflen(scmd);
	enum dma_data_direction dir = scmd->sc_data_direction;
	unsigned int len;

	if (!op->fn) {
		optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x20, 0x00);
		return;
	}
	if (c->cdb_len < op->cdb_len) {
		optsim_mmc_bad_field(c);
		return;
	}
	/* A reply does not go into a buffer meant to be read from. */
	if (bufflen && (((op->flags & OPTSIM_MMC_F_IN) &&
			 dir != DMA_FROM_DEVICE) ||
			((op->flags & OPTSIM_MMC_F_OUT) &&
			 dir != DMA_TO_DEVICE))) {
		optsim_mmc_bad_field(c);
		return;
	}
	if (!(op->flags & OPTSIM_MMC_F_NO_UA) && optsim_mmc_take_ua(c))
		return;
	if (!(op->flags & OPTSIM_MMC_F_BUSY_OK) &&
	    optsim_mmc_busy_now(c->dev)) {
		optsim_mmc_busy_sense(c);
		return;
	}
	if ((op->flags & OPTSIM_MMC_F_MEDIUM) && !c->m) {
		optsim_mmc_need_medium(c);
		return;
	}
	if (op->flags & OPTSIM_MMC_F_OUT) {
		len = optsim_mmc_cdb_len(op, c->cdb, bufflen);
		if (len > bufflen) {
			optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x1a, 0);
			return;
		}
		if (len > OPTSIM_MMC_PARAM_MAX) {
			optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x26, 0);
			return;
		}
		c->param_len = scsi_sg_copy_to_buffer(scmd, c->dev->mmc.param_buf,
						      len);
		c->param = c->dev->mmc.param_buf;
		if (c->param_len != len) {
			optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x1a, 0);
			return;
		}
	}
	if ((op->flags & OPTSIM_MMC_F_FLUSH) &&
	    optsim_mmc_flush_open(c->dev, c->m, true)) {
		optsim_mmc_sense(c, OPTSIM_SK_MEDIUM_ERROR, 0x0c, 0x00);
		return;
	}
	if (op->fn(c) || !(op->flags & OPTSIM_MMC_F_IN))
		return;

	len = min3(c->reply_len, optsim_mmc_cdb_len(op, c->cdb, bufflen),
		   bufflen);
	len = min_t(unsigned int, len, OPTSIM_MMC_REPLY_MAX);
	scsi_sg_copy_from_buffer(scmd, c->reply, len);
	scsi_set_resid(scmd, bufflen - len);
}

/**
 * optsim_mmc_queuecommand() - answer one command
 * @dev: the drive
 * @scmd: the command; its result, sense and residual are set on return,
 *	for the caller to complete it
 *
 * Runs in process context, one command of a drive at a time, holding the
 * drive's model_lock throughout.
 */
void optsim_mmc_queuecommand(struct optsim_dev *dev, struct scsi_cmnd *scmd)
{
	const struct optsim_mmc_op *op = &optsim_mmc_ops[scmd->cmnd[0]];
	struct optsim_mmc_cmd c = {
		.dev		= dev,
		.scmd		= scmd,
		.cdb		= scmd->cmnd,
		.cdb_len	= scmd->cmd_len,
	};
	u8 *sense = scmd->sense_buffer;

	mutex_lock(&dev->model_lock);
	c.m = READ_ONCE(dev->medium);
	c.reply = dev->mmc.reply_buf;
	memset(c.reply, 0, OPTSIM_MMC_REPLY_MAX);
	scsi_set_resid(scmd, 0);
	optsim_mmc_run(&c, op);
	mutex_unlock(&dev->model_lock);

	if (!c.failed) {
		scmd->result = SAM_STAT_GOOD;
		/* Commands without a reply move nothing back. */
		if (!(op->flags & (OPTSIM_MMC_F_IN | OPTSIM_MMC_F_DATA)) &&
		    scmd->sc_data_direction == DMA_FROM_DEVICE)
			scsi_set_resid(scmd, scsi_bufflen(scmd));
		return;
	}
	if (!(op->flags & OPTSIM_MMC_F_DATA))
		scsi_set_resid(scmd, scsi_bufflen(scmd));
	scsi_build_sense(scmd, 0, c.key, c.asc, c.ascq);
	if (c.info_valid)
		scsi_set_sense_information(sense, SCSI_SENSE_BUFFERSIZE, c.info);
	if (c.progress_valid) {
		sense[15] = 0x80;
		put_unaligned_be16(c.progress, &sense[16]);
	}
}
