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
/*
 * Accepted layer sizes, in logical sectors (OPTSIM_IOC_LOAD, the module
 * parameter layer_sectors and OPTSIM_CMD_DEV_NEW); a size is also a
 * multiple of OPTSIM_CLUSTER_SECTORS. The largest is 32 GiB per layer.
 */
#define OPTSIM_LAYER_SECTORS_MIN	1024
#define OPTSIM_LAYER_SECTORS_MAX	16777216
/* The default layer size: a 25 GB BD layer (module parameter layer_sectors). */
#define OPTSIM_LAYER_SECTORS_DEFAULT	12219392
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

/*
 * Names of the media types, as the module parameter "media" and the sysfs
 * attribute "media" spell them (OPTSIM_MEDIA_NAME_NONE: no medium).
 */
#define OPTSIM_MEDIA_NAME_NONE		"none"
#define OPTSIM_MEDIA_NAME_BD_R		"bd-r"
#define OPTSIM_MEDIA_NAME_BD_R_DL	"bd-r-dl"
#define OPTSIM_MEDIA_NAME_BD_RE		"bd-re"
#define OPTSIM_MEDIA_NAME_BD_RE_DL	"bd-re-dl"

/**
 * enum optsim_strategy - laser pulse strategy used to record marks
 * @OPTSIM_STRATEGY_AUTO: chosen by the drive from medium, layer and velocity
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

/* Names of the strategies, as tools show and accept them. */
#define OPTSIM_STRATEGY_NAME_AUTO	"auto"
#define OPTSIM_STRATEGY_NAME_SINGLE	"single"
#define OPTSIM_STRATEGY_NAME_MULTI	"multi"
#define OPTSIM_STRATEGY_NAME_CASTLE	"castle"

/**
 * enum optsim_mode - how a layer's marks are heated
 * @OPTSIM_MODE_LASER: by the focused laser (the write strategy and powers)
 * @OPTSIM_MODE_CURRENT: by Joule heat of a current pulse through
 *	electrodes on both sides of the recording film (rewritable media
 *	only): a short high pulse amorphizes, a longer lower one
 *	crystallizes
 */
enum optsim_mode {
	OPTSIM_MODE_LASER	= 0,
	OPTSIM_MODE_CURRENT	= 1
};

/* Names of the recording modes, as tools show and accept them. */
#define OPTSIM_MODE_NAME_LASER		"laser"
#define OPTSIM_MODE_NAME_CURRENT	"current"

/*
 * Amorphizing current pulse amplitudes accepted in OPTSIM_MODE_CURRENT,
 * microamperes; 0 selects the model's optimum current for the layer.
 */
#define OPTSIM_CURRENT_MIN_UA		10
#define OPTSIM_CURRENT_MAX_UA		100000

/* Flags of struct optsim_info. */
/* The medium records each cluster once (BD-R). */
#define OPTSIM_INFO_F_WRITE_ONCE	0x1U
/* The disc is closed: no further writes are accepted. */
#define OPTSIM_INFO_F_FINALIZED		0x2U
/* @nwa holds a next writable address (false when the disc is full or closed). */
#define OPTSIM_INFO_F_NWA_VALID		0x4U
/* The medium lives in an image file (OPTSIM_LOAD_F_IMAGE), not in memory. */
#define OPTSIM_INFO_F_IMAGE		0x8U
/* The image was opened read-only: every write and change is refused. */
#define OPTSIM_INFO_F_READ_ONLY		0x10U

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
 * @mem_used: bytes of RAM holding recorded data (all devices); media in
 *	image files do not count
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
 * @mode: enum optsim_mode
 * @current_ua: with OPTSIM_MODE_CURRENT, the amorphizing pulse amplitude
 *		in microamperes, OPTSIM_CURRENT_MIN_UA to
 *		OPTSIM_CURRENT_MAX_UA, or 0 for the model's optimum; must be
 *		zero with OPTSIM_MODE_LASER
 * @reserved1: must be zero
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
	__u32 mode;
	__u32 current_ua;
	__u32 reserved1;
	__u64 reserved;
};

/* Flags of struct optsim_load. */
/* Load the medium kept in the image file @image_fd (optsim_image.h). */
#define OPTSIM_LOAD_F_IMAGE		0x1U

