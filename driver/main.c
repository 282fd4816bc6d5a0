// SPDX-License-Identifier: GPL-2.0
/*
 * optsim - an emulated dual-layer optical disc drive (BD-R / BD-RE).
 *
 * Module parameters, and the set-up and tear-down of the module: the drives
 * it starts with and the netlink family.
 */
#include "optsim.h"

#include <linux/mm.h>
#include <linux/module.h>
#include <net/genetlink.h>

static char *g_media = OPTSIM_MEDIA_NAME_BD_RE_DL;
module_param_named(media, g_media, charp, 0444);
MODULE_PARM_DESC(media, "Medium in each drive at load, and in drives created without one: "
		 OPTSIM_MEDIA_NAME_BD_R ", " OPTSIM_MEDIA_NAME_BD_R_DL ", "
		 OPTSIM_MEDIA_NAME_BD_RE " or " OPTSIM_MEDIA_NAME_BD_RE_DL
		 ". Default: " OPTSIM_MEDIA_NAME_BD_RE_DL);

static unsigned int g_nr_devices = 1;
module_param_named(nr_devices, g_nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Drives to create at load, 0 to " __stringify(OPTSIM_MAX_DEVICES)
		 " (more can be created over netlink). Default: 1");

static unsigned long g_layer_sectors = OSM_GEO_REF_LAYER_SECTORS;
module_param_named(layer_sectors, g_layer_sectors, ulong, 0444);
MODULE_PARM_DESC(layer_sectors, __stringify(OPTSIM_SECTOR_SIZE)
		 "-byte sectors per layer, a multiple of " __stringify(OPTSIM_CLUSTER_SECTORS)
		 " from " __stringify(OPTSIM_LAYER_SECTORS_MIN)
		 " to " __stringify(OPTSIM_LAYER_SECTORS_MAX) ". Default: "
		 __stringify(OPTSIM_LAYER_SECTORS_DEFAULT) " (25 GB)");

static unsigned long g_max_mem_mb;
module_param_named(max_mem_mb, g_max_mem_mb, ulong, 0444);
MODULE_PARM_DESC(max_mem_mb, "Cap on RAM holding recorded data, in MiB; 0 means half of RAM. Default: 0");

static unsigned long long g_seed = 1;
module_param_named(seed, g_seed, ullong, 0444);
MODULE_PARM_DESC(seed, "Seed of the recording model's random draws; the same seed, data and parameters always record alike. Default: 1");

static const struct optsim_media_type *optsim_default_type;

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
 * optsim_media_default() - the medium a drive created without one gets
 *
 * Return: the media module parameter's type.
 */
const struct optsim_media_type *optsim_media_default(void)
{
	return optsim_default_type;
}

/**
 * optsim_seed() - seed of the recording model's random draws
 *
 * A medium takes it when it is created (optsim_medium_create()) and keeps
 * it: the write path asks the medium, never the module.
 *
 * Return: the seed module parameter.
 */
u64 optsim_seed(void)
{
	return g_seed;
}

static int __init optsim_init(void)
{
	struct optsim_dev *dev;
	struct osm_geometry geo;
	const char *why;
	unsigned int i;
	u64 limit;
	int ret;

	optsim_default_type = optsim_media_type_find(g_media);
	if (!optsim_default_type) {
		pr_err("media=%s: unknown medium; use " OPTSIM_MEDIA_NAME_BD_R
		       ", " OPTSIM_MEDIA_NAME_BD_R_DL ", " OPTSIM_MEDIA_NAME_BD_RE
		       " or " OPTSIM_MEDIA_NAME_BD_RE_DL "\n", g_media);
		return -EINVAL;
	}
	if (osm_geometry_init(&geo, optsim_default_type->layers,
			      g_layer_sectors)) {
		pr_err("layer_sectors=%lu: not a multiple of %u from %llu to %llu\n",
		       g_layer_sectors, OPTSIM_CLUSTER_SECTORS,
		       OSM_GEO_MIN_LAYER_SECTORS, OSM_GEO_MAX_LAYER_SECTORS);
		return -EINVAL;
	}
	if (g_nr_devices > OPTSIM_MAX_DEVICES) {
		pr_err("nr_devices=%u: at most %u\n", g_nr_devices,
		       OPTSIM_MAX_DEVICES);
		return -EINVAL;
	}
	limit = g_max_mem_mb ? (u64)g_max_mem_mb << 20 :
		((u64)totalram_pages() << PAGE_SHIFT) / 2;
	optsim_store_init(limit);
	optsim_simd_init();

	ret = optsim_dev_init();
	if (ret)
		return ret;
	ret = optsim_nl_init();
	if (ret)
		goto out_dev_exit;
	ret = optsim_scsi_init();
	if (ret)
		goto out_nl_exit;

	optsim_devs_lock();
	for (i = 0; i < g_nr_devices; i++) {
		dev = optsim_dev_add(i, optsim_default_type, g_layer_sectors,
				     &why);
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			pr_err("drive %u: %s\n", i, why);
			break;
		}
	}
	optsim_devs_unlock();
	if (ret)
		goto out_remove;
	pr_info("%u drive(s) with %s, %u layer(s) of %llu sectors, memory cap %llu MiB\n",
		g_nr_devices, optsim_default_type->name,
		optsim_default_type->layers, (u64)g_layer_sectors,
		limit >> 20);
	return 0;

out_remove:
	optsim_dev_remove_all();
	optsim_scsi_exit();
out_nl_exit:
	optsim_nl_exit();
out_dev_exit:
	optsim_dev_exit();
	optsim_recorder_exit();
	return ret;
}

static void __exit optsim_exit(void)
{
	/* Closes the registry: netlink cannot add drives any more. */
	optsim_dev_remove_all();
	optsim_scsi_exit();
	optsim_nl_exit();
	optsim_dev_exit();
	optsim_recorder_exit();
	WARN_ON(optsim_store_mem_used());
}

module_init(optsim_init);
module_exit(optsim_exit);

MODULE_DESCRIPTION("Emulated dual-layer optical disc drive (BD-R/BD-RE)");
MODULE_AUTHOR("The optsim developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(OPTSIM_GENL_NAME);
