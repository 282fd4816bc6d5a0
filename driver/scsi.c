// SPDX-License-Identifier: GPL-2.0
/*
 * The SCSI side of the MMC front: one virtual host for the module, and one
 * LUN on it for every drive, at target id = the drive's index, so that sr
 * and sg give each drive a /dev/srN and a /dev/sgN.
 *
 * The midlayer calls queuecommand in a context that may not sleep on 6.1,
 * and answering a command takes the drive's model_lock and records through
 * the store. So queuecommand only queues the command on its drive; the
 * drive's work item answers the queued commands in order, in process
 * context, and completes them. A command waiting in the queue can be
 * aborted; one being answered finishes first (commands are short: long
 * operations run in the background and report progress).
 */
#include "optsim.h"

#include <linux/device.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>

static bool g_mmc = true;
module_param_named(mmc, g_mmc, bool, 0444);
MODULE_PARM_DESC(mmc, "Give every drive a SCSI MMC LUN (/dev/srN, /dev/sgN) (default 1)");

/* The host's parent in the device tree: /sys/devices/optsim. */
static struct device *optsim_scsi_root;
static struct Scsi_Host *optsim_shost;
/*
 * Answers the drives' commands (one work item per drive) and runs their
 * background OPC. Unbound: an OPC computes for seconds, minutes on a debug
 * kernel, without sleeping. On a per-CPU workqueue the pool of its CPU
 * would count it as running and start no other worker, so a command
 * queued on that CPU waited for the whole OPC and timed out (the debug
 * kernel's CDB fuzzer found it). Unbound work items are left to the
 * scheduler. It has a rescuer: writeback through sr may wait on it.
 */
static struct workqueue_struct *optsim_scsi_wq;

/*
 * Target id -> drive, for the scan of a LUN: set just before the LUN is
 * added and cleared after it is removed, both under the registry of drives
 * (optsim_devs_lock()), which also serialises the scans. Read by
 * optsim_slave_alloc() during the scan that optsim_scsi_add() starts.
 */
static struct optsim_dev *optsim_scsi_target[OPTSIM_MAX_DEVICES];

/**
 * struct optsim_scsi_cmd - the driver's part of every SCSI command
 * @node: its place in its drive's queue, while it waits there
 * @scmd: the command it is part of
 */
struct optsim_scsi_cmd {
	struct list_head node;
	struct scsi_cmnd *scmd;
};

/**
 * optsim_scsi_enabled() - whether drives get a LUN
 *
 * Return: the mmc module parameter, and whether the host exists.
 */
bool optsim_scsi_enabled(void)
{
	return optsim_shost;
}

/* Answer the queued commands of one drive, in the order they came. */
static void optsim_scsi_work(struct work_struct *work)
{
	struct optsim_mmc *mmc = container_of(work, struct optsim_mmc, work);
	struct optsim_dev *dev = container_of(mmc, struct optsim_dev, mmc);
	struct optsim_scsi_cmd *oc;
	struct scsi_cmnd *scmd;

	for (;;) {
		spin_lock_irq(&mmc->qlock);
		oc = list_first_entry_or_null(&mmc->queue,
					      struct optsim_scsi_cmd, node);
		if (oc)
			list_del_init(&oc->node);
		spin_unlock_irq(&mmc->qlock);
		if (!oc)
			return;
		scmd = oc->scmd;
		optsim_mmc_queuecommand(dev, scmd);
		scsi_done(scmd);
		cond_resched();
	}
}

/**
 * optsim_scsi_queue_work() - run a drive's background work of the MMC front
 * @work: the work item
 *
 * On the workqueue that answers the commands (see optsim_scsi_wq).
 *
 * Return: false if @work was queued already.
 */
bool optsim_scsi_queue_work(struct work_struct *work)
{
	return queue_work(optsim_scsi_wq, work);
}

static int optsim_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *scmd)
{
	struct optsim_dev *dev = scmd->device->hostdata;
	struct optsim_scsi_cmd *oc = scsi_cmd_priv(scmd);
	unsigned long flags;

	if (!dev) {
		scmd->result = DID_NO_CONNECT << 16;
		scsi_done(scmd);
		return 0;
	}
	spin_lock_irqsave(&dev->mmc.qlock, flags);
	list_add_tail(&oc->node, &dev->mmc.queue);
	spin_unlock_irqrestore(&dev->mmc.qlock, flags);
	queue_work(optsim_scsi_wq, &dev->mmc.work);
	return 0;
}

/*
 * Abort a command: one still waiting in the queue is taken out and never
 * answered; one being answered cannot be stopped half-way, so the abort
 * fails and the midlayer goes on to reset the device, which waits for it.
 */