/**
 * struct optsim_load - insert a new blank medium, or the medium of an image
 *	file (OPTSIM_IOC_LOAD)
 * @media: enum optsim_media, not OPTSIM_MEDIA_NONE; 0 with
 *	   OPTSIM_LOAD_F_IMAGE (the image says)
 * @reserved0: must be zero
 * @layer_sectors: logical sectors per layer, a multiple of
 *		   OPTSIM_CLUSTER_SECTORS; 0 selects the module default; 0
 *		   with OPTSIM_LOAD_F_IMAGE
 * @flags: OPTSIM_LOAD_F_* bits
 * @image_fd: with OPTSIM_LOAD_F_IMAGE, a descriptor of a regular file
 *	      holding an image, opened for reading and writing (or for
 *	      reading only: the medium is then read-only). The drive takes
 *	      its own reference; the caller may close it. Must be zero
 *	      without the flag.
 * @reserved: must be zero
 */
struct optsim_load {
	__u32 media;
	__u32 reserved0;
	__u64 layer_sectors;
	__u32 flags;
	__s32 image_fd;
	__u64 reserved;
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
 * @current_ua: out: per layer recorded by current pulses
 *		(OPTSIM_MODE_CURRENT), the pulse current chosen and now set,
 *		in microamperes; 0 for laser layers and layers not
 *		calibrated
 * @reserved: must be zero
 * @window_lo: out: per layer, the lowest setting of the window whose jitter
 *	       is within the layer's limit around the one chosen: a power in
 *	       microwatts, or for a layer in current mode a current in
 *	       microamperes; 0 when no setting was within the limit (the
 *	       lowest jitter was chosen) and for layers not calibrated
 * @window_hi: out: per layer, the highest setting of that window, as
 *	       @window_lo
 *
 * A caller built before @window_lo and @window_hi existed passes the
 * OPTSIM_OPC_SIZE_VER0 bytes up to @reserved (OPTSIM_IOC_OPC_VER0) and
 * gets the same answer without the window.
 *
 * The drive test-writes a ladder of powers (a coarse one from 1 to 40 mW,
 * then a fine one around its best) in the power calibration area, which
 * lies outside the user data, and sets the power at the centre of the
 * window whose jitter is within the layer's limit (or the lowest jitter).
 * Velocity and strategy stay as they are; the bias power keeps its ratio
 * to the write power (Pe/Pw, Ps/Pw), as in the test writes. A layer in
 * OPTSIM_MODE_CURRENT gets a ladder of currents instead, each written
 * fresh and over itself, and the centre of the window within the layer's
 * jitter limit; its powers stay, and @power reports them. All layers
 * asked for are calibrated, and the result is copied out, before anything
 * changes.
 */
struct optsim_opc {
	__u32 layer;
	__u32 flags;
	__u32 power[OPTSIM_MAX_LAYERS];
	__u32 jitter[OPTSIM_MAX_LAYERS];
	__u32 steps[OPTSIM_MAX_LAYERS];
	__u32 current_ua[OPTSIM_MAX_LAYERS];
	__u64 reserved;
	__u32 window_lo[OPTSIM_MAX_LAYERS];
	__u32 window_hi[OPTSIM_MAX_LAYERS];
};

/* The size of struct optsim_opc up to @reserved, before the window. */
#define OPTSIM_OPC_SIZE_VER0	48

/**
 * struct optsim_save - write the medium out as a disc image
 *	(OPTSIM_IOC_SAVE)
 * @image_fd: a descriptor of an empty regular file, open for writing; it
 *	      gets the image (optsim_image.h) of the medium in the drive
 * @flags: must be zero
 * @reserved: must be zero
 */
struct optsim_save {
	__s32 image_fd;
	__u32 flags;
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
/* OPTSIM_IOC_OPC as callers built before the window pass it. */
#define OPTSIM_IOC_OPC_VER0	_IOC(_IOC_READ | _IOC_WRITE, OPTSIM_IOC_MAGIC, \
				     0x09, OPTSIM_OPC_SIZE_VER0)
#define OPTSIM_IOC_SAVE		_IOW(OPTSIM_IOC_MAGIC, 0x0a, struct optsim_save)

/*
 * Generic netlink family "optsim" (version OPTSIM_GENL_VERSION).
 *
 * Documentation/netlink/optsim.yaml is the specification; these enums
 * follow it. Requests carry attributes of enum optsim_a; each layer's
 * values sit in an OPTSIM_A_LAYER nest of enum optsim_a_layer attributes,
 * and each BD-R track's in an OPTSIM_A_TRACK nest of enum optsim_a_track.
 * Commands that change anything need CAP_NET_ADMIN. Notifications go to
 * the multicast group OPTSIM_GENL_MCGRP_EVENTS.
 */
#define OPTSIM_GENL_NAME		"optsim"
#define OPTSIM_GENL_VERSION		1
#define OPTSIM_GENL_MCGRP_EVENTS	"events"

/* Drives one module instance can hold; device indexes are below it. */
#define OPTSIM_MAX_DEVICES		64

/**
 * enum optsim_reason - why a write was refused (OPTSIM_A_REASON)
 * @OPTSIM_REASON_UNSPEC: not used
 * @OPTSIM_REASON_RECORDED: a cluster of the write is already recorded on a
 *	write-once medium (a write-once violation)
 * @OPTSIM_REASON_FINALIZED: the disc is finalized
 * @OPTSIM_REASON_BEYOND_END: the write runs past the end of the medium
 * @OPTSIM_REASON_NO_MEMORY: the module's memory cap (max_mem_mb) or the
 *	system's memory ran out
 * @OPTSIM_REASON_READ_ONLY: the medium is an image opened read-only
 * @OPTSIM_REASON_IMAGE_ERROR: the medium's image file could not be written
 *	(its file system is full, or an I/O error); nothing was recorded
 */
enum optsim_reason {
	OPTSIM_REASON_UNSPEC,
	OPTSIM_REASON_RECORDED,
	OPTSIM_REASON_FINALIZED,
	OPTSIM_REASON_BEYOND_END,
	OPTSIM_REASON_NO_MEMORY,
	OPTSIM_REASON_READ_ONLY,
	OPTSIM_REASON_IMAGE_ERROR
};

/**
 * enum optsim_cmd - commands and notifications of the "optsim" family
 * @OPTSIM_CMD_UNSPEC: not used
 * @OPTSIM_CMD_DEV_GET: do: one drive (OPTSIM_A_DEV_INDEX); dump: all
 *	drives. Replies with its medium and each layer's parameters, and a
 *	BD-R's tracks and sessions or a BD-RE's format.
 * @OPTSIM_CMD_DEV_NEW: create a drive (admin); optional OPTSIM_A_DEV_INDEX
 *	(default: the lowest free one), OPTSIM_A_MEDIA, OPTSIM_A_LAYER_SECTORS.
 *	Replies like OPTSIM_CMD_DEV_GET.
 * @OPTSIM_CMD_DEV_DEL: remove a drive (admin); EBUSY while it is open
 * @OPTSIM_CMD_PARAMS_GET: the write parameters of a drive's layers
 * @OPTSIM_CMD_PARAMS_SET: change write parameters (admin): one
 *	OPTSIM_A_LAYER nest per layer to change, with its OPTSIM_A_LAYER_INDEX;
 *	absent values stay as they are. Validated as OPTSIM_IOC_SET_PARAMS is;
 *	every layer is compiled before any changes.
 * @OPTSIM_CMD_STATS_GET: do: one drive; dump: all drives. Per-layer
 *	counters since the drive was created.
 * @OPTSIM_CMD_DEV_ADD_NTF: a drive was created
 * @OPTSIM_CMD_DEV_DEL_NTF: a drive was removed
 * @OPTSIM_CMD_LOAD_NTF: a blank medium was loaded
 * @OPTSIM_CMD_EJECT_NTF: the medium was ejected
 * @OPTSIM_CMD_RECORDED_NTF: clusters were recorded: OPTSIM_A_CLUSTERS of
 *	them, between OPTSIM_A_FIRST_CLUSTER and OPTSIM_A_LAST_CLUSTER.
 *	Writes are coalesced and announced at most every 100 ms per drive.
 * @OPTSIM_CMD_WRITE_REFUSED_NTF: a write was refused: OPTSIM_A_REASON,
 *	OPTSIM_A_ERROR, OPTSIM_A_LBA, OPTSIM_A_FIRST_CLUSTER (the first
 *	offending cluster) and OPTSIM_A_ON_LAYER
 * @OPTSIM_CMD_READ_ERROR_NTF: a read failed on an uncorrectable cluster
 *	(OPTSIM_A_FIRST_CLUSTER, OPTSIM_A_ON_LAYER, OPTSIM_A_LBA)
 * @OPTSIM_CMD_OPC_NTF: optimum power control set a layer's power
 *	(an OPTSIM_A_LAYER nest with the power, jitter and ladder steps)
 * @OPTSIM_CMD_FINALIZE_NTF: the disc was finalized
 * @OPTSIM_CMD_ERASE_NTF: the disc was erased (OPTSIM_A_ERASE_QUICK)
 * @OPTSIM_CMD_PARAMS_NTF: write parameters changed (OPTSIM_A_LAYER nests
 *	of the layers that changed)
 * @OPTSIM_CMD_LOAD: load a medium into drive OPTSIM_A_DEV_INDEX (admin),
 *	as OPTSIM_IOC_LOAD does: a new blank one (OPTSIM_A_MEDIA, optional
 *	OPTSIM_A_LAYER_SECTORS), or the one an image holds (OPTSIM_A_IMAGE_FD).
 *	EBUSY while the drive is open or mounted.
 * @__OPTSIM_CMD_MAX: one past the last command
 */
enum optsim_cmd {
	OPTSIM_CMD_UNSPEC,
	OPTSIM_CMD_DEV_GET,
	OPTSIM_CMD_DEV_NEW,
	OPTSIM_CMD_DEV_DEL,
	OPTSIM_CMD_PARAMS_GET,
	OPTSIM_CMD_PARAMS_SET,
	OPTSIM_CMD_STATS_GET,
	OPTSIM_CMD_DEV_ADD_NTF,
	OPTSIM_CMD_DEV_DEL_NTF,
	OPTSIM_CMD_LOAD_NTF,
	OPTSIM_CMD_EJECT_NTF,
	OPTSIM_CMD_RECORDED_NTF,
	OPTSIM_CMD_WRITE_REFUSED_NTF,
	OPTSIM_CMD_READ_ERROR_NTF,
	OPTSIM_CMD_OPC_NTF,
	OPTSIM_CMD_FINALIZE_NTF,
	OPTSIM_CMD_ERASE_NTF,
	OPTSIM_CMD_PARAMS_NTF,
	OPTSIM_CMD_LOAD,

