// SPDX-License-Identifier: GPL-2.0
/*
 * The drives: the registry of emulated drives, each drive's block device,
 * its open/release/ioctl entry points, and the changes of medium and of
 * write parameters that the ioctls and netlink share.
 *
 * Drive 0 is /dev/optsim and drive N is /dev/optsimN, after the way udev
 * names a machine's optical drives cdrom, cdrom1, cdrom2...
 */
#include "optsim.h"
#include "compat.h"

#include <linux/blkdev.h>
#include <linux/slab.h>

/*
 * optsim_devs_mutex protects optsim_devs, the index -> struct optsim_dev
 * registry, and keeps every drive it holds alive: a drive is removed only
 * with the mutex held, so whoever holds it may use any drive it finds.
 * Taken before a drive's model_lock and lock.
 */
static DEFINE_MUTEX(optsim_devs_mutex);
static DEFINE_XARRAY(optsim_devs);
/* The module is going away: no more drives. Protected by the mutex. */
static bool optsim_devs_closed;
static int optsim_major;

/**
 * optsim_devs_lock() - take the registry of drives
 */
void optsim_devs_lock(void)
{
	mutex_lock(&optsim_devs_mutex);
}

/**
 * optsim_devs_unlock() - release the registry of drives
 */
void optsim_devs_unlock(void)
{
	mutex_unlock(&optsim_devs_mutex);
}

/**
 * optsim_dev_lookup() - find a drive by its index
 * @index: the index
 *
 * The caller holds the registry (optsim_devs_lock()).
 *
 * Return: the drive, or NULL.
 */
struct optsim_dev *optsim_dev_lookup(u32 index)
{
	lockdep_assert_held(&optsim_devs_mutex);
	return xa_load(&optsim_devs, index);
}

/**
 * optsim_dev_next() - the drive with the lowest index at or above *@index
 * @index: where to start; set to the index of the drive found
 *
 * The caller holds the registry (optsim_devs_lock()).
 *
 * Return: the drive, or NULL when there is none.
 */
struct optsim_dev *optsim_dev_next(u32 *index)
{
	unsigned long i = *index;
	struct optsim_dev *dev;

	lockdep_assert_held(&optsim_devs_mutex);
	dev = xa_find(&optsim_devs, &i, OPTSIM_MAX_DEVICES - 1, XA_PRESENT);
	if (dev)
		*index = i;
	return dev;
}

/**
 * optsim_open() - count an opener of the block device
 * @disk: the disk
 *
 * Return: 0, or -ENXIO when the drive is being removed.
 */
int optsim_open(struct gendisk *disk)
{
	struct optsim_dev *dev = disk->private_data;
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->removing)
		ret = -ENXIO;
	else
		dev->open_count++;
	mutex_unlock(&dev->lock);
	return ret;
}

/**
 * optsim_release() - forget an opener of the block device
 * @disk: the disk
 */
void optsim_release(struct gendisk *disk)
{
	struct optsim_dev *dev = disk->private_data;

	mutex_lock(&dev->lock);
	dev->open_count--;
	mutex_unlock(&dev->lock);
}

/**
 * optsim_bdev_ioctl() - block device ioctl entry point
 * @bdev: the block device
 * @cmd: the request
 * @arg: its argument, a user pointer
 *
 * Return: see optsim_ioctl().
 */
int optsim_bdev_ioctl(struct block_device *bdev, unsigned int cmd,
		      unsigned long arg)
{
	return optsim_ioctl(bdev->bd_disk->private_data, bdev, cmd,
			    (void __user *)arg);
}

static const struct block_device_operations optsim_fops = {
	.owner		= THIS_MODULE,
	.open		= optsim_compat_open,
	.release	= optsim_compat_release,
	.ioctl		= optsim_compat_ioctl,
	.compat_ioctl	= blkdev_compat_ptr_ioctl,
};

