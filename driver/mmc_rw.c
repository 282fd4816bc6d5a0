// SPDX-License-Identifier: GPL-2.0
/*
 * Reads and writes through the MMC front: READ(10/12), WRITE(10/12), WRITE
 * AND VERIFY(10), VERIFY(10) and SYNCHRONIZE CACHE, on the store that the
 * block device uses, through the same read and write path.
 *
 * A BD-R records whole ECC clusters, and a host writes sectors. As a drive
 * does, the front keeps the sectors of a cluster that is not complete yet
 * in its buffer, the open cluster, and records the cluster when the host
 * completes it, synchronises the cache, closes the track or session, or
 * the disc leaves the drive: then the rest of the cluster is padded with
 * zeros. Reads through MMC see the open cluster; /dev/optsim sees it once
 * it is recorded.
 *
 * The first write after a load or a speed change waits for OPC on the
 * layers it records, as drives do (mmc_opc.c); powers set by hand
 * (OPTSIM_IOC_SET_PARAMS) are kept as they are.
 */
#include "optsim.h"
#include "compat.h"

#include <linux/string.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_proto.h>

/* Sectors in one ECC cluster, and the largest transfer in sectors. */
#define OPTSIM_MMC_CLUSTER	OPTSIM_CLUSTER_SECTORS
#define OPTSIM_MMC_IO_SECTORS \
	(OPTSIM_MAX_HW_SECTORS * SECTOR_SIZE / OPTSIM_MMC_BLOCK)

/* The address and length of a READ, WRITE or VERIFY. */
static void optsim_mmc_rw_decode(const u8 *cdb, u64 *lba, u32 *blocks)
{
	*lba = get_unaligned_be32(&cdb[2]);
	if (cdb[0] == READ_12 || cdb[0] == WRITE_12)
		*blocks = get_unaligned_be32(&cdb[6]);
	else
		*blocks = get_unaligned_be16(&cdb[7]);
}

/* Sectors the host can read or write: the formatted or the whole area. */
static u64 optsim_mmc_user_sectors(struct optsim_medium *m)
{
	u64 n;

	mutex_lock(&m->write_lock);
	n = optsim_format_capacity(m);
	mutex_unlock(&m->write_lock);
	return n;
}

/*
 * Check a transfer's length against the buffer that carries it and the
 * drive's largest transfer, and its range against the medium.
 */
static int optsim_mmc_rw_check(struct optsim_mmc_cmd *c, u64 lba, u32 blocks)
{
	u64 bytes = (u64)blocks * OPTSIM_MMC_BLOCK;

	if (blocks > OPTSIM_MMC_IO_SECTORS || bytes > scsi_bufflen(c->scmd))
		return optsim_mmc_bad_field(c);
	if (lba + blocks > optsim_mmc_user_sectors(c->m))
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x21,
					0x00);
	return 0;
}

/* The first sector of @lba to @lba + @blocks in a cluster never recorded. */
static u64 optsim_mmc_unrecorded(struct optsim_dev *dev,
				 struct optsim_medium *m, u64 lba, u32 blocks)
{
	struct optsim_mmc *mmc = &dev->mmc;
	u64 index, first = lba / OPTSIM_MMC_CLUSTER;
	u64 last = (lba + blocks - 1) / OPTSIM_MMC_CLUSTER;

	for (index = first; index <= last; index++) {
		if (mmc->open_sectors &&
		    index == mmc->open_lba / OPTSIM_MMC_CLUSTER)
			continue;
		if (!optsim_store_recorded(m, index))
			return max(lba, index * OPTSIM_MMC_CLUSTER);
	}
	return U64_MAX;
}

/* Copy the open cluster's sectors that a read covers over what it read. */
static void optsim_mmc_read_open(struct optsim_dev *dev, u64 lba, u32 blocks,
				 u8 *buf)
{
	struct optsim_mmc *mmc = &dev->mmc;
	u64 start = max(lba, mmc->open_lba);
	u64 end = min(lba + blocks, mmc->open_lba + mmc->open_sectors);

	if (!mmc->open_sectors || start >= end)
		return;
	memcpy(buf + (start - lba) * OPTSIM_MMC_BLOCK,
	       mmc->open_buf + (start - mmc->open_lba) * OPTSIM_MMC_BLOCK,
	       (end - start) * OPTSIM_MMC_BLOCK);
}

