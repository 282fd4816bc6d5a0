/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsim - private definitions shared by the files of the driver.
 */
#ifndef _OPTSIM_H
#define _OPTSIM_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/optsim.h>

#include "model/geometry.h"
#include "model/model.h"
#include "model/image_format.h"
#include "mmc.h"
#include "srm.h"

/* Bytes and pages in one ECC cluster. */
#define OPTSIM_CLUSTER_BYTES	(OPTSIM_CLUSTER_SECTORS * OPTSIM_SECTOR_SIZE)
#define OPTSIM_CLUSTER_SHIFT	16
#define OPTSIM_CLUSTER_PAGES	(OPTSIM_CLUSTER_BYTES / PAGE_SIZE)

/* Largest request the queue accepts, in 512-byte sectors (1 MiB). */
#define OPTSIM_MAX_HW_SECTORS	2048
/* Pages in the largest request, plus one for a start inside a page. */
#define OPTSIM_MAX_SEGMENTS	(OPTSIM_MAX_HW_SECTORS * SECTOR_SIZE / PAGE_SIZE + 2)
/*
 * Clusters one request can touch: the largest request the queue takes,
 * starting inside a cluster. The MMC front's requests stay within it too.
 */
#define OPTSIM_RQ_CLUSTERS \
	(DIV_ROUND_UP(OPTSIM_MAX_HW_SECTORS * SECTOR_SIZE, \
		      OPTSIM_CLUSTER_BYTES) + 1)

/**
 * struct optsim_media_type - what each kind of medium is
 * @media: enum optsim_media value
 * @name: name used by the media= parameter and the tools
 * @layers: recording layers
 * @write_once: true for BD-R: each cluster records once
 *
 * What the disc is made of, and the write powers it starts with, are the
 * recording model's stack presets (model/stack.c).
 */
struct optsim_media_type {
	u32 media;
	const char *name;
	u32 layers;
	bool write_once;
};

/**
 * union optsim_quality_word - a quality record as one 64-bit word
 * @rec: the record, as the recording model fills it in
 * @word: the same eight bytes, stored and loaded in one access
 */
union optsim_quality_word {
	struct osm_quality rec;
	u64 word;
};

static_assert(sizeof(struct osm_quality) == sizeof(u64),
	      "a cluster's quality record is published in one 64-bit store");

/**
 * optsim_quality_flags() - a quality record's flags as uapi spells them
 * @q: the record
 *
 * Return: OPTSIM_QUALITY_F_* bits, without OPTSIM_QUALITY_F_RECORDED.
 */
static inline u32 optsim_quality_flags(const struct osm_quality *q)
{
	return (q->flags & OSM_QF_UNCORRECTABLE ? OPTSIM_QUALITY_F_UNCORRECTABLE : 0) |
	       (q->flags & OSM_QF_UNRESOLVED ? OPTSIM_QUALITY_F_UNRESOLVED : 0) |
	       (q->flags & OSM_QF_BURST ? OPTSIM_QUALITY_F_BURST : 0);
}

/**
 * optsim_quality_model_flags() - uapi quality flags as the model spells them
 * @flags: OPTSIM_QUALITY_F_* bits
 *
 * Return: OSM_QF_* bits; the inverse of optsim_quality_flags().
 */
static inline u8 optsim_quality_model_flags(u32 flags)
{
	return (flags & OPTSIM_QUALITY_F_UNCORRECTABLE ? OSM_QF_UNCORRECTABLE : 0) |
	       (flags & OPTSIM_QUALITY_F_UNRESOLVED ? OSM_QF_UNRESOLVED : 0) |
	       (flags & OPTSIM_QUALITY_F_BURST ? OSM_QF_BURST : 0);
}