/**
 * optsim_dev_replace_medium() - put another medium into the drive
 * @dev: the drive
 * @m: the new medium, or NULL to leave the drive empty
 *
 * The caller holds both the drive's model_lock and its lock. Records the
 * MMC front's open cluster on the old medium, waits for requests in flight
 * on it, swaps the media, and announces the change: new capacity, uevent
 * DISK_MEDIA_CHANGE=1, page cache dropped, a netlink load or eject
 * notification, and the MMC front's unit attention and media event. A new
 * medium closes the tray; a disc left in the open tray is given back with
 * the old medium, and the new one is calibrated (OPC) before its first
 * write through MMC.
 *
 * Return: the old medium (or the disc that lay in the open tray), for the
 * caller to destroy or keep.
 */
struct optsim_medium *optsim_dev_replace_medium(struct optsim_dev *dev,
						struct optsim_medium *m)
	__must_hold(&dev->lock)
{
	struct optsim_medium *old;

	lockdep_assert_held(&dev->model_lock);
	lockdep_assert_held(&dev->lock);
	if (dev->medium)
		optsim_mmc_flush_open(dev, dev->medium, true);
	if (m && dev->mmc.tray_open) {
		old = dev->mmc.tray_medium;
		dev->mmc.tray_medium = NULL;
		dev->mmc.tray_open = false;
		/* The disc in the tray goes; the drive was empty. */
		if (old) {
			WARN_ON_ONCE(dev->medium);
			dev->medium = old;
		}
	}
	blk_mq_freeze_queue(dev->disk->queue);
	old = dev->medium;
	WRITE_ONCE(dev->medium, m);
	set_capacity(dev->disk, optsim_medium_capacity(m));
	blk_mq_unfreeze_queue(dev->disk->queue);
	optsim_compat_media_changed(dev->disk);
	optsim_events_medium(dev, m ? OPTSIM_CMD_LOAD_NTF :
				      OPTSIM_CMD_EJECT_NTF);
	optsim_mmc_opc_need(dev, m ? BIT(m->geo.layers) - 1 : 0);
	optsim_mmc_media_event(dev, m ? OPTSIM_MEV_NEW_MEDIA :
					OPTSIM_MEV_MEDIA_REMOVAL);
	return old;
}

/**
 * optsim_dev_freeze() - wait for requests in flight and hold new ones
 * @dev: the drive
 */
void optsim_dev_freeze(struct optsim_dev *dev)
{
	blk_mq_freeze_queue(dev->disk->queue);
}

/**
 * optsim_dev_unfreeze() - let requests through again
 * @dev: the drive
 */
void optsim_dev_unfreeze(struct optsim_dev *dev)
{
	blk_mq_unfreeze_queue(dev->disk->queue);
}

/**
 * optsim_dev_load() - put the medium a load request describes into a drive
 * @dev: the drive
 * @bdev: its block device
 * @req: the request, as OPTSIM_IOC_LOAD takes it: a new blank medium in
 *	memory (@media, @layer_sectors), or with OPTSIM_LOAD_F_IMAGE the
 *	medium the image file open as @image_fd in the calling task holds
 * @opens: opens of the drive the caller itself holds (1 for an ioctl, 0
 *	for netlink): any other open makes the load fail
 * @why: set to a message saying what is wrong on failure
 *
 * The request is checked and the medium made before the drive changes: a
 * refused load leaves the old medium in place. Buffered writes are written
 * to the old medium first.
 *
 * Return: 0; -EINVAL (a bad request); -EBUSY (the drive is open elsewhere
 * or mounted, or the image is loaded already); -EINTR (a signal came while
 * waiting for model_lock; nothing changed); the errors of
 * optsim_image_load() and optsim_medium_create().
 */
