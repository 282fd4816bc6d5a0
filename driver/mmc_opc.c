// SPDX-License-Identifier: GPL-2.0
/*
 * The MMC front's implicit OPC: the first write after a load or a speed
 * change calibrates the write power of the layers it records, as drives do
 * (Documentation/mmc.rst). OPC runs a power ladder through the recording
 * model, some fifty compiles per layer: about a second and a half of a CPU
 * natively, ten times that under emulation. That is too long to answer one
 * command with, and too long to hold the drive's model_lock, which every
 * command and every TEST UNIT READY of sr's media polling needs.
 *
 * So the drive does what a drive does during a long internal operation. The
 * write that needs OPC starts it in the background and is answered NOT
 * READY, LONG WRITE IN PROGRESS (02/04/08), with an estimate of the progress
 * in the sense data. The host retries the write: the SCSI midlayer does for
 * block I/O, and burning programs poll. Until OPC is done, TEST UNIT READY
 * and the media commands report the same. The ladders run on a copy of the
 * stack and of the parameters, with no lock held; their powers are applied
 * under model_lock through the path the ioctl's OPC takes
 * (optsim_dev_opc_apply_locked()), unless the medium or its parameters
 * changed meanwhile (opc_gen): then they are dropped, and the next write
 * calibrates again if it still needs to. The work runs on the MMC front's
 * unbound workqueue (scsi.c says why).
 */
#include "optsim.h"

#include <linux/jiffies.h>
#include <linux/workqueue.h>

/* The progress estimate of a first OPC, per layer, before one was timed. */
#define OPTSIM_MMC_OPC_GUESS_MS	2000

/**
 * optsim_mmc_opc_need() - the next write calibrates these layers first
 * @dev: the drive; the caller holds its model_lock
 * @layers: the layers, as a bit mask (0 for none: the drive is empty)
 *
 * After a load, a speed change or SEND OPC INFORMATION. A background OPC
 * still running is not applied.
 */
void optsim_mmc_opc_need(struct optsim_dev *dev, u32 layers)
	__must_hold(&dev->model_lock)
{
	lockdep_assert_held(&dev->model_lock);
	dev->mmc.opc_pending = layers;
	dev->mmc.opc_failed = 0;
	dev->mmc.opc_gen++;
}

/**
 * optsim_mmc_opc_done() - these layers have their powers
 * @dev: the drive; the caller holds its model_lock
 * @layers: the layers, as a bit mask
 *
 * After an OPC, or powers set by hand, which no OPC overrides. A
 * background OPC still running is not applied.
 */
void optsim_mmc_opc_done(struct optsim_dev *dev, u32 layers)
	__must_hold(&dev->model_lock)
{
	lockdep_assert_held(&dev->model_lock);
	dev->mmc.opc_pending &= ~layers;
	dev->mmc.opc_failed &= ~layers;
	dev->mmc.opc_gen++;
}

/*
 * Run the ladders of the job without any lock: @opc_running keeps the job
 * ours. Then, under model_lock, apply them unless the drive moved on.
 */
static void optsim_mmc_opc_work(struct work_struct *work)
{
	struct optsim_dev *dev = container_of(work, struct optsim_dev,
					      mmc.opc_work);
	struct optsim_mmc *mmc = &dev->mmc;
	struct optsim_mmc_opc_job *job = &mmc->opc_job;
	struct optsim_opc req = { .layer = OPTSIM_LAYER_ALL };
	struct osm_opc_result res[OPTSIM_MAX_LAYERS] = {};
	unsigned long start = jiffies;
	struct optsim_medium *m;
	u32 layer, n = 0;
	int ret = 0;

	for (layer = 0; layer < OPTSIM_MAX_LAYERS && !ret; layer++) {
		if (!(job->layers & BIT(layer)))
			continue;
		ret = osm_model_opc_drive(&job->in[layer], &res[layer]);
		if (!ret)
			optsim_stat_add(dev, layer, OPTSIM_STAT_COMPILES,
					res[layer].steps);
		n++;
	}

	mutex_lock(&dev->model_lock);
	mutex_lock(&dev->lock);
	m = dev->medium;
	mutex_unlock(&dev->lock);
	if (n)
		mmc->opc_ms = jiffies_to_msecs(jiffies - start) / n;
	if (m && mmc->opc_gen == job->gen) {
		if (!ret)
			ret = optsim_dev_opc_apply_locked(dev, m, &req, res,
							  job->layers, NULL,
							  NULL);
		/* The write that waits for it reports the failure. */
		if (ret)
			mmc->opc_failed |= job->layers;
	}
	mmc->opc_running = false;
	mutex_unlock(&dev->model_lock);
}