	__OPTSIM_CMD_MAX
};

#define OPTSIM_CMD_MAX (__OPTSIM_CMD_MAX - 1)

/**
 * enum optsim_a - attributes of a drive and of events
 * @OPTSIM_A_UNSPEC: not used
 * @OPTSIM_A_PAD: padding of 64-bit attributes
 * @OPTSIM_A_DEV_INDEX: u32, the drive's index (0 is /dev/optsim, N is
 *	/dev/optsimN)
 * @OPTSIM_A_DEV_NAME: string, the block device's name
 * @OPTSIM_A_MEDIA: u32, enum optsim_media
 * @OPTSIM_A_LAYERS: u32, recording layers of the medium
 * @OPTSIM_A_LAYER_SECTORS: u64, 2048-byte sectors per layer
 * @OPTSIM_A_CAPACITY: u64, 2048-byte sectors of the medium
 * @OPTSIM_A_FINALIZED: u8, 1 when the disc is finalized
 * @OPTSIM_A_WRITE_ONCE: u8, 1 for write-once media
 * @OPTSIM_A_NWA: u64, next writable address: the first sector after the
 *	last recorded cluster; absent when the disc is finalized or full
 * @OPTSIM_A_OPEN_COUNT: u32, opens of the block device, mounts included
 * @OPTSIM_A_LAYER: nest of enum optsim_a_layer, one per layer
 * @OPTSIM_A_FIRST_CLUSTER: u64, first cluster of a range
 * @OPTSIM_A_LAST_CLUSTER: u64, last cluster of a range
 * @OPTSIM_A_CLUSTERS: u64, clusters in a range
 * @OPTSIM_A_LBA: u64, first 2048-byte sector of the request
 * @OPTSIM_A_REASON: u32, enum optsim_reason
 * @OPTSIM_A_ERROR: u32, the positive errno the request failed with
 * @OPTSIM_A_ON_LAYER: u32, the layer an event happened on
 * @OPTSIM_A_ERASE_QUICK: u8, 1 for a quick erase
 * @OPTSIM_A_TRACK: nest of enum optsim_a_track, one per track of a BD-R
 *	(Sequential Recording Mode), in disc order; the last is the invisible
 *	track of the open session unless the disc is finalized
 * @OPTSIM_A_CLOSED_SESSIONS: u32, sessions of a BD-R that are closed; the
 *	session after them is open (it may be empty) unless the disc is
 *	finalized
 * @OPTSIM_A_FORMATTED: u8, 1 when a BD-RE is formatted
 * @OPTSIM_A_SPARE_SECTORS: u64, 2048-byte sectors a BD-RE's format sets
 *	aside as spare areas (0 when unformatted or formatted without spares)
 * @OPTSIM_A_IMAGE_FD: s32, a file descriptor open on a disc image, a
 *	number in the file table of the task that sends the request (a
 *	generic netlink request is carried out inside its sender's sendmsg()
 *	call); the kernel takes its own reference, as OPTSIM_IOC_LOAD does
 * @__OPTSIM_A_MAX: one past the last attribute
 */
enum optsim_a {
	OPTSIM_A_UNSPEC,
	OPTSIM_A_PAD,
	OPTSIM_A_DEV_INDEX,
	OPTSIM_A_DEV_NAME,
	OPTSIM_A_MEDIA,
	OPTSIM_A_LAYERS,
	OPTSIM_A_LAYER_SECTORS,
	OPTSIM_A_CAPACITY,
	OPTSIM_A_FINALIZED,
	OPTSIM_A_WRITE_ONCE,
	OPTSIM_A_NWA,
	OPTSIM_A_OPEN_COUNT,
	OPTSIM_A_LAYER,
	OPTSIM_A_FIRST_CLUSTER,
	OPTSIM_A_LAST_CLUSTER,
	OPTSIM_A_CLUSTERS,
	OPTSIM_A_LBA,
	OPTSIM_A_REASON,
	OPTSIM_A_ERROR,
	OPTSIM_A_ON_LAYER,
	OPTSIM_A_ERASE_QUICK,
	OPTSIM_A_TRACK,
	OPTSIM_A_CLOSED_SESSIONS,
	OPTSIM_A_FORMATTED,
	OPTSIM_A_SPARE_SECTORS,
	OPTSIM_A_IMAGE_FD,

