/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, 6.1 to 6.12. This is the only file of the
 * driver that tests LINUX_VERSION_CODE; everything else is written against
 * the wrappers below. dev.c includes it for the block device, and
 * model/shim.h for the model's kernel helpers.
 */
#ifndef _OPTSIM_COMPAT_H
#define _OPTSIM_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "optsim needs Linux 6.1 or later"
#endif

/* get_unaligned_le64() and friends: <asm/unaligned.h> moved in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/**
 * struct optsim_limits - queue limits, declared once and applied at
 *	allocation whatever the kernel's API
 * @logical_block_size: bytes per logical block
 * @physical_block_size: bytes per physical (recording) unit
 * @io_min: smallest I/O that avoids a read-modify-write
 * @max_hw_sectors: largest request, in 512-byte sectors
 * @max_segments: most memory segments in one request
 * @write_cache: the drive has a volatile write cache: flushes reach it
 */
struct optsim_limits {
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int io_min;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	bool write_cache;
};

/**
 * optsim_compat_alloc_disk() - allocate a rotational blk-mq disk
 * @set: its tag set
 * @l: its queue limits
 * @queuedata: the request queue's queuedata
 *
 * Return: the disk or an ERR_PTR().
 */
static inline struct gendisk *
optsim_compat_alloc_disk(struct blk_mq_tag_set *set,
			 const struct optsim_limits *l, void *queuedata)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct queue_limits lim = {
		.logical_block_size	= l->logical_block_size,
		.physical_block_size	= l->physical_block_size,
		.io_min			= l->io_min,
		.max_hw_sectors		= l->max_hw_sectors,
		.max_segments		= l->max_segments,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
		.features		= BLK_FEAT_ROTATIONAL |
					  (l->write_cache ? BLK_FEAT_WRITE_CACHE : 0),
#endif
	};
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return blk_mq_alloc_disk(set, &lim, queuedata);
#else
	struct gendisk *disk = blk_mq_alloc_disk(set, &lim, queuedata);

	if (!IS_ERR(disk))
		blk_queue_write_cache(disk->queue, l->write_cache, false);
	return disk;
#endif
#else
	struct gendisk *disk = blk_mq_alloc_disk(set, queuedata);

	if (IS_ERR(disk))
		return disk;
	blk_queue_logical_block_size(disk->queue, l->logical_block_size);
	blk_queue_physical_block_size(disk->queue, l->physical_block_size);
	blk_queue_io_min(disk->queue, l->io_min);
	blk_queue_max_hw_sectors(disk->queue, l->max_hw_sectors);
	blk_queue_max_segments(disk->queue, l->max_segments);
	blk_queue_write_cache(disk->queue, l->write_cache, false);
	return disk;
#endif
}

/**
 * optsim_compat_media_changed() - announce a new medium: uevent
 *	DISK_MEDIA_CHANGE=1, new disk sequence number, page cache dropped
 * @disk: the disk
 */
static inline void optsim_compat_media_changed(struct gendisk *disk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	disk_force_media_change(disk);
#else
	disk_force_media_change(disk, DISK_EVENT_MEDIA_CHANGE);
#endif
}

/*
 * block_device_operations entry points. The driver implements
 * optsim_open(disk), optsim_release(disk) and optsim_bdev_ioctl(bdev, cmd,
 * arg); these adapters give them the kernel's signatures.
 */
int optsim_open(struct gendisk *disk);
void optsim_release(struct gendisk *disk);
int optsim_bdev_ioctl(struct block_device *bdev, unsigned int cmd,
		      unsigned long arg);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static inline int optsim_compat_open(struct gendisk *disk, blk_mode_t mode)
{
	return optsim_open(disk);
}

static inline void optsim_compat_release(struct gendisk *disk)
{
	optsim_release(disk);
}

static inline int optsim_compat_ioctl(struct block_device *bdev,
				      blk_mode_t mode, unsigned int cmd,
				      unsigned long arg)
{
	return optsim_bdev_ioctl(bdev, cmd, arg);
}
#else
static inline int optsim_compat_open(struct block_device *bdev, fmode_t mode)
{
	return optsim_open(bdev->bd_disk);
}

static inline void optsim_compat_release(struct gendisk *disk, fmode_t mode)
{
	optsim_release(disk);
}

static inline int optsim_compat_ioctl(struct block_device *bdev, fmode_t mode,
				      unsigned int cmd, unsigned long arg)
{
	return optsim_bdev_ioctl(bdev, cmd, arg);
}
#endif

#endif /* _OPTSIM_COMPAT_H */
