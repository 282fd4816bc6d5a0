/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim - the MMC front: what the files of the SCSI side share.
 *
 * scsi.c registers the virtual host and gives each drive a LUN; mmc.c
 * decodes every command, holds the drive's MMC state (tray, lock, unit
 * attentions, media events, long operations) and builds the sense; the
 * command groups live in files named after what they answer:
 *
 *	mmc.c		TEST UNIT READY, REQUEST SENSE, START STOP UNIT,
 *			PREVENT ALLOW, GET EVENT STATUS NOTIFICATION
 *	mmc_rw.c	READ, WRITE, WRITE AND VERIFY, VERIFY, SYNCHRONIZE
 *			CACHE, and the drive's open cluster
 *	mmc_opc.c	the implicit OPC before a write, in the background
 *	mmc_drive.c	INQUIRY and VPD, GET CONFIGURATION, MODE SENSE and
 *			SELECT, GET PERFORMANCE, SET STREAMING, SET CD SPEED,
 *			READ BUFFER CAPACITY, READ DISC STRUCTURE
 *	mmc_disc.c	READ CAPACITY, READ TOC, READ DISC INFORMATION, READ
 *			TRACK INFORMATION, RESERVE TRACK, CLOSE TRACK/SESSION,
 *			READ FORMAT CAPACITIES, FORMAT UNIT
 *	srm.c		the medium's BD-R track and session table
 *	format.c	the medium's BD-RE format: formatted, spare areas
 *
 * Locking: every command runs in process context (the host's queue may
 * block) holding its drive's model_lock from decode to completion, so a
 * command sees one medium and one set of write parameters, and the MMC
 * state below needs no other lock. Commands that record or read take the
 * medium's write_lock through the store as the block device's requests
 * do: both fronts share one medium and one set of locks.
 */
#ifndef _OPTSIM_MMC_H
#define _OPTSIM_MMC_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct optsim_dev;
struct optsim_medium;
struct optsim_stage;
struct scsi_cmnd;
struct scsi_device;

/* Logical block of the MMC front: one 2048-byte user data sector. */
#define OPTSIM_MMC_BLOCK		OPTSIM_SECTOR_SIZE

/*
 * Largest reply any command builds: a BD Disc Information structure, 4096
 * bytes after its 4-byte header.
 */
#define OPTSIM_MMC_REPLY_MAX		4100

/* Largest parameter list a command takes (MODE SELECT, FORMAT UNIT...). */
#define OPTSIM_MMC_PARAM_MAX		512

/* INQUIRY identity. */
#define OPTSIM_MMC_VENDOR		"OPTSIM  "
#define OPTSIM_MMC_PRODUCT		"BD-RE DL Writer "
#define OPTSIM_MMC_REVISION		"0100"

/* MMC profiles (GET CONFIGURATION). */
#define OPTSIM_PROFILE_NONE		0x0000
#define OPTSIM_PROFILE_BD_ROM		0x0040
#define OPTSIM_PROFILE_BD_R_SRM		0x0041
#define OPTSIM_PROFILE_BD_RE		0x0043

/* Sense keys (SPC). */
#define OPTSIM_SK_NO_SENSE		0x0
#define OPTSIM_SK_RECOVERED		0x1
#define OPTSIM_SK_NOT_READY		0x2
#define OPTSIM_SK_MEDIUM_ERROR		0x3
#define OPTSIM_SK_HARDWARE_ERROR	0x4
#define OPTSIM_SK_ILLEGAL_REQUEST	0x5
#define OPTSIM_SK_UNIT_ATTENTION	0x6
#define OPTSIM_SK_DATA_PROTECT		0x7
#define OPTSIM_SK_ABORTED		0xb

/**
 * enum optsim_mmc_busy - long operations a drive reports as in progress
 * @OPTSIM_MMC_IDLE: none
 * @OPTSIM_MMC_FORMATTING: FORMAT UNIT; not ready 02/04/04
 * @OPTSIM_MMC_CLOSING: CLOSE TRACK/SESSION; not ready 02/04/07
 * @OPTSIM_MMC_SYNCING: SYNCHRONIZE CACHE; not ready 02/04/08
 * @OPTSIM_MMC_CALIBRATING: the implicit OPC before a write (mmc_opc.c);
 *	not ready 02/04/08 until it is done, whatever its time estimate said
 */
