// SPDX-License-Identifier: GPL-2.0
/*
 * A disc's format: whether a BD-RE is formatted, and the spare areas a
 * format sets aside at the end of the user area (a BD-R's too, when it is
 * formatted blank). FORMAT UNIT and optsimctl erase are one operation on
 * the model: optsim_format_medium().
 *
 * Spare area sizes. A 25 GB BD-RE layer (12,219,392 sectors, the default
 * layer) offers, as BD drives list them in READ FORMAT CAPACITIES (format
 * 30h, Type Dependent Parameter in clusters; e.g. dvd+rw-mediainfo output
 * of single-layer BD-RE discs: 00h/30h(3000h) 11,826,176 blocks, 30h(5000h)
 * 11,564,032, 30h(1000h) 12,088,320):
 *
 *	default		12,288 clusters (768 MiB; ISA0 + OSA0)
 *	largest		20,480 clusters (1,280 MiB)
 *	smallest	 4,096 clusters (256 MiB)
 *
 * A layer of another size gets the same fraction of itself (3.2 %, 5.4 %,
 * 1.1 %), rounded up to whole clusters and at least one cluster; a
 * dual-layer disc has spares on each layer. BD-R discs offer the same
 * sizes (format 32h).
 *
 * Certification time: a full certification writes and verifies every
 * cluster, at OPTSIM_FORMAT_CERT_SECTORS_PER_SEC; a quick certification
 * takes half that. A 50 GB dual-layer disc certifies fully in about 10 s,
 * well under the 30 s a host waits for a command.
 */
#include "optsim.h"
#include "compat.h"

#include <linux/blkdev.h>
#include <linux/math64.h>

/* Sectors per layer the reference spare sizes below are given for. */
#define OPTSIM_FORMAT_REF_LAYER_SECTORS	12219392ULL

/* Spare clusters per reference layer: default, largest, smallest. */
static const u32 optsim_spare_ref_clusters[] = {
	[OPTSIM_SPARE_DEFAULT]	= 12288,
	[OPTSIM_SPARE_MAX]	= 20480,
	[OPTSIM_SPARE_MIN]	= 4096,
};

/*
 * Sectors a full certification gets through per second (about 5 GB/s):
 * the rate of the emulated drive, for every disc.
 */
#define OPTSIM_FORMAT_CERT_SECTORS_PER_SEC	2500000U

/**
 * optsim_format_init() - give a new disc its format
 * @m: the medium
 *
 * A BD-RE comes unformatted and a BD-R unformatted (plain SRM), both
 * without spare areas: /dev/optsim sees the whole disc.
 */
void optsim_format_init(struct optsim_medium *m)
{
	memset(&m->fmt, 0, sizeof(m->fmt));
}

/**
 * optsim_format_capacity() - the user capacity of a disc
 * @m: the medium
 *
 * Return: the raw capacity less the spare areas, in sectors.
 */
u64 optsim_format_capacity(const struct optsim_medium *m)
{
	return osm_geometry_capacity(&m->geo) - m->fmt.spare_sectors;
}

/**
 * optsim_format_spare() - a spare area size the disc offers
 * @m: the medium
 * @which: the default, the largest or the smallest
 *
 * Return: sectors of spare area over all layers, a whole number of
 * clusters.
 */
u64 optsim_format_spare(const struct optsim_medium *m, enum optsim_spare which)
{
	u64 clusters;

	clusters = div64_u64(m->geo.layer_sectors *
			     optsim_spare_ref_clusters[which] +
			     OPTSIM_FORMAT_REF_LAYER_SECTORS - 1,
			     OPTSIM_FORMAT_REF_LAYER_SECTORS);
	clusters = max_t(u64, clusters, 1);
	return clusters * OPTSIM_CLUSTER_SECTORS * m->geo.layers;
}

/**
 * optsim_format_msecs() - how long a format takes on the emulated drive
 * @m: the medium
 * @cert: how it certifies the disc
 *
 * Return: milliseconds; 0 for a format without certification.
 */
unsigned int optsim_format_msecs(const struct optsim_medium *m,
				 enum optsim_cert cert)
{
	u64 ms = div_u64(osm_geometry_capacity(&m->geo) * MSEC_PER_SEC,
			 OPTSIM_FORMAT_CERT_SECTORS_PER_SEC);

