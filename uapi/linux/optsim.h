/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * optsim - emulated dual-layer optical disc drive (BD-R / BD-RE).
 *
 * This header is the stable contract between the optsim kernel module and
 * userspace. Rules that every definition here follows:
 *
 * - Every ioctl is encoded with _IOR/_IOW/_IOWR on OPTSIM_IOC_MAGIC, so the
 *   size of its argument is part of its number.
 * - Structures use only __u32 and __u64, are naturally aligned with no
 *   implicit padding, and end in explicit reserved words.
 * - Reserved words and unknown flag bits passed in must be zero; the driver
 *   refuses the request with EINVAL otherwise. Reserved words passed out are
 *   written as zero.
 * - A refused request changes nothing.
 * - Requests that change the medium or its parameters need CAP_SYS_ADMIN.
 *
 * The header compiles as C90 (no // comments, no flexible arrays).
 */
#ifndef _UAPI_LINUX_OPTSIM_H
#define _UAPI_LINUX_OPTSIM_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bytes in one logical sector, as on every optical drive. */
#define OPTSIM_SECTOR_SIZE		2048
/* Logical sectors in one 64 KiB ECC cluster, the unit of recording. */
#define OPTSIM_CLUSTER_SECTORS		32
/* Most recording layers a medium can have. */
#define OPTSIM_MAX_LAYERS		2
/* Layer selector of OPTSIM_IOC_SET_PARAMS that addresses every layer. */
#define OPTSIM_LAYER_ALL		0xffffffffU

/* Accepted linear velocity range, in mm/s (1.0 to 60.0 m/s). */
#define OPTSIM_VELOCITY_MIN_MMS		1000
#define OPTSIM_VELOCITY_MAX_MMS		60000
/* Linear velocity of BD 1x for a 25 GB layer, in mm/s. */
#define OPTSIM_VELOCITY_1X_MMS		4917
/* Accepted write (peak) power range, in microwatts. */
#define OPTSIM_POWER_MIN_UW		100
#define OPTSIM_POWER_MAX_UW		50000

/**
 * enum optsim_media - type of the medium in the drive
 * @OPTSIM_MEDIA_NONE: no medium (after eject)
 * @OPTSIM_MEDIA_BD_R: write-once, one layer
 * @OPTSIM_MEDIA_BD_R_DL: write-once, two layers
 * @OPTSIM_MEDIA_BD_RE: rewritable, one layer
 * @OPTSIM_MEDIA_BD_RE_DL: rewritable, two layers
 */
enum optsim_media {
	OPTSIM_MEDIA_NONE	= 0,
	OPTSIM_MEDIA_BD_R	= 1,
	OPTSIM_MEDIA_BD_R_DL	= 2,
	OPTSIM_MEDIA_BD_RE	= 3,
	OPTSIM_MEDIA_BD_RE_DL	= 4
};

/**
 * enum optsim_strategy - laser pulse strategy used to record marks
 * @OPTSIM_STRATEGY_AUTO: chosen by the drive from medium and velocity
 * @OPTSIM_STRATEGY_SINGLE: one pulse per mark
 * @OPTSIM_STRATEGY_MULTI: (n-1) multi-pulse train per nT mark
 * @OPTSIM_STRATEGY_CASTLE: castle pulse (raised first and last part)
 */
enum optsim_strategy {
	OPTSIM_STRATEGY_AUTO	= 0,
	OPTSIM_STRATEGY_SINGLE	= 1,
	OPTSIM_STRATEGY_MULTI	= 2,
	OPTSIM_STRATEGY_CASTLE	= 3
};

/* Flags of struct optsim_info. */
/* The medium records each cluster once (BD-R). */
#define OPTSIM_INFO_F_WRITE_ONCE	0x1U
/* The disc is closed: no further writes are accepted. */
#define OPTSIM_INFO_F_FINALIZED		0x2U
/* @nwa holds a next writable address (false when the disc is full or closed). */
#define OPTSIM_INFO_F_NWA_VALID		0x4U

/**
 * struct optsim_info - state of the drive and its medium (OPTSIM_IOC_GET_INFO)
 * @media: enum optsim_media; OPTSIM_MEDIA_NONE when the drive is empty
 * @flags: OPTSIM_INFO_F_* bits
 * @layers: number of recording layers (0 when empty)
 * @cluster_sectors: logical sectors per ECC cluster (OPTSIM_CLUSTER_SECTORS)
 * @sector_size: bytes per logical sector (OPTSIM_SECTOR_SIZE)
 * @reserved0: written as zero
 * @layer_sectors: logical sectors in each layer
 * @capacity: logical sectors on the medium (@layers * @layer_sectors)
 * @nwa: next writable address: the first sector after the last recorded
 *	 cluster; valid only with OPTSIM_INFO_F_NWA_VALID
 * @recorded_clusters: clusters holding recorded data, per layer
 * @full_erases: number of full erases the medium has been through
 * @mem_used: bytes of RAM holding recorded data (all devices)
 * @mem_limit: the cap on @mem_used (module parameter max_mem_mb)
 * @reserved: written as zero
 */
struct optsim_info {
	__u32 media;
	__u32 flags;
	__u32 layers;
	__u32 cluster_sectors;
	__u32 sector_size;
	__u32 reserved0;
	__u64 layer_sectors;
	__u64 capacity;
	__u64 nwa;
	__u64 recorded_clusters[OPTSIM_MAX_LAYERS];
	__u64 full_erases;
	__u64 mem_used;
	__u64 mem_limit;
	__u64 reserved[4];
};

/**
 * struct optsim_params - write parameters of one layer
 * @layer: layer index (0 = L0, farthest from the laser); for SET_PARAMS
 *	   also OPTSIM_LAYER_ALL
 * @strategy: enum optsim_strategy
 * @velocity: linear velocity in mm/s, OPTSIM_VELOCITY_MIN_MMS to
 *	      OPTSIM_VELOCITY_MAX_MMS
 * @write_power: peak write power in microwatts, OPTSIM_POWER_MIN_UW to
 *		 OPTSIM_POWER_MAX_UW
 * @bias_power: bias (erase/space) power in microwatts, 0 to @write_power
 * @reserved0: must be zero
 * @reserved: must be zero
 *
 * GET_PARAMS reads @layer and fills in the rest. SET_PARAMS validates every
 * field before it applies any: a refused set changes nothing.
 */
struct optsim_params {
	__u32 layer;
	__u32 strategy;
	__u32 velocity;
	__u32 write_power;
	__u32 bias_power;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct optsim_load - insert a new blank medium (OPTSIM_IOC_LOAD)
 * @media: enum optsim_media, not OPTSIM_MEDIA_NONE
 * @reserved0: must be zero
 * @layer_sectors: logical sectors per layer, a multiple of
 *		   OPTSIM_CLUSTER_SECTORS; 0 selects the module default
 * @reserved: must be zero
 */
struct optsim_load {
	__u32 media;
	__u32 reserved0;
	__u64 layer_sectors;
	__u64 reserved[2];
};

/* Flags of struct optsim_erase. */
/* Forget the contents only; without it every cluster goes through one cycle. */
#define OPTSIM_ERASE_F_QUICK		0x1U

/**
 * struct optsim_erase - blank a rewritable medium (OPTSIM_IOC_ERASE)
 * @flags: OPTSIM_ERASE_F_* bits
 * @reserved0: must be zero
 * @reserved: must be zero
 */
struct optsim_erase {
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct optsim_empty - argument of requests that take no parameters yet
 * @reserved: must be zero
 *
 * Used by OPTSIM_IOC_EJECT and OPTSIM_IOC_FINALIZE, so that they can grow
 * flags later without a new ioctl number.
 */
struct optsim_empty {
	__u64 reserved[2];
};

/* Flags of struct optsim_cluster_info. */
/* The cluster holds recorded data. */
#define OPTSIM_CLUSTER_F_RECORDED	0x1U

/**
 * struct optsim_cluster_info - where a sector lies and how its cluster is
 *	recorded (OPTSIM_IOC_GET_CLUSTER)
 * @lba: in: logical sector address, below the capacity
 * @cluster: out: cluster index on the medium (@lba / OPTSIM_CLUSTER_SECTORS)
 * @psn: out: sector index within its layer along the layer's track path
 *	 (L0 inner to outer, L1 outer to inner)
 * @layer: out: layer index
 * @flags: out: OPTSIM_CLUSTER_F_* bits
 * @radius: out: radius of the sector on the disc, in micrometres
 * @dow: out: direct-overwrite cycles the cluster has been through
 * @reserved: in: must be zero; out: written as zero
 */
struct optsim_cluster_info {
	__u64 lba;
	__u64 cluster;
	__u64 psn;
	__u32 layer;
	__u32 flags;
	__u32 radius;
	__u32 dow;
	__u64 reserved[2];
};

/* Flags of struct optsim_quality_rec. */
/* The cluster holds recorded data; without it the other fields are zero. */
#define OPTSIM_QUALITY_F_RECORDED	0x1U
/* An LDC or BIS codeword cannot be corrected: reads fail (medium error). */
#define OPTSIM_QUALITY_F_UNCORRECTABLE	0x2U
/* Some marks are too short for the optics to resolve (lambda/NA). */
#define OPTSIM_QUALITY_F_UNRESOLVED	0x4U
/* A defect burst hit the cluster. */
#define OPTSIM_QUALITY_F_BURST		0x8U

/**
 * struct optsim_quality_rec - how one cluster was recorded
 * @jitter: data-to-clock jitter of the cluster, in 0.01 % of the channel
 *	    clock period T
 * @ldc: byte errors the LDC (long-distance code) decoder sees in the
 *	 cluster before correction
 * @bis: byte errors in the cluster's BIS (burst indicator) codewords
 * @ldc_worst: errors plus erasures of the worst LDC codeword; above 32 it
 *	       cannot be corrected
 * @dow: direct-overwrite cycles the cluster has been through
 * @layer: layer index
 * @flags: OPTSIM_QUALITY_F_* bits
 * @reserved: written as zero
 */
struct optsim_quality_rec {
	__u32 jitter;
	__u32 ldc;
	__u32 bis;
	__u32 ldc_worst;
	__u32 dow;
	__u32 layer;
	__u32 flags;
	__u32 reserved;
};

/* Most records one OPTSIM_IOC_GET_QUALITY returns. */
#define OPTSIM_QUALITY_MAX_RECORDS	65536

/**
 * struct optsim_quality - read the quality records of a cluster range
 *	(OPTSIM_IOC_GET_QUALITY)
 * @cluster: in: first cluster index, below the medium's cluster count
 * @records: in: user pointer to an array of @count struct optsim_quality_rec
 * @count: in: room in @records, 1 to OPTSIM_QUALITY_MAX_RECORDS; out:
 *	   records written (fewer at the end of the medium)
 * @reserved0: must be zero
 * @reserved: must be zero
 */
struct optsim_quality {
	__u64 cluster;
	__u64 records;
	__u32 count;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct optsim_opc - optimum power control (OPTSIM_IOC_OPC)
 * @layer: in: layer index, or OPTSIM_LAYER_ALL
 * @flags: in: must be zero
 * @power: out: per layer, the write power chosen and now set, in
 *	   microwatts; 0 for layers not calibrated
 * @jitter: out: per layer, the jitter of the test writes at that power,
 *	    in 0.01 % of T
 * @steps: out: per layer, test writes made in the power calibration area
 * @reserved: must be zero
 *
 * The drive test-writes a ladder of powers (a coarse one from 1 to 40 mW,
 * then a fine one around its best) in the power calibration area, which
 * lies outside the user data, and sets the power with the lowest jitter.
 * Velocity, strategy and bias power stay as they are; the bias power is
 * capped at the new write power, as in the test writes. All layers asked
 * for are calibrated, and the result is copied out, before anything
 * changes.
 */
struct optsim_opc {
	__u32 layer;
	__u32 flags;
	__u32 power[OPTSIM_MAX_LAYERS];
	__u32 jitter[OPTSIM_MAX_LAYERS];
	__u32 steps[OPTSIM_MAX_LAYERS];
	__u64 reserved[2];
};

#define OPTSIM_IOC_MAGIC		0xBD

/* Any new request must be encoded with _IOR/_IOW/_IOWR. */
#define OPTSIM_IOC_GET_INFO	_IOR(OPTSIM_IOC_MAGIC, 0x00, struct optsim_info)
#define OPTSIM_IOC_GET_PARAMS	_IOWR(OPTSIM_IOC_MAGIC, 0x01, struct optsim_params)
#define OPTSIM_IOC_SET_PARAMS	_IOW(OPTSIM_IOC_MAGIC, 0x02, struct optsim_params)
#define OPTSIM_IOC_LOAD		_IOW(OPTSIM_IOC_MAGIC, 0x03, struct optsim_load)
#define OPTSIM_IOC_EJECT	_IOW(OPTSIM_IOC_MAGIC, 0x04, struct optsim_empty)
#define OPTSIM_IOC_FINALIZE	_IOW(OPTSIM_IOC_MAGIC, 0x05, struct optsim_empty)
#define OPTSIM_IOC_ERASE	_IOW(OPTSIM_IOC_MAGIC, 0x06, struct optsim_erase)
#define OPTSIM_IOC_GET_CLUSTER	_IOWR(OPTSIM_IOC_MAGIC, 0x07, struct optsim_cluster_info)
#define OPTSIM_IOC_GET_QUALITY	_IOWR(OPTSIM_IOC_MAGIC, 0x08, struct optsim_quality)
#define OPTSIM_IOC_OPC		_IOWR(OPTSIM_IOC_MAGIC, 0x09, struct optsim_opc)

#endif /* _UAPI_LINUX_OPTSIM_H */
