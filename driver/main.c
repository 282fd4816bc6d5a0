// SPDX-License-Identifier: GPL-2.0
/*
 * optsim - an emulated dual-layer optical disc drive (BD-R / BD-RE).
 *
 * Module set-up, the block device and its open/release/ioctl entry points.
 */
#include "optsim.h"
#include "compat.h"

#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

static char *g_media = "bd-re-dl";
module_param_named(media, g_media, charp, 0444);
MODULE_PARM_DESC(media, "Medium in the drive at load: bd-r, bd-r-dl, bd-re or bd-re-dl. Default: bd-re-dl");

static unsigned long g_layer_sectors = OSM_GEO_REF_LAYER_SECTORS;
module_param_named(layer_sectors, g_layer_sectors, ulong, 0444);
MODULE_PARM_DESC(layer_sectors, "2048-byte sectors per layer, a multiple of 32 from 1024 to 16777216. Default: 12219392 (25 GB)");

static unsigned long g_max_mem_mb;
module_param_named(max_mem_mb, g_max_mem_mb, ulong, 0444);
MODULE_PARM_DESC(max_mem_mb, "Cap on RAM holding recorded data, in MiB; 0 means half of RAM. Default: 0");

static unsigned long long g_seed = 1;
module_param_named(seed, g_seed, ullong, 0444);
MODULE_PARM_DESC(seed, "Seed of the recording model's random draws; the same seed, data and parameters always record alike. Default: 1");

static int optsim_major;
static struct optsim_dev *optsim_dev;

/**
 * optsim_layer_sectors_default() - the layer size a LOAD of size 0 gets
 *
 * Return: the layer_sectors module parameter.
 */
u64 optsim_layer_sectors_default(void)
{
	return g_layer_sectors;
}

/**
 * optsim_seed() - seed of the recording model's random draws
 *
 * Return: the seed module parameter.
 */
u64 optsim_seed(void)
{
	return g_seed;
}

/**
 * optsim_open() - count an opener of the block device
 * @disk: the disk
 *
 * Return: 0.
 */
int optsim_open(struct gendisk *disk)
{
	struct optsim_dev *dev = disk->private_data;

	mutex_lock(&dev->lock);
	dev->open_count++;
	mutex_unlock(&dev->lock);
	return 0;
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
 * Waits for requests in flight on the old medium, swaps the media, and
 * announces the change: new capacity, uevent DISK_MEDIA_CHANGE=1, page cache
 * dropped.
 *
 * Return: the old medium, for the caller to destroy.
 */
struct optsim_medium *optsim_dev_replace_medium(struct optsim_dev *dev,
						struct optsim_medium *m)
	__must_hold(&dev->lock)
{
	struct optsim_medium *old;

	lockdep_assert_held(&dev->lock);
	blk_mq_freeze_queue(dev->disk->queue);
	old = dev->medium;
	WRITE_ONCE(dev->medium, m);
	set_capacity(dev->disk, optsim_medium_capacity(m));
	blk_mq_unfreeze_queue(dev->disk->queue);
	optsim_compat_media_changed(dev->disk);
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

static struct optsim_dev *optsim_dev_create(const struct optsim_media_type *type)
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
	};
	struct optsim_medium *m;
	struct optsim_dev *dev;
	struct gendisk *disk;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	mutex_init(&dev->model_lock);
	mutex_init(&dev->lock);

	m = optsim_medium_create(type, g_layer_sectors);
	if (IS_ERR(m)) {
		ret = PTR_ERR(m);
		goto out_free_dev;
	}
	dev->medium = m;

	dev->tag_set.ops = &optsim_mq_ops;
	dev->tag_set.nr_hw_queues = 1;
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
	disk->first_minor = 0;
	disk->minors = 1;
	disk->fops = &optsim_fops;
	disk->private_data = dev;
	/* A disc can be ejected; it carries a single file system. */
	disk->flags = GENHD_FL_REMOVABLE | GENHD_FL_NO_PART;
	/* Loads and ejects are announced with a DISK_MEDIA_CHANGE uevent. */
	disk->events = DISK_EVENT_MEDIA_CHANGE;
	strscpy(disk->disk_name, "optsim", sizeof(disk->disk_name));
	set_capacity(disk, optsim_medium_capacity(m));

	ret = add_disk(disk);
	if (ret)
		goto out_put_disk;
	return dev;

out_put_disk:
	put_disk(disk);
out_free_tag_set:
	blk_mq_free_tag_set(&dev->tag_set);
out_destroy_medium:
	optsim_medium_destroy(m);
out_free_dev:
	mutex_destroy(&dev->lock);
	mutex_destroy(&dev->model_lock);
	kfree(dev);
	return ERR_PTR(ret);
}

static void optsim_dev_destroy(struct optsim_dev *dev)
{
	del_gendisk(dev->disk);
	put_disk(dev->disk);
	blk_mq_free_tag_set(&dev->tag_set);
	optsim_medium_destroy(dev->medium);
	mutex_destroy(&dev->lock);
	mutex_destroy(&dev->model_lock);
	kfree(dev);
}

static int __init optsim_init(void)
{
	const struct optsim_media_type *type;
	struct osm_geometry geo;
	u64 limit;
	int ret;

	type = optsim_media_type_find(g_media);
	if (!type) {
		pr_err("media=%s: unknown medium; use bd-r, bd-r-dl, bd-re or bd-re-dl\n",
		       g_media);
		return -EINVAL;
	}
	if (osm_geometry_init(&geo, type->layers, g_layer_sectors)) {
		pr_err("layer_sectors=%lu: not a multiple of %u from %llu to %llu\n",
		       g_layer_sectors, OPTSIM_CLUSTER_SECTORS,
		       OSM_GEO_MIN_LAYER_SECTORS, OSM_GEO_MAX_LAYER_SECTORS);
		return -EINVAL;
	}
	limit = g_max_mem_mb ? (u64)g_max_mem_mb << 20 :
		((u64)totalram_pages() << PAGE_SHIFT) / 2;
	optsim_store_init(limit);

	optsim_major = register_blkdev(0, "optsim");
	if (optsim_major < 0)
		return optsim_major;

	optsim_dev = optsim_dev_create(type);
	if (IS_ERR(optsim_dev)) {
		ret = PTR_ERR(optsim_dev);
		goto out_unregister;
	}
	pr_info("%s, %u layer(s) of %llu sectors, memory cap %llu MiB\n",
		type->name, type->layers, (u64)g_layer_sectors, limit >> 20);
	return 0;

out_unregister:
	unregister_blkdev(optsim_major, "optsim");
	optsim_recorder_exit();
	return ret;
}

static void __exit optsim_exit(void)
{
	optsim_dev_destroy(optsim_dev);
	unregister_blkdev(optsim_major, "optsim");
	optsim_recorder_exit();
	WARN_ON(optsim_store_mem_used());
}

module_init(optsim_init);
module_exit(optsim_exit);

MODULE_DESCRIPTION("Emulated dual-layer optical disc drive (BD-R/BD-RE)");
MODULE_AUTHOR("The optsim developers");
MODULE_LICENSE("GPL");