	__OPTSIM_A_MAX
};

#define OPTSIM_A_MAX (__OPTSIM_A_MAX - 1)

/**
 * enum optsim_a_layer - attributes of one layer (in an OPTSIM_A_LAYER nest)
 * @OPTSIM_A_LAYER_UNSPEC: not used
 * @OPTSIM_A_LAYER_PAD: padding of 64-bit attributes
 * @OPTSIM_A_LAYER_INDEX: u32, the layer (0 is L0, the far layer)
 * @OPTSIM_A_LAYER_STRATEGY: u32, enum optsim_strategy
 * @OPTSIM_A_LAYER_VELOCITY: u32, linear velocity in mm/s
 * @OPTSIM_A_LAYER_WRITE_POWER: u32, write (peak) power in microwatts
 * @OPTSIM_A_LAYER_BIAS_POWER: u32, bias power in microwatts
 * @OPTSIM_A_LAYER_RECORDED_CLUSTERS: u64, clusters holding data
 * @OPTSIM_A_LAYER_JITTER: u32, jitter OPC found, in 0.01 %
 * @OPTSIM_A_LAYER_STEPS: u32, power steps OPC test-wrote
 * @OPTSIM_A_LAYER_BYTES_WRITTEN: u64, bytes written by requests
 * @OPTSIM_A_LAYER_BYTES_READ: u64, bytes read by requests
 * @OPTSIM_A_LAYER_CLUSTERS_WRITTEN: u64, clusters recorded
 * @OPTSIM_A_LAYER_CLUSTERS_READ: u64, clusters read
 * @OPTSIM_A_LAYER_WRITES_REFUSED: u64, write requests refused (any reason)
 * @OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS: u64, writes refused because a
 *	cluster was already recorded on write-once media
 * @OPTSIM_A_LAYER_MEDIUM_ERRORS: u64, reads failed on uncorrectable
 *	clusters
 * @OPTSIM_A_LAYER_COMPILES: u64, recording model tables compiled
 * @OPTSIM_A_LAYER_STRATEGY_USED: u32, enum optsim_strategy: the strategy
 *	the layer is written with, OPTSIM_A_LAYER_STRATEGY with auto resolved
 *	by the drive (never OPTSIM_STRATEGY_AUTO); in replies and
 *	notifications only
 * @OPTSIM_A_LAYER_MODE: u32, enum optsim_mode: laser or current pulses
 * @OPTSIM_A_LAYER_CURRENT: u32, current mode's amorphizing pulse in
 *	microamperes (0: the model's optimum; 0 in laser mode)
 * @OPTSIM_A_LAYER_WINDOW_LO: u32, the lowest setting of OPC's window within
 *	the layer's jitter limit: microwatts, or microamperes in current mode
 *	(&struct optsim_opc window_lo); 0 when none was within it; in OPC
 *	notifications only
 * @OPTSIM_A_LAYER_WINDOW_HI: u32, the highest setting of that window
 *	(&struct optsim_opc window_hi); 0 when none was within it
 * @__OPTSIM_A_LAYER_MAX: one past the last attribute
 */
enum optsim_a_layer {
	OPTSIM_A_LAYER_UNSPEC,
	OPTSIM_A_LAYER_PAD,
	OPTSIM_A_LAYER_INDEX,
	OPTSIM_A_LAYER_STRATEGY,
	OPTSIM_A_LAYER_VELOCITY,
	OPTSIM_A_LAYER_WRITE_POWER,
	OPTSIM_A_LAYER_BIAS_POWER,
	OPTSIM_A_LAYER_RECORDED_CLUSTERS,
	OPTSIM_A_LAYER_JITTER,
	OPTSIM_A_LAYER_STEPS,
	OPTSIM_A_LAYER_BYTES_WRITTEN,
	OPTSIM_A_LAYER_BYTES_READ,
	OPTSIM_A_LAYER_CLUSTERS_WRITTEN,
	OPTSIM_A_LAYER_CLUSTERS_READ,
	OPTSIM_A_LAYER_WRITES_REFUSED,
	OPTSIM_A_LAYER_WRITE_ONCE_VIOLATIONS,
	OPTSIM_A_LAYER_MEDIUM_ERRORS,
	OPTSIM_A_LAYER_COMPILES,
	OPTSIM_A_LAYER_STRATEGY_USED,
	OPTSIM_A_LAYER_MODE,
	OPTSIM_A_LAYER_CURRENT,
	OPTSIM_A_LAYER_WINDOW_LO,
	OPTSIM_A_LAYER_WINDOW_HI,