int optsim_dev_load(struct optsim_dev *dev, struct block_device *bdev,
		    const struct optsim_load *req, unsigned int opens,
		    const char **why)
{
	const struct optsim_media_type *type;
	struct optsim_medium *m;
	int ret = 0;

	*why = "a bad load request";
	if (req->reserved0 || req->reserved ||
	    (req->flags & ~OPTSIM_LOAD_F_IMAGE))
		return -EINVAL;
	if (req->flags & OPTSIM_LOAD_F_IMAGE) {
		/* The image says what the medium is. */
		if (req->media || req->layer_sectors)
			return -EINVAL;
		m = optsim_image_load(dev, req->image_fd, why);
		if (IS_ERR(m)) {
			pr_warn("image refused: %s (%ld)\n", *why, PTR_ERR(m));
			return PTR_ERR(m);
		}
	} else {
		if (req->image_fd)
			return -EINVAL;
		type = optsim_media_type_get(req->media);
		if (!type) {
			*why = "unknown media type";
			return -EINVAL;
		}
		m = optsim_medium_create(dev, type, req->layer_sectors ?
					 req->layer_sectors :
					 optsim_layer_sectors_default());
		if (IS_ERR(m)) {
			*why = "the medium cannot be made";
			return PTR_ERR(m);
		}
	}

	/* A long OPC may hold model_lock: a signal ends the wait (EINTR). */
	if (mutex_lock_interruptible(&dev->model_lock)) {
		*why = "interrupted while waiting for the drive";
		optsim_medium_destroy(m);
		return -EINTR;
	}
	mutex_lock(&dev->lock);
	if (dev->open_count > opens) {
		*why = "the drive is open elsewhere, or mounted";
		ret = -EBUSY;
	} else {
		/* Buffered writes still in the page cache belong to the old disc. */
		sync_blockdev(bdev);
		m = optsim_dev_replace_medium(dev, m);
	}
	mutex_unlock(&dev->lock);
	mutex_unlock(&dev->model_lock);
	/* The old medium, or the new one refused. */
	optsim_medium_destroy(m);
	return ret;
}

/**
 * optsim_dev_set_params_locked() - change the write parameters of some
 *	layers
 * @dev: the drive; the caller holds its model_lock
 * @p: per layer, the new parameters; only the layers in @layers are used
 * @layers: bit mask of the layers to change, or OPTSIM_LAYERS_ALL
 * @why: set to a message saying what is wrong when the change is refused
 *
 * Validates every layer and compiles its model before it changes any, so
 * a refused change changes nothing. Announces the change to netlink.
 *
 * Return: 0, -ENOMEDIUM, -EINVAL or -ENOMEM.
 */
int optsim_dev_set_params_locked(struct optsim_dev *dev,
				 const struct optsim_params p[OPTSIM_MAX_LAYERS],
				 u32 layers, const char **why)
	__must_hold(&dev->model_lock)
{
	struct optsim_table *tabs[OPTSIM_MAX_LAYERS];
	struct optsim_medium *m;
	u32 layer;
	int ret;

	lockdep_assert_held(&dev->model_lock);
	/* The medium stays in the drive while model_lock is held. */
	mutex_lock(&dev->lock);
	m = dev->medium;
	mutex_unlock(&dev->lock);
	if (!m) {
		*why = "the drive is empty";
		return -ENOMEDIUM;
	}
	/* Compiling takes a while: not under dev->lock, which opens need. */
	ret = optsim_params_prepare(m, p, layers, tabs, why);
	if (ret)
		return ret;
	mutex_lock(&dev->lock);
	for (layer = 0; layer < m->geo.layers; layer++)
		if (tabs[layer])
			optsim_params_commit(m, layer, &p[layer], tabs[layer]);
	mutex_unlock(&dev->lock);
	/* Powers set by hand are used as they are: no OPC overrides them. */
	optsim_mmc_opc_done(dev, layers);
	optsim_events_params(dev, layers);
	return 0;
}

/**
 * optsim_dev_set_params() - change the write parameters of some layers
 * @dev: the drive
 * @p: per layer, the new parameters; only the layers in @layers are used
 * @layers: bit mask of the layers to change, or OPTSIM_LAYERS_ALL
 * @why: set to a message saying what is wrong when the change is refused
 *
 * See optsim_dev_set_params_locked(). Waits for the model_lock
 * interruptibly: an OPC may hold it for seconds.
 *
 * Return: 0, -ENOMEDIUM, -EINVAL, -ENOMEM, or -EINTR when a signal came
 * while waiting.
 */