	switch (cert) {
	case OPTSIM_CERT_FULL:
		return ms;
	case OPTSIM_CERT_QUICK:
		return ms / 2;
	default:
		return 0;
	}
}

/* A blank BD-R takes a format: only its spare areas change. */
static int optsim_format_bd_r(struct optsim_medium *m,
			      const struct optsim_format_req *req)
{
	int ret = 0;

	mutex_lock(&m->write_lock);
	if (!optsim_srm_blank(m)) {
		ret = -EMEDIUMTYPE;
		goto out_unlock;
	}
	if (req->spare_sectors != OPTSIM_FORMAT_KEEP_SPARES)
		m->fmt.spare_sectors = req->spare_sectors;
	m->fmt.formatted = true;
	m->fmt.type = req->type;
	m->fmt.certified = false;
	optsim_srm_init(m);
out_unlock:
	mutex_unlock(&m->write_lock);
	return ret;
}

/* A BD-RE loses its data; a certification is also an overwrite cycle. */
static void optsim_format_bd_re(struct optsim_medium *m,
				const struct optsim_format_req *req)
{
	optsim_medium_erase(m, req->cert == OPTSIM_CERT_NONE);
	mutex_lock(&m->write_lock);
	if (req->spare_sectors != OPTSIM_FORMAT_KEEP_SPARES)
		m->fmt.spare_sectors = req->spare_sectors;
	m->fmt.formatted = true;
	m->fmt.type = req->type;
	m->fmt.certified = req->cert != OPTSIM_CERT_NONE;
	optsim_srm_init(m);
	mutex_unlock(&m->write_lock);
}

/**
 * optsim_format_medium() - format the disc: FORMAT UNIT and optsimctl
 *	erase
 * @dev: the drive; the caller holds its model_lock
 * @bdev: the block device an optsim ioctl came through (its opener is
 *	allowed), or NULL for the MMC front (nobody may have /dev/optsim open)
 * @req: the format, valid for the disc (the caller checked it)
 *
 * A BD-RE forgets its contents (a certification also puts every cluster
 * through one overwrite cycle) and is formatted with the spare areas
 * asked for. A BD-R must be blank, and only its spare areas change. The
 * change is made with the queue frozen; the block device's capacity
 * follows the new user capacity, and its page cache is dropped. An erase is
 * announced to netlink listeners; when the block device's side formatted
 * the disc, the MMC front hears of it as a media change. The time a
 * certification takes is the caller's to emulate.
 *
 * Return: 0; -ENOMEDIUM; -EBUSY when someone else has /dev/optsim open or
 * mounted; -EMEDIUMTYPE for a BD-R that is not blank; -EROFS for an image
 * opened read-only.
 */
int optsim_format_medium(struct optsim_dev *dev, struct block_device *bdev,
			 const struct optsim_format_req *req)
	__must_hold(&dev->model_lock)
{
	struct block_device *bd = bdev ? bdev : dev->disk->part0;
	struct optsim_medium *m;
	sector_t before, after;
	int ret = 0;

	lockdep_assert_held(&dev->model_lock);
	mutex_lock(&dev->lock);
	m = dev->medium;
	if (!m) {
		ret = -ENOMEDIUM;
		goto out_unlock;
	}
	if (dev->open_count > (bdev ? 1 : 0)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (optsim_medium_read_only(m)) {
		ret = -EROFS;
		goto out_unlock;
	}
	sync_blockdev(bd);
	before = optsim_medium_capacity(m);
	optsim_dev_freeze(dev);
	if (m->type->write_once)
		ret = optsim_format_bd_r(m, req);
	else
		optsim_format_bd_re(m, req);
	after = optsim_medium_capacity(m);
	if (after != before)
		set_capacity(dev->disk, after);
	optsim_dev_unfreeze(dev);
	if (ret)
		goto out_unlock;
	/* Cached pages hold what was on the disc. */
	invalidate_bdev(bd);
	if (after != before)
		optsim_compat_media_changed(dev->disk);
	if (!m->type->write_once)
		optsim_events_erase(dev, req->cert == OPTSIM_CERT_NONE);
	if (bdev)
		optsim_mmc_media_event(dev, OPTSIM_MEV_MEDIA_CHANGED);
out_unlock:
	mutex_unlock(&dev->lock);
	/* An image's file gets the new format durably; the log has errors. */
	if (!ret)
		optsim_image_sync(m);
	return ret;
}
