// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/block/<disk>/optsim/ describes the drive and its medium, one
 * value per file, for udev rules (udev/60-optsim.rules) and scripts.
 */
#include "optsim.h"

#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/sysfs.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

static struct optsim_dev *optsim_sysfs_dev(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

/* The medium's state, read under the drive's lock. */
static void optsim_sysfs_info(struct device *d, struct optsim_info *info)
{
	struct optsim_dev *dev = optsim_sysfs_dev(d);

	memset(info, 0, sizeof(*info));
	mutex_lock(&dev->lock);
	if (dev->medium)
		optsim_medium_info(dev->medium, info);
	mutex_unlock(&dev->lock);
}

static ssize_t index_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", optsim_sysfs_dev(d)->index);
}
static DEVICE_ATTR_RO(index);

static ssize_t media_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	const struct optsim_media_type *type;
	struct optsim_info info;

	optsim_sysfs_info(d, &info);
	type = optsim_media_type_get(info.media);
	return sysfs_emit(buf, "%s\n", type ? type->name : OPTSIM_MEDIA_NAME_NONE);
}
static DEVICE_ATTR_RO(media);

static ssize_t layers_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct optsim_info info;

	optsim_sysfs_info(d, &info);
	return sysfs_emit(buf, "%u\n", info.layers);
}
static DEVICE_ATTR_RO(layers);

static ssize_t layer_sectors_show(struct device *d,
				  struct device_attribute *attr, char *buf)
{
	struct optsim_info info;

	optsim_sysfs_info(d, &info);
	return sysfs_emit(buf, "%llu\n", info.layer_sectors);
}
static DEVICE_ATTR_RO(layer_sectors);

/* 1 when the drive's info has @flag (OPTSIM_INFO_F_*), else 0. */
static ssize_t optsim_sysfs_flag(struct device *d, char *buf, u32 flag)
{
	struct optsim_info info;

	optsim_sysfs_info(d, &info);
	return sysfs_emit(buf, "%u\n", !!(info.flags & flag));
}

static ssize_t write_once_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return optsim_sysfs_flag(d, buf, OPTSIM_INFO_F_WRITE_ONCE);
}
static DEVICE_ATTR_RO(write_once);

static ssize_t finalized_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return optsim_sysfs_flag(d, buf, OPTSIM_INFO_F_FINALIZED);
}
static DEVICE_ATTR_RO(finalized);

/* Empty when there is none: the disc is finalized or full. */
static ssize_t nwa_show(struct device *d, struct device_attribute *attr,
			char *buf)
{
	struct optsim_info info;

	optsim_sysfs_info(d, &info);
	if (!(info.flags & OPTSIM_INFO_F_NWA_VALID))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%llu\n", info.nwa);
}
static DEVICE_ATTR_RO(nwa);

static ssize_t recorded_clusters_show(struct device *d,
				      struct device_attribute *attr, char *buf)
{
	struct optsim_info info;
	u32 layer;
	u64 n = 0;

	optsim_sysfs_info(d, &info);
	for (layer = 0; layer < OPTSIM_MAX_LAYERS; layer++)
		n += info.recorded_clusters[layer];
	return sysfs_emit(buf, "%llu\n", n);
}
static DEVICE_ATTR_RO(recorded_clusters);

/*
 * The drive's SCSI LUN as "H:C:T:L" (the name of its directory under
 * /sys/bus/scsi/devices, whose block/ and scsi_generic/ hold its sr and sg
 * nodes); empty while it has none: the MMC front is off. scsi.c sets and
 * clears the LUN holding the drive's model_lock.
 */
static ssize_t scsi_device_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	struct optsim_dev *dev = optsim_sysfs_dev(d);
	struct scsi_device *sdev;
	ssize_t ret;

	mutex_lock(&dev->model_lock);
	sdev = dev->mmc.sdev;
	if (sdev)
		ret = sysfs_emit(buf, "%u:%u:%u:%llu\n", sdev->host->host_no,
				 sdev->channel, sdev->id, sdev->lun);
	else
		ret = sysfs_emit(buf, "\n");
	mutex_unlock(&dev->model_lock);
	return ret;
}
static DEVICE_ATTR_RO(scsi_device);

static struct attribute *optsim_disk_attrs[] = {
	&dev_attr_index.attr,
	&dev_attr_media.attr,
	&dev_attr_layers.attr,
	&dev_attr_layer_sectors.attr,
	&dev_attr_write_once.attr,
	&dev_attr_finalized.attr,
	&dev_attr_nwa.attr,
	&dev_attr_recorded_clusters.attr,
	&dev_attr_scsi_device.attr,
	NULL,
};

static const struct attribute_group optsim_disk_group = {
	.name	= "optsim",
	.attrs	= optsim_disk_attrs,
};

/* The attribute groups of every optsim disk, for device_add_disk(). */
const struct attribute_group *optsim_disk_groups[] = {
	&optsim_disk_group,
	NULL,
};