int optsim_dev_set_params(struct optsim_dev *dev,
			  const struct optsim_params p[OPTSIM_MAX_LAYERS],
			  u32 layers, const char **why)
{
	int ret;

	if (mutex_lock_interruptible(&dev->model_lock)) {
		*why = "interrupted while waiting for the drive";
		return -EINTR;
	}
	ret = optsim_dev_set_params_locked(dev, p, layers, why);
	mutex_unlock(&dev->model_lock);
	return ret;
}

/**
 * optsim_dev_opc_apply_locked() - apply the powers OPC found
 * @dev: the drive; the caller holds its model_lock
 * @m: the drive's medium
 * @req: in: the layer (or OPTSIM_LAYER_ALL) for the events; out: per layer
 *	the power, jitter, steps and window found
 * @res: per layer, the ladder's result
 * @layers: the layers calibrated, as a bit mask
 * @answer: called with the answer before anything changes, or NULL; an
 *	error it returns cancels the change
 * @ctx: passed to @answer
 *
 * Every layer is validated and compiled before any changes, so a failure
 * changes nothing. The bias goes with the power at the layer's ratio, as
 * the ladder tested it; a layer in current mode takes the current found,
 * its powers unchanged. A laser layer keeps the strategy tables OPC tuned
 * (struct optsim_tune): it records with them now, and at any other power
 * set later for the same velocity and strategy. Clears the layers'
 * pending implicit OPC.
 *
 * Return: 0, -EINVAL, -ENOMEM, or an error of @answer.
 */
int optsim_dev_opc_apply_locked(struct optsim_dev *dev,
				struct optsim_medium *m, struct optsim_opc *req,
				const struct osm_opc_result *res, u32 layers,
				optsim_opc_answer_fn answer, void *ctx)
	__must_hold(&dev->model_lock)
{
	struct optsim_table *tabs[OPTSIM_MAX_LAYERS] = {};
	struct optsim_tune tune[OPTSIM_MAX_LAYERS] = {};
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	const char *why;
	u32 layer;
	int ret;

	lockdep_assert_held(&dev->model_lock);
	memset(req->power, 0, sizeof(req->power));
	memset(req->jitter, 0, sizeof(req->jitter));
	memset(req->steps, 0, sizeof(req->steps));
	memset(req->current_ua, 0, sizeof(req->current_ua));
	memset(req->window_lo, 0, sizeof(req->window_lo));
	memset(req->window_hi, 0, sizeof(req->window_hi));
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!(layers & BIT(layer)))
			continue;
		p[layer] = m->params[layer];
		p[layer].write_power = res[layer].power_uw;
		p[layer].bias_power = res[layer].bias_uw;
		if (p[layer].mode == OPTSIM_MODE_CURRENT)
			p[layer].current_ua = res[layer].current_ua;
		ret = optsim_params_validate(m, &p[layer], &why);
		if (ret)
			goto out_put;
		if (p[layer].mode == OPTSIM_MODE_LASER &&
		    res[layer].tune.tune_uw) {
			tune[layer].velocity = p[layer].velocity;
			tune[layer].strategy = p[layer].strategy;
			tune[layer].t = res[layer].tune;
		}
		tabs[layer] = optsim_table_get(m, &p[layer], layer,
					       tune[layer].velocity ?
					       &tune[layer] : NULL);
		if (IS_ERR(tabs[layer])) {
			ret = PTR_ERR(tabs[layer]);
			tabs[layer] = NULL;
			goto out_put;
		}
		req->power[layer] = res[layer].power_uw;
		req->jitter[layer] =
			(u32)(((u64)res[layer].jitter_q16 * 10000) >> 16);
		req->steps[layer] = res[layer].steps;
		if (p[layer].mode == OPTSIM_MODE_CURRENT) {
			req->current_ua[layer] = res[layer].current_ua;
			req->window_lo[layer] = res[layer].window_lo_ua;
			req->window_hi[layer] = res[layer].window_hi_ua;
		} else {
			req->window_lo[layer] = res[layer].window_lo_uw;
			req->window_hi[layer] = res[layer].window_hi_uw;
		}
	}
	if (answer) {
		ret = answer(ctx, req);
		if (ret)
			goto out_put;
	}
	mutex_lock(&dev->lock);
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!tabs[layer])
			continue;
		optsim_params_commit(m, layer, &p[layer], tabs[layer]);
		if (tune[layer].velocity)
			m->tune[layer] = tune[layer];
	}
	mutex_unlock(&dev->lock);
	for (layer = 0; layer < m->geo.layers; layer++)
		if (tabs[layer])
			optsim_events_opc(dev, layer, req);
	optsim_mmc_opc_done(dev, layers);
	optsim_events_params(dev, req->layer == OPTSIM_LAYER_ALL ?
			     OPTSIM_LAYERS_ALL : BIT(req->layer));
	return 0;

