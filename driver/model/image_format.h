/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The disc image format's layout and checks (uapi/linux/optsim_image.h),
 * pure C shared by the module (image.c) and optsimctl: where each area of
 * an image lies, and whether a header or a metadata block is one this
 * version can load, and which flush of its journal a load replays. No I/O
 * of its own: the callers read through struct osm_image_io and write.
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

/**
 * struct osm_image_io - how the shared code reads an image
 * @read: read exactly @len bytes at @pos into @buf (zeros past the end of
 *	the file); 0 or a negative errno
 * @ctx: the caller's, passed to @read
 * @file_bytes: the size of the file
 * @block: room for one metadata block (OPTSIM_IMAGE_META_BLOCK_BYTES)
 */
struct osm_image_io {
	int (*read)(void *ctx, void *buf, size_t len, u64 pos);
	void *ctx;
	u64 file_bytes;
	void *block;
};

/**
 * struct osm_image_replay - a journaled flush a load replays
 * @seq: its number
 * @offset: where its journal lies
 * @blocks: metadata blocks in it; 0 when there is nothing to replay
 * @next: the next block of it osm_image_meta_read() looks at
 */
struct osm_image_replay {
	u64 seq;
	u64 offset;
	u64 blocks;
	u64 next;
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

u32 osm_image_journal_crc(const struct optsim_image_journal *j);
void osm_image_journal_new(struct optsim_image_journal *j, u64 seq, u64 offset,
			   u64 blocks, u32 payload_crc);
u32 osm_image_payload_crc(u32 crc, const void *p, size_t len);
u32 osm_image_payload_end(u32 crc);
int osm_image_open(const struct osm_image_io *io, struct optsim_image_header *h,
		   struct osm_image_layout *lo, struct osm_image_replay *jr,
		   const char **why);
int osm_image_meta_read(const struct osm_image_io *io,
			const struct osm_image_layout *lo,
			struct osm_image_replay *jr, u64 block, u64 n,
			void *buf, const char **why);

#endif /* _OSM_IMAGE_FORMAT_H */