/* Set up the job for @layers of @m and queue it. */
static void optsim_mmc_opc_start(struct optsim_dev *dev,
				 struct optsim_medium *m, u32 layers)
	__must_hold(&dev->model_lock)
{
	struct optsim_mmc *mmc = &dev->mmc;
	struct optsim_mmc_opc_job *job = &mmc->opc_job;
	unsigned int ms = mmc->opc_ms ? mmc->opc_ms : OPTSIM_MMC_OPC_GUESS_MS;
	u32 layer;

	job->stack = m->stack;
	job->layers = layers;
	job->gen = mmc->opc_gen;
	for (layer = 0; layer < m->geo.layers; layer++) {
		if (!(layers & BIT(layer)))
			continue;
		optsim_recorder_compile_in(m, &m->params[layer], layer,
					   &job->in[layer]);
		job->in[layer].stack = &job->stack;
	}
	mmc->opc_running = true;
	mmc->busy = OPTSIM_MMC_CALIBRATING;
	mmc->busy_start = jiffies;
	mmc->busy_end = jiffies + msecs_to_jiffies(ms * hweight32(layers));
	optsim_scsi_queue_work(&mmc->opc_work);
}

/**
 * optsim_mmc_opc_wait() - a write needs OPC on some layers first
 * @c: the write, checked already: a refused write starts no OPC
 * @layers: the layers it records that wait for OPC, as a bit mask
 *
 * Starts the background OPC unless one runs, and answers NOT READY, LONG
 * WRITE IN PROGRESS, which the host retries. When the OPC the write waited
 * for failed, the write fails with 03/73/03 (OPC failed), once; the next
 * write calibrates again. An eject, a load or new parameters end the
 * drive's wait for an OPC that runs: its result is not applied, and a
 * write waits until it has run out before the next one starts.
 *
 * Return: -EIO, with the sense set.
 */
int optsim_mmc_opc_wait(struct optsim_mmc_cmd *c, u32 layers)
{
	struct optsim_mmc *mmc = &c->dev->mmc;

	if (mmc->opc_failed & layers) {
		mmc->opc_failed &= ~layers;
		return optsim_mmc_sense(c, OPTSIM_SK_MEDIUM_ERROR, 0x73, 0x03);
	}
	/*
	 * An OPC for a disc that has left still runs out its ladder (its
	 * result is dropped): the write waits for it, with no progress.
	 */
	if (mmc->opc_running && mmc->opc_job.gen != mmc->opc_gen)
		return optsim_mmc_sense(c, OPTSIM_SK_NOT_READY, 0x04, 0x08);
	if (!mmc->opc_running)
		optsim_mmc_opc_start(c->dev, c->m, layers);
	return optsim_mmc_busy_sense(c);
}

/**
 * optsim_mmc_opc_init() - set up a new drive's background OPC
 * @dev: the drive, before anyone can reach it
 */
void optsim_mmc_opc_init(struct optsim_dev *dev)
{
	INIT_WORK(&dev->mmc.opc_work, optsim_mmc_opc_work);
}

/**
 * optsim_mmc_opc_cancel() - wait for a background OPC to end
 * @dev: the drive, whose LUN is gone: no command starts another; the
 *	caller holds no model_lock
 */
void optsim_mmc_opc_cancel(struct optsim_dev *dev)
{
	cancel_work_sync(&dev->mmc.opc_work);
}
