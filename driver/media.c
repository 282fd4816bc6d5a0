// SPDX-License-Identifier: GPL-2.0
/*
 * Media: the kinds of disc the drive takes, and a disc's life from load to
 * eject. Where sectors lie on the disc is the geometry's business
 * (model/geometry.c); what is recorded is the store's (store.c).
 */
#include "optsim.h"

#include <linux/slab.h>
#include <linux/string.h>

static const struct optsim_media_type optsim_media_types[] = {
	{ .media = OPTSIM_MEDIA_BD_R, .name = OPTSIM_MEDIA_NAME_BD_R, .layers = 1,
	  .write_once = true },
	{ .media = OPTSIM_MEDIA_BD_R_DL, .name = OPTSIM_MEDIA_NAME_BD_R_DL, .layers = 2,
	  .write_once = true },
	{ .media = OPTSIM_MEDIA_BD_RE, .name = OPTSIM_MEDIA_NAME_BD_RE, .layers = 1,
	  .write_once = false },
	{ .media = OPTSIM_MEDIA_BD_RE_DL, .name = OPTSIM_MEDIA_NAME_BD_RE_DL, .layers = 2,
	  .write_once = false },
};

/**
 * optsim_media_type_get() - look a medium kind up by its uapi number
 * @media: enum optsim_media value
 *
 * Return: the kind, or NULL for OPTSIM_MEDIA_NONE and unknown values.
 */
const struct optsim_media_type *optsim_media_type_get(u32 media)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(optsim_media_types); i++)
		if (optsim_media_types[i].media == media)
			return &optsim_media_types[i];
	return NULL;
}

/**
 * optsim_media_type_find() - look a medium kind up by name
 * @name: "bd-r", "bd-r-dl", "bd-re" or "bd-re-dl"; a trailing newline is
 *	ignored
 *
 * Return: the kind, or NULL when the name is unknown.
 */
const struct optsim_media_type *optsim_media_type_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(optsim_media_types); i++)
		if (sysfs_streq(name, optsim_media_types[i].name))
			return &optsim_media_types[i];
	return NULL;
}

/**
 * optsim_medium_create() - make a blank disc
 * @dev: the drive it is for
 * @type: its kind
 * @layer_sectors: logical sectors per layer
 *
 * The recording model is compiled for the medium's default write
 * parameters (or taken from the cache of compiled tables).
 *
 * Return: the medium, ERR_PTR(-EINVAL) when the geometry is impossible, or
 * ERR_PTR(-ENOMEM).
 */
struct optsim_medium *optsim_medium_create(struct optsim_dev *dev,
					   const struct optsim_media_type *type,
					   u64 layer_sectors)
{
	struct optsim_medium *m;
	u32 layer;
	int ret;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	ret = osm_geometry_init(&m->geo, type->layers, layer_sectors);
	if (ret) {
		kfree(m);
		return ERR_PTR(ret);
	}
	ret = osm_stack_for_media(&m->stack, type->media);
	if (ret) {
		kfree(m);
		return ERR_PTR(ret);
	}
	m->dev = dev;
	m->type = type;
	m->seed = optsim_seed();
	xa_init(&m->clusters);
	mutex_init(&m->write_lock);
	optsim_format_init(m);
	optsim_srm_init(m);
	/*
	 * A new disc is written at 1x with the strategy chosen by the drive,
	 * at the powers OPC finds for it there: the stack preset carries them.
	 */
	for (layer = 0; layer < type->layers; layer++) {
		m->params[layer] = (struct optsim_params) {
			.layer		= layer,
			.strategy	= OPTSIM_STRATEGY_AUTO,
			.velocity	= OPTSIM_VELOCITY_1X_MMS,
		};
		osm_stack_default_power(&m->stack, layer,
					&m->params[layer].write_power,
					&m->params[layer].bias_power);
	}
	ret = optsim_recorder_init(m);
	if (ret) {
		mutex_destroy(&m->write_lock);
		kfree(m);
		return ERR_PTR(ret);
	}
	return m;
}

/**
 * optsim_medium_cluster_layer() - the layer a cluster lies on
 * @m: the medium
 * @cluster: the cluster's index; one past the end counts as the last layer
 *
 * Return: 0 for L0, 1 for L1.
 */