/* The first sector of a cluster in range whose ECC corrected errors. */
static u64 optsim_mmc_corrected(struct optsim_medium *m, u64 lba, u32 blocks)
{
	u64 index, first = lba / OPTSIM_MMC_CLUSTER;
	u64 last = (lba + blocks - 1) / OPTSIM_MMC_CLUSTER;
	struct optsim_quality_rec rec;

	for (index = first; index <= last; index++) {
		optsim_store_quality(m, index, 1, &rec);
		if ((rec.flags & OPTSIM_QUALITY_F_RECORDED) && rec.ldc)
			return max(lba, index * OPTSIM_MMC_CLUSTER);
	}
	return U64_MAX;
}

/**
 * optsim_mmc_read() - READ(10) and READ(12)
 * @c: the command
 *
 * What the recording model made of each cluster decides: a cluster too
 * damaged for the ECC fails the read with 03/11/00 and its first sector in
 * the Information field, after the sectors before it are transferred, so
 * that sr completes the good part. With the PER bit of mode page 01 set, a
 * read the ECC had to correct reports 01/18/00. On a BD-R, sectors never
 * recorded cannot be read (05/21/00).
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_read(struct optsim_mmc_cmd *c)
{
	struct optsim_dev *dev = c->dev;
	struct optsim_medium *m = c->m;
	struct optsim_xfer x = { .buf = dev->mmc.io_buf };
	struct scsi_cmnd *scmd = c->scmd;
	u64 lba, bad, good, corrected;
	u32 blocks;
	int ret;

	optsim_mmc_rw_decode(c->cdb, &lba, &blocks);
	scsi_set_resid(scmd, scsi_bufflen(scmd));
	if (!blocks)
		return 0;
	if (scmd->sc_data_direction != DMA_FROM_DEVICE)
		return optsim_mmc_bad_field(c);
	ret = optsim_mmc_rw_check(c, lba, blocks);
	if (ret)
		return ret;
	if (m->type->write_once) {
		bad = optsim_mmc_unrecorded(dev, m, lba, blocks);
		if (bad != U64_MAX)
			return optsim_mmc_sense_info(c, OPTSIM_SK_ILLEGAL_REQUEST,
						     0x21, 0x00, bad);
	}

	x.pos = lba * OPTSIM_MMC_BLOCK;
	x.bytes = (u64)blocks * OPTSIM_MMC_BLOCK;
	if (optsim_io_read(dev, m, &x, &bad) != BLK_STS_OK) {
		/* Give the host the sectors before the bad cluster. */
		bad = max(lba, bad * OPTSIM_MMC_CLUSTER);
		good = bad - lba;
		if (good) {
			x.bytes = good * OPTSIM_MMC_BLOCK;
			if (optsim_store_read(m, &x, &bad) != BLK_STS_OK)
				good = 0;
		}
		if (good) {
			optsim_mmc_read_open(dev, lba, good, x.buf);
			scsi_sg_copy_from_buffer(scmd, x.buf,
						 good * OPTSIM_MMC_BLOCK);
		}
		scsi_set_resid(scmd, scsi_bufflen(scmd) -
				     good * OPTSIM_MMC_BLOCK);
		return optsim_mmc_sense_info(c, OPTSIM_SK_MEDIUM_ERROR, 0x11,
					     0x00, lba + good);
	}
	optsim_mmc_read_open(dev, lba, blocks, x.buf);
	scsi_sg_copy_from_buffer(scmd, x.buf, x.bytes);
	scsi_set_resid(scmd, scsi_bufflen(scmd) - x.bytes);
	if (dev->mmc.per) {
		corrected = optsim_mmc_corrected(m, lba, blocks);
		if (corrected != U64_MAX)
			return optsim_mmc_sense_info(c, OPTSIM_SK_RECOVERED,
						     0x18, 0x00, corrected);
	}
	return 0;
}