out_put:
	optsim_params_abort(tabs);
	return ret;
}

/**
 * optsim_dev_opc_locked() - run OPC and apply the powers it finds
 * @dev: the drive; the caller holds its model_lock
 * @req: in: the layer (or OPTSIM_LAYER_ALL); out: per layer the power,
 *	jitter and steps found
 * @answer: called with the answer before anything changes, or NULL; an
 *	error it returns cancels the change
 * @ctx: passed to @answer
 *
 * Every layer is calibrated and compiled before any changes, so a failure
 * changes nothing (optsim_dev_opc_apply_locked()). The ladders take up to
 * seconds: they run under model_lock only, not under the lock opens need.
 *
 * Return: 0; -ENOMEDIUM, -EINVAL (no such layer), -EROFS (finalized),
 * -ENOMEM, an error of the model or of @answer.
 */
int optsim_dev_opc_locked(struct optsim_dev *dev, struct optsim_opc *req,
			  optsim_opc_answer_fn answer, void *ctx)
	__must_hold(&dev->model_lock)
{
	struct osm_opc_result res[OPTSIM_MAX_LAYERS] = {};
	struct optsim_medium *m;
	bool finalized;
	u32 layer, layers = 0;
	int ret;

	lockdep_assert_held(&dev->model_lock);
	mutex_lock(&dev->lock);
	m = dev->medium;
	finalized = m && m->finalized;
	mutex_unlock(&dev->lock);
	if (!m)
		return -ENOMEDIUM;
	if (req->layer != OPTSIM_LAYER_ALL && req->layer >= m->geo.layers)
		return -EINVAL;
	if (finalized)
		return -EROFS;
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (req->layer != OPTSIM_LAYER_ALL && req->layer != layer)
			continue;
		ret = optsim_recorder_opc(m, layer, &m->params[layer],
					  &res[layer]);
		if (ret)
			return ret;
		layers |= BIT(layer);
	}
	return optsim_dev_opc_apply_locked(dev, m, req, res, layers, answer,
					   ctx);
}

static void optsim_dev_free(struct optsim_dev *dev)
{
	optsim_events_destroy(dev);
	mutex_destroy(&dev->lock);
	mutex_destroy(&dev->model_lock);
	kfree(dev);
}