u32 optsim_medium_cluster_layer(const struct optsim_medium *m, u64 cluster)
{
	return osm_geometry_layer(&m->geo, cluster * OPTSIM_CLUSTER_SECTORS);
}

/**
 * optsim_medium_destroy() - free a disc and everything recorded on it
 * @m: the medium, no longer reachable from any queue; NULL is allowed
 *
 * An image-backed medium is written back to its file first, and the file
 * stays: only the drive's copy of its state goes.
 */
void optsim_medium_destroy(struct optsim_medium *m)
{
	if (!m)
		return;
	/* An image-backed medium's last changes go to its file. */
	optsim_image_sync(m);
	optsim_store_destroy(m);
	optsim_image_close(m);
	optsim_recorder_destroy(m);
	mutex_destroy(&m->write_lock);
	kfree(m);
}

/**
 * optsim_medium_capacity() - size of a disc for the block layer
 * @m: the medium, or NULL for an empty drive
 *
 * The user capacity: the spare areas a format set aside are not part of
 * it. A disc without spare areas shows all its sectors.
 *
 * Return: capacity in 512-byte sectors.
 */
sector_t optsim_medium_capacity(const struct optsim_medium *m)
{
	if (!m)
		return 0;
	return optsim_format_capacity(m) * (OPTSIM_SECTOR_SIZE >> SECTOR_SHIFT);
}

/**
 * optsim_medium_info() - describe a disc for OPTSIM_IOC_GET_INFO
 * @m: the medium
 * @info: filled in with the medium's fields; the caller fills in the rest
 */
void optsim_medium_info(struct optsim_medium *m, struct optsim_info *info)
{
	u64 capacity = osm_geometry_capacity(&m->geo);
	unsigned int i;

	info->media = m->type->media;
	info->layers = m->geo.layers;
	info->layer_sectors = m->geo.layer_sectors;
	info->capacity = capacity;
	if (m->type->write_once)
		info->flags |= OPTSIM_INFO_F_WRITE_ONCE;
	if (m->image)
		info->flags |= OPTSIM_INFO_F_IMAGE;
	if (optsim_medium_read_only(m))
		info->flags |= OPTSIM_INFO_F_READ_ONLY;

	mutex_lock(&m->write_lock);
	for (i = 0; i < m->geo.layers; i++)
		info->recorded_clusters[i] = m->recorded[i];
	info->nwa = m->nwa_cluster * OPTSIM_CLUSTER_SECTORS;
	info->full_erases = m->full_erases;
	if (m->finalized)
		info->flags |= OPTSIM_INFO_F_FINALIZED;
	else if (info->nwa < capacity)
		info->flags |= OPTSIM_INFO_F_NWA_VALID;
	mutex_unlock(&m->write_lock);
}

/**
 * optsim_medium_cluster_info() - locate a sector and describe its cluster
 * @m: the medium
 * @ci: in: the sector address; out: everything else
 *
 * Return: 0, or -EINVAL when the address lies beyond the disc.
 */
int optsim_medium_cluster_info(struct optsim_medium *m,
			       struct optsim_cluster_info *ci)
{
	struct optsim_cluster *cl;
	struct osm_location loc;

	if (ci->lba >= osm_geometry_capacity(&m->geo))
		return -EINVAL;

	osm_geometry_locate(&m->geo, ci->lba, &loc);
	ci->cluster = ci->lba / OPTSIM_CLUSTER_SECTORS;
	ci->layer = loc.layer;
	ci->psn = loc.psn;
	ci->radius = loc.radius_um;

	mutex_lock(&m->write_lock);
	cl = xa_load(&m->clusters, ci->cluster);
	ci->flags = cl && cl->recorded ? OPTSIM_CLUSTER_F_RECORDED : 0;
	ci->dow = (cl ? cl->writes : 0) + m->full_erases;
	mutex_unlock(&m->write_lock);
	return 0;
}

/**
 * optsim_medium_erase() - blank a rewritable disc
 * @m: the medium; its queue must be frozen
 * @quick: forget the contents only; otherwise every cluster also goes
 *	through one overwrite cycle, as when a drive writes the whole disc
 */
void optsim_medium_erase(struct optsim_medium *m, bool quick)
{
	optsim_store_forget(m);
	if (!quick)
		m->full_erases++;
}
