/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * optsim disc images: the on-disk format of a medium kept in a file
 * (OPTSIM_IOC_LOAD with OPTSIM_LOAD_F_IMAGE, optsimctl load --image).
 *
 * Documentation/image-format.rst describes the format; this header is its
 * one definition, shared by the kernel module and optsimctl. Every field is
 * little-endian. The file has three areas at fixed offsets:
 *
 *   0                          the header block, OPTSIM_IMAGE_HEADER_BYTES
 *                              (struct optsim_image_header, then zeros)
 *   OPTSIM_IMAGE_JOURNAL_COMMIT
 *                              in the header block: the journal's commit
 *                              record, struct optsim_image_journal
 *   OPTSIM_IMAGE_META_OFFSET   the metadata: @meta_blocks blocks of
 *                              OPTSIM_IMAGE_META_BLOCK_BYTES, each a
 *                              struct optsim_image_meta_block
 *   @data_offset               the data area: cluster N at
 *                              @data_offset + N * OPTSIM_CLUSTER_BYTES,
 *                              sparse (clusters never recorded are holes)
 *   the end of the data area   the journal (version 2): a copy of the
 *                              header, then the metadata blocks a flush
 *                              changes, before it writes them in place
 *
 * The header and every metadata block carry a CRC32C (Castagnoli,
 * initial value and final XOR 0xffffffff, as iSCSI and ext4 use it),
 * computed with the checksum field set to zero.
 *
 * The header compiles as C90 (no // comments, no flexible arrays).
 */
#ifndef _UAPI_LINUX_OPTSIM_IMAGE_H
#define _UAPI_LINUX_OPTSIM_IMAGE_H

#include <linux/types.h>
/* Beside this header, wherever it is installed. */
#include "optsim.h"

/* The first eight bytes of every image. */
#define OPTSIM_IMAGE_MAGIC		"OPTSIMIG"
#define OPTSIM_IMAGE_MAGIC_LEN		8
/*
 * The format version this header describes. A reader refuses an image of a
 * higher version; fields are only ever added in reserved space or past
 * @header_bytes, with a new version number.
 */
#define OPTSIM_IMAGE_VERSION		3

/* Bytes of the header block at offset 0. */
#define OPTSIM_IMAGE_HEADER_BYTES	65536
/* Where the metadata starts: right after the header block. */
#define OPTSIM_IMAGE_META_OFFSET	OPTSIM_IMAGE_HEADER_BYTES
/* Bytes of one metadata block. */
#define OPTSIM_IMAGE_META_BLOCK_BYTES	4096
/* Cluster records in one metadata block (after its 16-byte head). */
#define OPTSIM_IMAGE_META_RECORDS	255
/* The data area starts at a multiple of this, after the metadata. */
#define OPTSIM_IMAGE_DATA_ALIGN		1048576
/*
 * Where the journal's commit record lies: in the header block, past the
 * header, so that writing the header never touches it.
 */
#define OPTSIM_IMAGE_JOURNAL_COMMIT	61440
/* The first eight bytes of a commit record. */
#define OPTSIM_IMAGE_JOURNAL_MAGIC	"OPTSIMJL"
/* Flags of struct optsim_image_journal. */
/* The flush it commits is in place: a load need not replay it. */
#define OPTSIM_IMAGE_JOURNAL_F_APPLIED	0x1U
/* Tracks of a BD-R the header holds (Sequential Recording Mode). */
#define OPTSIM_IMAGE_MAX_TRACKS		255

/* Flags of struct optsim_image_header. */
/* The disc is finalized: closed to further writes. */
#define OPTSIM_IMAGE_F_FINALIZED	0x1U
/* A BD-RE is formatted. */
#define OPTSIM_IMAGE_F_FORMATTED	0x2U
/* Its last format certified it. */
#define OPTSIM_IMAGE_F_CERTIFIED	0x4U
/* Every flag this version knows; others must be zero. */
#define OPTSIM_IMAGE_F_ALL		0x7U

/* Flags of struct optsim_image_track. */
/* Made by RESERVE TRACK, with a fixed size. */
#define OPTSIM_IMAGE_TRACK_F_RESERVED	0x1U
/* Closed: no more writes. */
#define OPTSIM_IMAGE_TRACK_F_CLOSED	0x2U

/**
 * struct optsim_image_layer - one layer's write parameters
 * @strategy: enum optsim_strategy
 * @velocity: linear velocity in mm/s
 * @write_power: write (peak) power in microwatts
 * @bias_power: bias power in microwatts
 * @mode: enum optsim_mode (from version 3; zero, the laser, before)
 * @current_ua: with OPTSIM_MODE_CURRENT, the pulse amplitude in
 *		microamperes, or 0 for the model's optimum (from version 3)
 * @reserved: zero
 */
struct optsim_image_layer {
	__le32 strategy;
	__le32 velocity;
	__le32 write_power;
	__le32 bias_power;
	__le32 mode;
	__le32 current_ua;
	__le32 reserved[2];
};

/**
 * struct optsim_image_track - one track of a BD-R (2048-byte sectors)
 * @start: its first sector
 * @end: one past its last sector
 * @nwa: its next writable sector
 * @data_end: one past the last sector written into it through MMC
 * @session: the session it belongs to, from 1
 * @flags: OPTSIM_IMAGE_TRACK_F_* bits
 */
struct optsim_image_track {
	__le64 start;
	__le64 end;
	__le64 nwa;
	__le64 data_end;
	__le32 session;
	__le32 flags;
};

/**
 * struct optsim_image_header - the start of an image, at offset 0
 * @magic: OPTSIM_IMAGE_MAGIC, not NUL-terminated
 * @version: OPTSIM_IMAGE_VERSION of the writer
 * @header_bytes: bytes the checksum covers, from offset 0: sizeof(struct
 *	optsim_image_header) for version 1
 * @crc: CRC32C of the first @header_bytes bytes with @crc zero
 * @flags: OPTSIM_IMAGE_F_* bits
 * @media: enum optsim_media, not OPTSIM_MEDIA_NONE
 * @layers: recording layers, 1 or 2, as @media says
 * @layer_sectors: 2048-byte sectors per layer, a multiple of
 *	OPTSIM_CLUSTER_SECTORS from OPTSIM_LAYER_SECTORS_MIN to
 *	OPTSIM_LAYER_SECTORS_MAX
 * @cluster_bytes: bytes per cluster, OPTSIM_CLUSTER_SECTORS *
 *	OPTSIM_SECTOR_SIZE
 * @meta_records: cluster records per metadata block,
 *	OPTSIM_IMAGE_META_RECORDS
 * @meta_offset: byte offset of the metadata, OPTSIM_IMAGE_META_OFFSET
 * @meta_blocks: metadata blocks: the clusters of the medium divided by
 *	@meta_records, rounded up
 * @data_offset: byte offset of the data area: the end of the metadata
 *	rounded up to OPTSIM_IMAGE_DATA_ALIGN
 * @full_erases: full erases the medium went through
 * @seed: seed of the recording model's random draws on this disc
 * @spare_sectors: sectors a BD-RE's format set aside as spare areas
 * @format_type: FORMAT UNIT format type last used
 * @nr_tracks: tracks in @track, 1 to OPTSIM_IMAGE_MAX_TRACKS
 * @closed_sessions: sessions of a BD-R that are closed
 * @reserved0: zero
 * @layer: per layer, its write parameters
 * @seq: the number of the flush that wrote this header (its journal
 *	commit's @seq); 0 in a new image, and in every version 1 image
 * @reserved: zero
 * @track: a BD-R's tracks in disc order; entries past @nr_tracks are zero
 *
 * The file is at least @data_offset + (@layers * @layer_sectors) * 2048
 * bytes long (the data area covers the whole medium, as holes where
 * nothing was recorded).
 */
struct optsim_image_header {
	__u8 magic[OPTSIM_IMAGE_MAGIC_LEN];
	__le32 version;
	__le32 header_bytes;
	__le32 crc;
	__le32 flags;
	__le32 media;
	__le32 layers;
	__le64 layer_sectors;
	__le32 cluster_bytes;
	__le32 meta_records;
	__le64 meta_offset;
	__le64 meta_blocks;
	__le64 data_offset;
	__le64 full_erases;
	__le64 seed;
	__le64 spare_sectors;
	__le32 format_type;
	__le32 nr_tracks;
	__le32 closed_sessions;
	__le32 reserved0;
	struct optsim_image_layer layer[OPTSIM_MAX_LAYERS];
	__le64 seq;
	__le64 reserved[15];
	struct optsim_image_track track[OPTSIM_IMAGE_MAX_TRACKS];
};

/**
 * struct optsim_image_cluster - what is kept of one cluster
 * @flags: OPTSIM_QUALITY_F_* bits (uapi/linux/optsim.h): RECORDED when
 *	the cluster holds data in the data area; UNCORRECTABLE, UNRESOLVED
 *	and BURST as its last recording came out. Zero for a cluster never
 *	recorded, or erased.
 * @writes: times the cluster was recorded; its direct-overwrite count is
 *	this plus the header's @full_erases
 * @jitter: jitter of the last recording, in 0.01 % of T
 * @ldc: LDC byte errors before correction
 * @bis: BIS byte errors
 * @ldc_worst: errors plus erasures of the worst LDC codeword
 * @reserved: zero
 *
 * The read result of a cluster (its data, or a medium error) follows from
 * these fields and its data; nothing else is needed to reproduce it.
 */
struct optsim_image_cluster {
	__le32 flags;
	__le32 writes;
	__le16 jitter;
	__le16 ldc;
	__le16 bis;
	__u8 ldc_worst;
	__u8 reserved;
};

/**
 * struct optsim_image_meta_block - one metadata block
 * @crc: CRC32C of the whole block (OPTSIM_IMAGE_META_BLOCK_BYTES) with
 *	@crc zero
 * @reserved0: zero
 * @first_cluster: index of the cluster of @rec[0]: the block's number
 *	times OPTSIM_IMAGE_META_RECORDS
 * @rec: the clusters' records; those past the end of the medium are zero
 */
struct optsim_image_meta_block {
	__le32 crc;
	__le32 reserved0;
	__le64 first_cluster;
	struct optsim_image_cluster rec[OPTSIM_IMAGE_META_RECORDS];
};

/**
 * struct optsim_image_journal - the journal's commit record, at
 *	OPTSIM_IMAGE_JOURNAL_COMMIT
 * @magic: OPTSIM_IMAGE_JOURNAL_MAGIC; all zero when no flush was ever
 *	journaled
 * @crc: CRC32C of this record with @crc zero
 * @flags: OPTSIM_IMAGE_JOURNAL_F_* bits
 * @seq: the number of the flush, one more than the last one's
 * @offset: byte offset of the journal: the end of the data area. A copy
 *	of the header (the one the flush writes, @seq in it) lies there, and
 *	@blocks metadata blocks from @offset + OPTSIM_IMAGE_HEADER_BYTES on,
 *	OPTSIM_IMAGE_META_BLOCK_BYTES apart, in rising order of their
 *	@first_cluster, which says where each belongs
 * @blocks: metadata blocks in the journal
 * @payload_crc: CRC32C of the header copy (its header_bytes) followed by
 *	the @blocks metadata blocks
 * @reserved0: zero
 * @reserved: zero
 *
 * A flush writes the journal and this record and makes them durable, then
 * writes the same blocks and header in place, makes them durable, and
 * sets OPTSIM_IMAGE_JOURNAL_F_APPLIED. A load replays a record that checks
 * out, is not applied and is not older than the header in place; a torn
 * journal (@payload_crc or @crc mismatch) is ignored, as its flush never
 * touched the blocks in place.
 */
struct optsim_image_journal {
	__u8 magic[OPTSIM_IMAGE_MAGIC_LEN];
	__le32 crc;
	__le32 flags;
	__le64 seq;
	__le64 offset;
	__le64 blocks;
	__le32 payload_crc;
	__le32 reserved0;
	__le64 reserved[4];
};

#endif /* _UAPI_LINUX_OPTSIM_IMAGE_H */
