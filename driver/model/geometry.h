/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media geometry: the one place that knows how logical sectors map onto the
 * layers, track paths and radii of the disc.
 */
#ifndef _OPTSIM_MODEL_GEOMETRY_H
#define _OPTSIM_MODEL_GEOMETRY_H

#include "shim.h"

/* Logical sectors (2048 bytes) per layer of a 25 GB BD layer. */
#define OSM_GEO_REF_LAYER_SECTORS	((u64)OPTSIM_LAYER_SECTORS_DEFAULT)
/* Smallest and largest layer the drive accepts, in logical sectors. */
#define OSM_GEO_MIN_LAYER_SECTORS	((u64)OPTSIM_LAYER_SECTORS_MIN)
#define OSM_GEO_MAX_LAYER_SECTORS	((u64)OPTSIM_LAYER_SECTORS_MAX)
/* Data zone of a 120 mm disc, in micrometres. */
#define OSM_GEO_RADIUS_IN_UM		24000U
#define OSM_GEO_RADIUS_OUT_UM		58000U
/* Channel bit length of a 25 GB layer, in picometres. */
#define OSM_GEO_REF_CHANNEL_BIT_PM	74500U

/**
 * struct osm_geometry - shape of one medium
 * @layers: recording layers, 1 or 2
 * @layer_sectors: logical sectors in each layer, a multiple of the cluster
 * @span_sectors: sectors that fill the data zone from the inner to the outer
 *	radius: the 25 GB reference density, or @layer_sectors when a layer
 *	holds more (denser, BDXL-like)
 */
struct osm_geometry {
	u32 layers;
	u64 layer_sectors;
	u64 span_sectors;
};

/**
 * struct osm_location - where one logical sector lies on the disc
 * @layer: layer index; 0 is L0, the layer farthest from the laser
 * @psn: sector index along the layer's track path
 * @radius_um: radius in micrometres
 */
struct osm_location {
	u32 layer;
	u64 psn;
	u32 radius_um;
};

int osm_geometry_init(struct osm_geometry *geo, u32 layers, u64 layer_sectors);
u32 osm_geometry_layer(const struct osm_geometry *geo, u64 lba);
u64 osm_geometry_capacity(const struct osm_geometry *geo);
void osm_geometry_locate(const struct osm_geometry *geo, u64 lba,
			 struct osm_location *loc);
u32 osm_geometry_channel_bit_pm(const struct osm_geometry *geo);

#endif /* _OPTSIM_MODEL_GEOMETRY_H */