static int optsim_eh_abort(struct scsi_cmnd *scmd)
{
	struct optsim_dev *dev = scmd->device->hostdata;
	struct optsim_scsi_cmd *oc = scsi_cmd_priv(scmd);
	bool found = false;

	if (!dev)
		return SUCCESS;
	spin_lock_irq(&dev->mmc.qlock);
	if (!list_empty(&oc->node)) {
		list_del_init(&oc->node);
		found = true;
	}
	spin_unlock_irq(&dev->mmc.qlock);
	if (found)
		sdev_printk(KERN_INFO, scmd->device,
			    "aborted command 0x%02x before it ran\n",
			    scmd->cmnd[0]);
	return found ? SUCCESS : FAILED;
}

/*
 * Reset a LUN: every command queued for it is dropped (the midlayer owns
 * them now), the one being answered finishes, and the next command reports
 * the reset as a unit attention.
 */
static void optsim_scsi_reset_lun(struct scsi_device *sdev)
{
	struct optsim_dev *dev = sdev->hostdata;
	struct optsim_scsi_cmd *oc, *tmp;

	if (!dev)
		return;
	spin_lock_irq(&dev->mmc.qlock);
	list_for_each_entry_safe(oc, tmp, &dev->mmc.queue, node)
		list_del_init(&oc->node);
	spin_unlock_irq(&dev->mmc.qlock);
	optsim_mmc_reset(dev);
	flush_work(&dev->mmc.work);
}

static int optsim_eh_device_reset(struct scsi_cmnd *scmd)
{
	optsim_scsi_reset_lun(scmd->device);
	return SUCCESS;
}

static int optsim_eh_host_reset(struct scsi_cmnd *scmd)
{
	struct scsi_device *sdev;

	shost_for_each_device(sdev, scmd->device->host)
		optsim_scsi_reset_lun(sdev);
	return SUCCESS;
}

static int optsim_init_cmd_priv(struct Scsi_Host *shost, struct scsi_cmnd *scmd)
{
	struct optsim_scsi_cmd *oc = scsi_cmd_priv(scmd);

	INIT_LIST_HEAD(&oc->node);
	oc->scmd = scmd;
	return 0;
}

/* A LUN is being scanned: it exists only for a drive that asked for it. */
static int optsim_slave_alloc(struct scsi_device *sdev)
{
	struct optsim_dev *dev;

	if (sdev->channel || sdev->lun || sdev->id >= OPTSIM_MAX_DEVICES)
		return -ENXIO;
	dev = optsim_scsi_target[sdev->id];
	if (!dev)
		return -ENXIO;
	sdev->hostdata = dev;
	return 0;
}

static int optsim_slave_configure(struct scsi_device *sdev)
{
	/* MODE SENSE(10) first, as for every MMC device (libata does so). */
	sdev->use_10_for_ms = 1;
	return 0;
}

static void optsim_slave_destroy(struct scsi_device *sdev)
{
	sdev->hostdata = NULL;
}

static struct scsi_host_template optsim_sht = {
	.module			= THIS_MODULE,
	.name			= "optsim",
	.proc_name		= "optsim",
	.queuecommand		= optsim_queuecommand,
	.eh_abort_handler	= optsim_eh_abort,
	.eh_device_reset_handler = optsim_eh_device_reset,
	.eh_host_reset_handler	= optsim_eh_host_reset,
	.init_cmd_priv		= optsim_init_cmd_priv,
	.slave_alloc		= optsim_slave_alloc,
	.slave_configure	= optsim_slave_configure,
	.slave_destroy		= optsim_slave_destroy,
	.can_queue		= 16,
	.this_id		= -1,
	.sg_tablesize		= OPTSIM_MAX_SEGMENTS,
	.max_sectors		= OPTSIM_MAX_HW_SECTORS,
	.cmd_per_lun		= 1,
	.cmd_size		= sizeof(struct optsim_scsi_cmd),
	.dma_boundary		= PAGE_SIZE - 1,
};

/**
 * optsim_scsi_init_dev() - set up a new drive's MMC state
 * @dev: the drive, before anyone can reach it
 */
void optsim_scsi_init_dev(struct optsim_dev *dev)
{
	spin_lock_init(&dev->mmc.qlock);
	INIT_LIST_HEAD(&dev->mmc.queue);
	INIT_WORK(&dev->mmc.work, optsim_scsi_work);
	spin_lock_init(&dev->mmc.evlock);
	optsim_mmc_opc_init(dev);
}

/* Free what a drive's LUN needed; nothing runs its commands any more. */
static void optsim_scsi_free(struct optsim_dev *dev)
{
	kvfree(dev->mmc.open_buf);
	kfree(dev->mmc.reply_buf);
	kfree(dev->mmc.param_buf);
	kvfree(dev->mmc.io_buf);
	optsim_stage_destroy(dev->mmc.stage);
	dev->mmc.io_buf = NULL;
	dev->mmc.stage = NULL;
	dev->mmc.open_buf = NULL;
	dev->mmc.reply_buf = NULL;
	dev->mmc.param_buf = NULL;
}

/**
 * optsim_scsi_add() - give a drive its LUN
 * @dev: the drive, fully set up; the caller holds the registry of drives
 *
 * Does nothing when the front is off. The scan sends the LUN its first
 * commands (INQUIRY, and whatever sr's probe sends) before this returns.
 *
 * Return: 0 or a negative errno.
 */