/**
 * struct optsim_cluster - one 64 KiB ECC cluster that has ever been written
 * @pages: the cluster's data; present only while the cluster is recorded,
 *	and only on a medium in memory: the entries of an image-backed medium
 *	are allocated without the array (their data is in the file). Set,
 *	to pages the write staged, under the medium's write_lock just before
 *	@recorded; a rewrite copies into them under write_lock; freed only
 *	with the queue frozen.
 * @recorded: the cluster holds data. Set with release semantics after the
 *	data and @quality are in place, so the lockless read path that sees
 *	it true with an acquire load also sees both.
 * @writes: times the cluster was recorded; its direct-overwrite count is
 *	this plus the medium's full erases. Goes up under the medium's
 *	write_lock, with release, as the last store of each recording
 *	(optsim_store_publish()): a write staged without the lock reads it
 *	with acquire before the cluster's data and state, and finds under
 *	the lock whether another recording came in between.
 * @quality: how the last recording came out: a struct osm_quality (jitter,
 *	error counts, flags) held as one word, union optsim_quality_word;
 *	valid while @recorded. Written under the medium's write_lock in one
 *	store, optsim_cluster_set_quality(), and read in one load,
 *	optsim_cluster_quality(), so that the lockless read path, which runs
 *	while a rewritable cluster is recorded again, sees one whole record,
 *	never the fields of two. An atomic64_t, as a u64 would be stored in
 *	two halves on 32-bit kernels.
 *
 * A cluster that was never written has no entry at all and reads back as
 * zeros. Entries live until the medium is destroyed, so that erased
 * clusters keep their wear.
 */
struct optsim_cluster {
	bool recorded;
	u32 writes;
	atomic64_t quality;
	struct page *pages[];
};

/**
 * optsim_cluster_set_quality() - publish a cluster's quality record
 * @cl: the cluster; the caller holds its medium's write_lock
 * @q: the record
 */
static inline void optsim_cluster_set_quality(struct optsim_cluster *cl,
					      const struct osm_quality *q)
{
	union optsim_quality_word u = { .rec = *q };

	atomic64_set(&cl->quality, u.word);
}

/**
 * optsim_cluster_quality() - a cluster's quality record, read in one load
 * @cl: the cluster
 *
 * Return: the record last published with optsim_cluster_set_quality().
 */
static inline struct osm_quality
optsim_cluster_quality(const struct optsim_cluster *cl)
{
	union optsim_quality_word u = { .word = atomic64_read(&cl->quality) };

	return u.rec;
}

struct optsim_dev;

/**
 * struct optsim_image - the file an image-backed medium lives in (image.c)
 * @file: the image; the medium's own reference, from fget() at the load
 * @read_only: the file was opened without write access, or lies on a
 *	read-only mount: the medium refuses every change
 * @lo: where the image's areas lie
 * @ready: the load finished: only then is anything written back
 * @hdr: the header the file holds: a sync writes the header only when the
 *	medium's state makes another one (a blank image gets its tracks and
 *	seed at its first sync); under the medium's write_lock
 * @hdr_new: the header being built by a sync; under write_lock
 * @data_unsynced: data was written since the last fsync; under write_lock
 * @meta_dirty: bitmap of the metadata blocks changed in memory and not
 *	yet written; under write_lock
 * @bounce: room for OPTSIM_RQ_CLUSTERS clusters: the metadata blocks a
 *	load reads, before the medium is in a drive (a write's clusters go
 *	to the file from the writer's own buffer, &struct optsim_stage)
 * @meta: one metadata block on its way to the file; under write_lock
 * @commit: the journal's commit record, as the last flush wrote it;
 *	under write_lock
 * @replay: the journaled flush the load found cut short and replayed
 * @old_gfp: the allocation flags of the file's page cache before the load,
 *	given back when the medium goes
 * @node: in the list of images in use, under optsim_images_lock (image.c)
 */
struct optsim_image {
	struct file *file;
	bool read_only;
	struct osm_image_layout lo;
	bool ready;
	struct optsim_image_header *hdr;
	struct optsim_image_header *hdr_new;
	bool data_unsynced;
	unsigned long *meta_dirty;
	void *bounce;
	struct optsim_image_meta_block *meta;
	struct optsim_image_journal commit;
	struct osm_image_replay replay;
	gfp_t old_gfp;
	struct list_head node;
};

/**
 * struct optsim_tune - the strategy tables a layer's OPC tuned, as a disc
 *	carries them for a speed
 * @velocity: the linear velocity, in mm/s, they were tuned for; 0 when
 *	no OPC tuned any
 * @strategy: the strategy setting they were tuned for (auto as such)
 * @t: the tables (osm_compile_in.tune)
 *
 * OPC tunes the adaptive strategy once, at the power it finds best, and
 * tests its window with those tables (model/opc.c). A laser setting of
 * the same velocity and strategy then records with them at any power, so
 * that the drive records what OPC measured and a power sweep changes only
 * the power (recorder.c, optsim_recorder_tune()). Without one, a setting
 * records with the strategy the disc carries for its speed
 * (model/disc_strategy.c), or, for a disc without one, the strategy tuned
 * at its own power.
 */
struct optsim_tune {
	u32 velocity;
	u32 strategy;
	struct osm_tune t;
};

