// SPDX-License-Identifier: GPL-2.0
/*
 * Media geometry of a single- or dual-layer BD.
 *
 * L0 is recorded first, from the inner to the outer radius. L1 follows it
 * in the logical address space and runs the other way, outer to inner
 * (opposite track path), so that a dual-layer disc is written without a
 * long seek at the layer change.
 *
 * Recording runs at constant linear density, so the area swept up to a
 * sector grows linearly with its index along the track path:
 *
 *	r(s)^2 = r_in^2 + s * (r_out^2 - r_in^2) / N_span
 *
 * with r_in = 24 mm, r_out = 58 mm and N_span = 12,219,392 sectors (a 25 GB
 * layer fills exactly the data zone). A smaller layer ends before the outer
 * edge; a larger one is recorded at a higher density and still ends at 58 mm.
 */
#include "geometry.h"

/**
 * osm_geometry_init() - describe a medium
 * @geo: geometry to fill in
 * @layers: recording layers, 1 or 2
 * @layer_sectors: logical sectors per layer: a multiple of 32 (one cluster)
 *	from OSM_GEO_MIN_LAYER_SECTORS to OSM_GEO_MAX_LAYER_SECTORS
 *
 * Return: 0, or -EINVAL when the shape is not possible; @geo is then
 * unchanged.
 */
int osm_geometry_init(struct osm_geometry *geo, u32 layers, u64 layer_sectors)
{
	if (layers < 1 || layers > 2)
		return -EINVAL;
	if (layer_sectors < OSM_GEO_MIN_LAYER_SECTORS ||
	    layer_sectors > OSM_GEO_MAX_LAYER_SECTORS || layer_sectors % 32)
		return -EINVAL;

	geo->layers = layers;
	geo->layer_sectors = layer_sectors;
	geo->span_sectors = layer_sectors > OSM_GEO_REF_LAYER_SECTORS ?
			    layer_sectors : OSM_GEO_REF_LAYER_SECTORS;
	return 0;
}

/**
 * osm_geometry_layer() - the layer a logical sector lies on
 * @geo: the medium
 * @lba: logical sector; one at or beyond the end counts as on the last layer
 *
 * Return: 0 for L0, 1 for L1.
 */
u32 osm_geometry_layer(const struct osm_geometry *geo, u64 lba)
{
	return lba < geo->layer_sectors ? 0 : geo->layers - 1;
}

/**
 * osm_geometry_capacity() - logical sectors on the medium
 * @geo: the medium
 *
 * Return: @geo->layers * @geo->layer_sectors.
 */
u64 osm_geometry_capacity(const struct osm_geometry *geo)
{
	return (u64)geo->layers * geo->layer_sectors;
}

/**
 * osm_geometry_locate() - map a logical sector to layer, track position and
 *	radius
 * @geo: the medium
 * @lba: logical sector, below osm_geometry_capacity()
 * @loc: filled in with the location of the middle of the sector
 */
void osm_geometry_locate(const struct osm_geometry *geo, u64 lba,
			 struct osm_location *loc)
{
	const u64 rin2 = (u64)OSM_GEO_RADIUS_IN_UM * OSM_GEO_RADIUS_IN_UM;
	const u64 rout2 = (u64)OSM_GEO_RADIUS_OUT_UM * OSM_GEO_RADIUS_OUT_UM;
	u64 radial;	/* sectors between the inner edge and this sector */

	loc->layer = osm_geometry_layer(geo, lba);
	if (!loc->layer) {
		loc->psn = lba;
		radial = lba;
	} else {
		loc->psn = lba - geo->layer_sectors;
		radial = geo->layer_sectors - 1 - loc->psn;
	}
	/* Half-sector steps keep the product within 64 bits: < 2^25 * 2^32. */
	loc->radius_um = int_sqrt64(rin2 +
				    osm_div64((2 * radial + 1) * (rout2 - rin2),
					      2 * geo->span_sectors));
}

/**
 * osm_geometry_channel_bit_pm() - channel bit length of the medium
 * @geo: the medium
 *
 * Return: the channel bit length in picometres: 74.5 nm at the 25 GB
 * density and shorter for layers recorded at a higher density.
 */
u32 osm_geometry_channel_bit_pm(const struct osm_geometry *geo)
{
	return (u32)osm_div64(OSM_GEO_REF_CHANNEL_BIT_PM *
			      OSM_GEO_REF_LAYER_SECTORS, geo->span_sectors);
}
