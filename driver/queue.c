// SPDX-License-Identifier: GPL-2.0
/*
 * The blk-mq queue: every request is served synchronously from the store,
 * counted in the drive's statistics, and announced to netlink listeners.
 * The queue is blocking because a write takes the medium's write lock and
 * allocates with GFP_NOIO.
 */
#include "optsim.h"

/*
 * Count what a transfer that succeeded moved, per layer: its bytes and the
 * clusters it touched. A transfer may cross from L0 to L1.
 */
static void optsim_account(struct optsim_dev *dev, struct optsim_medium *m,
			   const struct optsim_xfer *x, bool write)
{
	u64 pos = x->pos;
	u64 end = pos + x->bytes;
	enum optsim_stat bytes = write ? OPTSIM_STAT_BYTES_WRITTEN :
					 OPTSIM_STAT_BYTES_READ;
	enum optsim_stat clusters = write ? OPTSIM_STAT_CLUSTERS_WRITTEN :
					    OPTSIM_STAT_CLUSTERS_READ;
	u64 nbytes[OPTSIM_MAX_LAYERS] = {}, nclusters[OPTSIM_MAX_LAYERS] = {};
	u64 index, next;
	u32 layer;

	/* Summed first: the counters are shared by every CPU. */
	for (index = pos >> OPTSIM_CLUSTER_SHIFT; pos < end; index++) {
		next = min(end, (index + 1) << OPTSIM_CLUSTER_SHIFT);
		layer = optsim_medium_cluster_layer(m, index);
		nbytes[layer] += next - pos;
		nclusters[layer]++;
		pos = next;
	}
	for (layer = 0; layer < OPTSIM_MAX_LAYERS; layer++) {
		if (!nclusters[layer])
			continue;
		optsim_stat_add(dev, layer, bytes, nbytes[layer]);
		optsim_stat_add(dev, layer, clusters, nclusters[layer]);
	}
}

/**
 * optsim_io_read() - read from a drive's medium, for either front
 * @dev: the drive
 * @m: its medium
 * @x: what to read
 * @bad_cluster: set to the uncorrectable cluster when the read fails
 *
 * Counts the read, or the medium error and announces it.
 *
 * Return: see optsim_store_read().
 */
blk_status_t optsim_io_read(struct optsim_dev *dev, struct optsim_medium *m,
			    const struct optsim_xfer *x, u64 *bad_cluster)
{
	blk_status_t sts;
	u32 layer;

	sts = optsim_store_read(m, x, bad_cluster);
	if (sts == BLK_STS_OK) {
		optsim_account(dev, m, x, false);
		return sts;
	}
	layer = optsim_medium_cluster_layer(m, *bad_cluster);
	optsim_stat_add(dev, layer, OPTSIM_STAT_MEDIUM_ERRORS, 1);
	optsim_events_read_error(dev, x->pos / OPTSIM_SECTOR_SIZE,
				 *bad_cluster, layer);
	return sts;
}

/**
 * optsim_io_write() - record on a drive's medium, for either front
 * @dev: the drive
 * @m: its medium
 * @st: the writer's scratch: its hardware queue's, or the MMC front's
 * @x: what to write
 * @why: set to why the write was refused when it is
 *
 * Counts the write and announces the recorded clusters, or counts and
 * announces the refusal.
 *
 * Return: see optsim_store_write().
 */
blk_status_t optsim_io_write(struct optsim_dev *dev, struct optsim_medium *m,
			     struct optsim_stage *st,
			     const struct optsim_xfer *x,
			     struct optsim_refusal *why)
{
	blk_status_t sts;
	u32 layer;

	if (!x->bytes)
		return BLK_STS_OK;
	sts = optsim_store_write(m, st, x, why);
	if (sts == BLK_STS_OK) {
		optsim_account(dev, m, x, true);
		optsim_events_recorded(dev, x->pos >> OPTSIM_CLUSTER_SHIFT,
				       (x->pos + x->bytes - 1) >>
				       OPTSIM_CLUSTER_SHIFT);
		return sts;
	}
	layer = optsim_medium_cluster_layer(m, why->cluster);
	optsim_stat_add(dev, layer, OPTSIM_STAT_WRITES_REFUSED, 1);
	if (why->reason == OPTSIM_REASON_RECORDED)
		optsim_stat_add(dev, layer, OPTSIM_STAT_WRITE_ONCE_VIOLATIONS, 1);
	optsim_events_write_refused(dev, x->pos / OPTSIM_SECTOR_SIZE, layer,
				    why);
	return sts;
}

static blk_status_t optsim_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct optsim_dev *dev = hctx->queue->queuedata;
	struct optsim_medium *m = READ_ONCE(dev->medium);
	struct request *rq = bd->rq;
	struct optsim_refusal why = {};
	struct optsim_xfer x = {
		.pos	= (u64)blk_rq_pos(rq) << SECTOR_SHIFT,
		.bytes	= blk_rq_bytes(rq),
		.rq	= rq,
	};
	blk_status_t sts;
	u64 bad = 0;

	might_sleep();
	blk_mq_start_request(rq);

	if (!m) {
		/* The drive is empty: its capacity is 0, so nothing gets here. */
		sts = BLK_STS_IOERR;
		goto out;
	}
	switch (req_op(rq)) {
	case REQ_OP_READ:
		sts = optsim_io_read(dev, m, &x, &bad);
		break;
	case REQ_OP_WRITE:
		sts = optsim_io_write(dev, m, hctx->driver_data, &x, &why);
		break;
	case REQ_OP_FLUSH:
		/*
		 * Writes are recorded before they complete; an image's file
		 * makes them durable now.
		 */
		sts = errno_to_blk_status(optsim_image_sync(m));
		break;
	default:
		sts = BLK_STS_NOTSUPP;
		break;
	}
out:
	blk_mq_end_request(rq, sts);
	return BLK_STS_OK;
}

/*
 * Each hardware queue gets a writer's scratch (store.c), made with the
 * queue and freed with it: what a write needs besides its data pages is
 * not allocated per request.
 */
static int optsim_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			    unsigned int index)
{
	hctx->driver_data = optsim_stage_create();
	return hctx->driver_data ? 0 : -ENOMEM;
}

static void optsim_exit_hctx(struct blk_mq_hw_ctx *hctx, unsigned int index)
{
	optsim_stage_destroy(hctx->driver_data);
	hctx->driver_data = NULL;
}

const struct blk_mq_ops optsim_mq_ops = {
	.queue_rq	= optsim_queue_rq,
	.init_hctx	= optsim_init_hctx,
	.exit_hctx	= optsim_exit_hctx,
};
