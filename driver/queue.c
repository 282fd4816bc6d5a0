// SPDX-License-Identifier: GPL-2.0
/*
 * The blk-mq queue: every request is served synchronously from the store.
 * The queue is blocking because a write takes the medium's write lock and
 * allocates with GFP_NOIO.
 */
#include "optsim.h"

static blk_status_t optsim_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct optsim_dev *dev = hctx->queue->queuedata;
	struct optsim_medium *m = READ_ONCE(dev->medium);
	struct request *rq = bd->rq;
	blk_status_t sts;

	might_sleep();
	blk_mq_start_request(rq);

	if (!m) {
		/* The drive is empty: its capacity is 0, so nothing gets here. */
		sts = BLK_STS_IOERR;
		goto out;
	}
	switch (req_op(rq)) {
	case REQ_OP_READ:
		sts = optsim_store_read(m, rq);
		break;
	case REQ_OP_WRITE:
		sts = optsim_store_write(m, rq);
		break;
	case REQ_OP_FLUSH:
		/* Writes are recorded before they complete. */
		sts = BLK_STS_OK;
		break;
	default:
		sts = BLK_STS_NOTSUPP;
		break;
	}
out:
	blk_mq_end_request(rq, sts);
	return BLK_STS_OK;
}

const struct blk_mq_ops optsim_mq_ops = {
	.queue_rq	= optsim_queue_rq,
};