/* Sense for a write the store refused. */
static int optsim_mmc_refused(struct optsim_mmc_cmd *c,
			      const struct optsim_refusal *why)
{
	switch (why->reason) {
	case OPTSIM_REASON_RECORDED:
	case OPTSIM_REASON_FINALIZED:
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x21,
					0x02);
	case OPTSIM_REASON_BEYOND_END:
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x21,
					0x00);
	default:
		/* Out of memory, or the memory cap: the write failed. */
		return optsim_mmc_sense(c, OPTSIM_SK_MEDIUM_ERROR, 0x0c, 0x00);
	}
}

/* Record @blocks sectors at @lba, whole clusters, from @buf. */
static int optsim_mmc_record(struct optsim_dev *dev, struct optsim_medium *m,
			     u64 lba, u32 blocks, void *buf,
			     struct optsim_refusal *why)
{
	struct optsim_xfer x = {
		.pos	= lba * OPTSIM_MMC_BLOCK,
		.bytes	= (u64)blocks * OPTSIM_MMC_BLOCK,
		.buf	= buf,
	};
	blk_status_t sts;

	sts = optsim_io_write(dev, m, dev->mmc.stage, &x, why);

	return sts == BLK_STS_OK ? 0 : -EIO;
}

/**
 * optsim_mmc_flush_open() - record the open cluster, or drop it
 * @dev: the drive; the caller holds its model_lock
 * @m: the medium the open cluster belongs to
 * @pad: record it, padded with zeros to the cluster's end, and move the
 *	track's NWA past the padding; false drops it
 *
 * Return: 0, or -EIO when the medium refused the cluster (the data is
 * dropped then).
 */
int optsim_mmc_flush_open(struct optsim_dev *dev, struct optsim_medium *m,
			  bool pad)
	__must_hold(&dev->model_lock)
{
	struct optsim_mmc *mmc = &dev->mmc;
	u32 n = mmc->open_sectors;
	struct optsim_refusal why = {};
	int ret;

	lockdep_assert_held(&dev->model_lock);
	if (!n)
		return 0;
	mmc->open_sectors = 0;
	if (!pad)
		return 0;
	memset(mmc->open_buf + n * OPTSIM_MMC_BLOCK, 0,
	       (OPTSIM_MMC_CLUSTER - n) * OPTSIM_MMC_BLOCK);
	ret = optsim_mmc_record(dev, m, mmc->open_lba, OPTSIM_MMC_CLUSTER,
				mmc->open_buf, &why);
	if (ret)
		return ret;
	mutex_lock(&m->write_lock);
	optsim_srm_written(m, mmc->open_lba + n, OPTSIM_MMC_CLUSTER - n);
	mutex_unlock(&m->write_lock);
	return 0;
}

/* Whether a BD-R takes a write: at the NWA of an open track only. */
static int optsim_mmc_srm_check(struct optsim_mmc_cmd *c, u64 lba, u32 blocks)
{
	struct optsim_mmc *mmc = &c->dev->mmc;
	struct optsim_medium *m = c->m;
	int sense;

	mutex_lock(&m->write_lock);
	sense = optsim_srm_write_check(m, lba, blocks);
	mutex_unlock(&m->write_lock);
	if (sense)
		return optsim_mmc_sense(c, OPTSIM_SENSE_KEY(sense),
					OPTSIM_SENSE_ASC(sense),
					OPTSIM_SENSE_ASCQ(sense));
	/* The NWA is the open cluster's end, or a cluster's start. */
	if (mmc->open_sectors ? lba != mmc->open_lba + mmc->open_sectors :
				lba % OPTSIM_MMC_CLUSTER)
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x21,
					0x02);
	return 0;
}

/*
 * A BD-R records sequentially at the track's NWA, checked already
 * (optsim_mmc_srm_check()): complete the open cluster, record the whole
 * clusters, and keep the rest open.
 */