static struct optsim_dev *optsim_dev_create(u32 index,
					    const struct optsim_media_type *type,
					    u64 layer_sectors)
{
	const struct optsim_limits limits = {
		.logical_block_size	= OPTSIM_SECTOR_SIZE,
		/* The ECC cluster is what the drive records as one unit. */
		.physical_block_size	= OPTSIM_CLUSTER_BYTES,
		.io_min			= OPTSIM_CLUSTER_BYTES,
		.max_hw_sectors		= OPTSIM_MAX_HW_SECTORS,
		/*
		 * Enough for a largest request of single pages that starts
		 * inside a page, so the block layer never splits a request on
		 * segment count, which would cut a cluster in two: only
		 * max_hw_sectors splits, and those fall on cluster boundaries.
		 */
		.max_segments		= OPTSIM_MAX_SEGMENTS,
		/*
		 * An image-backed medium's writes sit in its file's page
		 * cache until a flush: the block layer must send flushes.
		 * A medium in memory completes them at once.
		 */
		.write_cache		= true,
	};
	struct optsim_medium *m;
	struct optsim_dev *dev;
	struct gendisk *disk;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->index = index;
	mutex_init(&dev->model_lock);
	mutex_init(&dev->lock);
	optsim_events_init(dev);
	optsim_scsi_init_dev(dev);

	m = optsim_medium_create(dev, type, layer_sectors);
	if (IS_ERR(m)) {
		ret = PTR_ERR(m);
		goto out_free_dev;
	}
	dev->medium = m;
	/* A disc in the drive at load is calibrated before its first write. */
	dev->mmc.opc_pending = BIT(m->geo.layers) - 1;

	dev->tag_set.ops = &optsim_mq_ops;
	/*
	 * One hardware queue per CPU: a write runs the recording model on
	 * the CPU that submitted it, outside the medium's write_lock (store.c).
	 */
	dev->tag_set.nr_hw_queues = nr_cpu_ids;
	dev->tag_set.queue_depth = 64;
	dev->tag_set.numa_node = NUMA_NO_NODE;
	/* Writes sleep on the medium's write lock and on allocation. */
	dev->tag_set.flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_BLOCKING;
	dev->tag_set.driver_data = dev;
	ret = blk_mq_alloc_tag_set(&dev->tag_set);
	if (ret)
		goto out_destroy_medium;

	disk = optsim_compat_alloc_disk(&dev->tag_set, &limits, dev);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_free_tag_set;
	}
	dev->disk = disk;
	disk->major = optsim_major;
	disk->first_minor = index;
	disk->minors = 1;
	disk->fops = &optsim_fops;
	disk->private_data = dev;
	/* A disc can be ejected; it carries a single file system. */
	disk->flags = GENHD_FL_REMOVABLE | GENHD_FL_NO_PART;
	/* Loads and ejects are announced with a DISK_MEDIA_CHANGE uevent. */
	disk->events = DISK_EVENT_MEDIA_CHANGE;
	if (index)
		snprintf(disk->disk_name, sizeof(disk->disk_name), "optsim%u",
			 index);
	else
		strscpy(disk->disk_name, "optsim", sizeof(disk->disk_name));
	set_capacity(disk, optsim_medium_capacity(m));

	/*
	 * device_add_disk() names the device but ignores a failure to
	 * allocate the name, and device_add() then refuses the nameless
	 * device with -EINVAL. Named here first, that failure is -ENOMEM,
	 * and a failure of the second naming keeps this name.
	 */
	ret = dev_set_name(disk_to_dev(disk), "%s", disk->disk_name);
	if (ret)
		goto out_put_disk;
	ret = device_add_disk(NULL, disk, optsim_disk_groups);
	if (ret)
		goto out_put_disk;
	ret = optsim_scsi_add(dev);
	if (ret)
		goto out_del_disk;
	return dev;

out_del_disk:
	del_gendisk(disk);
out_put_disk:
	put_disk(disk);
out_free_tag_set:
	blk_mq_free_tag_set(&dev->tag_set);
out_destroy_medium:
	optsim_medium_destroy(m);
out_free_dev:
	optsim_dev_free(dev);
	return ERR_PTR(ret);
}

static void optsim_dev_destroy(struct optsim_dev *dev)
{
	optsim_scsi_remove(dev);
	del_gendisk(dev->disk);
	put_disk(dev->disk);
	blk_mq_free_tag_set(&dev->tag_set);
	optsim_medium_destroy(dev->medium);
	optsim_medium_destroy(dev->mmc.tray_medium);
	optsim_dev_free(dev);
}

/**
 * optsim_dev_add() - create a drive with a blank medium
 * @index: its index, or OPTSIM_MAX_DEVICES for the lowest free one
 * @type: the medium's kind
 * @layer_sectors: the medium's sectors per layer
 * @why: set to a message saying what is wrong on failure
 *
 * The caller holds the registry (optsim_devs_lock()).
 *
 * Return: the drive, or ERR_PTR(): -EEXIST when @index is taken, -ENOSPC
 * when every index is, -EINVAL for an impossible geometry, -ENODEV while
 * the module unloads or when the SCSI midlayer could not add the drive's
 * LUN (__scsi_add_device() says -ENODEV whatever failed, a lack of memory
 * included), -ENOMEM.
 */