/**
 * struct optsim_medium - the disc in the drive
 * @dev: the drive it was made for; it counts the medium's model compiles
 * @type: what kind of medium it is
 * @geo: its shape: layers and sectors per layer
 * @clusters: cluster index -> struct optsim_cluster. Written under
 *	@write_lock; the read path looks entries up locklessly. That is safe
 *	because entries, and the pages of recorded clusters, are only freed
 *	with the queue frozen; a write that fails frees, under @write_lock,
 *	only pages of clusters not marked recorded, which readers never touch.
 * @write_lock: serialises the commit of writes: the check of the
 *	write-once and finalize rules and the recording of a request's
 *	clusters (their pages, records, write counts and states) happen as
 *	one step, so a refused request changes nothing and no request is
 *	half recorded. A write stages its clusters and runs the model before
 *	it takes the lock (store.c); under it, an image-backed medium's
 *	write puts its clusters in the file before it publishes them. Also
 *	protects @recorded, @nwa_cluster and @mem_bytes, and is held to
 *	replace a layer's @table. Taken after the device's lock.
 * @recorded: clusters holding data, per layer
 * @nwa_cluster: one past the highest recorded cluster (0 when blank)
 * @mem_bytes: bytes of cluster data this medium holds
 * @finalized: the disc is closed; changed with the queue frozen
 * @full_erases: full erases the medium went through; changed with the
 *	queue frozen
 * @seed: seed of the recording model's random draws on this disc; set when
 *	the medium is created, from the seed module parameter
 * @params: write parameters per layer; protected by the device's lock
 * @stack: the physical make-up of the disc, for the recording model
 * @table: per layer, the model compiled for @params (recorder.c); each
 *	table is immutable. Replaced with rcu_replace_pointer() holding both
 *	the device's lock and @write_lock (optsim_recorder_set_table()); a
 *	replaced table is freed after an RCU grace period once its last
 *	reference goes. The write path of a medium in memory runs the model
 *	without @write_lock: it reads the pointer under rcu_read_lock() and
 *	takes a reference (optsim_recorder_snapshot()), and under @write_lock
 *	compares it with the current one (optsim_recorder_current()). Readers
 *	under @write_lock use rcu_dereference_protected().
 * @srm: a BD-R's tracks and sessions; under @write_lock
 * @fmt: a BD-RE's format; under @write_lock
 * @image: the file the medium lives in, or NULL for a medium in memory.
 *	Set when the medium is made and fixed for its life.
 * @tune: per layer, the adaptive strategy the layer's last OPC tuned
 *	(struct optsim_tune); protected by the device's model_lock
 */
struct optsim_medium {
	struct optsim_dev *dev;
	const struct optsim_media_type *type;
	struct osm_geometry geo;
	struct xarray clusters;
	struct mutex write_lock;	/* serialises writes, see above */
	u64 recorded[OPTSIM_MAX_LAYERS];
	u64 nwa_cluster;
	u64 mem_bytes;
	bool finalized;
	u64 full_erases;
	u64 seed;
	struct optsim_params params[OPTSIM_MAX_LAYERS];
	struct osm_stack stack;
	struct optsim_table __rcu *table[OPTSIM_MAX_LAYERS];
	struct optsim_srm srm;
	struct optsim_format fmt;
	struct optsim_image *image;
	struct optsim_tune tune[OPTSIM_MAX_LAYERS];
};

/**
 * optsim_medium_read_only() - whether a medium refuses every change
 * @m: the medium
 *
 * Return: true for an image loaded from a file without write access.
 */
static inline bool optsim_medium_read_only(const struct optsim_medium *m)
{
	return m->image && m->image->read_only;
}

/**
 * enum optsim_stat - per-layer counters of a drive (OPTSIM_CMD_STATS_GET)
 * @OPTSIM_STAT_BYTES_WRITTEN: bytes written by requests that succeeded
 * @OPTSIM_STAT_BYTES_READ: bytes read by requests that succeeded
 * @OPTSIM_STAT_CLUSTERS_WRITTEN: clusters recorded
 * @OPTSIM_STAT_CLUSTERS_READ: clusters read
 * @OPTSIM_STAT_WRITES_REFUSED: write requests refused, for any reason
 * @OPTSIM_STAT_WRITE_ONCE_VIOLATIONS: writes refused because a cluster of
 *	a write-once medium was recorded already
 * @OPTSIM_STAT_MEDIUM_ERRORS: reads failed on an uncorrectable cluster
 * @OPTSIM_STAT_COMPILES: recording model tables compiled, OPC steps
 *	included
 * @OPTSIM_STAT_NR: number of counters
 */