enum optsim_mmc_busy {
	OPTSIM_MMC_IDLE,
	OPTSIM_MMC_FORMATTING,
	OPTSIM_MMC_CLOSING,
	OPTSIM_MMC_SYNCING,
	OPTSIM_MMC_CALIBRATING,
};

/**
 * struct optsim_mmc_opc_job - what a background OPC works on
 * @stack: a copy of the medium's stack, so that the ladder needs no lock
 *	and no medium
 * @in: per layer, the model's input: the layer's parameters then
 * @layers: the layers to calibrate, as a bit mask
 * @gen: &optsim_mmc.opc_gen when the job was set up
 */
struct optsim_mmc_opc_job {
	struct osm_stack stack;
	struct osm_compile_in in[OPTSIM_MAX_LAYERS];
	u32 layers;
	u32 gen;
};

/**
 * enum optsim_mmc_media_event - GET EVENT STATUS NOTIFICATION media events
 * @OPTSIM_MEV_NONE: nothing happened
 * @OPTSIM_MEV_EJECT_REQUEST: someone asked for the disc (eject request)
 * @OPTSIM_MEV_NEW_MEDIA: a disc was loaded
 * @OPTSIM_MEV_MEDIA_REMOVAL: the disc was removed
 * @OPTSIM_MEV_MEDIA_CHANGED: the disc changed in place (finalize, format)
 * @OPTSIM_MEV_SESSION_CLOSED: a host closed a session through MMC: the
 *	event (reported as new media) lets sr read the new size at its next
 *	open, with no unit attention to trouble the host that closed it
 */
enum optsim_mmc_media_event {
	OPTSIM_MEV_NONE = 0,
	OPTSIM_MEV_EJECT_REQUEST = 1,
	OPTSIM_MEV_NEW_MEDIA = 2,
	OPTSIM_MEV_MEDIA_REMOVAL = 3,
	OPTSIM_MEV_MEDIA_CHANGED = 4,
	OPTSIM_MEV_SESSION_CLOSED = 5,
};

/**
 * struct optsim_mmc - a drive's MMC state; protected by the drive's
 *	model_lock unless a field says otherwise
 * @sdev: the drive's LUN, NULL when the front is off or not added yet
 * @id: the LUN's SCSI target id (the drive's index)
 * @prevent: PREVENT MEDIUM REMOVAL is in force
 * @tray_open: the tray is out; a disc in it is @tray_medium
 * @tray_medium: the disc lying in the open tray, NULL when none. It is not
 *	the drive's medium: /dev/optsim sees an empty drive.
 * @qlock: protects @queue
 * @queue: commands waiting to be answered (scsi.c)
 * @work: answers the commands in @queue, one at a time
 * @evlock: protects @ua_pending, @reset_pending and @event, which the
 *	block device's side sets too (loads, ejects, finalize, erase)
 * @ua_pending: a unit attention 06/28/00 (medium may have changed) waits
 *	to be reported
 * @reset_pending: a unit attention 06/29/00 (reset) waits to be reported
 * @event: the media event GET EVENT STATUS NOTIFICATION reports next
 * @reply_buf: where a command builds its reply, OPTSIM_MMC_REPLY_MAX bytes
 * @param_buf: where a command's parameter list is copied,
 *	OPTSIM_MMC_PARAM_MAX bytes
 * @busy: the long operation in progress, and the span it lasts:
 *	@busy_start to @busy_end, in jiffies
 * @busy_start: see @busy
 * @busy_end: see @busy
 * @opc_pending: layers whose OPC runs before the next write (after a load
 *	or a speed change); changed through optsim_mmc_opc_need() and
 *	optsim_mmc_opc_done() only
 * @opc_gen: counts the changes of @opc_pending (and so of the medium and of
 *	its write parameters): a background OPC that finishes after one is
 *	not applied
 * @opc_running: @opc_work is queued or running; until it ends, the drive
 *	is busy (OPTSIM_MMC_CALIBRATING) and nothing else writes @opc_job
 * @opc_failed: layers whose last background OPC found no power that
 *	records: the write that waited for it fails with 03/73/03
 * @opc_ms: how long the last background OPC took per layer, to estimate
 *	the progress of the next one
 * @opc_work: runs @opc_job's ladders without model_lock, then applies them
 *	under it (mmc_opc.c)
 * @opc_job: the background OPC's input and result; see @opc_running
 * @write_kbps: write speed a host selected (SET STREAMING, SET CD SPEED),
 *	in kB/s of user data; 0 for the drive's choice
 * @read_kbps: read speed selected, kB/s; 0 for the maximum
 * @per: mode page 01's PER bit: report recovered errors
 * @open_buf: the open cluster: user data written through MMC that does not
 *	fill a cluster yet, held until the cluster is completed or the cache
 *	is synchronised (BD-R only). OPTSIM_CLUSTER_BYTES, allocated with the
 *	LUN.
 * @io_buf: the data of a READ or WRITE, OPTSIM_MAX_HW_SECTORS sectors of
 *	512 bytes, allocated with the LUN
 * @stage: the front's writer's scratch (store.c), allocated with the LUN;
 *	the drive's commands are answered one at a time, so only the one
 *	being answered uses it
 * @open_lba: first sector of the open cluster
 * @open_sectors: sectors held in @open_buf, 0 when no cluster is open
 */