struct optsim_dev *optsim_dev_add(u32 index,
				  const struct optsim_media_type *type,
				  u64 layer_sectors, const char **why)
{
	struct osm_geometry geo;
	struct optsim_dev *dev;
	unsigned long i = 0;
	int ret;

	lockdep_assert_held(&optsim_devs_mutex);
	if (optsim_devs_closed) {
		*why = "the module is being unloaded";
		return ERR_PTR(-ENODEV);
	}
	if (osm_geometry_init(&geo, type->layers, layer_sectors)) {
		*why = "layer sectors must be a multiple of "
			__stringify(OPTSIM_CLUSTER_SECTORS) " from "
			__stringify(OPTSIM_LAYER_SECTORS_MIN) " to "
			__stringify(OPTSIM_LAYER_SECTORS_MAX);
		return ERR_PTR(-EINVAL);
	}
	if (index == OPTSIM_MAX_DEVICES) {
		/* The lowest index nobody holds. */
		for (i = 0; i < OPTSIM_MAX_DEVICES; i++)
			if (!xa_load(&optsim_devs, i))
				break;
		if (i == OPTSIM_MAX_DEVICES) {
			*why = "every device index is in use";
			return ERR_PTR(-ENOSPC);
		}
		index = i;
	} else if (index > OPTSIM_MAX_DEVICES) {
		*why = "device index out of range";
		return ERR_PTR(-EINVAL);
	} else if (xa_load(&optsim_devs, index)) {
		*why = "a drive with this index exists";
		return ERR_PTR(-EEXIST);
	}

	dev = optsim_dev_create(index, type, layer_sectors);
	if (IS_ERR(dev)) {
		*why = "could not create the drive";
		return dev;
	}
	ret = xa_err(xa_store(&optsim_devs, index, dev, GFP_KERNEL));
	if (ret) {
		optsim_dev_destroy(dev);
		*why = "out of memory";
		return ERR_PTR(ret);
	}
	optsim_events_dev(dev, OPTSIM_CMD_DEV_ADD_NTF);
	return dev;
}

/**
 * optsim_dev_remove() - remove a drive and its medium
 * @dev: the drive
 * @why: set to a message saying what is wrong on failure
 *
 * The caller holds the registry (optsim_devs_lock()).
 *
 * Return: 0, or -EBUSY while the drive is open or mounted.
 */
int optsim_dev_remove(struct optsim_dev *dev, const char **why)
{
	lockdep_assert_held(&optsim_devs_mutex);
	mutex_lock(&dev->lock);
	if (dev->open_count) {
		mutex_unlock(&dev->lock);
		*why = "the drive is open or mounted";
		return -EBUSY;
	}
	/* From here on, opens fail: nobody can start using the drive. */
	dev->removing = true;
	mutex_unlock(&dev->lock);

	xa_erase(&optsim_devs, dev->index);
	optsim_events_dev(dev, OPTSIM_CMD_DEV_DEL_NTF);
	optsim_dev_destroy(dev);
	return 0;
}

/**
 * optsim_dev_remove_all() - remove every drive, at module unload
 *
 * Nothing can hold a drive open then: an open holds the module. No drive
 * can be added afterwards.
 */
void optsim_dev_remove_all(void)
{
	struct optsim_dev *dev;
	unsigned long i;
	const char *why;

	mutex_lock(&optsim_devs_mutex);
	optsim_devs_closed = true;
	xa_for_each(&optsim_devs, i, dev)
		WARN_ON(optsim_dev_remove(dev, &why));
	mutex_unlock(&optsim_devs_mutex);
}

/**
 * optsim_dev_init() - get the drives' block major number
 *
 * Return: 0 or a negative errno.
 */
int optsim_dev_init(void)
{
	optsim_major = register_blkdev(0, "optsim");
	return optsim_major < 0 ? optsim_major : 0;
}

/**
 * optsim_dev_exit() - give back the block major number
 */
void optsim_dev_exit(void)
{
	unregister_blkdev(optsim_major, "optsim");
	xa_destroy(&optsim_devs);
}