	__OPTSIM_A_LAYER_MAX
};

#define OPTSIM_A_LAYER_MAX (__OPTSIM_A_LAYER_MAX - 1)

/**
 * enum optsim_a_track - attributes of one BD-R track (in an OPTSIM_A_TRACK
 *	nest); sectors are 2048-byte logical sectors
 * @OPTSIM_A_TRACK_UNSPEC: not used
 * @OPTSIM_A_TRACK_PAD: padding of 64-bit attributes
 * @OPTSIM_A_TRACK_NUMBER: u32, the track number, from 1 in disc order
 * @OPTSIM_A_TRACK_SESSION: u32, the session the track belongs to, from 1
 * @OPTSIM_A_TRACK_START: u64, its first sector
 * @OPTSIM_A_TRACK_END: u64, one past its last sector; for the invisible
 *	track, the end of the user area
 * @OPTSIM_A_TRACK_NWA: u64, its next writable sector; OPTSIM_A_TRACK_END
 *	when the track is full or closed
 * @OPTSIM_A_TRACK_RESERVED: u8, 1 when RESERVE TRACK made it, with a fixed
 *	size
 * @OPTSIM_A_TRACK_CLOSED: u8, 1 when it is closed: no more writes
 * @OPTSIM_A_TRACK_DATA_END: u64, one past the last sector written into it
 *	(its last recorded address, LRA, is the sector before);
 *	OPTSIM_A_TRACK_START while nothing was
 * @__OPTSIM_A_TRACK_MAX: one past the last attribute
 */
enum optsim_a_track {
	OPTSIM_A_TRACK_UNSPEC,
	OPTSIM_A_TRACK_PAD,
	OPTSIM_A_TRACK_NUMBER,
	OPTSIM_A_TRACK_SESSION,
	OPTSIM_A_TRACK_START,
	OPTSIM_A_TRACK_END,
	OPTSIM_A_TRACK_NWA,
	OPTSIM_A_TRACK_RESERVED,
	OPTSIM_A_TRACK_CLOSED,
	OPTSIM_A_TRACK_DATA_END,

	__OPTSIM_A_TRACK_MAX
};

#define OPTSIM_A_TRACK_MAX (__OPTSIM_A_TRACK_MAX - 1)

#endif /* _UAPI_LINUX_OPTSIM_H */