struct optsim_mmc {
	struct scsi_device *sdev;
	u32 id;
	bool prevent;
	bool tray_open;
	struct optsim_medium *tray_medium;
	spinlock_t qlock;	/* protects queue */
	struct list_head queue;
	struct work_struct work;
	spinlock_t evlock;	/* protects the unit attentions and event */
	bool ua_pending;
	bool reset_pending;
	u8 event;
	u8 *reply_buf;
	u8 *param_buf;
	u8 busy;
	unsigned long busy_start;
	unsigned long busy_end;
	u32 opc_pending;
	u32 opc_gen;
	bool opc_running;
	u32 opc_failed;
	unsigned int opc_ms;
	struct work_struct opc_work;
	struct optsim_mmc_opc_job opc_job;
	u32 write_kbps;
	u32 read_kbps;
	bool per;
	void *open_buf;
	void *io_buf;
	struct optsim_stage *stage;
	u64 open_lba;
	u32 open_sectors;
};

/**
 * struct optsim_mmc_cmd - one command being answered
 * @dev: the drive
 * @m: its medium, NULL when the drive is empty or the tray open
 * @scmd: the midlayer's command
 * @cdb: the command descriptor block
 * @cdb_len: its length
 * @reply: data-in reply, zeroed, OPTSIM_MMC_REPLY_MAX bytes; a handler
 *	builds the whole reply there and sets @reply_len
 * @reply_len: bytes of @reply; mmc.c truncates it to the allocation length
 *	and to the transfer buffer, and sets the residual
 * @param: data-out parameter list, copied in (at most
 *	OPTSIM_MMC_PARAM_MAX bytes), for commands whose handler table entry
 *	asks for it
 * @param_len: bytes in @param
 * @failed: the command ends with CHECK CONDITION and the sense below
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 * @info_valid: the sense carries @info, with VALID set
 * @info: the sense's Information field
 * @progress_valid: the sense carries @progress (sense key specific)
 * @progress: progress of a long operation, in 65536ths
 */
struct optsim_mmc_cmd {
	struct optsim_dev *dev;
	struct optsim_medium *m;
	struct scsi_cmnd *scmd;
	const u8 *cdb;
	unsigned int cdb_len;
	u8 *reply;
	unsigned int reply_len;
	const u8 *param;
	unsigned int param_len;
	bool failed;
	u8 key;
	u8 asc;
	u8 ascq;
	bool info_valid;
	u32 info;
	bool progress_valid;
	u16 progress;
};