static int optsim_mmc_write_srm(struct optsim_mmc_cmd *c, u64 lba, u32 blocks)
{
	struct optsim_dev *dev = c->dev;
	struct optsim_mmc *mmc = &dev->mmc;
	struct optsim_medium *m = c->m;
	u8 *src = mmc->io_buf;
	struct optsim_refusal why = {};
	u32 n, done = 0;

	if (mmc->open_sectors) {
		n = min(blocks, OPTSIM_MMC_CLUSTER - mmc->open_sectors);
		memcpy(mmc->open_buf + mmc->open_sectors * OPTSIM_MMC_BLOCK,
		       src, n * OPTSIM_MMC_BLOCK);
		mmc->open_sectors += n;
		done = n;
		if (mmc->open_sectors == OPTSIM_MMC_CLUSTER) {
			mmc->open_sectors = 0;
			if (optsim_mmc_record(dev, m, mmc->open_lba,
					      OPTSIM_MMC_CLUSTER,
					      mmc->open_buf, &why))
				return optsim_mmc_refused(c, &why);
		}
	}
	n = rounddown(blocks - done, OPTSIM_MMC_CLUSTER);
	if (n) {
		if (optsim_mmc_record(dev, m, lba + done, n,
				      src + done * OPTSIM_MMC_BLOCK, &why))
			return optsim_mmc_refused(c, &why);
		done += n;
	}
	if (done < blocks) {
		mmc->open_lba = lba + done;
		mmc->open_sectors = blocks - done;
		memcpy(mmc->open_buf, src + done * OPTSIM_MMC_BLOCK,
		       (blocks - done) * OPTSIM_MMC_BLOCK);
	}
	mutex_lock(&m->write_lock);
	optsim_srm_written(m, lba, blocks);
	mutex_unlock(&m->write_lock);
	return 0;
}

/* The layers a write records that wait for OPC, as a bit mask. */
static u32 optsim_mmc_write_opc(struct optsim_mmc_cmd *c, u64 lba, u32 blocks)
{
	struct optsim_medium *m = c->m;
	u32 first = optsim_medium_cluster_layer(m, lba / OPTSIM_MMC_CLUSTER);
	u32 last = optsim_medium_cluster_layer(m, (lba + blocks - 1) /
					       OPTSIM_MMC_CLUSTER);

	return c->dev->mmc.opc_pending & GENMASK(last, first);
}

/* Whether the clusters a write recorded read back: WRITE AND VERIFY. */
static int optsim_mmc_write_verify(struct optsim_mmc_cmd *c, u64 lba,
				   u32 blocks)
{
	struct optsim_dev *dev = c->dev;
	struct optsim_medium *m = c->m;
	struct optsim_xfer x = {
		.pos	= lba * OPTSIM_MMC_BLOCK,
		.bytes	= (u64)blocks * OPTSIM_MMC_BLOCK,
		.buf	= dev->mmc.io_buf,
	};
	u64 bad;

	if (optsim_io_read(dev, m, &x, &bad) == BLK_STS_OK)
		return 0;
	return optsim_mmc_sense_info(c, OPTSIM_SK_MEDIUM_ERROR, 0x0c, 0x00,
				     max(lba, bad * OPTSIM_MMC_CLUSTER));
}

/**
 * optsim_mmc_write() - WRITE(10), WRITE(12) and WRITE AND VERIFY(10)
 * @c: the command
 *
 * A BD-R takes sectors at the NWA of an open track only (05/21/02 else); a
 * BD-RE anywhere in its formatted area, once formatted (05/30/10 before).
 * The write-once and finalize rules are the store's, as for /dev/optsim.
 * A write is checked before OPC runs: a refused write changes nothing. A
 * write that needs OPC first starts it and is answered 02/04/08, which the
 * host retries (optsim_mmc_opc_wait()).
 * The recording model decides how well each cluster records; a write
 * does not fail because it recorded badly, its reads do. WRITE AND VERIFY
 * reads the recorded clusters back and fails with 03/0C/00 when one does
 * not read.
 *
 * Return: 0 or -EIO with the sense set.
 */