enum optsim_stat {
	OPTSIM_STAT_BYTES_WRITTEN,
	OPTSIM_STAT_BYTES_READ,
	OPTSIM_STAT_CLUSTERS_WRITTEN,
	OPTSIM_STAT_CLUSTERS_READ,
	OPTSIM_STAT_WRITES_REFUSED,
	OPTSIM_STAT_WRITE_ONCE_VIOLATIONS,
	OPTSIM_STAT_MEDIUM_ERRORS,
	OPTSIM_STAT_COMPILES,
	OPTSIM_STAT_NR
};

/**
 * struct optsim_refusal - why the store refused a write
 * @reason: enum optsim_reason
 * @err: the negative errno the request fails with
 * @cluster: the first cluster that broke the rule
 */
struct optsim_refusal {
	u32 reason;
	int err;
	u64 cluster;
};

/**
 * struct optsim_events - a drive's notifications (events.c)
 * @send_lock: serialises the sending of the drive's notifications, so they
 *	leave in the order things happened; taken in process context only,
 *	by the I/O path too, so what runs under it allocates with GFP_NOIO
 * @lock: protects @pending, @first, @last and @clusters, which the write
 *	path updates
 * @pending: clusters were recorded and not announced yet
 * @first: lowest cluster recorded since the last announcement
 * @last: highest cluster recorded since the last announcement
 * @clusters: clusters recorded since the last announcement
 * @work: announces the recorded clusters, OPTSIM_RECORDED_NTF_DELAY after
 *	the first write that was not announced
 * @rs: rate limit of the refused-write and read-error notifications
 */
struct optsim_events {
	struct mutex send_lock;	/* orders the drive's notifications */
	spinlock_t lock;	/* protects the pending recorded range */
	bool pending;
	u64 first;
	u64 last;
	u64 clusters;
	struct delayed_work work;
	struct ratelimit_state rs;
};

/**
 * struct optsim_dev - one emulated drive
 * @index: its number: 0 is /dev/optsim, N is /dev/optsimN
 * @disk: its block device
 * @tag_set: its blk-mq tag set
 * @model_lock: serialises changes of write parameters and of the medium
 *	(SET_PARAMS, OPC, LOAD, EJECT). Held across model compiles and OPC
 *	ladders, which take milliseconds to seconds, so that @lock, and with
 *	it every open, waits only for short sections. While it is held,
 *	@medium and its parameters stay as they are. Taken before @lock.
 * @lock: serialises the control path: opens and releases, and every ioctl.
 *	Protects @open_count, @removing, @medium and the medium's parameters.
 *	Taken before the queue is frozen and before a medium's write_lock.
 * @open_count: opens of the block device, mounts included
 * @removing: the drive is being removed: opens fail with ENXIO
 * @medium: the disc in the drive, NULL when empty. Replaced only with
 *	@lock held and the queue frozen, so an I/O request sees one medium
 *	from start to end without taking a lock.
 * @stats: per-layer counters, enum optsim_stat; updated locklessly
 * @events: its notifications
 * @mmc: its MMC front's state (mmc.h)
 */
struct optsim_dev {
	u32 index;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	struct mutex model_lock;	/* serialises parameter and media changes */
	struct mutex lock;	/* serialises the control path */
	unsigned int open_count;
	bool removing;
	struct optsim_medium *medium;
	atomic64_t stats[OPTSIM_MAX_LAYERS][OPTSIM_STAT_NR];
	struct optsim_events events;
	struct optsim_mmc mmc;
};

/**
 * optsim_stat_add() - add to one of a drive's counters
 * @dev: the drive
 * @layer: the layer the count belongs to
 * @stat: the counter
 * @n: how much to add
 */
static inline void optsim_stat_add(struct optsim_dev *dev, u32 layer,
				   enum optsim_stat stat, u64 n)
{
	atomic64_add(n, &dev->stats[layer][stat]);
}

/* All layers of the medium, as a layer mask. */
#define OPTSIM_LAYERS_ALL	U32_MAX

/* main.c */
u64 optsim_layer_sectors_default(void);
u64 optsim_seed(void);
const struct optsim_media_type *optsim_media_default(void);

/* dev.c */
void optsim_devs_lock(void);
void optsim_devs_unlock(void);
struct optsim_dev *optsim_dev_lookup(u32 index);
struct optsim_dev *optsim_dev_next(u32 *index);
struct optsim_dev *optsim_dev_add(u32 index,
				  const struct optsim_media_type *type,
				  u64 layer_sectors, const char **why);