int optsim_scsi_add(struct optsim_dev *dev)
{
	struct scsi_device *sdev;
	void *buf;

	if (!optsim_shost)
		return 0;

	buf = kvzalloc(OPTSIM_CLUSTER_BYTES, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&dev->model_lock);
	dev->mmc.open_buf = buf;
	dev->mmc.id = dev->index;
	dev->mmc.reply_buf = kzalloc(OPTSIM_MMC_REPLY_MAX, GFP_KERNEL);
	dev->mmc.param_buf = kzalloc(OPTSIM_MMC_PARAM_MAX, GFP_KERNEL);
	dev->mmc.io_buf = kvzalloc(OPTSIM_MAX_HW_SECTORS * SECTOR_SIZE,
				   GFP_KERNEL);
	dev->mmc.stage = optsim_stage_create();
	mutex_unlock(&dev->model_lock);
	if (!dev->mmc.reply_buf || !dev->mmc.param_buf || !dev->mmc.io_buf ||
	    !dev->mmc.stage) {
		optsim_scsi_free(dev);
		return -ENOMEM;
	}

	optsim_scsi_target[dev->index] = dev;
	sdev = __scsi_add_device(optsim_shost, 0, dev->index, 0, NULL);
	if (IS_ERR(sdev)) {
		optsim_scsi_target[dev->index] = NULL;
		optsim_scsi_free(dev);
		return PTR_ERR(sdev);
	}
	/*
	 * Keep the LUN's device, not a reference through scsi_device_get():
	 * that one holds this module, which could then never be unloaded.
	 */
	get_device(&sdev->sdev_gendev);
	scsi_device_put(sdev);
	mutex_lock(&dev->model_lock);
	dev->mmc.sdev = sdev;
	mutex_unlock(&dev->model_lock);
	return 0;
}

/**
 * optsim_scsi_remove() - take a drive's LUN away
 * @dev: the drive; the caller holds the registry of drives
 *
 * sr and sg let go of the LUN; commands still queued are failed by the
 * midlayer. Data held in the drive's open cluster is dropped with the
 * drive, as the medium is.
 */
void optsim_scsi_remove(struct optsim_dev *dev)
{
	struct scsi_device *sdev;

	mutex_lock(&dev->model_lock);
	sdev = dev->mmc.sdev;
	dev->mmc.sdev = NULL;
	mutex_unlock(&dev->model_lock);
	if (sdev) {
		scsi_remove_device(sdev);
		put_device(&sdev->sdev_gendev);
	}
	optsim_scsi_target[dev->index] = NULL;
	cancel_work_sync(&dev->mmc.work);
	optsim_mmc_opc_cancel(dev);
	optsim_scsi_free(dev);
}

/**
 * optsim_scsi_init() - create the virtual SCSI host, unless mmc=0
 *
 * Return: 0 or a negative errno.
 */
int optsim_scsi_init(void)
{
	int ret;

	if (!g_mmc)
		return 0;
	optsim_scsi_wq = alloc_workqueue("optsim_mmc",
					 WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!optsim_scsi_wq)
		return -ENOMEM;
	optsim_scsi_root = root_device_register("optsim");
	if (IS_ERR(optsim_scsi_root)) {
		ret = PTR_ERR(optsim_scsi_root);
		goto out_wq;
	}
	optsim_shost = scsi_host_alloc(&optsim_sht, 0);
	if (!optsim_shost) {
		ret = -ENOMEM;
		goto out_root;
	}
	/*
	 * scsi_host_alloc() ignores a failure to allocate its devices' names,
	 * and scsi_add_host() then refuses the nameless devices with -EINVAL.
	 * A lack of memory is -ENOMEM here.
	 */
	if (!dev_name(&optsim_shost->shost_gendev) ||
	    !dev_name(&optsim_shost->shost_dev)) {
		ret = -ENOMEM;
		goto out_put;
	}
	optsim_shost->max_channel = 0;
	optsim_shost->max_id = OPTSIM_MAX_DEVICES;
	optsim_shost->max_lun = 1;
	optsim_shost->max_cmd_len = 16;
	ret = scsi_add_host(optsim_shost, optsim_scsi_root);
	if (ret)
		goto out_put;
	return 0;

out_put:
	scsi_host_put(optsim_shost);
	optsim_shost = NULL;
out_root:
	root_device_unregister(optsim_scsi_root);
out_wq:
	destroy_workqueue(optsim_scsi_wq);
	return ret;
}

/**
 * optsim_scsi_exit() - remove the virtual SCSI host; every drive is gone
 */
void optsim_scsi_exit(void)
{
	if (!optsim_shost)
		return;
	scsi_remove_host(optsim_shost);
	scsi_host_put(optsim_shost);
	optsim_shost = NULL;
	root_device_unregister(optsim_scsi_root);
	destroy_workqueue(optsim_scsi_wq);
}