int optsim_mmc_write(struct optsim_mmc_cmd *c)
{
	struct optsim_dev *dev = c->dev;
	struct optsim_medium *m = c->m;
	struct scsi_cmnd *scmd = c->scmd;
	struct optsim_refusal why = {};
	bool formatted;
	u64 lba, bytes;
	u32 blocks, opc;
	int ret;

	optsim_mmc_rw_decode(c->cdb, &lba, &blocks);
	if (!blocks)
		return 0;
	if (scmd->sc_data_direction != DMA_TO_DEVICE)
		return optsim_mmc_bad_field(c);
	ret = optsim_mmc_rw_check(c, lba, blocks);
	if (ret)
		return ret;
	if (!m->type->write_once) {
		mutex_lock(&m->write_lock);
		formatted = m->fmt.formatted;
		mutex_unlock(&m->write_lock);
		if (!formatted)
			return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST,
						0x30, 0x10);
	} else {
		ret = optsim_mmc_srm_check(c, lba, blocks);
		if (ret)
			return ret;
	}
	opc = optsim_mmc_write_opc(c, lba, blocks);
	if (opc)
		return optsim_mmc_opc_wait(c, opc);
	bytes = (u64)blocks * OPTSIM_MMC_BLOCK;
	if (scsi_sg_copy_to_buffer(scmd, dev->mmc.io_buf, bytes) != bytes)
		return optsim_mmc_bad_field(c);

	if (m->type->write_once)
		ret = optsim_mmc_write_srm(c, lba, blocks);
	else if (optsim_mmc_record(dev, m, lba, blocks, dev->mmc.io_buf, &why))
		ret = optsim_mmc_refused(c, &why);
	if (ret || c->cdb[0] != WRITE_VERIFY)
		return ret;
	/* Only what left the open cluster is on the disc to verify. */
	if (m->type->write_once && dev->mmc.open_sectors &&
	    dev->mmc.open_lba < lba + blocks)
		blocks = dev->mmc.open_lba > lba ? dev->mmc.open_lba - lba : 0;
	return blocks ? optsim_mmc_write_verify(c, lba, blocks) : 0;
}

/**
 * optsim_mmc_verify() - VERIFY(10), without byte compare
 * @c: the command
 *
 * Return: 0, or -EIO with 03/11/00 and the first sector of the first
 * cluster that does not read.
 */
int optsim_mmc_verify(struct optsim_mmc_cmd *c)
{
	u64 lba, bad;
	u32 blocks;

	/* BYTCHK compares with data sent: not supported. */
	if (c->cdb[1] & 0x02)
		return optsim_mmc_bad_field(c);
	optsim_mmc_rw_decode(c->cdb, &lba, &blocks);
	if (!blocks)
		return 0;
	if (lba + blocks > optsim_mmc_user_sectors(c->m))
		return optsim_mmc_sense(c, OPTSIM_SK_ILLEGAL_REQUEST, 0x21,
					0x00);
	while (blocks) {
		u32 n = min_t(u32, blocks, OPTSIM_MMC_IO_SECTORS);
		struct optsim_xfer x = {
			.pos	= lba * OPTSIM_MMC_BLOCK,
			.bytes	= (u64)n * OPTSIM_MMC_BLOCK,
			.buf	= c->dev->mmc.io_buf,
		};

		if (optsim_io_read(c->dev, c->m, &x, &bad) != BLK_STS_OK)
			return optsim_mmc_sense_info(c, OPTSIM_SK_MEDIUM_ERROR,
						     0x11, 0x00,
						     max(lba, bad *
							 OPTSIM_MMC_CLUSTER));
		lba += n;
		blocks -= n;
		cond_resched();
	}
	return 0;
}

/**
 * optsim_mmc_sync_cache() - SYNCHRONIZE CACHE
 * @c: the command
 *
 * Records the open cluster, padded: on a BD-R the track's NWA moves to the
 * next cluster. Writes are recorded before they complete otherwise; an
 * image-backed medium makes them durable in its file. IMMED changes
 * nothing.
 *
 * Return: 0, or -EIO with 03/0C/00 when the medium refused the cluster or
 * its image could not be written.
 */
int optsim_mmc_sync_cache(struct optsim_mmc_cmd *c)
{
	if (optsim_mmc_flush_open(c->dev, c->m, true) || optsim_image_sync(c->m))
		return optsim_mmc_sense(c, OPTSIM_SK_MEDIUM_ERROR, 0x0c, 0x00);
	return 0;
}