int optsim_dev_remove(struct optsim_dev *dev, const char **why);
void optsim_dev_remove_all(void);
int optsim_dev_init(void);
void optsim_dev_exit(void);
int optsim_dev_load(struct optsim_dev *dev, struct block_device *bdev,
		    const struct optsim_load *req, unsigned int opens,
		    const char **why);
struct optsim_medium *optsim_dev_replace_medium(struct optsim_dev *dev,
						struct optsim_medium *m);
void optsim_dev_freeze(struct optsim_dev *dev);
void optsim_dev_unfreeze(struct optsim_dev *dev);
int optsim_dev_set_params_locked(struct optsim_dev *dev,
				 const struct optsim_params p[OPTSIM_MAX_LAYERS],
				 u32 layers, const char **why);
/* Gets OPC's answer before it is applied; see optsim_dev_opc_locked(). */
typedef int (*optsim_opc_answer_fn)(void *ctx, const struct optsim_opc *req);
int optsim_dev_opc_locked(struct optsim_dev *dev, struct optsim_opc *req,
			  optsim_opc_answer_fn answer, void *ctx);
int optsim_dev_opc_apply_locked(struct optsim_dev *dev,
				struct optsim_medium *m, struct optsim_opc *req,
				const struct osm_opc_result *res, u32 layers,
				optsim_opc_answer_fn answer, void *ctx);
int optsim_dev_set_params(struct optsim_dev *dev,
			  const struct optsim_params p[OPTSIM_MAX_LAYERS],
			  u32 layers, const char **why);

/* sysfs.c */
extern const struct attribute_group *optsim_disk_groups[];

/* events.c */
void optsim_events_init(struct optsim_dev *dev);
void optsim_events_destroy(struct optsim_dev *dev);
void optsim_events_recorded(struct optsim_dev *dev, u64 first, u64 last);
void optsim_events_dev(struct optsim_dev *dev, u8 cmd);
void optsim_events_medium(struct optsim_dev *dev, u8 cmd);
void optsim_events_erase(struct optsim_dev *dev, bool quick);
void optsim_events_params(struct optsim_dev *dev, u32 layers);
void optsim_events_opc(struct optsim_dev *dev, u32 layer,
		       const struct optsim_opc *req);
void optsim_events_write_refused(struct optsim_dev *dev, u64 lba, u32 layer,
				 const struct optsim_refusal *why);
void optsim_events_read_error(struct optsim_dev *dev, u64 lba, u64 cluster,
			      u32 layer);

/* netlink.c */
int optsim_nl_init(void);
void optsim_nl_exit(void);
bool optsim_nl_listening(void);
struct sk_buff *optsim_nl_ntf_new(struct optsim_dev *dev, u8 cmd, gfp_t gfp);
void optsim_nl_ntf_send(struct sk_buff *skb, gfp_t gfp);
int optsim_nl_put_layer_params(struct sk_buff *skb,
			       const struct optsim_params *p, u32 used);

/* media.c */
const struct optsim_media_type *optsim_media_type_get(u32 media);
const struct optsim_media_type *optsim_media_type_find(const char *name);
struct optsim_medium *optsim_medium_create(struct optsim_dev *dev,
					   const struct optsim_media_type *type,
					   u64 layer_sectors);
u32 optsim_medium_cluster_layer(const struct optsim_medium *m, u64 cluster);
void optsim_medium_destroy(struct optsim_medium *m);
sector_t optsim_medium_capacity(const struct optsim_medium *m);
void optsim_medium_info(struct optsim_medium *m, struct optsim_info *info);
int optsim_medium_cluster_info(struct optsim_medium *m,
			       struct optsim_cluster_info *ci);
void optsim_medium_erase(struct optsim_medium *m, bool quick);

struct optsim_table;

/* params.c */
u32 optsim_params_snapshot(const struct optsim_medium *m,
			   struct optsim_params p[OPTSIM_MAX_LAYERS],
			   u32 used[OPTSIM_MAX_LAYERS]);
int optsim_params_validate(const struct optsim_medium *m,
			   const struct optsim_params *p, const char **why);
int optsim_params_prepare(const struct optsim_medium *m,
			  const struct optsim_params p[OPTSIM_MAX_LAYERS],
			  u32 layers, struct optsim_table *tabs[OPTSIM_MAX_LAYERS],
			  const char **why);