/*
 * A handler returns 0 for GOOD, or what optsim_mmc_sense() returns: the
 * command then ends with CHECK CONDITION and that sense.
 */
typedef int (*optsim_mmc_handler)(struct optsim_mmc_cmd *c);

/* mmc.c */
int optsim_mmc_sense(struct optsim_mmc_cmd *c, u8 key, u8 asc, u8 ascq);
int optsim_mmc_sense_info(struct optsim_mmc_cmd *c, u8 key, u8 asc, u8 ascq,
			  u32 info);
int optsim_mmc_bad_field(struct optsim_mmc_cmd *c);
int optsim_mmc_need_medium(struct optsim_mmc_cmd *c);
void optsim_mmc_start_busy(struct optsim_mmc_cmd *c, enum optsim_mmc_busy busy,
			   unsigned int msecs);
int optsim_mmc_busy_sense(struct optsim_mmc_cmd *c);
u32 optsim_mmc_profile(const struct optsim_medium *m);
void optsim_mmc_media_event(struct optsim_dev *dev,
			    enum optsim_mmc_media_event ev);
void optsim_mmc_queuecommand(struct optsim_dev *dev, struct scsi_cmnd *scmd);
void optsim_mmc_reset(struct optsim_dev *dev);
int optsim_mmc_tray(struct optsim_dev *dev, bool open, unsigned int opens);

/* mmc_rw.c */
int optsim_mmc_read(struct optsim_mmc_cmd *c);
int optsim_mmc_write(struct optsim_mmc_cmd *c);
int optsim_mmc_verify(struct optsim_mmc_cmd *c);
int optsim_mmc_sync_cache(struct optsim_mmc_cmd *c);
int optsim_mmc_flush_open(struct optsim_dev *dev, struct optsim_medium *m,
			  bool pad);

/* mmc_opc.c */
void optsim_mmc_opc_need(struct optsim_dev *dev, u32 layers);
void optsim_mmc_opc_done(struct optsim_dev *dev, u32 layers);
int optsim_mmc_opc_wait(struct optsim_mmc_cmd *c, u32 layers);
void optsim_mmc_opc_init(struct optsim_dev *dev);
void optsim_mmc_opc_cancel(struct optsim_dev *dev);

/* mmc_drive.c */
int optsim_mmc_inquiry(struct optsim_mmc_cmd *c);
int optsim_mmc_get_configuration(struct optsim_mmc_cmd *c);
int optsim_mmc_mode_sense(struct optsim_mmc_cmd *c);
int optsim_mmc_mode_select(struct optsim_mmc_cmd *c);
int optsim_mmc_get_performance(struct optsim_mmc_cmd *c);
int optsim_mmc_set_streaming(struct optsim_mmc_cmd *c);
int optsim_mmc_set_cd_speed(struct optsim_mmc_cmd *c);
int optsim_mmc_read_buffer_capacity(struct optsim_mmc_cmd *c);
int optsim_mmc_read_disc_structure(struct optsim_mmc_cmd *c);

/* mmc_disc.c */
int optsim_mmc_read_capacity(struct optsim_mmc_cmd *c);
int optsim_mmc_read_toc(struct optsim_mmc_cmd *c);
int optsim_mmc_read_disc_info(struct optsim_mmc_cmd *c);
int optsim_mmc_read_track_info(struct optsim_mmc_cmd *c);
int optsim_mmc_reserve_track(struct optsim_mmc_cmd *c);
int optsim_mmc_close_track(struct optsim_mmc_cmd *c);
int optsim_mmc_read_format_capacities(struct optsim_mmc_cmd *c);
int optsim_mmc_format_unit(struct optsim_mmc_cmd *c);

/* scsi.c */
int optsim_scsi_init(void);
void optsim_scsi_exit(void);
void optsim_scsi_init_dev(struct optsim_dev *dev);
int optsim_scsi_add(struct optsim_dev *dev);
void optsim_scsi_remove(struct optsim_dev *dev);
bool optsim_scsi_enabled(void);
bool optsim_scsi_queue_work(struct work_struct *work);

#endif /* _OPTSIM_MMC_H */
