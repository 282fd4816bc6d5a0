/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The disc image format's layout and checks (uapi/linux/optsim_image.h),
 * pure C shared by the module (image.c) and optsimctl: where each area of
 * an image lies, and whether a header or a metadata block is one this
 * version can load. No I/O: the callers read and write the bytes.
 */
#ifndef _OSM_IMAGE_FORMAT_H
#define _OSM_IMAGE_FORMAT_H

#include "shim.h"

/**
 * struct osm_image_layout - where the areas of an image lie
 * @layers: recording layers
 * @layer_sectors: 2048-byte sectors per layer
 * @clusters: clusters of the medium
 * @meta_blocks: metadata blocks
 * @data_offset: byte offset of the data area
 * @file_bytes: the least size of the file: the end of the data area
 */
struct osm_image_layout {
	u32 layers;
	u64 layer_sectors;
	u64 clusters;
	u64 meta_blocks;
	u64 data_offset;
	u64 file_bytes;
};

int osm_image_layout(struct osm_image_layout *lo, u32 media, u64 layer_sectors);
u32 osm_image_header_crc(const struct optsim_image_header *h);
u32 osm_image_meta_crc(const struct optsim_image_meta_block *b);
void osm_image_header_new(struct optsim_image_header *h,
			  const struct osm_image_layout *lo, u32 media);
void osm_image_meta_new(struct optsim_image_meta_block *b, u64 block);
int osm_image_header_check(const struct optsim_image_header *h,
			   u64 file_bytes, struct osm_image_layout *lo,
			   const char **why);
int osm_image_meta_check(const struct optsim_image_meta_block *b, u64 block,
			 const struct osm_image_layout *lo, const char **why);

#endif /* _OSM_IMAGE_FORMAT_H */