void optsim_params_abort(struct optsim_table *tabs[OPTSIM_MAX_LAYERS]);
void optsim_params_commit(struct optsim_medium *m, u32 layer,
			  const struct optsim_params *p,
			  struct optsim_table *tab);

/* recorder.c */
const struct optsim_tune *optsim_recorder_tune(const struct optsim_medium *m,
					       const struct optsim_params *p,
					       u32 layer);
struct optsim_table *optsim_table_get(const struct optsim_medium *m,
				      const struct optsim_params *p, u32 layer,
				      const struct optsim_tune *tune);
void optsim_table_put(struct optsim_table *tab);
int optsim_recorder_init(struct optsim_medium *m);
void optsim_recorder_destroy(struct optsim_medium *m);
void optsim_recorder_set_table(struct optsim_medium *m, u32 layer,
			       struct optsim_table *tab);
struct optsim_table *optsim_recorder_snapshot(struct optsim_medium *m,
					      u32 layer);
bool optsim_recorder_current(struct optsim_medium *m, u32 layer,
			     const struct optsim_table *tab);
void optsim_recorder_run(const struct optsim_medium *m,
			 const struct optsim_table *tab, const void *data,
			 u64 index, u32 writes, struct osm_rll_hist *h,
			 struct osm_quality *q);
void optsim_recorder_compile_in(const struct optsim_medium *m,
				const struct optsim_params *p, u32 layer,
				struct osm_compile_in *in);
int optsim_recorder_opc(const struct optsim_medium *m, u32 layer,
			const struct optsim_params *p,
			struct osm_opc_result *res);
void optsim_recorder_exit(void);

/* simd.c; optsim_simd_begin() and _end() are in model/shim.h */
void optsim_simd_init(void);

/**
 * struct optsim_xfer - the data a read or a write moves
 * @pos: byte address on the medium
 * @bytes: length
 * @rq: the block request whose pages hold the data, or NULL
 * @buf: when @rq is NULL, a kernel buffer of @bytes holding it
 */
struct optsim_xfer {
	u64 pos;
	u64 bytes;
	struct request *rq;
	void *buf;
};

/* store.c */
struct optsim_stage;
void optsim_store_init(u64 limit_bytes);
u64 optsim_store_mem_used(void);
u64 optsim_store_mem_limit(void);
blk_status_t optsim_store_read(struct optsim_medium *m,
			       const struct optsim_xfer *x, u64 *bad_cluster);
void optsim_store_quality(struct optsim_medium *m, u64 first, u32 count,
			  struct optsim_quality_rec *recs);
bool optsim_store_recorded(struct optsim_medium *m, u64 index);
struct optsim_stage *optsim_stage_create(void);
void optsim_stage_destroy(struct optsim_stage *st);
blk_status_t optsim_store_write(struct optsim_medium *m,
				struct optsim_stage *st,
				const struct optsim_xfer *x,
				struct optsim_refusal *why);
void optsim_store_forget(struct optsim_medium *m);
struct optsim_cluster *optsim_store_entry(struct optsim_medium *m, u64 index,
					  gfp_t gfp);
void optsim_store_destroy(struct optsim_medium *m);

/* image.c */
struct optsim_medium *optsim_image_load(struct optsim_dev *dev, int fd,
					const char **why);
int optsim_image_sync(struct optsim_medium *m);
void optsim_image_close(struct optsim_medium *m);
blk_status_t optsim_image_read(struct optsim_medium *m,
			       const struct optsim_xfer *x);
int optsim_image_fill(struct optsim_medium *m, u64 index, bool recorded,
		      unsigned int from, unsigned int to, void *dst);
int optsim_image_commit(struct optsim_medium *m, u64 first, u64 last,
			const void *buf);
int optsim_image_forget(struct optsim_medium *m);
int optsim_image_save(struct optsim_dev *dev, struct block_device *bdev,
		      int fd, const char **why);

/* queue.c */
extern const struct blk_mq_ops optsim_mq_ops;
blk_status_t optsim_io_read(struct optsim_dev *dev, struct optsim_medium *m,
			    const struct optsim_xfer *x, u64 *bad_cluster);
blk_status_t optsim_io_write(struct optsim_dev *dev, struct optsim_medium *m,
			     struct optsim_stage *st,
			     const struct optsim_xfer *x,
			     struct optsim_refusal *why);

/* ioctl.c */
int optsim_ioctl(struct optsim_dev *dev, struct block_device *bdev,
		 unsigned int cmd, void __user *argp);

#endif /* _OPTSIM_H */
